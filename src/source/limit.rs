//! Page size limit: pages over `max_page_bytes` are refused before they are parsed.
//!
//! Takes: the loaded sources and the limit from `mcpsite.toml`. Gives: a diagnostic for every
//! page over it, and their paths, which the pipeline then leaves out. Parsing, rendering and
//! sanitizing a page take many times its size in memory (the Markdown events, the HTML, the
//! sanitizer's document tree), so a limit per page is what keeps a build's memory bounded
//! whatever a pull request adds. The default (1 MB) is over a hundred times the largest real
//! page.

use std::collections::HashSet;

use super::Sources;
use crate::diag::{Diagnostic, Diagnostics, Pos};

/// The rule id.
pub const RULE: &str = "content-too-large";

pub use crate::config::DEFAULT_MAX_PAGE_BYTES;

/// Reports every page (home or group) over `max` bytes and gives their paths.
pub fn oversized(sources: &Sources, max: usize, diags: &mut Diagnostics) -> HashSet<String> {
    let mut out = HashSet::new();
    for file in sources.home.iter().chain(&sources.groups) {
        if file.text.len() > max {
            diags.push(
                Diagnostic::error(
                    RULE,
                    &file.path,
                    Pos { line: 1, col: 1 },
                    format!(
                        "the page is {} bytes, over the limit of {max} bytes; it was not built",
                        file.text.len()
                    ),
                )
                .with_help(
                    "shorten the page (link to long documents instead), or raise `max_page_bytes` in mcpsite.toml",
                ),
            );
            out.insert(file.path.clone());
        }
    }
    out
}
