//! The health page as the theme's templates get it.
//!
//! Takes: a [`Health`]. Gives: [`PageView`] for `health.html` and [`GroupStripView`] for the
//! group page's `partials/health-strip.html`: the figures as they are, plus the pictures
//! already written as SVG (the templates insert them unescaped) and a few words.

use std::sync::Arc;

use serde::Serialize;

use super::candidates::Candidate;
use super::figures::{Figures, MeetingCounts};
use super::paging::{Pager, Paging};
use super::strip::{self, Strip, coverage_bar};
use super::{GroupHealth, Health, Urgency};

/// `health.html`'s `health`; `R` is how each row is given (a [`RowView`], or the same as the
/// templates get it, made once and kept).
#[derive(Debug, Serialize)]
pub struct PageView<'a, R = RowView<'a>> {
    /// The date the page is built for.
    pub today: jiff::civil::Date,
    /// The length of the window the figures count, in days.
    pub window_days: u32,
    /// The first day of the window.
    pub window_from: jiff::civil::Date,
    /// The first day of the activity strips.
    pub strip_from: jiff::civil::Date,
    /// Days without activity after which a WG is a retirement candidate.
    pub wg_inactive_days: u32,
    /// Days without activity after which an IG may be inactive.
    pub ig_inactive_days: u32,
    /// The retirement candidates listed on this page: on the first page, every candidate of
    /// every group, or the first `[health] rows_per_page` of them; none on the others.
    pub candidates: Vec<CandidateView<'a>>,
    /// The candidates the first page leaves out, if it leaves any out.
    pub more_candidates: Option<MoreCandidates>,
    /// One table row per group on this page.
    pub rows: Vec<R>,
    /// The navigation between the pages; `None` when every group fits one page.
    pub pager: Option<Pager>,
    /// What the strip's marks mean.
    pub legend: Vec<LegendItem>,
    /// The totals in the page's summary.
    pub counts: Counts,
}

/// One retirement candidate, as the page lists it.
#[derive(Debug, Serialize)]
pub struct CandidateView<'a> {
    /// The group's label.
    pub group: &'a str,
    /// The group page's path.
    pub path: &'a str,
    /// The id of the rule that flagged it.
    pub rule: &'static str,
    /// The rule's title.
    pub title: &'static str,
    /// Why the group is a candidate.
    pub text: &'a str,
}

/// How many candidates the first page does not list, and on which pages their groups' rows
/// (which name each candidate) are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoreCandidates {
    /// How many are not listed.
    pub count: usize,
    /// The page of the first group with a candidate not listed.
    pub first_page: usize,
    /// Its path.
    pub first_path: String,
    /// The page of the last such group.
    pub last_page: usize,
}

/// One group's row of the health table.
#[derive(Debug, Serialize)]
pub struct RowView<'a> {
    /// The group's slug.
    pub slug: &'a str,
    /// The group's label.
    pub label: &'a str,
    /// `ig` or `wg`.
    pub kind: &'static str,
    /// The lifecycle status, e.g. `active`.
    pub status: &'static str,
    /// "IG", "Active".
    pub kind_label: String,
    /// The status with a capital, e.g. "Active".
    pub status_label: String,
    /// The group page's path.
    pub path: &'a str,
    /// How urgently the group needs attention.
    pub urgency: Urgency,
    /// The titles of the group's retirement candidates.
    pub candidates: Vec<&'static str>,
    /// The group's figures, flattened into the row.
    #[serde(flatten)]
    pub figures: &'a Figures,
    /// "Den Delimarsky (term ended 2026-08-14)", one per facilitator.
    pub facilitator_labels: Vec<String>,
    /// The group's activity strip, as SVG.
    pub strip_svg: String,
    /// `None` when no meeting was held in the window.
    pub coverage_svg: Option<String>,
}

/// One mark of the strip legend.
#[derive(Debug, Serialize)]
pub struct LegendItem {
    /// The mark, as SVG.
    pub svg: String,
    /// What it means.
    pub words: &'static str,
}

/// The page's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Live groups, on all pages together.
    pub groups: usize,
    /// Retirement candidates.
    pub candidates: usize,
    /// Groups with errors.
    pub with_errors: usize,
}

/// The group page's strip.
#[derive(Debug, Serialize)]
pub struct GroupStripView {
    /// The activity strip, as SVG.
    pub svg: String,
    /// What the strip's marks mean.
    pub legend: Vec<LegendItem>,
    /// The length of the window, in days.
    pub window_days: u32,
    /// Meetings held in the window.
    pub held: usize,
    /// Held meetings with notes.
    pub with_notes: usize,
    /// Cancelled meetings in the window.
    pub cancelled: usize,
    /// Held meetings with notes, in percent; `None` when none was held.
    pub coverage_percent: Option<u32>,
    /// The notes coverage bar, as SVG; `None` when none was held.
    pub coverage_svg: Option<String>,
}

fn legend() -> Vec<LegendItem> {
    strip::legend()
        .into_iter()
        .map(|(svg, words)| LegendItem { svg, words })
        .collect()
}

/// The notes coverage bar of the group `slug` with `m` in the window; `None` when none was held.
fn coverage_svg(slug: &str, m: &MeetingCounts) -> Option<String> {
    (m.held > 0).then(|| coverage_bar(&format!("cov-{slug}"), m.with_notes, m.held))
}

