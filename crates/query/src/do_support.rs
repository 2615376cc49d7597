//! English do-support: the `do`, `does` or `did` that English puts before a negation ("the
//! printer does not print") or after a question word ("how do I recall an email") carries no
//! meaning of its own; the languages of the aligned pairs say the same without it ("der
//! Drucker druckt nicht"). Searched as a word it is one, and titles holding it beside `not`
//! ("Microsoft account does not exist", "License reservation does not show") answered every
//! English "X does not Y" ahead of the articles about X. A query drops it on every side
//! searched (a localized text's English words are English too, and what makes the word an
//! auxiliary, the `not` or `how` beside it, is English); the index keeps it, and the words
//! around it keep their positions, so a pasted sentence still meets its own text in order.

/// The auxiliary, typed in full: dropped before [`NEGATION`] or after a [`QUESTION_WORDS`].
const AUXILIARIES: [&str; 3] = ["do", "does", "did"];
/// The auxiliary as the word analyzer cuts a contraction (`doesn't` → `doesn` `t`): dropped
/// before the `t`, which stands for the negation.
const CONTRACTED: [&str; 3] = ["don", "doesn", "didn"];
const NEGATION: &str = "not";
const CONTRACTED_NEGATION: &str = "t";
const QUESTION_WORDS: [&str; 7] = ["how", "why", "what", "where", "when", "which", "who"];

/// Removes from a query's tokens (term, position; several terms may share a
/// position) the positions of its do-support auxiliaries, and returns them as typed.
pub(crate) fn drop_do_support(tokens: &mut Vec<(String, usize)>) -> Vec<String> {
    let at = |position: usize| tokens.iter().filter(move |(_, p)| *p == position);
    let holds = |position: usize, word: &str| at(position).any(|(t, _)| t == word);
    let auxiliary = |(term, position): &(String, usize)| {
        let (term, position) = (term.as_str(), *position);
        let negated = AUXILIARIES.contains(&term) && holds(position + 1, NEGATION)
            || CONTRACTED.contains(&term) && holds(position + 1, CONTRACTED_NEGATION);
        let asked = AUXILIARIES.contains(&term)
            && position
                .checked_sub(1)
                .is_some_and(|before| QUESTION_WORDS.iter().any(|w| holds(before, w)));
        (negated || asked).then_some(position)
    };
    // The negation or question word it leans on stays: a query never loses every word.
    let dropped: Vec<usize> = tokens.iter().filter_map(auxiliary).collect();
    // The first token at a position is the word as typed.
    let mut typed: Vec<String> = Vec::new();
    let mut last = None;
    for (term, position) in tokens.iter() {
        if dropped.contains(position) && last != Some(*position) {
            typed.push(term.clone());
        }
        last = Some(*position);
    }
    tokens.retain(|(_, p)| !dropped.contains(p));
    typed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::Analyzer;
    use proptest::prelude::*;

    fn english(text: &str) -> Vec<(String, usize)> {
        let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
        let mut tokens = english.tokens(text);
        let dropped = drop_do_support(&mut tokens);
        assert!(dropped.iter().all(|d| !tokens.iter().any(|(t, _)| t == d)));
        tokens
    }

    fn words(tokens: &[(String, usize)]) -> Vec<(&str, usize)> {
        let mut out: Vec<(&str, usize)> = Vec::new();
        for (t, p) in tokens {
            if out.last().is_none_or(|(_, last)| last != p) {
                out.push((t, *p));
            }
        }
        out
    }

    #[test]
    fn the_dropped_auxiliaries_are_told_as_typed() {
        let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
        let mut tokens = english.tokens("Why does the printer not print? It does not");
        assert_eq!(drop_do_support(&mut tokens), ["does", "does"]);
        let mut tokens = english.tokens("what to do");
        assert!(drop_do_support(&mut tokens).is_empty());
    }

    #[test]
    fn the_auxiliary_of_a_negation_is_dropped_and_the_rest_keeps_its_positions() {
        let tokens = english("printer does not print");
        assert_eq!(
            words(&tokens),
            [("printer", 0), ("not", 2), ("print", 3)],
            "{tokens:?}"
        );
        let tokens = english("Windows doesn't start");
        assert_eq!(words(&tokens), [("windows", 0), ("t", 2), ("start", 3)]);
    }

    #[test]
    fn the_auxiliary_of_a_question_is_dropped() {
        let tokens = english("how do I recall an email");
        assert!(!tokens.iter().any(|(t, _)| t == "do"), "{tokens:?}");
        assert!(tokens.iter().any(|(t, _)| t == "recall"), "{tokens:?}");
    }

    /// `do` as a verb, and a `don` that is no contraction, are words.
    #[test]
    fn the_verb_do_is_kept() {
        for text in [
            "what to do when an account is hacked",
            "do a backup",
            "don quixote",
        ] {
            let tokens = english(text);
            assert_eq!(tokens, {
                let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
                english.tokens(text)
            });
        }
    }

    proptest! {
        /// Whatever the words, only auxiliaries' positions go, every other token stays in
        /// order, and a query never loses its last word.
        #[test]
        fn only_auxiliaries_are_dropped(
            picks in proptest::collection::vec(0usize..12, 0..10)
        ) {
            let vocabulary = [
                "do", "does", "did", "not", "don", "t", "how", "why", "printer", "print",
                "doesn", "what",
            ];
            let text: Vec<&str> = picks.iter().map(|&i| vocabulary[i]).collect();
            let before: Vec<(String, usize)> =
                text.iter().enumerate().map(|(p, w)| ((*w).to_owned(), p)).collect();
            let mut after = before.clone();
            let dropped = drop_do_support(&mut after);
            prop_assert_eq!(after.len() + dropped.len(), before.len());
            prop_assert!(before.is_empty() || !after.is_empty());
            let mut rest = before.iter();
            for token in &after {
                prop_assert!(rest.any(|b| b == token), "{after:?} not in order in {before:?}");
            }
            for token in before.iter().filter(|t| !after.contains(t)) {
                prop_assert!(
                    AUXILIARIES.contains(&token.0.as_str()) || CONTRACTED.contains(&token.0.as_str()),
                    "{} dropped from {before:?}", token.0
                );
            }
        }
    }
}
