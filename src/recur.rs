//! Meetings: recurring schedules and one-off meetings, validated and expanded on `jiff`.
//!
//! Takes: a parsed group page ([`RawPage`]) with its `[[schedule]]` and `[[meetings]]` tables.
//! Gives: [`Meetings`]: validated [`Series`] (one per schedule), [`OneOff`] meetings and the
//! per-record view of `[[meetings]]` ([`MeetingRef`]), plus diagnostics located at the offending
//! value.
//!
//! A series recurs on the wall clock: the local start time stays the same across daylight-saving
//! changes, so the UTC instant moves. The start itself must exist and be unambiguous in its zone
//! (or say which of two times it means with `fold`); a later occurrence that falls in a DST gap is
//! shifted forward by the gap ("compatible" disambiguation, as RFC 5545 §3.3.5 asks), one in an
//! overlap takes the earlier time. The feed writer (`ical`) publishes a series as one RRULE; the
//! expansion here is what the site's pages show and what the tests compare the feed against.

use std::collections::BTreeMap;

use jiff::civil::{self, Weekday as JWeekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ToSpan, ZonedDateTime};
use toml::Spanned;

use crate::diag::{Diagnostic, Pos};
use crate::frontmatter::RawPage;
use crate::hints::closest;
use crate::schema::{
    Every, ExceptionAction, Fold, MeetingRecord, MeetingStatus, Schedule, is_kebab,
};

/// Shortest and longest meeting, in minutes.
pub const DURATION_RANGE: std::ops::RangeInclusive<u32> = 5..=240;

/// How a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Every `interval` weeks on `weekday`, counted from the start's week.
    Weekly { interval: u32, weekday: JWeekday },
    /// The `nth` (1..=4, or -1 for the last) `weekday` of every month.
    MonthlyNth { nth: i8, weekday: JWeekday },
}

/// What happens to one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExceptionKind {
    Cancel {
        reason: String,
    },
    Move {
        /// The new local start, in the series' zone.
        to: civil::DateTime,
        duration_min: u32,
        reason: String,
    },
}

/// A resolved `[[schedule.exceptions]]` entry (or a `status = "cancelled"` meeting record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesException {
    /// The occurrence's original local start (its RECURRENCE-ID).
    pub original: civil::DateTime,
    pub kind: ExceptionKind,
}

/// One validated `[[schedule]]`.
#[derive(Debug, Clone)]
pub struct Series {
    pub id: String,
    pub title: Option<String>,
    /// The zone's name as tzdb spells it (`America/Los_Angeles`): the feed's TZID.
    pub tz_name: String,
    pub tz: TimeZone,
    /// The first occurrence, local.
    pub start: civil::DateTime,
    /// The start falls in a DST overlap and `fold = "later"` picked the second of the two times.
    /// (Only the first occurrence is affected; later ones in an overlap take the earlier time.)
    pub start_fold_later: bool,
    pub duration_min: u32,
    pub rule: Rule,
    /// Inclusive last local date.
    pub until: Option<civil::Date>,
    /// Sorted by original start; at most one per occurrence.
    pub exceptions: Vec<SeriesException>,
    pub sequence: u32,
    pub location: Option<String>,
    pub notes_url_template: Option<String>,
    pub agenda_url_template: Option<String>,
}

/// What became of one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OccurrenceStatus {
    Scheduled,
    Cancelled { reason: String },
    Moved { reason: String },
}

/// One meeting of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub series_id: String,
    /// The local start the rule gives (the RECURRENCE-ID), before any move.
    pub original_start: civil::DateTime,
    /// The actual start (moved, if it was moved).
    pub start: ZonedDateTime,
    pub end: ZonedDateTime,
    pub status: OccurrenceStatus,
}

/// A one-off meeting: a `[[meetings]]` record without `schedule` but with `time`, `tz` and
/// `duration`.
#[derive(Debug, Clone)]
pub struct OneOff {
    /// The record's `id`, or its date as `YYYYMMDD`.
    pub id: String,
    pub title: Option<String>,
    pub tz_name: String,
    pub tz: TimeZone,
    pub start: ZonedDateTime,
    pub end: ZonedDateTime,
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
        series_id: String,
        occurrence: Option<Occurrence>,
    },
    /// It is a one-off meeting; `id` names it in [`Meetings::one_offs`].
    OneOff { id: String },
    /// Neither: a past meeting's notes, without a time (notes archive only, not in feeds).
    Archive,
}

/// One `[[meetings]]` record, resolved. Records that failed validation are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRef {
    /// Index into the page's `[[meetings]]`.
    pub index: usize,
    pub date: civil::Date,
    pub kind: RecordKind,
}

/// Everything a group page says about meetings, validated.
#[derive(Debug, Clone, Default)]
pub struct Meetings {
    pub series: Vec<Series>,
    pub one_offs: Vec<OneOff>,
    pub records: Vec<MeetingRef>,
}

fn weekday_code(w: JWeekday) -> &'static str {
    match w {
        JWeekday::Monday => "MO",
        JWeekday::Tuesday => "TU",
        JWeekday::Wednesday => "WE",
        JWeekday::Thursday => "TH",
        JWeekday::Friday => "FR",
        JWeekday::Saturday => "SA",
        JWeekday::Sunday => "SU",
    }
}

/// `Monday` … `Sunday`.
pub fn weekday_name(w: JWeekday) -> &'static str {
    match w {
        JWeekday::Monday => "Monday",
        JWeekday::Tuesday => "Tuesday",
        JWeekday::Wednesday => "Wednesday",
        JWeekday::Thursday => "Thursday",
        JWeekday::Friday => "Friday",
        JWeekday::Saturday => "Saturday",
        JWeekday::Sunday => "Sunday",
    }
}

fn weekday_key(w: JWeekday) -> &'static str {
    match w {
        JWeekday::Monday => "mon",
        JWeekday::Tuesday => "tue",
        JWeekday::Wednesday => "wed",
        JWeekday::Thursday => "thu",
        JWeekday::Friday => "fri",
        JWeekday::Saturday => "sat",
        JWeekday::Sunday => "sun",
    }
}

fn ordinal_word(n: i64) -> Option<&'static str> {
    Some(match n {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        5 => "fifth",
        6 => "sixth",
        7 => "seventh",
        8 => "eighth",
        9 => "ninth",
        10 => "tenth",
        _ => return None,
    })
}

/// `YYYYMMDDTHHMMSS`: a local date-time as iCalendar writes it.
pub fn ical_local(dt: civil::DateTime) -> String {
    dt.strftime("%Y%m%dT%H%M%S").to_string()
}

