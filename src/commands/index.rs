//! `locsearch index` and `locsearch stats`.

use std::io::IsTerminal;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{IndexArgs, StatsArgs};
use crate::output;

pub fn run(args: IndexArgs) -> anyhow::Result<ExitCode> {
    let corpus = super::sample::corpus_or_sample(args.corpus.as_deref())?;
    let options = locsearch_index::BuildOptions {
        rebuild: args.rebuild,
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
