use poolable::Poolable;

#[derive(Poolable)]
#[pool(skip)]
struct Request {
    body: Vec<u8>,
}

#[derive(Poolable)]
enum State {
    #[pool(default, reset = State::Idle)]
    Idle,
}

fn main() {}
