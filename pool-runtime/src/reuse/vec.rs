//! [`ReuseVec`]: a vector whose removed elements stay allocated, reset, as spares, and
//! its owning iterator.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::iter::FusedIterator;
use std::ops::{Deref, DerefMut, Index, IndexMut};
use std::slice::{self, SliceIndex};

use crate::{NewPooled, Poolable};

/// A vector that keeps the elements it removes, reset, as spares for its next pushes.
///
/// "Reuse" is this crate's word for keeping allocations across uses. `Vec<String>::clear`
/// keeps the vector's buffer but drops every string, so the next user pays one allocation
/// per string again. A `ReuseVec<String>` clears each string instead and keeps it:
/// [`push_default`](ReuseVec::push_default) hands the spare back out, buffer and all, and
/// `extend` from borrowed forms (`&str`, or `&T` for any `Clone` element) copies into the
/// spares. As a field of a pooled type it takes a request of natural shape (a list of
/// strings, of vectors, of derived rows) to zero allocations per use. Where `Vec` code
/// reads `tags.push(tag.to_owned())`, write `tags.push_default().push_str(tag)` or
/// `tags.extend([tag])`: the owned string was allocated before the vector saw it.
///
/// Reads like a `Vec`: it derefs to a slice of its live elements, so indexing, `iter`,
/// `iter_mut`, `first`, `sort`, `contains` and the rest work as usual.
///
/// - Elements removed by [`clear`](ReuseVec::clear), [`truncate`](ReuseVec::truncate),
///   [`retain`](ReuseVec::retain) or the reset become spares, **reset on the spot**: a spare
///   never holds its last user's data.
/// - [`pop`](ReuseVec::pop) and [`remove`](ReuseVec::remove) return the element itself,
///   so it is not kept: an owned value cannot also be a spare.
/// - [`push`](ReuseVec::push) stores a value you made; the spare in its slot, if any, is
///   dropped, once the value is live (so a `Drop` that panics cannot leave the value
///   among the spares). So live elements and spares together are never more than the
///   most elements held at once, and [`shrink_spares_to`](ReuseVec::shrink_spares_to)
///   drops the spares beyond a bound you choose (the derive's `#[pool(shrink_to = N)]`
///   calls it after each reset).
///
/// Resetting (`Poolable::reset`, or `clear`) resets each live element once: O(live
/// elements), with no allocation and no deallocation.
///
/// Comparison, hashing, `Debug` and `Clone` see the live elements only: two vectors with
/// the same elements are equal whatever their spares.
///
/// # Examples
///
/// ```
/// use poolable::{Poolable, ReuseVec};
///
/// let mut tags: ReuseVec<String> = ReuseVec::new();
/// tags.push_default().push_str("fresh");
/// tags.push_default().push_str("organic");
/// assert_eq!(tags, ["fresh", "organic"]);
///
/// tags.reset(); // both strings cleared and kept as spares
/// assert!(tags.is_empty());
/// assert_eq!(tags.spare_count(), 2);
///
/// let tag = tags.push_default(); // a spare, empty, with its buffer
/// assert!(tag.is_empty() && tag.capacity() >= 5);
/// ```
///
/// Removing while iterating does not compile, as with `Vec`:
///
/// ```compile_fail,E0499
/// use poolable::ReuseVec;
///
/// let mut tags: ReuseVec<String> = ["a", "b"].into_iter().map(String::from).collect();
/// for tag in tags.iter_mut() {
///     if tag == "a" {
///         tags.clear();
///     }
/// }
/// ```
pub struct ReuseVec<T> {
    /// Live elements in `[..len]`, spares in `[len..]`. Every spare has been reset since
    /// it was last live, so none holds a user's data.
    items: Vec<T>,
    /// How many elements are live; `len <= items.len()`.
    len: usize,
}

