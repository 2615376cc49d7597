//! `manifest.json`: what an index directory holds and how it was built. Written atomically
//! (write to a temporary file, then rename) after every locale has committed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::IndexError;

pub const FILE: &str = "manifest.json";
/// Bumped when the on-disk layout or schema changes.
pub const FORMAT: u32 = 2;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub locsearch_version: String,
    pub corpus_root: String,
    /// Unix seconds of the last build that changed something.
    pub built_at: u64,
    pub build_seconds: f64,
    pub locales: BTreeMap<String, LocaleEntry>,
    /// Per corpus-relative path: content hash and locale of every indexed file.
    pub files: BTreeMap<String, FileEntry>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LocaleEntry {
    pub analyzer: AnalyzerRecord,
    pub source_analyzer: AnalyzerRecord,
    pub documents: u64,
    pub segments: u64,
    pub aligned: u64,
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
}

impl Manifest {
    /// Reads `dir/manifest.json`; `Ok(None)` when there is none.
    pub fn read(dir: &Path) -> Result<Option<Manifest>, IndexError> {
        let path = dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(IndexError::io(&path, e)),
        };
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| IndexError::Foreign {
            dir: dir.to_path_buf(),
            why: format!("{FILE} is not a locsearch manifest ({e})"),
        })?;
        if manifest.format != FORMAT {
            return Err(IndexError::Incompatible {
                dir: dir.to_path_buf(),
                why: format!(
                    "index format {} (this locsearch reads format {FORMAT})",
                    manifest.format
                ),
            });
        }
        Ok(Some(manifest))
    }

    /// Writes `dir/manifest.json` atomically.
    pub fn write(&self, dir: &Path) -> Result<(), IndexError> {
        let path = dir.join(FILE);
        let tmp = dir.join(format!("{FILE}.tmp"));
        let json = serde_json::to_vec_pretty(self).expect("manifest serializes");
        std::fs::write(&tmp, json).map_err(|e| IndexError::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| IndexError::io(&path, e))
    }
}
