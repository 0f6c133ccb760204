//! Markdown: a group page's prose to safe HTML.
//!
//! Takes: the Markdown body of a page. Gives: [`Rendered`], sanitized HTML plus a table of
//! contents. pulldown-cmark does the parsing (tables, footnotes, strikethrough, task lists and
//! `{#id .class}` heading attributes); a pass over its events adds what readers and screen readers
//! need and the stock HTML writer lacks:
//!
//! - every heading gets a unique `id` (its slug, or the `{#id}` the author gave) and a visible `#`
//!   permalink *beside* the heading, labelled "Permalink: …", so the heading's own accessible
//!   name stays its text (GitHub's pattern);
//! - headings are demoted so the body starts at `h2`: the page template owns the single `h1`;
//! - footnotes are numbered in order of first reference, collected at the end in a
//!   `section.footnotes` list with back-links (the stock output has neither numbers nor
//!   back-links, the accessibility gap Zola closed in 0.20);
//! - table alignment becomes a class, because the stock `style=` attribute would be stripped by the
//!   sanitizer and blocked by the site's Content-Security-Policy anyway;
//! - task-list boxes become text (`☑`/`☐` with a hidden "done"/"to do"), not form controls.
//!
//! Group pages arrive as pull requests, so the result goes through `ammonia` with an allow-list
//! ([`sanitizer`]): scripts, styles, event handlers, forms and `javascript:` links are removed;
//! `id`s that the page template itself uses are dropped so prose cannot hijack them. A page the
//! sanitizer would leave byte for byte as it is (no raw HTML, plain links: most pages) skips it.
//! Links to other sites get `rel="noopener noreferrer"`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

mod sanitizer;

/// One heading, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    /// 2–6, after demotion.
    pub level: u8,
    /// The heading's `id`.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
}

/// Rendered and sanitized Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The sanitized HTML.
    pub html: String,
    /// The `h2` and `h3` headings, in order.
    pub toc: Vec<TocEntry>,
}

/// Renders Markdown to sanitized HTML.
pub fn render(md: &str) -> String {
    render_page(md, &[]).html
}

/// Renders Markdown to sanitized HTML; `reserved` are `id`s the surrounding page already uses,
/// which headings must avoid and raw HTML may not set.
pub fn render_page(md: &str, reserved: &[&str]) -> Rendered {
    render_with(md, reserved, false)
}

/// [`render_page`] through the sanitizer whatever the page holds: what [`render_page`] gives for
/// every page (the tests and the `markdown` fuzz target compare the two).
#[doc(hidden)]
pub fn render_page_sanitized(md: &str, reserved: &[&str]) -> Rendered {
    render_with(md, reserved, true)
}

