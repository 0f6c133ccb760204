//! Staging: replacing the output folder with no moment without a whole site, one build at a time.
//!
//! Takes: the output folder's path. Gives: a [`Staging`], open under a lock on the output folder,
//! into which a build writes its files one by one ([`Staging::write`]), then
//! [`Staging::commit`], which exchanges the staged folder with the output folder and removes the
//! previous site. Dropping a `Staging` without committing removes what was staged and leaves the
//! output folder as it was.
//!
//! Three things make this safe against kills and concurrent builds:
//! - **The lock.** `.<name>.mcpsite.lock` beside the output folder is locked (`flock`) for the
//!   whole life of a `Staging`; a second build of the same folder waits for it (and says so on
//!   standard error). The lock file itself is never removed: removing a lock file lets a third
//!   process lock a new file while the second still holds the old one.
//! - **The exchange.** On Linux and macOS the staged folder and the output folder trade places in
//!   one system call (`renameat2(RENAME_EXCHANGE)`, `renamex_np(RENAME_SWAP)`), so `public/` is
//!   always either the previous site or the new one. Elsewhere, or on a file system without the
//!   exchange, the previous site is renamed aside to `.<name>.mcpsite-old-<pid>` and the new one
//!   renamed in: two renames with a window between them, which the next point closes.
//! - **Recovery.** Opening a `Staging` (under the lock, so no other build is half-way) looks for
//!   what a killed build left: a previous site set aside with no output folder in its place is
//!   renamed back, never deleted; staged folders and sites already replaced are removed.

use std::fs::File;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// How much of a file is written at once ([`Staging::write_with`]): a group's page in one write.
const WRITE_BUFFER: usize = 64 * 1024;

/// Removes the folder `dir` and everything under it, like `std::fs::remove_dir_all` (symbolic
/// links are removed, not followed), with its subfolders on every core: removing the previous
/// site of a large directory was a tenth of a rebuild, all of it on one core.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries = std::fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

/// A staging folder beside the output folder, held under the output folder's lock.
#[derive(Debug)]
pub struct Staging {
    /// The output folder (absolute).
    dir: PathBuf,
    /// Where the new site is written before it is swapped in.
    staged: PathBuf,
    /// Where the previous site goes when there is no atomic exchange.
    aside: PathBuf,
    committed: bool,
    /// Held until the `Staging` is dropped; closing the file releases the lock.
    _lock: File,
}

impl Staging {
    /// Locks the output folder `dir` (waiting for another build that holds it), restores or
    /// removes what an interrupted build left beside it, and creates an empty staging folder.
    pub fn open(dir: &Path) -> anyhow::Result<Staging> {
        let dir = crate::config::absolutize(dir)?;
        let parent = dir
            .parent()
            .with_context(|| format!("{} has no parent folder", dir.display()))?
            .to_path_buf();
        let name = dir
            .file_name()
            .with_context(|| format!("{} has no folder name", dir.display()))?
            .to_string_lossy()
            .into_owned();
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        let lock = lock_output(&parent.join(format!(".{name}.mcpsite.lock")), &dir)?;
        recover(&parent, &name, &dir)?;
        let pid = std::process::id();
        let staged = parent.join(format!(".{name}.mcpsite-tmp-{pid}"));
        let aside = parent.join(format!(".{name}.mcpsite-old-{pid}"));
        std::fs::create_dir(&staged).with_context(|| format!("creating {}", staged.display()))?;
        Ok(Staging {
            dir,
            staged,
            aside,
            committed: false,
            _lock: lock,
        })
    }

    /// The staging folder (what [`Staging::write`] writes under).
    pub fn path(&self) -> &Path {
        &self.staged
    }

