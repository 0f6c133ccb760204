//! One person, two GitHub handles: the same name written with different handles across or
//! within pages.
//!
//! Takes: the validated [`Site`]. Gives: `person-name-handles` findings (information: people do
//! change handles, and the sources may record an old one) pushed into a [`Sink`], one per
//! handle that differs from the one the name is written with most often, located at that
//! handle's first row and naming where the name's other handles are written (at most five
//! handles and five places each; the rest are counted, so a finding stays short on any site).
//!
//! `person-consistent` looks the other way round (one handle, several names or organizations).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::schema::Spanned;

use super::{Sink, places_text};
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
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key.to_lowercase()
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

/// How many other handles a finding names (and [`super::PLACES_SHOWN`] places for each): a name
/// written with many handles across a large site would otherwise give as many findings, each
/// as long as the site.
const HANDLES_SHOWN: usize = 5;

/// A name's rows with one handle as written, in row order.
struct Spelling<'r, 'a> {
    handle: &'a str,
    key: String,
    rows: Vec<&'r Row<'a>>,
}

/// A name's rows grouped by handle as written, in order of first appearance.
fn spellings<'r, 'a>(rows: &'r [Row<'a>]) -> Vec<Spelling<'r, 'a>> {
    let mut out: Vec<Spelling> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for r in rows {
        let handle = r.handle.get_ref().as_str();
        match index.get(handle) {
            Some(&i) => out[i].rows.push(r),
            None => {
                index.insert(handle, out.len());
                out.push(Spelling {
                    handle,
                    key: r.handle_key(),
                    rows: vec![r],
                });
            }
        }
    }
    out
}

/// The handle (without case) a name is written with most often; the first seen wins a tie.
fn usual_handle(spellings: &[Spelling]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for s in spellings {
        match index.get(s.key.as_str()) {
            Some(&i) => counts[i].1 += s.rows.len(),
            None => {
                index.insert(&s.key, counts.len());
                counts.push((&s.key, s.rows.len()));
            }
        }
    }
    let max = counts.iter().map(|c| c.1).max().unwrap_or(0);
    (counts.into_iter().find(|c| c.1 == max))
        .map(|c| c.0.to_string())
        .unwrap_or_default()
}

/// "`handle` in a (facilitators), b (maintainers)", naming at most [`super::PLACES_SHOWN`]
/// places.
fn written_in(s: &Spelling) -> String {
    let places = places_text(s.rows.iter().map(|r| r.place()), s.rows.len());
    format!("`{}` in {places}", s.handle)
}

/// Reports each handle a name is written with besides its usual one, at that handle's first row.
pub fn same_name_two_handles(site: &Site, sink: &mut Sink) {
    for rows in rows_by_name(site).values() {
        // A name written with one handle throughout, as most are, has nothing to report.
        if rows
            .iter()
            .all(|r| r.handle.get_ref() == rows[0].handle.get_ref())
        {
            continue;
        }
        let spellings = spellings(rows);
        let usual = usual_handle(&spellings);
        let mut reported: HashSet<&str> = HashSet::from([usual.as_str()]);
        for s in &spellings {
            if !reported.insert(&s.key) {
                continue;
            }
            let row = s.rows[0];
            // Each other handle once, with the places it is written.
            let others = spellings.iter().filter(|o| o.key != s.key);
            let mut elsewhere: Vec<String> =
                others.clone().take(HANDLES_SHOWN).map(written_in).collect();
            let more = others.count().saturating_sub(HANDLES_SHOWN);
            if more > 0 {
                elsewhere.push(format!("{more} other handles"));
            }
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
