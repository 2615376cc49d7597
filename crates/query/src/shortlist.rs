//! A locale search in two passes. The first scores whole articles: each article's text on
//! each side is a field of its article document, so a term's postings hold each article
//! once, where the segment documents hold it about three times, and every one of those
//! would be scored. It keeps the best [`Ranking::shortlist`] articles. The second scores the
//! documents of those articles only, skipping to them, and their scores make the articles'
//! as before ([`crate::collect`]): an article's place among the shortlisted is decided by
//! its best segments, as without a first pass.
//!
//! [`Ranking::shortlist`]: crate::ranking::Ranking::shortlist

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query};
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use crate::articles::{ArticleId, ArticleTable, DocSpan, decode};
use crate::collect::ArticleFilter;

/// The best `size` articles that `filter` admits, by the score of their article documents
/// under `query`, best first.
pub(crate) fn shortlist(
    searcher: &tantivy::Searcher,
    table: &ArticleTable,
    query: &dyn Query,
    stats: &dyn Bm25StatisticsProvider,
    filter: &ArticleFilter,
    size: usize,
) -> tantivy::Result<Vec<ArticleId>> {
    let collector = Shortlist {
        table,
        filter,
        size,
    };
    searcher.search_with_statistics_provider(query, &collector, stats)
}

/// Collects [`shortlist`]'s articles. Every article matched is scored: tantivy's block-max
/// pruning (block WAND) cost more than it skipped on these unions of many terms
/// (BENCHMARKS.md).
struct Shortlist<'a> {
    table: &'a ArticleTable,
    filter: &'a ArticleFilter,
    size: usize,
}

struct ShortlistSegment {
    docs: Arc<[u32]>,
    found: Vec<(Score, ArticleId)>,
}

impl SegmentCollector for ShortlistSegment {
    type Fruit = Vec<(Score, ArticleId)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        // Only article documents hold the fields scored.
        if let Some((article, false)) = decode(&self.docs, doc) {
            self.found.push((score, article));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.found
    }
}

