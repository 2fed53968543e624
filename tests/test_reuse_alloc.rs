//! Deep reuse pays: a derived request of natural shape (a path, a header map of strings,
//! a vector of tag strings, a body) borrowed through `#[pooled]` makes no heap allocation
//! per use in steady state. The same request with `HashMap<String, String>` and
//! `Vec<String>` allocates per string on every use, as the control shows.
//!
//! The allocator counts per thread, so the test harness's other threads cannot disturb a
//! measurement.

use std::collections::HashMap;

use poolable::{Poolable, ReuseMap, ReuseVec, pooled};

mod support;

use support::counting_alloc::Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Heap allocations per call of `round` in steady state, after a warm-up that has seen
/// every request shape twice.
fn allocations_per_round(round: impl Fn(usize) + Send + 'static) -> f64 {
    let rounds = if cfg!(miri) { 20 } else { 2_000 };
    let total = support::steady_state_allocations(REQUESTS.len() * 2, rounds, round);
    total as f64 / rounds as f64
}

/// A raw request: its path, headers and tags.
type Raw = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

/// Raw requests, different in headers and tags, cycled through.
const REQUESTS: [Raw; 3] = [
    (
        "/orders/17",
        &[
            ("host", "shop.example"),
            ("user-agent", "curl/8.5.0"),
            ("accept", "application/json"),
            ("x-request-id", "7f3a9c"),
        ],
        &["fresh", "organic"],
    ),
    (
        "/orders/18?page=2",
        &[
            ("host", "shop.example"),
            ("accept", "*/*"),
            ("content-type", "application/x-www-form-urlencoded"),
            ("x-trace-0", "00000000deadbeef"),
            ("x-trace-1", "00000000cafef00d"),
        ],
        &["bulk"],
    ),
    ("/", &[("host", "shop.example")], &["a", "b", "c", "d"]),
];

#[derive(Poolable, Default)]
struct Request {
    path: String,
    headers: ReuseMap<String, String>,
    tags: ReuseVec<String>,
    body: Vec<u8>,
}

#[pooled]
fn handle(i: usize, #[pooled] request: &mut Request) -> usize {
    let (path, headers, tags) = REQUESTS[i % REQUESTS.len()];
    request.path.push_str(path);
    for (name, value) in headers {
        request.headers.insert_with(*name, |v| v.push_str(value));
    }
    for tag in tags {
        request.tags.push_default().push_str(tag);
    }
    request.body.extend_from_slice(b"item0=widget&qty0=3");
    assert_eq!(request.headers["host"], "shop.example");
    request.headers.len() + request.tags.len()
}

#[test]
fn a_request_with_reuse_collections_allocates_nothing_per_use() {
    let per_round = allocations_per_round(|i| {
        std::hint::black_box(handle(i));
    });
    assert_eq!(per_round, 0.0, "allocations per pooled request");
}

/// The same request with the standard collections: the control.
#[derive(Poolable, Default)]
struct StdRequest {
    path: String,
    headers: HashMap<String, String>,
    tags: Vec<String>,
    body: Vec<u8>,
}

#[pooled]
fn handle_std(i: usize, #[pooled] request: &mut StdRequest) -> usize {
    let (path, headers, tags) = REQUESTS[i % REQUESTS.len()];
    request.path.push_str(path);
    for (name, value) in headers {
        request
            .headers
            .insert((*name).to_owned(), (*value).to_owned());
    }
    for tag in tags {
        request.tags.push((*tag).to_owned());
    }
    request.body.extend_from_slice(b"item0=widget&qty0=3");
    request.headers.len() + request.tags.len()
}

#[test]
fn the_same_request_with_std_collections_allocates_per_string() {
    let per_round = allocations_per_round(|i| {
        std::hint::black_box(handle_std(i));
    });
    // 3.33 headers (two strings each) and 2.33 tags per request on average: 9 strings.
    assert!(
        per_round >= 8.0,
        "{per_round} allocations per pooled request"
    );
}
