//! Activity: WG work and the retirement triggers.
//!
//! Takes: one [`Group`], the `[governance]` numbers and "today". Gives: the work rules
//! (`wg-no-work`, `work-item-ref-format`, `sep-status-invalid`, `wg-items-all-complete`,
//! `wg-maintenance-project-unknown`), the dates rule `activity-date-future`, and the inactivity
//! triggers `wg-inactive`, `wg-activity-unknown` and `ig-possibly-inactive`, measured from the
//! latest recorded activity (a work item's `last_activity`, `activity.last`, a held meeting with
//! notes, or a past meeting of a series with a `notes_url_template`).

use jiff::civil::Date as CivilDate;
use jiff::{SignedDuration, Timestamp};

use super::{Ctx, d, days_between, is_cancelled, is_work_ref, live};
use crate::check::Sink;
use crate::model::Group;
use crate::recur::OccurrenceStatus;
use crate::schema::{Date, Kind, Spanned, Status, Work, WorkItem, WorkMode};

const SEP_STATUSES: [&str; 8] = [
    "draft",
    "in-review",
    "accepted",
    "rejected",
    "withdrawn",
    "final",
    "superseded",
    "dormant",
];
const ISSUE_STATUSES: [&str; 3] = ["open", "merged", "closed"];
/// The statuses of a finished work item (the health page counts them too).
pub const TERMINAL: [&str; 6] = [
    "final",
    "rejected",
    "withdrawn",
    "superseded",
    "merged",
    "closed",
];

pub(super) fn activity(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    dates_not_future(ctx, g, sink);
    if let Some(w) = &g.fm().work {
        maintained_projects_known(ctx, g, w.get_ref(), sink);
        work_items_well_formed(g, w.get_ref(), sink);
        open_work_remains(g, w, sink);
    }
    if g.status() != Status::Active {
        return;
    }
    let latest = latest_activity(ctx, g);
    match g.kind {
        Kind::Wg => {
            wg_has_work(g, sink);
            wg_recently_active(ctx, g, latest.as_ref(), sink);
        }
        Kind::Ig => ig_recently_active(ctx, g, latest.as_ref(), sink),
    }
}

/// Activity is recorded once it has happened: `activity.last` and every work item's
/// `last_activity` lie on or before today.
fn dates_not_future(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    let mut dates: Vec<(&Spanned<Date>, String)> = Vec::new();
    if let Some(a) = &fm.activity.last {
        dates.push((a, "`activity.last`".into()));
    }
    for it in fm.work.iter().flat_map(|w| &w.get_ref().items) {
        let item = it.get_ref();
        if let Some(la) = &item.last_activity {
            let r = item.reference.get_ref().trim();
            dates.push((la, format!("`last_activity` of {r}")));
        }
    }
    for (v, what) in dates.into_iter().filter(|(v, _)| d(v) > ctx.today) {
        sink.at(
            "activity-date-future",
            g,
            g.page.pos_of(v),
            format!("{what} is {}, after today ({})", d(v), ctx.today),
            "record activity once it has happened",
        );
    }
}

