//! The schema of a locale index. Two kinds of document share it:
//!
//! - one **segment document** per segment: its target text (the locale's analyzer) and its
//!   English source (the English analyzer), indexed and stored with its ordinal, block kind and
//!   heading path — a segment is what matches and what a hit shows side by side — and where
//!   each of its words lies ([`Offsets`]), which highlights read instead of analyzing again;
//! - one **article document** per article: the titles (both sides), counts, and the whole
//!   article's text on each side (frequencies only), which a search's first pass scores whole
//!   articles by before it scores the segments of the best of them. It exists even for an
//!   article with no segment, and it is where a hit's title comes from.
//!
//! Both carry the article's `path` and `key` (indexed and fast: updates delete an article by
//! path, results group by path and key), and `kind` says which document is which.
//!
//! One index per locale, so every text field is used by every document of its kind. The title
//! and article text fields are used by article documents only, the body fields by segment
//! documents only: BM25
//! statistics count each field over its own kind (`locsearch-query`'s statistics provider),
//! or a field used by a tenth of the documents would get a tenth of its average length and
//! crushed scores.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;

use crate::offsets::{self, Offsets};
use crate::varint;

/// The `kind` of an article document.
pub const ARTICLE: &str = "article";
/// The `kind` of a segment document.
pub const SEGMENT: &str = "segment";

/// The schema's field names, as tantivy knows them: the fast columns are read by name.
pub mod name {
    pub const PATH: &str = "path";
    pub const KEY: &str = "key";
    pub const KIND: &str = "kind";
    pub const LOCALE: &str = "locale";
    pub const TITLE: &str = "title";
    pub const SOURCE_TITLE: &str = "source_title";
    pub const TARGET: &str = "target";
    pub const SOURCE: &str = "source";
    pub const ARTICLE_TARGET: &str = "article_target";
    pub const ARTICLE_SOURCE: &str = "article_source";
    pub const ORDINAL: &str = "ordinal";
    pub const SEGMENT: &str = "segment";
    pub const SEGMENT_COUNT: &str = "segment_count";
    pub const ALIGNED_COUNT: &str = "aligned_count";
}

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Corpus-relative path of the article (every document): updates delete by it.
    pub path: Field,
    /// Article key shared by an article's translations (every document).
    pub key: Field,
    /// [`ARTICLE`] or [`SEGMENT`].
    pub kind: Field,
    /// Article documents: the locale.
    pub locale: Field,
    /// Article documents: localized title (locale analyzer).
    pub title: Field,
    /// Article documents: English title (English analyzer).
    pub source_title: Field,
    /// Segment documents: the target text (locale analyzer).
    pub target: Field,
    /// Segment documents: the English source text (English analyzer), when aligned.
    pub source: Field,
    /// Article documents: every segment's target text (locale analyzer), frequencies only.
    pub article_target: Field,
    /// Article documents: every aligned segment's source text (English analyzer).
    pub article_source: Field,
    /// Segment documents: position in the article.
    pub ordinal: Field,
    /// Segment documents: the segment ([`StoredSegment`]), what a hit shows, with where each
    /// position's word lies on each side ([`crate::offsets::Offsets`]), what highlighting
    /// reads instead of analyzing again.
    pub segment: Field,
    /// Article documents: number of segments, and of aligned ones, for stats.
    pub segment_count: Field,
    pub aligned_count: Field,
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    text_with(analyzer, stored, IndexRecordOption::WithFreqsAndPositions)
}

fn text_with(analyzer: &str, stored: bool, record: IndexRecordOption) -> TextOptions {
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

/// An identifier: indexed whole, no field norms (never scored, and a norm costs a byte per
/// document).
fn raw() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::Basic),
    )
}

pub fn build(target_analyzer: &str, source_analyzer: &str) -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        // Read from fast columns, never from the store: storing them would repeat an
        // article's path and key in each of its segment documents.
        path: b.add_text_field(name::PATH, raw() | FAST),
        key: b.add_text_field(name::KEY, raw() | FAST),
        kind: b.add_text_field(name::KIND, raw()),
        locale: b.add_text_field(name::LOCALE, raw() | STORED),
        // Also fast columns: the query side reads every title once per snapshot, so that a
        // hit without passages reads nothing from the store.
        title: b.add_text_field(name::TITLE, text(target_analyzer, true) | FAST),
        source_title: b.add_text_field(name::SOURCE_TITLE, text(source_analyzer, true) | FAST),
        // Stored inside `segment`, with the rest of what a hit shows.
        target: b.add_text_field(name::TARGET, text(target_analyzer, false)),
        source: b.add_text_field(name::SOURCE, text(source_analyzer, false)),
        // Scored whole, never as phrases: no positions.
        article_target: b.add_text_field(
            name::ARTICLE_TARGET,
            text_with(target_analyzer, false, IndexRecordOption::WithFreqs),
        ),
        article_source: b.add_text_field(
            name::ARTICLE_SOURCE,
            text_with(source_analyzer, false, IndexRecordOption::WithFreqs),
        ),
        ordinal: b.add_u64_field(name::ORDINAL, FAST),
        // Text, not bytes: read back in one copy ([`crate::varint`]).
        segment: b.add_text_field(name::SEGMENT, STORED),
        segment_count: b.add_u64_field(name::SEGMENT_COUNT, STORED | FAST),
        aligned_count: b.add_u64_field(name::ALIGNED_COUNT, STORED | FAST),
    };
    (b.build(), fields)
}

