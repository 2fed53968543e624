//! Entries by borrowed key: [`ReuseMap::entry_ref`], in the shape of hashbrown's.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hash};

use super::{Bucket, ReuseMap};
use crate::NewPooled;
use crate::reuse::ReuseKey;

/// An entry of a [`ReuseMap`] found by a borrowed key: [`ReuseMap::entry_ref`].
///
/// `Q` is the borrowed form of the key (`str` for `String`), as in hashbrown's
/// `EntryRef`.
///
/// # Examples
///
/// ```
/// use poolable::ReuseMap;
/// use poolable::reuse::map::EntryRef;
///
/// let mut headers: ReuseMap<String, String> = ReuseMap::new();
/// headers.entry_ref("host").or_default().push_str("example.com");
/// match headers.entry_ref("host") {
///     EntryRef::Occupied(entry) => assert_eq!(entry.get(), "example.com"),
///     EntryRef::Vacant(_) => unreachable!("inserted above"),
/// }
/// assert!(matches!(headers.entry_ref("accept"), EntryRef::Vacant(_)));
/// ```
pub enum EntryRef<'a, 'q, K, Q: ?Sized, V, S = RandomState> {
    /// The key is present.
    Occupied(OccupiedEntry<'a, K, V, S>),
    /// The key is absent.
    Vacant(VacantEntryRef<'a, 'q, K, Q, V, S>),
}

impl<'a, K, Q, V, S> EntryRef<'a, '_, K, Q, V, S>
where
    K: ReuseKey<Q> + Hash + Eq,
    Q: ?Sized,
    S: BuildHasher,
{
    /// The value, inserted when absent as a spare's value (reset) or a new one made by
    /// [`NewPooled`] (`Default`): the reusing way to fill an entry.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut counts: ReuseMap<String, u32> = ReuseMap::new();
    /// for word in ["a", "b", "a"] {
    ///     *counts.entry_ref(word).or_default() += 1;
    /// }
    /// assert_eq!(counts["a"], 2);
    /// ```
    pub fn or_default(self) -> &'a mut V
    where
        V: NewPooled,
    {
        match self {
            EntryRef::Occupied(entry) => entry.into_mut(),
            EntryRef::Vacant(entry) => entry.insert_default(),
        }
    }

    /// The value, with `value` inserted when absent. `value` is one you made, so it
    /// takes the place of a spare's value, which is dropped: prefer
    /// [`or_default`](EntryRef::or_default) and fill the value in place.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut limits: ReuseMap<String, u32> = ReuseMap::new();
    /// assert_eq!(*limits.entry_ref("rps").or_insert(100), 100);
    /// assert_eq!(*limits.entry_ref("rps").or_insert(5), 100);
    /// ```
    pub fn or_insert(self, value: V) -> &'a mut V {
        match self {
            EntryRef::Occupied(entry) => entry.into_mut(),
            EntryRef::Vacant(entry) => entry.insert(value),
        }
    }

    /// The value, with `make()` inserted when absent (then as
    /// [`or_insert`](EntryRef::or_insert)).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<String, Vec<u8>> = ReuseMap::new();
    /// map.entry_ref("k").or_insert_with(|| vec![1]).push(2);
    /// assert_eq!(map["k"], [1, 2]);
    /// ```
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        match self {
            EntryRef::Occupied(entry) => entry.into_mut(),
            EntryRef::Vacant(entry) => entry.insert(make()),
        }
    }

    /// Calls `change` on the value when the key is present; the entry as it was
    /// otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut counts: ReuseMap<String, u32> = ReuseMap::new();
    /// for word in ["a", "a"] {
    ///     counts.entry_ref(word).and_modify(|n| *n += 1).or_insert(1);
    /// }
    /// assert_eq!(counts["a"], 2);
    /// ```
    #[must_use = "an entry does nothing until one of its `or_*` methods fills it"]
    pub fn and_modify(self, change: impl FnOnce(&mut V)) -> Self {
        match self {
            EntryRef::Occupied(mut entry) => {
                change(entry.get_mut());
                EntryRef::Occupied(entry)
            }
            vacant @ EntryRef::Vacant(_) => vacant,
        }
    }

    /// The key, borrowed.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<String, u32> = ReuseMap::new();
    /// assert_eq!(map.entry_ref("k").key(), "k");
    /// ```
    pub fn key(&self) -> &Q {
        match self {
            EntryRef::Occupied(entry) => entry.key().borrow(),
            EntryRef::Vacant(entry) => entry.key(),
        }
    }
}

