//! A locale search in two passes. The first scores whole articles: each article's text on
//! each side is a field of its article document, so a term's postings hold each article
//! once, where the segment documents hold it about three times, and every one of those
//! would be scored. It keeps the best [`Ranking::shortlist`] articles (fewer where the best
//! far outscore the rest, [`Ranking::shortlist_share`]), and notes which of the
//! query's words each holds, and which its titles hold. The second scores the documents of
//! those articles only, skipping to them, and their scores make the articles' as before
//! ([`crate::collect`]): an article's place among the shortlisted is decided by its best
//! segments, as without a first pass, and by the share of the query's words it holds
//! ([`Shortlist::coordination`]).
//!
//! [`Ranking::shortlist`]: crate::ranking::Ranking::shortlist
//! [`Ranking::shortlist_share`]: crate::ranking::Ranking::shortlist_share

use std::cell::RefCell;
use std::cmp::Ordering;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query};
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, Term};

use crate::articles::{ArticleId, ArticleTable, DocSpan, decode};
use crate::clauses::Documents;
use crate::collect::ArticleFilter;
use crate::postings::{Bm25, SegmentFields, TermWeights, each_posting};

/// What the first pass scores whole articles with: terms of the article text fields and the
/// titles, each with its weight, the query's words it stands for, and whether it is a title's.
/// An article document scores the sum of its terms' weighed BM25 scores, as tantivy's union
/// of their term queries would score it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ArticleTerms {
    pub terms: Vec<ArticleTerm>,
}

/// A term the first pass reads, its weight, the query's words it stands for, and whether it
/// is a title field's.
#[derive(Debug, Clone)]
pub(crate) struct ArticleTerm {
    pub term: Term,
    pub weight: f32,
    pub words: Words,
    pub in_title: bool,
}

/// Some of the query's words: one bit per word of a side, in [`QueryTerms::reduced`] order
/// (the first 32), the target side's below the source side's.
///
/// [`QueryTerms::reduced`]: crate::terms::QueryTerms::reduced
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Words(u64);

impl Words {
    /// The words of the side at `side` (0 the first searched, 1 the second) in `words`, bits
    /// of its [`QueryTerms::reduced`] order ([`QueryTerms::words_of`]).
    ///
    /// [`QueryTerms::reduced`]: crate::terms::QueryTerms::reduced
    /// [`QueryTerms::words_of`]: crate::terms::QueryTerms::words_of
    pub fn on_side(side: usize, words: u32) -> Words {
        Words(u64::from(words) << if side == 0 { 0 } else { 32 })
    }

    fn add(&mut self, other: Words) {
        self.0 |= other.0;
    }

    #[cfg(test)]
    fn union(mut self, other: Words) -> Words {
        self.add(other);
        self
    }

    /// The share of `all` these are, on the side where it is largest, counting at least
    /// `at_least` words; 1 when `all` is empty.
    fn share_of(self, all: Words, at_least: u32) -> f32 {
        let side_share = |mask: u64| {
            let of = (all.0 & mask).count_ones();
            let held = (self.0 & all.0 & mask).count_ones().max(at_least);
            (of > 0).then(|| held.min(of) as f32 / of as f32)
        };
        let target = side_share(u64::from(u32::MAX));
        let source = side_share(!u64::from(u32::MAX));
        target
            .into_iter()
            .chain(source)
            .reduce(f32::max)
            .unwrap_or(1.0)
    }
}

/// The query's words an article holds: anywhere, and in its titles.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Held {
    text: Words,
    title: Words,
}

impl Held {
    /// The share of `all` the article holds and the share its titles hold, averaged: a word
    /// in a title counts twice. An article the first pass found holds at least one word, even
    /// if it was found by a term that stands for none.
    fn coordination(self, all: Words) -> f32 {
        (self.text.share_of(all, 1) + self.title.share_of(all, 0)) / 2.0
    }

    /// The share of `all` the article's titles hold.
    fn title_share(self, all: Words) -> f32 {
        self.title.share_of(all, 0)
    }
}

