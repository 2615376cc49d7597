//! From documents to articles. A locale index holds one document per segment and one per
//! article (titles); a query matches documents, and the hits are articles. This module scores
//! an article from its matching documents, and reads an article back from its documents.

use std::collections::HashSet;
use std::sync::Arc;

use locsearch_index::LocaleIndex;
use locsearch_index::schema::{self, StoredSegment};
use tantivy::collector::{Collector, DocSetCollector, SegmentCollector};
use tantivy::columnar::StrColumn;
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

/// For every document of one tantivy segment, its article (the path's term ordinal) and
/// whether it is a segment document: `ord << 1 | is_segment`, `u32::MAX` for none. Read
/// once per index snapshot, so that collecting a match is an array lookup instead of two
/// column reads.
pub(crate) type DocArticles = Arc<[u32]>;

/// [`DocArticles`] of each tantivy segment of `searcher`, by segment ordinal.
pub(crate) fn doc_articles(searcher: &tantivy::Searcher) -> tantivy::Result<Vec<DocArticles>> {
    searcher
        .segment_readers()
        .iter()
        .map(|reader| {
            let fast = reader.fast_fields();
            let path = fast.str("path")?;
            let ordinal = fast.u64("ordinal")?;
            Ok((0..reader.max_doc())
                .map(
                    |doc| match path.as_ref().and_then(|p| p.term_ords(doc).next()) {
                        Some(ord) if ord < u64::from(u32::MAX >> 1) => {
                            (ord as u32) << 1 | u32::from(ordinal.first(doc).is_some())
                        }
                        _ => u32::MAX,
                    },
                )
                .collect())
        })
        .collect()
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
    /// The searcher searched.
    pub searcher: &'a tantivy::Searcher,
    /// [`doc_articles`] of the searcher searched.
    pub doc_articles: &'a [DocArticles],
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

    /// Adds another run of the same article's matches.
    fn merge(&mut self, other: &Scores) {
        self.title = self.title.max(other.title);
        for s in other.segments {
            self.add_segment(s);
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
    doc_articles: DocArticles,
    /// One entry per run of matches of one article (its article term ordinal, `<< 1` as in
    /// [`DocArticles`]). An article's documents are added together and keep their order
    /// through merges, so its matches arrive as one run and need no lookup; a second run of
    /// the same article is merged at harvest.
    runs: Vec<(u32, Scores)>,
}

impl SegmentCollector for ArticleSegmentCollector {
    type Fruit = (SegmentOrdinal, Vec<(u64, Scores)>);

    fn collect(&mut self, doc: DocId, score: Score) {
        let article = self
            .doc_articles
            .get(doc as usize)
            .copied()
            .unwrap_or(u32::MAX);
        if article == u32::MAX {
            return;
        }
        let ord = article >> 1;
        let scores = match self.runs.last_mut() {
            Some((last, scores)) if *last == ord => scores,
            _ => {
                self.runs.push((
                    ord,
                    Scores {
                        doc,
                        ..Scores::default()
                    },
                ));
                &mut self.runs.last_mut().expect("pushed").1
            }
        };
        if article & 1 == 1 {
            scores.add_segment(score);
        } else {
            scores.title = scores.title.max(score);
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        if !self.runs.is_sorted_by_key(|(ord, _)| *ord) {
            self.runs.sort_by_key(|(ord, _)| *ord);
        }
        let mut merged: Vec<(u64, Scores)> = Vec::with_capacity(self.runs.len());
        for (ord, scores) in self.runs {
            match merged.last_mut() {
                Some((last, into)) if *last == u64::from(ord) => into.merge(&scores),
                _ => merged.push((u64::from(ord), scores)),
            }
        }
        (self.segment_ord, merged)
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
        let doc_articles = self
            .doc_articles
            .get(segment_local_id as usize)
            .filter(|d| d.len() == reader.max_doc() as usize)
            .cloned()
            .ok_or_else(|| {
                tantivy::TantivyError::InternalError(
                    "document table of another index generation".into(),
                )
            })?;
        Ok(ArticleSegmentCollector {
            segment_ord: segment_local_id,
            doc_articles,
            runs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(SegmentOrdinal, Vec<(u64, Scores)>)>,
    ) -> tantivy::Result<Vec<ScoredArticle>> {
        let mut articles: Vec<(ArticleId, Scores)> = fruits
            .into_iter()
            .flat_map(|(segment, found)| found.into_iter().map(move |(ord, s)| ((segment, ord), s)))
            .collect();
        // With one tantivy segment an id is an article; with more, only a path is, and the
        // conditions apply to the article's documents in all of them.
        if self.searcher.segment_readers().len() > 1 {
            articles = self.merge_across_segments(articles)?;
        } else {
            articles.retain(|(id, _)| self.filter.admits(id));
        }
        let mut all: Vec<ScoredArticle> = articles
            .into_iter()
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

impl ArticleCollector<'_> {
    /// An index of more than one tantivy segment may hold an article's documents in two of
    /// them (a writer can flush between two documents of one article): the article's scores
    /// and conditions are taken over all of them, by path.
    fn merge_across_segments(
        &self,
        articles: Vec<(ArticleId, Scores)>,
    ) -> tantivy::Result<Vec<(ArticleId, Scores)>> {
        let mut columns: Vec<Option<StrColumn>> = Vec::new();
        for reader in self.searcher.segment_readers() {
            columns.push(reader.fast_fields().str("path")?);
        }
        let path_of = |id: &ArticleId| -> String {
            let mut text = String::new();
            if let Some(column) = columns.get(id.0 as usize).and_then(Option::as_ref) {
                let _ = column.ord_to_str(id.1, &mut text);
            }
            text
        };
        let paths =
            |ids: &HashSet<ArticleId>| -> HashSet<String> { ids.iter().map(path_of).collect() };
        let excluded = paths(&self.filter.excluded);
        let required: Vec<HashSet<String>> = self.filter.required.iter().map(paths).collect();
        let mut by_path: std::collections::HashMap<String, (ArticleId, Scores)> =
            std::collections::HashMap::new();
        for (id, scores) in articles {
            let path = path_of(&id);
            if excluded.contains(&path) {
                continue;
            }
            match by_path.entry(path) {
                std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().1.merge(&scores),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert((id, scores));
                }
            }
        }
        Ok(by_path
            .into_iter()
            .filter(|(path, _)| required.iter().all(|set| set.contains(path)))
            .map(|(_, article)| article)
            .collect())
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
        let doc_articles = doc_articles(&searcher).unwrap();
        let collector = ArticleCollector {
            searcher: &searcher,
            doc_articles: &doc_articles,
            limit: 10,
            combine: Combine {
                decay: 0.1,
                tie: 0.3,
            },
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

        // Its score is the best segment's plus a tenth of the second's plus a hundredth of
        // the third's: check against the segment documents' own scores.
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
        let expected = segment_scores[0] + 0.1 * segment_scores[1] + 0.01 * segment_scores[2];
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
            excluded: matching_articles(&searcher, source_query(&fields, &last_word).as_ref())
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
