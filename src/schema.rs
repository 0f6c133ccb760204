//! The front-matter schema: what a group page may say, as serde types.
//!
//! Takes: nothing (it is the vocabulary). Gives: [`FrontMatter`], which `frontmatter` deserializes
//! from the TOML between the `+++` lines and `validate` turns into a `model::Group`; and the few
//! facts about that vocabulary every stage shares: [`Kind`]'s names, what [`is_kebab`] means, and
//! the [`MEETING_YEARS`] dates may use.
//!
//! Every struct rejects unknown keys, so a typo is an error with a "did you mean" rather than a
//! silently ignored field. Dates and times deserialize straight into `jiff` types through the
//! newtypes below, so an impossible date (`2026-02-30`) is reported by the TOML parser at the
//! value's own line and column. Fields whose later, semantic checks need a location are wrapped in
//! [`Spanned`] (`spanned.rs`: `toml::Spanned`'s value and range, in less room). The shape
//! follows the governance text's group model and creation templates; `docs/front-matter.md`
//! explains each table and where its facts come from.

mod spanned;

use serde::{Deserialize, Deserializer};

pub use spanned::Spanned;

/// The years meeting dates (and "today") may use. Recurrence, UNTIL and VTIMEZONE arithmetic
/// stays far from the ends of jiff's calendar (years -9999..=9999), where it would overflow.
pub const MEETING_YEARS: std::ops::RangeInclusive<i16> = 1970..=2200;

/// Is `s` lowercase kebab-case (`auth-ig`, `weekly-tue`): words of a-z and 0-9 joined by single
/// hyphens? Slugs, topics, channel names and the ids in feed UIDs are all written this way.
pub fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// A TOML local date (`2026-08-17`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

/// A TOML local date-time (`2026-05-22T10:00:00`), read in a schedule's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime(pub jiff::civil::DateTime);

/// A TOML local time (`16:00:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime(pub jiff::civil::Time);

/// A TOML offset date-time (`2026-08-13T17:00:00Z`): an instant, such as when a vote opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub jiff::Timestamp);

