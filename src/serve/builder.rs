//! The builder thread: file changes in, published builds out.
//!
//! Takes: the watcher's batches of changed paths ([`Msg`]). Gives: one rebuild per burst of
//! changes, through [`pipeline::build_from`] with the sources and the cache kept from the last
//! build, each published as a [`Snapshot`] for the HTTP side.
//!
//! A page edit re-reads just that page ([`Builder::patch`]); anything else (settings, theme,
//! static files, folders, a lost watch) reloads everything from disk. Either way the result
//! equals a fresh `mcpsite build` of the files on disk, which the tests check after every kind
//! of change.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use anyhow::Context as _;
use notify_debouncer_full::DebounceEventResult;

use super::publish::{Publisher, Snapshot};
use super::site;
use super::watch::{self, ChangeKind};
use crate::config::{BuildOptions, SiteRequest, resolve_today};
use crate::diag::{Diagnostic, Diagnostics, Pos, rel_path};
use crate::output::Output;
use crate::pipeline::{self, BuildCache};
use crate::source::{self, SourceFile, Sources};

/// What the builder thread receives.
pub(super) enum Msg {
    Batch(DebounceEventResult),
    Stop,
}

/// Waits for changes, rebuilds, publishes to `snap`; until [`Msg::Stop`].
pub(super) fn run(
    rx: mpsc::Receiver<Msg>,
    mut watcher: watch::Watcher,
    mut builder: Builder,
    mut publisher: Publisher,
    snap: tokio::sync::watch::Sender<Arc<Snapshot>>,
) {
    let burst = Burst::new(builder.site.root.clone());
    while let Some((change, rewatch)) = burst.next(&rx) {
        if rewatch && let Err(e) = watcher.rewatch() {
            eprintln!("warning: {e:#}");
        }
        if change == ChangeKind::Ignore {
            continue;
        }
        let started = Instant::now();
        let attempt = builder.build(&change);
        snap.send_replace(publisher.publish(attempt, started.elapsed(), &describe(&change)));
    }
}

/// Gathers the batches of one burst of changes into what the next build needs.
struct Burst {
    root: PathBuf,
    /// `MCPSITE_SERVE_DEBUG` prints every batch, to see what an editor's save looks like.
    debug: bool,
}

impl Burst {
    fn new(root: PathBuf) -> Burst {
        Burst {
            root,
            debug: std::env::var_os("MCPSITE_SERVE_DEBUG").is_some(),
        }
    }

    /// Waits for a batch, then takes every batch that follows within [`watch::SETTLE`]: a burst
    /// of saves arrives as batches a debouncer tick or two apart, and batches that arrived
    /// while a build ran are all waiting already. Gives the merged change and whether the
    /// watches must be set up again; `None` on [`Msg::Stop`].
    fn next(&self, rx: &mpsc::Receiver<Msg>) -> Option<(ChangeKind, bool)> {
        let mut change = ChangeKind::Ignore;
        let mut rewatch = false;
        match rx.recv() {
            Ok(Msg::Batch(b)) => self.absorb(b, &mut change, &mut rewatch),
            Ok(Msg::Stop) | Err(_) => return None,
        }
        loop {
            match rx.recv_timeout(watch::SETTLE) {
                Ok(Msg::Batch(b)) => self.absorb(b, &mut change, &mut rewatch),
                Ok(Msg::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return None,
                Err(mpsc::RecvTimeoutError::Timeout) => return Some((change, rewatch)),
            }
        }
    }

    fn absorb(&self, batch: DebounceEventResult, change: &mut ChangeKind, rewatch: &mut bool) {
        if self.debug {
            eprintln!("[serve] events: {batch:?}");
        }
        let root = &self.root;
        match watch::changed_paths(batch) {
            Some(paths) => {
                let kind = watch::classify_change(root, paths.iter().map(PathBuf::as_path));
                *change = std::mem::replace(change, ChangeKind::Ignore).merge(kind);
                *rewatch |= watch::needs_rewatch(root, paths.iter().map(PathBuf::as_path));
            }
            None => {
                *change = ChangeKind::Full;
                *rewatch = true;
            }
        }
    }
}

/// What changed, for the terminal: the pages, or that everything was reloaded.
fn describe(change: &ChangeKind) -> String {
    match change {
        ChangeKind::Content(paths) => paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(", "),
        _ => "settings, theme or folders".into(),
    }
}

/// The outcome of one build attempt.
pub(super) enum Attempt {
    Built {
        output: Output,
        diagnostics: Diagnostics,
        groups: usize,
        /// The site root's `netlify.toml`, whose header and redirect rules are served too.
        netlify: Option<String>,
    },
    /// Content errors (including `mcpsite.toml`'s), or an operational error as one diagnostic.
    Failed(Diagnostics),
}

/// Builds the site, keeping what the next rebuild can reuse: the settings, the sources as
/// read, and the parsed and rendered pages.
pub(super) struct Builder {
    /// The site, its root made absolute.
    site: SiteRequest,
    opts: Option<BuildOptions>,
    sources: Option<(Sources, Diagnostics)>,
    cache: BuildCache,
    netlify: Option<String>,
}

/// A changed page as it is on disk now.
enum OnDisk {
    /// Read as `source::load` would have (`None`: it does not count as a page; the reason is
    /// among the loading diagnostics).
    Page(Option<SourceFile>),
    Gone,
    /// A folder or a link where a page was: only a full reload reads it as loading would.
    NotAFile,
}

impl Builder {
    /// A builder that has kept nothing yet; `site.root` must be absolute.
    pub(super) fn new(site: SiteRequest) -> Builder {
        Builder {
            site,
            opts: None,
            sources: None,
            cache: BuildCache::default(),
            netlify: None,
        }
    }

