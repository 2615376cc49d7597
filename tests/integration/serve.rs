//! `locsearch serve`: the HTTP API end to end, on a private copy of the sample corpus.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::repo_root;

pub struct Server {
    pub child: Child,
    pub base: String,
    pub agent: ureq::Agent,
}

impl Server {
    pub fn start(index: &Path) -> Server {
        Server::start_on(index, "127.0.0.1:0")
    }

    /// A server on `addr` (port 0: any free port).
    pub fn start_on(index: &Path, addr: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_locsearch"))
            .args(["serve", "--index", index.to_str().unwrap(), "--addr", addr])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let base = loop {
            let line = lines.next().expect("server said where it listens").unwrap();
            if let Some(url) = line.strip_prefix("listening on ") {
                break url.to_owned();
            }
        };
        // Keep draining the request log so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Server { child, base, agent }
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        let mut response = self
            .agent
            .get(format!("{}{path}", self.base))
            .call()
            .unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let mut response = self
            .agent
            .post(format!("{}{path}", self.base))
            .send_json(body)
            .unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn corpus_and_index(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let corpus = dir.join("corpus");
    crate::index::copy_dir(&repo_root().join("corpus"), &corpus);
    // A crafted document: markup in its text must come back as text, never run.
    std::fs::write(
        corpus.join("sl-SI/AlchemyInsights/xss.md"),
        "---\nms.contentlocale: sl-SI\ntitle: \"Napad <img src=x onerror=alert(1)>\"\n---\n# <span data-ttu-id=\"x-1\">Skripta &lt;script&gt;alert(1)&lt;/script&gt; kodiranje</span><span class=\"sxs-lookup\"><span data-stu-id=\"x-1\">Script &lt;script&gt;alert(2)&lt;/script&gt; encoding</span></span>\n",
    )
    .unwrap();
    let index = dir.join("index");
    locsearch_index::build(&corpus, &index, &Default::default(), |_| {}, |_| {}).unwrap();
    (corpus, index)
}

#[test]
fn api_statuses_limits_and_order() {
    let dir = tempfile::tempdir().unwrap();
    let (_, index) = corpus_and_index(dir.path());
    let server = Server::start(&index);

    let (status, health) = server.get("/health");
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
    let (status, stats) = server.get("/stats");
    assert_eq!(status, 200);
    assert_eq!(stats.as_array().unwrap().len(), 10);

    let (status, body) = server.get("/search?q=greyed-out%20reset%20button");
    assert_eq!(status, 200);
    assert_eq!(
        body["hits"][0]["article"],
        "AlchemyInsights/password-reset-button-greyed-out.md"
    );
    let (status, body) = server.post(
        "/search",
        &json!({"q": "gumb", "lang": "sl-SI", "limit": 2}),
    );
    assert_eq!(status, 200);
    let hits = body["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 2, "{body}");
    assert!(hits.iter().all(|h| h["locale"] == "sl-SI"));

    assert_eq!(server.get("/search").0, 400, "missing q");
    assert_eq!(server.get("/search?q=%20").0, 400, "empty query");
    assert_eq!(server.get("/search?q=x&limit=1000").0, 400);
    let (status, body) = server.get("/search?q=x&lang=xx-YY");
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("unknown locale"));
    assert_eq!(
        server.get(&format!("/search?q={}", "a".repeat(5000))).0,
        400,
        "query too long"
    );
    assert_eq!(server.post("/search", &json!("not an object")).0, 422);

    let queries = json!({"queries": [
        {"qid": "a", "q": "greyed-out reset button"},
        {"qid": "b", "q": "   "},
        {"qid": "c", "q": "按钮", "lang": "zh-CN"}
    ]});
    let (status, answers) = server.post("/batch", &queries);
    assert_eq!(status, 200);
    let answers = answers.as_array().unwrap();
    assert_eq!(
        answers.iter().map(|a| a["qid"].clone()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    assert!(answers[1]["error"].as_str().unwrap().contains("empty"));
    assert_eq!(answers[2]["hits"][0]["locale"], "zh-CN");
    let too_many: Vec<Value> = (0..101).map(|i| json!({"qid": i, "q": "x"})).collect();
    assert_eq!(server.post("/batch", &json!({"queries": too_many})).0, 413);
    let huge = json!({"q": "x".repeat(300 * 1024)});
    assert_eq!(server.post("/search", &huge).0, 413, "body over the limit");

    let (status, article) =
        server.get("/articles/sl-SI/AlchemyInsights/password-reset-button-greyed-out.md");
    assert_eq!(status, 200);
    assert_eq!(
        article["segments"][0]["source"],
        "The password reset button is greyed out"
    );
    assert_eq!(server.get("/articles/sl-SI/AlchemyInsights/nope.md").0, 404);
    assert_eq!(server.get("/articles/xx-YY/a.md").0, 404);
    assert_eq!(server.get("/no/such/route").0, 404);
    let (status, spec) = server.get("/openapi.json");
    assert_eq!(status, 200);
    assert!(spec["paths"]["/search"].is_object());
}

#[test]
fn corpus_markup_comes_back_as_text_and_the_page_never_parses_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_, index) = corpus_and_index(dir.path());
    let server = Server::start(&index);
    let (_, body) = server.get("/search?q=skripta%20kodiranje&lang=sl-SI");
    let hit = &body["hits"][0];
    assert_eq!(
        hit["segments"][0]["target"],
        "Skripta <script>alert(1)</script> kodiranje"
    );
    assert_eq!(hit["title"], "Napad <img src=x onerror=alert(1)>");
    // The page builds every node from text: no innerHTML, no insertAdjacentHTML, no eval.
    let mut response = server
        .agent
        .get(format!("{}/", server.base))
        .call()
        .unwrap();
    let page = response.body_mut().read_to_string().unwrap();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!page.contains(sink), "the page uses {sink}");
    }
    assert!(page.contains("textContent"));
}

