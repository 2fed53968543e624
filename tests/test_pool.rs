//! Single-threaded behaviour of `Pool`: lending, bounded retention, capacity 0, the
//! builder, `try_get`, `put`, `detach`, statistics, `clear` and `trim`.

mod tracked;

use std::sync::Arc;

use poolable::{OwnedPooled, Pool, Pooled, Stats};
use tracked::{Ledger, Tracked, assert_balanced};

fn tracked_pool(capacity: usize, ledger: &Arc<Ledger>) -> Pool<Tracked> {
    Pool::builder()
        .capacity(capacity)
        .factory(ledger.factory())
        .build()
}

#[test]
fn smoke() {
    let pool: Pool<Vec<u8>> = Pool::with_capacity(4);
    let mut buffer = pool.get();
    buffer.extend_from_slice(b"first user");
    let address = buffer.as_ptr();
    drop(buffer);

    let buffer = pool.get();
    assert!(buffer.is_empty(), "the last user's data must be gone");
    assert!(buffer.capacity() >= 10, "the allocation must be kept");
    assert_eq!(buffer.as_ptr(), address, "the same object must be reused");
    drop(buffer);

    let stats = pool.stats();
    assert_eq!((stats.made, stats.reused, stats.returned), (1, 1, 2));
    assert_eq!((stats.kept, stats.out), (1, 0));
    assert_balanced(&stats);
}

#[test]
fn reused_objects_were_reset_when_returned() {
    let ledger = Ledger::new(16);
    let pool = tracked_pool(8, &ledger);
    for _ in 0..10 {
        let mut object = pool.get();
        object.claim(); // flags a missed reset
        object.release();
    }
    assert_eq!(ledger.made(), 1);
    assert_eq!(ledger.resets(), 10, "each return resets once");
    ledger.assert_clean();
}

#[test]
fn capacity() {
    // Capacities whose per-thread cache (a quarter of the capacity, at most
    // `THREAD_CACHE_MAX`) is empty, small and full, so that both the thread cache and the
    // shared queue fill up.
    for capacity in [1, 3, 64, 65, 100] {
        let ledger = Ledger::new(1024);
        let pool = tracked_pool(capacity, &ledger);
        assert_eq!(pool.capacity(), capacity);
        let held: Vec<_> = (0..capacity + 7).map(|_| pool.get()).collect();
        assert_eq!(pool.stats().out as usize, capacity + 7);
        drop(held);

        let stats = pool.stats();
        assert_eq!(stats.kept as usize, capacity, "capacity {capacity}");
        assert_eq!(stats.dropped_full, 7, "capacity {capacity}");
        assert_eq!(
            ledger.alive(),
            capacity,
            "the extra objects must really be dropped"
        );
        assert_balanced(&stats);

        // Everything kept can be lent again, and no more.
        let again: Vec<_> = std::iter::from_fn(|| pool.try_get()).collect();
        assert_eq!(again.len(), capacity);
        drop(again);
        drop(pool);
        ledger.assert_all_dropped();
    }
}

#[test]
fn zero_capacity() {
    let ledger = Ledger::new(64);
    let pool = Pool::builder()
        .capacity(0)
        .prefill(5)
        .factory(ledger.factory())
        .build();
    assert_eq!(pool.capacity(), 0);
    assert_eq!(ledger.made(), 0, "prefill is bounded by the capacity");

    let mut object = pool.get();
    object.claim();
    object.release();
    drop(object);
    assert_eq!(ledger.alive(), 0, "a pool of capacity 0 keeps nothing");
    assert!(pool.try_get().is_none());

    pool.put(ledger.make());
    assert_eq!(ledger.alive(), 0);

    let pool = Arc::new(pool);
    drop(pool.get_owned());
    assert!(pool.try_get_owned().is_none());
    let detached = OwnedPooled::detach(pool.get_owned());
    pool.clear();
    pool.trim();

    let stats = pool.stats();
    assert_eq!(stats.kept, 0);
    assert_eq!((stats.made, stats.put, stats.dropped_full), (3, 1, 3));
    assert_eq!(stats.detached, 1);
    assert_balanced(&stats);
    drop(detached);
    drop(pool);
    ledger.assert_all_dropped();
}

