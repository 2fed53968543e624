//! The middle layer: per-thread caches, which the pool can reach.
//!
//! # A cache the pool can reach, at no cost to its owner
//!
//! Each thread that uses a pool gets a [`ThreadCache`] for it, made on its first use (a
//! slow path) and listed in the pool's [`CacheList`]. The owner thread finds it through a
//! thread-local vector indexed by pool id (one index, one pointer compare); the pool
//! finds every cache through its list. Who may touch a cache's objects is settled by an
//! asymmetric Dekker protocol on two flags of the cache:
//!
//! ```text
//! owner (every access)                      taker (serialised by the list's mutex)
//!   word  = BUSY              (store)         taking = true          (store)
//!   light barrier (compiler fence)            heavy barrier (membarrier)
//!   if taking { word = 0; wait; retry }       if word & BUSY { skip or wait }
//!   ... pop / push ...                        ... take objects, credits ...
//!   word  = 0                 (release)       taking = false         (release)
//! ```
//!
//! The heavy barrier runs a memory barrier on every CPU running a thread of the process,
//! so of the two stores before the barriers at least one is seen by the other side's
//! load: the owner and a taker are never inside at once. Only the owner writes `word`. The
//! owner pays three plain stores (the third publishes how many objects it holds, so a
//! taker skips empty caches without the barrier) and a plain load per access, on a cache
//! line only a taker (rarely) writes: no atomic read-modify-write, no fence instruction.
//! A taker pays a system call, once per sweep whatever the number of caches.
//!
//! # What a taker does
//!
//! - A borrower that finds its own cache and the shared queue empty takes the objects of
//!   caches whose owners are not inside them ([`CacheList::take_objects`]): an idle or
//!   blocked thread's objects go to the working ones.
//! - A returning thread that finds no credit left takes the spare credits of other
//!   caches ([`CacheList::take_spare_credits`]), so objects are seldom dropped as "full"
//!   while the pool keeps less than its capacity (a sweep skips a cache whose owner is
//!   inside it at that instant).
//! - `trim` and `clear` reach every cache ([`CacheList::trim`], [`CacheList::clear`]).
//! - A thread that exits leaves its cache to the pool (it is marked abandoned), and the
//!   next sweep or registration hands its objects to the shared queue.
//!
//! This layer knows nothing of the shared queue: what it takes it hands to the caller,
//! objects with their credits, and it asks the caller for credits through a closure.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::stats::{Counters, Event};
use crate::sync::{
    Arc, AtomicBool, AtomicUsize, Mutex, Ordering, StaticMutex, UnsafeCell, Weak, barrier, lock,
    lock_static, spin,
};

/// The most objects one thread's cache keeps for one pool. A pool's own limit is a
/// quarter of its capacity, at most this; every object a cache keeps counts against the
/// pool's capacity (see [`Pool`](crate::Pool)).
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

/// How many objects each thread's cache keeps for a pool of `capacity`: a quarter of the
/// capacity, at most [`THREAD_CACHE_MAX`]. A pool of fewer than 4 has no thread caches.
pub(crate) const fn per_thread_max(capacity: usize) -> usize {
    let quarter = capacity / 4;
    if quarter < THREAD_CACHE_MAX {
        quarter
    } else {
        THREAD_CACHE_MAX
    }
}

/// Bit 0 of [`ThreadCache::word`]: the owner is inside.
const BUSY: usize = 1;

/// A pool as this layer sees it: an id, and the list of its threads' caches.
pub(crate) trait CacheOwner: 'static {
    type Item: 'static;
    /// Unique among live pools: the index of this pool's slot in each thread's vector.
    fn cache_id(&self) -> usize;
    fn cache_list(&self) -> &CacheList<Self::Item>;
}

