//! Token filters, tantivy style: a config type (the `TokenFilter`), the tokenizer it wraps,
//! and the stream that rewrites each token's text. Offsets are never touched.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, is_nfkc_quick};

/// Declares a filter whose stream applies `$apply(&config, &mut token.text)` and drops the
/// token when it returns false.
macro_rules! text_filter {
    ($(#[$doc:meta])* $name:ident, $wrapper:ident, $stream:ident, $apply:path) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name;

        impl TokenFilter for $name {
            type Tokenizer<T: Tokenizer> = $wrapper<T>;
            fn transform<T: Tokenizer>(self, tokenizer: T) -> $wrapper<T> {
                $wrapper { inner: tokenizer }
            }
        }

        #[derive(Clone)]
        pub struct $wrapper<T> {
            inner: T,
        }

        impl<T: Tokenizer> Tokenizer for $wrapper<T> {
            type TokenStream<'a> = $stream<T::TokenStream<'a>>;
            fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
                $stream { inner: self.inner.token_stream(text) }
            }
        }

        pub struct $stream<S> {
            inner: S,
        }

        impl<S: TokenStream> TokenStream for $stream<S> {
            fn advance(&mut self) -> bool {
                while self.inner.advance() {
                    if $apply(&mut self.inner.token_mut().text) {
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
    };
}

text_filter!(
    /// Unicode NFKC (full-width forms, ligatures) and lower case.
    Normalize,
    NormalizeTokenizer,
    NormalizeStream,
    normalize
);

fn normalize(text: &mut String) -> bool {
    if text.is_ascii() {
        text.make_ascii_lowercase();
        return true;
    }
    let nfkc: String = if is_nfkc_quick(text.chars()) == IsNormalized::Yes { text.clone() } else { text.nfkc().collect() };
    text.clear();
    for c in nfkc.chars() {
        text.extend(c.to_lowercase());
    }
    !text.is_empty()
}

text_filter!(
    /// Diacritics folded away in alphabetic scripts (Latin, Greek, Cyrillic, Hebrew, Arabic), so
    /// a query meets the text whether or not the user typed the accents: `geslo`/`gesló`,
    /// Vietnamese tones, Hebrew niqqud, Arabic harakat and tatweel. Marks that are letters in
    /// their script (Thai vowels, Japanese voicing marks) are left alone.
    Fold,
    FoldTokenizer,
    FoldStream,
    fold
);

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

/// Keeps the first `max_chars` characters: a light stemmer for languages with no stemmer to
/// hand (truncation works about as well as stemming for Slovene; see ARCHITECTURE.md).
#[derive(Clone)]
pub struct Truncate {
    pub max_chars: usize,
}

impl TokenFilter for Truncate {
    type Tokenizer<T: Tokenizer> = TruncateTokenizer<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> TruncateTokenizer<T> {
        TruncateTokenizer { inner: tokenizer, max_chars: self.max_chars }
    }
}

#[derive(Clone)]
pub struct TruncateTokenizer<T> {
    inner: T,
    max_chars: usize,
}

impl<T: Tokenizer> Tokenizer for TruncateTokenizer<T> {
    type TokenStream<'a> = TruncateStream<T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        TruncateStream { inner: self.inner.token_stream(text), max_chars: self.max_chars }
    }
}

pub struct TruncateStream<S> {
    inner: S,
    max_chars: usize,
}

impl<S: TokenStream> TokenStream for TruncateStream<S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let text = &mut self.inner.token_mut().text;
        // Digits and codes keep their full form: `0x80070005` is not a word to stem.
        if !text.chars().any(|c| c.is_ascii_digit()) {
            if let Some((cut, _)) = text.char_indices().nth(self.max_chars) {
                text.truncate(cut);
            }
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

text_filter!(
    /// British spellings that matter in support text, mapped to American ones before stemming
    /// (`greyed` → `grayed`, `licence` → `license`); and the possessive `s` dropped.
    EnglishSpelling,
    EnglishSpellingTokenizer,
    EnglishSpellingStream,
    english_spelling
);

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

fn english_spelling(text: &mut String) -> bool {
    if text == "s" {
        return false;
    }
    if let Some((british, american)) = BRITISH.iter().find(|(b, _)| text.starts_with(b)) {
        text.replace_range(..british.len(), american);
    }
    true
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
        assert!(!english_spelling(&mut "s".to_owned()));
    }
}
