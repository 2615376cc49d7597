//! The best field's score of a document, computed one document at a time: per disjunct (a
//! side's terms, the English renderings' terms) the sum of its terms' weighed BM25 scores,
//! and of the disjuncts the best counts whole and the others by the tie breaker: tantivy's
//! disjunction-max over unions of term queries, but tantivy's unions score a window of
//! thousands of documents ahead of the one asked for, so a search that skips to the
//! documents of a few articles ([`crate::shortlist`]) would score nearly all of them anyway.
//! This scorer computes nothing until asked.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// One term of a disjunct.
#[derive(Debug, Clone)]
pub(crate) struct WeighedTerm {
    pub term: Term,
    /// Its BM25 score is multiplied by this.
    pub weight: f32,
    /// Whether a document holding it matches. A frequent term of a field where a typed rarer
    /// one is held only adds its score to documents another term of its disjunct matched
    /// ([`crate::clauses::Frequent`]).
    pub drives: bool,
    /// Which disjunct it belongs to.
    pub disjunct: usize,
}

/// Documents holding a driving term of any disjunct, scored by their best disjunct plus
/// `tie` times the others.
#[derive(Debug, Clone)]
pub(crate) struct BestFieldQuery {
    pub terms: Vec<WeighedTerm>,
    pub disjuncts: usize,
    pub tie: f32,
}

impl BestFieldQuery {
    /// Each term's BM25 weight as tantivy's term queries compute it, without the
    /// explanation they build for every term (most of their cost), its field's token count
    /// asked once.
    pub fn best_field_weight(
        &self,
        enable_scoring: EnableScoring<'_>,
    ) -> tantivy::Result<BestFieldWeight> {
        let mut tokens: Vec<(Field, u64)> = Vec::new();
        let mut terms = Vec::with_capacity(self.terms.len());
        for t in &self.terms {
            let bm25 = match enable_scoring {
                EnableScoring::Enabled {
                    statistics_provider: stats,
                    ..
                } => {
                    let field = t.term.field();
                    let total = match tokens.iter().find(|(f, _)| *f == field) {
                        Some(&(_, total)) => total,
                        None => {
                            let total = stats.total_num_tokens(field)?;
                            tokens.push((field, total));
                            total
                        }
                    };
                    let docs = stats.total_num_docs()?;
                    let average = total as Score / docs as Score;
                    Bm25Weight::for_one_term_without_explain(
                        stats.doc_freq(&t.term)?,
                        docs,
                        average,
                    )
                }
                EnableScoring::Disabled { .. } => {
                    Bm25Weight::for_one_term_without_explain(0, 1, 1.0)
                }
            };
            terms.push((bm25.boost_by(t.weight), t.clone()));
        }
        Ok(BestFieldWeight {
            terms,
            disjuncts: self.disjuncts,
            tie: self.tie,
        })
    }
}

impl Query for BestFieldQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.best_field_weight(enable_scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for t in &self.terms {
            visitor(&t.term, false);
        }
    }
}

pub(crate) struct BestFieldWeight {
    /// Each term with its BM25 weight, times its own weight.
    terms: Vec<(Bm25Weight, WeighedTerm)>,
    disjuncts: usize,
    tie: f32,
}

impl BestFieldWeight {
    pub fn best_field_scorer(&self, reader: &SegmentReader) -> tantivy::Result<BestFieldScorer> {
        let (mut driving, mut adding) = (Vec::new(), Vec::new());
        for (bm25, t) in &self.terms {
            let field = t.term.field();
            let postings = reader.inverted_index(field)?;
            let Some(info) = postings.get_term_info(&t.term)? else {
                continue;
            };
            let postings =
                postings.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
            // As tantivy's term scorer: a field without norms counts one token a document.
            let norms = reader
                .get_fieldnorms_reader(field)
                .unwrap_or_else(|_| FieldNormReader::constant(reader.max_doc(), 1));
            let doc = postings.doc();
            if doc != TERMINATED {
                let cursor = Cursor {
                    postings: Box::new(postings),
                    norms,
                    bm25: bm25.clone(),
                    doc,
                    disjunct: t.disjunct,
                };
                if t.drives {
                    driving.push(cursor);
                } else {
                    adding.push(cursor);
                }
            }
        }
        Ok(BestFieldScorer::new(
            driving,
            adding,
            self.disjuncts,
            self.tie,
        ))
    }
}

