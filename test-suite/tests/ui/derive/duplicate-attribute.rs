use poolable::Poolable;

#[derive(Poolable)]
#[pool(capacity = 8)]
#[pool(capacity = 16)]
#[pool(keep_if = small_enough, keep_if = small_enough)]
struct Request {
    #[pool(reset = 1, reset = 2)]
    attempts: u32,
}

#[derive(Poolable)]
enum State {
    #[pool(default, default)]
    Idle,
}

fn small_enough(_: &Request) -> bool {
    true
}

fn main() {}
