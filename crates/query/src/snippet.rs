//! The best segments of a hit, with the query's matches highlighted on both sides. Matching
//! reuses the analyzers, so highlights land where the index matched — CJK included — and
//! offsets are byte ranges of the plain text shown.

use std::collections::HashSet;

use locsearch_index::schema::Fields;
use serde::Serialize;
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Score, TantivyDocument};

/// A highlighted byte range `[start, end)` of a segment's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SegmentHit {
    pub ordinal: u32,
    pub kind: String,
    /// The headings above the segment (target text), outermost first.
    pub heading_path: Vec<String>,
    pub target: String,
    pub source: Option<String>,
    pub target_highlights: Vec<Highlight>,
    pub source_highlights: Vec<Highlight>,
    /// Distinct query terms matched on either side.
    pub matches: usize,
}

/// A segment document as stored, with its score for the query.
pub(crate) struct SegmentDoc {
    pub ordinal: u32,
    pub kind: String,
    pub heading_path: Vec<String>,
    pub target: String,
    pub source: Option<String>,
    pub score: Score,
}

impl SegmentDoc {
    /// `None` for a document that is not a segment (the article document).
    pub(crate) fn read(doc: &TantivyDocument, f: &Fields, score: Score) -> Option<SegmentDoc> {
        let ordinal = doc.get_first(f.ordinal)?.as_u64()?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        Some(SegmentDoc {
            ordinal: u32::try_from(ordinal).unwrap_or(u32::MAX),
            kind: text(f.block).unwrap_or_default(),
            heading_path: doc
                .get_all(f.heading_path)
                .filter_map(|v| v.as_str())
                .map(str::to_owned)
                .collect(),
            target: text(f.target).unwrap_or_default(),
            source: text(f.source),
            score,
        })
    }
}

fn analyzed(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, Highlight)> {
    locsearch_analysis::analyze(analyzer, text)
        .into_iter()
        .map(|t| {
            (
                t.text,
                Highlight {
                    start: t.start,
                    end: t.end,
                },
            )
        })
        .collect()
}

/// Up to `max` of the given segments, most distinct query terms first, then best scored,
/// then in document order; the first segment when nothing matches, so a hit always shows
/// something.
pub(crate) fn highlight(
    segments: Vec<SegmentDoc>,
    query: &str,
    mut target_analyzer: TextAnalyzer,
    mut source_analyzer: TextAnalyzer,
    max: usize,
) -> Vec<SegmentHit> {
    let target_terms: HashSet<String> = analyzed(&mut target_analyzer, query)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let source_terms: HashSet<String> = analyzed(&mut source_analyzer, query)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let mut scored: Vec<(Score, SegmentHit)> = segments
        .into_iter()
        .map(|s| {
            let mut matched = HashSet::new();
            let mut mark =
                |tokens: Vec<(String, Highlight)>, terms: &HashSet<String>, side: &str| {
                    let mut highlights: Vec<Highlight> = Vec::new();
                    for (term, range) in tokens {
                        if terms.contains(&term) {
                            matched.insert((side.to_owned(), term));
                            push_merged(&mut highlights, range);
                        }
                    }
                    highlights
                };
            let target_highlights = mark(
                analyzed(&mut target_analyzer, &s.target),
                &target_terms,
                "t",
            );
            let source_highlights = match &s.source {
                Some(src) => mark(analyzed(&mut source_analyzer, src), &source_terms, "s"),
                None => Vec::new(),
            };
            let hit = SegmentHit {
                ordinal: s.ordinal,
                kind: s.kind,
                heading_path: s.heading_path,
                target: s.target,
                source: s.source,
                target_highlights,
                source_highlights,
                matches: matched.len(),
            };
            (s.score, hit)
        })
        .collect();
    if scored.iter().all(|(_, s)| s.matches == 0) {
        scored.sort_by_key(|(_, s)| s.ordinal);
        scored.truncate(1);
    } else {
        scored.retain(|(_, s)| s.matches > 0);
        scored.sort_by(|(a_score, a), (b_score, b)| {
            b.matches
                .cmp(&a.matches)
                .then(b_score.total_cmp(a_score))
                .then(a.ordinal.cmp(&b.ordinal))
        });
        scored.truncate(max);
    }
    scored.into_iter().map(|(_, s)| s).collect()
}

/// Overlapping or touching ranges (CJK sub-words) become one highlight.
fn push_merged(highlights: &mut Vec<Highlight>, range: Highlight) {
    if let Some(last) = highlights.last_mut() {
        if range.start <= last.end && range.end >= last.start {
            last.start = last.start.min(range.start);
            last.end = last.end.max(range.end);
            return;
        }
    }
    highlights.push(range);
}
