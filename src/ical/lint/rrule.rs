//! RRULE.

use super::*;

/// A WEEKLY (single BYDAY, optional INTERVAL) or MONTHLY (single ordinal BYDAY) rule with an
/// optional UTC UNTIL: the shapes mcpsite writes. Other rules are not checked instance by instance.
pub(super) struct SimpleRule {
    weekly: Option<u32>,
    pub(super) nth: i8,
    pub(super) weekday: civil::Weekday,
    start: civil::DateTime,
    until: Option<Timestamp>,
    tz: TimeZone,
}

impl SimpleRule {
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
                "UNTIL" => {
                    let dt = parse_local(val.strip_suffix('Z')?)?;
                    until = Some(dt.to_zoned_datetime(TimeZone::UTC).ok()?.timestamp());
                }
                "WKST" => {}
                _ => return None,
            }
        }
        let byday = byday?;
        if byday.contains(',') || byday.len() < 2 {
            return None;
        }
        let (n, wd) = byday.split_at(byday.len() - 2);
        let weekday = match wd {
            "MO" => civil::Weekday::Monday,
            "TU" => civil::Weekday::Tuesday,
            "WE" => civil::Weekday::Wednesday,
            "TH" => civil::Weekday::Thursday,
            "FR" => civil::Weekday::Friday,
            "SA" => civil::Weekday::Saturday,
            "SU" => civil::Weekday::Sunday,
            _ => return None,
        };
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

    pub(super) fn contains(&self, dt: civil::DateTime) -> bool {
        dt.time() == self.start.time()
            && dt >= self.start
            && self.on_rule(dt.date())
            && self
                .until
                .is_none_or(|u| local_to_timestamp(&self.tz, dt) <= u)
    }

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
