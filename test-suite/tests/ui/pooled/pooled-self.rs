use poolable::pooled;

struct Handler;

impl Handler {
    #[pooled]
    fn handle(#[pooled] &mut self, #[pooled] buf: &mut Vec<u8>) {
        buf.clear();
    }
}

fn main() {}
