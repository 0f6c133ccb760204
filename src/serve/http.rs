//! The HTTP side: a tokio runtime confined to `serve`, answering from the published snapshot.
//!
//! Takes: a bound listener and the [`Snapshot`]s the builder publishes. Gives: the last good
//! build's files (as [`site::Site`] answers, with the reload hook added to HTML pages), the hook
//! script, the long poll that tells pages to reload, and an error page at every path before any
//! build succeeded; until Ctrl-C or SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::publish::{Served, Snapshot};
use super::site;

/// How long a poll waits for a change before answering with the same state.
const POLL_WAIT: Duration = Duration::from_secs(25);
/// How long Ctrl-C waits for open connections before leaving anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

const RELOAD_JS: &str = include_str!("reload.js");

/// Serves `snap`'s latest snapshot on `listener` until Ctrl-C or SIGTERM. Errors are the
/// runtime's or the listener's.
pub(super) fn serve(
    listener: std::net::TcpListener,
    snap: tokio::sync::watch::Receiver<Arc<Snapshot>>,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the server runtime")?;
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let bound = listener.local_addr().context("reading the bound address")?;
    let app = super::host::guard(router(AppState { snap, stop }), bound);
    let served = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
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
    served.context("serving")
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
    /// Turns true on Ctrl-C, so that waiting polls answer at once.
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
        } => file_response(served, status, bytes, headers),
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

/// A built file with its headers; HTML pages get the reload hook of the build they belong to.
fn file_response(
    served: &Served,
    status: u16,
    bytes: &[u8],
    headers: Vec<(String, String)>,
) -> Response {
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
    use super::*;

    #[test]
    fn error_text_is_escaped() {
        assert_eq!(
            escape("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
    }
}
