//! The figures of one group: what the health page's table and `/health.json` show per group.
//!
//! Takes: a live [`Group`], `today`, the `[health]` window and the findings of the run. Gives:
//! [`Figures`]: facilitators, last activity and days since, meetings held in the window and how
//! many had notes (cancellations excluded), the next meeting, how much of the creation template
//! is filled, and the open findings by severity.
//!
//! Last activity is the latest date, on or before today, of: `activity.last`, a work item's
//! `last_activity`, a `[[meetings]]` record with notes that was not cancelled, and the latest
//! meeting held with notes in the range the page looks at (the strip's 52 weeks and the window):
//! the facts the `wg-inactive` and `ig-possibly-inactive` rules weigh, and also meetings whose
//! notes are kept in a rolling `links.notes_index`, which those rules cannot date.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::meetings::{Outcome, PastMeeting};
use crate::check::rules::is_cancelled;
use crate::check::template::template;
use crate::diag::{Diagnostic, Severity};
use crate::model::Group;
use crate::recur::OccurrenceStatus;
use crate::timefmt;

/// A facilitator as the page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facilitator {
    /// Their display name.
    pub name: Option<String>,
    /// Their GitHub handle.
    pub github: Option<String>,
    /// When their term ends (or ended), if recorded.
    pub term_ends: Option<Date>,
}

impl Facilitator {
    /// The name, else `@handle`.
    pub fn label(&self) -> String {
        match (&self.name, &self.github) {
            (Some(n), _) => n.clone(),
            (None, Some(h)) => format!("@{h}"),
            (None, None) => "unnamed".into(),
        }
    }
}

/// The latest recorded activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    /// The date of the activity.
    pub date: Date,
    /// What it was: "last_activity of SEP-1234", "the meeting on 2026-08-12 with notes"…
    pub source: String,
    /// Whole days from `date` to today.
    pub days_since: i64,
}

/// Meetings in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct MeetingCounts {
    /// Took place (moved ones included).
    pub held: usize,
    /// Took place and have notes.
    pub with_notes: usize,
    /// Cancelled.
    pub cancelled: usize,
    /// Took place at another time than scheduled (counted in `held` too).
    pub moved: usize,
}

impl MeetingCounts {
    /// The counts of the meetings of `past` on or after `window_from`.
    pub fn in_window(past: &[PastMeeting], window_from: Date) -> MeetingCounts {
        let mut c = MeetingCounts::default();
        for m in past.iter().filter(|m| m.date >= window_from) {
            match m.outcome {
                Outcome::Cancelled => c.cancelled += 1,
                o => {
                    c.held += 1;
                    c.with_notes += usize::from(o.has_notes());
                    c.moved += usize::from(matches!(o, Outcome::Moved { .. }));
                }
            }
        }
        c
    }

    /// Held meetings with notes / held meetings, in percent rounded down; `None` when none was
    /// held.
    pub fn coverage_percent(&self) -> Option<u32> {
        (self.held > 0).then(|| (self.with_notes * 100 / self.held) as u32)
    }
}

/// The next meeting that is not cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextMeeting {
    /// The instant, RFC 3339 in UTC.
    pub start: String,
    /// Local date and time in the meeting's zone.
    pub local_date: Date,
    /// Local start time, `HH:MM`.
    pub local_time: String,
    /// The meeting's IANA zone.
    pub tz: String,
}

/// How much of the creation template is filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateFill {
    /// Template fields filled.
    pub filled: usize,
    /// Template fields the group's kind is asked for.
    pub asked: usize,
    /// The keys still missing, as `mcpsite check` reports them.
    pub missing: Vec<&'static str>,
}

/// Open findings of the group's page, by severity.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct FindingCounts {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Infos.
    pub info: usize,
    /// Each rule once with how often it fired, errors first, then by id.
    pub rules: Vec<RuleCount>,
}

/// How often one rule fired on the group's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    /// The rule id.
    pub rule: String,
    /// The rule's severity, e.g. `warning`.
    pub severity: &'static str,
    /// How many findings.
    pub count: usize,
}

/// Everything the health page says about one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// The facilitators.
    pub facilitators: Vec<Facilitator>,
    /// The latest recorded activity.
    pub last_activity: Option<Activity>,
    /// Meetings in the window.
    pub meetings: MeetingCounts,
    /// Held meetings with notes / held meetings in the window, in percent; `null` when none.
    pub notes_coverage_percent: Option<u32>,
    /// The next meeting that is not cancelled.
    pub next_meeting: Option<NextMeeting>,
    /// How much of the creation template is filled.
    pub template: TemplateFill,
    /// Open findings, by severity.
    pub findings: FindingCounts,
}

/// The start of `today`, UTC: "now" for every time-based figure, as for the check rules.
pub fn now(today: Date) -> Timestamp {
    today
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp())
}

/// Whole days from `a` to `b`.
pub fn days_between(a: Date, b: Date) -> i64 {
    a.duration_until(b).as_hours() / 24
}

/// The figures of `g`; `past` holds the group's past meetings since `window_from` or earlier,
/// in date order.
pub fn figures(
    g: &Group,
    today: Date,
    window_from: Date,
    past: &[PastMeeting],
    findings: FindingCounts,
) -> Figures {
    let meetings = MeetingCounts::in_window(past, window_from);
    Figures {
        facilitators: facilitators(g),
        last_activity: last_activity(g, today, past),
        notes_coverage_percent: meetings.coverage_percent(),
        meetings,
        next_meeting: next_meeting(g, today),
        template: template_fill(g, &findings),
        findings,
    }
}

