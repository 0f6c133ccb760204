//! Rendering: the validated site to the files a web server publishes.
//!
//! Takes: a [`Site`] and [`RenderOptions`]. Gives: every output file as an [`OutputFile`] (a
//! relative path and its bytes, sorted by path), or a [`RenderError`].
//!
//! HTML pages come from the theme's Tera templates (see [`crate::theme`]) fed with the view
//! structs of [`view`]: `index.html` (the directory), `ig/` and `wg/` (one page per kind),
//! `groups/<slug>/` (a group), `calendar/` (the agenda) and `404.html`. The machine-readable
//! files are written here, not by templates, because their correctness does not depend on
//! taste: `groups.json`, `sitemap.xml`, `atom.xml`, and Netlify's `_headers` and `_redirects`.
//! Then the theme's static files (style sheet, script).
//!
//! Output is deterministic: groups are iterated by slug (or a total order derived from it), no
//! value comes from the clock, and the Atom feed's `updated` is the newest date in the data.
//! Pages that list upcoming or past meetings depend on `site.today`, as DESIGN.md allows.

pub mod view;

use std::collections::{BTreeSet, HashMap};
use std::fmt::{self, Write as _};
use std::path::Path;

use serde::Serialize;

use crate::agenda;
use crate::diag::Diagnostics;
use crate::markdown::{self, escape};
use crate::model::{Group, Site};
use crate::output::SharedBytes;
use crate::schema::{Kind, MeetingStatus};
use crate::source::SourceFile;
use crate::theme::Theme;
use view::{GroupCard, SECTIONS, SectionView};

/// How to render.
pub struct RenderOptions<'a> {
    /// The site root: where `themes/<name>/` overrides are looked up.
    pub root: &'a Path,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated: `groups/auth-ig/index.html`.
    pub path: String,
    /// Shared with the [`RenderCache`] when it keeps the file.
    pub bytes: SharedBytes,
}

