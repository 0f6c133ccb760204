//! One `[[schedule]]` made a [`Series`]: its id, zone, start, length, rule, end and exceptions
//! checked in turn.
//!
//! Takes: a page and one of its spanned [`Schedule`]s. Gives: the [`Series`], or `None` after
//! pushing every problem found (`schedule-id-format`, `schedule-weekday-*`,
//! `schedule-monthly-nth-missing`, `schedule-nth-range`, `schedule-interval-invalid`,
//! `schedule-start-not-occurrence`, `schedule-until-before-start`, `exception-*`, and the zone,
//! start and length rules of [`when`](super::when)). A schedule whose rule is wrong is not
//! checked further: its exceptions would only add noise.

use std::collections::BTreeMap;

use jiff::civil;
use jiff::tz::AmbiguousOffset;

use super::when::{Ctx, check_duration, check_start, resolve_tz};
use super::{
    ExceptionKind, Rule, Series, SeriesException, nth_word, ordinal_word, weekday_key, weekday_name,
};
use crate::diag::{Diagnostic, Pos};
use crate::frontmatter::RawPage;
use crate::schema::{Every, Exception, ExceptionAction, Schedule, Spanned, is_kebab};

/// Validates one `[[schedule]]`. Every problem is pushed to `diags`; `None` if there was any
/// error.
pub(super) fn resolve_schedule(
    page: &RawPage,
    s: &Spanned<Schedule>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Series> {
    let mut cx = Ctx::new(page, diags);
    let sc = s.get_ref();
    check_id(&mut cx, &sc.id);
    let tz = resolve_tz(&mut cx, &sc.tz);
    let start = whole_seconds(sc.start.get_ref().0);
    let mut start_fold_later = false;
    if let Some((name, tz)) = &tz
        && let Ok(later) = check_start(&mut cx, name, tz, start, sc.fold, sc.start.span())
    {
        start_fold_later = later;
    }
    let duration = check_duration(&mut cx, &sc.duration);
    check_weekday(&mut cx, sc, start);
    let rule = match *sc.every.get_ref() {
        Every::Monthly => monthly_rule(&mut cx, sc, start),
        every => weekly_rule(&mut cx, sc, every, start),
    };
    check_until(&mut cx, sc, start);

    let (Some((tz_name, tz)), Some(duration_min)) = (tz, duration) else {
        return None;
    };
    if cx.errors > 0 {
        // The rule is unreliable; checking exceptions against it would only add noise.
        return None;
    }
    let mut series = Series {
        id: sc.id.get_ref().clone(),
        title: sc.title.clone(),
        tz_name,
        tz,
        start,
        start_fold_later,
        duration_min,
        rule,
        until: sc.until.as_ref().map(|u| u.get_ref().0),
        exceptions: Vec::new(),
        sequence: sc.sequence,
        location: sc.location.clone(),
        notes_url_template: sc.notes_url_template.as_ref().map(|t| t.get_ref().clone()),
        agenda_url_template: sc.agenda_url_template.as_ref().map(|t| t.get_ref().clone()),
    };
    series.exceptions = resolve_exceptions(&mut cx, &series, &sc.exceptions);
    if cx.errors > 0 {
        return None;
    }
    Some(series)
}

/// `dt` without its fraction of a second: iCalendar cannot write one, so it is dropped
/// everywhere.
fn whole_seconds(dt: civil::DateTime) -> civil::DateTime {
    dt.with()
        .subsec_nanosecond(0)
        .build()
        .expect("a valid date-time stays valid at a whole second")
}

/// The id is part of the feed UID: kebab-case, with a suggestion made from what was written.
fn check_id(cx: &mut Ctx, id: &Spanned<String>) {
    let v = id.get_ref();
    if is_kebab(v) {
        return;
    }
    let suggested: String = v
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    cx.error(
        "schedule-id-format",
        cx.page.pos_of(id),
        format!("schedule id `{v}` is not kebab-case"),
        if suggested.is_empty() {
            "use lower-case letters, digits and single hyphens, e.g. \"weekly-tue\"".into()
        } else {
            format!(
                "use lower-case letters, digits and single hyphens, e.g. \"{suggested}\"; the id is part of the calendar UID, so choose it once"
            )
        },
    );
}

/// `weekday`, when given, is the weekday of `start`: the rule takes its day from the start.
fn check_weekday(cx: &mut Ctx, sc: &Schedule, start: civil::DateTime) {
    let start_wd = start.date().weekday();
    let Some(w) = &sc.weekday else { return };
    let said = w.get_ref().to_jiff();
    if said == start_wd {
        return;
    }
    cx.error(
        "schedule-weekday-mismatch",
        cx.page.pos_of(w),
        format!(
            "`weekday` says {} but the start, {}, is a {}",
            weekday_name(said),
            start.date(),
            weekday_name(start_wd)
        ),
        format!(
            "set `weekday = \"{}\"`, or move `start` to the first {}",
            weekday_key(start_wd),
            weekday_name(said)
        ),
    );
}

/// A weekly, biweekly or triweekly rule: it names its weekday, has no `nth`, and an `interval`
/// only where it agrees with `every` (or refines `weekly`).
fn weekly_rule(cx: &mut Ctx, sc: &Schedule, every: Every, start: civil::DateTime) -> Rule {
    let start_wd = start.date().weekday();
    if sc.weekday.is_none() {
        cx.error(
            "schedule-weekday-missing",
            cx.page.pos_of(&sc.every),
            format!("a {} schedule needs `weekday`", every_word(every)),
            format!(
                "add `weekday = \"{}\"` (the weekday of `start`)",
                weekday_key(start_wd)
            ),
        );
    }
    if let Some(n) = &sc.nth {
        cx.error(
            "schedule-nth-range",
            cx.page.pos_of(n),
            format!(
                "`nth` only applies to monthly schedules, not to {}",
                every_word(every)
            ),
            "remove `nth`, or use `every = \"monthly\"`".into(),
        );
    }
    let implied = match every {
        Every::Weekly => 1,
        Every::Biweekly => 2,
        _ => 3,
    };
    let interval = match &sc.interval {
        None => implied,
        Some(i) => weekly_interval(cx, i, every, implied),
    };
    Rule::Weekly {
        interval,
        weekday: start_wd,
    }
}

/// An explicit `interval`: 1 to 52 weeks, and only a refinement of `every = "weekly"`; else the
/// interval `every` implies.
fn weekly_interval(cx: &mut Ctx, i: &Spanned<u32>, every: Every, implied: u32) -> u32 {
    let v = *i.get_ref();
    if !(1..=52).contains(&v) {
        cx.error(
            "schedule-interval-invalid",
            cx.page.pos_of(i),
            format!("an interval of {v} weeks is outside 1 to 52"),
            "give the number of weeks between meetings, e.g. `interval = 4`".into(),
        );
        implied
    } else if every != Every::Weekly && v != implied {
        cx.error(
            "schedule-interval-invalid",
            cx.page.pos_of(i),
            format!(
                "`interval = {v}` contradicts `every = \"{}\"` (every {implied} weeks)",
                every_word(every)
            ),
            format!("use `every = \"weekly\"` with `interval = {v}`, or remove `interval`"),
        );
        implied
    } else {
        v
    }
}

/// A monthly rule: no `interval`, and an `nth` (1–4 or -1) of which `start` is itself a date.
fn monthly_rule(cx: &mut Ctx, sc: &Schedule, start: civil::DateTime) -> Rule {
    let start_wd = start.date().weekday();
    if let Some(i) = &sc.interval {
        cx.error(
            "schedule-interval-invalid",
            cx.page.pos_of(i),
            "`interval` only applies to weekly schedules".into(),
            "remove `interval`; monthly schedules meet every month".into(),
        );
    }
    let nth = match &sc.nth {
        None => {
            let guess = ((start.day() - 1) / 7 + 1).min(4);
            cx.error(
                "schedule-monthly-nth-missing",
                cx.page.pos_of(&sc.every),
                "a monthly schedule needs `nth` (which weekday of the month)".into(),
                format!(
                    "add `nth = {guess}` for the {} {} of each month (its start is one), or `nth = -1` for the last",
                    ordinal_word(i64::from(guess)).unwrap_or("?"),
                    weekday_name(start_wd)
                ),
            );
            1
        }
        Some(n) => monthly_nth(cx, sc, n, start),
    };
    Rule::MonthlyNth {
        nth,
        weekday: start_wd,
    }
}

/// The `nth` of a monthly rule, checked for range and against `start`; 1 when out of range.
fn monthly_nth(cx: &mut Ctx, sc: &Schedule, n: &Spanned<i8>, start: civil::DateTime) -> i8 {
    let v = *n.get_ref();
    if !(1..=4).contains(&v) && v != -1 {
        cx.error(
            "schedule-nth-range",
            cx.page.pos_of(n),
            format!("`nth = {v}` is not 1, 2, 3, 4 or -1"),
            "use 1 to 4 for the first to fourth weekday of the month, -1 for the last (a fifth one does not happen every month)".into(),
        );
        return 1;
    }
    let start_wd = start.date().weekday();
    if start.date().nth_weekday_of_month(v, start_wd).ok() != Some(start.date()) {
        let actual = (start.day() - 1) / 7 + 1;
        cx.error(
            "schedule-start-not-occurrence",
            cx.page.pos_of(&sc.start),
            format!(
                "the start, {}, is not the {} {} of its month",
                start.date(),
                nth_word(v),
                weekday_name(start_wd)
            ),
            format!("move `start` to the first meeting of the series, or set `nth = {actual}`"),
        );
    }
    v
}

/// `until` is the last date the series may meet, so not before the start.
fn check_until(cx: &mut Ctx, sc: &Schedule, start: civil::DateTime) {
    let Some(u) = &sc.until else { return };
    if u.get_ref().0 >= start.date() {
        return;
    }
    cx.error(
        "schedule-until-before-start",
        cx.page.pos_of(u),
        format!(
            "`until = {}` is before the start, {}",
            u.get_ref().0,
            start.date()
        ),
        "`until` is the last date the series may meet (inclusive); remove the schedule if it never met".into(),
    );
}

/// The schedule's `[[schedule.exceptions]]`, each on a meeting date of `series` and at most one
/// per date, sorted by the original start. Those with errors are left out.
fn resolve_exceptions(
    cx: &mut Ctx,
    series: &Series,
    list: &[Spanned<Exception>],
) -> Vec<SeriesException> {
    let mut seen: BTreeMap<civil::Date, Pos> = BTreeMap::new();
    let mut out = Vec::new();
    for ex in list {
        let e = ex.get_ref();
        let date = e.date.get_ref().0;
        let pos = cx.page.pos_of(&e.date);
        if !series.is_occurrence_date(date) {
            cx.error(
                "exception-not-occurrence",
                pos,
                format!(
                    "{date} is not a meeting date of schedule `{}` ({})",
                    series.id,
                    series.describe()
                ),
                nearest_dates_help(series, date),
            );
            continue;
        }
        if let Some(first) = seen.get(&date) {
            cx.error(
                "exception-duplicate",
                pos,
                format!(
                    "a second exception for {date} (the first is on line {})",
                    first.line
                ),
                "keep one exception per meeting date".into(),
            );
            continue;
        }
        seen.insert(date, pos);
        let reason = e.reason.get_ref().clone();
        let kind = match e.action.get_ref() {
            ExceptionAction::Cancel => ExceptionKind::Cancel { reason },
            ExceptionAction::Move => match resolve_move(cx, series, e, reason) {
                Some(kind) => kind,
                None => continue,
            },
        };
        out.push(SeriesException {
            original: date.to_datetime(series.start.time()),
            kind,
        });
    }
    out.sort_by_key(|e| e.original);
    out
}

/// A `move` exception: where to (a time that exists in the series' zone) and for how long.
fn resolve_move(
    cx: &mut Ctx,
    series: &Series,
    e: &Exception,
    reason: String,
) -> Option<ExceptionKind> {
    let date = e.date.get_ref().0;
    let Some(to) = &e.to else {
        cx.error(
            "exception-move-missing-to",
            cx.page.pos_of(&e.action),
            format!("the move of the {date} meeting does not say where to"),
            format!(
                "add `to = {}T{}` with the new local start in {}",
                date,
                series.start.time().strftime("%H:%M:%S"),
                series.tz_name
            ),
        );
        return None;
    };
    let target = whole_seconds(to.get_ref().0);
    if let AmbiguousOffset::Gap { .. } = series.tz.to_ambiguous_timestamp(target).offset() {
        cx.error(
            "exception-move-target",
            cx.page.pos_of(to),
            format!(
                "{target} does not exist in {}: the clocks jump forward then",
                series.tz_name
            ),
            "move the meeting to a time outside the skipped hour".into(),
        );
        return None;
    }
    let duration_min = match &e.duration {
        Some(d) => check_duration(cx, d)?,
        None => series.duration_min,
    };
    Some(ExceptionKind::Move {
        to: target,
        duration_min,
        reason,
    })
}

fn every_word(e: Every) -> &'static str {
    match e {
        Every::Weekly => "weekly",
        Every::Biweekly => "biweekly",
        Every::Triweekly => "triweekly",
        Every::Monthly => "monthly",
    }
}

