//! The builder against fresh builds: after every kind of change, a rebuild through the kept
//! sources and caches must give exactly what `pipeline::build` gives for the files on disk.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::event::{CreateKind, EventKind, ModifyKind, RemoveKind, RenameMode};
use notify_debouncer_full::DebouncedEvent;

use super::*;
use crate::diag::Format;

/// The change of the pages `rels`.
fn pages(rels: &[&str]) -> ChangeKind {
    ChangeKind::Content(rels.iter().map(PathBuf::from).collect())
}

/// Copies `tests/fixtures/<name>` into `to`.
fn copy_fixture(name: &str, to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    crate::test_support::copy_tree(&from, to);
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

    /// [`Rebuilds::check`], for a change after which the site builds.
    fn builds(&mut self, change: &ChangeKind) {
        assert!(self.check(change), "the build failed after {change:?}");
    }

    /// [`Rebuilds::check`], for a change after which the site has errors.
    fn fails(&mut self, change: &ChangeKind) {
        assert!(!self.check(change), "the build succeeded after {change:?}");
    }

    /// Like [`Rebuilds::builds`] after the pages `rels` changed, and gives the output paths
    /// the render made anew (not reused), sorted.
    fn pages(&mut self, rels: &[&str]) -> Vec<String> {
        self.builds(&pages(rels));
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
    const A: &str = "content/groups/a-ig.md";
    const C: &str = "content/groups/c-ig.md";
    const HOME: &str = "content/_index.md";
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
    site.write(HOME, "+++\ntitle = \"Home\"\n+++\nHi.\n");
    site.write(A, page("A", "ig", "a-ig"));
    site.write("content/groups/b-wg.md", page("B", "wg", "b-wg"));
    site.builds(&ChangeKind::Full);

    // Edit, create, break (not UTF-8, bad TOML), fix, delete, and the home page.
    site.write(A, page("A2", "ig", "a-ig"));
    site.builds(&pages(&[A]));
    site.write(C, page("C", "ig", "c-ig"));
    site.builds(&pages(&[C]));
    site.write(C, b"+++\nname = \"\xff\"\n+++\n");
    site.fails(&pages(&[C]));
    site.write(C, "+++\nname = \n+++\n");
    site.fails(&pages(&[C]));
    site.write(C, page("C", "ig", "c-ig"));
    site.builds(&pages(&[C]));
    std::fs::remove_file(site.root.join("content/groups/b-wg.md")).unwrap();
    site.builds(&pages(&["content/groups/b-wg.md", A]));
    site.write(HOME, "+++\ntitle = \"Home 2\"\n+++\nHi.\n");
    site.builds(&pages(&[HOME]));
    std::fs::remove_file(site.root.join(HOME)).unwrap();
    site.builds(&pages(&[HOME]));
    // A page path that became a folder falls back to a full reload, which reports the page
    // inside it as nested (re-reading the path alone would miss it).
    site.write("content/groups/d-ig.md/x.md", page("D", "ig", "d-ig"));
    site.fails(&pages(&["content/groups/d-ig.md"]));
}

const AUTH: &str = "content/groups/auth-ig.md";
const TASKS_WG: &str = "content/groups/tasks-wg.md";
const TASKS_IG: &str = "content/groups/tasks-ig.md";
const IDEAS: &str = "content/groups/ideas-ig.md";

/// Rebuilds reuse rendered pages (`render::RenderCache`) and still give exactly what a fresh
/// build gives, byte for byte, after each kind of edit; each edit re-renders only the pages
/// that show what changed. The steps run in order on one site, so that the cache has a history.
#[test]
fn cached_rebuilds_equal_fresh_builds_and_redo_only_what_changed() {
    let mut site = Rebuilds::new(jiff::civil::date(2026, 11, 24));
    copy_fixture("sites/basic", &site.root);
    site.builds(&ChangeKind::Full);
    let all = site.made();
    assert!(all.len() > 8, "a first build makes every page: {all:?}");
    // Nothing changed: nothing is made again.
    assert_eq!(site.pages(&[AUTH]), Vec::<String>::new());

    group_fields_redo_the_pages_that_show_them(&mut site);
    schedule_edits_redo_the_pages_that_show_meetings(&mut site);
    drafts_new_removed_and_broken_groups(&mut site);
    home_page_and_another_day(&mut site, &all);
    templates_and_settings_redo_every_page(&mut site, &all);
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Asserts that `made` has every page of `yes` and none of `no`.
fn assert_made(made: &[String], yes: &[&str], no: &[&str]) {
    for p in yes {
        assert!(made.iter().any(|m| m == p), "{p} not made again: {made:?}");
    }
    for p in no {
        assert!(!made.iter().any(|m| m == p), "{p} made again: {made:?}");
    }
}

/// A group's body, summary and name, and a related group's name.
fn group_fields_redo_the_pages_that_show_them(site: &mut Rebuilds) {
    // The body shows on the group's page only (and groups.json is made again whenever a page
    // changes; the health page and health.json only when the group's health does).
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
    assert_made(
        &made,
        &[
            "groups/tasks-wg/index.html",
            "health/index.html",
            "health.json",
        ],
        &["groups/ideas-ig/index.html"],
    );

    // A related group's name: tasks-wg is auth-ig's related group and tasks-ig's successor.
    site.edit(
        TASKS_WG,
        "name = \"Tasks\"",
        "name = \"Long-running Tasks\"",
    );
    let made = site.pages(&[TASKS_WG]);
    assert_made(
        &made,
        &[
            "groups/auth-ig/index.html",
            "groups/tasks-ig/index.html",
            "groups/tasks-wg/index.html",
            "wg/index.html",
        ],
        &["ig/index.html"],
    );
}

/// Adds a cancellation on `date` before the Auth IG's existing 2026-12-30 exception.
fn cancel_before_the_last_exception(site: &mut Rebuilds, date: &str) {
    let last = "[[schedule.exceptions]]\ndate = 2026-12-30";
    let cancel = format!(
        "[[schedule.exceptions]]\ndate = {date}\naction = \"cancel\"\nreason = \"Offsite\"\n\n{last}"
    );
    site.edit(AUTH, last, &cancel);
}

/// A schedule, cancellations, the notes link pattern and a past meeting's record.
fn schedule_edits_redo_the_pages_that_show_meetings(site: &mut Rebuilds) {
    // A schedule: the group's page, its card's next meeting, the agenda.
    site.edit(
        AUTH,
        "start = 2026-01-14T09:00:00",
        "start = 2026-01-14T10:30:00",
    );
    let made = site.pages(&[AUTH]);
    assert_made(&made, &["calendar/index.html", "meetings.json"], &[]);
    // The next meeting cancelled: the card shows the next meeting.
    cancel_before_the_last_exception(site, "2026-12-02");
    let made = site.pages(&[AUTH]);
    assert_made(&made, &["index.html", "calendar/index.html"], &[]);
    // A later cancellation changes the agenda, and the directory too: its script shows the
    // next meeting by the reader's clock from the meetings the page carries.
    cancel_before_the_last_exception(site, "2027-01-13");
    let made = site.pages(&[AUTH]);
    assert_made(&made, &["calendar/index.html", "index.html"], &[]);
    site.edit(
        AUTH,
        "spec/discussions/auth-{date}",
        "spec/discussions/auth-notes-{date}",
    );
    let made = site.pages(&[AUTH]);
    assert_made(&made, &["meetings.json"], &[]);
    // A past meeting's record: the group's page only (its notes link counts alike on the
    // health page).
    site.edit(
        AUTH,
        "notes = \"https://github.com/example/spec/issues/101\"",
        "notes = \"https://github.com/example/spec/issues/102\"",
    );
    assert_eq!(
        site.pages(&[AUTH]),
        strs(&["groups.json", "groups/auth-ig/index.html"])
    );
}

/// Groups leaving and joining the site: drafts, a new and a removed group, a broken page.
fn drafts_new_removed_and_broken_groups(site: &mut Rebuilds) {
    // A group becomes a draft: it leaves the site (its kind's page and the directory lose its
    // card), and the pages naming it show its slug.
    site.edit(
        IDEAS,
        "status = \"proposed\"",
        "status = \"proposed\"\ndraft = true",
    );
    let made = site.pages(&[IDEAS]);
    assert_made(&made, &["ig/index.html", "index.html"], &["wg/index.html"]);
    site.edit(
        TASKS_WG,
        "status = \"active\"",
        "status = \"active\"\ndraft = true",
    );
    let made = site.pages(&[TASKS_WG]);
    assert_made(
        &made,
        &["groups/auth-ig/index.html", "wg/index.html"],
        &["ig/index.html"],
    );
    site.edit(TASKS_WG, "draft = true\n", "");
    let made = site.pages(&[TASKS_WG]);
    assert_made(
        &made,
        &["groups/auth-ig/index.html", "groups/tasks-wg/index.html"],
        &[],
    );
    site.edit(IDEAS, "draft = true\n", "");
    let made = site.pages(&[IDEAS]);
    assert_made(&made, &["groups/ideas-ig/index.html", "ig/index.html"], &[]);

    // A new group, a group removed, a broken page and its fix.
    const NEW: &str = "content/groups/new-wg.md";
    site.write(
        NEW,
        site.read(IDEAS)
            .replace("kind = \"ig\"", "kind = \"wg\"")
            .replace("name = \"Ideas\"", "name = \"New\"")
            .replace("ideas-ig", "new-wg"),
    );
    let made = site.pages(&[NEW]);
    assert_made(&made, &["groups/new-wg/index.html", "wg/index.html"], &[]);
    std::fs::remove_file(site.root.join(NEW)).unwrap();
    let made = site.pages(&[NEW]);
    assert_made(&made, &["wg/index.html"], &["groups/new-wg/index.html"]);
    site.edit(
        TASKS_IG,
        "successor = \"tasks-wg\"",
        "successor = \"nowhere-wg\"",
    );
    site.fails(&pages(&[TASKS_IG]));
    // The group it names appears: the unchanged page is checked again (a page's own checks
    // read every page's slug) and the site builds; and fails again once it is gone.
    const NOWHERE: &str = "content/groups/nowhere-wg.md";
    site.write(
        NOWHERE,
        site.read(IDEAS)
            .replace("kind = \"ig\"", "kind = \"wg\"")
            .replace("name = \"Ideas\"", "name = \"Nowhere\"")
            .replace("ideas-ig", "nowhere-wg"),
    );
    site.builds(&pages(&[NOWHERE]));
    std::fs::remove_file(site.root.join(NOWHERE)).unwrap();
    site.fails(&pages(&[NOWHERE]));
    site.edit(
        TASKS_IG,
        "successor = \"nowhere-wg\"",
        "successor = \"tasks-wg\"",
    );
    site.builds(&pages(&[TASKS_IG]));
}

/// The home page, and a new day.
fn home_page_and_another_day(site: &mut Rebuilds, all: &[String]) {
    // The home page shows on the directory only.
    let home = site.read("content/_index.md");
    site.write("content/_index.md", format!("{home}\nMore words.\n"));
    assert_eq!(site.pages(&["content/_index.md"]), strs(&["index.html"]));

    // Another day: every page that shows meetings or "today" is made again.
    site.builder.site.today = Some(jiff::civil::date(2026, 12, 3));
    let made = site.pages(&[AUTH]);
    assert_eq!(made.len(), all.len(), "{made:?}");
    site.builder.site.today = Some(jiff::civil::date(2027, 2, 1));
    site.builds(&ChangeKind::Full);
}

/// Templates and the settings.
fn templates_and_settings_redo_every_page(site: &mut Rebuilds, all: &[String]) {
    // A template: every page made with it, whether the change is seen as a theme change
    // (a full reload) or comes along with a page edit.
    site.write(
        "themes/fixture/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Lost.</p>{% endblock content %}",
    );
    site.builds(&ChangeKind::Full);
    assert_made(&site.made(), &["404.html"], &[]);
    site.write(
        "themes/fixture/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Gone.</p>{% endblock content %}",
    );
    let made = site.pages(&[AUTH]);
    assert_made(&made, &["404.html"], &[]);
    // A template that fails on one page only, then is fixed.
    let group = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/group.html"),
    )
    .unwrap();
    site.write(
        "themes/fixture/templates/group.html",
        group.replacen("{% block content %}", "{% block content %}{% if group.slug == \"tasks-wg\" %}{{ nothing_here.at_all }}{% endif %}", 1),
    );
    site.fails(&ChangeKind::Full);
    site.fails(&pages(&[AUTH]));
    site.write("themes/fixture/templates/group.html", group);
    assert_eq!(site.pages(&[AUTH]).len(), all.len());

    // The settings.
    site.edit(
        "mcpsite.toml",
        "title = \"Example Groups\"",
        "title = \"Example\"",
    );
    site.builds(&ChangeKind::Full);
    assert_eq!(site.made().len(), all.len());
}

/// The batches of one burst give one rebuild, however many batches the watcher split it into:
/// the builder thread takes every batch already waiting before it builds. The test controls
/// when the thread sees the batches (all are queued before it starts), so the count holds on
/// any machine; how many batches a real save becomes depends on timing, which is why
/// `tests/serve.rs` does not count rebuilds.
#[test]
fn batches_waiting_together_give_one_rebuild() {
    let mut site = Rebuilds::new(jiff::civil::date(2026, 11, 24));
    copy_fixture("sites/basic", &site.root);
    let mut publisher = Publisher::new("t".into(), Format::Text);
    let first = publisher.publish(site.builder.build(&ChangeKind::Full), Duration::ZERO, "");
    assert_eq!(first.build.as_ref().map(|b| b.id.as_str()), Some("t-1"));

    // A vim save of auth-ig and ten JetBrains saves of tasks-wg, every event its own batch.
    let (tx, rx) = mpsc::channel();
    for event in vim_save(&site, AUTH, "Authorization", "Authorization Vim") {
        tx.send(Msg::Batch(Ok(vec![event]))).unwrap();
    }
    let mut name = "Tasks".to_string();
    for i in 0..10 {
        let next = format!("Tasks {i}");
        for event in jetbrains_save(&site, TASKS_WG, &name, &next) {
            tx.send(Msg::Batch(Ok(vec![event]))).unwrap();
        }
        name = next;
    }

    let watcher = watch::Watcher::start(&site.root, |_| {}).unwrap();
    let fresh = Builder::new(site.builder.site.clone());
    let builder = std::mem::replace(&mut site.builder, fresh);
    let (snap_tx, mut snap_rx) = tokio::sync::watch::channel(first);
    let thread = std::thread::spawn(move || run(rx, watcher, builder, publisher, snap_tx));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let published = runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(120), snap_rx.changed()).await
    });
    published.expect("no rebuild within two minutes").unwrap();
    // Batches left over would be built before the thread reads this.
    tx.send(Msg::Stop).unwrap();
    thread.join().unwrap();

    let snap = snap_rx.borrow().clone();
    assert_eq!(snap.seq, "t-2", "one rebuild after the first build");
    assert!(snap.errors.is_empty(), "{:?}", snap.errors);
    let served = snap.build.as_ref().expect("a good build");
    assert_eq!(served.id, "t-2");
    for (path, want) in [
        ("/groups/auth-ig/", "Authorization Vim"),
        ("/groups/tasks-wg/", "Tasks 9"),
    ] {
        let site::Reply::File { bytes, .. } = served.site.reply(path) else {
            panic!("{path} is not served");
        };
        assert!(String::from_utf8_lossy(bytes).contains(want), "{path}");
    }
}

