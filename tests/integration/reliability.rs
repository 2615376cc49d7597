//! What a crash, a second writer, a damaged file or a mistaken command must not do: lose or
//! misreport what was committed, or touch what is not ours.

use std::path::Path;

use locsearch_index::{BuildOptions, Catalog, IndexError, Manifest, build};

use crate::index::{
    add_bulk_articles, cli_index, copy_dir, documents, hits, index_killed_after, quiet_build,
    sample_copy,
};
use crate::support::{locsearch, stderr, stdout};

/// What a clean build of a corpus answers: per-locale counts, and the hits of a few queries
/// (Slovenian, German, Japanese, an English one over every locale).
#[derive(Debug, PartialEq)]
struct Answers {
    counts: Vec<(String, u64, u64, u64)>,
    hits: Vec<Vec<(String, String)>>,
}

const QUERIES: &[&str] = &[
    "zatemnjen",
    "Freigabelink",
    "共有リンク",
    "sharing link greyed out",
];

fn answers(index: &Path) -> Answers {
    let catalog = Catalog::open(index).unwrap();
    Answers {
        counts: catalog
            .manifest
            .locales
            .iter()
            .map(|(l, e)| (l.clone(), e.documents, e.segments, e.aligned))
            .collect(),
        hits: QUERIES.iter().map(|q| hits(index, q)).collect(),
    }
}

/// 30 SIGKILLs at spread-out moments of `index` and `index --rebuild`: after each, one plain
/// `index` run must give exactly what a clean build gives, counts and hits. The moments are
/// fractions of how long the same work takes on this machine, so a faster or slower machine
/// kills as often.
#[test]
fn killed_builds_and_rebuilds_are_completed_exactly_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    add_bulk_articles(&corpus, 1500);
    let clean = dir.path().join("clean");
    let timed = |work: &dyn Fn()| {
        let started = std::time::Instant::now();
        work();
        started.elapsed()
    };
    let full_build = timed(&|| {
        quiet_build(&corpus, &clean, false);
    });

    let index = dir.path().join("index");
    let mut killed = 0;
    for round in 0..30u64 {
        let rebuild = round % 2 == 1;
        let mut work = full_build;
        // A plain run over an existing index has little to do: give it a third of a locale.
        if !rebuild {
            let template = std::fs::read_to_string(corpus.join("de-DE/bulk/article-0.md")).unwrap();
            for i in 1..500 {
                std::fs::write(
                    corpus.join(format!("de-DE/bulk/article-{i}.md")),
                    format!("{template}\nRound {round}.\n"),
                )
                .unwrap();
            }
            work = timed(&|| {
                quiet_build(&corpus, &clean, false);
            });
        }
        // From 2% to 90% of the way through, spread over the rounds.
        let fraction = 0.02 + 0.88 * ((round * 7) % 30) as f64 / 29.0;
        let delay_ms = (work.as_secs_f64() * fraction * 1e3) as u64;
        killed += u32::from(index_killed_after(&corpus, &index, rebuild, delay_ms));
        // The repair is what a user runs: `locsearch index` again.
        cli_index(&corpus, &index);
        assert_eq!(
            answers(&index),
            answers(&clean),
            "round {round}, killed after {delay_ms} ms"
        );
    }
    eprintln!("{killed} of 30 runs killed mid-build");
    assert!(
        killed >= 20,
        "only {killed} of 30 runs were killed mid-build"
    );
}

/// The moments that matter, made deterministic: a rebuild that got as far as recording
/// "incomplete" (old locale indexes still there), and one killed while emptying its trash.
#[test]
fn an_interrupted_rebuild_is_refused_for_search_and_completed_by_index() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let expected = answers(&index);

    // The state a rebuild writes first: the manifest says incomplete, from this corpus.
    let mut manifest = Manifest::read(&index).unwrap().unwrap();
    manifest.complete = false;
    manifest.locales.clear();
    manifest.write(&index).unwrap();
    std::fs::create_dir_all(index.join(".locsearch-trash/de-DE")).unwrap();
    std::fs::write(
        index.join(".locsearch-trash/de-DE/0123456789abcdef0123456789abcdef.idx"),
        "half-deleted",
    )
    .unwrap();

    assert!(matches!(
        Catalog::open(&index),
        Err(IndexError::Unfinished { .. })
    ));
    let index_arg = index.to_str().unwrap();
    let out = locsearch(&["search", "zatemnjen", "--index", index_arg], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unfinished") && stderr(&out).contains("hint: complete it"),
        "{}",
        stderr(&out)
    );
    // `index` with no corpus argument completes it from the recorded corpus.
    let out = locsearch(&["index", "--index", index_arg], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(answers(&index), expected);
    assert!(!index.join(".locsearch-trash").exists());
}