impl<T> ReuseVec<T> {
    /// An empty vector; allocates nothing until the first push.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let tags: ReuseVec<String> = ReuseVec::new();
    /// assert!(tags.is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        ReuseVec {
            items: Vec::new(),
            len: 0,
        }
    }

    /// An empty vector with room for `capacity` elements, live or spare, before its
    /// buffer grows. The elements themselves are made as they are first pushed.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let tags: ReuseVec<String> = ReuseVec::with_capacity(8);
    /// assert!(tags.is_empty() && tags.spare_count() == 0);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        ReuseVec {
            items: Vec::with_capacity(capacity),
            len: 0,
        }
    }

    /// How many elements are live.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let numbers: ReuseVec<u32> = [1, 2, 3].into_iter().collect();
    /// assert_eq!(numbers.len(), 3);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no element is live (spares may be kept).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut tags: ReuseVec<String> = ReuseVec::new();
    /// assert!(tags.is_empty());
    /// tags.push_default();
    /// assert!(!tags.is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many reset elements are kept for the next pushes.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut tags: ReuseVec<String> = ["a", "b", "c"].into_iter().map(String::from).collect();
    /// tags.truncate(1);
    /// assert_eq!(tags.spare_count(), 2);
    /// ```
    #[inline]
    pub fn spare_count(&self) -> usize {
        self.items.len() - self.len
    }

    /// How many elements, live or spare, the vector holds room for without reallocating
    /// its buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let tags: ReuseVec<String> = ReuseVec::with_capacity(8);
    /// assert!(tags.capacity() >= 8);
    /// ```
    #[inline]
    pub fn capacity(&self) -> usize {
        self.items.capacity()
    }

    /// Makes room for at least `additional` more live elements without reallocating:
    /// spares count as room, since pushing takes their slots.
    ///
    /// # Panics
    ///
    /// If the new capacity overflows `usize`, as `Vec::reserve`.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut tags: ReuseVec<String> = ["a", "b"].into_iter().collect();
    /// tags.clear();
    /// tags.reserve(10);
    /// assert!(tags.capacity() >= 10);
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        let wanted = self.len.checked_add(additional).expect("capacity overflow");
        self.items.reserve(wanted.saturating_sub(self.items.len()));
    }

    /// Keeps at most `spares` spares, dropping the rest, and gives back the buffer's
    /// capacity above what the live elements and those spares need.
    ///
    /// `shrink_spares_to(0)` drops every spare; `shrink_spares_to(usize::MAX)` drops
    /// none. Live elements are never touched. `#[pool(shrink_to = N)]` on a field of a
    /// derived type calls this after the field's reset, so the field keeps at most `N`
    /// spares across uses: the retention cap for a request with a rare huge *number* of
    /// elements. (It is not named `shrink_to` because `Vec::shrink_to` takes a capacity,
    /// live elements included.)
    ///
    /// It caps how many spares are kept, not how large each is: a spare string that once
    /// held 10 MB keeps that capacity. To cap size as well, give the pool a `keep_if` test
    /// that refuses an object whose elements grew too large, or keep elements of a
    /// derived type whose own fields carry `#[pool(shrink_to = N)]`.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut tags: ReuseVec<String> = ReuseVec::new();
    /// for _ in 0..100 {
    ///     tags.push_default().push_str("burst");
    /// }
    /// tags.clear();
    /// tags.shrink_spares_to(4);
    /// assert_eq!(tags.spare_count(), 4);
    /// ```
    pub fn shrink_spares_to(&mut self, spares: usize) {
        let keep = self.len.saturating_add(spares);
        if keep < self.items.len() {
            self.items.truncate(keep);
        }
        self.items.shrink_to(keep);
    }

    /// The live elements, as a slice (the same as `&*vec`).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let numbers: ReuseVec<u32> = [1, 2].into_iter().collect();
    /// assert_eq!(numbers.as_slice(), &[1, 2]);
    /// ```
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        &self.items[..self.len]
    }

    /// The live elements, as a mutable slice (the same as `&mut *vec`).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut numbers: ReuseVec<u32> = [2, 1].into_iter().collect();
    /// numbers.as_mut_slice().sort();
    /// assert_eq!(numbers, [1, 2]);
    /// ```
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.items[..self.len]
    }

    /// Appends `value`, a value you made. The spare in its slot, if there is one, is
    /// dropped: prefer [`push_default`](ReuseVec::push_default) to reuse it, or
    /// `extend` from borrowed forms (`&str` for `String` elements), which fills spares.
    ///
    /// `value` is live before the spare is dropped, so a spare whose `Drop` panics
    /// cannot leave `value` among the spares.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut numbers = ReuseVec::new();
    /// numbers.push(7);
    /// assert_eq!(numbers, [7]);
    /// ```
    pub fn push(&mut self, value: T) {
        drop(self.push_displacing(value));
    }

    /// Appends `value` and returns the spare it displaced, if any, for the caller to drop
    /// once it has nothing left to do: `value` is live by then, so a spare's `Drop` that
    /// panics leaves nothing of `value` among the spares.
    fn push_displacing(&mut self, value: T) -> Option<T> {
        let displaced = if self.len < self.items.len() {
            Some(std::mem::replace(&mut self.items[self.len], value))
        } else {
            self.items.push(value);
            None
        };
        self.len += 1;
        displaced
    }

    /// Inserts `value`, a value you made, at `index`, shifting the later elements up. As
    /// with [`push`](ReuseVec::push), the spare in the slot it takes, if any, is dropped.
    ///
    /// # Panics
    ///
    /// If `index > len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut numbers: ReuseVec<u32> = [1, 3].into_iter().collect();
    /// numbers.insert(1, 2);
    /// assert_eq!(numbers, [1, 2, 3]);
    /// ```
    pub fn insert(&mut self, index: usize, value: T) {
        assert!(
            index <= self.len,
            "insertion index (is {index}) should be <= len (is {})",
            self.len
        );
        let displaced = self.push_displacing(value);
        self.items[index..self.len].rotate_right(1);
        drop(displaced);
    }

    /// Removes the last live element and returns it, or `None` when empty.
    ///
    /// The element is handed to you, so it is not kept as a spare: its allocations go
    /// with it. To remove elements and keep them, use
    /// [`truncate`](ReuseVec::truncate).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut tags: ReuseVec<String> = ["a", "b"].into_iter().map(String::from).collect();
    /// assert_eq!(tags.pop().as_deref(), Some("b"));
    /// assert_eq!(tags.spare_count(), 0);
    /// ```
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // The last spare, if any, takes the hole: spares have no order.
        Some(self.items.swap_remove(self.len))
    }

    /// Removes the live element at `index`, shifting the later ones down, and returns it.
    ///
    /// As with [`pop`](ReuseVec::pop), the element is handed to you and not kept.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut numbers: ReuseVec<u32> = [1, 2, 3].into_iter().collect();
    /// assert_eq!(numbers.remove(0), 1);
    /// assert_eq!(numbers, [2, 3]);
    /// ```
    pub fn remove(&mut self, index: usize) -> T {
        assert!(
            index < self.len,
            "removal index (is {index}) should be < len (is {})",
            self.len
        );
        self.len -= 1;
        self.items.remove(index)
    }

    /// Removes the live element at `index` and returns it; the last live element takes
    /// its place: O(1), but the order changes.
    ///
    /// As with [`pop`](ReuseVec::pop), the element is handed to you and not kept.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut numbers: ReuseVec<u32> = [1, 2, 3].into_iter().collect();
    /// assert_eq!(numbers.swap_remove(0), 1);
    /// assert_eq!(numbers, [3, 2]);
    /// ```
    pub fn swap_remove(&mut self, index: usize) -> T {
        assert!(
            index < self.len,
            "swap_remove index (is {index}) should be < len (is {})",
            self.len
        );
        self.items.swap(index, self.len - 1);
        self.pop().expect("len > index >= 0")
    }

    /// The live elements, in order (the same as the slice's `iter`).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let numbers: ReuseVec<u32> = [1, 2].into_iter().collect();
    /// assert_eq!(numbers.iter().sum::<u32>(), 3);
    /// ```
    #[inline]
    pub fn iter(&self) -> slice::Iter<'_, T> {
        self.as_slice().iter()
    }

    /// The live elements, mutably, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut numbers: ReuseVec<u32> = [1, 2].into_iter().collect();
    /// numbers.iter_mut().for_each(|n| *n *= 10);
    /// assert_eq!(numbers, [10, 20]);
    /// ```
    #[inline]
    pub fn iter_mut(&mut self) -> slice::IterMut<'_, T> {
        self.as_mut_slice().iter_mut()
    }
}

