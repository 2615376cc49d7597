//! `locsearch ingest PATH [--json]`.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use crate::cli::IngestArgs;
use crate::output;
use crate::printer::Format;

/// One line of `ingest --json`.
#[derive(Serialize)]
struct SegmentLine<'a> {
    locale: &'a str,
    path: &'a str,
    article: &'a str,
    ordinal: u32,
    id: Option<&'a str>,
    kind: &'static str,
    heading_path: &'a [String],
    line: u32,
    target: &'a str,
    source: Option<&'a str>,
    target_md: &'a str,
    source_md: Option<&'a str>,
}

pub fn run(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let root = super::sample::corpus_or_sample(args.path.as_deref())?;
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    let mut write_error: Option<std::io::Error> = None;
    let walked = locsearch_ingest::walk_with(&root, args.links())
        .with_context(|| format!("cannot read corpus {}", root.display()))?;
    for d in &walked.diagnostics {
        eprintln!("{d}");
    }
    let report = locsearch_ingest::ingest_files(walked, &Default::default(), |outcome| {
        for d in &outcome.diagnostics {
            eprintln!("{d}");
        }
        if args.output.format() != Format::JsonLines || write_error.is_some() {
            return;
        }
        let Some(article) = &outcome.article else {
            return;
        };
        for s in &article.segments {
            let line = SegmentLine {
                locale: &article.locale,
                path: &article.path,
                article: &article.key,
                ordinal: s.ordinal,
                id: s.id.as_deref(),
                kind: s.block.name(),
                heading_path: &s.heading_path,
                line: s.line,
                target: &s.target,
                source: s.source.as_deref(),
                target_md: &s.target_md,
                source_md: s.source_md.as_deref(),
            };
            let result = serde_json::to_writer(&mut stdout, &line)
                .map_err(std::io::Error::from)
                .and_then(|()| stdout.write_all(b"\n"));
            if let Err(e) = result {
                write_error = Some(e);
            }
        }
    });
    let flushed = stdout.flush();
    if let Some(e) = write_error.or(flushed.err())
        && !output::is_broken_pipe(&e)
    {
        return Err(e).context("cannot write to stdout");
    }
    if args.output.format() != Format::JsonLines {
        print_summary(&report);
    }
    Ok(if report.errors > 0 {
        ExitCode::from(output::EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(report: &locsearch_ingest::Report) {
    println!(
        "{} files, {} articles, {} aligned and {} unaligned segments, {} errors, {} warnings",
        report.files,
        report.articles,
        report.aligned,
        report.unaligned,
        report.errors,
        report.warnings
    );
    if report.locales.is_empty() {
        return;
    }
    println!(
        "{:<12} {:>9} {:>9} {:>10}",
        "locale", "articles", "aligned", "unaligned"
    );
    for (locale, c) in &report.locales {
        println!(
            "{:<12} {:>9} {:>9} {:>10}",
            locale, c.articles, c.aligned, c.unaligned
        );
    }
}
