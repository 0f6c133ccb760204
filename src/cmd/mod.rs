//! The commands: one module each, holding its flags (`Args`) and its `run`.
//!
//! Takes: the flags clap parsed. Gives: an exit status, after calling the library's stages
//! and printing what they found. This layer sits above the library: no stage imports it, and
//! it is the only code that reads flags, so each command states once how a flag becomes the
//! library's options ([`mcpsite::config::SiteRequest`] for the site, the command's own options
//! for the rest).
//!
//! Every command that reads or writes a site flattens one [`SiteArgs`]: `--root` and `--today`,
//! plus the flags of its kind, declared once each with their help: [`Drafts`] for a command
//! that lists pages (`meetings`), [`DiagnosticFormat`] for one that prints diagnostics
//! (`check`), [`BuildFlags`] (both) for one that builds the site (`build`, `serve`), and
//! [`NoFlags`] for `new`. `check` always includes drafts and `new` never reads them, so neither
//! offers `--drafts`; `meetings` has a `--format` of its own, for its listing.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod meetings;
pub(crate) mod new;
#[cfg(feature = "serve")]
pub(crate) mod serve;

use std::path::PathBuf;

use clap::Args;
use mcpsite::config::SiteRequest;
use mcpsite::diag::Format;

/// What writing to standard output came to, where a reader that stopped early (`mcpsite
/// meetings | head`) is not a failure: it has what it wanted, and the command's exit status
/// stays the one its work earned.
pub(crate) fn unless_reader_left(written: std::io::Result<()>) -> std::io::Result<()> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        written => written,
    }
}

/// Which site and which day it is, and the `Flags` of the command's kind.
#[derive(Debug, Args, Clone)]
pub(crate) struct SiteArgs<Flags: Args> {
    /// The site root: the folder holding mcpsite.toml, content/ and themes/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub(crate) root: PathBuf,
    /// The date to treat as today (YYYY-MM-DD): it decides upcoming meetings, time-based rules
    /// and a new page's proposal date. Defaults to SOURCE_DATE_EPOCH, then the current UTC date.
    #[arg(long, value_name = "DATE")]
    pub(crate) today: Option<jiff::civil::Date>,
    #[command(flatten)]
    pub(crate) flags: Flags,
}

impl<Flags: Args> SiteArgs<Flags> {
    /// What the run asks before `mcpsite.toml` is read.
    pub(crate) fn request(&self, drafts: bool) -> SiteRequest {
        SiteRequest {
            root: self.root.clone(),
            drafts,
            today: self.today,
            base_url: None,
        }
    }
}

/// `--drafts`.
#[derive(Debug, Args, Clone, Copy)]
pub(crate) struct Drafts {
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub(crate) drafts: bool,
}

/// `--format` for diagnostics.
#[derive(Debug, Args, Clone, Copy)]
pub(crate) struct DiagnosticFormat {
    /// How to print diagnostics (content errors and warnings; `check`'s findings).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

/// `--drafts` and `--format`, for the commands that build the site.
#[derive(Debug, Args, Clone, Copy)]
pub(crate) struct BuildFlags {
    #[command(flatten)]
    pub(crate) drafts: Drafts,
    #[command(flatten)]
    pub(crate) diagnostics: DiagnosticFormat,
}

/// No flags beyond the site's.
#[derive(Debug, Args, Clone, Copy)]
pub(crate) struct NoFlags {}