    /// Writes one file at `rel` (a plain relative path, `/`-separated) under the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let (mut file, path) = self.create(rel)?;
        file.write_all(bytes)
            .with_context(|| format!("writing {}", path.display()))
    }

    /// Writes one file at `rel` as `write` writes it, through a buffer: a large file is never
    /// held whole. When `write` fails, what it wrote stays in the staging folder, which is then
    /// not committed.
    pub fn write_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        let (file, path) = self.create(rel)?;
        let mut buffered = std::io::BufWriter::with_capacity(WRITE_BUFFER, file);
        write(&mut buffered)
            .and_then(|()| buffered.flush())
            .with_context(|| format!("writing {}", path.display()))
    }

    /// Creates the file at `rel` and the folders above it. The file is created first and the
    /// folders only when they are missing: most files go into a folder an earlier one made, and
    /// looking for it first cost a system call per file.
    fn create(&self, rel: &str) -> anyhow::Result<(File, PathBuf)> {
        let path = self.staged.join(rel);
        let file = match (File::create(&path), path.parent()) {
            (Err(e), Some(p)) if e.kind() == ErrorKind::NotFound => {
                std::fs::create_dir_all(p).with_context(|| format!("creating {}", p.display()))?;
                File::create(&path)
            }
            (created, _) => created,
        };
        let file = file.with_context(|| format!("writing {}", path.display()))?;
        Ok((file, path))
    }

    /// Puts the staged site in the output folder's place and removes the previous site.
    pub fn commit(mut self) -> anyhow::Result<()> {
        match std::fs::symlink_metadata(&self.dir) {
            Ok(m) if m.is_dir() => self.replace_existing()?,
            Ok(_) => bail!("{} exists and is not a folder", self.dir.display()),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                std::fs::rename(&self.staged, &self.dir)
                    .with_context(|| format!("moving the new site into {}", self.dir.display()))?;
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", self.dir.display())),
        }
        self.committed = true;
        Ok(())
    }

    /// Swaps the staged folder with the existing output folder, then removes the previous site
    /// (which, after an exchange, sits where the staged folder was).
    fn replace_existing(&self) -> anyhow::Result<()> {
        let previous = match exchange(&self.staged, &self.dir) {
            Ok(()) => &self.staged,
            Err(e) if exchange_unsupported(&e) => {
                self.two_renames()?;
                &self.aside
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("swapping the new site into {}", self.dir.display()));
            }
        };
        remove_tree(previous)
            .with_context(|| format!("removing the previous site {}", previous.display()))
    }

    /// The fallback without an atomic exchange: previous site aside, new site in. A kill between
    /// the two renames is repaired by the next [`Staging::open`].
    fn two_renames(&self) -> anyhow::Result<()> {
        std::fs::rename(&self.dir, &self.aside)
            .with_context(|| format!("moving the previous site {} aside", self.dir.display()))?;
        if let Err(e) = std::fs::rename(&self.staged, &self.dir) {
            // Put the previous site back: a failed build leaves it as it was.
            let _ = std::fs::rename(&self.aside, &self.dir);
            return Err(e)
                .with_context(|| format!("moving the new site into {}", self.dir.display()));
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staged);
        }
    }
}

/// Opens and locks the lock file, waiting (with a note on standard error) while another build
/// holds it.
fn lock_output(lock_path: &Path, dir: &Path) -> anyhow::Result<File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
        .with_context(|| format!("opening the lock file {}", lock_path.display()))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "waiting for another mcpsite build of {} to finish (lock: {})",
                dir.display(),
                lock_path.display()
            );
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("locking {}", lock_path.display()));
        }
    }
    file.lock()
        .with_context(|| format!("locking {}", lock_path.display()))?;
    Ok(file)
}

/// Repairs what interrupted builds left beside the output folder. Runs under the lock, so every
/// staging folder found belongs to a build that is gone.
fn recover(parent: &Path, name: &str, dir: &Path) -> anyhow::Result<()> {
    let staged_prefix = format!(".{name}.mcpsite-tmp-");
    let aside_prefix = format!(".{name}.mcpsite-old-");
    let mut staged = Vec::new();
    let mut aside = Vec::new();
    let entries =
        std::fs::read_dir(parent).with_context(|| format!("listing {}", parent.display()))?;
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&staged_prefix) {
            staged.push(e.path());
        } else if n.starts_with(&aside_prefix) {
            aside.push(e.path());
        }
    }
    aside.sort();
    if std::fs::symlink_metadata(dir).is_err()
        && let Some(previous) = aside.pop()
    {
        // A build was killed between moving the previous site aside and moving its own in.
        std::fs::rename(&previous, dir).with_context(|| {
            format!(
                "restoring the previous site {} to {}",
                previous.display(),
                dir.display()
            )
        })?;
        eprintln!(
            "restored the previous site to {} (an earlier build was interrupted)",
            dir.display()
        );
    }
    // What is left is either a half-written new site or a previous site already replaced.
    for p in staged.iter().chain(&aside) {
        let _ = std::fs::remove_dir_all(p);
    }
    Ok(())
}

/// Exchanges two folders atomically.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(ErrorKind::Unsupported))
}

