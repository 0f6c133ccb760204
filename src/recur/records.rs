//! A page's meetings resolved: its `[[schedule]]`s made series, and each `[[meetings]]` record
//! understood as a meeting of a series, a one-off meeting, or a notes-only record.
//!
//! Takes: a parsed group page ([`RawPage`]). Gives: [`Meetings`] (series, one-offs and the
//! per-record [`MeetingRef`]s), pushing `schedule-id-duplicate`, `meeting-schedule-unknown`,
//! `meeting-not-occurrence` (a warning), `meeting-oneoff-incomplete`, `meeting-id-format` and
//! `meeting-id-duplicate`, plus what [`schedule`](super::schedule) and [`when`](super::when)
//! report. Records that fail are left out; the rest still resolve.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::schema::Spanned;

use super::schedule::{nearest_dates_help, resolve_schedule};
use super::when::{Ctx, check_duration, check_start, resolve_tz};
use super::{
    ExceptionKind, MeetingRef, Meetings, OneOff, RecordKind, RecordedOccurrence, Series,
    SeriesException, add_minutes, local_to_timestamp,
};
use crate::diag::{Diagnostic, Pos};
use crate::frontmatter::RawPage;
use crate::hints::closest;
use crate::schema::{MeetingRecord, MeetingStatus, is_kebab};
use crate::timefmt;

/// Resolves a group page's `[[schedule]]` and `[[meetings]]`: call once per group.
///
/// Meeting records with `status = "cancelled"` that point at a schedule cancel that occurrence,
/// as an exception would (unless an exception already covers the date).
pub fn resolve_meetings(page: &RawPage, diags: &mut Vec<Diagnostic>) -> Meetings {
    let mut records = Records {
        page,
        diags,
        schedule_ids: Vec::new(),
        one_off_at: BTreeMap::new(),
        out: Meetings::default(),
    };
    records.schedules();
    for (index, rec) in page.fm.meetings.iter().enumerate() {
        let r = rec.get_ref();
        let kind = match &r.schedule {
            Some(sid) => records.of_series(r, sid),
            None if r.time().is_none() => records.notes_only(index, rec),
            None => records.one_off(index, rec),
        };
        if let Some(kind) = kind {
            records.out.records.push(MeetingRef {
                index,
                date: r.date.get_ref().0,
                kind,
            });
        }
    }
    // Kept as long as the group: without the room a list grown one by one has.
    records.out.records.shrink_to_fit();
    records.out
}

/// One page's resolution under way.
struct Records<'a> {
    page: &'a RawPage,
    diags: &'a mut Vec<Diagnostic>,
    /// Ids of every schedule, resolved or not, so a record is not blamed for a bad schedule.
    schedule_ids: Vec<String>,
    /// Where each one-off id was first used (a span: see [`Records::schedules`]).
    one_off_at: BTreeMap<String, Range<usize>>,
    out: Meetings,
}

