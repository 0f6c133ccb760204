//! The group page: everything it shows besides the card and the meetings, and the page put
//! together.
//!
//! Takes: a [`Group`], its card, its [`Expansion`] and the [`PageRefs`] of the groups it names.
//! Gives: [`GroupPage`], one step per section of the page (lifecycle, Discord, links, creation
//! template, work, facts, people).

use serde::Serialize;

use super::card::{GroupCard, PersonView, channel_link, person};
use super::expansion::Expansion;
use super::meetings::{MeetingsView, meetings_view};
use super::refs::{GroupRef, PageRefs};
use super::words::{
    DateView, LinkView, approval_text, confidence_text, record_text, repo_link, retired_text,
    work_ref,
};
use crate::markdown::{self, TocEntry};
use crate::model::{Group, Site};
use crate::schema::{Date, Work, WorkMode};

/// Ids the group template uses; Markdown headings avoid them.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "top",
    "site-nav",
    "about",
    "contents",
    "people",
    "channel",
    "meetings",
    "schedule",
    "upcoming",
    "notes-archive",
    "subscribe",
    "creation",
    "work",
    "lifecycle",
    "links",
    "related",
    "facts",
    "footnotes",
];

/// Everything the group page shows.
#[derive(Debug, Clone, Serialize)]
pub struct GroupPage {
    /// The card's fields (name, kind, status, summary, facilitators…), flattened into the page.
    #[serde(flatten)]
    pub card: GroupCard,
    /// The lifecycle's dated events, by date.
    pub lifecycle: Vec<LifecycleEvent>,
    /// When, why and into what a retired group ended; `None` unless retired.
    pub retired_info: Option<RetiredView>,
    /// The groups whose work this one carries on.
    pub predecessors: Vec<GroupRef>,
    /// The maintainers involved with the group.
    pub maintainers: Vec<PersonView>,
    /// The sponsoring maintainers, by GitHub handle.
    pub sponsors: Vec<PersonView>,
    /// The group's Discord channel.
    pub discord: Option<DiscordView>,
    /// The group's tag on the community calendar.
    pub calendar_tag: Option<String>,
    /// The community calendar's page for that tag, when the settings name a calendar.
    pub calendar_tag_url: Option<String>,
    /// More calendar tags of the group.
    pub extra_tags: Vec<String>,
    /// Charter, repositories, notes index and website.
    pub links: LinksView,
    /// The answers to the creation template.
    pub creation: Option<CreationView>,
    /// A WG's work: mode, projects and items.
    pub work: Option<WorkView>,
    /// The date of the group's latest recorded activity.
    pub activity_last: Option<DateView>,
    /// Related groups.
    pub related: Vec<GroupRef>,
    /// Related efforts outside the MCP groups.
    pub related_external: Vec<LinkView>,
    /// Where the page's facts come from.
    pub facts: FactsView,
    /// The meetings section: schedules, upcoming meetings, notes archive.
    pub meetings: MeetingsView,
    /// The charter prose, sanitized HTML.
    pub body_html: String,
    /// The table of contents of the charter prose.
    pub toc: Vec<TocEntry>,
}

/// One entry of a group's lifecycle.
#[derive(Debug, Clone, Serialize)]
pub struct LifecycleEvent {
    /// `proposed`, `vote`, `approved`, `active`, `chartered`, `rechartered`, `vetoed`, `retired`.
    pub key: String,
    /// The event's label, e.g. "Approved".
    pub label: String,
    /// The event's date.
    pub date: DateView,
    /// A few words more (the approval path, the reason for retirement).
    pub detail: Option<String>,
    /// A link for the event (the proposal, the charter).
    pub url: Option<String>,
}

/// A retired group's end: when, why, and where its work went.
#[derive(Debug, Clone, Serialize)]
pub struct RetiredView {
    /// When the group was retired.
    pub date: Option<DateView>,
    /// The reason as written in front matter, e.g. `merged`.
    pub reason: Option<String>,
    /// The reason as a sentence fragment: "merged into another group".
    pub reason_text: Option<String>,
    /// The group that carries on the work.
    pub successor: Option<GroupRef>,
}

