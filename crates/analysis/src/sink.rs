//! What every segmenter writes to: the shared helpers of the language modules, which depend
//! on nothing else in the crate (the script tokenizer in `segment` calls the segmenters).

use tantivy::tokenizer::Token;

/// Collects tokens with absolute offsets and consecutive positions. The tokens of an earlier
/// text are overwritten in place, so their strings are allocated once, not once per word.
pub(crate) struct Sink<'a> {
    tokens: &'a mut Vec<Token>,
    /// How many of `tokens` this text has written; those after are spare.
    len: usize,
    text: &'a str,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(tokens: &'a mut Vec<Token>, text: &'a str) -> Self {
        Sink {
            tokens,
            len: 0,
            text,
        }
    }

    /// How many tokens this text has.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// A token over `text[from..to]`.
    pub(crate) fn push(&mut self, from: usize, to: usize) {
        let text = self.text;
        self.push_text(from, to, &text[from..to]);
    }

    /// A token over `text[from..to]` whose indexed form is `term`.
    pub(crate) fn push_text(&mut self, from: usize, to: usize, term: &str) {
        let token = Token {
            offset_from: from,
            offset_to: to,
            position: self.len,
            text: String::new(),
            position_length: 1,
        };
        match self.tokens.get_mut(self.len) {
            Some(spare) => {
                let mut text = std::mem::take(&mut spare.text);
                text.clear();
                text.push_str(term);
                *spare = Token { text, ..token };
            }
            None => self.tokens.push(Token {
                text: term.to_owned(),
                ..token
            }),
        }
        self.len += 1;
    }
}

/// Overlapping character bigrams; a one-character run is one token.
pub(crate) fn bigrams(text: &str, start: usize, end: usize, sink: &mut Sink<'_>) {
    let bounds: Vec<usize> = text[start..end]
        .char_indices()
        .map(|(i, _)| start + i)
        .chain([end])
        .collect();
    if bounds.len() <= 2 {
        sink.push(start, end);
        return;
    }
    for w in bounds.windows(3) {
        sink.push(w[0], w[2]);
    }
}