impl Records<'_> {
    fn error(&mut self, rule: &str, pos: Pos, message: String, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(rule, &self.page.source.path, pos, message).with_help(help));
    }

    /// Every `[[schedule]]` with an id not used before, resolved.
    fn schedules(&mut self) {
        let page = self.page;
        // Spans, not positions: a page's first position indexes its lines (see `RawPage::pos`).
        let mut first_at: BTreeMap<String, Range<usize>> = BTreeMap::new();
        for s in &page.fm.schedule {
            let id = s.get_ref().id.get_ref().clone();
            if let Some(first) = first_at.get(&id) {
                let first_line = page.pos(first.clone()).line;
                self.error(
                    "schedule-id-duplicate",
                    page.pos_of(&s.get_ref().id),
                    format!("schedule id `{id}` is already used on line {first_line}"),
                    "give each schedule its own id; ids are part of calendar UIDs and are never reused",
                );
                continue;
            }
            first_at.insert(id.clone(), s.get_ref().id.span());
            self.schedule_ids.push(id);
            if let Some(series) = resolve_schedule(page, s, self.diags) {
                self.out.series.push(series);
            }
        }
    }

    /// A record of a series' meeting: the occurrence on its date (after moves), if there is one.
    /// A cancelled record cancels that occurrence. `None` when the schedule did not resolve.
    fn of_series(&mut self, r: &MeetingRecord, sid: &Spanned<String>) -> Option<RecordKind> {
        let date = r.date.get_ref().0;
        let name = sid.get_ref();
        let Some(series) = self.out.series.iter_mut().find(|s| &s.id == name) else {
            if !self.schedule_ids.contains(name) {
                self.unknown_schedule(sid);
            }
            return None;
        };
        if r.status == Some(MeetingStatus::Cancelled)
            && series.is_occurrence_date(date)
            && series.exception_on(date).is_none()
        {
            series.exceptions.push(SeriesException {
                original: date.to_datetime(series.start.time()),
                kind: ExceptionKind::Cancel {
                    reason: r.reason().cloned().unwrap_or_else(|| "cancelled".into()),
                },
            });
            series.exceptions.sort_by_key(|e| e.original);
        }
        let series: &Series = series;
        let occurrence = series.occurrence_on(date);
        if occurrence.is_none() {
            let d = not_an_occurrence(self.page, r, series);
            self.diags.push(d);
        }
        Some(RecordKind::Occurrence {
            series_id: series.id.clone(),
            occurrence: occurrence.as_ref().map(RecordedOccurrence::from),
        })
    }

    /// `meeting-schedule-unknown`, with the closest id or the page's ids.
    fn unknown_schedule(&mut self, sid: &Spanned<String>) {
        let name = sid.get_ref();
        let ids = &self.schedule_ids;
        let help = match closest(name, ids) {
            Some(best) => format!("did you mean \"{best}\"?"),
            None if ids.is_empty() => {
                "this page has no [[schedule]]; remove `schedule` to make the record a one-off or a notes-only record".into()
            }
            None => format!("schedules on this page: {}", ids.join(", ")),
        };
        self.error(
            "meeting-schedule-unknown",
            self.page.pos_of(sid),
            format!("no schedule with id `{name}` on this page"),
            help,
        );
    }

    /// A record without `schedule` or `time`: a past meeting's notes, unless it has a zone or a
    /// length (then it is an incomplete one-off, which [`resolve_one_off`] reports).
    fn notes_only(&mut self, index: usize, rec: &Spanned<MeetingRecord>) -> Option<RecordKind> {
        let before = self.diags.len();
        let _ = resolve_one_off(self.page, index, rec, self.diags);
        (self.diags.len() == before).then_some(RecordKind::Archive)
    }

    /// A one-off meeting, with an id no other one-off or schedule of the page has.
    fn one_off(&mut self, index: usize, rec: &Spanned<MeetingRecord>) -> Option<RecordKind> {
        let r = rec.get_ref();
        let one = resolve_one_off(self.page, index, rec, self.diags)?;
        let at = r.id().map_or_else(|| r.date.span(), |i| i.span());
        if let Some(first) = self.one_off_at.get(&one.id) {
            let message = format!(
                "a second one-off meeting with id `{}` (the first is on line {})",
                one.id,
                self.page.pos(first.clone()).line
            );
            self.error(
                "meeting-id-duplicate",
                self.page.pos(at),
                message,
                "give one of them `id = \"…\"`; one-off ids default to the date and are part of calendar UIDs",
            );
            return None;
        }
        if self.schedule_ids.contains(&one.id) {
            self.error(
                "meeting-id-duplicate",
                self.page.pos(at),
                format!("one-off meeting id `{}` is also a schedule id", one.id),
                "give the one-off its own `id`; ids are part of calendar UIDs",
            );
            return None;
        }
        self.one_off_at.insert(one.id.clone(), at);
        let kind = RecordKind::OneOff { id: one.id.clone() };
        self.out.one_offs.push(one);
        Some(kind)
    }
}

