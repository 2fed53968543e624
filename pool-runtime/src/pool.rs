//! [`Pool`], its builder, and the state its threads share.

use std::fmt;
use std::marker::PhantomData;

use crate::guard::{OwnedPooled, Pooled};
use crate::local::{self, LOCAL_CACHE_MAX, LocalCache};
use crate::queue::Queue;
use crate::stats::{Counters, Event, Stats};
use crate::sync::{Arc, AtomicU64, AtomicUsize, Mutex, Ordering, lock};
use crate::{DEFAULT_CAPACITY, Poolable};

type Factory<T> = Box<dyn Fn() -> T + Send + Sync>;

/// A bounded, thread-safe pool of reusable objects.
///
/// [`get`](Pool::get) lends an object, reused or new; dropping the guard resets the
/// object and keeps it for the next borrower, unless the pool already keeps `capacity`
/// objects, in which case it is dropped: a burst never becomes a permanent footprint.
///
/// Each thread keeps up to 64 objects of each pool in a cache of its own, in front of a
/// queue shared by all threads, so a thread that borrows and returns touches no memory
/// another thread writes. Capacity bounds everything the pool keeps, thread caches
/// included. A thread that exits gives its cached objects back to the shared queue.
///
/// # Memory
///
/// An empty pool allocates a small fixed header. Its shared queue is preallocated when
/// `capacity` slots take at most 64 KiB (so the shared path never allocates) and grows in
/// blocks of 31 slots otherwise, so a large capacity costs nothing until objects are kept.
///
/// # Examples
///
/// ```
/// use pool_runtime::Pool;
///
/// let pool: Pool<String> = Pool::with_capacity(8);
/// let mut line = pool.get();
/// line.push_str("GET /index.html");
/// drop(line); // reset (cleared, capacity kept) and kept
///
/// let line = pool.get();
/// assert!(line.is_empty() && line.capacity() >= 15);
/// ```
pub struct Pool<T: 'static> {
    shared: Arc<Shared<T>>,
}

/// What every thread using a pool shares.
pub(crate) struct Shared<T: 'static> {
    /// Index of this pool's cache in each thread's cache vector; unique among live pools.
    pub(crate) id: usize,
    capacity: usize,
    /// Objects one thread may keep: `min(capacity, LOCAL_CACHE_MAX)`.
    local_max: usize,
    factory: Factory<T>,
    queue: Queue<T>,
    /// Credits not held by anyone. Keeping an object takes a credit; the shared queue and
    /// the thread caches hold theirs, so `free + queue credits + Σ reserves == capacity`,
    /// and nothing can keep more than `capacity` objects.
    free: AtomicUsize,
    /// Raised by `clear` (high 32 bits) and `trim` (low 32 bits); thread caches compare it
    /// with the epoch they last saw and catch up on their next use.
    pub(crate) epoch: AtomicU64,
    /// The shortest the shared queue has been since the last trim.
    queue_low: AtomicUsize,
    /// Counters of the threads that have a cache for this pool.
    threads: Mutex<Vec<Arc<Counters>>>,
    /// Counts of exited threads, and of calls made where the thread had no cache to use.
    shared_counts: Counters,
}

const CLEAR_EPOCH: u64 = 1 << 32;
const TRIM_EPOCH: u64 = 1;

/// Splits an epoch into its clear and trim counts.
pub(crate) fn split_epoch(epoch: u64) -> (u32, u32) {
    ((epoch >> 32) as u32, epoch as u32)
}

impl<T: Poolable + Default + 'static> Pool<T> {
    /// A pool that makes objects with `T::default()` and keeps up to
    /// [`DEFAULT_CAPACITY`] of them.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: pool_runtime::Pool<Vec<u8>> = pool_runtime::Pool::new();
    /// assert_eq!(pool.capacity(), pool_runtime::DEFAULT_CAPACITY);
    /// ```
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }

    /// A pool that makes objects with `T::default()` and keeps up to `capacity` of them.
    ///
    /// Capacity 0 is valid: every borrow makes an object and every return drops it.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: pool_runtime::Pool<String> = pool_runtime::Pool::with_capacity(2);
    /// let (a, b, c) = (pool.get(), pool.get(), pool.get());
    /// drop((a, b, c));
    /// assert_eq!(pool.stats().kept, 2); // the third was dropped
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        Pool::builder().capacity(capacity).build()
    }
}

