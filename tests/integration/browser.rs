//! The search page in a real headless Chromium: search, see both sides, open the article, and
//! a crafted document whose markup must stay text. Screenshots go to target/test-artifacts/.
//! Skips with a message where no Chromium is installed (`.ci/run` installs Debian's).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::repo_root;

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Runs headless Chromium on `url` with one output flag (`--dump-dom` or `--screenshot=…`);
/// the virtual time budget lets the page's fetches finish first.
fn chromium_run(browser: &Path, profile: &Path, url: &str, output: &str) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(output)
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn search_page_in_a_real_browser() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: no Chromium here (apt-get install chromium); the browser test did not run");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_, index) = crate::serve::corpus_and_index(dir.path());
    let server = crate::serve::Server::start(&index);
    let artifacts = repo_root().join("target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let profile = dir.path().join("profile");

    // Search from the box's URL form, as the form submits it.
    let url = format!("{}/?q=greyed-out+reset+button", server.base);
    let dom = chromium_run(&browser, &profile, &url, "--dump-dom");
    assert!(dom.contains("The password reset button is greyed out"), "English side shown: {dom}");
    assert!(dom.contains("Gumb za ponastavitev gesla je zatemnjen"), "localized side shown: {dom}");
    assert!(dom.contains("<mark>"), "matches highlighted");
    chromium_run(&browser, &profile, &url, &format!("--screenshot={}", artifacts.join("search.png").display()));
    assert!(artifacts.join("search.png").metadata().unwrap().len() > 10_000);

    // The article view a click on the hit opens (the page keeps it in the URL).
    let url = format!("{}/#article=sl-SI/AlchemyInsights/password-reset-button-greyed-out.md", server.base);
    let dom = chromium_run(&browser, &profile, &url, "--dump-dom");
    assert!(dom.contains("Odpravljanje težave z zatemnjenim gumbom") && dom.contains("Fix the greyed-out button"), "{dom}");
    chromium_run(&browser, &profile, &url, &format!("--screenshot={}", artifacts.join("article.png").display()));

    // The crafted document: its markup is shown as text, never becomes elements.
    let url = format!("{}/?q=skripta+kodiranje&lang=sl-SI", server.base);
    let dom = chromium_run(&browser, &profile, &url, "--dump-dom");
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "shown as text: {dom}");
    assert!(dom.contains("Napad &lt;img src=x onerror=alert(1)&gt;"), "{dom}");
    assert!(!dom.contains("<script>alert") && !dom.contains("<img src=\"x\""), "corpus markup became DOM: {dom}");
}
