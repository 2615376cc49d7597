//! `locsearch index`, `locsearch check` and `locsearch stats`.

use std::io::IsTerminal;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use locsearch_index::{BuildReport, LocaleStats};
use serde::Serialize;

use crate::cli::{IndexArgs, MergeArgs, PublishArgs, StatsArgs};
use crate::output;
use crate::printer::{Printer, Record, TextOut};

pub fn run(args: IndexArgs) -> anyhow::Result<ExitCode> {
    let corpus = match (&args.corpus, recorded_corpus(&args.index.dir)) {
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
        locales: locales(&args.locales)?,
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
        &args.index.dir,
        &options,
        |d| bar.suspend(|| eprintln!("{d}")),
        |p| {
            bar.set_length(p.files_total as u64);
            bar.set_position(p.files_done as u64);
        },
    )?;
    bar.finish_and_clear();
    let mut printer = Printer::new(args.output.format());
    printer.record(&report)?;
    printer.finish()?;
    Ok(if report.errors > 0 {
        ExitCode::from(output::EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

/// The canonical tags of `--locales`; `None` when it was not given.
fn locales(given: &[String]) -> anyhow::Result<Option<std::collections::BTreeSet<String>>> {
    if given.is_empty() {
        return Ok(None);
    }
    let canonical = given
        .iter()
        .map(|l| {
            locsearch_ingest::locale::canonicalize(l).ok_or_else(|| {
                anyhow::anyhow!(
                    "--locales: {l:?} is not a locale tag\n  hint: name locales as the corpus folders do, e.g. de-DE,fr-FR"
                )
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Some(canonical))
}

/// `locsearch merge`: the parts combined into a new index, one line (or JSON object).
pub fn merge(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let report = locsearch_index::merge(&args.parts, &args.index.dir)?;
    let mut printer = Printer::new(args.output.format());
    printer.record(&Merged(report))?;
    printer.finish()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
#[serde(transparent)]
struct Merged(locsearch_index::MergeReport);

impl Record for Merged {
    fn write_text(&self, out: &mut TextOut<'_>) -> anyhow::Result<()> {
        let r = &self.0;
        out.line(&format!(
            "merged {} parts: {} locales, {} files; {:.1} s",
            r.parts, r.locales, r.files, r.seconds
        ))
    }
}

/// `locsearch publish`: the index as a new generation of the published directory.
pub fn publish(args: PublishArgs) -> anyhow::Result<ExitCode> {
    let generation = locsearch_index::publish::publish(&args.index.dir, &args.to)?;
    let mut printer = Printer::new(args.output.format());
    printer.record(&Published {
        generation: generation.display().to_string(),
    })?;
    printer.finish()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct Published {
    generation: String,
}

impl Record for Published {
    fn write_text(&self, out: &mut TextOut<'_>) -> anyhow::Result<()> {
        out.line(&format!("published {}", self.generation))
    }
}

/// The corpus an existing index records: an update without a corpus argument is from it, never
/// from whatever corpus happens to be the default here.
fn recorded_corpus(index: &std::path::Path) -> Option<std::path::PathBuf> {
    let manifest = locsearch_index::Manifest::read(index).ok()??;
    (!manifest.corpus_root.is_empty()).then(|| manifest.corpus_root.into())
}

impl Record for BuildReport {
    fn write_text(&self, out: &mut TextOut<'_>) -> anyhow::Result<()> {
        let unchanged = if self.changed {
            ""
        } else {
            " (index unchanged)"
        };
        out.line(&format!(
            "{} files: {} added, {} updated, {} removed, {} unchanged; {} errors, {} warnings; {:.1} s{unchanged}",
            self.files,
            self.added,
            self.updated,
            self.removed,
            self.unchanged,
            self.errors,
            self.warnings,
            self.seconds,
        ))
    }
}

/// Every locale verified in full: one line (or JSON object) each; damage is an error naming the
/// locales, with the command that repairs them.
pub fn check(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.index.dir;
    let manifest = locsearch_index::Manifest::read(dir)?
        .ok_or_else(|| locsearch_index::IndexError::Missing { dir: dir.clone() })?;
    let damaged: std::collections::BTreeMap<String, String> =
        locsearch_index::integrity::damaged_locales(dir, &manifest)
            .into_iter()
            .collect();
    let mut printer = Printer::new(args.output.format());
    // The locales, then damaged files of none (the English paraphrases).
    let others = damaged
        .keys()
        .filter(|k| !manifest.locales.contains_key(*k));
    for locale in manifest.locales.keys().chain(others) {
        let problem = damaged.get(locale).map(String::as_str);
        printer.record(&LocaleCheck {
            locale,
            ok: problem.is_none(),
            problem,
        })?;
    }
    printer.finish()?;
    match damaged.into_iter().next() {
        None => Ok(ExitCode::SUCCESS),
        Some((locale, why)) => Err(locsearch_index::IndexError::Damaged {
            dir: dir.clone(),
            locale,
            why,
        }
        .into()),
    }
}

#[derive(Serialize)]
struct LocaleCheck<'a> {
    locale: &'a str,
    ok: bool,
    problem: Option<&'a str>,
}

impl Record for LocaleCheck<'_> {
    fn write_text(&self, out: &mut TextOut<'_>) -> anyhow::Result<()> {
        out.line(&format!(
            "{:<12} {}",
            self.locale,
            self.problem.unwrap_or("ok")
        ))
    }
}

pub fn stats(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let catalog = locsearch_index::Catalog::open(&args.index.dir)?;
    let stats = catalog.stats();
    let mut printer = Printer::new(args.output.format());
    printer.note(&format!(
        "{:<12} {:>9} {:>9} {:>8} {:>10}  {}",
        "locale", "documents", "segments", "aligned", "size", "analyzer"
    ))?;
    for s in &stats {
        printer.record(s)?;
    }
    let total: u64 = stats.iter().map(|s| s.bytes_on_disk).sum();
    printer.note(&format!(
        "total {:.1} MiB in {} locales",
        total as f64 / (1 << 20) as f64,
        stats.len()
    ))?;
    if let Some(line) = source_languages(&catalog.manifest.source_languages) {
        printer.note(&line)?;
    }
    printer.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// "articles written in another language than English: 17 (es 8, fr 5, pt 4)", when any.
fn source_languages(by_key: &std::collections::BTreeMap<String, String>) -> Option<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for language in by_key.values() {
        *counts.entry(language.as_str()).or_default() += 1;
    }
    let each: Vec<String> = counts.iter().map(|(l, n)| format!("{l} {n}")).collect();
    (!by_key.is_empty()).then(|| {
        format!(
            "articles written in another language than English: {} ({})",
            by_key.len(),
            each.join(", ")
        )
    })
}

impl Record for LocaleStats {
    fn write_text(&self, out: &mut TextOut<'_>) -> anyhow::Result<()> {
        out.line(&format!(
            "{:<12} {:>9} {:>9} {:>7.1}% {:>7.1} MiB  {}",
            self.locale,
            self.documents,
            self.segments,
            self.aligned_share * 100.0,
            self.bytes_on_disk as f64 / (1 << 20) as f64,
            self.analyzer
        ))
    }
}
