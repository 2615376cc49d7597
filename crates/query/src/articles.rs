//! From documents to articles. A locale index holds one document per segment and one per
//! article (titles); a query matches documents, and the hits are articles. This module scores
//! an article from its matching documents, and reads an article back from its documents.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use locsearch_index::LocaleIndex;
use locsearch_index::schema::{self, StoredSegment};
use tantivy::collector::{Collector, DocSetCollector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

use crate::ranking::{MAX_BEST_SEGMENTS, Ranking};

/// An article's number in its locale index snapshot ([`ArticleTable`]): the same in every
/// tantivy segment that holds some of its documents.
pub(crate) type ArticleId = u32;

/// Articles that pass a query's article-level conditions: every required phrase somewhere in
/// them, no excluded word anywhere.
#[derive(Default)]
pub(crate) struct ArticleFilter {
    pub required: Vec<HashSet<ArticleId>>,
    pub excluded: HashSet<ArticleId>,
}

impl ArticleFilter {
    fn admits(&self, id: &ArticleId) -> bool {
        !self.excluded.contains(id) && self.required.iter().all(|set| set.contains(id))
    }
}

/// The articles some document of which matches `query`.
pub(crate) fn matching_articles(
    searcher: &tantivy::Searcher,
    table: &ArticleTable,
    query: &dyn Query,
) -> tantivy::Result<HashSet<ArticleId>> {
    let docs = searcher.search(query, &DocSetCollector)?;
    Ok(docs
        .into_iter()
        .filter_map(|address| table.article_of(address.segment_ord, address.doc_id))
        .map(|(article, _)| article)
        .collect())
}

/// Every document of a locale index snapshot mapped to its article, numbered across the
/// index's tantivy segments (a writer can flush in the middle of an article, so one article
/// can have documents in two). Read once per snapshot, so that collecting a match is an
/// array lookup instead of two column reads, and merging an article's matches from several
/// tantivy segments needs no strings.
pub(crate) struct ArticleTable {
    /// Per tantivy segment, per document: `article << 1 | is_segment_document`, or
    /// `u32::MAX` for a document with no path.
    docs: Vec<Arc<[u32]>>,
    /// Per article: a tantivy segment holding it and its path's term ordinal there.
    paths: Vec<(SegmentOrdinal, u64)>,
}

impl ArticleTable {
    pub(crate) fn read(searcher: &tantivy::Searcher) -> tantivy::Result<ArticleTable> {
        let several = searcher.segment_readers().len() > 1;
        let mut numbers: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut paths: Vec<(SegmentOrdinal, u64)> = Vec::new();
        let mut docs = Vec::new();
        for (segment, reader) in searcher.segment_readers().iter().enumerate() {
            let segment = segment as SegmentOrdinal;
            let fast = reader.fast_fields();
            let path = fast.str(schema::name::PATH)?;
            let ordinal = fast.u64(schema::name::ORDINAL)?;
            // The article of each path term ordinal, streaming the dictionary in order.
            let mut articles_by_ord: Vec<u32> = Vec::new();
            if let Some(column) = &path {
                let mut terms = column.dictionary().stream()?;
                while terms.advance() {
                    let ord = terms.term_ord();
                    let mut new_article = || {
                        paths.push((segment, ord));
                        (paths.len() - 1) as u32
                    };
                    let article = if several {
                        *numbers
                            .entry(terms.key().to_vec())
                            .or_insert_with(new_article)
                    } else {
                        new_article()
                    };
                    articles_by_ord.push(article);
                }
            }
            docs.push(Arc::from(
                (0..reader.max_doc())
                    .map(|doc| {
                        let ord = path.as_ref().and_then(|p| p.term_ords(doc).next());
                        match ord.and_then(|o| articles_by_ord.get(o as usize)) {
                            Some(&article) if article < u32::MAX >> 1 => {
                                article << 1 | u32::from(ordinal.first(doc).is_some())
                            }
                            _ => u32::MAX,
                        }
                    })
                    .collect::<Vec<u32>>(),
            ));
        }
        Ok(ArticleTable { docs, paths })
    }

    /// A document's article, and whether the document is a segment document.
    fn article_of(&self, segment: SegmentOrdinal, doc: DocId) -> Option<(ArticleId, bool)> {
        let entry = *self.docs.get(segment as usize)?.get(doc as usize)?;
        (entry != u32::MAX).then_some((entry >> 1, entry & 1 == 1))
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
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Scores {
    /// The first of its documents seen, and its tantivy segment.
    segment: SegmentOrdinal,
    doc: DocId,
    /// The article document's (title) score.
    title: Score,
    /// The best segment documents' scores, best first.
    segments: [Score; MAX_BEST_SEGMENTS],
}

impl Scores {
    fn add_segment(&mut self, score: Score) {
        let mut score = score;
        for slot in &mut self.segments {
            if score > *slot {
                std::mem::swap(slot, &mut score);
            }
        }
    }

    /// Adds another run of the same article's matches.
    fn merge(&mut self, other: &Scores) {
        self.title = self.title.max(other.title);
        for s in other.segments {
            self.add_segment(s);
        }
    }

    fn article_score(&self, ranking: &Ranking) -> Score {
        let mut weight = 1.0;
        let mut body = 0.0;
        for s in self.segments.iter().take(ranking.best_segments) {
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
        let entry = self.docs.get(doc as usize).copied().unwrap_or(u32::MAX);
        if entry == u32::MAX {
            return;
        }
        let article = entry >> 1;
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
        if entry & 1 == 1 {
            scores.add_segment(score);
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
    if !runs.is_sorted_by_key(|(article, _)| *article) {
        runs.sort_by_key(|(article, _)| *article);
    }
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
        let docs = self
            .table
            .docs
            .get(segment_local_id as usize)
            .filter(|d| d.len() == reader.max_doc() as usize)
            .cloned()
            .ok_or_else(|| {
                tantivy::TantivyError::InternalError(
                    "article table of another index generation".into(),
                )
            })?;
        Ok(ArticleSegmentCollector {
            segment_ord: segment_local_id,
            docs,
            runs: Vec::new(),
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
        let mut all: Vec<ScoredArticle> = articles
            .into_iter()
            .filter(|(id, _)| self.filter.admits(id))
            .map(|(id, s)| ScoredArticle {
                score: s.article_score(self.ranking),
                id,
                segment: s.segment,
                doc: s.doc,
            })
            .collect();
        let by_score = |a: &ScoredArticle, b: &ScoredArticle| {
            b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id))
        };
        if all.len() > self.limit {
            all.select_nth_unstable_by(self.limit, by_score);
            all.truncate(self.limit);
        }
        all.sort_by(by_score);
        Ok(all)
    }
}

/// The path and key of scored articles, from fast columns opened once per tantivy segment
/// (opening one reads its dictionary's index).
pub(crate) struct PathsAndKeys<'a> {
    searcher: &'a tantivy::Searcher,
    columns: Vec<Option<(Option<StrColumn>, Option<StrColumn>)>>,
}

impl<'a> PathsAndKeys<'a> {
    pub(crate) fn new(searcher: &'a tantivy::Searcher) -> Self {
        PathsAndKeys {
            searcher,
            columns: vec![None; searcher.segment_readers().len()],
        }
    }

    pub(crate) fn get(
        &mut self,
        table: &ArticleTable,
        article: &ScoredArticle,
    ) -> tantivy::Result<(String, String)> {
        let mut path = String::new();
        if let Some(&(segment, ord)) = table.paths.get(article.id as usize)
            && let (Some(column), _) = self.columns(segment)?
        {
            column.ord_to_str(ord, &mut path)?;
        }
        let mut key = String::new();
        if let (_, Some(column)) = self.columns(article.segment)?
            && let Some(ord) = column.term_ords(article.doc).next()
        {
            column.ord_to_str(ord, &mut key)?;
        }
        Ok((path, key))
    }

    fn columns(
        &mut self,
        segment: SegmentOrdinal,
    ) -> tantivy::Result<&(Option<StrColumn>, Option<StrColumn>)> {
        let slot = &mut self.columns[segment as usize];
        if slot.is_none() {
            let fast = self.searcher.segment_reader(segment).fast_fields();
            *slot = Some((fast.str(schema::name::PATH)?, fast.str(schema::name::KEY)?));
        }
        Ok(slot.as_ref().expect("opened above"))
    }
}

/// An article read back from its documents.
#[derive(Debug, Default)]
pub(crate) struct StoredArticle {
    /// The article key, from the key column of its first document.
    pub key: String,
    pub title: String,
    pub source_title: Option<String>,
    /// In document order; empty unless asked for.
    pub segments: Vec<StoredSegment>,
}

/// Reads the article at `path` from its article document and, with `with_segments`, its
/// segment documents; `None` when there is no such article.
pub(crate) fn read_article(
    searcher: &tantivy::Searcher,
    index: &LocaleIndex,
    path: &str,
    with_segments: bool,
) -> tantivy::Result<Option<StoredArticle>> {
    let f = &index.fields;
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    let query: Box<dyn Query> = if with_segments {
        term(f.path, path)
    } else {
        Box::new(BooleanQuery::intersection(vec![
            term(f.path, path),
            term(f.kind, schema::ARTICLE),
        ]))
    };
    let mut addresses: Vec<_> = searcher
        .search(query.as_ref(), &DocSetCollector)?
        .into_iter()
        .collect();
    // Document order: an article's documents sit together, its article document first.
    addresses.sort();
    let mut key = String::new();
    if let Some(first) = addresses.first()
        && let Some(column) = searcher
            .segment_reader(first.segment_ord)
            .fast_fields()
            .str(schema::name::KEY)?
        && let Some(ord) = column.term_ords(first.doc_id).next()
    {
        column.ord_to_str(ord, &mut key)?;
    }
    let mut article: Option<StoredArticle> = None;
    let mut stored: Vec<Vec<u8>> = Vec::new();
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        if let Some(bytes) = doc.get_first(f.segment).and_then(|v| v.as_bytes()) {
            stored.push(bytes.to_vec());
        } else {
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            article = Some(StoredArticle {
                key: key.clone(),
                title: text(f.title),
                source_title: Some(text(f.source_title)).filter(|s| !s.is_empty()),
                segments: Vec::new(),
            });
        }
    }
    Ok(article.map(|mut a| {
        a.segments = schema::decode_segments(stored.iter().map(Vec::as_slice));
        a
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use locsearch_index::schema::Fields;
    use tantivy::Index;
    use tantivy::query::BooleanQuery;

    const ARTICLE_PATH: &str = "sl-SI/AlchemyInsights/password-reset-button-greyed-out.md";

    fn sample_article() -> locsearch_ingest::Article {
        let text = std::fs::read_to_string(format!(
            "{}/../../corpus/{ARTICLE_PATH}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let document = locsearch_ingest::parse_document(&text);
        locsearch_ingest::Article {
            locale: "sl-SI".into(),
            path: ARTICLE_PATH.into(),
            key: "AlchemyInsights/password-reset-button-greyed-out.md".into(),
            title: document.title(),
            source_title: document.source_title(),
            front_matter: document.front_matter.clone(),
            segments: document.segments,
        }
    }

    /// The article indexed in one commit, or its documents cut in two commits (two tantivy
    /// segments, as when a writer flushes midway through an article).
    fn index_of(article: &locsearch_ingest::Article, cut: Option<usize>) -> (Index, Fields) {
        let target = locsearch_analysis::resolve("sl-SI").info.name;
        let (schema, fields) =
            locsearch_index::schema::build(target, locsearch_analysis::english().name);
        let index = Index::create_in_ram(schema);
        locsearch_analysis::register_all(index.tokenizers());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (i, doc) in locsearch_index::schema::documents(article, &fields).enumerate() {
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
        let table = ArticleTable::read(&searcher).unwrap();
        let collector = ArticleCollector {
            table: &table,
            limit: 10,
            ranking: &Ranking::default(),
            filter,
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
        let mut segment_scores: Vec<Score> = searcher
            .search(
                query.as_ref(),
                &tantivy::collector::TopDocs::with_limit(100).order_by_score(),
            )
            .unwrap()
            .into_iter()
            .map(|(score, _)| score)
            .collect();
        assert!(segment_scores.len() >= 3, "{segment_scores:?}");
        segment_scores.sort_by(|a, b| b.total_cmp(a));
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
                &ArticleTable::read(&searcher).unwrap(),
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
