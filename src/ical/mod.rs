//! The iCalendar writer (RFC 5545, RFC 7986) and a linter for the feeds it writes.
//!
//! Takes: the validated meetings of one or more groups ([`FeedInput`]). Gives: the text of a
//! `calendar.ics` ([`write_feed`]): one VEVENT with an RRULE per schedule, EXDATEs for
//! cancellations, a RECURRENCE-ID override per moved meeting, one-off meetings as plain events,
//! and one VTIMEZONE per zone used, generated from tzdb (`vtimezone`).
//!
//! Serialization follows `research/ical.md` §1: CRLF after every line including the last, lines
//! folded at 75 octets (the continuation's leading space counts) and never inside a UTF-8
//! sequence, TEXT values escaped (`\\` `\;` `\,` `\n`), URIs not escaped, parameter values with
//! `:` `;` `,` in double quotes, and a fixed property order. Components are sorted by UID and then
//! RECURRENCE-ID, VTIMEZONEs by TZID, so the same input gives the same bytes, and each VEVENT's
//! text depends only on its own group: a group's own feed is an exact subset of the aggregate.
//!
//! [`lint_feed`] checks the §1 items that can be checked mechanically; the tests run it on every
//! feed, and `mcpsite check` can run it on a built site.

use std::collections::BTreeMap;

use jiff::civil;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::recur::{ical_utc, local_to_timestamp};
use write::MAX_LINE_OCTETS;

mod feed;
mod lint;
pub mod vtimezone;
mod write;

pub use feed::*;
pub use lint::*;
