use poolable::Poolable;

#[derive(Poolable)]
enum State {
    Idle,
    Busy(u32),
}

#[derive(Poolable)]
enum Never {}

fn main() {}
