//! The pipeline: one function per command, reading top to bottom as the stages run.
//!
//! Takes: [`BuildOptions`]. Gives: a [`BuildOutcome`] with every diagnostic of the run and, when
//! there were no errors, the whole site as an in-memory [`Output`]. Nothing here writes to the
//! output folder except [`build_and_write`], and only after every stage has succeeded.
//!
//! ```text
//! source::load ─▶ frontmatter::parse_group ─▶ validate ─▶ Site ─┬─▶ render   ─┐
//!   Sources        RawPage (per file)          Diagnostics      └─▶ calendar ─┴─▶ Output ─▶ write_atomic
//! ```

use crate::config::BuildOptions;
use crate::diag::{Diagnostics, Severity};
use crate::frontmatter::{self, HomePage};
use crate::model::Site;
use crate::output::Output;
use crate::render::{self, RenderError, RenderOptions};
use crate::source::StaticFile;
use crate::{source, validate};

/// What a build produced.
#[derive(Debug)]
pub struct BuildOutcome {
    pub diagnostics: Diagnostics,
    /// The validated site, when loading and validation got that far.
    pub site: Option<Site>,
    /// The built files; `None` when any error was found.
    pub output: Option<Output>,
}

impl BuildOutcome {
    pub fn failed(&self) -> bool {
        self.output.is_none()
    }
}

/// Loads and validates the site: everything up to (not including) rendering. `check` and
/// `meetings` stop here.
pub fn load_site(opts: &BuildOptions) -> anyhow::Result<(Site, Diagnostics)> {
    let (site, diags, _) = load(opts)?;
    Ok((site, diags))
}

fn load(opts: &BuildOptions) -> anyhow::Result<(Site, Diagnostics, Vec<StaticFile>)> {
    let (sources, mut diags) = source::load(&opts.root)?;

    let home = match &sources.home {
        Some(h) => match frontmatter::parse_home(h) {
            Ok(home) => home,
            Err(d) => {
                diags.extend(d);
                HomePage::default()
            }
        },
        None => HomePage::default(),
    };

    let mut pages = Vec::with_capacity(sources.groups.len());
    for file in sources.groups {
        match frontmatter::parse_group(file) {
            Ok(page) => pages.push(page),
            Err(d) => diags.extend(d),
        }
    }

    let (site, d) = validate::validate(opts.config.clone(), home, pages, opts.today, opts.drafts);
    diags.extend(d);
    diags.sort();
    Ok((site, diags, sources.statics))
}

/// Builds the whole site in memory.
pub fn build(opts: &BuildOptions) -> anyhow::Result<BuildOutcome> {
    let (site, mut diagnostics, statics) = load(opts)?;
    if diagnostics.count(Severity::Error) > 0 {
        return Ok(BuildOutcome {
            diagnostics,
            site: Some(site),
            output: None,
        });
    }

    let mut output = Output::new();
    let render_opts = RenderOptions {
        root: &opts.root,
        live_reload: opts.live_reload.clone(),
    };
    match render::render_site(&site, &render_opts) {
        Ok(files) => {
            for f in files {
                output.add(f.path, f.bytes)?;
            }
        }
        Err(RenderError::Content(d)) => {
            diagnostics.extend(d);
            diagnostics.sort();
            return Ok(BuildOutcome {
                diagnostics,
                site: Some(site),
                output: None,
            });
        }
        Err(RenderError::Other(e)) => return Err(e),
    }
    for feed in crate::feeds::feeds(&site) {
        output.add(feed.path, feed.text)?;
    }
    // The site's own static/ files win over the theme's.
    for f in statics {
        output.replace(f.out_path, f.bytes)?;
    }

    Ok(BuildOutcome {
        diagnostics,
        site: Some(site),
        output: Some(output),
    })
}

/// Builds and, only if the build succeeded, replaces the output folder.
pub fn build_and_write(opts: &BuildOptions) -> anyhow::Result<BuildOutcome> {
    crate::config::check_output_dir(&opts.root, &opts.output_dir)?;
    let outcome = build(opts)?;
    if let Some(out) = &outcome.output {
        out.write_atomic(&opts.output_dir)?;
    }
    Ok(outcome)
}
