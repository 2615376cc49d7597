//! Query speed on a real index, warm process, against plain tantivy in the same run:
//!   LOCSEARCH_BENCH_INDEX=/tmp/idx cargo bench --bench query_latency
//! (default index: target/test-data/alchemy-index, which the tests build; the peer reads the
//! corpus at LOCSEARCH_BENCH_CORPUS, default target/test-data/alchemy-sxs, and keeps its index
//! in target/test-data/tantivy-peer-index). Runs every dev query once to warm up, opens a new
//! searcher (cold term-statistics cache), then measures each query alone (p50/p99 latency, one
//! thread, with snippets as `search` shows them, then ranking only) and the whole set on every
//! core (queries per second), and the peer the same way (`peer/`), the three taking turns a
//! block of queries at a time; then the ratios. With LOCSEARCH_BENCH_SLOWEST=N it also lists
//! the N slowest queries, ranking only: what makes the p99. LOCSEARCH_BENCH_QUERIES names
//! another file of queries in the same form (`query`, optional `lang`; default the dev
//! queries). It first names the host: the ratios move with the machine, not only with the
//! day (BENCHMARKS.md, "The same code on another host").

use std::time::{Duration, Instant};

use locsearch_query::{Request, Searcher};
use rayon::prelude::*;

mod peer;

// The allocator the `locsearch` binary uses, configured as it configures it.
#[path = "../src/allocator.rs"]
mod allocator;

fn main() {
    allocator::configure();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let index = std::env::var_os("LOCSEARCH_BENCH_INDEX")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target/test-data/alchemy-index"));
    println!("host: {}", host());
    let queries_path = std::env::var_os("LOCSEARCH_BENCH_QUERIES")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/queries/alchemy-dev.jsonl"));
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
    let peer = peer(root);
    let texts: Vec<&str> = requests.iter().map(|r| r.query.as_str()).collect();
    if let Some(peer) = &peer {
        for text in &texts {
            peer.search(text).expect("a peer query failed");
        }
    }
    // Files and analyzers are warm now; a new searcher starts with no cached term statistics,
    // as a server does after every index update.
    let searcher = Searcher::open(&index).expect("the index opened a moment ago");
    let locsearch = |snippets: bool| {
        let (searcher, requests) = (&searcher, &requests);
        move |i: usize| {
            let mut r = requests[i].clone();
            r.snippets = snippets;
            searcher.search(&r).expect("a dev query failed");
        }
    };
    let (with_passages, ranking_only) = (locsearch(true), locsearch(false));
    let plain_tantivy = |i: usize| {
        if let Some(peer) = &peer {
            peer.search(texts[i]).expect("a peer query failed");
        }
    };
    let mut runs: Vec<&(dyn Fn(usize) + Sync)> = vec![&with_passages, &ranking_only];
    if peer.is_some() {
        runs.push(&plain_tantivy);
    }
    let figures = measure(requests.len(), &runs);
    println!("locsearch, snippets=true: {}", figures[0]);
    println!("locsearch, snippets=false: {}", figures[1]);
    if let Some(n) = std::env::var("LOCSEARCH_BENCH_SLOWEST")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        print_slowest(&searcher, &requests, n);
    }
    let Some(plain) = figures.get(2) else { return };
    println!("plain tantivy (peer), ranking only: {plain}");
    let (passages, ranking) = (&figures[0], &figures[1]);
    println!(
        "ratios to the peer: ranking only p50 {:.2}x, p99 {:.2}x, one-thread throughput {:.2}x; with passages p50 {:.2}x, {}-thread throughput {:.2}x the peer's one-thread",
        ranking.p50 / plain.p50,
        ranking.p99 / plain.p99,
        plain.mean / ranking.mean,
        passages.p50 / plain.p50,
        rayon::current_num_threads(),
        passages.throughput * plain.mean / 1e3,
    );
}

/// The processor's name, family and model, and the cores this process may use, as
/// `/proc/cpuinfo` and the scheduler tell them (a virtual machine's name is often generic);
/// "?" for a part that cannot be read.
fn host() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |key: &str| {
        info.lines()
            .find(|l| l.split(':').next().map(str::trim) == Some(key))
            .and_then(|l| l.split_once(':'))
            .map_or_else(|| "?".to_owned(), |(_, value)| value.trim().to_owned())
    };
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{}, family {} model {}, {cores} cores",
        field("model name"),
        field("cpu family"),
        field("model")
    )
}

