//! A large agenda is cut into periods: the calendar page and `meetings.json` become one page and
//! one part per month (or week, or day), linked from each other, that together hold every
//! meeting exactly once; a small agenda stays one page and one file (the golden fixtures and the
//! real content show that).

mod common;

use std::collections::BTreeMap;

use common::{TestSite, group_page, read_tree};
use serde_json::Value;

/// 120 groups meeting twice a week: about 3,100 meetings in the 90-day agenda, more than one page
/// lists, and few enough per month for monthly pages.
fn busy_site() -> TestSite {
    let site = TestSite::new();
    for i in 0..120 {
        let kind = if i % 3 == 0 { "wg" } else { "ig" };
        let page = group_page(kind, &format!("Topic {i:03}"), &format!("topic-{i:03}"));
        let schedules = format!(
            "\n[[schedule]]\nid = \"tue\"\ntz = \"America/Los_Angeles\"\nstart = 2026-01-06T09:00:00\n\
             duration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n\n\
             [[schedule]]\nid = \"thu\"\ntz = \"Asia/Tokyo\"\nstart = 2026-01-08T{:02}:00:00\n\
             duration = 30\nevery = \"weekly\"\nweekday = \"thu\"\n\n[discord]",
            8 + i % 10
        );
        site.group(
            &format!("topic{i:03}-{kind}"),
            page.replacen("\n[discord]", &schedules, 1),
        );
    }
    site
}

