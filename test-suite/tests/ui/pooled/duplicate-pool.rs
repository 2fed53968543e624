use poolable::Pool;
use poolable::pooled;
use std::sync::LazyLock;

static BUFFERS: LazyLock<Pool<Vec<u8>>> = LazyLock::new(Pool::new);

#[pooled]
fn twice_in_one(#[pooled(pool = BUFFERS, pool = BUFFERS)] buf: &mut Vec<u8>) {
    buf.clear();
}

#[pooled]
fn two_attributes(
    #[pooled(pool = BUFFERS)]
    #[pooled]
    buf: &mut Vec<u8>,
) {
    buf.clear();
}

fn main() {}