fn toml_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<toml::value::Datetime, D::Error> {
    toml::value::Datetime::deserialize(d)
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = toml_datetime(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => {
                civil_date(date).map(Date).map_err(serde::de::Error::custom)
            }
            _ => Err(serde::de::Error::custom(format!(
                "expected a local date such as 2026-08-17, found `{dt}`"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for LocalDateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = toml_datetime(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), Some(time), None) => {
                let date = civil_date(date).map_err(serde::de::Error::custom)?;
                let time = civil_time(time).map_err(serde::de::Error::custom)?;
                Ok(LocalDateTime(date.to_datetime(time)))
            }
            _ => Err(serde::de::Error::custom(format!(
                "expected a local date-time without offset such as 2026-05-22T10:00:00 \
                 (the zone comes from `tz`), found `{dt}`"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for LocalTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = toml_datetime(d)?;
        match (dt.date, dt.time, dt.offset) {
            (None, Some(time), None) => civil_time(time)
                .map(LocalTime)
                .map_err(serde::de::Error::custom),
            _ => Err(serde::de::Error::custom(format!(
                "expected a local time such as 16:00:00, found `{dt}`"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = toml_datetime(d)?;
        if dt.date.is_none() || dt.time.is_none() || dt.offset.is_none() {
            return Err(serde::de::Error::custom(format!(
                "expected a date-time with offset such as 2026-08-13T17:00:00Z, found `{dt}`"
            )));
        }
        dt.to_string()
            .parse::<jiff::Timestamp>()
            .map(Instant)
            .map_err(|e| serde::de::Error::custom(format!("invalid date-time `{dt}`: {e}")))
    }
}

fn civil_date(d: toml::value::Date) -> Result<jiff::civil::Date, String> {
    jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).map_err(|_| {
        format!(
            "{:04}-{:02}-{:02} is not a date on the calendar",
            d.year, d.month, d.day
        )
    })
}

fn civil_time(t: toml::value::Time) -> Result<jiff::civil::Time, String> {
    jiff::civil::Time::new(
        t.hour as i8,
        t.minute as i8,
        t.second.unwrap_or(0) as i8,
        t.nanosecond.unwrap_or(0) as i32,
    )
    .map_err(|e| format!("invalid time: {e}"))
}

/// Interest Group or Working Group.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An Interest Group (`ig`).
    Ig,
    /// A Working Group (`wg`).
    Wg,
}

impl Kind {
    /// The slug and channel suffix: `ig` or `wg`.
    pub fn suffix(self) -> &'static str {
        match self {
            Kind::Ig => "ig",
            Kind::Wg => "wg",
        }
    }
    /// "Interest Group" or "Working Group".
    pub fn long_name(self) -> &'static str {
        match self {
            Kind::Ig => "Interest Group",
            Kind::Wg => "Working Group",
        }
    }
    /// The short label: "IG" or "WG".
    pub fn label(self) -> &'static str {
        match self {
            Kind::Ig => "IG",
            Kind::Wg => "WG",
        }
    }
    /// The other kind: what a page of this kind is not.
    pub fn other(self) -> Kind {
        match self {
            Kind::Ig => Kind::Wg,
            Kind::Wg => Kind::Ig,
        }
    }
}

/// Where a group stands in the governance lifecycle. `unknown` records that the sources do not
/// establish the state (the facts file has such groups); `check` asks for it to be settled.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Proposed, awaiting the vote or sponsorship.
    Proposed,
    /// Approved, not yet meeting.
    Approved,
    /// Active: meeting and working.
    Active,
    /// Retired: no longer active.
    Retired,
    /// The sources do not establish the state.
    Unknown,
}

impl Status {
    /// The state as written in front matter, e.g. `active`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Approved => "approved",
            Status::Active => "active",
            Status::Retired => "retired",
            Status::Unknown => "unknown",
        }
    }
}

/// The whole front matter of `content/groups/<topic>-<ig|wg>.md`.
///
/// Top-level keys must come before any `[table]` in TOML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// `kind`: `ig` or `wg`.
    pub kind: Spanned<Kind>,
    /// Display name without "Interest Group"/"Working Group" (the site appends it).
    pub name: Spanned<String>,
    /// One line for the directory listing.
    pub summary: Spanned<String>,
    /// `status`: where the group stands in its lifecycle.
    pub status: Spanned<Status>,
    /// The primary topic used in calendar tags; defaults to the slug without its kind suffix.
    pub topic: Option<Spanned<String>>,
    /// A short name people use (e.g. "FSIG").
    pub short_name: Option<String>,
    /// Drafts are built only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Slugs (`security-ig`) of related groups.
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    /// Old URL paths (`/groups/old-name/`) that redirect here.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// `[lifecycle]`: the dates and decisions of the group's lifecycle.
    #[serde(default)]
    pub lifecycle: Lifecycle,
    /// `[[facilitators]]`: the people who run the group.
    #[serde(default)]
    pub facilitators: Vec<Spanned<Person>>,
    /// `[[maintainers]]`: the maintainers involved with the group.
    #[serde(default)]
    pub maintainers: Vec<Spanned<Person>>,
    /// GitHub handles of sponsoring maintainers (SEP-2149 profile).
    #[serde(default)]
    pub sponsors: Vec<Spanned<String>>,
    /// `[discord]`: the group's Discord channel.
    pub discord: Option<Spanned<Discord>>,
    /// `[calendar]`: how the group's events are tagged on the community calendar.
    #[serde(default)]
    pub calendar: CalendarTags,
    /// `[links]`: charter, repositories, notes and website.
    #[serde(default)]
    pub links: Links,
    /// `[creation]`: the answers to the creation template.
    pub creation: Option<Spanned<Creation>>,
    /// `[work]`: what a WG works on or maintains.
    pub work: Option<Spanned<Work>>,
    /// `[activity]`: the manually recorded latest activity.
    #[serde(default)]
    pub activity: Activity,
    /// `[[related_external]]`: related efforts outside the MCP groups.
    #[serde(default)]
    pub related_external: Vec<ExternalLink>,
    /// Where the facts on this page come from, and where the sources disagree.
    #[serde(default)]
    pub facts: Facts,
    /// `[[schedule]]`: the recurring meeting series.
    #[serde(default)]
    pub schedule: Vec<Spanned<Schedule>>,
    /// `[[meetings]]`: held meetings' records and one-off meetings.
    #[serde(default)]
    pub meetings: Vec<Spanned<MeetingRecord>>,
}

