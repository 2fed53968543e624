//! Collections whose reset keeps the inner objects too: deep reuse.
//!
//! `Vec<String>::clear` keeps the vector's buffer and drops every string, and
//! `HashMap<String, String>::clear` drops every key and value. A pooled object of natural
//! shape (a request with a list of tags and a map of headers) therefore still pays one
//! allocation per string on every use, however well it is pooled. The two collections
//! here keep what they remove, reset, as *spares*, and hand them out again on the next
//! insertion, as protobuf's repeated fields keep cleared sub-messages:
//!
//! - [`ReuseVec`]: a vector; [`push_default`](ReuseVec::push_default) hands out a spare.
//! - [`ReuseMap`]: a hash map in insertion order; [`insert_with`](ReuseMap::insert_with)
//!   fills a spare key from a borrowed one (a `&str` for a `String`), as [`ReuseKey`]
//!   says, and hands out the spare value to fill.
//!
//! Both are [`Poolable`](crate::Poolable) (the reset is `clear`: O(live elements), no
//! allocation, no deallocation) and `Default`, so they drop into a
//! `#[derive(Poolable)]` type in place of `Vec` and `HashMap`. A spare never holds its last
//! user's data: it is reset the moment it stops being live. Spares never outnumber the
//! most elements held at once, and `shrink_to(n)` (which the derive's
//! `#[pool(shrink_to = N)]` calls after each reset) drops those beyond `n`, so a rare huge
//! request cannot pin its memory for good.
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
mod map;
#[cfg(feature = "serde")]
mod serde;
#[cfg(test)]
mod tests;
mod vec;

pub use key::ReuseKey;
pub use map::{IntoIter, Iter, IterMut, Keys, ReuseMap, Values, ValuesMut};
pub use vec::ReuseVec;
