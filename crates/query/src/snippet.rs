//! The best segments of a hit, with the query's matches highlighted on both sides. Matching
//! reuses the analyzers, so highlights land where the index matched — CJK included — and
//! offsets are byte ranges of the plain text shown.

use rustc_hash::FxHashSet as HashSet;

use serde::Serialize;

use crate::clip;
use tantivy::tokenizer::TextAnalyzer;

/// A highlighted byte range `[start, end)` of a segment's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
    /// With `--segments`: the segment document's own score (weighted as its article's is).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    /// Present (true) when a side was longer than [`crate::MAX_PASSAGE_BYTES`] and is shown
    /// as a window around its first match.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// Which sides of the segments choose the best ones: the side a hit matched on. Only those
/// are analyzed for every segment; the other side only for the segments chosen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChooseBy {
    pub target: bool,
    pub source: bool,
}

/// Query terms as each side's analyzer sees them, and the analyzers.
struct Matcher<'a> {
    target: (&'a mut TextAnalyzer, HashSet<String>),
    source: (&'a mut TextAnalyzer, HashSet<String>),
}

impl Matcher<'_> {
    /// Highlights of `text` on one side, adding the distinct terms matched to `matched`.
    fn mark(
        &mut self,
        text: &str,
        source_side: bool,
        matched: &mut HashSet<(bool, String)>,
    ) -> Vec<Highlight> {
        let (analyzer, terms) = if source_side {
            &mut self.source
        } else {
            &mut self.target
        };
        let mut highlights: Vec<Highlight> = Vec::new();
        // Most of a segment's words are not the query's: each is looked up, not copied.
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            if terms.contains(token.text.as_str()) {
                let range = Highlight {
                    start: token.offset_from,
                    end: token.offset_to,
                };
                push_merged(&mut highlights, range);
                matched.insert((source_side, token.text.clone()));
            }
        }
        highlights
    }
}

/// Which segments a hit's passages are chosen from.
pub(crate) enum Among<'a> {
    /// Every segment of the article: most distinct query terms first, document order among
    /// equals; the first segment when nothing matches.
    All,
    /// These ordinals, best scoring first (the segment documents that matched the query):
    /// most distinct query terms first, better score among equals; the best scoring when
    /// none holds a query term as typed (it matched through a correction or a relation).
    /// Only these are analyzed.
    Matched(&'a [u32]),
}

/// Up to `max` segments chosen `among` those of an article, with their highlights; a hit
/// always shows something.
pub(crate) fn best_segments(
    segments: Vec<locsearch_index::schema::StoredSegment>,
    query: &str,
    (target_analyzer, source_analyzer): (&mut TextAnalyzer, &mut TextAnalyzer),
    choose_by: ChooseBy,
    among: Among,
    max: usize,
) -> Vec<SegmentHit> {
    let mut matcher = Matcher::new(query, target_analyzer, source_analyzer);
    let rank = |ordinal: u32| match among {
        Among::All => ordinal as usize,
        Among::Matched(best) => best
            .iter()
            .position(|&o| o == ordinal)
            .unwrap_or(usize::MAX),
    };
    let mut scored: Vec<(HashSet<(bool, String)>, SegmentHit)> = segments
        .into_iter()
        .filter(|s| rank(s.ordinal) != usize::MAX)
        .map(|s| matcher.scan(s, choose_by))
        .collect();
    scored.sort_by_key(|(_, s)| rank(s.ordinal));
    if scored.iter().all(|(_, s)| s.matches == 0) {
        scored.truncate(1);
    } else {
        scored.retain(|(_, s)| s.matches > 0);
        scored.sort_by_key(|(_, s)| std::cmp::Reverse(s.matches));
        scored.truncate(max);
    }
    scored
        .into_iter()
        .map(|(mut matched, mut hit)| {
            matcher.finish(&mut hit, &mut matched, choose_by);
            hit
        })
        .collect()
}

impl<'a> Matcher<'a> {
    fn new(query: &str, target: &'a mut TextAnalyzer, source: &'a mut TextAnalyzer) -> Matcher<'a> {
        let terms = |analyzer: &mut TextAnalyzer| {
            locsearch_analysis::analyze(analyzer, query)
                .into_iter()
                .map(|t| t.text)
                .collect::<HashSet<String>>()
        };
        let target_terms = terms(target);
        let source_terms = terms(source);
        Matcher {
            target: (target, target_terms),
            source: (source, source_terms),
        }
    }

    /// A segment with the query's terms marked on the side(s) it is chosen by, and the
    /// distinct terms it matched.
    fn scan(
        &mut self,
        mut s: locsearch_index::schema::StoredSegment,
        choose_by: ChooseBy,
    ) -> (HashSet<(bool, String)>, SegmentHit) {
        // Matches are looked for in a bounded start of each side.
        let mut truncated = clip::prefix(&mut s.target, clip::MAX_SCANNED_BYTES);
        if let Some(source) = s.source.as_mut() {
            truncated |= clip::prefix(source, clip::MAX_SCANNED_BYTES);
        }
        let mut matched = HashSet::default();
        let target_highlights = if choose_by.target {
            self.mark(&s.target, false, &mut matched)
        } else {
            Vec::new()
        };
        let source_highlights = match &s.source {
            Some(src) if choose_by.source => self.mark(src, true, &mut matched),
            _ => Vec::new(),
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
            score: None,
            truncated,
        };
        (matched, hit)
    }

    /// A segment shown: the other side marked too, each side cut to a window around its
    /// first match.
    fn finish(
        &mut self,
        hit: &mut SegmentHit,
        matched: &mut HashSet<(bool, String)>,
        choose_by: ChooseBy,
    ) {
        if !choose_by.target {
            hit.target_highlights = self.mark(&hit.target, false, matched);
        }
        if let Some(src) = hit.source.as_deref().filter(|_| !choose_by.source) {
            hit.source_highlights = self.mark(src, true, matched);
        }
        hit.matches = matched.len();
        hit.truncated |= clip::window(
            &mut hit.target,
            &mut hit.target_highlights,
            clip::MAX_PASSAGE_BYTES,
        );
        if let Some(source) = hit.source.as_mut() {
            hit.truncated |=
                clip::window(source, &mut hit.source_highlights, clip::MAX_PASSAGE_BYTES);
        }
    }
}

/// Overlapping or touching ranges (CJK sub-words) become one highlight.
fn push_merged(highlights: &mut Vec<Highlight>, range: Highlight) {
    if let Some(last) = highlights.last_mut()
        && range.start <= last.end
        && range.end >= last.start
    {
        last.start = last.start.min(range.start);
        last.end = last.end.max(range.end);
        return;
    }
    highlights.push(range);
}