impl FrontMatter {
    /// Every reference to another group, with the key it is written under: `related`,
    /// `lifecycle.successor`, `lifecycle.predecessors`, `creation.similar_groups` and
    /// `creation.origin_ig`.
    pub fn group_refs(&self) -> Vec<(&Spanned<String>, &'static str)> {
        let mut refs: Vec<(&Spanned<String>, &'static str)> = Vec::new();
        refs.extend(self.related.iter().map(|r| (r, "related")));
        refs.extend(
            self.lifecycle
                .successor
                .iter()
                .map(|r| (r, "lifecycle.successor")),
        );
        refs.extend(
            self.lifecycle
                .predecessors
                .iter()
                .map(|r| (r, "lifecycle.predecessors")),
        );
        if let Some(c) = &self.creation {
            let c = c.get_ref();
            refs.extend(
                c.similar_groups
                    .iter()
                    .flatten()
                    .map(|r| (r, "creation.similar_groups")),
            );
            refs.extend(c.origin_ig.iter().map(|r| (r, "creation.origin_ig")));
        }
        refs
    }
}

/// `[lifecycle]`: proposed → (72 h vote) → approved → active → retired.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// When the group was proposed.
    pub proposed: Option<Spanned<Date>>,
    /// The creation proposal: a Discord message or a pull request.
    pub proposal_url: Option<Spanned<String>>,
    /// When the approval vote opened.
    pub vote_opened: Option<Spanned<Instant>>,
    /// When the group was approved.
    pub approved: Option<Spanned<Date>>,
    /// How the group was approved.
    pub approval: Option<Approval>,
    /// When the group became active.
    pub active: Option<Spanned<Date>>,
    /// When the group's charter page was merged (SEP-2149 charters).
    pub chartered: Option<Spanned<Date>>,
    /// When a new version of the charter was merged.
    pub rechartered: Option<Spanned<Date>>,
    /// When the group was retired.
    pub retired: Option<Spanned<Date>>,
    /// Why the group was retired.
    pub retired_reason: Option<Spanned<RetiredReason>>,
    /// The group that carries on this one's work.
    pub successor: Option<Spanned<String>>,
    /// Slugs of the groups whose work this one carries on.
    #[serde(default)]
    pub predecessors: Vec<Spanned<String>>,
    /// When the proposal was vetoed.
    pub vetoed: Option<Spanned<Date>>,
}

/// How a group was approved (`lifecycle.approval`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Approval {
    /// `moderator-vote`: approved by the moderators' vote.
    ModeratorVote,
    /// `sponsorship`: approved through a maintainer's sponsorship.
    Sponsorship,
    /// `legacy`: existed before the approval process.
    Legacy,
}

/// Why a group was retired (`lifecycle.retired_reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RetiredReason {
    /// `inactive`: the group stopped meeting.
    Inactive,
    /// `completed`: the group finished its work.
    Completed,
    /// `merged`: the group merged into another.
    Merged,
    /// `converted`: the group became another kind of group.
    Converted,
    /// `superseded`: another group took over its work.
    Superseded,
    /// `decision`: retired by a governance decision.
    Decision,
    /// `vetoed`: the proposal was vetoed.
    Vetoed,
}

impl RetiredReason {
    /// The reason as written in front matter, e.g. `completed`.
    pub fn as_str(self) -> &'static str {
        match self {
            RetiredReason::Inactive => "inactive",
            RetiredReason::Completed => "completed",
            RetiredReason::Merged => "merged",
            RetiredReason::Converted => "converted",
            RetiredReason::Superseded => "superseded",
            RetiredReason::Decision => "decision",
            RetiredReason::Vetoed => "vetoed",
        }
    }
}

