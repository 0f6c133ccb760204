//! Render tests: a small site parsed and validated the way a build does it, rendered with the
//! built-in theme, a site theme that overrides it, and broken themes.

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;

use super::data::{pretty_item, write_document};
use super::*;
use crate::config::SiteConfig;
use crate::frontmatter::{self, HomeFrontMatter, HomePage};
use crate::output::Collect;
use crate::source::SourceFile;

const AUTH: &str = r#"+++
kind = "ig"
name = "Authorization"
summary = "Authorization in MCP: OAuth profiles & client registration."
status = "active"
related = ["tasks-wg"]
aliases = ["/groups/auth/"]

[lifecycle]
proposed = 2026-01-05
vote_opened = 2026-01-06T09:00:00Z
approved = 2026-01-09
approval = "moderator-vote"
active = 2026-01-14
predecessors = ["old-auth-wg"]

[[facilitators]]
github = "octocat"
name = "Mona Lisa Octocat"
org = "GitHub"
term_ends = 2027-06-30

[[maintainers]]
github = "hubot"

[discord]
channel = "auth-ig"
channel_id = "1360835991749001368"
legacy_channels = ["auth-wg"]

[links]
charter = "https://github.com/example/spec/blob/main/auth.mdx"
repos = ["example/ext-auth"]

[creation]
similar_groups = []
first_topic = "Client registration without pre-registration."

[facts]
record = "chartered"
confidence = "high"
conflicts = ["The charter and the README disagree on the cadence."]
sources = ["docs/auth.mdx", "https://example.org/source"]

[[schedule]]
id = "biweekly"
tz = "America/Los_Angeles"
start = 2026-01-14T09:00:00
duration = 45
every = "biweekly"
weekday = "wed"

agenda_url_template = "https://github.com/example/spec/discussions/agenda-{date}"

[[schedule.exceptions]]
date = 2026-12-16
action = "cancel"
reason = "Winter holidays"

[[schedule.exceptions]]
date = 2026-12-02
action = "move"
to = 2026-12-03T10:00:00
reason = "Conference keynote"

[[meetings]]
schedule = "biweekly"
date = 2026-11-04
notes = "https://github.com/example/spec/issues/101"

[[meetings]]
schedule = "biweekly"
date = 2026-10-21
+++
The Authorization IG gathers problems around **authorization**.

# Goals

Goals here.[^1]

<script>alert(1)</script><a href="javascript:alert(2)">bad</a>

[^1]: A footnote.
"#;

const TASKS: &str = r#"+++
kind = "wg"
name = "Tasks"
summary = "Long-running tasks over MCP."
status = "active"
related = ["auth-ig"]

[lifecycle]
proposed = 2026-02-02

[[facilitators]]
github = "octocat"
name = "Mona Lisa Octocat"

[discord]
channel = "tasks-wg"

[creation]
use_cases = "Agents that hand work to servers."
first_item = "SEP-1686"

[work]
mode = "spec"

[[work.items]]
ref = "SEP-1686"
status = "in-review"
role = "first"

[[meetings]]
id = "kickoff"
date = 2026-12-10
time = 17:00:00
tz = "Australia/Sydney"
duration = 30
title = "Tasks WG kickoff"
+++
The Tasks WG works on SEP-1686.
"#;

const OLD_AUTH: &str = r#"+++
kind = "wg"
name = "Old Auth"
summary = "The 2025 auth working group."
status = "retired"

[lifecycle]
retired = 2026-08-17
retired_reason = "merged"
successor = "auth-ig"
+++
"#;

fn config(extra: &str) -> SiteConfig {
    SiteConfig::parse(
        format!("title = \"Test Groups\"\nbase_url = \"https://groups.example.org\"\n{extra}")
            .as_bytes(),
    )
    .expect("test config parses")
}

/// Parses and validates pages the way a build does.
fn site_with(config: SiteConfig, pages: &[(&str, &str)]) -> Site {
    let raw = pages
        .iter()
        .map(|(slug, text)| {
            frontmatter::parse_group(SourceFile {
                path: format!("content/groups/{slug}.md"),
                text: (*text).into(),
            })
            .unwrap_or_else(|d| panic!("{slug}: {}", d.render(crate::diag::Format::Text)))
        })
        .collect();
    let home = HomePage {
        fm: HomeFrontMatter {
            title: Some("All the groups".into()),
            description: None,
        },
        body: "Welcome to the *directory*.".into(),
    };
    let (site, diags) =
        crate::validate::validate(config, home, raw, jiff::civil::date(2026, 11, 24), false);
    assert!(
        !diags.has_errors(),
        "{}",
        diags.render(crate::diag::Format::Text)
    );
    site
}

fn site() -> Site {
    site_cfg("")
}

/// The three test groups with extra settings.
fn site_cfg(extra: &str) -> Site {
    site_with(
        config(extra),
        &[
            ("auth-ig", AUTH),
            ("tasks-wg", TASKS),
            ("old-auth-wg", OLD_AUTH),
        ],
    )
}

/// One output file.
#[derive(Debug, PartialEq, Eq)]
struct OutputFile {
    path: String,
    bytes: Vec<u8>,
}

/// Renders through `cache`, collecting the files (sorted by path).
fn render_through(
    root: &Path,
    site: &Site,
    cache: &mut RenderCache,
) -> Result<Vec<OutputFile>, RenderError> {
    let sink = Collect::default();
    let opts = RenderOptions {
        root,
        findings: &[],
    };
    // As the pipeline renders: the pages a cache for one build leaves to the end come last,
    // and their problems join the others'.
    let rendered = render_site(site, &opts, cache, &sink);
    match (rendered, render_directory(site, cache, &sink)) {
        (Ok(()), Ok(())) => {}
        (Err(RenderError::Content(mut d)), Err(RenderError::Content(more))) => {
            d.extend(more);
            d.sort();
            return Err(RenderError::Content(d));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    }
    let files = sink.into_output();
    Ok(files
        .files()
        .map(|(path, bytes)| OutputFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        })
        .collect())
}

