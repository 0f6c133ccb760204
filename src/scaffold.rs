//! A new group page from the governance text's creation template, for `mcpsite new`.
//!
//! Takes: a [`NewGroup`] filled from the command line and, in a terminal, completed by
//! [`prompt`]. Gives: `content/groups/<topic>-<ig|wg>.md`, created but never overwritten, whose
//! front matter parses and builds. Every template field the proposer has not given yet is a
//! placeholder that `mcpsite check` reports by name: an empty string (`first_topic = ""`), a
//! commented-out key (`# similar_groups = []`, because an explicit `[]` means "none"), a
//! commented-out `[[facilitators]]` table, or `"TODO: …"` where the build needs a non-empty
//! value (`summary`).
//!
//! The page starts as `status = "proposed"` with `lifecycle.proposed` = today, and its channel
//! defaults to `<topic>-<ig|wg>`, marked `pending` until moderators create it.

use std::fmt::Write as _;
use std::io::{BufRead, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::config::CONFIG_FILE;
use crate::schema::Kind;
use crate::validate::is_github_handle;

/// The placeholder `check` reports as `placeholder-unfilled`.
pub const SUMMARY_PLACEHOLDER: &str = "TODO: one line saying what the group is for";

/// A facilitator or maintainer from `GITHUB:NAME:ORG`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonArg {
    /// GitHub handle, without `@`.
    pub github: String,
    /// Display name.
    pub name: Option<String>,
    /// Organization.
    pub org: Option<String>,
}

impl std::str::FromStr for PersonArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let mut parts = s.splitn(3, ':').map(str::trim);
        let github = parts
            .next()
            .unwrap_or("")
            .trim_start_matches('@')
            .to_string();
        if !is_github_handle(&github) {
            return Err(format!(
                "`{s}`: `{github}` is not a GitHub handle; write GITHUB:NAME:ORG, e.g. aaronpk:Aaron Parecki:Okta"
            ));
        }
        let opt = |p: Option<&str>| p.filter(|v| !v.is_empty()).map(str::to_string);
        Ok(PersonArg {
            github,
            name: opt(parts.next()),
            org: opt(parts.next()),
        })
    }
}

/// Everything the template needs, after flags and prompts.
#[derive(Debug, Clone)]
pub struct NewGroup {
    /// IG or WG.
    pub kind: Kind,
    /// The primary topic, kebab-case: the slug without its kind suffix.
    pub topic: String,
    /// The date the proposal is written on.
    pub today: jiff::civil::Date,
    /// Display name without "Interest Group"/"Working Group".
    pub name: String,
    /// One line for the directory listing.
    pub summary: Option<String>,
    /// The facilitators.
    pub facilitators: Vec<PersonArg>,
    /// The maintainers.
    pub maintainers: Vec<PersonArg>,
    /// `None`: not answered yet; `Some(vec![])`: no similar IGs.
    pub similar: Option<Vec<String>>,
    /// IG: how this IG differs from similar ones.
    pub differentiation: Option<String>,
    /// IG: the first topic to discuss.
    pub first_topic: Option<String>,
    /// WG: the interest and use cases.
    pub use_cases: Option<String>,
    /// WG: the IG the use cases came from.
    pub origin_ig: Option<String>,
    /// WG: the first Issue/PR/SEP.
    pub first_item: Option<String>,
    /// Discord channel name without `#`.
    pub channel: String,
    /// The creation proposal's URL.
    pub proposal_url: Option<String>,
}

impl NewGroup {
    /// The page's slug: `<topic>-<ig|wg>`.
    pub fn slug(&self) -> String {
        format!("{}-{}", self.topic, self.kind.suffix())
    }
}

/// "tool-filtering" → "Tool Filtering".
pub fn name_from_topic(topic: &str) -> String {
    topic
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A trimmed answer or flag value; `None` when blank.
pub fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

struct Prompter<'a> {
    input: &'a mut dyn BufRead,
    out: &'a mut dyn std::io::Write,
}

