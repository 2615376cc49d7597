//! One search as the engine takes it, and when to give it up.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::error::QueryError;

/// Hits when a request names no number.
pub const DEFAULT_LIMIT: usize = 10;
/// Largest number of hits a request may ask for, from the command line or over HTTP: each
/// hit carries passages, so this bounds the work and the size of one answer.
pub const MAX_LIMIT: usize = 100;

/// One search.
#[derive(Debug, Clone)]
pub struct Request {
    pub query: String,
    /// Locales to search; empty = any (routed by script).
    pub langs: Vec<String>,
    pub limit: usize,
    /// One hit per matching segment pair (a concordance) instead of one per article.
    pub segments: bool,
    /// Compute the best segments of each hit (snippets); off for scripts that only rank.
    pub snippets: bool,
    /// Report every term searched besides the query's words ([`crate::Answer::expansions`]).
    pub explain: bool,
    /// When to give up: checked before each locale and each hit, so a request that timed
    /// out or whose client left stops its work instead of finishing it for nobody.
    pub stop: Stop,
}

impl Request {
    pub fn new(query: impl Into<String>) -> Self {
        Request {
            query: query.into(),
            langs: Vec::new(),
            limit: DEFAULT_LIMIT,
            segments: false,
            snippets: true,
            explain: false,
            stop: Stop::default(),
        }
    }

    pub(crate) fn validate(&self) -> Result<(), QueryError> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(QueryError::BadQuery(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        self.check_deadline()
    }

    pub(crate) fn check_deadline(&self) -> Result<(), QueryError> {
        if self.stop.reached() {
            Err(QueryError::TimedOut)
        } else {
            Ok(())
        }
    }
}

/// A deadline and a flag a caller sets to cancel; the default never stops.
#[derive(Debug, Clone, Default)]
pub struct Stop {
    deadline: Option<Instant>,
    cancelled: Option<Arc<AtomicBool>>,
}

impl Stop {
    pub fn new(deadline: Instant, cancelled: Arc<AtomicBool>) -> Stop {
        Stop {
            deadline: Some(deadline),
            cancelled: Some(cancelled),
        }
    }

    pub fn reached(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
            || self
                .cancelled
                .as_ref()
                .is_some_and(|c| c.load(Ordering::Relaxed))
    }
}
