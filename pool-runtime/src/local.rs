//! Per-thread caches: the hot path.
//!
//! # How a thread finds its cache for a pool
//!
//! Each live pool holds a small integer id, unique among live pools and reused after a
//! pool is dropped (so ids stay dense). Each thread has one vector of caches indexed by
//! pool id, in a `thread_local!`. Borrowing from pool 3 is: read the thread's vector,
//! index 3, check the entry is really this pool's (one pointer compare, since a dead
//! pool's id may have been handed to a new pool; see [`Slot`] for why that compare also
//! settles the entry's type), pop. Nothing in that path is written by another thread, so
//! a thread that borrows and returns touches no shared cache line.
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
use crate::sync::{Arc, Ordering, StaticMutex, Weak, lock_static};

/// The most objects one thread keeps for one pool; beyond it, objects go to the shared
/// queue. Large enough to hold a burst of 64 borrowed at once without touching the
/// shared queue.
pub(crate) const LOCAL_CACHE_MAX: usize = 64;

crate::sync::thread_local! {
    static CACHES: RefCell<Vec<Option<Slot>>> = const { RefCell::new(Vec::new()) };
}

/// A thread's cache for one pool, filed under the address of the pool it belongs to.
///
/// The address makes the hot path one compare. The type check of `Box<dyn Any>` is a call
/// through the vtable that returns the 16-byte `TypeId` in two 8-byte stores, which the
/// caller reads back in one 16-byte load before they have landed: the CPU cannot forward
/// them, and that stall was one of the largest costs of a borrow and return when the
/// benchmarks were profiled (see BENCHMARKS.md). [`Slot::cache`] casts instead, on the
/// strength of the address.
struct Slot {
    /// `Arc::as_ptr` of the pool's `Shared<T>`. The cache holds a `Weak` to that same
    /// allocation, which keeps it from being freed, so while this slot lives no other
    /// pool can be at this address.
    owner: *const (),
    /// A `LocalCache<T>`, for the `T` of the pool at `owner`; only [`Slot::new`] makes
    /// one, and it makes both fields from the same pool.
    cache: Box<dyn Any>,
}

impl Slot {
    fn new<T: 'static>(shared: &Arc<Shared<T>>) -> Slot {
        Slot {
            owner: Arc::as_ptr(shared).cast(),
            cache: Box::new(LocalCache::new(shared)),
        }
    }

    /// This slot's cache, if the slot is `shared`'s.
    #[inline]
    fn cache<T: 'static>(&mut self, shared: &Arc<Shared<T>>) -> Option<&mut LocalCache<T>> {
        if self.owner != Arc::as_ptr(shared).cast() {
            return None;
        }
        debug_assert!(self.cache.is::<LocalCache<T>>());
        let cache: *mut dyn Any = &mut *self.cache;
        // SAFETY: `shared` is alive, and the slot's cache keeps the allocation at `owner`
        // from being freed, so the two are one allocation: the slot was made by
        // `Slot::new` from this very pool, a `Shared<T>`, and its cache is therefore a
        // `LocalCache<T>`. The cast keeps the box's address, and the borrow of `self`
        // keeps the box alive and unaliased for the returned lifetime.
        Some(unsafe { &mut *cache.cast::<LocalCache<T>>() })
    }
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

    /// Whether this thread has borrowed more objects than it has returned or put, so
    /// that the object it is returning now is, on balance, one it borrowed.
    pub(crate) fn borrows_more_than_it_returns(&self) -> bool {
        let counts = &self.counters;
        counts.get(Event::Made) + counts.get(Event::Reused)
            > counts.get(Event::Returned) + counts.get(Event::Put)
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
        // A clear empties the cache. So do two trims or more: this thread did not use the
        // pool between them (it would have caught up on the first), so all it keeps sat
        // idle for at least one whole period.
        let doomed = if clears != seen_clears || trims.wrapping_sub(seen_trims) >= 2 {
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
        // First the clears and trims this thread has not caught up with: what they let go
        // must not go back to the shared queue.
        let epoch = shared.epoch.load(Ordering::Relaxed);
        let doomed = if epoch == self.seen_epoch {
            Vec::new()
        } else {
            self.catch_up(&shared, epoch)
        };
        shared.retire_thread(&self.counters);
        let unused = self.reserve - self.items.len();
        shared.take_back(std::mem::take(&mut self.items));
        shared.release_credits(unused);
        drop(doomed);
    }
}

/// The thread's cache for `shared` if the fast path can use it: made, this pool's (not a
/// dead pool's under a reused id), and caught up with every `clear` and `trim`.
#[inline]
fn current<'c, T: 'static>(
    caches: &'c mut [Option<Slot>],
    shared: &Arc<Shared<T>>,
) -> Option<&'c mut LocalCache<T>> {
    let cache = caches.get_mut(shared.id)?.as_mut()?.cache(shared)?;
    (shared.epoch.load(Ordering::Relaxed) == cache.seen_epoch).then_some(cache)
}

