//! From documents to articles. A locale index holds one document per segment and one per
//! article (titles); a query matches documents, and the hits are articles. This module scores
//! an article's documents to their article ([`ArticleTable`]), and reads an article back from
//! its documents; `collect` scores articles from their matching documents.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use locsearch_index::LocaleIndex;
use locsearch_index::offsets::Offsets;
use locsearch_index::schema::{self, StoredSegment};
use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::collector::DocSetCollector;
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, SegmentOrdinal, TantivyDocument, Term};

use crate::collect::ScoredArticle;
use crate::titles::Titles;

/// An article's number in its locale index snapshot ([`ArticleTable`]): the same in every
/// tantivy segment that holds some of its documents.
pub(crate) type ArticleId = u32;

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

/// A row entry of the [`ArticleTable`]: `article << 1 | is_segment_document`, or
/// [`NO_ARTICLE`].
type Entry = u32;

/// The entry of a document with no path.
const NO_ARTICLE: Entry = Entry::MAX;

/// The entry of a document of `article`.
fn entry(article: ArticleId, is_segment_document: bool) -> Entry {
    article << 1 | Entry::from(is_segment_document)
}

/// A document's article and whether it is a segment document (else its article's document),
/// from its entry in a row of the [`ArticleTable`]; `None` for a document of no article.
pub(crate) fn decode(row: &[Entry], doc: DocId) -> Option<(ArticleId, bool)> {
    let entry = *row.get(doc as usize)?;
    (entry != NO_ARTICLE).then_some((entry >> 1, entry & 1 == 1))
}

/// Every document of a locale index snapshot mapped to its article, numbered across the
/// index's tantivy segments (a writer can flush in the middle of an article, so one article
/// can have documents in two). Read once per snapshot, so that collecting a match is an
/// array lookup instead of two column reads, and merging an article's matches from several
/// tantivy segments needs no strings.
pub(crate) struct ArticleTable {
    /// Per tantivy segment, per document: its [`Entry`].
    docs: Vec<Arc<[Entry]>>,
    /// Per article: a tantivy segment holding it and its path's term ordinal there.
    paths: Vec<(SegmentOrdinal, u64)>,
    /// Per article: where its live article document is.
    heads: Vec<Option<DocAddress>>,
    /// Per article: its titles.
    titles: Titles,
    /// Per article whose path is its key below the index's locale folder (nearly all), that
    /// key: a candidate's path and key are then no column reads (a dictionary lookup each,
    /// which cost more than scoring a query's best article).
    keys: Vec<Option<Arc<str>>>,
    /// The folder those paths start with.
    folder: String,
    /// The runs of consecutive documents of each article whose documents are not one run
    /// that starts at its live article document (a writer flushed in the middle of it, or
    /// its replaced documents are still there, deleted): nearly every article's are, and
    /// its run is found from its article document ([`ArticleTable::spans_of`]).
    split: FxHashMap<ArticleId, Vec<DocSpan>>,
}

/// Renumbers the articles of a snapshot of several tantivy segments in the order of their
/// paths, as a single segment's path dictionary numbers them. Equal scores are ordered by
/// article number, so they are then ordered by path however the index is laid out in
/// segments (an incremental build, a merge): the same corpus gives the same answers.
fn number_in_path_order(
    numbers: &HashMap<Vec<u8>, ArticleId>,
    docs: &mut [Arc<[Entry]>],
    paths: &mut Vec<(SegmentOrdinal, u64)>,
    keys: &mut Vec<Option<Arc<str>>>,
) {
    let mut by_path: Vec<(&[u8], ArticleId)> =
        numbers.iter().map(|(p, &a)| (p.as_slice(), a)).collect();
    by_path.sort_unstable();
    let mut renumbered = vec![0; paths.len()];
    for (new, &(_, old)) in by_path.iter().enumerate() {
        renumbered[old as usize] = new as ArticleId;
    }
    fn permute<T>(items: &mut Vec<T>, order: &[(&[u8], ArticleId)]) {
        let mut taken: Vec<Option<T>> = items.drain(..).map(Some).collect();
        for &(_, article) in order {
            items.push(taken[article as usize].take().expect("each article once"));
        }
    }
    permute(paths, &by_path);
    permute(keys, &by_path);
    for row in docs.iter_mut() {
        *row = row
            .iter()
            .map(|&e| match e {
                NO_ARTICLE => e,
                e => entry(renumbered[(e >> 1) as usize], e & 1 == 1),
            })
            .collect();
    }
}

