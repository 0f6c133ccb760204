//! View structs: what the templates see.
//!
//! Takes: the validated [`Site`] and its [`Group`]s. Gives: plain serializable structs, one per
//! thing a page shows, with every value already in the form a reader needs (dates in words and
//! in ISO form, links resolved, enums as words). Templates never see the model's `Spanned`
//! values, so a theme cannot come to depend on the front-matter layout, and every field is
//! always present (as `none` when unknown): Tera 2 treats an undefined variable as an error.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::agenda;
use crate::markdown::{self, TocEntry};
use crate::model::{Group, Site};
use crate::recur::{ExceptionKind, RecordKind, Series};
use crate::schema::{Approval, MeetingStatus, Person, PersonRole, RetiredReason, Status, WorkMode};

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

/// Site-wide values every page gets as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub lang: String,
    pub discord_invite: String,
    pub governance_url: String,
    pub calendar_base: String,
    pub creation_channel: String,
    /// Absolute URL of the Atom feed.
    pub feed_url: String,
    /// The aggregate calendar feed, in the forms subscribers need.
    pub calendar: FeedLinks,
    /// "Today" as the build resolved it (ISO date).
    pub today: String,
}

/// A calendar feed's URL in every form a client wants.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLinks {
    /// `https://…/calendar.ics`
    pub https: String,
    /// `webcal://…/calendar.ics`
    pub webcal: String,
    /// Google Calendar's "add by URL" link.
    pub google: String,
}

impl FeedLinks {
    pub fn new(https: String) -> Self {
        let webcal = match https.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => https.clone(),
        };
        let google = format!(
            "https://calendar.google.com/calendar/render?cid={}",
            percent_encode(&webcal)
        );
        FeedLinks {
            https,
            webcal,
            google,
        }
    }
}

/// What one HTML page is, for `<title>`, canonical links and navigation.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// Site path, e.g. `/groups/auth-ig/`.
    pub path: String,
    /// Absolute URL.
    pub url: String,
    pub title: String,
    pub description: String,
    /// Which top navigation entry is current: `home`, `ig`, `wg`, `calendar` or empty.
    pub nav: String,
}

/// A date in both machine and reader form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateView {
    /// `2026-08-17`
    pub iso: String,
    /// `17 August 2026`
    pub text: String,
}

impl DateView {
    pub fn new(d: jiff::civil::Date) -> Self {
        DateView {
            iso: d.to_string(),
            text: d.strftime("%-d %B %Y").to_string(),
        }
    }
}

/// A link with its text.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub text: String,
    /// `none` when the value is words, not a link.
    pub url: Option<String>,
}

/// A facilitator, maintainer or sponsor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonView {
    /// The name to show: the recorded name, else `@handle`.
    pub name: String,
    pub github: Option<String>,
    /// `@handle` to show beside a recorded name (`none` when `name` is the handle already).
    pub handle: Option<String>,
    /// The GitHub profile.
    pub url: Option<String>,
    pub org: Option<String>,
    pub discord: Option<String>,
    pub since: Option<DateView>,
    pub term_ends: Option<DateView>,
    /// `Lead` or `Facilitator` when the page says so.
    pub role: Option<String>,
}

/// A reference to another group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupRef {
    pub slug: String,
    pub url: String,
    /// "Authorization Interest Group"
    pub full_name: String,
    /// "Authorization IG"
    pub label: String,
    pub kind: String,
    pub kind_label: String,
    pub status: String,
    pub status_label: String,
    pub retired: bool,
}

/// A group as the directory lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupCard {
    pub slug: String,
    /// Site path: `/groups/auth-ig/`.
    pub url: String,
    pub abs_url: String,
    /// `ig` or `wg`.
    pub kind: String,
    /// `IG` or `WG`.
    pub kind_label: String,
    /// `Interest Group` or `Working Group`.
    pub kind_name: String,
    pub name: String,
    pub full_name: String,
    /// "Authorization IG"
    pub label: String,
    pub short_name: Option<String>,
    pub summary: String,
    pub status: String,
    pub status_label: String,
    pub retired: bool,
    pub draft: bool,
    pub topic: String,
    /// Discord channel name without `#`.
    pub channel: Option<String>,
    /// Where the channel link goes (the channel itself when its id is known).
    pub channel_url: Option<String>,
    pub channel_pending: bool,
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