/// Reads the fields of an opened index's schema.
pub fn fields(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        path: f(name::PATH)?,
        key: f(name::KEY)?,
        kind: f(name::KIND)?,
        locale: f(name::LOCALE)?,
        title: f(name::TITLE)?,
        source_title: f(name::SOURCE_TITLE)?,
        target: f(name::TARGET)?,
        source: f(name::SOURCE)?,
        article_target: f(name::ARTICLE_TARGET)?,
        article_source: f(name::ARTICLE_SOURCE)?,
        ordinal: f(name::ORDINAL)?,
        segment: f(name::SEGMENT)?,
        segment_count: f(name::SEGMENT_COUNT)?,
        aligned_count: f(name::ALIGNED_COUNT)?,
    })
}

/// A segment as the index stores it: what a hit shows.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSegment {
    /// Ordinal in the article.
    pub ordinal: u32,
    /// Block kind (`h1`, `paragraph`, ...).
    pub kind: String,
    /// The headings above the segment (target text), outermost first. Stored with every
    /// segment, so that a passage is read alone: stored only where it changed, a passage's
    /// heading meant reading back to the segment that starts its section, 25 documents per
    /// hit; the store compresses the repetition (it grew by 3%).
    pub heading_path: Vec<String>,
    pub target: String,
    pub source: Option<String>,
}

impl StoredSegment {
    /// The stored form, with where each word lies: the ordinal, the kind, the number of
    /// headings and each heading, the target, the source if there is one (a flag, then the
    /// text), then the offsets ([`Offsets`]); written as [`crate::varint`] writes numbers and
    /// texts.
    pub fn encode(&self, offsets: &Offsets) -> String {
        let texts =
            self.kind.len() + self.target.len() + self.source.as_ref().map_or(0, String::len);
        let words = offsets.target.len() + offsets.source.len();
        let mut out = String::with_capacity(texts + 2 * words + 16);
        varint::put_varint(&mut out, u64::from(self.ordinal));
        varint::put_str(&mut out, &self.kind);
        varint::put_varint(&mut out, self.heading_path.len() as u64);
        for heading in &self.heading_path {
            varint::put_str(&mut out, heading);
        }
        varint::put_str(&mut out, &self.target);
        match &self.source {
            Some(source) => {
                varint::put_varint(&mut out, 1);
                varint::put_str(&mut out, source);
            }
            None => varint::put_varint(&mut out, 0),
        }
        offsets.write(&mut out);
        out
    }

