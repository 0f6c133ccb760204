//! `mcpsite`: the static site generator for the MCP community's Interest Group (IG) and Working
//! Group (WG) directory.
//!
//! Each group is one Markdown page with TOML front matter under `content/groups/`. A build runs
//! these stages, each a module that takes the previous stage's data and gives the next one's:
//!
//! ```text
//!  mcpsite.toml ─▶ config ─▶ BuildOptions
//!  content/     ─▶ source::load ─▶ Sources (text, sorted)
//!                  frontmatter  ─▶ RawPage (typed front matter + body, spans → file:line:col)
//!                  validate     ─▶ Site { groups: Vec<Group> } + Diagnostics
//!                    recur      ─▶ Meetings (series, one-offs, records) per group
//!                  check rules  ─▶ findings (content rules; `mcpsite check` adds the output's)
//!                  health       ─▶ per-group figures, retirement candidates, 52-week strips
//!                  render       ─▶ HTML, JSON, sitemap, Atom, Netlify files (Tera theme)
//!                  feeds, ical  ─▶ calendar.ics + one feed per group (VTIMEZONEs from tzdb)
//!                  output       ─▶ Output (path → bytes) ─▶ write_atomic(public/)
//! ```
//!
//! [`pipeline`] strings the stages together; the binary's command layer (`src/cmd/`) turns each
//! command's flags into these modules' options once, and no module here reads flags. Content
//! problems are [`diag::Diagnostic`]s collected across the whole run; operational failures are
//! `anyhow` errors carrying the path they failed on.

pub mod agenda;
pub mod check;
pub mod config;
pub mod diag;
pub mod feeds;
pub mod frontmatter;
pub mod health;
pub mod hints;
pub mod ical;
pub mod markdown;
pub mod memo;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod recur;
pub mod regular_file;
pub mod render;
pub mod scaffold;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod source;
pub mod staging;
#[cfg(test)]
mod test_support;
pub mod theme;
pub mod timefmt;
pub mod validate;
