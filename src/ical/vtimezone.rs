//! VTIMEZONE components generated from the bundled tz database.
//!
//! Takes: a zone, the earliest instant a feed uses in it, and the latest instant the feed's rules
//! must be right for. Gives: a [`VTimezone`] in the form Google Calendar emits and Outlook maps
//! reliably: STANDARD/DAYLIGHT observances with TZOFFSETFROM/TZOFFSETTO/TZNAME, a local DTSTART,
//! and a yearly `RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU`, never RDATE lists.
//!
//! The observances are derived from jiff's list of transitions, not written by hand: each
//! transition is described by its month, weekday, n-th (or last) weekday of the month, local
//! wall-clock time and offsets; consecutive years with the same description become one yearly
//! rule. When a zone's rule changed inside the window, the old rule gets an `UNTIL` (its last
//! transition, in UTC) and the new one starts with its own DTSTART, so the offsets equal tzdb's
//! over the whole window. The first observance starts in the year before the earliest time used
//! (not before 1970), so clients that fall back to UTC before the first observance (ical.js) never
//! do for our events. Zones without transitions in the window get a single STANDARD.
//!
//! STANDARD or DAYLIGHT: an observance is DAYLIGHT when it moves the clock forward within a
//! daylight-saving pair. This also labels Europe/Dublin's summer (IST, +01:00) as DAYLIGHT,
//! though tzdb marks its winter (GMT) as the "negative DST" period: clients compute times from
//! the offsets, and Outlook matches zones by the usual shape.

use jiff::civil::{self, Weekday};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};

use crate::recur::{ical_local, ical_utc};

/// STANDARD or DAYLIGHT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ObservanceKind {
    /// The zone's standard time (or any change that is not into daylight saving).
    Standard,
    /// A change that moves the clock forward within a daylight-saving pair.
    Daylight,
}

impl ObservanceKind {
    /// The sub-component's name.
    pub fn as_str(self) -> &'static str {
        match self {
            ObservanceKind::Standard => "STANDARD",
            ObservanceKind::Daylight => "DAYLIGHT",
        }
    }
}

/// `FREQ=YEARLY;BYMONTH=<month>;BYDAY=<nth><weekday>[;UNTIL=…]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearlyRule {
    /// BYMONTH: 1..=12.
    pub month: i8,
    /// 1..=4, or -1 for the last.
    pub nth: i8,
    /// The weekday of BYDAY.
    pub weekday: Weekday,
    /// The last onset, inclusive, for a rule that stopped.
    pub until: Option<Timestamp>,
}

/// One STANDARD or DAYLIGHT sub-component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observance {
    /// STANDARD or DAYLIGHT.
    pub kind: ObservanceKind,
    /// The first onset, in local time before the change (that is, at `offset_from`).
    pub dtstart: civil::DateTime,
    /// TZOFFSETFROM: the offset before each onset.
    pub offset_from: Offset,
    /// TZOFFSETTO: the offset from each onset on.
    pub offset_to: Offset,
    /// TZNAME: the abbreviation (`PST`), empty when unknown.
    pub tzname: String,
    /// `None`: the observance begins once, at `dtstart`.
    pub rule: Option<YearlyRule>,
}

/// A VTIMEZONE for one zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VTimezone {
    /// The IANA name, as the feed's TZID parameters spell it.
    pub tzid: String,
    /// Sorted by DTSTART.
    pub observances: Vec<Observance>,
}

/// Years after the latest time used that the rules are checked for, so that "n-th" and "last"
/// weekday rules are told apart and a rule the zone keeps stays open-ended.
const LOOKAHEAD_YEARS: i16 = 10;

/// The RFC 5545 weekday codes, Monday first.
pub(crate) const WEEKDAY_CODES: [(Weekday, &str); 7] = [
    (Weekday::Monday, "MO"),
    (Weekday::Tuesday, "TU"),
    (Weekday::Wednesday, "WE"),
    (Weekday::Thursday, "TH"),
    (Weekday::Friday, "FR"),
    (Weekday::Saturday, "SA"),
    (Weekday::Sunday, "SU"),
];

fn weekday_code(w: Weekday) -> &'static str {
    let code = WEEKDAY_CODES.iter().find(|(d, _)| *d == w).map(|(_, c)| *c);
    code.expect("every weekday has a code")
}

