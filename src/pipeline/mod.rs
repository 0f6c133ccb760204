//! The pipeline: one function per command, reading top to bottom as the stages run.
//!
//! Takes: [`BuildOptions`]. Gives: a [`BuildOutcome`] with every diagnostic of the run and, when
//! there were no errors, the site: as an in-memory [`Output`] ([`build`], [`build_from`]), or
//! written into the output folder ([`build_and_write`]).
//!
//! ```text
//! source::load ─▶ frontmatter::parse_group ─▶ validate ─▶ Site ─┬─▶ calendar ─┐
//!   Sources        RawPage (per file)          Diagnostics      └─▶ render   ─┴─▶ Sink
//! ```
//!
//! The stages give each file to a [`Sink`] as soon as it is made: one path through the stages,
//! whatever becomes of the files. `build` and `serve` collect them ([`Collect`]); a plain
//! `mcpsite build` writes each into a staging folder at once and drops it ([`Stream`]), through a
//! cache that keeps no pages ([`BuildCache::for_one_build`]), so it never holds the whole site;
//! the staging folder replaces the output folder only when the build succeeded
//! ([`crate::staging`]). It also lets go of what it no longer needs as it goes (see
//! `Holding::Least`): the pages' texts once the content rules have read them, the feeds once
//! written, and the site's groups before the pages that list the cards, which come last.
//!
//! Before rendering, the pipeline runs the content rules of [`crate::check`] on the site and
//! passes their findings, with the build's own diagnostics, to the render stage, whose community
//! health page shows them; they are not reported by `build`.

pub mod check;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::reuse::Findings;
use crate::config::BuildOptions;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::feeds::{self, FeedCache};
use crate::frontmatter::{self, HomePage};
use crate::memo::{Environment, Memo};
use crate::model::Site;
use crate::output::{Collect, Output, Overridden, Sink, Stream, Written};
use crate::render::{self, RenderCache, RenderError, RenderOptions};
use crate::source::{self, SourceFile, Sources, StaticFile};
use crate::validate::{self, Checked, Slugs};

/// What a build produced: `O` is what became of the files (the files themselves, or how many
/// were written).
#[derive(Debug)]
pub struct BuildOutcome<O = Output> {
    /// Every finding of the build.
    pub diagnostics: Diagnostics,
    /// The validated site, when loading and validation got that far (and, after a plain
    /// build that succeeded, not even then: it let go of the site before its last pages).
    pub site: Option<Site>,
    /// The built files; `None` when any error was found.
    pub output: Option<O>,
}

impl<O> BuildOutcome<O> {
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

    /// The same outcome with `f` of the output.
    fn map<P>(self, f: impl FnOnce(O) -> P) -> BuildOutcome<P> {
        BuildOutcome {
            diagnostics: self.diagnostics,
            site: self.site,
            output: self.output.map(f),
        }
    }
}

/// What one build keeps for the next: parsed pages, what rendering and the calendar feeds
/// derive from each group, and rendered pages, each reused only for the exact inputs it was made
/// from (the rules of [`crate::memo`]). Every build goes through one: [`build`] through an empty
/// one, `serve` through the one it keeps between rebuilds. So there is one path through the
/// stages, and a build through a kept cache equals a fresh [`build`].
pub struct BuildCache {
    /// Group pages parsed and checked on their own, by path, made from the page's text:
    /// parsing and a page's own checks are pure functions of a file's text and of the set of
    /// slugs. `None` in a cache for one build: nothing is kept, each page goes to the site
    /// alone.
    pages: Option<Kept>,
    render: RenderCache,
    feeds: FeedCache,
    /// The content rules' per-group findings, for the health page (see
    /// [`crate::check::reuse`]).
    findings: crate::check::reuse::FindingsCache,
}

/// Group pages parsed and checked on their own, by path, each with the text it was made from,
/// for one set of slugs (a page's own checks read every page's slug).
#[derive(Default)]
struct Kept {
    slugs: Environment<Slugs>,
    pages: Memo<Arc<str>, Result<Arc<Checked>, Diagnostics>>,
}

impl Default for BuildCache {
    /// A cache that keeps everything for the next build.
    fn default() -> Self {
        BuildCache {
            pages: Some(Kept::default()),
            render: RenderCache::default(),
            feeds: FeedCache::default(),
            findings: Default::default(),
        }
    }
}

impl BuildCache {
    /// A cache for one build, thrown away after it: it keeps no parsed pages, no rendered
    /// pages ([`RenderCache::for_one_build`]) and no group's own feed
    /// ([`FeedCache::for_one_build`]), only what later stages of the same build read.
    pub fn for_one_build() -> Self {
        BuildCache {
            pages: None,
            render: RenderCache::for_one_build(),
            feeds: FeedCache::for_one_build(),
            findings: Default::default(),
        }
    }

