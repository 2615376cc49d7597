//! `locsearch batch`: JSON Lines in, JSON Lines out, in input order, on every core.

use std::io::BufRead;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;
use serde_json::Value;

use locsearch_query::{Answer, BatchAnswer, BatchQuery, MAX_BATCH_LINE_BYTES, Request, Searcher};

use super::lines::{BoundedLines, Line};

use crate::cli::BatchArgs;
use crate::output;

/// Lines per parallel chunk: their answers are held until the chunk is written, so it bounds
/// memory on huge inputs (eight times as many held 12 MB more); a chunk still keeps every core
/// busy but for its last query.
const CHUNK: usize = 512;

pub fn run(args: BatchArgs) -> anyhow::Result<ExitCode> {
    let searcher = super::search::open_searcher(&args.index.dir, &args.synonyms)?;
    let input = open(&args.file)?;
    let mut out = output::Stdout::new();
    let mut failed = 0usize;
    let mut lines = BoundedLines::new(input, MAX_BATCH_LINE_BYTES);
    loop {
        let chunk: Vec<std::io::Result<Line>> = lines.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        // Answered and serialized in parallel, written in input order.
        let answers: Vec<(bool, String)> = chunk
            .par_iter()
            .filter_map(|line| answer(&searcher, line))
            .map(|a| {
                (
                    a.failed(),
                    serde_json::to_string(&a).expect("answer serializes"),
                )
            })
            .collect();
        for (answer_failed, answer) in &answers {
            failed += usize::from(*answer_failed);
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

fn open(file: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    if file.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let opened =
        std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    Ok(Box::new(std::io::BufReader::new(opened)))
}

/// The answer to one input line; `None` for a blank line.
fn answer(searcher: &Searcher, line: &std::io::Result<Line>) -> Option<BatchAnswer> {
    answer_line(line, |request| {
        searcher.answer(request).map_err(|e| e.to_string())
    })
}

/// The answer to one input line from `respond`. A query that makes `respond` panic (a defect)
/// is answered with an error, and the lines after it are still answered: one bad query must
/// not lose the rest of a long run.
fn answer_line(
    line: &std::io::Result<Line>,
    respond: impl Fn(&Request) -> Result<Answer, String>,
) -> Option<BatchAnswer> {
    let failed = |why: String| Some(BatchAnswer::new(Value::Null, Err(why)));
    let line = match line {
        Err(e) => return failed(format!("unreadable line: {e}")),
        Ok(Line::TooLong(bytes)) => {
            return failed(format!(
                "a line of {bytes} bytes, over the {MAX_BATCH_LINE_BYTES} a query line may have: \
                 give one JSON query per line (JSON Lines)"
            ));
        }
        Ok(Line::Text(line)) if line.trim().is_empty() => return None,
        Ok(Line::Text(line)) => line,
    };
    let query = match serde_json::from_str::<BatchQuery>(line) {
        Ok(query) => query,
        Err(e) => {
            // The qid of a line that is JSON but not a query, so the answer can be matched.
            let qid = serde_json::from_str::<Value>(line)
                .ok()
                .and_then(|v| v.get("qid").cloned())
                .unwrap_or(Value::Null);
            return Some(BatchAnswer::new(qid, Err(format!("bad query line: {e}"))));
        }
    };
    let result = query
        .query
        .into_request()
        .map_err(|e| e.to_string())
        .and_then(|request| {
            std::panic::catch_unwind(AssertUnwindSafe(|| respond(&request))).unwrap_or_else(|_| {
                Err(
                    "locsearch failed on this query (a defect): the other lines are answered; \
                     please report this line"
                        .to_owned(),
                )
            })
        });
    Some(BatchAnswer::new(query.qid, result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_that_panics_is_answered_with_an_error_and_the_next_line_still_answered() {
        let respond = |request: &Request| -> Result<Answer, String> {
            if request.query == "boom" {
                panic!("a defect met by one query");
            }
            Err(format!("answered {}", request.query))
        };
        let line = |text: &str| Ok(Line::Text(text.to_owned()));
        let failed = answer_line(&line(r#"{"qid": 7, "query": "boom"}"#), respond).unwrap();
        assert_eq!(failed.qid, 7);
        assert!(failed.error.unwrap().contains("please report this line"));
        let next = answer_line(&line(r#"{"qid": 8, "query": "printer"}"#), respond).unwrap();
        assert_eq!(next.error.as_deref(), Some("answered printer"));
    }
}
