//! Loading: the site's files from disk, as text.
//!
//! Takes: the site root. Gives: [`Sources`]: the home page, every group page under
//! `content/groups/`, and the static files under `static/`, sorted by path so that every later
//! stage sees them in the same order on every machine.
//!
//! Text problems are diagnostics, not failures: a file that is not UTF-8 is reported (with the
//! line and column of the first bad byte) and skipped, so the rest still gets checked. A UTF-8
//! byte-order mark is dropped; CRLF line ends are kept and handled by the parser. Editor swap,
//! backup and hidden files are ignored.

use std::path::Path;

use anyhow::Context as _;
use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, LineIndex, Pos, Severity, rel_path};

pub mod again;
pub mod entry;
pub mod limit;

/// One content file's text. Two are equal when path and text are: what the caches of `serve`
/// use to tell an unchanged page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated (`content/groups/auth-ig.md`).
    pub path: String,
    /// The text, without a byte-order mark. Shared: the parsed page, the group and every cache
    /// key made from the page hold the one copy read (a page is compared by its text, and at
    /// 10,000 groups each copy of every text is some 85 MB).
    pub text: std::sync::Arc<str>,
}

impl SourceFile {
    /// The file name without `.md`.
    pub fn stem(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.strip_suffix(".md").unwrap_or(name)
    }
}

/// A static file copied verbatim into the output.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path relative to the output root.
    pub out_path: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// Everything a build reads from `content/` and `static/`.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `content/_index.md`, if present.
    pub home: Option<SourceFile>,
    /// `content/groups/*.md`, sorted by path.
    pub groups: Vec<SourceFile>,
    /// `static/**`, sorted by path.
    pub statics: Vec<StaticFile>,
}

/// True for files editors leave behind while saving: swap, backup and lock files, and hidden
/// files. Watching and loading both skip them.
pub fn is_temp_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.ends_with(".orig")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913" // vim's write test file
}

/// Reads the site's sources. I/O failures are errors; text problems are diagnostics.
pub fn load(root: &Path) -> anyhow::Result<(Sources, Diagnostics)> {
    let mut diags = Diagnostics::new();
    let mut sources = Sources::default();
    let content = root.join("content");
    if !content.is_dir() {
        anyhow::bail!(
            "{} has no content/ folder (is {} a site root?)",
            root.display(),
            root.display()
        );
    }
    let home = content.join("_index.md");
    let groups = content.join("groups");
    let found = entry::walk(root, &content, true, &mut diags)?;
    // Read on every core, then gathered in the walk's order: the same pages and diagnostics,
    // in the same order, as reading one by one.
    let read: Vec<anyhow::Result<(Option<SourceFile>, Diagnostics)>> = (found.par_iter())
        .with_max_len(16)
        .map(|found| {
            let mut diags = Diagnostics::new();
            let path = &found.path;
            if path != &home
                && let Some((severity, rule, message, help)) = misplaced(&groups, path)
            {
                let rel = rel_path(root, path);
                let d = Diagnostic::new(severity, rule, rel, Pos { line: 1, col: 1 }, message);
                diags.push(d.with_help(help));
                return Ok((None, diags));
            }
            let file = read_text_from(root, path, &found.read_from, &mut diags)?;
            Ok((file, diags))
        })
        .collect();
    for (found, read) in found.iter().zip(read) {
        let (file, file_diags) = read?;
        diags.extend(file_diags);
        match file {
            Some(f) if found.path == home => sources.home = Some(f),
            Some(f) => sources.groups.push(f),
            None => {}
        }
    }
    let statics = root.join("static");
    if statics.is_dir() {
        for found in entry::walk(root, &statics, false, &mut diags)? {
            let bytes = std::fs::read(&found.read_from)
                .with_context(|| format!("reading {}", found.path.display()))?;
            sources.statics.push(StaticFile {
                out_path: rel_path(&statics, &found.path),
                bytes,
            });
        }
    }
    Ok((sources, diags))
}

/// Why a file under `content/` is not a page (its severity, rule, message and help), or `None`
/// when it is a group page: a Markdown file directly in `content/groups/`.
fn misplaced(
    groups: &Path,
    path: &Path,
) -> Option<(Severity, &'static str, &'static str, &'static str)> {
    if path.extension().and_then(|e| e.to_str()) != Some("md") {
        return Some((
            Severity::Warning,
            "content-unknown-file",
            "not a Markdown page; it is ignored",
            "group pages are `content/groups/<topic>-<ig|wg>.md`; put other files under `static/`",
        ));
    }
    if !path.starts_with(groups) {
        return Some((
            Severity::Warning,
            "content-unknown-file",
            "not a page mcpsite builds (only `content/_index.md` and `content/groups/*.md`); it is ignored",
            "move a group page to `content/groups/`",
        ));
    }
    if path.parent() != Some(groups) {
        return Some((
            Severity::Error,
            "content-nested",
            "group pages may not be in sub-folders",
            "move it to `content/groups/`",
        ));
    }
    None
}

/// Reads one text file; a file that is not UTF-8 becomes a diagnostic and `None`.
pub fn read_text(
    root: &Path,
    path: &Path,
    diags: &mut Diagnostics,
) -> anyhow::Result<Option<SourceFile>> {
    read_text_from(root, path, path, diags)
}

/// [`read_text`] of the file at `path` whose bytes are read from `from` (a followed link's
/// target; diagnostics name the link).
fn read_text_from(
    root: &Path,
    path: &Path,
    from: &Path,
    diags: &mut Diagnostics,
) -> anyhow::Result<Option<SourceFile>> {
    let bytes = std::fs::read(from).with_context(|| format!("reading {}", path.display()))?;
    let rel = rel_path(root, path);
    match decode(bytes) {
        Ok(text) => Ok(Some(SourceFile {
            path: rel,
            text: text.into(),
        })),
        Err((pos, msg)) => {
            diags.push(
                Diagnostic::error("content-not-utf8", rel, pos, msg)
                    .with_help("save the file as UTF-8 (most editors: \"Save with encoding\")"),
            );
            Ok(None)
        }
    }
}

/// Decodes UTF-8 and drops a byte-order mark; on failure gives the position of the bad byte.
/// Takes the bytes: valid text keeps their buffer.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, (Pos, String)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let (bytes, e) = (e.as_bytes(), e.utf8_error());
        let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
        let pos = LineIndex::new(good).pos(good, good.len());
        (
            pos,
            format!(
                "the file is not valid UTF-8 (byte 0x{:02X} at offset {})",
                bytes[e.valid_up_to()],
                e.valid_up_to()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_dropped_and_bad_bytes_located() {
        assert_eq!(decode(b"\xEF\xBB\xBF+++\n".to_vec()).unwrap(), "+++\n");
        let (pos, msg) = decode(b"+++\nname = \"a\xFF\"\n".to_vec()).unwrap_err();
        assert_eq!(pos, Pos { line: 2, col: 10 });
        assert!(msg.contains("0xFF"), "{msg}");
    }

    #[test]
    fn editor_temp_files_are_recognised() {
        for name in [
            ".auth-ig.md.swp",
            "auth-ig.md~",
            "#auth-ig.md#",
            "4913",
            "a.md___jb_tmp___",
        ] {
            assert!(is_temp_file(Path::new(name)), "{name}");
        }
        assert!(!is_temp_file(Path::new("auth-ig.md")));
    }
}
