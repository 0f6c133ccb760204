//! Feed assembly: groups' meetings as VEVENTs, and the VCALENDAR around them.
//!
//! Takes: one [`FeedGroup`] per group (its validated series and one-off meetings, with the words
//! and links its events carry). Gives: the group's [`FeedPart`] ([`feed_part`]: its VEVENTs,
//! already serialized, and the instants it uses per zone), and the text of a feed made of any
//! parts ([`write_feed_parts`]): the calendar's properties, one VTIMEZONE per zone used
//! ([`super::vtimezone`]) and the events.
//!
//! A series is one VEVENT with an RRULE, an EXDATE per cancelled meeting and a RECURRENCE-ID
//! override per moved one; a one-off meeting is a plain VEVENT. Every VEVENT's properties are
//! written in one order ([`EventWords::write`]), the calendar's in another
//! ([`calendar_properties`]). Events are sorted by UID and then RECURRENCE-ID, VTIMEZONEs by TZID,
//! so the same input gives the same bytes; and each event's text depends only on its own group,
//! so a group's own feed is an exact subset of the aggregate. `docs/calendar-feeds.md` gives the
//! reasons and says where a new property goes.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::vtimezone::{self, VTimezone};
use super::write::Writer;
use crate::recur::{ExceptionKind, OneOff, Series, ical_local, ical_utc, local_to_timestamp};

/// One group's part of a feed: what its events are made from.
#[derive(Debug, Clone)]
pub struct FeedGroup<'a> {
    /// `auth-ig`: the first part of every UID.
    pub slug: String,
    /// `Auth`, without the kind.
    pub name: String,
    /// `Interest Group` or `Working Group`.
    pub kind_long: String,
    /// The group's topic. Not written as such: `categories` carries it.
    pub topic: String,
    /// The Discord channel without `#`.
    pub channel: Option<String>,
    /// Topic, calendar tag (the channel), extra tags; duplicates are dropped.
    pub categories: Vec<String>,
    /// The group page, absolute `https:`.
    pub page_url: String,
    /// Where notes live, in words or as a link.
    pub notes_location: Option<String>,
    /// A proposed group: its meetings are TENTATIVE.
    pub tentative: bool,
    /// A retired group publishes no meetings after this date.
    pub retired: Option<civil::Date>,
    /// The DTSTAMP of every event of the group: deterministic, provided by the caller.
    pub dtstamp: Timestamp,
    /// The group's recurring meetings: one VEVENT (and its overrides) each.
    pub series: &'a [Series],
    /// The group's one-off meetings: one VEVENT each, unless cancelled.
    pub one_offs: &'a [OneOff],
}

impl FeedGroup<'_> {
    /// `IG` or `WG`: the initials of the kind's words.
    fn kind_short(&self) -> String {
        self.kind_long
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect()
    }

    /// SUMMARY: the meeting's own title, else `Auth IG meeting`.
    fn summary(&self, title: Option<&str>) -> String {
        match title {
            Some(t) => t.to_string(),
            None => format!("{} {} meeting", self.name, self.kind_short()),
        }
    }

    /// DESCRIPTION: `first_line` (why a meeting moved), the group, its channel, its notes and
    /// its page, one per line.
    fn description(&self, first_line: Option<String>) -> String {
        let mut lines: Vec<String> = first_line.into_iter().collect();
        lines.push(format!("{} {}", self.name, self.kind_long));
        if let Some(c) = &self.channel {
            lines.push(format!("Discord: #{c}"));
        }
        if let Some(n) = &self.notes_location {
            lines.push(format!("Notes: {n}"));
        }
        lines.push(self.page_url.clone());
        lines.join("\n")
    }

    /// CATEGORIES: trimmed, without empty or repeated items, in the given order.
    fn categories(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.categories
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty() && seen.insert(c.clone()))
            .collect()
    }

    /// STATUS of every event of the group.
    fn status(&self) -> &'static str {
        if self.tentative {
            "TENTATIVE"
        } else {
            "CONFIRMED"
        }
    }

    /// A meeting's UID: `<slug>-<meeting id>@<host>`, stable across rebuilds.
    fn uid(&self, meeting_id: &str, host: &str) -> String {
        format!("{}-{meeting_id}@{host}", self.slug)
    }
}

