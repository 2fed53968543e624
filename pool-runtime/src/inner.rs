//! The top layer under `Pool`: how an object is lent and received back, through this
//! thread's cache (`local.rs`) and the shared queue (`shared.rs`). The layers go one way:
//! a guard calls the pool, the pool this file, this file the thread cache and the shared
//! queue; `local.rs` and `shared.rs` know nothing of each other or of this file.
//!
//! Vocabulary, one verb per meaning:
//!
//! - **lend**: hand an object to a borrower (from this thread's cache, the shared queue,
//!   another thread's cache, or the factory);
//! - **receive**: take an object back from a guard (reset it, test it with `keep_if`,
//!   then keep it);
//! - **keep**: store a reset object, in this thread's cache or the shared queue, on a
//!   credit of the capacity (see `shared.rs`), or drop it when there is none;
//! - **take**: reach into other threads' caches (see `local.rs`).
//!
//! # No user code under our locks
//!
//! The factory, `reset`, `keep_if` and every object's `Drop` run here with no lock held
//! and no thread cache entered: the caches are entered only inside `ThreadCache::own`
//! and `CacheList`'s sweeps, which run none of them, and hand back what is to be dropped.

use std::panic::{RefUnwindSafe, UnwindSafe};

use crate::Poolable;
use crate::local::{self, Cache, CacheList, CacheOwner, CacheState, Taken};
use crate::shared::SharedQueue;
use crate::stats::{Counters, Event, Stats};
use crate::sync::Arc;

pub(crate) type Factory<T> = Box<dyn Fn() -> T + Send + Sync>;
pub(crate) type KeepIf<T> = Box<dyn Fn(&T) -> bool + Send + Sync>;

/// What every thread using a pool shares.
pub(crate) struct Inner<T: 'static> {
    /// Index of this pool's cache in each thread's slot vector; unique among live pools.
    id: usize,
    /// Objects each thread's cache keeps at most: `local::per_thread_max(capacity)`.
    per_thread: usize,
    factory: Factory<T>,
    /// Tested on every object received back; `None` keeps every one. Set only at build.
    keep_if: Option<KeepIf<T>>,
    /// The shared queue and the capacity's credits.
    shared: SharedQueue<T>,
    /// Every thread's cache of this pool.
    caches: CacheList<T>,
    /// Counts of events on threads with no cache to count on.
    counts: Counters,
}

// `Pool<T>` rests on this: `pool.rs` states `Send` and `Sync` for `T: Send`. Checked for
// the whole type, so that a field added later cannot slip past.
const _: () = {
    fn send_sync<X: Send + Sync>() {}
    fn unwind_safe<X: UnwindSafe + RefUnwindSafe>() {}
    #[allow(dead_code)]
    fn inner_is_send_and_sync_when_t_is_send<T: Send + 'static>() {
        send_sync::<Inner<T>>();
    }
    #[allow(dead_code)]
    fn shared_queue_is_unwind_safe<T>() {
        unwind_safe::<SharedQueue<T>>();
    }
};

impl<T: 'static> CacheOwner for Inner<T> {
    type Item = T;

    #[inline]
    fn cache_id(&self) -> usize {
        self.id
    }

    fn cache_list(&self) -> &CacheList<T> {
        &self.caches
    }
}