/// A plain render: through a cache for one build, as `mcpsite build` renders.
fn render_in(root: &Path, site: &Site) -> Result<Vec<OutputFile>, RenderError> {
    render_through(root, site, &mut RenderCache::for_one_build())
}

fn render_ok(site: &Site) -> Vec<OutputFile> {
    let dir = tempfile::tempdir().unwrap();
    match render_in(dir.path(), site) {
        Ok(f) => f,
        Err(e) => panic!("render failed:\n{e}"),
    }
}

fn file<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let f = files.iter().find(|f| f.path == path).unwrap_or_else(|| {
        panic!(
            "no {path} in {:?}",
            files.iter().map(|f| &f.path).collect::<Vec<_>>()
        )
    });
    std::str::from_utf8(&f.bytes).unwrap()
}

fn content_errors(r: Result<Vec<OutputFile>, RenderError>) -> Vec<crate::diag::Diagnostic> {
    match r {
        Err(RenderError::Content(d)) => d.into_vec(),
        Err(RenderError::Other(e)) => panic!("operational error: {e:#}"),
        Ok(_) => panic!("rendering succeeded"),
    }
}

#[test]
fn writes_every_output() {
    let files = render_ok(&site());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for p in [
        "404.html",
        "_headers",
        "_redirects",
        "atom.xml",
        "calendar/index.html",
        "groups.json",
        "groups/auth-ig/index.html",
        "groups/old-auth-wg/index.html",
        "health.json",
        "health/index.html",
        "groups/tasks-wg/index.html",
        "ig/index.html",
        "meetings.json",
        "index.html",
        "site.js",
        "sitemap.xml",
        "style.css",
        "wg/index.html",
    ] {
        assert!(paths.contains(&p), "missing {p} in {paths:?}");
    }
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "output is sorted by path");
}

#[test]
fn group_page_shows_the_front_matter() {
    let files = render_ok(&site());
    let html = file(&files, "groups/auth-ig/index.html");
    for needle in [
        "<html lang=\"en\">",
        "<h1>Authorization Interest Group</h1>",
        // Escaped once, by the template.
        "OAuth profiles &amp; client registration",
        "<a href=\"https://discord.com/channels/1358869848138059966/1360835991749001368\">#auth-ig</a>",
        "Earlier channels: #auth-wg",
        "<a href=\"https://github.com/octocat\">Mona Lisa Octocat</a> <span class=\"handle\">@octocat</span>, GitHub",
        "term ends <time datetime=\"2027-06-30\">30 June 2027</time>",
        "<a href=\"https://github.com/hubot\">@hubot</a>",
        "<a href=\"https://github.com/example/ext-auth\">example/ext-auth</a>",
        "<a href=\"https://github.com/example/spec/blob/main/auth.mdx\">Read the charter</a>",
        // Lifecycle, in date order, with the approval path and the vote time.
        "<time datetime=\"2026-01-05\">5 January 2026</time>: Proposed",
        "Moderator vote opened (at 09:00 UTC)",
        "Approved (by a moderator vote)",
        // Creation template: an explicit empty list is "None".
        "<dt>Interest Groups with similar goals</dt><dd>None</dd>",
        "Client registration without pre-registration.",
        // Related and predecessor groups, linked with their state.
        "<a href=\"/groups/tasks-wg/\">Tasks Working Group</a>",
        "<a href=\"/groups/old-auth-wg/\">Old Auth Working Group</a> <span class=\"badge status-retired\">Retired</span>",
        // Meetings: schedule in words, exceptions, the archive with and without notes.
        "Every other Wednesday, 09:00 to 09:45 America/Los_Angeles",
        "<time datetime=\"2026-12-16\">16 December 2026</time>: <strong>cancelled</strong> (Winter holidays)",
        "<a href=\"https://github.com/example/spec/issues/101\">notes<span class=\"visually-hidden\"> of 4 November 2026</span></a>",
        "<li><time datetime=\"2026-10-21\">21 October 2026</time>:\n  <span class=\"muted\">no notes recorded</span> · ",
        // Older meetings fold away: 23 from 14 January to 18 November, 12 shown.
        "<summary>Older meetings (11)</summary>",
        "<time datetime=\"2026-01-14\">14 January 2026</time>",
        // Next meetings: in the group's zone, marked for the reader's; moves and cancellations.
        "<strong class=\"flag flag-moved\">Moved</strong> from Wednesday 2 December 2026, 09:00: Conference keynote</div>",
        "<time datetime=\"2026-12-03T18:00:00Z\" data-local data-end=\"2026-12-03T18:45:00Z\" data-tz=\"America/Los_Angeles\">Thursday 3 December 2026, 10:00–10:45 PST (America/Los_Angeles)</time><span class=\"local-time\" hidden></span>",
        "<strong class=\"flag flag-cancelled\">Cancelled</strong>: Winter holidays</div>",
        "<a href=\"https://github.com/example/spec/discussions/agenda-2026-12-30\">Agenda<span class=\"visually-hidden\"> for 30 December 2026</span></a>",
        "datetime=\"2027-02-10T17:00:00Z\"",
        // Subscribe links.
        "href=\"webcal://groups.example.org/groups/auth-ig/calendar.ics\"",
        "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fgroups.example.org%2Fgroups%2Fauth-ig%2Fcalendar.ics",
        "value=\"https://groups.example.org/groups/auth-ig/calendar.ics\"",
        "every 8 to 24 hours",
        // Facts and provenance.
        "Chartered: a charter page exists",
        "The charter and the README disagree on the cadence.",
        "<a href=\"https://example.org/source\">https://example.org/source</a>",
        // The charter prose, demoted below the page's h1, with its footnote.
        "<strong>authorization</strong>",
        "<h2 id=\"goals\">Goals</h2>",
        "<li id=\"fn-1\">",
        "<link rel=\"canonical\" href=\"https://groups.example.org/groups/auth-ig/\">",
    ] {
        assert!(html.contains(needle), "missing `{needle}` in:\n{html}");
    }
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    assert!(
        !html.contains("<script>alert"),
        "raw script escaped the sanitizer"
    );
    assert!(!html.contains("javascript:"), "javascript: link kept");
    assert!(!html.contains("__mcpsite"), "no reload hook in a build");
}

