//! Serbian is written in two alphabets, one letter for one letter: the corpus's sr-Latn text
//! is Latin, while many users type Cyrillic (`лозинка` for `lozinka`). The Serbian analyzer
//! writes Cyrillic letters in Latin ones, so either alphabet meets the text.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Serbian Cyrillic written in Latin letters (after lower-casing); other text untouched.
#[derive(Clone)]
pub struct SerbianLatin;

impl TokenFilter for SerbianLatin {
    type Tokenizer<T: Tokenizer> = SerbianLatinTokenizer<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> SerbianLatinTokenizer<T> {
        SerbianLatinTokenizer { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct SerbianLatinTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for SerbianLatinTokenizer<T> {
    type TokenStream<'a> = SerbianLatinStream<T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SerbianLatinStream {
            inner: self.inner.token_stream(text),
        }
    }
}

pub struct SerbianLatinStream<S> {
    inner: S,
}

impl<S: TokenStream> TokenStream for SerbianLatinStream<S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let text = &mut self.inner.token_mut().text;
        if let Some(latin) = in_latin(text) {
            *text = latin;
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

/// `text` in Latin letters, if it holds a Serbian Cyrillic letter.
fn in_latin(text: &str) -> Option<String> {
    text.chars().any(|c| latin(c).is_some()).then(|| {
        text.chars()
            .map(|c| latin(c).map_or_else(|| c.to_string(), str::to_owned))
            .collect()
    })
}

/// The Latin letters of a lower-case Serbian Cyrillic letter (Vuk's alphabet to Gaj's).
fn latin(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'ђ' => "đ",
        'е' => "e",
        'ж' => "ž",
        'з' => "z",
        'и' => "i",
        'ј' => "j",
        'к' => "k",
        'л' => "l",
        'љ' => "lj",
        'м' => "m",
        'н' => "n",
        'њ' => "nj",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'ћ' => "ć",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "c",
        'ч' => "č",
        'џ' => "dž",
        'ш' => "š",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_is_written_in_latin_letters() {
        assert_eq!(in_latin("лозинка").as_deref(), Some("lozinka"));
        assert_eq!(in_latin("љуљашка").as_deref(), Some("ljuljaška"));
        assert_eq!(in_latin("џеп").as_deref(), Some("džep"));
        assert_eq!(in_latin("outlook"), None);
    }
}
