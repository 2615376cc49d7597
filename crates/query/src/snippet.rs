//! The best segments of a hit, with the query's matches highlighted on both sides. Matching
//! reuses the analyzers, so highlights land where the index matched — CJK included — and
//! offsets are byte ranges of the plain text shown.

use std::collections::HashSet;

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

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

/// Up to `max` segments, most distinct query terms first (document order among equals); the
/// first segment when nothing matches, so a hit always shows something.
pub(crate) fn best_segments(
    stored: &[u8],
    query: &str,
    mut target_analyzer: TextAnalyzer,
    mut source_analyzer: TextAnalyzer,
    max: usize,
) -> Vec<SegmentHit> {
    let segments = locsearch_index::schema::decode_segments(stored);
    let target_terms: HashSet<String> = analyzed(&mut target_analyzer, query)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let source_terms: HashSet<String> = analyzed(&mut source_analyzer, query)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let mut scored: Vec<SegmentHit> = segments
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
            SegmentHit {
                ordinal: s.ordinal,
                kind: s.kind,
                heading_path: s.heading_path.unwrap_or_default(),
                target: s.target,
                source: s.source,
                target_highlights,
                source_highlights,
                matches: matched.len(),
            }
        })
        .collect();
    if scored.iter().all(|s| s.matches == 0) {
        scored.truncate(1);
        return scored;
    }
    scored.retain(|s| s.matches > 0);
    scored.sort_by(|a, b| b.matches.cmp(&a.matches).then(a.ordinal.cmp(&b.ordinal)));
    scored.truncate(max);
    scored
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
