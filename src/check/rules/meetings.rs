//! Meetings and notes: what the front matter's schedules, exceptions and meeting records say
//! about notes, announcements and the meetings ahead.
//!
//! Takes: one [`Group`] with its resolved meetings, the `[governance]` numbers and "today".
//! Gives: `notes-url-invalid`, `notes-kind-not-allowed`, `past-meeting-without-notes` (per
//! one-off record and per series), `notes-late`, `notes-on-cancelled`,
//! `notes-for-future-meeting`, `notes-duplicate`, `announce-too-late`, `active-group-no-upcoming`
//! and `cadence-conflict`.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date as CivilDate;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::{Ctx, d, days_between, is_cancelled, live, table_pos};
use crate::check::Sink;
use crate::check::notes::{notes_kind, sample_template};
use crate::diag::Pos;
use crate::model::Group;
use crate::recur::{OccurrenceStatus, RecordKind};
use crate::schema::{ExceptionAction, MeetingRecord, Spanned, Status};

/// The end of the meeting record number `index`, as the recurrence engine resolved it (after
/// moves), when it is an occurrence of a series or a one-off.
fn resolved_end(g: &Group, index: usize) -> Option<(Timestamp, TimeZone)> {
    let r = g.meetings.records.iter().find(|r| r.index == index)?;
    match &r.kind {
        RecordKind::Occurrence {
            series_id,
            occurrence: Some(o),
        } => (g.meetings.series.iter())
            .find(|s| &s.id == series_id)
            .map(|s| (o.end, s.tz.clone())),
        RecordKind::OneOff { id } => g
            .meetings
            .one_offs
            .iter()
            .find(|o| &o.id == id)
            .map(|o| (o.end.timestamp(), o.tz.clone())),
        _ => None,
    }
}

/// The instant a recorded meeting ends, computed from the front matter, when its start time and
/// zone are known (the fallback for records the recurrence engine did not place).
fn meeting_end(g: &Group, m: &MeetingRecord) -> Option<(Timestamp, TimeZone)> {
    let fm = g.fm();
    let date = d(&m.date);
    let (start, tz_name, minutes) = match &m.schedule {
        Some(sid) => {
            let s = fm
                .schedule
                .iter()
                .map(|s| s.get_ref())
                .find(|s| s.id.get_ref() == sid.get_ref())?;
            let moved = s
                .exceptions
                .iter()
                .map(|e| e.get_ref())
                .find(|e| d(&e.date) == date && *e.action.get_ref() == ExceptionAction::Move);
            match moved {
                Some(e) => (
                    e.to.as_ref()?.get_ref().0,
                    s.tz.get_ref().as_str(),
                    e.duration.as_ref().unwrap_or(&s.duration).get_ref(),
                ),
                None => (
                    date.to_datetime(s.start.get_ref().0.time()),
                    s.tz.get_ref().as_str(),
                    m.duration().unwrap_or(&s.duration).get_ref(),
                ),
            }
        }
        None => (
            date.to_datetime(m.time()?.get_ref().0),
            m.tz()?.get_ref().as_str(),
            m.duration()?.get_ref(),
        ),
    };
    let tz = TimeZone::get(tz_name).ok()?;
    let zoned = start.to_zoned_datetime(tz.clone()).ok()?;
    let end = zoned.timestamp() + SignedDuration::from_mins(i64::from(*minutes));
    Some((end, tz))
}

