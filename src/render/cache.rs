//! The render cache: what each group contributes to the pages, and the rendered pages, kept
//! between renders with the exact inputs they were made from ([`crate::memo`]'s rules).
//!
//! Takes: the [`Site`] and the [`Theme`] of each render, the groups' contributions and the
//! pages the render made. Gives: each group's kept [`GroupEntry`] (read through [`Entries`]),
//! the kept pages (read through [`RenderCache::pages`]), and the [`Key`] each page is checked
//! against.
//!
//! A render first reads the cache (which groups changed, which pages can be reused) and keeps
//! what it made in separate steps ([`RenderCache::keep_groups`], [`RenderCache::keep_pages`]),
//! so making the groups' contributions and the pages needs only a shared borrow.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use jiff::Timestamp;
use rayon::prelude::*;

use super::health::HealthKept;
use super::view::{self, Expansion, GroupCard, GroupRef, Listed};
use super::{data, live};

use crate::memo::{Environment, Memo, Version, Versioned, Versions};
use crate::model::{Group, Site};
use crate::output::SharedBytes;
use crate::source::SourceFile;
use crate::theme::Theme;

/// What [`super::render_site`] keeps between renders: what each group contributes to the pages
/// (its card, its agenda entries, its `groups.json` record), and the rendered pages, each with
/// the exact inputs it was made from.
///
/// Soundness rests on three facts, each kept next to the code it is about:
/// - Everything any page shows is a function of the settings, `today`, the theme's templates
///   (together the *environment*: when it differs, everything kept is dropped), the home page,
///   and the groups.
/// - A [`Group`] is a function of its page's path and text (parsing is, and validation builds a
///   group from its page alone; the page memo of `pipeline::BuildCache` relies on the same).
///   What the cache derives from a group is kept while that path and text are unchanged.
/// - Each page's key covers everything it reads, as [`Version`]s. A group has four: of its
///   page (`version`), of its [`GroupRef`] (all other groups' pages read of it), of its card
///   (all the directory and kind pages read of it), and of its card, agenda entries and
///   whether it has a feed (`calendar`: all the calendar page and `meetings.json` read of it).
///   A group page's key is its group's `version` and, for each group its page names, that
///   group's [`GroupRef`] version or "not in this build" (the only way a group page reads
///   other groups: [`view::PageRefs`]); an aggregate page's key is the list of the versions it
///   reads of every group it can list (and the home page's, for the directory).
///
/// A page is reused only when its key is equal, and only pages that rendered without error are
/// kept, so a render through the cache gives exactly what a render through an empty one gives.
#[derive(Default)]
pub struct RenderCache {
    env: Environment<Env>,
    versions: Versions,
    /// By slug, made from the group's page. Boxed: a hash table holds its entries in place, and
    /// one with room for 10,000 groups would hold about 6,000 empty entries' worth of bytes.
    groups: Memo<SourceFile, Box<GroupEntry>>,
    /// The home page's title, description and body.
    home: Option<Versioned<HomeKey>>,
    /// By output path.
    pages: Memo<Key, SharedBytes>,
    /// The output paths the last render made anew rather than reused.
    made: Vec<String>,
    /// The last render's theme, whose compiled templates the next reuses if they are the same.
    theme: Option<Theme>,
    /// Each group's figures and row for the health page.
    health: HealthKept,
    /// A cache for one build only (`mcpsite build`'s): it keeps no pages, so each page is
    /// dropped once written.
    one_build: bool,
    /// The home page's version, when the last render left the directory and kind pages to
    /// [`super::render_directory`].
    pub(super) directory_last: Option<Version>,
}

/// The home page's title, description and body.
type HomeKey = (Option<String>, Option<String>, String);

/// What every page depends on besides the content.
struct Env {
    config: crate::config::SiteConfig,
    today: jiff::civil::Date,
    templates: Vec<(String, String, String)>,
}