#[test]
fn len_empty_full() {
    // The pool's "length" is `stats().kept`: it grows with each return up to the
    // capacity, stays there, and shrinks with each reuse down to zero.
    let pool: Pool<String> = Pool::with_capacity(5);
    assert_eq!(pool.stats().kept, 0);
    let held: Vec<_> = (0..8).map(|_| pool.get()).collect();
    for (returned, guard) in held.into_iter().enumerate() {
        drop(guard);
        assert_eq!(pool.stats().kept as usize, (returned + 1).min(5));
    }
    let mut lent = Vec::new();
    for left in (0..5).rev() {
        lent.push(pool.try_get().expect("kept objects are lent"));
        assert_eq!(pool.stats().kept, left);
    }
    assert!(pool.try_get().is_none(), "empty");
    drop(lent);
    assert_eq!(pool.stats().kept, 5, "full again");
    assert_balanced(&pool.stats());
}

#[test]
fn builder_prefill() {
    let ledger = Ledger::new(64);
    let pool = Pool::builder()
        .capacity(6)
        .prefill(4)
        .factory(ledger.factory())
        .build();
    assert_eq!(ledger.made(), 4);
    let stats = pool.stats();
    assert_eq!((stats.made, stats.kept, stats.out), (4, 4, 0));
    assert_balanced(&stats);

    let lent: Vec<_> = std::iter::from_fn(|| pool.try_get()).collect();
    assert_eq!(
        lent.len(),
        4,
        "prefilled objects are lent without the factory"
    );
    assert_eq!(ledger.made(), 4);
    drop(lent);

    let over = Pool::<u8>::builder().capacity(3).prefill(10).build();
    assert_eq!(over.stats().kept, 3, "prefill is capped at the capacity");

    let defaults = Pool::<Vec<u8>>::builder().build();
    assert_eq!(defaults.capacity(), poolable::DEFAULT_CAPACITY);
    assert_eq!(
        Pool::<Vec<u8>>::default().capacity(),
        poolable::DEFAULT_CAPACITY
    );
    assert!(format!("{:?}", Pool::<u8>::builder().capacity(2)).contains("capacity: 2"));
}

#[test]
fn try_get_never_makes() {
    let ledger = Ledger::new(8);
    let pool = Arc::new(tracked_pool(4, &ledger));
    assert!(pool.try_get().is_none());
    assert!(pool.try_get_owned().is_none());
    assert_eq!(ledger.made(), 0);

    drop(pool.get());
    let first = pool.try_get().expect("one kept");
    assert!(pool.try_get().is_none());
    drop(first);
    let owned = pool.try_get_owned().expect("kept again");
    drop(owned);
    assert_eq!(ledger.made(), 1);
    let stats = pool.stats();
    assert_eq!((stats.made, stats.reused), (1, 2));
    assert_balanced(&stats);
}

#[test]
fn put_resets_and_keeps() {
    let ledger = Ledger::new(16);
    let pool = tracked_pool(2, &ledger);
    let mut outside = ledger.make();
    outside.claim();
    outside.release();
    outside.payload.reserve(1000);
    pool.put(outside);
    assert_eq!(ledger.resets(), 1);

    let mut reused = pool.get();
    reused.claim(); // would flag it if put did not reset it
    assert!(
        reused.payload.capacity() >= 1000,
        "put keeps the allocation"
    );
    reused.release();
    drop(reused);

    pool.put(ledger.make());
    pool.put(ledger.make()); // the pool is full now: dropped
    assert_eq!(ledger.alive(), 2);
    let stats = pool.stats();
    assert_eq!((stats.put, stats.dropped_full, stats.kept), (3, 1, 2));
    assert_eq!(
        stats.made, 0,
        "values from elsewhere are not counted as made"
    );
    assert_balanced(&stats);
    drop(pool);
    ledger.assert_all_dropped();
}

#[test]
fn detach_takes_the_object_for_good() {
    let ledger = Ledger::new(16);
    let pool = Arc::new(tracked_pool(4, &ledger));
    let mut guard = pool.get();
    guard.claim();
    let object: Tracked = Pooled::detach(guard);
    assert!(object.dirty, "a detached object is not reset");
    assert_eq!(ledger.resets(), 0);

    let owned: Tracked = OwnedPooled::detach(pool.get_owned());
    assert_eq!(
        Arc::strong_count(&pool),
        1,
        "detach releases the owned guard's handle"
    );

    let stats = pool.stats();
    assert_eq!((stats.detached, stats.kept, stats.out), (2, 0, 0));
    assert_balanced(&stats);

    drop(pool);
    assert_eq!(ledger.alive(), 2, "detached objects outlive their pool");
    object.release();
    drop((object, owned));
    ledger.assert_all_dropped();
}

