//! `manifest.json`: what an index directory holds and how it was built, and `files.json`: the
//! content hash of every indexed file. Both are written atomically (temporary file, then
//! rename) after every locale has committed, `files.json` first: the manifest is the commit
//! point. They are apart because searching needs only the small manifest — reading the
//! hashes of 105k files took most of a cold search's time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::IndexError;

pub const FILE: &str = "manifest.json";
pub const FILES_FILE: &str = "files.json";
/// Bumped when the on-disk layout or schema changes.
pub const FORMAT: u32 = 11;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub locsearch_version: String,
    /// The corpus this index was built from (absolute): `index` without a corpus updates from
    /// it, and refuses another corpus unless told to `--rebuild`.
    pub corpus_root: String,
    /// False from the start of a first build or a `--rebuild` until its end: the index holds
    /// part of its corpus, and searching it is refused with a hint to complete it.
    #[serde(default = "complete_by_default")]
    pub complete: bool,
    /// Locales a build is writing: their index may hold commits newer than this manifest
    /// records, so their `meta.json` is not compared with the recorded digest. Empty when no
    /// build is running or was interrupted.
    #[serde(default)]
    pub pending: BTreeSet<String>,
    /// Unix seconds of the last build that changed something.
    pub built_at: u64,
    pub build_seconds: f64,
    pub locales: BTreeMap<String, LocaleEntry>,
    /// A few locales that together hold every article key, largest share first: searching the
    /// English source side of these finds every article once (see the query crate).
    pub source_cover: Vec<String>,
    /// Article key → the language its source side is written in, for the few articles whose
    /// source is not English (`locsearch_ingest::language`).
    #[serde(default)]
    pub source_languages: BTreeMap<String, String>,
    /// Digest of the `files.json` written with this manifest: a mismatch means a build was
    /// interrupted between the two renames.
    pub files_digest: u64,
    /// Per corpus-relative path: content hash and locale of every indexed file. In
    /// `files.json`; loaded by [`Manifest::read_with_files`] only.
    #[serde(skip)]
    pub files: BTreeMap<String, FileEntry>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LocaleEntry {
    pub analyzer: AnalyzerRecord,
    pub source_analyzer: AnalyzerRecord,
    /// Articles (article documents).
    pub documents: u64,
    /// Segments (segment documents), and the aligned ones among them.
    pub segments: u64,
    pub aligned: u64,
    /// Digest of the locale index's `meta.json` when this build committed it: any other
    /// `meta.json` (edited, emptied, swapped with another locale's) is damage.
    #[serde(default)]
    pub meta_digest: u64,
}

fn complete_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzerRecord {
    pub name: String,
    pub version: u32,
}

