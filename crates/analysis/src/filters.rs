//! Token filters, tantivy style: a config type (the `TokenFilter`), the tokenizer it wraps,
//! and the stream that rewrites each token's text. Offsets are never touched.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, is_nfkc_quick};

/// Unicode NFKC (full-width forms, ligatures) and lower case, without invisible
/// (default-ignorable) characters.
#[derive(Clone)]
pub struct Normalize;

impl TokenFilter for Normalize {
    type Tokenizer<T: Tokenizer> = NormalizeTokenizer<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> NormalizeTokenizer<T> {
        NormalizeTokenizer { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct NormalizeTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for NormalizeTokenizer<T> {
    type TokenStream<'a> = NormalizeStream<T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NormalizeStream {
            inner: self.inner.token_stream(text),
            scratch: String::new(),
        }
    }
}

pub struct NormalizeStream<S> {
    inner: S,
    /// Where a word is rewritten; it trades buffers with the token, so neither is allocated
    /// again word after word.
    scratch: String,
}

impl<S: TokenStream> TokenStream for NormalizeStream<S> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            if normalize(&mut self.inner.token_mut().text, &mut self.scratch) {
                return true;
            }
        }
        false
    }
    fn token(&self) -> &Token {
        self.inner.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// Returns false when nothing is left of the token. `scratch` is any buffer, left holding
/// garbage.
fn normalize(text: &mut String, scratch: &mut String) -> bool {
    if text.is_ascii() {
        text.make_ascii_lowercase();
        return true;
    }
    if text.chars().any(crate::segment::is_default_ignorable) {
        text.retain(|c| !crate::segment::is_default_ignorable(c));
    }
    scratch.clear();
    if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        scratch.extend(text.chars().flat_map(char::to_lowercase));
    } else {
        scratch.extend(text.nfkc().flat_map(char::to_lowercase));
    }
    std::mem::swap(text, scratch);
    !text.is_empty()
}

/// Diacritics folded away in alphabetic scripts (Latin, Greek, Cyrillic, Hebrew, Arabic), so
/// a query meets the text whether or not the user typed the accents: `geslo`/`gesló`,
/// Vietnamese tones, Hebrew niqqud, Arabic harakat and tatweel. Marks that are letters in
/// their script (Thai vowels, Japanese voicing marks) are left alone.
pub(crate) fn fold(text: &mut String) -> bool {
    if text.is_ascii() {
        return true;
    }
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    *text = out;
    !text.is_empty()
}

/// [`fold`] of `text`, appended to `out`.
fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        fold_letter(c, out);
    }
}

/// [`fold`] of one character, appended to `out`: none, one or two characters.
pub(crate) fn fold_letter(c: char, out: &mut String) {
    match c {
        'ß' => out.push_str("ss"),
        'đ' | 'ð' => out.push('d'),
        'ł' => out.push('l'),
        'ø' => out.push('o'),
        'æ' => out.push_str("ae"),
        'œ' => out.push_str("oe"),
        'ı' => out.push('i'),
        'ς' => out.push('σ'),
        'ё' => out.push('е'),
        '\u{0640}' => {} // Arabic tatweel: elongation, not a letter
        c if is_foldable_script(c) => {
            for d in std::iter::once(c).nfd() {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            }
        }
        c => out.push(c),
    }
}

fn is_foldable_script(c: char) -> bool {
    matches!(c as u32, 0x00C0..=0x024F | 0x0300..=0x036F | 0x0370..=0x03FF | 0x1F00..=0x1FFF
        | 0x0400..=0x052F | 0x0590..=0x05FF | 0x0600..=0x06FF | 0x1E00..=0x1EFF)
}

