//! Pools shared by threads: thread exit, producer/consumer hand-offs, owned guards that
//! cross threads, other threads' caches under `clear` and `trim`, and the order of lends
//! and returns.

mod tracked;

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use poolable::{OwnedPooled, Pool, Poolable, Pooled};
use tracked::{Ledger, Tracked, assert_balanced, scaled};

fn shared_pool(capacity: usize, ledger: &Arc<Ledger>) -> Arc<Pool<Tracked>> {
    Arc::new(
        Pool::builder()
            .capacity(capacity)
            .factory(ledger.factory())
            .build(),
    )
}

/// Runs `f` on a new thread and waits for it, and for its thread-locals to be destroyed.
fn on_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    thread::spawn(f).join().unwrap()
}

/// Work sent to a [`caching_worker`].
type Job = Box<dyn FnOnce() + Send>;

/// A worker that borrows and returns `count` objects (so they sit in its cache), then
/// runs the jobs it is sent, and exits when the sender is dropped.
fn caching_worker(
    pool: &Arc<Pool<Tracked>>,
    count: usize,
) -> (
    mpsc::Receiver<()>,
    mpsc::Sender<Job>,
    thread::JoinHandle<()>,
) {
    let (ready_tx, ready_rx) = mpsc::channel();
    let (go_tx, go_rx) = mpsc::channel::<Job>();
    let pool = Arc::clone(pool);
    let handle = thread::spawn(move || {
        let held: Vec<_> = (0..count).map(|_| pool.get()).collect();
        drop(held);
        drop(pool);
        ready_tx.send(()).unwrap();
        // Runs what the test sends, then exits.
        for job in go_rx {
            job();
        }
    });
    (ready_rx, go_tx, handle)
}

#[test]
fn thread_exit_gives_cached_objects_back() {
    let ledger = Ledger::new(64);
    let pool = shared_pool(32, &ledger);
    let worker = Arc::clone(&pool);
    on_thread(move || {
        let held: Vec<_> = (0..10).map(|_| worker.get()).collect();
        drop(held); // cached by the worker
    });
    let stats = pool.stats();
    assert_eq!((stats.made, stats.kept, stats.out), (10, 10, 0));
    assert_balanced(&stats);
    let all: Vec<_> = std::iter::from_fn(|| pool.try_get()).collect();
    assert_eq!(all.len(), 10, "the exited thread's objects are lent here");
    assert_eq!(ledger.made(), 10);
    drop(all);
    drop(pool);
    ledger.assert_all_dropped();
}

#[test]
fn many_exiting_threads_keep_the_pool_bounded() {
    let ledger = Ledger::new(4096);
    let pool = shared_pool(20, &ledger);
    for _ in 0..scaled(8, 2) {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let pool = Arc::clone(&pool);
                thread::spawn(move || drop((0..30).map(|_| pool.get()).collect::<Vec<_>>()))
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let stats = pool.stats();
        assert!(stats.kept <= 20, "{stats:?}");
        assert_eq!(stats.out, 0);
        assert_balanced(&stats);
        assert_eq!(
            ledger.alive() as u64,
            stats.kept,
            "kept must be what is alive"
        );
    }
    drop(pool);
    ledger.assert_all_dropped();
}

#[test]
fn a_thread_that_outlives_its_pool_drops_the_cached_objects_at_exit() {
    let ledger = Ledger::new(64);
    let pool = shared_pool(16, &ledger);
    let (ready, go, handle) = caching_worker(&pool, 5);
    ready.recv().unwrap();
    drop(pool); // the worker's cache now belongs to a dead pool
    go.send(Box::new(|| ())).unwrap();
    drop(go);
    handle.join().unwrap();
    ledger.assert_all_dropped();
}

