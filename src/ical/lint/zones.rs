//! VTIMEZONE checks: each component's shape, and reading it back into observances.
//!
//! Takes: the parsed VCALENDAR. Gives: its VTIMEZONEs by TZID, with findings for a missing or
//! repeated TZID, a component without observances or with properties a VTIMEZONE must not carry
//! (`vtimezone-invalid`, `duplicate-vtimezone`, `vtimezone-extra-prop`); and
//! [`vtimezone_from_component`], which reads one back into the writer's [`VTimezone`] model so that
//! [`super::instances`] can compare its offsets with tzdb's.

use std::collections::BTreeMap;

use super::Findings;
use super::parse::Component;
use super::rrule::parse_byday;
use super::values::{is_datetime, parse_local, parse_utc_offset, utc_instant};
use crate::ical::vtimezone::{Observance, ObservanceKind, VTimezone, YearlyRule};

/// The calendar's VTIMEZONEs by TZID (the first of each), checked.
pub(super) fn check_vtimezones<'c>(
    cal: &'c Component,
    f: &mut Findings,
) -> BTreeMap<String, &'c Component> {
    let mut vtz: BTreeMap<String, &Component> = BTreeMap::new();
    for z in cal.children.iter().filter(|c| c.name == "VTIMEZONE") {
        let Some(id) = z.prop("TZID") else {
            f.add(z.line, "vtimezone-invalid", "VTIMEZONE without TZID");
            continue;
        };
        if vtz.insert(id.value.clone(), z).is_some() {
            let msg = format!("a second VTIMEZONE for {}", id.value);
            f.add(z.line, "duplicate-vtimezone", msg);
        }
        only_props(z, &["TZID", "LAST-MODIFIED", "TZURL"], f);
        if z.children.is_empty() {
            let msg = "VTIMEZONE without STANDARD/DAYLIGHT";
            f.add(z.line, "vtimezone-invalid", msg);
        }
        for o in &z.children {
            check_observance(o, f);
        }
    }
    vtz
}

/// `c` carries no properties but `allowed` and `X-` ones.
fn only_props(c: &Component, allowed: &[&str], f: &mut Findings) {
    for prop in &c.props {
        if !allowed.contains(&prop.name.as_str()) && !prop.name.starts_with("X-") {
            let msg = format!("{} inside {}", prop.name, c.name);
            f.add(prop.line, "vtimezone-extra-prop", msg);
        }
    }
}

/// A STANDARD or DAYLIGHT: its required properties, a local DTSTART, nothing else.
fn check_observance(o: &Component, f: &mut Findings) {
    if o.name != "STANDARD" && o.name != "DAYLIGHT" {
        f.add(
            o.line,
            "vtimezone-invalid",
            format!("{} inside VTIMEZONE", o.name),
        );
        return;
    }
    for req in ["DTSTART", "TZOFFSETFROM", "TZOFFSETTO"] {
        if o.prop(req).is_none() {
            let msg = format!("{} without {req}", o.name);
            f.add(o.line, "vtimezone-invalid", msg);
        }
    }
    if let Some(d) = o.prop("DTSTART")
        && (!is_datetime(&d.value) || d.value.ends_with('Z'))
    {
        let msg = "an observance's DTSTART is a local date-time";
        f.add(d.line, "vtimezone-invalid", msg);
    }
    let allowed = [
        "DTSTART",
        "TZOFFSETFROM",
        "TZOFFSETTO",
        "TZNAME",
        "RRULE",
        "RDATE",
        "COMMENT",
    ];
    only_props(o, &allowed, f);
}

/// Reads a VTIMEZONE back into observances, for the RRULE form (`FREQ=YEARLY;BYMONTH;BYDAY`,
/// optional UNTIL) or single onsets. Other forms (RDATE lists) are not evaluated: the error says
/// which part was not understood.
pub(super) fn vtimezone_from_component(z: &Component) -> Result<VTimezone, String> {
    let tzid = z.prop("TZID").ok_or("no TZID")?.value.clone();
    let observances = z
        .children
        .iter()
        .map(observance_from_component)
        .collect::<Result<_, _>>()?;
    Ok(VTimezone { tzid, observances })
}

fn observance_from_component(o: &Component) -> Result<Observance, String> {
    let kind = match o.name.as_str() {
        "STANDARD" => ObservanceKind::Standard,
        "DAYLIGHT" => ObservanceKind::Daylight,
        other => return Err(format!("{other} in VTIMEZONE")),
    };
    if o.prop("RDATE").is_some() {
        return Err("RDATE".into());
    }
    let get = |n: &str| o.prop(n).map(|p| p.value.as_str()).ok_or(format!("no {n}"));
    let dtstart = parse_local(get("DTSTART")?).ok_or("bad DTSTART")?;
    let rule = match o.prop("RRULE") {
        None => None,
        Some(r) => Some(yearly_rule(&r.value)?),
    };
    Ok(Observance {
        kind,
        dtstart,
        offset_from: parse_utc_offset(get("TZOFFSETFROM")?).ok_or("bad TZOFFSETFROM")?,
        offset_to: parse_utc_offset(get("TZOFFSETTO")?).ok_or("bad TZOFFSETTO")?,
        tzname: o
            .prop("TZNAME")
            .map(|p| p.value.clone())
            .unwrap_or_default(),
        rule,
    })
}

/// `FREQ=YEARLY;BYMONTH=m;BYDAY=nWD[;UNTIL=…Z]`.
fn yearly_rule(v: &str) -> Result<YearlyRule, String> {
    let mut month = None;
    let mut byday = None;
    let mut until = None;
    for kv in v.split(';') {
        let (k, v) = kv.split_once('=').ok_or("bad RRULE")?;
        match k {
            "FREQ" if v == "YEARLY" => {}
            "BYMONTH" => month = v.parse().ok(),
            "BYDAY" => byday = Some(v),
            "UNTIL" => {
                let local = v.strip_suffix('Z').ok_or("local UNTIL")?;
                until = utc_instant(parse_local(local).ok_or("bad UNTIL")?);
            }
            _ => return Err(format!("unsupported RRULE part {kv}")),
        }
    }
    let byday = byday.ok_or("no BYDAY")?;
    let (nth, weekday) = parse_byday(byday)
        .and_then(|(n, wd)| Some((n.parse().ok()?, wd)))
        .ok_or("bad BYDAY")?;
    Ok(YearlyRule {
        month: month.ok_or("no BYMONTH")?,
        nth,
        weekday,
        until,
    })
}
