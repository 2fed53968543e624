//! Per-thread caches: the hot path.
//!
//! # How a thread finds its cache for a pool
//!
//! Each live pool holds a small integer id, unique among live pools and reused after a
//! pool is dropped (so ids stay dense). Each thread has one vector of caches indexed by
//! pool id, in a `thread_local!`. Borrowing from pool 3 is: read the thread's vector,
//! index 3, check the entry is really this pool's (one pointer compare, since a dead
//! pool's id may have been handed to a new pool; see [`Slot`] for why that compare also
//! settles the entry's type), check the pool's epoch, pop. Nothing in that path is
//! written by another thread, so a thread that borrows and returns touches no shared
//! cache line.
//!
//! The alternative, slots owned by the pool and indexed by thread id, would let the pool
//! reach into other threads' caches, but only through a lock or an atomic per access,
//! which is the cost this cache exists to avoid.
//!
//! # Why a cache that nobody else can reach holds nothing anybody needs
//!
//! Another thread's cache can only be emptied by that thread. So a cache holds no share
//! of the pool's capacity: the way an allocator's thread cache sits outside its central
//! limit, each cache keeps at most [`per_thread_max`] objects *in addition to* the shared
//! queue, which alone enforces the capacity (see `queue.rs`). A thread that used the pool
//! and then sleeps, blocks or is busy elsewhere holds those few objects and nothing else:
//! the working threads keep, and reuse, everything the shared queue has room for. The
//! price is the stated excess per live thread, which [`per_thread_max`] keeps small for
//! small pools (zero for a pool of fewer than four). The earlier design gave caches
//! credits against the capacity; a sleeping thread kept them, and could starve a
//! capacity-16 pool down to a 0 % hit rate for everybody else.
//!
//! [`Pool::clear`] and [`Pool::trim`] act at once on the shared queue and on the calling
//! thread's cache, and raise the pool's [`Epoch`] that every other thread checks on its
//! next use of the pool (one load of a line that only `clear` and `trim` write). A thread
//! that never uses the pool again applies them when it exits.
//!
//! # Dropped pools
//!
//! A cache holds a `Weak` to its pool. When a thread exits, its caches go back to their
//! pools' shared queues (or are dropped, when the pool is gone). When a pool is dropped,
//! the dropping thread's cache goes with it, and a process-wide count of dropped pools is
//! raised. The rule for the caches other threads hold of it:
//!
//! **A thread drops its cached objects of a dropped `Pool<T>` inside its next call on a
//! `Pool<T>` that leaves the fast path (its first use of a pool, an empty or full cache,
//! a `clear` or `trim` to catch up), or when it exits; never inside a call on a pool of
//! another type.** A `T`'s `Drop` therefore runs only where `T`s may be dropped anyway
//! (a `Pool<T>` call, which drops `T`s for `clear`, `trim` or a full pool), never inside
//! an unrelated pool's `get` that the caller wraps in a lock `T::drop` also takes.
//!
//! The bound: each first use of a pool is a slow path, so a thread holds orphaned
//! objects of type `T` only from `Pool<T>`s it had caches of when it last left the fast
//! path of a `Pool<T>`, each at most that pool's per-thread amount. Creating and
//! dropping `Pool<T>`s in a loop, each used by every thread, leaves at most one dropped
//! pool's cache per thread at any time, however many pools are dropped. Slots of dropped
//! pools of other types are moved to the thread's `graveyard`, freeing their ids, until
//! a call of their type comes. Every such drop happens after the thread's cache vector
//! is released, so the objects' `Drop` may use any pool.
//!
//! [`Pool::clear`]: crate::Pool::clear
//! [`Pool::trim`]: crate::Pool::trim

use std::any::Any;
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::epoch::{CatchUp, Epoch};
use crate::shared::Shared;
use crate::stats::{Counters, Event};
use crate::sync::{Arc, StaticMutex, Weak, lock_static};

