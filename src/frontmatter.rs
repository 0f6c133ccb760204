//! Front matter: splitting a page into its TOML block and Markdown body, and parsing the block.
//!
//! Takes: a [`SourceFile`]. Gives: a [`RawPage`] (the typed [`FrontMatter`] plus the body and the
//! means to turn any span back into `file:line:col`), or the diagnostics saying why not.
//!
//! The block is found by hand, line by line: the first line must be `+++` and the next line that
//! is `+++` closes it (CRLF and trailing spaces are accepted). The TOML parser reports byte spans
//! inside the block; we add the block's offset so every error points into the `.md` file itself,
//! not into the block (the mistake Zola made in getzola/zola#1133).

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics, LineIndex, Pos};
use crate::hints::classify_toml_error;
use crate::schema::{FrontMatter, Spanned};
use crate::source::SourceFile;
use crate::source::again::{self, Fingerprint};

pub mod control;

/// A page split at its `+++` fences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML between the fences.
    pub block: &'a str,
    /// Byte offset of `block` in the file's text.
    pub block_offset: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of `body` in the file's text.
    pub body_offset: usize,
}

/// Why a page could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file is empty.
    Empty,
    /// The first line is not `+++`.
    Missing,
    /// No closing `+++`; the opening fence is at this byte offset.
    Unclosed,
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == "+++"
}

