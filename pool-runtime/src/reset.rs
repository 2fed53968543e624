//! The [`Poolable`] trait and its implementations for the standard library.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::ffi::OsString;
use std::marker::PhantomData;
use std::num::Wrapping;
use std::path::PathBuf;
use std::sync::atomic::{
    AtomicBool, AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicIsize, AtomicU8, AtomicU16,
    AtomicU32, AtomicU64, AtomicUsize,
};
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::Duration;

use crate::global::DefaultPoolSlot;

/// How many objects a pool keeps when nothing says otherwise: [`Pool::new`], a
/// [`Pool::builder`] given no capacity, and every default pool whose type does not set one
/// (with `#[pool(capacity = N)]` on a derive, or by overriding
/// [`Poolable::default_pool_capacity`]).
///
/// [`Pool::new`]: crate::Pool::new
/// [`Pool::builder`]: crate::Pool::builder
///
/// # Examples
///
/// ```
/// use poolable::{DEFAULT_CAPACITY, Pool};
///
/// let pool: Pool<Vec<u8>> = Pool::new();
/// assert_eq!(pool.capacity(), DEFAULT_CAPACITY);
/// ```
pub const DEFAULT_CAPACITY: usize = 1024;

/// A value that can be brought back to its fresh state and reused.
///
/// # Contract
///
/// [`reset`](Poolable::reset) must leave the value equal to a freshly made one as far as
/// any later user can observe, **while keeping the allocations it owns** so the next user
/// does not pay for them again: a `Vec` is cleared, not replaced; a `String` keeps its
/// buffer. Forgetting a field leaks one user's data to the next, which is why
/// `#[derive(Poolable)]` writes this method field by field and refuses to compile when a
/// field has no reset.
///
/// # Who should not implement it
///
/// Types that own an outside resource: files, sockets, threads, locks held, connections.
/// Resetting cannot return such a resource to a known state, so pooling them hands one
/// user's half-finished session to the next. Shared handles (`Rc`, `Arc`) and references
/// are left out for the same reason: the pool would keep someone else's data alive and
/// visible. The runtime implements the trait for none of these, and the compile error a
/// user gets when pooling one is the feature. A connection wants a connection pool.
///
/// # Examples
///
/// ```
/// use poolable::Poolable;
///
/// struct Frame {
///     pixels: Vec<u8>,
///     sequence: u64,
/// }
///
/// impl Poolable for Frame {
///     fn reset(&mut self) {
///         self.pixels.reset(); // cleared, capacity kept
///         self.sequence.reset(); // zero
///     }
/// }
///
/// let mut frame = Frame { pixels: vec![7; 4096], sequence: 9 };
/// frame.reset();
/// assert!(frame.pixels.is_empty() && frame.pixels.capacity() >= 4096);
/// assert_eq!(frame.sequence, 0);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be reset for reuse: it does not implement `Poolable`",
    label = "`{Self}` has no reset",
    note = "in a `#[derive(Poolable)]` type, mark the field `#[pool(skip)]` to keep it as is, `#[pool(reset = EXPR)]` to assign a value, or `#[pool(reset_with = PATH)]` to call `PATH(&mut field)`",
    note = "if `{Self}` is defined in this crate, derive or implement `Poolable` for it; a type of another crate cannot get the impl here (the orphan rule), so wrap it in a type of yours",
    note = "references, `Rc`, `Arc`, files, sockets and other outside resources are deliberately not `Poolable`: resetting them cannot make them fresh; `Option`, `Box`, tuples and arrays are `Poolable` when what they hold is",
    note = "a field that holds `{Self}` in an `Option` can be marked `#[pool(reset = None)]`, to let go of it on each reset"
)]
pub trait Poolable {
    /// Brings the value back to the state of a fresh one, keeping owned allocations.
    fn reset(&mut self);

    /// How many objects this type's default pool ([`global`](crate::global())) keeps.
    ///
    /// `#[derive(Poolable)]` overrides it with `#[pool(capacity = N)]`.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{Poolable, DEFAULT_CAPACITY};
    ///
    /// assert_eq!(String::default_pool_capacity(), DEFAULT_CAPACITY);
    /// ```
    fn default_pool_capacity() -> usize
    where
        Self: Sized,
    {
        DEFAULT_CAPACITY
    }

    /// Which returned objects this type's default pool keeps; `None` keeps every one.
    ///
    /// `#[derive(Poolable)]` overrides it with `#[pool(keep_if = PATH)]`. An object the
    /// test refuses is dropped on return instead of kept, and counted in [`Stats`].
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::Poolable;
    ///
    /// assert!(Vec::<u8>::default_pool_keep_if().is_none());
    /// ```
    ///
    /// [`Stats`]: crate::Stats
    fn default_pool_keep_if() -> Option<fn(&Self) -> bool>
    where
        Self: Sized,
    {
        None
    }

    /// Where this type's default pool lives, when the type can own one static.
    ///
    /// Not public API: `#[derive(Poolable)]` overrides it for non-generic types so that
    /// finding the default pool is one load instead of a map lookup. Returning the same
    /// slot for two types is caught (the pool is found by type, and a mismatch panics).
    #[doc(hidden)]
    fn __default_pool_slot() -> Option<&'static DefaultPoolSlot>
    where
        Self: Sized,
    {
        None
    }
}

// Every impl below is `#[diagnostic::do_not_recommend]`. Without it, each "`File` cannot
// be reset for reuse" error ends with ten lines listing types that are `Poolable` (`()`,
// `(A, B)`, ...), which help nobody fix the field; and an unmet bound inside a wrapper
// (`Option<File>`) is reported on the type the user wrote, with the trait's own notes.

