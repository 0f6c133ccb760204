//! The when of a meeting, as schedules and one-offs share it: the zone, the local start against
//! daylight saving, and the length.
//!
//! Takes: the spanned `tz`, start and `duration` values of a `[[schedule]]` or one-off
//! `[[meetings]]` record. Gives: the zone (its canonical tzdb name and [`TimeZone`]), whether an
//! ambiguous start means its later time, and the minutes; or `schedule-tz-invalid`,
//! `schedule-start-nonexistent`, `schedule-start-ambiguous` and `schedule-duration-range`
//! errors, located at the value, through a [`Ctx`].

use std::ops::Range;

use jiff::civil;
use jiff::tz::{AmbiguousOffset, TimeZone};

use crate::diag::{Diagnostic, Pos};
use crate::frontmatter::RawPage;
use crate::hints::closest;
use crate::schema::{Fold, Spanned};

/// Shortest and longest meeting, in minutes.
pub(super) const DURATION_RANGE: std::ops::RangeInclusive<u32> = 5..=240;

/// Where the resolvers report: the page, the run's diagnostics, and how many errors this
/// schedule or record has had so far (a series with any error is left out).
pub(super) struct Ctx<'a> {
    pub(super) page: &'a RawPage,
    diags: &'a mut Vec<Diagnostic>,
    pub(super) errors: usize,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(page: &'a RawPage, diags: &'a mut Vec<Diagnostic>) -> Self {
        Ctx {
            page,
            diags,
            errors: 0,
        }
    }

    pub(super) fn error(&mut self, rule: &str, pos: Pos, msg: String, help: String) {
        self.errors += 1;
        self.diags
            .push(Diagnostic::error(rule, &self.page.source.path, pos, msg).with_help(help));
    }
}

/// The names in the tz database. It is the one bundled into the binary (jiff's `tzdb-bundle-always`
/// feature, so every machine builds the same feeds), fixed for the life of the process, so it is
/// listed once rather than for every schedule.
fn tz_names() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        jiff::tz::db()
            .available()
            .map(|n| n.as_str().to_string())
            .collect()
    })
}

/// The zone named `name` from the bundled tzdb, or a `schedule-tz-invalid` error with a
/// suggestion.
pub(super) fn resolve_tz(cx: &mut Ctx, name: &Spanned<String>) -> Option<(String, TimeZone)> {
    let raw = name.get_ref();
    // Only names from the database: no POSIX strings, no system zone, no file paths.
    let names = tz_names();
    if let Some(found) = names.iter().find(|n| n.eq_ignore_ascii_case(raw))
        && let Ok(tz) = TimeZone::get(found)
    {
        return Some((found.clone(), tz));
    }
    let suggestion = closest(raw, names).map(str::to_string).or_else(|| {
        // "Los_Angeles" or "los angeles": compare with the last part of each name.
        let want = raw
            .rsplit('/')
            .next()
            .unwrap_or(raw)
            .replace(' ', "_")
            .to_ascii_lowercase();
        let lasts: Vec<String> = names
            .iter()
            .map(|n| n.rsplit('/').next().unwrap_or(n).to_ascii_lowercase())
            .collect();
        closest(&want, &lasts)
            .and_then(|best| names.iter().zip(&lasts).find(|(_, l)| *l == best))
            .map(|(n, _)| n.clone())
    });
    let help = match suggestion {
        Some(s) => format!("did you mean \"{s}\"? use an IANA time zone name"),
        None => "use an IANA time zone name such as \"America/Los_Angeles\", \"Europe/London\" or \"UTC\"".to_string(),
    };
    cx.error(
        "schedule-tz-invalid",
        cx.page.pos_of(name),
        format!("`{raw}` is not a time zone in the tz database"),
        help,
    );
    None
}

