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

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::recur::{ExceptionKind, OneOff, Series, ical_local, ical_utc, local_to_timestamp};
use crate::vtimezone;

// ---------------------------------------------------------------------------------------------
// Content lines

/// Maximum octets of a physical line, CRLF excluded.
pub const MAX_LINE_OCTETS: usize = 75;

/// Escapes a TEXT value: `\` `;` `,` and newlines. CR/LF pairs become one `\n`; other control
/// characters (except TAB) are dropped, since iCalendar forbids them.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: double-quoted when it contains `:` `;` or `,`. Double quotes and control
/// characters cannot appear in a parameter value and are dropped.
pub fn param_value(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Appends `line` to `out`, folded: physical lines of at most 75 octets, continuation lines
/// starting with one space (which counts toward their 75), never splitting a UTF-8 sequence and,
/// where possible, not next to a space; each ended by CRLF.
pub fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        // Lenient parsers trim whitespace at the ends of physical lines (the `ical` crate does),
        // so avoid folding next to a space when a nearby boundary will do.
        let mut nicer = cut;
        while nicer > limit - 16 && (rest[..nicer].ends_with(' ') || rest[nicer..].starts_with(' '))
        {
            nicer -= 1;
            while !rest.is_char_boundary(nicer) {
                nicer -= 1;
            }
        }
        if !(rest[..nicer].ends_with(' ') || rest[nicer..].starts_with(' ')) {
            cut = nicer;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_LINE_OCTETS - 1;
    }
}

/// Builds an iCalendar text line by line.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub fn new() -> Self {
        Self::default()
    }

    /// A property whose value is already in its final form (URI, date-time, RRULE, integer).
    pub fn raw(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let mut line = String::from(name);
        for (k, v) in params {
            line.push(';');
            line.push_str(k);
            line.push('=');
            line.push_str(&param_value(v));
        }
        line.push(':');
        line.push_str(value);
        fold_into(&mut self.out, &line);
    }

    /// A TEXT property: the value is escaped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &[], &escape_text(value));
    }

    /// A list of TEXT values (CATEGORIES): each escaped, joined with unescaped commas.
    pub fn text_list(&mut self, name: &str, values: &[String]) {
        let v: Vec<String> = values.iter().map(|s| escape_text(s)).collect();
        self.raw(name, &[], &v.join(","));
    }

    pub fn begin(&mut self, component: &str) {
        self.raw("BEGIN", &[], component);
    }

    pub fn end(&mut self, component: &str) {
        self.raw("END", &[], component);
    }

    /// Appends text that is already folded content lines (each ending in CRLF).
    pub fn append(&mut self, folded: &str) {
        self.out.push_str(folded);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

// ---------------------------------------------------------------------------------------------
// Feeds

/// Everything one feed contains.
#[derive(Debug, Clone)]
pub struct FeedInput<'a> {
    /// X-WR-CALNAME and NAME.
    pub cal_name: String,
    /// X-WR-CALDESC and DESCRIPTION (left out when empty).
    pub cal_desc: String,
    /// REFRESH-INTERVAL and X-PUBLISHED-TTL, in hours.
    pub refresh_hours: u32,
    pub groups: Vec<FeedGroup<'a>>,
}

/// One group's part of a feed.
#[derive(Debug, Clone)]
pub struct FeedGroup<'a> {
    /// `auth-ig`: the first part of every UID.
    pub slug: String,
    /// `Auth`, without the kind.
    pub name: String,
    /// `Interest Group` or `Working Group`.
    pub kind_long: String,
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
    pub series: &'a [Series],
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

    fn default_summary(&self) -> String {
        format!("{} {} meeting", self.name, self.kind_short())
    }

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

    fn categories(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.categories
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty() && seen.insert(c.clone()))
            .collect()
    }

    fn status(&self) -> &'static str {
        if self.tentative {
            "TENTATIVE"
        } else {
            "CONFIRMED"
        }
    }
}

/// One VEVENT, already serialized, with its sort key and the zone times it uses.
#[derive(Debug)]
struct EventText {
    uid: String,
    recurrence_id: Option<String>,
    text: String,
}

/// Times used per zone: the zone and the earliest and latest instants.
type ZoneUse = BTreeMap<String, (TimeZone, Timestamp, Timestamp)>;

fn note_use(uses: &mut ZoneUse, name: &str, tz: &TimeZone, ts: Timestamp) {
    let e = uses
        .entry(name.to_string())
        .or_insert_with(|| (tz.clone(), ts, ts));
    e.1 = e.1.min(ts);
    e.2 = e.2.max(ts);
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

/// The common tail of every VEVENT: SEQUENCE … CATEGORIES.
fn event_tail(
    w: &mut Writer,
    g: &FeedGroup,
    sequence: u32,
    summary: &str,
    description: &str,
    location: Option<&str>,
) {
    w.raw("SEQUENCE", &[], &sequence.to_string());
    w.raw("STATUS", &[], g.status());
    w.text("SUMMARY", summary);
    w.text("DESCRIPTION", description);
    if let Some(l) = location.filter(|l| !l.trim().is_empty()) {
        w.text("LOCATION", l);
    }
    w.raw("URL", &[], &g.page_url);
    let cats = g.categories();
    if !cats.is_empty() {
        w.text_list("CATEGORIES", &cats);
    }
}

fn series_events(g: &FeedGroup, s: &Series, host: &str, uses: &mut ZoneUse) -> Vec<EventText> {
    let s = match g.retired {
        Some(r) => match s.ending_by(r) {
            Some(s) => s,
            None => return Vec::new(),
        },
        None => s.clone(),
    };
    if s.all_cancelled() {
        return Vec::new();
    }
    let uid = format!("{}-{}@{host}", g.slug, s.id);
    let tzid = [("TZID", s.tz_name.as_str())];
    let stamp = ical_utc(g.dtstamp);
    let summary = s.title.clone().unwrap_or_else(|| g.default_summary());
    let description = g.description(None);
    let mut out = Vec::new();

    // The master. Its end is computed from DTSTART as a client reads it (the earlier time of an
    // overlap), so every instance lasts `duration`.
    let start_ts = local_to_timestamp(&s.tz, s.start);
    let end_ts = start_ts
        .checked_add(i64::from(s.duration_min).minutes())
        .expect("in range");
    note_use(uses, &s.tz_name, &s.tz, start_ts);
    let mut w = Writer::new();
    w.begin("VEVENT");
    w.raw("UID", &[], &uid);
    w.raw("DTSTAMP", &[], &stamp);
    w.raw("DTSTART", &tzid, &ical_local(s.start));
    write_end(&mut w, &s.tz_name, &s.tz, start_ts, end_ts);
    w.raw("RRULE", &[], &s.rrule());
    if let Some(last) = s.last_original_start() {
        note_use(uses, &s.tz_name, &s.tz, local_to_timestamp(&s.tz, last));
    }
    for e in &s.exceptions {
        if let ExceptionKind::Cancel { .. } = e.kind {
            w.raw("EXDATE", &tzid, &ical_local(e.original));
        }
    }
    event_tail(
        &mut w,
        g,
        s.sequence,
        &summary,
        &description,
        s.location.as_deref(),
    );
    w.end("VEVENT");
    out.push(EventText {
        uid: uid.clone(),
        recurrence_id: None,
        text: w.finish(),
    });

    // Moved meetings.
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
        let end = start
            .checked_add(i64::from(*duration_min).minutes())
            .expect("in range");
        note_use(uses, &s.tz_name, &s.tz, start);
        let first = format!(
            "Moved from {} {}: {reason}",
            e.original.date(),
            e.original.time().strftime("%H:%M")
        );
        let mut w = Writer::new();
        w.begin("VEVENT");
        w.raw("UID", &[], &uid);
        w.raw("DTSTAMP", &[], &stamp);
        w.raw("RECURRENCE-ID", &tzid, &ical_local(e.original));
        w.raw("DTSTART", &tzid, &ical_local(*to));
        write_end(&mut w, &s.tz_name, &s.tz, start, end);
        event_tail(
            &mut w,
            g,
            s.sequence,
            &summary,
            &g.description(Some(first)),
            s.location.as_deref(),
        );
        w.end("VEVENT");
        out.push(EventText {
            uid: uid.clone(),
            recurrence_id: Some(ical_local(e.original)),
            text: w.finish(),
        });
    }

    // A start in a DST overlap that means the later time: a TZID time cannot say so, so the first
    // instance is overridden with UTC times.
    if s.start_fold_later && s.exception_on(s.start.date()).is_none() {
        let first = s.tz.to_ambiguous_timestamp(s.start).later().ok();
        if let Some(st) = first {
            let en = st
                .checked_add(i64::from(s.duration_min).minutes())
                .expect("in range");
            let mut w = Writer::new();
            w.begin("VEVENT");
            w.raw("UID", &[], &uid);
            w.raw("DTSTAMP", &[], &stamp);
            w.raw("RECURRENCE-ID", &tzid, &ical_local(s.start));
            w.raw("DTSTART", &[], &ical_utc(st));
            w.raw("DTEND", &[], &ical_utc(en));
            event_tail(
                &mut w,
                g,
                s.sequence,
                &summary,
                &description,
                s.location.as_deref(),
            );
            w.end("VEVENT");
            out.push(EventText {
                uid,
                recurrence_id: Some(ical_local(s.start)),
                text: w.finish(),
            });
        }
    }
    out
}