/// One thread's objects for one pool.
pub(crate) struct ThreadCache<T: 'static> {
    /// [`BUSY`] while the owner is inside `state`, else 0. Only the owner writes it: a
    /// taker's store here could land after an owner's `BUSY` in the modification order
    /// and hide it from the next taker (loom found that).
    word: AtomicUsize,
    /// How many objects the cache held when its owner or a taker last left it: a hint
    /// for takers, so that they skip empty caches without the barrier.
    len_hint: AtomicUsize,
    /// A taker wants `state`: the owner must not go in.
    taking: AtomicBool,
    /// The owner thread has let the cache go (it exited): only takers touch it now.
    abandoned: AtomicBool,
    /// `state.reserved` as last changed, a hint for takers of spare credits.
    reserved_hint: AtomicUsize,
    /// Touched only under the protocol of the module docs.
    state: UnsafeCell<CacheState<T>>,
    /// This thread's counts for the pool; only the owner writes them.
    pub(crate) counters: Counters,
}

// SAFETY: a `ThreadCache<T>` is shared between its owner thread and the threads that
// take from it (through the pool's list), and `T`s move between them: hence `T: Send`.
// `state` is only touched by one thread at a time, under the protocol of the module docs
// (`own` for the owner, `CacheList::sweep` for takers, both with the release/acquire
// pairs that order their accesses); every other field is an atomic. No `&T` is ever
// shared, so `T: Sync` is not needed. Checked by loom (`src/tests/loom_pool.rs`, whose
// `UnsafeCell` reports two threads inside at once) and by the protocol tests below.
unsafe impl<T: Send> Sync for ThreadCache<T> {}
// SAFETY: as above: it owns `T`s, and moving it moves them.
unsafe impl<T: Send> Send for ThreadCache<T> {}

/// What the protocol guards.
pub(crate) struct CacheState<T> {
    /// Reset objects ready to lend, the oldest first.
    items: Vec<T>,
    /// Credits held: `items.len() <= reserved <= per_thread`.
    reserved: usize,
    /// Returns are kept on the fast path while `items.len() < fast_limit`: 0 until this
    /// thread is seen to return what it borrowed (a thread that only returns what others
    /// borrowed would keep objects where no borrower looks), and for pools with a
    /// `keep_if` (which runs on the slow path); else `reserved`.
    fast_limit: usize,
    /// The fewest objects held since the last trim.
    low: usize,
}

impl<T> CacheState<T> {
    /// Lends the most recently returned object.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<T> {
        let value = self.items.pop()?;
        self.low = self.low.min(self.items.len());
        Some(value)
    }

    /// The fast path of a return: keeps `value` if there is room under the fast limit.
    #[inline]
    pub(crate) fn push_fast(&mut self, value: T) -> Option<T> {
        if self.items.len() < self.fast_limit {
            self.items.push(value);
            None
        } else {
            Some(value)
        }
    }

    /// The slow path of a return: keeps `value` on a held credit, or on credits got from
    /// `take_credits(max)` (which returns how many it gave), up to `per_thread`; opens
    /// the fast path when `fast` says so. Gives `value` back when it is not kept.
    pub(crate) fn push_slow(
        &mut self,
        value: T,
        per_thread: usize,
        fast: bool,
        take_credits: impl FnOnce(usize) -> usize,
    ) -> Option<T> {
        if self.items.len() == self.reserved && self.reserved < per_thread {
            self.reserved += take_credits(per_thread - self.reserved);
        }
        self.fast_limit = if fast { self.reserved } else { 0 };
        if self.items.len() < self.reserved {
            self.items.push(value);
            None
        } else {
            Some(value)
        }
    }

    /// Accepts the credit of an object lent from elsewhere, if the cache has room for
    /// it and this thread keeps its own returns (its fast path is open); whether it did.
    /// A thread whose borrows are returned on other threads (an async task moved
    /// between workers) would otherwise park credits here that only a sweep, with its
    /// process-wide barrier, could take back for those returns.
    pub(crate) fn accept_credit(&mut self, per_thread: usize) -> bool {
        let accept = self.fast_limit > 0 && self.reserved < per_thread;
        if accept {
            self.reserved += 1;
        }
        accept
    }

    /// Gives up one spare credit (one not backing an object), if it holds one.
    pub(crate) fn release_spare_credit(&mut self) -> bool {
        let spare = self.items.len() < self.reserved;
        if spare {
            self.reserved -= 1;
            self.fast_limit = self.fast_limit.min(self.reserved);
        }
        spare
    }

    /// Takes up to `count` of the oldest objects, with their credits.
    fn take_oldest(&mut self, count: usize) -> Vec<T> {
        let count = count.min(self.items.len());
        let taken: Vec<T> = self.items.drain(..count).collect();
        self.reserved -= taken.len();
        self.fast_limit = self.fast_limit.min(self.reserved);
        self.low = self.low.min(self.items.len());
        taken
    }

    /// Gives up the spare credits; how many.
    fn take_spare(&mut self) -> usize {
        let spare = self.reserved - self.items.len();
        self.reserved -= spare;
        self.fast_limit = self.fast_limit.min(self.reserved);
        spare
    }
}