/// A facilitator or maintainer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// GitHub handle, without `@`. Optional only because some real proposals name people whose
    /// handle is not recorded; `check` asks for it.
    pub github: Option<Spanned<String>>,
    /// The person's display name.
    pub name: Option<String>,
    /// The organization the person works for.
    pub org: Option<String>,
    /// The person's Discord handle.
    pub discord: Option<String>,
    /// Since when the person has held the role.
    pub since: Option<Date>,
    /// When the person's term ends.
    pub term_ends: Option<Spanned<Date>>,
    /// `facilitator` or `lead`, when the page says so.
    pub role: Option<PersonRole>,
}

/// A person's role in the group (`role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonRole {
    /// `facilitator`: facilitates the group.
    Facilitator,
    /// `lead`: leads the group.
    Lead,
}

/// `[discord]`: the channel the governance text asks every group to be tagged with.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discord {
    /// Channel name without `#`, e.g. `auth-ig`.
    pub channel: Option<Spanned<String>>,
    /// The channel's numeric id, for a direct link.
    pub channel_id: Option<Spanned<String>>,
    /// Why the channel does not follow `<topic>-<ig|wg>` (e.g. `registry-dev`).
    pub channel_exception: Option<String>,
    /// Channels the group used before, without `#`.
    #[serde(default)]
    pub legacy_channels: Vec<Spanned<String>>,
    /// An invite link specific to the group, if any.
    pub invite: Option<Spanned<String>>,
    /// Set when the channel is still to be created.
    #[serde(default)]
    pub pending: bool,
}

/// `[calendar]`: how the group's events are tagged on the community calendar.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarTags {
    /// Defaults to the Discord channel name, as the governance text asks.
    pub tag: Option<Spanned<String>>,
    /// More tags for the group's calendar events.
    #[serde(default)]
    pub extra_tags: Vec<String>,
}

/// `[links]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// The group's charter URL.
    pub charter: Option<Spanned<String>>,
    /// `owner/name` GitHub repositories.
    #[serde(default)]
    pub repos: Vec<Spanned<String>>,
    /// Where all notes live (a Discussions category, a rolling Google Doc).
    pub notes_index: Option<Spanned<String>>,
    /// A proposal or charter pull request, or another page.
    pub website: Option<Spanned<String>>,
}

/// `[creation]`: the governance text's creation template. IG fields and WG fields differ.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Creation {
    /// IG: IGs with potentially similar goals (an explicit `[]` says "none").
    pub similar_groups: Option<Vec<Spanned<String>>>,
    /// IG: how this IG differs from them.
    pub differentiation: Option<Spanned<String>>,
    /// IG: the first topic to discuss.
    pub first_topic: Option<Spanned<String>>,
    /// WG: the interest and use cases.
    pub use_cases: Option<Spanned<String>>,
    /// WG: the IG the use cases came from, ideally.
    pub origin_ig: Option<Spanned<String>>,
    /// WG: the first Issue/PR/SEP (`SEP-2663`, `owner/repo#12`, or a GitHub URL), or a description.
    pub first_item: Option<Spanned<String>>,
}

/// `[work]`: what a WG makes progress on or maintains.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Work {
    /// `mode`: spec work, maintenance, or both.
    pub mode: Spanned<WorkMode>,
    /// Maintained projects, `owner/name`.
    #[serde(default)]
    pub projects: Vec<Spanned<String>>,
    /// `[[work.items]]`: the SEPs, issues and pull requests the group tracks.
    #[serde(default)]
    pub items: Vec<Spanned<WorkItem>>,
}

/// What a WG works on (`work.mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkMode {
    /// `spec`: specification work (SEPs).
    Spec,
    /// `maintenance`: maintaining projects.
    Maintenance,
    /// `both`: spec work and maintenance.
    Both,
}

/// One tracked SEP, issue or pull request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkItem {
    /// `SEP-1234`, `owner/repo#12`, or a GitHub issue/PR URL.
    #[serde(rename = "ref")]
    pub reference: Spanned<String>,
    /// The item's title.
    pub title: Option<String>,
    /// A SEP status (`draft` … `dormant`) or `open`/`merged`/`closed`.
    pub status: Option<Spanned<String>>,
    /// When the item last saw activity.
    pub last_activity: Option<Spanned<Date>>,
    /// `first` marks the creation template's first item.
    pub role: Option<String>,
}