impl<T> ReuseVec<T> {
    /// The spares, for tests that check they are reset.
    #[cfg(test)]
    pub(super) fn spares(&self) -> &[T] {
        &self.items[self.len..]
    }
}

impl<T: Poolable> ReuseVec<T> {
    /// Appends an element and returns it to fill: a spare (reset when it was removed,
    /// with its allocations), or a new one made by [`NewPooled`] (`Default`, or the
    /// derive's `#[pool(new = ...)]`) when no spare is left.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut lines: ReuseVec<String> = ReuseVec::new();
    /// lines.push_default().push_str("first");
    /// lines.clear();
    /// let line = lines.push_default(); // the same string, cleared
    /// assert!(line.is_empty() && line.capacity() >= 5);
    /// ```
    #[inline]
    pub fn push_default(&mut self) -> &mut T
    where
        T: NewPooled,
    {
        if self.len == self.items.len() {
            self.items.push(T::new_pooled());
        }
        self.len += 1;
        &mut self.items[self.len - 1]
    }

    /// Keeps the first `len` live elements; the rest are reset and kept as spares.
    /// Nothing happens when `len >= self.len()`.
    ///
    /// # Panics
    ///
    /// Only if an element's reset panics. Elements are reset from the last one down, so
    /// then the elements before it, and the one that panicked, stay live; those after it
    /// are spares, reset. Nothing is dropped twice or lost.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut tags: ReuseVec<String> = ["a", "b", "c"].into_iter().map(String::from).collect();
    /// tags.truncate(1);
    /// assert_eq!(tags, ["a"]);
    /// assert_eq!(tags.spare_count(), 2);
    /// ```
    pub fn truncate(&mut self, len: usize) {
        // One element at a time, so that a reset that panics leaves every spare reset.
        while self.len > len {
            self.items[self.len - 1].reset();
            self.len -= 1;
        }
    }

