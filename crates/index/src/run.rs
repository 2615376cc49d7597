//! One index build as a small state machine: each file's outcome is applied as it comes
//! ([`Run::apply`]), what the corpus no longer holds is removed ([`Run::remove_gone`]), and
//! the run finishes by committing the writers and writing the manifest ([`Run::finish`]).
//! Until then the manifest on disk is the one [`crate::build`] marked unfinished.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use locsearch_ingest::{Diagnostic, FileOutcome, Severity};

use crate::IndexError;
use crate::build::{BuildReport, Writers, source_cover};
use crate::manifest::{self, FileEntry, Manifest};

pub(crate) struct Run<'a> {
    dir: &'a Path,
    writers: Writers<'a>,
    manifest: Manifest,
    report: BuildReport,
    /// Every file of the corpus seen, changed or not.
    seen: BTreeSet<String>,
    /// The first error that stops the run; later outcomes are only counted.
    failure: Option<IndexError>,
    /// Files of locales that cannot be analyzed here: errors of their own, not of the run.
    unanalyzable: Vec<Diagnostic>,
    /// The locales this index holds, when it is a part of one ([`crate::BuildOptions`]).
    only: Option<BTreeSet<String>>,
}

/// What the run needs to finish, from before and after it.
pub(crate) struct Finish {
    pub ingested: locsearch_ingest::Report,
    /// Locales an interrupted or damaged build left to recount.
    pub interrupted: BTreeSet<String>,
    /// The last build committed its files but not its manifest.
    pub stale: bool,
    pub repaired: Vec<String>,
    pub started: Instant,
}

impl<'a> Run<'a> {
    pub fn new(dir: &'a Path, writers: Writers<'a>, manifest: Manifest, files: usize) -> Self {
        Run {
            dir,
            writers,
            manifest,
            report: BuildReport {
                files,
                ..BuildReport::default()
            },
            seen: BTreeSet::new(),
            failure: None,
            unanalyzable: Vec::new(),
            only: None,
        }
    }

    /// Indexes only the files of `locales` (all when `None`); the others are as if absent.
    pub fn only(mut self, locales: Option<BTreeSet<String>>) -> Self {
        self.only = locales;
        self
    }

    /// Whether the file's locale (as parsed, else as recorded) is one this index holds.
    fn wanted(&self, outcome: &FileOutcome) -> bool {
        let Some(only) = &self.only else {
            return true;
        };
        let locale = match &outcome.article {
            Some(article) => Some(article.locale.as_str()),
            None => self
                .manifest
                .files
                .get(&outcome.rel)
                .map(|f| f.locale.as_str()),
        };
        locale.is_none_or(|l| only.contains(l))
    }

    /// Applies one file's outcome: its article written, replaced or deleted.
    pub fn apply(&mut self, outcome: &FileOutcome, each_diagnostic: &mut impl FnMut(&Diagnostic)) {
        if self.failure.is_some() || !self.wanted(outcome) {
            return;
        }
        self.seen.insert(outcome.rel.clone());
        if outcome.unchanged {
            return;
        }
        match self.write(outcome) {
            Ok(()) => {}
            // A locale that cannot be analyzed here fails its files, loudly, not the run.
            Err(e @ IndexError::AnalyzerUnavailable { .. }) => {
                let d = Diagnostic {
                    severity: Severity::Error,
                    path: outcome.rel.clone(),
                    line: None,
                    message: e.to_string(),
                };
                each_diagnostic(&d);
                self.unanalyzable.push(d);
            }
            Err(e) => self.failure = Some(e),
        }
    }