#[test]
fn stats_add_up() {
    let ledger = Ledger::new(64);
    let pool = Arc::new(tracked_pool(3, &ledger));
    let a = pool.get(); // made
    let b = pool.get(); // made
    let c = pool.get_owned(); // made
    let d = pool.get(); // made
    drop((a, b, c)); // returned x3, kept 3
    drop(d); // returned, dropped full
    let e = pool.get(); // reused
    let f = pool.try_get().unwrap(); // reused
    Pooled::detach(f); // detached (dropped here by us)
    drop(e); // returned
    pool.put(ledger.make()); // put, kept 3
    pool.put(ledger.make()); // put, dropped full
    pool.clear(); // dropped cleared x3

    let stats = pool.stats();
    assert_eq!(
        (stats.made, stats.reused, stats.returned, stats.put),
        (4, 2, 5, 2)
    );
    assert_eq!(
        (
            stats.dropped_full,
            stats.dropped_panicking,
            stats.dropped_cleared
        ),
        (2, 0, 3)
    );
    assert_eq!((stats.detached, stats.kept, stats.out), (1, 0, 0));
    assert_balanced(&stats);
    assert_eq!(stats.dropped(), 5);
    assert_eq!(stats.hit_rate(), 2.0 / 6.0);
    assert_eq!(ledger.alive(), 0);
    let text = stats.to_string();
    assert!(
        text.contains("made 4") && text.contains("cleared 3"),
        "{text}"
    );
    assert!(format!("{pool:?}").contains("capacity: 3"));
}

#[test]
fn clear_drops_what_is_kept_not_what_is_lent() {
    for capacity in [4, 100] {
        let ledger = Ledger::new(256);
        let pool = tracked_pool(capacity, &ledger);
        let mut held: Vec<_> = (0..capacity).map(|_| pool.get()).collect();
        let lent = held.split_off(capacity / 2);
        drop(held); // the first half is returned and kept
        let kept = pool.stats().kept;
        assert!(kept > 0);

        pool.clear();
        let stats = pool.stats();
        assert_eq!(stats.kept, 0);
        assert_eq!(stats.dropped_cleared, kept);
        assert_eq!(
            ledger.alive(),
            lent.len(),
            "cleared objects are really dropped"
        );
        assert!(pool.try_get().is_none());

        // Objects out on loan come back as usual.
        let out = lent.len();
        drop(lent);
        assert_eq!(pool.stats().kept as usize, out);
        assert_balanced(&pool.stats());
        drop(pool);
        ledger.assert_all_dropped();
    }
}

#[test]
fn trim_drops_what_sat_idle_for_a_whole_period() {
    let ledger = Ledger::new(64);
    let pool = tracked_pool(16, &ledger);
    let held: Vec<_> = (0..6).map(|_| pool.get()).collect();
    drop(held);

    // The first trim: all six were lent since the pool was made, so all stay.
    pool.trim();
    assert_eq!(pool.stats().kept, 6);

    // A workload of two at a time survives every trim; the other four go at the first
    // trim after a period in which they were not lent.
    for period in 0..4 {
        let two = (pool.get(), pool.get());
        drop(two);
        pool.trim();
        assert_eq!(pool.stats().kept, 2, "after period {period}");
        assert_eq!(ledger.alive(), 2);
    }
    let stats = pool.stats();
    assert_eq!(stats.dropped_cleared, 4);
    assert_balanced(&stats);

    // A period with no use at all drops everything.
    pool.trim();
    assert_eq!(pool.stats().kept, 0);
    assert_eq!(ledger.alive(), 0);
    drop(pool);
    ledger.assert_all_dropped();
}

#[test]
fn trim_drops_prefilled_objects_never_lent() {
    let ledger = Ledger::new(64);
    let pool = Pool::builder()
        .capacity(8)
        .prefill(5)
        .factory(ledger.factory())
        .build();
    drop(pool.get()); // one prefilled object is used
    pool.trim();
    assert_eq!(
        pool.stats().kept,
        1,
        "the four never lent go at the first trim"
    );
    assert_eq!(ledger.alive(), 1);
    assert_balanced(&pool.stats());
}

