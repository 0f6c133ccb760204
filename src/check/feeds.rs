//! The built feeds: each parses back as iCalendar, and `--previous` keeps UIDs and SEQUENCE
//! honest.
//!
//! Takes: each built `*.ics` as it is made (see [`super::inspect`]), and optionally an earlier
//! `calendar.ics`. Gives: `feed-invalid` for a feed the `ical` crate (standing in for a
//! subscriber's client) cannot read, `feed-sequence-not-raised` for a series (same UID, same
//! RECURRENCE-ID) whose DTSTART, DTEND, DURATION, RRULE, RDATE, EXDATE or STATUS changed while
//! its SEQUENCE did not rise (RFC 5546; clients such as Google Calendar ignore such updates),
//! and `feed-uid-removed` for a series of the earlier feed that is gone.

use std::collections::{BTreeMap, HashSet};
use std::io::BufReader;
use std::path::Path;

use anyhow::{Context as _, bail};

use super::Sink;
use crate::diag::Pos;

/// The aggregate feed `--previous` is compared with.
pub const AGGREGATE: &str = "calendar.ics";

/// Properties whose change must raise SEQUENCE (RFC 5546 §2.1.4).
const SEQUENCED: [&str; 7] = [
    "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "STATUS",
];

/// One VEVENT as the comparison sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// The SUMMARY, if any.
    pub summary: Option<String>,
    /// The SEQUENCE (0 when absent).
    pub sequence: i64,
    /// The sequenced properties, each as `NAME;PARAM=…:VALUE`, sorted.
    pub sequenced: Vec<String>,
}

/// A parsed feed: `(UID, RECURRENCE-ID or "")` → component.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    /// Every VEVENT, by UID and RECURRENCE-ID.
    pub events: BTreeMap<(String, String), Component>,
    /// 1-based physical line of each UID's first `UID:` property.
    pub uid_lines: BTreeMap<String, usize>,
}

impl Feed {
    /// Every UID once, in order.
    pub fn uids(&self) -> impl Iterator<Item = &str> {
        let mut last: Option<&str> = None;
        self.events.keys().filter_map(move |(u, _)| {
            if last == Some(u.as_str()) {
                None
            } else {
                last = Some(u.as_str());
                Some(u.as_str())
            }
        })
    }
}

fn prop_string(p: &ical::property::Property) -> String {
    let mut s = p.name.clone();
    let mut params: Vec<String> = p
        .params
        .iter()
        .flatten()
        .map(|(k, v)| format!("{}={}", k.to_ascii_uppercase(), v.join(",")))
        .collect();
    params.sort();
    for param in params {
        s.push(';');
        s.push_str(&param);
    }
    s.push(':');
    s.push_str(p.value.as_deref().unwrap_or(""));
    s
}

/// Parses a feed with the `ical` crate. The error says why a client would reject it.
pub fn parse_feed(text: &str) -> Result<Feed, String> {
    let mut feed = Feed::default();
    let mut calendars = 0;
    for cal in ical::IcalParser::new(BufReader::new(text.as_bytes())) {
        let cal = cal.map_err(|e| e.to_string())?;
        calendars += 1;
        for (n, ev) in cal.events.iter().enumerate() {
            let (key, component) = component_of(n, ev)?;
            if feed.events.contains_key(&key) {
                let (uid, rid) = key;
                let and_rid = if rid.is_empty() {
                    String::new()
                } else {
                    format!(" and {rid}")
                };
                return Err(format!("two events have UID {uid}{and_rid}"));
            }
            feed.events.insert(key, component);
        }
    }
    if calendars == 0 {
        return Err("no VCALENDAR in the file".into());
    }
    feed.uid_lines = uid_lines(text);
    Ok(feed)
}

/// The `n`th event of a calendar as the comparison keys and sees it.
fn component_of(
    n: usize,
    ev: &ical::parser::ical::component::IcalEvent,
) -> Result<((String, String), Component), String> {
    let get = |name: &str| {
        ev.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    let Some(uid) = get("UID") else {
        return Err(format!("event #{} has no UID", n + 1));
    };
    let rid = ev
        .properties
        .iter()
        .find(|p| p.name == "RECURRENCE-ID")
        .map(prop_string)
        .unwrap_or_default();
    let sequence = match get("SEQUENCE") {
        None => 0,
        Some(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("event {uid} has SEQUENCE `{s}`, not a number"))?,
    };
    let mut sequenced: Vec<String> = ev
        .properties
        .iter()
        .filter(|p| SEQUENCED.contains(&p.name.as_str()))
        .map(prop_string)
        .collect();
    sequenced.sort();
    let component = Component {
        summary: get("SUMMARY"),
        sequence,
        sequenced,
    };
    Ok(((uid, rid), component))
}

/// The physical line of each UID's first `UID:` property, for locating findings (a folded line
/// continues with a space or a tab).
fn uid_lines(text: &str) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    let mut logical = String::new();
    let mut start_line = 0;
    let mut flush = |logical: &str, line: usize| {
        if let Some(uid) = logical.strip_prefix("UID:") {
            lines.entry(uid.to_string()).or_insert(line);
        }
    };
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(cont) = line.strip_prefix([' ', '\t']) {
            logical.push_str(cont);
        } else {
            flush(&logical, start_line);
            logical = line.to_string();
            start_line = i + 1;
        }
    }
    flush(&logical, start_line);
    lines
}

