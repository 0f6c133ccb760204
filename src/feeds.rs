//! The calendar stage: the site's groups turned into iCalendar feeds.
//!
//! Takes: the validated [`Site`]. Gives: `calendar.ics` (every group) and
//! `groups/<slug>/calendar.ics` (one group), written by [`crate::ical::write_feed`]. Each group's
//! events are built from that group alone, so a group's feed is an exact subset of the aggregate.
//!
//! Nothing here reads the clock or "today": a feed must stay right for months without a rebuild,
//! and the same content must give the same bytes. DTSTAMP is therefore derived from the group's
//! own data (see [`dtstamp`]).

use jiff::Timestamp;
use jiff::civil::Date;

use crate::ical::{FeedGroup, FeedInput, write_feed};
use crate::model::{Group, Site};
use crate::schema::Status;

/// One feed: its output path and text.
pub struct Feed {
    pub path: String,
    pub text: String,
}

/// The aggregate feed and one feed per group that has meetings.
pub fn feeds(site: &Site) -> Vec<Feed> {
    let host = site.host().to_string();
    let refresh = site.config.calendar.refresh_hours;
    let mut out = Vec::new();
    let all: Vec<FeedGroup> = site.groups.iter().map(|g| feed_group(site, g)).collect();
    out.push(Feed {
        path: "calendar.ics".into(),
        text: write_feed(
            &FeedInput {
                cal_name: site.config.title.clone(),
                cal_desc: format!(
                    "Meetings of every group in {} ({})",
                    site.config.title, site.config.base_url
                ),
                refresh_hours: refresh,
                groups: all,
            },
            &host,
        ),
    });
    for g in &site.groups {
        out.push(Feed {
            path: format!("groups/{}/calendar.ics", g.slug),
            text: write_feed(
                &FeedInput {
                    cal_name: format!("{} meetings", g.short_label()),
                    cal_desc: format!(
                        "Meetings of the MCP {} ({})",
                        g.full_name(),
                        site.abs_url(&g.url_path())
                    ),
                    refresh_hours: refresh,
                    groups: vec![feed_group(site, g)],
                },
                &host,
            ),
        });
    }
    out
}

fn feed_group<'a>(site: &Site, g: &'a Group) -> FeedGroup<'a> {
    let fm = g.fm();
    let mut categories = vec![g.topic.clone()];
    categories.extend(g.calendar_tag().map(str::to_string));
    categories.extend(g.channel().map(str::to_string));
    categories.extend(fm.calendar.extra_tags.iter().cloned());
    let notes_location = fm
        .links
        .notes_index
        .as_ref()
        .map(|u| u.get_ref().clone())
        .or_else(|| fm.facts.notes.clone());
    let retired = match g.status() {
        // A retired group with no recorded date publishes nothing from the first day it could
        // have been retired: its own earliest date. Without any date it publishes nothing new.
        Status::Retired => Some(
            fm.lifecycle
                .retired
                .as_ref()
                .map(|d| d.get_ref().0)
                .unwrap_or(Date::MIN),
        ),
        _ => None,
    };
    FeedGroup {
        slug: g.slug.clone(),
        name: g.name().to_string(),
        kind_long: g.kind.long_name().to_string(),
        topic: g.topic.clone(),
        channel: g.channel().map(str::to_string),
        categories,
        page_url: site.abs_url(&g.url_path()),
        notes_location,
        tentative: g.status() == Status::Proposed,
        retired,
        dtstamp: dtstamp(g),
        series: &g.meetings.series,
        one_offs: &g.meetings.one_offs,
    }
}

/// A deterministic DTSTAMP: midnight UTC of the latest date the group's page mentions (lifecycle
/// dates, schedule starts, exceptions, meeting records). It moves forward when the page gains a
/// later fact, which is when subscribers should see a newer stamp, and never depends on when the
/// build ran.
pub fn dtstamp(g: &Group) -> Timestamp {
    let fm = g.fm();
    let l = &fm.lifecycle;
    let mut dates: Vec<Date> = [
        &l.proposed,
        &l.approved,
        &l.active,
        &l.chartered,
        &l.rechartered,
        &l.retired,
        &l.vetoed,
    ]
    .into_iter()
    .flatten()
    .map(|d| d.get_ref().0)
    .collect();
    for s in &fm.schedule {
        let s = s.get_ref();
        dates.push(s.start.get_ref().0.date());
        for e in &s.exceptions {
            let e = e.get_ref();
            dates.push(e.date.get_ref().0);
            dates.extend(e.to.as_ref().map(|t| t.get_ref().0.date()));
        }
    }
    for m in &fm.meetings {
        dates.push(m.get_ref().date.get_ref().0);
    }
    let latest = dates
        .into_iter()
        .max()
        .unwrap_or(jiff::civil::date(2025, 1, 1));
    latest
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}
