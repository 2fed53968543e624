//! The program `scripts/callgrind.sh` runs under valgrind's callgrind to count the
//! instructions of one borrow and return, for poolable and the other contenders.
//!
//! ```text
//! callgrind CONTENDER WORKLOAD ITERATIONS
//! ```
//!
//! runs [`WARM_UP`] iterations of WORKLOAD, then ITERATIONS more, and exits. The script
//! runs it at two iteration counts and subtracts the two instruction totals, so that
//! start-up, the warm-up and the exit cancel and what remains is ITERATIONS' difference
//! times the cost of one iteration. Workloads:
//!
//! - `round-trip`: borrow a `Vec<u8>` and return it, no work in between.
//! - `small`: the same with 64 bytes written, as in the timings' `small`.
//! - `hold-many`: borrow 64 at once, then return them all, no work on them; the script
//!   divides by 64, for a figure per object.
//! - `request`: the timings' `request` (fill a request, checksum it, return it), with
//!   the deep-reuse contenders too.
//! - `decode`: decode one JSON request (the `decode` timings' workload, see
//!   `decode_common`); its contenders are the ways to decode: `fresh-std`, `fresh`,
//!   `in-place`.
//!
//! With no arguments (as `cargo bench` runs it) it says how to use it and exits: it
//! measures nothing on its own.

mod common;
mod decode_common;

use std::process::ExitCode;

use std::hint::black_box;

use common::{Contender, NAMES, Visitor, fill_small, touch, visit_named};

/// Iterations run before the counted ones, in both runs alike, so that each contender
/// is in its steady state (its objects made, its thread-local state set up).
const WARM_UP: u64 = 1_000;

/// Runs one workload on the contender it is shown.
struct Run {
    workload: String,
    iterations: u64,
    /// Whether the contender runs the workload.
    ran: bool,
}

impl Run {
    fn repeat<C: Contender>(&self, contender: &C, op: impl Fn(&C)) {
        for _ in 0..WARM_UP + self.iterations {
            op(contender);
        }
    }
}

impl Visitor for Run {
    fn visit<C: Contender>(&mut self, _: &'static str, contender: &C) {
        self.ran = match self.workload.as_str() {
            "round-trip" if C::BUFFERS => {
                self.repeat(contender, |c| c.borrow_one(touch));
                true
            }
            "small" if C::BUFFERS => {
                self.repeat(contender, |c| c.borrow_one(fill_small));
                true
            }
            "hold-many" if C::BUFFERS && C::HOLDS_MANY => {
                self.repeat(contender, |c| c.hold_many(touch));
                true
            }
            "request" => {
                self.repeat(contender, |c| {
                    black_box(c.request());
                });
                true
            }
            _ => false,
        };
    }
}

fn usage() -> String {
    format!(
        "usage: callgrind CONTENDER WORKLOAD ITERATIONS\n\
         \x20 CONTENDER: {}\n\
         \x20 WORKLOAD: round-trip, small, hold-many, request\n\
         \x20 or CONTENDER {} with WORKLOAD decode\n\
         Meant to run under valgrind's callgrind: see scripts/callgrind.sh.",
        NAMES.join(", "),
        decode_common::WAYS.join(", ")
    )
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; only positional arguments are ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let [contender, workload, iterations] = args.as_slice() else {
        eprintln!("{}", usage());
        // Run with no arguments by `cargo bench`: nothing to measure, not a failure.
        return if args.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    };
    let Ok(iterations) = iterations.parse() else {
        eprintln!(
            "ITERATIONS must be a whole number, not {iterations:?}\n{}",
            usage()
        );
        return ExitCode::FAILURE;
    };
    if workload == "decode" {
        let Some(op) = decode_common::decoder(contender) else {
            eprintln!("no way to decode called {contender:?}\n{}", usage());
            return ExitCode::FAILURE;
        };
        let pool = poolable::Pool::with_capacity(16);
        for _ in 0..WARM_UP + iterations {
            black_box(op(&pool));
        }
        return ExitCode::SUCCESS;
    }
    let mut run = Run {
        workload: workload.clone(),
        iterations,
        ran: false,
    };
    if !visit_named(&mut run, contender) {
        eprintln!("no contender called {contender:?}\n{}", usage());
        return ExitCode::FAILURE;
    }
    if !run.ran {
        eprintln!("{contender} does not run {workload:?}\n{}", usage());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
