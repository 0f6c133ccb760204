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
            live_reload: None,
        })))
    }
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
