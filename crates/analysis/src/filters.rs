//! Token filters, tantivy style: a config type (the `TokenFilter`), the tokenizer it wraps,
//! and the stream that rewrites each token's text. Offsets are never touched.

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
        }
    }
}

pub struct NormalizeStream<S> {
    inner: S,
}

impl<S: TokenStream> TokenStream for NormalizeStream<S> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            if normalize(&mut self.inner.token_mut().text) {
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

/// Returns false when nothing is left of the token.
fn normalize(text: &mut String) -> bool {
    if text.is_ascii() {
        text.make_ascii_lowercase();
        return true;
    }
    if text.chars().any(crate::segment::is_default_ignorable) {
        text.retain(|c| !crate::segment::is_default_ignorable(c));
    }
    let nfkc: String = if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        text.clone()
    } else {
        text.nfkc().collect()
    };
    text.clear();
    for c in nfkc.chars() {
        text.extend(c.to_lowercase());
    }
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
    for c in text.chars() {
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
    *text = out;
    !text.is_empty()
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

fn english_spelling(text: &mut String) {
    if let Some((british, american)) = BRITISH.iter().find(|(b, _)| text.starts_with(b)) {
        text.replace_range(..british.len(), american);
    }
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

    #[test]
    fn british_spellings() {
        let mut s = "greyed".to_owned();
        english_spelling(&mut s);
        assert_eq!(s, "grayed");
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
            reduction: self.reduction,
            stemmer,
            reduced: &mut self.reduced,
            pending: None,
        }
    }
}

pub struct StemKeepingExactStream<'a, S> {
    inner: S,
    reduction: Reduction,
    stemmer: Option<rust_stemmers::Stemmer>,
    reduced: &'a mut FxHashMap<String, String>,
    pending: Option<Token>,
}

impl<S: TokenStream> StemKeepingExactStream<'_, S> {
    fn reduce_cached(&mut self, exact: &str) -> String {
        // Truncating and folding cost less than a cache lookup: only stemmers are cached.
        if !matches!(self.reduction, Reduction::Snowball(_) | Reduction::English) {
            return reduce(self.reduction, None, exact);
        }
        if let Some(reduced) = self.reduced.get(exact) {
            return reduced.clone();
        }
        let reduced = reduce(self.reduction, self.stemmer.as_ref(), exact);
        self.reduced.insert(exact.to_owned(), reduced.clone());
        reduced
    }
}

fn reduce(reduction: Reduction, stemmer: Option<&rust_stemmers::Stemmer>, exact: &str) -> String {
    let mut reduced = match reduction {
        Reduction::English => {
            let mut word = exact.to_owned();
            english_spelling(&mut word);
            stemmer.map_or(word.clone(), |s| s.stem(&word).into_owned())
        }
        Reduction::Snowball(_) => stemmer.map_or(exact.to_owned(), |s| s.stem(exact).into_owned()),
        Reduction::Truncate(max_chars) => {
            let mut word = exact.to_owned();
            fold(&mut word);
            // Codes and numbers keep their full form: `0x80070005` is not a word to stem.
            if !word.chars().any(|c| c.is_ascii_digit())
                && let Some((cut, _)) = word.char_indices().nth(max_chars)
            {
                word.truncate(cut);
            }
            word
        }
        Reduction::FoldOnly => exact.to_owned(),
    };
    fold(&mut reduced);
    reduced
}

impl<S: TokenStream> TokenStream for StemKeepingExactStream<'_, S> {
    fn advance(&mut self) -> bool {
        if let Some(pending) = self.pending.take() {
            *self.inner.token_mut() = pending;
            return true;
        }
        if !self.inner.advance() {
            return false;
        }
        let exact = self.inner.token().text.clone();
        if matches!(self.reduction, Reduction::English) && exact == "s" {
            // The possessive `'s`, split off by the tokenizer.
            return self.advance();
        }
        let reduced = self.reduce_cached(&exact);
        if !reduced.is_empty() && reduced != exact {
            let mut second = self.inner.token().clone();
            second.text = reduced;
            self.pending = Some(second);
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