/// `[activity]`: a manual record of the group's latest activity.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// The date of the group's latest activity.
    pub last: Option<Spanned<Date>>,
}

/// `[[related_external]]`: a related effort outside the MCP groups.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalLink {
    /// The effort's name.
    pub name: String,
    /// The effort's URL.
    pub url: Spanned<String>,
}

/// `[facts]`: provenance. The directory records facts as the sources give them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// `chartered`, `unchartered`, `proposed` or `historical`.
    pub record: Option<String>,
    /// `high`, `medium` or `low`.
    pub confidence: Option<String>,
    /// The meeting cadence in the sources' words, when no exact schedule is known.
    pub cadence: Option<String>,
    /// The usual meeting length in minutes, when no exact schedule is known.
    pub duration: Option<u32>,
    /// Where notes are kept, in words.
    pub notes: Option<String>,
    /// Where the sources disagree, in words.
    #[serde(default)]
    pub conflicts: Vec<String>,
    /// The sources the facts come from (URLs or descriptions).
    #[serde(default)]
    pub sources: Vec<String>,
}

/// How often a schedule recurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    /// Every week.
    Weekly,
    /// Every two weeks.
    Biweekly,
    /// Every three weeks.
    Triweekly,
    /// Once a month.
    Monthly,
}

/// Days of the week as written in front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// The same day as a jiff weekday.
    pub fn to_jiff(self) -> jiff::civil::Weekday {
        use jiff::civil::Weekday as W;
        match self {
            Weekday::Mon => W::Monday,
            Weekday::Tue => W::Tuesday,
            Weekday::Wed => W::Wednesday,
            Weekday::Thu => W::Thursday,
            Weekday::Fri => W::Friday,
            Weekday::Sat => W::Saturday,
            Weekday::Sun => W::Sunday,
        }
    }
}

/// Which of two wall-clock times to use when a start falls in a DST overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fold {
    /// The first of the two times.
    Earlier,
    /// The second of the two times.
    Later,
}

/// `[[schedule]]`: one recurring meeting series. It becomes one VEVENT with an RRULE.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Kebab-case, unique in the group, never reused: part of the feed UID.
    pub id: Spanned<String>,
    /// Defaults to "`<name> <IG|WG>` meeting".
    pub title: Option<String>,
    /// IANA zone, e.g. `America/Los_Angeles`.
    pub tz: Spanned<String>,
    /// The first occurrence, local to `tz`.
    pub start: Spanned<LocalDateTime>,
    /// Which time to use when `start` falls in a DST overlap.
    pub fold: Option<Fold>,
    /// Minutes.
    pub duration: Spanned<u32>,
    /// How often the series recurs.
    pub every: Spanned<Every>,
    /// Overrides the number of weeks between weekly-type meetings.
    pub interval: Option<Spanned<u32>>,
    /// Required for weekly-type schedules; must be the weekday of `start`.
    pub weekday: Option<Spanned<Weekday>>,
    /// Monthly: 1–4 for the n-th weekday, -1 for the last. The weekday is that of `start`.
    pub nth: Option<Spanned<i8>>,
    /// Inclusive last date.
    pub until: Option<Spanned<Date>>,
    /// A meeting link, or words such as "link on meet.modelcontextprotocol.io".
    pub location: Option<String>,
    /// Notes URL per occurrence: `{date}`, `{yyyy}`, `{mm}`, `{dd}` are substituted.
    pub notes_url_template: Option<Spanned<String>>,
    /// Agenda URL per occurrence, with the same placeholders as `notes_url_template`.
    pub agenda_url_template: Option<Spanned<String>>,
    /// iCalendar SEQUENCE: raise it whenever the series' times, rule or exceptions change.
    #[serde(default)]
    pub sequence: u32,
    /// `[[schedule.exceptions]]`: cancelled or moved occurrences.
    #[serde(default)]
    pub exceptions: Vec<Spanned<Exception>>,
}

/// What an exception does to an occurrence (`action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExceptionAction {
    /// `cancel`: the occurrence does not take place.
    Cancel,
    /// `move`: the occurrence takes place at another time.
    Move,
}