/// Why rendering failed.
#[derive(Debug)]
pub enum RenderError {
    /// Problems in the site's files (an unknown theme, a broken template), located.
    Content(Diagnostics),
    /// Anything else (reading a theme file failed).
    Other(anyhow::Error),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Content(d) => write!(f, "{}", d.render(crate::diag::Format::Text)),
            RenderError::Other(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for RenderError {}

impl From<anyhow::Error> for RenderError {
    fn from(e: anyhow::Error) -> Self {
        RenderError::Other(e)
    }
}

/// Renders the whole site.
pub fn render_site(site: &Site, opts: &RenderOptions) -> Result<Vec<OutputFile>, RenderError> {
    render(site, opts, None)
}

/// Renders the whole site like [`render_site`], reusing from `cache` every page whose inputs
/// are unchanged since the render that kept it, and keeping this render's pages for the next.
/// The files are always exactly [`render_site`]'s (see [`RenderCache`]). `serve` uses this.
pub fn render_site_cached(
    site: &Site,
    opts: &RenderOptions,
    cache: &mut RenderCache,
) -> Result<Vec<OutputFile>, RenderError> {
    render(site, opts, Some(cache))
}

/// What [`render_site_cached`] keeps between renders: what each group contributes to the pages
/// (its card, its agenda entries, its `groups.json` record), and the rendered pages, each with
/// the exact inputs it was made from.
///
/// Soundness rests on three facts, each kept next to the code it is about:
/// - Everything any page shows is a function of the settings, `today`, the reload URL, the
///   theme's templates (together the *environment*: when it differs, everything kept is
///   dropped), the home page, and the groups.
/// - A [`Group`] is a function of its page's path and text (parsing is, and validation builds a
///   group from its page alone; `pipeline::ParseCache` relies on the same). What the cache
///   derives from a group is kept while that path and text are unchanged.
/// - Each page's key covers everything it reads, as *version* numbers: a number is handed out
///   for each new value of a thing pages read, and never reused. A group has four: of its
///   page (`version`), of its [`view::GroupRef`] (`ref_version`, all other groups' pages read
///   of it), of its card (`card_version`, all the directory and kind pages read of it), and of
///   its card, agenda entries and whether it has a feed (`feed_version`, all the calendar page
///   and `meetings.json` read of it). A group page's key is its group's `version` and, for each
///   group its page names, that group's `ref_version` or "not in this build" (the only way a
///   group page reads other groups: [`view::PageRefs`]); an aggregate page's key is the list of
///   the versions it reads of every group it can list (and the home page's, for the
///   directory).
///
/// A page is reused only when its key is equal, and only pages that rendered without error are
/// kept, so a render through the cache gives exactly what a render without it gives.
#[derive(Default)]
pub struct RenderCache {
    env: Option<Env>,
    /// The last version number handed out.
    last_version: u64,
    /// By slug.
    groups: HashMap<String, GroupEntry>,
    /// The home page's title, description and body, and their version.
    home: Option<(HomeKey, u64)>,
    /// By output path.
    pages: HashMap<String, Kept>,
    /// The output paths the last render made anew rather than reused.
    made: Vec<String>,
    /// The last render's theme, whose compiled templates the next reuses if they are the same.
    theme: Option<Theme>,
}

/// The home page's title, description and body.
type HomeKey = (Option<String>, Option<String>, String);

/// What every page depends on besides the content.
#[derive(PartialEq, Eq)]
struct Env {
    config: crate::config::SiteConfig,
    today: jiff::civil::Date,
    templates: Vec<(String, String, String)>,
}

/// What is derived from one group alone (its page, the settings and `today`).
struct GroupEntry {
    /// The page the entry was made from.
    source: SourceFile,
    /// Of the page: a new one whenever the page changes.
    version: u64,
    card: GroupCard,
    /// `card` as the templates get it (Tera values share their contents when cloned).
    card_value: tera::Value,
    /// Of `card`: the same while the card is equal.
    card_version: u64,
    /// How other groups' pages show this group.
    group_ref: view::GroupRef,
    /// Of `group_ref`: the same while it is equal.
    ref_version: u64,
    has_feed: bool,
    /// The group's meetings in the agenda window, in start order.
    agenda: Vec<AgendaRow>,
    /// Of `card`, `has_feed` and `agenda`: the same while they are all equal.
    feed_version: u64,
    /// The group's record in `groups.json`, as it appears there.
    json: String,
}

/// One meeting on the agenda, as the calendar page and `meetings.json` show it.
struct AgendaRow {
    /// The agenda's order: start, then group, then id (as `agenda::expand` sorts).
    start: jiff::Timestamp,
    id: String,
    entry: view::AgendaEntry,
    /// `entry` as the templates get it.
    value: tera::Value,
    /// The record in `meetings.json`, and as it appears there.
    json: agenda::ItemJson,
    json_text: String,
}

impl AgendaRow {
    /// Equal rows show alike everywhere (`value` and `json_text` are made from the others).
    fn same(&self, other: &AgendaRow) -> bool {
        self.start == other.start
            && self.id == other.id
            && self.entry == other.entry
            && self.json == other.json
    }
}

/// A kept page and what it was made from.
struct Kept {
    key: Key,
    bytes: SharedBytes,
}

#[derive(PartialEq, Eq)]
enum Key {
    /// A group page: the group's version and those of the groups it names (`None`: not in
    /// this build), as [`view::PageRefs::page`] reads them.
    Group(u64, view::Refs<Option<u64>>),
    /// An aggregate page: the versions of everything it reads, in order.
    Versions(Vec<u64>),
}

impl RenderCache {
    /// The output paths the last render made anew (pages, `groups.json`, `meetings.json`)
    /// rather than reused, in the order it made them. For tests and measurements.
    pub fn last_made(&self) -> &[String] {
        &self.made
    }

    fn next_version(&mut self) -> u64 {
        self.last_version += 1;
        self.last_version
    }

    /// Drops everything when the environment changed, and gives the home page its version.
    fn start(&mut self, site: &Site, theme: &Theme) -> u64 {
        let same = self.env.as_ref().is_some_and(|e| {
            e.config == site.config
                && e.today == site.today
                && e.templates.as_slice() == theme.sources()
        });
        if !same {
            self.groups.clear();
            self.pages.clear();
            self.home = None;
            self.env = Some(Env {
                config: site.config.clone(),
                today: site.today,
                templates: theme.sources().to_vec(),
            });
        }
        let home = (
            site.home.fm.title.clone(),
            site.home.fm.description.clone(),
            site.home.body.clone(),
        );
        match &self.home {
            Some((h, v)) if *h == home => *v,
            _ => {
                let v = self.next_version();
                self.home = Some((home, v));
                v
            }
        }
    }

    /// Makes `g`'s entry anew, keeping the card and feed versions of the previous entry where
    /// what they stand for is equal.
    fn update_group<'g>(
        &mut self,
        site: &Site,
        g: &'g Group,
        exp: &view::Expansion<'g>,
        (from, to): (jiff::Timestamp, jiff::Timestamp),
    ) {
        let group = view::group_ref(g);
        let agenda: Vec<AgendaRow> = exp
            .between(from, to)
            .iter()
            .map(|item| {
                let entry = view::AgendaEntry {
                    group: group.clone(),
                    meeting: exp.view(item),
                };
                let json = item.to_json(site);
                AgendaRow {
                    start: item.start.timestamp(),
                    id: item.id.clone(),
                    value: tera::Value::from_serializable(&entry),
                    entry,
                    json_text: pretty_item(&json),
                    json,
                }
            })
            .collect();
        let card = view::card(site, g, exp);
        let has_feed = view::has_feed(g);
        let old = self.groups.remove(&g.slug);
        let ref_version = match &old {
            Some(o) if o.group_ref == group => o.ref_version,
            _ => self.next_version(),
        };
        let card_version = match &old {
            Some(o) if o.card == card => o.card_version,
            _ => self.next_version(),
        };
        let feed_version = match &old {
            Some(o)
                if o.card == card
                    && o.has_feed == has_feed
                    && o.agenda.len() == agenda.len()
                    && o.agenda.iter().zip(&agenda).all(|(a, b)| a.same(b)) =>
            {
                o.feed_version
            }
            _ => self.next_version(),
        };
        let entry = GroupEntry {
            source: g.page.source.clone(),
            version: self.next_version(),
            json: pretty_item(&group_json(site, g, &card)),
            card_value: tera::Value::from_serializable(&card),
            card,
            card_version,
            group_ref: group,
            ref_version,
            has_feed,
            agenda,
            feed_version,
        };
        self.groups.insert(g.slug.clone(), entry);
    }
}

fn render(
    site: &Site,
    opts: &RenderOptions,
    cache: Option<&mut RenderCache>,
) -> Result<Vec<OutputFile>, RenderError> {
    // A plain render goes through an empty cache and keeps nothing: the same code either way.
    let keep = cache.is_some();
    let mut scratch = RenderCache::default();
    let cache = cache.unwrap_or(&mut scratch);
    let theme = Theme::load_reusing(opts.root, &site.config.theme, cache.theme.take())?;
    let home_version = cache.start(site, &theme);
    let (from, to) = agenda::upcoming_window(site, site.config.calendar.horizon_days);

    // What each group contributes to the pages, from one expansion of its meetings; kept while
    // its page is unchanged.
    let mut expansions: Vec<Option<view::Expansion>> = Vec::with_capacity(site.groups.len());
    for g in &site.groups {
        let source = &g.page.source;
        if cache
            .groups
            .get(&g.slug)
            .is_some_and(|e| e.source == *source)
        {
            expansions.push(None);
            continue;
        }
        let exp = view::Expansion::of(site, g, to);
        cache.update_group(site, g, &exp, (from, to));
        expansions.push(Some(exp));
    }
    if cache.groups.len() > site.groups.len() {
        let pages = &mut cache.pages;
        cache.groups.retain(|slug, _| {
            let live = site.group(slug).is_some();
            if !live {
                pages.remove(&format!("groups/{slug}/index.html"));
            }
            live
        });
    }
    cache.made.clear();
    let RenderCache {
        groups,
        pages,
        made,
        ..
    } = cache;
    let entries: Vec<&GroupEntry> = site.groups.iter().map(|g| &groups[&g.slug]).collect();
    let versions = |pick: &dyn Fn(&GroupEntry) -> Option<u64>| -> Vec<u64> {
        entries.iter().filter_map(|e| pick(e)).collect()
    };

    let mut r = Renderer {
        theme: &theme,
        files: Vec::new(),
        diags: Diagnostics::new(),
        seen: BTreeSet::new(),
        pages,
        made,
        keep,
    };

    let site_view = view::site_view(site);
    let listing = sorted_for_listing(site, &entries);
    let cards: Vec<&GroupCard> = listing.iter().map(|e| &e.card).collect();

    // The directory: it reads the groups' cards only.
    let mut key = vec![home_version];
    key.extend(versions(&|e| Some(e.card_version)));
    r.page("index.html", "index.html", Key::Versions(key), || {
        let title = site
            .home
            .fm
            .title
            .clone()
            .unwrap_or_else(|| site.config.title.clone());
        let description = site
            .home
            .fm
            .description
            .clone()
            .unwrap_or_else(|| site.config.description.clone());
        let intro = markdown::render_page(
            &site.home.body,
            &["main", "top", "site-nav", "directory", "filters"],
        );
        let mut ctx = base_context(
            &site_view,
            view::page_view(site, "/", title.clone(), description, "home"),
        );
        ctx.insert(
            "home",
            &Home {
                title,
                intro_html: intro.html,
            },
        );
        ctx.insert("sections", &sections(&listing, None));
        ctx.insert("counts", &Counts::of(&cards));
        ctx.insert("statuses", &statuses_present(&cards));
        ctx
    });

    // One page per kind: it reads the cards of its kind only.
    for kind in [Kind::Ig, Kind::Wg] {
        let k = KindView::of(kind);
        let key = Key::Versions(versions(&|e| {
            (e.card.kind == kind.suffix()).then_some(e.card_version)
        }));
        let out = format!("{}/index.html", k.slug);
        r.page("kind.html", &out, key, || {
            let path = format!("/{}/", k.slug);
            let mut ctx = base_context(
                &site_view,
                view::page_view(site, &path, k.name.clone(), k.description.clone(), &k.slug),
            );
            ctx.insert("kind", &k);
            ctx.insert("sections", &sections(&listing, Some(kind)));
            ctx
        });
    }

    // The groups.
    for ((g, entry), exp) in site.groups.iter().zip(&entries).zip(expansions) {
        let out = format!("groups/{}/index.html", g.slug);
        let key = Key::Group(
            entry.version,
            view::Refs::of(g, |slug| {
                site.group(slug).map(|r| groups[&r.slug].ref_version)
            }),
        );
        r.page("group.html", &out, key, || {
            let refs = view::PageRefs::page(site, g);
            let exp = exp.unwrap_or_else(|| view::Expansion::of(site, g, to));
            let page = view::group_page(site, g, entry.card.clone(), &exp, &refs);
            let mut ctx = base_context(
                &site_view,
                view::page_view(
                    site,
                    &g.url_path(),
                    g.full_name(),
                    page.card.summary.clone(),
                    g.kind.suffix(),
                ),
            );
            ctx.insert("group", &page);
            ctx
        });
    }

    // The agenda: only groups with a feed have meetings on it or are listed.
    let feed_versions = versions(&|e| e.has_feed.then_some(e.feed_version));
    let agenda_rows = || {
        let mut rows: Vec<&AgendaRow> = entries
            .iter()
            .filter(|e| e.has_feed)
            .flat_map(|e| &e.agenda)
            .collect();
        rows.sort_by(|a, b| {
            (a.start, &a.entry.group.slug, &a.id).cmp(&(b.start, &b.entry.group.slug, &b.id))
        });
        rows
    };
    r.page(
        "calendar.html",
        "calendar/index.html",
        Key::Versions(feed_versions.clone()),
        || {
            let with_feeds: Vec<&tera::Value> = listing
                .iter()
                .filter(|e| e.has_feed)
                .map(|e| &e.card_value)
                .collect();
            let mut ctx = base_context(
                &site_view,
                view::page_view(
                    site,
                    "/calendar/",
                    "Meeting calendar".into(),
                    "Upcoming meetings of every MCP Interest Group and Working Group, in your time zone, and how to subscribe.".into(),
                    "calendar",
                ),
            );
            ctx.insert("groups_with_feeds", &with_feeds);
            let agenda: Vec<&tera::Value> = agenda_rows().into_iter().map(|r| &r.value).collect();
            ctx.insert("agenda", &agenda);
            ctx.insert(
                "horizon",
                &AgendaRange {
                    days: site.config.calendar.horizon_days,
                    from: view::DateView::new(site.today),
                },
            );
            ctx
        },
    );

    // Not found.
    r.page("404.html", "404.html", Key::Versions(Vec::new()), || {
        base_context(
            &site_view,
            view::page_view(
                site,
                "/404.html",
                "Page not found".into(),
                String::new(),
                "",
            ),
        )
    });

    if !r.diags.is_empty() {
        let mut d = r.diags;
        d.sort();
        cache.theme = Some(theme);
        return Err(RenderError::Content(d));
    }

    r.file(
        "groups.json",
        Key::Versions(versions(&|e| Some(e.version))),
        || {
            let records: Vec<&str> = entries.iter().map(|e| e.json.as_str()).collect();
            groups_json(site, &records)
        },
    );
    r.file("meetings.json", Key::Versions(feed_versions), || {
        let records: Vec<&str> = agenda_rows()
            .into_iter()
            .map(|r| r.json_text.as_str())
            .collect();
        meetings_json(site, from, to, &records)
    });
    let mut files = r.files;
    files.push(text_file("sitemap.xml", sitemap(site)));
    files.push(text_file("atom.xml", atom(site)));
    files.push(text_file("_headers", headers(site)));
    files.push(text_file("_redirects", redirects(site)));
    for (path, bytes) in &theme.statics {
        files.push(OutputFile {
            path: path.clone(),
            bytes: SharedBytes::new(bytes.clone()),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    cache.theme = Some(theme);
    Ok(files)
}

struct Renderer<'a> {
    theme: &'a Theme,
    files: Vec<OutputFile>,
    diags: Diagnostics,
    /// One report per distinct template problem, however many pages hit it.
    seen: BTreeSet<(String, usize, usize, String)>,
    /// Kept pages, by output path.
    pages: &'a mut HashMap<String, Kept>,
    /// The output paths made anew.
    made: &'a mut Vec<String>,
    /// Whether to keep what this render makes.
    keep: bool,
}

impl Renderer<'_> {
    /// Renders `template` into `out` with the context `ctx` makes, unless a page made from the
    /// same `key` is kept.
    fn page(&mut self, template: &str, out: &str, key: Key, ctx: impl FnOnce() -> tera::Context) {
        if self.reuse(out, &key) {
            return;
        }
        match self.theme.render(template, &ctx(), out) {
            Ok(html) => self.output(out, key, html),
            Err(d) => {
                self.pages.remove(out);
                for d in d.into_vec() {
                    if self
                        .seen
                        .insert((d.path.clone(), d.pos.line, d.pos.col, d.message.clone()))
                    {
                        self.diags.push(d);
                    }
                }
            }
        }
    }

    /// A file that is not a template's: `text` makes it unless one made from `key` is kept.
    fn file(&mut self, out: &str, key: Key, text: impl FnOnce() -> String) {
        if self.reuse(out, &key) {
            return;
        }
        self.output(out, key, text());
    }

    /// Outputs the kept `out` if it was made from `key`.
    fn reuse(&mut self, out: &str, key: &Key) -> bool {
        match self.pages.get(out).filter(|k| k.key == *key) {
            Some(kept) => {
                self.files.push(OutputFile {
                    path: out.to_string(),
                    bytes: kept.bytes.clone(),
                });
                true
            }
            None => false,
        }
    }

    fn output(&mut self, out: &str, key: Key, text: String) {
        let file = text_file(out, text);
        if self.keep {
            self.made.push(out.to_string());
            let bytes = file.bytes.clone();
            self.pages.insert(out.to_string(), Kept { key, bytes });
        }
        self.files.push(file);
    }
}

fn text_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        bytes: SharedBytes::new(text.into_bytes()),
    }
}