/// One watcher event.
fn event(kind: EventKind, path: PathBuf) -> DebouncedEvent {
    DebouncedEvent::new(
        notify::Event::new(kind).add_path(path),
        std::time::Instant::now(),
    )
}

/// The text of `rel` with the group's name `from` changed to `to`.
fn renamed(site: &Rebuilds, rel: &str, from: &str, to: &str) -> String {
    let original = site.read(rel);
    let text = original.replacen(
        &format!("name = \"{from}\""),
        &format!("name = \"{to}\""),
        1,
    );
    assert_ne!(text, original, "{rel} has no name `{from}`");
    text
}

/// Saves `rel` with the name `from` changed to `to` as vim does (swap file, `4913` probe, the page
/// renamed to a backup, the new page written, clean-up), and gives the events it makes.
fn vim_save(site: &Rebuilds, rel: &str, from: &str, to: &str) -> Vec<DebouncedEvent> {
    let page = site.root.join(rel);
    let dir = page.parent().unwrap().to_path_buf();
    let name = page.file_name().unwrap().to_str().unwrap().to_string();
    let (swap, probe, backup) = (
        dir.join(format!(".{name}.swp")),
        dir.join("4913"),
        dir.join(format!("{name}~")),
    );
    let text = renamed(site, rel, from, to);
    std::fs::write(&swap, "swap").unwrap();
    std::fs::write(&probe, "").unwrap();
    std::fs::remove_file(&probe).unwrap();
    std::fs::rename(&page, &backup).unwrap();
    std::fs::write(&page, text).unwrap();
    std::fs::remove_file(&backup).unwrap();
    std::fs::remove_file(&swap).unwrap();
    vec![
        event(EventKind::Create(CreateKind::File), swap.clone()),
        event(EventKind::Create(CreateKind::File), probe.clone()),
        event(EventKind::Remove(RemoveKind::File), probe),
        event(
            EventKind::Modify(ModifyKind::Name(RenameMode::From)),
            page.clone(),
        ),
        event(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            backup.clone(),
        ),
        event(EventKind::Create(CreateKind::File), page.clone()),
        event(EventKind::Modify(ModifyKind::Any), page),
        event(EventKind::Remove(RemoveKind::File), backup),
        event(EventKind::Remove(RemoveKind::File), swap),
    ]
}

/// Saves `rel` with the name `from` changed to `to` as JetBrains does (a temporary file renamed over
/// the page), and gives the events it makes.
fn jetbrains_save(site: &Rebuilds, rel: &str, from: &str, to: &str) -> Vec<DebouncedEvent> {
    let page = site.root.join(rel);
    let tmp = page.with_file_name(format!(
        "{}___jb_tmp___",
        page.file_name().unwrap().to_str().unwrap()
    ));
    std::fs::write(&tmp, renamed(site, rel, from, to)).unwrap();
    std::fs::rename(&tmp, &page).unwrap();
    vec![
        event(EventKind::Create(CreateKind::File), tmp.clone()),
        event(EventKind::Modify(ModifyKind::Name(RenameMode::From)), tmp),
        event(EventKind::Modify(ModifyKind::Name(RenameMode::To)), page),
    ]
}
