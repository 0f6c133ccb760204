//! Builds the repository's own `content/` (the real MCP directory) and checks every group page,
//! the JSON index and the feeds. This is CI's guard for the published site itself.

mod common;

use std::collections::BTreeSet;

use common::{TestSite, copy_dir, read_tree, repo_root};

fn build_real() -> (TestSite, std::collections::BTreeMap<String, Vec<u8>>) {
    let site = TestSite {
        dir: tempfile::tempdir().unwrap(),
    };
    let root = repo_root();
    copy_dir(&root.join("content"), &site.path().join("content"));
    std::fs::copy(root.join("mcpsite.toml"), site.path().join("mcpsite.toml")).unwrap();
    if root.join("themes").is_dir() {
        copy_dir(&root.join("themes"), &site.path().join("themes"));
    }
    let run = site.build();
    assert_eq!(run.code, 0, "the real content must build:\n{}", run.stderr);
    let tree = read_tree(&site.path().join("public"));
    (site, tree)
}

fn text(tree: &std::collections::BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        tree.get(path)
            .unwrap_or_else(|| panic!("{path} was not built"))
            .clone(),
    )
    .unwrap()
}

/// Every `content/groups/*.md` slug.
fn content_slugs() -> BTreeSet<String> {
    std::fs::read_dir(repo_root().join("content/groups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .collect()
}

#[test]
fn every_real_group_has_a_page_with_its_facts() {
    let (_site, tree) = build_real();
    let slugs = content_slugs();
    assert_eq!(slugs.len(), 36, "the directory holds the 36 real groups");
    for slug in &slugs {
        let page = text(&tree, &format!("groups/{slug}/index.html"));
        let md =
            std::fs::read_to_string(repo_root().join(format!("content/groups/{slug}.md"))).unwrap();
        let fm: toml::Table = toml::from_str(md.split("+++").nth(1).unwrap()).unwrap();
        let name = fm["name"].as_str().unwrap();
        assert!(
            page.contains(&html_escape(name)),
            "{slug}: the page does not show its name `{name}`"
        );
        if let Some(ch) = fm
            .get("discord")
            .and_then(|d| d.get("channel"))
            .and_then(|c| c.as_str())
        {
            assert!(page.contains(ch), "{slug}: channel {ch} not shown");
        }
        for f in fm
            .get("facilitators")
            .and_then(|f| f.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(h) = f.get("github").and_then(|h| h.as_str()) {
                assert!(
                    page.contains(&format!("https://github.com/{h}")),
                    "{slug}: facilitator {h} not linked"
                );
            }
        }
        assert!(
            page.starts_with("<!DOCTYPE html>"),
            "{slug}: not an HTML document"
        );
        assert_eq!(page.matches("<h1").count(), 1, "{slug}: one h1 per page");
    }
}

#[test]
fn json_index_lists_every_group() {
    let (_site, tree) = build_real();
    let v: serde_json::Value = serde_json::from_str(&text(&tree, "groups.json")).unwrap();
    let groups = v["groups"]
        .as_array()
        .expect("groups.json has a `groups` array");
    let listed: BTreeSet<String> = groups
        .iter()
        .map(|g| g["slug"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, content_slugs());
    let transports = groups
        .iter()
        .find(|g| g["slug"] == "transports-wg")
        .unwrap();
    assert_eq!(transports["kind"], "wg");
    assert_eq!(transports["status"], "active");
    assert_eq!(transports["channel"], "transports-wg");
    assert_eq!(
        transports["url"],
        "https://mcp-groups.netlify.app/groups/transports-wg/"
    );
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn real_feeds_pass_the_checklist_and_are_subsets_of_the_aggregate() {
    let (_site, tree) = build_real();
    let all = text(&tree, "calendar.ics");
    let problems = mcpsite::ical::lint_feed(&all);
    assert!(problems.is_empty(), "calendar.ics: {problems:#?}");
    // The five groups with a known day, time and zone publish a series each.
    for uid in [
        "UID:apps-wg-working-session@mcp-groups.netlify.app",
        "UID:inspector-v2-wg-working-session@mcp-groups.netlify.app",
        "UID:skills-over-mcp-wg-working-session@mcp-groups.netlify.app",
        "UID:transports-wg-weekly@mcp-groups.netlify.app",
        "UID:agents-wg-working-session@mcp-groups.netlify.app",
    ] {
        assert!(all.contains(&format!("{uid}\r\n")), "{uid} missing");
    }
    assert!(
        all.contains("RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=WE\r\n"),
        "the Apps WG meets every third week"
    );
    assert!(
        all.contains("EXDATE;TZID=America/Los_Angeles:20260701T130000\r\n"),
        "the Transports WG's 2026-07-01 cancellation"
    );
    // It parses back with an independent parser.
    let parsed = ical::IcalParser::new(all.as_bytes())
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(parsed.events.len(), 5);
    let events = vevents(&all);
    for slug in content_slugs() {
        let feed = text(&tree, &format!("groups/{slug}/calendar.ics"));
        let problems = mcpsite::ical::lint_feed(&feed);
        assert!(problems.is_empty(), "{slug}: {problems:#?}");
        for ev in vevents(&feed) {
            assert!(
                events.contains(&ev),
                "{slug}: an event is not in the aggregate:\n{ev}"
            );
        }
    }
}

/// The VEVENT blocks of a feed, verbatim.
fn vevents(feed: &str) -> Vec<String> {
    feed.split("BEGIN:VEVENT\r\n")
        .skip(1)
        .map(|b| b.split("END:VEVENT\r\n").next().unwrap().to_string())
        .collect()
}
