use poolable::Poolable;

fn clear(value: &mut Vec<u8>) {
    value.clear();
}

#[derive(Poolable)]
enum State {
    #[pool(default)]
    Idle(Vec<u8>),
    Busy {
        #[pool(skip)] // accepted: the fields of `Busy` are dropped, not reset
        id: u32,
        #[pool(reset = 0)]
        attempts: u32,
        #[pool(reset_with = clear)]
        scratch: Vec<u8>,
        #[pool(shrink_to = 8)]
        buffer: Vec<u8>,
    },
}

fn main() {}
