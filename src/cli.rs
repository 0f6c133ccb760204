//! The command line: the `mcpsite` parser and its commands' help.
//!
//! Takes: `argv`. Gives: a [`Cli`] holding one command's flags, whose types (and `run`) live in
//! that command's module under [`crate::cmd`].

use clap::{Parser, Subcommand};

use crate::cmd;

/// Static site generator for the MCP community's Interest and Working Group directory.
///
/// Builds the directory (one page per group), its calendar feeds, and checks the pages against
/// the community's governance rules. Exit status: 0 ok, 1 content errors, 2 failure.
#[derive(Debug, Parser)]
#[command(name = "mcpsite", version, about, long_about, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder (replaced atomically, only on success).
    Build(cmd::build::Args),
    /// Build the site, serve it locally, and rebuild and reload the browser on every change.
    ///
    /// Watches content/, themes/, static/, mcpsite.toml and netlify.toml. A build error is shown
    /// in the browser and here while the last good build stays served. Serves from memory:
    /// nothing is written to disk.
    #[cfg(feature = "serve")]
    Serve(cmd::serve::Args),
    /// Check every group page against the governance rules, and the built site's links and feeds.
    ///
    /// Reports each finding with its rule id, severity, file:line:col, message and a help line.
    /// Drafts are always checked, and every time-based rule takes --today as today.
    /// Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 failure.
    Check(cmd::check::Args),
    /// Create a group page from the governance text's creation template.
    ///
    /// Writes content/groups/<topic>-ig.md or -wg.md (never overwriting), proposed on --today,
    /// prompting for each field in a terminal and taking the flags otherwise. Fields left out are
    /// written as placeholders that `mcpsite check` lists.
    New(Box<cmd::new::Args>),
    /// List meetings of every group (or one) in the terminal, in your time zone.
    Meetings(cmd::meetings::Args),
    /// Print shell completions for mcpsite to standard output.
    Completions(cmd::completions::Args),
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
