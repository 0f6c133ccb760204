//! `mcpsite check`: the governance linter.
//!
//! Takes: a validated [`Site`] (from the pipeline, which also reports every build-level rule),
//! each built file as it is made ([`inspect::Inspect`]), and [`CheckOptions`].
//! Gives: [`Diagnostics`], every
//! finding with its rule id, severity, `path:line:col`, message and `help:`.
//!
//! Three layers run, in order:
//!
//! 1. the build's own rules (front matter, slugs, links, channel clashes…), reported by loading
//!    and building the site exactly as `mcpsite build` does;
//! 2. the content rules in [`rules`]: what the community's governance text and the directory's
//!    consistency ask of each group (each rule is explained in `docs/check-findings.md`),
//!    parameterized by `[governance]` in `mcpsite.toml`;
//! 3. the output rules in [`links`] and [`feeds`]: every internal link and `#fragment` of the built
//!    HTML resolves, every feed parses back, and `--previous` compares feed UIDs and SEQUENCE.
//!
//! The content and output rules need nothing from the pipeline, so a build can run the content
//! rules too (the community health page shows their findings); only [`run`], the whole command,
//! builds the site first.
//!
//! Every rule is listed once in [`RULES`], with its severity; `--skip` is validated against it
//! and `--list-rules` prints it. Time enters only through [`CheckOptions::today`].

pub mod feeds;
pub mod handles;
pub mod inspect;
pub mod links;
pub mod notes;
mod overlap;
pub mod reuse;
pub mod rules;

pub mod template;

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics, Pos, Severity};
use crate::hints::closest;
use crate::model::{Group, Site};

pub use notes::{NotesKind, notes_kind};

/// Which stage reports a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and parsing files; reported by `build` too.
    Parse,
    /// Validation a build cannot do without; reported by `build` too.
    Build,
    /// Governance and consistency rules; only `check` reports them.
    Content,
    /// The built output: links and feeds; only `check` reports them.
    Output,
}

impl Stage {
    /// The stage's name, e.g. `content`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Parse => "parse",
            Stage::Build => "build",
            Stage::Content => "content",
            Stage::Output => "output",
        }
    }
}

/// One rule: a stable id, its severity, and what it asks.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The rule id, e.g. `channel-duplicate`.
    pub id: &'static str,
    /// How serious its findings are.
    pub severity: Severity,
    /// Which stage reports it.
    pub stage: Stage,
    /// What the rule asks, in one line.
    pub summary: &'static str,
}

const fn rule(id: &'static str, severity: Severity, stage: Stage, summary: &'static str) -> Rule {
    Rule {
        id,
        severity,
        stage,
        summary,
    }
}

use Severity::{Error as E, Info as I, Warning as W};
use Stage::{Build as B, Content as C, Output as O, Parse as P};

/// The most places a finding names that lists where something is written (the rest are
/// counted): on a large site such a list would otherwise grow with the site.
pub(crate) const PLACES_SHOWN: usize = 5;

/// The first [`PLACES_SHOWN`] of `places`, `total` in all, joined with commas, and how many
/// more there are: "a (facilitators), b (maintainers), 3 more places". Only the places shown
/// are taken from `places`.
pub(crate) fn places_text(places: impl Iterator<Item = String>, total: usize) -> String {
    let mut shown: Vec<String> = places.take(PLACES_SHOWN).collect();
    if total > PLACES_SHOWN {
        shown.push(format!("{} more places", total - PLACES_SHOWN));
    }
    shown.join(", ")
}