/// `-0800`, `+0530`, `+004430` (seconds only when needed), as UTC-OFFSET values are written.
pub fn format_offset(o: Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

impl YearlyRule {
    /// The RRULE value.
    pub fn to_rrule(&self) -> String {
        let mut s = format!(
            "FREQ=YEARLY;BYMONTH={};BYDAY={}{}",
            self.month,
            self.nth,
            weekday_code(self.weekday)
        );
        if let Some(u) = self.until {
            s.push_str(";UNTIL=");
            s.push_str(&ical_utc(u));
        }
        s
    }

    /// The local onset date in `year`.
    pub fn date_in(&self, year: i16) -> Option<civil::Date> {
        civil::Date::new(year, self.month, 1)
            .ok()?
            .nth_weekday_of_month(self.nth, self.weekday)
            .ok()
    }
}

impl Observance {
    /// The onsets (as instants) in order, the first at DTSTART, up to and including `until_year`.
    pub fn onsets(&self, until_year: i16) -> Vec<Timestamp> {
        let at = |dt: civil::DateTime| {
            self.offset_from
                .to_timestamp(dt)
                .expect("onset within range")
        };
        let mut out = vec![at(self.dtstart)];
        if let Some(rule) = &self.rule {
            for year in self.dtstart.year() + 1..=until_year {
                let Some(d) = rule.date_in(year) else {
                    continue;
                };
                let ts = at(d.to_datetime(self.dtstart.time()));
                if rule.until.is_some_and(|u| ts > u) {
                    break;
                }
                out.push(ts);
            }
        }
        out
    }
}

/// A [`VTimezone`] with its onsets up to a year, in time order ([`VTimezone::into_table`]).
#[derive(Debug)]
pub struct OffsetTable {
    zone: VTimezone,
    /// Each onset with the offset it gives.
    onsets: Vec<(Timestamp, Offset)>,
    /// The last year whose onsets are listed.
    until_year: i16,
}

impl OffsetTable {
    /// What [`VTimezone::offset_at`] gives at `ts`: read off the onsets when they reach the year
    /// after `ts`'s, as `offset_at` makes them, else made as it makes them.
    pub fn offset_at(&self, ts: Timestamp) -> Option<Offset> {
        if Offset::UTC.to_datetime(ts).year() + 1 > self.until_year {
            return self.zone.offset_at(ts);
        }
        let after = self.onsets.partition_point(|(t, _)| *t <= ts);
        after.checked_sub(1).map(|i| self.onsets[i].1)
    }
}

impl VTimezone {
    /// The UTC offset these observances give at `ts` (the TZOFFSETTO of the latest onset at or
    /// before it), or `None` before the first observance. This is how a client reads the
    /// component; tests compare it with tzdb.
    pub fn offset_at(&self, ts: Timestamp) -> Option<Offset> {
        let year = Offset::UTC.to_datetime(ts).year() + 1;
        self.observances
            .iter()
            .filter_map(|o| {
                o.onsets(year)
                    .into_iter()
                    .rfind(|t| *t <= ts)
                    .map(|t| (t, o.offset_to))
            })
            .max_by_key(|(t, _)| *t)
            .map(|(_, off)| off)
    }

    /// The component with every onset of its observances up to and including `until_year`, in
    /// time order: for reading the offset at many instants ([`OffsetTable::offset_at`]) without
    /// making each observance's onsets again for each.
    pub fn into_table(self, until_year: i16) -> OffsetTable {
        let mut onsets: Vec<(Timestamp, Offset)> = (self.observances.iter())
            .flat_map(|o| (o.onsets(until_year).into_iter()).map(|t| (t, o.offset_to)))
            .collect();
        // Stable: onsets at one instant stay in the observances' order, and the last of them
        // wins, as in `offset_at`.
        onsets.sort_by_key(|(t, _)| *t);
        OffsetTable {
            zone: self,
            onsets,
            until_year,
        }
    }

    /// The earliest onset: times before it have no defined offset.
    pub fn first_onset(&self) -> Option<Timestamp> {
        self.observances
            .iter()
            .map(|o| o.offsets_from_start())
            .min()
    }

    /// Content lines (name with parameters, value), unfolded, from BEGIN to END.
    pub fn content_lines(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("BEGIN".to_string(), "VTIMEZONE".to_string()),
            ("TZID".to_string(), self.tzid.clone()),
        ];
        for o in &self.observances {
            out.push(("BEGIN".into(), o.kind.as_str().into()));
            out.push(("TZOFFSETFROM".into(), format_offset(o.offset_from)));
            out.push(("TZOFFSETTO".into(), format_offset(o.offset_to)));
            out.push(("TZNAME".into(), o.tzname.clone()));
            out.push(("DTSTART".into(), ical_local(o.dtstart)));
            if let Some(r) = &o.rule {
                out.push(("RRULE".into(), r.to_rrule()));
            }
            out.push(("END".into(), o.kind.as_str().into()));
        }
        out.push(("END".into(), "VTIMEZONE".into()));
        out
    }
}

