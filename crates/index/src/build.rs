//! Building and updating an index directory. Incremental and idempotent: a file whose content
//! hash is in the manifest is not even parsed; a changed file's documents (its article document
//! and its segment documents) are replaced (delete by path, then add); a file gone from the
//! corpus has its documents deleted; nothing changed, nothing written.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use locsearch_ingest::{Article, Diagnostic, IngestOptions, Severity};
use serde::Serialize;
use tantivy::{Index, IndexWriter, Term};

use crate::manifest::{self, FileEntry, LocaleEntry, Manifest};
use crate::run::{Finish, Run};
use crate::schema::{self, Fields, WordTokenizers};
use crate::{IndexError, check_analyzers, integrity, lock::WriterLock};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Start from nothing: remove every locale index and the manifest first.
    pub rebuild: bool,
    /// tantivy indexing threads per writer. Two writers run at once (one finishing a locale,
    /// one starting the next), so one thread each keeps two cores busy — and gives each locale
    /// one segment, which halves the term lookups of every search against more.
    pub threads: usize,
    /// Memory budget of each writer, in bytes, shared by its threads. At most two writers
    /// are alive; a locale larger than the budget is flushed as more than one segment.
    pub memory_budget: usize,
    /// Where symbolic links in the corpus may lead (below its root, by default).
    pub links: locsearch_ingest::Links,
    /// Index only these locales (canonical tags): a part of an index, built on one machine
    /// and combined with others by [`crate::merge`]. `None`: every locale.
    pub locales: Option<BTreeSet<String>>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            rebuild: false,
            threads: 1,
            memory_budget: 128 << 20,
            links: locsearch_ingest::Links::InsideRoot,
            locales: None,
        }
    }
}

/// Where a build is, for progress bars.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
}

#[derive(Debug, Default, Serialize)]
pub struct BuildReport {
    pub files: usize,
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub errors: usize,
    pub warnings: usize,
    pub seconds: f64,
    /// True when the index was written (something changed).
    pub changed: bool,
    /// Damaged locales found and re-indexed from the corpus.
    pub repaired: Vec<String>,
    pub locales: BTreeMap<String, LocaleEntry>,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds or updates the index in `dir` from the corpus at `corpus`. `each_diagnostic` sees
/// every problem as it is found; `progress` is called after every file.
pub fn build(
    corpus: &Path,
    dir: &Path,
    options: &BuildOptions,
    mut each_diagnostic: impl FnMut(&Diagnostic),
    mut progress: impl FnMut(Progress),
) -> Result<BuildReport, IndexError> {
    let started = Instant::now();
    std::fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
    // Before taking the lock, so a foreign directory gets no lock file; again after it, when
    // no other build can be moving things.
    ensure_ours(dir)?;
    let _lock = WriterLock::acquire(dir)?;
    ensure_ours(dir)?;
    let corpus_error = |source| IndexError::Corpus {
        path: corpus.to_path_buf(),
        source,
    };
    // The corpus is read before anything is written: a mistyped path changes nothing.
    let walked = locsearch_ingest::walk_with(corpus, options.links).map_err(corpus_error)?;
    let corpus_root = std::path::absolute(corpus).map_err(corpus_error)?;
    let (mut manifest, stale) = begin(dir, &corpus_root, options)?;
    let repaired = repair_damaged(dir, &mut manifest, &mut each_diagnostic);
    report_unusable_relations(dir, &manifest, &mut each_diagnostic);
    discard_unlisted(dir, &manifest)?;
    // A build interrupted after committing these locales left commits the manifest does
    // not count yet.
    let mut interrupted = std::mem::take(&mut manifest.pending);
    interrupted.extend(repaired.iter().cloned());

    for d in &walked.diagnostics {
        each_diagnostic(d);
    }
    let total = walked.files.len();
    let known: HashMap<String, u64> = manifest
        .files
        .iter()
        .map(|(p, f)| (p.clone(), f.hash))
        .collect();
    let ingest_options = IngestOptions {
        known: Some(Arc::new(known)),
        ..IngestOptions::default()
    };

    let mut run = Run::new(dir, Writers::new(dir, options, &manifest), manifest, total)
        .only(options.locales.clone());
    let mut done = 0;
    let ingested = locsearch_ingest::ingest_files(walked, &ingest_options, |outcome| {
        done += 1;
        progress(Progress {
            files_done: done,
            files_total: total,
        });
        for d in &outcome.diagnostics {
            each_diagnostic(d);
        }
        run.apply(outcome, &mut each_diagnostic);
    });
    run.remove_gone()?;
    run.finish(Finish {
        ingested,
        interrupted,
        stale,
        repaired,
        started,
    })
}

/// A few locales that together hold every article key: greedy set cover, the locale holding
/// most uncovered keys first (ties by name).
pub(crate) fn source_cover(files: &BTreeMap<String, FileEntry>) -> Vec<String> {
    let mut keys_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for file in files.values() {
        keys_of
            .entry(file.locale.as_str())
            .or_default()
            .insert(file.key.as_str());
    }
    let mut uncovered: BTreeSet<&str> = keys_of.values().flatten().copied().collect();
    let mut cover = Vec::new();
    while !uncovered.is_empty() {
        let best = keys_of
            .iter()
            .map(|(locale, keys)| (*locale, keys.intersection(&uncovered).count()))
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)));
        let Some((locale, _)) = best.filter(|(_, count)| *count > 0) else {
            break;
        };
        uncovered.retain(|k| !keys_of[locale].contains(k));
        cover.push(locale.to_owned());
    }
    cover
}