fn base_context(site: &view::SiteView, page: view::PageView) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", site);
    ctx.insert("page", &page);
    ctx
}

#[derive(Serialize)]
struct AgendaRange {
    days: u32,
    from: view::DateView,
}

#[derive(Serialize)]
struct Home {
    title: String,
    intro_html: String,
}

#[derive(Serialize)]
struct Counts {
    total: usize,
    ig: usize,
    wg: usize,
    active: usize,
    retired: usize,
}

impl Counts {
    fn of(cards: &[&GroupCard]) -> Self {
        Counts {
            total: cards.len(),
            ig: cards.iter().filter(|c| c.kind == "ig").count(),
            wg: cards.iter().filter(|c| c.kind == "wg").count(),
            active: cards.iter().filter(|c| c.section == "active").count(),
            retired: cards.iter().filter(|c| c.retired).count(),
        }
    }
}

/// A status present in the directory, for the filter's options.
#[derive(Serialize)]
struct StatusOption {
    value: String,
    label: String,
}

fn statuses_present(cards: &[&GroupCard]) -> Vec<StatusOption> {
    let order = ["active", "approved", "proposed", "unknown", "retired"];
    order
        .iter()
        .filter(|s| cards.iter().any(|c| c.status == **s))
        .map(|s| StatusOption {
            value: s.to_string(),
            label: cards
                .iter()
                .find(|c| c.status == *s)
                .map(|c| c.status_label.clone())
                .unwrap_or_default(),
        })
        .collect()
}