impl Observance {
    fn offsets_from_start(&self) -> Timestamp {
        self.offset_from
            .to_timestamp(self.dtstart)
            .expect("onset within range")
    }
}

/// One offset change, described the way a yearly rule would describe it.
#[derive(Debug, Clone)]
struct Change {
    at: Timestamp,
    /// Wall-clock time of the change, before it.
    local: civil::DateTime,
    from: Offset,
    to: Offset,
    abbrev: String,
    kind: ObservanceKind,
}

/// A change's kind, (month, weekday, local time), offsets and abbreviation.
type ChangeShape<'a> = (
    ObservanceKind,
    (i8, Weekday, civil::Time),
    Offset,
    Offset,
    &'a str,
);

impl Change {
    /// Which BYDAY ordinals describe this date: its n-th (1..=4) and/or -1 if it is the last.
    fn ordinals(&self) -> Vec<i8> {
        let d = self.local.date();
        let nth = (d.day() - 1) / 7 + 1;
        let mut v = Vec::new();
        if nth <= 4 {
            v.push(nth);
        }
        if d.day() + 7 > d.days_in_month() {
            v.push(-1);
        }
        v
    }

    /// What a yearly rule keeps from year to year: all but the year and the day of the month.
    fn shape(&self) -> ChangeShape<'_> {
        let l = self.local;
        let when = (l.month(), l.date().weekday(), l.time());
        (self.kind, when, self.from, self.to, &self.abbrev)
    }

    fn same_shape(&self, other: &Change) -> bool {
        self.shape() == other.shape()
    }
}

/// A run of yearly changes with the same shape.
struct Run {
    first: Change,
    last: Change,
    ordinals: Vec<i8>,
    count: usize,
}

impl Run {
    /// Takes in `c` (whose ordinals are `ords`) when it continues the run: the same shape, the
    /// next year, and a weekday ordinal in common.
    fn extend(&mut self, c: &Change, ords: &[i8]) -> bool {
        let common: Vec<i8> = self
            .ordinals
            .iter()
            .copied()
            .filter(|o| ords.contains(o))
            .collect();
        if self.last.same_shape(c)
            && c.local.year() == self.last.local.year() + 1
            && !common.is_empty()
        {
            self.ordinals = common;
            self.last = c.clone();
            self.count += 1;
            true
        } else {
            false
        }
    }

    fn into_observance(self, open: bool) -> Observance {
        let rule = if self.count >= 2 || open {
            // Prefer "last" (tzdb's `lastSun`) when both describe every year seen.
            let nth = if self.ordinals.contains(&-1) {
                -1
            } else {
                self.ordinals[0]
            };
            Some(YearlyRule {
                month: self.first.local.month(),
                nth,
                weekday: self.first.local.date().weekday(),
                until: if open { None } else { Some(self.last.at) },
            })
        } else {
            None
        };
        Observance {
            kind: self.first.kind,
            dtstart: self.first.local,
            offset_from: self.first.from,
            offset_to: self.first.to,
            tzname: self.first.abbrev,
            rule,
        }
    }
}

/// The VTIMEZONE for `tz` (written with TZID `tzid`) covering `earliest` (the first time a feed
/// uses in this zone) through `latest` and beyond for as long as the zone's current rule holds.
fn build(tzid: &str, tz: &TimeZone, earliest: Timestamp, latest: Timestamp) -> VTimezone {
    let window = Window::new(tz, earliest, latest);
    let initial = tz.to_offset_info(window.start);
    let changes = offset_changes(tz, &window, initial.offset(), initial.dst().is_dst());
    let mut vtz = VTimezone {
        tzid: tzid.to_string(),
        observances: observances(changes, window.last_year),
    };
    // Nothing covers the earliest time used (no change in the window, or the first change comes
    // later): add the offset in force at the window's start.
    if vtz.first_onset().is_none_or(|t| t > earliest) {
        let kind = if initial.dst().is_dst() {
            ObservanceKind::Daylight
        } else {
            ObservanceKind::Standard
        };
        vtz.observances.insert(
            0,
            Observance {
                kind,
                dtstart: initial.offset().to_datetime(window.start),
                offset_from: initial.offset(),
                offset_to: initial.offset(),
                tzname: initial.abbreviation().to_string(),
                rule: None,
            },
        );
    }
    vtz
}

