//! `mcpsite check` and `mcpsite new`, run as the real binary on fixture sites.
//!
//! `tests/fixtures/check/clean/` is a small site that passes every rule. Each folder under
//! `tests/fixtures/check/cases/<rule-id>/` holds only the files that differ from it (a changed
//! page, a different `mcpsite.toml`, a static page with a broken link, an earlier feed as
//! `previous.ics`) and an `expect` file: the rule id of every finding the case must produce,
//! sorted, nothing more. So each rule has one fixture that triggers it, and the clean site (with
//! its near misses: `similar_groups = []`, a justified `channel_exception`, a cancelled meeting
//! without notes, a rolling `notes_index`, a pending channel…) is the one that does not.
//!
//! Golden output for the three formats lives in `tests/fixtures/check/expected/`; only
//! `UPDATE_GOLDEN=1 cargo test` rewrites it. Every run passes `--today`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, TestSite, bin, copy_dir, group_page, repo_root};

const TODAY: &str = "2026-11-24";

fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures/check")
}

/// The clean site with a case's files laid over it.
fn case_site(case: &str) -> TestSite {
    let site = TestSite {
        dir: tempfile::tempdir().unwrap(),
    };
    copy_dir(&fixtures().join("clean"), site.path());
    if case != "clean" {
        let dir = fixtures().join("cases").join(case);
        assert!(dir.is_dir(), "no fixture {}", dir.display());
        copy_dir(&dir, site.path());
    }
    site
}

fn check(site: &TestSite, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--today", TODAY];
    if site.path().join("previous.ics").is_file() {
        args.extend(["--previous", "previous.ics"]);
    }
    args.extend(extra);
    site.run(&args)
}

/// The rule ids of a JSON report, sorted.
fn rules_of(json: &str) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("not JSON ({e}):\n{json}"));
    let mut rules: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort();
    rules
}

