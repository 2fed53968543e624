use poolable::pooled;

#[pooled]
fn handle(raw: &[u8], buf: &mut Vec<u8>) -> usize {
    buf.extend_from_slice(raw);
    buf.len()
}

#[pooled]
fn nothing() {}

fn main() {}