/// The span of tzdb a VTIMEZONE is derived from: from the start of the year before the
/// earliest time used (not before 1970), to the end of [`LOOKAHEAD_YEARS`] after the latest.
struct Window {
    start: Timestamp,
    last_year: i16,
    end: Timestamp,
}

impl Window {
    fn new(tz: &TimeZone, earliest: Timestamp, latest: Timestamp) -> Window {
        let year_of = |ts: Timestamp| tz.to_datetime(ts).year();
        let first_year = (year_of(earliest) - 1).max(1970);
        let start = tz
            .to_ambiguous_timestamp(civil::date(first_year, 1, 1).at(0, 0, 0, 0))
            .compatible()
            .expect("in range");
        let last_year = year_of(latest.max(earliest)).saturating_add(LOOKAHEAD_YEARS);
        let end = civil::date(last_year, 12, 31)
            .at(0, 0, 0, 0)
            .to_zoned_datetime(TimeZone::UTC)
            .expect("in range")
            .timestamp();
        Window {
            start,
            last_year,
            end,
        }
    }
}

/// The zone's offset changes inside `window`, given the offset and DST flag in force at its
/// start. An observance is DAYLIGHT when it moves the clock forward within a DST pair.
fn offset_changes(tz: &TimeZone, window: &Window, offset: Offset, dst: bool) -> Vec<Change> {
    let (mut prev_off, mut prev_dst) = (offset, dst);
    let mut changes = Vec::new();
    for t in tz.following(window.start) {
        if t.timestamp() > window.end {
            break;
        }
        let (off, dst) = (t.offset(), t.dst().is_dst());
        if off != prev_off {
            let kind = if off > prev_off && (dst || prev_dst) {
                ObservanceKind::Daylight
            } else {
                ObservanceKind::Standard
            };
            changes.push(Change {
                at: t.timestamp(),
                local: prev_off.to_datetime(t.timestamp()),
                from: prev_off,
                to: off,
                abbrev: t.abbreviation().to_string(),
                kind,
            });
        }
        prev_off = off;
        prev_dst = dst;
    }
    changes
}

/// The observances describing `changes`, sorted by onset: yearly runs of same-shaped changes
/// become rules, open-ended when still in force at `last_year` (the end of the scan).
fn observances(changes: Vec<Change>, last_year: i16) -> Vec<Observance> {
    let (closed, open) = yearly_runs(changes);
    let mut observances: Vec<Observance> = closed
        .into_iter()
        .map(|r| r.into_observance(false))
        .collect();
    for r in open {
        // A rule still in force at the end of the scan stays open-ended; one that stopped ends
        // at its last change.
        let still = r.count >= 2 && r.last.local.year() >= last_year - 1;
        observances.push(r.into_observance(still));
    }
    observances.sort_by_key(|o| (o.offsets_from_start(), o.kind));
    observances
}

/// Groups changes into yearly runs, one open run per kind at a time; a run is extended by a
/// change of the same shape one year after its last one whose weekday ordinal agrees. Gives the
/// runs that ended and the runs still open.
fn yearly_runs(changes: Vec<Change>) -> (Vec<Run>, Vec<Run>) {
    let mut open: Vec<Run> = Vec::new();
    let mut closed: Vec<Run> = Vec::new();
    for c in changes {
        let ords = c.ordinals();
        if let Some(i) = open.iter().position(|r| r.first.kind == c.kind) {
            if open[i].extend(&c, &ords) {
                continue;
            }
            closed.push(open.remove(i));
        }
        open.push(Run {
            first: c.clone(),
            last: c,
            ordinals: ords,
            count: 1,
        });
    }
    (closed, open)
}