/// Reads the index's records and checks this build may proceed from them; a first build or
/// a rebuild first writes a manifest saying the index is incomplete and from which corpus.
/// Returns the manifest and whether `files.json` is newer than it (see
/// [`Manifest::read_with_files`]).
fn begin(
    dir: &Path,
    corpus_root: &Path,
    options: &BuildOptions,
) -> Result<(Manifest, bool), IndexError> {
    let read = match Manifest::read_with_files(dir) {
        // `--rebuild` is how an index of another format or with damaged records is replaced.
        Err(IndexError::Incompatible { .. } | IndexError::Corrupt { .. }) if options.rebuild => {
            None
        }
        read => read?,
    };
    let root = corpus_root.display().to_string();
    if let Some((manifest, stale)) = read.filter(|_| !options.rebuild) {
        // An unfinished first build or rebuild holds nothing committed: another corpus may
        // take its place.
        let other =
            !manifest.corpus_root.is_empty() && !same_path(&manifest.corpus_root, corpus_root);
        if other && manifest.complete {
            return Err(IndexError::OtherCorpus {
                dir: dir.to_path_buf(),
                recorded: manifest.corpus_root,
                given: root,
            });
        }
        if !other {
            for (locale, entry) in &manifest.locales {
                check_analyzers(dir, locale, entry)?;
            }
            return Ok((manifest, stale));
        }
    }
    let mut manifest = Manifest {
        format: manifest::FORMAT,
        locsearch_version: env!("CARGO_PKG_VERSION").to_owned(),
        corpus_root: root,
        complete: false,
        ..Manifest::default()
    };
    manifest.write(dir)?;
    Ok((manifest, false))
}

fn same_path(recorded: &str, given: &Path) -> bool {
    let recorded = Path::new(recorded);
    recorded == given
        || matches!(
            (recorded.canonicalize(), given.canonicalize()),
            (Ok(a), Ok(b)) if a == b
        )
}

/// Checks every recorded locale in full; a damaged one is dropped from the records, so its
/// directory is discarded and its files indexed again from the corpus. Returns those locales.
fn repair_damaged(
    dir: &Path,
    manifest: &mut Manifest,
    each_diagnostic: &mut impl FnMut(&Diagnostic),
) -> Vec<String> {
    let damaged: Vec<(String, String)> = manifest
        .locales
        .iter()
        .filter_map(|(locale, entry)| {
            // An interrupted build may have committed to it after the manifest was written.
            let expected = (!manifest.pending.contains(locale)).then_some(entry.meta_digest);
            integrity::damage(dir, locale, expected, true).map(|why| (locale.clone(), why))
        })
        .collect();
    for (locale, why) in &damaged {
        each_diagnostic(&Diagnostic {
            severity: Severity::Warning,
            path: crate::locale_dir(dir, locale).display().to_string(),
            line: None,
            message: format!(
                "the {locale} index is damaged ({why}); indexing it again from the corpus"
            ),
        });
        manifest.locales.remove(locale);
        manifest.files.retain(|_, f| &f.locale != locale);
    }
    damaged.into_iter().map(|(locale, _)| locale).collect()
}

/// Says which relation files and latent spaces the run mines again because they are missing, outdated or
/// damaged (`Run::finish` mines them).
fn report_unusable_relations(
    dir: &Path,
    manifest: &Manifest,
    each_diagnostic: &mut impl FnMut(&Diagnostic),
) {
    let english = (!manifest.locales.is_empty())
        .then(|| crate::relations::english_damage(dir))
        .flatten()
        .map(|why| (crate::relations::english_path(dir), why));
    let locales = crate::relations::unusable(dir, manifest.locales.keys())
        .into_iter()
        .map(|(_, why)| (dir.join(crate::relations::DIR), why));
    for (path, why) in locales.chain(english) {
        each_diagnostic(&Diagnostic {
            severity: Severity::Warning,
            path: path.display().to_string(),
            line: None,
            message: format!("{why}; mining it again from the index"),
        });
    }
}

