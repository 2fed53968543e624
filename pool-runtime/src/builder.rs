//! [`PoolBuilder`]: a pool's capacity, factory, retention test and prefill.

use std::fmt;
use std::marker::PhantomData;

use crate::inner::{Factory, Inner, KeepIf};
use crate::sync::Arc;
use crate::{DEFAULT_CAPACITY, Pool, Poolable};

/// Configures a [`Pool`]: capacity, factory, which returned objects to keep, objects made
/// in advance.
///
/// Made by [`Pool::builder`]. Without [`factory`](PoolBuilder::factory), the pool makes
/// objects with `T::default()`.
///
/// # Examples
///
/// ```
/// let pool = poolable::Pool::<Vec<u8>>::builder().capacity(32).prefill(8).build();
/// assert_eq!((pool.capacity(), pool.stats().kept), (32, 8));
/// ```
#[must_use = "a builder does nothing until `build` makes the pool"]
pub struct PoolBuilder<T, F = DefaultFactory> {
    capacity: usize,
    prefill: usize,
    factory: F,
    keep_if: Option<KeepIf<T>>,
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
/// use poolable::{DefaultFactory, Pool, PoolBuilder};
///
/// let builder: PoolBuilder<String, DefaultFactory> = Pool::builder();
/// assert_eq!(builder.build().get().as_str(), "");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct DefaultFactory(());

impl<T: Poolable + 'static> Pool<T> {
    /// Starts a pool with a chosen capacity, factory, retention test, or objects made in
    /// advance.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = poolable::Pool::builder()
    ///     .capacity(16)
    ///     .factory(|| String::with_capacity(256))
    ///     .prefill(4)
    ///     .build();
    /// assert_eq!(pool.stats().kept, 4);
    /// ```
    #[must_use = "a builder does nothing until `build` makes the pool"]
    pub fn builder() -> PoolBuilder<T> {
        PoolBuilder {
            capacity: DEFAULT_CAPACITY,
            prefill: 0,
            factory: DefaultFactory(()),
            keep_if: None,
            _pool: PhantomData,
        }
    }
}

impl<T, F> PoolBuilder<T, F> {
    /// How many objects the pool keeps (default [`DEFAULT_CAPACITY`]), thread caches
    /// included: see the [memory bound](Pool#memory-bound). Zero is valid: such a pool
    /// keeps nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = poolable::Pool::<String>::builder().capacity(0).build();
    /// drop(pool.get());
    /// assert_eq!(pool.stats().kept, 0);
    /// ```
    #[must_use = "builder methods return the changed builder"]
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// How many objects to make now, so the first borrows reuse (at most `capacity`).
    ///
    /// Prefilled objects count as `made` and `prefilled` in [`Stats`](crate::Stats), and
    /// are kept; they are not `returned`.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = poolable::Pool::<Vec<u8>>::builder().capacity(2).prefill(5).build();
    /// let stats = pool.stats();
    /// assert_eq!((stats.kept, stats.made, stats.returned), (2, 2, 0)); // at most the capacity
    /// assert!(pool.try_get().is_some());
    /// ```
    #[must_use = "builder methods return the changed builder"]
    pub fn prefill(mut self, count: usize) -> Self {
        self.prefill = count;
        self
    }

    /// Which objects the pool keeps when they come back: after the reset, an object for
    /// which `keep_if` returns `false` is dropped instead of kept, and counted in
    /// [`Stats::dropped_refused`](crate::Stats::dropped_refused). The retention control
    /// for objects that a rare request grew too large to be worth keeping.
    ///
    /// It runs on every return and every [`put`](Pool::put), with no lock of the pool
    /// held, so it may use any pool. If it panics, the panic reaches the code that
    /// returned the object, the object is dropped and counted as `dropped_panicking`, and
    /// the pool stays usable. A pool without `keep_if` pays nothing for the feature; one
    /// with it returns objects through a slightly slower path.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = poolable::Pool::<Vec<u8>>::builder()
    ///     .keep_if(|buffer: &Vec<u8>| buffer.capacity() <= 64 * 1024)
    ///     .build();
    /// let mut huge = pool.get();
    /// huge.reserve(1 << 20);
    /// drop(huge); // too large to keep
    /// assert_eq!((pool.stats().kept, pool.stats().dropped_refused), (0, 1));
    /// ```
    #[must_use = "builder methods return the changed builder"]
    pub fn keep_if(mut self, keep_if: impl Fn(&T) -> bool + Send + Sync + 'static) -> Self {
        self.keep_if = Some(Box::new(keep_if));
        self
    }

    /// How the pool makes an object when it has none to lend.
    ///
    /// It runs with no lock of the pool held, so it may use any pool, this one included.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = poolable::Pool::builder()
    ///     .factory(|| Vec::<u8>::with_capacity(4096))
    ///     .build();
    /// assert!(pool.get().capacity() >= 4096);
    /// ```
    #[must_use = "builder methods return the changed builder"]
    pub fn factory<G>(self, factory: G) -> PoolBuilder<T, G>
    where
        G: Fn() -> T + Send + Sync + 'static,
    {
        PoolBuilder {
            capacity: self.capacity,
            prefill: self.prefill,
            factory,
            keep_if: self.keep_if,
            _pool: PhantomData,
        }
    }

    /// Makes the pool with `factory` (the builder's own, or `T::default`).
    fn finish(self, factory: Factory<T>) -> Pool<T>
    where
        T: Poolable + 'static,
    {
        let inner = Arc::new(Inner::new(self.capacity, factory, self.keep_if));
        // A `Pool` from here on, so that a panicking prefill drops it properly.
        let pool = Pool::from_inner(inner);
        pool.inner().prefill(self.prefill);
        pool
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
    /// let pool = poolable::Pool::<String>::builder().capacity(8).build();
    /// assert_eq!(pool.capacity(), 8);
    /// ```
    #[must_use = "the pool is dropped at once if not used"]
    pub fn build(self) -> Pool<T> {
        self.finish(Box::new(T::default))
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
    /// impl poolable::Poolable for Connectionless {
    ///     fn reset(&mut self) {
    ///         self.scratch.clear();
    ///     }
    /// }
    ///
    /// // Not `Default`: the factory is the only way to make one.
    /// let pool = poolable::Pool::builder()
    ///     .factory(|| Connectionless { scratch: Vec::with_capacity(64) })
    ///     .build();
    /// assert!(pool.get().scratch.capacity() >= 64);
    /// ```
    #[must_use = "the pool is dropped at once if not used"]
    pub fn build(self) -> Pool<T> {
        let PoolBuilder {
            capacity,
            prefill,
            factory,
            keep_if,
            _pool,
        } = self;
        let rest = PoolBuilder {
            capacity,
            prefill,
            factory: DefaultFactory(()),
            keep_if,
            _pool,
        };
        rest.finish(Box::new(factory))
    }
}

impl<T, F> fmt::Debug for PoolBuilder<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolBuilder")
            .field("capacity", &self.capacity)
            .field("prefill", &self.prefill)
            .field("keep_if", &self.keep_if.is_some())
            .finish_non_exhaustive()
    }
}
