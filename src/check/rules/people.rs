//! People: facilitators and maintainers, within one group and across the directory.
//!
//! Takes: one [`Group`] (or, for consistency, the whole [`Site`]). Gives: `facilitator-required`,
//! `person-github-missing`, `person-duplicate`, `facilitator-term-expired`, and
//! `person-consistent` (one handle, one spelling, name and organization everywhere).

use std::collections::{BTreeMap, BTreeSet};

use crate::schema::Spanned;

use super::{Ctx, d, live, missing_pos};
use crate::check::{Sink, places_text};
use crate::model::{Group, Site};
use crate::schema::Person;

pub(super) fn people(ctx: &Ctx, g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    if live(g) && fm.facilitators.is_empty() {
        sink.at(
            "facilitator-required",
            g,
            missing_pos(&g.page, "facilitators", None),
            format!(
                "this {} lists no facilitator; the creation template starts with Facilitator(s)",
                g.kind.label()
            ),
            "add a [[facilitators]] table with github = \"handle\", name = \"…\" and org = \"…\"",
        );
    }
    for (list, role) in [
        (&fm.facilitators, "facilitators"),
        (&fm.maintainers, "maintainers"),
    ] {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for p in list {
            let person = p.get_ref();
            match &person.github {
                None => sink.at(
                    "person-github-missing",
                    g,
                    g.page.pos_of(p),
                    format!(
                        "{} in `{role}` has no GitHub handle",
                        person.name.as_deref().unwrap_or("a person")
                    ),
                    "add github = \"handle\"; the handle is how the directory tells people apart",
                ),
                Some(h) => {
                    if !seen.insert(h.get_ref().to_lowercase()) {
                        sink.at(
                            "person-duplicate",
                            g,
                            g.page.pos_of(h),
                            format!("`{}` is listed twice in `{role}`", h.get_ref()),
                            "remove the second entry",
                        );
                    }
                }
            }
            if let Some(t) = &person.term_ends
                && live(g)
                && d(t) < ctx.today
            {
                sink.at(
                        "facilitator-term-expired",
                        g,
                        g.page.pos_of(t),
                        format!(
                            "{}'s term in `{role}` ended on {}",
                            person_label(person),
                            d(t)
                        ),
                        "record the renewed term (a later term_ends) or move the person out of the list",
                    );
            }
        }
    }
}

fn person_label(p: &Person) -> String {
    match (&p.name, &p.github) {
        (Some(n), _) => n.clone(),
        (None, Some(h)) => format!("@{}", h.get_ref()),
        (None, None) => "a person".into(),
    }
}

/// The same GitHub handle should have one spelling, name and organization across the directory.
pub(super) fn person_consistency(site: &Site, sink: &mut Sink) {
    for seen in people_by_handle(site).values() {
        handle_spelling(seen, sink);
        same_everywhere(seen, "name", &|p| p.name.as_deref(), sink);
        same_everywhere(seen, "org", &|p| p.org.as_deref(), sink);
    }
}

/// One place a person is listed: its group, its handle as written, and the list it is in.
struct Seen<'a> {
    g: &'a Group,
    handle: &'a Spanned<String>,
    person: &'a Person,
    role: &'static str,
}

/// Every facilitator and maintainer with a GitHub handle, by handle without case.
fn people_by_handle(site: &Site) -> BTreeMap<String, Vec<Seen<'_>>> {
    let mut by_handle: BTreeMap<String, Vec<Seen>> = BTreeMap::new();
    for g in &site.groups {
        for (list, role) in [
            (&g.fm().facilitators, "facilitators"),
            (&g.fm().maintainers, "maintainers"),
        ] {
            for p in list {
                if let Some(h) = &p.get_ref().github {
                    by_handle
                        .entry(h.get_ref().to_lowercase())
                        .or_default()
                        .push(Seen {
                            g,
                            handle: h,
                            person: p.get_ref(),
                            role,
                        });
                }
            }
        }
    }
    by_handle
}

/// The most common value (first seen on a tie), taken as right; the others are reported.
fn canonical<'a>(values: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(x, _)| *x == v) {
            Some(c) => c.1 += 1,
            None => counts.push((v, 1)),
        }
    }
    let max = counts.iter().map(|c| c.1).max()?;
    counts.into_iter().find(|c| c.1 == max).map(|c| c.0)
}

/// Where `seen` has the value `want` (of `f`), as a finding names the places.
fn places_with<'a>(
    seen: &[Seen<'a>],
    want: &str,
    f: &dyn Fn(&Seen<'a>) -> Option<&'a str>,
) -> String {
    // A place is a group and a list: consecutive rows of one list name it once.
    let mut places: Vec<(&str, &str)> = seen
        .iter()
        .filter(|s| f(s) == Some(want))
        .map(|s| (s.g.slug.as_str(), s.role))
        .collect();
    places.dedup();
    // A handle written one way on thousands of pages is not listed whole in each finding, and
    // only the places shown are written out.
    let total = places.len();
    places_text(
        places
            .into_iter()
            .map(|(slug, role)| format!("{slug} ({role})")),
        total,
    )
}

/// A handle written other than its most common spelling.
fn handle_spelling(seen: &[Seen], sink: &mut Sink) {
    let Some(c) = canonical(seen.iter().map(|s| s.handle.get_ref().as_str())) else {
        return;
    };
    // The places are written out only for a handle that has a finding: most have none.
    let mut places = None;
    for s in seen.iter().filter(|s| s.handle.get_ref() != c) {
        let places =
            places.get_or_insert_with(|| places_with(seen, c, &|x| Some(x.handle.get_ref())));
        sink.at(
            "person-consistent",
            s.g,
            s.g.page.pos_of(s.handle),
            format!(
                "GitHub handle `{}` is written `{c}` elsewhere",
                s.handle.get_ref()
            ),
            format!("write `{c}` as in {places}"),
        );
    }
}

/// A person's `field` (read by `get`) other than its most common value for the same handle.
fn same_everywhere(
    seen: &[Seen],
    field: &str,
    get: &dyn Fn(&Person) -> Option<&str>,
    sink: &mut Sink,
) {
    let Some(c) = canonical(seen.iter().filter_map(|s| get(s.person))) else {
        return;
    };
    // As for the handle: the places are written out only when there is a finding.
    let mut places = None;
    for s in seen {
        let Some(v) = get(s.person) else { continue };
        if v != c {
            let places = places.get_or_insert_with(|| places_with(seen, c, &|x| get(x.person)));
            sink.at(
                "person-consistent",
                s.g,
                s.g.page.pos_of(s.handle),
                format!(
                    "`{}` has {field} \"{v}\" here but \"{c}\" in {places}",
                    s.handle.get_ref(),
                ),
                format!("use one {field} for a person everywhere (update all pages if it changed)"),
            );
        }
    }
}
