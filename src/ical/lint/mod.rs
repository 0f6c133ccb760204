//! The feed linter: the mechanically checkable items of the feed checklist
//! (`docs/calendar-feeds.md`).
//!
//! Takes: the bytes of an `.ics` file (any file, not only the ones mcpsite writes). Gives: its
//! findings, each `line N: rule-id: message` (N is the 1-based physical line, 0 for the end of
//! the file), in the order the steps find them; an empty list means the feed passed. The tests
//! lint every feed they build, and `mcpsite check` lints the built site's (`feed-lint`).
//!
//! The steps, a file each: [`parse`] (serialization and nesting), [`props`] (property values
//! everywhere, and the VCALENDAR's own), [`zones`] (VTIMEZONE shape), [`events`] (each VEVENT,
//! then overrides against their series), [`instances`] (recurrence instances and zone offsets,
//! with the small RRULE engine of [`rrule`]); [`values`] holds the value syntax they share.

mod events;
mod instances;
mod parse;
mod props;
mod rrule;
#[cfg(test)]
mod tests;
mod values;
mod zones;

use std::fmt::Display;

use parse::Component;

/// Checks a feed against the checklist in `docs/calendar-feeds.md`. Each problem is
/// `line N: rule-id: message`; an empty list means the feed passed.
pub fn lint_feed(text: &str) -> Vec<String> {
    lint_feed_bytes(text.as_bytes())
}

/// [`lint_feed`] over raw bytes (a file read from disk, which may not be UTF-8).
pub fn lint_feed_bytes(bytes: &[u8]) -> Vec<String> {
    let mut f = Findings::default();
    let top = parse::parse_components(bytes, &mut f);
    let Some(cal) = the_calendar(&top, &mut f) else {
        return f.0;
    };
    props::check_every_component(cal, &mut f);
    props::check_calendar(cal, &mut f);
    let vtz = zones::check_vtimezones(cal, &mut f);
    let events: Vec<&Component> = cal.children.iter().filter(|c| c.name == "VEVENT").collect();
    let masters = events::check_events(&events, &vtz, &mut f);
    events::check_overrides(&events, &masters, &mut f);
    events::check_exdate_tzids(&events, &mut f);
    instances::check_instances(&events, &vtz, &mut f);
    f.0
}

/// The findings of one run, in the order found.
#[derive(Debug, Default)]
struct Findings(Vec<String>);

impl Findings {
    fn add(&mut self, line: usize, rule: &str, message: impl Display) {
        self.0.push(format!("line {line}: {rule}: {message}"));
    }
}

/// The file's one VCALENDAR (the first, if there are several); anything else at the top level
/// is a finding.
fn the_calendar<'c>(top: &'c [Component], f: &mut Findings) -> Option<&'c Component> {
    for c in top.iter().filter(|c| c.name != "VCALENDAR") {
        f.add(
            c.line,
            "outside-vcalendar",
            format!("{} outside VCALENDAR", c.name),
        );
    }
    let cals: Vec<&Component> = top.iter().filter(|c| c.name == "VCALENDAR").collect();
    match cals.len() {
        0 => f.add(1, "no-vcalendar", "no VCALENDAR"),
        1 => {}
        _ => f.add(
            cals[1].line,
            "multiple-vcalendar",
            "more than one VCALENDAR",
        ),
    }
    cals.first().copied()
}
