//! Models: an object handed between threads, thread exit with a full cache, `clear` and
//! `trim` racing with returns, a pool dropped while threads exit, the capacity bound
//! after contention, `stats` during thread exit, an idle thread's cache never starving a
//! working thread, a dropped pool taking other threads' caches with it, a taker racing
//! with an active owner, and `trim` and `clear` reaching an active cache.
//!
//! Pools here have capacity 8 unless said otherwise: thread caches of up to 2
//! (`per_thread_max(8)`) in front of the shared queue, all within the 8.

use std::sync::Arc;

use loom::thread;

use super::{
    assert_at_rest, assert_balanced, borrow_and_return, pool_of, run_model, spawn_exiting,
};
use crate::Pooled;

/// The capacity of the models' pools: thread caches of up to 2.
const CAPACITY: usize = 8;

/// Borrowed on one thread, returned on another, while the first borrows again.
#[test]
fn loom_owned_guard_handed_to_another_thread() {
    run_model(|| {
        let (pool, books) = pool_of(CAPACITY);
        let mut guard = pool.get_owned();
        guard.claim();
        let returner = spawn_exiting(move || {
            guard.release();
            drop(guard); // returned on this thread, which then exits
        });
        borrow_and_return(&pool); // may reuse what the other thread returns
        returner.join().unwrap();
        assert_at_rest(&pool, &books);
    });
}

/// A thread caches objects and exits: its cache goes back to the shared queue, racing
/// with another thread's borrows.
#[test]
fn loom_thread_exit_gives_its_cache_back() {
    run_model(|| {
        let (pool, books) = pool_of(CAPACITY);
        let worker = {
            let pool = Arc::clone(&pool);
            spawn_exiting(move || {
                let (mut a, mut b) = (pool.get(), pool.get());
                a.claim();
                b.claim();
                a.release();
                b.release();
            }) // both cached by this thread, then given back as it exits
        };
        borrow_and_return(&pool);
        worker.join().unwrap();
        assert_at_rest(&pool, &books);
    });
}

/// The real thread exit, by loom's destruction of the thread's locals, which may run
/// while the joining thread already uses the pool again: objects must never be lent
/// twice, whatever the interleaving (the payloads check it).
#[test]
fn loom_thread_locals_destroyed_while_the_pool_is_used() {
    run_model(|| {
        let (pool, _books) = pool_of(CAPACITY);
        let worker = {
            let pool = Arc::clone(&pool);
            thread::spawn(move || borrow_and_return(&pool))
        };
        worker.join().unwrap();
        borrow_and_return(&pool); // races with the worker's cache going back
        borrow_and_return(&pool);
    });
}

/// `clear` on one thread while another returns an object and then uses the pool again
/// (catching up with the clear, or not, depending on the order), then exits.
#[test]
fn loom_clear_races_with_a_return() {
    run_model(|| {
        let (pool, books) = pool_of(CAPACITY);
        let worker = {
            let pool = Arc::clone(&pool);
            spawn_exiting(move || {
                borrow_and_return(&pool);
                if let Some(mut again) = pool.try_get() {
                    again.claim();
                    again.release();
                }
            })
        };
        pool.clear();
        worker.join().unwrap();
        assert_at_rest(&pool, &books);
    });
}

/// Two trims on one thread while another borrows and returns: whatever the order, the
/// books balance and nothing is lent twice.
#[test]
fn loom_trim_races_with_returns() {
    run_model(|| {
        let (pool, books) = pool_of(CAPACITY);
        borrow_and_return(&pool); // one kept here, so the trims have something to do
        let worker = {
            let pool = Arc::clone(&pool);
            spawn_exiting(move || {
                borrow_and_return(&pool);
                borrow_and_return(&pool);
            })
        };
        pool.trim();
        pool.trim();
        worker.join().unwrap();
        assert_at_rest(&pool, &books);
    });
}

/// The last handle to a pool is dropped while threads holding caches of it exit: every
/// object is dropped exactly once, whoever finishes last.
#[test]
fn loom_pool_dropped_while_threads_exit() {
    run_model(|| {
        let (pool, books) = pool_of(CAPACITY);
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let pool = Arc::clone(&pool);
                spawn_exiting(move || {
                    borrow_and_return(&pool);
                    drop(pool);
                })
            })
            .collect();
        drop(pool);
        for worker in workers {
            worker.join().unwrap();
        }
        assert_eq!(books.alive(), 0, "objects outlived their pool");
    });
}

/// Two threads compete for one pool. Once they exit, nothing is lost or duplicated: the
/// exited thread's cache went to the shared queue, and one thread alone can keep exactly
/// `capacity` objects and drops the next.
#[test]
fn loom_the_bound_holds_after_contention() {
    run_model(|| {
        let (pool, books) = pool_of(CAPACITY);
        let worker = {
            let pool = Arc::clone(&pool);
            spawn_exiting(move || {
                let (mut a, mut b) = (pool.get(), pool.get());
                a.claim();
                b.claim();
                a.release();
                b.release();
            })
        };
        borrow_and_return(&pool);
        worker.join().unwrap();
        assert_at_rest(&pool, &books);

        pool.clear();
        let before = pool.stats();
        let fresh: Vec<_> = (0..CAPACITY + 1)
            .map(|_| Pooled::detach(pool.get()))
            .collect();
        for object in fresh {
            pool.put(object);
        }
        let after = pool.stats();
        assert_eq!(after.kept as usize, CAPACITY, "{after:?}");
        assert_eq!(after.dropped_full - before.dropped_full, 1, "{after:?}");
        assert_balanced(&after);
    });
}