/// What a page was made from.
#[derive(PartialEq, Eq)]
pub(super) enum Key {
    /// A group page: the group's version and those of the groups it names (`None`: not in
    /// this build), as [`view::PageRefs::page`] reads them.
    Group(Version, view::Refs<Option<Version>>),
    /// An aggregate page: the versions of everything it reads, in order. Shared: the pages of a
    /// cut agenda and the parts of `meetings.json` read the same groups, and each holding its
    /// own copy would cost the number of pages times the number of groups.
    Versions(Arc<[Version]>),
}

/// A page made anew by a render, for [`RenderCache::keep_pages`].
pub(super) struct Made {
    pub path: String,
    pub key: Key,
    pub bytes: SharedBytes,
}

/// What is kept of one group: derived from its page, the settings and `today` alone.
pub(super) struct GroupEntry {
    /// Of the page: a new one whenever the page changes.
    pub version: Version,
    pub card: Versioned<Card>,
    /// How other groups' pages show this group.
    pub group_ref: Versioned<GroupRef>,
    pub calendar: Versioned<CalendarPart>,
    /// The group's record in `groups.json`, as it appears there, kept by a cache that keeps
    /// pages (`groups.json` is made again whenever a group changes); a plain build makes it
    /// when it writes `groups.json` ([`Entries::records`]).
    pub json: Option<String>,
    /// How many past meetings it has (its page links an archive page when they are many).
    pub archive_len: usize,
}

/// A group's card, its HTML as the theme renders it, and the group's meetings for the page
/// script ([`super::live::group_data`]): every page that shows the card also carries them.
/// Equal when the cards and the meetings are (the HTML is made from the card).
pub(super) struct Card {
    /// What the directory pages sort, count and pick the card by.
    pub listed: Listed,
    /// The card, until a plain build makes its value for the pages that list the cards and lets
    /// go of it ([`Card::only_value`]).
    shown: Option<GroupCard>,
    /// The card as the templates get it, with the theme's `group_card` component rendered once
    /// ([`Theme::render_card`]) as `html` (Tera values share their contents when cloned): made
    /// at once by a cache that keeps pages, else when a page first reads it ([`Card::value`]).
    /// A plain build reads it on the directory and kind pages only, which it makes last: its
    /// cards' values, and even their HTML, weigh more than the cards themselves.
    value: OnceLock<tera::Value>,
    pub live: Option<String>,
}

impl Card {
    /// `shown`, `listed` and `live`, with the card's value made at once with `keep`.
    fn new(
        theme: &Theme,
        shown: GroupCard,
        listed: Listed,
        live: Option<String>,
        keep: bool,
    ) -> Self {
        let card = Card {
            listed,
            shown: Some(shown),
            value: OnceLock::new(),
            live,
        };
        if keep {
            card.value(theme);
        }
        card
    }

    /// The card, as the group's page and `groups.json` show it.
    pub(super) fn shown(&self) -> &GroupCard {
        (self.shown.as_ref()).expect("a card is let go of only after every page that reads it")
    }

    /// The card as the templates get it, with its HTML as `html`.
    pub(super) fn value(&self, theme: &Theme) -> &tera::Value {
        self.value.get_or_init(|| {
            let value = tera::Value::from_serializable(self.shown());
            let html = theme.render_card(&value);
            with_html(value, html.map(|h| tera::Value::safe_string(&h)))
        })
    }

    /// Makes the card's value and lets go of the card: once only the pages that list the
    /// cards are left to make, which read the value and [`Card::listed`] alone. Each card is
    /// let go of as its value is made, so the one's memory serves the other's.
    fn only_value(&mut self, theme: &Theme) {
        self.value(theme);
        self.shown = None;
    }
}

impl PartialEq for Card {
    fn eq(&self, other: &Card) -> bool {
        self.shown == other.shown && self.live == other.live
    }
}

/// What the calendar page and `meetings.json` read of a group.
#[derive(PartialEq)]
pub(super) struct CalendarPart {
    /// Of the card.
    card: Version,
    pub has_feed: bool,
    /// The group's meetings in the agenda window, in start order.
    pub agenda: Vec<AgendaRow>,
}

