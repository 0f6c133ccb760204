//! The linter's RRULE knowledge: syntax checks for any rule, and a small engine for the rule
//! shapes mcpsite writes.
//!
//! Takes: an RRULE value (and its DTSTART). Gives: [`check_rrule`]'s findings for any rule
//! (`rrule-syntax`, `rrule-redundant-time`, `byday-ordinal-freq`, `until-type`,
//! `wkst-ambiguous`), and a [`SimpleRule`] for a WEEKLY rule with one BYDAY and an optional
//! INTERVAL, or a MONTHLY rule with one ordinal BYDAY, either with an optional UTC UNTIL: whether a
//! local start is one of its instances, and its first instances. Other shapes are not expanded;
//! the cross-check with an independent engine (the `rrule` crate) lives in the tests.

use jiff::civil;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::parse::Prop;
use super::values::{parse_local, utc_instant};
use crate::ical::vtimezone::WEEKDAY_CODES;
use crate::recur::local_to_timestamp;

/// A WEEKLY (single BYDAY, optional INTERVAL) or MONTHLY (single ordinal BYDAY) rule with an
/// optional UTC UNTIL: the shapes mcpsite writes.
pub(super) struct SimpleRule {
    /// WEEKLY: the INTERVAL; `None` for MONTHLY.
    weekly: Option<u32>,
    /// MONTHLY: the BYDAY ordinal (1..=5, or -1 for the last).
    nth: i8,
    weekday: civil::Weekday,
    start: civil::DateTime,
    until: Option<Timestamp>,
    tz: TimeZone,
}

/// A single BYDAY value: its ordinal part (possibly empty) and its weekday.
pub(super) fn parse_byday(byday: &str) -> Option<(&str, civil::Weekday)> {
    if byday.contains(',') || byday.len() < 2 {
        return None;
    }
    let (n, wd) = byday.split_at_checked(byday.len() - 2)?;
    let weekday = WEEKDAY_CODES.iter().find(|(_, c)| *c == wd)?.0;
    Some((n, weekday))
}

impl SimpleRule {
    /// The rule `v` for a series starting at `start` in `tz`, if it has one of the shapes above.
    pub(super) fn parse(v: &str, start: civil::DateTime, tz: TimeZone) -> Option<SimpleRule> {
        let mut freq = None;
        let mut interval = 1;
        let mut byday = None;
        let mut until = None;
        for kv in v.split(';') {
            let (k, val) = kv.split_once('=')?;
            match k {
                "FREQ" => freq = Some(val),
                "INTERVAL" => interval = val.parse().ok()?,
                "BYDAY" => byday = Some(val),
                "UNTIL" => until = Some(utc_instant(parse_local(val.strip_suffix('Z')?)?)?),
                "WKST" => {}
                _ => return None,
            }
        }
        let (n, weekday) = parse_byday(byday?)?;
        let (weekly, nth) = match freq? {
            "WEEKLY" if n.is_empty() && interval >= 1 => (Some(interval), 0),
            "MONTHLY" if interval == 1 => (None, n.parse().ok()?),
            _ => return None,
        };
        Some(SimpleRule {
            weekly,
            nth,
            weekday,
            start,
            until,
            tz,
        })
    }

    /// Whether the rule's BYDAY (and INTERVAL) picks day `d`.
    fn on_rule(&self, d: civil::Date) -> bool {
        if d.weekday() != self.weekday {
            return false;
        }
        match self.weekly {
            Some(interval) => {
                // Weeks counted from the week (Monday start) of DTSTART.
                let monday = |x: civil::Date| {
                    x.checked_sub(i64::from(x.weekday().to_monday_zero_offset()).days())
                        .ok()
                };
                match (monday(self.start.date()), monday(d)) {
                    (Some(a), Some(b)) => {
                        let days = a.duration_until(b).as_secs() / 86_400;
                        days >= 0 && (days / 7) % i64::from(interval) == 0
                    }
                    _ => false,
                }
            }
            None => d.nth_weekday_of_month(self.nth, self.weekday).ok() == Some(d),
        }
    }

    /// Whether the local start `dt` is an instance.
    pub(super) fn contains(&self, dt: civil::DateTime) -> bool {
        dt.time() == self.start.time()
            && dt >= self.start
            && self.on_rule(dt.date())
            && self
                .until
                .is_none_or(|u| local_to_timestamp(&self.tz, dt) <= u)
    }

