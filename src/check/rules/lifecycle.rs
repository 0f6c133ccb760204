//! Lifecycle and lineage: the dates a group's status implies, their order, and the groups that
//! came before and after it.
//!
//! Takes: one [`Group`] (or, for lineage, the whole [`Site`]) and "today". Gives:
//! `lifecycle-dates-present`, `lifecycle-status-mismatch`, `lifecycle-order`,
//! `lifecycle-date-future`, `vote-window`, `proposed-stale`, `retired-has-future-meetings`,
//! `retired-successor-exists`, `lineage-asymmetric` and `predecessor-not-retired`.

use jiff::SignedDuration;
use jiff::civil::Date as CivilDate;
use jiff::tz::TimeZone;

use super::{Ctx, d, days_between, table_pos};
use crate::check::Sink;
use crate::diag::Pos;
use crate::model::{Group, Site};
use crate::schema::{Date, Instant, Lifecycle, MeetingStatus, RetiredReason, Spanned, Status};

pub(super) fn lifecycle(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    dates_present(g, sink);
    status_agrees(ctx, g, sink);
    dates_in_order(g, sink);
    nothing_after_today(ctx, g, sink);
    vote_ran_its_length(ctx, g, sink);
    proposal_decided(ctx, g, sink);
    if g.status() == Status::Retired {
        retired_stops_meeting(g, sink);
        retired_names_successor(g, sink);
    }
}

/// The `[lifecycle]` dates by key, in the order the lifecycle runs (the vote, an instant, apart).
fn named_dates(lc: &Lifecycle) -> [(&'static str, Option<&Spanned<Date>>); 7] {
    [
        ("proposed", lc.proposed.as_ref()),
        ("approved", lc.approved.as_ref()),
        ("active", lc.active.as_ref()),
        ("chartered", lc.chartered.as_ref()),
        ("rechartered", lc.rechartered.as_ref()),
        ("retired", lc.retired.as_ref()),
        ("vetoed", lc.vetoed.as_ref()),
    ]
}

/// The date under `key` in [`named_dates`].
fn date_of<'a>(
    dates: &[(&'static str, Option<&'a Spanned<Date>>)],
    key: &str,
) -> Option<&'a Spanned<Date>> {
    dates.iter().find(|(k, _)| *k == key).and_then(|(_, v)| *v)
}

/// The day the vote opened, in UTC.
fn vote_day(v: &Spanned<Instant>) -> CivilDate {
    v.get_ref().0.to_zoned_datetime(TimeZone::UTC).date()
}

/// Each status implies a date: proposed its proposal, approved and active an approval (or a
/// charter), retired its retirement.
fn dates_present(g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    let lc = &fm.lifecycle;
    let status = g.status();
    let status_pos = g.page.pos_of(&fm.status);
    match status {
        Status::Proposed if lc.proposed.is_none() => sink.at(
            "lifecycle-dates-present",
            g,
            table_pos(&g.page, "lifecycle"),
            "a proposed group records when it was proposed",
            "add proposed = YYYY-MM-DD under [lifecycle]: the day the creation template was posted",
        ),
        Status::Approved | Status::Active if lc.approved.is_none() && lc.chartered.is_none() => {
            sink.at(
                "lifecycle-dates-present",
                g,
                status_pos,
                format!(
                    "status is `{}` but [lifecycle] records no approval (`approved`, or `chartered` for a charter merged under SEP-2149)",
                    status.as_str()
                ),
                "add approved = YYYY-MM-DD (the day the moderators' vote passed) or chartered = YYYY-MM-DD under [lifecycle]",
            )
        }
        Status::Retired if lc.retired.is_none() => sink.at(
            "lifecycle-dates-present",
            g,
            status_pos,
            "status is `retired` but [lifecycle] has no `retired` date",
            "add retired = YYYY-MM-DD under [lifecycle]",
        ),
        _ => {}
    }
}

/// A date that has passed moves the status on: an `approved` date on a group still `proposed`
/// (and so on) is a status left behind. `retired_reason` belongs to retired groups.
fn status_agrees(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    use Status::{Active, Approved, Proposed};
    let lc = &g.fm().lifecycle;
    let status = g.status();
    let dates = named_dates(lc);
    let later: [(&str, &[Status]); 5] = [
        ("approved", &[Proposed]),
        ("chartered", &[Proposed]),
        ("active", &[Proposed, Approved]),
        ("retired", &[Proposed, Approved, Active]),
        ("vetoed", &[Proposed, Approved, Active]),
    ];
    for (key, wrong) in later {
        if let Some(v) = date_of(&dates, key)
            && wrong.contains(&status)
            && d(v) <= ctx.today
        {
            sink.at(
                "lifecycle-status-mismatch",
                g,
                g.page.pos_of(v),
                format!(
                    "`lifecycle.{key}` is {} but status is still `{}`",
                    d(v),
                    status.as_str()
                ),
                "update status to match the lifecycle, or remove the date if it is wrong",
            );
        }
    }
    if let Some(r) = &lc.retired_reason
        && status != Status::Retired
    {
        sink.at(
            "lifecycle-status-mismatch",
            g,
            g.page.pos_of(r),
            format!(
                "`retired_reason` is set but status is `{}`",
                status.as_str()
            ),
            "set status = \"retired\", or remove retired_reason",
        );
    }
}