impl Prompter<'_> {
    fn ask(&mut self, question: &str, default: Option<&str>) -> anyhow::Result<Option<String>> {
        match default {
            Some(d) => write!(self.out, "{question} [{d}]: ")?,
            None => write!(self.out, "{question}: ")?,
        }
        self.out.flush()?;
        let mut line = String::new();
        self.input.read_line(&mut line)?;
        Ok(nonempty(Some(line)))
    }

    fn people(&mut self, label: &str, list: &mut Vec<PersonArg>) -> anyhow::Result<()> {
        if !list.is_empty() {
            return Ok(());
        }
        loop {
            let Some(a) = self.ask(
                &format!("{label} as GITHUB:NAME:ORG (Enter when done)"),
                None,
            )?
            else {
                return Ok(());
            };
            match a.parse::<PersonArg>() {
                Ok(p) => list.push(p),
                Err(e) => writeln!(self.out, "  {e}")?,
            }
        }
    }
}

/// Asks for every field the flags left open. Blank answers keep the placeholder.
pub fn prompt(
    g: &mut NewGroup,
    input: &mut dyn BufRead,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let mut p = Prompter { input, out };
    writeln!(
        p.out,
        "New {} `{}`. Press Enter to skip a field; `mcpsite check` will list it.",
        g.kind.long_name(),
        g.slug()
    )?;
    let current = g.name.clone();
    if let Some(n) = p.ask("Name (without \"Interest/Working Group\")", Some(&current))? {
        g.name = n;
    }
    if g.summary.is_none() {
        g.summary = p.ask("One-line summary", None)?;
    }
    p.people("Facilitator", &mut g.facilitators)?;
    p.people("Maintainer (optional)", &mut g.maintainers)?;
    match g.kind {
        Kind::Ig => {
            if g.similar.is_none()
                && let Some(a) = p.ask(
                    "IGs with potentially similar goals (slugs, comma-separated; `none` if none)",
                    None,
                )?
            {
                g.similar = Some(if a.eq_ignore_ascii_case("none") {
                    vec![]
                } else {
                    a.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                });
            }
            if g.similar.as_ref().is_some_and(|s| !s.is_empty()) && g.differentiation.is_none() {
                g.differentiation = p.ask("How this IG differs from them", None)?;
            }
            if g.first_topic.is_none() {
                g.first_topic = p.ask("First topic to discuss within the IG", None)?;
            }
        }
        Kind::Wg => {
            if g.use_cases.is_none() {
                g.use_cases = p.ask(
                    "Interest and use cases (ideally from an IG discussion)",
                    None,
                )?;
            }
            if g.origin_ig.is_none() {
                g.origin_ig = p.ask("The IG they came from (slug, optional)", None)?;
            }
            if g.first_item.is_none() {
                g.first_item =
                    p.ask("First Issue/PR/SEP (SEP-1234, owner/repo#12 or URL)", None)?;
            }
        }
    }
    if g.proposal_url.is_none() {
        g.proposal_url = p.ask(
            "Proposal link (Discord message or pull request, optional)",
            None,
        )?;
    }
    Ok(())
}

fn person_block(out: &mut String, table: &str, p: &PersonArg) {
    let _ = writeln!(out, "[[{table}]]");
    let _ = writeln!(out, "github = {}", q(&p.github));
    if let Some(n) = &p.name {
        let _ = writeln!(out, "name = {}", q(n));
    }
    if let Some(o) = &p.org {
        let _ = writeln!(out, "org = {}", q(o));
    }
    out.push('\n');
}

