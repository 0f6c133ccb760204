//! Other groups as a group's page names them (successor, predecessors, related groups, the
//! creation template's groups).
//!
//! Takes: a [`Group`] and the [`Site`]. Gives: [`GroupRef`]s, gathered in one [`Refs`] shape so
//! the render cache can key a group page on exactly the groups it names.

use serde::Serialize;

use super::words::status_label;
use crate::model::{Group, Site};

/// A reference to another group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupRef {
    /// The group's slug.
    pub slug: String,
    /// Site path of the group's page.
    pub url: String,
    /// "Authorization Interest Group"
    pub full_name: String,
    /// "Authorization IG"
    pub label: String,
    /// `ig` or `wg`.
    pub kind: String,
    /// `IG` or `WG`.
    pub kind_label: String,
    /// The lifecycle status, e.g. `active`.
    pub status: String,
    /// The status in words, e.g. "Active".
    pub status_label: String,
    /// True for a retired group.
    pub retired: bool,
}

/// What a page shows of `g` when it names it.
pub fn group_ref(g: &Group) -> GroupRef {
    GroupRef {
        slug: g.slug.clone(),
        url: g.url_path(),
        full_name: g.full_name(),
        label: g.short_label(),
        kind: g.kind.suffix().into(),
        kind_label: g.kind.label().into(),
        status: g.status().as_str().into(),
        status_label: status_label(g.status()).into(),
        retired: g.is_retired(),
    }
}

/// A reference to a slug; a group left out of this build (a draft) still gets a plain entry.
fn slug_ref(site: &Site, slug: &str) -> GroupRef {
    match site.group(slug) {
        Some(g) => group_ref(g),
        None => GroupRef {
            slug: slug.to_string(),
            url: format!("/groups/{slug}/"),
            full_name: slug.to_string(),
            label: slug.to_string(),
            kind: String::new(),
            kind_label: String::new(),
            status: String::new(),
            status_label: String::new(),
            retired: false,
        },
    }
}

/// References to other groups, as one group's page shows them. A group page reads other groups
/// through this only, so the references are part of what a kept page is checked against.
pub type PageRefs = Refs<GroupRef>;

/// What a group page shows of each group its page names, in one shape for every use
/// ([`Refs::of`] lists the names once, so every `Refs` of a group lists the same ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refs<T> {
    /// The group that carries on this one's work.
    pub successor: Option<T>,
    /// The groups whose work this one carries on.
    pub predecessors: Vec<T>,
    /// Related groups.
    pub related: Vec<T>,
    /// IG: groups with similar goals, as the creation template names them.
    pub similar_groups: Option<Vec<T>>,
    /// WG: the IG the use cases came from.
    pub origin_ig: Option<T>,
}

impl<T> Refs<T> {
    /// `f` of each slug `g`'s page names.
    pub fn of(g: &Group, mut f: impl FnMut(&str) -> T) -> Self {
        let fm = g.fm();
        let lc = &fm.lifecycle;
        let creation = fm.creation.as_ref().map(|c| c.get_ref());
        Refs {
            successor: lc.successor.as_ref().map(|s| f(s.get_ref())),
            predecessors: lc.predecessors.iter().map(|s| f(s.get_ref())).collect(),
            related: fm.related.iter().map(|s| f(s.get_ref())).collect(),
            similar_groups: creation.and_then(|c| {
                c.similar_groups
                    .as_ref()
                    .map(|v| v.iter().map(|s| f(s.get_ref())).collect())
            }),
            origin_ig: creation
                .and_then(|c| c.origin_ig.as_ref())
                .map(|s| f(s.get_ref())),
        }
    }
}

impl PageRefs {
    /// The references `g`'s page shows: each named group's [`group_ref`], or a plain entry for
    /// a slug that is not in this build (a draft).
    pub fn page(site: &Site, g: &Group) -> Self {
        Refs::of(g, |slug| slug_ref(site, slug))
    }
}
