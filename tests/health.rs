//! The community health page and `/health.json`, built by the real binary from
//! `tests/fixtures/sites/health/`: one group per situation the page tells apart (healthy; a WG
//! inactive past `wg_inactive_days` whose facilitator's term ended; a WG whose work items are all
//! finished; an IG without notes and without recent activity; an IG whose cancelled meetings
//! must not count as missing notes; a WG with a moved meeting; a proposed IG; a retired WG that
//! must not appear).
//!
//! Golden copies of `/health/index.html` and `/health.json` live in
//! `tests/fixtures/sites/health.expected/`; only `UPDATE_GOLDEN=1 cargo test` rewrites them.
//! Every build passes `--today`.

mod common;

use common::TestSite;

/// The fixture built with `--today 2026-11-24`.
fn built() -> TestSite {
    let site = TestSite::from_fixture("sites/health");
    let run = site.build();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    site
}

fn read(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.path().join("public").join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json(site: &TestSite) -> serde_json::Value {
    serde_json::from_str(&read(site, "health.json")).unwrap()
}

/// The record of `slug` in `/health.json`.
fn group<'a>(doc: &'a serde_json::Value, slug: &str) -> &'a serde_json::Value {
    doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["slug"] == slug)
        .unwrap_or_else(|| panic!("no {slug} in health.json"))
}

#[test]
fn health_page_and_json_match_golden_output() {
    let site = built();
    let picked = tempfile::tempdir().unwrap();
    for rel in ["health/index.html", "health.json"] {
        let to = picked.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(site.path().join("public").join(rel), &to).unwrap();
    }
    common::assert_tree_eq(
        picked.path(),
        &common::repo_root().join("tests/fixtures/sites/health.expected"),
    );
}

#[test]
fn rows_come_most_urgent_first_and_retired_groups_are_left_out() {
    let site = built();
    let doc = json(&site);
    let order: Vec<&str> = doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["slug"].as_str().unwrap())
        .collect();
    // Errors (new-ig: the template's differentiation), then candidates (idle-wg has two), then
    // warnings (moved-wg: a meeting without notes), then the rest by slug.
    assert_eq!(
        order,
        [
            "new-ig",
            "idle-wg",
            "quiet-ig",
            "done-wg",
            "moved-wg",
            "healthy-wg",
            "paused-ig"
        ]
    );
    let page = read(&site, "health/index.html");
    assert!(!page.contains("old-wg"), "the retired group is on the page");
    let rows: Vec<usize> = order
        .iter()
        .map(|s| page.find(&format!("<tr id=\"g-{s}\"")).unwrap())
        .collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
}