/// The most objects one thread's cache keeps for one pool, in addition to the pool's
/// shared queue: enough for a burst of this many borrowed at once to come back without
/// touching the shared queue. A pool's own limit is a quarter of its capacity, at most
/// this; see [`Pool`](crate::Pool)'s memory bound.
///
/// # Examples
///
/// ```
/// use poolable::{Pool, THREAD_CACHE_MAX};
///
/// let pool: Pool<String> = Pool::with_capacity(1 << 20);
/// assert_eq!(pool.thread_cache_capacity(), THREAD_CACHE_MAX);
/// ```
pub const THREAD_CACHE_MAX: usize = 64;

/// How many objects each thread's cache keeps, beyond the shared queue, for a pool of
/// `capacity`: a quarter of the capacity, at most [`THREAD_CACHE_MAX`]. A pool of fewer
/// than 4 has no thread caches at all: every borrow and return uses the shared queue.
pub(crate) const fn per_thread_max(capacity: usize) -> usize {
    let quarter = capacity / 4;
    if quarter < THREAD_CACHE_MAX {
        quarter
    } else {
        THREAD_CACHE_MAX
    }
}

crate::sync::thread_local! {
    static CACHES: RefCell<Caches> = const {
        RefCell::new(Caches { slots: Vec::new(), seen_drops: 0, graveyard: Vec::new() })
    };
}

/// Pools dropped since the process started: a thread that sees it changed looks for
/// caches of dropped pools. A std atomic even under loom (it lives in a `static`); it is
/// only a hint, `Weak::strong_count` decides.
static POOLS_DROPPED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Records that a pool was dropped, for the other threads' next slow path.
pub(crate) fn note_pool_dropped() {
    POOLS_DROPPED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// One thread's caches.
struct Caches {
    /// Indexed by pool id.
    slots: Vec<Option<Slot>>,
    /// [`POOLS_DROPPED`] when this thread last looked for caches of dropped pools.
    seen_drops: u64,
    /// Caches of dropped pools taken out of `slots`, waiting for a slow path of a pool of
    /// their own type (or the thread's exit) to be dropped.
    graveyard: Vec<Slot>,
}

/// A thread's cache for one pool, filed under the address of the pool it belongs to.
///
/// The address makes the hot path one compare. The type check of `Box<dyn Any>` is a call
/// through the vtable that returns the 16-byte `TypeId` in two 8-byte stores, which the
/// caller reads back in one 16-byte load before they have landed: the CPU cannot forward
/// them, and that stall was one of the largest costs of a borrow and return when the
/// benchmarks were profiled. [`Slot::cache`] casts instead, on the strength of the
/// address.
struct Slot {
    /// `Arc::as_ptr` of the pool's `Shared<T>`. The cache holds a `Weak` to that same
    /// allocation, which keeps it from being freed, so while this slot lives no other
    /// pool can be at this address.
    owner: *const (),
    /// A `LocalCache<T>`, for the `T` of the pool at `owner`; only [`Slot::new`] makes
    /// one, and it makes both fields from the same pool.
    cache: Box<dyn AnyCache>,
}

/// What a thread's cache vector needs of a cache whatever its type.
trait AnyCache: Any {
    /// Its pool has been dropped.
    fn orphaned(&self) -> bool;
    /// Forgets its pool, so that dropping the cache drops its objects rather than
    /// handing them back.
    fn disown(&mut self);
    fn as_any(&self) -> &dyn Any;
}

impl<T: 'static> AnyCache for LocalCache<T> {
    fn orphaned(&self) -> bool {
        self.owner.strong_count() == 0
    }

    fn disown(&mut self) {
        self.owner = Weak::new();
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Slot {
    fn new<T: 'static>(shared: &Arc<Shared<T>>) -> Slot {
        Slot {
            owner: Arc::as_ptr(shared).cast(),
            cache: Box::new(LocalCache::new(shared)),
        }
    }

    fn is_of<T: 'static>(&self, shared: &Arc<Shared<T>>) -> bool {
        self.owner == Arc::as_ptr(shared).cast()
    }

    /// This slot's cache, if the slot is `shared`'s.
    #[inline]
    fn cache<T: 'static>(&mut self, shared: &Arc<Shared<T>>) -> Option<&mut LocalCache<T>> {
        if !self.is_of(shared) {
            return None;
        }
        debug_assert!(self.cache.as_any().is::<LocalCache<T>>());
        let cache: *mut dyn AnyCache = &mut *self.cache;
        // SAFETY: `shared` is alive, and the slot's cache keeps the allocation at `owner`
        // from being freed, so the two are one allocation: the slot was made by
        // `Slot::new` from this very pool, a `Shared<T>`, and its cache is therefore a
        // `LocalCache<T>`. The cast keeps the box's address, and the borrow of `self`
        // keeps the box alive and unaliased for the returned lifetime. Tested by
        // `a_slot_is_only_its_own_pools` and `a_reused_id_gets_a_fresh_cache_of_its_own_type`
        // below, which the `debug_assert` above turns into failures if the compare is
        // ever not enough.
        Some(unsafe { &mut *cache.cast::<LocalCache<T>>() })
    }
}

