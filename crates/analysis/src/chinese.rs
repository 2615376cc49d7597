//! Chinese: jieba-rs word segmentation in search mode (words and their dictionary sub-words,
//! for recall). Traditional text (zh-TW) is mapped to Simplified for the dictionary, character
//! for character, so offsets still point into the original text.

use std::sync::OnceLock;

use jieba_rs::{Jieba, TokenizeMode};
use pinyin::{ToPinyin, ToPinyinMulti};

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
            sink.push_text(from, to, token.word);
        }
    }
}

/// Simplified form of a Traditional run, when the mapping keeps one character per character
/// (it does for the characters fast2s knows); `None` otherwise.
fn to_simplified(run: &str) -> Option<String> {
    let simplified = fast2s::convert(run);
    (simplified.chars().count() == run.chars().count()).then_some(simplified)
}

/// Which of the two written forms of Chinese a text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChineseForm {
    Simplified,
    Traditional,
}

/// The form a text's Han characters show, when they show one. A character with another
/// Simplified form is Traditional writing; one that is the Simplified form of another
/// character is Simplified writing — or one of the few that Traditional writing shares
/// (回 is also the form of 迴, 制 of 製): Simplified text has no Traditional character and more
/// than one Simplified form, and Traditional text has more of its own characters than shared
/// ones. Most characters are common to both and say nothing.
pub fn chinese_form(text: &str) -> Option<ChineseForm> {
    let (mut simplified, mut traditional) = (0usize, 0usize);
    for c in text.chars() {
        let mut buffer = [0u8; 4];
        if !fast2s::convert(c.encode_utf8(&mut buffer)).chars().eq([c]) {
            traditional += 1;
        } else if simplified_forms().contains(&c) {
            simplified += 1;
        }
    }
    if traditional == 0 && simplified > 1 {
        Some(ChineseForm::Simplified)
    } else if traditional > simplified {
        Some(ChineseForm::Traditional)
    } else {
        None
    }
}

/// Characters that are the Simplified form of another character, found once by mapping every
/// Han character of the basic block (the variants of Extension A and the compatibility
/// block map onto everyday characters of both forms).
fn simplified_forms() -> &'static std::collections::HashSet<char> {
    static SET: OnceLock<std::collections::HashSet<char>> = OnceLock::new();
    SET.get_or_init(|| {
        let han = (0x3400..=0x4DBF)
            .chain(0x4E00..=0x9FFF)
            .chain(0xF900..=0xFAFF);
        han.filter_map(char::from_u32)
            .filter_map(|c| {
                let mut buffer = [0u8; 4];
                let s = fast2s::convert(c.encode_utf8(&mut buffer));
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(simplified), None) if simplified != c => Some(simplified),
                    _ => None,
                }
            })
            .collect()
    })
}

/// Readings of a word tried at most: a word of four characters with several readings each
/// would otherwise make dozens.
const MAX_READINGS: usize = 8;

/// A Chinese word's usual reading, in toneless pinyin (`撤回` → `che hui`); `None` when a
/// character is not a Han character with a known reading.
pub fn reading(word: &str) -> Option<String> {
    let syllables: Option<Vec<&str>> = word
        .chars()
        .map(|c| c.to_pinyin().map(|p| p.plain()))
        .collect();
    Some(syllables?.join(" "))
}

/// Every reading of a word, its usual one first, at most [`MAX_READINGS`]: a character
/// read in several ways (`会`: hui, kuai) may stand for a word of either sound.
pub fn readings(word: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in word.chars() {
        let Some(multi) = c.to_pinyin_multi() else {
            return Vec::new();
        };
        let mut sounds: Vec<&str> = Vec::new();
        for p in multi {
            if !sounds.contains(&p.plain()) {
                sounds.push(p.plain());
            }
        }
        let mut next = Vec::new();
        for prefix in &out {
            for sound in &sounds {
                if next.len() < MAX_READINGS {
                    let joined = if prefix.is_empty() {
                        (*sound).to_owned()
                    } else {
                        format!("{prefix} {sound}")
                    };
                    next.push(joined);
                }
            }
        }
        out = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_one_sound_share_a_reading() {
        assert_eq!(reading("撤回").as_deref(), Some("che hui"));
        assert!(readings("撤会").contains(&"che hui".to_owned()));
        assert_eq!(reading("outlook"), None);
        assert!(readings("撤x").is_empty());
        let many = readings("重重重重");
        assert!(many.len() <= MAX_READINGS && many[0] == reading("重重重重").unwrap());
    }
}
