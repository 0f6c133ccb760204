//! `mcpsite build`: bad inputs (each with its diagnostic and location, nothing written), the
//! atomic output, the guard on the output folder, and determinism.

mod common;

use common::{TestSite, group_page, read_tree};

/// Builds `site` expecting content errors; asserts the previous output survived untouched and
/// returns standard error.
fn build_fails(site: &TestSite) -> String {
    // A previous good output that a failed build must leave byte for byte.
    site.write("public/index.html", "previous build");
    site.write("public/groups/old-ig/index.html", "old group");
    let before = read_tree(&site.path().join("public"));
    let run = site.build();
    assert_eq!(
        run.code, 1,
        "expected exit 1 (content errors):\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("build failed; public was left untouched"),
        "{}",
        run.stderr
    );
    assert_eq!(
        read_tree(&site.path().join("public")),
        before,
        "the previous output changed"
    );
    run.stderr
}

fn site_with(slug: &str, text: &str) -> TestSite {
    let site = TestSite::new();
    site.group(slug, text);
    site
}

#[test]
fn unclosed_front_matter() {
    let err = build_fails(&site_with(
        "a-ig",
        "+++\nkind = \"ig\"\nname = \"A\"\n\nBody\n",
    ));
    assert!(err.contains(
        "content/groups/a-ig.md:1:1: error[frontmatter-unclosed]: the front matter opened here is never closed\n  help: add a line containing only `+++` after the last TOML line\n"
    ), "{err}");
}

#[test]
fn missing_front_matter() {
    let err = build_fails(&site_with("a-ig", "# Just markdown\n"));
    assert!(err.contains(
        "content/groups/a-ig.md:1:1: error[frontmatter-missing]: the page does not start with a `+++` front-matter fence\n"
    ), "{err}");
}

#[test]
fn empty_file() {
    let err = build_fails(&site_with("a-ig", ""));
    assert!(
        err.contains("content/groups/a-ig.md:1:1: error[frontmatter-missing]: the file is empty\n"),
        "{err}"
    );
}

#[test]
fn invalid_toml_is_located_in_the_md_file() {
    // Line 4 of the file is the bad line; the block starts on line 2.
    let err = build_fails(&site_with(
        "a-ig",
        "+++\nkind = \"ig\"\nname = \"A\"\nsummary = unquoted text\nstatus = \"active\"\n+++\n",
    ));
    assert!(
        err.contains("content/groups/a-ig.md:4:11: error[frontmatter-parse]: invalid TOML: "),
        "{err}"
    );
    assert!(err.contains("help: fix the TOML syntax here"), "{err}");
}

#[test]
fn unknown_key_suggests_the_close_one() {
    let page =
        group_page("ig", "A", "a-ig").replace("[discord]\n", "[discord]\nchanel_id = \"1\"\n");
    let err = build_fails(&site_with("a-ig", &page));
    assert!(
        err.contains("content/groups/a-ig.md:12:1: error[frontmatter-unknown-key]: unknown key `chanel_id`\n  help: did you mean `channel_id`? allowed here: channel, channel_id,"),
        "{err}"
    );
}

#[test]
fn wrong_type() {
    let page = group_page("ig", "A", "a-ig").replace("name = \"A\"", "name = 42");
    let err = build_fails(&site_with("a-ig", &page));
    assert!(
        err.contains("content/groups/a-ig.md:3:8: error[frontmatter-type]: invalid type: integer `42`, expected a string\n"),
        "{err}"
    );
}

#[test]
fn missing_required_field() {
    let page = group_page("ig", "A", "a-ig").replace("summary = \"The A group.\"\n", "");
    let err = build_fails(&site_with("a-ig", &page));
    assert!(
        err.contains("content/groups/a-ig.md:2:1: error[frontmatter-missing-field]: required key `summary` is missing\n"),
        "{err}"
    );
}

