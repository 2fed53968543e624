//! Stress: more threads than cores mixing every operation on shared pools (get, return,
//! owned guards sent to other threads, try_get, put, detach, clear, trim, panics while
//! holding a guard), with exact checks at quiescent points:
//!
//! - no object is ever held by two borrowers at once, nor lent without a reset;
//! - the books balance, nothing is out, and `kept` is within the stated bound
//!   (the capacity, every thread's cache included);
//! - `kept` is exactly the number of objects alive (nothing leaked, nothing counted twice);
//! - once the threads have exited, every kept object can be lent again from one thread,
//!   and dropping the pool drops every object ever made exactly once.
//!
//! The run is seeded and bounded: about a second in a debug build on two cores.

mod tracked;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Barrier};
use std::thread;

use poolable::{OwnedPooled, Pool, Pooled};
use tracked::{Ledger, Tracked, assert_balanced, scaled};

const THREADS: usize = 8;
const PLANNED_PANIC: &str = "stress: planned panic while holding a guard";

/// A small deterministic generator (xorshift64*), one per thread and phase.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}

/// One pool under test, with the ledger of its objects.
struct Subject {
    pool: Arc<Pool<Tracked>>,
    ledger: Arc<Ledger>,
}

impl Subject {
    fn new(capacity: usize, max_objects: usize) -> Subject {
        let ledger = Ledger::new(max_objects);
        let pool = Arc::new(
            Pool::builder()
                .capacity(capacity)
                .factory(ledger.factory())
                .build(),
        );
        Subject { pool, ledger }
    }

    /// Exact checks at a point where no thread is using the pool.
    #[track_caller]
    fn check_quiescent(&self, when: &str) {
        self.ledger.assert_clean();
        let stats = self.pool.stats();
        assert_balanced(&stats);
        assert_eq!(stats.out, 0, "{when}: objects out at rest: {stats:?}");
        // The stated bound: the capacity, however many threads are alive.
        let bound = self.pool.capacity();
        assert!(
            stats.kept as usize <= bound,
            "{when}: kept more than the bound {bound}: {stats:?}"
        );
        assert_eq!(
            self.ledger.alive() as u64,
            stats.kept,
            "{when}: objects alive must be exactly those kept: {stats:?}"
        );
    }
}

/// What one thread holds for one pool.
#[derive(Default)]
struct Holdings<'a> {
    borrowed: Vec<Pooled<'a, Tracked>>,
    owned: Vec<OwnedPooled<Tracked>>,
    detached: Vec<Tracked>,
}

impl Holdings<'_> {
    fn release_all(&mut self, pool: &Pool<Tracked>) {
        for guard in self.borrowed.drain(..) {
            guard.release();
        }
        for guard in self.owned.drain(..) {
            guard.release();
        }
        for (i, object) in self.detached.drain(..).enumerate() {
            if i % 2 == 0 {
                pool.put(object);
            } // else dropped here
        }
    }
}

