//! Site settings and the resolved options of one run.
//!
//! Takes: `mcpsite.toml` at the site root and the command-line overrides. Gives: [`SiteConfig`]
//! (what the file says, unknown keys rejected) and [`BuildOptions`] (what a build actually uses:
//! root, output directory, base URL, "today").
//!
//! The governance numbers live here, not in code, because the community revises them: the
//! governance text's 72-hour vote, one month of WG inactivity, and which kinds of notes link
//! count (`docs/check-findings.md` lists the rules that use each number).

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Diagnostics, LineIndex, Pos};

/// The settings file's name, at the site root.
pub const CONFIG_FILE: &str = "mcpsite.toml";

/// `mcpsite.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's title.
    pub title: String,
    /// Absolute `https://` URL the site is published at, without trailing slash.
    pub base_url: String,
    /// The site's description.
    #[serde(default)]
    pub description: String,
    /// Theme name: `default` (embedded) or a folder under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Language of the pages (`lang` attribute).
    #[serde(default = "default_language")]
    pub language: String,
    /// `[community]`: the community's Discord, governance text and calendar.
    #[serde(default)]
    pub community: Community,
    /// `[governance]`: the numbers the governance rules use.
    #[serde(default)]
    pub governance: Governance,
    /// `[calendar]`: settings of the calendar feeds.
    #[serde(default)]
    pub calendar: CalendarSettings,
    /// `[health]`: settings of the health page.
    #[serde(default)]
    pub health: HealthSettings,
    /// The largest page (group or home) built, in bytes; a bigger one is an error
    /// (`content-too-large`), which keeps a build's memory bounded.
    #[serde(default = "default_max_page_bytes")]
    pub max_page_bytes: usize,
}

/// The default `max_page_bytes`.
pub const DEFAULT_MAX_PAGE_BYTES: usize = 1_000_000;

fn default_max_page_bytes() -> usize {
    DEFAULT_MAX_PAGE_BYTES
}

fn default_theme() -> String {
    "default".into()
}

fn default_language() -> String {
    "en".into()
}

/// Facts about the community shared by every group.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Community {
    /// The Discord server ("guild") id, for channel links.
    pub discord_guild_id: String,
    /// The community Discord's invite link.
    pub discord_invite: String,
    /// The channel where groups are proposed.
    pub creation_channel: String,
    /// The community calendar the governance text points to.
    pub calendar_base: String,
    /// Where the governance text lives.
    pub governance_url: String,
}

impl Default for Community {
    fn default() -> Self {
        Community {
            discord_guild_id: "1358869848138059966".into(),
            discord_invite: "https://discord.gg/6CSzBmMkjX".into(),
            creation_channel: "wg-ig-group-creation".into(),
            calendar_base: "https://meet.modelcontextprotocol.io".into(),
            governance_url: "https://modelcontextprotocol.io/community/working-interest-groups"
                .into(),
        }
    }
}

/// The numbers in the governance text, with its defaults.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Governance {
    /// Length of the moderators' approval vote.
    pub vote_hours: u32,
    /// A WG with no active Issue/PR for this long is a retirement candidate ("a month or more").
    pub wg_inactive_days: u32,
    /// An IG with no recorded activity for this long is flagged for moderators (info only).
    pub ig_inactive_days: u32,
    /// Notes are due this long after a meeting ends.
    pub notes_grace_hours: u32,
    /// Meetings should be announced this many days ahead (SEP-2149 profile; 0 turns it off).
    pub announce_days: u32,
    /// A proposal still open this many days after it was filed is stale.
    pub proposal_stale_days: u32,
    /// Kinds of notes link that satisfy the notes rule. The governance text allows a GitHub
    /// issue or a public Google Doc.
    pub notes_kinds_ok: Vec<String>,
    /// Repositories a maintenance WG may maintain besides any in `modelcontextprotocol/`.
    pub maintenance_projects: Vec<String>,
}

impl Default for Governance {
    fn default() -> Self {
        Governance {
            vote_hours: 72,
            wg_inactive_days: 30,
            ig_inactive_days: 90,
            notes_grace_hours: 48,
            announce_days: 0,
            proposal_stale_days: 14,
            notes_kinds_ok: vec!["github-issue".into(), "gdoc".into()],
            maintenance_projects: vec![],
        }
    }
}

/// Calendar feed and agenda settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CalendarSettings {
    /// How often clients should re-fetch, in hours (REFRESH-INTERVAL, X-PUBLISHED-TTL).
    pub refresh_hours: u32,
    /// How far ahead `/meetings.json` and the agenda expand occurrences.
    pub horizon_days: u32,
    /// How many upcoming meetings a group page lists.
    pub upcoming_per_group: usize,
    /// How far ahead pages carry the meetings their script shows by the reader's clock, so they
    /// stay right this long without a rebuild.
    pub future_days: u32,
}

