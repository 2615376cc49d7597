//! Finding a corpus's files and reading them all: in parallel, in a deterministic order,
//! with every problem reported as a diagnostic and the run going on.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Article, Diagnostic, Severity};

#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Larger files are skipped with an error diagnostic, so memory stays bounded.
    pub max_file_bytes: u64,
    /// Content hashes of files already processed (by corpus-relative path): a file whose
    /// hash matches is not parsed, and its outcome says `unchanged`.
    pub known: Option<std::sync::Arc<std::collections::HashMap<String, u64>>>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: 64 << 20,
            known: None,
        }
    }
}

/// One file of a corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    pub abs: PathBuf,
    /// Relative to the corpus root, `/`-separated; the file name when the root is a file.
    pub rel: String,
}

/// The files found below a root, sorted by `rel`, and what could not be walked.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<CorpusFile>,
    pub diagnostics: Vec<Diagnostic>,
}

const EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Where symbolic links may lead a walk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Links {
    /// Followed while they stay below the corpus root; one that leads out is skipped with a
    /// warning (a link to `/etc/passwd` must not make it searchable and served).
    #[default]
    InsideRoot,
    /// Followed wherever they lead (`--follow-links-outside`).
    Anywhere,
}

/// Finds the Markdown (`.md`, `.markdown`) and text (`.txt`) files below `root`, following
/// symbolic links that stay below it, never around a loop. Fails only when `root` itself
/// cannot be read.
pub fn walk(root: &Path) -> std::io::Result<Walk> {
    walk_with(root, Links::InsideRoot)
}

/// [`walk`], with symbolic links followed as `links` says.
pub fn walk_with(root: &Path, links: Links) -> std::io::Result<Walk> {
    let meta = std::fs::metadata(root)?;
    let mut walk = Walk::default();
    if meta.is_file() {
        let rel = root
            .file_name()
            .map_or_else(|| root.to_string_lossy(), |n| n.to_string_lossy())
            .into_owned();
        walk.files.push(CorpusFile {
            abs: root.to_path_buf(),
            rel,
        });
        return Ok(walk);
    }
    std::fs::read_dir(root)?;
    let fence = match links {
        Links::InsideRoot => Some(std::fs::canonicalize(root)?),
        Links::Anywhere => None,
    };
    let mut visited = HashSet::new();
    let mut walker = Walker {
        root,
        fence: fence.as_deref(),
        visited: &mut visited,
        walk: &mut walk,
    };
    walker.visit(root);
    walk.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    walk.diagnostics.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(walk)
}

struct Walker<'a> {
    root: &'a Path,
    /// The canonical root that links may not lead out of, if any.
    fence: Option<&'a Path>,
    visited: &'a mut HashSet<PathBuf>,
    walk: &'a mut Walk,
}

impl Walker<'_> {
    fn rel(&self, path: &Path) -> String {
        rel_path(self.root, path)
    }

    fn visit(&mut self, dir: &Path) {
        let canonical = match std::fs::canonicalize(dir) {
            Ok(c) => c,
            Err(e) => {
                let d = error(self.rel(dir), format!("cannot resolve directory: {e}"));
                return self.walk.diagnostics.push(d);
            }
        };
        if !self.visited.insert(canonical) {
            let message =
                "directory already visited through another path (symbolic link loop?); skipped";
            let d = warning(self.rel(dir), message.into());
            return self.walk.diagnostics.push(d);
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                let d = error(self.rel(dir), format!("cannot read directory: {e}"));
                return self.walk.diagnostics.push(d);
            }
        };
        let mut listed = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => listed.push(entry),
                Err(e) => {
                    let d = error(self.rel(dir), format!("cannot list directory entry: {e}"));
                    self.walk.diagnostics.push(d);
                }
            }
        }
        listed.sort_by_key(|e| e.file_name());
        for entry in listed {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_symlink()) && !self.link_allowed(&path) {
                continue;
            }
            // Follows symbolic links; a dangling one is a diagnostic.
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    let d = error(self.rel(&path), format!("cannot read: {e}"));
                    self.walk.diagnostics.push(d);
                    continue;
                }
            };
            if meta.is_dir() {
                self.visit(&path);
            } else if meta.is_file() && has_corpus_extension(&path) {
                self.walk.files.push(CorpusFile {
                    rel: self.rel(&path),
                    abs: path,
                });
            }
        }
    }

    /// Whether a symbolic link may be followed; one leading out of the fence is reported.
    fn link_allowed(&mut self, link: &Path) -> bool {
        let Some(fence) = self.fence else {
            return true;
        };
        match std::fs::canonicalize(link) {
            Ok(target) if target.starts_with(fence) => true,
            Ok(target) => {
                let message = format!(
                    "symbolic link to {}, outside the corpus: skipped (--follow-links-outside indexes it)",
                    target.display()
                );
                self.walk.diagnostics.push(warning(self.rel(link), message));
                false
            }
            // Dangling: reported by the caller as unreadable.
            Err(_) => true,
        }
    }
}

