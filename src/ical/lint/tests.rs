use super::*;

fn rules_of(problems: &[String]) -> Vec<String> {
    problems
        .iter()
        .map(|p| p.split(": ").nth(1).unwrap_or("").to_string())
        .collect()
}

const GOOD: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nNAME:N\r\nX-WR-CALNAME:N\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\nX-PUBLISHED-TTL:PT12H\r\n\
BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\nDTSTART:20250101T000000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:a-b@h\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Asia/Tokyo:20260105T090000\r\nDTEND;TZID=Asia/Tokyo:20260105T100000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXDATE;TZID=Asia/Tokyo:20260112T090000\r\nSEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d\r\nURL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:a-b@h\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000\r\nDTSTART;TZID=Asia/Tokyo:20260120T090000\r\nDTEND;TZID=Asia/Tokyo:20260120T100000\r\nSEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\nURL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn lint_accepts_a_good_feed() {
    assert_eq!(lint_feed(GOOD), Vec::<String>::new());
}

#[test]
fn lint_catches_each_kind_of_breakage() {
    let cases: &[(&str, &str, &str)] = &[
        ("\r\nEND:VCALENDAR\r\n", "\nEND:VCALENDAR\n", "bare-lf"),
        ("END:VCALENDAR\r\n", "END:VCALENDAR", "no-final-crlf"),
        (
            "SUMMARY:S\r\nDESCRIPTION:D\\, d",
            "SUMMARY:S\r\n\r\nDESCRIPTION:D\\, d",
            "blank-line",
        ),
        ("DESCRIPTION:D\\, d", "DESCRIPTION:D, d", "unescaped-comma"),
        (
            "DESCRIPTION:D\\, d",
            "DESCRIPTION:D; d",
            "unescaped-semicolon",
        ),
        ("DESCRIPTION:D\\, d", "DESCRIPTION:D\\x d", "bad-escape"),
        (
            "URL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN:VEVENT",
            "URL:https://h/g\\,/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN:VEVENT",
            "uri-escaped",
        ),
        (
            "CATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN",
            "CATEGORIES:a,,b\r\nEND:VEVENT\r\nBEGIN",
            "empty-list-item",
        ),
        ("METHOD:PUBLISH", "METHOD:REQUEST", "method-not-publish"),
        (
            "X-PUBLISHED-TTL:PT12H",
            "X-PUBLISHED-TTL:PT6H",
            "ttl-differs",
        ),
        (
            "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
            "REFRESH-INTERVAL:PT12H",
            "refresh-value-param",
        ),
        ("X-WR-CALNAME:N\r\n", "", "calname-missing"),
        (
            "DTSTART;TZID=Asia/Tokyo:20260105T090000",
            "DTSTART:20260105T090000",
            "floating-time",
        ),
        (
            "DTSTART;TZID=Asia/Tokyo:20260105T090000",
            "DTSTART;TZID=Asia/Tokyo:20260105T090000Z",
            "tzid-with-utc",
        ),
        (
            "DTSTART;TZID=Asia/Tokyo:20260105T090000",
            "DTSTART;TZID=Europe/Paris:20260105T090000",
            "tzid-no-vtimezone",
        ),
        (
            "DTSTART;TZID=Asia/Tokyo:20260105T090000",
            "DTSTART;TZID=Tokyo Standard Time:20260105T090000",
            "tzid-not-iana",
        ),
        (
            "DTEND;TZID=Asia/Tokyo:20260105T100000",
            "DTEND;TZID=Asia/Tokyo:20260105T080000",
            "dtend-not-after-dtstart",
        ),
        ("DTEND;TZID=Asia/Tokyo:20260105T100000\r\n", "", "no-end"),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO",
            "RRULE:BYDAY=MO;FREQ=WEEKLY",
            "rrule-syntax",
        ),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO",
            "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9",
            "rrule-redundant-time",
        ),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO",
            "RRULE:FREQ=WEEKLY;BYDAY=2MO",
            "byday-ordinal-freq",
        ),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO",
            "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260301T090000",
            "until-type",
        ),
        (
            "EXDATE;TZID=Asia/Tokyo:20260112T090000",
            "EXDATE:20260112T000000Z",
            "exdate-tzid-differs",
        ),
        (
            "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000",
            "RECURRENCE-ID;TZID=Asia/Tokyo:20260112T090000",
            "override-of-exdate",
        ),
        (
            "UID:a-b@h\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID",
            "UID:a-c@h\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID",
            "orphan-override",
        ),
        (
            "SEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\n",
            "SEQUENCE:0\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\n",
            "override-sequence-lower",
        ),
        (
            "STATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\n",
            "STATUS:CONFIRMED\r\nSUMMARY:S\r\n",
            "override-incomplete",
        ),
        (
            "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000\r\n",
            "",
            "duplicate-uid",
        ),
        (
            "DTSTAMP:20260101T000000Z\r\nDTSTART",
            "DTSTAMP:20260101T000000\r\nDTSTART",
            "not-utc",
        ),
        (
            "SEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
            "SEQUENCE:-1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
            "bad-sequence",
        ),
        (
            "SUMMARY:S\r\nDESCRIPTION:D\\, d",
            "SUMMARY:S\r\nSUMMARY:T\r\nDESCRIPTION:D\\, d",
            "duplicate-prop",
        ),
        (
            "SUMMARY:S\r\nDESCRIPTION:D\\, d",
            "SUMMARY:S\r\nORGANIZER:mailto:a@b\r\nDESCRIPTION:D\\, d",
            "has-attendees",
        ),
        (
            "URL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN:VEVENT",
            "URL:https://h/g/\r\nCATEGORIES:a,b\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT",
            "has-valarm",
        ),
        (
            "TZID:Asia/Tokyo\r\n",
            "TZID:Asia/Tokyo\r\nUID:x\r\n",
            "vtimezone-extra-prop",
        ),
        (
            "END:VEVENT\r\nEND:VCALENDAR",
            "END:VEVENT\r\nEND:VTODO\r\nEND:VCALENDAR",
            "begin-end-mismatch",
        ),
        (
            "END:VCALENDAR\r\n",
            "END:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            "multiple-vcalendar",
        ),
        ("SUMMARY:S\r\n", "summary:S\r\n", "lowercase-name"),
        (
            "STATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
            "STATUS:MAYBE\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
            "bad-status",
        ),
        (
            "SUMMARY:S\r\nDESCRIPTION:D\\, d",
            "SUMMARY:S\u{1}\r\nDESCRIPTION:D\\, d",
            "control-char",
        ),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO",
            "RRULE:FREQ=WEEKLY;BYDAY=TU",
            "dtstart-not-in-rrule",
        ),
        (
            "EXDATE;TZID=Asia/Tokyo:20260112T090000",
            "EXDATE;TZID=Asia/Tokyo:20260112T093000",
            "exdate-no-match",
        ),
        (
            "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000",
            "RECURRENCE-ID;TZID=Asia/Tokyo:20260120T090000",
            "recurrence-id-no-match",
        ),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO",
            "RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO",
            "recurrence-id-no-match",
        ),
        ("TZOFFSETTO:+0900", "TZOFFSETTO:+1000", "vtimezone-mismatch"),
        (
            "DTSTART:20250101T000000\r\nEND:STANDARD",
            "DTSTART:20260301T000000\r\nEND:STANDARD",
            "vtimezone-starts-late",
        ),
    ];
    for (from, to, rule) in cases {
        assert!(GOOD.contains(from), "fixture lacks {from:?}");
        let bad = GOOD.replacen(from, to, 1);
        let problems = lint_feed(&bad);
        assert!(
            rules_of(&problems).iter().any(|r| r == rule),
            "{rule}: got {problems:#?}"
        );
    }
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
