//! The HTML pages: the directory, one page per kind, one per group, the calendar and 404 (the
//! community health page is `health`'s).
//!
//! Takes: the [`Site`], the kept groups' [`Entries`] and the expansions of the groups that
//! changed. Gives: each page through [`Reuse`], with the [`Key`] of exactly what it reads, so an
//! unchanged page is reused instead of rendered.

use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;

use super::cache::GroupEntry;
use super::cache::{Entries, Key};
use super::live;
use super::period_nav::{PeriodLinks, PeriodNav, calendar_path};
use super::periods::{self, Agenda};
use super::reuse::{Jobs, Reuse};
use super::view::{self, Expansion, Listed, SECTIONS, SectionView};
use crate::diag::Diagnostics;
use crate::markdown;
use crate::memo::Version;
use crate::model::Site;
use crate::schema::{Kind, Status};
use crate::theme::Theme;

/// Renders the HTML pages that read the agenda or a group's meetings: one page per group (and
/// its archive), the calendar and 404; with `directory` (the home page's version), the
/// directory and kind pages too, all on every core at once. `expansions` are those of the groups
/// whose page changed (in `site.groups`' order), `window` the agenda's.
pub(super) fn pages(
    out: &mut Reuse,
    site: &Site,
    entries: &Entries,
    expansions: Vec<Option<Expansion>>,
    window: (Timestamp, Timestamp),
    agenda: &Agenda,
    directory: Option<Version>,
) {
    let site_view = view::site_view(site);
    let cards = cards_of(entries);
    let mut jobs = Jobs::default();
    let read = Read::new(site, &site_view, entries, out);
    if let Some(home) = directory {
        directory_jobs(&mut jobs, read, &cards, home);
    }
    group_pages(&mut jobs, read, expansions, window);
    calendar(&mut jobs, read, agenda);
    jobs.page("404.html", "404.html", Key::Versions(Arc::new([])), || {
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
    out.make(jobs);
}

/// Renders the pages that list the groups' cards: the directory and one page per kind. `home` is
/// the home page's version. The cards' values are made before, on every core
/// ([`super::cache::KeptGroups::only_card_values`]): each page is made on one core.
pub(super) fn directory_pages(out: &mut Reuse, site: &Site, entries: &Entries, home: Version) {
    let site_view = view::site_view(site);
    let cards = cards_of(entries);
    let mut jobs = Jobs::default();
    let read = Read::new(site, &site_view, entries, out);
    directory_jobs(&mut jobs, read, &cards, home);
    out.make(jobs);
}

/// The directory's output path.
const DIRECTORY_PATH: &str = "index.html";

/// A kind page's output path.
fn kind_page_path(kind: Kind) -> String {
    format!("{}/index.html", kind.suffix())
}

/// The output paths of the pages that list the groups' cards: the directory and one page per
/// kind ([`directory_pages`]).
pub(super) fn directory_paths() -> [String; 3] {
    let [ig, wg] = [Kind::Ig, Kind::Wg].map(kind_page_path);
    [DIRECTORY_PATH.to_string(), ig, wg]
}

/// What the directory lists of the cards, in its listing order.
fn cards_of<'a>(entries: &Entries<'a>) -> Vec<&'a Listed> {
    (entries.listing.iter())
        .map(|e| &e.card.value.listed)
        .collect()
}

/// The directory and one page per kind.
fn directory_jobs<'a>(jobs: &mut Jobs<'a>, read: Read<'a>, cards: &'a [&Listed], home: Version) {
    directory(jobs, read, cards, home);
    for kind in [Kind::Ig, Kind::Wg] {
        kind_page(jobs, read, kind);
    }
}

/// What every page job reads: the site, its view and the kept groups.
#[derive(Clone, Copy)]
struct Read<'a> {
    site: &'a Site,
    site_view: &'a view::SiteView,
    entries: &'a Entries<'a>,
    theme: &'a Theme,
    /// Whether the cache keeps what pages are made from (`serve`'s does).
    keeps: bool,
}

impl<'a> Read<'a> {
    fn new(
        site: &'a Site,
        site_view: &'a view::SiteView,
        entries: &'a Entries<'a>,
        out: &Reuse<'a>,
    ) -> Self {
        Read {
            site,
            site_view,
            entries,
            theme: out.theme(),
            keeps: out.keeps(),
        }
    }
}

