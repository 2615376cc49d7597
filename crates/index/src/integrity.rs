//! Knowing our own files, and telling when they were damaged.
//!
//! An index directory holds only what locsearch writes (the list is [`is_ours`]); anything else
//! makes the directory foreign, and nothing in it is touched. A locale index is checked two
//! ways: its `meta.json` (segment list, document counts) must be the one the manifest recorded
//! when that locale was last committed — which catches an edited, emptied or swapped-in
//! `meta.json` — and, in a full check, every segment file's own checksum (tantivy's footer)
//! must hold.

use std::path::Path;

use tantivy::Index;
use tantivy::index::SegmentComponent;

use crate::manifest;

/// Where a build moves the locale indexes it discards before deleting them: a move is atomic,
/// so a build killed while deleting leaves a directory the next build recognises and empties.
pub const TRASH: &str = ".locsearch-trash";

/// Files at the top of an index directory that locsearch writes.
const OWN_FILES: &[&str] = &[
    manifest::FILE,
    manifest::FILES_FILE,
    "manifest.json.tmp",
    "files.json.tmp",
    crate::lock::FILE,
    ".gitkeep",
];

/// Whether a top-level entry of an index directory is one locsearch made.
pub(crate) fn is_ours(entry: &std::fs::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy().into_owned();
    let Ok(kind) = entry.file_type() else {
        return false;
    };
    if kind.is_file() {
        return OWN_FILES.contains(&name.as_str());
    }
    kind.is_dir()
        && (name == TRASH
            || (name == crate::relations::DIR && holds_only_relations(&entry.path()))
            || (locsearch_ingest::locale::canonicalize(&name).is_some()
                && is_locale_index(&entry.path())))
}

/// A directory of relation files (`<locale>.tsv`, `<locale>.latent`, `<locale>.grams` and
/// the English paraphrases, or `.tmp` while written) and nothing else.
fn holds_only_relations(path: &Path) -> bool {
    let english = crate::relations::ENGLISH_FILE
        .rsplit_once('.')
        .map(|(stem, _)| stem);
    std::fs::read_dir(path).is_ok_and(|entries| {
        entries.flatten().all(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            e.file_type().is_ok_and(|t| t.is_file())
                && name.rsplit_once('.').is_some_and(|(stem, ext)| {
                    (ext == crate::relations::EXTENSION
                        || ext == crate::relations::LATENT_EXTENSION
                        || ext == crate::relations::GRAMS_EXTENSION
                        || ext == "tmp")
                        && (locsearch_ingest::locale::canonicalize(stem).is_some()
                            || Some(stem) == english)
                })
        })
    })
}

/// The file in which tantivy lists a locale index's segments: its commit point.
pub(crate) const TANTIVY_META: &str = "meta.json";

