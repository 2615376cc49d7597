//! The tantivy queries a [`crate::plan::Plan`] is made of: per side, the terms of each field
//! (the best field counts), boosters for every word present and for words in order, phrase
//! conditions and exclusions.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::parse::ParsedQuery;
use crate::plan::SideFields;
use crate::ranking::Ranking;
use crate::related::Related;
use crate::stats::Provider;
use crate::terms::QueryTerms;

/// The scoring part of a plan: per field, the best field counts (disjunction-max), and
/// boosters add for every word present and for words in order.
pub(crate) struct Scoring<'a> {
    disjuncts: Vec<Box<dyn Query>>,
    boosters: Vec<(Occur, Box<dyn Query>)>,
    frequent: Frequent<'a>,
}

/// Which terms are frequent: held by more than `above` of their field's documents
/// ([`Ranking::frequent_share`]). A document holding only frequent terms of a query ("the",
/// "de", a product name every article names) scores little, and such documents are most of
/// those a union of the query's terms visits: they are not scored. A document holding a rarer
/// term scores its frequent terms as before.
pub(crate) struct Frequent<'a> {
    pub stats: &'a Provider<'a>,
    pub above: f32,
}

/// How many of its field's documents hold a term.
#[derive(PartialEq)]
enum Held {
    Nowhere,
    Rarely,
    Frequently,
}

impl Frequent<'_> {
    fn held(&self, term: &Term) -> Held {
        match self.stats.share(term) {
            share if share > f64::from(self.above) => Held::Frequently,
            share if share > 0.0 => Held::Rarely,
            _ => Held::Nowhere,
        }
    }
}

impl<'a> Scoring<'a> {
    pub fn new(frequent: Frequent<'a>) -> Scoring<'a> {
        Scoring {
            disjuncts: Vec::new(),
            boosters: Vec::new(),
            frequent,
        }
    }

    /// Whether no side had a word to score.
    pub fn is_empty(&self) -> bool {
        self.disjuncts.is_empty()
    }

    pub fn add_side(&mut self, side: &SideFields, terms: &QueryTerms, ranking: &Ranking) {
        let shortness = ranking.shortness(terms.reduced.len());
        let title_weight = 1.0 + (ranking.title_boost - 1.0) * shortness;
        let corrected = alternative_terms(terms, ranking);
        let typed: Vec<(String, f32)> = terms
            .all
            .iter()
            .filter(|t| !terms.is_piece_of_a_name(t))
            .map(|t| (t.clone(), terms.weight(t)))
            .collect();
        self.disjuncts.push(terms_query(
            &[(side.body, 1.0), (side.title, title_weight)],
            &typed,
            &corrected,
            &self.frequent,
        ));
        let every_word = terms.reduced_or_corrected();
        // Every word of the query somewhere in the body: the coordination BM25 lacks; and,
        // for keyword-like queries, every word in the title.
        for (field, weight) in [
            (side.body, ranking.all_in_body),
            (side.title, ranking.all_in_title * shortness),
        ] {
            if weight > 0.0 && every_word.len() >= 2 {
                self.boosters
                    .push((Occur::Should, all_terms_query(field, &every_word, weight)));
            }
        }
        let phrase_weight = ranking.phrase_boost * (1.0 - shortness);
        let tokens = &terms.per_position;
        if phrase_weight > 0.0 && side.analyzer.keeps_word_positions() && tokens.len() >= 2 {
            let first = tokens[0].1;
            let with_offsets: Vec<(usize, Term)> = tokens
                .iter()
                .map(|(t, p)| (p - first, Term::from_field_text(side.body, t)))
                .collect();
            let phrase = PhraseQuery::new_with_offset_and_slop(with_offsets, ranking.phrase_slop);
            self.boosters.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(phrase), phrase_weight)),
            ));
        }
    }

    /// English terms rendering the target side's words, searched in the English fields: one
    /// more field whose best match counts.
    pub fn add_translations(&mut self, (body, title): (Field, Field), terms: &[Related]) {
        let weighed: Vec<(String, f32)> =
            terms.iter().map(|r| (r.term.clone(), r.weight)).collect();
        self.disjuncts.push(terms_query(
            &[(body, 1.0), (title, 1.0)],
            &weighed,
            &[],
            &self.frequent,
        ));
    }

    pub fn clauses(self, ranking: &Ranking) -> Vec<(Occur, Box<dyn Query>)> {
        let best_field = DisjunctionMaxQuery::with_tie_breaker(self.disjuncts, ranking.tie);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(best_field))];
        clauses.extend(self.boosters);
        clauses
    }
}

