//! The pictures: a group's last 52 weeks of meetings as a strip, and the notes-coverage bar, as
//! small inline SVG written on the server.
//!
//! Takes: a group's [`PastMeeting`]s and `today`. Gives: a [`Strip`] (one [`Mark`] per week)
//! and its SVG, and the bar's SVG. No script and no chart library: the pictures are part of
//! the HTML, each with a `<title>` and a `<desc>` that say in words what they show (the table
//! carries the same figures).
//!
//! Each kind of mark differs in shape as well as colour, so colour is never the only signal: a
//! full bar for a meeting held with notes, an outlined bar for one held without notes, a
//! diamond for a moved meeting, a cross for a cancelled one, and a low dash for a week without
//! a meeting. The colours are the style sheet's (classes `wk-*`), light and dark; the SVG's own
//! attributes are a readable fallback without it.

use jiff::civil::Date;
use serde::Serialize;

use super::meetings::{Outcome, PastMeeting};
use crate::markdown::escape;

/// How many weeks the strip shows.
pub const WEEKS: usize = 52;

/// What one week shows. When a week has several meetings, the first kind in this order wins:
/// held without notes, moved, held with notes, cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    /// Held, without notes.
    WithoutNotes,
    /// Held at another time.
    Moved,
    /// Held, with notes.
    WithNotes,
    /// Cancelled.
    Cancelled,
    /// No meeting that week.
    None,
}

impl Mark {
    /// Every mark, in legend order.
    pub const ALL: [Mark; 5] = [
        Mark::WithNotes,
        Mark::WithoutNotes,
        Mark::Moved,
        Mark::Cancelled,
        Mark::None,
    ];

    /// The CSS class of its shapes.
    pub fn class(self) -> &'static str {
        match self {
            Mark::WithNotes => "wk-notes",
            Mark::WithoutNotes => "wk-missing",
            Mark::Moved => "wk-moved",
            Mark::Cancelled => "wk-cancelled",
            Mark::None => "wk-none",
        }
    }

    /// Its name in the legend and the description.
    pub fn words(self) -> &'static str {
        match self {
            Mark::WithNotes => "held, with notes",
            Mark::WithoutNotes => "held, without notes",
            Mark::Moved => "moved",
            Mark::Cancelled => "cancelled",
            Mark::None => "no meeting",
        }
    }

    fn of(outcome: Outcome) -> Mark {
        match outcome {
            Outcome::Held { notes: true } => Mark::WithNotes,
            Outcome::Held { notes: false } => Mark::WithoutNotes,
            Outcome::Moved { .. } => Mark::Moved,
            Outcome::Cancelled => Mark::Cancelled,
        }
    }

    /// Writes the shape, in a 10 × 24 cell starting at `x`, to `s` (a strip writes one per week
    /// into one string). The fill and stroke attributes are the fallback when the style sheet is
    /// not there.
    fn push_shape(self, s: &mut String, x: usize) {
        // Pieces pushed, not `write!`: the strip is 52 shapes on every group page and health
        // row, and formatting them was 2% of a build's instructions.
        let (element, attribute, at, rest) = match self {
            Mark::WithNotes => (
                "rect",
                r#"" x=""#,
                x + 1,
                r##"" y="3" width="7" height="18" fill="#0d5c2a"/>"##,
            ),
            Mark::WithoutNotes => (
                "rect",
                r#"" x=""#,
                x + 2,
                r##"" y="4" width="5" height="16" fill="none" stroke="#a4262c" stroke-width="2"/>"##,
            ),
            Mark::Moved => (
                "path",
                r#"" d="M"#,
                x + 5,
                r##" 5l4 7-4 7-4-7z" fill="#0b4a8f"/>"##,
            ),
            Mark::Cancelled => (
                "path",
                r#"" d="M"#,
                x + 2,
                r##" 8l6 8m0-8l-6 8" fill="none" stroke="#4d5562" stroke-width="2"/>"##,
            ),
            Mark::None => (
                "rect",
                r#"" x=""#,
                x + 1,
                r##"" y="18" width="7" height="2" fill="#767e8a"/>"##,
            ),
        };
        for piece in ["<", element, r#" class="wk "#, self.class(), attribute] {
            s.push_str(piece);
        }
        s.push_str(itoa::Buffer::new().format(at));
        s.push_str(rest);
    }
}

/// The last [`WEEKS`] weeks of a group, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strip {
    /// The first day of the first week; the last week ends the day before today.
    pub from: Date,
    /// One mark per week, oldest first.
    pub weeks: Vec<Mark>,
}

/// How many weeks show each kind of mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct WeekCounts {
    /// Weeks held with notes.
    pub with_notes: usize,
    /// Weeks held without notes.
    pub without_notes: usize,
    /// Weeks with a moved meeting.
    pub moved: usize,
    /// Weeks with a cancelled meeting.
    pub cancelled: usize,
    /// Weeks without a meeting.
    pub none: usize,
}

impl WeekCounts {
    /// How many weeks show `m`.
    pub fn get(&self, m: Mark) -> usize {
        match m {
            Mark::WithNotes => self.with_notes,
            Mark::WithoutNotes => self.without_notes,
            Mark::Moved => self.moved,
            Mark::Cancelled => self.cancelled,
            Mark::None => self.none,
        }
    }
}

/// The first day the strip covers: [`WEEKS`] whole weeks before today.
pub fn strip_from(today: Date) -> Date {
    today
        .checked_sub(jiff::Span::new().days(7 * WEEKS as i64))
        .unwrap_or(today)
}

