//! English words left in a locale's text: a product's untranslated UI strings, command names,
//! whole untranslated segments. An English query meets them on the target side, where they
//! are rare and so weigh far more than the same words in the locale's English source — "Teams
//! allow or disable IP video", left untranslated in sl-SI, would answer "disable password
//! expiration" ahead of the article about passwords that never expire. A query word the
//! target side holds as written in English counts there no more than it counts in the English
//! source: its target terms weigh the ratio of the two IDFs, at most 1.

use tantivy::schema::Field;

use crate::coverage::{Known, Vocabulary};
use crate::terms::QueryTerms;

/// Weighs down, in `target` (the query as the target body's analyzer sees it), the words
/// typed as `english` (the query as the English analyzer sees it) types them, by the ratio of
/// their IDF in the source body to their IDF in the target body. A word the target side does
/// not know (`known`, in `target.reduced` order) matches nothing there: its weight is moot.
pub(crate) fn weigh_english_words(
    searcher: &tantivy::Searcher,
    (target_body, target, known): (Field, &mut QueryTerms, &[Known]),
    (source_body, english): (Field, &QueryTerms),
) {
    let documents = searcher.num_docs();
    let in_target_body = Vocabulary::of_fields(searcher, &[target_body]);
    let in_source_body = Vocabulary::of_fields(searcher, &[source_body]);
    let idf = |vocabulary: &Vocabulary, term: &str| {
        crate::postings::idf(vocabulary.doc_freq(term), documents)
    };
    let source_words = english.typed.iter().zip(&english.per_position);
    for (typed, (reduced_english, position)) in source_words {
        let Some(at) = target.per_position.iter().position(|(_, p)| p == position) else {
            continue;
        };
        if target.typed[at] != *typed {
            continue;
        }
        let reduced = target.per_position[at].0.clone();
        let word = target.reduced.iter().position(|r| *r == reduced);
        if word.is_some_and(|w| known.get(w).is_some_and(|k| !k.reduced)) {
            continue;
        }
        let in_target = idf(&in_target_body, &reduced);
        let weight = (idf(&in_source_body, reduced_english) / in_target).min(1.0);
        if weight < 1.0 {
            for term in [typed.clone(), reduced] {
                if !target.weights.iter().any(|(t, _)| *t == term) {
                    target.weights.push((term, weight));
                }
            }
        }
    }
}
