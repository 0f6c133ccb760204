//! Faults: concurrent builds of one output folder, and builds interrupted half-way, with the real
//! binary.

mod common;

use std::path::Path;
use std::process::Stdio;

use common::{TestSite, group_page, read_tree};

/// A site of `n` groups whose pages all carry `tag`, so two such sites build different outputs.
fn site(tag: &str, n: usize) -> TestSite {
    let s = TestSite::new();
    for i in 0..n {
        let slug = format!("{tag}-{i}-ig");
        s.group(&slug, group_page("ig", &format!("{tag} {i}"), &slug));
    }
    s
}

fn build_into(site: &TestSite, out: &Path) -> std::process::Child {
    (site.command(&["build", "--today", "2026-11-24", "-o"]))
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: std::process::Child) -> (i32, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Two builds of different sites into one folder at once, several rounds: each ends with exactly
/// one build's output (never a mix), both exit 0, and nothing is left beside the folder but the
/// lock file.
#[test]
fn concurrent_builds_publish_one_whole_site() {
    let a = site("alpha", 60);
    let b = site("beta", 60);
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("public");

    let reference = |s: &TestSite| {
        let dir = tempfile::tempdir().unwrap();
        let (code, err) = finish(build_into(s, &dir.path().join("public")));
        assert_eq!(code, 0, "{err}");
        read_tree(&dir.path().join("public"))
    };
    let (want_a, want_b) = (reference(&a), reference(&b));
    assert_ne!(want_a, want_b);

    let mut winners = Vec::new();
    for round in 0..6 {
        let (first, second) = if round % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let p1 = build_into(first, &out);
        let p2 = build_into(second, &out);
        let (c1, e1) = finish(p1);
        let (c2, e2) = finish(p2);
        assert_eq!((c1, c2), (0, 0), "round {round}:\n{e1}\n{e2}");
        let got = read_tree(&out);
        let which = if got == want_a {
            "a"
        } else if got == want_b {
            "b"
        } else {
            panic!(
                "round {round}: the output is neither build's ({} files)",
                got.len()
            );
        };
        winners.push(which);
        let mut beside: Vec<String> = std::fs::read_dir(shared.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        beside.sort();
        assert_eq!(beside, [".public.mcpsite.lock", "public"], "round {round}");
    }
    assert_eq!(winners.len(), 6);
}

/// A build killed while it holds the lock (here: stopped with SIGKILL at a random point of its
/// run) never leaves the folder without a whole site: the next build finds either the previous
/// site or its own, and a build that then fails leaves a whole site in place.
#[test]
fn killed_builds_never_lose_the_site() {
    let a = site("alpha", 80);
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("public");
    let (code, err) = finish(build_into(&a, &out));
    assert_eq!(code, 0, "{err}");
    let want = read_tree(&out);

    for delay_ms in [0u64, 5, 10, 20, 40, 80, 160] {
        let mut child = build_into(&a, &out);
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever state the kill left, a broken build must restore rather than delete.
        let broken = TestSite::new();
        broken.group("bad-ig", "no front matter\n");
        let (code, err) = finish(build_into(&broken, &out));
        assert_eq!(code, 1, "{err}");
        assert_eq!(read_tree(&out), want, "after a kill at {delay_ms} ms");
    }
}
