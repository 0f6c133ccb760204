//! The content rules: what the governance text asks of a group, and what keeps the directory
//! honest.
//!
//! Takes: the validated [`Site`] and [`CheckOptions`]. Gives: findings pushed into a [`Sink`],
//! each located at the offending value (or, for a missing key, at the table or page it belongs
//! in) with a `help:` saying how to fix it.
//!
//! One function per family, in the order of `research/mcp-community.md` §6: identity and people,
//! lifecycle, channels and tags, creation template, relations, meetings and notes, WG activity.
//! Families that compare groups with each other (people, channel ids, lineage) run once over the
//! whole site. The numbers come from `[governance]` in `mcpsite.toml`; time comes only from
//! `opts.today`.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date as CivilDate;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use toml::Spanned;

use super::notes::{notes_kind, sample_template};
use super::{CheckOptions, Sink};
use crate::config::Governance;
use crate::diag::Pos;
use crate::frontmatter::RawPage;
use crate::model::{Group, Site};
use crate::recur::{OccurrenceStatus, RecordKind};
use crate::schema::{
    Date, ExceptionAction, Kind, MeetingRecord, MeetingStatus, Person, RetiredReason, Status,
    WorkMode,
};

/// What every rule family sees.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub gov: &'a Governance,
    pub today: CivilDate,
}

impl Ctx<'_> {
    /// "Now" for rules that compare instants: the start of `today`, UTC.
    fn now(&self) -> Timestamp {
        self.today
            .to_zoned_datetime(TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn notes_kind_ok(&self, kind: &str) -> bool {
        self.gov.notes_kinds_ok.iter().any(|k| k == kind)
    }
}

/// Runs every content rule family.
pub fn run_all(site: &Site, opts: &CheckOptions, sink: &mut Sink) {
    let ctx = Ctx {
        site,
        gov: &site.config.governance,
        today: opts.today,
    };
    for g in &site.groups {
        identity(&ctx, g, sink);
        people(&ctx, g, sink);
        lifecycle(&ctx, g, sink);
        channels(&ctx, g, sink);
        creation(&ctx, g, sink);
        relations(&ctx, g, sink);
        meetings_and_notes(&ctx, g, sink);
        activity(&ctx, g, sink);
    }
    person_consistency(site, sink);
    channel_clashes(site, sink);
    lineage(site, sink);
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn d(v: &Spanned<Date>) -> CivilDate {
    v.get_ref().0
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
fn days_between(a: CivilDate, b: CivilDate) -> i64 {
    a.duration_until(b).as_hours() / 24
}

fn live(g: &Group) -> bool {
    g.status() != Status::Retired
}

fn kind_word(k: Kind) -> &'static str {
    match k {
        Kind::Ig => "IG",
        Kind::Wg => "WG",
    }
}

/// The position of a `[table]` or `[[table]]` header in the front matter, else the page's top:
/// where a missing key belongs.
pub fn table_pos(page: &RawPage, table: &str) -> Pos {
    let text = &page.source.text;
    let end = page.body_offset.min(text.len());
    let block = &text[page.block_offset.min(end)..end];
    let mut offset = 0;
    for line in block.split_inclusive('\n') {
        let t = line.trim();
        let name = t
            .strip_prefix("[[")
            .and_then(|r| r.split("]]").next())
            .or_else(|| t.strip_prefix('[').and_then(|r| r.split(']').next()));
        if name.map(str::trim) == Some(table) {
            let indent = line.len() - line.trim_start().len();
            return page.pos(offset + indent..offset + indent);
        }
        offset += line.len();
    }
    page.top()
}

/// Where a missing key belongs: its commented-out line (`# key = …`, or `# [[table]]` for a
/// missing table, as `mcpsite new` writes them), else the table's header, else the page's top.
pub fn missing_pos(page: &RawPage, table: &str, key: Option<&str>) -> Pos {
    let text = &page.source.text;
    let end = page.body_offset.min(text.len());
    let block = &text[page.block_offset.min(end)..end];
    let mut current = String::new();
    let mut offset = 0;
    for line in block.split_inclusive('\n') {
        let t = line.trim();
        let indent = line.len() - line.trim_start().len();
        if t.starts_with('[') {
            current = t.trim_matches(['[', ']']).trim().to_string();
        } else if let Some(c) = t.strip_prefix('#') {
            let c = c.trim_start();
            let hit = match key {
                Some(k) => {
                    current == table
                        && c.strip_prefix(k)
                            .is_some_and(|r| r.trim_start().starts_with('='))
                }
                None => c.trim_matches(['[', ']']).trim() == table && c.starts_with('['),
            };
            if hit {
                return page.pos(offset + indent..offset + indent);
            }
        }
        offset += line.len();
    }
    table_pos(page, table)
}

/// Is `r` a work-item reference: `SEP-N`, `owner/repo#N`, or a GitHub issue/PR URL?
pub fn is_work_ref(r: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if let Some(n) = r.strip_prefix("SEP-") {
        return digits(n);
    }
    if let Some(rest) = r.strip_prefix("https://github.com/") {
        let segs: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        return segs.len() == 4
            && crate::validate::is_repo_ref(&format!("{}/{}", segs[0], segs[1]))
            && matches!(segs[2], "issues" | "pull")
            && digits(segs[3]);
    }
    if let Some((repo, n)) = r.split_once('#') {
        return crate::validate::is_repo_ref(repo) && digits(n);
    }
    false
}

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

// ---------------------------------------------------------------------------------------------
// Identity

fn identity(_ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    if g.status() == Status::Unknown {
        sink.at(
            "status-valid",
            g,
            g.page.pos_of(&fm.status),
            "status is `unknown`: the sources do not say where this group stands",
            "settle it with the moderators and set status = \"proposed\", \"approved\", \"active\" or \"retired\" with the matching [lifecycle] dates",
        );
    }
    let name = fm.name.get_ref().trim();
    let lower = name.to_lowercase();
    for suffix in [" interest group", " working group", " ig", " wg"] {
        if lower.ends_with(suffix) {
            let keep = name[..name.len() - suffix.len()].trim_end();
            sink.at(
                "name-has-kind-suffix",
                g,
                g.page.pos_of(&fm.name),
                format!(
                    "`name` ends in \"{}\", which the site already appends",
                    &name[name.len() - suffix.len() + 1..]
                ),
                format!(
                    "write name = \"{keep}\"; pages show it as \"{keep} {}\"",
                    g.kind.long_name()
                ),
            );
            break;
        }
    }
    placeholders(g, sink);
}

/// Values `mcpsite new` left as `"TODO…"`.
fn placeholders(g: &Group, sink: &mut Sink) {
    let page = &g.page;
    let text = &page.source.text;
    let end = page.body_offset.min(text.len());
    let block = &text[page.block_offset.min(end)..end];
    let mut table = String::new();
    let mut offset = 0;
    for line in block.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            table = t.trim_matches(['[', ']']).trim().to_string();
        } else if !t.starts_with('#')
            && let Some(at) = line.find("\"TODO")
        {
            let key = line.split('=').next().unwrap_or("").trim();
            let full = if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            };
            sink.at(
                "placeholder-unfilled",
                g,
                page.pos(offset + at..offset + at),
                format!("`{full}` still holds the placeholder from `mcpsite new`"),
                "replace the TODO text with the real value",
            );
        }
        offset += line.len();
    }
}