/// The fast path of a borrow: pops this thread's cache.
///
/// `None` when the cache is empty or not [`current`]; the caller then takes the slow
/// path, which sorts out each of those cases. Returning the object itself, rather than
/// through [`with_cache`]'s nested options, keeps it in registers.
#[inline]
pub(crate) fn pop_fast<T: 'static>(shared: &Arc<Shared<T>>) -> Option<T> {
    CACHES
        .try_with(|caches| current(&mut caches.try_borrow_mut().ok()?, shared)?.pop())
        .ok()
        .flatten()
}

/// The fast path of a return: moves `*value` into this thread's cache if the cache is
/// [`current`] and holds a credit for it, counting `event`; otherwise leaves it for the
/// slow path.
#[inline]
pub(crate) fn push_fast<T: 'static>(shared: &Arc<Shared<T>>, value: &mut Option<T>, event: Event) {
    let _ = CACHES.try_with(|caches| {
        if let Ok(mut caches) = caches.try_borrow_mut()
            && let Some(cache) = current(&mut caches, shared)
        {
            cache.push(value, event);
        }
    });
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
        if let Some(cache) = current(&mut caches, shared) {
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
            if let Some(cache) = slot.as_mut().and_then(|slot| slot.cache(shared)) {
                let epoch = shared.epoch.load(Ordering::Relaxed);
                let doomed = cache.catch_up(shared, epoch);
                return Some((f(cache), doomed, None));
            }
            let stale = slot.replace(Slot::new(shared));
            let cache = slot.as_mut().and_then(|slot| slot.cache(shared))?;
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
                .is_some_and(|slot| slot.owner == Arc::as_ptr(shared).cast());
            if ours { slot.take() } else { None }
        })
        .ok()
        .flatten();
    if let Some(mut cache) = evicted.and_then(|slot| slot.cache.downcast::<LocalCache<T>>().ok()) {
        cache.owner = Weak::new();
    }
}

/// Ids of live pools: the index of each pool's cache in every thread's vector.
static IDS: StaticMutex<Ids> = StaticMutex::new(Ids {
    next: 0,
    free: BinaryHeap::new(),
});

struct Ids {
    next: usize,
    /// Ids of dropped pools, smallest first, so thread vectors stay short.
    free: BinaryHeap<Reverse<usize>>,
}

pub(crate) fn acquire_id() -> usize {
    let mut ids = lock_static(&IDS);
    match ids.free.pop() {
        Some(Reverse(id)) => id,
        None => {
            ids.next += 1;
            ids.next - 1
        }
    }
}

pub(crate) fn release_id(id: usize) {
    lock_static(&IDS).free.push(Reverse(id));
}

/// Drops the calling thread's caches now, as its exit does. For the loom models: a loom
/// thread's locals are destroyed after `join` returns, so a model that checks the pool
/// after a join calls this at the end of the joined thread.
#[cfg(all(test, loom))]
pub(crate) fn release_thread_caches() {
    let caches = CACHES.with(|caches| std::mem::take(&mut *caches.borrow_mut()));
    drop(caches);
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;
    use crate::Pool;

    /// A slot answers only for the pool it was made for, whatever the other pool's type.
    #[test]
    fn a_slot_is_only_its_own_pools() {
        let strings: Pool<String> = Pool::with_capacity(4);
        let numbers: Pool<Vec<u64>> = Pool::with_capacity(4);
        let other_strings: Pool<String> = Pool::with_capacity(4);
        let mut slot = Slot::new(strings.shared());
        assert!(slot.cache(numbers.shared()).is_none());
        assert!(slot.cache(other_strings.shared()).is_none());
        let cache = slot.cache(strings.shared()).expect("its own pool");
        assert!(cache.items.is_empty());
    }

    /// A thread that cached objects of a pool dropped since keeps that cache in its slot
    /// until it next uses the id. A pool of another type given the same id must then get
    /// a fresh cache, never the dead one taken for its own (the `debug_assert` in
    /// `Slot::cache` would fire, and the checks here would fail).
    #[test]
    fn a_reused_id_gets_a_fresh_cache_of_its_own_type() {
        type Job = Box<dyn FnOnce() + Send>;
        let (jobs, inbox) = mpsc::channel::<Job>();
        let worker = std::thread::spawn(move || inbox.into_iter().for_each(|job| job()));
        let run = |job: Job| {
            let (done, wait) = mpsc::channel();
            let job: Job = Box::new(move || {
                job();
                let _ = done.send(());
            });
            jobs.send(job).expect("worker alive");
            wait.recv().expect("job done");
        };

        let old = Arc::new(Pool::<String>::with_capacity(4));
        let id = old.shared().id;
        let in_worker = Arc::clone(&old);
        run(Box::new(move || in_worker.get().push_str("old")));
        drop(old); // the worker's slot for `id` now holds a dead pool's cache

        // Ids are reused smallest first, but tests running alongside make pools too.
        let mut others = Vec::new();
        let new = loop {
            let pool = Arc::new(Pool::<Vec<u64>>::with_capacity(4));
            if pool.shared().id == id || others.len() == 256 {
                break pool;
            }
            others.push(pool);
        };
        let in_worker = Arc::clone(&new);
        run(Box::new(move || {
            let mut numbers = in_worker.get();
            assert!(numbers.is_empty());
            numbers.push(7);
        }));
        let stats = new.stats();
        assert_eq!((stats.made, stats.reused, stats.kept), (1, 0, 1));

        drop(jobs);
        worker.join().expect("worker");
    }
}
