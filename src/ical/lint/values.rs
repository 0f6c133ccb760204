//! Value syntax for the linter: DATE-TIME, UTC-OFFSET and DURATION values, and TEXT escapes.
//!
//! Takes: property values as they stand in a feed (unfolded, unescaped). Gives: whether they are
//! well formed, what they mean (local date-times, instants, offsets), and for TEXT values the
//! escaping findings as `(rule-id, message)` pairs for the caller to place.

use jiff::Timestamp;
use jiff::civil;
use jiff::tz::{Offset, TimeZone};

use super::parse::Prop;
use crate::recur::local_to_timestamp;

/// `YYYYMMDDTHHMMSS`, optionally followed by `Z`.
pub(super) fn is_datetime(v: &str) -> bool {
    let b = v.as_bytes();
    let body = v.strip_suffix('Z').unwrap_or(v).as_bytes();
    b.len() >= 15
        && body.len() == 15
        && body[8] == b'T'
        && body[..8].iter().all(u8::is_ascii_digit)
        && body[9..].iter().all(u8::is_ascii_digit)
}

/// The local date-time of a DATE-TIME value (a trailing `Z` is ignored).
pub(super) fn parse_local(v: &str) -> Option<civil::DateTime> {
    civil::DateTime::strptime("%Y%m%dT%H%M%S", v.strip_suffix('Z').unwrap_or(v)).ok()
}

/// `dt` read as a UTC date-time.
pub(super) fn utc_instant(dt: civil::DateTime) -> Option<Timestamp> {
    dt.to_zoned_datetime(TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// The instant of a DATE-TIME property (TZID or UTC), if it can be resolved.
pub(super) fn prop_instant(p: &Prop) -> Option<Timestamp> {
    let dt = parse_local(&p.value)?;
    if p.value.ends_with('Z') {
        return utc_instant(dt);
    }
    let tz = TimeZone::get(p.param("TZID")?).ok()?;
    Some(local_to_timestamp(&tz, dt))
}

/// `P…`: digits and the letters of a DURATION (`PT12H`, `P1DT2H`, `P2W`).
pub(super) fn is_duration(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("P") else {
        return false;
    };
    !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'W' | b'D' | b'T' | b'H' | b'M' | b'S'))
}

/// A UTC-OFFSET value: `+HHMM` or `-HHMMSS`.
pub(super) fn parse_utc_offset(s: &str) -> Option<Offset> {
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
    Offset::from_seconds(sign * (h * 3600 + m * 60 + sec)).ok()
}

/// Checks a TEXT value's escapes: `\\ \; \, \n \N` only, no bare `;`, and (unless it is a list)
/// no bare `,`. Returns (rule, message) pairs.
pub(super) fn check_text(v: &str, list: bool) -> Vec<(&'static str, String)> {
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
