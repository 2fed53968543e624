//! Heap allocations per decode of one JSON request (see `decode_common`), each way, in
//! steady state, counted by the repository's counting allocator. Deterministic: prints
//! one line per way. Run: `cargo bench -p poolable-benches --bench decode_allocs`.

mod decode_common;

#[path = "../../examples/support/counting_alloc.rs"]
mod counting_alloc;

use decode_common::{Request, WAYS, decoder};
use poolable::Pool;

#[global_allocator]
static ALLOCATOR: counting_alloc::Counting = counting_alloc::Counting;

/// Decodes before counting, so that the pool holds a request that has seen this input.
const WARM_UP: u64 = 16;
const ROUNDS: u64 = 1_000;

fn main() {
    let pool: Pool<Request> = Pool::with_capacity(16);
    println!(
        "allocations per decode of the request ({} bytes of JSON)",
        decode_common::JSON.len()
    );
    for way in WAYS {
        let op = decoder(way).expect("a known way");
        for _ in 0..WARM_UP {
            std::hint::black_box(op(&pool));
        }
        let count = counting_alloc::allocations_in(|| {
            for _ in 0..ROUNDS {
                std::hint::black_box(op(&pool));
            }
        });
        println!("{way:>13}: {:.2}", count as f64 / ROUNDS as f64);
    }
}