/// One group's part of a feed: its events and the zone times they use. A feed of several
/// groups is their parts put together ([`write_feed_parts`]), so a part can be made once and
/// used in several feeds.
#[derive(Debug)]
pub struct FeedPart {
    events: Vec<EventText>,
    uses: ZoneUse,
}

impl FeedPart {
    /// True when the group adds nothing to a feed (no events, no zones).
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.uses.0.is_empty()
    }
}

/// One VEVENT, already serialized, with its sort key.
#[derive(Debug)]
struct EventText {
    uid: String,
    recurrence_id: Option<String>,
    text: String,
}

/// The instants a feed uses in each zone, by TZID: the zone and the earliest and latest instant.
/// Each zone's VTIMEZONE must be right from the earliest on, and its rules beyond the latest.
#[derive(Debug, Default)]
struct ZoneUse(BTreeMap<String, (TimeZone, Timestamp, Timestamp)>);

impl ZoneUse {
    /// Widens zone `name`'s span to take in `earliest..=latest`.
    fn note_span(&mut self, name: &str, tz: &TimeZone, earliest: Timestamp, latest: Timestamp) {
        let e = self
            .0
            .entry(name.to_string())
            .or_insert_with(|| (tz.clone(), earliest, latest));
        e.1 = e.1.min(earliest);
        e.2 = e.2.max(latest);
    }

    fn note(&mut self, name: &str, tz: &TimeZone, ts: Timestamp) {
        self.note_span(name, tz, ts, ts);
    }

    fn merge(&mut self, other: &ZoneUse) {
        for (name, (tz, earliest, latest)) in &other.0 {
            self.note_span(name, tz, *earliest, *latest);
        }
    }
}

/// `g`'s part of a feed; its UIDs end in `@host`.
pub fn feed_part(g: &FeedGroup, host: &str) -> FeedPart {
    let mut uses = ZoneUse::default();
    let mut events = Vec::new();
    for s in g.series {
        events.extend(series_events(g, s, host, &mut uses));
    }
    for o in g.one_offs {
        events.extend(one_off_event(g, o, host, &mut uses));
    }
    FeedPart { events, uses }
}

/// The text of a feed of the groups whose `parts` these are, in the groups' order: the
/// calendar's properties (`cal_name` as its name, `cal_desc` as its description, left out when
/// empty, and a refresh interval of `refresh_hours`), the VTIMEZONEs and the events. The zone
/// times are merged by earliest and latest instant, and the events sorted by UID and
/// RECURRENCE-ID (a stable sort, so ties keep the groups' order).
pub fn write_feed_parts(
    cal_name: &str,
    cal_desc: &str,
    refresh_hours: u32,
    parts: &[&FeedPart],
) -> String {
    let mut uses = ZoneUse::default();
    for part in parts {
        uses.merge(&part.uses);
    }
    let mut events: Vec<&EventText> = parts.iter().flat_map(|p| &p.events).collect();
    events.sort_by(|a, b| (&a.uid, &a.recurrence_id).cmp(&(&b.uid, &b.recurrence_id)));

    let mut w = Writer::new();
    w.begin("VCALENDAR");
    calendar_properties(&mut w, cal_name, cal_desc, refresh_hours);
    for (name, (tz, earliest, latest)) in &uses.0 {
        write_vtimezone(&mut w, &vtimezone::for_feed(name, tz, *earliest, *latest));
    }
    for e in events {
        w.append(&e.text);
    }
    w.end("VCALENDAR");
    w.finish()
}

/// The crate's PRODID.
fn prodid() -> String {
    format!("-//mcpsite//mcpsite {}//EN", env!("CARGO_PKG_VERSION"))
}

/// The VCALENDAR's own properties, in their order.
fn calendar_properties(w: &mut Writer, cal_name: &str, cal_desc: &str, refresh_hours: u32) {
    w.raw("VERSION", &[], "2.0");
    w.raw("PRODID", &[], &prodid());
    w.raw("CALSCALE", &[], "GREGORIAN");
    w.raw("METHOD", &[], "PUBLISH");
    w.text("NAME", cal_name);
    w.text("X-WR-CALNAME", cal_name);
    if !cal_desc.trim().is_empty() {
        w.text("DESCRIPTION", cal_desc);
        w.text("X-WR-CALDESC", cal_desc);
    }
    let ttl = format!("PT{}H", refresh_hours.max(1));
    w.raw("REFRESH-INTERVAL", &[("VALUE", "DURATION")], &ttl);
    w.raw("X-PUBLISHED-TTL", &[], &ttl);
}

