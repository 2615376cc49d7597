//! How much of a query a side of a locale index knows: the share of its words found in the
//! side's vocabulary. Coverage tells a query's language without a detector, weighs the
//! scores of the locales searched, and decides which are searched at all.

use std::sync::Arc;

use tantivy::InvertedIndexReader;
use tantivy::schema::Field;

use crate::plan::SideFields;
use crate::ranking::Ranking;
use crate::terms::QueryTerms;

/// What a side's vocabulary holds of one word of a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Known {
    /// The word as typed (one of its typed forms).
    pub typed: bool,
    /// The word as typed or its reduced form.
    pub reduced: bool,
}

/// What the side knows of each word, in [`QueryTerms::reduced`] order: looked up once, the
/// coverage counted again as weights and corrections change. `None` as soon as the side
/// cannot know `at_least` of the query before any correction, every word left counted as
/// known: a word known as typed counts 1, known only reduced `reduced_only_coverage`.
pub(crate) fn known_words(
    searcher: &tantivy::Searcher,
    side: &SideFields,
    terms: &QueryTerms,
    (at_least, ranking): (f32, &Ranking),
) -> Option<Vec<Known>> {
    let words = terms.reduced.len();
    let mut known = Vec::with_capacity(words);
    let mut most_known = 0.0;
    let vocabulary = Vocabulary::of(searcher, side);
    for (at, reduced) in terms.reduced.iter().enumerate() {
        let mut typed_as_reduced = false;
        let typed = terms.typed_forms(reduced).any(|typed| {
            typed_as_reduced |= typed == reduced;
            vocabulary.knows(typed)
        });
        let word = Known {
            typed,
            // A word typed as its reduced form was just looked up (most words).
            reduced: typed || (!typed_as_reduced && vocabulary.knows(reduced)),
        };
        most_known += counted(word, ranking);
        known.push(word);
        let left = (words - at - 1) as f32;
        // Before the last word, clearly under: the sum still to come rounds its own way.
        let margin = if left > 0.0 { 1e-4 } else { 0.0 };
        let most = (most_known + left) / words as f32;
        if most < at_least - margin {
            return None;
        }
    }
    (words > 0 || at_least <= 0.0).then_some(known)
}

/// Share of the query's words that the side knows: as typed, a word counts fully; known only
/// in its reduced form, [`Ranking::reduced_only_coverage`] (a Russian word typed exactly
/// tells Russian from Ukrainian, whose truncated forms match it too); corrected, as much as
/// its best correction weighs. Known only in its reduced form *and* corrected, the two count
/// as independent evidence (1 − (1 − r)(1 − c)): a truncated prefix is shared by neighbouring
/// languages (Polish and Czech `konfig…`), a word one or two edits away is the side's own. An
/// English word left in a locale's text counts as much as it weighs there.
pub(crate) fn coverage(terms: &QueryTerms, known: &[Known], ranking: &Ranking) -> f32 {
    let sum: f32 = terms
        .reduced
        .iter()
        .zip(known)
        .map(|(reduced, known)| {
            let weight = terms.weight(reduced);
            if known.typed {
                return weight;
            }
            let by_reduced = if known.reduced {
                ranking.reduced_only_coverage * weight
            } else {
                0.0
            };
            let corrected = terms.correction_weight(reduced).unwrap_or(0.0);
            by_reduced + (1.0 - by_reduced) * corrected
        })
        .sum();
    sum / terms.reduced.len().max(1) as f32
}

/// The most [`coverage`] can be, whatever the words weigh and before any correction: what
/// the side knows of them, each word counted at most 1 ([`known_words`] stops early by it).
#[cfg(test)]
fn most(known: &[Known], ranking: &Ranking) -> f32 {
    let sum: f32 = known.iter().map(|k| counted(*k, ranking)).sum();
    sum / known.len().max(1) as f32
}

/// What a word counts toward [`most`].
fn counted(known: Known, ranking: &Ranking) -> f32 {
    match (known.typed, known.reduced) {
        (true, _) => 1.0,
        (false, true) => ranking.reduced_only_coverage,
        _ => 0.0,
    }
}

/// The term dictionaries of some fields in every segment, taken once for a run of lookups
/// (tantivy hands each out behind a lock and a reference count, which a query's hundred
/// lookups would otherwise take each time, on every thread).
pub(crate) struct Vocabulary(Vec<Arc<InvertedIndexReader>>);

impl Vocabulary {
    /// A side's vocabulary: its body's and its title's.
    pub fn of(searcher: &tantivy::Searcher, side: &SideFields) -> Vocabulary {
        Vocabulary::of_fields(searcher, &[side.body, side.title])
    }

