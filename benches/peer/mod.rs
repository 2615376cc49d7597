//! The bar locsearch is measured against: what a Rust user would build in an afternoon with
//! plain tantivy — the same corpus (read by `locsearch_ingest`) in one index with tantivy's
//! default tokenizer, a title and a body field (every segment's both sides), queried through
//! `QueryParser` over both, top 10.

use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{STORED, STRING, Schema, TEXT};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

pub struct Peer {
    reader: IndexReader,
    parser: QueryParser,
}

impl Peer {
    /// The peer's index of `corpus` in `dir`: opened when a previous run built it, else built.
    pub fn open_or_build(corpus: &Path, dir: &Path) -> tantivy::Result<Peer> {
        let index = if dir.join("meta.json").exists() {
            Index::open_in_dir(dir)?
        } else {
            build(corpus, dir)?
        };
        let schema = index.schema();
        let fields = vec![schema.get_field("title")?, schema.get_field("body")?];
        let parser = QueryParser::for_index(&index, fields);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Peer { reader, parser })
    }

    /// The top ten documents for a query typed as is (syntax errors ignored, as a search box
    /// would).
    pub fn search(&self, text: &str) -> tantivy::Result<usize> {
        let (query, _) = self.parser.parse_query_lenient(text);
        let top = self
            .reader
            .searcher()
            .search(&query, &TopDocs::with_limit(10).order_by_score())?;
        Ok(top.len())
    }
}

fn build(corpus: &Path, dir: &Path) -> tantivy::Result<Index> {
    std::fs::create_dir_all(dir)?;
    let mut schema = Schema::builder();
    let path = schema.add_text_field("path", STRING | STORED);
    let title = schema.add_text_field("title", TEXT);
    let body = schema.add_text_field("body", TEXT);
    let index = Index::create_in_dir(dir, schema.build())?;
    let mut writer = index.writer(200_000_000)?;
    let options = locsearch_ingest::IngestOptions::default();
    let mut failed = None;
    locsearch_ingest::ingest(corpus, &options, |outcome| {
        let Some(article) = &outcome.article else {
            return;
        };
        let mut doc = TantivyDocument::default();
        doc.add_text(path, &article.path);
        doc.add_text(title, &article.title);
        if let Some(source_title) = &article.source_title {
            doc.add_text(title, source_title);
        }
        for segment in &article.segments {
            doc.add_text(body, &segment.target);
            if let Some(source) = &segment.source {
                doc.add_text(body, source);
            }
        }
        if let Err(e) = writer.add_document(doc) {
            failed.get_or_insert(e);
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    writer.commit()?;
    Ok(index)
}
