//! Timings of poolable against the pool crates a user would pick instead, a fresh
//! allocation each time, and the limit (a thread-local stack), on five workloads:
//!
//! - `round-trip`: borrow a `Vec<u8>` of 4 KiB capacity and return it, no work in
//!   between: the pool's own cost. One iteration is one borrow and return.
//! - `small`: borrow a `Vec<u8>` of 4 KiB capacity, write 64 bytes, return it; one
//!   thread. One iteration is one borrow and return.
//! - `two-threads`: the same on two threads sharing one pool. One iteration is one
//!   operation on each thread, both working at once.
//! - `hold-many`: borrow 64 buffers at once, write each, return them all. One iteration
//!   is the whole batch of 64.
//! - `request`: borrow a request (path, 8 headers, 2 KiB body, 4 tags), fill it,
//!   checksum it, return it. The group also holds the deep-reuse contenders, whose
//!   requests keep their strings as spares (see `common/deep.rs`).
//!
//! `scripts/bench.sh` runs this and the `allocs` target and writes `BENCHMARKS.md`.

mod common;

use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use common::{Contender, Visitor, each_contender, fill_small, touch};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};

type Group<'a> = BenchmarkGroup<'a, WallTime>;

/// Borrows each thread makes before the clock starts in `two-threads`, so that every
/// contender is in its steady state on a fresh thread.
const THREAD_WARM_UP: u64 = 256;

/// Runs `op` on two threads sharing `contender`, `iters` times on each; returns the
/// longer of the two threads' times, so that time / `iters` is the time per operation
/// with two threads working at once.
fn on_two_threads<C: Contender>(contender: &C, iters: u64, op: fn(&C)) -> Duration {
    let ready = Barrier::new(2);
    std::thread::scope(|scope| {
        let run = || {
            for _ in 0..THREAD_WARM_UP {
                op(contender);
            }
            ready.wait();
            let start = Instant::now();
            for _ in 0..iters {
                op(contender);
            }
            start.elapsed()
        };
        let other = scope.spawn(run);
        let here = run();
        let there = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        here.max(there)
    })
}

/// `round-trip`: one borrow and return per iteration, no work in between.
struct RoundTrip<'g, 'a>(&'g mut Group<'a>);

impl Visitor for RoundTrip<'_, '_> {
    fn visit<C: Contender>(&mut self, name: &'static str, contender: &C) {
        if C::BUFFERS {
            self.0
                .bench_function(name, |b| b.iter(|| contender.borrow_one(touch)));
        }
    }
}

/// `small`: one borrow, 64-byte write and return per iteration.
struct Small<'g, 'a>(&'g mut Group<'a>);

impl Visitor for Small<'_, '_> {
    fn visit<C: Contender>(&mut self, name: &'static str, contender: &C) {
        if C::BUFFERS {
            self.0
                .bench_function(name, |b| b.iter(|| contender.borrow_one(fill_small)));
        }
    }
}

/// `two-threads`: `small` on two threads sharing the contender.
struct TwoThreads<'g, 'a>(&'g mut Group<'a>);

impl Visitor for TwoThreads<'_, '_> {
    fn visit<C: Contender>(&mut self, name: &'static str, contender: &C) {
        if C::BUFFERS {
            self.0.bench_function(name, |b| {
                b.iter_custom(|iters| {
                    on_two_threads(contender, iters, |c| c.borrow_one(fill_small))
                });
            });
        }
    }
}

/// `hold-many`: one batch of borrows, held together, then returned, per iteration.
struct HoldMany<'g, 'a>(&'g mut Group<'a>);

impl Visitor for HoldMany<'_, '_> {
    fn visit<C: Contender>(&mut self, name: &'static str, contender: &C) {
        if C::BUFFERS && C::HOLDS_MANY {
            self.0
                .bench_function(name, |b| b.iter(|| contender.hold_many(fill_small)));
        }
    }
}

/// `request`: fill, checksum and release one request per iteration.
struct Request<'g, 'a>(&'g mut Group<'a>);

impl Visitor for Request<'_, '_> {
    fn visit<C: Contender>(&mut self, name: &'static str, contender: &C) {
        self.0
            .bench_function(name, |b| b.iter(|| black_box(contender.request())));
    }
}

fn compare(c: &mut Criterion) {
    let mut group = c.benchmark_group("round-trip");
    each_contender(&mut RoundTrip(&mut group));
    group.finish();

    let mut group = c.benchmark_group("small");
    each_contender(&mut Small(&mut group));
    group.finish();

    let mut group = c.benchmark_group("two-threads");
    each_contender(&mut TwoThreads(&mut group));
    group.finish();

    let mut group = c.benchmark_group("hold-many");
    each_contender(&mut HoldMany(&mut group));
    group.finish();

    let mut group = c.benchmark_group("request");
    each_contender(&mut Request(&mut group));
    group.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);