impl<T: Poolable + Default + 'static> Default for Pool<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Poolable + 'static> Pool<T> {
    /// A pool that makes objects with `factory` and keeps up to
    /// [`DEFAULT_CAPACITY`] of them.
    ///
    /// The factory runs when a borrow finds nothing to reuse. If it panics, the panic
    /// reaches the caller of `get` and the pool is unchanged. It may borrow from this same
    /// pool.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = pool_runtime::Pool::with_factory(|| Vec::<u8>::with_capacity(4096));
    /// assert!(pool.get().capacity() >= 4096);
    /// ```
    pub fn with_factory(factory: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Pool::builder().factory(factory).build()
    }

    /// Starts a pool with a chosen capacity, factory, or objects made in advance.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder()
    ///     .capacity(16)
    ///     .factory(|| String::with_capacity(256))
    ///     .prefill(4)
    ///     .build();
    /// assert_eq!(pool.stats().kept, 4);
    /// ```
    pub fn builder() -> PoolBuilder<T> {
        PoolBuilder {
            capacity: DEFAULT_CAPACITY,
            prefill: 0,
            factory: DefaultFactory(()),
            _pool: PhantomData,
        }
    }

    fn from_parts(capacity: usize, factory: Factory<T>, prefill: usize) -> Self {
        let shared = Arc::new(Shared {
            id: local::acquire_id(),
            capacity,
            local_max: capacity.min(LOCAL_CACHE_MAX),
            factory,
            queue: Queue::new(capacity),
            free: AtomicUsize::new(capacity),
            epoch: AtomicU64::new(0),
            queue_low: AtomicUsize::new(0),
            threads: Mutex::new(Vec::new()),
            shared_counts: Counters::default(),
        });
        let prefill = prefill.min(capacity);
        for _ in 0..prefill {
            let value = (shared.factory)();
            shared.shared_counts.add_shared(Event::Made, 1);
            shared.shared_counts.add_shared(Event::Returned, 1);
            shared.free.fetch_sub(1, Ordering::Relaxed);
            shared.push_shared(value);
        }
        shared.queue_low.store(prefill, Ordering::Relaxed);
        Pool { shared }
    }

    /// The most objects this pool keeps, thread caches included.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(pool_runtime::Pool::<String>::with_capacity(3).capacity(), 3);
    /// ```
    pub fn capacity(&self) -> usize {
        self.shared.capacity
    }

