//! Helpers that exist for their error messages: generated code goes through them so
//! that a mistake is reported in the words of this crate, at the user's token, rather
//! than as an unmet bound deep in the runtime.
//!
//! Not public API: reached only through `poolable::__private`.

use crate::{NewPooled, Pool, Poolable, ReuseMap, ReuseVec, global};

/// A type that may have a process-wide default pool: `Send + 'static`.
///
/// A bound of [`HasDefaultPool`]'s impl. Its blanket impl is `do_not_recommend`, so when a
/// type is not `Send`, rustc's help under [`HasDefaultPool`]'s message is one line, "the
/// trait `ProcessWide` is not implemented for `Session`", at the user's type, rather than
/// a chain of "required because it appears within the type" notes.
pub trait ProcessWide: Send + 'static {}

#[diagnostic::do_not_recommend]
impl<T: Send + 'static> ProcessWide for T {}

/// Each type's default pool, reached through a trait whose impl carries the bounds:
/// `#[pooled]` calls `<T as HasDefaultPool>::default_pool()`, spanned at the `T` the user
/// wrote. An unmet bound reads as this trait's message, with the bound that failed as
/// rustc's help (`Default`, [`ProcessWide`], `Poolable`) and no note pointing into this file, as a
/// bounded function's "required by a bound in ..." would.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no default pool for `#[pooled]` to borrow from",
    label = "no default pool for `{Self}`",
    note = "a type's default pool needs the type to be `Poolable`, a way to make one (`Default`, or the derive's `#[pool(new = EXPR)]`), and `Send + 'static` (default pools are process-wide)",
    note = "or name a pool of your own with `#[pooled(pool = EXPR)]`: a field of `self`, another parameter, or a local `Pool`"
)]
pub trait HasDefaultPool: Sized {
    /// [`global::<Self>()`](global()).
    fn default_pool() -> &'static Pool<Self>;
}

impl<T: Poolable + NewPooled + ProcessWide> HasDefaultPool for T {
    #[inline]
    fn default_pool() -> &'static Pool<T> {
        global::<T>()
    }
}

/// What `#[pool(shrink_to = N)]` calls on the reuse collections: their spares cap,
/// `shrink_spares_to`, named apart from std's `shrink_to` (which takes a capacity) so a
/// user calling it by hand is not misled, but what the attribute means for them.
///
/// The derive calls `field.shrink_to(N)` on the field's `&mut F`. Method lookup tries
/// receivers of type `&mut F` before `&mut &mut F`: an inherent `shrink_to` (`Vec`,
/// `String`, a user's own type) or this trait's (receiver `&mut ReuseVec<T>`) is found
/// first, and [`ShrinkToFallback`] (implemented for `&mut F`, so its receiver is
/// `&mut &mut F`) only when neither exists.
pub trait ShrinkSpares {
    /// At most `spares` spares kept.
    fn shrink_to(&mut self, spares: usize);
}

impl<T> ShrinkSpares for ReuseVec<T> {
    /// [`ReuseVec::shrink_spares_to`].
    #[inline]
    fn shrink_to(&mut self, spares: usize) {
        self.shrink_spares_to(spares);
    }
}

impl<K, V, S> ShrinkSpares for ReuseMap<K, V, S> {
    /// [`ReuseMap::shrink_spares_to`].
    #[inline]
    fn shrink_to(&mut self, spares: usize) {
        self.shrink_spares_to(spares);
    }
}

/// What `#[pool(shrink_to = N)]` calls when the field's type has no `shrink_to` method
/// of its own and is no reuse collection: nothing, and it returns [`NoShrinkTo`], for
/// which [`ShrinkTo`] holds for no field, so the check the derive emits after the call is
/// an error that names the attribute and the types it is for. Implemented for `&mut F`,
/// so that every other `shrink_to` wins over it (see [`ShrinkSpares`]).
pub trait ShrinkToFallback {
    /// Does nothing; the derive's check then refuses its result.
    #[inline]
    fn shrink_to(&mut self, _min_capacity: usize) -> NoShrinkTo {
        NoShrinkTo
    }
}

impl<T: ?Sized> ShrinkToFallback for &mut T {}

/// What [`ShrinkToFallback::shrink_to`] returns: the field had no `shrink_to` of its own.
#[derive(Debug)]
pub struct NoShrinkTo;

/// Holds when `#[pool(shrink_to = N)]` on a `Field` called a `shrink_to` of the field's
/// own, which returns `()`; the derive checks it with `ShrinkTo::<Field>::check(&result)`.
/// A direct trait obligation at the attribute, rather than a bound on a method, so the
/// error quotes nothing of this file.
#[diagnostic::on_unimplemented(
    message = "`{Field}` has no `shrink_to`: `#[pool(shrink_to = N)]` is for collections that can give back capacity",
    label = "no `shrink_to(usize)` method",
    note = "`shrink_to` is for `Vec`, `String`, `VecDeque`, `HashMap`, `HashSet`, `BinaryHeap`, `OsString`, `PathBuf`, the reuse collections, and any type with a `shrink_to(&mut self, usize)` method of its own"
)]
pub trait ShrinkTo<Field: ?Sized> {
    /// Nothing to do: that it compiles is the check.
    #[inline]
    fn check(&self) {}
}

#[diagnostic::do_not_recommend]
impl<Field: ?Sized> ShrinkTo<Field> for () {}