/// `--rebuild` removes only what locsearch made. A directory holding anything else — even
/// with a manifest of another format, whose hint says to rebuild — is refused untouched.
#[test]
fn rebuild_never_deletes_what_locsearch_did_not_make() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let project = dir.path().join("project");
    for (path, text) in [
        ("manifest.json", r#"{"format": 1, "name": "my-app"}"#),
        ("src/main.rs", "fn main() {}"),
        ("lib/util.rs", "pub fn f() {}"),
        ("doc/index.md", "# docs"),
        ("bak/old.txt", "keep me"),
    ] {
        let path = project.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let project_arg = project.to_str().unwrap();
    let corpus_arg = corpus.to_str().unwrap();
    for args in [
        &["index", corpus_arg, "--index", project_arg][..],
        &["index", corpus_arg, "--index", project_arg, "--rebuild"][..],
    ] {
        let out = locsearch(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("locsearch changed nothing here"),
            "{}",
            stderr(&out)
        );
    }
    for path in ["src/main.rs", "lib/util.rs", "doc/index.md", "bak/old.txt"] {
        assert!(project.join(path).exists(), "{path} was deleted");
    }

    // A real index with a folder of the user's in it: refused too, the folder kept.
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    std::fs::create_dir_all(index.join("bak")).unwrap();
    std::fs::write(index.join("bak/notes.txt"), "mine").unwrap();
    let refused = build(
        &corpus,
        &index,
        &BuildOptions {
            rebuild: true,
            ..Default::default()
        },
        |_| {},
        |_| {},
    );
    assert!(matches!(refused, Err(IndexError::Foreign { .. })));
    assert!(index.join("bak/notes.txt").exists());
    assert_eq!(documents(&index), 11);
}

/// An index remembers its corpus: `index` without one updates from it, and another corpus is
/// refused (with both commands in the hint) unless `--rebuild` says to replace it.
#[test]
fn an_index_is_never_switched_to_another_corpus_silently() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let other = dir.path().join("other");
    copy_dir(&corpus.join("sl-SI"), &other.join("sl-SI"));
    let index_arg = index.to_str().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();

    // From a directory with no corpus: the recorded one, not the embedded sample.
    let out = locsearch(&["index", "--index", index_arg], elsewhere.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("11 unchanged"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let other_arg = other.to_str().unwrap();
    let out = locsearch(&["index", other_arg, "--index", index_arg], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("was built from") && stderr(&out).contains("add --rebuild"),
        "{}",
        stderr(&out)
    );
    assert_eq!(documents(&index), 11);

    let out = locsearch(
        &["index", other_arg, "--index", index_arg, "--rebuild"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(documents(&index) < 11);
}

/// Copies an index so each kind of damage starts from a good one.
fn damaged_copy(good: &Path, to: &Path, damage: impl FnOnce(&Path)) {
    copy_dir(good, to);
    damage(to);
}

fn segment_file(index: &Path, locale: &str, ext: &str) -> std::path::PathBuf {
    std::fs::read_dir(index.join(locale))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == ext))
        .unwrap_or_else(|| panic!("no .{ext} file in {locale}"))
}

fn flip_bytes(path: &Path, count: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    let len = bytes.len();
    let step = (len / (count + 1)).max(1);
    for i in 0..count.min(len) {
        bytes[(i + 1) * step % len] ^= 0x5a;
    }
    std::fs::write(path, bytes).unwrap();
}

fn edit_meta(index: &Path, locale: &str, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = index.join(locale).join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut meta);
    std::fs::write(&path, serde_json::to_string(&meta).unwrap()).unwrap();
}

type Damage = fn(&Path);

/// Every kind of damage the hostile probe found answered wrongly or with a panic: no panic, no
/// silent wrong answer (`check` names the locale; `search` either refuses or is right), and
/// `index` repairs it to a clean build's answers.
#[test]
fn damaged_indexes_are_detected_named_and_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let good = dir.path().join("good");
    quiet_build(&corpus, &good, false);
    let expected = answers(&good);
    let damages: &[(&str, Damage)] = &[
        ("flipped .fast", |i| {
            flip_bytes(&segment_file(i, "sl-SI", "fast"), 64)
        }),
        ("flipped .store", |i| {
            flip_bytes(&segment_file(i, "sl-SI", "store"), 16)
        }),
        ("flipped .term", |i| {
            flip_bytes(&segment_file(i, "sl-SI", "term"), 1)
        }),
        ("flipped .idx", |i| {
            flip_bytes(&segment_file(i, "sl-SI", "idx"), 8)
        }),
        ("truncated .pos", |i| {
            let path = segment_file(i, "sl-SI", "pos");
            let len = std::fs::metadata(&path).unwrap().len();
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(len / 2)
                .unwrap();
        }),
        ("deleted .store", |i| {
            std::fs::remove_file(segment_file(i, "sl-SI", "store")).unwrap()
        }),
        ("max_doc + 1000", |i| {
            edit_meta(i, "sl-SI", |m| {
                let max = m["segments"][0]["max_doc"].as_u64().unwrap();
                m["segments"][0]["max_doc"] = (max + 1000).into();
            })
        }),
        ("max_doc - 1000", |i| {
            edit_meta(i, "sl-SI", |m| {
                let max = m["segments"][0]["max_doc"].as_u64().unwrap();
                m["segments"][0]["max_doc"] = max.saturating_sub(1000).into();
            })
        }),
        ("emptied segment list", |i| {
            edit_meta(i, "sl-SI", |m| m["segments"] = serde_json::json!([]))
        }),
        ("swapped locale directories", |i| {
            std::fs::rename(i.join("sl-SI"), i.join("swap")).unwrap();
            std::fs::rename(i.join("de-DE"), i.join("sl-SI")).unwrap();
            std::fs::rename(i.join("swap"), i.join("de-DE")).unwrap();
        }),
    ];
    for (n, (what, damage)) in damages.iter().enumerate() {
        let index = dir.path().join(format!("damaged-{n}"));
        damaged_copy(&good, &index, damage);
        let index_arg = index.to_str().unwrap();
        let check = locsearch(&["check", "--index", index_arg], dir.path());
        assert_eq!(check.status.code(), Some(2), "{what}: {}", stderr(&check));
        assert!(
            stderr(&check).contains("is damaged") && stderr(&check).contains("hint:"),
            "{what}: {}",
            stderr(&check)
        );
        for (query, right) in QUERIES.iter().zip(&expected.hits) {
            let out = locsearch(
                &["search", query, "--index", index_arg, "--json"],
                dir.path(),
            );
            assert_ne!(out.status.code(), Some(101), "{what}: panicked on {query}");
            if out.status.success() {
                let answered: Vec<(String, String)> = crate::support::json_lines(&out)
                    .iter()
                    .map(|h| {
                        (
                            h["locale"].as_str().unwrap().into(),
                            h["path"].as_str().unwrap().into(),
                        )
                    })
                    .collect();
                assert_eq!(&answered, right, "{what}: a silent wrong answer to {query}");
            } else {
                assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(&out));
                assert!(stderr(&out).contains("damaged"), "{what}: {}", stderr(&out));
            }
        }
        let out = locsearch(
            &["index", corpus.to_str().unwrap(), "--index", index_arg],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(0), "{what}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("indexing it again"),
            "{what}: {}",
            stderr(&out)
        );
        assert_eq!(answers(&index), expected, "{what}: not repaired");
        let check = locsearch(&["check", "--index", index_arg], dir.path());
        assert_eq!(check.status.code(), Some(0), "{what}: {}", stderr(&check));
    }
}