/// The page's text.
pub fn render(g: &NewGroup) -> String {
    let mut s = String::new();
    let kind = g.kind.label();
    s.push_str("+++\n");
    let _ = writeln!(
        s,
        "# Written by `mcpsite new {} {}` from the governance text's {kind} creation template.",
        g.kind.suffix(),
        g.topic
    );
    s.push_str("# `mcpsite check` lists the fields still to fill in.\n");
    let _ = writeln!(s, "kind = {}", q(g.kind.suffix()));
    let _ = writeln!(s, "name = {}", q(&g.name));
    let _ = writeln!(
        s,
        "summary = {}",
        q(g.summary.as_deref().unwrap_or(SUMMARY_PLACEHOLDER))
    );
    s.push_str("status = \"proposed\"\n");
    s.push_str("# Other groups worth a look, by slug:\n# related = [\"security-ig\"]\n\n");

    s.push_str("[lifecycle]\n");
    let _ = writeln!(s, "proposed = {}", g.today);
    match &g.proposal_url {
        Some(u) => {
            let _ = writeln!(s, "proposal_url = {}", q(u));
        }
        None => s.push_str(
            "# The proposal in #wg-ig-group-creation, or its pull request:\n# proposal_url = \"https://…\"\n",
        ),
    }
    s.push('\n');

    s.push_str("# Facilitator(s): who shepherds and speaks for the group.\n");
    if g.facilitators.is_empty() {
        s.push_str(
            "# [[facilitators]]\n# github = \"your-github-handle\"\n# name = \"Your Name\"\n# org = \"Your Organization\"\n\n",
        );
    }
    for p in &g.facilitators {
        person_block(&mut s, "facilitators", p);
    }
    s.push_str(
        "# Maintainer(s) (optional): official representatives from the MCP steering group.\n",
    );
    if g.maintainers.is_empty() {
        s.push_str(
            "# [[maintainers]]\n# github = \"maintainer-handle\"\n# name = \"Maintainer Name\"\n\n",
        );
    }
    for p in &g.maintainers {
        person_block(&mut s, "maintainers", p);
    }

    s.push_str("[discord]\n");
    let _ = writeln!(s, "channel = {}", q(&g.channel));
    s.push_str(
        "# Moderators create the channel once the group is approved; then remove this line.\n",
    );
    s.push_str("pending = true\n\n");

    s.push_str("[creation]\n");
    match g.kind {
        Kind::Ig => {
            s.push_str("# IGs with potentially similar goals/discussions, by slug; [] if there are none.\n");
            match &g.similar {
                Some(list) => {
                    let items: Vec<String> = list.iter().map(|x| q(x)).collect();
                    let _ = writeln!(s, "similar_groups = [{}]", items.join(", "));
                }
                None => s.push_str("# similar_groups = [\"security-ig\"]\n"),
            }
            s.push_str("# How this IG differentiates itself from the related IGs.\n");
            let _ = writeln!(
                s,
                "differentiation = {}",
                q(g.differentiation.as_deref().unwrap_or(""))
            );
            s.push_str("# The first topic to discuss within the IG.\n");
            let _ = writeln!(
                s,
                "first_topic = {}",
                q(g.first_topic.as_deref().unwrap_or(""))
            );
        }
        Kind::Wg => {
            s.push_str(
                "# Explanation of interest/use cases, ideally originating from an IG discussion.\n",
            );
            let _ = writeln!(s, "use_cases = {}", q(g.use_cases.as_deref().unwrap_or("")));
            s.push_str("# The IG the use cases came from, if any.\n");
            match &g.origin_ig {
                Some(o) => {
                    let _ = writeln!(s, "origin_ig = {}", q(o));
                }
                None => s.push_str("# origin_ig = \"topic-ig\"\n"),
            }
            s.push_str("# The first Issue/PR/SEP the WG will work on: SEP-1234, owner/repo#12 or a GitHub URL.\n");
            let _ = writeln!(
                s,
                "first_item = {}",
                q(g.first_item.as_deref().unwrap_or(""))
            );
        }
    }
    s.push_str("+++\n\n");
    let _ = writeln!(
        s,
        "<!-- The charter in Markdown: the {}'s mission, what is in and out of scope, and how it works. -->",
        kind
    );
    s
}

