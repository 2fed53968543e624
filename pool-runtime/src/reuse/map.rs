//! [`ReuseMap`]: a hash map whose removed entries stay allocated, reset, as spares; its
//! entries by borrowed key ([`EntryRef`]) and its iterators.

use std::borrow::Borrow;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::ops::Index;

use hashbrown::HashTable;

use super::ReuseKey;
use crate::{NewPooled, Poolable};

mod entry;
mod iter;

pub use entry::{EntryRef, OccupiedEntry, VacantEntryRef};
pub use iter::{IntoIter, Iter, IterMut, Keys, Values, ValuesMut};

/// A hash map that keeps the entries it removes, key and value reset, as spares for its
/// next insertions; it iterates in insertion order.
///
/// "Reuse" is this crate's word for keeping allocations across uses.
/// `HashMap<String, String>::clear` drops every key and value, so a pooled request pays
/// two allocations per header on every use. A `ReuseMap<String, String>` clears them and
/// keeps them. The calls that reuse take the key borrowed (`&str`) and copy it into a
/// spare key's buffer, and hand out the spare value, reset, to fill:
/// [`entry_ref`](ReuseMap::entry_ref)`(name).or_default()`,
/// [`insert_with`](ReuseMap::insert_with), and `extend` from `(&str, &str)` pairs. As a
/// field of a pooled type it takes a header map to zero allocations per use.
///
/// [`insert`](ReuseMap::insert) takes a key and value you made, as `HashMap::insert`
/// does: they were allocated already, and the spare whose slot they take is dropped. So
/// where `HashMap` code reads `headers.insert(name.to_owned(), value.to_owned())`, write
/// `headers.insert_with(name, |v| v.push_str(value))`, or
/// `headers.extend([(name, value)])`.
///
/// It has `HashMap`'s semantics, with any [`BuildHasher`] `S`: one value per key,
/// lookups by any borrowed form of the key ([`get`](ReuseMap::get),
/// [`get_mut`](ReuseMap::get_mut), [`contains_key`](ReuseMap::contains_key),
/// `map[key]`), insertion, and removal named as `indexmap` names it:
/// [`shift_remove`](ReuseMap::shift_remove) and [`swap_remove`](ReuseMap::swap_remove).
///
/// # Order
///
/// Iteration follows insertion order: headers arrive in order and are printed in order,
/// so the map keeps it. Inserting a key that is already present keeps its place;
/// [`shift_remove`](ReuseMap::shift_remove) and [`retain`](ReuseMap::retain) keep the
/// order of the rest. The entries live in one vector, live ones first and spares after,
/// with a table of positions for lookups (as the `indexmap` crate does), so the order
/// costs nothing; `shift_remove` pays for it by shifting the later entries down, O(len).
/// [`swap_remove`](ReuseMap::swap_remove) is O(1) and moves the last entry into the hole
/// instead.
///
/// # Spares
///
/// - Entries removed by [`clear`](ReuseMap::clear), [`retain`](ReuseMap::retain) or the
///   reset become spares, key and value **reset on the spot**: a spare never holds its
///   last user's data.
/// - [`shift_remove`](ReuseMap::shift_remove) and [`swap_remove`](ReuseMap::swap_remove)
///   return the value itself, so that entry is not kept: an owned value cannot also be a
///   spare. `retain` removes and keeps.
/// - A value written over a spare (by `insert`, `extend` with owned pairs, or
///   [`VacantEntryRef::insert`]) is live before the spare is
///   dropped: a spare whose `Drop` panics cannot leave the new value among the spares.
/// - Live entries and spares together are never more than the most entries held at once;
///   [`shrink_spares_to`](ReuseMap::shrink_spares_to) drops spares beyond a bound you choose (the
///   derive's `#[pool(shrink_to = N)]` calls it after each reset).
///
/// Resetting (`Poolable::reset`, or `clear`) resets each live key and value once and
/// empties the position table (a `memset` of one byte per slot): it neither allocates nor
/// frees.
///
/// # Keys whose hash disagrees with their borrowed form
///
/// Lookups by a borrowed form `Q` assume that a key and its `Q` hash and compare alike,
/// as [`Borrow`] requires. A key type that breaks this gets wrong answers, as with
/// `HashMap`: lookups may miss, and `insert_with` may then add a second equal key. It never
/// gets undefined behaviour, and the map never panics on its account: the table of
/// positions is rebuilt from hashes stored with the entries, never from the keys.
///
/// # Examples
///
/// ```
/// use poolable::{Poolable, ReuseMap};
///
/// let mut headers: ReuseMap<String, String> = ReuseMap::new();
/// headers.insert_with("host", |value| value.push_str("example.com"));
/// headers.insert_with("accept", |value| value.push_str("*/*"));
/// assert_eq!(headers["host"], "example.com");
/// assert_eq!(headers.keys().collect::<Vec<_>>(), ["host", "accept"]);
///
/// headers.reset(); // keys and values cleared, kept as spares
/// assert!(headers.is_empty());
/// assert_eq!(headers.spare_count(), 2);
///
/// // The next request's headers fill those strings: no allocation.
/// headers.insert_with("host", |value| value.push_str("example.org"));
/// assert_eq!(headers.get("host").map(String::as_str), Some("example.org"));
/// ```
///
/// Removing while iterating does not compile, as with `HashMap`:
///
/// ```compile_fail,E0502
/// use poolable::ReuseMap;
///
/// let mut headers: ReuseMap<String, String> = ReuseMap::new();
/// headers.insert_with("host", |value| value.push_str("example.com"));
/// for (name, _) in headers.iter() {
///     headers.swap_remove(name.as_str());
/// }
/// ```
pub struct ReuseMap<K, V, S = RandomState> {
    /// Live entries in insertion order in `[..len]`, spares in `[len..]`. Every spare's
    /// key and value have been reset since the entry was last live.
    entries: Vec<Bucket<K, V>>,
    /// How many entries are live; `len <= entries.len()`.
    len: usize,
    /// The position of each live entry, found by the entry's stored hash. Holds exactly
    /// the positions `0..len`, each once.
    index: HashTable<usize>,
    hash_builder: S,
}

/// One entry, live or spare.
#[derive(Clone)]
struct Bucket<K, V> {
    /// The hash of `key` (of a spare: of its last key, unused). Kept so that the table of
    /// positions can be rebuilt or grown without running the key's `Hash`.
    hash: u64,
    key: K,
    value: V,
}

