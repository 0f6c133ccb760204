//! The iCalendar stage: the groups' meetings as iCalendar feeds (RFC 5545, RFC 7986), and a
//! linter for feeds.
//!
//! Takes: each group's validated meetings ([`crate::recur`]'s series and one-off meetings) with
//! the words and links its events carry ([`FeedGroup`]). Gives: the group's part of a feed
//! ([`feed_part`]) and the text of a feed made of any parts ([`write_feed_parts`]): one VEVENT
//! with an RRULE per series, EXDATEs for cancellations, a RECURRENCE-ID override per moved
//! meeting, one-off meetings as plain events, and one VTIMEZONE per zone used, generated from
//! tzdb. [`crate::feeds`] decides which feeds the site has and what they are called. [`lint_feed`]
//! checks any feed against the checklist; the tests run it on every feed, and `mcpsite check`
//! on a built site.
//!
//! One job per file:
//! - `write`: content lines (CRLF, folding at 75 octets on UTF-8 boundaries, TEXT escaping);
//! - `feed`: VEVENTs from series and one-off meetings, the VCALENDAR around them, feed parts;
//! - [`vtimezone`]: VTIMEZONE components derived from the bundled tz database;
//! - `lint`: the linter, with its own reader and RRULE engine.
//!
//! The checklist both writer and linter hold to, and where a new feed property goes, are in
//! `docs/calendar-feeds.md`.

mod feed;
mod lint;
pub mod vtimezone;
mod write;

pub use feed::{FeedGroup, FeedPart, feed_part, write_feed_parts};
pub use lint::{lint_feed, lint_feed_bytes};