    /// Removes every live element; each is reset and kept as a spare. The same as
    /// `Poolable::reset`.
    ///
    /// # Panics
    ///
    /// Only if an element's reset panics; see [`truncate`](ReuseVec::truncate).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut tags: ReuseVec<String> = ["a", "b"].into_iter().map(String::from).collect();
    /// tags.clear();
    /// assert!(tags.is_empty());
    /// assert_eq!(tags.spare_count(), 2);
    /// ```
    #[inline]
    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// Keeps the live elements for which `keep` returns true, in their order; the others
    /// are reset and kept as spares.
    ///
    /// # Panics
    ///
    /// Only if `keep` or an element's reset panics. Then every element is still in the
    /// vector and none is dropped twice, but the live elements may have been reordered
    /// and some of them reset.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut tags: ReuseVec<String> = ["keep", "drop", "keep too"]
    ///     .into_iter()
    ///     .map(String::from)
    ///     .collect();
    /// tags.retain(|tag| tag.starts_with("keep"));
    /// assert_eq!(tags, ["keep", "keep too"]);
    /// assert_eq!(tags.spare_count(), 1);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.retain_mut(|item| keep(item));
    }

    /// As [`retain`](ReuseVec::retain), with mutable access to each element.
    ///
    /// # Panics
    ///
    /// As [`retain`](ReuseVec::retain).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut numbers: ReuseVec<u32> = [1, 2, 3, 4].into_iter().collect();
    /// numbers.retain_mut(|n| {
    ///     *n *= 10;
    ///     *n > 20
    /// });
    /// assert_eq!(numbers, [30, 40]);
    /// ```
    pub fn retain_mut(&mut self, mut keep: impl FnMut(&mut T) -> bool) {
        // Kept elements move down over the rejected ones, in order; the rejected ones end
        // up in `[kept..len]`, from where `truncate` resets them into spares.
        let mut kept = 0;
        for i in 0..self.len {
            if keep(&mut self.items[i]) {
                self.items.swap(kept, i);
                kept += 1;
            }
        }
        self.truncate(kept);
    }

    /// Removes consecutive equal elements, keeping the first of each run; the others are
    /// reset and kept as spares.
    ///
    /// # Panics
    ///
    /// As [`retain`](ReuseVec::retain).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut tags: ReuseVec<String> = ["a", "a", "b", "a"].into_iter().map(String::from).collect();
    /// tags.dedup();
    /// assert_eq!(tags, ["a", "b", "a"]);
    /// assert_eq!(tags.spare_count(), 1);
    /// ```
    pub fn dedup(&mut self)
    where
        T: PartialEq,
    {
        self.dedup_by(|a, b| a == b);
    }

    /// Removes the elements for which `same(element, previous kept element)` is true; they
    /// are reset and kept as spares. As `Vec::dedup_by`.
    ///
    /// # Panics
    ///
    /// As [`retain`](ReuseVec::retain).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut tags: ReuseVec<String> = ["a", "A", "b"].into_iter().map(String::from).collect();
    /// tags.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    /// assert_eq!(tags, ["a", "b"]);
    /// ```
    pub fn dedup_by(&mut self, mut same: impl FnMut(&mut T, &mut T) -> bool) {
        // As `retain_mut`: kept elements move down in order, the rest end up in
        // `[kept..len]` for `truncate` to reset.
        let mut kept = 0;
        for i in 0..self.len {
            let duplicate = kept > 0 && {
                let (before, from) = self.items.split_at_mut(i);
                same(&mut from[0], &mut before[kept - 1])
            };
            if !duplicate {
                self.items.swap(kept, i);
                kept += 1;
            }
        }
        self.truncate(kept);
    }
}