/// A present entry of a [`ReuseMap`], from [`ReuseMap::entry_ref`].
///
/// # Examples
///
/// ```
/// use poolable::ReuseMap;
/// use poolable::reuse::map::EntryRef;
///
/// let mut headers: ReuseMap<String, String> = ReuseMap::new();
/// headers.entry_ref("host").or_default().push_str("a");
/// if let EntryRef::Occupied(mut entry) = headers.entry_ref("host") {
///     entry.get_mut().push_str("b");
/// }
/// assert_eq!(headers.get("host").map(String::as_str), Some("ab"));
/// ```
pub struct OccupiedEntry<'a, K, V, S = RandomState> {
    pub(super) map: &'a mut ReuseMap<K, V, S>,
    /// The entry's position; `at < map.len`.
    pub(super) at: usize,
}

impl<'a, K, V, S> OccupiedEntry<'a, K, V, S> {
    /// The key, as the map holds it.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{ReuseMap, reuse::map::EntryRef};
    ///
    /// let mut map: ReuseMap<String, u32> = [("a".to_owned(), 1)].into_iter().collect();
    /// if let EntryRef::Occupied(entry) = map.entry_ref("a") {
    ///     assert_eq!(entry.key(), "a");
    /// }
    /// ```
    pub fn key(&self) -> &K {
        &self.map.entries[self.at].key
    }

    /// The entry's position in insertion order, as `IndexMap`'s entries have.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{ReuseMap, reuse::map::EntryRef};
    ///
    /// let mut map: ReuseMap<String, u32> = [("a".to_owned(), 1), ("b".to_owned(), 2)].into_iter().collect();
    /// if let EntryRef::Occupied(entry) = map.entry_ref("b") {
    ///     assert_eq!(entry.index(), 1);
    /// }
    /// ```
    pub fn index(&self) -> usize {
        self.at
    }

    /// The value.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{ReuseMap, reuse::map::EntryRef};
    ///
    /// let mut map: ReuseMap<String, u32> = [("a".to_owned(), 1)].into_iter().collect();
    /// if let EntryRef::Occupied(entry) = map.entry_ref("a") {
    ///     assert_eq!(*entry.get(), 1);
    /// }
    /// ```
    pub fn get(&self) -> &V {
        &self.map.entries[self.at].value
    }

    /// The value, mutable, for as long as the entry.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{ReuseMap, reuse::map::EntryRef};
    ///
    /// let mut map: ReuseMap<String, u32> = [("a".to_owned(), 1)].into_iter().collect();
    /// if let EntryRef::Occupied(mut entry) = map.entry_ref("a") {
    ///     *entry.get_mut() += 1;
    /// }
    /// assert_eq!(map["a"], 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut V {
        &mut self.map.entries[self.at].value
    }

    /// The value, mutable, for as long as the map's borrow.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{ReuseMap, reuse::map::EntryRef};
    ///
    /// let mut map: ReuseMap<String, u32> = [("a".to_owned(), 1)].into_iter().collect();
    /// if let EntryRef::Occupied(entry) = map.entry_ref("a") {
    ///     *entry.into_mut() = 7;
    /// }
    /// assert_eq!(map["a"], 7);
    /// ```
    pub fn into_mut(self) -> &'a mut V {
        &mut self.map.entries[self.at].value
    }

    /// Sets the value to `value` and returns the old one.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{ReuseMap, reuse::map::EntryRef};
    ///
    /// let mut map: ReuseMap<String, u32> = [("a".to_owned(), 1)].into_iter().collect();
    /// if let EntryRef::Occupied(mut entry) = map.entry_ref("a") {
    ///     assert_eq!(entry.insert(2), 1);
    /// }
    /// assert_eq!(map["a"], 2);
    /// ```
    pub fn insert(&mut self, value: V) -> V {
        std::mem::replace(self.get_mut(), value)
    }

    /// Removes the entry and returns its value; the entries after it move down one
    /// place: as [`ReuseMap::shift_remove`].
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{ReuseMap, reuse::map::EntryRef};
    ///
    /// let mut map: ReuseMap<String, u32> = [("a".to_owned(), 1), ("b".to_owned(), 2)].into_iter().collect();
    /// if let EntryRef::Occupied(entry) = map.entry_ref("a") {
    ///     assert_eq!(entry.shift_remove(), 1);
    /// }
    /// assert_eq!(map.keys().collect::<Vec<_>>(), ["b"]);
    /// ```
    pub fn shift_remove(self) -> V {
        self.map.unindex_at(self.at);
        self.map.shift_out(self.at).into_value()
    }

    /// Removes the entry and returns its value; the last entry takes its place: as
    /// [`ReuseMap::swap_remove`].
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{ReuseMap, reuse::map::EntryRef};
    ///
    /// let mut map: ReuseMap<String, u32> =
    ///     [("a".to_owned(), 1), ("b".to_owned(), 2), ("c".to_owned(), 3)].into_iter().collect();
    /// if let EntryRef::Occupied(entry) = map.entry_ref("a") {
    ///     assert_eq!(entry.swap_remove(), 1);
    /// }
    /// assert_eq!(map.keys().collect::<Vec<_>>(), ["c", "b"]);
    /// ```
    pub fn swap_remove(self) -> V {
        self.map.unindex_at(self.at);
        self.map.swap_out(self.at).into_value()
    }
}