#[test]
fn missing_required_field_per_kind() {
    // A WG's creation template needs its use cases and first item; an IG's, its first topic.
    let wg = group_page("wg", "W", "w-wg")
        .replace("+++\nAbout", "[creation]\nuse_cases = \"x\"\n+++\nAbout");
    let ig = group_page("ig", "I", "i-ig").replace(
        "+++\nAbout",
        "[creation]\nsimilar_groups = []\nfirst_item = \"SEP-1\"\n+++\nAbout",
    );
    let site = TestSite::new();
    site.group("w-wg", wg).group("i-ig", ig);
    let err = build_fails(&site);
    assert!(err.contains("content/groups/w-wg.md:13:1: error[missing-required-field]: a WG's `[creation]` needs `first_item`\n  help: add first_item = \"…\": the first Issue/PR/SEP the WG will work on\n"), "{err}");
    assert!(err.contains("content/groups/i-ig.md:13:1: error[field-wrong-kind]: `creation.first_item` belongs to the WG creation template, but this group is an IG\n"), "{err}");
    assert!(err.contains("content/groups/i-ig.md:13:1: error[missing-required-field]: an IG's `[creation]` needs `first_topic`\n"), "{err}");
    // Both files are reported in one run.
    assert!(err.contains("3 error(s)"), "{err}");
}

#[test]
fn slug_suffix_disagrees_with_kind() {
    let err = build_fails(&site_with("auth-wg", &group_page("ig", "Auth", "auth-ig")));
    assert!(err.contains(
        "content/groups/auth-wg.md:2:8: error[slug-kind-mismatch]: `kind = \"ig\"` but the file name `auth-wg.md` does not end in `-ig`\n  help: either set `kind = \"wg\"` or rename the file to `auth-ig.md`\n"
    ), "{err}");
}

#[test]
fn duplicate_slug() {
    // Two files whose slugs differ only by case collide on case-insensitive systems and in URLs.
    let site = TestSite::new();
    site.group("a-ig", group_page("ig", "A", "a-ig"));
    site.group("A-ig", group_page("ig", "A2", "a2-ig"));
    let err = build_fails(&site);
    assert!(err.contains("content/groups/A-ig.md:1:1: error[slug-duplicate]: slug `a-ig` is also used by content/groups/a-ig.md\n"), "{err}");
    assert!(err.contains("content/groups/a-ig.md:1:1: error[slug-duplicate]: slug `a-ig` is also used by content/groups/A-ig.md\n"), "{err}");
}

#[test]
fn duplicate_channel() {
    let site = TestSite::new();
    site.group("a-ig", group_page("ig", "A", "shared-ig"));
    site.group("b-ig", group_page("ig", "B", "shared-ig"));
    let err = build_fails(&site);
    assert!(err.contains("content/groups/a-ig.md:12:11: error[channel-duplicate]: Discord channel `shared-ig` is also the channel of b-ig\n"), "{err}");
    assert!(err.contains("content/groups/b-ig.md:12:11: error[channel-duplicate]: Discord channel `shared-ig` is also the channel of a-ig\n"), "{err}");
}

#[test]
fn invalid_date() {
    let page = group_page("ig", "A", "a-ig").replace(
        "+++\nAbout",
        "[lifecycle]\nproposed = 2026-02-30\n+++\nAbout",
    );
    let err = build_fails(&site_with("a-ig", &page));
    assert!(err.contains("content/groups/a-ig.md:14:12: error[frontmatter-date]: invalid date, expected day between 01 and 28\n  help: write dates as 2026-08-17"), "{err}");
}

#[test]
fn non_utf8_file() {
    let mut bytes = group_page("ig", "A", "a-ig").into_bytes();
    let at = bytes.iter().position(|&b| b == b'A').unwrap();
    bytes[at] = 0xFF;
    let site = TestSite::new();
    site.group("a-ig", &bytes);
    let err = build_fails(&site);
    assert!(err.contains("content/groups/a-ig.md:3:9: error[content-not-utf8]: the file is not valid UTF-8 (byte 0xFF at offset"), "{err}");
    assert!(err.contains("help: save the file as UTF-8"), "{err}");
}

#[test]
fn bom_and_crlf_are_accepted() {
    let page = format!(
        "\u{feff}{}",
        group_page("ig", "A", "a-ig").replace('\n', "\r\n")
    );
    let site = site_with("a-ig", &page);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // And errors in such a file still point at the right line and column.
    let bad = page.replace("name = \"A\"", "name = 1");
    let site = site_with("a-ig", &bad);
    let err = build_fails(&site);
    assert!(
        err.contains("content/groups/a-ig.md:3:8: error[frontmatter-type]"),
        "{err}"
    );
}

