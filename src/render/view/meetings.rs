//! Meetings in words: occurrences, schedules, the agenda and the notes archive.
//!
//! Takes: a group's [`Expansion`] and its front matter. Gives: [`OccurrenceView`] (one
//! meeting), [`AgendaEntry`] (a meeting with its group) and [`MeetingsView`] (the group page's
//! meetings section).

use jiff::civil;
use serde::Serialize;

use super::addcal::{AddLinks, add_links};
use super::card::has_feed;
use super::expansion::{Expansion, RecordIndex};
use super::refs::GroupRef;
use super::site::FeedLinks;
use super::words::{DateView, capitalize, utc_rfc3339};
use crate::agenda;
use crate::model::{Group, Site};
use crate::recur::{ExceptionKind, Series, SeriesException};
use crate::schema::{MeetingRecord, MeetingStatus};
use crate::timefmt;

/// Everything about a group's meetings.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingsView {
    /// The recurring series, described.
    pub schedules: Vec<ScheduleView>,
    /// The sources' words when no exact schedule is known.
    pub cadence: Option<String>,
    /// The next meetings from today, cancelled and moved ones included.
    pub upcoming: Vec<OccurrenceView>,
    /// The most recent past meetings, newest first.
    pub archive: Vec<RecordView>,
    /// Older past meetings, newest first (none when they are on the archive page).
    pub archive_older: Vec<RecordView>,
    /// The group's archive page (URL path), when it has more past meetings than its page lists
    /// ([`ARCHIVE_ON_PAGE`]); `none` otherwise.
    pub archive_page: Option<String>,
    /// How many past meetings the group has.
    pub archive_total: usize,
    /// The group has a schedule or a one-off meeting (something in its feed).
    pub has_meetings: bool,
    /// The group's own feed. Every group has one, so subscribers also get meetings scheduled
    /// later.
    pub feed: FeedLinks,
}

/// One recurring series, described.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleView {
    /// The schedule's id.
    pub id: String,
    /// The series' title.
    pub title: String,
    /// "Weekly on Wednesday at 13:00 America/Los_Angeles time, 60 minutes".
    pub words: String,
    /// The series' IANA zone.
    pub tz: String,
    /// A meeting link, or words saying where to find one.
    pub location: Option<String>,
    /// Cancelled and moved occurrences, as listed in front matter.
    pub exceptions: Vec<ExceptionView>,
}

/// One cancelled or moved occurrence, as listed in front matter.
#[derive(Debug, Clone, Serialize)]
pub struct ExceptionView {
    /// The occurrence's original date.
    pub date: DateView,
    /// `cancel` or `move`.
    pub action: String,
    /// Why it was cancelled or moved.
    pub reason: String,
    /// For a move: the new local start, in the series' zone.
    pub to: Option<String>,
}

/// A past meeting in the notes archive.
#[derive(Debug, Clone, Serialize)]
pub struct RecordView {
    /// The meeting's date.
    pub date: DateView,
    /// The meeting's title, if recorded.
    pub title: Option<String>,
    /// When it was, in the group's zone (`none` for records without a time).
    pub when: Option<String>,
    /// `held` or `cancelled`.
    pub status: String,
    /// Why it was cancelled.
    pub reason: Option<String>,
    /// Link to the notes.
    pub notes: Option<String>,
    /// Link to the agenda.
    pub agenda: Option<String>,
    /// Link to the recording.
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
    /// The meeting's title.
    pub title: String,
    /// `2026-12-02T17:00:00Z`: for `<time datetime>` and scripts.
    pub start_utc: String,
    /// The end, like `start_utc`.
    pub end_utc: String,
    /// `2026-12-02T09:00:00-08:00`: the same instant in the group's zone.
    pub start_local: String,
    /// The end, like `start_local`.
    pub end_local: String,
    /// The group's IANA zone.
    pub tz: String,
    /// The local date, in the group's zone.
    pub date: DateView,
    /// "Wednesday 2 December 2026, 09:00–09:45 PST (America/Los_Angeles)"
    pub text: String,
    /// `scheduled`, `cancelled` or `moved`.
    pub status: String,
    /// Why it was cancelled or moved.
    pub reason: Option<String>,
    /// For a moved meeting: where the rule had put it, local.
    pub moved_from: Option<String>,
    /// A proposed group's meeting: it may not happen.
    pub tentative: bool,
    /// Link to the notes.
    pub notes: Option<String>,
    /// Link to the agenda.
    pub agenda: Option<String>,
    /// Link to the recording.
    pub recording: Option<String>,
    /// A meeting link, or words saying where to find one.
    pub location: Option<String>,
    /// "Add to my calendar" links for this occurrence; `none` when it is cancelled, and everywhere
    /// but among the next meetings on its group's page (the only place the built-in theme shows them).
    pub add: Option<AddLinks>,
}