impl Weight for BestFieldWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.best_field_scorer(reader)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.best_field_scorer(reader)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("best field", scorer.score()))
    }
}

/// A term's postings in one tantivy segment, scored as tantivy's term scorer does.
struct Cursor {
    /// Boxed: a term's decoded block is a kilobyte, and cursors are moved.
    postings: Box<SegmentPostings>,
    norms: FieldNormReader,
    bm25: Bm25Weight,
    /// The postings' document, kept here: asking them reads their block.
    doc: DocId,
    disjunct: usize,
}

impl Cursor {
    /// Moves to `target` or the first document after it that holds the term.
    fn seek(&mut self, target: DocId) {
        if self.doc < target {
            self.doc = self.postings.seek(target);
        }
    }

    fn advance(&mut self) {
        self.doc = self.postings.advance();
    }

    /// The term's score in the current document.
    fn score(&self) -> Score {
        self.bm25
            .score(self.norms.fieldnorm_id(self.doc), self.postings.term_freq())
    }
}

pub(crate) struct BestFieldScorer {
    /// The terms this tantivy segment holds whose documents match, those done dropped. A
    /// few dozen at most: a scan finds the next document faster than a heap would.
    driving: Vec<Cursor>,
    /// The terms that only add their scores to documents that match.
    adding: Vec<Cursor>,
    /// Per disjunct, the sum of its terms' scores at the current document and whether one
    /// of its driving terms is there: scratch space for [`Scorer::score`].
    sums: Vec<(Score, bool)>,
    tie: f32,
    doc: DocId,
}

impl BestFieldScorer {
    fn new(driving: Vec<Cursor>, adding: Vec<Cursor>, disjuncts: usize, tie: f32) -> Self {
        let mut scorer = BestFieldScorer {
            driving,
            adding,
            sums: vec![(0.0, false); disjuncts],
            tie,
            doc: TERMINATED,
        };
        scorer.settle();
        scorer
    }

    /// Drops the terms that are done, and moves to the first document a driving term is at.
    fn settle(&mut self) {
        self.driving.retain(|c| c.doc != TERMINATED);
        self.doc = self
            .driving
            .iter()
            .map(|c| c.doc)
            .min()
            .unwrap_or(TERMINATED);
    }

    /// Moves the terms at the current document on (or those before `target` to it), and
    /// to the first document a driving term is then at, in one pass.
    fn step(&mut self, target: DocId) -> DocId {
        let (doc, mut next, mut done) = (self.doc, TERMINATED, false);
        for cursor in &mut self.driving {
            if cursor.doc == doc {
                cursor.advance();
            }
            cursor.seek(target);
            next = next.min(cursor.doc);
            done |= cursor.doc == TERMINATED;
        }
        if done {
            self.driving.retain(|c| c.doc != TERMINATED);
        }
        self.doc = next;
        next
    }
}

impl DocSet for BestFieldScorer {
    fn advance(&mut self) -> DocId {
        self.step(0)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        // No term is at a document before `target`: none is moved past it.
        self.doc = TERMINATED;
        self.step(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.driving
            .iter()
            .map(|c| c.postings.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for BestFieldScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.sums.fill((0.0, false));
        for cursor in &mut self.driving {
            if cursor.doc == doc {
                let sum = &mut self.sums[cursor.disjunct];
                sum.0 += cursor.score();
                sum.1 = true;
            }
        }
        for cursor in &mut self.adding {
            cursor.seek(doc);
            if cursor.doc == doc {
                self.sums[cursor.disjunct].0 += cursor.score();
            }
        }
        // tantivy's disjunction-max: the best, plus the tie breaker times the rest.
        let (mut max, mut total) = (0.0f32, 0.0f32);
        for &(score, matched) in &self.sums {
            if matched {
                max = max.max(score);
                total += score;
            }
        }
        max + (total - max) * self.tie
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::tests::{article_at, index_of_all, sample_article};
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, TermQuery};
    use tantivy::schema::Field;

    fn terms(analyzer: &str, field: Field, words: &str) -> Vec<Term> {
        let mut analyzer = locsearch_analysis::analyzer(analyzer).unwrap();
        locsearch_analysis::analyze(&mut analyzer, words)
            .into_iter()
            .map(|t| Term::from_field_text(field, &t.text))
            .collect()
    }

    fn boosted(term: &Term, weight: f32) -> (Occur, Box<dyn Query>) {
        let query = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
        (
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(query), weight)),
        )
    }

