//! What every thread using a pool shares, and how an object is lent and received back.
//!
//! Vocabulary, one verb per meaning:
//!
//! - **lend**: hand an object to a borrower (from this thread's cache, the shared queue,
//!   or the factory);
//! - **receive**: take an object back from a guard (reset it, test it with `keep_if`,
//!   then keep it);
//! - **keep**: store a reset object, in this thread's cache or the shared queue, or drop
//!   it when both are full;
//! - **hand over**: an exiting thread's cache going to the shared queue.
//!
//! # Where capacity lives
//!
//! The shared queue holds at most `capacity - per_thread` objects (`queue.rs` enforces
//! it); each thread's cache holds at most `per_thread` more (`local.rs`). So with `n`
//! live threads holding a cache of this pool, the pool keeps at most
//! `capacity + (n - 1) * per_thread` objects, and exactly `capacity` for one thread.
//! That is the one statement of the bound; `Pool`'s docs repeat it for users.
//!
//! # No user code under our locks
//!
//! The factory, `reset`, `keep_if` and every object's `Drop` run here with no lock held
//! and no thread cache borrowed: the thread's cache is borrowed only inside
//! `local::with_cache` and the fast paths, which run none of them, and the only mutex
//! (`threads`, the counters' registry) guards a vector of counters.

use std::panic::{RefUnwindSafe, UnwindSafe};

use crate::Poolable;
use crate::epoch::SharedEpoch;
use crate::local::{self, LocalCache};
use crate::queue::Queue;
use crate::stats::{Counters, Event, Stats};
use crate::sync::{Arc, AtomicUsize, Mutex, Ordering, lock};

pub(crate) type Factory<T> = Box<dyn Fn() -> T + Send + Sync>;
pub(crate) type KeepIf<T> = Box<dyn Fn(&T) -> bool + Send + Sync>;

/// What every thread using a pool shares.
pub(crate) struct Shared<T: 'static> {
    /// Index of this pool's cache in each thread's cache vector; unique among live pools.
    pub(crate) id: usize,
    capacity: usize,
    /// Objects each thread's cache keeps at most: `local::per_thread_max(capacity)`.
    pub(crate) per_thread: usize,
    factory: Factory<T>,
    /// Tested on every object received back; `None` keeps every one. Set only at build.
    keep_if: Option<KeepIf<T>>,
    /// Holds at most `capacity - per_thread` objects: see the module docs.
    queue: Queue<T>,
    /// Raised by `clear` and `trim`; thread caches catch up on their next slow path.
    pub(crate) epoch: SharedEpoch,
    /// The shortest the shared queue has been since the last trim.
    queue_low: AtomicUsize,
    /// Counters of the threads that have a cache for this pool.
    threads: Mutex<Vec<Arc<Counters>>>,
    /// Counts of exited threads, and of events on threads with no cache to count on.
    shared_counts: Counters,
}

// `Shared<T>` holds `T`s only in its queue (crossbeam's queues are `Send + Sync` exactly
// when `T: Send`) and in boxed closures that are `Send + Sync` by their bounds. Stated here
// so that a change that breaks it fails to compile instead of silently changing `Pool`'s
// auto traits; `pool.rs` states `Pool`'s explicitly on the strength of this.
const _: () = {
    fn send_sync<X: Send + Sync>() {}
    fn unwind_safe<X: UnwindSafe + RefUnwindSafe>() {}
    #[allow(dead_code)]
    fn shared_is_send_and_sync_when_t_is_send<T: Send>() {
        send_sync::<Queue<T>>();
        send_sync::<Factory<T>>();
        send_sync::<KeepIf<T>>();
        send_sync::<Mutex<Vec<Arc<Counters>>>>();
        send_sync::<Counters>();
        send_sync::<SharedEpoch>();
    }
    #[allow(dead_code)]
    fn queue_is_unwind_safe<T>() {
        unwind_safe::<Queue<T>>();
    }
};