/// A meeting on the agenda, with its group (a [`GroupRef`], or the same as a template value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaEntry<G = GroupRef, M = OccurrenceView> {
    /// The group that meets.
    pub group: G,
    /// The meeting.
    pub meeting: M,
}

/// The group page's meetings section.
pub(super) fn meetings_view(site: &Site, g: &Group, exp: &Expansion) -> MeetingsView {
    // Next meetings: every series and one-off, from the start of "today" (UTC).
    let upcoming: Vec<OccurrenceView> = exp
        .upcoming()
        .iter()
        .take(site.config.calendar.upcoming_per_group)
        .map(|i| exp.view_with_links(i))
        .collect();
    let mut archive = archive(site, g, exp);
    let total = archive.len();
    let archive_page = (total > ARCHIVE_ON_PAGE).then(|| archive_path(g));
    let mut older = if total > ARCHIVE_RECENT {
        archive.split_off(ARCHIVE_RECENT)
    } else {
        Vec::new()
    };
    if archive_page.is_some() {
        older.clear();
    }
    MeetingsView {
        schedules: g
            .meetings
            .series
            .iter()
            .map(|s| schedule_view(site, g, s))
            .collect(),
        cadence: g.fm().facts.cadence.clone(),
        upcoming,
        archive,
        archive_older: older,
        archive_page,
        archive_total: total,
        has_meetings: has_feed(g),
        feed: FeedLinks::new(site.abs_url(&format!("{}calendar.ics", g.url_path()))),
    }
}

/// How many past meetings [`archive`] lists, without describing them.
pub fn archive_len(site: &Site, g: &Group, exp: &Expansion) -> usize {
    let loose = exp.records.loose.iter();
    let loose = loose.filter(|&&i| g.fm().meetings[i].get_ref().date.get_ref().0 <= site.today);
    exp.past().len() + loose.count()
}

/// The URL path of a group's archive page.
pub fn archive_path(g: &Group) -> String {
    format!("{}meetings/", g.url_path())
}

/// Past meetings, newest first: every occurrence before today, and records of meetings the
/// schedules do not cover.
pub fn archive(site: &Site, g: &Group, exp: &Expansion) -> Vec<RecordView> {
    let mut archive: Vec<RecordView> = exp
        .past()
        .iter()
        .map(|i| past_occurrence(g, i, &exp.records))
        .collect();
    for &i in &exp.records.loose {
        let m = g.fm().meetings[i].get_ref();
        if m.date.get_ref().0 <= site.today {
            archive.push(loose_record(m));
        }
    }
    archive.sort_by(|a, b| b.sort_key.cmp(&a.sort_key));
    archive
}

/// A past occurrence of a series or a past one-off, in the archive: what its
/// [`OccurrenceView`] says, made without the rest of the view (a weekly group has dozens).
fn past_occurrence(g: &Group, item: &agenda::AgendaItem, records: &RecordIndex) -> RecordView {
    let (status, reason, _) = status_words(item);
    let MeetingLinks {
        notes,
        agenda,
        recording,
    } = meeting_links(item, records);
    RecordView {
        date: DateView::new(item.start.date()),
        // With one schedule every title would be the same; one-offs keep theirs.
        title: (g.meetings.series.len() > 1 || !is_series(item)).then(|| item.title.to_string()),
        when: Some(when_text(&item.start, &item.end)),
        status: match status {
            "cancelled" => "cancelled",
            _ => "held",
        }
        .into(),
        reason,
        notes,
        agenda,
        recording,
        sort_key: utc_rfc3339(item.start.timestamp()),
    }
}

/// A record's link as the pages print it.
fn link_of(u: Option<&crate::schema::Spanned<String>>) -> Option<String> {
    u.map(|u| u.get_ref().clone())
}

/// A `[[meetings]]` record no series occurrence or one-off covers, in the archive.
fn loose_record(m: &MeetingRecord) -> RecordView {
    let date = m.date.get_ref().0;
    RecordView {
        date: DateView::new(date),
        title: m.title().cloned(),
        when: None,
        status: match m.status {
            Some(MeetingStatus::Cancelled) => "cancelled",
            _ => "held",
        }
        .into(),
        reason: m.reason().cloned(),
        notes: link_of(m.notes.as_ref()),
        agenda: link_of(m.agenda()),
        recording: link_of(m.recording()),
        sort_key: format!("{date}T00:00:00Z"),
    }
}

/// A meeting's status, the reason given for it, and for a moved meeting where the rule had put
/// it (local, in words).
pub(crate) fn status_words(
    item: &agenda::AgendaItem,
) -> (&'static str, Option<String>, Option<String>) {
    match &item.status {
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
    }
}

