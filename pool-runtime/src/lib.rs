//! The pool behind [`poolable`](https://docs.rs/poolable): bounded, thread-safe object
//! pools with a per-thread fast path.
//!
//! Most users depend on `poolable`, which re-exports everything here along with
//! `#[derive(Poolable)]` and `#[pooled]`.
//!
//! - [`Poolable`]: a value that can be reset for reuse, keeping its allocations;
//!   implemented for the standard library's collections, scalars and containers.
//! - [`Pool`]: a bounded, concurrency-safe pool; [`PoolBuilder`] configures one.
//! - [`Pooled`]: an object lent by a pool, returned when dropped.
//! - [`OwnedPooled`]: the same, `'static`, for pools in an `Arc`.
//! - [`global`]: each type's process-wide default pool; [`NewPooled`] says how it makes
//!   objects.
//! - [`Stats`]: what a pool did, to check that pooling pays.
//! - [`trim_all`], [`for_each_pool`]: every default pool and every pool given a name
//!   with [`Pool::register`], trimmed or read in one call.
//! - [`THREAD_CACHE_MAX`]: the most objects a thread caches for one pool.
//! - [`ReuseVec`] and [`ReuseMap`] (with [`ReuseKey`] and the [`reuse`] module's
//!   iterators): collections whose reset keeps their elements, keys and values too, reset,
//!   as spares to hand out again, for deep reuse.
//!
//! # Cargo features
//!
//! All off by default. The `poolable` facade forwards features of the same names.
//!
//! | feature | what it adds |
//! | --- | --- |
//! | `serde` | decode in place: `Pool::decode` and `Pool::decode_owned` fill a pooled object from a `Deserializer`, reusing its buffers; serde for [`ReuseVec`] and [`ReuseMap`] (which decode into their spares). It turns on serde_derive's `deserialize_in_place`, whose cost the `poolable` crate docs state |
//! | `axum` | the `axum` module's extractors, `PooledJson` and `PooledForm`: a request body decoded in place into an object from `T`'s default pool (implies `serde`) |
//! | `metrics` | `Pool::publish_metrics`, `Stats::publish_metrics` and `publish_all_metrics`: statistics through the `metrics` crate's facade, when asked, never from the hot path |
//! | `bytes` | [`Poolable`] for `BytesMut` (cleared, capacity kept) |
//! | `hashbrown` | [`Poolable`] for hashbrown's `HashMap` and `HashSet` (cleared, capacity kept) |
//! | `indexmap` | [`Poolable`] for `IndexMap` and `IndexSet` (cleared, capacity kept) |
//! | `smallvec` | [`Poolable`] for `SmallVec` (cleared, capacity kept) |
//!
//! # Examples
//!
//! ```
//! use poolable::Pool;
//!
//! let pool: Pool<Vec<u8>> = Pool::with_capacity(64);
//! for request in [&b"first"[..], b"second", b"third"] {
//!     let mut buffer = pool.get(); // reused after the first round
//!     buffer.extend_from_slice(request);
//!     assert_eq!(&buffer[..], request);
//! } // each buffer is cleared and kept here
//!
//! let stats = pool.stats();
//! assert_eq!((stats.made, stats.reused), (1, 2));
//! ```
//!
//! # Safety and correctness
//!
//! - A reused object was reset when it came back, so it never carries its last user's
//!   data; resets run outside any lock, so a reset or a factory may use the pool itself.
//! - A guard dropped while its thread panics drops its object instead of returning it.
//!   A factory or reset that panics leaves the pool usable and its counts right.
//! - A pool keeps at most its capacity, every thread's cache included, however many
//!   threads use it: the bound is stated once, in [`Pool`]'s docs. Excess objects are
//!   dropped, never queued without bound. No thread, idle or busy, holds anything other
//!   threads need to reuse: the pool reaches every thread's cache.
//! - User code (a factory, a reset, a `keep_if`, a `Drop`, a default pool's capacity)
//!   never runs while the runtime holds a lock or a borrow of a thread's caches, so it may
//!   use any pool.
//! - Objects cached by a thread that exits stay reachable by the pool, and go to its
//!   shared queue at its next sweep. Objects of a dropped pool, whichever thread cached
//!   them, are dropped with it. Nothing is leaked.
//! - `unsafe` is used for: the guards, which move their object out of a
//!   `ManuallyDrop` exactly once; two casts on the hot path that skip a type check
//!   already settled by an identity compare (a thread's cache, known by its pool's
//!   address; a default pool, known by its `TypeId`), where a `debug_assert` repeats the
//!   type check in tests; the thread caches' state, shared between the owner thread and
//!   the threads that take from it under an asymmetric barrier protocol (model-checked
//!   with loom); and `Pool`'s `Send`/`Sync`, stated for `T: Send` and checked at compile
//!   time against the whole type they rest on. Each says why it holds.
//!
//! # Implementation notes
//!
//! Each thread keeps a small cache per pool (up to [`THREAD_CACHE_MAX`] objects) in front
//! of a crossbeam-queue queue shared by all threads. Borrowing pops the thread's cache and
//! returning pushes it: plain loads and stores on memory no other thread writes in the
//! common case, no atomic read-modify-write. The capacity is a set of credits that every
//! kept object holds, in a cache or in the queue (`shared`'s source). Each cache is
//! listed in its pool and guarded by an asymmetric Dekker protocol (the owner pays a
//! compiler fence, a thread taking from it a `membarrier` system call), so working
//! threads, `trim` and `clear` reach idle threads' caches (`local`'s source). How an
//! object is lent and received is in `inner`'s source.

