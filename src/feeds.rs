//! The calendar stage: the site's groups turned into iCalendar feeds.
//!
//! Takes: the validated [`Site`]. Gives: `calendar.ics` (every group) and
//! `groups/<slug>/calendar.ics` (one group). Each group's part of a feed is made once, from that
//! group alone ([`crate::ical::feed_part`]), and each feed is its groups' parts put together
//! ([`crate::ical::write_feed_parts`]), so a group's feed is an exact subset of the aggregate.
//!
//! Nothing here reads the clock or "today": a feed must stay right for months without a rebuild,
//! and the same content must give the same bytes. DTSTAMP is therefore derived from the group's
//! own data (see [`dtstamp`]).

use jiff::Timestamp;
use jiff::civil::Date;

use std::collections::HashMap;

use crate::config::SiteConfig;
use crate::ical::{FeedGroup, FeedPart, feed_part, write_feed_parts};
use crate::model::{Group, Site};
use crate::output::SharedBytes;
use crate::schema::Status;
use crate::source::SourceFile;

/// One feed: its output path and text.
pub struct Feed {
    pub path: String,
    /// Shared with the [`FeedCache`] that keeps it.
    pub text: SharedBytes,
}

/// The aggregate feed and one feed per group.
pub fn feeds(site: &Site) -> Vec<Feed> {
    feeds_cached(site, &mut FeedCache::default())
}

/// What `serve` keeps between builds: each group's feed and its part of the aggregate feed
/// (made from the group's page and the settings alone, see [`feed_group`]), kept while the
/// group's page text and the settings are unchanged, and the aggregate feed, kept while every
/// group that adds to it is unchanged. A group's page text determines the group (the render
/// cache relies on the same, see `render::RenderCache`), and nothing here reads "today".
#[derive(Default)]
pub struct FeedCache {
    config: Option<SiteConfig>,
    /// The last version number handed out: one per group page text, never reused.
    last_version: u64,
    /// By slug.
    groups: HashMap<String, FeedEntry>,
    /// The versions of the groups the aggregate was made from, and its text.
    aggregate: Option<(Vec<u64>, SharedBytes)>,
}

struct FeedEntry {
    /// The page the entry was made from.
    source: SourceFile,
    version: u64,
    part: FeedPart,
    feed: SharedBytes,
}

/// [`feeds`], reusing from `cache` what is unchanged and keeping what it makes.
pub fn feeds_cached(site: &Site, cache: &mut FeedCache) -> Vec<Feed> {
    if cache.config.as_ref() != Some(&site.config) {
        *cache = FeedCache {
            config: Some(site.config.clone()),
            last_version: cache.last_version,
            ..FeedCache::default()
        };
    }
    let host = site.host().to_string();
    let refresh = site.config.calendar.refresh_hours;
    for g in &site.groups {
        let source = &g.page.source;
        if cache
            .groups
            .get(&g.slug)
            .is_some_and(|e| e.source == *source)
        {
            continue;
        }
        let part = feed_part(&feed_group(site, g), &host);
        let feed = write_feed_parts(
            &format!("{} meetings", g.short_label()),
            &format!(
                "Meetings of the MCP {} ({})",
                g.full_name(),
                site.abs_url(&g.url_path())
            ),
            refresh,
            &[&part],
        );
        cache.last_version += 1;
        let entry = FeedEntry {
            source: source.clone(),
            version: cache.last_version,
            part,
            feed: SharedBytes::new(feed.into_bytes()),
        };
        cache.groups.insert(g.slug.clone(), entry);
    }
    if cache.groups.len() > site.groups.len() {
        cache.groups.retain(|slug, _| site.group(slug).is_some());
    }

    let entries: Vec<&FeedEntry> = site.groups.iter().map(|g| &cache.groups[&g.slug]).collect();
    // Groups without events or zones add nothing to the aggregate.
    let adding: Vec<&FeedEntry> = entries
        .iter()
        .copied()
        .filter(|e| !e.part.is_empty())
        .collect();
    let key: Vec<u64> = adding.iter().map(|e| e.version).collect();
    let aggregate = match &cache.aggregate {
        Some((k, text)) if *k == key => text.clone(),
        _ => {
            let parts: Vec<&FeedPart> = adding.iter().map(|e| &e.part).collect();
            let text = SharedBytes::new(
                write_feed_parts(
                    &site.config.title,
                    &format!(
                        "Meetings of every group in {} ({})",
                        site.config.title, site.config.base_url
                    ),
                    refresh,
                    &parts,
                )
                .into_bytes(),
            );
            cache.aggregate = Some((key, text.clone()));
            text
        }
    };

    let mut out = Vec::with_capacity(site.groups.len() + 1);
    out.push(Feed {
        path: "calendar.ics".into(),
        text: aggregate,
    });
    for (g, e) in site.groups.iter().zip(&entries) {
        out.push(Feed {
            path: format!("groups/{}/calendar.ics", g.slug),
            text: e.feed.clone(),
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
    let retired = g.meetings_end();
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
