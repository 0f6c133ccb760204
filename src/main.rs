//! The `mcpsite` binary: parse the command line and run the command it names.
//!
//! Exit status: 0 ok, 1 content errors (diagnostics were printed), 2 failure (I/O, a bad flag).
//! Operational errors are printed once here with their whole cause chain.
//!
//! The command line ([`cli`]) and the commands ([`cmd`]) belong to the binary, not the library:
//! the library's stages cannot depend on flags.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};
use cli::{Cli, Command};
use mcpsite::diag::{CONTINUATION, text_safe};

/// jemalloc rather than the system allocator: faster on every core (the figures are in
/// Cargo.toml). Not on MSVC targets, which it does not support.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(code) => code,
        Err(e) => {
            // The chain may hold paths and values from the input: no line may start with them.
            let text = format!("{e:#}");
            eprintln!("error: {}", text_safe(&text, Some(CONTINUATION)));
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Build(args) => cmd::build::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => cmd::serve::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::New(args) => cmd::new::run(&args),
        Command::Meetings(args) => cmd::meetings::run(&args),
        Command::Completions(args) => cmd::completions::run(&args, Cli::command()),
    }
}