/// Where the page goes.
pub fn page_path(root: &Path, g: &NewGroup) -> PathBuf {
    root.join("content")
        .join("groups")
        .join(format!("{}.md", g.slug()))
}

/// Writes the page, refusing to replace anything.
pub fn write_page(root: &Path, g: &NewGroup) -> anyhow::Result<PathBuf> {
    if !root.join(CONFIG_FILE).is_file() {
        bail!(
            "{} has no {CONFIG_FILE}; run `mcpsite new` in a site root or pass --root",
            root.display()
        );
    }
    let path = page_path(root, g);
    let dir = path.parent().expect("page path has a folder");
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let text = render(g);
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists; mcpsite new never overwrites a page (edit it, or choose another topic)",
            path.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("creating {}", path.display())),
    };
    f.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn group(kind: Kind) -> NewGroup {
        NewGroup {
            kind,
            topic: "tool-filtering".into(),
            today: jiff::civil::date(2026, 11, 24),
            name: "Tool Filtering".into(),
            summary: None,
            facilitators: vec![],
            maintainers: vec![],
            similar: None,
            differentiation: None,
            first_topic: None,
            use_cases: None,
            origin_ig: None,
            first_item: None,
            channel: "tool-filtering-wg".into(),
            proposal_url: None,
        }
    }

    #[test]
    fn templates_parse() {
        for kind in [Kind::Ig, Kind::Wg] {
            let mut g = group(kind);
            let text = render(&g);
            let page = crate::frontmatter::parse_group(SourceFile {
                path: "content/groups/x.md".into(),
                text: text.into(),
            })
            .unwrap_or_else(|d| panic!("{}", d.render(crate::diag::Format::Text)));
            assert_eq!(page.fm.kind.get_ref(), &kind);
            g.facilitators
                .push("aaronpk:Aaron \"P\":Okta".parse().unwrap());
            g.similar = Some(vec!["security-ig".into()]);
            g.summary = Some("Quotes \" and \\ backslashes".into());
            let page = crate::frontmatter::parse_group(SourceFile {
                path: "content/groups/x.md".into(),
                text: render(&g).into(),
            })
            .unwrap_or_else(|d| panic!("{}", d.render(crate::diag::Format::Text)));
            assert_eq!(page.fm.summary.get_ref(), "Quotes \" and \\ backslashes");
            assert_eq!(page.fm.facilitators.len(), 1);
        }
    }

    #[test]
    fn person_args() {
        let p: PersonArg = "@aaronpk:Aaron Parecki:Okta".parse().unwrap();
        assert_eq!(p.github, "aaronpk");
        assert_eq!(p.org.as_deref(), Some("Okta"));
        let p: PersonArg = "aaronpk".parse().unwrap();
        assert_eq!(p.name, None);
        assert!("Aaron Parecki".parse::<PersonArg>().is_err());
    }

    #[test]
    fn names() {
        assert_eq!(name_from_topic("tool-filtering"), "Tool Filtering");
    }

    #[test]
    fn prompts_fill_blanks() {
        let mut g = group(Kind::Ig);
        let answers = "\nOne line\naaronpk:Aaron:Okta\n\n\nnone\nCaching\n\n";
        let mut input = std::io::Cursor::new(answers.as_bytes());
        let mut out = Vec::new();
        prompt(&mut g, &mut input, &mut out).unwrap();
        assert_eq!(g.name, "Tool Filtering");
        assert_eq!(g.summary.as_deref(), Some("One line"));
        assert_eq!(g.facilitators.len(), 1);
        assert_eq!(g.similar, Some(vec![]));
        assert_eq!(g.first_topic.as_deref(), Some("Caching"));
        assert_eq!(g.proposal_url, None);
    }
}