/// One group's row of the table.
pub fn row(h: &GroupHealth, today: jiff::civil::Date) -> RowView<'_> {
    let facilitator_labels = h
        .figures
        .facilitators
        .iter()
        .map(|f| match f.term_ends {
            Some(t) if t < today => format!("{} (term ended {t})", f.label()),
            _ => f.label(),
        })
        .collect();
    RowView {
        slug: &h.slug,
        label: &h.label,
        kind: h.kind,
        status: h.status,
        kind_label: h.kind.to_uppercase(),
        status_label: capitalized(h.status),
        path: &h.path,
        urgency: h.urgency(),
        candidates: h.candidates.iter().map(|c| c.reason.title()).collect(),
        figures: &h.figures,
        facilitator_labels,
        strip_svg: h.strip.svg(&format!("strip-{}", h.slug), &h.label),
        coverage_svg: coverage_svg(&h.slug, &h.figures.meetings),
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn candidate<'a>(h: &'a GroupHealth, c: &'a Candidate) -> CandidateView<'a> {
    CandidateView {
        group: &h.label,
        path: &h.path,
        rule: c.reason.rule(),
        title: c.reason.title(),
        text: &c.text,
    }
}

/// The view of page `n` (from 1) of `health` split as `paging` says.
pub fn page<'a>(
    site: &crate::model::Site,
    health: &'a Health,
    paging: &Paging,
    n: usize,
) -> PageView<'a> {
    page_with_rows(site, health, paging, n, |h| row(h, health.today))
}

/// The view of page `n` (from 1) of `health` split as `paging` says, with each group's row as
/// `row` gives it.
pub fn page_with_rows<'a, R>(
    site: &crate::model::Site,
    health: &'a Health,
    paging: &Paging,
    n: usize,
    row: impl FnMut(&'a Arc<GroupHealth>) -> R,
) -> PageView<'a, R> {
    let gov = &site.config.governance;
    let (candidates, more_candidates) = if n == 1 {
        listed_candidates(health, paging)
    } else {
        (Vec::new(), None)
    };
    PageView {
        today: health.today,
        window_days: health.window_days,
        window_from: health.window_from,
        strip_from: strip::strip_from(health.today),
        wg_inactive_days: gov.wg_inactive_days,
        ig_inactive_days: gov.ig_inactive_days,
        counts: health.counts.clone(),
        candidates,
        more_candidates,
        rows: health.groups[paging.rows(n)].iter().map(row).collect(),
        pager: paging.pager(n),
        legend: legend(),
    }
}

/// The totals every page shows, of `groups`.
pub fn counts(groups: &[Arc<GroupHealth>]) -> Counts {
    Counts {
        groups: groups.len(),
        candidates: groups.iter().map(|g| g.candidates.len()).sum(),
        with_errors: (groups.iter())
            .filter(|g| g.figures.findings.error > 0)
            .count(),
    }
}

/// The indices (in the page's order) of the groups whose candidates the first page lists, and
/// what it leaves out: when the groups need several pages, the first lists at most
/// [`Paging::candidates_listed`] candidates, so that it stays bounded too.
pub fn listed_candidate_groups(
    health: &Health,
    paging: &Paging,
) -> (Vec<usize>, Option<MoreCandidates>) {
    let budget = paging.candidates_listed();
    let mut listed = 0;
    let mut groups = Vec::new();
    let mut more: Option<MoreCandidates> = None;
    for (i, g) in health.groups.iter().enumerate() {
        let here = g.candidates.len();
        if here == 0 {
            continue;
        }
        let shown = here.min(budget - listed);
        if shown > 0 {
            groups.push(i);
            listed += shown;
        }
        if shown < here {
            let page = paging.page_of(i);
            let m = more.get_or_insert_with(|| MoreCandidates {
                count: 0,
                first_page: page,
                first_path: Paging::path(page),
                last_page: page,
            });
            m.count += here - shown;
            m.last_page = page;
        }
    }
    (groups, more)
}

/// The candidates the first page lists, and what it leaves out.
fn listed_candidates<'a>(
    health: &'a Health,
    paging: &Paging,
) -> (Vec<CandidateView<'a>>, Option<MoreCandidates>) {
    let (groups, more) = listed_candidate_groups(health, paging);
    let listed = groups
        .into_iter()
        .map(|i| &health.groups[i])
        .flat_map(|h| h.candidates.iter().map(move |c| candidate(h, c)))
        .take(paging.candidates_listed())
        .collect();
    (listed, more)
}

/// The strip and coverage of the group `slug`, `label`, for its own page: `meetings` are its
/// counts in the window of `window_days`.
pub fn group_strip(
    slug: &str,
    label: &str,
    strip: &Strip,
    meetings: MeetingCounts,
    window_days: u32,
) -> GroupStripView {
    GroupStripView {
        svg: strip.svg("strip", label),
        legend: legend(),
        window_days,
        held: meetings.held,
        with_notes: meetings.with_notes,
        cancelled: meetings.cancelled,
        coverage_percent: meetings.coverage_percent(),
        coverage_svg: coverage_svg(slug, &meetings),
    }
}