/// Renders `md`; through the sanitizer when `always`, or when it could change the HTML
/// ([`sanitizer::may_change`]).
fn render_with(md: &str, reserved: &[&str], always: bool) -> Rendered {
    let events: Vec<Event<'_>> = Parser::new_ext(md, options()).collect();
    let sanitized = always || sanitizer::may_change(&events);
    let mut pass = Rewrite::new(reserved, heading_shift(&events), events.len());
    pass.all(events);

    let mut html = String::with_capacity(md.len() * 2);
    pulldown_cmark::html::push_html(&mut html, pass.out.into_iter());
    pass.footnotes.write_section(&mut html);
    if sanitized {
        html = sanitizer::sanitize(&html, reserved);
    }
    Rendered {
        html: add_external_rel(&html),
        toc: pass.toc,
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// How many levels the body's headings move down so that they start at h2, whatever level the
/// author began with.
fn heading_shift(events: &[Event<'_>]) -> u8 {
    let min_level = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as u8),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    2u8.saturating_sub(min_level)
}

/// The pass over pulldown-cmark's events that adds what the stock HTML writer lacks (see the
/// module's doc): the events to write, the table of contents, and the footnotes to write after.
struct Rewrite<'a> {
    ids: Ids,
    shift: u8,
    out: Vec<Event<'a>>,
    toc: Vec<TocEntry>,
    footnotes: Footnotes<'a>,
    table: TableState,
}

impl<'a> Rewrite<'a> {
    fn new(reserved: &[&str], shift: u8, events: usize) -> Self {
        Rewrite {
            ids: Ids::new(reserved),
            shift,
            out: Vec::with_capacity(events),
            toc: Vec::new(),
            footnotes: Footnotes::default(),
            table: TableState::default(),
        }
    }

    fn all(&mut self, events: Vec<Event<'a>>) {
        let mut iter = events.into_iter();
        while let Some(event) = iter.next() {
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let inner =
                        take_until_end(&mut iter, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                    let heading = self.heading(level as u8, id.as_deref(), inner);
                    self.out.push(heading);
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let body = take_until_end(&mut iter, |e| {
                        matches!(e, Event::End(TagEnd::FootnoteDefinition))
                    });
                    self.footnotes.defs.entry(label.to_string()).or_insert(body);
                }
                Event::FootnoteReference(label) => {
                    let reference = self.footnotes.reference(&label);
                    self.out.push(reference);
                }
                Event::TaskListMarker(done) => self.out.push(task_marker(done)),
                // The sanitizer drops the language class (the site highlights no code).
                Event::Start(Tag::CodeBlock(_)) => self
                    .out
                    .push(Event::Start(Tag::CodeBlock(CodeBlockKind::Indented))),
                other => {
                    let other = self.table.rewrite(other);
                    self.out.push(other);
                }
            }
        }
    }

    /// A heading (its level as written, the `{#id}` its author gave, the events inside it) as
    /// the page shows it: demoted, with a unique id and a permalink beside it, and in the table
    /// of contents when it is an h2 or h3.
    fn heading(&mut self, level: u8, id: Option<&str>, inner: Vec<Event<'a>>) -> Event<'a> {
        let inner = self.footnotes.rewrite_refs(inner);
        let text = plain_text(&inner);
        let wanted = match id {
            Some(id) if !id.trim().is_empty() => slugify(id),
            _ => slugify(&text),
        };
        let id = self.ids.unique(&wanted);
        let n = (level + self.shift).min(6);
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
        let html = format!(
            "<div class=\"heading-wrap\"><h{n} id=\"{id}\">{inner_html}</h{n}>\
             <a class=\"anchor\" href=\"#{id}\" aria-label=\"Permalink: {}\">#</a></div>\n",
            attribute_text(&text)
        );
        if n <= 3 {
            self.toc.push(TocEntry {
                level: n,
                id,
                title: text,
            });
        }
        Event::Html(CowStr::from(html))
    }
}

/// A task list's box as text, not a form control.
fn task_marker<'a>(done: bool) -> Event<'a> {
    Event::InlineHtml(CowStr::from(if done {
        "<span class=\"task-marker\" aria-hidden=\"true\">☑</span><span class=\"visually-hidden\">Done: </span>"
    } else {
        "<span class=\"task-marker\" aria-hidden=\"true\">☐</span><span class=\"visually-hidden\">To do: </span>"
    }))
}

/// Where the pass is in a table: its columns' alignment, and the cell it is at.
#[derive(Default)]
struct TableState {
    aligns: Vec<Alignment>,
    in_head: bool,
    col: usize,
}

impl TableState {
    /// `event` as the page writes it: a cell with its alignment as a class (not the stock
    /// `style=`, which the sanitizer strips and the site's Content-Security-Policy blocks) and a
    /// header cell with `scope="col"`; every other event as it is, noting where the table is.
    fn rewrite<'a>(&mut self, event: Event<'a>) -> Event<'a> {
        let cell = if self.in_head { "th" } else { "td" };
        match event {
            Event::Start(Tag::Table(ref aligns)) => self.aligns = aligns.clone(),
            Event::Start(Tag::TableHead) => (self.in_head, self.col) = (true, 0),
            Event::End(TagEnd::TableHead) => self.in_head = false,
            Event::Start(Tag::TableRow) => self.col = 0,
            Event::Start(Tag::TableCell) => {
                let class = match self.aligns.get(self.col) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                let scope = if self.in_head { " scope=\"col\"" } else { "" };
                return Event::Html(CowStr::from(format!("<{cell}{scope}{class}>")));
            }
            Event::End(TagEnd::TableCell) => {
                self.col += 1;
                return Event::Html(CowStr::from(format!("</{cell}>")));
            }
            _ => {}
        }
        event
    }
}

