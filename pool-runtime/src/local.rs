//! Per-thread caches: the hot path.
//!
//! # How a thread finds its cache for a pool
//!
//! Each live pool holds a small integer id, unique among live pools and reused after a
//! pool is dropped (so ids stay dense). Each thread has one vector of caches indexed by
//! pool id, in a `thread_local!`. Borrowing from pool 3 is: read the thread's vector,
//! index 3, check the entry is really this pool's (a type check and a pointer compare, since
//! a dead pool's id may have been handed to a new pool), pop. Nothing in that path is
//! written by another thread, so a thread that borrows and returns touches no shared
//! cache line.
//!
//! The alternative, slots owned by the pool and indexed by thread id, would let the pool
//! reach into other threads' caches, but only through a lock or an atomic per access,
//! which is the cost this cache exists to avoid.
//!
//! # What that costs elsewhere
//!
//! Another thread's cache can only be emptied by that thread. [`Pool::clear`] and
//! [`Pool::trim`] act at once on the shared queue and on the calling thread's cache, and
//! raise an epoch that every other thread checks on its next use of the pool (one load of
//! a line that is only written by `clear` and `trim`). A thread that never uses the pool
//! again releases its cache when it exits. Each cache holds at most
//! [`LOCAL_CACHE_MAX`] objects, and all caches together hold no more than the pool's
//! capacity (see the credits in `pool.rs`).
//!
//! A cache holds a `Weak` to its pool: when a thread exits, its caches go back to their
//! pools' shared queues; when the pool is gone, the objects are dropped.
//!
//! [`Pool::clear`]: crate::Pool::clear
//! [`Pool::trim`]: crate::Pool::trim

use std::any::Any;
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::pool::Shared;
use crate::stats::{Counters, Event};
use crate::sync::{Arc, Mutex, Ordering, Weak, lock};

/// The most objects one thread keeps for one pool; beyond it, objects go to the shared
/// queue. Large enough to hold a burst of 64 borrowed at once without touching the
/// shared queue.
pub(crate) const LOCAL_CACHE_MAX: usize = 64;

thread_local! {
    static CACHES: RefCell<Vec<Option<Box<dyn Any>>>> = const { RefCell::new(Vec::new()) };
}

/// One thread's objects for one pool.
pub(crate) struct LocalCache<T: 'static> {
    /// The pool these objects go back to when the thread exits.
    owner: Weak<Shared<T>>,
    /// Reset objects ready to lend, most recently returned last.
    items: Vec<T>,
    /// Credits held: how many objects this cache may keep. `items.len() <= reserve`, and
    /// `reserve <= LOCAL_CACHE_MAX`. Objects this thread lent out keep their credit, so
    /// returning them needs no atomic.
    reserve: usize,
    /// The fewest items held since the last trim: objects below it were never lent in
    /// that time, and are what the next trim drops.
    low: usize,
    /// The pool's epoch this cache has caught up with (see `Shared::epoch`).
    seen_epoch: u64,
    /// This thread's counts for the pool; only this thread writes them.
    counters: Arc<Counters>,
}

impl<T: 'static> LocalCache<T> {
    fn new(shared: &Arc<Shared<T>>) -> Self {
        let counters = shared.register_thread();
        LocalCache {
            owner: Arc::downgrade(shared),
            items: Vec::new(),
            reserve: 0,
            low: 0,
            seen_epoch: shared.epoch.load(Ordering::Relaxed),
            counters,
        }
    }

    #[inline]
    pub(crate) fn count(&self, event: Event) {
        self.counters.add_own(event, 1);
    }

    /// Lends the most recently returned object.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<T> {
        let value = self.items.pop()?;
        self.low = self.low.min(self.items.len());
        self.count(Event::Reused);
        Some(value)
    }

    /// Keeps `*value` if this cache has a credit for it, counting `event`.
    #[inline]
    pub(crate) fn push(&mut self, value: &mut Option<T>, event: Event) {
        if self.items.len() < self.reserve
            && let Some(value) = value.take()
        {
            self.items.push(value);
            self.count(event);
        }
    }

    pub(crate) fn reserve(&self) -> usize {
        self.reserve
    }

    pub(crate) fn add_reserve(&mut self, credits: usize) {
        self.reserve += credits;
    }

    /// Applies the `clear` and `trim` this cache has not seen yet; returns what they drop,
    /// to be dropped after the thread's caches are released.
    #[cold]
    fn catch_up(&mut self, shared: &Shared<T>, epoch: u64) -> Vec<T> {
        let (clears, trims) = crate::pool::split_epoch(epoch);
        let (seen_clears, seen_trims) = crate::pool::split_epoch(self.seen_epoch);
        self.seen_epoch = epoch;
        let doomed = if clears != seen_clears {
            std::mem::take(&mut self.items)
        } else if trims != seen_trims {
            let idle = self.low.min(self.items.len());
            self.items.drain(..idle).collect()
        } else {
            Vec::new()
        };
        self.low = self.items.len();
        // Credits of dropped objects and unused credits go back, so that other threads
        // can keep what this one no longer does.
        shared.release_credits(self.reserve - self.items.len());
        self.reserve = self.items.len();
        self.counters
            .add_own(Event::DroppedCleared, doomed.len() as u64);
        doomed
    }
}