#[test]
fn retired_group_points_to_its_successor() {
    let files = render_ok(&site());
    let html = file(&files, "groups/old-auth-wg/index.html");
    assert!(
        html.contains("No meetings are in this group's calendar feed yet."),
        "{html}"
    );
    assert!(
        html.contains("<strong>This group is retired</strong> since <time datetime=\"2026-08-17\">17 August 2026</time>: merged into another group. Its work continues in the <a href=\"/groups/auth-ig/\">Authorization Interest Group</a>."),
        "{html}"
    );
}

#[test]
fn wg_page_shows_work_and_creation() {
    let files = render_ok(&site());
    let html = file(&files, "groups/tasks-wg/index.html");
    assert!(
        html.contains("Specification work: SEPs and their implementation"),
        "{html}"
    );
    assert!(html.contains("<a href=\"https://github.com/modelcontextprotocol/modelcontextprotocol/issues/1686\">SEP-1686</a> <span class=\"badge\">first item</span>"), "{html}");
    assert!(
        html.contains("<dt>Interest and use cases</dt><dd>Agents that hand work to servers.</dd>"),
        "{html}"
    );
    // The channel has no id: the link is the community invite.
    assert!(
        html.contains("<code>#tasks-wg</code> on the <a href=\"https://discord.gg/6CSzBmMkjX\">MCP Contributors Discord</a>"),
        "{html}"
    );
    // A one-off meeting: in its own zone, with a feed to subscribe to.
    assert!(
        html.contains("Thursday 10 December 2026, 17:00–17:30 AEDT (Australia/Sydney)"),
        "{html}"
    );
    assert!(
        html.contains("<div class=\"meeting-what\">Tasks WG kickoff</div>"),
        "{html}"
    );
    assert!(
        html.contains("webcal://groups.example.org/groups/tasks-wg/calendar.ics"),
        "{html}"
    );
}

#[test]
fn directory_lists_active_first_and_retired_apart() {
    let files = render_ok(&site());
    let html = file(&files, "index.html");
    assert!(html.contains("<h1>All the groups</h1>"), "{html}");
    assert!(
        html.contains("Welcome to the <em>directory</em>."),
        "{html}"
    );
    let active = html.find("id=\"h-active\"").expect("active section");
    let retired = html.find("id=\"h-retired\"").expect("retired section");
    let auth = html.find("href=\"/groups/auth-ig/\"").unwrap();
    let old = html.find("href=\"/groups/old-auth-wg/\"").unwrap();
    assert!(active < auth && auth < retired && retired < old, "{html}");
    assert!(
        html.contains("data-kind=\"ig\" data-status=\"active\""),
        "{html}"
    );
    assert!(html.contains("<form class=\"filters\" id=\"filters\" role=\"search\" aria-label=\"Filter groups\" hidden>"), "{html}");
    assert!(
        html.contains("<option value=\"retired\">Retired</option>"),
        "{html}"
    );
    assert!(
        html.contains("<dt>Facilitator</dt><dd>Mona Lisa Octocat</dd>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<dt>Meets</dt><dd>Every other Wednesday, 09:00 to 09:45 America/Los_Angeles</dd>"
        ),
        "{html}"
    );
    // The next meeting that takes place: the moved one.
    assert!(
        html.contains("<dt>Next</dt><dd><time datetime=\"2026-12-03T18:00:00Z\""),
        "{html}"
    );

    let ig = file(&files, "ig/index.html");
    assert!(ig.contains("<h1>Interest Groups</h1>"));
    assert!(
        ig.contains("/groups/auth-ig/") && !ig.contains("/groups/tasks-wg/\""),
        "{ig}"
    );
    let wg = file(&files, "wg/index.html");
    assert!(
        wg.contains("/groups/tasks-wg/") && !wg.contains("href=\"/groups/auth-ig/\""),
        "{wg}"
    );
}

#[test]
fn groups_json_is_the_directory_for_scripts() {
    let files = render_ok(&site());
    let v: serde_json::Value = serde_json::from_str(file(&files, "groups.json")).unwrap();
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    let auth = &groups[0];
    assert_eq!(auth["slug"], "auth-ig");
    assert_eq!(auth["kind"], "ig");
    assert_eq!(auth["full_name"], "Authorization Interest Group");
    assert_eq!(auth["status"], "active");
    assert_eq!(auth["topic"], "auth");
    assert_eq!(auth["channel"], "auth-ig");
    assert_eq!(auth["calendar_tag"], "auth-ig");
    assert_eq!(auth["url"], "https://groups.example.org/groups/auth-ig/");
    assert_eq!(auth["facilitators"][0]["github"], "octocat");
    assert_eq!(auth["related"][0], "tasks-wg");
    assert_eq!(auth["lifecycle"]["approved"], "2026-01-09");
    assert_eq!(
        auth["ics"],
        "https://groups.example.org/groups/auth-ig/calendar.ics"
    );
    assert_eq!(groups[2]["slug"], "tasks-wg");
    // Every group has a feed; this one has nothing in it yet.
    assert_eq!(
        groups[1]["ics"],
        "https://groups.example.org/groups/old-auth-wg/calendar.ics"
    );
    assert_eq!(groups[1]["has_meetings"], false);
    assert_eq!(auth["has_meetings"], true);
    assert_eq!(groups[1]["lifecycle"]["successor"], "auth-ig");
}

