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

use locsearch_index::LocaleIndex;

use crate::articles::{ReadSegment, read_segment};
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
pub(crate) enum Among {
    /// Every segment of the article, read: most distinct query terms first, document order
    /// among equals; the first segment when nothing matches.
    All(Vec<ReadSegment>),
    /// These segment documents, best scoring first (those that matched the query), not read
    /// yet: most distinct query terms first, better score among equals; the best scoring when
    /// none holds a query term as typed (it matched through a correction or a relation).
    /// Only these are marked, and only the chosen are read.
    Matched(Vec<DocAddress>),
}

/// The query's terms on one side, as that side's analyzer gives them: what is highlighted.
pub(crate) struct SideTerms {
    pub field: Field,
    pub terms: Vec<String>,
}

/// A segment being marked, and the distinct `(source side, term)` pairs it holds.
struct Marked {
    address: DocAddress,
    /// Where it stands among those to choose from: the first shown among equals.
    rank: usize,
    /// `None` until read: a segment is read once chosen.
    segment: Option<ReadSegment>,
    /// The positions of each `(source side, term)` found before the segment was read.
    unread: Vec<(bool, usize, Vec<u32>)>,
    matched: HashSet<(bool, usize)>,
    target_highlights: Vec<Highlight>,
    source_highlights: Vec<Highlight>,
    truncated: bool,
}

/// What one hit asks of its passages: the side it matched by, the segments to choose among,
/// and how many to show.
pub(crate) struct Passages {
    pub choose_by: ChooseBy,
    pub among: Among,
    pub max: usize,
}

impl Passages {
    /// The segments to choose among, in rank order.
    fn marked(self) -> Vec<Marked> {
        match self.among {
            Among::All(segments) => segments
                .into_iter()
                .map(|s| {
                    let rank = s.stored.ordinal as usize;
                    Marked::new(s.address, rank).with(s)
                })
                .collect(),
            Among::Matched(best) => best
                .into_iter()
                .enumerate()
                .map(|(rank, address)| Marked::new(address, rank))
                .collect(),
        }
    }
}

/// For hits of one locale index snapshot, each hit's up to `max` segments chosen `among` its
/// segments, with their highlights; a hit always shows something. The highlights are the
/// spans, stored at index time, of the positions the postings give for the query's terms in
/// each segment's document. Each term's postings are read once per tantivy segment for all
/// the hits together: a query's hits are mostly in one locale.
pub(crate) fn best_segments(
    searcher: &tantivy::Searcher,
    index: &LocaleIndex,
    hits: Vec<Passages>,
    (target, source): (&SideTerms, &SideTerms),
) -> tantivy::Result<Vec<Vec<SegmentHit>>> {
    let asked: Vec<(ChooseBy, usize)> = hits.iter().map(|h| (h.choose_by, h.max)).collect();
    let mut marked: Vec<Vec<Marked>> = hits.into_iter().map(Passages::marked).collect();
    let sides = [(target, false), (source, true)];
    let chosen_by = |choose_by: &ChooseBy, source_side: bool| {
        if source_side {
            choose_by.source
        } else {
            choose_by.target
        }
    };
    for (side, source_side) in sides {
        let which: Vec<bool> = asked
            .iter()
            .map(|(c, _)| chosen_by(c, source_side))
            .collect();
        mark(searcher, &mut marked, &which, side, source_side)?;
    }
    for (&(_, max), marked) in asked.iter().zip(&mut marked) {
        choose(max, marked);
        read_chosen(searcher, index, marked)?;
    }
    for (side, source_side) in sides {
        let which: Vec<bool> = asked
            .iter()
            .map(|(c, _)| !chosen_by(c, source_side))
            .collect();
        mark(searcher, &mut marked, &which, side, source_side)?;
    }
    Ok(marked
        .into_iter()
        .map(|m| m.into_iter().filter_map(Marked::finish).collect())
        .collect())
}

