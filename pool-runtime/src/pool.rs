//! [`Pool`]: the public face of a pool. How it lends and receives objects is in
//! `inner.rs`, the thread caches in `local.rs`, the shared queue and the capacity's
//! credits in `shared.rs`, the builder in `builder.rs`.

use std::fmt;
use std::panic::{RefUnwindSafe, UnwindSafe};

use crate::guard::{OwnedPooled, Pooled};
use crate::inner::Inner;
use crate::sync::Arc;
use crate::{DEFAULT_CAPACITY, Poolable, Stats};

/// A bounded, thread-safe pool of reusable objects.
///
/// [`get`](Pool::get) lends an object, reused or new; dropping the guard resets the
/// object and keeps it for the next borrower, unless the pool is full, in which case it
/// is dropped: a burst never becomes a permanent footprint.
///
/// Each thread keeps a few objects of each pool in a cache of its own, in front of a
/// queue shared by all threads, so a thread that borrows and returns touches no memory
/// another thread writes. The pool can reach every thread's cache: a thread that finds
/// nothing to reuse takes what idle threads cached, and [`trim`](Pool::trim),
/// [`clear`](Pool::clear) and [`trim_all`](crate::trim_all) act on every cache. A thread
/// that exits leaves its cached objects to the pool.
///
/// # Memory bound
///
/// **A pool keeps at most [`capacity`](Pool::capacity) objects, counting its shared queue
/// and every thread's cache together, however many threads use it; objects on loan are
/// not counted, and a returned object with no room left is dropped.**
///
/// (Each kept object holds one of `capacity` credits, which move between the shared
/// queue and the thread caches but are never made; a capacity of 0 keeps nothing
/// anywhere.)
///
/// An empty pool allocates a small fixed header. Its shared queue is preallocated when
/// its slots are few and small (so the shared path never allocates) and grows in blocks
/// otherwise, so a large capacity costs nothing until objects are kept.
///
/// # Examples
///
/// ```
/// use poolable::Pool;
///
/// let pool: Pool<String> = Pool::with_capacity(8);
/// let mut line = pool.get();
/// line.push_str("GET /index.html");
/// drop(line); // reset (cleared, capacity kept) and kept
///
/// let line = pool.get();
/// assert!(line.is_empty() && line.capacity() >= 15);
/// ```
///
/// # Threads and panics
///
/// `Pool<T>` is `Send` and `Sync` exactly when `T: Send` (it moves objects between
/// threads, and never shares a `&T` between them). A pool of a type that cannot cross
/// threads cannot either:
///
/// ```compile_fail,E0277
/// fn shared_between_threads<P: Send + Sync>(_: &P) {}
/// let pool: poolable::Pool<std::rc::Rc<u8>> = unimplemented!();
/// shared_between_threads(&pool);
/// ```
///
/// A guard is `Send` when `T: Send` and `Sync` when `T: Sync`:
///
/// ```compile_fail,E0277
/// fn shared_between_threads<G: Sync>(_: &G) {}
/// let pool: poolable::Pool<std::cell::Cell<u8>> = poolable::Pool::new();
/// shared_between_threads(&pool.get());
/// ```
///
/// A pool is built to survive panics, so it is `UnwindSafe` and `RefUnwindSafe` where
/// `T` is, and so are its guards:
///
/// ```
/// let pool: poolable::Pool<Vec<u8>> = poolable::Pool::new();
/// assert_eq!(std::panic::catch_unwind(|| pool.get().len()).unwrap(), 0);
/// ```
pub struct Pool<T: 'static> {
    inner: Arc<Inner<T>>,
}

// SAFETY: a `Pool<T>` is an `Arc<Inner<T>>`, and `inner.rs` asserts at compile time
// that `Inner<T>` is `Send + Sync` when `T: Send` (its queue holds `T`s
// that any thread may take out: hence `T: Send`; it never hands out `&T` to two threads,
// so `T: Sync` is not needed). Stating it here stops a user's error at `Pool<T>` instead
// of walking through crossbeam's queue and our private types.
unsafe impl<T: Send> Send for Pool<T> {}
// SAFETY: as for `Send`: every method takes `&self` and moves `T`s between threads only.
unsafe impl<T: Send> Sync for Pool<T> {}