    /// Builds after `change`. An operational error (an unreadable file) fails the attempt as
    /// one diagnostic, like content errors, so the server keeps going.
    pub(super) fn build(&mut self, change: &ChangeKind) -> Attempt {
        match self.try_build(change) {
            Ok(a) => a,
            Err(e) => {
                // What was kept may not match the disk any more: start over next time.
                self.opts = None;
                self.sources = None;
                let mut d = Diagnostics::new();
                d.push(Diagnostic::error(
                    "serve-build",
                    "",
                    Pos::default(),
                    format!("{e:#}"),
                ));
                Attempt::Failed(d)
            }
        }
    }

    fn try_build(&mut self, change: &ChangeKind) -> anyhow::Result<Attempt> {
        let patched = match change {
            ChangeKind::Content(paths) => self.patch(paths)?,
            _ => false,
        };
        if !patched && let Err(d) = self.reload()? {
            return Ok(Attempt::Failed(d));
        }
        let (Some(opts), Some((sources, source_diags))) = (&mut self.opts, &self.sources) else {
            unreachable!("loaded above");
        };
        // Only pages listing upcoming meetings depend on today; keep it current across midnight.
        opts.today = resolve_today(self.site.today)?;
        let outcome = pipeline::build_from(opts, sources, source_diags.clone(), &mut self.cache)?;
        Ok(match outcome.output {
            Some(output) => Attempt::Built {
                output,
                groups: outcome.site.map_or(0, |s| s.groups.len()),
                diagnostics: outcome.diagnostics,
                netlify: self.netlify.clone(),
            },
            None => Attempt::Failed(outcome.diagnostics),
        })
    }

    /// Reads the settings, every source and `netlify.toml` from disk again. `Ok(Err(_))`: the
    /// settings have content errors (nothing is kept then).
    fn reload(&mut self) -> anyhow::Result<Result<(), Diagnostics>> {
        self.opts = None;
        self.sources = None;
        match self.site.resolve(&self.site.root.join("public"))? {
            Ok(o) => self.opts = Some(o),
            Err(d) => return Ok(Err(d)),
        }
        self.sources = Some(source::load(&self.site.root)?);
        self.netlify = self.read_netlify_toml();
        Ok(Ok(()))
    }

    /// The root's `netlify.toml`, if it exists and reads; a warning when it does not parse
    /// (its rules are then left out, as a Netlify deploy would fail on it).
    fn read_netlify_toml(&self) -> Option<String> {
        let path = self.site.root.join(watch::NETLIFY_TOML);
        let text = String::from_utf8(crate::regular_file::read(&path).ok()?).ok()?;
        if let Err(e) = site::check_netlify_toml(&text) {
            eprintln!(
                "warning: {}: {}; its headers and redirects are not served",
                path.display(),
                e.trim_end()
            );
        }
        Some(text)
    }

    /// Re-reads the changed pages into the kept sources, as `source::load` would have read
    /// them. Gives `false` when a full reload is needed instead (nothing kept yet, or a path
    /// that is now a folder or a link).
    fn patch(&mut self, rels: &[PathBuf]) -> anyhow::Result<bool> {
        let (Some(_), Some((sources, diags))) = (&self.opts, &mut self.sources) else {
            return Ok(false);
        };
        for rel in rels {
            let key = rel_path(&self.site.root, &self.site.root.join(rel));
            let is_home = key == "content/_index.md";
            let file = match read_page(&self.site.root, rel, is_home, diags)? {
                OnDisk::Page(file) => file,
                OnDisk::Gone => None,
                OnDisk::NotAFile => return Ok(false),
            };
            if is_home {
                sources.home = file;
                continue;
            }
            let at = sources
                .groups
                .binary_search_by(|f| f.path.as_str().cmp(&key));
            match (at, file) {
                (Ok(i), Some(f)) => sources.groups[i] = f,
                (Ok(i), None) => {
                    sources.groups.remove(i);
                }
                (Err(i), Some(f)) => sources.groups.insert(i, f),
                (Err(_), None) => {}
            }
        }
        Ok(true)
    }
}

/// Reads the page `rel` (the home page when `is_home`) as `source::load` would, replacing its
/// loading diagnostics in `diags`.
fn read_page(
    root: &Path,
    rel: &Path,
    is_home: bool,
    diags: &mut Diagnostics,
) -> anyhow::Result<OnDisk> {
    let abs = root.join(rel);
    let key = rel_path(root, &abs);
    // `source::load` reads `_index.md` if it is a file (following links) and group pages that
    // are plain files (walkdir does not follow links).
    let meta = if is_home {
        std::fs::metadata(&abs)
    } else {
        std::fs::symlink_metadata(&abs)
    };
    let exists = match meta {
        Ok(m) if m.file_type().is_file() => true,
        Ok(_) if is_home => false,
        Ok(_) => return Ok(OnDisk::NotAFile),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e).with_context(|| format!("reading {}", abs.display())),
    };
    diags.retain(|d| d.path != key);
    if !exists {
        return Ok(OnDisk::Gone);
    }
    Ok(OnDisk::Page(source::read_text(root, &abs, diags)?))
}

#[cfg(test)]
mod tests;