/// Consecutive documents of one article in one tantivy segment: `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocSpan {
    pub segment: SegmentOrdinal,
    pub start: DocId,
    pub end: DocId,
}

/// Article keys and English titles, shared by the tables of one catalog snapshot: every
/// translation of an article has its key and (mostly) its English title, held once.
#[derive(Default)]
pub(crate) struct SharedNames(Mutex<FxHashSet<Arc<str>>>);

impl SharedNames {
    pub(crate) fn name(&self, key: &[u8]) -> Arc<str> {
        let key = String::from_utf8_lossy(key);
        let mut names = crate::held(&self.0);
        if let Some(known) = names.get(key.as_ref()) {
            return known.clone();
        }
        let name: Arc<str> = Arc::from(key.as_ref());
        names.insert(name.clone());
        name
    }
}

/// One tantivy segment's path and key dictionaries, read in order: what a term ordinal of
/// each column is.
struct SegmentNames {
    paths: Vec<Vec<u8>>,
    keys: Vec<Arc<str>>,
}

impl SegmentNames {
    fn read(
        (path, key): (Option<&StrColumn>, Option<&StrColumn>),
        names: &SharedNames,
    ) -> tantivy::Result<SegmentNames> {
        let mut paths = Vec::new();
        if let Some(column) = path {
            let mut terms = column.dictionary().stream()?;
            while terms.advance() {
                paths.push(terms.key().to_vec());
            }
        }
        let mut keys = Vec::new();
        if let Some(column) = key {
            let mut terms = column.dictionary().stream()?;
            while terms.advance() {
                keys.push(names.name(terms.key()));
            }
        }
        Ok(SegmentNames { paths, keys })
    }
}

impl ArticleTable {
    pub(crate) fn read(
        searcher: &tantivy::Searcher,
        names: &SharedNames,
    ) -> tantivy::Result<ArticleTable> {
        let several = searcher.segment_readers().len() > 1;
        let mut numbers: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut paths: Vec<(SegmentOrdinal, u64)> = Vec::new();
        let mut keys: Vec<Option<Arc<str>>> = Vec::new();
        let mut folder: Option<String> = None;
        let mut docs: Vec<Arc<[u32]>> = Vec::new();
        for (segment, reader) in searcher.segment_readers().iter().enumerate() {
            let segment = segment as SegmentOrdinal;
            let fast = reader.fast_fields();
            let (path, key) = (fast.str(schema::name::PATH)?, fast.str(schema::name::KEY)?);
            let ordinal = fast.u64(schema::name::ORDINAL)?;
            let segment_names = SegmentNames::read((path.as_ref(), key.as_ref()), names)?;
            // The article of each path term ordinal, in the dictionary's order.
            let mut articles_by_ord: Vec<u32> = Vec::with_capacity(segment_names.paths.len());
            for (ord, name) in segment_names.paths.iter().enumerate() {
                let mut new_article = || {
                    paths.push((segment, ord as u64));
                    keys.push(None);
                    (paths.len() - 1) as u32
                };
                let article = if several {
                    *numbers.entry(name.clone()).or_insert_with(new_article)
                } else {
                    new_article()
                };
                articles_by_ord.push(article);
            }
            let mut row: Vec<u32> = Vec::with_capacity(reader.max_doc() as usize);
            for doc in 0..reader.max_doc() {
                let ord = path.as_ref().and_then(|p| p.term_ords(doc).next());
                let article = ord.and_then(|o| Some((o, *articles_by_ord.get(o as usize)?)));
                let Some((ord, article)) = article.filter(|&(_, a)| a < NO_ARTICLE >> 1) else {
                    row.push(NO_ARTICLE);
                    continue;
                };
                row.push(entry(article, ordinal.first(doc).is_some()));
                let slot = &mut keys[article as usize];
                if slot.is_none()
                    && let Some(name) = key
                        .as_ref()
                        .and_then(|k| k.term_ords(doc).next())
                        .and_then(|k| segment_names.keys.get(k as usize))
                    && let Some(below) = folder_above(&segment_names.paths[ord as usize], name)
                    && *folder.get_or_insert_with(|| below.to_owned()) == below
                {
                    *slot = Some(name.clone());
                }
            }
            docs.push(Arc::from(row));
        }
        if several {
            number_in_path_order(&numbers, &mut docs, &mut paths, &mut keys);
        }
        let heads = article_documents(searcher, &docs, paths.len());
        let split = split_articles(&docs, &heads);
        Ok(ArticleTable {
            titles: Titles::read(searcher, &heads, names)?,
            docs,
            paths,
            heads,
            keys,
            folder: folder.unwrap_or_default(),
            split,
        })
    }