impl<T> Default for ReuseVec<T> {
    #[inline]
    fn default() -> Self {
        ReuseVec::new()
    }
}

// Kept out of "other types implement `Poolable`" lists, as the std impls are (see `reset.rs`).
#[diagnostic::do_not_recommend]
impl<T: Poolable> Poolable for ReuseVec<T> {
    /// Resets every live element and keeps it as a spare; see
    /// [`clear`](ReuseVec::clear).
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

impl<T> Deref for ReuseVec<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> DerefMut for ReuseVec<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T, I: SliceIndex<[T]>> Index<I> for ReuseVec<T> {
    type Output = I::Output;

    #[inline]
    fn index(&self, index: I) -> &I::Output {
        &self.as_slice()[index]
    }
}

impl<T, I: SliceIndex<[T]>> IndexMut<I> for ReuseVec<T> {
    #[inline]
    fn index_mut(&mut self, index: I) -> &mut I::Output {
        &mut self.as_mut_slice()[index]
    }
}

impl<T> AsRef<[T]> for ReuseVec<T> {
    fn as_ref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> AsMut<[T]> for ReuseVec<T> {
    fn as_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T: fmt::Debug> fmt::Debug for ReuseVec<T> {
    /// The live elements, as a list; spares are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// `T: Poolable` as well as `Clone`, because `clone_from` resets the elements it no
/// longer needs into spares.
impl<T: Clone + Poolable> Clone for ReuseVec<T> {
    /// A vector of clones of the live elements, with no spares.
    fn clone(&self) -> Self {
        ReuseVec {
            items: self.as_slice().to_vec(),
            len: self.len,
        }
    }

    /// Makes this vector equal to `source`, reusing what it holds: each live element and
    /// then each spare is overwritten with `T::clone_from` (a `String` keeps its buffer),
    /// live elements beyond `source`'s length become spares, reset, and only the elements
    /// beyond those are cloned anew. The spares `source` holds do not matter.
    ///
    /// # Panics
    ///
    /// Only if an element's `clone_from`, `clone` or reset panics; the element being
    /// cloned into is live by then, so no spare holds data.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut tags: ReuseVec<String> = ["a long tag", "another"].into_iter().collect();
    /// tags.clear();
    /// let buffer = tags.push_default().as_ptr();
    /// tags.clear();
    ///
    /// let source: ReuseVec<String> = ["x", "y", "z"].into_iter().collect();
    /// tags.clone_from(&source);
    /// assert_eq!(tags, source);
    /// assert_eq!(tags[0].as_ptr(), buffer, "the spare string, refilled");
    /// ```
    fn clone_from(&mut self, source: &Self) {
        let source = source.as_slice();
        let overwritten = self.len.min(source.len());
        for (item, from) in self.items[..overwritten].iter_mut().zip(source) {
            item.clone_from(from);
        }
        for from in &source[overwritten..] {
            self.push_clone(from);
        }
        self.truncate(source.len());
    }
}

impl<T: Clone> ReuseVec<T> {
    /// Appends a clone of `from`, written over a spare with `clone_from` when there is
    /// one. The spare is made live first: if `clone_from` panics, what it wrote is live.
    fn push_clone(&mut self, from: &T) {
        if self.len < self.items.len() {
            self.len += 1;
            self.items[self.len - 1].clone_from(from);
        } else {
            self.items.push(from.clone());
            self.len += 1;
        }
    }
}

impl<T: PartialEq<U>, U> PartialEq<ReuseVec<U>> for ReuseVec<T> {
    /// Compares the live elements; spares do not count.
    #[inline]
    fn eq(&self, other: &ReuseVec<U>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq> Eq for ReuseVec<T> {}

impl<T: PartialEq<U>, U> PartialEq<[U]> for ReuseVec<T> {
    #[inline]
    fn eq(&self, other: &[U]) -> bool {
        self.as_slice() == other
    }
}

impl<T: PartialEq<U>, U> PartialEq<&[U]> for ReuseVec<T> {
    #[inline]
    fn eq(&self, other: &&[U]) -> bool {
        self.as_slice() == *other
    }
}

impl<T: PartialEq<U>, U, const N: usize> PartialEq<[U; N]> for ReuseVec<T> {
    #[inline]
    fn eq(&self, other: &[U; N]) -> bool {
        self.as_slice() == other
    }
}

impl<T: PartialEq<U>, U> PartialEq<Vec<U>> for ReuseVec<T> {
    #[inline]
    fn eq(&self, other: &Vec<U>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Hash> Hash for ReuseVec<T> {
    /// Hashes the live elements as a slice does.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl<T> Extend<T> for ReuseVec<T> {
    /// Pushes each value, as [`push`](ReuseVec::push) does: values you made, each
    /// dropping the spare whose slot it takes. To fill spares instead, extend from
    /// borrowed forms: `&T`, or `&str` for `String` elements.
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        for value in iter {
            self.push(value);
        }
    }
}

impl<'a, T: Clone + 'a> Extend<&'a T> for ReuseVec<T> {
    /// Appends a clone of each element, written over a spare with `clone_from` where
    /// there is one: `tags.extend(&other)` reuses the spares' buffers.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let source = vec!["a".to_owned(), "b".to_owned()];
    /// let mut tags: ReuseVec<String> = ReuseVec::new();
    /// tags.extend(&source);
    /// assert_eq!(tags, source);
    /// ```
    fn extend<I: IntoIterator<Item = &'a T>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        for from in iter {
            self.push_clone(from);
        }
    }
}

impl<'a> Extend<&'a str> for ReuseVec<String> {
    /// Appends each string, copied into a spare string's buffer where there is one: the
    /// reusing way to fill a vector of strings.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{Poolable, ReuseVec};
    ///
    /// let mut tags: ReuseVec<String> = ReuseVec::new();
    /// tags.extend("fresh,organic".split(','));
    /// assert_eq!(tags, ["fresh", "organic"]);
    /// tags.reset();
    /// tags.extend(["bulk"]); // into last time's "fresh" string: no allocation
    /// assert_eq!(tags, ["bulk"]);
    /// ```
    fn extend<I: IntoIterator<Item = &'a str>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        for from in iter {
            if self.len < self.items.len() {
                self.len += 1;
                // A spare: already reset, so empty.
                self.items[self.len - 1].push_str(from);
            } else {
                self.items.push(from.to_owned());
                self.len += 1;
            }
        }
    }
}

impl<T> FromIterator<T> for ReuseVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let items: Vec<T> = iter.into_iter().collect();
        ReuseVec {
            len: items.len(),
            items,
        }
    }
}

