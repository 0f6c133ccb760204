//! The output rules, run on each built file as it is made, so that `check` never holds the
//! built site: at 100,000 groups it is some 5 GB.
//!
//! Takes: every built file, one by one, through [`output::Sink`] (the build streams into an
//! [`Inspect`] as `mcpsite build` streams into its staging folder). Gives: once the build is
//! done, [`Inspect::finish`] reports the output rules' findings: `link-broken` and
//! `link-fragment-missing` ([`super::links`]), `feed-invalid` and `feed-lint`, and with
//! `--previous` the comparison of `calendar.ics` with the earlier feed ([`super::feeds`]).
//!
//! Of each file it keeps only what those rules read once every file is made: its path (a link
//! may name it), an HTML page's ids and its links to other files ([`PageLinks`]), a feed's
//! findings (nothing for a feed without any), and the aggregate feed's events when `--previous`
//! compares them. Told that only the pages that list the cards are left
//! (`Sink::last_pages_next`), it checks the links to the files made so far and keeps only the
//! others ([`links::settle_links`]).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, bail};

use super::Sink;
use super::feeds::{self, AGGREGATE, Feed, FeedFindings};
use super::links::{self, PageLinks, PageWriter, Strings};
use crate::output::{self, Claims, SharedBytes, WriteFile};

/// Reads each built file as it comes and keeps what the output rules need of it.
pub struct Inspect<'a> {
    base_url: Option<&'a str>,
    previous: Option<&'a Feed>,
    files: Claims,
    kept: Mutex<Kept>,
    /// The pages' ids and links, each string once.
    strings: Mutex<Strings>,
}

/// What the output rules need of the files read so far, by path.
#[derive(Default)]
struct Kept {
    pages: BTreeMap<Box<str>, PageLinks>,
    /// The feeds that do not parse or have lint findings.
    feeds: BTreeMap<Box<str>, FeedFindings>,
    /// The built `calendar.ics`, parsed (`None` when it does not parse), when `--previous`
    /// compares it.
    aggregate: Option<Option<Feed>>,
}

/// What one file gives the output rules.
enum Read {
    Page(PageLinks),
    Feed(FeedFindings, Option<Option<Feed>>),
    Nothing,
}

impl<'a> Inspect<'a> {
    /// Checks links against `base_url` (a link to it is a link into the site; `None`: none
    /// is), and compares the aggregate feed with `previous`, when given.
    pub fn new(base_url: Option<&'a str>, previous: Option<&'a Feed>) -> Self {
        Inspect {
            base_url,
            previous,
            files: Claims::default(),
            kept: Mutex::default(),
            strings: Mutex::default(),
        }
    }

    /// Reports every finding of the output rules on the files read, in path order. An error
    /// when `--previous` was asked for and the build made no `calendar.ics`.
    pub fn finish(self, sink: &mut Sink) -> anyhow::Result<()> {
        let files = self.files.into_paths();
        let kept = self.kept.into_inner().unwrap_or_else(|e| e.into_inner());
        let strings = self.strings.into_inner().unwrap_or_else(|e| e.into_inner());
        links::check_links(&kept.pages, &strings, &files, self.base_url, sink);
        for (path, found) in kept.feeds {
            feeds::report_feed(&path, found, sink);
        }
        if let Some(previous) = self.previous {
            match kept.aggregate {
                None => bail!("--previous: the built site has no /{AGGREGATE} to compare with"),
                Some(Some(new)) => feeds::compare_previous(previous, &new, sink),
                // Already reported as feed-invalid.
                Some(None) => {}
            }
        }
        Ok(())
    }

    /// What the output rules need of the file at `path`.
    fn read(&self, path: &str, bytes: &[u8]) -> Read {
        if links::is_html(path) {
            let html = String::from_utf8_lossy(bytes);
            return Read::Page(PageLinks::read(path, &html, self.base_url, &self.strings));
        }
        if path.ends_with(".ics") {
            let compared = self.previous.is_some() && path == AGGREGATE;
            let (found, feed) = feeds::feed_findings(bytes, compared);
            let aggregate = compared.then_some(feed);
            return Read::Feed(found, aggregate);
        }
        Read::Nothing
    }

    /// Keeps what was read of the file at `path`.
    fn keep(&self, path: &str, read: Read) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        match read {
            Read::Page(page) => {
                kept.pages.insert(path.into(), page);
            }
            Read::Feed(found, aggregate) => {
                // Most feeds have nothing to report: at 100,000 groups their entries were
                // some 10 MB.
                if !matches!(&found, Ok(f) if f.is_empty()) {
                    kept.feeds.insert(path.into(), found);
                }
                if aggregate.is_some() {
                    kept.aggregate = aggregate;
                }
            }
            Read::Nothing => {}
        }
    }
}

