//! Syndication: `sitemap.xml` for search engines (a sitemap index over `sitemap-N.xml` past the
//! protocol's 50,000 URLs) and `atom.xml` for feed readers.
//!
//! Takes: the [`Site`]. Gives: each file's text. The Atom feed has an entry per lifecycle event
//! and per meeting whose notes are published, newest first; no value comes from the clock, so
//! its `updated` is the newest date in the data.

use std::fmt::Write as _;

use crate::markdown::escape;
use crate::model::{Group, Site};
use crate::schema::MeetingStatus;

/// The most URLs one sitemap file may list (the sitemap protocol's limit); a site with more gets
/// a sitemap index.
const SITEMAP_URLS: usize = 50_000;

/// `sitemap.xml`, and when the site has more pages than one sitemap may list, the sitemaps
/// `sitemap.xml` then indexes (`sitemap-1.xml`, …): each `(path, text)`.
pub(super) fn sitemaps(site: &Site) -> Vec<(String, String)> {
    sitemaps_of(site, SITEMAP_URLS)
}

pub(super) fn sitemaps_of(site: &Site, limit: usize) -> Vec<(String, String)> {
    let mut paths = vec![
        "/".to_string(),
        "/ig/".into(),
        "/wg/".into(),
        "/calendar/".into(),
    ];
    paths.extend(
        site.groups
            .iter()
            .filter(|g| !g.fm().draft)
            .map(|g| g.url_path()),
    );
    if paths.len() <= limit {
        return vec![("sitemap.xml".into(), urlset(site, &paths))];
    }
    let parts: Vec<(String, String)> = (paths.chunks(limit.max(1)).enumerate())
        .map(|(i, chunk)| (format!("sitemap-{}.xml", i + 1), urlset(site, chunk)))
        .collect();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, _) in &parts {
        let url = site.abs_url(&format!("/{path}"));
        let _ = writeln!(index, "  <sitemap><loc>{}</loc></sitemap>", escape(&url));
    }
    index.push_str("</sitemapindex>\n");
    let mut files = vec![("sitemap.xml".to_string(), index)];
    files.extend(parts);
    files
}

/// One sitemap listing `paths`.
fn urlset(site: &Site, paths: &[String]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        let _ = writeln!(s, "  <url><loc>{}</loc></url>", escape(&site.abs_url(p)));
    }
    s.push_str("</urlset>\n");
    s
}

struct Entry {
    date: jiff::civil::Date,
    slug: String,
    id: String,
    title: String,
    link: String,
    summary: String,
}

/// The newest entries the feed keeps.
const FEED_ENTRIES: usize = 100;

pub(super) fn atom(site: &Site) -> String {
    atom_of(site, FEED_ENTRIES)
}

/// The feed with the `limit` newest entries. It holds at most twice `limit` entries at once and
/// never formats one older than the `limit`th it holds: a site with 10,000 groups has about
/// 100,000 meetings with notes, of which the feed keeps a hundred.
pub(super) fn atom_of(site: &Site, limit: usize) -> String {
    let mut newest = Newest {
        entries: Vec::new(),
        limit,
        oldest_kept: None,
    };
    for g in site.groups.iter().filter(|g| !g.fm().draft) {
        lifecycle_entries(site, g, &mut newest);
        notes_entries(site, g, &mut newest);
        if newest.entries.len() >= limit.max(1).saturating_mul(2) {
            newest.cut();
        }
    }
    newest.cut();
    write_atom(site, &newest.entries)
}

/// The newest entries found so far.
struct Newest {
    entries: Vec<Entry>,
    limit: usize,
    /// Once `limit` entries are kept, the date of the oldest: an entry dated before it can
    /// never be among the newest.
    oldest_kept: Option<jiff::civil::Date>,
}

impl Newest {
    /// Whether an entry dated `date` may still be among the newest.
    fn wants(&self, date: jiff::civil::Date) -> bool {
        self.oldest_kept.is_none_or(|oldest| date >= oldest)
    }

    fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// Keeps only the `limit` newest, in the feed's order: newest first, ties in a fixed order
    /// (a total order, so cutting early keeps exactly the entries one sort of all would).
    fn cut(&mut self) {
        let entries = &mut self.entries;
        entries.sort_by(|a, b| (b.date, &a.slug, &a.id).cmp(&(a.date, &b.slug, &b.id)));
        entries.truncate(self.limit);
        if entries.len() == self.limit {
            self.oldest_kept = entries.last().map(|e| e.date);
        }
    }
}