#[derive(Serialize)]
struct KindView {
    slug: String,
    label: String,
    /// "Interest Groups"
    name: String,
    description: String,
}

impl KindView {
    fn of(kind: Kind) -> Self {
        let description = match kind {
            Kind::Ig => {
                "Interest Groups bring together contributors who share an interest in one MCP sub-topic or context. They discuss it, share knowledge, and collect problems that may be worth solving through SEPs or other community artifacts."
            }
            Kind::Wg => {
                "Working Groups collaborate on a SEP, a themed series of SEPs, or another officially endorsed project. They make progress on specification work, or maintain a project such as the Inspector, the Registry or the SDKs."
            }
        };
        KindView {
            slug: kind.suffix().into(),
            label: kind.label().into(),
            name: format!("{}s", kind.long_name()),
            description: description.into(),
        }
    }
}

/// The directory's listing order: by name, then kind, then slug. `entries` are the groups'
/// entries in `site.groups`' order.
fn sorted_for_listing<'e>(site: &Site, entries: &[&'e GroupEntry]) -> Vec<&'e GroupEntry> {
    let mut listed: Vec<(&Group, &GroupEntry)> =
        site.groups.iter().zip(entries.iter().copied()).collect();
    // The key is a total order (slugs are unique), so this is the one sorted order.
    listed.sort_by_cached_key(|(g, _)| (g.name().to_lowercase(), g.kind, g.slug.clone()));
    listed.into_iter().map(|(_, e)| e).collect()
}