/// One meeting on the agenda, as the calendar page and `meetings.json` show it. Equal rows show
/// alike everywhere.
///
/// A row keeps the meeting small ([`view::AgendaMeeting`]) and makes its view and its record
/// when a page or `meetings.json` reads them: a plain build reads each once, and holds every
/// meeting of the agenda at once (the largest thing it keeps). A cache that keeps pages keeps
/// both once made: `serve` makes the agenda's pages and `meetings.json` again whenever a group
/// with a feed changes.
pub(super) struct AgendaRow {
    /// The agenda's order: start, then group, then id (as `agenda::expand` sorts).
    pub start: Timestamp,
    /// The group that meets, as the templates get it: shared by all its rows.
    group: Arc<RowGroup>,
    /// The group that meets, which the meeting's view and record read (of it, only what
    /// `group` shows: its slug, names and page).
    owner: Arc<Group>,
    meeting: view::AgendaMeeting,
    /// [`AgendaRow::value`] with the row's HTML, for an agenda cut into periods or not, kept in
    /// a cache that keeps pages ([`AgendaRow::value_on_page`]). Boxed, like `json_text`: a plain
    /// build never sets either, and holds every row of the agenda at once.
    on_page: OnceLock<Box<(bool, tera::Value)>>,
    /// The record in `meetings.json` ([`crate::agenda::ItemJson`]), as it appears there, kept
    /// in a cache that keeps pages ([`AgendaRow::json_text`]).
    json_text: OnceLock<Box<str>>,
}

/// The group of an agenda row ([`view::GroupRef`]) and its template value. A cache that keeps
/// pages, and a plain build of a site small enough ([`keeps_row_groups`]), make the value once,
/// when a page first reads one of the group's rows, and keep it; a plain build of a larger site
/// makes it for each row, on the row's page, and drops it with the page: holding every group's
/// value while the agenda's pages are made was the largest part of a plain build's peak at
/// 100,000 groups (those values weigh some hundred megabytes more than the groups they show),
/// and making one per row costs about 1.5 µs (2% of a 10,000-group build).
pub(super) struct RowGroup {
    shown: GroupRef,
    value: OnceLock<tera::Value>,
}

/// Whether a plain build of `groups` groups keeps each agenda row's group value once made, as
/// a cache that keeps pages does: below [`KEEP_ROW_GROUPS_UP_TO`] the values weigh a few
/// megabytes and making one for every row was 1.5% of a build's instructions; above, they would
/// be the largest part of the peak (see [`RowGroup`]).
pub(super) fn keeps_row_groups(groups: usize) -> bool {
    groups <= KEEP_ROW_GROUPS_UP_TO
}

/// See [`keeps_row_groups`]. At 10,000 groups the kept values moved the peak by less than its
/// spread from run to run (under 10 MiB of some 245); at 100,000 they would add over 100 MiB.
const KEEP_ROW_GROUPS_UP_TO: usize = 20_000;

impl RowGroup {
    /// The value, kept once made with `keep`.
    fn value(&self, keep: bool) -> tera::Value {
        let make = || tera::Value::from_serializable(&self.shown);
        match keep {
            true => self.value.get_or_init(make).clone(),
            false => make(),
        }
    }
}

impl PartialEq for RowGroup {
    /// The value is made from `shown`.
    fn eq(&self, other: &RowGroup) -> bool {
        self.shown == other.shown
    }
}

impl PartialEq for AgendaRow {
    /// `on_page` and `json_text` are made from the others, and of `owner` they read only what
    /// `group` shows.
    fn eq(&self, other: &AgendaRow) -> bool {
        self.start == other.start && self.group == other.group && self.meeting == other.meeting
    }
}

impl AgendaRow {
    /// Whether the value is kept (for tests).
    #[cfg(test)]
    pub(super) fn has_value_kept(&self) -> bool {
        self.on_page.get().is_some()
    }

    /// Whether its group's template value is kept (for tests).
    #[cfg(test)]
    pub(super) fn has_group_value_kept(&self) -> bool {
        self.group.value.get().is_some()
    }

