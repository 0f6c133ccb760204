//! One person, two GitHub handles: the same name written with different handles across or
//! within pages.
//!
//! Takes: the validated [`Site`]. Gives: `person-name-handles` findings (information: people do
//! change handles, and the sources may record an old one) pushed into a [`Sink`], one per
//! handle that differs from the one the name is written with most often, located at that
//! handle and naming every place the other handle is written.
//!
//! `person-consistent` looks the other way round (one handle, several names or organizations).

use std::collections::BTreeMap;

use crate::schema::Spanned;

use super::Sink;
use crate::model::{Group, Site};

/// One facilitator or maintainer row that has both a name and a handle.
struct Row<'a> {
    g: &'a Group,
    role: &'static str,
    name: &'a str,
    handle: &'a Spanned<String>,
}

impl Row<'_> {
    fn handle_key(&self) -> String {
        self.handle.get_ref().to_lowercase()
    }

    /// "security-ig (maintainers)".
    fn place(&self) -> String {
        format!("{} ({})", self.g.slug, self.role)
    }
}

/// Names compare without case and with runs of white space as one space.
fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Every named row with a handle, grouped by name, in site order (groups by slug,
/// facilitators before maintainers).
fn rows_by_name(site: &Site) -> BTreeMap<String, Vec<Row<'_>>> {
    let mut by_name: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for g in &site.groups {
        for (list, role) in [
            (&g.fm().facilitators, "facilitators"),
            (&g.fm().maintainers, "maintainers"),
        ] {
            for p in list {
                let p = p.get_ref();
                if let (Some(name), Some(handle)) = (p.name.as_deref(), p.github.as_ref())
                    && !name.trim().is_empty()
                {
                    by_name.entry(name_key(name)).or_default().push(Row {
                        g,
                        role,
                        name,
                        handle,
                    });
                }
            }
        }
    }
    by_name
}

/// The handle a name is written with most often; the first seen wins a tie.
fn usual_handle(rows: &[Row]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for r in rows {
        let key = r.handle_key();
        match counts.iter_mut().find(|(h, _)| *h == key) {
            Some(c) => c.1 += 1,
            None => counts.push((key, 1)),
        }
    }
    let max = counts.iter().map(|c| c.1).max().unwrap_or(0);
    counts
        .into_iter()
        .find(|c| c.1 == max)
        .map(|c| c.0)
        .unwrap_or_default()
}

/// Reports each handle a name is written with besides its usual one, at that handle's first row.
pub fn same_name_two_handles(site: &Site, sink: &mut Sink) {
    for rows in rows_by_name(site).values() {
        let usual = usual_handle(rows);
        let mut reported: Vec<String> = vec![usual.clone()];
        for row in rows {
            let key = row.handle_key();
            if reported.contains(&key) {
                continue;
            }
            reported.push(key.clone());
            // Each other handle once, with every place it is written.
            let mut elsewhere: Vec<(String, Vec<String>)> = Vec::new();
            for other in rows.iter().filter(|o| o.handle_key() != key) {
                let handle = other.handle.get_ref().clone();
                match elsewhere.iter_mut().find(|(h, _)| *h == handle) {
                    Some((_, places)) => places.push(other.place()),
                    None => elsewhere.push((handle, vec![other.place()])),
                }
            }
            let elsewhere: Vec<String> = elsewhere
                .into_iter()
                .map(|(h, places)| format!("`{h}` in {}", places.join(", ")))
                .collect();
            sink.at(
                "person-name-handles",
                row.g,
                row.g.page.pos_of(row.handle),
                format!(
                    "{} is written with GitHub handle `{}` here, in {}, and with {}",
                    row.name,
                    row.handle.get_ref(),
                    row.place(),
                    elsewhere.join("; ")
                ),
                "if it is one person, write their current handle everywhere; if they are two people, tell them apart in `name`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_and_spacing() {
        assert_eq!(name_key("  Den   Delimarsky "), name_key("den delimarsky"));
        assert_ne!(name_key("Den Delimarsky"), name_key("Dan Delimarsky"));
    }
}