#[test]
fn candidates_name_their_rule_and_numbers() {
    let doc = json(&built());
    let got: Vec<(String, String)> = doc["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["group"].as_str().unwrap().to_string(),
                c["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("idle-wg", "wg-inactive"),
        ("idle-wg", "facilitator-terms-ended"),
        ("quiet-ig", "ig-inactive"),
        ("done-wg", "wg-items-all-finished"),
    ]
    .map(|(g, r)| (g.to_string(), r.to_string()));
    assert_eq!(got, want);
    let idle = &doc["candidates"][0];
    assert_eq!(idle["last_activity"], "2026-08-12");
    assert_eq!(idle["days_since"], 104);
    assert_eq!(idle["threshold_days"], 30);
    let text = idle["text"].as_str().unwrap();
    assert!(
        text.contains("since 2026-08-12") && text.contains("104 days"),
        "{text}"
    );
    assert!(!text.to_lowercase().contains("should"), "a verdict: {text}");
}

#[test]
fn cancelled_meetings_are_not_missing_notes() {
    let doc = json(&built());
    let paused = group(&doc, "paused-ig");
    assert_eq!(paused["meetings"]["held"], 4);
    assert_eq!(paused["meetings"]["with_notes"], 4);
    assert_eq!(paused["meetings"]["cancelled"], 2);
    assert_eq!(paused["notes_coverage_percent"], 100);
    assert_eq!(paused["urgency"], "quiet");
}

/// How many marks of each kind (`wk-notes`, `wk-missing`, `wk-moved`, `wk-cancelled`,
/// `wk-none`) the first strip in `html` after `from` has.
fn marks(html: &str, from: &str) -> [usize; 5] {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let svg_start = start + html[start..].find("<svg class=\"strip\"").unwrap();
    let svg_end = svg_start + html[svg_start..].find("</svg>").unwrap();
    let svg = &html[svg_start..svg_end];
    [
        "wk-notes",
        "wk-missing",
        "wk-moved",
        "wk-cancelled",
        "wk-none",
    ]
    .map(|class| svg.matches(&format!("class=\"wk {class}\"")).count())
}

#[test]
fn strips_have_one_mark_per_week_of_the_right_kind() {
    let site = built();
    let page = read(&site, "health/index.html");
    // Mondays from 2026-10-05 to 11-23: six with notes, one without (11-02), one moved (10-19).
    assert_eq!(marks(&page, "<tr id=\"g-moved-wg\""), [6, 1, 1, 0, 44]);
    // Every other Tuesday from 08-04; 09-01 and 10-27 cancelled, every other one with notes.
    assert_eq!(marks(&page, "<tr id=\"g-paused-ig\""), [6, 0, 0, 2, 44]);
    // Thursdays from 09-03, none with notes.
    assert_eq!(marks(&page, "<tr id=\"g-quiet-ig\""), [0, 12, 0, 0, 40]);
    // The group page shows the same strip near its schedule.
    let group = read(&site, "groups/moved-wg/index.html");
    assert_eq!(marks(&group, "id=\"meeting-record\""), [6, 1, 1, 0, 44]);
    assert!(group.find("id=\"meetings\"").unwrap() < group.find("id=\"meeting-record\"").unwrap());
    // Every strip and bar says what it shows in words.
    for svg in page.split("<svg class=\"strip\"").skip(1) {
        assert!(
            svg.contains("<title id=") && svg.contains("<desc id="),
            "{svg}"
        );
    }
    let retired = read(&site, "groups/old-wg/index.html");
    assert!(!retired.contains("meeting-record"));
}

#[test]
fn linked_from_the_footer_and_the_directory_not_the_navigation() {
    let site = built();
    let index = read(&site, "index.html");
    let nav = &index[index.find("<nav id=\"site-nav\"").unwrap()..index.find("</nav>").unwrap()];
    assert!(!nav.contains("/health/"), "{nav}");
    let footer = &index[index.find("<footer").unwrap()..];
    assert!(footer.contains("href=\"/health/\""));
    let main = &index[index.find("<main").unwrap()..index.find("<footer").unwrap()];
    assert!(main.contains("href=\"/health/\""));
}

#[test]
fn the_window_is_a_setting() {
    let site = TestSite::from_fixture("sites/health");
    let cfg = std::fs::read_to_string(site.path().join("mcpsite.toml")).unwrap();
    site.write(
        "mcpsite.toml",
        cfg.replace("window_days = 90", "window_days = 14"),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = json(&site);
    assert_eq!(doc["window_days"], 14);
    assert_eq!(doc["window_from"], "2026-11-10");
    let moved = group(&doc, "moved-wg");
    // 11-16 and 11-23.
    assert_eq!(moved["meetings"]["held"], 2);
    site.write(
        "mcpsite.toml",
        cfg.replace("window_days = 90", "window = 14"),
    );
    let run = site.build();
    assert_eq!(run.code, 1, "an unknown key must be an error");
    assert!(run.stdout.contains("config-parse") || run.stderr.contains("config-parse"));
}

/// `serve` keeps each group's findings and health figures between rebuilds: after edits, a
/// rebuild through the kept cache gives the same health page and `health.json` as a fresh build,
/// including the row of a group whose own page did not change but which names the edited one
/// (`new-ig` lists `quiet-ig` as related, and the finding that `quiet-ig` does not list it back
/// goes away), and the edited group's own row.
#[test]
fn health_kept_between_rebuilds_equals_a_fresh_build() {
    use mcpsite::config::SiteRequest;
    use mcpsite::pipeline::{self, BuildCache};

    let site = TestSite::from_fixture("sites/health");
    let root = site.path().to_path_buf();
    let opts = SiteRequest {
        root: root.clone(),
        drafts: false,
        today: Some(jiff::civil::date(2026, 11, 24)),
        base_url: None,
    }
    .resolve(&root.join("public"))
    .unwrap()
    .expect("the settings have no errors");
    let (mut sources, diags) = mcpsite::source::load(&root).unwrap();
    let mut cache = BuildCache::default();
    let health = |sources: &mcpsite::source::Sources, cache: &mut BuildCache| {
        let out = pipeline::build_from(&opts, sources, diags.clone(), cache).unwrap();
        let out = out.output.expect("the fixture builds");
        let text = |p: &str| String::from_utf8(out.get(p).unwrap().to_vec()).unwrap();
        (text("health.json"), text("health/index.html"))
    };
    let before = health(&sources, &mut cache);
    assert!(before.0.contains("related-asymmetric"), "{}", before.0);

    let quiet = (sources.groups.iter())
        .position(|f| f.path.ends_with("quiet-ig.md"))
        .unwrap();
    let original = sources.groups[quiet].text.clone();
    sources.groups[quiet].text = original
        .replacen(
            "status = \"active\"\n",
            "status = \"active\"\nrelated = [\"new-ig\"]\n",
            1,
        )
        .into();
    let kept = health(&sources, &mut cache);
    assert_eq!(kept, health(&sources, &mut BuildCache::default()));
    assert!(!kept.0.contains("related-asymmetric"), "{}", kept.0);

    // The edited group's own row changes; the others are reused.
    sources.groups[quiet].text = original
        .replacen("name = \"", "name = \"Renamed ", 1)
        .into();
    let renamed = health(&sources, &mut cache);
    assert_eq!(renamed, health(&sources, &mut BuildCache::default()));
    assert!(renamed.1.contains("Renamed "), "{}", renamed.1);

    sources.groups[quiet].text = original;
    assert_eq!(health(&sources, &mut cache), before);
}