fn one_off_event(g: &FeedGroup, o: &OneOff, host: &str, uses: &mut ZoneUse) -> Option<EventText> {
    if o.cancelled || g.retired.is_some_and(|r| o.start.date() > r) {
        return None;
    }
    let uid = format!("{}-{}@{host}", g.slug, o.id);
    let tzid = [("TZID", o.tz_name.as_str())];
    note_use(uses, &o.tz_name, &o.tz, o.start.timestamp());
    let summary = o.title.clone().unwrap_or_else(|| g.default_summary());
    let mut w = Writer::new();
    w.begin("VEVENT");
    w.raw("UID", &[], &uid);
    w.raw("DTSTAMP", &[], &ical_utc(g.dtstamp));
    w.raw("DTSTART", &tzid, &ical_local(o.start.datetime()));
    write_end(
        &mut w,
        &o.tz_name,
        &o.tz,
        o.start.timestamp(),
        o.end.timestamp(),
    );
    event_tail(&mut w, g, o.sequence, &summary, &g.description(None), None);
    w.end("VEVENT");
    Some(EventText {
        uid,
        recurrence_id: None,
        text: w.finish(),
    })
}

/// The crate's PRODID.
pub fn prodid() -> String {
    format!("-//mcpsite//mcpsite {}//EN", env!("CARGO_PKG_VERSION"))
}

/// Writes a feed for `input`'s groups; UIDs end in `@host`.
pub fn write_feed(input: &FeedInput, host: &str) -> String {
    let parts: Vec<FeedPart> = input.groups.iter().map(|g| feed_part(g, host)).collect();
    let parts: Vec<&FeedPart> = parts.iter().collect();
    write_feed_parts(
        &input.cal_name,
        &input.cal_desc,
        input.refresh_hours,
        &parts,
    )
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
        self.events.is_empty() && self.uses.is_empty()
    }
}

/// `g`'s part of a feed.
pub fn feed_part(g: &FeedGroup, host: &str) -> FeedPart {
    let mut uses = ZoneUse::new();
    let mut events = Vec::new();
    for s in g.series {
        events.extend(series_events(g, s, host, &mut uses));
    }
    for o in g.one_offs {
        events.extend(one_off_event(g, o, host, &mut uses));
    }
    FeedPart { events, uses }
}

/// A feed (see [`write_feed`]) of the groups whose `parts` these are, in the groups' order.
/// Equal to noting every group's events and zone times in one go: the zone times are merged by
/// earliest and latest instant, and the events sorted by UID and RECURRENCE-ID (a stable sort,
/// so ties keep the groups' order).
pub fn write_feed_parts(
    cal_name: &str,
    cal_desc: &str,
    refresh_hours: u32,
    parts: &[&FeedPart],
) -> String {
    let mut uses = ZoneUse::new();
    for part in parts {
        for (name, (tz, earliest, latest)) in &part.uses {
            let e = uses
                .entry(name.clone())
                .or_insert_with(|| (tz.clone(), *earliest, *latest));
            e.1 = e.1.min(*earliest);
            e.2 = e.2.max(*latest);
        }
    }
    let mut events: Vec<&EventText> = parts.iter().flat_map(|p| &p.events).collect();
    events.sort_by(|a, b| (&a.uid, &a.recurrence_id).cmp(&(&b.uid, &b.recurrence_id)));

    let mut w = Writer::new();
    w.begin("VCALENDAR");
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
    for (name, (tz, earliest, latest)) in &uses {
        let vtz = vtimezone::for_feed(name, tz, *earliest, *latest);
        for (n, v) in vtz.content_lines() {
            if n == "TZNAME" {
                w.text(&n, &v);
            } else {
                w.raw(&n, &[], &v);
            }
        }
    }
    for e in events {
        w.append(&e.text);
    }
    w.end("VCALENDAR");
    w.finish()
}

// ---------------------------------------------------------------------------------------------
// Parsing and linting

/// A parsed content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prop {
    pub name: String,
    pub params: Vec<(String, Vec<String>)>,
    pub value: String,
    /// 1-based physical line where the property starts.
    pub line: usize,
}

impl Prop {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.first())
            .map(String::as_str)
    }
}

/// A parsed component.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Component {
    pub name: String,
    pub props: Vec<Prop>,
    pub children: Vec<Component>,
    pub line: usize,
}

impl Component {
    pub fn prop(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }
    pub fn props_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Prop> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }
}

/// Parses one unfolded content line.
fn parse_content_line(s: &str, line: usize) -> Result<Prop, String> {
    let name_end = s.find([';', ':']).ok_or("no `:` before the value")?;
    let name = &s[..name_end];
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(format!("bad property name `{name}`"));
    }
    let mut params = Vec::new();
    let mut rest = &s[name_end..];
    while let Some(r) = rest.strip_prefix(';') {
        let eq = r.find('=').ok_or("parameter without `=`")?;
        let pname = &r[..eq];
        if pname.is_empty()
            || !pname
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(format!("bad parameter name `{pname}`"));
        }
        let mut r = &r[eq + 1..];
        let mut values = Vec::new();
        loop {
            if let Some(q) = r.strip_prefix('"') {
                let close = q.find('"').ok_or("unclosed quote in parameter value")?;
                values.push(q[..close].to_string());
                r = &q[close + 1..];
            } else {
                let end = r
                    .find([';', ':', ','])
                    .ok_or("parameter runs into the end")?;
                let v = &r[..end];
                if v.contains('"') {
                    return Err("quote inside an unquoted parameter value".into());
                }
                values.push(v.to_string());
                r = &r[end..];
            }
            match r.strip_prefix(',') {
                Some(n) => r = n,
                None => break,
            }
        }
        params.push((pname.to_string(), values));
        rest = r;
    }
    let value = rest
        .strip_prefix(':')
        .ok_or("no `:` after the parameters")?;
    Ok(Prop {
        name: name.to_string(),
        params,
        value: value.to_string(),
        line,
    })
}

