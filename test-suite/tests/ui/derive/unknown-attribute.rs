use poolable::Poolable;

#[derive(Poolable)]
#[pool(capacty = 8)]
struct Request {
    #[pool(skipp)]
    body: Vec<u8>,
    #[pool(serde::rename = "x")]
    name: String,
}

#[derive(Poolable)]
enum State {
    #[pool(defualt)]
    Idle,
}

fn main() {}
