//! Diagnostics: content problems as data.
//!
//! Takes: problems found by any stage (front matter, validation, rendering, the linter).
//! Gives: [`Diagnostics`], a sorted list printed as `path:line:col: error[rule-id]: message` with a
//! `help:` line, or as JSON, or as GitHub workflow annotations.
//!
//! Content problems never abort a stage: each stage pushes what it finds and carries on with the
//! next file, so one run reports everything (the model is ripgrep's `messages.rs`). Only after a
//! stage has looked at every file does the caller decide whether to stop.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How serious a finding is. `build` fails on errors; `check --strict` also on warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Worth fixing; fails `check --strict`.
    Warning,
    /// For information.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

/// One finding, anchored to a file and position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A stable rule id, e.g. `frontmatter-parse` or `channel-duplicate`.
    pub rule: String,
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// Where in the file.
    #[serde(flatten)]
    pub pos: Pos,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error finding.
    pub fn error(
        rule: &str,
        path: impl Into<String>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, rule, path, pos, message)
    }

    /// A warning finding.
    pub fn warning(
        rule: &str,
        path: impl Into<String>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, rule, path, pos, message)
    }

    /// A finding of any severity, without help.
    pub fn new(
        severity: Severity,
        rule: &str,
        path: impl Into<String>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            rule: rule.to_string(),
            path: path.into(),
            pos,
            message: message.into(),
            help: None,
        }
    }

    /// The same finding with a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Output format for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: error[rule]: message` and a `help:` line.
    #[default]
    Text,
    /// One JSON object with a `diagnostics` array.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`), shown as annotations on the PR.
    Github,
}

/// Where [`Diagnostics::print`] puts the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintTo {
    /// Beside the command's own work (`build`, `serve`, `meetings`): text on standard error,
    /// where people read progress; JSON and GitHub annotations on standard output, where
    /// scripts and CI read them.
    Side,
    /// As the command's whole report (`check`): standard output in every format.
    Report,
}