/// The articles the first pass keeps, best first, with their coordination.
#[derive(Debug, Default)]
pub(crate) struct Shortlist {
    pub articles: Vec<ArticleId>,
    /// Per article, by id: its coordination ([`Shortlist::coordination`]) and the share of
    /// the words its titles hold ([`Shortlist::title_share`]).
    coordination: Vec<(ArticleId, f32, f32)>,
}

impl Shortlist {
    /// The share of the query's words `article` holds, of those some article of the locale
    /// holds, on its better side, a word in its titles counting twice: what BM25's sums do
    /// not weigh, an article holding three of the query's four words against one holding one
    /// word often, and a title that says what the query says.
    pub fn coordination(&self, article: ArticleId) -> f32 {
        self.coordination
            .binary_search_by_key(&article, |(id, ..)| *id)
            .map_or(1.0, |i| self.coordination[i].1)
    }

    /// The share of the query's words (of those some article of the locale holds, on its
    /// better side) that `article`'s titles hold: 1 when its title says what the query says.
    pub fn title_share(&self, article: ArticleId) -> f32 {
        self.coordination
            .binary_search_by_key(&article, |(id, ..)| *id)
            .map_or(1.0, |i| self.coordination[i].2)
    }
}

/// The best `size` articles that `filter` admits, by the score of their article documents
/// under `query`, best first; of those, none scoring under `least_share` of the best's,
/// unless fewer than `keep` would be left. Every article matched is scored: tantivy's
/// block-max pruning (block WAND) cost more than it skipped on these unions of many terms
/// (BENCHMARKS.md).
pub(crate) fn shortlist(
    searcher: &tantivy::Searcher,
    table: &ArticleTable,
    query: &ArticleTerms,
    stats: &dyn Bm25StatisticsProvider,
    filter: &ArticleFilter,
    (size, least_share, keep): (usize, f32, usize),
) -> tantivy::Result<Shortlist> {
    let admits = |id: &ArticleId| filter.is_empty() || filter.admits(id);
    let (best, all) = article_scores(searcher, table, query, stats, Best::new(size, admits))?;
    let mut best = best.into_sorted();
    if let Some(&(top, _, _)) = best.first() {
        let scored_again = best.partition_point(|(score, _, _)| *score >= top * least_share);
        best.truncate(scored_again.max(keep));
    }
    let mut coordination: Vec<(ArticleId, f32, f32)> = best
        .iter()
        .map(|(_, id, held)| (*id, held.coordination(all), held.title_share(all)))
        .collect();
    coordination.sort_unstable_by_key(|(id, ..)| *id);
    Ok(Shortlist {
        articles: best.into_iter().map(|(_, id, _)| id).collect(),
        coordination,
    })
}

/// An article found, its article document's score, and the query's words it holds.
type Found = (Score, ArticleId, Held);

/// The best of the articles whose article document `query` matches, with that document's
/// score and words; and the words any of them holds.
fn article_scores<F: Fn(&ArticleId) -> bool>(
    searcher: &tantivy::Searcher,
    table: &ArticleTable,
    query: &ArticleTerms,
    stats: &dyn Bm25StatisticsProvider,
    mut best: Best<F>,
) -> tantivy::Result<(Best<F>, Words)> {
    let mut weights = TermWeights::new(EnableScoring::enabled_from_statistics_provider(
        stats, searcher,
    ));
    let mut terms = Vec::with_capacity(query.terms.len());
    for t in &query.terms {
        terms.push((weights.of(&t.term)?.boost_by(t.weight), t));
    }
    let mut all = Words::default();
    SUMS.with_borrow_mut(|sums| -> tantivy::Result<()> {
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let docs = table.row(ord as SegmentOrdinal, reader)?;
            sums.add(reader, &terms)?;
            let alive = reader.alive_bitset();
            sums.drain(|doc, score, held| {
                // Only article documents hold the fields scored.
                if alive.is_none_or(|a| a.is_alive(doc))
                    && let Some((article, false)) = decode(&docs, doc)
                {
                    best.offer((score, article, held));
                    all.add(held.text);
                }
            });
        }
        Ok(())
    })?;
    Ok((best, all))
}

