//! Helpers that exist for their error messages: generated code goes through them so
//! that a mistake is reported in the words of this crate, at the user's token, rather
//! than as an unmet bound deep in the runtime.
//!
//! Not public API: reached only through `poolable::__private`.

use crate::{NewPooled, Pool, Poolable, ReuseMap, ReuseVec, global};

/// A type that may have a process-wide default pool: `Send + 'static`.
///
/// The blanket impl is `do_not_recommend`, so an unmet bound is reported as this trait's
/// message, on the type the user wrote, instead of as "`Rc<Config>` cannot be sent
/// between threads safely ... required by a bound in `global`".
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot have a default pool: default pools are process-wide, so the type must be `Send + 'static`",
    label = "not `Send`, or not `'static`",
    note = "every thread of the process shares `{Self}`'s default pool; make the type `Send` (`Arc` for `Rc`, `Mutex` for `RefCell`, an atomic for `Cell`), or name a pool of your own with `#[pooled(pool = EXPR)]`: a field of `self`, another parameter, or a local `Pool`"
)]
pub trait ProcessWide: Send + 'static {}

#[diagnostic::do_not_recommend]
impl<T: Send + 'static> ProcessWide for T {}

/// [`global`], with its bounds checked one by one so each unmet one reads as its own
/// message: `#[pooled]` borrows from the default pool through this.
#[inline]
pub fn default_pool<T: Poolable + NewPooled + ProcessWide>() -> &'static Pool<T> {
    global::<T>()
}

/// What `#[pool(shrink_to = N)]` calls when the field's type has no `shrink_to` method
/// of its own: [`ShrinkTo::shrink_for_attribute`], which the reuse collections implement
/// (their cap is `shrink_spares_to`, named apart from std's `shrink_to`, which takes a
/// capacity) and no other type does, so for any other type the call is an error that
/// names the attribute and the types it is for. A type with an inherent `shrink_to`
/// (`Vec`, `String`, a user's own type) never gets here: inherent methods win over trait
/// methods.
pub trait ShrinkToFallback {
    /// [`ShrinkTo::shrink_for_attribute`]; an error for a type that is not `ShrinkTo`.
    fn shrink_to(&mut self, min_capacity: usize)
    where
        Self: ShrinkTo;
}

impl<T: ?Sized> ShrinkToFallback for T {
    #[inline]
    fn shrink_to(&mut self, min_capacity: usize)
    where
        Self: ShrinkTo,
    {
        self.shrink_for_attribute(min_capacity);
    }
}

/// Implemented by the reuse collections only: the bound that makes
/// [`ShrinkToFallback::shrink_to`] an error with this message for every other type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no `shrink_to`: `#[pool(shrink_to = N)]` is for collections that can give back capacity",
    label = "no `shrink_to(usize)` method",
    note = "`shrink_to` is for `Vec`, `String`, `VecDeque`, `HashMap`, `HashSet`, `BinaryHeap`, `OsString`, `PathBuf`, the reuse collections, and any type with a `shrink_to(usize)` method of its own"
)]
pub trait ShrinkTo {
    /// What `#[pool(shrink_to = N)]` does to a field of this type after its reset.
    fn shrink_for_attribute(&mut self, limit: usize);
}

// `do_not_recommend`: the error above should list the types in its note, not these.
#[diagnostic::do_not_recommend]
impl<T> ShrinkTo for ReuseVec<T> {
    /// At most `spares` spares kept: [`ReuseVec::shrink_spares_to`].
    #[inline]
    fn shrink_for_attribute(&mut self, spares: usize) {
        self.shrink_spares_to(spares);
    }
}

#[diagnostic::do_not_recommend]
impl<K, V, S> ShrinkTo for ReuseMap<K, V, S> {
    /// At most `spares` spare entries kept: [`ReuseMap::shrink_spares_to`].
    #[inline]
    fn shrink_for_attribute(&mut self, spares: usize) {
        self.shrink_spares_to(spares);
    }
}