    /// Lends an object: one this pool kept, or else a new one from the factory.
    ///
    /// A reused object was reset when it came back, so it holds nothing of its last user.
    /// Dropping the guard resets the object and returns it.
    ///
    /// # Panics
    ///
    /// When the factory panics; the pool stays usable.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: pool_runtime::Pool<Vec<u32>> = pool_runtime::Pool::new();
    /// let mut numbers = pool.get();
    /// numbers.extend([1, 2, 3]);
    /// assert_eq!(numbers.len(), 3);
    /// ```
    #[inline]
    pub fn get(&self) -> Pooled<'_, T> {
        Pooled::new(self, self.take())
    }

    /// Lends an object this pool kept, or `None` without making one.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: pool_runtime::Pool<String> = pool_runtime::Pool::new();
    /// assert!(pool.try_get().is_none());
    /// drop(pool.get());
    /// assert!(pool.try_get().is_some());
    /// ```
    #[inline]
    pub fn try_get(&self) -> Option<Pooled<'_, T>> {
        let value = self.take_kept()?;
        Some(Pooled::new(self, value))
    }

    /// Resets `value` and keeps it, as if it had been borrowed from this pool; drops it
    /// if the pool is full.
    ///
    /// # Panics
    ///
    /// When `value`'s reset panics; the value is dropped and the pool stays usable.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: pool_runtime::Pool<Vec<u8>> = pool_runtime::Pool::with_capacity(4);
    /// pool.put(vec![1, 2, 3]);
    /// let reused = pool.get();
    /// assert!(reused.is_empty() && reused.capacity() >= 3);
    /// ```
    pub fn put(&self, mut value: T) {
        value.reset();
        self.keep(value, Event::Put);
    }

    /// A snapshot of what this pool has done; see [`Stats`].
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: pool_runtime::Pool<String> = pool_runtime::Pool::new();
    /// let held = pool.get();
    /// assert_eq!(pool.stats().out, 1);
    /// drop(held);
    /// assert_eq!(pool.stats().kept, 1);
    /// ```
    pub fn stats(&self) -> Stats {
        let mut totals = Default::default();
        {
            let threads = lock(&self.shared.threads);
            for counters in threads.iter() {
                counters.add_to(&mut totals);
            }
            self.shared.shared_counts.add_to(&mut totals);
        }
        Stats::from_totals(totals)
    }

    /// Drops every object the pool keeps.
    ///
    /// Objects in the shared queue and in the calling thread's cache are dropped now.
    /// Another thread's cache is emptied the next time that thread uses the pool, or when
    /// it exits: a pool cannot reach into a running thread's cache without slowing every
    /// borrow. Objects out on loan are not affected; they come back as usual.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: pool_runtime::Pool<String> = pool_runtime::Pool::new();
    /// drop(pool.get());
    /// pool.clear();
    /// assert_eq!(pool.stats().kept, 0);
    /// assert!(pool.try_get().is_none());
    /// ```
    pub fn clear(&self) {
        self.shared.epoch.fetch_add(CLEAR_EPOCH, Ordering::Relaxed);
        self.catch_up_here();
        // Only what is kept now: a `Drop` that returns or puts objects into this pool
        // must not keep this loop going forever.
        self.shared.drop_oldest(self.shared.queue.len());
    }

    /// Drops the objects that were kept all the time since the previous `trim`, never lent.
    ///
    /// Calling it periodically lets a pool shrink back after a burst: what the workload
    /// still uses survives, what sat idle for a whole period goes. This is the role Go's
    /// garbage collector plays for `sync.Pool`, here under the caller's control. The
    /// first call drops what was kept, never lent, since the pool was made. Other
    /// threads' caches catch up on their next use or at their exit, as with
    /// [`clear`](Pool::clear); a thread that missed two trims or more drops all it cached.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: pool_runtime::Pool<String> = pool_runtime::Pool::new();
    /// let (a, b) = (pool.get(), pool.get());
    /// drop((a, b));
    /// pool.trim(); // both were lent during this period: kept
    /// assert_eq!(pool.stats().kept, 2);
    ///
    /// drop(pool.get()); // one is used again
    /// pool.trim(); // the other sat idle for a whole period: dropped
    /// assert_eq!(pool.stats().kept, 1);
    /// ```
    pub fn trim(&self) {
        self.shared.epoch.fetch_add(TRIM_EPOCH, Ordering::Relaxed);
        self.catch_up_here();
        let idle = self
            .shared
            .queue_low
            .swap(self.shared.queue.len(), Ordering::Relaxed);
        // The queue is FIFO, so what never left sits at the front.
        self.shared.drop_oldest(idle);
    }

    /// The state this pool's threads share, for the thread-cache tests.
    #[cfg(test)]
    pub(crate) fn shared(&self) -> &Arc<Shared<T>> {
        &self.shared
    }

    /// Makes the calling thread's cache apply pending clears and trims now.
    fn catch_up_here(&self) {
        let _ = local::with_cache(&self.shared, |_| ());
    }

    /// An object to lend: kept, or new.
    #[inline]
    pub(crate) fn take(&self) -> T {
        match local::pop_fast(&self.shared) {
            Some(value) => value,
            None => self.take_slow(),
        }
    }

    /// The thread's cache is empty, or not made yet, or has a `clear` or `trim` to catch
    /// up on: `take_kept` sorts those out; failing it, the factory makes one.
    #[cold]
    fn take_slow(&self) -> T {
        if let Some(value) = self.take_kept() {
            return value;
        }
        let value = (self.shared.factory)();
        self.count(Event::Made);
        value
    }

    fn take_kept(&self) -> Option<T> {
        match local::with_cache(&self.shared, LocalCache::pop) {
            Some(Some(value)) => Some(value),
            _ => self.take_shared(),
        }
    }

    /// Takes from the shared queue.
    ///
    /// The object's credit goes back to the pool rather than into this thread's cache: a
    /// thread that only borrows (a producer handing objects to other threads) would
    /// otherwise collect every credit, and the threads returning its objects could keep
    /// none. If the object comes back here, `keep_slow` takes credits for it.
    fn take_shared(&self) -> Option<T> {
        let value = self.shared.pop_shared()?;
        self.shared.release_credits(1);
        self.count(Event::Reused);
        Some(value)
    }

    /// Takes back a guard's object; see [`Pooled`]'s drop.
    #[inline]
    pub(crate) fn give_back(&self, mut value: T) {
        if std::thread::panicking() {
            // The object's state is suspect: a panic interrupted its user.
            self.count(Event::DroppedPanicking);
            return;
        }
        let unwinding = CountIfUnwinding(&self.shared);
        value.reset();
        std::mem::forget(unwinding);
        self.keep(value, Event::Returned);
    }

    /// Takes a guard's object out of the pool's accounting for good.
    pub(crate) fn count_detached(&self) {
        self.count(Event::Detached);
    }

    /// Keeps a reset `value` if there is room, counting `event` (returned or put).
    #[inline]
    fn keep(&self, value: T, event: Event) {
        let mut value = Some(value);
        local::push_fast(&self.shared, &mut value, event);
        if let Some(value) = value {
            self.keep_slow(value, event);
        }
    }

    /// The fast path could not keep `value`: the thread's cache has no credit left for it,
    /// or is not made or caught up yet. Get more credits, or use the shared queue, or
    /// drop it.
    #[cold]
    fn keep_slow(&self, value: T, event: Event) {
        let shared = &self.shared;
        let mut value = Some(value);
        let cached = local::with_cache(shared, |cache| {
            let wanted = shared.local_max - cache.reserve();
            // Only a thread that returns what it borrows keeps objects for itself; one
            // that returns more than it borrows (a consumer of objects other threads
            // borrowed) would keep them where no borrower looks: to the shared queue.
            if wanted > 0 && cache.borrows_more_than_it_returns() {
                let batch = wanted.min((shared.local_max / 4).max(1));
                cache.add_reserve(shared.take_credits(batch));
                cache.push(&mut value, event);
            }
            if value.is_some() {
                cache.count(event);
            }
        });
        let Some(value) = value else {
            return;
        };
        if cached.is_none() {
            shared.shared_counts.add_shared(event, 1);
        }
        if shared.take_credits(1) == 1 {
            shared.push_shared(value);
        } else {
            self.count(Event::DroppedFull);
            drop(value);
        }
    }

    fn count(&self, event: Event) {
        if local::with_cache(&self.shared, |cache| cache.count(event)).is_none() {
            self.shared.shared_counts.add_shared(event, 1);
        }
    }
}

