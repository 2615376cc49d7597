//! Relations the corpus's aligned pairs taught about a locale's words
//! ([`locsearch_relations`], mined by `locsearch index`): a query word also finds its other
//! forms the analyzer does not merge (удалить → удаление) and its likely synonyms, each
//! weighed below the word as typed ([`Ranking::form_weight`], [`Ranking::mined_synonym_weight`]),
//! and its English renderings find the locale's articles through their English source
//! ([`Ranking::translation_weight`]; löschen → delete), so an article whose localized text
//! uses other words than the user still meets them.

use std::collections::HashMap;

use locsearch_relations::{Kind, Link};
use tantivy::Term;
use tantivy::schema::Field;

use crate::ranking::Ranking;
use crate::terms::QueryTerms;

/// A locale's relations, by the word as the analyzer emits it first (as written, lower case).
#[derive(Debug, Default)]
pub(crate) struct RelatedTable {
    /// Word → (kind, the term searched for the related word), likeliest first.
    related: HashMap<String, Vec<(Kind, String)>>,
    /// Word → (English term, p(English | word)), likeliest first.
    english: HashMap<String, Vec<(String, f32)>>,
}

impl RelatedTable {
    /// The table of a locale's links.
    pub fn new(links: Vec<Link>) -> RelatedTable {
        let mut table = RelatedTable::default();
        for link in links {
            if link.kind == Kind::English {
                let renderings = table.english.entry(link.word).or_default();
                renderings.push((link.term, link.probability));
            } else {
                let related = table.related.entry(link.word).or_default();
                related.push((link.kind, link.term));
            }
        }
        table
    }

    /// The terms the relations add to the query's words (and to the words they were
    /// corrected to), and their English renderings. A related term rarer than its word would
    /// outscore the word itself, so its weight shrinks by the ratio of their IDFs in the
    /// side's `body`: an expansion never counts more than an exact match of its word.
    pub fn relate(
        &self,
        searcher: &tantivy::Searcher,
        body: Field,
        terms: &mut QueryTerms,
        ranking: &Ranking,
    ) {
        let words = terms.typed_and_corrected();
        terms.related = self.expand(&words, &terms.all, ranking);
        terms.translations = self.translate(&words, ranking);
        let documents = searcher.num_docs() as f32;
        let idf = |term: &str| {
            let df = searcher
                .doc_freq(&Term::from_field_text(body, term))
                .unwrap_or(0) as f32;
            (1.0 + (documents - df + 0.5) / (df + 0.5)).ln()
        };
        for related in &mut terms.related {
            let ratio = idf(&related.word) / idf(&related.term);
            related.weight *= ratio.min(1.0);
        }
    }

    /// The terms the query's words (as typed, or as corrected, each weighing as much as its
    /// correction) also find, each with the word that adds it, its kind and weight; none that
    /// `searched` holds already.
    fn expand(
        &self,
        words: &[(String, f32)],
        searched: &[String],
        ranking: &Ranking,
    ) -> Vec<Related> {
        let mut out: Vec<Related> = Vec::new();
        for (word, factor) in words {
            for (kind, term) in self.related.get(word).into_iter().flatten() {
                let weight = factor
                    * match kind {
                        Kind::Form => ranking.form_weight,
                        _ => ranking.mined_synonym_weight,
                    };
                if weight > 0.0 && !searched.contains(term) && !out.iter().any(|r| r.term == *term)
                {
                    out.push(Related {
                        word: word.clone(),
                        term: term.clone(),
                        kind: *kind,
                        weight,
                    });
                }
            }
        }
        out
    }
}

impl RelatedTable {
    /// The English terms the words render, each weighed by its probability; the likeliest
    /// weight of a term counts when several words render it.
    fn translate(&self, words: &[(String, f32)], ranking: &Ranking) -> Vec<Related> {
        let mut out: Vec<Related> = Vec::new();
        for (word, factor) in words {
            for (term, p) in self.english.get(word).into_iter().flatten() {
                let weight = factor * p * ranking.translation_weight;
                match out.iter_mut().find(|r| r.term == *term) {
                    Some(known) => known.weight = known.weight.max(weight),
                    None if weight > 0.0 => out.push(Related {
                        word: word.clone(),
                        term: term.clone(),
                        kind: Kind::English,
                        weight,
                    }),
                    None => {}
                }
            }
        }
        out
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