/// Checks a start (or a one-off's time) against DST: `Err` after reporting a gap or an
/// unresolved overlap. `Ok(true)` when an overlap was resolved to the later time.
pub(super) fn check_start(
    cx: &mut Ctx,
    tz_name: &str,
    tz: &TimeZone,
    dt: civil::DateTime,
    fold: Option<Fold>,
    at: Range<usize>,
) -> Result<bool, ()> {
    match tz.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { .. } => Ok(false),
        AmbiguousOffset::Gap { before, after } => {
            let skip = after.duration_since(before);
            cx.error(
                "schedule-start-nonexistent",
                cx.page.pos(at),
                format!(
                    "{dt} does not exist in {tz_name}: the clocks jump forward {} minutes around then (daylight saving time)",
                    skip.as_mins()
                ),
                "pick a start time outside the skipped hour, e.g. one hour later".to_string(),
            );
            Err(())
        }
        AmbiguousOffset::Fold { before, after } => match fold {
            Some(Fold::Earlier) => Ok(false),
            Some(Fold::Later) => Ok(true),
            None => {
                cx.error(
                    "schedule-start-ambiguous",
                    cx.page.pos(at),
                    format!(
                        "{dt} happens twice in {tz_name} (UTC offset {before}, then {after}) as the clocks go back"
                    ),
                    "add `fold = \"earlier\"` or `fold = \"later\"` to say which, or pick another time".to_string(),
                );
                Err(())
            }
        },
    }
}

pub(super) fn check_duration(cx: &mut Ctx, d: &Spanned<u32>) -> Option<u32> {
    let v = *d.get_ref();
    if DURATION_RANGE.contains(&v) {
        Some(v)
    } else {
        cx.error(
            "schedule-duration-range",
            cx.page.pos_of(d),
            format!("a meeting of {v} minutes is outside the allowed 5 to 240 minutes"),
            "give the length in minutes, e.g. `duration = 60`".to_string(),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_pages::{meetings, one_series, rules, utc_starts};

    #[test]
    fn gap_and_overlap_starts() {
        let (m, d) = meetings(
            "[[schedule]]\nid = \"gap\"\ntz = \"America/Los_Angeles\"\nstart = 2026-03-08T02:30:00\nduration = 60\nevery = \"weekly\"\nweekday = \"sun\"\n",
        );
        assert!(m.series.is_empty());
        assert_eq!(rules(&d), ["schedule-start-nonexistent"]);
        assert_eq!(d[0].pos.line, 9, "{:?}", d[0]);
        assert!(d[0].help.is_some());

        let (m, d) = meetings(
            "[[schedule]]\nid = \"fold\"\ntz = \"America/Los_Angeles\"\nstart = 2026-11-01T01:30:00\nduration = 60\nevery = \"weekly\"\nweekday = \"sun\"\n",
        );
        assert!(m.series.is_empty());
        assert_eq!(rules(&d), ["schedule-start-ambiguous"]);

        let s = one_series(
            "[[schedule]]\nid = \"fold\"\ntz = \"America/Los_Angeles\"\nstart = 2026-11-01T01:30:00\nfold = \"later\"\nduration = 60\nevery = \"weekly\"\nweekday = \"sun\"\n",
        );
        assert!(s.start_fold_later);
        assert_eq!(
            utc_starts(&s, "2026-10-01T00:00:00Z", "2026-11-09T00:00:00Z"),
            ["2026-11-01T09:30:00Z", "2026-11-08T09:30:00Z"]
        );
        let s = one_series(
            "[[schedule]]\nid = \"fold\"\ntz = \"America/Los_Angeles\"\nstart = 2026-11-01T01:30:00\nfold = \"earlier\"\nduration = 60\nevery = \"weekly\"\nweekday = \"sun\"\n",
        );
        assert_eq!(
            utc_starts(&s, "2026-10-01T00:00:00Z", "2026-11-02T00:00:00Z"),
            ["2026-11-01T08:30:00Z"]
        );
    }

    #[test]
    fn unknown_zone_suggests_a_name() {
        for (bad, want) in [
            ("America/Los_Angelos", "America/Los_Angeles"),
            ("Europe/Londn", "Europe/London"),
            ("Los_Angeles", "America/Los_Angeles"),
        ] {
            let (_, d) = meetings(&format!(
                "[[schedule]]\nid = \"x\"\ntz = \"{bad}\"\nstart = 2026-01-13T09:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n"
            ));
            assert_eq!(rules(&d), ["schedule-tz-invalid"], "{bad}");
            assert_eq!(d[0].pos.line, 8);
            let help = d[0].help.as_deref().unwrap();
            assert!(help.contains(&format!("\"{want}\"")), "{bad}: {help}");
        }
        // Case is forgiven, and the canonical spelling is kept for the TZID.
        let s = one_series(
            "[[schedule]]\nid = \"x\"\ntz = \"america/new_york\"\nstart = 2026-01-13T09:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"tue\"\n",
        );
        assert_eq!(s.tz_name, "America/New_York");
    }
}