    /// Whether the `meetings.json` record is kept (for tests).
    #[cfg(test)]
    pub(super) fn has_json_kept(&self) -> bool {
        self.json_text.get().is_some()
    }

    /// [`AgendaRow::value`] as a calendar page gets it (`split`: the agenda is cut into
    /// periods). With `keep` (a cache that keeps pages: `serve` renders the agenda pages again
    /// whenever a group with a feed changes), with the row's HTML as `html`, rendered once
    /// ([`Theme::render_agenda_row`]) and kept; without, as it is: a plain build renders each
    /// row once anyway, on its page, and keeps its group's value only with `keep_group` (see
    /// [`keeps_row_groups`]).
    pub(super) fn value_on_page(
        &self,
        theme: &Theme,
        split: bool,
        keep: bool,
        keep_group: bool,
    ) -> tera::Value {
        if !keep {
            return self.value(keep_group);
        }
        if let Some((s, value)) = self.on_page.get().map(|kept| &**kept)
            && *s == split
        {
            return value.clone();
        }
        let value = self.value(true);
        let html = theme.render_agenda_row(&value, split);
        let value = with_html(value, html.map(|h| tera::Value::safe_string(&h)));
        // The first page's cut is kept; were the cut to change, the row is rendered each time
        // until the group changes.
        let _ = self.on_page.set(Box::new((split, value.clone())));
        value
    }

    /// The meeting with its group ([`view::AgendaEntry`]) as the templates get it; the group's
    /// value is kept with `keep`.
    fn value(&self, keep: bool) -> tera::Value {
        // Serializing a value into another shares it.
        tera::Value::from_serializable(&view::AgendaEntry {
            group: &self.group.value(keep),
            meeting: &self.meeting.view(&self.owner),
        })
    }

    /// The record in `meetings.json`, as it appears there; made once and kept with `keep`.
    pub(super) fn json_text(&self, site: &Site, keep: bool) -> Cow<'_, str> {
        let make = || data::pretty_item(&self.meeting.to_json(site, &self.owner));
        match keep {
            true => Cow::Borrowed(self.json_text.get_or_init(|| make().into())),
            false => Cow::Owned(make()),
        }
    }
}

/// What one group contributes to the pages, made from the group alone (no versions yet).
pub(super) struct Contribution<'g> {
    group: &'g Group,
    /// For the group's page; `None` once dropped (see [`RenderCache::contributions`]).
    exp: Option<Expansion<'g>>,
    card: Card,
    group_ref: GroupRef,
    has_feed: bool,
    agenda: Vec<AgendaRow>,
    json: Option<String>,
    archive_len: usize,
}

impl<'g> Contribution<'g> {
    /// From one expansion of the group's meetings (to the end of the agenda's window `(from,
    /// to)` or of the live data, whichever is later); with the `groups.json` record when `keep`
    /// (a cache that keeps pages).
    fn of(
        site: &Site,
        theme: &Theme,
        g: &'g Arc<Group>,
        (from, to): (Timestamp, Timestamp),
        keep: bool,
    ) -> Self {
        let exp = Expansion::of(site, g, to.max(live::live_end(site)));
        let group_ref = view::group_ref(g);
        let row_group = Arc::new(RowGroup {
            shown: group_ref.clone(),
            value: OnceLock::new(),
        });
        let agenda = exp
            .between(from, to)
            .iter()
            .map(|item| AgendaRow {
                start: item.start.timestamp(),
                group: row_group.clone(),
                owner: g.clone(),
                meeting: exp.agenda_meeting(item),
                on_page: OnceLock::new(),
                json_text: OnceLock::new(),
            })
            .collect();
        let card = view::card(site, g, &exp);
        Contribution {
            group: g,
            json: keep.then(|| data::group_record(site, g, &card)),
            card: Card::new(
                theme,
                card,
                Listed::of(g),
                live::group_data(site, g, &exp),
                keep,
            ),
            group_ref,
            has_feed: view::has_feed(g),
            agenda,
            archive_len: view::archive_len(site, g, &exp),
            exp: Some(exp),
        }
    }
}

