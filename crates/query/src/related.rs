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

/// A locale's relations file, read once and looked up by the query's words.
#[derive(Debug)]
pub(crate) struct RelatedTable {
    lookup: Lookup,
}

impl RelatedTable {
    /// The locale's relations; `None` when its file is missing, unreadable or of another
    /// version (`locsearch index` mines it again).
    pub fn open(dir: &Path, locale: &str) -> Option<RelatedTable> {
        let text = std::fs::read_to_string(locsearch_index::relations::path(dir, locale)).ok()?;
        Some(RelatedTable {
            lookup: Lookup::new(text)?,
        })
    }

    /// The terms the relations add to the query's words (and to the words they were
    /// corrected to, weighing as much as the correction), and their English renderings.
    pub fn relate(&self, terms: &mut QueryTerms, ranking: &Ranking) {
        let words = terms.typed_and_corrected();
        terms.related = self.expand(&words, &terms.all, ranking);
        terms.translations = self.translate(&words, ranking);
    }

    /// Other forms and synonyms of the words, each with the word that adds it, weighed by its
    /// kind and capped so that it never outweighs the word; none that `searched` holds.
    fn expand(
        &self,
        words: &[(String, f32)],
        searched: &[String],
        ranking: &Ranking,
    ) -> Vec<Related> {
        let mut out: Vec<Related> = Vec::new();
        for (word, factor) in words {
            for link in self.lookup.links(word) {
                let weight = factor
                    * link.cap
                    * match link.kind {
                        Kind::Form => ranking.form_weight,
                        Kind::Synonym => ranking.mined_synonym_weight,
                        Kind::English => continue,
                    };
                if weight > 0.0
                    && !searched.contains(&link.term)
                    && !out.iter().any(|r| r.term == link.term)
                {
                    out.push(Related {
                        word: word.clone(),
                        term: link.term,
                        kind: link.kind,
                        weight,
                    });
                }
            }
        }
        out
    }

    /// The English terms the words render, each weighed by its probability; the likeliest
    /// weight of a term counts when several words render it.
    fn translate(&self, words: &[(String, f32)], ranking: &Ranking) -> Vec<Related> {
        let mut out: Vec<Related> = Vec::new();
        for (word, factor) in words {
            for link in self.lookup.links(word).filter(|l| l.kind == Kind::English) {
                let weight = factor * link.probability * ranking.translation_weight;
                match out.iter_mut().find(|r| r.term == link.term) {
                    Some(known) => known.weight = known.weight.max(weight),
                    None if weight > 0.0 => out.push(Related {
                        word: word.clone(),
                        term: link.term,
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
