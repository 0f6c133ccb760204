//! Meetings: recurring schedules and one-off meetings, validated and expanded on `jiff`.
//!
//! Takes: a parsed group page ([`RawPage`](crate::frontmatter::RawPage)) with its `[[schedule]]`
//! and `[[meetings]]` tables. Gives: [`Meetings`]: validated [`Series`] (one per schedule),
//! [`OneOff`] meetings and the per-record view of `[[meetings]]` ([`MeetingRef`]), plus
//! diagnostics located at the offending value.
//!
//! A series recurs on the wall clock: the local start time stays the same across daylight-saving
//! changes, so the UTC instant moves. The start itself must exist and be unambiguous in its zone
//! (or say which of two times it means with `fold`); a later occurrence that falls in a DST gap is
//! shifted forward by the gap ("compatible" disambiguation, as RFC 5545 §3.3.5 asks), one in an
//! overlap takes the earlier time. The feed writer (`ical`) publishes a series as one RRULE; the
//! expansion here is what the site's pages show and what the tests compare the feed against.
//!
//! This file holds the types and the words and instants every part shares. The work is in:
//! `records` (a page's `[[schedule]]` and `[[meetings]]` resolved, the entry point
//! [`resolve_meetings`]), `schedule` (one `[[schedule]]` and its exceptions made a [`Series`]),
//! `when` (the zone, the start against DST and the duration, as schedules and one-offs share
//! them) and `expand` (a series' dates, occurrences, RRULE and description).

mod expand;
mod records;
mod schedule;
#[cfg(test)]
mod test_pages;
mod when;

use jiff::civil::{self, Weekday as JWeekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

use crate::timefmt;

pub use records::resolve_meetings;

/// How a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Every `interval` weeks on `weekday`, counted from the start's week.
    Weekly {
        /// Weeks between meetings.
        interval: u32,
        /// The day of the week.
        weekday: JWeekday,
    },
    /// The `nth` (1..=4, or -1 for the last) `weekday` of every month.
    MonthlyNth {
        /// Which `weekday` of the month: 1..=4, or -1 for the last.
        nth: i8,
        /// The day of the week.
        weekday: JWeekday,
    },
}

/// What happens to one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExceptionKind {
    /// The occurrence does not take place.
    Cancel {
        /// Why, shown to subscribers.
        reason: String,
    },
    /// The occurrence takes place at another time.
    Move {
        /// The new local start, in the series' zone.
        to: civil::DateTime,
        /// The moved occurrence's length in minutes.
        duration_min: u32,
        /// Why, shown to subscribers.
        reason: String,
    },
}

/// A resolved `[[schedule.exceptions]]` entry (or a `status = "cancelled"` meeting record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesException {
    /// The occurrence's original local start (its RECURRENCE-ID).
    pub original: civil::DateTime,
    /// What happens to the occurrence.
    pub kind: ExceptionKind,
}

/// One validated `[[schedule]]`.
#[derive(Debug, Clone)]
pub struct Series {
    /// The schedule's `id`: part of the feed UID.
    pub id: String,
    /// The schedule's `title`, if set.
    pub title: Option<String>,
    /// The zone's name as tzdb spells it (`America/Los_Angeles`): the feed's TZID.
    pub tz_name: String,
    /// The zone itself.
    pub tz: TimeZone,
    /// The first occurrence, local.
    pub start: civil::DateTime,
    /// The start falls in a DST overlap and `fold = "later"` picked the second of the two times.
    /// (Only the first occurrence is affected; later ones in an overlap take the earlier time.)
    pub start_fold_later: bool,
    /// Length of each meeting, in minutes.
    pub duration_min: u32,
    /// How the series recurs.
    pub rule: Rule,
    /// Inclusive last local date.
    pub until: Option<civil::Date>,
    /// Sorted by original start; at most one per occurrence.
    pub exceptions: Vec<SeriesException>,
    /// iCalendar SEQUENCE of the series.
    pub sequence: u32,
    /// A meeting link, or words saying where to find one.
    pub location: Option<String>,
    /// Notes URL per occurrence, with `{date}`-style placeholders.
    pub notes_url_template: Option<String>,
    /// Agenda URL per occurrence, with the same placeholders.
    pub agenda_url_template: Option<String>,
}

/// What became of one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OccurrenceStatus {
    /// Takes place as the rule gives it.
    Scheduled,
    /// Does not take place.
    Cancelled {
        /// Why, shown to subscribers.
        reason: String,
    },
    /// Takes place at another time.
    Moved {
        /// Why, shown to subscribers.
        reason: String,
    },
}

/// One meeting of a series (which the caller knows: [`Series::occurrences`] gives them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The local start the rule gives (the RECURRENCE-ID), before any move.
    pub original_start: civil::DateTime,
    /// The actual start (moved, if it was moved).
    pub start: ZonedDateTime,
    /// The actual end.
    pub end: ZonedDateTime,
    /// Whether it takes place, is cancelled or moved.
    pub status: OccurrenceStatus,
}