#[test]
fn feeds_sitemap_and_netlify_files() {
    let files = render_ok(&site());
    let atom = file(&files, "atom.xml");
    // The newest date in the data, never the clock.
    assert!(
        atom.contains("<updated>2026-11-04T00:00:00Z</updated>\n  <author>"),
        "{atom}"
    );
    assert!(
        atom.contains("<title>Authorization IG: notes of the 4 November 2026 meeting</title>"),
        "{atom}"
    );
    assert!(
        atom.contains("<link href=\"https://github.com/example/spec/issues/101\"/>"),
        "{atom}"
    );
    assert!(
        atom.contains("<title>Old Auth WG retired</title>"),
        "{atom}"
    );
    assert!(
        atom.contains("Its work continues in the Authorization IG."),
        "{atom}"
    );
    // The meeting without notes is not an entry.
    assert!(!atom.contains("21 October"), "{atom}");

    let sitemap = file(&files, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://groups.example.org/groups/tasks-wg/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://groups.example.org/</loc>"),
        "{sitemap}"
    );

    let headers = file(&files, "_headers");
    assert!(
        headers.contains(
            "\n/groups/auth-ig/calendar.ics\n  Content-Type: text/calendar; charset=utf-8\n"
        ),
        "{headers}"
    );
    assert!(
        headers.contains("\n/calendar.ics\n  Content-Type: text/calendar; charset=utf-8\n"),
        "{headers}"
    );
    assert!(
        headers.contains("\n/groups.json\n  Content-Type: application/json; charset=utf-8\n"),
        "{headers}"
    );
    assert!(
        headers.contains("\n/meetings.json\n  Content-Type: application/json; charset=utf-8\n"),
        "{headers}"
    );
    assert!(
        headers.starts_with("/*\n  X-Content-Type-Options: nosniff\n"),
        "{headers}"
    );

    let redirects = file(&files, "_redirects");
    assert!(
        redirects.contains("\n/groups/auth/ /groups/auth-ig/ 301\n"),
        "{redirects}"
    );
    assert!(
        redirects.contains("\n/groups/auth/calendar.ics /groups/auth-ig/calendar.ics 301\n"),
        "{redirects}"
    );
}

/// A group page with notes on `dates` (two meetings a day: a series' and a one-off's) and
/// lifecycle events on the first two.
fn noted_page(name: &str, dates: &[&str]) -> String {
    let mut page = format!(
        "+++\nkind = \"ig\"\nname = \"{name}\"\nsummary = \"Notes.\"\nstatus = \"active\"\n\
         [lifecycle]\nproposed = {}\napproved = {}\n\
         [[schedule]]\nid = \"weekly\"\nstart = 2026-01-01T10:00:00\ntz = \"UTC\"\n\
         duration = 60\nevery = \"weekly\"\nweekday = \"thu\"\n",
        dates[0], dates[1]
    );
    for (i, d) in dates.iter().enumerate() {
        page += &format!(
            "[[meetings]]\ndate = {d}\nschedule = \"weekly\"\nnotes = \"https://n.example/{name}/{i}\"\n\
             [[meetings]]\ndate = {d}\nid = \"extra-{i}\"\ntime = 15:00:00\ntz = \"UTC\"\n\
             duration = 30\nnotes = \"https://n.example/{name}/x{i}\"\n"
        );
    }
    page + "+++\n"
}

#[test]
fn atom_keeps_exactly_the_newest_entries_at_any_limit() {
    // Entries tie on their date within a group and across groups: cutting early must keep
    // exactly what one sort of every entry keeps.
    let dates = ["2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22"];
    // Beta, listed after Alpha, has entries newer than Alpha's oldest: a cut made after
    // Alpha must still let them in.
    let (a, b) = (
        noted_page("Alpha", &dates),
        noted_page("Beta", &[dates[0], dates[2]]),
    );
    let site = site_with(config(""), &[("alpha-ig", &a), ("beta-ig", &b)]);
    let entries = |limit| {
        let atom = syndication::atom_of(&site, limit);
        (atom.split("<entry>").skip(1))
            .map(|e| e.split("</entry>").next().unwrap_or(e).to_string())
            .collect::<Vec<_>>()
    };
    let all = entries(usize::MAX);
    assert_eq!(all.len(), 2 + 8 + 2 + 4, "{all:#?}");
    for limit in 0..=all.len() + 1 {
        assert_eq!(entries(limit), all[..limit.min(all.len())], "limit {limit}");
    }
}

#[test]
fn meetings_json_and_agenda_list_every_upcoming_meeting() {
    let files = render_ok(&site());
    let v: serde_json::Value = serde_json::from_str(file(&files, "meetings.json")).unwrap();
    assert_eq!(v["from"], "2026-11-24T00:00:00Z");
    assert_eq!(v["to"], "2027-02-22T00:00:00Z");
    let m = v["meetings"].as_array().unwrap();
    // Auth: 3 Dec (moved), 16 Dec (cancelled), 30 Dec, 13 Jan, 27 Jan, 10 Feb; Tasks: 10 Dec.
    assert_eq!(m.len(), 7, "{m:#?}");
    assert_eq!(m[0]["group"], "auth-ig");
    assert_eq!(m[0]["id"], "biweekly");
    assert_eq!(m[0]["start"], "2026-12-03T18:00:00Z");
    assert_eq!(m[0]["end"], "2026-12-03T18:45:00Z");
    assert_eq!(m[0]["local_start"], "2026-12-03T10:00:00-08:00");
    assert_eq!(m[0]["tz"], "America/Los_Angeles");
    assert_eq!(m[0]["status"], "moved");
    assert_eq!(m[0]["reason"], "Conference keynote");
    assert_eq!(
        m[0]["agenda"],
        "https://github.com/example/spec/discussions/agenda-2026-12-02"
    );
    assert_eq!(m[0]["url"], "https://groups.example.org/groups/auth-ig/");
    assert_eq!(m[1]["group"], "tasks-wg");
    assert_eq!(m[1]["id"], "kickoff");
    assert_eq!(m[1]["start"], "2026-12-10T06:00:00Z");
    assert_eq!(m[1]["local_start"], "2026-12-10T17:00:00+11:00");
    assert_eq!(m[2]["status"], "cancelled");
    assert_eq!(m[2]["reason"], "Winter holidays");

    let cal = file(&files, "calendar/index.html");
    let moved = cal
        .find("datetime=\"2026-12-03T18:00:00Z\"")
        .expect("moved meeting");
    let kickoff = cal
        .find("datetime=\"2026-12-10T06:00:00Z\"")
        .expect("one-off");
    assert!(moved < kickoff, "agenda in time order");
    assert!(
        cal.contains("<a href=\"/groups/tasks-wg/\">Tasks Working Group</a>: Tasks WG kickoff"),
        "{cal}"
    );
    assert!(
        cal.contains("in the next 90 days.")
            && cal.contains("as of <time datetime=\"2026-11-24\">24 November 2026</time>"),
        "{cal}"
    );
    assert!(
        cal.contains("webcal://groups.example.org/calendar.ics"),
        "{cal}"
    );
}

