//! `mcpsite serve`: build, serve over HTTP, rebuild on change, reload the browser.
//!
//! Takes: [`ServeArgs`]. Gives: a local preview of the site that follows the sources.
//!
//! ```text
//!  notify ─▶ debouncer ─▶ builder thread ─▶ watch::Sender<Snapshot> ─▶ HTTP (tokio, axum)
//!            (10 ms)      classify_change     last good build + errors    /…  /__mcpsite/poll
//!                         pipeline::build_from
//! ```
//!
//! The shape follows mdBook and zola: the watcher and the builder are plain threads, and a tokio
//! runtime confined to this command runs the server, so the rest of the crate stays sync.
//!
//! - **Builds stay in memory.** Each good build's [`Output`] is published whole, by replacing
//!   one `Arc` behind a `tokio::sync::watch` channel, and served straight from that map: there
//!   is never a half-written site on disk to serve, nothing to clean up on Ctrl-C (serve writes
//!   no files at all), and a request can only name a key of the map (see [`site`]). Writing a
//!   1,000-group site to disk took longer than building it (100 of 135 ms, placeholder theme).
//! - **Rebuilds redo only what changed.** A page edit re-reads that file; parsed pages are
//!   reused while their text is unchanged, and rendered pages while their inputs are
//!   ([`pipeline::BuildCache`], [`crate::render::RenderCache`]); validation runs over the whole
//!   site, and every reused page is exactly what rendering it again would give, so the output
//!   always equals `mcpsite build`'s. Settings, theme, static files and folder changes reload
//!   everything from disk. See `bench/README.md` for timings.
//! - **Errors leave the last good build up.** A failed rebuild publishes its diagnostics next to
//!   the last good build; the injected script shows them over every page and the terminal
//!   prints them. Before any good build, every path answers with an error page.
//! - **The reload channel is same-origin long polling** (`/__mcpsite/poll`), so it works behind
//!   any proxy that passes HTTP, and the hook (`/__mcpsite/reload.js`) is added to HTML pages
//!   as they are served: `build` output never contains it.

mod host;
mod site;
pub mod watch;

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use notify_debouncer_full::DebounceEventResult;
use serde::Serialize;

use crate::cli::{Resolved, ServeArgs, SiteArgs};
use crate::config::{BuildOptions, resolve_today};
use crate::diag::{Diagnostic, Diagnostics, Format, Pos, Severity, rel_path};
use crate::output::Output;
use crate::pipeline::{self, BuildCache};
use crate::source::{self, Sources};
use watch::ChangeKind;

pub use site::{BadPath, content_type, site_path};

/// How many ports after `--port` to try when it is taken.
const PORT_TRIES: u16 = 20;
/// How long a poll waits for a change before answering with the same state.
const POLL_WAIT: Duration = Duration::from_secs(25);
/// How long Ctrl-C waits for open connections before leaving anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

const RELOAD_JS: &str = include_str!("reload.js");

/// Runs `mcpsite serve` until Ctrl-C (or SIGTERM).
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let root = args
        .site
        .root
        .canonicalize()
        .with_context(|| format!("opening the site root {}", args.site.root.display()))?;
    let mut site_args = args.site.clone();
    site_args.root = root.clone();
    // No mcpsite.toml means this is not a site root: fail now rather than serve that error.
    site_args.resolve(&root.join("public"), None)?;

    let (tx, rx) = mpsc::channel::<Msg>();
    let events = tx.clone();
    let watcher = watch::Watcher::start(&root, move |batch| {
        let _ = events.send(Msg::Batch(batch));
    })?;

    let epoch = epoch();
    let mut builder = Builder::new(site_args, root.clone());
    let started = Instant::now();
    let attempt = builder.build(&ChangeKind::Full);
    let mut publisher = Publisher::new(epoch, args.site.format);
    let first = publisher.publish(attempt, started.elapsed(), "");

    let (listener, addr) = bind(args.interface, args.port)?;
    let url = local_url(addr);
    if let Some(w) = exposure_warning(addr.ip()) {
        eprintln!("{w}");
    }
    eprintln!("serving {url} (Ctrl-C to stop)");
    if args.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("warning: could not open a browser: {e}");
    }

    let (snap_tx, snap_rx) = tokio::sync::watch::channel(first);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let builder_thread = std::thread::Builder::new()
        .name("mcpsite-build".into())
        .spawn(move || builder_loop(rx, watcher, builder, publisher, snap_tx))
        .context("starting the build thread")?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the server runtime")?;
    let state = AppState {
        snap: snap_rx,
        stop: stop_rx,
    };
    let served = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = host::guard(router(state), addr);
        let mut stopping = stop_tx.subscribe();
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            shutdown_signal().await;
            let _ = stop_tx.send(true);
        });
        tokio::select! {
            r = server => r,
            // Connections that stay open (a browser's keep-alive) must not hold the exit up.
            _ = async {
                let _ = stopping.wait_for(|s| *s).await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => Ok(()),
        }
    });
    runtime.shutdown_timeout(Duration::from_millis(100));
    let _ = tx.send(Msg::Stop);
    let _ = builder_thread.join();
    served.context("serving")?;
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// What the builder thread receives.
enum Msg {
    Batch(DebounceEventResult),
    Stop,
}

