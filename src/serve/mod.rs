//! `mcpsite serve`: build, serve over HTTP, rebuild on change, reload the browser.
//!
//! Takes: [`Options`]. Gives: a local preview of the site that follows the sources.
//!
//! ```text
//!  notify ─▶ debouncer ─▶ builder thread ─▶ watch::Sender<Snapshot> ─▶ HTTP (tokio, axum)
//!            (10 ms)      classify_change     last good build + errors    /…  /__mcpsite/poll
//!                         pipeline::build_from
//!  [watch]                [builder]           [publish]                   [http, site]
//! ```
//!
//! This module starts the pieces and stops them: [`watch`] turns file events into changes,
//! `builder` rebuilds, `publish` turns each attempt into what is served and printed, `http`
//! answers requests, and `site` maps a request path to a built file as Netlify would.
//!
//! The shape follows mdBook and zola: the watcher and the builder are plain threads, and a tokio
//! runtime confined to this command runs the server, so the rest of the crate stays sync.
//!
//! - **Builds stay in memory.** Each good build's [`Output`](crate::output::Output) is
//!   published whole, by replacing one `Arc` behind a `tokio::sync::watch` channel, and served
//!   straight from that map: there is never a half-written site on disk to serve, nothing to
//!   clean up on Ctrl-C (serve writes no files at all), and a request can only name a key of
//!   the map (see `site.rs`). Writing a 1,000-group site to disk took longer than building it
//!   (100 of 135 ms, placeholder theme).
//! - **Rebuilds redo only what changed.** A page edit re-reads that file; parsed pages are
//!   reused while their text is unchanged, and rendered pages while their inputs are
//!   ([`crate::pipeline::BuildCache`], [`crate::render::RenderCache`]); validation runs over
//!   the whole site, and every reused page is exactly what rendering it again would give, so
//!   the output always equals `mcpsite build`'s. Settings, theme, static files and folder changes reload
//!   everything from disk. See `bench/README.md` for timings.
//! - **Errors leave the last good build up.** A failed rebuild publishes its diagnostics next to
//!   the last good build; the injected script shows them over every page and the terminal
//!   prints them. Before any good build, every path answers with an error page.
//! - **The reload channel is same-origin long polling** (`/__mcpsite/poll`), so it works behind
//!   any proxy that passes HTTP, and the hook (`/__mcpsite/reload.js`) is added to HTML pages
//!   as they are served: `build` output never contains it.

mod builder;
mod host;
mod http;
mod publish;
mod site;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc;
use std::time::Instant;

use anyhow::Context as _;

use crate::config::SiteRequest;
use crate::diag::Format;
use builder::{Builder, Msg};
use publish::Publisher;
use watch::ChangeKind;

pub use site::{BadPath, content_type, site_path};

/// How many ports after `--port` to try when it is taken (said in [`Options::port`]).
const PORT_TRIES: u16 = 20;

/// What `mcpsite serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site to build (its `base_url` override is not used: the preview is served locally).
    pub site: SiteRequest,
    /// How the terminal shows diagnostics.
    pub format: Format,
    /// The address to listen on.
    pub interface: IpAddr,
    /// The port to try first; when it is taken, the next free one of the 20 after it. 0 lets
    /// the system choose.
    pub port: u16,
    /// Open the served URL in the desktop's browser.
    pub open: bool,
}

/// Runs `mcpsite serve` until Ctrl-C (or SIGTERM): watches, builds once, listens, then
/// rebuilds on the builder thread while the HTTP side serves.
pub fn run(opts: &Options) -> anyhow::Result<()> {
    let site = site_root(&opts.site)?;
    let (tx, rx) = mpsc::channel::<Msg>();
    let events = tx.clone();
    let watcher = watch::Watcher::start(&site.root, move |batch| {
        let _ = events.send(Msg::Batch(batch));
    })?;

    let mut builder = Builder::new(site);
    let mut publisher = Publisher::new(publish::epoch(), opts.format);
    let started = Instant::now();
    let attempt = builder.build(&ChangeKind::Full);
    let first = publisher.publish(attempt, started.elapsed(), "");

    let listener = listen(opts)?;
    let (snap_tx, snap_rx) = tokio::sync::watch::channel(first);
    let builder_thread = std::thread::Builder::new()
        .name("mcpsite-build".into())
        .spawn(move || builder::run(rx, watcher, builder, publisher, snap_tx))
        .context("starting the build thread")?;
    let served = http::serve(listener, snap_rx);
    let _ = tx.send(Msg::Stop);
    let _ = builder_thread.join();
    served?;
    eprintln!("stopped");
    Ok(())
}

/// `site` with its root made absolute, once it is known to be a site root.
fn site_root(site: &SiteRequest) -> anyhow::Result<SiteRequest> {
    let root = site
        .root
        .canonicalize()
        .with_context(|| format!("opening the site root {}", site.root.display()))?;
    let site = SiteRequest {
        root,
        ..site.clone()
    };
    // No mcpsite.toml means this is not a site root: fail now rather than serve that error.
    // Errors in it are content errors, which the first build shows like any other.
    let _ = site.resolve(&site.root.join("public"))?;
    Ok(site)
}

/// Binds the port, says where the preview is (and who else can see it), and opens it in a
/// browser when asked.
fn listen(opts: &Options) -> anyhow::Result<std::net::TcpListener> {
    let (listener, addr) = bind(opts.interface, opts.port)?;
    let url = local_url(addr);
    if let Some(w) = exposure_warning(addr.ip()) {
        eprintln!("{w}");
    }
    eprintln!("serving {url} (Ctrl-C to stop)");
    if opts.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("warning: could not open a browser: {e}");
    }
    Ok(listener)
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

#[cfg(test)]
mod tests {
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
        // A taken port with room after it (the system's picks are far below 65535 - 20).
        let (_taken, port) = (0..100)
            .map(|_| {
                let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                let port = l.local_addr().unwrap().port();
                (l, port)
            })
            .find(|(_, port)| *port <= u16::MAX - PORT_TRIES)
            .expect("a free port below 65515");
        let (_l, addr) = bind(IpAddr::from([127, 0, 0, 1]), port).unwrap();
        assert!(addr.port() > port && addr.port() <= port + PORT_TRIES);
    }
}
