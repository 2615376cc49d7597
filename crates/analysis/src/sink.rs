//! What every segmenter writes to: the shared helpers of the language modules, which depend
//! on nothing else in the crate (the script tokenizer in `segment` calls the segmenters).

use tantivy::tokenizer::Token;

/// Collects tokens with absolute offsets and consecutive positions.
pub(crate) struct Sink<'a> {
    tokens: &'a mut Vec<Token>,
    text: &'a str,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(tokens: &'a mut Vec<Token>, text: &'a str) -> Self {
        Sink { tokens, text }
    }

    /// A token over `text[from..to]`.
    pub(crate) fn push(&mut self, from: usize, to: usize) {
        let text = self.text[from..to].to_owned();
        self.push_text(from, to, text);
    }

    /// A token over `text[from..to]` whose indexed form is `term`.
    pub(crate) fn push_text(&mut self, from: usize, to: usize, term: String) {
        let position = self.tokens.len();
        self.tokens.push(Token {
            offset_from: from,
            offset_to: to,
            position,
            text: term,
            position_length: 1,
        });
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
