//! placeholder
pub mod config;
pub mod diag;
pub mod frontmatter;
pub mod ical;
pub mod recur;
pub mod schema;
pub mod source;
pub mod vtimezone;
