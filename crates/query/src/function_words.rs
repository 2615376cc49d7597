//! Words that say how a query is put, not what it is about: `was tun` ("what to do"), `que
//! faire`, `wie kann ich`. A locale's word is one when its likeliest English rendering, as
//! the aligned pairs teach it, is an English function word; only English's list is written
//! here. Searched as rare words they are not: titles seldom hold them, so the title field's
//! statistics weigh them as topic words ("Postfach voll was tun" answered "Was tun, wenn ein
//! Konto gehackt wird"). They weigh [`Ranking::function_word_weight`].

use crate::ranking::Ranking;
use crate::terms::QueryTerms;

/// English function words as the English analyzer reduces them: Snowball's English stop
/// words but its negations, which say what fails ([`crate::negation`]); its verbs (`be`,
/// `have`, `do`) and phrasal particles (`up`, `out`, `off`, `by`), to which another
/// language's verbs align (`dolmuş`, "has filled"; `ausschalten`, "turn off"; `нажав`, "by
/// clicking"); and `it`, which is also IT.
pub const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "i", "me", "my", "myself", "we", "our", "ours", "ourselv", "you", "your", "yours", "yourself",
    "yourselv", "he", "him", "his", "himself", "she", "her", "hers", "herself", "itself", "they",
    "them", "their", "theirs", "themselv", "what", "which", "who", "whom", "this", "that", "these",
    "those", "a", "an", "the", "and", "but", "if", "or", "becaus", "as", "until", "while", "of",
    "at", "for", "with", "about", "against", "between", "into", "dure", "befor", "after", "abov",
    "below", "to", "from", "again", "further", "then", "onc", "here", "there", "when", "where",
    "whi", "how", "all", "ani", "both", "each", "few", "more", "most", "other", "some", "such",
    "onli", "own", "same", "so", "than", "too", "veri",
];

/// Whether a locale's word is a function word: its likeliest English rendering (`rendering`,
/// reduced, with its probability) is an English function word, at least
/// [`Ranking::function_word_share`] of the time.
pub(crate) fn is_function_word((probability, rendering): (f32, &str), ranking: &Ranking) -> bool {
    probability >= ranking.function_word_share && ENGLISH_FUNCTION_WORDS.contains(&rendering)
}

/// Weighs `word`'s terms (as typed and reduced, at every position it was typed) by `weight`,
/// or less when they weigh less already, and so the terms it relates to and its English
/// renderings.
pub(crate) fn weigh(terms: &mut QueryTerms, word: &str, weight: f32) {
    let at: Vec<usize> = (0..terms.typed.len())
        .filter(|&i| terms.typed[i] == word)
        .collect();
    for i in at {
        let (typed, reduced) = (terms.typed[i].clone(), terms.per_position[i].0.clone());
        for term in [typed, reduced] {
            match terms.weights.iter_mut().find(|(t, _)| *t == term) {
                Some((_, w)) => *w = w.min(weight),
                None => terms.weights.push((term, weight)),
            }
        }
    }
    let related = terms
        .related
        .iter_mut()
        .chain(terms.translations.iter_mut());
    for related in related.filter(|r| r.word == word) {
        related.weight *= weight;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::{Analyzer, QueryTerms};

    /// The list holds the words as the English analyzer reduces them, which is how the
    /// relations write a locale's English renderings.
    #[test]
    fn the_list_is_in_the_english_analyzers_reduced_forms() {
        let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
        let words = "ourselves because during before above once why any only very what how";
        let terms = QueryTerms::analyze(&english, words);
        for (reduced, _) in &terms.per_position {
            assert!(
                ENGLISH_FUNCTION_WORDS.contains(&reduced.as_str()),
                "{reduced}"
            );
        }
    }

    #[test]
    fn a_word_is_a_function_word_by_its_likeliest_renderings_share() {
        let ranking = Ranking::default();
        let share = ranking.function_word_share;
        assert!(is_function_word((share, "what"), &ranking));
        assert!(!is_function_word((share * 0.9, "what"), &ranking));
        // Negations, verbs' auxiliaries and particles, IT, and topic words are none.
        for rendering in ["not", "has", "off", "out", "it", "mailbox"] {
            assert!(!is_function_word((1.0, rendering), &ranking), "{rendering}");
        }
    }
}