/// proposed ≤ approved ≤ active ≤ retired (each against the previous one present), proposed ≤
/// chartered ≤ rechartered ≤ retired, proposed ≤ vetoed, and the vote opens after the proposal.
fn dates_in_order(g: &Group, sink: &mut Sink) {
    let lc = &g.fm().lifecycle;
    let dates = named_dates(lc);
    type Dated<'a> = (&'a str, &'a Spanned<Date>);
    let chain: Vec<Dated> = ["proposed", "approved", "active", "retired"]
        .into_iter()
        .filter_map(|k| date_of(&dates, k).map(|v| (k, v)))
        .collect();
    let mut pairs: Vec<(Dated, Dated)> = chain.windows(2).map(|w| (w[0], w[1])).collect();
    for (a, b) in [
        ("proposed", "chartered"),
        ("chartered", "rechartered"),
        ("chartered", "retired"),
        ("rechartered", "retired"),
        ("proposed", "vetoed"),
    ] {
        if let (Some(av), Some(bv)) = (date_of(&dates, a), date_of(&dates, b)) {
            pairs.push(((a, av), (b, bv)));
        }
    }
    for ((a, av), (b, bv)) in pairs {
        if d(bv) < d(av) {
            sink.at(
                "lifecycle-order",
                g,
                g.page.pos_of(bv),
                format!("`{b}` ({}) is before `{a}` ({})", d(bv), d(av)),
                "lifecycle dates run proposed ≤ approved ≤ active ≤ retired; correct the one that is wrong",
            );
        }
    }
    if let (Some(p), Some(v)) = (&lc.proposed, &lc.vote_opened) {
        let opened = vote_day(v);
        if opened < d(p) {
            sink.at(
                "lifecycle-order",
                g,
                g.page.pos_of(v),
                format!("the vote opened ({opened}) before the group was proposed ({})", d(p)),
                "a moderator calls the vote after the creation template is posted; correct one of the dates",
            );
        }
    }
}

/// The lifecycle records what happened: no date lies after today.
fn nothing_after_today(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let lc = &g.fm().lifecycle;
    let mut future: Vec<(&str, Pos, CivilDate)> = named_dates(lc)
        .into_iter()
        .filter_map(|(key, v)| v.map(|v| (key, g.page.pos_of(v), d(v))))
        .collect();
    if let Some(v) = &lc.vote_opened {
        future.push(("vote_opened", g.page.pos_of(v), vote_day(v)));
    }
    for (key, pos, date) in future.into_iter().filter(|f| f.2 > ctx.today) {
        sink.at(
            "lifecycle-date-future",
            g,
            pos,
            format!("`lifecycle.{key}` is {date}, after today ({})", ctx.today),
            "the lifecycle records what happened; add the date once it has",
        );
    }
}

/// The vote runs its full length (`vote_hours`) before approval.
fn vote_ran_its_length(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let lc = &g.fm().lifecycle;
    let (Some(v), Some(a)) = (&lc.vote_opened, &lc.approved) else {
        return;
    };
    let hours = i64::from(ctx.gov.vote_hours);
    let closes = v.get_ref().0 + SignedDuration::from_hours(hours);
    let closes_day = closes.to_zoned_datetime(TimeZone::UTC).date();
    if d(a) < closes_day {
        sink.at(
            "vote-window",
            g,
            g.page.pos_of(a),
            format!(
                "approved on {} but the {hours} h vote that opened {} runs until {} UTC",
                d(a),
                v.get_ref().0,
                closes
            ),
            format!("a majority vote over {hours} h approves a group; approval cannot come before the vote closes"),
        );
    }
}

/// A proposal waits for its vote, not for longer than `proposal_stale_days`.
fn proposal_decided(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let Some(p) = &g.fm().lifecycle.proposed else {
        return;
    };
    if g.status() != Status::Proposed {
        return;
    }
    let age = days_between(d(p), ctx.today);
    if age > i64::from(ctx.gov.proposal_stale_days) {
        sink.at(
            "proposed-stale",
            g,
            g.page.pos_of(p),
            format!(
                "proposed {age} days ago ({}) and still `proposed`; the {} h vote should have concluded",
                d(p),
                ctx.gov.vote_hours
            ),
            "record the outcome: status = \"active\" with `approved`, or status = \"retired\" with retired_reason = \"vetoed\" or \"decision\"",
        );
    }
}

