//! Words that say something does not work, in each locale's own words: a support engineer's
//! "la stampante non stampa", "nie mogę zmienić zdjęcia", "印表機無法列印" asks for the article
//! about what fails, not the one about doing it. Every article's English title tells which
//! articles those are (`Can't record Teams meeting`, `Printer not printing`), and its
//! localized title, beside it, tells how the locale says so: a word most of whose titles
//! render an English negation is one of the locale's negations (`non`, `nie`, `не`, `无法`).
//! No list per language: only English's, the source side's, is written here. A language
//! whose analyzer drops its negation learns none.

use std::collections::BTreeSet;

use locsearch_analysis::analyze;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::TextAnalyzer;

use crate::words::Corpus;
use crate::{Kind, Link, Mining};

/// English negations as the English analyzer's tokens: `t` is what it keeps of `n't`
/// (`can't`, `doesn't`, `won't`). `missing` says a thing is not where it should be, and many
/// languages title it so: Japanese `見つからない` ("is not found") renders `Dial pad missing`.
pub const ENGLISH_NEGATIONS: &[&str] = &["not", "t", "cannot", "unable", "never", "missing"];

/// What a negation link relates its word to, for people reading the relations file.
const RELATED: &str = "not";

/// Whether an English text, as the English analyzer's tokens, says something does not work.
pub fn says_not<'a>(english_tokens: impl IntoIterator<Item = &'a str>) -> bool {
    english_tokens
        .into_iter()
        .any(|t| ENGLISH_NEGATIONS.contains(&t))
}

/// [`says_not`] of a short English text (a title) without its analysis: the negations are
/// words the analyzer leaves as they are but for their case, and `t` the word after an
/// apostrophe.
pub fn text_says_not(english: &str) -> bool {
    english
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| ENGLISH_NEGATIONS.iter().any(|n| w.eq_ignore_ascii_case(n)))
}

/// The locale's negations, learned from its articles' titles, (localized, English): a token
/// of the localized titles is one when at least [`Mining::min_negation_titles`] titles hold
/// it, at least [`Mining::min_negation_share`] of which have an English title that says not.
/// Taken likeliest first, each counted only over the titles no negation taken before holds:
/// a word that keeps a negation company (`dapat` of `tidak dapat`, "cannot"; `können` of
/// `können keine`) says "can" on its own, and is none. Nor is one whose aligned pairs'
/// English says not in under [`Mining::min_negation_text_share`] of them ([`text_share`]).
/// Each is a [`Kind::Negation`] link from the token to "not", with its share as its
/// probability.
pub(crate) fn mine(
    target_analyzer: &TextAnalyzer,
    english_analyzer: &TextAnalyzer,
    titles: impl IntoIterator<Item = (String, String)>,
    corpus: &Corpus,
    mining: &Mining,
) -> Vec<Link> {
    let (mut target, mut english) = (target_analyzer.clone(), english_analyzer.clone());
    let titles: Vec<(BTreeSet<String>, bool)> = titles
        .into_iter()
        .map(|(title, english_title)| {
            // The words as written, which a query's words are looked up by: the first token
            // at each position, before the reduced form the analyzer adds there.
            let mut tokens = analyze(&mut target, &title);
            tokens.dedup_by_key(|t| t.position);
            let tokens = tokens.into_iter().map(|t| t.text);
            let english_tokens = analyze(&mut english, &english_title);
            (
                tokens.collect(),
                says_not(english_tokens.iter().map(|t| &t.text[..])),
            )
        })
        .collect();
    let negations = english_negations(&mut english, corpus);
    let mut covered = vec![false; titles.len()];
    let mut refused: Vec<String> = Vec::new();
    let mut links = Vec::new();
    while let Some((token, share)) = likeliest(&titles, (&covered, &refused), mining) {
        if text_share(&token, &negations, corpus)
            .is_some_and(|s| s < mining.min_negation_text_share)
        {
            refused.push(token);
            continue;
        }
        for (i, (tokens, _)) in titles.iter().enumerate() {
            covered[i] |= tokens.contains(&token);
        }
        links.push(Link {
            kind: Kind::Negation,
            word: token.clone(),
            related: RELATED.to_owned(),
            term: token,
            probability: share,
            cap: 1.0,
        });
    }
    links
}