/// One thread's objects for one pool.
pub(crate) struct LocalCache<T: 'static> {
    /// The pool these objects go back to when the thread exits.
    owner: Weak<Shared<T>>,
    /// Reset objects ready to lend, most recently returned last. At most the pool's
    /// `per_thread` of them.
    items: Vec<T>,
    /// How many items the fast path of a return may keep here: 0 until this thread is
    /// seen to return what it borrowed (a thread that only returns what others borrowed
    /// would keep objects where no borrower looks), and for pools with a `keep_if` (which
    /// runs on the slow path, outside this cache's borrow); else the pool's `per_thread`.
    fast_limit: usize,
    /// The fewest items held since the last trim: objects below it were never lent in
    /// that time, and are what the next trim drops.
    low: usize,
    /// The pool's epoch this cache has caught up with.
    seen: Epoch,
    /// This thread's counts for the pool; only this thread writes them.
    counters: Arc<Counters>,
}

impl<T: 'static> LocalCache<T> {
    fn new(shared: &Arc<Shared<T>>) -> Self {
        LocalCache {
            owner: Arc::downgrade(shared),
            items: Vec::new(),
            fast_limit: 0,
            low: 0,
            seen: shared.epoch.load(),
            counters: shared.register_thread(),
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

    /// The fast path of a return: keeps `*value` if there is room under `fast_limit`.
    #[inline]
    fn push_fast(&mut self, value: &mut Option<T>, event: Event) {
        if self.items.len() < self.fast_limit
            && let Some(value) = value.take()
        {
            self.items.push(value);
            self.count(event);
        }
    }

    /// The slow path of a return: keeps `*value` if this thread returns what it borrows
    /// and the cache holds fewer than `shared.per_thread`; opens the fast path for the
    /// next returns when it can. Counts `event` when it keeps.
    pub(crate) fn push_slow(&mut self, shared: &Shared<T>, value: &mut Option<T>, event: Event) {
        if !self.borrows_more_than_it_returns() {
            return;
        }
        if !shared.has_keep_if() {
            self.fast_limit = shared.per_thread;
        }
        if self.items.len() < shared.per_thread
            && let Some(value) = value.take()
        {
            self.items.push(value);
            self.count(event);
        }
    }

    /// Keeps a prefilled object if this cache holds fewer than `max`.
    pub(crate) fn keep_prefilled(&mut self, max: usize, value: &mut Option<T>) {
        if self.items.len() < max
            && let Some(value) = value.take()
        {
            // Never lent: idle for the next trim, unless something below it was lent.
            let idle = self.low == self.items.len();
            self.items.push(value);
            if idle {
                self.low += 1;
            }
        }
    }

    /// Whether this thread has borrowed more objects than it has returned or put, so
    /// that the object it is returning now is, on balance, one it borrowed.
    fn borrows_more_than_it_returns(&self) -> bool {
        let counts = &self.counters;
        counts.get(Event::Made) + counts.get(Event::Reused)
            > counts.get(Event::Returned) + counts.get(Event::Put)
    }

    /// Applies the `clear`s and `trim`s this cache has not seen yet; returns what they
    /// let go, to be dropped once the thread's caches are released.
    #[cold]
    fn catch_up(&mut self, now: Epoch) -> Vec<T> {
        let doomed = match self.seen.catch_up_to(now) {
            CatchUp::Nothing => Vec::new(),
            CatchUp::DropIdle => {
                let idle = self.low.min(self.items.len());
                self.items.drain(..idle).collect()
            }
            CatchUp::DropAll => std::mem::take(&mut self.items),
        };
        self.seen = now;
        self.low = self.items.len();
        // The fast path is earned again by the next return.
        self.fast_limit = 0;
        // Counted before the drop, which runs user code and may panic.
        self.counters
            .add_own(Event::DroppedCleared, doomed.len() as u64);
        doomed
    }
}

/// A thread exiting gives its objects back to the shared queue, after applying the
/// `clear`s and `trim`s it missed. A cache whose pool is gone drops its objects.
impl<T: 'static> Drop for LocalCache<T> {
    fn drop(&mut self) {
        let Some(shared) = self.owner.upgrade() else {
            return; // the pool is gone; the objects drop with `items`
        };
        let doomed = self.catch_up(shared.epoch.load());
        shared.retire_thread(&self.counters);
        let leftovers = shared.hand_over(std::mem::take(&mut self.items));
        drop(doomed);
        drop(leftovers);
    }
}