/// One page per group, listed to be rendered with the others: each reads its group and the [`view::GroupRef`]s
/// of the groups it names.
fn group_pages<'a>(
    out: &mut Jobs<'a>,
    read: Read<'a>,
    expansions: Vec<Option<Expansion<'a>>>,
    window: (Timestamp, Timestamp),
) {
    let Read {
        site,
        site_view,
        entries,
        ..
    } = read;
    for ((g, entry), exp) in site.groups.iter().zip(&entries.list).zip(expansions) {
        let key = key_of(entries, g, entry);
        let out_path = format!("groups/{}/index.html", g.slug);
        out.page_unless("group.html", &out_path, key, move || {
            let body = g.page.body().map_err(|d| Diagnostics::from_iter([d]))?;
            let refs = view::PageRefs::page(site, g);
            let exp =
                exp.unwrap_or_else(|| Expansion::of(site, g, window.1.max(live::live_end(site))));
            let card = entry.card.value.shown().clone();
            let page = view::group_page(site, g, card, &exp, &refs, &body);
            let mut ctx = base_context(
                site_view,
                view::page_view(
                    site,
                    &g.url_path(),
                    g.full_name(),
                    page.card.summary.clone(),
                    g.kind.suffix(),
                ),
            );
            ctx.insert("group", &page);
            if let Some(l) = entry.card.value.live.as_deref() {
                ctx.insert("live", &live::page_data(site, [(g.slug.as_str(), l)]));
            }
            ctx.insert("health_strip", &crate::health::group_strip(site, g));
            Ok(ctx)
        });
        if entry.archive_len > view::ARCHIVE_ON_PAGE {
            archive_page(out, read, g, key_of(entries, g, entry), window);
        }
    }
}

/// The key of a group's page: its group's version and those of the groups it names.
fn key_of(entries: &Entries, g: &crate::model::Group, entry: &GroupEntry) -> Key {
    Key::Group(
        entry.version,
        view::Refs::of(g, |slug| entries.ref_version(slug)),
    )
}

/// A group's archive page, for a group with more past meetings than its page lists: all of
/// them, newest first. It reads what the group's page reads.
fn archive_page<'a>(
    out: &mut Jobs<'a>,
    read: Read<'a>,
    g: &'a crate::model::Group,
    key: Key,
    window: (Timestamp, Timestamp),
) {
    let Read {
        site, site_view, ..
    } = read;
    let path = view::archive_path(g);
    out.page(
        "archive.html",
        &format!("{}index.html", &path[1..]),
        key,
        move || {
            let exp = Expansion::of(site, g, window.1.max(live::live_end(site)));
            let title = format!("{}: notes of past meetings", g.full_name());
            let description = format!("Every past meeting of the {} and its notes.", g.full_name());
            let mut ctx = base_context(
                site_view,
                view::page_view(site, &path, title, description, g.kind.suffix()),
            );
            ctx.insert("group", &view::group_ref(g));
            ctx.insert("archive", &view::archive(site, g, &exp));
            ctx
        },
    );
}

/// The directory: it reads the home page and the groups' cards only.
fn directory<'a>(out: &mut Jobs<'a>, read: Read<'a>, cards: &'a [&Listed], home: Version) {
    let Read {
        site,
        site_view,
        entries,
        ..
    } = read;
    let mut key = vec![home];
    key.extend(entries.versions(|e| Some(e.card.version)));
    out.page(
        "index.html",
        DIRECTORY_PATH,
        Key::Versions(key.into()),
        move || {
            // The home page's front matter, else the settings.
            let (fm, config) = (&site.home.fm, &site.config);
            let title = fm.title.clone().unwrap_or_else(|| config.title.clone());
            let description = (fm.description.as_ref()).unwrap_or(&config.description);
            let intro = markdown::render_page(
                &site.home.body,
                &[
                    "main",
                    "top",
                    "site-nav",
                    "directory",
                    "filters",
                    "about-groups",
                    "h-about-groups",
                ],
            );
            let mut ctx = base_context(
                site_view,
                view::page_view(site, "/", title.clone(), description.clone(), "home"),
            );
            ctx.insert(
                "home",
                &Home {
                    title,
                    intro_html: intro.html,
                },
            );
            ctx.insert("sections", &sections(read.theme, &entries.listing, None));
            ctx.insert("counts", &Counts::of(cards));
            ctx.insert("statuses", &statuses_present(cards));
            ctx.insert("live", &live_data(site, entries, |_| true));
            ctx
        },
    );
}

/// One page per kind: it reads the cards of its kind only.
fn kind_page<'a>(out: &mut Jobs<'a>, read: Read<'a>, kind: Kind) {
    let Read {
        site,
        site_view,
        entries,
        ..
    } = read;
    let k = KindView::of(kind);
    let key = Key::Versions(
        (entries.versions(|e| (e.card.value.listed.kind == kind).then_some(e.card.version))).into(),
    );
    let path = format!("/{}/", k.slug);
    out.page("kind.html", &kind_page_path(kind), key, move || {
        let mut ctx = base_context(
            site_view,
            view::page_view(site, &path, k.name.clone(), k.description.clone(), &k.slug),
        );
        ctx.insert("kind", &k);
        ctx.insert(
            "sections",
            &sections(read.theme, &entries.listing, Some(kind)),
        );
        let is_kind = |e: &GroupEntry| e.card.value.listed.kind == kind;
        ctx.insert("live", &live_data(site, entries, is_kind));
        let feed = site.abs_url(&format!("/{}/calendar.ics", k.slug));
        ctx.insert("feed", &view::FeedLinks::new(feed));
        ctx
    });
}

