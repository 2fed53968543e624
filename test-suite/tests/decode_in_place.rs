//! Decode in place, as a user of `poolable` with feature `serde` sees it: this package
//! turns on nothing else, so the in-place method of the types below comes from that
//! feature alone.
//!
//! - 0 heap allocations per decode in steady state (the counting allocator counts per
//!   thread, so the harness's other threads cannot disturb a measurement);
//! - no stale data: a short request after a long one holds exactly the short one, and
//!   fields the input leaves out hold their fresh value;
//! - malformed, truncated and mistyped input: serde's error, no panic, and a clean object
//!   for the next user;
//! - duplicate keys behave as under `serde_json::from_slice`, in a `HashMap` and in a
//!   `ReuseMap`.

use std::collections::HashMap;

use poolable::{Pool, Poolable, ReuseMap, ReuseVec};
use serde::Deserialize;

#[path = "../../examples/support/counting_alloc.rs"]
mod counting_alloc;

#[global_allocator]
static ALLOCATOR: counting_alloc::Counting = counting_alloc::Counting;

#[derive(Poolable, Deserialize, Default, Debug, PartialEq)]
struct User {
    name: String,
    email: String,
}

#[derive(Poolable, Deserialize, Default, Debug, PartialEq)]
struct Request {
    path: String,
    user: User,
    body: Vec<u8>,
    attempts: u32,
    #[serde(default)]
    note: String,
    headers: ReuseMap<String, String>,
    tags: ReuseVec<String>,
}

/// Requests of different sizes and field orders, cycled through.
const REQUESTS: [&str; 3] = [
    r#"{"path":"/orders/17/items?page=2&sort=price","user":{"name":"Ada Lovelace","email":"ada@example.com"},"body":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16],"attempts":3,"note":"second try, first timed out","headers":{"host":"shop.example","accept":"application/json","x-request-id":"7f3a9c"},"tags":["express","gift","fragile"]}"#,
    r#"{"path":"/","user":{"name":"Al","email":"al@example.org"},"body":[],"attempts":0,"note":"-","headers":{"host":"a.example"},"tags":[]}"#,
    r#"{"tags":["x","y","z","w","v"],"attempts":1,"body":[255,0],"headers":{"accept":"*/*","host":"b.example","cookie":"id=1","te":"trailers"},"user":{"email":"b@example.net","name":"Bo"},"path":"/a","note":""}"#,
];

fn decode<'p>(
    pool: &'p Pool<Request>,
    json: &str,
) -> serde_json::Result<poolable::Pooled<'p, Request>> {
    let mut input = serde_json::Deserializer::from_str(json);
    let request = pool.decode(&mut input)?;
    input.end()?;
    Ok(request)
}

/// Heap allocations per call of `round` in steady state, on a fresh thread: every
/// request shape is seen twice first, uncounted.
fn allocations_per_round(round: impl Fn(usize) + Send + 'static) -> f64 {
    let rounds = if cfg!(miri) { 30 } else { 3_000 };
    let total = std::thread::spawn(move || {
        (0..REQUESTS.len() * 2).for_each(&round);
        counting_alloc::allocations_in(|| (0..rounds).for_each(&round))
    })
    .join()
    .expect("the measured rounds panicked");
    total as f64 / rounds as f64
}

#[test]
fn a_decode_in_place_allocates_nothing_in_steady_state() {
    let in_place = allocations_per_round(|round| {
        let pool = poolable::global::<Request>();
        let request = decode(pool, REQUESTS[round % REQUESTS.len()]).unwrap();
        std::hint::black_box(&request);
    });
    assert_eq!(
        in_place, 0.0,
        "allocations per decode into a pooled request"
    );

    // The control: the same requests decoded fresh allocate per string and buffer, so
    // the count above is not zero for want of counting.
    let fresh = allocations_per_round(|round| {
        let request: Request = serde_json::from_str(REQUESTS[round % REQUESTS.len()]).unwrap();
        std::hint::black_box(&request);
    });
    assert!(fresh >= 4.0, "{fresh} allocations per fresh decode");
}

