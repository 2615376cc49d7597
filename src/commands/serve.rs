//! `locsearch serve`.

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::ServeArgs;

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    // Same default as `search`: an absent default index is built from the sample corpus.
    drop(super::search::open_searcher(
        &args.index.dir,
        &args.synonyms,
    )?);
    let synonyms = args.synonyms.load()?;
    locsearch_server::serve(&args.index.dir, synonyms, args.addr, |addr| {
        eprintln!("listening on http://{addr}")
    })
    .with_context(|| format!("cannot serve on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}