impl<T: 'static> ThreadCache<T> {
    fn new(per_thread: usize) -> Self {
        ThreadCache {
            word: AtomicUsize::new(0),
            len_hint: AtomicUsize::new(0),
            taking: AtomicBool::new(false),
            abandoned: AtomicBool::new(false),
            reserved_hint: AtomicUsize::new(0),
            state: UnsafeCell::new(CacheState {
                // Never grows: a push inside the protocol must not call the allocator.
                items: Vec::with_capacity(per_thread),
                reserved: 0,
                fast_limit: 0,
                low: 0,
            }),
            counters: Counters::default(),
        }
    }

    #[inline]
    pub(crate) fn count(&self, event: Event) {
        self.counters.add_own(event, 1);
    }

    /// Runs `f` on the state as its owner: waits while a taker is inside. Must be called
    /// on the owner thread only, and `f` must not run user code (nor call `own` again).
    #[inline]
    pub(crate) fn own<R>(&self, f: impl FnOnce(&mut CacheState<T>) -> R) -> R {
        let (result, reserved) = self.own_fast(|state| (f(state), state.reserved));
        if reserved != self.reserved_hint.load(Ordering::Relaxed) {
            self.reserved_hint.store(reserved, Ordering::Relaxed);
        }
        result
    }

    /// [`own`](ThreadCache::own) for an `f` that leaves `reserved` as it found it (the
    /// fast paths' pop and push): it skips publishing the hint.
    #[inline(always)]
    pub(crate) fn own_fast<R>(&self, f: impl FnOnce(&mut CacheState<T>) -> R) -> R {
        loop {
            self.word.store(BUSY, Ordering::Relaxed);
            barrier::light();
            if !self.taking.load(Ordering::Acquire) {
                break;
            }
            self.wait_for_taker();
        }
        let (result, len) = self.state.with_mut(|state| {
            // SAFETY: the owner is inside: `word` has `BUSY`, stored before the light
            // barrier, and `taking` was clear after it, so a taker either saw `BUSY`
            // after its heavy barrier (and stays out until the release below) or had
            // already left (its release store of `taking` is what the acquire load above
            // read). Only the owner thread calls `own`, and `f` cannot call it again
            // (it runs no user code), so this is the only reference.
            let state = unsafe { &mut *state };
            let result = f(state);
            (result, state.items.len())
        });
        self.len_hint.store(len, Ordering::Relaxed);
        self.word.store(0, Ordering::Release);
        result
    }

    /// A taker is inside: leaves the way clear for it and waits until it is done.
    #[cold]
    #[inline(never)]
    fn wait_for_taker(&self) {
        self.word.store(0, Ordering::Release);
        while self.taking.load(Ordering::Acquire) {
            spin();
        }
    }

    /// Objects held when the owner last left: a hint.
    fn len_hint(&self) -> usize {
        self.len_hint.load(Ordering::Relaxed)
    }

    fn spare_hint(&self) -> usize {
        self.reserved_hint
            .load(Ordering::Relaxed)
            .saturating_sub(self.len_hint())
    }

    fn is_abandoned(&self) -> bool {
        self.abandoned.load(Ordering::Acquire)
    }
}

/// Which caches a sweep goes into, and what it does when an owner is inside.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Busy {
    /// Leave it: its owner is using it.
    Skip,
    /// Wait for the owner to leave (it runs no user code inside, so it leaves soon).
    Wait,
}

