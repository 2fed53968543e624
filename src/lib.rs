//! Object pools whose safety comes from the compiler.
//!
//! An object pool reuses objects that are costly to make, such as a request's strings,
//! maps and buffers, instead of asking the allocator again for each request. Every pool
//! leaves two things to discipline: *reset the object before reuse* (forget one field
//! and one request's data leaks into the next) and *give it back when done*. Here:
//!
//! - [`#[derive(Poolable)]`](derive@Poolable) writes the reset field by field, keeping
//!   each field's allocations, and refuses to compile when a field has no reset;
//! - [`#[pooled]`](pooled) on a function borrows the objects it needs and gives them back
//!   on every way out, and the borrow checker stops them from escaping;
//! - [`Pool`] is bounded, safe to share between threads, fast on each thread, and counts
//!   what it does ([`Stats`]) so you can check that pooling pays.
//!
//! # Quick start
//!
//! ```
//! use std::collections::HashMap;
//!
//! use poolable::{Pool, Poolable, pooled};
//!
//! #[derive(Poolable, Default)]
//! #[pool(capacity = 256)] // how many objects this type's default pool keeps
//! struct Request {
//!     path: String,                      // cleared, capacity kept
//!     headers: HashMap<String, String>,  // cleared, capacity kept
//!     attempts: u32,                     // back to 0
//! }
//!
//! // `#[pooled]` goes on the function *and* on the parameter. Callers do not pass `req`:
//! // it is borrowed from `Request`'s default pool when `handle` starts and given back,
//! // reset, however it ends (if it panics, the object is dropped instead).
//! #[pooled]
//! fn handle(raw: &str, #[pooled] req: &mut Request) -> usize {
//!     req.path.push_str(raw);
//!     req.path.len()
//! }
//!
//! assert_eq!(handle("/index.html"), 11); // makes a Request
//! assert_eq!(handle("/about"), 6); // reuses it, with its buffers
//! let stats = poolable::global::<Request>().stats();
//! assert_eq!((stats.made, stats.reused), (1, 1));
//!
//! // A pool of your own, for any `Poolable` type.
//! let buffers: Pool<Vec<u8>> = Pool::with_capacity(64);
//! let mut buffer = buffers.get(); // a guard that derefs to the `Vec`
//! buffer.extend_from_slice(b"payload");
//! drop(buffer); // cleared, capacity kept, back in the pool
//! assert!(buffers.get().capacity() >= 7);
//! ```
//!
//! # What is here
//!
//! - [`Poolable`]: the reset trait, implemented for the standard library's collections,
//!   scalars and containers, and its derive. Files, sockets, `Rc`, `Arc` and references are
//!   deliberately not `Poolable`: a reset cannot make them fresh.
//! - [`pooled`]: the function attribute.
//! - [`Pool`], configured by [`PoolBuilder`] (with [`DefaultFactory`] until a factory is
//!   given); it lends [`Pooled`] guards, and [`OwnedPooled`] ones from a pool in an `Arc`.
//!   Each thread caches up to [`THREAD_CACHE_MAX`] objects per pool in front of the shared
//!   queue, within the capacity; [`Pool`]'s docs state the memory bound.
//! - [`global`]: each type's process-wide default pool, which `#[pooled]` uses when no
//!   pool is named; [`NewPooled`] says how it makes objects; [`DEFAULT_CAPACITY`].
//! - [`Stats`]: what a pool did; [`for_each_pool`] visits the default pools and the ones
//!   you registered, and [`trim_all`] trims them all.
//! - [`ReuseVec`] and [`ReuseMap`] (with [`ReuseKey`] and the [`reuse`] module): collections
//!   whose reset keeps their strings and elements too, for deep reuse.
//!
//! # Threads and async tasks
//!
//! A [`Pool<T>`](Pool) is `Send + Sync` when `T: Send`; share it by reference or in an
//! `Arc`. A [`Pooled`] guard borrows its pool, so it stays in the scope that borrowed.
//! For a spawned thread or task, put the pool in an `Arc` and borrow with
//! [`Pool::get_owned`]: the [`OwnedPooled`] guard is `'static`, and `Send` when `T: Send`.
//!
//! ```
//! use std::sync::Arc;
//!
//! use poolable::Pool;
//!
//! let pool: Arc<Pool<Vec<u8>>> = Arc::new(Pool::with_capacity(16));
//! let mut buffer = pool.get_owned(); // holds its own clone of the `Arc`
//! std::thread::spawn(move || buffer.extend_from_slice(b"filled on another thread"))
//!     .join()
//!     .unwrap();
//! assert_eq!(pool.stats().returned, 1);
//! ```
//!
//! `#[pooled] async fn` holds its objects across `.await`, and its future is `Send` when the
//! pooled types are. Default pools are process-wide, shared by every thread, so
//! [`global::<T>()`](global) (and `#[pooled]` without `pool = ...`) needs
//! `T: Send + 'static`: a type that holds an `Rc`, even in a skipped field, has no default
//! pool. Hold an `Arc` instead, or name a pool of your own with
//! `#[pooled(pool = EXPR)]`.
//!
//! # Methods with a pool in a field
//!
//! `#[pooled(pool = self.buffers)]` borrows `self.buffers` for the whole call. A method that
//! takes `&mut self` may still change its other fields, but not use `self` as a whole
//! (call another `&mut self` method, say: E0502). Keep the pool in an `Arc` and name a
//! clone: the expression is evaluated once when the call starts and kept until it ends, so
//! the call owns its handle and `self` is free.
//!
//! ```
//! use std::sync::Arc;
//!
//! use poolable::{Pool, pooled};
//!
//! struct Parser {
//!     buffers: Arc<Pool<Vec<u8>>>,
//!     parsed: usize,
//! }
//!
//! impl Parser {
//!     #[pooled]
//!     fn parse(
//!         &mut self,
//!         input: &[u8],
//!         #[pooled(pool = Arc::clone(&self.buffers))] scratch: &mut Vec<u8>,
//!     ) -> usize {
//!         scratch.extend_from_slice(input);
//!         self.count(); // a `&mut self` method: `self` is free
//!         scratch.len()
//!     }
//!
//!     fn count(&mut self) {
//!         self.parsed += 1;
//!     }
//! }
//!
//! let mut parser = Parser { buffers: Arc::new(Pool::new()), parsed: 0 };
//! assert_eq!(parser.parse(b"abc"), 3);
//! assert_eq!(parser.parse(b"de"), 2);
//! assert_eq!((parser.parsed, parser.buffers.stats().reused), (2, 1));
//! ```
//!
//! # Deep reuse
//!
//! `Vec<String>::clear` keeps the vector's buffer but drops every string, and so does
//! `HashMap<String, String>::clear`: a pooled request of natural shape still pays one
//! allocation per string on every use. [`ReuseVec`] and [`ReuseMap`] keep what they remove,
//! reset, as spares, and hand them out again, so such a request stops allocating at all.
//!
//! ```
//! use poolable::{Poolable, ReuseMap, ReuseVec, pooled};
//!
//! #[derive(Poolable, Default)]
//! struct Request {
//!     headers: ReuseMap<String, String>, // keys and values kept as spares
//!     tags: ReuseVec<String>,            // strings kept as spares
//! }
//!
//! #[pooled]
//! fn parse(raw: &[(&str, &str)], #[pooled] req: &mut Request) -> usize {
//!     for (name, value) in raw {
//!         // A spare key is filled from the `&str`, and a spare value handed out to fill.
//!         req.headers.insert_with(*name, |v| v.push_str(value));
//!     }
//!     req.tags.push_default().push_str("parsed"); // a spare string, or a new one
//!     req.headers.len()
//! }
//!
//! assert_eq!(parse(&[("host", "example.com"), ("accept", "*/*")]), 2);
//! assert_eq!(parse(&[("host", "example.org")]), 1); // no new string was allocated
//! ```
//!
//! # Decode in place
//!
//! Services get their data through serde, and a decode builds a fresh object: every
//! string, vector and map allocated again. With feature `serde`, `Pool::decode` borrows
//! an object and decodes into it *in place*, with serde's
//! `Deserialize::deserialize_in_place`: strings and buffers are refilled within the
//! capacity they kept, [`ReuseVec`] and [`ReuseMap`] fill their spares, derived structs
//! decode field by field. In steady state a decode allocates nothing.
//!
//! ```text
//! let mut input = serde_json::Deserializer::from_slice(body);
//! let order = pool.decode(&mut input)?; // a guard, as from `pool.get()`; serde's error if bad
//! input.end()?;                         // refuse trailing input, as `from_slice` does
//! ```
//!
//! (The README and `Pool::decode`'s docs have this as examples that run; they need
//! feature `serde`, this page does not.)
//!
//! A failed decode never hands out the half-decoded object: it goes back through its
//! reset, so nothing of bad input reaches the next user (a `#[pool(skip)]` field is not
//! reset, so give it `#[serde(skip)]` too). `Pool::decode_owned` does the
//! same for a pool in an `Arc`, and [`global::<T>().decode(..)`](global) for `T`'s
//! default pool. With feature `axum`, the extractors `poolable::axum::PooledJson` and
//! `PooledForm` decode a request body this way.
//!
//! What decodes in place, and what serde replaces (decodes a fresh value and assigns it,
//! as it does for every type without an in-place decode: correct, it just allocates):
//!
//! | type | in place? |
//! |---|---|
//! | `String` | yes: refilled within its capacity |
//! | `Vec<T>` | its buffer is reused; elements are new `T`s (the reset emptied it), so `Vec<u8>` and vectors of numbers allocate nothing, `Vec<String>` one string per element |
//! | `VecDeque<T>`, `BinaryHeap<T>`, `HashSet<T>` | as `Vec`: the container's storage kept, elements new |
//! | `BTreeSet<T>` | cleared and refilled: its nodes are allocated anew, as in a fresh decode |
//! | [`ReuseVec<T>`], [`ReuseMap<K, V>`] | yes, elements, keys and values decoded into spares, recursively |
//! | structs and tuple structs with `#[derive(Deserialize)]` | yes, field by field (with `#[serde(flatten)]`, `transparent`, `from` or `try_from`: replaced) |
//! | tuples, arrays | yes, element by element |
//! | numbers, `bool`, `char` | written over, nothing to allocate |
//! | `HashMap`, `BTreeMap`, `Option<T>`, `Box<T>`, enums | replaced (use [`ReuseMap`] for maps) |
//! | a `#[serde(default)]` field the input leaves out | assigned its default, which drops its buffer: the next input that has the field allocates it again |
//!
//! Format notes: serde_json decodes a string without escapes straight from the input;
//! the first string with escapes makes a `serde_json::Deserializer` allocate its scratch
//! buffer (one per deserializer). A URL-encoded value with `+` or `%`-escapes is decoded
//! into a new string that replaces the pooled one.
//!
//! # Retention
//!
//! A pool that keeps what one rare huge request grew would keep that memory for good.
//! `#[pool(shrink_to = N)]` on a field frees capacity (or spares) above `N` after each
//! reset; [`PoolBuilder::keep_if`] and the derive's `#[pool(keep_if = PATH)]` drop, instead
//! of keeping, an object that fails a test when it comes back; [`Pool::trim`] drops what
//! sat unused since the previous trim, the role Go's garbage collector plays for
//! `sync.Pool`. [`trim_all`] trims every default pool and every pool you
//! [registered](Pool::register), so periodic trimming is one line on a timer:
//!
//! ```no_run
//! std::thread::spawn(|| loop {
//!     std::thread::sleep(std::time::Duration::from_secs(30));
//!     poolable::trim_all(); // what sat idle for a whole period goes
//! });
//! ```
//!
//! # Does pooling pay?
//!
//! [`Pool::stats`] counts objects made, reused, returned and dropped (and why). Two
//! snapshots subtract, to read one phase of a workload. A high hit rate says objects are
//! reused, not that reuse is faster than allocating: measure both, as the repository's
//! [`requests` example](https://github.com/poolable/poolable/blob/main/examples/requests.rs)
//! does, and see the [benchmarks](https://github.com/poolable/poolable/blob/main/BENCHMARKS.md).
//!
//! # Cargo features
//!
//! - `derive` (default): `#[derive(Poolable)]` and `#[pooled]`.
//! - `serde`: decode in place (`Pool::decode`), and `Serialize` and `Deserialize` for
//!   [`ReuseVec`] and [`ReuseMap`], which decode in place into their spares. It turns on
//!   serde_derive's own feature `deserialize_in_place`, which is what makes a
//!   `#[derive(Deserialize)]` struct decode field by field (cargo builds one serde_derive
//!   per build, so your derives get it with nothing more in your `Cargo.toml`). The cost:
//!   every struct that derives `Deserialize` anywhere in the build, dependencies included,
//!   gets a second generated method, with a visitor of its own. It is generic, so it adds
//!   machine code only where it is called, but the compiler reads and checks it everywhere,
//!   so builds of crates with many derived types take longer: see the
//!   [measurement](https://github.com/poolable/poolable/blob/main/BENCHMARKS.md#decode-in-place).
//! - `axum`: the extractors `poolable::axum::PooledJson` and `PooledForm`, which decode a
//!   JSON or form body into an object of `T`'s default pool, with axum's rejections.
//! - `metrics`: pool statistics published through the `metrics` crate's facade, when you
//!   ask (never from the hot path): `Pool::publish_metrics`, `Stats::publish_metrics`, and
//!   `publish_all_metrics` for every default and registered pool.
//! - `bytes`, `hashbrown`, `indexmap`, `smallvec`: [`Poolable`] for those crates'
//!   collections (cleared, capacity kept).
//!
//! The [README](https://github.com/poolable/poolable#readme) compares poolable with the
//! other pool crates and Go's `sync.Pool`;
//! [RELIABILITY.md](https://github.com/poolable/poolable/blob/main/RELIABILITY.md) says how
//! it is tested.