/// A directory holding a tantivy index and nothing else: `meta.json`, segment files
/// (`<32 hex digits>.<ext>`) and tantivy's dot-files (`.managed.json`, locks, temporary files).
/// A build killed while creating it may have left only dot-files, or nothing.
fn is_locale_index(path: &Path) -> bool {
    match std::fs::read_dir(path) {
        Ok(entries) => entries.flatten().all(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            e.file_type().is_ok_and(|t| t.is_file())
                && (name == TANTIVY_META || name.starts_with('.') || is_segment_file(&name))
        }),
        // Moved to the trash by a build running now: it was ours.
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

fn is_segment_file(name: &str) -> bool {
    name.split_once('.').is_some_and(|(id, ext)| {
        id.len() == 32
            && id.bytes().all(|b| b.is_ascii_hexdigit())
            && !ext.is_empty()
            && ext.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
    })
}

/// The digest of a locale index's `meta.json`, as recorded in the manifest.
pub(crate) fn meta_digest(locale_dir: &Path) -> std::io::Result<u64> {
    std::fs::read(locale_dir.join(TANTIVY_META)).map(|bytes| locsearch_ingest::fnv1a(&bytes))
}

/// What is wrong with a locale index, if anything: `meta.json` must have the `expected`
/// digest (when one is expected), and with `full`, every segment file its checksum.
pub fn damage(dir: &Path, locale: &str, expected: Option<u64>, full: bool) -> Option<String> {
    let path = crate::locale_dir(dir, locale);
    match meta_digest(&path) {
        Ok(digest) if expected.is_none_or(|e| e == digest) => {}
        Ok(_) => return Some("meta.json is not the one its last build wrote".into()),
        Err(e) => return Some(format!("meta.json cannot be read ({e})")),
    }
    if !full {
        return None;
    }
    let index = match Index::open_in_dir(&path) {
        Ok(index) => index,
        Err(e) => return Some(e.to_string()),
    };
    let metas = match index.searchable_segment_metas() {
        Ok(metas) => metas,
        Err(e) => return Some(e.to_string()),
    };
    for meta in metas {
        let mut components = vec![
            SegmentComponent::Postings,
            SegmentComponent::Positions,
            SegmentComponent::FastFields,
            SegmentComponent::FieldNorms,
            SegmentComponent::Terms,
            SegmentComponent::Store,
        ];
        if meta.has_deletes() {
            components.push(SegmentComponent::Delete);
        }
        for component in components {
            let file = path.join(meta.relative_path(component));
            if let Err(why) = verify_checksum(&file) {
                return Some(format!("{}: {why}", file.display()));
            }
        }
    }
    None
}

/// Checks a tantivy file against the CRC-32 in its footer (`data | footer JSON {"crc": …} |
/// u32 footer length | u32 magic`), reading it in chunks: unlike tantivy's own check, which
/// maps every file, this leaves no index pages in the process's memory.
fn verify_checksum(path: &Path) -> Result<(), String> {
    use std::io::{Read, Seek, SeekFrom};
    const MAGIC: u32 = 1337;
    const MAX_FOOTER: u64 = 50_000;
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    let mut tail = [0u8; 8];
    if len < 8 {
        return Err("shorter than its footer".into());
    }
    file.seek(SeekFrom::Start(len - 8))
        .map_err(|e| e.to_string())?;
    file.read_exact(&mut tail).map_err(|e| e.to_string())?;
    let footer_len = u64::from(u32::from_le_bytes(tail[..4].try_into().expect("4 bytes")));
    let magic = u32::from_le_bytes(tail[4..].try_into().expect("4 bytes"));
    if magic != MAGIC || footer_len > MAX_FOOTER || footer_len + 8 > len {
        return Err("no valid footer".into());
    }
    let data_len = len - 8 - footer_len;
    let mut footer = vec![0u8; footer_len as usize];
    file.seek(SeekFrom::Start(data_len))
        .map_err(|e| e.to_string())?;
    file.read_exact(&mut footer).map_err(|e| e.to_string())?;
    #[derive(serde::Deserialize)]
    struct Footer {
        crc: u32,
    }
    let recorded = serde_json::from_slice::<Footer>(&footer)
        .map_err(|_| "unreadable footer".to_string())?
        .crc;
    file.rewind().map_err(|e| e.to_string())?;
    if crc32_of(file.take(data_len)).map_err(|e| e.to_string())? == recorded {
        Ok(())
    } else {
        Err("checksum mismatch".into())
    }
}

/// Bytes read at a time to checksum a file: every file of an index is read on open, and a
/// larger buffer, zeroed for each, cost more than the reads it saved.
const CHECKSUM_CHUNK: usize = 64 * 1024;

/// The CRC-32 of what `reader` gives, read a chunk at a time.
pub(crate) fn crc32_of(mut reader: impl std::io::Read) -> std::io::Result<u32> {
    let mut hasher = crc32fast::Hasher::new();
    let mut buffer = [0u8; CHECKSUM_CHUNK];
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            return Ok(hasher.finalize());
        }
        hasher.update(&buffer[..n]);
    }
}

/// Every damaged locale of an index, with what is wrong: the full check behind
/// `locsearch check`. Relation files count (see [`damaged_relations`]).
pub fn damaged_locales(dir: &Path, manifest: &manifest::Manifest) -> Vec<(String, String)> {
    let mut damaged: Vec<(String, String)> = manifest
        .locales
        .iter()
        .filter_map(|(locale, entry)| {
            let expected = (!manifest.pending.contains(locale)).then_some(entry.meta_digest);
            damage(dir, locale, expected, true).map(|why| (locale.clone(), why))
        })
        .collect();
    damaged.extend(damaged_relations(dir, manifest));
    damaged
}

/// Relation files that are missing, outdated or damaged: under their locale, the English
/// paraphrases under [`crate::relations::DIR`]. They are served with the index, so they are
/// checked with it; `index` mines them again.
pub fn damaged_relations(dir: &Path, manifest: &manifest::Manifest) -> Vec<(String, String)> {
    let mut damaged = crate::relations::unusable(dir, manifest.locales.keys());
    if !manifest.locales.is_empty()
        && let Some(why) = crate::relations::english_damage(dir)
    {
        damaged.push((crate::relations::DIR.to_owned(), why));
    }
    damaged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_file_names_are_recognised_and_others_are_not() {
        assert!(is_segment_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(is_segment_file("0123456789abcdef0123456789abcdef.123.del"));
        for name in [
            "main.rs",
            "0123.idx",
            "0123456789abcdef0123456789abcdef",
            "notes.txt",
        ] {
            assert!(!is_segment_file(name), "{name}");
        }
    }

    #[test]
    fn a_checksum_read_in_chunks_covers_every_byte() {
        let bytes: Vec<u8> = (0..3 * CHECKSUM_CHUNK + 17)
            .map(|i| (i * 31) as u8)
            .collect();
        let whole = crc32fast::hash(&bytes);
        assert_eq!(crc32_of(bytes.as_slice()).unwrap(), whole);
        let mut damaged = bytes.clone();
        *damaged.last_mut().unwrap() ^= 1;
        assert_ne!(
            crc32_of(damaged.as_slice()).unwrap(),
            whole,
            "a byte past the first chunks"
        );
    }
}