/// Splits `text` into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        return Err(SplitError::Missing);
    }
    let block_offset = first.len();
    let mut offset = block_offset;
    for line in lines {
        if is_fence(line) {
            let body_offset = offset + line.len();
            return Ok(Split {
                block: &text[block_offset..offset],
                block_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
}

/// A group page whose front matter parsed.
#[derive(Debug, Clone)]
pub struct RawPage {
    /// The file it came from.
    pub source: SourceFile,
    /// The parsed front matter.
    pub fm: FrontMatter,
    /// Byte offset of the block in the file, to locate spans.
    pub block_offset: usize,
    /// Byte offset of the body in the file (for locating Markdown problems).
    pub body_offset: usize,
    /// Made once a page is asked for more than [`SCANS_BEFORE_INDEX`] positions: most pages
    /// are asked for a few (their content rules' findings), and a large site keeps every page.
    index: OnceLock<LineIndex>,
    /// How many positions were read off the text without the index.
    scans: Scans,
    /// Set once the build let go of the text ([`RawPage::let_go_of_text`]): where to read the
    /// body again, and the text's fingerprint.
    on_disk: Option<Box<OnDisk>>,
}

/// Where a page's text is once the build let go of it.
#[derive(Debug, Clone)]
struct OnDisk {
    file: PathBuf,
    was: Fingerprint,
}

/// How many positions a page reads off its text before it indexes its lines: a scan reads the
/// text up to the position (for front matter, a few kilobytes), an index keeps 8 bytes a line
/// for as long as the page.
const SCANS_BEFORE_INDEX: u32 = 16;

/// A count shared by the threads that read one page.
#[derive(Debug, Default)]
struct Scans(AtomicU32);

impl Clone for Scans {
    fn clone(&self) -> Self {
        Scans(AtomicU32::new(self.0.load(Ordering::Relaxed)))
    }
}

impl RawPage {
    /// The Markdown body: the file's text after the closing fence (not a copy of it), or, once
    /// the build let go of the text, the same read again from the file (an error when the file
    /// no longer holds it).
    pub fn body(&self) -> Result<Cow<'_, str>, Diagnostic> {
        let Some(on_disk) = &self.on_disk else {
            return Ok(Cow::Borrowed(&self.source.text[self.body_offset..]));
        };
        let mut text = again::read_again(&on_disk.file, &self.source.path, on_disk.was)?;
        text.replace_range(..self.body_offset, "");
        Ok(Cow::Owned(text))
    }

    /// Lets go of the page's text: [`RawPage::body`] reads it again from the file under `root`.
    /// For a build that reads each body once, after every check that points into the text
    /// (the page no longer knows its lines and columns).
    pub fn let_go_of_text(&mut self, root: &Path) {
        if self.on_disk.is_some() {
            return;
        }
        self.on_disk = Some(Box::new(OnDisk {
            file: root.join(&self.source.path),
            was: Fingerprint::of(&self.source.text),
        }));
        self.source.text = "".into();
        self.index = OnceLock::new();
    }

    /// Whether the build let go of the page's text (for tests).
    pub fn is_on_disk(&self) -> bool {
        self.on_disk.is_some()
    }

    /// The file position of byte `offset`: read off the text for a page's first few, then
    /// from its index of lines. The same position either way.
    fn pos_at(&self, offset: usize) -> Pos {
        debug_assert!(
            self.on_disk.is_none(),
            "a position asked of a page let go of"
        );
        if self.on_disk.is_some() {
            // No line to point at: the page as a whole.
            return self.top();
        }
        let text = &self.source.text;
        if let Some(index) = self.index.get() {
            return index.pos(text, offset);
        }
        if self.scans.0.fetch_add(1, Ordering::Relaxed) < SCANS_BEFORE_INDEX {
            return LineIndex::scan(text, offset);
        }
        (self.index.get_or_init(|| LineIndex::new(text))).pos(text, offset)
    }

    /// Whether the page's lines are indexed (for tests).
    #[cfg(test)]
    pub(crate) fn is_indexed(&self) -> bool {
        self.index.get().is_some()
    }

    /// The file position of a span inside the front-matter block.
    pub fn pos(&self, span: std::ops::Range<usize>) -> Pos {
        self.pos_at(self.block_offset + span.start)
    }

    /// The file position of a spanned value.
    pub fn pos_of<T>(&self, v: &Spanned<T>) -> Pos {
        self.pos(v.span())
    }

    /// The file position of a byte offset in the body.
    pub fn body_pos(&self, offset: usize) -> Pos {
        self.pos_at(self.body_offset + offset)
    }

    /// Position of the opening fence: where to anchor problems with the page as a whole.
    pub fn top(&self) -> Pos {
        Pos { line: 1, col: 1 }
    }
}

/// Splits and parses a group page. All problems are returned as diagnostics.
pub fn parse_group(source: SourceFile) -> Result<RawPage, Diagnostics> {
    let (mut fm, split) = parse_block::<FrontMatter>(&source)?;
    // The records are kept as long as the page, and a list grown one by one has room for up to
    // as many again (a quarter of a typical page's front matter).
    fm.meetings.shrink_to_fit();
    let (block_offset, body_offset) = (split.block_offset, split.body_offset);
    Ok(RawPage {
        source,
        fm,
        block_offset,
        body_offset,
        index: OnceLock::new(),
        scans: Scans::default(),
        on_disk: None,
    })
}

/// The home page's front matter (`content/_index.md`).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct HomeFrontMatter {
    /// The home page's title.
    pub title: Option<String>,
    /// The home page's description.
    pub description: Option<String>,
}

/// The parsed home page.
#[derive(Debug, Clone, Default)]
pub struct HomePage {
    /// The parsed front matter.
    pub fm: HomeFrontMatter,
    /// The Markdown body.
    pub body: String,
}

/// Parses the home page (`content/_index.md`): its front matter and body.
pub fn parse_home(source: &SourceFile) -> Result<HomePage, Diagnostics> {
    let (fm, split) = parse_block::<HomeFrontMatter>(source)?;
    Ok(HomePage {
        fm,
        body: split.body.to_string(),
    })
}

fn parse_block<'a, T: serde::de::DeserializeOwned>(
    source: &'a SourceFile,
) -> Result<(T, Split<'a>), Diagnostics> {
    let text = &source.text;
    let split = match split(text) {
        Ok(s) => s,
        Err(e) => {
            let (rule, pos, msg, help) = match e {
                SplitError::Empty => (
                    "frontmatter-missing",
                    Pos { line: 1, col: 1 },
                    "the file is empty".to_string(),
                    "start the page with a `+++` line, the TOML front matter, and a closing `+++` line; `mcpsite new` writes one for you",
                ),
                SplitError::Missing => (
                    "frontmatter-missing",
                    Pos { line: 1, col: 1 },
                    "the page does not start with a `+++` front-matter fence".to_string(),
                    "put a line containing only `+++` first, then the TOML front matter, then another `+++` line",
                ),
                SplitError::Unclosed => (
                    "frontmatter-unclosed",
                    Pos { line: 1, col: 1 },
                    "the front matter opened here is never closed".to_string(),
                    "add a line containing only `+++` after the last TOML line",
                ),
            };
            return Err(std::iter::once(
                Diagnostic::error(rule, &source.path, pos, msg).with_help(help),
            )
            .collect());
        }
    };
    match toml::from_str::<T>(split.block) {
        Ok(v) => refuse_controls(source, &split).map(|()| (v, split)),
        Err(e) => {
            let index = LineIndex::new(text);
            let pos = match e.span() {
                Some(s) => index.pos(text, split.block_offset + s.start),
                // Errors about the document as a whole (a missing top-level key) anchor at the
                // first line of the block.
                None => Pos { line: 2, col: 1 },
            };
            let (rule, message, help) = classify_toml_error(&e);
            Err(std::iter::once(
                Diagnostic::error(rule, &source.path, pos, message).with_help(help),
            )
            .collect())
        }
    }
}