impl output::Sink for Inspect<'_> {
    fn put(&self, path: &str, bytes: SharedBytes) -> anyhow::Result<()> {
        self.files.claim(path)?;
        // Read outside the lock: the workers that render pages read theirs side by side.
        let read = self.read(path, &bytes);
        drop(bytes);
        self.keep(path, read);
        Ok(())
    }

    fn put_written(&self, path: &str, write: &mut WriteFile) -> anyhow::Result<()> {
        if path.ends_with(".ics") {
            let mut bytes = Vec::new();
            write(&mut bytes).with_context(|| format!("making {path}"))?;
            return self.put(path, Arc::new(bytes));
        }
        self.files.claim(path)?;
        if !links::is_html(path) {
            // Made all the same (a template's problem is reported), but never held: the data
            // files of a large site are hundreds of megabytes, and no rule reads them.
            return write(&mut std::io::sink()).with_context(|| format!("making {path}"));
        }
        // Read as it is written: the directory of a large site is never held whole either.
        let mut page = PageWriter::new(path, self.base_url);
        write(&mut page).with_context(|| format!("making {path}"))?;
        self.keep(path, Read::Page(page.finish(&self.strings)));
        Ok(())
    }

    /// Checks the links to the files made so far ([`links::settle_links`]).
    fn last_pages_next(&self) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let mut strings = self.strings.lock().unwrap_or_else(|e| e.into_inner());
        let pages = &mut kept.pages;
        (self.files).read(|made| links::settle_links(pages, &mut strings, made, self.base_url));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Sink as _;
    use std::collections::BTreeSet;

    const FEED: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260522T100000Z\r\nDURATION:PT1H\r\nSUMMARY:A\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    fn put(inspect: &Inspect, path: &str, text: &str) -> anyhow::Result<()> {
        inspect.put(path, Arc::new(text.as_bytes().to_vec()))
    }

    /// The findings `inspect` reports: rule, path and message.
    fn findings(inspect: Inspect) -> Vec<(String, String, String)> {
        let skip = BTreeSet::new();
        let mut sink = Sink::new(&skip);
        inspect.finish(&mut sink).unwrap();
        let mut d = sink.finish();
        d.sort();
        (d.into_vec().into_iter())
            .map(|d| (d.rule, d.path, d.message))
            .collect()
    }

    /// A link is checked against every file of the build, made before or after its page; the
    /// pages' ids and the feeds are read as they come.
    #[test]
    fn links_reach_files_made_later_and_feeds_are_read() {
        let inspect = Inspect::new(Some("https://x.org"), None);
        let index = "<a href=\"/groups/a/#people\">a</a> <a href=\"https://x.org/calendar.ics\">c</a> <a href=\"/groups/b/\">b</a> <a href=\"groups/a/#nope\">n</a>";
        put(&inspect, "index.html", index).unwrap();
        put(&inspect, "groups/a/index.html", "<h2 id=\"people\">P</h2>").unwrap();
        put(&inspect, "calendar.ics", FEED).unwrap();
        put(&inspect, "groups/a/calendar.ics", "hello").unwrap();
        let found = findings(inspect);
        let mut rules: Vec<(&str, &str)> = (found.iter())
            .map(|(rule, path, _)| (rule.as_str(), path.as_str()))
            .collect();
        rules.dedup();
        // The small feed lacks what the checklist asks of a published one.
        assert_eq!(
            rules,
            [
                ("feed-lint", "calendar.ics"),
                ("feed-invalid", "groups/a/calendar.ics"),
                ("link-broken", "index.html"),
                ("link-fragment-missing", "index.html"),
            ],
            "{found:?}"
        );
        let n = found.len();
        assert!(found[n - 2].2.contains("/groups/b/"), "{found:?}");
        assert!(found[n - 1].2.contains("id=\"nope\""), "{found:?}");
    }

    /// Links checked before the last pages come (those that list the cards) come to what they
    /// come to when every link is checked at the end: links to files made before and after
    /// them, to fragments of either, and to files never made, from pages made before and after.
    /// A page made early keeps its ids, numbered anew, for the last pages' links: `groups/b`'s,
    /// read first, are numbered after `groups/a`'s links once numbered anew.
    #[test]
    fn links_checked_before_the_last_pages_come_to_the_same() {
        let first = [
            (
                "groups/b/index.html",
                "<h2 id=\"meetings\">M</h2><p id=\"alpha\" name=\"beta\"><a name=\"gamma\" id=\"people\"></a><a href=\"/groups/a/#people\">a</a><a href=\"/groups/a/#x\">x</a><a href=\"/wg/\">wg</a>",
            ),
            (
                "groups/a/index.html",
                "<h2 id=\"people\">P</h2><a href=\"/groups/b/#meetings\">b</a> <a href=\"/groups/b/#gone\">g</a>\n<a href=\"/\">home</a> <a href=\"/#directory\">d</a> <a href=\"/#nope\">n</a> <a href=\"/ig/\">ig</a> <a href=\"/missing/\">m</a> <a href=\"/style.css\">s</a> <a href=\"#people\">p</a> <a href=\"#own-gone\">o</a>",
            ),
            ("style.css", "p {}"),
        ];
        let last = [
            (
                "index.html",
                "<main id=\"directory\"><a href=\"/groups/a/#people\">a</a> <a href=\"/groups/b/#gone\">g</a> <a href=\"/ig/#top\">t</a> <a href=\"/nowhere/\">n</a> <a href=\"/groups/b/#people\">p</a></main>",
            ),
            ("ig/index.html", "<h1 id=\"top\">IG</h1>"),
        ];
        let checked = |settle: bool| {
            let inspect = Inspect::new(None, None);
            for (path, text) in first {
                put(&inspect, path, text).unwrap();
            }
            if settle {
                inspect.last_pages_next();
            }
            for (path, text) in last {
                put(&inspect, path, text).unwrap();
            }
            findings(inspect)
        };
        let at_the_end = checked(false);
        let wrong: Vec<(&str, &str)> = (at_the_end.iter())
            .map(|(_, path, message)| (path.as_str(), message.split(' ').next().unwrap_or("")))
            .collect();
        assert_eq!(
            wrong,
            [
                ("groups/a/index.html", "`/groups/b/#gone`:"),
                ("groups/a/index.html", "`/#nope`:"),
                ("groups/a/index.html", "`/missing/`"),
                ("groups/a/index.html", "`#own-gone`:"),
                ("groups/b/index.html", "`/groups/a/#x`:"),
                ("groups/b/index.html", "`/wg/`"),
                ("index.html", "`/groups/b/#gone`:"),
                ("index.html", "`/nowhere/`"),
            ],
            "{at_the_end:#?}"
        );
        assert_eq!(checked(true), at_the_end);
    }

    #[test]
    fn a_second_file_at_one_path_is_refused() {
        let inspect = Inspect::new(None, None);
        put(&inspect, "a/index.html", "<p>").unwrap();
        let e = put(&inspect, "a/index.html", "<p>").unwrap_err();
        assert!(e.to_string().contains("two outputs"), "{e}");
        assert!(put(&inspect, "../x.html", "").is_err());
    }

    /// A feed with nothing to report keeps no entry; one with findings does.
    #[test]
    fn only_feeds_with_findings_are_kept() {
        let clean = crate::ical::write_feed_parts("N", "D", 12, &[]);
        assert_eq!(crate::ical::lint_feed(&clean), Vec::<String>::new());
        let inspect = Inspect::new(None, None);
        put(&inspect, "groups/a/calendar.ics", &clean).unwrap();
        put(&inspect, "groups/b/calendar.ics", FEED).unwrap();
        put(&inspect, "groups/c/calendar.ics", "hello").unwrap();
        let kept = inspect.kept.lock().unwrap();
        let paths: Vec<&str> = kept.feeds.keys().map(|p| &**p).collect();
        assert_eq!(paths, ["groups/b/calendar.ics", "groups/c/calendar.ics"]);
    }

    /// `--previous` compares the built aggregate feed; a build without one cannot be compared.
    #[test]
    fn previous_is_compared_with_the_aggregate_feed() {
        let changed = FEED.replace("SUMMARY:A\r\n", "SUMMARY:A\r\nSTATUS:CANCELLED\r\n");
        let previous = feeds::parse_feed(&changed).unwrap();
        let inspect = Inspect::new(None, Some(&previous));
        put(&inspect, "calendar.ics", FEED).unwrap();
        let mut found = findings(inspect);
        found.retain(|(rule, _, _)| rule != "feed-lint");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "feed-sequence-not-raised");

        let inspect = Inspect::new(None, Some(&previous));
        put(&inspect, "groups/a/calendar.ics", FEED).unwrap();
        let skip = BTreeSet::new();
        let e = inspect.finish(&mut Sink::new(&skip)).unwrap_err();
        assert!(e.to_string().contains("has no /calendar.ics"), "{e}");
    }
}
