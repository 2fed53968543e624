//! The guards that lend an object: [`Pooled`] borrows its pool, [`OwnedPooled`] holds
//! a handle to it.

use std::fmt;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};

use crate::sync::Arc;
use crate::{Pool, Poolable};

/// An object lent by a [`Pool`]; it goes back when the guard is dropped.
///
/// Derefs to `T`. On drop the object is reset and kept by the pool (or dropped if the
/// pool is full). If the thread is panicking, the object is dropped instead of returned:
/// the panic may have left it half-written. [`Pooled::detach`] takes it out for good.
///
/// The guard borrows the pool, so the object cannot outlive it; for a `'static` guard,
/// see [`Pool::get_owned`].
///
/// # Examples
///
/// ```
/// use poolable::{Pool, Pooled};
///
/// let pool: Pool<Vec<u8>> = Pool::new();
/// let mut buffer: Pooled<'_, Vec<u8>> = pool.get();
/// buffer.extend_from_slice(b"payload");
/// assert_eq!(&buffer[..], b"payload");
/// ```
#[must_use = "a guard returns its object as soon as it is dropped; bind it to use the object"]
pub struct Pooled<'a, T: Poolable + 'static> {
    /// Always initialised; taken only in `drop` and `detach`, each of which ends the
    /// guard's life.
    value: ManuallyDrop<T>,
    pool: &'a Pool<T>,
}

/// An object lent by a pool in an [`Arc`]; `'static`, and `Send` when `T: Send`.
///
/// Made by [`Pool::get_owned`]. It behaves as [`Pooled`] does: derefs to `T`, returns the
/// object on drop (dropping it instead during a panic), and
/// [`OwnedPooled::detach`] takes it out for good. It keeps the pool alive while it lives.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use poolable::{OwnedPooled, Pool};
///
/// let pool = Arc::new(Pool::<String>::new());
/// let mut name: OwnedPooled<String> = pool.get_owned();
/// let task = std::thread::spawn(move || {
///     name.push_str("worker");
///     name.len()
/// });
/// assert_eq!(task.join().unwrap(), 6);
/// assert_eq!(pool.stats().kept, 1);
/// ```
#[must_use = "a guard returns its object as soon as it is dropped; bind it to use the object"]
pub struct OwnedPooled<T: Poolable + 'static> {
    /// Always initialised; taken only in `drop` and `detach`.
    value: ManuallyDrop<T>,
    pool: Arc<Pool<T>>,
}

impl<'a, T: Poolable + 'static> Pooled<'a, T> {
    #[inline]
    pub(crate) fn new(pool: &'a Pool<T>, value: T) -> Self {
        Pooled {
            value: ManuallyDrop::new(value),
            pool,
        }
    }

    /// Takes the object out of the pool for good: it will not be reset or returned.
    ///
    /// An associated function, so it never shadows a method of `T`.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{Pool, Pooled};
    ///
    /// let pool: Pool<String> = Pool::new();
    /// let mut greeting = pool.get();
    /// greeting.push_str("hello");
    /// let kept: String = Pooled::detach(greeting);
    /// assert_eq!(kept, "hello");
    /// assert_eq!(pool.stats().detached, 1);
    /// ```
    pub fn detach(guard: Self) -> T {
        let mut guard = ManuallyDrop::new(guard);
        guard.pool.count_detached();
        // SAFETY: `value` is initialised until it is taken, and it is taken only here and
        // in `drop`; the guard is wrapped in `ManuallyDrop`, so its `drop` never runs.
        unsafe { ManuallyDrop::take(&mut guard.value) }
    }

    /// The pool this object goes back to.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{Pool, Pooled};
    ///
    /// let pool: Pool<String> = Pool::new();
    /// let guard = pool.get();
    /// assert!(std::ptr::eq(Pooled::pool(&guard), &pool));
    /// ```
    pub fn pool(guard: &Self) -> &'a Pool<T> {
        guard.pool
    }
}

impl<T: Poolable + 'static> OwnedPooled<T> {
    #[inline]
    pub(crate) fn new(pool: Arc<Pool<T>>, value: T) -> Self {
        OwnedPooled {
            value: ManuallyDrop::new(value),
            pool,
        }
    }

    /// Takes the object out of the pool for good: it will not be reset or returned.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use poolable::{OwnedPooled, Pool};
    ///
    /// let pool = Arc::new(Pool::<Vec<u8>>::new());
    /// let bytes: Vec<u8> = OwnedPooled::detach(pool.get_owned());
    /// assert_eq!(pool.stats().detached, 1);
    /// # drop(bytes);
    /// ```
    pub fn detach(guard: Self) -> T {
        let mut guard = ManuallyDrop::new(guard);
        guard.pool.count_detached();
        // SAFETY: as in `Pooled::detach`: taken once, and the guard's `drop` never runs.
        let value = unsafe { ManuallyDrop::take(&mut guard.value) };
        // SAFETY: `pool` is initialised and, the guard being forgotten, dropped only here.
        drop(unsafe { std::ptr::read(&guard.pool) });
        value
    }

    /// The pool this object goes back to.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use poolable::{OwnedPooled, Pool};
    ///
    /// let pool = Arc::new(Pool::<String>::new());
    /// let guard = pool.get_owned();
    /// assert!(Arc::ptr_eq(OwnedPooled::pool(&guard), &pool));
    /// ```
    pub fn pool(guard: &Self) -> &Arc<Pool<T>> {
        &guard.pool
    }
}

/// The parts the two guards share: they differ only in how they hold the pool.
macro_rules! guard_impls {
    ($guard:ident $(<$lt:lifetime>)?) => {
        impl<$($lt,)? T: Poolable + 'static> Deref for $guard<$($lt,)? T> {
            type Target = T;

            #[inline]
            fn deref(&self) -> &T {
                &self.value
            }
        }

        impl<$($lt,)? T: Poolable + 'static> DerefMut for $guard<$($lt,)? T> {
            #[inline]
            fn deref_mut(&mut self) -> &mut T {
                &mut self.value
            }
        }

        impl<$($lt,)? T: Poolable + 'static> AsRef<T> for $guard<$($lt,)? T> {
            fn as_ref(&self) -> &T {
                &self.value
            }
        }

        impl<$($lt,)? T: Poolable + 'static> AsMut<T> for $guard<$($lt,)? T> {
            fn as_mut(&mut self) -> &mut T {
                &mut self.value
            }
        }

        impl<$($lt,)? T: Poolable + fmt::Debug + 'static> fmt::Debug for $guard<$($lt,)? T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&*self.value, f)
            }
        }

        impl<$($lt,)? T: Poolable + fmt::Display + 'static> fmt::Display for $guard<$($lt,)? T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&*self.value, f)
            }
        }

        /// Resets the object and returns it to the pool; drops it instead if the thread
        /// is panicking, or if its reset panics.
        impl<$($lt,)? T: Poolable + 'static> Drop for $guard<$($lt,)? T> {
            #[inline]
            fn drop(&mut self) {
                // SAFETY: `value` is initialised (only `detach` takes it, and `detach`
                // keeps this `drop` from running), and it is not used after this line.
                let value = unsafe { ManuallyDrop::take(&mut self.value) };
                self.pool.receive(value);
            }
        }
    };
}

guard_impls!(Pooled<'a>);
guard_impls!(OwnedPooled);