impl<T: Poolable + 'static> Pool<T> {
    /// Lends an object through a guard that owns a handle to the pool: `'static`, and
    /// `Send` when `T: Send`, for spawned threads and async tasks.
    ///
    /// # Panics
    ///
    /// When the factory panics; the pool stays usable.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use pool_runtime::Pool;
    ///
    /// let pool: Arc<Pool<Vec<u8>>> = Arc::new(Pool::new());
    /// let mut buffer = pool.get_owned();
    /// std::thread::spawn(move || buffer.extend_from_slice(b"filled elsewhere"))
    ///     .join()
    ///     .unwrap();
    /// assert_eq!(pool.stats().returned, 1);
    /// ```
    pub fn get_owned(self: &Arc<Self>) -> OwnedPooled<T> {
        OwnedPooled::new(Arc::clone(self), self.take())
    }

    /// Like [`get_owned`](Pool::get_owned), but only reuses: `None` when nothing is kept.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let pool = Arc::new(pool_runtime::Pool::<String>::new());
    /// assert!(pool.try_get_owned().is_none());
    /// ```
    pub fn try_get_owned(self: &Arc<Self>) -> Option<OwnedPooled<T>> {
        let value = self.take_kept()?;
        Some(OwnedPooled::new(Arc::clone(self), value))
    }
}

