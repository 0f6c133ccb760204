//! The built output's internal links.
//!
//! Takes: the in-memory [`Output`] of a build. Gives: `link-broken` for every site-relative
//! `href`/`src` whose target was not built (a folder means its `index.html`), and
//! `link-fragment-missing` for every `#fragment` that names no `id` in its target page.
//!
//! The HTML is read with a small scanner: tags, quoted or bare attribute values, comments and
//! the raw text of `<script>`/`<style>` skipped. It is enough for the HTML our theme writes and
//! for sanitized Markdown; it does not try to be a browser.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::Sink;
use crate::diag::{LineCursor, Pos};

/// One attribute as [`for_each_attr`] finds it: slices of the document, read only when asked
/// (a built site has millions of attributes, and the link check reads few of them).
#[derive(Debug, Clone, Copy)]
pub struct RawAttr<'h> {
    /// The tag's name, as written.
    tag: &'h str,
    /// The attribute's name, as written.
    name: &'h str,
    /// The value, as written (entities not decoded).
    raw: &'h str,
    /// Byte offset of the value in the file.
    pub offset: usize,
}

impl<'h> RawAttr<'h> {
    /// Whether the attribute is `name` (lowercase), whatever its case in the document.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// Whether the tag is `tag` (lowercase), whatever its case in the document.
    pub fn in_tag(&self, tag: &str) -> bool {
        self.tag.eq_ignore_ascii_case(tag)
    }

    /// The value, entities decoded.
    pub fn value(&self) -> Cow<'h, str> {
        decode_entities(self.raw)
    }
}

/// Gives `visit` every attribute of every tag in `html`, in document order.
pub fn for_each_attr<'h>(html: &'h str, mut visit: impl FnMut(RawAttr<'h>)) {
    scan_attrs(html, false, &mut visit);
}

/// Where a scan of a document's text stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stop {
    /// Where the text not read yet starts.
    at: usize,
    /// Set when the scan stopped in the raw text of a script or a style, after its tag (whose
    /// attributes it gave): the end tag that ends that text (`</script`, `</style`). The text
    /// up to it has no attributes, so a reader can pass over it as it comes
    /// ([`PageReader::pass_raw_text`]) instead of holding it until it ends: a directory page's
    /// script data grows with the site.
    raw_text_until: Option<&'static str>,
}

/// Gives `visit` every attribute of every tag in `html`, in document order, and says where the
/// scan stopped. With `more` (more of the document follows `html`), it stops at the start of a
/// construct `html` does not finish (a tag, a comment or declaration), without giving that
/// tag's attributes, or in a script's or style's raw text that `html` does not finish, after
/// giving its tag's: scanning again from there, with more of the document, gives what one scan
/// of the whole document gives. Without, it reads to the end.
fn scan_attrs<'h>(html: &'h str, more: bool, visit: &mut impl FnMut(RawAttr<'h>)) -> Stop {
    let b = html.as_bytes();
    let mut attrs = Vec::new();
    let mut i = 0;
    let stop = |at, raw_text_until| Stop { at, raw_text_until };
    while let Some(lt) = find(b, i, b"<") {
        match scan_construct(html, lt, more, &mut attrs) {
            Construct::Ends(next) => i = next,
            Construct::Unfinished => return stop(lt, None),
            Construct::InRawText { text, until } => {
                attrs.drain(..).for_each(&mut *visit);
                return stop(text, Some(until));
            }
        }
        attrs.drain(..).for_each(&mut *visit);
    }
    stop(b.len(), None)
}

/// What [`scan_construct`] found at a `<`.
enum Construct {
    /// The construct ends where the text after it starts, here.
    Ends(usize),
    /// The text ends before the construct does (only when more text follows).
    Unfinished,
    /// A script or style tag, read whole, whose raw text does not end in the text (only when
    /// more text follows): the raw text starts at `text` and ends with `until`.
    InRawText { text: usize, until: &'static str },
}

/// The elements whose content is raw text, with the start of the tag that ends it.
const RAW_TEXT: [(&str, &str); 2] = [("script", "</script"), ("style", "</style")];

/// Reads the construct that starts with the `<` at `lt`, putting a tag's attributes into
/// `attrs`, and says where the text after it starts.
fn scan_construct<'h>(
    html: &'h str,
    lt: usize,
    more: bool,
    attrs: &mut Vec<RawAttr<'h>>,
) -> Construct {
    let b = html.as_bytes();
    // The end of what `find` looks for, or of the text when it is not there (only when no
    // more text follows).
    let or_end = |found: Option<usize>| match found.or((!more).then_some(b.len())) {
        Some(end) => Construct::Ends(end),
        None => Construct::Unfinished,
    };
    let mut i = lt + 1;
    if i >= b.len() && more {
        return Construct::Unfinished;
    }
    if b[i..].starts_with(b"!--") {
        return or_end(find(b, i, b"-->").map(|e| e + 3));
    }
    if i < b.len() && (b[i] == b'!' || b[i] == b'?' || b[i] == b'/') {
        return or_end(find(b, i, b">").map(|e| e + 1));
    }
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
        i += 1;
    }
    if i == name_start {
        return Construct::Ends(i);
    }
    let tag = &html[name_start..i];
    // Attributes until `>`.
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() && more {
            return Construct::Unfinished;
        }
        if i >= b.len() || b[i] == b'>' {
            i += 1;
            break;
        }
        let an = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        if i == an {
            i += 1;
            continue;
        }
        let name = &html[an..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (start, end, next) = if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let end = b[i + 1..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| i + 1 + p);
                (i + 1, end, (end + 1).min(b.len()))
            } else {
                let mut e = i;
                while e < b.len() && !b[e].is_ascii_whitespace() && b[e] != b'>' {
                    e += 1;
                }
                (i, e, e)
            };
            let raw = &html[start..end];
            attrs.push(RawAttr {
                tag,
                name,
                raw,
                offset: start,
            });
            i = next;
        }
    }
    match RAW_TEXT
        .iter()
        .find(|(element, _)| tag.eq_ignore_ascii_case(element))
    {
        Some(&(_, until)) => match find_ci(html, i, until) {
            Some(end) => Construct::Ends(end),
            None if more => Construct::InRawText { text: i, until },
            None => Construct::Ends(b.len()),
        },
        None => Construct::Ends(i),
    }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Finds the ASCII-lowercase `needle` in `hay` from `from`, ignoring ASCII case, without