fn facilitators(g: &Group) -> Vec<Facilitator> {
    g.fm()
        .facilitators
        .iter()
        .map(|p| {
            let p = p.get_ref();
            Facilitator {
                name: p.name.clone(),
                github: p.github.as_ref().map(|h| h.get_ref().clone()),
                term_ends: p.term_ends.as_ref().map(|t| t.get_ref().0),
            }
        })
        .collect()
}

/// The latest recorded activity on or before today (see the module docs for what counts);
/// `past` are the group's past meetings in the range the page looks at, in date order.
pub fn last_activity(g: &Group, today: Date, past: &[PastMeeting]) -> Option<Activity> {
    let fm = g.fm();
    let recorded = (fm.activity.last.iter()).map(|a| (a.get_ref().0, Source::Recorded));
    let work = (fm.work.iter().flat_map(|w| &w.get_ref().items)).filter_map(|it| {
        let it = it.get_ref();
        let date = it.last_activity.as_ref()?.get_ref().0;
        Some((date, Source::WorkItem(it.reference.get_ref().trim())))
    });
    let records = (fm.meetings.iter())
        .map(|m| m.get_ref())
        .filter(|rec| rec.notes.is_some() && !is_cancelled(g, rec))
        .map(|rec| (rec.date.get_ref().0, Source::Meeting));
    let held =
        (past.iter().rev().find(|m| m.outcome.has_notes())).map(|m| (m.date, Source::Meeting));
    // The latest; of equal dates, the first recorded. Only the latest is put in words.
    let mut latest: Option<(Date, Source)> = None;
    for (date, source) in recorded.chain(work).chain(records).chain(held) {
        if date <= today && latest.as_ref().is_none_or(|(l, _)| date > *l) {
            latest = Some((date, source));
        }
    }
    latest.map(|(date, source)| Activity {
        date,
        source: source.words(date),
        days_since: days_between(date, today),
    })
}

/// Where a group's latest activity was recorded.
enum Source<'a> {
    /// `[activity] last`.
    Recorded,
    /// A `[[work.items]]` entry's `last_activity`, with the item's reference.
    WorkItem(&'a str),
    /// A meeting with notes.
    Meeting,
}

impl Source<'_> {
    /// How the health page names it, for activity on `date`.
    fn words(&self, date: Date) -> String {
        match self {
            Source::Recorded => "activity.last".into(),
            Source::WorkItem(r) => format!("last_activity of {r}"),
            Source::Meeting => format!("the meeting on {date} with notes"),
        }
    }
}

/// The first meeting from now on that is not cancelled, within 400 days.
fn next_meeting(g: &Group, today: Date) -> Option<NextMeeting> {
    let now = now(today);
    // Occurrences come in start order, so the first one in a shorter window is the first in the
    // whole; most groups meet within two months, and expanding 400 days for each was half the work of
    // a group's health row.
    let first_within = |s: &crate::recur::Series, days: i64| {
        s.occurrences(now, now + SignedDuration::from_hours(24 * days))
            .into_iter()
            .find(|o| !matches!(o.status, OccurrenceStatus::Cancelled { .. }))
    };
    let series = g.meetings.series.iter().flat_map(|s| {
        first_within(s, 62)
            .or_else(|| first_within(s, 400))
            .map(|o| (o.start, s.tz_name.clone()))
    });
    let one_offs = g
        .meetings
        .one_offs
        .iter()
        .filter(|o| !o.cancelled && o.start.timestamp() >= now)
        .map(|o| (o.start.clone(), o.tz_name.clone()));
    let (start, tz) = series
        .chain(one_offs)
        .min_by(|a, b| (a.0.timestamp(), &a.1).cmp(&(b.0.timestamp(), &b.1)))?;
    Some(NextMeeting {
        start: start.timestamp().to_string(),
        local_date: start.date(),
        local_time: timefmt::hh_mm(start.time()),
        tz,
    })
}

/// The counts of one group's findings: those whose path is its page's.
pub fn finding_counts<'a>(findings: impl IntoIterator<Item = &'a Diagnostic>) -> FindingCounts {
    let rank = |s: &str| match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    let mut c = FindingCounts::default();
    for d in findings {
        match d.severity {
            Severity::Error => c.error += 1,
            Severity::Warning => c.warning += 1,
            Severity::Info => c.info += 1,
        }
        match c.rules.iter_mut().find(|r| r.rule == d.rule) {
            Some(r) => {
                r.count += 1;
                // The most serious, whatever order the findings come in.
                if rank(d.severity.as_str()) < rank(r.severity) {
                    r.severity = d.severity.as_str();
                }
            }
            None => c.rules.push(RuleCount {
                rule: d.rule.clone(),
                severity: d.severity.as_str(),
                count: 1,
            }),
        }
    }
    c.rules
        .sort_by(|a, b| (rank(a.severity), &a.rule).cmp(&(rank(b.severity), &b.rule)));
    c
}

/// A template field counts as filled when the rule that asks for it reports nothing here.
fn template_fill(g: &Group, findings: &FindingCounts) -> TemplateFill {
    let asked = template(g.kind);
    let missing: Vec<&'static str> = asked
        .iter()
        .filter(|f| findings.rules.iter().any(|r| r.rule == f.rule))
        .map(|f| f.key)
        .collect();
    TemplateFill {
        filled: asked.len() - missing.len(),
        asked: asked.len(),
        missing,
    }
}