/// `[[schedule.exceptions]]`: one occurrence cancelled or moved.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// The occurrence's original local date.
    pub date: Spanned<Date>,
    /// Whether the occurrence is cancelled or moved.
    pub action: Spanned<ExceptionAction>,
    /// Why, shown to subscribers.
    pub reason: Spanned<String>,
    /// For `move`: the new local start, in the schedule's zone.
    pub to: Option<Spanned<LocalDateTime>>,
    /// For `move`: a new length in minutes.
    pub duration: Option<Spanned<u32>>,
}

/// Whether a recorded meeting took place (`status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MeetingStatus {
    /// `held`: the meeting took place.
    Held,
    /// `cancelled`: the meeting did not take place.
    Cancelled,
}

/// `[[meetings]]`: a held meeting's record (notes, agenda, recording), or a one-off meeting.
///
/// What only a one-off meeting or a cancellation sets, and the agenda, recording and
/// announcement few records have, is kept out of line ([`RecordExtra`]): most records are a
/// series' meeting with its notes, and a large site keeps every record of every page for as
/// long as the build runs.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "RecordFields")]
pub struct MeetingRecord {
    /// Local date of the meeting.
    pub date: Spanned<Date>,
    /// The schedule it belongs to; without one, the record is a one-off meeting.
    pub schedule: Option<Spanned<String>>,
    /// Whether the meeting was held or cancelled.
    pub status: Option<MeetingStatus>,
    /// Link to the meeting's notes.
    pub notes: Option<Spanned<String>>,
    /// When the notes were published.
    pub notes_published: Option<Spanned<Date>>,
    /// The rarely set fields; `None` when none is.
    extra: Option<Box<RecordExtra>>,
}

/// The fields of a [`MeetingRecord`] that only a one-off meeting or a cancellation sets, and
/// the links and dates few records have (the notes are the record's point).
#[derive(Debug, Clone, Default, PartialEq)]
struct RecordExtra {
    id: Option<Spanned<String>>,
    title: Option<String>,
    tz: Option<Spanned<String>>,
    time: Option<Spanned<LocalTime>>,
    duration: Option<Spanned<u32>>,
    reason: Option<String>,
    sequence: u32,
    agenda: Option<Spanned<String>>,
    recording: Option<Spanned<String>>,
    announced: Option<Spanned<Date>>,
}

impl MeetingRecord {
    fn extra(&self) -> Option<&RecordExtra> {
        self.extra.as_deref()
    }

    /// One-off: a stable id for the feed UID (defaults to the date).
    pub fn id(&self) -> Option<&Spanned<String>> {
        self.extra()?.id.as_ref()
    }

    /// One-off: the meeting's title.
    pub fn title(&self) -> Option<&String> {
        self.extra()?.title.as_ref()
    }

    /// One-off: IANA zone of `time`.
    pub fn tz(&self) -> Option<&Spanned<String>> {
        self.extra()?.tz.as_ref()
    }

    /// One-off: local start time on `date`, in `tz`.
    pub fn time(&self) -> Option<&Spanned<LocalTime>> {
        self.extra()?.time.as_ref()
    }

    /// One-off: length in minutes.
    pub fn duration(&self) -> Option<&Spanned<u32>> {
        self.extra()?.duration.as_ref()
    }

    /// Why the meeting was cancelled.
    pub fn reason(&self) -> Option<&String> {
        self.extra()?.reason.as_ref()
    }

    /// One-off: iCalendar SEQUENCE, raised whenever the meeting changes (0 when not set).
    pub fn sequence(&self) -> u32 {
        self.extra().map_or(0, |e| e.sequence)
    }

    /// Link to the meeting's agenda.
    pub fn agenda(&self) -> Option<&Spanned<String>> {
        self.extra()?.agenda.as_ref()
    }

    /// Link to the meeting's recording.
    pub fn recording(&self) -> Option<&Spanned<String>> {
        self.extra()?.recording.as_ref()
    }

    /// When the meeting was announced.
    pub fn announced(&self) -> Option<&Spanned<Date>> {
        self.extra()?.announced.as_ref()
    }
}

