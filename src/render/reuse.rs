//! Each output file of a render, made anew or reused from the render cache.
//!
//! Takes: the [`Theme`], the kept pages (read only), the [`Sink`] the files go to and, for each
//! file, its [`Key`] and how to make it. Gives: each file to the sink as soon as it is made (from
//! the worker that rendered it), and at the end the paths of every file, the pages made anew (for
//! `RenderCache::keep_pages`; with their bytes only when the cache keeps pages, so a plain build
//! drops each page once the sink has it), and the template problems, each reported once however
//! many pages hit it.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::cache::{Key, Made};
use crate::diag::Diagnostics;
use crate::memo::Memo;
use crate::output::{SharedBytes, Sink};
use crate::theme::{Theme, WriteFailed};

/// The pages to render, listed first so that [`Reuse::pages`] can render them all at once (the
/// directory and the calendar, the largest, alongside the group pages).
#[derive(Default)]
pub(super) struct Jobs<'a>(Vec<Job<'a>>);

struct Job<'a> {
    template: &'a str,
    out: String,
    key: Key,
    ctx: Box<dyn FnOnce() -> tera::Context + Send + 'a>,
}

impl<'a> Jobs<'a> {
    /// Lists the page `out`, rendered from `template` with the context `ctx` makes, unless a
    /// page made from the same `key` is kept.
    pub(super) fn page(
        &mut self,
        template: &'a str,
        out: &str,
        key: Key,
        ctx: impl FnOnce() -> tera::Context + Send + 'a,
    ) {
        self.0.push(Job {
            template,
            out: out.to_string(),
            key,
            ctx: Box::new(ctx),
        });
    }
}

/// Renders the page `out` into the sink as it goes, for a cache that keeps no pages: the
/// directory of a large site is some hundreds of megabytes, which need not be held whole.
fn written(
    theme: &Theme,
    sink: &dyn Sink,
    template: &str,
    out: &str,
    ctx: tera::Context,
) -> anyhow::Result<Page> {
    let mut problems = None;
    let put = sink.put_written(
        out,
        &mut |w| match theme.render_to(template, &ctx, out, w) {
            Ok(()) => Ok(()),
            Err(WriteFailed::Io(e)) => Err(e),
            Err(WriteFailed::Template(d)) => {
                problems = Some(d);
                Err(std::io::Error::other("the template failed"))
            }
        },
    );
    match (problems, put) {
        (Some(d), _) => Ok(Page::Made(Err(d))),
        (None, Ok(())) => Ok(Page::Made(Ok(None))),
        (None, Err(e)) => Err(e),
    }
}

/// One page of [`Reuse::pages`], already given to the sink: kept, or rendered now (with its
/// bytes when the cache keeps pages).
enum Page {
    Kept,
    Made(Result<Option<SharedBytes>, Diagnostics>),
}

pub(super) struct Reuse<'a> {
    theme: &'a Theme,
    /// Kept pages, by output path.
    kept: &'a Memo<Key, SharedBytes>,
    /// Whether the cache keeps the pages made (else they are dropped once the sink has them).
    keeping: bool,
    sink: &'a dyn Sink,
    /// Every file's path, in the order given.
    paths: Vec<String>,
    made: Vec<Made>,
    diags: Diagnostics,
    /// The first error of the sink.
    failed_put: Option<anyhow::Error>,
    /// One report per distinct template problem, however many pages hit it.
    seen: BTreeSet<(String, usize, usize, String)>,
}

/// What a render gave: every file's path (in the order given), the pages made anew, and the
/// template problems (sorted).
pub(super) struct Finished {
    pub paths: Vec<String>,
    pub made: Vec<Made>,
    pub diags: Diagnostics,
}

impl<'a> Reuse<'a> {
    /// Gives the files to `sink`, reusing pages from `kept`; `keeping`: whether the cache keeps
    /// the pages made.
    pub(super) fn new(
        theme: &'a Theme,
        kept: &'a Memo<Key, SharedBytes>,
        keeping: bool,
        sink: &'a dyn Sink,
    ) -> Self {
        Reuse {
            theme,
            kept,
            keeping,
            sink,
            paths: Vec::new(),
            made: Vec::new(),
            diags: Diagnostics::new(),
            failed_put: None,
            seen: BTreeSet::new(),
        }
    }

