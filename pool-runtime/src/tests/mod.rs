//! Loom models of the pool's own synchronisation; built only with `--cfg loom`, run by
//! `scripts/loom.sh`.
//!
//! Under loom, `sync.rs` swaps in loom's atomics, mutexes and `thread_local!`, and
//! `queue.rs` swaps crossbeam-queue for a loom `Mutex<VecDeque>`, so every interleaving of
//! the credits, counters, thread caches, the owner/taker protocol (with `SeqCst` fences
//! for the two barriers) and thread exit is explored, up to
//! `LOOM_MAX_PREEMPTIONS` preemptions. The payloads flag an object lent twice, a missing
//! happens-before edge between two users of one object (loom's `UnsafeCell` reports it),
//! and an object dropped twice or never.

mod loom_pool;

use std::sync::Arc;

use loom::cell::UnsafeCell;
use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::{Pool, Poolable, Stats};

/// Runs `model` under loom's exhaustive scheduler, configured from the `LOOM_*`
/// environment variables (see `scripts/loom.sh`).
/// Prints how many executions it explored, so that a model that explores next to
/// nothing shows.
pub(crate) fn run_model(model: impl Fn() + Sync + Send + 'static) {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let executions = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&executions);
    let mut builder = loom::model::Builder::new();
    // A model's longest execution, in loom's branch points (default 1,000): the bound
    // model puts a pool through nine returns and a sweep after its threads' contention,
    // each of which is many atomic operations and lock acquisitions.
    // LOOM_MAX_BRANCHES, when set, wins (loom reads it into `Builder::new`).
    if std::env::var_os("LOOM_MAX_BRANCHES").is_none() {
        builder.max_branches = 20_000;
    }
    builder.check(move || {
        counted.fetch_add(1, Ordering::Relaxed);
        model();
    });
    let thread = std::thread::current();
    let name = thread.name().unwrap_or("model");
    println!("{name}: {} executions", executions.load(Ordering::Relaxed));
}

/// Spawns a model thread that runs `f` and then exits, its thread caches released before
/// `join` returns (loom destroys a thread's locals only after its joiner is woken; see
/// `local::release_thread_caches`).
pub(crate) fn spawn_exiting(f: impl FnOnce() + 'static) -> loom::thread::JoinHandle<()> {
    loom::thread::spawn(move || {
        f();
        crate::local::release_thread_caches();
    })
}

/// What happened to the payloads of one model run.
#[derive(Default)]
pub(crate) struct Books {
    made: AtomicUsize,
    dropped: AtomicUsize,
}

impl Books {
    pub(crate) fn made(&self) -> usize {
        self.made.load(Ordering::SeqCst)
    }

    pub(crate) fn alive(&self) -> usize {
        self.made() - self.dropped.load(Ordering::SeqCst)
    }
}

/// A pooled object that checks how it is lent.
pub(crate) struct Payload {
    books: Arc<Books>,
    /// Held by a borrower now.
    in_use: AtomicBool,
    /// Written by every borrower and by reset: loom reports two users of this object
    /// whose accesses the pool did not order.
    uses: UnsafeCell<usize>,
}

impl Payload {
    /// Marks the object held and writes to it.
    pub(crate) fn claim(&mut self) {
        assert!(
            !self.in_use.swap(true, Ordering::SeqCst),
            "an object lent to two borrowers at once"
        );
        // SAFETY: `&mut self` is the only access there can be, if the pool lends each
        // object to one borrower at a time, with a happens-before edge from the last
        // user: which is what loom checks on this access.
        self.uses.with_mut(|uses| unsafe {
            assert_eq!(*uses, 0, "an object lent without a reset");
            *uses += 1;
        });
    }

    /// Marks the object no longer held.
    pub(crate) fn release(&self) {
        assert!(self.in_use.swap(false, Ordering::SeqCst), "released twice");
    }
}

impl Poolable for Payload {
    fn reset(&mut self) {
        // SAFETY: as in `claim`.
        self.uses.with_mut(|uses| unsafe { *uses = 0 });
    }
}

impl Drop for Payload {
    fn drop(&mut self) {
        self.books.dropped.fetch_add(1, Ordering::SeqCst);
    }
}

/// A pool of payloads and the books they keep.
pub(crate) fn pool_of(capacity: usize) -> (Arc<Pool<Payload>>, Arc<Books>) {
    let books = Arc::new(Books::default());
    let made = Arc::clone(&books);
    let pool = Pool::builder()
        .capacity(capacity)
        .factory(move || {
            made.made.fetch_add(1, Ordering::SeqCst);
            Payload {
                books: Arc::clone(&made),
                in_use: AtomicBool::new(false),
                uses: UnsafeCell::new(0),
            }
        })
        .build();
    (Arc::new(pool), books)
}

/// Borrows one object, uses it, returns it.
pub(crate) fn borrow_and_return(pool: &Pool<Payload>) {
    let mut object = pool.get();
    object.claim();
    object.release();
}

/// The books balance, with no object in flight.
#[track_caller]
pub(crate) fn assert_balanced(stats: &Stats) {
    assert!(
        stats.returned + stats.put >= stats.dropped_full + stats.reused + stats.dropped_cleared
    );
    assert!(stats.made + stats.reused >= stats.returned + stats.dropped_panicking + stats.detached);
    assert_eq!(
        stats.made + stats.put,
        stats.kept + stats.out + stats.dropped() + stats.detached
    );
}

/// Exact checks once every other thread has exited: nothing out, at most `capacity`
/// kept, `kept` is what is alive, and all of it can be lent from this thread.
#[track_caller]
pub(crate) fn assert_at_rest(pool: &Pool<Payload>, books: &Books) {
    let stats = pool.stats();
    assert_balanced(&stats);
    assert_eq!(stats.out, 0, "{stats:?}");
    assert!(stats.kept as usize <= pool.capacity(), "{stats:?}");
    assert_eq!(books.alive() as u64, stats.kept, "{stats:?}");
    let mut all = Vec::new();
    while let Some(mut object) = pool.try_get() {
        object.claim();
        all.push(object);
    }
    assert_eq!(
        all.len() as u64,
        stats.kept,
        "kept objects out of reach: {stats:?}"
    );
    for object in &all {
        object.release();
    }
}
