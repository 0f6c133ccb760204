//! What every page gets: the site's settings as `site` and the page's own identity as `page`.
//!
//! Takes: the [`Site`] and a page's path, title and navigation entry. Gives: [`SiteView`],
//! [`PageView`], and [`FeedLinks`] (a calendar feed in every form a client wants).

use serde::Serialize;

use super::words::{DateView, percent_encode};
use crate::model::Site;

/// Site-wide values every page gets as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// The site's title.
    pub title: String,
    /// The site's description.
    pub description: String,
    /// The site's base URL.
    pub base_url: String,
    /// The pages' language, e.g. `en`.
    pub lang: String,
    /// The community Discord's invite link.
    pub discord_invite: String,
    /// The governance text's URL.
    pub governance_url: String,
    /// The community calendar's base URL.
    pub calendar_base: String,
    /// The Discord channel where new groups are proposed.
    pub creation_channel: String,
    /// Absolute URL of the Atom feed.
    pub feed_url: String,
    /// The aggregate calendar feed, in the forms subscribers need.
    pub calendar: FeedLinks,
    /// "Today" as the build resolved it (ISO date).
    pub today: String,
    /// The same date in both forms: what "as of" notes on meeting lists say.
    pub today_date: DateView,
}

/// A calendar feed's URL in every form a client wants.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLinks {
    /// `https://…/calendar.ics`
    pub https: String,
    /// `webcal://…/calendar.ics`
    pub webcal: String,
    /// Google Calendar's "add by URL" link.
    pub google: String,
}

impl FeedLinks {
    /// The forms of the feed at `https`.
    pub fn new(https: String) -> Self {
        let webcal = match https.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => https.clone(),
        };
        let google = format!(
            "https://calendar.google.com/calendar/render?cid={}",
            percent_encode(&webcal)
        );
        FeedLinks {
            https,
            webcal,
            google,
        }
    }
}

/// What one HTML page is, for `<title>`, canonical links and navigation.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// Site path, e.g. `/groups/auth-ig/`.
    pub path: String,
    /// Absolute URL.
    pub url: String,
    /// The page's title.
    pub title: String,
    /// The page's description.
    pub description: String,
    /// Which top navigation entry is current: `home`, `ig`, `wg`, `calendar` or empty.
    pub nav: String,
}

/// The site-wide values of `site`.
pub fn site_view(site: &Site) -> SiteView {
    let c = &site.config;
    SiteView {
        title: c.title.clone(),
        description: c.description.clone(),
        base_url: c.base_url.clone(),
        lang: c.language.clone(),
        discord_invite: c.community.discord_invite.clone(),
        governance_url: c.community.governance_url.clone(),
        calendar_base: c.community.calendar_base.clone(),
        creation_channel: c.community.creation_channel.clone(),
        feed_url: site.abs_url("/atom.xml"),
        calendar: FeedLinks::new(site.abs_url("/calendar.ics")),
        today: site.today.to_string(),
        today_date: DateView::new(site.today),
    }
}

/// What the page at `path` is.
pub fn page_view(
    site: &Site,
    path: &str,
    title: String,
    description: String,
    nav: &str,
) -> PageView {
    PageView {
        path: path.to_string(),
        url: site.abs_url(path),
        title,
        description,
        nav: nav.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_links() {
        let f = FeedLinks::new("https://x.org/groups/a-ig/calendar.ics".into());
        assert_eq!(f.webcal, "webcal://x.org/groups/a-ig/calendar.ics");
        assert_eq!(
            f.google,
            "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fx.org%2Fgroups%2Fa-ig%2Fcalendar.ics"
        );
    }
}