    /// Reads the stored form back; `None` when the text is not one.
    pub fn decode(stored: &str) -> Option<(StoredSegment, Offsets)> {
        let mut reader = varint::Reader::new(stored);
        let ordinal = u32::try_from(reader.varint()?).ok()?;
        let kind = reader.str()?.to_owned();
        // Each heading takes its length's byte at least.
        let headings = reader.count(1)?;
        let heading_path = (0..headings)
            .map(|_| reader.str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()?;
        let target = reader.str()?.to_owned();
        let source = match reader.varint()? {
            0 => None,
            1 => Some(reader.str()?.to_owned()),
            _ => return None,
        };
        let offsets = Offsets::read(&mut reader)?;
        let segment = StoredSegment {
            ordinal,
            kind,
            heading_path,
            target,
            source,
        };
        (reader.left() == 0).then_some((segment, offsets))
    }

    /// What a segment of an ingested article stores.
    fn of(segment: &locsearch_ingest::Segment) -> StoredSegment {
        StoredSegment {
            ordinal: segment.ordinal,
            kind: segment.block.name().to_owned(),
            heading_path: segment.heading_path.to_vec(),
            target: segment.target.clone(),
            source: segment.source.clone(),
        }
    }
}

/// The word tokenizers of the analyzers of a locale index's two body fields, as its schema
/// names them: where each word of a segment lies ([`Offsets`]).
pub struct WordTokenizers {
    pub target: TextAnalyzer,
    pub source: TextAnalyzer,
}

impl WordTokenizers {
    /// The word tokenizers of the analyzers `index`'s schema names for the body fields.
    pub fn of(schema: &Schema, f: &Fields) -> tantivy::Result<WordTokenizers> {
        let analyzer = |field: Field| -> tantivy::Result<TextAnalyzer> {
            let name = match schema.get_field_entry(field).field_type() {
                tantivy::schema::FieldType::Str(options) => options
                    .get_indexing_options()
                    .map(|o| o.tokenizer().to_owned()),
                _ => None,
            };
            name.and_then(|name| locsearch_analysis::word_tokenizer(&name))
                .ok_or_else(|| {
                    tantivy::TantivyError::SchemaError(format!(
                        "no analyzer for the field {}",
                        schema.get_field_name(field)
                    ))
                })
        };
        Ok(WordTokenizers {
            target: analyzer(f.target)?,
            source: analyzer(f.source)?,
        })
    }
}

/// An article's documents: its article document, then one document per segment.
pub fn documents(
    article: &locsearch_ingest::Article,
    f: &Fields,
    words: &mut WordTokenizers,
) -> Vec<TantivyDocument> {
    let mut head = TantivyDocument::default();
    head.add_text(f.path, &article.path);
    head.add_text(f.key, &article.key);
    head.add_text(f.kind, ARTICLE);
    head.add_text(f.locale, &article.locale);
    head.add_text(f.title, &article.title);
    if let Some(source_title) = &article.source_title {
        head.add_text(f.source_title, source_title);
    }
    for s in &article.segments {
        head.add_text(f.article_target, &s.target);
        if let Some(source) = &s.source {
            head.add_text(f.article_source, source);
        }
    }
    head.add_u64(f.segment_count, article.segments.len() as u64);
    head.add_u64(f.aligned_count, article.aligned_segments() as u64);
    let mut documents = Vec::with_capacity(article.segments.len() + 1);
    documents.push(head);
    for s in &article.segments {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.path, &article.path);
        doc.add_text(f.key, &article.key);
        doc.add_text(f.kind, SEGMENT);
        doc.add_text(f.target, &s.target);
        let mut offsets = Offsets {
            target: offsets::spans(&mut words.target, &s.target),
            source: Vec::new(),
        };
        if let Some(source) = &s.source {
            doc.add_text(f.source, source);
            offsets.source = offsets::spans(&mut words.source, source);
        }
        doc.add_u64(f.ordinal, u64::from(s.ordinal));
        doc.add_text(f.segment, StoredSegment::of(s).encode(&offsets));
        documents.push(doc);
    }
    documents
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored forms of an article's segments, one per segment document.
    fn encode_segments(segments: &[locsearch_ingest::Segment]) -> Vec<String> {
        segments
            .iter()
            .map(|s| StoredSegment::of(s).encode(&Offsets::default()))
            .collect()
    }