/// Footnotes in order of first reference.
#[derive(Default)]
struct Footnotes<'a> {
    defs: BTreeMap<String, Vec<Event<'a>>>,
    /// Label → (number, slug, references so far), in order of first reference.
    order: Vec<(String, String, usize)>,
    /// Label → index in `order`, and the slugs in use: one lookup per reference, however many
    /// footnotes a page has.
    index: HashMap<String, usize>,
    slugs: HashSet<String>,
}

impl<'a> Footnotes<'a> {
    fn reference(&mut self, label: &str) -> Event<'a> {
        let idx = match self.index.get(label) {
            Some(&i) => i,
            None => {
                let mut slug = slugify(label);
                // Two labels can slug alike (`[^a b]`, `[^a-b]`); numbers keep them apart.
                if self.slugs.contains(&slug) {
                    slug = format!("{slug}-{}", self.order.len() + 1);
                }
                self.slugs.insert(slug.clone());
                self.index.insert(label.to_string(), self.order.len());
                self.order.push((label.to_string(), slug, 0));
                self.order.len() - 1
            }
        };
        let n = idx + 1;
        let (_, slug, count) = &mut self.order[idx];
        *count += 1;
        let ref_id = if *count == 1 {
            format!("fnref-{slug}")
        } else {
            format!("fnref-{slug}-{count}")
        };
        Event::InlineHtml(CowStr::from(format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{slug}\" id=\"{ref_id}\">\
             <span class=\"visually-hidden\">Footnote </span>{n}</a></sup>"
        )))
    }

    /// Headings may hold footnote references too.
    fn rewrite_refs(&mut self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        events
            .into_iter()
            .map(|e| match e {
                Event::FootnoteReference(label) => self.reference(&label),
                other => other,
            })
            .collect()
    }

    fn write_section(mut self, html: &mut String) {
        if self.order.is_empty() {
            return;
        }
        // References inside footnote bodies number after the ones in the text.
        let mut bodies = Vec::new();
        let mut i = 0;
        while i < self.order.len() {
            let label = self.order[i].0.clone();
            let body = self.defs.remove(&label).unwrap_or_default();
            let body = self.rewrite_refs(body);
            bodies.push(body);
            i += 1;
        }
        html.push_str(
            "<section class=\"footnotes\" aria-label=\"Footnotes\">\n<h2 class=\"visually-hidden\">Footnotes</h2>\n<ol>\n",
        );
        for ((_, slug, _), body) in self.order.iter().zip(bodies) {
            let mut inner = String::new();
            if body.is_empty() {
                inner.push_str("<p>(This footnote has no text.)</p>\n");
            } else {
                pulldown_cmark::html::push_html(&mut inner, body.into_iter());
            }
            let back = format!(
                " <a class=\"footnote-backref\" href=\"#fnref-{slug}\" aria-label=\"Back to the text\">↩</a>"
            );
            let trimmed = inner.trim_end();
            if let Some(head) = trimmed.strip_suffix("</p>") {
                let _ = writeln!(html, "<li id=\"fn-{slug}\">{head}{back}</p></li>");
            } else {
                let _ = writeln!(html, "<li id=\"fn-{slug}\">{trimmed}{back}</li>");
            }
        }
        html.push_str("</ol>\n</section>\n");
    }
}

/// Takes events up to (and dropping) the end tag that closes the current element.
fn take_until_end<'a>(
    iter: &mut impl Iterator<Item = Event<'a>>,
    is_end: impl Fn(&Event<'a>) -> bool,
) -> Vec<Event<'a>> {
    let mut depth = 0usize;
    let mut taken = Vec::new();
    for e in iter.by_ref() {
        match &e {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 && is_end(&e) => break,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        taken.push(e);
    }
    taken
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A heading's anchor slug: lowercase letters and digits, words joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '.' || c == '/' {
            pending_dash = true;
        }
    }
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

/// The `id`s a page uses so far, and for each wanted id the next number to try, so that many
/// headings wanting the same id take linear time, not a retry from `-2` each (the result is the
/// same: every number below the kept one was found taken, and taken ids stay taken).
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Ids {
    fn new(reserved: &[&str]) -> Self {
        Ids {
            used: reserved.iter().map(|s| s.to_string()).collect(),
            next: HashMap::new(),
        }
    }

    /// `wanted` if free, else `wanted-2`, `wanted-3`, … the first that is free.
    fn unique(&mut self, wanted: &str) -> String {
        let mut id = wanted.to_string();
        if self.used.contains(&id) {
            let n = self.next.entry(wanted.to_string()).or_insert(2);
            loop {
                id = format!("{wanted}-{n}");
                *n += 1;
                if !self.used.contains(&id) {
                    break;
                }
            }
        }
        self.used.insert(id.clone());
        id
    }
}

