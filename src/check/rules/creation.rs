//! The creation template: what the governance text asks a group to say when it is proposed.
//!
//! Takes: one live [`Group`] and the site (to look up the groups it names). Gives, for IGs,
//! `ig-similar-groups-missing`, `ig-differentiation-missing`, `ig-first-topic-missing` and
//! `similar-group-not-ig`; for WGs, `wg-use-cases-missing`, `wg-first-item-missing`,
//! `wg-first-item-not-ref` and `origin-ig-not-ig`.

use toml::Spanned;

use super::{Ctx, is_work_ref, live, missing_pos, table_pos};
use crate::check::Sink;
use crate::diag::Pos;
use crate::model::Group;
use crate::schema::Kind;

pub(super) fn creation(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    if !live(g) {
        return;
    }
    let page = &g.page;
    let c = g.fm().creation.as_ref();
    let cr = c.map(|c| c.get_ref());
    let pos = table_pos(page, "creation");
    let empty = |v: Option<&Spanned<String>>| -> Option<Pos> {
        match v {
            Some(s) if !s.get_ref().trim().is_empty() => None,
            Some(s) => Some(page.pos_of(s)),
            None => Some(pos),
        }
    };
    match g.kind {
        Kind::Ig => {
            match cr.and_then(|c| c.similar_groups.as_ref()) {
                None => sink.at(
                    "ig-similar-groups-missing",
                    g,
                    missing_pos(page, "creation", Some("similar_groups")),
                    "the creation template asks for IGs with potentially similar goals; `creation.similar_groups` is missing",
                    "add similar_groups = [\"<slug>\", …] under [creation], or similar_groups = [] if there are none",
                ),
                Some(list) => {
                    if !list.is_empty()
                        && let Some(p) = empty(cr.and_then(|c| c.differentiation.as_ref())) {
                            sink.at(
                                "ig-differentiation-missing",
                                g,
                                p,
                                "similar groups are listed, but `creation.differentiation` does not say how this IG differs from them",
                                "add differentiation = \"…\" under [creation]: how this IG differs from the related IGs",
                            );
                        }
                    for s in list {
                        if let Some(other) = ctx.site.group(s.get_ref())
                            && other.kind != Kind::Ig {
                                sink.at(
                                    "similar-group-not-ig",
                                    g,
                                    page.pos_of(s),
                                    format!("`{}` is a Working Group; the template asks for IGs with similar goals", other.slug),
                                    "list it under `related` instead",
                                );
                            }
                    }
                }
            }
            if let Some(p) = empty(cr.and_then(|c| c.first_topic.as_ref())) {
                sink.at(
                    "ig-first-topic-missing",
                    g,
                    p,
                    "the creation template asks for the first topic to discuss; `creation.first_topic` is missing or empty",
                    "add first_topic = \"…\" under [creation]",
                );
            }
        }
        Kind::Wg => {
            if let Some(p) = empty(cr.and_then(|c| c.use_cases.as_ref())) {
                sink.at(
                    "wg-use-cases-missing",
                    g,
                    p,
                    "the creation template asks for the interest and use cases; `creation.use_cases` is missing or empty",
                    "add use_cases = \"…\" under [creation], ideally pointing at the IG discussion they came from",
                );
            }
            match cr.and_then(|c| c.first_item.as_ref()) {
                Some(fi) if !fi.get_ref().trim().is_empty() => {
                    if !is_work_ref(fi.get_ref().trim()) {
                        sink.at(
                            "wg-first-item-not-ref",
                            g,
                            page.pos_of(fi),
                            "`creation.first_item` describes the first work item but does not reference a SEP, issue or PR",
                            "once it exists, write it as SEP-1234, owner/repo#12 or a GitHub issue/PR URL",
                        );
                    }
                }
                other => sink.at(
                    "wg-first-item-missing",
                    g,
                    other.map_or(pos, |s| page.pos_of(s)),
                    "the creation template asks for the first Issue/PR/SEP; `creation.first_item` is missing or empty",
                    "add first_item = \"SEP-1234\" (or owner/repo#12, or a GitHub URL) under [creation]",
                ),
            }
            if let Some(o) = cr.and_then(|c| c.origin_ig.as_ref())
                && let Some(other) = ctx.site.group(o.get_ref())
                && other.kind != Kind::Ig
            {
                sink.at(
                    "origin-ig-not-ig",
                    g,
                    page.pos_of(o),
                    format!("`origin_ig` names {}, a Working Group", other.slug),
                    "name the Interest Group the use cases came from, or remove origin_ig",
                );
            }
        }
    }
}
