//! The health page as the theme's templates get it.
//!
//! Takes: a [`Health`]. Gives: [`PageView`] for `health.html` and [`GroupStripView`] for the
//! group page's `partials/health-strip.html`: the figures as they are, plus the pictures
//! already written as SVG (the templates insert them unescaped) and a few words.

use std::sync::Arc;

use serde::Serialize;

use super::candidates::Candidate;
use super::figures::Figures;
use super::strip::{self, coverage_bar};
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
    /// Every retirement candidate of every group.
    pub candidates: Vec<CandidateView<'a>>,
    /// One table row per group.
    pub rows: Vec<R>,
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
#[derive(Debug, Serialize)]
pub struct Counts {
    /// Groups on the page.
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

fn coverage_svg(h: &GroupHealth) -> Option<String> {
    let m = &h.figures.meetings;
    (m.held > 0).then(|| coverage_bar(&format!("cov-{}", h.slug), m.with_notes, m.held))
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
        coverage_svg: coverage_svg(h),
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

/// The page's view of `health`.
pub fn page<'a>(site: &crate::model::Site, health: &'a Health) -> PageView<'a> {
    page_with_rows(site, health, |h| row(h, health.today))
}

/// The page's view of `health`, with each group's row as `row` gives it.
pub fn page_with_rows<'a, R>(
    site: &crate::model::Site,
    health: &'a Health,
    row: impl FnMut(&'a Arc<GroupHealth>) -> R,
) -> PageView<'a, R> {
    let gov = &site.config.governance;
    let candidates: Vec<CandidateView> = health
        .groups
        .iter()
        .flat_map(|h| h.candidates.iter().map(move |c| candidate(h, c)))
        .collect();
    PageView {
        today: health.today,
        window_days: health.window_days,
        window_from: health.window_from,
        strip_from: strip::strip_from(health.today),
        wg_inactive_days: gov.wg_inactive_days,
        ig_inactive_days: gov.ig_inactive_days,
        counts: Counts {
            groups: health.groups.len(),
            candidates: candidates.len(),
            with_errors: health
                .groups
                .iter()
                .filter(|g| g.figures.findings.error > 0)
                .count(),
        },
        candidates,
        rows: health.groups.iter().map(row).collect(),
        legend: legend(),
    }
}

/// The strip and coverage of one group, for its own page.
pub fn group_strip(h: &GroupHealth, window_days: u32) -> GroupStripView {
    let m = &h.figures.meetings;
    GroupStripView {
        svg: h.strip.svg("strip", &h.label),
        legend: legend(),
        window_days,
        held: m.held,
        with_notes: m.with_notes,
        cancelled: m.cancelled,
        coverage_percent: h.figures.notes_coverage_percent,
        coverage_svg: coverage_svg(h),
    }
}
