//! The word relations each locale's aligned pairs teach ([`locsearch_relations`]), kept
//! beside its index as `DIR/relations/<locale>.tsv`: mined from the pairs the locale index
//! stores whenever a build changed that locale, before the manifest that commits the build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use locsearch_relations::{Link, Mining, file};
use tantivy::schema::Value;
use tantivy::{Index, TantivyDocument};

use crate::IndexError;
use crate::schema::StoredSegment;

/// The directory of the relation files, inside an index directory.
pub const DIR: &str = "relations";
/// How a relation file's name ends.
pub const EXTENSION: &str = "tsv";

/// Where a locale's relations are kept.
pub fn path(dir: &Path, locale: &str) -> PathBuf {
    dir.join(DIR).join(format!("{locale}.{EXTENSION}"))
}

/// The locale's relations; none when it has no file (an index built before relations were
/// mined, or a locale with no aligned pair).
pub fn read(dir: &Path, locale: &str) -> Result<Vec<Link>, IndexError> {
    let path = path(dir, locale);
    match std::fs::read_to_string(&path) {
        Ok(text) => file::read(&path, &text).map_err(|e| crate::damaged(dir, locale, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(IndexError::io(&path, e)),
    }
}

/// Locales whose relation file is missing or cannot be read.
pub(crate) fn unusable<'a>(dir: &Path, locales: impl Iterator<Item = &'a String>) -> Vec<String> {
    locales
        .filter(|l| !path(dir, l).exists() || read(dir, l).is_err())
        .cloned()
        .collect()
}

/// Mines the relations of `locales` from their committed indexes, two at a time, and writes
/// each file atomically; a locale with no index left loses its file.
pub(crate) fn mine(dir: &Path, locales: &BTreeSet<String>) -> Result<(), IndexError> {
    let relations = dir.join(DIR);
    std::fs::create_dir_all(&relations).map_err(|e| IndexError::io(&relations, e))?;
    let locales: Vec<&String> = locales.iter().collect();
    let mined: Vec<Result<(), IndexError>> = {
        use rayon::prelude::*;
        locales.par_iter().map(|l| mine_locale(dir, l)).collect()
    };
    mined.into_iter().collect()
}

fn mine_locale(dir: &Path, locale: &str) -> Result<(), IndexError> {
    let target = path(dir, locale);
    let locale_dir = crate::locale_dir(dir, locale);
    if !locale_dir.join(crate::integrity::TANTIVY_META).exists() {
        return match std::fs::remove_file(&target) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(IndexError::io(&target, e)),
            _ => Ok(()),
        };
    }
    let index = Index::open_in_dir(&locale_dir).map_err(|e| crate::damaged(dir, locale, e))?;
    let pairs = pairs(&index).map_err(|e| crate::damaged(dir, locale, e))?;
    let analyzer = |name: &str| {
        locsearch_analysis::analyzer(name).ok_or_else(|| IndexError::AnalyzerUnavailable {
            locale: locale.to_owned(),
            why: format!("no analyzer {name}"),
        })
    };
    let links = locsearch_relations::mine(
        &analyzer(locsearch_analysis::resolve(locale).info.name)?,
        &analyzer(locsearch_analysis::english().name)?,
        pairs,
        &Mining::default(),
    );
    let temporary = target.with_extension("tmp");
    std::fs::write(&temporary, file::write(&links)).map_err(|e| IndexError::io(&temporary, e))?;
    std::fs::rename(&temporary, &target).map_err(|e| IndexError::io(&target, e))
}

/// Every aligned pair the locale index stores: (target, source).
fn pairs(index: &Index) -> tantivy::Result<Vec<(String, String)>> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let field = crate::schema::fields(&index.schema())?.segment;
    let mut pairs = Vec::new();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(1)?;
        for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            let doc = doc?;
            let Some(bytes) = doc.get_first(field).and_then(|v| v.as_bytes()) else {
                continue;
            };
            if let Ok(StoredSegment {
                target,
                source: Some(source),
                ..
            }) = serde_json::from_slice(bytes)
            {
                pairs.push((target, source));
            }
        }
    }
    Ok(pairs)
}