/// Reads the chosen segments not read yet, and highlights what was found in them; a
/// segment that cannot be read is not shown.
fn read_chosen(
    searcher: &tantivy::Searcher,
    index: &LocaleIndex,
    marked: &mut Vec<Marked>,
) -> tantivy::Result<()> {
    for m in marked.iter_mut().filter(|m| m.segment.is_none()) {
        if let Some(segment) = read_segment(searcher, index, m.address)? {
            m.read(segment);
        }
    }
    marked.retain(|m| m.segment.is_some());
    Ok(())
}

/// Keeps a hit's best segments: most distinct query terms first, its rank among equals; the
/// first by rank when none matched.
fn choose(max: usize, marked: &mut Vec<Marked>) {
    marked.sort_by_key(|m| m.rank);
    if marked.iter().all(|m| m.matched.is_empty()) {
        marked.truncate(1);
    } else {
        marked.retain(|m| !m.matched.is_empty());
        marked.sort_by_key(|m| std::cmp::Reverse(m.matched.len()));
        marked.truncate(max);
    }
}

/// Marks one side of the segments of the hits `which` names: each term's postings are read
/// once per tantivy segment and walked through the documents in order.
fn mark(
    searcher: &tantivy::Searcher,
    hits: &mut [Vec<Marked>],
    which: &[bool],
    side: &SideTerms,
    source_side: bool,
) -> tantivy::Result<()> {
    let mut order: Vec<(DocAddress, usize, usize)> = Vec::new();
    for (h, marked) in hits.iter().enumerate().filter(|(h, _)| which[*h]) {
        order.extend(marked.iter().enumerate().map(|(i, m)| (m.address, h, i)));
    }
    order.sort_unstable();
    let mut positions = Vec::new();
    for run in order.chunk_by(|(a, ..), (b, ..)| a.segment_ord == b.segment_ord) {
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
            for &(DocAddress { doc_id: doc, .. }, h, i) in run {
                if postings.doc() < doc {
                    postings.seek(doc);
                }
                if postings.doc() == doc {
                    postings.positions(&mut positions);
                    hits[h][i].add(source_side, t, &positions);
                }
            }
        }
        for &(_, h, i) in run {
            hits[h][i].merge(source_side);
        }
    }
    Ok(())
}

impl Marked {
    fn new(address: DocAddress, rank: usize) -> Marked {
        Marked {
            address,
            rank,
            segment: None,
            unread: Vec::new(),
            matched: HashSet::default(),
            target_highlights: Vec::new(),
            source_highlights: Vec::new(),
            truncated: false,
        }
    }

    /// With its segment, read before any mark.
    fn with(mut self, segment: ReadSegment) -> Marked {
        self.read(segment);
        self
    }

    /// Takes the segment read, and highlights what was found in it before.
    fn read(&mut self, mut segment: ReadSegment) {
        // Matches are looked for in a bounded start of each side.
        let s = &mut segment.stored;
        self.truncated |= clip::prefix(&mut s.target, clip::MAX_SCANNED_BYTES);
        if let Some(source) = s.source.as_mut() {
            self.truncated |= clip::prefix(source, clip::MAX_SCANNED_BYTES);
        }
        self.segment = Some(segment);
        // Found before the text was read: counted again where the text shows it.
        self.matched.clear();
        for (source_side, t, positions) in std::mem::take(&mut self.unread) {
            self.add(source_side, t, &positions);
        }
        self.merge(false);
        self.merge(true);
    }