impl<T: Poolable + 'static> Inner<T> {
    pub(crate) fn new(capacity: usize, factory: Factory<T>, keep_if: Option<KeepIf<T>>) -> Self {
        Inner {
            id: local::acquire_id(),
            per_thread: local::per_thread_max(capacity),
            factory,
            keep_if,
            shared: SharedQueue::new(capacity),
            caches: CacheList::default(),
            counts: Counters::default(),
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.shared.capacity()
    }

    pub(crate) fn per_thread(&self) -> usize {
        self.per_thread
    }

    /// Makes `count` objects (at most `capacity`) and keeps them in the shared queue:
    /// the builder's prefill. The factory runs with nothing held; if it panics, what was
    /// kept so far stays.
    pub(crate) fn prefill(self: &Arc<Self>, count: usize) {
        for _ in 0..count.min(self.capacity()) {
            let value = (self.factory)();
            if let Err(value) = self.shared.push(value) {
                drop(value); // no credit left: never counted in
                break;
            }
            self.count(Event::Prefilled);
        }
        self.shared.mark_low_water();
    }

    /// An object to lend: kept, or new.
    #[inline(always)]
    pub(crate) fn lend(self: &Arc<Self>) -> T {
        let popped = local::with_cache(self, |cache| {
            let value = cache.own_fast(CacheState::pop)?;
            cache.count(Event::Reused);
            Some(value)
        });
        match popped {
            Some(Some(value)) => value,
            _ => self.lend_slow(),
        }
    }

    /// The thread's cache is empty or not made yet: `lend_kept` looks further; failing
    /// it, the factory makes one.
    #[cold]
    fn lend_slow(self: &Arc<Self>) -> T {
        if let Some(value) = self.lend_kept() {
            return value;
        }
        let value = (self.factory)();
        self.count(Event::Made);
        value
    }

    /// Lends a kept object: from this thread's cache, else the shared queue, else the
    /// caches of threads that are not using theirs.
    pub(crate) fn lend_kept(self: &Arc<Self>) -> Option<T> {
        let has_cache = self.ensure_cache();
        if has_cache
            && let Some(Some(value)) = local::with_cache(self, |cache| cache.own(CacheState::pop))
        {
            self.count(Event::Reused);
            return Some(value);
        }
        let value = match self.shared.pop_credited() {
            Some(value) => value,
            None => {
                let taken = self.caches.take_objects(self.per_thread.max(1));
                let unkept = self.adopt(taken);
                drop(unkept);
                self.shared.pop_credited()?
            }
        };
        // The credit of the lent object: this thread's cache holds it for the return.
        let per_thread = self.per_thread;
        let held = has_cache
            && local::with_cache(self, |cache| {
                cache.own(|state| state.accept_credit(per_thread))
            }) == Some(true);
        if !held {
            self.shared.give_room(1);
        }
        self.count(Event::Reused);
        Some(value)
    }

    /// Makes this thread's cache if it has none; whether it has one now. A new thread
    /// first collects the caches of threads that exited, so that a server that starts
    /// a thread per connection does not list every thread it ever had.
    fn ensure_cache(self: &Arc<Self>) -> bool {
        match local::ensure_cache(self, self.per_thread) {
            Cache::Found => true,
            Cache::Made => {
                let abandoned = self.caches.collect_abandoned();
                drop(self.adopt(abandoned));
                true
            }
            Cache::Unavailable => false,
        }
    }

    /// Keeps what a sweep took, each object on its own credit, in the shared queue, and
    /// gives the loose credits back; returns what the queue had no room for (none, if
    /// every credit is sound), counted as dropped, for the caller to drop.
    fn adopt(&self, taken: Taken<T>) -> Vec<T> {
        self.shared.give_room(taken.credits);
        let mut unkept = Vec::new();
        for value in taken.objects {
            if let Err(value) = self.shared.push_credited(value) {
                self.shared.give_room(1);
                self.counts.add_shared(Event::DroppedFull, 1);
                unkept.push(value);
            }
        }
        unkept
    }

    /// Takes back a guard's object; see `Pooled`'s drop.
    #[inline]
    pub(crate) fn receive(self: &Arc<Self>, mut value: T) {
        if std::thread::panicking() {
            // The object's state is suspect: a panic interrupted its user.
            self.count(Event::DroppedPanicking);
            return;
        }
        let unwinding = CountIfUnwinding(self, Event::Returned);
        value.reset();
        std::mem::forget(unwinding);
        self.keep(value, Event::Returned);
    }

    /// Resets `value` and keeps it: `Pool::put`.
    pub(crate) fn put(self: &Arc<Self>, mut value: T) {
        value.reset();
        self.keep(value, Event::Put);
    }

    /// Keeps a reset `value` if there is room, counting `event` (returned or put).
    #[inline]
    fn keep(self: &Arc<Self>, value: T, event: Event) {
        let mut value = Some(value);
        local::with_cache(self, |cache| {
            if let Some(unkept) = value.take() {
                value = cache.own_fast(|state| state.push_fast(unkept));
                if value.is_none() {
                    cache.count(event);
                }
            }
        });
        if let Some(value) = value {
            self.keep_slow(value, event);
        }
    }

    /// The fast path could not keep `value`: the thread's cache is full, or not made yet,
    /// or this thread has not earned the fast path, or the pool has a `keep_if` to run.
    /// Test it, then keep it in the cache or the shared queue, or drop it.
    #[cold]
    fn keep_slow(self: &Arc<Self>, value: T, event: Event) {
        // Until it is kept or counted, `value` is this call's to account for: if
        // `keep_if` unwinds, it is dropped and counted as such.
        let unwinding = CountIfUnwinding(self, event);
        if let Some(keep_if) = &self.keep_if
            && !keep_if(&value)
        {
            std::mem::forget(unwinding);
            self.count(event);
            self.count(Event::DroppedRefused);
            drop(value);
            return;
        }
        std::mem::forget(unwinding);
        let mut value = Some(value);
        if self.ensure_cache() {
            let per_thread = self.per_thread;
            let fast = self.keep_if.is_none();
            local::with_cache(self, |cache| {
                // A thread that returns only what others borrowed keeps nothing here:
                // no borrower would look.
                if !borrows_more_than_it_returns(&cache.counters) {
                    return;
                }
                if let Some(unkept) = value.take() {
                    value = cache.own(|state| {
                        state.push_slow(unkept, per_thread, fast, |max| self.shared.take_room(max))
                    });
                    if value.is_none() {
                        cache.count(event);
                    }
                }
            });
        }
        let Some(value) = value else {
            return; // kept in this thread's cache, and counted
        };
        self.count(event);
        if let Err(value) = self.keep_shared(value) {
            self.count(Event::DroppedFull);
            drop(value);
        }
    }

    /// Keeps `value` in the shared queue: on a spare credit of this thread's cache, else
    /// one of the room, else one taken back from other threads' caches.
    fn keep_shared(self: &Arc<Self>, value: T) -> Result<(), T> {
        let spare = local::with_cache(self, |cache| cache.own(CacheState::release_spare_credit));
        if spare == Some(true) {
            self.shared.give_room(1);
        }
        let value = match self.shared.push(value) {
            Ok(()) => return Ok(()),
            Err(value) => value,
        };
        let taken = self.caches.take_spare_credits();
        let unkept = self.adopt(taken);
        let kept = self.shared.push(value);
        drop(unkept);
        kept
    }

    /// Counts a guard's object as taken out for good.
    pub(crate) fn count_detached(self: &Arc<Self>) {
        self.count(Event::Detached);
    }

    /// Counts `event` on this thread's counters for the pool if it has a cache, else on
    /// the pool's own. Never makes a cache.
    fn count(self: &Arc<Self>, event: Event) {
        if local::with_cache(self, |cache| cache.count(event)).is_none() {
            self.counts.add_shared(event, 1);
        }
    }

    /// A snapshot of the counts of every thread and of the pool's own.
    pub(crate) fn stats(&self) -> Stats {
        let mut totals = Default::default();
        self.caches.add_counts_to(&mut totals);
        self.counts.add_to(&mut totals);
        Stats::from_totals(totals)
    }

    /// Drops what the shared queue and every thread's cache keep.
    pub(crate) fn clear(self: &Arc<Self>) {
        let taken = self.caches.clear();
        let doomed = self.release(taken);
        self.drop_counted(doomed);
        // Only what is kept now: a `Drop` that returns or puts objects into this pool
        // must not keep this loop going forever.
        self.drop_oldest(self.shared.len());
    }

    /// Drops, from the shared queue and every thread's cache, as many objects as each
    /// kept all through the period since the last trim (the oldest first).
    pub(crate) fn trim(self: &Arc<Self>) {
        // Exited threads' caches go to the shared queue first, so that they are trimmed
        // by the same rule as the rest.
        let abandoned = self.caches.collect_abandoned();
        drop(self.adopt(abandoned));
        let taken = self.caches.trim();
        let doomed = self.release(taken);
        self.drop_counted(doomed);
        let idle = self.shared.take_low_water();
        // The queue is FIFO, so what never left sits at the front.
        self.drop_oldest(idle);
    }

    /// Gives back the credits of what a sweep took to drop; returns the objects.
    fn release(&self, taken: Taken<T>) -> Vec<T> {
        self.shared.give_room(taken.credits + taken.objects.len());
        taken.objects
    }

    /// Counts `doomed` as cleared, then drops them (their `Drop` may panic: counted
    /// first).
    fn drop_counted(self: &Arc<Self>, doomed: Vec<T>) {
        for _ in 0..doomed.len() {
            self.count(Event::DroppedCleared);
        }
        drop(doomed);
    }

    /// Drops up to `count` objects from the front of the shared queue.
    fn drop_oldest(self: &Arc<Self>, count: usize) {
        for _ in 0..count {
            let Some(value) = self.shared.pop() else {
                break;
            };
            // Counted before the drop, which runs user code and may panic.
            self.count(Event::DroppedCleared);
            drop(value);
        }
    }
}

