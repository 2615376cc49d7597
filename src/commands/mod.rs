//! One module per subcommand; each returns the process exit code.

use std::process::ExitCode;

use crate::cli::{Cli, Command};

mod ingest;
pub(crate) mod sample;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Ingest(args) => ingest::run(args),
    }
}