/// A thread exiting (or a dead pool's cache being replaced) gives its objects back.
impl<T: 'static> Drop for LocalCache<T> {
    fn drop(&mut self) {
        let Some(shared) = self.owner.upgrade() else {
            return; // the pool is gone; the objects drop with `items`
        };
        shared.retire_thread(&self.counters);
        let unused = self.reserve - self.items.len();
        shared.take_back(std::mem::take(&mut self.items));
        shared.release_credits(unused);
    }
}

/// Runs `f` on the calling thread's cache for `shared`, making the cache on first use.
///
/// Returns `None`, without calling `f`, when the thread has no caches to offer: while it
/// is being torn down, or when a call is already inside (a `Drop` or allocator running
/// pool code); callers then use the shared queue. `f` must not run user code.
#[inline]
pub(crate) fn with_cache<T: 'static, R>(
    shared: &Arc<Shared<T>>,
    f: impl FnOnce(&mut LocalCache<T>) -> R,
) -> Option<R> {
    let fast = CACHES.try_with(|caches| {
        let Ok(mut caches) = caches.try_borrow_mut() else {
            return Err(None);
        };
        if let Some(Some(cache)) = caches.get_mut(shared.id)
            && let Some(cache) = cache.downcast_mut::<LocalCache<T>>()
            && Weak::as_ptr(&cache.owner) == Arc::as_ptr(shared)
            && shared.epoch.load(Ordering::Relaxed) == cache.seen_epoch
        {
            return Ok(f(cache));
        }
        Err(Some(f))
    });
    match fast {
        Ok(Ok(result)) => Some(result),
        Ok(Err(Some(f))) => with_cache_slow(shared, f),
        Ok(Err(None)) | Err(_) => None,
    }
}

/// [`with_cache`] when the thread has no cache for this pool yet, holds a dead pool's
/// cache under a reused id, or has a `clear` or `trim` to catch up on.
#[cold]
fn with_cache_slow<T: 'static, R>(
    shared: &Arc<Shared<T>>,
    f: impl FnOnce(&mut LocalCache<T>) -> R,
) -> Option<R> {
    let (result, doomed, stale) = CACHES
        .try_with(|caches| {
            let mut caches = caches.try_borrow_mut().ok()?;
            let id = shared.id;
            if id >= caches.len() {
                caches.resize_with(id + 1, || None);
            }
            let slot = &mut caches[id];
            if let Some(cache) = slot
                .as_mut()
                .and_then(|any| any.downcast_mut::<LocalCache<T>>())
                && Weak::as_ptr(&cache.owner) == Arc::as_ptr(shared)
            {
                let epoch = shared.epoch.load(Ordering::Relaxed);
                let doomed = cache.catch_up(shared, epoch);
                return Some((f(cache), doomed, None));
            }
            let stale = slot.replace(Box::new(LocalCache::new(shared)));
            let cache = slot
                .as_mut()
                .and_then(|any| any.downcast_mut::<LocalCache<T>>())?;
            Some((f(cache), Vec::new(), stale))
        })
        .ok()??;
    // Dropping runs user code, which may use the pool: only now that the caches are
    // released.
    drop(doomed);
    drop(stale);
    Some(result)
}

/// Removes this thread's cache for `shared`, if it has one, with its objects.
///
/// Used when the pool itself is dropped: the objects are dropped rather than given back.
pub(crate) fn evict<T: 'static>(shared: &Arc<Shared<T>>) {
    let evicted = CACHES
        .try_with(|caches| {
            let mut caches = caches.try_borrow_mut().ok()?;
            let slot = caches.get_mut(shared.id)?;
            let ours = slot
                .as_ref()
                .and_then(|any| any.downcast_ref::<LocalCache<T>>())
                .is_some_and(|cache| Weak::as_ptr(&cache.owner) == Arc::as_ptr(shared));
            if ours { slot.take() } else { None }
        })
        .ok()
        .flatten();
    if let Some(mut cache) = evicted.and_then(|any| any.downcast::<LocalCache<T>>().ok()) {
        cache.owner = Weak::new();
    }
}

/// Ids of live pools: the index of each pool's cache in every thread's vector.
static IDS: Mutex<Ids> = Mutex::new(Ids {
    next: 0,
    free: BinaryHeap::new(),
});

struct Ids {
    next: usize,
    /// Ids of dropped pools, smallest first, so thread vectors stay short.
    free: BinaryHeap<Reverse<usize>>,
}

pub(crate) fn acquire_id() -> usize {
    let mut ids = lock(&IDS);
    match ids.free.pop() {
        Some(Reverse(id)) => id,
        None => {
            ids.next += 1;
            ids.next - 1
        }
    }
}

pub(crate) fn release_id(id: usize) {
    lock(&IDS).free.push(Reverse(id));
}
