//! The sample corpus: `./corpus` when it exists, else the copy embedded in the binary.

use std::path::{Path, PathBuf};

use anyhow::Context;

/// The sample corpus's files, embedded at build time so every command works anywhere.
const SAMPLE: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/sample_corpus.rs"));

/// `path` if given; else `./corpus` if it exists; else the embedded sample, written out
/// once to a cache directory.
pub fn corpus_or_sample(path: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(path) = path {
        return Ok(path.to_path_buf());
    }
    let local = PathBuf::from("corpus");
    if local.is_dir() {
        return Ok(local);
    }
    materialize_sample()
}

fn materialize_sample() -> anyhow::Result<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    let dir = base
        .join("locsearch")
        .join(format!("sample-corpus-{}", env!("CARGO_PKG_VERSION")));
    for (rel, text) in SAMPLE {
        let path = dir.join(rel);
        if std::fs::read_to_string(&path).is_ok_and(|t| t == *text) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "note: no ./corpus here; using the embedded sample corpus ({})",
        dir.display()
    );
    Ok(dir)
}
