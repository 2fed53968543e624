//! The facade's public surface, in two halves:
//!
//! - here, at compile time: every item a user is promised can be imported from
//!   `poolable` by the path the docs give, and used as what it is (a type, a trait, a
//!   function, a constant); removing or renaming one fails to compile;
//! - in `.ci/run`, from rustdoc: the list of items rustdoc shows for the facade, every
//!   feature on, must equal `tests/public-api.txt`; an item added, removed, or leaked
//!   (a runtime helper made visible) changes that list and fails CI until the file is
//!   updated in the same commit, for a reviewer to see.
//!
//! Both read the compiler's view of the crate, not its source text.

#![allow(dead_code)] // the functions below exist to be type-checked

use poolable::reuse::map::{
    EntryRef, IntoIter, Iter, IterMut, Keys, OccupiedEntry, VacantEntryRef, Values, ValuesMut,
};
use poolable::{
    DEFAULT_CAPACITY, DefaultFactory, NewPooled, OwnedPooled, Pool, PoolBuilder, Poolable, Pooled,
    ReuseKey, ReuseMap, ReuseVec, Stats, THREAD_CACHE_MAX, for_each_pool, global, pooled, trim_all,
};

// Types, by their generic shape.
fn types<'a>(
    _: Pool<String>,
    _: PoolBuilder<String, DefaultFactory>,
    _: Pooled<'a, String>,
    _: OwnedPooled<String>,
    _: Stats,
    _: ReuseVec<String>,
    _: ReuseMap<String, String>,
) {
}

// The reuse collections' iterators, as `ReuseMap` and `ReuseVec` hand them out.
fn iterators<'a>(
    _: Iter<'a, String, String>,
    _: IterMut<'a, String, String>,
    _: IntoIter<String, String>,
    _: Keys<'a, String, String>,
    _: Values<'a, String, String>,
    _: ValuesMut<'a, String, String>,
    _: poolable::reuse::vec::IntoIter<String>,
) {
}

// The map's entries by borrowed key.
fn entries<'a>(
    _: EntryRef<'a, 'a, String, str, String>,
    _: OccupiedEntry<'a, String, String>,
    _: VacantEntryRef<'a, 'a, String, str, String>,
) {
}

// Traits, as bounds.
fn traits<T: Poolable + NewPooled, K: ReuseKey<str>>() {}

// The derive and the attribute.
#[derive(Poolable, Default)]
struct Derived {
    text: String,
}

#[pooled]
fn attribute(#[pooled] text: &mut String) -> usize {
    text.len()
}

#[test]
fn functions_and_constants_have_their_signatures() {
    let _: fn() -> &'static Pool<String> = global::<String>;
    let _: fn() = trim_all;
    for_each_pool(|_name: &str, _stats: Stats| {});
    let _: usize = DEFAULT_CAPACITY;
    let _: usize = THREAD_CACHE_MAX;
    assert_eq!(attribute(), 0);
    let _ = Derived::default();
}

#[cfg(feature = "metrics")]
#[test]
fn metrics_functions_have_their_signatures() {
    let _: fn() = poolable::publish_all_metrics;
}