#[test]
fn trim_in_a_large_pool_reaches_the_shared_queue() {
    // 100 objects: 25 fit the thread's cache, the rest wait in the shared queue.
    let ledger = Ledger::new(256);
    let pool = tracked_pool(100, &ledger);
    let held: Vec<_> = (0..100).map(|_| pool.get()).collect();
    drop(held);
    pool.trim(); // all were lent in the first period
    assert_eq!(pool.stats().kept, 100);
    pool.trim(); // none was lent in the second
    assert_eq!(pool.stats().kept, 0);
    assert_eq!(ledger.alive(), 0);
    assert_balanced(&pool.stats());
}

#[test]
fn dropping_the_pool_drops_what_it_keeps() {
    let ledger = Ledger::new(256);
    let pool = tracked_pool(100, &ledger);
    let held: Vec<_> = (0..100).map(|_| pool.get()).collect();
    drop(held);
    assert_eq!(ledger.alive(), 100);
    drop(pool);
    ledger.assert_all_dropped();
}

#[test]
fn an_owned_guard_keeps_its_pool_alive() {
    let ledger = Ledger::new(8);
    let pool = Arc::new(tracked_pool(4, &ledger));
    let guard = pool.get_owned();
    assert!(Arc::ptr_eq(OwnedPooled::pool(&guard), &pool));
    drop(pool);
    assert_eq!(ledger.alive(), 1);
    drop(guard); // returned to the pool, which then goes with the last handle
    ledger.assert_all_dropped();
}

#[test]
fn guards_forward_to_the_object() {
    let pool: Pool<String> = Pool::new();
    let mut guard = pool.get();
    guard.push_str("abc");
    guard.as_mut().push('d');
    assert_eq!(guard.as_ref(), "abcd");
    assert_eq!(format!("{guard}|{guard:?}"), "abcd|\"abcd\"");
    assert!(std::ptr::eq(Pooled::pool(&guard), &pool));
    drop(guard);

    let pool = Arc::new(pool);
    let mut owned = pool.get_owned();
    owned.push_str("xy");
    assert_eq!(
        format!("{owned}|{owned:?}|{}", owned.as_ref()),
        "xy|\"xy\"|xy"
    );
}

#[test]
fn pools_do_not_share_objects() {
    // Pool ids are reused after a pool is dropped; a new pool under a reused id must not
    // see the old pool's cached objects.
    for _ in 0..3 {
        let old: Pool<Vec<u8>> = Pool::with_capacity(4);
        old.get().extend_from_slice(b"old");
        drop(old);
        let new: Pool<Vec<u8>> = Pool::with_capacity(4);
        assert!(new.try_get().is_none());
        assert_eq!(new.stats(), Stats::default());
    }
    let a: Pool<Vec<u8>> = Pool::with_capacity(4);
    let b: Pool<Vec<u8>> = Pool::with_capacity(4);
    drop(a.get());
    assert!(b.try_get().is_none());
    assert!(a.try_get().is_some());
}

#[test]
fn drops() {
    // Random mixes of borrows, returns and reuses: at every step the objects alive are
    // exactly those kept plus those held, and dropping the pool drops each object ever
    // made exactly once.
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n) as usize
    };
    for _ in 0..tracked::scaled(60, 6) {
        let ledger = Ledger::new(512);
        let capacity = 1 + next(100);
        let pool = tracked_pool(capacity, &ledger);
        let mut held = Vec::new();
        for _ in 0..next(200) {
            match next(5) {
                0 | 1 => held.push(pool.get()),
                2 | 3 => drop(held.pop()),
                _ => held.extend(pool.try_get()),
            }
            let kept = pool.stats().kept as usize;
            assert!(kept <= capacity);
            assert_eq!(ledger.alive(), kept + held.len());
        }
        drop(held);
        assert_eq!(ledger.alive() as u64, pool.stats().kept);
        assert_balanced(&pool.stats());
        drop(pool);
        ledger.assert_all_dropped();
    }
}