/// Regression: a thread that cached objects and exited without using the pool again gave
/// them back to the shared queue even when `clear` had been called meanwhile, so the
/// cleared objects were kept. `clear`'s docs say another thread's cache is emptied at its
/// next use "or when it exits".
#[test]
fn regression_clear_then_thread_exit_keeps_nothing() {
    let ledger = Ledger::new(64);
    let pool = shared_pool(16, &ledger);
    let (ready, go, handle) = caching_worker(&pool, 5);
    ready.recv().unwrap();
    assert_eq!(pool.stats().kept, 5);
    pool.clear();
    drop(go); // the worker exits without touching the pool
    handle.join().unwrap();

    let stats = pool.stats();
    assert_eq!((stats.kept, stats.dropped_cleared), (0, 5), "{stats:?}");
    assert_eq!(ledger.alive(), 0, "the cleared objects must be dropped");
    assert!(pool.try_get().is_none());
    assert_balanced(&stats);
}

/// Regression: a thread that missed two or more trims kept its whole cache when it
/// caught up, though those objects had sat idle through at least one whole period (the
/// thread did not use the pool between the two trims, or it would have caught up on the
/// first). So `trim` never shrank the cache of a thread that uses a pool rarely.
#[test]
fn regression_a_cache_that_missed_two_trims_drops_its_idle_objects() {
    let ledger = Ledger::new(64);
    let pool = shared_pool(16, &ledger);
    let (ready, go, handle) = caching_worker(&pool, 5);
    ready.recv().unwrap();
    pool.trim(); // the five were lent in the first period: they stay
    pool.trim(); // and sat idle in the second: they go
    let (done_tx, done_rx) = mpsc::channel();
    let worker_pool = Arc::clone(&pool);
    go.send(Box::new(move || {
        // The worker's next use catches up with both trims.
        let reused = worker_pool.try_get().is_some();
        done_tx.send(reused).unwrap();
    }))
    .unwrap();
    assert!(
        !done_rx.recv().unwrap(),
        "the idle objects must not be lent again"
    );
    let stats = pool.stats();
    assert_eq!((stats.kept, stats.dropped_cleared), (0, 5), "{stats:?}");
    assert_eq!(ledger.alive(), 0);
    drop(go);
    handle.join().unwrap();
}

#[test]
fn regression_trim_then_thread_exit_drops_idle_objects() {
    // As above, but the worker exits instead of using the pool again.
    let ledger = Ledger::new(64);
    let pool = shared_pool(16, &ledger);
    let (ready, go, handle) = caching_worker(&pool, 5);
    ready.recv().unwrap();
    pool.trim();
    pool.trim();
    drop(go);
    handle.join().unwrap();
    assert_eq!(pool.stats().kept, 0);
    assert_eq!(ledger.alive(), 0);
    assert_balanced(&pool.stats());
}

#[test]
fn one_trim_keeps_what_another_thread_used_in_the_period() {
    let ledger = Ledger::new(64);
    let pool = shared_pool(16, &ledger);
    let (ready, go, handle) = caching_worker(&pool, 5);
    ready.recv().unwrap();
    pool.trim(); // lent during the first period: kept
    let (done_tx, done_rx) = mpsc::channel();
    let worker_pool = Arc::clone(&pool);
    go.send(Box::new(move || {
        let reused = worker_pool.try_get().is_some(); // returned at once
        done_tx.send(reused).unwrap();
    }))
    .unwrap();
    assert!(done_rx.recv().unwrap());
    assert_eq!(pool.stats().kept, 5);
    drop(go);
    handle.join().unwrap();
    assert_eq!(pool.stats().kept, 5, "and they go back to the pool at exit");
    assert_eq!(ledger.alive(), 5);
}

#[test]
fn clear_empties_another_threads_cache_at_its_next_use() {
    let ledger = Ledger::new(64);
    let pool = shared_pool(16, &ledger);
    let (ready, go, handle) = caching_worker(&pool, 5);
    ready.recv().unwrap();
    pool.clear();
    let (done_tx, done_rx) = mpsc::channel();
    let worker_pool = Arc::clone(&pool);
    go.send(Box::new(move || {
        let reused = worker_pool.try_get().is_some(); // returned at once
        done_tx.send(reused).unwrap();
    }))
    .unwrap();
    assert!(
        !done_rx.recv().unwrap(),
        "a cleared object must not be lent"
    );
    assert_eq!(pool.stats().dropped_cleared, 5);
    assert_eq!(ledger.alive(), 0);
    drop(go);
    handle.join().unwrap();
    assert_balanced(&pool.stats());
}

