use poolable::Poolable;

fn clear_bytes(bytes: &mut [u8]) {
    bytes.fill(0);
}

fn takes_value(_: u32) {}

#[derive(Poolable)]
#[pool(capacity = "256", new = Request::new)]
struct Request {
    #[pool(reset = "one")]
    attempts: u32,
    #[pool(reset_with = clear_bytes)]
    names: Vec<String>,
    #[pool(reset_with = takes_value)]
    count: u32,
    #[pool(shrink_to = -1)]
    body: Vec<u8>,
}

impl Request {
    fn new() -> Self {
        Request { attempts: 0, names: Vec::new(), count: 0, body: Vec::new() }
    }
}

fn main() {}