/// "a, b or c".
fn or_list(items: &[String]) -> String {
    match items {
        [] => "nothing".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Reports a notes link that matches no known host pattern, or whose kind is not allowed.
fn notes_link(
    ctx: &Ctx,
    g: &Group,
    url: &Spanned<String>,
    what: &str,
    template: bool,
    sink: &mut Sink,
) {
    let probe = if template {
        sample_template(url.get_ref())
    } else {
        url.get_ref().clone()
    };
    if !probe.starts_with("https://") {
        return; // The build reports `url-invalid`.
    }
    match notes_kind(&probe) {
        None => sink.at(
            "notes-url-invalid",
            g,
            g.page.pos_of(url),
            format!("{what} `{}` is not a known kind of notes link", url.get_ref()),
            "link a GitHub issue (…/issues/N), a GitHub discussion (…/discussions/N), a Google Doc (docs.google.com/document/d/…), a repository file (…/blob/<ref>/<path>) or a Discord thread (discord.com/channels/…)",
        ),
        Some(k) if !ctx.notes_kind_ok(k.as_str()) => sink.at(
            "notes-kind-not-allowed",
            g,
            g.page.pos_of(url),
            format!(
                "{what} is a {} link; the governance rules ask for notes as {}",
                k.as_str(),
                or_list(&ctx.gov.notes_kinds_ok)
            ),
            "share the notes as a GitHub issue (labelled `notes`) or a public Google Doc, or change `notes_kinds_ok` in mcpsite.toml if the rules changed",
        ),
        Some(_) => {}
    }
}

pub(super) fn meetings_and_notes(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    notes_places_allowed(ctx, g, sink);
    for (index, m) in g.fm().meetings.iter().enumerate() {
        let rec = m.get_ref();
        match &rec.notes {
            Some(notes) => record_with_notes(ctx, g, index, rec, notes, sink),
            None => record_without_notes(ctx, g, index, rec, sink),
        }
        announced_early(ctx, g, rec, sink);
    }
    notes_not_shared(g, sink);
    series_without_notes(ctx, g, sink);
    upcoming_and_cadence(ctx, g, sink);
}

/// The places that hold every meeting's notes (`links.notes_index`, a `notes_url_template`) are
/// links of a known, allowed kind.
fn notes_places_allowed(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    if let Some(ni) = &fm.links.notes_index {
        notes_link(ctx, g, ni, "`links.notes_index`", false, sink);
    }
    for s in &fm.schedule {
        if let Some(t) = &s.get_ref().notes_url_template {
            notes_link(ctx, g, t, "`notes_url_template`", true, sink);
        }
    }
}

/// The end of the meeting of record `index`: where the recurrence engine placed it, else from
/// the front matter.
fn record_end(g: &Group, index: usize, rec: &MeetingRecord) -> Option<(Timestamp, TimeZone)> {
    resolved_end(g, index).or_else(|| meeting_end(g, rec))
}

/// The end of `date` in UTC: when a meeting without a known time is taken to have ended.
fn end_of_day_utc(date: CivilDate) -> Option<Timestamp> {
    date.tomorrow()
        .ok()
        .and_then(|t| t.to_zoned_datetime(TimeZone::UTC).ok())
        .map(|z| z.timestamp())
}

/// A record's notes: a link of an allowed kind, for a meeting that took place (not cancelled,
/// not still ahead), published in time.
fn record_with_notes(
    ctx: &Ctx,
    g: &Group,
    index: usize,
    rec: &MeetingRecord,
    notes: &Spanned<String>,
    sink: &mut Sink,
) {
    let date = d(&rec.date);
    notes_link(ctx, g, notes, "the notes link", false, sink);
    if is_cancelled(g, rec) {
        sink.at(
            "notes-on-cancelled",
            g,
            g.page.pos_of(notes),
            format!("the meeting on {date} is cancelled but has notes"),
            "remove the notes link, or drop the cancellation if the meeting took place",
        );
    } else if date > ctx.today {
        sink.at(
            "notes-for-future-meeting",
            g,
            g.page.pos_of(notes),
            format!(
                "the meeting on {date} has not happened yet (today is {}) but has notes",
                ctx.today
            ),
            "put a link to the agenda in `agenda`; add `notes` after the meeting",
        );
    }
    let Some(p) = &rec.notes_published else {
        return;
    };
    // Benefit of the doubt: notes count from the start of the day they were published; a
    // meeting without a known time ends at the end of its day (UTC).
    let (end, tz) = record_end(g, index, rec).unwrap_or_else(|| {
        let e = end_of_day_utc(date).unwrap_or(Timestamp::UNIX_EPOCH);
        (e, TimeZone::UTC)
    });
    let grace = SignedDuration::from_hours(i64::from(ctx.gov.notes_grace_hours));
    if let Ok(published) = d(p).to_zoned_datetime(tz)
        && published.timestamp().duration_since(end) > grace
    {
        sink.at(
            "notes-late",
            g,
            g.page.pos_of(p),
            format!(
                "notes for the meeting on {date} were published on {}, more than {} h after it ended",
                d(p),
                ctx.gov.notes_grace_hours
            ),
            format!(
                "the governance rules ask for notes shortly after each meeting; aim for {} h",
                ctx.gov.notes_grace_hours
            ),
        );
    }
}

/// A one-off record without notes, for a meeting that ended more than `notes_grace_hours` ago
/// and was not cancelled. (Records of a series are reported per series, by
/// [`series_without_notes`]; a rolling `links.notes_index` covers every meeting.)
fn record_without_notes(ctx: &Ctx, g: &Group, index: usize, rec: &MeetingRecord, sink: &mut Sink) {
    if rec.schedule.is_some() || g.fm().links.notes_index.is_some() || is_cancelled(g, rec) {
        return;
    }
    let date = d(&rec.date);
    let ended = record_end(g, index, rec)
        .map(|(e, _)| e)
        .or_else(|| end_of_day_utc(date));
    let grace = SignedDuration::from_hours(i64::from(ctx.gov.notes_grace_hours));
    if ended.is_some_and(|e| ctx.now().duration_since(e) > grace) {
        sink.at(
            "past-meeting-without-notes",
            g,
            g.page.pos_of(&rec.date),
            format!(
                "the meeting on {date} ended more than {} h ago and has no notes",
                ctx.gov.notes_grace_hours
            ),
            "add notes = \"<link>\" (a GitHub issue or public Google Doc), or status = \"cancelled\" if it did not take place",
        );
    }
}

/// With `announce_days` set, a meeting is announced at least that many days ahead.
fn announced_early(ctx: &Ctx, g: &Group, rec: &MeetingRecord, sink: &mut Sink) {
    let Some(a) = rec.announced() else { return };
    if ctx.gov.announce_days == 0 {
        return;
    }
    let date = d(&rec.date);
    let ahead = days_between(d(a), date);
    if ahead < i64::from(ctx.gov.announce_days) {
        sink.at(
            "announce-too-late",
            g,
            g.page.pos_of(a),
            format!(
                "the meeting on {date} was announced {ahead} day(s) ahead; the rules ask for {}",
                ctx.gov.announce_days
            ),
            "publish meetings on the community calendar earlier",
        );
    }
}

/// Each meeting links its own notes; only the rolling `links.notes_index` may be shared.
fn notes_not_shared(g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    let notes_index = fm.links.notes_index.as_ref();
    let mut by_url: BTreeMap<&str, Vec<&MeetingRecord>> = BTreeMap::new();
    for rec in fm.meetings.iter().map(|m| m.get_ref()) {
        if let Some(n) = &rec.notes {
            by_url.entry(n.get_ref()).or_default().push(rec);
        }
    }
    for (url, recs) in by_url {
        if recs.len() < 2 || notes_index.is_some_and(|ni| ni.get_ref() == url) {
            continue;
        }
        for rec in &recs[1..] {
            let n = rec.notes.as_ref().expect("grouped by notes");
            sink.at(
                "notes-duplicate",
                g,
                g.page.pos_of(n),
                format!(
                    "the notes link of {} is also the notes link of {}",
                    d(&rec.date),
                    d(&recs[0].date)
                ),
                "link each meeting's own notes; a rolling document belongs in `links.notes_index`",
            );
        }
    }
}

/// The `[[schedule]]` entry's id, to locate findings about a series.
fn schedule_pos(g: &Group, id: &str) -> Pos {
    g.fm()
        .schedule
        .iter()
        .find(|s| s.get_ref().id.get_ref() == id)
        .map_or_else(
            || table_pos(&g.page, "schedule"),
            |s| g.page.pos_of(&s.get_ref().id),
        )
}

/// (series id, original date) of every meeting record that carries notes.
fn noted_occurrences(g: &Group) -> BTreeSet<(String, CivilDate)> {
    let fm = g.fm();
    g.meetings
        .records
        .iter()
        .filter_map(|r| {
            let rec = fm.meetings.get(r.index)?.get_ref();
            rec.notes.as_ref()?;
            match &r.kind {
                RecordKind::Occurrence {
                    series_id,
                    occurrence,
                } => Some((
                    series_id.clone(),
                    occurrence
                        .as_ref()
                        .map_or(r.date, |o| o.original_start.date()),
                )),
                _ => None,
            }
        })
        .collect()
}

fn list_dates(dates: &[CivilDate]) -> String {
    const SHOW: usize = 6;
    let shown: Vec<String> = dates.iter().take(SHOW).map(|d| d.to_string()).collect();
    if dates.len() > SHOW {
        format!("{} and {} more", shown.join(", "), dates.len() - SHOW)
    } else {
        shown.join(", ")
    }
}

/// Past occurrences of a series that were not cancelled and have no notes: one finding per
/// series, at its `id`. A `notes_url_template` or a rolling `links.notes_index` covers them all.
fn series_without_notes(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    if g.fm().links.notes_index.is_some() {
        return;
    }
    let grace = SignedDuration::from_hours(i64::from(ctx.gov.notes_grace_hours));
    let cutoff = ctx.now() - grace;
    let noted = noted_occurrences(g);
    for s in &g.meetings.series {
        if s.notes_url_template.is_some() {
            continue;
        }
        let missing: Vec<CivilDate> = s
            .occurrences(Timestamp::MIN, cutoff)
            .into_iter()
            .filter(|o| !matches!(o.status, OccurrenceStatus::Cancelled { .. }))
            .filter(|o| o.end.timestamp() <= cutoff)
            .map(|o| o.original_start.date())
            .filter(|d| !noted.contains(&(s.id.clone(), *d)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        sink.at(
            "past-meeting-without-notes",
            g,
            schedule_pos(g, &s.id),
            format!(
                "{} meeting(s) of schedule `{}` ended more than {} h ago without notes: {}",
                missing.len(),
                s.id,
                ctx.gov.notes_grace_hours,
                list_dates(&missing)
            ),
            format!(
                "add a [[meetings]] record with schedule = \"{}\", the date and notes = \"<link>\" for each; cancel meetings that did not happen ([[schedule.exceptions]] action = \"cancel\"); or set notes_url_template or links.notes_index",
                s.id
            ),
        );
    }
}

/// An active group should have a meeting ahead, and one group's series should not overlap.
fn upcoming_and_cadence(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let series = &g.meetings.series;
    if series.is_empty() || !live(g) {
        return;
    }
    let now = ctx.now();
    let live_occ = |s: &crate::recur::Series, to: Timestamp| {
        s.occurrences(now, to)
            .into_iter()
            .filter(|o| !matches!(o.status, OccurrenceStatus::Cancelled { .. }))
            .collect::<Vec<_>>()
    };
    if g.status() == Status::Active {
        // A meeting in the next two months answers as well as one in the next 400 days, and
        // most series have one: only those without expand the whole span.
        let ahead = |s: &crate::recur::Series| {
            [62, 400]
                .iter()
                .any(|&days| !live_occ(s, now + SignedDuration::from_hours(24 * days)).is_empty())
        };
        let series_ahead = series.iter().any(ahead);
        let one_off_ahead = g
            .meetings
            .one_offs
            .iter()
            .any(|o| !o.cancelled && o.start.timestamp() >= now);
        if !series_ahead && !one_off_ahead {
            sink.at(
                "active-group-no-upcoming",
                g,
                table_pos(&g.page, "schedule"),
                "the group is active, but none of its schedules has a meeting ahead",
                "add the current schedule (a new [[schedule]] with a new id), or update the status",
            );
        }
    }
    // Only two series can clash: one series' meetings never overlap each other here.
    if series.len() < 2 {
        return;
    }
    let year = now + SignedDuration::from_hours(24 * 365);
    // Each series expanded once; the overlapping pairs found in one sweep.
    let occ: Vec<_> = series.iter().map(|s| live_occ(s, year)).collect();
    let spans: Vec<Vec<_>> = occ
        .iter()
        .map(|o| {
            o.iter()
                .map(|x| (x.start.timestamp(), x.end.timestamp()))
                .collect()
        })
        .collect();
    for ((ia, ib), (ix, iy)) in crate::check::overlap::first_clashes(&spans) {
        let (a, b) = (&series[ia], &series[ib]);
        let (x, y) = (&occ[ia][ix], &occ[ib][iy]);
        sink.at(
            "cadence-conflict",
            g,
            schedule_pos(g, &b.id),
            format!(
                "schedule `{}` overlaps schedule `{}` on {}: {}–{} and {}–{} {}",
                b.id,
                a.id,
                x.start.date(),
                x.start.strftime("%H:%M"),
                x.end.strftime("%H:%M"),
                y.start
                    .with_time_zone(x.start.time_zone().clone())
                    .strftime("%H:%M"),
                y.end
                    .with_time_zone(x.start.time_zone().clone())
                    .strftime("%H:%M"),
                a.tz_name
            ),
            "end the old schedule with `until` when a new one replaces it, or move one of them",
        );
    }
}