#[test]
fn objects_out_during_clear_come_back() {
    let ledger = Ledger::new(64);
    let pool = shared_pool(16, &ledger);
    let worker = Arc::clone(&pool);
    let (held_tx, held_rx) = mpsc::channel();
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let handle = thread::spawn(move || {
        let held: Vec<_> = (0..4).map(|_| worker.get()).collect();
        held_tx.send(()).unwrap();
        go_rx.recv().unwrap();
        drop(held); // returned after the clear: kept
    });
    held_rx.recv().unwrap();
    pool.clear();
    go_tx.send(()).unwrap();
    handle.join().unwrap();
    assert_eq!(pool.stats().kept, 4);
    assert_eq!(ledger.alive(), 4);
}

#[test]
fn the_global_pool_gets_an_exited_threads_objects() {
    #[derive(Default)]
    struct ExitProbe(Vec<u8>);
    impl Poolable for ExitProbe {
        fn reset(&mut self) {
            self.0.clear();
        }
    }

    on_thread(|| {
        let held: Vec<_> = (0..3)
            .map(|_| poolable::global::<ExitProbe>().get())
            .collect();
        drop(held);
    });
    let pool = poolable::global::<ExitProbe>();
    assert_eq!(pool.stats().kept, 3);
    let all: Vec<_> = std::iter::from_fn(|| pool.try_get()).collect();
    assert_eq!(all.len(), 3);
}

#[test]
fn a_guard_in_a_thread_local_comes_back_at_thread_exit() {
    thread_local! {
        static STASH: RefCell<Option<OwnedPooled<Tracked>>> = const { RefCell::new(None) };
    }
    let ledger = Ledger::new(16);
    let pool = shared_pool(8, &ledger);
    let worker = Arc::clone(&pool);
    on_thread(move || {
        let first = worker.get(); // gives the thread a cache
        STASH.with(|stash| *stash.borrow_mut() = Some(worker.get_owned()));
        drop(first);
        // Destroyed with the thread's other locals, before or after its cache.
    });
    let stats = pool.stats();
    assert_eq!((stats.kept, stats.out), (2, 0), "{stats:?}");
    assert_eq!(ledger.alive(), 2);
    assert_balanced(&stats);
}

/// Regression: objects borrowed on one thread and returned on another were never reused
/// when the capacity was at most twice the per-thread cache (64): the returning thread
/// kept them in its own cache, where the borrowing thread never looks, and the borrowing
/// thread collected the credits of what it took from the shared queue. Every borrow made
/// a new object and every return dropped one (hit rate 0%). Now a thread that returns
/// more than it borrows sends objects to the shared queue, and taking from the shared
/// queue gives the credit back.
#[test]
fn regression_objects_handed_between_threads_are_reused() {
    let rounds = scaled(300, 30);
    for capacity in [1, 4, 64, 128, 1024] {
        let pool: Arc<Pool<Vec<u8>>> = Arc::new(Pool::with_capacity(capacity));
        let (object_tx, object_rx) = mpsc::channel::<OwnedPooled<Vec<u8>>>();
        let (ack_tx, ack_rx) = mpsc::channel::<()>();
        let consumer = thread::spawn(move || {
            for object in object_rx {
                drop(object); // returned on this thread
                ack_tx.send(()).unwrap();
            }
        });
        for _ in 0..rounds {
            let mut object = pool.get_owned(); // borrowed on this one
            object.push(1);
            object_tx.send(object).unwrap();
            ack_rx.recv().unwrap();
        }
        drop(object_tx);
        consumer.join().unwrap();
        let stats = pool.stats();
        assert_eq!(
            (stats.made, stats.reused),
            (1, rounds as u64 - 1),
            "capacity {capacity}: {stats}"
        );
    }
}

