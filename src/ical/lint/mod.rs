//! The linter.

mod parse;
mod rrule;
#[cfg(test)]
mod tests;

use super::*;
pub use parse::*;
use rrule::*;

fn is_datetime(v: &str) -> bool {
    let b = v.as_bytes();
    let body = v.strip_suffix('Z').unwrap_or(v).as_bytes();
    b.len() >= 15
        && body.len() == 15
        && body[8] == b'T'
        && body[..8].iter().all(u8::is_ascii_digit)
        && body[9..].iter().all(u8::is_ascii_digit)
}

fn parse_local(v: &str) -> Option<civil::DateTime> {
    civil::DateTime::strptime("%Y%m%dT%H%M%S", v.strip_suffix('Z').unwrap_or(v)).ok()
}

/// The instant of a DATE-TIME property (TZID or UTC), if it can be resolved.
fn prop_instant(p: &Prop) -> Option<Timestamp> {
    let dt = parse_local(&p.value)?;
    if p.value.ends_with('Z') {
        return dt
            .to_zoned_datetime(TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    let tz = TimeZone::get(p.param("TZID")?).ok()?;
    Some(local_to_timestamp(&tz, dt))
}

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

/// Checks a TEXT value's escapes: `\\ \; \, \n \N` only, no bare `;`, and (unless it is a list)
/// no bare `,`. Returns (rule, message) pairs.
fn check_text(v: &str, list: bool) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut chars = v.chars();
    let mut item_empty = true;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\' | ';' | ',' | 'n' | 'N') => item_empty = false,
                other => out.push((
                    "bad-escape",
                    format!(
                        "`\\{}` is not a TEXT escape",
                        other.map(String::from).unwrap_or_default()
                    ),
                )),
            },
            ';' => out.push((
                "unescaped-semicolon",
                "`;` in a TEXT value must be `\\;`".into(),
            )),
            ',' if list => {
                if item_empty {
                    out.push(("empty-list-item", "an empty item in a list".into()));
                }
                item_empty = true;
            }
            ',' => out.push((
                "unescaped-comma",
                "`,` in a TEXT value must be `\\,`".into(),
            )),
            _ => item_empty = false,
        }
    }
    if list && item_empty {
        out.push(("empty-list-item", "an empty item in a list".into()));
    }
    out
}

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

/// Checks a feed against the mechanically checkable items of `research/ical.md` §1. Each problem
/// is `line N: rule-id: message`; an empty list means the feed passed.
pub fn lint_feed(text: &str) -> Vec<String> {
    lint_feed_bytes(text.as_bytes())
}

