//! `mcpsite completions`: shell completions for the whole command line.
//!
//! Takes: [`Args`] and the command line's definition. Gives: the completion script on standard
//! output.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Args as ClapArgs;

use super::unless_reader_left;

/// `mcpsite completions`'s flags.
#[derive(Debug, ClapArgs, Clone)]
pub(crate) struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

/// Prints the completions of `cli` (the whole command line, given by the binary so that this
/// layer does not depend on the parser above it).
pub(crate) fn run(args: &Args, mut cli: clap::Command) -> anyhow::Result<ExitCode> {
    // Made in memory first: `generate` panics when its writer fails, as standard output does
    // when its reader has left (`mcpsite completions bash | head`).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cli, "mcpsite", &mut script);
    unless_reader_left(std::io::stdout().write_all(&script))?;
    Ok(ExitCode::SUCCESS)
}
