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
//!
//! Before rendering, the pipeline runs the content rules of [`crate::check`] on the site and
//! passes their findings, with the build's own diagnostics, to the render stage, whose community
//! health page shows them; they are not reported by `build`.

pub mod check;

use crate::config::BuildOptions;
use crate::diag::{Diagnostics, Severity};
use crate::feeds::{self, FeedCache};
use crate::frontmatter::{self, HomePage, RawPage};
use crate::memo::Memo;
use crate::model::Site;
use crate::output::Output;
use crate::render::{self, RenderCache, RenderError, RenderOptions};
use crate::source::{self, Sources};
use crate::validate;

/// What a build produced.
#[derive(Debug)]
pub struct BuildOutcome {
    /// Every finding of the build.
    pub diagnostics: Diagnostics,
    /// The validated site, when loading and validation got that far.
    pub site: Option<Site>,
    /// The built files; `None` when any error was found.
    pub output: Option<Output>,
}

impl BuildOutcome {
    /// True when an error kept the build from producing output.
    pub fn failed(&self) -> bool {
        self.output.is_none()
    }

    fn without_output(diagnostics: Diagnostics, site: Site) -> Self {
        BuildOutcome {
            diagnostics,
            site: Some(site),
            output: None,
        }
    }
}

/// What one build keeps for the next: parsed pages, what rendering and the calendar feeds
/// derive from each group, and rendered pages, each reused only for the exact inputs it was made
/// from (the rules of [`crate::memo`]). Every build goes through one: [`build`] through an empty
/// one, `serve` through the one it keeps between rebuilds. So there is one path through the
/// stages, and a build through a kept cache equals a fresh [`build`].
#[derive(Default)]
pub struct BuildCache {
    /// Parsed group pages by path, made from the page's text: parsing is a pure function of a
    /// file's text.
    parse: Memo<String, Result<RawPage, Diagnostics>>,
    render: RenderCache,
    feeds: FeedCache,
    /// The content rules' per-group findings, for the health page (see
    /// [`crate::check::reuse`]).
    findings: crate::check::reuse::FindingsCache,
}

impl BuildCache {
    /// The rendered pages' part.
    pub fn render(&self) -> &RenderCache {
        &self.render
    }
}

/// Loads and validates the site: everything up to (not including) rendering. `check` and
/// `meetings` stop here.
pub fn load_site(opts: &BuildOptions) -> anyhow::Result<(Site, Diagnostics)> {
    let (sources, diags) = source::load(&opts.root)?;
    Ok(validate_sources(
        opts,
        &sources,
        diags,
        &mut Memo::default(),
    ))
}

/// Parses and validates already-loaded sources; `diags` are the loading diagnostics. Group
/// pages whose text is unchanged are taken from `parsed`.
fn validate_sources(
    opts: &BuildOptions,
    sources: &Sources,
    mut diags: Diagnostics,
    parsed: &mut Memo<String, Result<RawPage, Diagnostics>>,
) -> (Site, Diagnostics) {
    let oversized = source::limit::oversized(sources, opts.config.max_page_bytes, &mut diags);
    let home = match sources
        .home
        .as_ref()
        .filter(|h| !oversized.contains(&h.path))
    {
        Some(h) => frontmatter::parse_home(h).unwrap_or_else(|d| {
            diags.extend(d);
            HomePage::default()
        }),
        None => HomePage::default(),
    };
    let mut pages = Vec::with_capacity(sources.groups.len());
    for file in sources
        .groups
        .iter()
        .filter(|f| !oversized.contains(&f.path))
    {
        let page = parsed.get_or_make(&file.path, &file.text, || {
            frontmatter::parse_group(file.clone())
        });
        match page {
            Ok(page) => pages.push(page.clone()),
            Err(d) => diags.extend(d.clone()),
        }
    }
    parsed.prune(sources.groups.iter().map(|f| f.path.as_str()));

    let known = sources
        .groups
        .iter()
        .map(|f| f.stem().to_string())
        .collect();
    let (site, d) = validate::validate_with_known(
        opts.config.clone(),
        home,
        pages,
        known,
        opts.today,
        opts.drafts,
    );
    diags.extend(d);
    diags.sort();
    (site, diags)
}

/// Builds the whole site in memory.
pub fn build(opts: &BuildOptions) -> anyhow::Result<BuildOutcome> {
    let (sources, diags) = source::load(&opts.root)?;
    build_from(opts, &sources, diags, &mut BuildCache::default())
}

/// Builds the whole site in memory from sources already read (with their loading diagnostics),
/// reusing from `cache` what earlier builds made from the same inputs and keeping what this one
/// makes. `serve` keeps the sources and the cache between rebuilds and re-reads only the files
/// that changed; the result equals [`build`]'s.
pub fn build_from(
    opts: &BuildOptions,
    sources: &Sources,
    source_diags: Diagnostics,
    cache: &mut BuildCache,
) -> anyhow::Result<BuildOutcome> {
    let (site, mut diagnostics) = validate_sources(opts, sources, source_diags, &mut cache.parse);
    if diagnostics.count(Severity::Error) > 0 {
        return Ok(BuildOutcome::without_output(diagnostics, site));
    }

    let mut output = Output::new();
    // The health page shows the content rules' findings: the pipeline runs them and passes them
    // in, with the build's own.
    let mut findings = diagnostics.clone();
    findings.extend(crate::check::reuse::findings(&site, &mut cache.findings));
    let render_opts = RenderOptions {
        root: &opts.root,
        findings: &findings,
    };
    match render::render_site(&site, &render_opts, &mut cache.render) {
        Ok(files) => {
            for f in files {
                output.add_shared(f.path, f.bytes)?;
            }
        }
        Err(RenderError::Content(d)) => {
            diagnostics.extend(d);
            diagnostics.sort();
            return Ok(BuildOutcome::without_output(diagnostics, site));
        }
        Err(RenderError::Other(e)) => return Err(e),
    }
    for feed in feeds::feeds(&site, &mut cache.feeds) {
        output.add_shared(feed.path, feed.text)?;
    }
    // The site's own static/ files win over the theme's.
    for f in &sources.statics {
        output.replace(f.out_path.clone(), f.bytes.clone())?;
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
    // Locked from before reading the sources: a concurrent build of the same folder waits, and
    // the site it publishes is one whole build's.
    let staging = crate::staging::Staging::open(&opts.output_dir)?;
    let outcome = build(opts)?;
    if let Some(out) = &outcome.output {
        out.write_to(&staging)?;
        staging.commit()?;
    }
    Ok(outcome)
}