    /// Every matching document with its score, by document.
    fn scores(
        searcher: &tantivy::Searcher,
        query: &dyn Query,
    ) -> Vec<(tantivy::DocAddress, Score)> {
        let mut found: Vec<_> = searcher
            .search(query, &TopDocs::with_limit(10_000).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(score, doc)| (doc, score))
            .collect();
        found.sort_by_key(|(doc, _)| *doc);
        found
    }

    /// The best field is tantivy's disjunction-max over unions of weighed terms, a frequent
    /// term adding to the documents its disjunct's other terms match and matching none: the
    /// same documents, the same scores.
    #[test]
    fn the_best_field_scores_as_a_disjunction_max_of_unions() {
        let articles = [
            sample_article(),
            article_at("sl-SI/AlchemyInsights/sharing-link-greyed-out.md"),
        ];
        let (index, fields) = index_of_all(&articles, Some(9));
        let searcher = index.reader().unwrap().searcher();
        let target = locsearch_analysis::resolve("sl-SI").info.name;
        let english = locsearch_analysis::english().name;
        let sides = [
            terms(target, fields.target, "ponastavitev gesla gumb"),
            terms(english, fields.source, "password reset button"),
        ];
        // "the" is in most segments: it only adds.
        let frequent = terms(english, fields.source, "the");
        assert!(sides.iter().all(|s| s.len() >= 2) && frequent.len() == 1);
        let weighed = |i: usize| 1.0 - 0.1 * i as f32;
        let mut best_field = BestFieldQuery {
            terms: Vec::new(),
            disjuncts: sides.len(),
            tie: 0.3,
        };
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        for (disjunct, side) in sides.iter().enumerate() {
            let rare: Vec<_> = side
                .iter()
                .enumerate()
                .map(|(i, t)| boosted(t, weighed(i)))
                .collect();
            best_field
                .terms
                .extend(side.iter().enumerate().map(|(i, term)| WeighedTerm {
                    term: term.clone(),
                    weight: weighed(i),
                    drives: true,
                    disjunct,
                }));
            let mut union = vec![(
                Occur::Must,
                Box::new(BooleanQuery::new(rare)) as Box<dyn Query>,
            )];
            if disjunct == 1 {
                best_field.terms.push(WeighedTerm {
                    term: frequent[0].clone(),
                    weight: 0.5,
                    drives: false,
                    disjunct,
                });
                union.push(boosted(&frequent[0], 0.5));
            }
            disjuncts.push(Box::new(BooleanQuery::new(union)));
        }
        let expected = scores(
            &searcher,
            &DisjunctionMaxQuery::with_tie_breaker(disjuncts, 0.3),
        );
        let got = scores(&searcher, &best_field);
        assert!(expected.len() >= 5, "{expected:?}");
        assert_eq!(got.len(), expected.len());
        for ((doc, score), (expected_doc, expected_score)) in got.iter().zip(&expected) {
            assert_eq!(doc, expected_doc);
            assert!(
                (score - expected_score).abs() <= 1e-5 * expected_score,
                "{score} vs {expected_score}"
            );
        }
        let the_only = scores(
            &searcher,
            &TermQuery::new(frequent[0].clone(), IndexRecordOption::Basic),
        );
        assert!(
            the_only.len() > got.len(),
            "documents holding only the frequent term match not"
        );
    }
}