    /// Adds where `article`'s documents are to `spans`.
    pub(crate) fn spans_of(&self, article: ArticleId, spans: &mut Vec<DocSpan>) {
        if let Some(split) = self.split.get(&article) {
            spans.extend_from_slice(split);
            return;
        }
        let Some(first) = self.article_document(article) else {
            return;
        };
        let Some(row) = self.docs.get(first.segment_ord as usize) else {
            return;
        };
        let mut end = first.doc_id;
        while decode(row, end).is_some_and(|(a, _)| a == article) {
            end += 1;
        }
        spans.push(DocSpan {
            segment: first.segment_ord,
            start: first.doc_id,
            end,
        });
    }

    /// The path and key of an article whose path is its key below the locale folder.
    pub(crate) fn path_and_key(&self, article: ArticleId) -> Option<(String, String)> {
        let key = self.keys.get(article as usize)?.as_ref()?;
        Some((format!("{}/{key}", self.folder), key.to_string()))
    }

    /// How many articles the snapshot holds.
    pub(crate) fn articles(&self) -> usize {
        self.paths.len()
    }

    /// Where an article's live article document is.
    pub(crate) fn article_document(&self, article: ArticleId) -> Option<DocAddress> {
        self.heads.get(article as usize).copied().flatten()
    }

    /// An article's localized and English titles, when the table holds them.
    pub(crate) fn titles(&self, article: ArticleId) -> Option<(&str, Option<&str>)> {
        self.titles.of(article)
    }

    /// A tantivy segment's row: per document, its entry ([`decode`] reads it).
    pub(crate) fn segment_docs(&self, segment: SegmentOrdinal) -> Option<&Arc<[u32]>> {
        self.docs.get(segment as usize)
    }

    /// A tantivy segment's row ([`ArticleTable::segment_docs`]), checked to be of `reader`'s
    /// segment: a table read from another snapshot of the index is an error.
    pub(crate) fn row(
        &self,
        segment: SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<Arc<[u32]>> {
        self.segment_docs(segment)
            .filter(|d| d.len() == reader.max_doc() as usize)
            .cloned()
            .ok_or_else(|| {
                tantivy::TantivyError::InternalError(
                    "article table of another index generation".into(),
                )
            })
    }

    /// A document's article, and whether the document is a segment document.
    fn article_of(&self, segment: SegmentOrdinal, doc: DocId) -> Option<(ArticleId, bool)> {
        decode(self.docs.get(segment as usize)?, doc)
    }
}

impl std::fmt::Debug for ArticleTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ArticleTable({} articles)", self.articles())
    }
}

/// The one folder `path` holds `key` in, if it is `folder/key`.
fn folder_above<'p>(path: &'p [u8], key: &str) -> Option<&'p str> {
    let folder = path.strip_suffix(key.as_bytes())?.strip_suffix(b"/")?;
    std::str::from_utf8(folder)
        .ok()
        .filter(|f| !f.contains('/'))
}

/// The runs of consecutive documents of the articles whose documents are not one run that
/// starts at their live article document (`heads`).
fn split_articles(
    docs: &[Arc<[u32]>],
    heads: &[Option<DocAddress>],
) -> FxHashMap<ArticleId, Vec<DocSpan>> {
    let mut runs: Vec<(ArticleId, DocSpan)> = Vec::new();
    for (segment, row) in docs.iter().enumerate() {
        let mut open: Option<(ArticleId, DocSpan)> = None;
        for doc in 0..row.len() as DocId {
            let article = decode(row, doc).map(|(article, _)| article);
            match (&mut open, article) {
                (Some((a, span)), Some(b)) if *a == b => span.end = doc + 1,
                _ => {
                    runs.extend(open.take());
                    open = article.map(|article| {
                        let span = DocSpan {
                            segment: segment as SegmentOrdinal,
                            start: doc,
                            end: doc + 1,
                        };
                        (article, span)
                    });
                }
            }
        }
        runs.extend(open);
    }
    let mut count: FxHashMap<ArticleId, usize> = FxHashMap::default();
    for (article, _) in &runs {
        *count.entry(*article).or_default() += 1;
    }
    let starts_at_title = |article: ArticleId, span: &DocSpan| {
        heads.get(article as usize).copied().flatten()
            == Some(DocAddress::new(span.segment, span.start))
    };
    let mut split: FxHashMap<ArticleId, Vec<DocSpan>> = FxHashMap::default();
    for (article, span) in runs {
        if count[&article] > 1 || !starts_at_title(article, &span) {
            split.entry(article).or_default().push(span);
        }
    }
    split
}