/// The group's Discord channel as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DiscordView {
    /// Channel name without `#`.
    pub channel: Option<String>,
    /// Where the channel link goes (the channel or an invite).
    pub url: Option<String>,
    /// True when `url` opens the channel itself rather than an invite.
    pub direct: bool,
    /// The channel's numeric id.
    pub channel_id: Option<String>,
    /// Why the channel does not follow `<topic>-<ig|wg>`.
    pub exception: Option<String>,
    /// Channels the group used before.
    pub legacy_channels: Vec<String>,
    /// The group's own invite link.
    pub invite: Option<String>,
    /// True while the channel is still to be created.
    pub pending: bool,
}

/// The group's links section.
#[derive(Debug, Clone, Serialize)]
pub struct LinksView {
    /// The charter URL.
    pub charter: Option<String>,
    /// The group's GitHub repositories.
    pub repos: Vec<LinkView>,
    /// Where all notes live.
    pub notes_index: Option<String>,
    /// The group's website or proposal page.
    pub website: Option<String>,
    /// True when any link is present, so the section is shown.
    pub any: bool,
}

/// The answers of the creation template.
#[derive(Debug, Clone, Serialize)]
pub struct CreationView {
    /// IG: `none` when not stated, an empty list when the answer was "none".
    pub similar_groups: Option<Vec<GroupRef>>,
    /// IG: how this IG differs from similar ones.
    pub differentiation: Option<String>,
    /// IG: the first topic to discuss.
    pub first_topic: Option<String>,
    /// WG: the interest and use cases.
    pub use_cases: Option<String>,
    /// WG: the IG the use cases came from.
    pub origin_ig: Option<GroupRef>,
    /// WG: the first Issue/PR/SEP, linked when it can be.
    pub first_item: Option<LinkView>,
}

/// One tracked SEP, issue or pull request.
#[derive(Debug, Clone, Serialize)]
pub struct WorkItemView {
    /// The item's reference, linked.
    pub reference: LinkView,
    /// The item's title.
    pub title: Option<String>,
    /// The item's status (`draft`, `merged`…).
    pub status: Option<String>,
    /// When the item last saw activity.
    pub last_activity: Option<DateView>,
    /// The creation template's first item.
    pub first: bool,
}

/// A WG's work section.
#[derive(Debug, Clone, Serialize)]
pub struct WorkView {
    /// `spec`, `maintenance` or `both`.
    pub mode: String,
    /// The mode in words.
    pub mode_text: String,
    /// Maintained projects, linked.
    pub projects: Vec<LinkView>,
    /// Tracked SEPs, issues and pull requests.
    pub items: Vec<WorkItemView>,
}

/// The facts section: provenance and how sure the sources are.
#[derive(Debug, Clone, Serialize)]
pub struct FactsView {
    /// `chartered`, `unchartered`, `proposed` or `historical`.
    pub record: Option<String>,
    /// The record in words.
    pub record_text: Option<String>,
    /// `high`, `medium` or `low`.
    pub confidence: Option<String>,
    /// The confidence in words.
    pub confidence_text: Option<String>,
    /// The meeting cadence in the sources' words.
    pub cadence: Option<String>,
    /// The usual meeting length, e.g. "60 minutes".
    pub duration_text: Option<String>,
    /// Where notes are kept, in words.
    pub notes: Option<String>,
    /// Where the sources disagree.
    pub conflicts: Vec<String>,
    /// The sources, linked when they are URLs.
    pub sources: Vec<LinkView>,
    /// True when any fact is present, so the section is shown.
    pub any: bool,
}

/// Everything the group page shows. The page reads other groups only through `refs`, so it is a
/// function of the group, `refs`, the settings and `site.today` (the render cache keys on
/// exactly these); `card` is [`card`](super::card())'s result, `exp` the group's
/// [`Expansion`] and `body` its page's Markdown body ([`crate::frontmatter::RawPage::body`]).
pub fn group_page(
    site: &Site,
    g: &Group,
    card: GroupCard,
    exp: &Expansion,
    refs: &PageRefs,
    body: &str,
) -> GroupPage {
    let fm = g.fm();
    let rendered = markdown::render_page(body, RESERVED_IDS);
    GroupPage {
        card,
        lifecycle: lifecycle(g),
        retired_info: retired_view(g, refs),
        predecessors: refs.predecessors.clone(),
        maintainers: fm.maintainers.iter().map(|p| person(p.get_ref())).collect(),
        sponsors: fm.sponsors.iter().map(|h| sponsor(h.get_ref())).collect(),
        discord: discord_view(site, g),
        calendar_tag: g.calendar_tag().map(str::to_string),
        calendar_tag_url: calendar_tag_url(site, g),
        extra_tags: fm.calendar.extra_tags.clone(),
        links: links_view(g),
        creation: creation_view(g, refs),
        work: fm.work.as_ref().map(|w| work_view(w.get_ref())),
        activity_last: fm
            .activity
            .last
            .as_ref()
            .map(|d| DateView::new(d.get_ref().0)),
        related: refs.related.clone(),
        related_external: fm
            .related_external
            .iter()
            .map(|e| LinkView {
                text: e.name.clone(),
                url: Some(e.url.get_ref().clone()),
            })
            .collect(),
        facts: facts_view(g),
        meetings: meetings_view(site, g, exp),
        body_html: rendered.html,
        toc: rendered.toc,
    }
}

