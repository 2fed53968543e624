//! Buffer reuse, the classic use of a pool: a data-processing function that needs an
//! output buffer per input borrows it from a pool of byte buffers instead of allocating.
//!
//! ```text
//! cargo run --release --example buffers
//! ```
//!
//! The pool's factory prints a line whenever it makes a buffer, so you can watch the first
//! round make them and the later rounds reuse them. One round is a burst, bigger than
//! the pool: the extra buffers are made, used, and dropped on return, because the pool
//! keeps at most `capacity` of them. The statistics at the end add it all up.

use std::sync::atomic::{AtomicUsize, Ordering};

use poolable::{Pool, Pooled};

/// Buffers the pool keeps at most.
const CAPACITY: usize = 4;
/// Bytes of input per file.
const FILE_SIZE: usize = 256 * 1024;

/// Buffers made so far, to number them.
static MADE: AtomicUsize = AtomicUsize::new(0);

/// Run-length encodes `input` into a buffer from `pool`: each run of one byte becomes
/// the byte and its count (up to 255).
///
/// The buffer outlives this function, so the guard is returned; the buffer goes back to
/// the pool when the caller drops it. (For scratch space that dies with the call,
/// `#[pooled(pool = ...)]` on a parameter does the borrowing and returning for you.)
fn compress<'p>(pool: &'p Pool<Vec<u8>>, input: &[u8]) -> Pooled<'p, Vec<u8>> {
    let mut output = pool.get(); // reused and empty, or new from the factory
    let mut bytes = input.iter().copied().peekable();
    while let Some(byte) = bytes.next() {
        let mut run = 1u8;
        while run < u8::MAX && bytes.next_if_eq(&byte).is_some() {
            run += 1;
        }
        output.extend_from_slice(&[byte, run]);
    }
    output
}

/// Makes a file of runs of varying length, different for every `seed`.
fn file(seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut data = Vec::with_capacity(FILE_SIZE);
    while data.len() < FILE_SIZE {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let run = (state % 40 + 1) as usize;
        let byte = b'a' + (state >> 32) as u8 % 26;
        data.extend(std::iter::repeat_n(byte, run.min(FILE_SIZE - data.len())));
    }
    data
}

fn main() {
    let pool: Pool<Vec<u8>> = Pool::builder()
        .capacity(CAPACITY)
        .factory(|| {
            let number = MADE.fetch_add(1, Ordering::Relaxed) + 1;
            println!("    (new buffer #{number})");
            Vec::new() // grows to fit the first file it serves; reuse keeps that capacity
        })
        .build();

    // Files per round: the fourth is a burst of more files than the pool keeps buffers.
    let rounds = [3, 3, 3, 6, 3];
    let mut seed = 0;
    for (round, &files) in rounds.iter().enumerate() {
        println!("round {}: {files} files", round + 1);
        let inputs: Vec<Vec<u8>> = (0..files)
            .map(|_| {
                seed += 1;
                file(seed)
            })
            .collect();

        // All outputs of a round are held at once (say, to be written out together),
        // so a round needs one buffer per file.
        let outputs: Vec<Pooled<'_, Vec<u8>>> =
            inputs.iter().map(|input| compress(&pool, input)).collect();
        for (input, output) in inputs.iter().zip(&outputs) {
            println!(
                "  {} KiB -> {} KiB (buffer capacity {} KiB)",
                input.len() / 1024,
                output.len() / 1024,
                output.capacity() / 1024,
            );
        }
        drop(outputs); // every buffer is cleared and kept, or dropped if the pool is full

        let stats = pool.stats();
        println!(
            "  made {} so far, reused {}, kept now {}, dropped because full {}",
            stats.made, stats.reused, stats.kept, stats.dropped_full,
        );
    }

    let stats = pool.stats();
    println!("\n{stats}");
    println!(
        "{} buffers made for {} files: the rest reused a kept buffer, whose capacity \
         came with it.\nThe burst's extra {} were dropped on return: the pool keeps at \
         most {CAPACITY}.",
        stats.made,
        stats.made + stats.reused,
        stats.dropped_full,
    );
}