/// The `size` best articles offered that `admits` lets in: higher scores first, equal
/// scores in article order. Those offered gather in a buffer; when it holds twice `size`,
/// the best `size` stay and the worst of them becomes the bar, under which later ones are
/// turned away by one comparison.
struct Best<F> {
    size: usize,
    admits: F,
    kept: Vec<Found>,
    /// No article scoring under it can be among the best: `size` kept score at least this.
    bar: Score,
}

/// Higher scores first, equal scores in article order.
fn better_first(a: &Found, b: &Found) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

impl<F: Fn(&ArticleId) -> bool> Best<F> {
    fn new(size: usize, admits: F) -> Self {
        Best {
            size,
            admits,
            kept: Vec::with_capacity(size.min(MAX_PREALLOCATED).saturating_mul(2)),
            bar: Score::NEG_INFINITY,
        }
    }

    fn offer(&mut self, found: Found) {
        // Equal to the bar may still be better, by article order.
        if self.size == 0 || found.0 < self.bar || !(self.admits)(&found.1) {
            return;
        }
        self.kept.push(found);
        if self.kept.len() >= self.size.saturating_mul(2) {
            self.keep_best();
            self.bar = self.kept[self.size - 1].0;
        }
    }

    /// Keeps the best `size`, the worst of them last.
    fn keep_best(&mut self) {
        if self.kept.len() > self.size && self.size > 0 {
            self.kept
                .select_nth_unstable_by(self.size - 1, better_first);
            self.kept.truncate(self.size);
        }
    }

    /// The articles kept, best first.
    fn into_sorted(mut self) -> Vec<Found> {
        self.keep_best();
        self.kept.sort_by(better_first);
        self.kept
    }
}

/// The most places [`Best`] reserves at once: a search may ask for many more hits than any
/// query finds.
const MAX_PREALLOCATED: usize = 1024;

thread_local! {
    /// Each thread's sums, kept from one search to the next: as large as a tantivy
    /// segment's documents.
    static SUMS: RefCell<Sums> = RefCell::new(Sums::default());
}

/// Scores summed per document of one tantivy segment, one term's postings after another:
/// read straight through, without the window and the call per document and term of
/// tantivy's union. Terms are added in order, from 0, as the union adds them: the same sums.
#[derive(Default)]
struct Sums {
    /// Per document, its sum, or [`Sums::UNTOUCHED`], and the query's words its terms
    /// stand for: side by side, as a posting updates both.
    sums: Vec<(Score, Held)>,
    /// The documents with a sum, in the order first reached.
    touched: Vec<DocId>,
}

impl Sums {
    const UNTOUCHED: (Score, Held) = (
        Score::NEG_INFINITY,
        Held {
            text: Words(0),
            title: Words(0),
        },
    );

    fn add(
        &mut self,
        reader: &SegmentReader,
        terms: &[(Bm25, &ArticleTerm)],
    ) -> tantivy::Result<()> {
        let documents = reader.max_doc() as usize;
        if self.sums.len() < documents {
            self.sums.resize(documents, Self::UNTOUCHED);
        }
        let (sums, touched) = (&mut self.sums, &mut self.touched);
        let mut fields = SegmentFields::new(reader);
        for (bm25, term) in terms {
            let in_title = if term.in_title {
                term.words
            } else {
                Words::default()
            };
            each_posting(&mut fields, &term.term, bm25, |doc, score| {
                let (sum, held) = &mut sums[doc as usize];
                if *sum == Self::UNTOUCHED.0 {
                    touched.push(doc);
                    *sum = 0.0;
                }
                *sum += score;
                held.text.add(term.words);
                held.title.add(in_title);
            })?;
        }
        Ok(())
    }

    /// Hands out every document's sum and words, and forgets them.
    fn drain(&mut self, mut each: impl FnMut(DocId, Score, Held)) {
        for doc in self.touched.drain(..) {
            let (sum, held) = std::mem::replace(&mut self.sums[doc as usize], Self::UNTOUCHED);
            each(doc, sum, held);
        }
    }
}