/// [`lint_feed`] over raw bytes (a file read from disk, which may not be UTF-8).
pub fn lint_feed_bytes(bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    let top = parse_components(bytes, &mut problems);
    let mut p = |line: usize, rule: &str, msg: String| {
        problems.push(format!("line {line}: {rule}: {msg}"));
    };
    let cals: Vec<&Component> = top.iter().filter(|c| c.name == "VCALENDAR").collect();
    for c in top.iter().filter(|c| c.name != "VCALENDAR") {
        p(
            c.line,
            "outside-vcalendar",
            format!("{} outside VCALENDAR", c.name),
        );
    }
    match cals.len() {
        0 => p(1, "no-vcalendar", "no VCALENDAR".into()),
        1 => {}
        _ => p(
            cals[1].line,
            "multiple-vcalendar",
            "more than one VCALENDAR".into(),
        ),
    }
    let Some(cal) = cals.first() else {
        return problems;
    };

    // Text escaping and single-valued properties everywhere.
    fn walk<'a>(c: &'a Component, out: &mut Vec<&'a Component>) {
        out.push(c);
        for ch in &c.children {
            walk(ch, out);
        }
    }
    let mut all = Vec::new();
    walk(cal, &mut all);
    for c in &all {
        for prop in &c.props {
            if TEXT_PROPS.contains(&prop.name.as_str()) {
                for (rule, msg) in check_text(&prop.value, false) {
                    p(prop.line, rule, format!("{}: {msg}", prop.name));
                }
            }
            if prop.name == "CATEGORIES" {
                for (rule, msg) in check_text(&prop.value, true) {
                    p(prop.line, rule, format!("CATEGORIES: {msg}"));
                }
            }
            if prop.name == "URL" {
                if prop.value.contains('\\') {
                    p(
                        prop.line,
                        "uri-escaped",
                        "URL values are not backslash-escaped".into(),
                    );
                }
                if !prop.value.starts_with("https://") || prop.value.contains(char::is_whitespace) {
                    p(
                        prop.line,
                        "bad-uri",
                        format!("`{}` is not an https URL", prop.value),
                    );
                }
            }
        }
        if c.name != "VCALENDAR" {
            for name in SINGLE_PROPS {
                let n = c.props_named(name).count();
                if n > 1 {
                    p(
                        c.line,
                        "duplicate-prop",
                        format!("{name} appears {n} times in {}", c.name),
                    );
                }
            }
        }
        if c.name == "VALARM" {
            p(
                c.line,
                "has-valarm",
                "alarms are imposed on every subscriber".into(),
            );
        }
        for prop in &c.props {
            if prop.name == "ORGANIZER" || prop.name == "ATTENDEE" {
                p(
                    prop.line,
                    "has-attendees",
                    format!("{} turns events into invitations", prop.name),
                );
            }
        }
    }

    // Calendar properties.
    let calprop = |n: &str| cal.prop(n);
    match calprop("VERSION") {
        Some(v) if v.value == "2.0" => {}
        _ => p(cal.line, "version", "VERSION:2.0 is required".into()),
    }
    if calprop("PRODID").is_none_or(|v| v.value.is_empty()) {
        p(cal.line, "prodid", "PRODID is required".into());
    }
    if calprop("CALSCALE").is_none_or(|v| v.value != "GREGORIAN") {
        p(
            cal.line,
            "calscale",
            "CALSCALE:GREGORIAN is expected".into(),
        );
    }
    match calprop("METHOD") {
        None => p(
            cal.line,
            "method-missing",
            "METHOD:PUBLISH is expected".into(),
        ),
        Some(m) if m.value != "PUBLISH" => p(
            m.line,
            "method-not-publish",
            format!("METHOD:{} (expected PUBLISH)", m.value),
        ),
        _ => {}
    }
    if calprop("X-WR-CALNAME").is_none_or(|v| v.value.is_empty()) {
        p(
            cal.line,
            "calname-missing",
            "X-WR-CALNAME is missing".into(),
        );
    }
    let refresh = calprop("REFRESH-INTERVAL");
    let ttl = calprop("X-PUBLISHED-TTL");
    match refresh {
        None => p(
            cal.line,
            "refresh-missing",
            "REFRESH-INTERVAL is missing".into(),
        ),
        Some(r) => {
            if r.param("VALUE") != Some("DURATION") {
                p(
                    r.line,
                    "refresh-value-param",
                    "REFRESH-INTERVAL needs VALUE=DURATION".into(),
                );
            }
            if !is_duration(&r.value) {
                p(
                    r.line,
                    "bad-duration",
                    format!("`{}` is not a duration", r.value),
                );
            }
        }
    }
    match (ttl, refresh) {
        (None, _) => p(cal.line, "ttl-missing", "X-PUBLISHED-TTL is missing".into()),
        (Some(t), Some(r)) if t.value != r.value => p(
            t.line,
            "ttl-differs",
            format!(
                "X-PUBLISHED-TTL {} differs from REFRESH-INTERVAL {}",
                t.value, r.value
            ),
        ),
        _ => {}
    }
    if let Some(x) = calprop("X-WR-TIMEZONE")
        && TimeZone::get(&x.value).is_err()
    {
        p(
            x.line,
            "bad-x-wr-timezone",
            format!("`{}` is not an IANA zone", x.value),
        );
    }

    // Time zones.
    let mut vtz: BTreeMap<String, &Component> = BTreeMap::new();
    for z in cal.children.iter().filter(|c| c.name == "VTIMEZONE") {
        let Some(id) = z.prop("TZID") else {
            p(z.line, "vtimezone-invalid", "VTIMEZONE without TZID".into());
            continue;
        };
        if vtz.insert(id.value.clone(), z).is_some() {
            p(
                z.line,
                "duplicate-vtimezone",
                format!("a second VTIMEZONE for {}", id.value),
            );
        }
        for prop in &z.props {
            let ok = matches!(prop.name.as_str(), "TZID" | "LAST-MODIFIED" | "TZURL")
                || prop.name.starts_with("X-");
            if !ok {
                p(
                    prop.line,
                    "vtimezone-extra-prop",
                    format!("{} inside VTIMEZONE", prop.name),
                );
            }
        }
        if z.children.is_empty() {
            p(
                z.line,
                "vtimezone-invalid",
                "VTIMEZONE without STANDARD/DAYLIGHT".into(),
            );
        }
        for o in &z.children {
            if o.name != "STANDARD" && o.name != "DAYLIGHT" {
                p(
                    o.line,
                    "vtimezone-invalid",
                    format!("{} inside VTIMEZONE", o.name),
                );
                continue;
            }
            for req in ["DTSTART", "TZOFFSETFROM", "TZOFFSETTO"] {
                if o.prop(req).is_none() {
                    p(
                        o.line,
                        "vtimezone-invalid",
                        format!("{} without {req}", o.name),
                    );
                }
            }
            if let Some(d) = o.prop("DTSTART")
                && (!is_datetime(&d.value) || d.value.ends_with('Z'))
            {
                p(
                    d.line,
                    "vtimezone-invalid",
                    "an observance's DTSTART is a local date-time".into(),
                );
            }
            for prop in &o.props {
                let ok = matches!(
                    prop.name.as_str(),
                    "DTSTART"
                        | "TZOFFSETFROM"
                        | "TZOFFSETTO"
                        | "TZNAME"
                        | "RRULE"
                        | "RDATE"
                        | "COMMENT"
                ) || prop.name.starts_with("X-");
                if !ok {
                    p(
                        prop.line,
                        "vtimezone-extra-prop",
                        format!("{} inside {}", prop.name, o.name),
                    );
                }
            }
        }
    }

    // Events.
    let events: Vec<&Component> = cal.children.iter().filter(|c| c.name == "VEVENT").collect();
    let mut keys: BTreeMap<(String, Option<String>), usize> = BTreeMap::new();
    let mut masters: BTreeMap<String, &Component> = BTreeMap::new();
    for e in &events {
        for req in ["UID", "DTSTAMP", "DTSTART"] {
            if e.prop(req).is_none() {
                p(
                    e.line,
                    &format!("{}-missing", req.to_ascii_lowercase()),
                    format!("VEVENT without {req}"),
                );
            }
        }
        if let Some(uid) = e.prop("UID") {
            if uid.value.is_empty()
                || uid
                    .value
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control())
            {
                p(
                    uid.line,
                    "uid-chars",
                    format!("UID `{}` has spaces or control characters", uid.value),
                );
            }
            let rid = e.prop("RECURRENCE-ID").map(|r| r.value.clone());
            if let Some(first) = keys.insert((uid.value.clone(), rid.clone()), e.line) {
                let rule = if rid.is_some() {
                    "duplicate-override"
                } else {
                    "duplicate-uid"
                };
                p(
                    e.line,
                    rule,
                    format!("UID {} repeats the event of line {first}", uid.value),
                );
            }
            if rid.is_none() {
                masters.insert(uid.value.clone(), e);
            }
        }
        if let Some(s) = e.prop("DTSTAMP")
            && (!is_datetime(&s.value) || !s.value.ends_with('Z'))
        {
            p(s.line, "not-utc", "DTSTAMP must be a UTC date-time".into());
        }
        for name in ["DTSTART", "DTEND", "EXDATE", "RDATE", "RECURRENCE-ID"] {
            for prop in e.props_named(name) {
                if prop.param("VALUE") == Some("DATE") {
                    continue;
                }
                for v in prop.value.split(',') {
                    if !is_datetime(v) {
                        p(
                            prop.line,
                            "bad-datetime",
                            format!("{name} `{v}` is not a date-time"),
                        );
                        continue;
                    }
                    match (prop.param("TZID"), v.ends_with('Z')) {
                        (Some(_), true) => p(
                            prop.line,
                            "tzid-with-utc",
                            format!("{name} has TZID and a UTC value"),
                        ),
                        (None, false) => p(
                            prop.line,
                            "floating-time",
                            format!("{name} `{v}` has neither TZID nor Z"),
                        ),
                        _ => {}
                    }
                }
                if let Some(tzid) = prop.param("TZID") {
                    if tzid.starts_with('/') || TimeZone::get(tzid).is_err() {
                        p(
                            prop.line,
                            "tzid-not-iana",
                            format!("TZID `{tzid}` is not an IANA name"),
                        );
                    }
                    if !vtz.contains_key(tzid) {
                        p(
                            prop.line,
                            "tzid-no-vtimezone",
                            format!("TZID `{tzid}` has no VTIMEZONE in this file"),
                        );
                    }
                }
            }
        }
        let start = e.prop("DTSTART");
        match (e.prop("DTEND"), e.prop("DURATION")) {
            (Some(_), Some(d)) => p(
                d.line,
                "dtend-and-duration",
                "both DTEND and DURATION".into(),
            ),
            (None, None) => p(e.line, "no-end", "VEVENT without DTEND".into()),
            (Some(end), None) => {
                if let Some(start) = start {
                    if start.param("TZID") != end.param("TZID") {
                        p(
                            end.line,
                            "dtend-tzid-differs",
                            "DTEND's TZID differs from DTSTART's".into(),
                        );
                    }
                    if start.param("VALUE") != end.param("VALUE")
                        || start.value.ends_with('Z') != end.value.ends_with('Z')
                    {
                        p(
                            end.line,
                            "dtend-type-mismatch",
                            "DTEND's type differs from DTSTART's".into(),
                        );
                    }
                    if let (Some(a), Some(b)) = (prop_instant(start), prop_instant(end))
                        && b <= a
                    {
                        p(
                            end.line,
                            "dtend-not-after-dtstart",
                            "DTEND is not after DTSTART".into(),
                        );
                    }
                }
            }
            (None, Some(d)) => {
                if !is_duration(&d.value) {
                    p(
                        d.line,
                        "bad-duration",
                        format!("`{}` is not a duration", d.value),
                    );
                }
            }
        }
        if let Some(seq) = e.prop("SEQUENCE")
            && seq.value.parse::<u32>().is_err()
        {
            p(
                seq.line,
                "bad-sequence",
                format!("SEQUENCE `{}` is not a non-negative integer", seq.value),
            );
        }
        if let Some(st) = e.prop("STATUS")
            && !matches!(st.value.as_str(), "TENTATIVE" | "CONFIRMED" | "CANCELLED")
        {
            p(st.line, "bad-status", format!("STATUS `{}`", st.value));
        }
        if e.prop("SUMMARY").is_none_or(|s| s.value.trim().is_empty()) {
            p(e.line, "summary-missing", "VEVENT without SUMMARY".into());
        }
        if e.prop("URL").is_none() {
            p(e.line, "url-missing", "VEVENT without URL".into());
        }
        if e.prop("CATEGORIES").is_none() {
            p(
                e.line,
                "categories-missing",
                "VEVENT without CATEGORIES".into(),
            );
        }
        if e.prop("EXRULE").is_some() {
            p(e.line, "exrule", "EXRULE is deprecated".into());
        }
        let rrules: Vec<&Prop> = e.props_named("RRULE").collect();
        if rrules.len() > 1 {
            p(
                rrules[1].line,
                "multiple-rrule",
                "more than one RRULE".into(),
            );
        }
        if let Some(r) = rrules.first() {
            if e.prop("RECURRENCE-ID").is_some() {
                p(
                    r.line,
                    "override-has-rrule",
                    "an override carries an RRULE".into(),
                );
            }
            for (rule, msg) in check_rrule(&r.value, start) {
                p(r.line, rule, msg);
            }
        }
    }
    // Overrides against their masters.
    for e in &events {
        let (Some(uid), Some(rid)) = (e.prop("UID"), e.prop("RECURRENCE-ID")) else {
            continue;
        };
        if rid.param("RANGE").is_some() {
            p(
                rid.line,
                "range-thisandfuture",
                "RECURRENCE-ID with RANGE".into(),
            );
        }
        let Some(m) = masters.get(&uid.value) else {
            p(
                e.line,
                "orphan-override",
                format!("override of {} without its series", uid.value),
            );
            continue;
        };
        if let Some(ms) = m.prop("DTSTART") {
            if ms.param("TZID") != rid.param("TZID") {
                p(
                    rid.line,
                    "recurrence-id-tzid-differs",
                    "RECURRENCE-ID's TZID differs from the series' DTSTART".into(),
                );
            }
            if ms.value.ends_with('Z') != rid.value.ends_with('Z') {
                p(
                    rid.line,
                    "recurrence-id-type-mismatch",
                    "RECURRENCE-ID's type differs from the series' DTSTART".into(),
                );
            }
        }
        if m.props_named("EXDATE")
            .any(|x| x.value.split(',').any(|v| v == rid.value))
        {
            p(
                rid.line,
                "override-of-exdate",
                "the overridden instance is excluded by EXDATE".into(),
            );
        }
        let seq = |c: &Component| {
            c.prop("SEQUENCE")
                .and_then(|s| s.value.parse::<u32>().ok())
                .unwrap_or(0)
        };
        if seq(e) < seq(m) {
            p(
                e.line,
                "override-sequence-lower",
                "an override's SEQUENCE is lower than its series'".into(),
            );
        }
        for req in ["SUMMARY", "DESCRIPTION", "URL", "CATEGORIES"] {
            if m.prop(req).is_some() && e.prop(req).is_none() {
                p(
                    e.line,
                    "override-incomplete",
                    format!("override without {req} (nothing is inherited)"),
                );
            }
        }
    }
    for e in &events {
        if let Some(m) = e.prop("UID").filter(|_| e.prop("RECURRENCE-ID").is_none())
            && let Some(start) = e.prop("DTSTART")
        {
            for x in e.props_named("EXDATE") {
                if x.param("TZID") != start.param("TZID") {
                    p(
                        x.line,
                        "exdate-tzid-differs",
                        format!("EXDATE of {} has another TZID than DTSTART", m.value),
                    );
                }
            }
        }
    }

    // Recurrence instances and zone offsets, for the rule shapes mcpsite writes.
    let zones: BTreeMap<&str, Result<vtimezone::VTimezone, String>> = vtz
        .iter()
        .map(|(id, z)| (id.as_str(), vtimezone_from_component(z)))
        .collect();
    for e in &events {
        // Every zoned time used, and the instances of a series.
        let mut times: Vec<(usize, Timestamp, &str)> = Vec::new();
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
        if let (Some(start), Some(r)) = (e.prop("DTSTART"), e.prop("RRULE"))
            && let Some(tzid) = start.param("TZID")
            && let Ok(tz) = TimeZone::get(tzid)
            && let Some(dt) = parse_local(&start.value)
            && let Some(rule) = SimpleRule::parse(&r.value, dt, tz.clone())
        {
            if !rule.contains(dt) {
                p(
                    start.line,
                    "dtstart-not-in-rrule",
                    format!("DTSTART {} is not an instance of {}", start.value, r.value),
                );
            }
            for x in e.props_named("EXDATE") {
                for v in x.value.split(',') {
                    if parse_local(v).is_none_or(|d| !rule.contains(d)) {
                        p(
                            x.line,
                            "exdate-no-match",
                            format!("EXDATE {v} is not an instance of the series"),
                        );
                    }
                }
            }
            if let Some(uid) = e.prop("UID") {
                for o in &events {
                    if o.prop("UID").is_some_and(|u| u.value == uid.value)
                        && let Some(rid) = o.prop("RECURRENCE-ID")
                        && rid.param("TZID") == Some(tzid)
                        && parse_local(&rid.value).is_none_or(|d| !rule.contains(d))
                    {
                        p(
                            rid.line,
                            "recurrence-id-no-match",
                            format!(
                                "RECURRENCE-ID {} is not an instance of the series",
                                rid.value
                            ),
                        );
                    }
                }
            }
            for dt in rule.instances(156) {
                times.push((r.line, local_to_timestamp(&tz, dt), tzid));
            }
        }
        for (line, ts, tzid) in times {
            let Some(Ok(vz)) = zones.get(tzid) else {
                continue;
            };
            let Ok(tz) = TimeZone::get(tzid) else {
                continue;
            };
            match vz.offset_at(ts) {
                None => {
                    p(
                        line,
                        "vtimezone-starts-late",
                        format!("VTIMEZONE {tzid} has no observance before {}", ical_utc(ts)),
                    );
                    break;
                }
                Some(o) if o != tz.to_offset(ts) => {
                    p(
                        line,
                        "vtimezone-mismatch",
                        format!(
                            "VTIMEZONE {tzid} gives {} at {}, tzdb {}",
                            vtimezone::format_offset(o),
                            ical_utc(ts),
                            vtimezone::format_offset(tz.to_offset(ts))
                        ),
                    );
                    break;
                }
                _ => {}
            }
        }
    }
    problems
}

