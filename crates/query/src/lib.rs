//! Ranked hits in any language over a [`Catalog`](locsearch_index::Catalog) of per-locale
//! indexes.
//!
//! A query is parsed ([`parse`]), routed to the locales of its script ([`route`]), planned
//! for each searched side with that side's analyzer ([`plan`]), run on each locale index and
//! scored per article ([`execute`], [`articles`]) — each word also finding what the corpus's
//! aligned pairs relate to it ([`related`]) —, merged into one ranked list ([`merge`]),
//! and the best candidates become hits with passages ([`hit`], [`snippet`]): one hit per
//! article per locale for target-side matches, one per article key (with the locales it
//! exists in) for matches through the English source when no language was given, and an
//! article matched both ways once. Every
//! weight comes from one [`Ranking`]; [`searcher`] ties the rooms together.

mod apart;
mod apostrophes;
mod articles;
mod best_field;
mod candidate;
mod clauses;
mod clip;
mod codes;
mod collect;
mod compounds;
mod correct;
mod coverage;
mod do_support;
mod error;
mod execute;
mod function_words;
mod hit;
mod homophones;
mod keys;
mod latent;
mod likely;
mod loanwords;
mod merge;
mod negation;
mod parse;
mod plan;
mod postings;
mod ranking;
mod related;
mod request;
mod route;
mod searcher;
mod shortlist;
mod snippet;
mod spelling;
mod stats;
pub mod synonyms;
mod terms;
mod titles;
mod untranslated;
mod wire;

pub use clip::{MAX_ARTICLE_BYTES, MAX_ARTICLE_SEGMENT_BYTES, MAX_PASSAGE_BYTES};
pub use error::QueryError;
pub use hit::{Answer, ArticleSegment, ArticleView, Hit};
pub use parse::{MAX_QUERY_BYTES, ParsedQuery, parse};
pub use plan::{Expansion, Searched};
pub use ranking::Ranking;
pub use request::{DEFAULT_LIMIT, MAX_LIMIT, Request, Stop};
pub use route::Router;
pub use searcher::Searcher;
pub use snippet::{Highlight, SegmentHit};
pub use terms::MAX_QUERY_POSITIONS;
pub use wire::{BatchAnswer, BatchQuery, BatchRequest, MAX_BATCH_LINE_BYTES, Query, SearchAnswer};

/// The guard of a cache shared by concurrent queries. A query that panicked while holding it
/// (a defect, answered as such by `batch` and `serve`) left at most an entry out: the queries
/// after it go on using the cache rather than failing on a poisoned lock.
pub(crate) fn held<T>(cache: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
