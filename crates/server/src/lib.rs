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

mod error;
mod guard;
mod openapi;
mod routes;
mod state;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::{Router, middleware};

pub use error::ApiError;
pub use routes::router;
pub use state::{AppState, Synonyms};

use guard::{Guard, guard};
use state::{Seen, manifest_modified};

/// Limits, each answered with a clear error.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
pub const MAX_BATCH: usize = 100;
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How often `/health` verifies the index files in full; between checks it answers from the
/// last one.
pub const HEALTH_CHECK_INTERVAL: Duration = Duration::from_secs(5);

/// Longest request target and header block the API reads; longer ones get a JSON 414 or 431.
pub const MAX_URI_BYTES: usize = 8 * 1024;
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

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
    use std::path::Path;
    use std::time::{Duration, Instant};

    use axum::http::StatusCode;
    use locsearch_query::QueryError;

    use super::*;
    use crate::routes::blocking;

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
        let api = ApiError::from(QueryError::AmbiguousLocale {
            locale: "zh".into(),
            candidates: "zh-CN, zh-TW".into(),
        });
        assert_eq!(api.status, StatusCode::BAD_REQUEST);
        assert!(!api.message.contains("--lang"), "{}", api.message);
        assert!(api.message.contains("zh-CN, zh-TW"), "{}", api.message);
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