/// The caches of one pool's threads, for the pool to reach them.
pub(crate) struct CacheList<T: 'static> {
    caches: Mutex<Vec<Arc<ThreadCache<T>>>>,
    /// Serialises takers, so that at most one is ever inside a cache.
    takers: Mutex<()>,
    /// The counts of caches whose threads exited.
    retired: Counters,
}

/// What a sweep hands back: objects taken (each with its credit), and credits taken
/// without an object.
pub(crate) struct Taken<T> {
    pub(crate) objects: Vec<T>,
    pub(crate) credits: usize,
}

impl<T: 'static> Default for CacheList<T> {
    fn default() -> Self {
        CacheList {
            caches: Mutex::new(Vec::new()),
            takers: Mutex::new(()),
            retired: Counters::default(),
        }
    }
}

impl<T: 'static> CacheList<T> {
    /// Runs `f` on the state of every listed cache that `wanted` picks, as a taker (see
    /// the module docs), and on every abandoned cache, which it unlists. Returns what
    /// the abandoned caches held, with their credits.
    fn sweep(
        &self,
        busy: Busy,
        wanted: impl Fn(&ThreadCache<T>) -> bool,
        mut f: impl FnMut(&mut CacheState<T>),
    ) -> Taken<T> {
        let mut left = Taken {
            objects: Vec::new(),
            credits: 0,
        };
        let _takers = lock(&self.takers);
        let chosen: Vec<Arc<ThreadCache<T>>> = {
            let mut caches = lock(&self.caches);
            let mut chosen = Vec::new();
            caches.retain(|cache| {
                if cache.is_abandoned() {
                    cache.state.with_mut(|state| {
                        // SAFETY: the owner thread let the cache go (the acquire load of
                        // `abandoned` orders its last release before this), takers are
                        // serialised by `takers`, which this thread holds, and the cache
                        // leaves the list here: no other thread can reach `state`.
                        let state = unsafe { &mut *state };
                        left.credits += state.reserved - state.items.len();
                        left.objects.append(&mut state.items);
                        state.reserved = 0;
                    });
                    self.retired.absorb(&cache.counters);
                    return false;
                }
                if wanted(cache) {
                    chosen.push(Arc::clone(cache));
                }
                true
            });
            chosen
        };
        if chosen.is_empty() {
            return left;
        }
        for cache in &chosen {
            cache.taking.store(true, Ordering::Relaxed);
        }
        barrier::heavy();
        for cache in &chosen {
            let free = loop {
                if cache.word.load(Ordering::Acquire) & BUSY == 0 {
                    break true;
                }
                if busy == Busy::Skip {
                    break false;
                }
                spin();
            };
            if free {
                let (len, reserved) = cache.state.with_mut(|state| {
                    // SAFETY: `taking` was set before the heavy barrier and `BUSY` was
                    // clear after it (acquire: the owner's last accesses happened before),
                    // so the owner stays out until `taking` is cleared below (see the
                    // module docs); takers are serialised by `takers`.
                    let state = unsafe { &mut *state };
                    f(state);
                    (state.items.len(), state.reserved)
                });
                cache.reserved_hint.store(reserved, Ordering::Relaxed);
                cache.len_hint.store(len, Ordering::Relaxed);
            }
            cache.taking.store(false, Ordering::Release);
        }
        left
    }

    /// Takes up to `want` objects, with their credits, from caches whose owners are not
    /// inside them, the oldest first; and everything abandoned caches held.
    pub(crate) fn take_objects(&self, want: usize) -> Taken<T> {
        let mut wanted = want;
        let mut taken = Vec::new();
        let mut left = self.sweep(
            Busy::Skip,
            |cache| cache.len_hint() > 0,
            |state| {
                let got = state.take_oldest(wanted);
                wanted -= got.len();
                taken.extend(got);
            },
        );
        left.objects.append(&mut taken);
        left
    }

    /// Takes the spare credits of caches whose owners are not inside them; and everything
    /// abandoned caches held.
    pub(crate) fn take_spare_credits(&self) -> Taken<T> {
        let mut spare = 0;
        let mut left = self.sweep(
            Busy::Skip,
            |cache| cache.spare_hint() > 0,
            |state| spare += state.take_spare(),
        );
        left.credits += spare;
        left
    }

    /// Takes from every cache what sat in it all the time since the last trim (its
    /// fewest objects in that time, the oldest), and starts a new period.
    pub(crate) fn trim(&self) -> Taken<T> {
        let mut doomed = Vec::new();
        let mut left = self.sweep(
            Busy::Wait,
            |_| true,
            |state| {
                let idle = state.low;
                doomed.extend(state.take_oldest(idle));
                state.low = state.items.len();
            },
        );
        left.objects.append(&mut doomed);
        left
    }

    /// Takes every object and every credit of every cache, and each cache's buffer with
    /// them (a cleared cache grows one again on its next return): the caches of a dropped
    /// pool stay in their threads' slots until those threads next look, and must not keep
    /// `THREAD_CACHE_MAX` objects' worth of memory each until then.
    pub(crate) fn clear(&self) -> Taken<T> {
        let mut objects = Vec::new();
        let mut credits = 0;
        let mut left = self.sweep(
            Busy::Wait,
            |_| true,
            |state| {
                credits += state.reserved - state.items.len();
                objects.extend(std::mem::take(&mut state.items));
                state.reserved = 0;
                state.fast_limit = 0;
                state.low = 0;
            },
        );
        left.objects.append(&mut objects);
        left.credits += credits;
        left
    }

    /// Unlists the caches of threads that exited, and hands the caller what they held.
    pub(crate) fn collect_abandoned(&self) -> Taken<T> {
        self.sweep(Busy::Skip, |_| false, |_| {})
    }

    /// Adds every listed cache's counts, and those of exited threads, to `totals`.
    pub(crate) fn add_counts_to(&self, totals: &mut [u64; crate::stats::EVENTS]) {
        for cache in lock(&self.caches).iter() {
            cache.counters.add_to(totals);
        }
        self.retired.add_to(totals);
    }

    /// How many caches are listed: for tests.
    #[cfg(all(test, not(loom)))]
    pub(crate) fn len(&self) -> usize {
        lock(&self.caches).len()
    }

    fn add(&self, cache: Arc<ThreadCache<T>>) {
        lock(&self.caches).push(cache);
    }
}