/// The `[[meetings]]` record of `item`, for what the expansion does not carry (the recording).
fn meeting_record<'g>(
    item: &agenda::AgendaItem<'g>,
    records: &RecordIndex,
) -> Option<&'g MeetingRecord> {
    let g = item.group;
    if g.meetings.series.iter().any(|s| s.id == *item.id) {
        let original = match &item.status {
            agenda::ItemStatus::Moved { original_start, .. } => original_start
                .parse::<civil::DateTime>()
                .map(|d| d.date())
                .unwrap_or(item.start.date()),
            _ => item.start.date(),
        };
        (records.by_occurrence.get(&(item.id.clone(), original)))
            .map(|&i| g.fm().meetings[i].get_ref())
    } else {
        (g.meetings.one_offs.iter())
            .find(|o| o.id == *item.id)
            .and_then(|o| g.fm().meetings.get(o.record))
            .map(|m| m.get_ref())
    }
}

/// A meeting's notes, agenda and recording links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MeetingLinks {
    pub(crate) notes: Option<String>,
    pub(crate) agenda: Option<String>,
    pub(crate) recording: Option<String>,
}

/// The links of `item`: the expansion's, else its `[[meetings]]` record's (which alone has the
/// recording).
pub(super) fn meeting_links(item: &agenda::AgendaItem, records: &RecordIndex) -> MeetingLinks {
    let record = meeting_record(item, records);
    MeetingLinks {
        notes: item.notes_url.clone(),
        agenda: (item.agenda_url.clone()).or_else(|| record.and_then(|r| link_of(r.agenda()))),
        recording: record.and_then(|r| link_of(r.recording())),
    }
}

/// A series in words, with its coming exceptions.
fn schedule_view(site: &Site, g: &Group, s: &Series) -> ScheduleView {
    ScheduleView {
        id: s.id.clone(),
        title: series_title(g, s),
        words: capitalize(&s.describe()),
        tz: s.tz_name.clone(),
        location: s.location.clone(),
        exceptions: s
            .exceptions
            .iter()
            .filter(|e| e.original.date() >= site.today)
            .map(exception_view)
            .collect(),
    }
}

fn exception_view(e: &SeriesException) -> ExceptionView {
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
}

/// How many past meetings a group page lists before "older meetings".
const ARCHIVE_RECENT: usize = 12;

/// The most past meetings a group page carries (the recent ones, the rest under "older
/// meetings"); a group with more lists its recent ones and links its archive page, which has
/// them all, so that a group meeting weekly for years keeps a light page.
pub const ARCHIVE_ON_PAGE: usize = 100;

fn series_title(g: &Group, s: &Series) -> String {
    s.title
        .clone()
        .unwrap_or_else(|| format!("{} meeting", g.short_label()))
}

/// A meeting as pages show it; `page_url` is its group page's absolute URL, for the "add to my
/// calendar" links (none without it).
pub(super) fn occurrence_view(
    item: &agenda::AgendaItem,
    records: &RecordIndex,
    page_url: Option<&str>,
) -> OccurrenceView {
    let is_series = is_series(item);
    occurrence_view_of(item, meeting_links(item, records), is_series, page_url)
}

/// Whether `item` is an occurrence of one of its group's series (else it is a one-off).
fn is_series(item: &agenda::AgendaItem) -> bool {
    item.group.meetings.series.iter().any(|s| s.id == *item.id)
}

/// [`occurrence_view`] from the item's links and whether it is a series'.
fn occurrence_view_of(
    item: &agenda::AgendaItem,
    links: MeetingLinks,
    is_series: bool,
    page_url: Option<&str>,
) -> OccurrenceView {
    let g = item.group;
    let (start, end) = (&item.start, &item.end);
    let tz = start.time_zone().iana_name().unwrap_or("UTC").to_string();
    let text = when_text(start, end);
    let (status, reason, moved_from) = status_words(item);
    let MeetingLinks {
        notes,
        agenda,
        recording,
    } = links;
    OccurrenceView {
        group: g.slug.clone(),
        series_id: is_series.then(|| item.id.to_string()),
        title: item.title.to_string(),
        start_utc: utc_rfc3339(start.timestamp()),
        end_utc: utc_rfc3339(end.timestamp()),
        start_local: timefmt::local_rfc3339(start),
        end_local: timefmt::local_rfc3339(end),
        tz,
        date: DateView::new(start.date()),
        text,
        status: status.into(),
        reason,
        moved_from,
        tentative: item.tentative,
        notes,
        agenda,
        recording,
        location: item.location.clone(),
        add: page_url.filter(|_| status != "cancelled").map(|page_url| {
            add_links(
                &item.title,
                start.timestamp(),
                end.timestamp(),
                start.time_zone().iana_name().unwrap_or("UTC"),
                page_url,
            )
        }),
    }
}

