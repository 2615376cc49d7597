//! Serving from many machines with parts that exist: two `serve` replicas of a published index
//! (`locsearch publish`) behind HAProxy, under load, while a replica is killed and restarted and
//! a new generation is published. No request may fail beyond the balancer's retries.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::serve::{Server, corpus_and_index};
use crate::support::{locsearch, skip, stderr};

/// HAProxy in front of two replicas: health checks on `/health` every 100 ms, a request that
/// cannot reach one replica is retried on the other.
fn haproxy_config(front: u16, replicas: [&str; 2]) -> String {
    format!(
        "global\n  maxconn 256\n\
         defaults\n  mode http\n  timeout connect 1s\n  timeout client 10s\n  timeout server 10s\n\
         \x20 retries 3\n  option redispatch 1\n  retry-on conn-failure empty-response response-timeout 503\n\
         frontend search\n  bind 127.0.0.1:{front}\n  default_backend replicas\n\
         backend replicas\n  balance roundrobin\n  option httpchk GET /health\n\
         \x20 default-server inter 100ms fall 1 rise 1\n\
         \x20 server a {} check\n  server b {} check\n",
        replicas[0], replicas[1]
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `locsearch publish --index INDEX --to TO`, run beside the index.
fn publish_run(index: &Path, to: &Path) -> std::process::Output {
    let args = [
        "publish",
        "--index",
        index.to_str().unwrap(),
        "--to",
        to.to_str().unwrap(),
    ];
    locsearch(&args, index.parent().unwrap())
}

fn publish(index: &Path, to: &Path) {
    let out = publish_run(index, to);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// `publish` writes only into a published directory (or a new or empty one) and removes only
/// generations it made: a directory holding anything else is refused before anything is
/// written, and a numbered folder of someone else's among the generations is kept. It never
/// publishes while a build holds the index's lock.
#[test]
fn publishing_touches_only_what_publishing_made() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = crate::index::sample_copy(dir.path());
    let index = dir.path().join("index");
    crate::index::quiet_build(&corpus, &index, false);

    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("notes.txt"), "mine").unwrap();
    let out = publish_run(&index, &home);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("notes.txt"), "{}", stderr(&out));
    let left: Vec<_> = std::fs::read_dir(&home).unwrap().flatten().collect();
    assert_eq!(left.len(), 1, "publish wrote into a foreign directory");

    let published = dir.path().join("published");
    let missing = dir.path().join("missing");
    let out = publish_run(&missing, &published);
    assert!(stderr(&out).contains("no index at"), "{}", stderr(&out));
    assert!(
        !missing.exists() && !published.exists(),
        "a missing index made something"
    );
    let someone_elses = published.join("generations/1");
    std::fs::create_dir_all(&someone_elses).unwrap();
    std::fs::write(someone_elses.join("photo.jpg"), "mine").unwrap();
    for _ in 0..4 {
        publish(&index, &published);
    }
    // A build writing the index (its lock held): nothing is published meanwhile.
    let building = std::fs::File::open(index.join(".lock")).unwrap();
    building.try_lock().unwrap();
    let out = publish_run(&index, &published);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is locked by"), "{}", stderr(&out));
    drop(building);
    let generation = |n: u32| published.join(format!("generations/{n}"));
    assert!(
        someone_elses.join("photo.jpg").exists(),
        "a folder of someone else's was removed"
    );
    assert!(!generation(2).exists(), "an old generation was kept");
    assert!((3..=5).all(|n| generation(n).join("manifest.json").exists()));
    assert_eq!(
        std::fs::read_to_string(published.join("CURRENT")).unwrap(),
        "generations/5\n"
    );
}

/// GET through the balancer until `stop`: every status, and whether a new article was seen.
fn load(base: String, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<(Vec<u16>, bool)> {
    std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let (mut statuses, mut saw_new) = (Vec::new(), false);
        while !stop.load(Ordering::Relaxed) {
            for q in ["geslo", "Kennwort", "zebrafant"] {
                match agent.get(format!("{base}/search?q={q}")).call() {
                    Ok(mut response) => {
                        statuses.push(response.status().as_u16());
                        let body = response.body_mut().read_to_string().unwrap_or_default();
                        saw_new |= q == "zebrafant" && body.contains("zebrafant.md");
                    }
                    Err(_) => statuses.push(0),
                }
            }
        }
        (statuses, saw_new)
    })
}

#[test]
fn replicas_behind_haproxy_survive_a_kill_and_a_new_generation() {
    let Ok(haproxy) = which("haproxy") else {
        skip(
            "the load-balancer test",
            "haproxy is not installed (.ci/run installs it)",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (corpus, index) = corpus_and_index(dir.path());
    let published = dir.path().join("published");
    publish(&index, &published);
    let ports = [free_port(), free_port()];
    let addr = |p: u16| format!("127.0.0.1:{p}");
    let mut replicas = ports.map(|p| Some(Server::start_on(&published, &addr(p))));
    let front = free_port();
    let config = dir.path().join("haproxy.cfg");
    std::fs::write(
        &config,
        haproxy_config(front, [&addr(ports[0]), &addr(ports[1])]),
    )
    .unwrap();
    let mut balancer = std::process::Command::new(haproxy)
        .args(["-f", config.to_str().unwrap(), "-db"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{front}");
    wait_until(|| ureq::get(format!("{base}/health")).call().is_ok());

    let stop = Arc::new(AtomicBool::new(false));
    let running = load(base.clone(), stop.clone());
    std::thread::sleep(Duration::from_millis(500));
    // One replica dies; the balancer takes it out and back in when it is restarted.
    replicas[0] = None;
    std::thread::sleep(Duration::from_millis(800));
    replicas[0] = Some(Server::start_on(&published, &addr(ports[0])));
    std::thread::sleep(Duration::from_millis(500));
    // A new article, indexed and published as a new generation: both replicas switch to it.
    let sl = corpus.join("sl-SI/AlchemyInsights");
    let text = std::fs::read_to_string(sl.join("password-reset-button-greyed-out.md")).unwrap();
    std::fs::write(
        sl.join("zebrafant.md"),
        text.replace("geslo", "zebrafant geslo"),
    )
    .unwrap();
    locsearch_index::build(&corpus, &index, &Default::default(), |_| {}, |_| {}).unwrap();
    publish(&index, &published);
    std::thread::sleep(Duration::from_millis(2500));
    stop.store(true, Ordering::Relaxed);
    let (statuses, saw_new) = running.join().unwrap();
    let _ = balancer.kill();
    let _ = balancer.wait();

    assert!(
        statuses.len() > 30,
        "the load ran: {} requests",
        statuses.len()
    );
    let failed: Vec<&u16> = statuses.iter().filter(|s| **s != 200).collect();
    assert!(
        failed.is_empty(),
        "{} of {} requests failed: {failed:?}",
        failed.len(),
        statuses.len()
    );
    assert!(saw_new, "the new generation was served");
    for replica in replicas.iter().flatten() {
        let (_, body) = replica.get("/search?q=zebrafant");
        assert!(body.to_string().contains("zebrafant.md"), "{body}");
    }
}

fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(program))
                .find(|p| p.is_file())
        })
        .or_else(|| {
            ["/usr/sbin", "/sbin"]
                .map(|d| Path::new(d).join(program))
                .into_iter()
                .find(|p| p.is_file())
        })
        .ok_or(())
}

fn wait_until(ready: impl Fn() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "not ready in 20 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
