//! Error codes (`0x80070005`, `30015-25`, `10061`): typed as they were read off a screen,
//! they are a value to find, not a word to respell.
//! - A code one character off is another code: a word of more digits than letters is never
//!   taken for its neighbours ([`is_code`]).
//! - Windows shows a code with its hexadecimal prefix, and users type it with or without
//!   (`error 80070005`): a code the side does not know is taken for the one it knows with
//!   the prefix added or left out ([`prefix_toggled`]).

/// Windows' prefix of a hexadecimal code.
const HEX_PREFIX: &str = "0x";

/// Fewest hexadecimal digits of a code read with its prefix added: shorter ones are counts,
/// versions and years.
const MIN_HEX_DIGITS: usize = 6;

/// Whether `word` (as analyzed: lower case) is a code rather than a word: letters and digits
/// of the ASCII range, more of them digits.
pub(crate) fn is_code(word: &str) -> bool {
    let digits = word.chars().filter(char::is_ascii_digit).count();
    word.chars().all(|c| c.is_ascii_alphanumeric()) && 2 * digits > word.chars().count()
}

/// The same code with its hexadecimal prefix added, or left out, as the other spelling of
/// `word`; `None` for a word that is no hexadecimal code.
pub(crate) fn prefix_toggled(word: &str) -> Option<String> {
    let is_hex = |digits: &str| {
        digits.len() >= MIN_HEX_DIGITS && digits.chars().all(|c| c.is_ascii_hexdigit())
    };
    match word.strip_prefix(HEX_PREFIX) {
        Some(digits) if is_hex(digits) && is_code(digits) => Some(digits.to_owned()),
        Some(_) => None,
        None => (is_hex(word) && is_code(word)).then(|| format!("{HEX_PREFIX}{word}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_are_told_from_words() {
        for code in [
            "80070005",
            "0x80070005",
            "c0000142",
            "8004de40",
            "10061",
            "x64",
        ] {
            assert!(is_code(code), "{code}");
        }
        for word in [
            "office365",
            "windows10",
            "win32",
            "outlook",
            "défaut",
            "30015-25",
        ] {
            assert!(!is_code(word), "{word}");
        }
    }

    #[test]
    fn a_hexadecimal_code_is_spelt_with_and_without_its_prefix() {
        assert_eq!(prefix_toggled("80070005").as_deref(), Some("0x80070005"));
        assert_eq!(prefix_toggled("0x80070005").as_deref(), Some("80070005"));
        assert_eq!(prefix_toggled("c0000142").as_deref(), Some("0xc0000142"));
        // Too short for a code, no digits, or not hexadecimal.
        for word in ["2016", "deadbeef", "0x12", "80070g05", "0xzz000000"] {
            assert_eq!(prefix_toggled(word), None, "{word}");
        }
    }

    proptest! {
        #[test]
        fn toggling_twice_gives_the_code_back(word in "(0x)?[0-9a-f]{0,12}") {
            if let Some(other) = prefix_toggled(&word) {
                prop_assert_ne!(&other, &word);
                prop_assert_eq!(prefix_toggled(&other), Some(word.clone()));
            }
        }
    }
}