impl<K, V> ReuseMap<K, V> {
    /// An empty map with the standard library's `RandomState` hasher; allocates nothing
    /// until the first insertion.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let headers: ReuseMap<String, String> = ReuseMap::new();
    /// assert!(headers.is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        ReuseMap::with_hasher(RandomState::new())
    }

    /// An empty map with room for `capacity` entries, live or spare, before it grows.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let headers: ReuseMap<String, String> = ReuseMap::with_capacity(16);
    /// assert!(headers.is_empty());
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        ReuseMap::with_capacity_and_hasher(capacity, RandomState::new())
    }
}

impl<K: Poolable, V: Poolable> Bucket<K, V> {
    /// Resets the value, then the key: a value whose reset panics leaves its entry with
    /// its key, found by lookups as before.
    #[inline]
    fn reset(&mut self) {
        self.value.reset();
        self.key.reset();
    }
}

impl<K, V, S> ReuseMap<K, V, S> {
    /// An empty map that hashes keys with `hash_builder`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::hash::BuildHasherDefault;
    /// use std::collections::hash_map::DefaultHasher;
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<u32, u32, BuildHasherDefault<DefaultHasher>> =
    ///     ReuseMap::with_hasher(BuildHasherDefault::default());
    /// map.insert(1, 10);
    /// assert_eq!(map[&1], 10);
    /// ```
    #[must_use]
    pub const fn with_hasher(hash_builder: S) -> Self {
        ReuseMap {
            entries: Vec::new(),
            len: 0,
            index: HashTable::new(),
            hash_builder,
        }
    }

    /// An empty map with room for `capacity` entries that hashes keys with
    /// `hash_builder`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::collections::hash_map::RandomState;
    /// use poolable::ReuseMap;
    ///
    /// let map: ReuseMap<u32, u32> = ReuseMap::with_capacity_and_hasher(8, RandomState::new());
    /// assert!(map.is_empty());
    /// ```
    #[must_use]
    pub fn with_capacity_and_hasher(capacity: usize, hash_builder: S) -> Self {
        ReuseMap {
            entries: Vec::with_capacity(capacity),
            len: 0,
            index: HashTable::with_capacity(capacity),
            hash_builder,
        }
    }

    /// The map's hasher builder.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let map: ReuseMap<u32, u32> = ReuseMap::new();
    /// let _hasher: &std::collections::hash_map::RandomState = map.hasher();
    /// ```
    pub fn hasher(&self) -> &S {
        &self.hash_builder
    }

    /// How many entries are live.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let map: ReuseMap<u32, u32> = [(1, 10), (2, 20)].into_iter().collect();
    /// assert_eq!(map.len(), 2);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no entry is live (spares may be kept).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<u32, u32> = ReuseMap::new();
    /// assert!(map.is_empty());
    /// map.insert(1, 10);
    /// assert!(!map.is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many entries, key and value reset, are kept for the next insertions.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<u32, u32> = [(1, 10), (2, 20)].into_iter().collect();
    /// map.clear();
    /// assert_eq!(map.spare_count(), 2);
    /// ```
    #[inline]
    pub fn spare_count(&self) -> usize {
        self.entries.len() - self.len
    }

