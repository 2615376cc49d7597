//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared`, or `None` once [`skip`] has said why the calling test does not run.
pub fn shared(what: &str) -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        skip(
            what,
            "it needs ../shared (the project's data folder), which is absent here",
        );
        None
    }
}

/// Whether this is a CI run (`CI=true`, as CI services set it).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A test that cannot run here: under CI a failure (what it needs should be there), elsewhere a
/// line on stderr and one in `target/test-skips.log`, which `.ci/run` counts and prints.
pub fn skip(what: &str, why: &str) {
    assert!(!in_ci(), "{what} cannot run under CI: {why}");
    eprintln!("SKIPPED: {what}: {why}");
    let log = repo_root().join("target/test-skips.log");
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
    {
        use std::io::Write;
        let _ = writeln!(file, "{what}: {why}");
    }
}

/// The real corpus, unpacked once into `target/` and reused by later runs. Tests run in
/// parallel: one unpacks while the others wait.
pub fn real_corpus() -> Option<PathBuf> {
    static UNPACKING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = UNPACKING.lock().unwrap_or_else(|e| e.into_inner());
    let archives = shared("the real corpus")?.join("corpus/alchemy-sxs");
    let dest = repo_root().join("target/test-data/alchemy-sxs");
    let done = dest.join(".unpacked");
    if done.exists() {
        return Some(dest);
    }
    let _ = std::fs::remove_dir_all(&dest);
    std::fs::create_dir_all(&dest).expect("create target/test-data");
    let mut entries: Vec<_> = std::fs::read_dir(&archives)
        .expect("archives")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for archive in entries
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".tar.xz"))
    {
        let status = Command::new("tar")
            .arg("-xJf")
            .arg(archive)
            .arg("-C")
            .arg(&dest)
            .status()
            .expect("run tar");
        assert!(status.success(), "tar failed on {}", archive.display());
    }
    std::fs::write(&done, "").expect("marker");
    Some(dest)
}

pub fn locsearch(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_locsearch"))
        .args(args)
        .current_dir(cwd)
        .env("XDG_CACHE_HOME", cwd.join(".cache"))
        .output()
        .expect("run locsearch")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}