// On docs.rs (`--cfg docsrs`, a nightly rustdoc) each item behind a cargo feature is
// labelled with it; rustdoc's `doc_cfg` finds the `#[cfg(feature = ...)]` by itself. Stable
// rustdoc (1.95) has no such label, so an ordinary build ignores this line.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use pool_runtime::{
    DEFAULT_CAPACITY, DefaultFactory, NewPooled, OwnedPooled, Pool, PoolBuilder, Poolable, Pooled,
    ReuseKey, ReuseMap, ReuseVec, Stats, THREAD_CACHE_MAX, for_each_pool, global, reuse, trim_all,
};

#[cfg(feature = "metrics")]
pub use pool_runtime::publish_all_metrics;

// `poolable::axum`, with feature `axum`: the extractors. Re-exported through a macro of
// pool-runtime's, so that it is here whenever pool-runtime has it (see the macro).
pool_runtime::__reexport_axum!();

#[cfg(feature = "derive")]
pub use pool_derive::{Poolable, pooled};

/// Paths used by the code that `#[derive(Poolable)]` and `#[pooled]` generate. Not public
/// API: nothing here is covered by semver.
#[doc(hidden)]
pub mod __private {
    pub use pool_runtime::{DefaultPoolSlot, NewPooled, Pool, Poolable, Pooled, global};
    pub use pool_runtime::{
        HasDefaultPool, NoShrinkTo, ProcessWide, ShrinkSpares, ShrinkTo, ShrinkToFallback,
    };
}

// The traits and type whose names a compile error about a generated check may print
// ("the trait `ShrinkTo<u32>` is not implemented for `NoShrinkTo`", "required for `Session`
// to implement `HasDefaultPool`"). rustc prints an item by its shortest visible path, and
// by its bare name when that is unambiguous; re-exported here, hidden, they read as
// `ShrinkTo` rather than `poolable::__private::ShrinkTo`. Generated code still names them
// through `__private`; not public API.
#[doc(hidden)]
pub use pool_runtime::{HasDefaultPool, NoShrinkTo, ProcessWide, ShrinkTo};

// The README's examples run as doctests in the test-suite package (test-suite/src/lib.rs),
// which has the dev-dependencies its "Decode in place" example needs.
