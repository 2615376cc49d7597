//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "locsearch", version, about = "Full-text search over localized side-by-side documentation")]
#[command(after_help = "Exit codes: 0 success, 1 some input had errors (the rest was processed), 2 usage or fatal error.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse a corpus into aligned segments and summarise it (or print them with --json).
    Ingest(IngestArgs),
}

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// A corpus directory or a single file [default: ./corpus, else the embedded sample corpus].
    pub path: Option<PathBuf>,
    /// Write one JSON object per segment (JSON Lines) to stdout; diagnostics go to stderr.
    #[arg(long)]
    pub json: bool,
}