impl<'a, T: Clone + 'a> FromIterator<&'a T> for ReuseVec<T> {
    fn from_iter<I: IntoIterator<Item = &'a T>>(iter: I) -> Self {
        iter.into_iter().cloned().collect()
    }
}

impl<'a> FromIterator<&'a str> for ReuseVec<String> {
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let tags: ReuseVec<String> = ["fresh", "organic"].into_iter().collect();
    /// assert_eq!(tags, ["fresh", "organic"]);
    /// ```
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        iter.into_iter().map(str::to_owned).collect()
    }
}

impl<T> From<Vec<T>> for ReuseVec<T> {
    /// A vector whose live elements are `items`, with no spares; no allocation.
    fn from(items: Vec<T>) -> Self {
        ReuseVec {
            len: items.len(),
            items,
        }
    }
}

impl<T, const N: usize> From<[T; N]> for ReuseVec<T> {
    /// A vector whose live elements are `items`, with no spares.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// assert_eq!(ReuseVec::from([1, 2]), [1, 2]);
    /// ```
    fn from(items: [T; N]) -> Self {
        ReuseVec::from(Vec::from(items))
    }
}

impl<T> From<ReuseVec<T>> for Vec<T> {
    /// The live elements; the spares are dropped.
    fn from(mut vec: ReuseVec<T>) -> Self {
        vec.items.truncate(vec.len);
        vec.items
    }
}