impl Default for CalendarSettings {
    fn default() -> Self {
        CalendarSettings {
            refresh_hours: 12,
            horizon_days: 90,
            upcoming_per_group: 6,
            future_days: 365,
        }
    }
}

/// `[health]`: the community health page (`/health/`, `/health.json`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HealthSettings {
    /// How many days back "meetings held" and "notes coverage" look, ending today.
    pub window_days: u32,
    /// The most groups one page of `/health/` and one part of `/health.json` hold: past it, the
    /// groups go on to `/health/2/` and `/health/groups-2.json`, and so on, so no file grows
    /// with the number of groups (a row with its strip is about 6 kB).
    pub rows_per_page: NonZeroUsize,
}

/// The default `[health] rows_per_page`: about 600 kB of HTML per page.
pub const DEFAULT_HEALTH_ROWS_PER_PAGE: NonZeroUsize = NonZeroUsize::new(100).unwrap();

impl Default for HealthSettings {
    fn default() -> Self {
        HealthSettings {
            window_days: 90,
            rows_per_page: DEFAULT_HEALTH_ROWS_PER_PAGE,
        }
    }
}

impl SiteConfig {
    /// Reads and checks `mcpsite.toml`. Syntax and unknown keys are content diagnostics; a missing
    /// file is an operational error.
    pub fn load(root: &Path) -> anyhow::Result<Result<SiteConfig, Diagnostics>> {
        let path = root.join(CONFIG_FILE);
        let bytes = crate::regular_file::read(&path).with_context(|| {
            format!(
                "reading {} (is {} a site root?)",
                path.display(),
                root.display()
            )
        })?;
        Ok(Self::parse(&bytes))
    }

    /// Parses the settings text; errors are located in `mcpsite.toml`.
    pub fn parse(bytes: &[u8]) -> Result<SiteConfig, Diagnostics> {
        let mut diags = Diagnostics::new();
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        "config-parse",
                        CONFIG_FILE,
                        Pos { line: 1, col: 1 },
                        format!("not UTF-8 ({e})"),
                    )
                    .with_help("save the file as UTF-8"),
                );
                return Err(diags);
            }
        };
        match toml::from_str::<SiteConfig>(text) {
            Ok(cfg) => {
                let mut cfg = cfg;
                cfg.base_url = cfg.base_url.trim_end_matches('/').to_string();
                if let Err(msg) = check_base_url(&cfg.base_url) {
                    diags.push(
                        Diagnostic::error("config-base-url", CONFIG_FILE, Pos { line: 1, col: 1 }, msg)
                            .with_help("write the published address, e.g. base_url = \"https://groups.example.org\""),
                    );
                    return Err(diags);
                }
                Ok(cfg)
            }
            Err(e) => {
                let idx = LineIndex::new(text);
                let pos = e
                    .span()
                    .map(|s| idx.pos(text, s.start))
                    .unwrap_or(Pos { line: 1, col: 1 });
                let (_, message, help) = crate::hints::classify_toml_error(&e);
                diags.push(
                    Diagnostic::error("config-parse", CONFIG_FILE, pos, message).with_help(help),
                );
                Err(diags)
            }
        }
    }
}

/// A base URL must be absolute http(s) so feeds and sitemaps carry absolute links.
pub fn check_base_url(url: &str) -> Result<(), String> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!("base URL `{url}` is not an absolute http(s) URL"));
    }
    if url.contains(char::is_whitespace) {
        return Err(format!("base URL `{url}` contains white space"));
    }
    Ok(())
}

/// What one build run uses, resolved once from the settings file and the command line.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder holding `mcpsite.toml`, `content/` and `themes/`.
    pub root: PathBuf,
    /// Where the site is written.
    pub output_dir: PathBuf,
    /// The settings, with command-line overrides applied.
    pub config: SiteConfig,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// "Today" for upcoming lists and time-based rules (never the clock inside a stage).
    pub today: jiff::civil::Date,
}

/// Where "today" comes from: `--today`, then `SOURCE_DATE_EPOCH`, then the clock (UTC).
pub fn resolve_today(flag: Option<jiff::civil::Date>) -> anyhow::Result<jiff::civil::Date> {
    let today = resolve_today_unchecked(flag)?;
    let years = crate::schema::MEETING_YEARS;
    if !years.contains(&today.year()) {
        bail!(
            "today ({today}) must be in the years {}–{}",
            years.start(),
            years.end()
        );
    }
    Ok(today)
}

