//! The linter's cases: a good feed, and one change to it per kind of breakage
//! (`tests/fixtures/ical/breakages.txt`, by section of the checklist in
//! `docs/calendar-feeds.md`), each of which must give its finding.

use super::{lint_feed, lint_feed_bytes};

fn rules_of(problems: &[String]) -> Vec<String> {
    problems
        .iter()
        .map(|p| p.split(": ").nth(1).unwrap_or("").to_string())
        .collect()
}

/// A feed that passes: a weekly series in a zone without DST, one cancellation, one override.
const GOOD: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nNAME:N\r\nX-WR-CALNAME:N\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\nX-PUBLISHED-TTL:PT12H\r\n\
BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\nDTSTART:20250101T000000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:a-b@h\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Asia/Tokyo:20260105T090000\r\nDTEND;TZID=Asia/Tokyo:20260105T100000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXDATE;TZID=Asia/Tokyo:20260112T090000\r\nSEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d\r\nURL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:a-b@h\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000\r\nDTSTART;TZID=Asia/Tokyo:20260120T090000\r\nDTEND;TZID=Asia/Tokyo:20260120T100000\r\nSEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\nURL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn lint_accepts_a_good_feed() {
    assert_eq!(lint_feed(GOOD), Vec::<String>::new());
}

/// One change per kind of breakage, by checklist section: `tests/fixtures/ical/breakages.txt`.
const BREAKAGES: &str = include_str!("../../../tests/fixtures/ical/breakages.txt");

/// A breakage: replacing the first `from` in [`GOOD`] by `to` must give a `rule` finding.
#[derive(Debug)]
struct Breakage {
    rule: String,
    from: String,
    to: String,
}

/// The breakages of one section of [`BREAKAGES`].
fn breakages(section: &str) -> Vec<Breakage> {
    let mut current = None;
    let mut out = Vec::new();
    for line in BREAKAGES.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            current = rest.split_once(']').map(|(name, _)| name);
            continue;
        }
        let fields: Vec<String> = line.split('|').map(|f| unescape(f.trim())).collect();
        let [rule, from, to] = <[String; 3]>::try_from(fields).expect("rule | from | to");
        if current == Some(section) {
            out.push(Breakage { rule, from, to });
        }
    }
    assert!(!out.is_empty(), "no breakages in [{section}]");
    out
}

/// `\r`, `\n`, `\\` and `\u{hex}` as the characters they stand for.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let code: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                let code = u32::from_str_radix(&code, 16).expect("\\u{hex}");
                out.push(char::from_u32(code).expect("a character"));
            }
            other => panic!("unknown escape \\{other:?} in {s:?}"),
        }
    }
    out
}

fn assert_catches(section: &str) {
    for Breakage { rule, from, to } in breakages(section) {
        assert!(GOOD.contains(&from), "fixture lacks {from:?}");
        let bad = GOOD.replacen(&from, &to, 1);
        let problems = lint_feed(&bad);
        assert!(
            rules_of(&problems).contains(&rule),
            "{rule}: got {problems:#?}"
        );
    }
}

#[test]
fn lint_catches_serialization_breakage() {
    assert_catches("serialization");
}

#[test]
fn lint_catches_calendar_breakage() {
    assert_catches("calendar");
}

#[test]
fn lint_catches_time_zones_breakage() {
    assert_catches("time-zones");
}

#[test]
fn lint_catches_events_breakage() {
    assert_catches("events");
}

#[test]
fn lint_catches_recurrence_breakage() {
    assert_catches("recurrence");
}