/// `[[meetings]]` as written: every field in line, as the deserializer fills it (and names it in
/// its messages).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "MeetingRecord")]
struct RecordFields {
    date: Spanned<Date>,
    schedule: Option<Spanned<String>>,
    id: Option<Spanned<String>>,
    title: Option<String>,
    tz: Option<Spanned<String>>,
    time: Option<Spanned<LocalTime>>,
    duration: Option<Spanned<u32>>,
    status: Option<MeetingStatus>,
    reason: Option<String>,
    notes: Option<Spanned<String>>,
    notes_published: Option<Spanned<Date>>,
    agenda: Option<Spanned<String>>,
    recording: Option<Spanned<String>>,
    announced: Option<Spanned<Date>>,
    #[serde(default)]
    sequence: u32,
}

impl From<RecordFields> for MeetingRecord {
    fn from(f: RecordFields) -> Self {
        let extra = RecordExtra {
            id: f.id,
            title: f.title,
            tz: f.tz,
            time: f.time,
            duration: f.duration,
            reason: f.reason,
            sequence: f.sequence,
            agenda: f.agenda,
            recording: f.recording,
            announced: f.announced,
        };
        let rare = extra != RecordExtra::default();
        MeetingRecord {
            date: f.date,
            schedule: f.schedule,
            status: f.status,
            notes: f.notes,
            notes_published: f.notes_published,
            extra: rare.then(|| Box::new(extra)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Records {
        meetings: Vec<MeetingRecord>,
    }

    /// The rarely set fields read back as written, with their places; a record that sets none
    /// of them keeps nothing out of line.
    #[test]
    fn a_record_keeps_its_rare_fields_out_of_line_only_when_set() {
        let text = r#"
[[meetings]]
date = 2026-11-02
schedule = "weekly"
notes = "https://github.com/o/r/issues/1"

[[meetings]]
date = 2026-11-03
id = "kick-off"
title = "Kick-off"
tz = "Europe/Paris"
time = 16:00:00
duration = 45
status = "cancelled"
reason = "Snow"
sequence = 2

[[meetings]]
date = 2026-11-04
sequence = 1

[[meetings]]
date = 2026-11-09
schedule = "weekly"
agenda = "https://example.org/agenda"
recording = "https://example.org/video"
announced = 2026-11-01
"#;
        let records: Records = toml::from_str(text).expect("parses");
        let [series, one_off, raised, linked] = &records.meetings[..] else {
            panic!("four records");
        };
        assert!(series.extra.is_none());
        assert_eq!(
            series.schedule.as_ref().map(|s| s.get_ref().as_str()),
            Some("weekly")
        );
        assert!(series.id().is_none() && series.title().is_none() && series.tz().is_none());
        assert!(series.time().is_none() && series.duration().is_none());
        assert!(series.reason().is_none());
        assert!(series.agenda().is_none() && series.recording().is_none());
        assert!(series.announced().is_none());
        assert_eq!(series.sequence(), 0);

        assert_eq!(one_off.id().map(|i| i.get_ref().as_str()), Some("kick-off"));
        assert_eq!(one_off.title().map(String::as_str), Some("Kick-off"));
        let tz = one_off.tz().expect("tz");
        assert_eq!(&text[tz.span()], "\"Europe/Paris\"");
        assert_eq!(&text[one_off.time().expect("time").span()], "16:00:00");
        assert_eq!(one_off.duration().map(|d| *d.get_ref()), Some(45));
        assert_eq!(one_off.status, Some(MeetingStatus::Cancelled));
        assert_eq!(one_off.reason().map(String::as_str), Some("Snow"));
        assert_eq!(one_off.sequence(), 2);

        assert!(raised.extra.is_some());
        assert_eq!(raised.sequence(), 1);

        assert!(linked.extra.is_some());
        let agenda = linked.agenda().expect("agenda");
        assert_eq!(&text[agenda.span()], "\"https://example.org/agenda\"");
        let recording = linked.recording().map(|r| r.get_ref().as_str());
        assert_eq!(recording, Some("https://example.org/video"));
        let announced = linked.announced().expect("announced");
        assert_eq!(&text[announced.span()], "2026-11-01");
        assert!(linked.id().is_none() && linked.reason().is_none());
    }
}