/// British spellings that matter in support text, mapped to American ones before stemming
/// (`greyed` → `grayed`, `licence` → `license`).
const BRITISH: &[(&str, &str)] = &[
    ("grey", "gray"),
    ("colour", "color"),
    ("favourit", "favorit"),
    ("behaviour", "behavior"),
    ("licence", "license"),
    ("centre", "center"),
    ("catalogue", "catalog"),
    ("dialogue", "dialog"),
    ("cancelled", "canceled"),
    ("cancelling", "canceling"),
    ("organis", "organiz"),
    ("authoris", "authoriz"),
    ("customis", "customiz"),
    ("optimis", "optimiz"),
    ("recognis", "recogniz"),
    ("synchronis", "synchroniz"),
    ("prioritis", "prioritiz"),
    ("minimis", "minimiz"),
    ("maximis", "maximiz"),
    ("initialis", "initializ"),
    ("utilis", "utiliz"),
    ("analys", "analyz"),
    ("enrolment", "enrollment"),
];

/// The British spelling `word` starts with, and its American one.
fn british_spelling(word: &str) -> Option<(&'static str, &'static str)> {
    BRITISH.iter().find(|(b, _)| word.starts_with(b)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        for (input, want) in [
            ("ponastavitev", "ponastavitev"),
            ("zatemnjenim", "zatemnjenim"),
            ("čšž", "csz"),
            ("straße", "strasse"),
            ("đường", "duong"),
            ("שָׁלוֹם", "שלום"),
            ("الـعربية", "العربية"),
            ("ё", "е"),
            ("ปุ่ม", "ปุ่ม"),
            ("が", "が"),
        ] {
            let mut s = input.to_owned();
            fold(&mut s);
            assert_eq!(s, want, "{input}");
        }
    }

    proptest::proptest! {
        /// Whatever the scratch buffer held before.
        #[test]
        fn normalize_is_nfkc_in_lower_case_without_invisible_characters(
            chars in proptest::collection::vec(proptest::prop_oneof![
                proptest::char::any(),
                // Invisible, compatibility and case-changing characters.
                proptest::sample::select(vec!['\u{AD}', '\u{200B}', '\u{FE0F}', 'ﬁ', 'Ａ', 'İ', 'Σ']),
            ], 0..24),
            garbage in "\\PC{0,8}",
        ) {
            let text: String = chars.into_iter().collect();
            let visible: String = text
                .chars()
                .filter(|&c| !crate::segment::is_default_ignorable(c))
                .collect();
            let want: String = visible.nfkc().flat_map(char::to_lowercase).collect();
            let (mut got, mut scratch) = (text.clone(), garbage);
            let kept = normalize(&mut got, &mut scratch);
            proptest::prop_assert_eq!(&got, &want);
            proptest::prop_assert_eq!(kept, !want.is_empty() || text.is_ascii());
        }
    }

    #[test]
    fn british_spellings() {
        assert_eq!(british_spelling("greyed"), Some(("grey", "gray")));
    }
}

/// How [`StemKeepingExact`] reduces a word.
#[derive(Clone, Copy)]
pub enum Reduction {
    Snowball(rust_stemmers::Algorithm),
    /// English: British spellings mapped first, then Snowball English.
    English,
    Truncate(usize),
    /// Diacritics folded only.
    FoldOnly,
}

/// Emits every word twice at one position: as written (lower case, accents kept) and
/// reduced (stemmed or truncated, then folded), once when both are the same. A query in
/// exact words matches both forms and outranks documents that only share a stem, while an
/// inflected or unaccented query still meets the text through the reduced form.
#[derive(Clone, Copy)]
pub struct StemKeepingExact(pub Reduction);