/// The warning for a record of `series` dated on no meeting of it, with where the meeting went
/// if it was moved.
fn not_an_occurrence(page: &RawPage, r: &MeetingRecord, series: &Series) -> Diagnostic {
    let date = r.date.get_ref().0;
    let help = match series.exception_on(date).map(|e| &e.kind) {
        Some(ExceptionKind::Move { to, .. }) => format!(
            "the {date} meeting was moved to {}; date the record {}",
            to,
            to.date()
        ),
        _ => format!(
            "{}; or remove `schedule` to record a one-off meeting",
            nearest_dates_help(series, date)
        ),
    };
    Diagnostic::warning(
        "meeting-not-occurrence",
        &page.source.path,
        page.pos_of(&r.date),
        format!(
            "{date} is not a meeting date of schedule `{}` ({})",
            series.id,
            series.describe()
        ),
    )
    .with_help(help)
}

/// Validates a one-off `[[meetings]]` record (one without `schedule`, with `time`). `None` if the
/// record is not a one-off or has errors (which are pushed to `diags`).
fn resolve_one_off(
    page: &RawPage,
    index: usize,
    rec: &Spanned<MeetingRecord>,
    diags: &mut Vec<Diagnostic>,
) -> Option<OneOff> {
    let r = rec.get_ref();
    if r.schedule.is_some() {
        return None;
    }
    let mut cx = Ctx::new(page, diags);
    let date = r.date.get_ref().0;
    let Some(time) = r.time() else {
        if r.tz().is_some() || r.duration().is_some() {
            let pos = (r.tz().map(|t| page.pos_of(t)))
                .or(r.duration().map(|d| page.pos_of(d)))
                .unwrap_or_else(|| page.pos_of(&r.date));
            cx.error(
                "meeting-oneoff-incomplete",
                pos,
                format!("the {date} meeting has a zone or length but no `time`"),
                "add `time = 16:00:00` (local, in `tz`) to publish it as a one-off meeting, or remove `tz` and `duration` for a notes-only record".into(),
            );
        }
        return None;
    };
    let missing: Vec<&str> = [
        ("tz", r.tz().is_none()),
        ("duration", r.duration().is_none()),
    ]
    .into_iter()
    .filter(|(_, m)| *m)
    .map(|(k, _)| k)
    .collect();
    if !missing.is_empty() {
        cx.error(
            "meeting-oneoff-incomplete",
            page.pos_of(time),
            format!(
                "the one-off meeting on {date} lacks {}",
                missing
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            "a meeting record with `time` and no `schedule` is a one-off and needs `tz` (an IANA zone) and `duration` (minutes)".into(),
        );
        return None;
    }
    let id = match r.id() {
        Some(id) => {
            let v = id.get_ref().clone();
            if !is_kebab(&v) {
                cx.error(
                    "meeting-id-format",
                    page.pos_of(id),
                    format!("meeting id `{v}` is not kebab-case"),
                    "use lower-case letters, digits and single hyphens; the id is part of the calendar UID".into(),
                );
            }
            v
        }
        None => timefmt::compact_date(date),
    };
    let tz = resolve_tz(&mut cx, r.tz().expect("checked"));
    let duration = check_duration(&mut cx, r.duration().expect("checked"));
    let local = date.to_datetime(time.get_ref().0.with().subsec_nanosecond(0).build().ok()?);
    let (Some((tz_name, tz)), Some(duration)) = (tz, duration) else {
        return None;
    };
    check_start(&mut cx, &tz_name, &tz, local, None, time.span()).ok()?;
    if cx.errors > 0 {
        return None;
    }
    let start = local_to_timestamp(&tz, local).to_zoned_datetime(tz.clone());
    let end = add_minutes(&start, duration);
    Some(OneOff {
        id,
        title: r.title().cloned(),
        tz_name,
        tz,
        start,
        end,
        sequence: r.sequence(),
        cancelled: r.status == Some(MeetingStatus::Cancelled),
        record: index,
    })
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::super::test_pages::{APPS, meetings, rules, ts};
    use super::super::{ExceptionKind, OccurrenceStatus, RecordKind, RecordedOccurrence};

    #[test]
    fn meeting_records() {
        let (m, d) = meetings(&format!(
            "{APPS}[[schedule.exceptions]]\ndate = 2026-01-28\naction = \"move\"\nto = 2026-01-29T10:00:00\nreason = \"r\"\n\
             [[meetings]]\ndate = 2026-01-07\nschedule = \"apps-sync\"\nnotes = \"https://example.com/1\"\n\
             [[meetings]]\ndate = 2026-01-29\nschedule = \"apps-sync\"\n\
             [[meetings]]\ndate = 2026-01-28\nschedule = \"apps-sync\"\n\
             [[meetings]]\ndate = 2026-02-18\nschedule = \"apps-sync\"\nstatus = \"cancelled\"\nreason = \"offsite\"\n\
             [[meetings]]\ndate = 2026-02-20\nschedule = \"apps-synk\"\n\
             [[meetings]]\ndate = 2025-11-01\nnotes = \"https://example.com/old\"\n\
             [[meetings]]\ndate = 2026-02-02\ntime = 09:00:00\ntz = \"Europe/Berlin\"\nduration = 30\ntitle = \"Kickoff\"\n\
             [[meetings]]\ndate = 2026-02-03\ntime = 09:00:00\ntz = \"Europe/Berlin\"\n"
        ));
        assert_eq!(
            rules(&d),
            [
                "meeting-not-occurrence",
                "meeting-schedule-unknown",
                "meeting-oneoff-incomplete"
            ],
            "{d:#?}"
        );
        assert_eq!(d[0].severity, crate::diag::Severity::Warning);
        assert!(d[0].help.as_deref().unwrap().contains("moved to"), "{d:?}");
        assert!(
            d[1].help.as_deref().unwrap().contains("\"apps-sync\""),
            "{d:?}"
        );
        let s = &m.series[0];
        assert_eq!(
            s.exception_on(date(2026, 2, 18)).map(|e| &e.kind),
            Some(&ExceptionKind::Cancel {
                reason: "offsite".into()
            })
        );
        assert_eq!(m.one_offs.len(), 1);
        let o = &m.one_offs[0];
        assert_eq!(o.id, "20260202");
        assert_eq!(o.start.timestamp(), ts("2026-02-02T08:00:00Z"));
        assert_eq!(o.end.timestamp(), ts("2026-02-02T08:30:00Z"));
        let kinds: Vec<(usize, &RecordKind)> =
            m.records.iter().map(|r| (r.index, &r.kind)).collect();
        assert_eq!(kinds.len(), 6, "{kinds:#?}");
        // The status of the occurrence the `i`th record records, as its series gives it on the
        // record's date, which is the one the record keeps.
        let status = |i: usize| {
            let r = &m.records[i];
            let o = s.occurrence_on(r.date)?;
            let kept = RecordKind::Occurrence {
                series_id: s.id.clone(),
                occurrence: Some(RecordedOccurrence::from(&o)),
            };
            assert_eq!(r.kind, kept);
            Some(o.status)
        };
        assert_eq!(status(0), Some(OccurrenceStatus::Scheduled));
        assert!(matches!(status(1), Some(OccurrenceStatus::Moved { .. })));
        assert!(matches!(
            kinds[2].1,
            RecordKind::Occurrence {
                occurrence: None,
                ..
            }
        ));
        assert!(matches!(
            status(3),
            Some(OccurrenceStatus::Cancelled { .. })
        ));
        assert_eq!(kinds[4], (5, &RecordKind::Archive));
        assert_eq!(
            kinds[5],
            (
                6,
                &RecordKind::OneOff {
                    id: "20260202".into()
                }
            )
        );
    }

    #[test]
    fn duplicate_ids() {
        let (m, d) = meetings(&format!(
            "{APPS}[[schedule]]\nid = \"apps-sync\"\ntz = \"UTC\"\nstart = 2026-01-13T09:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n\
             [[meetings]]\ndate = 2026-02-02\ntime = 09:00:00\ntz = \"UTC\"\nduration = 30\n\
             [[meetings]]\ndate = 2026-02-02\ntime = 15:00:00\ntz = \"UTC\"\nduration = 30\n\
             [[meetings]]\ndate = 2026-02-03\nid = \"apps-sync\"\ntime = 15:00:00\ntz = \"UTC\"\nduration = 30\n"
        ));
        assert_eq!(
            rules(&d),
            [
                "schedule-id-duplicate",
                "meeting-id-duplicate",
                "meeting-id-duplicate"
            ],
            "{d:#?}"
        );
        assert_eq!(m.series.len(), 1);
        assert_eq!(m.one_offs.len(), 1);
    }
}