/// One operation, chosen by `roll` in 0..100.
fn step<'a>(
    roll: usize,
    rng: &mut Rng,
    subject: &'a Subject,
    held: &mut Holdings<'a>,
    peers: &[Sender<OwnedPooled<Tracked>>],
) {
    let pool = &*subject.pool;
    let shared = &subject.pool;
    match roll {
        // Borrow and hold (the hot path when objects are cached).
        0..=24 => {
            let mut guard = pool.get();
            guard.claim();
            held.borrowed.push(guard);
            if held.borrowed.len() > 6 {
                let guard = held.borrowed.swap_remove(rng.below(held.borrowed.len()));
                guard.release();
            }
        }
        // Return one held.
        25..=39 => {
            if !held.borrowed.is_empty() {
                let guard = held.borrowed.swap_remove(rng.below(held.borrowed.len()));
                guard.release();
            }
        }
        // Owned guards: held, or sent to another thread that returns them.
        40..=51 => {
            let mut guard = shared.get_owned();
            guard.claim();
            if roll < 46 {
                peers[rng.below(peers.len())].send(guard).unwrap();
            } else {
                held.owned.push(guard);
                if held.owned.len() > 3 {
                    held.owned.swap_remove(0).release();
                }
            }
        }
        // Only reuse.
        52..=57 => {
            if let Some(mut guard) = pool.try_get() {
                guard.claim();
                guard.release();
            }
            if let Some(mut guard) = shared.try_get_owned() {
                guard.claim();
                held.owned.push(guard);
            }
        }
        // Put: a detached object back, or one made elsewhere.
        58..=62 => match held.detached.pop() {
            Some(object) => pool.put(object),
            None => pool.put(subject.ledger.make()),
        },
        // Detach, from either guard.
        63..=68 => {
            let object = if roll.is_multiple_of(2) && !held.owned.is_empty() {
                let guard = held.owned.swap_remove(rng.below(held.owned.len()));
                OwnedPooled::detach(guard)
            } else {
                let mut guard = pool.get();
                guard.claim();
                Pooled::detach(guard)
            };
            object.release();
            held.detached.push(object);
        }
        // Drop a detached object for good.
        69..=71 => drop(held.detached.pop()),
        // A panic while holding guards: their objects are dropped, not returned.
        72 => {
            let failed = catch_unwind(AssertUnwindSafe(|| {
                let mut guard = pool.get();
                guard.claim();
                let mut owned = shared.get_owned();
                owned.claim();
                std::panic::panic_any(PLANNED_PANIC);
            }));
            assert!(failed.is_err());
        }
        73 => pool.clear(),
        74..=75 => pool.trim(),
        // Statistics read while others work: must not block or panic.
        76 => {
            let _ = pool.stats();
        }
        // Borrow and return at once.
        _ => {
            let mut guard = pool.get();
            guard.claim();
            guard.release();
        }
    }
}

#[test]
fn stress_mixed_operations_on_shared_pools() {
    // Planned panics are expected by the thousands; keep their messages out of the output.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info.payload().downcast_ref::<&str>() != Some(&PLANNED_PANIC) {
            default_hook(info);
        }
    }));

    let phases = scaled(8, 2);
    let ops = scaled(5_000, 25);
    let max_objects = THREADS * phases * ops * 3 + 1024;
    // Below the per-thread cache size, and above it so the shared queue fills too.
    let subjects = Arc::new([
        Subject::new(12, max_objects),
        Subject::new(150, max_objects),
    ]);
    let barrier = Arc::new(Barrier::new(THREADS));
    // Per pool, one inbox per thread for owned guards that other threads send it.
    let (senders, receivers): (Vec<Vec<Sender<_>>>, Vec<Vec<Receiver<_>>>) = (0..subjects.len())
        .map(|_| (0..THREADS).map(|_| mpsc::channel()).unzip())
        .unzip();

    let mut receivers: Vec<Vec<Option<Receiver<OwnedPooled<Tracked>>>>> = receivers
        .into_iter()
        .map(|set| set.into_iter().map(Some).collect())
        .collect();
    let handles: Vec<_> = (0..THREADS)
        .map(|me| {
            let subjects = Arc::clone(&subjects);
            let barrier = Arc::clone(&barrier);
            let peers: Vec<Vec<Sender<_>>> = senders.clone();
            let inboxes: Vec<Receiver<_>> = receivers
                .iter_mut()
                .map(|set| set[me].take().unwrap())
                .collect();
            thread::spawn(move || {
                for phase in 0..phases {
                    let mut rng = Rng::new((me * 1_000 + phase) as u64);
                    let mut holdings: Vec<Holdings<'_>> =
                        subjects.iter().map(|_| Holdings::default()).collect();
                    for _ in 0..ops {
                        let which = rng.below(subjects.len());
                        let roll = rng.below(100);
                        step(
                            roll,
                            &mut rng,
                            &subjects[which],
                            &mut holdings[which],
                            &peers[which],
                        );
                    }
                    // Quiescence: give everything back, then return what peers sent.
                    for (subject, held) in subjects.iter().zip(&mut holdings) {
                        held.release_all(&subject.pool);
                    }
                    barrier.wait(); // every send of this phase is done
                    for inbox in &inboxes {
                        for guard in inbox.try_iter() {
                            guard.release();
                        }
                    }
                    barrier.wait(); // every object is back
                    if me == 0 {
                        for (i, subject) in subjects.iter().enumerate() {
                            subject.check_quiescent(&format!("phase {phase}, pool {i}"));
                        }
                    }
                    barrier.wait(); // checked; the next phase may start
                }
            })
        })
        .collect();
    drop(senders);
    for handle in handles {
        handle.join().unwrap();
    }
    let _ = std::panic::take_hook();

    let subjects = Arc::try_unwrap(subjects).ok().unwrap();
    for (i, subject) in subjects.into_iter().enumerate() {
        subject.check_quiescent(&format!("after the threads exited, pool {i}"));
        let stats = subject.pool.stats();
        assert!(stats.dropped_panicking > 0 && stats.detached > 0 && stats.put > 0);
        assert!(stats.reused > 0 && stats.dropped_cleared > 0, "{stats}");
        // The exited threads gave their caches back: all of it is lendable from here.
        let all: Vec<_> = std::iter::from_fn(|| subject.pool.try_get()).collect();
        assert_eq!(all.len() as u64, stats.kept, "pool {i}: {stats}");
        drop(all);
        drop(subject.pool);
        subject.ledger.assert_all_dropped();
    }
}

