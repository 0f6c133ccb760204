//! Validation: parsed pages in, a [`Site`] and the build's diagnostics out.
//!
//! Takes: the [`RawPage`]s that parsed, the home page and the settings. Gives: a [`Site`] holding
//! every group that passed, plus the diagnostics for the ones that did not. These are the rules a
//! *build* cannot do without: a page whose slug, kind, links or meetings are wrong would publish
//! a broken page or feed. The governance rules (what the community asks of a group) are the
//! linter's, in `check`; they never stop a build.
//!
//! Each rule pushes a located diagnostic and moves on, so one run reports every problem.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, Pos, Severity};
use crate::frontmatter::{HomePage, RawPage};
use crate::hints::closest;
use crate::model::{Group, Site};
use crate::recur::{self, Meetings};
use crate::schema::{Creation, FrontMatter, Kind, MEETING_YEARS, Spanned, Status, is_kebab};

/// Is `s` a valid GitHub handle (1–39 letters, digits or single hyphens, not at the ends)?
pub fn is_github_handle(s: &str) -> bool {
    (1..=39).contains(&s.len())
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Is `s` an `owner/name` repository reference?
pub fn is_repo_ref(s: &str) -> bool {
    let mut parts = s.split('/');
    let ok = |p: Option<&str>| {
        p.is_some_and(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

/// Checks an `https:` link (and `mailto:` where `mailto` is allowed).
pub fn check_url(url: &str, mailto: bool) -> Result<(), String> {
    if mailto && url.starts_with("mailto:") && url.len() > 7 {
        return Ok(());
    }
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(format!(
            "`{url}` is not an https: link{}",
            if mailto { " (or mailto:)" } else { "" }
        ));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') || url.contains(char::is_whitespace) {
        return Err(format!("`{url}` is not a well-formed https: link"));
    }
    Ok(())
}

/// Validates every parsed page and assembles the site. The pipeline calls [`check_page`] and
/// [`assemble`] itself, with the slugs of every page that exists (also those whose front matter
/// did not parse: a reference to one is not also a missing group) and the pages it kept.
pub fn validate(
    config: SiteConfig,
    home: HomePage,
    pages: Vec<RawPage>,
    today: jiff::civil::Date,
    drafts: bool,
) -> (Site, Diagnostics) {
    let slugs = Slugs::new(pages.iter().map(|p| p.source.stem().to_string()).collect());
    // Each page on its own (on every core), gathered in the pages' order.
    let checked: Vec<Arc<Checked>> = pages
        .into_par_iter()
        .map(|page| Arc::new(check_page(page, &slugs)))
        .collect();
    assemble(config, home, &checked, today, drafts)
}

/// One page, checked on its own: its group, whether it is a draft, and what was found. A
/// function of the page and of the set of slugs alone, so `serve` keeps it while both are
/// unchanged.
#[derive(Debug)]
pub struct Checked {
    /// The page's group; in the site only when `diags` has no error.
    pub group: Arc<Group>,
    /// Whether the page is marked `draft = true`.
    pub draft: bool,
    /// What the page's own checks found.
    pub diags: Diagnostics,
}

/// Checks one page on its own against the set of every page's slug (see [`Checked`]).
pub fn check_page(page: RawPage, slugs: &Slugs) -> Checked {
    let draft = page.fm.draft;
    let mut diags = Diagnostics::new();
    let group = Arc::new(validate_page(page, slugs, &mut diags));
    Checked {
        group,
        draft,
        diags,
    }
}

/// The site from every page checked on its own, in the pages' order: runs the checks across
/// pages (slugs and channels used twice) and keeps the groups without errors (and, unless
/// `drafts`, not drafts).
pub fn assemble(
    config: SiteConfig,
    home: HomePage,
    checked: &[Arc<Checked>],
    today: jiff::civil::Date,
    drafts: bool,
) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::new();
    let pages: Vec<&RawPage> = checked.iter().map(|c| &c.group.page).collect();
    duplicate_slugs(&pages, &mut diags);
    shared_channels(&pages, &mut diags);
    let mut groups = Vec::new();
    for c in checked {
        // Warnings (such as a record off its schedule) do not keep a page out; errors do.
        if c.diags.count(Severity::Error) == 0 && (drafts || !c.draft) {
            groups.push(c.group.clone());
        }
        diags.extend(c.diags.clone());
    }
    groups.sort_by(|a, b| a.slug.cmp(&b.slug));
    let site = Site {
        config,
        home,
        groups,
        today,
    };
    (site, diags)
}

/// Every group page's slug, as a set to look up and a sorted list to suggest from.
#[derive(PartialEq, Eq)]
pub struct Slugs {
    set: BTreeSet<String>,
    list: Vec<String>,
}

impl Slugs {
    /// The slugs of every group page that exists, parsed or not.
    pub fn new(set: BTreeSet<String>) -> Slugs {
        Slugs {
            list: set.iter().cloned().collect(),
            set,
        }
    }
}

/// Two pages whose slugs differ only in case would publish to the same path on a
/// case-insensitive file system.
fn duplicate_slugs(pages: &[&RawPage], diags: &mut Diagnostics) {
    let mut by_lower: BTreeMap<String, Vec<&RawPage>> = BTreeMap::new();
    for p in pages {
        by_lower
            .entry(p.source.stem().to_lowercase())
            .or_default()
            .push(p);
    }
    for same in by_lower.values().filter(|v| v.len() > 1) {
        for p in same {
            let others: Vec<&str> = same
                .iter()
                .filter(|o| o.source.path != p.source.path)
                .map(|o| o.source.path.as_str())
                .collect();
            diags.push(
                Diagnostic::error(
                    "slug-duplicate",
                    &p.source.path,
                    p.top(),
                    format!(
                        "slug `{}` is also used by {}",
                        p.source.stem().to_lowercase(),
                        others.join(", ")
                    ),
                )
                .with_help("each group needs its own `<topic>-<ig|wg>` file name; rename or merge one of them"),
            );
        }
    }
}

/// Two live groups may not share a channel (a retired group's channel may be reused).
fn shared_channels(pages: &[&RawPage], diags: &mut Diagnostics) {
    // The channels themselves, not their positions: a position is worked out only for an
    // error (a page's first position indexes its lines, which a large site keeps per page).
    let mut channels: BTreeMap<String, Vec<(&RawPage, &Spanned<String>)>> = BTreeMap::new();
    for p in pages {
        if *p.fm.status.get_ref() == Status::Retired {
            continue;
        }
        if let Some(c) =
            p.fm.discord
                .as_ref()
                .and_then(|d| d.get_ref().channel.as_ref())
        {
            channels
                .entry(c.get_ref().clone())
                .or_default()
                .push((p, c));
        }
    }
    for (name, live) in channels.iter().filter(|(_, users)| users.len() > 1) {
        for (p, channel) in live {
            let others: Vec<&str> = live
                .iter()
                .filter(|(o, _)| o.source.path != p.source.path)
                .map(|(o, _)| o.source.stem())
                .collect();
            diags.push(
                Diagnostic::error(
                    "channel-duplicate",
                    &p.source.path,
                    p.pos_of(channel),
                    format!("Discord channel `{name}` is also the channel of {}", others.join(", ")),
                )
                .with_help("each live group has its own channel; retire the old group or correct the channel"),
            );
        }
    }
}

/// Checks one page and makes its [`Group`]. The group is a function of `page` alone (the other
/// arguments only feed diagnostics), hence of the page's path and text: `serve`'s caches
/// (the page, render and feed memos of `pipeline::BuildCache`) rely on it; the diagnostics
/// are a function of those and the slugs. The caller keeps the group only when no error was
/// pushed.
fn validate_page(page: RawPage, slugs: &Slugs, diags: &mut Diagnostics) -> Group {
    let mut check = PageCheck { page: &page, diags };
    let slug = page.source.stem().to_string();
    let kind = *page.fm.kind.get_ref();
    let topic = check.identity(&slug, kind);
    check.kind_tables(kind);
    check.people();
    check.channel_names();
    check.links();
    check.group_references(&slug, slugs);
    let meetings = check.meetings();
    Group {
        slug,
        kind,
        topic,
        page,
        meetings,
    }
}

/// The checks of one page, each pushing what it finds.
struct PageCheck<'a> {
    page: &'a RawPage,
    diags: &'a mut Diagnostics,
}

impl PageCheck<'_> {
    fn error(&mut self, rule: &str, pos: Pos, msg: String, help: &str) {
        let path = &self.page.source.path;
        self.diags
            .push(Diagnostic::error(rule, path, pos, msg).with_help(help.to_string()));
    }

    /// The slug, kind, topic, name and summary; gives the topic (`topic`, else the slug without
    /// its kind).
    fn identity(&mut self, slug: &str, kind: Kind) -> String {
        let fm = &self.page.fm;
        let suffix = format!("-{}", kind.suffix());
        if !is_kebab(slug) {
            self.error(
                "slug-format",
                self.page.top(),
                format!("file name `{slug}.md` is not a lowercase kebab-case slug"),
                "name the file `<topic>-ig.md` or `<topic>-wg.md` using a-z, 0-9 and single hyphens",
            );
        } else if !slug.ends_with(&suffix) || slug.len() == suffix.len() {
            self.slug_kind_mismatch(slug, kind);
        }
        let topic = match &fm.topic {
            Some(t) => {
                if !is_kebab(t.get_ref()) {
                    self.error(
                        "topic-format",
                        self.page.pos_of(t),
                        format!("topic `{}` is not lowercase kebab-case", t.get_ref()),
                        "use a-z, 0-9 and single hyphens, e.g. `auth`",
                    );
                }
                t.get_ref().clone()
            }
            None => slug.strip_suffix(&suffix).unwrap_or(slug).to_string(),
        };
        if fm.name.get_ref().trim().is_empty() {
            self.error(
                "name-empty",
                self.page.pos_of(&fm.name),
                "`name` is empty".into(),
                "give the group's name, e.g. name = \"Authorization\"",
            );
        }
        let summary = fm.summary.get_ref();
        if summary.trim().is_empty() || summary.contains('\n') || summary.chars().count() > 280 {
            self.error(
                "summary-format",
                self.page.pos_of(&fm.summary),
                "`summary` must be one non-empty line of at most 280 characters".into(),
                "shorten it; longer text belongs in the page body",
            );
        }
        topic
    }

    /// The slug does not end in the kind's suffix: rename the file, or (when it ends in the
    /// other kind's) correct `kind`.
    fn slug_kind_mismatch(&mut self, slug: &str, kind: Kind) {
        let suffix = format!("-{}", kind.suffix());
        let other = format!("-{}", kind.other().suffix());
        let help = if slug.ends_with(&other) {
            format!(
                "either set `kind = \"{}\"` or rename the file to `{}{suffix}.md`",
                kind.other().suffix(),
                slug.trim_end_matches(&other)
            )
        } else {
            format!("rename the file to `<topic>{suffix}.md`")
        };
        self.error(
            "slug-kind-mismatch",
            self.page.pos_of(&self.page.fm.kind),
            format!(
                "`kind = \"{}\"` but the file name `{slug}.md` does not end in `{suffix}`",
                kind.suffix()
            ),
            &help,
        );
    }

    /// Kind-specific tables: the IG and WG creation templates differ, only WGs have `[work]`,
    /// and a retired group says why.
    fn kind_tables(&mut self, kind: Kind) {
        let fm = &self.page.fm;
        if let Some(c) = &fm.creation {
            self.creation_keys(c, kind);
        }
        if let (Kind::Ig, Some(w)) = (kind, &fm.work) {
            self.error(
                "field-wrong-kind",
                self.page.pos_of(w),
                "`[work]` is for Working Groups; this group is an IG".into(),
                "remove `[work]`, or set kind = \"wg\" if this is a Working Group",
            );
        }
        if fm.status.get_ref() == &Status::Retired && fm.lifecycle.retired_reason.is_none() {
            self.error(
                "missing-required-field",
                self.page.pos_of(&fm.status),
                "a retired group needs `lifecycle.retired_reason`".into(),
                "add retired_reason = \"merged\" (or inactive, completed, converted, superseded, decision, vetoed) under [lifecycle]",
            );
        }
    }

    /// A `[creation]` table holds only its kind's keys, and the keys its kind requires.
    fn creation_keys(&mut self, c: &Spanned<Creation>, kind: Kind) {
        let cr = c.get_ref();
        // (key, present, what it asks when the kind requires it)
        type Key = (&'static str, bool, Option<&'static str>);
        let ig_keys: [Key; 3] = [
            ("similar_groups", cr.similar_groups.is_some(), None),
            ("differentiation", cr.differentiation.is_some(), None),
            (
                "first_topic",
                cr.first_topic.is_some(),
                Some("the first topic to discuss within the IG"),
            ),
        ];
        let wg_keys: [Key; 3] = [
            (
                "use_cases",
                cr.use_cases.is_some(),
                Some("the interest and use cases"),
            ),
            ("origin_ig", cr.origin_ig.is_some(), None),
            (
                "first_item",
                cr.first_item.is_some(),
                Some("the first Issue/PR/SEP the WG will work on"),
            ),
        ];
        let (own, foreign, article, fills) = match kind {
            Kind::Ig => (
                ig_keys,
                wg_keys,
                "an IG",
                "IGs fill in `similar_groups`, `differentiation` and `first_topic`",
            ),
            Kind::Wg => (
                wg_keys,
                ig_keys,
                "a WG",
                "WGs fill in `use_cases` and `first_item`",
            ),
        };
        let other = kind.other().label();
        for (key, _, _) in foreign.into_iter().filter(|(_, present, _)| *present) {
            self.error(
                "field-wrong-kind",
                self.page.pos_of(c),
                format!("`creation.{key}` belongs to the {other} creation template, but this group is {article}"),
                fills,
            );
        }
        for (key, present, what) in own {
            if let (false, Some(what)) = (present, what) {
                self.error(
                    "missing-required-field",
                    self.page.pos_of(c),
                    format!("{article}'s `[creation]` needs `{key}`"),
                    &format!("add {key} = \"…\": {what}"),
                );
            }
        }
    }

    /// GitHub handles are bare handles.
    fn people(&mut self) {
        let fm = &self.page.fm;
        for person in fm.facilitators.iter().chain(&fm.maintainers) {
            if let Some(h) = &person.get_ref().github
                && !is_github_handle(h.get_ref())
            {
                self.error(
                    "github-handle-format",
                    self.page.pos_of(h),
                    format!("`{}` is not a GitHub handle", h.get_ref()),
                    "write the handle alone, without `@` or a URL, e.g. github = \"aaronpk\"",
                );
            }
        }
    }

    /// Channel names are kebab-case names and channel ids Discord snowflakes.
    fn channel_names(&mut self) {
        let Some(d) = &self.page.fm.discord else {
            return;
        };
        let d = d.get_ref();
        for c in d.channel.iter().chain(&d.legacy_channels) {
            let name = c.get_ref();
            if !is_kebab(name) {
                self.error(
                    "channel-format",
                    self.page.pos_of(c),
                    format!("channel `{name}` is not a lowercase kebab-case channel name"),
                    "write the name alone, without `#` or a URL, e.g. channel = \"auth-ig\"",
                );
            }
        }
        if let Some(id) = &d.channel_id {
            let s = id.get_ref();
            if !(17..=20).contains(&s.len()) || !s.chars().all(|c| c.is_ascii_digit()) {
                self.error(
                    "channel-id-format",
                    self.page.pos_of(id),
                    format!("`{s}` is not a Discord channel id (17–20 digits)"),
                    "copy the id with Discord's \"Copy Channel ID\" (developer mode)",
                );
            }
        }
    }

    /// Links are absolute `https:` URLs, repositories `owner/name`, aliases site paths.
    fn links(&mut self) {
        let fm = &self.page.fm;
        for u in page_urls(fm) {
            if let Err(msg) = check_url(u.get_ref(), false) {
                self.error(
                    "url-invalid",
                    self.page.pos_of(u),
                    msg,
                    "links must be absolute https: URLs, e.g. \"https://github.com/…\"",
                );
            }
        }
        let projects = fm.work.iter().flat_map(|w| &w.get_ref().projects);
        for r in fm.links.repos.iter().chain(projects) {
            if !is_repo_ref(r.get_ref()) {
                self.error(
                    "repo-format",
                    self.page.pos_of(r),
                    format!("`{}` is not an `owner/name` repository", r.get_ref()),
                    "write e.g. \"modelcontextprotocol/inspector\", without https://github.com/",
                );
            }
        }
        for a in &fm.aliases {
            let s = a.get_ref();
            if !s.starts_with('/')
                || s.contains("..")
                || s.contains(char::is_whitespace)
                || s.contains('*')
            {
                self.error(
                    "alias-format",
                    self.page.pos_of(a),
                    format!("alias `{s}` is not a site path"),
                    "write an absolute path on this site, e.g. \"/groups/old-name-ig/\"",
                );
            }
        }
    }

    /// References to other groups must resolve, or the page would link nowhere.
    fn group_references(&mut self, slug: &str, slugs: &Slugs) {
        for (r, key) in self.page.fm.group_refs() {
            let target = r.get_ref();
            if target == slug {
                self.error(
                    "related-self",
                    self.page.pos_of(r),
                    format!("`{key}` names this group itself"),
                    "remove it",
                );
            } else if !slugs.set.contains(target) {
                let help = match closest(target, &slugs.list) {
                    Some(best) => format!(
                        "did you mean `{best}`? groups are named by file name, e.g. `security-ig`"
                    ),
                    None => "use the slug (file name without .md) of a page in content/groups/"
                        .to_string(),
                };
                self.error(
                    "related-unknown",
                    self.page.pos_of(r),
                    format!("`{key}` names `{target}`, which is not a group"),
                    &help,
                );
            }
        }
    }

    /// Schedules, exceptions and records, resolved by `recur` once every date lies in
    /// [`MEETING_YEARS`]: expanding a series near the ends of the calendar (year 9999) would
    /// overflow. Gives no meetings when a date is out of range.
    fn meetings(&mut self) -> Meetings {
        let mut dates_ok = true;
        for (span, d) in meeting_dates(self.page) {
            if !MEETING_YEARS.contains(&d.year()) {
                dates_ok = false;
                self.error(
                    "date-out-of-range",
                    self.page.pos(span),
                    format!(
                        "{d} is outside the years {}–{} that meetings may use",
                        MEETING_YEARS.start(),
                        MEETING_YEARS.end()
                    ),
                    "check the year; to end a series, use `until` with a real date",
                );
            }
        }
        if !dates_ok {
            return Meetings::default();
        }
        let mut meeting_diags = Vec::new();
        let meetings = recur::resolve_meetings(self.page, &mut meeting_diags);
        for d in meeting_diags {
            self.diags.push(d);
        }
        meetings
    }
}

