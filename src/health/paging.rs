//! The health page and `/health.json` in parts, so that no file grows with the number of groups.
//!
//! Takes: how many live groups there are and `[health] rows_per_page`. Gives: [`Paging`]: how
//! many pages there are, which groups (by their index in the page's order, most urgent first)
//! each holds, and where each page and JSON part lives. Page `n` of `/health/` and part `n` of
//! `/health.json` hold the same groups: `/health/` and `/health.json` the first ones, then
//! `/health/2/` and `/health/groups-2.json`, and so on. A site whose groups fit one page has
//! `/health/` and `/health.json` alone, as before pages existed.

use std::num::NonZeroUsize;
use std::ops::Range;

use serde::Serialize;

/// How the live groups are split into pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    groups: usize,
    per_page: usize,
}

/// One entry of a page's navigation: a page's number and path, or a gap between numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageLink {
    /// The page's number, from 1; `None` for a gap.
    pub number: Option<usize>,
    /// The page's path (empty for a gap).
    pub path: String,
    /// Whether this is the page being shown.
    pub current: bool,
}

/// The navigation between the pages, as `health.html` gets it (only when there are several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages there are.
    pub count: usize,
    /// The first and last row on this page, counted from 1 over all pages.
    pub first_row: usize,
    /// See `first_row`.
    pub last_row: usize,
    /// The previous page's path, if any.
    pub prev: Option<String>,
    /// The next page's path, if any.
    pub next: Option<String>,
    /// The first page, the last, and those near this one, with gaps between.
    pub links: Vec<PageLink>,
}

/// How many numbered neighbours on each side of the current page the navigation names.
const NEIGHBOURS: usize = 2;

impl Paging {
    /// `groups` live groups, at most `per_page` on each page.
    pub fn new(groups: usize, per_page: NonZeroUsize) -> Self {
        Paging {
            groups,
            per_page: per_page.get(),
        }
    }

    /// How many pages there are: at least one, even without groups.
    pub fn count(&self) -> usize {
        self.groups.div_ceil(self.per_page).max(1)
    }

    /// Whether the groups need more than one page.
    pub fn is_paged(&self) -> bool {
        self.count() > 1
    }

    /// How many retirement candidates the first page lists at most: as many as a page has rows
    /// when there are several pages; all of them on a single page (at most four per group).
    pub fn candidates_listed(&self) -> usize {
        if self.is_paged() {
            self.per_page
        } else {
            usize::MAX
        }
    }

    /// The indices of the groups on page `n` (from 1), in the page's order.
    pub fn rows(&self, n: usize) -> Range<usize> {
        let start = ((n - 1) * self.per_page).min(self.groups);
        start..(start + self.per_page).min(self.groups)
    }

    /// The page (from 1) holding the group at `index`.
    pub fn page_of(&self, index: usize) -> usize {
        index / self.per_page + 1
    }

    /// The site path of page `n`: `/health/`, `/health/2/`, …
    pub fn path(n: usize) -> String {
        match n {
            1 => "/health/".to_string(),
            n => format!("/health/{n}/"),
        }
    }

    /// The output file of page `n`: `health/index.html`, `health/2/index.html`, …
    pub fn file(n: usize) -> String {
        format!("{}index.html", &Self::path(n)[1..])
    }

    /// The output file of JSON part `n`: `health.json`, `health/groups-2.json`, …
    pub fn json_file(n: usize) -> String {
        match n {
            1 => "health.json".to_string(),
            n => format!("health/groups-{n}.json"),
        }
    }

    /// The navigation of page `n`, or `None` when there is one page.
    pub fn pager(&self, n: usize) -> Option<Pager> {
        if !self.is_paged() {
            return None;
        }
        let count = self.count();
        let rows = self.rows(n);
        Some(Pager {
            current: n,
            count,
            first_row: rows.start + 1,
            last_row: rows.end,
            prev: (n > 1).then(|| Self::path(n - 1)),
            next: (n < count).then(|| Self::path(n + 1)),
            links: self.links(n),
        })
    }

