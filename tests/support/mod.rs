//! What several integration tests share: the repository's counting allocator, and small
//! helpers for reading resets and allocations.

// Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use poolable::Poolable;

#[path = "../../examples/support/counting_alloc.rs"]
pub(crate) mod counting_alloc;

/// `value` after its reset, to compare with a fresh one.
pub(crate) fn reset<T: Poolable>(mut value: T) -> T {
    value.reset();
    value
}

/// The heap allocations `round` makes per call in steady state: it runs on a fresh thread
/// (the allocator counts per thread), for rounds `0..warm_up` first, then for `rounds`
/// more, counted. Needs [`counting_alloc::Counting`] as the test binary's global
/// allocator.
pub(crate) fn allocations_per_round(
    warm_up: usize,
    rounds: usize,
    round: impl Fn(usize) + Send + 'static,
) -> f64 {
    std::thread::spawn(move || {
        (0..warm_up).for_each(&round);
        let counted = warm_up..warm_up + rounds;
        let allocations = counting_alloc::allocations_in(|| counted.for_each(&round));
        allocations as f64 / rounds as f64
    })
    .join()
    .expect("the measured rounds panicked")
}