/// Idle and blocked threads beside working ones, and pools churned meanwhile: threads
/// that used the pool and then block hold at most their small caches and never stop the
/// working threads from reusing; pools used by the working threads and dropped while they
/// run leave nothing behind once they exit.
#[test]
fn stress_idle_threads_and_pool_churn() {
    const WORKERS: usize = 3;
    const IDLE: usize = 8;
    let rounds = scaled(3_000, 20);
    let churns = scaled(40, 4);
    let ledger = Ledger::new(1 << 16);
    let pool = Arc::new(
        Pool::builder()
            .capacity(16)
            .factory(ledger.factory())
            .build(),
    );
    // Idle: a burst each, then blocked on a barrier until the end.
    let release = Arc::new(Barrier::new(IDLE + 1));
    let (ready_tx, ready_rx) = mpsc::channel();
    let idle: Vec<_> = (0..IDLE)
        .map(|_| {
            let (pool, release, ready) =
                (Arc::clone(&pool), Arc::clone(&release), ready_tx.clone());
            thread::spawn(move || {
                let burst: Vec<_> = (0..16).map(|_| pool.get()).collect();
                drop(burst);
                ready.send(()).unwrap();
                release.wait(); // blocked, holding its cache
            })
        })
        .collect();
    for _ in 0..IDLE {
        ready_rx.recv().unwrap();
    }
    let warm = pool.stats();

    let churn_ledger = Ledger::new(1 << 16);
    let churned: Vec<Arc<Pool<Tracked>>> = (0..churns)
        .map(|_| {
            Arc::new(
                Pool::builder()
                    .capacity(32)
                    .factory(churn_ledger.factory())
                    .build(),
            )
        })
        .collect();
    let start = Arc::new(Barrier::new(WORKERS));
    let workers: Vec<_> = (0..WORKERS)
        .map(|me| {
            let (pool, start) = (Arc::clone(&pool), Arc::clone(&start));
            let churned = churned.clone();
            thread::spawn(move || {
                start.wait();
                for round in 0..rounds {
                    let held: Vec<_> = (0..3).map(|_| pool.get()).collect();
                    for mut guard in held {
                        guard.claim();
                        guard.release();
                    }
                    // Every so often, one of the churned pools, in turn.
                    if round % (rounds / churns).max(1) == 0 {
                        let which = (round / (rounds / churns).max(1) + me) % churned.len();
                        let burst: Vec<_> = (0..8).map(|_| churned[which].get()).collect();
                        drop(burst);
                    }
                }
            })
        })
        .collect();
    drop(churned); // the churned pools die as the workers let go of them
    for worker in workers {
        worker.join().unwrap();
    }
    let phase = pool.stats().since(&warm);
    assert!(
        phase.hit_rate() > 0.9,
        "idle threads must not starve the working ones: {phase}"
    );
    let bound = pool.capacity();
    let stats = pool.stats();
    assert!(stats.kept as usize <= bound, "bound {bound}: {stats}");
    assert_eq!(stats.out, 0);
    assert_balanced(&stats);
    ledger.assert_clean();
    // The workers have exited: every churned pool is gone, and so are its objects.
    assert_eq!(
        churn_ledger.alive(),
        0,
        "objects of dropped pools left behind"
    );
    churn_ledger.assert_clean();

    release.wait();
    for thread in idle {
        thread.join().unwrap();
    }
    drop(pool);
    ledger.assert_all_dropped();
}