macro_rules! reset_to_default {
    ($($ty:ty),* $(,)?) => {$(
        #[diagnostic::do_not_recommend]
        impl Poolable for $ty {
            #[inline]
            fn reset(&mut self) {
                *self = <$ty>::default();
            }
        }
    )*};
}

reset_to_default!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);
reset_to_default!(f32, f64, bool, char, (), Duration);

#[diagnostic::do_not_recommend]
impl<T: ?Sized> Poolable for PhantomData<T> {
    #[inline]
    fn reset(&mut self) {}
}

#[diagnostic::do_not_recommend]
impl<T: Default> Poolable for Wrapping<T> {
    #[inline]
    fn reset(&mut self) {
        self.0 = T::default();
    }
}

/// `String`s, `Vec`s and the other collections are cleared; the capacity they had stays.
macro_rules! reset_by_clear {
    ($($ty:ident $(<$($param:ident),*>)?),* $(,)?) => {$(
        #[diagnostic::do_not_recommend]
        impl$(<$($param),*>)? Poolable for $ty$(<$($param),*>)? {
            #[inline]
            fn reset(&mut self) {
                self.clear();
            }
        }
    )*};
}

reset_by_clear!(String, Vec<T>, VecDeque<T>, BTreeMap<K, V>, BTreeSet<T>, BinaryHeap<T>);
reset_by_clear!(LinkedList<T>, OsString);

#[diagnostic::do_not_recommend]
impl Poolable for PathBuf {
    #[inline]
    fn reset(&mut self) {
        // `PathBuf::clear` is newer than the crate's `rust-version`; this is the same.
        self.as_mut_os_string().clear();
    }
}

#[diagnostic::do_not_recommend]
impl<K, V, S> Poolable for HashMap<K, V, S> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

#[diagnostic::do_not_recommend]
impl<T, S> Poolable for HashSet<T, S> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

/// `Some` is dropped whole, so what it held goes with it. `T` must be `Poolable` all
/// the same: an `Option<File>` field is refused as a `File` field is, rather than
/// silently dropping a file on every reset. (The derive checks an `Option<Inner>` field's
/// `Inner` itself, so that the error blames `File`; the trait's last note offers
/// `#[pool(reset = None)]`.)
#[diagnostic::do_not_recommend]
impl<T: Poolable> Poolable for Option<T> {
    #[inline]
    fn reset(&mut self) {
        *self = None;
    }
}

/// The box's contents are reset in place: the heap allocation is kept.
#[diagnostic::do_not_recommend]
impl<T: Poolable + ?Sized> Poolable for Box<T> {
    #[inline]
    fn reset(&mut self) {
        (**self).reset();
    }
}

#[diagnostic::do_not_recommend]
impl<T: Poolable, const N: usize> Poolable for [T; N] {
    #[inline]
    fn reset(&mut self) {
        self.iter_mut().for_each(Poolable::reset);
    }
}

macro_rules! reset_tuple {
    ($(($($name:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($name: Poolable),+> Poolable for ($($name,)+) {
            #[inline]
            fn reset(&mut self) {
                #[allow(non_snake_case)]
                let ($($name,)+) = self;
                $($name.reset();)+
            }
        }
    )*};
}

reset_tuple! {
    (A)
    (A, B)
    (A, B, C)
    (A, B, C, D)
    (A, B, C, D, E)
    (A, B, C, D, E, F)
    (A, B, C, D, E, F, G)
    (A, B, C, D, E, F, G, H)
    (A, B, C, D, E, F, G, H, I)
    (A, B, C, D, E, F, G, H, I, J)
    (A, B, C, D, E, F, G, H, I, J, K)
    (A, B, C, D, E, F, G, H, I, J, K, L)
}

#[diagnostic::do_not_recommend]
impl<T: Copy + Default> Poolable for Cell<T> {
    #[inline]
    fn reset(&mut self) {
        *self.get_mut() = T::default();
    }
}

/// Reset through `get_mut`: `&mut self` proves nobody else holds a borrow, so no locking.
#[diagnostic::do_not_recommend]
impl<T: Poolable + ?Sized> Poolable for RefCell<T> {
    #[inline]
    fn reset(&mut self) {
        self.get_mut().reset();
    }
}

/// Reset through `get_mut`, without locking, and the poison flag cleared: a reset value is
/// as a new one to its next user, whose `lock()` must not fail because an earlier user
/// panicked. (A pool drops, rather than returns, an object whose guard was dropped during a
/// panic; a mutex can still be poisoned by a panic on another thread that held its lock.)
/// The flag is cleared only once the contents are reset, so a reset that panics leaves it.
#[diagnostic::do_not_recommend]
impl<T: Poolable + ?Sized> Poolable for Mutex<T> {
    #[inline]
    fn reset(&mut self) {
        self.get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .reset();
        self.clear_poison();
    }
}

/// Reset through `get_mut`, without locking, and the poison flag cleared, as for `Mutex`.
#[diagnostic::do_not_recommend]
impl<T: Poolable + ?Sized> Poolable for RwLock<T> {
    #[inline]
    fn reset(&mut self) {
        self.get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .reset();
        self.clear_poison();
    }
}

macro_rules! reset_atomic {
    ($($ty:ty),* $(,)?) => {$(
        #[diagnostic::do_not_recommend]
        impl Poolable for $ty {
            #[inline]
            fn reset(&mut self) {
                *self.get_mut() = Default::default();
            }
        }
    )*};
}

reset_atomic!(
    AtomicBool,
    AtomicU8,
    AtomicU16,
    AtomicU32,
    AtomicU64,
    AtomicUsize
);
reset_atomic!(AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicIsize);
