//! One group's meetings, expanded once per build and sliced for every page that shows them.
//!
//! Takes: a [`Group`] and the [`Site`] (for "today" and the settings). Gives: [`Expansion`], its
//! meetings in start order with the records that document them, and the windows "past" and
//! "upcoming".

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil;
use jiff::tz::TimeZone;

use super::meetings::{
    AgendaMeeting, MeetingLinks, OccurrenceView, meeting_links, occurrence_view,
};
use crate::agenda;
use crate::model::{Group, Site};
use crate::recur::RecordKind;

/// One group's meetings, expanded once per build and sliced for its card, its page and the
/// agenda: series and one-offs together, in start order, from the first one up to the end of the
/// longest window any page looks at. This is the one expansion (`crate::agenda`) that the
/// feeds, `meetings.json` and `mcpsite meetings` also read, so every page agrees with them.
///
/// Expanding `[from, to)` gives exactly the items of a wider expansion that start in
/// `[from, to)`, in the same order (each item is kept or dropped on its own start, and the
/// order is a stable sort on the start, the group and the id), so slicing this one expansion
/// equals expanding each window separately.
pub struct Expansion<'a> {
    items: Vec<agenda::AgendaItem<'a>>,
    pub(super) records: RecordIndex,
    /// Where "upcoming" starts and ends (see [`today_start`], [`next_limit`]).
    today: Timestamp,
    next_limit: Timestamp,
    /// The group page's absolute URL, for the "add to my calendar" links.
    page_url: String,
}

impl<'a> Expansion<'a> {
    /// Expands `g` up to `until` (at least up to the end of its "next meetings").
    pub fn of(site: &Site, g: &'a Group, until: Timestamp) -> Self {
        let today = today_start(site);
        let next_limit = next_limit(site);
        let items = agenda::expand(std::iter::once(g), Timestamp::MIN, until.max(next_limit));
        Expansion {
            items,
            records: RecordIndex::of(g),
            today,
            next_limit,
            page_url: site.abs_url(&g.url_path()),
        }
    }

    /// The items starting in `[from, to)`.
    pub fn between(&self, from: Timestamp, to: Timestamp) -> &[agenda::AgendaItem<'a>] {
        let start = |t: Timestamp| {
            self.items
                .partition_point(|i| i.start.timestamp() < t)
                .min(self.items.len())
        };
        let (a, b) = (start(from), start(to));
        if a < b { &self.items[a..b] } else { &[] }
    }

    /// Meetings before today, oldest first.
    pub(super) fn past(&self) -> &[agenda::AgendaItem<'a>] {
        self.between(Timestamp::MIN, self.today)
    }

    /// The next meetings, from the start of today.
    pub(super) fn upcoming(&self) -> &[agenda::AgendaItem<'a>] {
        self.between(self.today, self.next_limit)
    }

    /// A meeting of this group as pages show it (`meetings::occurrence_view`), without "add to
    /// my calendar" links: the agenda, the cards, the archive and the page script's data do not
    /// show them, and they were a tenth of a build's work.
    pub fn view(&self, item: &agenda::AgendaItem) -> OccurrenceView {
        occurrence_view(item, &self.records, None)
    }

    /// A meeting of this group as the agenda keeps it ([`AgendaMeeting::view`] equals
    /// [`Expansion::view`]).
    pub fn agenda_meeting(&self, item: &agenda::AgendaItem) -> AgendaMeeting {
        AgendaMeeting::of(item, &self.records)
    }

    /// The notes, agenda and recording links of a meeting of this group, without the rest of
    /// its view (the page script's data needs only these, for every meeting of a year).
    pub(crate) fn links(&self, item: &agenda::AgendaItem) -> MeetingLinks {
        meeting_links(item, &self.records)
    }

    /// [`Expansion::view`] with the "add to my calendar" links, for the group page's next
    /// meetings.
    pub fn view_with_links(&self, item: &agenda::AgendaItem) -> OccurrenceView {
        occurrence_view(item, &self.records, Some(&self.page_url))
    }
}

/// A group's `[[meetings]]` records, by the meeting they record.
pub(super) struct RecordIndex {
    /// (series id, original local date) → record index.
    pub(super) by_occurrence: BTreeMap<(Arc<str>, civil::Date), usize>,
    /// Records no series occurrence or one-off covers (notes of meetings without a schedule).
    pub(super) loose: Vec<usize>,
}

impl RecordIndex {
    fn of(g: &Group) -> Self {
        let mut by_occurrence = BTreeMap::new();
        let mut loose = Vec::new();
        for r in &g.meetings.records {
            match &r.kind {
                RecordKind::Occurrence {
                    series_id,
                    occurrence: Some(o),
                } => {
                    by_occurrence.insert(
                        (series_id.as_str().into(), o.original_start.date()),
                        r.index,
                    );
                }
                RecordKind::OneOff { .. } => {}
                _ => loose.push(r.index),
            }
        }
        RecordIndex {
            by_occurrence,
            loose,
        }
    }
}

/// The start of `site.today` in UTC: "upcoming" means from here on.
pub fn today_start(site: &Site) -> Timestamp {
    site.today
        .to_zoned_datetime(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// How far ahead "next meetings" look: far enough for several monthly meetings, and bounded,
/// since an open-ended series has no last occurrence to stop at.
fn next_limit(site: &Site) -> Timestamp {
    let days = i64::from(site.config.calendar.horizon_days).max(400);
    today_start(site)
        .checked_add(jiff::SignedDuration::from_hours(24 * days))
        .unwrap_or(Timestamp::MAX)
}