/// A VTIMEZONE: TZNAME is TEXT, every other value is written as it comes.
fn write_vtimezone(w: &mut Writer, vtz: &VTimezone) {
    for (n, v) in vtz.content_lines() {
        if n == "TZNAME" {
            w.text(&n, &v);
        } else {
            w.raw(&n, &[], &v);
        }
    }
}

/// What the VEVENTs of one series (or of a one-off meeting) share.
struct EventWords<'a> {
    group: &'a FeedGroup<'a>,
    uid: String,
    sequence: u32,
    summary: String,
    location: Option<&'a str>,
}

impl EventWords<'_> {
    /// One VEVENT, its properties in the feed's order: UID, DTSTAMP, RECURRENCE-ID (for an
    /// override: the series' zone and the replaced instance's original local start), then what
    /// `times` writes (DTSTART, DTEND or DURATION, RRULE, EXDATE), then SEQUENCE, STATUS,
    /// SUMMARY, DESCRIPTION, LOCATION, URL, CATEGORIES.
    fn write(
        &self,
        recurrence_id: Option<(&str, civil::DateTime)>,
        description: &str,
        times: impl FnOnce(&mut Writer),
    ) -> EventText {
        let g = self.group;
        let recurrence_id = recurrence_id.map(|(tzid, original)| (tzid, ical_local(original)));
        let mut w = Writer::new();
        w.begin("VEVENT");
        w.raw("UID", &[], &self.uid);
        w.raw("DTSTAMP", &[], &ical_utc(g.dtstamp));
        if let Some((tzid, original)) = &recurrence_id {
            w.raw("RECURRENCE-ID", &[("TZID", tzid)], original);
        }
        times(&mut w);
        w.raw("SEQUENCE", &[], &self.sequence.to_string());
        w.raw("STATUS", &[], g.status());
        w.text("SUMMARY", &self.summary);
        w.text("DESCRIPTION", description);
        if let Some(l) = self.location.filter(|l| !l.trim().is_empty()) {
            w.text("LOCATION", l);
        }
        w.raw("URL", &[], &g.page_url);
        let cats = g.categories();
        if !cats.is_empty() {
            w.text_list("CATEGORIES", &cats);
        }
        w.end("VEVENT");
        EventText {
            uid: self.uid.clone(),
            recurrence_id: recurrence_id.map(|(_, original)| original),
            text: w.finish(),
        }
    }
}

/// DTEND in the zone when its local time reads back as `end`; otherwise (the end falls in the
/// repeated hour of a DST overlap, where a TZID time means the first of the two) a DURATION, which
/// is exact.
fn write_end(w: &mut Writer, tzid: &str, tz: &TimeZone, start: Timestamp, end: Timestamp) {
    let local = tz.to_datetime(end);
    if local_to_timestamp(tz, local) == end {
        w.raw("DTEND", &[("TZID", tzid)], &ical_local(local));
    } else {
        let mins = end.duration_since(start).as_mins();
        w.raw("DURATION", &[], &format!("PT{mins}M"));
    }
}

fn plus_minutes(ts: Timestamp, minutes: u32) -> Timestamp {
    ts.checked_add(i64::from(minutes).minutes())
        .expect("in range")
}

/// A series' events: the master, an override per moved meeting, and one for a first meeting
/// in the later hour of a DST overlap.
fn series_events(g: &FeedGroup, s: &Series, host: &str, uses: &mut ZoneUse) -> Vec<EventText> {
    let Some(s) = published(g, s) else {
        return Vec::new();
    };
    let words = EventWords {
        group: g,
        uid: g.uid(&s.id, host),
        sequence: s.sequence,
        summary: g.summary(s.title.as_deref()),
        location: s.location.as_deref(),
    };
    let mut out = vec![master_event(&words, &s, uses)];
    out.extend(moved_events(&words, &s, uses));
    out.extend(fold_later_override(&words, &s));
    out
}

