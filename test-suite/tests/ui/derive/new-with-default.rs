use poolable::Poolable;

// `new` says how the default pool makes an object, and so does `Default`: one type
// cannot have both.
#[derive(Poolable, Default)]
#[pool(new = Request { body: Vec::with_capacity(4096) })]
struct Request {
    body: Vec<u8>,
}

fn main() {}
