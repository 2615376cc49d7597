//! Analyzer throughput per script on real corpus text:
//! `cargo bench -p locsearch-analysis --bench analyze`.
//! Reads the real corpus unpacked by the tests (target/test-data/alchemy-sxs) when present,
//! else the sample corpus.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn text_of(locale: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let real = root.join("target/test-data/alchemy-sxs").join(locale);
    let dir = if real.is_dir() {
        real
    } else {
        root.join("corpus").join(locale)
    };
    let mut text = String::new();
    let report = locsearch_ingest::ingest(&dir, &Default::default(), |outcome| {
        if let Some(article) = &outcome.article {
            for s in &article.segments {
                if text.len() < 2 << 20 {
                    text.push_str(&s.target);
                    text.push('\n');
                }
            }
        }
    });
    report.expect("corpus");
    text
}

fn analyzers(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    for (script, locale) in [
        ("latin_sl", "sl-SI"),
        ("latin_de", "de-DE"),
        ("cyrillic_ru", "ru-RU"),
        ("chinese_zh_cn", "zh-CN"),
        ("chinese_zh_tw", "zh-TW"),
        ("japanese", "ja-JP"),
        ("korean", "ko-KR"),
        ("thai", "th-TH"),
    ] {
        let text = text_of(locale);
        let name = locsearch_analysis::resolve(locale).info.name;
        let mut analyzer = locsearch_analysis::analyzer(name).expect("analyzer");
        // Warm up lazy dictionaries outside the measurement.
        locsearch_analysis::analyze(&mut analyzer, "warm up");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(script, |b| {
            b.iter(|| {
                let mut stream = analyzer.token_stream(&text);
                let mut n = 0usize;
                while stream.advance() {
                    n += 1;
                }
                n
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = analyzers
}
criterion_main!(benches);
