//! An article found in one locale, before it becomes a [`crate::Hit`].

use std::sync::Arc;

use tantivy::Score;

use crate::articles::{ArticleId, ArticleTable};
use crate::collect::BestSegments;
use crate::plan::Side;

/// Which text a hit was found through, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Matched {
    Target,
    Source,
}

impl Matched {
    pub fn name(self) -> &'static str {
        match self {
            Matched::Source => "source",
            Matched::Target => "target",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub score: Score,
    /// The locale's coverage weight, which multiplied the article's score.
    pub weight: f32,
    /// The share of the query's words its titles hold ([`crate::shortlist::Shortlist::title_share`]).
    pub title_share: f32,
    pub locale: String,
    pub path: String,
    pub key: String,
    pub side: Side,
    pub matched: Matched,
    /// The searcher that found it: the article is read from the same index generation.
    pub searcher: tantivy::Searcher,
    /// Its locale's article table for that searcher, and its number there: where its
    /// article document is, and its titles.
    pub table: Arc<ArticleTable>,
    pub article: ArticleId,
    /// Its best matching segment documents in that searcher, and their tantivy segment.
    pub segments: (tantivy::SegmentOrdinal, BestSegments),
}
