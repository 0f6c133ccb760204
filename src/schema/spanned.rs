//! A front-matter value with the place it was written: [`Spanned`].
//!
//! Takes: a value and its byte range in the front-matter block, from `toml`'s deserializer
//! (through `toml::Spanned`). Gives: the same value and range in less room: the range as two
//! `u32`s rather than two `usize`s. A large site keeps every page's front matter for as long as
//! the build runs, and a meeting record is mostly spanned values (a tenth of it was ranges).
//! Like `toml::Spanned`, two spanned values compare, order and hash by their values alone.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::ops::Range;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value and its byte range in the front-matter block.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    start: u32,
    end: u32,
    value: T,
}

impl<T> Spanned<T> {
    /// `value`, written at `span`. A page is refused long before its offsets outgrow `u32`
    /// (`max_page_bytes`); were one not, its offsets would stop at `u32::MAX`.
    pub fn new(span: Range<usize>, value: T) -> Self {
        let at = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
        Spanned {
            start: at(span.start),
            end: at(span.end),
            value,
        }
    }

    /// Where the value was written: byte offsets into the front-matter block.
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The value.
    pub fn get_ref(&self) -> &T {
        &self.value
    }

    /// The value, to change.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.value
    }

    /// The value, without its place.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = toml::Spanned::<T>::deserialize(deserializer)?;
        Ok(Spanned::new(spanned.span(), spanned.into_inner()))
    }
}

impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Spanned<T> {}

impl<T: PartialOrd> PartialOrd for Spanned<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<T: Ord> Ord for Spanned<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl<T: Hash> Hash for Spanned<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Page {
        name: Spanned<String>,
        weeks: Option<Spanned<Vec<u32>>>,
    }

    #[test]
    fn keeps_what_toml_spanned_gives() {
        let text = "name = \"Ça va\"\nweeks = [1, 2]\n";
        let page: Page = toml::from_str(text).expect("parses");
        #[derive(Deserialize)]
        struct TomlPage {
            name: toml::Spanned<String>,
            weeks: Option<toml::Spanned<Vec<u32>>>,
        }
        let theirs: TomlPage = toml::from_str(text).expect("parses");
        assert_eq!(page.name.span(), theirs.name.span());
        assert_eq!(&text[page.name.span()], "\"Ça va\"");
        assert_eq!(page.name.get_ref(), "Ça va");
        let (weeks, their_weeks) = (page.weeks.expect("weeks"), theirs.weeks.expect("weeks"));
        assert_eq!(weeks.span(), their_weeks.span());
        assert_eq!(weeks.into_inner(), vec![1, 2]);
    }

    #[test]
    fn compares_by_value_and_saturates_offsets() {
        assert_eq!(Spanned::new(0..3, 7), Spanned::new(10..13, 7));
        assert!(Spanned::new(5..6, 1) < Spanned::new(0..1, 2));
        let far = Spanned::new(usize::MAX - 1..usize::MAX, ());
        assert_eq!(far.span(), u32::MAX as usize..u32::MAX as usize);
    }
}
