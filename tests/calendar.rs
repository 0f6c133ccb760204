//! Calendar feeds end to end: group pages → meetings → `calendar.ics`, then read back by other
//! engines. The `ical` crate parses the feed as a client would; the `rrule` crate (chrono-tz, a
//! different tz database and expansion engine) expands every series, and the result must equal our
//! own expansion instant for instant. Every VTIMEZONE is read back from the text and its offsets
//! compared with jiff's and chrono-tz's at every meeting.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufReader;

use jiff::civil::{self, date};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};

use mcpsite::frontmatter::{RawPage, parse_group};
use mcpsite::ical::vtimezone::{Observance, ObservanceKind, VTimezone, YearlyRule};
use mcpsite::ical::{FeedGroup, FeedPart, feed_part, lint_feed, write_feed_parts};
use mcpsite::recur::{Meetings, OccurrenceStatus, resolve_meetings};
use mcpsite::source::SourceFile;

const HOST: &str = "mcp.example";

/// Fixture pages: every kind of schedule, zones in both hemispheres, exceptions, one-offs, a
/// proposed group and a retired one.
const PAGES: &[(&str, &str)] = &[
    (
        "apps-wg",
        r#"+++
kind = "wg"
name = "Apps"
summary = "MCP Apps."
status = "active"

[discord]
channel = "apps-wg"

[[schedule]]
id = "apps-sync"
tz = "America/Los_Angeles"
start = 2025-12-17T08:00:00
duration = 60
every = "triweekly"
weekday = "wed"
location = "Zoom 🎥 — link on meet.modelcontextprotocol.io; ask in #apps-wg, or DM a facilitator (naïve café crème)"
notes_url_template = "https://github.com/modelcontextprotocol/apps-wg/blob/main/meetings/{date}.md"
sequence = 2

[[schedule.exceptions]]
date = 2026-01-07
action = "cancel"
reason = "New Year break"

[[schedule.exceptions]]
date = 2026-03-11
action = "move"
to = 2026-03-12T09:30:00
duration = 45
reason = "clashes with the spec review"

[[meetings]]
date = 2026-02-10
time = 17:00:00
tz = "Asia/Tokyo"
duration = 90
title = "Apps WG × Tokyo meetup: ✨ demos, Q&A, and planning"
+++
Body.
"#,
    ),
    (
        "auth-ig",
        r#"+++
kind = "ig"
name = "Auth"
summary = "Authorization."
status = "active"

[discord]
channel = "auth-ig"

[calendar]
extra_tags = ["Auth, Identity", "auth-ig"]

[[schedule]]
id = "monthly-last-thu"
tz = "Europe/London"
start = 2026-01-29T16:00:00
duration = 60
every = "monthly"
nth = -1
until = 2027-06-30

[[schedule.exceptions]]
date = 2026-12-31
action = "cancel"
reason = "holidays"

[[schedule]]
id = "second-tue"
tz = "America/New_York"
start = 2026-02-10T11:00:00
duration = 30
every = "monthly"
nth = 2
+++
"#,
    ),
    (
        "agents-wg",
        r#"+++
kind = "wg"
name = "Agents"
summary = "Agents."
status = "active"

[discord]
channel = "agents-wg"

[[schedule]]
id = "biweekly-tue"
tz = "America/New_York"
start = 2026-01-13T12:00:00
duration = 60
every = "biweekly"
weekday = "tue"

[[schedule.exceptions]]
date = 2026-11-03
action = "move"
to = 2026-11-04T12:00:00
reason = "election day"

[[meetings]]
date = 2026-02-24
schedule = "biweekly-tue"
status = "cancelled"
reason = "team offsite"

[[schedule]]
id = "late-night"
tz = "America/Los_Angeles"
start = 2026-11-01T01:30:00
fold = "later"
duration = 30
every = "weekly"
weekday = "sun"
until = 2027-02-28
+++
"#,
    ),
    (
        "sydney-ig",
        r#"+++
kind = "ig"
name = "APAC"
summary = "Asia-Pacific time zones."
status = "proposed"

[[schedule]]
id = "weekly-tue"
tz = "Australia/Sydney"
start = 2026-03-24T09:00:00
duration = 60
every = "weekly"
weekday = "tue"
+++
"#,
    ),
    (
        "legacy-wg",
        r#"+++
kind = "wg"
name = "Legacy"
summary = "Retired."
status = "retired"

[[schedule]]
id = "weekly-mon"
tz = "Europe/Dublin"
start = 2026-01-05T15:00:00
duration = 60
every = "weekly"
weekday = "mon"

[[schedule]]
id = "after-retirement"
tz = "Europe/Dublin"
start = 2026-09-07T15:00:00
duration = 60
every = "weekly"
weekday = "mon"

[[schedule]]
id = "all-cancelled"
tz = "UTC"
start = 2026-02-02T10:00:00
duration = 30
every = "monthly"
nth = 1
until = 2026-03-31

[[schedule.exceptions]]
date = 2026-02-02
action = "cancel"
reason = "r"

[[schedule.exceptions]]
date = 2026-03-02
action = "cancel"
reason = "r"

[[meetings]]
date = 2026-05-20
id = "wrap-up"
time = 15:00:00
tz = "Europe/Dublin"
duration = 60

[[meetings]]
date = 2026-07-20
id = "too-late"
time = 15:00:00
tz = "Europe/Dublin"
duration = 60

[[meetings]]
date = 2026-04-01
notes = "https://example.com/notes"
+++
"#,
    ),
];

