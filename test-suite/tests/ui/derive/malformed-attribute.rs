use poolable::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool]
    a: u32,
    #[pool = "skip"]
    b: u32,
    #[pool(skip reset)]
    c: u32,
}

fn main() {}
