fn main() {
    let root = std::env::args().nth(1).unwrap();
    let t = std::time::Instant::now();
    let w = locsearch_ingest::walk(std::path::Path::new(&root)).unwrap();
    eprintln!("walk {} files in {:?}", w.files.len(), t.elapsed());
    let t = std::time::Instant::now();
    let texts: Vec<String> = w
        .files
        .iter()
        .map(|f| std::fs::read_to_string(&f.abs).unwrap())
        .collect();
    eprintln!("read in {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let n: usize = texts
        .iter()
        .map(|t| locsearch_ingest::parse_document(t).segments.len())
        .sum();
    eprintln!("parse 1 thread {n} segs in {:?}", t.elapsed());
    let t = std::time::Instant::now();
    for t in &texts {
        let s = t.strip_prefix('\u{feff}').unwrap_or(t);
        let _ = s.len();
    }
    let mut yaml = std::time::Duration::ZERO;
    for text in &texts {
        if let Some(rest) = text.strip_prefix("---\n")
            && let Some(end) = rest.find("\n---")
        {
            let t0 = std::time::Instant::now();
            let _v: Result<serde_yaml_ng::Value, _> = serde_yaml_ng::from_str(&rest[..end]);
            yaml += t0.elapsed();
        }
    }
    eprintln!("yaml alone {:?} (total {:?})", yaml, t.elapsed());
    let t = std::time::Instant::now();
    let mut ev = 0usize;
    for text in &texts {
        ev += pulldown_cmark::Parser::new_ext(
            text,
            pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_GFM,
        )
        .into_offset_iter()
        .count();
    }
    eprintln!("pulldown alone {ev} events {:?}", t.elapsed());
}