/// Text for a double-quoted attribute value, escaped as the sanitizer writes one: as [`escape`]
/// does, but `'` as it is, so that a heading's label is the same whether or not its page goes
/// through the sanitizer (a no-break space, which it writes as `&nbsp;`, sends a page through it).
fn attribute_text(s: &str) -> Cow<'_, str> {
    escape_with(s, |c| entity(c).filter(|_| c != '\''))
}

/// Escapes text for HTML and XML text and double-quoted attribute values. Characters XML 1.0
/// does not allow (control characters but tab, LF and CR; DEL and C1; U+FFFE, U+FFFF) are
/// dropped, so `atom.xml` and `sitemap.xml` stay well-formed whatever a setting holds.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_with(s, entity)
}

/// The entity [`escape`] writes for `c`, if any.
fn entity(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        _ => None,
    }
}

/// `s` with each character `entity` names replaced by its entity and the characters XML 1.0
/// refuses dropped; borrowed when there is neither.
fn escape_with(s: &str, entity: impl Fn(char) -> Option<&'static str>) -> Cow<'_, str> {
    let refused = crate::frontmatter::control::is_refused;
    if !s.chars().any(|c| entity(c).is_some() || refused(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match entity(c) {
            _ if refused(c) => {}
            Some(e) => out.push_str(e),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Adds `rel="noopener noreferrer"` to links that leave the site (absolute http(s) URLs).
///
/// Works on the sanitizer's output (or, for a page that skips it, the same bytes), whose form is
/// regular: every attribute value is double-quoted with `"` escaped, text never holds a raw `<`,
/// and comments are gone. Tags are walked one by one (quotes respected), so a `<a` inside an
/// attribute value is never mistaken for a tag.
fn add_external_rel(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let tag_start = &rest[lt..];
        // Find the end of this tag, outside quotes.
        let mut in_quote = false;
        let mut end = None;
        for (i, c) in tag_start.char_indices() {
            match c {
                '"' => in_quote = !in_quote,
                '>' if !in_quote => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            out.push_str(tag_start);
            return out;
        };
        let tag = &tag_start[..end]; // without '>'
        if (tag.starts_with("<a ") || tag == "<a")
            && is_external_href(tag)
            && !tag.contains(" rel=\"")
        {
            out.push_str(tag);
            out.push_str(" rel=\"noopener noreferrer\">");
        } else {
            out.push_str(tag);
            out.push('>');
        }
        rest = &tag_start[end + 1..];
    }
    out.push_str(rest);
    out
}

fn is_external_href(tag: &str) -> bool {
    let Some(i) = tag.find(" href=\"") else {
        return false;
    };
    let value = &tag[i + 7..];
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let html = render(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n<style>p{}</style>",
        );
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("alert"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<style"), "{html}");
    }

    #[test]
    fn javascript_links_lose_their_href() {
        let html = render("[click](javascript:alert(1)) <a href=\"JaVaScRiPt:alert(2)\">x</a>");
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(html.contains(">click</a>"), "{html}");
    }

    #[test]
    fn external_links_get_rel_internal_do_not() {
        let html = render("[a](https://example.org/x) [b](/groups/auth-ig/) [c](#top)");
        assert!(
            html.contains("<a href=\"https://example.org/x\" rel=\"noopener noreferrer\">a</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"/groups/auth-ig/\">b</a>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"#top\">c</a>"), "{html}");
    }

    #[test]
    fn tables_keep_alignment_as_classes() {
        let html = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(
            html.contains("<th scope=\"col\" class=\"align-left\">a</th>"),
            "{html}"
        );
        assert!(html.contains("<td class=\"align-right\">2</td>"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn footnotes_are_numbered_and_linked_back() {
        let html = render("Text[^b] and more[^a] and again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n");
        // Numbered in order of first reference: b is 1, a is 2.
        assert!(html.contains("<a href=\"#fn-b\" id=\"fnref-b\"><span class=\"visually-hidden\">Footnote </span>1</a>"), "{html}");
        assert!(html.contains("<a href=\"#fn-a\" id=\"fnref-a\"><span class=\"visually-hidden\">Footnote </span>2</a>"), "{html}");
        assert!(html.contains("id=\"fnref-b-2\""), "{html}");
        let b = html.find("<li id=\"fn-b\">").expect("b listed");
        let a = html.find("<li id=\"fn-a\">").expect("a listed");
        assert!(b < a, "{html}");
        assert!(
            html.contains("Note B. <a class=\"footnote-backref\" href=\"#fnref-b\""),
            "{html}"
        );
        assert!(html.contains("<section class=\"footnotes\""), "{html}");
    }

    #[test]
    fn headings_get_unique_ids_permalinks_and_start_at_h2() {
        let r = render_page(
            "# Scope\n\n## Goals\n\n## Goals\n\n### Out of *scope* {#oos}\n",
            &["meetings"],
        );
        assert!(r.html.contains("<h2 id=\"scope\">Scope</h2>"), "{}", r.html);
        assert!(r.html.contains("<h3 id=\"goals\">Goals</h3>"), "{}", r.html);
        assert!(
            r.html.contains("<h3 id=\"goals-2\">Goals</h3>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<h4 id=\"oos\">Out of <em>scope</em></h4>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(
                "<a class=\"anchor\" href=\"#scope\" aria-label=\"Permalink: Scope\">#</a>"
            ),
            "{}",
            r.html
        );
        assert_eq!(
            r.toc.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["scope", "goals", "goals-2"]
        );
    }

    #[test]
    fn headings_avoid_reserved_ids_and_raw_html_cannot_take_them() {
        let r = render_page(
            "## Meetings\n\n<div id=\"meetings\">x</div>\n",
            &["meetings"],
        );
        assert!(r.html.contains("<h2 id=\"meetings-2\">"), "{}", r.html);
        assert!(r.html.contains("<div>x</div>"), "{}", r.html);
    }

    #[test]
    fn task_lists_and_strikethrough() {
        let html = render("- [x] done\n- [ ] open\n\n~~old~~\n");
        assert!(
            html.contains("☑</span><span class=\"visually-hidden\">Done: </span>done"),
            "{html}"
        );
        assert!(html.contains("☐"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(!html.contains("<input"), "{html}");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Scope & Goals"), "scope-goals");
        assert_eq!(slugify("  SEP-2149: charters "), "sep-2149-charters");
        assert_eq!(slugify("!!!"), "section");
        assert_eq!(slugify("Über uns"), "über-uns");
    }

    /// 20,000 identical headings (15 s before ids remembered their next number): every id is
    /// the expected one, in order, and numbers skip ids already taken.
    #[test]
    fn many_identical_headings_get_consecutive_ids() {
        let md = "## Same\n\n".repeat(20_000);
        let r = render_page(&md, &["same-7"]);
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        let mut want = vec!["same".to_string()];
        want.extend(
            (2..=20_001)
                .filter(|&n| n != 7)
                .map(|n| format!("same-{n}")),
        );
        assert_eq!(ids, want);
        let r = render_page("## a\n\n## a {#a-3}\n\n## a\n\n## a\n\n## a\n", &[]);
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-3", "a-2", "a-4", "a-5"]);
    }

    /// 25,000 references to one footnote and 5,000 footnotes: each reference gets its own id.
    #[test]
    fn many_footnote_references_are_numbered() {
        let mut md = "Text[^n] ".repeat(25_000);
        md.push_str("\n\n[^n]: The note.\n");
        let html = render(&md);
        assert_eq!(html.matches("href=\"#fn-n\"").count(), 25_000);
        assert!(html.contains("id=\"fnref-n-25000\""));
        assert_eq!(html.matches("<li id=\"fn-n\">").count(), 1);

        let mut md: String = (0..5_000).map(|i| format!("x[^f{i}] ")).collect();
        md.push_str("\n\n");
        for i in 0..5_000 {
            md.push_str(&format!("[^f{i}]: Note {i}.\n\n"));
        }
        let html = render(&md);
        assert!(html.contains("<li id=\"fn-f4999\"><p>Note 4999."), "tail");
        assert_eq!(html.matches("<li id=\"fn-").count(), 5_000);
    }
}
