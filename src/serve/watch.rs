//! Watching the site's sources and deciding what a change needs.
//!
//! Takes: debounced file events from `notify`. Gives: a [`ChangeKind`] per batch, decided by the
//! pure [`classify_change`] (unit-tested without a filesystem, as zola's `fs_utils.rs` does).
//!
//! What is watched: the site root itself without recursion (for `mcpsite.toml` and for
//! `content/`, `themes/` or `static/` appearing, disappearing or being renamed) and those three
//! folders recursively. Not the whole root: in this repository it also holds `target/`, which
//! cargo keeps busy.
//!
//! How editors save, and why the classifier sees only paths: vim renames the page to `page.md~`
//! and writes a new `page.md` (after a `4913` probe); JetBrains writes `page.md___jb_tmp___` and
//! renames it over the page; others write in place. Whatever the sequence, the temporary names
//! are ignored and the page's own path is in the batch, and the rebuild reads what is on disk
//! afterwards, so the order of events never matters.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::source::is_temp_file;

/// How long a path must be quiet before its events are delivered. An editor's save (write a
/// temporary file, rename it over the page; or truncate and write in place) is a few system
/// calls in a row, well inside this window; the page's content is complete before any `fsync`
/// pause. A longer window only delays every reload: it is most of the latency of a small site.
pub const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for quiet paths (an idle wake-up costs microseconds).
const TICK: Duration = Duration::from_millis(2);
/// After a batch, how long to wait for another before rebuilding, so that a burst of saves
/// spread over a few debouncer ticks still gives one rebuild. Saves that arrive while a build
/// runs are merged into the next one too.
pub const SETTLE: Duration = Duration::from_millis(4);

/// Netlify's settings at the site root: `serve` mirrors its `[[headers]]` and `[[redirects]]`.
pub const NETLIFY_TOML: &str = "netlify.toml";

/// What a batch of changed paths asks of the next build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// Nothing a build reads changed (editor temporary files, other files in the root).
    Ignore,
    /// Only these pages changed (edited, created or deleted): `content/_index.md` or
    /// `content/groups/<slug>.md`, relative to the root. Re-read just them.
    Content(Vec<PathBuf>),
    /// Settings, themes, static files or folders changed: re-read everything.
    Full,
}

impl ChangeKind {
    /// The change that covers both.
    pub fn merge(self, other: ChangeKind) -> ChangeKind {
        match (self, other) {
            (ChangeKind::Full, _) | (_, ChangeKind::Full) => ChangeKind::Full,
            (ChangeKind::Ignore, x) | (x, ChangeKind::Ignore) => x,
            (ChangeKind::Content(mut a), ChangeKind::Content(b)) => {
                for p in b {
                    if !a.contains(&p) {
                        a.push(p);
                    }
                }
                ChangeKind::Content(a)
            }
        }
    }
}

/// The folders under the root that are watched recursively.
pub const WATCHED_DIRS: [&str; 3] = ["content", "themes", "static"];

/// Decides what the changed `paths` (absolute, under `root`) need.
///
/// `content/_index.md` and `content/groups/*.md` are pages; any other change under `content/`
/// that loading reads (the folders themselves, nested files, non-Markdown files in `groups/`,
/// which loading reports) needs a full reload, as do `mcpsite.toml`, `themes/`, `static/` and
/// the root itself. Everything else, and editor temporary and hidden files, are ignored.
pub fn classify_change<'a>(root: &Path, paths: impl IntoIterator<Item = &'a Path>) -> ChangeKind {
    let mut kind = ChangeKind::Ignore;
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let names: Option<Vec<&str>> = rel
            .components()
            .map(|c| match c {
                Component::Normal(n) => n.to_str(),
                _ => None,
            })
            .collect();
        let Some(names) = names else {
            kind = ChangeKind::Full;
            continue;
        };
        // Only the file name decides, as in `source::load`: a page inside a hidden folder under
        // `groups/` is still a page that loading reports as nested.
        if names.last().is_some_and(|n| is_temp_file(Path::new(n))) {
            continue;
        }
        let this = match names.as_slice() {
            [] => ChangeKind::Full,
            [CONFIG_FILE] | [NETLIFY_TOML] => ChangeKind::Full,
            ["content", "_index.md"] => ChangeKind::Content(vec![rel.to_path_buf()]),
            ["content", "groups", page] if page.ends_with(".md") => {
                ChangeKind::Content(vec![rel.to_path_buf()])
            }
            ["content"] | ["content", "groups", ..] => ChangeKind::Full,
            // Loading reads nothing else under content/.
            ["content", ..] => ChangeKind::Ignore,
            ["themes", ..] | ["static", ..] => ChangeKind::Full,
            _ => ChangeKind::Ignore,
        };
        kind = kind.merge(this);
    }
    kind
}