/// Every rule `check` can report, in the order `--list-rules` prints them.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    // Reading and parsing (reported by `build` too).
    rule("config-parse", E, P, "mcpsite.toml parses and has only known keys"),
    rule("config-base-url", E, P, "base_url is an absolute http(s) URL"),
    rule("content-not-utf8", E, P, "every content file is UTF-8"),
    rule("content-nested", E, P, "group pages are directly in content/groups/"),
    rule("content-unknown-file", W, P, "content/ holds only Markdown pages"),
    rule("content-symlink", E, P, "links are followed only to files inside the site root"),
    rule("content-special-file", E, P, "no FIFO, socket or device among the sources"),
    rule("content-file-name", E, P, "every source file name is UTF-8"),
    rule("content-folder-md", E, P, "no folder is named like a page"),
    rule("frontmatter-control-char", E, P, "no control characters in front-matter strings"),
    rule("content-too-large", E, P, "no page is over `max_page_bytes` (1 MB by default)"),
    rule("frontmatter-missing", E, P, "a group page starts with a `+++` front-matter block"),
    rule("frontmatter-unclosed", E, P, "the front-matter block is closed by a `+++` line"),
    rule("frontmatter-parse", E, P, "the front matter is valid TOML"),
    rule("frontmatter-unknown-key", E, P, "the front matter has only known keys"),
    rule("frontmatter-invalid-value", E, P, "enumerated keys (kind, status, every…) have an allowed value"),
    rule("frontmatter-missing-field", E, P, "required keys (kind, name, summary, status…) are present"),
    rule("frontmatter-type", E, P, "every value has the type its key expects"),
    rule("frontmatter-date", E, P, "dates and times are real and written in the expected form"),
    // Build-level validation (reported by `build` too).
    rule("theme-unknown", E, B, "the `theme` setting names the built-in theme or a folder under themes/"),
    rule("template-error", E, B, "every template of the theme compiles and renders every page"),
    rule("content-changed", E, B, "no page changes while `build` runs (a page's body is read again for its page)"),
    rule("serve-build", E, B, "the preview server could read and build the site (serve only)"),
    rule("slug-format", E, B, "the file name is a lowercase kebab-case slug"),
    rule("slug-kind-mismatch", E, B, "the slug ends in -ig or -wg as `kind` says"),
    rule("slug-duplicate", E, B, "no two pages have the same slug"),
    rule("topic-format", E, B, "`topic` is lowercase kebab-case"),
    rule("name-empty", E, B, "`name` is not empty"),
    rule("summary-format", E, B, "`summary` is one non-empty line of at most 280 characters"),
    rule("field-wrong-kind", E, B, "IG-only and WG-only fields are used by the right kind"),
    rule("missing-required-field", E, B, "a [creation] table or retired group has its required keys"),
    rule("github-handle-format", E, B, "GitHub handles are bare handles"),
    rule("channel-format", E, B, "Discord channels are kebab-case names without `#`"),
    rule("channel-id-format", E, B, "Discord channel ids are 17–20 digit snowflakes"),
    rule("channel-duplicate", E, B, "no two live groups share a channel; no live channel is another group's legacy channel"),
    rule("url-invalid", E, B, "links are absolute https: URLs"),
    rule("repo-format", E, B, "repositories are written `owner/name`"),
    rule("alias-format", E, B, "aliases are absolute site paths"),
    rule("date-out-of-range", E, B, "meeting dates lie in the years 1970 to 2200"),
    rule("related-unknown", E, B, "every referenced group exists"),
    rule("related-self", E, B, "no group references itself"),
    rule("schedule-tz-invalid", E, B, "a schedule's `tz` is an IANA zone"),
    rule("schedule-start-nonexistent", E, B, "a schedule does not start in a DST gap"),
    rule("schedule-start-ambiguous", E, B, "a schedule starting in a DST overlap says which time (`fold`)"),
    rule("schedule-duration-range", E, B, "a meeting lasts 5 to 240 minutes"),
    rule("schedule-id-format", E, B, "schedule ids are kebab-case"),
    rule("schedule-id-duplicate", E, B, "schedule ids are unique in a group"),
    rule("schedule-weekday-mismatch", E, B, "`weekday` is the weekday of `start`"),
    rule("schedule-weekday-missing", E, B, "weekly-type schedules name their weekday"),
    rule("schedule-monthly-nth-missing", E, B, "monthly schedules say which weekday of the month (`nth`)"),
    rule("schedule-nth-range", E, B, "`nth` is 1–4 or -1, and only for monthly schedules"),
    rule("schedule-interval-invalid", E, B, "`interval` is a positive number of weeks for weekly schedules"),
    rule("schedule-start-not-occurrence", E, B, "a monthly schedule starts on one of its own dates"),
    rule("schedule-until-before-start", E, B, "`until` is not before `start`"),
    rule("exception-not-occurrence", E, B, "an exception's date is a meeting date of its schedule"),
    rule("exception-duplicate", E, B, "an occurrence has at most one exception"),
    rule("exception-move-missing-to", E, B, "a `move` exception says where to (`to`)"),
    rule("exception-move-target", E, B, "a moved meeting's new time exists and does not collide"),
    rule("meeting-schedule-unknown", E, B, "a meeting record's `schedule` exists"),
    rule("meeting-not-occurrence", W, B, "a meeting record's date is a meeting date of its schedule"),
    rule("meeting-oneoff-incomplete", E, B, "a one-off meeting has `time`, `tz` and `duration`"),
    rule("meeting-id-format", E, B, "one-off meeting ids are kebab-case"),
    rule("meeting-id-duplicate", E, B, "one-off meeting ids are unique and differ from schedule ids"),
    // Identity and people.
    rule("status-valid", E, C, "status is a lifecycle state (proposed, approved, active, retired), not `unknown`"),
    rule("name-has-kind-suffix", W, C, "`name` does not end in Interest/Working Group (the site appends it)"),
    rule("placeholder-unfilled", E, C, "no value still holds a `TODO` placeholder from `mcpsite new`"),
    rule("facilitator-required", E, C, "a live group has at least one facilitator (creation template)"),
    rule("person-github-missing", W, C, "every facilitator and maintainer has a GitHub handle"),
    rule("person-duplicate", W, C, "nobody is listed twice in the same role of one group"),
    rule("person-consistent", W, C, "the same GitHub handle has the same name and organization everywhere"),
    rule("facilitator-term-expired", W, C, "no facilitator's `term_ends` has passed"),
    rule("person-name-handles", I, C, "the same name is written with one GitHub handle everywhere (people do change handles)"),
    // Lifecycle.
    rule("lifecycle-dates-present", E, C, "the lifecycle records the dates its status implies"),
    rule("lifecycle-status-mismatch", E, C, "status agrees with the lifecycle dates"),
    rule("lifecycle-order", E, C, "proposed ≤ vote ≤ approved ≤ active ≤ retired, chartered ≤ rechartered"),
    rule("lifecycle-date-future", E, C, "no lifecycle date lies after today"),
    rule("vote-window", E, C, "approval comes at least `vote_hours` (72 h) after the vote opened"),
    rule("proposed-stale", W, C, "a proposal is decided within `proposal_stale_days` of being filed"),
    rule("retired-has-future-meetings", E, C, "a retired group has no schedules or meetings after its retirement"),
    rule("retired-successor-exists", E, C, "a group retired as merged, converted or superseded names its successor"),
    rule("retired-still-referenced", W, C, "live groups do not list retired groups as related or similar"),
    rule("lineage-asymmetric", W, C, "`successor` and `predecessors` agree in both groups"),
    rule("predecessor-not-retired", W, C, "a group's predecessors are retired"),
    // Channels and calendar tags.
    rule("channel-missing", E, C, "a live group has a Discord channel (or marks it `pending`)"),
    rule("channel-suffix-kind", E, C, "the channel ends in -ig or -wg as the group's kind, unless `channel_exception` says why"),
    rule("channel-topic", W, C, "the channel is `<topic>-<ig|wg>`"),
    rule("channel-exception-unneeded", I, C, "`channel_exception` is set only when the channel breaks the pattern"),
    rule("channel-id-duplicate", E, C, "no two live groups share a Discord channel id"),
    rule("calendar-tag-mismatch", W, C, "calendar events are tagged with the channel name"),
    // Creation template.
    rule("ig-similar-groups-missing", E, C, "an IG lists IGs with similar goals (`[]` for none)"),
    rule("ig-differentiation-missing", E, C, "an IG with similar groups says how it differs from them"),
    rule("ig-first-topic-missing", E, C, "an IG names its first topic"),
    rule("wg-use-cases-missing", E, C, "a WG explains the interest and use cases"),
    rule("wg-first-item-missing", E, C, "a WG names its first Issue/PR/SEP"),
    rule("wg-first-item-not-ref", I, C, "a WG's first item is a SEP or issue/PR reference, not only prose"),
    rule("similar-group-not-ig", E, C, "an IG's similar groups are IGs"),
    rule("origin-ig-not-ig", E, C, "a WG's `origin_ig` is an IG"),
    // Relations.
    rule("related-duplicate", W, C, "a group is listed once in `related`"),
    rule("related-asymmetric", I, C, "when A lists B as related, B lists A"),
    // Meetings and notes.
    rule("notes-url-invalid", E, C, "a notes link is a GitHub issue, discussion or file, a Google Doc, or a Discord thread"),
    rule("notes-kind-not-allowed", W, C, "notes are kept where `notes_kinds_ok` allows (seed: GitHub issue or Google Doc)"),
    rule("past-meeting-without-notes", W, C, "a meeting that ended more than `notes_grace_hours` ago has notes"),
    rule("notes-late", W, C, "notes are published within `notes_grace_hours` of the meeting's end"),
    rule("notes-on-cancelled", W, C, "a cancelled meeting has no notes"),
    rule("notes-for-future-meeting", W, C, "a meeting that has not happened has no notes (use `agenda`)"),
    rule("notes-duplicate", I, C, "each meeting has its own notes link, unless it is the rolling `links.notes_index`"),
    rule("announce-too-late", W, C, "a meeting is announced `announce_days` ahead (SEP-2149 profile)"),
    rule("active-group-no-upcoming", I, C, "an active group with schedules still has meetings ahead"),
    rule("cadence-conflict", I, C, "two live schedules of one group do not overlap in time"),
    // WG activity.
    rule("wg-no-work", E, C, "an active WG tracks a SEP/issue/PR or maintains a project"),
    rule("wg-inactive", W, C, "an active WG shows activity within `wg_inactive_days` (a month)"),
    rule("wg-activity-unknown", I, C, "an active WG records some activity (work-item dates, meetings with notes)"),
    rule("wg-items-all-complete", W, C, "an active WG still has open work; all done makes it a retirement candidate"),
    rule("wg-maintenance-project-unknown", W, C, "maintained projects are MCP repositories or in `maintenance_projects`"),
    rule("ig-possibly-inactive", I, C, "an active IG shows activity within `ig_inactive_days`"),
    rule("work-item-ref-format", E, C, "a work item is `SEP-N`, `owner/repo#N` or a GitHub issue/PR URL"),
    rule("sep-status-invalid", E, C, "a work item's status is a SEP status, or open/merged/closed for issues and PRs"),
    rule("activity-date-future", E, C, "no activity date lies after today"),
    // Built output.
    rule("link-broken", E, O, "every site-relative link and `src` in the built HTML points at a built file"),
    rule("link-fragment-missing", E, O, "every `#fragment` names an `id` in its target page"),
    rule("feed-invalid", E, O, "every built .ics feed parses back as iCalendar"),
    rule("feed-lint", E, O, "every built .ics feed passes the iCalendar checklist (docs/calendar-feeds.md)"),
    rule("feed-uid-removed", W, O, "with --previous: no series of the earlier feed disappeared"),
    rule("feed-sequence-not-raised", E, O, "with --previous: a changed series has a higher SEQUENCE"),
];

