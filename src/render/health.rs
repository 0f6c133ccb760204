//! The community health page (`health/index.html`) and `health.json`.
//!
//! Takes: the [`Site`], the kept groups' [`Entries`], the run's findings and the
//! [`HealthCache`]. Gives: both files through [`Reuse`], keyed by every group's version (each row reads a group's page, and the
//! findings are a function of the pages). The figures are computed once, and only when one of
//! the files is made anew, through the [`HealthCache`]: only the groups whose page or findings
//! changed are worked out again.

use std::cell::OnceCell;

use super::cache::{Entries, Key};
use super::health_rows::HealthRows;
use super::html::base_context;
use super::reuse::Reuse;
use super::view;
use crate::diag::Diagnostics;
use crate::health::{self, Health, HealthCache};
use crate::model::Site;

/// What the health page keeps between renders: each group's figures and its row.
#[derive(Default)]
pub(super) struct HealthKept {
    figures: HealthCache,
    rows: HealthRows,
}

/// Renders `health/index.html` and `health.json`.
pub(super) fn files(
    out: &mut Reuse,
    site: &Site,
    site_view: &view::SiteView,
    entries: &Entries,
    findings: &Diagnostics,
    kept: &mut HealthKept,
) {
    let HealthKept {
        figures: cache,
        rows,
    } = kept;
    let figures: OnceCell<Health> = OnceCell::new();
    let mut cache = Some(cache);
    let mut computed = || {
        figures.get_or_init(|| {
            let cache = cache.take().expect("the figures are computed once");
            health::compute_with(site, findings, cache)
        })
    };
    let all_versions = || Key::Versions(entries.versions(|e| Some(e.version)));
    out.page("health.html", "health/index.html", all_versions(), || {
        let health = computed();
        let mut ctx = base_context(
            site_view,
            view::page_view(
                site,
                "/health/",
                "Community health".into(),
                "Meetings, notes, activity and open findings of every MCP group, for the people who decide on retirement.".into(),
                "",
            ),
        );
        let page = health::view::page_with_rows(site, health, |h| rows.row(h, health.today));
        rows.prune(health);
        ctx.insert("health", &page);
        ctx
    });
    out.file("health.json", all_versions(), || {
        health::json(site, computed())
    });
}