/// copying the rest of the document.
fn find_ci(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()
        .get(from..)?
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
        .map(|p| p + from)
}

/// Decodes the entities that appear in attribute values of generated HTML.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // An entity is short: its `;` is within 12 bytes (a byte search: the text after `&`
        // may be any characters, and 12 bytes need not end on one).
        let near = &rest.as_bytes()[..rest.len().min(12)];
        let Some(semi) = near.iter().position(|&b| b == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..semi];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .or_else(|| ent.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a link points inside the site, if it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Output path of the file (`groups/auth-ig/index.html`), before folder resolution.
    pub path: String,
    /// The `#fragment`, if any.
    pub fragment: Option<String>,
}

/// The part of `link` that names a place in the site (`/groups/a/` of
/// `https://x.org/groups/a/` when that is `base_url`), or `None` for a link elsewhere (any
/// scheme, `//host`) or an empty one.
fn site_part<'l>(link: &'l str, base_url: Option<&str>) -> Option<&'l str> {
    let link = link.trim();
    if link.is_empty() {
        return None;
    }
    let local = match base_url {
        Some(base) if link.starts_with(base) => {
            let rest = &link[base.len()..];
            if rest.is_empty() || rest.starts_with(['/', '#', '?']) {
                if rest.is_empty() { "/" } else { rest }
            } else {
                return None;
            }
        }
        _ => link,
    };
    (!local.starts_with("//") && !has_scheme(local)).then_some(local)
}

/// Resolves a link found in output file `from` to a site path. External links (any scheme,
/// `//host`) give `None`; so do links to `base_url` when it is `None`.
pub fn resolve(from: &str, link: &str, base_url: Option<&str>) -> Option<Target> {
    Some(resolve_local(from, site_part(link, base_url)?))
}

/// Resolves `local`, the [`site_part`] of a link found in output file `from`, to a site path.
fn resolve_local(from: &str, local: &str) -> Target {
    let (rest, fragment) = match local.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (local, None),
    };
    let path = rest.split('?').next().unwrap_or("");
    let joined = if path.is_empty() {
        from.to_string()
    } else if let Some(abs) = path.strip_prefix('/') {
        abs.to_string()
    } else {
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        if dir.is_empty() {
            path.to_string()
        } else {
            format!("{dir}/{path}")
        }
    };
    // Normalize `.` and `..`, keeping a trailing slash (a folder).
    let trailing = joined.ends_with('/') || joined.is_empty();
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut path = percent_decode(&parts.join("/"));
    if trailing && !path.is_empty() {
        path.push('/');
    }
    Target { path, fragment }
}

fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !scheme.contains('/')
}

/// The built file a site path means: the file itself, or a folder's `index.html`.
fn find_file(files: &HashSet<Box<str>>, path: &str) -> Option<String> {
    if path.is_empty() || path.ends_with('/') {
        let p = format!("{path}index.html");
        return files.contains(p.as_str()).then_some(p);
    }
    if files.contains(path) {
        return Some(path.to_string());
    }
    let p = format!("{path}/index.html");
    files.contains(p.as_str()).then_some(p)
}

/// The `id`s (and `<a name>`s) of an HTML document.
pub fn ids_of(html: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for_each_attr(html, |a| {
        if is_id(&a) {
            ids.insert(a.value().into_owned());
        }
    });
    ids
}

fn is_id(a: &RawAttr) -> bool {
    a.is("id") || (a.is("name") && a.in_tag("a"))
}

/// Whether `path` is an HTML page, whose links and ids are checked.
pub fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// What the link check keeps of one built page once the page itself is gone: its ids, each of
/// its links to another file (each value once, where it first appears) until the file it names
/// is made, and what was found wrong already: the links to its own `#fragment`s that name no
/// id, found at once, and those to files made before the last pages ([`settle_links`]).
///
/// Its ids and links are numbers in the site's [`Strings`].
#[derive(Debug, PartialEq, Eq)]
pub struct PageLinks {
    /// The page's ids, sorted.
    ids: Box<[u32]>,
    /// Links to other files not resolved yet: all of them until the last pages come
    /// ([`settle_links`]), then those to the last pages.
    links: Box<[Link]>,
    /// What the links checked already came to.
    found: Vec<LinkFinding>,
}

