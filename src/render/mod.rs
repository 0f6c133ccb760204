//! Rendering: the validated site to the files a web server publishes.
//!
//! Takes: a [`Site`], [`RenderOptions`], the [`RenderCache`] of earlier renders (one that keeps
//! no pages for a plain build) and the [`Sink`] the files go to. Gives: every output file to the
//! sink as soon as it is made (a relative path and its bytes), or a [`RenderError`] (then the
//! sink may have had some of the files: the caller throws them away).
//!
//! One file per job:
//! - [`view`]: what the templates see;
//! - `html`: the HTML pages, from the theme's Tera templates (see [`crate::theme`]):
//!   `index.html` (the directory), `ig/` and `wg/` (one page per kind), `groups/<slug>/` (a
//!   group), `calendar/` (the agenda) and `404.html`; `health`: the community health pages and
//!   the parts of `health.json` (`health_rows`: their rows, kept between renders;
//!   `health_keys`: what each page and part is made from);
//! - `data`: `groups.json` and `meetings.json`; `syndication`: `sitemap.xml` and `atom.xml`;
//!   `netlify`: Netlify's `_headers` and `_redirects`. These are written here, not by
//!   templates, because their correctness does not depend on taste;
//! - `cache`: what a render keeps for the next, and `reuse`: each file made anew or reused;
//! - [`live`]: the meetings a page's script keeps current by the reader's clock, and
//!   [`view::addcal`]: the "add to my calendar" links of one meeting.
//!
//! Then the theme's static files (style sheet, script). A render through a cache for one build
//! leaves the directory and kind pages to [`render_directory`], which the pipeline calls last.
//!
//! Output is deterministic: groups are iterated by slug (or a total order derived from it), no
//! value comes from the clock, and the Atom feed's `updated` is the newest date in the data.
//! Pages that list upcoming or past meetings depend on `site.today`, which the build resolves
//! once (`--today`, `SOURCE_DATE_EPOCH` or the clock).

mod cache;
mod data;
mod health;
mod health_keys;
mod health_rows;
mod html;
pub mod live;
mod netlify;
mod period_nav;
mod periods;
mod reuse;
mod syndication;
pub mod view;

use std::path::Path;

use crate::agenda;
use crate::diag::Diagnostic;
use crate::model::Site;
use crate::output::{SharedBytes, Sink};
pub use crate::theme::RenderError;
use crate::theme::Theme;
pub use cache::RenderCache;
use cache::{Entries, KeptGroups, Key};
use periods::Agenda;
use reuse::{Jobs, Reuse};

/// How to render.
pub struct RenderOptions<'a> {
    /// The site root: where `themes/<name>/` overrides are looked up.
    pub root: &'a Path,
    /// The run's diagnostics and content-rule findings, in any order, for the community
    /// health page.
    pub findings: &'a [&'a Diagnostic],
}

/// Renders the whole site into `sink`, reusing from `cache` every page whose inputs are
/// unchanged since the render that kept it, and keeping this render's pages for the next (when
/// the cache keeps pages). The files are exactly those a render through an empty cache gives
/// (see [`RenderCache`]), each given once; their paths are relative to the output folder,
/// `/`-separated: `groups/auth-ig/index.html`.
pub fn render_site(
    site: &Site,
    opts: &RenderOptions,
    cache: &mut RenderCache,
    sink: &dyn Sink,
) -> Result<(), RenderError> {
    let theme = Theme::load_reusing(opts.root, &site.config.theme, cache.take_theme())?;
    let mut health = cache.take_health();
    let rendered = render_with(site, opts, &theme, &mut health, cache, sink);
    cache.keep_health(health);
    cache.keep_theme(theme);
    rendered
}

fn render_with(
    site: &Site,
    opts: &RenderOptions,
    theme: &Theme,
    health: &mut health::HealthKept,
    cache: &mut RenderCache,
    sink: &dyn Sink,
) -> Result<(), RenderError> {
    let home = cache.start(site, theme);
    let window = agenda::upcoming_window(site, site.config.calendar.horizon_days);

    // What each group contributes to the pages, from one expansion of its meetings; made only
    // for the groups whose page changed, then kept.
    let made = cache.contributions(site, theme, window);
    let expansions = cache.keep_groups(site, made);

    let groups = cache.lend_groups();
    let mut out = Reuse::new(theme, cache.pages(), cache.keeps_pages(), sink);
    // A cache for one build drops every group's agenda rows once `meetings.json` is made, and
    // leaves the directory and kind pages for [`render_directory`]: the health pages and the
    // site's files are made without the rows, so the largest of a plain build's peaks is not
    // the sum of both.
    let groups = group_files(&mut out, site, groups, home, expansions, window);
    let directory_last = (!out.keeps()).then_some(home);
    health::files(
        &mut out,
        site,
        &view::site_view(site),
        opts.findings,
        health,
    );
    let failed = out.failed();
    if !failed {
        let later = directory_last.map(|_| html::directory_paths().to_vec());
        site_files(&mut out, site, theme, &later.unwrap_or_default());
    }
    let done = out.finish().map_err(RenderError::Other);
    cache.give_back_groups(groups);
    cache.directory_last = directory_last;
    let done = done?;
    if failed {
        cache.keep_pages(done.made, None);
        return Err(RenderError::Content(done.diags));
    }
    cache.keep_pages(done.made, Some(&done.paths));
    Ok(())
}

