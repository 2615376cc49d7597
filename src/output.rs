//! Shared output conventions: exit codes, error printing, stdout that tolerates a closed pipe.

use std::io::Write;

/// Some input had errors; everything else was processed.
pub const EXIT_PARTIAL: u8 = 1;
/// Usage error, or nothing could be done.
pub const EXIT_FATAL: u8 = 2;

pub fn print_error(err: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {err}");
    for cause in err.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
}

/// True when writing failed because the reader went away (`locsearch ... | head`): not an error.
pub fn is_broken_pipe(err: &std::io::Error) -> bool {
    err.kind() == std::io::ErrorKind::BrokenPipe
}

/// Buffered stdout for results: a reader that goes away (`| head`) ends the output quietly.
pub struct Stdout {
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
    closed: bool,
}

impl Stdout {
    pub fn new() -> Self {
        Self {
            out: std::io::BufWriter::new(std::io::stdout().lock()),
            closed: false,
        }
    }

    pub fn line(&mut self, text: &str) -> anyhow::Result<()> {
        self.write(|out| writeln!(out, "{text}"))
    }

    pub fn json_line<T: serde::Serialize>(&mut self, value: &T) -> anyhow::Result<()> {
        self.write(|out| {
            serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
            out.write_all(b"\n")
        })
    }

    fn write(
        &mut self,
        f: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        if self.closed {
            return Ok(());
        }
        match f(&mut self.out) {
            Ok(()) => Ok(()),
            Err(e) if is_broken_pipe(&e) => {
                self.closed = true;
                Ok(())
            }
            Err(e) => Err(anyhow::Error::new(e).context("cannot write to stdout")),
        }
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.out.flush() {
            Err(e) if !is_broken_pipe(&e) => {
                Err(anyhow::Error::new(e).context("cannot write to stdout"))
            }
            _ => Ok(()),
        }
    }
}
