//! Live meeting data: what a page's script needs to keep "next" and "upcoming" right by the
//! reader's clock between builds.
//!
//! Takes: a group's [`Expansion`] and the settings. Gives: the group's meetings from the start
//! of "today" for `[calendar] future_days` (plus the agenda's `horizon_days`, so the agenda stays
//! full as long) as one compact JSON object ([`group_data`]), and a page's data island made of
//! such objects ([`page_data`]). The server-rendered lists stay what a reader without script sees;
//! `site.js` (`live`) re-renders them from this data.
//!
//! The exact UTC instants are the expansion's, so DST, cancellations and moves are already
//! applied: the script only compares instants with its clock. To keep directories of thousands
//! of groups light, starts are written as run-length deltas in seconds in one string (`o`):
//! tokens `DELTA[/DURATION][~SERIES][!][*COUNT]`, comma-separated, where `DELTA` is seconds
//! since the previous start (since the Unix epoch for the first), `DURATION` is in seconds when
//! it differs from the group's `d`, `SERIES` indexes `s` when not 0, `!` takes the next entry of
//! `x` (what is special about that meeting: cancelled, moved, its own agenda or notes link), and
//! `*COUNT` repeats a plain token. A weekly series is a handful of tokens a year.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp, civil};
use serde::Serialize;

use super::view::{Expansion, status_words, today_start};
use crate::agenda::{AgendaItem, ItemStatus};
use crate::model::{Group, Site};
use crate::timefmt;

/// The end of the live window: `future_days` and the agenda's `horizon_days` from today.
pub fn live_end(site: &Site) -> Timestamp {
    let c = &site.config.calendar;
    let days = i64::from(c.future_days) + i64::from(c.horizon_days);
    today_start(site)
        .checked_add(SignedDuration::from_hours(24 * days))
        .unwrap_or(Timestamp::MAX)
}

/// One series (or one-off meeting) of a group.
#[derive(Serialize)]
struct LiveSeries {
    /// Title.
    t: String,
    /// IANA zone.
    z: String,
    /// Zone abbreviation by UTC offset in minutes (`"-480": "PST"`), as the server writes it.
    a: BTreeMap<i32, String>,
    /// Notes and agenda URL templates (`{date}`, `{yyyy}`, `{mm}`, `{dd}` of the original local
    /// date).
    #[serde(skip_serializing_if = "Option::is_none")]
    n: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    g: Option<String>,
}

/// What is special about one meeting.
#[derive(Serialize, Default)]
struct Extra {
    /// `c` cancelled, `m` moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'static str>,
    /// The reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    r: Option<String>,
    /// Where the rule had put a moved meeting, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    f: Option<String>,
    /// A moved meeting's original local date (for the URL templates).
    #[serde(skip_serializing_if = "Option::is_none")]
    o: Option<String>,
    /// Agenda, notes and recording links that the templates do not give.
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    n: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    v: Option<String>,
}

impl Extra {
    fn is_empty(&self) -> bool {
        self.s.is_none() && self.a.is_none() && self.n.is_none() && self.v.is_none()
    }
}

#[derive(Serialize)]
struct LiveGroup {
    /// Page path.
    u: String,
    /// "Authorization IG".
    l: String,
    /// "Authorization Interest Group".
    f: String,
    /// A proposed group's meetings are tentative.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    p: bool,
    /// The usual duration, seconds.
    d: i64,
    s: Vec<LiveSeries>,
    o: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    x: Vec<Extra>,
}

/// `g`'s meetings in the live window as a JSON object, or `None` when it has none there.
pub fn group_data(site: &Site, g: &Group, exp: &Expansion) -> Option<String> {
    let items = exp.between(today_start(site), live_end(site));
    let first = items.first()?;
    let mut series = live_series(g);
    let d = duration(first);
    let (tokens, x) = occurrence_tokens(g, exp, items, d, &mut series);
    let data = LiveGroup {
        u: g.url_path(),
        l: g.short_label(),
        f: g.full_name(),
        p: first.tentative,
        d,
        s: series,
        o: run_lengths(&tokens),
        x,
    };
    Some(script_safe(
        serde_json::to_string(&data).expect("live data serializes"),
    ))
}

/// The group's series, then its one-offs, each without its zone's abbreviations yet.
fn live_series(g: &Group) -> Vec<LiveSeries> {
    let title = |t: &Option<String>| t.clone().unwrap_or_else(|| crate::agenda::default_title(g));
    let series = g.meetings.series.iter().map(|s| LiveSeries {
        t: title(&s.title),
        z: s.tz_name.clone(),
        a: BTreeMap::new(),
        n: s.notes_url_template.clone(),
        g: s.agenda_url_template.clone(),
    });
    let one_offs = g.meetings.one_offs.iter().map(|o| LiveSeries {
        t: title(&o.title),
        z: o.tz_name.clone(),
        a: BTreeMap::new(),
        n: None,
        g: None,
    });
    series.chain(one_offs).collect()
}

/// How long `item` lasts, in seconds.
fn duration(item: &AgendaItem) -> i64 {
    (item.end.timestamp() - item.start.timestamp()).as_secs()
}

