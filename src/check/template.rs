//! The governance text's creation templates, as the check rules ask them.
//!
//! Takes: nothing (it is a table). Gives: [`template`], the fields each kind's template asks,
//! each with the rule id that reports it missing. The creation rules (in [`super::rules`]) decide
//! what counts as missing; the community health page counts a field as filled when its rule
//! reports nothing for the group, so the page and `mcpsite check` cannot disagree.
//!
//! Maintainer(s) are optional in both templates and not counted.

use crate::schema::Kind;

/// One question of a creation template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateField {
    /// The front-matter key that answers it.
    pub key: &'static str,
    /// The rule that reports it missing.
    pub rule: &'static str,
}

const fn field(key: &'static str, rule: &'static str) -> TemplateField {
    TemplateField { key, rule }
}

/// Facilitator(s); IGs with similar goals; how this IG differs from them (asked only when there
/// are some); the first topic.
const IG: &[TemplateField] = &[
    field("facilitators", "facilitator-required"),
    field("creation.similar_groups", "ig-similar-groups-missing"),
    field("creation.differentiation", "ig-differentiation-missing"),
    field("creation.first_topic", "ig-first-topic-missing"),
];

/// Facilitator(s); the interest and use cases; the first Issue/PR/SEP.
const WG: &[TemplateField] = &[
    field("facilitators", "facilitator-required"),
    field("creation.use_cases", "wg-use-cases-missing"),
    field("creation.first_item", "wg-first-item-missing"),
];

/// The fields `kind`'s creation template asks.
pub fn template(kind: Kind) -> &'static [TemplateField] {
    match kind {
        Kind::Ig => IG,
        Kind::Wg => WG,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_names_a_registered_error_rule() {
        for kind in [Kind::Ig, Kind::Wg] {
            for f in template(kind) {
                let rule = super::super::find_rule(f.rule)
                    .unwrap_or_else(|| panic!("{} is not in check::RULES", f.rule));
                assert_eq!(rule.severity, crate::diag::Severity::Error, "{}", f.rule);
            }
        }
    }
}
