//! Compounds: German, Dutch, the Nordic languages, Finnish and Hungarian write a new notion
//! as one word (`Abwesenheitsnotiz`). One definition of what splits into two words serves
//! the query, which searches a compound the text never uses as its parts, and the mining of
//! relations, which must not take a compound for a form of its first word.

/// Fewest characters of a part: shorter ones would split many a misspelt word into a
/// prefix and a word.
pub const MIN_PART_CHARS: usize = 4;

/// Letters that may join two parts (German `-s-`, `-es-`, `-n-`, `-en-`, `-e-`; Dutch and
/// Swedish `-s-`, `-e-`, `-en-`).
const LINKS: [&str; 5] = ["s", "es", "e", "n", "en"];

/// The two words `word` joins, both known (`known`), if it joins two: the longest known
/// first part that leaves a known second part, with or without a linking letter.
pub fn parts(word: &str, known: impl Fn(&str) -> bool) -> Option<[String; 2]> {
    let bounds: Vec<usize> = word.char_indices().map(|(at, _)| at).collect();
    if bounds.len() < 2 * MIN_PART_CHARS {
        return None;
    }
    for split in (MIN_PART_CHARS..=bounds.len() - MIN_PART_CHARS).rev() {
        let (first, second) = word.split_at(bounds[split]);
        if !known(second) {
            continue;
        }
        let unlinked = LINKS.iter().filter_map(|link| first.strip_suffix(link));
        let found = std::iter::once(first)
            .chain(unlinked)
            .filter(|f| f.chars().count() >= MIN_PART_CHARS)
            .find(|f| known(f));
        if let Some(first) = found {
            return Some([first.to_owned(), second.to_owned()]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KNOWN: [&str; 6] = [
        "abwesenheit",
        "notiz",
        "drucker",
        "problem",
        "konto",
        "benutzer",
    ];

    fn known(word: &str) -> bool {
        KNOWN.contains(&word)
    }

    #[test]
    fn a_compound_splits_into_its_known_words_across_a_link() {
        assert_eq!(
            parts("abwesenheitsnotiz", known),
            Some(["abwesenheit".into(), "notiz".into()])
        );
        assert_eq!(
            parts("druckerproblem", known),
            Some(["drucker".into(), "problem".into()])
        );
        assert_eq!(
            parts("benutzerkonto", known),
            Some(["benutzer".into(), "konto".into()])
        );
    }

    #[test]
    fn a_word_with_an_unknown_part_does_not_split() {
        assert_eq!(parts("benutzrkonto", known), None);
        assert_eq!(parts("notizen", known), None);
        assert_eq!(
            parts("kontonotiz", known),
            Some(["konto".into(), "notiz".into()])
        );
    }

    proptest! {
        /// Any word: no panic, and parts are known words that spell the word, but for a link.
        #[test]
        fn parts_are_known_words_of_the_word(word in "\\PC{0,24}") {
            if let Some([first, second]) = parts(&word, |w| w.chars().count() % 2 == 0) {
                prop_assert!(word.starts_with(&first) && word.ends_with(&second));
                let link = word.len() - first.len() - second.len();
                prop_assert!(link <= 2);
            }
        }
    }
}
