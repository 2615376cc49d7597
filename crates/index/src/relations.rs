//! The word relations each locale's aligned pairs teach ([`locsearch_relations`]), kept
//! beside its index as `DIR/relations/<locale>.tsv`: mined from the pairs the locale index
//! stores whenever a build changed that locale, before the manifest that commits the build.
//! The English paraphrases the locales agree on are combined from their files into
//! [`ENGLISH_FILE`] after every mining.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use locsearch_relations::{Link, Mining, file};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocId, DocSet, Index, SegmentReader, TERMINATED, TantivyDocument, Term};

use crate::IndexError;
use crate::schema::StoredSegment;

/// The directory of the relation files, inside an index directory.
pub const DIR: &str = "relations";
/// How a relation file's name ends.
pub const EXTENSION: &str = "tsv";

/// The English paraphrases' file name, inside [`DIR`]: a name no locale has.
pub const ENGLISH_FILE: &str = "english-paraphrases.tsv";

/// Where the English paraphrases are kept.
pub fn english_path(dir: &Path) -> PathBuf {
    dir.join(DIR).join(ENGLISH_FILE)
}

/// Where a locale's relations are kept.
pub fn path(dir: &Path, locale: &str) -> PathBuf {
    dir.join(DIR).join(format!("{locale}.{EXTENSION}"))
}

/// The locale's relations; none when it has no file (an index built before relations were
/// mined, or a locale with no aligned pair).
pub fn read(dir: &Path, locale: &str) -> Result<Vec<Link>, IndexError> {
    read_file(dir, &path(dir, locale), locale)
}

/// The English paraphrases; none when the file is missing.
pub fn read_english(dir: &Path) -> Result<Vec<Link>, IndexError> {
    read_file(dir, &english_path(dir), "English paraphrases")
}

fn read_file(dir: &Path, path: &Path, what: &str) -> Result<Vec<Link>, IndexError> {
    match std::fs::read_to_string(path) {
        Ok(text) => file::read(path, &text).map_err(|e| crate::damaged(dir, what, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(IndexError::io(path, e)),
    }
}

/// What is wrong with a locale's relation file, if anything: missing (every build writes
/// one for each locale it indexes), of another version, or damaged.
pub fn damage(dir: &Path, locale: &str) -> Option<String> {
    file_damage(dir, &path(dir, locale))
}

/// What is wrong with the English paraphrases' file, if anything.
pub fn english_damage(dir: &Path) -> Option<String> {
    file_damage(dir, &english_path(dir))
}

fn file_damage(dir: &Path, path: &Path) -> Option<String> {
    let shown = path.strip_prefix(dir).unwrap_or(path).display();
    if !path.exists() {
        return Some(format!("{shown} is missing"));
    }
    let why = verify(path).err()?;
    Some(format!("{shown}: {why}"))
}

/// Checks a relation file against the checksum on its first line, reading it in chunks: the
/// check keeps none of it in memory.
fn verify(path: &Path) -> Result<(), String> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut reader = std::io::BufReader::new(file);
    let mut first = Vec::new();
    reader
        .read_until(b'\n', &mut first)
        .map_err(|e| e.to_string())?;
    let computed = crate::integrity::crc32_of(reader).map_err(|e| e.to_string())?;
    file::check_checksum(first.strip_suffix(b"\n").unwrap_or(&first), computed)
}

/// Locales whose relation file is missing, outdated or damaged, with what is wrong.
pub(crate) fn unusable<'a>(
    dir: &Path,
    locales: impl Iterator<Item = &'a String>,
) -> Vec<(String, String)> {
    locales
        .filter_map(|l| Some((l.clone(), damage(dir, l)?)))
        .collect()
}