/// What `collector` collects from the documents of `articles` that `documents` matches,
/// each with its score: the documents of other articles are skipped, not scored. The best
/// field is scored a span of documents at a time ([`BestFieldScorer::score_span`]); a
/// booster adds its score to a document as tantivy's nested `BooleanQuery` adds it.
///
/// [`BestFieldScorer::score_span`]: crate::best_field::BestFieldScorer::score_span
pub(crate) fn search_articles<C: Collector>(
    searcher: &tantivy::Searcher,
    table: &ArticleTable,
    articles: &[ArticleId],
    documents: &Documents,
    stats: &dyn Bm25StatisticsProvider,
    collector: &C,
) -> tantivy::Result<C::Fruit> {
    let scoring = EnableScoring::enabled_from_statistics_provider(stats, searcher);
    let best_field = documents.best_field.best_field_weight(scoring)?;
    let mut boosters = Vec::with_capacity(documents.boosters.len());
    for booster in &documents.boosters {
        boosters.push(booster.weight(scoring)?);
    }
    let mut spans: Vec<DocSpan> = Vec::with_capacity(articles.len());
    for &article in articles {
        table.spans_of(article, &mut spans);
    }
    spans.sort_unstable_by_key(|s| (s.segment, s.start));
    let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
    let mut found = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as SegmentOrdinal;
        let mut child = collector.for_segment(ord, reader)?;
        let here: Vec<&DocSpan> = spans.iter().filter(|s| s.segment == ord).collect();
        if !here.is_empty() {
            let mut scorer = best_field.best_field_scorer(reader)?;
            let mut boosting = Vec::with_capacity(boosters.len());
            for booster in &boosters {
                boosting.push(booster.scorer(reader, 1.0)?);
            }
            let alive = reader.alive_bitset();
            for span in here {
                scorer.score_span(span.start, span.end, &mut found);
                for (doc, mut score) in found.drain(..) {
                    if alive.is_some_and(|a| !a.is_alive(doc)) {
                        continue;
                    }
                    // Added in the order the nested queries add them.
                    for booster in &mut boosting {
                        if booster.doc() <= doc && booster.seek(doc) == doc {
                            score += booster.score();
                        }
                    }
                    child.collect(doc, score);
                }
            }
        }
        fruits.push(child.harvest());
    }
    collector.merge_fruits(fruits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::best_field::{AllTerms, BestFieldQuery, WeighedTerm};
    use crate::collect::tests::{article_at, index_of_all, sample_article};
    use crate::collect::{ArticleCollector, ScoredArticle};
    use crate::ranking::Ranking;
    use locsearch_index::schema::Fields;
    use tantivy::Term;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption};

    /// The two sample articles, and two shorter copies of the first under other paths: four
    /// articles that share words and differ in how much of them they hold.
    fn articles() -> Vec<locsearch_ingest::Article> {
        let mut articles = vec![
            sample_article(),
            article_at("sl-SI/AlchemyInsights/sharing-link-greyed-out.md"),
        ];
        for (i, keep) in [(1, 2), (2, 6)] {
            let mut copy = sample_article();
            copy.path = format!("sl-SI/AlchemyInsights/copy-{i}.md");
            copy.key = format!("AlchemyInsights/copy-{i}.md");
            copy.segments.truncate(keep);
            articles.push(copy);
        }
        articles
    }

    fn english_terms(field: Field, words: &str) -> Vec<Term> {
        let mut english = locsearch_analysis::analyzer(locsearch_analysis::english().name).unwrap();
        locsearch_analysis::analyze(&mut english, words)
            .into_iter()
            .map(|t| Term::from_field_text(field, &t.text))
            .collect()
    }

    /// What a plan scores documents with: the English body and title's best field (one
    /// disjunct the words, with "the" only adding; another "sharing link"), with every word
    /// in the body and "password account" in the body, and a booster for the first two words
    /// in order.
    fn document_query(fields: &Fields, words: &str) -> Documents {
        let weighed = |terms: Vec<Term>, weight: f32, drives: bool, disjunct: usize| {
            terms.into_iter().map(move |term| WeighedTerm {
                term,
                weight,
                drives,
                disjunct,
            })
        };
        let mut terms: Vec<WeighedTerm> = Vec::new();
        for (field, weight) in [(fields.source, 1.0), (fields.source_title, 2.0)] {
            terms.extend(weighed(english_terms(field, words), weight, true, 0));
        }
        terms.extend(weighed(english_terms(fields.source, "the"), 0.5, false, 0));
        terms.extend(weighed(
            english_terms(fields.source, "sharing link"),
            0.8,
            true,
            1,
        ));
        let body = english_terms(fields.source, words);
        let in_order = PhraseQuery::new_with_offset_and_slop(
            body.iter().take(2).cloned().enumerate().collect(),
            2,
        );
        Documents {
            best_field: BestFieldQuery {
                terms,
                disjuncts: 2,
                tie: 0.3,
                all_terms: vec![
                    AllTerms {
                        terms: body,
                        boost: 1.0,
                    },
                    // "account" is no disjunct's term: read from a cursor of its own.
                    AllTerms {
                        terms: english_terms(fields.source, "password account"),
                        boost: 0.7,
                    },
                ],
            },
            boosters: vec![Box::new(BoostQuery::new(Box::new(in_order), 3.0))],
        }
    }

    /// What the first pass scores whole articles with: the words in the article text and,
    /// weighed up, in the title, each term standing for its word.
    fn article_query(fields: &Fields, words: &str) -> ArticleTerms {
        let mut terms = Vec::new();
        for (i, word) in words.split(' ').enumerate() {
            for (field, weight) in [(fields.article_source, 1.0), (fields.source_title, 2.0)] {
                terms.extend(
                    english_terms(field, word)
                        .into_iter()
                        .map(|term| ArticleTerm {
                            term,
                            weight,
                            words: Words::on_side(1, 1 << i),
                            in_title: field == fields.source_title,
                        }),
                );
            }
        }
        ArticleTerms { terms }
    }

    /// tantivy's union of the weighed term queries.
    fn as_union(query: &ArticleTerms) -> BooleanQuery {
        BooleanQuery::new(
            query
                .terms
                .iter()
                .map(|t| {
                    let term = TermQuery::new(t.term.clone(), IndexRecordOption::WithFreqs);
                    let weighed = BoostQuery::new(Box::new(term), t.weight);
                    (Occur::Should, Box::new(weighed) as Box<dyn Query>)
                })
                .collect(),
        )
    }

    fn same(a: &[ScoredArticle], b: &[ScoredArticle]) {
        assert_eq!(a.len(), b.len());
        for (a, b) in a.iter().zip(b) {
            assert_eq!(a.id, b.id);
            assert!(
                (a.score - b.score).abs() <= 1e-5 * b.score,
                "{} vs {}",
                a.score,
                b.score
            );
            assert_eq!(
                a.best_segments.addresses(a.segment),
                b.best_segments.addresses(b.segment)
            );
        }
    }

    /// Replaces the first article, as an update does: its documents deleted, a shorter
    /// version added in a new tantivy segment.
    fn replace_first(
        index: &tantivy::Index,
        fields: &Fields,
        articles: &[locsearch_ingest::Article],
    ) {
        let mut shorter = articles[0].clone();
        shorter.segments.truncate(4);
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.delete_term(Term::from_field_text(fields.path, &shorter.path));
        let mut words =
            locsearch_index::schema::WordTokenizers::of(&index.schema(), fields).unwrap();
        for doc in locsearch_index::schema::documents(&shorter, fields, &mut words) {
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
    }

    /// Documents per tantivy segment (`None`: one segment), and whether the first article
    /// was then replaced.
    const VARIANTS: [(Option<usize>, bool); 5] = [
        (None, false),
        (Some(7), false),
        (Some(30), false),
        (None, true),
        (Some(7), true),
    ];

    /// The sample articles indexed as `VARIANTS` says.
    fn indexed(cut: Option<usize>, replaced: bool) -> (tantivy::Searcher, ArticleTable, Fields) {
        let articles = articles();
        let (index, fields) = index_of_all(&articles, cut);
        if replaced {
            replace_first(&index, &fields, &articles);
        }
        let searcher = index.reader().unwrap().searcher();
        let table = ArticleTable::read(&searcher, &Default::default()).unwrap();
        (searcher, table, fields)
    }

    /// Scoring the documents of every article, skipping to them, finds what a whole search
    /// finds, in one tantivy segment or two, and after an article was replaced (its old
    /// documents still there, deleted); scoring those of one article finds it alone, scored
    /// as before.
    #[test]
    fn the_documents_of_chosen_articles_score_as_in_a_whole_search() {
        for (cut, replaced) in VARIANTS {
            let (searcher, table, fields) = indexed(cut, replaced);
            let filter = ArticleFilter::default();
            let collector = ArticleCollector {
                table: &table,
                limit: 10,
                ranking: &Ranking::default(),
                filter: &filter,
                shortlist: None,
            };
            let query = document_query(&fields, "password reset button greyed out");
            let whole = searcher.search(&query, &collector).unwrap();
            assert_eq!(whole.len(), 4, "cut {cut:?}, replaced {replaced}");
            let every: Vec<ArticleId> = (0..table.articles() as ArticleId).collect();
            let chosen =
                search_articles(&searcher, &table, &every, &query, &searcher, &collector).unwrap();
            same(&chosen, &whole);
            for article in &whole {
                let alone = search_articles(
                    &searcher,
                    &table,
                    &[article.id],
                    &query,
                    &searcher,
                    &collector,
                )
                .unwrap();
                same(&alone, std::slice::from_ref(article));
            }
        }
    }

    /// The first pass scores articles as tantivy's union of the weighed term queries scores
    /// their article documents, to the bit (in one tantivy segment or several, a replaced
    /// article's old documents deleted), keeps as many as asked, and never one the filter
    /// excludes.
    #[test]
    fn the_shortlist_holds_the_articles_whose_whole_text_scores_best() {
        for (cut, replaced) in VARIANTS {
            let (searcher, table, fields) = indexed(cut, replaced);
            let query = article_query(&fields, "password reset button");
            let by_articles = searcher
                .search(
                    &as_union(&query),
                    &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
                )
                .unwrap();
            let expected: Vec<ArticleId> = by_articles
                .iter()
                .map(|(_, a)| {
                    decode(table.segment_docs(a.segment_ord).unwrap(), a.doc_id)
                        .unwrap()
                        .0
                })
                .collect();
            // The sharing article holds none of the words; the full article holds most.
            assert_eq!(expected.len(), 3, "cut {cut:?}, replaced {replaced}");
            let every = Best::new(usize::MAX, |_: &ArticleId| true);
            let (scored, _) = article_scores(&searcher, &table, &query, &searcher, every).unwrap();
            let scored = scored.into_sorted();
            let scores: Vec<Score> = by_articles.iter().map(|(score, _)| *score).collect();
            assert_eq!(scored.iter().map(|s| s.0).collect::<Vec<_>>(), scores);
            let none = ArticleFilter::default();
            let all = shortlist(&searcher, &table, &query, &searcher, &none, (10, 0.0, 0)).unwrap();
            assert_eq!(all.articles, expected);
            let best = shortlist(&searcher, &table, &query, &searcher, &none, (1, 0.0, 0)).unwrap();
            assert_eq!(best.articles, expected[..1]);
            let without_best = ArticleFilter {
                excluded: [expected[0]].into(),
                ..ArticleFilter::default()
            };
            let next = shortlist(
                &searcher,
                &table,
                &query,
                &searcher,
                &without_best,
                (1, 0.0, 0),
            )
            .unwrap();
            assert_eq!(next.articles, expected[1..2]);
            // An article scoring under the share asked of the best's is left out, unless
            // fewer than asked for would be left.
            let share = (scores[1] / scores[0] + scores[2] / scores[0]) / 2.0;
            let decisive = shortlist(&searcher, &table, &query, &searcher, &none, (10, share, 1));
            assert_eq!(decisive.unwrap().articles, expected[..2]);
            let kept = shortlist(&searcher, &table, &query, &searcher, &none, (10, share, 3));
            assert_eq!(kept.unwrap().articles, expected);
        }
    }

    /// An article's coordination is the share of the query's words it holds, of those some
    /// article holds, averaged with the share its titles hold: the copy cut after two
    /// segments holds "password" (its title, its first segment) but neither "portal" nor
    /// "administrator" (its fifth); the copy of six segments and the whole article hold all
    /// three, unless the article was replaced by its first four segments; every title holds
    /// "password" only. The sharing article holds none and is not found.
    #[test]
    fn coordination_is_the_share_of_the_query_words_an_article_holds() {
        for (cut, replaced) in VARIANTS {
            let (searcher, table, fields) = indexed(cut, replaced);
            let query = article_query(&fields, "password portal administrator");
            let none = ArticleFilter::default();
            let found =
                shortlist(&searcher, &table, &query, &searcher, &none, (10, 0.0, 0)).unwrap();
            let mut shares: Vec<f32> = found
                .articles
                .iter()
                .map(|&a| found.coordination(a))
                .collect();
            shares.sort_by(f32::total_cmp);
            let (one, all) = (1.0 / 3.0, (1.0 + 1.0 / 3.0) / 2.0);
            let whole = if replaced { one } else { all };
            let mut expected = [one, all, whole];
            expected.sort_by(f32::total_cmp);
            assert_eq!(shares, expected, "cut {cut:?}, replaced {replaced}");
        }
    }

    /// Some words' share is taken on the side where it is largest, counting at least the
    /// words asked for.
    #[test]
    fn a_share_is_the_best_sides() {
        let all = Words::on_side(0, 0b111).union(Words::on_side(1, 0b11));
        assert_eq!(Words::on_side(0, 0b011).share_of(all, 0), 2.0 / 3.0);
        let both = Words::on_side(0, 0b001).union(Words::on_side(1, 0b11));
        assert_eq!(both.share_of(all, 0), 1.0);
        assert_eq!(Words::default().share_of(all, 0), 0.0);
        assert_eq!(Words::default().share_of(all, 1), 1.0 / 2.0);
        assert_eq!(Words::on_side(0, 0b1).share_of(Words::default(), 0), 1.0);
    }

    /// A word in a title counts twice, and an article found holds at least one word.
    #[test]
    fn a_word_in_a_title_counts_twice() {
        let all = Words::on_side(0, 0b1111);
        let held = |text, title| Held {
            text: Words::on_side(0, text),
            title: Words::on_side(0, title),
        };
        assert_eq!(held(0b0011, 0b0011).coordination(all), 0.5);
        assert_eq!(held(0b0011, 0).coordination(all), 0.25);
        assert_eq!(held(0b1111, 0b0001).coordination(all), (1.0 + 0.25) / 2.0);
        assert_eq!(held(0, 0).coordination(all), 0.125);
    }

    proptest::proptest! {
        /// The best kept are the first `size` of every article offered that the filter
        /// admits, sorted by score (higher first) and then by article.
        #[test]
        fn the_best_kept_are_the_first_of_all_sorted(
            offered in proptest::collection::vec((0u8..8, 0u32..64), 0..200),
            size in 0usize..20,
            excluded in 0u32..64,
        ) {
            let admits = |id: &ArticleId| *id != excluded;
            let mut best = Best::new(size, admits);
            let mut all: Vec<(Score, ArticleId)> = Vec::new();
            for &(score, id) in &offered {
                // Scores from a few values, so that ties are common.
                let found = (Score::from(score) / 2.0, id, Held::default());
                best.offer(found);
                if admits(&id) {
                    all.push((found.0, id));
                }
            }
            all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            all.truncate(size);
            let kept: Vec<(Score, ArticleId)> =
                best.into_sorted().into_iter().map(|(s, id, _)| (s, id)).collect();
            proptest::prop_assert_eq!(kept, all);
        }
    }
}
