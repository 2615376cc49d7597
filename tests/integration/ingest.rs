//! `locsearch ingest` and the ingest crate on real files.

use std::collections::BTreeMap;

use locsearch_ingest::{IngestOptions, Severity, ingest, read_file, walk};
use serde_json::Value;

use crate::support::{json_lines, locsearch, real_corpus, repo_root, shared, stderr, stdout};

#[test]
fn sample_corpus_summary() {
    let out = locsearch(&["ingest", "corpus"], &repo_root());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("11 files, 11 articles, 85 aligned and 7 unaligned segments, 0 errors"),
        "{text}"
    );
    assert!(text.contains("th-TH"), "{text}");
}

#[test]
fn sample_corpus_json_lines_have_the_documented_fields() {
    let out = locsearch(&["ingest", "corpus", "--json"], &repo_root());
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 92);
    let button = lines
        .iter()
        .find(|l| l["locale"] == "sl-SI" && l["source"] == "Fix the greyed-out button")
        .expect("the sl-SI heading");
    assert_eq!(button["target"], "Odpravljanje težave z zatemnjenim gumbom");
    assert_eq!(button["kind"], "h2");
    assert_eq!(
        button["path"],
        "sl-SI/AlchemyInsights/password-reset-button-greyed-out.md"
    );
    assert_eq!(
        button["article"],
        "AlchemyInsights/password-reset-button-greyed-out.md"
    );
    for field in [
        "ordinal",
        "id",
        "target_md",
        "source_md",
        "heading_path",
        "line",
    ] {
        assert!(button.get(field).is_some(), "missing {field}");
    }
    let plain: Vec<&Value> = lines.iter().filter(|l| l["locale"] == "zh-CN").collect();
    assert!(
        plain
            .iter()
            .all(|l| l["source"].is_null() && l["id"].is_null())
    );
    assert_eq!(
        plain[0]["article"], button["article"],
        "a plain translation shares the article key"
    );
}

#[test]
fn embedded_sample_is_the_default_outside_the_repo() {
    let dir = tempfile::tempdir().unwrap();
    let out = locsearch(&["ingest"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("embedded sample corpus"));
    assert!(stdout(&out).starts_with("11 files, 11 articles"));
}

#[test]
fn bad_files_are_diagnostics_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("c");
    let sl = root.join("sl-SI");
    std::fs::create_dir_all(&sl).unwrap();
    std::fs::write(sl.join("good–ČŠŽ.md"), "# Dober naslov\n\nBesedilo.\n").unwrap();
    std::fs::write(sl.join("bad-utf8.md"), b"# Naslov\n\nline two \xff\xfe\n").unwrap();
    std::fs::write(sl.join("empty.md"), "").unwrap();
    std::fs::write(root.join("no-locale.md"), "Text without a locale.\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&root, sl.join("loop")).unwrap();

    let out = locsearch(&["ingest", root.to_str().unwrap()], dir.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "errors give exit code 1: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("sl-SI/bad-utf8.md:3: error: invalid UTF-8 at byte"),
        "{err}"
    );
    assert!(err.contains("no-locale.md: error: no locale"), "{err}");
    #[cfg(unix)]
    assert!(err.contains("symbolic link loop"), "{err}");
    let text = stdout(&out);
    assert!(text.starts_with("4 files, 2 articles"), "{text}");

    let lines = json_lines(&locsearch(
        &["ingest", root.to_str().unwrap(), "--json"],
        dir.path(),
    ));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["path"], "sl-SI/good–ČŠŽ.md");
}

#[test]
fn oversized_files_are_skipped_with_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.md");
    std::fs::write(
        &path,
        "---\nms.contentlocale: de-DE\n---\n".to_owned() + &"Text. ".repeat(1000),
    )
    .unwrap();
    let file = &walk(&path).unwrap().files[0];
    let outcome = read_file(
        file,
        &IngestOptions {
            max_file_bytes: 1000,
            ..Default::default()
        },
    );
    assert!(outcome.article.is_none());
    assert!(
        outcome.diagnostics[0]
            .message
            .contains("over the 1000 byte limit")
    );
    let outcome = read_file(file, &IngestOptions::default());
    assert_eq!(outcome.article.unwrap().locale, "de-DE");
}

#[test]
fn missing_path_is_a_fatal_error() {
    let out = locsearch(&["ingest", "/nonexistent/corpus"], &repo_root());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read corpus /nonexistent/corpus"));
}

