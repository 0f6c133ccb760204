//! The community health page (`health/index.html`) and `health.json`.
//!
//! Takes: the [`Site`], the kept groups' [`Entries`] and the run's findings. Gives: both files
//! through [`Reuse`], keyed by every group's version (each row reads a group's page, and the
//! findings are a function of the pages). The figures are computed once, and only when one of
//! the files is made anew.

use std::cell::OnceCell;

use super::cache::{Entries, Key};
use super::html::base_context;
use super::reuse::Reuse;
use super::view;
use crate::diag::Diagnostics;
use crate::health::{self, Health};
use crate::model::Site;

/// Renders `health/index.html` and `health.json`.
pub(super) fn files(
    out: &mut Reuse,
    site: &Site,
    site_view: &view::SiteView,
    entries: &Entries,
    findings: &Diagnostics,
) {
    let figures: OnceCell<Health> = OnceCell::new();
    let computed = || figures.get_or_init(|| health::compute(site, findings));
    let all_versions = || Key::Versions(entries.versions(|e| Some(e.version)));
    out.page("health.html", "health/index.html", all_versions(), || {
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
        ctx.insert("health", &health::view::page(site, computed()));
        ctx
    });
    out.file("health.json", all_versions(), || {
        health::json(site, computed())
    });
}