    /// The spans of term `t` at `positions` on one side, within the text shown; before the
    /// segment is read, the positions are kept for then, and the term counts as matched.
    fn add(&mut self, source_side: bool, t: usize, positions: &[u32]) {
        let Some(segment) = &self.segment else {
            if !positions.is_empty() {
                self.matched.insert((source_side, t));
                self.unread.push((source_side, t, positions.to_vec()));
            }
            return;
        };
        let (spans, shown, highlights) = if source_side {
            let shown = segment.stored.source.as_ref().map_or(0, String::len);
            (&segment.offsets.source, shown, &mut self.source_highlights)
        } else {
            let shown = segment.stored.target.len();
            (&segment.offsets.target, shown, &mut self.target_highlights)
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

    /// The segment shown, if read: each side cut to a window around its first match.
    fn finish(self) -> Option<SegmentHit> {
        let Marked {
            segment,
            matched,
            mut target_highlights,
            mut source_highlights,
            mut truncated,
            ..
        } = self;
        let s = segment?.stored;
        let (mut target, mut source) = (s.target, s.source);
        truncated |= clip::window(&mut target, &mut target_highlights, clip::MAX_PASSAGE_BYTES);
        if let Some(source) = source.as_mut() {
            truncated |= clip::window(source, &mut source_highlights, clip::MAX_PASSAGE_BYTES);
        }
        Some(SegmentHit {
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
        })
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
    use crate::collect::tests::{article_at, index_of, index_of_all, locale_index};

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
        let locale = locale_index(&article.locale, index, fields);
        let searcher = locale.reader.searcher();
        let target_analyzer = locale.analyzer;
        let english = locsearch_analysis::english().name;
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
            let passages = Passages {
                choose_by: both,
                among: Among::All(read.segments),
                max: usize::MAX,
            };
            let hits = best_segments(&searcher, &locale, vec![passages], (&target, &source))
                .unwrap()
                .remove(0);
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

    /// Hits of one index highlighted together — in one tantivy segment or two, matched by
    /// either side or both, among all their segments or some — get what each gets alone.
    #[test]
    fn hits_highlighted_together_get_what_each_gets_alone() {
        let articles = [
            article_at("sl-SI/AlchemyInsights/password-reset-button-greyed-out.md"),
            article_at("sl-SI/AlchemyInsights/sharing-link-greyed-out.md"),
        ];
        let cut = articles[0].segments.len() + 4;
        let (index, fields) = index_of_all(&articles, Some(cut));
        let locale = locale_index("sl-SI", index, fields);
        let searcher = locale.reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let words = |text: &str| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut query = String::new();
        for article in &articles {
            for s in article.segments.iter().step_by(4) {
                query = format!(
                    "{query} {} {}",
                    words(&s.target),
                    words(s.source.as_deref().unwrap_or_default())
                );
            }
        }
        let target = side_terms(locale.analyzer, fields.target, &query);
        let source = side_terms(locsearch_analysis::english().name, fields.source, &query);
        let asked = |article: &locsearch_ingest::Article, side: usize| {
            let read = read_article(&searcher, &locale, &article.path, true)
                .unwrap()
                .unwrap();
            // The documents of a hit's best segments, best first, as the collector keeps them.
            let among = if side == 1 {
                Among::Matched([3, 1, 0].map(|o| read.segments[o].address).to_vec())
            } else {
                Among::All(read.segments)
            };
            Passages {
                choose_by: ChooseBy {
                    target: side != 1,
                    source: side != 0,
                },
                among,
                max: 3,
            }
        };
        let shown = |hits: Vec<SegmentHit>| -> Vec<String> {
            hits.iter().map(|h| format!("{h:?}")).collect()
        };
        for sides in [(0, 1), (1, 2), (2, 0)] {
            // The later article in the index first, as a better hit would be.
            let alone: Vec<Vec<String>> = [(&articles[1], sides.1), (&articles[0], sides.0)]
                .into_iter()
                .map(|(a, side)| {
                    let hits =
                        best_segments(&searcher, &locale, vec![asked(a, side)], (&target, &source));
                    shown(hits.unwrap().remove(0))
                })
                .collect();
            assert!(alone.iter().all(|hits| hits.len() > 1), "{alone:?}");
            let together = best_segments(
                &searcher,
                &locale,
                vec![asked(&articles[1], sides.1), asked(&articles[0], sides.0)],
                (&target, &source),
            )
            .unwrap();
            let together: Vec<Vec<String>> = together.into_iter().map(shown).collect();
            assert_eq!(together, alone, "{sides:?}");
        }
    }
}
