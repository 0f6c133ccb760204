//! A group as the directory lists it: its card, its people, and the directory's sections.
//!
//! Takes: a [`Group`], the [`Site`] and the group's [`Expansion`] (for its next meeting).
//! Gives: [`GroupCard`] (also the head of the group page), [`Listed`] (what the directory sorts
//! and counts the cards by), [`PersonView`], [`SectionView`].

use serde::Serialize;

use super::expansion::Expansion;
use super::meetings::OccurrenceView;
use super::words::{DateView, capitalize, status_label};
use crate::agenda;
use crate::model::{Group, Site};
use crate::schema::{Kind, Person, PersonRole, Status};

/// A group as the directory lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupCard {
    /// The group's slug, e.g. `auth-ig`.
    pub slug: String,
    /// Site path: `/groups/auth-ig/`.
    pub url: String,
    /// The page's absolute URL.
    pub abs_url: String,
    /// `ig` or `wg`.
    pub kind: String,
    /// `IG` or `WG`.
    pub kind_label: String,
    /// `Interest Group` or `Working Group`.
    pub kind_name: String,
    /// The name without its kind, e.g. "Authorization".
    pub name: String,
    /// The name with its kind, e.g. "Authorization Interest Group".
    pub full_name: String,
    /// "Authorization IG"
    pub label: String,
    /// A short name people use, e.g. "FSIG".
    pub short_name: Option<String>,
    /// One line for the directory listing.
    pub summary: String,
    /// The lifecycle status, e.g. `active`.
    pub status: String,
    /// The status in words, e.g. "Active".
    pub status_label: String,
    /// True for a retired group.
    pub retired: bool,
    /// True for a draft page.
    pub draft: bool,
    /// The group's primary topic.
    pub topic: String,
    /// Discord channel name without `#`.
    pub channel: Option<String>,
    /// Where the channel link goes (the channel itself when its id is known).
    pub channel_url: Option<String>,
    /// True while the channel is still to be created.
    pub channel_pending: bool,
    /// The facilitators.
    pub facilitators: Vec<PersonView>,
    /// When the group meets, in words (the schedule, else the sources' cadence).
    pub meets: Option<String>,
    /// The next meeting that is not cancelled, from today.
    pub next: Option<OccurrenceView>,
    /// Lower-case words the directory filter matches against.
    pub search: String,
    /// Which directory section: `active`, `proposed`, `unknown` or `retired`.
    pub section: String,
}

/// What the directory and kind pages sort, count and pick a group's card by. Kept beside the
/// card's template value: the value alone shows the card, and at 100,000 groups the cards
/// themselves weigh some 90 MB more than this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The group's slug, e.g. `auth-ig`.
    pub slug: String,
    /// The name without its kind, as the card shows it.
    pub name: String,
    /// Interest or working group.
    pub kind: Kind,
    /// The lifecycle status.
    pub status: Status,
}

impl Listed {
    /// The group's card as the directory lists it.
    pub fn of(g: &Group) -> Self {
        Listed {
            slug: g.slug.clone(),
            name: g.name().to_string(),
            kind: g.kind,
            status: g.status(),
        }
    }

    /// The directory section the card is in ([`GroupCard::section`]).
    pub fn section(&self) -> &'static str {
        section_of(self.status)
    }
}

/// A facilitator, maintainer or sponsor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonView {
    /// The name to show: the recorded name, else `@handle`.
    pub name: String,
    /// GitHub handle, without `@`.
    pub github: Option<String>,
    /// `@handle` to show beside a recorded name (`none` when `name` is the handle already).
    pub handle: Option<String>,
    /// The GitHub profile.
    pub url: Option<String>,
    /// The organization the person works for.
    pub org: Option<String>,
    /// The person's Discord handle.
    pub discord: Option<String>,
    /// Since when the person has held the role.
    pub since: Option<DateView>,
    /// When the person's term ends.
    pub term_ends: Option<DateView>,
    /// `Lead` or `Facilitator` when the page says so.
    pub role: Option<String>,
}

/// A section of the directory.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView<'a> {
    /// The section's id, e.g. `active`.
    pub id: String,
    /// The section's heading.
    pub title: String,
    /// The sentence under the heading.
    pub intro: String,
    /// The groups' cards ([`GroupCard`]s), as Tera values.
    pub groups: Vec<&'a tera::Value>,
}