/// A group page meeting weekly on Thursdays at 10:00 UTC in two series, `b` listed before `a`,
/// and once more at that hour on 10 December (a one-off, `extra`).
fn page_meeting_together(name: &str) -> String {
    let series = |id: &str| {
        format!(
            "[[schedule]]\nid = \"{id}\"\nstart = 2026-01-01T10:00:00\ntz = \"UTC\"\n\
             duration = 60\nevery = \"weekly\"\nweekday = \"thu\"\n"
        )
    };
    format!(
        "+++\nkind = \"ig\"\nname = \"{name}\"\nsummary = \"Together.\"\nstatus = \"active\"\n\
         [discord]\nchannel = \"{}-ig\"\n{}{}\
         [[meetings]]\ndate = 2026-12-10\nid = \"extra\"\ntime = 10:00:00\ntz = \"UTC\"\n\
         duration = 30\n+++\n",
        name.to_lowercase(),
        series("b"),
        series("a"),
    )
}

#[test]
fn the_agenda_lists_meetings_that_start_together_as_agenda_expand_does() {
    // Every meeting of both groups starts at the same hour of the same days: the agenda's order
    // is then the groups' order and, within a group, the ids' (not the order they are listed in).
    let (beta, alpha) = (
        page_meeting_together("Beta"),
        page_meeting_together("Alpha"),
    );
    let site = site_with(config(""), &[("beta-ig", &beta), ("alpha-ig", &alpha)]);
    let files = render_ok(&site);
    let v: serde_json::Value = serde_json::from_str(file(&files, "meetings.json")).unwrap();
    let listed: Vec<(String, String, String)> = (v["meetings"].as_array().unwrap().iter())
        .map(|m| {
            let s = |k: &str| m[k].as_str().unwrap().to_string();
            (s("start"), s("group"), s("id"))
        })
        .collect();
    let (from, to) = agenda::upcoming_window(&site, site.config.calendar.horizon_days);
    let expanded: Vec<(String, String, String)> =
        (agenda::expand(site.groups.iter().map(|g| &**g), from, to).iter())
            .map(|i| {
                (
                    i.start.timestamp().to_string(),
                    i.group.slug.clone(),
                    i.id.to_string(),
                )
            })
            .collect();
    assert_eq!(listed, expanded);
    let first: Vec<(&str, &str)> = (listed.iter().take(5))
        .map(|(_, g, id)| (g.as_str(), id.as_str()))
        .collect();
    assert_eq!(
        first,
        [
            ("alpha-ig", "a"),
            ("alpha-ig", "b"),
            ("beta-ig", "a"),
            ("beta-ig", "b"),
            ("alpha-ig", "a")
        ]
    );
    let extra = (listed
        .iter()
        .position(|(_, g, id)| g == "alpha-ig" && id == "extra"))
    .expect("the one-off is listed");
    assert_eq!(
        &listed[extra - 2..extra + 4]
            .iter()
            .map(|(_, g, id)| (g.as_str(), id.as_str()))
            .collect::<Vec<_>>(),
        &[
            ("alpha-ig", "a"),
            ("alpha-ig", "b"),
            ("alpha-ig", "extra"),
            ("beta-ig", "a"),
            ("beta-ig", "b"),
            ("beta-ig", "extra")
        ]
    );
}

#[test]
fn rendering_is_deterministic() {
    let a = render_ok(&site());
    let b = render_ok(&site());
    assert_eq!(a, b);
}

#[test]
fn site_theme_overrides_templates_and_static_files_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("themes/custom");
    std::fs::create_dir_all(t.join("templates")).unwrap();
    std::fs::create_dir_all(t.join("static")).unwrap();
    std::fs::write(
        t.join("templates/group.html"),
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"custom\">{{ group.label }}</h1>{% endblock content %}",
    )
    .unwrap();
    std::fs::write(t.join("static/style.css"), "body { color: red }").unwrap();
    std::fs::write(t.join("static/logo.svg"), "<svg/>").unwrap();
    // A theme's static file at a generated page's path loses to the page, also to those a
    // plain render leaves to the end (the directory and kind pages).
    std::fs::create_dir_all(t.join("static/ig")).unwrap();
    std::fs::write(t.join("static/ig/index.html"), "stale").unwrap();
    std::fs::write(t.join("static/404.html"), "stale").unwrap();
    let site = site_cfg("theme = \"custom\"\n");
    let files = render_in(dir.path(), &site).unwrap();
    for page in ["ig/index.html", "404.html"] {
        assert_ne!(file(&files, page), "stale", "{page}");
        assert_eq!(files.iter().filter(|f| f.path == page).count(), 1, "{page}");
    }
    let group = file(&files, "groups/auth-ig/index.html");
    assert!(
        group.contains("<h1 class=\"custom\">Authorization IG</h1>"),
        "{group}"
    );
    // The built-in base template still wraps it.
    assert!(
        group.contains("<a class=\"skip-link\" href=\"#main\">"),
        "{group}"
    );
    // Templates not overridden are the built-in ones.
    assert!(file(&files, "index.html").contains("id=\"filters\""));
    assert_eq!(file(&files, "style.css"), "body { color: red }");
    assert_eq!(file(&files, "logo.svg"), "<svg/>");
    assert!(file(&files, "site.js").contains("setupFilters"));
}