/// The directory's sections, of the groups of `kind` or all; `listing` in listing order.
fn sections<'c>(listing: &[&'c GroupEntry], kind: Option<Kind>) -> Vec<SectionView<'c>> {
    SECTIONS
        .iter()
        .map(|(id, title, intro)| SectionView {
            id: id.to_string(),
            title: title.to_string(),
            intro: intro.to_string(),
            groups: listing
                .iter()
                .filter(|e| e.card.section == *id)
                .filter(|e| kind.is_none_or(|k| e.card.kind == k.suffix()))
                .map(|e| &e.card_value)
                .collect(),
        })
        .filter(|s| !s.groups.is_empty())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// groups.json

#[derive(Serialize)]
struct GroupsJson<'a, T> {
    version: u32,
    base_url: &'a str,
    groups: &'a [T],
}

#[derive(Serialize)]
struct PersonJson {
    github: Option<String>,
    name: Option<String>,
    org: Option<String>,
    url: Option<String>,
    term_ends: Option<String>,
}

#[derive(Serialize)]
struct LifecycleJson {
    proposed: Option<String>,
    approved: Option<String>,
    active: Option<String>,
    chartered: Option<String>,
    rechartered: Option<String>,
    retired: Option<String>,
    retired_reason: Option<String>,
    successor: Option<String>,
    predecessors: Vec<String>,
}