    /// The theme the pages are rendered with.
    pub(super) fn theme(&self) -> &'a Theme {
        self.theme
    }

    /// Whether the cache keeps what the pages are made from for the next render.
    pub(super) fn keeps(&self) -> bool {
        self.keeping
    }

    /// Renders the pages `jobs` lists on every core, each unless a page made from the same key
    /// is kept. Each page goes to the sink from the worker that made it, as soon as it is made;
    /// the paths, the pages made and the problems come out in the jobs' order, as if rendered
    /// one after the other.
    pub(super) fn pages(&mut self, jobs: Jobs) {
        let (theme, kept, keeping, sink) = (self.theme, self.kept, self.keeping, self.sink);
        // Each worker gives its page to the sink itself: no page waits for the others.
        let give = |out: &str, bytes: SharedBytes| -> anyhow::Result<Option<SharedBytes>> {
            sink.put(out, bytes.clone())?;
            Ok(keeping.then_some(bytes))
        };
        // Pages differ a hundredfold in work (a day of the agenda against a group's page), and
        // rayon otherwise hands each core long runs of them: one core was left with the agenda's
        // pages at the end. One page per task lets an idle core take any page still waiting.
        let done: Vec<(String, Key, anyhow::Result<Page>)> = jobs
            .0
            .into_par_iter()
            .with_max_len(1)
            .map(|job| {
                let page = match kept.get(&job.out, &job.key) {
                    Some(bytes) => give(&job.out, bytes.clone()).map(|_| Page::Kept),
                    None if !keeping => written(theme, sink, job.template, &job.out, (job.ctx)()),
                    None => match theme.render(job.template, &(job.ctx)(), &job.out) {
                        Ok(html) => give(&job.out, SharedBytes::new(html.into_bytes()))
                            .map(|b| Page::Made(Ok(b))),
                        Err(d) => Ok(Page::Made(Err(d))),
                    },
                };
                (job.out, job.key, page)
            })
            .collect();
        for (out, key, page) in done {
            match page {
                Ok(Page::Kept) => self.paths.push(out),
                Ok(Page::Made(rendered)) => self.rendered(out, key, rendered),
                Err(e) => {
                    self.failed_put.get_or_insert(e);
                }
            }
        }
    }

    /// Gives `text`, just made for `out`, to the sink: its bytes when the cache keeps them.
    fn give(&mut self, out: &str, text: String) -> Option<SharedBytes> {
        let bytes = SharedBytes::new(text.into_bytes());
        match self.sink.put(out, bytes.clone()) {
            Ok(()) => self.keeping.then_some(bytes),
            Err(e) => {
                self.failed_put.get_or_insert(e);
                None
            }
        }
    }

    /// Records a page just made and given to the sink, or reports its problems.
    fn rendered(
        &mut self,
        out: String,
        key: Key,
        rendered: Result<Option<SharedBytes>, Diagnostics>,
    ) {
        match rendered {
            Ok(bytes) => {
                if let Some(bytes) = bytes {
                    self.made.push(Made {
                        path: out.clone(),
                        key,
                        bytes,
                    });
                }
                self.paths.push(out);
            }
            Err(d) => {
                for d in d.into_vec() {
                    if self
                        .seen
                        .insert((d.path.clone(), d.pos.line, d.pos.col, d.message.clone()))
                    {
                        self.diags.push(d);
                    }
                }
            }
        }
    }

    /// A file that is not a template's: `text` makes it unless one made from `key` is kept.
    pub(super) fn file(&mut self, out: &str, key: Key, text: impl FnOnce() -> String) {
        if self.reuse(out, &key) {
            return;
        }
        let bytes = self.give(out, text());
        self.rendered(out.to_string(), key, Ok(bytes));
    }

    /// A file made from the whole site every time, never kept: given to the sink as it is.
    pub(super) fn put(&mut self, out: &str, bytes: SharedBytes) {
        if let Err(e) = self.sink.put(out, bytes) {
            self.failed_put.get_or_insert(e);
        }
        self.paths.push(out.to_string());
    }

    /// Whether a file was given at `out`.
    pub(super) fn has(&self, out: &str) -> bool {
        self.paths.iter().any(|p| p == out)
    }

    /// Whether a template failed.
    pub(super) fn failed(&self) -> bool {
        !self.diags.is_empty()
    }

    /// Every file's path, the pages made anew, and the template problems (sorted); an error
    /// when the sink failed.
    pub(super) fn finish(self) -> anyhow::Result<Finished> {
        if let Some(e) = self.failed_put {
            return Err(e);
        }
        let mut diags = self.diags;
        diags.sort();
        Ok(Finished {
            paths: self.paths,
            made: self.made,
            diags,
        })
    }

    /// Gives the kept `out` to the sink if it was made from `key`.
    fn reuse(&mut self, out: &str, key: &Key) -> bool {
        match self.kept.get(out, key) {
            Some(bytes) => {
                self.put(out, bytes.clone());
                true
            }
            None => false,
        }
    }
}
