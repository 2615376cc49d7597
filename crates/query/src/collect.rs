//! Scoring articles from their matching documents while tantivy collects them: a second and
//! third matching segment count, a hundredth repetition does not (BM25's saturation, across
//! segments); the better of title and body counts whole, the other adds a tie share.

use std::collections::HashSet;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::articles::{ArticleId, ArticleTable, decode};
use crate::ranking::{MAX_BEST_SEGMENTS, Ranking};
use crate::shortlist::Shortlist;

/// Articles that pass a query's article-level conditions: every required phrase somewhere in
/// them, no excluded word anywhere.
#[derive(Default)]
pub(crate) struct ArticleFilter {
    pub required: Vec<HashSet<ArticleId>>,
    pub excluded: HashSet<ArticleId>,
}

impl ArticleFilter {
    /// Whether it admits every article.
    pub(crate) fn is_empty(&self) -> bool {
        self.excluded.is_empty() && self.required.is_empty()
    }

    pub(crate) fn admits(&self, id: &ArticleId) -> bool {
        !self.excluded.contains(id) && self.required.iter().all(|set| set.contains(id))
    }
}

/// One scored article.
#[derive(Debug, Clone)]
pub(crate) struct ScoredArticle {
    pub score: Score,
    pub id: ArticleId,
    /// One of its documents that matched, and the tantivy segment holding it.
    pub segment: SegmentOrdinal,
    pub doc: DocId,
    /// Its best matching segment documents, numbered in `segment`.
    pub best_segments: BestSegments,
}

/// Collects the best `limit` articles, each scored from its matching documents.
pub(crate) struct ArticleCollector<'a> {
    /// The [`ArticleTable`] of the searcher searched.
    pub table: &'a ArticleTable,
    pub limit: usize,
    /// How an article's score is made of its documents' scores: a second and third
    /// matching segment count, a hundredth repetition does not (BM25's saturation, across
    /// segments); the better of title and body counts whole, the other adds a tie share.
    pub ranking: &'a Ranking,
    pub filter: &'a ArticleFilter,
    /// The articles' coordination, when a first pass chose them: their scores weighed by it
    /// ([`Ranking::coordination_weight`]).
    pub shortlist: Option<&'a Shortlist>,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Scores {
    /// The first of its documents seen, and its tantivy segment.
    segment: SegmentOrdinal,
    doc: DocId,
    /// The article document's (title) score.
    title: Score,
    segments: BestSegments,
}

/// An article's best matching segment documents, best first: their scores, and their
/// numbers in its run's tantivy segment (a hit's passages are chosen among them, so its other
/// segments need no analysis). A slot whose score is 0 is empty; one whose document is
/// [`UNKNOWN_DOC`] came from another tantivy segment.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BestSegments {
    scores: [Score; MAX_BEST_SEGMENTS],
    docs: [DocId; MAX_BEST_SEGMENTS],
}

const UNKNOWN_DOC: DocId = DocId::MAX;

impl BestSegments {
    fn add(&mut self, score: Score, doc: DocId) {
        if score <= self.scores[MAX_BEST_SEGMENTS - 1] {
            return;
        }
        let (mut score, mut doc) = (score, doc);
        for i in 0..MAX_BEST_SEGMENTS {
            if score > self.scores[i] {
                std::mem::swap(&mut self.scores[i], &mut score);
                std::mem::swap(&mut self.docs[i], &mut doc);
            }
        }
    }

    /// Where they are, given their run's tantivy segment.
    pub fn addresses(&self, segment: SegmentOrdinal) -> Vec<DocAddress> {
        self.scores
            .iter()
            .zip(self.docs)
            .filter(|&(&score, doc)| score > 0.0 && doc != UNKNOWN_DOC)
            .map(|(_, doc)| DocAddress::new(segment, doc))
            .collect()
    }
}

