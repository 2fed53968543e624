use poolable::Poolable;

// `new` and `Default` both say how the default pool makes an object. With `Default`
// derived in a later attribute, the derive sees it and says so at `new`.
#[derive(Poolable)]
#[derive(Default)]
#[pool(new = Request { body: Vec::with_capacity(4096) })]
struct Request {
    body: Vec<u8>,
}

fn main() {}
