//! `mcpsite new ig|wg <topic>`: a new group page, then what is left to fill in.
//!
//! Takes: [`Args`] (and, in a terminal, answers typed at the prompts). Gives:
//! `content/groups/<topic>-<ig|wg>.md` written by [`scaffold`], the findings `check` still
//! reports on it, and the next steps of the governance process, on standard error.

use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use clap::Args as ClapArgs;
use jiff::civil::Date;
use mcpsite::config::{SiteConfig, resolve_today};
use mcpsite::diag::Diagnostics;
use mcpsite::scaffold::{self, NewGroup, PersonArg, name_from_topic, nonempty};
use mcpsite::schema::Kind;
use mcpsite::schema::is_kebab;
use mcpsite::{check, pipeline};

use super::{NoFlags, SiteArgs};

/// Which kind of group `mcpsite new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum NewKind {
    /// Interest Group.
    Ig,
    /// Working Group.
    Wg,
}

impl NewKind {
    fn kind(self) -> Kind {
        match self {
            NewKind::Ig => Kind::Ig,
            NewKind::Wg => Kind::Wg,
        }
    }
}

/// `mcpsite new`'s flags: the creation template's fields.
#[derive(Debug, ClapArgs, Clone)]
pub(crate) struct Args {
    /// Interest Group or Working Group.
    #[arg(value_enum)]
    pub(crate) kind: NewKind,
    /// The group's primary topic, kebab-case: `tool-filtering` gives tool-filtering-wg.md.
    pub(crate) topic: String,
    #[command(flatten)]
    pub(crate) site: SiteArgs<NoFlags>,
    /// Never prompt, even in a terminal.
    #[arg(long)]
    pub(crate) no_input: bool,
    /// Display name, without "Interest Group"/"Working Group" (default: from the topic).
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// One line on what the group is about.
    #[arg(long)]
    pub(crate) summary: Option<String>,
    /// A facilitator, as GITHUB:NAME:ORG (NAME and ORG optional). Repeatable.
    #[arg(long = "facilitator", value_name = "GITHUB:NAME:ORG")]
    pub(crate) facilitators: Vec<String>,
    /// A maintainer (optional), as GITHUB:NAME:ORG. Repeatable.
    #[arg(long = "maintainer", value_name = "GITHUB:NAME:ORG")]
    pub(crate) maintainers: Vec<String>,
    /// IG: an IG with potentially similar goals (its slug, e.g. security-ig). Repeatable.
    #[arg(long = "similar", value_name = "SLUG")]
    pub(crate) similar: Vec<String>,
    /// IG: there are no IGs with similar goals (writes similar_groups = []).
    #[arg(long, conflicts_with = "similar")]
    pub(crate) no_similar: bool,
    /// IG: how this IG differs from the similar IGs.
    #[arg(long)]
    pub(crate) differentiation: Option<String>,
    /// IG: the first topic to discuss.
    #[arg(long)]
    pub(crate) first_topic: Option<String>,
    /// WG: the interest and use cases, ideally from an IG discussion.
    #[arg(long)]
    pub(crate) use_cases: Option<String>,
    /// WG: the IG the use cases came from (its slug).
    #[arg(long, value_name = "SLUG")]
    pub(crate) origin_ig: Option<String>,
    /// WG: the first Issue/PR/SEP (SEP-1234, owner/repo#12 or a GitHub URL).
    #[arg(long)]
    pub(crate) first_item: Option<String>,
    /// The Discord channel (default: <topic>-ig or <topic>-wg).
    #[arg(long)]
    pub(crate) channel: Option<String>,
    /// Where the proposal was posted (a Discord message or pull request URL).
    #[arg(long, value_name = "URL")]
    pub(crate) proposal_url: Option<String>,
}

/// Writes the page, then lists what `check` still asks of it and what comes next.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = &args.site.root;
    let today = resolve_today(args.site.today)?;
    let mut g = group(args, today)?;
    if !args.no_input && std::io::stdin().is_terminal() {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        scaffold::prompt(&mut g, &mut input, &mut std::io::stderr())?;
    }
    let path = scaffold::write_page(root, &g)?;
    let rel = format!("content/groups/{}.md", g.slug());
    let mut err = std::io::stderr();
    let _ = writeln!(err, "created {}", path.display());

    // What is still to fill in: the content rules on the new page.
    let remaining = remaining_fields(root, &rel, today)?;
    if remaining.is_empty() {
        let _ = writeln!(err, "every field of the creation template is filled in");
    } else {
        let _ = writeln!(err, "still to fill in (from `mcpsite check`):");
        for d in remaining.iter() {
            let _ = writeln!(
                err,
                "  {}:{}:{}: [{}] {}",
                d.path, d.pos.line, d.pos.col, d.rule, d.message
            );
        }
    }
    let vote_hours = SiteConfig::load(root)
        .ok()
        .and_then(|r| r.ok())
        .map_or(72, |c| c.governance.vote_hours);
    let _ = writeln!(
        err,
        "next steps:\n  1. fill in {rel}, then run `mcpsite check --root {}`\n  2. post the creation template in #wg-ig-group-creation on Discord; a moderator calls the {vote_hours} h vote\n  3. open a pull request with the page",
        root.display(),
    );
    Ok(ExitCode::SUCCESS)
}