/// Waits for changes, rebuilds, publishes; until [`Msg::Stop`].
fn builder_loop(
    rx: mpsc::Receiver<Msg>,
    mut watcher: watch::Watcher,
    mut builder: Builder,
    mut publisher: Publisher,
    snap: tokio::sync::watch::Sender<Arc<Snapshot>>,
) {
    let root = builder.root.clone();
    let debug = std::env::var_os("MCPSITE_SERVE_DEBUG").is_some();
    let absorb = |batch: DebounceEventResult, change: &mut ChangeKind, rewatch: &mut bool| {
        if debug {
            eprintln!("[serve] events: {batch:?}");
        }
        match watch::changed_paths(batch) {
            Some(paths) => {
                let kind = watch::classify_change(&root, paths.iter().map(PathBuf::as_path));
                *change = std::mem::replace(change, ChangeKind::Ignore).merge(kind);
                *rewatch |= watch::needs_rewatch(&root, paths.iter().map(PathBuf::as_path));
            }
            None => {
                *change = ChangeKind::Full;
                *rewatch = true;
            }
        }
    };
    loop {
        let mut change = ChangeKind::Ignore;
        let mut rewatch = false;
        match rx.recv() {
            Ok(Msg::Batch(b)) => absorb(b, &mut change, &mut rewatch),
            Ok(Msg::Stop) | Err(_) => return,
        }
        // A burst of saves arrives as batches a debouncer tick or two apart: take them all.
        loop {
            match rx.recv_timeout(watch::SETTLE) {
                Ok(Msg::Batch(b)) => absorb(b, &mut change, &mut rewatch),
                Ok(Msg::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                Err(mpsc::RecvTimeoutError::Timeout) => break,
            }
        }
        if rewatch && let Err(e) = watcher.rewatch() {
            eprintln!("warning: {e:#}");
        }
        if change == ChangeKind::Ignore {
            continue;
        }
        let what = match &change {
            ChangeKind::Content(paths) => paths
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            _ => "settings, theme or folders".into(),
        };
        let started = Instant::now();
        let attempt = builder.build(&change);
        snap.send_replace(publisher.publish(attempt, started.elapsed(), &what));
    }
}

/// The outcome of one build attempt.
enum Attempt {
    Built {
        output: Output,
        diagnostics: Diagnostics,
        groups: usize,
        /// The site root's `netlify.toml`, whose header and redirect rules are served too.
        netlify: Option<String>,
    },
    /// Content errors (including `mcpsite.toml`'s), or an operational error as one diagnostic.
    Failed(Diagnostics),
}

/// Builds the site, keeping what the next rebuild can reuse: the settings, the sources as
/// read, and the parsed and rendered pages.
struct Builder {
    args: SiteArgs,
    root: PathBuf,
    opts: Option<BuildOptions>,
    sources: Option<(Sources, Diagnostics)>,
    cache: BuildCache,
    netlify: Option<String>,
}

impl Builder {
    fn new(args: SiteArgs, root: PathBuf) -> Builder {
        Builder {
            args,
            root,
            opts: None,
            sources: None,
            cache: BuildCache::default(),
            netlify: None,
        }
    }

    fn build(&mut self, change: &ChangeKind) -> Attempt {
        match self.try_build(change) {
            Ok(a) => a,
            Err(e) => {
                // What was kept may not match the disk any more: start over next time.
                self.opts = None;
                self.sources = None;
                let mut d = Diagnostics::new();
                d.push(Diagnostic::error(
                    "serve-build",
                    "",
                    Pos::default(),
                    format!("{e:#}"),
                ));
                Attempt::Failed(d)
            }
        }
    }

    fn try_build(&mut self, change: &ChangeKind) -> anyhow::Result<Attempt> {
        let patched = match change {
            ChangeKind::Content(paths) => self.patch(paths)?,
            _ => false,
        };
        if !patched {
            self.opts = None;
            self.sources = None;
            match self.args.resolve(&self.root.join("public"), None)? {
                Resolved::Ready(o) => self.opts = Some(*o),
                Resolved::ConfigErrors(d) => return Ok(Attempt::Failed(d)),
            }
            self.sources = Some(source::load(&self.root)?);
            self.netlify = self.read_netlify_toml();
        }
        let (Some(opts), Some((sources, source_diags))) = (&mut self.opts, &self.sources) else {
            unreachable!("loaded above");
        };
        // Only pages listing upcoming meetings depend on today; keep it current across midnight.
        opts.today = resolve_today(self.args.today)?;
        let outcome = pipeline::build_from(opts, sources, source_diags.clone(), &mut self.cache)?;
        Ok(match outcome.output {
            Some(output) => Attempt::Built {
                output,
                groups: outcome.site.map_or(0, |s| s.groups.len()),
                diagnostics: outcome.diagnostics,
                netlify: self.netlify.clone(),
            },
            None => Attempt::Failed(outcome.diagnostics),
        })
    }

    /// The root's `netlify.toml`, if it exists and reads; a warning when it does not parse
    /// (its rules are then left out, as a Netlify deploy would fail on it).
    fn read_netlify_toml(&self) -> Option<String> {
        let path = self.root.join(watch::NETLIFY_TOML);
        let text = String::from_utf8(crate::regular_file::read(&path).ok()?).ok()?;
        if let Err(e) = site::check_netlify_toml(&text) {
            eprintln!(
                "warning: {}: {}; its headers and redirects are not served",
                path.display(),
                e.trim_end()
            );
        }
        Some(text)
    }

    /// Re-reads the changed pages into the kept sources, as `source::load` would have read
    /// them. Gives `false` when a full reload is needed instead (nothing kept yet, or a path
    /// that is now a folder or a link).
    fn patch(&mut self, rels: &[PathBuf]) -> anyhow::Result<bool> {
        let (Some(_), Some((sources, diags))) = (&self.opts, &mut self.sources) else {
            return Ok(false);
        };
        for rel in rels {
            let abs = self.root.join(rel);
            let key = rel_path(&self.root, &abs);
            let is_home = key == "content/_index.md";
            // `source::load` reads `_index.md` if it is a file (following links) and group pages
            // that are plain files (walkdir does not follow links).
            let meta = if is_home {
                std::fs::metadata(&abs)
            } else {
                std::fs::symlink_metadata(&abs)
            };
            let exists = match meta {
                Ok(m) if m.file_type().is_file() => true,
                Ok(_) if is_home => false,
                Ok(_) => return Ok(false),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
                Err(e) => return Err(e).with_context(|| format!("reading {}", abs.display())),
            };
            diags.retain(|d| d.path != key);
            let file = if exists {
                source::read_text(&self.root, &abs, diags)?
            } else {
                None
            };
            if is_home {
                sources.home = file;
                continue;
            }
            match (
                sources
                    .groups
                    .binary_search_by(|f| f.path.as_str().cmp(&key)),
                file,
            ) {
                (Ok(i), Some(f)) => sources.groups[i] = f,
                (Ok(i), None) => {
                    sources.groups.remove(i);
                }
                (Err(i), Some(f)) => sources.groups.insert(i, f),
                (Err(_), None) => {}
            }
        }
        Ok(true)
    }
}

/// What the server shows: the last good build and the last attempt's errors.
#[derive(Debug)]
struct Snapshot {
    /// Changes with every published attempt; unique to this process (`<epoch>-<n>`).
    seq: String,
    build: Option<Arc<Served>>,
    errors: Vec<Diagnostic>,
    /// `{"seq", "build", "errors"}` for `/__mcpsite/poll`.
    json: String,
}

/// A good build being served.
#[derive(Debug)]
struct Served {
    id: String,
    site: site::Site,
}

/// Numbers the attempts, prints their outcome and makes [`Snapshot`]s.
struct Publisher {
    epoch: String,
    seq: u64,
    builds: u64,
    format: Format,
    last: Option<Arc<Served>>,
    last_warnings: Option<Diagnostics>,
}

impl Publisher {
    fn new(epoch: String, format: Format) -> Publisher {
        Publisher {
            epoch,
            seq: 0,
            builds: 0,
            format,
            last: None,
            last_warnings: None,
        }
    }

    fn publish(&mut self, attempt: Attempt, took: Duration, what: &str) -> Arc<Snapshot> {
        self.seq += 1;
        let ms = took.as_secs_f64() * 1000.0;
        let prefix = if what.is_empty() {
            String::new()
        } else {
            format!("{what}: ")
        };
        let errors = match attempt {
            Attempt::Built {
                output,
                diagnostics,
                groups,
                netlify,
            } => {
                // Warnings are printed when they change, not again on every save.
                if self.last_warnings.as_ref() != Some(&diagnostics) {
                    print_diagnostics(&diagnostics, self.format);
                    self.last_warnings = Some(diagnostics);
                }
                self.builds += 1;
                let verb = if self.builds == 1 { "built" } else { "rebuilt" };
                eprintln!("{prefix}{verb} {groups} groups in {ms:.0} ms");
                self.last = Some(Arc::new(Served {
                    id: format!("{}-{}", self.epoch, self.builds),
                    site: site::Site::new(output, netlify.as_deref()),
                }));
                Vec::new()
            }
            Attempt::Failed(diagnostics) => {
                print_diagnostics(&diagnostics, self.format);
                self.last_warnings = None;
                if self.last.is_some() {
                    eprintln!(
                        "{prefix}build failed; still serving the last good build (save a fix to recover)"
                    );
                } else {
                    eprintln!("{prefix}build failed; serving the errors until a build succeeds");
                }
                let mut errors: Vec<Diagnostic> = diagnostics
                    .into_vec()
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect();
                if errors.is_empty() {
                    errors.push(Diagnostic::error(
                        "serve-build",
                        "",
                        Pos::default(),
                        "the build failed",
                    ));
                }
                errors
            }
        };
        let seq = format!("{}-{}", self.epoch, self.seq);
        let build = self.last.clone();
        #[derive(Serialize)]
        struct Json<'a> {
            seq: &'a str,
            build: Option<&'a str>,
            errors: &'a [Diagnostic],
        }
        let json = serde_json::to_string(&Json {
            seq: &seq,
            build: build.as_deref().map(|b| b.id.as_str()),
            errors: &errors,
        })
        .expect("state serializes");
        Arc::new(Snapshot {
            seq,
            build,
            errors,
            json,
        })
    }
}