/// The registered rule with this id.
pub fn find_rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The options of one `check` run, resolved once by the command line.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The only source of time for every rule.
    pub today: jiff::civil::Date,
    /// Rule ids not to report.
    pub skip: BTreeSet<String>,
    /// Warnings count as errors.
    pub strict: bool,
    /// An earlier `calendar.ics` to compare UIDs and SEQUENCE with.
    pub previous: Option<PathBuf>,
}

impl CheckOptions {
    /// Options for `today`: no rule skipped, not strict, no previous build.
    pub fn new(today: jiff::civil::Date) -> Self {
        CheckOptions {
            today,
            skip: BTreeSet::new(),
            strict: false,
            previous: None,
        }
    }
}

/// Checks `--skip` ids against [`RULES`], with a "did you mean" for typos.
pub fn validate_skip(ids: &[String]) -> Result<BTreeSet<String>, String> {
    let all: Vec<String> = RULES.iter().map(|r| r.id.to_string()).collect();
    let mut out = BTreeSet::new();
    for id in ids {
        for id in id.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if find_rule(id).is_none() {
                let hint = match closest(id, &all) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "`mcpsite check --list-rules` prints every rule".to_string(),
                };
                return Err(format!("--skip: no rule is called `{id}`; {hint}"));
            }
            out.insert(id.to_string());
        }
    }
    Ok(out)
}