impl Strip {
    /// The strip of `meetings` (any range; those outside the 52 weeks are ignored).
    pub fn of(meetings: &[PastMeeting], today: Date) -> Strip {
        let from = strip_from(today);
        let mut weeks = vec![Mark::None; WEEKS];
        for m in meetings {
            let days = from.duration_until(m.date).as_hours() / 24;
            let Ok(i) = usize::try_from(days / 7) else {
                continue;
            };
            if days >= 0 && i < WEEKS {
                weeks[i] = weeks[i].min(Mark::of(m.outcome));
            }
        }
        Strip { from, weeks }
    }

    /// The last day shown.
    pub fn to(&self) -> Date {
        self.from
            .checked_add(jiff::Span::new().days(7 * self.weeks.len() as i64 - 1))
            .unwrap_or(self.from)
    }

    /// How many weeks show each mark.
    pub fn counts(&self) -> WeekCounts {
        let mut c = WeekCounts::default();
        for m in &self.weeks {
            match m {
                Mark::WithNotes => c.with_notes += 1,
                Mark::WithoutNotes => c.without_notes += 1,
                Mark::Moved => c.moved += 1,
                Mark::Cancelled => c.cancelled += 1,
                Mark::None => c.none += 1,
            }
        }
        c
    }

    /// The weeks in words, for `<desc>`.
    pub fn words(&self) -> String {
        let c = self.counts();
        let parts: Vec<String> = Mark::ALL
            .iter()
            .map(|m| format!("{} {}", c.get(*m), m.words()))
            .collect();
        format!(
            "One mark per week from {} to {}: {}.",
            self.from,
            self.to(),
            parts.join(", ")
        )
    }

    /// The strip as an inline SVG; `id` makes its title and description ids unique on the
    /// page, `label` names the group.
    pub fn svg(&self, id: &str, label: &str) -> String {
        let width = self.weeks.len() * 10;
        let mut s = format!(
            r#"<svg class="strip" viewBox="0 0 {width} 24" width="{width}" height="24" role="img" aria-labelledby="{id}-t {id}-d" focusable="false"><title id="{id}-t">Meetings of {} over the last {} weeks</title><desc id="{id}-d">{}</desc>"#,
            escape(label),
            self.weeks.len(),
            escape(&self.words())
        );
        // The longest shape is 111 bytes: room for all of them at once, not growing by halves.
        s.reserve(self.weeks.len() * 111 + "</svg>".len());
        for (i, m) in self.weeks.iter().enumerate() {
            m.push_shape(&mut s, i * 10);
        }
        s.push_str("</svg>");
        s
    }
}

/// One sample of each mark with its words, for the legend.
pub fn legend() -> Vec<(String, &'static str)> {
    Mark::ALL
        .iter()
        .map(|m| {
            let mut svg = String::from(
                r#"<svg class="strip-key" viewBox="0 0 10 24" width="10" height="24" aria-hidden="true" focusable="false">"#,
            );
            m.push_shape(&mut svg, 0);
            svg.push_str("</svg>");
            (svg, m.words())
        })
        .collect()
}

/// The notes-coverage bar: `with_notes` of `held`, as a bar 100 units long.
pub fn coverage_bar(id: &str, with_notes: usize, held: usize) -> String {
    let percent = (with_notes * 100).checked_div(held).unwrap_or(0);
    let text = format!("Notes for {with_notes} of {held} held meetings ({percent}%)");
    format!(
        r##"<svg class="bar" viewBox="0 0 102 10" width="102" height="10" role="img" aria-labelledby="{id}-b" focusable="false"><title id="{id}-b">{text}</title><rect class="bar-track" x="0.5" y="0.5" width="101" height="9" fill="none" stroke="#767e8a"/><rect class="bar-fill" x="1" y="1" width="{percent}" height="8" fill="#0d5c2a"/></svg>"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn meeting(d: Date, outcome: Outcome) -> PastMeeting {
        PastMeeting { date: d, outcome }
    }

    #[test]
    fn weeks_take_the_most_telling_mark_and_ignore_the_outside() {
        let today = date(2026, 11, 24);
        let from = strip_from(today);
        assert_eq!(from, date(2025, 11, 25));
        let s = Strip::of(
            &[
                meeting(date(2025, 11, 24), Outcome::Held { notes: false }),
                meeting(from, Outcome::Held { notes: true }),
                meeting(date(2025, 11, 27), Outcome::Held { notes: false }),
                meeting(date(2025, 12, 2), Outcome::Cancelled),
                meeting(date(2025, 12, 9), Outcome::Moved { notes: true }),
                meeting(date(2025, 12, 10), Outcome::Held { notes: true }),
                meeting(date(2026, 11, 23), Outcome::Held { notes: true }),
                meeting(today, Outcome::Held { notes: false }),
            ],
            today,
        );
        assert_eq!(s.weeks.len(), WEEKS);
        assert_eq!(
            &s.weeks[..3],
            [Mark::WithoutNotes, Mark::Cancelled, Mark::Moved]
        );
        assert_eq!(s.weeks[51], Mark::WithNotes);
        assert_eq!(s.to(), date(2026, 11, 23));
        let c = s.counts();
        assert_eq!(
            (c.with_notes, c.without_notes, c.moved, c.cancelled, c.none),
            (1, 1, 1, 1, 48)
        );
        let svg = s.svg("x", "A <b> IG");
        assert_eq!(svg.matches("class=\"wk ").count(), WEEKS);
        assert!(svg.contains("Meetings of A &lt;b&gt; IG"), "{svg}");
    }

    #[test]
    fn the_bar_is_as_long_as_the_coverage() {
        assert!(coverage_bar("b", 3, 4).contains(r#"width="75""#));
        assert!(coverage_bar("b", 0, 0).contains(r#"width="0""#));
    }
}