/// Reads the earlier feed given to `--previous`. A missing or unreadable file is a failure of
/// the run, not a finding.
pub fn read_previous(path: &Path) -> anyhow::Result<Feed> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    match parse_feed(&text) {
        Ok(f) => Ok(f),
        Err(e) => bail!(
            "{} is not a feed the ical crate can read: {e}",
            path.display()
        ),
    }
}

/// What the feed check found in one built feed: its lint findings in line order, or why it
/// does not parse back.
pub type FeedFindings = Result<Vec<(Pos, String)>, String>;

/// Reports what [`feed_findings`] found in the feed at `path`.
pub fn report_feed(path: &str, found: FeedFindings, sink: &mut Sink) {
    match found {
        Err(e) => sink.emit(
            "feed-invalid",
            path,
            Pos { line: 1, col: 1 },
            format!("the feed does not parse back: {e}"),
            "this is a bug in the feed writer or a static .ics file; subscribers' calendars would reject the feed",
        ),
        Ok(problems) => {
            for (pos, message) in problems {
                sink.emit(
                    "feed-lint",
                    path,
                    pos,
                    message,
                    "calendar clients may misread the feed; docs/calendar-feeds.md explains each finding",
                );
            }
        }
    }
}

/// One feed's lint findings in line order, or why it does not parse back; and, with `keep`,
/// the feed as parsed, when it does.
pub fn feed_findings(bytes: &[u8], keep: bool) -> (FeedFindings, Option<Feed>) {
    match parse_feed(&String::from_utf8_lossy(bytes)) {
        Ok(feed) => {
            // Dropped before the lint (which builds its own tree of the feed) unless kept: the
            // aggregate feed of 100,000 groups parses into some 70 MB.
            let feed = keep.then_some(feed);
            (Ok(lint_findings(bytes)), feed)
        }
        Err(e) => (Err(e), None),
    }
}

/// The checklist's findings on a feed that parses, in line order.
fn lint_findings(bytes: &[u8]) -> Vec<(Pos, String)> {
    let problems = crate::ical::lint_feed_bytes(bytes)
        .into_iter()
        .map(|problem| {
            // "line N: rule-id: message"
            let (line, rest) = problem
                .strip_prefix("line ")
                .and_then(|r| r.split_once(": "))
                .and_then(|(n, rest)| n.parse::<usize>().ok().map(|n| (n, rest)))
                .unwrap_or((1, problem.as_str()));
            (Pos { line, col: 1 }, rest.to_string())
        });
    problems.collect()
}

/// Compares the built `calendar.ics` (`new`) with an earlier one.
pub fn compare_previous(prev: &Feed, new: &Feed, sink: &mut Sink) {
    removed_series(prev, new, sink);
    let line_of = |uid: &str| Pos {
        line: new.uid_lines.get(uid).copied().unwrap_or(1),
        col: 1,
    };
    for ((uid, rid), old) in &prev.events {
        match new.events.get(&(uid.clone(), rid.clone())) {
            Some(cur) => sequence_raised(uid, rid, old, cur, line_of(uid), sink),
            None if !rid.is_empty() => override_removed(prev, new, uid, rid, line_of(uid), sink),
            None => {}
        }
    }
}

/// Each series of the earlier feed that the built one no longer has.
fn removed_series(prev: &Feed, new: &Feed, sink: &mut Sink) {
    let new_uids: HashSet<&str> = new.uids().collect();
    for uid in prev.uids().filter(|uid| !new_uids.contains(uid)) {
        let summary = prev
            .events
            .get(&(uid.to_string(), String::new()))
            .and_then(|c| c.summary.clone())
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        sink.emit(
            "feed-uid-removed",
            AGGREGATE,
            Pos { line: 1, col: 1 },
            format!("series {uid}{summary} of the earlier feed is gone"),
            "end a series with `until` instead of deleting the schedule, so subscribers keep its past meetings; never change a schedule's `id`",
        );
    }
}

/// An event in both feeds (a series, or an override `rid` of one) whose SEQUENCE went down, or
/// stayed while what it sequences changed.
fn sequence_raised(
    uid: &str,
    rid: &str,
    old: &Component,
    cur: &Component,
    at: Pos,
    sink: &mut Sink,
) {
    let what = if rid.is_empty() {
        format!("series {uid}")
    } else {
        format!("the override {rid} of {uid}")
    };
    if cur.sequence < old.sequence {
        sink.emit(
            "feed-sequence-not-raised",
            AGGREGATE,
            at,
            format!(
                "{what}: SEQUENCE went down from {} to {}",
                old.sequence, cur.sequence
            ),
            "SEQUENCE only ever rises; set the schedule's `sequence` above the published value",
        );
    } else if cur.sequenced != old.sequenced && cur.sequence == old.sequence {
        let changed = changed_names(&old.sequenced, &cur.sequenced);
        sink.emit(
            "feed-sequence-not-raised",
            AGGREGATE,
            at,
            format!(
                "{what}: {} changed but SEQUENCE stayed {}",
                changed.join(", "),
                cur.sequence
            ),
            format!(
                "raise `sequence` of the schedule (or meeting) to {}, or calendar clients keep the old times",
                cur.sequence + 1
            ),
        );
    }
}