/// One entry of a group's lifecycle.
#[derive(Debug, Clone, Serialize)]
pub struct LifecycleEvent {
    /// `proposed`, `vote`, `approved`, `active`, `chartered`, `rechartered`, `vetoed`, `retired`.
    pub key: String,
    pub label: String,
    pub date: DateView,
    /// A few words more (the approval path, the reason for retirement).
    pub detail: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RetiredView {
    pub date: Option<DateView>,
    pub reason: Option<String>,
    /// The reason as a sentence fragment: "merged into another group".
    pub reason_text: Option<String>,
    pub successor: Option<GroupRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiscordView {
    pub channel: Option<String>,
    pub url: Option<String>,
    /// True when `url` opens the channel itself rather than an invite.
    pub direct: bool,
    pub channel_id: Option<String>,
    pub exception: Option<String>,
    pub legacy_channels: Vec<String>,
    pub invite: Option<String>,
    pub pending: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinksView {
    pub charter: Option<String>,
    pub repos: Vec<LinkView>,
    pub notes_index: Option<String>,
    pub website: Option<String>,
    pub any: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CreationView {
    /// IG: `none` when not stated, an empty list when the answer was "none".
    pub similar_groups: Option<Vec<GroupRef>>,
    pub differentiation: Option<String>,
    pub first_topic: Option<String>,
    pub use_cases: Option<String>,
    pub origin_ig: Option<GroupRef>,
    pub first_item: Option<LinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkItemView {
    pub reference: LinkView,
    pub title: Option<String>,
    pub status: Option<String>,
    pub last_activity: Option<DateView>,
    /// The creation template's first item.
    pub first: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkView {
    pub mode: String,
    pub mode_text: String,
    pub projects: Vec<LinkView>,
    pub items: Vec<WorkItemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FactsView {
    pub record: Option<String>,
    pub record_text: Option<String>,
    pub confidence: Option<String>,
    pub confidence_text: Option<String>,
    pub cadence: Option<String>,
    pub duration_text: Option<String>,
    pub notes: Option<String>,
    pub conflicts: Vec<String>,
    pub sources: Vec<LinkView>,
    pub any: bool,
}

/// One recurring series, described.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleView {
    pub id: String,
    pub title: String,
    /// "Weekly on Wednesday at 13:00 America/Los_Angeles time, 60 minutes".
    pub words: String,
    pub tz: String,
    pub location: Option<String>,
    /// Cancelled and moved occurrences, as listed in front matter.
    pub exceptions: Vec<ExceptionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExceptionView {
    pub date: DateView,
    /// `cancel` or `move`.
    pub action: String,
    pub reason: String,
    /// For a move: the new local start, in the series' zone.
    pub to: Option<String>,
}

/// A past meeting in the notes archive.
#[derive(Debug, Clone, Serialize)]
pub struct RecordView {
    pub date: DateView,
    pub title: Option<String>,
    /// When it was, in the group's zone (`none` for records without a time).
    pub when: Option<String>,
    /// `held` or `cancelled`.
    pub status: String,
    pub reason: Option<String>,
    pub notes: Option<String>,
    pub agenda: Option<String>,
    pub recording: Option<String>,
    #[serde(skip)]
    sort_key: String,
}

/// One meeting of a group: an occurrence of a series or a one-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OccurrenceView {
    /// The group's slug.
    pub group: String,
    /// The series id; `none` for a one-off meeting.
    pub series_id: Option<String>,
    pub title: String,
    /// `2026-12-02T17:00:00Z`: for `<time datetime>` and scripts.
    pub start_utc: String,
    pub end_utc: String,
    /// `2026-12-02T09:00:00-08:00`: the same instant in the group's zone.
    pub start_local: String,
    pub end_local: String,
    /// The group's IANA zone.
    pub tz: String,
    /// The local date, in the group's zone.
    pub date: DateView,
    /// "Wednesday 2 December 2026, 09:00–09:45 PST (America/Los_Angeles)"
    pub text: String,
    /// `scheduled`, `cancelled` or `moved`.
    pub status: String,
    pub reason: Option<String>,
    /// For a moved meeting: where the rule had put it, local.
    pub moved_from: Option<String>,
    /// A proposed group's meeting: it may not happen.
    pub tentative: bool,
    pub notes: Option<String>,
    pub agenda: Option<String>,
    pub recording: Option<String>,
    pub location: Option<String>,
}

/// A meeting on the agenda, with its group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaEntry {
    pub group: GroupRef,
    pub meeting: OccurrenceView,
}

/// Everything about a group's meetings.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingsView {
    pub schedules: Vec<ScheduleView>,
    /// The sources' words when no exact schedule is known.
    pub cadence: Option<String>,
    /// The next meetings from today, cancelled and moved ones included.
    pub upcoming: Vec<OccurrenceView>,
    /// The most recent past meetings, newest first.
    pub archive: Vec<RecordView>,
    /// Older past meetings, newest first.
    pub archive_older: Vec<RecordView>,
    /// The group has a schedule or a one-off meeting (something in its feed).
    pub has_meetings: bool,
    /// The group's own feed. Every group has one, so subscribers also get meetings scheduled
    /// later.
    pub feed: FeedLinks,
}

/// Everything the group page shows.
#[derive(Debug, Clone, Serialize)]
pub struct GroupPage {
    #[serde(flatten)]
    pub card: GroupCard,
    pub lifecycle: Vec<LifecycleEvent>,
    pub retired_info: Option<RetiredView>,
    pub predecessors: Vec<GroupRef>,
    pub maintainers: Vec<PersonView>,
    pub sponsors: Vec<PersonView>,
    pub discord: Option<DiscordView>,
    pub calendar_tag: Option<String>,
    pub calendar_tag_url: Option<String>,
    pub extra_tags: Vec<String>,
    pub links: LinksView,
    pub creation: Option<CreationView>,
    pub work: Option<WorkView>,
    pub activity_last: Option<DateView>,
    pub related: Vec<GroupRef>,
    pub related_external: Vec<LinkView>,
    pub facts: FactsView,
    pub meetings: MeetingsView,
    /// The charter prose, sanitized HTML.
    pub body_html: String,
    pub toc: Vec<TocEntry>,
}

/// A section of the directory.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView<'a> {
    pub id: String,
    pub title: String,
    pub intro: String,
    /// The groups' cards ([`GroupCard`]s), as Tera values.
    pub groups: Vec<&'a tera::Value>,
}

pub fn site_view(site: &Site) -> SiteView {
    let c = &site.config;
    SiteView {
        title: c.title.clone(),
        description: c.description.clone(),
        base_url: c.base_url.clone(),
        lang: c.language.clone(),
        discord_invite: c.community.discord_invite.clone(),
        governance_url: c.community.governance_url.clone(),
        calendar_base: c.community.calendar_base.clone(),
        creation_channel: c.community.creation_channel.clone(),
        feed_url: site.abs_url("/atom.xml"),
        calendar: FeedLinks::new(site.abs_url("/calendar.ics")),
        today: site.today.to_string(),
    }
}

pub fn page_view(
    site: &Site,
    path: &str,
    title: String,
    description: String,
    nav: &str,
) -> PageView {
    PageView {
        path: path.to_string(),
        url: site.abs_url(path),
        title,
        description,
        nav: nav.to_string(),
    }
}

pub fn status_label(status: Status) -> &'static str {
    match status {
        Status::Proposed => "Proposed",
        Status::Approved => "Approved",
        Status::Active => "Active",
        Status::Retired => "Retired",
        Status::Unknown => "Status unknown",
    }
}

/// The directory section a status belongs to, in display order.
pub fn section_of(status: Status) -> &'static str {
    match status {
        Status::Active | Status::Approved => "active",
        Status::Proposed => "proposed",
        Status::Unknown => "unknown",
        Status::Retired => "retired",
    }
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

fn person(p: &Person) -> PersonView {
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

/// Where a group's channel link goes: the channel itself when its id is known, else the group's
/// own invite. `None` means "use the community invite".
fn channel_link(site: &Site, g: &Group) -> (Option<String>, bool) {
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
        .map(|i| occurrence_view(i, &exp.records));
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

/// Does the group have meetings for its calendar feed (a schedule or a one-off meeting)?
pub fn has_feed(g: &Group) -> bool {
    !g.meetings.series.is_empty() || !g.meetings.one_offs.is_empty()
}

/// Everything the group page shows. The page reads other groups only through `refs`, so it is a
/// function of the group, `refs`, the settings and `site.today` (the render cache keys on
/// exactly these); `card` is [`card`]'s result and `exp` the group's [`Expansion`].
pub fn group_page(
    site: &Site,
    g: &Group,
    card: GroupCard,
    exp: &Expansion,
    refs: &PageRefs,
) -> GroupPage {
    let fm = g.fm();
    let lc = &fm.lifecycle;

    let mut lifecycle = Vec::new();
    let mut push = |key: &str,
                    label: &str,
                    date: Option<jiff::civil::Date>,
                    detail: Option<String>,
                    url: Option<String>| {
        if let Some(d) = date {
            lifecycle.push(LifecycleEvent {
                key: key.into(),
                label: label.into(),
                date: DateView::new(d),
                detail,
                url,
            });
        }
    };
    push(
        "proposed",
        "Proposed",
        lc.proposed.as_ref().map(|d| d.get_ref().0),
        None,
        lc.proposal_url.as_ref().map(|u| u.get_ref().clone()),
    );
    if let Some(v) = &lc.vote_opened {
        let ts = v.get_ref().0;
        let utc = ts.to_zoned_datetime(jiff::tz::TimeZone::UTC);
        push(
            "vote",
            "Moderator vote opened",
            Some(utc.date()),
            Some(format!("at {} UTC", utc.strftime("%H:%M"))),
            None,
        );
    }
    push(
        "approved",
        "Approved",
        lc.approved.as_ref().map(|d| d.get_ref().0),
        lc.approval.map(|a| approval_text(a).to_string()),
        None,
    );
    push(
        "active",
        "Active",
        lc.active.as_ref().map(|d| d.get_ref().0),
        None,
        None,
    );
    push(
        "chartered",
        "Chartered",
        lc.chartered.as_ref().map(|d| d.get_ref().0),
        None,
        fm.links.charter.as_ref().map(|u| u.get_ref().clone()),
    );
    push(
        "rechartered",
        "Charter revised",
        lc.rechartered.as_ref().map(|d| d.get_ref().0),
        None,
        None,
    );
    push(
        "vetoed",
        "Vetoed",
        lc.vetoed.as_ref().map(|d| d.get_ref().0),
        None,
        None,
    );
    let reason = lc.retired_reason.as_ref().map(|r| *r.get_ref());
    push(
        "retired",
        "Retired",
        lc.retired.as_ref().map(|d| d.get_ref().0),
        reason.map(|r| retired_text(r).to_string()),
        None,
    );
    // Stable: by date, ties keep the lifecycle's own order.
    lifecycle.sort_by(|a, b| a.date.iso.cmp(&b.date.iso));

    let retired_info = g.is_retired().then(|| RetiredView {
        date: lc.retired.as_ref().map(|d| DateView::new(d.get_ref().0)),
        reason: reason.map(|r| r.as_str().to_string()),
        reason_text: reason.map(|r| retired_text(r).to_string()),
        successor: refs.successor.clone(),
    });

    let (url, direct) = channel_link(site, g);
    let discord = fm.discord.as_ref().map(|d| {
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
    });

    let calendar_tag = g.calendar_tag().map(str::to_string);
    let calendar_tag_url = calendar_tag.as_ref().and_then(|t| {
        let base = site.config.community.calendar_base.trim_end_matches('/');
        (!base.is_empty()).then(|| format!("{base}/tag/{t}"))
    });

    let l = &fm.links;
    let repos: Vec<LinkView> = l.repos.iter().map(|r| repo_link(r.get_ref())).collect();
    let links = LinksView {
        any: l.charter.is_some()
            || !repos.is_empty()
            || l.notes_index.is_some()
            || l.website.is_some(),
        charter: l.charter.as_ref().map(|u| u.get_ref().clone()),
        repos,
        notes_index: l.notes_index.as_ref().map(|u| u.get_ref().clone()),
        website: l.website.as_ref().map(|u| u.get_ref().clone()),
    };

    let creation = fm.creation.as_ref().map(|c| {
        let c = c.get_ref();
        CreationView {
            similar_groups: refs.similar_groups.clone(),
            differentiation: c.differentiation.as_ref().map(|s| s.get_ref().clone()),
            first_topic: c.first_topic.as_ref().map(|s| s.get_ref().clone()),
            use_cases: c.use_cases.as_ref().map(|s| s.get_ref().clone()),
            origin_ig: refs.origin_ig.clone(),
            first_item: c.first_item.as_ref().map(|s| work_ref(s.get_ref())),
        }
    });

    let work = fm.work.as_ref().map(|w| {
        let w = w.get_ref();
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
    });

    let f = &fm.facts;
    let facts = FactsView {
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
    };

    let rendered = markdown::render_page(&g.page.body, RESERVED_IDS);

    GroupPage {
        card,
        lifecycle,
        retired_info,
        predecessors: refs.predecessors.clone(),
        maintainers: fm.maintainers.iter().map(|p| person(p.get_ref())).collect(),
        sponsors: fm
            .sponsors
            .iter()
            .map(|h| {
                let h = h.get_ref();
                PersonView {
                    name: format!("@{h}"),
                    github: Some(h.clone()),
                    handle: None,
                    url: Some(format!("https://github.com/{h}")),
                    org: None,
                    discord: None,
                    since: None,
                    term_ends: None,
                    role: None,
                }
            })
            .collect(),
        discord,
        calendar_tag,
        calendar_tag_url,
        extra_tags: fm.calendar.extra_tags.clone(),
        links,
        creation,
        work,
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
        facts,
        meetings: meetings_view(site, g, exp),
        body_html: rendered.html,
        toc: rendered.toc,
    }
}

fn meetings_view(site: &Site, g: &Group, exp: &Expansion) -> MeetingsView {
    let fm = g.fm();
    let records = &exp.records;

    // Next meetings: every series and one-off, from the start of "today" (UTC).
    let upcoming: Vec<OccurrenceView> = exp
        .upcoming()
        .iter()
        .take(site.config.calendar.upcoming_per_group)
        .map(|i| occurrence_view(i, records))
        .collect();

    // Past meetings, newest first: every occurrence before today, and records of meetings the
    // schedules do not cover.
    let mut archive: Vec<RecordView> = exp
        .past()
        .iter()
        .map(|i| occurrence_view(i, records))
        .map(|o| RecordView {
            date: o.date.clone(),
            // With one schedule every title would be the same; one-offs keep theirs.
            title: (g.meetings.series.len() > 1 || o.series_id.is_none()).then(|| o.title.clone()),
            when: Some(o.text.clone()),
            status: match o.status.as_str() {
                "cancelled" => "cancelled",
                _ => "held",
            }
            .into(),
            reason: o.reason.clone(),
            notes: o.notes.clone(),
            agenda: o.agenda.clone(),
            recording: o.recording.clone(),
            sort_key: o.start_utc.clone(),
        })
        .collect();
    for &i in &records.loose {
        let m = fm.meetings[i].get_ref();
        let date = m.date.get_ref().0;
        if date > site.today {
            continue;
        }
        archive.push(RecordView {
            date: DateView::new(date),
            title: m.title.clone(),
            when: None,
            status: match m.status {
                Some(MeetingStatus::Cancelled) => "cancelled",
                _ => "held",
            }
            .into(),
            reason: m.reason.clone(),
            notes: m.notes.as_ref().map(|u| u.get_ref().clone()),
            agenda: m.agenda.as_ref().map(|u| u.get_ref().clone()),
            recording: m.recording.as_ref().map(|u| u.get_ref().clone()),
            sort_key: format!("{date}T00:00:00Z"),
        });
    }
    archive.sort_by(|a, b| b.sort_key.cmp(&a.sort_key));
    let older = if archive.len() > ARCHIVE_RECENT {
        archive.split_off(ARCHIVE_RECENT)
    } else {
        Vec::new()
    };

    MeetingsView {
        schedules: g
            .meetings
            .series
            .iter()
            .map(|s| ScheduleView {
                id: s.id.clone(),
                title: series_title(g, s),
                words: capitalize(&s.describe()),
                tz: s.tz_name.clone(),
                location: s.location.clone(),
                exceptions: s
                    .exceptions
                    .iter()
                    .filter(|e| e.original.date() >= site.today)
                    .map(|e| {
                        let (action, reason, to) = match &e.kind {
                            ExceptionKind::Cancel { reason } => ("cancel", reason.clone(), None),
                            ExceptionKind::Move { to, reason, .. } => (
                                "move",
                                reason.clone(),
                                Some(to.strftime("%A %-d %B %Y, %H:%M").to_string()),
                            ),
                        };
                        ExceptionView {
                            date: DateView::new(e.original.date()),
                            action: action.into(),
                            reason,
                            to,
                        }
                    })
                    .collect(),
            })
            .collect(),
        cadence: fm.facts.cadence.clone(),
        upcoming,
        archive,
        archive_older: older,
        has_meetings: has_feed(g),
        feed: FeedLinks::new(site.abs_url(&format!("{}calendar.ics", g.url_path()))),
    }
}

/// How many past meetings a group page lists before "older meetings".
const ARCHIVE_RECENT: usize = 12;

/// The start of `site.today` in UTC: "upcoming" means from here on.
pub fn today_start(site: &Site) -> Timestamp {
    site.today
        .to_zoned_datetime(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// How far ahead "next meetings" look: far enough for several monthly meetings, and bounded,
/// since an open-ended series has no last occurrence to stop at.
fn next_limit(site: &Site) -> Timestamp {
    let days = i64::from(site.config.calendar.horizon_days).max(400);
    today_start(site)
        .checked_add(jiff::SignedDuration::from_hours(24 * days))
        .unwrap_or(Timestamp::MAX)
}

fn series_title(g: &Group, s: &Series) -> String {
    s.title
        .clone()
        .unwrap_or_else(|| format!("{} meeting", g.short_label()))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A group's `[[meetings]]` records, by the meeting they record.
struct RecordIndex {
    /// (series id, original local date) → record index.
    by_occurrence: BTreeMap<(String, civil::Date), usize>,
    /// Records no series occurrence or one-off covers (notes of meetings without a schedule).
    loose: Vec<usize>,
}

impl RecordIndex {
    fn of(g: &Group) -> Self {
        let mut by_occurrence = BTreeMap::new();
        let mut loose = Vec::new();
        for r in &g.meetings.records {
            match &r.kind {
                RecordKind::Occurrence {
                    series_id,
                    occurrence: Some(o),
                } => {
                    by_occurrence.insert((series_id.clone(), o.original_start.date()), r.index);
                }
                RecordKind::OneOff { .. } => {}
                _ => loose.push(r.index),
            }
        }
        RecordIndex {
            by_occurrence,
            loose,
        }
    }
}

/// One group's meetings, expanded once per build and sliced for its card, its page and the
/// agenda: series and one-offs together, in start order, from the first one up to the end of the
/// longest window any page looks at. This is the one expansion (`crate::agenda`) that the
/// feeds, `meetings.json` and `mcpsite meetings` also read, so every page agrees with them.
///
/// Expanding `[from, to)` gives exactly the items of a wider expansion that start in
/// `[from, to)`, in the same order (each item is kept or dropped on its own start, and the
/// order is a stable sort on the start, the group and the id), so slicing this one expansion
/// equals expanding each window separately.
pub struct Expansion<'a> {
    items: Vec<agenda::AgendaItem<'a>>,
    records: RecordIndex,
    /// Where "upcoming" starts and ends (see [`today_start`], [`next_limit`]).
    today: Timestamp,
    next_limit: Timestamp,
}

impl<'a> Expansion<'a> {
    /// Expands `g` up to `until` (at least up to the end of its "next meetings").
    pub fn of(site: &Site, g: &'a Group, until: Timestamp) -> Self {
        let today = today_start(site);
        let next_limit = next_limit(site);
        let items = agenda::expand(std::iter::once(g), Timestamp::MIN, until.max(next_limit));
        Expansion {
            items,
            records: RecordIndex::of(g),
            today,
            next_limit,
        }
    }

    /// The items starting in `[from, to)`.
    pub fn between(&self, from: Timestamp, to: Timestamp) -> &[agenda::AgendaItem<'a>] {
        let start = |t: Timestamp| {
            self.items
                .partition_point(|i| i.start.timestamp() < t)
                .min(self.items.len())
        };
        let (a, b) = (start(from), start(to));
        if a < b { &self.items[a..b] } else { &[] }
    }

    /// Meetings before today, oldest first.
    fn past(&self) -> &[agenda::AgendaItem<'a>] {
        self.between(Timestamp::MIN, self.today)
    }

    /// The next meetings, from the start of today.
    fn upcoming(&self) -> &[agenda::AgendaItem<'a>] {
        self.between(self.today, self.next_limit)
    }

    /// A meeting of this group on a page: see [`occurrence_view`].
    pub fn view(&self, item: &agenda::AgendaItem) -> OccurrenceView {
        occurrence_view(item, &self.records)
    }
}

fn occurrence_view(item: &agenda::AgendaItem, records: &RecordIndex) -> OccurrenceView {
    let g = item.group;
    let (start, end) = (&item.start, &item.end);
    let tz = start.time_zone().iana_name().unwrap_or("UTC").to_string();
    let mut text = format!(
        "{}–{}",
        start.strftime("%A %-d %B %Y, %H:%M"),
        end.strftime("%H:%M")
    );
    if end.date() != start.date() {
        text.push_str(" (next day)");
    }
    text.push_str(&format!(" {} ({tz})", start.strftime("%Z")));
    let (status, reason, moved_from) = match &item.status {
        agenda::ItemStatus::Scheduled => ("scheduled", None, None),
        agenda::ItemStatus::Cancelled { reason } => (
            "cancelled",
            Some(reason.clone()).filter(|r| !r.is_empty()),
            None,
        ),
        agenda::ItemStatus::Moved {
            reason,
            original_start,
        } => (
            "moved",
            Some(reason.clone()),
            Some(
                original_start
                    .parse::<civil::DateTime>()
                    .map(|d| d.strftime("%A %-d %B %Y, %H:%M").to_string())
                    .unwrap_or_else(|_| original_start.clone()),
            ),
        ),
    };
    let is_series = g.meetings.series.iter().any(|s| s.id == item.id);
    // The record of this meeting, for what the expansion does not carry (the recording).
    let record = if is_series {
        let original = match &item.status {
            agenda::ItemStatus::Moved { original_start, .. } => original_start
                .parse::<civil::DateTime>()
                .map(|d| d.date())
                .unwrap_or(start.date()),
            _ => start.date(),
        };
        records
            .by_occurrence
            .get(&(item.id.clone(), original))
            .map(|&i| g.fm().meetings[i].get_ref())
    } else {
        g.meetings
            .one_offs
            .iter()
            .find(|o| o.id == item.id)
            .and_then(|o| g.fm().meetings.get(o.record))
            .map(|m| m.get_ref())
    };
    OccurrenceView {
        group: g.slug.clone(),
        series_id: is_series.then(|| item.id.clone()),
        title: item.title.clone(),
        start_utc: utc_rfc3339(start.timestamp()),
        end_utc: utc_rfc3339(end.timestamp()),
        start_local: start.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        end_local: end.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        tz,
        date: DateView::new(start.date()),
        text,
        status: status.into(),
        reason,
        moved_from,
        tentative: item.tentative,
        notes: item.notes_url.clone(),
        agenda: item
            .agenda_url
            .clone()
            .or_else(|| record.and_then(|r| r.agenda.as_ref().map(|u| u.get_ref().clone()))),
        recording: record.and_then(|r| r.recording.as_ref().map(|u| u.get_ref().clone())),
        location: item.location.clone(),
    }
}

/// `2026-12-02T17:00:00Z`
pub fn utc_rfc3339(ts: Timestamp) -> String {
    ts.to_zoned_datetime(TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// References to other groups, as one group's page shows them. A group page reads other groups
/// through this only, so the references are part of what a kept page is checked against.
pub type PageRefs = Refs<GroupRef>;

/// What a group page shows of each group its page names, in one shape for every use
/// ([`Refs::of`] lists the names once, so every `Refs` of a group lists the same ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refs<T> {
    pub successor: Option<T>,
    pub predecessors: Vec<T>,
    pub related: Vec<T>,
    pub similar_groups: Option<Vec<T>>,
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

fn approval_text(a: Approval) -> &'static str {
    match a {
        Approval::ModeratorVote => "by a moderator vote",
        Approval::Sponsorship => "by Core Maintainer sponsorship",
        Approval::Legacy => "existing group, recognised when the rules were adopted",
    }
}

fn retired_text(r: RetiredReason) -> &'static str {
    match r {
        RetiredReason::Inactive => "no longer active",
        RetiredReason::Completed => "its work is complete",
        RetiredReason::Merged => "merged into another group",
        RetiredReason::Converted => "converted into another kind of group",
        RetiredReason::Superseded => "superseded by another group",
        RetiredReason::Decision => "retired by decision of the maintainers",
        RetiredReason::Vetoed => "vetoed",
    }
}

fn record_text(r: &str) -> String {
    match r {
        "chartered" => "Chartered: a charter page exists".into(),
        "unchartered" => "Running without a charter page".into(),
        "proposed" => "Proposed: the charter or proposal is still under review".into(),
        "historical" => "Historical: an earlier name or form of a group".into(),
        other => other.into(),
    }
}

fn confidence_text(c: &str) -> String {
    match c {
        "high" => "High: read in the MCP project's own repositories".into(),
        "medium" => "Medium: the project's own files, but the sources disagree".into(),
        "low" => "Low: from a third-party page only".into(),
        other => other.into(),
    }
}

fn repo_link(r: &str) -> LinkView {
    LinkView {
        text: r.to_string(),
        url: Some(format!("https://github.com/{r}")),
    }
}

/// A work-item reference (`SEP-2663`, `owner/repo#12`, a GitHub URL) as a link.
pub fn work_ref(r: &str) -> LinkView {
    let text = r.to_string();
    if let Some(n) = r
        .strip_prefix("SEP-")
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    {
        // SEPs are numbered after their issue or pull request in the specification repository;
        // GitHub redirects `/issues/N` to `/pull/N` when N is a pull request.
        return LinkView {
            text,
            url: Some(format!(
                "https://github.com/modelcontextprotocol/modelcontextprotocol/issues/{n}"
            )),
        };
    }
    if let Some((repo, n)) = r.split_once('#')
        && crate::validate::is_repo_ref(repo)
        && !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
    {
        return LinkView {
            text,
            url: Some(format!("https://github.com/{repo}/issues/{n}")),
        };
    }
    if r.starts_with("https://") {
        // https://github.com/o/r/pull/12 → o/r#12
        let short = r
            .strip_prefix("https://github.com/")
            .and_then(|rest| {
                let parts: Vec<&str> = rest.split('/').collect();
                match parts.as_slice() {
                    [o, n, "issues" | "pull" | "discussions", num] => {
                        Some(format!("{o}/{n}#{num}"))
                    }
                    _ => None,
                }
            })
            .unwrap_or_else(|| r.to_string());
        return LinkView {
            text: short,
            url: Some(r.to_string()),
        };
    }
    LinkView { text, url: None }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for query values.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_links() {
        let f = FeedLinks::new("https://x.org/groups/a-ig/calendar.ics".into());
        assert_eq!(f.webcal, "webcal://x.org/groups/a-ig/calendar.ics");
        assert_eq!(
            f.google,
            "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fx.org%2Fgroups%2Fa-ig%2Fcalendar.ics"
        );
    }

    #[test]
    fn work_refs() {
        assert_eq!(
            work_ref("SEP-2663").url.as_deref(),
            Some("https://github.com/modelcontextprotocol/modelcontextprotocol/issues/2663")
        );
        assert_eq!(
            work_ref("modelcontextprotocol/agents-wg#20").url.as_deref(),
            Some("https://github.com/modelcontextprotocol/agents-wg/issues/20")
        );
        let l = work_ref("https://github.com/o/r/pull/12");
        assert_eq!(l.text, "o/r#12");
        assert_eq!(work_ref("a description").url, None);
    }

    #[test]
    fn dates_in_words() {
        let d = DateView::new(jiff::civil::date(2026, 6, 2));
        assert_eq!(d.text, "2 June 2026");
        assert_eq!(d.iso, "2026-06-02");
    }
}
