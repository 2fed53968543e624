use poolable::pooled;

fn handle(#[pooled] buf: &mut Vec<u8>) -> usize {
    buf.len()
}

fn main() {}
