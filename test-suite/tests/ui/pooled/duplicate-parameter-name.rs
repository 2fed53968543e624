use poolable::pooled;

#[pooled]
fn handle(buf: &[u8], #[pooled] buf: &mut Vec<u8>) -> usize {
    buf.len()
}

fn main() {}
