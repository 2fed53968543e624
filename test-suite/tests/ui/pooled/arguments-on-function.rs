use poolable::Pool;
use poolable::pooled;
use std::sync::LazyLock;

static BUFFERS: LazyLock<Pool<Vec<u8>>> = LazyLock::new(Pool::new);

#[pooled(pool = BUFFERS)]
fn misplaced(#[pooled] buf: &mut Vec<u8>) {
    buf.clear();
}

#[pooled(capacity = 4)]
fn unknown(#[pooled] buf: &mut Vec<u8>) {
    buf.clear();
}

#[pooled(crate)]
fn crate_without_path(#[pooled] buf: &mut Vec<u8>) {
    buf.clear();
}

#[pooled(crate = poolable, crate = poolable)]
fn crate_twice(#[pooled] buf: &mut Vec<u8>) {
    buf.clear();
}

fn main() {}
