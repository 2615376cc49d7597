//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "locsearch",
    version,
    about = "Full-text search over localized side-by-side documentation"
)]
#[command(
    after_help = "Exit codes: 0 success, 1 some input had errors (the rest was processed), 2 usage or fatal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse a corpus into aligned segments and summarise it (or print them with --json).
    Ingest(IngestArgs),
    /// Build or update the per-locale indexes of a corpus (incremental; --rebuild starts clean).
    Index(IndexArgs),
    /// Per-locale statistics of an index.
    Stats(StatsArgs),
    /// Verify every file of an index against its checksum; name damaged locales.
    Check(StatsArgs),
    /// Show the tokens a locale's analyzer makes of a text ("why doesn't my query match?").
    Analyze(AnalyzeArgs),
    /// Check that everything locsearch needs is here (dictionaries, analyzers).
    Doctor,
    /// Search: ranked articles with their best passages, localized and English side by side.
    Search(SearchArgs),
    /// Run many queries: JSON Lines in ({"qid","query","lang","limit"}), JSON Lines out, in order.
    Batch(BatchArgs),
    /// Serve the JSON API and the search page over HTTP (loopback by default).
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Index directory (reloaded whenever `locsearch index` updates it).
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:7700")]
    pub addr: std::net::SocketAddr,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The query: words, "quoted phrases", -excluded words, lang:xx-YY, path:prefix.
    pub query: String,
    /// Search only these locales (repeatable); default: any language, routed by script.
    #[arg(long = "lang")]
    pub langs: Vec<String>,
    /// Number of hits.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Index directory.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// One JSON object per hit (JSON Lines).
    #[arg(long)]
    pub json: bool,
    /// One hit per matching segment pair (a translation-memory concordance).
    #[arg(long)]
    pub segments: bool,
}

#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// JSON Lines file of queries, or - for standard input.
    #[arg(default_value = "-")]
    pub file: PathBuf,
    /// Index directory.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Accepted for symmetry with the other commands: batch output is always JSON Lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// The corpus directory [default: ./corpus, else the embedded sample corpus].
    pub corpus: Option<PathBuf>,
    /// Index directory.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Remove the existing index first and build from nothing.
    #[arg(long)]
    pub rebuild: bool,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Follow symbolic links that lead outside the corpus directory (by default they are
    /// skipped with a warning).
    #[arg(long)]
    pub follow_links_outside: bool,
}

impl IndexArgs {
    pub fn links(&self) -> locsearch_ingest::Links {
        links(self.follow_links_outside)
    }
}

impl IngestArgs {
    pub fn links(&self) -> locsearch_ingest::Links {
        links(self.follow_links_outside)
    }
}

fn links(follow_outside: bool) -> locsearch_ingest::Links {
    if follow_outside {
        locsearch_ingest::Links::Anywhere
    } else {
        locsearch_ingest::Links::InsideRoot
    }
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Index directory.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// One JSON object per locale (JSON Lines).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Locale whose analyzer to use (BCP-47, e.g. sl-SI).
    #[arg(long, required_unless_present = "source")]
    pub lang: Option<String>,
    /// Use the English source-side analyzer.
    #[arg(long)]
    pub source: bool,
    /// The text to analyze.
    pub text: String,
    /// One JSON object per token (JSON Lines).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// A corpus directory or a single file [default: ./corpus, else the embedded sample corpus].
    pub path: Option<PathBuf>,
    /// Write one JSON object per segment (JSON Lines) to stdout; diagnostics go to stderr.
    #[arg(long)]
    pub json: bool,
    /// Follow symbolic links that lead outside the corpus directory (by default they are
    /// skipped with a warning).
    #[arg(long)]
    pub follow_links_outside: bool,
}