/// An entry per dated lifecycle event of `g`.
fn lifecycle_entries(site: &Site, g: &Group, entries: &mut Newest) {
    let fm = g.fm();
    let lc = &fm.lifecycle;
    let page = site.abs_url(&g.url_path());
    let events = [
        ("proposed", &lc.proposed, "proposed"),
        ("approved", &lc.approved, "approved"),
        ("active", &lc.active, "active"),
        ("chartered", &lc.chartered, "chartered"),
        ("rechartered", &lc.rechartered, "charter revised"),
        ("vetoed", &lc.vetoed, "vetoed"),
        ("retired", &lc.retired, "retired"),
    ];
    for (key, date, verb) in events {
        let Some(date) = date.as_ref().map(|d| d.get_ref().0) else {
            continue;
        };
        if !entries.wants(date) {
            continue;
        }
        let mut summary = fm.summary.get_ref().clone();
        if key == "retired" {
            if let Some(r) = &lc.retired_reason {
                summary = format!("Retired ({}). {summary}", r.get_ref().as_str());
            }
            if let Some(s) = &lc.successor {
                let name = site
                    .group(s.get_ref())
                    .map(|s| s.short_label())
                    .unwrap_or_else(|| s.get_ref().clone());
                summary = format!("{summary} Its work continues in the {name}.");
            }
        }
        entries.push(Entry {
            date,
            slug: g.slug.clone(),
            id: format!("{page}#{key}-{date}"),
            title: format!("{} {verb}", g.short_label()),
            link: page.clone(),
            summary,
        });
    }
}

/// An entry per meeting of `g` whose notes are published (and that was not cancelled).
fn notes_entries(site: &Site, g: &Group, entries: &mut Newest) {
    let page = site.abs_url(&g.url_path());
    for m in &g.fm().meetings {
        let m = m.get_ref();
        let (Some(notes), false) = (&m.notes, m.status == Some(MeetingStatus::Cancelled)) else {
            continue;
        };
        let date = m.date.get_ref().0;
        if !entries.wants(date) {
            continue;
        }
        let series = m
            .schedule
            .as_ref()
            .map(|s| format!("{}-", s.get_ref()))
            .or_else(|| m.id().map(|i| format!("{}-", i.get_ref())))
            .unwrap_or_default();
        entries.push(Entry {
            date,
            slug: g.slug.clone(),
            id: format!("{page}#notes-{series}{date}"),
            title: format!(
                "{}: notes of the {} meeting",
                g.short_label(),
                date.strftime("%-d %B %Y")
            ),
            link: notes.get_ref().clone(),
            summary: format!(
                "Notes of the {}{} meeting of {}.",
                m.title()
                    .map(String::as_str)
                    .map(|t| format!("“{t}” "))
                    .unwrap_or_default(),
                date.strftime("%-d %B %Y"),
                g.full_name()
            ),
        });
    }
}

/// The feed document, `entries` in order.
fn write_atom(site: &Site, entries: &[Entry]) -> String {
    let stamp = |d: jiff::civil::Date| format!("{d}T00:00:00Z");
    // No clock: the feed changes when the data does. An empty feed gets a fixed date.
    let updated = entries
        .iter()
        .map(|e| e.date)
        .max()
        .map(stamp)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());

    let c = &site.config;
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    let _ = writeln!(s, "  <title>{}</title>", escape(&c.title));
    if !c.description.is_empty() {
        let _ = writeln!(s, "  <subtitle>{}</subtitle>", escape(&c.description));
    }
    let _ = writeln!(
        s,
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>",
        escape(&site.abs_url("/atom.xml"))
    );
    let _ = writeln!(
        s,
        "  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>",
        escape(&site.abs_url("/"))
    );
    let _ = writeln!(s, "  <id>{}</id>", escape(&site.abs_url("/")));
    let _ = writeln!(s, "  <updated>{updated}</updated>");
    let _ = writeln!(s, "  <author><name>{}</name></author>", escape(&c.title));
    for e in entries {
        s.push_str("  <entry>\n");
        let _ = writeln!(s, "    <id>{}</id>", escape(&e.id));
        let _ = writeln!(s, "    <title>{}</title>", escape(&e.title));
        let _ = writeln!(s, "    <link href=\"{}\"/>", escape(&e.link));
        let _ = writeln!(s, "    <updated>{}</updated>", stamp(e.date));
        let _ = writeln!(s, "    <summary>{}</summary>", escape(&e.summary));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}