    /// The live entries, in insertion order.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let map: ReuseMap<&str, u32> = [("b", 2), ("a", 1)].into_iter().collect();
    /// assert_eq!(map.iter().collect::<Vec<_>>(), [(&"b", &2), (&"a", &1)]);
    /// ```
    #[inline]
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter {
            inner: self.entries[..self.len].iter(),
        }
    }

    /// The live entries, values mutable, in insertion order.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<&str, u32> = [("a", 1), ("b", 2)].into_iter().collect();
    /// for (_, value) in map.iter_mut() {
    ///     *value *= 10;
    /// }
    /// assert_eq!(map["b"], 20);
    /// ```
    #[inline]
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        IterMut {
            inner: self.entries[..self.len].iter_mut(),
        }
    }

    /// The live keys, in insertion order.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let map: ReuseMap<&str, u32> = [("b", 2), ("a", 1)].into_iter().collect();
    /// assert_eq!(map.keys().collect::<Vec<_>>(), [&"b", &"a"]);
    /// ```
    #[inline]
    pub fn keys(&self) -> Keys<'_, K, V> {
        Keys {
            inner: self.entries[..self.len].iter(),
        }
    }

    /// The live values, in insertion order.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let map: ReuseMap<&str, u32> = [("b", 2), ("a", 1)].into_iter().collect();
    /// assert_eq!(map.values().sum::<u32>(), 3);
    /// ```
    #[inline]
    pub fn values(&self) -> Values<'_, K, V> {
        Values {
            inner: self.entries[..self.len].iter(),
        }
    }

    /// The live values, mutable, in insertion order.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<&str, String> = ReuseMap::new();
    /// map.insert("a", "x".to_owned());
    /// map.values_mut().for_each(|value| value.push('!'));
    /// assert_eq!(map["a"], "x!");
    /// ```
    #[inline]
    pub fn values_mut(&mut self) -> ValuesMut<'_, K, V> {
        ValuesMut {
            inner: self.entries[..self.len].iter_mut(),
        }
    }

    /// How many entries the map holds room for, live or spare, before it reallocates.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let map: ReuseMap<String, String> = ReuseMap::with_capacity(16);
    /// assert!(map.capacity() >= 16);
    /// ```
    pub fn capacity(&self) -> usize {
        // The table holds positions of live entries only, so it bounds the live ones.
        self.entries.capacity().min(self.index.capacity())
    }

    /// Makes room for at least `additional` more live entries without reallocating:
    /// spares count as room, since inserting takes their slots.
    ///
    /// # Panics
    ///
    /// If the new capacity overflows `usize`, as `HashMap::reserve`.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<String, String> = ReuseMap::new();
    /// map.reserve(10);
    /// assert!(map.capacity() >= 10);
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        let wanted = self.len.checked_add(additional).expect("capacity overflow");
        self.entries
            .reserve(wanted.saturating_sub(self.entries.len()));
        let entries = &self.entries;
        self.index.reserve(additional, |&at| entries[at].hash);
    }

    /// `reserve` for `extend`, as `HashMap` does it: when the map is not empty, half the
    /// hint, since some keys may be present already.
    fn reserve_for_extend(&mut self, hint: usize) {
        self.reserve(if self.is_empty() {
            hint
        } else {
            hint.div_ceil(2)
        });
    }

    /// Keeps at most `spares` spare entries, dropping the rest, and gives back the
    /// capacity above what the live entries and those spares need.
    ///
    /// `shrink_spares_to(0)` drops every spare; `shrink_spares_to(usize::MAX)` drops
    /// none. Live entries are never touched. `#[pool(shrink_to = N)]` on a field of a
    /// derived type calls this after the field's reset, so the map keeps at most `N`
    /// spare entries across uses: the retention cap for a rare request with thousands of
    /// headers. (It is not named `shrink_to` because `HashMap::shrink_to` takes a
    /// capacity, live entries included.)
    ///
    /// Like [`ReuseVec::shrink_spares_to`](crate::ReuseVec::shrink_spares_to), it caps how
    /// many spare entries are kept, not how large each key or value is; see there for how
    /// to cap size too.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<u32, String> = (0..100).map(|i| (i, i.to_string())).collect();
    /// map.clear();
    /// map.shrink_spares_to(8);
    /// assert_eq!(map.spare_count(), 8);
    /// ```
    pub fn shrink_spares_to(&mut self, spares: usize) {
        let keep = self.len.saturating_add(spares);
        if keep < self.entries.len() {
            self.entries.truncate(keep);
        }
        self.entries.shrink_to(keep);
        // Room in the table for as many entries as may be live again without a new one,
        // so that refilling never grows it. (Sized by the entries left instead, a map
        // that removes, and so has fewer entries than it indexed, would give back room
        // it needs again on its next use.)
        let entries = &self.entries;
        self.index.shrink_to(keep, |&at| entries[at].hash);
    }

    /// The spare entries, for tests that check they are reset.
    #[cfg(test)]
    pub(super) fn spares(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries[self.len..].iter().map(|b| (&b.key, &b.value))
    }

    /// Panics unless the table of positions holds exactly the positions `0..len`, once
    /// each, under the stored hash of the entry there.
    #[cfg(test)]
    pub(super) fn check_index(&self) {
        assert_eq!(self.index.len(), self.len);
        let mut seen = vec![false; self.len];
        for &at in self.index.iter() {
            assert!(at < self.len && !seen[at], "position {at} stale or twice");
            seen[at] = true;
        }
        for (at, bucket) in self.entries[..self.len].iter().enumerate() {
            assert_eq!(self.index.find(bucket.hash, |&pos| pos == at), Some(&at));
        }
    }

    /// Refills the table of positions from the stored hashes of `[..len]`. Runs no user
    /// code, so it is safe to call while unwinding.
    fn rebuild_index(&mut self) {
        let ReuseMap {
            entries,
            len,
            index,
            ..
        } = self;
        index.clear();
        for (at, bucket) in entries[..*len].iter().enumerate() {
            index.insert_unique(bucket.hash, at, |&at| entries[at].hash);
        }
    }
}

