use poolable::Poolable;

fn clear(value: &mut Vec<u8>) {
    value.clear();
}

#[derive(Poolable)]
struct Request {
    #[pool(skip, reset = 1)]
    a: u32,
    #[pool(reset_with = clear, skip)]
    b: Vec<u8>,
    #[pool(skip)]
    #[pool(shrink_to = 8)]
    c: Vec<u8>,
    #[pool(reset = Vec::new(), reset_with = clear)]
    d: Vec<u8>,
}

fn main() {}
