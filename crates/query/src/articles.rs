//! From documents to articles. A locale index holds one document per segment and one per
//! article (titles); a query matches documents, and the hits are articles. This module scores
//! an article from its matching documents, and reads an article back from its documents.

use std::collections::HashSet;

use locsearch_index::LocaleIndex;
use locsearch_index::schema::{self, StoredSegment};
use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, DocSetCollector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

/// How an article's score is made of its documents' scores.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Combine {
    /// The article's segment scores, best first, are summed with weights 1, decay, decay², …
    /// for the best [`BEST_SEGMENTS`]: a second and third matching segment count, a hundredth
    /// repetition does not (BM25's saturation, across segments).
    pub decay: f32,
    /// The better of the title score and the segment sum counts whole; the other adds this
    /// share (a disjunction-max tie breaker, as across fields).
    pub tie: f32,
}

/// Segment scores an article keeps.
const BEST_SEGMENTS: usize = 3;

/// An article's identity within one tantivy segment: (segment ordinal, path term ordinal).
pub(crate) type ArticleId = (SegmentOrdinal, u64);

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
    query: &dyn Query,
) -> tantivy::Result<HashSet<ArticleId>> {
    let docs = searcher.search(query, &DocSetCollector)?;
    let mut columns: Vec<Option<StrColumn>> = Vec::new();
    for reader in searcher.segment_readers() {
        columns.push(reader.fast_fields().str("path")?);
    }
    Ok(docs
        .into_iter()
        .filter_map(|address| {
            let column = columns[address.segment_ord as usize].as_ref()?;
            let ord = column.term_ords(address.doc_id).next()?;
            Some((address.segment_ord, ord))
        })
        .collect())
}

/// One scored article.
#[derive(Debug, Clone)]
pub(crate) struct ScoredArticle {
    pub score: Score,
    pub id: ArticleId,
    /// One of its documents that matched.
    pub doc: DocId,
}

/// Collects the best `limit` articles, each scored from its matching documents.
pub(crate) struct ArticleCollector<'a> {
    pub limit: usize,
    pub combine: Combine,
    pub filter: &'a ArticleFilter,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Scores {
    /// The first of its documents seen.
    doc: DocId,
    /// The article document's (title) score.
    title: Score,
    /// The best segment documents' scores, best first.
    segments: [Score; BEST_SEGMENTS],
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

    fn article_score(&self, combine: Combine) -> Score {
        let mut weight = 1.0;
        let mut body = 0.0;
        for s in self.segments {
            body += weight * s;
            weight *= combine.decay;
        }
        let (high, low) = if body >= self.title {
            (body, self.title)
        } else {
            (self.title, body)
        };
        high + combine.tie * low
    }
}

pub(crate) struct ArticleSegmentCollector {
    segment_ord: SegmentOrdinal,
    path: Option<StrColumn>,
    ordinal: Column<u64>,
    /// By the path's term ordinal. A map, not a vector over every article: a query matches a
    /// few hundred of an index's thousands, and zeroing the vector cost a sixth of the time.
    scores: FxHashMap<u64, Scores>,
}

impl SegmentCollector for ArticleSegmentCollector {
    type Fruit = Vec<(ArticleId, Scores)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(ord) = self.path.as_ref().and_then(|p| p.term_ords(doc).next()) else {
            return;
        };
        let scores = self.scores.entry(ord).or_insert_with(|| Scores {
            doc,
            ..Scores::default()
        });
        if self.ordinal.first(doc).is_some() {
            scores.add_segment(score);
        } else {
            scores.title = scores.title.max(score);
        }
    }

    fn harvest(self) -> Self::Fruit {
        let segment_ord = self.segment_ord;
        self.scores
            .into_iter()
            .map(|(ord, s)| ((segment_ord, ord), s))
            .collect()
    }
}

impl Collector for ArticleCollector<'_> {
    type Fruit = Vec<ScoredArticle>;
    type Child = ArticleSegmentCollector;

    fn for_segment(
        &self,
        segment_local_id: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = reader.fast_fields();
        Ok(ArticleSegmentCollector {
            segment_ord: segment_local_id,
            path: fast.str("path")?,
            ordinal: fast.u64("ordinal")?,
            scores: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(ArticleId, Scores)>>,
    ) -> tantivy::Result<Vec<ScoredArticle>> {
        let mut all: Vec<ScoredArticle> = fruits
            .into_iter()
            .flatten()
            .filter(|(id, _)| self.filter.admits(id))
            .map(|(id, s)| ScoredArticle {
                score: s.article_score(self.combine),
                id,
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

/// The path and key of a scored article, from fast columns.
pub(crate) fn path_and_key(
    searcher: &tantivy::Searcher,
    article: &ScoredArticle,
) -> tantivy::Result<(String, String)> {
    let fast = searcher.segment_reader(article.id.0).fast_fields();
    let mut path = String::new();
    if let Some(column) = fast.str("path")? {
        column.ord_to_str(article.id.1, &mut path)?;
    }
    let mut key = String::new();
    if let Some(column) = fast.str("key")?
        && let Some(ord) = column.term_ords(article.doc).next()
    {
        column.ord_to_str(ord, &mut key)?;
    }
    Ok((path, key))
}

/// An article read back from its documents.
#[derive(Debug, Default)]
pub(crate) struct StoredArticle {
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
