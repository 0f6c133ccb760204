//! `mcpsite meetings`: the agenda in the terminal.
//!
//! Takes: [`Args`]. Gives: every meeting of the chosen groups between `--from` and `--to`, in
//! the chosen zone, as text for people or JSON for scripts (`--format`: the listing's form,
//! not the diagnostics'). A site that does not load prints its diagnostics as text on standard
//! error and lists nothing (exit status 1).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args as ClapArgs;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use mcpsite::agenda::{self, AgendaItem};
use mcpsite::diag::{Format, PrintTo};
use mcpsite::model::{Group, Site};
use mcpsite::pipeline;

use super::{Drafts, SiteArgs, unless_reader_left};

/// `mcpsite meetings`'s flags.
#[derive(Debug, ClapArgs, Clone)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) site: SiteArgs<Drafts>,
    /// First day to list (default: today).
    #[arg(long, value_name = "DATE")]
    pub(crate) from: Option<Date>,
    /// Last day to list, inclusive (default: four weeks after --from).
    #[arg(long, value_name = "DATE")]
    pub(crate) to: Option<Date>,
    /// Only this group (its slug, e.g. `auth-ig`).
    #[arg(long, value_name = "SLUG")]
    pub(crate) group: Option<String>,
    /// Show times in this IANA zone (default: the system's zone).
    #[arg(long, value_name = "ZONE")]
    pub(crate) tz: Option<String>,
    /// Text for people, JSON for scripts.
    #[arg(long, value_enum, default_value_t = ListingFormat::Text)]
    pub(crate) format: ListingFormat,
}

/// The form of the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ListingFormat {
    Text,
    Json,
}

/// Loads the site and prints the meetings of the window.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let request = args.site.request(args.site.flags.drafts);
    // Nothing is written: the output folder is never used.
    let opts = match request.resolve(Path::new("public"))? {
        Ok(o) => o,
        Err(d) => {
            let _ = d.print(Format::Text, PrintTo::Side);
            return Ok(ExitCode::from(1));
        }
    };
    let (site, diags) = pipeline::load_site(&opts)?;
    if diags.has_errors() {
        let _ = diags.print(Format::Text, PrintTo::Side);
        return Ok(ExitCode::from(1));
    }
    let tz = zone(args.tz.as_deref())?;
    let (start, end) = window(args, site.today, &tz)?;
    let items = agenda::expand(groups(&site, args.group.as_deref())?, start, end);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = listing(&items, &site, &tz, args.format, &mut out).and_then(|()| out.flush());
    unless_reader_left(written).context("writing the listing")?;
    Ok(ExitCode::SUCCESS)
}

/// `--tz`, or the system's zone.
fn zone(name: Option<&str>) -> anyhow::Result<TimeZone> {
    match name {
        Some(name) => TimeZone::get(name).with_context(|| {
            format!("--tz `{name}` is not an IANA time zone (e.g. Europe/Berlin)")
        }),
        None => Ok(TimeZone::system()),
    }
}

/// The instants from the start of `--from` to the end of `--to`, in `tz`.
fn window(
    args: &Args,
    today: Date,
    tz: &TimeZone,
) -> anyhow::Result<(jiff::Timestamp, jiff::Timestamp)> {
    let from = args.from.unwrap_or(today);
    let to = args
        .to
        .unwrap_or(from.saturating_add(jiff::Span::new().days(27)));
    if to < from {
        anyhow::bail!("--to {to} is before --from {from}");
    }
    let start = from.to_zoned_datetime(tz.clone())?.timestamp();
    let end = to.tomorrow()?.to_zoned_datetime(tz.clone())?.timestamp();
    Ok((start, end))
}

/// `--group`'s group, or every group.
fn groups<'a>(site: &'a Site, slug: Option<&str>) -> anyhow::Result<Vec<&'a Group>> {
    Ok(match slug {
        Some(slug) => vec![site.group(slug).with_context(|| {
            format!("--group `{slug}` is not a group (use a slug such as `auth-ig`)")
        })?],
        None => site.groups.iter().map(|g| &**g).collect(),
    })
}

/// Writes the listing into `w` as it goes: at 100,000 groups the JSON of four weeks is 150 MB,
/// which need not be held whole.
fn listing(
    items: &[AgendaItem<'_>],
    site: &Site,
    tz: &TimeZone,
    format: ListingFormat,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        ListingFormat::Text => agenda::write_text(items, tz, w),
        ListingFormat::Json => {
            let records = Records { items, site };
            serde_json::to_writer_pretty(&mut *w, &records)?;
            w.write_all(b"\n")
        }
    }
}

/// The JSON records of `items`, each made as it is written.
struct Records<'a, 'i> {
    items: &'a [AgendaItem<'i>],
    site: &'a Site,
}

impl serde::Serialize for Records<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter().map(|i| i.to_json(self.site)))
    }
}
