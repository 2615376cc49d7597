//! The schema of a locale index. Two kinds of document share it:
//!
//! - an **article** document per file: titles and the whole text of each side, analyzed for
//!   ranking articles (the locale's analyzer on the target side, English on the source side);
//! - a **segment** document per segment of the file: its target and source text, analyzed the
//!   same way and stored for display, with its ordinal, block kind and heading path.
//!
//! Both carry the file's `path` (an update deletes every document of the file by it, in one
//! commit) and the article `key` (grouping across locales). A query uses the fields of one
//! kind only, so its BM25 statistics count that kind's documents only (see the query crate's
//! statistics provider): the article fields are never diluted by a million short segments.
//!
//! One index per locale, so every field of a kind is used by every document of that kind: a
//! field only some documents use gets a tiny average length and crushed BM25 scores.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};

/// Value of the `doc_kind` field of an article document.
pub const ARTICLE: &str = "article";
/// Value of the `doc_kind` field of a segment document.
pub const SEGMENT: &str = "segment";

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// [`ARTICLE`] or [`SEGMENT`].
    pub doc_kind: Field,
    /// Corpus-relative path of the file (both kinds): updates delete by it.
    pub path: Field,
    /// Article key shared by an article's translations (both kinds).
    pub key: Field,
    pub locale: Field,
    /// Article: localized title (locale analyzer).
    pub title: Field,
    /// Article: every target segment, headings included (locale analyzer).
    pub body: Field,
    /// Article: English title (English analyzer).
    pub source_title: Field,
    /// Article: every source segment (English analyzer).
    pub source_body: Field,
    /// Article: number of segments / aligned segments, for stats.
    pub segment_count: Field,
    pub aligned_count: Field,
    /// Segment: its target text (locale analyzer), stored.
    pub target: Field,
    /// Segment: its English source text (English analyzer), stored; absent when unaligned.
    pub source: Field,
    /// Segment: position in the article, from 0.
    pub ordinal: Field,
    /// Segment: block kind (`h2`, `paragraph`, `list_item`, ...).
    pub block: Field,
    /// Segment: the target text of the headings above it, outermost first (one value each).
    pub heading_path: Field,
}

fn text(analyzer: &str, record: IndexRecordOption, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(record);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

pub fn build(target_analyzer: &str, source_analyzer: &str) -> (Schema, Fields) {
    use IndexRecordOption::{WithFreqs, WithFreqsAndPositions};
    let mut b = Schema::builder();
    let fields = Fields {
        doc_kind: b.add_text_field("doc_kind", STRING | FAST),
        path: b.add_text_field("path", STRING | STORED | FAST),
        key: b.add_text_field("key", STRING | STORED | FAST),
        locale: b.add_text_field("locale", STRING | STORED),
        title: b.add_text_field("title", text(target_analyzer, WithFreqsAndPositions, true)),
        body: b.add_text_field("body", text(target_analyzer, WithFreqsAndPositions, false)),
        source_title: b.add_text_field(
            "source_title",
            text(source_analyzer, WithFreqsAndPositions, true),
        ),
        source_body: b.add_text_field(
            "source_body",
            text(source_analyzer, WithFreqsAndPositions, false),
        ),
        segment_count: b.add_u64_field("segment_count", STORED | FAST),
        aligned_count: b.add_u64_field("aligned_count", STORED | FAST),
        target: b.add_text_field("target", text(target_analyzer, WithFreqs, true)),
        source: b.add_text_field("source", text(source_analyzer, WithFreqs, true)),
        ordinal: b.add_u64_field("ordinal", STORED | FAST | INDEXED),
        block: b.add_text_field("block", STRING | STORED | FAST),
        heading_path: b.add_text_field("heading_path", STORED),
    };
    (b.build(), fields)
}

/// Reads the fields of an opened index's schema.
pub fn fields(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        doc_kind: f("doc_kind")?,
        path: f("path")?,
        key: f("key")?,
        locale: f("locale")?,
        title: f("title")?,
        body: f("body")?,
        source_title: f("source_title")?,
        source_body: f("source_body")?,
        segment_count: f("segment_count")?,
        aligned_count: f("aligned_count")?,
        target: f("target")?,
        source: f("source")?,
        ordinal: f("ordinal")?,
        block: f("block")?,
        heading_path: f("heading_path")?,
    })
}