/// An absent entry of a [`ReuseMap`], from [`ReuseMap::entry_ref`]; it holds the
/// borrowed key until it is filled.
///
/// # Examples
///
/// ```
/// use poolable::ReuseMap;
/// use poolable::reuse::map::EntryRef;
///
/// let mut headers: ReuseMap<String, String> = ReuseMap::new();
/// if let EntryRef::Vacant(entry) = headers.entry_ref("host") {
///     assert_eq!(entry.key(), "host");
///     entry.insert_default().push_str("example.com"); // a spare key, filled from "host"
/// }
/// assert_eq!(headers.get("host").map(String::as_str), Some("example.com"));
/// ```
pub struct VacantEntryRef<'a, 'q, K, Q: ?Sized, V, S = RandomState> {
    pub(super) map: &'a mut ReuseMap<K, V, S>,
    /// The hash of `key`, under the map's hasher.
    pub(super) hash: u64,
    pub(super) key: &'q Q,
}

impl<'a, 'q, K, Q, V, S> VacantEntryRef<'a, 'q, K, Q, V, S>
where
    K: ReuseKey<Q> + Hash + Eq,
    Q: ?Sized,
    S: BuildHasher,
{
    /// The key, borrowed, as given to [`ReuseMap::entry_ref`].
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{ReuseMap, reuse::map::EntryRef};
    ///
    /// let mut map: ReuseMap<String, u32> = ReuseMap::new();
    /// if let EntryRef::Vacant(entry) = map.entry_ref("a") {
    ///     assert_eq!(entry.key(), "a");
    /// }
    /// ```
    pub fn key(&self) -> &'q Q {
        self.key
    }

    /// Inserts the key, into a spare key when there is one, with `value`, and returns
    /// the value. `value` takes the place of the spare's value, which is dropped once
    /// the entry is live; to fill the spare's value instead, use
    /// [`insert_default`](VacantEntryRef::insert_default).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{ReuseMap, reuse::map::EntryRef};
    ///
    /// let mut map: ReuseMap<String, u32> = ReuseMap::new();
    /// if let EntryRef::Vacant(entry) = map.entry_ref("a") {
    ///     *entry.insert(1) += 1;
    /// }
    /// assert_eq!(map["a"], 2);
    /// ```
    pub fn insert(self, value: V) -> &'a mut V {
        let map = self.map;
        match map.revive_spare(self.hash, self.key) {
            Some(at) => {
                let spare = std::mem::replace(&mut map.entries[at].value, value);
                // The entry is live, with `value`: the spare's `Drop` may panic now.
                drop(spare);
                &mut map.entries[at].value
            }
            None => {
                let at = map.len;
                map.push_live(Bucket {
                    hash: self.hash,
                    key: K::from_borrowed(self.key),
                    value,
                });
                &mut map.entries[at].value
            }
        }
    }

    /// Inserts the key, into a spare key when there is one, and returns its value to
    /// fill: the spare's value, reset, or a new one made by [`NewPooled`] (`Default`).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{ReuseMap, reuse::map::EntryRef};
    ///
    /// let mut map: ReuseMap<String, String> = ReuseMap::new();
    /// if let EntryRef::Vacant(entry) = map.entry_ref("host") {
    ///     entry.insert_default().push_str("example.com");
    /// }
    /// assert_eq!(map["host"], "example.com");
    /// ```
    pub fn insert_default(self) -> &'a mut V
    where
        V: NewPooled,
    {
        let at = self.map.insert_new(self.hash, self.key);
        &mut self.map.entries[at].value
    }
}

impl<K, Q, V, S> fmt::Debug for EntryRef<'_, '_, K, Q, V, S>
where
    K: fmt::Debug,
    Q: fmt::Debug + ?Sized,
    V: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryRef::Occupied(entry) => f.debug_tuple("EntryRef").field(entry).finish(),
            EntryRef::Vacant(entry) => f.debug_tuple("EntryRef").field(entry).finish(),
        }
    }
}

impl<K: fmt::Debug, V: fmt::Debug, S> fmt::Debug for OccupiedEntry<'_, K, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bucket = &self.map.entries[self.at];
        f.debug_struct("OccupiedEntry")
            .field("key", &bucket.key)
            .field("value", &bucket.value)
            .finish()
    }
}

impl<K, Q: fmt::Debug + ?Sized, V, S> fmt::Debug for VacantEntryRef<'_, '_, K, Q, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("VacantEntryRef").field(&self.key).finish()
    }
}
