//! Retirement candidates: the governance text's triggers, with the numbers behind each.
//!
//! Takes: a live [`Group`], its [`Figures`], `today` and `[governance]`. Gives: the
//! [`Candidate`]s it is, each naming its rule and its numbers, worded as information for the
//! people who decide (community moderators, core and lead maintainers), never as a verdict.
//!
//! The rules, for groups whose status is `active` (the last one for every live group):
//! - `wg-inactive`: a WG whose latest recorded activity is more than `wg_inactive_days` old (the
//!   governance text: no active Issue/PR for a month or more);
//! - `wg-items-all-finished`: a WG whose recorded work items are all finished (the governance
//!   text: it has completed all the Issues/PRs it intended to pursue);
//! - `ig-inactive`: an IG whose latest recorded activity is more than `ig_inactive_days` old (the
//!   governance text leaves IG retirement to people; the number is this site's setting);
//! - `facilitator-terms-ended`: every facilitator has a `term_ends` before today.
//!
//! A group with no recorded activity at all is not a candidate: the figures say "none recorded".

use jiff::civil::Date;
use serde::Serialize;

use super::figures::{Figures, days_between};
use crate::check::rules::TERMINAL;
use crate::config::Governance;
use crate::model::Group;
use crate::schema::{Kind, Status};

/// One retirement candidate: the rule, its numbers and a sentence saying them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The group's slug.
    pub group: String,
    /// Which rule and its numbers, flattened into the candidate.
    #[serde(flatten)]
    pub reason: Reason,
    /// The numbers in words.
    pub text: String,
}

/// Which rule, with its numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum Reason {
    /// `wg-inactive`: a WG without recent activity.
    WgInactive {
        /// The date of the latest activity.
        last_activity: Date,
        /// Days since then.
        days_since: i64,
        /// The threshold it passed, in days.
        threshold_days: u32,
    },
    /// `wg-items-all-finished`: every work item of a WG is finished.
    WgItemsAllFinished {
        /// The items and their statuses.
        items: Vec<ItemStatus>,
    },
    /// `ig-possibly-inactive`: an IG without recent activity.
    IgInactive {
        /// The date of the latest activity.
        last_activity: Date,
        /// Days since then.
        days_since: i64,
        /// The threshold it passed, in days.
        threshold_days: u32,
    },
    /// `facilitator-terms-ended`: every facilitator's term has ended.
    FacilitatorTermsEnded {
        /// The facilitators and when their terms ended.
        terms: Vec<TermEnded>,
    },
}

/// A work item and its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemStatus {
    /// The item's reference, e.g. `SEP-1234`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Its status, e.g. `merged`.
    pub status: String,
}

/// A facilitator whose term has ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermEnded {
    /// The facilitator's label (name, else `@handle`).
    pub facilitator: String,
    /// When the term ended.
    pub ended: Date,
}