/// A retired group stops meeting: every schedule ends (`until`) by its retirement, and no
/// meeting record lies after it.
fn retired_stops_meeting(g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    let page = &g.page;
    let retired = fm.lifecycle.retired.as_ref().map(d);
    for s in &fm.schedule {
        let sch = s.get_ref();
        let id = sch.id.get_ref();
        match (&sch.until, retired) {
            (None, _) => sink.at(
                "retired-has-future-meetings",
                g,
                page.pos_of(&sch.id),
                format!("schedule `{id}` has no `until`, so the retired group keeps meeting in the calendar"),
                format!(
                    "add until = {} (the last meeting date) to the schedule",
                    retired.map_or("YYYY-MM-DD".to_string(), |r| r.to_string())
                ),
            ),
            (_, Some(r)) if sch.start.get_ref().0.date() > r => sink.at(
                "retired-has-future-meetings",
                g,
                page.pos_of(&sch.start),
                format!(
                    "schedule `{id}` starts on {}, after the group retired on {r}",
                    sch.start.get_ref().0.date()
                ),
                "remove the schedule, or correct `lifecycle.retired`",
            ),
            (Some(u), Some(r)) if d(u) > r => sink.at(
                "retired-has-future-meetings",
                g,
                page.pos_of(u),
                format!("schedule `{id}` runs until {} but the group retired on {r}", d(u)),
                format!("set until = {r} or earlier"),
            ),
            _ => {}
        }
    }
    let Some(r) = retired else { return };
    for m in &fm.meetings {
        let rec = m.get_ref();
        if d(&rec.date) > r && rec.status != Some(MeetingStatus::Cancelled) {
            sink.at(
                "retired-has-future-meetings",
                g,
                page.pos_of(&rec.date),
                format!(
                    "a meeting on {} is after the group retired on {r}",
                    d(&rec.date)
                ),
                "remove the meeting, or correct `lifecycle.retired`",
            );
        }
    }
}

/// A group retired because another one carries on (merged, converted, superseded) says which.
fn retired_names_successor(g: &Group, sink: &mut Sink) {
    let lc = &g.fm().lifecycle;
    let Some(reason) = &lc.retired_reason else {
        return;
    };
    let r = *reason.get_ref();
    if matches!(
        r,
        RetiredReason::Merged | RetiredReason::Converted | RetiredReason::Superseded
    ) && lc.successor.is_none()
    {
        sink.at(
            "retired-successor-exists",
            g,
            g.page.pos_of(reason),
            format!(
                "retired as `{}` but no `successor` says which group carries on",
                r.as_str()
            ),
            "add successor = \"<slug>\" under [lifecycle], e.g. successor = \"auth-ig\"",
        );
    }
}

/// `successor` and `predecessors` should tell the same story from both ends.
pub(super) fn lineage(site: &Site, sink: &mut Sink) {
    for g in &site.groups {
        let lc = &g.fm().lifecycle;
        if let Some(s) = &lc.successor
            && let Some(b) = site.group(s.get_ref())
            && !b
                .fm()
                .lifecycle
                .predecessors
                .iter()
                .any(|p| p.get_ref() == &g.slug)
        {
            sink.at(
                "lineage-asymmetric",
                g,
                g.page.pos_of(s),
                format!(
                    "`successor` is {} but {} does not list {} in `predecessors`",
                    b.slug, b.slug, g.slug
                ),
                format!(
                    "add \"{}\" to `lifecycle.predecessors` in content/groups/{}.md",
                    g.slug, b.slug
                ),
            );
        }
        for p in &lc.predecessors {
            let Some(a) = site.group(p.get_ref()) else {
                continue;
            };
            let succ = a.fm().lifecycle.successor.as_ref().map(|s| s.get_ref());
            if succ != Some(&g.slug) {
                sink.at(
                    "lineage-asymmetric",
                    g,
                    g.page.pos_of(p),
                    match succ {
                        Some(other) => format!(
                            "{} is listed as a predecessor, but its `successor` is {other}",
                            a.slug
                        ),
                        None => format!(
                            "{} is listed as a predecessor, but it names no `successor`",
                            a.slug
                        ),
                    },
                    format!(
                        "set successor = \"{}\" in content/groups/{}.md, or remove it from `predecessors`",
                        g.slug, a.slug
                    ),
                );
            }
            if !a.is_retired() {
                sink.at(
                    "predecessor-not-retired",
                    g,
                    g.page.pos_of(p),
                    format!(
                        "predecessor {} is still `{}`",
                        a.slug,
                        a.status().as_str()
                    ),
                    format!(
                        "retire {} (status = \"retired\", with the date and reason), or remove it from `predecessors`",
                        a.slug
                    ),
                );
            }
        }
    }
}
