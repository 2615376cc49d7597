//! The tokenizer every analyzer starts with: split text into runs by script, cut each run into
//! words with the segmenter made for it, and keep byte offsets into the original text.
//!
//! - letters and digits of alphabetic scripts (Latin, Cyrillic, Greek, Hebrew, Arabic,
//!   Devanagari, Georgian, …): a word is a run of letters and digits, so `0x80070005` stays
//!   whole and `Outlook.com` or `Wi-Fi` give two words each; a number written with thousands
//!   separators is also the number as typed (`5,000` gives `5`, `000` and `5000`: `numbers`);
//! - Han and kana: the locale's segmenter (Chinese, Japanese), else overlapping bigrams;
//! - Hangul: the Korean segmenter (bigrams and the word, without its particle);
//! - Thai, Lao, Khmer and Burmese, written without spaces between words: the Southeast Asian
//!   segmenter (dictionary word breaks), whatever the locale.
//!
//! A combining mark or joiner belongs to the run it follows, as in Unicode word segmentation
//! (UAX #29): Devanagari's virama and vowel signs, Khmer's diacritics and Hebrew niqqud are
//! parts of words, never breaks between them. So does an invisible (default-ignorable)
//! character such as a soft hyphen or a zero-width space pasted inside a word.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::chinese::ChineseSegmenter;
use crate::japanese::JapaneseSegmenter;
use crate::numbers::Thousands;
use crate::sink::{Sink, bigrams};
use crate::{korean, southeast_asian};

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
    /// Thai, Lao, Khmer, Burmese.
    SoutheastAsian,
    /// Spaces, punctuation, symbols: never part of a token.
    Separator,
}

pub(crate) fn script(c: char) -> Script {
    let u = c as u32;
    match u {
        0x0E00..=0x0EFF
        | 0x1000..=0x109F
        | 0x1780..=0x17FF
        | 0x19E0..=0x19FF
        | 0xA9E0..=0xA9FF
        | 0xAA60..=0xAA7F => Script::SoutheastAsian,
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
        _ if c.is_alphanumeric() => Script::Word,
        _ => Script::Separator,
    }
}

/// Combining marks (General Category M) and the zero-width joiners: they extend whatever
/// precedes them. Variation selectors are marks too, but only style the symbol before them.
fn extends_previous(c: char) -> bool {
    // Nothing below U+0300 is a mark: the common case pays one comparison.
    if (c as u32) < 0x0300 {
        return false;
    }
    matches!(c, '\u{200C}' | '\u{200D}')
        || (unicode_normalization::char::is_combining_mark(c)
            && !matches!(c as u32, 0xFE00..=0xFE0F | 0xE0100..=0xE01EF))
}

/// Unicode's Default_Ignorable_Code_Point (soft hyphen, zero-width space and joiners, word
/// joiner, direction marks and isolates, byte-order mark, variation selectors, tags), but for
/// the Hangul fillers, which are letters here. Pasted inside a word they must not split it;
/// [`crate::filters::Normalize`] drops them from the term.
pub(crate) fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x17B4..=0x17B5 | 0x180B..=0x180F | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF | 0xFFF0..=0xFFF8
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

/// Calls `each(script, start, end)` for every maximal run of one script (byte offsets).
pub(crate) fn runs(text: &str, mut each: impl FnMut(Script, usize, usize)) {
    let mut current: Option<(Script, usize)> = None;
    for (i, c) in text.char_indices() {
        let mut s = script(c);
        // Only a mark that is not itself a letter (a virama, a nonspacing vowel sign) falls
        // outside the run before it; letters pay nothing for this test.
        if s == Script::Separator
            && let Some((cur, _)) = current
            && (extends_previous(c) || is_default_ignorable(c))
        {
            s = cur;
        }
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

impl Tokenizer for ScriptTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        // A long text leaves many spare tokens behind; a bounded number is kept for the next.
        self.tokens.truncate(SPARE_TOKENS);
        let han = &self.han;
        let mut sink = Sink::new(&mut self.tokens, text);
        let mut thousands = Thousands::default();
        runs(text, |script, start, end| {
            if script == Script::Word {
                thousands.word(text, start, end, &mut sink);
            } else {
                thousands.end(text, &mut sink);
            }
            match script {
                Script::Word => sink.push(start, end),
                Script::Han => match han {
                    HanSegmenter::Chinese(seg) => seg.segment(text, start, end, &mut sink),
                    HanSegmenter::Japanese(seg) => seg.segment(text, start, end, &mut sink),
                    HanSegmenter::Bigrams => bigrams(text, start, end, &mut sink),
                },
                Script::Hangul => korean::segment(text, start, end, &mut sink),
                Script::SoutheastAsian => southeast_asian::segment(text, start, end, &mut sink),
                Script::Separator => {}
            }
        });
        thousands.end(text, &mut sink);
        let len = sink.len();
        VecTokenStream {
            tokens: &mut self.tokens[..len],
            index: None,
        }
    }
}