/// Refuses to write into a directory that holds anything locsearch did not make: nothing in
/// it is touched, and the error says to choose another.
pub(crate) fn ensure_ours(dir: &Path) -> Result<(), IndexError> {
    let entries = std::fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| IndexError::io(dir, e))?;
        if !integrity::is_ours(&entry) {
            return Err(IndexError::Foreign {
                dir: dir.to_path_buf(),
                why: format!(
                    "it contains {:?}, which locsearch did not make",
                    entry.file_name()
                ),
            });
        }
    }
    Ok(())
}

/// Removes the locale indexes the records do not list: what an interrupted first build or
/// rebuild left, and damaged ones. Each is first moved into the trash (atomic), so a build
/// killed while deleting leaves only the trash, which the next one empties.
fn discard_unlisted(dir: &Path, manifest: &Manifest) -> Result<(), IndexError> {
    let listed: BTreeSet<&str> = manifest
        .locales
        .keys()
        .map(String::as_str)
        .chain(manifest.files.values().map(|f| f.locale.as_str()))
        .collect();
    let trash = dir.join(integrity::TRASH);
    let entries = std::fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_locale = name != integrity::TRASH
            && name != crate::relations::DIR
            && entry.file_type().is_ok_and(|t| t.is_dir());
        if is_locale && !listed.contains(name.as_str()) {
            std::fs::create_dir_all(&trash).map_err(|e| IndexError::io(&trash, e))?;
            let to = trash.join(&name);
            let _ = std::fs::remove_dir_all(&to);
            std::fs::rename(entry.path(), &to).map_err(|e| IndexError::io(&to, e))?;
        }
    }
    match std::fs::remove_dir_all(&trash) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(IndexError::io(&trash, e)),
        _ => Ok(()),
    }
}

/// Bytes of documents the store compresses together. A hit reads one article document (its
/// titles) and a few segment documents from blocks of this size, each decompressed whole;
/// tantivy's 16 KB made that decompression a twentieth of a search without passages. Smaller
/// blocks compress less well: the index is 7% larger than with 16 KB.
const STORE_BLOCK_BYTES: usize = 4096;

/// Opens (or creates) a locale's index with every analyzer registered.
pub(crate) fn open_or_create(dir: &Path, locale: &str) -> Result<(Index, Fields), IndexError> {
    let path = crate::locale_dir(dir, locale);
    let index = if path.join(integrity::TANTIVY_META).exists() {
        Index::open_in_dir(&path).map_err(|e| crate::damaged(dir, locale, e))?
    } else {
        let target = locsearch_analysis::resolve(locale).info;
        let (schema, _) = schema::build(target.name, locsearch_analysis::english().name);
        std::fs::create_dir_all(&path).map_err(|e| IndexError::io(&path, e))?;
        let settings = tantivy::IndexSettings {
            docstore_blocksize: STORE_BLOCK_BYTES,
            ..Default::default()
        };
        Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(&path)
            .map_err(|e| IndexError::tantivy(&path, e))?
    };
    locsearch_analysis::register_all(index.tokenizers());
    let fields = schema::fields(&index.schema()).map_err(|e| crate::damaged(dir, locale, e))?;
    Ok((index, fields))
}

/// A corpus walk meets its locales one after another. Switching locale hands the previous
/// writer to a thread that indexes what is queued and commits, while the next locale starts:
/// at most two writers are alive, so memory stays within two budgets.
pub(crate) struct Writers<'a> {
    dir: &'a Path,
    options: &'a BuildOptions,
    open: Option<(String, IndexWriter, Fields, WordTokenizers)>,
    /// The previous locale's writer, committing.
    finishing: Option<std::thread::JoinHandle<Result<(), IndexError>>>,
    touched: BTreeSet<String>,
    /// Locales whose index this run created: no earlier run's document can be in them, so
    /// an article needs no delete-by-path first (each delete is a term lookup at commit).
    created: BTreeSet<String>,
    /// The manifest as on disk (without file hashes): before a locale's first commit its
    /// `pending` names that locale, so the commit is not taken for damage if the run dies.
    on_disk: Manifest,
}

