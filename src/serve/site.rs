//! Serving one built site from memory: request path → file, headers, redirects, reload hook.
//!
//! Takes: a request path and the [`Output`] of a good build. Gives: a [`Reply`] that says which
//! file to send with which status and headers, or a redirect. Nothing here touches the
//! filesystem: a request can only ever name a key of the built site's map, so no spelling of a
//! path (`/../`, `%2e%2e`, `%2f`, `\`, `//etc/passwd`, absolute forms) can reach a file outside
//! it. Malformed paths are refused with 400 anyway, so that they are visible in tests and logs.
//!
//! The headers are production's: a content type per extension (with `charset=utf-8` on text, as
//! Netlify serves it), then the rules of the built `_headers` file, then the `[[headers]]` of the
//! site root's `netlify.toml`; redirects likewise come from `_redirects`, then `netlify.toml`'s
//! `[[redirects]]`, and apply only when no file matches. `_headers` and `_redirects` themselves
//! are not served, as on Netlify.

use crate::output::Output;

/// The files Netlify reads as settings and never serves.
const NETLIFY_FILES: [&str; 2] = ["_headers", "_redirects"];

/// Where the reload script is served; pages get a `<script>` pointing at it.
pub(super) const RELOAD_JS: &str = "/__mcpsite/reload.js";

/// A request path that cannot name a file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPath;

/// A request path mapped to a key of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePath {
    /// The decoded path, `/`-separated, starting with `/` (`/groups/auth-ig/`).
    pub path: String,
    /// The output key it names (`groups/auth-ig/index.html`).
    pub key: String,
    /// The path ended in `/` (or was `/`): the key is that folder's `index.html`.
    pub dir: bool,
}

/// Maps the raw (percent-encoded) request path to an output key.
///
/// Refused: backslashes and control characters anywhere, empty segments (`//`), `.` and `..`
/// segments in any encoding, encoded `/`, `\` or NUL inside a segment, bad `%` escapes and
/// non-UTF-8 bytes.
pub fn site_path(raw: &str) -> Result<SitePath, BadPath> {
    let rest = raw.strip_prefix('/').ok_or(BadPath)?;
    if raw.bytes().any(|b| b == b'\\' || b < 0x20 || b == 0x7f) {
        return Err(BadPath);
    }
    let mut segments = Vec::new();
    let mut dir = rest.is_empty();
    let parts: Vec<&str> = rest.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            if i + 1 == parts.len() {
                dir = true;
                continue;
            }
            return Err(BadPath);
        }
        let seg = percent_decode(part)?;
        if seg == "."
            || seg == ".."
            || seg
                .chars()
                .any(|c| matches!(c, '/' | '\\') || c.is_control())
        {
            return Err(BadPath);
        }
        segments.push(seg);
    }
    let joined = segments.join("/");
    let (path, key) = match (joined.is_empty(), dir) {
        (true, _) => ("/".to_string(), "index.html".to_string()),
        (false, true) => (format!("/{joined}/"), format!("{joined}/index.html")),
        (false, false) => (format!("/{joined}"), joined),
    };
    Ok(SitePath { path, key, dir })
}

fn percent_decode(s: &str) -> Result<String, BadPath> {
    if !s.contains('%') {
        return Ok(s.to_string());
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).ok_or(BadPath)?;
            let hex = std::str::from_utf8(hex).map_err(|_| BadPath)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| BadPath)?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| BadPath)
}

/// The content type Netlify sends for a file name; text types carry `charset=utf-8`.
pub fn content_type(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    let ext = match name.rsplit_once('.') {
        Some((_, e)) => e.to_ascii_lowercase(),
        None => return "application/octet-stream",
    };
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// One block of a Netlify `_headers` file: a path pattern and the headers it adds.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HeaderRule {
    pattern: String,
    headers: Vec<(String, String)>,
}

/// One line of a Netlify `_redirects` file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Redirect {
    from: String,
    to: String,
    status: u16,
}

/// A good build, ready to serve.
#[derive(Debug)]
pub(super) struct Site {
    output: Output,
    headers: Vec<HeaderRule>,
    redirects: Vec<Redirect>,
}

/// What to answer a request with.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Reply<'a> {
    File {
        status: u16,
        /// The output key, to tell HTML apart.
        key: String,
        bytes: &'a [u8],
        headers: Vec<(String, String)>,
    },
    Redirect {
        status: u16,
        location: String,
    },
    /// No file, no 404.html: a plain 404.
    NotFound,
    BadRequest,
}

