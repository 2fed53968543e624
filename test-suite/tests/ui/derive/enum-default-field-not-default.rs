use poolable::Poolable;

struct Config;

// Reset turns `Busy` into `Idle`, so every field of `Idle` needs a fresh value:
// `Default::default()`, or its `reset = EXPR`.
#[derive(Poolable)]
enum State {
    #[pool(default)]
    Idle {
        buffer: Vec<u8>,
        #[pool(skip)]
        config: Config,
    },
    Busy(u32),
}

fn main() {}
