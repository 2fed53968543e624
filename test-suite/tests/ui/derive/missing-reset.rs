use poolable::Poolable;
use std::fs::File;
use std::rc::Rc;

struct Session {
    id: u64,
}

#[derive(Poolable)]
struct Request {
    body: Vec<u8>,
    log: File,
    shared: Rc<String>,
    name: &'static str,
    cursor: *const u8,
    session: Session,
    // `Option<T>` is `Poolable` when `T` is: a file is refused inside it too.
    backup: Option<File>,
}

fn main() {}
