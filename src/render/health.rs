//! The community health pages (`health/index.html`, then `health/2/index.html`, … when the
//! groups need several) and `health.json` (then `health/groups-2.json`, …).
//!
//! Takes: the [`Site`], the run's findings and what earlier renders kept ([`HealthKept`]).
//! Gives: every page and part through [`Reuse`], each keyed by the versions of the groups it
//! shows ([`super::health_keys`]), so a rebuild after one group changed makes again only the
//! page and part that show it (and every one when the totals or the number of pages change).
//! The figures are computed once per render, through the [`HealthCache`]: only the groups whose
//! page or findings changed are worked out again; the order of the rows, which decides what
//! each page holds, needs them all.

use super::health_keys::HealthVersions;
use super::health_rows::HealthRows;
use super::html::base_context;
use super::reuse::{Jobs, Reuse};
use super::view;
use crate::diag::Diagnostic;
use crate::health::{self, HealthCache, Paging};
use crate::model::Site;

/// What the health pages keep between renders: each group's figures, its row, and the versions
/// the pages were keyed by.
#[derive(Default)]
pub(super) struct HealthKept {
    figures: HealthCache,
    rows: HealthRows,
    versions: HealthVersions,
}

/// What every page says of itself.
const DESCRIPTION: &str = "Meetings, notes, activity and open findings of every MCP group, for the people who decide on retirement.";

/// Renders the health pages and the parts of `health.json`.
pub(super) fn files(
    out: &mut Reuse,
    site: &Site,
    site_view: &view::SiteView,
    findings: &[&Diagnostic],
    kept: &mut HealthKept,
) {
    let HealthKept {
        figures,
        rows,
        versions,
    } = kept;
    let health = health::compute_with(site, findings, figures);
    let paging = Paging::new(health.groups.len(), site.config.health.rows_per_page);
    let keys = versions.keys(&health, &paging);
    // With a cache that keeps pages, every row, made or kept, first: the pages then render on
    // every core. A plain build makes each row on its page instead, and holds only the rows of
    // the pages in flight (a row carries its 52-week strip: all of them would be the largest
    // thing the build holds).
    let values: Option<Vec<tera::Value>> = out.keeps().then(|| {
        (health.groups.iter())
            .map(|h| rows.row(h, health.today))
            .collect()
    });
    let (health, values) = (&health, &values);
    let mut jobs = Jobs::default();
    for n in 1..=paging.count() {
        let path = Paging::path(n);
        let paging = &paging;
        jobs.page(
            "health.html",
            &Paging::file(n),
            keys.page(paging, n),
            move || {
                let title = match paging.is_paged() {
                    false => "Community health".to_string(),
                    true => format!("Community health, page {n} of {}", paging.count()),
                };
                let page_view = view::page_view(site, &path, title, DESCRIPTION.into(), "");
                let mut ctx = base_context(site_view, page_view);
                match values {
                    Some(values) => {
                        let mut own = values[paging.rows(n)].iter();
                        let page = health::view::page_with_rows(site, health, paging, n, |_| {
                            own.next().expect("a value for every row").clone()
                        });
                        ctx.insert("health", &page);
                    }
                    None => ctx.insert("health", &health::view::page(site, health, paging, n)),
                }
                ctx
            },
        );
    }
    out.make(jobs);
    rows.prune(health);
    let mut parts = Jobs::default();
    for n in 1..=paging.count() {
        let paging = &paging;
        parts.file(&Paging::json_file(n), keys.part(paging, n), move || {
            health::json(site, health, paging, n)
        });
    }
    out.make(parts);
}
