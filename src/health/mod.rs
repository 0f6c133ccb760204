//! Community health: the governance rules made visible, for the people who decide.
//!
//! Takes: the validated [`Site`] (its groups, `today`, `[health]` and `[governance]`) and the
//! findings of the run: the build's own diagnostics and the content rules' (`mcpsite check`'s
//! second layer), which the pipeline runs on the site and passes in, so this stage never runs
//! a later one. Gives: [`Health`], for every group that is not retired, its [`Figures`], the
//! retirement [`Candidate`]s it is and its 52-week [`Strip`], ordered most urgent first;
//! [`json`] writes it as `/health.json` and [`view`] shapes it for the theme's `health.html`.
//!
//! Everything is a function of the site and `today`: the same input gives the same page.

pub mod cache;
pub mod candidates;
pub mod figures;
pub mod meetings;
pub mod paging;
pub mod strip;
pub mod view;

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

pub use cache::HealthCache;
pub use candidates::Candidate;
pub use figures::Figures;
pub use paging::Paging;
pub use strip::Strip;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Group, Site};

/// What the health page shows.
#[derive(Debug, Clone)]
pub struct Health {
    /// The date the page is built for.
    pub today: Date,
    /// `[health] window_days`.
    pub window_days: u32,
    /// The first day of the window; it ends the day before today.
    pub window_from: Date,
    /// Live groups, most urgent first: those with errors, then retirement candidates, then
    /// those with warnings, then the rest; within each, more findings first, then by slug.
    /// Shared with the [`HealthCache`] that keeps them.
    pub groups: Vec<Arc<GroupHealth>>,
    /// The totals of `groups`, which every page and the first part of `health.json` show:
    /// counted once, not once per page (a large site has hundreds of pages).
    pub counts: view::Counts,
}

/// One live group's figures. Equal values give equal rows on the page and equal records in
/// `health.json` (with the same settings and `today`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupHealth {
    /// The group's slug.
    pub slug: String,
    /// "Authorization IG".
    pub label: String,
    /// `ig` or `wg`.
    pub kind: &'static str,
    /// The lifecycle status, e.g. `active`.
    pub status: &'static str,
    /// The site path of the group's page.
    pub path: String,
    /// The group's figures.
    pub figures: Figures,
    /// The group's retirement candidates.
    pub candidates: Vec<Candidate>,
    /// The group's activity strip.
    pub strip: Strip,
}

/// How urgent a group's row is, in the page's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    /// The group's page has errors.
    Errors,
    /// The group is a retirement candidate.
    Candidate,
    /// The group's page has warnings.
    Warnings,
    /// Nothing to act on.
    Quiet,
}

impl GroupHealth {
    /// How urgent the group's row is.
    pub fn urgency(&self) -> Urgency {
        let f = &self.figures.findings;
        if f.error > 0 {
            Urgency::Errors
        } else if !self.candidates.is_empty() {
            Urgency::Candidate
        } else if f.warning > 0 {
            Urgency::Warnings
        } else {
            Urgency::Quiet
        }
    }

    /// Urgency, then more errors, candidates, warnings and infos first, then the slug.
    fn order_key(&self) -> (Urgency, std::cmp::Reverse<[usize; 4]>, &str) {
        let f = &self.figures.findings;
        let counts = [f.error, self.candidates.len(), f.warning, f.info];
        (self.urgency(), std::cmp::Reverse(counts), &self.slug)
    }
}

/// The first day of the `[health]` window.
fn window_from(site: &Site) -> Date {
    let days = i64::from(site.config.health.window_days);
    site.today
        .checked_sub(jiff::Span::new().days(days))
        .unwrap_or(Date::MIN)
}

/// The health of every live group of `site`; `findings` are the run's diagnostics.
pub fn compute(site: &Site, findings: &Diagnostics) -> Health {
    let findings: Vec<&Diagnostic> = findings.iter().collect();
    compute_with(site, &findings, &mut HealthCache::default())
}

/// [`compute`], reusing each group's health `cache` holds for the same inputs and keeping this
/// build's: the same [`Health`] as through an empty cache.
/// `findings` may come in any order.
pub fn compute_with(site: &Site, findings: &[&Diagnostic], cache: &mut HealthCache) -> Health {
    let by_page = findings_by_page(findings);
    cache.start(site);
    let live: Vec<(&Group, figures::FindingCounts)> = (site.groups.iter())
        .filter(|g| !g.is_retired())
        .map(|g| {
            let own = by_page.get(g.page.source.path.as_str());
            (
                &**g,
                figures::finding_counts(own.into_iter().flatten().copied()),
            )
        })
        .collect();
    // Each group's on every core; then what was made is kept, in order.
    let made: Vec<(Arc<GroupHealth>, bool)> = (live.par_iter())
        .map(|(g, counts)| match cache.get(g, counts) {
            Some(kept) => (kept, false),
            None => (Arc::new(group_health(site, g, counts.clone())), true),
        })
        .collect();
    let mut groups = Vec::with_capacity(made.len());
    for ((g, counts), (health, is_new)) in live.into_iter().zip(made) {
        if is_new {
            cache.keep(g, counts, Arc::clone(&health));
        }
        groups.push(health);
    }
    cache.prune(site);
    groups.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    Health {
        today: site.today,
        window_days: site.config.health.window_days,
        window_from: window_from(site),
        counts: view::counts(&groups),
        groups,
    }
}

/// The findings by path: one pass instead of one per group.
fn findings_by_page<'d>(findings: &[&'d Diagnostic]) -> HashMap<&'d str, Vec<&'d Diagnostic>> {
    let mut by_page: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    // A group's findings mostly come together: one lookup per run of one page's.
    for run in findings.chunk_by(|a, b| a.path == b.path) {
        (by_page.entry(run[0].path.as_str()).or_default()).extend_from_slice(run);
    }
    by_page
}