/// `value` (a map) with `html`, when there is one, as `html`: HTML the theme rendered, which
/// the templates print as it is.
fn with_html(value: tera::Value, html: Option<tera::Value>) -> tera::Value {
    let Some(html) = html else {
        return value;
    };
    let mut map = value.into_map().expect("a card or agenda row is a map");
    map.insert("html".into(), html);
    tera::Value::from(map)
}

impl RenderCache {
    /// A cache for one build, which is thrown away after it: it keeps no pages (what a render
    /// keeps of each group, which later pages read, it still keeps until the render ends).
    pub fn for_one_build() -> Self {
        RenderCache {
            one_build: true,
            ..RenderCache::default()
        }
    }

    /// Whether the pages a render makes are kept for the next.
    pub(super) fn keeps_pages(&self) -> bool {
        !self.one_build
    }

    /// The output paths the last render made anew (pages, `groups.json`, `meetings.json`)
    /// rather than reused, in the order it made them (none for a cache that keeps no pages).
    /// For tests and measurements.
    pub fn last_made(&self) -> &[String] {
        &self.made
    }

    pub(super) fn take_theme(&mut self) -> Option<Theme> {
        self.theme.take()
    }

    pub(super) fn keep_theme(&mut self, theme: Theme) {
        self.theme = Some(theme);
    }

    pub(super) fn take_health(&mut self) -> HealthKept {
        std::mem::take(&mut self.health)
    }

    pub(super) fn keep_health(&mut self, health: HealthKept) {
        self.health = health;
    }

    /// Drops everything when the environment changed, and gives the home page its version.
    pub(super) fn start(&mut self, site: &Site, theme: &Theme) -> Version {
        let unchanged = self.env.unchanged(
            |e| {
                e.config == site.config
                    && e.today == site.today
                    && e.templates.as_slice() == theme.sources()
            },
            || Env {
                config: site.config.clone(),
                today: site.today,
                templates: theme.sources().to_vec(),
            },
        );
        if !unchanged {
            self.groups.clear();
            self.pages.clear();
            self.home = None;
        }
        let home = (
            site.home.fm.title.clone(),
            site.home.fm.description.clone(),
            site.home.body.clone(),
        );
        let home = self.versions.update(self.home.as_ref(), home);
        let version = home.version;
        self.home = Some(home);
        version
    }

