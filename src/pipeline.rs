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

use std::collections::HashMap;

use crate::config::BuildOptions;
use crate::diag::{Diagnostics, Severity};
use crate::feeds::FeedCache;
use crate::frontmatter::{self, HomePage, RawPage};
use crate::model::Site;
use crate::output::Output;
use crate::render::{self, RenderCache, RenderError, RenderOptions};
use crate::source::{Sources, StaticFile};
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
    let (sources, diags) = source::load(&opts.root)?;
    Ok(from_sources(opts, &sources, diags, None))
}

/// Parsed group pages kept between builds by `serve`, keyed by path and valid only for the exact
/// text they were parsed from. Parsing is a pure function of a file's text, so reusing an entry
/// gives what parsing again would: a rebuild through the cache equals a fresh [`build`].
#[derive(Debug, Default)]
pub struct ParseCache {
    pages: HashMap<String, (String, Result<RawPage, Diagnostics>)>,
}

impl ParseCache {
    fn parse_group(&mut self, file: &source::SourceFile) -> Result<RawPage, Diagnostics> {
        if let Some((text, parsed)) = self.pages.get(&file.path)
            && *text == file.text
        {
            return parsed.clone();
        }
        let parsed = frontmatter::parse_group(file.clone());
        self.pages
            .insert(file.path.clone(), (file.text.clone(), parsed.clone()));
        parsed
    }

    /// Forgets pages that are no longer among the sources.
    fn retain(&mut self, sources: &Sources) {
        if self.pages.len() > sources.groups.len() {
            let live: std::collections::HashSet<&str> =
                sources.groups.iter().map(|f| f.path.as_str()).collect();
            self.pages.retain(|path, _| live.contains(path.as_str()));
        }
    }
}

/// What `serve` keeps between builds: parsed pages and rendered pages, each reused only for the
/// exact inputs it was made from, so a build through the cache equals a fresh [`build`].
#[derive(Default)]
pub struct BuildCache {
    parse: ParseCache,
    render: RenderCache,
    feeds: FeedCache,
}

impl BuildCache {
    /// The rendered pages' part.
    pub fn render(&self) -> &RenderCache {
        &self.render
    }
}

/// Parses and validates already-loaded sources; `diags` are the loading diagnostics.
fn from_sources(
    opts: &BuildOptions,
    sources: &Sources,
    mut diags: Diagnostics,
    mut cache: Option<&mut ParseCache>,
) -> (Site, Diagnostics, Vec<StaticFile>) {
    let oversized = source::limit::oversized(sources, opts.config.max_page_bytes, &mut diags);
    let home = match sources
        .home
        .as_ref()
        .filter(|h| !oversized.contains(&h.path))
    {
        Some(h) => match frontmatter::parse_home(h) {
            Ok(home) => home,
            Err(d) => {
                diags.extend(d);
                HomePage::default()
            }
        },
        None => HomePage::default(),
    };

    if let Some(c) = cache.as_deref_mut() {
        c.retain(sources);
    }
    let mut pages = Vec::with_capacity(sources.groups.len());
    for file in sources
        .groups
        .iter()
        .filter(|f| !oversized.contains(&f.path))
    {
        let parsed = match cache.as_deref_mut() {
            Some(c) => c.parse_group(file),
            None => frontmatter::parse_group(file.clone()),
        };
        match parsed {
            Ok(page) => pages.push(page),
            Err(d) => diags.extend(d),
        }
    }

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
    (site, diags, sources.statics.clone())
}

/// Builds the whole site in memory.
pub fn build(opts: &BuildOptions) -> anyhow::Result<BuildOutcome> {
    let (sources, diags) = source::load(&opts.root)?;
    build_with(opts, &sources, diags, None)
}

/// Builds the whole site in memory from sources already read (with their loading diagnostics),
/// reusing from `cache` the parsed pages whose text is unchanged and the rendered pages whose
/// inputs are unchanged. `serve` keeps the sources and the cache between rebuilds and re-reads
/// only the files that changed; the result equals [`build`]'s.
pub fn build_from(
    opts: &BuildOptions,
    sources: &Sources,
    source_diags: Diagnostics,
    cache: &mut BuildCache,
) -> anyhow::Result<BuildOutcome> {
    build_with(opts, sources, source_diags, Some(cache))
}

fn build_with(
    opts: &BuildOptions,
    sources: &Sources,
    source_diags: Diagnostics,
    mut cache: Option<&mut BuildCache>,
) -> anyhow::Result<BuildOutcome> {
    let (site, mut diagnostics, statics) = from_sources(
        opts,
        sources,
        source_diags,
        cache.as_deref_mut().map(|c| &mut c.parse),
    );
    if diagnostics.count(Severity::Error) > 0 {
        return Ok(BuildOutcome {
            diagnostics,
            site: Some(site),
            output: None,
        });
    }

    let mut output = Output::new();
    let render_opts = RenderOptions { root: &opts.root };
    let rendered = match cache.as_deref_mut() {
        Some(c) => render::render_site_cached(&site, &render_opts, &mut c.render),
        None => render::render_site(&site, &render_opts),
    };
    match rendered {
        Ok(files) => {
            for f in files {
                output.add_shared(f.path, f.bytes)?;
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
    let feeds = match cache {
        Some(c) => crate::feeds::feeds_cached(&site, &mut c.feeds),
        None => crate::feeds::feeds(&site),
    };
    for feed in feeds {
        output.add_shared(feed.path, feed.text)?;
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
