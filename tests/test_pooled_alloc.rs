//! The `#[pooled]` expansion adds nothing to the pool's own cost: in steady state a
//! call that borrows from the default pool, or from a named one, allocates nothing.
//!
//! The allocator counts per thread, so tests of other binaries' kinds running in
//! parallel threads of this one cannot disturb the count.

use std::sync::LazyLock;

use poolable::{Pool, pooled};

mod support;

use support::counting_alloc::{Counting, allocations_in};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[pooled]
fn default_pool(raw: &[u8], #[pooled] buf: &mut Vec<u8>) -> usize {
    buf.extend_from_slice(raw);
    buf.len()
}

static NAMED: LazyLock<Pool<String>> = LazyLock::new(Pool::new);

#[pooled]
fn named_pool(raw: &str, #[pooled(pool = NAMED)] line: &mut String) -> usize {
    line.push_str(raw);
    line.len()
}

#[test]
fn steady_state_calls_allocate_nothing() {
    let raw = [7u8; 256];
    // Warm up: the pools, this thread's caches and the objects' capacity.
    for _ in 0..4 {
        default_pool(&raw);
        named_pool("a line of text");
    }
    let count = allocations_in(|| {
        for _ in 0..1000 {
            assert_eq!(default_pool(&raw), 256);
            assert_eq!(named_pool("a line of text"), 14);
        }
    });
    assert_eq!(count, 0, "allocations in 2000 pooled calls");
}
