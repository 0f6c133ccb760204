//! The sanitizer a group page's HTML goes through, and when it can be left out.
//!
//! Takes: the events pulldown-cmark parsed from a page (to decide) and the HTML written from
//! them (to clean). Gives: whether the sanitizer could change that HTML ([`may_change`]), and
//! the HTML as the sanitizer leaves it ([`sanitize`]).
//!
//! The sanitizer parses the HTML into a document and writes it out again, which is about a tenth
//! of a build's CPU time. For most pages it changes nothing: a page without raw HTML, whose
//! links are plain, is written by pulldown-cmark exactly as the sanitizer would write it. Such a
//! page skips it. "Exactly" is the rule, not "safely enough": the page is byte for byte what the
//! sanitizer would have given, so what it lets through is what the sanitizer lets through. The
//! tests and the `markdown` fuzz target hold [`super::render_page`] to
//! [`super::render_page_sanitized`] on every input.

use std::borrow::Cow;
use std::collections::HashSet;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use crate::frontmatter::control;

/// The URL schemes a link may have.
const URL_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Whether the sanitizer could change the HTML pulldown-cmark writes for a page's `events` (as
/// `render_page` rewrites them): true when any of them could, or when a link holds a link (an
/// autolink in a link's text: HTML does not nest links, so the sanitizer's parser moves it).
pub(super) fn may_change(events: &[Event]) -> bool {
    let mut in_link = false;
    events.iter().any(|event| match event {
        Event::Start(Tag::Link { .. }) if in_link => true,
        Event::Start(Tag::Link { .. }) => {
            in_link = true;
            event_may_change(event)
        }
        Event::End(TagEnd::Link) => {
            in_link = false;
            false
        }
        _ => event_may_change(event),
    })
}

/// Whether the sanitizer could change the HTML written for `event` on its own. True for
/// anything but the events whose HTML is known to come out of the sanitizer unchanged.
fn event_may_change(event: &Event) -> bool {
    match event {
        // Raw HTML is what the sanitizer is for.
        Event::Html(_) | Event::InlineHtml(_) => true,
        // Footnote bodies keep pulldown-cmark's own task boxes, cell styles and heading
        // attributes (the sanitizer drops them), and a reference inside a link nests a link.
        Event::FootnoteReference(_) => true,
        // `<br />`, `<hr />` and `<img … />`: the sanitizer writes void elements without the
        // slash.
        Event::HardBreak | Event::Rule => true,
        Event::Start(tag) => tag_may_change(tag),
        // The sanitizer writes a no-break space as `&nbsp;`, and drops or replaces some control
        // characters (NUL, for one).
        Event::Text(t) | Event::Code(t) => text_may_change(t),
        Event::InlineMath(_) | Event::DisplayMath(_) => true,
        Event::End(_) | Event::SoftBreak | Event::TaskListMarker(_) => false,
    }
}

/// Whether `text` has a character the sanitizer changes ([`changed`]). Bytes first: only a C0
/// control, DEL, or 0xC2 (which begins U+00A0 and the C1 controls) can begin one.
fn text_may_change(text: &str) -> bool {
    let may = |b| matches!(b, 0x00..=0x08 | 0x0B..=0x1F | 0x7F | 0xC2);
    control::any_byte(text, may) && text.chars().any(changed)
}

/// A no-break space, or a control character but a line feed or a tab.
fn changed(c: char) -> bool {
    c == '\u{a0}' || (c.is_control() && c != '\n' && c != '\t')
}

/// Whether the sanitizer could change what is written for `tag`: only the tags below are known
/// not to (task boxes and table cells are rewritten before the HTML is written, headings
/// written by `render_page` itself).
fn tag_may_change(tag: &Tag) -> bool {
    match tag {
        Tag::Paragraph
        | Tag::Heading { .. }
        | Tag::BlockQuote(None)
        | Tag::CodeBlock(_)
        | Tag::List(_)
        | Tag::Item
        | Tag::Table(_)
        | Tag::TableHead
        | Tag::TableRow
        | Tag::TableCell
        | Tag::Emphasis
        | Tag::Strong
        | Tag::Strikethrough => false,
        Tag::Link {
            link_type,
            dest_url,
            title,
            ..
        } => {
            let href = match link_type {
                LinkType::Email => Cow::Owned(format!("mailto:{dest_url}")),
                _ => Cow::Borrowed(&**dest_url),
            };
            !title.is_empty() || !is_kept_as_written(&href)
        }
        _ => true,
    }
}