/// The thread's cache for `shared`, if it has one (caught up or not).
#[inline]
fn find<'c, T: 'static>(
    caches: &'c mut Caches,
    shared: &Arc<Shared<T>>,
) -> Option<&'c mut LocalCache<T>> {
    caches.slots.get_mut(shared.id)?.as_mut()?.cache(shared)
}

/// The thread's cache for `shared` if the fast path can use it: made, this pool's (not a
/// dead pool's under a reused id), and caught up with every `clear` and `trim`.
#[inline]
fn current<'c, T: 'static>(
    caches: &'c mut Caches,
    shared: &Arc<Shared<T>>,
) -> Option<&'c mut LocalCache<T>> {
    let cache = find(caches, shared)?;
    (shared.epoch.load() == cache.seen).then_some(cache)
}

/// The fast path of a borrow: pops this thread's cache.
///
/// `None` when the cache is empty or not [`current`]; the caller then takes the slow
/// path. (Writing the object through an out-parameter instead saves 6 instructions on a
/// lone round trip but costs 24 per object when many are held at once, in callgrind.)
#[inline]
pub(crate) fn pop_fast<T: 'static>(shared: &Arc<Shared<T>>) -> Option<T> {
    CACHES
        .try_with(|caches| current(&mut *caches.try_borrow_mut().ok()?, shared)?.pop())
        .ok()
        .flatten()
}

/// The fast path of a return: moves `*value` into this thread's cache if the thread has
/// one for `shared` with room under its fast limit, counting `event`; otherwise leaves it
/// for the slow path.
///
/// Unlike a borrow, a return does not check the pool's epoch: an object returned now is
/// not one that a `clear` or `trim` since the cache's last catch-up let go. The cache
/// catches up at its next borrow, before it lends anything; a `clear` then drops this
/// object too (it was kept when the cache caught up, as the docs of `clear` allow), and a
/// `trim` does not (it was not idle).
#[inline]
pub(crate) fn push_fast<T: 'static>(shared: &Arc<Shared<T>>, value: &mut Option<T>, event: Event) {
    let _ = CACHES.try_with(|caches| {
        if let Ok(mut caches) = caches.try_borrow_mut()
            && let Some(cache) = find(&mut caches, shared)
        {
            cache.push_fast(value, event);
        }
    });
}

