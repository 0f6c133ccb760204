//! What readers and subscribers get beyond the lists: the "add to my calendar" links of each
//! listed meeting, checked against the group's feed as another engine (the `rrule` crate, with
//! chrono-tz) expands it, across the March 2027 US DST change; and the feeds per kind, exact
//! subsets of the aggregate that pass the feed lint.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

/// Builds the `basic` fixture for `today` with the built-in theme (these links and subscribe
/// sections are the built-in theme's; the fixture's own theme keeps its golden output apart)
/// into a temporary folder.
fn build(today: &str) -> (common::TestSite, PathBuf) {
    let site = common::TestSite::from_fixture("sites/basic");
    let cfg = site.path().join("mcpsite.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    let line = "theme = \"fixture\"\n";
    assert!(text.contains(line), "no theme line in {}", cfg.display());
    std::fs::write(&cfg, text.replacen(line, "", 1)).unwrap();
    std::fs::remove_dir_all(site.path().join("themes")).unwrap();
    let out = site.path().join("public");
    let status = std::process::Command::new(common::bin())
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output-dir")
        .arg(&out)
        .args(["--today", today])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    (site, out)
}

fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The content lines of a feed, unfolded.
fn unfold(ics: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for l in ics.split("\r\n") {
        match l.strip_prefix(' ') {
            Some(rest) => lines.last_mut().unwrap().push_str(rest),
            None => lines.push(l.to_string()),
        }
    }
    lines
}

/// Every meeting in a feed as the `rrule` crate expands it: UTC start → end, seconds, moves
/// (RECURRENCE-ID overrides) applied, cancellations (EXDATE) left out.
fn expand_feed(ics: &str) -> BTreeMap<i64, i64> {
    let lines = unfold(ics);
    let mut events: Vec<Vec<&String>> = Vec::new();
    for l in &lines {
        if l == "BEGIN:VEVENT" {
            events.push(Vec::new());
        } else if let Some(e) = events.last_mut() {
            e.push(l);
        }
    }
    let get = |e: &[&String], name: &str| -> Option<String> {
        e.iter()
            .find(|l| l.starts_with(&format!("{name};")) || l.starts_with(&format!("{name}:")))
            .map(|l| l.to_string())
    };
    // The instant of one date-time property, by the rrule crate.
    let instant = |line: &str| -> i64 {
        let (name, _) = line.split_once([';', ':']).unwrap();
        let line = line.replacen(name, "DTSTART", 1);
        let set: rrule::RRuleSet = format!("{line}\nRRULE:FREQ=DAILY;COUNT=1").parse().unwrap();
        set.all(1).dates[0].timestamp()
    };
    let mut moves = BTreeMap::new();
    for e in events.iter().filter(|e| get(e, "RECURRENCE-ID").is_some()) {
        let start = instant(&get(e, "DTSTART").unwrap());
        let end = instant(&get(e, "DTEND").unwrap());
        moves.insert(instant(&get(e, "RECURRENCE-ID").unwrap()), (start, end));
    }
    let mut out = BTreeMap::new();
    for e in events.iter().filter(|e| get(e, "RECURRENCE-ID").is_none()) {
        let start = get(e, "DTSTART").unwrap();
        let length = instant(&get(e, "DTEND").unwrap()) - instant(&start);
        let mut rule = vec![start];
        rule.extend(
            e.iter()
                .filter(|l| l.starts_with("RRULE:") || l.starts_with("EXDATE"))
                .map(|l| l.to_string()),
        );
        if get(e, "RRULE").is_none() {
            rule.push("RRULE:FREQ=DAILY;COUNT=1".into());
        }
        let set: rrule::RRuleSet = rule.join("\n").parse().unwrap();
        for d in set.all(200).dates {
            let (s, e) = moves
                .get(&d.timestamp())
                .copied()
                .unwrap_or((d.timestamp(), d.timestamp() + length));
            out.insert(s, e);
        }
    }
    out
}

/// A query parameter of a link as written in HTML (`&amp;` between parameters), decoded.
fn param(href: &str, name: &str) -> String {
    let query = href.replace("&amp;", "&");
    let value = query
        .split(['?', '&'])
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {href}"));
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn seconds(s: &str) -> i64 {
    s.parse::<Timestamp>().unwrap().as_second()
}

/// The upcoming list of a group page: per meeting, its `<time datetime>` and its Google and
/// Outlook links when it has them.
fn upcoming(html: &str) -> Vec<(String, Option<(String, String)>)> {
    let list = html
        .split("<ul class=\"upcoming\"")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    list.split("<li class=\"meeting")
        .skip(1)
        .map(|li| {
            let attr = |after: &str| -> Option<String> {
                li.split(after)
                    .nth(1)
                    .map(|r| r.split('"').next().unwrap().to_string())
            };
            let time = attr("<time datetime=\"").unwrap();
            let links = attr("href=\"https://calendar.google.com/")
                .map(|g| (g, attr("href=\"https://outlook.live.com/").unwrap()));
            (time, links)
        })
        .collect()
}

#[test]
fn add_to_calendar_links_carry_the_feed_instants_across_dst() {
    // 2026-11-24: the moved (17 December) and cancelled (30 December) meetings are listed;
    // 2027-02-15: the list crosses the US change of 14 March 2027 (17:00Z, then 16:00Z).
    let mut seen_offsets = std::collections::BTreeSet::new();
    for today in ["2026-11-24", "2027-02-15"] {
        let (_dir, out) = build(today);
        let feed = expand_feed(&read(&out, "groups/auth-ig/calendar.ics"));
        let list = upcoming(&read(&out, "groups/auth-ig/index.html"));
        assert_eq!(list.len(), 6, "{today}");
        for (time, links) in &list {
            let start = seconds(time);
            match links {
                None => {
                    // Only a cancelled meeting has no links, and the feed does not have it.
                    assert_eq!(
                        (today, time.as_str()),
                        ("2026-11-24", "2026-12-30T17:00:00Z")
                    );
                    assert!(!feed.contains_key(&start));
                }
                Some((google, outlook)) => {
                    let end = feed
                        .get(&start)
                        .unwrap_or_else(|| panic!("{time} is not in the feed"));
                    let dates = param(google, "dates");
                    let (gs, ge) = dates.split_once('/').unwrap();
                    let compact = |t: i64| {
                        Timestamp::from_second(t)
                            .unwrap()
                            .strftime("%Y%m%dT%H%M%SZ")
                            .to_string()
                    };
                    assert_eq!((gs, ge), (compact(start).as_str(), compact(*end).as_str()));
                    assert_eq!(param(google, "ctz"), "America/Los_Angeles");
                    assert!(
                        param(google, "details")
                            .contains("https://groups.example.org/groups/auth-ig/")
                    );
                    assert_eq!(seconds(&param(outlook, "startdt")), start);
                    assert_eq!(seconds(&param(outlook, "enddt")), *end);
                    assert_eq!(param(outlook, "subject"), param(google, "text"));
                    assert!(param(outlook, "body").contains("/groups/auth-ig/"));
                    seen_offsets.insert(time[11..].to_string());
                }
            }
        }
    }
    // The moved meeting links its new time, and both sides of the DST change were compared.
    assert!(seen_offsets.contains("18:00:00Z"), "{seen_offsets:?}");
    assert!(seen_offsets.contains("17:00:00Z") && seen_offsets.contains("16:00:00Z"));
}

/// The events of a feed, as their exact text.
fn events(ics: &str) -> Vec<String> {
    ics.split("BEGIN:VEVENT\r\n")
        .skip(1)
        .map(|e| e.split("END:VEVENT\r\n").next().unwrap().to_string())
        .collect()
}

#[test]
fn kind_feeds_are_exact_subsets_of_the_aggregate_and_pass_the_lint() {
    let (_dir, out) = build("2026-11-24");
    let aggregate = events(&read(&out, "calendar.ics"));
    let mut union = Vec::new();
    for (kind, groups) in [
        ("ig", &["auth-ig", "ideas-ig"][..]),
        ("wg", &["tasks-wg"][..]),
    ] {
        let text = read(&out, &format!("{kind}/calendar.ics"));
        assert_eq!(
            mcpsite::ical::lint_feed(&text),
            Vec::<String>::new(),
            "{kind}"
        );
        let mine = events(&text);
        for e in &mine {
            assert!(aggregate.contains(e), "{kind}: not in the aggregate:\n{e}");
        }
        // Exactly the events of the kind's groups' own feeds.
        let mut own: Vec<String> = groups
            .iter()
            .flat_map(|g| events(&read(&out, &format!("groups/{g}/calendar.ics"))))
            .collect();
        let mut sorted = mine.clone();
        own.sort();
        sorted.sort();
        assert_eq!(sorted, own, "{kind}");
        assert!(!mine.is_empty(), "{kind}");
        union.extend(mine);
        // Linked from the kind page, with the subscribe help.
        let page = read(&out, &format!("{kind}/index.html"));
        assert!(
            page.contains(&format!("webcal://groups.example.org/{kind}/calendar.ics")),
            "{kind}"
        );
        assert!(page.contains("How to subscribe in Google, Apple, Outlook or Thunderbird"));
    }
    let mut all = aggregate.clone();
    union.sort();
    all.sort();
    assert_eq!(
        union, all,
        "every event of the aggregate is in one kind's feed"
    );
    let headers = read(&out, "_headers");
    for kind in ["ig", "wg"] {
        assert!(
            headers.contains(&format!(
                "/{kind}/calendar.ics\n  Content-Type: text/calendar; charset=utf-8\n"
            )),
            "{headers}"
        );
    }
}