/// Mines the relations of `locales` from their committed indexes, two at a time, and writes
/// each file atomically; a locale with no index left loses its file. The pairs of the
/// articles in `not_english` (whose source side is another language) teach nothing about
/// English and are left out. Then combines the English paraphrases of every locale in `all`.
pub(crate) fn mine<'a>(
    dir: &Path,
    locales: &BTreeSet<String>,
    not_english: &BTreeSet<&str>,
    all: impl Iterator<Item = &'a String>,
) -> Result<(), IndexError> {
    let relations = dir.join(DIR);
    std::fs::create_dir_all(&relations).map_err(|e| IndexError::io(&relations, e))?;
    let locales: Vec<&String> = locales.iter().collect();
    let mined: Vec<Result<(), IndexError>> = {
        use rayon::prelude::*;
        locales
            .par_iter()
            .map(|l| mine_locale(dir, l, not_english))
            .collect()
    };
    mined.into_iter().collect::<Result<(), IndexError>>()?;
    combine_english(dir, all)
}

/// Writes the English paraphrases that enough locales agree on.
fn combine_english<'a>(
    dir: &Path,
    all: impl Iterator<Item = &'a String>,
) -> Result<(), IndexError> {
    let mut per_locale = Vec::new();
    for locale in all {
        let mut links = read(dir, locale)?;
        links.retain(|l| l.kind == locsearch_relations::Kind::Paraphrase);
        if !links.is_empty() {
            per_locale.push(links);
        }
    }
    let combined = locsearch_relations::combine_paraphrases(
        per_locale.iter().map(Vec::as_slice),
        &Mining::default(),
    );
    write(&english_path(dir), &file::write(&combined))
}

/// Written durably before the manifest that commits them: a crash leaves the old file or
/// the new one, and a power cut cannot leave a committed index with an empty one.
fn write(target: &Path, text: &str) -> Result<(), IndexError> {
    crate::manifest::write_atomically(target, &target.with_extension("tmp"), text.as_bytes())
}

fn mine_locale(dir: &Path, locale: &str, not_english: &BTreeSet<&str>) -> Result<(), IndexError> {
    let target = path(dir, locale);
    let locale_dir = crate::locale_dir(dir, locale);
    if !locale_dir.join(crate::integrity::TANTIVY_META).exists() {
        return match std::fs::remove_file(&target) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(IndexError::io(&target, e)),
            _ => Ok(()),
        };
    }
    let index = Index::open_in_dir(&locale_dir).map_err(|e| crate::damaged(dir, locale, e))?;
    let pairs = pairs(&index, not_english).map_err(|e| crate::damaged(dir, locale, e))?;
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
    write(&target, &file::write(&links))
}

/// Every aligned pair the locale index stores, (target, source), but those of the articles
/// keyed in `left_out`.
fn pairs(index: &Index, left_out: &BTreeSet<&str>) -> tantivy::Result<Vec<(String, String)>> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let fields = crate::schema::fields(&index.schema())?;
    let mut pairs = Vec::new();
    for segment in searcher.segment_readers() {
        let skipped = documents_of(segment, fields.key, left_out)?;
        let store = segment.get_store_reader(1)?;
        for (doc_id, doc) in store.iter::<TantivyDocument>(None).enumerate() {
            let doc_id = doc_id as DocId;
            if segment.is_deleted(doc_id) || skipped.contains(&doc_id) {
                continue;
            }
            let doc = doc?;
            let Some(stored) = doc.get_first(fields.segment).and_then(|v| v.as_str()) else {
                continue;
            };
            if let Some((
                StoredSegment {
                    target,
                    source: Some(source),
                    ..
                },
                _,
            )) = StoredSegment::decode(stored)
            {
                pairs.push((target, source));
            }
        }
    }
    Ok(pairs)
}

/// The segment's documents of the articles keyed in `keys`.
fn documents_of(
    segment: &SegmentReader,
    key: Field,
    keys: &BTreeSet<&str>,
) -> tantivy::Result<BTreeSet<DocId>> {
    let inverted = segment.inverted_index(key)?;
    let mut documents = BTreeSet::new();
    for k in keys {
        let term = Term::from_field_text(key, k);
        if let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? {
            while postings.doc() != TERMINATED {
                documents.insert(postings.doc());
                postings.advance();
            }
        }
    }
    Ok(documents)
}