    fn write(&mut self, outcome: &FileOutcome) -> Result<(), IndexError> {
        let previous = self.manifest.files.get(&outcome.rel).cloned();
        match (&outcome.article, previous) {
            (Some(article), previous) => {
                let previous_locale = previous.as_ref().map(|p| p.locale.as_str());
                self.writers.put(article, previous_locale)?;
                let entry = FileEntry {
                    hash: outcome.content_hash,
                    locale: article.locale.clone(),
                    key: article.key.clone(),
                    source_language: Some(locsearch_ingest::language::source_language(article))
                        .filter(|l| *l != "en")
                        .map(str::to_owned),
                };
                self.manifest.files.insert(outcome.rel.clone(), entry);
                if previous.is_some() {
                    self.report.updated += 1;
                } else {
                    self.report.added += 1;
                }
            }
            // Unreadable now: its old document no longer reflects the file.
            (None, Some(previous)) => {
                self.writers.delete(&previous.locale, &outcome.rel)?;
                self.manifest.files.remove(&outcome.rel);
                self.report.removed += 1;
            }
            (None, None) => {}
        }
        Ok(())
    }

    /// Removes the articles of files the corpus no longer holds.
    pub fn remove_gone(&mut self) -> Result<(), IndexError> {
        if let Some(e) = self.failure.take() {
            return Err(e);
        }
        let gone: Vec<(String, String)> = self
            .manifest
            .files
            .iter()
            .filter(|(path, _)| !self.seen.contains(*path))
            .map(|(path, f)| (path.clone(), f.locale.clone()))
            .collect();
        for (path, locale) in gone {
            self.writers.delete(&locale, &path)?;
            self.manifest.files.remove(&path);
            self.report.removed += 1;
        }
        Ok(())
    }

    /// Commits the writers and, when anything changed, writes the finished manifest.
    pub fn finish(self, finish: Finish) -> Result<BuildReport, IndexError> {
        let Run {
            dir,
            writers,
            mut manifest,
            mut report,
            unanalyzable,
            ..
        } = self;
        let mut touched = writers.finish()?;
        touched.extend(finish.interrupted);
        if finish.stale {
            touched.extend(manifest.locales.keys().cloned());
            touched.extend(manifest.files.values().map(|f| f.locale.clone()));
        }
        let ingested = finish.ingested;
        report.unchanged = ingested.unchanged;
        report.errors = ingested.errors + unanalyzable.len();
        report.warnings = ingested.warnings;
        report.diagnostics = ingested.diagnostics;
        report.diagnostics.extend(unanalyzable);
        report.repaired = finish.repaired;
        // Relations missing or unreadable (an index from before they were mined, a damaged
        // file) are mined again like those of a changed locale.
        let unusable = crate::relations::unusable(dir, manifest.locales.keys());
        touched.extend(unusable.into_iter().map(|(locale, _)| locale));
        let english_stale =
            !manifest.locales.is_empty() && crate::relations::english_damage(dir).is_some();
        report.changed = !touched.is_empty() || !manifest.complete || english_stale;
        if report.changed {
            for locale in &touched {
                let entry = crate::catalog::locale_entry(dir, locale)?;
                manifest.locales.insert(locale.clone(), entry);
            }
            let not_english = manifest.not_english_keys();
            crate::relations::mine(dir, &touched, &not_english, manifest.locales.keys())?;
            write_finished(dir, &mut manifest, finish.started)?;
        }
        report.locales = manifest.locales.clone();
        report.seconds = finish.started.elapsed().as_secs_f64();
        Ok(report)
    }
}

/// The manifest of a finished build: its counts, its source cover, marked complete.
pub(crate) fn write_finished(
    dir: &Path,
    manifest: &mut Manifest,
    started: Instant,
) -> Result<(), IndexError> {
    manifest.locales.retain(|_, entry| entry.documents > 0);
    manifest.source_cover = source_cover(&manifest.files);
    manifest.source_languages = manifest
        .files
        .values()
        .filter_map(|f| Some((f.key.clone(), f.source_language.clone()?)))
        .collect();
    manifest.format = manifest::FORMAT;
    manifest.locsearch_version = env!("CARGO_PKG_VERSION").to_owned();
    manifest.complete = true;
    manifest.pending.clear();
    manifest.built_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    manifest.build_seconds = started.elapsed().as_secs_f64();
    manifest.write(dir)
}