    /// What each group whose page changed since it was kept contributes (`None` for the
    /// others), in `site.groups`' order; `window` is the agenda's. A cache for one build drops
    /// each group's expansion at once, and its page expands the group again: holding every
    /// group's expansion until the pages render would cost more memory than anything else a
    /// plain build keeps (about 30 KiB a group), expanding again no measurable CPU time (at 1,000
    /// groups).
    pub(super) fn contributions<'g>(
        &self,
        site: &'g Site,
        theme: &Theme,
        window: (Timestamp, Timestamp),
    ) -> Vec<Option<Contribution<'g>>> {
        let keep = !self.one_build;
        site.groups
            .par_iter()
            .map(|g| {
                let kept = self.groups.get(&g.slug, &g.page.source).is_some();
                (!kept).then(|| {
                    let mut made = Contribution::of(site, theme, g, window, keep);
                    made.exp = made.exp.filter(|_| keep);
                    made
                })
            })
            .collect()
    }

    /// Keeps the contributions, each thing with its previous version where it is equal, and
    /// forgets the groups that are gone. Gives the contributions' expansions, for the pages of
    /// their groups.
    pub(super) fn keep_groups<'g>(
        &mut self,
        site: &Site,
        made: Vec<Option<Contribution<'g>>>,
    ) -> Vec<Option<Expansion<'g>>> {
        let expansions = made
            .into_iter()
            .map(|c| c.and_then(|c| self.keep_group(c)))
            .collect();
        self.groups
            .prune(site.groups.iter().map(|g| g.slug.as_str()));
        expansions
    }

    fn keep_group<'g>(&mut self, c: Contribution<'g>) -> Option<Expansion<'g>> {
        let old = self.groups.kept(&c.group.slug);
        let v = &mut self.versions;
        let group_ref = v.update(old.map(|o| &o.group_ref), c.group_ref);
        let card = v.update(old.map(|o| &o.card), c.card);
        let calendar = CalendarPart {
            card: card.version,
            has_feed: c.has_feed,
            agenda: c.agenda,
        };
        let calendar = v.update(old.map(|o| &o.calendar), calendar);
        let entry = Box::new(GroupEntry {
            version: v.new_version(),
            card,
            group_ref,
            calendar,
            json: c.json,
            archive_len: c.archive_len,
        });
        let g = c.group;
        self.groups
            .keep(g.slug.clone(), g.page.source.clone(), entry);
        c.exp
    }

    /// The kept groups, lent to the pages that read them (after [`RenderCache::keep_groups`]);
    /// a cache that keeps pages gets them back ([`RenderCache::give_back_groups`]), a cache for
    /// one build lets the render drop them as soon as their last page is made.
    pub(super) fn lend_groups(&mut self) -> KeptGroups {
        KeptGroups(std::mem::take(&mut self.groups))
    }

    /// How many groups are kept (for tests).
    #[cfg(test)]
    pub(super) fn kept_groups(&self) -> usize {
        self.groups.len()
    }

    /// Takes back the groups [`RenderCache::lend_groups`] lent.
    pub(super) fn give_back_groups(&mut self, groups: KeptGroups) {
        self.groups = groups.0;
    }

    /// Frees the kept groups now, on every core (freeing ten thousand of them one by one was a
    /// step of its own): for a caller that goes on after the render, when the cache itself is
    /// not dropped at once.
    pub fn free_groups(&mut self) {
        self.lend_groups().drop_all();
    }

    /// The kept pages.
    pub(super) fn pages(&self) -> &Memo<Key, SharedBytes> {
        &self.pages
    }

    /// Keeps the pages a render made and, when it made every file (`Some` with all their
    /// paths), forgets the pages it no longer has.
    pub(super) fn keep_pages(&mut self, made: Vec<Made>, all: Option<&[String]>) {
        self.made.clear();
        for m in made {
            self.made.push(m.path.clone());
            self.pages.keep(m.path, m.key, m.bytes);
        }
        if let Some(paths) = all {
            self.pages.prune(paths.iter().map(String::as_str));
        }
    }
}

/// What is kept of each group, lent to one render ([`RenderCache::lend_groups`]).
pub(super) struct KeptGroups(Memo<SourceFile, Box<GroupEntry>>);

impl KeptGroups {
    /// The groups, for making the pages.
    pub(super) fn entries<'a>(&'a self, site: &Site) -> Entries<'a> {
        Entries::new(site, &self.0)
    }

    /// The groups in slug order (`site.groups`' order) without the site's groups: for the
    /// pages that read the cards only, made once the site let go of its groups.
    pub(super) fn entries_by_slug(&self) -> Entries<'_> {
        let mut list: Vec<&GroupEntry> = self.0.values().map(|e| &**e).collect();
        list.sort_by(|a, b| a.card.value.listed.slug.cmp(&b.card.value.listed.slug));
        Entries::of_list(&self.0, list)
    }

    /// Makes every card's value and lets go of the cards, on every core: for a cache for one
    /// build, once only the pages that list the cards are left to make ([`Card::only_value`]).
    pub(super) fn only_card_values(&mut self, theme: &Theme) {
        let entries: Vec<&mut Box<GroupEntry>> = self.0.values_mut().collect();
        (entries.into_par_iter()).for_each(|entry| entry.card.value.only_value(theme));
    }

    /// Drops every group's agenda rows, once the last file that reads them is made: for a
    /// cache for one build only (a kept group's rows are what the next render compares).
    pub(super) fn drop_agendas(&mut self) {
        let entries: Vec<&mut Box<GroupEntry>> = self.0.values_mut().collect();
        entries
            .into_par_iter()
            .for_each(|entry| entry.calendar.value.agenda = Vec::new());
    }

    /// Drops the groups on every core.
    fn drop_all(self) {
        let entries: Vec<Box<GroupEntry>> = self.0.into_values().collect();
        entries.into_par_iter().for_each(drop);
    }
}