const RETIRED: civil::Date = date(2026, 6, 30);

struct Fixture {
    slugs: Vec<String>,
    pages: Vec<RawPage>,
    meetings: Vec<Meetings>,
}

fn fixture() -> Fixture {
    let mut pages = Vec::new();
    let mut meetings = Vec::new();
    let mut slugs = Vec::new();
    for (slug, text) in PAGES {
        let page = parse_group(SourceFile {
            path: format!("content/groups/{slug}.md"),
            text: (*text).into(),
        })
        .unwrap_or_else(|d| panic!("{slug}: {}", d.render(mcpsite::diag::Format::Text)));
        let mut diags = Vec::new();
        let m = resolve_meetings(&page, &mut diags);
        assert!(diags.is_empty(), "{slug}: {diags:#?}");
        slugs.push(slug.to_string());
        pages.push(page);
        meetings.push(m);
    }
    Fixture {
        slugs,
        pages,
        meetings,
    }
}

fn group<'a>(f: &'a Fixture, i: usize) -> FeedGroup<'a> {
    let page = &f.pages[i];
    let fm = &page.fm;
    let slug = &f.slugs[i];
    let topic = slug.rsplit_once('-').unwrap().0.to_string();
    let channel = fm
        .discord
        .as_ref()
        .and_then(|d| d.get_ref().channel.as_ref())
        .map(|c| c.get_ref().clone());
    let mut categories = vec![topic.clone()];
    categories.extend(channel.clone());
    categories.extend(fm.calendar.extra_tags.iter().cloned());
    let status = *fm.status.get_ref();
    FeedGroup {
        slug: slug.clone(),
        name: fm.name.get_ref().clone(),
        kind_long: fm.kind.get_ref().long_name().to_string(),
        topic,
        channel,
        categories,
        page_url: format!("https://{HOST}/groups/{slug}/"),
        notes_location: Some(format!(
            "https://github.com/modelcontextprotocol/{slug}/discussions"
        )),
        tentative: status == mcpsite::schema::Status::Proposed,
        retired: (status == mcpsite::schema::Status::Retired).then_some(RETIRED),
        dtstamp: "2026-01-01T00:00:00Z".parse().unwrap(),
        series: &f.meetings[i].series,
        one_offs: &f.meetings[i].one_offs,
    }
}

/// The feed of the groups `which`, made as the site makes its feeds: a part per group, then the
/// parts put together.
fn feed(f: &Fixture, which: &[usize]) -> String {
    let groups: Vec<FeedGroup> = which.iter().map(|i| group(f, *i)).collect();
    let parts: Vec<FeedPart> = groups.iter().map(|g| feed_part(g, HOST)).collect();
    write_feed_parts(
        "MCP community meetings",
        "Interest and Working Group meetings, in your time zone; see https://mcp.example/calendar/",
        12,
        &parts.iter().collect::<Vec<_>>(),
    )
}

fn all(f: &Fixture) -> Vec<usize> {
    (0..f.slugs.len()).collect()
}

// --- Reading feeds back ------------------------------------------------------------------------

fn parse(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut cals: Vec<_> = ical::IcalParser::new(BufReader::new(text.as_bytes()))
        .collect::<Result<_, _>>()
        .expect("the ical crate parses the feed");
    assert_eq!(cals.len(), 1);
    cals.pop().unwrap()
}

