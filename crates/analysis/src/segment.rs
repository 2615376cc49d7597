//! The tokenizer every analyzer starts with: split text into runs by script, cut each run into
//! words with the segmenter made for it, and keep byte offsets into the original text.
//!
//! - letters and digits of alphabetic scripts (Latin, Cyrillic, Greek, Hebrew, Arabic, …):
//!   a word is a run of letters, digits and combining marks, so `0x80070005` stays whole and
//!   `Outlook.com` or `Wi-Fi` give two words each;
//! - Han and kana: the locale's segmenter (Chinese, Japanese), else overlapping bigrams;
//! - Hangul: the Korean segmenter (bigrams and a particle-stripped word);
//! - Thai: the Thai segmenter (dictionary word breaks), whatever the locale.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::chinese::ChineseSegmenter;
use crate::japanese::JapaneseSegmenter;
use crate::{korean, thai};

/// What cuts Han and kana runs.
#[derive(Clone)]
pub(crate) enum HanSegmenter {
    Bigrams,
    Chinese(Arc<ChineseSegmenter>),
    Japanese(Arc<JapaneseSegmenter>),
}

#[derive(Clone)]
pub struct ScriptTokenizer {
    han: HanSegmenter,
    tokens: Vec<Token>,
}

impl ScriptTokenizer {
    pub(crate) fn new(han: HanSegmenter) -> Self {
        Self {
            han,
            tokens: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    /// Letters, digits and marks of alphabetic scripts.
    Word,
    /// Han ideographs, hiragana, katakana and their marks.
    Han,
    Hangul,
    Thai,
    /// Spaces, punctuation, symbols: never part of a token.
    Separator,
}

pub(crate) fn script(c: char) -> Script {
    let u = c as u32;
    match u {
        0x0E00..=0x0E7F => Script::Thai,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7AF | 0xD7B0..=0xD7FF => {
            Script::Hangul
        }
        0x3005..=0x3007
        | 0x3021..=0x3029
        | 0x3031..=0x3035
        | 0x3040..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x3134F => Script::Han,
        _ if c.is_alphanumeric() || is_word_joiner_or_mark(c) => Script::Word,
        _ => Script::Separator,
    }
}

/// Combining marks and joiners that belong inside words (accents written as separate code
/// points, Hebrew niqqud, Arabic harakat, ZWJ/ZWNJ).
fn is_word_joiner_or_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5
        | 0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4
        | 0x06E7..=0x06E8 | 0x06EA..=0x06ED | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C..=0x200D
        | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Calls `each(script, start, end)` for every maximal run of one script (byte offsets).
pub(crate) fn runs(text: &str, mut each: impl FnMut(Script, usize, usize)) {
    let mut current: Option<(Script, usize)> = None;
    for (i, c) in text.char_indices() {
        let s = script(c);
        match current {
            Some((cur, _)) if cur == s => {}
            Some((cur, start)) => {
                if cur != Script::Separator {
                    each(cur, start, i);
                }
                current = Some((s, i));
            }
            None => current = Some((s, i)),
        }
    }
    if let Some((cur, start)) = current
        && cur != Script::Separator
    {
        each(cur, start, text.len());
    }
}

/// Collects tokens with absolute offsets and consecutive positions.
pub(crate) struct Sink<'a> {
    tokens: &'a mut Vec<Token>,
    text: &'a str,
}

impl Sink<'_> {
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

impl Tokenizer for ScriptTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        self.tokens.clear();
        let han = &self.han;
        let mut sink = Sink {
            tokens: &mut self.tokens,
            text,
        };
        runs(text, |script, start, end| match script {
            Script::Word => sink.push(start, end),
            Script::Han => match han {
                HanSegmenter::Chinese(seg) => seg.segment(text, start, end, &mut sink),
                HanSegmenter::Japanese(seg) => seg.segment(text, start, end, &mut sink),
                HanSegmenter::Bigrams => bigrams(text, start, end, &mut sink),
            },
            Script::Hangul => korean::segment(text, start, end, &mut sink),
            Script::Thai => thai::segment(text, start, end, &mut sink),
            Script::Separator => {}
        });
        VecTokenStream {
            tokens: &mut self.tokens,
            index: None,
        }
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

pub struct VecTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    index: Option<usize>,
}

impl TokenStream for VecTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let next = self.index.map_or(0, |i| i + 1);
        self.index = Some(next);
        next < self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index.unwrap_or(0)]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index.unwrap_or(0)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut t = ScriptTokenizer::new(HanSegmenter::Bigrams);
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn product_names_and_error_codes() {
        assert_eq!(
            words("Outlook.com: 0x80070005 (Wi-Fi)"),
            ["Outlook", "com", "0x80070005", "Wi", "Fi"]
        );
    }

    #[test]
    fn combining_marks_stay_in_words() {
        // Hebrew with niqqud, and a Latin e followed by a combining acute accent.
        assert_eq!(words("שָׁלוֹם cafe\u{301} x"), ["שָׁלוֹם", "cafe\u{301}", "x"]);
    }

    #[test]
    fn han_without_a_segmenter_is_bigrams() {
        assert_eq!(
            words("共享链接 灰色 中"),
            ["共享", "享链", "链接", "灰色", "中"]
        );
    }
}
