//! Channels and calendar tags: one Discord channel per live group, named `<topic>-<ig|wg>`, and
//! calendar events tagged with it.
//!
//! Takes: one [`Group`] (or, for clashes, the whole [`Site`]). Gives: `channel-missing`,
//! `channel-suffix-kind`, `channel-topic`, `channel-exception-unneeded`, `calendar-tag-mismatch`,
//! and across groups `channel-duplicate` (a live channel that is another group's former one) and
//! `channel-id-duplicate`.

use std::collections::BTreeMap;

use crate::schema::Spanned;

use super::{live, table_pos};
use crate::check::Sink;
use crate::model::{Group, Site};

/// A live group's channel and calendar tag against the naming rules.
pub(super) fn channels(g: &Group, sink: &mut Sink) {
    if !live(g) {
        return;
    }
    let expected = format!("{}-{}", g.topic, g.kind.suffix());
    let discord = g.fm().discord.as_ref().map(|d| d.get_ref());
    let Some(ch) = discord.and_then(|d| d.channel.as_ref()) else {
        if !discord.is_some_and(|d| d.pending) {
            channel_missing(g, &expected, sink);
        }
        return;
    };
    let exception = discord
        .and_then(|d| d.channel_exception.as_deref())
        .filter(|e| !e.trim().is_empty());
    match exception {
        None => channel_pattern(g, ch, &expected, sink),
        Some(_) if ch.get_ref() == &expected => exception_unneeded(g, ch, sink),
        Some(_) => {}
    }
    calendar_tag(g, ch.get_ref(), sink);
}

/// A live group without a channel, and not waiting for one.
fn channel_missing(g: &Group, expected: &str, sink: &mut Sink) {
    sink.at(
        "channel-missing",
        g,
        table_pos(&g.page, "discord"),
        format!(
            "this {} has no Discord channel; the governance text expects regular conversations in the group's channel",
            g.kind.label()
        ),
        format!(
            "add [discord] channel = \"{expected}\", or pending = true while the channel is being created"
        ),
    );
}

/// A channel (with no exception written) that does not end in the group's kind, or is not
/// `<topic>-<kind>`.
fn channel_pattern(g: &Group, ch: &Spanned<String>, expected: &str, sink: &mut Sink) {
    let kind = g.kind.suffix();
    let name = ch.get_ref();
    if !name.ends_with(&format!("-{kind}")) {
        sink.at(
            "channel-suffix-kind",
            g,
            g.page.pos_of(ch),
            format!(
                "channel `{name}` does not end in `-{kind}`, as an {}'s channel should",
                g.kind.label()
            ),
            format!(
                "rename the channel to `{expected}`, or set channel_exception = \"<why>\" under [discord]"
            ),
        );
    } else if name != expected {
        sink.at(
            "channel-topic",
            g,
            g.page.pos_of(ch),
            format!("channel `{name}` is not `<topic>-{kind}` (`{expected}`)"),
            format!(
                "set topic = \"{}\" if that is the group's primary topic, or use the channel `{expected}`",
                name.trim_end_matches(&format!("-{kind}"))
            ),
        );
    }
}

/// An exception written for a channel that follows the pattern.
fn exception_unneeded(g: &Group, ch: &Spanned<String>, sink: &mut Sink) {
    sink.at(
        "channel-exception-unneeded",
        g,
        g.page.pos_of(ch),
        format!(
            "`channel_exception` is set, but `{}` follows the `<topic>-{}` pattern",
            ch.get_ref(),
            g.kind.suffix()
        ),
        "remove channel_exception",
    );
}

/// A calendar tag other than the channel's name.
fn calendar_tag(g: &Group, channel: &str, sink: &mut Sink) {
    let Some(tag) = &g.fm().calendar.tag else {
        return;
    };
    if tag.get_ref() != channel {
        sink.at(
            "calendar-tag-mismatch",
            g,
            g.page.pos_of(tag),
            format!(
                "calendar tag `{}` differs from the channel `{channel}`; the governance text asks for events tagged with the channel name",
                tag.get_ref()
            ),
            "tag the group's calendar events with the channel name and remove [calendar] tag (it defaults to the channel)",
        );
    }
}

/// Live channels that are another group's former channel, and shared channel ids.
pub(super) fn channel_clashes(site: &Site, sink: &mut Sink) {
    let mut legacy: BTreeMap<&str, Vec<&Group>> = BTreeMap::new();
    let mut ids: BTreeMap<&str, Vec<(&Group, &Spanned<String>)>> = BTreeMap::new();
    for g in &site.groups {
        if let Some(dc) = &g.fm().discord {
            for l in &dc.get_ref().legacy_channels {
                legacy.entry(l.get_ref()).or_default().push(g);
            }
            if let Some(id) = &dc.get_ref().channel_id
                && live(g)
            {
                ids.entry(id.get_ref()).or_default().push((g, id));
            }
        }
    }
    for g in site.groups.iter().filter(|g| live(g)) {
        let Some(ch) = g
            .fm()
            .discord
            .as_ref()
            .and_then(|d| d.get_ref().channel.as_ref())
        else {
            continue;
        };
        for other in legacy.get(ch.get_ref().as_str()).into_iter().flatten() {
            if other.slug != g.slug {
                sink.at(
                    "channel-duplicate",
                    g,
                    g.page.pos_of(ch),
                    format!(
                        "channel `{}` is listed as a former channel of {}",
                        ch.get_ref(),
                        other.slug
                    ),
                    format!(
                        "a live channel belongs to one group: correct this channel or remove it from {}'s legacy_channels",
                        other.slug
                    ),
                );
            }
        }
    }
    for users in ids.values().filter(|u| u.len() > 1) {
        for (g, id) in users {
            let others: Vec<&str> = users
                .iter()
                .filter(|(o, _)| o.slug != g.slug)
                .map(|(o, _)| o.slug.as_str())
                .collect();
            sink.at(
                "channel-id-duplicate",
                g,
                g.page.pos_of(id),
                format!(
                    "channel id {} is also the channel id of {}",
                    id.get_ref(),
                    others.join(", ")
                ),
                "copy the id of this group's own channel (Discord: Copy Channel ID)",
            );
        }
    }
}
