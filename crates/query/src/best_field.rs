//! The best field's score of a document, computed one document at a time: per disjunct (a
//! side's terms, the English renderings' terms) the sum of its terms' weighed BM25 scores,
//! and of the disjuncts the best counts whole and the others by the tie breaker: tantivy's
//! disjunction-max over unions of term queries, but tantivy's unions score a window of
//! thousands of documents ahead of the one asked for, so a search that skips to the
//! documents of a few articles ([`crate::shortlist`]) would score nearly all of them anyway.
//! This scorer computes nothing until asked. It also adds the score of every group of terms
//! that a document holds all of ([`AllTerms`]): the coordination BM25 lacks, checked at the
//! documents it scores instead of intersected ahead of them. A search of a few articles' spans
//! of documents asks it for a span at a time ([`BestFieldScorer::score_span`]): each term's
//! postings are read through the span in turn, the same scores.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

use crate::postings::{Bm25, Cursor, SegmentFields, TermWeights};

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

/// Terms that add, to a document holding every one of them, `boost` times the sum of their
/// BM25 scores (a term listed twice counts twice). They match no document by themselves.
#[derive(Debug, Clone)]
pub(crate) struct AllTerms {
    pub terms: Vec<Term>,
    pub boost: f32,
}

/// Documents holding a driving term of any disjunct, scored by their best disjunct plus
/// `tie` times the others, plus the groups of terms they hold all of.
#[derive(Debug, Clone)]
pub(crate) struct BestFieldQuery {
    pub terms: Vec<WeighedTerm>,
    pub disjuncts: usize,
    pub tie: f32,
    pub all_terms: Vec<AllTerms>,
}

