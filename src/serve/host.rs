//! Host check: `serve` answers only requests addressed to where it listens.
//!
//! Takes: the bound address and each request's `Host`. Gives: the request passed on, or a 403.
//! A page on another site can make a browser send requests to the preview through DNS
//! rebinding (its own name, re-pointed at 127.0.0.1), and then read the answers: the content is
//! public, but an error overlay shows local paths. Such requests carry the other site's name in
//! `Host`, so only the names of the bound address are answered: `localhost`, `127.0.0.1` and
//! `[::1]` when bound to loopback, the bound IP itself, and any IP literal when bound to all
//! interfaces (`0.0.0.0`, `::`), since a rebinding attack needs a name, never an IP; each with
//! the bound port (or none, when that is the scheme's default port 80).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};

/// Wraps `router` so that requests for any other host get a 403.
pub(crate) fn guard(router: Router, bound: SocketAddr) -> Router {
    router.layer(axum::middleware::from_fn_with_state(Arc::new(bound), check))
}

async fn check(State(bound): State<Arc<SocketAddr>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    if host.is_some_and(|h| allowed(h, *bound)) {
        return next.run(req).await;
    }
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "403 Forbidden: mcpsite serve answers only requests addressed to its own address, \
             such as http://{}/\n",
            shown(*bound)
        ),
    )
        .into_response()
}

/// True when `host` (a `Host` header value) names the bound address and port.
pub(crate) fn allowed(host: &str, bound: SocketAddr) -> bool {
    let (name, port) = split_port(host);
    let port_ok = match port {
        Some(p) => p.parse::<u16>().ok() == Some(bound.port()),
        None => bound.port() == 80,
    };
    if !port_ok {
        return false;
    }
    let ip = bound.ip();
    if name.eq_ignore_ascii_case("localhost") {
        return ip.is_loopback() || ip.is_unspecified();
    }
    let literal = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    match literal.parse::<IpAddr>() {
        // An IPv6 literal must be bracketed in a Host; an IPv4 one must not.
        Ok(asked) if asked.is_ipv6() == name.starts_with('[') => {
            asked == ip || (ip.is_loopback() && asked.is_loopback()) || ip.is_unspecified()
        }
        _ => false,
    }
}

/// Splits `name:port`, minding IPv6 brackets.
fn split_port(host: &str) -> (&str, Option<&str>) {
    if host.starts_with('[') {
        match host.rfind("]:") {
            Some(i) => (&host[..=i], Some(&host[i + 2..])),
            None => (host, None),
        }
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    }
}

/// The address as a URL authority, loopback for an unspecified address.
fn shown(bound: SocketAddr) -> String {
    let ip = match bound.ip() {
        IpAddr::V4(v) if v.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(v) if v.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, bound.port()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn loopback_names_with_the_port_are_allowed() {
        let b = addr("127.0.0.1:1111");
        for h in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
            "127.0.0.2:1111",
        ] {
            assert!(allowed(h, b), "{h}");
        }
        let b6 = addr("[::1]:1111");
        for h in ["[::1]:1111", "localhost:1111", "127.0.0.1:1111"] {
            assert!(allowed(h, b6), "{h}");
        }
    }

    #[test]
    fn foreign_names_wrong_ports_and_malformed_hosts_are_refused() {
        let b = addr("127.0.0.1:1111");
        for h in [
            "evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "localhost.evil.example:1111",
            "127.0.0.1:2222",
            "127.0.0.1",
            "localhost",
            "::1:1111",
            "[127.0.0.1]:1111",
            "",
            "192.168.1.5:1111",
        ] {
            assert!(!allowed(h, b), "{h}");
        }
    }

    #[test]
    fn a_chosen_interface_answers_its_ip_and_all_interfaces_any_ip() {
        let lan = addr("192.168.1.5:8080");
        assert!(allowed("192.168.1.5:8080", lan));
        assert!(!allowed("localhost:8080", lan));
        assert!(!allowed("10.0.0.1:8080", lan));
        let any = addr("0.0.0.0:8080");
        assert!(allowed("10.0.0.1:8080", any));
        assert!(allowed("localhost:8080", any));
        assert!(!allowed("evil.example:8080", any));
        let port80 = addr("127.0.0.1:80");
        assert!(allowed("localhost", port80));
    }
}