    /// Page 1, the last page and the pages within [`NEIGHBOURS`] of `n`, with a gap where
    /// numbers are left out (a gap of one number names that number instead): at most eleven
    /// entries however many pages there are.
    fn links(&self, n: usize) -> Vec<PageLink> {
        let count = self.count();
        let near = n.saturating_sub(NEIGHBOURS).max(1)..=(n + NEIGHBOURS).min(count);
        let mut shown: Vec<usize> = std::iter::once(1)
            .chain(near)
            .chain(std::iter::once(count))
            .collect();
        shown.dedup();
        let mut links = Vec::new();
        let mut last = 0;
        for p in shown {
            if p <= last {
                continue;
            }
            if p == last + 2 {
                links.push(self.link(last + 1, n));
            } else if p > last + 2 {
                links.push(PageLink {
                    number: None,
                    path: String::new(),
                    current: false,
                });
            }
            links.push(self.link(p, n));
            last = p;
        }
        links
    }

    fn link(&self, p: usize, current: usize) -> PageLink {
        PageLink {
            number: Some(p),
            path: Self::path(p),
            current: p == current,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paging(groups: usize, per_page: usize) -> Paging {
        Paging::new(groups, NonZeroUsize::new(per_page).unwrap())
    }

    #[test]
    fn pages_cover_every_group_once_in_order() {
        for (groups, per_page) in [(0, 3), (1, 3), (3, 3), (4, 3), (10, 3), (250, 100)] {
            let p = paging(groups, per_page);
            let all: Vec<usize> = (1..=p.count()).flat_map(|n| p.rows(n)).collect();
            assert_eq!(all, (0..groups).collect::<Vec<_>>(), "{groups}/{per_page}");
            for n in 1..=p.count() {
                assert!(p.rows(n).len() <= per_page);
                assert!(p.rows(n).all(|i| p.page_of(i) == n));
            }
            assert_eq!(p.is_paged(), groups > per_page);
        }
        assert_eq!(paging(0, 3).count(), 1);
        assert_eq!(paging(10, 3).count(), 4);
    }

    #[test]
    fn paths_of_pages_and_parts() {
        assert_eq!(Paging::path(1), "/health/");
        assert_eq!(Paging::file(1), "health/index.html");
        assert_eq!(Paging::path(12), "/health/12/");
        assert_eq!(Paging::file(12), "health/12/index.html");
        assert_eq!(Paging::json_file(1), "health.json");
        assert_eq!(Paging::json_file(3), "health/groups-3.json");
    }

    fn numbers(links: &[PageLink]) -> String {
        let shown: Vec<String> = links
            .iter()
            .map(|l| match (l.number, l.current) {
                (Some(n), true) => format!("[{n}]"),
                (Some(n), false) => n.to_string(),
                (None, _) => "…".into(),
            })
            .collect();
        shown.join(" ")
    }

    #[test]
    fn navigation_names_the_ends_and_the_neighbours() {
        let p = paging(1000, 10);
        assert_eq!(numbers(&p.links(1)), "[1] 2 3 … 100");
        assert_eq!(numbers(&p.links(4)), "1 2 3 [4] 5 6 … 100");
        assert_eq!(numbers(&p.links(5)), "1 2 3 4 [5] 6 7 … 100");
        assert_eq!(numbers(&p.links(50)), "1 … 48 49 [50] 51 52 … 100");
        assert_eq!(numbers(&p.links(100)), "1 … 98 99 [100]");
        assert_eq!(numbers(&paging(30, 10).links(2)), "1 [2] 3");
        let pager = p.pager(100).unwrap();
        assert_eq!(pager.prev.as_deref(), Some("/health/99/"));
        assert_eq!(pager.next, None);
        assert_eq!((pager.first_row, pager.last_row), (991, 1000));
        assert_eq!(paging(30, 30).pager(1), None);
        for n in 1..=100 {
            assert!(p.links(n).len() <= 11);
        }
    }
}