impl Site {
    /// A built site, with the text of the root's `netlify.toml` if there is one.
    pub(super) fn new(output: Output, netlify_toml: Option<&str>) -> Site {
        let text = |name: &str| {
            output
                .get(name)
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default()
        };
        let mut headers = parse_headers(&text("_headers"));
        let mut redirects = parse_redirects(&text("_redirects"));
        if let Some(t) = netlify_toml {
            let (h, r) = parse_netlify_toml(t);
            headers.extend(h);
            redirects.extend(r);
        }
        Site {
            output,
            headers,
            redirects,
        }
    }

    fn file(&self, key: &str) -> Option<&[u8]> {
        if NETLIFY_FILES.contains(&key) {
            return None;
        }
        self.output.get(key)
    }

    /// Answers a GET for the raw request path.
    pub(super) fn reply(&self, raw_path: &str) -> Reply<'_> {
        let Ok(sp) = site_path(raw_path) else {
            return Reply::BadRequest;
        };
        if let Some(bytes) = self.file(&sp.key) {
            return self.file_reply(200, &sp.path, sp.key, bytes);
        }
        // `/groups/auth-ig` → `/groups/auth-ig/`, as Netlify and ServeDir do for folders.
        if !sp.dir && self.file(&format!("{}/index.html", sp.key)).is_some() {
            return Reply::Redirect {
                status: 301,
                location: format!("{}/", sp.path),
            };
        }
        if let Some(r) = self.redirect(&sp.path) {
            return r;
        }
        match self.file("404.html") {
            Some(bytes) => self.file_reply(404, &sp.path, "404.html".into(), bytes),
            None => Reply::NotFound,
        }
    }

    fn file_reply<'a>(
        &'a self,
        status: u16,
        path: &str,
        key: String,
        bytes: &'a [u8],
    ) -> Reply<'a> {
        let mut headers = vec![("content-type".to_string(), content_type(&key).to_string())];
        for rule in self
            .headers
            .iter()
            .filter(|r| pattern_match(&r.pattern, path).is_some())
        {
            for (name, value) in &rule.headers {
                let name = name.to_ascii_lowercase();
                match headers.iter_mut().find(|(n, _)| *n == name) {
                    Some(h) => h.1 = value.clone(),
                    None => headers.push((name, value.clone())),
                }
            }
        }
        Reply::File {
            status,
            key,
            bytes,
            headers,
        }
    }

    /// The first `_redirects` rule matching `path`, as Netlify applies them when no file
    /// matched: 3xx redirects, and 200 (rewrite) or 404 to a file of the site.
    fn redirect(&self, path: &str) -> Option<Reply<'_>> {
        for r in &self.redirects {
            let Some(splat) = pattern_match(&r.from, path) else {
                continue;
            };
            let to = r.to.replace(":splat", &splat);
            if (300..400).contains(&r.status) {
                return Some(Reply::Redirect {
                    status: r.status,
                    location: to,
                });
            }
            let Ok(sp) = site_path(&to) else { continue };
            if let Some(bytes) = self.file(&sp.key) {
                return Some(self.file_reply(r.status, path, sp.key, bytes));
            }
        }
        None
    }
}

/// Parses a Netlify `_headers` file: an unindented path pattern, then indented `Name: value`
/// lines; `#` starts a comment line.
fn parse_headers(text: &str) -> Vec<HeaderRule> {
    let mut rules: Vec<HeaderRule> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            rules.push(HeaderRule {
                pattern: trimmed.to_string(),
                headers: Vec::new(),
            });
        } else if let (Some(rule), Some((name, value))) =
            (rules.last_mut(), trimmed.split_once(':'))
        {
            rule.headers
                .push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    rules
}

/// Parses a Netlify `_redirects` file: `from to [status]` per line (status 301 by default).
fn parse_redirects(text: &str) -> Vec<Redirect> {
    text.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let from = words.next().filter(|w| !w.starts_with('#'))?;
            let to = words.next()?;
            let status = words
                .next()
                .and_then(|s| s.trim_end_matches('!').parse().ok())
                .unwrap_or(301);
            Some(Redirect {
                from: from.to_string(),
                to: to.to_string(),
                status,
            })
        })
        .collect()
}

/// The `[[headers]]` and `[[redirects]]` of a `netlify.toml` (everything else in it is
/// ignored; a file that does not parse adds nothing: `serve` warns when it reads it).
fn parse_netlify_toml(text: &str) -> (Vec<HeaderRule>, Vec<Redirect>) {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        headers: Vec<Headers>,
        #[serde(default)]
        redirects: Vec<Redirects>,
    }
    #[derive(serde::Deserialize)]
    struct Headers {
        #[serde(rename = "for")]
        pattern: String,
        #[serde(default)]
        values: std::collections::BTreeMap<String, toml::Value>,
    }
    #[derive(serde::Deserialize)]
    struct Redirects {
        from: String,
        to: String,
        status: Option<u16>,
    }
    let Ok(f) = toml::from_str::<File>(text) else {
        return (Vec::new(), Vec::new());
    };
    let headers = f
        .headers
        .into_iter()
        .map(|h| HeaderRule {
            pattern: h.pattern,
            headers: h
                .values
                .into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        toml::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (k, v)
                })
                .collect(),
        })
        .collect();
    let redirects = f
        .redirects
        .into_iter()
        .map(|r| Redirect {
            from: r.from,
            to: r.to,
            status: r.status.unwrap_or(301),
        })
        .collect();
    (headers, redirects)
}