impl<K, V, S> ReuseMap<K, V, S>
where
    K: Hash + Eq,
    S: BuildHasher,
{
    /// The position of the live entry whose key equals `key`.
    #[inline]
    fn find<Q>(&self, hash: u64, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
        Q: Eq + ?Sized,
    {
        let entries = &self.entries;
        self.index
            .find(hash, |&at| entries[at].key.borrow() == key)
            .copied()
    }

    /// Takes the spare at `len` (or a new entry) for `key`, indexes it and makes it live;
    /// returns its position. The caller has checked that `key` is absent.
    #[inline]
    fn insert_new<Q>(&mut self, hash: u64, key: &Q) -> usize
    where
        K: ReuseKey<Q>,
        V: NewPooled,
        Q: ?Sized,
    {
        match self.revive_spare(hash, key) {
            Some(at) => at,
            None => {
                let at = self.len;
                self.push_live(Bucket {
                    hash,
                    key: K::from_borrowed(key),
                    value: V::new_pooled(),
                });
                at
            }
        }
    }

    /// Makes the next spare live for `key`, which is absent, filling its key from `key`,
    /// and returns its position; `None` when no spare is left. Its value is as the spare
    /// had it: reset.
    fn revive_spare<Q>(&mut self, hash: u64, key: &Q) -> Option<usize>
    where
        K: ReuseKey<Q>,
        Q: ?Sized,
    {
        let at = self.len;
        let spare = self.entries.get_mut(at)?;
        spare.hash = hash;
        let entries = &self.entries;
        self.index.insert_unique(hash, at, |&at| entries[at].hash);
        self.len += 1;
        // Filled once live, so that a `fill_from` that panics halfway leaves its work in
        // a live entry (which lookups may then miss), not among the spares.
        self.entries[at].key.fill_from(key);
        Some(at)
    }

    /// Makes `bucket`, whose key is absent, the last live entry, in the slot of the next
    /// spare if there is one, and returns that spare for the caller to drop once it has
    /// nothing left to do. Runs no user code.
    fn push_live(&mut self, bucket: Bucket<K, V>) -> Option<Bucket<K, V>> {
        let at = self.len;
        let hash = bucket.hash;
        let displaced = if at < self.entries.len() {
            Some(std::mem::replace(&mut self.entries[at], bucket))
        } else {
            self.entries.push(bucket);
            None
        };
        let entries = &self.entries;
        self.index.insert_unique(hash, at, |&at| entries[at].hash);
        self.len += 1;
        displaced
    }

    /// The value for `key`, or `None`.
    ///
    /// `key` may be any borrowed form of the key type (`&str` for `String` keys).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut headers: ReuseMap<String, String> = ReuseMap::new();
    /// headers.insert_with("host", |value| value.push_str("example.com"));
    /// assert_eq!(headers.get("host").map(String::as_str), Some("example.com"));
    /// assert_eq!(headers.get("accept"), None);
    /// ```
    #[inline]
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let at = self.find(self.hash_builder.hash_one(key), key)?;
        Some(&self.entries[at].value)
    }

    /// The key and value for `key`, or `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let map: ReuseMap<String, u32> = [("a".to_owned(), 1)].into_iter().collect();
    /// assert_eq!(map.get_key_value("a"), Some((&"a".to_owned(), &1)));
    /// ```
    #[inline]
    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let at = self.find(self.hash_builder.hash_one(key), key)?;
        let bucket = &self.entries[at];
        Some((&bucket.key, &bucket.value))
    }

    /// The value for `key`, mutable, or `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut headers: ReuseMap<String, String> = ReuseMap::new();
    /// headers.insert_with("accept", |value| value.push_str("text/html"));
    /// if let Some(value) = headers.get_mut("accept") {
    ///     value.push_str(", */*");
    /// }
    /// assert_eq!(headers["accept"], "text/html, */*");
    /// ```
    #[inline]
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let at = self.find(self.hash_builder.hash_one(key), key)?;
        Some(&mut self.entries[at].value)
    }

    /// Whether `key` has a value.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut headers: ReuseMap<String, String> = ReuseMap::new();
    /// headers.insert_with("host", |value| value.push_str("example.com"));
    /// assert!(headers.contains_key("host"));
    /// assert!(!headers.contains_key("Host"));
    /// ```
    #[inline]
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.find(self.hash_builder.hash_one(key), key).is_some()
    }

    /// Sets `key` to `value`, values you made; returns the value it replaces, if any.
    ///
    /// As `HashMap::insert`: when the key is present, its entry keeps its place and its
    /// key, `key` is dropped, and the old value is returned. Otherwise the entry goes
    /// last, in the slot of the next spare, which is dropped once the entry is live.
    ///
    /// This does not reuse: `key` and `value` were allocated before the map saw them.
    /// Where `HashMap` code reads `map.insert(name.to_owned(), value.to_owned())` in a
    /// loop, write `map.insert_with(name, |v| v.push_str(value))`,
    /// `map.entry_ref(name).or_default()`, or `map.extend([(name, value)])`: they fill a
    /// spare key and value from the borrowed forms.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map = ReuseMap::new();
    /// assert_eq!(map.insert("a", 1), None);
    /// assert_eq!(map.insert("a", 2), Some(1));
    /// assert_eq!(map["a"], 2);
    /// ```
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        let hash = self.hash_builder.hash_one(&key);
        if let Some(at) = self.find(hash, &key) {
            let old = std::mem::replace(&mut self.entries[at].value, value);
            // Dropped here rather than at the return, so that a `Drop` of `key` that
            // panics drops `old` too instead of leaking it (rust-lang/rust#47949).
            drop(key);
            return Some(old);
        }
        let displaced = self.push_live(Bucket { hash, key, value });
        // Only now, with the new entry live: a spare whose `Drop` panics cannot leave
        // the new entry among the spares.
        drop(displaced);
        None
    }

    /// Sets the value of `key`, given borrowed, and returns it after `fill` has filled it:
    /// the insertion that reuses spares.
    ///
    /// When `key` is absent, a spare key is filled from it with [`ReuseKey::fill_from`]
    /// (a `String` key keeps its buffer) and `fill` gets the spare's value, reset; with no
    /// spare left, a key is made with [`ReuseKey::from_borrowed`] and a value with
    /// [`NewPooled`] (`Default`). The entry goes last. When `key` is present, its entry
    /// keeps its place, and `fill` gets its value reset in place: the new value replaces
    /// the old one, as with `HashMap::insert`. To add to an existing value instead, use
    /// [`get_or_insert_default`](ReuseMap::get_or_insert_default).
    ///
    /// # Panics
    ///
    /// Only if the key's `Hash` or `Eq`, `fill`, or a reset panics. The map stays
    /// consistent: the entry is live if `fill` had started.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut headers: ReuseMap<String, String> = ReuseMap::new();
    /// headers.insert_with("host", |value| value.push_str("example.com"));
    /// headers.insert_with("host", |value| value.push_str("example.org"));
    /// assert_eq!(headers["host"], "example.org");
    ///
    /// // It returns the value too, for a second look.
    /// let length = headers.insert_with("content-length", |value| value.push_str("42"));
    /// assert_eq!(length.parse::<u32>(), Ok(42));
    /// ```
    pub fn insert_with<Q>(&mut self, key: &Q, fill: impl FnOnce(&mut V)) -> &mut V
    where
        K: ReuseKey<Q>,
        V: Poolable + NewPooled,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hash_builder.hash_one(key);
        let at = match self.find(hash, key) {
            Some(at) => {
                self.entries[at].value.reset();
                at
            }
            None => self.insert_new(hash, key),
        };
        let value = &mut self.entries[at].value;
        fill(value);
        value
    }

    /// The value of `key`, given borrowed, as it is; or, when `key` is absent, a new entry's
    /// value, reset, to fill.
    ///
    /// A new entry reuses a spare as [`insert_with`](ReuseMap::insert_with) does. Use it
    /// to add to a value, as for a header that arrives twice.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut headers: ReuseMap<String, String> = ReuseMap::new();
    /// for (name, value) in [("accept", "text/html"), ("accept", "*/*")] {
    ///     let joined = headers.get_or_insert_default(name);
    ///     if !joined.is_empty() {
    ///         joined.push_str(", ");
    ///     }
    ///     joined.push_str(value);
    /// }
    /// assert_eq!(headers["accept"], "text/html, */*");
    /// ```
    pub fn get_or_insert_default<Q>(&mut self, key: &Q) -> &mut V
    where
        K: ReuseKey<Q>,
        V: NewPooled,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hash_builder.hash_one(key);
        let at = match self.find(hash, key) {
            Some(at) => at,
            None => self.insert_new(hash, key),
        };
        &mut self.entries[at].value
    }

    /// Removes `key`'s entry and returns its value, or `None` when absent. The entries
    /// after it move down one place, so the order of the rest is kept: O(len). (As
    /// `IndexMap::shift_remove`; [`swap_remove`](ReuseMap::swap_remove) is O(1).)
    ///
    /// The value is handed to you and the key is dropped, so this entry is not kept as a
    /// spare. To remove entries and keep them, use [`retain`](ReuseMap::retain). If the
    /// key's `Drop` panics, the value is dropped too, never leaked.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<&str, u32> = [("a", 1), ("b", 2), ("c", 3)].into_iter().collect();
    /// assert_eq!(map.shift_remove("a"), Some(1));
    /// assert_eq!(map.shift_remove("a"), None);
    /// assert_eq!(map.keys().collect::<Vec<_>>(), [&"b", &"c"]);
    /// ```
    pub fn shift_remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let at = self.unindex(key)?;
        Some(self.shift_out(at).into_value())
    }

    /// Removes `key`'s entry and returns its key and value, or `None` when absent; the
    /// order of the rest is kept, as with [`shift_remove`](ReuseMap::shift_remove).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<String, u32> = [("a".to_owned(), 1)].into_iter().collect();
    /// assert_eq!(map.shift_remove_entry("a"), Some(("a".to_owned(), 1)));
    /// ```
    pub fn shift_remove_entry<Q>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let at = self.unindex(key)?;
        let Bucket { key, value, .. } = self.shift_out(at);
        Some((key, value))
    }

    /// Removes `key`'s entry and returns its value, or `None` when absent; the last entry
    /// takes its place: O(1), but the order changes (as `IndexMap::swap_remove`).
    ///
    /// As with [`shift_remove`](ReuseMap::shift_remove), the value is handed to you and
    /// the key is dropped, so this entry is not kept as a spare; if the key's `Drop`
    /// panics, the value is dropped too, never leaked.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<&str, u32> = [("a", 1), ("b", 2), ("c", 3)].into_iter().collect();
    /// assert_eq!(map.swap_remove("a"), Some(1));
    /// assert_eq!(map.keys().collect::<Vec<_>>(), [&"c", &"b"]);
    /// ```
    pub fn swap_remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let at = self.unindex(key)?;
        Some(self.swap_out(at).into_value())
    }

    /// Removes `key`'s entry and returns its key and value, or `None` when absent; the
    /// last entry takes its place, as with [`swap_remove`](ReuseMap::swap_remove).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<String, u32> = [("a".to_owned(), 1)].into_iter().collect();
    /// assert_eq!(map.swap_remove_entry("a"), Some(("a".to_owned(), 1)));
    /// ```
    pub fn swap_remove_entry<Q>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let at = self.unindex(key)?;
        let Bucket { key, value, .. } = self.swap_out(at);
        Some((key, value))
    }

    /// Removes `key`'s entry and returns its value: [`shift_remove`](ReuseMap::shift_remove).
    ///
    /// Deprecated, as `IndexMap::remove` is, because the name does not say which of two
    /// removals it is: `shift_remove` keeps the order of the rest in O(len),
    /// `swap_remove` moves the last entry into the hole in O(1). Kept (rather than
    /// removed) so that code written for `HashMap` still compiles and the warning names
    /// both.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<&str, u32> = [("a", 1), ("b", 2)].into_iter().collect();
    /// #[allow(deprecated)]
    /// let removed = map.shift_remove("a");
    /// assert_eq!(removed, Some(1));
    /// ```
    #[deprecated(
        since = "0.1.0",
        note = "use `shift_remove` to keep the order of the other entries (O(len)), or `swap_remove` to move the last entry into the hole (O(1)), as indexmap names them"
    )]
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.shift_remove(key)
    }

    /// Takes the position of `key`'s live entry out of the table and returns it; the
    /// entry itself is still at that position, for [`shift_out`](Self::shift_out) or
    /// [`swap_out`](Self::swap_out) to take.
    fn unindex<Q>(&mut self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hash_builder.hash_one(key);
        let entries = &self.entries;
        let (at, _) = self
            .index
            .find_entry(hash, |&at| entries[at].key.borrow() == key)
            .ok()?
            .remove();
        Some(at)
    }
}

