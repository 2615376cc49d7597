//! The wire format: a search request and its answer as JSON, one definition for
//! `locsearch search --json`, `locsearch batch`, the HTTP API and its OpenAPI description
//! (whose schemas are generated from these types).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::QueryError;
use crate::hit::{Answer, Hit};
use crate::plan::{Expansion, Searched};
use crate::request::{DEFAULT_LIMIT, MAX_LIMIT, Request};

/// One query: a `locsearch batch` line, a `POST /search` body, an item of `POST /batch`, or
/// the parameters of `GET /search`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct Query {
    /// The query: words, "quoted phrases", -excluded words, lang:xx-YY, path:prefix (also
    /// accepted as `q`).
    #[serde(alias = "q")]
    #[schemars(length(max = crate::MAX_QUERY_BYTES))]
    pub query: Option<String>,
    /// A locale such as sl-SI; absent, empty or "any": any language, routed by script.
    pub lang: Option<String>,
    /// Number of hits (default [`DEFAULT_LIMIT`]).
    #[schemars(range(min = 1, max = MAX_LIMIT), extend("default" = DEFAULT_LIMIT))]
    pub limit: Option<usize>,
    /// One hit per matching segment pair, ranked by the segment's own score
    /// (segments[0].score).
    pub segments: Option<bool>,
    /// Each hit's best segments, highlighted (default true); false when only the ranking
    /// matters.
    pub snippets: Option<bool>,
    /// Also list every term searched besides the query's words (corrections, synonyms) with
    /// its weight.
    pub explain: Option<bool>,
}

impl Query {
    /// The engine's request; the limit is checked when it runs.
    pub fn into_request(self) -> Result<Request, QueryError> {
        let query = self.query.ok_or_else(|| {
            QueryError::BadQuery("missing query: give \"query\" (or ?q=...)".into())
        })?;
        let mut request = Request::new(query);
        request.langs = self
            .lang
            .filter(|l| !l.is_empty() && l != "any")
            .into_iter()
            .collect();
        request.limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        request.segments = self.segments.unwrap_or(false);
        request.snippets = self.snippets.unwrap_or(true);
        request.explain = self.explain.unwrap_or(false);
        Ok(request)
    }
}

/// The longest `locsearch batch` line read: one query of at most [`crate::MAX_QUERY_BYTES`]
/// with its id and options fits many times over, so a longer line is not a query (a JSON
/// array given whole, a binary file) and is answered with an error, not read into memory.
pub const MAX_BATCH_LINE_BYTES: usize = 64 * 1024;

/// A query of a batch, with the caller's id for it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct BatchQuery {
    /// Any JSON value; given back with the answer.
    #[serde(default)]
    pub qid: serde_json::Value,
    #[serde(flatten)]
    pub query: Query,
}

/// `POST /batch`'s body.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct BatchRequest {
    pub queries: Vec<BatchQuery>,
}

/// The answer to one query of a batch: its hits, or why there are none.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BatchAnswer {
    pub qid: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hits: Option<Vec<Hit>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The query as it was searched, when a correction decided the best hit, a name typed
    /// apart was read as one word, or quotes no article matched were left out ("did you
    /// mean").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected: Option<String>,
    /// With `explain`: the terms searched besides the query's words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expansions: Vec<Expansion>,
    /// With `explain`: the sides searched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub searched: Vec<Searched>,
}

impl BatchAnswer {
    pub fn new(qid: serde_json::Value, result: Result<Answer, String>) -> BatchAnswer {
        match result {
            Ok(answer) => BatchAnswer {
                qid,
                hits: Some(answer.hits),
                error: None,
                corrected: answer.corrected,
                expansions: answer.expansions,
                searched: answer.searched,
            },
            Err(error) => BatchAnswer {
                qid,
                hits: None,
                error: Some(error),
                corrected: None,
                expansions: Vec::new(),
                searched: Vec::new(),
            },
        }
    }

    pub fn failed(&self) -> bool {
        self.error.is_some()
    }
}

/// The answer of `/search`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SearchAnswer {
    pub hits: Vec<Hit>,
    /// The query as it was searched, when a correction decided the best hit, a name typed
    /// apart was read as one word, or quotes no article matched were left out ("did you
    /// mean").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected: Option<String>,
    /// With `explain`: the terms searched besides the query's words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expansions: Vec<Expansion>,
    /// With `explain`: the sides searched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub searched: Vec<Searched>,
    /// Time spent searching, in milliseconds.
    pub took_ms: f64,
}
