//! The pools the process knows by name: every default pool, and every pool registered
//! with [`Pool::register`]. [`trim_all`] trims them all, for a periodic timer;
//! [`for_each_pool`] reads their statistics, for metrics.
//!
//! The registry holds `Weak`s, so registering keeps no pool alive: a dropped pool is
//! skipped, and forgotten at the next registration or walk. Every walk copies the live
//! entries under the registry's lock, releases it, and only then trims or calls the
//! user's closure, so neither a `Drop` run by a trim nor the closure ever runs under it.

use std::borrow::Cow;

use crate::inner::Inner;
use crate::sync::{Arc, StaticMutex, Weak, lock_static};
use crate::{Pool, Poolable, Stats};

/// What the list of named pools needs of a pool, whatever its type.
trait NamedPool: Send + Sync {
    fn trim(self: Arc<Self>);
    fn stats(&self) -> Stats;
}

impl<T: Poolable + Send + 'static> NamedPool for Inner<T> {
    fn trim(self: Arc<Self>) {
        Inner::trim(&self);
    }

    fn stats(&self) -> Stats {
        Inner::stats(self)
    }
}

struct Entry {
    name: Cow<'static, str>,
    pool: Weak<dyn NamedPool>,
}

static NAMED_POOLS: StaticMutex<Vec<Entry>> = StaticMutex::new(Vec::new());

/// Adds `inner` under `name`, or renames it if it is there already; forgets dropped
/// pools.
fn add<T: Poolable + Send + 'static>(inner: &Arc<Inner<T>>, name: Cow<'static, str>) {
    let weak: Weak<dyn NamedPool> = Arc::downgrade(inner) as Weak<dyn NamedPool>;
    let mut registry = lock_static(&NAMED_POOLS);
    registry.retain(|entry| entry.pool.strong_count() > 0);
    match registry
        .iter_mut()
        .find(|entry| Weak::ptr_eq(&entry.pool, &weak))
    {
        Some(entry) => entry.name = name,
        None => registry.push(Entry { name, pool: weak }),
    }
}

/// Files a default pool under its type's name.
pub(crate) fn add_default<T: Poolable + Send + 'static>(pool: &Pool<T>) {
    add(pool.inner(), Cow::Borrowed(std::any::type_name::<T>()));
}

/// The live pools, copied out so that the lock is released before anything runs.
fn live() -> Vec<(Cow<'static, str>, Arc<dyn NamedPool>)> {
    let mut registry = lock_static(&NAMED_POOLS);
    registry.retain(|entry| entry.pool.strong_count() > 0);
    registry
        .iter()
        .filter_map(|entry| Some((entry.name.clone(), entry.pool.upgrade()?)))
        .collect()
}

impl<T: Poolable + Send + 'static> Pool<T> {
    /// Lists this pool under `name` for [`trim_all`] and [`for_each_pool`].
    ///
    /// The list holds no strong handle: once the pool is dropped it is skipped.
    /// Registering a pool again renames it. Default pools are listed already, under their
    /// type's name.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::Pool;
    ///
    /// let requests: Pool<Vec<u8>> = Pool::new();
    /// requests.register("requests");
    ///
    /// let mut names = Vec::new();
    /// poolable::for_each_pool(|name, _stats| names.push(name.to_owned()));
    /// assert!(names.iter().any(|name| name == "requests"));
    /// ```
    pub fn register(&self, name: impl Into<Cow<'static, str>>) {
        add(self.inner(), name.into());
    }
}

/// Trims every default pool and every registered pool: see [`Pool::trim`].
///
/// Call it periodically (every few seconds, say) and each pool shrinks back after a burst:
/// what sat idle for a whole period between two calls is dropped, what the workload
/// keeps using stays, by the rule stated once in [`Pool::trim`]. It acts at once on each
/// pool's shared queue and every thread's cache, and makes no cache on the calling
/// thread. Pools dropped meanwhile are skipped.
///
/// # Panics
///
/// When a trimmed object's `Drop` panics; the pools stay usable, and pools after it in
/// the list are not trimmed this time.
///
/// # Examples
///
/// ```
/// use poolable::Pool;
///
/// let pool: Pool<String> = Pool::new();
/// pool.register("lines");
/// let burst: Vec<_> = (0..10).map(|_| pool.get()).collect();
/// drop(burst);
/// poolable::trim_all(); // all ten were lent in this period: kept
/// poolable::trim_all(); // and none since: dropped
/// assert_eq!(pool.stats().kept, 0);
/// ```
pub fn trim_all() {
    for (_, pool) in live() {
        pool.trim();
    }
}

/// Calls `f` with the name and a [`Stats`] snapshot of every default pool (named by
/// [`std::any::type_name`] of its type) and every registered pool, in the order they
/// were listed. Pools dropped meanwhile are skipped.
///
/// `f` runs with no lock of the runtime held, so it may use any pool.
///
/// # Examples
///
/// ```
/// drop(poolable::global::<Vec<u32>>().get());
///
/// let mut found = None;
/// poolable::for_each_pool(|name, stats| {
///     if name == std::any::type_name::<Vec<u32>>() {
///         found = Some(stats.made);
///     }
/// });
/// assert!(found.is_some());
/// ```
pub fn for_each_pool(mut f: impl FnMut(&str, Stats)) {
    for (name, pool) in live() {
        let stats = pool.stats();
        f(&name, stats);
    }
}