    /// The rendered pages' part.
    pub fn render(&self) -> &RenderCache {
        &self.render
    }
}

/// Loads and validates the site: everything up to (not including) rendering. `check` and
/// `meetings` stop here.
pub fn load_site(opts: &BuildOptions) -> anyhow::Result<(Site, Diagnostics)> {
    let (sources, diags) = source::load(&opts.root)?;
    Ok(validate_sources(opts, &sources, diags, None))
}

/// Parses and validates already-loaded sources; `diags` are the loading diagnostics. Group
/// pages whose text is unchanged, in a site with the same pages, are taken from `kept`, when
/// there is one.
fn validate_sources(
    opts: &BuildOptions,
    sources: &Sources,
    mut diags: Diagnostics,
    kept: Option<&mut Kept>,
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
    // A page's own checks read the slugs of every page (including the oversized and those
    // that fail to parse: a reference to them is not also a reference to a missing group).
    let slugs = Slugs::new(
        sources
            .groups
            .iter()
            .map(|f| f.stem().to_string())
            .collect(),
    );
    let checked = match kept {
        Some(kept) => check_kept(sources, &oversized, slugs, kept, &mut diags),
        None => check_all(sources, &oversized, &slugs, &mut diags),
    };
    let (site, d) =
        validate::assemble(opts.config.clone(), home, &checked, opts.today, opts.drafts);
    diags.extend(d);
    diags.sort();
    (site, diags)
}

/// Parses and checks one group page on its own.
fn check_file(file: &SourceFile, slugs: &Slugs) -> Result<Arc<Checked>, Diagnostics> {
    frontmatter::parse_group(file.clone()).map(|page| Arc::new(validate::check_page(page, slugs)))
}

/// Parses and checks the group pages (but the `oversized` ones) on every core, taking those
/// whose text is unchanged from `kept` when the slugs are too, and keeping the others; gives the
/// pages in `sources`' order and adds the problems of those that did not parse to `diags`.
fn check_kept(
    sources: &Sources,
    oversized: &HashSet<String>,
    slugs: Slugs,
    kept: &mut Kept,
    diags: &mut Diagnostics,
) -> Vec<Arc<Checked>> {
    let same = kept.slugs.get() == Some(&slugs);
    if !kept.slugs.unchanged(|_| same, || slugs) {
        kept.pages.clear();
    }
    let slugs = kept.slugs.get().expect("just set");
    let files: Vec<&SourceFile> = (sources.groups.iter())
        .filter(|f| !oversized.contains(&f.path))
        .collect();
    let made: Vec<Option<Result<Arc<Checked>, Diagnostics>>> = files
        .par_iter()
        .map(|file| {
            let is_kept = kept.pages.get(&file.path, &file.text).is_some();
            (!is_kept).then(|| check_file(file, slugs))
        })
        .collect();
    let mut checked = Vec::with_capacity(files.len());
    for (file, made) in files.into_iter().zip(made) {
        if let Some(page) = made {
            kept.pages.keep(file.path.clone(), file.text.clone(), page);
        }
        match (kept.pages.kept(&file.path)).expect("every page was just checked or kept") {
            Ok(page) => checked.push(page.clone()),
            Err(d) => diags.extend(d.clone()),
        }
    }
    kept.pages
        .prune(sources.groups.iter().map(|f| f.path.as_str()));
    checked
}

/// Parses and checks the group pages (but the `oversized` ones) on every core, keeping none:
/// gives the pages in `sources`' order and adds the problems of those that did not parse to
/// `diags`, as [`check_kept`] does.
fn check_all(
    sources: &Sources,
    oversized: &HashSet<String>,
    slugs: &Slugs,
    diags: &mut Diagnostics,
) -> Vec<Arc<Checked>> {
    let made: Vec<Result<Arc<Checked>, Diagnostics>> = (sources.groups.par_iter())
        .filter(|f| !oversized.contains(&f.path))
        .map(|file| check_file(file, slugs))
        .collect();
    let mut checked = Vec::with_capacity(made.len());
    for page in made {
        match page {
            Ok(page) => checked.push(page),
            Err(d) => diags.extend(d),
        }
    }
    checked
}

/// Builds the whole site in memory.
pub fn build(opts: &BuildOptions) -> anyhow::Result<BuildOutcome> {
    let (sources, diags) = source::load(&opts.root)?;
    build_from(opts, &sources, diags, &mut BuildCache::for_one_build())
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
    let sink = Collect::default();
    let outcome = build_into(opts, sources, source_diags, cache, &sink)?;
    Ok(outcome.map(|()| sink.into_output()))
}