impl PageLinks {
    /// Reads the page at `path` (`html`): its ids and its site links (a link to `base_url` is
    /// one), kept in `strings`.
    pub fn read(path: &str, html: &str, base_url: Option<&str>, strings: &Mutex<Strings>) -> Self {
        let mut reader = PageReader::new(path, base_url);
        reader.read(html, 0, false);
        reader.finish(strings)
    }

    fn has_id(&self, id: &str, strings: &Strings) -> bool {
        (strings.number(id)).is_some_and(|n| self.ids.binary_search(&n).is_ok())
    }
}

/// A link kept by the link check: its value's number in [`Strings`], its line and its column.
type Link = (u32, u32, u32);

/// Every id and link value of the site's pages once, each with a number: most pages share most
/// of theirs (the theme's sections, the site's menu), and 100,000 pages' own copies weighed
/// some hundred megabytes more.
#[derive(Debug, Default)]
pub struct Strings {
    numbers: HashMap<Arc<str>, u32>,
    strings: Vec<Arc<str>>,
}

impl Strings {
    /// The number of `s`, given it if it has none yet.
    fn keep(&mut self, s: &str) -> u32 {
        match self.numbers.get(s) {
            Some(&n) => n,
            None => self.add(s.into()),
        }
    }

    /// The number of `s`, if it has one.
    fn number(&self, s: &str) -> Option<u32> {
        self.numbers.get(s).copied()
    }

    /// The string numbered `n`.
    fn get(&self, n: u32) -> &str {
        &self.strings[n as usize]
    }

    /// Numbers `s`, which has no number yet.
    fn add(&mut self, s: Arc<str>) -> u32 {
        let n = u32::try_from(self.strings.len()).expect("fewer than 4 billion strings");
        self.strings.push(s.clone());
        self.numbers.insert(s, n);
        n
    }
}

/// Reads one page's ids and site links as its text comes, part after part.
struct PageReader<'a> {
    path: &'a str,
    base_url: Option<&'a str>,
    ids: Vec<Box<str>>,
    /// Every site link read (entities decoded): each is checked once, where it first appears.
    checked: HashSet<Box<str>>,
    /// Links to other files, and where each is.
    links: Vec<(Box<str>, Pos)>,
    /// Links to the page's own fragments: the link, the fragment, and where.
    own: Vec<(Box<str>, String, Pos)>,
    cursor: LineCursor,
}

impl<'a> PageReader<'a> {
    fn new(path: &'a str, base_url: Option<&'a str>) -> Self {
        PageReader {
            path,
            base_url,
            ids: Vec::new(),
            checked: HashSet::new(),
            links: Vec::new(),
            own: Vec::new(),
            cursor: LineCursor::default(),
        }
    }

    /// Reads `window`, the part of the page from byte `start` on, as [`scan_attrs`] does, and
    /// says where in `window` it stopped: the next part starts there.
    fn read(&mut self, window: &str, start: usize, more: bool) -> Stop {
        let stop = scan_attrs(window, more, &mut |a| self.attr(a, window, start));
        self.cursor.pos(window, start, start + stop.at);
        stop
    }

    /// Passes over `window`, the part of a script's or style's raw text from byte `start` on,
    /// up to `until` (the tag that ends it), and gives where the next part starts, and whether
    /// it is still raw text. With `more`, the end of `window` that could be the start of
    /// `until` is left for the next part.
    fn pass_raw_text(
        &mut self,
        window: &str,
        start: usize,
        until: &str,
        more: bool,
    ) -> (usize, bool) {
        let (at, goes_on) = match find_ci(window, 0, until) {
            Some(end) => (end, false),
            None if more => {
                let mut at = window.len().saturating_sub(until.len() - 1);
                while !window.is_char_boundary(at) {
                    at -= 1;
                }
                (at, true)
            }
            None => (window.len(), false),
        };
        self.cursor.pos(window, start, start + at);
        (at, goes_on)
    }

    fn attr(&mut self, a: RawAttr, window: &str, start: usize) {
        if is_id(&a) {
            self.ids.push(a.value().into());
            return;
        }
        if !a.is("href") && !a.is("src") {
            return;
        }
        let value = a.value();
        // Links elsewhere (most of a page's) are passed over before they are kept; many raw
        // values decode to one, and each decoded value is checked once.
        let Some(local) = site_part(&value, self.base_url) else {
            return;
        };
        if self.checked.contains(&*value) {
            return;
        }
        self.checked.insert(Box::from(&*value));
        let t = resolve_local(self.path, local);
        let pos = self.cursor.pos(window, start, start + a.offset);
        if t.path != self.path {
            self.links.push((value.into(), pos));
        } else if let Some(f) = t.fragment.filter(|f| !f.is_empty()) {
            self.own.push((value.into(), f, pos));
        }
    }