impl<T: Poolable + 'static> Shared<T> {
    pub(crate) fn new(
        capacity: usize,
        factory: Factory<T>,
        keep_if: Option<KeepIf<T>>,
    ) -> Shared<T> {
        let per_thread = local::per_thread_max(capacity);
        Shared {
            id: local::acquire_id(),
            capacity,
            per_thread,
            factory,
            keep_if,
            queue: Queue::new(capacity - per_thread),
            epoch: SharedEpoch::default(),
            queue_low: AtomicUsize::new(0),
            threads: Mutex::new(Vec::new()),
            shared_counts: Counters::default(),
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Makes `count` objects (at most `capacity`) and keeps them: the builder's prefill.
    /// The shared queue takes what it has room for, this thread's cache the rest. The
    /// factory runs with nothing held; if it panics, what was kept so far stays.
    pub(crate) fn prefill(self: &Arc<Self>, count: usize) {
        for _ in 0..count.min(self.capacity) {
            let value = (self.factory)();
            let unkept = match self.queue.push(value) {
                Ok(()) => None,
                Err(value) => {
                    let mut value = Some(value);
                    let per_thread = self.per_thread;
                    let _ = local::with_cache(self, |cache| {
                        cache.keep_prefilled(per_thread, &mut value)
                    });
                    value
                }
            };
            if let Some(value) = unkept {
                // Nowhere to keep it (this thread is being torn down): never counted in.
                drop(value);
                break;
            }
            local::count(self, Event::Prefilled);
        }
        self.queue_low.store(self.queue.len(), Ordering::Relaxed);
    }

    /// An object to lend: kept, or new.
    #[inline]
    pub(crate) fn lend(self: &Arc<Self>) -> T {
        match local::pop_fast(self) {
            Some(value) => value,
            None => self.lend_slow(),
        }
    }

    /// The thread's cache is empty, or not made yet, or has a `clear` or `trim` to catch
    /// up on: `lend_kept` sorts those out; failing it, the factory makes one.
    #[cold]
    fn lend_slow(self: &Arc<Self>) -> T {
        if let Some(value) = self.lend_kept() {
            return value;
        }
        let value = (self.factory)();
        local::count(self, Event::Made);
        value
    }

    /// Lends a kept object: from this thread's cache, else from the shared queue.
    pub(crate) fn lend_kept(self: &Arc<Self>) -> Option<T> {
        if let Some(Some(value)) = local::with_cache(self, LocalCache::pop) {
            return Some(value);
        }
        let value = self.queue.pop()?;
        self.queue_low
            .fetch_min(self.queue.len(), Ordering::Relaxed);
        local::count(self, Event::Reused);
        Some(value)
    }

    /// Takes back a guard's object; see `Pooled`'s drop.
    #[inline]
    pub(crate) fn receive(self: &Arc<Self>, mut value: T) {
        if std::thread::panicking() {
            // The object's state is suspect: a panic interrupted its user.
            local::count(self, Event::DroppedPanicking);
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
        local::push_fast(self, &mut value, event);
        if let Some(value) = value {
            self.keep_slow(value, event);
        }
    }

    /// The fast path could not keep `value`: the thread's cache is full, or not made or
    /// caught up yet, or this thread has not earned the fast path, or the pool has a
    /// `keep_if` to run. Test it, then keep it in the cache or the shared queue, or drop
    /// it.
    #[cold]
    fn keep_slow(self: &Arc<Self>, value: T, event: Event) {
        // Until it is kept or counted, `value` is this call's to account for: if user
        // code below unwinds (`keep_if`, or a `Drop` of what the cache lets go while it
        // catches up), it is dropped and counted as such.
        let unwinding = CountIfUnwinding(self, event);
        if let Some(keep_if) = &self.keep_if
            && !keep_if(&value)
        {
            std::mem::forget(unwinding);
            local::count(self, event);
            local::count(self, Event::DroppedRefused);
            drop(value);
            return;
        }
        let mut value = Some(value);
        let _ = local::with_cache(self, |cache| cache.push_slow(self, &mut value, event));
        std::mem::forget(unwinding);
        let Some(value) = value else {
            return; // kept in this thread's cache, and counted
        };
        local::count(self, event);
        if let Err(value) = self.queue.push(value) {
            local::count(self, Event::DroppedFull);
            drop(value);
        }
    }

    /// Counts a guard's object as taken out for good.
    pub(crate) fn count_detached(self: &Arc<Self>) {
        local::count(self, Event::Detached);
    }

    /// A snapshot of the counts of every thread and of the pool's own.
    pub(crate) fn stats(&self) -> Stats {
        let mut totals = Default::default();
        {
            // Sums counters; runs no user code.
            let threads = lock(&self.threads);
            for counters in threads.iter() {
                counters.add_to(&mut totals);
            }
            self.shared_counts.add_to(&mut totals);
        }
        Stats::from_totals(totals)
    }

    /// Drops what the shared queue and this thread's cache keep; other caches follow at
    /// their next slow path or exit.
    pub(crate) fn clear(self: &Arc<Self>) {
        self.epoch.clear();
        self.catch_up_here();
        // Only what is kept now: a `Drop` that returns or puts objects into this pool
        // must not keep this loop going forever.
        self.drop_oldest(self.queue.len());
    }

    /// Drops what sat idle in the shared queue and this thread's cache since the last
    /// trim; other caches follow at their next slow path or exit.
    pub(crate) fn trim(self: &Arc<Self>) {
        self.epoch.trim();
        self.catch_up_here();
        let idle = self.queue_low.swap(self.queue.len(), Ordering::Relaxed);
        // The queue is FIFO, so what never left sits at the front.
        self.drop_oldest(idle);
    }

    /// Makes the calling thread's cache apply pending clears and trims now.
    fn catch_up_here(self: &Arc<Self>) {
        let _ = local::with_cache(self, |_| ());
    }

    /// Drops up to `count` objects from the front of the shared queue, for `clear` and
    /// `trim`.
    fn drop_oldest(self: &Arc<Self>, count: usize) {
        for _ in 0..count {
            let Some(value) = self.queue.pop() else {
                break;
            };
            self.queue_low
                .fetch_min(self.queue.len(), Ordering::Relaxed);
            // Counted before the drop, which runs user code and may panic.
            local::count(self, Event::DroppedCleared);
            drop(value);
        }
    }
}

impl<T: 'static> Shared<T> {
    pub(crate) fn has_keep_if(&self) -> bool {
        self.keep_if.is_some()
    }

    /// Counts on the pool's shared counters.
    pub(crate) fn count_shared(&self, event: Event) {
        self.shared_counts.add_shared(event, 1);
    }

    /// Receives an exiting thread's cached objects into the shared queue; returns those
    /// it has no room for, counted as dropped, for the caller to drop.
    pub(crate) fn hand_over(&self, items: Vec<T>) -> Vec<T> {
        let mut leftovers = Vec::new();
        for value in items {
            if let Err(value) = self.queue.push(value) {
                self.count_shared(Event::DroppedFull);
                leftovers.push(value);
            }
        }
        leftovers
    }

    pub(crate) fn register_thread(&self) -> Arc<Counters> {
        let counters = Arc::new(Counters::default());
        lock(&self.threads).push(Arc::clone(&counters));
        counters
    }

    /// Folds an exiting thread's counts into the shared ones, atomically for `stats`.
    pub(crate) fn retire_thread(&self, counters: &Arc<Counters>) {
        let mut threads = lock(&self.threads);
        if let Some(at) = threads.iter().position(|c| Arc::ptr_eq(c, counters)) {
            threads.swap_remove(at);
            self.shared_counts.absorb(counters);
        }
    }
}

impl<T: 'static> Drop for Shared<T> {
    fn drop(&mut self) {
        local::release_id(self.id);
        local::note_pool_dropped();
    }
}

/// Counts an object as dropped while panicking when the code around it unwinds (the
/// unwinding drops it): a guard's object whose reset or `keep_if` panicked. A `put`
/// value was never counted in, so it is not counted out either.
struct CountIfUnwinding<'a, T: 'static>(&'a Arc<Shared<T>>, Event);

impl<T: 'static> Drop for CountIfUnwinding<'_, T> {
    fn drop(&mut self) {
        if matches!(self.1, Event::Returned) {
            self.0.count_shared(Event::DroppedPanicking);
        }
    }
}
