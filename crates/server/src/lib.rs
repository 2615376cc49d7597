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

mod openapi;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use locsearch_query::{
    BatchAnswer, BatchRequest, Query as WireQuery, QueryError, SearchAnswer, Searcher, Stop,
};

/// Limits, each answered with a clear error.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
pub const MAX_BATCH: usize = 100;
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

const PAGE: &str = include_str!("../assets/index.html");

/// When a full check of the index files ran, and the damage it found.
type IntegrityCheck = (Instant, Option<String>);

/// The current searcher; requests clone the `Arc`, so a swap never disturbs one in flight.
#[derive(Clone)]
pub struct AppState {
    dir: PathBuf,
    /// The user's synonyms, by language, applied to every searcher opened.
    synonyms: Arc<Synonyms>,
    current: Arc<RwLock<Option<Arc<Searcher>>>>,
    /// What is wrong with the index, for `/health`: it could not be opened (missing,
    /// unfinished, damaged), or a search found it inconsistent. Cleared by a good reload.
    problem: Arc<RwLock<Option<String>>>,
    /// When the files on disk were last verified in full, and what was found.
    last_check: Arc<std::sync::Mutex<Option<IntegrityCheck>>>,
}

impl AppState {
    pub fn open(dir: &Path, synonyms: Synonyms) -> AppState {
        let (searcher, problem) = match open_searcher(dir, &synonyms) {
            Ok(searcher) => (Some(Arc::new(searcher)), None),
            Err(e) => (None, Some(without_hint(&e))),
        };
        AppState {
            dir: dir.to_path_buf(),
            synonyms: Arc::new(synonyms),
            current: Arc::new(RwLock::new(searcher)),
            problem: Arc::new(RwLock::new(problem)),
            last_check: Arc::default(),
        }
    }

    fn searcher(&self) -> Result<Arc<Searcher>, ApiError> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current.clone().ok_or_else(|| {
            let why = self.problem().unwrap_or_default();
            ApiError::unavailable(format!("no usable index at {}: {why}", self.dir.display()))
        })
    }

    /// The index directory served now: `dir`, or the generation its pointer names when it
    /// is a published directory ([`locsearch_index::publish`]).
    fn served_dir(&self) -> PathBuf {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        match current.as_ref() {
            Some(searcher) => searcher.catalog().dir.clone(),
            None => locsearch_index::publish::current(&self.dir),
        }
    }

    fn problem(&self) -> Option<String> {
        self.problem
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Damage to the index files on disk, verified in full at most every
    /// [`HEALTH_CHECK_INTERVAL`] (a tenth of a second on the whole real corpus). Checked
    /// against the manifest on disk, which marks the locales a running build is writing.
    fn damage_on_disk(&self) -> Option<String> {
        let mut last = self.last_check.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, found)) = last.as_ref()
            && at.elapsed() < HEALTH_CHECK_INTERVAL
        {
            return found.clone();
        }
        let dir = self.served_dir();
        let found = match locsearch_index::Manifest::read(&dir) {
            Ok(Some(manifest)) => locsearch_index::integrity::damaged_locales(&dir, &manifest)
                .into_iter()
                .next()
                .map(|(locale, why)| format!("the {locale} index is damaged: {why}")),
            _ => None,
        };
        *last = Some((Instant::now(), found.clone()));
        found
    }

    fn report_problem(&self, problem: &str) {
        eprintln!("index problem: {problem}");
        *self.problem.write().unwrap_or_else(|e| e.into_inner()) = Some(problem.to_owned());
    }

    /// Reopens the index when a build finished writing it (a manifest that differs in more
    /// than its `pending` locales), or when a published directory's pointer names another
    /// generation; keeps the old searcher if the new state cannot be opened (unfinished,
    /// damaged, a generation still being copied), says so once, and tries again every
    /// [`RETRY_AFTER_FAILURE`].
    fn refresh(&self, last_seen: &mut Option<Seen>) {
        let dir = locsearch_index::publish::current(&self.dir);
        let Some(modified) = manifest_modified(&dir) else {
            return;
        };
        let known = last_seen
            .as_ref()
            .is_some_and(|seen| seen.dir == dir && seen.modified == modified);
        let retry = last_seen
            .as_ref()
            .and_then(|seen| seen.failed)
            .is_some_and(|at| at.elapsed() >= RETRY_AFTER_FAILURE);
        if known && !retry {
            return;
        }
        *last_seen = Some(Seen {
            dir: dir.clone(),
            modified,
            failed: None,
        });
        let serving = self
            .current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let (Some(serving), Ok(Some(mut on_disk))) =
            (serving, locsearch_index::Manifest::read(&dir))
        {
            // A build in progress rewrote the manifest only to mark the locales it is writing.
            on_disk.pending.clear();
            if serving.catalog().dir == dir && serving.catalog().manifest == on_disk {
                return;
            }
        }
        match open_searcher(&dir, &self.synonyms) {
            Ok(searcher) => {
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(searcher));
                *self.problem.write().unwrap_or_else(|e| e.into_inner()) = None;
                *self.last_check.lock().unwrap_or_else(|e| e.into_inner()) = None;
                eprintln!("index reloaded from {}", dir.display());
            }
            Err(e) => {
                if let Some(seen) = last_seen.as_mut() {
                    seen.failed = Some(Instant::now());
                }
                let serving = self
                    .current
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .is_some();
                if !known {
                    eprintln!(
                        "index changed but cannot be opened ({}); {}",
                        without_hint(&e),
                        if serving {
                            "still serving the previous one"
                        } else {
                            "nothing to serve"
                        }
                    );
                }
                if !serving {
                    self.report_problem(&without_hint(&e));
                }
            }
        }
    }
}

