//! A whole `mcpsite check` run: the build, then the governance rules and the output checks.
//!
//! Takes: [`BuildOptions`] and [`CheckOptions`]. Gives: a [`CheckReport`]. It builds the site in
//! memory through [`pipeline::build`], then runs the content rules of [`crate::check`] on the
//! validated site and the output rules on the built files. The rules themselves do not depend on
//! the pipeline, so a build can run them too (the community health page shows their findings).

use crate::check::{CheckOptions, Sink, check, feeds, links};
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

/// Loads and builds the site in memory (drafts included), then runs the content rules on it, the
/// output rules on the built files, and `--previous`. Applies `--skip` and `--strict`.
pub fn run(build: &BuildOptions, opts: &CheckOptions) -> anyhow::Result<CheckReport> {
    let mut build = build.clone();
    build.drafts = true;
    build.today = opts.today;

    let previous = match &opts.previous {
        Some(p) => Some(feeds::read_previous(p)?),
        None => None,
    };

    let outcome = pipeline::build(&build)?;
    let mut diags = outcome.diagnostics;
    let mut groups = 0;
    if let Some(site) = &outcome.site {
        groups = site.groups.len();
        diags.extend(check(site, opts));
    }
    let output_checked = outcome.output.is_some();
    if let Some(out) = &outcome.output {
        let mut sink = Sink::new(&opts.skip);
        let base = outcome.site.as_ref().map(|s| s.config.base_url.as_str());
        links::check_links(out, base, &mut sink);
        feeds::check_feeds(out, &mut sink);
        if let Some(prev) = &previous {
            feeds::compare_previous(prev, out, &mut sink)?;
        }
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
        groups,
        output_checked,
    })
}