/// Splits bytes into physical lines, checking line ends, lengths and encoding; returns the
/// logical (unfolded) lines with their starting line numbers.
fn physical_lines(bytes: &[u8], problems: &mut Vec<String>) -> Vec<(usize, String)> {
    let mut p = |line: usize, rule: &str, msg: String| {
        problems.push(format!("line {line}: {rule}: {msg}"));
    };
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        p(1, "bom", "the file starts with a byte-order mark".into());
    }
    if bytes.is_empty() {
        p(1, "no-vcalendar", "the file is empty".into());
        return Vec::new();
    }
    if !bytes.ends_with(b"\r\n") {
        p(
            0,
            "no-final-crlf",
            "the last line does not end in CRLF".into(),
        );
    }
    // Physical lines, split on LF; a missing CR before LF is a bare LF.
    let mut raw: Vec<(usize, &[u8])> = Vec::new();
    let mut start = 0;
    let mut n = 1;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            let mut l = &bytes[start..i];
            match l.last() {
                Some(b'\r') => l = &l[..l.len() - 1],
                _ => p(n, "bare-lf", "line ends in LF without CR".into()),
            }
            raw.push((n, l));
            start = i + 1;
            n += 1;
        }
    }
    if start < bytes.len() {
        raw.push((n, &bytes[start..]));
    }
    // Logical lines: a first physical line and its continuations.
    // (first line number, [(line number, bytes without the fold space)])
    type Logical<'b> = (usize, Vec<(usize, &'b [u8])>);
    let mut logical: Vec<Logical> = Vec::new();
    for (n, l) in raw {
        if l.contains(&b'\r') {
            p(n, "bare-cr", "CR not followed by LF".into());
        }
        if l.len() > MAX_LINE_OCTETS {
            p(
                n,
                "line-too-long",
                format!("{} octets (at most {MAX_LINE_OCTETS})", l.len()),
            );
        }
        if l.is_empty() {
            p(n, "blank-line", "empty line".into());
            continue;
        }
        if l[0] == b' ' || l[0] == b'\t' {
            match logical.last_mut() {
                Some(last) => last.1.push((n, &l[1..])),
                None => p(
                    n,
                    "bad-fold",
                    "continuation line with nothing to continue".into(),
                ),
            }
        } else {
            logical.push((n, vec![(n, l)]));
        }
    }
    let mut out = Vec::new();
    for (n, pieces) in logical {
        let joined: Vec<u8> = pieces.iter().flat_map(|(_, b)| b.iter().copied()).collect();
        let Ok(s) = String::from_utf8(joined) else {
            p(n, "not-utf8", "not UTF-8".into());
            continue;
        };
        // Each piece must be UTF-8 on its own, or a fold split a character.
        for (pn, piece) in &pieces {
            if std::str::from_utf8(piece).is_err() {
                p(
                    *pn,
                    "fold-splits-utf8",
                    "a fold splits a multi-byte character".into(),
                );
            }
        }
        if s.chars().any(|c| c.is_control() && c != '\t') {
            p(
                n,
                "control-char",
                "control character in a content line".into(),
            );
        }
        out.push((n, s));
    }
    out
}

/// Parses an iCalendar text into its top-level components, reporting structural problems.
pub fn parse_components(bytes: &[u8], problems: &mut Vec<String>) -> Vec<Component> {
    let lines = physical_lines(bytes, problems);
    let mut stack: Vec<Component> = Vec::new();
    let mut top: Vec<Component> = Vec::new();
    for (n, l) in lines {
        let prop = match parse_content_line(&l, n) {
            Ok(p) => p,
            Err(e) => {
                problems.push(format!("line {n}: bad-content-line: {e}"));
                continue;
            }
        };
        if prop.name.bytes().any(|b| b.is_ascii_lowercase()) {
            problems.push(format!(
                "line {n}: lowercase-name: `{}` should be upper-case",
                prop.name
            ));
        }
        match prop.name.to_ascii_uppercase().as_str() {
            "BEGIN" => stack.push(Component {
                name: prop.value.clone(),
                line: n,
                ..Default::default()
            }),
            "END" => match stack.pop() {
                Some(c) if c.name == prop.value => match stack.last_mut() {
                    Some(parent) => parent.children.push(c),
                    None => top.push(c),
                },
                Some(c) => {
                    problems.push(format!(
                        "line {n}: begin-end-mismatch: END:{} closes BEGIN:{} of line {}",
                        prop.value, c.name, c.line
                    ));
                    stack.push(c);
                }
                None => problems.push(format!(
                    "line {n}: begin-end-mismatch: END:{} without BEGIN",
                    prop.value
                )),
            },
            _ => match stack.last_mut() {
                Some(c) => c.props.push(prop),
                None => problems.push(format!(
                    "line {n}: outside-vcalendar: `{}` outside any component",
                    prop.name
                )),
            },
        }
    }
    for c in stack {
        problems.push(format!(
            "line {}: begin-end-mismatch: BEGIN:{} is never closed",
            c.line, c.name
        ));
    }
    top
}

fn is_datetime(v: &str) -> bool {
    let b = v.as_bytes();
    let body = v.strip_suffix('Z').unwrap_or(v).as_bytes();
    b.len() >= 15
        && body.len() == 15
        && body[8] == b'T'
        && body[..8].iter().all(u8::is_ascii_digit)
        && body[9..].iter().all(u8::is_ascii_digit)
}

fn parse_local(v: &str) -> Option<civil::DateTime> {
    civil::DateTime::strptime("%Y%m%dT%H%M%S", v.strip_suffix('Z').unwrap_or(v)).ok()
}

/// The instant of a DATE-TIME property (TZID or UTC), if it can be resolved.
fn prop_instant(p: &Prop) -> Option<Timestamp> {
    let dt = parse_local(&p.value)?;
    if p.value.ends_with('Z') {
        return dt
            .to_zoned_datetime(TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    let tz = TimeZone::get(p.param("TZID")?).ok()?;
    Some(local_to_timestamp(&tz, dt))
}

/// TEXT properties checked for escaping.
const TEXT_PROPS: &[&str] = &[
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "NAME",
    "X-WR-CALNAME",
    "X-WR-CALDESC",
    "COMMENT",
    "TZNAME",
];

/// Checks a TEXT value's escapes: `\\ \; \, \n \N` only, no bare `;`, and (unless it is a list)
/// no bare `,`. Returns (rule, message) pairs.
fn check_text(v: &str, list: bool) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut chars = v.chars();
    let mut item_empty = true;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\' | ';' | ',' | 'n' | 'N') => item_empty = false,
                other => out.push((
                    "bad-escape",
                    format!(
                        "`\\{}` is not a TEXT escape",
                        other.map(String::from).unwrap_or_default()
                    ),
                )),
            },
            ';' => out.push((
                "unescaped-semicolon",
                "`;` in a TEXT value must be `\\;`".into(),
            )),
            ',' if list => {
                if item_empty {
                    out.push(("empty-list-item", "an empty item in a list".into()));
                }
                item_empty = true;
            }
            ',' => out.push((
                "unescaped-comma",
                "`,` in a TEXT value must be `\\,`".into(),
            )),
            _ => item_empty = false,
        }
    }
    if list && item_empty {
        out.push(("empty-list-item", "an empty item in a list".into()));
    }
    out
}

const SINGLE_PROPS: &[&str] = &[
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "DURATION",
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "URL",
    "SEQUENCE",
    "STATUS",
    "RECURRENCE-ID",
    "CLASS",
    "CREATED",
    "LAST-MODIFIED",
    "TRANSP",
];

/// Checks a feed against the mechanically checkable items of `research/ical.md` §1. Each problem
/// is `line N: rule-id: message`; an empty list means the feed passed.
pub fn lint_feed(text: &str) -> Vec<String> {
    lint_feed_bytes(text.as_bytes())
}

