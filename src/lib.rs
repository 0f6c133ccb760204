//! placeholder
pub mod config;
pub mod diag;
pub mod frontmatter;
pub mod recur;
pub mod schema;
pub mod source;
pub mod vtimezone;
