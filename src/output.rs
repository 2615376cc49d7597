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