fn prop<'a>(
    props: &'a [ical::property::Property],
    name: &str,
) -> Option<&'a ical::property::Property> {
    props.iter().find(|p| p.name == name)
}

fn val<'a>(props: &'a [ical::property::Property], name: &str) -> &'a str {
    prop(props, name)
        .and_then(|p| p.value.as_deref())
        .unwrap_or_else(|| panic!("{name} missing in {props:#?}"))
}

fn param<'a>(p: &'a ical::property::Property, name: &str) -> Option<&'a str> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.first())
        .map(String::as_str)
}

/// A property as the `rrule` crate reads it: `NAME;TZID=…:value`.
fn as_line(p: &ical::property::Property) -> String {
    match param(p, "TZID") {
        Some(tz) => format!("{};TZID={tz}:{}", p.name, p.value.as_deref().unwrap()),
        None => format!("{}:{}", p.name, p.value.as_deref().unwrap()),
    }
}

/// The instant of a single date-time property, computed by the `rrule` crate (chrono-tz).
fn chrono_instant(p: &ical::property::Property) -> i64 {
    let line = as_line(p).replacen(&p.name, "DTSTART", 1);
    let set: rrule::RRuleSet = format!("{line}\nRRULE:FREQ=DAILY;COUNT=1").parse().unwrap();
    set.all(1).dates[0].timestamp()
}

fn parse_offset(s: &str) -> Offset {
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let d = &s[1..];
    let h: i32 = d[0..2].parse().unwrap();
    let m: i32 = d[2..4].parse().unwrap();
    let sec: i32 = if d.len() == 6 {
        d[4..6].parse().unwrap()
    } else {
        0
    };
    Offset::from_seconds(sign * (h * 3600 + m * 60 + sec)).unwrap()
}

fn parse_local(s: &str) -> civil::DateTime {
    civil::DateTime::strptime("%Y%m%dT%H%M%S", s).unwrap()
}

fn parse_utc(s: &str) -> Timestamp {
    parse_local(s.strip_suffix('Z').unwrap())
        .to_zoned_datetime(TimeZone::UTC)
        .unwrap()
        .timestamp()
}

fn parse_weekday(s: &str) -> civil::Weekday {
    use civil::Weekday::*;
    match s {
        "MO" => Monday,
        "TU" => Tuesday,
        "WE" => Wednesday,
        "TH" => Thursday,
        "FR" => Friday,
        "SA" => Saturday,
        "SU" => Sunday,
        _ => panic!("weekday {s}"),
    }
}

/// A VTIMEZONE read back from the parsed text (not from our builder).
fn read_vtimezone(z: &ical::parser::ical::component::IcalTimeZone) -> VTimezone {
    let tzid = val(&z.properties, "TZID").to_string();
    let observances = z
        .transitions
        .iter()
        .map(|t| {
            let ps = &t.properties;
            let rule = prop(ps, "RRULE").map(|r| {
                let parts: BTreeMap<&str, &str> = r
                    .value
                    .as_deref()
                    .unwrap()
                    .split(';')
                    .map(|kv| kv.split_once('=').unwrap())
                    .collect();
                assert_eq!(parts["FREQ"], "YEARLY");
                let byday = parts["BYDAY"];
                let (n, wd) = byday.split_at(byday.len() - 2);
                YearlyRule {
                    month: parts["BYMONTH"].parse().unwrap(),
                    nth: n.parse().unwrap(),
                    weekday: parse_weekday(wd),
                    until: parts.get("UNTIL").map(|u| parse_utc(u)),
                }
            });
            assert!(prop(ps, "RDATE").is_none(), "RDATE-free");
            Observance {
                kind: match t.transition {
                    ical::parser::ical::component::IcalTimeZoneTransitionType::STANDARD => {
                        ObservanceKind::Standard
                    }
                    ical::parser::ical::component::IcalTimeZoneTransitionType::DAYLIGHT => {
                        ObservanceKind::Daylight
                    }
                },
                dtstart: parse_local(val(ps, "DTSTART")),
                offset_from: parse_offset(val(ps, "TZOFFSETFROM")),
                offset_to: parse_offset(val(ps, "TZOFFSETTO")),
                tzname: val(ps, "TZNAME").to_string(),
                rule,
            }
        })
        .collect();
    VTimezone { tzid, observances }
}

