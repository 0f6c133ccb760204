//! What each page of `/health/` and each part of `/health.json` is made from, as version numbers,
//! so that a rebuild makes again only the pages and parts whose groups changed.
//!
//! Takes: each build's [`Health`] and [`Paging`]. Gives: [`HealthKeys`], the [`Key`] of every
//! page and part. A group keeps its version while its [`GroupHealth`] is equal (the health cache
//! hands back the same `Arc` while the group's inputs are unchanged, so this is mostly a pointer
//! comparison); a row and a JSON record are functions of that health, the settings and `today`
//! (the render cache's environment, which drops every kept page when it changes). Besides its
//! rows, every page and part reads the totals and the number of pages (one version, `summary`),
//! and the first page the candidates it lists (the versions of their groups) and what it says
//! of the others (one version, `candidates`).

use std::collections::HashMap;
use std::sync::Arc;

use super::cache::Key;
use crate::health::view::{self, Counts, MoreCandidates};
use crate::health::{GroupHealth, Health, Paging};
use crate::memo::{Version, Versioned, Versions};

/// The versions of earlier builds, kept for the next.
#[derive(Default)]
pub(super) struct HealthVersions {
    versions: Versions,
    /// By slug.
    groups: HashMap<String, Versioned<Arc<GroupHealth>>>,
    summary: Option<Versioned<Summary>>,
    candidates: Option<Versioned<Listed>>,
}

/// What every page and part reads besides its rows.
#[derive(PartialEq)]
struct Summary {
    counts: Counts,
    pages: usize,
}

/// What the first page's list of candidates reads: the groups whose candidates it lists, and
/// what it says of the candidates it leaves out.
#[derive(PartialEq)]
struct Listed {
    groups: Vec<Version>,
    more: Option<MoreCandidates>,
}

/// The versions one build's pages and parts are made from.
pub(super) struct HealthKeys {
    summary: Version,
    candidates: Version,
    /// Of each live group, in the page's order.
    groups: Vec<Version>,
}

impl HealthVersions {
    /// The keys of this build's pages and parts; keeps the versions for the next build.
    pub(super) fn keys(&mut self, health: &Health, paging: &Paging) -> HealthKeys {
        let mut groups = HashMap::with_capacity(health.groups.len());
        let versions: Vec<Version> = health
            .groups
            .iter()
            .map(|h| {
                let old = self.groups.get(&h.slug);
                let v = self.versions.update(old, Arc::clone(h));
                let version = v.version;
                groups.insert(h.slug.clone(), v);
                version
            })
            .collect();
        self.groups = groups;
        let summary = Summary {
            counts: health.counts.clone(),
            pages: paging.count(),
        };
        let summary = self.versions.update(self.summary.as_ref(), summary);
        let (listed, more) = view::listed_candidate_groups(health, paging);
        let listed = Listed {
            groups: listed.into_iter().map(|i| versions[i]).collect(),
            more,
        };
        let listed = self.versions.update(self.candidates.as_ref(), listed);
        let keys = HealthKeys {
            summary: summary.version,
            candidates: listed.version,
            groups: versions,
        };
        self.summary = Some(summary);
        self.candidates = Some(listed);
        keys
    }
}

impl HealthKeys {
    /// Page `n` (from 1) of `/health/`: the totals, the first page's candidates, its rows.
    pub(super) fn page(&self, paging: &Paging, n: usize) -> Key {
        let first = (n == 1).then_some(self.candidates);
        Key::Versions(
            std::iter::once(self.summary)
                .chain(first)
                .chain(self.groups[paging.rows(n)].iter().copied())
                .collect(),
        )
    }

    /// Part `n` (from 1) of `/health.json`: the totals and its groups (whose candidates it
    /// lists).
    pub(super) fn part(&self, paging: &Paging, n: usize) -> Key {
        Key::Versions(
            std::iter::once(self.summary)
                .chain(self.groups[paging.rows(n)].iter().copied())
                .collect(),
        )
    }
}