/// Counts `event` on this thread's counters for `shared` if it has a cache, else on the
/// pool's shared counters. Never makes a cache, catches up or drops anything, so it
/// cannot run user code: callers may hold an object they have not accounted for yet.
pub(crate) fn count<T: 'static>(shared: &Arc<Shared<T>>, event: Event) {
    let counted = CACHES.try_with(|caches| {
        let mut caches = caches.try_borrow_mut().ok()?;
        find(&mut caches, shared).map(|cache| cache.count(event))
    });
    if !matches!(counted, Ok(Some(()))) {
        shared.count_shared(event);
    }
}

/// Runs `f` on the calling thread's cache for `shared`, making the cache, or bringing it
/// up to date, first.
///
/// Returns `None`, without calling `f`, when the thread has no caches to offer: while it
/// is being torn down, or when a call is already inside (a pool used from an allocator,
/// say); callers then use the shared queue. `f` must not run user code: it runs while the
/// thread's cache vector is borrowed.
///
/// # Panics
///
/// Bringing the cache up to date may drop objects (cleared, trimmed, or of dropped
/// pools), outside the borrow and before `f` runs; a panic in their `Drop` propagates
/// from here, with their counts already taken and `f` not run. A caller that holds an
/// object of its own must account for it if this unwinds.
#[inline]
pub(crate) fn with_cache<T: 'static, R>(
    shared: &Arc<Shared<T>>,
    f: impl FnOnce(&mut LocalCache<T>) -> R,
) -> Option<R> {
    if !is_current(shared) && !bring_up_to_date(shared) {
        return None;
    }
    CACHES
        .try_with(|caches| {
            let mut caches = caches.try_borrow_mut().ok()?;
            // A `clear` or `trim` that came after `bring_up_to_date` is applied at the
            // next slow path, as if it had come just after this call.
            find(&mut caches, shared).map(f)
        })
        .ok()
        .flatten()
}

fn is_current<T: 'static>(shared: &Arc<Shared<T>>) -> bool {
    CACHES
        .try_with(|caches| {
            caches
                .try_borrow_mut()
                .is_ok_and(|mut caches| current(&mut caches, shared).is_some())
        })
        .unwrap_or(false)
}

/// What a thread's cache vector lets go of in one slow path, dropped once it is released:
/// objects of this pool that a `clear` or `trim` let go, and caches of dropped pools.
type Leftovers<T> = (Vec<T>, Vec<Slot>);

/// Makes the thread's cache for `shared`, or catches it up with `clear` and `trim`, and
/// drops the thread's caches of dropped pools. Returns whether the thread has a cache
/// for `shared` now.
#[cold]
fn bring_up_to_date<T: 'static>(shared: &Arc<Shared<T>>) -> bool {
    let leftovers = CACHES.try_with(|caches| -> Option<Leftovers<T>> {
        let mut caches = caches.try_borrow_mut().ok()?;
        let caches = &mut *caches;
        let dropped = POOLS_DROPPED.load(std::sync::atomic::Ordering::Relaxed);
        if dropped != caches.seen_drops {
            caches.seen_drops = dropped;
            for slot in &mut caches.slots {
                if slot.as_ref().is_some_and(|slot| slot.cache.orphaned()) {
                    caches.graveyard.extend(slot.take());
                }
            }
        }
        let id = shared.id;
        if id >= caches.slots.len() {
            caches.slots.resize_with(id + 1, || None);
        }
        let slot = &mut caches.slots[id];
        let objects = match slot.as_mut().and_then(|slot| slot.cache(shared)) {
            Some(cache) => cache.catch_up(shared.epoch.load()),
            None => {
                // A slot of another pool under this id belongs to a dropped pool: ids
                // are unique among live pools.
                caches.graveyard.extend(slot.replace(Slot::new(shared)));
                Vec::new()
            }
        };
        // Only this type's orphans are dropped here (see the module docs).
        let mut orphans = Vec::new();
        if !caches.graveyard.is_empty() {
            let (mine, others) = std::mem::take(&mut caches.graveyard)
                .into_iter()
                .partition(|slot| slot.cache.as_any().is::<LocalCache<T>>());
            caches.graveyard = others;
            orphans = mine;
        }
        Some((objects, orphans))
    });
    match leftovers {
        Ok(Some(leftovers)) => {
            // Dropping runs user code, which may use any pool: only now that the
            // caches are released.
            drop(leftovers);
            true
        }
        _ => false,
    }
}

