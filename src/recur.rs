//! Recurrence (placeholder until the calendar branch lands).
use crate::diag::Diagnostic;
use crate::frontmatter::RawPage;

/// A group's resolved meetings.
#[derive(Debug, Clone, Default)]
pub struct Meetings {}

pub fn resolve_meetings(_page: &RawPage, _diags: &mut Vec<Diagnostic>) -> Meetings {
    Meetings {}
}