/// A pool is built to survive panics: a panic in a factory, reset, `keep_if` or `Drop`,
/// or in code holding a guard, leaves it usable with its counts right (see `Pooled`), so
/// observing it after a caught panic is fine.
impl<T: RefUnwindSafe> RefUnwindSafe for Pool<T> {}
impl<T: UnwindSafe> UnwindSafe for Pool<T> {}

impl<T: Poolable + Default + 'static> Pool<T> {
    /// A pool that makes objects with `T::default()` and keeps up to
    /// [`DEFAULT_CAPACITY`] of them.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: poolable::Pool<Vec<u8>> = poolable::Pool::new();
    /// assert_eq!(pool.capacity(), poolable::DEFAULT_CAPACITY);
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
    /// let pool: poolable::Pool<String> = poolable::Pool::with_capacity(2);
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
    /// let pool = poolable::Pool::with_factory(|| Vec::<u8>::with_capacity(4096));
    /// assert!(pool.get().capacity() >= 4096);
    /// ```
    pub fn with_factory(factory: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Pool::builder().factory(factory).build()
    }

    pub(crate) fn from_inner(inner: Arc<Inner<T>>) -> Self {
        Pool { inner }
    }

    /// The most objects this pool keeps, however many threads use it: see the
    /// [memory bound](Pool#memory-bound).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(poolable::Pool::<String>::with_capacity(3).capacity(), 3);
    /// ```
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// How many objects each thread's cache keeps at most: a quarter of the capacity, at
    /// most [`THREAD_CACHE_MAX`](crate::THREAD_CACHE_MAX). They count against the
    /// capacity like any kept object (see the [memory bound](Pool#memory-bound)).
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::Pool;
    ///
    /// assert_eq!(Pool::<String>::with_capacity(3).thread_cache_capacity(), 0);
    /// assert_eq!(Pool::<String>::with_capacity(16).thread_cache_capacity(), 4);
    /// assert_eq!(Pool::<String>::with_capacity(1 << 20).thread_cache_capacity(), 64);
    /// ```
    pub fn thread_cache_capacity(&self) -> usize {
        self.inner.per_thread()
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
    /// let pool: poolable::Pool<Vec<u32>> = poolable::Pool::new();
    /// let mut numbers = pool.get();
    /// numbers.extend([1, 2, 3]);
    /// assert_eq!(numbers.len(), 3);
    /// ```
    // Always: a borrow is the pool's hottest call, and inlined into the caller it costs
    // 11 instructions fewer per round trip in callgrind (128 against 139), and its
    // result is built in place rather than copied out.
    #[inline(always)]
    pub fn get(&self) -> Pooled<'_, T> {
        Pooled::new(self, self.inner.lend())
    }

    /// Lends an object this pool kept, or `None` without making one.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: poolable::Pool<String> = poolable::Pool::new();
    /// assert!(pool.try_get().is_none());
    /// drop(pool.get());
    /// assert!(pool.try_get().is_some());
    /// ```
    #[inline]
    #[must_use = "the object goes straight back to the pool if the guard is not used"]
    pub fn try_get(&self) -> Option<Pooled<'_, T>> {
        let value = self.inner.lend_kept()?;
        Some(Pooled::new(self, value))
    }

    /// Resets `value` and keeps it, exactly as a returned guard's object is kept: up to
    /// the capacity, and dropped if the pool is full.
    ///
    /// # Panics
    ///
    /// When `value`'s reset panics; the value is dropped and the pool stays usable.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: poolable::Pool<Vec<u8>> = poolable::Pool::with_capacity(4);
    /// pool.put(vec![1, 2, 3]);
    /// let reused = pool.get();
    /// assert!(reused.is_empty() && reused.capacity() >= 3);
    /// ```
    pub fn put(&self, value: T) {
        self.inner.put(value);
    }

    /// A snapshot of what this pool has done; see [`Stats`].
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: poolable::Pool<String> = poolable::Pool::new();
    /// let held = pool.get();
    /// assert_eq!(pool.stats().out, 1);
    /// drop(held);
    /// assert_eq!(pool.stats().kept, 1);
    /// ```
    pub fn stats(&self) -> Stats {
        self.inner.stats()
    }

    /// Drops every object the pool keeps, in the shared queue and in every thread's
    /// cache, now.
    ///
    /// Objects out on loan are not affected; they come back as usual. It makes no cache
    /// on the calling thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: poolable::Pool<String> = poolable::Pool::new();
    /// drop(pool.get());
    /// pool.clear();
    /// assert_eq!(pool.stats().kept, 0);
    /// assert!(pool.try_get().is_none());
    /// ```
    pub fn clear(&self) {
        self.inner.clear();
    }

    /// Gives back what the period since the previous `trim` did not need.
    ///
    /// **The rule: for the shared queue and for each thread's cache, `trim` drops as many
    /// objects as that place kept all through the period (its low-water mark), the
    /// oldest first; so the pool keeps what the workload needed at once, not every object
    /// it happened to lend.** Lending one object at a time, even a different one each
    /// time, needs one; a burst of ten needs ten until a period passes without it. The
    /// first period starts when the pool is made (prefilled objects count as kept).
    ///
    /// This is a count, not a mark on each object: marking which objects were lent would
    /// cost every borrow a write, and what a period needed at once is the memory it
    /// actually used. Calling it periodically lets a pool shrink back after a burst, the
    /// role Go's garbage collector plays for `sync.Pool`, here under the caller's control.
    /// It acts on every thread's cache at once (they are reached as [`clear`](Pool::clear)
    /// reaches them) and makes no cache on the calling thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: poolable::Pool<String> = poolable::Pool::new();
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
        self.inner.trim();
    }

    /// The state this pool's threads share.
    pub(crate) fn inner(&self) -> &Arc<Inner<T>> {
        &self.inner
    }

    /// Gives a guard's object back; see [`Pooled`]'s drop.
    #[inline]
    pub(crate) fn receive(&self, value: T) {
        self.inner.receive(value);
    }

    /// Takes a guard's object out of the pool's accounting for good.
    pub(crate) fn count_detached(&self) {
        self.inner.count_detached();
    }
}