/// [`lint_feed`] over raw bytes (a file read from disk, which may not be UTF-8).
pub fn lint_feed_bytes(bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    let top = parse_components(bytes, &mut problems);
    let mut p = |line: usize, rule: &str, msg: String| {
        problems.push(format!("line {line}: {rule}: {msg}"));
    };
    let cals: Vec<&Component> = top.iter().filter(|c| c.name == "VCALENDAR").collect();
    for c in top.iter().filter(|c| c.name != "VCALENDAR") {
        p(
            c.line,
            "outside-vcalendar",
            format!("{} outside VCALENDAR", c.name),
        );
    }
    match cals.len() {
        0 => p(1, "no-vcalendar", "no VCALENDAR".into()),
        1 => {}
        _ => p(
            cals[1].line,
            "multiple-vcalendar",
            "more than one VCALENDAR".into(),
        ),
    }
    let Some(cal) = cals.first() else {
        return problems;
    };

    // Text escaping and single-valued properties everywhere.
    fn walk<'a>(c: &'a Component, out: &mut Vec<&'a Component>) {
        out.push(c);
        for ch in &c.children {
            walk(ch, out);
        }
    }
    let mut all = Vec::new();
    walk(cal, &mut all);
    for c in &all {
        for prop in &c.props {
            if TEXT_PROPS.contains(&prop.name.as_str()) {
                for (rule, msg) in check_text(&prop.value, false) {
                    p(prop.line, rule, format!("{}: {msg}", prop.name));
                }
            }
            if prop.name == "CATEGORIES" {
                for (rule, msg) in check_text(&prop.value, true) {
                    p(prop.line, rule, format!("CATEGORIES: {msg}"));
                }
            }
            if prop.name == "URL" {
                if prop.value.contains('\\') {
                    p(
                        prop.line,
                        "uri-escaped",
                        "URL values are not backslash-escaped".into(),
                    );
                }
                if !prop.value.starts_with("https://") || prop.value.contains(char::is_whitespace) {
                    p(
                        prop.line,
                        "bad-uri",
                        format!("`{}` is not an https URL", prop.value),
                    );
                }
            }
        }
        if c.name != "VCALENDAR" {
            for name in SINGLE_PROPS {
                let n = c.props_named(name).count();
                if n > 1 {
                    p(
                        c.line,
                        "duplicate-prop",
                        format!("{name} appears {n} times in {}", c.name),
                    );
                }
            }
        }
        if c.name == "VALARM" {
            p(
                c.line,
                "has-valarm",
                "alarms are imposed on every subscriber".into(),
            );
        }
        for prop in &c.props {
            if prop.name == "ORGANIZER" || prop.name == "ATTENDEE" {
                p(
                    prop.line,
                    "has-attendees",
                    format!("{} turns events into invitations", prop.name),
                );
            }
        }
    }

    // Calendar properties.
    let calprop = |n: &str| cal.prop(n);
    match calprop("VERSION") {
        Some(v) if v.value == "2.0" => {}
        _ => p(cal.line, "version", "VERSION:2.0 is required".into()),
    }
    if calprop("PRODID").is_none_or(|v| v.value.is_empty()) {
        p(cal.line, "prodid", "PRODID is required".into());
    }
    if calprop("CALSCALE").is_none_or(|v| v.value != "GREGORIAN") {
        p(
            cal.line,
            "calscale",
            "CALSCALE:GREGORIAN is expected".into(),
        );
    }
    match calprop("METHOD") {
        None => p(
            cal.line,
            "method-missing",
            "METHOD:PUBLISH is expected".into(),
        ),
        Some(m) if m.value != "PUBLISH" => p(
            m.line,
            "method-not-publish",
            format!("METHOD:{} (expected PUBLISH)", m.value),
        ),
        _ => {}
    }
    if calprop("X-WR-CALNAME").is_none_or(|v| v.value.is_empty()) {
        p(
            cal.line,
            "calname-missing",
            "X-WR-CALNAME is missing".into(),
        );
    }
    let refresh = calprop("REFRESH-INTERVAL");
    let ttl = calprop("X-PUBLISHED-TTL");
    match refresh {
        None => p(
            cal.line,
            "refresh-missing",
            "REFRESH-INTERVAL is missing".into(),
        ),
        Some(r) => {
            if r.param("VALUE") != Some("DURATION") {
                p(
                    r.line,
                    "refresh-value-param",
                    "REFRESH-INTERVAL needs VALUE=DURATION".into(),
                );
            }
            if !is_duration(&r.value) {
                p(
                    r.line,
                    "bad-duration",
                    format!("`{}` is not a duration", r.value),
                );
            }
        }
    }
    match (ttl, refresh) {
        (None, _) => p(cal.line, "ttl-missing", "X-PUBLISHED-TTL is missing".into()),
        (Some(t), Some(r)) if t.value != r.value => p(
            t.line,
            "ttl-differs",
            format!(
                "X-PUBLISHED-TTL {} differs from REFRESH-INTERVAL {}",
                t.value, r.value
            ),
        ),
        _ => {}
    }
    if let Some(x) = calprop("X-WR-TIMEZONE")
        && TimeZone::get(&x.value).is_err()
    {
        p(
            x.line,
            "bad-x-wr-timezone",
            format!("`{}` is not an IANA zone", x.value),
        );
    }

    // Time zones.
    let mut vtz: BTreeMap<String, &Component> = BTreeMap::new();
    for z in cal.children.iter().filter(|c| c.name == "VTIMEZONE") {
        let Some(id) = z.prop("TZID") else {
            p(z.line, "vtimezone-invalid", "VTIMEZONE without TZID".into());
            continue;
        };
        if vtz.insert(id.value.clone(), z).is_some() {
            p(
                z.line,
                "duplicate-vtimezone",
                format!("a second VTIMEZONE for {}", id.value),
            );
        }
        for prop in &z.props {
            let ok = matches!(prop.name.as_str(), "TZID" | "LAST-MODIFIED" | "TZURL")
                || prop.name.starts_with("X-");
            if !ok {
                p(
                    prop.line,
                    "vtimezone-extra-prop",
                    format!("{} inside VTIMEZONE", prop.name),
                );
            }
        }
        if z.children.is_empty() {
            p(
                z.line,
                "vtimezone-invalid",
                "VTIMEZONE without STANDARD/DAYLIGHT".into(),
            );
        }
        for o in &z.children {
            if o.name != "STANDARD" && o.name != "DAYLIGHT" {
                p(
                    o.line,
                    "vtimezone-invalid",
                    format!("{} inside VTIMEZONE", o.name),
                );
                continue;
            }
            for req in ["DTSTART", "TZOFFSETFROM", "TZOFFSETTO"] {
                if o.prop(req).is_none() {
                    p(
                        o.line,
                        "vtimezone-invalid",
                        format!("{} without {req}", o.name),
                    );
                }
            }
            if let Some(d) = o.prop("DTSTART")
                && (!is_datetime(&d.value) || d.value.ends_with('Z'))
            {
                p(
                    d.line,
                    "vtimezone-invalid",
                    "an observance's DTSTART is a local date-time".into(),
                );
            }
            for prop in &o.props {
                let ok = matches!(
                    prop.name.as_str(),
                    "DTSTART"
                        | "TZOFFSETFROM"
                        | "TZOFFSETTO"
                        | "TZNAME"
                        | "RRULE"
                        | "RDATE"
                        | "COMMENT"
                ) || prop.name.starts_with("X-");
                if !ok {
                    p(
                        prop.line,
                        "vtimezone-extra-prop",
                        format!("{} inside {}", prop.name, o.name),
                    );
                }
            }
        }
    }

    // Events.
    let events: Vec<&Component> = cal.children.iter().filter(|c| c.name == "VEVENT").collect();
    let mut keys: BTreeMap<(String, Option<String>), usize> = BTreeMap::new();
    let mut masters: BTreeMap<String, &Component> = BTreeMap::new();
    for e in &events {
        for req in ["UID", "DTSTAMP", "DTSTART"] {
            if e.prop(req).is_none() {
                p(
                    e.line,
                    &format!("{}-missing", req.to_ascii_lowercase()),
                    format!("VEVENT without {req}"),
                );
            }
        }
        if let Some(uid) = e.prop("UID") {
            if uid.value.is_empty()
                || uid
                    .value
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control())
            {
                p(
                    uid.line,
                    "uid-chars",
                    format!("UID `{}` has spaces or control characters", uid.value),
                );
            }
            let rid = e.prop("RECURRENCE-ID").map(|r| r.value.clone());
            if let Some(first) = keys.insert((uid.value.clone(), rid.clone()), e.line) {
                let rule = if rid.is_some() {
                    "duplicate-override"
                } else {
                    "duplicate-uid"
                };
                p(
                    e.line,
                    rule,
                    format!("UID {} repeats the event of line {first}", uid.value),
                );
            }
            if rid.is_none() {
                masters.insert(uid.value.clone(), e);
            }
        }
        if let Some(s) = e.prop("DTSTAMP")
            && (!is_datetime(&s.value) || !s.value.ends_with('Z'))
        {
            p(s.line, "not-utc", "DTSTAMP must be a UTC date-time".into());
        }
        for name in ["DTSTART", "DTEND", "EXDATE", "RDATE", "RECURRENCE-ID"] {
            for prop in e.props_named(name) {
                if prop.param("VALUE") == Some("DATE") {
                    continue;
                }
                for v in prop.value.split(',') {
                    if !is_datetime(v) {
                        p(
                            prop.line,
                            "bad-datetime",
                            format!("{name} `{v}` is not a date-time"),
                        );
                        continue;
                    }
                    match (prop.param("TZID"), v.ends_with('Z')) {
                        (Some(_), true) => p(
                            prop.line,
                            "tzid-with-utc",
                            format!("{name} has TZID and a UTC value"),
                        ),
                        (None, false) => p(
                            prop.line,
                            "floating-time",
                            format!("{name} `{v}` has neither TZID nor Z"),
                        ),
                        _ => {}
                    }
                }
                if let Some(tzid) = prop.param("TZID") {
                    if tzid.starts_with('/') || TimeZone::get(tzid).is_err() {
                        p(
                            prop.line,
                            "tzid-not-iana",
                            format!("TZID `{tzid}` is not an IANA name"),
                        );
                    }
                    if !vtz.contains_key(tzid) {
                        p(
                            prop.line,
                            "tzid-no-vtimezone",
                            format!("TZID `{tzid}` has no VTIMEZONE in this file"),
                        );
                    }
                }
            }
        }
        let start = e.prop("DTSTART");
        match (e.prop("DTEND"), e.prop("DURATION")) {
            (Some(_), Some(d)) => p(
                d.line,
                "dtend-and-duration",
                "both DTEND and DURATION".into(),
            ),
            (None, None) => p(e.line, "no-end", "VEVENT without DTEND".into()),
            (Some(end), None) => {
                if let Some(start) = start {
                    if start.param("TZID") != end.param("TZID") {
                        p(
                            end.line,
                            "dtend-tzid-differs",
                            "DTEND's TZID differs from DTSTART's".into(),
                        );
                    }
                    if start.param("VALUE") != end.param("VALUE")
                        || start.value.ends_with('Z') != end.value.ends_with('Z')
                    {
                        p(
                            end.line,
                            "dtend-type-mismatch",
                            "DTEND's type differs from DTSTART's".into(),
                        );
                    }
                    if let (Some(a), Some(b)) = (prop_instant(start), prop_instant(end))
                        && b <= a
                    {
                        p(
                            end.line,
                            "dtend-not-after-dtstart",
                            "DTEND is not after DTSTART".into(),
                        );
                    }
                }
            }
            (None, Some(d)) => {
                if !is_duration(&d.value) {
                    p(
                        d.line,
                        "bad-duration",
                        format!("`{}` is not a duration", d.value),
                    );
                }
            }
        }
        if let Some(seq) = e.prop("SEQUENCE")
            && seq.value.parse::<u32>().is_err()
        {
            p(
                seq.line,
                "bad-sequence",
                format!("SEQUENCE `{}` is not a non-negative integer", seq.value),
            );
        }
        if let Some(st) = e.prop("STATUS")
            && !matches!(st.value.as_str(), "TENTATIVE" | "CONFIRMED" | "CANCELLED")
        {
            p(st.line, "bad-status", format!("STATUS `{}`", st.value));
        }
        if e.prop("SUMMARY").is_none_or(|s| s.value.trim().is_empty()) {
            p(e.line, "summary-missing", "VEVENT without SUMMARY".into());
        }
        if e.prop("URL").is_none() {
            p(e.line, "url-missing", "VEVENT without URL".into());
        }
        if e.prop("CATEGORIES").is_none() {
            p(
                e.line,
                "categories-missing",
                "VEVENT without CATEGORIES".into(),
            );
        }
        if e.prop("EXRULE").is_some() {
            p(e.line, "exrule", "EXRULE is deprecated".into());
        }
        let rrules: Vec<&Prop> = e.props_named("RRULE").collect();
        if rrules.len() > 1 {
            p(
                rrules[1].line,
                "multiple-rrule",
                "more than one RRULE".into(),
            );
        }
        if let Some(r) = rrules.first() {
            if e.prop("RECURRENCE-ID").is_some() {
                p(
                    r.line,
                    "override-has-rrule",
                    "an override carries an RRULE".into(),
                );
            }
            for (rule, msg) in check_rrule(&r.value, start) {
                p(r.line, rule, msg);
            }
        }
    }
    // Overrides against their masters.
    for e in &events {
        let (Some(uid), Some(rid)) = (e.prop("UID"), e.prop("RECURRENCE-ID")) else {
            continue;
        };
        if rid.param("RANGE").is_some() {
            p(
                rid.line,
                "range-thisandfuture",
                "RECURRENCE-ID with RANGE".into(),
            );
        }
        let Some(m) = masters.get(&uid.value) else {
            p(
                e.line,
                "orphan-override",
                format!("override of {} without its series", uid.value),
            );
            continue;
        };
        if let Some(ms) = m.prop("DTSTART") {
            if ms.param("TZID") != rid.param("TZID") {
                p(
                    rid.line,
                    "recurrence-id-tzid-differs",
                    "RECURRENCE-ID's TZID differs from the series' DTSTART".into(),
                );
            }
            if ms.value.ends_with('Z') != rid.value.ends_with('Z') {
                p(
                    rid.line,
                    "recurrence-id-type-mismatch",
                    "RECURRENCE-ID's type differs from the series' DTSTART".into(),
                );
            }
        }
        if m.props_named("EXDATE")
            .any(|x| x.value.split(',').any(|v| v == rid.value))
        {
            p(
                rid.line,
                "override-of-exdate",
                "the overridden instance is excluded by EXDATE".into(),
            );
        }
        let seq = |c: &Component| {
            c.prop("SEQUENCE")
                .and_then(|s| s.value.parse::<u32>().ok())
                .unwrap_or(0)
        };
        if seq(e) < seq(m) {
            p(
                e.line,
                "override-sequence-lower",
                "an override's SEQUENCE is lower than its series'".into(),
            );
        }
        for req in ["SUMMARY", "DESCRIPTION", "URL", "CATEGORIES"] {
            if m.prop(req).is_some() && e.prop(req).is_none() {
                p(
                    e.line,
                    "override-incomplete",
                    format!("override without {req} (nothing is inherited)"),
                );
            }
        }
    }
    for e in &events {
        if let Some(m) = e.prop("UID").filter(|_| e.prop("RECURRENCE-ID").is_none())
            && let Some(start) = e.prop("DTSTART")
        {
            for x in e.props_named("EXDATE") {
                if x.param("TZID") != start.param("TZID") {
                    p(
                        x.line,
                        "exdate-tzid-differs",
                        format!("EXDATE of {} has another TZID than DTSTART", m.value),
                    );
                }
            }
        }
    }

    // Recurrence instances and zone offsets, for the rule shapes mcpsite writes.
    let zones: BTreeMap<&str, Result<vtimezone::VTimezone, String>> = vtz
        .iter()
        .map(|(id, z)| (id.as_str(), vtimezone_from_component(z)))
        .collect();
    for e in &events {
        // Every zoned time used, and the instances of a series.
        let mut times: Vec<(usize, Timestamp, &str)> = Vec::new();
        for name in ["DTSTART", "DTEND", "EXDATE", "RECURRENCE-ID"] {
            for prop in e.props_named(name) {
                let Some(tzid) = prop.param("TZID") else {
                    continue;
                };
                let Ok(tz) = TimeZone::get(tzid) else {
                    continue;
                };
                for v in prop.value.split(',') {
                    if let Some(dt) = parse_local(v) {
                        times.push((prop.line, local_to_timestamp(&tz, dt), tzid));
                    }
                }
            }
        }
        if let (Some(start), Some(r)) = (e.prop("DTSTART"), e.prop("RRULE"))
            && let Some(tzid) = start.param("TZID")
            && let Ok(tz) = TimeZone::get(tzid)
            && let Some(dt) = parse_local(&start.value)
            && let Some(rule) = SimpleRule::parse(&r.value, dt, tz.clone())
        {
            if !rule.contains(dt) {
                p(
                    start.line,
                    "dtstart-not-in-rrule",
                    format!("DTSTART {} is not an instance of {}", start.value, r.value),
                );
            }
            for x in e.props_named("EXDATE") {
                for v in x.value.split(',') {
                    if parse_local(v).is_none_or(|d| !rule.contains(d)) {
                        p(
                            x.line,
                            "exdate-no-match",
                            format!("EXDATE {v} is not an instance of the series"),
                        );
                    }
                }
            }
            if let Some(uid) = e.prop("UID") {
                for o in &events {
                    if o.prop("UID").is_some_and(|u| u.value == uid.value)
                        && let Some(rid) = o.prop("RECURRENCE-ID")
                        && rid.param("TZID") == Some(tzid)
                        && parse_local(&rid.value).is_none_or(|d| !rule.contains(d))
                    {
                        p(
                            rid.line,
                            "recurrence-id-no-match",
                            format!(
                                "RECURRENCE-ID {} is not an instance of the series",
                                rid.value
                            ),
                        );
                    }
                }
            }
            for dt in rule.instances(156) {
                times.push((r.line, local_to_timestamp(&tz, dt), tzid));
            }
        }
        for (line, ts, tzid) in times {
            let Some(Ok(vz)) = zones.get(tzid) else {
                continue;
            };
            let Ok(tz) = TimeZone::get(tzid) else {
                continue;
            };
            match vz.offset_at(ts) {
                None => {
                    p(
                        line,
                        "vtimezone-starts-late",
                        format!("VTIMEZONE {tzid} has no observance before {}", ical_utc(ts)),
                    );
                    break;
                }
                Some(o) if o != tz.to_offset(ts) => {
                    p(
                        line,
                        "vtimezone-mismatch",
                        format!(
                            "VTIMEZONE {tzid} gives {} at {}, tzdb {}",
                            vtimezone::format_offset(o),
                            ical_utc(ts),
                            vtimezone::format_offset(tz.to_offset(ts))
                        ),
                    );
                    break;
                }
                _ => {}
            }
        }
    }
    problems
}