    /// Reads an article's stored segments, given in any order, back in document order. A
    /// damaged one is left out.
    fn decode_segments<'a>(stored: impl IntoIterator<Item = &'a str>) -> Vec<StoredSegment> {
        let mut segments: Vec<StoredSegment> = stored
            .into_iter()
            .filter_map(|s| StoredSegment::decode(s).map(|(segment, _)| segment))
            .collect();
        segments.sort_by_key(|s| s.ordinal);
        segments
    }

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
        assert_eq!(
            encoded.len(),
            segments.len(),
            "one stored form per segment document"
        );
        // Documents come back in any order; the article reads in document order.
        let decoded = decode_segments(encoded.iter().rev().map(String::as_str));
        assert_eq!(decoded.len(), segments.len());
        for (stored, original) in decoded.iter().zip(&segments) {
            assert_eq!(stored.heading_path, &original.heading_path[..]);
            assert_eq!(stored.target, original.target);
            assert_eq!(stored.source, original.source);
        }
        // A segment read alone, as a passage is, has its headings too.
        for (stored, original) in encoded.iter().zip(&segments) {
            let alone = decode_segments([stored.as_str()]);
            assert_eq!(alone[0].heading_path, &original.heading_path[..]);
        }
    }

    /// The query side adds a title field's score to a body field's in one union (one of
    /// them is always 0): that holds only while no document has both. An article's whole
    /// text, which the first pass of a search scores, is on its article document alone.
    #[test]
    fn no_document_holds_both_a_title_and_a_body() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../corpus/sl-SI/AlchemyInsights/password-reset-button-greyed-out.md"
        ))
        .unwrap();
        let document = locsearch_ingest::parse_document(&text);
        let article = locsearch_ingest::Article {
            locale: "sl-SI".into(),
            path: "sl-SI/AlchemyInsights/password-reset-button-greyed-out.md".into(),
            key: "AlchemyInsights/password-reset-button-greyed-out.md".into(),
            title: document.title(),
            source_title: document.source_title(),
            front_matter: document.front_matter.clone(),
            segments: document.segments,
        };
        assert!(article.source_title.is_some() && !article.segments.is_empty());
        let (_, f) = build("slovenian", "english");
        let holds = |doc: &TantivyDocument, field: Field| doc.get_first(field).is_some();
        let mut words = WordTokenizers {
            target: locsearch_analysis::word_tokenizer("slovenian").unwrap(),
            source: locsearch_analysis::word_tokenizer("english").unwrap(),
        };
        let documents = documents(&article, &f, &mut words);
        assert_eq!(documents.len(), article.segments.len() + 1);
        for doc in &documents {
            let titles = holds(doc, f.title) || holds(doc, f.source_title);
            let bodies = holds(doc, f.target) || holds(doc, f.source);
            assert!(
                titles != bodies,
                "a document holds titles and text, or neither"
            );
            let whole_text = holds(doc, f.article_target) || holds(doc, f.article_source);
            assert!(
                !(whole_text && bodies),
                "the whole text is the article document's"
            );
        }
        // Every segment's text, on both sides, is the article document's whole text.
        let head = &documents[0];
        assert_eq!(
            head.get_all(f.article_target).count(),
            article.segments.len()
        );
        assert_eq!(
            head.get_all(f.article_source).count(),
            article.aligned_segments()
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
        /// with its own path, and arbitrary text never panics the reader.
        #[test]
        fn heading_paths_survive_storage(
            paths in proptest::collection::vec(
                proptest::collection::vec("[a-zA-Z ščž]{0,8}", 0..3), 0..20),
            aligned in proptest::collection::vec(proptest::bool::ANY, 20),
            noise in ".{0,64}",
        ) {
            let segments: Vec<_> = paths
                .iter()
                .enumerate()
                .map(|(i, p)| segment(i as u32, p.clone(), aligned[i].then(|| format!("source {i}"))))
                .collect();
            let encoded = encode_segments(&segments);
            let decoded = decode_segments(encoded.iter().rev().map(String::as_str));
            proptest::prop_assert_eq!(decoded.len(), segments.len());
            for (stored, original) in decoded.iter().zip(&segments) {
                proptest::prop_assert_eq!(&stored.heading_path[..], &original.heading_path[..]);
                proptest::prop_assert_eq!(&stored.source, &original.source);
            }
            let _ = decode_segments([noise.as_str()]);
        }
    }

    fn any_spans() -> impl proptest::strategy::Strategy<Value = Vec<offsets::Span>> {
        use proptest::strategy::Strategy;
        proptest::collection::vec((0u32..u32::MAX / 2, 0u32..1000), 0..40).prop_map(|v| {
            v.into_iter()
                .map(|(start, length)| offsets::Span {
                    start,
                    end: start + length,
                })
                .collect()
        })
    }

    proptest::proptest! {
        /// Any segment, whatever its texts (any Unicode, empty) and spans, reads back whole
        /// with its offsets; a stored form cut anywhere is refused.
        #[test]
        fn stored_segments_read_back_with_their_offsets(
            ordinal in proptest::num::u32::ANY,
            kind in ".{0,6}",
            heading_path in proptest::collection::vec(".{0,12}", 0..4),
            target in ".{0,80}",
            source in proptest::option::of(".{0,80}"),
            target_spans in any_spans(),
            source_spans in any_spans(),
            cut in proptest::num::usize::ANY,
        ) {
            let segment = StoredSegment { ordinal, kind, heading_path, target, source };
            let offsets = Offsets { target: target_spans, source: source_spans };
            let stored = segment.encode(&offsets);
            proptest::prop_assert_eq!(
                StoredSegment::decode(&stored),
                Some((segment, offsets))
            );
            let cut = cut % stored.len();
            if let Some(prefix) = stored.get(..cut) {
                proptest::prop_assert_eq!(StoredSegment::decode(prefix), None);
            }
        }
    }

    #[test]
    fn damaged_stored_segments_are_left_out() {
        let good = encode_segments(&[segment(0, vec!["H".into()], None)]);
        let cut = &good[0][..good[0].len() - 1];
        let read = decode_segments(["{ not ours", "", cut, good[0].as_str()]);
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].target, "target 0");
    }
}
