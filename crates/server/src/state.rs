//! The served index: the current searcher, swapped for a fresh one when a build writes a new
//! manifest (or a published directory's pointer moves), and what is wrong with it for
//! `/health`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use locsearch_query::{QueryError, Searcher};

use crate::HEALTH_CHECK_INTERVAL;
use crate::error::{ApiError, without_hint};

/// When a full check of the index files ran, and the damage it found.
type IntegrityCheck = (Instant, Option<String>);

/// The current searcher; requests clone the `Arc`, so a swap never disturbs one in flight.
#[derive(Clone)]
pub struct AppState {
    pub(crate) dir: PathBuf,
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

    pub(crate) fn searcher(&self) -> Result<Arc<Searcher>, ApiError> {
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

    pub(crate) fn problem(&self) -> Option<String> {
        self.problem
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Damage to the index files on disk, verified in full at most every
    /// [`HEALTH_CHECK_INTERVAL`] (a tenth of a second on the whole real corpus). Checked
    /// against the manifest on disk, which marks the locales a running build is writing.
    pub(crate) fn damage_on_disk(&self) -> Option<String> {
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

    pub(crate) fn report_problem(&self, problem: &str) {
        eprintln!("index problem: {problem}");
        *self.problem.write().unwrap_or_else(|e| e.into_inner()) = Some(problem.to_owned());
    }

    /// Reopens the index when a build finished writing it (a manifest that differs in more
    /// than its `pending` locales), or when a published directory's pointer names another
    /// generation; keeps the old searcher if the new state cannot be opened (unfinished,
    /// damaged, a generation still being copied), says so once, and tries again every
    /// [`RETRY_AFTER_FAILURE`].
    pub(crate) fn refresh(&self, last_seen: &mut Option<Seen>) {
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
pub(crate) struct Seen {
    pub(crate) dir: PathBuf,
    pub(crate) modified: SystemTime,
    pub(crate) failed: Option<Instant>,
}

pub(crate) fn manifest_modified(dir: &Path) -> Option<SystemTime> {
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
