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
//!
//! # Cargo features
//!
//! Off by default; each implements [`Poolable`] for that crate's collections (cleared,
//! capacity kept): `bytes` (`BytesMut`), `hashbrown` (`HashMap`, `HashSet`), `indexmap`
//! (`IndexMap`, `IndexSet`), `smallvec` (`SmallVec`). The `poolable` facade forwards
//! features of the same names.
//!
//! # Examples
//!
//! ```
//! use pool_runtime::Pool;
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
//! - A pool keeps at most `capacity` objects in all, thread caches included; excess
//!   objects are dropped, never queued without bound.
//! - Objects cached by a thread that exits go back to the shared queue (or are dropped if
//!   the pool is gone, or a `clear` or `trim` since let them go). Nothing is leaked.
//! - `unsafe` is used in three places: the guards, which move their object out of a
//!   `ManuallyDrop` exactly once; and two casts on the hot path that skip a type check
//!   already settled by an identity compare (a thread's cache, known by its pool's
//!   address; a default pool, known by its `TypeId`). Each says why it holds, and a
//!   `debug_assert` repeats the type check in tests. The atomics are crossbeam-queue's
//!   and the standard library's.
//!
//! # Implementation notes
//!
//! Each thread keeps a small cache per pool (up to 64 objects) in front of a
//! crossbeam-queue queue shared by all threads. Borrowing pops the thread's cache and
//! returning pushes it: no atomic read-modify-write, no shared cache line written. Credits
//! taken from one shared counter in batches bound the total kept to the capacity. See
//! the `local` module's source for how a thread finds its cache among many pools, and
//! what that design costs `clear` and `trim`.

mod ext;
mod global;
mod guard;
mod local;
mod pool;
mod queue;
mod reset;
pub mod reuse;
mod stats;
mod sync;
#[cfg(all(test, loom))]
mod tests;

pub use global::{DefaultPoolSlot, NewPooled, global};
pub use guard::{OwnedPooled, Pooled};
pub use pool::{DefaultFactory, Pool, PoolBuilder};
pub use reset::{DEFAULT_CAPACITY, Poolable};
pub use reuse::{ReuseKey, ReuseMap, ReuseVec};
pub use stats::Stats;
