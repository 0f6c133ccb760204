//! The validated site: what rendering, feeds and the linter work from.
//!
//! Takes: nothing itself; `validate` builds it. Gives: [`Site`] with its [`Group`]s sorted by
//! slug. A `Group` keeps its parsed page (so the linter can still point at any value's line and
//! column) and adds what validation settled: the slug, the topic, the channel and calendar tag,
//! and the resolved meeting series.

use std::sync::Arc;

use crate::config::SiteConfig;
use crate::frontmatter::{HomePage, RawPage};
use crate::recur::Meetings;
use crate::schema::{FrontMatter, Kind, Status};

/// Everything one build knows.
#[derive(Debug, Clone)]
pub struct Site {
    /// The settings.
    pub config: SiteConfig,
    /// The home page.
    pub home: HomePage,
    /// Sorted by slug. Shared: a group is a function of its page alone, and `serve` keeps
    /// the groups of unchanged pages from one build to the next instead of copying them.
    pub groups: Vec<Arc<Group>>,
    /// "Today", from `--today`, `SOURCE_DATE_EPOCH` or the clock, resolved once.
    pub today: jiff::civil::Date,
}

impl Site {
    /// The group with `slug`, if any.
    pub fn group(&self, slug: &str) -> Option<&Group> {
        self.groups
            .binary_search_by(|g| g.slug.as_str().cmp(slug))
            .ok()
            .map(|i| &*self.groups[i])
    }

    /// The host part of the base URL, used in feed UIDs (`auth-ig-weekly@<host>`).
    pub fn host(&self) -> &str {
        let rest = self
            .config
            .base_url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(&self.config.base_url);
        rest.split(['/', ':']).next().unwrap_or(rest)
    }

    /// An absolute URL for a site path such as `/groups/auth-ig/`.
    pub fn abs_url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }
}

/// One validated group page.
#[derive(Debug, Clone)]
pub struct Group {
    /// `<topic>-<ig|wg>`, the file stem.
    pub slug: String,
    /// IG or WG.
    pub kind: Kind,
    /// The primary topic: `topic` from front matter, else the slug without its suffix.
    pub topic: String,
    /// The parsed page.
    pub page: RawPage,
    /// The group's validated meetings.
    pub meetings: Meetings,
}

impl Group {
    /// The page's front matter.
    pub fn fm(&self) -> &FrontMatter {
        &self.page.fm
    }

    /// Display name without "Interest Group"/"Working Group".
    pub fn name(&self) -> &str {
        self.page.fm.name.get_ref()
    }

    /// The lifecycle status.
    pub fn status(&self) -> Status {
        *self.page.fm.status.get_ref()
    }

    /// "Authorization Interest Group".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.name(), self.kind.long_name())
    }

    /// "Authorization IG".
    pub fn short_label(&self) -> String {
        format!("{} {}", self.name(), self.kind.label())
    }

    /// The site path of the group's page.
    pub fn url_path(&self) -> String {
        format!("/groups/{}/", self.slug)
    }

    /// The Discord channel name, without `#`.
    pub fn channel(&self) -> Option<&str> {
        self.page
            .fm
            .discord
            .as_ref()
            .and_then(|d| d.get_ref().channel.as_ref())
            .map(|c| c.get_ref().as_str())
    }

    /// The calendar tag: `[calendar] tag`, else the channel (the governance text's rule).
    pub fn calendar_tag(&self) -> Option<&str> {
        self.page
            .fm
            .calendar
            .tag
            .as_ref()
            .map(|t| t.get_ref().as_str())
            .or_else(|| self.channel())
    }

    /// True when the group is retired.
    pub fn is_retired(&self) -> bool {
        self.status() == Status::Retired
    }

    /// The last date a retired group publishes meetings on: its retirement date, or, when the
    /// sources give none, no date at all (nothing is published). `None` for live groups.
    pub fn meetings_end(&self) -> Option<jiff::civil::Date> {
        self.is_retired().then(|| {
            self.page
                .fm
                .lifecycle
                .retired
                .as_ref()
                .map(|d| d.get_ref().0)
                .unwrap_or(jiff::civil::Date::MIN)
        })
    }
}
