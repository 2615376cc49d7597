//! Per-locale tantivy indexes of ingested articles.
//!
//! ```text
//! DIR/manifest.json      corpus root, analyzers, counts (written last, atomically)
//! DIR/.lock              locked by the one writer, holding its PID
//! DIR/files.json         per-file hashes, locale and key (read by `build` only)
//! DIR/<locale>/          one tantivy index per locale: a document per segment, one per
//!                        article (schema: [`schema`])
//! DIR/relations/         word relations each locale's aligned pairs teach ([`relations`])
//! ```
//!
//! [`merge`] combines index parts built apart, each holding some of the locales; [`publish`]
//! lays finished indexes out as immutable generations for replicas.
//!
//! [`build`] creates or updates an index directory incrementally; [`Catalog::open`] opens it
//! for searching, refusing one built with other analyzers.

mod build;
mod catalog;
pub mod integrity;
mod lock;
pub mod manifest;
mod merge;
pub mod offsets;
pub mod publish;
pub mod relations;
mod run;
pub mod schema;
mod varint;

use std::path::{Path, PathBuf};

pub use build::{BuildOptions, BuildReport, Progress, build};
pub use catalog::{Catalog, LocaleIndex, LocaleStats};
pub use lock::Holder;
pub use manifest::Manifest;
pub use merge::{MergeReport, merge};

/// Everything that can go wrong with an index directory, each with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {dir}\n  hint: build one with `locsearch index CORPUS --index {dir}`")]
    Missing { dir: PathBuf },
    #[error(
        "index at {dir} is locked by {holder} (another `locsearch index`, `merge` or `publish` is writing it)\n  hint: wait for it to finish; the lock is released when that process ends, however it ends"
    )]
    Locked { dir: PathBuf, holder: lock::Holder },
    #[error(
        "{dir} is not a locsearch index: {why}\n  hint: choose an empty or new directory instead (locsearch changed nothing here)"
    )]
    Foreign { dir: PathBuf, why: String },
    #[error(
        "index at {dir} is unfinished: a build from {corpus} was interrupted\n  hint: complete it with `locsearch index {corpus} --index {dir}`"
    )]
    Unfinished { dir: PathBuf, corpus: String },
    #[error(
        "index at {dir} was built from {recorded}, not {given}\n  hint: to update it, run `locsearch index {recorded} --index {dir}`; to replace it with {given}'s articles, add --rebuild"
    )]
    OtherCorpus {
        dir: PathBuf,
        recorded: String,
        given: String,
    },
    #[error(
        "index at {dir} was built differently: {why}\n  hint: rebuild it with `locsearch index --rebuild --index {dir}`"
    )]
    Incompatible { dir: PathBuf, why: String },
    #[error(
        "index at {dir} is damaged: {why}\n  hint: rebuild it from its corpus with `locsearch index --rebuild --index {dir}`"
    )]
    Corrupt { dir: PathBuf, why: String },
    #[error(
        "the {locale} index in {dir} is damaged: {why}\n  hint: `locsearch index --index {dir}` repairs it from the corpus"
    )]
    Damaged {
        dir: PathBuf,
        locale: String,
        why: String,
    },
    #[error(
        "locale {locale} is in two parts, {first} and {second}\n  hint: build each locale into one part only (`locsearch index CORPUS --locales ... --index PART`)"
    )]
    Overlap {
        locale: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("cannot analyze locale {locale}: {why}")]
    AnalyzerUnavailable { locale: String, why: String },
    #[error(
        "cannot read corpus {path}: {source}\n  hint: give an existing corpus directory as the first argument of `locsearch index`"
    )]
    Corpus {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}\n  hint: {}", io_hint(.source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "index engine error in {dir}: {source}\n  hint: if the disk is full, free space and run the same command again (what was committed is kept); otherwise `locsearch check --index {dir}` says whether the index is damaged"
    )]
    Tantivy {
        dir: PathBuf,
        source: tantivy::TantivyError,
    },
}

/// What to do about a failed read or write.
fn io_hint(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
            "the disk is full: free space and run the same command again (what was committed is kept)"
        }
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            "locsearch may not write there: check the permissions, or choose another --index"
        }
        _ => "check that the path exists, is readable and writable, and that the disk is healthy",
    }
}

impl IndexError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        IndexError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn tantivy(dir: &Path, source: tantivy::TantivyError) -> Self {
        IndexError::Tantivy {
            dir: dir.to_path_buf(),
            source,
        }
    }
}

pub(crate) fn damaged(dir: &Path, locale: &str, why: impl std::fmt::Display) -> IndexError {
    IndexError::Damaged {
        dir: dir.to_path_buf(),
        locale: locale.to_owned(),
        why: why.to_string(),
    }
}

/// The directory of one locale's index.
pub fn locale_dir(dir: &Path, locale: &str) -> PathBuf {
    dir.join(locale)
}

/// Checks that the analyzers recorded for a locale are the ones this build has.
pub(crate) fn check_analyzers(
    dir: &Path,
    locale: &str,
    entry: &manifest::LocaleEntry,
) -> Result<(), IndexError> {
    let target: manifest::AnalyzerRecord = locsearch_analysis::resolve(locale).info.into();
    let source: manifest::AnalyzerRecord = locsearch_analysis::english().into();
    for (recorded, current) in [
        (&entry.analyzer, &target),
        (&entry.source_analyzer, &source),
    ] {
        if recorded != current {
            return Err(IndexError::Incompatible {
                dir: dir.to_path_buf(),
                why: format!(
                    "locale {locale} was indexed with analyzer {} v{}, this locsearch has {} v{}",
                    recorded.name, recorded.version, current.name, current.version
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every error says what to do, a full disk and a lock included.
    #[test]
    fn every_error_ends_with_a_hint() {
        let dir = PathBuf::from("/i");
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let errors = [
            IndexError::io(&dir, full),
            IndexError::io(
                &dir,
                std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            ),
            IndexError::Locked {
                dir: dir.clone(),
                holder: Holder(Some(7)),
            },
            IndexError::tantivy(&dir, tantivy::TantivyError::InternalError("x".into())),
            IndexError::Corpus {
                path: dir.clone(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            },
            IndexError::Unfinished {
                dir: dir.clone(),
                corpus: "/c".into(),
            },
        ];
        for e in &errors {
            assert!(e.to_string().contains("\n  hint: "), "{e}");
        }
        assert!(errors[0].to_string().contains("disk is full"));
    }
}
