//! What each locale's aligned text teaches, kept beside its index: the word relations of its
//! aligned pairs ([`locsearch_relations`]) as `DIR/relations/<locale>.tsv`, and the latent
//! space of its articles in both languages ([`locsearch_latent`]) as
//! `DIR/relations/<locale>.latent`, and the character n-gram profiles of its text and of its
//! English ([`locsearch_langid`]) as `DIR/relations/<locale>.grams`, which tell a query's
//! likely locales. All are learned from what the locale index stores whenever a build
//! changed that locale, before the manifest that commits the build.
//! The English paraphrases the locales agree on are combined from their files into
//! [`ENGLISH_FILE`] after every mining.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use locsearch_latent::ArticleText;
use locsearch_relations::{Link, Mining, file};
use rustc_hash::FxHashMap;
use tantivy::columnar::StrColumn;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocId, DocSet, Index, SegmentReader, TERMINATED, TantivyDocument, Term};

use crate::IndexError;
use crate::schema::StoredSegment;

/// The directory of the relation files, inside an index directory.
pub const DIR: &str = "relations";
/// How a relation file's name ends.
pub const EXTENSION: &str = "tsv";
/// How a latent space file's name ends.
pub const LATENT_EXTENSION: &str = "latent";

/// How an n-gram profile file's name ends.
pub const GRAMS_EXTENSION: &str = "grams";

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

/// Where a locale's latent space is kept.
pub fn latent_path(dir: &Path, locale: &str) -> PathBuf {
    dir.join(DIR).join(format!("{locale}.{LATENT_EXTENSION}"))
}

/// Where a locale's n-gram profiles are kept.
pub fn grams_path(dir: &Path, locale: &str) -> PathBuf {
    dir.join(DIR).join(format!("{locale}.{GRAMS_EXTENSION}"))
}

/// Every file learned for a locale.
pub(crate) fn locale_files(dir: &Path, locale: &str) -> [PathBuf; 3] {
    [
        path(dir, locale),
        latent_path(dir, locale),
        grams_path(dir, locale),
    ]
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

/// What is wrong with a locale's relation file, latent space or n-gram profiles, if
/// anything: missing (every build writes all three for each locale it indexes), of another
/// version, or damaged.
pub fn damage(dir: &Path, locale: &str) -> Option<String> {
    let checks: [(PathBuf, Checksum); 3] = [
        (path(dir, locale), file::check_checksum),
        (
            latent_path(dir, locale),
            locsearch_latent::file::check_checksum,
        ),
        (
            grams_path(dir, locale),
            locsearch_langid::file::check_checksum,
        ),
    ];
    checks
        .into_iter()
        .find_map(|(path, check)| file_damage(dir, &path, check))
}

/// What is wrong with the English paraphrases' file, if anything.
pub fn english_damage(dir: &Path) -> Option<String> {
    file_damage(dir, &english_path(dir), file::check_checksum)
}

/// How a file's first line (the header, with its checksum) is checked against the CRC-32
/// of the rest.
type Checksum = fn(&[u8], u32) -> Result<(), String>;

fn file_damage(dir: &Path, path: &Path, check: Checksum) -> Option<String> {
    let shown = path.strip_prefix(dir).unwrap_or(path).display();
    if !path.exists() {
        return Some(format!("{shown} is missing"));
    }
    let why = verify(path, check).err()?;
    Some(format!("{shown}: {why}"))
}

/// Checks a file against the checksum on its first line, reading it in chunks: the check
/// keeps none of it in memory.
fn verify(path: &Path, check: Checksum) -> Result<(), String> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut reader = std::io::BufReader::new(file);
    let mut first = Vec::new();
    reader
        .read_until(b'\n', &mut first)
        .map_err(|e| e.to_string())?;
    let computed = crate::integrity::crc32_of(reader).map_err(|e| e.to_string())?;
    check(first.strip_suffix(b"\n").unwrap_or(&first), computed)
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
    write(&english_path(dir), file::write(&combined))
}

/// Written durably before the manifest that commits them: a crash leaves the old file or
/// the new one, and a power cut cannot leave a committed index with an empty one.
fn write(target: &Path, bytes: impl AsRef<[u8]>) -> Result<(), IndexError> {
    crate::manifest::write_atomically(target, &target.with_extension("tmp"), bytes.as_ref())
}

/// The n-gram profiles of the locale's text (titles and segments) and of its English.
fn profiles(articles: &[ArticleText]) -> locsearch_langid::file::LocaleProfiles {
    use locsearch_langid::{Learning, Profile};
    let learning = Learning::default();
    let texts = |side: fn(&ArticleText) -> &Vec<String>| {
        articles
            .iter()
            .flat_map(move |a| side(a).iter().map(String::as_str))
    };
    locsearch_langid::file::LocaleProfiles {
        target: Profile::learn(texts(|a| &a.target), &learning),
        english: Profile::learn(texts(|a| &a.english), &learning),
    }
}

