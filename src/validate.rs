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

use toml::Spanned;

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::frontmatter::{HomePage, RawPage};
use crate::hints::closest;
use crate::model::{Group, Site};
use crate::recur;
use crate::schema::{Kind, MEETING_YEARS, Status, is_kebab};

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

/// Validates every parsed page and assembles the site.
pub fn validate(
    config: SiteConfig,
    home: HomePage,
    pages: Vec<RawPage>,
    today: jiff::civil::Date,
    drafts: bool,
) -> (Site, Diagnostics) {
    let known = pages.iter().map(|p| p.source.stem().to_string()).collect();
    validate_with_known(config, home, pages, known, today, drafts)
}

/// Like [`validate`], with `known` naming every group page that exists, including those whose
/// front matter did not parse: a reference to a page with a syntax error is not also reported
/// as a reference to a missing group, so one mistake does not cascade into many.
pub fn validate_with_known(
    config: SiteConfig,
    home: HomePage,
    pages: Vec<RawPage>,
    known: BTreeSet<String>,
    today: jiff::civil::Date,
    drafts: bool,
) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut groups = Vec::new();

    // Slugs first: every cross-reference below is checked against the full set, including
    // pages that fail for other reasons.
    let mut all_slugs = known;
    all_slugs.extend(pages.iter().map(|p| p.source.stem().to_string()));
    let all_list: Vec<String> = all_slugs.iter().cloned().collect();

    let mut by_lower: BTreeMap<String, Vec<&RawPage>> = BTreeMap::new();
    for p in &pages {
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

    // Channels: two live groups may not share one, nor may a live channel be another group's
    // legacy channel.
    let mut channels: BTreeMap<String, Vec<(&RawPage, Pos, bool)>> = BTreeMap::new();
    for p in &pages {
        let retired = *p.fm.status.get_ref() == Status::Retired;
        if let Some(c) =
            p.fm.discord
                .as_ref()
                .and_then(|d| d.get_ref().channel.as_ref())
        {
            channels
                .entry(c.get_ref().clone())
                .or_default()
                .push((p, p.pos_of(c), retired));
        }
    }
    for (name, users) in &channels {
        let live: Vec<_> = users.iter().filter(|(_, _, retired)| !retired).collect();
        if live.len() > 1 {
            for (p, pos, _) in &live {
                let others: Vec<&str> = live
                    .iter()
                    .filter(|(o, _, _)| o.source.path != p.source.path)
                    .map(|(o, _, _)| o.source.stem())
                    .collect();
                diags.push(
                    Diagnostic::error(
                        "channel-duplicate",
                        &p.source.path,
                        *pos,
                        format!("Discord channel `{name}` is also the channel of {}", others.join(", ")),
                    )
                    .with_help("each live group has its own channel; retire the old group or correct the channel"),
                );
            }
        }
    }

    for page in pages {
        let is_draft = page.fm.draft;
        // Warnings (such as a record off its schedule) do not keep a page out; errors do.
        let before = diags.count(crate::diag::Severity::Error);
        let group = validate_page(page, &all_slugs, &all_list, &mut diags);
        if diags.count(crate::diag::Severity::Error) == before && (drafts || !is_draft) {
            groups.extend(group);
        }
    }
    groups.sort_by(|a, b| a.slug.cmp(&b.slug));
    (
        Site {
            config,
            home,
            groups,
            today,
        },
        diags,
    )
}

