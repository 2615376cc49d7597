//! `locsearch`: full-text search over localized side-by-side documentation.

use std::process::ExitCode;

use clap::Parser;

mod allocator;
mod cli;
mod commands;
mod output;
mod printer;

fn main() -> ExitCode {
    allocator::configure();
    let args = cli::Cli::parse();
    match commands::run(args) {
        Ok(code) => code,
        Err(err) => {
            output::print_error(&err);
            ExitCode::from(output::EXIT_FATAL)
        }
    }
}