impl BestFieldQuery {
    /// Each term's BM25 weight as tantivy's term queries compute it, without the
    /// explanation they build for every term (most of their cost), its field's token count
    /// asked once.
    pub fn best_field_weight(
        &self,
        enable_scoring: EnableScoring<'_>,
    ) -> tantivy::Result<BestFieldWeight> {
        let mut weights = TermWeights::new(enable_scoring);
        let mut terms = Vec::with_capacity(self.terms.len());
        for t in &self.terms {
            terms.push((weights.of(&t.term)?.boost_by(t.weight), t.clone()));
        }
        let mut all_terms = Vec::with_capacity(self.all_terms.len());
        for group in &self.all_terms {
            let mut members = Vec::with_capacity(group.terms.len());
            for term in &group.terms {
                members.push((weights.of(term)?, term.clone()));
            }
            all_terms.push((members, group.boost));
        }
        Ok(BestFieldWeight {
            terms,
            disjuncts: self.disjuncts,
            tie: self.tie,
            all_terms,
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
        for term in self.all_terms.iter().flat_map(|g| &g.terms) {
            visitor(term, false);
        }
    }
}

pub(crate) struct BestFieldWeight {
    /// Each term with its BM25 weight, times its own weight.
    terms: Vec<(Bm25, WeighedTerm)>,
    disjuncts: usize,
    tie: f32,
    /// Each group's terms with their BM25 weights, and the group's boost.
    all_terms: Vec<(Vec<(Bm25, Term)>, f32)>,
}

impl BestFieldWeight {
    pub fn best_field_scorer(&self, reader: &SegmentReader) -> tantivy::Result<BestFieldScorer> {
        let mut fields = SegmentFields::new(reader);
        let (mut cursors, slot) = self.cursors(&mut fields)?;
        let all_terms = self.groups(&mut fields, &slot, &mut cursors.own)?;
        Ok(BestFieldScorer::new(
            cursors,
            all_terms,
            self.disjuncts,
            self.tie,
        ))
    }

    /// The cursors of the disjuncts' terms the segment holds, driving ones first, and where
    /// each term's cursor is (`None`: the segment holds it nowhere).
    fn cursors(
        &self,
        fields: &mut SegmentFields,
    ) -> tantivy::Result<(Cursors, Vec<Option<usize>>)> {
        let mut opened = Vec::with_capacity(self.terms.len());
        for (bm25, t) in &self.terms {
            opened.push(Cursor::open(fields, &t.term, bm25)?.map(|c| (c, t)));
        }
        let mut order: Vec<usize> = (0..opened.len()).filter(|&i| opened[i].is_some()).collect();
        order.sort_by_key(|&i| opened[i].as_ref().is_some_and(|(_, t)| !t.drives));
        let mut slot = vec![None; opened.len()];
        let mut all = Vec::with_capacity(order.len());
        let mut driving = 0;
        for i in order {
            let (cursor, t) = opened[i].take().expect("listed as opened");
            driving += usize::from(t.drives);
            slot[i] = Some(all.len());
            all.push((cursor, t.disjunct));
        }
        let cursors = Cursors {
            all,
            driving,
            own: Vec::new(),
        };
        Ok((cursors, slot))
    }

    /// The groups whose every term the segment holds, each term read from the disjuncts'
    /// cursor where it is one of their terms, else from a cursor of its own added to `own`.
    fn groups(
        &self,
        fields: &mut SegmentFields,
        slot: &[Option<usize>],
        own: &mut Vec<Cursor>,
    ) -> tantivy::Result<Vec<AllTermsScorer>> {
        let mut groups = Vec::with_capacity(self.all_terms.len());
        'groups: for (members, boost) in &self.all_terms {
            let mut scored = Vec::with_capacity(members.len());
            for (bm25, term) in members {
                let member = match self.terms.iter().position(|(_, t)| t.term == *term) {
                    Some(i) => slot[i].map(Member::Shared),
                    None => Cursor::open(fields, term, bm25)?.map(|cursor| {
                        own.push(cursor);
                        Member::Own(own.len() - 1)
                    }),
                };
                // A term the segment lacks: no document here holds them all.
                let Some(member) = member else {
                    continue 'groups;
                };
                scored.push((member, bm25.clone()));
            }
            groups.push(AllTermsScorer {
                members: scored,
                boost: *boost,
            });
        }
        Ok(groups)
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

/// The cursors of a scorer's terms in one tantivy segment.
struct Cursors {
    /// Each term of a disjunct that the segment holds, with its disjunct: first the
    /// `driving` ones, whose documents match, then those that only add their scores to
    /// documents that match. A few dozen at most: a scan finds the next document faster than
    /// a heap would. A cursor that is done stays, at [`TERMINATED`]: groups refer to it by
    /// place.
    all: Vec<(Cursor, usize)>,
    driving: usize,
    /// Terms of groups that are no disjunct's, moved only to documents that match.
    own: Vec<Cursor>,
}

/// Where a group's term is read.
enum Member {
    /// At this place in [`Cursors::all`].
    Shared(usize),
    /// At this place in [`Cursors::own`].
    Own(usize),
}

/// A group of [`AllTerms`] in one tantivy segment, each term with its own BM25 weight.
struct AllTermsScorer {
    members: Vec<(Member, Bm25)>,
    boost: f32,
}

impl AllTermsScorer {
    /// What the group adds to `doc`, the document every cursor of a disjunct was moved to
    /// or past: nothing unless the document holds every term. Terms after a missing one are
    /// not moved: a later document is never before them.
    fn score(&self, doc: DocId, cursors: &mut Cursors) -> Score {
        let mut sum = 0.0;
        for (member, bm25) in &self.members {
            let cursor = match *member {
                Member::Shared(i) => &cursors.all[i].0,
                Member::Own(i) => {
                    cursors.own[i].seek(doc);
                    &cursors.own[i]
                }
            };
            if cursor.doc != doc {
                return 0.0;
            }
            sum += cursor.score_as(bm25);
        }
        sum * self.boost
    }
}

pub(crate) struct BestFieldScorer {
    cursors: Cursors,
    all_terms: Vec<AllTermsScorer>,
    /// Per disjunct, the sum of its terms' scores at the current document and whether one
    /// of its driving terms is there: scratch space for [`Scorer::score`].
    sums: Vec<(Score, bool)>,
    tie: f32,
    doc: DocId,
    /// Scratch space of [`BestFieldScorer::score_span`].
    span: SpanSums,
    span_memberships: Memberships,
}

/// Per document of a span, each disjunct's sum and whether a driving term is there, and
/// each group's sum and how many of its terms are there.
#[derive(Default)]
struct SpanSums {
    disjuncts: Vec<(Score, bool)>,
    groups: Vec<(Score, usize)>,
}

/// Per cursor of [`Cursors::all`] and of [`Cursors::own`], the groups it is a term of
/// (twice if listed twice), each with the term's weight there.
struct Memberships {
    shared: Vec<Vec<(usize, Bm25)>>,
    own: Vec<Vec<(usize, Bm25)>>,
}

impl Memberships {
    fn of(cursors: &Cursors, groups: &[AllTermsScorer]) -> Memberships {
        let mut memberships = Memberships {
            shared: vec![Vec::new(); cursors.all.len()],
            own: vec![Vec::new(); cursors.own.len()],
        };
        for (g, group) in groups.iter().enumerate() {
            for (member, bm25) in &group.members {
                let list = match *member {
                    Member::Shared(i) => &mut memberships.shared[i],
                    Member::Own(i) => &mut memberships.own[i],
                };
                list.push((g, bm25.clone()));
            }
        }
        memberships
    }
}

/// tantivy's disjunction-max of the disjuncts' sums that a driving term matched: the best,
/// plus `tie` times the rest.
fn disjunction_max(sums: &[(Score, bool)], tie: f32) -> Score {
    let (mut max, mut total) = (0.0f32, 0.0f32);
    for &(score, matched) in sums {
        if matched {
            max = max.max(score);
            total += score;
        }
    }
    max + (total - max) * tie
}

/// Adds the term at `cursor`'s document to the sums of the groups it is a term of, in
/// `sums` (that document's, from its first group on).
fn add_to_groups(sums: &mut [(Score, usize)], cursor: &Cursor, groups: &[(usize, Bm25)]) {
    for (g, bm25) in groups {
        let held = &mut sums[*g];
        held.0 += cursor.score_as(bm25);
        held.1 += 1;
    }
}

impl BestFieldScorer {
    fn new(cursors: Cursors, all_terms: Vec<AllTermsScorer>, disjuncts: usize, tie: f32) -> Self {
        let span_memberships = Memberships::of(&cursors, &all_terms);
        let doc = cursors.all[..cursors.driving]
            .iter()
            .map(|(c, _)| c.doc)
            .min()
            .unwrap_or(TERMINATED);
        BestFieldScorer {
            cursors,
            all_terms,
            sums: vec![(0.0, false); disjuncts],
            tie,
            doc,
            span: SpanSums::default(),
            span_memberships,
        }
    }

    /// Every document from `start` to before `end` that a driving term holds, in order,
    /// with the score [`Scorer::score`] gives it, pushed to `out`: each term's postings read
    /// through the span in turn, where moving every term from one document to the next
    /// costs a look at each. Later spans must start at or after `end`; the scorer is then
    /// only good for more spans.
    pub fn score_span(&mut self, start: DocId, end: DocId, out: &mut Vec<(DocId, Score)>) {
        let length = end.saturating_sub(start) as usize;
        let (disjuncts, groups) = (self.sums.len(), self.all_terms.len());
        let span = &mut self.span;
        span.disjuncts.clear();
        span.disjuncts.resize(length * disjuncts, (0.0, false));
        span.groups.clear();
        span.groups.resize(length * groups, (0.0, 0));
        let driving = self.cursors.driving;
        let memberships = &self.span_memberships;
        for (i, (cursor, disjunct)) in self.cursors.all.iter_mut().enumerate() {
            cursor.seek(start);
            while cursor.doc < end {
                let at = (cursor.doc - start) as usize;
                let sum = &mut span.disjuncts[at * disjuncts + *disjunct];
                sum.0 += cursor.score();
                sum.1 |= i < driving;
                add_to_groups(
                    &mut span.groups[at * groups..],
                    cursor,
                    &memberships.shared[i],
                );
                cursor.advance();
            }
        }
        for (i, cursor) in self.cursors.own.iter_mut().enumerate() {
            cursor.seek(start);
            while cursor.doc < end {
                let at = (cursor.doc - start) as usize;
                add_to_groups(&mut span.groups[at * groups..], cursor, &memberships.own[i]);
                cursor.advance();
            }
        }
        for at in 0..length {
            let sums = &span.disjuncts[at * disjuncts..(at + 1) * disjuncts];
            if !sums.iter().any(|&(_, matched)| matched) {
                continue;
            }
            let mut score = disjunction_max(sums, self.tie);
            for (g, group) in self.all_terms.iter().enumerate() {
                let (sum, held) = span.groups[at * groups + g];
                score += if held == group.members.len() {
                    sum * group.boost
                } else {
                    0.0
                };
            }
            out.push((start + at as DocId, score));
        }
    }

    fn driving(&mut self) -> &mut [(Cursor, usize)] {
        &mut self.cursors.all[..self.cursors.driving]
    }

    /// Moves the terms at the current document on (or those before `target` to it), and
    /// to the first document a driving term is then at, in one pass.
    fn step(&mut self, target: DocId) -> DocId {
        let (doc, mut next) = (self.doc, TERMINATED);
        for (cursor, _) in self.driving() {
            // A cursor that is done is never moved again.
            if cursor.doc == doc && doc != TERMINATED {
                cursor.advance();
            }
            cursor.seek(target);
            next = next.min(cursor.doc);
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
        self.cursors.all[..self.cursors.driving]
            .iter()
            .map(|(c, _)| c.postings.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for BestFieldScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.sums.fill((0.0, false));
        let driving = self.cursors.driving;
        for (i, (cursor, disjunct)) in self.cursors.all.iter_mut().enumerate() {
            if i >= driving {
                cursor.seek(doc);
            }
            if cursor.doc == doc {
                let sum = &mut self.sums[*disjunct];
                sum.0 += cursor.score();
                sum.1 |= i < driving;
            }
        }
        let mut score = disjunction_max(&self.sums, self.tie);
        for group in &self.all_terms {
            score += group.score(doc, &mut self.cursors);
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::tests::{article_at, index_of_all, sample_article};
    use locsearch_index::schema::Fields;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption};

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

    /// A searcher of two sample articles in two tantivy segments.
    fn two_articles() -> (tantivy::Searcher, Fields) {
        let articles = [
            sample_article(),
            article_at("sl-SI/AlchemyInsights/sharing-link-greyed-out.md"),
        ];
        let (index, fields) = index_of_all(&articles, Some(9));
        (index.reader().unwrap().searcher(), fields)
    }

    fn assert_same_scores(
        got: &[(tantivy::DocAddress, Score)],
        expected: &[(tantivy::DocAddress, Score)],
    ) {
        assert_eq!(got.len(), expected.len());
        for ((doc, score), (expected_doc, expected_score)) in got.iter().zip(expected) {
            assert_eq!(doc, expected_doc);
            assert!(
                (score - expected_score).abs() <= 1e-5 * expected_score,
                "{score} vs {expected_score}"
            );
        }
    }

    /// The best field is tantivy's disjunction-max over unions of weighed terms, a frequent
    /// term adding to the documents its disjunct's other terms match and matching none: the
    /// same documents, the same scores.
    #[test]
    fn the_best_field_scores_as_a_disjunction_max_of_unions() {
        let (searcher, fields) = two_articles();
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
            all_terms: Vec::new(),
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
        assert_same_scores(&got, &expected);
        let the_only = scores(
            &searcher,
            &TermQuery::new(frequent[0].clone(), IndexRecordOption::Basic),
        );
        assert!(
            the_only.len() > got.len(),
            "documents holding only the frequent term match not"
        );
    }

    /// A group of terms adds to the documents that hold every one of them its boost times
    /// their scores, as tantivy's intersection nested on the best field does: the same
    /// documents, the same scores; whether its terms are the disjuncts' or its own. A group
    /// with a term no document holds adds nothing.
    #[test]
    fn all_terms_add_as_an_intersection_nested_on_the_best_field() {
        let (searcher, fields) = two_articles();
        let english = locsearch_analysis::english().name;
        let words = terms(english, fields.source, "password reset button link");
        // A term of a group only: its own cursor.
        let sharing = terms(english, fields.source, "sharing");
        let unknown = terms(english, fields.source, "zyxwvut");
        assert!(words.len() == 4 && !sharing.is_empty() && unknown.len() == 1);
        let groups = [
            AllTerms {
                terms: vec![words[0].clone(), words[2].clone()],
                boost: 1.5,
            },
            AllTerms {
                terms: vec![words[2].clone(), words[3].clone(), words[3].clone()],
                boost: 0.7,
            },
            AllTerms {
                terms: vec![words[3].clone(), sharing[0].clone()],
                boost: 1.2,
            },
            AllTerms {
                terms: vec![words[0].clone(), unknown[0].clone()],
                boost: 2.0,
            },
        ];
        let best_field = BestFieldQuery {
            terms: words
                .iter()
                .enumerate()
                .map(|(i, term)| WeighedTerm {
                    term: term.clone(),
                    weight: 1.0 - 0.1 * i as f32,
                    drives: true,
                    disjunct: 0,
                })
                .collect(),
            disjuncts: 1,
            tie: 0.3,
            all_terms: Vec::new(),
        };
        let nested = groups.iter().fold(
            Box::new(best_field.clone()) as Box<dyn Query>,
            |scored, group| {
                let all = group
                    .terms
                    .iter()
                    .map(|t| {
                        Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs))
                            as Box<dyn Query>
                    })
                    .collect();
                let booster =
                    BoostQuery::new(Box::new(BooleanQuery::intersection(all)), group.boost);
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, scored),
                    (Occur::Should, Box::new(booster)),
                ]))
            },
        );
        let expected = scores(&searcher, nested.as_ref());
        let alone = scores(&searcher, &best_field);
        let got = scores(
            &searcher,
            &BestFieldQuery {
                all_terms: groups.to_vec(),
                ..best_field
            },
        );
        assert_same_scores(&got, &expected);
        let raised = got.iter().zip(&alone).filter(|(g, a)| g.1 > a.1).count();
        assert!(
            raised >= 2 && raised < got.len(),
            "{raised} of {} documents hold a whole group",
            got.len()
        );
    }
}
