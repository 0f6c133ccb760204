//! Shared helpers for the integration tests: temporary sites, running the real binary, and
//! comparing whole output trees with golden folders.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The build options of the site at `root`, built for 2026-11-24 into `root/public`.
pub(crate) fn options_at(root: &Path) -> mcpsite::config::BuildOptions {
    mcpsite::config::SiteRequest {
        root: root.to_path_buf(),
        drafts: false,
        today: Some(jiff::civil::date(2026, 11, 24)),
        base_url: None,
    }
    .resolve(&root.join("public"))
    .unwrap()
    .expect("the settings have no errors")
}

/// The sources of the site at `root` as `serve` keeps them between rebuilds (tests edit them in
/// place), built for 2026-11-24 through a given cache.
pub(crate) struct Rebuilds {
    opts: mcpsite::config::BuildOptions,
    pub sources: mcpsite::source::Sources,
    diags: mcpsite::diag::Diagnostics,
}

impl Rebuilds {
    pub(crate) fn load(root: &Path) -> Self {
        let (sources, diags) = mcpsite::source::load(root).unwrap();
        Rebuilds {
            opts: options_at(root),
            sources,
            diags,
        }
    }

    /// The built files; the build must succeed.
    pub(crate) fn build(
        &self,
        cache: &mut mcpsite::pipeline::BuildCache,
    ) -> mcpsite::output::Output {
        let out =
            mcpsite::pipeline::build_from(&self.opts, &self.sources, self.diags.clone(), cache);
        out.unwrap().output.expect("the site builds")
    }

    /// The index in `sources.groups` of the page whose path ends with `file`.
    pub(crate) fn group(&self, file: &str) -> usize {
        (self.sources.groups.iter())
            .position(|f| f.path.ends_with(file))
            .unwrap()
    }
}

/// The real binary under test.
pub(crate) fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mcpsite")
}

/// The repository root (where Cargo.toml is).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) const CONFIG: &str =
    "title = \"Test Groups\"\nbase_url = \"https://groups.example.org\"\n";

/// A minimal valid group page.
pub(crate) fn group_page(kind: &str, name: &str, channel: &str) -> String {
    format!(
        "+++\nkind = \"{kind}\"\nname = \"{name}\"\nsummary = \"The {name} group.\"\nstatus = \"active\"\n\n\
         [[facilitators]]\ngithub = \"octocat\"\nname = \"Mona Lisa\"\n\n[discord]\nchannel = \"{channel}\"\n+++\n\
         About {name}.\n"
    )
}

/// A throwaway site in a temporary folder.
pub(crate) struct TestSite {
    pub dir: tempfile::TempDir,
}

/// What a run printed and returned.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TestSite {
    /// An empty site with `mcpsite.toml` and a home page.
    pub(crate) fn new() -> Self {
        let s = TestSite {
            dir: tempfile::tempdir().unwrap(),
        };
        s.write("mcpsite.toml", CONFIG);
        s.write(
            "content/_index.md",
            "+++\ntitle = \"Groups\"\n+++\nWelcome.\n",
        );
        std::fs::create_dir_all(s.path().join("content/groups")).unwrap();
        s
    }

    /// A copy of a fixture folder under `tests/fixtures/`.
    pub(crate) fn from_fixture(name: &str) -> Self {
        let s = TestSite {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_dir(&repo_root().join("tests/fixtures").join(name), s.path());
        s
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub(crate) fn group(&self, slug: &str, text: impl AsRef<[u8]>) -> &Self {
        self.write(&format!("content/groups/{slug}.md"), text)
    }

    /// Replaces `from` with `to` in the site's file `rel`, which must hold `from`.
    pub(crate) fn replace(&self, rel: &str, from: &str, to: &str) -> &Self {
        let path = self.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(&path, text.replace(from, to)).unwrap();
        self
    }

    /// `mcpsite <args>`, to run in the site's folder, in UTC and without `SOURCE_DATE_EPOCH`.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(bin());
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .env("TZ", "UTC");
        command
    }

    /// Runs `mcpsite <args>` in the site's folder.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let out = self.command(args).output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `mcpsite build --today 2026-11-24`.
    pub(crate) fn build(&self) -> Run {
        self.run(&["build", "--today", "2026-11-24"])
    }
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir`, relative path → bytes.
pub(crate) fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// Compares `actual` with the golden folder `expected`: every file byte for byte, and the file
/// lists (an extra or a missing file fails). With `UPDATE_GOLDEN=1` it rewrites the golden folder
/// instead — the only way golden files change.
pub(crate) fn assert_tree_eq(actual: &Path, expected: &Path) {
    let got = read_tree(actual);
    if updating_golden() {
        let _ = std::fs::remove_dir_all(expected);
        copy_dir(actual, expected);
        return;
    }
    assert!(
        expected.is_dir(),
        "golden folder {} is missing; run `UPDATE_GOLDEN=1 cargo test` to create it",
        expected.display()
    );
    let want = read_tree(expected);
    let got_names: Vec<_> = got.keys().collect();
    let want_names: Vec<_> = want.keys().collect();
    assert_eq!(
        got_names,
        want_names,
        "the output's file list differs from {}",
        expected.display()
    );
    for (name, bytes) in &got {
        let w = &want[name];
        if bytes != w {
            let a = String::from_utf8_lossy(w);
            let b = String::from_utf8_lossy(bytes);
            let diff = similar::TextDiff::from_lines(a.as_ref(), b.as_ref())
                .unified_diff()
                .context_radius(3)
                .header("expected", "actual")
                .to_string();
            panic!(
                "{name} differs from the golden copy in {} (UPDATE_GOLDEN=1 to accept):\n{diff}",
                expected.display()
            );
        }
    }
}

/// Replaces the temporary folder's path with `[ROOT]` in printed output.
pub(crate) fn normalize(s: &str, root: &Path) -> String {
    s.replace(&root.display().to_string(), "[ROOT]")
}

/// True when the run was asked to rewrite golden files: `UPDATE_GOLDEN` set to a non-empty value
/// other than `0` (an empty or `0` value is a slip, not a request).
pub(crate) fn updating_golden() -> bool {
    std::env::var("UPDATE_GOLDEN").is_ok_and(|v| !v.is_empty() && v != "0")
}
