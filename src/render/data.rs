//! The machine-readable directory: `groups.json` and `meetings.json`.
//!
//! Takes: the [`Site`] and each group's records, serialized one by one ([`pretty_item`] of
//! [`group_json`] or of an [`agenda::ItemJson`]), so the render cache can keep a group's records
//! while its page is unchanged. Gives: each document, written a few hundred records at a time
//! (a large site's are never held whole), equal to serializing the whole document at once.
//! Written here rather than by templates: their correctness does not depend on taste.

use std::borrow::Cow;
use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::periods::{Agenda, Period};
use super::view::{self, GroupCard};
use crate::agenda;
use crate::model::{Group, Site};

// ---------------------------------------------------------------------------------------------
// groups.json

#[derive(Serialize)]
struct GroupsJson<'a, T> {
    version: u32,
    base_url: &'a str,
    groups: &'a [T],
}

#[derive(Serialize)]
struct PersonJson {
    github: Option<String>,
    name: Option<String>,
    org: Option<String>,
    url: Option<String>,
    term_ends: Option<String>,
}

#[derive(Serialize)]
struct LifecycleJson {
    proposed: Option<String>,
    approved: Option<String>,
    active: Option<String>,
    chartered: Option<String>,
    rechartered: Option<String>,
    retired: Option<String>,
    retired_reason: Option<String>,
    successor: Option<String>,
    predecessors: Vec<String>,
}

#[derive(Serialize)]
struct GroupJson {
    slug: String,
    kind: String,
    name: String,
    full_name: String,
    short_name: Option<String>,
    summary: String,
    status: String,
    topic: String,
    draft: bool,
    channel: Option<String>,
    channel_url: Option<String>,
    calendar_tag: Option<String>,
    url: String,
    facilitators: Vec<PersonJson>,
    maintainers: Vec<PersonJson>,
    related: Vec<String>,
    lifecycle: LifecycleJson,
    /// The group's calendar feed (every group has one).
    ics: String,
    /// Whether the feed has anything in it yet.
    has_meetings: bool,
}

fn person_json(p: &crate::schema::Person) -> PersonJson {
    let github = p.github.as_ref().map(|h| h.get_ref().clone());
    PersonJson {
        url: github.as_ref().map(|h| format!("https://github.com/{h}")),
        github,
        name: p.name.clone(),
        org: p.org.clone(),
        term_ends: p.term_ends.as_ref().map(|d| d.get_ref().0.to_string()),
    }
}

/// A group's record as it appears in `groups.json` (see [`pretty_item`]); `card` is its card.
pub(super) fn group_record(site: &Site, g: &Group, card: &GroupCard) -> String {
    pretty_item(&group_json(site, g, card))
}

/// A group's record in `groups.json`; `card` is its card.
fn group_json(site: &Site, g: &Group, card: &GroupCard) -> GroupJson {
    let fm = g.fm();
    let lc = &fm.lifecycle;
    let date = |d: &Option<crate::schema::Spanned<crate::schema::Date>>| {
        d.as_ref().map(|d| d.get_ref().0.to_string())
    };
    GroupJson {
        slug: g.slug.clone(),
        kind: g.kind.suffix().into(),
        name: g.name().into(),
        full_name: g.full_name(),
        short_name: fm.short_name.clone(),
        summary: fm.summary.get_ref().clone(),
        status: g.status().as_str().into(),
        topic: g.topic.clone(),
        draft: fm.draft,
        channel: g.channel().map(str::to_string),
        channel_url: card.channel_url.clone(),
        calendar_tag: g.calendar_tag().map(str::to_string),
        url: site.abs_url(&g.url_path()),
        facilitators: fm
            .facilitators
            .iter()
            .map(|p| person_json(p.get_ref()))
            .collect(),
        maintainers: fm
            .maintainers
            .iter()
            .map(|p| person_json(p.get_ref()))
            .collect(),
        related: fm.related.iter().map(|r| r.get_ref().clone()).collect(),
        lifecycle: LifecycleJson {
            proposed: date(&lc.proposed),
            approved: date(&lc.approved),
            active: date(&lc.active),
            chartered: date(&lc.chartered),
            rechartered: date(&lc.rechartered),
            retired: date(&lc.retired),
            retired_reason: lc
                .retired_reason
                .as_ref()
                .map(|r| r.get_ref().as_str().to_string()),
            successor: lc.successor.as_ref().map(|s| s.get_ref().clone()),
            predecessors: lc
                .predecessors
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
        },
        ics: site.abs_url(&format!("{}calendar.ics", g.url_path())),
        has_meetings: view::has_feed(g),
    }
}

/// Writes `groups.json`: `record(i)` is the `i`th of `count` groups' record ([`pretty_item`] of
/// [`group_json`]), by slug.
pub(super) fn write_groups_json<'r>(
    w: &mut dyn Write,
    site: &Site,
    count: usize,
    record: impl Fn(usize) -> Cow<'r, str> + Sync,
) -> io::Result<()> {
    let doc = serde_json::to_string_pretty(&GroupsJson::<GroupJson> {
        version: 1,
        base_url: &site.config.base_url,
        groups: &[],
    })
    .expect("groups.json serializes");
    write_document(w, doc, count, record)
}

