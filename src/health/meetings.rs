//! A group's past meetings, each classified the way the health figures and the strip count them.
//!
//! Takes: a [`Group`] and "now" (the start of `today`, UTC, as every time-based rule uses).
//! Gives: [`PastMeeting`]s: every meeting of its series, its one-off meetings and its dated
//! notes records (without a time) that happened before now, with its local date (the original
//! date for a moved meeting) and what became of it: held with or without notes, cancelled or
//! moved.
//!
//! A meeting has notes when its `[[meetings]]` record has `notes`, when its series has a
//! `notes_url_template`, or when the group keeps rolling notes (`links.notes_index`): the same
//! three ways `past-meeting-without-notes` accepts. A meeting is cancelled by its schedule's
//! exception or by its record's `status = "cancelled"`. Cancelled meetings are never "held".

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::model::Group;
use crate::recur::{OccurrenceStatus, RecordKind};
use crate::schema::MeetingStatus;

/// What became of one meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Took place as scheduled.
    Held {
        /// It has notes.
        notes: bool,
    },
    /// Took place at another time.
    Moved {
        /// It has notes.
        notes: bool,
    },
    /// Did not take place.
    Cancelled,
}

impl Outcome {
    /// It took place (at its time or moved).
    pub fn held(self) -> bool {
        !matches!(self, Outcome::Cancelled)
    }

    /// True when it took place and has notes.
    pub fn has_notes(self) -> bool {
        matches!(
            self,
            Outcome::Held { notes: true } | Outcome::Moved { notes: true }
        )
    }
}

/// One meeting before now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastMeeting {
    /// Its local date; for a moved meeting, the date it was moved from.
    pub date: Date,
    /// What became of it.
    pub outcome: Outcome,
}

/// What a group's `[[meetings]]` records say about one meeting of a series.
#[derive(Default, Clone, Copy)]
struct RecordFacts {
    notes: bool,
    cancelled: bool,
}

/// The records of series meetings, by (series id, original date).
fn series_records(g: &Group) -> BTreeMap<(&str, Date), RecordFacts> {
    let fm = g.fm();
    let mut out: BTreeMap<(&str, Date), RecordFacts> = BTreeMap::new();
    for r in &g.meetings.records {
        let RecordKind::Occurrence {
            series_id,
            occurrence,
        } = &r.kind
        else {
            continue;
        };
        let Some(rec) = fm.meetings.get(r.index).map(|m| m.get_ref()) else {
            continue;
        };
        let date = occurrence
            .as_ref()
            .map_or(r.date, |o| o.original_start.date());
        let facts = out.entry((series_id.as_str(), date)).or_default();
        facts.notes |= rec.notes.is_some();
        facts.cancelled |= rec.status == Some(MeetingStatus::Cancelled);
    }
    out
}

/// Every meeting of `g` whose local date is in `[from, to)` and that ended (or, if cancelled,
/// was due to start) before `now`, in date order.
pub fn past_meetings(g: &Group, from: Date, to: Date, now: Timestamp) -> Vec<PastMeeting> {
    let rolling = g.fm().links.notes_index.is_some();
    let records = series_records(g);
    let mut out = Vec::new();
    // A moved meeting may happen weeks away from its original date: look a little wider.
    let start = from
        .checked_sub(jiff::Span::new().days(62))
        .unwrap_or(from)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_or(Timestamp::MIN, |z| z.timestamp());
    for s in &g.meetings.series {
        for o in s.occurrences(start, now) {
            let date = o.original_start.date();
            let facts = records
                .get(&(s.id.as_str(), date))
                .copied()
                .unwrap_or_default();
            let notes = facts.notes || rolling || s.notes_url_template.is_some();
            let outcome = match o.status {
                OccurrenceStatus::Cancelled { .. } => Outcome::Cancelled,
                _ if facts.cancelled => Outcome::Cancelled,
                OccurrenceStatus::Moved { .. } => Outcome::Moved { notes },
                OccurrenceStatus::Scheduled => Outcome::Held { notes },
            };
            if outcome.held() && o.end.timestamp() > now {
                continue;
            }
            out.push(PastMeeting { date, outcome });
        }
    }
    one_offs_and_archive(g, rolling, now, &mut out);
    out.retain(|m| from <= m.date && m.date < to);
    out.sort_by_key(|m| m.date);
    out
}

/// One-off meetings, and dated notes of meetings without a time (`RecordKind::Archive`).
fn one_offs_and_archive(g: &Group, rolling: bool, now: Timestamp, out: &mut Vec<PastMeeting>) {
    let fm = g.fm();
    for o in &g.meetings.one_offs {
        let notes = rolling
            || fm
                .meetings
                .get(o.record)
                .is_some_and(|m| m.get_ref().notes.is_some());
        let outcome = if o.cancelled {
            Outcome::Cancelled
        } else {
            Outcome::Held { notes }
        };
        let due = if o.cancelled { &o.start } else { &o.end };
        if due.timestamp() <= now {
            out.push(PastMeeting {
                date: o.start.date(),
                outcome,
            });
        }
    }
    for r in &g.meetings.records {
        if !matches!(r.kind, RecordKind::Archive) {
            continue;
        }
        let Some(rec) = fm.meetings.get(r.index).map(|m| m.get_ref()) else {
            continue;
        };
        let outcome = if rec.status == Some(MeetingStatus::Cancelled) {
            Outcome::Cancelled
        } else {
            Outcome::Held {
                notes: rolling || rec.notes.is_some(),
            }
        };
        let due = r
            .date
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp());
        if due.is_ok_and(|t| t < now) {
            out.push(PastMeeting {
                date: r.date,
                outcome,
            });
        }
    }
}
