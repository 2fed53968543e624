use poolable::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(shrink_to = 8)]
    attempts: u32,
}

fn main() {}
