//! Each output file of a render, made anew or reused from the render cache.
//!
//! Takes: the [`Theme`], the kept pages (read only), the [`Sink`] the files go to and, for each
//! file, its [`Key`] and how to make it. Gives: each file to the sink as soon as it is made (from
//! the worker that rendered it), and at the end the paths of every file, the pages made anew (for
//! `RenderCache::keep_pages`; with their bytes only when the cache keeps pages, so a plain build
//! drops each page once the sink has it), and the template problems, each reported once however
//! many pages hit it.

use std::collections::BTreeSet;

use anyhow::Context as _;
use rayon::prelude::*;

use super::cache::{Key, Made};
use crate::diag::Diagnostics;
use crate::memo::Memo;
use crate::output::{SharedBytes, Sink};
use crate::theme::{Theme, WriteFailed};

/// The files to make, listed first so that [`Reuse::make`] can make them all at once (the
/// directory and the calendar, the largest, alongside the group pages; `meetings.json`'s parts
/// alongside `groups.json`).
#[derive(Default)]
pub(super) struct Jobs<'a>(Vec<Job<'a>>);

struct Job<'a> {
    out: String,
    key: Key,
    make: Make<'a>,
}

/// How a job's file is made.
enum Make<'a> {
    /// A page: the template rendered with the context the closure makes (or the problems
    /// that kept it from making one).
    Page {
        template: &'a str,
        ctx: Box<MakeContext<'a>>,
    },
    /// A file that is not a template's, as the closure writes it.
    Written(Box<WriteOnce<'a>>),
}

/// Makes one page's template context.
type MakeContext<'a> = dyn FnOnce() -> Result<tera::Context, Diagnostics> + Send + 'a;

/// Writes one file that is not a template's into what it is given.
type WriteOnce<'a> = dyn FnOnce(&mut dyn std::io::Write) -> std::io::Result<()> + Send + 'a;

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
        self.page_unless(template, out, key, move || Ok(ctx()));
    }

    /// [`Jobs::page`] of a page whose context can fail to be made: the page is then not made,
    /// and the problems are the render's.
    pub(super) fn page_unless(
        &mut self,
        template: &'a str,
        out: &str,
        key: Key,
        ctx: impl FnOnce() -> Result<tera::Context, Diagnostics> + Send + 'a,
    ) {
        let ctx = Box::new(ctx);
        self.push(out, key, Make::Page { template, ctx });
    }

    /// Lists the file `out`, which is not a template's: `text` makes it unless a file made from
    /// the same `key` is kept.
    pub(super) fn file(&mut self, out: &str, key: Key, text: impl FnOnce() -> String + Send + 'a) {
        self.written(out, key, move |w| w.write_all(text().as_bytes()));
    }

    /// Lists the file `out`, which is not a template's, as `write` writes it unless a file made
    /// from the same `key` is kept: for a cache that keeps no pages, into the sink as it goes
    /// (a large site's `groups.json` is some hundreds of megabytes, which need not be held whole).
    pub(super) fn written(
        &mut self,
        out: &str,
        key: Key,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()> + Send + 'a,
    ) {
        self.push(out, key, Make::Written(Box::new(write)));
    }

    fn push(&mut self, out: &str, key: Key, make: Make<'a>) {
        let out = out.to_string();
        self.0.push(Job { out, key, make });
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

/// One page of [`Reuse::make`], already given to the sink: kept, or rendered now (with its
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

    /// Makes the files `jobs` lists on every core, each unless a file made from the same key
    /// is kept. Each file goes to the sink from the worker that made it, as soon as it is made;
    /// the paths, the files made and the problems come out in the jobs' order, as if made one
    /// after the other.
    pub(super) fn make(&mut self, jobs: Jobs) {
        let (theme, kept, keeping, sink) = (self.theme, self.kept, self.keeping, self.sink);
        // Each worker gives its file to the sink itself: no file waits for the others.
        let give = |out: &str, bytes: SharedBytes| -> anyhow::Result<Option<SharedBytes>> {
            sink.put(out, bytes.clone())?;
            Ok(keeping.then_some(bytes))
        };
        // Files differ a hundredfold in work (a day of the agenda against a group's page), and
        // rayon otherwise hands each core long runs of them: one core was left with the agenda's
        // pages at the end. One file per task lets an idle core take any file still waiting.
        let done: Vec<(String, Key, anyhow::Result<Page>)> = jobs
            .0
            .into_par_iter()
            .with_max_len(1)
            .map(|job| {
                let page = match (kept.get(&job.out, &job.key), job.make) {
                    (Some(bytes), _) => give(&job.out, bytes.clone()).map(|_| Page::Kept),
                    (None, Make::Written(write)) if !keeping => {
                        let mut write = Some(write);
                        let once = &mut |w: &mut dyn std::io::Write| match write.take() {
                            Some(write) => write(w),
                            None => Err(std::io::Error::other("a file is written once")),
                        };
                        sink.put_written(&job.out, once)
                            .map(|()| Page::Made(Ok(None)))
                    }
                    (None, Make::Written(write)) => {
                        let mut bytes = Vec::new();
                        write(&mut bytes)
                            .with_context(|| format!("making {}", job.out))
                            .and_then(|()| give(&job.out, SharedBytes::new(bytes)))
                            .map(|b| Page::Made(Ok(b)))
                    }
                    (None, Make::Page { template, ctx }) => match ctx() {
                        Err(d) => Ok(Page::Made(Err(d))),
                        Ok(ctx) if !keeping => written(theme, sink, template, &job.out, ctx),
                        Ok(ctx) => match theme.render(template, &ctx, &job.out) {
                            Ok(html) => give(&job.out, SharedBytes::new(html.into_bytes()))
                                .map(|b| Page::Made(Ok(b))),
                            Err(d) => Ok(Page::Made(Err(d))),
                        },
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
}
