//! The calendar stage: the site's groups turned into iCalendar feeds.
//!
//! Takes: the validated [`Site`]. Gives, to the build's [`Sink`] as each is made:
//! `calendar.ics` (every group) and `ig/calendar.ics` and `wg/calendar.ics` (one kind, see
//! `kinds`) and `groups/<slug>/calendar.ics` (one group). Each group's part of a feed is made
//! once, from that group alone ([`crate::ical::feed_part`]), and each feed is its groups' parts
//! put together ([`crate::ical::write_feed_parts`]), so a group's feed is an exact subset of
//! the aggregate.
//!
//! Nothing here reads the clock or "today": a feed must stay right for months without a rebuild,
//! and the same content must give the same bytes. DTSTAMP is therefore derived from the group's
//! own data (see [`dtstamp`]).

use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::ical::{FeedGroup, FeedPart, feed_part, write_feed_parts};
use crate::memo::{Environment, Memo, Version, Versions};
use crate::model::{Group, Site};
use crate::output::{SharedBytes, Sink};
use crate::schema::Status;
use crate::source::SourceFile;

mod kinds;

/// One feed: its output path and text.
pub struct Feed {
    /// Output path, e.g. `calendar.ics`.
    pub path: String,
    /// Shared with the [`FeedCache`] that keeps it.
    pub text: SharedBytes,
}

/// What the calendar stage keeps between builds ([`crate::memo`]'s rules): each group's feed
/// and its part of the aggregate, made from the group's page and the settings alone (see
/// `feed_group`), kept while the page is unchanged; and the aggregate feed, kept while every
/// group that adds to it is unchanged. A group's page text determines the group (the render
/// cache relies on the same), and nothing here reads "today".
///
/// A cache for one build ([`FeedCache::for_one_build`]) keeps no group's feed: each is handed
/// on as soon as it is made and only its part stays, for the feeds of many groups.
#[derive(Default)]
pub struct FeedCache {
    /// The settings everything kept was made with.
    config: Environment<SiteConfig>,
    versions: Versions,
    /// By slug, made from the group's page.
    groups: Memo<SourceFile, GroupFeed>,
    /// The aggregate, made from the versions of the groups that add to it.
    aggregate: Memo<Vec<Version>, SharedBytes>,
    /// The feeds of IGs and of WGs, made like the aggregate.
    kinds: Memo<Vec<Version>, SharedBytes>,
    /// True for a cache thrown away after one build: it keeps no group's own feed. At 100,000
    /// groups they are some 150 MB, held at once beside the site.
    one_build: bool,
}

impl FeedCache {
    /// A cache for one build: it keeps each group's part of the feeds of many groups while the
    /// stage runs, and no group's own feed.
    pub fn for_one_build() -> Self {
        FeedCache {
            one_build: true,
            ..FeedCache::default()
        }
    }
}

#[cfg(test)]
impl FeedCache {
    /// How many groups' own feeds are kept.
    pub(crate) fn group_feeds_kept(&self) -> usize {
        self.groups
            .values()
            .filter(|e| e.feed.get().is_some())
            .count()
    }
}

/// One group's part of the feeds of many groups, and its own feed once made when the cache
/// keeps it.
struct GroupFeed {
    version: Version,
    part: FeedPart,
    feed: OnceLock<SharedBytes>,
}

/// The output path of the aggregate feed.
const AGGREGATE: &str = "calendar.ics";

