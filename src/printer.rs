//! Results as the user asked for them: a command hands its records to one [`Printer`], which
//! writes them in the chosen [`Format`]. A new format is a new variant here, and every
//! command has it.

use std::io::IsTerminal;

use serde::Serialize;

use crate::output::Stdout;

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Lines for people; highlights in color on a terminal.
    Text,
    /// One JSON object per record (JSON Lines), for scripts.
    JsonLines,
}

/// A result a printer can write: as itself in JSON, as lines in text.
pub trait Record: Serialize {
    fn write_text(&self, out: &mut TextOut<'_>) -> anyhow::Result<()>;
}

/// Where a [`Record`] writes its text.
pub struct TextOut<'a> {
    out: &'a mut Stdout,
    /// Whether the output is a terminal (highlights may use color).
    pub color: bool,
}

impl TextOut<'_> {
    pub fn line(&mut self, text: &str) -> anyhow::Result<()> {
        self.out.line(text)
    }
}

pub struct Printer {
    format: Format,
    out: Stdout,
    color: bool,
}

impl Printer {
    pub fn new(format: Format) -> Printer {
        Printer {
            format,
            out: Stdout::new(),
            color: std::io::stdout().is_terminal(),
        }
    }

    pub fn record<R: Record>(&mut self, record: &R) -> anyhow::Result<()> {
        match self.format {
            Format::Text => record.write_text(&mut TextOut {
                out: &mut self.out,
                color: self.color,
            }),
            Format::JsonLines => self.out.json_line(record),
        }
    }

    /// A line for people around the records (a header, a total, "no hits"): text only.
    pub fn note(&mut self, text: &str) -> anyhow::Result<()> {
        match self.format {
            Format::Text => self.out.line(text),
            Format::JsonLines => Ok(()),
        }
    }

    pub fn finish(self) -> anyhow::Result<()> {
        self.out.finish()
    }
}
