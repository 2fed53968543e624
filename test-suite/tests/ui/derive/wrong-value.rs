use poolable::Poolable;

#[derive(Poolable)]
#[pool(capacity, crate = 1, bound = T, keep_if = |_| true)]
struct Request {
    #[pool(skip = 1)]
    a: u32,
    #[pool(skip(a))]
    b: u32,
    #[pool(reset_with = 1)]
    c: u32,
    #[pool(reset_with = "not a path")]
    d: u32,
    #[pool(reset)]
    e: u32,
    #[pool(shrink_to)]
    f: Vec<u8>,
}

#[derive(Poolable)]
#[pool(bound = "T:: Poolable")]
enum State<T> {
    #[pool(default = true)]
    Idle(Vec<T>),
}

fn main() {}
