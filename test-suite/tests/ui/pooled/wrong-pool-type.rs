use poolable::Pool;
use poolable::pooled;

struct Handler {
    lines: Pool<String>,
    limit: usize,
}

impl Handler {
    #[pooled]
    fn other_type(&self, #[pooled(pool = self.lines)] buf: &mut Vec<u8>) -> usize {
        buf.len()
    }

    #[pooled]
    fn not_a_pool(&self, #[pooled(pool = self.limit)] buf: &mut Vec<u8>) -> usize {
        buf.len()
    }
}

fn main() {}