/// The `n` slowest requests, ranking only, one thread, with their latency and languages.
fn print_slowest(searcher: &Searcher, requests: &[Request], n: usize) {
    let mut timed: Vec<(Duration, &Request)> = requests
        .iter()
        .map(|r| {
            let mut ranking_only = r.clone();
            ranking_only.snippets = false;
            let start = Instant::now();
            searcher.search(&ranking_only).expect("a dev query failed");
            (start.elapsed(), r)
        })
        .collect();
    timed.sort_by_key(|(took, _)| std::cmp::Reverse(*took));
    for (took, r) in timed.into_iter().take(n) {
        println!(
            "slowest: {:.2} ms {:?} {}",
            took.as_secs_f64() * 1e3,
            r.langs,
            r.query
        );
    }
}

/// Latencies of each query alone on one thread (ms), and queries per second on every core.
struct Figures {
    p50: f64,
    p99: f64,
    mean: f64,
    throughput: f64,
    queries: usize,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} queries; one thread p50 {:.3} ms, p99 {:.3} ms, mean {:.3} ms; {} threads: {:.0} queries/s",
            self.queries,
            self.p50,
            self.p99,
            self.mean,
            rayon::current_num_threads(),
            self.throughput
        )
    }
}

/// Queries each engine runs before the next one's turn. The engines take turns through the
/// query set a block at a time, so that a slower minute of a shared machine falls on all of
/// them alike: one engine's whole set after the other's swung their ratios by a third from one
/// run to the next.
const BLOCK: usize = 256;

/// Each run's figures over the same queries, the runs taking turns a block at a time: every
/// query alone on one thread, then, once all have, every block on every core (right after its
/// own one-thread turn a block would find the processor's caches warm with its queries).
fn measure(queries: usize, runs: &[&(dyn Fn(usize) + Sync)]) -> Vec<Figures> {
    let blocks = || {
        (0..queries)
            .step_by(BLOCK)
            .map(|first| first..(first + BLOCK).min(queries))
    };
    let mut latencies = vec![Vec::with_capacity(queries); runs.len()];
    for block in blocks() {
        for (run, latencies) in runs.iter().zip(&mut latencies) {
            for i in block.clone() {
                let start = Instant::now();
                run(i);
                latencies.push(start.elapsed());
            }
        }
    }
    let mut on_every_core = vec![Duration::ZERO; runs.len()];
    for block in blocks() {
        for (run, took) in runs.iter().zip(&mut on_every_core) {
            let start = Instant::now();
            block.clone().into_par_iter().for_each(run);
            *took += start.elapsed();
        }
    }
    latencies
        .into_iter()
        .zip(on_every_core)
        .map(|(mut latencies, took)| {
            latencies.sort();
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            let pct = |p: f64| ms(latencies[((queries as f64 * p) as usize).min(queries - 1)]);
            Figures {
                p50: pct(0.50),
                p99: pct(0.99),
                mean: latencies.iter().map(|d| ms(*d)).sum::<f64>() / queries as f64,
                throughput: queries as f64 / took.as_secs_f64(),
                queries,
            }
        })
        .collect()
}

/// The plain-tantivy peer over the corpus (`LOCSEARCH_BENCH_CORPUS`, default the copy the
/// tests unpack), its index kept in `target/` between runs.
fn peer(root: &std::path::Path) -> Option<peer::Peer> {
    let corpus = std::env::var_os("LOCSEARCH_BENCH_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target/test-data/alchemy-sxs"));
    if !corpus.is_dir() {
        eprintln!("SKIPPED the peer: no corpus at {}", corpus.display());
        return None;
    }
    let dir = root.join("target/test-data/tantivy-peer-index");
    match peer::Peer::open_or_build(&corpus, &dir) {
        Ok(peer) => Some(peer),
        Err(e) => {
            eprintln!(
                "SKIPPED the peer: {e} (delete {} to build it again)",
                dir.display()
            );
            None
        }
    }
}
