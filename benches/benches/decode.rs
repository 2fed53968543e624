//! Timings of decoding one JSON request (see `decode_common`): `serde_json::from_slice`
//! into a fresh request, on std collections and on the reuse collections, against
//! `Pool::decode` in place into a pooled one. One iteration is one decode, the request
//! dropped or returned to its pool. All three run in one criterion run, so their ratios
//! are comparable. Run: `cargo bench -p poolable-benches --bench decode`.

mod decode_common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use decode_common::{Request, WAYS, decoder};
use poolable::Pool;

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    let pool: Pool<Request> = Pool::with_capacity(16);
    for way in WAYS {
        let op = decoder(way).expect("a known way");
        group.bench_function(way, |b| b.iter(|| black_box(op(&pool))));
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
