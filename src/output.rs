//! Output: where the built files go as soon as they are made.
//!
//! Takes: rendered pages, feeds and static files, one by one, through a [`Sink`]. Gives:
//! - [`Collect`]: the whole site in memory as an [`Output`], a sorted map from relative path to
//!   bytes (`serve` serves from it);
//! - [`Stream`]: each file written into an open staging folder ([`crate::staging`]) at once and
//!   dropped, so a plain build never holds the whole site; the staging folder is swapped in only
//!   when the build succeeded, so the previous site stays whole until the new one is complete: a
//!   failed or interrupted build never leaves a half-written site behind. Files of groups that
//!   were removed disappear because the new folder replaces the old one instead of being merged
//!   into it;
//! - [`Overridden`]: a sink that leaves out the paths the site's own `static/` files take.
//!
//! Every sink refuses a second file at the same path: that is a bug in the stage that made it.
//! A sink that does not keep its files remembers their paths in [`Claims`] (`Stream`, and the
//! sink `check` reads the files with, `crate::check::inspect`).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, bail};

use crate::staging::Staging;

/// A file's bytes, shared: a rebuild that reuses a kept page (`render::RenderCache`) hands
/// the same bytes to the new output without copying them.
pub type SharedBytes = Arc<Vec<u8>>;

/// The whole built site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    files: BTreeMap<String, SharedBytes>,
}

impl Output {
    /// An empty output.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file; a second file at the same path is a bug in the stage that made it.
    pub fn add(
        &mut self,
        path: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> anyhow::Result<()> {
        self.add_shared(path, Arc::new(bytes.into()))
    }

    /// [`Output::add`] for bytes that may be shared with other outputs.
    pub fn add_shared(
        &mut self,
        path: impl Into<String>,
        bytes: SharedBytes,
    ) -> anyhow::Result<()> {
        let path = path.into();
        check_rel_path(&path)?;
        if self.files.insert(path.clone(), bytes).is_some() {
            bail!("two outputs were produced for `{path}`");
        }
        Ok(())
    }

    /// Adds a file, replacing an earlier one at the same path (theme static files overridden by
    /// the site's own `static/`).
    pub fn replace(
        &mut self,
        path: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> anyhow::Result<()> {
        let path = path.into();
        check_rel_path(&path)?;
        self.files.insert(path, Arc::new(bytes.into()));
        Ok(())
    }

    /// The bytes of the file at `path`, if any.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|v| v.as_slice())
    }

    /// Every file: path and bytes, by path.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Writes every file under `dir` through a sibling staging folder, then swaps it in (see
    /// [`crate::staging`]).
    pub fn write_atomic(&self, dir: &Path) -> anyhow::Result<()> {
        let staging = Staging::open(dir)?;
        self.write_to(&staging)?;
        staging.commit()
    }

    /// Writes every file into an open staging folder.
    pub fn write_to(&self, staging: &Staging) -> anyhow::Result<()> {
        for (rel, bytes) in &self.files {
            staging.write(rel, bytes)?;
        }
        Ok(())
    }
}

/// Where a build puts each file as soon as it is made. Shared by the workers that render pages,
/// so putting takes `&self`.
pub trait Sink: Sync {
    /// Takes the file at `path` (a plain relative path, `/`-separated); an error for a second
    /// file at the same path.
    fn put(&self, path: &str, bytes: SharedBytes) -> anyhow::Result<()>;

    /// Takes the file at `path` as `write` writes it, as [`Sink::put`] takes its bytes. A sink
    /// that writes files may write them as they come, so a large page is never held whole; the
    /// others collect the bytes. When `write` fails, the file is not taken whole: a sink that
    /// writes as it goes leaves part of it in a staging folder, which a failed build does not
    /// publish.
    fn put_written(&self, path: &str, write: &mut WriteFile) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes).with_context(|| format!("making {path}"))?;
        self.put(path, Arc::new(bytes))
    }

    /// Told that every file of the build is in but the pages it makes last, those that list
    /// the groups' cards: a sink may settle now what those pages cannot change, and let go of
    /// what it kept for it. Nothing by default.
    fn last_pages_next(&self) {}
}

/// Writes one file's bytes into what it is given.
pub type WriteFile<'w> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'w;

/// Collects the files into an [`Output`] (for `serve` and tests).
#[derive(Debug, Default)]
pub struct Collect(Mutex<Output>);

