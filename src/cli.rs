//! The command line: clap derive types and their resolution into [`BuildOptions`].
//!
//! Takes: `argv`. Gives: a [`Cli`] whose commands each resolve their flags, `mcpsite.toml` and
//! "today" once, here, so no later stage reads the environment or the clock.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};

use crate::config::{BuildOptions, SiteConfig, check_base_url, resolve_today};
use crate::diag::{Diagnostics, Format};

/// Static site generator for the MCP community's Interest and Working Group directory.
///
/// Builds the directory (one page per group), its calendar feeds, and checks the pages against
/// the community's governance rules. Exit status: 0 ok, 1 content errors, 2 failure.
#[derive(Debug, Parser)]
#[command(name = "mcpsite", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (replaced atomically, only on success).
    Build(BuildArgs),
    /// Build the site, serve it locally, and rebuild and reload the browser on every change.
    ///
    /// Watches content/, themes/, static/, mcpsite.toml and netlify.toml. A build error is shown
    /// in the browser and here while the last good build stays served. Serves from memory:
    /// nothing is written to disk.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Check every group page against the governance rules, and the built site's links and feeds.
    ///
    /// Reports each finding with its rule id, severity, file:line:col, message and a help line.
    /// Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 failure.
    Check(CheckArgs),
    /// Create a group page from the governance text's creation template.
    ///
    /// Writes content/groups/<topic>-ig.md or -wg.md (never overwriting), prompting for each
    /// field in a terminal and taking the flags otherwise. Fields left out are written as
    /// placeholders that `mcpsite check` lists.
    New(Box<NewArgs>),
    /// List meetings of every group (or one) in the terminal, in your time zone.
    Meetings(MeetingsArgs),
    /// Print shell completions for mcpsite to standard output.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Options shared by every command that reads a site.
#[derive(Debug, Args, Clone)]
pub struct SiteArgs {
    /// The site root: the folder holding mcpsite.toml, content/ and themes/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// The date to treat as today (YYYY-MM-DD), for upcoming meetings and time-based rules.
    /// Defaults to SOURCE_DATE_EPOCH, then the current UTC date.
    #[arg(long, value_name = "DATE")]
    pub today: Option<jiff::civil::Date>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args, Clone)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site. Never `.`, the root, content/ or themes/.
    #[arg(long, short = 'o', value_name = "DIR", default_value = "public")]
    pub output_dir: PathBuf,
    /// The published address (e.g. a deploy preview's URL); defaults to `base_url` in mcpsite.toml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// `mcpsite serve`.
#[cfg(feature = "serve")]
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on. Anything but a loopback address shows the preview to other
    /// machines.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub interface: std::net::IpAddr,
    /// The port to listen on; if it is taken, the next free one of the 20 after it. 0 lets the
    /// system pick a free port.
    #[arg(long, short = 'p', value_name = "N", default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default web browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args, Clone)]
pub struct MeetingsArgs {
    /// The site root: the folder holding mcpsite.toml, content/ and themes/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// The date to treat as today (YYYY-MM-DD); the default start of the listing.
    #[arg(long, value_name = "DATE")]
    pub today: Option<jiff::civil::Date>,
    /// First day to list (default: today).
    #[arg(long, value_name = "DATE")]
    pub from: Option<jiff::civil::Date>,
    /// Last day to list, inclusive (default: four weeks after --from).
    #[arg(long, value_name = "DATE")]
    pub to: Option<jiff::civil::Date>,
    /// Only this group (its slug, e.g. `auth-ig`).
    #[arg(long, value_name = "SLUG")]
    pub group: Option<String>,
    /// Show times in this IANA zone (default: the system's zone).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Text for people, JSON for scripts.
    #[arg(long, value_enum, default_value_t = MeetingsFormat::Text)]
    pub format: MeetingsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MeetingsFormat {
    Text,
    Json,
}

/// The result of resolving options: ready, or content errors in mcpsite.toml.
#[allow(clippy::large_enum_variant)] // built once per run
pub enum Resolved {
    Ready(Box<BuildOptions>),
    ConfigErrors(Diagnostics),
}

impl SiteArgs {
    /// Reads mcpsite.toml and resolves "today". `output_dir` is relative to the current
    /// directory, like every other path argument.
    pub fn resolve(&self, output_dir: &Path, base_url: Option<&str>) -> anyhow::Result<Resolved> {
        let mut config = match SiteConfig::load(&self.root)? {
            Ok(c) => c,
            Err(d) => return Ok(Resolved::ConfigErrors(d)),
        };
        if let Some(url) = base_url {
            let url = url.trim_end_matches('/');
            check_base_url(url)
                .map_err(anyhow::Error::msg)
                .context("--base-url")?;
            config.base_url = url.to_string();
        }
        let today = resolve_today(self.today)?;
        Ok(Resolved::Ready(Box::new(BuildOptions {
            root: self.root.clone(),
            output_dir: output_dir.to_path_buf(),
            config,
            drafts: self.drafts,
            today,
        })))
    }
}

/// `mcpsite check`.
#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// The site root: the folder holding mcpsite.toml, content/ and themes/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The date to treat as today (YYYY-MM-DD); every time-based rule uses it.
    /// Defaults to SOURCE_DATE_EPOCH, then the current UTC date.
    #[arg(long, value_name = "DATE")]
    pub today: Option<jiff::civil::Date>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Do not report this rule (repeatable, or comma-separated); see --list-rules.
    #[arg(long, value_name = "RULE")]
    pub skip: Vec<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// An earlier calendar.ics: report series whose times changed without a higher SEQUENCE,
    /// and series that disappeared.
    #[arg(long, value_name = "OLD.ics")]
    pub previous: Option<PathBuf>,
    /// Print every rule (id, severity, stage, summary) and exit.
    #[arg(long)]
    pub list_rules: bool,
}