/// Checks one page and makes its [`Group`]. The group is a function of `page` alone (the other
/// arguments only feed diagnostics), hence of the page's path and text: `serve`'s caches
/// (`pipeline::ParseCache`, `render::RenderCache`, `feeds::FeedCache`) rely on it.
fn validate_page(
    page: RawPage,
    all_slugs: &BTreeSet<String>,
    all_list: &[String],
    diags: &mut Diagnostics,
) -> Option<Group> {
    let path = page.source.path.clone();
    let fm = &page.fm;
    let slug = page.source.stem().to_string();
    let kind = *fm.kind.get_ref();
    let err = |rule: &str, pos: Pos, msg: String, help: &str| {
        Diagnostic::error(rule, &path, pos, msg).with_help(help.to_string())
    };

    // Identity.
    let suffix = format!("-{}", kind.suffix());
    if !is_kebab(&slug) {
        diags.push(err(
            "slug-format",
            page.top(),
            format!("file name `{slug}.md` is not a lowercase kebab-case slug"),
            "name the file `<topic>-ig.md` or `<topic>-wg.md` using a-z, 0-9 and single hyphens",
        ));
    } else if !slug.ends_with(&suffix) || slug.len() == suffix.len() {
        let other = format!("-{}", kind.other().suffix());
        diags.push(err(
            "slug-kind-mismatch",
            page.pos_of(&fm.kind),
            format!(
                "`kind = \"{}\"` but the file name `{slug}.md` does not end in `{suffix}`",
                kind.suffix()
            ),
            &if slug.ends_with(&other) {
                format!(
                    "either set `kind = \"{}\"` or rename the file to `{}{suffix}.md`",
                    &other[1..],
                    slug.trim_end_matches(&other)
                )
            } else {
                format!("rename the file to `<topic>{suffix}.md`")
            },
        ));
    }
    let topic = match &fm.topic {
        Some(t) => {
            if !is_kebab(t.get_ref()) {
                diags.push(err(
                    "topic-format",
                    page.pos_of(t),
                    format!("topic `{}` is not lowercase kebab-case", t.get_ref()),
                    "use a-z, 0-9 and single hyphens, e.g. `auth`",
                ));
            }
            t.get_ref().clone()
        }
        None => slug.strip_suffix(&suffix).unwrap_or(&slug).to_string(),
    };
    if fm.name.get_ref().trim().is_empty() {
        diags.push(err(
            "name-empty",
            page.pos_of(&fm.name),
            "`name` is empty".into(),
            "give the group's name, e.g. name = \"Authorization\"",
        ));
    }
    let summary = fm.summary.get_ref();
    if summary.trim().is_empty() || summary.contains('\n') || summary.chars().count() > 280 {
        diags.push(err(
            "summary-format",
            page.pos_of(&fm.summary),
            "`summary` must be one non-empty line of at most 280 characters".into(),
            "shorten it; longer text belongs in the page body",
        ));
    }

    // Kind-specific tables: the IG and WG creation templates differ, and only WGs have work.
    if let Some(c) = &fm.creation {
        let cr = c.get_ref();
        match kind {
            Kind::Ig => {
                for (key, present) in [
                    ("use_cases", cr.use_cases.is_some()),
                    ("origin_ig", cr.origin_ig.is_some()),
                    ("first_item", cr.first_item.is_some()),
                ] {
                    if present {
                        diags.push(err(
                            "field-wrong-kind",
                            page.pos_of(c),
                            format!("`creation.{key}` belongs to the WG creation template, but this group is an IG"),
                            "IGs fill in `similar_groups`, `differentiation` and `first_topic`",
                        ));
                    }
                }
                if cr.first_topic.is_none() {
                    diags.push(err(
                        "missing-required-field",
                        page.pos_of(c),
                        "an IG's `[creation]` needs `first_topic`".into(),
                        "add first_topic = \"…\": the first topic to discuss within the IG",
                    ));
                }
            }
            Kind::Wg => {
                for (key, present) in [
                    ("similar_groups", cr.similar_groups.is_some()),
                    ("differentiation", cr.differentiation.is_some()),
                    ("first_topic", cr.first_topic.is_some()),
                ] {
                    if present {
                        diags.push(err(
                            "field-wrong-kind",
                            page.pos_of(c),
                            format!("`creation.{key}` belongs to the IG creation template, but this group is a WG"),
                            "WGs fill in `use_cases` and `first_item`",
                        ));
                    }
                }
                for (key, present, what) in [
                    (
                        "use_cases",
                        cr.use_cases.is_some(),
                        "the interest and use cases",
                    ),
                    (
                        "first_item",
                        cr.first_item.is_some(),
                        "the first Issue/PR/SEP the WG will work on",
                    ),
                ] {
                    if !present {
                        diags.push(err(
                            "missing-required-field",
                            page.pos_of(c),
                            format!("a WG's `[creation]` needs `{key}`"),
                            &format!("add {key} = \"…\": {what}"),
                        ));
                    }
                }
            }
        }
    }
    if let (Kind::Ig, Some(w)) = (kind, &fm.work) {
        diags.push(err(
            "field-wrong-kind",
            page.pos_of(w),
            "`[work]` is for Working Groups; this group is an IG".into(),
            "remove `[work]`, or set kind = \"wg\" if this is a Working Group",
        ));
    }
    if fm.status.get_ref() == &Status::Retired && fm.lifecycle.retired_reason.is_none() {
        diags.push(err(
            "missing-required-field",
            page.pos_of(&fm.status),
            "a retired group needs `lifecycle.retired_reason`".into(),
            "add retired_reason = \"merged\" (or inactive, completed, converted, superseded, decision, vetoed) under [lifecycle]",
        ));
    }

    // People.
    for person in fm.facilitators.iter().chain(&fm.maintainers) {
        if let Some(h) = &person.get_ref().github
            && !is_github_handle(h.get_ref())
        {
            diags.push(err(
                "github-handle-format",
                page.pos_of(h),
                format!("`{}` is not a GitHub handle", h.get_ref()),
                "write the handle alone, without `@` or a URL, e.g. github = \"aaronpk\"",
            ));
        }
    }

    // Channel names.
    if let Some(d) = &fm.discord {
        let d = d.get_ref();
        for c in d.channel.iter().chain(&d.legacy_channels) {
            let name = c.get_ref();
            if !is_kebab(name) {
                diags.push(err(
                    "channel-format",
                    page.pos_of(c),
                    format!("channel `{name}` is not a lowercase kebab-case channel name"),
                    "write the name alone, without `#` or a URL, e.g. channel = \"auth-ig\"",
                ));
            }
        }
        if let Some(id) = &d.channel_id {
            let s = id.get_ref();
            if !(17..=20).contains(&s.len()) || !s.chars().all(|c| c.is_ascii_digit()) {
                diags.push(err(
                    "channel-id-format",
                    page.pos_of(id),
                    format!("`{s}` is not a Discord channel id (17–20 digits)"),
                    "copy the id with Discord's \"Copy Channel ID\" (developer mode)",
                ));
            }
        }
    }

    // Links.
    let mut urls: Vec<(&Spanned<String>, bool)> = Vec::new();
    let l = &fm.links;
    urls.extend(l.charter.iter().map(|u| (u, false)));
    urls.extend(l.notes_index.iter().map(|u| (u, false)));
    urls.extend(l.website.iter().map(|u| (u, false)));
    urls.extend(fm.lifecycle.proposal_url.iter().map(|u| (u, false)));
    if let Some(d) = &fm.discord {
        urls.extend(d.get_ref().invite.iter().map(|u| (u, false)));
    }
    urls.extend(fm.related_external.iter().map(|e| (&e.url, false)));
    for m in &fm.meetings {
        let m = m.get_ref();
        for u in [&m.notes, &m.agenda, &m.recording].into_iter().flatten() {
            urls.push((u, false));
        }
    }
    for s in &fm.schedule {
        for t in [
            &s.get_ref().notes_url_template,
            &s.get_ref().agenda_url_template,
        ]
        .into_iter()
        .flatten()
        {
            urls.push((t, false));
        }
    }
    for (u, mailto) in urls {
        if let Err(msg) = check_url(u.get_ref(), mailto) {
            diags.push(err(
                "url-invalid",
                page.pos_of(u),
                msg,
                "links must be absolute https: URLs, e.g. \"https://github.com/…\"",
            ));
        }
    }
    for r in l
        .repos
        .iter()
        .chain(fm.work.iter().flat_map(|w| &w.get_ref().projects))
    {
        if !is_repo_ref(r.get_ref()) {
            diags.push(err(
                "repo-format",
                page.pos_of(r),
                format!("`{}` is not an `owner/name` repository", r.get_ref()),
                "write e.g. \"modelcontextprotocol/inspector\", without https://github.com/",
            ));
        }
    }
    for a in &fm.aliases {
        let s = a.get_ref();
        if !s.starts_with('/')
            || s.contains("..")
            || s.contains(char::is_whitespace)
            || s.contains('*')
        {
            diags.push(err(
                "alias-format",
                page.pos_of(a),
                format!("alias `{s}` is not a site path"),
                "write an absolute path on this site, e.g. \"/groups/old-name-ig/\"",
            ));
        }
    }

    // References to other groups must resolve, or the page would link nowhere.
    let refs = fm.group_refs();
    for (r, key) in refs {
        let target = r.get_ref();
        if target == &slug {
            diags.push(err(
                "related-self",
                page.pos_of(r),
                format!("`{key}` names this group itself"),
                "remove it",
            ));
        } else if !all_slugs.contains(target) {
            let help = match closest(target, all_list) {
                Some(best) => format!(
                    "did you mean `{best}`? groups are named by file name, e.g. `security-ig`"
                ),
                None => {
                    "use the slug (file name without .md) of a page in content/groups/".to_string()
                }
            };
            diags.push(err(
                "related-unknown",
                page.pos_of(r),
                format!("`{key}` names `{target}`, which is not a group"),
                &help,
            ));
        }
    }

    // Meetings: schedules, exceptions and records. Dates far from today are refused first:
    // expanding a series near the ends of the calendar (year 9999) would overflow.
    let mut meeting_dates: Vec<(Pos, jiff::civil::Date)> = Vec::new();
    for s in &fm.schedule {
        let s = s.get_ref();
        meeting_dates.push((page.pos_of(&s.start), s.start.get_ref().0.date()));
        if let Some(u) = &s.until {
            meeting_dates.push((page.pos_of(u), u.get_ref().0));
        }
        for e in &s.exceptions {
            let e = e.get_ref();
            meeting_dates.push((page.pos_of(&e.date), e.date.get_ref().0));
            if let Some(t) = &e.to {
                meeting_dates.push((page.pos_of(t), t.get_ref().0.date()));
            }
        }
    }
    for m in &fm.meetings {
        let d = &m.get_ref().date;
        meeting_dates.push((page.pos_of(d), d.get_ref().0));
    }
    let mut dates_ok = true;
    for (pos, d) in meeting_dates {
        if !MEETING_YEARS.contains(&d.year()) {
            dates_ok = false;
            diags.push(err(
                "date-out-of-range",
                pos,
                format!(
                    "{d} is outside the years {}–{} that meetings may use",
                    MEETING_YEARS.start(),
                    MEETING_YEARS.end()
                ),
                "check the year; to end a series, use `until` with a real date",
            ));
        }
    }
    let meetings = if dates_ok {
        let mut meeting_diags = Vec::new();
        let meetings = recur::resolve_meetings(&page, &mut meeting_diags);
        for d in meeting_diags {
            diags.push(d);
        }
        meetings
    } else {
        recur::Meetings::default()
    };

    Some(Group {
        slug,
        kind,
        topic,
        page,
        meetings,
    })
}