impl Collect {
    /// The files collected.
    pub fn into_output(self) -> Output {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Collect {
    fn put(&self, path: &str, bytes: SharedBytes) -> anyhow::Result<()> {
        let mut out = self.0.lock().unwrap_or_else(|e| e.into_inner());
        out.add_shared(path, bytes)
    }
}

/// Writes each file into an open staging folder at once, keeping only its path (to refuse a
/// second file at the same path, and to count them).
#[derive(Debug)]
pub struct Stream<'a> {
    staging: &'a Staging,
    paths: Claims,
}

impl<'a> Stream<'a> {
    /// Writes into `staging`.
    pub fn new(staging: &'a Staging) -> Self {
        Stream {
            staging,
            paths: Claims::default(),
        }
    }

    /// How many files were written.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// True when no file was written.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Sink for Stream<'_> {
    fn put(&self, path: &str, bytes: SharedBytes) -> anyhow::Result<()> {
        self.paths.claim(path)?;
        self.staging.write(path, &bytes)
    }

    fn put_written(&self, path: &str, write: &mut WriteFile) -> anyhow::Result<()> {
        self.paths.claim(path)?;
        self.staging.write_with(path, write)
    }
}

/// The paths a sink that does not keep its files has taken, shared by the workers that put
/// them: what refuses a second file at one path.
#[derive(Debug, Default)]
pub struct Claims(Mutex<HashSet<Box<str>>>);

impl Claims {
    /// Takes `path` for one file: an error for a path that is not plain and relative, or that
    /// was taken before.
    pub fn claim(&self, path: &str) -> anyhow::Result<()> {
        check_rel_path(path)?;
        let fresh = self.lock().insert(path.into());
        if !fresh {
            bail!("two outputs were produced for `{path}`");
        }
        Ok(())
    }

    /// How many paths were taken.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when none was.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What `read` gives of the paths taken so far.
    pub fn read<R>(&self, read: impl FnOnce(&HashSet<Box<str>>) -> R) -> R {
        read(&self.lock())
    }

    /// Every path taken.
    pub fn into_paths(self) -> HashSet<Box<str>> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<Box<str>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Passes files on to `inner` but those at the paths the site's own `static/` files take: those
/// win over the theme's files and the generated ones, and are put by [`Overridden::put_statics`].
pub struct Overridden<'a> {
    inner: &'a dyn Sink,
    statics: HashSet<&'a str>,
}

impl<'a> Overridden<'a> {
    /// Leaves out the paths in `statics`.
    pub fn new(inner: &'a dyn Sink, statics: impl IntoIterator<Item = &'a str>) -> Self {
        Overridden {
            inner,
            statics: statics.into_iter().collect(),
        }
    }

    /// Puts the static files themselves, each `(path, bytes)`.
    pub fn put_statics<'b>(
        &self,
        files: impl IntoIterator<Item = (&'b str, &'b [u8])>,
    ) -> anyhow::Result<()> {
        for (path, bytes) in files {
            self.inner.put(path, Arc::new(bytes.to_vec()))?;
        }
        Ok(())
    }
}

impl Sink for Overridden<'_> {
    fn put(&self, path: &str, bytes: SharedBytes) -> anyhow::Result<()> {
        if self.statics.contains(path) {
            return Ok(());
        }
        self.inner.put(path, bytes)
    }

    fn put_written(&self, path: &str, write: &mut WriteFile) -> anyhow::Result<()> {
        if self.statics.contains(path) {
            // Made all the same, as `put`'s file is: a template's problem is reported even when
            // the site's own file takes its place.
            return write(&mut std::io::sink()).with_context(|| format!("making {path}"));
        }
        self.inner.put_written(path, write)
    }

    fn last_pages_next(&self) {
        self.inner.last_pages_next();
    }
}

/// What a build wrote into the staging folder it then swapped in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// How many files.
    pub files: usize,
    /// How many groups they show.
    pub groups: usize,
}