/// The lifecycle's dated events, by date; ties keep the lifecycle's own order.
fn lifecycle(g: &Group) -> Vec<LifecycleEvent> {
    let fm = g.fm();
    let lc = &fm.lifecycle;
    let date = |d: &Option<crate::schema::Spanned<Date>>| d.as_ref().map(|d| d.get_ref().0);
    let vote = lc
        .vote_opened
        .as_ref()
        .map(|v| v.get_ref().0.to_zoned_datetime(jiff::tz::TimeZone::UTC));
    let reason = lc.retired_reason.as_ref().map(|r| *r.get_ref());
    let url = |u: &Option<crate::schema::Spanned<String>>| u.as_ref().map(|u| u.get_ref().clone());
    // Key, label, date, detail, link.
    let events = [
        (
            "proposed",
            "Proposed",
            date(&lc.proposed),
            None,
            url(&lc.proposal_url),
        ),
        (
            "vote",
            "Moderator vote opened",
            vote.as_ref().map(|z| z.date()),
            vote.as_ref()
                .map(|z| format!("at {} UTC", z.strftime("%H:%M"))),
            None,
        ),
        (
            "approved",
            "Approved",
            date(&lc.approved),
            lc.approval.map(|a| approval_text(a).to_string()),
            None,
        ),
        ("active", "Active", date(&lc.active), None, None),
        (
            "chartered",
            "Chartered",
            date(&lc.chartered),
            None,
            url(&fm.links.charter),
        ),
        (
            "rechartered",
            "Charter revised",
            date(&lc.rechartered),
            None,
            None,
        ),
        ("vetoed", "Vetoed", date(&lc.vetoed), None, None),
        (
            "retired",
            "Retired",
            date(&lc.retired),
            reason.map(|r| retired_text(r).to_string()),
            None,
        ),
    ];
    let mut lifecycle: Vec<LifecycleEvent> = events
        .into_iter()
        .filter_map(|(key, label, date, detail, url)| {
            Some(LifecycleEvent {
                key: key.into(),
                label: label.into(),
                date: DateView::new(date?),
                detail,
                url,
            })
        })
        .collect();
    // Stable: by date, ties keep the lifecycle's own order.
    lifecycle.sort_by(|a, b| a.date.iso.cmp(&b.date.iso));
    lifecycle
}

/// A retired group's end: when, why, and where its work went.
fn retired_view(g: &Group, refs: &PageRefs) -> Option<RetiredView> {
    let lc = &g.fm().lifecycle;
    let reason = lc.retired_reason.as_ref().map(|r| *r.get_ref());
    g.is_retired().then(|| RetiredView {
        date: lc.retired.as_ref().map(|d| DateView::new(d.get_ref().0)),
        reason: reason.map(|r| r.as_str().to_string()),
        reason_text: reason.map(|r| retired_text(r).to_string()),
        successor: refs.successor.clone(),
    })
}

/// A sponsor: only a GitHub handle is recorded.
fn sponsor(handle: &str) -> PersonView {
    PersonView {
        name: format!("@{handle}"),
        github: Some(handle.to_string()),
        handle: None,
        url: Some(format!("https://github.com/{handle}")),
        org: None,
        discord: None,
        since: None,
        term_ends: None,
        role: None,
    }
}