// ---------------------------------------------------------------------------------------------
// meetings.json

#[derive(Serialize)]
struct MeetingsJson<'a, T> {
    version: u32,
    base_url: &'a str,
    /// The meetings' range: `[from, to)`, UTC.
    from: String,
    to: String,
    /// When the agenda is cut into parts, in the first (`meetings.json`) only: every part.
    #[serde(skip_serializing_if = "Option::is_none")]
    parts: Option<&'a [PartJson]>,
    /// The same records `mcpsite meetings --format json` prints.
    meetings: &'a [T],
}

/// One part of a cut `meetings.json`, as the first part lists it.
#[derive(Serialize)]
pub(super) struct PartJson {
    from: String,
    to: String,
    /// How many meetings it has.
    meetings: usize,
    /// Its absolute URL.
    url: String,
    /// Its path in the output.
    #[serde(skip)]
    path: String,
}

/// The parts `meetings.json` is cut into: one per agenda period (no list when there is one).
pub(super) struct MeetingsParts(Vec<PartJson>);

impl MeetingsParts {
    pub(super) fn of(site: &Site, agenda: &Agenda) -> Self {
        let parts = agenda.periods.iter().map(|p| {
            let path = match &p.id {
                None => "meetings.json".to_string(),
                Some(id) => format!("meetings/{id}.json"),
            };
            PartJson {
                from: view::utc_rfc3339(p.from),
                to: view::utc_rfc3339(p.to),
                meetings: p.meetings.len(),
                url: site.abs_url(&format!("/{path}")),
                path,
            }
        });
        MeetingsParts(parts.collect())
    }

    /// The output path of the `i`th part.
    pub(super) fn path(&self, i: usize) -> &str {
        &self.0[i].path
    }
}

/// Writes a part of `meetings.json` (the whole of it when the agenda is not cut): `record(i)` is
/// the record ([`pretty_item`] of [`agenda::ItemJson`]) of the `i`th of the `count` meetings in
/// `period`, in `agenda::expand`'s order; the first part also lists every part when there are
/// several.
pub(super) fn write_meetings_json<'r>(
    w: &mut dyn Write,
    site: &Site,
    period: &Period,
    parts: Option<&MeetingsParts>,
    count: usize,
    record: impl Fn(usize) -> Cow<'r, str> + Sync,
) -> io::Result<()> {
    let doc = serde_json::to_string_pretty(&MeetingsJson::<agenda::ItemJson> {
        version: 1,
        base_url: &site.config.base_url,
        from: view::utc_rfc3339(period.from),
        to: view::utc_rfc3339(period.to),
        parts: parts.filter(|p| p.0.len() > 1).map(|p| p.0.as_slice()),
        meetings: &[],
    })
    .expect("meetings.json serializes");
    write_document(w, doc, count, record)
}

// ---------------------------------------------------------------------------------------------
// Records serialized one by one

/// A record in an array that is a top-level field of a JSON document, as
/// `serde_json::to_string_pretty` writes it there: two levels deep, so each line indented by
/// four more spaces than on its own. (JSON strings escape line breaks, so every line break is
/// the formatter's.)
pub(super) fn pretty_item<T: Serialize>(item: &T) -> String {
    let text = serde_json::to_string_pretty(item).expect("JSON records serialize");
    let mut out = String::with_capacity(text.len() + 4 * (text.len() / 16 + 1));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// How many records are made at once (on every core) before they are written: enough to keep
/// both cores busy, few enough that a large site's documents are never held whole.
const RECORDS_AT_ONCE: usize = 512;

/// Writes `doc`, a document from `serde_json::to_string_pretty` whose last field is an empty
/// array, with `record(i)` ([`pretty_item`]s) for every `i` below `count` in that array, and a
/// final line break: the text of the same document serialized with the records in it. The
/// records are made on every core, [`RECORDS_AT_ONCE`] at a time, and written in order.
pub(super) fn write_document<'r>(
    w: &mut dyn Write,
    doc: String,
    count: usize,
    record: impl Fn(usize) -> Cow<'r, str> + Sync,
) -> io::Result<()> {
    if count == 0 {
        w.write_all(doc.as_bytes())?;
        return w.write_all(b"\n");
    }
    let head = doc
        .strip_suffix("[]\n}")
        .expect("the records' array is the last field");
    w.write_all(head.as_bytes())?;
    w.write_all(b"[\n")?;
    for start in (0..count).step_by(RECORDS_AT_ONCE) {
        let end = (start + RECORDS_AT_ONCE).min(count);
        let made: Vec<Cow<str>> = (start..end).into_par_iter().map(&record).collect();
        for (i, r) in (start..).zip(&made) {
            if i > 0 {
                w.write_all(b",\n")?;
            }
            w.write_all(r.as_bytes())?;
        }
    }
    w.write_all(b"\n  ]\n}\n")
}
