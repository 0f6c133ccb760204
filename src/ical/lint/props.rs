//! Property checks: every property's value wherever it stands, and the VCALENDAR's own
//! properties.
//!
//! Takes: the parsed VCALENDAR. Gives: findings for TEXT escaping (`unescaped-comma`,
//! `unescaped-semicolon`, `bad-escape`, `empty-list-item`), URLs (`uri-escaped`, `bad-uri`),
//! single-valued properties given twice (`duplicate-prop`), invitations and alarms
//! (`has-attendees`, `has-valarm`), and the calendar's VERSION, PRODID, CALSCALE, METHOD, name,
//! refresh interval and X-WR-TIMEZONE.

use jiff::tz::TimeZone;

use super::Findings;
use super::parse::{Component, Prop};
use super::values::{check_text, is_duration};

/// TEXT properties checked for escaping.
const TEXT_PROPS: &[&str] = &[
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "NAME",
    "X-WR-CALNAME",
    "X-WR-CALDESC",
    "COMMENT",
    "TZNAME",
];

/// Properties a component (other than VCALENDAR) may carry at most once.
const SINGLE_PROPS: &[&str] = &[
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "DURATION",
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "URL",
    "SEQUENCE",
    "STATUS",
    "RECURRENCE-ID",
    "CLASS",
    "CREATED",
    "LAST-MODIFIED",
    "TRANSP",
];

/// `cal` and every component inside it, parents first.
fn all_components(cal: &Component) -> Vec<&Component> {
    fn walk<'a>(c: &'a Component, out: &mut Vec<&'a Component>) {
        out.push(c);
        for ch in &c.children {
            walk(ch, out);
        }
    }
    let mut all = Vec::new();
    walk(cal, &mut all);
    all
}

/// Values, single-valued properties, alarms and attendees in every component.
pub(super) fn check_every_component(cal: &Component, f: &mut Findings) {
    for c in all_components(cal) {
        for prop in &c.props {
            check_value(prop, f);
        }
        if c.name != "VCALENDAR" {
            for name in SINGLE_PROPS {
                let n = c.props_named(name).count();
                if n > 1 {
                    let msg = format!("{name} appears {n} times in {}", c.name);
                    f.add(c.line, "duplicate-prop", msg);
                }
            }
        }
        if c.name == "VALARM" {
            f.add(
                c.line,
                "has-valarm",
                "alarms are imposed on every subscriber",
            );
        }
        for prop in &c.props {
            if prop.name == "ORGANIZER" || prop.name == "ATTENDEE" {
                let msg = format!("{} turns events into invitations", prop.name);
                f.add(prop.line, "has-attendees", msg);
            }
        }
    }
}

/// TEXT escaping (CATEGORIES as a list) and URLs: absolute `https:`, not backslash-escaped.
fn check_value(prop: &Prop, f: &mut Findings) {
    if TEXT_PROPS.contains(&prop.name.as_str()) {
        for (rule, msg) in check_text(&prop.value, false) {
            f.add(prop.line, rule, format!("{}: {msg}", prop.name));
        }
    }
    if prop.name == "CATEGORIES" {
        for (rule, msg) in check_text(&prop.value, true) {
            f.add(prop.line, rule, format!("CATEGORIES: {msg}"));
        }
    }
    if prop.name == "URL" {
        if prop.value.contains('\\') {
            f.add(
                prop.line,
                "uri-escaped",
                "URL values are not backslash-escaped",
            );
        }
        if !prop.value.starts_with("https://") || prop.value.contains(char::is_whitespace) {
            let msg = format!("`{}` is not an https URL", prop.value);
            f.add(prop.line, "bad-uri", msg);
        }
    }
}

/// The VCALENDAR's own properties.
pub(super) fn check_calendar(cal: &Component, f: &mut Findings) {
    let calprop = |n: &str| cal.prop(n);
    match calprop("VERSION") {
        Some(v) if v.value == "2.0" => {}
        _ => f.add(cal.line, "version", "VERSION:2.0 is required"),
    }
    if calprop("PRODID").is_none_or(|v| v.value.is_empty()) {
        f.add(cal.line, "prodid", "PRODID is required");
    }
    if calprop("CALSCALE").is_none_or(|v| v.value != "GREGORIAN") {
        f.add(cal.line, "calscale", "CALSCALE:GREGORIAN is expected");
    }
    match calprop("METHOD") {
        None => f.add(cal.line, "method-missing", "METHOD:PUBLISH is expected"),
        Some(m) if m.value != "PUBLISH" => {
            let msg = format!("METHOD:{} (expected PUBLISH)", m.value);
            f.add(m.line, "method-not-publish", msg);
        }
        _ => {}
    }
    if calprop("X-WR-CALNAME").is_none_or(|v| v.value.is_empty()) {
        f.add(cal.line, "calname-missing", "X-WR-CALNAME is missing");
    }
    check_refresh(cal, f);
    if let Some(x) = calprop("X-WR-TIMEZONE")
        && TimeZone::get(&x.value).is_err()
    {
        let msg = format!("`{}` is not an IANA zone", x.value);
        f.add(x.line, "bad-x-wr-timezone", msg);
    }
}

/// REFRESH-INTERVAL (a DURATION, with `VALUE=DURATION`) and X-PUBLISHED-TTL, equal.
fn check_refresh(cal: &Component, f: &mut Findings) {
    let refresh = cal.prop("REFRESH-INTERVAL");
    let ttl = cal.prop("X-PUBLISHED-TTL");
    match refresh {
        None => f.add(cal.line, "refresh-missing", "REFRESH-INTERVAL is missing"),
        Some(r) => {
            if r.param("VALUE") != Some("DURATION") {
                let msg = "REFRESH-INTERVAL needs VALUE=DURATION";
                f.add(r.line, "refresh-value-param", msg);
            }
            if !is_duration(&r.value) {
                f.add(
                    r.line,
                    "bad-duration",
                    format!("`{}` is not a duration", r.value),
                );
            }
        }
    }
    match (ttl, refresh) {
        (None, _) => f.add(cal.line, "ttl-missing", "X-PUBLISHED-TTL is missing"),
        (Some(t), Some(r)) if t.value != r.value => {
            let msg = format!(
                "X-PUBLISHED-TTL {} differs from REFRESH-INTERVAL {}",
                t.value, r.value
            );
            f.add(t.line, "ttl-differs", msg);
        }
        _ => {}
    }
}
