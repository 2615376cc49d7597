//! `locsearch serve`: the JSON API and the search page, over a [`Searcher`] that is swapped
//! for a fresh one whenever `locsearch index` writes a new manifest.
//!
//! | route | what |
//! |---|---|
//! | `GET /` | the search page (embedded, no CDN) |
//! | `GET /search?q=&lang=&limit=`, `POST /search` | hits, as `search --json` |
//! | `POST /batch` | many queries, answers in order |
//! | `GET /articles/{locale}/{*path}` | one article as aligned pairs |
//! | `GET /health`, `GET /stats` | liveness; per-locale statistics |
//! | `GET /openapi.json` | this API, described |

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use locsearch_query::{QueryError, Searcher};
use serde::{Deserialize, Serialize};

/// Limits, each answered with a clear error.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
pub const MAX_BATCH: usize = 100;
pub const MAX_LIMIT: usize = 100;
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

const PAGE: &str = include_str!("../assets/index.html");
const OPENAPI: &str = include_str!("../assets/openapi.json");

/// The current searcher; requests clone the `Arc`, so a swap never disturbs one in flight.
#[derive(Clone)]
pub struct AppState {
    dir: PathBuf,
    current: Arc<RwLock<Option<Arc<Searcher>>>>,
}

impl AppState {
    pub fn open(dir: &Path) -> AppState {
        let searcher = Searcher::open(dir).ok().map(Arc::new);
        AppState {
            dir: dir.to_path_buf(),
            current: Arc::new(RwLock::new(searcher)),
        }
    }

    fn searcher(&self) -> Result<Arc<Searcher>, ApiError> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current.clone().ok_or_else(|| {
            ApiError::unavailable(format!("no usable index at {}", self.dir.display()))
        })
    }

    /// Reopens the index when its manifest changed; keeps the old searcher if the new state
    /// cannot be opened (a build in progress).
    fn refresh(&self, last_seen: &mut Option<SystemTime>) {
        let modified = std::fs::metadata(self.dir.join(locsearch_index::manifest::FILE))
            .and_then(|m| m.modified())
            .ok();
        if modified.is_none() || modified == *last_seen {
            return;
        }
        match Searcher::open(&self.dir) {
            Ok(searcher) => {
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(searcher));
                *last_seen = modified;
                eprintln!("index reloaded from {}", self.dir.display());
            }
            Err(e) => eprintln!(
                "index changed but cannot be opened yet ({e}); still serving the previous one"
            ),
        }
    }
}

/// An error as the API returns it: a status and `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
    fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
    fn unavailable(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: message.into(),
        }
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        let status = match &e {
            QueryError::BadQuery(_) => StatusCode::BAD_REQUEST,
            QueryError::UnknownLocale { .. } => StatusCode::NOT_FOUND,
            QueryError::Index(_) | QueryError::Engine { .. } => StatusCode::SERVICE_UNAVAILABLE,
        };
        ApiError {
            status,
            message: e.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}

#[derive(Debug, Deserialize)]
struct SearchParams {
    #[serde(alias = "query")]
    q: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    segments: Option<bool>,
}

#[derive(Serialize)]
struct SearchAnswer {
    hits: Vec<locsearch_query::Hit>,
    took_ms: f64,
}

fn request_of(params: SearchParams) -> Result<locsearch_query::Request, ApiError> {
    let query = params
        .q
        .ok_or_else(|| ApiError::bad_request("missing query: use ?q=..."))?;
    let limit = params.limit.unwrap_or(10);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let mut request = locsearch_query::Request::new(query);
    request.langs = params
        .lang
        .filter(|l| !l.is_empty() && l != "any")
        .into_iter()
        .collect();
    request.limit = limit;
    request.segments = params.segments.unwrap_or(false);
    Ok(request)
}

/// Runs CPU-bound work off the async threads, within the request time limit.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::time::timeout(REQUEST_TIMEOUT, tokio::task::spawn_blocking(work)).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal error".into(),
        }),
        Err(_) => Err(ApiError::unavailable(format!(
            "the request took over {} s",
            REQUEST_TIMEOUT.as_secs()
        ))),
    }
}

async fn search_get(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SearchAnswer>, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::bad_request(e.body_text()))?;
    search(state, params).await
}

