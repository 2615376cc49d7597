//! The schema of a locale index: one document per article, target side analyzed with the
//! locale's analyzer and source side with the English one, segments stored for display.
//!
//! One index per locale, so every text field is used by every document: a field only some
//! documents use gets a tiny average length and crushed BM25 scores.

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Corpus-relative path: the document's identity (updates delete by it).
    pub path: Field,
    /// Article key shared by an article's translations.
    pub key: Field,
    pub locale: Field,
    /// Localized title (locale analyzer).
    pub title: Field,
    /// Every target segment, headings included (locale analyzer).
    pub body: Field,
    /// English title (English analyzer).
    pub source_title: Field,
    /// Every source segment (English analyzer).
    pub source_body: Field,
    /// The aligned segments as JSON ([`StoredSegment`]), for snippets and the article view.
    pub segments: Field,
    /// Number of segments, for stats.
    pub segment_count: Field,
    pub aligned_count: Field,
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

pub fn build(target_analyzer: &str, source_analyzer: &str) -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        path: b.add_text_field("path", STRING | STORED | FAST),
        key: b.add_text_field("key", STRING | STORED | FAST),
        locale: b.add_text_field("locale", STRING | STORED),
        title: b.add_text_field("title", text(target_analyzer, true)),
        body: b.add_text_field("body", text(target_analyzer, false)),
        source_title: b.add_text_field("source_title", text(source_analyzer, true)),
        source_body: b.add_text_field("source_body", text(source_analyzer, false)),
        segments: b.add_bytes_field("segments", STORED),
        segment_count: b.add_u64_field("segment_count", STORED | FAST),
        aligned_count: b.add_u64_field("aligned_count", STORED | FAST),
    };
    (b.build(), fields)
}

/// Reads the fields of an opened index's schema.
pub fn fields(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        path: f("path")?,
        key: f("key")?,
        locale: f("locale")?,
        title: f("title")?,
        body: f("body")?,
        source_title: f("source_title")?,
        source_body: f("source_body")?,
        segments: f("segments")?,
        segment_count: f("segment_count")?,
        aligned_count: f("aligned_count")?,
    })
}

/// A segment as the index stores it: what a hit shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSegment {
    /// Ordinal in the article.
    #[serde(rename = "o")]
    pub ordinal: u32,
    /// Block kind (`h1`, `paragraph`, ...).
    #[serde(rename = "k")]
    pub kind: String,
    /// The headings above the segment (target text), outermost first. Stored only where it
    /// changes from the previous segment's: [`decode_segments`] carries it forward.
    #[serde(rename = "h", default, skip_serializing_if = "Option::is_none")]
    pub heading_path: Option<Vec<String>>,
    #[serde(rename = "t")]
    pub target: String,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The stored form of an article's segments (JSON, heading paths stored where they change).
pub fn encode_segments(segments: &[locsearch_ingest::Segment]) -> Vec<u8> {
    let mut previous: Option<&[String]> = None;
    let stored: Vec<StoredSegment> = segments
        .iter()
        .map(|s| {
            let path: &[String] = &s.heading_path;
            let changed = previous != Some(path);
            previous = Some(path);
            StoredSegment {
                ordinal: s.ordinal,
                kind: s.block.name().to_owned(),
                heading_path: changed.then(|| path.to_vec()),
                target: s.target.clone(),
                source: s.source.clone(),
            }
        })
        .collect();
    serde_json::to_vec(&stored).expect("segments serialize")
}

/// Reads what [`encode_segments`] wrote, every segment with its full heading path. Damaged
/// bytes read as no segments.
pub fn decode_segments(bytes: &[u8]) -> Vec<StoredSegment> {
    let mut segments: Vec<StoredSegment> = serde_json::from_slice(bytes).unwrap_or_default();
    let mut current: Vec<String> = Vec::new();
    for s in &mut segments {
        match &s.heading_path {
            Some(path) => current = path.clone(),
            None => s.heading_path = Some(current.clone()),
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_segments_keep_every_heading_path() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../corpus/sl-SI/AlchemyInsights/password-reset-button-greyed-out.md"
        ))
        .unwrap();
        let segments = locsearch_ingest::parse_document(&text).segments;
        assert!(segments.iter().any(|s| s.heading_path.len() == 2));
        let encoded = encode_segments(&segments);
        let decoded = decode_segments(&encoded);
        assert_eq!(decoded.len(), segments.len());
        for (stored, original) in decoded.iter().zip(&segments) {
            assert_eq!(
                stored.heading_path.as_deref(),
                Some(&original.heading_path[..])
            );
            assert_eq!(stored.target, original.target);
            assert_eq!(stored.source, original.source);
        }
        // Stored where it changes only: fewer paths than segments.
        let stored: Vec<StoredSegment> = serde_json::from_slice(&encoded).unwrap();
        let written = stored.iter().filter(|s| s.heading_path.is_some()).count();
        assert!(
            written < segments.len() / 2,
            "{written} of {}",
            segments.len()
        );
    }

    fn segment(
        ordinal: u32,
        heading_path: Vec<String>,
        source: Option<String>,
    ) -> locsearch_ingest::Segment {
        locsearch_ingest::Segment {
            id: None,
            ordinal,
            block: locsearch_ingest::Block::Paragraph,
            heading_path: heading_path.into(),
            target: format!("target {ordinal}"),
            source,
            target_md: String::new(),
            source_md: None,
            links: Vec::new(),
            line: 1,
        }
    }

    proptest::proptest! {
        /// Whatever the headings (repeated, changing back, empty), every segment reads back
        /// with its own path, and arbitrary bytes never panic the reader.
        #[test]
        fn heading_paths_survive_storage(
            paths in proptest::collection::vec(
                proptest::collection::vec("[a-zA-Z ščž]{0,8}", 0..3), 0..20),
            aligned in proptest::collection::vec(proptest::bool::ANY, 20),
            noise in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
        ) {
            let segments: Vec<_> = paths
                .iter()
                .enumerate()
                .map(|(i, p)| segment(i as u32, p.clone(), aligned[i].then(|| format!("source {i}"))))
                .collect();
            let decoded = decode_segments(&encode_segments(&segments));
            proptest::prop_assert_eq!(decoded.len(), segments.len());
            for (stored, original) in decoded.iter().zip(&segments) {
                proptest::prop_assert_eq!(stored.heading_path.as_deref(), Some(&original.heading_path[..]));
                proptest::prop_assert_eq!(&stored.source, &original.source);
            }
            let _ = decode_segments(&noise);
        }
    }

    #[test]
    fn damaged_stored_segments_read_as_none() {
        assert!(decode_segments(b"{ not json").is_empty());
        assert!(decode_segments(b"").is_empty());
    }
}