/// What a thread's slot vector needs of a cache whatever its type.
trait AnyCache: Any {
    /// The owner thread lets the cache go.
    fn abandon(&self);
}

impl<T: 'static> AnyCache for ThreadCache<T> {
    fn abandon(&self) {
        self.abandoned.store(true, Ordering::Release);
    }
}

/// A thread's cache for one pool, filed under the address of the pool it belongs to.
struct Slot {
    /// `Arc::as_ptr` of the pool. `pool` keeps that allocation from being freed, so while
    /// this slot lives no other pool can be at this address.
    owner: *const (),
    /// Keeps the address in `owner` from being reused.
    #[allow(dead_code)]
    pool: Weak<dyn Any>,
    /// A `ThreadCache<P::Item>` of the `P` at `owner`; only [`register`] makes a slot,
    /// from one pool.
    cache: Arc<dyn AnyCache>,
    /// `Arc::as_ptr(&cache)`, thin: the fast path reads it instead of working out the
    /// data's offset in the `Arc` from the vtable's alignment.
    cache_ptr: *const (),
}

impl Drop for Slot {
    fn drop(&mut self) {
        // The thread exits, or the slot's pool is gone: the pool may take what is left.
        self.cache.abandon();
    }
}

/// A thread's slots, indexed by pool id.
type Slots = Vec<Option<Slot>>;

crate::sync::thread_local! {
    /// This thread's slots as the fast paths read them: a pointer into the box that
    /// [`SLOTS_OWNER`] holds, null before the thread's first cache and from its exit on.
    /// It has no destructor, so reading it is one load, with no check of whether the
    /// thread is being torn down and no `RefCell` flag to set and clear.
    static SLOTS: Cell<*const Slots> = const { Cell::new(std::ptr::null()) };
}

