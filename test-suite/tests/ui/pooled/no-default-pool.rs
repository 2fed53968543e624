use poolable::{Poolable, pooled};

struct Connection {
    scratch: Vec<u8>,
}

impl Poolable for Connection {
    fn reset(&mut self) {
        self.scratch.clear();
    }
}

#[pooled]
fn handle(raw: &[u8], #[pooled] conn: &mut Connection) -> usize {
    conn.scratch.extend_from_slice(raw);
    conn.scratch.len()
}

fn main() {}
