//! The `mcpsite` binary: parse the command line, run the command, print, exit.
//!
//! Exit status: 0 ok, 1 content errors (diagnostics were printed), 2 failure (I/O, a bad flag).
//! Operational errors are printed once here with their whole cause chain.

use std::io::Write as _;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use mcpsite::cli::{Cli, Command, MeetingsArgs, MeetingsFormat, Resolved, SiteArgs};
use mcpsite::diag::{CONTINUATION, Diagnostics, Format, text_safe};
use mcpsite::pipeline;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // The chain may hold paths and values from the input: no line may start with them.
            let text = format!("{e:#}");
            eprintln!("error: {}", text_safe(&text, Some(CONTINUATION)));
            ExitCode::from(2)
        }
    }
}

/// Prints diagnostics: text to standard error, machine formats to standard output.
fn print_diagnostics(d: &Diagnostics, format: Format) {
    if d.is_empty() && format == Format::Text {
        return;
    }
    let text = d.render(format);
    match format {
        Format::Text => {
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
        Format::Json | Format::Github => {
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => {
            let opts = match args
                .site
                .resolve(&args.output_dir, args.base_url.as_deref())?
            {
                Resolved::Ready(o) => o,
                Resolved::ConfigErrors(d) => {
                    print_diagnostics(&d, args.site.format);
                    return Ok(ExitCode::from(1));
                }
            };
            let outcome = pipeline::build_and_write(&opts)?;
            print_diagnostics(&outcome.diagnostics, args.site.format);
            match &outcome.output {
                Some(out) => {
                    let groups = outcome.site.as_ref().map_or(0, |s| s.groups.len());
                    eprintln!(
                        "built {groups} groups into {} ({} files)",
                        opts.output_dir.display(),
                        out.len()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    eprintln!(
                        "build failed; {} was left untouched",
                        opts.output_dir.display()
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
        #[cfg(feature = "serve")]
        Command::Serve(args) => mcpsite::serve::run(&args),
        Command::Check(args) => Ok(ExitCode::from(mcpsite::check::command(&args)?)),
        Command::New(args) => Ok(ExitCode::from(mcpsite::scaffold::command(&args)?)),
        Command::Meetings(args) => meetings(&args),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "mcpsite", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn meetings(args: &MeetingsArgs) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    let site_args = SiteArgs {
        root: args.root.clone(),
        drafts: args.drafts,
        today: args.today,
        format: Format::Text,
    };
    let opts = match site_args.resolve(std::path::Path::new("public"), None)? {
        Resolved::Ready(o) => o,
        Resolved::ConfigErrors(d) => {
            print_diagnostics(&d, Format::Text);
            return Ok(ExitCode::from(1));
        }
    };
    let (site, diags) = pipeline::load_site(&opts)?;
    if diags.has_errors() {
        print_diagnostics(&diags, Format::Text);
        return Ok(ExitCode::from(1));
    }
    let tz = match &args.tz {
        Some(name) => jiff::tz::TimeZone::get(name).with_context(|| {
            format!("--tz `{name}` is not an IANA time zone (e.g. Europe/Berlin)")
        })?,
        None => jiff::tz::TimeZone::system(),
    };
    let from = args.from.unwrap_or(site.today);
    let to = args
        .to
        .unwrap_or(from.saturating_add(jiff::Span::new().days(27)));
    if to < from {
        anyhow::bail!("--to {to} is before --from {from}");
    }
    let start = from.to_zoned_datetime(tz.clone())?.timestamp();
    let end = to.tomorrow()?.to_zoned_datetime(tz.clone())?.timestamp();
    let groups: Vec<&mcpsite::model::Group> = match &args.group {
        Some(slug) => vec![site.group(slug).with_context(|| {
            format!("--group `{slug}` is not a group (use a slug such as `auth-ig`)")
        })?],
        None => site.groups.iter().collect(),
    };
    let items = mcpsite::agenda::expand(groups, start, end);
    let text = match args.format {
        MeetingsFormat::Text => mcpsite::agenda::render_text(&items, &tz),
        MeetingsFormat::Json => {
            let json: Vec<_> = items.iter().map(|i| i.to_json(&site)).collect();
            let mut s = serde_json::to_string_pretty(&json)?;
            s.push('\n');
            s
        }
    };
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