impl TokenFilter for StemKeepingExact {
    type Tokenizer<T: Tokenizer> = StemKeepingExactTokenizer<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemKeepingExactTokenizer<T> {
        StemKeepingExactTokenizer {
            inner: tokenizer,
            reduction: self.0,
            reduced: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
pub struct StemKeepingExactTokenizer<T> {
    inner: T,
    reduction: Reduction,
    /// Reduced forms already computed. A corpus repeats a small vocabulary (the English source
    /// once per locale), and Snowball was a tenth of the whole index build before this cache.
    reduced: FxHashMap<String, String>,
}

/// Enough for a locale's vocabulary; past it the cache starts over rather than grow unbounded.
const REDUCED_CACHE_LIMIT: usize = 200_000;

impl<T: Tokenizer> Tokenizer for StemKeepingExactTokenizer<T> {
    type TokenStream<'a> = StemKeepingExactStream<'a, T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let stemmer = match self.reduction {
            Reduction::Snowball(algorithm) => Some(rust_stemmers::Stemmer::create(algorithm)),
            Reduction::English => Some(rust_stemmers::Stemmer::create(
                rust_stemmers::Algorithm::English,
            )),
            _ => None,
        };
        if self.reduced.len() > REDUCED_CACHE_LIMIT {
            self.reduced.clear();
        }
        StemKeepingExactStream {
            inner: self.inner.token_stream(text),
            reducer: Reducer {
                reduction: self.reduction,
                stemmer,
                cache: &mut self.reduced,
            },
            second: Token::default(),
            second_pending: false,
        }
    }
}

pub struct StemKeepingExactStream<'a, S> {
    inner: S,
    reducer: Reducer<'a>,
    /// The reduced form of the word just emitted, emitted next when `second_pending`. It
    /// trades places with the inner stream's token, so no token is allocated per word.
    second: Token,
    second_pending: bool,
}

struct Reducer<'a> {
    reduction: Reduction,
    stemmer: Option<rust_stemmers::Stemmer>,
    cache: &'a mut FxHashMap<String, String>,
}

impl Reducer<'_> {
    /// The reduced form of `exact`, in `out`.
    fn reduce_into(&mut self, exact: &str, out: &mut String) {
        out.clear();
        // Truncating and folding cost less than a cache lookup: only stemmers are cached.
        if !matches!(self.reduction, Reduction::Snowball(_) | Reduction::English) {
            reduce_into(self.reduction, None, exact, out);
            return;
        }
        if let Some(reduced) = self.cache.get(exact) {
            out.push_str(reduced);
            return;
        }
        reduce_into(self.reduction, self.stemmer.as_ref(), exact, out);
        self.cache.insert(exact.to_owned(), out.clone());
    }
}

fn reduce_into(
    reduction: Reduction,
    stemmer: Option<&rust_stemmers::Stemmer>,
    exact: &str,
    out: &mut String,
) {
    fn stem<'w>(stemmer: Option<&rust_stemmers::Stemmer>, word: &'w str) -> Cow<'w, str> {
        stemmer.map_or(Cow::Borrowed(word), |s| s.stem(word))
    }
    match reduction {
        Reduction::English => {
            let mut word = Cow::Borrowed(exact);
            if let Some((british, american)) = british_spelling(exact) {
                word = Cow::Owned(format!("{american}{}", &exact[british.len()..]));
            }
            fold_into(&stem(stemmer, &word), out);
        }
        Reduction::Snowball(_) => fold_into(&stem(stemmer, exact), out),
        Reduction::Truncate(max_chars) => {
            fold_into(exact, out);
            // Codes and numbers keep their full form: `0x80070005` is not a word to stem.
            if !out.chars().any(|c| c.is_ascii_digit())
                && let Some((cut, _)) = out.char_indices().nth(max_chars)
            {
                out.truncate(cut);
            }
        }
        Reduction::FoldOnly => fold_into(exact, out),
    }
}

impl<S: TokenStream> TokenStream for StemKeepingExactStream<'_, S> {
    fn advance(&mut self) -> bool {
        if std::mem::take(&mut self.second_pending) {
            std::mem::swap(self.inner.token_mut(), &mut self.second);
            return true;
        }
        loop {
            if !self.inner.advance() {
                return false;
            }
            let exact = self.inner.token();
            // The possessive `'s`, split off by the tokenizer.
            if !(matches!(self.reducer.reduction, Reduction::English) && exact.text == "s") {
                break;
            }
        }
        let exact = self.inner.token();
        self.reducer.reduce_into(&exact.text, &mut self.second.text);
        if !self.second.text.is_empty() && self.second.text != exact.text {
            self.second.offset_from = exact.offset_from;
            self.second.offset_to = exact.offset_to;
            self.second.position = exact.position;
            self.second.position_length = exact.position_length;
            self.second_pending = true;
        }
        true
    }
    fn token(&self) -> &Token {
        self.inner.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}