fn expected_rules(case: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("cases").join(case).join("expect")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Runs a case and compares its findings with its `expect` file.
fn run_case(case: &str) {
    let site = case_site(case);
    let run = check(&site, &["--format", "json"]);
    let got = rules_of(&run.stdout);
    let want = expected_rules(case);
    assert_eq!(
        got,
        want,
        "case {case}: findings differ from its expect file\nstderr: {}\nreport:\n{}",
        run.stderr,
        check(&site, &[]).stdout
    );
    assert!(
        want.is_empty() || !case.contains('-') || got.iter().any(|r| case.starts_with(r.as_str())),
        "case {case} does not trigger its own rule"
    );
    let errors = run.stdout.contains("\"severity\": \"error\"");
    assert_eq!(run.code, i32::from(errors), "case {case}: exit status");
}

/// Compares `actual` with `tests/fixtures/check/expected/<name>`, or rewrites it under
/// `UPDATE_GOLDEN=1`. Prints a unified diff on mismatch.
fn assert_golden(name: &str, actual: &str) {
    let path = fixtures().join("expected").join(name);
    if common::updating_golden() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "golden file {} is missing; run `UPDATE_GOLDEN=1 cargo test --test check` to create it",
            path.display()
        )
    });
    if want != actual {
        let diff = similar::TextDiff::from_lines(want.as_str(), actual)
            .unified_diff()
            .context_radius(3)
            .header("expected", "actual")
            .to_string();
        panic!(
            "{} differs from the golden copy (UPDATE_GOLDEN=1 to accept):\n{diff}",
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The clean site and one case per rule

#[test]
fn clean_site_has_no_findings() {
    let site = case_site("clean");
    let run = check(&site, &["--format", "json"]);
    assert_eq!(
        rules_of(&run.stdout),
        Vec::<String>::new(),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 0);
    let text = check(&site, &["--strict"]);
    assert_eq!(text.code, 0);
    assert_eq!(text.stdout, "");
    assert!(
        text.stderr
            .contains("checked 6 groups as of 2026-11-24: no findings"),
        "{}",
        text.stderr
    );
}

macro_rules! cases {
    ($($name:ident => $case:literal,)*) => {
        $(
            #[test]
            fn $name() {
                run_case($case);
            }
        )*
        const CASES: &[&str] = &[$($case),*];
    };
}

cases! {
    rule_status_valid => "status-valid",
    rule_name_has_kind_suffix => "name-has-kind-suffix",
    rule_placeholder_unfilled => "placeholder-unfilled",
    rule_facilitator_required => "facilitator-required",
    rule_person_github_missing => "person-github-missing",
    rule_person_duplicate => "person-duplicate",
    rule_person_consistent => "person-consistent",
    rule_person_name_handles => "person-name-handles",
    rule_facilitator_term_expired => "facilitator-term-expired",
    rule_lifecycle_dates_present => "lifecycle-dates-present",
    rule_lifecycle_status_mismatch => "lifecycle-status-mismatch",
    rule_lifecycle_order => "lifecycle-order",
    rule_lifecycle_date_future => "lifecycle-date-future",
    rule_vote_window => "vote-window",
    rule_proposed_stale => "proposed-stale",
    rule_retired_has_future_meetings => "retired-has-future-meetings",
    rule_retired_successor_exists => "retired-successor-exists",
    rule_retired_still_referenced => "retired-still-referenced",
    rule_lineage_asymmetric => "lineage-asymmetric",
    rule_predecessor_not_retired => "predecessor-not-retired",
    rule_channel_missing => "channel-missing",
    rule_channel_suffix_kind => "channel-suffix-kind",
    rule_channel_topic => "channel-topic",
    rule_channel_exception_unneeded => "channel-exception-unneeded",
    rule_channel_duplicate => "channel-duplicate",
    rule_channel_id_duplicate => "channel-id-duplicate",
    rule_calendar_tag_mismatch => "calendar-tag-mismatch",
    rule_ig_similar_groups_missing => "ig-similar-groups-missing",
    rule_ig_differentiation_missing => "ig-differentiation-missing",
    rule_ig_first_topic_missing => "ig-first-topic-missing",
    rule_wg_use_cases_missing => "wg-use-cases-missing",
    rule_wg_first_item_missing => "wg-first-item-missing",
    rule_wg_first_item_not_ref => "wg-first-item-not-ref",
    rule_similar_group_not_ig => "similar-group-not-ig",
    rule_origin_ig_not_ig => "origin-ig-not-ig",
    rule_related_duplicate => "related-duplicate",
    rule_related_asymmetric => "related-asymmetric",
    rule_notes_url_invalid => "notes-url-invalid",
    rule_notes_kind_not_allowed => "notes-kind-not-allowed",
    rule_past_meeting_without_notes => "past-meeting-without-notes",
    rule_notes_late => "notes-late",
    rule_notes_on_cancelled => "notes-on-cancelled",
    rule_notes_for_future_meeting => "notes-for-future-meeting",
    rule_notes_duplicate => "notes-duplicate",
    rule_announce_too_late => "announce-too-late",
    rule_active_group_no_upcoming => "active-group-no-upcoming",
    active_group_meeting_far_ahead => "active-group-meeting-far-ahead",
    ig_active_by_template_meeting => "ig-active-by-template-meeting",
    rule_cadence_conflict => "cadence-conflict",
    series_without_notes => "past-meeting-without-notes-series",
    rule_wg_no_work => "wg-no-work",
    rule_wg_inactive => "wg-inactive",
    rule_wg_activity_unknown => "wg-activity-unknown",
    rule_wg_items_all_complete => "wg-items-all-complete",
    rule_wg_maintenance_project_unknown => "wg-maintenance-project-unknown",
    rule_ig_possibly_inactive => "ig-possibly-inactive",
    rule_work_item_ref_format => "work-item-ref-format",
    rule_sep_status_invalid => "sep-status-invalid",
    rule_activity_date_future => "activity-date-future",
    rule_link_broken => "link-broken",
    rule_link_fragment_missing => "link-fragment-missing",
    rule_feed_invalid => "feed-invalid",
    rule_feed_lint => "feed-lint",
    rule_feed_uid_removed => "feed-uid-removed",
    rule_feed_sequence_not_raised => "feed-sequence-not-raised",
    previous_feed_unchanged => "previous-clean",
    golden_case => "golden",
}

/// Every content and output rule in the registry has a case, and every case folder is run.
#[test]
fn every_check_rule_has_a_case() {
    let run = Command::new(bin())
        .args(["check", "--list-rules"])
        .output()
        .unwrap();
    let list = String::from_utf8(run.stdout).unwrap();
    let mut missing = Vec::new();
    for line in list.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if matches!(cols.get(2), Some(&"content") | Some(&"output")) && !CASES.contains(&cols[0]) {
            missing.push(cols[0]);
        }
    }
    assert!(
        missing.is_empty(),
        "rules without a fixture case: {missing:?}"
    );
    for entry in std::fs::read_dir(fixtures().join("cases")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            CASES.contains(&name.as_str()),
            "case folder {name} is not run"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Formats, exit status and flags

#[test]
fn golden_text_json_github() {
    let site = case_site("golden");
    for (format, file) in [
        ("text", "golden.txt"),
        ("json", "golden.json"),
        ("github", "golden.github"),
    ] {
        let run = check(&site, &["--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert_golden(file, &run.stdout);
    }
}

#[test]
fn list_rules_golden() {
    let run = Command::new(bin())
        .args(["check", "--list-rules"])
        .output()
        .unwrap();
    assert!(run.status.success());
    assert_golden("rules.txt", &String::from_utf8(run.stdout).unwrap());
}

#[test]
fn strict_turns_warnings_into_errors() {
    let site = case_site("calendar-tag-mismatch");
    let run = check(&site, &[]);
    assert_eq!(run.code, 0, "a warning alone does not fail");
    assert!(
        run.stdout.contains("warning[calendar-tag-mismatch]"),
        "{}",
        run.stdout
    );
    let strict = check(&site, &["--strict"]);
    assert_eq!(strict.code, 1);
    assert!(
        strict.stdout.contains("error[calendar-tag-mismatch]"),
        "{}",
        strict.stdout
    );
    // Infos never fail, even under --strict.
    let info = check(&case_site("related-asymmetric"), &["--strict"]);
    assert_eq!(info.code, 0, "{}", info.stdout);
}

#[test]
fn skip_drops_rules_and_checks_their_ids() {
    let site = case_site("golden");
    let run = check(
        &site,
        &[
            "--skip",
            "channel-suffix-kind,placeholder-unfilled",
            "--skip",
            "related-asymmetric",
            "--format",
            "json",
        ],
    );
    assert_eq!(rules_of(&run.stdout), ["calendar-tag-mismatch"]);
    assert_eq!(run.code, 0);
    let typo = check(&site, &["--skip", "chanel-topic"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `channel-topic`?"),
        "{}",
        typo.stderr
    );
    // Build-level rules can be skipped too.
    let bad = case_site("clean");
    bad.write(
        "content/groups/beta-ig.md",
        std::fs::read_to_string(bad.path().join("content/groups/beta-ig.md"))
            .unwrap()
            .replace("kind = \"ig\"", "kind = \"wg\""),
    );
    let run = check(&bad, &["--format", "json"]);
    assert!(rules_of(&run.stdout).contains(&"slug-kind-mismatch".to_string()));
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("was not checked"), "{}", run.stderr);
}

/// Cancelled meetings (an exception, or a record with `status = "cancelled"`) are never
/// reported as missing notes; held ones without notes are listed by date.
#[test]
fn cancelled_meetings_never_lack_notes() {
    let site = case_site("past-meeting-without-notes-series");
    let run = check(&site, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let msg = v["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("20 meeting(s) of schedule `biweekly` ended more than 48 h ago without notes: 2026-01-14, 2026-02-25, 2026-03-11"),
        "{msg}"
    );
    assert!(
        !msg.contains("2026-01-28") && !msg.contains("2026-02-11"),
        "{msg}"
    );
}

#[test]
fn previous_must_be_readable() {
    let site = case_site("clean");
    let run = check(&site, &["--previous", "nowhere.ics"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nowhere.ics"), "{}", run.stderr);
    site.write("bad.ics", "not a calendar");
    let run = check(&site, &["--previous", "bad.ics"]);
    assert_eq!(run.code, 2);
}

#[test]
fn only_today_sets_the_time() {
    let site = case_site("proposed-stale");
    let run = |epoch: &str| {
        let out = Command::new(bin())
            .args(["check", "--today", TODAY, "--format", "json"])
            .current_dir(site.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .env("TZ", "Pacific/Kiritimati")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(run("0"), run("4102444800"));
}

#[test]
fn every_reported_rule_is_registered() {
    let run = Command::new(bin())
        .args(["check", "--list-rules"])
        .output()
        .unwrap();
    let list = String::from_utf8(run.stdout).unwrap();
    let ids: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    // The real content exercises most of the build's rules and many of check's.
    let real = Command::new(bin())
        .args(["check", "--today", TODAY, "--format", "json", "--root"])
        .arg(repo_root())
        .output()
        .unwrap();
    for rule in rules_of(&String::from_utf8(real.stdout).unwrap()) {
        assert!(
            ids.contains(&rule.as_str()),
            "`{rule}` is not in check::RULES"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// mcpsite new

fn page_rules(site: &TestSite, slug: &str) -> Vec<String> {
    let run = check(site, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let path = format!("content/groups/{slug}.md");
    let mut rules: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == path.as_str())
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort();
    rules
}

/// `check`'s findings of `rule` (path and message) on the clean site plus IG pages `topic00-ig`,
/// `topic01-ig`, … (`pages` of them), each with one facilitator: page `i`'s handle and name
/// are `who(i)`.
fn people_findings(
    pages: usize,
    rule: &str,
    who: impl Fn(usize) -> (String, &'static str),
) -> Vec<(String, String)> {
    let site = case_site("clean");
    for i in 0..pages {
        let (handle, name) = who(i);
        let slug = format!("topic{i:02}-ig");
        let page = group_page("ig", &format!("Topic {i:02} Interest Group"), &slug).replace(
            "github = \"octocat\"\nname = \"Mona Lisa\"",
            &format!("github = \"{handle}\"\nname = \"{name}\""),
        );
        site.write(&format!("content/groups/{slug}.md"), page);
    }
    let run = check(&site, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    (v["diagnostics"].as_array().unwrap().iter())
        .filter(|d| d["rule"] == rule)
        .map(|d| {
            (
                d["path"].as_str().unwrap().into(),
                d["message"].as_str().unwrap().into(),
            )
        })
        .collect()
}

/// A name written with many handles gets one finding per other handle, and each names at most
/// five other handles and five places for each: on a large site it would otherwise be as long
/// as the site (and the findings, one per handle, as many).
#[test]
fn a_name_with_many_handles_gets_short_findings() {
    let found = people_findings(14, "person-name-handles", |i| match i {
        0..7 => ("ada".to_string(), "Ada Lovelace"),
        _ => (format!("ada-{}", i - 6), "Ada Lovelace"),
    });
    assert_eq!(found.len(), 7, "{found:#?}");
    let at = |i: usize| format!("topic{i:02}-ig (facilitators)");
    assert_eq!(found[0].0, "content/groups/topic07-ig.md");
    assert_eq!(
        found[0].1,
        format!(
            "Ada Lovelace is written with GitHub handle `ada-1` here, in {}, and with `ada` in \
             {}, {}, {}, {}, {}, 2 more places; `ada-2` in {}; `ada-3` in {}; `ada-4` in {}; \
             `ada-5` in {}; 2 other handles",
            at(7),
            at(0),
            at(1),
            at(2),
            at(3),
            at(4),
            at(8),
            at(9),
            at(10),
            at(11)
        )
    );
}

/// A person written differently on one page of many is told where the usual spelling is, in
/// five places and a count of the rest.
#[test]
fn a_name_written_differently_lists_five_places() {
    let found = people_findings(9, "person-consistent", |i| {
        let name = if i == 8 {
            "Robert Tables"
        } else {
            "Bob Tables"
        };
        ("bobby".to_string(), name)
    });
    let found: Vec<&str> = found.iter().map(|(_, message)| message.as_str()).collect();
    let places: Vec<String> = (0..5)
        .map(|i| format!("topic{i:02}-ig (facilitators)"))
        .collect();
    assert_eq!(
        found,
        [format!(
            "`bobby` has name \"Robert Tables\" here but \"Bob Tables\" in {}, 3 more places",
            places.join(", ")
        )]
    );
}

#[test]
fn new_ig_lists_exactly_the_fields_to_fill_in_and_builds() {
    let site = TestSite::new();
    let run = site.run(&[
        "new",
        "ig",
        "tool-filtering",
        "--today",
        TODAY,
        "--no-input",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.path().join("content/groups/tool-filtering-ig.md");
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(text.contains("status = \"proposed\""));
    assert!(text.contains("proposed = 2026-11-24"));
    assert!(text.contains("channel = \"tool-filtering-ig\""));
    assert_eq!(
        page_rules(&site, "tool-filtering-ig"),
        [
            "facilitator-required",
            "ig-first-topic-missing",
            "ig-similar-groups-missing",
            "placeholder-unfilled",
        ]
    );
    // `new` lists the same fields itself.
    for rule in [
        "facilitator-required",
        "ig-first-topic-missing",
        "ig-similar-groups-missing",
        "placeholder-unfilled",
    ] {
        assert!(run.stderr.contains(rule), "{}", run.stderr);
    }
    let build = site.build();
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        site.path()
            .join("public/groups/tool-filtering-ig/index.html")
            .is_file()
    );
}

#[test]
fn new_wg_from_flags_is_complete() {
    let site = TestSite::new();
    let run = site.run(&[
        "new",
        "wg",
        "tool-filtering",
        "--today",
        TODAY,
        "--no-input",
        "--name",
        "Tool Filtering",
        "--summary",
        "Filtering which tools a client offers the model, with \"quotes\".",
        "--facilitator",
        "octocat:Mona Lisa:GitHub",
        "--facilitator",
        "hubot",
        "--maintainer",
        "monalisa:Mona:Example",
        "--use-cases",
        "Clients with hundreds of tools need to offer the model a relevant subset.",
        "--first-item",
        "SEP-1300",
        "--channel",
        "#tool-filtering-wg",
        "--proposal-url",
        "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/4001",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(page_rules(&site, "tool-filtering-wg"), Vec::<String>::new());
    assert!(
        run.stderr
            .contains("every field of the creation template is filled in"),
        "{}",
        run.stderr
    );
    assert_eq!(site.build().code, 0);
}

#[test]
fn new_ig_similar_groups_ask_for_differentiation() {
    let site = TestSite::new();
    site.group(
        "security-ig",
        common::group_page("ig", "Security", "security-ig"),
    );
    let run = site.run(&[
        "new",
        "ig",
        "hosting",
        "--today",
        TODAY,
        "--no-input",
        "--similar",
        "security-ig",
        "--first-topic",
        "Hosting remote servers",
        "--summary",
        "Hosting MCP servers.",
        "--facilitator",
        "octocat:Mona Lisa",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        page_rules(&site, "hosting-ig"),
        ["ig-differentiation-missing"]
    );
}

#[test]
fn new_never_overwrites() {
    let site = TestSite::new();
    let args = [
        "new",
        "ig",
        "tool-filtering",
        "--today",
        TODAY,
        "--no-input",
    ];
    assert_eq!(site.run(&args).code, 0);
    let page = site.path().join("content/groups/tool-filtering-ig.md");
    std::fs::write(&page, "edited").unwrap();
    let again = site.run(&args);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&page).unwrap(), "edited");
}

#[test]
fn new_rejects_bad_input() {
    let site = TestSite::new();
    for args in [
        &["new", "wg", "x", "--first-topic", "y", "--no-input"][..],
        &["new", "ig", "x", "--first-item", "SEP-1", "--no-input"],
        &["new", "ig", "Bad Topic", "--no-input"],
        &["new", "ig", "auth-ig", "--no-input"],
        &[
            "new",
            "ig",
            "x",
            "--facilitator",
            "Not A Handle",
            "--no-input",
        ],
    ] {
        let run = site.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
    assert_eq!(
        std::fs::read_dir(site.path().join("content/groups"))
            .unwrap()
            .count(),
        0
    );
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .args(["new", "ig", "x", "--no-input", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!Path::new(&empty.path().join("content")).exists());
}
