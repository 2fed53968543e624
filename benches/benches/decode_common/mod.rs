//! The decode workload, shared by the `decode` (timing), `decode_allocs` (allocation
//! counting) and `callgrind` bench targets: one JSON request of natural shape (method,
//! path, 4 headers, 4 tags, a body, a nested user), decoded five ways.
//!
//! - `fresh-std`: `serde_json::from_slice` into a new request on std collections
//!   (`HashMap<String, String>`, `Vec<String>`): what a service does today.
//! - `fresh`: `serde_json::from_slice` into a new [`Request`] (the reuse collections),
//!   the same type as in place, so the two differ only in where the value lands.
//! - `in-place`: [`Pool::decode`] into a [`Request`] from a pool: reset, its strings and
//!   spares kept from the last decode.
//! - `fresh-std-str`, `in-place-str`: as `fresh-std` and `in-place`, but the input's UTF-8
//!   is checked once, whole, and the input read as a `str`
//!   (`serde_json::Deserializer::from_str`), which then does not check each string again.
//!   `PooledJson` decodes this way.
//!
//! Each returns a checksum of what it decoded, so that nothing is optimised away, and
//! drops the request (or returns it to its pool) before returning.

// Each bench target uses part of this module.
#![allow(dead_code)]

use std::collections::HashMap;

use poolable::{Pool, Poolable, ReuseMap, ReuseVec};
use serde::Deserialize;

/// The request, as JSON: about 500 bytes, no escapes.
pub(crate) const JSON: &[u8] = br#"{
  "method": "POST",
  "path": "/api/v2/orders/8f14e45f-ceea-467f-a0e6-0a2f4b6c8d1e/items",
  "headers": {
    "host": "shop.example.com",
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0",
    "accept": "application/json",
    "x-request-id": "7f3a9c2e-51b0-4d6a-9e8f-2c1d0b3a4f5e"
  },
  "tags": ["express", "gift-wrap", "fragile", "priority"],
  "body": "Please leave the parcel with the concierge if nobody answers the door.",
  "user": {"id": 48213, "name": "Ada Lovelace", "email": "ada.lovelace@example.com"}
}"#;

#[derive(Poolable, Default, Deserialize)]
pub(crate) struct User {
    id: u64,
    name: String,
    email: String,
}

/// The request with the reuse collections: decodes in place with nothing allocated.
#[derive(Poolable, Default, Deserialize)]
pub(crate) struct Request {
    method: String,
    path: String,
    headers: ReuseMap<String, String>,
    tags: ReuseVec<String>,
    body: String,
    user: User,
}

/// The same request on std collections.
#[derive(Default, Deserialize)]
pub(crate) struct StdRequest {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    tags: Vec<String>,
    body: String,
    user: User,
}

fn checksum(path: &str, headers: usize, tags: usize, body: &str, user: &User) -> u64 {
    (path.len() + headers + tags + body.len() + user.name.len()) as u64 + user.id
}

/// The ways to decode, by name.
pub(crate) const WAYS: [&str; 5] = [
    "fresh-std",
    "fresh",
    "in-place",
    "fresh-std-str",
    "in-place-str",
];

/// Decodes [`JSON`] the way named; `None` for an unknown name.
pub(crate) fn decoder(way: &str) -> Option<fn(&Pool<Request>) -> u64> {
    Some(match way {
        "fresh-std" => fresh_std,
        "fresh" => fresh,
        "in-place" => in_place,
        "fresh-std-str" => fresh_std_str,
        "in-place-str" => in_place_str,
        _ => return None,
    })
}

pub(crate) fn fresh_std(_: &Pool<Request>) -> u64 {
    let r: StdRequest = serde_json::from_slice(std::hint::black_box(JSON)).unwrap();
    checksum(&r.path, r.headers.len(), r.tags.len(), &r.body, &r.user)
}

pub(crate) fn fresh(_: &Pool<Request>) -> u64 {
    let r: Request = serde_json::from_slice(std::hint::black_box(JSON)).unwrap();
    checksum(&r.path, r.headers.len(), r.tags.len(), &r.body, &r.user)
}

pub(crate) fn in_place(pool: &Pool<Request>) -> u64 {
    let mut input = serde_json::Deserializer::from_slice(std::hint::black_box(JSON));
    let r = pool.decode(&mut input).unwrap();
    input.end().unwrap();
    checksum(&r.path, r.headers.len(), r.tags.len(), &r.body, &r.user)
}

/// As [`in_place`], but the input's UTF-8 checked once, whole, and then read as a `str`
/// (`serde_json::Deserializer::from_str`), which does not check each string again.
pub(crate) fn in_place_str(pool: &Pool<Request>) -> u64 {
    let text = std::str::from_utf8(std::hint::black_box(JSON)).unwrap();
    let mut input = serde_json::Deserializer::from_str(text);
    let r = pool.decode(&mut input).unwrap();
    input.end().unwrap();
    checksum(&r.path, r.headers.len(), r.tags.len(), &r.body, &r.user)
}

/// As [`fresh_std`], the input read as a `str` as in [`in_place_str`].
pub(crate) fn fresh_std_str(_: &Pool<Request>) -> u64 {
    let text = std::str::from_utf8(std::hint::black_box(JSON)).unwrap();
    let r: StdRequest = serde_json::from_str(text).unwrap();
    checksum(&r.path, r.headers.len(), r.tags.len(), &r.body, &r.user)
}
