//! The search page in a real headless Chromium: search, see both sides, open the article, and
//! a crafted document whose markup must stay text. Screenshots go to target/test-artifacts/.
//! Skips with a message where no Chromium is installed (`.ci/run` installs Debian's).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{repo_root, skip};

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Headless Chromium as root on a machine with no network but loopback: without the
/// background-networking flags it keeps trying hosts it cannot reach.
const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
];

/// Runs headless Chromium on `url` with one output flag (`--dump-dom` or `--screenshot=…`);
/// the virtual time budget lets the page's fetches finish first.
fn chromium_run(browser: &Path, profile: &Path, url: &str, output: &str) -> String {
    let out = Command::new(browser)
        .args(HEADLESS)
        .arg("--virtual-time-budget=5000")
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
        return skip(
            "the browser test",
            "no Chromium here (apt-get install chromium)",
        );
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
    assert!(
        dom.contains("The password reset button is greyed out"),
        "English side shown: {dom}"
    );
    assert!(
        dom.contains("Gumb za ponastavitev gesla je zatemnjen"),
        "localized side shown: {dom}"
    );
    assert!(dom.contains("<mark>"), "matches highlighted");
    chromium_run(
        &browser,
        &profile,
        &url,
        &format!("--screenshot={}", artifacts.join("search.png").display()),
    );
    assert!(artifacts.join("search.png").metadata().unwrap().len() > 10_000);

    // The article view a click on the hit opens (the page keeps it in the URL).
    let url = format!(
        "{}/#article=sl-SI/AlchemyInsights/password-reset-button-greyed-out.md",
        server.base
    );
    let dom = chromium_run(&browser, &profile, &url, "--dump-dom");
    assert!(
        dom.contains("Odpravljanje težave z zatemnjenim gumbom")
            && dom.contains("Fix the greyed-out button"),
        "{dom}"
    );
    chromium_run(
        &browser,
        &profile,
        &url,
        &format!("--screenshot={}", artifacts.join("article.png").display()),
    );

    // The crafted document: its markup is shown as text, never becomes elements.
    let url = format!("{}/?q=skripta+kodiranje&lang=sl-SI", server.base);
    let dom = chromium_run(&browser, &profile, &url, "--dump-dom");
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "shown as text: {dom}"
    );
    assert!(
        dom.contains("Napad &lt;img src=x onerror=alert(1)&gt;"),
        "{dom}"
    );
    assert!(
        !dom.contains("<script>alert") && !dom.contains("<img src=\"x\""),
        "corpus markup became DOM: {dom}"
    );
}