impl<K, V, S> ReuseMap<K, V, S> {
    /// Takes out the live entry at `at`, already out of the table; the entries after it
    /// move down one place, and so do their positions. Runs no user code.
    fn shift_out(&mut self, at: usize) -> Bucket<K, V> {
        for later in at + 1..self.len {
            let moved = self
                .index
                .find_mut(self.entries[later].hash, |&pos| pos == later);
            if let Some(pos) = moved {
                *pos = later - 1;
            }
        }
        self.len -= 1;
        self.entries.remove(at)
    }

    /// Takes out the live entry at `at`, already out of the table; the last live entry
    /// moves into its place, and the last spare, if any, into the last live one's. Runs
    /// no user code.
    fn swap_out(&mut self, at: usize) -> Bucket<K, V> {
        let last = self.len - 1;
        if at != last {
            let moved = self
                .index
                .find_mut(self.entries[last].hash, |&pos| pos == last);
            if let Some(pos) = moved {
                *pos = at;
            }
            self.entries.swap(at, last);
        }
        self.len = last;
        self.entries.swap_remove(last)
    }

    /// Takes the live entry at `at` out of the table of positions.
    fn unindex_at(&mut self, at: usize) {
        if let Ok(entry) = self
            .index
            .find_entry(self.entries[at].hash, |&pos| pos == at)
        {
            entry.remove();
        }
    }
}

impl<K, V> Bucket<K, V> {
    /// The value; the key is dropped first, as a statement of its own, so that a key
    /// whose `Drop` panics drops the value with the unwinding instead of leaking it
    /// (rust-lang/rust#47949 leaks a value whose temporaries panic on the way out).
    fn into_value(self) -> V {
        let Bucket { key, value, .. } = self;
        drop(key);
        value
    }
}

// Entries by borrowed key; the entry types are in `map/entry.rs`.
impl<K, V, S> ReuseMap<K, V, S>
where
    K: Hash + Eq,
    S: BuildHasher,
{
    /// The entry for `key`, given borrowed (`&str` for a `String` key), to read, change
    /// or fill: the shape of hashbrown's `entry_ref`.
    ///
    /// A vacant entry that you fill takes a spare: its key is filled from `key` with
    /// [`ReuseKey::fill_from`] (a `String` keeps its buffer) and its value is the
    /// spare's, reset. So `map.entry_ref(name).or_default().push_str(value)` is the
    /// reusing way to add to a value, and allocates nothing once the map has held that
    /// many entries. Looking the key up hashes it once; the entry keeps the hash.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{Poolable, ReuseMap};
    ///
    /// let mut headers: ReuseMap<String, String> = ReuseMap::new();
    /// for (name, value) in [("accept", "text/html"), ("host", "example.com"), ("accept", "*/*")] {
    ///     let joined = headers.entry_ref(name).or_default();
    ///     if !joined.is_empty() {
    ///         joined.push_str(", ");
    ///     }
    ///     joined.push_str(value);
    /// }
    /// assert_eq!(headers["accept"], "text/html, */*");
    ///
    /// headers.reset();
    /// headers.entry_ref("etag").or_default().push_str("xyz"); // spare key and value
    /// assert_eq!(headers.spare_count(), 1);
    /// ```
    pub fn entry_ref<'a, 'q, Q>(&'a mut self, key: &'q Q) -> EntryRef<'a, 'q, K, Q, V, S>
    where
        K: ReuseKey<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hash_builder.hash_one(key);
        match self.find(hash, key) {
            Some(at) => EntryRef::Occupied(OccupiedEntry { map: self, at }),
            None => EntryRef::Vacant(VacantEntryRef {
                map: self,
                hash,
                key,
            }),
        }
    }
}