impl Collector for Shortlist<'_> {
    type Fruit = Vec<ArticleId>;
    type Child = ShortlistSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ShortlistSegment> {
        let docs = self.table.row(segment, reader)?;
        Ok(ShortlistSegment {
            docs,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(Score, ArticleId)>>,
    ) -> tantivy::Result<Vec<ArticleId>> {
        let mut all: Vec<(Score, ArticleId)> = fruits.into_iter().flatten().collect();
        if !self.filter.is_empty() {
            all.retain(|(_, id)| self.filter.admits(id));
        }
        let by_score = |a: &(Score, ArticleId), b: &(Score, ArticleId)| {
            b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
        };
        if all.len() > self.size {
            all.select_nth_unstable_by(self.size, by_score);
            all.truncate(self.size);
        }
        all.sort_by(by_score);
        Ok(all.into_iter().map(|(_, id)| id).collect())
    }
}

/// What `collector` collects from the documents of `articles` that `query` matches, each
/// with its score: the documents of other articles are skipped, not scored.
pub(crate) fn search_articles<C: Collector>(
    searcher: &tantivy::Searcher,
    table: &ArticleTable,
    articles: &[ArticleId],
    query: &dyn Query,
    stats: &dyn Bm25StatisticsProvider,
    collector: &C,
) -> tantivy::Result<C::Fruit> {
    let weight = query.weight(EnableScoring::enabled_from_statistics_provider(
        stats, searcher,
    ))?;
    let mut spans: Vec<DocSpan> = Vec::with_capacity(articles.len());
    for &article in articles {
        table.spans_of(article, &mut spans);
    }
    spans.sort_unstable_by_key(|s| (s.segment, s.start));
    let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as SegmentOrdinal;
        let mut child = collector.for_segment(ord, reader)?;
        let here: Vec<&DocSpan> = spans.iter().filter(|s| s.segment == ord).collect();
        if !here.is_empty() {
            let mut scorer = weight.scorer(reader, 1.0)?;
            let alive = reader.alive_bitset();
            for span in here {
                let mut doc = scorer.doc();
                if doc < span.start {
                    doc = scorer.seek(span.start);
                }
                while doc < span.end {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        child.collect(doc, scorer.score());
                    }
                    doc = scorer.advance();
                }
                if doc == TERMINATED {
                    break;
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
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
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

    /// What a plan scores documents with: the English body and title's best field, with
    /// every word in the body.
    fn document_query(fields: &Fields, words: &str) -> Box<dyn Query> {
        let mut terms = Vec::new();
        for (field, weight) in [(fields.source, 1.0), (fields.source_title, 2.0)] {
            terms.extend(
                english_terms(field, words)
                    .into_iter()
                    .map(|term| WeighedTerm {
                        term,
                        weight,
                        drives: true,
                        disjunct: 0,
                    }),
            );
        }
        Box::new(BestFieldQuery {
            terms,
            disjuncts: 1,
            tie: 0.3,
            all_terms: vec![AllTerms {
                terms: english_terms(fields.source, words),
                boost: 1.0,
            }],
        })
    }

    /// What the first pass scores whole articles with.
    fn article_query(fields: &Fields, words: &str) -> Box<dyn Query> {
        let terms = english_terms(fields.article_source, words)
            .into_iter()
            .chain(english_terms(fields.source_title, words))
            .map(|t| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                )
            })
            .collect();
        Box::new(BooleanQuery::new(terms))
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

    /// Scoring the documents of every article, skipping to them, finds what a whole search
    /// finds, in one tantivy segment or two, and after an article was replaced (its old
    /// documents still there, deleted); scoring those of one article finds it alone, scored
    /// as before.
    #[test]
    fn the_documents_of_chosen_articles_score_as_in_a_whole_search() {
        let articles = articles();
        for (cut, replaced) in [
            (None, false),
            (Some(7), false),
            (Some(30), false),
            (None, true),
            (Some(7), true),
        ] {
            let (index, fields) = index_of_all(&articles, cut);
            if replaced {
                replace_first(&index, &fields, &articles);
            }
            let searcher = index.reader().unwrap().searcher();
            let table = ArticleTable::read(&searcher, &Default::default()).unwrap();
            let filter = ArticleFilter::default();
            let collector = ArticleCollector {
                table: &table,
                limit: 10,
                ranking: &Ranking::default(),
                filter: &filter,
            };
            let query = document_query(&fields, "password reset button greyed out");
            let whole = searcher.search(query.as_ref(), &collector).unwrap();
            assert_eq!(whole.len(), 4, "cut {cut:?}, replaced {replaced}");
            let every: Vec<ArticleId> = (0..table.articles() as ArticleId).collect();
            let chosen = search_articles(
                &searcher,
                &table,
                &every,
                query.as_ref(),
                &searcher,
                &collector,
            )
            .unwrap();
            same(&chosen, &whole);
            for article in &whole {
                let alone = search_articles(
                    &searcher,
                    &table,
                    &[article.id],
                    query.as_ref(),
                    &searcher,
                    &collector,
                )
                .unwrap();
                same(&alone, std::slice::from_ref(article));
            }
        }
    }

    /// The first pass ranks articles by their whole text and title, best first, keeps as
    /// many as asked, and never one the filter excludes.
    #[test]
    fn the_shortlist_holds_the_articles_whose_whole_text_scores_best() {
        let (index, fields) = index_of_all(&articles(), Some(7));
        let searcher = index.reader().unwrap().searcher();
        let table = ArticleTable::read(&searcher, &Default::default()).unwrap();
        let query = article_query(&fields, "password reset button");
        let by_articles = searcher
            .search(
                query.as_ref(),
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
        assert_eq!(expected.len(), 3);
        let none = ArticleFilter::default();
        let all = shortlist(&searcher, &table, query.as_ref(), &searcher, &none, 10).unwrap();
        assert_eq!(all, expected);
        let best = shortlist(&searcher, &table, query.as_ref(), &searcher, &none, 1).unwrap();
        assert_eq!(best, expected[..1]);
        let without_best = ArticleFilter {
            excluded: [expected[0]].into(),
            ..ArticleFilter::default()
        };
        let next = shortlist(
            &searcher,
            &table,
            query.as_ref(),
            &searcher,
            &without_best,
            1,
        )
        .unwrap();
        assert_eq!(next, expected[1..2]);
    }
}
