//! Activity: WG work and the retirement triggers.
//!
//! Takes: one [`Group`], the `[governance]` numbers and "today". Gives: the work rules
//! (`wg-no-work`, `work-item-ref-format`, `sep-status-invalid`, `wg-items-all-complete`,
//! `wg-maintenance-project-unknown`), the dates rule `activity-date-future`, and the inactivity
//! triggers `wg-inactive`, `wg-activity-unknown` and `ig-possibly-inactive`, measured from the
//! latest recorded activity (a work item's `last_activity`, `activity.last`, a held meeting with
//! notes, or a past meeting of a series with a `notes_url_template`).

use jiff::Timestamp;
use jiff::civil::Date as CivilDate;

use super::{Ctx, d, days_between, is_cancelled, is_work_ref, live};
use crate::check::Sink;
use crate::model::Group;
use crate::recur::OccurrenceStatus;
use crate::schema::{Kind, Status, WorkMode};

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
const TERMINAL: [&str; 6] = [
    "final",
    "rejected",
    "withdrawn",
    "superseded",
    "merged",
    "closed",
];

pub(super) fn activity(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    let page = &g.page;
    let active = g.status() == Status::Active;

    let mut latest: Option<(CivilDate, String)> = None;
    let mut note = |date: CivilDate, what: String| {
        if date <= ctx.today && latest.as_ref().is_none_or(|(l, _)| date > *l) {
            latest = Some((date, what));
        }
    };
    if let Some(a) = &fm.activity.last {
        note(d(a), "activity.last".into());
        if d(a) > ctx.today {
            sink.at(
                "activity-date-future",
                g,
                page.pos_of(a),
                format!("`activity.last` is {}, after today ({})", d(a), ctx.today),
                "record activity once it has happened",
            );
        }
    }
    for m in &fm.meetings {
        let rec = m.get_ref();
        if rec.notes.is_some() && !is_cancelled(g, rec) {
            note(
                d(&rec.date),
                format!("the meeting on {} with notes", d(&rec.date)),
            );
        }
    }

    let now = ctx.now();
    for s in &g.meetings.series {
        if s.notes_url_template.is_none() {
            continue;
        }
        let last = s.occurrences(Timestamp::MIN, now).into_iter().rfind(|o| {
            !matches!(o.status, OccurrenceStatus::Cancelled { .. }) && o.end.timestamp() <= now
        });
        if let Some(o) = last {
            let date = o.start.date();
            note(
                date,
                format!("the meeting on {date} (notes from `notes_url_template`)"),
            );
        }
    }

    if let Some(w) = &fm.work {
        let work = w.get_ref();
        for p in &work.projects {
            let name = p.get_ref();
            let ours = name
                .split_once('/')
                .is_some_and(|(o, _)| o.eq_ignore_ascii_case("modelcontextprotocol"));
            if live(g) && !ours && !ctx.gov.maintenance_projects.iter().any(|x| x == name) {
                sink.at(
                    "wg-maintenance-project-unknown",
                    g,
                    page.pos_of(p),
                    format!("`{name}` is neither a modelcontextprotocol repository nor in `maintenance_projects`"),
                    "maintenance WGs maintain MCP projects; add the repository to [governance] maintenance_projects in mcpsite.toml if it qualifies",
                );
            }
        }
        for it in &work.items {
            let item = it.get_ref();
            let r = item.reference.get_ref().trim();
            let valid_ref = is_work_ref(r);
            if !valid_ref {
                sink.at(
                    "work-item-ref-format",
                    g,
                    page.pos_of(&item.reference),
                    format!("`{r}` is not a work-item reference"),
                    "write SEP-1234, owner/repo#12, or https://github.com/owner/repo/issues/12 (or /pull/12)",
                );
            }
            if let Some(st) = &item.status {
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
                        page.pos_of(st),
                        format!("`{s}` is not a status of `{r}`"),
                        format!("use one of: {}", allowed.join(", ")),
                    );
                }
            }
            if let Some(la) = &item.last_activity {
                note(d(la), format!("{r} (last_activity)"));
                if d(la) > ctx.today {
                    sink.at(
                        "activity-date-future",
                        g,
                        page.pos_of(la),
                        format!(
                            "`last_activity` of {r} is {}, after today ({})",
                            d(la),
                            ctx.today
                        ),
                        "record activity once it has happened",
                    );
                }
            }
        }
        if active
            && !work.items.is_empty()
            && work.items.iter().all(|i| {
                i.get_ref()
                    .status
                    .as_ref()
                    .is_some_and(|s| TERMINAL.contains(&s.get_ref().as_str()))
            })
        {
            sink.at(
                "wg-items-all-complete",
                g,
                page.pos_of(w),
                "every work item is finished (final, merged, closed, rejected, withdrawn or superseded)",
                "the governance text retires a WG that has completed all the Issues/PRs it meant to pursue: add the next item, or propose retirement",
            );
        }
    }

    if g.kind == Kind::Wg && active {
        match &fm.work {
            None => sink.at(
                "wg-no-work",
                g,
                g.page.top(),
                "this active WG records no [work]: neither a SEP or implementation in progress nor a maintained project",
                "add [work] with mode = \"spec\" and a [[work.items]] ref = \"SEP-…\", or mode = \"maintenance\" with projects = [\"owner/name\"]",
            ),
            Some(w) => {
                let work = w.get_ref();
                let mode = *work.mode.get_ref();
                let needs_items = matches!(mode, WorkMode::Spec | WorkMode::Both);
                let needs_projects = matches!(mode, WorkMode::Maintenance | WorkMode::Both);
                if needs_items && work.items.is_empty() {
                    sink.at(
                        "wg-no-work",
                        g,
                        page.pos_of(&work.mode),
                        "the work mode includes spec work, but no [[work.items]] names a SEP, issue or PR",
                        "add [[work.items]] with ref = \"SEP-1234\" (or owner/repo#12)",
                    );
                }
                if needs_projects && work.projects.is_empty() {
                    sink.at(
                        "wg-no-work",
                        g,
                        page.pos_of(&work.mode),
                        "the work mode includes maintenance, but `work.projects` names no maintained project",
                        "add projects = [\"modelcontextprotocol/…\"], or set mode = \"spec\"",
                    );
                }
            }
        }
        let limit = i64::from(ctx.gov.wg_inactive_days);
        match &latest {
            None => sink.at(
                "wg-activity-unknown",
                g,
                page.pos_of(&fm.status),
                "no activity is recorded for this active WG (no work-item `last_activity`, `activity.last`, or meeting with notes)",
                "record the latest activity: last_activity on a [[work.items]], [activity] last = YYYY-MM-DD, or meeting notes",
            ),
            Some((date, what)) if days_between(*date, ctx.today) > limit => sink.at(
                "wg-inactive",
                g,
                page.pos_of(&fm.status),
                format!(
                    "the latest recorded activity is {what}, {} days before {}; the governance text retires a WG with no active Issue/PR for a month",
                    days_between(*date, ctx.today),
                    ctx.today
                ),
                "record recent activity (work-item last_activity, meeting notes), or propose retirement with retired_reason = \"inactive\"",
            ),
            Some(_) => {}
        }
    }

    if g.kind == Kind::Ig && active {
        let limit = i64::from(ctx.gov.ig_inactive_days);
        let msg = match &latest {
            None => Some(
                "no activity is recorded (no `activity.last`, no meeting with notes)".to_string(),
            ),
            Some((date, what)) if days_between(*date, ctx.today) > limit => Some(format!(
                "the latest recorded activity is {what}, {} days before {}",
                days_between(*date, ctx.today),
                ctx.today
            )),
            Some(_) => None,
        };
        if let Some(msg) = msg {
            sink.at(
                "ig-possibly-inactive",
                g,
                page.pos_of(&fm.status),
                format!("{msg}; moderators decide whether the IG is still active"),
                "record meetings with notes or [activity] last = YYYY-MM-DD",
            );
        }
    }
}