/// True when a watched folder itself appeared, went or was renamed (or the root did), so the
/// recursive watches must be set up again.
pub fn needs_rewatch<'a>(root: &Path, paths: impl IntoIterator<Item = &'a Path>) -> bool {
    paths.into_iter().any(|p| match p.strip_prefix(root) {
        Ok(rel) => {
            let mut c = rel.components();
            match (c.next(), c.next()) {
                (None, _) => true,
                (Some(Component::Normal(n)), None) => WATCHED_DIRS.iter().any(|d| n == *d),
                _ => false,
            }
        }
        Err(_) => false,
    })
}

/// The changed paths of a debounced batch, or `None` when the watcher lost track (an error or
/// a rescan request) and everything must be reloaded. Access events are dropped: inotify
/// reports our own reads of the sources as opens and closes, which would rebuild forever.
pub fn changed_paths(result: DebounceEventResult) -> Option<Vec<PathBuf>> {
    let events = result.ok()?;
    let mut paths = Vec::new();
    for e in events {
        if e.need_rescan() {
            return None;
        }
        if matches!(e.kind, EventKind::Access(_)) {
            continue;
        }
        paths.extend(e.event.paths);
    }
    Some(paths)
}

/// A running watcher over one site root.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Starts watching `root` (absolute); `on_batch` runs on the debouncer's thread.
    pub fn start(
        root: &Path,
        on_batch: impl FnMut(DebounceEventResult) + Send + 'static,
    ) -> anyhow::Result<Watcher> {
        use anyhow::Context as _;
        let mut debouncer =
            new_debouncer(DEBOUNCE, Some(TICK), on_batch).context("starting the file watcher")?;
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("watching {}", root.display()))?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            debouncer,
            watched: Vec::new(),
        };
        w.rewatch()?;
        Ok(w)
    }

    /// (Re)creates the recursive watches on whichever of `content/`, `themes/` and `static/`
    /// exist now.
    pub fn rewatch(&mut self) -> anyhow::Result<()> {
        use anyhow::Context as _;
        for dir in self.watched.drain(..) {
            let _ = self.debouncer.unwatch(&dir);
        }
        for name in WATCHED_DIRS {
            let dir = self.root.join(name);
            if dir.is_dir() {
                self.debouncer
                    .watch(&dir, RecursiveMode::Recursive)
                    .with_context(|| format!("watching {}", dir.display()))?;
                self.watched.push(dir);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/site";

    fn classify(paths: &[&str]) -> ChangeKind {
        let paths: Vec<PathBuf> = paths.iter().map(|p| Path::new(ROOT).join(p)).collect();
        classify_change(Path::new(ROOT), paths.iter().map(PathBuf::as_path))
    }

    fn content(paths: &[&str]) -> ChangeKind {
        ChangeKind::Content(paths.iter().map(PathBuf::from).collect())
    }

    #[test]
    fn one_page_edit_rebuilds_that_page() {
        assert_eq!(
            classify(&["content/groups/auth-ig.md"]),
            content(&["content/groups/auth-ig.md"])
        );
        assert_eq!(
            classify(&["content/_index.md"]),
            content(&["content/_index.md"])
        );
    }

    #[test]
    fn vim_save_is_one_page_change() {
        // backupcopy=no: probe file, page renamed to a backup, new page written, backup removed.
        assert_eq!(
            classify(&[
                "content/groups/4913",
                "content/groups/auth-ig.md",
                "content/groups/auth-ig.md~",
                "content/groups/auth-ig.md",
                "content/groups/.auth-ig.md.swp",
                "content/groups/.auth-ig.md.swx",
            ]),
            content(&["content/groups/auth-ig.md"])
        );
    }

    #[test]
    fn jetbrains_save_is_one_page_change() {
        assert_eq!(
            classify(&[
                "content/groups/auth-ig.md___jb_tmp___",
                "content/groups/auth-ig.md___jb_old___",
                "content/groups/auth-ig.md",
            ]),
            content(&["content/groups/auth-ig.md"])
        );
    }

    #[test]
    fn temporary_files_alone_are_ignored() {
        for p in [
            "content/groups/.auth-ig.md.swp",
            "content/groups/#auth-ig.md#",
            "content/groups/.#auth-ig.md",
            "content/groups/auth-ig.md.tmp",
            "content/.git/index",
            "themes/default/.DS_Store",
            "static/style.css~",
            ".mcpsite.toml.swp",
        ] {
            assert_eq!(classify(&[p]), ChangeKind::Ignore, "{p}");
        }
    }

    #[test]
    fn created_deleted_and_renamed_pages_are_page_changes() {
        // A rename carries both names; each is re-read (one is gone, one is new).
        assert_eq!(
            classify(&["content/groups/old-ig.md", "content/groups/new-ig.md"]),
            content(&["content/groups/old-ig.md", "content/groups/new-ig.md"])
        );
    }

    #[test]
    fn settings_theme_static_and_folders_are_full_rebuilds() {
        for p in [
            "mcpsite.toml",
            "netlify.toml",
            "themes/default/templates/group.html",
            "themes/mine",
            "static/style.css",
            "content",
            "content/groups",
            "content/groups/sub/x.md",
            "content/groups/notes.txt",
            "content/groups/.hidden/x.md",
            "",
        ] {
            assert_eq!(classify(&[p]), ChangeKind::Full, "{p:?}");
        }
        // Full wins over page changes in the same batch.
        assert_eq!(
            classify(&["content/groups/a-ig.md", "mcpsite.toml"]),
            ChangeKind::Full
        );
    }

    #[test]
    fn files_a_build_never_reads_are_ignored() {
        for p in [
            "README.md",
            "Cargo.toml",
            "target/debug/mcpsite",
            "public/index.html",
            "content/README.md",
            "content/drafts/x.md",
        ] {
            assert_eq!(classify(&[p]), ChangeKind::Ignore, "{p}");
        }
        // Outside the root altogether.
        assert_eq!(
            classify_change(Path::new(ROOT), [Path::new("/elsewhere/mcpsite.toml")]),
            ChangeKind::Ignore
        );
    }

    #[test]
    fn rewatch_only_when_a_watched_folder_itself_changes() {
        let root = Path::new(ROOT);
        let yes = |p: &str| needs_rewatch(root, [root.join(p).as_path()]);
        assert!(yes("content"));
        assert!(yes("themes"));
        assert!(yes("static"));
        assert!(yes(""));
        assert!(!yes("content/groups"));
        assert!(!yes("mcpsite.toml"));
        assert!(!yes("contents"));
    }

    #[test]
    fn merge() {
        let a = content(&["content/groups/a-ig.md"]);
        let b = content(&["content/groups/b-ig.md", "content/groups/a-ig.md"]);
        assert_eq!(
            a.clone().merge(b),
            content(&["content/groups/a-ig.md", "content/groups/b-ig.md"])
        );
        assert_eq!(a.clone().merge(ChangeKind::Ignore), a);
        assert_eq!(ChangeKind::Ignore.merge(a.clone()), a);
        assert_eq!(a.merge(ChangeKind::Full), ChangeKind::Full);
    }
}