async fn search_post(
    State(state): State<AppState>,
    body: Result<Json<SearchParams>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<SearchAnswer>, ApiError> {
    let Json(params) = body.map_err(json_rejection)?;
    search(state, params).await
}

fn json_rejection(e: axum::extract::rejection::JsonRejection) -> ApiError {
    ApiError {
        status: e.status(),
        message: e.body_text(),
    }
}

async fn search(state: AppState, params: SearchParams) -> Result<Json<SearchAnswer>, ApiError> {
    let request = request_of(params)?;
    let searcher = state.searcher()?;
    let started = Instant::now();
    let hits = blocking(move || searcher.search(&request).map_err(ApiError::from)).await?;
    Ok(Json(SearchAnswer {
        hits,
        took_ms: started.elapsed().as_secs_f64() * 1e3,
    }))
}

#[derive(Deserialize)]
struct BatchBody {
    queries: Vec<BatchQuery>,
}

#[derive(Deserialize)]
struct BatchQuery {
    #[serde(default)]
    qid: serde_json::Value,
    #[serde(flatten)]
    params: SearchParams,
}

#[derive(Serialize)]
struct BatchItem {
    qid: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    hits: Option<Vec<locsearch_query::Hit>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

async fn batch(
    State(state): State<AppState>,
    body: Result<Json<BatchBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Vec<BatchItem>>, ApiError> {
    let Json(body) = body.map_err(json_rejection)?;
    if body.queries.len() > MAX_BATCH {
        return Err(ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!(
                "{} queries; a batch holds at most {MAX_BATCH}",
                body.queries.len()
            ),
        });
    }
    let searcher = state.searcher()?;
    blocking(move || {
        Ok(body
            .queries
            .into_iter()
            .map(|q| {
                match request_of(q.params).and_then(|r| searcher.search(&r).map_err(ApiError::from))
                {
                    Ok(hits) => BatchItem {
                        qid: q.qid,
                        hits: Some(hits),
                        error: None,
                    },
                    Err(e) => BatchItem {
                        qid: q.qid,
                        hits: None,
                        error: Some(e.message),
                    },
                }
            })
            .collect())
    })
    .await
    .map(Json)
}

async fn article(
    State(state): State<AppState>,
    UrlPath((locale, path)): UrlPath<(String, String)>,
) -> Result<Json<locsearch_query::ArticleView>, ApiError> {
    let searcher = state.searcher()?;
    let (l, p) = (locale.clone(), path.clone());
    let found = blocking(move || searcher.article(&l, &p).map_err(ApiError::from)).await?;
    found
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no article {path} in {locale}")))
}

async fn health(State(state): State<AppState>) -> Response {
    match state.searcher() {
        Ok(s) => Json(serde_json::json!({ "status": "ok", "locales": s.catalog().locales.len() }))
            .into_response(),
        Err(e) => e.into_response(),
    }
}

async fn stats(
    State(state): State<AppState>,
) -> Result<Json<Vec<locsearch_index::LocaleStats>>, ApiError> {
    let searcher = state.searcher()?;
    Ok(Json(searcher.catalog().stats()))
}

/// One log line per request: method, path, status, milliseconds.
async fn log_requests(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    eprintln!(
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1e3
    );
    response
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(|| async { Html(PAGE) }))
        .route(
            "/openapi.json",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) }),
        )
        .route("/search", get(search_get).post(search_post))
        .route("/batch", post(batch))
        .route("/articles/{locale}/{*path}", get(article))
        .route("/health", get(health))
        .route("/stats", get(stats))
        .fallback(|| async { ApiError::not_found("no such route; see /openapi.json") })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(log_requests))
        .with_state(state)
}

/// How long in-flight requests may run on after SIGINT/SIGTERM before the server exits anyway.
/// An idle keep-alive connection (a browser tab) can otherwise hold axum's graceful shutdown
/// open for ever.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Serves until SIGINT or SIGTERM. `on_listening` gets the bound address (port 0 picks one).
pub fn serve(
    dir: &Path,
    addr: SocketAddr,
    on_listening: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    // Searches are CPU-bound: more blocking threads than cores only queue them in the kernel,
    // and every thread keeps its own allocator heap (64 connections once meant 1.7 GB).
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(cores * 2)
        .build()?;
    let result = runtime.block_on(async move {
        // Signal handlers first: a signal sent as soon as the address is announced must count.
        let shutdown = ShutdownSignal::register()?;
        let state = AppState::open(dir);
        let watcher = state.clone();
        tokio::spawn(async move {
            let mut last_seen =
                std::fs::metadata(watcher.dir.join(locsearch_index::manifest::FILE))
                    .and_then(|m| m.modified())
                    .ok();
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let w = watcher.clone();
                let mut seen = last_seen;
                last_seen = tokio::task::spawn_blocking(move || {
                    w.refresh(&mut seen);
                    seen
                })
                .await
                .unwrap_or(last_seen);
            }
        });
        let listener = tokio::net::TcpListener::bind(addr).await?;
        on_listening(listener.local_addr()?);
        let (signalled, mut on_signal) = tokio::sync::watch::channel(false);
        let server = axum::serve(listener, router(state)).with_graceful_shutdown(async move {
            shutdown.wait().await;
            eprintln!("shutting down");
            let _ = signalled.send(true);
        });
        tokio::select! {
            result = server => result,
            () = async {
                let _ = on_signal.wait_for(|s| *s).await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => {
                eprintln!("connections still open after {SHUTDOWN_GRACE:?}: closing them");
                Ok(())
            }
        }
    });
    // Searches still running on blocking threads are not waited for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    result
}

/// SIGINT or SIGTERM, listened for from the moment it is registered.
struct ShutdownSignal {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignal {
    fn register() -> std::io::Result<ShutdownSignal> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(ShutdownSignal {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(ShutdownSignal {})
    }

    async fn wait(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}
