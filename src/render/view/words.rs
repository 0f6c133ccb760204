//! Words: dates, labels and links as readers see them.
//!
//! Takes: single values of the model (a date, a status, a work-item reference). Gives: their
//! text for a page ([`DateView`], [`LinkView`], labels), with no site or group context.

use jiff::Timestamp;
use serde::Serialize;

use crate::schema::{Approval, RetiredReason, Status};

/// A date in both machine and reader form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateView {
    /// `2026-08-17`
    pub iso: String,
    /// `17 August 2026`
    pub text: String,
}

impl DateView {
    /// The date in every form the templates show.
    pub fn new(d: jiff::civil::Date) -> Self {
        DateView {
            iso: crate::timefmt::iso_date(d),
            text: crate::timefmt::day_month_year(d),
        }
    }
}

/// A link with its text.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// The text to show.
    pub text: String,
    /// `none` when the value is words, not a link.
    pub url: Option<String>,
}

/// The status in words, e.g. "Active".
pub fn status_label(status: Status) -> &'static str {
    match status {
        Status::Proposed => "Proposed",
        Status::Approved => "Approved",
        Status::Active => "Active",
        Status::Retired => "Retired",
        Status::Unknown => "Status unknown",
    }
}

pub(super) fn approval_text(a: Approval) -> &'static str {
    match a {
        Approval::ModeratorVote => "by a moderator vote",
        Approval::Sponsorship => "by Core Maintainer sponsorship",
        Approval::Legacy => "existing group, recognised when the rules were adopted",
    }
}

pub(super) fn retired_text(r: RetiredReason) -> &'static str {
    match r {
        RetiredReason::Inactive => "no longer active",
        RetiredReason::Completed => "its work is complete",
        RetiredReason::Merged => "merged into another group",
        RetiredReason::Converted => "converted into another kind of group",
        RetiredReason::Superseded => "superseded by another group",
        RetiredReason::Decision => "retired by decision of the maintainers",
        RetiredReason::Vetoed => "vetoed",
    }
}

pub(super) fn record_text(r: &str) -> String {
    match r {
        "chartered" => "Chartered: a charter page exists".into(),
        "unchartered" => "Running without a charter page".into(),
        "proposed" => "Proposed: the charter or proposal is still under review".into(),
        "historical" => "Historical: an earlier name or form of a group".into(),
        other => other.into(),
    }
}

pub(super) fn confidence_text(c: &str) -> String {
    match c {
        "high" => "High: read in the MCP project's own repositories".into(),
        "medium" => "Medium: the project's own files, but the sources disagree".into(),
        "low" => "Low: from a third-party page only".into(),
        other => other.into(),
    }
}

pub(super) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(super) fn repo_link(r: &str) -> LinkView {
    LinkView {
        text: r.to_string(),
        url: Some(format!("https://github.com/{r}")),
    }
}

/// A work-item reference (`SEP-2663`, `owner/repo#12`, a GitHub URL) as a link.
pub fn work_ref(r: &str) -> LinkView {
    let text = r.to_string();
    if let Some(n) = r
        .strip_prefix("SEP-")
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    {
        // SEPs are numbered after their issue or pull request in the specification repository;
        // GitHub redirects `/issues/N` to `/pull/N` when N is a pull request.
        return LinkView {
            text,
            url: Some(format!(
                "https://github.com/modelcontextprotocol/modelcontextprotocol/issues/{n}"
            )),
        };
    }
    if let Some((repo, n)) = r.split_once('#')
        && crate::validate::is_repo_ref(repo)
        && !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
    {
        return LinkView {
            text,
            url: Some(format!("https://github.com/{repo}/issues/{n}")),
        };
    }
    if r.starts_with("https://") {
        // https://github.com/o/r/pull/12 → o/r#12
        let short = r
            .strip_prefix("https://github.com/")
            .and_then(|rest| {
                let parts: Vec<&str> = rest.split('/').collect();
                match parts.as_slice() {
                    [o, n, "issues" | "pull" | "discussions", num] => {
                        Some(format!("{o}/{n}#{num}"))
                    }
                    _ => None,
                }
            })
            .unwrap_or_else(|| r.to_string());
        return LinkView {
            text: short,
            url: Some(r.to_string()),
        };
    }
    LinkView { text, url: None }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for query values.
pub fn percent_encode(s: &str) -> String {
    // Sized first: written piece by piece, the text grew a few times per link, and every
    // upcoming meeting of every page has four such links.
    let encoded = || percent_encoding::utf8_percent_encode(s, URL_COMPONENT);
    let mut out = String::with_capacity(encoded().map(str::len).sum());
    out.extend(encoded());
    out
}

/// Every byte but RFC 3986's unreserved characters: letters, digits, `-`, `.`, `_`, `~`.
const URL_COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `2026-12-02T17:00:00Z`
pub fn utc_rfc3339(ts: Timestamp) -> String {
    crate::timefmt::utc_rfc3339(ts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_refs() {
        assert_eq!(
            work_ref("SEP-2663").url.as_deref(),
            Some("https://github.com/modelcontextprotocol/modelcontextprotocol/issues/2663")
        );
        assert_eq!(
            work_ref("modelcontextprotocol/agents-wg#20").url.as_deref(),
            Some("https://github.com/modelcontextprotocol/agents-wg/issues/20")
        );
        let l = work_ref("https://github.com/o/r/pull/12");
        assert_eq!(l.text, "o/r#12");
        assert_eq!(work_ref("a description").url, None);
    }

    #[test]
    fn dates_in_words() {
        let d = DateView::new(jiff::civil::date(2026, 6, 2));
        assert_eq!(d.text, "2 June 2026");
        assert_eq!(d.iso, "2026-06-02");
    }
}