/// Token buffers a [`ScriptTokenizer`] keeps from one text to the next: more than a
/// segment's words.
const SPARE_TOKENS: usize = 4096;

pub struct VecTokenStream<'a> {
    tokens: &'a mut [Token],
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
    fn a_number_with_thousands_separators_is_also_the_number_as_typed() {
        assert_eq!(
            words("over 5,000 items"),
            ["over", "5", "000", "5000", "items"]
        );
        assert_eq!(words("5.000 Elemente"), ["5", "000", "5000", "Elemente"]);
        assert_eq!(
            words("5\u{202f}000 éléments"),
            ["5", "000", "5000", "éléments"]
        );
        assert_eq!(words("30,000,000"), ["30", "000", "000", "30000000"]);
        assert_eq!(words("5,000件"), ["5", "000", "5000", "件"]);
        // Builds, versions and lists are no thousands.
        assert_eq!(words("Build 19041.329"), ["Build", "19041", "329"]);
        assert_eq!(words("1.5 GB, 2, 300"), ["1", "5", "GB", "2", "300"]);
        assert_eq!(words("1,0000"), ["1", "0000"]);
    }

    /// What the groups of a number, joined by `separator`, give: every group, and after each
    /// run of them shaped as thousands (one to three digits, then three and three), the run
    /// as one number.
    fn thousands_reference(groups: &[String], separator: &str) -> Vec<String> {
        let joins = separator.chars().count() == 1 && separator != " ";
        let mut out = Vec::new();
        let mut run: Vec<&str> = Vec::new();
        let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
            if run.len() > 1 {
                out.push(run.concat());
            }
            run.clear();
        };
        for group in groups {
            if !(joins && !run.is_empty() && group.len() == 3) {
                flush(&mut run, &mut out);
            }
            if !run.is_empty() || group.len() <= 3 {
                run.push(group);
            }
            out.push(group.clone());
        }
        flush(&mut run, &mut out);
        out
    }

    proptest::proptest! {
        #[test]
        fn a_numbers_groups_stay_words_and_thousands_add_the_number(
            groups in proptest::collection::vec("[0-9]{1,4}", 1..6),
            separator in proptest::prop_oneof![
                proptest::strategy::Just(","), proptest::strategy::Just("."),
                proptest::strategy::Just("\u{a0}"), proptest::strategy::Just("’"),
                proptest::strategy::Just(" "), proptest::strategy::Just(", "),
            ],
        ) {
            let text = groups.join(separator);
            proptest::prop_assert_eq!(words(&text), thousands_reference(&groups, separator));
        }
    }

    #[test]
    fn combining_marks_stay_in_words() {
        // Hebrew with niqqud, and a Latin e followed by a combining acute accent.
        assert_eq!(words("שָׁלוֹם cafe\u{301} x"), ["שָׁלוֹם", "cafe\u{301}", "x"]);
    }

    #[test]
    fn every_combining_mark_stays_in_its_word() {
        // Devanagari virama and vowel signs, Georgian (no marks), Tamil vowel signs.
        assert_eq!(
            words("पासवर्ड रीसेट बटन धूसर है"),
            ["पासवर्ड", "रीसेट", "बटन", "धूसर", "है"]
        );
        assert_eq!(words("கடவுச்சொல் பொத்தான்"), ["கடவுச்சொல்", "பொத்தான்"]);
        // A mark after a separator, and a variation selector after a symbol, make no token.
        assert_eq!(words("\u{301} ✔\u{FE0F} ok"), ["ok"]);
    }

    #[test]
    fn thai_lao_khmer_and_burmese_are_cut_into_words() {
        assert_eq!(
            words("ปุ่มรีเซ็ตรหัสผ่านเป็นสีเทา"),
            ["ปุ่ม", "รีเซ็ต", "รหัส", "ผ่าน", "เป็น", "สี", "เทา"]
        );
        assert_eq!(
            words("ປຸ່ມຕັ້ງລະຫັດຜ່ານໃໝ່ເປັນສີເທົາ"),
            ["ປຸ່ມ", "ຕັ້ງ", "ລະຫັດ", "ຜ່ານ", "ໃໝ່", "ເປັນ", "ສີເທົາ"]
        );
        assert_eq!(
            words("ប៊ូតុងកំណត់ពាក្យសម្ងាត់ឡើងវិញ"),
            ["ប៊ូតុង", "កំណត់", "ពាក្យសម្ងាត់", "ឡើងវិញ"]
        );
        assert_eq!(
            words("စကားဝှက်ပြန်လည်သတ်မှတ်ရန်ခလုတ်"),
            ["စကားဝှက်", "ပြန်လည်", "သတ်မှတ်", "ရန်", "ခလုတ်"]
        );
    }

    #[test]
    fn han_without_a_segmenter_is_bigrams() {
        assert_eq!(
            words("共享链接 灰色 中"),
            ["共享", "享链", "链接", "灰色", "中"]
        );
    }
}
