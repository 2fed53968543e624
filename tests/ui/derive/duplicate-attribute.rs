use poolable::Poolable;

#[derive(Poolable)]
#[pool(capacity = 8)]
#[pool(capacity = 16)]
struct Request {
    #[pool(reset = 1, reset = 2)]
    attempts: u32,
}

#[derive(Poolable)]
enum State {
    #[pool(default, default)]
    Idle,
}

fn main() {}