#[test]
fn the_derived_method_decodes_into_the_fields_own_buffers() {
    let pool: Pool<Request> = Pool::with_capacity(1);
    let addresses = |request: &Request| {
        (
            request.path.as_ptr(),
            request.user.name.as_ptr(),
            request.body.as_ptr(),
            request.headers["host"].as_ptr(),
            request.tags[2].as_ptr(),
        )
    };
    let first = addresses(&decode(&pool, REQUESTS[0]).unwrap());
    let second = addresses(&decode(&pool, REQUESTS[0]).unwrap());
    assert_eq!(
        first, second,
        "the second decode reused the first one's buffers"
    );
}

#[test]
fn a_short_request_after_a_long_one_holds_exactly_the_short_one() {
    let pool: Pool<Request> = Pool::with_capacity(1);
    let inputs = [REQUESTS[0], REQUESTS[1], REQUESTS[2], WITHOUT_NOTE];
    for (before, after) in [(0, 1), (0, 2), (2, 1), (1, 0), (0, 3), (3, 0)] {
        drop(decode(&pool, inputs[before]).unwrap());
        let request = decode(&pool, inputs[after]).unwrap();
        let expected: Request = serde_json::from_str(inputs[after]).unwrap();
        assert_eq!(*request, expected, "{before} then {after}");
    }
    assert_eq!(pool.stats().made, 1, "one object served every decode");
}

#[test]
fn a_default_field_left_out_is_empty() {
    let pool: Pool<Request> = Pool::with_capacity(1);
    let with_note = decode(&pool, REQUESTS[0]).unwrap();
    assert_eq!(with_note.note, "second try, first timed out");
    drop(with_note);
    let without = decode(&pool, WITHOUT_NOTE).unwrap();
    assert_eq!(without.note, "");
    assert_eq!(pool.stats().reused, 1);
}

/// A request that leaves out its `#[serde(default)]` field.
const WITHOUT_NOTE: &str = r#"{"path":"/b","user":{"name":"Cy","email":"c@example.com"},"body":[9],"attempts":2,"headers":{},"tags":["t"]}"#;

/// The documented cost of a left-out `#[serde(default)]` field: serde_derive assigns it
/// its default, which drops the field's buffer, so the next request that carries the
/// field allocates it again (once; every other field still decodes in place).
#[test]
fn a_default_field_left_out_gives_up_its_buffer() {
    let alternating = allocations_per_round(|round| {
        let pool = poolable::global::<Request>();
        let json = [REQUESTS[0], WITHOUT_NOTE][round % 2];
        let request = decode(pool, json).unwrap();
        std::hint::black_box(&request);
    });
    assert_eq!(
        alternating, 0.5,
        "one allocation per request carrying the note"
    );
}

/// Inputs that must fail: malformed, truncated, mistyped, missing a field, trailing.
const BAD: [&str; 12] = [
    "",
    "{",
    r#"{"path":"/x","user":{"name":"Ann","email":"#,
    r#"{"path":"/x","user":{"name":"Ann","email":"a@b"},"body":[1,2,"#,
    r#"{"path":"/x" "user":{}}"#,
    r#"{"path":17,"user":{"name":"Ann","email":"a@b"},"body":[],"attempts":0}"#,
    r#"{"path":"/x","user":{"name":"Ann","email":"a@b"},"body":[256],"attempts":0}"#,
    r#"{"path":"/x","user":{"name":"Ann","email":"a@b"},"body":[],"attempts":-1}"#,
    r#"{"path":"/x","user":["Ann","a@b",3],"body":[],"attempts":0}"#,
    r#"{"path":"/x","user":{"name":"Ann","email":"a@b"},"body":[]}"#,
    r#"{"path":"/x","user":{"name":"Ann","email":"a@b"},"body":[],"attempts":0} {}"#,
    r#"{"path":"/x\u00","user":{"name":"Ann","email":"a@b"},"body":[],"attempts":0}"#,
];