/// A WEEKLY (single BYDAY, optional INTERVAL) or MONTHLY (single ordinal BYDAY) rule with an
/// optional UTC UNTIL: the shapes mcpsite writes. Other rules are not checked instance by instance.
struct SimpleRule {
    weekly: Option<u32>,
    nth: i8,
    weekday: civil::Weekday,
    start: civil::DateTime,
    until: Option<Timestamp>,
    tz: TimeZone,
}

impl SimpleRule {
    fn parse(v: &str, start: civil::DateTime, tz: TimeZone) -> Option<SimpleRule> {
        let mut freq = None;
        let mut interval = 1;
        let mut byday = None;
        let mut until = None;
        for kv in v.split(';') {
            let (k, val) = kv.split_once('=')?;
            match k {
                "FREQ" => freq = Some(val),
                "INTERVAL" => interval = val.parse().ok()?,
                "BYDAY" => byday = Some(val),
                "UNTIL" => {
                    let dt = parse_local(val.strip_suffix('Z')?)?;
                    until = Some(dt.to_zoned_datetime(TimeZone::UTC).ok()?.timestamp());
                }
                "WKST" => {}
                _ => return None,
            }
        }
        let byday = byday?;
        if byday.contains(',') || byday.len() < 2 {
            return None;
        }
        let (n, wd) = byday.split_at(byday.len() - 2);
        let weekday = match wd {
            "MO" => civil::Weekday::Monday,
            "TU" => civil::Weekday::Tuesday,
            "WE" => civil::Weekday::Wednesday,
            "TH" => civil::Weekday::Thursday,
            "FR" => civil::Weekday::Friday,
            "SA" => civil::Weekday::Saturday,
            "SU" => civil::Weekday::Sunday,
            _ => return None,
        };
        let (weekly, nth) = match freq? {
            "WEEKLY" if n.is_empty() && interval >= 1 => (Some(interval), 0),
            "MONTHLY" if interval == 1 => (None, n.parse().ok()?),
            _ => return None,
        };
        Some(SimpleRule {
            weekly,
            nth,
            weekday,
            start,
            until,
            tz,
        })
    }