/// Quoted phrases are about articles: an article qualifies when one of its segments holds
/// the phrase (on either side searched). A word of the phrase that a side corrected
/// (`terms`, one per side) is its best correction there, as in the rest of the query.
pub(crate) fn phrase_filters(
    sides: &[SideFields],
    terms: &[(QueryTerms, f32)],
    parsed: &ParsedQuery,
) -> Vec<Box<dyn Query>> {
    let mut required: Vec<Box<dyn Query>> = Vec::new();
    for phrase in &parsed.phrases {
        let options: Vec<Box<dyn Query>> = sides
            .iter()
            .zip(terms)
            .filter_map(|(side, (terms, _))| {
                let mut tokens = QueryTerms::analyze(side.analyzer, phrase).per_position;
                for (token, _) in &mut tokens {
                    if let Some(corrected) = terms.spelling_of(token) {
                        *token = corrected.to_owned();
                    }
                }
                phrase_query(side.body, &tokens, side.analyzer.keeps_word_positions())
            })
            .collect();
        if !options.is_empty() {
            required.push(Box::new(BooleanQuery::union(options)));
        }
    }
    required
}

/// An article is out when any of its documents holds an excluded word.
pub(crate) fn exclusion(sides: &[SideFields], parsed: &ParsedQuery) -> Option<Box<dyn Query>> {
    let mut excluded: Vec<Box<dyn Query>> = Vec::new();
    for word in &parsed.excluded {
        for side in sides {
            for term in QueryTerms::analyze(side.analyzer, word).all {
                for field in [side.body, side.title] {
                    let t = Term::from_field_text(field, &term);
                    excluded.push(Box::new(TermQuery::new(t, IndexRecordOption::Basic)));
                }
            }
        }
    }
    (!excluded.is_empty()).then(|| Box::new(BooleanQuery::union(excluded)) as Box<dyn Query>)
}

/// Documents holding every one of `terms` in `field`, boosted.
fn all_terms_query(field: Field, terms: &[String], boost: f32) -> Box<dyn Query> {
    let all: Vec<Box<dyn Query>> = terms
        .iter()
        .map(|t| {
            Box::new(TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            )) as Box<dyn Query>
        })
        .collect();
    Box::new(BoostQuery::new(
        Box::new(BooleanQuery::intersection(all)),
        boost,
    ))
}

/// The terms words were corrected to, those the user's synonyms add, those the aligned
/// pairs relate to the words and the compounds the words start, that the query does not hold
/// already, with their weights.
fn alternative_terms(terms: &QueryTerms, ranking: &Ranking) -> Vec<(String, f32)> {
    let corrected = terms
        .corrections
        .iter()
        .flat_map(|c| c.terms.iter().cloned());
    let synonyms = terms
        .synonyms
        .iter()
        .map(|(_, t)| (t.clone(), ranking.synonym_weight));
    let related = terms.related.iter().map(|r| (r.term.clone(), r.weight));
    let compounds = terms
        .compounds
        .iter()
        .map(|(_, t)| (t.clone(), ranking.compound_weight));
    let mut out: Vec<(String, f32)> = Vec::new();
    for (term, weight) in corrected.chain(synonyms).chain(related).chain(compounds) {
        if !terms.all.contains(&term) && !out.iter().any(|(t, _)| *t == term) {
            out.push((term, weight));
        }
    }
    out
}

/// Documents holding any of `terms` or of the alternative terms (each weighed) in any of
/// `fields` (each boosted), their scores added; in a field where some are `frequent` and one
/// of `terms` that it holds is not, only documents holding a term that is not. The fields
/// must be of different kinds of document (a segment's text, an article's title), so that no
/// document holds two of them and the sum is the score of the one field a document has: one
/// union instead of one per field, each of which would be merged again by the disjunction
/// above it.
fn terms_query(
    fields: &[(Field, f32)],
    terms: &[(String, f32)],
    alternatives: &[(String, f32)],
    frequent: &Frequent,
) -> Box<dyn Query> {
    let mut union: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for &(field, boost) in fields {
        let mut rare: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut common: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Only a typed word decides: an alternative (a correction, a synonym) adds documents
        // and must never make the typed words' documents wait for it.
        let mut typed_rare_held = false;
        for (i, (t, weight)) in terms.iter().chain(alternatives).enumerate() {
            let term = Term::from_field_text(field, t);
            let held = frequent.held(&term);
            typed_rare_held |= i < terms.len() && held == Held::Rarely;
            let kind = if held == Held::Frequently {
                &mut common
            } else {
                &mut rare
            };
            let query: Box<dyn Query> =
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
            let weight = weight * boost;
            let weighed = if (weight - 1.0).abs() < f32::EPSILON {
                query
            } else {
                Box::new(BoostQuery::new(query, weight))
            };
            kind.push((Occur::Should, weighed));
        }
        if typed_rare_held && !common.is_empty() {
            // The rare terms' union drives; the frequent terms add their scores where they
            // occur.
            union.push((Occur::Should, driven_by(rare, common)));
        } else {
            union.append(&mut rare);
            union.append(&mut common);
        }
    }
    Box::new(BooleanQuery::new(union))
}