impl Reason {
    /// The rule id, as in `/health.json`.
    pub fn rule(&self) -> &'static str {
        match self {
            Reason::WgInactive { .. } => "wg-inactive",
            Reason::WgItemsAllFinished { .. } => "wg-items-all-finished",
            Reason::IgInactive { .. } => "ig-inactive",
            Reason::FacilitatorTermsEnded { .. } => "facilitator-terms-ended",
        }
    }

    /// A short heading for the rule.
    pub fn title(&self) -> &'static str {
        match self {
            Reason::WgInactive { .. } => "WG without recent activity",
            Reason::WgItemsAllFinished { .. } => "WG whose work items are all finished",
            Reason::IgInactive { .. } => "IG without recent activity",
            Reason::FacilitatorTermsEnded { .. } => "Every facilitator's term has ended",
        }
    }

    fn text(&self, source: &str, today: Date) -> String {
        match self {
            Reason::WgInactive {
                last_activity,
                days_since,
                threshold_days,
            } => format!(
                "No activity recorded since {last_activity} ({source}), {days_since} days before {today}; \
                 the governance text's threshold for WGs is one month (here {threshold_days} days, wg_inactive_days)"
            ),
            Reason::IgInactive {
                last_activity,
                days_since,
                threshold_days,
            } => format!(
                "No activity recorded since {last_activity} ({source}), {days_since} days before {today}; \
                 this site's threshold for IGs is {threshold_days} days (ig_inactive_days); \
                 the governance text leaves it to moderators and maintainers to decide whether an IG is still active"
            ),
            Reason::WgItemsAllFinished { items } => {
                let list: Vec<String> = items
                    .iter()
                    .map(|i| format!("{} {}", i.reference, i.status))
                    .collect();
                let which = match items.len() {
                    1 => "The only recorded work item is finished".to_string(),
                    2 => "Both recorded work items are finished".to_string(),
                    n => format!("All {n} recorded work items are finished"),
                };
                format!(
                    "{which} ({}); the governance text retires a WG that has completed all the \
                     Issues/PRs it intended to pursue",
                    list.join(", ")
                )
            }
            Reason::FacilitatorTermsEnded { terms } => {
                let list: Vec<String> = terms
                    .iter()
                    .map(|t| {
                        format!(
                            "{} on {}, {} days ago",
                            t.facilitator,
                            t.ended,
                            days_between(t.ended, today)
                        )
                    })
                    .collect();
                let whose = match terms.len() {
                    1 => "The term of the only facilitator has ended".to_string(),
                    2 => "The terms of both facilitators have ended".to_string(),
                    n => format!("The terms of all {n} facilitators have ended"),
                };
                format!("{whose} ({})", list.join("; "))
            }
        }
    }
}

/// The candidates `g` is, in the order of the rules above.
pub fn candidates(g: &Group, figures: &Figures, today: Date, gov: &Governance) -> Vec<Candidate> {
    let mut reasons: Vec<Reason> = Vec::new();
    let active = g.status() == Status::Active;
    if active && let Some(a) = &figures.last_activity {
        let threshold_days = match g.kind {
            Kind::Wg => gov.wg_inactive_days,
            Kind::Ig => gov.ig_inactive_days,
        };
        if a.days_since > i64::from(threshold_days) {
            let (last_activity, days_since) = (a.date, a.days_since);
            reasons.push(match g.kind {
                Kind::Wg => Reason::WgInactive {
                    last_activity,
                    days_since,
                    threshold_days,
                },
                Kind::Ig => Reason::IgInactive {
                    last_activity,
                    days_since,
                    threshold_days,
                },
            });
        }
    }
    if active
        && g.kind == Kind::Wg
        && let Some(items) = all_items_finished(g)
    {
        reasons.push(Reason::WgItemsAllFinished { items });
    }
    if let Some(terms) = all_terms_ended(figures, today) {
        reasons.push(Reason::FacilitatorTermsEnded { terms });
    }
    let source = figures
        .last_activity
        .as_ref()
        .map_or("", |a| a.source.as_str());
    reasons
        .into_iter()
        .map(|reason| Candidate {
            group: g.slug.clone(),
            text: reason.text(source, today),
            reason,
        })
        .collect()
}

/// The work items with their statuses, when there are some and every one is finished.
fn all_items_finished(g: &Group) -> Option<Vec<ItemStatus>> {
    let items = &g.fm().work.as_ref()?.get_ref().items;
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let it = it.get_ref();
        let status = it.status.as_ref()?.get_ref();
        if !TERMINAL.contains(&status.as_str()) {
            return None;
        }
        out.push(ItemStatus {
            reference: it.reference.get_ref().trim().to_string(),
            status: status.clone(),
        });
    }
    (!out.is_empty()).then_some(out)
}

/// Every facilitator's ended term, when there are facilitators and all their terms have ended.
fn all_terms_ended(figures: &Figures, today: Date) -> Option<Vec<TermEnded>> {
    let mut out = Vec::with_capacity(figures.facilitators.len());
    for f in &figures.facilitators {
        let ended = f.term_ends.filter(|t| *t < today)?;
        out.push(TermEnded {
            facilitator: f.label(),
            ended,
        });
    }
    (!out.is_empty()).then_some(out)
}