/// `stats` read while a thread works and exits (its counts fold into the pool's): a
/// snapshot taken mid-flight may lag, and its counts need not agree with each other (the
/// counters are relaxed: a return may be seen before the borrow it ends, as `Stats`
/// documents), but no event is ever counted twice, and at rest the counts are exact.
#[test]
fn loom_stats_during_thread_exit() {
    run_model(|| {
        let (pool, books) = pool_of(CAPACITY);
        let worker = {
            let pool = Arc::clone(&pool);
            spawn_exiting(move || borrow_and_return(&pool))
        };
        let stats = pool.stats();
        assert!(stats.made <= 1 && stats.returned <= 1, "{stats:?}");
        assert!(stats.kept <= 1 && stats.out <= 1, "{stats:?}");
        worker.join().unwrap();
        assert_eq!(pool.stats().made, 1);
        assert_at_rest(&pool, &books);
    });
}

/// A thread fills its cache and then idles (does not exit) while another thread works:
/// the working thread's second borrow reuses what it returned, whatever the interleaving.
/// Under the old credit scheme the idle cache could hold the credits the worker needed.
#[test]
fn loom_an_idle_cache_never_starves_a_working_thread() {
    run_model(|| {
        let (pool, books) = pool_of(4); // a thread cache of 1
        let (idle_done, idle_wait) = loom::sync::mpsc::channel::<()>();
        let (wake, sleep) = loom::sync::mpsc::channel::<()>();
        let idle = {
            let pool = Arc::clone(&pool);
            spawn_exiting(move || {
                drop(pool.get()); // cached here: the shared queue stays empty, so the
                // working thread can reuse it only by reaching into this cache
                idle_done.send(()).unwrap();
                sleep.recv().unwrap(); // idle, holding its cache
            })
        };
        idle_wait.recv().unwrap();
        let before = pool.stats();
        borrow_and_return(&pool);
        borrow_and_return(&pool);
        let phase = pool.stats().since(&before);
        assert_eq!(phase.made, 0, "the working thread reuses: {phase:?}");
        wake.send(()).unwrap();
        idle.join().unwrap();
        assert_at_rest(&pool, &books);
    });
}

/// A pool is dropped while another thread holds a cache of it: the pool reaches that
/// cache and drops its objects with itself, exactly once, while the other thread goes
/// on with a pool of the same type.
#[test]
fn loom_a_dropped_pool_takes_other_threads_caches_with_it() {
    run_model(|| {
        let (pool, books) = pool_of(CAPACITY);
        let (cached, wait_cached) = loom::sync::mpsc::channel::<()>();
        let (other, other_books) = pool_of(CAPACITY);
        let worker = {
            let pool = Arc::clone(&pool);
            spawn_exiting(move || {
                borrow_and_return(&pool);
                drop(pool);
                cached.send(()).unwrap();
                borrow_and_return(&other); // races with the drop below
                drop(other);
            })
        };
        wait_cached.recv().unwrap();
        drop(pool); // the last handle: the worker's cached object goes now
        assert_eq!(books.alive(), 0, "the other thread's cached object went");
        worker.join().unwrap();
        assert_eq!(other_books.alive(), 0);
    });
}

/// A borrower whose cache and the shared queue are empty takes the object another
/// thread cached, while that thread borrows and returns it on its fast path: the
/// protocol of `local.rs` (loom's `UnsafeCell` reports the two inside at once, the
/// payload an object lent twice).
#[test]
fn loom_a_taker_and_an_active_owner_never_meet() {
    run_model(|| {
        let (pool, books) = pool_of(4); // a thread cache of 1
        borrow_and_return(&pool); // cached here
        let taker = {
            let pool = Arc::clone(&pool);
            spawn_exiting(move || borrow_and_return(&pool))
        };
        borrow_and_return(&pool); // the owner's fast path, racing with the taker
        taker.join().unwrap();
        assert_at_rest(&pool, &books);
    });
}

/// `trim` and `clear` on one thread reach another thread's cache while its owner
/// returns into it.
#[test]
fn loom_trim_and_clear_reach_an_active_cache() {
    run_model(|| {
        let (pool, books) = pool_of(4);
        let (cached, wait_cached) = loom::sync::mpsc::channel::<()>();
        let owner = {
            let pool = Arc::clone(&pool);
            spawn_exiting(move || {
                borrow_and_return(&pool);
                cached.send(()).unwrap();
                borrow_and_return(&pool); // races with the trims and the clear
            })
        };
        wait_cached.recv().unwrap();
        pool.trim();
        pool.clear();
        owner.join().unwrap();
        assert_at_rest(&pool, &books);
        assert!(pool.stats().kept <= 1);
    });
}
