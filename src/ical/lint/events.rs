//! VEVENT checks: each event's own properties, then each override against its series.
//!
//! Takes: the calendar's VEVENTs and its VTIMEZONEs by TZID. Gives: findings for required
//! properties (`uid-missing`, `dtstamp-missing`, `dtstart-missing`), UIDs (`uid-chars`,
//! `duplicate-uid`, `duplicate-override`), date-times and their zones (`not-utc`, `bad-datetime`,
//! `tzid-with-utc`, `floating-time`, `tzid-not-iana`, `tzid-no-vtimezone`), the end (`no-end`,
//! `dtend-and-duration`, `dtend-tzid-differs`, `dtend-type-mismatch`, `dtend-not-after-dtstart`,
//! `bad-duration`), content (`bad-sequence`, `bad-status`, `summary-missing`, `url-missing`,
//! `categories-missing`), recurrence rules (`exrule`, `multiple-rrule`, `override-has-rrule` and
//! [`super::rrule::check_rrule`]'s), and for overrides (`orphan-override`, `range-thisandfuture`,
//! `recurrence-id-tzid-differs`, `recurrence-id-type-mismatch`, `override-of-exdate`,
//! `override-sequence-lower`, `override-incomplete`) and EXDATEs (`exdate-tzid-differs`).

use std::collections::BTreeMap;

use jiff::tz::TimeZone;

use super::Findings;
use super::parse::{Component, Prop};
use super::rrule::check_rrule;
use super::values::{is_datetime, is_duration, prop_instant};

/// VTIMEZONEs by TZID.
type Zones<'c> = BTreeMap<String, &'c Component>;

/// Checks each event on its own; gives the series (events without RECURRENCE-ID) by UID.
pub(super) fn check_events<'c>(
    events: &[&'c Component],
    vtz: &Zones,
    f: &mut Findings,
) -> BTreeMap<String, &'c Component> {
    let mut ids = Identities::default();
    for e in events {
        for req in ["UID", "DTSTAMP", "DTSTART"] {
            if e.prop(req).is_none() {
                let rule = format!("{}-missing", req.to_ascii_lowercase());
                f.add(e.line, &rule, format!("VEVENT without {req}"));
            }
        }
        ids.check(e, f);
        if let Some(s) = e.prop("DTSTAMP")
            && (!is_datetime(&s.value) || !s.value.ends_with('Z'))
        {
            f.add(s.line, "not-utc", "DTSTAMP must be a UTC date-time");
        }
        check_zoned_times(e, vtz, f);
        check_end(e, f);
        check_content(e, f);
        check_rrules(e, f);
    }
    ids.masters
}

/// The events seen so far by (UID, RECURRENCE-ID), and the series among them by UID.
#[derive(Default)]
struct Identities<'c> {
    /// The line of each key's first event.
    keys: BTreeMap<(String, Option<String>), usize>,
    masters: BTreeMap<String, &'c Component>,
}

impl<'c> Identities<'c> {
    /// A UID is plain text, and names one series and one event per RECURRENCE-ID.
    fn check(&mut self, e: &'c Component, f: &mut Findings) {
        let Some(uid) = e.prop("UID") else {
            return;
        };
        let plain = |c: char| c.is_whitespace() || c.is_control();
        if uid.value.is_empty() || uid.value.chars().any(plain) {
            let msg = format!("UID `{}` has spaces or control characters", uid.value);
            f.add(uid.line, "uid-chars", msg);
        }
        let rid = e.prop("RECURRENCE-ID").map(|r| r.value.clone());
        if let Some(first) = self.keys.insert((uid.value.clone(), rid.clone()), e.line) {
            let rule = if rid.is_some() {
                "duplicate-override"
            } else {
                "duplicate-uid"
            };
            let msg = format!("UID {} repeats the event of line {first}", uid.value);
            f.add(e.line, rule, msg);
        }
        if rid.is_none() {
            self.masters.insert(uid.value.clone(), e);
        }
    }
}

