//! `mcpsite serve`: the live preview.
//!
//! Takes: [`Args`]. Gives: [`mcpsite::serve::Options`], and runs the server until Ctrl-C
//! (exit status 0).

use std::process::ExitCode;

use clap::Args as ClapArgs;
use mcpsite::serve;

use super::{BuildFlags, SiteArgs};

/// `mcpsite serve`'s flags.
#[derive(Debug, ClapArgs, Clone)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) site: SiteArgs<BuildFlags>,
    /// The address to listen on. Anything but a loopback address shows the preview to other
    /// machines.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub(crate) interface: std::net::IpAddr,
    /// The port to listen on; if it is taken, the next free one of the 20 after it. 0 lets the
    /// system pick a free port.
    #[arg(long, short = 'p', value_name = "N", default_value_t = 1111)]
    pub(crate) port: u16,
    /// Open the site in the default web browser.
    #[arg(long)]
    pub(crate) open: bool,
}

/// Serves until Ctrl-C or SIGTERM.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    serve::run(&serve::Options {
        site: args.site.request(args.site.flags.drafts.drafts),
        format: args.site.flags.diagnostics.format,
        interface: args.interface,
        port: args.port,
        open: args.open,
    })?;
    Ok(ExitCode::SUCCESS)
}