#[test]
fn all_problems_of_a_run_are_reported_together() {
    let site = TestSite::new();
    site.group("a-ig", "");
    site.group("b-ig", "+++\nkind = \"ig\"\n");
    site.group("c-wg", group_page("ig", "C", "c-ig"));
    site.group(
        "d-ig",
        group_page("ig", "D", "d-ig").replace("github = \"octocat\"", "github = \"@octo cat\""),
    );
    let err = build_fails(&site);
    for needle in [
        "a-ig.md:1:1: error[frontmatter-missing]",
        "b-ig.md:1:1: error[frontmatter-unclosed]",
        "c-wg.md:2:8: error[slug-kind-mismatch]",
        "d-ig.md:8:10: error[github-handle-format]",
        "4 error(s)",
    ] {
        assert!(err.contains(needle), "missing `{needle}` in:\n{err}");
    }
}

#[test]
fn bad_output_directories_are_refused() {
    let site = TestSite::new();
    site.group("a-ig", group_page("ig", "A", "a-ig"));
    for dir in [".", "content", "themes", "content/groups", "..", "./"] {
        let run = site.run(&["build", "--today", "2026-11-24", "--output-dir", dir]);
        assert_eq!(run.code, 2, "{dir}: {}", run.stderr);
        assert!(
            run.stderr.contains("error: refusing to write the site to"),
            "{dir}: {}",
            run.stderr
        );
    }
    // Nothing was deleted.
    assert!(site.path().join("content/groups/a-ig.md").is_file());
    assert!(site.path().join("mcpsite.toml").is_file());
}

