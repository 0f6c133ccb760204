//! "Add to my calendar" links for one meeting.
//!
//! Takes: a meeting's title, its exact UTC start and end, the group's zone and the group page's
//! URL. Gives: [`AddLinks`], a Google Calendar event template link and an Outlook on the web
//! compose link for that one occurrence. The instants are written in UTC (Google's
//! `YYYYMMDDTHHMMSSZ/…`, Outlook's ISO form), so they are exact whatever zone the reader's
//! calendar is in; `ctz` only tells Google which zone to show the event in. The page script
//! builds the same links for the meetings it adds (`site.js`, `addLinks`), so both must change
//! together.

use jiff::Timestamp;
use serde::Serialize;

use super::words::percent_encode;
use crate::timefmt;

/// The two links for one occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddLinks {
    /// Adds the meeting to Google Calendar.
    pub google: String,
    /// Adds the meeting to Outlook.
    pub outlook: String,
}

/// The links for a meeting titled `title` from `start` to `end` of a group in zone `tz` whose
/// page is `page_url`.
pub fn add_links(
    title: &str,
    start: Timestamp,
    end: Timestamp,
    tz: &str,
    page_url: &str,
) -> AddLinks {
    let enc = percent_encode;
    let (compact, iso) = (timefmt::compact_utc, timefmt::utc_rfc3339);
    // The group page says where and how to join; its address alone keeps the links short.
    let details = page_url;
    AddLinks {
        google: format!(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&ctz={}&details={}",
            enc(title),
            compact(start),
            compact(end),
            enc(tz),
            enc(details)
        ),
        outlook: format!(
            "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject={}&startdt={}&enddt={}&body={}",
            enc(title),
            enc(&iso(start)),
            enc(&iso(end)),
            enc(details)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_utc_instants() {
        let start: Timestamp = "2027-03-17T16:00:00Z".parse().unwrap();
        let end: Timestamp = "2027-03-17T16:45:00Z".parse().unwrap();
        let l = add_links(
            "Auth IG meeting",
            start,
            end,
            "America/Los_Angeles",
            "https://x.org/groups/auth-ig/",
        );
        assert_eq!(
            l.google,
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text=Auth%20IG%20meeting&dates=20270317T160000Z/20270317T164500Z&ctz=America%2FLos_Angeles&details=https%3A%2F%2Fx.org%2Fgroups%2Fauth-ig%2F"
        );
        assert!(
            l.outlook
                .contains("&startdt=2027-03-17T16%3A00%3A00Z&enddt=2027-03-17T16%3A45%3A00Z&")
        );
        assert!(l.outlook.contains("subject=Auth%20IG%20meeting"));
    }
}