impl<T: Poolable + 'static> Pool<T> {
    /// Lends an object through a guard that owns a handle to the pool: `'static`, and
    /// `Send` when `T: Send`, for spawned threads and async tasks.
    ///
    /// It takes `&Arc<Self>` and clones the handle, where tokio's `lock_owned` and
    /// sharded-slab's `create_owned` take `Arc<Self>`: the guard needs a strong count of
    /// its own either way, and the usual caller keeps its `Arc` (a server's shared
    /// state), so taking `Arc<Self>` would only move the same clone to every call site as
    /// `Arc::clone(&pool).get_owned()`. [`OwnedPooled::pool`] gives that handle back as
    /// `&Arc<Pool<T>>`, so a task can borrow more from the same pool.
    ///
    /// # Panics
    ///
    /// When the factory panics; the pool stays usable.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use poolable::Pool;
    ///
    /// let pool: Arc<Pool<Vec<u8>>> = Arc::new(Pool::new());
    /// let mut buffer = pool.get_owned();
    /// std::thread::spawn(move || buffer.extend_from_slice(b"filled elsewhere"))
    ///     .join()
    ///     .unwrap();
    /// assert_eq!(pool.stats().returned, 1);
    /// ```
    pub fn get_owned(self: &Arc<Self>) -> OwnedPooled<T> {
        OwnedPooled::new(Arc::clone(self), self.inner.lend())
    }

    /// Like [`get_owned`](Pool::get_owned), but only reuses: `None` when nothing is kept.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let pool = Arc::new(poolable::Pool::<String>::new());
    /// assert!(pool.try_get_owned().is_none());
    /// ```
    #[must_use = "the object goes straight back to the pool if the guard is not used"]
    pub fn try_get_owned(self: &Arc<Self>) -> Option<OwnedPooled<T>> {
        let value = self.inner.lend_kept()?;
        Some(OwnedPooled::new(Arc::clone(self), value))
    }
}

/// Prints the capacity and a [`Stats`] snapshot. Reading the stats takes this pool's
/// lock on its list of thread counters (not the default-pool registry), as
/// [`Pool::stats`] does: `Debug` is not a hot path, and that lock guards no user code,
/// so formatting a pool from anywhere, a `Drop` included, cannot deadlock.
impl<T: Poolable + 'static> fmt::Debug for Pool<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("capacity", &self.capacity())
            .field("thread_cache_capacity", &self.thread_cache_capacity())
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}