/// Every link a page gives: `[links]`, the proposal, the Discord invite, related efforts,
/// meeting records' notes, agendas and recordings, and the schedules' URL templates.
fn page_urls(fm: &FrontMatter) -> Vec<&Spanned<String>> {
    let l = &fm.links;
    let mut urls: Vec<&Spanned<String>> = Vec::new();
    urls.extend(&l.charter);
    urls.extend(&l.notes_index);
    urls.extend(&l.website);
    urls.extend(&fm.lifecycle.proposal_url);
    if let Some(d) = &fm.discord {
        urls.extend(&d.get_ref().invite);
    }
    urls.extend(fm.related_external.iter().map(|e| &e.url));
    for m in &fm.meetings {
        let m = m.get_ref();
        urls.extend(
            [m.notes.as_ref(), m.agenda(), m.recording()]
                .into_iter()
                .flatten(),
        );
    }
    for s in &fm.schedule {
        let s = s.get_ref();
        urls.extend(
            [&s.notes_url_template, &s.agenda_url_template]
                .into_iter()
                .flatten(),
        );
    }
    urls
}

/// Every meeting date a page writes, with its span: each schedule's start, `until`, and its
/// exceptions' dates and move targets, and each record's date. Spans, not positions: a position
/// is worked out only for a date in error, and the first one a page asks for indexes the whole
/// page's lines, which a large site would keep for every page.
fn meeting_dates(page: &RawPage) -> Vec<(Range<usize>, jiff::civil::Date)> {
    let fm = &page.fm;
    let mut dates = Vec::new();
    for s in &fm.schedule {
        let s = s.get_ref();
        dates.push((s.start.span(), s.start.get_ref().0.date()));
        if let Some(u) = &s.until {
            dates.push((u.span(), u.get_ref().0));
        }
        for e in &s.exceptions {
            let e = e.get_ref();
            dates.push((e.date.span(), e.date.get_ref().0));
            if let Some(t) = &e.to {
                dates.push((t.span(), t.get_ref().0.date()));
            }
        }
    }
    for m in &fm.meetings {
        let d = &m.get_ref().date;
        dates.push((d.span(), d.get_ref().0));
    }
    dates
}