/// The kept groups of one render, read-only.
pub(super) struct Entries<'a> {
    memo: &'a Memo<SourceFile, Box<GroupEntry>>,
    /// In `site.groups`' order.
    pub list: Vec<&'a GroupEntry>,
    /// In the directory's listing order: by name, then kind, then slug.
    pub listing: Vec<&'a GroupEntry>,
}

impl<'a> Entries<'a> {
    fn new(site: &Site, memo: &'a Memo<SourceFile, Box<GroupEntry>>) -> Self {
        let list: Vec<&GroupEntry> = site
            .groups
            .iter()
            .map(|g| {
                &**memo
                    .kept(&g.slug)
                    .expect("every group is kept before its pages")
            })
            .collect();
        Entries::of_list(memo, list)
    }

    /// `list` (in `site.groups`' order) and its listing order: by name, then kind, then slug,
    /// read off the cards (which show the group's name, kind and slug).
    fn of_list(memo: &'a Memo<SourceFile, Box<GroupEntry>>, list: Vec<&'a GroupEntry>) -> Self {
        let mut listing = list.clone();
        // The key is a total order (slugs are unique), so this is the one sorted order.
        listing.sort_by_cached_key(|e| {
            let c = &e.card.value.listed;
            (c.name.to_lowercase(), c.kind.suffix(), c.slug.clone())
        });
        Entries {
            memo,
            list,
            listing,
        }
    }

    /// `pick` of every group, in `site.groups`' order, skipping `None`s.
    pub(super) fn versions(&self, pick: impl Fn(&GroupEntry) -> Option<Version>) -> Vec<Version> {
        self.list.iter().filter_map(|e| pick(e)).collect()
    }

    /// The version of the [`GroupRef`] of `slug`, or `None` when it is not in this build.
    pub(super) fn ref_version(&self, slug: &str) -> Option<Version> {
        self.memo.kept(slug).map(|e| e.group_ref.version)
    }

    /// What the calendar page and `meetings.json` read: the groups with a feed.
    pub(super) fn agenda_key(&self) -> Arc<[Version]> {
        (self.versions(|e| e.calendar.value.has_feed.then_some(e.calendar.version))).into()
    }

    /// The agenda: the meetings of the groups with a feed, in `agenda::expand`'s order.
    ///
    /// Each group's rows are in that order already, and the groups are in slug order: so the
    /// agenda is the rows sorted by start, then by where they come in that list. Those keys sit
    /// beside each row's reference, and a sort compares them without reading the rows (a
    /// large site's agenda has more than a million rows, which reading would take from all
    /// over memory).
    pub(super) fn agenda(&self) -> Vec<&'a AgendaRow> {
        let mut rows: Vec<(Timestamp, usize, &AgendaRow)> = (self.list.iter())
            .filter(|e| e.calendar.value.has_feed)
            .flat_map(|e| e.calendar.value.agenda.iter())
            .enumerate()
            .map(|(i, r)| (r.start, i, r))
            .collect();
        // Every key differs (`i`), so an unstable sort gives the one order.
        rows.par_sort_unstable_by_key(|&(start, i, _)| (start, i));
        rows.into_iter().map(|(_, _, r)| r).collect()
    }

    /// The `i`th group's `groups.json` record (by slug): kept, or made now.
    pub(super) fn record(&self, site: &Site, i: usize) -> Cow<'a, str> {
        match &self.list[i].json {
            Some(json) => Cow::Borrowed(json.as_str()),
            None => Cow::Owned(data::group_record(
                site,
                &site.groups[i],
                self.list[i].card.value.shown(),
            )),
        }
    }
}