/// Prints diagnostics as `build` does: text to standard error, machine formats to standard
/// output.
fn print_diagnostics(d: &Diagnostics, format: Format) {
    if d.is_empty() && format == Format::Text {
        return;
    }
    let text = d.render(format);
    let _ = match format {
        Format::Text => std::io::stderr().write_all(text.as_bytes()),
        Format::Json | Format::Github => {
            let mut out = std::io::stdout();
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        }
    };
}

/// A prefix that makes this process's build ids and sequence numbers differ from an earlier
/// server's, so an open page reloads after a restart.
fn epoch() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}", (nanos as u64) ^ u64::from(std::process::id()))
}

/// Binds `ip:port`, or the next free port of the [`PORT_TRIES`] after it, saying so. Port 0
/// lets the system choose.
fn bind(ip: IpAddr, port: u16) -> anyhow::Result<(std::net::TcpListener, SocketAddr)> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    for p in port..=last {
        match std::net::TcpListener::bind((ip, p)) {
            Ok(l) => {
                let addr = l.local_addr().context("reading the bound address")?;
                if p != port {
                    eprintln!("port {port} is in use; using {p} instead");
                }
                return Ok((l, addr));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("listening on {}", SocketAddr::new(ip, p)));
            }
        }
    }
    anyhow::bail!(
        "ports {port} to {last} on {ip} are all in use; choose another with --port (0 picks any free port)"
    )
}

