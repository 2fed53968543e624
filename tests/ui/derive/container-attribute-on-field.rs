use poolable::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(capacity = 8)]
    body: Vec<u8>,
    #[pool(crate = poolable)]
    name: String,
}

#[derive(Poolable)]
enum State {
    #[pool(default, new = State::Idle)]
    Idle,
}

fn main() {}