/// "Wednesday 2 December 2026, 09:00–09:45 PST (America/Los_Angeles)"
fn when_text(start: &jiff::ZonedDateTime, end: &jiff::ZonedDateTime) -> String {
    let tz = start.time_zone().iana_name().unwrap_or("UTC");
    // Written into one string sized for it: every meeting every page shows has this text.
    let mut text = String::with_capacity(64 + tz.len());
    timefmt::push_weekday_date_time(&mut text, start.datetime());
    text.push('–');
    timefmt::push_hh_mm(&mut text, end.time());
    if end.date() != start.date() {
        text.push_str(" (next day)");
    }
    text.push(' ');
    timefmt::push_zone_abbreviation(&mut text, start);
    text.push_str(" (");
    text.push_str(tz);
    text.push(')');
    text
}

/// A meeting of the agenda as it is kept until the pages and the data that list it are made:
/// the expansion's item without its group, and what its view reads of the group's records and
/// series. Small beside its view: a large site keeps every meeting of its agenda at once (at
/// 100,000 groups, nearly a million), so what few upcoming meetings have (a status other than
/// scheduled, links, a place) is kept out of line, and the end as an instant.
#[derive(Debug, Clone)]
pub struct AgendaMeeting {
    /// Shared with the other meetings of the series (see [`agenda::AgendaItem::id`]).
    id: std::sync::Arc<str>,
    title: std::sync::Arc<str>,
    start: jiff::ZonedDateTime,
    /// The end, in `start`'s zone (an item's start and end are in its series' zone).
    end: jiff::Timestamp,
    tentative: bool,
    is_series: bool,
    /// `None` for a scheduled meeting without links or place.
    more: Option<Box<AgendaMore>>,
}

/// What few meetings of the agenda have; the default is what most have.
#[derive(Debug, Clone, Default, PartialEq)]
struct AgendaMore {
    status: agenda::ItemStatus,
    notes_url: Option<String>,
    agenda_url: Option<String>,
    location: Option<String>,
    links: MeetingLinks,
}

impl AgendaMore {
    /// `None` when there is nothing to keep.
    fn of(item: &agenda::AgendaItem, links: MeetingLinks) -> Option<Box<Self>> {
        let more = AgendaMore {
            status: item.status.clone(),
            notes_url: item.notes_url.clone(),
            agenda_url: item.agenda_url.clone(),
            location: item.location.clone(),
            links,
        };
        (more != AgendaMore::default()).then(|| Box::new(more))
    }
}

impl AgendaMeeting {
    /// `item`, with its links from the group's `records`.
    pub(super) fn of(item: &agenda::AgendaItem, records: &RecordIndex) -> Self {
        debug_assert_eq!(item.start.time_zone(), item.end.time_zone());
        AgendaMeeting {
            id: item.id.clone(),
            title: item.title.clone(),
            start: item.start.clone(),
            end: item.end.timestamp(),
            tentative: item.tentative,
            is_series: is_series(item),
            more: AgendaMore::of(item, meeting_links(item, records)),
        }
    }

    /// The meeting as an item of `group`'s (the group it was made from).
    fn item<'g>(&self, group: &'g Group) -> agenda::AgendaItem<'g> {
        let more = self.more.as_deref();
        let text = |f: fn(&AgendaMore) -> &Option<String>| more.and_then(|m| f(m).clone());
        agenda::AgendaItem {
            group,
            id: self.id.clone(),
            title: self.title.clone(),
            start: self.start.clone(),
            end: (self.end).to_zoned_datetime(self.start.time_zone().clone()),
            status: more.map(|m| m.status.clone()).unwrap_or_default(),
            notes_url: text(|m| &m.notes_url),
            agenda_url: text(|m| &m.agenda_url),
            location: text(|m| &m.location),
            tentative: self.tentative,
        }
    }

    /// The meeting as pages show it: [`Expansion::view`] of the item it was made from.
    pub fn view(&self, group: &Group) -> OccurrenceView {
        let links = (self.more.as_deref())
            .map(|m| m.links.clone())
            .unwrap_or_default();
        occurrence_view_of(&self.item(group), links, self.is_series, None)
    }

    /// The meeting's record in `meetings.json`.
    pub fn to_json(&self, site: &Site, group: &Group) -> agenda::ItemJson {
        self.item(group).to_json(site)
    }
}

impl PartialEq for AgendaMeeting {
    /// Equal meetings (of equal groups) show alike: times are equal when their instants, their
    /// local times and their zones are (the end's local time and zone follow from the start's
    /// zone).
    fn eq(&self, other: &AgendaMeeting) -> bool {
        self.id == other.id
            && self.title == other.title
            && self.start.timestamp() == other.start.timestamp()
            && self.start.datetime() == other.start.datetime()
            && self.start.time_zone().iana_name() == other.start.time_zone().iana_name()
            && self.end == other.end
            && self.tentative == other.tentative
            && self.is_series == other.is_series
            && self.more == other.more
    }
}
