//! Relations: the groups a page names as related, similar or its origin.
//!
//! Takes: one [`Group`] and the site. Gives: `related-duplicate`, `related-asymmetric` (A lists
//! B but B does not list A) and `retired-still-referenced` (a live group pointing at a retired
//! one, with its successor as the fix).

use std::collections::BTreeSet;

use super::{Ctx, live};
use crate::check::Sink;
use crate::model::Group;

pub(super) fn relations(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    let page = &g.page;
    let mut seen = BTreeSet::new();
    for r in &fm.related {
        if !seen.insert(r.get_ref().as_str()) {
            sink.at(
                "related-duplicate",
                g,
                page.pos_of(r),
                format!("`{}` is listed twice in `related`", r.get_ref()),
                "remove the second entry",
            );
        }
    }
    if !live(g) {
        return;
    }
    for r in &fm.related {
        let Some(b) = ctx.site.group(r.get_ref()) else {
            continue;
        };
        if b.slug == g.slug {
            continue;
        }
        if b.is_retired() {
            continue;
        }
        if !b.fm().related.iter().any(|x| x.get_ref() == &g.slug) {
            sink.at(
                "related-asymmetric",
                g,
                page.pos_of(r),
                format!("{} is listed as related, but it does not list {} back", b.slug, g.slug),
                format!(
                    "add \"{}\" to `related` in content/groups/{}.md if the relation holds both ways",
                    g.slug, b.slug
                ),
            );
        }
    }
    // Lineage (successor, predecessors) may name retired groups; these may not.
    let refs = fm.group_refs().into_iter().filter(|(_, key)| {
        matches!(
            *key,
            "related" | "creation.similar_groups" | "creation.origin_ig"
        )
    });
    for (r, key) in refs {
        if let Some(b) = ctx.site.group(r.get_ref())
            && b.is_retired()
        {
            let succ = b
                .fm()
                .lifecycle
                .successor
                .as_ref()
                .map(|s| s.get_ref().clone());
            sink.at(
                "retired-still-referenced",
                g,
                page.pos_of(r),
                format!("`{key}` lists {}, which is retired", b.slug),
                match succ {
                    Some(s) => format!("replace it with its successor, \"{s}\""),
                    None => "remove it".to_string(),
                },
            );
        }
    }
}