/// What of `s` the group publishes: a retired group's series ends by its retirement, and a
/// series whose every meeting is cancelled is left out.
fn published(g: &FeedGroup, s: &Series) -> Option<Series> {
    let s = match g.retired {
        Some(r) => s.ending_by(r)?,
        None => s.clone(),
    };
    (!s.all_cancelled()).then_some(s)
}

/// The series itself: DTSTART, its end, the RRULE and an EXDATE per cancelled meeting.
fn master_event(words: &EventWords, s: &Series, uses: &mut ZoneUse) -> EventText {
    // The end is computed from DTSTART as a client reads it (the earlier time of an overlap), so
    // every instance lasts `duration`.
    let start = local_to_timestamp(&s.tz, s.start);
    let end = plus_minutes(start, s.duration_min);
    uses.note(&s.tz_name, &s.tz, start);
    if let Some(last) = s.last_original_start() {
        uses.note(&s.tz_name, &s.tz, local_to_timestamp(&s.tz, last));
    }
    let tzid = [("TZID", s.tz_name.as_str())];
    words.write(None, &words.group.description(None), |w| {
        w.raw("DTSTART", &tzid, &ical_local(s.start));
        write_end(w, &s.tz_name, &s.tz, start, end);
        w.raw("RRULE", &[], &s.rrule());
        for e in &s.exceptions {
            if let ExceptionKind::Cancel { .. } = e.kind {
                w.raw("EXDATE", &tzid, &ical_local(e.original));
            }
        }
    })
}

/// An override per moved meeting, its description saying from when and why.
fn moved_events(words: &EventWords, s: &Series, uses: &mut ZoneUse) -> Vec<EventText> {
    let mut out = Vec::new();
    for e in &s.exceptions {
        let ExceptionKind::Move {
            to,
            duration_min,
            reason,
        } = &e.kind
        else {
            continue;
        };
        let start = local_to_timestamp(&s.tz, *to);
        let end = plus_minutes(start, *duration_min);
        uses.note(&s.tz_name, &s.tz, start);
        let why = format!(
            "Moved from {} {}: {reason}",
            e.original.date(),
            e.original.time().strftime("%H:%M")
        );
        let description = words.group.description(Some(why));
        out.push(
            words.write(Some((&s.tz_name, e.original)), &description, |w| {
                w.raw("DTSTART", &[("TZID", &s.tz_name)], &ical_local(*to));
                write_end(w, &s.tz_name, &s.tz, start, end);
            }),
        );
    }
    out
}

/// A first meeting in a DST overlap that means the later time: a TZID time cannot say so, so
/// that instance is overridden with UTC times (unless an exception already replaces it).
fn fold_later_override(words: &EventWords, s: &Series) -> Option<EventText> {
    if !s.start_fold_later || s.exception_on(s.start.date()).is_some() {
        return None;
    }
    let start = s.tz.to_ambiguous_timestamp(s.start).later().ok()?;
    let end = plus_minutes(start, s.duration_min);
    let description = words.group.description(None);
    Some(words.write(Some((&s.tz_name, s.start)), &description, |w| {
        w.raw("DTSTART", &[], &ical_utc(start));
        w.raw("DTEND", &[], &ical_utc(end));
    }))
}

/// A one-off meeting, unless it is cancelled or after the group's retirement.
fn one_off_event(g: &FeedGroup, o: &OneOff, host: &str, uses: &mut ZoneUse) -> Option<EventText> {
    if o.cancelled || g.retired.is_some_and(|r| o.start.date() > r) {
        return None;
    }
    let (start, end) = (o.start.timestamp(), o.end.timestamp());
    uses.note(&o.tz_name, &o.tz, start);
    let words = EventWords {
        group: g,
        uid: g.uid(&o.id, host),
        sequence: o.sequence,
        summary: g.summary(o.title.as_deref()),
        location: None,
    };
    Some(words.write(None, &g.description(None), |w| {
        w.raw(
            "DTSTART",
            &[("TZID", &o.tz_name)],
            &ical_local(o.start.datetime()),
        );
        write_end(w, &o.tz_name, &o.tz, start, end);
    }))
}
