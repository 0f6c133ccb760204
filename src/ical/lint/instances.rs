//! Recurrence instances and zone offsets, for the rule shapes mcpsite writes.
//!
//! Takes: the calendar's VEVENTs and its VTIMEZONEs by TZID. Gives: findings where a series'
//! DTSTART, EXDATE or an override's RECURRENCE-ID is not an instance of its rule
//! (`dtstart-not-in-rrule`, `exdate-no-match`, `recurrence-id-no-match`), and where a VTIMEZONE,
//! read the way a client reads it, gives another UTC offset than tzdb at a time the event uses,
//! its first 156 instances included (`vtimezone-mismatch`), or none at all because its first
//! observance comes later (`vtimezone-starts-late`). Rules of other shapes and VTIMEZONEs in other
//! forms are not evaluated.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::Findings;
use super::parse::Component;
use super::rrule::SimpleRule;
use super::values::parse_local;
use super::zones::vtimezone_from_component;
use crate::ical::vtimezone::{self, OffsetTable};
use crate::recur::{ical_utc, local_to_timestamp};

/// Instances of a series whose offsets are compared: three years of a weekly meeting.
const INSTANCES_CHECKED: usize = 156;

/// The last year whose onsets each VTIMEZONE's table lists: the offsets of later times are
/// made as a client makes them, one at a time.
const ZONE_TABLE_YEAR: i16 = 2100;

/// A time an event uses: the line it comes from, the instant, and its TZID.
type ZonedTime<'c> = (usize, Timestamp, &'c str);

/// Checks every event's instances and the offsets at the times it uses.
pub(super) fn check_instances(
    events: &[&Component],
    vtz: &BTreeMap<String, &Component>,
    f: &mut Findings,
) {
    // Each VTIMEZONE as a client reads it, beside tzdb's zone of the same name.
    let zones: BTreeMap<&str, (Result<OffsetTable, String>, Option<TimeZone>)> = vtz
        .iter()
        .map(|(id, z)| {
            let table = vtimezone_from_component(z).map(|v| v.into_table(ZONE_TABLE_YEAR));
            (id.as_str(), (table, TimeZone::get(id).ok()))
        })
        .collect();
    let overrides = overrides_by_uid(events);
    for e in events {
        let mut times = zoned_times(e);
        times.extend(series_instances(e, &overrides, f));
        check_offsets(&times, &zones, f);
    }
}

/// The events that override an instance (those with a RECURRENCE-ID), by UID, in the feed's
/// order: looked up once per series, not by reading every event of the feed again (an aggregate
/// feed of ten thousand groups has tens of thousands of events).
fn overrides_by_uid<'c>(events: &[&'c Component]) -> HashMap<&'c str, Vec<&'c Component>> {
    let mut by_uid: HashMap<&str, Vec<&Component>> = HashMap::new();
    for o in events {
        if let (Some(uid), Some(_)) = (o.prop("UID"), o.prop("RECURRENCE-ID")) {
            by_uid.entry(uid.value.as_str()).or_default().push(o);
        }
    }
    by_uid
}

/// Every zoned time the event's DTSTART, DTEND, EXDATE and RECURRENCE-ID name.
fn zoned_times(e: &Component) -> Vec<ZonedTime<'_>> {
    let mut times = Vec::new();
    for name in ["DTSTART", "DTEND", "EXDATE", "RECURRENCE-ID"] {
        for prop in e.props_named(name) {
            let Some(tzid) = prop.param("TZID") else {
                continue;
            };
            let Ok(tz) = TimeZone::get(tzid) else {
                continue;
            };
            for v in prop.value.split(',') {
                if let Some(dt) = parse_local(v) {
                    times.push((prop.line, local_to_timestamp(&tz, dt), tzid));
                }
            }
        }
    }
    times
}

/// For a series whose rule mcpsite can expand: checks that DTSTART, each EXDATE and each of its
/// overrides' RECURRENCE-IDs is an instance, and gives its first instances.
fn series_instances<'c>(
    e: &'c Component,
    overrides: &HashMap<&str, Vec<&Component>>,
    f: &mut Findings,
) -> Vec<ZonedTime<'c>> {
    let (Some(start), Some(r)) = (e.prop("DTSTART"), e.prop("RRULE")) else {
        return Vec::new();
    };
    let Some(tzid) = start.param("TZID") else {
        return Vec::new();
    };
    let (Ok(tz), Some(dt)) = (TimeZone::get(tzid), parse_local(&start.value)) else {
        return Vec::new();
    };
    let Some(rule) = SimpleRule::parse(&r.value, dt, tz.clone()) else {
        return Vec::new();
    };
    if !rule.contains(dt) {
        let msg = format!("DTSTART {} is not an instance of {}", start.value, r.value);
        f.add(start.line, "dtstart-not-in-rrule", msg);
    }
    for x in e.props_named("EXDATE") {
        for v in x.value.split(',') {
            if parse_local(v).is_none_or(|d| !rule.contains(d)) {
                let msg = format!("EXDATE {v} is not an instance of the series");
                f.add(x.line, "exdate-no-match", msg);
            }
        }
    }
    if let Some(uid) = e.prop("UID") {
        for o in overrides.get(uid.value.as_str()).into_iter().flatten() {
            if let Some(rid) = o.prop("RECURRENCE-ID")
                && rid.param("TZID") == Some(tzid)
                && parse_local(&rid.value).is_none_or(|d| !rule.contains(d))
            {
                let msg = format!(
                    "RECURRENCE-ID {} is not an instance of the series",
                    rid.value
                );
                f.add(rid.line, "recurrence-id-no-match", msg);
            }
        }
    }
    let instances = rule.instances(INSTANCES_CHECKED).into_iter();
    instances
        .map(|dt| (r.line, local_to_timestamp(&tz, dt), tzid))
        .collect()
}

/// The VTIMEZONE's offset equals tzdb's at each time; the first difference of an event is
/// reported, the rest of its times are not checked.
fn check_offsets(
    times: &[ZonedTime],
    zones: &BTreeMap<&str, (Result<OffsetTable, String>, Option<TimeZone>)>,
    f: &mut Findings,
) {
    for &(line, ts, tzid) in times {
        let Some((Ok(vz), Some(tz))) = zones.get(tzid) else {
            continue;
        };
        match vz.offset_at(ts) {
            None => {
                let msg = format!("VTIMEZONE {tzid} has no observance before {}", ical_utc(ts));
                f.add(line, "vtimezone-starts-late", msg);
                return;
            }
            Some(o) if o != tz.to_offset(ts) => {
                let msg = format!(
                    "VTIMEZONE {tzid} gives {} at {}, tzdb {}",
                    vtimezone::format_offset(o),
                    ical_utc(ts),
                    vtimezone::format_offset(tz.to_offset(ts))
                );
                f.add(line, "vtimezone-mismatch", msg);
                return;
            }
            _ => {}
        }
    }
}
