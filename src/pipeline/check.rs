//! A whole `mcpsite check` run: the build, then the governance rules and the output checks.
//!
//! Takes: [`BuildOptions`] and [`CheckOptions`]. Gives: a [`CheckReport`]. It builds the site as
//! `mcpsite build` does, streaming each file as it is made, but into an [`Inspect`] instead of a
//! folder: the output rules read each file then, and keep only what they need of it, so a check
//! never holds the built site. The content rules of [`crate::check`] run in the build (the
//! community health page shows their findings), which gives them back. The rules themselves do
//! not depend on the pipeline.

use crate::check::inspect::Inspect;
use crate::check::{CheckOptions, Sink, check, feeds};
use crate::config::BuildOptions;
use crate::diag::{Diagnostics, Severity};
use crate::pipeline;

/// What a whole `check` run found.
#[derive(Debug)]
pub struct CheckReport {
    /// Every finding of the run.
    pub diagnostics: Diagnostics,
    /// How many groups the content rules looked at.
    pub groups: usize,
    /// False when the build had errors, so the output rules could not run.
    pub output_checked: bool,
}

impl CheckReport {
    /// Exit status 1 when an error was found; with `--strict` warnings were already turned into
    /// errors.
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// Builds the site (drafts included) into an [`Inspect`], which runs the output rules on each
/// file as it is made, then gives the content rules' findings with theirs, and `--previous`'s.
/// Applies `--skip` and `--strict`.
pub fn run(build: &BuildOptions, opts: &CheckOptions) -> anyhow::Result<CheckReport> {
    let mut build = build.clone();
    build.drafts = true;
    build.today = opts.today;

    let previous = match &opts.previous {
        Some(p) => Some(feeds::read_previous(p)?),
        None => None,
    };

    let inspect = Inspect::new(Some(&build.config.base_url), previous.as_ref());
    let streamed = pipeline::build_for_check(&build, &inspect)?;
    let mut diags = streamed.outcome.diagnostics;
    // The build ran the content rules for its health page unless an error stopped it first.
    match (streamed.findings, &streamed.outcome.site) {
        (Some(found), _) => diags.extend(found.into_sorted()),
        (None, Some(site)) => diags.extend(check(site, opts)),
        (None, None) => {}
    }
    let output_checked = streamed.outcome.output.is_some();
    if output_checked {
        let mut sink = Sink::new(&opts.skip);
        inspect.finish(&mut sink)?;
        diags.extend(sink.finish());
    }

    diags.retain(|d| !opts.skip.contains(&d.rule));
    if opts.strict {
        diags = diags
            .into_vec()
            .into_iter()
            .map(|mut d| {
                if d.severity == Severity::Warning {
                    d.severity = Severity::Error;
                }
                d
            })
            .collect();
    }
    diags.sort();
    Ok(CheckReport {
        diagnostics: diags,
        groups: streamed.groups,
        output_checked,
    })
}