#[test]
fn bad_input_is_an_error_and_the_next_user_gets_a_clean_object() {
    let pool: Pool<Request> = Pool::with_capacity(1);
    for bad in BAD {
        // Fill the object first, so a failed decode has old data to leave behind.
        drop(decode(&pool, REQUESTS[0]).unwrap());
        let error = decode(&pool, bad).err();
        assert!(error.is_some(), "{bad:?} decoded");
        assert!(
            serde_json::from_str::<Request>(bad).is_err(),
            "{bad:?} is good for from_str"
        );
        assert_eq!(*pool.get(), Request::default(), "after {bad:?}");
    }
    let stats = pool.stats();
    assert_eq!((stats.made, stats.kept), (1, 1), "{stats:?}");
}

#[test]
fn every_truncation_of_a_request_is_an_error_and_leaves_nothing() {
    let pool: Pool<Request> = Pool::with_capacity(1);
    let whole = REQUESTS[0];
    for end in 0..whole.len() {
        let cut = &whole[..end];
        assert!(decode(&pool, cut).is_err(), "{cut:?} decoded");
        assert_eq!(*pool.get(), Request::default(), "after {cut:?}");
    }
}

#[test]
fn errors_are_serdes_own() {
    let pool: Pool<Request> = Pool::with_capacity(1);
    for bad in BAD {
        let ours = decode(&pool, bad).err().unwrap().to_string();
        let theirs = serde_json::from_str::<Request>(bad)
            .err()
            .unwrap()
            .to_string();
        assert_eq!(ours, theirs, "{bad:?}");
    }
}

#[derive(Poolable, Deserialize, Default, Debug, PartialEq)]
struct Headers {
    host: String,
    fields: HashMap<String, String>,
    reused: ReuseMap<String, String>,
}

fn decode_headers<'p>(
    pool: &'p Pool<Headers>,
    json: &str,
) -> serde_json::Result<poolable::Pooled<'p, Headers>> {
    let mut input = serde_json::Deserializer::from_str(json);
    let headers = pool.decode(&mut input)?;
    input.end()?;
    Ok(headers)
}

#[test]
fn duplicate_keys_behave_as_under_from_str() {
    let pool: Pool<Headers> = Pool::with_capacity(1);
    // In a map the last value wins, as `HashMap`'s own `Deserialize` does, and so it
    // does in a `ReuseMap` decoded in place.
    let json =
        r#"{"host":"h","fields":{"a":"1","b":"2","a":"3"},"reused":{"a":"1","b":"2","a":"3"}}"#;
    for _ in 0..2 {
        let ours = decode_headers(&pool, json).unwrap();
        assert_eq!(*ours, serde_json::from_str::<Headers>(json).unwrap());
        assert_eq!((ours.fields["a"].as_str(), ours.fields.len()), ("3", 2));
        let reused: HashMap<_, _> = ours.reused.iter().collect();
        let fields: HashMap<_, _> = ours.fields.iter().collect();
        assert_eq!(reused, fields);
    }

    // A struct field twice is serde's "duplicate field" error, and nothing stays behind.
    let json = r#"{"host":"first","fields":{"k":"v"},"reused":{"k":"v"},"host":"second"}"#;
    let ours = decode_headers(&pool, json).err().unwrap().to_string();
    let theirs = serde_json::from_str::<Headers>(json)
        .unwrap_err()
        .to_string();
    assert_eq!(ours, theirs);
    assert!(ours.starts_with("duplicate field `host`"), "{ours}");
    assert_eq!(*pool.get(), Headers::default());
    assert_eq!(
        pool.stats().made,
        1,
        "the failed object came back and was reused"
    );
}
