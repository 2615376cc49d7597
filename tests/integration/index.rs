//! `locsearch index` / `stats`: build, rebuild, incremental updates, locking, kills, damage.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use locsearch_index::{BuildOptions, Catalog, IndexError, Manifest, build};

use crate::support::{locsearch, real_corpus, repo_root, stderr, stdout};

/// A private copy of the sample corpus to edit.
pub fn sample_copy(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    copy_dir(&repo_root().join("corpus"), &corpus);
    corpus
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn quiet_build(corpus: &Path, index: &Path, rebuild: bool) -> locsearch_index::BuildReport {
    build(
        corpus,
        index,
        &BuildOptions {
            rebuild,
            ..Default::default()
        },
        |_| {},
        |_| {},
    )
    .unwrap()
}

/// `locsearch index CORPUS --index INDEX`, as a user runs it; it must succeed.
pub fn cli_index(corpus: &Path, index: &Path) {
    let out = locsearch(
        &[
            "index",
            corpus.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ],
        corpus.parent().unwrap_or(corpus),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

pub fn documents(index: &Path) -> u64 {
    Catalog::open(index)
        .unwrap()
        .manifest
        .locales
        .values()
        .map(|l| l.documents)
        .sum()
}

/// The hits (locale and path) the index gives for a query.
pub fn hits(index: &Path, query: &str) -> Vec<(String, String)> {
    locsearch_query::Searcher::open(index)
        .unwrap()
        .search(&locsearch_query::Request::new(query))
        .unwrap()
        .into_iter()
        .map(|h| (h.locale, h.path))
        .collect()
}

/// Articles of equal score come in path order however the index is laid out: one built in
/// two runs (two tantivy segments) answers as one built at once.
#[test]
fn equal_scores_come_in_path_order_after_an_incremental_build() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let incremental = dir.path().join("incremental");
    quiet_build(&corpus, &incremental, false);
    add_bulk_articles(&corpus, 30);
    quiet_build(&corpus, &incremental, false);
    let clean = dir.path().join("clean");
    quiet_build(&corpus, &clean, false);
    let query = "sharing link greyed out";
    let answered = hits(&incremental, query);
    assert_eq!(
        answered[0].1, "sl-SI/AlchemyInsights/sharing-link-greyed-out.md",
        "{answered:?}"
    );
    assert_eq!(answered, hits(&clean, query));
}

#[test]
fn build_rebuild_and_incremental_updates() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");

    let first = quiet_build(&corpus, &index, false);
    assert_eq!((first.added, first.updated, first.removed), (11, 0, 0));
    assert_eq!(documents(&index), 11);
    let catalog = Catalog::open(&index).unwrap();
    assert_eq!(catalog.locales.len(), 10);
    assert_eq!(catalog.manifest.locales["sl-SI"].documents, 2);
    assert_eq!(catalog.manifest.locales["sl-SI"].segments, 17);
    assert_eq!(catalog.manifest.locales["zh-CN"].aligned, 0);
    // The index itself: an article document and a segment document per segment.
    assert_eq!(live_documents(&index, "sl-SI"), 2 + 17);
    drop(catalog);

    // Unchanged corpus: no work, nothing written.
    let manifest_before = std::fs::read(index.join("manifest.json")).unwrap();
    let again = quiet_build(&corpus, &index, false);
    assert!(!again.changed);
    assert_eq!(
        (again.added, again.updated, again.removed, again.unchanged),
        (0, 0, 0, 11)
    );
    assert_eq!(
        std::fs::read(index.join("manifest.json")).unwrap(),
        manifest_before
    );

    // Edit one file, delete one, add one.
    let edited = corpus.join("de-DE/AlchemyInsights/password-reset-button-greyed-out.md");
    let text = std::fs::read_to_string(&edited)
        .unwrap()
        .replace("ausgegraut", "abgeblendet");
    std::fs::write(&edited, text).unwrap();
    std::fs::remove_file(corpus.join("he-IL/AlchemyInsights/sharing-link-greyed-out.md")).unwrap();
    std::fs::copy(
        corpus.join("sl-SI/AlchemyInsights/sharing-link-greyed-out.md"),
        corpus.join("sl-SI/AlchemyInsights/sharing-link-copy.md"),
    )
    .unwrap();
    let update = quiet_build(&corpus, &index, false);
    assert_eq!(
        (
            update.added,
            update.updated,
            update.removed,
            update.unchanged
        ),
        (1, 1, 1, 9)
    );
    assert_eq!(documents(&index), 11);
    let catalog = Catalog::open(&index).unwrap();
    assert!(
        !catalog.locales.contains_key("he-IL"),
        "a locale with no documents left is dropped"
    );
    assert_eq!(catalog.manifest.locales["sl-SI"].documents, 3);
    assert_no_stale_segments(&catalog);
    drop(catalog);
    let searcher = locsearch_query::Searcher::open(&index).unwrap();
    let hits = searcher
        .search(&locsearch_query::Request::new("abgeblendet"))
        .unwrap();
    assert_eq!(hits.len(), 1, "the edited text is searchable");
    assert!(
        searcher
            .search(&locsearch_query::Request::new("ausgegraut"))
            .unwrap()
            .is_empty(),
        "the old text is gone"
    );

    // Twice the same corpus never duplicates; --rebuild starts clean with the same counts.
    let rebuilt = quiet_build(&corpus, &index, true);
    assert_eq!(rebuilt.added, 11);
    assert_eq!(documents(&index), 11);
    assert_no_stale_segments(&Catalog::open(&index).unwrap());
}

/// Every locale index holds exactly one article document per article and one segment
/// document per segment: an update that left an old segment behind fails here.
/// A hit matched through the English source lists the locales its article is in: not one
/// whose copy an update deleted (its documents are still in the segment, marked deleted).
#[test]
fn a_deleted_copy_leaves_the_locales_of_its_english_hit() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let locales = || {
        let searcher = locsearch_query::Searcher::open(&index).unwrap();
        let hits = searcher
            .search(&locsearch_query::Request::new("greyed-out reset button"))
            .unwrap();
        assert_eq!(hits[0].matched, "source");
        hits[0].locales.clone()
    };
    let before = locales();
    assert!(before.contains(&"sl-SI".to_owned()), "{before:?}");
    std::fs::remove_file(corpus.join("sl-SI/AlchemyInsights/password-reset-button-greyed-out.md"))
        .unwrap();
    quiet_build(&corpus, &index, false);
    let catalog = Catalog::open(&index).unwrap();
    assert!(
        catalog.locales["sl-SI"].reader.searcher().segment_readers()[0].has_deletes(),
        "the copy's documents are marked deleted, not merged away"
    );
    drop(catalog);
    let expected: Vec<String> = before.into_iter().filter(|l| l != "sl-SI").collect();
    assert_eq!(locales(), expected);
}

