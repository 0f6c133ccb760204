//! The content rules: what the governance text asks of a group, and what keeps the directory
//! honest.
//!
//! Takes: the validated [`Site`] and [`CheckOptions`]. Gives: findings pushed into a [`Sink`],
//! each located at the offending value (or, for a missing key, at the table or page it belongs
//! in) with a `help:` saying how to fix it.
//!
//! One file per rule family, in the order `docs/check-findings.md` lists them: `identity` and
//! `people`, `lifecycle` and lineage, `channels` and tags, the `creation` template,
//! `relations`, `meetings` and notes, and WG `activity`. Families that compare groups with
//! each other (people, channel ids, lineage) run once over the whole site. This file holds what
//! several families share: the [`Ctx`] they see, and the helpers that locate a missing key or read
//! a work-item reference. The numbers come from `[governance]` in `mcpsite.toml`; time comes only
//! from `opts.today`.

mod activity;
mod channels;
mod creation;
mod identity;
mod lifecycle;
mod meetings;
mod people;
mod relations;

pub use activity::TERMINAL;

use jiff::Timestamp;
use jiff::civil::Date as CivilDate;
use jiff::tz::TimeZone;

use super::{CheckOptions, Sink};
use crate::config::Governance;
use crate::diag::Pos;
use crate::frontmatter::RawPage;
use crate::model::{Group, Site};
use crate::schema::{Date, ExceptionAction, MeetingRecord, MeetingStatus, Spanned, Status};

/// What every rule family sees.
pub struct Ctx<'a> {
    /// The validated site.
    pub site: &'a Site,
    /// The `[governance]` settings.
    pub gov: &'a Governance,
    /// "Today" for time-based rules.
    pub today: CivilDate,
}