impl<K: Poolable, V: Poolable, S> ReuseMap<K, V, S> {
    /// Removes every live entry; each key and value is reset and kept as a spare. The
    /// same as `Poolable::reset`.
    ///
    /// # Panics
    ///
    /// Only if a key's or value's reset panics. Entries are reset from the last one down,
    /// value first: the entries before the one that panicked, and that one, stay live and
    /// can be looked up (unless it was its key's reset that panicked: then that entry is
    /// live but lookups may miss it), those after it are spares. Nothing is dropped twice
    /// or lost.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut map: ReuseMap<String, String> = ReuseMap::new();
    /// map.insert_with("a", |value| value.push('1'));
    /// map.clear();
    /// assert!(map.is_empty() && !map.contains_key("a"));
    /// assert_eq!(map.spare_count(), 1);
    /// ```
    pub fn clear(&mut self) {
        let guard = RebuildIndex(self);
        let map = &mut *guard.0;
        while map.len > 0 {
            map.entries[map.len - 1].reset();
            map.len -= 1;
        }
        // The guard's drop empties the table: `len` is 0.
    }

    /// Keeps the entries for which `keep` returns true, in their order; the others are
    /// reset and kept as spares.
    ///
    /// # Panics
    ///
    /// Only if `keep` or a reset panics. Then every entry is still in the map, live ones
    /// can be looked up, and none is dropped twice; the live entries may have been
    /// reordered and some of them reset.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut headers: ReuseMap<String, String> = ReuseMap::new();
    /// headers.insert_with("connection", |value| value.push_str("close"));
    /// headers.insert_with("host", |value| value.push_str("example.com"));
    /// headers.retain(|name, _| name != "connection"); // hop-by-hop header out, kept as a spare
    /// assert_eq!(headers.keys().collect::<Vec<_>>(), ["host"]);
    /// assert_eq!(headers.spare_count(), 1);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        let guard = RebuildIndex(self);
        let map = &mut *guard.0;
        let mut kept = 0;
        for at in 0..map.len {
            let bucket = &mut map.entries[at];
            if keep(&bucket.key, &mut bucket.value) {
                map.entries.swap(kept, at);
                kept += 1;
            }
        }
        while map.len > kept {
            map.entries[map.len - 1].reset();
            map.len -= 1;
        }
        // The guard's drop refills the table with the positions of the kept entries.
    }
}

/// What decoding in place needs (`super::serde`): a key decoded straight into a spare.
#[cfg(feature = "serde")]
impl<K, V, S> ReuseMap<K, V, S>
where
    K: Hash + Eq + Poolable + NewPooled,
    V: Poolable + NewPooled,
    S: BuildHasher,
{
    /// Lets `fill` write a key into a spare key (or a new one when no spare is left) and
    /// returns the position of the live entry for that key, whose value is reset, ready
    /// to be filled in place.
    ///
    /// When the key is new, the spare becomes live with its spare value. When it is
    /// already present (a repeated key in the input), the filled key is reset and goes
    /// back among the spares, and the present entry keeps its place and has its value
    /// reset: the value filled next replaces the old one, as `HashMap` does.
    ///
    /// The spare is taken out of the map while `fill` runs, so whatever `fill` does, a
    /// half-written key never sits among the spares: on `Err` it is reset and put back;
    /// if `fill` panics, it is dropped with the unwinding.
    pub(super) fn fill_key_in_place<E>(
        &mut self,
        fill: impl FnOnce(&mut K) -> Result<(), E>,
    ) -> Result<usize, E> {
        let spare = self.len < self.entries.len();
        let mut bucket = if spare {
            // Spares have no order: the last one takes this one's slot.
            self.entries.swap_remove(self.len)
        } else {
            Bucket {
                hash: 0,
                key: K::new_pooled(),
                value: V::new_pooled(),
            }
        };
        if let Err(error) = fill(&mut bucket.key) {
            if spare {
                bucket.key.reset();
                self.entries.push(bucket);
            }
            return Err(error);
        }
        let hash = self.hash_builder.hash_one(&bucket.key);
        if let Some(at) = self.find(hash, &bucket.key) {
            // A repeated key. A new bucket is simply dropped: kept, it would be a spare
            // beyond the most entries the map has held.
            if spare {
                bucket.key.reset();
                self.entries.push(bucket);
            }
            self.entries[at].value.reset();
            return Ok(at);
        }
        bucket.hash = hash;
        let at = self.len;
        // Back in the slot it came from (the pop of `swap_remove` left room: no
        // allocation), and live; nothing here runs user code.
        self.entries.push(bucket);
        let last = self.entries.len() - 1;
        self.entries.swap(at, last);
        let entries = &self.entries;
        self.index.insert_unique(hash, at, |&at| entries[at].hash);
        self.len += 1;
        Ok(at)
    }

    /// The value of the live entry at `at`.
    pub(super) fn value_at_mut(&mut self, at: usize) -> &mut V {
        &mut self.entries[..self.len][at].value
    }
}

/// Rebuilds the map's table of positions when dropped, by return or by unwinding, so that
/// it matches `[..len]` whatever a user callback or reset did.
struct RebuildIndex<'a, K, V, S>(&'a mut ReuseMap<K, V, S>);

impl<K, V, S> Drop for RebuildIndex<'_, K, V, S> {
    fn drop(&mut self) {
        self.0.rebuild_index();
    }
}

impl<K, V, S: Default> Default for ReuseMap<K, V, S> {
    #[inline]
    fn default() -> Self {
        ReuseMap::with_hasher(S::default())
    }
}

