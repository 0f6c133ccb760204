//! The agenda: every group's meetings expanded into occurrences over a window.
//!
//! Takes: the validated [`Site`] and a window of time. Gives: [`AgendaItem`]s sorted by start,
//! each with its group, times in the group's zone, what became of it (held as planned, moved,
//! cancelled) and its notes link. `mcpsite meetings`, `/meetings.json`, the `/calendar/` agenda and
//! the "next meetings" of each group page all read this one expansion, so they always agree with
//! each other and with the feeds (which publish the same series as RRULEs).

use std::borrow::Cow;
use std::sync::Arc;

use jiff::{Timestamp, ZonedDateTime};
use serde::Serialize;

use crate::model::{Group, Site};
use crate::recur::{Occurrence, OccurrenceStatus, OneOff, RecordKind};
use crate::schema::Status;

/// What became of one meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum ItemStatus {
    /// Takes place as scheduled.
    #[default]
    Scheduled,
    /// Takes place at another time.
    Moved {
        /// Why it was moved.
        reason: String,
        /// The start the schedule gave, before the move.
        original_start: String,
    },
    /// Does not take place.
    Cancelled {
        /// Why it was cancelled.
        reason: String,
    },
}

/// One meeting of one group.
#[derive(Debug, Clone)]
pub struct AgendaItem<'a> {
    /// The group that meets.
    pub group: &'a Group,
    /// The schedule's id, or the one-off's id. Shared by every meeting of a series (and every
    /// agenda row made from them): a large site's agenda holds millions of meetings.
    pub id: Arc<str>,
    /// The meeting's title, shared like `id`.
    pub title: Arc<str>,
    /// The start, in the meeting's zone.
    pub start: ZonedDateTime,
    /// The end, in the meeting's zone.
    pub end: ZonedDateTime,
    /// Whether it takes place, is moved or cancelled.
    pub status: ItemStatus,
    /// The occurrence's notes URL, if known.
    pub notes_url: Option<String>,
    /// The occurrence's agenda URL, if known.
    pub agenda_url: Option<String>,
    /// A meeting link, or words saying where to find one.
    pub location: Option<String>,
    /// Proposed groups' meetings are tentative.
    pub tentative: bool,
}

/// The default title of a group's meetings.
pub fn default_title(g: &Group) -> String {
    format!("{} meeting", g.short_label())
}

/// Every meeting of `groups` that starts in `[from, to)`, sorted by start, group and id.
/// Retired groups contribute nothing after their retirement date.
pub fn expand<'a>(
    groups: impl IntoIterator<Item = &'a Group>,
    from: Timestamp,
    to: Timestamp,
) -> Vec<AgendaItem<'a>> {
    let mut items = Vec::new();
    for g in groups {
        let retired = g.meetings_end();
        let tentative = g.status() == Status::Proposed;
        for s in &g.meetings.series {
            let series = match retired {
                Some(last) => match s.ending_by(last) {
                    Some(s) => Cow::Owned(s),
                    None => continue,
                },
                None => Cow::Borrowed(s),
            };
            let id: Arc<str> = s.id.as_str().into();
            let title: Arc<str> = s.title.clone().unwrap_or_else(|| default_title(g)).into();
            let noted = noted_records(g, &s.id);
            for occ in series.occurrences(from, to) {
                let date = occ.original_start.date();
                // A record for this meeting may carry its own notes link.
                let record_notes = (noted.iter())
                    .find(|(d, _)| *d == date)
                    .map(|(_, notes)| notes.to_string());
                let status = item_status(&occ);
                items.push(AgendaItem {
                    group: g,
                    id: id.clone(),
                    title: title.clone(),
                    start: occ.start,
                    end: occ.end,
                    notes_url: record_notes.or_else(|| s.notes_url(date)),
                    agenda_url: s.agenda_url(date),
                    location: s.location.clone(),
                    status,
                    tentative,
                });
            }
        }
        let one_offs = g.meetings.one_offs.iter();
        items.extend(one_offs.filter_map(|o| one_off_item(g, o, (from, to), retired, tentative)));
    }
    items.sort_by(|a, b| {
        (a.start.timestamp(), &a.group.slug, &a.id).cmp(&(
            b.start.timestamp(),
            &b.group.slug,
            &b.id,
        ))
    });
    items
}

/// What became of a series' meeting, as the agenda says it.
fn item_status(occ: &Occurrence) -> ItemStatus {
    match &occ.status {
        OccurrenceStatus::Scheduled => ItemStatus::Scheduled,
        OccurrenceStatus::Cancelled { reason } => ItemStatus::Cancelled {
            reason: reason.clone(),
        },
        OccurrenceStatus::Moved { reason } => ItemStatus::Moved {
            reason: reason.clone(),
            original_start: occ.original_start.to_string(),
        },
    }
}