#[test]
fn json_and_github_formats() {
    let site = site_with("a-ig", "");
    let run = site.run(&["build", "--today", "2026-11-24", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["errors"], 1);
    assert_eq!(v["diagnostics"][0]["rule"], "frontmatter-missing");
    assert_eq!(v["diagnostics"][0]["path"], "content/groups/a-ig.md");
    assert_eq!(v["diagnostics"][0]["line"], 1);
    let run = site.run(&["build", "--today", "2026-11-24", "--format", "github"]);
    assert!(run.stdout.starts_with(
        "::error file=content/groups/a-ig.md,line=1,col=1,title=frontmatter-missing::the file is empty%0Ahelp: "
    ), "{}", run.stdout);
}

#[test]
fn bad_settings_file() {
    let site = TestSite::new();
    site.write(
        "mcpsite.toml",
        "title = \"T\"\nbase_url = \"https://x.org\"\nthem = \"dark\"\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("mcpsite.toml:3:1: error[config-parse]: unknown key `them`\n  help: did you mean `theme`?"), "{}", run.stderr);
}

#[test]
fn stale_files_of_removed_groups_disappear() {
    let site = TestSite::new();
    site.group("a-ig", group_page("ig", "A", "a-ig"));
    site.group("b-ig", group_page("ig", "B", "b-ig"));
    assert_eq!(site.build().code, 0);
    assert!(site.path().join("public/groups/b-ig/index.html").is_file());
    std::fs::remove_file(site.path().join("content/groups/b-ig.md")).unwrap();
    assert_eq!(site.build().code, 0);
    assert!(!site.path().join("public/groups/b-ig").exists());
    assert!(site.path().join("public/groups/a-ig/index.html").is_file());
}

#[test]
fn two_builds_are_byte_identical() {
    let site = TestSite::from_fixture("sites/basic");
    let a = site.run(&["build", "--today", "2026-11-24", "-o", "out-a"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    let b = site.run(&["build", "--today", "2026-11-24", "-o", "out-b"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let ta = read_tree(&site.path().join("out-a"));
    assert!(ta.len() > 5);
    assert_eq!(ta, read_tree(&site.path().join("out-b")));
}

#[test]
fn fixture_site_matches_golden_output() {
    let site = TestSite::from_fixture("sites/basic");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    common::assert_tree_eq(
        &site.path().join("public"),
        &common::repo_root().join("tests/fixtures/sites/basic.expected"),
    );
}

#[test]
fn a_page_with_a_syntax_error_is_not_also_a_missing_group() {
    // b-ig names a-ig; a-ig does not parse. Only a-ig's own error is reported.
    let site = TestSite::new();
    site.group("a-ig", "+++\nkind = ig\n+++\n");
    site.group(
        "b-ig",
        group_page("ig", "B", "b-ig").replace(
            "status = \"active\"\n",
            "status = \"active\"\nrelated = [\"a-ig\"]\n",
        ),
    );
    let err = build_fails(&site);
    assert!(
        err.contains("content/groups/a-ig.md:2:8: error[frontmatter-parse]"),
        "{err}"
    );
    assert!(!err.contains("related-unknown"), "{err}");
    assert!(err.contains("1 error(s)"), "{err}");
}

/// The basic fixture with its `theme` setting replaced by `line`.
fn basic_with_theme(line: &str) -> TestSite {
    let site = TestSite::from_fixture("sites/basic");
    let cfg = std::fs::read_to_string(site.path().join("mcpsite.toml")).unwrap();
    assert!(cfg.contains("theme = \"fixture\"\n"), "{cfg}");
    site.write("mcpsite.toml", cfg.replace("theme = \"fixture\"\n", line));
    site
}

/// The basic fixture with a custom theme, over the built-in one, whose `group.html` is
/// `template`.
fn site_with_group_template(template: &str) -> TestSite {
    let site = basic_with_theme("theme = \"custom\"\n");
    site.write("themes/custom/templates/group.html", template);
    site
}

#[test]
fn unknown_theme() {
    let site = basic_with_theme("theme = \"nope\"\n");
    let err = build_fails(&site);
    assert!(err.contains("mcpsite.toml:4:1: error[theme-unknown]: theme `nope` is neither the built-in `default` nor a folder themes/nope/\n  help: set `theme` to one of: \"default\", \"fixture\" (a theme"), "{err}");
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let site = site_with_group_template(
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ group.name }</h1>\n{% endblock %}\n",
    );
    let err = build_fails(&site);
    assert!(err.contains("themes/custom/templates/group.html:3:19: error[template-error]: Found `}` but expected }}.\n"), "{err}");
}

#[test]
fn template_runtime_error_names_the_template_line_and_page() {
    let site = site_with_group_template(
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ group.nope.deeper }}</h1>\n{% endblock %}\n",
    );
    let err = build_fails(&site);
    assert!(err.contains("themes/custom/templates/group.html:3:14: error[template-error]: Field `nope` is not defined. Available fields: "), "{err}");
    assert!(
        err.contains("help: this stopped the rendering of groups/auth-ig/index.html"),
        "{err}"
    );
    // Reported once, not once per group page.
    assert!(err.contains("1 error(s)"), "{err}");
}

/// A plain build writes each page as it is rendered: a page whose template fails after much of
/// it was written leaves the published site whole (`build_fails` compares it byte for byte),
/// and nothing of the failed build beside it.
#[test]
fn a_page_that_fails_halfway_leaves_the_published_site() {
    let site = site_with_group_template(
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ group.name }}</h1>\n{% endblock %}\n",
    );
    // More than the write buffer holds is written before the error stops the page.
    let long = "<p>written before the error</p>\n".repeat(10_000);
    site.write(
        "themes/custom/templates/group.html",
        format!("{long}{{{{ group.nope.deeper }}}}\n"),
    );
    let err = build_fails(&site);
    assert!(
        err.contains("error[template-error]: Field `nope` is not defined"),
        "{err}"
    );
    let beside: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".public.mcpsite-"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn a_site_theme_overrides_one_template() {
    let site = site_with_group_template(
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>Custom: {{ group.name }}</h1>\n{% endblock %}\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page =
        std::fs::read_to_string(site.path().join("public/groups/auth-ig/index.html")).unwrap();
    assert!(page.contains("<h1>Custom: Authorization</h1>"), "{page}");
    // Every other template is still the built-in one.
    let home = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(home.contains("Authorization"), "{home}");
}

/// A theme may list a template value's fields (`keys`, `pairs`, `for k, v in`): it gets them in
/// the order the page's data declares them, the same on every page and in every build. (With
/// Tera's maps unordered, each map listed its keys in an order of its own, drawn anew by every
/// process: two builds of one site differed.)
#[test]
fn a_theme_that_lists_a_values_fields_builds_the_same_bytes() {
    let site = site_with_group_template(
        "{% extends \"base.html\" %}\n{% block content %}\n\
         <p id=\"site\">{{ site | keys | join(sep=\",\") }}</p>\n\
         <p id=\"group\">{% for k, v in group %}{{ k }},{% endfor %}</p>\n\
         <p id=\"pairs\">{% for p in group.links | pairs %}{{ p[0] }},{% endfor %}</p>\n\
         {% endblock %}\n",
    );
    let build = |out: &str| {
        let run = site.run(&["build", "--today", "2026-11-24", "-o", out]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        read_tree(&site.path().join(out))
    };
    let listing = |bytes: &[u8]| {
        let page = std::str::from_utf8(bytes).unwrap();
        let start = page.find("<p id=\"site\">").expect("the listing");
        let end = page.find("</main>").unwrap_or(page.len());
        page[start..end].to_owned()
    };
    let (a, b) = (build("out-a"), build("out-b"));
    let pages: Vec<&String> = (a.keys())
        .filter(|path| path.starts_with("groups/") && path.ends_with("/index.html"))
        .collect();
    assert_eq!(pages.len(), 4, "{pages:?}");
    let lists: Vec<String> = pages.iter().map(|p| listing(&a[*p])).collect();
    for (page, list) in pages.iter().zip(&lists) {
        assert_eq!(
            &listing(&b[*page]),
            list,
            "{page} differs between two builds"
        );
    }
    assert_eq!(a, b, "two builds differ");
    assert!(lists.iter().all(|l| *l == lists[0]), "{lists:#?}");
    // The site's fields in the order `SiteView` declares them.
    assert!(
        lists[0].starts_with("<p id=\"site\">title,description,base_url,lang,"),
        "{}",
        lists[0]
    );
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = TestSite::new();
    site.group("a-ig", group_page("ig", "A", "a-ig"));
    site.group(
        "b-ig",
        group_page("ig", "B", "b-ig").replace(
            "status = \"active\"\n",
            "status = \"active\"\ndraft = true\n",
        ),
    );
    assert_eq!(site.build().code, 0);
    assert!(!site.path().join("public/groups/b-ig").exists());
    let json = std::fs::read_to_string(site.path().join("public/groups.json")).unwrap();
    assert!(!json.contains("\"b-ig\""), "{json}");
    let run = site.run(&["build", "--today", "2026-11-24", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path().join("public/groups/b-ig/index.html").is_file());
}

#[test]
fn base_url_flag_overrides_the_settings() {
    // Deploy previews build with --base-url "$DEPLOY_PRIME_URL"; absolute links follow it.
    let site = TestSite::new();
    site.group("a-ig", group_page("ig", "A", "a-ig"));
    let run = site.run(&[
        "build",
        "--today",
        "2026-11-24",
        "--base-url",
        "https://deploy-preview-7--x.netlify.app/",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = std::fs::read_to_string(site.path().join("public/groups.json")).unwrap();
    assert!(
        json.contains("\"https://deploy-preview-7--x.netlify.app/groups/a-ig/\""),
        "{json}"
    );
    let sitemap = std::fs::read_to_string(site.path().join("public/sitemap.xml")).unwrap();
    assert!(!sitemap.contains("groups.example.org"), "{sitemap}");
    let run = site.run(&[
        "build",
        "--today",
        "2026-11-24",
        "--base-url",
        "deploy-preview",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "error: --base-url: base URL `deploy-preview` is not an absolute http(s) URL"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn version_and_completions() {
    let site = TestSite::new();
    let run = site.run(&["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!("mcpsite {}\n", env!("CARGO_PKG_VERSION"))
    );
    let run = site.run(&["completions", "bash"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("_mcpsite()") && run.stdout.contains("meetings"),
        "{}",
        run.stdout
    );
}

#[test]
fn source_date_epoch_sets_today() {
    // With no --today, SOURCE_DATE_EPOCH decides which meetings are "upcoming".
    let site = TestSite::from_fixture("sites/basic");
    let out = std::process::Command::new(common::bin())
        .args(["build", "-o", "sde"])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", "1795478400") // 2026-11-24T00:00:00Z
        .output()
        .unwrap();
    assert!(out.status.success());
    let run = site.build();
    assert_eq!(run.code, 0);
    assert_eq!(
        read_tree(&site.path().join("sde")),
        read_tree(&site.path().join("public"))
    );
}

#[test]
fn meeting_dates_far_outside_the_calendar_are_refused() {
    // Expanding a series near year 9999 would overflow the calendar; it is a located error.
    let page = group_page("ig", "A", "a-ig").replace(
        "+++\nAbout",
        "[[schedule]]\nid = \"s\"\ntz = \"Europe/London\"\nstart = 2026-01-05T10:00:00\nduration = 60\nevery = \"weekly\"\nweekday = \"mon\"\nuntil = 9999-12-31\n+++\nAbout",
    );
    let err = build_fails(&site_with("a-ig", &page));
    assert!(err.contains("content/groups/a-ig.md:20:9: error[date-out-of-range]: 9999-12-31 is outside the years 1970–2200 that meetings may use\n"), "{err}");
    let run =
        site_with("a-ig", &group_page("ig", "A", "a-ig")).run(&["build", "--today", "9999-01-01"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("error: today (9999-01-01) must be in the years 1970–2200"),
        "{}",
        run.stderr
    );
}