/// The warning for an address other machines may reach (anything but loopback).
fn exposure_warning(ip: IpAddr) -> Option<String> {
    (!ip.is_loopback()).then(|| {
        format!(
            "warning: listening on {ip}, not loopback: other machines that can reach this one can see the preview"
        )
    })
}

/// The URL to print and open: an unspecified address (`0.0.0.0`, `::`) is reachable locally
/// as loopback.
fn local_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

#[derive(Clone)]
struct AppState {
    snap: tokio::sync::watch::Receiver<Arc<Snapshot>>,
    stop: tokio::sync::watch::Receiver<bool>,
}

fn router(state: AppState) -> Router {
    Router::new()
        .route(site::RELOAD_JS, get(reload_js))
        .route("/__mcpsite/poll", get(poll))
        .fallback(serve_site)
        .with_state(state)
}

async fn reload_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        RELOAD_JS,
    )
        .into_response()
}

/// Long poll: answers when the state differs from `since`, or after [`POLL_WAIT`].
async fn poll(State(st): State<AppState>, uri: Uri) -> Response {
    let since = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .unwrap_or("");
    let mut rx = st.snap.clone();
    let mut stop = st.stop.clone();
    let now = rx.borrow_and_update().clone();
    if now.seq == since && !*stop.borrow() {
        tokio::select! {
            // An error means the build thread is gone (shutting down): wait out the poll
            // rather than have every page ask again at once.
            Ok(()) = rx.changed() => {}
            _ = tokio::time::sleep(POLL_WAIT) => {}
            _ = stop.wait_for(|s| *s) => {}
        }
    }
    let json = rx.borrow().json.clone();
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        json,
    )
        .into_response()
}

