//! Decoding in place pays: a `ReuseVec<String>`, a `ReuseMap<String, String>` and nested
//! reuse collections decoded with serde's `Deserialize::deserialize_in_place` from JSON
//! make no heap allocation per decode in steady state, for inputs of changing shapes.
//! Decoding the same inputs fresh allocates per string, as the control shows.
//!
//! The allocator counts per thread, so the test harness's other threads cannot disturb a
//! measurement.

#![cfg(feature = "serde")]

use poolable::{ReuseMap, ReuseVec};
use serde::Deserialize;

#[path = "../../examples/support/counting_alloc.rs"]
mod counting_alloc;

#[global_allocator]
static ALLOCATOR: counting_alloc::Counting = counting_alloc::Counting;

/// Allocations per decode of `inputs` into one `T`, each decoded in place in turn, after
/// every input has been decoded twice: on a fresh thread, since the allocator counts per
/// thread.
fn allocations_per_decode<T>(inputs: &'static [&'static str]) -> f64
where
    T: for<'de> Deserialize<'de> + Default + Send + 'static,
{
    let rounds = if cfg!(miri) { 10 } else { 1_000 };
    let total = std::thread::spawn(move || {
        let mut place = T::default();
        let mut decode = |i: usize| {
            let mut deserializer = serde_json::Deserializer::from_str(inputs[i % inputs.len()]);
            T::deserialize_in_place(&mut deserializer, &mut place).unwrap();
            deserializer.end().unwrap();
        };
        (0..inputs.len() * 2).for_each(&mut decode);
        counting_alloc::allocations_in(|| (0..rounds).for_each(&mut decode))
    })
    .join()
    .expect("the decodes panicked");
    total as f64 / rounds as f64
}

/// Allocations per decode of `inputs` into a fresh `T` each time: the control.
fn allocations_per_fresh_decode<T>(inputs: &'static [&'static str]) -> f64
where
    T: for<'de> Deserialize<'de> + Send + 'static,
{
    let rounds = 100;
    let total = std::thread::spawn(move || {
        counting_alloc::allocations_in(|| {
            for i in 0..rounds {
                let value: T = serde_json::from_str(inputs[i % inputs.len()]).unwrap();
                std::hint::black_box(value);
            }
        })
    })
    .join()
    .expect("the decodes panicked");
    total as f64 / rounds as f64
}

const TAGS: &[&str] = &[
    r#"["fresh","organic","a rather longer tag than the others"]"#,
    r#"["bulk"]"#,
    r#"[]"#,
    r#"["a","b","c","d","e"]"#,
    // No escapes: serde_json unescapes into a scratch buffer of the deserializer's own,
    // which a fresh deserializer allocates once (the string it lands in is still reused).
];

const HEADERS: &[&str] = &[
    r#"{"host":"shop.example","user-agent":"curl/8.5.0","accept":"application/json","x-request-id":"7f3a9c"}"#,
    r#"{"host":"shop.example","accept":"*/*","content-type":"application/x-www-form-urlencoded"}"#,
    r#"{"host":"shop.example"}"#,
    r#"{"accept":"text/html","accept":"*/*"}"#,
    r#"{}"#,
];

const ROWS: &[&str] = &[
    r#"[["id","name"],["17","widget"],["18","gadget"]]"#,
    r#"[["only"]]"#,
    r#"[[],["a","b","c"]]"#,
];

const LISTS: &[&str] = &[
    r#"{"tags":["fresh","organic"],"sizes":["s","m","l"]}"#,
    r#"{"sizes":["xl"]}"#,
];

#[test]
fn a_vec_of_strings_decodes_in_place_without_allocating() {
    assert_eq!(allocations_per_decode::<ReuseVec<String>>(TAGS), 0.0);
    assert!(allocations_per_fresh_decode::<ReuseVec<String>>(TAGS) >= 2.0);
}

#[test]
fn a_map_of_strings_decodes_in_place_without_allocating() {
    assert_eq!(
        allocations_per_decode::<ReuseMap<String, String>>(HEADERS),
        0.0
    );
    assert!(allocations_per_fresh_decode::<ReuseMap<String, String>>(HEADERS) >= 4.0);
}

#[test]
fn nested_collections_decode_in_place_without_allocating() {
    assert_eq!(
        allocations_per_decode::<ReuseVec<ReuseVec<String>>>(ROWS),
        0.0
    );
    assert_eq!(
        allocations_per_decode::<ReuseMap<String, ReuseVec<String>>>(LISTS),
        0.0
    );
    assert!(allocations_per_fresh_decode::<ReuseVec<ReuseVec<String>>>(ROWS) >= 4.0);
}