/// A one-off meeting: a `[[meetings]]` record without `schedule` but with `time`, `tz` and
/// `duration`.
#[derive(Debug, Clone)]
pub struct OneOff {
    /// The record's `id`, or its date as `YYYYMMDD`.
    pub id: String,
    /// The record's `title`, if set.
    pub title: Option<String>,
    /// The zone's name as tzdb spells it.
    pub tz_name: String,
    /// The zone itself.
    pub tz: TimeZone,
    /// The start.
    pub start: ZonedDateTime,
    /// The end.
    pub end: ZonedDateTime,
    /// iCalendar SEQUENCE of the meeting.
    pub sequence: u32,
    /// `status = "cancelled"`: shown on pages, left out of feeds.
    pub cancelled: bool,
    /// Index into the page's `[[meetings]]`.
    pub record: usize,
}

/// How a `[[meetings]]` record was understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordKind {
    /// It belongs to a series; `occurrence` is the meeting it records (after moves), if its date
    /// is one.
    Occurrence {
        /// The `id` of the series.
        series_id: String,
        /// The occurrence it records, if its date is one.
        occurrence: Option<RecordedOccurrence>,
    },
    /// It is a one-off meeting; `id` names it in [`Meetings::one_offs`].
    OneOff {
        /// The one-off's id.
        id: String,
    },
    /// Neither: a past meeting's notes, without a time (notes archive only, not in feeds).
    Archive,
}

/// What a record keeps of the occurrence of a series it records: what pages and checks read of
/// it. The rest is the series' ([`Series::occurrence_on`] the original date gives it all): every
/// group keeps every record for the whole build, and a whole [`Occurrence`] is twice the size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedOccurrence {
    /// The local start the rule gives (the RECURRENCE-ID), before any move.
    pub original_start: civil::DateTime,
    /// The actual end (moved, if it was moved); in the series' zone.
    pub end: Timestamp,
}

impl From<&Occurrence> for RecordedOccurrence {
    fn from(o: &Occurrence) -> Self {
        RecordedOccurrence {
            original_start: o.original_start,
            end: o.end.timestamp(),
        }
    }
}

/// One `[[meetings]]` record, resolved. Records that failed validation are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRef {
    /// Index into the page's `[[meetings]]`.
    pub index: usize,
    /// The record's local date.
    pub date: civil::Date,
    /// How the record was understood.
    pub kind: RecordKind,
}

/// Everything a group page says about meetings, validated.
#[derive(Debug, Clone, Default)]
pub struct Meetings {
    /// The recurring series, one per `[[schedule]]`.
    pub series: Vec<Series>,
    /// The one-off meetings.
    pub one_offs: Vec<OneOff>,
    /// Every `[[meetings]]` record, as understood.
    pub records: Vec<MeetingRef>,
}

/// Each weekday's iCalendar code, name and front-matter key, Monday first.
const WEEKDAY_WORDS: [(&str, &str, &str); 7] = [
    ("MO", "Monday", "mon"),
    ("TU", "Tuesday", "tue"),
    ("WE", "Wednesday", "wed"),
    ("TH", "Thursday", "thu"),
    ("FR", "Friday", "fri"),
    ("SA", "Saturday", "sat"),
    ("SU", "Sunday", "sun"),
];

fn weekday_words(w: JWeekday) -> (&'static str, &'static str, &'static str) {
    let monday_zero = usize::try_from(w.to_monday_zero_offset()).expect("0 to 6");
    WEEKDAY_WORDS[monday_zero]
}

/// `MO` … `SU`, as RRULE's BYDAY writes them.
fn weekday_code(w: JWeekday) -> &'static str {
    weekday_words(w).0
}

/// `Monday` … `Sunday`.
fn weekday_name(w: JWeekday) -> &'static str {
    weekday_words(w).1
}

/// `mon` … `sun`, as front matter writes them.
fn weekday_key(w: JWeekday) -> &'static str {
    weekday_words(w).2
}

/// `first` … `tenth`.
fn ordinal_word(n: i64) -> Option<&'static str> {
    const WORDS: [&str; 10] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    let i = usize::try_from(n.checked_sub(1)?).ok()?;
    WORDS.get(i).copied()
}

/// Which weekday of the month a monthly rule's `nth` names: `first` … `fourth`, or `last`.
fn nth_word(nth: i8) -> &'static str {
    if nth == -1 {
        "last"
    } else {
        ordinal_word(i64::from(nth)).unwrap_or("?")
    }
}

/// `YYYYMMDDTHHMMSS`: a local date-time as iCalendar writes it.
pub fn ical_local(dt: civil::DateTime) -> String {
    timefmt::compact_date_time(dt)
}

/// `YYYYMMDDTHHMMSSZ`: an instant in UTC as iCalendar writes it.
pub fn ical_utc(ts: Timestamp) -> String {
    timefmt::compact_utc(ts)
}

/// The local date-time as an instant in `tz`, gaps shifted forward and overlaps taking the
/// earlier time (RFC 5545; jiff's "compatible").
pub fn local_to_timestamp(tz: &TimeZone, dt: civil::DateTime) -> Timestamp {
    tz.to_ambiguous_timestamp(dt)
        .compatible()
        .expect("a civil date-time within jiff's range converts")
}

fn add_minutes(z: &ZonedDateTime, minutes: u32) -> ZonedDateTime {
    // Meetings last an elapsed duration: a meeting across a DST change still lasts `minutes`.
    z.checked_add(jiff::SignedDuration::from_mins(i64::from(minutes)))
        .expect("a meeting end is within jiff's range")
}
