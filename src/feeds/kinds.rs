//! One feed per kind of group: `/ig/calendar.ics` and `/wg/calendar.ics`.
//!
//! Takes: the site and each group's [`FeedPart`] (made once per group for its own feed and the
//! aggregate). Gives: the two kind feeds, each written from the parts of that kind's groups, so
//! every event in them is byte for byte the event in the aggregate and in the group's own feed.
//! Each is kept while the versions of the groups it is made from are unchanged.

use super::{Feed, GroupFeed};
use crate::ical::{FeedPart, write_feed_parts};
use crate::memo::{Memo, Version};
use crate::model::Site;
use crate::output::SharedBytes;
use crate::schema::Kind;

/// The kind feeds, from `entries` (the groups' entries in `site.groups`' order).
/// `kept` holds the last IG and WG feeds, by path, with the versions they were made from.
pub(super) fn kind_feeds(
    site: &Site,
    entries: &[&GroupFeed],
    kept: &mut Memo<Vec<Version>, SharedBytes>,
) -> Vec<Feed> {
    let mut out = Vec::new();
    for kind in [Kind::Ig, Kind::Wg] {
        let adding: Vec<&GroupFeed> = site
            .groups
            .iter()
            .zip(entries)
            .filter(|(g, e)| g.kind == kind && !e.part.is_empty())
            .map(|(_, e)| *e)
            .collect();
        let key: Vec<Version> = adding.iter().map(|e| e.version).collect();
        let path = format!("{}/calendar.ics", kind.suffix());
        let text = kept
            .get_or_make(&path, &key, || {
                let parts: Vec<&FeedPart> = adding.iter().map(|e| &e.part).collect();
                kind_feed(site, kind, &parts)
            })
            .clone();
        out.push(Feed { path, text });
    }
    out
}

/// The feed of every group of `kind`, from their parts.
fn kind_feed(site: &Site, kind: Kind, parts: &[&FeedPart]) -> SharedBytes {
    let name = format!("{}s", kind.long_name());
    let text = write_feed_parts(
        &format!("{}: {name}", site.config.title),
        &format!(
            "Meetings of every {} in {} ({})",
            kind.long_name(),
            site.config.title,
            site.config.base_url
        ),
        site.config.calendar.refresh_hours,
        parts,
    );
    SharedBytes::new(text.into_bytes())
}