/// Checks that a `netlify.toml` parses, for a warning at startup and on change.
pub(super) fn check_netlify_toml(text: &str) -> Result<(), String> {
    toml::from_str::<toml::Table>(text)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Matches a Netlify path pattern: `*` matches any rest (including `/`) and is returned as the
/// splat, `:name` matches one segment; everything else is literal. A trailing `/` is optional.
fn pattern_match(pattern: &str, path: &str) -> Option<String> {
    fn go(p: &str, s: &str) -> Option<String> {
        if p.is_empty() {
            return s.is_empty().then(String::new);
        }
        if p == "*" {
            return Some(s.to_string());
        }
        if let Some(rest) = p.strip_prefix('*') {
            // `*` in the middle (`/*.ics`): try every split.
            return (0..=s.len())
                .filter(|&i| s.is_char_boundary(i))
                .find_map(|i| go(rest, &s[i..]).map(|_| s[..i].to_string()));
        }
        if let Some(rest) = p.strip_prefix(':') {
            let name_len = rest
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .unwrap_or(rest.len());
            let seg_len = s.find('/').unwrap_or(s.len());
            if seg_len == 0 {
                return None;
            }
            return go(&rest[name_len..], &s[seg_len..]);
        }
        let (pc, s_c) = (p.chars().next()?, s.chars().next()?);
        if pc != s_c {
            return None;
        }
        go(&p[pc.len_utf8()..], &s[s_c.len_utf8()..])
    }
    let norm = |x: &str| -> String {
        if x.len() > 1 {
            x.trim_end_matches('/').to_string()
        } else {
            x.to_string()
        }
    };
    go(pattern, path).or_else(|| go(&norm(pattern), &norm(path)))
}

/// The `<script>` tag `serve` adds to every HTML page; `build` output never has it.
pub(super) fn reload_hook(build_id: &str) -> String {
    format!("<script src=\"{RELOAD_JS}\" data-build=\"{build_id}\"></script>")
}

/// Inserts `hook` before the last `</body>` (any case), or appends it when there is none.
pub(super) fn inject(html: &[u8], hook: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + hook.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(hook.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str) -> Result<String, BadPath> {
        site_path(raw).map(|p| p.key)
    }

    #[test]
    fn paths_map_to_keys() {
        assert_eq!(key("/").unwrap(), "index.html");
        assert_eq!(
            key("/groups/auth-ig/").unwrap(),
            "groups/auth-ig/index.html"
        );
        assert_eq!(key("/calendar.ics").unwrap(), "calendar.ics");
        assert_eq!(key("/groups/a%20b.html").unwrap(), "groups/a b.html");
        assert_eq!(key("/caf%C3%A9/").unwrap(), "café/index.html");
        // A double-encoded dot-dot is a literal (harmless) name, not a parent.
        assert_eq!(key("/%252e%252e/x").unwrap(), "%2e%2e/x");
    }

    #[test]
    fn traversal_is_refused() {
        for raw in [
            "/..",
            "/../etc/passwd",
            "/groups/../../x",
            "/./index.html",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/.%2e/x",
            "/..%2fx",
            "/%2e%2e%2fx",
            "/groups%2f..%2f..%2fx",
            "/..%5cx",
            "/..\\x",
            "/\\etc\\passwd",
            "//etc/passwd",
            "/groups//x",
            "/%2fetc%2fpasswd",
            "/a%00b",
            "/a%zz",
            "/a%2",
            "/%ff",
            "etc/passwd",
            "",
        ] {
            assert_eq!(site_path(raw), Err(BadPath), "{raw}");
        }
    }

    #[test]
    fn content_types_match_production() {
        assert_eq!(content_type("calendar.ics"), "text/calendar; charset=utf-8");
        assert_eq!(
            content_type("groups/auth-ig/calendar.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(
            content_type("groups.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    fn site(files: &[(&str, &str)]) -> Site {
        let mut o = Output::new();
        for (k, v) in files {
            o.add(*k, *v).unwrap();
        }
        Site::new(o, None)
    }

    fn header<'a>(r: &'a Reply<'_>, name: &str) -> Option<&'a str> {
        match r {
            Reply::File { headers, .. } => headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    #[test]
    fn replies_follow_netlify() {
        let s = site(&[
            ("index.html", "<html><body>home</body></html>"),
            ("groups/a-ig/index.html", "a"),
            ("calendar.ics", "BEGIN:VCALENDAR"),
            ("404.html", "gone"),
            (
                "_headers",
                "# security\n/*\n  X-Frame-Options: DENY\n  X-Content-Type-Options: nosniff\n/*.ics\n  Content-Type: text/calendar; charset=utf-8\n  Cache-Control: max-age=3600\n",
            ),
            (
                "_redirects",
                "/groups/old-ig/ /groups/a-ig/ 301\n/g/* /groups/:splat 302\n",
            ),
        ]);
        let r = s.reply("/calendar.ics");
        assert!(matches!(r, Reply::File { status: 200, .. }));
        assert_eq!(
            header(&r, "content-type"),
            Some("text/calendar; charset=utf-8")
        );
        assert_eq!(header(&r, "cache-control"), Some("max-age=3600"));
        assert_eq!(header(&r, "x-frame-options"), Some("DENY"));
        let r = s.reply("/");
        assert_eq!(header(&r, "x-content-type-options"), Some("nosniff"));
        assert_eq!(header(&r, "cache-control"), None);
        assert_eq!(
            s.reply("/groups/a-ig"),
            Reply::Redirect {
                status: 301,
                location: "/groups/a-ig/".into()
            }
        );
        assert_eq!(
            s.reply("/groups/old-ig"),
            Reply::Redirect {
                status: 301,
                location: "/groups/a-ig/".into()
            }
        );
        assert_eq!(
            s.reply("/g/a-ig/"),
            Reply::Redirect {
                status: 302,
                location: "/groups/a-ig/".into()
            }
        );
        let r = s.reply("/nope/");
        assert!(
            matches!(
                r,
                Reply::File {
                    status: 404,
                    bytes: b"gone",
                    ..
                }
            ),
            "{r:?}"
        );
        // Netlify's settings files are not part of the served site.
        assert!(matches!(
            s.reply("/_headers"),
            Reply::File { status: 404, .. }
        ));
        assert_eq!(s.reply("/../_headers"), Reply::BadRequest);
        assert_eq!(site(&[]).reply("/x"), Reply::NotFound);
    }

    #[test]
    fn netlify_toml_rules_apply_after_headers_file() {
        let mut o = Output::new();
        o.add("calendar.ics", "BEGIN:VCALENDAR").unwrap();
        o.add("a/index.html", "a").unwrap();
        o.add(
            "_headers",
            "/calendar.ics\n  Access-Control-Allow-Origin: *\n",
        )
        .unwrap();
        let toml = r#"
[build]
command = "x"

[[headers]]
for = "/calendar.ics"
[headers.values]
Cache-Control = "public, max-age=0, must-revalidate"
Access-Control-Allow-Origin = "*"

[[redirects]]
from = "/old/*"
to = "/a/"
status = 302
"#;
        let s = Site::new(o, Some(toml));
        let r = s.reply("/calendar.ics");
        assert_eq!(
            header(&r, "cache-control"),
            Some("public, max-age=0, must-revalidate")
        );
        assert_eq!(header(&r, "access-control-allow-origin"), Some("*"));
        assert_eq!(
            header(&r, "content-type"),
            Some("text/calendar; charset=utf-8")
        );
        assert_eq!(
            s.reply("/old/x"),
            Reply::Redirect {
                status: 302,
                location: "/a/".into()
            }
        );
        assert!(check_netlify_toml(toml).is_ok());
        assert!(check_netlify_toml("[[headers]\n").is_err());
    }

    #[test]
    fn patterns() {
        assert_eq!(pattern_match("/*", "/a/b"), Some("a/b".into()));
        assert_eq!(
            pattern_match("/*.ics", "/groups/a/calendar.ics"),
            Some("groups/a/calendar".into())
        );
        assert_eq!(pattern_match("/*.ics", "/index.html"), None);
        assert_eq!(
            pattern_match("/groups/:slug/", "/groups/a-ig/"),
            Some(String::new())
        );
        assert_eq!(pattern_match("/groups/:slug", "/groups/a/b"), None);
        assert_eq!(pattern_match("/a", "/a/"), Some(String::new()));
    }

    #[test]
    fn hook_goes_before_the_last_body_close() {
        let hook = reload_hook("x-1");
        assert_eq!(
            String::from_utf8(inject(b"<p></body></BODY>", &hook)).unwrap(),
            format!("<p></body>{hook}</BODY>")
        );
        assert_eq!(
            String::from_utf8(inject(b"plain", &hook)).unwrap(),
            format!("plain{hook}")
        );
    }
}
