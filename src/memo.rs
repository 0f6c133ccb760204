//! Memos: what one build keeps for the next, each value reused only for the exact inputs it was
//! made from. The one mechanism behind every part of `pipeline::BuildCache` (parsed pages,
//! rendered pages, calendar feeds).
//!
//! Takes: values a stage made, each under an id (a path, a slug) with the key it was made from:
//! its inputs themselves, or [`Version`]s standing for them. Gives: the value back on a later
//! build whose key for that id is equal.
//!
//! Three rules, the same for every cache:
//! - **Reuse** only on an equal key. As long as a key covers everything its value was made from,
//!   a build through a memo gives exactly what a build with an empty one gives.
//! - **Versions**: [`Versions`] hands out a new number for each new value of a thing and never
//!   the same number twice, and [`Versions::update`] keeps a thing's number while its value stays
//!   equal. A key made of version numbers thus stands for many inputs and compares cheaply.
//! - **Pruning**: after a build, [`Memo::prune`] keeps only the ids that build had, so a memo
//!   never holds more than one build's worth.
//! - **Environment**: what every value of a cache was made in besides its own key (the
//!   settings, `today`, the theme's templates) is one [`Environment`]; when it changes, the
//!   cache forgets everything.
//!
//! Looking up takes `&self` and keeping is a step of its own, so a stage can look up from many
//! workers at once and keep what they made afterwards.

use std::collections::{HashMap, HashSet};

/// Values kept under ids, each with the key it was made from.
#[derive(Debug)]
pub struct Memo<K, V> {
    slots: HashMap<String, (K, V)>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            slots: HashMap::new(),
        }
    }
}

impl<K: PartialEq, V> Memo<K, V> {
    /// The value kept for `id`, if it was made from `key`.
    pub fn get(&self, id: &str, key: &K) -> Option<&V> {
        self.slots.get(id).filter(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value kept for `id`, if what it was made from `matches`: [`Memo::get`] for a key
    /// that would cost a copy to build (the caller compares it part by part).
    pub fn get_if(&self, id: &str, matches: impl FnOnce(&K) -> bool) -> Option<&V> {
        self.slots
            .get(id)
            .filter(|(k, _)| matches(k))
            .map(|(_, v)| v)
    }

    /// Keeps `value`, made from `key`, for `id` (in place of what was kept for it).
    pub fn keep(&mut self, id: impl Into<String>, key: K, value: V) {
        self.slots.insert(id.into(), (key, value));
    }

    /// Every kept value, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.slots.values().map(|(_, v)| v)
    }

    /// Every kept value, to change in place: for a memo thrown away after one use, which may
    /// drop what it no longer needs (a value changed in place is no longer the one its key
    /// made).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.slots.values_mut().map(|(_, v)| v)
    }

    /// Every value, given up.
    pub fn into_values(self) -> impl Iterator<Item = V> {
        self.slots.into_values().map(|(_, v)| v)
    }

    /// The value kept for `id`, whatever it was made from: for comparing a new value with the
    /// previous one, and for reading back what this build kept.
    pub fn kept(&self, id: &str) -> Option<&V> {
        self.slots.get(id).map(|(_, v)| v)
    }

    /// The value kept for `id` if it was made from `key`, else `make()`'s, kept (with a copy of
    /// `key`).
    pub fn get_or_make(&mut self, id: &str, key: &K, make: impl FnOnce() -> V) -> &V
    where
        K: Clone,
    {
        if self.get(id, key).is_none() {
            self.keep(id, key.clone(), make());
        }
        &self.slots[id].1
    }

    /// Keeps only the ids in `live`: those of the build just made.
    pub fn prune<'a>(&mut self, live: impl IntoIterator<Item = &'a str>) {
        let live: HashSet<&str> = live.into_iter().collect();
        self.slots.retain(|id, _| live.contains(id.as_str()));
    }

    /// How many ids have a value.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Forgets everything (what every value was made from besides its key changed).
    pub fn clear(&mut self) {
        self.slots.clear();
    }
}

/// What everything a cache keeps was made in, besides each value's own key.
#[derive(Debug)]
pub struct Environment<E> {
    current: Option<E>,
}

impl<E> Default for Environment<E> {
    fn default() -> Self {
        Environment { current: None }
    }
}

impl<E> Environment<E> {
    /// Whether this build's environment is the one everything kept was made in (`same` says,
    /// given that one). When it is not, `now` makes this build's, which is remembered, and the
    /// caller forgets what it kept.
    pub fn unchanged(&mut self, same: impl FnOnce(&E) -> bool, now: impl FnOnce() -> E) -> bool {
        if self.current.as_ref().is_some_and(same) {
            return true;
        }
        self.current = Some(now());
        false
    }

    /// This build's environment, once [`Environment::unchanged`] has been asked.
    pub fn get(&self) -> Option<&E> {
        self.current.as_ref()
    }
}

/// A version number: stands for one value of one thing.
pub type Version = u64;

/// A value with its version.
#[derive(Debug, Clone)]
pub struct Versioned<T> {
    /// The value.
    pub value: T,
    /// Its version.
    pub version: Version,
}

/// Hands out version numbers, never the same twice.
#[derive(Debug, Default)]
pub struct Versions {
    last: Version,
}

impl Versions {
    /// A number not handed out before.
    pub fn new_version(&mut self) -> Version {
        self.last += 1;
        self.last
    }

    /// `value` with `old`'s version when `old` holds an equal value, else with a new one.
    pub fn update<T: PartialEq>(&mut self, old: Option<&Versioned<T>>, value: T) -> Versioned<T> {
        let version = match old {
            Some(o) if o.value == value => o.version,
            _ => self.new_version(),
        };
        Versioned { value, version }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_only_for_an_equal_key_and_prunes_to_the_live_ids() {
        let mut m: Memo<u32, String> = Memo::default();
        let mut made = 0;
        let mut make = |s: &str| {
            made += 1;
            s.to_string()
        };
        assert_eq!(m.get_or_make("a", &1, || make("a1")), "a1");
        assert_eq!(m.get_or_make("a", &1, || make("again")), "a1");
        assert_eq!(m.get_or_make("a", &2, || make("a2")), "a2");
        assert_eq!(m.get("a", &1), None);
        m.keep("b", 7, "b7".into());
        m.prune(["b"]);
        assert_eq!(m.get("a", &2), None);
        assert_eq!(m.get("b", &7).map(String::as_str), Some("b7"));
        assert_eq!(m.get_if("b", |k| *k == 7).map(String::as_str), Some("b7"));
        assert_eq!(m.get_if("b", |k| *k == 8), None);
        assert_eq!(m.get_if("a", |_| true), None);
        assert_eq!(made, 2);
    }

    #[test]
    fn an_environment_is_unchanged_only_while_equal() {
        let mut env: Environment<u32> = Environment::default();
        assert!(!env.unchanged(|e| *e == 1, || 1));
        assert!(env.unchanged(|e| *e == 1, || 1));
        assert!(!env.unchanged(|e| *e == 2, || 2));
        assert!(env.unchanged(|e| *e == 2, || 2));
    }

    #[test]
    fn versions_stay_while_the_value_is_equal() {
        let mut v = Versions::default();
        let a = v.update(None, "x");
        let b = v.update(Some(&a), "x");
        let c = v.update(Some(&b), "y");
        let d = v.update(Some(&c), "x");
        assert_eq!(a.version, b.version);
        assert_ne!(b.version, c.version);
        // A value seen before gets a new number: numbers are never reused.
        assert!(d.version > c.version);
    }
}
