//! Japanese: lindera with the IPADIC dictionary, compiled by this crate's build script from the
//! source that comes with it (`dict/`; no network, no system package). Text is NFKC-normalised first (half-width katakana,
//! full-width digits); particles, symbols and auxiliary verbs are not indexed, but for the
//! negative auxiliary; inflected verbs and adjectives are indexed by their base form; a katakana
//! word of four or more characters loses its final long-vowel mark (サーバー = サーバ), as in
//! JIS spelling. Auxiliaries carry grammar (politeness, tense, voice), and a query in the
//! polite form (`接続します`) must meet a title in the plain one (`接続する`); the negative one
//! tells what fails from what to do (`同期しない`), so it is indexed, in all its forms (`ない`,
//! `ず`, `ん` of `ません`), as `ない`: the relations learn from the titles that it says not.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;

use lindera::dictionary::load_fs_dictionary;
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera::token::Token;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::sink::Sink;

/// Where the compiled dictionary is: `$LOCSEARCH_IPADIC_DIR`, else what the build produced.
pub fn dictionary_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("LOCSEARCH_IPADIC_DIR") {
        return Some(PathBuf::from(dir));
    }
    option_env!("LOCSEARCH_IPADIC_BUILT")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// The loaded segmenter, or why there is none. Loaded on first use (about a millisecond).
pub fn segmenter() -> Result<&'static Segmenter, &'static str> {
    static SEGMENTER: OnceLock<Result<Segmenter, String>> = OnceLock::new();
    SEGMENTER
        .get_or_init(|| {
            let dir = dictionary_dir().ok_or_else(|| {
                "the Japanese dictionary was not built (the build's warning says why): \
                 rebuild locsearch, with LOCSEARCH_IPADIC_SRC unset or naming an IPADIC source \
                 directory"
                    .to_owned()
            })?;
            let dictionary = load_fs_dictionary(&dir).map_err(|e| {
                format!(
                    "cannot load the Japanese dictionary from {}: {e}",
                    dir.display()
                )
            })?;
            Ok(Segmenter::new(Mode::Normal, dictionary, None))
        })
        .as_ref()
        .map_err(String::as_str)
}

pub struct JapaneseSegmenter;

impl JapaneseSegmenter {
    pub(crate) fn segment(&self, text: &str, start: usize, end: usize, sink: &mut Sink<'_>) {
        let Ok(segmenter) = segmenter() else {
            // Unavailable: `crate::check` makes indexing fail loudly before this runs;
            // a query still gets bigrams rather than nothing.
            crate::sink::bigrams(text, start, end, sink);
            return;
        };
        let (normalized, origin) = nfkc_with_origin(&text[start..end]);
        let Ok(tokens) = segmenter.segment(Cow::Borrowed(&normalized)) else {
            return;
        };
        for mut token in tokens {
            let pos = token.get_detail(0).unwrap_or("").to_owned();
            if pos == "助動詞" && is_negative(&mut token) {
                let (from, to) = original_span(&token, &origin, start, end);
                sink.push_text(from, to, NEGATIVE);
                continue;
            }
            if matches!(pos.as_str(), "助詞" | "助動詞" | "記号" | "フィラー") {
                continue;
            }
            let surface = token.surface.to_string();
            if surface.chars().all(char::is_whitespace) {
                continue;
            }
            let base = token
                .get_detail(6)
                .filter(|b| *b != "*" && !b.is_empty())
                .map(str::to_owned);
            let term = match (pos.as_str(), base) {
                ("動詞" | "形容詞", Some(base)) => base,
                _ => strip_long_vowel(surface),
            };
            let (from, to) = original_span(&token, &origin, start, end);
            sink.push_text(from, to, &term);
        }
    }
}

/// The negative auxiliary's base form, which all its forms are indexed as.
const NEGATIVE: &str = "ない";

/// Whether an auxiliary is the negative one: IPADIC's conjugation types of `ない` and of
/// `ぬ` (`ず`), and `ん` (of `ません`), which IPADIC leaves uninflected.
fn is_negative(token: &mut Token<'_>) -> bool {
    let conjugation = token.get_detail(4).unwrap_or("").to_owned();
    matches!(conjugation.as_str(), "特殊・ナイ" | "特殊・ヌ") || token.get_detail(6) == Some("ん")
}

/// Where `token` lies in the original text, which `origin` maps the normalised text back to.
fn original_span(token: &Token<'_>, origin: &[usize], start: usize, end: usize) -> (usize, usize) {
    let from = start + origin[token.byte_start];
    let to = start + origin.get(token.byte_end).copied().unwrap_or(end - start);
    (from, to.max(from))
}

/// NFKC of `run`, and for every byte of the result (and one past its end) the offset in `run`
/// it came from. Normalised per cluster (a character and the marks after it), so half-width
/// katakana with a separate voiced mark compose.
fn nfkc_with_origin(run: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(run.len());
    let mut origin = Vec::with_capacity(run.len() + 1);
    let mut chars = run.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut cluster_end = i + c.len_utf8();
        while let Some(&(j, next)) = chars.peek() {
            if is_combining_mark(next) || matches!(next, '\u{FF9E}' | '\u{FF9F}') {
                cluster_end = j + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let before = out.len();
        out.extend(run[i..cluster_end].nfkc());
        origin.extend(std::iter::repeat_n(i, out.len() - before));
    }
    origin.push(run.len());
    (out, origin)
}

fn strip_long_vowel(word: String) -> String {
    let is_katakana = |c: char| ('\u{30A0}'..='\u{30FF}').contains(&c);
    if word.chars().count() >= 4 && word.ends_with('ー') && word.chars().all(is_katakana) {
        word[..word.len() - 'ー'.len_utf8()].to_owned()
    } else {
        word
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_maps_back_to_original_offsets() {
        let (norm, origin) = nfkc_with_origin("ｶﾞｲﾄﾞ１");
        assert_eq!(norm, "ガイド1");
        assert_eq!(origin[0], 0);
        assert_eq!(origin[3], 6, "イ comes from the third half-width character");
        assert_eq!(*origin.last().unwrap(), "ｶﾞｲﾄﾞ１".len());
    }

    #[test]
    fn long_vowel_mark() {
        assert_eq!(strip_long_vowel("サーバー".into()), "サーバ");
        assert_eq!(strip_long_vowel("キー".into()), "キー");
    }
}