/// One expanded meeting: UID and UTC start and end (seconds).
type Instance = (String, i64, i64);

const FROM: &str = "2025-12-01T00:00:00Z";
const TO: &str = "2027-12-01T00:00:00Z";

/// Expands every VEVENT of a parsed feed with the `rrule` crate, applying RECURRENCE-ID
/// overrides by hand. Also checks, at every instance, that the feed's own VTIMEZONE gives the
/// offset chrono-tz gives.
///
/// The `rrule` crate refuses a DTSTART in a DST overlap (RFC 5545 reads it as the first of the two
/// times); series starting there are returned as skipped, not expanded.
fn expand_with_rrule_crate(text: &str) -> (Vec<Instance>, BTreeSet<String>) {
    let cal = parse(text);
    let vtz: BTreeMap<String, VTimezone> = cal
        .timezones
        .iter()
        .map(|z| {
            let v = read_vtimezone(z);
            (v.tzid.clone(), v)
        })
        .collect();
    let (from, to) = (
        FROM.parse::<Timestamp>().unwrap().as_second(),
        TO.parse::<Timestamp>().unwrap().as_second(),
    );
    let ambiguous = |p: &ical::property::Property| {
        param(p, "TZID").is_some_and(|tz| {
            TimeZone::get(tz)
                .unwrap()
                .to_ambiguous_timestamp(parse_local(p.value.as_deref().unwrap()))
                .is_ambiguous()
        })
    };
    let skipped: BTreeSet<String> = cal
        .events
        .iter()
        .filter(|e| prop(&e.properties, "RECURRENCE-ID").is_none())
        .filter(|e| ambiguous(prop(&e.properties, "DTSTART").unwrap()))
        .map(|e| val(&e.properties, "UID").to_string())
        .collect();
    let mut overrides: BTreeMap<(String, i64), (i64, i64)> = BTreeMap::new();
    for e in cal.events.iter() {
        let ps = &e.properties;
        if skipped.contains(val(ps, "UID")) {
            continue;
        }
        if let Some(rid) = prop(ps, "RECURRENCE-ID") {
            overrides.insert(
                (val(ps, "UID").to_string(), chrono_instant(rid)),
                (
                    chrono_instant(prop(ps, "DTSTART").unwrap()),
                    chrono_instant(prop(ps, "DTEND").unwrap()),
                ),
            );
        }
    }
    let mut out = Vec::new();
    let mut used = BTreeSet::new();
    for e in cal.events.iter() {
        let ps = &e.properties;
        if prop(ps, "RECURRENCE-ID").is_some() || skipped.contains(val(ps, "UID")) {
            continue;
        }
        let uid = val(ps, "UID").to_string();
        let start = prop(ps, "DTSTART").unwrap();
        let length = match prop(ps, "DTEND") {
            Some(end) => chrono_instant(end) - chrono_instant(start),
            None => {
                let d = val(ps, "DURATION");
                60 * d
                    .strip_prefix("PT")
                    .unwrap()
                    .strip_suffix('M')
                    .unwrap()
                    .parse::<i64>()
                    .unwrap()
            }
        };
        let mut lines = vec![as_line(start)];
        lines.extend(
            ps.iter()
                .filter(|p| p.name == "RRULE" || p.name == "EXDATE")
                .map(as_line),
        );
        if prop(ps, "RRULE").is_none() {
            lines.push("RRULE:FREQ=DAILY;COUNT=1".into());
        }
        let set: rrule::RRuleSet = lines
            .join("\n")
            .parse()
            .unwrap_or_else(|e| panic!("{lines:?}: {e}"));
        let tzid = param(start, "TZID").unwrap();
        let vz = &vtz[tzid];
        for dt in set.all(3000).dates {
            let t = dt.timestamp();
            if t >= to {
                break;
            }
            // The VTIMEZONE in the file, read as a client reads it, agrees with chrono-tz.
            let chrono_offset = (dt.naive_local() - dt.naive_utc()).num_seconds() as i32;
            let ts = Timestamp::from_second(t).unwrap();
            assert_eq!(
                vz.offset_at(ts).map(|o| o.seconds()),
                Some(chrono_offset),
                "{uid} at {ts}: VTIMEZONE {tzid} disagrees with chrono-tz"
            );
            let (s, e) = match overrides.get(&(uid.clone(), t)) {
                Some(o) => {
                    used.insert((uid.clone(), t));
                    *o
                }
                None => (t, t + length),
            };
            if s >= from && s < to {
                out.push((uid.clone(), s, e));
            }
        }
    }
    assert_eq!(
        used.len(),
        overrides.len(),
        "every override names a real instance"
    );
    out.sort();
    (out, skipped)
}

