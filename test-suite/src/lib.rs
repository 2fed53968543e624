//! No code of its own: this library only runs the README's examples as doctests.
//!
//! They run here rather than in the `poolable` package because the README's "Decode in
//! place" example needs serde, serde_json and poolable's feature `serde`, which this
//! package has as dev-dependencies; `poolable` itself stays without them, so its examples
//! build fast. `cargo test` at the root runs them (this is a default member).

/// The README's examples, run as doctests so that what it shows compiles and runs.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