// ---------------------------------------------------------------------------------------------
// People

fn people(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    if live(g) && fm.facilitators.is_empty() {
        sink.at(
            "facilitator-required",
            g,
            missing_pos(&g.page, "facilitators", None),
            format!(
                "this {} lists no facilitator; the creation template starts with Facilitator(s)",
                kind_word(g.kind)
            ),
            "add a [[facilitators]] table with github = \"handle\", name = \"…\" and org = \"…\"",
        );
    }
    for (list, role) in [
        (&fm.facilitators, "facilitators"),
        (&fm.maintainers, "maintainers"),
    ] {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for p in list {
            let person = p.get_ref();
            match &person.github {
                None => sink.at(
                    "person-github-missing",
                    g,
                    g.page.pos_of(p),
                    format!(
                        "{} in `{role}` has no GitHub handle",
                        person.name.as_deref().unwrap_or("a person")
                    ),
                    "add github = \"handle\"; the handle is how the directory tells people apart",
                ),
                Some(h) => {
                    if !seen.insert(h.get_ref().to_lowercase()) {
                        sink.at(
                            "person-duplicate",
                            g,
                            g.page.pos_of(h),
                            format!("`{}` is listed twice in `{role}`", h.get_ref()),
                            "remove the second entry",
                        );
                    }
                }
            }
            if let Some(t) = &person.term_ends
                && live(g)
                && d(t) < ctx.today
            {
                sink.at(
                        "facilitator-term-expired",
                        g,
                        g.page.pos_of(t),
                        format!(
                            "{}'s term in `{role}` ended on {}",
                            person_label(person),
                            d(t)
                        ),
                        "record the renewed term (a later term_ends) or move the person out of the list",
                    );
            }
        }
    }
}

