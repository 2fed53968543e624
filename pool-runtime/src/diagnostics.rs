//! Helpers that exist for their error messages: generated code goes through them so
//! that a mistake is reported in the words of this crate, at the user's token, rather
//! than as an unmet bound deep in the runtime.
//!
//! Not public API: reached only through `poolable::__private`.

use crate::{NewPooled, Pool, Poolable, global};

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

/// What `#[pool(shrink_to = N)]` calls when the field's type has no `shrink_to` method
/// of its own: nothing, and it returns [`NoShrinkTo`], for which [`ShrinkTo`] holds for no
/// field, so the check the derive emits after the call is an error that names the
/// attribute and the types it is for. A type with an inherent `shrink_to` (`Vec`,
/// `String`, the reuse collections, a user's own type) never gets here: inherent methods
/// win over trait methods, and theirs return `()`.
pub trait ShrinkToFallback {
    /// Does nothing; the derive's check then refuses its result.
    #[inline]
    fn shrink_to(&mut self, _min_capacity: usize) -> NoShrinkTo {
        NoShrinkTo
    }
}

impl<T: ?Sized> ShrinkToFallback for T {}

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
