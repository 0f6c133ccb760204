//! The links between the pages of an agenda cut into periods, as each calendar page's
//! templates see them (`periods`).
//!
//! Takes: the agenda's [`Cut`] and its [`Period`]s. Gives: for each period's page a
//! [`PeriodNav`]: the page's period, the ones before and after it, every month, week or day of
//! the window (each linking its first page), and, on a page of a day cut into parts, that day's
//! parts. A page's links are so bounded by the window's length, not by the number of meetings:
//! a list of every part on every page grew with the square of the site (the 712 pages of a
//! 100,000-group agenda each listed all 712).

use std::ops::Range;

use serde::Serialize;

use super::periods::{Cut, Period};
use super::view;

/// Every period's link and every month's, week's or day's, worked out once for all the pages.
pub(super) struct PeriodLinks {
    cut: Cut,
    /// One per period, in order.
    periods: Vec<PeriodLink>,
    /// One per month, week or day, in order: a day cut into parts is one, linking its first.
    units: Vec<PeriodLink>,
    /// The periods of each unit, as indexes into `periods`: consecutive, in order.
    unit_periods: Vec<Range<usize>>,
}

/// The links between the pages of a cut agenda, seen from one page, as the templates get them.
#[derive(Serialize)]
pub(super) struct PeriodNav {
    /// `false` when the agenda is one page.
    pub(super) split: bool,
    #[serde(skip)]
    pub(super) cut: Cut,
    /// "week", "day" or "month".
    unit: &'static str,
    /// This page's period, and the ones before and after it; `none` when the agenda is one
    /// page (or there is none before or after).
    pub(super) current: Option<PeriodLink>,
    prev: Option<PeriodLink>,
    next: Option<PeriodLink>,
    /// Every month, week or day, in order, each linking its first page; the one holding this
    /// page is `current`.
    all: Vec<PeriodLink>,
    /// The parts of this page's day, in order, when the day is cut into parts; else empty.
    parts: Vec<PeriodLink>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(super) struct PeriodLink {
    /// "December 2026", "Thursday 3 December 2026 (part 2)"; a day cut into parts, in `all`,
    /// is the day alone.
    pub(super) label: String,
    /// The page's URL path.
    url: String,
    /// The period, UTC, for the script.
    from_utc: String,
    to_utc: String,
    /// The part's number, from 1, for a part of a day; `none` otherwise.
    part: Option<usize>,
    /// Whether this is (or, in `all`, holds) the page being rendered.
    current: bool,
}

/// The URL path of an agenda period's page.
pub(super) fn calendar_path(period: &Period) -> String {
    match &period.id {
        None => "/calendar/".to_string(),
        Some(id) => format!("/calendar/{id}/"),
    }
}

impl PeriodLinks {
    /// The links of the periods `list`, cut at `cut`.
    pub(super) fn of(cut: Cut, list: &[Period]) -> Self {
        let periods: Vec<PeriodLink> = list.iter().map(link_of).collect();
        let unit_periods = units_of(list);
        let units = (unit_periods.iter())
            .map(|range| unit_link(&list[range.clone()], &periods[range.clone()]))
            .collect();
        PeriodLinks {
            cut,
            periods,
            units,
            unit_periods,
        }
    }

    /// The links seen from the `i`th period's page.
    pub(super) fn at(&self, i: usize) -> PeriodNav {
        let mut nav = PeriodNav {
            split: self.cut != Cut::Whole,
            cut: self.cut,
            unit: self.cut.unit(),
            current: None,
            prev: None,
            next: None,
            all: Vec::new(),
            parts: Vec::new(),
        };
        if self.cut == Cut::Whole || i >= self.periods.len() {
            return nav;
        }
        let here = |mut link: PeriodLink| {
            link.current = true;
            link
        };
        nav.current = Some(here(self.periods[i].clone()));
        nav.prev = i.checked_sub(1).map(|p| self.periods[p].clone());
        nav.next = self.periods.get(i + 1).cloned();
        let unit = self.unit_periods.partition_point(|r| r.end <= i);
        nav.all = self.units.clone();
        nav.all[unit].current = true;
        let range = self.unit_periods[unit].clone();
        if self.periods[i].part.is_some() {
            nav.parts = (range.clone().zip(&self.periods[range]))
                .map(|(p, link)| match p == i {
                    true => here(link.clone()),
                    false => link.clone(),
                })
                .collect();
        }
        nav
    }
}

/// A period's own link.
fn link_of(p: &Period) -> PeriodLink {
    PeriodLink {
        label: p.label.clone(),
        url: calendar_path(p),
        from_utc: view::utc_rfc3339(p.from),
        to_utc: view::utc_rfc3339(p.to),
        part: p.part.as_ref().map(|part| part.n),
        current: false,
    }
}

/// The periods grouped by month, week or day: each period is its own but for the parts of a
/// day, which follow each other from part 1 and are one.
fn units_of(list: &[Period]) -> Vec<Range<usize>> {
    let mut units: Vec<Range<usize>> = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let later_part = p.part.as_ref().is_some_and(|part| part.n > 1);
        match units.last_mut() {
            Some(last) if later_part => last.end = i + 1,
            _ => units.push(i..i + 1),
        }
    }
    units
}