/// The rule table as text, for `--list-rules`.
pub fn list_rules() -> String {
    let width = RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut s = String::new();
    for r in RULES {
        s.push_str(&format!(
            "{:width$}  {:<7}  {:<7}  {}\n",
            r.id,
            r.severity.as_str(),
            r.stage.as_str(),
            r.summary,
        ));
    }
    s
}

/// Collects the findings of the content rules; severity comes from [`RULES`].
pub struct Sink<'a> {
    diags: Diagnostics,
    skip: &'a BTreeSet<String>,
}

impl<'a> Sink<'a> {
    /// A sink that drops the findings of the rules in `skip`.
    pub fn new(skip: &'a BTreeSet<String>) -> Self {
        Sink {
            diags: Diagnostics::new(),
            skip,
        }
    }

    /// Reports rule `id` on `path` at `pos`.
    pub fn emit(
        &mut self,
        id: &str,
        path: &str,
        pos: Pos,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let rule = find_rule(id);
        debug_assert!(rule.is_some(), "rule `{id}` is not in check::RULES");
        if self.skip.contains(id) {
            return;
        }
        let severity = rule.map_or(Severity::Warning, |r| r.severity);
        self.diags
            .push(Diagnostic::new(severity, id, path, pos, message).with_help(help.into()));
    }

    /// Reports rule `id` on a group's page.
    pub fn at(
        &mut self,
        id: &str,
        g: &Group,
        pos: Pos,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let path = g.page.source.path.clone();
        self.emit(id, &path, pos, message, help);
    }

    /// The findings collected.
    pub fn finish(self) -> Diagnostics {
        self.diags
    }
}

/// Runs every content rule over the site. The build's own rules are not repeated here; they come
/// from loading the site (see [`run`]).
pub fn check(site: &Site, opts: &CheckOptions) -> Diagnostics {
    let mut sink = Sink::new(&opts.skip);
    rules::run_all(site, opts, &mut sink);
    let mut d = sink.finish();
    d.sort();
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_kebab() {
        let mut seen = BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate rule {}", r.id);
            assert!(crate::schema::is_kebab(r.id), "{}", r.id);
            assert!(!r.summary.is_empty());
        }
    }

    #[test]
    fn skip_suggests_the_closest_rule() {
        let e = validate_skip(&["chanel-topic".into()]).unwrap_err();
        assert!(e.contains("did you mean `channel-topic`?"), "{e}");
        let ok = validate_skip(&["channel-topic,related-asymmetric".into()]).unwrap();
        assert_eq!(ok.len(), 2);
    }
}