/// Every other path: a file of the last good build.
async fn serve_site(State(st): State<AppState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed\n",
        )
            .into_response();
    }
    let snap = st.snap.borrow().clone();
    let Some(served) = &snap.build else {
        return error_page(&snap);
    };
    match served.site.reply(uri.path()) {
        site::Reply::File {
            status,
            bytes,
            headers,
            ..
        } => {
            let html = headers
                .iter()
                .any(|(n, v)| n == "content-type" && v.starts_with("text/html"));
            let body = if html {
                site::inject(bytes, &site::reload_hook(&served.id))
            } else {
                bytes.to_vec()
            };
            let mut res = Response::new(Body::from(body));
            *res.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            for (name, value) in headers {
                if let (Ok(n), Ok(v)) = (
                    header::HeaderName::try_from(name),
                    HeaderValue::try_from(value),
                ) {
                    res.headers_mut().insert(n, v);
                }
            }
            res
        }
        site::Reply::Redirect { status, location } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::MOVED_PERMANENTLY);
            match HeaderValue::try_from(location) {
                Ok(loc) => (status, [(header::LOCATION, loc)]).into_response(),
                Err(_) => StatusCode::NOT_FOUND.into_response(),
            }
        }
        site::Reply::NotFound => (StatusCode::NOT_FOUND, "not found\n").into_response(),
        site::Reply::BadRequest => (StatusCode::BAD_REQUEST, "bad request\n").into_response(),
    }
}

