//! Words that say something does not work, in each locale's own words: a support engineer's
//! "la stampante non stampa", "nie mogę zmienić zdjęcia", "同期しない" asks for the article
//! about what fails, not the one about doing it. Every article's English title tells which
//! articles those are (`Can't record Teams meeting`, `Printer not printing`), and its
//! localized title, beside it, tells how the locale says so: a word most of whose titles
//! render an English negation is one of the locale's negations (`non`, `nie`, `не`, `無法`,
//! `ない`). No list per language: only English's, the source side's, is written here.

use std::collections::BTreeSet;

use locsearch_analysis::analyze;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::TextAnalyzer;

use crate::{Kind, Link, Mining};

/// English negations as the English analyzer's tokens: `t` is what it keeps of `n't`
/// (`can't`, `doesn't`, `won't`).
pub const ENGLISH_NEGATIONS: &[&str] = &["not", "t", "cannot", "unable", "never"];

/// What a negation link relates its word to, for people reading the relations file.
const RELATED: &str = "not";

/// Whether an English text, as the English analyzer's tokens, says something does not work.
pub fn says_not<'a>(english_tokens: impl IntoIterator<Item = &'a str>) -> bool {
    english_tokens
        .into_iter()
        .any(|t| ENGLISH_NEGATIONS.contains(&t))
}

/// The locale's negations, learned from its articles' titles, (localized, English): every
/// token of the localized titles held by at least [`Mining::min_negation_titles`] titles, at
/// least [`Mining::min_negation_share`] of which have an English title that says not. Each is
/// a [`Kind::Negation`] link from the token to "not", with that share as its probability.
pub fn mine(
    target_analyzer: &TextAnalyzer,
    english_analyzer: &TextAnalyzer,
    titles: impl IntoIterator<Item = (String, String)>,
    mining: &Mining,
) -> Vec<Link> {
    let (mut target, mut english) = (target_analyzer.clone(), english_analyzer.clone());
    // Per token: titles holding it, and of those, titles whose English says not.
    let mut counts: FxHashMap<String, (u32, u32)> = FxHashMap::default();
    for (title, english_title) in titles {
        let negated = says_not(
            analyze(&mut english, &english_title)
                .iter()
                .map(|t| &t.text[..]),
        );
        let tokens: BTreeSet<String> = analyze(&mut target, &title)
            .into_iter()
            .map(|t| t.text)
            .collect();
        for token in tokens {
            let count = counts.entry(token).or_default();
            count.0 += 1;
            count.1 += u32::from(negated);
        }
    }
    counts
        .into_iter()
        .filter_map(|(token, (held, negated))| {
            let share = negated as f32 / held as f32;
            (held >= mining.min_negation_titles && share >= mining.min_negation_share).then(|| {
                Link {
                    kind: Kind::Negation,
                    word: token.clone(),
                    related: RELATED.to_owned(),
                    term: token,
                    probability: share,
                    cap: 1.0,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer(locale: &str) -> TextAnalyzer {
        let name = match locale {
            "en" => locsearch_analysis::english().name,
            _ => locsearch_analysis::resolve(locale).info.name,
        };
        locsearch_analysis::analyzer(name).expect("registered")
    }

    fn titles(pairs: &[(&str, &str)], times: usize) -> Vec<(String, String)> {
        let one: Vec<(String, String)> = pairs
            .iter()
            .map(|(t, e)| (t.to_string(), e.to_string()))
            .collect();
        one.iter()
            .cycle()
            .take(one.len() * times)
            .cloned()
            .collect()
    }

    #[test]
    fn english_says_not_through_its_contractions() {
        let mut english = analyzer("en");
        for (text, negated) in [
            ("Can't record Teams meeting", true),
            ("Printer not printing", true),
            ("Unable to sign in", true),
            ("Record a Teams meeting", false),
            ("Troubleshoot your printer", false),
        ] {
            let tokens = analyze(&mut english, text);
            assert_eq!(
                says_not(tokens.iter().map(|t| &t.text[..])),
                negated,
                "{text}"
            );
        }
    }

    #[test]
    fn a_word_of_the_titles_that_say_not_is_a_negation() {
        let pairs = [
            ("La stampante non stampa", "Printer not printing"),
            (
                "Non è possibile registrare la riunione",
                "Can't record the meeting",
            ),
            ("Outlook non si avvia", "Outlook won't start"),
            ("Registrare una riunione", "Record a meeting"),
            ("Configurare la stampante", "Set up your printer"),
            ("Avviare Outlook", "Start Outlook"),
        ];
        let mining = Mining::default();
        let links = mine(
            &analyzer("it-IT"),
            &analyzer("en"),
            titles(&pairs, mining.min_negation_titles as usize),
            &mining,
        );
        let words: BTreeSet<&str> = links.iter().map(|l| l.word.as_str()).collect();
        assert!(words.contains("non"), "{words:?}");
        // Held by titles that say not and by titles that do not.
        for shared in ["stampante", "riunione", "outlook"] {
            assert!(!words.contains(shared), "{shared} in {words:?}");
        }
        assert!(links.iter().all(|l| l.kind == Kind::Negation));
    }

    #[test]
    fn a_word_too_few_titles_hold_is_no_negation() {
        let pairs = [("La stampante non stampa", "Printer not printing")];
        let mining = Mining::default();
        let few = mining.min_negation_titles as usize - 1;
        let links = mine(
            &analyzer("it-IT"),
            &analyzer("en"),
            titles(&pairs, few),
            &mining,
        );
        assert!(links.is_empty(), "{links:?}");
    }
}
