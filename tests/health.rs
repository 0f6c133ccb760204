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
//!
//! The same fixture with generated groups and a small `[health] rows_per_page` tests the pages
//! and parts a big site gets: each live group once, in order, no page or part past the setting,
//! links that resolve, and `serve` making again only the page and part of an edited group.

mod common;

use common::{TestSite, options_at};

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
    use mcpsite::pipeline::BuildCache;

    let dir = TestSite::from_fixture("sites/health");
    let mut site = common::Rebuilds::load(dir.path());
    let mut cache = BuildCache::default();
    let health = |site: &common::Rebuilds, cache: &mut BuildCache| {
        let out = site.build(cache);
        let text = |p: &str| String::from_utf8(out.get(p).unwrap().to_vec()).unwrap();
        (text("health.json"), text("health/index.html"))
    };
    let before = health(&site, &mut cache);
    assert!(before.0.contains("related-asymmetric"), "{}", before.0);

    let quiet = site.group("quiet-ig.md");
    let original = site.sources.groups[quiet].text.clone();
    site.sources.groups[quiet].text = original
        .replacen(
            "status = \"active\"\n",
            "status = \"active\"\nrelated = [\"new-ig\"]\n",
            1,
        )
        .into();
    let kept = health(&site, &mut cache);
    assert_eq!(kept, health(&site, &mut BuildCache::default()));
    assert!(!kept.0.contains("related-asymmetric"), "{}", kept.0);

    // The edited group's own row changes; the others are reused.
    site.sources.groups[quiet].text = original
        .replacen("name = \"", "name = \"Renamed ", 1)
        .into();
    let renamed = health(&site, &mut cache);
    assert_eq!(renamed, health(&site, &mut BuildCache::default()));
    assert!(renamed.1.contains("Renamed "), "{}", renamed.1);

    site.sources.groups[quiet].text = original;
    assert_eq!(health(&site, &mut cache), before);
}

/// The health fixture with `extra` generated groups (`gen00-ig`, `gen01-wg`, …) and
/// `[health] rows_per_page = per_page`.
fn with_generated(extra: usize, per_page: usize) -> TestSite {
    let site = TestSite::from_fixture("sites/health");
    for i in 0..extra {
        let kind = if i % 2 == 0 { "ig" } else { "wg" };
        let name = format!("Generated {i:02}");
        site.group(
            &format!("gen{i:02}-{kind}"),
            common::group_page(kind, &name, &format!("gen{i:02}")),
        );
    }
    set_rows_per_page(&site, per_page);
    site
}

fn set_rows_per_page(site: &TestSite, per_page: usize) {
    let cfg = std::fs::read_to_string(site.path().join("mcpsite.toml")).unwrap();
    let cfg = match cfg.find("\nrows_per_page = ") {
        Some(i) => cfg[..i + 1].to_string(),
        None => cfg,
    };
    site.write("mcpsite.toml", format!("{cfg}rows_per_page = {per_page}\n"));
}

/// The slugs of the rows of a health page, in order.
fn row_slugs(html: &str) -> Vec<String> {
    html.split("<tr id=\"g-")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

/// The `href`s of `html` that point into `/health/`.
fn health_links(html: &str) -> Vec<String> {
    html.split("href=\"/health/")
        .skip(1)
        .map(|s| format!("/health/{}", &s[..s.find('"').unwrap()]))
        .collect()
}

/// The output file a site path is served from.
fn file_of(site: &TestSite, path: &str) -> std::path::PathBuf {
    let p = site
        .path()
        .join("public")
        .join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        p.join("index.html")
    } else {
        p
    }
}

fn array<'a>(doc: &'a serde_json::Value, key: &str) -> &'a Vec<serde_json::Value> {
    doc[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {doc}"))
}

