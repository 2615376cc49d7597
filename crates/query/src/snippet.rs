//! The best segments of a hit, with the query's matches highlighted on both sides. The
//! highlights are read from the index — the positions of the query's terms in the postings,
//! the byte span of each position stored with the segment — so they land where the index
//! matched, CJK included, and no text is analyzed again; offsets are byte ranges of the plain
//! text shown.

use rustc_hash::FxHashSet as HashSet;

use serde::Serialize;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Term};

use crate::articles::ReadSegment;
use crate::clip;

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
/// are marked for every segment; the other side only for the segments chosen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChooseBy {
    pub target: bool,
    pub source: bool,
}

/// Which segments a hit's passages are chosen from.
pub(crate) enum Among<'a> {
    /// Every segment of the article: most distinct query terms first, document order among
    /// equals; the first segment when nothing matches.
    All,
    /// These ordinals, best scoring first (the segment documents that matched the query):
    /// most distinct query terms first, better score among equals; the best scoring when
    /// none holds a query term as typed (it matched through a correction or a relation).
    /// Only these are marked.
    Matched(&'a [u32]),
}

/// The query's terms on one side, as that side's analyzer gives them: what is highlighted.
pub(crate) struct SideTerms {
    pub field: Field,
    pub terms: Vec<String>,
}

/// A segment being marked, and the distinct `(source side, term)` pairs it holds.
struct Marked {
    segment: ReadSegment,
    matched: HashSet<(bool, usize)>,
    target_highlights: Vec<Highlight>,
    source_highlights: Vec<Highlight>,
    truncated: bool,
}

/// Up to `max` segments chosen `among` those of an article, with their highlights; a hit
/// always shows something. The highlights are the spans, stored at index time, of the
/// positions the postings give for the query's terms in each segment's document.
pub(crate) fn best_segments(
    searcher: &tantivy::Searcher,
    segments: Vec<ReadSegment>,
    (target, source): (&SideTerms, &SideTerms),
    choose_by: ChooseBy,
    among: Among,
    max: usize,
) -> tantivy::Result<Vec<SegmentHit>> {
    let rank = |ordinal: u32| match among {
        Among::All => ordinal as usize,
        Among::Matched(best) => best
            .iter()
            .position(|&o| o == ordinal)
            .unwrap_or(usize::MAX),
    };
    let mut marked: Vec<Marked> = segments
        .into_iter()
        .filter(|s| rank(s.stored.ordinal) != usize::MAX)
        .map(Marked::new)
        .collect();
    if choose_by.target {
        mark(searcher, &mut marked, target, false)?;
    }
    if choose_by.source {
        mark(searcher, &mut marked, source, true)?;
    }
    marked.sort_by_key(|m| rank(m.segment.stored.ordinal));
    if marked.iter().all(|m| m.matched.is_empty()) {
        marked.truncate(1);
    } else {
        marked.retain(|m| !m.matched.is_empty());
        marked.sort_by_key(|m| std::cmp::Reverse(m.matched.len()));
        marked.truncate(max);
    }
    if !choose_by.target {
        mark(searcher, &mut marked, target, false)?;
    }
    if !choose_by.source {
        mark(searcher, &mut marked, source, true)?;
    }
    Ok(marked.into_iter().map(Marked::finish).collect())
}

/// Marks one side of `segments`: each term's postings are read once per tantivy segment and
/// walked through the documents in order.
fn mark(
    searcher: &tantivy::Searcher,
    segments: &mut [Marked],
    side: &SideTerms,
    source_side: bool,
) -> tantivy::Result<()> {
    let mut order: Vec<(DocAddress, usize)> = segments
        .iter()
        .enumerate()
        .map(|(i, m)| (m.segment.address, i))
        .collect();
    order.sort_unstable();
    let mut positions = Vec::new();
    for run in order.chunk_by(|(a, _), (b, _)| a.segment_ord == b.segment_ord) {
        let segment_ord = run[0].0.segment_ord;
        let inverted = searcher
            .segment_reader(segment_ord)
            .inverted_index(side.field)?;
        for (t, text) in side.terms.iter().enumerate() {
            let term = Term::from_field_text(side.field, text);
            let Some(mut postings) =
                inverted.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)?
            else {
                continue;
            };
            for &(DocAddress { doc_id: doc, .. }, i) in run {
                if postings.doc() < doc {
                    postings.seek(doc);
                }
                if postings.doc() == doc {
                    postings.positions(&mut positions);
                    segments[i].add(source_side, t, &positions);
                }
            }
        }
    }
    for marked in segments.iter_mut() {
        marked.merge(source_side);
    }
    Ok(())
}