#[test]
fn index_updates_are_served_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, index) = corpus_and_index(dir.path());
    let server = Server::start(&index);
    let query = "/search?q=wombatfilter&lang=de-DE";
    assert!(server.get(query).1["hits"].as_array().unwrap().is_empty());
    let file = corpus.join("de-DE/AlchemyInsights/password-reset-button-greyed-out.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("ausgegraut", "wombatfilter");
    std::fs::write(&file, text).unwrap();
    locsearch_index::build(&corpus, &index, &Default::default(), |_| {}, |_| {}).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = server.get(query);
        assert_eq!(status, 200, "no request fails while the index changes");
        if !body["hits"].as_array().unwrap().is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the update was not served within 10 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn sigterm_shuts_down_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (_, index) = corpus_and_index(dir.path());
    let mut server = Server::start(&index);
    assert_eq!(server.get("/health").0, 200);
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // The agent still holds its idle keep-alive connection: that must not keep the server up
    // beyond the grace period (it once did, and CI waited for ever).
    let exit = exit_after_signal(&mut server, std::time::Instant::now());
    assert!(exit.success(), "exit status {exit:?}");
}

/// The server's exit status, failing the test when it outlives the grace period by far.
fn exit_after_signal(
    server: &mut Server,
    signalled: std::time::Instant,
) -> std::process::ExitStatus {
    let deadline =
        signalled + locsearch_server::SHUTDOWN_GRACE + std::time::Duration::from_secs(10);
    loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            return exit;
        }
        if std::time::Instant::now() > deadline {
            let _ = server.child.kill();
            panic!("the server was still running long after SIGTERM");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_stalled_client_delays_shutdown_by_the_grace_period_only() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let (_, index) = corpus_and_index(dir.path());
    let mut server = Server::start(&index);
    // Half a request, never finished: graceful shutdown alone would wait for it for ever.
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut stalled = std::net::TcpStream::connect(address).unwrap();
    stalled
        .write_all(b"GET /health HTTP/1.1\r\nHost: locsearch\r\n")
        .unwrap();
    assert_eq!(server.get("/health").0, 200);
    let sent = std::time::Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = exit_after_signal(&mut server, sent);
    assert!(exit.success(), "exit status {exit:?}");
    assert!(
        sent.elapsed() >= locsearch_server::SHUTDOWN_GRACE,
        "in-flight work gets its grace period ({:?})",
        sent.elapsed()
    );
    drop(stalled);
}