fn assert_no_stale_segments(catalog: &Catalog) {
    for (locale, entry) in &catalog.manifest.locales {
        assert_eq!(
            live_documents(&catalog.dir, locale),
            entry.documents + entry.segments,
            "{locale}"
        );
    }
}

#[test]
fn a_build_killed_between_its_two_records_is_completed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let manifest_path = index.join("manifest.json");
    let good: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    // As if killed after `files.json` was renamed and before `manifest.json` was: the old
    // manifest (other counts, another digest) beside the new file hashes.
    let mut old = good.clone();
    old["files_digest"] = 1.into();
    old["locales"]["sl-SI"]["documents"] = 1.into();
    old["locales"]["sl-SI"]["segments"] = 3.into();
    std::fs::write(&manifest_path, serde_json::to_string(&old).unwrap()).unwrap();
    assert!(
        Manifest::read_with_files(&index).unwrap().unwrap().1,
        "seen as stale"
    );

    let report = quiet_build(&corpus, &index, false);
    assert_eq!((report.added, report.updated, report.removed), (0, 0, 0));
    assert!(report.changed, "the manifest is rewritten");
    let (manifest, stale) = Manifest::read_with_files(&index).unwrap().unwrap();
    assert!(!stale);
    assert_eq!(manifest.locales["sl-SI"].documents, 2);
    assert_eq!(manifest.locales["sl-SI"].segments, 17);
    assert_eq!(
        manifest.files_digest,
        good["files_digest"].as_u64().unwrap()
    );
    assert_eq!(documents(&index), 11);
}