fn group_health(site: &Site, g: &Group, findings: figures::FindingCounts) -> GroupHealth {
    let today = site.today;
    let (from, past) = window_and_past(site, g);
    let figures = figures::figures(g, today, from, &past, findings);
    let candidates = candidates::candidates(g, &figures, today, &site.config.governance);
    GroupHealth {
        slug: g.slug.clone(),
        label: g.short_label(),
        kind: g.kind.suffix(),
        status: g.status().as_str(),
        path: g.url_path(),
        figures,
        candidates,
        strip: Strip::of(&past, today),
    }
}

/// The first day of the health window, and `g`'s past meetings from there or from the strip's
/// first week, whichever is earlier.
fn window_and_past(site: &Site, g: &Group) -> (Date, Vec<meetings::PastMeeting>) {
    let today = site.today;
    let (from, strip_from) = (window_from(site), strip::strip_from(today));
    let past = meetings::past_meetings(g, from.min(strip_from), today, figures::now(today));
    (from, past)
}

/// The strip alone, for a group's own page (`None` for a retired group).
pub fn group_strip(site: &Site, g: &Group) -> Option<view::GroupStripView> {
    if g.is_retired() {
        return None;
    }
    // What `group_health` works out for the strip and the counts, without the figures and
    // candidates only the health page shows.
    let (from, past) = window_and_past(site, g);
    Some(view::group_strip(
        &g.slug,
        &g.short_label(),
        &Strip::of(&past, site.today),
        figures::MeetingCounts::in_window(&past, from),
        site.config.health.window_days,
    ))
}

/// Part `n` (from 1) of `/health.json` split as `paging` says: the figures of the part's groups
/// and their candidates, for bots and dashboards. The first part is `health.json`, with the
/// window and the settings, and, when the groups need several parts, their totals and every
/// part's URL; the others (`health/groups-<n>.json`) hold groups and candidates only. When every
/// group fits one part, `health.json` is the whole list, without totals or parts.
pub fn json(site: &Site, health: &Health, paging: &Paging, n: usize) -> String {
    let rows = paging.rows(n);
    let groups = &health.groups[rows];
    let candidates: Vec<&Candidate> = groups.iter().flat_map(|g| &g.candidates).collect();
    let groups: Vec<GroupJson> = groups.iter().map(|g| GroupJson::of(site, g)).collect();
    let mut text = if n == 1 {
        first_part(site, health, paging, candidates, groups)
    } else {
        serde_json::to_string_pretty(&PartJson {
            version: 1,
            today: health.today,
            part: n,
            part_count: paging.count(),
            index: site.abs_url("/health.json"),
            candidates,
            groups,
        })
    }
    .expect("health.json serializes");
    text.push('\n');
    text
}

/// One group's record in `/health.json`.
#[derive(Serialize)]
struct GroupJson<'a> {
    slug: &'a str,
    name: &'a str,
    kind: &'a str,
    status: &'a str,
    url: String,
    urgency: Urgency,
    candidates: Vec<&'static str>,
    #[serde(flatten)]
    figures: &'a Figures,
    weeks: strip::WeekCounts,
}

impl<'a> GroupJson<'a> {
    fn of(site: &Site, g: &'a GroupHealth) -> Self {
        GroupJson {
            slug: &g.slug,
            name: &g.label,
            kind: g.kind,
            status: g.status,
            url: site.abs_url(&g.path),
            urgency: g.urgency(),
            candidates: g.candidates.iter().map(|c| c.reason.rule()).collect(),
            figures: &g.figures,
            weeks: g.strip.counts(),
        }
    }
}

/// `health/groups-<n>.json`.
#[derive(Serialize)]
struct PartJson<'a> {
    version: u32,
    today: Date,
    part: usize,
    part_count: usize,
    index: String,
    candidates: Vec<&'a Candidate>,
    groups: Vec<GroupJson<'a>>,
}

/// One entry of `health.json`'s `parts`.
#[derive(Serialize)]
struct PartLink {
    url: String,
    groups: usize,
}

/// `health.json`.
fn first_part(
    site: &Site,
    health: &Health,
    paging: &Paging,
    candidates: Vec<&Candidate>,
    groups: Vec<GroupJson>,
) -> serde_json::Result<String> {
    #[derive(Serialize)]
    struct Doc<'a> {
        version: u32,
        today: Date,
        window_days: u32,
        window_from: Date,
        strip_weeks: usize,
        strip_from: Date,
        wg_inactive_days: u32,
        ig_inactive_days: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        group_count: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        candidate_count: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        parts: Option<Vec<PartLink>>,
        candidates: Vec<&'a Candidate>,
        groups: Vec<GroupJson<'a>>,
    }
    let gov = &site.config.governance;
    let paged = paging.is_paged();
    let parts = (1..=paging.count())
        .map(|n| PartLink {
            url: site.abs_url(&format!("/{}", Paging::json_file(n))),
            groups: paging.rows(n).len(),
        })
        .collect();
    let doc = Doc {
        version: 1,
        today: health.today,
        window_days: health.window_days,
        window_from: health.window_from,
        strip_weeks: strip::WEEKS,
        strip_from: strip::strip_from(health.today),
        wg_inactive_days: gov.wg_inactive_days,
        ig_inactive_days: gov.ig_inactive_days,
        group_count: paged.then_some(health.groups.len()),
        candidate_count: paged.then_some(health.counts.candidates),
        parts: paged.then_some(parts),
        candidates,
        groups,
    };
    serde_json::to_string_pretty(&doc)
}
