//! Output: the built site as files in memory, and writing it atomically.
//!
//! Takes: rendered pages, feeds and static files. Gives: [`Output`], a sorted map from relative
//! path to bytes, and [`Output::write_atomic`], which writes it into a sibling temporary folder and
//! swaps that in, so the previous site stays whole until the new one is complete: a failed or
//! interrupted build never leaves a half-written site behind. Files of groups that were removed
//! disappear because the new folder replaces the old one instead of being merged into it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};

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

    /// Writes every file under `dir` through a sibling temporary folder, then swaps it in.
    pub fn write_atomic(&self, dir: &Path) -> anyhow::Result<()> {
        let dir = crate::config::absolutize(dir)?;
        let parent = dir
            .parent()
            .with_context(|| format!("{} has no parent folder", dir.display()))?;
        let name = dir
            .file_name()
            .with_context(|| format!("{} has no folder name", dir.display()))?
            .to_string_lossy()
            .into_owned();
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        remove_leftovers(parent, &name);

        let pid = std::process::id();
        let tmp = parent.join(format!(".{name}.mcpsite-tmp-{pid}"));
        let old = parent.join(format!(".{name}.mcpsite-old-{pid}"));
        let result = self
            .write_into(&tmp)
            .and_then(|()| swap_in(&tmp, &dir, &old));
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        result
    }

    /// Writes every file under `dir`, which must not exist yet.
    fn write_into(&self, dir: &Path) -> anyhow::Result<()> {
        std::fs::create_dir(dir).with_context(|| format!("creating {}", dir.display()))?;
        for (rel, bytes) in &self.files {
            let path = dir.join(rel);
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p).with_context(|| format!("creating {}", p.display()))?;
            }
            std::fs::write(&path, bytes.as_slice())
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }
}

/// Moves `tmp` to `dir`, moving any previous `dir` aside first and deleting it afterwards.
fn swap_in(tmp: &Path, dir: &Path, old: &Path) -> anyhow::Result<()> {
    let had_old = dir.exists();
    if had_old {
        if !dir.is_dir() {
            bail!("{} exists and is not a folder", dir.display());
        }
        std::fs::rename(dir, old)
            .with_context(|| format!("moving the previous site {} aside", dir.display()))?;
    }
    if let Err(e) = std::fs::rename(tmp, dir) {
        if had_old {
            // Put the previous site back: a failed build leaves it as it was.
            let _ = std::fs::rename(old, dir);
        }
        return Err(e).with_context(|| format!("moving the new site into {}", dir.display()));
    }
    if had_old {
        std::fs::remove_dir_all(old)
            .with_context(|| format!("removing the previous site {}", old.display()))?;
    }
    Ok(())
}

/// Removes temporary folders an interrupted earlier build left next to the output.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefixes = [
        format!(".{name}.mcpsite-tmp-"),
        format!(".{name}.mcpsite-old-"),
    ];
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if prefixes.iter().any(|p| n.starts_with(p.as_str())) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
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
        // No temporary folders are left beside it.
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["public"]);
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