/// How often an index that changed but could not be opened is tried again: a replica may
/// receive a generation's pointer or manifest before the rest of its files.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(2);

/// The index state the watcher last looked at: which directory, its manifest's modification
/// time, and when opening it failed.
#[derive(Clone)]
struct Seen {
    dir: PathBuf,
    modified: SystemTime,
    failed: Option<Instant>,
}

fn manifest_modified(dir: &Path) -> Option<SystemTime> {
    std::fs::metadata(dir.join(locsearch_index::manifest::FILE))
        .and_then(|m| m.modified())
        .ok()
}

/// The user's synonyms rules, by language subtag (`locsearch_query::synonyms::load`).
pub type Synonyms = std::collections::BTreeMap<String, Vec<locsearch_query::synonyms::Rule>>;

/// A searcher of the index, warmed ([`Searcher::warm`]) before anyone queries it: the server
/// listens, and a reload is swapped in, only once it is.
fn open_searcher(dir: &Path, synonyms: &Synonyms) -> Result<Searcher, QueryError> {
    let searcher = Searcher::open(dir)?.with_synonyms(synonyms);
    searcher.warm()?;
    Ok(searcher)
}

/// An error's message without the command-line advice after `hint:`: an API client cannot
/// act on "leave out --lang" or "run locsearch index".
fn without_hint(e: &dyn std::fmt::Display) -> String {
    let text = e.to_string();
    match text.find("\n  hint:") {
        Some(at) => text[..at].to_owned(),
        None => text,
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
            QueryError::Index(_) | QueryError::Engine { .. } | QueryError::TimedOut => {
                StatusCode::SERVICE_UNAVAILABLE
            }
        };
        let message = match &e {
            QueryError::UnknownLocale { locale, available } => {
                format!(
                    "unknown locale {locale}: this index has {available}; omit lang to search every locale"
                )
            }
            _ => without_hint(&e),
        };
        ApiError { status, message }
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

fn request_of(query: WireQuery) -> Result<locsearch_query::Request, ApiError> {
    query
        .into_request()
        .map_err(|e| ApiError::bad_request(without_hint(&e)))
}

/// Runs CPU-bound work off the async threads, within the request time limit. The work gets a
/// [`Stop`] that is reached at the time limit and as soon as this future is dropped (the
/// answer was sent, or the client went away): nothing goes on computing for nobody.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(Stop) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let cancelled = Arc::new(AtomicBool::new(false));
    let _cancel_on_drop = CancelOnDrop(cancelled.clone());
    let stop = Stop::new(Instant::now() + REQUEST_TIMEOUT, cancelled);
    match tokio::time::timeout(
        REQUEST_TIMEOUT,
        tokio::task::spawn_blocking(move || work(stop)),
    )
    .await
    {
        Ok(Ok(result)) => result,
        // A panic while reading the index: its files changed under it or were damaged.
        Ok(Err(_)) => {
            let problem = "the index answered inconsistently: it may be damaged".to_owned();
            state.report_problem(&problem);
            Err(ApiError::unavailable(problem))
        }
        Err(_) => Err(ApiError::unavailable(format!(
            "the request took over {} s and was stopped",
            REQUEST_TIMEOUT.as_secs()
        ))),
    }
}

struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

async fn search_get(
    State(state): State<AppState>,
    params: Result<Query<WireQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SearchAnswer>, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::bad_request(e.body_text()))?;
    search(state, params).await
}

async fn search_post(
    State(state): State<AppState>,
    body: Result<Json<WireQuery>, axum::extract::rejection::JsonRejection>,
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

async fn search(state: AppState, params: WireQuery) -> Result<Json<SearchAnswer>, ApiError> {
    let request = request_of(params)?;
    let searcher = state.searcher()?;
    let started = Instant::now();
    let answer = blocking(&state, move |stop| {
        let mut request = request;
        request.stop = stop;
        searcher.answer(&request).map_err(ApiError::from)
    })
    .await?;
    Ok(Json(SearchAnswer {
        hits: answer.hits,
        corrected: answer.corrected,
        expansions: answer.expansions,
        took_ms: started.elapsed().as_secs_f64() * 1e3,
    }))
}

async fn batch(
    State(state): State<AppState>,
    body: Result<Json<BatchRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Vec<BatchAnswer>>, ApiError> {
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
    blocking(&state, move |stop| {
        Ok(body
            .queries
            .into_iter()
            .map(|q| {
                let searched = request_of(q.query).and_then(|mut r| {
                    r.stop = stop.clone();
                    searcher.answer(&r).map_err(ApiError::from)
                });
                BatchAnswer::new(q.qid, searched.map_err(|e| e.message))
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
    let found = blocking(&state, move |_| {
        searcher.article(&l, &p).map_err(ApiError::from)
    })
    .await?;
    found
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no article {path} in {locale}")))
}

/// How often `/health` verifies the index files in full; between checks it answers from the
/// last one.
pub const HEALTH_CHECK_INTERVAL: Duration = Duration::from_secs(5);

/// `ok` with the locale count; 503 with `damaged` (the files on disk fail their checks, or a
/// search found the index inconsistent) or `unavailable` (no index could be opened: missing,
/// unfinished, damaged) and the reason.
async fn health(State(state): State<AppState>) -> Response {
    let searcher = match state.searcher() {
        Ok(searcher) => searcher,
        Err(e) => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "error": e.message })),
            )
                .into_response();
        }
    };
    let checking = state.clone();
    let damage = blocking(&state, move |_| Ok(checking.damage_on_disk()))
        .await
        .ok()
        .flatten();
    match damage.or_else(|| state.problem()) {
        None => Json(serde_json::json!({
            "status": "ok",
            "locales": searcher.catalog().locales.len()
        }))
        .into_response(),
        Some(problem) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "damaged", "error": problem })),
        )
            .into_response(),
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
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
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