#[derive(Serialize)]
struct GroupJson {
    slug: String,
    kind: String,
    name: String,
    full_name: String,
    short_name: Option<String>,
    summary: String,
    status: String,
    topic: String,
    draft: bool,
    channel: Option<String>,
    channel_url: Option<String>,
    calendar_tag: Option<String>,
    url: String,
    facilitators: Vec<PersonJson>,
    maintainers: Vec<PersonJson>,
    related: Vec<String>,
    lifecycle: LifecycleJson,
    /// The group's calendar feed (every group has one).
    ics: String,
    /// Whether the feed has anything in it yet.
    has_meetings: bool,
}

fn person_json(p: &crate::schema::Person) -> PersonJson {
    let github = p.github.as_ref().map(|h| h.get_ref().clone());
    PersonJson {
        url: github.as_ref().map(|h| format!("https://github.com/{h}")),
        github,
        name: p.name.clone(),
        org: p.org.clone(),
        term_ends: p.term_ends.as_ref().map(|d| d.get_ref().0.to_string()),
    }
}

/// A group's record in `groups.json`; `card` is its card.
fn group_json(site: &Site, g: &Group, card: &GroupCard) -> GroupJson {
    let fm = g.fm();
    let lc = &fm.lifecycle;
    let date = |d: &Option<toml::Spanned<crate::schema::Date>>| {
        d.as_ref().map(|d| d.get_ref().0.to_string())
    };
    GroupJson {
        slug: g.slug.clone(),
        kind: g.kind.suffix().into(),
        name: g.name().into(),
        full_name: g.full_name(),
        short_name: fm.short_name.clone(),
        summary: fm.summary.get_ref().clone(),
        status: g.status().as_str().into(),
        topic: g.topic.clone(),
        draft: fm.draft,
        channel: g.channel().map(str::to_string),
        channel_url: card.channel_url.clone(),
        calendar_tag: g.calendar_tag().map(str::to_string),
        url: site.abs_url(&g.url_path()),
        facilitators: fm
            .facilitators
            .iter()
            .map(|p| person_json(p.get_ref()))
            .collect(),
        maintainers: fm
            .maintainers
            .iter()
            .map(|p| person_json(p.get_ref()))
            .collect(),
        related: fm.related.iter().map(|r| r.get_ref().clone()).collect(),
        lifecycle: LifecycleJson {
            proposed: date(&lc.proposed),
            approved: date(&lc.approved),
            active: date(&lc.active),
            chartered: date(&lc.chartered),
            rechartered: date(&lc.rechartered),
            retired: date(&lc.retired),
            retired_reason: lc
                .retired_reason
                .as_ref()
                .map(|r| r.get_ref().as_str().to_string()),
            successor: lc.successor.as_ref().map(|s| s.get_ref().clone()),
            predecessors: lc
                .predecessors
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
        },
        ics: site.abs_url(&format!("{}calendar.ics", g.url_path())),
        has_meetings: view::has_feed(g),
    }
}

/// `groups.json` from every group's record ([`pretty_item`] of [`group_json`]), by slug.
fn groups_json(site: &Site, records: &[&str]) -> String {
    let doc = serde_json::to_string_pretty(&GroupsJson::<GroupJson> {
        version: 1,
        base_url: &site.config.base_url,
        groups: &[],
    })
    .expect("groups.json serializes");
    with_records(doc, records)
}