crate::sync::thread_local! {
    /// Owns this thread's slots; only [`register`] changes them.
    static SLOTS_OWNER: SlotsOwner = const { SlotsOwner(RefCell::new(None)) };
}

struct SlotsOwner(RefCell<Option<Box<Slots>>>);

/// The thread exits: the fast paths stop finding the slots before they are freed, and
/// each slot lets its cache go to its pool.
impl Drop for SlotsOwner {
    fn drop(&mut self) {
        let _ = SLOTS.try_with(|slots| slots.set(std::ptr::null()));
    }
}

/// Debug builds: whether this thread is inside [`with_cache`]'s closure, where
/// [`register`] must not run (it may move the slots the closure's cache was found in).
#[cfg(debug_assertions)]
mod in_cache {
    use std::cell::Cell;

    std::thread_local! {
        static INSIDE: Cell<bool> = const { Cell::new(false) };
    }

    pub(super) struct Inside(bool);

    pub(super) fn enter() -> Inside {
        Inside(INSIDE.with(|inside| inside.replace(true)))
    }

    pub(super) fn check_outside() {
        assert!(
            !INSIDE.with(Cell::get),
            "a thread cache was registered inside `with_cache`'s closure"
        );
    }

    impl Drop for Inside {
        fn drop(&mut self) {
            INSIDE.with(|inside| inside.set(self.0));
        }
    }
}

/// Runs `f` on this thread's cache for `pool` if it has one. Never makes one. `f` must
/// not run user code.
#[inline(always)]
pub(crate) fn with_cache<P: CacheOwner, R>(
    pool: &Arc<P>,
    f: impl FnOnce(&ThreadCache<P::Item>) -> R,
) -> Option<R> {
    let slots = SLOTS.with(Cell::get);
    if slots.is_null() {
        return None;
    }
    // SAFETY: a non-null `SLOTS` points into the box `SLOTS_OWNER` holds: `register` sets
    // it, and `SlotsOwner::drop` clears it before the box is freed. The slots are changed
    // only by `register`, which never runs while this reference lives: nothing here
    // registers, and `f` runs no user code and registers nothing (debug builds check it:
    // `registering_inside_with_cache_is_caught`).
    let slots = unsafe { &*slots };
    let slot = slots.get(pool.cache_id())?.as_ref()?;
    if slot.owner != Arc::as_ptr(pool).cast() {
        return None;
    }
    debug_assert!((&*slot.cache as &dyn Any).is::<ThreadCache<P::Item>>());
    debug_assert_eq!(slot.cache_ptr, Arc::as_ptr(&slot.cache).cast::<()>());
    let cache = slot.cache_ptr;
    // SAFETY: `pool` is alive, and the slot keeps the allocation at `owner` from being
    // freed, so the two are one allocation: the slot was made by `register` from this
    // very pool, a `P`, and its cache is therefore a `ThreadCache<P::Item>`, and
    // `cache_ptr` is that `Arc`'s data pointer; the slot, alive for the call (above),
    // keeps the cache alive. Tested by `a_slot_is_only_its_own_pools` and
    // `a_reused_id_gets_a_fresh_cache_of_its_own_type` below, which the `debug_assert`s
    // above turn into failures if the compare is ever not enough.
    let cache = unsafe { &*cache.cast::<ThreadCache<P::Item>>() };
    #[cfg(debug_assertions)]
    let _inside = in_cache::enter();
    Some(f(cache))
}

/// Whether this thread has a cache for a pool after [`ensure_cache`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cache {
    /// It had one.
    Found,
    /// It has one now, made and listed by this call.
    Made,
    /// It has none and can make none: it is being torn down.
    Unavailable,
}

/// Makes this thread's cache for `pool` and lists it, if it has none.
pub(crate) fn ensure_cache<P: CacheOwner>(pool: &Arc<P>, per_thread: usize) -> Cache {
    if with_cache(pool, |_| ()).is_some() {
        Cache::Found
    } else if register(pool, per_thread) {
        Cache::Made
    } else {
        Cache::Unavailable
    }
}