/// Every DATE-TIME of the event is UTC or has a TZID, not both, and a TZID names an IANA zone
/// with a VTIMEZONE in the file.
fn check_zoned_times(e: &Component, vtz: &Zones, f: &mut Findings) {
    for name in ["DTSTART", "DTEND", "EXDATE", "RDATE", "RECURRENCE-ID"] {
        for prop in e.props_named(name) {
            if prop.param("VALUE") == Some("DATE") {
                continue;
            }
            for v in prop.value.split(',') {
                check_datetime_value(name, prop, v, f);
            }
            if let Some(tzid) = prop.param("TZID") {
                if tzid.starts_with('/') || TimeZone::get(tzid).is_err() {
                    let msg = format!("TZID `{tzid}` is not an IANA name");
                    f.add(prop.line, "tzid-not-iana", msg);
                }
                if !vtz.contains_key(tzid) {
                    let msg = format!("TZID `{tzid}` has no VTIMEZONE in this file");
                    f.add(prop.line, "tzid-no-vtimezone", msg);
                }
            }
        }
    }
}

/// One value `v` of property `prop` (called `name`).
fn check_datetime_value(name: &str, prop: &Prop, v: &str, f: &mut Findings) {
    if !is_datetime(v) {
        let msg = format!("{name} `{v}` is not a date-time");
        f.add(prop.line, "bad-datetime", msg);
        return;
    }
    match (prop.param("TZID"), v.ends_with('Z')) {
        (Some(_), true) => {
            let msg = format!("{name} has TZID and a UTC value");
            f.add(prop.line, "tzid-with-utc", msg);
        }
        (None, false) => {
            let msg = format!("{name} `{v}` has neither TZID nor Z");
            f.add(prop.line, "floating-time", msg);
        }
        _ => {}
    }
}

/// DTEND or DURATION, not both; a DTEND like DTSTART and after it.
fn check_end(e: &Component, f: &mut Findings) {
    match (e.prop("DTEND"), e.prop("DURATION")) {
        (Some(_), Some(d)) => f.add(d.line, "dtend-and-duration", "both DTEND and DURATION"),
        (None, None) => f.add(e.line, "no-end", "VEVENT without DTEND"),
        (Some(end), None) => {
            if let Some(start) = e.prop("DTSTART") {
                check_dtend(start, end, f);
            }
        }
        (None, Some(d)) => {
            if !is_duration(&d.value) {
                f.add(
                    d.line,
                    "bad-duration",
                    format!("`{}` is not a duration", d.value),
                );
            }
        }
    }
}

fn check_dtend(start: &Prop, end: &Prop, f: &mut Findings) {
    if start.param("TZID") != end.param("TZID") {
        let msg = "DTEND's TZID differs from DTSTART's";
        f.add(end.line, "dtend-tzid-differs", msg);
    }
    if start.param("VALUE") != end.param("VALUE")
        || start.value.ends_with('Z') != end.value.ends_with('Z')
    {
        let msg = "DTEND's type differs from DTSTART's";
        f.add(end.line, "dtend-type-mismatch", msg);
    }
    if let (Some(a), Some(b)) = (prop_instant(start), prop_instant(end))
        && b <= a
    {
        let msg = "DTEND is not after DTSTART";
        f.add(end.line, "dtend-not-after-dtstart", msg);
    }
}

/// SEQUENCE, STATUS, SUMMARY, URL, CATEGORIES, and no EXRULE.
fn check_content(e: &Component, f: &mut Findings) {
    if let Some(seq) = e.prop("SEQUENCE")
        && seq.value.parse::<u32>().is_err()
    {
        let msg = format!("SEQUENCE `{}` is not a non-negative integer", seq.value);
        f.add(seq.line, "bad-sequence", msg);
    }
    if let Some(st) = e.prop("STATUS")
        && !matches!(st.value.as_str(), "TENTATIVE" | "CONFIRMED" | "CANCELLED")
    {
        f.add(st.line, "bad-status", format!("STATUS `{}`", st.value));
    }
    if e.prop("SUMMARY").is_none_or(|s| s.value.trim().is_empty()) {
        f.add(e.line, "summary-missing", "VEVENT without SUMMARY");
    }
    if e.prop("URL").is_none() {
        f.add(e.line, "url-missing", "VEVENT without URL");
    }
    if e.prop("CATEGORIES").is_none() {
        f.add(e.line, "categories-missing", "VEVENT without CATEGORIES");
    }
    if e.prop("EXRULE").is_some() {
        f.add(e.line, "exrule", "EXRULE is deprecated");
    }
}

