//! Each output file of a render, made anew or reused from the render cache.
//!
//! Takes: the [`Theme`], the kept pages (read only) and, for each file, its [`Key`] and how to
//! make it. Gives: the files in the order asked, the pages made anew (for
//! `RenderCache::keep_pages`), and the template problems, each reported once however many pages
//! hit it.

use std::collections::BTreeSet;

use super::OutputFile;
use super::cache::{Key, Made};
use crate::diag::Diagnostics;
use crate::memo::Memo;
use crate::output::SharedBytes;
use crate::theme::Theme;

pub(super) struct Reuse<'a> {
    theme: &'a Theme,
    /// Kept pages, by output path.
    kept: &'a Memo<Key, SharedBytes>,
    files: Vec<OutputFile>,
    made: Vec<Made>,
    diags: Diagnostics,
    /// One report per distinct template problem, however many pages hit it.
    seen: BTreeSet<(String, usize, usize, String)>,
}

impl<'a> Reuse<'a> {
    pub(super) fn new(theme: &'a Theme, kept: &'a Memo<Key, SharedBytes>) -> Self {
        Reuse {
            theme,
            kept,
            files: Vec::new(),
            made: Vec::new(),
            diags: Diagnostics::new(),
            seen: BTreeSet::new(),
        }
    }

    /// Renders `template` into `out` with the context `ctx` makes, unless a page made from the
    /// same `key` is kept.
    pub(super) fn page(
        &mut self,
        template: &str,
        out: &str,
        key: Key,
        ctx: impl FnOnce() -> tera::Context,
    ) {
        if self.reuse(out, &key) {
            return;
        }
        match self.theme.render(template, &ctx(), out) {
            Ok(html) => self.output(out, key, html),
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
        self.output(out, key, text());
    }

    /// Whether a template failed.
    pub(super) fn failed(&self) -> bool {
        !self.diags.is_empty()
    }

    /// The files, the pages made anew, and the template problems (sorted).
    pub(super) fn finish(self) -> (Vec<OutputFile>, Vec<Made>, Diagnostics) {
        let mut diags = self.diags;
        diags.sort();
        (self.files, self.made, diags)
    }

    /// Outputs the kept `out` if it was made from `key`.
    fn reuse(&mut self, out: &str, key: &Key) -> bool {
        match self.kept.get(out, key) {
            Some(bytes) => {
                self.files.push(OutputFile {
                    path: out.to_string(),
                    bytes: bytes.clone(),
                });
                true
            }
            None => false,
        }
    }

    fn output(&mut self, out: &str, key: Key, text: String) {
        let file = OutputFile::text(out, text);
        self.made.push(Made {
            path: out.to_string(),
            key,
            bytes: file.bytes.clone(),
        });
        self.files.push(file);
    }
}