fn check_rel_path(path: &str) -> anyhow::Result<()> {
    let p = PathBuf::from(path);
    if path.is_empty()
        || p.is_absolute()
        || p.components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        bail!("output path `{path}` is not a plain relative path");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_replaces_and_removes_stale_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let mut a = Output::new();
        a.add("a/index.html", "a").unwrap();
        a.add("old.html", "x").unwrap();
        a.write_atomic(&out).unwrap();
        let mut b = Output::new();
        b.add("a/index.html", "b").unwrap();
        b.write_atomic(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "b"
        );
        assert!(!out.join("old.html").exists());
        // No temporary folders are left beside it, only the lock.
        let mut names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, [".public.mcpsite.lock", "public"]);
    }

    /// A plain build's sink writes each file into the staging folder when it is put (before the
    /// build ends) and keeps none of its bytes; it refuses a second file at one path, and
    /// nothing reaches the output folder before the commit.
    #[test]
    fn a_stream_writes_each_file_at_once() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::open(&out).unwrap();
        let sink = Stream::new(&staging);
        let bytes = Arc::new(b"page".to_vec());
        sink.put("groups/a/index.html", Arc::clone(&bytes)).unwrap();
        assert_eq!(
            std::fs::read(staging.path().join("groups/a/index.html")).unwrap(),
            b"page"
        );
        // The sink let go of the bytes: the caller's is the only reference left.
        assert_eq!(Arc::strong_count(&bytes), 1);
        assert!(
            sink.put("groups/a/index.html", Arc::new(b"x".to_vec()))
                .is_err()
        );
        assert!(sink.put("../x", Arc::new(Vec::new())).is_err());
        assert_eq!(sink.len(), 1);
        assert!(!out.exists());
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("groups/a/index.html")).unwrap(),
            "page"
        );
    }

    /// The site's own static files win: generated files at their paths are left out, whenever
    /// they come.
    #[test]
    fn overridden_paths_take_the_static_file() {
        let collect = Collect::default();
        let sink = Overridden::new(&collect, ["style.css"]);
        sink.put("style.css", Arc::new(b"theme".to_vec())).unwrap();
        sink.put("index.html", Arc::new(b"home".to_vec())).unwrap();
        sink.put_statics([("style.css", b"site".as_slice())])
            .unwrap();
        sink.put("style.css", Arc::new(b"late".to_vec())).unwrap();
        let out = collect.into_output();
        assert_eq!(out.get("style.css"), Some(b"site".as_slice()));
        assert_eq!(out.get("index.html"), Some(b"home".as_slice()));
        assert_eq!(out.len(), 2);
    }

    /// A file made as it is written goes into the staging folder through the writer, under the
    /// same rules as a put file; one whose writer fails is not collected whole.
    #[test]
    fn a_stream_writes_a_file_as_it_is_made() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::open(&tmp.path().join("public")).unwrap();
        let sink = Stream::new(&staging);
        let mut parts =
            |w: &mut dyn std::io::Write| (0..100_000).try_for_each(|i| write!(w, "{} ", i % 10));
        sink.put_written("index.html", &mut parts).unwrap();
        let written = std::fs::read(staging.path().join("index.html")).unwrap();
        assert_eq!(written.len(), 200_000);
        assert!(written.starts_with(b"0 1 2 ") && written.ends_with(b"8 9 "));
        assert!(sink.put_written("index.html", &mut parts).is_err());
        assert!(sink.put_written("../x", &mut parts).is_err());
        let mut failing = |w: &mut dyn std::io::Write| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("no more"))
        };
        let err = sink.put_written("b.html", &mut failing).unwrap_err();
        assert!(format!("{err:#}").contains("no more"), "{err:#}");
        assert_eq!(sink.len(), 2);

        // Collected, a failed file is not kept at all.
        let collect = Collect::default();
        assert!(collect.put_written("b.html", &mut failing).is_err());
        collect.put_written("a.html", &mut parts).unwrap();
        let out = collect.into_output();
        assert_eq!(out.get("a.html"), Some(written.as_slice()));
        assert_eq!(out.len(), 1);
    }

    /// A generated file at a static file's path is still made (its template's problems are
    /// reported) but left out.
    #[test]
    fn an_overridden_file_is_made_and_left_out() {
        let collect = Collect::default();
        let sink = Overridden::new(&collect, ["style.css"]);
        let mut made = 0;
        let mut write = |w: &mut dyn std::io::Write| {
            made += 1;
            w.write_all(b"theme")
        };
        sink.put_written("style.css", &mut write).unwrap();
        sink.put_written("index.html", &mut write).unwrap();
        assert_eq!(made, 2);
        let mut failing = |_: &mut dyn std::io::Write| Err(std::io::Error::other("broken"));
        assert!(sink.put_written("style.css", &mut failing).is_err());
        let out = collect.into_output();
        assert_eq!(out.get("index.html"), Some(b"theme".as_slice()));
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn rejects_escaping_paths() {
        let mut o = Output::new();
        assert!(o.add("../x", "").is_err());
        assert!(o.add("/x", "").is_err());
        assert!(o.add("a", "").is_ok());
        assert!(o.add("a", "").is_err());
    }
}
