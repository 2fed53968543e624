//! Compile-time facts about the public types: `Pool<T>` is `Send + Sync` exactly when
//! `T: Send`; which guards are `Send` and `Sync`; `Pool`, `Pooled` and `OwnedPooled` are
//! unwind-safe where `T` is, so `catch_unwind(|| pool.get().len())` compiles. The
//! negative cases ("not `Send` when `T` is not") are `compile_fail` doctests on `Pool`.

use std::cell::Cell;
use std::panic::{RefUnwindSafe, UnwindSafe, catch_unwind};
use std::sync::Arc;

use poolable::{OwnedPooled, Pool, PoolBuilder, Pooled, Stats};

fn send<T: Send>() {}
fn sync<T: Sync>() {}
fn unwind_safe<T: UnwindSafe + RefUnwindSafe>() {}

/// A type that is `Send` but not `Sync`.
#[derive(Default)]
struct SendOnly(Cell<u8>);

impl poolable::Poolable for SendOnly {
    fn reset(&mut self) {
        self.0.set(0);
    }
}

#[test]
fn send_and_sync() {
    send::<Pool<Vec<u8>>>();
    sync::<Pool<Vec<u8>>>();
    // `T: Send` is enough for the pool: it never shares a `&T` between threads.
    send::<Pool<SendOnly>>();
    sync::<Pool<SendOnly>>();
    send::<Arc<Pool<SendOnly>>>();

    send::<Pooled<'static, Vec<u8>>>();
    sync::<Pooled<'static, Vec<u8>>>();
    send::<Pooled<'static, SendOnly>>();
    send::<OwnedPooled<Vec<u8>>>();
    sync::<OwnedPooled<Vec<u8>>>();
    send::<OwnedPooled<SendOnly>>();

    send::<PoolBuilder<Vec<u8>>>();
    send::<Stats>();
    sync::<Stats>();
}

#[test]
fn unwind_safety() {
    unwind_safe::<Pool<Vec<u8>>>();
    unwind_safe::<Pooled<'static, Vec<u8>>>();
    unwind_safe::<OwnedPooled<Vec<u8>>>();

    let pool: Pool<Vec<u8>> = Pool::with_factory(|| vec![1, 2, 3]);
    assert_eq!(catch_unwind(|| pool.get().len()).unwrap(), 3);
    let guard = pool.get(); // the same object, reset: empty, capacity kept
    assert!(catch_unwind(|| guard.capacity()).unwrap() >= 3);
    let shared = Arc::new(Pool::<String>::new());
    let owned = shared.get_owned();
    assert!(catch_unwind(move || owned.is_empty()).unwrap());
}
