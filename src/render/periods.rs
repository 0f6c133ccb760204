//! The agenda cut into periods, so that no agenda page and no `meetings.json` part grows with
//! the number of groups.
//!
//! Takes: the agenda's window `[from, to)` (UTC, from the start of `today`) and the start of
//! each of its meetings, in start order. Gives: the [`Period`]s the calendar page and
//! `meetings.json` are split into, each with the range of meetings it holds.
//!
//! A small site has one period, the whole window: the calendar page and `meetings.json` are as
//! they always were. When the window holds more than [`PAGE_MEETINGS`] meetings, it is cut at
//! the coarsest of calendar months, weeks (from Monday) and days whose every period holds at
//! most that many; a day still over it is cut into numbered parts of that many meetings. Periods
//! are in UTC, like the window: a reader's day starts at a different instant in every zone, and
//! the pages say so.

use std::ops::Range;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan, tz::TimeZone};

use super::cache::{AgendaRow, Entries};
use crate::timefmt;

/// The most meetings one agenda page or `meetings.json` part lists: about 0.5 MB of HTML or
/// 0.6 MB of JSON, far from the 2 MB a phone can still open comfortably.
pub(super) const PAGE_MEETINGS: usize = 1500;

/// How the window is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cut {
    /// Not at all: one period.
    Whole,
    /// By calendar month.
    Month,
    /// By week, from Monday.
    Week,
    /// By day, days over the limit in numbered parts.
    Day,
}

impl Cut {
    /// The period's unit in words, for the page's text ("by week").
    pub(super) fn unit(self) -> &'static str {
        match self {
            Cut::Whole => "",
            Cut::Month => "month",
            Cut::Week => "week",
            Cut::Day => "day",
        }
    }
}

/// One period of the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Period {
    /// The period's name in paths (`2026-12`, `2026-11-30`, `2026-12-03-2`); `None` for the first,
    /// which is the calendar page itself and `meetings.json`.
    pub(super) id: Option<String>,
    /// In words: "December 2026", "Week of 30 November 2026", "Thursday 3 December 2026 (part 2)".
    pub(super) label: String,
    /// The first instant it covers.
    pub(super) from: Timestamp,
    /// The end of what it covers: `[from, to)`, but for the parts of a crowded day, which end
    /// where the next part starts (meetings at one instant may fall on both sides).
    pub(super) to: Timestamp,
    /// Its meetings, as indexes into the agenda.
    pub(super) meetings: Range<usize>,
    /// For a part of a crowded day: which part, and the day.
    pub(super) part: Option<Part>,
}

/// Which part of a crowded day a period is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Part {
    /// From 1.
    pub(super) n: usize,
    /// The day, in words: "Thursday 3 December 2026".
    pub(super) day: String,
}

/// The agenda's meetings and its periods, worked out once for the calendar pages and
/// `meetings.json`.
pub(super) struct Agenda<'a> {
    /// In start order.
    pub(super) rows: Vec<&'a AgendaRow>,
    pub(super) cut: Cut,
    pub(super) periods: Vec<Period>,
}

impl<'a> Agenda<'a> {
    /// The agenda of the kept groups with a feed, in the window `(from, to)`.
    pub(super) fn of(entries: &Entries<'a>, window: (Timestamp, Timestamp)) -> Self {
        let rows = entries.agenda();
        let starts: Vec<Timestamp> = rows.iter().map(|r| r.start).collect();
        let (cut, periods) = periods(window, &starts);
        Agenda { rows, cut, periods }
    }

    /// The meetings of one period.
    pub(super) fn rows_of(&self, period: &Period) -> &[&'a AgendaRow] {
        &self.rows[period.meetings.clone()]
    }
}

/// Cuts the window `(from, to)` holding meetings that start at `starts` (in order).
pub(super) fn periods(window: (Timestamp, Timestamp), starts: &[Timestamp]) -> (Cut, Vec<Period>) {
    periods_of(window, starts, PAGE_MEETINGS)
}

/// [`periods`] with the page size a parameter, so tests need not make thousands of meetings.
pub(super) fn periods_of(
    (from, to): (Timestamp, Timestamp),
    starts: &[Timestamp],
    limit: usize,
) -> (Cut, Vec<Period>) {
    let limit = limit.max(1);
    if starts.len() <= limit {
        let whole = Period {
            id: None,
            label: String::new(),
            from,
            to,
            meetings: 0..starts.len(),
            part: None,
        };
        return (Cut::Whole, vec![whole]);
    }
    for cut in [Cut::Month, Cut::Week] {
        let ps = cut_at(cut, (from, to), starts);
        if ps.iter().all(|p| p.meetings.len() <= limit) {
            return (cut, named(cut, ps));
        }
    }
    let days = cut_at(Cut::Day, (from, to), starts);
    (Cut::Day, named(Cut::Day, in_parts(days, starts, limit)))
}