/// A record in an array that is a top-level field of a JSON document, as
/// `serde_json::to_string_pretty` writes it there: two levels deep, so each line indented by
/// four more spaces than on its own. (JSON strings escape line breaks, so every line break is
/// the formatter's.)
fn pretty_item<T: Serialize>(item: &T) -> String {
    let text = serde_json::to_string_pretty(item).expect("JSON records serialize");
    let mut out = String::with_capacity(text.len() + 4 * (text.len() / 16 + 1));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// `doc`, a document from `serde_json::to_string_pretty` whose last field is an empty array,
/// with `records` ([`pretty_item`]s) in that array, and a final line break: the text of the
/// same document serialized with the records in it.
fn with_records(mut doc: String, records: &[&str]) -> String {
    if !records.is_empty() {
        let head = doc
            .strip_suffix("[]\n}")
            .expect("the records' array is the last field")
            .len();
        doc.truncate(head);
        doc.reserve(records.iter().map(|r| r.len() + 2).sum::<usize>() + 8);
        doc.push_str("[\n");
        for (i, r) in records.iter().enumerate() {
            if i > 0 {
                doc.push_str(",\n");
            }
            doc.push_str(r);
        }
        doc.push_str("\n  ]\n}");
    }
    doc.push('\n');
    doc
}

// ---------------------------------------------------------------------------------------------
// meetings.json

#[derive(Serialize)]
struct MeetingsJson<'a, T> {
    version: u32,
    base_url: &'a str,
    /// The expanded range: `[from, to)`, UTC.
    from: String,
    to: String,
    /// The same records `mcpsite meetings --format json` prints.
    meetings: &'a [T],
}

/// `meetings.json` from the records ([`pretty_item`] of [`agenda::ItemJson`]) of every
/// group's meetings in `[from, to)`, in `agenda::expand`'s order.
fn meetings_json(
    site: &Site,
    from: jiff::Timestamp,
    to: jiff::Timestamp,
    records: &[&str],
) -> String {
    let doc = serde_json::to_string_pretty(&MeetingsJson::<agenda::ItemJson> {
        version: 1,
        base_url: &site.config.base_url,
        from: view::utc_rfc3339(from),
        to: view::utc_rfc3339(to),
        meetings: &[],
    })
    .expect("meetings.json serializes");
    with_records(doc, records)
}

// ---------------------------------------------------------------------------------------------
// sitemap.xml

fn sitemap(site: &Site) -> String {
    let mut paths = vec![
        "/".to_string(),
        "/ig/".into(),
        "/wg/".into(),
        "/calendar/".into(),
    ];
    paths.extend(
        site.groups
            .iter()
            .filter(|g| !g.fm().draft)
            .map(|g| g.url_path()),
    );
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        let _ = writeln!(s, "  <url><loc>{}</loc></url>", escape(&site.abs_url(&p)));
    }
    s.push_str("</urlset>\n");
    s
}

// ---------------------------------------------------------------------------------------------
// atom.xml

struct Entry {
    date: jiff::civil::Date,
    slug: String,
    id: String,
    title: String,
    link: String,
    summary: String,
}

/// The newest entries the feed keeps.
const FEED_ENTRIES: usize = 100;

