//! Netlify's `_headers` and `_redirects`.
//!
//! Takes: the [`Site`]. Gives: the headers every page and feed is served with, and the redirects
//! that keep renamed groups' old addresses and feed URLs working.

use std::fmt::Write as _;

use crate::model::Site;

/// Netlify's `_headers`. Calendar feeds need `text/calendar; charset=utf-8` (Netlify guesses
/// no charset), JSON gets its type and CORS so other sites' scripts can read it. Each feed is
/// listed by its path: Netlify's header rules match a `*` reliably only as a path's last segment,
/// and `/*.ics` could be read as `/*`.
pub(super) fn headers(site: &Site) -> String {
    let mut s = String::new();
    s.push_str("/*\n");
    s.push_str("  X-Content-Type-Options: nosniff\n");
    s.push_str("  Referrer-Policy: strict-origin-when-cross-origin\n");
    s.push_str("  X-Frame-Options: DENY\n");
    s.push_str("  Content-Security-Policy: default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'\n");
    s.push_str("  Permissions-Policy: camera=(), microphone=(), geolocation=()\n");
    let mut ics = vec![
        "/calendar.ics".to_string(),
        "/ig/calendar.ics".into(),
        "/wg/calendar.ics".into(),
    ];
    ics.extend(
        site.groups
            .iter()
            .map(|g| format!("{}calendar.ics", g.url_path())),
    );
    for p in ics {
        let _ = write!(
            s,
            "\n{p}\n  Content-Type: text/calendar; charset=utf-8\n  Access-Control-Allow-Origin: *\n"
        );
    }
    for p in ["/groups.json", "/meetings.json"] {
        let _ = write!(
            s,
            "\n{p}\n  Content-Type: application/json; charset=utf-8\n  Access-Control-Allow-Origin: *\n"
        );
    }
    s
}

/// Netlify's `_redirects`: each alias of a group to its page, and the alias's old feed URL to
/// the group's feed, so renamed groups keep their links and their subscribers.
pub(super) fn redirects(site: &Site) -> String {
    let mut lines = Vec::new();
    for g in &site.groups {
        for a in &g.fm().aliases {
            let alias = a.get_ref();
            let base = alias.trim_end_matches('/');
            lines.push(format!("{alias} {} 301", g.url_path()));
            lines.push(format!(
                "{base}/calendar.ics {}calendar.ics 301",
                g.url_path()
            ));
        }
    }
    lines.sort();
    lines.dedup();
    let mut s = String::from("# Old addresses of renamed groups (front matter `aliases`).\n");
    for l in lines {
        s.push_str(&l);
        s.push('\n');
    }
    s
}