fn json(tree: &BTreeMap<String, Vec<u8>>, path: &str) -> Value {
    serde_json::from_slice(&tree[path]).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What identifies a meeting across the outputs.
fn ids(records: &[Value]) -> Vec<(String, String, String)> {
    records
        .iter()
        .map(|m| {
            let s = |k: &str| m[k].as_str().unwrap().to_string();
            (s("start"), s("group"), s("id"))
        })
        .collect()
}

#[test]
fn a_large_agenda_is_cut_into_linked_months() {
    let site = busy_site();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tree = read_tree(&site.path().join("public"));

    // meetings.json lists its parts; their records, in order, are every meeting of the window,
    // as `mcpsite meetings` lists them (the window is 90 days from today, UTC).
    let first = json(&tree, "meetings.json");
    let parts = first["parts"]
        .as_array()
        .expect("a cut meetings.json lists its parts");
    let months: Vec<&str> = parts.iter().map(|p| p["from"].as_str().unwrap()).collect();
    assert_eq!(
        months,
        [
            "2026-11-24T00:00:00Z",
            "2026-12-01T00:00:00Z",
            "2027-01-01T00:00:00Z",
            "2027-02-01T00:00:00Z"
        ]
    );
    let mut all = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let url = part["url"].as_str().unwrap();
        let path = url.strip_prefix("https://groups.example.org/").unwrap();
        let doc = json(&tree, path);
        assert_eq!(doc["from"], part["from"], "{path}");
        assert_eq!(doc["to"], part["to"], "{path}");
        assert_eq!(doc.get("parts").is_some(), i == 0, "{path}");
        let records = doc["meetings"].as_array().unwrap();
        assert_eq!(records.len(), part["meetings"].as_u64().unwrap() as usize);
        assert!(records.len() <= 1500, "{path}: {}", records.len());
        for m in records {
            let start = m["start"].as_str().unwrap();
            let (from, to) = (doc["from"].as_str().unwrap(), doc["to"].as_str().unwrap());
            assert!(
                from <= start && start < to,
                "{path}: {start} outside {from}..{to}"
            );
        }
        all.extend(records.iter().cloned());
    }
    let listed = site.run(&[
        "meetings",
        "--today",
        "2026-11-24",
        "--from",
        "2026-11-24",
        "--to",
        "2027-02-21",
        "--tz",
        "UTC",
        "--format",
        "json",
    ]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let listed: Vec<Value> = serde_json::from_str(&listed.stdout).unwrap();
    assert!(listed.len() > 3000, "{}", listed.len());
    assert_eq!(ids(&all), ids(&listed));

    // One calendar page per month, each listing its part's meetings and linking every month.
    let pages = [
        "calendar/index.html",
        "calendar/2026-12/index.html",
        "calendar/2027-01/index.html",
        "calendar/2027-02/index.html",
    ];
    let mut items = 0;
    for (page, part) in pages.iter().zip(parts) {
        let html = String::from_utf8(tree[*page].clone()).unwrap();
        let shown = html.matches("<li class=\"meeting ").count();
        assert_eq!(shown as u64, part["meetings"].as_u64().unwrap(), "{page}");
        items += shown;
        for link in [
            "/calendar/\"",
            "/calendar/2026-12/\"",
            "/calendar/2027-01/\"",
            "/calendar/2027-02/\"",
        ] {
            assert!(
                html.contains(&format!("href=\"{link}")),
                "{page} lacks {link}"
            );
        }
        assert_eq!(
            html.matches("aria-current=\"page\"").count(),
            2,
            "{page}: the nav's and the period's"
        );
        // No week at a glance nor every group's meetings: those need the whole agenda.
        assert!(!html.contains("data-week"), "{page}");
        assert!(!html.contains("id=\"live-data\""), "{page}");
    }
    assert_eq!(items, listed.len());
    let december = String::from_utf8(tree["calendar/2026-12/index.html"].clone()).unwrap();
    assert!(december.contains("<title>Meeting calendar: December 2026"));
    assert!(december.contains("rel=\"prev\">← November 2026</a>"));
    assert!(december.contains("rel=\"next\">January 2027 →</a>"));
}

#[test]
fn a_small_agenda_is_one_page_and_one_file() {
    let site = TestSite::new();
    let page = group_page("ig", "Small", "small");
    let schedule = "\n[[schedule]]\nid = \"w\"\ntz = \"Europe/Berlin\"\nstart = 2026-01-06T16:00:00\n\
                    duration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n\n[discord]";
    site.group("small-ig", page.replacen("\n[discord]", schedule, 1));
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tree = read_tree(&site.path().join("public"));
    let doc = json(&tree, "meetings.json");
    assert!(doc.get("parts").is_none());
    assert_eq!(doc["meetings"].as_array().unwrap().len(), 13);
    assert!(!tree.keys().any(|k| k.starts_with("meetings/")));
    let calendar_pages: Vec<_> = tree.keys().filter(|k| k.starts_with("calendar/")).collect();
    assert_eq!(calendar_pages, ["calendar/index.html"]);
    let html = String::from_utf8(tree["calendar/index.html"].clone()).unwrap();
    assert!(html.contains("data-week"));
    assert!(!html.contains("agenda-periods"));
}

/// A group that has met weekly since 2023 lists its recent meetings and links an archive page
/// with all of them; a group with few past meetings has none.
#[test]
fn a_long_history_moves_to_the_groups_archive_page() {
    let site = TestSite::new();
    let weekly = |start: &str| {
        format!(
            "\n[[schedule]]\nid = \"w\"\ntz = \"Europe/Berlin\"\nstart = {start}T16:00:00\n\
             duration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n\n[discord]"
        )
    };
    let old = group_page("ig", "Old", "old").replacen("\n[discord]", &weekly("2023-01-03"), 1);
    let new = group_page("ig", "New", "new").replacen("\n[discord]", &weekly("2026-09-01"), 1);
    site.group("old-ig", old).group("new-ig", new);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tree = read_tree(&site.path().join("public"));
    let text = |p: &str| String::from_utf8(tree[p].clone()).unwrap();

    // Tuesdays from 3 January 2023 to 17 November 2026, the last before today (24 November):
    // 202 weeks apart.
    let held = 203;
    let page = text("groups/old-ig/index.html");
    assert!(
        page.contains(&format!(
            "<a href=\"/groups/old-ig/meetings/\">All {held} past meetings and their notes</a>"
        )),
        "{page}"
    );
    // No notes are recorded, so each past meeting says so once.
    let listed = |html: &str| html.matches("no notes recorded").count();
    assert_eq!(listed(&page), 12, "the recent ones only");
    let archive = text("groups/old-ig/meetings/index.html");
    assert_eq!(listed(&archive), held);
    assert!(archive.contains("<h1>Notes of past meetings</h1>"));
    assert!(archive.contains("href=\"/groups/old-ig/\""));

    assert!(!tree.contains_key("groups/new-ig/meetings/index.html"));
    assert!(!text("groups/new-ig/index.html").contains("/groups/new-ig/meetings/"));
}

/// `serve` keeps each agenda row's HTML between rebuilds (a group's edit changes its rows on
/// every period's page): after renaming a group that meets, and after changing its schedule,
/// a rebuild through the kept cache equals a plain build (whose cache keeps nothing, and whose
/// pages render each row themselves), file for file, and the periods' pages show the new name.
#[test]
fn rebuilds_of_a_cut_agenda_through_a_kept_cache_equal_fresh_builds() {
    use mcpsite::pipeline::BuildCache;

    let dir = busy_site();
    let mut site = common::Rebuilds::load(dir.path());
    let mut cache = BuildCache::default();
    let build = |site: &common::Rebuilds, cache: &mut BuildCache| {
        (site.build(cache).files())
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect::<BTreeMap<String, Vec<u8>>>()
    };
    let first = build(&site, &mut cache);
    assert!(first.contains_key("calendar/2027-01/index.html"));

    let i = site.group("topic007-ig.md");
    let edits = [
        ("name = \"", "name = \"Renamed "),
        ("T15:00:00\n", "T16:00:00\n"),
    ];
    for (from, to) in edits {
        let text = site.sources.groups[i].text.replacen(from, to, 1);
        assert_ne!(
            *site.sources.groups[i].text, text,
            "the edit changes the page"
        );
        site.sources.groups[i].text = text.into();
        let kept = build(&site, &mut cache);
        let fresh = build(&site, &mut BuildCache::for_one_build());
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &fresh {
            assert!(kept[path] == *bytes, "{path} differs from a fresh build's");
        }
    }
    let january =
        String::from_utf8(build(&site, &mut cache)["calendar/2027-01/index.html"].clone()).unwrap();
    assert!(
        january.contains("Renamed Topic 007"),
        "the period's page shows the new name"
    );
}
