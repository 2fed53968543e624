//! A pooled type that watches how the pool treats it: each object has an id, and a
//! [`Ledger`] records per id whether the object is held by a borrower and whether it has
//! been dropped, so the tests can catch an object lent twice at once, an object dropped
//! twice, a reused object that was not reset, and an object that was never dropped.
//!
//! Violations are recorded rather than panicked on, because some happen inside a `Drop`
//! during unwinding, where a second panic would abort; every test asserts
//! [`Ledger::assert_clean`] at its checkpoints.

#![allow(dead_code)] // each test binary uses a different part of this module

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use poolable::{Pool, Poolable};

/// Iterations scaled down under Miri, which runs code thousands of times slower.
pub(crate) fn scaled(native: usize, miri: usize) -> usize {
    if cfg!(miri) { miri } else { native }
}

/// What happened to every object of one family.
#[derive(Debug)]
pub(crate) struct Ledger {
    /// Per id: held by a borrower now.
    in_use: Box<[AtomicBool]>,
    /// Per id: dropped already.
    dropped: Box<[AtomicBool]>,
    next_id: AtomicUsize,
    drops: AtomicUsize,
    resets: AtomicUsize,
    violations: AtomicUsize,
    first_violation: Mutex<Option<String>>,
}

impl Ledger {
    /// A ledger for at most `max_objects` objects.
    pub(crate) fn new(max_objects: usize) -> Arc<Ledger> {
        let flags = || (0..max_objects).map(|_| AtomicBool::new(false)).collect();
        Arc::new(Ledger {
            in_use: flags(),
            dropped: flags(),
            next_id: AtomicUsize::new(0),
            drops: AtomicUsize::new(0),
            resets: AtomicUsize::new(0),
            violations: AtomicUsize::new(0),
            first_violation: Mutex::new(None),
        })
    }

    /// Makes a fresh object: what a pool's factory calls.
    pub(crate) fn make(self: &Arc<Self>) -> Tracked {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        assert!(
            id < self.in_use.len(),
            "ledger too small: raise max_objects"
        );
        Tracked {
            id,
            ledger: Arc::clone(self),
            payload: Vec::new(),
            dirty: false,
        }
    }

    /// A factory closure for `Pool::with_factory` / `builder().factory`.
    pub(crate) fn factory(self: &Arc<Self>) -> impl Fn() -> Tracked + Send + Sync + 'static {
        let ledger = Arc::clone(self);
        move || ledger.make()
    }

    /// A pool of the given capacity whose objects this ledger makes.
    pub(crate) fn pool(self: &Arc<Self>, capacity: usize) -> Pool<Tracked> {
        Pool::builder()
            .capacity(capacity)
            .factory(self.factory())
            .build()
    }

    pub(crate) fn made(&self) -> usize {
        self.next_id.load(Ordering::SeqCst)
    }

    pub(crate) fn drops(&self) -> usize {
        self.drops.load(Ordering::SeqCst)
    }

    /// Objects made and not yet dropped.
    pub(crate) fn alive(&self) -> usize {
        self.made() - self.drops()
    }

    pub(crate) fn resets(&self) -> usize {
        self.resets.load(Ordering::SeqCst)
    }

    pub(crate) fn violations(&self) -> usize {
        self.violations.load(Ordering::SeqCst)
    }

    fn violation(&self, what: String) {
        self.violations.fetch_add(1, Ordering::SeqCst);
        let mut first = self
            .first_violation
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        first.get_or_insert(what);
    }

    /// Panics if any object was lent twice at once, dropped twice, or lent unreset.
    #[track_caller]
    pub(crate) fn assert_clean(&self) {
        let first = self
            .first_violation
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        assert_eq!(self.violations(), 0, "first violation: {first:?}");
    }

    /// Panics unless every object ever made has been dropped, each exactly once.
    #[track_caller]
    pub(crate) fn assert_all_dropped(&self) {
        self.assert_clean();
        let made = self.made();
        assert_eq!(self.drops(), made, "objects never dropped (leaked)");
        for id in 0..made {
            assert!(
                self.dropped[id].load(Ordering::SeqCst),
                "object {id} never dropped"
            );
        }
    }
}

/// An object whose id, borrow state and drop are checked by its [`Ledger`].
#[derive(Debug)]
pub(crate) struct Tracked {
    pub(crate) id: usize,
    ledger: Arc<Ledger>,
    /// Written by each borrower, so a missed reset is visible and there is a heap
    /// allocation for the memory tools to watch.
    pub(crate) payload: Vec<u8>,
    /// Set by each borrower, cleared by reset.
    pub(crate) dirty: bool,
}

impl Tracked {
    /// Marks the object held by a borrower: it must not be held already, and it must be
    /// as a fresh or reset object is. Then writes to it, as a user would.
    pub(crate) fn claim(&mut self) {
        if self.ledger.in_use[self.id].swap(true, Ordering::SeqCst) {
            self.ledger
                .violation(format!("object {} lent to two borrowers at once", self.id));
        }
        if self.dirty || !self.payload.is_empty() {
            self.ledger
                .violation(format!("object {} lent without a reset", self.id));
        }
        self.dirty = true;
        self.payload.extend_from_slice(&self.id.to_le_bytes());
    }

    /// Marks the object no longer held: it must have been held.
    pub(crate) fn release(&self) {
        if !self.ledger.in_use[self.id].swap(false, Ordering::SeqCst) {
            self.ledger
                .violation(format!("object {} released but not held", self.id));
        }
    }

    pub(crate) fn ledger(&self) -> &Arc<Ledger> {
        &self.ledger
    }
}

impl Poolable for Tracked {
    fn reset(&mut self) {
        self.payload.clear();
        self.dirty = false;
        self.ledger.resets.fetch_add(1, Ordering::SeqCst);
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if self.ledger.dropped[self.id].swap(true, Ordering::SeqCst) {
            self.ledger
                .violation(format!("object {} dropped twice", self.id));
        }
        self.ledger.drops.fetch_add(1, Ordering::SeqCst);
    }
}

/// Checks the balance `Stats` documents, at a point where no object is in flight.
#[track_caller]
pub(crate) fn assert_balanced(stats: &poolable::Stats) {
    assert_eq!(
        stats.made + stats.put,
        stats.kept
            + stats.out
            + stats.dropped_full
            + stats.dropped_panicking
            + stats.dropped_cleared
            + stats.dropped_refused
            + stats.detached,
        "books do not balance: {stats:?}"
    );
    // `kept` and `out` are derived with saturating subtraction; check the raw events
    // never went below zero, which the identity above would hide.
    assert!(
        stats.returned + stats.put + stats.prefilled
            >= stats.dropped_full + stats.dropped_refused + stats.reused + stats.dropped_cleared,
        "more left the pool than came in: {stats:?}"
    );
    assert!(
        stats.made - stats.prefilled + stats.reused
            >= stats.returned + stats.dropped_panicking + stats.detached,
        "more came back than was lent: {stats:?}"
    );
}