/// The directory and kind pages, when the last [`render_site`] through `cache` left them to
/// the end (a cache for one build does); else nothing. They read the kept groups' cards only,
/// and `site`'s settings and home page, not its groups: a plain build lets go of those first.
///
/// Those pages turn every card into a template value, and every group's card, listed, is the
/// largest value a build makes (at 100,000 groups, some 1.1 GB: a map of some 80 values and
/// the card's HTML, 11 KB a group): made last, it is not added to the model of the site, nor
/// to the agenda, and each group's card goes as its value is made.
pub fn render_directory(
    site: &Site,
    cache: &mut RenderCache,
    sink: &dyn Sink,
) -> Result<(), RenderError> {
    let Some(home) = cache.directory_last.take() else {
        return Ok(());
    };
    let theme = (cache.take_theme()).expect("a render that left the directory kept its theme");
    let mut groups = cache.lend_groups();
    groups.only_card_values(&theme);
    let mut out = Reuse::new(&theme, cache.pages(), cache.keeps_pages(), sink);
    html::directory_pages(&mut out, site, &groups.entries_by_slug(), home);
    let done = out.finish();
    // Given back, not dropped: the caller decides when to free them ([`RenderCache::free_groups`]).
    cache.give_back_groups(groups);
    cache.keep_theme(theme);
    let done = done.map_err(RenderError::Other)?;
    match done.diags.is_empty() {
        true => Ok(()),
        false => Err(RenderError::Content(done.diags)),
    }
}

/// The files that read the kept groups: the HTML pages and, unless a page failed, the data
/// files. Gives the groups back.
///
/// A cache that keeps pages renders every HTML page at once, on every core. A cache for one
/// build leaves the directory and kind pages to [`render_directory`], and drops every group's
/// agenda rows once the data files are made.
fn group_files(
    out: &mut Reuse,
    site: &Site,
    mut groups: KeptGroups,
    home: crate::memo::Version,
    expansions: Vec<Option<view::Expansion>>,
    window: (jiff::Timestamp, jiff::Timestamp),
) -> KeptGroups {
    let together = out.keeps();
    let entries = groups.entries(site);
    let agenda = Agenda::of(&entries, window);
    let directory = together.then_some(home);
    html::pages(out, site, &entries, expansions, window, &agenda, directory);
    if !out.failed() {
        data_files(out, site, &entries, &agenda);
    }
    drop((agenda, entries));
    if !together {
        groups.drop_agendas();
    }
    groups
}

/// `groups.json` (it reads every group's record) and `meetings.json` (the agenda's records), cut
/// into parts like the agenda's pages when it is: made at once on every core, each written as
/// it is made (one after the other, the parts of a large site's agenda left a core idle).
fn data_files(out: &mut Reuse, site: &Site, entries: &Entries, agenda: &Agenda) {
    let parts = data::MeetingsParts::of(site, agenda);
    let mut jobs = Jobs::default();
    jobs.written(
        "groups.json",
        Key::Versions(entries.versions(|e| Some(e.version)).into()),
        |w| data::write_groups_json(w, site, site.groups.len(), |i| entries.record(site, i)),
    );
    let versions = entries.agenda_key();
    let keeps = out.keeps();
    for (i, period) in agenda.periods.iter().enumerate() {
        let path = parts.path(i).to_string();
        let parts = (i == 0).then_some(&parts);
        jobs.written(&path, Key::Versions(versions.clone()), move |w| {
            let rows = agenda.rows_of(period);
            let record = |r: usize| rows[r].json_text(site, keeps);
            data::write_meetings_json(w, site, period, parts, rows.len(), record)
        });
    }
    out.make(jobs);
}

/// The files made from the whole site every time (cheap), and the theme's static files but
/// those at a path a generated file has (the generated file wins), `later` among them.
fn site_files(out: &mut Reuse, site: &Site, theme: &Theme, later: &[String]) {
    let text = |text: String| SharedBytes::new(text.into_bytes());
    // Made side by side (each reads every group), then given in this order.
    let ((sitemaps, atom), (headers, redirects)) = rayon::join(
        || rayon::join(|| syndication::sitemaps(site), || syndication::atom(site)),
        || rayon::join(|| netlify::headers(site), || netlify::redirects(site)),
    );
    for (path, sitemap) in sitemaps {
        out.put(&path, text(sitemap));
    }
    out.put("atom.xml", text(atom));
    out.put("_headers", text(headers));
    out.put("_redirects", text(redirects));
    for (path, bytes) in &theme.statics {
        if !out.has(path) && !later.contains(path) {
            out.put(path, SharedBytes::new(bytes.clone()));
        }
    }
}

#[cfg(test)]
mod tests;
