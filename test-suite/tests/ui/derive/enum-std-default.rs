use poolable::Poolable;

// std's `#[default]` marks the variant reset turns the value into, as `#[pool(default)]`
// does: the two on different variants contradict each other.
#[derive(Poolable, Default)]
enum State {
    #[default]
    Idle,
    #[pool(default)]
    Ready(Vec<u8>),
}

#[derive(Poolable, Default)]
enum Phase {
    #[pool(default)]
    Start,
    #[default]
    Running,
}

// One variant with both is fine, and so is `#[default]` alone.
#[derive(Poolable, Default)]
enum Fine {
    #[default]
    #[pool(default)]
    Idle,
    Busy(u32),
}

#[derive(Poolable, Default)]
enum AlsoFine {
    Busy(u32),
    #[default]
    Idle,
}

fn main() {}