impl Marked {
    fn new(mut segment: ReadSegment) -> Marked {
        // Matches are looked for in a bounded start of each side.
        let s = &mut segment.stored;
        let mut truncated = clip::prefix(&mut s.target, clip::MAX_SCANNED_BYTES);
        if let Some(source) = s.source.as_mut() {
            truncated |= clip::prefix(source, clip::MAX_SCANNED_BYTES);
        }
        Marked {
            segment,
            matched: HashSet::default(),
            target_highlights: Vec::new(),
            source_highlights: Vec::new(),
            truncated,
        }
    }

    /// The spans of term `t` at `positions` on one side, within the text shown.
    fn add(&mut self, source_side: bool, t: usize, positions: &[u32]) {
        let (spans, shown, highlights) = if source_side {
            let shown = self.segment.stored.source.as_ref().map_or(0, String::len);
            (
                &self.segment.offsets.source,
                shown,
                &mut self.source_highlights,
            )
        } else {
            let shown = self.segment.stored.target.len();
            (
                &self.segment.offsets.target,
                shown,
                &mut self.target_highlights,
            )
        };
        let before = highlights.len();
        for &p in positions {
            if let Some(span) = spans.get(p as usize)
                && span.start < span.end
                && span.end as usize <= shown
            {
                highlights.push(Highlight {
                    start: span.start as usize,
                    end: span.end as usize,
                });
            }
        }
        if highlights.len() > before {
            self.matched.insert((source_side, t));
        }
    }

    /// One side's highlights in text order, overlapping ones merged.
    fn merge(&mut self, source_side: bool) {
        let highlights = if source_side {
            &mut self.source_highlights
        } else {
            &mut self.target_highlights
        };
        highlights.sort_by_key(|h| (h.start, h.end));
        let mut merged: Vec<Highlight> = Vec::with_capacity(highlights.len());
        for &range in highlights.iter() {
            push_merged(&mut merged, range);
        }
        *highlights = merged;
    }

