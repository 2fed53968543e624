use poolable::pooled;

#[pooled]
fn handle(raw: &[u8], #[pooled] buf: &mut Vec<u8>) -> usize {
    buf.extend_from_slice(raw);
    let n: u32 = buf.len();
    n
}

#[pooled]
fn no_tail(#[pooled] buf: &mut Vec<u8>) -> usize {
    buf.len();
}

#[pooled]
fn no_such_method(#[pooled] buf: &mut Vec<u8>) {
    buf.push_str("x");
}

fn main() {}
