//! The builder against fresh builds: after every kind of change, a rebuild through the kept
//! sources and caches must give exactly what `pipeline::build` gives for the files on disk.

use std::path::{Path, PathBuf};

use super::*;
use crate::diag::Format;

/// Copies `tests/fixtures/<name>` into `to`.
fn copy_fixture(name: &str, to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A site in a temporary folder, rebuilt the way `serve` does and checked after each
/// change against a fresh build of the files on disk.
struct Rebuilds {
    _dir: tempfile::TempDir,
    root: PathBuf,
    builder: Builder,
}

impl Rebuilds {
    fn new(today: jiff::civil::Date) -> Rebuilds {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let site = SiteRequest {
            root: root.clone(),
            drafts: false,
            today: Some(today),
            base_url: None,
        };
        Rebuilds {
            _dir: dir,
            builder: Builder::new(site),
            root,
        }
    }

    fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    /// Replaces `from` by `to` in the file `rel`, which must contain it.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.write(rel, text.replacen(from, to, 1));
    }

    /// Rebuilds after `change` and compares with a fresh build: same output, same
    /// diagnostics. Gives whether the build succeeded.
    fn check(&mut self, change: &ChangeKind) -> bool {
        let attempt = self.builder.build(change);
        let opts = self
            .builder
            .site
            .resolve(&self.root.join("public"))
            .unwrap()
            .expect("the settings load");
        let fresh = pipeline::build(&opts).unwrap();
        match attempt {
            Attempt::Built {
                output,
                diagnostics,
                ..
            } => {
                let want = fresh.output.expect("the fresh build fails too");
                for (path, bytes) in want.files() {
                    let got = output.get(path).unwrap_or_else(|| panic!("no {path}"));
                    if got != bytes {
                        let (got, want) =
                            (String::from_utf8_lossy(got), String::from_utf8_lossy(bytes));
                        let (n, (g, w)) = got
                            .lines()
                            .zip(want.lines())
                            .enumerate()
                            .find(|(_, (g, w))| g != w)
                            .unwrap_or((0, ("(length)", "(length)")));
                        panic!(
                            "{path} differs from a fresh build's at line {}:\n got: {g}\nwant: {w}",
                            n + 1
                        );
                    }
                }
                assert_eq!(output.len(), want.len());
                assert_eq!(diagnostics, fresh.diagnostics);
                true
            }
            Attempt::Failed(d) => {
                assert!(fresh.output.is_none());
                assert_eq!(d, fresh.diagnostics);
                eprintln!("{}", d.render(Format::Text));
                false
            }
        }
    }

    /// Like [`Rebuilds::check`] after the pages `rels` changed, and gives the output paths
    /// the render made anew (not reused), sorted.
    fn pages(&mut self, rels: &[&str]) -> Vec<String> {
        let change = ChangeKind::Content(rels.iter().map(PathBuf::from).collect());
        assert!(self.check(&change), "the build failed after {rels:?}");
        self.made()
    }

    fn made(&self) -> Vec<String> {
        let mut made = self.builder.cache.render().last_made().to_vec();
        made.sort();
        made
    }
}

/// A rebuild through the kept sources and parse cache gives exactly what a fresh build of
/// the files on disk gives, output and diagnostics, after every kind of page change.
#[test]
fn page_rebuilds_equal_fresh_builds() {
    let mut site = Rebuilds::new(jiff::civil::date(2026, 11, 24));
    let page = |name: &str, kind: &str, channel: &str| {
        format!(
            "+++\nkind = \"{kind}\"\nname = \"{name}\"\nsummary = \"S.\"\nstatus = \"active\"\n\n\
             [[facilitators]]\ngithub = \"octocat\"\n\n[discord]\nchannel = \"{channel}\"\n+++\nBody.\n"
        )
    };
    site.write(
        "mcpsite.toml",
        "title = \"T\"\nbase_url = \"https://x.org\"\n",
    );
    site.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n");
    site.write("content/groups/a-ig.md", page("A", "ig", "a-ig"));
    site.write("content/groups/b-wg.md", page("B", "wg", "b-wg"));
    site.check(&ChangeKind::Full);
    let pages = |p: &[&str]| ChangeKind::Content(p.iter().map(PathBuf::from).collect());

    // Edit, create, break (not UTF-8, bad TOML), fix, delete, and the home page.
    site.write("content/groups/a-ig.md", page("A2", "ig", "a-ig"));
    site.check(&pages(&["content/groups/a-ig.md"]));
    site.write("content/groups/c-ig.md", page("C", "ig", "c-ig"));
    site.check(&pages(&["content/groups/c-ig.md"]));
    site.write("content/groups/c-ig.md", b"+++\nname = \"\xff\"\n+++\n");
    site.check(&pages(&["content/groups/c-ig.md"]));
    site.write("content/groups/c-ig.md", "+++\nname = \n+++\n");
    site.check(&pages(&["content/groups/c-ig.md"]));
    site.write("content/groups/c-ig.md", page("C", "ig", "c-ig"));
    site.check(&pages(&["content/groups/c-ig.md"]));
    std::fs::remove_file(site.root.join("content/groups/b-wg.md")).unwrap();
    site.check(&pages(&[
        "content/groups/b-wg.md",
        "content/groups/a-ig.md",
    ]));
    site.write("content/_index.md", "+++\ntitle = \"Home 2\"\n+++\nHi.\n");
    site.check(&pages(&["content/_index.md"]));
    std::fs::remove_file(site.root.join("content/_index.md")).unwrap();
    site.check(&pages(&["content/_index.md"]));
    // A page path that became a folder falls back to a full reload.
    std::fs::create_dir(site.root.join("content/groups/d-ig.md")).unwrap();
    site.check(&pages(&["content/groups/d-ig.md"]));
}

