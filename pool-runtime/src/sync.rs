//! The synchronisation primitives the pool is built on, in one place, so that a model
//! checker can swap them in without touching the pool's code.

pub(crate) use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
pub(crate) use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

/// Locks `mutex`, ignoring poison: every critical section in this crate leaves its data
/// consistent before it can unwind, so a panic elsewhere while it was held is harmless.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
