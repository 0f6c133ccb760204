//! Entries: what each thing under a source folder is, decided before anything reads it.
//!
//! Takes: a folder under the site root. Gives: the regular files under it ([`Found`], sorted by
//! path) and a diagnostic for every entry that is not one and so is not read: a symbolic link
//! that loops, dangles, leads out of the site root or to a folder; a FIFO, socket or device; a
//! name that is not UTF-8; a folder named like a page. Nothing is skipped without a word except
//! editor temporary and hidden files ([`super::is_temp_file`]).
//!
//! Links are followed only to regular files inside the site root: a page that links to a file
//! elsewhere would publish something nobody reviewed under `content/`. Special files are never
//! opened, because opening a FIFO for reading waits for a writer forever.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::diag::{Diagnostic, Diagnostics, Pos, rel_path};

/// Why an entry is not read; each is one rule ([`rule_id`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A symbolic link that is not followed.
    Symlink,
    /// A FIFO, socket or device where a file was expected.
    Special,
    /// A file or folder name that is not UTF-8.
    Name,
    /// A folder named like a Markdown page.
    FolderMd,
}

/// The rule id of a refusal.
pub fn rule_id(r: Refusal) -> &'static str {
    match r {
        Refusal::Symlink => "content-symlink",
        Refusal::Special => "content-special-file",
        Refusal::Name => "content-file-name",
        Refusal::FolderMd => "content-folder-md",
    }
}

/// A regular file found under a folder.
#[derive(Debug, Clone)]
pub struct Found {
    /// Where it was found (a link's own path for a followed link).
    pub path: PathBuf,
    /// What to read: the path itself, or a followed link's target.
    pub read_from: PathBuf,
}

/// What one path is, as far as reading it goes.
#[derive(Debug)]
pub enum Kind {
    /// A regular file (a link's target inside the root) that can be read.
    File(PathBuf),
    /// A folder (not through a link).
    Folder,
    /// Not read; the message says why, the help what to do.
    Refused {
        /// Why it is not read.
        rule: Refusal,
        /// What is wrong.
        message: String,
        /// What to do about it.
        help: &'static str,
    },
}

/// Lists the regular files under `dir` (which must exist), sorted, with a diagnostic for each
/// entry that is not read. `pages` marks folders where `.md` names are pages, so a folder with
/// such a name is reported.
pub fn walk(
    root: &Path,
    dir: &Path,
    pages: bool,
    diags: &mut Diagnostics,
) -> anyhow::Result<Vec<Found>> {
    let canon_root = std::fs::canonicalize(root)
        .with_context(|| format!("resolving the site root {}", root.display()))?;
    let mut out = Vec::new();
    let mut it = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = it.next() {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        let path = entry.path();
        if path.file_name().and_then(|n| n.to_str()).is_none() {
            refuse(diags, root, path, not_utf8_name());
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        if super::is_temp_file(path) {
            continue;
        }
        match classify_entry(&canon_root, &entry) {
            Kind::File(read_from) => out.push(Found {
                path: entry.into_path(),
                read_from,
            }),
            Kind::Folder => {
                if pages && path.extension().is_some_and(|e| e == "md") {
                    refuse(diags, root, path, folder_named_md());
                }
            }
            refused => refuse(diags, root, path, refused),
        }
    }
    Ok(out)
}

/// [`classify`] of a listed entry, from the type the listing gave (a regular file or a folder
/// needs no look-up of its own: a thousand of them cost a millisecond and a half).
fn classify_entry(canon_root: &Path, entry: &walkdir::DirEntry) -> Kind {
    let ft = entry.file_type();
    if ft.is_file() {
        Kind::File(entry.path().to_path_buf())
    } else if ft.is_dir() {
        Kind::Folder
    } else {
        classify(canon_root, entry.path())
    }
}

/// Decides what `path` is without opening it. `canon_root` is the canonical site root.
pub fn classify(canon_root: &Path, path: &Path) -> Kind {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return Kind::Refused {
                rule: Refusal::Special,
                message: format!("cannot be examined ({e})"),
                help: "check the file's permissions",
            };
        }
    };
    let ft = meta.file_type();
    if ft.is_file() {
        Kind::File(path.to_path_buf())
    } else if ft.is_dir() {
        Kind::Folder
    } else if ft.is_symlink() {
        follow_link(canon_root, path)
    } else {
        special(&ft)
    }
}

/// A link is followed only when it resolves to a regular file inside the site root.
fn follow_link(canon_root: &Path, path: &Path) -> Kind {
    let link_help = "replace the link with the file itself, or point it at a file inside the site";
    let target = match std::fs::canonicalize(path) {
        Ok(t) => t,
        Err(e) => {
            let why = if e.raw_os_error() == Some(ELOOP) {
                "is a symbolic link that loops".to_string()
            } else {
                let to = std::fs::read_link(path)
                    .map(|t| format!(" (to `{}`)", t.display()))
                    .unwrap_or_default();
                format!("is a symbolic link{to} that leads nowhere ({e})")
            };
            return Kind::Refused {
                rule: Refusal::Symlink,
                message: format!("{why}; it was not read"),
                help: link_help,
            };
        }
    };
    if !target.starts_with(canon_root) {
        return Kind::Refused {
            rule: Refusal::Symlink,
            message: format!(
                "is a symbolic link to `{}`, outside the site root; links are followed only inside the site, so it was not read",
                target.display()
            ),
            help: link_help,
        };
    }
    match std::fs::metadata(&target) {
        Ok(m) if m.is_file() => Kind::File(target),
        Ok(m) if m.is_dir() => Kind::Refused {
            rule: Refusal::Symlink,
            message: "is a symbolic link to a folder; links to folders are not followed".into(),
            help: link_help,
        },
        Ok(m) => special(&m.file_type()),
        Err(e) => Kind::Refused {
            rule: Refusal::Symlink,
            message: format!("is a symbolic link whose target cannot be examined ({e})"),
            help: link_help,
        },
    }
}

/// ELOOP, "too many levels of symbolic links": its number differs between Linux and macOS.
#[cfg(target_os = "macos")]
const ELOOP: i32 = 62;
#[cfg(not(target_os = "macos"))]
const ELOOP: i32 = 40;

fn special(ft: &std::fs::FileType) -> Kind {
    Kind::Refused {
        rule: Refusal::Special,
        message: format!(
            "is {}, not a regular file; it was not read",
            crate::regular_file::special_name(ft)
        ),
        help: "only regular files are read; remove it",
    }
}

fn not_utf8_name() -> Kind {
    Kind::Refused {
        rule: Refusal::Name,
        message: "has a name that is not UTF-8; it was not read".into(),
        help: "rename it with a UTF-8 name (group pages are `<topic>-<ig|wg>.md`)",
    }
}

fn folder_named_md() -> Kind {
    Kind::Refused {
        rule: Refusal::FolderMd,
        message: "is a folder named like a page; it is not a page".into(),
        help: "group pages are files `content/groups/<topic>-<ig|wg>.md`; rename the folder",
    }
}

/// Pushes the diagnostic of a refused entry (nothing for a file or a folder).
fn refuse(diags: &mut Diagnostics, root: &Path, path: &Path, kind: Kind) {
    if let Kind::Refused {
        rule,
        message,
        help,
    } = kind
    {
        let id = rule_id(rule);
        let d = Diagnostic::error(id, rel_path(root, path), Pos { line: 1, col: 1 }, message);
        diags.push(d.with_help(help));
    }
}