/// Builds the site into `sink`: every stage gives it each file as soon as the file is made.
/// `output` is `Some(())` when the build succeeded; else the sink may have had some of the
/// files, which the caller throws away.
fn build_into(
    opts: &BuildOptions,
    sources: &Sources,
    source_diags: Diagnostics,
    cache: &mut BuildCache,
    sink: &dyn Sink,
) -> anyhow::Result<BuildOutcome<()>> {
    let (site, diagnostics) = validate_sources(opts, sources, source_diags, cache.pages.as_mut());
    let (outcome, _) = render_valid(
        opts,
        site,
        diagnostics,
        &sources.statics,
        cache,
        sink,
        Holding::All,
    )?;
    Ok(outcome)
}

/// What a build holds on to while it renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holding {
    /// The whole site: the caller reads it after (`serve` compares the next build's texts
    /// with its pages').
    All,
    /// As little as it can (a plain build): it lets go of the group pages' texts once the
    /// content rules have read them, when they weigh more than `texts_above` bytes in all
    /// (each group's page then reads its body again, [`crate::frontmatter::RawPage::body`]),
    /// of the feeds once written, and of the site's groups before the pages that list the
    /// cards ([`render::render_directory`]); the outcome has no site. Unless `findings` asks
    /// for the content rules' findings (`check` reports them), it lets go of their texts
    /// before the pages (the health page only counts them) and of the rest before the pages
    /// that list the cards: at 100,000 groups they weigh some hundred megabytes.
    Least { texts_above: usize, findings: bool },
}

/// Renders a validated site and its feeds into `sink`, unless `diagnostics` has an error: the
/// feeds, then the pages, then (last, see [`render::render_directory`]) the directory and the
/// kind pages. A failed render still renders those, so that every template problem of the
/// build is reported at once. Gives the content rules' findings too, which the health page
/// shows, when `holding` keeps them (`None` too when an error stopped the build before they
/// ran).
fn render_valid(
    opts: &BuildOptions,
    mut site: Site,
    mut diagnostics: Diagnostics,
    statics: &[StaticFile],
    cache: &mut BuildCache,
    sink: &dyn Sink,
    holding: Holding,
) -> anyhow::Result<(BuildOutcome<()>, Option<Findings>)> {
    if diagnostics.count(Severity::Error) > 0 {
        return Ok((BuildOutcome::without_output(diagnostics, site), None));
    }

    // The site's own static/ files win over the theme's and over generated files.
    let sink = Overridden::new(sink, statics.iter().map(|f| f.out_path.as_str()));
    // The health page shows the content rules' findings: the pipeline runs them and passes them
    // in, with the build's own.
    let mut rules = crate::check::reuse::findings(&site, &mut cache.findings);
    let whole = holding == Holding::All;
    let give_findings = matches!(
        holding,
        Holding::All | Holding::Least { findings: true, .. }
    );
    if let Holding::Least { texts_above, .. } = holding {
        let_go_of_texts(&mut site, cache, &opts.root, texts_above);
    }
    if !give_findings {
        rules.drop_texts();
    }
    // The feeds before the pages: they read the site alone, and a plain build drops what it
    // kept of them once they are written, before the pages' largest values are made.
    feeds::put_feeds(&site, &mut cache.feeds, &sink)?;
    if !whole {
        cache.feeds = FeedCache::for_one_build();
    }
    let rendered = {
        let findings: Vec<&Diagnostic> = diagnostics.iter().chain(rules.iter()).collect();
        let render_opts = RenderOptions {
            root: &opts.root,
            findings: &findings,
        };
        render::render_site(&site, &render_opts, &mut cache.render, &sink)
    };
    let rules = give_findings.then_some(rules);
    if let Some(problems) = content_problems(rendered)? {
        // The pages left to the end too: every template problem of the build at once.
        let last = render::render_directory(&site, &mut cache.render, &sink);
        diagnostics.extend(problems);
        diagnostics.extend(content_problems(last)?.unwrap_or_default());
        diagnostics.sort();
        return Ok((BuildOutcome::without_output(diagnostics, site), rules));
    }
    sink.put_statics((statics.iter()).map(|f| (f.out_path.as_str(), f.bytes.as_slice())))?;

    // The pages that list the cards come last, once a plain build has let go of the groups.
    sink.last_pages_next();
    if !whole {
        drop_in_background(std::mem::take(&mut site.groups));
    }
    let last = content_problems(render::render_directory(&site, &mut cache.render, &sink))?;
    let failed = last.is_some();
    diagnostics.extend(last.unwrap_or_default());
    diagnostics.sort();
    let outcome = BuildOutcome {
        diagnostics,
        site: whole.then_some(site),
        output: (!failed).then_some(()),
    };
    Ok((outcome, rules))
}

/// The content problems of a render (`None` when it succeeded); its other errors end the build.
fn content_problems(rendered: Result<(), RenderError>) -> anyhow::Result<Option<Diagnostics>> {
    match rendered {
        Ok(()) => Ok(None),
        Err(RenderError::Content(d)) => Ok(Some(d)),
        Err(RenderError::Other(e)) => Err(e),
    }
}