/// Makes this thread's cache for `pool` and lists it in the pool.
#[cold]
fn register<P: CacheOwner>(pool: &Arc<P>, per_thread: usize) -> bool {
    let cache = Arc::new(ThreadCache::<P::Item>::new(per_thread));
    let weak: Weak<P> = Arc::downgrade(pool);
    let slot = Slot {
        owner: Arc::as_ptr(pool).cast(),
        pool: weak,
        cache_ptr: Arc::as_ptr(&cache).cast(),
        cache: Arc::clone(&cache) as Arc<dyn AnyCache>,
    };
    #[cfg(debug_assertions)]
    in_cache::check_outside();
    let replaced = SLOTS_OWNER.try_with(|owner| {
        let mut owner = owner.0.try_borrow_mut().ok()?;
        let slots = owner.get_or_insert_with(Box::default);
        let id = pool.cache_id();
        if id >= slots.len() {
            slots.resize_with(id + 1, || None);
        }
        // A slot of another pool under this id belongs to a dropped pool (ids are unique
        // among live pools), whose drop took its objects already.
        let old = slots[id].replace(slot);
        let published: *const Slots = &**slots;
        SLOTS.with(|pointer| pointer.set(published));
        Some(old)
    });
    match replaced {
        Ok(Some(old)) => {
            pool.cache_list().add(cache);
            drop(old); // after the borrow: an emptied cache, nothing of the user's runs
            true
        }
        _ => false,
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

/// Lets go of the calling thread's caches now, as its exit does. For the loom models: a
/// loom thread's locals are destroyed after `join` returns.
#[cfg(all(test, loom))]
pub(crate) fn release_thread_caches() {
    SLOTS.with(|pointer| pointer.set(std::ptr::null()));
    let slots = SLOTS_OWNER.with(|owner| owner.0.borrow_mut().take());
    drop(slots);
}

/// Whether this thread has a cache for `pool`: for the tests that `trim` and `clear`
/// make none.
#[cfg(all(test, not(loom)))]
pub(crate) fn has_cache<P: CacheOwner>(pool: &Arc<P>) -> bool {
    with_cache(pool, |_| ()).is_some()
}

#[cfg(all(test, not(loom)))]
mod tests {
    use std::sync::mpsc;

    use super::*;
    use crate::Pool;

    /// A slot answers only for the pool it was made for, whatever the other pool's type.
    #[test]
    fn a_slot_is_only_its_own_pools() {
        std::thread::spawn(|| {
            let strings: Pool<String> = Pool::with_capacity(16);
            let numbers: Pool<Vec<u64>> = Pool::with_capacity(16);
            let other_strings: Pool<String> = Pool::with_capacity(16);
            drop(strings.get());
            assert!(has_cache(strings.inner()));
            assert!(!has_cache(numbers.inner()));
            assert!(!has_cache(other_strings.inner()));
            drop(numbers.get());
            assert!(has_cache(numbers.inner()));
            assert!(!has_cache(other_strings.inner()));
        })
        .join()
        .unwrap();
    }

    #[test]
    fn small_pools_have_small_thread_caches() {
        assert_eq!(per_thread_max(0), 0);
        assert_eq!(per_thread_max(3), 0);
        assert_eq!(per_thread_max(16), 4);
        assert_eq!(per_thread_max(1 << 20), THREAD_CACHE_MAX);
    }

    /// Issue 18: `trim`, `clear` and `trim_all` made a cache, with counters listed in
    /// the pool, on a thread that had never used it (a trimming timer ended up with one
    /// for every pool).
    #[test]
    fn trim_and_clear_make_no_cache() {
        let pool: Arc<Pool<String>> = Arc::new(Pool::with_capacity(16));
        pool.register("local::tests::trim_and_clear_make_no_cache");
        drop(pool.get());
        let timer = Arc::clone(&pool);
        std::thread::spawn(move || {
            timer.trim();
            timer.clear();
            crate::trim_all();
            let _ = timer.stats();
            assert!(!has_cache(timer.inner()), "a timer thread got a cache");
            drop(timer.get());
            assert!(has_cache(timer.inner()), "a borrower gets one");
        })
        .join()
        .unwrap();
    }

    /// The slots' `unsafe` rests on `with_cache`'s closure never registering a cache:
    /// debug builds catch it.
    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "registered inside `with_cache`")]
    fn registering_inside_with_cache_is_caught() {
        let first: Arc<Pool<String>> = Arc::new(Pool::with_capacity(16));
        let second: Arc<Pool<String>> = Arc::new(Pool::with_capacity(16));
        drop(first.get());
        with_cache(first.inner(), |_| ensure_cache(second.inner(), 4));
    }

    /// A thread per connection: the caches of threads that exited are unlisted when the
    /// next thread makes its own, their objects handed to the shared queue, so the list
    /// holds the live threads' caches and not every thread the pool ever saw.
    #[test]
    fn exited_threads_caches_are_unlisted() {
        let pool: Arc<Pool<String>> = Arc::new(Pool::with_capacity(64));
        for _ in 0..20 {
            let user = Arc::clone(&pool);
            std::thread::spawn(move || drop((user.get(), user.get())))
                .join()
                .unwrap();
            assert!(
                pool.inner().cache_list().len() <= 1,
                "exited caches piled up"
            );
        }
        let stats = pool.stats();
        assert_eq!((stats.made, stats.kept), (2, 2), "{stats}");
    }

    /// A thread that cached objects of a pool dropped since keeps that (emptied) cache in
    /// its slot. A pool of another type given the same id must then get a fresh cache,
    /// never the dead one taken for its own (the `debug_assert` in `with_cache` would
    /// fire, and the checks here would fail).
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

        // Ids are reused smallest first, but tests running alongside make pools too and
        // may take the freed id first: try again until a new pool gets it.
        let new = (0..64)
            .find_map(|_| {
                let old = Arc::new(Pool::<String>::with_capacity(16));
                let id = old.inner().cache_id();
                let in_worker = Arc::clone(&old);
                run(Box::new(move || in_worker.get().push_str("old")));
                drop(old); // the worker's slot for `id` now holds a dead pool's cache
                let mut others = Vec::new();
                loop {
                    let pool = Arc::new(Pool::<Vec<u64>>::with_capacity(16));
                    if pool.inner().cache_id() == id {
                        return Some(pool);
                    }
                    if others.len() == 256 {
                        return None;
                    }
                    others.push(pool);
                }
            })
            .expect("in 64 tries no new pool got a dead pool's id: nothing here tested the reuse");
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

    /// The protocol's two sides on one cache: a taker never gets in while the owner is
    /// inside, and the owner waits while a taker is. Drives the flags by hand, as a
    /// thread preempted at the worst point would leave them.
    #[test]
    fn owner_and_taker_exclude_each_other() {
        let list: CacheList<u32> = CacheList::default();
        let cache = Arc::new(ThreadCache::<u32>::new(4));
        list.add(Arc::clone(&cache));
        cache.own(|state| {
            state.reserved = 2;
            state.items.extend([1, 2]);
        });

        // The owner is inside: a skipping taker leaves the cache alone.
        cache.word.store(BUSY, Ordering::Relaxed);
        assert!(list.take_objects(8).objects.is_empty());
        cache.word.store(0, Ordering::Release);
        assert!(!cache.taking.load(Ordering::Relaxed), "the taker left");

        // A taker is inside: the owner waits until it leaves.
        cache.taking.store(true, Ordering::Release);
        let (entered_tx, entered) = mpsc::channel();
        let owner = Arc::clone(&cache);
        let waiting = std::thread::spawn(move || {
            owner.own(|state| state.items.len());
            entered_tx.send(()).unwrap();
        });
        assert!(
            entered
                .recv_timeout(std::time::Duration::from_millis(50))
                .is_err(),
            "the owner went in while a taker was inside"
        );
        cache.taking.store(false, Ordering::Release);
        entered.recv().unwrap();
        waiting.join().unwrap();

        // Nobody inside: the taker takes the oldest first, with their credits.
        let taken = list.take_objects(1);
        assert_eq!(taken.objects, vec![1]);
        assert_eq!(
            cache.own(|state| (state.items.clone(), state.reserved)),
            (vec![2], 1)
        );
    }
}