/// Past `[health] rows_per_page` live groups, the page and `health.json` come in parts: every
/// live group is in exactly one page and one part, in the order of the one-page list; no page
/// or part holds more than the setting; the links between pages resolve; the first page lists
/// no more candidates than the setting and says how many more there are and where.
#[test]
fn a_big_site_is_paged_and_the_parts_make_the_whole_list() {
    const PER_PAGE: usize = 3;
    // 7 live groups of the fixture (4 candidates, more than a page lists) and 20 generated.
    let site = with_generated(20, 100);
    let run = site.build();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let whole = json(&site);
    assert!(whole.get("parts").is_none(), "one page needs no parts");
    let order: Vec<String> = array(&whole, "groups")
        .iter()
        .map(|g| g["slug"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(order.len(), 27);
    assert_eq!(row_slugs(&read(&site, "health/index.html")), order);

    set_rows_per_page(&site, PER_PAGE);
    let run = site.build();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let pages = order.len().div_ceil(PER_PAGE);

    // health.json and its parts.
    let first = json(&site);
    assert_eq!(first["group_count"], 27);
    assert_eq!(first["candidate_count"], 4);
    let parts = array(&first, "parts");
    assert_eq!(parts.len(), pages);
    let (mut groups, mut candidates) = (Vec::new(), Vec::new());
    for (i, part) in parts.iter().enumerate() {
        let url = part["url"].as_str().unwrap();
        let path = url.strip_prefix("https://health.example.org").unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file_of(&site, path)).unwrap()).unwrap();
        if i > 0 {
            assert_eq!(path, format!("/health/groups-{}.json", i + 1));
            assert_eq!(doc["part"], i + 1);
            assert_eq!(doc["part_count"], pages);
        }
        let these = array(&doc, "groups");
        assert!(!these.is_empty() && these.len() <= PER_PAGE, "{path}");
        assert_eq!(part["groups"], these.len());
        groups.extend(these.iter().cloned());
        candidates.extend(array(&doc, "candidates").iter().cloned());
    }
    assert_eq!(&groups, array(&whole, "groups"));
    assert_eq!(&candidates, array(&whole, "candidates"));
    assert!(!file_of(&site, &format!("/health/groups-{}.json", pages + 1)).exists());

    // The pages.
    let mut rows = Vec::new();
    for n in 1..=pages {
        let path = if n == 1 {
            "/health/".to_string()
        } else {
            format!("/health/{n}/")
        };
        let html = std::fs::read_to_string(file_of(&site, &path)).unwrap();
        assert!(
            html.contains(&format!("<title>Community health, page {n} of {pages} ·")),
            "{path}"
        );
        let these = row_slugs(&html);
        assert!(
            !these.is_empty() && these.len() <= PER_PAGE,
            "{path}: {these:?}"
        );
        rows.extend(these);
        assert_eq!(html.matches("<nav class=\"pager\"").count(), 2, "{path}");
        assert_eq!(
            html.matches(&format!("href=\"{path}\" aria-current=\"page\""))
                .count(),
            2,
            "{path}"
        );
        for link in health_links(&html) {
            assert!(file_of(&site, &link).exists(), "{path} links to {link}");
        }
        let prev = (n > 1).then(|| match n - 1 {
            1 => "/health/".to_string(),
            p => format!("/health/{p}/"),
        });
        let next = (n < pages).then(|| format!("/health/{}/", n + 1));
        for (rel, want) in [("prev", prev), ("next", next)] {
            let tag = want.map(|w| format!("href=\"{w}\" rel=\"{rel}\""));
            let found = html.contains(&format!("rel=\"{rel}\""));
            assert_eq!(found, tag.is_some(), "{path}: rel={rel}");
            if let Some(tag) = tag {
                assert!(html.contains(&tag), "{path}: {tag}");
            }
        }
    }
    assert_eq!(rows, order, "every live group once, most urgent first");
    assert!(!file_of(&site, &format!("/health/{}/", pages + 1)).exists());

    let page1 = read(&site, "health/index.html");
    assert_eq!(page1.matches("<li data-rule=").count(), PER_PAGE);
    assert!(
        page1.contains("1 more candidate is named in their groups' rows, on"),
        "{page1}"
    );
    // The one left out is done-wg's; the first page points to the page with its row.
    let done = (1..=pages)
        .find(|&n| {
            row_slugs(&read(
                &site,
                &format!(
                    "health/{}index.html",
                    if n == 1 {
                        String::new()
                    } else {
                        format!("{n}/")
                    }
                ),
            ))
            .contains(&"done-wg".to_string())
        })
        .unwrap();
    assert!(
        page1.contains(&format!("<a href=\"/health/{done}/\">page {done}</a>.</p>")),
        "{page1}"
    );
    let page2 = read(&site, "health/2/index.html");
    assert!(
        !page2.contains("<li data-rule="),
        "only the first page lists candidates"
    );
}