/// Builds and, only if the build succeeded, replaces the output folder. Each file is written
/// into the staging folder as soon as it is made; a failed build leaves the output folder as it
/// was.
pub fn build_and_write(opts: &BuildOptions) -> anyhow::Result<BuildOutcome<Written>> {
    crate::config::check_output_dir(&opts.root, &opts.output_dir)?;
    // Locked from before reading the sources: a concurrent build of the same folder waits, and
    // the site it publishes is one whole build's.
    let staging = crate::staging::Staging::open(&opts.output_dir)?;
    let sink = Stream::new(&staging);
    let streamed = stream(opts, &sink, false)?;
    let written = Written {
        files: sink.len(),
        groups: streamed.groups,
    };
    if streamed.outcome.output.is_some() {
        staging.commit()?;
    }
    Ok(streamed.outcome.map(|()| written))
}

/// What a build that streamed its files into a sink gives besides them.
#[derive(Debug)]
pub struct Streamed {
    /// The outcome; after a build that succeeded it has no site (see `Holding::Least`).
    pub outcome: BuildOutcome<()>,
    /// How many groups the site has.
    pub groups: usize,
    /// The content rules' findings, when asked for; `None` too when an error stopped the build
    /// before they ran (the outcome then has the site to run them on).
    pub findings: Option<Findings>,
}

/// Builds the site into `sink`, which takes each file as soon as it is made, holding as little
/// as it can while it goes, as `mcpsite build` does, and gives the content rules' findings:
/// what `check` reads.
pub fn build_for_check(opts: &BuildOptions, sink: &dyn Sink) -> anyhow::Result<Streamed> {
    stream(opts, sink, true)
}

/// Builds the site into `sink`, holding as little as it can (`Holding::Least`), and the content
/// rules' findings only when `findings` asks for them.
fn stream(opts: &BuildOptions, sink: &dyn Sink, findings: bool) -> anyhow::Result<Streamed> {
    let (sources, diags) = source::load(&opts.root)?;
    let mut cache = BuildCache::for_one_build();
    let (site, diags) = validate_sources(opts, &sources, diags, None);
    // From here the site holds the only copy of each page's text, which it can let go of.
    let Sources {
        statics,
        groups,
        home,
    } = sources;
    drop((groups, home));
    let groups = site.groups.len();
    let holding = Holding::Least {
        texts_above: LET_GO_OF_TEXTS_ABOVE,
        findings,
    };
    let (outcome, findings) = render_valid(opts, site, diags, &statics, &mut cache, sink, holding)?;
    // What the render kept of each group (the cards' values, the largest part at the end) is
    // freed on a thread of its own, which a plain build does not wait for: it exits next. A
    // check goes on to its output rules, so it frees them first, which keeps its peak where it
    // was.
    if let Holding::Least { findings: true, .. } = holding {
        cache.render.free_groups();
    }
    drop_in_background((cache, statics));
    Ok(Streamed {
        outcome,
        groups,
        findings,
    })
}

/// How many bytes of group pages a plain build holds before it lets go of them (about 2,000
/// groups of the benchmark's, whose pages are 7 KB): below, reading each body again would cost
/// more time (a few percent at 1,000 groups) than the memory is worth.
const LET_GO_OF_TEXTS_ABOVE: usize = 16 << 20;

/// Lets go of every group page's text when together they weigh more than `above` bytes, and of
/// every cache key made from them (a plain build's cache is thrown away after it): each group's
/// page then reads its body again from its file under `root`, the only reader left. At 10,000
/// groups of the benchmark's, the texts were a fifth of the build's peak memory.
fn let_go_of_texts(site: &mut Site, cache: &mut BuildCache, root: &Path, above: usize) {
    let weight: usize = (site.groups.iter()).map(|g| g.page.source.text.len()).sum();
    if weight <= above {
        return;
    }
    cache.findings = Default::default();
    for g in &mut site.groups {
        // The only holder once the sources are dropped; a group shared with a kept cache keeps
        // its text (that cache compares it with the next build's).
        if let Some(g) = Arc::get_mut(g) {
            g.page.let_go_of_text(root);
        }
    }
}

/// Frees `what` on a thread of its own: freeing what a large build kept (every group's
/// contribution and text) takes a few percent of the build's time on one core, and the caller
/// need not wait for it (a process that exits first leaves it to the system).
fn drop_in_background<T: Send + 'static>(what: T) {
    // When no thread can be started, `what` is dropped here, with the closure.
    let _ = (std::thread::Builder::new().name("mcpsite-free".into())).spawn(move || drop(what));
}

#[cfg(test)]
mod tests;
