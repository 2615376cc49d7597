//! `locsearch search`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use locsearch_query::{Highlight, Hit, Request, Searcher};

use crate::cli::SearchArgs;
use crate::output;

/// Opens the index; the default `index/` is built from the sample corpus first if absent.
pub fn open_searcher(dir: &Path) -> anyhow::Result<Searcher> {
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
    Ok(Searcher::open(dir)?)
}

pub fn run(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let searcher = open_searcher(&args.index)?;
    let request = Request {
        query: args.query.clone(),
        langs: args.langs.clone(),
        limit: args.limit,
        segments: args.segments,
        snippets: true,
        stop: Default::default(),
    };
    let hits = searcher.search(&request)?;
    let mut out = output::Stdout::new();
    if args.json {
        for hit in &hits {
            out.json_line(hit)?;
        }
    } else {
        let color = std::io::stdout().is_terminal();
        if hits.is_empty() {
            out.line("no hits")?;
        }
        for (rank, hit) in hits.iter().enumerate() {
            print_hit(&mut out, rank + 1, hit, color)?;
        }
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn print_hit(out: &mut output::Stdout, rank: usize, hit: &Hit, color: bool) -> anyhow::Result<()> {
    let english = hit
        .source_title
        .as_deref()
        .map(|t| format!("  ({t})"))
        .unwrap_or_default();
    out.line(&format!("{rank}. [{}] {}{english}", hit.locale, hit.title))?;
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
        out.line(&format!(
            "   > {}",
            highlight(&s.target, &s.target_highlights, color)
        ))?;
        if let Some(source) = &s.source {
            out.line(&format!(
                "     {}",
                highlight(source, &s.source_highlights, color)
            ))?;
        }
    }
    out.line("")
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