impl Ctx<'_> {
    /// "Now" for rules that compare instants: the start of `today`, UTC.
    fn now(&self) -> Timestamp {
        self.today
            .to_zoned_datetime(TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn notes_kind_ok(&self, kind: &str) -> bool {
        self.gov.notes_kinds_ok.iter().any(|k| k == kind)
    }
}

/// Runs every content rule family.
pub fn run_all(site: &Site, opts: &CheckOptions, sink: &mut Sink) {
    for g in &site.groups {
        run_group(site, opts, g, sink);
    }
    run_site(site, sink);
}

/// Runs the families that look at one group: they read its page and, of the groups its page
/// names (`FrontMatter::group_refs`), only whether they exist and what their pages say.
pub fn run_group(site: &Site, opts: &CheckOptions, g: &Group, sink: &mut Sink) {
    let ctx = Ctx {
        site,
        gov: &site.config.governance,
        today: opts.today,
    };
    identity::identity(g, sink);
    people::people(&ctx, g, sink);
    lifecycle::lifecycle(&ctx, g, sink);
    channels::channels(g, sink);
    creation::creation(&ctx, g, sink);
    relations::relations(&ctx, g, sink);
    meetings::meetings_and_notes(&ctx, g, sink);
    activity::activity(&ctx, g, sink);
}

/// Runs the families that compare every group with the others.
pub fn run_site(site: &Site, sink: &mut Sink) {
    people::person_consistency(site, sink);
    super::handles::same_name_two_handles(site, sink);
    channels::channel_clashes(site, sink);
    lifecycle::lineage(site, sink);
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the families

fn d(v: &Spanned<Date>) -> CivilDate {
    v.get_ref().0
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
fn days_between(a: CivilDate, b: CivilDate) -> i64 {
    a.duration_until(b).as_hours() / 24
}

fn live(g: &Group) -> bool {
    g.status() != Status::Retired
}

/// The front-matter block's lines, each with its byte offset in the block (what
/// [`RawPage::pos`] takes). The rules that look for a table's header, a commented-out key or a
/// placeholder read the TOML as text: a comment is not in the parsed front matter.
fn block_lines(page: &RawPage) -> impl Iterator<Item = (usize, &str)> {
    block_text(page)
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            let at = *offset;
            *offset += line.len();
            Some((at, line))
        })
}

/// The front matter's text, between its fences.
fn block_text(page: &RawPage) -> &str {
    let text = &page.source.text;
    let end = page.body_offset.min(text.len());
    &text[page.block_offset.min(end)..end]
}

/// The position of the first non-blank character of the block line at `offset`.
fn line_pos(page: &RawPage, offset: usize, line: &str) -> Pos {
    let at = offset + line.len() - line.trim_start().len();
    page.pos(at..at)
}

/// The position of a `[table]` or `[[table]]` header in the front matter, else the page's top:
/// where a missing key belongs.
pub fn table_pos(page: &RawPage, table: &str) -> Pos {
    for (offset, line) in block_lines(page) {
        let t = line.trim();
        let name = t
            .strip_prefix("[[")
            .and_then(|r| r.split("]]").next())
            .or_else(|| t.strip_prefix('[').and_then(|r| r.split(']').next()));
        if name.map(str::trim) == Some(table) {
            return line_pos(page, offset, line);
        }
    }
    page.top()
}

/// Where a missing key belongs: its commented-out line (`# key = …`, or `# [[table]]` for a
/// missing table, as `mcpsite new` writes them), else the table's header, else the page's top.
pub fn missing_pos(page: &RawPage, table: &str, key: Option<&str>) -> Pos {
    let mut current = String::new();
    for (offset, line) in block_lines(page) {
        let t = line.trim();
        if t.starts_with('[') {
            current = t.trim_matches(['[', ']']).trim().to_string();
        } else if let Some(c) = t.strip_prefix('#') {
            let c = c.trim_start();
            let hit = match key {
                Some(k) => {
                    current == table
                        && c.strip_prefix(k)
                            .is_some_and(|r| r.trim_start().starts_with('='))
                }
                None => c.trim_matches(['[', ']']).trim() == table && c.starts_with('['),
            };
            if hit {
                return line_pos(page, offset, line);
            }
        }
    }
    table_pos(page, table)
}

/// Is `r` a work-item reference: `SEP-N`, `owner/repo#N`, or a GitHub issue/PR URL?
pub fn is_work_ref(r: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if let Some(n) = r.strip_prefix("SEP-") {
        return digits(n);
    }
    if let Some(rest) = r.strip_prefix("https://github.com/") {
        let segs: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        return segs.len() == 4
            && crate::validate::is_repo_ref(&format!("{}/{}", segs[0], segs[1]))
            && matches!(segs[2], "issues" | "pull")
            && digits(segs[3]);
    }
    if let Some((repo, n)) = r.split_once('#') {
        return crate::validate::is_repo_ref(repo) && digits(n);
    }
    false
}

/// Is the record's meeting cancelled, by its status or by an exception of its schedule? (The
/// health figures ask too.)
pub fn is_cancelled(g: &Group, m: &MeetingRecord) -> bool {
    if m.status == Some(MeetingStatus::Cancelled) {
        return true;
    }
    let Some(sid) = &m.schedule else { return false };
    g.fm()
        .schedule
        .iter()
        .map(|s| s.get_ref())
        .filter(|s| s.id.get_ref() == sid.get_ref())
        .flat_map(|s| &s.exceptions)
        .any(|e| {
            let e = e.get_ref();
            d(&e.date) == d(&m.date) && *e.action.get_ref() == ExceptionAction::Cancel
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_refs() {
        for ok in [
            "SEP-2663",
            "modelcontextprotocol/agents-wg#20",
            "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1608",
            "https://github.com/a/b/issues/3",
        ] {
            assert!(is_work_ref(ok), "{ok}");
        }
        for bad in [
            "SEP-",
            "sep-12",
            "a/b",
            "#12",
            "https://github.com/a/b/discussions/3",
            "A SEP",
        ] {
            assert!(!is_work_ref(bad), "{bad}");
        }
    }
}