/// Frequent terms skipped to, one by one, rather than unioned: a union scores every document
/// its terms hold, a window of thousands at a time, though few of them are driven to; but
/// each term skipped on its own costs at every driven document, and past this many terms
/// (measured on the dev queries' instructions) the union is cheaper.
const MAX_SKIPPED_FREQUENT: usize = 3;

/// The documents of the `rare` terms' union, each scored with the `frequent` terms it holds
/// too.
fn driven_by(
    rare: Vec<(Occur, Box<dyn Query>)>,
    mut frequent: Vec<(Occur, Box<dyn Query>)>,
) -> Box<dyn Query> {
    let rare: Box<dyn Query> = Box::new(BooleanQuery::new(rare));
    if frequent.len() > MAX_SKIPPED_FREQUENT {
        frequent.push((Occur::Must, rare));
        return Box::new(BooleanQuery::new(frequent));
    }
    frequent.into_iter().fold(rare, |driven, term| {
        Box::new(BooleanQuery::new(vec![(Occur::Must, driven), term]))
    })
}

/// Words in order where the analyzer keeps word positions; elsewhere (overlapping or
/// dictionary-cut words) a phrase means all its words, in any order, since tantivy would
/// otherwise demand an adjacency the cut may not give.
fn phrase_query(
    field: Field,
    tokens: &[(String, usize)],
    word_positions: bool,
) -> Option<Box<dyn Query>> {
    let term = |t: &str| Term::from_field_text(field, t);
    match tokens {
        [] => None,
        [(one, _)] => Some(Box::new(TermQuery::new(
            term(one),
            IndexRecordOption::WithFreqs,
        ))),
        _ if !word_positions => Some(Box::new(BooleanQuery::intersection(
            tokens
                .iter()
                .map(|(t, _)| {
                    Box::new(TermQuery::new(term(t), IndexRecordOption::Basic)) as Box<dyn Query>
                })
                .collect(),
        ))),
        _ => {
            let first = tokens[0].1;
            Some(Box::new(PhraseQuery::new_with_offset(
                tokens.iter().map(|(t, p)| (p - first, term(t))).collect(),
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, doc};

    /// Frequent terms skipped to one by one, or unioned past [`MAX_SKIPPED_FREQUENT`], score
    /// the driven documents as a union of them does, and drive none.
    #[test]
    fn frequent_terms_score_the_driven_documents_alike_skipped_or_unioned() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let frequent = ["one", "two", "three", "four", "five"];
        for i in 0..60 {
            let mut words: Vec<&str> = frequent.iter().copied().take(1 + i % 5).collect();
            words.extend(["rare"].iter().filter(|_| i % 7 == 0));
            words.extend(["scarce"].iter().filter(|_| i % 11 == 0));
            writer.add_document(doc!(text => words.join(" "))).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |t: &str, boost: f32| -> (Occur, Box<dyn Query>) {
            let query =
                TermQuery::new(Term::from_field_text(text, t), IndexRecordOption::WithFreqs);
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(query), boost)),
            )
        };
        let rare = || vec![term("rare", 1.0), term("scarce", 0.7)];
        for count in [1, MAX_SKIPPED_FREQUENT, frequent.len()] {
            let common = || {
                frequent[..count]
                    .iter()
                    .map(|t| term(t, 0.9))
                    .collect::<Vec<_>>()
            };
            let mut union = common();
            union.push((Occur::Must, Box::new(BooleanQuery::new(rare()))));
            // By document: the two add the same scores in another order, so near-ties may
            // rank apart.
            let top = |query: &dyn Query| {
                let mut found = searcher
                    .search(query, &TopDocs::with_limit(100).order_by_score())
                    .unwrap();
                found.sort_by_key(|(_, doc)| *doc);
                found
            };
            let (driven, unioned) = (
                top(driven_by(rare(), common()).as_ref()),
                top(&BooleanQuery::new(union)),
            );
            assert_eq!(driven.len(), 14, "{count} frequent terms");
            assert_eq!(driven.len(), unioned.len());
            for ((a, doc_a), (b, doc_b)) in driven.iter().zip(&unioned) {
                assert_eq!(doc_a, doc_b);
                assert!((a - b).abs() <= 1e-5 * b, "{a} against {b}");
            }
        }
    }
}
