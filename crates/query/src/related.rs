//! Relations the corpus's aligned pairs taught about a locale's words
//! ([`locsearch_relations`], mined by `locsearch index`): a query word also finds its other
//! forms the analyzer does not merge (удалить → удаление) and its likely synonyms, each
//! weighed below the word as typed ([`Ranking::form_weight`], [`Ranking::mined_synonym_weight`]).

use std::collections::HashMap;

use locsearch_relations::{Kind, Link};

use crate::ranking::Ranking;

/// A locale's relations, by the word as the analyzer emits it first (as written, lower case).
#[derive(Debug, Default)]
pub(crate) struct RelatedTable {
    /// Word → (kind, the term searched for the related word), likeliest first.
    related: HashMap<String, Vec<(Kind, String)>>,
}

impl RelatedTable {
    /// The table of a locale's links: its forms and synonyms (English renderings are for the
    /// source side).
    pub fn new(links: Vec<Link>) -> RelatedTable {
        let mut related: HashMap<String, Vec<(Kind, String)>> = HashMap::new();
        for link in links {
            if matches!(link.kind, Kind::Form | Kind::Synonym) {
                related
                    .entry(link.word)
                    .or_default()
                    .push((link.kind, link.term));
            }
        }
        RelatedTable { related }
    }

    /// The terms the query's words (as typed, or as corrected, each weighing as much as its
    /// correction) also find, each with the word that adds it, its kind and weight; none that
    /// `searched` holds already.
    pub fn expand(
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

/// A term a query word adds through a mined relation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Related {
    pub word: String,
    pub term: String,
    pub kind: Kind,
    pub weight: f32,
}
