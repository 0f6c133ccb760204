//! The creation template: what the governance text asks a group to say when it is proposed.
//!
//! Takes: one live [`Group`] and the site (to look up the groups it names). Gives, for IGs,
//! `ig-similar-groups-missing`, `ig-differentiation-missing`, `ig-first-topic-missing` and
//! `similar-group-not-ig`; for WGs, `wg-use-cases-missing`, `wg-first-item-missing`,
//! `wg-first-item-not-ref` and `origin-ig-not-ig`.

use crate::schema::Spanned;

use super::{Ctx, is_work_ref, live, missing_pos, table_pos};
use crate::check::Sink;
use crate::diag::Pos;
use crate::model::Group;
use crate::schema::{Creation, Kind};

pub(super) fn creation(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    if !live(g) {
        return;
    }
    let creation = g.fm().creation.as_ref().map(|c| c.get_ref());
    let empty = Creation::default();
    let cr = creation.unwrap_or(&empty);
    match g.kind {
        Kind::Ig => ig_template(ctx, g, cr, sink),
        Kind::Wg => wg_template(ctx, g, cr, sink),
    }
}

/// Where an empty or missing answer is reported: at the empty value, else at `[creation]` (or
/// the page's top). `None` when the answer is there.
fn unanswered(g: &Group, v: Option<&Spanned<String>>) -> Option<Pos> {
    match v {
        Some(s) if !s.get_ref().trim().is_empty() => None,
        Some(s) => Some(g.page.pos_of(s)),
        None => Some(table_pos(&g.page, "creation")),
    }
}

/// The IG template: similar IGs (and how this one differs), and the first topic.
fn ig_template(ctx: &Ctx, g: &Group, cr: &Creation, sink: &mut Sink) {
    let page = &g.page;
    match &cr.similar_groups {
        None => sink.at(
            "ig-similar-groups-missing",
            g,
            missing_pos(page, "creation", Some("similar_groups")),
            "the creation template asks for IGs with potentially similar goals; `creation.similar_groups` is missing",
            "add similar_groups = [\"<slug>\", …] under [creation], or similar_groups = [] if there are none",
        ),
        Some(list) => {
            if !list.is_empty()
                && let Some(p) = unanswered(g, cr.differentiation.as_ref())
            {
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
                    && other.kind != Kind::Ig
                {
                    sink.at(
                        "similar-group-not-ig",
                        g,
                        page.pos_of(s),
                        format!(
                            "`{}` is a Working Group; the template asks for IGs with similar goals",
                            other.slug
                        ),
                        "list it under `related` instead",
                    );
                }
            }
        }
    }
    if let Some(p) = unanswered(g, cr.first_topic.as_ref()) {
        sink.at(
            "ig-first-topic-missing",
            g,
            p,
            "the creation template asks for the first topic to discuss; `creation.first_topic` is missing or empty",
            "add first_topic = \"…\" under [creation]",
        );
    }
}

/// The WG template: the interest and use cases, the first Issue/PR/SEP, and the IG they came
/// from.
fn wg_template(ctx: &Ctx, g: &Group, cr: &Creation, sink: &mut Sink) {
    let page = &g.page;
    if let Some(p) = unanswered(g, cr.use_cases.as_ref()) {
        sink.at(
            "wg-use-cases-missing",
            g,
            p,
            "the creation template asks for the interest and use cases; `creation.use_cases` is missing or empty",
            "add use_cases = \"…\" under [creation], ideally pointing at the IG discussion they came from",
        );
    }
    match unanswered(g, cr.first_item.as_ref()) {
        Some(p) => sink.at(
            "wg-first-item-missing",
            g,
            p,
            "the creation template asks for the first Issue/PR/SEP; `creation.first_item` is missing or empty",
            "add first_item = \"SEP-1234\" (or owner/repo#12, or a GitHub URL) under [creation]",
        ),
        None => {
            let fi = cr.first_item.as_ref().expect("answered");
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
    }
    if let Some(o) = &cr.origin_ig
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