    /// The first `max` instances (fewer when UNTIL or six years come first).
    pub(super) fn instances(&self, max: usize) -> Vec<civil::DateTime> {
        let mut out = Vec::new();
        let mut d = self.start.date();
        // Day by day is simple and fast enough for a few years of a linted feed.
        for _ in 0..(366 * 6) {
            if out.len() >= max {
                break;
            }
            let dt = d.to_datetime(self.start.time());
            if self
                .until
                .is_some_and(|u| local_to_timestamp(&self.tz, dt) > u)
            {
                break;
            }
            if self.contains(dt) {
                out.push(dt);
            }
            match d.tomorrow() {
                Ok(n) => d = n,
                Err(_) => break,
            }
        }
        out
    }
}

/// Checks an RRULE value of any shape; `start` is the event's DTSTART. Returns (rule, message)
/// pairs.
pub(super) fn check_rrule(v: &str, start: Option<&Prop>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let parts: Vec<(&str, &str)> = v.split(';').filter_map(|kv| kv.split_once('=')).collect();
    if parts.len() != v.split(';').count() || parts.first().is_none_or(|(k, _)| *k != "FREQ") {
        out.push((
            "rrule-syntax",
            format!("`{v}`: FREQ=… must come first, then KEY=VALUE parts"),
        ));
    }
    let get = |k: &str| parts.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    if get("COUNT").is_some() && get("UNTIL").is_some() {
        out.push(("rrule-syntax", "COUNT together with UNTIL".into()));
    }
    for k in ["BYHOUR", "BYMINUTE", "BYSECOND"] {
        if get(k).is_some() {
            out.push((
                "rrule-redundant-time",
                format!("{k} in RRULE (the time comes from DTSTART)"),
            ));
        }
    }
    if get("FREQ") == Some("WEEKLY")
        && get("BYDAY").is_some_and(|d| {
            d.split(',')
                .any(|x| x.starts_with(['+', '-']) || x.starts_with(|c: char| c.is_ascii_digit()))
        })
    {
        out.push((
            "byday-ordinal-freq",
            "an ordinal BYDAY with FREQ=WEEKLY".into(),
        ));
    }
    if let (Some(u), Some(s)) = (get("UNTIL"), start)
        && s.param("TZID").is_some()
        && !u.ends_with('Z')
    {
        out.push((
            "until-type",
            "UNTIL must be UTC (…Z) when DTSTART has a TZID".into(),
        ));
    }
    if get("INTERVAL").is_some_and(|i| i != "1")
        && get("BYDAY").is_some_and(|d| d.contains(','))
        && get("WKST").is_none()
    {
        out.push((
            "wkst-ambiguous",
            "several BYDAY values with INTERVAL>1 need WKST".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(v: &str, start: civil::DateTime) -> Option<SimpleRule> {
        SimpleRule::parse(v, start, TimeZone::get("Europe/London").unwrap())
    }

    #[test]
    fn byday_values() {
        assert_eq!(parse_byday("MO"), Some(("", civil::Weekday::Monday)));
        assert_eq!(parse_byday("-1SU"), Some(("-1", civil::Weekday::Sunday)));
        // A multi-byte character where the weekday code should be is no code (and no panic).
        for bad in ["M", "XX", "MO,TU", "2é", "é", "éa"] {
            assert_eq!(parse_byday(bad), None, "{bad}");
        }
    }

    #[test]
    fn weekly_and_monthly_instances() {
        let start = civil::date(2026, 1, 5).at(9, 0, 0, 0);
        let every_third = rule("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", start).unwrap();
        let days: Vec<i8> = every_third.instances(3).iter().map(|d| d.day()).collect();
        assert_eq!(days, [5, 26, 16]);
        assert!(!every_third.contains(civil::date(2026, 1, 12).at(9, 0, 0, 0)));
        let second_tuesday = civil::date(2026, 1, 13).at(9, 0, 0, 0);
        let monthly = rule(
            "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260310T090000Z",
            second_tuesday,
        );
        let dates: Vec<civil::Date> = monthly
            .unwrap()
            .instances(10)
            .iter()
            .map(|d| d.date())
            .collect();
        assert_eq!(
            dates,
            [
                civil::date(2026, 1, 13),
                civil::date(2026, 2, 10),
                civil::date(2026, 3, 10)
            ]
        );
        // Shapes mcpsite does not write are not expanded.
        for other in [
            "FREQ=DAILY",
            "FREQ=WEEKLY;BYDAY=MO,TU",
            "FREQ=MONTHLY;BYDAY=TU",
            "FREQ=WEEKLY;BYDAY=MO;COUNT=3",
        ] {
            assert!(rule(other, start).is_none(), "{other}");
        }
    }
}
