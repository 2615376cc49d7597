//! The character n-grams of a text: the one definition that learning a profile and guessing
//! a query's language share.
//!
//! A word is a run of letters (and the marks that follow them), lowered; accents are kept.
//! Left out, they made the true locale of the development queries less often likely. A
//! query typed without any is read against profiles folded the same way
//! ([`Profile::folded`](crate::Profile::folded)): read with accents, Czech `povoleni` is
//! Slovak (`povolenie`), since Czech writes `povolení`. Each word yields the
//! n-grams of one to [`MAX_N`] characters of itself between two word edges: ` ab `
//! gives `a`, `b`, ` a`, `ab`, `b `, ` ab` and `ab `. Digits, punctuation and symbols say
//! nothing about a language and only separate words.

use unicode_normalization::char::is_combining_mark;

/// The longest n-gram, in characters.
pub const MAX_N: usize = 3;

/// What stands for a word's start or end in an n-gram.
const EDGE: char = ' ';

/// Bits per character in a packed [`Gram`]: enough for every code point.
const CHAR_BITS: u32 = 21;
const CHAR_MASK: u64 = (1 << CHAR_BITS) - 1;

/// An n-gram of one to [`MAX_N`] characters, packed in one number: each character's code
/// point in [`CHAR_BITS`] bits, the last in the lowest. No character is code point 0, so
/// n-grams of different lengths never pack alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gram(pub u64);

impl Gram {
    /// The characters of the n-gram, a word edge as a space.
    pub fn text(self) -> String {
        let mut chars = Vec::with_capacity(MAX_N);
        self.push_chars(&mut chars);
        chars.iter().collect()
    }

    /// Appends the characters of the n-gram to `out`, in order.
    pub(crate) fn push_chars(self, out: &mut Vec<char>) {
        let start = out.len();
        let mut packed = self.0;
        while packed != 0 {
            out.push(char::from_u32((packed & CHAR_MASK) as u32).unwrap_or(EDGE));
            packed >>= CHAR_BITS;
        }
        out[start..].reverse();
    }

    /// Whether every character is ASCII: nothing to fold.
    pub fn is_ascii(self) -> bool {
        let mut packed = self.0;
        while packed != 0 {
            if packed & CHAR_MASK >= 0x80 {
                return false;
            }
            packed >>= CHAR_BITS;
        }
        true
    }

    /// The n-gram of `text`'s characters, if it is one: one to [`MAX_N`] characters.
    pub fn from_text(text: &str) -> Option<Gram> {
        let chars: Vec<char> = text.chars().collect();
        Gram::from_chars(&chars)
    }

    /// The n-gram of `chars`, if they are one: one to [`MAX_N`] characters.
    pub(crate) fn from_chars(chars: &[char]) -> Option<Gram> {
        (1..=MAX_N).contains(&chars.len()).then(|| Gram::of(chars))
    }

    fn of(chars: &[char]) -> Gram {
        Gram(
            chars
                .iter()
                .fold(0u64, |packed, c| (packed << CHAR_BITS) | *c as u64),
        )
    }
}

/// Calls `each` with every n-gram of `text`, in order.
pub fn grams(text: &str, mut each: impl FnMut(Gram)) {
    pieces(text, |piece| {
        if let Piece::Gram(gram) = piece {
            each(gram)
        }
    })
}

/// What [`pieces`] reads a text as.
pub(crate) enum Piece {
    Gram(Gram),
    /// After the last n-gram of a word.
    WordEnd,
}

/// Calls `each` with every n-gram of `text` and after each word, in order.
pub(crate) fn pieces(text: &str, mut each: impl FnMut(Piece)) {
    let mut word = Word {
        window: [EDGE; MAX_N],
        len: 0,
    };
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphabetic() || (in_word && is_combining_mark(c)) {
            if !in_word {
                word.len = 0;
                word.push(EDGE, &mut each);
                in_word = true;
            }
            for lower in c.to_lowercase() {
                word.push(lower, &mut each);
            }
        } else if in_word {
            word.push(EDGE, &mut each);
            each(Piece::WordEnd);
            in_word = false;
        }
    }
    if in_word {
        word.push(EDGE, &mut each);
        each(Piece::WordEnd);
    }
}

/// The last characters of the word being read, its start edge included: the n-grams that
/// end at the next one.
struct Word {
    window: [char; MAX_N],
    len: usize,
}

impl Word {
    fn push(&mut self, c: char, each: &mut impl FnMut(Piece)) {
        if self.len == MAX_N {
            self.window.rotate_left(1);
            self.len -= 1;
        }
        self.window[self.len] = c;
        self.len += 1;
        for n in 1..=self.len {
            let gram = &self.window[self.len - n..self.len];
            if gram != [EDGE] {
                each(Piece::Gram(Gram::of(gram)));
            }
        }
    }
}