    /// The segment shown: each side cut to a window around its first match.
    fn finish(self) -> SegmentHit {
        let Marked {
            segment,
            matched,
            mut target_highlights,
            mut source_highlights,
            mut truncated,
        } = self;
        let s = segment.stored;
        let (mut target, mut source) = (s.target, s.source);
        truncated |= clip::window(&mut target, &mut target_highlights, clip::MAX_PASSAGE_BYTES);
        if let Some(source) = source.as_mut() {
            truncated |= clip::window(source, &mut source_highlights, clip::MAX_PASSAGE_BYTES);
        }
        SegmentHit {
            ordinal: s.ordinal,
            kind: s.kind,
            heading_path: s.heading_path,
            target,
            source,
            target_highlights,
            source_highlights,
            matches: matched.len(),
            score: None,
            truncated,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::articles::read_article;
    use crate::collect::tests::{article_at, index_of};
    use locsearch_index::LocaleIndex;

    /// Where the field's analyzer finds `terms` in `text`: what the highlights must be.
    fn analyzed_highlights(analyzer: &str, text: &str, terms: &[String]) -> Vec<Highlight> {
        let mut analyzer = locsearch_analysis::analyzer(analyzer).unwrap();
        let mut highlights = Vec::new();
        for token in locsearch_analysis::analyze(&mut analyzer, text) {
            if terms.contains(&token.text) {
                let range = Highlight {
                    start: token.start,
                    end: token.end,
                };
                highlights.push(range);
            }
        }
        highlights.sort_by_key(|h| (h.start, h.end));
        let mut merged = Vec::new();
        for range in highlights {
            push_merged(&mut merged, range);
        }
        merged
    }

    fn side_terms(analyzer: &str, field: Field, query: &str) -> SideTerms {
        let mut analyzer = locsearch_analysis::analyzer(analyzer).unwrap();
        let mut terms: Vec<String> = locsearch_analysis::analyze(&mut analyzer, query)
            .into_iter()
            .map(|t| t.text)
            .collect();
        terms.sort_unstable();
        terms.dedup();
        SideTerms { field, terms }
    }

    /// In every sample article, every script, with the article in one tantivy segment or
    /// two: for queries made of an article's own words, the highlights read from the index
    /// are exactly where each side's analyzer finds the query's terms, and every segment that
    /// holds one is a passage.
    #[test]
    fn highlights_read_from_the_index_are_where_the_analyzer_finds_the_query() {
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");
        let mut checked = 0;
        for locale in std::fs::read_dir(corpus).unwrap() {
            let locale = locale.unwrap().file_name().into_string().unwrap();
            let dir = format!("{corpus}/{locale}/AlchemyInsights");
            for file in std::fs::read_dir(&dir).unwrap() {
                let name = file.unwrap().file_name().into_string().unwrap();
                let article = article_at(&format!("{locale}/AlchemyInsights/{name}"));
                let half = article.segments.len() / 2 + 1;
                for cut in [None, Some(half)] {
                    checked += check_article(&article, cut);
                }
            }
        }
        assert!(checked > 100, "only {checked} passages checked");
    }

    /// Checks an article's passages for queries of its own words; how many it checked.
    fn check_article(article: &locsearch_ingest::Article, cut: Option<usize>) -> usize {
        let (index, fields) = index_of(article, cut);
        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        let target_analyzer = locsearch_analysis::resolve(&article.locale).info.name;
        let english = locsearch_analysis::english().name;
        let locale = LocaleIndex {
            locale: article.locale.clone(),
            index,
            reader,
            fields,
            analyzer: target_analyzer,
        };
        let mut checked = 0;
        for (i, segment) in article.segments.iter().enumerate().step_by(3) {
            // A few words from one segment's target and another's source.
            let other = &article.segments[(i + 5) % article.segments.len()];
            let words = |text: &str| {
                text.split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let query = format!(
                "{} {}",
                words(&segment.target),
                words(other.source.as_deref().unwrap_or_default())
            );
            let read = read_article(&searcher, &locale, &article.path, true)
                .unwrap()
                .unwrap();
            let target = side_terms(target_analyzer, fields.target, &query);
            let source = side_terms(english, fields.source, &query);
            let both = ChooseBy {
                target: true,
                source: true,
            };
            let hits = best_segments(
                &searcher,
                read.segments,
                (&target, &source),
                both,
                Among::All,
                usize::MAX,
            )
            .unwrap();
            let mut expected_passages = 0;
            for s in &article.segments {
                let on_target = analyzed_highlights(target_analyzer, &s.target, &target.terms);
                let source_text = s.source.as_deref().unwrap_or_default();
                let on_source = analyzed_highlights(english, source_text, &source.terms);
                if on_target.is_empty() && on_source.is_empty() {
                    continue;
                }
                expected_passages += 1;
                let hit = hits.iter().find(|h| h.ordinal == s.ordinal);
                let hit = hit.unwrap_or_else(|| panic!("{query:?}: {s:?} not a passage"));
                assert_eq!(
                    hit.target_highlights, on_target,
                    "{query:?} in {:?}",
                    s.target
                );
                assert_eq!(
                    hit.source_highlights, on_source,
                    "{query:?} in {:?}",
                    s.source
                );
                checked += 1;
            }
            assert_eq!(hits.len(), expected_passages.max(1), "{query:?}");
        }
        checked
    }
}