/// A W3C WebDriver session on chromedriver, over plain HTTP.
struct WebDriver {
    driver: std::process::Child,
    base: String,
    session: String,
    agent: ureq::Agent,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl WebDriver {
    /// `None` when there is no chromedriver; any other failure (it does not start, a version
    /// that does not match the browser) fails the test, after stopping the driver.
    fn start(browser: &Path, profile: &Path) -> Option<WebDriver> {
        let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        match open_session(&agent, &base, browser, profile) {
            Ok(session) => Some(WebDriver {
                driver,
                base,
                session,
                agent,
            }),
            Err(why) => {
                let _ = driver.kill();
                let _ = driver.wait();
                panic!(
                    "chromedriver is here but cannot drive {}: {why}",
                    browser.display()
                );
            }
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> serde_json::Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut response = match (method, body) {
            ("GET", _) => self.agent.get(url).call(),
            (_, Some(body)) => self.agent.post(url).send_json(&body),
            (_, None) => self.agent.post(url).send_json(serde_json::json!({})),
        }
        .expect("webdriver request");
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap()
    }

    /// The first element matching `css`, waiting up to five seconds for it.
    fn find(&self, css: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let found = self.call(
                "POST",
                "/element",
                Some(serde_json::json!({"using": "css selector", "value": css})),
            );
            if let Some(id) = found["value"][ELEMENT].as_str() {
                return id.to_owned();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no element {css}: {found}; page: {}",
                self.source()
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    fn source(&self) -> String {
        self.call("GET", "/source", None)["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn screenshot(&self, path: &Path) {
        use base64::Engine;
        let png = self.call("GET", "/screenshot", None)["value"]
            .as_str()
            .unwrap()
            .to_owned();
        std::fs::write(
            path,
            base64::engine::general_purpose::STANDARD
                .decode(png)
                .unwrap(),
        )
        .unwrap();
    }
}

/// Waits for chromedriver, then opens a headless session; the session id.
fn open_session(
    agent: &ureq::Agent,
    base: &str,
    browser: &Path,
    profile: &Path,
) -> Result<String, String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while agent.get(format!("{base}/status")).call().is_err() {
        if std::time::Instant::now() > deadline {
            return Err("chromedriver did not answer within 10 s".into());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let capabilities = serde_json::json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": browser.to_str().unwrap(),
            "args": HEADLESS.iter().map(|a| a.to_string())
                .chain([format!("--user-data-dir={}", profile.display())])
                .collect::<Vec<_>>()
        }
    }}});
    let mut response = agent
        .post(format!("{base}/session"))
        .send_json(&capabilities)
        .map_err(|e| e.to_string())?;
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    let body: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    body["value"]["sessionId"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no session: {text}"))
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = self
            .agent
            .delete(format!("{}/session/{}", self.base, self.session))
            .call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A person's path through the page: type the query, press Enter, read both sides, click the
/// hit, read the article; open an English hit in another locale, which the page remembers.
#[test]
fn typing_searching_and_clicking_through_webdriver() {
    let Some(browser) = chromium() else {
        return skip(
            "the WebDriver test",
            "no Chromium here (apt-get install chromium chromium-driver)",
        );
    };
    let dir = tempfile::tempdir().unwrap();
    let Some(driver) = WebDriver::start(&browser, &dir.path().join("profile")) else {
        return skip(
            "the WebDriver test",
            "no chromedriver here (apt-get install chromium-driver)",
        );
    };
    let (_, index) = crate::serve::corpus_and_index(dir.path());
    let server = crate::serve::Server::start(&index);
    let artifacts = repo_root().join("target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();

    driver.call(
        "POST",
        "/url",
        Some(serde_json::json!({"url": format!("{}/", server.base)})),
    );
    let active = driver.call("GET", "/element/active", None);
    let search_box = driver.find("#q");
    assert_eq!(
        active["value"][ELEMENT].as_str(),
        Some(search_box.as_str()),
        "the search box has the focus on load"
    );
    // Type and press Enter (U+E007 in WebDriver's key table).
    driver.call(
        "POST",
        &format!("/element/{search_box}/value"),
        Some(serde_json::json!({"text": "greyed-out reset button\u{E007}"})),
    );
    let title = driver.find(".hit h2");
    let page = driver.source();
    assert!(
        page.contains("The password reset button is greyed out"),
        "English side shown"
    );
    assert!(
        page.contains("Gumb za ponastavitev gesla je zatemnjen"),
        "localized side shown"
    );
    assert!(page.contains("<mark>"), "matches highlighted");
    driver.screenshot(&artifacts.join("webdriver-search.png"));

    driver.call("POST", &format!("/element/{title}/click"), None);
    driver.find("#article h1");
    let page = driver.source();
    assert!(
        page.contains("Odpravljanje težave z zatemnjenim gumbom")
            && page.contains("Fix the greyed-out button")
    );
    driver.screenshot(&artifacts.join("webdriver-article.png"));
    assert!(
        artifacts
            .join("webdriver-article.png")
            .metadata()
            .unwrap()
            .len()
            > 10_000
    );

    // An English hit lists its locales as links; one opens the article side by side in that
    // locale, and the page remembers it: the next English hit opens there.
    let search_again = || {
        driver.call(
            "POST",
            "/url",
            Some(serde_json::json!({"url": format!("{}/?q=greyed-out+reset+button", server.base)})),
        );
    };
    search_again();
    let german = driver.find(".hit a.locale[lang=de-DE]");
    driver.call("POST", &format!("/element/{german}/click"), None);
    driver.find("#article h1");
    let german_title = "Die Schaltfläche zum Zurücksetzen des Kennworts ist ausgegraut";
    assert!(driver.source().contains(german_title), "opened in de-DE");
    search_again();
    driver.find(".hit a.preferred[lang=de-DE]");
    let title = driver.find(".hit h2");
    driver.call("POST", &format!("/element/{title}/click"), None);
    driver.find("#article h1");
    assert!(
        driver.source().contains(german_title),
        "the preferred locale opens"
    );
}
