//! One feed per kind of group: `/ig/calendar.ics` and `/wg/calendar.ics`.
//!
//! Takes: the site and each group's [`FeedPart`] (made once per group for its own feed and the
//! aggregate). Gives: the two kind feeds, each written from the parts of that kind's groups, so
//! every event in them is byte for byte the event in the aggregate and in the group's own feed.
//! Each is kept while the versions of the groups it is made from are unchanged.

use super::{Feed, FeedEntry};
use crate::ical::{FeedPart, write_feed_parts};
use crate::model::Site;
use crate::output::SharedBytes;
use crate::schema::Kind;

/// The kind feeds, from `entries` (the groups' entries in `site.groups`' order).
/// `kept` holds the last IG and WG feeds with the versions they were made from.
pub(super) fn kind_feeds(
    site: &Site,
    entries: &[&FeedEntry],
    kept: &mut [Option<(Vec<u64>, SharedBytes)>; 2],
) -> Vec<Feed> {
    let mut out = Vec::new();
    for (i, kind) in [Kind::Ig, Kind::Wg].into_iter().enumerate() {
        let adding: Vec<&FeedEntry> = site
            .groups
            .iter()
            .zip(entries)
            .filter(|(g, e)| g.kind == kind && !e.part.is_empty())
            .map(|(_, e)| *e)
            .collect();
        let key: Vec<u64> = adding.iter().map(|e| e.version).collect();
        let text = match &kept[i] {
            Some((k, text)) if *k == key => text.clone(),
            _ => {
                let parts: Vec<&FeedPart> = adding.iter().map(|e| &e.part).collect();
                let name = format!("{}s", kind.long_name());
                let text = SharedBytes::new(
                    write_feed_parts(
                        &format!("{}: {name}", site.config.title),
                        &format!(
                            "Meetings of every {} in {} ({})",
                            kind.long_name(),
                            site.config.title,
                            site.config.base_url
                        ),
                        site.config.calendar.refresh_hours,
                        &parts,
                    )
                    .into_bytes(),
                );
                kept[i] = Some((key, text.clone()));
                text
            }
        };
        out.push(Feed {
            path: format!("{}/calendar.ics", kind.suffix()),
            text,
        });
    }
    out
}