    fn on_rule(&self, d: civil::Date) -> bool {
        if d.weekday() != self.weekday {
            return false;
        }
        match self.weekly {
            Some(interval) => {
                // Weeks counted from the week (Monday start) of DTSTART.
                let monday = |x: civil::Date| {
                    x.checked_sub(i64::from(x.weekday().to_monday_zero_offset()).days())
                        .ok()
                };
                match (monday(self.start.date()), monday(d)) {
                    (Some(a), Some(b)) => {
                        let days = a.duration_until(b).as_secs() / 86_400;
                        days >= 0 && (days / 7) % i64::from(interval) == 0
                    }
                    _ => false,
                }
            }
            None => d.nth_weekday_of_month(self.nth, self.weekday).ok() == Some(d),
        }
    }

    fn contains(&self, dt: civil::DateTime) -> bool {
        dt.time() == self.start.time()
            && dt >= self.start
            && self.on_rule(dt.date())
            && self
                .until
                .is_none_or(|u| local_to_timestamp(&self.tz, dt) <= u)
    }

    fn instances(&self, max: usize) -> Vec<civil::DateTime> {
        let mut out = Vec::new();
        let mut d = self.start.date();
        // Day by day is simple and fast enough for a few years of a linted feed.
        for _ in 0..(366 * 6) {
            if out.len() >= max {
                break;
            }
            let dt = d.to_datetime(self.start.time());
            if self
                .until
                .is_some_and(|u| local_to_timestamp(&self.tz, dt) > u)
            {
                break;
            }
            if self.contains(dt) {
                out.push(dt);
            }
            match d.tomorrow() {
                Ok(n) => d = n,
                Err(_) => break,
            }
        }
        out
    }
}

/// Reads a VTIMEZONE back into observances, for the RRULE form (`FREQ=YEARLY;BYMONTH;BYDAY`,
/// optional UNTIL) or single onsets. Other forms (RDATE lists) are not evaluated.
pub fn vtimezone_from_component(z: &Component) -> Result<vtimezone::VTimezone, String> {
    let tzid = z.prop("TZID").ok_or("no TZID")?.value.clone();
    let mut observances = Vec::new();
    for o in &z.children {
        let kind = match o.name.as_str() {
            "STANDARD" => vtimezone::ObservanceKind::Standard,
            "DAYLIGHT" => vtimezone::ObservanceKind::Daylight,
            other => return Err(format!("{other} in VTIMEZONE")),
        };
        if o.prop("RDATE").is_some() {
            return Err("RDATE".into());
        }
        let get = |n: &str| o.prop(n).map(|p| p.value.as_str()).ok_or(format!("no {n}"));
        let dtstart = parse_local(get("DTSTART")?).ok_or("bad DTSTART")?;
        let rule = match o.prop("RRULE") {
            None => None,
            Some(r) => {
                let mut month = None;
                let mut byday = None;
                let mut until = None;
                for kv in r.value.split(';') {
                    let (k, v) = kv.split_once('=').ok_or("bad RRULE")?;
                    match k {
                        "FREQ" if v == "YEARLY" => {}
                        "BYMONTH" => month = v.parse().ok(),
                        "BYDAY" => byday = Some(v),
                        "UNTIL" => {
                            let dt = parse_local(v.strip_suffix('Z').ok_or("local UNTIL")?)
                                .ok_or("bad UNTIL")?;
                            until = dt
                                .to_zoned_datetime(TimeZone::UTC)
                                .ok()
                                .map(|z| z.timestamp());
                        }
                        _ => return Err(format!("unsupported RRULE part {kv}")),
                    }
                }
                let byday = byday.ok_or("no BYDAY")?;
                let rule = SimpleRule::parse(
                    &format!("FREQ=MONTHLY;BYDAY={byday}"),
                    dtstart,
                    TimeZone::UTC,
                )
                .ok_or("bad BYDAY")?;
                Some(vtimezone::YearlyRule {
                    month: month.ok_or("no BYMONTH")?,
                    nth: rule.nth,
                    weekday: rule.weekday,
                    until,
                })
            }
        };
        observances.push(vtimezone::Observance {
            kind,
            dtstart,
            offset_from: parse_utc_offset(get("TZOFFSETFROM")?).ok_or("bad TZOFFSETFROM")?,
            offset_to: parse_utc_offset(get("TZOFFSETTO")?).ok_or("bad TZOFFSETTO")?,
            tzname: o
                .prop("TZNAME")
                .map(|p| p.value.clone())
                .unwrap_or_default(),
            rule,
        });
    }
    Ok(vtimezone::VTimezone { tzid, observances })
}

