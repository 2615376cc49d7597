//! Chinese: jieba-rs word segmentation in search mode (words and their dictionary sub-words,
//! for recall). Traditional text (zh-TW) is mapped to Simplified for the dictionary, character
//! for character, so offsets still point into the original text.

use std::sync::OnceLock;

use jieba_rs::{Jieba, TokenizeMode};

use crate::sink::Sink;

pub struct ChineseSegmenter {
    traditional: bool,
}

/// jieba takes ~170 ms to load its dictionary: only the first Chinese text pays it.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

impl ChineseSegmenter {
    pub fn simplified() -> Self {
        Self { traditional: false }
    }

    pub fn traditional() -> Self {
        Self { traditional: true }
    }

    pub(crate) fn segment(&self, text: &str, start: usize, end: usize, sink: &mut Sink<'_>) {
        let run = &text[start..end];
        // Byte offset of every character of the run, and one past the end.
        let bounds: Vec<usize> = run
            .char_indices()
            .map(|(i, _)| start + i)
            .chain([end])
            .collect();
        let converted;
        let input = if self.traditional {
            converted = to_simplified(run);
            converted.as_deref().unwrap_or(run)
        } else {
            run
        };
        for token in jieba().tokenize(input, TokenizeMode::Search, true) {
            let (Some(&from), Some(&to)) = (bounds.get(token.start), bounds.get(token.end)) else {
                continue;
            };
            if token.word.chars().all(char::is_whitespace) {
                continue;
            }
            sink.push_text(from, to, token.word.to_owned());
        }
    }
}

/// Simplified form of a Traditional run, when the mapping keeps one character per character
/// (it does for the characters fast2s knows); `None` otherwise.
fn to_simplified(run: &str) -> Option<String> {
    let simplified = fast2s::convert(run);
    (simplified.chars().count() == run.chars().count()).then_some(simplified)
}