fn mine_locale(dir: &Path, locale: &str, not_english: &BTreeSet<&str>) -> Result<(), IndexError> {
    let locale_dir = crate::locale_dir(dir, locale);
    if !locale_dir.join(crate::integrity::TANTIVY_META).exists() {
        for target in locale_files(dir, locale) {
            match std::fs::remove_file(&target) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(IndexError::io(&target, e));
                }
                _ => {}
            }
        }
        return Ok(());
    }
    let index = Index::open_in_dir(&locale_dir).map_err(|e| crate::damaged(dir, locale, e))?;
    let Aligned {
        pairs,
        titles,
        articles,
    } = aligned(&index, not_english).map_err(|e| crate::damaged(dir, locale, e))?;
    write(
        &grams_path(dir, locale),
        locsearch_langid::file::write(&profiles(&articles)),
    )?;
    let analyzer = |name: &str| {
        locsearch_analysis::analyzer(name).ok_or_else(|| IndexError::AnalyzerUnavailable {
            locale: locale.to_owned(),
            why: format!("no analyzer {name}"),
        })
    };
    let target = locsearch_analysis::resolve(locale).info;
    let target_analyzer = analyzer(target.name)?;
    let english_analyzer = analyzer(locsearch_analysis::english().name)?;
    let links = locsearch_relations::mine(
        &target_analyzer,
        &target.capabilities,
        &english_analyzer,
        (pairs, titles),
        &Mining::default(),
    );
    write(&path(dir, locale), file::write(&links))?;
    let space = locsearch_latent::learn(
        &target_analyzer,
        &english_analyzer,
        articles,
        &locsearch_latent::Learning::default(),
    );
    write(
        &latent_path(dir, locale),
        locsearch_latent::file::write(&space),
    )
}

/// What a locale index stores of its aligned text.
struct Aligned {
    /// Every aligned pair, (target, source).
    pairs: Vec<(String, String)>,
    /// Every article's titles, (target, source), once each.
    titles: Vec<(String, String)>,
    /// Every article's titles and segments, on both sides.
    articles: Vec<ArticleText>,
}

/// Every aligned pair the locale index stores, but those of the articles keyed in
/// `left_out` (whose source side is not English), and every article's text — of those, the
/// target side only.
fn aligned(index: &Index, left_out: &BTreeSet<&str>) -> tantivy::Result<Aligned> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let fields = crate::schema::fields(&index.schema())?;
    let mut pairs = Vec::new();
    let mut articles: FxHashMap<String, ArticleText> = FxHashMap::default();
    let mut titles: FxHashMap<String, (String, String)> = FxHashMap::default();
    for segment in searcher.segment_readers() {
        let skipped = documents_of(segment, fields.key, left_out)?;
        let fast = segment.fast_fields();
        let column = |name: &str| fast.str(name).ok().flatten();
        let (keys, title_column, source_titles) = (
            column(crate::schema::name::KEY),
            column(crate::schema::name::TITLE),
            column(crate::schema::name::SOURCE_TITLE),
        );
        let store = segment.get_store_reader(1)?;
        for (doc_id, doc) in store.iter::<TantivyDocument>(None).enumerate() {
            let doc_id = doc_id as DocId;
            if segment.is_deleted(doc_id) {
                continue;
            }
            let doc = doc?;
            let english = !skipped.contains(&doc_id);
            let Some(key) = text_of(keys.as_ref(), doc_id) else {
                continue;
            };
            let article = articles.entry(key.clone()).or_insert_with(|| ArticleText {
                key,
                ..ArticleText::default()
            });
            let title = text_of(title_column.as_ref(), doc_id);
            article.target.extend(title.clone());
            if english {
                let source_title = text_of(source_titles.as_ref(), doc_id);
                article.english.extend(source_title.clone());
                if let (Some(title), Some(source_title)) = (title, source_title) {
                    titles.insert(article.key.clone(), (title, source_title));
                }
            }
            let Some(stored) = doc.get_first(fields.segment).and_then(|v| v.as_str()) else {
                continue;
            };
            let Some((StoredSegment { target, source, .. }, _)) = StoredSegment::decode(stored)
            else {
                continue;
            };
            article.target.push(target.clone());
            if let Some(source) = source.filter(|_| english) {
                article.english.push(source.clone());
                pairs.push((target, source));
            }
        }
    }
    let mut articles: Vec<ArticleText> = articles.into_values().collect();
    articles.sort_by(|a, b| a.key.cmp(&b.key));
    let mut titles: Vec<(String, String)> = titles.into_values().collect();
    titles.sort();
    Ok(Aligned {
        pairs,
        titles,
        articles,
    })
}

/// A document's value in a text column, if it has one.
fn text_of(column: Option<&StrColumn>, doc: DocId) -> Option<String> {
    let column = column?;
    let ord = column.term_ords(doc).next()?;
    let mut text = String::new();
    column.ord_to_str(ord, &mut text).ok()?;
    Some(text)
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
