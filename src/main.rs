//! `locsearch`: full-text search over localized side-by-side documentation.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod output;

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