/// Control characters in any front-matter string, as errors at the string.
fn refuse_controls(source: &SourceFile, split: &Split<'_>) -> Result<(), Diagnostics> {
    let found = control::find(split.block);
    if found.is_empty() {
        return Ok(());
    }
    let index = LineIndex::new(&source.text);
    Err(found
        .into_iter()
        .map(|f| {
            let pos = index.pos(&source.text, split.block_offset + f.span.start);
            Diagnostic::error(
                "frontmatter-control-char",
                &source.path,
                pos,
                format!(
                    "`{}` contains the control character U+{:04X}",
                    f.key, f.ch as u32
                ),
            )
            .with_help("remove it: control characters are invisible in review and not allowed in feeds (an escape such as `\\e` or `\\u001b` writes one)")
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SourceFile {
        SourceFile {
            path: "content/groups/x-ig.md".into(),
            text: text.into(),
        }
    }

    #[test]
    fn positions_are_read_off_the_text_then_indexed() {
        let text = "+++\nkind = \"ig\"\nname = \"Ça\"\nsummary = \"s\"\nstatus = \"active\"\n+++\n\nÉté\nbody\n";
        let page = parse_group(src(text)).expect("parses");
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = (0..text.len()).cycle().step_by(7).take(50).collect();
        for (n, &at) in offsets.iter().enumerate() {
            assert_eq!(page.is_indexed(), n > SCANS_BEFORE_INDEX as usize, "{n}");
            let body = at.saturating_sub(page.body_offset);
            assert_eq!(
                page.body_pos(body),
                index.pos(text, page.body_offset + body)
            );
        }
        assert_eq!(
            page.pos_of(&page.fm.name),
            Pos { line: 3, col: 8 },
            "the name's value, after the index is made"
        );
    }

    #[test]
    fn split_accepts_crlf_and_trailing_space() {
        let s = split("+++ \r\nkind = \"ig\"\r\n+++\r\nbody\r\n").unwrap();
        assert_eq!(s.block, "kind = \"ig\"\r\n");
        assert_eq!(s.body, "body\r\n");
        assert_eq!(s.block_offset, 6);
    }

    #[test]
    fn split_errors() {
        assert_eq!(split(""), Err(SplitError::Empty));
        assert_eq!(split("kind = 1\n"), Err(SplitError::Missing));
        assert_eq!(split("+++\nkind = 1\n"), Err(SplitError::Unclosed));
        // A fence at end of file without newline closes the block.
        assert!(split("+++\na = 1\n+++").is_ok());
    }

    #[test]
    fn toml_errors_point_into_the_md_file() {
        let text = "+++\nkind = \"ig\"\nname = \"A\"\nsummary = \"s\"\nstatus = \"active\"\nsumary = 1\n+++\n";
        let d = parse_group(src(text)).unwrap_err();
        let d = d.iter().next().unwrap();
        assert_eq!(d.rule, "frontmatter-unknown-key");
        assert_eq!(d.pos, Pos { line: 6, col: 1 });
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .starts_with("did you mean `summary`?"),
            "{d:?}"
        );
    }

    #[test]
    fn impossible_date_is_reported_at_its_value() {
        let text = "+++\nkind = \"ig\"\nname = \"A\"\nsummary = \"s\"\nstatus = \"active\"\n[lifecycle]\nproposed = 2026-02-30\n+++\n";
        let d = parse_group(src(text)).unwrap_err();
        let d = d.iter().next().unwrap();
        assert!(d.pos.line == 7, "{d:?}");
        assert!(
            matches!(d.rule.as_str(), "frontmatter-date" | "frontmatter-parse"),
            "{d:?}"
        );
    }
}