/// Each meeting of `items` as a token (seconds since the one before; `/duration` when not the
/// usual `d`; `~series` when not the first; `!` when it has extras, which are given beside),
/// with a count of equal tokens in a row; notes in `series` each zone abbreviation its meetings
/// use.
fn occurrence_tokens(
    g: &Group,
    exp: &Expansion,
    items: &[AgendaItem],
    d: i64,
    series: &mut [LiveSeries],
) -> (Vec<(String, u32)>, Vec<Extra>) {
    let mut tokens: Vec<(String, u32)> = Vec::new();
    let mut extras = Vec::new();
    let mut prev = 0i64;
    for item in items {
        let index = series_index(g, item);
        for z in [&item.start, &item.end] {
            let offset = z.offset().seconds() / 60;
            series[index]
                .a
                .entry(offset)
                .or_insert_with(|| timefmt::zone_abbreviation(z));
        }
        let start = item.start.timestamp().as_second();
        let mut token = (start - prev).to_string();
        prev = start;
        let length = duration(item);
        if length != d {
            token.push_str(&format!("/{length}"));
        }
        if index != 0 {
            token.push_str(&format!("~{index}"));
        }
        let extra = extra(g, item, exp, index);
        if !extra.is_empty() {
            token.push('!');
            extras.push(extra);
            tokens.push((token, 1));
        } else {
            match tokens.last_mut() {
                Some((last, n)) if *last == token => *n += 1,
                _ => tokens.push((token, 1)),
            }
        }
    }
    (tokens, extras)
}

/// The tokens joined by `,`, a run of equal ones written once with `*count`.
fn run_lengths(tokens: &[(String, u32)]) -> String {
    tokens
        .iter()
        .map(|(t, n)| {
            if *n > 1 {
                format!("{t}*{n}")
            } else {
                t.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The index into the group's series (then its one-offs) of `item`.
fn series_index(g: &Group, item: &AgendaItem) -> usize {
    let series = &g.meetings.series;
    series
        .iter()
        .position(|s| s.id == *item.id)
        .or_else(|| {
            g.meetings
                .one_offs
                .iter()
                .position(|o| o.id == *item.id)
                .map(|i| series.len() + i)
        })
        .unwrap_or(0)
}

/// What the series' templates and the plain status do not say about `item`.
fn extra(g: &Group, item: &AgendaItem, exp: &Expansion, index: usize) -> Extra {
    let links = exp.links(item);
    let (_, reason, moved_from) = status_words(item);
    let series = g.meetings.series.get(index);
    let original = match &item.status {
        ItemStatus::Moved { original_start, .. } => original_start
            .parse::<civil::DateTime>()
            .map(|d| d.date())
            .unwrap_or(item.start.date()),
        _ => item.start.date(),
    };
    let differs = |given: &Option<String>, template: Option<String>| {
        (*given != template).then(|| given.clone()).flatten()
    };
    let mut x = Extra {
        a: differs(&links.agenda, series.and_then(|s| s.agenda_url(original))),
        n: differs(&links.notes, series.and_then(|s| s.notes_url(original))),
        v: links.recording,
        r: reason,
        ..Extra::default()
    };
    match &item.status {
        ItemStatus::Scheduled => x.r = None,
        ItemStatus::Cancelled { .. } => x.s = Some("c"),
        ItemStatus::Moved { .. } => {
            x.s = Some("m");
            x.f = moved_from;
            x.o = Some(original.to_string());
        }
    }
    x
}

/// A page's data island: the build's date, the settings the script needs, and the groups'
/// objects ([`group_data`]) by slug.
pub fn page_data<'a>(site: &Site, groups: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    #[derive(Serialize)]
    struct Head<'s> {
        /// The date the page was built for.
        asof: String,
        /// The base URL, for absolute links.
        b: &'s str,
        /// Upcoming meetings per group page, and the agenda's days.
        n: usize,
        h: u32,
    }
    let head = serde_json::to_string(&Head {
        asof: site.today.to_string(),
        b: &site.config.base_url,
        n: site.config.calendar.upcoming_per_group,
        h: site.config.calendar.horizon_days,
    })
    .expect("live data serializes");
    let mut s = script_safe(head);
    s.pop();
    s.push_str(",\"g\":{");
    // Made at its length at once: a directory page's data is tens of megabytes at 100,000
    // groups, and growing it by doubling held up to twice that while it was copied.
    // Each group is `"slug":data,`, and the text ends with `}}`.
    let groups: Vec<(&str, &str)> = groups.into_iter().collect();
    let length: usize = groups
        .iter()
        .map(|(slug, data)| slug.len() + data.len() + 4)
        .sum();
    s.reserve(length + 2);
    for (i, (slug, data)) in groups.into_iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&script_safe(
            serde_json::to_string(slug).expect("a slug serializes"),
        ));
        s.push(':');
        s.push_str(data);
    }
    s.push_str("}}");
    s
}

/// JSON that cannot end its `<script>` element: `<` only occurs inside strings, where `\u003c`
/// means the same.
fn script_safe(json: String) -> String {
    if json.contains('<') {
        json.replace('<', "\\u003c")
    } else {
        json
    }
}