/// Checks the topic and the flags against the kind's creation template, and turns them into a
/// [`NewGroup`].
fn group(args: &Args, today: Date) -> anyhow::Result<NewGroup> {
    let kind = args.kind.kind();
    let topic = args.topic.trim().to_string();
    check_topic(&topic, kind)?;
    check_template_flags(args, kind)?;
    let similar = similar(args)?;
    let channel = match &args.channel {
        Some(c) => c.trim().trim_start_matches('#').to_string(),
        None => format!("{topic}-{}", kind.suffix()),
    };
    if !is_kebab(&channel) {
        bail!("--channel `{channel}` is not a lowercase kebab-case channel name");
    }
    Ok(NewGroup {
        kind,
        name: nonempty(args.name.clone()).unwrap_or_else(|| name_from_topic(&topic)),
        topic,
        today,
        summary: nonempty(args.summary.clone()),
        facilitators: people(&args.facilitators)?,
        maintainers: people(&args.maintainers)?,
        similar,
        differentiation: nonempty(args.differentiation.clone()),
        first_topic: nonempty(args.first_topic.clone()),
        use_cases: nonempty(args.use_cases.clone()),
        origin_ig: nonempty(args.origin_ig.clone()),
        first_item: nonempty(args.first_item.clone()),
        channel,
        proposal_url: nonempty(args.proposal_url.clone()),
    })
}

/// A topic is kebab-case and names no kind: the kind is the other argument.
fn check_topic(topic: &str, kind: Kind) -> anyhow::Result<()> {
    if !is_kebab(topic) {
        bail!(
            "topic `{topic}` is not lowercase kebab-case (a-z, 0-9 and single hyphens), e.g. `tool-filtering`"
        );
    }
    if topic.ends_with("-ig") || topic.ends_with("-wg") {
        bail!(
            "give the topic without the kind: `mcpsite new {} {}`",
            kind.suffix(),
            &topic[..topic.len() - 3]
        );
    }
    Ok(())
}

/// Refuses the other kind's template fields.
fn check_template_flags(args: &Args, kind: Kind) -> anyhow::Result<()> {
    let wrong = |flag: &str, set: bool| -> anyhow::Result<()> {
        if set {
            bail!(
                "--{flag} belongs to the {} creation template; this is an {}",
                kind.other().label(),
                kind.label()
            );
        }
        Ok(())
    };
    match kind {
        Kind::Ig => {
            wrong("use-cases", args.use_cases.is_some())?;
            wrong("origin-ig", args.origin_ig.is_some())?;
            wrong("first-item", args.first_item.is_some())?;
        }
        Kind::Wg => {
            wrong("similar", !args.similar.is_empty() || args.no_similar)?;
            wrong("differentiation", args.differentiation.is_some())?;
            wrong("first-topic", args.first_topic.is_some())?;
        }
    }
    Ok(())
}

/// `--facilitator` or `--maintainer` values.
fn people(list: &[String]) -> anyhow::Result<Vec<PersonArg>> {
    list.iter()
        .map(|s| s.parse::<PersonArg>().map_err(anyhow::Error::msg))
        .collect()
}

/// `--similar` (repeatable, or comma-separated) and `--no-similar`; `None` when neither is given.
fn similar(args: &Args) -> anyhow::Result<Option<Vec<String>>> {
    if args.no_similar {
        return Ok(Some(vec![]));
    }
    if args.similar.is_empty() {
        return Ok(None);
    }
    let list: Vec<String> = args
        .similar
        .iter()
        .flat_map(|s| s.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(s) = list.iter().find(|s| !is_kebab(s)) {
        bail!("--similar `{s}` is not a group slug such as `security-ig`");
    }
    Ok(Some(list))
}

/// The findings `check` reports on one page (content rules and the build's own).
fn remaining_fields(root: &Path, rel: &str, today: Date) -> anyhow::Result<Diagnostics> {
    let request = mcpsite::config::SiteRequest {
        root: root.to_path_buf(),
        drafts: true,
        today: Some(today),
        base_url: None,
    };
    let opts = match request.resolve(&root.join("public"))? {
        Ok(o) => o,
        Err(d) => return Ok(d),
    };
    let (site, mut diags) = pipeline::load_site(&opts)?;
    diags.extend(check::check(&site, &check::CheckOptions::new(today)));
    diags.retain(|d| d.path == rel);
    diags.sort();
    Ok(diags)
}