impl CheckArgs {
    /// The site options `check` builds with: drafts included, no output folder.
    pub fn site_args(&self) -> SiteArgs {
        SiteArgs {
            root: self.root.clone(),
            drafts: true,
            today: self.today,
            format: self.format,
        }
    }
}

/// Which kind of group `mcpsite new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    /// Interest Group.
    Ig,
    /// Working Group.
    Wg,
}

impl NewKind {
    pub fn kind(self) -> crate::schema::Kind {
        match self {
            NewKind::Ig => crate::schema::Kind::Ig,
            NewKind::Wg => crate::schema::Kind::Wg,
        }
    }
}

/// `mcpsite new ig|wg <topic>`.
#[derive(Debug, Args, Clone)]
pub struct NewArgs {
    /// Interest Group or Working Group.
    #[arg(value_enum)]
    pub kind: NewKind,
    /// The group's primary topic, kebab-case: `tool-filtering` gives tool-filtering-wg.md.
    pub topic: String,
    /// The site root: the folder holding mcpsite.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The proposal date (YYYY-MM-DD). Defaults to SOURCE_DATE_EPOCH, then the current UTC date.
    #[arg(long, value_name = "DATE")]
    pub today: Option<jiff::civil::Date>,
    /// Never prompt, even in a terminal.
    #[arg(long)]
    pub no_input: bool,
    /// Display name, without "Interest Group"/"Working Group" (default: from the topic).
    #[arg(long)]
    pub name: Option<String>,
    /// One line on what the group is about.
    #[arg(long)]
    pub summary: Option<String>,
    /// A facilitator, as GITHUB:NAME:ORG (NAME and ORG optional). Repeatable.
    #[arg(long = "facilitator", value_name = "GITHUB:NAME:ORG")]
    pub facilitators: Vec<String>,
    /// A maintainer (optional), as GITHUB:NAME:ORG. Repeatable.
    #[arg(long = "maintainer", value_name = "GITHUB:NAME:ORG")]
    pub maintainers: Vec<String>,
    /// IG: an IG with potentially similar goals (its slug, e.g. security-ig). Repeatable.
    #[arg(long = "similar", value_name = "SLUG")]
    pub similar: Vec<String>,
    /// IG: there are no IGs with similar goals (writes similar_groups = []).
    #[arg(long, conflicts_with = "similar")]
    pub no_similar: bool,
    /// IG: how this IG differs from the similar IGs.
    #[arg(long)]
    pub differentiation: Option<String>,
    /// IG: the first topic to discuss.
    #[arg(long)]
    pub first_topic: Option<String>,
    /// WG: the interest and use cases, ideally from an IG discussion.
    #[arg(long)]
    pub use_cases: Option<String>,
    /// WG: the IG the use cases came from (its slug).
    #[arg(long, value_name = "SLUG")]
    pub origin_ig: Option<String>,
    /// WG: the first Issue/PR/SEP (SEP-1234, owner/repo#12 or a GitHub URL).
    #[arg(long)]
    pub first_item: Option<String>,
    /// The Discord channel (default: <topic>-ig or <topic>-wg).
    #[arg(long)]
    pub channel: Option<String>,
    /// Where the proposal was posted (a Discord message or pull request URL).
    #[arg(long, value_name = "URL")]
    pub proposal_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