/// The latest activity on or before today, and what it was: `activity.last`, a held meeting
/// with notes, the last past meeting of a series whose notes come from `notes_url_template`, or a
/// work item's `last_activity`. On a tie the first of these wins.
fn latest_activity(ctx: &Ctx, g: &Group) -> Option<(CivilDate, String)> {
    let fm = g.fm();
    let mut seen: Vec<(CivilDate, String)> = Vec::new();
    if let Some(a) = &fm.activity.last {
        seen.push((d(a), "activity.last".into()));
    }
    for m in &fm.meetings {
        let rec = m.get_ref();
        if rec.notes.is_some() && !is_cancelled(g, rec) {
            let date = d(&rec.date);
            seen.push((date, format!("the meeting on {date} with notes")));
        }
    }
    let now = ctx.now();
    for s in g.meetings.series.iter() {
        if s.notes_url_template.is_none() {
            continue;
        }
        let held = |o: &crate::recur::Occurrence| {
            !matches!(o.status, OccurrenceStatus::Cancelled { .. }) && o.end.timestamp() <= now
        };
        // The last one held in the past two months is the last one held: only a series
        // without one there expands its whole past.
        let recent = now - SignedDuration::from_hours(24 * 62);
        let last = [recent, Timestamp::MIN]
            .into_iter()
            .find_map(|from| s.occurrences(from, now).into_iter().rfind(&held));
        if let Some(o) = last {
            let date = o.start.date();
            seen.push((
                date,
                format!("the meeting on {date} (notes from `notes_url_template`)"),
            ));
        }
    }
    for it in fm.work.iter().flat_map(|w| &w.get_ref().items) {
        let item = it.get_ref();
        if let Some(la) = &item.last_activity {
            let r = item.reference.get_ref().trim();
            seen.push((d(la), format!("{r} (last_activity)")));
        }
    }
    let mut latest: Option<(CivilDate, String)> = None;
    for (date, what) in seen {
        if date <= ctx.today && latest.as_ref().is_none_or(|(l, _)| date > *l) {
            latest = Some((date, what));
        }
    }
    latest
}

/// Maintenance WGs maintain MCP projects: a `modelcontextprotocol/` repository or one listed in
/// `maintenance_projects`.
fn maintained_projects_known(ctx: &Ctx, g: &Group, work: &Work, sink: &mut Sink) {
    if !live(g) {
        return;
    }
    for p in &work.projects {
        let name = p.get_ref();
        let ours = name
            .split_once('/')
            .is_some_and(|(o, _)| o.eq_ignore_ascii_case("modelcontextprotocol"));
        if !ours && !ctx.gov.maintenance_projects.iter().any(|x| x == name) {
            sink.at(
                "wg-maintenance-project-unknown",
                g,
                g.page.pos_of(p),
                format!("`{name}` is neither a modelcontextprotocol repository nor in `maintenance_projects`"),
                "maintenance WGs maintain MCP projects; add the repository to [governance] maintenance_projects in mcpsite.toml if it qualifies",
            );
        }
    }
}

/// Each work item is a reference (`SEP-N`, `owner/repo#N`, a GitHub issue/PR URL) with a status
/// of its kind: a SEP status for SEPs, open/merged/closed for issues and PRs.
fn work_items_well_formed(g: &Group, work: &Work, sink: &mut Sink) {
    for it in &work.items {
        let item = it.get_ref();
        let r = item.reference.get_ref().trim();
        let valid_ref = is_work_ref(r);
        if !valid_ref {
            sink.at(
                "work-item-ref-format",
                g,
                g.page.pos_of(&item.reference),
                format!("`{r}` is not a work-item reference"),
                "write SEP-1234, owner/repo#12, or https://github.com/owner/repo/issues/12 (or /pull/12)",
            );
        }
        let Some(st) = &item.status else { continue };
        let s = st.get_ref().as_str();
        let allowed: Vec<&str> = if r.starts_with("SEP-") {
            SEP_STATUSES.to_vec()
        } else if valid_ref {
            ISSUE_STATUSES.to_vec()
        } else {
            SEP_STATUSES
                .iter()
                .chain(&ISSUE_STATUSES)
                .copied()
                .collect()
        };
        if !allowed.contains(&s) {
            sink.at(
                "sep-status-invalid",
                g,
                g.page.pos_of(st),
                format!("`{s}` is not a status of `{r}`"),
                format!("use one of: {}", allowed.join(", ")),
            );
        }
    }
}