/// At the fixture's size there is one page, as before pages existed: no navigation, no parts.
#[test]
fn a_small_site_has_one_page_and_no_parts() {
    let site = built();
    let health = site.path().join("public/health");
    let mut files: Vec<String> = std::fs::read_dir(&health)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, ["index.html"]);
    let page = read(&site, "health/index.html");
    assert!(!page.contains("class=\"pager\""));
    assert!(page.contains("<title>Community health · Health Fixture</title>"));
    let doc = json(&site);
    for key in ["parts", "group_count", "candidate_count"] {
        assert!(doc.get(key).is_none(), "{key} in a one-part health.json");
    }
}

/// `serve` makes again only the health page and part that show an edited group (its name
/// changes its row, not the order), and the rebuild equals a fresh build.
#[test]
fn editing_a_group_remakes_only_its_page_and_part() {
    use mcpsite::pipeline::{self, BuildCache};

    let site = with_generated(20, 3);
    let root = site.path().to_path_buf();
    let opts = options_at(&root);
    let (mut sources, diags) = mcpsite::source::load(&root).unwrap();
    let mut cache = BuildCache::default();
    let build = |sources: &mcpsite::source::Sources, cache: &mut BuildCache| {
        let out = pipeline::build_from(&opts, sources, diags.clone(), cache).unwrap();
        let out = out.output.expect("the site builds");
        let mut health: Vec<(String, Vec<u8>)> = (1..=9)
            .flat_map(|n| match n {
                1 => ["health/index.html".to_string(), "health.json".to_string()],
                n => [
                    format!("health/{n}/index.html"),
                    format!("health/groups-{n}.json"),
                ],
            })
            .map(|p| {
                let bytes = out.get(&p).unwrap_or_else(|| panic!("no {p}")).to_vec();
                (p, bytes)
            })
            .collect();
        health.sort();
        health
    };
    let remade = |cache: &BuildCache| {
        let mut made: Vec<String> = (cache.render().last_made().iter())
            .filter(|p| p.starts_with("health"))
            .cloned()
            .collect();
        made.sort();
        made
    };
    let before = build(&sources, &mut cache);
    // Where gen07-wg is.
    let page = (before.iter())
        .find(|(p, b)| {
            p.ends_with(".html") && String::from_utf8_lossy(b).contains("id=\"g-gen07-wg\"")
        })
        .map(|(p, _)| p.clone())
        .unwrap();
    let n: usize = page
        .strip_prefix("health/")
        .and_then(|p| p.strip_suffix("/index.html"))
        .map_or(1, |n| n.parse().unwrap());
    assert!(n > 1, "{page}");

    let edited = (sources.groups.iter())
        .position(|f| f.path.ends_with("gen07-wg.md"))
        .unwrap();
    sources.groups[edited].text = sources.groups[edited]
        .text
        .replacen("name = \"Generated 07\"", "name = \"Renamed 07\"", 1)
        .into();
    let after = build(&sources, &mut cache);
    assert_eq!(
        remade(&cache),
        [page.clone(), format!("health/groups-{n}.json")]
    );
    assert_eq!(after, build(&sources, &mut BuildCache::default()));
    let changed: Vec<&String> = (before.iter().zip(&after))
        .filter(|(b, a)| b.1 != a.1)
        .map(|(b, _)| &b.0)
        .collect();
    assert_eq!(changed, [&page, &format!("health/groups-{n}.json")]);

    // Without a facilitator the group has a finding and moves to the first page: the rows
    // between move down a place. The pages and parts made again are exactly those that differ.
    sources.groups[edited].text = sources.groups[edited]
        .text
        .replacen(
            "[[facilitators]]\ngithub = \"octocat\"\nname = \"Mona Lisa\"\n\n",
            "",
            1,
        )
        .into();
    let moved = build(&sources, &mut cache);
    assert_eq!(moved, build(&sources, &mut BuildCache::default()));
    let first = &moved
        .iter()
        .find(|(p, _)| p == "health/index.html")
        .unwrap()
        .1;
    assert!(
        String::from_utf8_lossy(first).contains("id=\"g-gen07-wg\""),
        "gen07-wg is not among the most urgent"
    );
    let changed: Vec<String> = (after.iter().zip(&moved))
        .filter(|(b, a)| b.1 != a.1)
        .map(|(b, _)| b.0.clone())
        .collect();
    assert!(
        changed.len() >= 4 && changed.len() < moved.len(),
        "{changed:?}"
    );
    assert_eq!(remade(&cache), changed);
}
