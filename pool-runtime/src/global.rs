//! Process-wide default pools, one per type, made on first use.
//!
//! Rust has no generic statics, so a default pool is found one of two ways:
//!
//! - A type derived with `#[derive(Poolable)]` and no type parameters owns a static
//!   [`DefaultPoolSlot`] (the derive overrides `Poolable::__default_pool_slot`). Finding the
//!   pool is then one load and one type check.
//! - Every other type (`Vec<u8>`, generic user types) is found by [`TypeId`] in a registry
//!   behind a lock, with a per-thread memo in front of it so that the lock is taken once
//!   per thread and type, not once per call.
//!
//! Default pools live for the rest of the process: they are leaked on purpose, which is
//! what makes `&'static Pool<T>` possible. Each keeps at most
//! [`Poolable::default_pool_capacity`] objects (thread caches included, see [`Pool`]), so
//! what is leaked is bounded. Each is listed for [`trim_all`](crate::trim_all) and
//! [`for_each_pool`](crate::for_each_pool) under its type's name.
//!
//! # No user code under a lock
//!
//! Making a default pool calls user code: [`Poolable::default_pool_capacity`] and
//! [`Poolable::default_pool_keep_if`] (which may themselves ask for other default pools,
//! `global::<String>().capacity() / 2` say). So the pool is made first, with no lock held,
//! and only then offered to the slot or registry, under the lock, which runs nothing but
//! the insertion. Two threads that race to make the same type's pool may both call those
//! functions; one pool wins and the other is dropped, empty, after the lock is released.
//! (A type whose capacity asks for its own default pool recurses without end: there is
//! no pool to give it yet.)

use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::{Pool, Poolable};

/// How a type's default pool makes a new object.
///
/// Implemented for every `T: Default`. `#[derive(Poolable)]` with `#[pool(new = EXPR)]`
/// implements it for types that are not `Default` (a type that is `Default` uses
/// `Default`, so `new` and `Default` on one type conflict).
///
/// # Examples
///
/// ```
/// use poolable::{NewPooled, Poolable};
///
/// struct Socketless {
///     buffer: Vec<u8>,
/// }
///
/// impl Poolable for Socketless {
///     fn reset(&mut self) {
///         self.buffer.clear();
///     }
/// }
///
/// impl NewPooled for Socketless {
///     fn new_pooled() -> Self {
///         Socketless { buffer: Vec::with_capacity(4096) }
///     }
/// }
///
/// let object = poolable::global::<Socketless>().get();
/// assert!(object.buffer.capacity() >= 4096);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no default pool: nothing says how to make a new one",
    label = "no `Default` impl and no `#[pool(new = ...)]`",
    note = "derive or implement `Default` for `{Self}`, or give the derive `#[pool(new = EXPR)]`; in `#[pooled]`, name a pool instead with `#[pooled(pool = EXPR)]`"
)]
pub trait NewPooled: Sized {
    /// Makes a fresh object for the default pool.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::NewPooled;
    ///
    /// // Every `Default` type makes its objects with `Default`.
    /// assert_eq!(<Vec<u8> as NewPooled>::new_pooled(), Vec::<u8>::new());
    /// ```
    fn new_pooled() -> Self;
}

impl<T: Default> NewPooled for T {
    #[inline]
    fn new_pooled() -> Self {
        T::default()
    }
}

/// A default pool, its type erased: `&'static Pool<T>` for the `T` it is filed under.
type ErasedPool = &'static (dyn Any + Send + Sync);

/// The static a non-generic derived type keeps its default pool in.
///
/// Not public API; `#[derive(Poolable)]` emits one per type.
#[doc(hidden)]
#[derive(Debug)]
pub struct DefaultPoolSlot(OnceLock<ErasedPool>);

impl DefaultPoolSlot {
    /// An empty slot, filled on the first call to [`global`].
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        DefaultPoolSlot(OnceLock::new())
    }
}

/// The process-wide default pool of `T`, made on first use.
///
/// It keeps at most [`Poolable::default_pool_capacity`] objects and makes new ones with
/// [`NewPooled`] (`Default`, or the derive's `#[pool(new = EXPR)]`). `#[pooled]` borrows
/// from it when no pool is named.
///
/// # Examples
///
/// ```
/// let mut line = poolable::global::<String>().get();
/// line.push_str("hello");
/// drop(line); // cleared and kept for the next caller on this thread
///
/// assert_eq!(poolable::global::<String>().get().as_str(), "");
/// ```
#[inline]
pub fn global<T: Poolable + NewPooled + Send + 'static>() -> &'static Pool<T> {
    match T::__default_pool_slot() {
        Some(slot) => match slot.0.get() {
            Some(pool) => downcast(*pool),
            None => from_new_slot::<T>(slot),
        },
        None => from_recent_types::<T>(),
    }
}