impl Scores {
    /// Adds another run of the same article's matches.
    fn merge(&mut self, other: &Scores) {
        self.title = self.title.max(other.title);
        let same_segment = other.segment == self.segment;
        for (score, doc) in other.segments.scores.into_iter().zip(other.segments.docs) {
            let doc = if same_segment { doc } else { UNKNOWN_DOC };
            self.segments.add(score, doc);
        }
    }

    fn article_score(&self, ranking: &Ranking) -> Score {
        let mut weight = 1.0;
        let mut body = 0.0;
        for s in self.segments.scores.iter().take(ranking.best_segments) {
            body += weight * s;
            weight *= ranking.segment_decay;
        }
        let (high, low) = if body >= self.title {
            (body, self.title)
        } else {
            (self.title, body)
        };
        high + ranking.tie * low
    }
}

pub(crate) struct ArticleSegmentCollector {
    segment_ord: SegmentOrdinal,
    /// This tantivy segment's row of the [`ArticleTable`].
    docs: Arc<[u32]>,
    /// One entry per run of matches of one article. An article's documents are added
    /// together and keep their order through merges, so its matches arrive as one run and
    /// need no lookup; a second run of the same article is merged at harvest.
    runs: Vec<(ArticleId, Scores)>,
}

impl SegmentCollector for ArticleSegmentCollector {
    type Fruit = Vec<(ArticleId, Scores)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some((article, is_segment_document)) = decode(&self.docs, doc) else {
            return;
        };
        let scores = match self.runs.last_mut() {
            Some((last, scores)) if *last == article => scores,
            _ => {
                self.runs.push((
                    article,
                    Scores {
                        segment: self.segment_ord,
                        doc,
                        ..Scores::default()
                    },
                ));
                &mut self.runs.last_mut().expect("pushed").1
            }
        };
        if is_segment_document {
            scores.segments.add(score, doc);
        } else {
            scores.title = scores.title.max(score);
        }
    }

    fn harvest(self) -> Self::Fruit {
        merge_runs(self.runs)
    }
}

/// One entry per article, its runs merged.
fn merge_runs(mut runs: Vec<(ArticleId, Scores)>) -> Vec<(ArticleId, Scores)> {
    // Nearly always one run per article, in order: nothing to do.
    if runs.is_sorted_by(|(a, _), (b, _)| a < b) {
        return runs;
    }
    runs.sort_by_key(|(article, _)| *article);
    let mut merged: Vec<(ArticleId, Scores)> = Vec::with_capacity(runs.len());
    for (article, scores) in runs {
        match merged.last_mut() {
            Some((last, into)) if *last == article => into.merge(&scores),
            _ => merged.push((article, scores)),
        }
    }
    merged
}