#[test]
fn spsc() {
    // The producer borrows, the consumer returns: every object crosses threads.
    let rounds = scaled(20_000, 200);
    for capacity in [4, 1024] {
        let ledger = Ledger::new(rounds + 1);
        let pool = shared_pool(capacity, &ledger);
        let (tx, rx) = mpsc::sync_channel::<(u64, OwnedPooled<Tracked>)>(16);
        let producer = {
            let pool = Arc::clone(&pool);
            thread::spawn(move || {
                for sequence in 0..rounds as u64 {
                    let mut object = pool.get_owned();
                    object.claim();
                    object.payload.extend_from_slice(&sequence.to_le_bytes());
                    tx.send((sequence, object)).unwrap();
                }
            })
        };
        let consumer = thread::spawn(move || {
            for (expected, (sequence, object)) in rx.into_iter().enumerate() {
                assert_eq!(sequence, expected as u64, "in order");
                assert_eq!(object.payload[8..], sequence.to_le_bytes(), "intact");
                object.release();
            }
        });
        producer.join().unwrap();
        consumer.join().unwrap();

        ledger.assert_clean();
        let stats = pool.stats();
        assert_eq!(stats.made + stats.reused, rounds as u64);
        assert_eq!((stats.out, stats.returned), (0, rounds as u64));
        assert!(stats.kept as usize <= capacity);
        assert_eq!(ledger.alive() as u64, stats.kept);
        assert_balanced(&stats);
        drop(pool);
        ledger.assert_all_dropped();
    }
}

#[test]
fn mpmc() {
    const PRODUCERS: usize = 4;
    const CONSUMERS: usize = 4;
    let per_producer = scaled(5_000, 50);
    let ledger = Ledger::new(2 * PRODUCERS * per_producer + 64);
    let pool = shared_pool(48, &ledger);
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..CONSUMERS)
        .map(|_| mpsc::sync_channel::<OwnedPooled<Tracked>>(8))
        .unzip();
    let consumers: Vec<_> = receivers
        .into_iter()
        .map(|rx| {
            let pool = Arc::clone(&pool);
            thread::spawn(move || {
                for object in rx {
                    object.release();
                    // Consumers borrow too, so objects flow both ways.
                    let mut own = pool.get();
                    own.claim();
                    own.release();
                }
            })
        })
        .collect();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let pool = Arc::clone(&pool);
            let senders = senders.clone();
            thread::spawn(move || {
                for i in 0..per_producer {
                    let mut object = pool.get_owned();
                    object.claim();
                    senders[(p + i) % CONSUMERS].send(object).unwrap();
                }
            })
        })
        .collect();
    drop(senders);
    for handle in producers.into_iter().chain(consumers) {
        handle.join().unwrap();
    }
    ledger.assert_clean();
    let stats = pool.stats();
    assert_eq!(stats.out, 0);
    assert!(stats.kept <= 48, "{stats:?}");
    assert_eq!(ledger.alive() as u64, stats.kept);
    assert_balanced(&stats);
    drop(pool);
    ledger.assert_all_dropped();
}

/// An object that remembers when it was last returned and who holds it. Its fields are
/// plain memory, handed between threads only through the pool: a missing
/// happens-before edge in the pool is a data race here, which Miri reports.
#[derive(Default)]
struct Stamped {
    holder: Option<usize>,
    returned_at: u64,
    history: Vec<u64>,
}

impl Poolable for Stamped {
    fn reset(&mut self) {
        // The stamps survive the reset on purpose: they are what the test checks.
        self.history.truncate(64);
    }
}

