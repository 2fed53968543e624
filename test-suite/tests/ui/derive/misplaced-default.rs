use poolable::Poolable;

#[derive(Poolable)]
#[pool(default)]
struct Request {
    #[pool(default)]
    body: Vec<u8>,
}

#[derive(Poolable)]
#[pool(default)]
enum State {
    #[pool(default)]
    Idle {
        #[pool(default)]
        count: u32,
    },
}

fn main() {}