/// A write that fails midway, as on a full disk (here a file-size limit, whose signal is
/// ignored so that the write fails instead of killing the process): the build stops with what
/// to do, the last commit answers as before and verifies, and the next run completes it to a
/// clean build's answers.
#[test]
fn a_write_that_fails_midway_keeps_the_last_commit_and_the_next_run_completes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let before = answers(&index);
    add_bulk_articles(&corpus, 300);
    let limited = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 256; exec \"$0\" index \"$1\" --index \"$2\"")
        .args([
            env!("CARGO_BIN_EXE_locsearch").as_ref(),
            corpus.as_os_str(),
            index.as_os_str(),
        ])
        .output()
        .unwrap();
    assert_eq!(limited.status.code(), Some(2), "{}", stderr(&limited));
    assert!(
        stderr(&limited).contains("File too large") && stderr(&limited).contains("hint:"),
        "{}",
        stderr(&limited)
    );
    assert_eq!(answers(&index), before, "the last commit changed");
    let check = locsearch(&["check", "--index", index.to_str().unwrap()], dir.path());
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    cli_index(&corpus, &index);
    let clean = dir.path().join("clean");
    quiet_build(&corpus, &clean, false);
    assert_eq!(answers(&index), answers(&clean));
}

/// Relation files, latent spaces and n-gram profiles are served with the index: one missing, outdated, edited
/// (a link that still parses) or emptied is named by `check`, refused by `search`, and mined
/// again, byte for byte, by the next `index`.
#[test]
fn damaged_relation_files_are_named_refused_and_mined_again() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let good = dir.path().join("good");
    quiet_build(&corpus, &good, false);
    let expected = answers(&good);
    let relations = |index: &Path, name: &str| index.join("relations").join(name);
    let damages: &[(&str, &str, Damage)] = &[
        ("a link added", "de-DE.tsv", |i| {
            let path = i.join("relations/de-DE.tsv");
            let mut text = std::fs::read_to_string(&path).unwrap();
            text.push_str("löschen\tform\tgelöscht\tgelosch\t0.5000\t1.0000\n");
            std::fs::write(path, text).unwrap();
        }),
        ("its checksum changed", "sl-SI.tsv", |i| {
            let path = i.join("relations/sl-SI.tsv");
            let text = std::fs::read_to_string(&path).unwrap();
            let (first, rest) = text.split_once('\n').unwrap();
            let flipped = if first.ends_with('0') { '1' } else { '0' };
            let first = format!("{}{flipped}", &first[..first.len() - 1]);
            std::fs::write(path, format!("{first}\n{rest}")).unwrap();
        }),
        ("an older version", "fr-FR.tsv", |i| {
            std::fs::write(i.join("relations/fr-FR.tsv"), "# locsearch relations 5\n").unwrap();
        }),
        ("emptied", "ja-JP.tsv", |i| {
            std::fs::write(i.join("relations/ja-JP.tsv"), "").unwrap();
        }),
        ("deleted", "ru-RU.tsv", |i| {
            std::fs::remove_file(i.join("relations/ru-RU.tsv")).unwrap();
        }),
        ("a latent space's byte flipped", "de-DE.latent", |i| {
            let path = i.join("relations/de-DE.latent");
            let mut bytes = std::fs::read(&path).unwrap();
            let last = bytes.len() - 1;
            bytes[last] ^= 1;
            std::fs::write(path, bytes).unwrap();
        }),
        ("a latent space deleted", "zh-CN.latent", |i| {
            std::fs::remove_file(i.join("relations/zh-CN.latent")).unwrap();
        }),
        ("n-gram profiles cut short", "sl-SI.grams", |i| {
            let path = i.join("relations/sl-SI.grams");
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
        }),
        ("n-gram profiles deleted", "fr-FR.grams", |i| {
            std::fs::remove_file(i.join("relations/fr-FR.grams")).unwrap();
        }),
        (
            "English paraphrases deleted",
            "english-paraphrases.tsv",
            |i| {
                std::fs::remove_file(i.join("relations/english-paraphrases.tsv")).unwrap();
            },
        ),
    ];
    for (n, (what, file, damage)) in damages.iter().enumerate() {
        let index = dir.path().join(format!("damaged-{n}"));
        damaged_copy(&good, &index, damage);
        let index_arg = index.to_str().unwrap();
        let check = locsearch(&["check", "--index", index_arg], dir.path());
        assert_eq!(check.status.code(), Some(2), "{what}: {}", stderr(&check));
        let named = format!("relations/{file}");
        assert!(
            stdout(&check).contains(&named),
            "{what}: {}",
            stdout(&check)
        );
        let out = locsearch(&["search", "Kennwort", "--index", index_arg], dir.path());
        assert_eq!(
            out.status.code(),
            Some(2),
            "{what}: served: {}",
            stdout(&out)
        );
        assert!(
            stderr(&out).contains(&named) && stderr(&out).contains("hint:"),
            "{what}: {}",
            stderr(&out)
        );
        let out = locsearch(&["index", "--index", index_arg], dir.path());
        assert_eq!(out.status.code(), Some(0), "{what}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("mining it again"),
            "{what}: {}",
            stderr(&out)
        );
        assert_eq!(
            std::fs::read(relations(&index, file)).unwrap(),
            std::fs::read(relations(&good, file)).unwrap(),
            "{what}: not mined again"
        );
        let check = locsearch(&["check", "--index", index_arg], dir.path());
        assert_eq!(check.status.code(), Some(0), "{what}: {}", stderr(&check));
        assert_eq!(answers(&index), expected, "{what}");
    }
}

