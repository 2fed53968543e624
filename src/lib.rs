#![doc = include_str!("../README.md")]

pub use pool_runtime::*;

#[cfg(feature = "derive")]
pub use pool_derive::{Poolable, pooled};

/// Paths used by the code that `#[derive(Poolable)]` and `#[pooled]` generate. Not public
/// API: nothing here is covered by semver.
#[doc(hidden)]
pub mod __private {
    pub use pool_runtime::{DefaultPoolSlot, NewPooled, Pool, Poolable, Pooled, global};
    pub use pool_runtime::{ProcessWide, ShrinkTo, ShrinkToFallback, default_pool};
}