#[test]
fn default_folder_overrides_the_embedded_default() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(
        t.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Gone</h1>{% endblock content %}",
    )
    .unwrap();
    let files = render_in(dir.path(), &site()).unwrap();
    assert!(file(&files, "404.html").contains("<h1>Gone</h1>"));
}

#[test]
fn unknown_theme_is_a_located_error_listing_the_themes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("themes/mine")).unwrap();
    std::fs::write(
        dir.path().join("mcpsite.toml"),
        "title = \"T\"\nbase_url = \"https://x.org\"\ntheme = \"dark\"\n",
    )
    .unwrap();
    let site = site_cfg("theme = \"dark\"\n");
    let d = content_errors(render_in(dir.path(), &site));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].rule, "theme-unknown");
    assert_eq!(d[0].path, "mcpsite.toml");
    assert_eq!((d[0].pos.line, d[0].pos.col), (3, 1));
    assert!(d[0].message.contains("`dark`"), "{d:?}");
    let help = d[0].help.as_deref().unwrap();
    assert!(help.contains("\"default\", \"mine\""), "{help}");
}

#[test]
fn template_syntax_errors_name_the_template_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("themes/custom/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("group.html"), "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ group.name }</p>\n{% endblock content %}\n").unwrap();
    std::fs::write(t.join("404.html"), "{% if %}\n").unwrap();
    let site = site_cfg("theme = \"custom\"\n");
    let d = content_errors(render_in(dir.path(), &site));
    // Both broken templates are reported in one run.
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(d[0].rule, "template-error");
    assert_eq!(d[0].path, "themes/custom/templates/404.html");
    assert_eq!(d[0].pos.line, 1);
    assert_eq!(d[1].path, "themes/custom/templates/group.html");
    assert_eq!(d[1].pos.line, 3);
    assert!(d[1].pos.col > 1, "{d:?}");
}

#[test]
fn template_runtime_errors_are_located_once() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("themes/custom/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(
        t.join("group.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n\n  {{ group.nope }}\n{% endblock content %}\n",
    )
    .unwrap();
    let site = site_cfg("theme = \"custom\"\n");
    let d = content_errors(render_in(dir.path(), &site));
    // Three pages hit it; it is one problem.
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].rule, "template-error");
    assert_eq!(d[0].path, "themes/custom/templates/group.html");
    assert_eq!((d[0].pos.line, d[0].pos.col), (4, 12));
    assert!(d[0].message.contains("`nope`"), "{d:?}");
    assert!(d[0].help.as_deref().unwrap().contains("groups/"), "{d:?}");
}

#[test]
fn unknown_filter_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("themes/custom/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("404.html"), "{% extends \"base.html\" %}\n{% block content %}{{ page.title | shout }}{% endblock content %}\n").unwrap();
    let site = site_cfg("theme = \"custom\"\n");
    let d = content_errors(render_in(dir.path(), &site));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].path, "themes/custom/templates/404.html");
    assert_eq!(d[0].pos.line, 2);
    assert!(d[0].message.contains("Unknown filter `shout`"), "{d:?}");
}

#[test]
fn proposed_groups_meetings_are_tentative() {
    let page = r#"+++
kind = "ig"
name = "Ideas"
summary = "A proposed group."
status = "proposed"

[[schedule]]
id = "weekly"
tz = "Europe/London"
start = 2026-11-26T16:00:00
duration = 30
every = "weekly"
weekday = "thu"
+++
"#;
    let site = site_with(config(""), &[("ideas-ig", page)]);
    let files = render_ok(&site);
    let html = file(&files, "groups/ideas-ig/index.html");
    assert!(
        html.contains(
            "<strong class=\"flag flag-moved\">Tentative</strong>: the group is still a proposal"
        ),
        "{html}"
    );
    assert!(
        html.contains("<strong>This group is proposed</strong>"),
        "{html}"
    );
    let v: serde_json::Value = serde_json::from_str(file(&files, "meetings.json")).unwrap();
    assert_eq!(v["meetings"][0]["tentative"], true);
}

/// A plain build's cache keeps no page (each is dropped once the sink has it) and, once the
/// render is done, what it kept of each group only until its caller frees them; a cache kept
/// between renders keeps both, with each agenda row's template value and `meetings.json`
/// record. Both give the same files.
#[test]
fn a_cache_for_one_build_keeps_no_pages() {
    let dir = tempfile::tempdir().unwrap();
    let site = site();
    let mut one = RenderCache::for_one_build();
    let mut kept = RenderCache::default();
    let plain = render_through(dir.path(), &site, &mut one).unwrap();
    assert_eq!(plain, render_through(dir.path(), &site, &mut kept).unwrap());
    assert!(one.pages().is_empty());
    assert!(one.last_made().is_empty());
    assert!(kept.pages().len() > 8, "{}", kept.pages().len());
    assert_eq!(one.kept_groups(), site.groups.len());
    one.free_groups();
    assert_eq!(one.kept_groups(), 0);
    assert_eq!(kept.kept_groups(), site.groups.len());
    let groups = kept.lend_groups();
    let rows = groups.entries(&site).agenda();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.has_value_kept() && r.has_json_kept()));
}