/// `YYYYMMDDTHHMMSSZ`: an instant in UTC as iCalendar writes it.
pub fn ical_utc(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
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

impl Series {
    /// The instant of a local start of this series.
    fn instant(&self, local: civil::DateTime) -> Timestamp {
        if local == self.start && self.start_fold_later {
            return self
                .tz
                .to_ambiguous_timestamp(local)
                .later()
                .expect("in range");
        }
        local_to_timestamp(&self.tz, local)
    }

    fn zoned(&self, local: civil::DateTime) -> ZonedDateTime {
        self.instant(local).to_zoned_datetime(self.tz.clone())
    }

    /// The k-th date the rule gives (k = 0 is the start's date), ignoring `until`.
    fn nth_date(&self, k: i64) -> Option<civil::Date> {
        let first = self.start.date();
        match self.rule {
            Rule::Weekly { interval, .. } => {
                first.checked_add((k * 7 * i64::from(interval)).days()).ok()
            }
            Rule::MonthlyNth { nth, weekday } => first
                .first_of_month()
                .checked_add(k.months())
                .ok()?
                .nth_weekday_of_month(nth, weekday)
                .ok(),
        }
    }

    /// The rule's local dates in order, from the start to `until` (inclusive).
    pub fn original_dates(&self) -> impl Iterator<Item = civil::Date> + '_ {
        (0i64..)
            .map_while(|k| self.nth_date(k))
            .take_while(|d| self.until.is_none_or(|u| *d <= u))
    }

    /// Whether the rule (ignoring exceptions) puts a meeting on local date `d`.
    pub fn is_occurrence_date(&self, d: civil::Date) -> bool {
        let first = self.start.date();
        if d < first || self.until.is_some_and(|u| d > u) {
            return false;
        }
        match self.rule {
            Rule::Weekly { interval, weekday } => {
                if d.weekday() != weekday {
                    return false;
                }
                let days = first.duration_until(d).as_secs() / 86_400;
                days % (7 * i64::from(interval)) == 0
            }
            Rule::MonthlyNth { nth, weekday } => {
                d.nth_weekday_of_month(nth, weekday).ok() == Some(d)
            }
        }
    }

    /// The exception for the occurrence originally on local date `d`, if any.
    pub fn exception_on(&self, d: civil::Date) -> Option<&SeriesException> {
        self.exceptions.iter().find(|e| e.original.date() == d)
    }

    /// All occurrences whose actual start (moved start for moved meetings) lies in `[from, to)`,
    /// in start order. Cancelled ones are included with status `Cancelled`.
    pub fn occurrences(&self, from: Timestamp, to: Timestamp) -> Vec<Occurrence> {
        let mut out = Vec::new();
        let time = self.start.time();
        for d in self.original_dates() {
            let original = d.to_datetime(time);
            let ts = self.instant(original);
            if ts >= to {
                break;
            }
            if ts < from {
                continue;
            }
            let status = match self.exception_on(d).map(|e| &e.kind) {
                Some(ExceptionKind::Move { .. }) => continue,
                Some(ExceptionKind::Cancel { reason }) => OccurrenceStatus::Cancelled {
                    reason: reason.clone(),
                },
                None => OccurrenceStatus::Scheduled,
            };
            let start = ts.to_zoned_datetime(self.tz.clone());
            let end = add_minutes(&start, self.duration_min);
            out.push(Occurrence {
                series_id: self.id.clone(),
                original_start: original,
                start,
                end,
                status,
            });
        }
        for e in &self.exceptions {
            if let ExceptionKind::Move {
                to: moved,
                duration_min,
                reason,
            } = &e.kind
            {
                let start = self.zoned(*moved);
                if start.timestamp() < from || start.timestamp() >= to {
                    continue;
                }
                let end = add_minutes(&start, *duration_min);
                out.push(Occurrence {
                    series_id: self.id.clone(),
                    original_start: e.original,
                    start,
                    end,
                    status: OccurrenceStatus::Moved {
                        reason: reason.clone(),
                    },
                });
            }
        }
        out.sort_by(|a, b| {
            (a.start.timestamp(), a.original_start).cmp(&(b.start.timestamp(), b.original_start))
        });
        out
    }

    /// The local start of the last occurrence the rule gives on or before `until`, if bounded.
    pub fn last_original_start(&self) -> Option<civil::DateTime> {
        let until = self.until?;
        let time = self.start.time();
        // Walk back from `until` rather than forward from the start: a bounded series can still
        // be long.
        let mut d = until;
        for _ in 0..(7 * 53) {
            if d < self.start.date() {
                return None;
            }
            if self.is_occurrence_date(d) {
                return Some(d.to_datetime(time));
            }
            d = d.yesterday().ok()?;
        }
        None
    }

    /// The RRULE value: `FREQ` first, then `INTERVAL` (when > 1), `BYDAY`, and `UNTIL` (the last
    /// occurrence's start in UTC) for bounded series. Never COUNT, never BYHOUR/BYMINUTE.
    pub fn rrule(&self) -> String {
        let mut s = match self.rule {
            Rule::Weekly { interval, weekday } => {
                let mut s = String::from("FREQ=WEEKLY");
                if interval > 1 {
                    s.push_str(&format!(";INTERVAL={interval}"));
                }
                s.push_str(";BYDAY=");
                s.push_str(weekday_code(weekday));
                s
            }
            Rule::MonthlyNth { nth, weekday } => {
                format!("FREQ=MONTHLY;BYDAY={nth}{}", weekday_code(weekday))
            }
        };
        if let Some(last) = self.last_original_start() {
            s.push_str(";UNTIL=");
            s.push_str(&ical_utc(self.instant(last)));
        }
        s
    }

    /// The schedule in words: "every third Wednesday, 08:00 to 09:00 America/Los_Angeles".
    pub fn describe(&self) -> String {
        let pattern = match self.rule {
            Rule::Weekly { interval, weekday } => {
                let day = weekday_name(weekday);
                match interval {
                    1 => format!("every {day}"),
                    2 => format!("every other {day}"),
                    n => match ordinal_word(i64::from(n)) {
                        Some(w) => format!("every {w} {day}"),
                        None => format!("every {n} weeks on {day}"),
                    },
                }
            }
            Rule::MonthlyNth { nth, weekday } => {
                let which = if nth == -1 {
                    "last"
                } else {
                    ordinal_word(i64::from(nth)).unwrap_or("?")
                };
                format!("on the {which} {} of each month", weekday_name(weekday))
            }
        };
        let end = self
            .start
            .checked_add(i64::from(self.duration_min).minutes())
            .ok();
        let mut s = format!(
            "{pattern}, {} to {}",
            self.start.strftime("%H:%M"),
            end.map(|e| e.strftime("%H:%M").to_string())
                .unwrap_or_default()
        );
        if end.is_some_and(|e| e.date() != self.start.date()) {
            s.push_str(" (next day)");
        }
        s.push(' ');
        s.push_str(&self.tz_name);
        if let Some(u) = self.until {
            s.push_str(&format!(", until {u}"));
        }
        s
    }

    /// The notes URL of the meeting on local date `d`, from `notes_url_template`.
    pub fn notes_url(&self, d: civil::Date) -> Option<String> {
        self.notes_url_template
            .as_deref()
            .map(|t| fill_template(t, d))
    }

    /// The agenda URL of the meeting on local date `d`, from `agenda_url_template`.
    pub fn agenda_url(&self, d: civil::Date) -> Option<String> {
        self.agenda_url_template
            .as_deref()
            .map(|t| fill_template(t, d))
    }

    /// This series ending no later than `last` (inclusive): `until` is clamped and exceptions
    /// after it dropped. Moves to a date after `last` become cancellations. `None` when no
    /// occurrence remains.
    pub fn ending_by(&self, last: civil::Date) -> Option<Series> {
        if self.start.date() > last {
            return None;
        }
        let mut s = self.clone();
        s.until = Some(self.until.map_or(last, |u| u.min(last)));
        s.exceptions.retain(|e| e.original.date() <= last);
        for e in &mut s.exceptions {
            if let ExceptionKind::Move { to, reason, .. } = &e.kind
                && to.date() > last
            {
                e.kind = ExceptionKind::Cancel {
                    reason: reason.clone(),
                };
            }
        }
        Some(s)
    }

    /// True when the series is bounded and every occurrence is cancelled.
    pub fn all_cancelled(&self) -> bool {
        self.until.is_some()
            && self.original_dates().all(|d| {
                matches!(
                    self.exception_on(d).map(|e| &e.kind),
                    Some(ExceptionKind::Cancel { .. })
                )
            })
    }
}

/// Substitutes `{date}` (YYYY-MM-DD), `{yyyy}`, `{mm}` and `{dd}`.
pub fn fill_template(t: &str, d: civil::Date) -> String {
    t.replace("{date}", &d.to_string())
        .replace("{yyyy}", &format!("{:04}", d.year()))
        .replace("{mm}", &format!("{:02}", d.month()))
        .replace("{dd}", &format!("{:02}", d.day()))
}

struct Ctx<'a> {
    page: &'a RawPage,
    diags: &'a mut Vec<Diagnostic>,
    errors: usize,
}

impl Ctx<'_> {
    fn error(&mut self, rule: &str, pos: Pos, msg: String, help: String) {
        self.errors += 1;
        self.diags
            .push(Diagnostic::error(rule, &self.page.source.path, pos, msg).with_help(help));
    }
}

/// The zone named `name` from the bundled tzdb, or a `schedule-tz-invalid` error with a
/// suggestion.
/// The names in the tz database. It is the bundled one (DESIGN.md, "Time"), fixed for the life
/// of the process, so it is listed once rather than for every schedule.
fn tz_names() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        jiff::tz::db()
            .available()
            .map(|n| n.as_str().to_string())
            .collect()
    })
}

