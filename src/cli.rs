//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::printer::Format;

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
    /// Combine index parts built apart (`index --locales`) into one new index.
    Merge(MergeArgs),
    /// Publish a finished index as a new immutable generation of a directory replicas copy.
    Publish(PublishArgs),
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
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to stdout.
    Man,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}

/// The index directory, as every command that reads or writes one takes it.
#[derive(Debug, clap::Args)]
pub struct IndexDir {
    /// Index directory.
    #[arg(
        id = "index",
        long = "index",
        value_name = "DIR",
        default_value = "index"
    )]
    pub dir: PathBuf,
}

/// The user's synonyms, as every command that searches takes them.
#[derive(Debug, clap::Args)]
pub struct SynonymsArg {
    /// A directory of synonyms files, one per language (`de.txt`, `en.txt`), each line
    /// `a, b, c` or `a => b` (README, "Synonyms").
    #[arg(id = "synonyms", long = "synonyms", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

impl SynonymsArg {
    pub fn load(&self) -> anyhow::Result<locsearch_server::Synonyms> {
        Ok(match &self.dir {
            Some(dir) => locsearch_query::synonyms::load(dir)?,
            None => Default::default(),
        })
    }
}

/// How a command prints its results.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// One JSON object per result (JSON Lines) instead of text.
    #[arg(long)]
    json: bool,
}

impl OutputArgs {
    pub fn format(&self) -> Format {
        if self.json {
            Format::JsonLines
        } else {
            Format::Text
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Reloaded whenever `locsearch index` updates it.
    #[command(flatten)]
    pub index: IndexDir,
    #[command(flatten)]
    pub synonyms: SynonymsArg,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:7700")]
    pub addr: std::net::SocketAddr,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The query: words, "quoted phrases", -excluded words, lang:xx-YY, path:prefix.
    pub query: String,
    /// Search only these locales (repeatable; `sl` is the index's one Slovenian locale);
    /// default: any language, routed by script.
    #[arg(long = "lang")]
    pub langs: Vec<String>,
    /// Number of hits.
    #[arg(long, default_value_t = locsearch_query::DEFAULT_LIMIT)]
    pub limit: usize,
    #[command(flatten)]
    pub index: IndexDir,
    #[command(flatten)]
    pub synonyms: SynonymsArg,
    #[command(flatten)]
    pub output: OutputArgs,
    /// One hit per matching segment pair (a translation-memory concordance).
    #[arg(long)]
    pub segments: bool,
    /// Also list every term searched besides the query's words (corrections, synonyms), with
    /// its weight.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// JSON Lines file of queries, or - for standard input.
    #[arg(default_value = "-")]
    pub file: PathBuf,
    #[command(flatten)]
    pub index: IndexDir,
    #[command(flatten)]
    pub synonyms: SynonymsArg,
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// The corpus directory [default: ./corpus, else the embedded sample corpus].
    pub corpus: Option<PathBuf>,
    #[command(flatten)]
    pub index: IndexDir,
    /// Remove the existing index first and build from nothing.
    #[arg(long)]
    pub rebuild: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Follow symbolic links that lead outside the corpus directory (by default they are
    /// skipped with a warning).
    #[arg(long)]
    pub follow_links_outside: bool,
    /// Index only these locales (comma-separated, e.g. de-DE,fr-FR): a part of an index, to
    /// build on one machine and combine with others by `locsearch merge`.
    #[arg(long, value_delimiter = ',', value_name = "LOCALES")]
    pub locales: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Index parts, each built with `locsearch index --locales`; no locale in two of them.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// The new index directory (new or empty).
    #[command(flatten)]
    pub index: IndexDir,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// The finished index to publish.
    #[command(flatten)]
    pub index: IndexDir,
    /// The published directory: `generations/<n>/` and the `CURRENT` pointer.
    #[arg(long, value_name = "PUB")]
    pub to: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
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
    #[command(flatten)]
    pub index: IndexDir,
    #[command(flatten)]
    pub output: OutputArgs,
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
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// A corpus directory or a single file [default: ./corpus, else the embedded sample corpus].
    pub path: Option<PathBuf>,
    /// With --json, every segment (JSON Lines) instead of the summary; diagnostics go to
    /// stderr.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Follow symbolic links that lead outside the corpus directory (by default they are
    /// skipped with a warning).
    #[arg(long)]
    pub follow_links_outside: bool,
}