/// A plain build of a large site makes an agenda row's group value for every row, a smaller
/// one keeps it once made (`keeps_row_groups`): the rows' values are the same either way.
#[test]
fn agenda_rows_are_the_same_with_their_group_value_kept_or_made_again() {
    assert!(cache::keeps_row_groups(20_000) && !cache::keeps_row_groups(20_001));
    let dir = tempfile::tempdir().unwrap();
    let site = site();
    let mut kept = RenderCache::default();
    render_through(dir.path(), &site, &mut kept).unwrap();
    let theme = Theme::load(dir.path(), &site.config.theme).unwrap();
    let groups = kept.lend_groups();
    let rows = groups.entries(&site).agenda();
    assert!(rows.len() > 2, "{}", rows.len());
    assert!(rows.iter().all(|r| r.has_group_value_kept()));
    for r in rows {
        for split in [false, true] {
            let made = r.value_on_page(&theme, split, false, false);
            assert_eq!(made, r.value_on_page(&theme, split, false, true));
            assert_eq!(
                made.as_map().map(|m| m.len()),
                Some(2),
                "a group and a meeting"
            );
        }
    }
}

/// Renders through one cache kept across changes of every kind equal plain renders, and make
/// again only the pages that show what changed.
#[test]
fn cached_renders_equal_plain_renders() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = RenderCache::default();
    let mut check = |site: &Site| -> Vec<String> {
        let plain = render_in(dir.path(), site).unwrap();
        let cached = render_through(dir.path(), site, &mut cache).unwrap();
        let paths = |f: &[OutputFile]| f.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&cached), paths(&plain));
        for (c, p) in cached.iter().zip(&plain) {
            assert!(
                c.bytes == p.bytes,
                "{} differs from a plain render's",
                c.path
            );
        }
        let mut made = cache.last_made().to_vec();
        made.sort();
        made
    };
    let with_auth = |auth: &str| {
        site_with(
            config(""),
            &[
                ("auth-ig", auth),
                ("tasks-wg", TASKS),
                ("old-auth-wg", OLD_AUTH),
            ],
        )
    };

    let base = site();
    let all = check(&base);
    assert!(all.len() > 8, "{all:?}");
    assert_eq!(check(&base), Vec::<String>::new());

    // The body: the group's own page and groups.json (which reads every group's page); the
    // health page and health.json show nothing of it (they are keyed by each group's health).
    let body = with_auth(&format!("{AUTH}\nAnother paragraph.\n"));
    assert_eq!(check(&body), ["groups.json", "groups/auth-ig/index.html"]);
    // The name: also its card, and the pages naming it (old-auth-wg's successor).
    let renamed = with_auth(&AUTH.replace("name = \"Authorization\"", "name = \"AuthZ\""));
    let made = check(&renamed);
    for p in [
        "index.html",
        "ig/index.html",
        "groups/old-auth-wg/index.html",
        "groups/tasks-wg/index.html",
        "health/index.html",
        "health.json",
    ] {
        assert!(made.iter().any(|m| m == p), "{p}: {made:?}");
    }
    assert!(!made.iter().any(|m| m == "wg/index.html"), "{made:?}");
    check(&base);

    // The home page: the directory only.
    let mut home = base.clone();
    home.home.body = "Other words.".into();
    assert_eq!(check(&home), ["index.html"]);

    // Another day, other settings: everything.
    let mut later = base.clone();
    later.today = jiff::civil::date(2027, 1, 5);
    assert_eq!(check(&later).len(), all.len());
    assert_eq!(
        check(&site_cfg("[calendar]\nupcoming_per_group = 2\n")).len(),
        all.len()
    );
    assert_eq!(check(&base).len(), all.len());
}

/// The JSON files are put together from records serialized one by one and written a few hundred
/// at a time; the result is what serializing the whole document gives.
#[test]
fn json_records_splice_like_whole_documents() {
    #[derive(Serialize)]
    struct Doc<'a, T> {
        version: u32,
        base_url: &'a str,
        items: &'a [T],
    }
    #[derive(Serialize)]
    struct Item {
        text: String,
        numbers: Vec<u32>,
        empty: Vec<u32>,
        maybe: Option<Vec<String>>,
        nested: std::collections::BTreeMap<String, Vec<bool>>,
    }
    // 1,100: records made in three batches.
    for n in [0, 1, 2, 5, 1100] {
        let items: Vec<Item> = (0..n)
            .map(|i| Item {
                text: format!("line\nbreak, \"quoted\" {i}\t"),
                numbers: (0..i).collect(),
                empty: vec![],
                maybe: (i % 2 == 0).then(|| vec!["a\r\nb".into()]),
                nested: [("k".to_string(), vec![true; i as usize])].into(),
            })
            .collect();
        let mut whole = serde_json::to_string_pretty(&Doc {
            version: 1,
            base_url: "https://x.org",
            items: &items,
        })
        .unwrap();
        whole.push('\n');
        let head = serde_json::to_string_pretty(&Doc::<Item> {
            version: 1,
            base_url: "https://x.org",
            items: &[],
        })
        .unwrap();
        let records: Vec<String> = items.iter().map(pretty_item).collect();
        let mut written = Vec::new();
        write_document(&mut written, head, records.len(), |i| {
            Cow::Borrowed(&records[i])
        })
        .unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), whole, "{n} records");
    }
}