fn resolve_tz(cx: &mut Ctx, name: &Spanned<String>) -> Option<(String, TimeZone)> {
    let raw = name.get_ref();
    // Only names from the database: no POSIX strings, no system zone, no file paths.
    let names = tz_names();
    if let Some(found) = names.iter().find(|n| n.eq_ignore_ascii_case(raw))
        && let Ok(tz) = TimeZone::get(found)
    {
        return Some((found.clone(), tz));
    }
    let suggestion = closest(raw, names).map(str::to_string).or_else(|| {
        // "Los_Angeles" or "los angeles": compare with the last part of each name.
        let want = raw
            .rsplit('/')
            .next()
            .unwrap_or(raw)
            .replace(' ', "_")
            .to_ascii_lowercase();
        let lasts: Vec<String> = names
            .iter()
            .map(|n| n.rsplit('/').next().unwrap_or(n).to_ascii_lowercase())
            .collect();
        closest(&want, &lasts)
            .and_then(|best| names.iter().zip(&lasts).find(|(_, l)| *l == best))
            .map(|(n, _)| n.clone())
    });
    let help = match suggestion {
        Some(s) => format!("did you mean \"{s}\"? use an IANA time zone name"),
        None => "use an IANA time zone name such as \"America/Los_Angeles\", \"Europe/London\" or \"UTC\"".to_string(),
    };
    cx.error(
        "schedule-tz-invalid",
        cx.page.pos_of(name),
        format!("`{raw}` is not a time zone in the tz database"),
        help,
    );
    None
}

/// Checks a start (or a one-off's time) against DST: `Err` after reporting a gap or an
/// unresolved overlap. `Ok(true)` when an overlap was resolved to the later time.
fn check_start(
    cx: &mut Ctx,
    tz_name: &str,
    tz: &TimeZone,
    dt: civil::DateTime,
    fold: Option<Fold>,
    pos: Pos,
) -> Result<bool, ()> {
    match tz.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { .. } => Ok(false),
        AmbiguousOffset::Gap { before, after } => {
            let skip = after.duration_since(before);
            cx.error(
                "schedule-start-nonexistent",
                pos,
                format!(
                    "{dt} does not exist in {tz_name}: the clocks jump forward {} minutes around then (daylight saving time)",
                    skip.as_mins()
                ),
                "pick a start time outside the skipped hour, e.g. one hour later".to_string(),
            );
            Err(())
        }
        AmbiguousOffset::Fold { before, after } => match fold {
            Some(Fold::Earlier) => Ok(false),
            Some(Fold::Later) => Ok(true),
            None => {
                cx.error(
                    "schedule-start-ambiguous",
                    pos,
                    format!(
                        "{dt} happens twice in {tz_name} (UTC offset {before}, then {after}) as the clocks go back"
                    ),
                    "add `fold = \"earlier\"` or `fold = \"later\"` to say which, or pick another time".to_string(),
                );
                Err(())
            }
        },
    }
}

fn check_duration(cx: &mut Ctx, d: &Spanned<u32>) -> Option<u32> {
    let v = *d.get_ref();
    if DURATION_RANGE.contains(&v) {
        Some(v)
    } else {
        cx.error(
            "schedule-duration-range",
            cx.page.pos_of(d),
            format!("a meeting of {v} minutes is outside the allowed 5 to 240 minutes"),
            "give the length in minutes, e.g. `duration = 60`".to_string(),
        );
        None
    }
}

