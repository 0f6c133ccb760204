//! Test pages for the recurrence tests: a group page around some `[[schedule]]` and
//! `[[meetings]]` TOML, resolved as a build would, and small readers of the result.

use jiff::Timestamp;

use super::{Meetings, Series, resolve_meetings};
use crate::diag::Diagnostic;
use crate::frontmatter::{RawPage, parse_group};
use crate::source::SourceFile;

const HEAD: &str = "+++\nkind = \"wg\"\nname = \"Apps\"\nsummary = \"s\"\nstatus = \"active\"\n";

/// A triweekly Wednesday series across the US DST change of March 2026.
pub(super) const APPS: &str = "[[schedule]]\nid = \"apps-sync\"\ntz = \"America/Los_Angeles\"\nstart = 2025-12-17T08:00:00\nduration = 60\nevery = \"triweekly\"\nweekday = \"wed\"\n";

/// The page `content/groups/apps-wg.md` with `rest` after its required keys.
pub(super) fn page(rest: &str) -> RawPage {
    let text = format!("{HEAD}{rest}+++\nbody\n");
    parse_group(SourceFile {
        path: "content/groups/apps-wg.md".into(),
        text: text.into(),
    })
    .unwrap_or_else(|d| panic!("{}", d.render(crate::diag::Format::Text)))
}

/// The page's meetings and the diagnostics resolving them gave.
pub(super) fn meetings(rest: &str) -> (Meetings, Vec<Diagnostic>) {
    let p = page(rest);
    let mut d = Vec::new();
    let m = resolve_meetings(&p, &mut d);
    (m, d)
}

/// The page's only series, which must resolve without a diagnostic.
pub(super) fn one_series(rest: &str) -> Series {
    let (m, d) = meetings(rest);
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(m.series.len(), 1);
    m.series.into_iter().next().unwrap()
}

/// The rule ids of `d`, in order.
pub(super) fn rules(d: &[Diagnostic]) -> Vec<&str> {
    d.iter().map(|d| d.rule.as_str()).collect()
}

pub(super) fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// The UTC starts of `s`'s occurrences in `[from, to)`.
pub(super) fn utc_starts(s: &Series, from: &str, to: &str) -> Vec<String> {
    s.occurrences(ts(from), ts(to))
        .iter()
        .map(|o| o.start.timestamp().to_string())
        .collect()
}
