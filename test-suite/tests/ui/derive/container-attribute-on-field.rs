use poolable::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(capacity = 8)]
    body: Vec<u8>,
    #[pool(crate = poolable)]
    name: String,
    #[pool(keep_if = small_enough)]
    tags: Vec<String>,
}

#[derive(Poolable)]
enum State {
    #[pool(default, new = State::Idle)]
    Idle,
}

fn small_enough(request: &Request) -> bool {
    request.body.capacity() <= 4096
}

fn main() {}
