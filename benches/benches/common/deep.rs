//! Deep reuse on the `request` workload: contenders whose requests keep their cleared
//! strings as spares, so that a request in steady state makes no allocation at all.
//!
//! - [`LimitDeep`], the deep-reuse limit: the limit's thread-local stack, of requests
//!   written by hand to keep their strings (a spare list beside the header map, a live
//!   count in the tag vector).
//! - [`PoolableReuse`]: poolable's `Pool` of a derived request whose header map and tag
//!   vector are poolable's `ReuseMap` and `ReuseVec`, filled as a user would fill them.
//!
//! They run `request` only. Against them in the same group: poolable's `Pool` and the
//! limit (a thread-local stack) with std collections, whose `clear()` drops the 20
//! strings of every request.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hint::black_box;

use poolable::{Pool, ReuseMap, ReuseVec};

use super::{Contender, HEADERS, PATH, PAYLOAD, POOL_CAPACITY, TAGS, checksum};

/// The `request` object written by hand for deep reuse: each collection keeps the
/// strings it held, cleared, as spares for the next request.
#[derive(Default)]
pub(crate) struct DeepRequest {
    path: String,
    headers: HashMap<String, String>,
    /// Cleared strings the header map held, ready to be a name or a value again.
    header_spares: Vec<String>,
    body: Vec<u8>,
    /// `tags[..live_tags]` are this request's tags; the rest are cleared spares.
    tags: Vec<String>,
    live_tags: usize,
}

impl DeepRequest {
    /// Inserts a header, its name and value copied into spare strings. One hash per
    /// header, as a `HashMap::insert` does. A repeated name (not in this workload)
    /// replaces the value in place, and the spare taken for the name is dropped.
    #[inline]
    fn insert_header(&mut self, name: &str, value: &str) {
        let mut key = self.header_spares.pop().unwrap_or_default();
        key.push_str(name);
        match self.headers.entry(key) {
            std::collections::hash_map::Entry::Occupied(mut entry) => {
                let old = entry.get_mut();
                old.clear();
                old.push_str(value);
            }
            std::collections::hash_map::Entry::Vacant(entry) => {
                let mut spare = self.header_spares.pop().unwrap_or_default();
                spare.push_str(value);
                entry.insert(spare);
            }
        }
    }

    /// A cleared spare tag, or a new one; it counts as a tag from now on.
    #[inline]
    fn push_tag(&mut self) -> &mut String {
        if self.live_tags == self.tags.len() {
            self.tags.push(String::new());
        }
        self.live_tags += 1;
        &mut self.tags[self.live_tags - 1]
    }

    /// Clears everything, keeping the strings as spares and every capacity.
    #[inline]
    fn clear(&mut self) {
        self.path.clear();
        for (mut name, mut value) in self.headers.drain() {
            name.clear();
            value.clear();
            self.header_spares.push(name);
            self.header_spares.push(value);
        }
        self.body.clear();
        for tag in &mut self.tags[..self.live_tags] {
            tag.clear();
        }
        self.live_tags = 0;
    }
}

/// Fills a [`DeepRequest`] as `fill_request` fills a std one, then checksums it.
#[inline]
fn fill_deep(request: &mut DeepRequest) -> u64 {
    request.path.push_str(PATH);
    for (name, value) in HEADERS {
        request.insert_header(name, value);
    }
    request.body.extend_from_slice(&PAYLOAD);
    for tag in TAGS {
        request.push_tag().push_str(tag);
    }
    let request = black_box(request);
    checksum(
        &request.path,
        &request.headers,
        &request.body,
        &request.tags[..request.live_tags],
    )
}

thread_local! {
    static DEEP_STACK: RefCell<Vec<DeepRequest>> = const { RefCell::new(Vec::new()) };
}

/// The deep-reuse limit: the limit's thread-local stack, of [`DeepRequest`]s.
pub(crate) struct LimitDeep;

impl Contender for LimitDeep {
    const BUFFERS: bool = false;

    fn borrow_one(&self, _: impl Fn(&mut Vec<u8>)) {}

    fn hold_many(&self, _: impl Fn(&mut Vec<u8>)) {}

    #[inline]
    fn request(&self) -> u64 {
        let mut request = DEEP_STACK.with_borrow_mut(Vec::pop).unwrap_or_default();
        let sum = fill_deep(&mut request);
        request.clear();
        DEEP_STACK.with_borrow_mut(|stack| stack.push(request));
        sum
    }
}

// ---- poolable with its reuse collections ----

/// The `request` object as a user writes it for deep reuse: the std request with
/// `ReuseMap` and `ReuseVec` in place of `HashMap` and `Vec<String>`, reset by the derive.
#[derive(Default, poolable::Poolable)]
pub(crate) struct ReuseRequest {
    path: String,
    headers: ReuseMap<String, String>,
    body: Vec<u8>,
    tags: ReuseVec<String>,
}

/// Fills a [`ReuseRequest`] as `fill_request` fills a std one, then checksums it.
#[inline]
fn fill_reuse(request: &mut ReuseRequest) -> u64 {
    request.path.push_str(PATH);
    for (name, value) in HEADERS {
        request.headers.insert_with(name, |v| v.push_str(value));
    }
    request.body.extend_from_slice(&PAYLOAD);
    for tag in TAGS {
        request.tags.push_default().push_str(tag);
    }
    let request = black_box(request);
    checksum(
        &request.path,
        &request.headers,
        &request.body,
        &request.tags,
    )
}

/// poolable's `Pool` held in a local, of [`ReuseRequest`]s.
pub(crate) struct PoolableReuse {
    requests: Pool<ReuseRequest>,
}

impl PoolableReuse {
    pub(crate) fn new() -> Self {
        PoolableReuse {
            requests: Pool::with_capacity(POOL_CAPACITY),
        }
    }
}

impl Contender for PoolableReuse {
    const BUFFERS: bool = false;

    fn borrow_one(&self, _: impl Fn(&mut Vec<u8>)) {}

    fn hold_many(&self, _: impl Fn(&mut Vec<u8>)) {}

    #[inline]
    fn request(&self) -> u64 {
        fill_reuse(&mut self.requests.get())
    }
}