/// Counts a guard's object as dropped when its reset panics (the unwinding drops it).
struct CountIfUnwinding<'a, T: 'static>(&'a Shared<T>);

impl<T: 'static> Drop for CountIfUnwinding<'_, T> {
    fn drop(&mut self) {
        self.0.shared_counts.add_shared(Event::DroppedPanicking, 1);
    }
}

impl<T: 'static> Shared<T> {
    /// Takes up to `wanted` credits; returns how many it got.
    pub(crate) fn take_credits(&self, wanted: usize) -> usize {
        let taken = self
            .free
            .fetch_update(Ordering::Acquire, Ordering::Relaxed, |free| {
                (free > 0).then(|| free - free.min(wanted))
            });
        match taken {
            Ok(free) => free.min(wanted),
            Err(_) => 0,
        }
    }

    pub(crate) fn release_credits(&self, credits: usize) {
        if credits > 0 {
            self.free.fetch_add(credits, Ordering::Release);
        }
    }

    /// Pushes a value that holds a credit onto the shared queue.
    fn push_shared(&self, value: T) {
        if let Err(value) = self.queue.push(value) {
            // Unreachable while credits bound the queue to its capacity; if it ever
            // happens the object is dropped and counted, never lost from the books.
            self.release_credits(1);
            self.shared_counts.add_shared(Event::DroppedFull, 1);
            drop(value);
        }
    }

    /// Pops from the shared queue; the caller now holds the object's credit.
    fn pop_shared(&self) -> Option<T> {
        let value = self.queue.pop()?;
        self.queue_low
            .fetch_min(self.queue.len(), Ordering::Relaxed);
        Some(value)
    }

    /// Drops up to `count` objects from the front of the shared queue, for `clear` and
    /// `trim`, giving their credits back.
    fn drop_oldest(&self, count: usize) {
        for _ in 0..count {
            let Some(value) = self.pop_shared() else {
                break;
            };
            self.release_credits(1);
            // Counted before the drop, which runs user code and may panic.
            self.shared_counts.add_shared(Event::DroppedCleared, 1);
            drop(value);
        }
    }

    /// Takes back the objects of a thread's cache (their credits come with them).
    pub(crate) fn take_back(&self, items: Vec<T>) {
        for value in items {
            self.push_shared(value);
        }
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
    }
}

impl<T: 'static> Drop for Pool<T> {
    fn drop(&mut self) {
        // This thread's cached objects go now; other threads' caches see the pool gone
        // and drop theirs at their next use of this id, or when they exit.
        local::evict(&self.shared);
    }
}

impl<T: Poolable + 'static> fmt::Debug for Pool<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("capacity", &self.capacity())
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// Configures a [`Pool`]: capacity, factory, objects made in advance.
///
/// Made by [`Pool::builder`]. Without [`factory`](PoolBuilder::factory), the pool makes
/// objects with `T::default()`.
///
/// # Examples
///
/// ```
/// let pool = pool_runtime::Pool::<Vec<u8>>::builder().capacity(32).prefill(8).build();
/// assert_eq!((pool.capacity(), pool.stats().kept), (32, 8));
/// ```
pub struct PoolBuilder<T, F = DefaultFactory> {
    capacity: usize,
    prefill: usize,
    factory: F,
    _pool: PhantomData<fn() -> T>,
}