/// "the nearest meeting dates are 2026-01-07 and 2026-01-28".
pub(super) fn nearest_dates_help(series: &Series, date: civil::Date) -> String {
    let mut before = None;
    let mut after = None;
    for d in series.original_dates() {
        if d < date {
            before = Some(d);
        } else {
            after = Some(d);
            break;
        }
    }
    match (before, after) {
        (Some(b), Some(a)) => format!(
            "the nearest meeting dates are {b} and {a}; an exception names the meeting's original date"
        ),
        (Some(b), None) => format!("the series' last meeting is on {b}"),
        (None, Some(a)) => format!("the series' first meeting is on {a}"),
        (None, None) => "the series has no meetings".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_pages::{APPS, meetings, rules};

    #[test]
    fn validation_rules() {
        let base = "[[schedule]]\nid = \"x\"\ntz = \"America/Los_Angeles\"\nduration = 60\n";
        let cases: &[(&str, &[&str])] = &[
            (
                "start = 2026-01-13T09:00:00\nevery = \"weekly\"\nweekday = \"wed\"\n",
                &["schedule-weekday-mismatch"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"weekly\"\n",
                &["schedule-weekday-missing"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"monthly\"\n",
                &["schedule-monthly-nth-missing"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"monthly\"\nnth = 5\n",
                &["schedule-nth-range"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"monthly\"\nnth = 1\n",
                &["schedule-start-not-occurrence"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"weekly\"\nweekday = \"tue\"\nuntil = 2026-01-12\n",
                &["schedule-until-before-start"],
            ),
            (
                "start = 2026-01-13T09:00:00\nevery = \"biweekly\"\ninterval = 3\nweekday = \"tue\"\n",
                &["schedule-interval-invalid"],
            ),
        ];
        for (rest, want) in cases {
            let (m, d) = meetings(&format!("{base}{rest}"));
            assert_eq!(rules(&d), *want, "{rest}");
            assert!(d.iter().all(|d| d.help.is_some()), "{d:?}");
            assert!(m.series.is_empty());
        }
        let (_, d) = meetings(
            "[[schedule]]\nid = \"Weekly_Sync\"\ntz = \"UTC\"\nstart = 2026-01-13T09:00:00\nduration = 3\nevery = \"weekly\"\nweekday = \"tue\"\n",
        );
        assert_eq!(rules(&d), ["schedule-id-format", "schedule-duration-range"]);
        assert!(
            d[0].help.as_deref().unwrap().contains("\"weekly-sync\""),
            "{d:?}"
        );
        // Located at the value: `id` is on line 7, duration on line 10.
        assert_eq!((d[0].pos.line, d[0].pos.col), (7, 6));
        assert_eq!(d[1].pos.line, 10);
    }

    #[test]
    fn weekday_mismatch_is_located_at_weekday() {
        let (_, d) = meetings(
            "[[schedule]]\nid = \"x\"\ntz = \"UTC\"\nstart = 2026-01-13T09:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"wed\"\n",
        );
        assert_eq!(rules(&d), ["schedule-weekday-mismatch"]);
        assert_eq!((d[0].pos.line, d[0].pos.col), (12, 11));
        assert!(d[0].help.as_deref().unwrap().contains("\"tue\""));
    }

    #[test]
    fn exception_rules() {
        let ex = |body: &str| format!("{APPS}{body}");
        let (m, d) = meetings(&ex(
            "[[schedule.exceptions]]\ndate = 2026-01-14\naction = \"cancel\"\nreason = \"r\"\n",
        ));
        assert_eq!(rules(&d), ["exception-not-occurrence"]);
        assert!(
            d[0].help
                .as_deref()
                .unwrap()
                .contains("2026-01-07 and 2026-01-28"),
            "{d:?}"
        );
        assert!(m.series.is_empty());
        let (_, d) = meetings(&ex(
            "[[schedule.exceptions]]\ndate = 2026-01-07\naction = \"move\"\nreason = \"r\"\n",
        ));
        assert_eq!(rules(&d), ["exception-move-missing-to"]);
        let (_, d) = meetings(&ex(
            "[[schedule.exceptions]]\ndate = 2026-03-11\naction = \"move\"\nto = 2026-03-08T02:15:00\nreason = \"r\"\n",
        ));
        assert_eq!(rules(&d), ["exception-move-target"]);
        let (_, d) = meetings(&ex(
            "[[schedule.exceptions]]\ndate = 2026-01-07\naction = \"cancel\"\nreason = \"r\"\n\
             [[schedule.exceptions]]\ndate = 2026-01-07\naction = \"cancel\"\nreason = \"again\"\n",
        ));
        assert_eq!(rules(&d), ["exception-duplicate"]);
    }
}
