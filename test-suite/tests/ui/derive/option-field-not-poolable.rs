// An `Option` is `Poolable` when what it holds is: the error blames the `File` inside, and
// offers `#[pool(reset = None)]` for a field that should let go of its file on each reset.
use poolable::Poolable;
use std::fs::File;

#[derive(Poolable)]
struct Upload {
    name: String,
    spool: Option<File>,
}

fn main() {}