/// Whether the sanitizer keeps a link to `href` as pulldown-cmark writes it. pulldown-cmark
/// writes the characters below as they are (`&` as `&amp;`, which the sanitizer reads back as
/// `&` and writes as `&amp;` again), and percent-encodes or escapes any other; the sanitizer then
/// keeps an `href` the `url` crate parses with an allowed scheme, or finds relative, and drops
/// any other (as its `Builder::clean` does).
fn is_kept_as_written(href: &str) -> bool {
    let written_as_is = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&()*+,-./:;=?@^_~".contains(&b);
    if !href.bytes().all(written_as_is) {
        return false;
    }
    match url::Url::parse(href) {
        Ok(url) => URL_SCHEMES.contains(&url.scheme()),
        Err(e) => e == url::ParseError::RelativeUrlWithoutBase,
    }
}

/// `html` as the sanitizer leaves it: raw HTML's scripts, styles, event handlers, forms and
/// `javascript:` links removed, and the `id`s in `reserved` (the page template's own) dropped.
pub(super) fn sanitize(html: &str, reserved: &[&str]) -> String {
    let reserved: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    let mut b = ammonia::Builder::default();
    b.add_tags(["section"])
        .url_schemes(URL_SCHEMES.into_iter().collect())
        .link_rel(None)
        .add_generic_attributes(["id"])
        .add_tag_attributes("a", ["aria-label"])
        .add_tag_attributes("span", ["aria-hidden"])
        .add_tag_attributes("section", ["aria-label"])
        .add_tag_attributes("th", ["scope"])
        .add_allowed_classes("a", ["anchor", "footnote-backref"])
        .add_allowed_classes("div", ["heading-wrap"])
        .add_allowed_classes("sup", ["footnote-ref"])
        .add_allowed_classes("section", ["footnotes"])
        .add_allowed_classes("span", ["visually-hidden", "task-marker"])
        .add_allowed_classes("h2", ["visually-hidden"])
        .add_allowed_classes("th", ["align-left", "align-center", "align-right"])
        .add_allowed_classes("td", ["align-left", "align-center", "align-right"])
        .attribute_filter(move |_element, attr, value| {
            if attr == "id" && (reserved.contains(value) || value.is_empty()) {
                None
            } else {
                Some(Cow::Borrowed(value))
            }
        });
    b.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use pulldown_cmark::Parser;

    use super::super::{options, render_page, render_page_sanitized};
    use super::{changed, may_change, text_may_change};

    #[test]
    fn the_byte_scan_agrees_with_the_characters() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(text_may_change(&text), changed(c), "U+{:04X}", c as u32);
        }
    }

    /// Pages of what group pages usually hold, which skip the sanitizer.
    const PLAIN: &[&str] = &[
        "# Title\n\nProse with \"quotes\", 'apostrophes', a < b > c & d, and *emphasis*.\n",
        "## What's \"new\" 1 < 2 > 0 & now?\n\n### Über größe\n\n## {#custom .cls}\n\n## Same\n\n## Same\n",
        "```toml\n[server]\nname = \"x\" # it's <b>\n```\n\n    indented \"code\"\n\n`inline \"code\" <x>`\n",
        "[web](https://example.org/a?b=c&d=e#f) [rel](../x/y.html) [frag](#top) [mail](mailto:a@b.org)\n",
        "[site](/groups/auth-ig/) <https://example.org> <someone@example.org> [proto](//evil.example/x)\n",
        "| a | b | c |\n|:--|:-:|--:|\n| 1 | \"2\" | <3> |\n\n- [ ] todo\n- [x] done\n",
        "> quote\n>\n> > nested\n\n1. one\n2. two\n\n3) three\n\n* a\n  * b\n",
        "~~struck~~ **strong _both_** `x` \\* escaped \\<not html\\>\n\n# \n\n#\n",
        "Setext\n======\n\nOther\n-----\n\n- # heading in a list\n- > quote in a list\n",
    ];

    /// Pages that each hold one thing a rule of [`may_change`] looks at, alone.
    const EDGES: &[&str] = &[
        "[titled](https://example.org \"A title\")\n",
        "[quote](https://example.org/it's)\n",
        "[sp](<a b>)\n",
        "[js](javascript:alert(1))\n",
        "[JS](JaVaScRiPt:alert(1))\n",
        "[data](data:text/html,x)\n",
        "[vb](vbscript:x)\n",
        "[colon](a:b)\n",
        "[path](foo/bar:baz)\n",
        "[empty]()\n",
        "![image](https://example.org/i.png)\n",
        "line  \nbreak\n",
        "line\\\nbreak\n",
        "above\n\n---\n\nbelow\n",
        "Text[^1].\n\n[^1]: A note.\n",
        "[^x]: A note with a | table | that nothing refers to.\n",
        "[link[^x]](https://example.org)\n\n[^x]: n\n",
        "[bad host](https://example^%5Dorg/) [bad port](http://e.org:99999/)\n",
        "[bracket](https://example.org/[x]) [brace](/a{b}) [pipe](/a|b) [tick](/a`b)\n",
        "<mailto:someone@example.org> <irc://example.org/x> <https://例え.jp/パス>\n",
        "[a link <someone@example.org> holding a link](https://example.org)\n",
        "[a link <https://example.org/in> holding a link](/x)\n",
        "<div onclick=\"x\">raw</div>\n",
        "Inline <span>html</span>\n",
        "<!-- comment -->\n",
        "No\u{a0}break\n",
        "&nbsp;\n",
        "&copy; &amp; &lt;tag&gt; &#39; &quot;\n",
        "CR\r\nLF\r\n\r\nend\n",
        "```\r\ncode\r\nline\r\n```\r\n",
        "lone\rcarriage `return\rin` code\n",
        "    indented\r\n    code\r\n",
        "ctrl \u{1} \u{7f} \u{85} \u{feff} end\n",
        "nul \u{0} in text\n",
        "`nul \u{0} in code`\n",
        "> [!NOTE]\n> alert\n",
    ];

    #[test]
    fn leaving_the_sanitizer_out_changes_no_page() {
        let reserved = ["main", "top", "meetings", "fn-1"];
        let all = [PLAIN, EDGES].concat().concat();
        for md in PLAIN.iter().chain(EDGES).copied().chain([all.as_str()]) {
            assert_eq!(
                render_page(md, &reserved),
                render_page_sanitized(md, &reserved),
                "{md:?}"
            );
        }
    }

    /// Every page of the repository's own sites renders as the sanitizer would render it.
    #[test]
    fn the_repositorys_pages_render_as_through_the_sanitizer() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut pages = 0;
        for dir in ["content", "tests/fixtures/sites"] {
            for entry in walkdir::WalkDir::new(root.join(dir)) {
                let entry = entry.expect("readable");
                if entry.path().extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(entry.path()).expect("UTF-8");
                    let r = ["meetings", "people"];
                    assert_eq!(
                        render_page(&text, &r),
                        render_page_sanitized(&text, &r),
                        "{}",
                        entry.path().display()
                    );
                    pages += 1;
                }
            }
        }
        assert!(pages > 36, "{pages} pages");
    }

    fn any_may_change(md: &str) -> bool {
        may_change(&Parser::new_ext(md, options()).collect::<Vec<_>>())
    }

    /// The sanitizer is left out for what group pages usually hold, and kept for what it is
    /// for.
    #[test]
    fn only_pages_it_could_change_go_through_the_sanitizer() {
        for md in PLAIN {
            assert!(!any_may_change(md), "{md:?}");
        }
        for md in [
            "<b>raw</b>",
            "<!-- comment -->",
            "[js](javascript:alert(1))",
            "[titled](https://e.org \"t\")",
            "![i](https://e.org/i.png)",
            "a  \nb",
            "---",
            "x[^1]\n\n[^1]: n",
            "no\u{a0}break",
            "[q](https://e.org/it's)",
        ] {
            assert!(any_may_change(md), "{md:?}");
        }
    }
}
