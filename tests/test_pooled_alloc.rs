//! The `#[pooled]` expansion adds nothing to the pool's own cost: in steady state a
//! call that borrows from the default pool, or from a named one, allocates nothing.
//!
//! The allocator counts per thread, so tests of other binaries' kinds running in
//! parallel threads of this one cannot disturb the count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::LazyLock;

use poolable::{Pool, pooled};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to `System` unchanged; counting touches only a
// const-initialised thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above, for `dealloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        // SAFETY: as above, for `realloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

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
