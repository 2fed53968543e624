//! Deep reuse pays: a derived request of natural shape (a path, a header map of strings,
//! a vector of tag strings, a body) borrowed through `#[pooled]` makes no heap allocation
//! per use in steady state, and neither does each of the collections' reusing methods
//! (`push_default`, `extend` from borrowed forms, `insert_with`, `entry_ref`,
//! `clone_from`...), while `push` and `insert` of values you built allocate each string. The same request with `HashMap<String, String>` and
//! `Vec<String>` allocates per string on every use, as the control shows.
//!
//! The allocator counts per thread, so the test harness's other threads cannot disturb a
//! measurement.

use std::collections::HashMap;

use poolable::reuse::map::EntryRef;
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

/// Allocations per round of `fill` on one collection, reset after each round as a pool
/// would reset it, in steady state.
fn per_round_of<C>(fill: impl Fn(&mut C, usize) + Send + 'static) -> f64
where
    C: Poolable + Default + Send + 'static,
{
    let collection = std::cell::RefCell::new(C::default());
    allocations_per_round(move |i| {
        let mut collection = collection.borrow_mut();
        fill(&mut collection, i);
        collection.reset();
    })
}

/// The raw requests' tags and headers, owned, for the methods that take `&String`.
fn owned_requests() -> Vec<(Vec<String>, ReuseMap<String, String>)> {
    REQUESTS
        .iter()
        .map(|(_, headers, tags)| {
            let tags = tags.iter().map(|tag| (*tag).to_owned()).collect();
            (tags, headers.iter().copied().collect())
        })
        .collect()
}

fn tags(i: usize) -> &'static [&'static str] {
    REQUESTS[i % REQUESTS.len()].2
}

fn headers(i: usize) -> &'static [(&'static str, &'static str)] {
    REQUESTS[i % REQUESTS.len()].1
}

#[test]
fn each_reusing_method_of_the_vec_allocates_nothing() {
    let push_default = per_round_of(|list: &mut ReuseVec<String>, i| {
        for tag in tags(i) {
            list.push_default().push_str(tag);
        }
    });
    let extend_str = per_round_of(|list: &mut ReuseVec<String>, i| {
        list.extend(tags(i).iter().copied());
    });
    let owned = owned_requests();
    let extend_ref = per_round_of(move |list: &mut ReuseVec<String>, i| {
        list.extend(&owned[i % owned.len()].0);
    });
    let sources: Vec<ReuseVec<String>> = REQUESTS
        .iter()
        .map(|(_, _, tags)| tags.iter().copied().collect())
        .collect();
    let clone_from = per_round_of(move |list: &mut ReuseVec<String>, i| {
        list.clone_from(&sources[i % sources.len()]);
    });
    assert_eq!(
        [push_default, extend_str, extend_ref, clone_from],
        [0.0; 4],
        "push_default, extend(&str), extend(&String), clone_from"
    );
}

#[test]
fn each_reusing_method_of_the_map_allocates_nothing() {
    let insert_with = per_round_of(|map: &mut ReuseMap<String, String>, i| {
        for (name, value) in headers(i) {
            map.insert_with(*name, |v| v.push_str(value));
        }
    });
    let entry_ref = per_round_of(|map: &mut ReuseMap<String, String>, i| {
        for (name, value) in headers(i) {
            map.entry_ref(*name).or_default().push_str(value);
        }
    });
    let vacant_insert_default = per_round_of(|map: &mut ReuseMap<String, String>, i| {
        for (name, value) in headers(i) {
            if let EntryRef::Vacant(entry) = map.entry_ref(*name) {
                entry.insert_default().push_str(value);
            }
        }
    });
    let get_or_insert_default = per_round_of(|map: &mut ReuseMap<String, String>, i| {
        for (name, value) in headers(i) {
            map.get_or_insert_default(*name).push_str(value);
        }
    });
    let extend_str = per_round_of(|map: &mut ReuseMap<String, String>, i| {
        map.extend(headers(i).iter().copied());
    });
    let owned = owned_requests();
    let extend_ref = per_round_of(move |map: &mut ReuseMap<String, String>, i| {
        map.extend(&owned[i % owned.len()].1);
    });
    let owned = owned_requests();
    let clone_from = per_round_of(move |map: &mut ReuseMap<String, String>, i| {
        map.clone_from(&owned[i % owned.len()].1);
    });
    assert_eq!(
        [
            insert_with,
            entry_ref,
            vacant_insert_default,
            get_or_insert_default,
            extend_str,
            extend_ref,
            clone_from
        ],
        [0.0; 7],
        "insert_with, entry_ref().or_default(), VacantEntryRef::insert_default, \
         get_or_insert_default, extend((&str, &str)), extend((&String, &String)), clone_from"
    );
}

/// The forms that take a value you built: each string was allocated before the
/// collection saw it. The control that the tests above can fail.
#[test]
fn owned_values_are_allocated_before_the_collection_sees_them() {
    let push = per_round_of(|list: &mut ReuseVec<String>, i| {
        for tag in tags(i) {
            list.push((*tag).to_owned());
        }
    });
    let insert = per_round_of(|map: &mut ReuseMap<String, String>, i| {
        for (name, value) in headers(i) {
            map.insert((*name).to_owned(), (*value).to_owned());
        }
    });
    // 2.33 tags and 3.33 headers (two strings each) per request on average.
    assert!(push >= 2.0, "{push} allocations per round of push");
    assert!(insert >= 6.0, "{insert} allocations per round of insert");
}