impl<T> IntoIterator for ReuseVec<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    /// The live elements, by value; the spares are dropped.
    fn into_iter(self) -> IntoIter<T> {
        IntoIter {
            inner: Vec::from(self).into_iter(),
        }
    }
}

/// The live elements of a [`ReuseVec`], by value, in order: its `IntoIterator`. `Debug`
/// shows the elements not yet taken.
///
/// # Examples
///
/// ```
/// use poolable::ReuseVec;
///
/// let tags: ReuseVec<String> = ["a", "b"].into_iter().collect();
/// let mut iter = tags.into_iter();
/// iter.next();
/// assert_eq!(format!("{iter:?}"), r#"IntoIter(["b"])"#);
/// ```
pub struct IntoIter<T> {
    inner: std::vec::IntoIter<T>,
}

impl<T> IntoIter<T> {
    /// The elements not yet taken.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseVec;
    ///
    /// let mut iter = ReuseVec::from([1, 2, 3]).into_iter();
    /// iter.next();
    /// assert_eq!(iter.as_slice(), &[2, 3]);
    /// ```
    pub fn as_slice(&self) -> &[T] {
        self.inner.as_slice()
    }
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        self.inner.next()
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T> DoubleEndedIterator for IntoIter<T> {
    #[inline]
    fn next_back(&mut self) -> Option<T> {
        self.inner.next_back()
    }
}

impl<T> ExactSizeIterator for IntoIter<T> {}

impl<T> FusedIterator for IntoIter<T> {}

impl<T: Clone> Clone for IntoIter<T> {
    fn clone(&self) -> Self {
        IntoIter {
            inner: self.inner.clone(),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for IntoIter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IntoIter").field(&self.as_slice()).finish()
    }
}

impl<'a, T> IntoIterator for &'a ReuseVec<T> {
    type Item = &'a T;
    type IntoIter = slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut ReuseVec<T> {
    type Item = &'a mut T;
    type IntoIter = slice::IterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spares_are_reset_and_reused() {
        let mut tags: ReuseVec<String> = ReuseVec::new();
        tags.push_default().push_str("one");
        tags.push_default().push_str("two");
        let buffer = tags[1].as_ptr();
        tags.clear();
        assert_eq!((tags.len(), tags.spare_count()), (0, 2));
        assert!(tags.items.iter().all(String::is_empty));
        tags.push_default();
        let second = tags.push_default();
        assert!(second.is_empty());
        assert_eq!(second.as_ptr(), buffer, "the same allocation came back");
    }

    #[test]
    fn push_takes_the_slot_of_a_spare() {
        let mut numbers: ReuseVec<u32> = [1, 2, 3].into_iter().collect();
        numbers.clear();
        numbers.push(9);
        assert_eq!((numbers.len(), numbers.spare_count()), (1, 2));
        assert_eq!(numbers, [9]);
    }

    #[test]
    fn pop_and_remove_keep_spares_apart() {
        let mut numbers: ReuseVec<u32> = [1, 2, 3, 4].into_iter().collect();
        numbers.truncate(3);
        assert_eq!(numbers.pop(), Some(3));
        assert_eq!((numbers.len(), numbers.spare_count()), (2, 1));
        assert_eq!(numbers.remove(0), 1);
        assert_eq!(numbers, [2]);
        assert_eq!(numbers.items[1..], [0], "the spare stays reset");
        assert_eq!(numbers.pop(), Some(2));
        assert_eq!(numbers.pop(), None);
    }

    #[test]
    fn insert_shifts_and_takes_a_spares_slot() {
        let mut numbers: ReuseVec<u32> = [1, 2, 3, 4].into_iter().collect();
        numbers.truncate(2);
        numbers.insert(0, 9);
        numbers.insert(3, 7);
        assert_eq!(numbers, [9, 1, 2, 7]);
        assert_eq!(numbers.spare_count(), 0);
        numbers.insert(2, 5);
        assert_eq!(numbers, [9, 1, 5, 2, 7]);
    }

    #[test]
    fn retain_keeps_order_and_resets_the_rest() {
        let mut numbers: ReuseVec<u32> = (1..=8).collect();
        numbers.retain(|n| n % 3 != 0);
        assert_eq!(numbers, [1, 2, 4, 5, 7, 8]);
        assert_eq!(numbers.items[6..], [0, 0]);
    }

    #[test]
    fn shrink_spares_to_bounds() {
        let mut numbers: ReuseVec<u32> = (0..10).collect();
        numbers.truncate(2);
        numbers.shrink_spares_to(usize::MAX);
        assert_eq!(numbers.spare_count(), 8);
        numbers.shrink_spares_to(3);
        assert_eq!(numbers.spare_count(), 3);
        numbers.shrink_spares_to(0);
        assert_eq!((numbers.len(), numbers.spare_count()), (2, 0));
        assert!(numbers.items.capacity() >= 2);
    }

    #[test]
    fn equality_and_hash_ignore_spares() {
        use std::collections::hash_map::DefaultHasher;

        let mut a: ReuseVec<u32> = (0..5).collect();
        a.truncate(2);
        let b: ReuseVec<u32> = (0..2).collect();
        assert_eq!(a, b);
        let hash = |v: &ReuseVec<u32>| {
            let mut h = DefaultHasher::new();
            v.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&a), hash(&b));
        assert_eq!(format!("{a:?}"), "[0, 1]");
        assert_eq!(a.clone().spare_count(), 0);
        assert_eq!(Vec::from(a), vec![0, 1]);
    }
}