#[test]
fn queries_in_flight_during_a_rebuild_never_fail() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, index) = corpus_and_index(dir.path());
    let server = Server::start(&index);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (base, flag) = (server.base.clone(), stop.clone());
    let hammer = std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut statuses = Vec::new();
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            for q in [
                "greyed-out%20reset%20button",
                "gumb&lang=sl-SI",
                "%E6%8C%89%E9%92%AE",
            ] {
                let response = agent.get(format!("{base}/search?q={q}")).call().unwrap();
                statuses.push(response.status().as_u16());
            }
        }
        statuses
    });
    for _ in 0..3 {
        locsearch_index::build(
            &corpus,
            &index,
            &locsearch_index::BuildOptions {
                rebuild: true,
                ..Default::default()
            },
            |_| {},
            |_| {},
        )
        .unwrap();
    }
    std::thread::sleep(Duration::from_millis(700));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let statuses = hammer.join().unwrap();
    assert!(statuses.len() > 10, "the queries ran during the rebuilds");
    assert!(
        statuses.iter().all(|s| *s == 200),
        "a query failed during a rebuild: {statuses:?}"
    );
    assert_eq!(server.get("/search?q=gumb&lang=sl-SI").0, 200);
}

/// Sends `request` as raw bytes and returns what the server answered before closing.
fn raw(base: &str, request: &[u8]) -> String {
    use std::io::{Read, Write};
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// What the hostile probe found missing: every error is JSON (405, bad UTF-8 in a path, 414,
/// 431), every answer says `nosniff`, a loopback server answers only requests addressed to
/// localhost (DNS rebinding), and a client that never finishes its headers is cut off.
#[test]
fn http_hardening() {
    let dir = tempfile::tempdir().unwrap();
    let (_, index) = corpus_and_index(dir.path());
    let server = Server::start(&index);
    let local = "Host: localhost\r\nConnection: close\r\n";
    let long_target = format!("/search?q={}", "a".repeat(locsearch_server::MAX_URI_BYTES));
    let big_header = format!(
        "X-Big: {}\r\n",
        "a".repeat(locsearch_server::MAX_HEADER_BYTES)
    );
    for (request, status) in [
        (format!("DELETE /search HTTP/1.1\r\n{local}\r\n"), "405"),
        (
            format!("GET /articles/sl-SI/%FF%FE HTTP/1.1\r\n{local}\r\n"),
            "400",
        ),
        (format!("GET {long_target} HTTP/1.1\r\n{local}\r\n"), "414"),
        (
            format!("GET /health HTTP/1.1\r\n{local}{big_header}\r\n"),
            "431",
        ),
        (
            "GET /health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".into(),
            "403",
        ),
    ] {
        let answer = raw(&server.base, request.as_bytes());
        let head = answer.lines().next().unwrap_or_default();
        assert!(head.contains(status), "{head} for {}", &request[..40]);
        assert!(
            answer.contains("content-type: application/json"),
            "{answer}"
        );
        assert!(
            answer.contains("x-content-type-options: nosniff"),
            "{answer}"
        );
        assert!(answer.contains("{\"error\":"), "{answer}");
    }
    let answer = raw(
        &server.base,
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1:1234\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains("x-content-type-options: nosniff"),
        "{answer}"
    );

    // Half a request, then silence: closed after the header timeout, not held for ever.
    let started = Instant::now();
    let answer = raw(&server.base, b"GET /health HTTP/1.1\r\nHost: localhost\r\n");
    let waited = started.elapsed();
    assert!(
        waited < locsearch_server::HEADER_READ_TIMEOUT + Duration::from_secs(10),
        "held for {waited:?}: {answer}"
    );
}

/// Damage to the files of a running server's index shows in `/health` (naming the locale),
/// and goes once `locsearch index` has repaired it.
#[test]
fn health_reports_damage_on_disk_until_it_is_repaired() {
    use std::io::{Seek, SeekFrom, Write};
    let dir = tempfile::tempdir().unwrap();
    let (corpus, index) = corpus_and_index(dir.path());
    let server = Server::start(&index);
    assert_eq!(server.get("/health").0, 200);
    let store = std::fs::read_dir(index.join("sl-SI"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&store)
        .unwrap();
    file.seek(SeekFrom::Start(10)).unwrap();
    file.write_all(b"\xff\xfe").unwrap();
    drop(file);
    std::thread::sleep(locsearch_server::HEALTH_CHECK_INTERVAL + Duration::from_millis(500));
    let (status, body) = server.get("/health");
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], "damaged");
    assert!(body["error"].as_str().unwrap().contains("sl-SI"), "{body}");

    locsearch_index::build(&corpus, &index, &Default::default(), |_| {}, |_| {}).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.get("/health").0 != 200 {
        assert!(
            Instant::now() < deadline,
            "still unhealthy after the repair"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The boundaries exactly: `limit` 100 is served and 101 refused; a query of
/// `MAX_QUERY_BYTES` is served and one byte more refused; a batch of 100 is served; `segments`
/// gives one hit per pair over HTTP; with no index `serve` does not start, and says why.
#[test]
fn api_boundaries_segments_and_no_index() {
    let dir = tempfile::tempdir().unwrap();
    let (_, index) = corpus_and_index(dir.path());
    let server = Server::start(&index);
    assert_eq!(server.get("/search?q=gumb&limit=100").0, 200);
    assert_eq!(server.get("/search?q=gumb&limit=101").0, 400);
    let longest = "gumb ".repeat(locsearch_query::MAX_QUERY_BYTES / 5);
    let longest = format!(
        "{longest}{}",
        "x".repeat(locsearch_query::MAX_QUERY_BYTES - longest.len())
    );
    assert_eq!(longest.len(), locsearch_query::MAX_QUERY_BYTES);
    assert_eq!(server.post("/search", &json!({"q": longest})).0, 200);
    assert_eq!(
        server
            .post("/search", &json!({"q": format!("{longest}x")}))
            .0,
        400
    );
    let hundred: Vec<Value> = (0..100).map(|i| json!({"qid": i, "q": "gumb"})).collect();
    let (status, answers) = server.post("/batch", &json!({"queries": hundred}));
    assert_eq!((status, answers.as_array().unwrap().len()), (200, 100));

    let (status, body) = server.get("/search?q=gumb&lang=sl-SI&segments=true");
    assert_eq!(status, 200);
    let hits = body["hits"].as_array().unwrap();
    assert!(hits.len() >= 3, "{body}");
    for hit in hits {
        assert_eq!(hit["segments"].as_array().unwrap().len(), 1);
        assert_eq!(hit["segments"][0]["score"], hit["score"]);
    }
    drop(server);

    let empty = dir.path().join("no-index");
    std::fs::create_dir_all(&empty).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_locsearch"))
        .args([
            "serve",
            "--index",
            empty.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = child.wait().unwrap();
    // `serve` refuses to start on nothing: the error says how to build one.
    assert_eq!(status.code(), Some(2));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(
        err.contains("hint: build one with `locsearch index"),
        "{err}"
    );
}
