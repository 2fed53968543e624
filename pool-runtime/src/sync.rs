//! The synchronisation primitives the pool is built on, in one place, so that a model
//! checker can swap them in without touching the pool's code.
//!
//! Under `cfg(loom)` the atomics, the mutexes, `UnsafeCell` and `thread_local!` are
//! loom's, and both barriers are `SeqCst` fences, so that the models in `src/tests/`
//! explore every interleaving of the pool's own synchronisation: the capacity's credits,
//! counters, the list of thread caches, the owner/taker protocol on each cache, thread
//! exit and a dropped pool's sweep. Three things stay std's even then:
//!
//! - `Arc` and `Weak`: loom has no `Weak`, which a thread's slot holds to keep its pool's
//!   address from being reused. They are std's own correctness, not ours (where loom
//!   cannot see the order an `Arc` gives, the pool's drop goes through the protocol
//!   anyway; see `inner.rs`).
//! - [`StaticMutex`]: a mutex in a `static` (the pool-id allocator). Loom objects may not
//!   outlive one model execution, and a `static` outlives them all. Its critical sections
//!   touch no loom object, so a model thread can never be switched out while holding it.
//! - crossbeam-queue is out of loom's sight; `queue.rs` swaps in a loom `Mutex<VecDeque>`.

#[cfg(all(not(loom), miri))]
pub(crate) use std::sync::atomic::fence;
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::thread_local;

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering, fence};
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

/// The asymmetric barrier pair of the thread caches' protocol (see `local.rs`): the
/// owner of a cache issues [`light`](barrier::light) on every access, a thread that
/// takes from another's cache issues [`heavy`](barrier::heavy), and between the two no
/// store before either barrier can be missed by a load after the other.
///
/// On Linux, `heavy` is the `membarrier` system call (a memory barrier run on every CPU
/// that runs a thread of this process), or the crate's `mprotect` fallback where the
/// call is refused, and `light` only stops the compiler from reordering. Under loom and
/// Miri, which see neither, both are `SeqCst` fences: the textbook Dekker fences, which
/// both tools model.
pub(crate) mod barrier {
    /// The owner's side: a compiler fence, where `heavy` is a real process-wide barrier.
    ///
    /// On Linux x86 and x86-64 the `membarrier` crate's `heavy` is the system call or,
    /// where that is refused, its `mprotect` trick (which it deems supported on exactly
    /// these architectures), never a plain fence; on Windows it is
    /// `FlushProcessWriteBuffers`. There the crate's own `light` is this same compiler
    /// fence, but behind a lazily initialised static it reads on every call, which cost
    /// the fast path nine instructions a call in callgrind.
    #[cfg(all(
        not(any(loom, miri)),
        any(
            windows,
            all(target_os = "linux", any(target_arch = "x86", target_arch = "x86_64"))
        )
    ))]
    #[inline(always)]
    pub(crate) fn light() {
        std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
    }

    /// The owner's side, elsewhere: the crate's choice (a real fence where its `heavy`
    /// may be one too).
    #[cfg(all(
        not(any(loom, miri)),
        not(any(
            windows,
            all(target_os = "linux", any(target_arch = "x86", target_arch = "x86_64"))
        ))
    ))]
    #[inline(always)]
    pub(crate) fn light() {
        membarrier::light();
    }

    /// The taker's side: a system call.
    #[cfg(not(any(loom, miri)))]
    pub(crate) fn heavy() {
        membarrier::heavy();
    }

    #[cfg(any(loom, miri))]
    #[inline(always)]
    pub(crate) fn light() {
        super::fence(super::Ordering::SeqCst);
    }

    #[cfg(any(loom, miri))]
    pub(crate) fn heavy() {
        super::fence(super::Ordering::SeqCst);
    }
}

/// Waits a moment for another thread (a loom model must yield to let it run).
#[inline]
pub(crate) fn spin() {
    #[cfg(loom)]
    loom::thread::yield_now();
    #[cfg(not(loom))]
    std::thread::yield_now();
}

/// `UnsafeCell` with loom's closure API, so that loom checks every access for races.
#[cfg(loom)]
pub(crate) use loom::cell::UnsafeCell;

/// `std::cell::UnsafeCell` with loom's closure API.
#[cfg(not(loom))]
#[derive(Debug, Default)]
pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(loom))]
impl<T> UnsafeCell<T> {
    pub(crate) fn new(value: T) -> Self {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }

    /// Calls `f` with a pointer to the value; the caller's protocol makes it unaliased.
    #[inline(always)]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}