#[test]
fn lint_catches_long_lines_and_split_utf8() {
    let long = GOOD.replace("SUMMARY:S\r\n", &format!("SUMMARY:{}\r\n", "é".repeat(40)));
    assert!(rules_of(&lint_feed(&long)).contains(&"line-too-long".to_string()));
    // Fold in the middle of "é" (C3 A9).
    let mut bytes = GOOD
        .replacen("SUMMARY:S\r\n", "SUMMARY:Sé\r\n", 1)
        .into_bytes();
    let at = bytes.windows(2).position(|w| w == [0xC3, 0xA9]).unwrap();
    bytes.splice(at + 1..at + 1, *b"\r\n ");
    let problems = lint_feed_bytes(&bytes);
    assert!(
        rules_of(&problems).contains(&"fold-splits-utf8".to_string()),
        "{problems:#?}"
    );
    // The same fold at a character boundary is fine.
    let ok = GOOD.replacen("SUMMARY:S\r\n", "SUMMARY:S\r\n é\r\n", 1);
    assert_eq!(lint_feed(&ok), Vec::<String>::new());
    let bom = format!("\u{feff}{GOOD}");
    assert!(rules_of(&lint_feed(&bom)).contains(&"bom".to_string()));
}

#[test]
fn lint_catches_files_that_are_not_feeds() {
    assert_eq!(
        lint_feed(""),
        [
            "line 1: no-vcalendar: the file is empty",
            "line 1: no-vcalendar: no VCALENDAR"
        ]
    );
    let no_calendar = "BEGIN:VTODO\r\nEND:VTODO\r\n";
    assert!(rules_of(&lint_feed(no_calendar)).contains(&"no-vcalendar".to_string()));
    let mut latin1 = GOOD
        .replacen("SUMMARY:S\r\n", "SUMMARY:S?\r\n", 1)
        .into_bytes();
    let at = latin1.iter().position(|b| *b == b'?').unwrap();
    latin1[at] = 0xE9;
    assert!(rules_of(&lint_feed_bytes(&latin1)).contains(&"not-utf8".to_string()));
}

#[test]
fn lint_catches_a_repeated_override() {
    let start = GOOD.rfind("BEGIN:VEVENT").unwrap();
    let end = GOOD.rfind("END:VCALENDAR").unwrap();
    let twice = format!("{}{}", &GOOD[..end], &GOOD[start..]);
    assert!(rules_of(&lint_feed(&twice)).contains(&"duplicate-override".to_string()));
}

/// Findings with a test of their own above, outside the tables.
const TESTED_ELSEWHERE: &[&str] = &[
    "line-too-long",
    "fold-splits-utf8",
    "bom",
    "no-vcalendar",
    "not-utf8",
    "duplicate-override",
];

/// The ids in the findings column of the checklist tables in `docs/calendar-feeds.md`.
fn documented_findings() -> std::collections::BTreeSet<String> {
    let doc = include_str!("../../../docs/calendar-feeds.md");
    let is_id = |s: &str| {
        !s.is_empty()
            && s.split('-').all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    };
    doc.lines()
        .filter(|l| l.starts_with("| ") && l[2..].starts_with(|c: char| c.is_ascii_digit()))
        .filter_map(|l| l.trim_end_matches('|').rsplit('|').next())
        .flat_map(|cell| cell.split('`').skip(1).step_by(2).map(str::to_string))
        .filter(|s| is_id(s))
        .collect()
}

#[test]
fn every_finding_is_documented() {
    let sections = [
        "serialization",
        "calendar",
        "time-zones",
        "events",
        "recurrence",
    ];
    let tested: std::collections::BTreeSet<String> = sections
        .iter()
        .flat_map(|s| breakages(s).into_iter().map(|b| b.rule))
        .chain(TESTED_ELSEWHERE.iter().map(|r| r.to_string()))
        .collect();
    let documented = documented_findings();
    let undocumented: Vec<&String> = tested.difference(&documented).collect();
    let untested: Vec<&String> = documented.difference(&tested).collect();
    assert!(
        undocumented.is_empty(),
        "not in docs/calendar-feeds.md: {undocumented:?}"
    );
    assert!(
        untested.is_empty(),
        "documented, but no test shows the linter reports them: {untested:?}"
    );
}