/// True when the exchange is not available here (old kernel, a file system without it), as
/// opposed to a real failure such as a full disk or a missing permission.
fn exchange_unsupported(e: &std::io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const ENOTSUP: i32 = 95;
    e.kind() == ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(EINVAL | ENOSYS | ENOTSUP))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn site(dir: &Path, text: &str) {
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::write(dir.join("a/index.html"), text).unwrap();
    }

    fn read(dir: &Path) -> String {
        std::fs::read_to_string(dir.join("a/index.html")).unwrap()
    }

    /// The previous site goes whole, however deep, and a symbolic link in it is removed, not
    /// followed: what it points to stays.
    #[cfg(unix)]
    #[test]
    fn the_previous_site_goes_whole_and_links_are_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let kept = tmp.path().join("kept");
        site(&kept, "kept");
        for i in 0..40 {
            site(&out.join(format!("groups/g{i}/x/y")), "old");
            std::fs::write(out.join(format!("groups/g{i}/index.html")), "old").unwrap();
        }
        std::os::unix::fs::symlink(&kept, out.join("groups/link")).unwrap();
        std::os::unix::fs::symlink(kept.join("a/index.html"), out.join("file-link")).unwrap();
        let s = Staging::open(&out).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(names(&out), ["a"]);
        assert_eq!(read(&out), "new");
        assert_eq!(read(&kept), "kept");
        assert_eq!(
            names(tmp.path()),
            [".public.mcpsite.lock", "kept", "public"]
        );
    }

    #[test]
    fn commit_exchanges_and_leaves_only_the_lock() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        site(&out, "old");
        std::fs::write(out.join("stale.html"), "x").unwrap();
        let s = Staging::open(&out).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(read(&out), "new");
        assert!(!out.join("stale.html").exists());
        assert_eq!(names(tmp.path()), [".public.mcpsite.lock", "public"]);
    }

    #[test]
    fn dropped_staging_leaves_the_site_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        site(&out, "old");
        let s = Staging::open(&out).unwrap();
        s.write("a/index.html", b"half").unwrap();
        drop(s);
        assert_eq!(read(&out), "old");
        assert_eq!(names(tmp.path()), [".public.mcpsite.lock", "public"]);
    }

    /// The state a build killed between its two renames leaves (no exchange): the previous site
    /// aside, no output folder, the new site staged. The next build restores the previous site
    /// even when it then fails itself.
    #[test]
    fn site_left_aside_by_a_killed_build_is_restored() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        site(&tmp.path().join(".public.mcpsite-old-4242"), "previous");
        site(&tmp.path().join(".public.mcpsite-tmp-4242"), "staged");
        let s = Staging::open(&out).unwrap();
        assert_eq!(read(&out), "previous");
        drop(s); // this build failed
        assert_eq!(read(&out), "previous");
        assert_eq!(names(tmp.path()), [".public.mcpsite.lock", "public"]);
    }

    /// A build killed after writing, before swapping: its staged folder is removed by the next
    /// build, the previous site stays.
    #[test]
    fn staged_tree_of_a_killed_build_is_removed_and_site_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        site(&out, "previous");
        site(&tmp.path().join(".public.mcpsite-tmp-4242"), "staged");
        // A killed build after its exchange: the previous site sits at its staging name.
        site(&tmp.path().join(".public.mcpsite-old-4243"), "older");
        let s = Staging::open(&out).unwrap();
        assert_eq!(read(&out), "previous");
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(read(&out), "new");
        assert_eq!(names(tmp.path()), [".public.mcpsite.lock", "public"]);
    }

    #[test]
    fn fallback_two_renames_replace_the_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        site(&out, "old");
        let s = Staging::open(&out).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.two_renames().unwrap();
        std::fs::remove_dir_all(&s.aside).unwrap();
        assert_eq!(read(&out), "new");
    }

    #[test]
    fn output_that_is_a_file_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::write(&out, "not a folder").unwrap();
        let s = Staging::open(&out).unwrap();
        let err = s.commit().unwrap_err();
        assert!(format!("{err:#}").contains("is not a folder"), "{err:#}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "not a folder");
    }

    #[test]
    fn second_staging_waits_for_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::open(&out).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let out2 = out.clone();
        let t = std::thread::spawn(move || {
            let second = Staging::open(&out2).unwrap();
            tx.send(()).unwrap();
            second.write("a/index.html", b"second").unwrap();
            second.commit().unwrap();
        });
        // The second cannot get the lock while the first holds it.
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(300))
                .is_err()
        );
        first.write("a/index.html", b"first").unwrap();
        first.commit().unwrap();
        rx.recv().unwrap();
        t.join().unwrap();
        assert_eq!(read(&out), "second");
    }
}
