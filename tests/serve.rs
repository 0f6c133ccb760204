//! `mcpsite serve` end to end: the real binary on a free loopback port, over a temporary copy of
//! `tests/fixtures/sites/serve/`, spoken to with a raw HTTP/1.1 client so that request paths go
//! out exactly as written. Every wait is bounded; the server is killed when a test ends.
#![cfg(feature = "serve")]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sites/serve");
/// Generous: the machine may be busy with other builds.
const WAIT: Duration = Duration::from_secs(20);
/// How long a change may take to show: the watcher may deliver one change as several batches,
/// each rebuilt and published, and a busy machine may take its time over each.
const REBUILD_WAIT: Duration = Duration::from_secs(90);

/// A running `mcpsite serve` over a copy of the fixture.
struct Server {
    child: Child,
    port: u16,
    /// The temporary folder: `site/` is the root, siblings are outside the site.
    dir: tempfile::TempDir,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start() -> Server {
        Server::start_with(|_| {}, &[])
    }

    /// Copies the fixture, lets `prepare` change it, and starts serving it.
    fn start_with(prepare: impl FnOnce(&Path), extra: &[&str]) -> Server {
        Server::start_with_env(prepare, extra, &[])
    }

    /// Like `start_with`, with extra environment variables for the server.
    fn start_with_env(
        prepare: impl FnOnce(&Path),
        extra: &[&str],
        env: &[(&str, std::ffi::OsString)],
    ) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(Path::new(FIXTURE), &root);
        prepare(&root);
        let mut child = Command::new(env!("CARGO_BIN_EXE_mcpsite"))
            .arg("serve")
            .arg("--root")
            .arg(&root)
            .args(["--today", "2026-11-24"])
            .args(if extra.contains(&"--port") {
                &[][..]
            } else {
                &["--port", "0"][..]
            })
            .args(extra)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.strip_prefix("serving http://") {
                    let url = format!("http://{url}");
                    let _ = tx.send(url.split_whitespace().next().unwrap_or("").to_string());
                }
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let mut server = Server {
            child,
            port: 0,
            dir,
            log,
        };
        let url = rx
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("no URL printed; log:\n{}", server.log()));
        let port = url
            .strip_prefix("http://127.0.0.1:")
            .and_then(|r| r.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected URL {url}"));
        server.port = port.parse().unwrap();
        server
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends `request` verbatim and reads the whole response.
    fn raw(&self, request: &str) -> Resp {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s.set_write_timeout(Some(WAIT)).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).unwrap();
        Resp::parse(&bytes)
    }

    fn request(&self, method: &str, target: &str) -> Resp {
        self.raw(&format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ))
    }

    fn get(&self, target: &str) -> Resp {
        self.request("GET", target)
    }

    /// The reload channel's state once it differs from `since` ("" answers at once).
    fn poll(&self, since: &str) -> serde_json::Value {
        let r = self.get(&format!("/__mcpsite/poll?since={since}"));
        assert_eq!(r.status, 200, "{}", r.text());
        serde_json::from_slice(&r.body).unwrap()
    }

    /// Runs `change`, then waits for the first state published after it that satisfies
    /// `done` (which may ask the server for pages), and gives that state. States the change
    /// passes through on the way are skipped, so the wait holds however the watcher splits the
    /// change into batches.
    fn change_until(
        &self,
        change: impl FnOnce(),
        done: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let mut since = self.poll("")["seq"].as_str().unwrap().to_string();
        change();
        let t = Instant::now();
        loop {
            // Answers at once when the state differs from `since`.
            let state = Server::poll_port(self.port, &since);
            let seq = state["seq"].as_str().unwrap();
            if seq != since && done(&state) {
                return state;
            }
            assert!(
                t.elapsed() < REBUILD_WAIT,
                "the change did not show; last state {state}; log:\n{}",
                self.log()
            );
            since = seq.to_string();
        }
    }

    /// Waits until the server has printed `needle` (its output is read on another thread).
    fn wait_log(&self, needle: &str) {
        let t = Instant::now();
        while !self.log().contains(needle) {
            assert!(
                t.elapsed() < WAIT,
                "no `{needle}` in the log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether `path` is served with `text` in it.
    fn serves(&self, path: &str, text: &str) -> bool {
        let r = self.get(path);
        r.status == 200 && r.text().contains(text)
    }

    fn poll_port(port: u16, since: &str) -> serde_json::Value {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET /__mcpsite/poll?since={since} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).unwrap();
        serde_json::from_slice(&Resp::parse(&bytes).body).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root().join(rel), text).unwrap();
    }

    /// Saves like vim and JetBrains: write a temporary file beside it, rename it over.
    fn save_atomic(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        let tmp = path.with_file_name(format!(
            "{}___jb_tmp___",
            path.file_name().unwrap().to_str().unwrap()
        ));
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn parse(bytes: &[u8]) -> Resp {
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(bytes)));
        let head = std::str::from_utf8(&bytes[..split]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Resp {
            status,
            headers,
            body: bytes[split + 4..].to_vec(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap();
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out
}

/// Removes the reload hook `serve` adds to HTML pages.
fn strip_hook(html: &str) -> String {
    match html.find("<script src=\"/__mcpsite/reload.js\"") {
        Some(start) => {
            let end = start + html[start..].find("</script>").unwrap() + "</script>".len();
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}

/// Asserts that every file `mcpsite build` writes for the same sources is served, byte for
/// byte apart from the reload hook, and that `build` output never has the hook.
fn assert_serves_build_output(s: &Server) {
    let out = s.dir.path().join("public");
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(env!("CARGO_BIN_EXE_mcpsite"))
        .args(["build", "--today", "2026-11-24", "--root"])
        .arg(s.root())
        .arg("-o")
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    for rel in files(&out) {
        let url = match rel.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{rel}"),
        };
        let r = s.get(&url);
        let want = std::fs::read(out.join(&rel)).unwrap();
        if rel == "_headers" || rel == "_redirects" {
            // Netlify reads these and never serves them.
            assert_eq!(r.status, 404, "{url}");
            continue;
        }
        assert_eq!(r.status, 200, "{url}");
        if rel.ends_with(".html") {
            let page = r.text();
            assert!(page.contains("/__mcpsite/reload.js"), "{url}: no hook");
            assert!(
                !String::from_utf8_lossy(&want).contains("/__mcpsite/"),
                "{url}"
            );
            assert_eq!(strip_hook(&page).as_bytes(), want, "{url}");
            assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        } else {
            assert_eq!(r.body, want, "{url}");
        }
        // The theme's `_headers` rules apply to every file, as on Netlify.
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{url}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{url}");
        assert!(
            r.header("content-security-policy")
                .is_some_and(|v| v.contains("script-src 'self'")),
            "{url}"
        );
    }
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn pages_equal_build_output_with_production_headers() {
    let s = Server::start();
    assert_serves_build_output(&s);
    for feed in ["/calendar.ics", "/groups/beta-wg/calendar.ics"] {
        let r = s.get(feed);
        assert_eq!(r.status, 200, "{feed}");
        assert_eq!(
            r.header("content-type"),
            Some("text/calendar; charset=utf-8")
        );
        assert!(
            r.text().contains("RRULE:FREQ=WEEKLY"),
            "{feed}: {}",
            r.text()
        );
    }
    let ics = s.get("/feeds/sample.ics");
    assert_eq!(
        ics.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert_eq!(ics.header("cache-control"), Some("max-age=3600"));
    let json = s.get("/data.json");
    assert_eq!(
        json.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let txt = s.get("/robots.txt");
    assert_eq!(
        txt.header("content-type"),
        Some("text/plain; charset=utf-8")
    );

    // Folders without the slash redirect, as on Netlify.
    let r = s.get("/groups/alpha-ig");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/groups/alpha-ig/"));
    // HEAD has the headers and no body; other methods are refused.
    let r = s.request("HEAD", "/groups/alpha-ig/");
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(s.request("POST", "/groups/alpha-ig/").status, 405);
    // The hook itself.
    let js = s.get("/__mcpsite/reload.js");
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(js.text().contains("/__mcpsite/poll"));
    // serve writes nothing into the site.
    assert!(!s.root().join("public").exists());
}

#[test]
fn an_edit_signals_a_reload_and_serves_the_new_page() {
    let s = Server::start();
    let before = s.poll("");
    assert!(s.get("/groups/beta-wg/").text().contains("Beta"));
    let page = s.read("content/groups/beta-wg.md");
    // Saved through a temporary file renamed over the page: the first new build has the edit.
    let state = s.change_until(
        || {
            s.save_atomic(
                "content/groups/beta-wg.md",
                &page.replace("name = \"Beta\"", "name = \"Beta Edited\""),
            )
        },
        |state| state["build"] != before["build"],
    );
    assert_eq!(state["errors"], serde_json::json!([]));
    // By the time the reload is signalled the new page is served, with the new build's hook.
    let r = s.get("/groups/beta-wg/");
    assert!(r.text().contains("Beta Edited"), "{}", r.text());
    assert!(r.text().contains(state["build"].as_str().unwrap()));
    s.wait_log("content/groups/beta-wg.md: rebuilt 3 groups");
}

#[test]
fn a_broken_page_shows_its_error_keeps_the_last_good_build_and_recovers() {
    let s = Server::start();
    let good = s.poll("");
    let page = s.read("content/groups/alpha-ig.md");
    let broken = page.replace("status = \"active\"", "status = \"active\"\nstauts = 1");
    // Written in place: the watcher may see the emptied file first, which fails too.
    let state = s.change_until(
        || s.write("content/groups/alpha-ig.md", &broken),
        |state| state["errors"][0]["rule"] == "frontmatter-unknown-key",
    );
    // The error names file, line, column and rule; the good build stays announced.
    assert_eq!(state["build"], good["build"], "{state}");
    let e = &state["errors"][0];
    assert_eq!(e["path"], "content/groups/alpha-ig.md", "{state}");
    assert_eq!(e["line"], 6, "{state}");
    assert_eq!(e["col"], 1, "{state}");
    assert_eq!(e["rule"], "frontmatter-unknown-key", "{state}");
    assert!(e["message"].as_str().unwrap().contains("stauts"), "{state}");
    // The terminal says the same.
    s.wait_log("content/groups/alpha-ig.md:6:1: error[frontmatter-unknown-key]");
    // The last good page is still served.
    let r = s.get("/groups/alpha-ig/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Alpha"));

    // Fixing the file recovers without a restart.
    let fixed = page.replace("name = \"Alpha\"", "name = \"Alpha Fixed\"");
    let state = s.change_until(
        || s.write("content/groups/alpha-ig.md", &fixed),
        |state| state["errors"] == serde_json::json!([]),
    );
    assert_ne!(state["build"], good["build"]);
    assert!(s.serves("/groups/alpha-ig/", "Alpha Fixed"));
}

#[test]
fn before_any_good_build_every_path_shows_the_errors() {
    let s = Server::start_with(
        |root| {
            let p = root.join("content/groups/gamma-ig.md");
            let t = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, t.replace("kind = \"ig\"", "kind = \"xg\"")).unwrap();
        },
        &[],
    );
    for path in ["/", "/groups/alpha-ig/", "/no/such/page"] {
        let r = s.get(path);
        assert_eq!(r.status, 500, "{path}");
        let page = r.text();
        assert!(page.contains("content/groups/gamma-ig.md:2:8"), "{page}");
        assert!(page.contains("/__mcpsite/reload.js"), "{page}");
    }
    let state = s.poll("");
    assert_eq!(state["build"], serde_json::Value::Null);
    let t = s.read("content/groups/gamma-ig.md");
    let state = s.change_until(
        || {
            s.save_atomic(
                "content/groups/gamma-ig.md",
                &t.replace("kind = \"xg\"", "kind = \"ig\""),
            )
        },
        |state| state["build"].is_string(),
    );
    assert_eq!(state["errors"], serde_json::json!([]), "{state}");
    assert_eq!(s.get("/groups/gamma-ig/").status, 200);
}

#[test]
fn new_deleted_and_renamed_pages_and_folders() {
    let s = Server::start();
    let delta = s
        .read("content/groups/gamma-ig.md")
        .replace("Gamma", "Delta")
        .replace("gamma", "delta");
    s.change_until(
        || s.write("content/groups/delta-ig.md", &delta),
        |_| s.serves("/groups/delta-ig/", "Delta"),
    );

    s.change_until(
        || std::fs::remove_file(s.root().join("content/groups/delta-ig.md")).unwrap(),
        |_| s.get("/groups/delta-ig/").status == 404,
    );

    // Renaming a page moves it.
    s.change_until(
        || {
            std::fs::write(s.root().join("content/groups/delta-ig.md"), &delta).unwrap();
            std::fs::rename(
                s.root().join("content/groups/delta-ig.md"),
                s.root().join("content/groups/epsilon-ig.md"),
            )
            .unwrap();
        },
        |_| s.serves("/groups/epsilon-ig/", "Delta"),
    );
    assert_eq!(s.get("/groups/delta-ig/").status, 404);

    // Renaming the groups folder away removes every page; renaming it back restores them.
    let state = s.change_until(
        || {
            std::fs::rename(
                s.root().join("content/groups"),
                s.root().join("content/old"),
            )
            .unwrap()
        },
        |_| s.get("/groups/alpha-ig/").status == 404,
    );
    assert_eq!(state["errors"], serde_json::json!([]), "{state}");
    s.change_until(
        || {
            std::fs::rename(
                s.root().join("content/old"),
                s.root().join("content/groups"),
            )
            .unwrap()
        },
        |_| s.get("/groups/alpha-ig/").status == 200,
    );
    // And pages in it are still watched.
    let page = s.read("content/groups/alpha-ig.md");
    s.change_until(
        || {
            s.write(
                "content/groups/alpha-ig.md",
                &page.replace("name = \"Alpha\"", "name = \"Alpha Again\""),
            )
        },
        |_| s.serves("/groups/alpha-ig/", "Alpha Again"),
    );
    // After all these partial rebuilds, what is served is still exactly what `build` makes.
    assert_serves_build_output(&s);
}

#[test]
fn settings_and_static_changes_rebuild_everything() {
    let s = Server::start();
    let toml = s.read("mcpsite.toml");
    s.change_until(
        || s.save_atomic("mcpsite.toml", &format!("{toml}oops = 1\n")),
        |state| state["errors"][0]["path"] == "mcpsite.toml",
    );
    s.change_until(
        || s.save_atomic("mcpsite.toml", &toml),
        |state| state["errors"] == serde_json::json!([]),
    );
    s.change_until(
        || s.write("static/robots.txt", "User-agent: *\nDisallow: /\n"),
        |_| s.serves("/robots.txt", "Disallow"),
    );
    assert_serves_build_output(&s);

    // A new theme folder is a full rebuild, and files in it are watched from then on: the
    // second version of a file in it is served only if the new folder is watched.
    s.change_until(
        || {
            std::fs::create_dir_all(s.root().join("themes/default/static")).unwrap();
            s.write("themes/default/static/probe.txt", "one");
        },
        |_| s.serves("/probe.txt", "one"),
    );
    s.change_until(
        || s.write("themes/default/static/probe.txt", "two"),
        |_| s.serves("/probe.txt", "two"),
    );
    s.wait_log("settings, theme or folders: rebuilt");
}

/// A vim save (swap file, write probe, the page renamed to a backup, the new page, clean-up)
/// ends with the new page served, as `build` makes it. How many rebuilds it takes depends on
/// how the watcher splits the save into batches, which depends on timing; that the batches of
/// one burst give one rebuild is `serve::builder`'s unit test
/// `batches_waiting_together_give_one_rebuild`, which controls when the builder sees them.
#[test]
fn a_vim_style_save_serves_the_new_page() {
    let s = Server::start();
    let page = s.read("content/groups/beta-wg.md");
    let groups = s.root().join("content/groups");
    s.change_until(
        || {
            std::fs::write(groups.join(".beta-wg.md.swp"), "swap").unwrap();
            std::fs::write(groups.join("4913"), "").unwrap();
            std::fs::remove_file(groups.join("4913")).unwrap();
            std::fs::rename(groups.join("beta-wg.md"), groups.join("beta-wg.md~")).unwrap();
            std::fs::write(
                groups.join("beta-wg.md"),
                page.replace("name = \"Beta\"", "name = \"Beta Vim\""),
            )
            .unwrap();
            std::fs::remove_file(groups.join("beta-wg.md~")).unwrap();
            std::fs::remove_file(groups.join(".beta-wg.md.swp")).unwrap();
        },
        |state| {
            state["errors"] == serde_json::json!([]) && s.serves("/groups/beta-wg/", "Beta Vim")
        },
    );
    assert_serves_build_output(&s);
}

/// Ten quick saves of one page and writes of another end with the last of each served, as
/// `build` makes them (the rebuild count is timing's; see the test above).
#[test]
fn a_burst_of_saves_ends_with_the_last_save_served() {
    let s = Server::start();
    let page = s.read("content/groups/beta-wg.md");
    s.change_until(
        || {
            for i in 0..10 {
                s.save_atomic(
                    "content/groups/beta-wg.md",
                    &page.replace("name = \"Beta\"", &format!("name = \"Beta {i}\"")),
                );
                s.write(
                    "content/groups/gamma-ig.md",
                    &s.read("content/groups/gamma-ig.md").replace("third", "3rd"),
                );
            }
        },
        |state| {
            state["errors"] == serde_json::json!([])
                && s.serves("/groups/beta-wg/", "Beta 9")
                && s.serves("/groups/gamma-ig/", "3rd")
        },
    );
    assert_serves_build_output(&s);
}

#[test]
fn traversal_attempts_never_leave_the_site() {
    let s = Server::start();
    // A file beside the site root, which no request may reach.
    std::fs::write(s.dir.path().join("secret.txt"), "TOP-SECRET").unwrap();
    for target in [
        "/../secret.txt",
        "/groups/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/groups/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%252e%252e/secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/%2fetc%2fpasswd",
        "/..%00/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "http://127.0.0.1/../secret.txt",
        "http://evil.example//etc/passwd",
        "/_headers",
        "/content/groups/alpha-ig.md",
        "/mcpsite.toml",
        "/netlify.toml",
        "/groups/",
    ] {
        let r = s.get(target);
        assert!(
            r.status == 400 || r.status == 404,
            "{target}: {} {}",
            r.status,
            r.text()
        );
        let body = r.text();
        assert!(!body.contains("TOP-SECRET"), "{target}");
        assert!(!body.contains("root:"), "{target}");
        assert!(!body.contains("+++"), "{target}");
        assert!(!body.contains("X-Frame-Options"), "{target}");
    }
    // Not a directory listing either.
    assert!(!s.get("/groups/").text().contains("alpha-ig"));
}

#[test]
fn fifty_concurrent_requests_are_all_answered() {
    let s = Server::start();
    let port = s.port;
    let threads: Vec<_> = (0..50)
        .map(|i| {
            std::thread::spawn(move || {
                let path = ["/groups/alpha-ig/", "/groups/beta-wg/", "/data.json"][i % 3];
                let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
                c.set_read_timeout(Some(WAIT)).unwrap();
                write!(
                    c,
                    "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
                )
                .unwrap();
                let mut bytes = Vec::new();
                c.read_to_end(&mut bytes).unwrap();
                Resp::parse(&bytes).status
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 200);
    }
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    // A taken port with the 20 that serve may try after it (the system's picks are far below).
    let (_taken, port) = (0..100)
        .map(|_| {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let port = l.local_addr().unwrap().port();
            (l, port)
        })
        .find(|(_, port)| *port <= u16::MAX - 20)
        .expect("a free port below 65515");
    let p = port.to_string();
    let s = Server::start_with(|_| {}, &["--port", &p]);
    assert_ne!(s.port, port);
    assert!(
        s.log().contains(&format!("port {port} is in use")),
        "{}",
        s.log()
    );
    assert_eq!(s.get("/groups/alpha-ig/").status, 200);
}

/// Waits until the server has read everything the client on local port `client_port` sent
/// it: the server's end of that connection has an empty receive queue (Linux: /proc/net/tcp).
fn wait_until_read(server_port: u16, client_port: u16) {
    // Loopback addresses and ports as /proc/net/tcp writes them.
    let local = format!("0100007F:{server_port:04X}");
    let remote = format!("0100007F:{client_port:04X}");
    let t = Instant::now();
    loop {
        let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
        let read = table.lines().skip(1).any(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            f.len() > 4
                && f[1] == local
                && f[2] == remote
                && f[4].split(':').nth(1) == Some("00000000")
        });
        if read {
            return;
        }
        assert!(t.elapsed() < WAIT, "the server did not read the request");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn ctrl_c_exits_cleanly_and_leaves_nothing_behind() {
    let mut s = Server::start();
    let before = files(s.dir.path());
    // A waiting poll must not hold the exit up: Ctrl-C comes once the server has read it.
    let seq = s.poll("")["seq"].as_str().unwrap().to_string();
    let mut poll = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    poll.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        poll,
        "GET /__mcpsite/poll?since={seq} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        s.port
    )
    .unwrap();
    wait_until_read(s.port, poll.local_addr().unwrap().port());
    let status = Command::new("kill")
        .args(["-INT", &s.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let t = Instant::now();
    let exit = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st;
        }
        assert!(t.elapsed() < WAIT, "still running; log:\n{}", s.log());
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    // The waiting poll was answered (the page learns the server is gone by its next poll).
    let mut answer = Vec::new();
    poll.read_to_end(&mut answer).unwrap();
    assert_eq!(Resp::parse(&answer).status, 200);
    s.wait_log("stopped");
    assert_eq!(files(s.dir.path()), before);
    // No temporary folder of this process is left in the system's temporary folder either.
    let pid = s.child.id().to_string();
    for e in std::fs::read_dir(std::env::temp_dir()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(!(name.contains("mcpsite") && name.contains(&pid)), "{name}");
    }
}

#[test]
fn open_hands_the_served_url_to_the_desktop_browser() {
    // On Linux the `open` crate asks `xdg-open`; a stand-in first on PATH records its argument.
    use std::os::unix::fs::PermissionsExt as _;
    let bin = tempfile::tempdir().unwrap();
    let record = bin.path().join("opened.txt");
    let script = bin.path().join("xdg-open");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", record.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut path = std::ffi::OsString::from(bin.path());
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let s = Server::start_with_env(|_| {}, &["--open"], &[("PATH", path)]);
    // The stand-in may not have run, or not finished writing, yet.
    let t = Instant::now();
    let read = || std::fs::read_to_string(&record).unwrap_or_default();
    while read().is_empty() && t.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(20));
    }
    let opened = read();
    assert_eq!(
        opened,
        format!("http://127.0.0.1:{}/", s.port),
        "{}",
        s.log()
    );
}

/// DNS rebinding: a request naming another host (or another port, or none) gets a 403 and no
/// page; the bound address and `localhost` with the port are answered.
#[test]
fn foreign_host_is_refused() {
    let server = Server::start();
    let port = server.port;
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        for path in ["/", "/__mcpsite/poll?since=x", "/__mcpsite/reload.js"] {
            let r = server.raw(&format!(
                "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ));
            assert_eq!(r.status, 403, "{host} {path}");
            let body = String::from_utf8_lossy(&r.body);
            assert!(!body.contains("<html") && !body.contains(&host), "{body}");
        }
    }
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        let r = server.raw(&format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(r.status, 200, "{host}");
    }
}
