//! `mcpsite meetings`: the agenda in the terminal, in an explicit zone.

mod common;

use common::TestSite;

#[test]
fn agenda_in_tokyo_shows_moves_and_cancellations() {
    let site = TestSite::from_fixture("sites/basic");
    let run = site.run(&[
        "meetings",
        "--today",
        "2026-11-24",
        "--tz",
        "Asia/Tokyo",
        "--to",
        "2026-12-31",
        "--group",
        "auth-ig",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Thu 2026-12-03 02:00–02:45 JST  Authorization IG meeting [auth-ig]  (09:00 America/Los_Angeles)\n\
         Fri 2026-12-18 03:00–03:45 JST  Authorization IG meeting [auth-ig]  (10:00 America/Los_Angeles)  MOVED from 2026-12-16T09:00:00: Conflicts with a conference keynote\n\
         Thu 2026-12-31 02:00–02:45 JST  Authorization IG meeting [auth-ig]  (09:00 America/Los_Angeles)  CANCELLED: Winter holidays\n"
    );
}

#[test]
fn agenda_follows_dst_in_the_readers_zone() {
    // Both zones leave summer time between these meetings (London on 2026-10-25, Los Angeles on
    // 2026-11-01): the UTC instant moves by an hour, the London wall-clock time does not, and the
    // zone abbreviation changes.
    let site = TestSite::from_fixture("sites/basic");
    let run = site.run(&[
        "meetings",
        "--today",
        "2026-10-20",
        "--from",
        "2026-10-20",
        "--to",
        "2026-11-12",
        "--tz",
        "Europe/London",
        "--group",
        "auth-ig",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Wed 2026-10-21 17:00–17:45 BST  Authorization IG meeting [auth-ig]  (09:00 America/Los_Angeles)\n\
         Wed 2026-11-04 17:00–17:45 GMT  Authorization IG meeting [auth-ig]  (09:00 America/Los_Angeles)\n"
    );
}

#[test]
fn json_lists_every_group_with_utc_and_local_times() {
    let site = TestSite::from_fixture("sites/basic");
    let run = site.run(&[
        "meetings",
        "--today",
        "2026-12-01",
        "--to",
        "2026-12-10",
        "--tz",
        "UTC",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let items = v.as_array().unwrap();
    let summary: Vec<(String, String, String)> = items
        .iter()
        .map(|i| {
            (
                i["group"].as_str().unwrap().into(),
                i["start"].as_str().unwrap().into(),
                i["local_start"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "auth-ig".into(),
                "2026-12-02T17:00:00Z".into(),
                "2026-12-02T09:00:00-08:00".into()
            ),
            (
                "ideas-ig".into(),
                "2026-12-03T09:00:00Z".into(),
                "2026-12-03T18:00:00+09:00".into()
            ),
            (
                "tasks-wg".into(),
                "2026-12-08T16:00:00Z".into(),
                "2026-12-08T16:00:00+00:00".into()
            ),
            (
                "ideas-ig".into(),
                "2026-12-10T09:00:00Z".into(),
                "2026-12-10T18:00:00+09:00".into()
            ),
        ]
    );
    assert_eq!(items[1]["tentative"], true);
}

#[test]
fn unknown_group_and_zone_are_failures() {
    let site = TestSite::from_fixture("sites/basic");
    let run = site.run(&[
        "meetings",
        "--today",
        "2026-12-01",
        "--group",
        "nope-ig",
        "--tz",
        "UTC",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--group `nope-ig` is not a group"),
        "{}",
        run.stderr
    );
    let run = site.run(&["meetings", "--today", "2026-12-01", "--tz", "Mars/Olympus"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--tz `Mars/Olympus` is not an IANA time zone"),
        "{}",
        run.stderr
    );
}

/// `--format` is the listing's form, not the diagnostics': a site that does not load lists
/// nothing, and its errors go to standard error as text, as people read them.
#[test]
fn a_site_with_errors_lists_nothing_and_says_why_in_text() {
    let site = TestSite::from_fixture("sites/basic");
    site.replace(
        "content/groups/ideas-ig.md",
        "kind = \"ig\"",
        "kind = \"xg\"",
    );
    let run = site.run(&[
        "meetings",
        "--today",
        "2026-12-01",
        "--tz",
        "UTC",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("content/groups/ideas-ig.md:2:8: error[frontmatter-invalid-value]"),
        "{}",
        run.stderr
    );
}
