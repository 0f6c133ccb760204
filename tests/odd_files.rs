//! Odd files: every entry under `content/` and `static/` that is not read gets a diagnostic
//! naming it, and special files are never opened (a FIFO settings file must not hang a run).

#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TestSite, bin, group_page};

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success(), "mkfifo {}", path.display());
}

/// Runs the binary with a generous guard: a run still going after 120 s has hung (the claim is
/// "it returns", and a hung run would otherwise hang the suite).
fn run_guarded(site: &Path, args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(site)
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("`mcpsite {}` hung", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A site whose `content/groups/` holds one good page and every kind of entry that is not read.
fn odd_site() -> (TestSite, tempfile::TempDir) {
    let site = TestSite::new();
    site.group("auth-ig", group_page("ig", "Auth", "auth-ig"));
    let groups = site.path().join("content/groups");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(
        elsewhere.path().join("stolen-ig.md"),
        group_page("ig", "Stolen", "stolen-ig"),
    )
    .unwrap();
    symlink("loop-ig.md", groups.join("loop-ig.md")).unwrap();
    symlink("/etc/passwd", groups.join("passwd-ig.md")).unwrap();
    symlink(
        elsewhere.path().join("stolen-ig.md"),
        groups.join("stolen-ig.md"),
    )
    .unwrap();
    symlink("missing-ig.md", groups.join("dangling-ig.md")).unwrap();
    std::fs::create_dir(groups.join("folder-ig.md")).unwrap();
    mkfifo(&groups.join("fifo-ig.md"));
    let _socket = std::os::unix::net::UnixListener::bind(groups.join("socket-ig.md")).unwrap();
    use std::os::unix::ffi::OsStrExt as _;
    std::fs::write(
        groups.join(std::ffi::OsStr::from_bytes(b"bad-\xff-ig.md")),
        group_page("ig", "Bad", "bad-ig"),
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    mkfifo(&site.path().join("static/pipe.txt"));
    (site, elsewhere)
}

#[test]
fn every_unread_entry_is_named() {
    let (site, _elsewhere) = odd_site();
    let (code, _, stderr) = run_guarded(site.path(), &["build", "--today", "2026-11-24"]);
    assert_eq!(code, 1, "{stderr}");
    for (path, rule, words) in [
        ("content/groups/loop-ig.md", "content-symlink", "loops"),
        (
            "content/groups/passwd-ig.md",
            "content-symlink",
            "outside the site root",
        ),
        (
            "content/groups/stolen-ig.md",
            "content-symlink",
            "outside the site root",
        ),
        (
            "content/groups/dangling-ig.md",
            "content-symlink",
            "leads nowhere",
        ),
        (
            "content/groups/folder-ig.md",
            "content-folder-md",
            "folder named like a page",
        ),
        ("content/groups/fifo-ig.md", "content-special-file", "FIFO"),
        (
            "content/groups/socket-ig.md",
            "content-special-file",
            "socket",
        ),
        (
            "content/groups/bad-\u{fffd}-ig.md",
            "content-file-name",
            "not UTF-8",
        ),
        ("static/pipe.txt", "content-special-file", "FIFO"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(path) && l.contains(&format!("error[{rule}]")))
            .unwrap_or_else(|| panic!("no {rule} for {path}:\n{stderr}"));
        assert!(line.contains(words), "{line}");
        assert!(
            mcpsite::check::find_rule(rule).is_some(),
            "`{rule}` is not in check::RULES"
        );
    }
    assert!(!site.path().join("public").exists());

    // `check` reports the same, without hanging on the FIFOs either.
    let (code, stdout, stderr) = run_guarded(
        site.path(),
        &["check", "--today", "2026-11-24", "--format", "json"],
    );
    assert_eq!(code, 1, "{stderr}");
    for rule in [
        "content-symlink",
        "content-special-file",
        "content-file-name",
        "content-folder-md",
    ] {
        assert!(
            stdout.contains(&format!("\"{rule}\"")),
            "{rule} missing:\n{stdout}"
        );
    }
}

#[test]
fn links_inside_the_site_root_are_followed() {
    let site = TestSite::new();
    site.write("drafts/alias-ig.md", group_page("ig", "Alias", "alias-ig"));
    symlink(
        "../../drafts/alias-ig.md",
        site.path().join("content/groups/alias-ig.md"),
    )
    .unwrap();
    let (code, _, stderr) = run_guarded(site.path(), &["build", "--today", "2026-11-24"]);
    assert_eq!(code, 0, "{stderr}");
    let html =
        std::fs::read_to_string(site.path().join("public/groups/alias-ig/index.html")).unwrap();
    assert!(html.contains("Alias"));
}

#[test]
fn fifo_settings_file_is_refused_not_waited_on() {
    let site = TestSite::new();
    site.group("auth-ig", group_page("ig", "Auth", "auth-ig"));
    std::fs::remove_file(site.path().join("mcpsite.toml")).unwrap();
    mkfifo(&site.path().join("mcpsite.toml"));
    for args in [
        &["build", "--today", "2026-11-24"][..],
        &["check", "--today", "2026-11-24"][..],
        &["meetings", "--today", "2026-11-24"][..],
    ] {
        let (code, _, stderr) = run_guarded(site.path(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains("mcpsite.toml") && stderr.contains("FIFO"),
            "{args:?}: {stderr}"
        );
    }
}