/// Our own expansion of the same meetings, through `Series::occurrences`.
fn expand_ourselves(f: &Fixture, which: &[usize]) -> Vec<Instance> {
    let (from, to): (Timestamp, Timestamp) = (FROM.parse().unwrap(), TO.parse().unwrap());
    let mut out = Vec::new();
    for &i in which {
        let g = group(f, i);
        let slug = &f.slugs[i];
        for s in g.series {
            let s = match g.retired {
                Some(r) => match s.ending_by(r) {
                    Some(s) => s,
                    None => continue,
                },
                None => s.clone(),
            };
            for o in s.occurrences(from, to) {
                if matches!(o.status, OccurrenceStatus::Cancelled { .. }) {
                    continue;
                }
                out.push((
                    format!("{slug}-{}@{HOST}", s.id),
                    o.start.timestamp().as_second(),
                    o.end.timestamp().as_second(),
                ));
            }
        }
        for o in g.one_offs {
            if o.cancelled || g.retired.is_some_and(|r| o.start.date() > r) {
                continue;
            }
            let t = o.start.timestamp();
            if t >= from && t < to {
                out.push((
                    format!("{slug}-{}@{HOST}", o.id),
                    t.as_second(),
                    o.end.timestamp().as_second(),
                ));
            }
        }
    }
    out.sort();
    out
}

// --- Tests -------------------------------------------------------------------------------------

