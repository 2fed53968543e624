//! The memory bound of `Pool`'s docs, and that no thread's cache is out of reach: many
//! idle threads, bursts, exiting threads, working threads reusing what idle threads
//! cached, `trim_all` reaching idle caches, and `put` filling a pool to its capacity.
//!
//! Objects are counted by their own constructor and `Drop` (a static per test), not by
//! the pool's statistics, so a pool that under-counts what it keeps cannot pass.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;

use poolable::{Pool, Poolable};

/// A pooled object that counts the live objects of its family `N`.
struct Counted<const N: usize>;

/// Live objects per family; one family per test, so tests running alongside do not mix.
static LIVE: [AtomicUsize; 8] = [const { AtomicUsize::new(0) }; 8];

impl<const N: usize> Default for Counted<N> {
    fn default() -> Self {
        LIVE[N].fetch_add(1, Ordering::SeqCst);
        Counted
    }
}

impl<const N: usize> Drop for Counted<N> {
    fn drop(&mut self) {
        LIVE[N].fetch_sub(1, Ordering::SeqCst);
    }
}

impl<const N: usize> Poolable for Counted<N> {
    fn reset(&mut self) {}
}

fn live<const N: usize>() -> usize {
    LIVE[N].load(Ordering::SeqCst)
}

/// Iterations scaled down under Miri, which runs code thousands of times slower.
fn scaled(native: usize, miri: usize) -> usize {
    if cfg!(miri) { miri } else { native }
}

/// Starts `threads` threads that each run `work` on the pool and then sleep until the
/// returned sender is dropped; returns once every one has done its work.
fn sleepers<T: Poolable + Send + 'static>(
    pool: &Arc<Pool<T>>,
    threads: usize,
    work: impl Fn(&Pool<T>) + Send + Sync + 'static,
) -> (mpsc::Sender<()>, Vec<thread::JoinHandle<()>>) {
    let work = Arc::new(work);
    let (wake_tx, wake_rx) = mpsc::channel::<()>();
    let wake_rx = Arc::new(std::sync::Mutex::new(wake_rx));
    let ready = Arc::new(Barrier::new(threads + 1));
    let handles = (0..threads)
        .map(|_| {
            let (pool, work, ready, wake) = (
                Arc::clone(pool),
                Arc::clone(&work),
                Arc::clone(&ready),
                Arc::clone(&wake_rx),
            );
            thread::spawn(move || {
                work(&pool);
                drop(pool);
                ready.wait();
                // Asleep, holding whatever its caches hold, until the sender goes.
                let _ = wake.lock().unwrap().recv();
            })
        })
        .collect();
    ready.wait();
    (wake_tx, handles)
}

fn wake(sleepers: (mpsc::Sender<()>, Vec<thread::JoinHandle<()>>)) {
    drop(sleepers.0);
    for handle in sleepers.1 {
        handle.join().unwrap();
    }
}

/// Borrows `count` at once and returns them all.
fn burst<T: Poolable>(pool: &Pool<T>, count: usize) {
    let held: Vec<_> = (0..count).map(|_| pool.get()).collect();
    drop(held);
}

/// Issue 18: 48 threads each returned 32 objects to a pool of capacity 256 and then
/// idled; the pool kept 1,536 objects, one cache per thread beyond the capacity.
#[test]
fn many_idle_threads_keep_at_most_the_capacity() {
    let threads = scaled(48, 6);
    let pool: Arc<Pool<Counted<0>>> = Arc::new(Pool::with_capacity(256));
    let idle = sleepers(&pool, threads, |pool| burst(pool, 32));
    assert!(
        live::<0>() <= 256,
        "{threads} idle threads: {} objects alive, capacity 256 ({})",
        live::<0>(),
        pool.stats()
    );
    assert!(pool.stats().kept <= 256, "{}", pool.stats());
    wake(idle);
    assert!(live::<0>() <= 256, "after they exit: {}", live::<0>());
    drop(pool);
    assert_eq!(live::<0>(), 0, "a dropped pool keeps nothing");
}

/// Bursts from several threads at once, each larger than the capacity, then idle: the
/// bound holds at every point where no object is out.
#[test]
fn concurrent_bursts_keep_at_most_the_capacity() {
    let threads = scaled(8, 3);
    let pool: Arc<Pool<Counted<1>>> = Arc::new(Pool::with_capacity(64));
    let start = Arc::new(Barrier::new(threads));
    let start_in = Arc::clone(&start);
    let idle = sleepers(&pool, threads, move |pool| {
        start_in.wait();
        for size in [10, 100, 3, 64, 200] {
            burst(pool, size);
        }
    });
    assert!(
        live::<1>() <= 64,
        "{} alive ({})",
        live::<1>(),
        pool.stats()
    );
    burst(&pool, 500);
    assert!(
        live::<1>() <= 64,
        "{} alive ({})",
        live::<1>(),
        pool.stats()
    );
    wake(idle);
    assert!(live::<1>() <= 64, "{} alive after exit", live::<1>());
}

/// Threads that cache objects and exit: the pool stays within its capacity, and the
/// next thread reuses what they left.
#[test]
fn exiting_threads_leave_at_most_the_capacity_and_it_is_reused() {
    let pool: Arc<Pool<Counted<2>>> = Arc::new(Pool::with_capacity(256));
    for _ in 0..scaled(48, 6) {
        let pool_in = Arc::clone(&pool);
        thread::spawn(move || burst(&pool_in, 32)).join().unwrap();
        assert!(
            live::<2>() <= 256,
            "{} alive ({})",
            live::<2>(),
            pool.stats()
        );
    }
    let before = pool.stats();
    let pool_in = Arc::clone(&pool);
    thread::spawn(move || burst(&pool_in, 32)).join().unwrap();
    let phase = pool.stats().since(&before);
    assert_eq!(
        phase.made, 0,
        "the exited threads' objects are reused: {phase}"
    );
}