/// Starts the blocking threads searches run on, each with its analyzers warmed and one search
/// behind it: a thread, its allocator heap and its caches are made on first use, which the
/// first requests would otherwise wait for.
async fn warm_blocking_threads(state: &AppState, threads: usize) {
    let Ok(searcher) = state.searcher() else {
        return;
    };
    let started = Arc::new(std::sync::Barrier::new(threads));
    let tasks: Vec<_> = (0..threads)
        .map(|_| {
            let (searcher, started) = (searcher.clone(), started.clone());
            tokio::task::spawn_blocking(move || {
                // Every task on a thread of its own: each waits until all have started.
                started.wait();
                searcher.warm_thread();
                let _ = searcher.search(&locsearch_query::Request::new("warm"));
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
}

/// Reads the program's own file into the operating system's cache: after the cache was
/// dropped, the code only the first requests run (the handlers, the JSON writer) would
/// otherwise be read from disk while they wait.
fn read_executable() {
    use std::io::Read;
    let Ok(mut file) = std::env::current_exe().and_then(std::fs::File::open) else {
        return;
    };
    let mut buffer = vec![0u8; 1 << 20];
    while matches!(file.read(&mut buffer), Ok(n) if n > 0) {}
}

/// Serves until SIGINT or SIGTERM. `on_listening` gets the bound address (port 0 picks one).
pub fn serve(
    dir: &Path,
    synonyms: Synonyms,
    addr: SocketAddr,
    on_listening: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    // Searches are CPU-bound: more blocking threads than cores only queue them in the kernel,
    // and every thread keeps its own allocator heap (64 connections once meant 1.7 GB).
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let blocking_threads = cores * 2;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(blocking_threads)
        .build()?;
    let result = runtime.block_on(async move {
        // Signal handlers first: a signal sent as soon as the address is announced must count.
        let shutdown = ShutdownSignal::register()?;
        read_executable();
        let state = AppState::open(dir, synonyms);
        // All of the pool at once (the warm-up waits for every thread to start).
        warm_blocking_threads(&state, blocking_threads).await;
        let watcher = state.clone();
        tokio::spawn(async move {
            let dir = locsearch_index::publish::current(&watcher.dir);
            // An index that could not be opened at start is tried again like a changed one.
            let failed = watcher.searcher().is_err().then(Instant::now);
            let mut last_seen = manifest_modified(&dir).map(|modified| Seen {
                dir,
                modified,
                failed,
            });
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let w = watcher.clone();
                let mut seen = last_seen.clone();
                last_seen = tokio::task::spawn_blocking(move || {
                    w.refresh(&mut seen);
                    seen
                })
                .await
                .unwrap_or(last_seen);
            }
        });
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let bound = listener.local_addr()?;
        on_listening(bound);
        let app = router(state).layer(middleware::from_fn_with_state(
            Guard {
                loopback_only: bound.ip().is_loopback(),
            },
            guard,
        ));
        accept_until(listener, app, shutdown.wait()).await
    });
    // Searches still running on blocking threads are not waited for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    result
}

/// How long a client may take to send a request's headers; a connection that stalls longer is
/// closed (a thousand half-open connections once held the server's sockets for ever).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts connections until `stop` completes, then lets requests in flight finish for up to
/// [`SHUTDOWN_GRACE`]; idle keep-alive connections are closed at once.
async fn accept_until(
    listener: tokio::net::TcpListener,
    app: Router,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                // A failed accept (out of file descriptors) is one connection's problem.
                let Ok((stream, _)) = accepted else { continue };
                let service = hyper_util::service::TowerToHyperService::new(app.clone());
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_READ_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            () = &mut stop => break,
        }
    }
    eprintln!("shutting down");
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        eprintln!("connections still open after {SHUTDOWN_GRACE:?}: closing them");
    }
    Ok(())
}

/// Longest request target and header block the API reads; longer ones get a JSON 414 or 431.
pub const MAX_URI_BYTES: usize = 8 * 1024;
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

#[derive(Clone, Copy)]
struct Guard {
    /// Bound to loopback: only requests addressed to this machine by name are answered, so a
    /// web page on another site cannot reach the server through DNS rebinding.
    loopback_only: bool,
}

/// Every request and answer passes here: the Host check, the size limits, `nosniff`, and a
/// JSON body for every error (axum's own 400/405 have plain or empty ones).
async fn guard(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let refused = if guard.loopback_only && !is_local_host(request.headers()) {
        Some(ApiError {
            status: StatusCode::FORBIDDEN,
            message: "this server answers requests addressed to localhost only".into(),
        })
    } else if request.uri().to_string().len() > MAX_URI_BYTES {
        Some(ApiError {
            status: StatusCode::URI_TOO_LONG,
            message: format!("request target over {MAX_URI_BYTES} bytes; POST long queries"),
        })
    } else if header_bytes(request.headers()) > MAX_HEADER_BYTES {
        Some(ApiError {
            status: StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            message: format!("headers over {MAX_HEADER_BYTES} bytes"),
        })
    } else {
        None
    };
    let mut response = match refused {
        Some(error) => error.into_response(),
        None => as_json_error(next.run(request).await).await,
    };
    response.headers_mut().insert(
        header::HeaderName::from_static("x-content-type-options"),
        header::HeaderValue::from_static("nosniff"),
    );
    response
}