/// Served at every path while no build has succeeded yet.
fn error_page(snap: &Snapshot) -> Response {
    let mut items = String::new();
    for d in &snap.errors {
        let at = if d.path.is_empty() {
            String::new()
        } else {
            format!("{}:{}:{}: ", d.path, d.pos.line, d.pos.col)
        };
        items.push_str(&format!(
            "<li><code>{}</code>error[{}]: {}{}</li>\n",
            escape(&at),
            escape(&d.rule),
            escape(&d.message),
            d.help
                .as_deref()
                .map(|h| format!("<br>help: {}", escape(h)))
                .unwrap_or_default()
        ));
    }
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>Build failed · mcpsite serve</title></head>\n<body>\
         <h1>The site did not build</h1>\n<p>Fix these problems and save; this page reloads by itself.</p>\n\
         <ul>\n{items}</ul>\n{}</body></html>\n",
        site::reload_hook("")
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

fn escape(s: &str) -> String {
    crate::markdown::escape(s).into_owned()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn urls_for_any_interface_are_local() {
        let a: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert_eq!(local_url(a), "http://127.0.0.1:1111/");
        let a: SocketAddr = "[::]:8".parse().unwrap();
        assert_eq!(local_url(a), "http://[::1]:8/");
        let a: SocketAddr = "127.0.0.1:1112".parse().unwrap();
        assert_eq!(local_url(a), "http://127.0.0.1:1112/");
    }

    #[test]
    fn only_loopback_is_quiet() {
        assert_eq!(exposure_warning("127.0.0.1".parse().unwrap()), None);
        assert_eq!(exposure_warning("::1".parse().unwrap()), None);
        assert!(exposure_warning("0.0.0.0".parse().unwrap()).is_some());
        assert!(exposure_warning("192.168.1.5".parse().unwrap()).is_some());
    }

    #[test]
    fn a_taken_port_moves_to_the_next() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        if port > u16::MAX - PORT_TRIES {
            return;
        }
        let (_l, addr) = bind(IpAddr::from([127, 0, 0, 1]), port).unwrap();
        assert!(addr.port() > port && addr.port() <= port + PORT_TRIES);
    }

    /// Copies `tests/fixtures/<name>` into `to`.
    fn copy_fixture(name: &str, to: &Path) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let dest = to.join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
    }

    /// A site in a temporary folder, rebuilt the way `serve` does and checked after each
    /// change against a fresh build of the files on disk.
    struct Rebuilds {
        _dir: tempfile::TempDir,
        root: PathBuf,
        builder: Builder,
    }

    impl Rebuilds {
        fn new(today: jiff::civil::Date) -> Rebuilds {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().canonicalize().unwrap();
            let args = SiteArgs {
                root: root.clone(),
                drafts: false,
                today: Some(today),
                format: Format::Text,
            };
            Rebuilds {
                _dir: dir,
                builder: Builder::new(args, root.clone()),
                root,
            }
        }

        fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
            let p = self.root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }

        fn read(&self, rel: &str) -> String {
            std::fs::read_to_string(self.root.join(rel)).unwrap()
        }

        /// Replaces `from` by `to` in the file `rel`, which must contain it.
        fn edit(&self, rel: &str, from: &str, to: &str) {
            let text = self.read(rel);
            assert!(text.contains(from), "{rel} has no `{from}`");
            self.write(rel, text.replacen(from, to, 1));
        }

        /// Rebuilds after `change` and compares with a fresh build: same output, same
        /// diagnostics. Gives whether the build succeeded.
        fn check(&mut self, change: &ChangeKind) -> bool {
            let attempt = self.builder.build(change);
            let Resolved::Ready(opts) = self
                .builder
                .args
                .resolve(&self.root.join("public"), None)
                .unwrap()
            else {
                panic!("config")
            };
            let fresh = pipeline::build(&opts).unwrap();
            match attempt {
                Attempt::Built {
                    output,
                    diagnostics,
                    ..
                } => {
                    let want = fresh.output.expect("the fresh build fails too");
                    for (path, bytes) in want.files() {
                        let got = output.get(path).unwrap_or_else(|| panic!("no {path}"));
                        if got != bytes {
                            let (got, want) =
                                (String::from_utf8_lossy(got), String::from_utf8_lossy(bytes));
                            let (n, (g, w)) = got
                                .lines()
                                .zip(want.lines())
                                .enumerate()
                                .find(|(_, (g, w))| g != w)
                                .unwrap_or((0, ("(length)", "(length)")));
                            panic!(
                                "{path} differs from a fresh build's at line {}:\n got: {g}\nwant: {w}",
                                n + 1
                            );
                        }
                    }
                    assert_eq!(output.len(), want.len());
                    assert_eq!(diagnostics, fresh.diagnostics);
                    true
                }
                Attempt::Failed(d) => {
                    assert!(fresh.output.is_none());
                    assert_eq!(d, fresh.diagnostics);
                    eprintln!("{}", d.render(Format::Text));
                    false
                }
            }
        }

        /// Like [`Rebuilds::check`] after the pages `rels` changed, and gives the output paths
        /// the render made anew (not reused), sorted.
        fn pages(&mut self, rels: &[&str]) -> Vec<String> {
            let change = ChangeKind::Content(rels.iter().map(PathBuf::from).collect());
            assert!(self.check(&change), "the build failed after {rels:?}");
            self.made()
        }

        fn made(&self) -> Vec<String> {
            let mut made = self.builder.cache.render().last_made().to_vec();
            made.sort();
            made
        }
    }

    /// A rebuild through the kept sources and parse cache gives exactly what a fresh build of
    /// the files on disk gives, output and diagnostics, after every kind of page change.
    #[test]
    fn page_rebuilds_equal_fresh_builds() {
        let mut site = Rebuilds::new(jiff::civil::date(2026, 11, 24));
        let page = |name: &str, kind: &str, channel: &str| {
            format!(
                "+++\nkind = \"{kind}\"\nname = \"{name}\"\nsummary = \"S.\"\nstatus = \"active\"\n\n\
                 [[facilitators]]\ngithub = \"octocat\"\n\n[discord]\nchannel = \"{channel}\"\n+++\nBody.\n"
            )
        };
        site.write(
            "mcpsite.toml",
            "title = \"T\"\nbase_url = \"https://x.org\"\n",
        );
        site.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n");
        site.write("content/groups/a-ig.md", page("A", "ig", "a-ig"));
        site.write("content/groups/b-wg.md", page("B", "wg", "b-wg"));
        site.check(&ChangeKind::Full);
        let pages = |p: &[&str]| ChangeKind::Content(p.iter().map(PathBuf::from).collect());

        // Edit, create, break (not UTF-8, bad TOML), fix, delete, and the home page.
        site.write("content/groups/a-ig.md", page("A2", "ig", "a-ig"));
        site.check(&pages(&["content/groups/a-ig.md"]));
        site.write("content/groups/c-ig.md", page("C", "ig", "c-ig"));
        site.check(&pages(&["content/groups/c-ig.md"]));
        site.write("content/groups/c-ig.md", b"+++\nname = \"\xff\"\n+++\n");
        site.check(&pages(&["content/groups/c-ig.md"]));
        site.write("content/groups/c-ig.md", "+++\nname = \n+++\n");
        site.check(&pages(&["content/groups/c-ig.md"]));
        site.write("content/groups/c-ig.md", page("C", "ig", "c-ig"));
        site.check(&pages(&["content/groups/c-ig.md"]));
        std::fs::remove_file(site.root.join("content/groups/b-wg.md")).unwrap();
        site.check(&pages(&[
            "content/groups/b-wg.md",
            "content/groups/a-ig.md",
        ]));
        site.write("content/_index.md", "+++\ntitle = \"Home 2\"\n+++\nHi.\n");
        site.check(&pages(&["content/_index.md"]));
        std::fs::remove_file(site.root.join("content/_index.md")).unwrap();
        site.check(&pages(&["content/_index.md"]));
        // A page path that became a folder falls back to a full reload.
        std::fs::create_dir(site.root.join("content/groups/d-ig.md")).unwrap();
        site.check(&pages(&["content/groups/d-ig.md"]));
    }

    /// Rebuilds reuse rendered pages (`render::RenderCache`) and still give exactly what a fresh
    /// build gives, byte for byte, after each kind of edit; each edit re-renders only the pages
    /// that show what changed.
    #[test]
    fn cached_rebuilds_equal_fresh_builds_and_redo_only_what_changed() {
        const AUTH: &str = "content/groups/auth-ig.md";
        const TASKS_WG: &str = "content/groups/tasks-wg.md";
        const TASKS_IG: &str = "content/groups/tasks-ig.md";
        const IDEAS: &str = "content/groups/ideas-ig.md";
        let mut site = Rebuilds::new(jiff::civil::date(2026, 11, 24));
        copy_fixture("sites/basic", &site.root);
        assert!(site.check(&ChangeKind::Full));
        let all = site.made();
        assert!(all.len() > 8, "a first build makes every page: {all:?}");
        let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let has = |made: &[String], p: &str| made.iter().any(|m| m == p);

        // Nothing changed: nothing is made again.
        assert_eq!(site.pages(&[AUTH]), Vec::<String>::new());

        // The body shows on the group's page only (and groups.json is made again whenever a
        // page changes).
        let text = site.read(AUTH);
        site.write(AUTH, format!("{text}\nA new closing paragraph.\n"));
        assert_eq!(
            site.pages(&[AUTH]),
            strs(&["groups.json", "groups/auth-ig/index.html"])
        );

        // The summary shows on its card too: the directory, its kind's page and the calendar
        // (auth-ig meets), and meetings.json goes with the calendar.
        site.edit(
            AUTH,
            "summary = \"Authorization in MCP",
            "summary = \"Authorisation in MCP",
        );
        assert_eq!(
            site.pages(&[AUTH]),
            strs(&[
                "calendar/index.html",
                "groups.json",
                "groups/auth-ig/index.html",
                "ig/index.html",
                "index.html",
                "meetings.json",
            ])
        );

        // The name also shows where other groups name it: tasks-wg lists auth-ig as related.
        site.edit(
            AUTH,
            "name = \"Authorization\"",
            "name = \"Authorization and Identity\"",
        );
        let made = site.pages(&[AUTH]);
        assert!(has(&made, "groups/tasks-wg/index.html"), "{made:?}");
        assert!(!has(&made, "groups/ideas-ig/index.html"), "{made:?}");

        // A related group's name: tasks-wg is auth-ig's related group and tasks-ig's successor.
        site.edit(
            TASKS_WG,
            "name = \"Tasks\"",
            "name = \"Long-running Tasks\"",
        );
        let made = site.pages(&[TASKS_WG]);
        for p in [
            "groups/auth-ig/index.html",
            "groups/tasks-ig/index.html",
            "groups/tasks-wg/index.html",
            "wg/index.html",
        ] {
            assert!(has(&made, p), "{p} not made again: {made:?}");
        }
        assert!(!has(&made, "ig/index.html"), "{made:?}");

        // A schedule: the group's page, its card's next meeting, the agenda.
        site.edit(
            AUTH,
            "start = 2026-01-14T09:00:00",
            "start = 2026-01-14T10:30:00",
        );
        let made = site.pages(&[AUTH]);
        assert!(has(&made, "calendar/index.html"), "{made:?}");
        assert!(has(&made, "meetings.json"), "{made:?}");
        // The next meeting cancelled: the card shows the next meeting.
        site.edit(
            AUTH,
            "[[schedule.exceptions]]\ndate = 2026-12-30",
            "[[schedule.exceptions]]\ndate = 2026-12-02\naction = \"cancel\"\nreason = \"Offsite\"\n\n[[schedule.exceptions]]\ndate = 2026-12-30",
        );
        let made = site.pages(&[AUTH]);
        assert!(has(&made, "index.html"), "{made:?}");
        assert!(has(&made, "calendar/index.html"), "{made:?}");
        // A later cancellation changes the agenda but not the card (which shows the next
        // meeting only).
        site.edit(
            AUTH,
            "[[schedule.exceptions]]\ndate = 2026-12-30",
            "[[schedule.exceptions]]\ndate = 2027-01-13\naction = \"cancel\"\nreason = \"Offsite\"\n\n[[schedule.exceptions]]\ndate = 2026-12-30",
        );
        let made = site.pages(&[AUTH]);
        assert!(has(&made, "calendar/index.html"), "{made:?}");
        assert!(!has(&made, "index.html"), "{made:?}");
        site.edit(
            AUTH,
            "spec/discussions/auth-{date}",
            "spec/discussions/auth-notes-{date}",
        );
        let made = site.pages(&[AUTH]);
        assert!(has(&made, "meetings.json"), "{made:?}");
        // A past meeting's record: the group's page only.
        site.edit(
            AUTH,
            "notes = \"https://github.com/example/spec/issues/101\"",
            "notes = \"https://github.com/example/spec/issues/102\"",
        );
        assert_eq!(
            site.pages(&[AUTH]),
            strs(&["groups.json", "groups/auth-ig/index.html"])
        );

        // A group becomes a draft: it leaves the site, and the pages naming it show its slug.
        site.edit(
            IDEAS,
            "status = \"proposed\"",
            "status = \"proposed\"\ndraft = true",
        );
        site.pages(&[IDEAS]);
        site.edit(
            TASKS_WG,
            "status = \"active\"",
            "status = \"active\"\ndraft = true",
        );
        let made = site.pages(&[TASKS_WG]);
        assert!(has(&made, "groups/auth-ig/index.html"), "{made:?}");
        site.edit(TASKS_WG, "draft = true\n", "");
        site.pages(&[TASKS_WG]);
        site.edit(IDEAS, "draft = true\n", "");
        site.pages(&[IDEAS]);

        // A new group, a group removed, a broken page and its fix.
        site.write(
            "content/groups/new-wg.md",
            site.read(IDEAS)
                .replace("kind = \"ig\"", "kind = \"wg\"")
                .replace("name = \"Ideas\"", "name = \"New\"")
                .replace("ideas-ig", "new-wg"),
        );
        site.pages(&["content/groups/new-wg.md"]);
        std::fs::remove_file(site.root.join("content/groups/new-wg.md")).unwrap();
        site.pages(&["content/groups/new-wg.md"]);
        site.edit(
            TASKS_IG,
            "successor = \"tasks-wg\"",
            "successor = \"nowhere-wg\"",
        );
        assert!(!site.check(&ChangeKind::Content(vec![TASKS_IG.into()])));
        site.edit(
            TASKS_IG,
            "successor = \"nowhere-wg\"",
            "successor = \"tasks-wg\"",
        );
        site.pages(&[TASKS_IG]);

        // The home page shows on the directory only.
        let home = site.read("content/_index.md");
        site.write("content/_index.md", format!("{home}\nMore words.\n"));
        assert_eq!(site.pages(&["content/_index.md"]), strs(&["index.html"]));

        // Another day: every page that shows meetings or "today" is made again.
        site.builder.args.today = Some(jiff::civil::date(2026, 12, 3));
        let made = site.pages(&[AUTH]);
        assert_eq!(made.len(), all.len(), "{made:?}");
        site.builder.args.today = Some(jiff::civil::date(2027, 2, 1));
        assert!(site.check(&ChangeKind::Full));

        // A template: every page made with it, whether the change is seen as a theme change
        // (a full reload) or comes along with a page edit.
        site.write(
            "themes/default/templates/404.html",
            "{% extends \"base.html\" %}{% block content %}<p>Lost.</p>{% endblock content %}",
        );
        assert!(site.check(&ChangeKind::Full));
        site.write(
            "themes/default/templates/404.html",
            "{% extends \"base.html\" %}{% block content %}<p>Gone.</p>{% endblock content %}",
        );
        let made = site.pages(&[AUTH]);
        assert!(has(&made, "404.html"), "{made:?}");
        // A template that fails on one page only, then is fixed.
        let group = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/group.html"),
        )
        .unwrap();
        site.write(
            "themes/default/templates/group.html",
            group.replacen("{% block content %}", "{% block content %}{% if group.slug == \"tasks-wg\" %}{{ nothing_here.at_all }}{% endif %}", 1),
        );
        assert!(!site.check(&ChangeKind::Full));
        assert!(!site.check(&ChangeKind::Content(vec![AUTH.into()])));
        site.write("themes/default/templates/group.html", group);
        assert_eq!(site.pages(&[AUTH]).len(), all.len());

        // The settings.
        site.edit(
            "mcpsite.toml",
            "title = \"Example Groups\"",
            "title = \"Example\"",
        );
        assert!(site.check(&ChangeKind::Full));
        assert_eq!(site.made().len(), all.len());
    }

    #[test]
    fn error_text_is_escaped() {
        assert_eq!(
            escape("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
    }
}