/// Issue 18: what an idle thread cached was out of every other thread's reach. Four
/// threads each cache 64 objects of a capacity-256 pool (a full thread cache each) and
/// sleep; a working thread must reuse them rather than make new ones.
#[test]
fn a_working_thread_reuses_what_idle_threads_cached() {
    let pool: Arc<Pool<Counted<3>>> = Arc::new(Pool::with_capacity(256));
    let idle = sleepers(&pool, 4, |pool| burst(pool, 64));
    let made = pool.stats().made;
    let before = pool.stats();
    for _ in 0..scaled(200, 10) {
        burst(&pool, 64);
    }
    let phase = pool.stats().since(&before);
    assert_eq!(
        pool.stats().made,
        made,
        "the working thread must reuse the idle threads' objects: {phase}"
    );
    assert!(phase.hit_rate() == 1.0, "{phase}");
    assert!(live::<3>() <= 256);
    wake(idle);
}

/// Issue 18: `trim_all` could not reach an idle thread's cache. Two periodic trims with
/// no use between them must leave nothing, whoever cached it.
#[test]
fn trim_all_and_clear_reach_idle_threads_caches() {
    let pool: Arc<Pool<Counted<4>>> = Arc::new(Pool::with_capacity(256));
    pool.register("test_bound::idle");
    let idle = sleepers(&pool, 4, |pool| burst(pool, 40));
    assert!(live::<4>() > 0);
    poolable::trim_all();
    poolable::trim_all();
    assert_eq!(
        live::<4>(),
        0,
        "two trims with no use between them drop what idle threads cached ({})",
        pool.stats()
    );
    assert_eq!(pool.stats().kept, 0);

    let more = sleepers(&pool, 4, |pool| burst(pool, 40));
    assert!(live::<4>() > 0);
    pool.clear();
    assert_eq!(live::<4>(), 0, "clear drops what idle threads cached");
    wake(idle);
    wake(more);
}

/// Ported from crossbeam-queue's `ArrayQueue` tests (`len_empty_full`, `capacity`): a
/// pool of capacity `n` filled with `put` keeps `n` values, refuses the next, and lends
/// back exactly `n`. It kept 38 of 50 (and 938 of 1,000): `put` bypassed the thread cache
/// that counted as part of the capacity.
#[test]
fn put_fills_a_pool_to_its_capacity() {
    for capacity in [1, 2, 3, 4, 10, 50, 1000] {
        let pool: Pool<Vec<u8>> = Pool::with_capacity(capacity);
        for _ in 0..capacity {
            pool.put(Vec::new());
        }
        let stats = pool.stats();
        assert_eq!(
            (stats.kept, stats.dropped_full),
            (capacity as u64, 0),
            "capacity {capacity}: {stats}"
        );
        pool.put(Vec::new());
        assert_eq!(pool.stats().dropped_full, 1, "capacity {capacity}: full");
        let mut lent = Vec::new();
        while let Some(value) = pool.try_get() {
            lent.push(value);
        }
        assert_eq!(lent.len(), capacity, "capacity {capacity}: lends back all");
    }
}

/// `put` from one thread, `try_get` from another: every value put within the capacity
/// is there to lend (crossbeam's `spsc` shape, with the pool's bound).
#[test]
fn values_put_on_one_thread_are_lent_on_another() {
    let pool: Arc<Pool<Vec<u8>>> = Arc::new(Pool::with_capacity(50));
    let pool_in = Arc::clone(&pool);
    thread::spawn(move || (0..50).for_each(|_| pool_in.put(Vec::new())))
        .join()
        .unwrap();
    let lent: Vec<_> = std::iter::from_fn(|| pool.try_get()).collect();
    assert_eq!(lent.len(), 50);
}

/// The trim rule stated in `Pool::trim`: a trim keeps as many objects as were out at
/// once during the period (the low-water mark of what sat kept), whichever objects
/// those were.
#[test]
fn trim_keeps_what_was_needed_at_once() {
    // Capacity 3: no thread cache, the shared queue alone.
    let pool: Pool<Vec<u8>> = Pool::with_capacity(3);
    burst(&pool, 3);
    pool.trim(); // all three were out at once since the pool was made
    assert_eq!(pool.stats().kept, 3);
    for _ in 0..3 {
        drop(pool.get()); // each object lent once, one at a time
    }
    pool.trim();
    assert_eq!(pool.stats().kept, 1, "one at a time needed one");
    burst(&pool, 2);
    drop(pool.get());
    pool.trim();
    assert_eq!(pool.stats().kept, 2, "two at once needed two");

    // The same with a thread cache in front of the shared queue.
    let pool: Pool<Vec<u8>> = Pool::with_capacity(64);
    burst(&pool, 20);
    pool.trim();
    assert_eq!(pool.stats().kept, 20);
    for _ in 0..10 {
        burst(&pool, 5);
    }
    pool.trim();
    assert_eq!(pool.stats().kept, 5, "five at a time needed five");
    pool.trim();
    assert_eq!(pool.stats().kept, 0, "a period with no use needs nothing");
}