    /// What the link check keeps of the page, its own fragments checked now that all its ids
    /// are known.
    fn finish(mut self, strings: &Mutex<Strings>) -> PageLinks {
        self.ids.sort_unstable();
        self.ids.dedup();
        let found = (self.own.into_iter())
            .filter(|(_, f, _)| self.ids.binary_search_by(|id| (**id).cmp(f)).is_err())
            .map(|(value, f, pos)| LinkFinding::fragment(&value, self.path, &f, pos))
            .collect();
        let mut strings = strings.lock().unwrap_or_else(|e| e.into_inner());
        let mut ids: Vec<u32> = self.ids.iter().map(|id| strings.keep(id)).collect();
        ids.sort_unstable();
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let links = (self.links.iter())
            .map(|(link, pos)| (strings.keep(link), small(pos.line), small(pos.col)))
            .collect();
        PageLinks {
            ids: ids.into(),
            links,
            found,
        }
    }
}

/// Reads a page as it is written, so that it is never held whole (the directory of 100,000
/// groups is some hundreds of megabytes): the text is scanned whenever enough of it has come,
/// and only the construct it ends in the middle of is kept for the next part, but a script's or
/// style's raw text, which is passed over as it comes (the directory's script data alone is
/// some tens of megabytes there).
pub struct PageWriter<'a> {
    reader: PageReader<'a>,
    /// The text not yet scanned.
    pending: Vec<u8>,
    /// Set while `pending` is in a script's or style's raw text: the tag that ends it.
    raw_text_until: Option<&'static str>,
    /// Where `pending` starts in the page.
    start: usize,
    /// How long `pending` grows before it is scanned.
    scan_at: usize,
    /// How much is scanned at once ([`PART`]; less in tests).
    part: usize,
}

/// How much of a page is scanned at once.
const PART: usize = 64 << 10;

impl<'a> PageWriter<'a> {
    /// Reads the page at `path`, as [`PageLinks::read`] does.
    pub fn new(path: &'a str, base_url: Option<&'a str>) -> Self {
        Self::in_parts(path, base_url, PART)
    }

    /// A reader that scans what has come once `part` bytes have (a build's is [`PART`]), for
    /// the tests and the fuzz target that cut pages in small parts.
    pub fn in_parts(path: &'a str, base_url: Option<&'a str>, part: usize) -> Self {
        PageWriter {
            reader: PageReader::new(path, base_url),
            pending: Vec::new(),
            raw_text_until: None,
            start: 0,
            scan_at: part,
            part,
        }
    }

    /// What the link check keeps of the page, once all of it was written.
    pub fn finish(mut self, strings: &Mutex<Strings>) -> PageLinks {
        self.scan(false);
        self.reader.finish(strings)
    }

    /// Scans the text that has come, but (with `more`) the construct it ends in.
    fn scan(&mut self, more: bool) {
        // Each turn reads up to a script's raw text or passes over raw text, and the one
        // follows the other until neither can go on with what has come.
        loop {
            let text = utf8_part(&mut self.pending, more);
            let (stop, until) = match self.raw_text_until {
                Some(until) => {
                    let (at, goes_on) = self.reader.pass_raw_text(text, self.start, until, more);
                    (at, goes_on.then_some(until))
                }
                None => {
                    let stop = self.reader.read(text, self.start, more);
                    (stop.at, stop.raw_text_until)
                }
            };
            self.pending.drain(..stop);
            self.start += stop;
            let turned = self.raw_text_until.is_some() != until.is_some();
            self.raw_text_until = until;
            if !turned {
                break;
            }
        }
        // A construct longer than a part waits until the text has doubled: scanned again
        // with every part, it would cost its length squared.
        self.scan_at = (2 * self.pending.len()).max(self.part);
    }
}

