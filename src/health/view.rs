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
    pub today: jiff::civil::Date,
    pub window_days: u32,
    pub window_from: jiff::civil::Date,
    pub strip_from: jiff::civil::Date,
    pub wg_inactive_days: u32,
    pub ig_inactive_days: u32,
    pub candidates: Vec<CandidateView<'a>>,
    pub rows: Vec<R>,
    pub legend: Vec<LegendItem>,
    pub counts: Counts,
}

#[derive(Debug, Serialize)]
pub struct CandidateView<'a> {
    pub group: &'a str,
    pub path: &'a str,
    pub rule: &'static str,
    pub title: &'static str,
    pub text: &'a str,
}

#[derive(Debug, Serialize)]
pub struct RowView<'a> {
    pub slug: &'a str,
    pub label: &'a str,
    pub kind: &'static str,
    pub status: &'static str,
    /// "IG", "Active".
    pub kind_label: String,
    pub status_label: String,
    pub path: &'a str,
    pub urgency: Urgency,
    pub candidates: Vec<&'static str>,
    #[serde(flatten)]
    pub figures: &'a Figures,
    /// "Den Delimarsky (term ended 2026-08-14)", one per facilitator.
    pub facilitator_labels: Vec<String>,
    pub strip_svg: String,
    /// `None` when no meeting was held in the window.
    pub coverage_svg: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct LegendItem {
    pub svg: String,
    pub words: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Counts {
    pub groups: usize,
    pub candidates: usize,
    pub with_errors: usize,
}

/// The group page's strip.
#[derive(Debug, Serialize)]
pub struct GroupStripView {
    pub svg: String,
    pub legend: Vec<LegendItem>,
    pub window_days: u32,
    pub held: usize,
    pub with_notes: usize,
    pub cancelled: usize,
    pub coverage_percent: Option<u32>,
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
