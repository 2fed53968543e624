use poolable::pooled;

#[pooled]
struct Request {
    body: Vec<u8>,
}

#[pooled]
static BUFFER: Vec<u8> = Vec::new();

#[pooled]
impl Request {
    fn len(&self) -> usize {
        self.body.len()
    }
}

fn main() {}
