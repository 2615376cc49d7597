//! Query speed on a real index, warm process:
//!   LOCSEARCH_BENCH_INDEX=/tmp/idx cargo bench --bench query_latency
//! (default index: target/test-data/alchemy-index, which the tests build). Runs every dev query
//! once to warm up, opens a new searcher (cold term-statistics cache), then measures each query alone (p50/p99 latency, one thread, with
//! snippets as `search` shows them) and the whole set on every core (queries per second).

use std::time::{Duration, Instant};

use locsearch_query::{Request, Searcher};
use rayon::prelude::*;

// The allocator the `locsearch` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let index = std::env::var_os("LOCSEARCH_BENCH_INDEX")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target/test-data/alchemy-index"));
    let queries_path = root.join("../shared/queries/alchemy-dev.jsonl");
    let (Ok(searcher), Ok(queries)) = (
        Searcher::open(&index),
        std::fs::read_to_string(&queries_path),
    ) else {
        eprintln!(
            "SKIPPED: needs an index at {} and {}",
            index.display(),
            queries_path.display()
        );
        return;
    };
    let requests: Vec<Request> = queries
        .lines()
        .map(|l| {
            let q: serde_json::Value = serde_json::from_str(l).expect("query line");
            let mut r = Request::new(q["query"].as_str().unwrap_or_default());
            r.langs = q["lang"].as_str().map(str::to_owned).into_iter().collect();
            r
        })
        .collect();
    for r in &requests {
        searcher.search(r).expect("a dev query failed");
    }
    // Files and analyzers are warm now; a new searcher starts with no cached term statistics,
    // as a server does after every index update.
    let searcher = Searcher::open(&index).expect("the index opened a moment ago");
    for snippets in [true, false] {
        let mut latencies: Vec<Duration> = requests
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.snippets = snippets;
                let start = Instant::now();
                searcher.search(&r).expect("a dev query failed");
                start.elapsed()
            })
            .collect();
        latencies.sort();
        let pct =
            |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
        let start = Instant::now();
        requests.par_iter().for_each(|r| {
            let mut r = r.clone();
            r.snippets = snippets;
            searcher.search(&r).expect("a dev query failed");
        });
        let elapsed = start.elapsed();
        println!(
            "snippets={snippets}: {} queries; one thread p50 {:.3} ms, p99 {:.3} ms, mean {:.3} ms; {} threads: {:.0} queries/s",
            requests.len(),
            pct(0.50).as_secs_f64() * 1e3,
            pct(0.99).as_secs_f64() * 1e3,
            latencies.iter().sum::<Duration>().as_secs_f64() * 1e3 / latencies.len() as f64,
            rayon::current_num_threads(),
            requests.len() as f64 / elapsed.as_secs_f64()
        );
    }
}
