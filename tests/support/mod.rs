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

/// The heap allocations `round` makes in steady state, in all: it runs on a fresh thread
/// (the allocator counts per thread), for rounds `0..warm_up` first, uncounted, then for
/// `rounds` more, counted. Needs [`counting_alloc::Counting`] as the test binary's global
/// allocator.
pub(crate) fn steady_state_allocations(
    warm_up: usize,
    rounds: usize,
    round: impl Fn(usize) + Send + 'static,
) -> u64 {
    std::thread::spawn(move || {
        (0..warm_up).for_each(&round);
        let counted = warm_up..warm_up + rounds;
        counting_alloc::allocations_in(|| counted.for_each(&round))
    })
    .join()
    .expect("the measured rounds panicked")
}
