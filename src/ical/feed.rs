//! Feed assembly.

use super::*;

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
