//! Heap allocations per operation of every contender on every workload, counted by a
//! global allocator that counts each `alloc` and `realloc`.
//!
//! Each contender first runs the workload to reach its steady state, then runs it
//! [`OPS`] times with the counter on; the figure is the count divided by the operations
//! (for `hold-many`, by the batches of 64; for `two-threads`, by the operations of both
//! threads). Prints a table; with `--json PATH`, also writes the figures there for
//! `scripts/bench.sh`.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};

use common::{Contender, HOLD, Visitor, each_contender, fill_small, touch};

/// Operations counted per contender and workload (batches, for `hold-many`).
const OPS: u64 = 20_000;
/// Operations run first, uncounted, to reach the steady state.
const WARM_UP: u64 = 2_000;

/// The system allocator, counting.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so
// `System`'s guarantees are ours; counting touches no memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded as is; the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as in `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded as is; `ptr` came from this allocator, that is from `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is; `ptr` came from this allocator, that is from `System`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Allocations per operation of `op`, on this thread.
fn per_op<C: Contender>(contender: &C, op: impl Fn(&C)) -> f64 {
    for _ in 0..WARM_UP {
        op(contender);
    }
    let before = allocations();
    for _ in 0..OPS {
        op(contender);
    }
    (allocations() - before) as f64 / OPS as f64
}

/// Allocations per operation of `op` on two threads sharing `contender`, counted from
/// when both are warm to when both are done (thread start and exit are not counted).
fn per_op_two_threads<C: Contender>(contender: &C, op: fn(&C)) -> f64 {
    let warm = Barrier::new(3);
    let counting = Barrier::new(3);
    let done = Barrier::new(3);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                for _ in 0..WARM_UP {
                    op(contender);
                }
                warm.wait();
                counting.wait();
                for _ in 0..OPS {
                    op(contender);
                }
                done.wait();
            });
        }
        warm.wait();
        let before = allocations();
        counting.wait();
        done.wait();
        (allocations() - before) as f64 / (2 * OPS) as f64
    })
}

/// The workloads, in the order of the table and the JSON.
const WORKLOADS: [&str; 5] = ["round-trip", "small", "two-threads", "hold-many", "request"];

/// One row: a contender's figures per workload, `None` where it does not run it.
struct Row {
    name: &'static str,
    figures: [Option<f64>; WORKLOADS.len()],
}

struct Count(Vec<Row>);

impl Visitor for Count {
    fn visit<C: Contender>(&mut self, name: &'static str, contender: &C) {
        let buffers = C::BUFFERS;
        let round_trip = buffers.then(|| per_op(contender, |c| c.borrow_one(touch)));
        let small = buffers.then(|| per_op(contender, |c| c.borrow_one(fill_small)));
        let two_threads =
            buffers.then(|| per_op_two_threads(contender, |c| c.borrow_one(fill_small)));
        let hold_many =
            (buffers && C::HOLDS_MANY).then(|| per_op(contender, |c| c.hold_many(fill_small)));
        let request = Some(per_op(contender, |c| {
            black_box(c.request());
        }));
        self.0.push(Row {
            name,
            figures: [round_trip, small, two_threads, hold_many, request],
        });
    }
}

fn json(rows: &[Row]) -> String {
    let number = |value: Option<f64>| value.map_or("null".to_owned(), |v| format!("{v:.4}"));
    let mut out = String::from("{\n");
    let _ = writeln!(
        out,
        "  \"ops\": {OPS},\n  \"hold\": {HOLD},\n  \"contenders\": {{"
    );
    for (i, row) in rows.iter().enumerate() {
        let fields: Vec<String> = WORKLOADS
            .iter()
            .zip(row.figures)
            .map(|(workload, figure)| format!("\"{workload}\": {}", number(figure)))
            .collect();
        let _ = write!(out, "    \"{}\": {{{}}}", row.name, fields.join(", "));
        out.push_str(if i + 1 < rows.len() { ",\n" } else { "\n" });
    }
    out.push_str("  }\n}\n");
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut json_path = None;
    while let Some(arg) = args.next() {
        // `cargo bench` passes `--bench` and any filter; only `--json PATH` is ours.
        if arg == "--json" {
            json_path = args.next();
        }
    }

    let mut count = Count(Vec::new());
    each_contender(&mut count);

    println!("heap allocations per operation ({OPS} operations after {WARM_UP} to warm up)");
    print!("{:<20}", "contender");
    for workload in WORKLOADS {
        print!(" {workload:>12}");
    }
    println!("   (hold-many: per batch of {HOLD})");
    for row in &count.0 {
        print!("{:<20}", row.name);
        for figure in row.figures {
            let cell = figure.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.2}"));
            print!(" {cell:>12}");
        }
        println!();
    }
    if let Some(path) = json_path
        && let Err(error) = std::fs::write(&path, json(&count.0))
    {
        eprintln!("could not write {path}: {error}");
        std::process::exit(1);
    }
}