/// Whether a thread has borrowed more objects than it has returned or put, so that the
/// object it is returning now is, on balance, one it borrowed.
fn borrows_more_than_it_returns(counts: &Counters) -> bool {
    counts.get(Event::Made) + counts.get(Event::Reused)
        > counts.get(Event::Returned) + counts.get(Event::Put)
}

impl<T: 'static> Drop for Inner<T> {
    fn drop(&mut self) {
        // Every thread's cached objects go with the pool, now; the shared queue's go
        // with it. No thread is inside a cache (none holds the pool), but the sweep's
        // protocol is what orders their last accesses before this one for loom, which
        // cannot see the `Arc` that orders them for real.
        let objects = self.caches.clear().objects;
        local::release_id(self.id);
        drop(objects);
    }
}

/// Counts an object as dropped while panicking when the code around it unwinds (the
/// unwinding drops it): a guard's object whose reset or `keep_if` panicked. A `put`
/// value was never counted in, so it is not counted out either.
struct CountIfUnwinding<'a, T: 'static>(&'a Arc<Inner<T>>, Event);

impl<T: 'static> Drop for CountIfUnwinding<'_, T> {
    fn drop(&mut self) {
        if matches!(self.1, Event::Returned) {
            self.0.counts.add_shared(Event::DroppedPanicking, 1);
        }
    }
}
