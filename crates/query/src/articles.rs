//! From documents to articles. A locale index holds one document per segment and one per
//! article (titles); a query matches documents, and the hits are articles. This module scores
//! an article's documents to their article ([`ArticleTable`]), and reads an article back from
//! its documents; `collect` scores articles from their matching documents.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use locsearch_index::LocaleIndex;
use locsearch_index::offsets::Offsets;
use locsearch_index::schema::{self, StoredSegment};
use tantivy::collector::DocSetCollector;
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, SegmentOrdinal, TantivyDocument, Term};

use crate::collect::ScoredArticle;

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
    /// Per article: where its article document (its titles) is.
    titles: Vec<Option<DocAddress>>,
}

impl ArticleTable {
    pub(crate) fn read(searcher: &tantivy::Searcher) -> tantivy::Result<ArticleTable> {
        let several = searcher.segment_readers().len() > 1;
        let mut numbers: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut paths: Vec<(SegmentOrdinal, u64)> = Vec::new();
        let mut docs: Vec<Arc<[u32]>> = Vec::new();
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
        let titles = article_documents(searcher, &docs, paths.len());
        Ok(ArticleTable {
            docs,
            paths,
            titles,
        })
    }

    /// Where an article's article document (its titles) is.
    pub(crate) fn titles_of(&self, article: ArticleId) -> Option<DocAddress> {
        self.titles.get(article as usize).copied().flatten()
    }

    /// A tantivy segment's row: per document, `article << 1 | is_segment_document`, or
    /// `u32::MAX`.
    pub(crate) fn segment_docs(&self, segment: SegmentOrdinal) -> Option<&Arc<[u32]>> {
        self.docs.get(segment as usize)
    }

    /// A document's article, and whether the document is a segment document.
    fn article_of(&self, segment: SegmentOrdinal, doc: DocId) -> Option<(ArticleId, bool)> {
        let entry = *self.docs.get(segment as usize)?.get(doc as usize)?;
        (entry != u32::MAX).then_some((entry >> 1, entry & 1 == 1))
    }
}

/// Where each article's live article document is, from the table's rows (a replaced
/// article's old documents are deleted, not gone).
fn article_documents(
    searcher: &tantivy::Searcher,
    docs: &[Arc<[u32]>],
    articles: usize,
) -> Vec<Option<DocAddress>> {
    let mut titles = vec![None; articles];
    for (segment, (row, reader)) in docs.iter().zip(searcher.segment_readers()).enumerate() {
        for (doc, &entry) in row.iter().enumerate() {
            let doc = doc as DocId;
            if entry != u32::MAX && entry & 1 == 0 && !reader.is_deleted(doc) {
                titles[(entry >> 1) as usize] =
                    Some(DocAddress::new(segment as SegmentOrdinal, doc));
            }
        }
    }
    titles
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

/// The segment stored in `doc`, found at `address`; `None` for a damaged one. Damaged
/// offsets leave the segment shown without highlights.
fn segment_in(
    doc: &TantivyDocument,
    index: &LocaleIndex,
    address: DocAddress,
) -> Option<ReadSegment> {
    let bytes = |field| doc.get_first(field).and_then(|v| v.as_bytes());
    let stored = schema::decode_segment(bytes(index.fields.segment)?)?;
    let offsets = bytes(index.fields.offsets)
        .and_then(Offsets::decode)
        .unwrap_or_default();
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

/// The article whose article document is at `titles`, with only the segments at `segments`,
/// and their ordinals in that order: each stored segment holds its heading path, so it is
/// read alone. `None` when that cannot be read this way: no segment given, or one outside
/// the run of documents the article document starts in its tantivy segment.
pub(crate) fn read_article_segments(
    searcher: &tantivy::Searcher,
    index: &LocaleIndex,
    titles: DocAddress,
    segments: &[DocAddress],
    key: &str,
) -> tantivy::Result<Option<(StoredArticle, Vec<u32>)>> {
    let same_run = |a: &DocAddress| a.segment_ord == titles.segment_ord && a.doc_id > titles.doc_id;
    if segments.is_empty() || !segments.iter().all(same_run) {
        return Ok(None);
    }
    let mut article = read_titles(searcher, index, titles, key)?;
    let mut ordinals = Vec::with_capacity(segments.len());
    for &address in segments {
        let doc: TantivyDocument = searcher.doc(address)?;
        if let Some(segment) = segment_in(&doc, index, address) {
            ordinals.push(segment.stored.ordinal);
            article.segments.push(segment);
        }
    }
    Ok(Some((article, ordinals)))
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
    use crate::collect::tests::{ARTICLE_PATH, index_of, locale_index, sample_article};

    /// A segment read on its own has the heading path that reading the whole article gives
    /// it, though most segments store none.
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
        let titles = ArticleTable::read(&searcher).unwrap().titles_of(0).unwrap();
        let at = |i: usize| DocAddress::new(titles.segment_ord, titles.doc_id + 1 + i as DocId);
        let backwards: Vec<DocAddress> = (0..whole.segments.len()).rev().map(at).collect();
        let (read, ordinals) =
            read_article_segments(&searcher, &locale, titles, &backwards, &whole.key)
                .unwrap()
                .unwrap();
        assert_eq!(read.title, whole.title);
        for (i, expected) in whole.segments.iter().rev().enumerate() {
            let expected = &expected.stored;
            assert_eq!(ordinals[i], expected.ordinal, "in the order asked");
            assert_eq!(read.segments[i].stored.heading_path, expected.heading_path);
            let (alone, _) = read_article_segments(
                &searcher,
                &locale,
                titles,
                &[at(expected.ordinal as usize)],
                "",
            )
            .unwrap()
            .unwrap();
            assert_eq!(
                alone.segments[0].stored.heading_path, expected.heading_path,
                "{expected:?}"
            );
        }
    }
}
