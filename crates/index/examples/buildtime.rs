#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let report = locsearch_index::build(
        std::path::Path::new(&args[1]),
        std::path::Path::new(&args[2]),
        &locsearch_index::BuildOptions {
            rebuild: true,
            ..Default::default()
        },
        |_| {},
        |_| {},
    )
    .unwrap();
    eprintln!(
        "{} files, {} errors, {:.1} s",
        report.files, report.errors, report.seconds
    );
}