/// Makes `T`'s default pool: runs the user's `default_pool_capacity` and
/// `default_pool_keep_if`, so it must be called with no lock held.
fn make<T: Poolable + NewPooled + Send + 'static>() -> Pool<T> {
    let builder = Pool::builder()
        .capacity(T::default_pool_capacity())
        .factory(T::new_pooled);
    match T::default_pool_keep_if() {
        Some(keep_if) => builder.keep_if(keep_if).build(),
        None => builder.build(),
    }
}

/// Leaks the pool that won the race to be `T`'s default, and lists it.
fn adopt<T: Poolable + NewPooled + Send + 'static>(pool: Pool<T>) -> ErasedPool {
    let pool: &'static Pool<T> = Box::leak(Box::new(pool));
    crate::registry::add_default(pool);
    pool
}

#[cold]
fn from_new_slot<T: Poolable + NewPooled + Send + 'static>(
    slot: &'static DefaultPoolSlot,
) -> &'static Pool<T> {
    let mut made = Some(make::<T>());
    // `get_or_init` runs only the closure below under the slot's lock: no user code.
    let pool = *slot
        .0
        .get_or_init(|| adopt(made.take().expect("made above")));
    drop(made); // lost the race: an empty pool, dropped with no lock held
    downcast(pool)
}

#[inline]
fn downcast<T: 'static>(pool: ErasedPool) -> &'static Pool<T> {
    match pool.downcast_ref::<Pool<T>>() {
        Some(pool) => pool,
        None => panic!(
            "the default pool slot of `{}` holds another type's pool: \
             `__default_pool_slot` must return a slot of its own",
            std::any::type_name::<T>()
        ),
    }
}

/// `TypeId` is already a hash; hashing it again would only cost time.
#[derive(Default)]
struct TypeIdHasher(u64);

impl Hasher for TypeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 ^= value;
    }
}

type TypeMap = HashMap<TypeId, ErasedPool, BuildHasherDefault<TypeIdHasher>>;

static DEFAULT_POOLS_BY_TYPE: OnceLock<Mutex<TypeMap>> = OnceLock::new();

/// Each thread's memo of the pools it has looked up: a small direct-mapped table in
/// front of a map, so that a hot loop finds its pool without hashing or locking.
const RECENT_SLOTS: usize = 16;

thread_local! {
    static RECENT: [Cell<Option<(TypeId, ErasedPool)>>; RECENT_SLOTS] =
        const { [const { Cell::new(None) }; RECENT_SLOTS] };
    static MEMO: RefCell<TypeMap> = RefCell::new(TypeMap::default());
}

#[inline]
fn recent_slot(id: TypeId) -> usize {
    let mut hasher = TypeIdHasher::default();
    id.hash(&mut hasher);
    hasher.finish() as usize % RECENT_SLOTS
}

#[inline]
fn from_recent_types<T: Poolable + NewPooled + Send + 'static>() -> &'static Pool<T> {
    let id = TypeId::of::<T>();
    let slot = recent_slot(id);
    let recent = RECENT.try_with(|recent| recent[slot].get());
    if let Ok(Some((seen, pool))) = recent
        && seen == id
    {
        debug_assert!(pool.is::<Pool<T>>());
        let pool: *const (dyn Any + Send + Sync) = pool;
        // SAFETY: every entry of `RECENT`, like every entry of `MEMO` and `DEFAULT_POOLS_BY_TYPE` it is
        // copied from, pairs a `TypeId` with the pool made for that type: pools are made
        // only in `from_type_map::<T>`, by `make::<T>`, a `Pool<T>`, and filed under
        // its `id`, which is `TypeId::of::<T>()` (`from_recent_types` computes it, `from_memo`
        // passes it on). `seen` is `T`'s, so `pool` is a `Pool<T>`; it is leaked, so it
        // lives for `'static`. The cast skips `downcast_ref`'s type check, a call through
        // the vtable whose 16-byte result stalls the caller (see `local::Slot`).
        return unsafe { &*pool.cast::<Pool<T>>() };
    }
    from_memo::<T>(id, slot)
}