/// An active WG whose every work item is finished is a retirement candidate.
fn open_work_remains(g: &Group, w: &Spanned<Work>, sink: &mut Sink) {
    let items = &w.get_ref().items;
    let finished = |i: &Spanned<WorkItem>| {
        i.get_ref()
            .status
            .as_ref()
            .is_some_and(|s| TERMINAL.contains(&s.get_ref().as_str()))
    };
    if g.status() == Status::Active && !items.is_empty() && items.iter().all(finished) {
        sink.at(
            "wg-items-all-complete",
            g,
            g.page.pos_of(w),
            "every work item is finished (final, merged, closed, rejected, withdrawn or superseded)",
            "the governance text retires a WG that has completed all the Issues/PRs it meant to pursue: add the next item, or propose retirement",
        );
    }
}

/// An active WG works on a SEP, issue or PR, or maintains a project, as its mode says.
fn wg_has_work(g: &Group, sink: &mut Sink) {
    let Some(w) = &g.fm().work else {
        sink.at(
            "wg-no-work",
            g,
            g.page.top(),
            "this active WG records no [work]: neither a SEP or implementation in progress nor a maintained project",
            "add [work] with mode = \"spec\" and a [[work.items]] ref = \"SEP-…\", or mode = \"maintenance\" with projects = [\"owner/name\"]",
        );
        return;
    };
    let work = w.get_ref();
    let mode = *work.mode.get_ref();
    let lacking = [
        (
            matches!(mode, WorkMode::Spec | WorkMode::Both) && work.items.is_empty(),
            "the work mode includes spec work, but no [[work.items]] names a SEP, issue or PR",
            "add [[work.items]] with ref = \"SEP-1234\" (or owner/repo#12)",
        ),
        (
            matches!(mode, WorkMode::Maintenance | WorkMode::Both) && work.projects.is_empty(),
            "the work mode includes maintenance, but `work.projects` names no maintained project",
            "add projects = [\"modelcontextprotocol/…\"], or set mode = \"spec\"",
        ),
    ];
    for (_, message, help) in lacking.into_iter().filter(|l| l.0) {
        sink.at("wg-no-work", g, g.page.pos_of(&work.mode), message, help);
    }
}

/// The governance text retires a WG with no active Issue/PR for a month (`wg_inactive_days`).
fn wg_recently_active(ctx: &Ctx, g: &Group, latest: Option<&(CivilDate, String)>, sink: &mut Sink) {
    let status_pos = g.page.pos_of(&g.fm().status);
    match latest {
        None => sink.at(
            "wg-activity-unknown",
            g,
            status_pos,
            "no activity is recorded for this active WG (no work-item `last_activity`, `activity.last`, or meeting with notes)",
            "record the latest activity: last_activity on a [[work.items]], [activity] last = YYYY-MM-DD, or meeting notes",
        ),
        Some((date, what))
            if days_between(*date, ctx.today) > i64::from(ctx.gov.wg_inactive_days) =>
        {
            sink.at(
                "wg-inactive",
                g,
                status_pos,
                format!(
                    "the latest recorded activity is {what}, {} days before {}; the governance text retires a WG with no active Issue/PR for a month",
                    days_between(*date, ctx.today),
                    ctx.today
                ),
                "record recent activity (work-item last_activity, meeting notes), or propose retirement with retired_reason = \"inactive\"",
            )
        }
        Some(_) => {}
    }
}

/// An IG quiet for `ig_inactive_days` is worth a look; moderators decide.
fn ig_recently_active(ctx: &Ctx, g: &Group, latest: Option<&(CivilDate, String)>, sink: &mut Sink) {
    let msg = match latest {
        None => "no activity is recorded (no `activity.last`, no meeting with notes)".to_string(),
        Some((date, what))
            if days_between(*date, ctx.today) > i64::from(ctx.gov.ig_inactive_days) =>
        {
            format!(
                "the latest recorded activity is {what}, {} days before {}",
                days_between(*date, ctx.today),
                ctx.today
            )
        }
        Some(_) => return,
    };
    sink.at(
        "ig-possibly-inactive",
        g,
        g.page.pos_of(&g.fm().status),
        format!("{msg}; moderators decide whether the IG is still active"),
        "record meetings with notes or [activity] last = YYYY-MM-DD",
    );
}
