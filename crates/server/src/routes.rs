//! The routes: each handler parses its request, runs the search off the async threads within
//! the time limit ([`blocking`]) and answers in the wire format (`locsearch_query::wire`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use locsearch_query::{BatchAnswer, BatchRequest, Query as WireQuery, SearchAnswer, Stop};

use crate::error::{ApiError, json_rejection, without_hint};
use crate::state::AppState;
use crate::{MAX_BATCH, MAX_BODY_BYTES, REQUEST_TIMEOUT, openapi};

const PAGE: &str = include_str!("../assets/index.html");

fn request_of(query: WireQuery) -> Result<locsearch_query::Request, ApiError> {
    query
        .into_request()
        .map_err(|e| ApiError::bad_request(without_hint(&e)))
}

/// Runs CPU-bound work off the async threads, within the request time limit. The work gets a
/// [`Stop`] that is reached at the time limit and as soon as this future is dropped (the
/// answer was sent, or the client went away): nothing goes on computing for nobody.
pub(crate) async fn blocking<T: Send + 'static>(
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
        searched: answer.searched,
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