/// The ids of [`ENGLISH_NEGATIONS`] among the pairs' English words, which are reduced forms
/// (`unabl`).
fn english_negations(english_analyzer: &mut TextAnalyzer, corpus: &Corpus) -> Vec<u32> {
    ENGLISH_NEGATIONS
        .iter()
        .filter_map(|n| analyze(english_analyzer, n).pop())
        .filter_map(|reduced| corpus.english.id_of(&reduced.text))
        .collect()
}

/// Of the aligned pairs whose target holds `token` as written, the share whose English holds
/// one of `negations`; `None` when none does (or the analyzer writes it otherwise than the
/// text: `无法` of `無法`). A word that titles say not with but the text does not (Japanese
/// `できる` of `できない`, whose `ない` the analyzer drops; Spanish `puede` of `no se
/// puede`) is "can".
fn text_share(token: &str, negations: &[u32], corpus: &Corpus) -> Option<f32> {
    let id = corpus.target.id_of(token)?;
    let (mut held, mut negated) = (0u32, 0u32);
    for (target, english) in &corpus.pairs {
        if target.contains(&id) {
            held += 1;
            negated += u32::from(english.iter().any(|e| negations.contains(e)));
        }
    }
    (held > 0).then(|| negated as f32 / held as f32)
}

/// Over the titles not `covered`, the token held by the most titles that say not, of those
/// not `refused` that pass the thresholds (of two as many, the one of the larger share; then
/// the first in order, for the same links from the same titles), and its share.
fn likeliest(
    titles: &[(BTreeSet<String>, bool)],
    (covered, refused): (&[bool], &[String]),
    mining: &Mining,
) -> Option<(String, f32)> {
    // Per token: titles holding it, and of those, titles whose English says not.
    let mut counts: FxHashMap<&str, (u32, u32)> = FxHashMap::default();
    for ((tokens, negated), _) in titles.iter().zip(covered).filter(|(_, c)| !**c) {
        for token in tokens {
            let count = counts.entry(token).or_default();
            count.0 += 1;
            count.1 += u32::from(*negated);
        }
    }
    counts
        .into_iter()
        .filter(|&(token, (held, negated))| {
            !refused.iter().any(|r| r == token)
                && held >= mining.min_negation_titles
                && negated as f32 >= mining.min_negation_share * held as f32
        })
        .map(|(token, (held, negated))| (token, negated, negated as f32 / held as f32))
        .max_by(|a, b| (a.1.cmp(&b.1)).then(a.2.total_cmp(&b.2)).then(b.0.cmp(a.0)))
        .map(|(token, _, share)| (token.to_owned(), share))
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

    fn no_pairs() -> Corpus {
        Corpus::new(&analyzer("it-IT"), &analyzer("en"), Vec::new())
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

    /// The words `mine` takes for negations in `locale`, from each of `pairs` (title, English
    /// title) repeated `times`, with `corpus` as the aligned text.
    fn negations(
        locale: &str,
        pairs: &[(&str, &str)],
        times: usize,
        corpus: &Corpus,
    ) -> Vec<String> {
        let links = mine(
            &analyzer(locale),
            &analyzer("en"),
            titles(pairs, times),
            corpus,
            &Mining::default(),
        );
        assert!(links.iter().all(|l| l.kind == Kind::Negation));
        links.into_iter().map(|l| l.word).collect()
    }

    /// The words `mine` takes for negations in `locale` from titles alone, each of `pairs`
    /// held by just enough titles.
    fn title_negations(locale: &str, pairs: &[(&str, &str)]) -> Vec<String> {
        let times = Mining::default().min_negation_titles as usize;
        negations(locale, pairs, times, &no_pairs())
    }

    #[test]
    fn english_says_not_through_its_contractions() {
        let mut english = analyzer("en");
        for (text, negated) in [
            ("Can't record Teams meeting", true),
            ("Can’t record Teams meeting", true),
            ("Printer NOT printing", true),
            ("Unable to sign in", true),
            ("Dial pad missing from Teams", true),
            ("Find missing files", true),
            ("He misses the meeting", false),
            ("Record a Teams meeting", false),
            ("Nothing to fix: another printer", false),
        ] {
            let tokens = analyze(&mut english, text);
            let analyzed = says_not(tokens.iter().map(|t| &t.text[..]));
            assert_eq!(analyzed, negated, "{text}");
            assert_eq!(text_says_not(text), analyzed, "{text}");
        }
    }

    proptest::proptest! {
        /// A title's words tell what its analysis tells, whatever their case and punctuation.
        #[test]
        fn a_title_says_not_as_its_analysis_does(
            words in proptest::collection::vec(
                "(can't|CAN’T|not|Not|t|cannot|unable|never|Missing|miss|misses|nothing|note|knot|printer|teams)",
                0..6,
            ),
            separators in proptest::collection::vec("[ ,.:;!?()/-]{1,2}", 6),
        ) {
            let text: String = words
                .iter()
                .zip(&separators)
                .map(|(w, s)| format!("{w}{s}"))
                .collect();
            let mut english = analyzer("en");
            let tokens = analyze(&mut english, &text);
            proptest::prop_assert_eq!(
                text_says_not(&text),
                says_not(tokens.iter().map(|t| &t.text[..])),
                "{}", text
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
        let words = title_negations("it-IT", &pairs);
        let words: BTreeSet<&str> = words.iter().map(String::as_str).collect();
        assert!(words.contains("non"), "{words:?}");
        // Held by titles that say not and by titles that do not.
        for shared in ["stampante", "riunione", "outlook"] {
            assert!(!words.contains(shared), "{shared} in {words:?}");
        }
    }

    #[test]
    fn a_word_of_the_titles_that_say_missing_is_a_negation() {
        let pairs = [
            ("Filer saknas i OneDrive", "Files missing in OneDrive"),
            ("Kontakter saknas", "Missing contacts"),
            ("Skrivaren skriver inte ut", "Printer not printing"),
            ("Synkronisera filer i OneDrive", "Sync files in OneDrive"),
            ("Lägg till kontakter", "Add contacts"),
        ];
        let words = title_negations("sv-SE", &pairs);
        let words: BTreeSet<&str> = words.iter().map(String::as_str).collect();
        assert_eq!(words, BTreeSet::from(["inte", "saknas"]));
    }

    #[test]
    fn a_word_that_only_keeps_a_negation_company_is_none() {
        // `dapat` is "can": most titles that hold it say "cannot" (`tidak dapat`), which
        // `tidak` already tells.
        let pairs = [
            ("Printer tidak dapat mencetak", "Printer can't print"),
            ("Outlook tidak dapat dibuka", "Outlook cannot open"),
            ("Teams tidak dapat merekam", "Teams is unable to record"),
            ("Anda dapat mencetak dokumen", "You can print a document"),
            ("Membuka Outlook", "Open Outlook"),
        ];
        let words = title_negations("id-ID", &pairs);
        assert_eq!(words, ["tidak"]);
    }

    #[test]
    fn a_negation_is_the_word_as_written_which_queries_are_looked_up_by() {
        let pairs = [
            ("Printeren udskriver ikke", "Printer doesn't print"),
            ("Outlook starter ikke", "Outlook won't start"),
            ("Udskriv et dokument", "Print a document"),
        ];
        let words = title_negations("da-DK", &pairs);
        assert_eq!(words, ["ikke"], "not its reduced form");
    }

    #[test]
    fn a_word_the_titles_say_not_with_but_the_text_does_not_is_none() {
        // Titles that say not with "can" beside the negation (Spanish `puede`, Korean `수`):
        // held by the titles that say not, yet the text says "can" with it.
        let pairs = [
            ("Puede fallar la impresora", "The printer can't print"),
            ("Puede cerrarse Outlook", "Outlook won't start"),
            ("Imprimir un documento", "Print a document"),
        ];
        let mining = Mining::default();
        let learn = |corpus: &Corpus| {
            negations("es-ES", &pairs, mining.min_negation_titles as usize, corpus)
        };
        assert!(learn(&no_pairs()).contains(&"puede".to_owned()));
        let text: Vec<(String, String)> = (0..20)
            .map(|i| {
                (
                    format!("Puede imprimir el documento {i}."),
                    format!("You can print document {i}."),
                )
            })
            .collect();
        let corpus = Corpus::new(&analyzer("es-ES"), &analyzer("en"), text);
        assert!(
            !learn(&corpus).contains(&"puede".to_owned()),
            "the text says can"
        );
    }

    #[test]
    fn a_word_too_few_titles_hold_is_no_negation() {
        let pairs = [("La stampante non stampa", "Printer not printing")];
        let mining = Mining::default();
        let few = mining.min_negation_titles as usize - 1;
        let words = negations("it-IT", &pairs, few, &no_pairs());
        assert!(words.is_empty(), "{words:?}");
    }
}
