//! The linter's cases: a good feed, and one change per kind of breakage, each of which must give
//! its finding. The tables follow the sections of the checklist in `docs/calendar-feeds.md`.

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

/// A breakage: `(rule, from, to)`: replacing the first `from` in [`GOOD`] by `to` must give a
/// `rule` finding.
type Breakage = (&'static str, &'static str, &'static str);

fn assert_catches(cases: &[Breakage]) {
    for (rule, from, to) in cases {
        assert!(GOOD.contains(from), "fixture lacks {from:?}");
        let bad = GOOD.replacen(from, to, 1);
        let problems = lint_feed(&bad);
        assert!(
            rules_of(&problems).iter().any(|r| r == rule),
            "{rule}: got {problems:#?}"
        );
    }
}

/// Line ends, folding, encoding, content-line syntax, nesting, TEXT and URI values.
const SERIALIZATION: &[Breakage] = &[
    ("bare-lf", "\r\nEND:VCALENDAR\r\n", "\nEND:VCALENDAR\n"),
    ("no-final-crlf", "END:VCALENDAR\r\n", "END:VCALENDAR"),
    (
        "blank-line",
        "SUMMARY:S\r\nDESCRIPTION:D\\, d",
        "SUMMARY:S\r\n\r\nDESCRIPTION:D\\, d",
    ),
    ("lowercase-name", "SUMMARY:S\r\n", "summary:S\r\n"),
    (
        "control-char",
        "SUMMARY:S\r\nDESCRIPTION:D\\, d",
        "SUMMARY:S\u{1}\r\nDESCRIPTION:D\\, d",
    ),
    (
        "begin-end-mismatch",
        "END:VEVENT\r\nEND:VCALENDAR",
        "END:VEVENT\r\nEND:VTODO\r\nEND:VCALENDAR",
    ),
    (
        "multiple-vcalendar",
        "END:VCALENDAR\r\n",
        "END:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    ),
    ("unescaped-comma", "DESCRIPTION:D\\, d", "DESCRIPTION:D, d"),
    (
        "unescaped-semicolon",
        "DESCRIPTION:D\\, d",
        "DESCRIPTION:D; d",
    ),
    ("bad-escape", "DESCRIPTION:D\\, d", "DESCRIPTION:D\\x d"),
    (
        "uri-escaped",
        "URL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN:VEVENT",
        "URL:https://h/g\\,/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN:VEVENT",
    ),
    (
        "empty-list-item",
        "CATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN",
        "CATEGORIES:a,,b\r\nEND:VEVENT\r\nBEGIN",
    ),
    ("bare-cr", "SUMMARY:S\r\n", "SUMMARY:S\rT\r\n"),
    ("bad-fold", "BEGIN:VCALENDAR\r\n", " BEGIN:VCALENDAR\r\n"),
    ("bad-content-line", "SUMMARY:S\r\n", "SUMMARY S\r\n"),
    (
        "outside-vcalendar",
        "END:VCALENDAR\r\n",
        "END:VCALENDAR\r\nX-JUNK:1\r\n",
    ),
    (
        "outside-vcalendar",
        "END:VCALENDAR\r\n",
        "END:VCALENDAR\r\nBEGIN:VTODO\r\nEND:VTODO\r\n",
    ),
];

/// The VCALENDAR's own properties.
const CALENDAR: &[Breakage] = &[
    ("method-not-publish", "METHOD:PUBLISH", "METHOD:REQUEST"),
    (
        "ttl-differs",
        "X-PUBLISHED-TTL:PT12H",
        "X-PUBLISHED-TTL:PT6H",
    ),
    (
        "refresh-value-param",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "REFRESH-INTERVAL:PT12H",
    ),
    ("calname-missing", "X-WR-CALNAME:N\r\n", ""),
    ("version", "VERSION:2.0", "VERSION:1.0"),
    ("prodid", "PRODID:-//x//y//EN\r\n", ""),
    ("calscale", "CALSCALE:GREGORIAN\r\n", ""),
    ("method-missing", "METHOD:PUBLISH\r\n", ""),
    (
        "refresh-missing",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n",
        "",
    ),
    ("ttl-missing", "X-PUBLISHED-TTL:PT12H\r\n", ""),
    ("bad-duration", "DURATION:PT12H", "DURATION:12H"),
    (
        "bad-x-wr-timezone",
        "X-WR-CALNAME:N\r\n",
        "X-WR-CALNAME:N\r\nX-WR-TIMEZONE:Mars/Olympus\r\n",
    ),
];

/// Date-times and their zones, and the VTIMEZONEs.
const TIME_ZONES: &[Breakage] = &[
    (
        "floating-time",
        "DTSTART;TZID=Asia/Tokyo:20260105T090000",
        "DTSTART:20260105T090000",
    ),
    (
        "tzid-with-utc",
        "DTSTART;TZID=Asia/Tokyo:20260105T090000",
        "DTSTART;TZID=Asia/Tokyo:20260105T090000Z",
    ),
    (
        "tzid-no-vtimezone",
        "DTSTART;TZID=Asia/Tokyo:20260105T090000",
        "DTSTART;TZID=Europe/Paris:20260105T090000",
    ),
    (
        "tzid-not-iana",
        "DTSTART;TZID=Asia/Tokyo:20260105T090000",
        "DTSTART;TZID=Tokyo Standard Time:20260105T090000",
    ),
    (
        "vtimezone-extra-prop",
        "TZID:Asia/Tokyo\r\n",
        "TZID:Asia/Tokyo\r\nUID:x\r\n",
    ),
    ("vtimezone-mismatch", "TZOFFSETTO:+0900", "TZOFFSETTO:+1000"),
    (
        "vtimezone-starts-late",
        "DTSTART:20250101T000000\r\nEND:STANDARD",
        "DTSTART:20260301T000000\r\nEND:STANDARD",
    ),
    ("vtimezone-invalid", "TZID:Asia/Tokyo\r\n", ""),
    (
        "vtimezone-invalid",
        "DTSTART:20250101T000000\r\nEND:STANDARD",
        "DTSTART:20250101T000000Z\r\nEND:STANDARD",
    ),
    ("vtimezone-invalid", "TZOFFSETFROM:+0900\r\n", ""),
    (
        "vtimezone-invalid",
        "BEGIN:STANDARD\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\nDTSTART:20250101T000000\r\nEND:STANDARD\r\n",
        "",
    ),
    (
        "duplicate-vtimezone",
        "END:VTIMEZONE\r\n",
        "END:VTIMEZONE\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nDTSTART:20250101T000000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n",
    ),
    (
        "bad-datetime",
        "DTSTART;TZID=Asia/Tokyo:20260105T090000",
        "DTSTART;TZID=Asia/Tokyo:2026-01-05T09:00",
    ),
];

/// Each VEVENT's own properties.
const EVENTS: &[Breakage] = &[
    (
        "not-utc",
        "DTSTAMP:20260101T000000Z\r\nDTSTART",
        "DTSTAMP:20260101T000000\r\nDTSTART",
    ),
    (
        "dtend-not-after-dtstart",
        "DTEND;TZID=Asia/Tokyo:20260105T100000",
        "DTEND;TZID=Asia/Tokyo:20260105T080000",
    ),
    ("no-end", "DTEND;TZID=Asia/Tokyo:20260105T100000\r\n", ""),
    (
        "duplicate-uid",
        "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000\r\n",
        "",
    ),
    (
        "duplicate-prop",
        "SUMMARY:S\r\nDESCRIPTION:D\\, d",
        "SUMMARY:S\r\nSUMMARY:T\r\nDESCRIPTION:D\\, d",
    ),
    (
        "bad-sequence",
        "SEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
        "SEQUENCE:-1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
    ),
    (
        "bad-status",
        "STATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
        "STATUS:MAYBE\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
    ),
    (
        "has-attendees",
        "SUMMARY:S\r\nDESCRIPTION:D\\, d",
        "SUMMARY:S\r\nORGANIZER:mailto:a@b\r\nDESCRIPTION:D\\, d",
    ),
    (
        "has-valarm",
        "URL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN:VEVENT",
        "URL:https://h/g/\r\nCATEGORIES:a,b\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT",
    ),
    ("uid-missing", "UID:a-b@h\r\n", ""),
    ("dtstamp-missing", "DTSTAMP:20260101T000000Z\r\n", ""),
    (
        "dtstart-missing",
        "DTSTART;TZID=Asia/Tokyo:20260105T090000\r\n",
        "",
    ),
    (
        "uid-chars",
        "UID:a-b@h\r\nDTSTAMP:20260101T000000Z\r\nDTSTART",
        "UID:a b@h\r\nDTSTAMP:20260101T000000Z\r\nDTSTART",
    ),
    (
        "dtend-and-duration",
        "DTEND;TZID=Asia/Tokyo:20260105T100000\r\n",
        "DTEND;TZID=Asia/Tokyo:20260105T100000\r\nDURATION:PT1H\r\n",
    ),
    (
        "dtend-tzid-differs",
        "DTEND;TZID=Asia/Tokyo:20260105T100000",
        "DTEND:20260105T010000Z",
    ),
    (
        "dtend-type-mismatch",
        "DTEND;TZID=Asia/Tokyo:20260105T100000",
        "DTEND:20260105T010000Z",
    ),
    (
        "bad-duration",
        "DTEND;TZID=Asia/Tokyo:20260105T100000",
        "DURATION:1H",
    ),
    ("summary-missing", "SUMMARY:S\r\n", ""),
    ("summary-missing", "SUMMARY:S\r\n", "SUMMARY: \r\n"),
    ("url-missing", "URL:https://h/g/\r\n", ""),
    ("categories-missing", "CATEGORIES:a,b\r\n", ""),
    ("bad-uri", "URL:https://h/g/", "URL:http://h/g/"),
];

/// RRULEs, EXDATEs and overrides against their series.
const RECURRENCE: &[Breakage] = &[
    (
        "rrule-syntax",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "RRULE:BYDAY=MO;FREQ=WEEKLY",
    ),
    (
        "rrule-redundant-time",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9",
    ),
    (
        "byday-ordinal-freq",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "RRULE:FREQ=WEEKLY;BYDAY=2MO",
    ),
    (
        "until-type",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260301T090000",
    ),
    (
        "dtstart-not-in-rrule",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "RRULE:FREQ=WEEKLY;BYDAY=TU",
    ),
    (
        "exdate-tzid-differs",
        "EXDATE;TZID=Asia/Tokyo:20260112T090000",
        "EXDATE:20260112T000000Z",
    ),
    (
        "exdate-no-match",
        "EXDATE;TZID=Asia/Tokyo:20260112T090000",
        "EXDATE;TZID=Asia/Tokyo:20260112T093000",
    ),
    (
        "override-of-exdate",
        "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000",
        "RECURRENCE-ID;TZID=Asia/Tokyo:20260112T090000",
    ),
    (
        "orphan-override",
        "UID:a-b@h\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID",
        "UID:a-c@h\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID",
    ),
    (
        "override-sequence-lower",
        "SEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\n",
        "SEQUENCE:0\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\n",
    ),
    (
        "override-incomplete",
        "STATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\n",
        "STATUS:CONFIRMED\r\nSUMMARY:S\r\n",
    ),
    (
        "recurrence-id-no-match",
        "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000",
        "RECURRENCE-ID;TZID=Asia/Tokyo:20260120T090000",
    ),
    (
        "recurrence-id-no-match",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO",
    ),
    (
        "exrule",
        "RRULE:FREQ=WEEKLY;BYDAY=MO\r\n",
        "RRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXRULE:FREQ=MONTHLY\r\n",
    ),
    (
        "multiple-rrule",
        "RRULE:FREQ=WEEKLY;BYDAY=MO\r\n",
        "RRULE:FREQ=WEEKLY;BYDAY=MO\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\n",
    ),
    (
        "rrule-syntax",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3;UNTIL=20260301T000000Z",
    ),
    (
        "wkst-ambiguous",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU",
    ),
    (
        "override-has-rrule",
        "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000\r\n",
        "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000\r\nRRULE:FREQ=WEEKLY;BYDAY=TU\r\n",
    ),
    (
        "range-thisandfuture",
        "RECURRENCE-ID;TZID=Asia/Tokyo:",
        "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Asia/Tokyo:",
    ),
    (
        "recurrence-id-tzid-differs",
        "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000",
        "RECURRENCE-ID:20260119T000000Z",
    ),
    (
        "recurrence-id-type-mismatch",
        "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000",
        "RECURRENCE-ID:20260119T000000Z",
    ),
];

#[test]
fn lint_catches_serialization_breakage() {
    assert_catches(SERIALIZATION);
}

#[test]
fn lint_catches_calendar_breakage() {
    assert_catches(CALENDAR);
}

#[test]
fn lint_catches_time_zones_breakage() {
    assert_catches(TIME_ZONES);
}

#[test]
fn lint_catches_events_breakage() {
    assert_catches(EVENTS);
}

#[test]
fn lint_catches_recurrence_breakage() {
    assert_catches(RECURRENCE);
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
    let tables = [SERIALIZATION, CALENDAR, TIME_ZONES, EVENTS, RECURRENCE];
    let tested: std::collections::BTreeSet<String> = tables
        .iter()
        .flat_map(|t| t.iter().map(|(rule, _, _)| rule.to_string()))
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