/// Where each article's live article document is, from the table's rows (a replaced
/// article's old documents are deleted, not gone).
fn article_documents(
    searcher: &tantivy::Searcher,
    docs: &[Arc<[u32]>],
    articles: usize,
) -> Vec<Option<DocAddress>> {
    let mut heads = vec![None; articles];
    for (segment, (row, reader)) in docs.iter().zip(searcher.segment_readers()).enumerate() {
        for doc in 0..row.len() as DocId {
            if let Some((article, false)) = decode(row, doc)
                && !reader.is_deleted(doc)
            {
                heads[article as usize] = Some(DocAddress::new(segment as SegmentOrdinal, doc));
            }
        }
    }
    heads
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

    /// From the table when it knows them ([`ArticleTable::path_and_key`]), else from the
    /// columns.
    pub(crate) fn get(
        &mut self,
        table: &ArticleTable,
        article: &ScoredArticle,
    ) -> tantivy::Result<(String, String)> {
        match table.path_and_key(article.id) {
            Some(found) => Ok(found),
            None => self.read_columns(table, article),
        }
    }

    fn read_columns(
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
    pub segments: Vec<ReadSegment>,
}

/// A segment read back from its document, with where that document is and where its words
/// lie: what a passage needs to be highlighted from the postings.
#[derive(Debug)]
pub(crate) struct ReadSegment {
    pub stored: StoredSegment,
    pub address: DocAddress,
    pub offsets: Offsets,
}

/// The segment stored in `doc`, found at `address`, with its offsets; `None` for a damaged
/// one.
fn segment_in(
    doc: &TantivyDocument,
    index: &LocaleIndex,
    address: DocAddress,
) -> Option<ReadSegment> {
    let text = doc.get_first(index.fields.segment)?.as_str()?;
    let (stored, offsets) = StoredSegment::decode(text)?;
    Some(ReadSegment {
        stored,
        address,
        offsets,
    })
}

/// An article's titles from its article document `doc`.
fn titles_in(doc: &TantivyDocument, index: &LocaleIndex, key: &str) -> StoredArticle {
    let f = &index.fields;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    StoredArticle {
        key: key.to_owned(),
        title: text(f.title),
        source_title: Some(text(f.source_title)).filter(|s| !s.is_empty()),
        segments: Vec::new(),
    }
}

/// An article's titles from its article document at `address`, with the `key` it is known
/// by: what a hit without passages shows, without looking its path up.
pub(crate) fn read_titles(
    searcher: &tantivy::Searcher,
    index: &LocaleIndex,
    address: DocAddress,
    key: &str,
) -> tantivy::Result<StoredArticle> {
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(titles_in(&doc, index, key))
}

/// Whether every one of `segments` is in the run of documents that the article document at
/// `head` starts in its tantivy segment: what [`read_segment`] reads a passage from alone,
/// each stored segment holding its heading path.
pub(crate) fn in_run(head: DocAddress, segments: &[DocAddress]) -> bool {
    segments
        .iter()
        .all(|a| a.segment_ord == head.segment_ord && a.doc_id > head.doc_id)
}

/// The segment whose document is at `address`; `None` for a damaged one.
pub(crate) fn read_segment(
    searcher: &tantivy::Searcher,
    index: &LocaleIndex,
    address: DocAddress,
) -> tantivy::Result<Option<ReadSegment>> {
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(segment_in(&doc, index, address))
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
    let mut segments = Vec::new();
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        if doc.get_first(f.segment).is_none() {
            article = Some(titles_in(&doc, index, &key));
        } else if let Some(segment) = segment_in(&doc, index, address) {
            segments.push(segment);
        }
    }
    segments.sort_by_key(|s| s.stored.ordinal);
    Ok(article.map(|mut a| {
        a.segments = segments;
        a
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::tests::{
        ARTICLE_PATH, article_at, index_of, index_of_all, locale_index, sample_article,
    };

    /// A hit's path and key come from the table when its path is its key below the locale
    /// folder, else from the columns: both ways give what the article was indexed with, in
    /// one tantivy segment or two.
    #[test]
    fn paths_and_keys_from_the_table_are_those_the_columns_hold() {
        let mut articles = vec![
            sample_article(),
            article_at("sl-SI/AlchemyInsights/sharing-link-greyed-out.md"),
        ];
        for (path, key) in [("loose.md", "source:0a1b"), ("docs/sl-SI/a.md", "a.md")] {
            let mut other = sample_article();
            (other.path, other.key) = (path.into(), key.into());
            articles.push(other);
        }
        let indexed: HashSet<(String, String)> = articles
            .iter()
            .map(|a| (a.path.clone(), a.key.clone()))
            .collect();
        for cut in [None, Some(5)] {
            let (index, _) = index_of_all(&articles, cut);
            let searcher = index.reader().unwrap().searcher();
            let table = ArticleTable::read(&searcher, &SharedNames::default()).unwrap();
            let collector = crate::collect::ArticleCollector {
                table: &table,
                limit: 10,
                ranking: &crate::ranking::Ranking::default(),
                filter: &Default::default(),
                shortlist: None,
            };
            let found = searcher
                .search(&tantivy::query::AllQuery, &collector)
                .unwrap();
            let mut read = HashSet::new();
            let mut from_table = 0;
            for article in &found {
                let mut paths_and_keys = PathsAndKeys::new(&searcher);
                let got = paths_and_keys.get(&table, article).unwrap();
                let columns = paths_and_keys.read_columns(&table, article).unwrap();
                assert_eq!(got, columns, "cut {cut:?}");
                from_table += usize::from(table.path_and_key(article.id).is_some());
                read.insert(got);
            }
            assert_eq!(read, indexed, "cut {cut:?}");
            assert_eq!(from_table, 2, "cut {cut:?}");
        }
    }

    /// An article's spans hold its documents and no other, in one tantivy segment or
    /// with the article cut in two.
    #[test]
    fn an_article_s_spans_hold_exactly_its_documents() {
        let articles = [
            sample_article(),
            article_at("sl-SI/AlchemyInsights/sharing-link-greyed-out.md"),
        ];
        for cut in [None, Some(5), Some(articles[0].segments.len() + 4)] {
            let (index, _) = index_of_all(&articles, cut);
            let searcher = index.reader().unwrap().searcher();
            let table = ArticleTable::read(&searcher, &SharedNames::default()).unwrap();
            assert_eq!(table.articles(), 2);
            let segments = searcher.segment_readers().len() as SegmentOrdinal;
            for article in 0..2 {
                let mut spans = Vec::new();
                table.spans_of(article, &mut spans);
                let from_spans: Vec<(SegmentOrdinal, DocId)> = spans
                    .iter()
                    .flat_map(|s| (s.start..s.end).map(move |doc| (s.segment, doc)))
                    .collect();
                let from_rows: Vec<(SegmentOrdinal, DocId)> = (0..segments)
                    .flat_map(|segment| {
                        let row = table.segment_docs(segment).unwrap().clone();
                        (0..row.len() as DocId)
                            .filter(move |&doc| {
                                decode(&row, doc).is_some_and(|(a, _)| a == article)
                            })
                            .map(move |doc| (segment, doc))
                    })
                    .collect();
                assert!(
                    from_rows.len() > articles[0].segments.len().min(5),
                    "cut {cut:?}"
                );
                assert_eq!(from_spans, from_rows, "cut {cut:?}");
            }
            let mut none = Vec::new();
            table.spans_of(2, &mut none);
            assert!(none.is_empty());
        }
    }

    /// A segment read on its own, as a passage is, is what reading the whole article gives
    /// it, heading path included.
    #[test]
    fn segments_read_alone_keep_their_heading_paths() {
        let article = sample_article();
        let (index, fields) = index_of(&article, None);
        let locale = locale_index("sl-SI", index, fields);
        let searcher = locale.reader.searcher();
        let whole = read_article(&searcher, &locale, ARTICLE_PATH, true)
            .unwrap()
            .unwrap();
        assert!(whole.segments.len() > 3);
        let head = ArticleTable::read(&searcher, &Default::default())
            .unwrap()
            .article_document(0)
            .unwrap();
        let at = |i: usize| DocAddress::new(head.segment_ord, head.doc_id + 1 + i as DocId);
        for expected in whole.segments.iter().rev() {
            let expected = &expected.stored;
            let address = at(expected.ordinal as usize);
            assert!(in_run(head, &[address]));
            let alone = read_segment(&searcher, &locale, address).unwrap().unwrap();
            assert_eq!(alone.stored, *expected);
            assert_eq!(alone.address, address);
        }
    }
}