/// A moved occurrence (the override `rid` of series `uid`) that went back to its series: the
/// series must announce it with a higher SEQUENCE.
fn override_removed(prev: &Feed, new: &Feed, uid: &str, rid: &str, at: Pos, sink: &mut Sink) {
    let master = |feed: &Feed| {
        feed.events
            .get(&(uid.to_string(), String::new()))
            .map(|c| c.sequence)
    };
    let (Some(now), Some(before)) = (master(new), master(prev)) else {
        return;
    };
    if now <= before {
        sink.emit(
            "feed-sequence-not-raised",
            AGGREGATE,
            at,
            format!(
                "the override {rid} of {uid} was removed but the series' SEQUENCE stayed {now}"
            ),
            format!(
                "raise the schedule's `sequence` to {} so clients drop the moved copy",
                before + 1
            ),
        );
    }
}

fn changed_names(old: &[String], new: &[String]) -> Vec<String> {
    let name = |s: &String| s.split([';', ':']).next().unwrap_or_default().to_string();
    let mut names: Vec<String> = old
        .iter()
        .filter(|p| !new.contains(p))
        .chain(new.iter().filter(|p| !old.contains(p)))
        .map(name)
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn feed(events: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{events}END:VCALENDAR\r\n")
    }

    fn ev(uid: &str, seq: u32, start: &str, extra: &str) -> String {
        format!(
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSEQUENCE:{seq}\r\nDTSTART;TZID=America/Los_Angeles:{start}\r\nDTEND;TZID=America/Los_Angeles:20260522T103000\r\nRRULE:FREQ=WEEKLY;BYDAY=FR\r\nSUMMARY:Agents WG\r\n{extra}END:VEVENT\r\n"
        )
    }

    fn compare(old: &str, new: &str) -> Vec<(String, String)> {
        let prev = parse_feed(old).unwrap();
        let new = parse_feed(new).unwrap();
        let skip = BTreeSet::new();
        let mut sink = Sink::new(&skip);
        compare_previous(&prev, &new, &mut sink);
        sink.finish()
            .into_vec()
            .into_iter()
            .map(|d| (d.rule, d.message))
            .collect()
    }

    #[test]
    fn unchanged_feed_is_clean() {
        let f = feed(&ev("a@x", 0, "20260522T100000", ""));
        assert!(compare(&f, &f).is_empty());
    }

    #[test]
    fn changed_time_without_sequence() {
        let old = feed(&ev("a@x", 1, "20260522T100000", ""));
        let new = feed(&ev("a@x", 1, "20260522T110000", ""));
        let d = compare(&old, &new);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "feed-sequence-not-raised");
        assert!(d[0].1.contains("DTSTART changed"), "{d:?}");
        let bumped = feed(&ev("a@x", 2, "20260522T110000", ""));
        assert!(compare(&old, &bumped).is_empty());
    }

    #[test]
    fn exdate_added_and_sequence_lowered() {
        let old = feed(&ev("a@x", 3, "20260522T100000", ""));
        let new = feed(&ev(
            "a@x",
            3,
            "20260522T100000",
            "EXDATE;TZID=America/Los_Angeles:20260612T100000\r\n",
        ));
        assert!(compare(&old, &new)[0].1.contains("EXDATE changed"));
        let lower = feed(&ev("a@x", 2, "20260522T100000", ""));
        assert!(compare(&old, &lower)[0].1.contains("went down"));
    }

    #[test]
    fn removed_uid() {
        let old =
            feed(&(ev("a@x", 0, "20260522T100000", "") + &ev("b@x", 0, "20260522T100000", "")));
        let new = feed(&ev("a@x", 0, "20260522T100000", ""));
        let d = compare(&old, &new);
        assert_eq!(
            d,
            [(
                "feed-uid-removed".to_string(),
                "series b@x (Agents WG) of the earlier feed is gone".to_string()
            )]
        );
    }

    #[test]
    fn invalid_feeds() {
        assert!(parse_feed("hello").is_err());
        assert!(parse_feed("").is_err());
        assert!(parse_feed(&feed("BEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n")).is_err());
    }

    #[test]
    fn uid_lines_follow_folding() {
        let f = feed(&ev("a@x", 0, "20260522T100000", ""));
        let p = parse_feed(&f).unwrap();
        assert_eq!(p.uid_lines["a@x"], 5);
    }
}
