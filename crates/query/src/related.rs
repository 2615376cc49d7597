//! Relations the corpus's aligned pairs taught about a locale's words
//! ([`locsearch_relations`], mined by `locsearch index`): a query word also finds its other
//! forms the analyzer does not merge (удалить → удаление) and its likely synonyms, each
//! weighed below the word as typed ([`Ranking::form_weight`], [`Ranking::mined_synonym_weight`])
//! and never above it (each link's IDF cap),
//! and its English renderings find the locale's articles through their English source
//! ([`Ranking::translation_weight`]; löschen → delete), so an article whose localized text
//! uses other words than the user still meets them.

use std::path::Path;

use locsearch_relations::Kind;
use locsearch_relations::file::Lookup;

use crate::ranking::Ranking;
use crate::terms::QueryTerms;

/// A locale's relations file, or the English paraphrases, read once and looked up by the
/// query's words.
#[derive(Debug)]
pub(crate) struct RelatedTable {
    lookup: Lookup,
    /// The English paraphrases: keyed by reduced forms, and only their links count.
    english: bool,
}

impl RelatedTable {
    /// The locale's relations; `None` when its file is missing, unreadable or of another
    /// version (`locsearch index` mines it again).
    pub fn open(dir: &Path, locale: &str) -> Option<RelatedTable> {
        Some(RelatedTable {
            lookup: Lookup::open(&locsearch_index::relations::path(dir, locale))?,
            english: false,
        })
    }

    /// The English paraphrases; `None` when their file is missing, unreadable or of another
    /// version.
    pub fn open_english(dir: &Path) -> Option<RelatedTable> {
        Some(RelatedTable {
            lookup: Lookup::open(&locsearch_index::relations::english_path(dir))?,
            english: true,
        })
    }

    /// The terms the relations add to the query's words (and to the words they were
    /// corrected to, weighing as much as the correction), and their English renderings: one
    /// lookup per word.
    pub fn relate(&self, terms: &mut QueryTerms, ranking: &Ranking) {
        let (mut related, mut translations) = (Vec::new(), Vec::new());
        let mut negated = false;
        // English paraphrases link reduced forms.
        let words = if self.english {
            terms.reduced_and_corrected()
        } else {
            terms.typed_and_corrected()
        };
        let mut function_words = Vec::new();
        for (word, factor) in words {
            // The likeliest English rendering of a word as typed (English's own words have
            // none: the English side weighs every word as it is).
            let mut likeliest: Option<(f32, String)> = None;
            for link in self.lookup.links(&word) {
                if link.kind == Kind::English
                    && factor == 1.0
                    && likeliest
                        .as_ref()
                        .is_none_or(|(p, _)| link.probability > *p)
                {
                    likeliest = Some((link.probability, link.term.clone()));
                }
                let kind_weight = match link.kind {
                    Kind::Paraphrase if self.english => ranking.paraphrase_weight,
                    Kind::Paraphrase => continue,
                    Kind::Negation => {
                        negated = true;
                        continue;
                    }
                    _ if self.english => continue,
                    Kind::Form => ranking.form_weight,
                    Kind::Synonym => ranking.mined_synonym_weight,
                    Kind::English => {
                        let weight = factor * link.probability * ranking.translation_weight;
                        add_rendering(&mut translations, &word, link.term, weight);
                        continue;
                    }
                };
                // Capped so that it never outweighs the word; none the query holds already.
                let weight = factor * link.cap * kind_weight;
                if weight > 0.0
                    && !terms.all.contains(&link.term)
                    && !related.iter().any(|r: &Related| r.term == link.term)
                {
                    related.push(Related {
                        word: word.clone(),
                        term: link.term,
                        kind: link.kind,
                        weight,
                    });
                }
            }
            let function_word = likeliest
                .as_ref()
                .is_some_and(|(p, t)| crate::function_words::is_function_word((*p, t), ranking));
            if function_word {
                function_words.push(word);
            }
        }
        terms.related = related;
        terms.translations = translations;
        terms.negated |= negated;
        if terms.typed.len() >= ranking.function_word_min_words {
            for word in function_words {
                crate::function_words::weigh(terms, &word, ranking.function_word_weight);
            }
        }
    }
}

/// Adds an English rendering; the likeliest weight of a term counts when several words
/// render it.
fn add_rendering(out: &mut Vec<Related>, word: &str, term: String, weight: f32) {
    match out.iter_mut().find(|r| r.term == term) {
        Some(known) => known.weight = known.weight.max(weight),
        None if weight > 0.0 => out.push(Related {
            word: word.to_owned(),
            term,
            kind: Kind::English,
            weight,
        }),
        None => {}
    }
}

/// A term a query word adds through a mined relation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Related {
    pub word: String,
    pub term: String,
    pub kind: Kind,
    pub weight: f32,
}
