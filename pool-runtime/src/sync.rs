//! The synchronisation primitives the pool is built on, in one place, so that a model
//! checker can swap them in without touching the pool's code.
//!
//! Under `cfg(loom)` the atomics, the mutexes and `thread_local!` are loom's, so that the
//! models in `src/tests/` explore every interleaving of the pool's own synchronisation:
//! epochs, counters, the thread registry, thread caches and their hand-off at
//! thread exit. Three things stay std's even then:
//!
//! - `Arc` and `Weak`: loom has no `Weak`, and the pool needs `Weak::upgrade` for a thread
//!   cache to find its pool at thread exit. They are std's own correctness, not ours.
//! - [`StaticMutex`]: a mutex in a `static` (the pool-id allocator). Loom objects may not
//!   outlive one model execution, and a `static` outlives them all. Its critical sections
//!   touch no loom object, so a model thread can never be switched out while holding it.
//! - crossbeam-queue is out of loom's sight; `queue.rs` swaps in a loom `Mutex<VecDeque>`.

#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::thread_local;

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
#[cfg(loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};
#[cfg(loom)]
pub(crate) use loom_thread_local as thread_local;

/// `loom::thread_local!`, which (an edition 2021 macro) does not take the `const { .. }`
/// initialiser form that the std one does: this drops the `const`.
#[cfg(loom)]
macro_rules! loom_thread_local {
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = const { $init:expr };) => {
        loom::thread_local!($(#[$attr])* $vis static $name: $t = $init);
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr;) => {
        loom::thread_local!($(#[$attr])* $vis static $name: $t = $init);
    };
}
#[cfg(loom)]
pub(crate) use loom_thread_local;

pub(crate) use std::sync::Mutex as StaticMutex;
pub(crate) use std::sync::{Arc, PoisonError, Weak};

/// Locks `mutex`, ignoring poison: every critical section in this crate leaves its data
/// consistent before it can unwind, so a panic elsewhere while it was held is harmless.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// [`lock`] for a [`StaticMutex`].
pub(crate) fn lock_static<T>(mutex: &StaticMutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