/// The group's Discord channel, with where its link goes.
fn discord_view(site: &Site, g: &Group) -> Option<DiscordView> {
    let (url, direct) = channel_link(site, g);
    g.fm().discord.as_ref().map(|d| {
        let d = d.get_ref();
        DiscordView {
            channel: d.channel.as_ref().map(|c| c.get_ref().clone()),
            url: url.clone(),
            direct,
            channel_id: d.channel_id.as_ref().map(|c| c.get_ref().clone()),
            exception: d.channel_exception.clone(),
            legacy_channels: d
                .legacy_channels
                .iter()
                .map(|c| c.get_ref().clone())
                .collect(),
            invite: d.invite.as_ref().map(|c| c.get_ref().clone()),
            pending: d.pending,
        }
    })
}

/// The community calendar's page of the group's tag, when the settings name a calendar.
fn calendar_tag_url(site: &Site, g: &Group) -> Option<String> {
    g.calendar_tag().and_then(|t| {
        let base = site.config.community.calendar_base.trim_end_matches('/');
        (!base.is_empty()).then(|| format!("{base}/tag/{t}"))
    })
}

fn links_view(g: &Group) -> LinksView {
    let l = &g.fm().links;
    let repos: Vec<LinkView> = l.repos.iter().map(|r| repo_link(r.get_ref())).collect();
    LinksView {
        any: l.charter.is_some()
            || !repos.is_empty()
            || l.notes_index.is_some()
            || l.website.is_some(),
        charter: l.charter.as_ref().map(|u| u.get_ref().clone()),
        repos,
        notes_index: l.notes_index.as_ref().map(|u| u.get_ref().clone()),
        website: l.website.as_ref().map(|u| u.get_ref().clone()),
    }
}

/// The answers of the creation template, with the groups they name.
fn creation_view(g: &Group, refs: &PageRefs) -> Option<CreationView> {
    let text = |s: &Option<crate::schema::Spanned<String>>| s.as_ref().map(|s| s.get_ref().clone());
    g.fm().creation.as_ref().map(|c| {
        let c = c.get_ref();
        CreationView {
            similar_groups: refs.similar_groups.clone(),
            differentiation: text(&c.differentiation),
            first_topic: text(&c.first_topic),
            use_cases: text(&c.use_cases),
            origin_ig: refs.origin_ig.clone(),
            first_item: c.first_item.as_ref().map(|s| work_ref(s.get_ref())),
        }
    })
}

/// A WG's work: its mode, projects and items.
fn work_view(w: &Work) -> WorkView {
    let mode = *w.mode.get_ref();
    WorkView {
        mode: match mode {
            WorkMode::Spec => "spec",
            WorkMode::Maintenance => "maintenance",
            WorkMode::Both => "both",
        }
        .into(),
        mode_text: match mode {
            WorkMode::Spec => "Specification work: SEPs and their implementation",
            WorkMode::Maintenance => "Maintenance of community projects",
            WorkMode::Both => "Specification work and maintenance of community projects",
        }
        .into(),
        projects: w.projects.iter().map(|p| repo_link(p.get_ref())).collect(),
        items: w
            .items
            .iter()
            .map(|i| {
                let i = i.get_ref();
                WorkItemView {
                    reference: work_ref(i.reference.get_ref()),
                    title: i.title.clone(),
                    status: i.status.as_ref().map(|s| s.get_ref().clone()),
                    last_activity: i
                        .last_activity
                        .as_ref()
                        .map(|d| DateView::new(d.get_ref().0)),
                    first: i.role.as_deref() == Some("first"),
                }
            })
            .collect(),
    }
}

/// What the sources say about the group, and how sure they are.
fn facts_view(g: &Group) -> FactsView {
    let f = &g.fm().facts;
    FactsView {
        any: f.record.is_some()
            || f.confidence.is_some()
            || f.cadence.is_some()
            || f.notes.is_some()
            || !f.conflicts.is_empty()
            || !f.sources.is_empty(),
        record_text: f.record.as_deref().map(record_text),
        record: f.record.clone(),
        confidence_text: f.confidence.as_deref().map(confidence_text),
        confidence: f.confidence.clone(),
        cadence: f.cadence.clone(),
        duration_text: f.duration.map(|m| format!("{m} minutes")),
        notes: f.notes.clone(),
        conflicts: f.conflicts.clone(),
        sources: f
            .sources
            .iter()
            .map(|s| LinkView {
                text: s.clone(),
                url: s.starts_with("https://").then(|| s.clone()),
            })
            .collect(),
    }
}
