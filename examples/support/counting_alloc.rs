//! A global allocator that counts every trip to the heap, to see what pooling saves.
//!
//! It wraps the system allocator and counts each allocation (`alloc`, `alloc_zeroed`, and
//! `realloc`, which a growing `Vec` or `String` calls) twice: once for the whole process
//! and once for the calling thread. Copy this file into your own program, register it as
//! shown below, and read a count before and after the code you want to check:
//!
//! ```text
//! #[global_allocator]
//! static ALLOCATOR: counting_alloc::Counting = counting_alloc::Counting;
//!
//! let before = counting_alloc::allocations();
//! handle(request);
//! println!("{} allocations", counting_alloc::allocations() - before);
//! ```
//!
//! The examples, the tests and the benchmarks of this repository all use this one file.
//! Tests read the per-thread count, so tests running on the harness's other threads
//! cannot disturb a measurement.

// Each program that includes this file uses part of it.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// The system allocator, counting.
pub(crate) struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    // `const` and without `Drop`: using them never allocates, so the allocator may.
    static THIS_THREAD: Cell<u64> = const { Cell::new(0) };
    static UNCOUNTED: Cell<bool> = const { Cell::new(false) };
}

/// Heap allocations so far, in all counted threads.
pub(crate) fn allocations() -> u64 {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Bytes asked for so far, in all counted threads (a `realloc` counts its new size).
pub(crate) fn bytes() -> u64 {
    BYTES.load(Ordering::Relaxed)
}

/// Heap allocations so far on the calling thread.
pub(crate) fn allocations_on_this_thread() -> u64 {
    THIS_THREAD.with(Cell::get)
}

/// Heap allocations `f` makes on the calling thread.
pub(crate) fn allocations_in(f: impl FnOnce()) -> u64 {
    let before = allocations_on_this_thread();
    f();
    allocations_on_this_thread() - before
}

/// Leaves the calling thread's allocations out of [`allocations`] and [`bytes`]: for a
/// load generator that shares the process with the server it measures.
pub(crate) fn do_not_count_this_thread() {
    UNCOUNTED.with(|uncounted| uncounted.set(true));
}

fn count(size: usize) {
    // `try_with`: the allocator also runs while a thread's locals are torn down.
    let _ = THIS_THREAD.try_with(|n| n.set(n.get() + 1));
    if !UNCOUNTED.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(size as u64, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so
// `System` upholds the `GlobalAlloc` contract; counting touches no memory it hands out,
// and its thread-locals are `const`-initialised cells that never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract; passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: `ptr` and `layout` come from this allocator, which is `System`'s; the
        // caller upholds the rest of `GlobalAlloc::realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`, as the caller guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}
