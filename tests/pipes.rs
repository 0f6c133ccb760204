//! A command whose standard output is read by a reader that stops early (`mcpsite meetings |
//! head`): the reader has what it wanted, so the command ends quietly, with the exit status its
//! work earned. These commands used to end with "error: Broken pipe" and status 2, and
//! `completions` panicked.

mod common;

use std::process::Stdio;

use common::TestSite;

/// Runs `mcpsite <args>` in `site` twice: once read to the end, once with its standard output
/// closed before it writes (the site loads first): (status read to the end, status and
/// standard error closed early).
fn read_whole_and_closed(site: &TestSite, args: &[&str]) -> (i32, Option<i32>, String) {
    let whole = site.run(args);
    let mut child = (site.command(args))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (whole.code, out.status.code(), stderr)
}

#[test]
fn a_listing_ends_quietly_when_its_reader_leaves() {
    let site = TestSite::from_fixture("sites/basic");
    for format in ["text", "json"] {
        let args = [
            "meetings",
            "--today",
            "2026-11-24",
            "--tz",
            "UTC",
            "--format",
            format,
        ];
        let (whole, closed, stderr) = read_whole_and_closed(&site, &args);
        assert_eq!((whole, closed), (0, Some(0)), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}");
    }
}

#[test]
fn a_report_keeps_its_status_when_its_reader_leaves() {
    // A site with an error: `check` fails (status 1) whether or not its report is read.
    let site = TestSite::from_fixture("sites/basic");
    site.replace(
        "content/groups/ideas-ig.md",
        "kind = \"ig\"",
        "kind = \"xg\"",
    );
    for format in ["text", "json", "github"] {
        let args = ["check", "--today", "2026-11-24", "--format", format];
        let (whole, closed, stderr) = read_whole_and_closed(&site, &args);
        assert_eq!((whole, closed), (1, Some(1)), "{format}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{format}: {stderr}");
    }
    let (whole, closed, stderr) = read_whole_and_closed(&site, &["check", "--list-rules"]);
    assert_eq!((whole, closed), (0, Some(0)), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn completions_end_quietly_when_their_reader_leaves() {
    let site = TestSite::from_fixture("sites/basic");
    let (whole, closed, stderr) = read_whole_and_closed(&site, &["completions", "bash"]);
    assert_eq!((whole, closed), (0, Some(0)), "{stderr}");
    assert_eq!(stderr, "");
}