/// Removes this thread's cache for `shared`, if it has one, with its objects.
///
/// Used when the pool itself is dropped: the objects are dropped rather than given back.
pub(crate) fn evict<T: 'static>(shared: &Arc<Shared<T>>) {
    let evicted = CACHES
        .try_with(|caches| {
            let mut caches = caches.try_borrow_mut().ok()?;
            let slot = caches.slots.get_mut(shared.id)?;
            if slot.as_ref().is_some_and(|slot| slot.is_of(shared)) {
                slot.take()
            } else {
                None
            }
        })
        .ok()
        .flatten();
    if let Some(mut slot) = evicted {
        slot.cache.disown();
        drop(slot); // after the borrow: the objects' `Drop` may use any pool
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
    let caches = CACHES.with(|caches| {
        let mut caches = caches.borrow_mut();
        (
            std::mem::take(&mut caches.slots),
            std::mem::take(&mut caches.graveyard),
        )
    });
    drop(caches);
}

/// How many caches of dropped pools this thread holds: for the tests of the rule.
#[cfg(all(test, not(loom)))]
pub(crate) fn orphaned_caches_here() -> usize {
    CACHES.with(|caches| {
        let caches = caches.borrow();
        let in_slots = caches.slots.iter().flatten();
        let orphaned = in_slots.filter(|slot| slot.cache.orphaned()).count();
        orphaned + caches.graveyard.len()
    })
}

#[cfg(all(test, not(loom)))]
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

    #[test]
    fn small_pools_have_small_thread_caches() {
        assert_eq!(per_thread_max(0), 0);
        assert_eq!(per_thread_max(3), 0);
        assert_eq!(per_thread_max(16), 4);
        assert_eq!(per_thread_max(1 << 20), THREAD_CACHE_MAX);
    }

    /// A thread that cached objects of a pool dropped since keeps that cache in its slot
    /// until it next leaves the fast path. A pool of another type given the same id must
    /// then get a fresh cache, never the dead one taken for its own (the `debug_assert`
    /// in `Slot::cache` would fire, and the checks here would fail).
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

        let old = Arc::new(Pool::<String>::with_capacity(16));
        let id = old.shared().id;
        let in_worker = Arc::clone(&old);
        run(Box::new(move || in_worker.get().push_str("old")));
        drop(old); // the worker's slot for `id` now holds a dead pool's cache

        // Ids are reused smallest first, but tests running alongside make pools too.
        let mut others = Vec::new();
        let new = loop {
            let pool = Arc::new(Pool::<Vec<u64>>::with_capacity(16));
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

    /// A thread's caches of dropped pools go at its next slow path of a pool of their
    /// type, and never at one of another type.
    #[test]
    fn caches_of_dropped_pools_go_at_the_next_slow_path() {
        std::thread::spawn(|| {
            let pools: Vec<Pool<String>> = (0..5).map(|_| Pool::with_capacity(16)).collect();
            for pool in &pools {
                drop(pool.get());
            }
            let survivor: Pool<String> = Pool::with_capacity(16);
            drop(survivor.get());
            // Dropped on another thread, so this thread's caches stay behind.
            std::thread::scope(|scope| {
                scope.spawn(move || drop(pools));
            });
            assert_eq!(orphaned_caches_here(), 5);
            drop(survivor.get()); // the fast path: no sweep
            assert_eq!(orphaned_caches_here(), 5);
            let other: Pool<Vec<u8>> = Pool::with_capacity(16);
            drop(other.get()); // a slow path of another type: no drop
            assert_eq!(orphaned_caches_here(), 5);
            let fresh: Pool<String> = Pool::with_capacity(16);
            drop(fresh.get()); // a first use: the slow path sweeps
            assert_eq!(orphaned_caches_here(), 0);
        })
        .join()
        .unwrap();
    }
}