/// `g`'s one-off meeting `o`, if it starts in `window` and not after `retired` (the group's
/// last day of meetings).
fn one_off_item<'a>(
    g: &'a Group,
    o: &OneOff,
    (from, to): (Timestamp, Timestamp),
    retired: Option<jiff::civil::Date>,
    tentative: bool,
) -> Option<AgendaItem<'a>> {
    let ts = o.start.timestamp();
    if ts < from || ts >= to || retired.is_some_and(|last| o.start.date() > last) {
        return None;
    }
    let rec = g.fm().meetings[o.record].get_ref();
    Some(AgendaItem {
        group: g,
        id: o.id.as_str().into(),
        title: o.title.clone().unwrap_or_else(|| default_title(g)).into(),
        start: o.start.clone(),
        end: o.end.clone(),
        status: if o.cancelled {
            ItemStatus::Cancelled {
                reason: rec.reason().cloned().unwrap_or_default(),
            }
        } else {
            ItemStatus::Scheduled
        },
        notes_url: rec.notes.as_ref().map(|n| n.get_ref().clone()),
        agenda_url: rec.agenda().map(|n| n.get_ref().clone()),
        location: None,
        tentative,
    })
}

/// The notes links that `[[meetings]]` records give the meetings of series `id`, by original
/// date, in record order (the first record of a date with notes is the one that counts).
fn noted_records<'g>(g: &'g Group, id: &str) -> Vec<(jiff::civil::Date, &'g str)> {
    (g.meetings.records.iter())
        .filter(|r| matches!(&r.kind, RecordKind::Occurrence { series_id, .. } if series_id == id))
        .filter_map(|r| {
            let notes = g.fm().meetings[r.index].get_ref().notes.as_ref()?;
            Some((r.date, notes.get_ref().as_str()))
        })
        .collect()
}

/// The window `[today 00:00 UTC, today + days)`: what "upcoming" means on built pages.
pub fn upcoming_window(site: &Site, days: u32) -> (Timestamp, Timestamp) {
    let start = site
        .today
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let end = start
        .checked_add(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        .unwrap_or(start);
    (start, end)
}

/// The machine-readable form of an item (`/meetings.json`, `mcpsite meetings --format json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemJson {
    /// The group's slug.
    pub group: String,
    /// The group's full name, e.g. "Security Interest Group".
    pub group_name: String,
    /// The schedule's id, or the one-off's id.
    pub id: String,
    /// The meeting's title.
    pub title: String,
    /// UTC, RFC 3339.
    pub start: String,
    /// The end, UTC, RFC 3339.
    pub end: String,
    /// Local wall-clock start in `tz`, RFC 3339 with offset.
    pub local_start: String,
    /// Local wall-clock end in `tz`, RFC 3339 with offset.
    pub local_end: String,
    /// The meeting's IANA zone.
    pub tz: String,
    /// Whether it takes place, is moved or cancelled, flattened into the item.
    #[serde(flatten)]
    pub status: ItemStatus,
    /// True for proposed groups' meetings.
    pub tentative: bool,
    /// The group page's absolute URL.
    pub url: String,
    /// The notes URL, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The agenda URL, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agenda: Option<String>,
}

impl AgendaItem<'_> {
    /// The item as `/meetings.json` and `mcpsite meetings --format json` give it.
    pub fn to_json(&self, site: &Site) -> ItemJson {
        ItemJson {
            group: self.group.slug.clone(),
            group_name: self.group.full_name(),
            id: self.id.to_string(),
            title: self.title.to_string(),
            start: utc(&self.start),
            end: utc(&self.end),
            local_start: crate::timefmt::local_rfc3339(&self.start),
            local_end: crate::timefmt::local_rfc3339(&self.end),
            tz: self
                .start
                .time_zone()
                .iana_name()
                .unwrap_or("UTC")
                .to_string(),
            status: self.status.clone(),
            tentative: self.tentative,
            url: site.abs_url(&self.group.url_path()),
            notes: self.notes_url.clone(),
            agenda: self.agenda_url.clone(),
        }
    }
}

/// `2026-12-02T17:00:00Z`.
pub fn utc(z: &ZonedDateTime) -> String {
    crate::timefmt::utc_rfc3339(z.timestamp())
}

/// What `mcpsite meetings` prints: one line per meeting, times in `tz`, with the group's own
/// zone in brackets when it differs; written a line at a time into `w`, so that a listing of
/// every meeting of a large site is never held whole.
pub fn write_text(
    items: &[AgendaItem],
    tz: &jiff::tz::TimeZone,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use std::fmt::Write as _;
    if items.is_empty() {
        return w.write_all(b"no meetings in this period\n");
    }
    let mut line = String::new();
    for it in items {
        line.clear();
        let local = it.start.timestamp().to_zoned_datetime(tz.clone());
        let local_end = it.end.timestamp().to_zoned_datetime(tz.clone());
        let zone = it.start.time_zone().iana_name().unwrap_or("UTC");
        let _ = write!(
            line,
            "{}–{} {}  {}{} [{}]",
            local.strftime("%a %Y-%m-%d %H:%M"),
            local_end.strftime("%H:%M"),
            local.strftime("%Z"),
            if it.tentative { "(tentative) " } else { "" },
            it.title,
            it.group.slug,
        );
        if tz.iana_name() != Some(zone) {
            let _ = write!(line, "  ({} {zone})", it.start.strftime("%H:%M"));
        }
        match &it.status {
            ItemStatus::Scheduled => {}
            ItemStatus::Moved {
                reason,
                original_start,
            } => {
                let _ = write!(line, "  MOVED from {original_start}: {reason}");
            }
            ItemStatus::Cancelled { reason } => {
                let _ = write!(line, "  CANCELLED: {reason}");
            }
        }
        w.write_all(line.trim_end().as_bytes())?;
        w.write_all(b"\n")?;
    }
    Ok(())
}
