//! English negations typed without their apostrophe (`doesnt`, `cant`, `wont`), as people
//! type in a hurry or on a phone, are read as typed with it. The word analyzer cuts
//! `doesn't` into `doesn` and `t`, which the text holds and do-support reads
//! ([`crate::do_support`]); `doesnt` is no word of the text, and was taken for a typo of
//! `doesn` (searched as a word) and `wont` for `want` or a Dutch word. Only on English
//! sides: `dont` is a French word, `wont` a Dutch one.

use std::borrow::Cow;

/// The negations, without their apostrophe, that English text never uses as words: each
/// is its contraction with the apostrophe before its last letter.
const WITHOUT_APOSTROPHE: [&str; 15] = [
    "dont", "doesnt", "didnt", "cant", "wont", "isnt", "arent", "wasnt", "werent", "couldnt",
    "shouldnt", "wouldnt", "havent", "hasnt", "hadnt",
];

/// `text` with those negations given back their apostrophe (`doesnt` → `doesn't`), in any
/// case; the text itself when it holds none.
pub(crate) fn restored(text: &str) -> Cow<'_, str> {
    // Every negation ends in `nt`: most queries hold none, and are passed on at once.
    let ends_like_one =
        |pair: &[u8]| pair[0].eq_ignore_ascii_case(&b'n') && pair[1].eq_ignore_ascii_case(&b't');
    if !text.as_bytes().windows(2).any(ends_like_one) {
        return Cow::Borrowed(text);
    }
    let negation_at = |start: usize, end: usize| {
        let word = &text[start..end];
        WITHOUT_APOSTROPHE
            .iter()
            .any(|n| n.eq_ignore_ascii_case(word))
    };
    let mut out = String::new();
    let mut copied = 0;
    for (start, end) in words(text) {
        if negation_at(start, end) {
            let last = end - 1;
            out.push_str(&text[copied..last]);
            out.push('\'');
            copied = last;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The byte spans of the runs of letters and digits in `text`.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.find(|(_, c)| c.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            chars.next();
        }
        Some((start, end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn negations_get_their_apostrophe_back() {
        assert_eq!(restored("printer doesnt print"), "printer doesn't print");
        assert_eq!(
            restored("Outlook WONT open, cant sign in"),
            "Outlook WON'T open, can't sign in"
        );
        assert_eq!(restored("dont"), "don't");
    }

    #[test]
    fn other_words_stay_as_they_are() {
        for text in [
            "won't open",
            "constant",
            "wonton",
            "cantilever",
            "isnt2",
            "",
            "détente",
        ] {
            assert!(matches!(restored(text), Cow::Borrowed(_)), "{text}");
        }
    }

    proptest! {
        /// Only apostrophes are added, and only inside the negations of the list.
        #[test]
        fn only_apostrophes_are_added(text in "(\\PC|doesnt |cant |WONT |isnt)*") {
            let out = restored(&text);
            prop_assert_eq!(out.replace('\'', ""), text.replace('\'', ""));
            prop_assert_eq!(
                out.matches('\'').count() - text.matches('\'').count(),
                words(&text)
                    .filter(|&(s, e)| WITHOUT_APOSTROPHE.iter().any(|n| n.eq_ignore_ascii_case(&text[s..e])))
                    .count()
            );
        }
    }
}