#[test]
fn cli_index_stats_and_json_summary() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let out = locsearch(
        &[
            "index",
            corpus.to_str().unwrap(),
            "--index",
            "idx",
            "--json",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).is_empty(),
        "nothing but diagnostics on stderr, and no progress bar on a pipe"
    );
    let summary: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(summary["added"], 11);
    let out = locsearch(&["stats", "--index", "idx", "--json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 10);
    let ja = lines.iter().find(|l| l["locale"] == "ja-JP").unwrap();
    assert_eq!(
        ja["analyzer"],
        format!(
            "japanese v{}",
            locsearch_analysis::resolve("ja-JP").info.version
        )
    );
    assert_eq!(ja["documents"], 1);
    assert!(ja["bytes_on_disk"].as_u64().unwrap() > 0);
}

#[test]
fn a_second_writer_is_refused_with_the_pid() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    // This test process holds the lock, as a running `locsearch index` would.
    let mut held = std::fs::OpenOptions::new()
        .write(true)
        .open(index.join(".lock"))
        .unwrap();
    held.lock().unwrap();
    held.set_len(0).unwrap();
    write!(held, "{}", std::process::id()).unwrap();
    let args = [
        "index",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ];
    let out = locsearch(&args, dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("locked by process {}", std::process::id())),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("hint:"), "{}", stderr(&out));
    // The holder lets go: the next writer gets in, and the lock file stays where it was.
    drop(held);
    let report = quiet_build(&corpus, &index, false);
    assert_eq!(report.unchanged, 11);
    assert!(index.join(".lock").exists());
}

/// `index --rebuild`s started together: one builds, the others are refused with a hint,
/// and the index afterwards is a whole one (a loser never removes the winner's lock).
#[test]
fn concurrent_rebuilds_never_both_get_in() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    cli_index(&corpus, &index);
    // Through the binary only, so that the test can be run against any build of it.
    let search = || {
        let out = locsearch(
            &["search", "zatemnjen", "--index", index.to_str().unwrap()],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let expected = search();
    assert!(expected.contains("sl-SI"), "{expected}");
    let args = [
        "index",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        "--rebuild",
    ];
    // Three writers at once, thirty times: a lock taken in two steps let two in about once
    // in twenty tries.
    for _ in 0..30 {
        let racers: Vec<_> = (0..3)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_locsearch"))
                    .args(args)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for racer in racers {
            let out = racer.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() || err.contains("is locked by"),
                "neither built nor refused cleanly: {err}"
            );
        }
        assert_eq!(search(), expected);
    }
}

/// Files per locale added before the kills: enough for a build of a few seconds.
const BULK: usize = 6000;

#[test]
fn sigkill_mid_build_leaves_the_last_commit_readable_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    add_bulk_articles(&corpus, BULK);
    // Kill at several moments; each time the last commit must stay readable.
    let mut killed = 0;
    for delay_ms in [30, 250, 900] {
        if index_killed_after(&corpus, &index, false, delay_ms) {
            killed += 1;
        }
        let searcher =
            locsearch_query::Searcher::open(&index).expect("index readable after SIGKILL");
        assert!(
            !searcher
                .search(&locsearch_query::Request::new("zatemnjen"))
                .unwrap()
                .is_empty()
        );
    }
    assert!(
        killed > 0,
        "no build was still running when killed: make BULK larger"
    );
    // A re-run completes it, with exact counts: no duplicates of what was half-written.
    let report = quiet_build(&corpus, &index, false);
    assert_eq!(report.errors, 0);
    assert_eq!(documents(&index), 11 + 3 * BULK as u64);
}