/// A period before it is named: its range, its meetings, and its part number within a day cut
/// into parts (`None` when whole).
struct Raw {
    from: Timestamp,
    to: Timestamp,
    meetings: Range<usize>,
    part: Option<usize>,
}

/// The window cut at every boundary of `cut`, with the meetings of each period.
fn cut_at(cut: Cut, (from, to): (Timestamp, Timestamp), starts: &[Timestamp]) -> Vec<Raw> {
    let mut out = Vec::new();
    let (mut start, mut first) = (from, 0);
    while start < to {
        let end = next_boundary(cut, start).min(to);
        let last = first + starts[first..].partition_point(|s| *s < end);
        out.push(Raw {
            from: start,
            to: end,
            meetings: first..last,
            part: None,
        });
        (start, first) = (end, last);
    }
    out
}

/// The first boundary of `cut` after `t` (UTC midnight of the next day, Monday, or first of
/// the month).
fn next_boundary(cut: Cut, t: Timestamp) -> Timestamp {
    let day = utc_date(t);
    let next = match cut {
        Cut::Whole => return Timestamp::MAX,
        Cut::Day => day.tomorrow(),
        Cut::Week => {
            let to_monday = 7 - i64::from(day.weekday().to_monday_zero_offset());
            day.checked_add(to_monday.days())
        }
        Cut::Month => Ok(day.first_of_month().saturating_add(1.month())),
    };
    next.ok()
        .and_then(|d| d.to_zoned_datetime(TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .filter(|n| *n > t)
        .unwrap_or(Timestamp::MAX)
}

fn utc_date(t: Timestamp) -> Date {
    t.to_zoned_datetime(TimeZone::UTC).date()
}

/// Days over `limit` cut into parts of `limit` meetings each (the parts share the day's range).
fn in_parts(days: Vec<Raw>, starts: &[Timestamp], limit: usize) -> Vec<Raw> {
    let mut out = Vec::with_capacity(days.len());
    for day in days {
        if day.meetings.len() <= limit {
            out.push(day);
            continue;
        }
        let chunks = day.meetings.clone().step_by(limit).enumerate();
        for (i, first) in chunks {
            let last = (first + limit).min(day.meetings.end);
            // A part covers from its first meeting's start to the next part's, so that together
            // the parts still cover the day.
            let from = if i == 0 { day.from } else { starts[first] };
            let to = starts
                .get(last)
                .copied()
                .filter(|_| last < day.meetings.end);
            out.push(Raw {
                from,
                to: to.unwrap_or(day.to),
                meetings: first..last,
                part: Some(i + 1),
            });
        }
    }
    out
}

/// Names the periods: paths and words.
fn named(cut: Cut, raw: Vec<Raw>) -> Vec<Period> {
    raw.into_iter()
        .enumerate()
        .map(|(i, r)| {
            let day = utc_date(r.from);
            let (id, label) = match cut {
                Cut::Whole => (String::new(), String::new()),
                Cut::Month => (
                    format!("{:04}-{:02}", day.year(), day.month()),
                    format!("{} {}", timefmt::month_name(day.month()), day.year()),
                ),
                Cut::Week => (
                    timefmt::iso_date(day),
                    format!("Week of {}", timefmt::day_month_year(day)),
                ),
                Cut::Day => (timefmt::iso_date(day), timefmt::weekday_day_month_year(day)),
            };
            let (id, label, part) = match r.part {
                Some(n) => (
                    if n > 1 { format!("{id}-{n}") } else { id },
                    format!("{label} (part {n})"),
                    Some(Part { n, day: label }),
                ),
                None => (id, label, None),
            };
            Period {
                id: (i > 0).then_some(id),
                label,
                from: r.from,
                to: r.to,
                meetings: r.meetings,
                part,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// `n` meetings a day at 10:00 and 16:00 UTC alternately from 2026-11-24 for `days` days.
    fn starts(per_day: usize, days: i64) -> Vec<Timestamp> {
        let mut v = Vec::new();
        for d in 0..days {
            for i in 0..per_day {
                let h = if i % 2 == 0 { 10 } else { 16 };
                v.push(at("2026-11-24T00:00:00Z") + (d * 24 + h).hours());
            }
        }
        v.sort();
        v
    }

    const WINDOW: (&str, &str) = ("2026-11-24T00:00:00Z", "2027-02-22T00:00:00Z");

    fn window() -> (Timestamp, Timestamp) {
        (at(WINDOW.0), at(WINDOW.1))
    }

    /// Every meeting in exactly one period, periods in order, contiguous, covering the window.
    fn assert_partition(ps: &[Period], starts: &[Timestamp], limit: usize) {
        assert_eq!(ps.first().unwrap().from, window().0);
        assert_eq!(ps.last().unwrap().to, window().1);
        assert_eq!(ps.first().unwrap().meetings.start, 0);
        assert_eq!(ps.last().unwrap().meetings.end, starts.len());
        for w in ps.windows(2) {
            assert_eq!(w[0].to, w[1].from, "{w:?}");
            assert_eq!(w[0].meetings.end, w[1].meetings.start);
        }
        for p in ps {
            assert!(p.meetings.len() <= limit, "{p:?}");
            let part = p.label.contains("(part");
            for s in &starts[p.meetings.clone()] {
                let before_end = *s < p.to || (part && *s == p.to);
                assert!(p.from <= *s && before_end, "{s} outside {p:?}");
            }
        }
        assert!(ps[0].id.is_none());
        let ids: std::collections::BTreeSet<_> = ps.iter().filter_map(|p| p.id.clone()).collect();
        assert_eq!(ids.len(), ps.len() - 1, "ids are unique");
    }

    #[test]
    fn a_small_agenda_is_one_period() {
        let s = starts(2, 90);
        let (cut, ps) = periods_of(window(), &s, 180);
        assert_eq!(cut, Cut::Whole);
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].meetings, 0..180);
    }

    #[test]
    fn months_then_weeks_then_days() {
        let s = starts(2, 90);
        let (cut, ps) = periods_of(window(), &s, 62);
        assert_eq!(cut, Cut::Month);
        assert_partition(&ps, &s, 62);
        let labels: Vec<_> = ps.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "November 2026",
                "December 2026",
                "January 2027",
                "February 2027"
            ]
        );
        assert_eq!(ps[1].id.as_deref(), Some("2026-12"));

        let (cut, ps) = periods_of(window(), &s, 14);
        assert_eq!(cut, Cut::Week);
        assert_partition(&ps, &s, 14);
        // 2026-11-24 is a Tuesday: the first week runs to Monday 30 November.
        assert_eq!(ps[0].to, at("2026-11-30T00:00:00Z"));
        assert_eq!(ps[1].id.as_deref(), Some("2026-11-30"));
        assert_eq!(ps[1].label, "Week of 30 November 2026");

        let (cut, ps) = periods_of(window(), &s, 2);
        assert_eq!(cut, Cut::Day);
        assert_eq!(ps.len(), 90);
        assert_partition(&ps, &s, 2);
        assert_eq!(ps[1].label, "Wednesday 25 November 2026");
    }

    #[test]
    fn crowded_days_are_cut_into_parts() {
        let s = starts(5, 90);
        let (cut, ps) = periods_of(window(), &s, 2);
        assert_eq!(cut, Cut::Day);
        assert_partition(&ps, &s, 2);
        assert_eq!(ps.len(), 90 * 3);
        assert_eq!(ps[3].id.as_deref(), Some("2026-11-25"));
        assert_eq!(ps[4].id.as_deref(), Some("2026-11-25-2"));
        assert_eq!(ps[4].label, "Wednesday 25 November 2026 (part 2)");
        let part = ps[4].part.as_ref().unwrap();
        assert_eq!(
            (part.n, part.day.as_str()),
            (2, "Wednesday 25 November 2026")
        );
        assert!(ps.iter().all(|p| p.part.is_some()), "every day is in parts");

        // A day within the limit stays whole beside days in parts.
        let mut s = starts(2, 90);
        let crowded = at("2026-11-25T12:00:00Z");
        s.extend([crowded; 3]);
        s.sort();
        let (cut, ps) = periods_of(window(), &s, 2);
        assert_eq!(cut, Cut::Day);
        assert_partition(&ps, &s, 2);
        let parts: Vec<_> = ps.iter().filter_map(|p| p.part.as_ref()).collect();
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.day == "Wednesday 25 November 2026"));
        assert_eq!(ps[0].part, None);
    }
}
