use poolable::Poolable;

#[derive(Poolable)]
enum State {
    #[pool(default)]
    Idle,
    #[pool(default)]
    Ready(Vec<u8>),
    Busy(u32),
}

fn main() {}