/// Every finding of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No findings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds every finding of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when there are no findings.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many findings.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The findings, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// True when any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// Drops findings whose rule id is in `skip`.
    pub fn retain(&mut self, mut keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(|d| keep(d));
    }

    /// Sorts by file, then position, then rule, and drops exact duplicates, so output is stable.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.path, a.pos, a.severity, &a.rule, &a.message)
                .cmp(&(&b.path, b.pos, b.severity, &b.rule, &b.message))
        });
        self.items.dedup();
    }

    /// The findings, as a vector.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Renders every finding in `format`, with a summary line for text.
    pub fn render(&self, format: Format) -> String {
        let mut bytes = Vec::new();
        self.write(format, &mut bytes).expect("writing to memory");
        String::from_utf8(bytes).expect("findings are written as UTF-8")
    }

    /// Writes every finding in `format` into `out` as [`Diagnostics::render`] renders them, a
    /// finding at a time: a large site's report (tens of megabytes) is never held whole.
    pub fn write(&self, format: Format, out: &mut impl std::io::Write) -> std::io::Result<()> {
        match format {
            Format::Text => self.write_text(out),
            Format::Json => {
                #[derive(Serialize)]
                struct Out<'a> {
                    diagnostics: &'a [Diagnostic],
                    errors: usize,
                    warnings: usize,
                    infos: usize,
                }
                let report = Out {
                    diagnostics: &self.items,
                    errors: self.count(Severity::Error),
                    warnings: self.count(Severity::Warning),
                    infos: self.count(Severity::Info),
                };
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)
            }
            Format::Github => {
                for d in &self.items {
                    let level = match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "notice",
                    };
                    let mut msg = d.message.clone();
                    if let Some(h) = &d.help {
                        msg.push_str("\nhelp: ");
                        msg.push_str(h);
                    }
                    writeln!(
                        out,
                        "::{level} file={},line={},col={},title={}::{}",
                        gh_escape_prop(&d.path),
                        d.pos.line,
                        d.pos.col,
                        gh_escape_prop(&d.rule),
                        gh_escape_data(&msg)
                    )?;
                }
                Ok(())
            }
        }
    }

    /// Prints every finding in `format` (see [`PrintTo`]); nothing at all for no findings in
    /// text. Standard output is flushed, as `serve` keeps running after printing.
    pub fn print(&self, format: Format, to: PrintTo) -> std::io::Result<()> {
        use std::io::Write as _;
        if format == Format::Text && to == PrintTo::Side {
            let mut err = std::io::BufWriter::new(std::io::stderr().lock());
            self.write(format, &mut err)?;
            return err.flush();
        }
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        self.write(format, &mut out)?;
        out.flush()
    }

    fn write_text(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        for d in &self.items {
            writeln!(
                out,
                "{}:{}:{}: {}[{}]: {}",
                text_safe(&d.path, None),
                d.pos.line,
                d.pos.col,
                d.severity.as_str(),
                text_safe(&d.rule, None),
                text_safe(&d.message, Some(CONTINUATION))
            )?;
            if let Some(h) = &d.help {
                writeln!(out, "  help: {}", text_safe(h, Some(CONTINUATION)))?;
            }
        }
        if !self.items.is_empty() {
            writeln!(
                out,
                "{} error(s), {} warning(s), {} info",
                self.count(Severity::Error),
                self.count(Severity::Warning),
                self.count(Severity::Info)
            )?;
        }
        Ok(())
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// What starts a continuation line of a multi-line message. Not blank: the Actions runner trims
/// leading white space before looking for `::`.
pub const CONTINUATION: &str = "  | ";

/// Text that is safe to print in a text diagnostic: no line of the output may begin with text
/// taken from the input (a line starting `::` is a GitHub Actions workflow command), and no
/// control character reaches the terminal. A newline becomes a newline plus `indent` (a
/// continuation line), or `\n` when `indent` is `None` (paths, rule ids); every other control
/// character (C0 but tab, DEL, C1, and the Unicode line and paragraph separators) becomes a
/// `\u{..}` escape.
pub fn text_safe<'a>(s: &'a str, indent: Option<&str>) -> std::borrow::Cow<'a, str> {
    let unsafe_char = |c: char| (c.is_control() && c != '\t') || c == '\u{2028}' || c == '\u{2029}';
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match (c, indent) {
            ('\n', Some(indent)) => {
                out.push('\n');
                out.push_str(indent);
            }
            ('\n', None) => out.push_str("\\n"),
            (c, _) if unsafe_char(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            (c, _) => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

// GitHub workflow commands: data escapes %, CR, LF; properties also `:` and `,`.
fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Maps byte offsets in a file's text to 1-based line and column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The position of byte `offset` in `text` (the same text given to `new`).
    pub fn pos(&self, text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        pos_on_line(text, line, self.starts[line], offset)
    }

    /// The position of byte `offset` in `text`, read off the text up to it, without an index:
    /// for the few positions most pages are asked for, less work than indexing every line.
    /// Equal to `LineIndex::new(text).pos(text, offset)`.
    pub fn scan(text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let before = &text.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count();
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        pos_on_line(text, line, start, offset)
    }
}

/// The positions of ever later byte offsets in one document, each read off the text from the
/// one before: for a scan that asks for positions in document order (every link of a built
/// page), one pass over the text instead of one per position, and the text need not be held
/// whole (a page scanned as it is written).
#[derive(Debug, Clone)]
pub struct LineCursor {
    offset: usize,
    line: usize,
    col: usize,
}

impl Default for LineCursor {
    fn default() -> Self {
        LineCursor {
            offset: 0,
            line: 1,
            col: 1,
        }
    }
}

impl LineCursor {
    /// The position of byte `offset`, a character boundary, of a document of which `window`
    /// is the part that starts at byte `start` and holds every byte from the offset last asked
    /// for (0 at first) to `offset`. Equal to [`LineIndex::scan`]'s on the whole document. An
    /// offset before the last is taken as the last.
    pub fn pos(&mut self, window: &str, start: usize, offset: usize) -> Pos {
        let offset = offset.max(self.offset);
        let from = self.offset - start;
        let to = (offset - start).min(window.len());
        let passed = window.get(from..to).unwrap_or_default();
        match passed.rfind('\n') {
            Some(last) => {
                self.line += passed.bytes().filter(|&b| b == b'\n').count();
                self.col = 1 + passed[last + 1..].chars().count();
            }
            None => self.col += passed.chars().count(),
        }
        self.offset = start + to;
        Pos {
            line: self.line,
            col: self.col,
        }
    }
}

/// The position of byte `offset` on line `line` (from 0) of `text`, which starts at byte `start`.
fn pos_on_line(text: &str, line: usize, start: usize, offset: usize) -> Pos {
    // Count characters, not bytes; a `\r` before `\n` never precedes a real column.
    let col = text
        .get(start..offset)
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    Pos {
        line: line + 1,
        col,
    }
}

/// A path relative to `root`, with `/` separators, for diagnostics and output.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_finds_what_the_index_finds() {
        let text = "+++\nname = \"ç\"\r\n\n  é😀 x\n+++\nbody\n";
        let idx = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                LineIndex::scan(text, offset),
                idx.pos(text, offset),
                "{offset}"
            );
        }
    }

    /// Every character boundary, asked for in order from one cursor, every second and every
    /// third from others, and from a window that moves: the positions the index gives.
    #[test]
    fn a_cursor_finds_what_the_index_finds() {
        let text = "+++\nname = \"ç\"\r\n\n  é😀 x\n\n+++\nbody\n";
        let idx = LineIndex::new(text);
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&o| text.is_char_boundary(o))
            .collect();
        for step in [1, 2, 3] {
            let mut cursor = LineCursor::default();
            for &offset in bounds.iter().step_by(step) {
                assert_eq!(
                    cursor.pos(text, 0, offset),
                    idx.pos(text, offset),
                    "{offset}"
                );
            }
        }
        // The same through windows that start where the last position was.
        let mut cursor = LineCursor::default();
        let mut start = 0;
        for &offset in &bounds {
            let pos = cursor.pos(&text[start..], start, offset);
            assert_eq!(pos, idx.pos(text, offset), "{offset}");
            start = offset;
        }
    }

    #[test]
    fn line_index_counts_chars_and_lines() {
        let text = "ab\nçd\r\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.pos(text, 0), Pos { line: 1, col: 1 });
        assert_eq!(idx.pos(text, 3), Pos { line: 2, col: 1 });
        // 'ç' is two bytes, so byte 5 is the third character of line 2.
        assert_eq!(idx.pos(text, 5), Pos { line: 2, col: 2 });
        assert_eq!(idx.pos(text, 8), Pos { line: 3, col: 1 });
    }

    /// A forged workflow command in a value or a file name never starts a line of text output.
    #[test]
    fn text_format_never_starts_a_line_with_input() {
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::error(
                "x-rule",
                "content/groups/a\n::error file=evil.md,line=1::path.md",
                Pos { line: 1, col: 1 },
                "unknown value `x\n::error file=evil.md,line=1::forged`\r\x1b[31m",
            )
            .with_help("x\n::warning::forged help\u{2028}::x"),
        );
        let text = d.render(Format::Text);
        for line in text.lines() {
            assert!(!line.trim_start().starts_with("::"), "{line:?} in\n{text}");
            assert!(!line.contains('\x1b') && !line.contains('\r'), "{line:?}");
        }
        assert_eq!(
            text,
            "content/groups/a\\n::error file=evil.md,line=1::path.md:1:1: error[x-rule]: unknown value `x\n  | \
             ::error file=evil.md,line=1::forged`\\u{d}\\u{1b}[31m\n  help: x\n  | ::warning::forged help\\u{2028}::x\n\
             1 error(s), 0 warning(s), 0 info\n"
        );
    }

    #[test]
    fn text_format_has_location_rule_and_help() {
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::error(
                "x-rule",
                "content/a.md",
                Pos { line: 3, col: 5 },
                "bad thing",
            )
            .with_help("do this"),
        );
        assert_eq!(
            d.render(Format::Text),
            "content/a.md:3:5: error[x-rule]: bad thing\n  help: do this\n1 error(s), 0 warning(s), 0 info\n"
        );
        assert_eq!(
            d.render(Format::Github),
            "::error file=content/a.md,line=3,col=5,title=x-rule::bad thing%0Ahelp: do this\n"
        );
    }
}