fn is_local_host(headers: &axum::http::HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        // HTTP/1.0 without Host: nothing a browser would send.
        return true;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    )
}

fn header_bytes(headers: &axum::http::HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

/// An error answer whose body is not JSON gets `{"error": …}` with its text (or the status's
/// reason when it has none).
async fn as_json_error(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_owned();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text
    };
    let mut json = ApiError { status, message }.into_response();
    // Keep what the original answer said beyond its body (`allow` on a 405).
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            json.headers_mut().insert(name.clone(), value.clone());
        }
    }
    json
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A request that ends before its work (timed out, or its client went away) stops that
    /// work: the [`Stop`] it was given is reached as soon as the request is dropped.
    #[test]
    fn dropped_requests_stop_their_work() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let state = AppState::open(Path::new("/nonexistent"), Synonyms::new());
        let (stopped_tx, stopped_rx) = std::sync::mpsc::channel();
        runtime.block_on(async {
            let work = blocking(&state, move |stop| {
                let started = Instant::now();
                while !stop.reached() && started.elapsed() < Duration::from_secs(30) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                stopped_tx.send(started.elapsed()).unwrap();
                Ok(())
            });
            // The client goes away after 100 ms.
            let _ = tokio::time::timeout(Duration::from_millis(100), work).await;
        });
        let ran = stopped_rx
            .recv_timeout(Duration::from_secs(5))
            .expect("work stopped");
        assert!(ran < Duration::from_secs(5), "work ran on for {ran:?}");
    }

    /// The API description states the bounds clients meet; they are defined once, in the
    /// query crate, so this keeps the description true when one changes.
    #[test]
    fn the_api_description_states_the_current_bounds() {
        let description = openapi::document().to_string();
        for bound in [
            locsearch_query::MAX_PASSAGE_BYTES,
            locsearch_query::MAX_ARTICLE_SEGMENT_BYTES,
        ] {
            assert!(description.contains(&format!(" {bound} bytes")), "{bound}");
        }
        assert!(description.contains(&format!(
            "past {} MiB",
            locsearch_query::MAX_ARTICLE_BYTES >> 20
        )));
        assert!(description.contains(&format!(
            "past the {}th",
            locsearch_query::MAX_QUERY_POSITIONS
        )));
    }

    /// The two 503s: no usable index, and a request over the time limit (whose work is told
    /// to stop).
    #[test]
    fn no_index_and_a_request_over_the_time_limit_are_503() {
        let state = AppState::open(Path::new("/nonexistent"), Synonyms::new());
        let no_index = state.searcher().err().expect("no searcher");
        assert_eq!(no_index.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            no_index.message.contains("no index"),
            "{}",
            no_index.message
        );

        let runtime = tokio::runtime::Runtime::new().unwrap();
        // Work that runs until told to stop, as a search does between locales and hits.
        let answer: Result<(), ApiError> = runtime.block_on(blocking(&state, |stop| {
            while !stop.reached() {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(QueryError::TimedOut.into())
        }));
        let error = answer.expect_err("timed out");
        assert_eq!(error.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(error.message.contains("stopped"), "{}", error.message);
    }

    #[test]
    fn api_errors_carry_no_command_line_advice() {
        let e = QueryError::UnknownLocale {
            locale: "xx-XX".into(),
            available: "sl-SI".into(),
        };
        let api = ApiError::from(e);
        assert!(!api.message.contains("--lang"), "{}", api.message);
        assert!(api.message.contains("omit lang"), "{}", api.message);
        let damaged = locsearch_index::IndexError::Damaged {
            dir: "/i".into(),
            locale: "sl-SI".into(),
            why: "checksum mismatch".into(),
        };
        let api = ApiError::from(QueryError::Index(damaged));
        assert!(!api.message.contains("hint"), "{}", api.message);
        assert!(api.message.contains("sl-SI"), "{}", api.message);
    }
}