/// Golden facts about the five seed documents. Their text is not copied here: counts,
/// a digest of every segment, and the one pair the ingest issue names.
#[test]
fn seeds_ingest_without_diagnostics() {
    let Some(shared) = shared("the seeds test") else {
        return;
    };
    let mut per_file = BTreeMap::new();
    let mut shapes = BTreeMap::new();
    let report = ingest(
        &shared.join("seeds"),
        &IngestOptions::default(),
        |outcome| {
            let article = outcome.article.as_ref().expect("every seed is an article");
            let aligned = article.aligned_segments();
            per_file.insert(
                outcome.rel.clone(),
                (article.locale.clone(), article.segments.len(), aligned),
            );
            // The title first, then how many segments of each kind.
            let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
            for segment in &article.segments {
                *kinds.entry(segment.block.name().to_owned()).or_default() += 1;
            }
            shapes.insert(
                outcome.rel.clone(),
                (article.segments[0].target.clone(), kinds),
            );
        },
    )
    .unwrap();
    assert_eq!(
        report.diagnostics,
        vec![],
        "seeds ingest without diagnostics"
    );
    let expect = |f: &str, l: &str, n: usize, a: usize| (f.to_owned(), (l.to_owned(), n, a));
    assert_eq!(
        per_file,
        BTreeMap::from([
            expect("000_23d1d0609c27e038.txt", "sl-SI", 48, 48),
            expect("001_9abcc3b30b6f6463.txt", "lv-LV", 48, 48),
            expect("002_b8d8356703aea228.txt", "nb-NO", 48, 48),
            expect("003_980893fb3f3468ff.txt", "sl-SI", 29, 29),
            expect("004_6d9978ddb551583d.txt", "zh-CN", 38, 0),
        ])
    );
    let shape = |title: &str, kinds: &[(&str, usize)]| {
        (
            title.to_owned(),
            kinds
                .iter()
                .map(|(k, n)| (k.to_string(), *n))
                .collect::<BTreeMap<_, _>>(),
        )
    };
    let regular = [("h1", 1), ("list_item", 22), ("paragraph", 25)];
    assert_eq!(
        shapes.into_values().collect::<Vec<_>>(),
        vec![
            shape("Težave s poverilnicami", &regular),
            shape("Problēmas ar akreditācijas datiem", &regular),
            shape("Problemer med legitimasjon", &regular),
            shape(
                "Geslo Nepotrjenim ne deluje",
                &[("h1", 1), ("list_item", 24), ("note", 1), ("paragraph", 3)]
            ),
            shape(
                "凭据问题",
                &[("h1", 1), ("list_item", 19), ("paragraph", 18)]
            ),
        ]
    );

    let file = &walk(&shared.join("seeds/000_23d1d0609c27e038.txt"))
        .unwrap()
        .files[0];
    let article = read_file(file, &IngestOptions::default()).article.unwrap();
    let s = article
        .segments
        .iter()
        .find(|s| s.id.as_deref() == Some("3545b-125"))
        .unwrap();
    assert_eq!(s.target, "Gumb za ponastavitev gesla je zatemnjen");
    assert_eq!(
        s.source.as_deref(),
        Some("The password reset button is greyed-out")
    );
    assert_eq!(s.target_md, "**Gumb za ponastavitev gesla je zatemnjen**");
    assert_eq!(article.title, "Težave s poverilnicami");
    assert_eq!(
        article.source_title.as_deref(),
        Some("Issues with credentials")
    );
    // The plain zh-CN translation is keyed like its side-by-side siblings.
    let zh = &walk(&shared.join("seeds/004_6d9978ddb551583d.txt"))
        .unwrap()
        .files[0];
    assert_eq!(
        read_file(zh, &IngestOptions::default())
            .article
            .unwrap()
            .key,
        article.key
    );
}

/// The whole real corpus: every file, zero errors, and the independent regex count of
/// aligned pairs (974,037), with the text invariant checked on every file.
#[test]
fn real_corpus_ingests_with_zero_errors() {
    let Some(root) = real_corpus() else { return };
    let mut invariant_failures = Vec::new();
    let report = ingest(&root, &IngestOptions::default(), |outcome| {
        if let Some(article) = &outcome.article {
            let text = std::fs::read_to_string(root.join(&outcome.rel)).unwrap();
            if !locsearch_ingest::conserves_text(&text, &article.segments) {
                invariant_failures.push(outcome.rel.clone());
            }
        }
    })
    .unwrap();
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors, Vec::<&locsearch_ingest::Diagnostic>::new());
    assert_eq!(report.files, 104_926);
    assert_eq!(report.articles, 104_926);
    assert_eq!(report.locales.len(), 36);
    assert_eq!(report.aligned, 974_037);
    assert_eq!(invariant_failures, Vec::<String>::new());
}

/// The shell conventions of the field: completion scripts for every shell clap knows, each
/// naming every subcommand `--help` lists, and a manual page.
#[test]
fn completions_name_every_subcommand_and_the_man_page_renders() {
    let dir = tempfile::tempdir().unwrap();
    let help = stdout(&locsearch(&["--help"], dir.path()));
    let subcommands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(subcommands.len() >= 10, "{subcommands:?}");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = locsearch(&["completions", shell], dir.path());
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        for command in &subcommands {
            assert!(
                script.contains(command),
                "{shell} completion lacks {command}"
            );
        }
    }
    let out = locsearch(&["completions", "tcsh"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
    let man = stdout(&locsearch(&["man"], dir.path()));
    assert!(man.contains(".TH locsearch 1"), "{man}");
    for command in &subcommands {
        assert!(man.contains(command), "the man page lacks {command}");
    }
}