/// The live data's compact encoding decodes to exactly the expansion's meetings in the live
/// window: every start, end, series and status, across the DST changes of a year.
#[test]
fn live_data_decodes_to_the_expansion() {
    let site = site_cfg("[calendar]\nfuture_days = 500\n");
    let g = site.group("auth-ig").unwrap();
    let exp = view::Expansion::of(&site, g, live::live_end(&site));
    let json: serde_json::Value =
        serde_json::from_str(&live::group_data(&site, g, &exp).unwrap()).unwrap();
    let (d, o) = (json["d"].as_i64().unwrap(), json["o"].as_str().unwrap());
    let extras = json["x"].as_array().unwrap();
    let (mut prev, mut x, mut decoded) = (0i64, 0, Vec::new());
    for tok in o.split(',') {
        let (tok, count) = tok.split_once('*').unwrap_or((tok, "1"));
        let special = tok.ends_with('!');
        let tok = tok.trim_end_matches('!');
        let (tok, series) = tok.split_once('~').unwrap_or((tok, "0"));
        let (delta, dur) = tok.split_once('/').unwrap_or((tok, ""));
        for _ in 0..count.parse::<u32>().unwrap() {
            prev += delta.parse::<i64>().unwrap();
            let dur = if dur.is_empty() {
                d
            } else {
                dur.parse().unwrap()
            };
            let status = if special {
                x += 1;
                extras[x - 1]["s"].as_str().unwrap_or("").to_string()
            } else {
                String::new()
            };
            decoded.push((prev, prev + dur, series.parse::<usize>().unwrap(), status));
        }
    }
    let expected: Vec<_> = exp
        .between(view::today_start(&site), live::live_end(&site))
        .iter()
        .map(|i| {
            let status = match i.status {
                agenda::ItemStatus::Scheduled => "",
                agenda::ItemStatus::Cancelled { .. } => "c",
                agenda::ItemStatus::Moved { .. } => "m",
            };
            (
                i.start.timestamp().as_second(),
                i.end.timestamp().as_second(),
                0,
                status.to_string(),
            )
        })
        .collect();
    assert!(expected.len() > 30, "a year of biweekly meetings");
    assert_eq!(decoded, expected);
    assert_eq!(x, extras.len(), "every extra is used");
    // The offsets of both sides of DST are named.
    assert_eq!(json["s"][0]["a"]["-480"], "PST");
    assert_eq!(json["s"][0]["a"]["-420"], "PDT");
    // Nothing in the data can end its script element.
    let page = live::page_data(&site, [("a", "{\"t\":\"\\u003c/script>\"}")]);
    assert!(!page.contains("</"), "{page}");
}

#[test]
fn one_sitemap_until_the_protocol_limit_then_an_index() {
    let site = site();
    let urls = |xml: &str| -> Vec<String> {
        let doc = roxmltree::Document::parse(xml).unwrap();
        (doc.descendants())
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text().map(str::to_string))
            .collect()
    };
    let whole = syndication::sitemaps(&site);
    assert_eq!(whole.len(), 1);
    assert_eq!(whole[0].0, "sitemap.xml");
    let all = urls(&whole[0].1);
    assert!(all.len() > 4, "{all:?}");

    let cut = syndication::sitemaps_of(&site, 2);
    let paths: Vec<&str> = cut.iter().map(|(p, _)| p.as_str()).collect();
    let parts = all.len().div_ceil(2);
    let expected: Vec<String> = std::iter::once("sitemap.xml".to_string())
        .chain((1..=parts).map(|i| format!("sitemap-{i}.xml")))
        .collect();
    assert_eq!(paths, expected);
    assert!(cut[0].1.contains("<sitemapindex"));
    assert_eq!(
        urls(&cut[0].1),
        cut[1..]
            .iter()
            .map(|(p, _)| format!("https://groups.example.org/{p}"))
            .collect::<Vec<_>>()
    );
    // Together the parts list every page once, in the one sitemap's order.
    let listed: Vec<String> = cut[1..].iter().flat_map(|(_, x)| urls(x)).collect();
    assert_eq!(listed, all);
    assert!(cut[1..].iter().all(|(_, x)| urls(x).len() <= 2));
}

/// A meeting as the agenda keeps it shows and serializes as the expansion's item does, for
/// every meeting of every group (series and one-offs, moved, cancelled, with records).
#[test]
fn agenda_meetings_show_as_their_items() {
    let site = site();
    let mut seen = 0;
    for g in &site.groups {
        let exp = view::Expansion::of(&site, g, jiff::Timestamp::MAX);
        for item in exp.between(jiff::Timestamp::MIN, jiff::Timestamp::MAX) {
            let kept = exp.agenda_meeting(item);
            assert_eq!(kept.view(g), exp.view(item), "{} {}", g.slug, item.id);
            assert_eq!(kept.to_json(&site, g), item.to_json(&site));
            assert_eq!(kept, exp.agenda_meeting(item));
            seen += 1;
        }
    }
    assert!(seen > 10, "{seen} meetings");
}

/// The archive says of each past meeting what the meeting's full view says, for every group of
/// the test site (series and one-offs, moved and cancelled ones, with and without records).
#[test]
fn the_archive_says_what_a_meetings_view_says() {
    let site = site();
    let today = view::today_start(&site);
    let mut seen = 0;
    for g in &site.groups {
        let exp = view::Expansion::of(&site, g, jiff::Timestamp::MAX);
        let several = g.meetings.series.len() > 1;
        let mut expected: Vec<String> = exp
            .between(jiff::Timestamp::MIN, today)
            .iter()
            .map(|item| {
                let v = exp.view(item);
                let title = (several || v.series_id.is_none()).then_some(v.title);
                let status = if v.status == "cancelled" {
                    "cancelled"
                } else {
                    "held"
                };
                let (r, n, a, rec) = (v.reason, v.notes, v.agenda, v.recording);
                format!("{:?}", (v.date, title, Some(v.text), status, r, n, a, rec))
            })
            .collect();
        let mut archived: Vec<String> = view::archive(&site, g, &exp)
            .into_iter()
            .filter(|r| r.when.is_some())
            .map(|r| {
                let (d, t, w, s) = (r.date, r.title, r.when, r.status);
                format!(
                    "{:?}",
                    (d, t, w, s, r.reason, r.notes, r.agenda, r.recording)
                )
            })
            .collect();
        expected.sort();
        archived.sort();
        seen += expected.len();
        assert_eq!(archived, expected, "{}", g.slug);
    }
    assert!(seen > 10, "{seen} past meetings");
}