#[cold]
fn from_memo<T: Poolable + NewPooled + Send + 'static>(
    id: TypeId,
    slot: usize,
) -> &'static Pool<T> {
    let memo = MEMO.try_with(|memo| memo.borrow().get(&id).copied());
    let pool = match memo {
        Ok(Some(pool)) => pool,
        _ => {
            let pool = from_type_map::<T>(id);
            // A thread being torn down has no memo left; it still gets the pool.
            let _ = MEMO.try_with(|memo| memo.borrow_mut().insert(id, pool));
            pool
        }
    };
    let _ = RECENT.try_with(|recent| recent[slot].set(Some((id, pool))));
    downcast(pool)
}

#[cold]
fn from_type_map<T: Poolable + NewPooled + Send + 'static>(id: TypeId) -> ErasedPool {
    debug_assert_eq!(id, TypeId::of::<T>());
    let registry = DEFAULT_POOLS_BY_TYPE.get_or_init(Default::default);
    let lock = || registry.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(pool) = lock().get(&id) {
        return *pool;
    }
    // User code (the capacity, the keep_if) runs here, with no lock held.
    let made = make::<T>();
    let mut map = lock();
    if let Some(pool) = map.get(&id) {
        let pool = *pool;
        drop(map);
        drop(made); // lost the race: an empty pool, dropped with no lock held
        return pool;
    }
    let pool = adopt(made);
    map.insert(id, pool);
    pool
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pool_per_type() {
        let first: *const Pool<Vec<u16>> = global::<Vec<u16>>();
        let second: *const Pool<Vec<u16>> = global::<Vec<u16>>();
        assert_eq!(first, second);
        let other = global::<Vec<u32>>() as *const Pool<Vec<u32>> as *const ();
        assert_ne!(first as *const (), other);
    }

    #[test]
    fn every_thread_sees_the_same_pool() {
        let here = global::<Vec<i64>>() as *const Pool<Vec<i64>> as usize;
        let there = std::thread::spawn(|| global::<Vec<i64>>() as *const Pool<Vec<i64>> as usize)
            .join()
            .unwrap();
        assert_eq!(here, there);
    }

    struct Slotted(u8);

    impl Poolable for Slotted {
        fn reset(&mut self) {
            self.0 = 0;
        }

        fn default_pool_capacity() -> usize {
            3
        }

        fn __default_pool_slot() -> Option<&'static DefaultPoolSlot> {
            static SLOT: DefaultPoolSlot = DefaultPoolSlot::new();
            Some(&SLOT)
        }
    }

    impl NewPooled for Slotted {
        fn new_pooled() -> Self {
            Slotted(9)
        }
    }

    /// More types than `RECENT` has slots, looked up in turns, so that they evict each
    /// other: each lookup must still find its own type's pool (a mismatch would trip the
    /// `debug_assert` before the unchecked cast, or the checks here).
    #[test]
    fn types_sharing_a_recent_slot_each_find_their_own_pool() {
        struct Marker<const N: usize>(usize);

        impl<const N: usize> Poolable for Marker<N> {
            fn reset(&mut self) {
                self.0 = N;
            }
        }

        impl<const N: usize> Default for Marker<N> {
            fn default() -> Self {
                Marker(N)
            }
        }

        fn check<const N: usize>() -> usize {
            let pool = global::<Marker<N>>();
            assert!(std::ptr::eq(pool, global::<Marker<N>>()));
            let marker = pool.get();
            assert_eq!(marker.0, N);
            pool as *const Pool<Marker<N>> as usize
        }

        for _ in 0..3 {
            let pools = [
                check::<0>(),
                check::<1>(),
                check::<2>(),
                check::<3>(),
                check::<4>(),
                check::<5>(),
                check::<6>(),
                check::<7>(),
                check::<8>(),
                check::<9>(),
                check::<10>(),
                check::<11>(),
                check::<12>(),
                check::<13>(),
                check::<14>(),
                check::<15>(),
                check::<16>(),
                check::<17>(),
                check::<18>(),
                check::<19>(),
            ];
            let mut distinct = pools.to_vec();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), pools.len());
        }
    }

    #[test]
    fn a_slotted_type_keeps_its_pool_in_its_slot() {
        let pool = global::<Slotted>();
        assert_eq!(pool.capacity(), 3);
        assert_eq!(pool.get().0, 9);
        assert!(std::ptr::eq(pool, global::<Slotted>()));
    }
}
