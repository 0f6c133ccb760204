//! The health page's rows as the templates get them, kept between renders: turning a thousand
//! rows into template values on every rebuild costs more than working out the one that changed.
//!
//! Takes: each live group's [`GroupHealth`] as the [`HealthCache`](crate::health::HealthCache)
//! gives it, and `today`. Gives: the group's row as a [`tera::Value`] (which shares its contents
//! when cloned), made anew only when that health is a new one. The health cache hands back the
//! same `Arc` while a group's inputs are unchanged and a new one whenever they change, and the
//! key here holds the `Arc` it was made from, so its address cannot be reused while kept: the
//! same `Arc` means the same health ([`crate::memo`]'s rules).

use std::sync::Arc;

use jiff::civil::Date;

use crate::health::{GroupHealth, Health, view};
use crate::memo::Memo;

/// The health a row was made from (by identity) and `today`.
#[derive(Clone)]
struct RowKey(Arc<GroupHealth>, Date);

impl PartialEq for RowKey {
    fn eq(&self, other: &RowKey) -> bool {
        Arc::ptr_eq(&self.0, &other.0) && self.1 == other.1
    }
}

/// The rows of earlier renders, by slug.
#[derive(Default)]
pub(super) struct HealthRows {
    rows: Memo<RowKey, tera::Value>,
}

impl HealthRows {
    /// The row of `h` on `today`: the kept one if made from the same health, else made and kept.
    pub(super) fn row(&mut self, h: &Arc<GroupHealth>, today: Date) -> tera::Value {
        let key = RowKey(Arc::clone(h), today);
        self.rows
            .get_or_make(&h.slug, &key, || {
                tera::Value::from_serializable(&view::row(h, today))
            })
            .clone()
    }

    /// Keeps only the rows of `health`'s groups.
    pub(super) fn prune(&mut self, health: &Health) {
        self.rows
            .prune(health.groups.iter().map(|g| g.slug.as_str()));
    }
}
