use poolable::pooled;

#[pooled]
const fn length(#[pooled] buf: &mut Vec<u8>) -> usize {
    buf.len()
}

fn main() {}