// Kept out of "other types implement `Poolable`" lists, as the std impls are (see `reset.rs`).
#[diagnostic::do_not_recommend]
impl<K: Poolable, V: Poolable, S> Poolable for ReuseMap<K, V, S> {
    /// Resets every live key and value and keeps them as spares; see
    /// [`clear`](ReuseMap::clear).
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

impl<K: fmt::Debug, V: fmt::Debug, S> fmt::Debug for ReuseMap<K, V, S> {
    /// The live entries, as a map in insertion order; spares are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// `K` and `V: Poolable` as well as `Clone`, because `clone_from` resets the entries it
/// no longer needs into spares.
impl<K: Clone + Poolable, V: Clone + Poolable, S: Clone> Clone for ReuseMap<K, V, S> {
    /// A map of clones of the live entries, in the same order, with no spares.
    fn clone(&self) -> Self {
        ReuseMap {
            entries: self.entries[..self.len].to_vec(),
            len: self.len,
            // Holds positions `0..len` only, which the clone has.
            index: self.index.clone(),
            hash_builder: self.hash_builder.clone(),
        }
    }

    /// Makes this map equal to `source`, in its order and with its hasher, reusing what
    /// it holds: its entries are reset into spares, then each of `source`'s keys and
    /// values is cloned into a spare with `clone_from` (a `String` keeps its buffer), and
    /// only the entries beyond the spares are cloned anew. The keys are not hashed again:
    /// the hashes come with `source`'s entries.
    ///
    /// # Panics
    ///
    /// Only if a `clone_from`, `clone` or reset panics; the entry being cloned into is
    /// live by then (lookups may miss it), so no spare holds data.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let mut headers: ReuseMap<String, String> = ReuseMap::new();
    /// headers.insert_with("a long header name", |v| v.push_str("and its value"));
    /// let buffer = headers.keys().next().unwrap().as_ptr();
    ///
    /// let mut source: ReuseMap<String, String> = ReuseMap::new();
    /// source.insert_with("host", |v| v.push_str("example.com"));
    /// headers.clone_from(&source);
    /// assert_eq!(headers, source);
    /// assert_eq!(headers.keys().next().unwrap().as_ptr(), buffer, "refilled in place");
    /// ```
    fn clone_from(&mut self, source: &Self) {
        self.clear();
        self.hash_builder.clone_from(&source.hash_builder);
        let guard = RebuildIndex(self);
        let map = &mut *guard.0;
        for from in &source.entries[..source.len] {
            if map.len < map.entries.len() {
                // Live before it is filled, so that a panic leaves no data in a spare.
                let at = map.len;
                map.len += 1;
                let bucket = &mut map.entries[at];
                bucket.hash = from.hash;
                bucket.key.clone_from(&from.key);
                bucket.value.clone_from(&from.value);
            } else {
                map.entries.push(from.clone());
                map.len += 1;
            }
        }
        // The guard's drop indexes the entries by the hashes they came with.
    }
}

impl<K, V, S> PartialEq for ReuseMap<K, V, S>
where
    K: Hash + Eq,
    V: PartialEq,
    S: BuildHasher,
{
    /// As `HashMap`: equal when both hold the same keys with equal values, in any order.
    /// Spares do not count.
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self
                .iter()
                .all(|(key, value)| other.get(key).is_some_and(|other| value == other))
    }
}

impl<K: Hash + Eq, V: Eq, S: BuildHasher> Eq for ReuseMap<K, V, S> {}

impl<K, Q, V, S> Index<&Q> for ReuseMap<K, V, S>
where
    K: Borrow<Q> + Hash + Eq,
    Q: Hash + Eq + ?Sized,
    S: BuildHasher,
{
    type Output = V;

    /// The value for `key`.
    ///
    /// # Panics
    ///
    /// If `key` is absent.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<K, V, S> Extend<(K, V)> for ReuseMap<K, V, S>
where
    K: Hash + Eq,
    S: BuildHasher,
{
    /// Inserts each pair, as [`insert`](ReuseMap::insert) does: keys and values you
    /// made, each dropping the spare whose slot it takes. To fill spares instead, extend
    /// from borrowed forms: `(&K, &V)`, or `(&str, &str)` for a map of strings.
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve_for_extend(iter.size_hint().0);
        for (key, value) in iter {
            self.insert(key, value);
        }
    }
}

impl<'a, S: BuildHasher> Extend<(&'a str, &'a str)> for ReuseMap<String, String, S> {
    /// Inserts each pair, the key copied into a spare key and the value into a spare
    /// value where there are spares: the reusing way to fill a map of strings. A key that
    /// is present keeps its place and gets the new value, as with
    /// [`insert_with`](ReuseMap::insert_with).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{Poolable, ReuseMap};
    ///
    /// let mut headers: ReuseMap<String, String> = ReuseMap::new();
    /// headers.extend([("host", "example.com"), ("accept", "*/*")]);
    /// assert_eq!(headers["accept"], "*/*");
    ///
    /// headers.reset();
    /// headers.extend([("host", "example.org")]); // into last time's strings
    /// assert_eq!(headers.spare_count(), 1);
    /// ```
    fn extend<I: IntoIterator<Item = (&'a str, &'a str)>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve_for_extend(iter.size_hint().0);
        for (key, value) in iter {
            self.insert_with(key, |spare| spare.push_str(value));
        }
    }
}

impl<'a, K, V, S> Extend<(&'a K, &'a V)> for ReuseMap<K, V, S>
where
    K: Hash + Eq + Clone,
    V: Clone,
    S: BuildHasher,
{
    /// Inserts a clone of each pair, written over a spare's key and value with
    /// `clone_from` where there is one: `map.extend(&other)` reuses the spares.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let source: ReuseMap<String, String> = [("a", "1"), ("b", "2")].into_iter().collect();
    /// let mut map: ReuseMap<String, String> = ReuseMap::new();
    /// map.extend(&source);
    /// assert_eq!(map, source);
    /// ```
    fn extend<I: IntoIterator<Item = (&'a K, &'a V)>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve_for_extend(iter.size_hint().0);
        for (key, value) in iter {
            let hash = self.hash_builder.hash_one(key);
            let at = match self.find(hash, key) {
                Some(at) => at,
                None => match self.revive_spare(hash, key) {
                    Some(at) => at,
                    None => {
                        self.push_live(Bucket {
                            hash,
                            key: key.clone(),
                            value: value.clone(),
                        });
                        continue;
                    }
                },
            };
            self.entries[at].value.clone_from(value);
        }
    }
}

