//! `mcpsite check`: the governance linter's report.
//!
//! Takes: [`Args`]. Gives: the report on standard output in the chosen format, a note on
//! standard error when the output rules could not run or nothing was found, and exit status 0
//! (clean), 1 (errors, or warnings under `--strict`). Failures (a bad flag, an unreadable site or
//! `--previous` file) are errors, which the binary turns into status 2.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args as ClapArgs;
use mcpsite::check::{self, CheckOptions};
use mcpsite::diag::{Format, PrintTo};
use mcpsite::pipeline::check::CheckReport;

use super::{DiagnosticFormat, SiteArgs, unless_reader_left};

/// `mcpsite check`'s flags.
#[derive(Debug, ClapArgs, Clone)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) site: SiteArgs<DiagnosticFormat>,
    /// Do not report this rule (repeatable, or comma-separated); see --list-rules.
    #[arg(long, value_name = "RULE")]
    pub(crate) skip: Vec<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub(crate) strict: bool,
    /// An earlier calendar.ics: report series whose times changed without a higher SEQUENCE,
    /// and series that disappeared.
    #[arg(long, value_name = "OLD.ics")]
    pub(crate) previous: Option<PathBuf>,
    /// Print every rule (id, severity, stage, summary) and exit.
    #[arg(long)]
    pub(crate) list_rules: bool,
}

/// Resolves the flags, checks the site (drafts included: a draft is checked before it is
/// published) and prints the report.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.list_rules {
        unless_reader_left(std::io::stdout().write_all(check::list_rules().as_bytes()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let format = args.site.flags.format;
    let skip = check::validate_skip(&args.skip).map_err(anyhow::Error::msg)?;
    let build = match args.site.request(true).resolve(Path::new("public"))? {
        Ok(o) => o,
        Err(d) => {
            unless_reader_left(d.print(format, PrintTo::Report))?;
            return Ok(ExitCode::from(1));
        }
    };
    let opts = CheckOptions {
        today: build.today,
        skip,
        strict: args.strict,
        previous: args.previous.clone(),
    };
    let report = mcpsite::pipeline::check::run(&build, &opts)?;
    unless_reader_left(report.diagnostics.print(format, PrintTo::Report))?;
    note_on_report(&report, &opts, format);
    Ok(ExitCode::from(u8::from(report.failed())))
}

/// Says on standard error what the report cannot show: output rules that did not run, or that
/// nothing was found at all.
fn note_on_report(report: &CheckReport, opts: &CheckOptions, format: Format) {
    let mut err = std::io::stderr();
    if !report.output_checked {
        let previous = if opts.previous.is_some() {
            ", --previous"
        } else {
            ""
        };
        let _ = writeln!(
            err,
            "the built output (links, feeds{previous}) was not checked: the build has errors"
        );
    }
    if report.diagnostics.is_empty() && format == Format::Text {
        let _ = writeln!(
            err,
            "checked {} groups as of {}: no findings",
            report.groups, opts.today
        );
    }
}
