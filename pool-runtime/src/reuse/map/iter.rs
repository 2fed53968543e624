//! The iterators of a [`ReuseMap`], over its live entries in insertion order.

use std::fmt;
use std::iter::FusedIterator;
use std::slice;

use super::Bucket;
#[cfg(doc)]
use super::ReuseMap;

/// Defines an iterator over a [`ReuseMap`]'s live entries: the struct, `Iterator`,
/// `DoubleEndedIterator`, `ExactSizeIterator`, `FusedIterator` and `Debug`.
macro_rules! entry_iterator {
    (
        $(#[$doc:meta])*
        $name:ident<$($lt:lifetime,)? $k:ident, $v:ident>,
        $inner:ty,
        $item:ty,
        |$bucket:ident| $map:expr,
        debug<$($dbg_param:ident),*>: |$debug_bucket:ident| $debug:expr
    ) => {
        $(#[$doc])*
        pub struct $name<$($lt,)? $k, $v> {
            pub(super) inner: $inner,
        }

        impl<$($lt,)? $k, $v> Iterator for $name<$($lt,)? $k, $v> {
            type Item = $item;

            #[inline]
            fn next(&mut self) -> Option<$item> {
                self.inner.next().map(|$bucket| $map)
            }

            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.inner.size_hint()
            }
        }

        impl<$($lt,)? $k, $v> DoubleEndedIterator for $name<$($lt,)? $k, $v> {
            #[inline]
            fn next_back(&mut self) -> Option<$item> {
                self.inner.next_back().map(|$bucket| $map)
            }
        }

        impl<$($lt,)? $k, $v> ExactSizeIterator for $name<$($lt,)? $k, $v> {}

        impl<$($lt,)? $k, $v> FusedIterator for $name<$($lt,)? $k, $v> {}

        /// The entries not yet visited, as a list.
        impl<$($lt,)? $k, $v> fmt::Debug for $name<$($lt,)? $k, $v>
        where
            $($dbg_param: fmt::Debug,)*
        {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let entries = self.inner.as_slice().iter().map(|$debug_bucket| $debug);
                f.debug_tuple(stringify!($name))
                    .field(&DebugList(entries))
                    .finish()
            }
        }
    };
}

entry_iterator! {
    /// The live entries of a [`ReuseMap`], in insertion order: [`ReuseMap::iter`]. Its
    /// `Debug` prints the entries it has left.
    ///
    /// ```
    /// let map: poolable::ReuseMap<String, u32> = [("a", 1), ("b", 2)]
    ///     .into_iter()
    ///     .map(|(k, v)| (k.to_owned(), v))
    ///     .collect();
    /// let mut iter = map.iter();
    /// assert_eq!(iter.next(), Some((&"a".to_owned(), &1)));
    /// assert_eq!(format!("{iter:?}"), r#"Iter([("b", 2)])"#);
    /// ```
    Iter<'a, K, V>, slice::Iter<'a, Bucket<K, V>>, (&'a K, &'a V), |b| (&b.key, &b.value),
    debug<K, V>: |b| (&b.key, &b.value)
}
entry_iterator! {
    /// The live entries of a [`ReuseMap`], values mutable, in insertion order:
    /// [`ReuseMap::iter_mut`].
    ///
    /// ```
    /// let mut map: poolable::ReuseMap<String, u32> = [("a".to_owned(), 1)].into_iter().collect();
    /// for (_, value) in map.iter_mut() {
    ///     *value += 1;
    /// }
    /// assert_eq!(map.get("a"), Some(&2));
    /// ```
    IterMut<'a, K, V>, slice::IterMut<'a, Bucket<K, V>>, (&'a K, &'a mut V),
    |b| (&b.key, &mut b.value),
    debug<K, V>: |b| (&b.key, &b.value)
}
entry_iterator! {
    /// The live keys of a [`ReuseMap`], in insertion order: [`ReuseMap::keys`].
    ///
    /// ```
    /// let map: poolable::ReuseMap<String, u32> = [("a".to_owned(), 1), ("b".to_owned(), 2)].into_iter().collect();
    /// assert_eq!(map.keys().collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    Keys<'a, K, V>, slice::Iter<'a, Bucket<K, V>>, &'a K, |b| &b.key,
    debug<K>: |b| &b.key
}
entry_iterator! {
    /// The live values of a [`ReuseMap`], in insertion order: [`ReuseMap::values`].
    ///
    /// ```
    /// let map: poolable::ReuseMap<String, u32> = [("a".to_owned(), 1), ("b".to_owned(), 2)].into_iter().collect();
    /// assert_eq!(map.values().sum::<u32>(), 3);
    /// ```
    Values<'a, K, V>, slice::Iter<'a, Bucket<K, V>>, &'a V, |b| &b.value,
    debug<V>: |b| &b.value
}
entry_iterator! {
    /// The live values of a [`ReuseMap`], mutable, in insertion order:
    /// [`ReuseMap::values_mut`].
    ///
    /// ```
    /// let mut map: poolable::ReuseMap<String, String> = [("a".to_owned(), "x".to_owned())].into_iter().collect();
    /// map.values_mut().for_each(|value| value.push('!'));
    /// assert_eq!(map.get("a").map(String::as_str), Some("x!"));
    /// ```
    ValuesMut<'a, K, V>, slice::IterMut<'a, Bucket<K, V>>, &'a mut V, |b| &mut b.value,
    debug<V>: |b| &b.value
}
entry_iterator! {
    /// The live entries of a [`ReuseMap`], by value, in insertion order: its
    /// `IntoIterator`.
    ///
    /// ```
    /// let map: poolable::ReuseMap<String, u32> = [("a".to_owned(), 1)].into_iter().collect();
    /// assert_eq!(map.into_iter().collect::<Vec<_>>(), [("a".to_owned(), 1)]);
    /// ```
    IntoIter<K, V>, std::vec::IntoIter<Bucket<K, V>>, (K, V), |b| (b.key, b.value),
    debug<K, V>: |b| (&b.key, &b.value)
}

/// Prints the items of an iterator it can clone as a list: the remaining entries of the
/// iterators' `Debug`.
struct DebugList<I>(I);

impl<I: Iterator<Item = T> + Clone, T: fmt::Debug> fmt::Debug for DebugList<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.clone()).finish()
    }
}

impl<K, V> Clone for Iter<'_, K, V> {
    fn clone(&self) -> Self {
        Iter {
            inner: self.inner.clone(),
        }
    }
}

impl<K, V> Clone for Keys<'_, K, V> {
    fn clone(&self) -> Self {
        Keys {
            inner: self.inner.clone(),
        }
    }
}

impl<K, V> Clone for Values<'_, K, V> {
    fn clone(&self) -> Self {
        Values {
            inner: self.inner.clone(),
        }
    }
}
