//! Combining index parts built apart (`locsearch index CORPUS --locales … --index PART`, on
//! any machine) into one index directory: each part's locale indexes and relation files are
//! taken as they are — a locale index is complete in itself, and the statistics that make
//! scores compare across locales are computed when the index is opened — then the English
//! paraphrases are combined and the manifest, written last, commits the whole.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::lock::WriterLock;
use crate::manifest::Manifest;
use crate::{IndexError, check_analyzers, integrity, relations};

/// What a merge made.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MergeReport {
    pub parts: usize,
    pub locales: usize,
    pub files: usize,
    pub seconds: f64,
}

/// Merges `parts` into `dir`, which must be new or empty. Every part must be a finished index
/// of this format, undamaged, built with this binary's analyzers, and no locale may come
/// from two parts.
pub fn merge(parts: &[PathBuf], dir: &Path) -> Result<MergeReport, IndexError> {
    let started = Instant::now();
    let read = read_parts(parts)?;
    std::fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
    let _lock = WriterLock::acquire(dir)?;
    ensure_empty(dir)?;
    let mut merged = Manifest {
        format: crate::manifest::FORMAT,
        locsearch_version: env!("CARGO_PKG_VERSION").to_owned(),
        corpus_root: common_corpus(&read),
        complete: false,
        ..Manifest::default()
    };
    // Unfinished until the end: a crash leaves an index that says so.
    merged.write(dir)?;
    for (part, manifest) in &read {
        for (locale, entry) in &manifest.locales {
            copy_tree(
                &crate::locale_dir(part, locale),
                &crate::locale_dir(dir, locale),
                &[],
            )?;
            let learned = relations::locale_files(part, locale);
            for (file, target) in learned.iter().zip(relations::locale_files(dir, locale)) {
                if file.exists() {
                    std::fs::create_dir_all(dir.join(relations::DIR))
                        .map_err(|e| IndexError::io(dir, e))?;
                    link_or_copy(file, &target)?;
                }
            }
            merged.locales.insert(locale.clone(), entry.clone());
        }
        merged.files.extend(manifest.files.clone());
    }
    let not_english = merged.not_english_keys();
    let missing: BTreeSet<String> = relations::unusable(dir, merged.locales.keys())
        .into_iter()
        .map(|(locale, _)| locale)
        .collect();
    relations::mine(dir, &missing, &not_english, merged.locales.keys())?;
    let report = MergeReport {
        parts: read.len(),
        locales: merged.locales.len(),
        files: merged.files.len(),
        seconds: started.elapsed().as_secs_f64(),
    };
    crate::run::write_finished(dir, &mut merged, started)?;
    Ok(report)
}

/// Each part's manifest, checked: finished, undamaged, this binary's analyzers, no locale
/// twice.
fn read_parts(parts: &[PathBuf]) -> Result<Vec<(PathBuf, Manifest)>, IndexError> {
    let mut read: Vec<(PathBuf, Manifest)> = Vec::new();
    for part in parts {
        let Some((manifest, _)) = Manifest::read_with_files(part)? else {
            return Err(IndexError::Missing { dir: part.clone() });
        };
        let manifest = manifest.finished(part)?;
        if let Some((locale, why)) = integrity::damaged_locales(part, &manifest).pop() {
            return Err(crate::damaged(part, &locale, why));
        }
        for (locale, entry) in &manifest.locales {
            check_analyzers(part, locale, entry)?;
            if let Some((first, _)) = read.iter().find(|(_, m)| m.locales.contains_key(locale)) {
                return Err(IndexError::Overlap {
                    locale: locale.clone(),
                    first: first.clone(),
                    second: part.clone(),
                });
            }
        }
        read.push((part.clone(), manifest));
    }
    Ok(read)
}

/// The corpus every part was built from, when they agree (so that `locsearch index` can
/// update the merged index from it); none otherwise.
fn common_corpus(read: &[(PathBuf, Manifest)]) -> String {
    let roots: BTreeSet<&str> = read.iter().map(|(_, m)| m.corpus_root.as_str()).collect();
    match roots.into_iter().collect::<Vec<_>>()[..] {
        [one] => one.to_owned(),
        _ => String::new(),
    }
}

/// A merge writes a new index: anything in `dir` but its lock would be overwritten.
fn ensure_empty(dir: &Path) -> Result<(), IndexError> {
    let entries = std::fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))?;
    let lock = crate::lock::FILE;
    if entries.flatten().any(|e| e.file_name() != lock) {
        return Err(IndexError::Foreign {
            dir: dir.to_path_buf(),
            why: "it is not empty, and `merge` writes a new index".into(),
        });
    }
    Ok(())
}

/// Copies the files of a directory but those named in `skip` (hard links where the file
/// system allows: committed files are never written again — tantivy, the manifest and the
/// relation files are replaced by renames, never rewritten in place).
pub(crate) fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<(), IndexError> {
    std::fs::create_dir_all(to).map_err(|e| IndexError::io(to, e))?;
    for entry in std::fs::read_dir(from).map_err(|e| IndexError::io(from, e))? {
        let entry = entry.map_err(|e| IndexError::io(from, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Lock files are their writers' own: a linked one would lock both directories.
        let lock = name.ends_with(".lock") || name == crate::lock::FILE;
        if entry.file_type().is_ok_and(|t| t.is_file()) && !lock && !skip.contains(&name.as_str()) {
            link_or_copy(&entry.path(), &to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// A hard link shares the committed file's synced data; a copy is synced itself, so that the
/// manifest written after it never commits a file a power cut could leave empty.
pub(crate) fn link_or_copy(from: &Path, to: &Path) -> Result<(), IndexError> {
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to)
            .and_then(|_| std::fs::File::open(to)?.sync_all())
            .map_err(|e| IndexError::io(to, e))?;
    }
    Ok(())
}
