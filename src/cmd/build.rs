//! `mcpsite build`: the site into the output folder.
//!
//! Takes: [`Args`]. Gives: the output folder replaced by a whole new build (only when the build
//! has no errors), the diagnostics printed, and exit status 0, or 1 on content errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args as ClapArgs;
use mcpsite::diag::PrintTo;
use mcpsite::pipeline;

use super::{BuildFlags, SiteArgs};

/// `mcpsite build`'s flags.
#[derive(Debug, ClapArgs, Clone)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) site: SiteArgs<BuildFlags>,
    /// Where to write the site. Never `.`, the root, content/ or themes/.
    #[arg(long, short = 'o', value_name = "DIR", default_value = "public")]
    pub(crate) output_dir: PathBuf,
    /// The published address (e.g. a deploy preview's URL); defaults to `base_url` in mcpsite.toml.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
}

/// Builds, prints the diagnostics and says where the site went (or that nothing was written).
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let format = args.site.flags.diagnostics.format;
    let mut request = args.site.request(args.site.flags.drafts.drafts);
    request.base_url = args.base_url.clone();
    let opts = match request.resolve(&args.output_dir)? {
        Ok(o) => o,
        Err(d) => {
            let _ = d.print(format, PrintTo::Side);
            return Ok(ExitCode::from(1));
        }
    };
    let mut outcome = pipeline::build_and_write(&opts)?;
    let _ = outcome.diagnostics.print(format, PrintTo::Side);
    let out = opts.output_dir.display();
    // The process ends here: freeing a large site one value at a time, on one core, was the
    // last tenth of a second of a 10,000-group build, and the system takes it back at once.
    std::mem::forget(outcome.site.take());
    match &outcome.output {
        Some(written) => {
            let (groups, files) = (written.groups, written.files);
            eprintln!("built {groups} groups into {out} ({files} files)");
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!("build failed; {out} was left untouched");
            Ok(ExitCode::from(1))
        }
    }
}
