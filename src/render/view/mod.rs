//! View structs: what the templates see.
//!
//! Takes: the validated [`Site`](crate::model::Site) and its groups. Gives: plain serializable
//! structs, one per thing a page shows, with every value already in the form a reader needs
//! (dates in words and in ISO form, links resolved, enums as words). Templates never see the
//! model's `Spanned` values, so a theme cannot come to depend on the front-matter layout, and
//! every field is always present (as `none` when unknown): Tera 2 treats an undefined variable
//! as an error.
//!
//! One file per thing shown:
//! - `site`: what every page gets (the site's settings, the page's own title and path);
//! - `card`: a group as the directory lists it, with its people;
//! - `refs`: other groups as a group's page names them;
//! - `group`: everything the group page shows but its meetings;
//! - `expansion`: one group's meetings, expanded once and sliced for each page;
//! - `meetings`: meetings, schedules and the notes archive in words;
//! - `words`: dates, labels and links as readers see them;
//! - `addcal`: the "add to my calendar" links of one meeting.

pub mod addcal;
mod card;
mod expansion;
mod group;
mod meetings;
mod refs;
mod site;
mod words;

pub use card::{GroupCard, Listed, PersonView, SECTIONS, SectionView, card, has_feed, section_of};
pub use expansion::{Expansion, today_start};
pub use group::{
    CreationView, DiscordView, FactsView, GroupPage, LifecycleEvent, LinksView, RESERVED_IDS,
    RetiredView, WorkItemView, WorkView, group_page,
};
pub(crate) use meetings::status_words;
pub use meetings::{
    ARCHIVE_ON_PAGE, AgendaEntry, AgendaMeeting, ExceptionView, MeetingsView, OccurrenceView,
    RecordView, ScheduleView, archive, archive_len, archive_path,
};
pub use refs::{GroupRef, PageRefs, Refs, group_ref};
pub use site::{FeedLinks, PageView, SiteView, page_view, site_view};
pub use words::{DateView, LinkView, percent_encode, status_label, utc_rfc3339, work_ref};
