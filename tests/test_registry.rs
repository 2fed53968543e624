//! `trim_all`, `for_each_pool` and `Pool::register`: one call trims every default and
//! registered pool. In a binary of its own, since `trim_all` trims every pool of the
//! process, those of tests running alongside included.

use std::sync::Mutex;

use poolable::{Pool, Stats, for_each_pool, trim_all};

/// The tests of this file, one at a time: each trims all pools.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn stats_of(wanted: &str) -> Option<Stats> {
    let mut found = None;
    for_each_pool(|name, stats| {
        if name == wanted {
            found = Some(stats);
        }
    });
    found
}

/// A burst is given back after two periodic trims, while what steady use needs stays.
#[test]
fn a_burst_is_given_back_after_two_trims_while_steady_use_keeps_its_objects() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let pool: Pool<Vec<u8>> = Pool::with_capacity(256);
    pool.register("bursty");
    let default = poolable::global::<Vec<u64>>();

    // Steady use: 4 at a time. Then one burst of 200.
    let steady = |pool: &Pool<Vec<u8>>| {
        let held: Vec<_> = (0..4).map(|_| pool.get()).collect();
        drop(held);
    };
    steady(&pool);
    let burst: Vec<_> = (0..200).map(|_| pool.get()).collect();
    drop(burst);
    let defaults: Vec<_> = (0..50).map(|_| default.get()).collect();
    drop(defaults);
    assert_eq!(pool.stats().kept, 200);

    trim_all(); // everything was lent in this period
    assert_eq!(pool.stats().kept, 200);
    steady(&pool);
    trim_all(); // only the steady four were lent in this one: the burst goes now
    let stats = pool.stats();
    assert_eq!(
        (stats.kept, stats.dropped_cleared),
        (4, 196),
        "after two trims: {stats}"
    );
    steady(&pool);
    trim_all(); // steady use keeps its four, period after period
    let stats = pool.stats();
    assert_eq!(
        stats.kept, 4,
        "the burst is gone, the steady four stay: {stats}"
    );
    assert_eq!(stats.dropped_cleared, 196);
    assert_eq!(default.stats().kept, 0, "the default pool was trimmed too");

    let listed = stats_of("bursty").expect("registered");
    assert_eq!(listed.kept, 4);
    assert!(stats_of(std::any::type_name::<Vec<u64>>()).is_some());
}

/// The registry holds no pool alive: a dropped registered pool is skipped.
#[test]
fn a_dropped_registered_pool_is_skipped() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let pool: Pool<String> = Pool::new();
    pool.register("short-lived");
    assert!(stats_of("short-lived").is_some());
    pool.register(String::from("renamed"));
    assert!(
        stats_of("short-lived").is_none(),
        "registering again renames"
    );
    drop(pool);
    assert!(stats_of("renamed").is_none());
    trim_all(); // nothing to trim there, and no panic
}

/// `for_each_pool`'s closure runs with no lock of the runtime held: it may use pools,
/// make them, register them, and trim them.
#[test]
fn the_closure_may_use_the_runtime() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let pool: Pool<String> = Pool::new();
    pool.register("reentrant");
    let mut seen = 0;
    for_each_pool(|name, _| {
        if name == "reentrant" {
            seen += 1;
            let another: Pool<String> = Pool::new();
            another.register("made inside");
            drop(poolable::global::<String>().get());
            trim_all();
        }
    });
    assert_eq!(seen, 1);
}
