//! `locsearch analyze` and `locsearch doctor`.

use std::process::ExitCode;

use anyhow::bail;

use crate::cli::AnalyzeArgs;
use crate::output;
use crate::printer::{Printer, Record, TextOut};

pub fn run(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let info = if args.source {
        locsearch_analysis::english()
    } else {
        let locale = args.lang.as_deref().unwrap_or_default();
        let resolution = locsearch_analysis::resolve(locale);
        if let Some(warning) = &resolution.warning {
            eprintln!("warning: {warning}");
        }
        resolution.info
    };
    if let Err(why) = locsearch_analysis::check(&info) {
        bail!("the {} analyzer is unavailable: {why}", info.name);
    }
    let Some(mut analyzer) = locsearch_analysis::analyzer(info.name) else {
        bail!("no analyzer named {}", info.name)
    };
    let tokens = locsearch_analysis::analyze(&mut analyzer, &args.text);
    let mut printer = Printer::new(args.output.format());
    printer.note(&format!(
        "analyzer: {} v{} ({})",
        info.name, info.version, info.pipeline
    ))?;
    for token in &tokens {
        printer.record(&Token {
            token,
            text: &args.text,
        })?;
    }
    printer.finish()?;
    Ok(ExitCode::SUCCESS)
}

pub fn doctor() -> anyhow::Result<ExitCode> {
    let mut problems = 0;
    for info in locsearch_analysis::all() {
        match locsearch_analysis::check(&info) {
            Ok(()) => println!(
                "ok       {:<22} v{}  {}",
                info.name, info.version, info.pipeline
            ),
            Err(why) => {
                problems += 1;
                println!("MISSING  {:<22} v{}  {why}", info.name, info.version);
            }
        }
    }
    match locsearch_analysis::japanese::dictionary_dir() {
        Some(dir) => println!("Japanese dictionary: {}", dir.display()),
        None => println!(
            "Japanese dictionary: not built (see the build's warning; rebuild with LOCSEARCH_IPADIC_SRC unset)"
        ),
    }
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(output::EXIT_PARTIAL)
    })
}

/// A token and the text it was cut from; in JSON, the token alone.
#[derive(serde::Serialize)]
#[serde(transparent)]
struct Token<'a> {
    token: &'a locsearch_analysis::AnalyzedToken,
    #[serde(skip)]
    text: &'a str,
}

impl Record for Token<'_> {
    fn write_text(&self, out: &mut TextOut<'_>) -> anyhow::Result<()> {
        let t = self.token;
        out.line(&format!(
            "{:>4}  {:<24} {}..{}  {:?}",
            t.position,
            t.text,
            t.start,
            t.end,
            &self.text[t.start..t.end]
        ))
    }
}