/// Sections in display order: id, title, intro.
pub const SECTIONS: &[(&str, &str, &str)] = &[
    (
        "active",
        "Active groups",
        "Chartered or approved groups that are meeting or working now.",
    ),
    (
        "proposed",
        "Proposed groups",
        "Proposals waiting for approval. Join the discussion in the creation channel.",
    ),
    (
        "unknown",
        "Groups of unconfirmed status",
        "The sources do not establish whether these groups are still running.",
    ),
    (
        "retired",
        "Retired groups",
        "Groups that have ended, with where their work went. Kept for the record.",
    ),
];

/// The directory section a status belongs to, in display order.
pub fn section_of(status: Status) -> &'static str {
    match status {
        Status::Active | Status::Approved => "active",
        Status::Proposed => "proposed",
        Status::Unknown => "unknown",
        Status::Retired => "retired",
    }
}

/// A group as the directory lists it; `exp` is the group's own [`Expansion`].
pub fn card(site: &Site, g: &Group, exp: &Expansion) -> GroupCard {
    let fm = g.fm();
    let (channel_url, _) = channel_link(site, g);
    let channel_url = channel_url.or_else(|| {
        g.channel()
            .map(|_| site.config.community.discord_invite.clone())
    });
    let facilitators: Vec<PersonView> = fm
        .facilitators
        .iter()
        .map(|p| person(p.get_ref()))
        .collect();
    let meets = if g.meetings.series.is_empty() {
        fm.facts.cadence.clone()
    } else {
        Some(
            g.meetings
                .series
                .iter()
                .map(|s| capitalize(&s.describe()))
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    let next = exp
        .upcoming()
        .iter()
        .find(|i| !matches!(i.status, agenda::ItemStatus::Cancelled { .. }))
        .map(|i| exp.view(i));
    let mut search = vec![
        g.slug.clone(),
        g.topic.clone(),
        g.name().to_string(),
        g.full_name(),
        fm.summary.get_ref().clone(),
    ];
    search.extend(fm.short_name.clone());
    search.extend(g.channel().map(str::to_string));
    search.extend(facilitators.iter().map(|p| p.name.clone()));
    GroupCard {
        slug: g.slug.clone(),
        url: g.url_path(),
        abs_url: site.abs_url(&g.url_path()),
        kind: g.kind.suffix().into(),
        kind_label: g.kind.label().into(),
        kind_name: g.kind.long_name().into(),
        name: g.name().to_string(),
        full_name: g.full_name(),
        label: g.short_label(),
        short_name: fm.short_name.clone(),
        summary: fm.summary.get_ref().clone(),
        status: g.status().as_str().into(),
        status_label: status_label(g.status()).into(),
        retired: g.is_retired(),
        draft: fm.draft,
        topic: g.topic.clone(),
        channel: g.channel().map(str::to_string),
        channel_url,
        channel_pending: fm.discord.as_ref().is_some_and(|d| d.get_ref().pending),
        facilitators,
        meets,
        next,
        search: search.join(" ").to_lowercase(),
        section: section_of(g.status()).into(),
    }
}

pub(super) fn person(p: &Person) -> PersonView {
    let github = p.github.as_ref().map(|h| h.get_ref().clone());
    PersonView {
        name: p
            .name
            .clone()
            .or_else(|| github.as_ref().map(|h| format!("@{h}")))
            .unwrap_or_else(|| "(name not recorded)".into()),
        url: github.as_ref().map(|h| format!("https://github.com/{h}")),
        handle: github
            .as_ref()
            .filter(|_| p.name.is_some())
            .map(|h| format!("@{h}")),
        github,
        org: p.org.clone(),
        discord: p.discord.clone(),
        since: p.since.map(|d| DateView::new(d.0)),
        term_ends: p.term_ends.as_ref().map(|d| DateView::new(d.get_ref().0)),
        role: p.role.map(|r| {
            match r {
                PersonRole::Facilitator => "Facilitator",
                PersonRole::Lead => "Lead",
            }
            .to_string()
        }),
    }
}

/// Where a group's channel link goes: the channel itself when its id is known, else the group's
/// own invite. `None` means "use the community invite".
pub(super) fn channel_link(site: &Site, g: &Group) -> (Option<String>, bool) {
    let Some(d) = &g.fm().discord else {
        return (None, false);
    };
    let d = d.get_ref();
    if let Some(id) = &d.channel_id {
        return (
            Some(format!(
                "https://discord.com/channels/{}/{}",
                site.config.community.discord_guild_id,
                id.get_ref()
            )),
            true,
        );
    }
    (d.invite.as_ref().map(|i| i.get_ref().clone()), false)
}

/// Does the group have meetings for its calendar feed (a schedule or a one-off meeting)?
pub fn has_feed(g: &Group) -> bool {
    !g.meetings.series.is_empty() || !g.meetings.one_offs.is_empty()
}