/// The link of a unit, made of its `periods` (in order, with their `links`): one period is its
/// own link; a day in parts links its first part, under the day's name, covering the whole day.
fn unit_link(periods: &[Period], links: &[PeriodLink]) -> PeriodLink {
    let (first, last) = (&periods[0], &periods[periods.len() - 1]);
    match &first.part {
        None => links[0].clone(),
        Some(part) => PeriodLink {
            label: part.day.clone(),
            to_utc: view::utc_rfc3339(last.to),
            part: None,
            ..links[0].clone()
        },
    }
}

#[cfg(test)]
mod tests {
    use jiff::{Timestamp, ToSpan};

    use super::*;
    use crate::render::periods::periods_of;

    const FROM: &str = "2026-11-24T00:00:00Z";

    /// A 90-day window with two meetings a day, and `extra` more at noon on 25 November.
    fn agenda(extra: usize, limit: usize) -> (Cut, Vec<Period>) {
        let from: Timestamp = FROM.parse().unwrap();
        let mut starts = Vec::new();
        for d in 0..90 {
            starts.push(from + (d * 24 + 10).hours());
            starts.push(from + (d * 24 + 16).hours());
        }
        let noon: Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
        starts.extend(std::iter::repeat_n(noon, extra));
        starts.sort();
        periods_of((from, from + (90 * 24).hours()), &starts, limit)
    }

    fn labels(links: &[PeriodLink]) -> Vec<&str> {
        links.iter().map(|l| l.label.as_str()).collect()
    }

    #[test]
    fn a_page_of_a_crowded_day_lists_every_day_once_and_its_day_s_parts() {
        // 25 November holds 2 + 9 meetings: four parts of at most 3; the other days are whole.
        let (cut, list) = agenda(9, 3);
        assert_eq!(cut, Cut::Day);
        assert_eq!(list.len(), 89 + 4);
        let links = PeriodLinks::of(cut, &list);
        for i in 0..list.len() {
            let nav = links.at(i);
            assert_eq!(nav.all.len(), 90, "page {i}: one link per day");
            let on = nav.all.iter().filter(|l| l.current).count();
            assert_eq!(on, 1, "page {i}: its day is marked");
            assert_eq!(nav.current.as_ref().unwrap().label, list[i].label);
            assert_eq!(
                nav.prev.as_ref().map(|l| &l.label),
                i.checked_sub(1).map(|p| &list[p].label)
            );
            assert_eq!(
                nav.next.as_ref().map(|l| &l.label),
                list.get(i + 1).map(|p| &p.label)
            );
        }
        // The crowded day's entry: its name, its first part's page, the whole day.
        let nav = links.at(2);
        let day = &nav.all[1];
        assert_eq!(day.label, "Wednesday 25 November 2026");
        assert_eq!(day.url, "/calendar/2026-11-25/");
        assert_eq!(day.from_utc, "2026-11-25T00:00:00Z");
        assert_eq!(day.to_utc, "2026-11-26T00:00:00Z");
        assert!(day.current);
        assert_eq!(
            labels(&nav.parts),
            [1, 2, 3, 4].map(|n| format!("Wednesday 25 November 2026 (part {n})"))
        );
        let urls: Vec<_> = nav.parts.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "/calendar/2026-11-25/",
                "/calendar/2026-11-25-2/",
                "/calendar/2026-11-25-3/",
                "/calendar/2026-11-25-4/"
            ]
        );
        let marked: Vec<_> = nav.parts.iter().map(|l| (l.part, l.current)).collect();
        assert_eq!(
            marked,
            [
                (Some(1), false),
                (Some(2), true),
                (Some(3), false),
                (Some(4), false)
            ]
        );
        // A whole day's page lists no parts.
        assert!(links.at(0).parts.is_empty());
        assert!(links.at(10).parts.is_empty());
        assert_eq!(links.at(0).all[0].label, "Tuesday 24 November 2026");
    }

    #[test]
    fn a_page_s_links_do_not_grow_with_the_meetings() {
        // Ten times the meetings on the crowded day: ten times its parts, the same days.
        let (cut, small) = agenda(30, 3);
        let (_, large) = agenda(300, 3);
        let (small, large) = (PeriodLinks::of(cut, &small), PeriodLinks::of(cut, &large));
        for links in [&small, &large] {
            let whole_day = links.at(0);
            assert_eq!((whole_day.all.len(), whole_day.parts.len()), (90, 0));
        }
        assert_eq!(small.at(1).parts.len(), 11);
        assert_eq!(large.at(1).parts.len(), 101);
        assert_eq!(large.at(1).all.len(), 90);
    }

    #[test]
    fn months_and_weeks_are_their_own_units_and_one_page_has_none() {
        let (cut, list) = agenda(0, 62);
        assert_eq!(cut, Cut::Month);
        let links = PeriodLinks::of(cut, &list);
        let nav = links.at(1);
        assert_eq!(
            labels(&nav.all),
            [
                "November 2026",
                "December 2026",
                "January 2027",
                "February 2027"
            ]
        );
        assert!(nav.all[1].current && nav.parts.is_empty());
        assert_eq!(nav.all[1].url, "/calendar/2026-12/");
        assert_eq!(
            nav.all,
            links
                .periods
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, mut l)| {
                    l.current = i == 1;
                    l
                })
                .collect::<Vec<_>>()
        );

        let (cut, list) = agenda(0, 1000);
        assert_eq!(cut, Cut::Whole);
        let nav = PeriodLinks::of(cut, &list).at(0);
        assert!(!nav.split);
        assert!(nav.current.is_none() && nav.prev.is_none() && nav.next.is_none());
        assert!(nav.all.is_empty() && nav.parts.is_empty());
    }
}