impl<K, V, S> FromIterator<(K, V)> for ReuseMap<K, V, S>
where
    K: Hash + Eq,
    S: BuildHasher + Default,
{
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = ReuseMap::default();
        map.extend(iter);
        map
    }
}

impl<'a, S: BuildHasher + Default> FromIterator<(&'a str, &'a str)>
    for ReuseMap<String, String, S>
{
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let headers: ReuseMap<String, String> = [("host", "example.com")].into_iter().collect();
    /// assert_eq!(headers["host"], "example.com");
    /// ```
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(iter: I) -> Self {
        let mut map = ReuseMap::default();
        map.extend(iter);
        map
    }
}

impl<'a, K, V, S> FromIterator<(&'a K, &'a V)> for ReuseMap<K, V, S>
where
    K: Hash + Eq + Clone,
    V: Clone,
    S: BuildHasher + Default,
{
    fn from_iter<I: IntoIterator<Item = (&'a K, &'a V)>>(iter: I) -> Self {
        let mut map = ReuseMap::default();
        map.extend(iter);
        map
    }
}

impl<K, V, const N: usize> From<[(K, V); N]> for ReuseMap<K, V>
where
    K: Hash + Eq,
{
    /// A map of these entries, in this order; a repeated key keeps its first place and
    /// its last value.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseMap;
    ///
    /// let map = ReuseMap::from([("host", "example.com"), ("accept", "*/*")]);
    /// assert_eq!(map.keys().collect::<Vec<_>>(), [&"host", &"accept"]);
    /// ```
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<K, V, S> IntoIterator for ReuseMap<K, V, S> {
    type Item = (K, V);
    type IntoIter = IntoIter<K, V>;

    /// The live entries, by value, in insertion order; the spares are dropped.
    fn into_iter(mut self) -> IntoIter<K, V> {
        self.entries.truncate(self.len);
        IntoIter {
            inner: self.entries.into_iter(),
        }
    }
}

impl<'a, K, V, S> IntoIterator for &'a ReuseMap<K, V, S> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Iter<'a, K, V> {
        self.iter()
    }
}

impl<'a, K, V, S> IntoIterator for &'a mut ReuseMap<K, V, S> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;

    fn into_iter(self) -> IterMut<'a, K, V> {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Headers = ReuseMap<String, String>;

    /// Checks the table of positions against the entries, and that spares are reset.
    fn check(map: &Headers) {
        map.check_index();
        for (key, value) in map.spares() {
            assert!(key.is_empty() && value.is_empty());
        }
        for (key, value) in map.iter() {
            assert_eq!(map.get(key.as_str()), Some(value));
        }
    }

    fn headers(pairs: &[(&str, &str)]) -> Headers {
        let mut map = Headers::new();
        for (name, value) in pairs {
            map.insert_with(*name, |v| v.push_str(value));
        }
        map
    }

    #[test]
    fn spares_are_reset_and_reused() {
        let mut map = headers(&[("host", "a"), ("accept", "b")]);
        let key_buffer = map.entries[0].key.as_ptr();
        map.clear();
        check(&map);
        assert_eq!(map.spare_count(), 2);
        map.insert_with("etag", |v| v.push('x'));
        assert_eq!(map.entries[0].key.as_ptr(), key_buffer);
        assert_eq!(map["etag"], "x");
        assert!(!map.contains_key("host"));
        check(&map);
    }

    #[test]
    fn remove_keeps_order_and_positions() {
        let mut map = headers(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")]);
        assert_eq!(map.shift_remove("b").as_deref(), Some("2"));
        check(&map);
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a", "c", "d"]);
        assert_eq!(map.shift_remove("zz"), None);
        assert_eq!(map.shift_remove("d").as_deref(), Some("4"));
        check(&map);
    }

    #[test]
    fn retain_keeps_order_and_resets_the_rest() {
        let mut map = headers(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")]);
        map.retain(|k, _| k != "a" && k != "c");
        check(&map);
        assert_eq!(map.keys().collect::<Vec<_>>(), ["b", "d"]);
        assert_eq!(map.spare_count(), 2);
    }

    #[test]
    fn insert_with_replaces_in_place() {
        let mut map = headers(&[("a", "1"), ("b", "2")]);
        map.insert_with("a", |v| v.push('9'));
        assert_eq!(map.iter().collect::<Vec<_>>()[0].1, "9");
        assert_eq!(map.insert("b".into(), "x".into()).as_deref(), Some("2"));
        check(&map);
    }

    #[test]
    fn shrink_spares_to_bounds() {
        let mut map = headers(&[("a", "1"), ("b", "2"), ("c", "3")]);
        map.clear();
        map.shrink_spares_to(usize::MAX);
        assert_eq!(map.spare_count(), 3);
        map.shrink_spares_to(1);
        assert_eq!(map.spare_count(), 1);
        map.shrink_spares_to(0);
        assert_eq!(map.spare_count(), 0);
        map.insert_with("z", |v| v.push('1'));
        check(&map);
    }

    #[test]
    fn shrink_spares_to_keeps_the_table_room_for_what_it_keeps() {
        let mut map = Headers::new();
        for i in 0..10 {
            map.insert_with(i.to_string().as_str(), |v| v.push('x'));
        }
        let room = map.index.capacity();
        map.shift_remove("3");
        map.shift_remove("4");
        map.clear();
        map.shrink_spares_to(64);
        assert_eq!(
            map.index.capacity(),
            room,
            "room for 10 again, without growing"
        );
        map.shrink_spares_to(0);
        assert!(map.index.capacity() < room);
        check(&map);
    }

    #[test]
    fn equality_ignores_order_and_spares() {
        let mut a = headers(&[("a", "1"), ("b", "2"), ("c", "3")]);
        a.retain(|k, _| k != "c");
        let b = headers(&[("b", "2"), ("a", "1")]);
        assert_eq!(a, b);
        assert_eq!(format!("{a:?}"), r#"{"a": "1", "b": "2"}"#);
        let clone = a.clone();
        assert_eq!(clone.spare_count(), 0);
        check(&clone);
    }
}