impl std::io::Write for PageWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // A part at a time: a script's data comes in one write (a template value), and its
        // raw text is passed over as it comes only if it comes in parts.
        for piece in buf.chunks(self.part) {
            self.pending.extend_from_slice(piece);
            if self.pending.len() >= self.scan_at {
                self.scan(true);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The text of `bytes` as `String::from_utf8_lossy` reads it (each invalid sequence replaced
/// with U+FFFD in `bytes` itself), up to a character that `more` may still complete.
fn utf8_part(bytes: &mut Vec<u8>, more: bool) -> &str {
    let mut valid = 0;
    loop {
        match std::str::from_utf8(&bytes[valid..]) {
            Ok(_) => {
                valid = bytes.len();
                break;
            }
            Err(e) => {
                let at = valid + e.valid_up_to();
                let bad = match e.error_len() {
                    Some(n) => n,
                    None if more => {
                        valid = at;
                        break;
                    }
                    None => bytes.len() - at,
                };
                bytes.splice(at..at + bad, "\u{FFFD}".bytes());
                valid = at + '\u{FFFD}'.len_utf8();
            }
        }
    }
    std::str::from_utf8(&bytes[..valid]).expect("made valid above")
}

/// Checks the links of every page in `pages` (by path) against the built `files` and the
/// pages' ids: `link-broken` and `link-fragment-missing`.
pub fn check_links(
    pages: &BTreeMap<Box<str>, PageLinks>,
    strings: &Strings,
    files: &HashSet<Box<str>>,
    base_url: Option<&str>,
    sink: &mut Sink,
) {
    let site = Built {
        pages,
        strings,
        files,
        base_url,
    };
    // Every page on every core; the findings are then given in page order.
    let found: Vec<Vec<LinkFinding>> = (pages.par_iter())
        .map(|(path, page)| page_links(path, page, &site))
        .collect();
    for ((path, _), found) in pages.iter().zip(found) {
        for f in found {
            let help = source_hint(path);
            match f.fragment {
                false => sink.emit("link-broken", path, f.pos, f.message, help),
                true => sink.emit("link-fragment-missing", path, f.pos, f.message, help),
            }
        }
    }
}

/// One finding of [`check_links`] in a page: a broken link, or a missing `fragment`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LinkFinding {
    fragment: bool,
    pos: Pos,
    message: String,
}

impl LinkFinding {
    /// Link `value` names `path`, which the build does not make.
    fn broken(value: &str, path: &str, pos: Pos) -> Self {
        LinkFinding {
            fragment: false,
            pos,
            message: format!("`{value}` links to /{path}, which the build does not produce"),
        }
    }

    /// Link `value`, to `file`, names `id`, which `file` does not have.
    fn fragment(value: &str, file: &str, id: &str, pos: Pos) -> Self {
        LinkFinding {
            fragment: true,
            pos,
            message: format!("`{value}`: /{file} has no element with id=\"{id}\""),
        }
    }
}

/// What a page's links are checked against.
struct Built<'a> {
    pages: &'a BTreeMap<Box<str>, PageLinks>,
    strings: &'a Strings,
    files: &'a HashSet<Box<str>>,
    base_url: Option<&'a str>,
}

/// The broken links and missing fragments of the page at `path`, in page order: every file is
/// made, so a link to a file not made is broken.
fn page_links(path: &str, page: &PageLinks, site: &Built) -> Vec<LinkFinding> {
    let broken = |_, value: &str, pos, path: &str| LinkFinding::broken(value, path, pos);
    let (mut found, broken) = sort_links(path, page, site, broken);
    found.extend(broken);
    found.extend(page.found.iter().cloned());
    found.sort_by_key(|f| f.pos);
    found
}

/// What the links of the page at `path` come to: the findings of those to files made, and what
/// `not_made` makes of each of the others (its link, value, place and path as resolved).
fn sort_links<T>(
    path: &str,
    page: &PageLinks,
    site: &Built,
    not_made: impl Fn(Link, &str, Pos, &str) -> T,
) -> (Vec<LinkFinding>, Vec<T>) {
    let mut found = Vec::new();
    let mut others = Vec::new();
    for &link in &page.links {
        match check_link(path, link, site) {
            Checked::Fine => {}
            Checked::Found(f) => found.push(f),
            Checked::NotMade { value, pos, path } => {
                others.push(not_made(link, value, pos, &path));
            }
        }
    }
    (found, others)
}

/// What one link of a page comes to.
enum Checked<'s> {
    Fine,
    Found(LinkFinding),
    /// The link names a file the build has not made: `path`, as resolved.
    NotMade {
        value: &'s str,
        pos: Pos,
        path: String,
    },
}

/// Checks one link of the page at `path`.
fn check_link<'s>(path: &str, (link, line, col): Link, site: &Built<'s>) -> Checked<'s> {
    let value = site.strings.get(link);
    let pos = Pos {
        line: line as usize,
        col: col as usize,
    };
    let Some(t) = resolve(path, value, site.base_url) else {
        return Checked::Fine;
    };
    let Some(file) = find_file(site.files, &t.path) else {
        let path = t.path;
        return Checked::NotMade { value, pos, path };
    };
    // A page the build did not produce as HTML has no ids to check.
    if let Some(f) = t.fragment.as_deref().filter(|f| !f.is_empty())
        && let Some(target) = site.pages.get(file.as_str())
        && !target.has_id(f, site.strings)
    {
        return Checked::Found(LinkFinding::fragment(value, &file, f, pos));
    }
    Checked::Fine
}

/// Checks now every link of `pages` to a file made already (`made`: every file but the last
/// pages, those that list the cards), keeping what it comes to in its page, and keeps to check
/// with [`check_links`] only the links to files not made yet; then `strings` keeps only what
/// the pages still read. Nearly every link of a large site reaches a file made before those
/// pages, which make the largest values of a build (the cards'): kept until the end, the links
/// of 100,000 groups (some 2.9 million) and their strings were held beside those values.
///
/// A link that reaches a file now reaches the same one once every file is made: files are only
/// added, and a later file could change where a link leads only by being a file where a folder
/// was made (`a` beside `a/index.html`), which no build writes.
pub fn settle_links(
    pages: &mut BTreeMap<Box<str>, PageLinks>,
    strings: &mut Strings,
    made: &HashSet<Box<str>>,
    base_url: Option<&str>,
) {
    let site = Built {
        pages: &*pages,
        strings: &*strings,
        files: made,
        base_url,
    };
    let settled: Vec<(Vec<LinkFinding>, Vec<Link>)> = (pages.par_iter())
        .map(|(path, page)| sort_links(path, page, &site, |link, _, _, _| link))
        .collect();
    for (page, (found, waiting)) in pages.values_mut().zip(settled) {
        page.found.extend(found);
        page.links = waiting.into();
    }
    strings.keep_only(pages);
}

