//! Parser throughput on real text: `cargo bench -p locsearch-ingest --bench parse`.
//! Uses the seeds in ../shared when present, else the embedded sample corpus.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn documents() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let seeds = root.join("../shared/seeds");
    let dir = if seeds.is_dir() {
        seeds
    } else {
        root.join("corpus")
    };
    let walk = locsearch_ingest::walk(&dir).expect("corpus directory");
    walk.files
        .iter()
        .map(|f| std::fs::read_to_string(&f.abs).expect("utf-8"))
        .collect()
}

fn parse(c: &mut Criterion) {
    let docs = documents();
    let bytes: usize = docs.iter().map(String::len).sum();
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("parse_document", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| locsearch_ingest::parse_document(d).segments.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
