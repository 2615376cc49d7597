//! `locsearch`: full-text search over localized side-by-side documentation.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod output;
mod printer;

// Analysis allocates a string per token: mimalloc cut index build CPU time (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match commands::run(args) {
        Ok(code) => code,
        Err(err) => {
            output::print_error(&err);
            ExitCode::from(output::EXIT_FATAL)
        }
    }
}