#[test]
fn keep_if_drops_what_it_refuses_and_counts_it() {
    let pool = Pool::<Vec<u8>>::builder()
        .capacity(8)
        .keep_if(|buffer: &Vec<u8>| buffer.capacity() <= 1024)
        .build();
    let mut small = pool.get();
    small.reserve(16);
    let mut huge = pool.get();
    huge.reserve(1 << 16);
    drop((small, huge));
    pool.put(Vec::with_capacity(1 << 16)); // `put` is tested too
    pool.put(Vec::with_capacity(8));
    let stats = pool.stats();
    assert_eq!(
        (stats.returned, stats.put, stats.dropped_refused, stats.kept),
        (2, 2, 2, 2),
        "{stats}"
    );
    assert_eq!(stats.dropped(), 2);
    assert_balanced(&stats);
    // What was kept is what passed.
    let kept: Vec<_> = std::iter::from_fn(|| pool.try_get()).collect();
    assert!(kept.iter().all(|buffer| buffer.capacity() <= 1024));
}

#[test]
fn keep_if_sees_the_object_after_its_reset() {
    let ledger = Ledger::new(16);
    let pool = Pool::builder()
        .capacity(4)
        .factory(ledger.factory())
        .keep_if(|object: &Tracked| !object.dirty)
        .build();
    for _ in 0..5 {
        let mut object = pool.get();
        object.claim(); // dirties it; the reset cleans it
        object.release();
    }
    let stats = pool.stats();
    assert_eq!((stats.made, stats.reused, stats.dropped_refused), (1, 4, 0));
    ledger.assert_clean();
}

#[test]
fn prefilled_objects_are_made_and_kept_not_returned() {
    let pool = Pool::<String>::builder().capacity(16).prefill(10).build();
    drop(pool.get());
    let stats = pool.stats();
    assert_eq!(
        (stats.made, stats.prefilled, stats.reused, stats.returned),
        (10, 10, 1, 1),
        "{stats}"
    );
    assert_eq!((stats.kept, stats.out), (10, 0));
    assert_balanced(&stats);
}

#[test]
fn two_snapshots_give_one_phases_counts() {
    let pool: Pool<Vec<u8>> = Pool::with_capacity(8);
    let warm_up: Vec<_> = (0..4).map(|_| pool.get()).collect();
    drop(warm_up);
    let warm = pool.stats();
    for _ in 0..10 {
        let held: Vec<_> = (0..4).map(|_| pool.get()).collect();
        drop(held);
    }
    let phase = pool.stats().since(&warm);
    assert_eq!((phase.made, phase.reused, phase.returned), (0, 40, 40));
    assert_eq!(phase.hit_rate(), 1.0);
    assert_eq!(phase.kept, 4, "levels are the later snapshot's");
    assert_eq!(phase, pool.stats() - warm);
}

/// The bound stated in `Pool`'s docs, with as many threads as the test can hold at once
/// filling their caches and the shared queue.
#[test]
fn the_memory_bound_holds_with_many_threads() {
    let capacities: &[usize] = if cfg!(miri) {
        &[0, 3, 16]
    } else {
        &[0, 3, 16, 100, 1000]
    };
    for &capacity in capacities {
        let ledger = Ledger::new(64 * 1024);
        let pool = Arc::new(tracked_pool(capacity, &ledger));
        let threads = 6;
        let barrier = Arc::new(std::sync::Barrier::new(threads + 1));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (pool, barrier) = (Arc::clone(&pool), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    // Each thread borrows more than the capacity and returns it all.
                    let held: Vec<_> = (0..capacity + 10).map(|_| pool.get()).collect();
                    drop(held);
                    barrier.wait(); // all returned; caches full
                    barrier.wait(); // checked
                })
            })
            .collect();
        barrier.wait();
        let stats = pool.stats();
        // The bound of `Pool`'s docs: the capacity, whatever the number of threads.
        assert!(
            stats.kept as usize <= capacity,
            "capacity {capacity}: {stats}"
        );
        assert_eq!(ledger.alive() as u64, stats.kept, "capacity {capacity}");
        if capacity == 0 {
            assert_eq!(stats.kept, 0, "capacity 0 keeps nothing anywhere");
        }
        barrier.wait();
        for handle in handles {
            handle.join().unwrap();
        }
        // The exited threads' caches went to the shared queue, bounded by it.
        assert!(pool.stats().kept as usize <= capacity);
        assert_eq!(ledger.alive() as u64, pool.stats().kept);
        assert_balanced(&pool.stats());
    }
}
