//! The character n-grams of a text: the one definition that learning a profile and guessing
//! a query's language share.
//!
//! A word is a run of letters; it is lowered, and its letters lose their accents, since
//! users type `loschen` for `löschen` and `zaplanowac` for `zaplanować` (the letters that do
//! not decompose, such as `ø` and `ł`, still tell the languages apart). Each word yields the
//! n-grams of one to [`MAX_N`] characters of itself between two word edges: ` ab `
//! gives `a`, `b`, ` a`, `ab`, `b `, ` ab` and `ab `. Digits, punctuation and symbols say
//! nothing about a language and only separate words.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The longest n-gram, in characters.
pub const MAX_N: usize = 3;

/// What stands for a word's start or end in an n-gram.
const EDGE: char = ' ';

/// Bits per character in a packed [`Gram`]: enough for every code point.
const CHAR_BITS: u32 = 21;

/// An n-gram of one to [`MAX_N`] characters, packed in one number: each character's code
/// point in [`CHAR_BITS`] bits, the last in the lowest. No character is code point 0, so
/// n-grams of different lengths never pack alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gram(pub u64);

impl Gram {
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
    // The word's last characters, the edge included: the n-grams ending at the next one.
    let mut window = [EDGE; MAX_N];
    let mut len = 0usize;
    let mut push = |c: char, window: &mut [char; MAX_N], len: &mut usize| {
        if *len == MAX_N {
            window.rotate_left(1);
            *len -= 1;
        }
        window[*len] = c;
        *len += 1;
        for n in 1..=*len {
            let gram = &window[*len - n..*len];
            if gram != [EDGE] {
                each(Gram::of(gram));
            }
        }
    };
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphabetic() || (in_word && is_combining_mark(c)) {
            if !in_word {
                len = 0;
                push(EDGE, &mut window, &mut len);
                in_word = true;
            }
            for lower in c.to_lowercase() {
                decompose_canonical(lower, |d| {
                    if !is_combining_mark(d) {
                        push(d, &mut window, &mut len);
                    }
                });
            }
        } else if in_word {
            push(EDGE, &mut window, &mut len);
            in_word = false;
        }
    }
    if in_word {
        push(EDGE, &mut window, &mut len);
    }
}
