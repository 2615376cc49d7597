//! Opening an index directory for searching.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::manifest::{LocaleEntry, Manifest};
use crate::schema::{self, Fields};
use crate::{IndexError, check_analyzers};

/// Decompressed store blocks each tantivy segment keeps (tantivy's default is 100). Stored
/// documents are read for the final hits only, which rarely share a block with the previous
/// query's: with 36 locales the default held 20 MB for little gain.
const DOC_STORE_CACHE_BLOCKS: usize = 10;

/// One locale's index, ready to search.
pub struct LocaleIndex {
    pub locale: String,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// The locale's analyzer name (target fields); the source fields use English.
    pub analyzer: &'static str,
}

/// Every locale index of a directory.
pub struct Catalog {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub locales: BTreeMap<String, LocaleIndex>,
}

impl Catalog {
    /// Opens `dir`: a missing, foreign, damaged or differently-analyzed index is an error
    /// that says how to fix it. Readers never reload by themselves: a catalog is a snapshot,
    /// consistent across locales even while a build rewrites them (a server opens a new
    /// catalog when the manifest changes).
    pub fn open(dir: &Path) -> Result<Catalog, IndexError> {
        // A published directory is read through its pointer ([`crate::publish`]).
        let dir = &crate::publish::current(dir);
        let manifest = Manifest::read_finished(dir)?;
        let mut locales = BTreeMap::new();
        for (locale, entry) in &manifest.locales {
            check_analyzers(dir, locale, entry)?;
            // Every file against its checksum: a damaged byte is an error naming the locale,
            // never a panic or a wrong answer later (0.1 s for the whole real corpus).
            let expected = (!manifest.pending.contains(locale)).then_some(entry.meta_digest);
            if let Some(why) = crate::integrity::damage(dir, locale, expected, true) {
                return Err(crate::damaged(dir, locale, why));
            }
            let path = crate::locale_dir(dir, locale);
            let index = Index::open_in_dir(&path).map_err(|e| crate::damaged(dir, locale, e))?;
            locsearch_analysis::register_all(index.tokenizers());
            let fields = crate::schema::fields(&index.schema())
                .map_err(|e| crate::damaged(dir, locale, e))?;
            let reader = index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
                .try_into()
                .map_err(|e: tantivy::TantivyError| crate::damaged(dir, locale, e))?;
            let analyzer = locsearch_analysis::resolve(locale).info.name;
            locales.insert(
                locale.clone(),
                LocaleIndex {
                    locale: locale.clone(),
                    index,
                    reader,
                    fields,
                    analyzer,
                },
            );
        }
        if let Some((what, why)) = crate::integrity::damaged_relations(dir, &manifest).pop() {
            return Err(crate::damaged(dir, &what, why));
        }
        Ok(Catalog {
            dir: dir.to_path_buf(),
            manifest,
            locales,
        })
    }

    /// Per-locale statistics, with the size on disk.
    pub fn stats(&self) -> Vec<LocaleStats> {
        self.manifest
            .locales
            .iter()
            .map(|(locale, e)| LocaleStats {
                locale: locale.clone(),
                documents: e.documents,
                segments: e.segments,
                aligned: e.aligned,
                aligned_share: if e.segments == 0 {
                    0.0
                } else {
                    e.aligned as f64 / e.segments as f64
                },
                bytes_on_disk: dir_size(&crate::locale_dir(&self.dir, locale)),
                analyzer: format!("{} v{}", e.analyzer.name, e.analyzer.version),
            })
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LocaleStats {
    pub locale: String,
    pub documents: u64,
    pub segments: u64,
    pub aligned: u64,
    pub aligned_share: f64,
    pub bytes_on_disk: u64,
    pub analyzer: String,
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Counts of a locale's committed index, for the manifest.
pub(crate) fn locale_entry(dir: &Path, locale: &str) -> Result<LocaleEntry, IndexError> {
    let path = crate::locale_dir(dir, locale);
    let index = Index::open_in_dir(&path).map_err(|e| crate::damaged(dir, locale, e))?;
    let reader = index.reader().map_err(|e| IndexError::tantivy(&path, e))?;
    let searcher = reader.searcher();
    let (mut documents, mut segments, mut aligned) = (0, 0, 0);
    for segment_reader in searcher.segment_readers() {
        let fast = segment_reader.fast_fields();
        let seg = fast
            .u64(schema::name::SEGMENT_COUNT)
            .map_err(|e| IndexError::tantivy(&path, e))?;
        let ali = fast
            .u64(schema::name::ALIGNED_COUNT)
            .map_err(|e| IndexError::tantivy(&path, e))?;
        // Only article documents have counts.
        for doc in segment_reader.doc_ids_alive() {
            if let Some(count) = seg.first(doc) {
                documents += 1;
                segments += count;
                aligned += ali.first(doc).unwrap_or(0);
            }
        }
    }
    Ok(LocaleEntry {
        meta_digest: crate::integrity::meta_digest(&path).map_err(|e| IndexError::io(&path, e))?,
        analyzer: locsearch_analysis::resolve(locale).info.into(),
        source_analyzer: locsearch_analysis::english().into(),
        documents,
        segments,
        aligned,
    })
}