/// Validates one `[[schedule]]`. Every problem is pushed to `diags`; `None` if there was any
/// error.
pub fn resolve_schedule(
    page: &RawPage,
    s: &Spanned<Schedule>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Series> {
    let mut cx = Ctx {
        page,
        diags,
        errors: 0,
    };
    let sc = s.get_ref();
    let id = sc.id.get_ref().clone();
    if !is_kebab(&id) {
        let suggested: String = id
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        cx.error(
            "schedule-id-format",
            page.pos_of(&sc.id),
            format!("schedule id `{id}` is not kebab-case"),
            if suggested.is_empty() {
                "use lower-case letters, digits and single hyphens, e.g. \"weekly-tue\"".into()
            } else {
                format!(
                    "use lower-case letters, digits and single hyphens, e.g. \"{suggested}\"; the id is part of the calendar UID, so choose it once"
                )
            },
        );
    }

    let tz = resolve_tz(&mut cx, &sc.tz);
    // Sub-second starts cannot be written in iCalendar; drop them everywhere.
    let start = sc
        .start
        .get_ref()
        .0
        .with()
        .subsec_nanosecond(0)
        .build()
        .ok()?;
    let mut start_fold_later = false;
    if let Some((name, tz)) = &tz
        && let Ok(later) = check_start(&mut cx, name, tz, start, sc.fold, page.pos_of(&sc.start))
    {
        start_fold_later = later;
    }
    let duration = check_duration(&mut cx, &sc.duration);

    let start_wd = start.date().weekday();
    let every = *sc.every.get_ref();
    if let Some(w) = &sc.weekday
        && w.get_ref().to_jiff() != start_wd
    {
        cx.error(
            "schedule-weekday-mismatch",
            page.pos_of(w),
            format!(
                "`weekday` says {} but the start, {}, is a {}",
                weekday_name(w.get_ref().to_jiff()),
                start.date(),
                weekday_name(start_wd)
            ),
            format!(
                "set `weekday = \"{}\"`, or move `start` to the first {}",
                weekday_key(start_wd),
                weekday_name(w.get_ref().to_jiff())
            ),
        );
    }
    let rule = match every {
        Every::Weekly | Every::Biweekly | Every::Triweekly => {
            if sc.weekday.is_none() {
                cx.error(
                    "schedule-weekday-missing",
                    page.pos_of(&sc.every),
                    format!("a {} schedule needs `weekday`", every_word(every)),
                    format!(
                        "add `weekday = \"{}\"` (the weekday of `start`)",
                        weekday_key(start_wd)
                    ),
                );
            }
            if let Some(n) = &sc.nth {
                cx.error(
                    "schedule-nth-range",
                    page.pos_of(n),
                    format!(
                        "`nth` only applies to monthly schedules, not to {}",
                        every_word(every)
                    ),
                    "remove `nth`, or use `every = \"monthly\"`".into(),
                );
            }
            let implied = match every {
                Every::Weekly => 1,
                Every::Biweekly => 2,
                _ => 3,
            };
            let interval = match &sc.interval {
                None => implied,
                Some(i) => {
                    let v = *i.get_ref();
                    if !(1..=52).contains(&v) {
                        cx.error(
                            "schedule-interval-invalid",
                            page.pos_of(i),
                            format!("an interval of {v} weeks is outside 1 to 52"),
                            "give the number of weeks between meetings, e.g. `interval = 4`".into(),
                        );
                        implied
                    } else if every != Every::Weekly && v != implied {
                        cx.error(
                            "schedule-interval-invalid",
                            page.pos_of(i),
                            format!(
                                "`interval = {v}` contradicts `every = \"{}\"` (every {implied} weeks)",
                                every_word(every)
                            ),
                            format!(
                                "use `every = \"weekly\"` with `interval = {v}`, or remove `interval`"
                            ),
                        );
                        implied
                    } else {
                        v
                    }
                }
            };
            Rule::Weekly {
                interval,
                weekday: start_wd,
            }
        }
        Every::Monthly => {
            if let Some(i) = &sc.interval {
                cx.error(
                    "schedule-interval-invalid",
                    page.pos_of(i),
                    "`interval` only applies to weekly schedules".into(),
                    "remove `interval`; monthly schedules meet every month".into(),
                );
            }
            let nth = match &sc.nth {
                None => {
                    let guess = (start.day() - 1) / 7 + 1;
                    cx.error(
                        "schedule-monthly-nth-missing",
                        page.pos_of(&sc.every),
                        "a monthly schedule needs `nth` (which weekday of the month)".into(),
                        format!(
                            "add `nth = {}` for the {} {} of each month (its start is one), or `nth = -1` for the last",
                            guess.min(4),
                            ordinal_word(i64::from(guess.min(4))).unwrap_or("?"),
                            weekday_name(start_wd)
                        ),
                    );
                    1
                }
                Some(n) => {
                    let v = *n.get_ref();
                    if !(1..=4).contains(&v) && v != -1 {
                        cx.error(
                            "schedule-nth-range",
                            page.pos_of(n),
                            format!("`nth = {v}` is not 1, 2, 3, 4 or -1"),
                            "use 1 to 4 for the first to fourth weekday of the month, -1 for the last (a fifth one does not happen every month)".into(),
                        );
                        1
                    } else {
                        if start.date().nth_weekday_of_month(v, start_wd).ok() != Some(start.date())
                        {
                            let actual = (start.day() - 1) / 7 + 1;
                            cx.error(
                                "schedule-start-not-occurrence",
                                page.pos_of(&sc.start),
                                format!(
                                    "the start, {}, is not the {} {} of its month",
                                    start.date(),
                                    if v == -1 {
                                        "last"
                                    } else {
                                        ordinal_word(i64::from(v)).unwrap_or("?")
                                    },
                                    weekday_name(start_wd)
                                ),
                                format!(
                                    "move `start` to the first meeting of the series, or set `nth = {actual}`"
                                ),
                            );
                        }
                        v
                    }
                }
            };
            Rule::MonthlyNth {
                nth,
                weekday: start_wd,
            }
        }
    };

    let until = sc.until.as_ref().map(|u| u.get_ref().0);
    if let Some(u) = &sc.until
        && u.get_ref().0 < start.date()
    {
        cx.error(
            "schedule-until-before-start",
            page.pos_of(u),
            format!(
                "`until = {}` is before the start, {}",
                u.get_ref().0,
                start.date()
            ),
            "`until` is the last date the series may meet (inclusive); remove the schedule if it never met".into(),
        );
    }

    let (Some((tz_name, tz)), Some(duration_min)) = (tz, duration) else {
        return None;
    };
    if cx.errors > 0 {
        // The rule is unreliable; checking exceptions against it would only add noise.
        return None;
    }
    let mut series = Series {
        id,
        title: sc.title.clone(),
        tz_name,
        tz,
        start,
        start_fold_later,
        duration_min,
        rule,
        until,
        exceptions: Vec::new(),
        sequence: sc.sequence,
        location: sc.location.clone(),
        notes_url_template: sc.notes_url_template.as_ref().map(|t| t.get_ref().clone()),
        agenda_url_template: sc.agenda_url_template.as_ref().map(|t| t.get_ref().clone()),
    };

    let mut seen: BTreeMap<civil::Date, Pos> = BTreeMap::new();
    for ex in &sc.exceptions {
        let e = ex.get_ref();
        let date = e.date.get_ref().0;
        let pos = page.pos_of(&e.date);
        if !series.is_occurrence_date(date) {
            cx.error(
                "exception-not-occurrence",
                pos,
                format!(
                    "{date} is not a meeting date of schedule `{}` ({})",
                    series.id,
                    series.describe()
                ),
                nearest_dates_help(&series, date),
            );
            continue;
        }
        if let Some(first) = seen.get(&date) {
            cx.error(
                "exception-duplicate",
                pos,
                format!(
                    "a second exception for {date} (the first is on line {})",
                    first.line
                ),
                "keep one exception per meeting date".into(),
            );
            continue;
        }
        seen.insert(date, pos);
        let original = date.to_datetime(series.start.time());
        let reason = e.reason.get_ref().clone();
        let kind = match e.action.get_ref() {
            ExceptionAction::Cancel => ExceptionKind::Cancel { reason },
            ExceptionAction::Move => {
                let Some(to) = &e.to else {
                    cx.error(
                        "exception-move-missing-to",
                        page.pos_of(&e.action),
                        format!("the move of the {date} meeting does not say where to"),
                        format!(
                            "add `to = {}T{}` with the new local start in {}",
                            date,
                            series.start.time().strftime("%H:%M:%S"),
                            series.tz_name
                        ),
                    );
                    continue;
                };
                let target = to.get_ref().0.with().subsec_nanosecond(0).build().ok()?;
                if let AmbiguousOffset::Gap { .. } =
                    series.tz.to_ambiguous_timestamp(target).offset()
                {
                    cx.error(
                        "exception-move-target",
                        page.pos_of(to),
                        format!(
                            "{target} does not exist in {}: the clocks jump forward then",
                            series.tz_name
                        ),
                        "move the meeting to a time outside the skipped hour".into(),
                    );
                    continue;
                }
                let duration_min = match &e.duration {
                    Some(d) => match check_duration(&mut cx, d) {
                        Some(v) => v,
                        None => continue,
                    },
                    None => series.duration_min,
                };
                ExceptionKind::Move {
                    to: target,
                    duration_min,
                    reason,
                }
            }
        };
        series.exceptions.push(SeriesException { original, kind });
    }
    series.exceptions.sort_by_key(|e| e.original);
    if cx.errors > 0 {
        return None;
    }
    Some(series)
}

fn every_word(e: Every) -> &'static str {
    match e {
        Every::Weekly => "weekly",
        Every::Biweekly => "biweekly",
        Every::Triweekly => "triweekly",
        Every::Monthly => "monthly",
    }
}

/// "the nearest meeting dates are 2026-01-07 and 2026-01-28".
fn nearest_dates_help(series: &Series, date: civil::Date) -> String {
    let mut before = None;
    let mut after = None;
    for d in series.original_dates() {
        if d < date {
            before = Some(d);
        } else {
            after = Some(d);
            break;
        }
    }
    match (before, after) {
        (Some(b), Some(a)) => format!(
            "the nearest meeting dates are {b} and {a}; an exception names the meeting's original date"
        ),
        (Some(b), None) => format!("the series' last meeting is on {b}"),
        (None, Some(a)) => format!("the series' first meeting is on {a}"),
        (None, None) => "the series has no meetings".into(),
    }
}