impl From<locsearch_analysis::AnalyzerInfo> for AnalyzerRecord {
    fn from(info: locsearch_analysis::AnalyzerInfo) -> Self {
        Self {
            name: info.name.to_owned(),
            version: info.version,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub hash: u64,
    pub locale: String,
    /// The article key (see `locsearch_ingest::article_key`).
    pub key: String,
    /// The language of the article's source side, when it is not English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_language: Option<String>,
}

impl Manifest {
    /// The keys of the articles whose source side is not English (from the file records).
    pub fn not_english_keys(&self) -> BTreeSet<&str> {
        self.files
            .values()
            .filter(|f| f.source_language.is_some())
            .map(|f| f.key.as_str())
            .collect()
    }

    /// Reads `dir/manifest.json` without the file hashes; `Ok(None)` when there is none.
    pub fn read(dir: &Path) -> Result<Option<Manifest>, IndexError> {
        let path = dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(IndexError::io(&path, e)),
        };
        let not_ours = |e: serde_json::Error| IndexError::Foreign {
            dir: dir.to_path_buf(),
            why: format!("{FILE} is not a locsearch manifest ({e})"),
        };
        // The format first: another format's fields may differ.
        #[derive(Deserialize)]
        struct Format {
            format: u32,
        }
        let format = serde_json::from_str::<Format>(&text)
            .map_err(not_ours)?
            .format;
        if format != FORMAT {
            return Err(IndexError::Incompatible {
                dir: dir.to_path_buf(),
                why: format!("index format {format} (this locsearch reads format {FORMAT})"),
            });
        }
        let manifest: Manifest = serde_json::from_str(&text).map_err(not_ours)?;
        Ok(Some(manifest))
    }

    /// Reads the manifest of a finished index; an error says when there is none, or when
    /// its first build never completed.
    pub fn read_finished(dir: &Path) -> Result<Manifest, IndexError> {
        let manifest = Manifest::read(dir)?.ok_or_else(|| IndexError::Missing {
            dir: dir.to_path_buf(),
        })?;
        manifest.finished(dir)
    }

    /// The manifest, when its index is finished; otherwise the error naming the command that
    /// finishes it.
    pub fn finished(self, dir: &Path) -> Result<Manifest, IndexError> {
        if self.complete {
            Ok(self)
        } else {
            Err(IndexError::Unfinished {
                dir: dir.to_path_buf(),
                corpus: self.corpus_root,
            })
        }
    }

    /// Reads the manifest and the file hashes. The flag is true when they do not belong
    /// together (a build was killed between writing them): the hashes are then the newer
    /// record and the manifest's counts must be recomputed.
    pub fn read_with_files(dir: &Path) -> Result<Option<(Manifest, bool)>, IndexError> {
        let Some(mut manifest) = Manifest::read(dir)? else {
            return Ok(None);
        };
        let path = dir.join(FILES_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(IndexError::Corrupt {
                    dir: dir.to_path_buf(),
                    why: format!("{FILES_FILE} is missing"),
                });
            }
            Err(e) => return Err(IndexError::io(&path, e)),
        };
        manifest.files = serde_json::from_slice(&bytes).map_err(|e| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            why: format!("{FILES_FILE} is not readable ({e})"),
        })?;
        let stale = locsearch_ingest::fnv1a(&bytes) != manifest.files_digest;
        Ok(Some((manifest, stale)))
    }

    /// A copy of everything but the file hashes (which are large).
    pub fn without_files(&self) -> Manifest {
        Manifest {
            format: self.format,
            locsearch_version: self.locsearch_version.clone(),
            corpus_root: self.corpus_root.clone(),
            complete: self.complete,
            pending: self.pending.clone(),
            built_at: self.built_at,
            build_seconds: self.build_seconds,
            locales: self.locales.clone(),
            source_cover: self.source_cover.clone(),
            source_languages: self.source_languages.clone(),
            files_digest: self.files_digest,
            files: BTreeMap::new(),
        }
    }

    /// Writes `dir/files.json`, then `dir/manifest.json`, each atomically.
    pub fn write(&mut self, dir: &Path) -> Result<(), IndexError> {
        let files = serde_json::to_vec(&self.files).expect("file hashes serialize");
        self.files_digest = locsearch_ingest::fnv1a(&files);
        write_atomically(&dir.join(FILES_FILE), &temporary(dir, FILES_FILE), &files)?;
        self.write_manifest_only(dir)
    }

    /// Rewrites `dir/manifest.json` alone (the file hashes it points at are unchanged).
    pub fn write_manifest_only(&self, dir: &Path) -> Result<(), IndexError> {
        let json = serde_json::to_vec_pretty(self).expect("manifest serializes");
        write_atomically(&dir.join(FILE), &temporary(dir, FILE), &json)
    }
}

/// Where a record is written before it is renamed into place.
fn temporary(dir: &Path, name: &str) -> std::path::PathBuf {
    dir.join(format!("{name}.tmp"))
}

/// Write `temporary`, flush it to disk, rename it to `path`, flush the directory: after a
/// crash or a power cut the file is the old one or the new one, never a mix (tantivy syncs
/// its own files at commit).
pub(crate) fn write_atomically(
    path: &Path,
    temporary: &Path,
    bytes: &[u8],
) -> Result<(), IndexError> {
    use std::io::Write;
    let written = std::fs::File::create(temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    written.map_err(|e| IndexError::io(temporary, e))?;
    std::fs::rename(temporary, path).map_err(|e| IndexError::io(path, e))?;
    // A directory's own sync makes the rename durable; some file systems cannot, harmlessly.
    if let Some(dir) = path.parent() {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}