/// The factory of a [`PoolBuilder`] given none: `T::default()`.
///
/// It appears only in the builder's type; a builder that still has it builds only for
/// `T: Default`.
///
/// # Examples
///
/// ```
/// use pool_runtime::{DefaultFactory, Pool, PoolBuilder};
///
/// let builder: PoolBuilder<String, DefaultFactory> = Pool::builder();
/// assert_eq!(builder.build().get().as_str(), "");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct DefaultFactory(());

impl<T, F> PoolBuilder<T, F> {
    /// How many objects the pool keeps at most (default [`DEFAULT_CAPACITY`]).
    /// Zero is valid: such a pool keeps nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = pool_runtime::Pool::<String>::builder().capacity(0).build();
    /// drop(pool.get());
    /// assert_eq!(pool.stats().kept, 0);
    /// ```
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// How many objects to make now, so the first borrows reuse (at most `capacity`).
    ///
    /// Prefilled objects count as made and returned in [`Stats`].
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = pool_runtime::Pool::<Vec<u8>>::builder().capacity(2).prefill(5).build();
    /// assert_eq!(pool.stats().kept, 2); // no more than the capacity
    /// assert!(pool.try_get().is_some());
    /// ```
    pub fn prefill(mut self, count: usize) -> Self {
        self.prefill = count;
        self
    }

    /// How the pool makes an object when it has none to lend.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder()
    ///     .factory(|| Vec::<u8>::with_capacity(4096))
    ///     .build();
    /// assert!(pool.get().capacity() >= 4096);
    /// ```
    pub fn factory<G>(self, factory: G) -> PoolBuilder<T, G>
    where
        G: Fn() -> T + Send + Sync + 'static,
    {
        PoolBuilder {
            capacity: self.capacity,
            prefill: self.prefill,
            factory,
            _pool: PhantomData,
        }
    }
}

impl<T: Poolable + Default + 'static> PoolBuilder<T, DefaultFactory> {
    /// Makes the pool, with `T::default()` as its factory.
    ///
    /// # Panics
    ///
    /// When making a prefill object panics.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = pool_runtime::Pool::<String>::builder().capacity(8).build();
    /// assert_eq!(pool.capacity(), 8);
    /// ```
    pub fn build(self) -> Pool<T> {
        Pool::from_parts(self.capacity, Box::new(T::default), self.prefill)
    }
}

impl<T, F> PoolBuilder<T, F>
where
    T: Poolable + 'static,
    F: Fn() -> T + Send + Sync + 'static,
{
    /// Makes the pool.
    ///
    /// # Panics
    ///
    /// When making a prefill object panics.
    ///
    /// # Examples
    ///
    /// ```
    /// struct Connectionless {
    ///     scratch: Vec<u8>,
    /// }
    ///
    /// impl pool_runtime::Poolable for Connectionless {
    ///     fn reset(&mut self) {
    ///         self.scratch.clear();
    ///     }
    /// }
    ///
    /// // Not `Default`: the factory is the only way to make one.
    /// let pool = pool_runtime::Pool::builder()
    ///     .factory(|| Connectionless { scratch: Vec::with_capacity(64) })
    ///     .build();
    /// assert!(pool.get().scratch.capacity() >= 64);
    /// ```
    pub fn build(self) -> Pool<T> {
        Pool::from_parts(self.capacity, Box::new(self.factory), self.prefill)
    }
}

impl<T, F> fmt::Debug for PoolBuilder<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolBuilder")
            .field("capacity", &self.capacity)
            .field("prefill", &self.prefill)
            .finish_non_exhaustive()
    }
}