/// Validates a one-off `[[meetings]]` record (one without `schedule`, with `time`). `None` if the
/// record is not a one-off or has errors (which are pushed to `diags`).
pub fn resolve_one_off(
    page: &RawPage,
    index: usize,
    rec: &Spanned<MeetingRecord>,
    diags: &mut Vec<Diagnostic>,
) -> Option<OneOff> {
    let r = rec.get_ref();
    if r.schedule.is_some() {
        return None;
    }
    let mut cx = Ctx {
        page,
        diags,
        errors: 0,
    };
    let date = r.date.get_ref().0;
    let Some(time) = &r.time else {
        if r.tz.is_some() || r.duration.is_some() {
            let pos =
                r.tz.as_ref()
                    .map(|t| page.pos_of(t))
                    .or(r.duration.as_ref().map(|d| page.pos_of(d)))
                    .unwrap_or_else(|| page.pos_of(&r.date));
            cx.error(
                "meeting-oneoff-incomplete",
                pos,
                format!("the {date} meeting has a zone or length but no `time`"),
                "add `time = 16:00:00` (local, in `tz`) to publish it as a one-off meeting, or remove `tz` and `duration` for a notes-only record".into(),
            );
        }
        return None;
    };
    let missing: Vec<&str> = [("tz", r.tz.is_none()), ("duration", r.duration.is_none())]
        .into_iter()
        .filter(|(_, m)| *m)
        .map(|(k, _)| k)
        .collect();
    if !missing.is_empty() {
        cx.error(
            "meeting-oneoff-incomplete",
            page.pos_of(time),
            format!(
                "the one-off meeting on {date} lacks {}",
                missing
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            "a meeting record with `time` and no `schedule` is a one-off and needs `tz` (an IANA zone) and `duration` (minutes)".into(),
        );
        return None;
    }
    let id = match &r.id {
        Some(id) => {
            let v = id.get_ref().clone();
            if !is_kebab(&v) {
                cx.error(
                    "meeting-id-format",
                    page.pos_of(id),
                    format!("meeting id `{v}` is not kebab-case"),
                    "use lower-case letters, digits and single hyphens; the id is part of the calendar UID".into(),
                );
            }
            v
        }
        None => date.strftime("%Y%m%d").to_string(),
    };
    let tz = resolve_tz(&mut cx, r.tz.as_ref().expect("checked"));
    let duration = check_duration(&mut cx, r.duration.as_ref().expect("checked"));
    let local = date.to_datetime(time.get_ref().0.with().subsec_nanosecond(0).build().ok()?);
    let (Some((tz_name, tz)), Some(duration)) = (tz, duration) else {
        return None;
    };
    check_start(&mut cx, &tz_name, &tz, local, None, page.pos_of(time)).ok()?;
    if cx.errors > 0 {
        return None;
    }
    let start = local_to_timestamp(&tz, local).to_zoned_datetime(tz.clone());
    let end = add_minutes(&start, duration);
    Some(OneOff {
        id,
        title: r.title.clone(),
        tz_name,
        tz,
        start,
        end,
        sequence: r.sequence,
        cancelled: r.status == Some(MeetingStatus::Cancelled),
        record: index,
    })
}

/// Resolves a group page's `[[schedule]]` and `[[meetings]]`: call once per group.
///
/// Meeting records with `status = "cancelled"` that point at a schedule cancel that occurrence,
/// as an exception would (unless an exception already covers the date).
pub fn resolve_meetings(page: &RawPage, diags: &mut Vec<Diagnostic>) -> Meetings {
    let fm = &page.fm;
    let mut out = Meetings::default();
    // Ids of every schedule, resolved or not, so a record is not blamed for a bad schedule.
    let mut all_ids: Vec<String> = Vec::new();
    let mut first_pos: BTreeMap<String, Pos> = BTreeMap::new();
    for s in &fm.schedule {
        let id = s.get_ref().id.get_ref().clone();
        let pos = page.pos_of(&s.get_ref().id);
        if let Some(first) = first_pos.get(&id) {
            diags.push(
                Diagnostic::error(
                    "schedule-id-duplicate",
                    &page.source.path,
                    pos,
                    format!(
                        "schedule id `{id}` is already used on line {}",
                        first.line
                    ),
                )
                .with_help("give each schedule its own id; ids are part of calendar UIDs and are never reused"),
            );
            continue;
        }
        first_pos.insert(id.clone(), pos);
        all_ids.push(id);
        if let Some(series) = resolve_schedule(page, s, diags) {
            out.series.push(series);
        }
    }

    let mut one_off_pos: BTreeMap<String, Pos> = BTreeMap::new();
    for (index, rec) in fm.meetings.iter().enumerate() {
        let r = rec.get_ref();
        let date = r.date.get_ref().0;
        if let Some(sid) = &r.schedule {
            let name = sid.get_ref();
            let Some(series) = out.series.iter_mut().find(|s| &s.id == name) else {
                if !all_ids.contains(name) {
                    let help = match closest(name, &all_ids) {
                        Some(best) => format!("did you mean \"{best}\"?"),
                        None if all_ids.is_empty() => {
                            "this page has no [[schedule]]; remove `schedule` to make the record a one-off or a notes-only record".into()
                        }
                        None => format!("schedules on this page: {}", all_ids.join(", ")),
                    };
                    diags.push(
                        Diagnostic::error(
                            "meeting-schedule-unknown",
                            &page.source.path,
                            page.pos_of(sid),
                            format!("no schedule with id `{name}` on this page"),
                        )
                        .with_help(help),
                    );
                }
                continue;
            };
            if r.status == Some(MeetingStatus::Cancelled)
                && series.is_occurrence_date(date)
                && series.exception_on(date).is_none()
            {
                series.exceptions.push(SeriesException {
                    original: date.to_datetime(series.start.time()),
                    kind: ExceptionKind::Cancel {
                        reason: r.reason.clone().unwrap_or_else(|| "cancelled".into()),
                    },
                });
                series.exceptions.sort_by_key(|e| e.original);
            }
            let occurrence = occurrence_on(series, date);
            if occurrence.is_none() {
                let help = match series.exception_on(date).map(|e| &e.kind) {
                    Some(ExceptionKind::Move { to, .. }) => format!(
                        "the {date} meeting was moved to {}; date the record {}",
                        to,
                        to.date()
                    ),
                    _ => format!(
                        "{}; or remove `schedule` to record a one-off meeting",
                        nearest_dates_help(series, date)
                    ),
                };
                diags.push(
                    Diagnostic::warning(
                        "meeting-not-occurrence",
                        &page.source.path,
                        page.pos_of(&r.date),
                        format!(
                            "{date} is not a meeting date of schedule `{}` ({})",
                            series.id,
                            series.describe()
                        ),
                    )
                    .with_help(help),
                );
            }
            out.records.push(MeetingRef {
                index,
                date,
                kind: RecordKind::Occurrence {
                    series_id: series.id.clone(),
                    occurrence,
                },
            });
            continue;
        }
        if r.time.is_none() {
            // Notes archive, or an incomplete one-off (reported by resolve_one_off).
            let before = diags.len();
            let _ = resolve_one_off(page, index, rec, diags);
            if diags.len() == before {
                out.records.push(MeetingRef {
                    index,
                    date,
                    kind: RecordKind::Archive,
                });
            }
            continue;
        }
        let Some(one) = resolve_one_off(page, index, rec, diags) else {
            continue;
        };
        let pos =
            r.id.as_ref()
                .map(|i| page.pos_of(i))
                .unwrap_or_else(|| page.pos_of(&r.date));
        if let Some(first) = one_off_pos.get(&one.id) {
            diags.push(
                Diagnostic::error(
                    "meeting-id-duplicate",
                    &page.source.path,
                    pos,
                    format!(
                        "a second one-off meeting with id `{}` (the first is on line {})",
                        one.id, first.line
                    ),
                )
                .with_help("give one of them `id = \"…\"`; one-off ids default to the date and are part of calendar UIDs"),
            );
            continue;
        }
        if all_ids.contains(&one.id) {
            diags.push(
                Diagnostic::error(
                    "meeting-id-duplicate",
                    &page.source.path,
                    pos,
                    format!("one-off meeting id `{}` is also a schedule id", one.id),
                )
                .with_help("give the one-off its own `id`; ids are part of calendar UIDs"),
            );
            continue;
        }
        one_off_pos.insert(one.id.clone(), pos);
        out.records.push(MeetingRef {
            index,
            date,
            kind: RecordKind::OneOff { id: one.id.clone() },
        });
        out.one_offs.push(one);
    }
    out
}

/// The occurrence that takes place on local date `d` (after moves), if any.
fn occurrence_on(series: &Series, d: civil::Date) -> Option<Occurrence> {
    // Moved meetings: the date they moved to.
    let day_start = local_to_timestamp(&series.tz, d.to_datetime(civil::Time::midnight()));
    let next = d.tomorrow().ok()?;
    let day_end = local_to_timestamp(&series.tz, next.to_datetime(civil::Time::midnight()));
    series
        .occurrences(day_start, day_end)
        .into_iter()
        .find(|o| o.start.date() == d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::parse_group;
    use crate::source::SourceFile;
    use jiff::civil::date;

    const HEAD: &str =
        "+++\nkind = \"wg\"\nname = \"Apps\"\nsummary = \"s\"\nstatus = \"active\"\n";

    fn page(rest: &str) -> RawPage {
        let text = format!("{HEAD}{rest}+++\nbody\n");
        parse_group(SourceFile {
            path: "content/groups/apps-wg.md".into(),
            text,
        })
        .unwrap_or_else(|d| panic!("{}", d.render(crate::diag::Format::Text)))
    }

    fn meetings(rest: &str) -> (Meetings, Vec<Diagnostic>) {
        let p = page(rest);
        let mut d = Vec::new();
        let m = resolve_meetings(&p, &mut d);
        (m, d)
    }

    fn one_series(rest: &str) -> Series {
        let (m, d) = meetings(rest);
        assert!(d.is_empty(), "{d:#?}");
        assert_eq!(m.series.len(), 1);
        m.series.into_iter().next().unwrap()
    }

    fn rules(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.rule.as_str()).collect()
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn utc_starts(s: &Series, from: &str, to: &str) -> Vec<String> {
        s.occurrences(ts(from), ts(to))
            .iter()
            .map(|o| o.start.timestamp().to_string())
            .collect()
    }

    const APPS: &str = "[[schedule]]\nid = \"apps-sync\"\ntz = \"America/Los_Angeles\"\nstart = 2025-12-17T08:00:00\nduration = 60\nevery = \"triweekly\"\nweekday = \"wed\"\n";

    #[test]
    fn every_third_week_across_us_dst() {
        let s = one_series(APPS);
        assert_eq!(
            s.rule,
            Rule::Weekly {
                interval: 3,
                weekday: JWeekday::Wednesday
            }
        );
        assert_eq!(
            utc_starts(&s, "2025-12-01T00:00:00Z", "2026-04-01T00:00:00Z"),
            [
                "2025-12-17T16:00:00Z",
                "2026-01-07T16:00:00Z",
                "2026-01-28T16:00:00Z",
                "2026-02-18T16:00:00Z",
                // US DST starts 2026-03-08: 08:00 PDT is 15:00Z.
                "2026-03-11T15:00:00Z",
            ]
        );
        let occ = s.occurrences(ts("2026-03-01T00:00:00Z"), ts("2026-03-31T00:00:00Z"));
        assert_eq!(occ.len(), 1);
        assert_eq!(occ[0].start.datetime(), date(2026, 3, 11).at(8, 0, 0, 0));
        assert_eq!(occ[0].end.datetime(), date(2026, 3, 11).at(9, 0, 0, 0));
        assert!(s.is_occurrence_date(date(2026, 1, 7)));
        assert!(s.is_occurrence_date(date(2026, 1, 28)));
        assert!(!s.is_occurrence_date(date(2026, 1, 14)));
        assert!(
            !s.is_occurrence_date(date(2025, 11, 26)),
            "before the start"
        );
        assert_eq!(s.rrule(), "FREQ=WEEKLY;INTERVAL=3;BYDAY=WE");
        assert_eq!(
            s.describe(),
            "every third Wednesday, 08:00 to 09:00 America/Los_Angeles"
        );
    }

    #[test]
    fn weekly_in_london_and_sydney_keeps_local_time() {
        let s = one_series(
            "[[schedule]]\nid = \"w\"\ntz = \"Europe/London\"\nstart = 2026-03-19T17:00:00\nduration = 30\nevery = \"weekly\"\nweekday = \"thu\"\n",
        );
        // UK summer time starts 2026-03-29.
        assert_eq!(
            utc_starts(&s, "2026-03-01T00:00:00Z", "2026-04-03T00:00:00Z"),
            [
                "2026-03-19T17:00:00Z",
                "2026-03-26T17:00:00Z",
                "2026-04-02T16:00:00Z"
            ]
        );
        assert_eq!(s.describe(), "every Thursday, 17:00 to 17:30 Europe/London");
        let s = one_series(
            "[[schedule]]\nid = \"w\"\ntz = \"Australia/Sydney\"\nstart = 2026-03-24T09:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n",
        );
        // Sydney leaves DST (+11 → +10) on 2026-04-05 and re-enters on 2026-10-04.
        assert_eq!(
            utc_starts(&s, "2026-03-01T00:00:00Z", "2026-04-10T00:00:00Z"),
            [
                "2026-03-23T22:00:00Z",
                "2026-03-30T22:00:00Z",
                "2026-04-06T23:00:00Z"
            ]
        );
        assert_eq!(
            utc_starts(&s, "2026-09-28T00:00:00Z", "2026-10-08T00:00:00Z"),
            ["2026-09-28T23:00:00Z", "2026-10-05T22:00:00Z"]
        );
    }

    #[test]
    fn biweekly_parity_follows_the_start_week() {
        let s = one_series(
            "[[schedule]]\nid = \"bi\"\ntz = \"America/New_York\"\nstart = 2026-01-13T12:00:00\nduration = 60\nevery = \"biweekly\"\nweekday = \"tue\"\n",
        );
        let dates: Vec<civil::Date> = s.original_dates().take(5).collect();
        assert_eq!(
            dates,
            [
                date(2026, 1, 13),
                date(2026, 1, 27),
                date(2026, 2, 10),
                date(2026, 2, 24),
                date(2026, 3, 10)
            ]
        );
        assert!(!s.is_occurrence_date(date(2026, 1, 20)));
        assert!(s.is_occurrence_date(date(2026, 12, 29)));
        assert!(!s.is_occurrence_date(date(2026, 12, 22)));
        assert_eq!(s.rrule(), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU");
        assert_eq!(
            s.describe(),
            "every other Tuesday, 12:00 to 13:00 America/New_York"
        );
        // 2026-03-10 is after the US switch (03-08): 12:00 EDT is 16:00Z, not 17:00Z.
        assert_eq!(
            utc_starts(&s, "2026-02-24T00:00:00Z", "2026-03-11T00:00:00Z"),
            ["2026-02-24T17:00:00Z", "2026-03-10T16:00:00Z"]
        );
    }

    #[test]
    fn interval_overrides_weekly() {
        let s = one_series(
            "[[schedule]]\nid = \"four\"\ntz = \"UTC\"\nstart = 2026-01-05T10:00:00\nduration = 60\nevery = \"weekly\"\ninterval = 4\nweekday = \"mon\"\n",
        );
        assert_eq!(s.rrule(), "FREQ=WEEKLY;INTERVAL=4;BYDAY=MO");
        assert_eq!(s.original_dates().nth(1), Some(date(2026, 2, 2)));
        assert_eq!(s.describe(), "every fourth Monday, 10:00 to 11:00 UTC");
    }

    #[test]
    fn second_tuesday_monthly() {
        let s = one_series(
            "[[schedule]]\nid = \"m\"\ntz = \"America/Los_Angeles\"\nstart = 2026-01-13T09:00:00\nduration = 60\nevery = \"monthly\"\nnth = 2\n",
        );
        let dates: Vec<civil::Date> = s.original_dates().take(4).collect();
        assert_eq!(
            dates,
            [
                date(2026, 1, 13),
                date(2026, 2, 10),
                date(2026, 3, 10),
                date(2026, 4, 14)
            ]
        );
        assert_eq!(s.rrule(), "FREQ=MONTHLY;BYDAY=2TU");
        assert_eq!(
            s.describe(),
            "on the second Tuesday of each month, 09:00 to 10:00 America/Los_Angeles"
        );
        // 2026-03-10 is two days after the US switch.
        assert_eq!(
            utc_starts(&s, "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z"),
            ["2026-02-10T17:00:00Z", "2026-03-10T16:00:00Z"]
        );
    }

    #[test]
    fn last_thursday_including_five_thursday_months() {
        let s = one_series(
            "[[schedule]]\nid = \"last\"\ntz = \"Europe/London\"\nstart = 2026-01-29T16:00:00\nduration = 45\nevery = \"monthly\"\nnth = -1\nuntil = 2026-12-31\n",
        );
        let dates: Vec<civil::Date> = s.original_dates().collect();
        // January, April, July and October 2026 have five Thursdays.
        assert_eq!(
            dates,
            [
                date(2026, 1, 29),
                date(2026, 2, 26),
                date(2026, 3, 26),
                date(2026, 4, 30),
                date(2026, 5, 28),
                date(2026, 6, 25),
                date(2026, 7, 30),
                date(2026, 8, 27),
                date(2026, 9, 24),
                date(2026, 10, 29),
                date(2026, 11, 26),
                date(2026, 12, 31),
            ]
        );
        assert!(!s.is_occurrence_date(date(2026, 4, 23)), "4th, not last");
        // until is inclusive: 2026-12-31 16:00 GMT is the last meeting.
        assert_eq!(s.rrule(), "FREQ=MONTHLY;BYDAY=-1TH;UNTIL=20261231T160000Z");
        assert_eq!(
            s.describe(),
            "on the last Thursday of each month, 16:00 to 16:45 Europe/London, until 2026-12-31"
        );
    }

    #[test]
    fn until_is_inclusive_and_gives_utc_of_last_local_start() {
        let s = one_series(
            "[[schedule]]\nid = \"w\"\ntz = \"America/Los_Angeles\"\nstart = 2026-06-03T08:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"wed\"\nuntil = 2026-07-01\n",
        );
        assert_eq!(s.original_dates().count(), 5);
        assert_eq!(s.original_dates().last(), Some(date(2026, 7, 1)));
        assert_eq!(s.rrule(), "FREQ=WEEKLY;BYDAY=WE;UNTIL=20260701T150000Z");
        // An until that is not itself a meeting date.
        let s = one_series(
            "[[schedule]]\nid = \"w\"\ntz = \"America/Los_Angeles\"\nstart = 2026-06-03T08:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"wed\"\nuntil = 2026-06-30\n",
        );
        assert_eq!(s.original_dates().count(), 4);
        assert_eq!(s.rrule(), "FREQ=WEEKLY;BYDAY=WE;UNTIL=20260624T150000Z");
    }

    #[test]
    fn exceptions_cancel_and_move() {
        let s = one_series(&format!(
            "{APPS}[[schedule.exceptions]]\ndate = 2026-01-07\naction = \"cancel\"\nreason = \"holiday\"\n\
             [[schedule.exceptions]]\ndate = 2026-01-28\naction = \"move\"\nto = 2026-01-29T10:00:00\nduration = 90\nreason = \"conference\"\n"
        ));
        let occ = s.occurrences(ts("2026-01-01T00:00:00Z"), ts("2026-02-20T00:00:00Z"));
        assert_eq!(occ.len(), 3, "{occ:#?}");
        assert_eq!(
            occ[0].status,
            OccurrenceStatus::Cancelled {
                reason: "holiday".into()
            }
        );
        assert_eq!(occ[0].start.timestamp(), ts("2026-01-07T16:00:00Z"));
        assert_eq!(
            occ[1].status,
            OccurrenceStatus::Moved {
                reason: "conference".into()
            }
        );
        assert_eq!(occ[1].original_start, date(2026, 1, 28).at(8, 0, 0, 0));
        assert_eq!(occ[1].start.timestamp(), ts("2026-01-29T18:00:00Z"));
        assert_eq!(occ[1].end.timestamp(), ts("2026-01-29T19:30:00Z"));
        assert_eq!(occ[2].status, OccurrenceStatus::Scheduled);
        assert_eq!(occ[2].start.datetime(), date(2026, 2, 18).at(8, 0, 0, 0));
        // The move counts in the window of its new date, not of its original one.
        let occ = s.occurrences(ts("2026-01-28T00:00:00Z"), ts("2026-01-29T00:00:00Z"));
        assert!(occ.is_empty(), "{occ:#?}");
    }

    #[test]
    fn gap_and_overlap_starts() {
        let (m, d) = meetings(
            "[[schedule]]\nid = \"gap\"\ntz = \"America/Los_Angeles\"\nstart = 2026-03-08T02:30:00\nduration = 60\nevery = \"weekly\"\nweekday = \"sun\"\n",
        );
        assert!(m.series.is_empty());
        assert_eq!(rules(&d), ["schedule-start-nonexistent"]);
        assert_eq!(d[0].pos.line, 9, "{:?}", d[0]);
        assert!(d[0].help.is_some());

        let (m, d) = meetings(
            "[[schedule]]\nid = \"fold\"\ntz = \"America/Los_Angeles\"\nstart = 2026-11-01T01:30:00\nduration = 60\nevery = \"weekly\"\nweekday = \"sun\"\n",
        );
        assert!(m.series.is_empty());
        assert_eq!(rules(&d), ["schedule-start-ambiguous"]);

        let s = one_series(
            "[[schedule]]\nid = \"fold\"\ntz = \"America/Los_Angeles\"\nstart = 2026-11-01T01:30:00\nfold = \"later\"\nduration = 60\nevery = \"weekly\"\nweekday = \"sun\"\n",
        );
        assert!(s.start_fold_later);
        assert_eq!(
            utc_starts(&s, "2026-10-01T00:00:00Z", "2026-11-09T00:00:00Z"),
            ["2026-11-01T09:30:00Z", "2026-11-08T09:30:00Z"]
        );
        let s = one_series(
            "[[schedule]]\nid = \"fold\"\ntz = \"America/Los_Angeles\"\nstart = 2026-11-01T01:30:00\nfold = \"earlier\"\nduration = 60\nevery = \"weekly\"\nweekday = \"sun\"\n",
        );
        assert_eq!(
            utc_starts(&s, "2026-10-01T00:00:00Z", "2026-11-02T00:00:00Z"),
            ["2026-11-01T08:30:00Z"]
        );
    }

    #[test]
    fn later_occurrence_in_a_gap_shifts_forward() {
        let s = one_series(
            "[[schedule]]\nid = \"night\"\ntz = \"America/Los_Angeles\"\nstart = 2026-03-01T02:30:00\nduration = 30\nevery = \"weekly\"\nweekday = \"sun\"\n",
        );
        let occ = s.occurrences(ts("2026-03-08T00:00:00Z"), ts("2026-03-16T00:00:00Z"));
        // 02:30 does not exist on 2026-03-08; RFC 5545 reads it with the offset before the gap.
        assert_eq!(occ[0].start.timestamp(), ts("2026-03-08T10:30:00Z"));
        assert_eq!(occ[0].start.datetime(), date(2026, 3, 8).at(3, 30, 0, 0));
        assert_eq!(occ[0].original_start, date(2026, 3, 8).at(2, 30, 0, 0));
        assert_eq!(occ[1].start.timestamp(), ts("2026-03-15T09:30:00Z"));
    }

    #[test]
    fn validation_rules() {
        let base = "[[schedule]]\nid = \"x\"\ntz = \"America/Los_Angeles\"\nduration = 60\n";
        let cases: &[(&str, &[&str])] = &[
            (
                "start = 2026-01-13T09:00:00\nevery = \"weekly\"\nweekday = \"wed\"\n",
                &["schedule-weekday-mismatch"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"weekly\"\n",
                &["schedule-weekday-missing"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"monthly\"\n",
                &["schedule-monthly-nth-missing"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"monthly\"\nnth = 5\n",
                &["schedule-nth-range"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"monthly\"\nnth = 1\n",
                &["schedule-start-not-occurrence"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"weekly\"\nweekday = \"tue\"\nuntil = 2026-01-12\n",
                &["schedule-until-before-start"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"biweekly\"\ninterval = 3\nweekday = \"tue\"\n",
                &["schedule-interval-invalid"],
            ),
        ];
        for (rest, want) in cases {
            let (m, d) = meetings(&format!("{base}{rest}"));
            assert_eq!(rules(&d), *want, "{rest}");
            assert!(d.iter().all(|d| d.help.is_some()), "{d:?}");
            assert!(m.series.is_empty());
        }
        let (_, d) = meetings(
            "[[schedule]]\nid = \"Weekly_Sync\"\ntz = \"UTC\"\nstart = 2026-01-13T09:00:00\nduration = 3\nevery = \"weekly\"\nweekday = \"tue\"\n",
        );
        assert_eq!(rules(&d), ["schedule-id-format", "schedule-duration-range"]);
        assert!(
            d[0].help.as_deref().unwrap().contains("\"weekly-sync\""),
            "{d:?}"
        );
        // Located at the value: `id` is on line 7, duration on line 10.
        assert_eq!((d[0].pos.line, d[0].pos.col), (7, 6));
        assert_eq!(d[1].pos.line, 10);
    }

    #[test]
    fn weekday_mismatch_is_located_at_weekday() {
        let (_, d) = meetings(
            "[[schedule]]\nid = \"x\"\ntz = \"UTC\"\nstart = 2026-01-13T09:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"wed\"\n",
        );
        assert_eq!(rules(&d), ["schedule-weekday-mismatch"]);
        assert_eq!((d[0].pos.line, d[0].pos.col), (12, 11));
        assert!(d[0].help.as_deref().unwrap().contains("\"tue\""));
    }

    #[test]
    fn unknown_zone_suggests_a_name() {
        for (bad, want) in [
            ("America/Los_Angelos", "America/Los_Angeles"),
            ("Europe/Londn", "Europe/London"),
            ("Los_Angeles", "America/Los_Angeles"),
        ] {
            let (_, d) = meetings(&format!(
                "[[schedule]]\nid = \"x\"\ntz = \"{bad}\"\nstart = 2026-01-13T09:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n"
            ));
            assert_eq!(rules(&d), ["schedule-tz-invalid"], "{bad}");
            assert_eq!(d[0].pos.line, 8);
            let help = d[0].help.as_deref().unwrap();
            assert!(help.contains(&format!("\"{want}\"")), "{bad}: {help}");
        }
        // Case is forgiven, and the canonical spelling is kept for the TZID.
        let s = one_series(
            "[[schedule]]\nid = \"x\"\ntz = \"america/new_york\"\nstart = 2026-01-13T09:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n",
        );
        assert_eq!(s.tz_name, "America/New_York");
    }

    #[test]
    fn exception_rules() {
        let ex = |body: &str| format!("{APPS}{body}");
        let (m, d) = meetings(&ex(
            "[[schedule.exceptions]]\ndate = 2026-01-14\naction = \"cancel\"\nreason = \"r\"\n",
        ));
        assert_eq!(rules(&d), ["exception-not-occurrence"]);
        assert!(
            d[0].help
                .as_deref()
                .unwrap()
                .contains("2026-01-07 and 2026-01-28"),
            "{d:?}"
        );
        assert!(m.series.is_empty());
        let (_, d) = meetings(&ex(
            "[[schedule.exceptions]]\ndate = 2026-01-07\naction = \"move\"\nreason = \"r\"\n",
        ));
        assert_eq!(rules(&d), ["exception-move-missing-to"]);
        let (_, d) = meetings(&ex(
            "[[schedule.exceptions]]\ndate = 2026-03-11\naction = \"move\"\nto = 2026-03-08T02:15:00\nreason = \"r\"\n",
        ));
        assert_eq!(rules(&d), ["exception-move-target"]);
        let (_, d) = meetings(&ex(
            "[[schedule.exceptions]]\ndate = 2026-01-07\naction = \"cancel\"\nreason = \"r\"\n\
             [[schedule.exceptions]]\ndate = 2026-01-07\naction = \"cancel\"\nreason = \"again\"\n",
        ));
        assert_eq!(rules(&d), ["exception-duplicate"]);
    }

    #[test]
    fn meeting_records() {
        let (m, d) = meetings(&format!(
            "{APPS}[[schedule.exceptions]]\ndate = 2026-01-28\naction = \"move\"\nto = 2026-01-29T10:00:00\nreason = \"r\"\n\
             [[meetings]]\ndate = 2026-01-07\nschedule = \"apps-sync\"\nnotes = \"https://example.com/1\"\n\
             [[meetings]]\ndate = 2026-01-29\nschedule = \"apps-sync\"\n\
             [[meetings]]\ndate = 2026-01-28\nschedule = \"apps-sync\"\n\
             [[meetings]]\ndate = 2026-02-18\nschedule = \"apps-sync\"\nstatus = \"cancelled\"\nreason = \"offsite\"\n\
             [[meetings]]\ndate = 2026-02-20\nschedule = \"apps-synk\"\n\
             [[meetings]]\ndate = 2025-11-01\nnotes = \"https://example.com/old\"\n\
             [[meetings]]\ndate = 2026-02-02\ntime = 09:00:00\ntz = \"Europe/Berlin\"\nduration = 30\ntitle = \"Kickoff\"\n\
             [[meetings]]\ndate = 2026-02-03\ntime = 09:00:00\ntz = \"Europe/Berlin\"\n"
        ));
        assert_eq!(
            rules(&d),
            [
                "meeting-not-occurrence",
                "meeting-schedule-unknown",
                "meeting-oneoff-incomplete"
            ],
            "{d:#?}"
        );
        assert_eq!(d[0].severity, crate::diag::Severity::Warning);
        assert!(d[0].help.as_deref().unwrap().contains("moved to"), "{d:?}");
        assert!(
            d[1].help.as_deref().unwrap().contains("\"apps-sync\""),
            "{d:?}"
        );
        let s = &m.series[0];
        assert_eq!(
            s.exception_on(date(2026, 2, 18)).map(|e| &e.kind),
            Some(&ExceptionKind::Cancel {
                reason: "offsite".into()
            })
        );
        assert_eq!(m.one_offs.len(), 1);
        let o = &m.one_offs[0];
        assert_eq!(o.id, "20260202");
        assert_eq!(o.start.timestamp(), ts("2026-02-02T08:00:00Z"));
        assert_eq!(o.end.timestamp(), ts("2026-02-02T08:30:00Z"));
        let kinds: Vec<(usize, &RecordKind)> =
            m.records.iter().map(|r| (r.index, &r.kind)).collect();
        assert_eq!(kinds.len(), 6, "{kinds:#?}");
        assert!(
            matches!(kinds[0].1, RecordKind::Occurrence { occurrence: Some(o), .. } if o.status == OccurrenceStatus::Scheduled)
        );
        assert!(
            matches!(kinds[1].1, RecordKind::Occurrence { occurrence: Some(o), .. } if matches!(o.status, OccurrenceStatus::Moved { .. }))
        );
        assert!(matches!(
            kinds[2].1,
            RecordKind::Occurrence {
                occurrence: None,
                ..
            }
        ));
        assert!(
            matches!(kinds[3].1, RecordKind::Occurrence { occurrence: Some(o), .. } if matches!(o.status, OccurrenceStatus::Cancelled { .. }))
        );
        assert_eq!(kinds[4], (5, &RecordKind::Archive));
        assert_eq!(
            kinds[5],
            (
                6,
                &RecordKind::OneOff {
                    id: "20260202".into()
                }
            )
        );
    }

    #[test]
    fn duplicate_ids() {
        let (m, d) = meetings(&format!(
            "{APPS}[[schedule]]\nid = \"apps-sync\"\ntz = \"UTC\"\nstart = 2026-01-13T09:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n\
             [[meetings]]\ndate = 2026-02-02\ntime = 09:00:00\ntz = \"UTC\"\nduration = 30\n\
             [[meetings]]\ndate = 2026-02-02\ntime = 15:00:00\ntz = \"UTC\"\nduration = 30\n\
             [[meetings]]\ndate = 2026-02-03\nid = \"apps-sync\"\ntime = 15:00:00\ntz = \"UTC\"\nduration = 30\n"
        ));
        assert_eq!(
            rules(&d),
            [
                "schedule-id-duplicate",
                "meeting-id-duplicate",
                "meeting-id-duplicate"
            ],
            "{d:#?}"
        );
        assert_eq!(m.series.len(), 1);
        assert_eq!(m.one_offs.len(), 1);
    }

    #[test]
    fn notes_url_template() {
        let s = one_series(&APPS.replace(
            "weekday = \"wed\"\n",
            "weekday = \"wed\"\nnotes_url_template = \"https://github.com/o/r/blob/main/meetings/{date}.md?y={yyyy}&m={mm}&d={dd}\"\n",
        ));
        assert_eq!(
            s.notes_url(date(2026, 1, 7)).as_deref(),
            Some("https://github.com/o/r/blob/main/meetings/2026-01-07.md?y=2026&m=01&d=07")
        );
        assert_eq!(s.agenda_url(date(2026, 1, 7)), None);
    }

    #[test]
    fn ending_by_clamps_and_all_cancelled() {
        let s = one_series(&format!(
            "{APPS}[[schedule.exceptions]]\ndate = 2026-01-07\naction = \"move\"\nto = 2026-01-09T08:00:00\nreason = \"r\"\n"
        ));
        let e = s.ending_by(date(2026, 1, 8)).unwrap();
        assert_eq!(e.until, Some(date(2026, 1, 8)));
        assert_eq!(e.original_dates().count(), 2);
        // The move lands after the end: it becomes a cancellation.
        assert!(matches!(e.exceptions[0].kind, ExceptionKind::Cancel { .. }));
        assert!(!e.all_cancelled());
        let e2 = e.ending_by(date(2026, 1, 7)).unwrap();
        assert!(!e2.all_cancelled());
        let mut only = s.ending_by(date(2025, 12, 20)).unwrap();
        assert!(!only.all_cancelled());
        only.exceptions.push(SeriesException {
            original: only.start,
            kind: ExceptionKind::Cancel { reason: "r".into() },
        });
        assert!(only.all_cancelled());
        assert!(s.ending_by(date(2025, 12, 1)).is_none());
        assert!(
            !s.all_cancelled(),
            "an unbounded series is never all cancelled"
        );
    }
}
