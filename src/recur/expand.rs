//! Expansion: a validated [`Series`] turned into its dates and meetings.
//!
//! Takes: a [`Series`] and a window of time. Gives: the rule's local dates, the occurrences in
//! the window (cancelled and moved ones marked), the RRULE the feeds publish, the schedule in
//! words, the per-meeting notes and agenda links, and the series clamped to a retirement date.

use jiff::civil;
use jiff::{SignedDuration, Timestamp, ToSpan, ZonedDateTime};

use super::{
    ExceptionKind, Occurrence, OccurrenceStatus, Rule, Series, SeriesException, add_minutes,
    ical_utc, local_to_timestamp, nth_word, ordinal_word, weekday_code, weekday_name,
};

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

    /// A local start of this series in its zone: at [`Series::instant`].
    fn zoned(&self, local: civil::DateTime) -> ZonedDateTime {
        if local == self.start && self.start_fold_later {
            return self.instant(local).to_zoned_datetime(self.tz.clone());
        }
        // The same instant (both resolve a gap or a fold as `compatible`), found with one
        // look-up in the zone's rules where an instant and then its zoned time take two.
        (local.to_zoned_datetime(self.tz.clone()))
            .expect("a civil date-time within jiff's range converts")
    }

    /// The k-th date the rule gives (k = 0 is the start's date), ignoring `until`.
    fn nth_date(&self, k: i64) -> Option<civil::Date> {
        let first = self.start.date();
        match self.rule {
            // Whole days as a duration: the same date as a span of days, without a span's
            // calendar arithmetic (this runs for every meeting of every series).
            Rule::Weekly { interval, .. } => first
                .checked_add(SignedDuration::from_hours(k * 7 * i64::from(interval) * 24))
                .ok(),
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
        self.dates_from(0)
    }

    /// The rule's local dates in order from the `k`-th (k = 0 is the start's date) to `until`.
    fn dates_from(&self, k: i64) -> impl Iterator<Item = civil::Date> + '_ {
        (k..)
            .map_while(|k| self.nth_date(k))
            .take_while(|d| self.until.is_none_or(|u| *d <= u))
    }

    /// The rule's local dates in order, like [`Series::original_dates`], but starting a few days
    /// before `from`: a date earlier than that cannot start at or after `from` in any zone (local
    /// time is within a day and two hours of UTC), so it is not worth converting. A weekly rule
    /// jumps straight there; a monthly one has few dates and steps to it.
    fn original_dates_near(&self, from: Timestamp) -> impl Iterator<Item = civil::Date> + '_ {
        let floor = (jiff::tz::Offset::UTC.to_datetime(from).date())
            .checked_sub(3.days())
            .ok()
            .filter(|f| *f > self.start.date());
        let first = match (floor, self.rule) {
            (Some(f), Rule::Weekly { interval, .. }) => {
                let days = self.start.date().duration_until(f).as_secs() / 86_400;
                days / (7 * i64::from(interval))
            }
            _ => 0,
        };
        (self.dates_from(first)).skip_while(move |d| floor.is_some_and(|f| *d < f))
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
        for d in self.original_dates_near(from) {
            let original = d.to_datetime(time);
            let start = self.zoned(original);
            let ts = start.timestamp();
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
            let end = add_minutes(&start, self.duration_min);
            out.push(Occurrence {
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

    /// The occurrence that takes place on local date `d` (after moves), if any.
    pub(super) fn occurrence_on(&self, d: civil::Date) -> Option<Occurrence> {
        // Moved meetings: the date they moved to.
        let day_start = local_to_timestamp(&self.tz, d.to_datetime(civil::Time::midnight()));
        let next = d.tomorrow().ok()?;
        let day_end = local_to_timestamp(&self.tz, next.to_datetime(civil::Time::midnight()));
        self.occurrences(day_start, day_end)
            .into_iter()
            .find(|o| o.start.date() == d)
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
                format!(
                    "on the {} {} of each month",
                    nth_word(nth),
                    weekday_name(weekday)
                )
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
fn fill_template(t: &str, d: civil::Date) -> String {
    t.replace("{date}", &d.to_string())
        .replace("{yyyy}", &format!("{:04}", d.year()))
        .replace("{mm}", &format!("{:02}", d.month()))
        .replace("{dd}", &format!("{:02}", d.day()))
}

#[cfg(test)]
mod tests {
    use jiff::civil::{Weekday as JWeekday, date};

    use super::super::test_pages::{APPS, one_series, ts, utc_starts};
    use super::*;

    /// What the feeds and pages say of a series, a line each: its RRULE, its description in
    /// words, and the rule's first `n` dates.
    fn published(s: &Series, n: usize) -> String {
        let dates: Vec<String> = s.original_dates().take(n).map(|d| d.to_string()).collect();
        format!("{}\n{}\n{}", s.rrule(), s.describe(), dates.join(" "))
    }

    /// Which of `dates` the rule puts a meeting on.
    fn meets_on(s: &Series, dates: &[&str]) -> Vec<bool> {
        dates
            .iter()
            .map(|d| s.is_occurrence_date(d.parse().unwrap()))
            .collect()
    }

    #[test]
    fn every_third_week_across_us_dst() {
        let s = one_series(APPS);
        let weekday = JWeekday::Wednesday;
        assert_eq!(
            s.rule,
            Rule::Weekly {
                interval: 3,
                weekday
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
        // 2025-11-26 is before the start.
        let on = meets_on(
            &s,
            &["2026-01-07", "2026-01-28", "2026-01-14", "2025-11-26"],
        );
        assert_eq!(on, [true, true, false, false]);
        assert_eq!(
            published(&s, 2),
            "FREQ=WEEKLY;INTERVAL=3;BYDAY=WE\n\
             every third Wednesday, 08:00 to 09:00 America/Los_Angeles\n\
             2025-12-17 2026-01-07"
        );
    }

    #[test]
    fn weekly_in_london_and_sydney_keeps_local_time() {
        let s = one_series(
            "[[schedule]]\nid = \"w\"\ntz = \"Europe/London\"\nstart = 2026-03-19T17:00:00\nduration = 30\nevery = \"weekly\"\nweekday = \"thu\"\n",
        );
        // UK summer time starts 2026-03-29.
        let starts = utc_starts(&s, "2026-03-01T00:00:00Z", "2026-04-03T00:00:00Z");
        assert_eq!(
            starts.join(" "),
            "2026-03-19T17:00:00Z 2026-03-26T17:00:00Z 2026-04-02T16:00:00Z"
        );
        assert_eq!(s.describe(), "every Thursday, 17:00 to 17:30 Europe/London");
        let s = one_series(
            "[[schedule]]\nid = \"w\"\ntz = \"Australia/Sydney\"\nstart = 2026-03-24T09:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n",
        );
        // Sydney leaves DST (+11 → +10) on 2026-04-05 and re-enters on 2026-10-04.
        let starts = utc_starts(&s, "2026-03-01T00:00:00Z", "2026-04-10T00:00:00Z");
        assert_eq!(
            starts.join(" "),
            "2026-03-23T22:00:00Z 2026-03-30T22:00:00Z 2026-04-06T23:00:00Z"
        );
        let starts = utc_starts(&s, "2026-09-28T00:00:00Z", "2026-10-08T00:00:00Z");
        assert_eq!(starts, ["2026-09-28T23:00:00Z", "2026-10-05T22:00:00Z"]);
    }

    #[test]
    fn biweekly_parity_follows_the_start_week() {
        let s = one_series(
            "[[schedule]]\nid = \"bi\"\ntz = \"America/New_York\"\nstart = 2026-01-13T12:00:00\nduration = 60\nevery = \"biweekly\"\nweekday = \"tue\"\n",
        );
        assert_eq!(
            published(&s, 5),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU\n\
             every other Tuesday, 12:00 to 13:00 America/New_York\n\
             2026-01-13 2026-01-27 2026-02-10 2026-02-24 2026-03-10"
        );
        let on = meets_on(&s, &["2026-01-20", "2026-12-29", "2026-12-22"]);
        assert_eq!(on, [false, true, false]);
        // 2026-03-10 is after the US switch (03-08): 12:00 EDT is 16:00Z, not 17:00Z.
        let starts = utc_starts(&s, "2026-02-24T00:00:00Z", "2026-03-11T00:00:00Z");
        assert_eq!(starts, ["2026-02-24T17:00:00Z", "2026-03-10T16:00:00Z"]);
    }

    #[test]
    fn interval_overrides_weekly() {
        let s = one_series(
            "[[schedule]]\nid = \"four\"\ntz = \"UTC\"\nstart = 2026-01-05T10:00:00\nduration = 60\nevery = \"weekly\"\ninterval = 4\nweekday = \"mon\"\n",
        );
        assert_eq!(
            published(&s, 2),
            "FREQ=WEEKLY;INTERVAL=4;BYDAY=MO\n\
             every fourth Monday, 10:00 to 11:00 UTC\n\
             2026-01-05 2026-02-02"
        );
    }

    #[test]
    fn second_tuesday_monthly() {
        let s = one_series(
            "[[schedule]]\nid = \"m\"\ntz = \"America/Los_Angeles\"\nstart = 2026-01-13T09:00:00\nduration = 60\nevery = \"monthly\"\nnth = 2\n",
        );
        assert_eq!(
            published(&s, 4),
            "FREQ=MONTHLY;BYDAY=2TU\n\
             on the second Tuesday of each month, 09:00 to 10:00 America/Los_Angeles\n\
             2026-01-13 2026-02-10 2026-03-10 2026-04-14"
        );
        // 2026-03-10 is two days after the US switch.
        let starts = utc_starts(&s, "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z");
        assert_eq!(starts, ["2026-02-10T17:00:00Z", "2026-03-10T16:00:00Z"]);
    }

    #[test]
    fn last_thursday_including_five_thursday_months() {
        let s = one_series(
            "[[schedule]]\nid = \"last\"\ntz = \"Europe/London\"\nstart = 2026-01-29T16:00:00\nduration = 45\nevery = \"monthly\"\nnth = -1\nuntil = 2026-12-31\n",
        );
        // January, April, July and October 2026 have five Thursdays; `until` ends the list, and
        // is inclusive: 2026-12-31 16:00 GMT is the last meeting.
        assert_eq!(
            published(&s, 20),
            "FREQ=MONTHLY;BYDAY=-1TH;UNTIL=20261231T160000Z\n\
             on the last Thursday of each month, 16:00 to 16:45 Europe/London, until 2026-12-31\n\
             2026-01-29 2026-02-26 2026-03-26 2026-04-30 2026-05-28 2026-06-25 \
             2026-07-30 2026-08-27 2026-09-24 2026-10-29 2026-11-26 2026-12-31"
        );
        assert_eq!(meets_on(&s, &["2026-04-23"]), [false], "4th, not last");
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
    fn later_occurrence_in_a_fold_takes_the_earlier() {
        let s = one_series(
            "[[schedule]]\nid = \"night\"\ntz = \"America/Los_Angeles\"\nstart = 2026-10-04T01:30:00\nduration = 30\nevery = \"weekly\"\nweekday = \"sun\"\n",
        );
        let occ = s.occurrences(ts("2026-11-01T00:00:00Z"), ts("2026-11-02T00:00:00Z"));
        // 01:30 happens twice on 2026-11-01; RFC 5545 reads it with the offset before the fold.
        assert_eq!(occ.len(), 1, "{occ:#?}");
        assert_eq!(occ[0].start.timestamp(), ts("2026-11-01T08:30:00Z"));
        assert_eq!(occ[0].end.timestamp(), ts("2026-11-01T09:00:00Z"));
    }

    /// An occurrence's zoned start (one look-up in the zone's rules) is the instant of its local
    /// start, in the series' zone, across the gaps and folds of zones that move their clocks in
    /// either direction, at every hour a meeting can start at.
    #[test]
    fn zoned_starts_are_the_instants_of_local_starts() {
        for tz in [
            "America/Los_Angeles",
            "Europe/Berlin",
            "Australia/Lord_Howe",
            "Asia/Tokyo",
        ] {
            for hour in 0..24 {
                let s = one_series(&format!(
                    "[[schedule]]\nid = \"x\"\ntz = \"{tz}\"\nstart = 2025-01-05T{hour:02}:30:00\nduration = 30\nevery = \"weekly\"\nweekday = \"sun\"\n"
                ));
                let occ = s.occurrences(ts("2025-01-01T00:00:00Z"), ts("2028-01-01T00:00:00Z"));
                assert_eq!(occ.len(), 156, "{tz} {hour}");
                for o in &occ {
                    assert_eq!(o.start.time_zone().iana_name(), Some(tz));
                    assert_eq!(
                        o.start.timestamp(),
                        local_to_timestamp(&s.tz, o.original_start),
                        "{tz} {}",
                        o.original_start
                    );
                }
            }
        }
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

    /// Occurrences in a window are those of the whole series that start in it, whatever the
    /// window: the expansion skips the rule's dates well before the window without converting
    /// them, and that must not lose a meeting whose zone puts it near the window's edge.
    #[test]
    fn a_window_holds_what_the_whole_series_holds_in_it() {
        let sched = |tz: &str, start: &str, every: &str| {
            format!(
                "[[schedule]]\nid = \"s\"\ntz = \"{tz}\"\nstart = {start}\nduration = 90\n{every}\n"
            )
        };
        let exceptions = "[[schedule.exceptions]]\ndate = 2026-01-28\naction = \"cancel\"\nreason = \"r\"\n\
             [[schedule.exceptions]]\ndate = 2026-03-11\naction = \"move\"\nto = 2026-02-20T23:30:00\nreason = \"r\"\n";
        let series = [
            // UTC+14 late in the evening, UTC-11 just after midnight: a local date a day from UTC's.
            sched(
                "Pacific/Kiritimati",
                "2026-01-07T23:30:00",
                "every = \"weekly\"\nweekday = \"wed\"",
            ) + exceptions,
            sched(
                "Pacific/Pago_Pago",
                "2026-01-07T00:15:00",
                "every = \"triweekly\"\nweekday = \"wed\"",
            ) + exceptions,
            sched(
                "America/Los_Angeles",
                "2026-01-13T23:00:00",
                "every = \"monthly\"\nnth = 2",
            ),
            sched(
                "Europe/London",
                "2026-01-28T01:30:00",
                "every = \"monthly\"\nnth = -1\nuntil = 2026-09-30",
            ),
        ];
        for toml in &series {
            let s = one_series(toml);
            let to = ts("2026-12-31T00:00:00Z");
            let whole = s.occurrences(Timestamp::MIN, to);
            assert!(whole.len() > 8, "{toml}");
            let mut from = ts("2025-12-25T00:00:00Z");
            while from < to {
                let expected: Vec<&Occurrence> = whole
                    .iter()
                    .filter(|o| o.start.timestamp() >= from)
                    .collect();
                let got = s.occurrences(from, to);
                assert_eq!(
                    got.iter().collect::<Vec<_>>(),
                    expected,
                    "from {from} in {toml}"
                );
                from += jiff::SignedDuration::from_mins(7 * 60 + 13);
            }
        }
    }
}