#[test]
fn feed_passes_the_linter_and_parses_back_completely() {
    let f = fixture();
    let text = feed(&f, &all(&f));
    assert_eq!(lint_feed(&text), Vec::<String>::new(), "\n{text}");
    let cal = parse(&text);
    for (name, want) in [
        ("VERSION", "2.0"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", "MCP community meetings"),
        ("NAME", "MCP community meetings"),
        ("REFRESH-INTERVAL", "PT12H"),
        ("X-PUBLISHED-TTL", "PT12H"),
    ] {
        assert_eq!(val(&cal.properties, name), want, "{name}");
    }
    assert_eq!(
        val(&cal.properties, "PRODID"),
        format!("-//mcpsite//mcpsite {}//EN", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        param(prop(&cal.properties, "REFRESH-INTERVAL").unwrap(), "VALUE"),
        Some("DURATION")
    );

    // One VTIMEZONE per zone used, sorted.
    let zones: Vec<&str> = cal
        .timezones
        .iter()
        .map(|z| val(&z.properties, "TZID"))
        .collect();
    assert_eq!(
        zones,
        [
            "America/Los_Angeles",
            "America/New_York",
            "Asia/Tokyo",
            "Australia/Sydney",
            "Europe/Dublin",
            "Europe/London"
        ]
    );
    // UTC is used only by the all-cancelled series, which is dropped.
    assert!(!text.contains("TZID=UTC"));

    let uids: Vec<(String, Option<String>)> = cal
        .events
        .iter()
        .map(|e| {
            (
                val(&e.properties, "UID").to_string(),
                prop(&e.properties, "RECURRENCE-ID").map(|p| p.value.clone().unwrap()),
            )
        })
        .collect();
    let h = |s: &str| format!("{s}@{HOST}");
    assert_eq!(
        uids,
        [
            (h("agents-wg-biweekly-tue"), None),
            (h("agents-wg-biweekly-tue"), Some("20261103T120000".into())),
            (h("agents-wg-late-night"), None),
            (h("agents-wg-late-night"), Some("20261101T013000".into())),
            (h("apps-wg-20260210"), None),
            (h("apps-wg-apps-sync"), None),
            (h("apps-wg-apps-sync"), Some("20260311T080000".into())),
            (h("auth-ig-monthly-last-thu"), None),
            (h("auth-ig-second-tue"), None),
            (h("legacy-wg-weekly-mon"), None),
            (h("legacy-wg-wrap-up"), None),
            (h("sydney-ig-weekly-tue"), None),
        ],
        "components sorted by UID then RECURRENCE-ID; retired and fully cancelled series dropped"
    );
    for e in &cal.events {
        let ps = &e.properties;
        // DTEND, or DURATION where the end falls in a repeated hour (the fold="later" series).
        let late = val(ps, "UID").starts_with("agents-wg-late-night");
        let is_master = prop(ps, "RECURRENCE-ID").is_none();
        assert_eq!(prop(ps, "DURATION").is_some(), late && is_master, "{ps:#?}");
        assert_eq!(prop(ps, "DTEND").is_some(), !(late && is_master));
        for name in [
            "UID",
            "DTSTAMP",
            "DTSTART",
            "SEQUENCE",
            "STATUS",
            "SUMMARY",
            "DESCRIPTION",
            "URL",
            "CATEGORIES",
        ] {
            assert!(prop(ps, name).is_some(), "{name} in {ps:#?}");
        }
        assert_eq!(val(ps, "DTSTAMP"), "20260101T000000Z");
        assert!(val(ps, "URL").starts_with("https://mcp.example/groups/"));
        for banned in ["ORGANIZER", "ATTENDEE", "RDATE", "EXRULE"] {
            assert!(prop(ps, banned).is_none());
        }
        assert!(e.alarms.is_empty());
        let tentative = val(ps, "UID").starts_with("sydney-ig");
        assert_eq!(
            val(ps, "STATUS"),
            if tentative { "TENTATIVE" } else { "CONFIRMED" }
        );
    }
}

#[test]
fn exact_series_content() {
    let f = fixture();
    let text = feed(&f, &all(&f));
    let unfolded = text.replace("\r\n ", "");
    for line in [
        "DTSTART;TZID=America/Los_Angeles:20251217T080000",
        "DTEND;TZID=America/Los_Angeles:20251217T090000",
        "RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=WE",
        "EXDATE;TZID=America/Los_Angeles:20260107T080000",
        "RECURRENCE-ID;TZID=America/Los_Angeles:20260311T080000",
        "DTSTART;TZID=America/Los_Angeles:20260312T093000",
        "DTEND;TZID=America/Los_Angeles:20260312T101500",
        "SEQUENCE:2",
        "SUMMARY:Apps WG meeting",
        "SUMMARY:Auth IG meeting",
        "SUMMARY:Apps WG × Tokyo meetup: ✨ demos\\, Q&A\\, and planning",
        "LOCATION:Zoom 🎥 — link on meet.modelcontextprotocol.io\\; ask in #apps-wg\\, or DM a facilitator (naïve café crème)",
        "DESCRIPTION:Apps Working Group\\nDiscord: #apps-wg\\nNotes: https://github.com/modelcontextprotocol/apps-wg/discussions\\nhttps://mcp.example/groups/apps-wg/",
        "DESCRIPTION:Moved from 2026-03-11 08:00: clashes with the spec review\\nApps Working Group\\nDiscord: #apps-wg\\nNotes: https://github.com/modelcontextprotocol/apps-wg/discussions\\nhttps://mcp.example/groups/apps-wg/",
        "URL:https://mcp.example/groups/apps-wg/",
        "CATEGORIES:apps,apps-wg",
        "CATEGORIES:auth,auth-ig,Auth\\, Identity",
        "DTSTART;TZID=Asia/Tokyo:20260210T170000",
        "RRULE:FREQ=MONTHLY;BYDAY=-1TH;UNTIL=20270624T150000Z",
        "EXDATE;TZID=Europe/London:20261231T160000",
        "RRULE:FREQ=MONTHLY;BYDAY=2TU",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        "EXDATE;TZID=America/New_York:20260224T120000",
        "RECURRENCE-ID;TZID=America/New_York:20261103T120000",
        // The fold="later" start: the first instance is pinned in UTC (01:30 PST).
        "RECURRENCE-ID;TZID=America/Los_Angeles:20261101T013000",
        "DTSTART:20261101T093000Z",
        "DTEND:20261101T100000Z",
        // Retired on 2026-06-30, a Tuesday: the last Monday meeting is 06-29 at 15:00 IST.
        "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260629T140000Z",
        "RRULE:FREQ=WEEKLY;BYDAY=TU",
        "STATUS:TENTATIVE",
    ] {
        assert!(
            unfolded.split("\r\n").any(|l| l == line),
            "missing {line:?} in\n{unfolded}"
        );
    }
    assert!(
        !unfolded.contains("too-late"),
        "one-off after retirement is dropped"
    );
    assert!(!unfolded.contains("after-retirement"));
    assert!(!unfolded.contains("all-cancelled"));
    assert!(!unfolded.contains("X-WR-TIMEZONE"));
    // The long UTF-8 lines were folded.
    assert!(text.split("\r\n").any(|l| l.starts_with(' ')));
    assert!(text.split("\r\n").all(|l| l.len() <= 75));
    assert!(!text.replace("\r\n", "").contains(['\r', '\n']));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
}

#[test]
fn independent_engine_agrees_with_our_expansion() {
    let f = fixture();
    let which = all(&f);
    let text = feed(&f, &which);
    let (theirs, skipped) = expand_with_rrule_crate(&text);
    let ours = expand_ourselves(&f, &which);
    let late = format!("agents-wg-late-night@{HOST}");
    assert_eq!(skipped, BTreeSet::from([late.clone()]));
    let comparable: Vec<Instance> = ours.iter().filter(|i| i.0 != late).cloned().collect();
    assert!(comparable.len() > 150, "{}", comparable.len());
    assert_eq!(theirs.len(), comparable.len());
    assert_eq!(theirs, comparable);
    // And the expansion is the meetings we expect, in UTC, for a few checked by hand.
    let at = |uid: &str, s: &str| {
        let t = s.parse::<Timestamp>().unwrap().as_second();
        ours.iter()
            .any(|(u, st, _)| u == &format!("{uid}@{HOST}") && *st == t)
    };
    assert!(at("apps-wg-apps-sync", "2025-12-17T16:00:00Z"));
    assert!(
        !at("apps-wg-apps-sync", "2026-01-07T16:00:00Z"),
        "cancelled"
    );
    assert!(at("apps-wg-apps-sync", "2026-01-28T16:00:00Z"));
    assert!(at("apps-wg-apps-sync", "2026-02-18T16:00:00Z"));
    assert!(!at("apps-wg-apps-sync", "2026-03-11T15:00:00Z"), "moved");
    assert!(
        at("apps-wg-apps-sync", "2026-03-12T16:30:00Z"),
        "moved here, PDT"
    );
    assert!(
        at("apps-wg-apps-sync", "2026-04-01T15:00:00Z"),
        "after the US switch: 15:00Z"
    );
    assert!(at("apps-wg-apps-sync", "2026-10-28T15:00:00Z"), "still PDT");
    assert!(
        at("apps-wg-apps-sync", "2026-11-18T16:00:00Z"),
        "after the switch back: 16:00Z"
    );
    assert!(
        at("auth-ig-monthly-last-thu", "2026-04-30T15:00:00Z"),
        "five-Thursday April, BST"
    );
    assert!(
        at("auth-ig-monthly-last-thu", "2027-06-24T15:00:00Z"),
        "the last one"
    );
    assert!(
        !at("auth-ig-monthly-last-thu", "2026-12-31T16:00:00Z"),
        "cancelled"
    );
    assert!(at("sydney-ig-weekly-tue", "2026-03-30T22:00:00Z"), "AEDT");
    assert!(at("sydney-ig-weekly-tue", "2026-04-06T23:00:00Z"), "AEST");
    assert!(
        at("agents-wg-late-night", "2026-11-01T09:30:00Z"),
        "fold=later"
    );
    assert!(at("agents-wg-late-night", "2026-11-08T09:30:00Z"));
    assert!(at("legacy-wg-weekly-mon", "2026-06-29T14:00:00Z"));
    assert!(
        !at("legacy-wg-weekly-mon", "2026-07-06T14:00:00Z"),
        "retired"
    );
    assert!(at("apps-wg-20260210", "2026-02-10T08:00:00Z"));

    // Per group, too (each group's feed has its own VTIMEZONEs).
    for i in 0..f.slugs.len() {
        let text = feed(&f, &[i]);
        assert_eq!(lint_feed(&text), Vec::<String>::new(), "{}", f.slugs[i]);
        let (theirs, skipped) = expand_with_rrule_crate(&text);
        let ours: Vec<Instance> = expand_ourselves(&f, &[i])
            .into_iter()
            .filter(|i| !skipped.contains(&i.0))
            .collect();
        assert_eq!(theirs, ours, "{}", f.slugs[i]);
    }
}

#[test]
fn vtimezones_match_tzdb_at_every_meeting_and_cover_the_first() {
    let f = fixture();
    let text = feed(&f, &all(&f));
    let cal = parse(&text);
    let zones: BTreeMap<String, VTimezone> = cal
        .timezones
        .iter()
        .map(|z| {
            let v = read_vtimezone(z);
            (v.tzid.clone(), v)
        })
        .collect();
    let (from, to): (Timestamp, Timestamp) = (FROM.parse().unwrap(), TO.parse().unwrap());
    let mut checked = 0;
    for (i, m) in f.meetings.iter().enumerate() {
        for s in &m.series {
            let Some(vz) = zones.get(&s.tz_name) else {
                assert!(f.slugs[i] == "legacy-wg", "{}", s.tz_name);
                continue;
            };
            assert!(
                vz.first_onset().unwrap()
                    <= s.start.to_zoned_datetime(s.tz.clone()).unwrap().timestamp()
            );
            for o in s.occurrences(from, to) {
                let ts = o.start.timestamp();
                assert_eq!(
                    vz.offset_at(ts),
                    Some(s.tz.to_offset(ts)),
                    "{} at {ts}",
                    s.id
                );
                // Reading the local time back with the VTIMEZONE's offset gives the instant.
                assert_eq!(
                    vz.offset_at(ts).unwrap().to_datetime(ts),
                    o.start.datetime()
                );
                checked += 1;
            }
        }
        for o in &m.one_offs {
            if let Some(vz) = zones.get(&o.tz_name) {
                let ts = o.start.timestamp();
                assert_eq!(vz.offset_at(ts), Some(o.tz.to_offset(ts)));
                checked += 1;
            }
        }
    }
    assert!(checked > 150, "{checked}");
    // Years ahead, beyond the window, the current rules still hold.
    let la = &zones["America/Los_Angeles"];
    let tz = TimeZone::get("America/Los_Angeles").unwrap();
    let mut t: Timestamp = "2030-01-01T00:00:00Z".parse().unwrap();
    while t < "2036-01-01T00:00:00Z".parse().unwrap() {
        assert_eq!(la.offset_at(t), Some(tz.to_offset(t)), "{t}");
        t = t.checked_add(6.hours()).unwrap();
    }
}

#[test]
fn group_feeds_are_exact_subsets_of_the_aggregate() {
    let f = fixture();
    let aggregate = feed(&f, &all(&f));
    let events = |text: &str| -> Vec<String> {
        text.split("BEGIN:VEVENT\r\n")
            .skip(1)
            .map(|e| e.split("END:VEVENT\r\n").next().unwrap().to_string())
            .collect()
    };
    let agg_events = events(&aggregate);
    let mut union = Vec::new();
    for i in 0..f.slugs.len() {
        let one = feed(&f, &[i]);
        for e in events(&one) {
            assert!(agg_events.contains(&e), "{}: {e}", f.slugs[i]);
            union.push(e);
        }
    }
    union.sort();
    let mut agg_sorted = agg_events.clone();
    agg_sorted.sort();
    assert_eq!(union, agg_sorted);
}

#[test]
fn output_is_deterministic() {
    let f = fixture();
    let a = feed(&f, &all(&f));
    let b = feed(&f, &all(&f));
    assert_eq!(a, b);
    // The order the caller lists groups in does not matter.
    let mut rev = all(&f);
    rev.reverse();
    assert_eq!(a, feed(&f, &rev));
    // A second fixture load (fresh parse) gives the same bytes.
    assert_eq!(a, feed(&fixture(), &all(&fixture())));
}

#[test]
fn linter_fails_on_a_broken_feed() {
    let f = fixture();
    let good = feed(&f, &all(&f));
    // Bare LF, an unescaped comma, a missing VTIMEZONE, a floating time.
    let broken = good
        .replacen("\r\n", "\n", 1)
        .replacen("SUMMARY:Apps WG meeting", "SUMMARY:Apps, WG meeting", 1)
        .replacen("DTSTART;TZID=Asia/Tokyo:", "DTSTART:", 1);
    let without_tokyo = {
        let start = broken.find("BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo").unwrap();
        let end =
            start + broken[start..].find("END:VTIMEZONE\r\n").unwrap() + "END:VTIMEZONE\r\n".len();
        format!("{}{}", &broken[..start], &broken[end..])
    };
    let problems = lint_feed(&without_tokyo);
    for rule in [
        "bare-lf",
        "unescaped-comma",
        "floating-time",
        "tzid-no-vtimezone",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(&format!(": {rule}: "))),
            "{rule} not found in {problems:#?}"
        );
    }
}
