//! What the server shows after each build attempt, and what the terminal says about it.
//!
//! Takes: an [`Attempt`] from the builder and how long it took. Gives: a [`Snapshot`] (the last
//! good build, the attempt's errors, and the JSON `/__mcpsite/poll` answers with), after
//! printing the attempt's diagnostics and a one-line outcome on the terminal.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::builder::Attempt;
use super::site;
use crate::diag::{Diagnostic, Diagnostics, Format, Pos, PrintTo, Severity};
use crate::output::Output;

/// What the server shows: the last good build and the last attempt's errors.
#[derive(Debug)]
pub(super) struct Snapshot {
    /// Changes with every published attempt; unique to this process (`<epoch>-<n>`).
    pub(super) seq: String,
    pub(super) build: Option<Arc<Served>>,
    pub(super) errors: Vec<Diagnostic>,
    /// `{"seq", "build", "errors"}` for `/__mcpsite/poll`.
    pub(super) json: String,
}

/// A good build being served.
#[derive(Debug)]
pub(super) struct Served {
    /// Changes with every good build; the reload hook in each page carries it.
    pub(super) id: String,
    pub(super) site: site::Site,
}

/// Numbers the attempts, prints their outcome and makes [`Snapshot`]s.
pub(super) struct Publisher {
    epoch: String,
    seq: u64,
    builds: u64,
    format: Format,
    last: Option<Arc<Served>>,
    last_warnings: Option<Diagnostics>,
}

impl Publisher {
    /// A publisher whose ids start with `epoch` (see [`epoch`]).
    pub(super) fn new(epoch: String, format: Format) -> Publisher {
        Publisher {
            epoch,
            seq: 0,
            builds: 0,
            format,
            last: None,
            last_warnings: None,
        }
    }

    /// Publishes `attempt`, which rebuilt after a change to `what` ("" for the first build).
    pub(super) fn publish(
        &mut self,
        attempt: Attempt,
        took: Duration,
        what: &str,
    ) -> Arc<Snapshot> {
        self.seq += 1;
        let prefix = if what.is_empty() {
            String::new()
        } else {
            format!("{what}: ")
        };
        let errors = match attempt {
            Attempt::Built {
                output,
                diagnostics,
                groups,
                netlify,
            } => {
                self.built(output, diagnostics, netlify.as_deref());
                let ms = took.as_secs_f64() * 1000.0;
                let verb = if self.builds == 1 { "built" } else { "rebuilt" };
                eprintln!("{prefix}{verb} {groups} groups in {ms:.0} ms");
                Vec::new()
            }
            Attempt::Failed(diagnostics) => self.failed(diagnostics, &prefix),
        };
        Arc::new(self.snapshot(errors))
    }

    /// Serves a good build from now on.
    fn built(&mut self, output: Output, diagnostics: Diagnostics, netlify: Option<&str>) {
        // Warnings are printed when they change, not again on every save.
        if self.last_warnings.as_ref() != Some(&diagnostics) {
            let _ = diagnostics.print(self.format, PrintTo::Side);
            self.last_warnings = Some(diagnostics);
        }
        self.builds += 1;
        self.last = Some(Arc::new(Served {
            id: format!("{}-{}", self.epoch, self.builds),
            site: site::Site::new(output, netlify),
        }));
    }

    /// Prints a failed attempt and gives the errors to show (never none: a failed build shows
    /// at least that it failed).
    fn failed(&mut self, diagnostics: Diagnostics, prefix: &str) -> Vec<Diagnostic> {
        let _ = diagnostics.print(self.format, PrintTo::Side);
        self.last_warnings = None;
        if self.last.is_some() {
            eprintln!(
                "{prefix}build failed; still serving the last good build (save a fix to recover)"
            );
        } else {
            eprintln!("{prefix}build failed; serving the errors until a build succeeds");
        }
        let mut errors: Vec<Diagnostic> = diagnostics
            .into_vec()
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if errors.is_empty() {
            errors.push(Diagnostic::error(
                "serve-build",
                "",
                Pos::default(),
                "the build failed",
            ));
        }
        errors
    }

    /// The state after this attempt: the last good build with this attempt's `errors`.
    fn snapshot(&self, errors: Vec<Diagnostic>) -> Snapshot {
        #[derive(Serialize)]
        struct Json<'a> {
            seq: &'a str,
            build: Option<&'a str>,
            errors: &'a [Diagnostic],
        }
        let seq = format!("{}-{}", self.epoch, self.seq);
        let build = self.last.clone();
        let json = serde_json::to_string(&Json {
            seq: &seq,
            build: build.as_deref().map(|b| b.id.as_str()),
            errors: &errors,
        })
        .expect("state serializes");
        Snapshot {
            seq,
            build,
            errors,
            json,
        }
    }
}

/// A prefix that makes this process's build ids and sequence numbers differ from an earlier
/// server's, so an open page reloads after a restart.
pub(super) fn epoch() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}", (nanos as u64) ^ u64::from(std::process::id()))
}