fn has_corpus_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

fn error(path: String, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        path,
        line: None,
        message,
    }
}

fn warning(path: String, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        path,
        line: None,
        message,
    }
}

fn warning_at(path: String, line: u32, message: String) -> Diagnostic {
    Diagnostic {
        line: Some(line),
        ..warning(path, message)
    }
}

/// What reading one file gave: an article, or none (see the error diagnostics).
#[derive(Debug)]
pub struct FileOutcome {
    pub rel: String,
    pub article: Option<Article>,
    pub diagnostics: Vec<Diagnostic>,
    /// The file's bytes hashed (FNV-1a 64), for change detection; 0 when unread.
    pub content_hash: u64,
    /// The hash matched [`IngestOptions::known`]: not parsed, nothing to do.
    pub unchanged: bool,
}

/// Reads and parses one file. Never panics: a parser panic, were there one, becomes an
/// error diagnostic for this file alone.
pub fn read_file(file: &CorpusFile, options: &IngestOptions) -> FileOutcome {
    let mut outcome = FileOutcome {
        rel: file.rel.clone(),
        article: None,
        diagnostics: Vec::new(),
        content_hash: 0,
        unchanged: false,
    };
    if let Err((line, message)) = read_article(file, options, &mut outcome) {
        outcome.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            path: file.rel.clone(),
            line,
            message,
        });
    }
    outcome
}

/// Why a file gave no article: an error message, and its line when known.
type FileError = (Option<u32>, String);

/// Fills in `outcome`: the file's hash, its warnings, and its article unless it is unchanged.
fn read_article(
    file: &CorpusFile,
    options: &IngestOptions,
    outcome: &mut FileOutcome,
) -> Result<(), FileError> {
    let bytes = match read_bounded(&file.abs, options.max_file_bytes) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(len)) => {
            let limit = options.max_file_bytes;
            let message = format!("file is {len} bytes, over the {limit} byte limit; skipped");
            return Err((None, message));
        }
        Err(e) => return Err((None, format!("cannot read: {e}"))),
    };
    outcome.content_hash = fnv1a(&bytes);
    if options.known.as_ref().and_then(|k| k.get(&file.rel)) == Some(&outcome.content_hash) {
        outcome.unchanged = true;
        return Ok(());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + memchr::memchr_iter(b'\n', &e.as_bytes()[..valid]).count();
        let message = format!("invalid UTF-8 at byte {valid}; file skipped");
        (Some(u32::try_from(line).unwrap_or(u32::MAX)), message)
    })?;
    let document = std::panic::catch_unwind(|| crate::parse_document(&text)).map_err(|_| {
        let message = "internal error: the parser panicked on this file; please report it";
        (None, message.to_owned())
    })?;
    for (line, message) in &document.warnings {
        outcome
            .diagnostics
            .push(warning_at(file.rel.clone(), *line, message.clone()));
    }
    let locale = locale_of(
        file,
        document.front_matter.content_locale.as_deref(),
        outcome,
    )?;
    outcome.article = Some(Article {
        locale,
        key: crate::article_key(&file.rel, &document.front_matter),
        path: file.rel.clone(),
        title: document.title(),
        source_title: document.source_title(),
        front_matter: document.front_matter,
        segments: document.segments,
    });
    Ok(())
}