fn parse_utc_offset(s: &str) -> Option<jiff::tz::Offset> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let d = &s[1..];
    if !(d.len() == 4 || d.len() == 6) || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = d[0..2].parse().ok()?;
    let m: i32 = d[2..4].parse().ok()?;
    let sec: i32 = if d.len() == 6 {
        d[4..6].parse().ok()?
    } else {
        0
    };
    jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60 + sec)).ok()
}

fn is_duration(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("P") else {
        return false;
    };
    !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'W' | b'D' | b'T' | b'H' | b'M' | b'S'))
}

fn check_rrule(v: &str, start: Option<&Prop>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let parts: Vec<(&str, &str)> = v.split(';').filter_map(|kv| kv.split_once('=')).collect();
    if parts.len() != v.split(';').count() || parts.first().is_none_or(|(k, _)| *k != "FREQ") {
        out.push((
            "rrule-syntax",
            format!("`{v}`: FREQ=… must come first, then KEY=VALUE parts"),
        ));
    }
    let get = |k: &str| parts.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    if get("COUNT").is_some() && get("UNTIL").is_some() {
        out.push(("rrule-syntax", "COUNT together with UNTIL".into()));
    }
    for k in ["BYHOUR", "BYMINUTE", "BYSECOND"] {
        if get(k).is_some() {
            out.push((
                "rrule-redundant-time",
                format!("{k} in RRULE (the time comes from DTSTART)"),
            ));
        }
    }
    if get("FREQ") == Some("WEEKLY")
        && get("BYDAY").is_some_and(|d| {
            d.split(',')
                .any(|x| x.starts_with(['+', '-']) || x.starts_with(|c: char| c.is_ascii_digit()))
        })
    {
        out.push((
            "byday-ordinal-freq",
            "an ordinal BYDAY with FREQ=WEEKLY".into(),
        ));
    }
    if let (Some(u), Some(s)) = (get("UNTIL"), start)
        && s.param("TZID").is_some()
        && !u.ends_with('Z')
    {
        out.push((
            "until-type",
            "UNTIL must be UTC (…Z) when DTSTART has a TZID".into(),
        ));
    }
    if get("INTERVAL").is_some_and(|i| i != "1")
        && get("BYDAY").is_some_and(|d| d.contains(','))
        && get("WKST").is_none()
    {
        out.push((
            "wkst-ambiguous",
            "several BYDAY values with INTERVAL>1 need WKST".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
        assert_eq!(escape_text("bell\u{7}tab\t"), "belltab\t");
        assert_eq!(param_value("America/Los_Angeles"), "America/Los_Angeles");
        assert_eq!(param_value("a:b"), "\"a:b\"");
        assert_eq!(param_value("a;b,\"c"), "\"a;b,c\"");
    }

    #[test]
    fn folding_counts_octets_and_keeps_utf8_whole() {
        // 3-byte and 4-byte characters straddling every possible boundary.
        for prefix in 0..8 {
            for ch in ["é", "€", "🎉", "a"] {
                let value: String = "x".repeat(prefix) + &ch.repeat(90);
                let mut out = String::new();
                fold_into(&mut out, &format!("SUMMARY:{value}"));
                assert!(out.ends_with("\r\n"));
                let physical: Vec<&str> = out.strip_suffix("\r\n").unwrap().split("\r\n").collect();
                assert!(physical.len() > 1);
                for (i, l) in physical.iter().enumerate() {
                    assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
                    if i > 0 {
                        assert!(l.starts_with(' '));
                    }
                    // Each piece is a whole &str: a split character would have panicked above,
                    // but check the bytes too.
                    assert!(std::str::from_utf8(l.as_bytes()).is_ok());
                }
                // Lines are filled: only the last may be shorter than 75 - (width - 1).
                for l in &physical[..physical.len() - 1] {
                    assert!(l.len() > 75 - ch.len(), "{} octets", l.len());
                }
                let unfolded = out.replace("\r\n ", "");
                assert_eq!(unfolded, format!("SUMMARY:{value}\r\n"));
                assert!(lint_feed(&out).iter().all(|p| !p.contains("line-too-long")));
            }
        }
        // No fold next to a space when one close by avoids it.
        let mut out = String::new();
        let words = "word ".repeat(40);
        fold_into(&mut out, &format!("DESCRIPTION:{words}"));
        let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
        for (i, l) in lines.iter().enumerate() {
            // The value itself ends in a space; every fold avoids one.
            let last = i == lines.len() - 1;
            assert!(
                (last || !l.ends_with(' ')) && !l[1..].starts_with(' '),
                "{l:?}"
            );
            assert!(l.len() <= 75);
        }
        assert_eq!(out.replace("\r\n ", ""), format!("DESCRIPTION:{words}\r\n"));
        let mut out = String::new();
        fold_into(&mut out, &"A".repeat(75));
        assert_eq!(out, format!("{}\r\n", "A".repeat(75)));
        let mut out = String::new();
        fold_into(&mut out, &"A".repeat(76));
        assert_eq!(out, format!("{}\r\n A\r\n", "A".repeat(75)));
        let mut out = String::new();
        fold_into(&mut out, &"A".repeat(75 + 74 + 1));
        assert_eq!(
            out,
            format!("{}\r\n {}\r\n A\r\n", "A".repeat(75), "A".repeat(74))
        );
    }

    #[test]
    fn writer_crlf_only() {
        let mut w = Writer::new();
        w.begin("VCALENDAR");
        w.text("X-WR-CALNAME", "Line one\nLine two, with; punctuation \\");
        w.raw("URL", &[], "https://example.com/a,b;c");
        w.text_list("CATEGORIES", &["Auth, Identity".into(), "auth-ig".into()]);
        w.end("VCALENDAR");
        let s = w.finish();
        assert_eq!(
            s,
            "BEGIN:VCALENDAR\r\nX-WR-CALNAME:Line one\\nLine two\\, with\\; punctuation \\\\\r\nURL:https://example.com/a,b;c\r\nCATEGORIES:Auth\\, Identity,auth-ig\r\nEND:VCALENDAR\r\n"
        );
        assert_eq!(s.matches('\n').count(), s.matches("\r\n").count());
    }

    #[test]
    fn content_line_parser() {
        let p = parse_content_line("DTSTART;TZID=\"a:b\";X=1,2:20260101T000000", 3).unwrap();
        assert_eq!(p.name, "DTSTART");
        assert_eq!(p.param("TZID"), Some("a:b"));
        assert_eq!(p.params[1].1, ["1", "2"]);
        assert_eq!(p.value, "20260101T000000");
        assert!(parse_content_line("NOCOLON", 1).is_err());
        assert!(parse_content_line("A;B:c", 1).is_err());
    }

    fn rules_of(problems: &[String]) -> Vec<String> {
        problems
            .iter()
            .map(|p| p.split(": ").nth(1).unwrap_or("").to_string())
            .collect()
    }

    const GOOD: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nNAME:N\r\nX-WR-CALNAME:N\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\nX-PUBLISHED-TTL:PT12H\r\n\
BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\nDTSTART:20250101T000000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:a-b@h\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Asia/Tokyo:20260105T090000\r\nDTEND;TZID=Asia/Tokyo:20260105T100000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXDATE;TZID=Asia/Tokyo:20260112T090000\r\nSEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d\r\nURL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:a-b@h\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000\r\nDTSTART;TZID=Asia/Tokyo:20260120T090000\r\nDTEND;TZID=Asia/Tokyo:20260120T100000\r\nSEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\nURL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

    #[test]
    fn lint_accepts_a_good_feed() {
        assert_eq!(lint_feed(GOOD), Vec::<String>::new());
    }

    #[test]
    fn lint_catches_each_kind_of_breakage() {
        let cases: &[(&str, &str, &str)] = &[
            ("\r\nEND:VCALENDAR\r\n", "\nEND:VCALENDAR\n", "bare-lf"),
            ("END:VCALENDAR\r\n", "END:VCALENDAR", "no-final-crlf"),
            (
                "SUMMARY:S\r\nDESCRIPTION:D\\, d",
                "SUMMARY:S\r\n\r\nDESCRIPTION:D\\, d",
                "blank-line",
            ),
            ("DESCRIPTION:D\\, d", "DESCRIPTION:D, d", "unescaped-comma"),
            (
                "DESCRIPTION:D\\, d",
                "DESCRIPTION:D; d",
                "unescaped-semicolon",
            ),
            ("DESCRIPTION:D\\, d", "DESCRIPTION:D\\x d", "bad-escape"),
            (
                "URL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN:VEVENT",
                "URL:https://h/g\\,/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN:VEVENT",
                "uri-escaped",
            ),
            (
                "CATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN",
                "CATEGORIES:a,,b\r\nEND:VEVENT\r\nBEGIN",
                "empty-list-item",
            ),
            ("METHOD:PUBLISH", "METHOD:REQUEST", "method-not-publish"),
            (
                "X-PUBLISHED-TTL:PT12H",
                "X-PUBLISHED-TTL:PT6H",
                "ttl-differs",
            ),
            (
                "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
                "REFRESH-INTERVAL:PT12H",
                "refresh-value-param",
            ),
            ("X-WR-CALNAME:N\r\n", "", "calname-missing"),
            (
                "DTSTART;TZID=Asia/Tokyo:20260105T090000",
                "DTSTART:20260105T090000",
                "floating-time",
            ),
            (
                "DTSTART;TZID=Asia/Tokyo:20260105T090000",
                "DTSTART;TZID=Asia/Tokyo:20260105T090000Z",
                "tzid-with-utc",
            ),
            (
                "DTSTART;TZID=Asia/Tokyo:20260105T090000",
                "DTSTART;TZID=Europe/Paris:20260105T090000",
                "tzid-no-vtimezone",
            ),
            (
                "DTSTART;TZID=Asia/Tokyo:20260105T090000",
                "DTSTART;TZID=Tokyo Standard Time:20260105T090000",
                "tzid-not-iana",
            ),
            (
                "DTEND;TZID=Asia/Tokyo:20260105T100000",
                "DTEND;TZID=Asia/Tokyo:20260105T080000",
                "dtend-not-after-dtstart",
            ),
            ("DTEND;TZID=Asia/Tokyo:20260105T100000\r\n", "", "no-end"),
            (
                "RRULE:FREQ=WEEKLY;BYDAY=MO",
                "RRULE:BYDAY=MO;FREQ=WEEKLY",
                "rrule-syntax",
            ),
            (
                "RRULE:FREQ=WEEKLY;BYDAY=MO",
                "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9",
                "rrule-redundant-time",
            ),
            (
                "RRULE:FREQ=WEEKLY;BYDAY=MO",
                "RRULE:FREQ=WEEKLY;BYDAY=2MO",
                "byday-ordinal-freq",
            ),
            (
                "RRULE:FREQ=WEEKLY;BYDAY=MO",
                "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260301T090000",
                "until-type",
            ),
            (
                "EXDATE;TZID=Asia/Tokyo:20260112T090000",
                "EXDATE:20260112T000000Z",
                "exdate-tzid-differs",
            ),
            (
                "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000",
                "RECURRENCE-ID;TZID=Asia/Tokyo:20260112T090000",
                "override-of-exdate",
            ),
            (
                "UID:a-b@h\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID",
                "UID:a-c@h\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID",
                "orphan-override",
            ),
            (
                "SEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\n",
                "SEQUENCE:0\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\n",
                "override-sequence-lower",
            ),
            (
                "STATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\r\n",
                "STATUS:CONFIRMED\r\nSUMMARY:S\r\n",
                "override-incomplete",
            ),
            (
                "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000\r\n",
                "",
                "duplicate-uid",
            ),
            (
                "DTSTAMP:20260101T000000Z\r\nDTSTART",
                "DTSTAMP:20260101T000000\r\nDTSTART",
                "not-utc",
            ),
            (
                "SEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
                "SEQUENCE:-1\r\nSTATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
                "bad-sequence",
            ),
            (
                "SUMMARY:S\r\nDESCRIPTION:D\\, d",
                "SUMMARY:S\r\nSUMMARY:T\r\nDESCRIPTION:D\\, d",
                "duplicate-prop",
            ),
            (
                "SUMMARY:S\r\nDESCRIPTION:D\\, d",
                "SUMMARY:S\r\nORGANIZER:mailto:a@b\r\nDESCRIPTION:D\\, d",
                "has-attendees",
            ),
            (
                "URL:https://h/g/\r\nCATEGORIES:a,b\r\nEND:VEVENT\r\nBEGIN:VEVENT",
                "URL:https://h/g/\r\nCATEGORIES:a,b\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT",
                "has-valarm",
            ),
            (
                "TZID:Asia/Tokyo\r\n",
                "TZID:Asia/Tokyo\r\nUID:x\r\n",
                "vtimezone-extra-prop",
            ),
            (
                "END:VEVENT\r\nEND:VCALENDAR",
                "END:VEVENT\r\nEND:VTODO\r\nEND:VCALENDAR",
                "begin-end-mismatch",
            ),
            (
                "END:VCALENDAR\r\n",
                "END:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                "multiple-vcalendar",
            ),
            ("SUMMARY:S\r\n", "summary:S\r\n", "lowercase-name"),
            (
                "STATUS:CONFIRMED\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
                "STATUS:MAYBE\r\nSUMMARY:S\r\nDESCRIPTION:D\\, d",
                "bad-status",
            ),
            (
                "SUMMARY:S\r\nDESCRIPTION:D\\, d",
                "SUMMARY:S\u{1}\r\nDESCRIPTION:D\\, d",
                "control-char",
            ),
            (
                "RRULE:FREQ=WEEKLY;BYDAY=MO",
                "RRULE:FREQ=WEEKLY;BYDAY=TU",
                "dtstart-not-in-rrule",
            ),
            (
                "EXDATE;TZID=Asia/Tokyo:20260112T090000",
                "EXDATE;TZID=Asia/Tokyo:20260112T093000",
                "exdate-no-match",
            ),
            (
                "RECURRENCE-ID;TZID=Asia/Tokyo:20260119T090000",
                "RECURRENCE-ID;TZID=Asia/Tokyo:20260120T090000",
                "recurrence-id-no-match",
            ),
            (
                "RRULE:FREQ=WEEKLY;BYDAY=MO",
                "RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO",
                "recurrence-id-no-match",
            ),
            ("TZOFFSETTO:+0900", "TZOFFSETTO:+1000", "vtimezone-mismatch"),
            (
                "DTSTART:20250101T000000\r\nEND:STANDARD",
                "DTSTART:20260301T000000\r\nEND:STANDARD",
                "vtimezone-starts-late",
            ),
        ];
        for (from, to, rule) in cases {
            assert!(GOOD.contains(from), "fixture lacks {from:?}");
            let bad = GOOD.replacen(from, to, 1);
            let problems = lint_feed(&bad);
            assert!(
                rules_of(&problems).iter().any(|r| r == rule),
                "{rule}: got {problems:#?}"
            );
        }
    }

    #[test]
    fn lint_catches_long_lines_and_split_utf8() {
        let long = GOOD.replace("SUMMARY:S\r\n", &format!("SUMMARY:{}\r\n", "é".repeat(40)));
        assert!(rules_of(&lint_feed(&long)).contains(&"line-too-long".to_string()));
        // Fold in the middle of "é" (C3 A9).
        let mut bytes = GOOD
            .replacen("SUMMARY:S\r\n", "SUMMARY:Sé\r\n", 1)
            .into_bytes();
        let at = bytes.windows(2).position(|w| w == [0xC3, 0xA9]).unwrap();
        bytes.splice(at + 1..at + 1, *b"\r\n ");
        let problems = lint_feed_bytes(&bytes);
        assert!(
            rules_of(&problems).contains(&"fold-splits-utf8".to_string()),
            "{problems:#?}"
        );
        // The same fold at a character boundary is fine.
        let ok = GOOD.replacen("SUMMARY:S\r\n", "SUMMARY:S\r\n é\r\n", 1);
        assert_eq!(lint_feed(&ok), Vec::<String>::new());
        let bom = format!("\u{feff}{GOOD}");
        assert!(rules_of(&lint_feed(&bom)).contains(&"bom".to_string()));
    }
}
