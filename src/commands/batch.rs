//! `locsearch batch`: JSON Lines in, JSON Lines out, in input order, on every core.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use locsearch_query::{Hit, Request};

use crate::cli::BatchArgs;
use crate::output;

#[derive(Deserialize)]
struct BatchQuery {
    #[serde(default)]
    qid: serde_json::Value,
    query: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
    /// Leave out the best segments of each hit when only the ranking matters.
    #[serde(default)]
    snippets: Option<bool>,
}

#[derive(Serialize)]
struct Answer<'a> {
    qid: &'a serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    hits: Option<Vec<Hit>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Lines per parallel chunk: bounds memory on huge inputs, keeps both cores busy.
const CHUNK: usize = 4096;

pub fn run(args: BatchArgs) -> anyhow::Result<ExitCode> {
    let searcher = super::search::open_searcher(&args.index)?;
    let input: Box<dyn BufRead> = if args.file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(&args.file)
            .with_context(|| format!("cannot open {}", args.file.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut out = output::Stdout::new();
    let mut failed = 0usize;
    let mut lines = input.lines();
    loop {
        let chunk: Vec<std::io::Result<String>> = lines.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let answers: Vec<String> = chunk
            .par_iter()
            .map(|line| {
                let null = serde_json::Value::Null;
                let answer = match line {
                    Err(e) => Answer {
                        qid: &null,
                        hits: None,
                        error: Some(format!("unreadable line: {e}")),
                    },
                    Ok(line) if line.trim().is_empty() => return String::new(),
                    Ok(line) => match serde_json::from_str::<BatchQuery>(line) {
                        Err(e) => {
                            let qid = serde_json::from_str::<serde_json::Value>(line)
                                .ok()
                                .and_then(|v| v.get("qid").cloned())
                                .unwrap_or(serde_json::Value::Null);
                            return serde_json::to_string(&Answer {
                                qid: &qid,
                                hits: None,
                                error: Some(format!("bad query line: {e}")),
                            })
                            .expect("answer serializes");
                        }
                        Ok(q) => {
                            let request = Request {
                                query: q.query.clone(),
                                langs: q.lang.clone().into_iter().collect(),
                                limit: q.limit.unwrap_or(10),
                                segments: false,
                                snippets: q.snippets.unwrap_or(true),
                                stop: Default::default(),
                            };
                            let result = searcher.search(&request);
                            let (hits, error) = match result {
                                Ok(hits) => (Some(hits), None),
                                Err(e) => (None, Some(e.to_string())),
                            };
                            return serde_json::to_string(&Answer {
                                qid: &q.qid,
                                hits,
                                error,
                            })
                            .expect("answer serializes");
                        }
                    },
                };
                serde_json::to_string(&answer).expect("answer serializes")
            })
            .collect();
        for answer in answers.iter().filter(|a| !a.is_empty()) {
            if answer.contains("\"error\":") && !answer.contains("\"hits\":") {
                failed += 1;
            }
            out.line(answer)?;
        }
    }
    out.finish()?;
    if failed > 0 {
        eprintln!("{failed} queries failed (see their \"error\")");
    }
    Ok(if failed > 0 {
        ExitCode::from(output::EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}