fn resolve_today_unchecked(flag: Option<jiff::civil::Date>) -> anyhow::Result<jiff::civil::Date> {
    if let Some(d) = flag {
        return Ok(d);
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .with_context(|| format!("SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"))?;
        let ts = jiff::Timestamp::from_second(secs)
            .with_context(|| format!("SOURCE_DATE_EPOCH `{epoch}` is out of range"))?;
        return Ok(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
    }
    Ok(jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date())
}

/// What a command asks of one run before `mcpsite.toml` is read: which site, whether drafts
/// count, which day it is, and (for `build`) another published address.
#[derive(Debug, Clone)]
pub struct SiteRequest {
    /// The folder holding `mcpsite.toml`, `content/` and `themes/`.
    pub root: PathBuf,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// `None`: see [`resolve_today`].
    pub today: Option<jiff::civil::Date>,
    /// Replaces `base_url` of `mcpsite.toml` (e.g. a deploy preview's address).
    pub base_url: Option<String>,
}

impl SiteRequest {
    /// Reads `mcpsite.toml` and resolves "today": the options of a run writing to `output_dir`
    /// (relative to the current directory, like every other path argument). `Ok(Err(_))` holds
    /// the content errors of `mcpsite.toml`.
    pub fn resolve(&self, output_dir: &Path) -> anyhow::Result<Result<BuildOptions, Diagnostics>> {
        let mut config = match SiteConfig::load(&self.root)? {
            Ok(c) => c,
            Err(d) => return Ok(Err(d)),
        };
        if let Some(url) = &self.base_url {
            let url = url.trim_end_matches('/');
            check_base_url(url)
                .map_err(anyhow::Error::msg)
                .context("--base-url")?;
            config.base_url = url.to_string();
        }
        let today = resolve_today(self.today)?;
        Ok(Ok(BuildOptions {
            root: self.root.clone(),
            output_dir: output_dir.to_path_buf(),
            config,
            drafts: self.drafts,
            today,
        }))
    }
}

/// Refuses output directories that would overwrite the sources: `.`, the root, `content/`,
/// `themes/`, or any of their ancestors.
pub fn check_output_dir(root: &Path, out: &Path) -> anyhow::Result<()> {
    let root_abs = absolutize(root)?;
    let out_abs = absolutize(out)?;
    let cwd = absolutize(Path::new("."))?;
    let protected = [
        root_abs.clone(),
        root_abs.join("content"),
        root_abs.join("themes"),
        root_abs.join(CONFIG_FILE),
        cwd,
    ];
    for p in &protected {
        if p.starts_with(&out_abs) {
            bail!(
                "refusing to write the site to {}: it is or contains {}, which a build would replace; \
                 choose a separate folder such as `public`",
                out.display(),
                p.display()
            );
        }
    }
    if out_abs.starts_with(root_abs.join("content")) || out_abs.starts_with(root_abs.join("themes"))
    {
        bail!(
            "refusing to write the site to {}: it is inside the site's sources; choose a separate folder such as `public`",
            out.display()
        );
    }
    Ok(())
}

/// Makes a path absolute and lexically normal (without touching the filesystem for the parts
/// that may not exist yet), resolving symlinks for the part that does.
pub fn absolutize(p: &Path) -> anyhow::Result<PathBuf> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .context("reading the current directory")?
            .join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    // Resolve the longest existing prefix so `a/../b` and symlinked roots compare equal.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => {
                rest.push(name.to_os_string());
                existing.pop();
            }
            None => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for r in rest.iter().rev() {
        resolved.push(r);
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_governance_texts() {
        let cfg = SiteConfig::parse(b"title = \"t\"\nbase_url = \"https://x.org/\"\n").unwrap();
        assert_eq!(cfg.base_url, "https://x.org");
        assert_eq!(cfg.governance.vote_hours, 72);
        assert_eq!(cfg.governance.wg_inactive_days, 30);
        assert_eq!(cfg.governance.notes_kinds_ok, ["github-issue", "gdoc"]);
        assert_eq!(cfg.governance.ig_inactive_days, 90);
        assert_eq!(cfg.health.window_days, 90);
        assert_eq!(cfg.health.rows_per_page.get(), 100);
    }

    #[test]
    fn health_pages_hold_at_least_one_row() {
        let cfg = |n: &str| {
            let text = format!(
                "title = \"t\"\nbase_url = \"https://x.org\"\n[health]\nrows_per_page = {n}\n"
            );
            SiteConfig::parse(text.as_bytes())
        };
        assert_eq!(cfg("7").unwrap().health.rows_per_page.get(), 7);
        let err = cfg("0").unwrap_err();
        assert_eq!(err.iter().next().unwrap().rule, "config-parse");
    }

    #[test]
    fn unknown_health_key_is_an_error() {
        let err = SiteConfig::parse(
            b"title = \"t\"\nbase_url = \"https://x.org\"\n[health]\nwindow = 30\n",
        )
        .unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.rule, "config-parse");
        assert!(d.help.as_deref().unwrap().contains("window_days"), "{d:?}");
    }

    #[test]
    fn unknown_key_is_located() {
        let err = SiteConfig::parse(
            b"title = \"t\"\nbase_url = \"https://x.org\"\n[governance]\nvote_hour = 1\n",
        )
        .unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.rule, "config-parse");
        assert_eq!(d.pos, Pos { line: 4, col: 1 });
        assert!(d.help.as_deref().unwrap().contains("vote_hours"), "{d:?}");
    }
}
