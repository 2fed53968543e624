//! Collections whose reset keeps the inner objects too: deep reuse.
//!
//! **The one rule: the collection reuses what it hands you to fill.** Take elements with
//! [`push_default`](ReuseVec::push_default), entries with
//! [`entry_ref(key).or_default()`](ReuseMap::entry_ref) or
//! [`insert_with(key, fill)`](ReuseMap::insert_with), and fill from borrowed forms with
//! `extend` (`&str` into a `ReuseVec<String>`, `(&str, &str)` into a
//! `ReuseMap<String, String>`): each lands in a *spare*, a string kept, cleared, from an
//! earlier use. A value you built yourself (`tags.push(tag.to_owned())`,
//! `headers.insert(name.to_owned(), value.to_owned())`) was already allocated; the
//! collection stores it and drops the spare it displaces, at the cost `Vec` and `HashMap`
//! would have.
//!
//! | Instead of (allocates per string)                  | Write (fills a spare)                                   |
//! |----------------------------------------------------|---------------------------------------------------------|
//! | `tags.push(tag.to_owned())`                        | `tags.push_default().push_str(tag)`, `tags.extend([tag])` |
//! | `headers.insert(k.to_owned(), v.to_owned())`       | `headers.insert_with(k, \|v2\| v2.push_str(v))`, `headers.extend([(k, v)])` |
//! | `*headers.entry(k.to_owned()).or_default() += ..`  | `*headers.entry_ref(k).or_default() += ..`              |
//! | `copy = original.clone()`                          | `copy.clone_from(&original)`                            |
//!
//! ```
//! use poolable::{Poolable, ReuseMap, ReuseVec};
//!
//! let mut headers: ReuseMap<String, String> = ReuseMap::new();
//! let mut tags: ReuseVec<String> = ReuseVec::new();
//! let mut first_round = Vec::new();
//! for round in 0..3 {
//!     headers.entry_ref("host").or_default().push_str("example.com");
//!     headers.extend([("accept", "*/*")]);
//!     tags.push_default().push_str("fresh");
//!     tags.extend(["organic"]);
//!
//!     let strings: Vec<*const u8> = headers
//!         .iter()
//!         .flat_map(|(name, value)| [name.as_ptr(), value.as_ptr()])
//!         .chain(tags.iter().map(|tag| tag.as_ptr()))
//!         .collect();
//!     if round == 0 {
//!         first_round = strings;
//!     } else {
//!         // The same six strings, refilled: no allocation after the first round.
//!         assert_eq!(strings, first_round);
//!     }
//!     headers.reset(); // what a pool does when the object comes back
//!     tags.reset();
//! }
//! ```
//!
//! (The repository's allocation tests count it with a counting allocator: 0 allocations
//! per use in steady state, through each of these calls.)
//!
//! # Why
//!
//! `Vec<String>::clear` keeps the vector's buffer and drops every string, and
//! `HashMap<String, String>::clear` drops every key and value. A pooled object of natural
//! shape (a request with a list of tags and a map of headers) therefore still pays one
//! allocation per string on every use, however well it is pooled. The two collections
//! here keep what they remove, reset, as spares, and hand them out again on the next
//! insertion, as protobuf's repeated fields keep cleared sub-messages:
//!
//! - [`ReuseVec`]: a vector; its owning iterator is in [`vec`](mod@vec).
//! - [`ReuseMap`]: a hash map in insertion order, with `IndexMap`'s names for removal
//!   (`shift_remove`, `swap_remove`); it fills a spare key from a borrowed one (a `&str`
//!   for a `String`) as [`ReuseKey`] says. Its entries and iterators are in [`map`].
//!
//! Both are [`Poolable`](crate::Poolable) (the reset is `clear`: O(live elements), no
//! allocation, no deallocation) and `Default`, so they drop into a
//! `#[derive(Poolable)]` type in place of `Vec` and `HashMap`. A spare never holds its last
//! user's data: it is reset the moment it stops being live, and a value written over a
//! spare is live before the spare is dropped, so even a `Drop` that panics cannot leave
//! data among the spares. Spares never outnumber the most elements held at once, and
//! `shrink_spares_to(n)` (which the derive's `#[pool(shrink_to = N)]` calls after each
//! reset) drops those beyond `n`, so a rare huge request cannot pin its memory for good.
//!
//! Inside an `Option`, the reset is `Option`'s: `None`, which drops the collection and
//! its spares. Hold the collection directly (it is empty when fresh anyway) to keep them.
//!
//! Neither uses `unsafe`: live elements and spares share one `Vec`, live ones first.
//!
//! # Serde, and decoding in place
//!
//! With the cargo feature `serde` (off by default; the `poolable` facade forwards it),
//! both implement `Serialize` and `Deserialize` (for elements, keys and values that are
//! `Poolable` and `NewPooled`): a `ReuseVec` as a sequence of its live elements, a
//! `ReuseMap` as a map of its live entries in insertion order. Spares are never
//! serialized.
//!
//! Both implement serde's `Deserialize::deserialize_in_place` too, which decodes into a
//! collection you already hold (a pooled one): the live elements are reset into spares,
//! then each element is decoded into a spare with its own type's `deserialize_in_place`,
//! recursively. A `ReuseMap` decodes each key into a spare key, then looks it up; a key
//! that appears twice keeps its first place and its last value, as `HashMap` does. In
//! steady state a decode allocates nothing.
//!
//! Which element types reuse their own buffers is their `deserialize_in_place`'s
//! business. With serde 1.0: `String` and `Vec<T>` keep their buffers (`Vec` decodes
//! each element in place), arrays and tuples decode element by element, and the reuse
//! collections fill their spares. `Option`, `Box`, `HashMap`, `BTreeMap`, `HashSet`,
//! `VecDeque` and numbers have no in-place decode: serde replaces the value with a
//! freshly decoded one, which is correct but allocates as a fresh decode does. A type
//! with `#[derive(Deserialize)]` decodes field by field in place only when
//! serde_derive's `deserialize_in_place` feature is on; otherwise it is replaced whole.
//!
//! On an error (malformed, truncated or mistyped input) the collection is left empty,
//! each element it had decoded reset into a spare: a spare never holds decoded data.
//!
#![cfg_attr(
    feature = "serde",
    doc = r##"
