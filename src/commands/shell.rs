//! `locsearch completions SHELL` and `locsearch man`: generated from the argument definitions
//! (`cli.rs`), so they never drift from the commands.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

pub fn completions(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "locsearch", &mut out);
    write(&out)
}

pub fn man() -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    write(&out)
}

fn write(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    let mut stdout = crate::output::Stdout::new();
    stdout.line(String::from_utf8_lossy(bytes).trim_end())?;
    stdout.finish()?;
    Ok(ExitCode::SUCCESS)
}