impl Collector for ArticleCollector<'_> {
    type Fruit = Vec<ScoredArticle>;
    type Child = ArticleSegmentCollector;

    fn for_segment(
        &self,
        segment_local_id: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let docs = self.table.row(segment_local_id, reader)?;
        Ok(ArticleSegmentCollector {
            segment_ord: segment_local_id,
            docs,
            // Room for every article at once: a query matches thousands, and growing the
            // list by doubling copied it over and over.
            runs: Vec::with_capacity(self.table.articles()),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(ArticleId, Scores)>>,
    ) -> tantivy::Result<Vec<ScoredArticle>> {
        // Articles with documents in several tantivy segments meet here.
        let articles = if fruits.len() == 1 {
            fruits.into_iter().next().unwrap_or_default()
        } else {
            merge_runs(fruits.into_iter().flatten().collect())
        };
        // Scored and ranked by number, then only the best are made into `ScoredArticle`s.
        let mut all: Vec<(Score, usize)> = articles
            .iter()
            .enumerate()
            .filter(|(_, (id, _))| self.filter.admits(id))
            .map(|(i, (id, s))| {
                let coordination = self.shortlist.map_or(1.0, |s| s.coordination(*id));
                let weight = self.ranking.coordination_weight(coordination);
                (s.article_score(self.ranking) * weight, i)
            })
            .collect();
        let by_score = |a: &(Score, usize), b: &(Score, usize)| {
            b.0.total_cmp(&a.0)
                .then_with(|| articles[a.1].0.cmp(&articles[b.1].0))
        };
        if all.len() > self.limit {
            all.select_nth_unstable_by(self.limit, by_score);
            all.truncate(self.limit);
        }
        all.sort_by(by_score);
        Ok(all
            .into_iter()
            .map(|(score, i)| {
                let (id, s) = &articles[i];
                ScoredArticle {
                    score,
                    id: *id,
                    segment: s.segment,
                    doc: s.doc,
                    best_segments: s.segments,
                }
            })
            .collect())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::articles::matching_articles;
    use locsearch_index::LocaleIndex;
    use locsearch_index::schema::Fields;
    use tantivy::query::{BooleanQuery, Query, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{Index, Term};

    pub(crate) const ARTICLE_PATH: &str =
        "sl-SI/AlchemyInsights/password-reset-button-greyed-out.md";

    pub(crate) fn sample_article() -> locsearch_ingest::Article {
        article_at(ARTICLE_PATH)
    }

    /// The sample corpus's article at `path` (below `corpus/`, its locale folder first).
    pub(crate) fn article_at(path: &str) -> locsearch_ingest::Article {
        let text = std::fs::read_to_string(format!(
            "{}/../../corpus/{path}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let document = locsearch_ingest::parse_document(&text);
        let (locale, key) = path.split_once('/').unwrap();
        locsearch_ingest::Article {
            locale: locale.into(),
            path: path.into(),
            key: key.into(),
            title: document.title(),
            source_title: document.source_title(),
            front_matter: document.front_matter.clone(),
            segments: document.segments,
        }
    }

    /// The article indexed in one commit, or its documents cut in two commits (two tantivy
    /// segments, as when a writer flushes midway through an article).
    pub(crate) fn index_of(
        article: &locsearch_ingest::Article,
        cut: Option<usize>,
    ) -> (Index, Fields) {
        index_of_all(std::slice::from_ref(article), cut)
    }

    /// A locale index over `index`, as the catalog opens one.
    pub(crate) fn locale_index(locale: &str, index: Index, fields: Fields) -> LocaleIndex {
        LocaleIndex {
            locale: locale.into(),
            reader: index.reader().unwrap(),
            index,
            fields,
            analyzer: locsearch_analysis::resolve(locale).info.name,
        }
    }

    /// Articles of one locale indexed in one commit, or their documents cut in two commits
    /// after the `cut`-th.
    pub(crate) fn index_of_all(
        articles: &[locsearch_ingest::Article],
        cut: Option<usize>,
    ) -> (Index, Fields) {
        let target = locsearch_analysis::resolve(&articles[0].locale).info.name;
        let (schema, fields) =
            locsearch_index::schema::build(target, locsearch_analysis::english().name);
        let index = Index::create_in_ram(schema);
        locsearch_analysis::register_all(index.tokenizers());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut words =
            locsearch_index::schema::WordTokenizers::of(&index.schema(), &fields).unwrap();
        let documents = articles
            .iter()
            .flat_map(|a| locsearch_index::schema::documents(a, &fields, &mut words));
        for (i, doc) in documents.collect::<Vec<_>>().into_iter().enumerate() {
            if Some(i) == cut {
                writer.commit().unwrap();
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, fields)
    }

    /// Documents whose English source holds `word`.
    fn source_query(fields: &Fields, word: &str) -> Box<dyn Query> {
        let mut english = locsearch_analysis::analyzer(locsearch_analysis::english().name).unwrap();
        let terms: Vec<Box<dyn Query>> = locsearch_analysis::analyze(&mut english, word)
            .into_iter()
            .map(|t| {
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.source, &t.text),
                    IndexRecordOption::WithFreqs,
                )) as Box<dyn Query>
            })
            .collect();
        Box::new(BooleanQuery::union(terms))
    }

    fn search(index: &Index, query: &dyn Query, filter: &ArticleFilter) -> Vec<ScoredArticle> {
        let searcher = index.reader().unwrap().searcher();
        let table = ArticleTable::read(&searcher, &Default::default()).unwrap();
        let collector = ArticleCollector {
            table: &table,
            limit: 10,
            ranking: &Ranking::default(),
            filter,
            shortlist: None,
        };
        searcher.search(query, &collector).unwrap()
    }

    #[test]
    fn an_article_is_scored_from_its_best_segments_in_one_or_two_tantivy_segments() {
        let article = sample_article();
        let (whole, fields) = index_of(&article, None);
        let query = source_query(&fields, "button");
        let one = search(&whole, query.as_ref(), &ArticleFilter::default());
        assert_eq!(one.len(), 1, "one article, however many segments match");

        // Its score is the best segment's plus `segment_decay` of the second's, and so on:
        // check against the segment documents' own scores.
        let searcher = whole.reader().unwrap().searcher();
        let top_docs = searcher
            .search(
                query.as_ref(),
                &tantivy::collector::TopDocs::with_limit(100).order_by_score(),
            )
            .unwrap();
        let mut segment_scores: Vec<Score> = top_docs.iter().map(|(score, _)| *score).collect();
        assert!(segment_scores.len() >= 3, "{segment_scores:?}");
        segment_scores.sort_by(|a, b| b.total_cmp(a));
        // It knows where its best segments are: the passages are chosen among them.
        let best: Vec<DocAddress> = top_docs
            .iter()
            .take(MAX_BEST_SEGMENTS)
            .map(|(_, a)| *a)
            .collect();
        assert_eq!(one[0].best_segments.addresses(one[0].segment), best);
        let ranking = Ranking::default();
        let expected: Score = segment_scores
            .iter()
            .take(ranking.best_segments)
            .enumerate()
            .map(|(i, s)| ranking.segment_decay.powi(i as i32) * s)
            .sum();
        assert!(
            (one[0].score - expected).abs() < 1e-4,
            "{} vs {expected}",
            one[0].score
        );

        // Cut after the third document: the matching segments sit on both sides of the cut.
        let (split, _) = index_of(&article, Some(3));
        assert_eq!(
            split.reader().unwrap().searcher().segment_readers().len(),
            2
        );
        let two = search(&split, query.as_ref(), &ArticleFilter::default());
        assert_eq!(two.len(), 1, "one article across two tantivy segments");
        assert!(
            (two[0].score - one[0].score).abs() < 1e-4,
            "{} vs {}",
            two[0].score,
            one[0].score
        );
    }

    #[test]
    fn a_word_anywhere_in_an_article_excludes_it_across_tantivy_segments() {
        let article = sample_article();
        let last_source = article
            .segments
            .iter()
            .rev()
            .find_map(|s| s.source.clone())
            .unwrap();
        let last_word = last_source.split_whitespace().last().unwrap().to_owned();
        let (split, fields) = index_of(&article, Some(3));
        let searcher = split.reader().unwrap().searcher();
        let query = source_query(&fields, "button");
        let filter = ArticleFilter {
            excluded: matching_articles(
                &searcher,
                &ArticleTable::read(&searcher, &Default::default()).unwrap(),
                source_query(&fields, &last_word).as_ref(),
            )
            .unwrap(),
            ..ArticleFilter::default()
        };
        assert!(!filter.excluded.is_empty());
        assert!(
            search(&split, query.as_ref(), &filter).is_empty(),
            "excluded by {last_word}"
        );
        let required = ArticleFilter {
            required: vec![filter.excluded.clone()],
            ..ArticleFilter::default()
        };
        let kept = search(&split, query.as_ref(), &required);
        assert_eq!(kept.len(), 1);
        // Required in one part, it is still scored from both.
        let unfiltered = search(&split, query.as_ref(), &ArticleFilter::default());
        assert!(
            (kept[0].score - unfiltered[0].score).abs() < 1e-4,
            "{} vs {}",
            kept[0].score,
            unfiltered[0].score
        );
    }
}