/// Reads a VTIMEZONE back into observances, for the RRULE form (`FREQ=YEARLY;BYMONTH;BYDAY`,
/// optional UNTIL) or single onsets. Other forms (RDATE lists) are not evaluated.
pub fn vtimezone_from_component(z: &Component) -> Result<vtimezone::VTimezone, String> {
    let tzid = z.prop("TZID").ok_or("no TZID")?.value.clone();
    let mut observances = Vec::new();
    for o in &z.children {
        let kind = match o.name.as_str() {
            "STANDARD" => vtimezone::ObservanceKind::Standard,
            "DAYLIGHT" => vtimezone::ObservanceKind::Daylight,
            other => return Err(format!("{other} in VTIMEZONE")),
        };
        if o.prop("RDATE").is_some() {
            return Err("RDATE".into());
        }
        let get = |n: &str| o.prop(n).map(|p| p.value.as_str()).ok_or(format!("no {n}"));
        let dtstart = parse_local(get("DTSTART")?).ok_or("bad DTSTART")?;
        let rule = match o.prop("RRULE") {
            None => None,
            Some(r) => {
                let mut month = None;
                let mut byday = None;
                let mut until = None;
                for kv in r.value.split(';') {
                    let (k, v) = kv.split_once('=').ok_or("bad RRULE")?;
                    match k {
                        "FREQ" if v == "YEARLY" => {}
                        "BYMONTH" => month = v.parse().ok(),
                        "BYDAY" => byday = Some(v),
                        "UNTIL" => {
                            let dt = parse_local(v.strip_suffix('Z').ok_or("local UNTIL")?)
                                .ok_or("bad UNTIL")?;
                            until = dt
                                .to_zoned_datetime(TimeZone::UTC)
                                .ok()
                                .map(|z| z.timestamp());
                        }
                        _ => return Err(format!("unsupported RRULE part {kv}")),
                    }
                }
                let byday = byday.ok_or("no BYDAY")?;
                let rule = SimpleRule::parse(
                    &format!("FREQ=MONTHLY;BYDAY={byday}"),
                    dtstart,
                    TimeZone::UTC,
                )
                .ok_or("bad BYDAY")?;
                Some(vtimezone::YearlyRule {
                    month: month.ok_or("no BYMONTH")?,
                    nth: rule.nth,
                    weekday: rule.weekday,
                    until,
                })
            }
        };
        observances.push(vtimezone::Observance {
            kind,
            dtstart,
            offset_from: parse_utc_offset(get("TZOFFSETFROM")?).ok_or("bad TZOFFSETFROM")?,
            offset_to: parse_utc_offset(get("TZOFFSETTO")?).ok_or("bad TZOFFSETTO")?,
            tzname: o
                .prop("TZNAME")
                .map(|p| p.value.clone())
                .unwrap_or_default(),
            rule,
        });
    }
    Ok(vtimezone::VTimezone { tzid, observances })
}

fn parse_utc_offset(s: &str) -> Option<jiff::tz::Offset> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let d = &s[1..];
    if !(d.len() == 4 || d.len() == 6) || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = d[0..2].parse().ok()?;
    let m: i32 = d[2..4].parse().ok()?;
    let sec: i32 = if d.len() == 6 {
        d[4..6].parse().ok()?
    } else {
        0
    };
    jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60 + sec)).ok()
}

fn is_duration(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("P") else {
        return false;
    };
    !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'W' | b'D' | b'T' | b'H' | b'M' | b'S'))
}