/// The expensive shape a hostile probe found (thousands of one-letter words) costs what its
/// first words cost, and a request whose stop is reached does no more work.
#[test]
fn long_queries_are_capped_and_stopped_requests_do_no_work() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let letters: Vec<String> = (0..2000)
        .map(|i| char::from(b'a' + (i % 26) as u8).to_string())
        .collect();
    let searched = locsearch_query::MAX_QUERY_POSITIONS;
    let long = format!("zatemnjen {}", letters.join(" "));
    let head = format!("zatemnjen {}", letters[..searched - 1].join(" "));
    assert_eq!(hits(&index, &long), hits(&index, &head));

    let searcher = locsearch_query::Searcher::open(&index).unwrap();
    let mut request = locsearch_query::Request::new("zatemnjen");
    let cancelled = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    request.stop = locsearch_query::Stop::new(
        std::time::Instant::now() + std::time::Duration::from_secs(60),
        cancelled,
    );
    assert!(matches!(
        searcher.search(&request),
        Err(locsearch_query::QueryError::TimedOut)
    ));
}

/// A symbolic link out of the corpus (a file or a folder) is skipped with a warning, so what it
/// reaches is neither searchable nor served; `--follow-links-outside` indexes it on purpose.
/// Links that stay inside the corpus are followed as before.
#[cfg(unix)]
#[test]
fn links_out_of_the_corpus_are_skipped_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let outside = dir.path().join("private");
    std::fs::create_dir_all(&outside).unwrap();
    let secret = "---\nms.contentlocale: sl-SI\n---\n# Skrivnost\n\nwombatgeslo root:x:0:0\n";
    std::fs::write(outside.join("secret.md"), secret).unwrap();
    let articles = corpus.join("sl-SI/AlchemyInsights");
    std::os::unix::fs::symlink(outside.join("secret.md"), articles.join("passwd.md")).unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("sl-SI/linked")).unwrap();
    std::os::unix::fs::symlink(
        articles.join("sharing-link-greyed-out.md"),
        articles.join("alias.md"),
    )
    .unwrap();

    let index = dir.path().join("index");
    let index_arg = index.to_str().unwrap();
    let corpus_arg = corpus.to_str().unwrap();
    let out = locsearch(&["index", corpus_arg, "--index", index_arg], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("passwd.md: warning: symbolic link to"),
        "{err}"
    );
    assert!(
        err.contains("sl-SI/linked: warning: symbolic link to"),
        "{err}"
    );
    assert!(hits(&index, "wombatgeslo").is_empty());
    let searcher = locsearch_query::Searcher::open(&index).unwrap();
    assert!(
        searcher
            .article("sl-SI", "AlchemyInsights/passwd.md")
            .unwrap()
            .is_none()
    );
    assert!(
        searcher
            .article("sl-SI", "AlchemyInsights/alias.md")
            .unwrap()
            .is_some(),
        "a link inside the corpus is followed"
    );

    let out = locsearch(
        &[
            "index",
            corpus_arg,
            "--index",
            index_arg,
            "--follow-links-outside",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(hits(&index, "wombatgeslo").len(), 2);
}

/// A word with an invisible character pasted into it finds what the word finds.
#[test]
fn invisible_characters_in_a_query_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let plain = hits(&index, "zatemnjen");
    assert!(!plain.is_empty());
    for dirty in ["zatem\u{AD}njen", "zatem\u{200B}njen", "zatem\u{200D}njen"] {
        assert_eq!(hits(&index, dirty), plain, "{dirty:?}");
    }
}