/// `build` over the years a feed uses: from `earliest` to `latest` plus two years.
pub fn for_feed(tzid: &str, tz: &TimeZone, earliest: Timestamp, latest: Timestamp) -> VTimezone {
    let latest = latest.checked_add((2 * 366 * 24).hours()).unwrap_or(latest);
    build(tzid, tz, earliest, latest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn lines(v: &VTimezone) -> String {
        v.content_lines()
            .into_iter()
            .map(|(n, v)| format!("{n}:{v}\n"))
            .collect()
    }

    /// Offsets from the component equal tzdb's at every transition (just before and at it) and
    /// every day at 00:00 and 12:00 UTC from `earliest` to `to`.
    fn assert_matches_tzdb(name: &str, earliest: &str, to: &str) -> VTimezone {
        let tz = TimeZone::get(name).unwrap();
        let (e, t) = (ts(earliest), ts(to));
        let v = build(name, &tz, e, t);
        let mut probes = Vec::new();
        let mut p = e;
        while p < t {
            probes.push(p);
            probes.push(p.checked_add(12.hours()).unwrap());
            p = p.checked_add(24.hours()).unwrap();
        }
        for tr in tz.following(e).take_while(|tr| tr.timestamp() < t) {
            probes.push(tr.timestamp());
            probes.push(tr.timestamp().checked_sub(1.second()).unwrap());
        }
        let first = v.first_onset().unwrap();
        let early = [first.checked_sub(1.second()).unwrap(), first];
        let table = v.clone().into_table(2100);
        let short = v.clone().into_table(2027);
        for p in probes.iter().chain(&early) {
            let offset = v.offset_at(*p);
            assert_eq!(table.offset_at(*p), offset, "{name} at {p}, table");
            assert_eq!(short.offset_at(*p), offset, "{name} at {p}, table to 2027");
        }
        assert_eq!(
            table.offset_at(early[0]),
            None,
            "{name} before its first onset"
        );
        for p in probes.into_iter().filter(|p| *p >= e) {
            assert_eq!(
                v.offset_at(p),
                Some(tz.to_offset(p)),
                "{name} at {p}:\n{}",
                lines(&v)
            );
        }
        assert!(first <= e);
        v
    }

    #[test]
    fn los_angeles_is_the_google_shape() {
        let v = assert_matches_tzdb(
            "America/Los_Angeles",
            "2025-12-17T16:00:00Z",
            "2032-01-01T00:00:00Z",
        );
        assert_eq!(
            lines(&v),
            "BEGIN:VTIMEZONE\nTZID:America/Los_Angeles\n\
             BEGIN:DAYLIGHT\nTZOFFSETFROM:-0800\nTZOFFSETTO:-0700\nTZNAME:PDT\nDTSTART:20240310T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\nEND:DAYLIGHT\n\
             BEGIN:STANDARD\nTZOFFSETFROM:-0700\nTZOFFSETTO:-0800\nTZNAME:PST\nDTSTART:20241103T020000\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\nEND:STANDARD\n\
             END:VTIMEZONE\n"
        );
    }

    #[test]
    fn new_york_and_london() {
        let v = assert_matches_tzdb(
            "America/New_York",
            "2026-01-13T17:00:00Z",
            "2031-01-01T00:00:00Z",
        );
        assert_eq!(v.observances.len(), 2);
        let v = assert_matches_tzdb(
            "Europe/London",
            "2026-01-29T16:00:00Z",
            "2031-01-01T00:00:00Z",
        );
        let rules: Vec<String> = v
            .observances
            .iter()
            .map(|o| {
                format!(
                    "{} {} {}",
                    o.kind.as_str(),
                    o.tzname,
                    o.rule.as_ref().unwrap().to_rrule()
                )
            })
            .collect();
        assert_eq!(
            rules,
            [
                "DAYLIGHT BST FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                "STANDARD GMT FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
            ]
        );
        // EU rules change at 01:00 UTC: 01:00 local in spring, 02:00 (BST) in autumn.
        assert_eq!(
            v.observances[0].dtstart,
            civil::date(2025, 3, 30).at(1, 0, 0, 0)
        );
        assert_eq!(
            v.observances[1].dtstart,
            civil::date(2025, 10, 26).at(2, 0, 0, 0)
        );
    }

    #[test]
    fn sydney_southern_hemisphere() {
        let v = assert_matches_tzdb(
            "Australia/Sydney",
            "2026-03-23T22:00:00Z",
            "2031-01-01T00:00:00Z",
        );
        let got: Vec<(ObservanceKind, String, String, String)> = v
            .observances
            .iter()
            .map(|o| {
                (
                    o.kind,
                    format_offset(o.offset_from),
                    format_offset(o.offset_to),
                    o.rule.as_ref().unwrap().to_rrule(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    ObservanceKind::Standard,
                    "+1100".into(),
                    "+1000".into(),
                    "FREQ=YEARLY;BYMONTH=4;BYDAY=1SU".into()
                ),
                (
                    ObservanceKind::Daylight,
                    "+1000".into(),
                    "+1100".into(),
                    "FREQ=YEARLY;BYMONTH=10;BYDAY=1SU".into()
                ),
            ]
        );
    }

    #[test]
    fn tokyo_has_one_standard() {
        let v = assert_matches_tzdb("Asia/Tokyo", "2026-02-02T00:00:00Z", "2030-01-01T00:00:00Z");
        assert_eq!(
            lines(&v),
            "BEGIN:VTIMEZONE\nTZID:Asia/Tokyo\nBEGIN:STANDARD\nTZOFFSETFROM:+0900\nTZOFFSETTO:+0900\nTZNAME:JST\nDTSTART:20250101T000000\nEND:STANDARD\nEND:VTIMEZONE\n"
        );
    }

    #[test]
    fn dublin_negative_dst_has_right_offsets() {
        let v = assert_matches_tzdb(
            "Europe/Dublin",
            "2026-01-10T12:00:00Z",
            "2031-01-01T00:00:00Z",
        );
        let expected = [
            (3600, ObservanceKind::Daylight, "IST"),
            (0, ObservanceKind::Standard, "GMT"),
        ];
        for (offset, kind, tzname) in expected {
            let o = v
                .observances
                .iter()
                .find(|o| o.offset_to.seconds() == offset);
            let o = o.unwrap_or_else(|| panic!("no observance to {offset}s:\n{}", lines(&v)));
            assert_eq!((o.kind, o.tzname.as_str()), (kind, tzname));
        }
    }

    #[test]
    fn rule_changes_inside_the_window_get_until() {
        // The US extended DST in 2007: April/October rules until 2006, March/November after.
        let v = assert_matches_tzdb(
            "America/New_York",
            "2005-06-01T00:00:00Z",
            "2012-01-01T00:00:00Z",
        );
        let rr: Vec<String> = v
            .observances
            .iter()
            .map(|o| {
                format!(
                    "{} {}",
                    ical_local(o.dtstart),
                    o.rule.as_ref().unwrap().to_rrule()
                )
            })
            .collect();
        assert_eq!(
            rr,
            [
                "20040404T020000 FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z",
                "20041031T020000 FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z",
                "20070311T020000 FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
                "20071104T020000 FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
            ]
        );
        // A zone that stopped DST: Asia/Tehran last changed in 2022.
        let v = assert_matches_tzdb(
            "Asia/Tehran",
            "2021-01-01T00:00:00Z",
            "2027-01-01T00:00:00Z",
        );
        assert!(
            v.observances
                .iter()
                .all(|o| o.rule.as_ref().is_none_or(|r| r.until.is_some())),
            "{}",
            lines(&v)
        );
    }

    #[test]
    fn earliest_before_first_change_is_covered() {
        // Earliest time used is early January: the observances start the year before.
        for name in [
            "America/Los_Angeles",
            "Europe/London",
            "Australia/Sydney",
            "Europe/Dublin",
        ] {
            assert_matches_tzdb(name, "2026-01-01T00:30:00Z", "2028-01-01T00:00:00Z");
        }
        // 1970 is the floor.
        let v = assert_matches_tzdb(
            "America/Los_Angeles",
            "1970-02-01T00:00:00Z",
            "1972-01-01T00:00:00Z",
        );
        assert!(v.observances[0].dtstart.year() == 1970, "{}", lines(&v));
    }

    #[test]
    fn offsets_format() {
        let cases = [
            (-8 * 3600, "-0800"),
            (5 * 3600 + 1800, "+0530"),
            (-(44 * 60 + 30), "-004430"),
            (0, "+0000"),
        ];
        for (seconds, written) in cases {
            assert_eq!(
                format_offset(Offset::from_seconds(seconds).unwrap()),
                written
            );
        }
    }
}