impl Strings {
    /// Keeps only the strings `pages` read, numbered anew in the order they are first read
    /// (each page's ids sorted again by their new numbers).
    fn keep_only(&mut self, pages: &mut BTreeMap<Box<str>, PageLinks>) {
        let old = std::mem::take(self);
        let mut renumbered = vec![u32::MAX; old.strings.len()];
        for page in pages.values_mut() {
            let links = page.links.iter_mut().map(|(n, _, _)| n);
            for n in page.ids.iter_mut().chain(links) {
                let new = &mut renumbered[*n as usize];
                if *new == u32::MAX {
                    *new = self.add(old.strings[*n as usize].clone());
                }
                *n = *new;
            }
            page.ids.sort_unstable();
        }
    }
}

fn source_hint(path: &str) -> String {
    match path
        .strip_prefix("groups/")
        .and_then(|r| r.strip_suffix("/index.html"))
    {
        Some(slug) => format!(
            "fix the link in content/groups/{slug}.md, or in the theme template that writes it"
        ),
        None => "fix the link in the theme template (or static file) that writes it".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One attribute found in a tag: its names lowercased, its value decoded.
    #[derive(Debug)]
    struct Attr {
        tag: String,
        name: String,
        value: String,
    }

    /// Every attribute of every tag in `html`, in document order.
    fn scan_attrs(html: &str) -> Vec<Attr> {
        let mut out = Vec::new();
        for_each_attr(html, |a| {
            out.push(Attr {
                tag: a.tag.to_ascii_lowercase(),
                name: a.name.to_ascii_lowercase(),
                value: a.value().into_owned(),
            })
        });
        out
    }

    #[test]
    fn scanner_reads_quoted_bare_and_skips_scripts() {
        let html = "<!doctype html><!-- <a href=\"/x\"> --><a class=x href='/a/?q=1#top'>a</a>\n<img src=/i.png alt=\"a &amp; b\"><script>var s = '<a href=\"/no\">';</script><p id=\"top\">";
        let attrs: Vec<(String, String)> = scan_attrs(html)
            .into_iter()
            .map(|a| (a.name, a.value))
            .collect();
        assert_eq!(
            attrs,
            [
                ("class".into(), "x".into()),
                ("href".into(), "/a/?q=1#top".into()),
                ("src".into(), "/i.png".into()),
                ("alt".into(), "a & b".into()),
                ("id".into(), "top".into()),
            ]
        );
    }

    #[test]
    fn scanner_reads_names_in_any_case() {
        let html = "<A HREF=\"/a\" Name=\"top\"><SCRIPT>x = '<a href=\"/no\">';</Script><P ID=\"p&amp;q\">";
        let attrs: Vec<(String, String, String)> = (scan_attrs(html).into_iter())
            .map(|a| (a.tag, a.name, a.value))
            .collect();
        let owned = |t: &str, n: &str, v: &str| (t.to_string(), n.to_string(), v.to_string());
        assert_eq!(
            attrs,
            [
                owned("a", "href", "/a"),
                owned("a", "name", "top"),
                owned("p", "id", "p&q")
            ]
        );
        assert_eq!(
            ids_of(html),
            BTreeSet::from(["top".to_string(), "p&q".to_string()])
        );
    }

    /// A `&` before characters of several bytes, as a site's own static page may have: the
    /// decoder looked for the `;` in a slice that ended inside a character, and `check` panicked.
    #[test]
    fn entities_before_wide_characters() {
        assert_eq!(decode_entities("/?a=1&éééééé"), "/?a=1&éééééé");
        assert_eq!(decode_entities("&éé;&amp;"), "&éé;&");
        assert_eq!(decode_entities("x&😀😀😀&#233;"), "x&😀😀😀é");
    }

    #[test]
    fn resolution() {
        let r = |from, link| resolve(from, link, Some("https://x.org"));
        assert_eq!(
            r("groups/a/index.html", "../b/"),
            Some(Target {
                path: "groups/b/".into(),
                fragment: None
            })
        );
        assert_eq!(
            r("index.html", "/groups/a/#people"),
            Some(Target {
                path: "groups/a/".into(),
                fragment: Some("people".into())
            })
        );
        assert_eq!(
            r("groups/a/index.html", "#x").unwrap().path,
            "groups/a/index.html"
        );
        assert_eq!(
            r("index.html", "https://x.org/calendar.ics").unwrap().path,
            "calendar.ics"
        );
        assert_eq!(r("index.html", "https://x.org").unwrap().path, "");
        assert_eq!(r("index.html", "https://x.organic/"), None);
        assert_eq!(r("index.html", "mailto:a@b.c"), None);
        assert_eq!(r("index.html", "webcal://x.org/calendar.ics"), None);
        assert_eq!(r("index.html", "//cdn.example/x.js"), None);
        assert_eq!(r("a/b.html", "c%20d.html").unwrap().path, "a/c d.html");
    }

    /// The findings of the link check on `files` (path, HTML), read as a build puts them.
    fn check_files(files: &[(&str, &str)]) -> Vec<crate::diag::Diagnostic> {
        let mut pages = BTreeMap::new();
        let strings = Mutex::default();
        for (path, html) in files {
            if is_html(path) {
                let page = PageLinks::read(path, html, None, &strings);
                pages.insert(Box::from(*path), page);
            }
        }
        let paths: HashSet<Box<str>> = files.iter().map(|(p, _)| Box::from(*p)).collect();
        let skip = BTreeSet::new();
        let mut sink = Sink::new(&skip);
        let strings = strings.into_inner().unwrap();
        check_links(&pages, &strings, &paths, None, &mut sink);
        sink.finish().into_vec()
    }

    /// Once the links to files made already are checked, a page keeps only its links to files
    /// not made yet, and the strings only what the pages still read: its ids and those links.
    #[test]
    fn settling_lets_go_of_the_links_it_checked() {
        let strings = Mutex::default();
        let html = "<h2 id=\"people\">P</h2><a href=\"/groups/b/\">b</a><a href=\"/groups/b/#gone\">g</a><a href=\"/ig/\">ig</a><a href=\"/style.css\">s</a>";
        let page = PageLinks::read("groups/a/index.html", html, None, &strings);
        let b = PageLinks::read("groups/b/index.html", "<p id=\"m\">", None, &strings);
        let mut pages = BTreeMap::from([
            (Box::from("groups/a/index.html"), page),
            (Box::from("groups/b/index.html"), b),
        ]);
        let mut strings = strings.into_inner().unwrap();
        assert_eq!(strings.strings.len(), 6);
        let made: HashSet<Box<str>> = ["groups/a/index.html", "groups/b/index.html", "style.css"]
            .map(Box::from)
            .into();
        settle_links(&mut pages, &mut strings, &made, None);
        let page = &pages["groups/a/index.html"];
        let waiting: Vec<&str> = (page.links.iter()).map(|l| strings.get(l.0)).collect();
        assert_eq!(waiting, ["/ig/"]);
        assert!(page.has_id("people", &strings));
        let kept: Vec<&str> = strings.strings.iter().map(|s| &**s).collect();
        assert_eq!(kept, ["people", "/ig/", "m"]);
        // The link to a fragment `groups/b` does not have was found broken, and kept as found.
        assert_eq!(page.found.len(), 1, "{:?}", page.found);
        assert!(page.found[0].message.contains("#gone"));
    }

    #[test]
    fn broken_links_and_fragments() {
        let d: Vec<(String, String)> = check_files(&[
            (
                "index.html",
                "<a href=\"/groups/a/\">a</a><a href=\"/groups/b/\">b</a><a href=\"/groups/a/#people\">p</a><a href=\"/groups/a#nope\">n</a><a href=\"/calendar.ics#x\">c</a>",
            ),
            ("groups/a/index.html", "<h2 id=\"people\">People</h2>"),
            ("calendar.ics", "BEGIN:VCALENDAR"),
        ])
        .into_iter()
        .map(|d| (d.rule, d.message))
        .collect();
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].0, "link-broken");
        assert!(d[0].1.contains("/groups/b/"));
        assert_eq!(d[1].0, "link-fragment-missing");
        assert!(d[1].1.contains("id=\"nope\""));
    }

    /// A page's links to its own fragments are checked when it is read; a link written twice, or
    /// in two spellings of one value, is reported once, where it first appears; `#` alone names
    /// no fragment.
    #[test]
    fn own_fragments_each_value_once() {
        let html = "<p id=\"top\">\n<a href=\"#gone\">x</a> <a href=\"#top\">t</a> <a href=\"#\">h</a>\n  <a href=\"#gone\">x</a><a href=\"#g&#111;ne\">y</a> <a href='/b/'>b</a>\n<a href=\"/b/\">b</a>";
        let d: Vec<(String, usize, usize, String)> = check_files(&[("groups/a/index.html", html)])
            .into_iter()
            .map(|d| (d.rule, d.pos.line, d.pos.col, d.message))
            .collect();
        assert_eq!(
            d,
            [
                (
                    "link-fragment-missing".to_string(),
                    2,
                    10,
                    "`#gone`: /groups/a/index.html has no element with id=\"gone\"".to_string()
                ),
                (
                    "link-broken".to_string(),
                    3,
                    60,
                    "`/b/` links to /b/, which the build does not produce".to_string()
                ),
            ]
        );
    }

    /// Pages that end parts in every kind of construct: comments, declarations, raw text,
    /// quoted and bare values with `>` and `<` in them, entities, characters of two to four
    /// bytes, invalid UTF-8, and a tag left open at the end; and a real built page.
    fn documents() -> Vec<Vec<u8>> {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let real = repo.join("tests/fixtures/sites/health.expected/health/index.html");
        let mut invalid =
            b"<p id=\"caf\xC3\xA9\"><a href=\"/x\xFF/\">x</a><a href=\"#caf\xC3\xA9\">".to_vec();
        invalid
            .extend_from_slice(b"\xE2\x82<a href=\"#\xF0\x9F\x98\x80\" id=\"\xF0\x9F\x98\x80\">");
        vec![
            std::fs::read(real).unwrap(),
            invalid,
            "<!doctype html><!-- <a href=\"/x\"> --><a class=x href='/a/?q=1#top'>a</a>\n<img src=/i.png alt=\"a &amp; b\"><script>var s = '<a href=\"/no\">';</script><p id=\"top\"><STYLE>a[href=\"/s\"]{}</Style><a title=\"1 > 0 < 2\" href=\"#t&#111;p\">t</a><a href=\"#nope\" >n</a>\n<?pi x?></x ><a href=/b/ >é😀</a> <h2 id=é>é</h2><a href=\"#é\">e</a><a href=\"/c/#d\" name=d><a href=\"/e".as_bytes().to_vec(),
        ]
    }

    /// A page written in parts of any size, each part scanned at once or only after more has
    /// come, is read as the whole page is.
    #[test]
    fn a_page_read_as_it_is_written_is_read_as_a_whole() {
        let path = "groups/a/index.html";
        for doc in documents() {
            let strings = Mutex::default();
            let text = String::from_utf8_lossy(&doc);
            let whole = PageLinks::read(path, &text, Some("https://x.org"), &strings);
            let parts = |size: usize, part: usize| {
                let mut w = PageWriter::in_parts(path, Some("https://x.org"), part);
                for chunk in doc.chunks(size) {
                    std::io::Write::write_all(&mut w, chunk).unwrap();
                }
                w.finish(&strings)
            };
            for size in [1, 2, 3, 7, 64, 1000] {
                for part in [1, 5, 100] {
                    assert_eq!(
                        parts(size, part),
                        whole,
                        "parts of {size}, scanned from {part}"
                    );
                }
            }
            // Two parts, split at every byte, when the document is small.
            for cut in (1..doc.len()).filter(|_| doc.len() < 2000) {
                let mut w = PageWriter::in_parts(path, Some("https://x.org"), 1);
                std::io::Write::write_all(&mut w, &doc[..cut]).unwrap();
                std::io::Write::write_all(&mut w, &doc[cut..]).unwrap();
                assert_eq!(w.finish(&strings), whole, "split at {cut}");
            }
        }
    }

    /// A script's raw text is passed over as it comes: a page whose script data is many times
    /// a part (a directory page's, at 100,000 groups, some tens of megabytes) is never held
    /// much longer than a part, whether it comes in small writes or in one, and what follows
    /// the script is read as in the whole page, at its line and column.
    #[test]
    fn a_long_script_is_passed_over_as_it_comes() {
        let (path, base) = ("index.html", Some("https://x.org"));
        let mut html = String::from(
            "<!doctype html><script src=\"/site.js\"></script>\n<script type=\"application/json\" id=\"live-data\">",
        );
        for i in 0..40_000 {
            // Each record has a link (not read in a script), a character of two bytes and
            // most of an end tag.
            html.push_str(&format!(
                "{{\"g\":\"é{i}\",\"u\":\"/groups/g{i}/\",\"s\":\"</scrip\"}},\n"
            ));
        }
        html.push_str(
            "</SCRIPT >\n<a href=\"/groups/\">all</a> <a href=\"#nope\">x</a><p id=\"p\">",
        );
        assert!(html.len() > 30 * PART, "{}", html.len());
        let strings = Mutex::default();
        let whole = PageLinks::read(path, &html, base, &strings);
        let mut w = PageWriter::new(path, base);
        let mut held = 0;
        for chunk in html.as_bytes().chunks(4093) {
            std::io::Write::write_all(&mut w, chunk).unwrap();
            held = held.max(w.pending.len());
        }
        assert!(held < PART + 4093, "held {held} bytes");
        let read = w.finish(&strings);
        assert_eq!(read, whole);
        // Written at once, as a template writes a value: taken a part at a time all the same.
        let mut w = PageWriter::new(path, base);
        std::io::Write::write_all(&mut w, html.as_bytes()).unwrap();
        let held = w.pending.capacity();
        assert!(held < 4 * PART, "held {held} bytes");
        assert_eq!(w.finish(&strings), whole);
        let strings = strings.lock().unwrap();
        let links: Vec<&str> = read.links.iter().map(|l| strings.get(l.0)).collect();
        assert_eq!(links, ["/site.js", "/groups/"]);
        assert_eq!(read.found.len(), 1, "{:?}", read.found);
        let line = html.lines().count();
        assert_eq!(
            (read.links[1].1, read.found[0].pos.line),
            (line as u32, line)
        );
    }

    /// One line of 25,000 links to a page's own ids (what 25,000 references to one footnote
    /// render to; 18 s before ids were looked up by reference and positions computed only for
    /// findings): every link resolves, and the one broken fragment is found at its column.
    #[test]
    fn many_fragment_links_on_one_line() {
        let mut html = String::new();
        for i in 0..25_000 {
            html.push_str(&format!("<a href=\"#fn-n\" id=\"fnref-n-{i}\">{i}</a>"));
        }
        html.push_str(
            "<a href=\"#fnref-n-7\">back</a><a href=\"#missing\">x</a><li id=\"fn-n\">n</li>",
        );
        let d = check_files(&[("groups/a/index.html", &html)]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].rule, "link-fragment-missing");
        let col = html.find("#missing").unwrap() + 1;
        assert_eq!((d[0].pos.line, d[0].pos.col), (1, col));
    }
}
