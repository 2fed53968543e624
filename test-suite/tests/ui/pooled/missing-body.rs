use poolable::pooled;

trait Handler {
    #[pooled]
    fn handle(&self, raw: &[u8], #[pooled] buf: &mut Vec<u8>) -> usize;
}

fn main() {}
