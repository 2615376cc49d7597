//! `locsearch search`.

use std::path::Path;
use std::process::ExitCode;

use locsearch_query::{Highlight, Hit, Request, Searcher};
use serde::Serialize;

use crate::cli::{SearchArgs, SynonymsArg};
use crate::printer::{Format, Printer, Record, TextOut};

/// Opens the index with the user's synonyms; the default `index/` is built from the sample
/// corpus first if absent.
pub fn open_searcher(dir: &Path, synonyms: &SynonymsArg) -> anyhow::Result<Searcher> {
    // A mistake in a synonyms file is found before any index is built.
    let synonyms = synonyms.load()?;
    let default_dir = dir == Path::new("index");
    if default_dir && !dir.join(locsearch_index::manifest::FILE).exists() {
        let corpus = super::sample::corpus_or_sample(None)?;
        eprintln!(
            "note: no index yet; building {} from the sample corpus {} first",
            dir.display(),
            corpus.display()
        );
        locsearch_index::build(
            &corpus,
            dir,
            &Default::default(),
            |d| eprintln!("{d}"),
            |_| {},
        )?;
    }
    Ok(Searcher::open(dir)?.with_synonyms(&synonyms))
}

pub fn run(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let searcher = open_searcher(&args.index.dir, &args.synonyms)?;
    let mut request = Request::new(args.query.clone());
    request.langs = args.langs.clone();
    request.limit = args.limit;
    request.segments = args.segments;
    request.explain = args.explain;
    let answer = searcher.answer(&request)?;
    let hits = answer.hits;
    let mut printer = Printer::new(args.output.format());
    for s in &answer.searched {
        let mut line = format!(
            "searched {} {} (knows {:.0}% of the query",
            s.locale,
            s.side,
            s.coverage * 100.0
        );
        if !s.auxiliaries.is_empty() {
            line += &format!("; not searched: {}", s.auxiliaries.join(", "));
        }
        if s.negated {
            line += "; says something does not work";
        }
        line += ")";
        match args.output.format() {
            Format::Text => printer.note(&line)?,
            Format::JsonLines => eprintln!("note: {line}"),
        }
    }
    for e in &answer.expansions {
        // Notes around the hits: in JSON Lines, which hold hits only, on stderr.
        let line = format!(
            "searched {} {}: {} → {} ({}, weight {:.2})",
            e.locale, e.side, e.word, e.term, e.kind, e.weight
        );
        match args.output.format() {
            Format::Text => printer.note(&line)?,
            Format::JsonLines => eprintln!("note: {line}"),
        }
    }
    if let Some(corrected) = &answer.corrected {
        match args.output.format() {
            Format::Text => printer.note(&format!("showing results for: {corrected}\n"))?,
            // JSON Lines hold hits only: the correction goes where notes go.
            Format::JsonLines => eprintln!("note: showing results for: {corrected}"),
        }
    }
    if hits.is_empty() {
        printer.note("no hits")?;
    }
    for (i, hit) in hits.iter().enumerate() {
        printer.record(&RankedHit { rank: i + 1, hit })?;
    }
    printer.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// A hit and its place in the list; in JSON, the hit alone.
#[derive(Serialize)]
#[serde(transparent)]
struct RankedHit<'a> {
    #[serde(skip)]
    rank: usize,
    hit: &'a Hit,
}

impl Record for RankedHit<'_> {
    fn write_text(&self, out: &mut TextOut<'_>) -> anyhow::Result<()> {
        let hit = self.hit;
        let english = hit
            .source_title
            .as_deref()
            .map(|t| format!("  ({t})"))
            .unwrap_or_default();
        out.line(&format!(
            "{}. [{}] {}{english}",
            self.rank, hit.locale, hit.title
        ))?;
        out.line(&format!(
            "   {}  score {:.2}  matched {}",
            hit.path, hit.score, hit.matched
        ))?;
        if !hit.locales.is_empty() {
            out.line(&format!(
                "   in {} locales: {}",
                hit.locales.len(),
                hit.locales.join(" ")
            ))?;
        }
        for s in &hit.segments {
            let target = highlight(&s.target, &s.target_highlights, out.color);
            out.line(&format!("   > {target}"))?;
            if let Some(source) = &s.source {
                let source = highlight(source, &s.source_highlights, out.color);
                out.line(&format!("     {source}"))?;
            }
        }
        out.line("")
    }
}

/// Bold on a terminal; `[match]` brackets elsewhere would corrupt pasted text, so plain.
fn highlight(text: &str, ranges: &[Highlight], color: bool) -> String {
    if !color {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut last = 0;
    for r in ranges {
        if r.start < last
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        out.push_str(&text[last..r.start]);
        out.push_str("\x1b[1;33m");
        out.push_str(&text[r.start..r.end]);
        out.push_str("\x1b[0m");
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}
