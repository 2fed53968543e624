//! Zero heap allocations per borrow-and-return in steady state, counted by a global
//! allocator.
//!
//! The allocator counts per thread, so the test harness's other threads cannot disturb a
//! measurement. Each measurement runs on a thread of its own.

use poolable::{OwnedPooled, Pool, Poolable, Pooled, global};
use std::collections::HashMap;
use std::sync::Arc;

mod support;

use support::counting_alloc::{Counting, allocations_in};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `round` a few times to warm up, then counts the allocations of many more rounds,
/// on a fresh thread: the total, so that one stray allocation shows.
fn steady_state_allocations(round: impl Fn() + Send + 'static) -> u64 {
    let rounds = if cfg!(miri) { 20 } else { 10_000 };
    support::steady_state_allocations(16, rounds, move |_| round())
}

/// A user type with several owned allocations.
#[derive(Default)]
struct Request {
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Poolable for Request {
    fn reset(&mut self) {
        self.path.reset();
        self.headers.reset();
        self.body.reset();
    }
}

fn use_request(request: &mut Request) {
    request.path.push_str("/index.html");
    request.headers.insert(String::new(), String::new()); // empty strings: no heap
    request.body.extend_from_slice(&[7; 512]);
}

#[test]
fn the_counter_counts() {
    // Guards the guard: a measurement that cannot see allocations would prove nothing.
    let counted = allocations_in(|| drop(std::hint::black_box(vec![1u8; 100])));
    assert_eq!(counted, 1);
    let counted = std::thread::spawn(|| {
        allocations_in(|| {
            let pool: Pool<Vec<u8>> = Pool::with_capacity(4);
            pool.get().push(1);
        })
    })
    .join()
    .unwrap();
    assert!(counted > 0, "making a pool and its first object allocates");
}

#[test]
fn own_pool_get_and_return() {
    let pool: Arc<Pool<Request>> = Arc::new(Pool::with_capacity(8));
    let allocations = steady_state_allocations(move || {
        let mut request = pool.get();
        use_request(&mut request);
    });
    assert_eq!(allocations, 0);
}

#[test]
fn own_pool_several_at_once_and_try_get() {
    let pool: Arc<Pool<Vec<u8>>> = Arc::new(Pool::with_capacity(100));
    let allocations = steady_state_allocations(move || {
        let (mut a, mut b, mut c) = (pool.get(), pool.get(), pool.get());
        a.extend_from_slice(b"a");
        b.extend_from_slice(b"b");
        c.extend_from_slice(b"c");
        drop((a, b, c));
        let reused = pool.try_get().expect("kept");
        drop(reused);
    });
    assert_eq!(allocations, 0);
}

#[test]
fn owned_guards_put_and_detach() {
    let pool: Arc<Pool<Vec<u8>>> = Arc::new(Pool::with_capacity(8));
    let allocations = steady_state_allocations(move || {
        let mut owned = pool.get_owned();
        owned.extend_from_slice(b"owned");
        drop(owned);
        let taken = OwnedPooled::detach(pool.get_owned());
        pool.put(taken); // back again, reset
        let taken = Pooled::detach(pool.get());
        pool.put(taken);
    });
    assert_eq!(allocations, 0);
}

#[test]
fn global_pool_get_and_return() {
    let allocations = steady_state_allocations(|| {
        let mut request = global::<Request>().get();
        use_request(&mut request);
        let mut line = global::<String>().get();
        line.push_str("a line");
    });
    assert_eq!(allocations, 0);
}

#[test]
fn stats_do_not_allocate() {
    let pool: Arc<Pool<Vec<u8>>> = Arc::new(Pool::with_capacity(8));
    let allocations = steady_state_allocations(move || {
        drop(pool.get());
        let stats = pool.stats();
        assert_eq!(stats.out, 0);
    });
    assert_eq!(allocations, 0);
}
