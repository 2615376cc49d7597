//! One module per subcommand; each returns the process exit code.

use std::process::ExitCode;

use crate::cli::{Cli, Command};

mod analyze;
mod batch;
mod index;
mod ingest;
mod lines;
pub(crate) mod sample;
mod search;
mod serve;
mod shell;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Ingest(args) => ingest::run(args),
        Command::Index(args) => index::run(args),
        Command::Merge(args) => index::merge(args),
        Command::Publish(args) => index::publish(args),
        Command::Stats(args) => index::stats(args),
        Command::Check(args) => index::check(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Doctor => analyze::doctor(),
        Command::Search(args) => search::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Completions(args) => shell::completions(args),
        Command::Man => shell::man(),
    }
}
