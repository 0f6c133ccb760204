//! Each group's health kept between builds: `serve` rebuilds the health page whenever any group
//! changes, and working out every group's past meetings, figures, candidates and strip each
//! time would cost more than the rest of the rebuild.
//!
//! Takes: the [`Site`] and, per live group, the counts of its findings. Gives: the group's
//! [`GroupHealth`], made anew only when what it is made from changed ([`crate::memo`]'s rules).
//! A group's health is a function of its page (path and text: a group is built from its page
//! alone), of the counts of its own findings (kept in the key apart from the page, since they
//! can change when another group's page changes), and of the settings and `today` (the
//! environment: when it changes, everything kept is dropped).

use std::sync::Arc;

use jiff::civil::Date;

use super::GroupHealth;
use super::figures::FindingCounts;
use crate::config::SiteConfig;
use crate::memo::{Environment, Memo};
use crate::model::{Group, Site};
use crate::source::SourceFile;

/// A group's page and the counts of its findings.
type GroupKey = (SourceFile, FindingCounts);

/// The health of the groups of earlier builds, with what each was made from.
#[derive(Debug, Default)]
pub struct HealthCache {
    env: Environment<(SiteConfig, Date)>,
    groups: Memo<GroupKey, Arc<GroupHealth>>,
}

impl HealthCache {
    /// Drops everything when the settings or `today` changed since the last build.
    pub(super) fn start(&mut self, site: &Site) {
        let same =
            |(config, today): &(SiteConfig, Date)| *config == site.config && *today == site.today;
        if !self
            .env
            .unchanged(same, || (site.config.clone(), site.today))
        {
            self.groups.clear();
        }
    }

    /// The kept health of `g` with findings `counts`, if made from the same page and counts.
    pub(super) fn get(&self, g: &Group, counts: &FindingCounts) -> Option<Arc<GroupHealth>> {
        // Compared in place: copying every group's page to make its key would cost more than
        // the comparison on a rebuild where one group changed.
        let same = |(page, c): &GroupKey| *page == g.page.source && c == counts;
        self.groups.get_if(&g.slug, same).cloned()
    }

    /// Keeps `made`, the health of `g` with findings `counts`.
    pub(super) fn keep(&mut self, g: &Group, counts: FindingCounts, made: Arc<GroupHealth>) {
        let key = (g.page.source.clone(), counts);
        self.groups.keep(g.slug.clone(), key, made);
    }

    /// Keeps only the groups of the build just made.
    pub(super) fn prune(&mut self, site: &Site) {
        self.groups
            .prune(site.groups.iter().map(|g| g.slug.as_str()));
    }
}
