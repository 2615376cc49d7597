//! One writer at a time: an exclusive `flock` on `DIR/.lock`, which also holds the writer's PID
//! for the message a second writer gets.
//!
//! The kernel takes the lock atomically and releases it when its process dies, however it
//! dies: there is no stale lock to detect, and no window in which two writers both get in.
//! The file is never removed: a writer that deleted it on leaving could let a waiting process
//! lock the unlinked file while a third one creates and locks a new one.

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

use crate::IndexError;

pub const FILE: &str = ".lock";

pub struct WriterLock {
    /// Held open: closing it releases the lock.
    _file: File,
}

impl WriterLock {
    pub fn acquire(dir: &Path) -> Result<WriterLock, IndexError> {
        let path = dir.join(FILE);
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| IndexError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(IndexError::Locked {
                    dir: dir.to_path_buf(),
                    holder: holder_pid(&mut file),
                });
            }
            Err(TryLockError::Error(e)) => return Err(IndexError::io(&path, e)),
        }
        record_pid(&mut file).map_err(|e| IndexError::io(&path, e))?;
        Ok(WriterLock { _file: file })
    }
}

fn record_pid(file: &mut File) -> std::io::Result<()> {
    file.set_len(0)?;
    file.rewind()?;
    write!(file, "{}", std::process::id())
}

/// The PID the holder wrote, if it has written it yet.
fn holder_pid(file: &mut File) -> Holder {
    let mut text = String::new();
    let pid = file
        .read_to_string(&mut text)
        .ok()
        .and_then(|_| text.trim().parse().ok());
    Holder(pid)
}

/// The process holding a lock, as far as its lock file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder(pub Option<u32>);

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(pid) => write!(f, "process {pid}"),
            None => f.write_str("another process"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many pairs of writers racing for one directory: exactly one of each pair gets in, and
    /// the loser leaves the winner's lock in place.
    #[test]
    fn exactly_one_of_two_racing_writers_gets_the_lock() {
        for _ in 0..200 {
            let dir = tempfile::tempdir().unwrap();
            let barrier = std::sync::Barrier::new(2);
            let outcomes: Vec<Result<WriterLock, IndexError>> = std::thread::scope(|s| {
                let racers: Vec<_> = (0..2)
                    .map(|_| {
                        s.spawn(|| {
                            barrier.wait();
                            WriterLock::acquire(dir.path())
                        })
                    })
                    .collect();
                racers.into_iter().map(|r| r.join().unwrap()).collect()
            });
            let winners = outcomes.iter().filter(|o| o.is_ok()).count();
            assert_eq!(winners, 1);
            let loser = outcomes.iter().find_map(|o| o.as_ref().err()).unwrap();
            assert!(matches!(loser, IndexError::Locked { .. }), "{loser}");
            // While the winner holds it, a third writer is refused too.
            assert!(WriterLock::acquire(dir.path()).is_err());
            drop(outcomes);
            assert!(WriterLock::acquire(dir.path()).is_ok());
        }
    }
}