impl<'a> Writers<'a> {
    pub(crate) fn new(dir: &'a Path, options: &'a BuildOptions, manifest: &Manifest) -> Self {
        let on_disk = manifest.without_files();
        Self {
            dir,
            options,
            open: None,
            finishing: None,
            touched: BTreeSet::new(),
            created: BTreeSet::new(),
            on_disk,
        }
    }

    /// The locale's writer, and whether this run created its index.
    fn writer(
        &mut self,
        locale: &str,
    ) -> Result<(&IndexWriter, Fields, &mut WordTokenizers, bool), IndexError> {
        if self.open.as_ref().is_none_or(|(l, ..)| l != locale) {
            self.commit_open()?;
            let resolution = locsearch_analysis::resolve(locale);
            locsearch_analysis::check(&resolution.info).map_err(|why| {
                IndexError::AnalyzerUnavailable {
                    locale: locale.to_owned(),
                    why,
                }
            })?;
            if !crate::locale_dir(self.dir, locale)
                .join(integrity::TANTIVY_META)
                .exists()
            {
                self.created.insert(locale.to_owned());
            }
            if self.on_disk.pending.insert(locale.to_owned()) {
                self.on_disk.write_manifest_only(self.dir)?;
            }
            let (index, fields) = open_or_create(self.dir, locale)?;
            let writer = index
                .writer_with_num_threads(self.options.threads, self.options.memory_budget)
                .map_err(|e| IndexError::tantivy(self.dir, e))?;
            // A build killed before its commit left the files of that commit behind, and this
            // writer's first commit would reuse their names (`FileAlreadyExists`).
            writer
                .garbage_collect_files()
                .wait()
                .map_err(|e| IndexError::tantivy(self.dir, e))?;
            let words = WordTokenizers::of(&index.schema(), &fields)
                .map_err(|e| crate::damaged(self.dir, locale, e))?;
            self.open = Some((locale.to_owned(), writer, fields, words));
        }
        self.touched.insert(locale.to_owned());
        let created = self.created.contains(locale);
        let (_, writer, fields, words) = self.open.as_mut().expect("opened above");
        Ok((writer, *fields, words, created))
    }

    pub(crate) fn put(
        &mut self,
        article: &Article,
        previous_locale: Option<&str>,
    ) -> Result<(), IndexError> {
        if let Some(previous) = previous_locale.filter(|p| *p != article.locale) {
            self.delete(previous, &article.path)?;
        }
        let dir = self.dir;
        let (writer, fields, words, created) = self.writer(&article.locale)?;
        if !created {
            writer.delete_term(Term::from_field_text(fields.path, &article.path));
        }
        for doc in schema::documents(article, &fields, words) {
            writer
                .add_document(doc)
                .map_err(|e| IndexError::tantivy(dir, e))?;
        }
        Ok(())
    }

    pub(crate) fn delete(&mut self, locale: &str, path: &str) -> Result<(), IndexError> {
        if !crate::locale_dir(self.dir, locale)
            .join(integrity::TANTIVY_META)
            .exists()
        {
            return Ok(());
        }
        let (writer, fields, ..) = self.writer(locale)?;
        writer.delete_term(Term::from_field_text(fields.path, path));
        Ok(())
    }

    /// Hands the open writer to a committing thread, after the one before it is done.
    fn commit_open(&mut self) -> Result<(), IndexError> {
        self.wait_finishing()?;
        if let Some((_, writer, ..)) = self.open.take() {
            let dir = self.dir.to_path_buf();
            self.finishing = Some(std::thread::spawn(move || commit(writer, &dir)));
        }
        Ok(())
    }

    fn wait_finishing(&mut self) -> Result<(), IndexError> {
        match self.finishing.take() {
            Some(thread) => thread.join().unwrap_or_else(|_| {
                Err(IndexError::tantivy(
                    self.dir,
                    tantivy::TantivyError::InternalError("a committing thread panicked".into()),
                ))
            }),
            None => Ok(()),
        }
    }

    /// Commits every writer; returns every locale written to.
    pub(crate) fn finish(mut self) -> Result<BTreeSet<String>, IndexError> {
        self.commit_open()?;
        self.wait_finishing()?;
        Ok(std::mem::take(&mut self.touched))
    }
}

impl Drop for Writers<'_> {
    /// A build that fails midway still lets the committing thread end before the writer lock
    /// is released: nothing writes to the index after `build` returns.
    fn drop(&mut self) {
        let _ = self.wait_finishing();
    }
}

fn commit(mut writer: IndexWriter, dir: &Path) -> Result<(), IndexError> {
    writer.commit().map_err(|e| IndexError::tantivy(dir, e))?;
    writer
        .wait_merging_threads()
        .map_err(|e| IndexError::tantivy(dir, e))
}