/// Rebuilds reuse rendered pages (`render::RenderCache`) and still give exactly what a fresh
/// build gives, byte for byte, after each kind of edit; each edit re-renders only the pages
/// that show what changed.
#[test]
fn cached_rebuilds_equal_fresh_builds_and_redo_only_what_changed() {
    const AUTH: &str = "content/groups/auth-ig.md";
    const TASKS_WG: &str = "content/groups/tasks-wg.md";
    const TASKS_IG: &str = "content/groups/tasks-ig.md";
    const IDEAS: &str = "content/groups/ideas-ig.md";
    let mut site = Rebuilds::new(jiff::civil::date(2026, 11, 24));
    copy_fixture("sites/basic", &site.root);
    assert!(site.check(&ChangeKind::Full));
    let all = site.made();
    assert!(all.len() > 8, "a first build makes every page: {all:?}");
    let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let has = |made: &[String], p: &str| made.iter().any(|m| m == p);

    // Nothing changed: nothing is made again.
    assert_eq!(site.pages(&[AUTH]), Vec::<String>::new());

    // The body shows on the group's page only (and groups.json is made again whenever a
    // page changes).
    let text = site.read(AUTH);
    site.write(AUTH, format!("{text}\nA new closing paragraph.\n"));
    assert_eq!(
        site.pages(&[AUTH]),
        strs(&["groups.json", "groups/auth-ig/index.html"])
    );

    // The summary shows on its card too: the directory, its kind's page and the calendar
    // (auth-ig meets), and meetings.json goes with the calendar.
    site.edit(
        AUTH,
        "summary = \"Authorization in MCP",
        "summary = \"Authorisation in MCP",
    );
    assert_eq!(
        site.pages(&[AUTH]),
        strs(&[
            "calendar/index.html",
            "groups.json",
            "groups/auth-ig/index.html",
            "ig/index.html",
            "index.html",
            "meetings.json",
        ])
    );

    // The name also shows where other groups name it: tasks-wg lists auth-ig as related.
    site.edit(
        AUTH,
        "name = \"Authorization\"",
        "name = \"Authorization and Identity\"",
    );
    let made = site.pages(&[AUTH]);
    assert!(has(&made, "groups/tasks-wg/index.html"), "{made:?}");
    assert!(!has(&made, "groups/ideas-ig/index.html"), "{made:?}");

    // A related group's name: tasks-wg is auth-ig's related group and tasks-ig's successor.
    site.edit(
        TASKS_WG,
        "name = \"Tasks\"",
        "name = \"Long-running Tasks\"",
    );
    let made = site.pages(&[TASKS_WG]);
    for p in [
        "groups/auth-ig/index.html",
        "groups/tasks-ig/index.html",
        "groups/tasks-wg/index.html",
        "wg/index.html",
    ] {
        assert!(has(&made, p), "{p} not made again: {made:?}");
    }
    assert!(!has(&made, "ig/index.html"), "{made:?}");

    // A schedule: the group's page, its card's next meeting, the agenda.
    site.edit(
        AUTH,
        "start = 2026-01-14T09:00:00",
        "start = 2026-01-14T10:30:00",
    );
    let made = site.pages(&[AUTH]);
    assert!(has(&made, "calendar/index.html"), "{made:?}");
    assert!(has(&made, "meetings.json"), "{made:?}");
    // The next meeting cancelled: the card shows the next meeting.
    site.edit(
        AUTH,
        "[[schedule.exceptions]]\ndate = 2026-12-30",
        "[[schedule.exceptions]]\ndate = 2026-12-02\naction = \"cancel\"\nreason = \"Offsite\"\n\n[[schedule.exceptions]]\ndate = 2026-12-30",
    );
    let made = site.pages(&[AUTH]);
    assert!(has(&made, "index.html"), "{made:?}");
    assert!(has(&made, "calendar/index.html"), "{made:?}");
    // A later cancellation changes the agenda but not the card (which shows the next
    // meeting only).
    site.edit(
        AUTH,
        "[[schedule.exceptions]]\ndate = 2026-12-30",
        "[[schedule.exceptions]]\ndate = 2027-01-13\naction = \"cancel\"\nreason = \"Offsite\"\n\n[[schedule.exceptions]]\ndate = 2026-12-30",
    );
    let made = site.pages(&[AUTH]);
    assert!(has(&made, "calendar/index.html"), "{made:?}");
    assert!(!has(&made, "index.html"), "{made:?}");
    site.edit(
        AUTH,
        "spec/discussions/auth-{date}",
        "spec/discussions/auth-notes-{date}",
    );
    let made = site.pages(&[AUTH]);
    assert!(has(&made, "meetings.json"), "{made:?}");
    // A past meeting's record: the group's page only.
    site.edit(
        AUTH,
        "notes = \"https://github.com/example/spec/issues/101\"",
        "notes = \"https://github.com/example/spec/issues/102\"",
    );
    assert_eq!(
        site.pages(&[AUTH]),
        strs(&["groups.json", "groups/auth-ig/index.html"])
    );

    // A group becomes a draft: it leaves the site, and the pages naming it show its slug.
    site.edit(
        IDEAS,
        "status = \"proposed\"",
        "status = \"proposed\"\ndraft = true",
    );
    site.pages(&[IDEAS]);
    site.edit(
        TASKS_WG,
        "status = \"active\"",
        "status = \"active\"\ndraft = true",
    );
    let made = site.pages(&[TASKS_WG]);
    assert!(has(&made, "groups/auth-ig/index.html"), "{made:?}");
    site.edit(TASKS_WG, "draft = true\n", "");
    site.pages(&[TASKS_WG]);
    site.edit(IDEAS, "draft = true\n", "");
    site.pages(&[IDEAS]);

    // A new group, a group removed, a broken page and its fix.
    site.write(
        "content/groups/new-wg.md",
        site.read(IDEAS)
            .replace("kind = \"ig\"", "kind = \"wg\"")
            .replace("name = \"Ideas\"", "name = \"New\"")
            .replace("ideas-ig", "new-wg"),
    );
    site.pages(&["content/groups/new-wg.md"]);
    std::fs::remove_file(site.root.join("content/groups/new-wg.md")).unwrap();
    site.pages(&["content/groups/new-wg.md"]);
    site.edit(
        TASKS_IG,
        "successor = \"tasks-wg\"",
        "successor = \"nowhere-wg\"",
    );
    assert!(!site.check(&ChangeKind::Content(vec![TASKS_IG.into()])));
    site.edit(
        TASKS_IG,
        "successor = \"nowhere-wg\"",
        "successor = \"tasks-wg\"",
    );
    site.pages(&[TASKS_IG]);

    // The home page shows on the directory only.
    let home = site.read("content/_index.md");
    site.write("content/_index.md", format!("{home}\nMore words.\n"));
    assert_eq!(site.pages(&["content/_index.md"]), strs(&["index.html"]));

    // Another day: every page that shows meetings or "today" is made again.
    site.builder.site.today = Some(jiff::civil::date(2026, 12, 3));
    let made = site.pages(&[AUTH]);
    assert_eq!(made.len(), all.len(), "{made:?}");
    site.builder.site.today = Some(jiff::civil::date(2027, 2, 1));
    assert!(site.check(&ChangeKind::Full));

    // A template: every page made with it, whether the change is seen as a theme change
    // (a full reload) or comes along with a page edit.
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Lost.</p>{% endblock content %}",
    );
    assert!(site.check(&ChangeKind::Full));
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Gone.</p>{% endblock content %}",
    );
    let made = site.pages(&[AUTH]);
    assert!(has(&made, "404.html"), "{made:?}");
    // A template that fails on one page only, then is fixed.
    let group = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/group.html"),
    )
    .unwrap();
    site.write(
        "themes/default/templates/group.html",
        group.replacen("{% block content %}", "{% block content %}{% if group.slug == \"tasks-wg\" %}{{ nothing_here.at_all }}{% endif %}", 1),
    );
    assert!(!site.check(&ChangeKind::Full));
    assert!(!site.check(&ChangeKind::Content(vec![AUTH.into()])));
    site.write("themes/default/templates/group.html", group);
    assert_eq!(site.pages(&[AUTH]).len(), all.len());

    // The settings.
    site.edit(
        "mcpsite.toml",
        "title = \"Example Groups\"",
        "title = \"Example\"",
    );
    assert!(site.check(&ChangeKind::Full));
    assert_eq!(site.made().len(), all.len());
}