#[test]
fn foreign_damaged_and_incompatible_directories_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());

    let foreign = dir.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.docx"), "not an index").unwrap();
    let out = locsearch(
        &[
            "index",
            corpus.to_str().unwrap(),
            "--index",
            foreign.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a locsearch index"),
        "{}",
        stderr(&out)
    );
    assert!(
        foreign.join("thesis.docx").exists(),
        "nothing of it was touched"
    );

    let missing = dir.path().join("nothing-here");
    assert!(matches!(
        Catalog::open(&missing),
        Err(IndexError::Missing { .. })
    ));
    let out = locsearch(
        &["search", "x", "--index", missing.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("hint: build one with `locsearch index"),
        "{}",
        stderr(&out)
    );

    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let manifest_path = index.join("manifest.json");
    let original = std::fs::read_to_string(&manifest_path).unwrap();
    let mut changed: serde_json::Value = serde_json::from_str(&original).unwrap();
    changed["locales"]["sl-SI"]["analyzer"]["version"] = 99.into();
    std::fs::write(&manifest_path, serde_json::to_string(&changed).unwrap()).unwrap();
    let out = locsearch(
        &["search", "gumb", "--index", index.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("v99, this locsearch has"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--rebuild"), "{}", stderr(&out));

    // An index of an older format: refused, and `--rebuild` (the hint) replaces it.
    let mut older: serde_json::Value = serde_json::from_str(&original).unwrap();
    older["format"] = 1.into();
    std::fs::write(&manifest_path, serde_json::to_string(&older).unwrap()).unwrap();
    let index_arg = index.to_str().unwrap();
    let out = locsearch(
        &["index", corpus.to_str().unwrap(), "--index", index_arg],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("index format 1") && stderr(&out).contains("--rebuild"),
        "{}",
        stderr(&out)
    );
    let out = locsearch(
        &[
            "index",
            corpus.to_str().unwrap(),
            "--index",
            index_arg,
            "--rebuild",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(documents(&index), 11);

    std::fs::write(index.join("sl-SI/meta.json"), "{ garbage").unwrap();
    let out = locsearch(
        &["search", "gumb", "--index", index.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is damaged"), "{}", stderr(&out));
    std::fs::write(&manifest_path, "not json").unwrap();
    let out = locsearch(&["stats", "--index", index.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a locsearch manifest"),
        "{}",
        stderr(&out)
    );
}

/// The whole real corpus, built once into target/ and reused by the quality test.
pub fn real_index() -> Option<PathBuf> {
    static BUILT: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(dir) = built.as_ref() {
        return Some(dir.clone());
    }
    let corpus = real_corpus()?;
    let index = repo_root().join("target/test-data/alchemy-index");
    // Built by this very code, or built again: a change to the parser, the analyzers or the
    // schema that bumps no version would otherwise leave the quality tests scoring an index
    // the old code wrote. The fingerprint is the binary's, which holds all of that code.
    let fingerprint = locsearch_ingest::fnv1a(
        &std::fs::read(env!("CARGO_BIN_EXE_locsearch")).expect("the locsearch binary"),
    )
    .to_string();
    let fingerprint_file = index.with_extension("fingerprint");
    let same_code = std::fs::read_to_string(&fingerprint_file).is_ok_and(|f| f == fingerprint);
    let options = BuildOptions {
        rebuild: !same_code,
        ..Default::default()
    };
    let report = match build(&corpus, &index, &options, |_| {}, |_| {}) {
        // Left by an older build of locsearch: start it again.
        Err(IndexError::Incompatible { .. }) => build(
            &corpus,
            &index,
            &BuildOptions {
                rebuild: true,
                ..Default::default()
            },
            |_| {},
            |_| {},
        )
        .unwrap(),
        other => other.unwrap(),
    };
    assert_eq!(
        report.errors,
        0,
        "{:?}",
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == locsearch_ingest::Severity::Error)
            .collect::<Vec<_>>()
    );
    std::fs::write(&fingerprint_file, fingerprint).expect("write the fingerprint");
    *built = Some(index.clone());
    Some(index)
}

#[test]
fn real_corpus_indexes_with_zero_errors() {
    let Some(index) = real_index() else { return };
    let catalog = Catalog::open(&index).unwrap();
    assert_eq!(catalog.locales.len(), 36);
    let (manifest, stale) = Manifest::read_with_files(&index).unwrap().unwrap();
    assert!(!stale);
    assert_eq!(manifest.files.len(), 104_926);
    let docs: u64 = catalog.manifest.locales.values().map(|l| l.documents).sum();
    assert_eq!(docs, 104_926);
    let aligned: u64 = catalog.manifest.locales.values().map(|l| l.aligned).sum();
    assert_eq!(aligned, 974_037);
}

/// Enough new files in three locales that a build is still running when it is killed.
pub fn add_bulk_articles(corpus: &Path, per_locale: usize) {
    let template =
        std::fs::read_to_string(corpus.join("sl-SI/AlchemyInsights/sharing-link-greyed-out.md"))
            .unwrap();
    for locale in ["sl-SI", "de-DE", "fr-FR"] {
        let folder = corpus.join(locale).join("bulk");
        std::fs::create_dir_all(&folder).unwrap();
        for i in 0..per_locale {
            let text = template.replace(
                "ms.contentlocale: sl-SI",
                &format!("ms.contentlocale: {locale}"),
            );
            std::fs::write(
                folder.join(format!("article-{i}.md")),
                format!("{text}\nNumber {i}.\n"),
            )
            .unwrap();
        }
    }
}

/// A first build skips the delete-by-path for locale indexes it creates. Killed midway, it
/// leaves created indexes with documents and no record of them: the re-run must replace
/// those documents, not add them again.
#[test]
fn a_first_build_killed_midway_is_completed_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    add_bulk_articles(&corpus, BULK);
    let index = dir.path().join("index");
    // Killed as soon as a first commit is seen, so the kill lands after a commit and before
    // the end however fast or loaded the machine is.
    let killed = index_killed_when(&corpus, &index, || committed_documents(&index) > 0);
    assert!(
        killed,
        "the build ended before a commit was seen: make BULK larger"
    );
    assert!(committed_documents(&index) > 0);
    let report = quiet_build(&corpus, &index, false);
    assert_eq!(report.errors, 0);
    assert_eq!(documents(&index), 11 + 3 * BULK as u64);
}

/// A first build killed after creating a locale's directory and before tantivy wrote its
/// `meta.json` leaves a directory with nothing or only tantivy's own dot-files in it: the next
/// run completes the build. A locale-named directory holding anything else is still foreign.
#[test]
fn a_first_build_killed_while_creating_a_locale_index_is_completed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    std::fs::create_dir_all(index.join("sl-SI")).unwrap();
    std::fs::create_dir_all(index.join("de-DE")).unwrap();
    std::fs::write(index.join("de-DE/.managed.json"), "[]").unwrap();
    let report = quiet_build(&corpus, &index, false);
    assert_eq!((report.added, report.errors), (11, 0));
    assert_eq!(documents(&index), 11);
    assert_no_stale_segments(&Catalog::open(&index).unwrap());

    let other = dir.path().join("other");
    std::fs::create_dir_all(other.join("sl-SI")).unwrap();
    std::fs::write(other.join("sl-SI/notes.txt"), "mine").unwrap();
    let refused = build(&corpus, &other, &BuildOptions::default(), |_| {}, |_| {});
    assert!(
        matches!(refused, Err(IndexError::Foreign { .. })),
        "{:?}",
        refused.map(|r| r.added)
    );
    assert!(other.join("sl-SI/notes.txt").exists());
}

/// Live tantivy documents (article and segment documents) in one locale's index.
fn live_documents(index: &Path, locale: &str) -> u64 {
    let index = tantivy::Index::open_in_dir(index.join(locale)).unwrap();
    index.reader().unwrap().searcher().num_docs()
}

/// Live documents in every locale index under `index`, whatever the manifest says.
fn committed_documents(index: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(index) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.path().join("meta.json").exists())
        // A build may be writing it: what cannot be opened yet counts nothing.
        .filter_map(|e| {
            let index = tantivy::Index::open_in_dir(e.path()).ok()?;
            Some(index.reader().ok()?.searcher().num_docs())
        })
        .sum()
}

/// A fresh build gives each locale one segment (one indexing thread per writer, a budget that
/// holds a locale): every search looks each term up once per locale, not once per segment.
#[test]
fn a_fresh_build_gives_each_locale_one_segment() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let template =
        std::fs::read_to_string(corpus.join("sl-SI/AlchemyInsights/sharing-link-greyed-out.md"))
            .unwrap();
    let folder = corpus.join("sl-SI/bulk");
    std::fs::create_dir_all(&folder).unwrap();
    for i in 0..400 {
        std::fs::write(
            folder.join(format!("article-{i}.md")),
            format!("{template}\nNumber {i}.\n"),
        )
        .unwrap();
    }
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    for entry in std::fs::read_dir(&index).unwrap().flatten() {
        if !entry.path().join("meta.json").exists() {
            continue;
        }
        let segments = tantivy::Index::open_in_dir(entry.path())
            .unwrap()
            .searchable_segment_ids()
            .unwrap();
        assert_eq!(segments.len(), 1, "{:?}", entry.file_name());
    }
}

/// Starts `locsearch index` and sends it SIGKILL as soon as `ready()` holds (polled every few
/// milliseconds); false if it had already finished.
fn index_killed_when(corpus: &Path, index: &Path, ready: impl Fn() -> bool) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_locsearch"))
        .args([
            "index",
            corpus.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while !ready() && child.try_wait().unwrap().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix; harmless if it has exited
    !child.wait().unwrap().success()
}

/// Starts `locsearch index` (with `--rebuild` or not) and sends it SIGKILL after `delay_ms`;
/// false if it had already finished.
pub fn index_killed_after(corpus: &Path, index: &Path, rebuild: bool, delay_ms: u64) -> bool {
    let mut args = vec![
        "index",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ];
    if rebuild {
        args.push("--rebuild");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_locsearch"))
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(delay_ms));
    child.kill().unwrap(); // SIGKILL on Unix
    !child.wait().unwrap().success()
}

/// Between two incremental runs a file moves to another locale (its front matter says so),
/// then becomes unreadable: each run leaves it exactly once where it now belongs, then nowhere.
#[test]
fn a_file_changing_locale_then_becoming_unreadable_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let locale_documents = |locale: &str| {
        Catalog::open(&index)
            .unwrap()
            .manifest
            .locales
            .get(locale)
            .map_or(0, |l| l.documents)
    };
    let sl_before = locale_documents("sl-SI");
    let file = corpus.join("sl-SI/AlchemyInsights/sharing-link-greyed-out.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("ms.contentlocale: sl-SI"));
    std::fs::write(
        &file,
        text.replace("ms.contentlocale: sl-SI", "ms.contentlocale: hr-HR"),
    )
    .unwrap();
    let report = quiet_build(&corpus, &index, false);
    assert_eq!((report.updated, report.errors), (1, 0));
    assert_eq!(locale_documents("sl-SI"), sl_before - 1);
    assert_eq!(locale_documents("hr-HR"), 1);
    assert_eq!(documents(&index), 11);

    std::fs::write(
        &file,
        b"---\nms.contentlocale: hr-HR\n---\n\xff\xfe broken\n",
    )
    .unwrap();
    let report = quiet_build(&corpus, &index, false);
    assert_eq!((report.removed, report.errors), (1, 1));
    assert_eq!(locale_documents("hr-HR"), 0);
    assert_eq!(documents(&index), 10);
}

/// Without the Japanese dictionary: `doctor` says MISSING and exits 1, `analyze` of Japanese
/// is an error (exit 2), and `index` indexes every other locale, fails the Japanese file
/// loudly and exits 1.
#[test]
fn a_missing_japanese_dictionary_is_reported_and_the_rest_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_locsearch"))
            .args(args)
            .env("LOCSEARCH_IPADIC_DIR", dir.path().join("no-dictionary"))
            .output()
            .unwrap()
    };
    let doctor = run(&["doctor"]);
    assert_eq!(doctor.status.code(), Some(1));
    assert!(
        stdout(&doctor).contains("MISSING  japanese"),
        "{}",
        stdout(&doctor)
    );
    let analyze = run(&["analyze", "--lang", "ja-JP", "共有リンク"]);
    assert_eq!(analyze.status.code(), Some(2));
    assert!(
        stderr(&analyze).contains("Japanese dictionary"),
        "{}",
        stderr(&analyze)
    );
    let built = run(&[
        "index",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert_eq!(built.status.code(), Some(1), "{}", stderr(&built));
    assert!(stderr(&built).contains("ja-JP"), "{}", stderr(&built));
    assert_eq!(documents(&index), 10);
}

/// Japanese needs no system package: the dictionary the binary uses was compiled from the
/// IPADIC source that comes with the repository (unpacked beside it by the build), never from
/// `/usr/share/mecab`, and it cuts real words.
#[test]
fn the_japanese_dictionary_comes_with_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let doctor = stdout(&locsearch(&["doctor"], dir.path()));
    let compiled = doctor
        .lines()
        .find_map(|l| l.strip_prefix("Japanese dictionary: "))
        .unwrap_or_else(|| panic!("{doctor}"));
    assert!(!compiled.starts_with("/usr/share"), "{compiled}");
    let unpacked = Path::new(compiled).with_file_name("ipadic-src/ipadic");
    assert!(
        unpacked.join("COPYING").is_file() && unpacked.join("matrix.def").is_file(),
        "the vendored source (crates/analysis/dict/ipadic.tar.xz) was not what the build used"
    );
    let words = stdout(&locsearch(
        &[
            "analyze",
            "--lang",
            "ja-JP",
            "パスワードのリセットボタンが灰色",
        ],
        dir.path(),
    ));
    for word in ["パスワード", "リセット", "ボタン", "灰色"] {
        assert!(words.contains(word), "{words}");
    }
}

/// (locale, path, score) of every hit, for comparing two indexes' answers exactly.
fn scored_hits(index: &Path, query: &str) -> Vec<(String, String, f32)> {
    locsearch_query::Searcher::open(index)
        .unwrap()
        .search(&locsearch_query::Request::new(query))
        .unwrap()
        .into_iter()
        .map(|h| (h.locale, h.path, h.score))
        .collect()
}

#[test]
fn parts_built_apart_and_merged_answer_as_one_build_does() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let arg = |p: &Path| p.to_str().unwrap().to_owned();
    let whole = dir.path().join("whole");
    cli_index(&corpus, &whole);
    let mut locales: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    locales.sort();
    let (first, second) = locales.split_at(locales.len() / 2);
    let parts = [dir.path().join("part-a"), dir.path().join("part-b")];
    for (part, its) in parts.iter().zip([first, second]) {
        let out = locsearch(
            &[
                "index",
                &arg(&corpus),
                "--locales",
                &its.join(","),
                "--index",
                &arg(part),
            ],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let manifest = Manifest::read(part).unwrap().unwrap();
        assert_eq!(manifest.locales.keys().cloned().collect::<Vec<_>>(), its);
    }
    let merged = dir.path().join("merged");
    let merge = |target: &Path, parts: &[&Path]| {
        let mut args = vec!["merge".to_owned()];
        args.extend(parts.iter().map(|p| arg(p)));
        args.extend(["--index".to_owned(), arg(target)]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        locsearch(&args, dir.path())
    };
    let out = merge(&merged, &[&parts[0], &parts[1]]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("{} locales", locales.len())),
        "{}",
        stdout(&out)
    );

    for query in [
        "greyed-out reset button",
        "sharing link",
        "Kennwort zurücksetzen",
        "geslo",
        "密码",
        "共用連結",
        "パスワード",
    ] {
        let expected = scored_hits(&whole, query);
        assert!(!expected.is_empty(), "{query}");
        assert_eq!(scored_hits(&merged, query), expected, "{query}");
    }
    let relations = |index: &Path| {
        std::fs::read_to_string(index.join("relations/english-paraphrases.tsv")).unwrap()
    };
    assert_eq!(relations(&merged), relations(&whole));

    // A locale in two parts, and a target that is not empty, are refused and change nothing.
    let twice = merge(&dir.path().join("twice"), &[&parts[0], &parts[0]]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        stderr(&twice).contains("is in two parts"),
        "{}",
        stderr(&twice)
    );
    let again = merge(&merged, &[&parts[0], &parts[1]]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));
    assert_eq!(scored_hits(&merged, "geslo"), scored_hits(&whole, "geslo"));
}
