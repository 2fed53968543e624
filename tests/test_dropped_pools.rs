//! Issue 11, fault 3: the objects of a dropped pool that other threads cache. The pool
//! reaches every thread's cache, so they go with it: dropped by the thread that drops
//! the pool, inside that drop, never inside an unrelated pool's call; pools created and
//! dropped in a loop leave nothing behind.
//!
//! Pool ids are reused smallest first, so the tests here run one at a time, in a binary
//! of their own: what they check must not depend on pools other tests make meanwhile.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, TryLockError};
use std::thread;

use poolable::{Pool, Poolable};

/// The tests of this file, one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

type Job = Box<dyn FnOnce() + Send>;

/// A long-lived thread that runs jobs, one at a time, and exits when dropped.
struct Worker {
    jobs: Option<mpsc::Sender<Job>>,
    done: mpsc::Receiver<()>,
    handle: Option<thread::JoinHandle<()>>,
}

impl Worker {
    fn new() -> Worker {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (done_tx, done) = mpsc::channel();
        let handle = thread::spawn(move || {
            for job in inbox {
                job();
                done_tx.send(()).unwrap();
            }
        });
        Worker {
            jobs: Some(jobs),
            done,
            handle: Some(handle),
        }
    }

    fn run(&self, job: impl FnOnce() + Send + 'static) {
        self.jobs.as_ref().unwrap().send(Box::new(job)).unwrap();
        self.done.recv().unwrap();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        drop(self.jobs.take());
        self.handle.take().unwrap().join().unwrap();
    }
}

/// Held by the test around another pool's calls; a `Locky`'s `Drop` takes it.
static LOCK: Mutex<()> = Mutex::new(());
static LOCKY_ALIVE: AtomicUsize = AtomicUsize::new(0);
static DROPPED_UNDER_THE_LOCK: AtomicUsize = AtomicUsize::new(0);

struct Locky;

impl Default for Locky {
    fn default() -> Self {
        LOCKY_ALIVE.fetch_add(1, Ordering::SeqCst);
        Locky
    }
}

impl Poolable for Locky {
    fn reset(&mut self) {}
}

impl Drop for Locky {
    fn drop(&mut self) {
        // `try_lock`, so that the fault shows as a count instead of a deadlock.
        if let Err(TryLockError::WouldBlock) = LOCK.try_lock() {
            DROPPED_UNDER_THE_LOCK.fetch_add(1, Ordering::SeqCst);
        }
        LOCKY_ALIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Issue 11, fault 3: a thread's cached objects of a dropped pool were dropped inside an
/// unrelated pool's `get` (the first to reuse the dead pool's id), where a caller may
/// hold a lock their `Drop` takes: a deadlock. They now go with the pool itself.
#[test]
fn a_dropped_pools_objects_are_never_dropped_inside_another_types_call() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let worker = Worker::new();
    let lockies: Arc<Pool<Locky>> = Arc::new(Pool::with_capacity(16));
    let in_worker = Arc::clone(&lockies);
    worker.run(move || {
        let held: Vec<_> = (0..4).map(|_| in_worker.get()).collect();
        drop(held); // cached by the worker
    });
    assert_eq!(lockies.stats().kept, 4);
    drop(lockies); // the worker's cached objects go with the pool
    assert_eq!(LOCKY_ALIVE.load(Ordering::SeqCst), 0);

    worker.run(|| {
        let _held = LOCK.lock().unwrap();
        // New pools of another type take the freed id, and use their slow paths.
        let strings: Vec<Pool<String>> = (0..4).map(|_| Pool::with_capacity(16)).collect();
        for pool in &strings {
            drop(pool.get());
            pool.clear();
        }
    });
    assert_eq!(
        DROPPED_UNDER_THE_LOCK.load(Ordering::SeqCst),
        0,
        "a Locky was dropped inside a Pool<String> call, under the caller's lock"
    );

    worker.run(|| {
        let again: Pool<Locky> = Pool::with_capacity(16);
        drop(again.get());
        assert_eq!(LOCKY_ALIVE.load(Ordering::SeqCst), 1, "only `again`'s own");
    });
    drop(worker);
    assert_eq!(LOCKY_ALIVE.load(Ordering::SeqCst), 0);
}

static CHURNED_ALIVE: AtomicUsize = AtomicUsize::new(0);

struct Churned(#[allow(dead_code)] Vec<u8>);

impl Default for Churned {
    fn default() -> Self {
        CHURNED_ALIVE.fetch_add(1, Ordering::SeqCst);
        Churned(Vec::with_capacity(64))
    }
}

impl Poolable for Churned {
    fn reset(&mut self) {}
}

impl Drop for Churned {
    fn drop(&mut self) {
        CHURNED_ALIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Issue 11, fault 3: 50 pools dropped while 4 threads lived left 3,200 objects in their
/// caches until the threads exited, unbounded by any capacity. Now each pool's objects go
/// with it, whoever cached them.
#[test]
fn pools_created_and_dropped_in_a_loop_leave_bounded_leftovers() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    const THREADS: usize = 4;
    let workers: Vec<Worker> = (0..THREADS).map(|_| Worker::new()).collect();
    // Pools that stay alive, so that every new pool gets a new id (with reused ids the
    // old runtime dropped the leftovers by accident; the rule must not depend on it).
    let mut spacers: Vec<Pool<u8>> = Vec::new();
    let mut worst = 0;
    for _ in 0..if cfg!(miri) { 4 } else { 50 } {
        let pool: Arc<Pool<Churned>> = Arc::new(Pool::with_capacity(256));
        let per_thread = pool.thread_cache_capacity();
        for worker in &workers {
            let pool = Arc::clone(&pool);
            worker.run(move || {
                let burst: Vec<_> = (0..per_thread).map(|_| pool.get()).collect();
                drop(burst); // all cached by this worker
            });
        }
        worst = worst.max(CHURNED_ALIVE.load(Ordering::SeqCst));
        drop(pool);
        spacers.push(Pool::new());
        let alive = CHURNED_ALIVE.load(Ordering::SeqCst);
        assert_eq!(alive, 0, "{alive} objects of dropped pools alive");
    }
    assert!(worst > 0, "the workers did cache");
    drop(workers);
    assert_eq!(
        CHURNED_ALIVE.load(Ordering::SeqCst),
        0,
        "all dropped at exit"
    );
}
