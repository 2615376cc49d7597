//! `locsearch index` and `locsearch stats`.

use std::io::IsTerminal;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{IndexArgs, StatsArgs};
use crate::output;

pub fn run(args: IndexArgs) -> anyhow::Result<ExitCode> {
    let corpus = match (&args.corpus, recorded_corpus(&args.index)) {
        (Some(corpus), _) => corpus.clone(),
        (None, Some(recorded)) => {
            eprintln!(
                "note: updating from the corpus this index was built from, {}",
                recorded.display()
            );
            recorded
        }
        (None, None) => super::sample::corpus_or_sample(None)?,
    };
    let options = locsearch_index::BuildOptions {
        rebuild: args.rebuild,
        links: args.links(),
        ..Default::default()
    };
    // A bar on a terminal only: nothing on a pipe or in CI logs.
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files  {per_sec}  ETA {eta}")
            .expect("static template"),
    );
    let report = locsearch_index::build(
        &corpus,
        &args.index,
        &options,
        |d| bar.suspend(|| eprintln!("{d}")),
        |p| {
            bar.set_length(p.files_total as u64);
            bar.set_position(p.files_done as u64);
        },
    )?;
    bar.finish_and_clear();
    if args.json {
        let mut out = output::Stdout::new();
        out.json_line(&report)?;
        out.finish()?;
    } else {
        println!(
            "{} files: {} added, {} updated, {} removed, {} unchanged; {} errors, {} warnings; {:.1} s{}",
            report.files,
            report.added,
            report.updated,
            report.removed,
            report.unchanged,
            report.errors,
            report.warnings,
            report.seconds,
            if report.changed {
                ""
            } else {
                " (index unchanged)"
            }
        );
    }
    Ok(if report.errors > 0 {
        ExitCode::from(output::EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

/// The corpus an existing index records: an update without a corpus argument is from it, never
/// from whatever corpus happens to be the default here.
fn recorded_corpus(index: &std::path::Path) -> Option<std::path::PathBuf> {
    let manifest = locsearch_index::Manifest::read(index).ok()??;
    (!manifest.corpus_root.is_empty()).then(|| manifest.corpus_root.into())
}

/// Every locale verified in full: one line (or JSON object) each; damage is an error naming the
/// locales, with the command that repairs them.
pub fn check(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let manifest = locsearch_index::Manifest::read(&args.index)?.ok_or_else(|| {
        locsearch_index::IndexError::Missing {
            dir: args.index.clone(),
        }
    })?;
    let damaged: std::collections::BTreeMap<String, String> =
        locsearch_index::integrity::damaged_locales(&args.index, &manifest)
            .into_iter()
            .collect();
    let mut out = output::Stdout::new();
    for locale in manifest.locales.keys() {
        let problem = damaged.get(locale);
        if args.json {
            out.json_line(
                &serde_json::json!({"locale": locale, "ok": problem.is_none(), "problem": problem}),
            )?;
        } else {
            out.line(&format!(
                "{locale:<12} {}",
                problem.map_or("ok", String::as_str)
            ))?;
        }
    }
    out.finish()?;
    match damaged.into_iter().next() {
        None => Ok(ExitCode::SUCCESS),
        Some((locale, why)) => Err(locsearch_index::IndexError::Damaged {
            dir: args.index,
            locale,
            why,
        }
        .into()),
    }
}

pub fn stats(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let catalog = locsearch_index::Catalog::open(&args.index)?;
    let mut out = output::Stdout::new();
    let stats = catalog.stats();
    if args.json {
        for s in &stats {
            out.json_line(s)?;
        }
    } else {
        out.line(&format!(
            "{:<12} {:>9} {:>9} {:>8} {:>10}  {}",
            "locale", "documents", "segments", "aligned", "size", "analyzer"
        ))?;
        for s in &stats {
            out.line(&format!(
                "{:<12} {:>9} {:>9} {:>7.1}% {:>7.1} MiB  {}",
                s.locale,
                s.documents,
                s.segments,
                s.aligned_share * 100.0,
                s.bytes_on_disk as f64 / (1 << 20) as f64,
                s.analyzer
            ))?;
        }
        let total: u64 = stats.iter().map(|s| s.bytes_on_disk).sum();
        out.line(&format!(
            "total {:.1} MiB in {} locales",
            total as f64 / (1 << 20) as f64,
            stats.len()
        ))?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
