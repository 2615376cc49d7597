//! Publishing an index as immutable generations, for replicas to copy with any file-sync tool
//! and switch to without a pause:
//!
//! ```text
//! PUB/generations/<n>/   a finished index, never written again
//! PUB/CURRENT            the generation served: `generations/<n>`, replaced atomically
//! ```
//!
//! [`publish`] copies (hard-links) a finished index into a new generation, whole, and only then
//! points `CURRENT` at it; [`current`] is what a reader opens. `serve` follows the pointer and
//! switches when the generation it names opens and verifies, so a replica that received the
//! pointer before all of the generation's files keeps serving the previous one until they are
//! there.

use std::path::{Path, PathBuf};

use crate::IndexError;
use crate::lock::WriterLock;
use crate::manifest::Manifest;

/// The pointer file, inside a published directory.
pub const POINTER: &str = "CURRENT";
/// The folder of the generations, inside a published directory.
pub const GENERATIONS: &str = "generations";
/// Generations kept besides the new one: a replica still copying or serving the one before
/// keeps its files.
pub const KEEP_PREVIOUS: usize = 2;

/// The index directory to open for `dir`: the generation its pointer names when it is a
/// published directory, `dir` itself otherwise. A pointer that leads outside `dir` is not
/// followed.
pub fn current(dir: &Path) -> PathBuf {
    let Ok(text) = std::fs::read_to_string(dir.join(POINTER)) else {
        return dir.to_path_buf();
    };
    let named = text.trim();
    let inside = Path::new(named)
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if named.is_empty() || !inside {
        return dir.to_path_buf();
    }
    dir.join(named)
}

/// Publishes the finished index `index` into `to` as a new generation and points `to`'s
/// pointer at it; removes generations older than the [`KEEP_PREVIOUS`] before it. Returns
/// the new generation's directory.
pub fn publish(index: &Path, to: &Path) -> Result<PathBuf, IndexError> {
    // A missing or unfinished index is named as such, before its lock is made.
    Manifest::read_finished(index)?;
    // No build may commit while the index is copied: a generation is one commit, whole.
    let _building = WriterLock::acquire(index)?;
    let manifest = Manifest::read_finished(index)?;
    if let Some((locale, why)) = crate::integrity::damaged_locales(index, &manifest).pop() {
        return Err(crate::damaged(index, &locale, why));
    }
    // Before the lock, so a foreign directory gets no lock file; again once no other
    // publish can be writing.
    ensure_published(to)?;
    std::fs::create_dir_all(to).map_err(|e| IndexError::io(to, e))?;
    let _publishing = WriterLock::acquire(to)?;
    ensure_published(to)?;
    let generations = to.join(GENERATIONS);
    std::fs::create_dir_all(&generations).map_err(|e| IndexError::io(&generations, e))?;
    let existing = numbered(&generations)?;
    let next = existing.last().map_or(1, |n| n + 1);
    let name = next.to_string();
    let staging = generations.join(format!("{name}.tmp"));
    // What a publish killed while copying left, if it is that.
    if staging.exists() {
        crate::build::ensure_ours(&staging)?;
        std::fs::remove_dir_all(&staging).map_err(|e| IndexError::io(&staging, e))?;
    }
    copy_index(index, &staging)?;
    let generation = generations.join(&name);
    std::fs::rename(&staging, &generation).map_err(|e| IndexError::io(&generation, e))?;
    crate::manifest::write_atomically(
        &to.join(POINTER),
        &to.join(POINTER_TMP),
        format!("{GENERATIONS}/{name}\n").as_bytes(),
    )?;
    for old in existing.iter().rev().skip(KEEP_PREVIOUS) {
        // Only an index locsearch made: a numbered folder of someone else's stays.
        let old = generations.join(old.to_string());
        if crate::build::ensure_ours(&old).is_ok() {
            let _ = std::fs::remove_dir_all(old);
        }
    }
    Ok(generation)
}

/// Where the pointer is written before it is renamed into place.
const POINTER_TMP: &str = "CURRENT.tmp";

/// Refuses to publish into a directory that holds anything but what publishing writes (the
/// pointer, and generations: numbered folders, or one being copied), before anything is
/// written: publishing removes old generations, and must never remove what it did not make.
fn ensure_published(to: &Path) -> Result<(), IndexError> {
    let foreign = |name: &std::ffi::OsStr| IndexError::Foreign {
        dir: to.to_path_buf(),
        why: format!("it contains {name:?}, which `locsearch publish` did not make"),
    };
    let entries = match std::fs::read_dir(to) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        entries => entries.map_err(|e| IndexError::io(to, e))?,
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let ours = match name.to_str() {
            Some(POINTER | POINTER_TMP | crate::lock::FILE) => !is_dir,
            Some(GENERATIONS) => is_dir && holds_only_generations(&entry.path()),
            _ => false,
        };
        if !ours {
            return Err(foreign(&name));
        }
    }
    Ok(())
}

/// Folders named by a number, or a number and `.tmp` (a generation being copied).
fn holds_only_generations(generations: &Path) -> bool {
    std::fs::read_dir(generations).is_ok_and(|entries| {
        entries.flatten().all(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let number = name.strip_suffix(".tmp").unwrap_or(&name);
            e.file_type().is_ok_and(|t| t.is_dir()) && number.parse::<u64>().is_ok()
        })
    })
}

/// The numbered generations, in order.
fn numbered(generations: &Path) -> Result<Vec<u64>, IndexError> {
    let entries = std::fs::read_dir(generations).map_err(|e| IndexError::io(generations, e))?;
    let mut numbers: Vec<u64> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    numbers.sort_unstable();
    Ok(numbers)
}

/// Every file of the index but its lock, hard-linked where the file system allows (committed
/// files are never written again), copied otherwise; the manifest last.
fn copy_index(from: &Path, to: &Path) -> Result<(), IndexError> {
    crate::merge::copy_tree(from, to, &[crate::lock::FILE, crate::manifest::FILE])?;
    for entry in std::fs::read_dir(from)
        .map_err(|e| IndexError::io(from, e))?
        .flatten()
    {
        let trash = entry.file_name() == crate::integrity::TRASH;
        if entry.file_type().is_ok_and(|t| t.is_dir()) && !trash {
            crate::merge::copy_tree(&entry.path(), &to.join(entry.file_name()), &[])?;
        }
    }
    crate::merge::link_or_copy(
        &from.join(crate::manifest::FILE),
        &to.join(crate::manifest::FILE),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the pointer file holds, what it leads to is inside the published directory.
        #[test]
        fn a_pointer_never_leads_outside(text in ".{0,40}") {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(POINTER), &text).unwrap();
            let resolved = current(dir.path());
            prop_assert!(resolved.starts_with(dir.path()));
            prop_assert!(!resolved
                .strip_prefix(dir.path())
                .unwrap()
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir | std::path::Component::RootDir)));
        }
    }

    #[test]
    fn a_pointer_names_a_generation_and_only_that() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            current(dir.path()),
            dir.path(),
            "no pointer: the directory itself"
        );
        for (text, expected) in [
            ("generations/3\n", Some("generations/3")),
            ("../elsewhere", None),
            ("/etc", None),
            ("  ", None),
        ] {
            std::fs::write(dir.path().join(POINTER), text).unwrap();
            let want = expected.map_or(dir.path().to_path_buf(), |e| dir.path().join(e));
            assert_eq!(current(dir.path()), want, "{text:?}");
        }
    }
}