// On docs.rs (`--cfg docsrs`, a nightly rustdoc) each item behind a cargo feature is
// labelled with it; rustdoc's `doc_cfg` finds the `#[cfg(feature = ...)]` by itself. Stable
// rustdoc (1.95) has no such label, so an ordinary build ignores this line.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "axum")]
pub mod axum;
mod builder;
#[cfg(feature = "serde")]
mod decode;
mod diagnostics;
mod ext;
mod global;
mod guard;
mod inner;
mod local;
#[cfg(feature = "metrics")]
mod metrics;
mod pool;
mod queue;
mod registry;
mod reset;
pub mod reuse;
mod shared;
mod stats;
mod sync;
#[cfg(all(test, loom))]
mod tests;

pub use builder::{DefaultFactory, PoolBuilder};
pub use global::{NewPooled, global};
pub use guard::{OwnedPooled, Pooled};
pub use local::THREAD_CACHE_MAX;
#[cfg(feature = "metrics")]
pub use metrics::publish_all_metrics;
pub use pool::Pool;
pub use registry::{for_each_pool, trim_all};
pub use reset::{DEFAULT_CAPACITY, Poolable};
pub use reuse::{ReuseKey, ReuseMap, ReuseVec};
pub use stats::Stats;

/// Re-exports the [`axum`] module where this build has it. The `poolable` facade calls
/// it, so that `poolable::axum` exists exactly when this crate's `axum` module does,
/// whichever package turned the feature on: the module's doc examples are written as a
/// `poolable` user writes them, and run in this crate's tests. Not public API.
#[cfg(feature = "axum")]
#[doc(hidden)]
#[macro_export]
macro_rules! __reexport_axum {
    () => {
        pub use $crate::axum;
    };
}

/// Without feature `axum`, there is nothing to re-export. Not public API.
#[cfg(not(feature = "axum"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __reexport_axum {
    () => {};
}

// What the code `poolable`'s macros generate names, through the facade's `__private`
// module; not public API.
#[doc(hidden)]
pub use diagnostics::{
    HasDefaultPool, NoShrinkTo, ProcessWide, ShrinkSpares, ShrinkTo, ShrinkToFallback,
};
#[doc(hidden)]
pub use global::DefaultPoolSlot;