/// The article's locale: the one its front matter declares, else its folder's.
fn locale_of(
    file: &CorpusFile,
    declared: Option<&str>,
    outcome: &mut FileOutcome,
) -> Result<String, FileError> {
    let folder = crate::locale::split_locale_folder(&file.rel).map(|(l, _)| l);
    let locale = match declared.map(|d| (d, crate::locale::canonicalize(d))) {
        Some((_, Some(l))) => Some(l),
        Some((d, None)) => {
            let message = format!("ms.contentlocale {d:?} is not a locale tag; using the folder's");
            outcome.diagnostics.push(warning(file.rel.clone(), message));
            folder
        }
        None => folder,
    };
    locale.ok_or_else(|| {
        let message = "no locale: no ms.contentlocale in the front matter and no locale folder (like sl-SI/) in the path";
        (None, message.to_owned())
    })
}

/// The file's bytes, or `Err(len)` when it is larger than `limit`.
fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > limit {
        return Ok(Err(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0) + 1);
    // `take` guards against a file that grows while it is read.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
}

/// FNV-1a, 64 bit: a stable content hash with no dependency (not for security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Counts for one locale.
#[derive(Debug, Default, Clone, Serialize)]
pub struct LocaleCounts {
    pub articles: usize,
    pub aligned: usize,
    pub unaligned: usize,
}

/// The summary of an ingest run.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub files: usize,
    pub articles: usize,
    pub aligned: usize,
    pub unaligned: usize,
    pub locales: BTreeMap<String, LocaleCounts>,
    pub errors: usize,
    pub warnings: usize,
    /// Files skipped because their content hash was known.
    pub unchanged: usize,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    fn add(&mut self, outcome: &FileOutcome) {
        self.files += 1;
        if outcome.unchanged {
            self.unchanged += 1;
        }
        for d in &outcome.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
        }
        self.diagnostics.extend(outcome.diagnostics.iter().cloned());
        if let Some(article) = &outcome.article {
            let aligned = article.aligned_segments();
            let unaligned = article.segments.len() - aligned;
            self.articles += 1;
            self.aligned += aligned;
            self.unaligned += unaligned;
            let counts = self.locales.entry(article.locale.clone()).or_default();
            counts.articles += 1;
            counts.aligned += aligned;
            counts.unaligned += unaligned;
        }
    }
}

/// Files per parallel batch: enough to keep every core busy, few enough to bound memory.
const BATCH: usize = 512;

/// Walks `root` and reads every file with [`ingest_files`]. Fails only when `root` itself
/// cannot be read.
pub fn ingest(
    root: &Path,
    options: &IngestOptions,
    each: impl FnMut(&FileOutcome),
) -> std::io::Result<Report> {
    Ok(ingest_files(walk(root)?, options, each))
}

/// Reads every file of a walk in parallel; `each` sees every outcome in path order, on the
/// calling thread, while the next batch is being parsed. The walk's own diagnostics open
/// the report.
pub fn ingest_files(
    walked: Walk,
    options: &IngestOptions,
    mut each: impl FnMut(&FileOutcome),
) -> Report {
    let mut report = Report {
        diagnostics: walked.diagnostics,
        ..Report::default()
    };
    report.errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    report.warnings = report.diagnostics.len() - report.errors;
    // Two batches in flight at most: one being parsed, one being consumed.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<FileOutcome>>(1);
    let files = walked.files;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for batch in files.chunks(BATCH) {
                let outcomes = batch.par_iter().map(|f| read_file(f, options)).collect();
                if sender.send(outcomes).is_err() {
                    return;
                }
            }
        });
        for outcomes in receiver {
            for outcome in &outcomes {
                report.add(outcome);
                each(outcome);
            }
        }
    });
    report
}