/// Makes the aggregate feed, the kinds' feeds and one feed per group, reusing from `cache` what
/// is unchanged and keeping what is made, and puts each into `sink` as soon as it is made.
pub fn put_feeds(site: &Site, cache: &mut FeedCache, sink: &dyn Sink) -> anyhow::Result<()> {
    if !cache
        .config
        .unchanged(|c| *c == site.config, || site.config.clone())
    {
        cache.groups.clear();
        cache.aggregate.clear();
        cache.kinds.clear();
    }
    keep_group_parts(site, cache);
    let FeedCache {
        groups,
        aggregate,
        kinds,
        one_build,
        ..
    } = cache;
    let entries: Vec<&GroupFeed> = (site.groups.iter())
        .map(|g| groups.kept(&g.slug).expect("every group's part is kept"))
        .collect();
    // The feeds of many groups on one core, one after the other, beside the groups' own on the
    // others: `check` parses each feed back into trees several times its size, and two of the
    // large ones at once were its peak at 100,000 groups.
    let (many, own) = rayon::join(
        || {
            sink.put(AGGREGATE, aggregate_feed(site, &entries, aggregate))?;
            let kinds = kinds::kind_feeds(site, &entries, kinds);
            (kinds.into_iter()).try_for_each(|feed| sink.put(&feed.path, feed.text))
        },
        || put_group_feeds(site, &entries, !*one_build, sink),
    );
    many.and(own)
}

/// Makes the part of each group whose page changed since it was kept (reading the cache only),
/// on every core, then keeps them, each with a new version, and forgets the groups that are
/// gone.
fn keep_group_parts(site: &Site, cache: &mut FeedCache) {
    let host = site.host();
    let made: Vec<Option<FeedPart>> = (site.groups.par_iter())
        .map(|g| {
            let kept = cache.groups.get(&g.slug, &g.page.source).is_some();
            (!kept).then(|| feed_part(&feed_group(site, g), host))
        })
        .collect();
    for (g, made) in site.groups.iter().zip(made) {
        if let Some(part) = made {
            let entry = GroupFeed {
                version: cache.versions.new_version(),
                part,
                feed: OnceLock::new(),
            };
            cache
                .groups
                .keep(g.slug.clone(), g.page.source.clone(), entry);
        }
    }
    cache
        .groups
        .prune(site.groups.iter().map(|g| g.slug.as_str()));
}

/// Puts each group's own feed into `sink` on every core, made from its part: when `keeps`, the
/// one kept, made and kept if there is none yet.
fn put_group_feeds(
    site: &Site,
    entries: &[&GroupFeed],
    keeps: bool,
    sink: &dyn Sink,
) -> anyhow::Result<()> {
    (site.groups.par_iter().zip(entries)).try_for_each(|(g, e)| {
        let make = || group_feed(site, g, &e.part);
        let feed = match keeps {
            true => e.feed.get_or_init(make).clone(),
            false => make(),
        };
        sink.put(&format!("groups/{}/calendar.ics", g.slug), feed)
    })
}

/// A group's own feed, from its part.
fn group_feed(site: &Site, g: &Group, part: &FeedPart) -> SharedBytes {
    let feed = write_feed_parts(
        &format!("{} meetings", g.short_label()),
        &format!(
            "Meetings of the MCP {} ({})",
            g.full_name(),
            site.abs_url(&g.url_path())
        ),
        site.config.calendar.refresh_hours,
        &[part],
    );
    SharedBytes::new(feed.into_bytes())
}

/// The feed of every group, `calendar.ics`: the kept one while the groups that add to it are
/// unchanged, else made from their parts (groups without events or zones add nothing).
fn aggregate_feed(
    site: &Site,
    entries: &[&GroupFeed],
    kept: &mut Memo<Vec<Version>, SharedBytes>,
) -> SharedBytes {
    let adding: Vec<&GroupFeed> = (entries.iter().copied())
        .filter(|e| !e.part.is_empty())
        .collect();
    let key: Vec<Version> = adding.iter().map(|e| e.version).collect();
    let make = || {
        let parts: Vec<&FeedPart> = adding.iter().map(|e| &e.part).collect();
        aggregate_text(site, &parts)
    };
    kept.get_or_make(AGGREGATE, &key, make).clone()
}

/// The text of the feed of every group, from the parts of those that add to it.
fn aggregate_text(site: &Site, parts: &[&FeedPart]) -> SharedBytes {
    let text = write_feed_parts(
        &site.config.title,
        &format!(
            "Meetings of every group in {} ({})",
            site.config.title, site.config.base_url
        ),
        site.config.calendar.refresh_hours,
        parts,
    );
    SharedBytes::new(text.into_bytes())
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