```
use poolable::{ReuseMap, ReuseVec};
use serde::Deserialize;

let mut headers: ReuseMap<String, String> = ReuseMap::new();
let mut tags: ReuseVec<String> = ReuseVec::new();
for (json_headers, json_tags) in [
    (r#"{"host":"example.com","accept":"*/*"}"#, r#"["fresh","organic"]"#),
    (r#"{"host":"example.org"}"#, r#"["bulk"]"#),
] {
    let mut decoder = serde_json::Deserializer::from_str(json_headers);
    ReuseMap::deserialize_in_place(&mut decoder, &mut headers)?; // into spare strings
    let mut decoder = serde_json::Deserializer::from_str(json_tags);
    ReuseVec::deserialize_in_place(&mut decoder, &mut tags)?;
}
assert_eq!(headers.keys().collect::<Vec<_>>(), ["host"]);
assert_eq!(headers["host"], "example.org");
assert_eq!((tags.len(), tags.spare_count()), (1, 1));
# Ok::<(), serde_json::Error>(())
```
"##
)]
//!
//! # Examples
//!
//! ```
//! use poolable::{Pool, Poolable, ReuseMap, ReuseVec};
//!
//! #[derive(Default)]
//! struct Request {
//!     headers: ReuseMap<String, String>,
//!     tags: ReuseVec<String>,
//! }
//!
//! impl Poolable for Request {
//!     fn reset(&mut self) {
//!         self.headers.reset();
//!         self.tags.reset();
//!     }
//! }
//!
//! let pool: Pool<Request> = Pool::with_capacity(8);
//! for round in 0..3 {
//!     let mut request = pool.get();
//!     request.headers.insert_with("host", |value| value.push_str("example.com"));
//!     request.tags.push_default().push_str("fresh");
//!     assert_eq!(request.headers["host"], "example.com");
//!     if round > 0 {
//!         // The key, the value and the tag are last round's strings, cleared.
//!         assert!(request.tags[0].capacity() >= 5);
//!     }
//! }
//! ```

mod key;
pub mod map;
#[cfg(feature = "serde")]
mod serde;
#[cfg(test)]
mod tests;
pub mod vec;

pub use key::ReuseKey;
pub use map::ReuseMap;
pub use vec::ReuseVec;
