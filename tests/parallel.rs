//! A build on one thread and on several gives the same output tree, byte for byte, and the same
//! diagnostics: groups are parsed, validated, expanded and rendered on every core, and their
//! results gathered in input order.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::{TestSite, bin, copy_dir, group_page, read_tree, repo_root};

/// The real content plus 300 generated groups, some of which name each other, so the groups are
/// split among the workers in many pieces.
fn big_site() -> TestSite {
    let site = TestSite::new();
    let root = repo_root();
    copy_dir(&root.join("content"), &site.path().join("content"));
    std::fs::copy(root.join("mcpsite.toml"), site.path().join("mcpsite.toml")).unwrap();
    for i in 0..300 {
        let kind = if i % 3 == 0 { "wg" } else { "ig" };
        let slug = format!("topic{i:03}-{kind}");
        let mut page = group_page(kind, &format!("Topic {i:03}"), &format!("topic-{i:03}"));
        if i % 2 == 1 {
            // A weekly meeting: agenda entries, a feed, past and next meetings on the page.
            page = page.replacen(
                "\n[discord]",
                "\n[[schedule]]\nid = \"weekly\"\ntz = \"Europe/Berlin\"\nstart = 2026-01-06T16:00:00\n\
                 duration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n\n[discord]",
                1,
            );
        }
        site.group(&slug, page);
    }
    site
}

/// `mcpsite build` with `threads` workers into `public-<threads>`: its exit code, its
/// diagnostics and the tree it wrote.
fn build_with(site: &TestSite, threads: usize) -> (i32, String, BTreeMap<String, Vec<u8>>) {
    let out_dir = format!("public-{threads}");
    let out = Command::new(bin())
        .args(["build", "--today", "2026-11-24", "--output-dir", &out_dir])
        .current_dir(site.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("TZ", "UTC")
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .unwrap();
    let dir = site.path().join(&out_dir);
    let tree = if dir.is_dir() {
        read_tree(&dir)
    } else {
        BTreeMap::new()
    };
    // The output folder's name is the only thing the two runs are told differently.
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&out_dir, "public-N");
    (out.status.code().unwrap_or(-1), stderr, tree)
}

#[test]
fn one_thread_and_four_build_the_same_tree() {
    let site = big_site();
    let (code_1, err_1, tree_1) = build_with(&site, 1);
    assert_eq!(code_1, 0, "the site must build:\n{err_1}");
    assert!(
        tree_1.contains_key("groups/topic299-ig/index.html"),
        "the generated groups are built"
    );
    let (code_4, err_4, tree_4) = build_with(&site, 4);
    assert_eq!(code_4, 0, "{err_4}");
    assert_eq!(err_1, err_4);
    assert_eq!(
        tree_1.keys().collect::<Vec<_>>(),
        tree_4.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &tree_1 {
        assert!(
            tree_4[path] == *bytes,
            "{path} differs between 1 and 4 threads"
        );
    }
}

#[test]
fn one_thread_and_four_report_the_same_problems_in_the_same_order() {
    let site = big_site();
    // Problems in many pages: an unknown key, a duplicate channel, a bad zone.
    for i in (0..300).step_by(7) {
        let kind = if i % 3 == 0 { "wg" } else { "ig" };
        let slug = format!("topic{i:03}-{kind}");
        let text = std::fs::read_to_string(site.path().join(format!("content/groups/{slug}.md")))
            .unwrap()
            .replacen(
                "status = \"active\"",
                "status = \"active\"\ncolour = \"red\"",
                1,
            )
            .replace(&format!("topic-{i:03}"), "topic-000")
            .replace("Europe/Berlin", "Europe/Nowhere");
        site.group(&slug, text);
    }
    let (code_1, err_1, _) = build_with(&site, 1);
    let (code_4, err_4, _) = build_with(&site, 4);
    assert_ne!(code_1, 0, "the broken pages must fail the build");
    assert!(err_1.contains("colour"), "{err_1}");
    assert_eq!(code_1, code_4);
    assert_eq!(err_1, err_4);
}