/// A huge article (forty paragraphs of 100 KB) gives bounded answers: each passage side is a
/// window around its match, marked `truncated`, and the article view stops at its budget.
#[test]
fn answers_quoting_huge_paragraphs_are_bounded_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let filler = "besedilo ".repeat(100_000 / 9);
    let mut text = String::from("---\nms.contentlocale: sl-SI\n---\n# Dnevnik\n\n");
    for i in 0..40 {
        let marker = if i == 20 { " wombatdnevnik " } else { " " };
        text.push_str(&format!("{filler}{marker}{filler}\n\n"));
    }
    std::fs::write(corpus.join("sl-SI/AlchemyInsights/huge.md"), text).unwrap();
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);

    let out = locsearch(
        &[
            "search",
            "wombatdnevnik",
            "--json",
            "--index",
            index.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let hits = crate::support::json_lines(&out);
    assert_eq!(hits.len(), 1);
    let passage = &hits[0]["segments"][0];
    let target = passage["target"].as_str().unwrap();
    assert!(target.len() <= locsearch_query::MAX_PASSAGE_BYTES);
    assert_eq!(passage["truncated"], true, "{passage}");
    let h = &passage["target_highlights"][0];
    let (start, end) = (
        h["start"].as_u64().unwrap() as usize,
        h["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&target[start..end], "wombatdnevnik");

    let searcher = locsearch_query::Searcher::open(&index).unwrap();
    let view = searcher
        .article("sl-SI", "AlchemyInsights/huge.md")
        .unwrap()
        .unwrap();
    assert!(view.truncated);
    let total: usize = view.segments.iter().map(|s| s.target.len()).sum();
    assert!(total <= locsearch_query::MAX_ARTICLE_BYTES, "{total}");
    assert!(
        view.segments
            .iter()
            .all(|s| s.target.len() <= locsearch_query::MAX_ARTICLE_SEGMENT_BYTES)
    );
    assert!(view.segments.iter().skip(1).all(|s| s.truncated));
}

/// A mistyped corpus path changes nothing in an index directory, and an unfinished first build
/// may be completed from another corpus (it holds nothing committed).
#[test]
fn a_wrong_corpus_path_writes_nothing_and_an_unfinished_build_may_change_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let index = dir.path().join("index");
    let typo = dir.path().join("corpsu");
    let failed = build(&typo, &index, &BuildOptions::default(), |_| {}, |_| {});
    assert!(matches!(failed, Err(IndexError::Corpus { .. })));
    assert!(
        Manifest::read(&index).unwrap().is_none(),
        "nothing recorded"
    );
    let report = quiet_build(&corpus, &index, false);
    assert_eq!(report.added, 11);

    let mut manifest = Manifest::read(&index).unwrap().unwrap();
    manifest.complete = false;
    manifest.corpus_root = typo.display().to_string();
    manifest.write_manifest_only(&index).unwrap();
    let report = quiet_build(&corpus, &index, false);
    assert_eq!(report.errors, 0);
    let manifest = Manifest::read(&index).unwrap().unwrap();
    assert!(manifest.complete);
    assert_eq!(
        std::path::Path::new(&manifest.corpus_root),
        std::path::absolute(&corpus).unwrap()
    );
    assert_eq!(documents(&index), 11);
}