    pub fn of_fields(searcher: &tantivy::Searcher, fields: &[Field]) -> Vocabulary {
        let dictionaries = fields
            .iter()
            .flat_map(|field| {
                searcher
                    .segment_readers()
                    .iter()
                    .filter_map(|segment| segment.inverted_index(*field).ok())
            })
            .collect();
        Vocabulary(dictionaries)
    }

    /// Whether a field holds `term`: a dictionary lookup alone, its statistics not decoded (a
    /// term is in a dictionary only if some document held it).
    pub fn knows(&self, term: &str) -> bool {
        self.0
            .iter()
            .any(|inverted| matches!(inverted.terms().term_ord(term), Ok(Some(_))))
    }

    /// The documents holding `term`, summed over the dictionaries: of one field, its document
    /// frequency.
    pub fn doc_freq(&self, term: &str) -> u64 {
        self.0
            .iter()
            .filter_map(|inverted| inverted.terms().get(term).ok().flatten())
            .map(|info| u64::from(info.doc_freq))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::Analyzer;
    use proptest::prelude::*;

    #[test]
    fn a_reduced_form_and_a_correction_count_more_than_either() {
        let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
        let mut terms = QueryTerms::analyze(&english, "konfiguroawnie");
        let known = [Known {
            typed: false,
            reduced: true,
        }];
        let ranking = Ranking::default();
        let by_reduced = coverage(&terms, &known, &ranking);
        assert_eq!(by_reduced, ranking.reduced_only_coverage);
        let correction = ranking.typo_weight * ranking.typo_weight;
        terms.corrections.push(crate::terms::Correction {
            typed: terms.typed[0].clone(),
            reduced: terms.reduced[0].clone(),
            reduced_known: true,
            kind: crate::terms::CorrectionKind::Spelling,
            terms: vec![("konfigurowanie".into(), correction)],
        });
        let both = coverage(&terms, &known, &ranking);
        assert!(
            both > by_reduced && both > correction && both < 1.0,
            "{both}"
        );
    }

    /// The sample article's English side, indexed, as a side to look words up in.
    fn english_side() -> &'static (tantivy::Searcher, locsearch_index::schema::Fields, Analyzer) {
        static SIDE: std::sync::OnceLock<(
            tantivy::Searcher,
            locsearch_index::schema::Fields,
            Analyzer,
        )> = std::sync::OnceLock::new();
        SIDE.get_or_init(|| {
            let article = crate::collect::tests::sample_article();
            let (index, fields) = crate::collect::tests::index_of_all(&[article], None);
            let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
            (index.reader().unwrap().searcher(), fields, english)
        })
    }

    proptest! {
        /// Stopping early changes no answer: a side that can know `at_least` of the query
        /// learns what it knows of every word, and only a side that cannot learns nothing.
        #[test]
        fn known_words_stop_only_under_the_bar(
            words in proptest::collection::vec(
                "(reset|resetting|password|buttons|greyed|sharepoint|printer|teams|sign|zatemnjen)",
                1..7,
            ),
            at_least in 0.0f32..=1.0,
        ) {
            let (searcher, fields, english) = english_side();
            let side = SideFields {
                name: "source",
                body: fields.source,
                title: fields.source_title,
                analyzer: english,
                synonyms: None,
                related: None,
                homophones: None,
                loanwords: None,
            };
            let terms = QueryTerms::analyze(english, &words.join(" "));
            let ranking = Ranking::default();
            let every = known_words(searcher, &side, &terms, (0.0, &ranking)).unwrap();
            let stopped = known_words(searcher, &side, &terms, (at_least, &ranking));
            if most(&every, &ranking) < at_least {
                prop_assert_eq!(stopped, None);
            } else {
                prop_assert_eq!(stopped, Some(every));
            }
        }

        /// A side under the bar [`most`] sets is never weighed further: whatever its words
        /// weigh, its coverage never exceeds it.
        #[test]
        fn coverage_never_exceeds_its_most(
            words in proptest::collection::vec("(reset|button|greyed|passwords|outlook|sign|users)", 1..6),
            known in proptest::collection::vec((any::<bool>(), any::<bool>()), 6),
            weights in proptest::collection::vec(0.0f32..=1.0, 6),
        ) {
            let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
            let mut terms = QueryTerms::analyze(&english, &words.join(" "));
            let known: Vec<Known> = known
                .iter()
                .take(terms.reduced.len())
                .map(|&(typed, reduced)| Known { typed, reduced: typed || reduced })
                .collect();
            terms.weights = terms.all.iter().cloned().zip(weights).collect();
            let ranking = Ranking::default();
            prop_assert!(coverage(&terms, &known, &ranking) <= most(&known, &ranking) + 1e-6);
        }
    }
}
