//! Hostile values: control characters in front matter and settings, forged CI annotations in
//! text diagnostics, and XML outputs that must stay well-formed.

mod common;

use common::{TestSite, group_page};

/// A control character written with a TOML escape is refused at the string, file:line:col.
#[test]
fn control_characters_in_front_matter_are_refused() {
    let site = TestSite::new();
    let page = group_page("ig", "Auth", "auth-ig")
        .replace("name = \"Auth\"", "name = \"Au\\u000bth\"")
        .replace(
            "summary = \"The Auth group.\"",
            "summary = \"bell \\e[31m red\"",
        );
    site.group("auth-ig", page);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/groups/auth-ig.md:3:8: error[frontmatter-control-char]: `name` contains the control character U+000B"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "content/groups/auth-ig.md:4:11: error[frontmatter-control-char]: `summary` contains the control character U+001B"
        ),
        "{}",
        run.stderr
    );
    assert!(mcpsite::check::find_rule("frontmatter-control-char").is_some());
    assert!(!run.stderr.contains('\x1b') && !run.stderr.contains('\x0b'));
}

/// Settings with control characters and XML-special text still give well-formed XML, parsed by
/// a real parser, with the control characters dropped.
#[test]
fn xml_outputs_stay_well_formed() {
    let site = TestSite::new();
    site.write(
        "mcpsite.toml",
        "title = \"T\\u000b<&>\\\"'\\u0085x\\u001f]]>\"\ndescription = \"d\\f\\u0000e\"\nbase_url = \"https://groups.example.org\"\n",
    );
    let page = group_page("ig", "A <b>&amp; 'q' ]]>", "a-ig").replace(
        "status = \"active\"",
        "status = \"active\"\n\n[lifecycle]\nproposed = 2026-01-02\nactive = 2026-02-03",
    );
    site.group("a-ig", page);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in ["atom.xml", "sitemap.xml"] {
        let text = std::fs::read_to_string(site.path().join("public").join(file)).unwrap();
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{file} is not well-formed XML: {e}\n{text}"));
        if file == "atom.xml" {
            let title = doc
                .root_element()
                .children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|n| n.text())
                .unwrap();
            assert_eq!(title, "T<&>\"'x]]>");
            let entry_titles: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("entry"))
                .filter_map(|e| e.children().find(|n| n.has_tag_name("title")))
                .filter_map(|n| n.text())
                .collect();
            assert!(
                entry_titles
                    .iter()
                    .any(|t| t.contains("A <b>&amp; 'q' ]]>")),
                "{entry_titles:?}"
            );
        }
    }
}

/// A value carrying a newline and a workflow command never puts that command at the start of a
/// line of text output (GitHub Actions reads `::error …` lines, after leading blanks, from any
/// step's output).
#[test]
fn forged_annotation_stays_inside_its_line() {
    let site = TestSite::new();
    let page = group_page("ig", "Auth", "auth-ig").replace(
        "status = \"active\"",
        "status = \"x\\n::error file=evil.md,line=1::forged\"",
    );
    site.group("auth-ig", page);
    site.group(
        "evil\n::error file=evil.md,line=1::name-ig",
        group_page("ig", "Evil", "evil-ig"),
    );
    for args in [
        &["build", "--today", "2026-11-24"][..],
        &["check", "--today", "2026-11-24"][..],
    ] {
        let run = site.run(args);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, 1, "{all}");
        assert!(all.contains("forged"), "{all}");
        assert!(all.contains("name-ig"), "{all}");
        for line in all.lines() {
            assert!(
                !line.trim_start().starts_with("::"),
                "{args:?}: a line starts with input: {line:?}\n{all}"
            );
        }
    }
}

/// A page over `max_page_bytes` (1 MB by default) is refused before it is parsed, naming the
/// setting; the limit can be raised.
#[test]
fn oversized_page_is_refused() {
    let site = TestSite::new();
    let mut page = group_page("ig", "Big", "big-ig");
    page.push_str(&"Lorem ipsum dolor sit amet.\n\n".repeat(40_000));
    assert!(page.len() > 1_000_000);
    site.group("big-ig", &page);
    site.group("auth-ig", group_page("ig", "Auth", "auth-ig"));
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let want = format!(
        "content/groups/big-ig.md:1:1: error[content-too-large]: the page is {} bytes, over the limit of 1000000 bytes; it was not built",
        page.len()
    );
    assert!(run.stderr.contains(&want), "{}", run.stderr);
    assert!(run.stderr.contains("max_page_bytes"), "{}", run.stderr);
    assert!(mcpsite::check::find_rule("content-too-large").is_some());

    site.write(
        "mcpsite.toml",
        format!("{}max_page_bytes = 2000000\n", common::CONFIG),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.path()
            .join("public/groups/big-ig/index.html")
            .is_file()
    );
}