/// The agenda: only groups with a feed have meetings on it or are listed. A small agenda is one
/// page; a large one is cut into periods ([`periods`]), the first on `calendar/` and each of the
/// others on `calendar/<period>/`, each linking its neighbours and every month, week or day
/// ([`PeriodLinks`]).
fn calendar<'a>(out: &mut Jobs<'a>, read: Read<'a>, agenda: &'a Agenda<'a>) {
    let links = Arc::new(PeriodLinks::of(agenda.cut, &agenda.periods));
    let versions = read.entries.agenda_key();
    for (i, period) in agenda.periods.iter().enumerate() {
        let path = calendar_path(period);
        let key = Key::Versions(versions.clone());
        let links = links.clone();
        out.page(
            "calendar.html",
            &format!("{}index.html", &path[1..]),
            key,
            move || calendar_page(read, &path, links.at(i), agenda.rows_of(period)),
        );
    }
}

/// One page of the agenda: `rows` are its meetings. A page of a cut agenda carries no meeting
/// data for the script (it lists a fixed period; the script only hides the meetings that have
/// ended) and no week at a glance, which needs every group's meetings.
fn calendar_page(
    read: Read,
    path: &str,
    nav: PeriodNav,
    rows: &[&super::cache::AgendaRow],
) -> tera::Context {
    let Read {
        site,
        site_view,
        entries,
        theme,
        keeps,
    } = read;
    let (title, description) = match &nav.current {
        None => (
            "Meeting calendar".to_string(),
            "Upcoming meetings of every MCP Interest Group and Working Group, in your time zone, and how to subscribe.".to_string(),
        ),
        Some(p) => (
            format!("Meeting calendar: {}", p.label),
            format!("Meetings of MCP groups: {} (UTC).", p.label),
        ),
    };
    let mut ctx = base_context(
        site_view,
        view::page_view(site, path, title, description, "calendar"),
    );
    let with_feeds: Vec<&tera::Value> = match nav.cut {
        periods::Cut::Whole => (entries.listing.iter())
            .filter(|e| e.calendar.value.has_feed)
            .map(|e| e.card.value.value(theme))
            .collect(),
        _ => Vec::new(),
    };
    ctx.insert("groups_with_feeds", &with_feeds);
    if nav.cut == periods::Cut::Whole {
        ctx.insert(
            "live",
            &live_data(site, entries, |e| e.calendar.value.has_feed),
        );
    }
    let keep_group = super::cache::keeps_row_groups(entries.list.len());
    let agenda: Vec<tera::Value> = (rows.par_iter())
        .map(|r| r.value_on_page(theme, nav.split, keeps, keep_group))
        .collect();
    ctx.insert("agenda", &agenda);
    ctx.insert("periods", &nav);
    ctx.insert(
        "horizon",
        &AgendaRange {
            days: site.config.calendar.horizon_days,
            from: view::DateView::new(site.today),
        },
    );
    ctx
}

pub(super) fn base_context(site: &view::SiteView, page: view::PageView) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", site);
    ctx.insert("page", &page);
    // Pages whose meetings the script keeps current set their data; others have none.
    ctx.insert("live", "");
    ctx
}

/// The live data of the groups `keep` picks, in listing order, for a page's script.
fn live_data(site: &Site, entries: &Entries, keep: impl Fn(&GroupEntry) -> bool) -> String {
    live::page_data(
        site,
        entries.listing.iter().filter(|e| keep(e)).filter_map(|e| {
            let slug = e.card.value.listed.slug.as_str();
            e.card.value.live.as_deref().map(|l| (slug, l))
        }),
    )
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
    fn of(cards: &[&Listed]) -> Self {
        Counts {
            total: cards.len(),
            ig: cards.iter().filter(|c| c.kind == Kind::Ig).count(),
            wg: cards.iter().filter(|c| c.kind == Kind::Wg).count(),
            active: cards.iter().filter(|c| c.section() == "active").count(),
            retired: (cards.iter())
                .filter(|c| c.status == Status::Retired)
                .count(),
        }
    }
}

/// A status present in the directory, for the filter's options.
#[derive(Serialize)]
struct StatusOption {
    value: String,
    label: String,
}

/// The statuses of the listed cards, in lifecycle order.
fn statuses_present(cards: &[&Listed]) -> Vec<StatusOption> {
    let order = [
        Status::Active,
        Status::Approved,
        Status::Proposed,
        Status::Unknown,
        Status::Retired,
    ];
    (order.into_iter())
        .filter(|s| cards.iter().any(|c| c.status == *s))
        .map(|s| StatusOption {
            value: s.as_str().to_string(),
            label: view::status_label(s).to_string(),
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

/// The directory's sections, of the groups of `kind` or all; `listing` in listing order.
fn sections<'c>(
    theme: &Theme,
    listing: &[&'c GroupEntry],
    kind: Option<Kind>,
) -> Vec<SectionView<'c>> {
    SECTIONS
        .iter()
        .map(|(id, title, intro)| SectionView {
            id: id.to_string(),
            title: title.to_string(),
            intro: intro.to_string(),
            groups: listing
                .iter()
                .filter(|e| e.card.value.listed.section() == *id)
                .filter(|e| kind.is_none_or(|k| e.card.value.listed.kind == k))
                .map(|e| e.card.value.value(theme))
                .collect(),
        })
        .filter(|s| !s.groups.is_empty())
        .collect()
}