/// At most one RRULE, none on an override, and a well-formed one.
fn check_rrules(e: &Component, f: &mut Findings) {
    let rrules: Vec<&Prop> = e.props_named("RRULE").collect();
    if rrules.len() > 1 {
        f.add(rrules[1].line, "multiple-rrule", "more than one RRULE");
    }
    if let Some(r) = rrules.first() {
        if e.prop("RECURRENCE-ID").is_some() {
            f.add(r.line, "override-has-rrule", "an override carries an RRULE");
        }
        for (rule, msg) in check_rrule(&r.value, e.prop("DTSTART")) {
            f.add(r.line, rule, msg);
        }
    }
}

/// Each override (an event with RECURRENCE-ID) against its series.
pub(super) fn check_overrides(
    events: &[&Component],
    masters: &BTreeMap<String, &Component>,
    f: &mut Findings,
) {
    for e in events {
        let (Some(uid), Some(rid)) = (e.prop("UID"), e.prop("RECURRENCE-ID")) else {
            continue;
        };
        if rid.param("RANGE").is_some() {
            f.add(rid.line, "range-thisandfuture", "RECURRENCE-ID with RANGE");
        }
        match masters.get(&uid.value) {
            Some(m) => check_override(e, rid, m, f),
            None => {
                let msg = format!("override of {} without its series", uid.value);
                f.add(e.line, "orphan-override", msg);
            }
        }
    }
}

/// Override `e` (with RECURRENCE-ID `rid`) of series `m`: the RECURRENCE-ID is written like the
/// series' DTSTART and names an instance not excluded, the SEQUENCE is not lower, and nothing is
/// left to inheritance (clients do not inherit).
fn check_override(e: &Component, rid: &Prop, m: &Component, f: &mut Findings) {
    if let Some(ms) = m.prop("DTSTART") {
        if ms.param("TZID") != rid.param("TZID") {
            let msg = "RECURRENCE-ID's TZID differs from the series' DTSTART";
            f.add(rid.line, "recurrence-id-tzid-differs", msg);
        }
        if ms.value.ends_with('Z') != rid.value.ends_with('Z') {
            let msg = "RECURRENCE-ID's type differs from the series' DTSTART";
            f.add(rid.line, "recurrence-id-type-mismatch", msg);
        }
    }
    if m.props_named("EXDATE")
        .any(|x| x.value.split(',').any(|v| v == rid.value))
    {
        let msg = "the overridden instance is excluded by EXDATE";
        f.add(rid.line, "override-of-exdate", msg);
    }
    let seq = |c: &Component| {
        c.prop("SEQUENCE")
            .and_then(|s| s.value.parse::<u32>().ok())
            .unwrap_or(0)
    };
    if seq(e) < seq(m) {
        let msg = "an override's SEQUENCE is lower than its series'";
        f.add(e.line, "override-sequence-lower", msg);
    }
    for req in ["SUMMARY", "DESCRIPTION", "URL", "CATEGORIES"] {
        if m.prop(req).is_some() && e.prop(req).is_none() {
            let msg = format!("override without {req} (nothing is inherited)");
            f.add(e.line, "override-incomplete", msg);
        }
    }
}

/// A series' EXDATEs have its DTSTART's TZID.
pub(super) fn check_exdate_tzids(events: &[&Component], f: &mut Findings) {
    for e in events {
        if let Some(m) = e.prop("UID").filter(|_| e.prop("RECURRENCE-ID").is_none())
            && let Some(start) = e.prop("DTSTART")
        {
            for x in e.props_named("EXDATE") {
                if x.param("TZID") != start.param("TZID") {
                    let msg = format!("EXDATE of {} has another TZID than DTSTART", m.value);
                    f.add(x.line, "exdate-tzid-differs", msg);
                }
            }
        }
    }
}
