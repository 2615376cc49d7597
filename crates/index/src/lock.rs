//! One writer at a time: `DIR/.lock` holds the writer's PID. A lock whose process is gone
//! (killed) is stale and taken over.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::IndexError;

pub struct WriterLock {
    path: PathBuf,
}

impl WriterLock {
    pub fn acquire(dir: &Path) -> Result<WriterLock, IndexError> {
        let path = dir.join(".lock");
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    let _ = write!(file, "{}", std::process::id());
                    return Ok(WriterLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|s| s.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if process_alive(pid) && pid != std::process::id() => {
                            return Err(IndexError::Locked {
                                dir: dir.to_path_buf(),
                                pid,
                            });
                        }
                        // Stale: its writer died. Remove it and try again.
                        _ => {
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => return Err(IndexError::io(&path, e)),
            }
        }
        Err(IndexError::io(
            &path,
            std::io::Error::other("could not take the lock"),
        ))
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn process_alive(pid: u32) -> bool {
    // Linux: a live process has /proc/PID. Elsewhere, assume alive (never steal a lock).
    if Path::new("/proc/self").exists() {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}
