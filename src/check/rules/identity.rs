//! Identity and placeholders: what a group says it is.
//!
//! Takes: one [`Group`]. Gives: `status-valid` (status still `unknown`), `name-has-kind-suffix`
//! (a name that repeats what the site appends) and `placeholder-unfilled` (a `"TODO…"` value
//! `mcpsite new` left).

use super::{block_lines, block_text};
use crate::check::Sink;
use crate::model::Group;
use crate::schema::Status;

pub(super) fn identity(g: &Group, sink: &mut Sink) {
    let fm = g.fm();
    if g.status() == Status::Unknown {
        sink.at(
            "status-valid",
            g,
            g.page.pos_of(&fm.status),
            "status is `unknown`: the sources do not say where this group stands",
            "settle it with the moderators and set status = \"proposed\", \"approved\", \"active\" or \"retired\" with the matching [lifecycle] dates",
        );
    }
    let name = fm.name.get_ref().trim();
    let lower = name.to_lowercase();
    for suffix in [" interest group", " working group", " ig", " wg"] {
        if lower.ends_with(suffix) {
            let keep = name[..name.len() - suffix.len()].trim_end();
            sink.at(
                "name-has-kind-suffix",
                g,
                g.page.pos_of(&fm.name),
                format!(
                    "`name` ends in \"{}\", which the site already appends",
                    &name[name.len() - suffix.len() + 1..]
                ),
                format!(
                    "write name = \"{keep}\"; pages show it as \"{keep} {}\"",
                    g.kind.long_name()
                ),
            );
            break;
        }
    }
    placeholders(g, sink);
}

/// How a value `mcpsite new` left begins.
const PLACEHOLDER: &str = "\"TODO";

/// Values `mcpsite new` left as `"TODO…"`.
fn placeholders(g: &Group, sink: &mut Sink) {
    let page = &g.page;
    // One search of the block first: nearly every page has none, and a search per line was
    // most of this rule's work.
    if !block_text(page).contains(PLACEHOLDER) {
        return;
    }
    let mut table = String::new();
    for (offset, line) in block_lines(page) {
        let t = line.trim();
        if t.starts_with('[') {
            table = t.trim_matches(['[', ']']).trim().to_string();
        } else if !t.starts_with('#')
            && let Some(at) = line.find(PLACEHOLDER)
        {
            let key = line.split('=').next().unwrap_or("").trim();
            let full = if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            };
            sink.at(
                "placeholder-unfilled",
                g,
                page.pos(offset + at..offset + at),
                format!("`{full}` still holds the placeholder from `mcpsite new`"),
                "replace the TODO text with the real value",
            );
        }
    }
}