fn person_label(p: &Person) -> String {
    match (&p.name, &p.github) {
        (Some(n), _) => n.clone(),
        (None, Some(h)) => format!("@{}", h.get_ref()),
        (None, None) => "a person".into(),
    }
}

/// The same GitHub handle should have one spelling, name and organization across the directory.
fn person_consistency(site: &Site, sink: &mut Sink) {
    struct Seen<'a> {
        g: &'a Group,
        handle: &'a Spanned<String>,
        person: &'a Person,
        role: &'static str,
    }
    let mut by_handle: BTreeMap<String, Vec<Seen>> = BTreeMap::new();
    for g in &site.groups {
        for (list, role) in [
            (&g.fm().facilitators, "facilitators"),
            (&g.fm().maintainers, "maintainers"),
        ] {
            for p in list {
                if let Some(h) = &p.get_ref().github {
                    by_handle
                        .entry(h.get_ref().to_lowercase())
                        .or_default()
                        .push(Seen {
                            g,
                            handle: h,
                            person: p.get_ref(),
                            role,
                        });
                }
            }
        }
    }
    // The most common value (first seen on a tie) is taken as right; the others are reported.
    fn canonical<'a>(values: impl Iterator<Item = &'a str>) -> Option<&'a str> {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for v in values {
            match counts.iter_mut().find(|(x, _)| *x == v) {
                Some(c) => c.1 += 1,
                None => counts.push((v, 1)),
            }
        }
        let max = counts.iter().map(|c| c.1).max()?;
        counts.into_iter().find(|c| c.1 == max).map(|c| c.0)
    }
    for seen in by_handle.values() {
        let where_ = |want: &str, f: &dyn Fn(&Seen) -> Option<String>| -> String {
            let mut places: Vec<String> = seen
                .iter()
                .filter(|s| f(s).as_deref() == Some(want))
                .map(|s| format!("{} ({})", s.g.slug, s.role))
                .collect();
            places.dedup();
            places.join(", ")
        };
        // Spelling of the handle.
        if let Some(c) = canonical(seen.iter().map(|s| s.handle.get_ref().as_str())) {
            for s in seen.iter().filter(|s| s.handle.get_ref() != c) {
                sink.at(
                    "person-consistent",
                    s.g,
                    s.g.page.pos_of(s.handle),
                    format!(
                        "GitHub handle `{}` is written `{c}` elsewhere",
                        s.handle.get_ref()
                    ),
                    format!(
                        "write `{c}` as in {}",
                        where_(c, &|x| Some(x.handle.get_ref().clone()))
                    ),
                );
            }
        }
        for (field, get) in [
            (
                "name",
                (|p: &Person| p.name.clone()) as fn(&Person) -> Option<String>,
            ),
            ("org", |p: &Person| p.org.clone()),
        ] {
            let values: Vec<String> = seen.iter().filter_map(|s| get(s.person)).collect();
            let Some(c) = canonical(values.iter().map(String::as_str)) else {
                continue;
            };
            for s in seen {
                let Some(v) = get(s.person) else { continue };
                if v != c {
                    sink.at(
                        "person-consistent",
                        s.g,
                        s.g.page.pos_of(s.handle),
                        format!(
                            "`{}` has {field} \"{v}\" here but \"{c}\" in {}",
                            s.handle.get_ref(),
                            where_(c, &|x| get(x.person))
                        ),
                        format!("use one {field} for a person everywhere (update all pages if it changed)"),
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

fn lifecycle(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    let lc = &fm.lifecycle;
    let page = &g.page;
    let status = g.status();
    let status_pos = page.pos_of(&fm.status);
    let lc_pos = table_pos(page, "lifecycle");

    // Dates the status implies.
    match status {
        Status::Proposed if lc.proposed.is_none() => sink.at(
            "lifecycle-dates-present",
            g,
            lc_pos,
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

    // Status against dates.
    let mut mismatch = |pos: Pos, msg: String, help: &str| {
        sink.at("lifecycle-status-mismatch", g, pos, msg, help.to_string())
    };
    type Later<'a> = (&'a str, Option<&'a Spanned<Date>>, &'a [Status]);
    let later: [Later; 5] = [
        ("approved", lc.approved.as_ref(), &[Status::Proposed]),
        ("chartered", lc.chartered.as_ref(), &[Status::Proposed]),
        (
            "active",
            lc.active.as_ref(),
            &[Status::Proposed, Status::Approved],
        ),
        (
            "retired",
            lc.retired.as_ref(),
            &[Status::Proposed, Status::Approved, Status::Active],
        ),
        (
            "vetoed",
            lc.vetoed.as_ref(),
            &[Status::Proposed, Status::Approved, Status::Active],
        ),
    ];
    for (key, date, wrong) in later {
        if let Some(v) = date
            && wrong.contains(&status)
            && d(v) <= ctx.today
        {
            mismatch(
                page.pos_of(v),
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
        mismatch(
            page.pos_of(r),
            format!(
                "`retired_reason` is set but status is `{}`",
                status.as_str()
            ),
            "set status = \"retired\", or remove retired_reason",
        );
    }

    // Order.
    let chain: Vec<(&str, &Spanned<Date>)> = [
        ("proposed", lc.proposed.as_ref()),
        ("approved", lc.approved.as_ref()),
        ("active", lc.active.as_ref()),
        ("retired", lc.retired.as_ref()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let mut pairs: Vec<(&str, &Spanned<Date>, &str, &Spanned<Date>)> = chain
        .windows(2)
        .map(|w| (w[0].0, w[0].1, w[1].0, w[1].1))
        .collect();
    for (a, av, b, bv) in [
        (
            "proposed",
            lc.proposed.as_ref(),
            "chartered",
            lc.chartered.as_ref(),
        ),
        (
            "chartered",
            lc.chartered.as_ref(),
            "rechartered",
            lc.rechartered.as_ref(),
        ),
        (
            "chartered",
            lc.chartered.as_ref(),
            "retired",
            lc.retired.as_ref(),
        ),
        (
            "rechartered",
            lc.rechartered.as_ref(),
            "retired",
            lc.retired.as_ref(),
        ),
        (
            "proposed",
            lc.proposed.as_ref(),
            "vetoed",
            lc.vetoed.as_ref(),
        ),
    ] {
        if let (Some(av), Some(bv)) = (av, bv) {
            pairs.push((a, av, b, bv));
        }
    }
    for (a, av, b, bv) in pairs {
        if d(bv) < d(av) {
            sink.at(
                "lifecycle-order",
                g,
                page.pos_of(bv),
                format!("`{b}` ({}) is before `{a}` ({})", d(bv), d(av)),
                "lifecycle dates run proposed ≤ approved ≤ active ≤ retired; correct the one that is wrong",
            );
        }
    }
    if let (Some(p), Some(v)) = (&lc.proposed, &lc.vote_opened) {
        let opened = v.get_ref().0.to_zoned_datetime(TimeZone::UTC).date();
        if opened < d(p) {
            sink.at(
                "lifecycle-order",
                g,
                page.pos_of(v),
                format!("the vote opened ({opened}) before the group was proposed ({})", d(p)),
                "a moderator calls the vote after the creation template is posted; correct one of the dates",
            );
        }
    }

    // Nothing has happened after today.
    for (key, v) in [
        ("proposed", &lc.proposed),
        ("approved", &lc.approved),
        ("active", &lc.active),
        ("chartered", &lc.chartered),
        ("rechartered", &lc.rechartered),
        ("retired", &lc.retired),
        ("vetoed", &lc.vetoed),
    ] {
        if let Some(v) = v
            && d(v) > ctx.today
        {
            sink.at(
                "lifecycle-date-future",
                g,
                page.pos_of(v),
                format!("`lifecycle.{key}` is {}, after today ({})", d(v), ctx.today),
                "the lifecycle records what happened; add the date once it has",
            );
        }
    }
    if let Some(v) = &lc.vote_opened {
        let opened = v.get_ref().0.to_zoned_datetime(TimeZone::UTC).date();
        if opened > ctx.today {
            sink.at(
                "lifecycle-date-future",
                g,
                page.pos_of(v),
                format!(
                    "`lifecycle.vote_opened` is {opened}, after today ({})",
                    ctx.today
                ),
                "the lifecycle records what happened; add the date once it has",
            );
        }
    }

    // The vote runs its full length before approval.
    if let (Some(v), Some(a)) = (&lc.vote_opened, &lc.approved) {
        let hours = i64::from(ctx.gov.vote_hours);
        let closes = v.get_ref().0 + SignedDuration::from_hours(hours);
        let closes_day = closes.to_zoned_datetime(TimeZone::UTC).date();
        if d(a) < closes_day {
            sink.at(
                "vote-window",
                g,
                page.pos_of(a),
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

    // A proposal waits for its vote.
    if status == Status::Proposed
        && let Some(p) = &lc.proposed
    {
        let age = days_between(d(p), ctx.today);
        let limit = i64::from(ctx.gov.proposal_stale_days);
        if age > limit {
            sink.at(
                    "proposed-stale",
                    g,
                    page.pos_of(p),
                    format!(
                        "proposed {age} days ago ({}) and still `proposed`; the {} h vote should have concluded",
                        d(p),
                        ctx.gov.vote_hours
                    ),
                    "record the outcome: status = \"active\" with `approved`, or status = \"retired\" with retired_reason = \"vetoed\" or \"decision\"",
                );
        }
    }

    // A retired group stops meeting.
    if status == Status::Retired {
        let retired = lc.retired.as_ref().map(d);
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
        if let Some(r) = retired {
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
        if let Some(reason) = &lc.retired_reason {
            let r = *reason.get_ref();
            if matches!(
                r,
                RetiredReason::Merged | RetiredReason::Converted | RetiredReason::Superseded
            ) && lc.successor.is_none()
            {
                sink.at(
                    "retired-successor-exists",
                    g,
                    page.pos_of(reason),
                    format!(
                        "retired as `{}` but no `successor` says which group carries on",
                        r.as_str()
                    ),
                    "add successor = \"<slug>\" under [lifecycle], e.g. successor = \"auth-ig\"",
                );
            }
        }
    }
}

/// `successor` and `predecessors` should tell the same story from both ends.
fn lineage(site: &Site, sink: &mut Sink) {
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

// ---------------------------------------------------------------------------------------------
// Channels and calendar tags

fn channels(_ctx: &Ctx, g: &Group, sink: &mut Sink) {
    if !live(g) {
        return;
    }
    let fm = g.fm();
    let page = &g.page;
    let kind = g.kind.suffix();
    let expected = format!("{}-{kind}", g.topic);
    let discord = fm.discord.as_ref().map(|d| d.get_ref());
    let channel = discord.and_then(|d| d.channel.as_ref());
    let pending = discord.is_some_and(|d| d.pending);
    let exception = discord
        .and_then(|d| d.channel_exception.as_deref())
        .filter(|e| !e.trim().is_empty());
    let Some(ch) = channel else {
        if !pending {
            sink.at(
                "channel-missing",
                g,
                table_pos(page, "discord"),
                format!(
                    "this {} has no Discord channel; the governance text expects regular conversations in the group's channel",
                    kind_word(g.kind)
                ),
                format!(
                    "add [discord] channel = \"{expected}\", or pending = true while the channel is being created"
                ),
            );
        }
        return;
    };
    let name = ch.get_ref();
    let suffix_ok = name.ends_with(&format!("-{kind}"));
    if !suffix_ok && exception.is_none() {
        sink.at(
            "channel-suffix-kind",
            g,
            page.pos_of(ch),
            format!(
                "channel `{name}` does not end in `-{kind}`, as an {}'s channel should",
                kind_word(g.kind)
            ),
            format!(
                "rename the channel to `{expected}`, or set channel_exception = \"<why>\" under [discord]"
            ),
        );
    } else if suffix_ok && name != &expected && exception.is_none() {
        sink.at(
            "channel-topic",
            g,
            page.pos_of(ch),
            format!("channel `{name}` is not `<topic>-{kind}` (`{expected}`)"),
            format!(
                "set topic = \"{}\" if that is the group's primary topic, or use the channel `{expected}`",
                name.trim_end_matches(&format!("-{kind}"))
            ),
        );
    }
    if exception.is_some() && name == &expected {
        sink.at(
            "channel-exception-unneeded",
            g,
            page.pos_of(ch),
            format!(
                "`channel_exception` is set, but `{name}` follows the `<topic>-{kind}` pattern"
            ),
            "remove channel_exception",
        );
    }
    if let Some(tag) = &fm.calendar.tag
        && tag.get_ref() != name
    {
        sink.at(
                "calendar-tag-mismatch",
                g,
                page.pos_of(tag),
                format!(
                    "calendar tag `{}` differs from the channel `{name}`; the governance text asks for events tagged with the channel name",
                    tag.get_ref()
                ),
                "tag the group's calendar events with the channel name and remove [calendar] tag (it defaults to the channel)",
            );
    }
}

/// Live channels that are another group's former channel, and shared channel ids.
fn channel_clashes(site: &Site, sink: &mut Sink) {
    let mut legacy: BTreeMap<&str, Vec<&Group>> = BTreeMap::new();
    let mut ids: BTreeMap<&str, Vec<(&Group, &Spanned<String>)>> = BTreeMap::new();
    for g in &site.groups {
        if let Some(dc) = &g.fm().discord {
            for l in &dc.get_ref().legacy_channels {
                legacy.entry(l.get_ref()).or_default().push(g);
            }
            if let Some(id) = &dc.get_ref().channel_id
                && live(g)
            {
                ids.entry(id.get_ref()).or_default().push((g, id));
            }
        }
    }
    for g in site.groups.iter().filter(|g| live(g)) {
        let Some(ch) = g
            .fm()
            .discord
            .as_ref()
            .and_then(|d| d.get_ref().channel.as_ref())
        else {
            continue;
        };
        for other in legacy.get(ch.get_ref().as_str()).into_iter().flatten() {
            if other.slug != g.slug {
                sink.at(
                    "channel-duplicate",
                    g,
                    g.page.pos_of(ch),
                    format!(
                        "channel `{}` is listed as a former channel of {}",
                        ch.get_ref(),
                        other.slug
                    ),
                    format!(
                        "a live channel belongs to one group: correct this channel or remove it from {}'s legacy_channels",
                        other.slug
                    ),
                );
            }
        }
    }
    for users in ids.values().filter(|u| u.len() > 1) {
        for (g, id) in users {
            let others: Vec<&str> = users
                .iter()
                .filter(|(o, _)| o.slug != g.slug)
                .map(|(o, _)| o.slug.as_str())
                .collect();
            sink.at(
                "channel-id-duplicate",
                g,
                g.page.pos_of(id),
                format!(
                    "channel id {} is also the channel id of {}",
                    id.get_ref(),
                    others.join(", ")
                ),
                "copy the id of this group's own channel (Discord: Copy Channel ID)",
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Creation template

fn creation(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    if !live(g) {
        return;
    }
    let page = &g.page;
    let c = g.fm().creation.as_ref();
    let cr = c.map(|c| c.get_ref());
    let pos = table_pos(page, "creation");
    let empty = |v: Option<&Spanned<String>>| -> Option<Pos> {
        match v {
            Some(s) if !s.get_ref().trim().is_empty() => None,
            Some(s) => Some(page.pos_of(s)),
            None => Some(pos),
        }
    };
    match g.kind {
        Kind::Ig => {
            match cr.and_then(|c| c.similar_groups.as_ref()) {
                None => sink.at(
                    "ig-similar-groups-missing",
                    g,
                    missing_pos(page, "creation", Some("similar_groups")),
                    "the creation template asks for IGs with potentially similar goals; `creation.similar_groups` is missing",
                    "add similar_groups = [\"<slug>\", …] under [creation], or similar_groups = [] if there are none",
                ),
                Some(list) => {
                    if !list.is_empty()
                        && let Some(p) = empty(cr.and_then(|c| c.differentiation.as_ref())) {
                            sink.at(
                                "ig-differentiation-missing",
                                g,
                                p,
                                "similar groups are listed, but `creation.differentiation` does not say how this IG differs from them",
                                "add differentiation = \"…\" under [creation]: how this IG differs from the related IGs",
                            );
                        }
                    for s in list {
                        if let Some(other) = ctx.site.group(s.get_ref())
                            && other.kind != Kind::Ig {
                                sink.at(
                                    "similar-group-not-ig",
                                    g,
                                    page.pos_of(s),
                                    format!("`{}` is a Working Group; the template asks for IGs with similar goals", other.slug),
                                    "list it under `related` instead",
                                );
                            }
                    }
                }
            }
            if let Some(p) = empty(cr.and_then(|c| c.first_topic.as_ref())) {
                sink.at(
                    "ig-first-topic-missing",
                    g,
                    p,
                    "the creation template asks for the first topic to discuss; `creation.first_topic` is missing or empty",
                    "add first_topic = \"…\" under [creation]",
                );
            }
        }
        Kind::Wg => {
            if let Some(p) = empty(cr.and_then(|c| c.use_cases.as_ref())) {
                sink.at(
                    "wg-use-cases-missing",
                    g,
                    p,
                    "the creation template asks for the interest and use cases; `creation.use_cases` is missing or empty",
                    "add use_cases = \"…\" under [creation], ideally pointing at the IG discussion they came from",
                );
            }
            match cr.and_then(|c| c.first_item.as_ref()) {
                Some(fi) if !fi.get_ref().trim().is_empty() => {
                    if !is_work_ref(fi.get_ref().trim()) {
                        sink.at(
                            "wg-first-item-not-ref",
                            g,
                            page.pos_of(fi),
                            "`creation.first_item` describes the first work item but does not reference a SEP, issue or PR",
                            "once it exists, write it as SEP-1234, owner/repo#12 or a GitHub issue/PR URL",
                        );
                    }
                }
                other => sink.at(
                    "wg-first-item-missing",
                    g,
                    other.map_or(pos, |s| page.pos_of(s)),
                    "the creation template asks for the first Issue/PR/SEP; `creation.first_item` is missing or empty",
                    "add first_item = \"SEP-1234\" (or owner/repo#12, or a GitHub URL) under [creation]",
                ),
            }
            if let Some(o) = cr.and_then(|c| c.origin_ig.as_ref())
                && let Some(other) = ctx.site.group(o.get_ref())
                && other.kind != Kind::Ig
            {
                sink.at(
                    "origin-ig-not-ig",
                    g,
                    page.pos_of(o),
                    format!("`origin_ig` names {}, a Working Group", other.slug),
                    "name the Interest Group the use cases came from, or remove origin_ig",
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Relations

fn relations(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    let page = &g.page;
    let mut seen = BTreeSet::new();
    for r in &fm.related {
        if !seen.insert(r.get_ref().as_str()) {
            sink.at(
                "related-duplicate",
                g,
                page.pos_of(r),
                format!("`{}` is listed twice in `related`", r.get_ref()),
                "remove the second entry",
            );
        }
    }
    if !live(g) {
        return;
    }
    for r in &fm.related {
        let Some(b) = ctx.site.group(r.get_ref()) else {
            continue;
        };
        if b.slug == g.slug {
            continue;
        }
        if b.is_retired() {
            continue;
        }
        if !b.fm().related.iter().any(|x| x.get_ref() == &g.slug) {
            sink.at(
                "related-asymmetric",
                g,
                page.pos_of(r),
                format!("{} is listed as related, but it does not list {} back", b.slug, g.slug),
                format!(
                    "add \"{}\" to `related` in content/groups/{}.md if the relation holds both ways",
                    g.slug, b.slug
                ),
            );
        }
    }
    // Lineage (successor, predecessors) may name retired groups; these may not.
    let refs = fm.group_refs().into_iter().filter(|(_, key)| {
        matches!(
            *key,
            "related" | "creation.similar_groups" | "creation.origin_ig"
        )
    });
    for (r, key) in refs {
        if let Some(b) = ctx.site.group(r.get_ref())
            && b.is_retired()
        {
            let succ = b
                .fm()
                .lifecycle
                .successor
                .as_ref()
                .map(|s| s.get_ref().clone());
            sink.at(
                "retired-still-referenced",
                g,
                page.pos_of(r),
                format!("`{key}` lists {}, which is retired", b.slug),
                match succ {
                    Some(s) => format!("replace it with its successor, \"{s}\""),
                    None => "remove it".to_string(),
                },
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Meetings and notes (from the front matter: schedules, exceptions and meeting records)

/// The end of the meeting record number `index`, as the recurrence engine resolved it (after
/// moves), when it is an occurrence of a series or a one-off.
fn resolved_end(g: &Group, index: usize) -> Option<(Timestamp, TimeZone)> {
    let r = g.meetings.records.iter().find(|r| r.index == index)?;
    match &r.kind {
        RecordKind::Occurrence {
            occurrence: Some(o),
            ..
        } => Some((o.end.timestamp(), o.end.time_zone().clone())),
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
                    m.duration.as_ref().unwrap_or(&s.duration).get_ref(),
                ),
            }
        }
        None => (
            date.to_datetime(m.time.as_ref()?.get_ref().0),
            m.tz.as_ref()?.get_ref().as_str(),
            m.duration.as_ref()?.get_ref(),
        ),
    };
    let tz = TimeZone::get(tz_name).ok()?;
    let zoned = start.to_zoned_datetime(tz.clone()).ok()?;
    let end = zoned.timestamp() + SignedDuration::from_mins(i64::from(*minutes));
    Some((end, tz))
}

/// Is the record's meeting cancelled, by its status or by an exception of its schedule?
fn is_cancelled(g: &Group, m: &MeetingRecord) -> bool {
    if m.status == Some(MeetingStatus::Cancelled) {
        return true;
    }
    let Some(sid) = &m.schedule else { return false };
    g.fm()
        .schedule
        .iter()
        .map(|s| s.get_ref())
        .filter(|s| s.id.get_ref() == sid.get_ref())
        .flat_map(|s| &s.exceptions)
        .any(|e| {
            let e = e.get_ref();
            d(&e.date) == d(&m.date) && *e.action.get_ref() == ExceptionAction::Cancel
        })
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

fn meetings_and_notes(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    let page = &g.page;
    let grace = SignedDuration::from_hours(i64::from(ctx.gov.notes_grace_hours));
    let notes_index = fm.links.notes_index.as_ref();
    if let Some(ni) = notes_index {
        notes_link(ctx, g, ni, "`links.notes_index`", false, sink);
    }
    for s in &fm.schedule {
        if let Some(t) = &s.get_ref().notes_url_template {
            notes_link(ctx, g, t, "`notes_url_template`", true, sink);
        }
    }

    let mut by_url: BTreeMap<&str, Vec<&MeetingRecord>> = BTreeMap::new();
    for (index, m) in fm.meetings.iter().enumerate() {
        let rec = m.get_ref();
        let date = d(&rec.date);
        let cancelled = is_cancelled(g, rec);
        let end = resolved_end(g, index).or_else(|| meeting_end(g, rec));
        match &rec.notes {
            Some(n) => {
                by_url.entry(n.get_ref()).or_default().push(rec);
                notes_link(ctx, g, n, "the notes link", false, sink);
                if cancelled {
                    sink.at(
                        "notes-on-cancelled",
                        g,
                        page.pos_of(n),
                        format!("the meeting on {date} is cancelled but has notes"),
                        "remove the notes link, or drop the cancellation if the meeting took place",
                    );
                } else if date > ctx.today {
                    sink.at(
                        "notes-for-future-meeting",
                        g,
                        page.pos_of(n),
                        format!("the meeting on {date} has not happened yet (today is {}) but has notes", ctx.today),
                        "put a link to the agenda in `agenda`; add `notes` after the meeting",
                    );
                }
                if let Some(p) = &rec.notes_published {
                    // Benefit of the doubt: notes count from the start of the day they were
                    // published; a meeting without a known time ends at the end of its day (UTC).
                    let (end, tz) = end.clone().unwrap_or_else(|| {
                        let e = date
                            .tomorrow()
                            .ok()
                            .and_then(|t| t.to_zoned_datetime(TimeZone::UTC).ok())
                            .map(|z| z.timestamp())
                            .unwrap_or(Timestamp::UNIX_EPOCH);
                        (e, TimeZone::UTC)
                    });
                    if let Ok(published) = d(p).to_zoned_datetime(tz) {
                        let delay = published.timestamp().duration_since(end);
                        if delay > grace {
                            sink.at(
                                "notes-late",
                                g,
                                page.pos_of(p),
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
                }
            }
            None => {
                let ended = end.as_ref().map(|(e, _)| *e).or_else(|| {
                    date.tomorrow()
                        .ok()
                        .and_then(|t| t.to_zoned_datetime(TimeZone::UTC).ok())
                        .map(|z| z.timestamp())
                });
                let overdue = ended.is_some_and(|e| ctx.now().duration_since(e) > grace);
                if !cancelled && overdue && rec.schedule.is_none() && notes_index.is_none() {
                    sink.at(
                        "past-meeting-without-notes",
                        g,
                        page.pos_of(&rec.date),
                        format!(
                            "the meeting on {date} ended more than {} h ago and has no notes",
                            ctx.gov.notes_grace_hours
                        ),
                        "add notes = \"<link>\" (a GitHub issue or public Google Doc), or status = \"cancelled\" if it did not take place",
                    );
                }
            }
        }
        if ctx.gov.announce_days > 0
            && let Some(a) = &rec.announced
        {
            let ahead = days_between(d(a), date);
            if ahead < i64::from(ctx.gov.announce_days) {
                sink.at(
                        "announce-too-late",
                        g,
                        page.pos_of(a),
                        format!(
                            "the meeting on {date} was announced {ahead} day(s) ahead; the rules ask for {}",
                            ctx.gov.announce_days
                        ),
                        "publish meetings on the community calendar earlier",
                    );
            }
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
                page.pos_of(n),
                format!(
                    "the notes link of {} is also the notes link of {}",
                    d(&rec.date),
                    d(&recs[0].date)
                ),
                "link each meeting's own notes; a rolling document belongs in `links.notes_index`",
            );
        }
    }

    series_without_notes(ctx, g, sink);
    upcoming_and_cadence(ctx, g, sink);
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
        let far = now + SignedDuration::from_hours(24 * 400);
        let series_ahead = series.iter().any(|s| !live_occ(s, far).is_empty());
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
    for ((ia, ib), (ix, iy)) in super::overlap::first_clashes(&spans) {
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

// ---------------------------------------------------------------------------------------------
// Activity: WG work and the retirement triggers

fn activity(ctx: &Ctx, g: &Group, sink: &mut Sink) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_refs() {
        for ok in [
            "SEP-2663",
            "modelcontextprotocol/agents-wg#20",
            "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1608",
            "https://github.com/a/b/issues/3",
        ] {
            assert!(is_work_ref(ok), "{ok}");
        }
        for bad in [
            "SEP-",
            "sep-12",
            "a/b",
            "#12",
            "https://github.com/a/b/discussions/3",
            "A SEP",
        ] {
            assert!(!is_work_ref(bad), "{bad}");
        }
    }
}