fn atom(site: &Site) -> String {
    let mut entries = Vec::new();
    for g in site.groups.iter().filter(|g| !g.fm().draft) {
        let fm = g.fm();
        let lc = &fm.lifecycle;
        let page = site.abs_url(&g.url_path());
        let label = g.short_label();
        let events = [
            ("proposed", &lc.proposed, "proposed"),
            ("approved", &lc.approved, "approved"),
            ("active", &lc.active, "active"),
            ("chartered", &lc.chartered, "chartered"),
            ("rechartered", &lc.rechartered, "charter revised"),
            ("vetoed", &lc.vetoed, "vetoed"),
            ("retired", &lc.retired, "retired"),
        ];
        for (key, date, verb) in events {
            let Some(date) = date else { continue };
            let date = date.get_ref().0;
            let mut summary = fm.summary.get_ref().clone();
            if key == "retired" {
                if let Some(r) = &lc.retired_reason {
                    summary = format!("Retired ({}). {summary}", r.get_ref().as_str());
                }
                if let Some(s) = &lc.successor {
                    let name = site
                        .group(s.get_ref())
                        .map(|s| s.short_label())
                        .unwrap_or_else(|| s.get_ref().clone());
                    summary = format!("{summary} Its work continues in the {name}.");
                }
            }
            entries.push(Entry {
                date,
                slug: g.slug.clone(),
                id: format!("{page}#{key}-{date}"),
                title: format!("{label} {verb}"),
                link: page.clone(),
                summary,
            });
        }
        for m in &fm.meetings {
            let m = m.get_ref();
            let (Some(notes), false) = (&m.notes, m.status == Some(MeetingStatus::Cancelled))
            else {
                continue;
            };
            let date = m.date.get_ref().0;
            let series = m
                .schedule
                .as_ref()
                .map(|s| format!("{}-", s.get_ref()))
                .or_else(|| m.id.as_ref().map(|i| format!("{}-", i.get_ref())))
                .unwrap_or_default();
            entries.push(Entry {
                date,
                slug: g.slug.clone(),
                id: format!("{page}#notes-{series}{date}"),
                title: format!(
                    "{label}: notes of the {} meeting",
                    date.strftime("%-d %B %Y")
                ),
                link: notes.get_ref().clone(),
                summary: format!(
                    "Notes of the {}{} meeting of {}.",
                    m.title
                        .as_deref()
                        .map(|t| format!("“{t}” "))
                        .unwrap_or_default(),
                    date.strftime("%-d %B %Y"),
                    g.full_name()
                ),
            });
        }
    }
    // Newest first; ties in a fixed order.
    entries.sort_by(|a, b| (b.date, &a.slug, &a.id).cmp(&(a.date, &b.slug, &b.id)));
    entries.truncate(FEED_ENTRIES);
    let stamp = |d: jiff::civil::Date| format!("{d}T00:00:00Z");
    // No clock: the feed changes when the data does. An empty feed gets a fixed date.
    let updated = entries
        .iter()
        .map(|e| e.date)
        .max()
        .map(stamp)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());

    let c = &site.config;
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    let _ = writeln!(s, "  <title>{}</title>", escape(&c.title));
    if !c.description.is_empty() {
        let _ = writeln!(s, "  <subtitle>{}</subtitle>", escape(&c.description));
    }
    let _ = writeln!(
        s,
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>",
        escape(&site.abs_url("/atom.xml"))
    );
    let _ = writeln!(
        s,
        "  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>",
        escape(&site.abs_url("/"))
    );
    let _ = writeln!(s, "  <id>{}</id>", escape(&site.abs_url("/")));
    let _ = writeln!(s, "  <updated>{updated}</updated>");
    let _ = writeln!(s, "  <author><name>{}</name></author>", escape(&c.title));
    for e in &entries {
        s.push_str("  <entry>\n");
        let _ = writeln!(s, "    <id>{}</id>", escape(&e.id));
        let _ = writeln!(s, "    <title>{}</title>", escape(&e.title));
        let _ = writeln!(s, "    <link href=\"{}\"/>", escape(&e.link));
        let _ = writeln!(s, "    <updated>{}</updated>", stamp(e.date));
        let _ = writeln!(s, "    <summary>{}</summary>", escape(&e.summary));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

// ---------------------------------------------------------------------------------------------
// Netlify: _headers and _redirects

/// Netlify's `_headers`. Calendar feeds need `text/calendar; charset=utf-8` (Netlify guesses
/// no charset), JSON gets its type and CORS so other sites' scripts can read it. Each feed is
/// listed by its path: a `*` in the middle of a path is not reliably matched (see
/// research/ecosystem.md §4), and `/*.ics` could be read as `/*`.
fn headers(site: &Site) -> String {
    let mut s = String::new();
    s.push_str("/*\n");
    s.push_str("  X-Content-Type-Options: nosniff\n");
    s.push_str("  Referrer-Policy: strict-origin-when-cross-origin\n");
    s.push_str("  X-Frame-Options: DENY\n");
    s.push_str("  Content-Security-Policy: default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'\n");
    s.push_str("  Permissions-Policy: camera=(), microphone=(), geolocation=()\n");
    let mut ics = vec!["/calendar.ics".to_string()];
    ics.extend(
        site.groups
            .iter()
            .map(|g| format!("{}calendar.ics", g.url_path())),
    );
    for p in ics {
        let _ = write!(
            s,
            "\n{p}\n  Content-Type: text/calendar; charset=utf-8\n  Access-Control-Allow-Origin: *\n"
        );
    }
    for p in ["/groups.json", "/meetings.json"] {
        let _ = write!(
            s,
            "\n{p}\n  Content-Type: application/json; charset=utf-8\n  Access-Control-Allow-Origin: *\n"
        );
    }
    s
}

/// Netlify's `_redirects`: each alias of a group to its page, and the alias's old feed URL to
/// the group's feed, so renamed groups keep their links and their subscribers.
fn redirects(site: &Site) -> String {
    let mut lines = Vec::new();
    for g in &site.groups {
        for a in &g.fm().aliases {
            let alias = a.get_ref();
            let base = alias.trim_end_matches('/');
            lines.push(format!("{alias} {} 301", g.url_path()));
            lines.push(format!(
                "{base}/calendar.ics {}calendar.ics 301",
                g.url_path()
            ));
        }
    }
    lines.sort();
    lines.dedup();
    let mut s = String::from("# Old addresses of renamed groups (front matter `aliases`).\n");
    for l in lines {
        s.push_str(&l);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests;