#[test]
fn linearizable() {
    // Every lend of an object happens after its previous return, in real time: a
    // global clock read after `get` must be later than the one read before the previous
    // borrower's return.
    const THREADS: usize = 4;
    let rounds = scaled(5_000, 60);
    let clock = Arc::new(AtomicU64::new(1));
    let pool = Arc::new(Pool::<Stamped>::with_capacity(3));
    let barrier = Arc::new(Barrier::new(THREADS));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let handles: Vec<_> = (0..THREADS)
        .map(|me| {
            let (clock, pool, barrier, failures) = (
                Arc::clone(&clock),
                Arc::clone(&pool),
                Arc::clone(&barrier),
                Arc::clone(&failures),
            );
            thread::spawn(move || {
                barrier.wait();
                for round in 0..rounds {
                    let mut held = vec![pool.get()];
                    if round % 3 == 0 {
                        held.push(pool.get());
                    }
                    let now = clock.fetch_add(1, Ordering::SeqCst);
                    for object in &mut held {
                        if object.holder.is_some() || object.returned_at >= now {
                            failures.lock().unwrap().push(format!(
                                "thread {me} got an object held by {:?}, returned at {} >= {now}",
                                object.holder, object.returned_at
                            ));
                        }
                        object.holder = Some(me);
                        object.history.push(now);
                    }
                    for mut object in held {
                        object.holder = None;
                        object.returned_at = clock.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        failures.first()
    );
    let stats = pool.stats();
    assert!(stats.kept <= 3);
    assert_eq!(stats.out, 0);
    assert_balanced(&stats);
}

/// A thread that does `work` and then sleeps until the returned sender is dropped.
fn sleeper(work: impl FnOnce() + Send + 'static) -> (mpsc::Sender<()>, thread::JoinHandle<()>) {
    let (ready_tx, ready_rx) = mpsc::channel();
    let (wake_tx, wake_rx) = mpsc::channel::<()>();
    let handle = thread::spawn(move || {
        work();
        ready_tx.send(()).unwrap();
        let _ = wake_rx.recv(); // asleep: holds whatever its caches hold
    });
    ready_rx.recv().unwrap();
    (wake_tx, handle)
}

/// `rounds` rounds of borrowing 8 at once and returning them; the hit rate of that phase.
fn working_hit_rate<T: Poolable>(pool: &Pool<T>, rounds: usize) -> (f64, poolable::Stats) {
    let before = pool.stats();
    for _ in 0..rounds {
        let held: Vec<_> = (0..8).map(|_| pool.get()).collect();
        drop(held);
    }
    let phase = pool.stats().since(&before);
    (phase.hit_rate(), phase)
}

/// Issue 11, fault 1: a thread that used a capacity-16 pool in a burst and then slept
/// kept the pool's capacity credits (and those of the objects it detached), so the
/// working thread made a new object for every borrow and dropped every return: hit rate
/// 0.0 %. `clear` and `trim` from the working thread could not get them back. Caches now
/// hold no share of the capacity.
#[test]
fn an_idle_thread_never_starves_the_pool() {
    let rounds = scaled(1_000, 40);
    for detach in [false, true] {
        for before_work in ["nothing", "clear", "trim"] {
            let pool: Arc<Pool<Vec<u8>>> = Arc::new(Pool::with_capacity(16));
            let in_sleeper = Arc::clone(&pool);
            let (wake, handle) = sleeper(move || {
                let burst: Vec<_> = (0..16).map(|_| in_sleeper.get()).collect();
                for (i, guard) in burst.into_iter().enumerate() {
                    if detach && i % 2 == 0 {
                        drop(Pooled::detach(guard));
                    } // else returned, kept in this thread's cache or the shared queue
                }
            });
            match before_work {
                "clear" => pool.clear(),
                "trim" => pool.trim(),
                _ => {}
            }
            let (hit_rate, phase) = working_hit_rate(&pool, rounds);
            assert!(
                hit_rate > 0.95,
                "detach {detach}, {before_work} first: the working thread must reuse \
                 ({phase})"
            );
            let bound = pool.capacity(); // every cache included
            assert!(pool.stats().kept as usize <= bound, "{}", pool.stats());
            drop(wake);
            handle.join().unwrap();
        }
    }
}

/// Issue 11, fault 1, as a blocking thread pool does it: 40 threads that each used a
/// default pool once, for a burst of 32 objects, and then idle left the working thread
/// at a 0.0 % hit rate: their caches held all of the capacity's credits.
#[test]
fn forty_idle_threads_never_starve_a_default_pool() {
    #[derive(Default)]
    struct IdleBuffer(Vec<u16>);

    impl Poolable for IdleBuffer {
        fn reset(&mut self) {
            self.0.clear();
        }
    }

    let idle: Vec<_> = (0..scaled(40, 4))
        .map(|_| {
            sleeper(|| {
                let pool = poolable::global::<IdleBuffer>();
                drop((0..32).map(|_| pool.get()).collect::<Vec<_>>());
            })
        })
        .collect();
    let pool = poolable::global::<IdleBuffer>();
    let (hit_rate, phase) = working_hit_rate(pool, scaled(2_000, 40));
    assert!(hit_rate > 0.95, "the working thread must reuse: {phase}");
    for (wake, handle) in idle {
        drop(wake);
        handle.join().unwrap();
    }
}
