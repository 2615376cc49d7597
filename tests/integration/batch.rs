//! `locsearch batch` end to end: answers in input order whatever the input holds, and the
//! README's commands scored by the evaluation's scorer.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::query::sample_index;
use crate::support::{locsearch, repo_root, stderr, stdout};

/// `locsearch batch -` on the sample corpus's index, fed `input` on its standard input.
fn batch_on_sample(input: String) -> std::process::Output {
    let index = sample_index().to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_locsearch"))
        .args(["batch", "-", "--index", index])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Written from another thread: the answers fill the output pipe while input still comes.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

#[test]
fn batch_answers_in_order_and_survives_bad_lines() {
    let input = [
        r#"{"qid": "q1", "query": "greyed-out reset button", "lang": null, "limit": 3}"#,
        r#"not json at all"#,
        r#"{"qid": "q3", "query": "gumb", "lang": "sl-SI"}"#,
        r#"{"qid": "q4", "query": "x", "lang": "xx-YY"}"#,
        "",
        r#"{"qid": 5, "query": "按钮"}"#,
    ]
    .join("\n");
    let out = batch_on_sample(input);
    assert_eq!(out.status.code(), Some(1), "some queries failed: exit 1");
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["qid"], "q1");
    let q1 = lines[0]["hits"].as_array().unwrap();
    assert!(!q1.is_empty() && q1.len() <= 3, "{q1:?}");
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("bad query line")
    );
    assert_eq!(lines[2]["qid"], "q3");
    assert_eq!(lines[2]["hits"][0]["locale"], "sl-SI");
    assert!(
        lines[3]["error"]
            .as_str()
            .unwrap()
            .contains("unknown locale")
    );
    assert_eq!(lines[4]["qid"], 5);
    assert_eq!(lines[4]["hits"][0]["locale"], "zh-CN");
}

/// A JSON array of queries given on one line instead of JSON Lines: far longer than a query
/// line may be (`MAX_BATCH_LINE_BYTES`), it is answered with what to do, and the lines around
/// it are answered as usual.
#[test]
fn batch_answers_a_line_too_long_to_be_a_query_with_what_to_do() {
    let query = r#"{"qid": "a", "query": "greyed-out reset button"}"#;
    let array = format!("[{}]", vec![query; 3_000].join(", "));
    assert!(array.len() > locsearch_query::MAX_BATCH_LINE_BYTES);
    let input = [query, array.as_str(), r#"{"qid": "c", "query": "gumb"}"#].join("\n");
    let out = batch_on_sample(input);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["qid"], "a");
    assert!(!lines[0]["hits"].as_array().unwrap().is_empty());
    let error = lines[1]["error"].as_str().unwrap();
    assert!(
        error.contains(&array.len().to_string()) && error.contains("JSON Lines"),
        "{error}"
    );
    assert_eq!(lines[2]["hits"][0]["locale"], "sl-SI");
}

/// More lines than `batch` answers at once (`CHUNK` in `src/commands/batch.rs`): every answer
/// comes back once, in input order, blank lines skipped and bad ones answered with an error.
#[test]
fn batch_keeps_input_order_across_chunks() {
    let mut input = String::new();
    let mut expected = Vec::new();
    for i in 0..1_600 {
        if i % 7 == 3 {
            input.push('\n');
        } else if i % 13 == 5 {
            input.push_str(&format!("{{\"qid\": \"b{i}\", \"query\": 7}}\n"));
            expected.push(format!("b{i}"));
        } else {
            let query = ["gumb", "greyed-out reset button", "按钮"][i % 3];
            input.push_str(&format!("{{\"qid\": \"q{i}\", \"query\": \"{query}\"}}\n"));
            expected.push(format!("q{i}"));
        }
    }
    let out = batch_on_sample(input);
    assert_eq!(out.status.code(), Some(1), "some lines were bad: exit 1");
    let answers: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let qids: Vec<&str> = answers.iter().map(|a| a["qid"].as_str().unwrap()).collect();
    assert_eq!(qids, expected);
    for answer in &answers {
        let bad = answer["qid"].as_str().unwrap().starts_with('b');
        assert_eq!(answer.get("error").is_some(), bad, "{answer}");
        if !bad {
            assert!(!answer["hits"].as_array().unwrap().is_empty(), "{answer}");
        }
    }
}

/// README's two commands' paths: in the repository, `search` builds `index/` from `./corpus`
/// and prints plain text (title, both sides); `batch` output scored by `score.py` end to end.
#[test]
fn readme_paths_plain_output_and_batch_scored_by_the_scorer() {
    let dir = tempfile::tempdir().unwrap();
    crate::index::copy_dir(&repo_root().join("corpus"), &dir.path().join("corpus"));
    let out = locsearch(&["search", "greyed-out reset button"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("index/manifest.json").exists());
    let text = stdout(&out);
    assert!(
        !text.trim_start().starts_with('{'),
        "plain text, not JSON: {text}"
    );
    assert!(
        text.contains("The password reset button is greyed out"),
        "{text}"
    );
    // `--segments`: one line per matching pair, each with its own score.
    let pairs = crate::support::json_lines(&locsearch(
        &["search", "gumb", "--lang", "sl-SI", "--segments", "--json"],
        dir.path(),
    ));
    assert!(pairs.len() >= 3, "{pairs:?}");
    for pair in &pairs {
        assert_eq!(pair["segments"].as_array().unwrap().len(), 1);
        assert_eq!(pair["segments"][0]["score"], pair["score"]);
    }

    let Some(shared) = crate::support::shared("the batch + score.py test") else {
        return;
    };
    let queries = dir.path().join("queries.jsonl");
    std::fs::write(
        &queries,
        [
            r#"{"qid": "a", "qtype": "title", "query": "greyed-out reset button", "lang": null, "relevant": [{"locale": "*", "path": "AlchemyInsights/password-reset-button-greyed-out.md"}]}"#,
            r#"{"qid": "b", "qtype": "title", "query": "Gumb za ponastavitev gesla je zatemnjen", "lang": null, "relevant": [{"locale": "sl-SI", "path": "AlchemyInsights/password-reset-button-greyed-out.md"}]}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let run = locsearch(&["batch", queries.to_str().unwrap()], dir.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let run_file = dir.path().join("run.jsonl");
    std::fs::write(&run_file, &run.stdout).unwrap();
    let scored = Command::new("python3")
        .arg(shared.join("eval/score.py"))
        .args([&queries, &run_file])
        .arg("--json")
        .output()
        .expect("python3 runs the scorer");
    let result: serde_json::Value = serde_json::from_slice(&scored.stdout).unwrap();
    assert_eq!(result["results"]["ALL"]["mrr10"], 1.0, "{result}");
    assert_eq!(result["missing"], 0);
}
