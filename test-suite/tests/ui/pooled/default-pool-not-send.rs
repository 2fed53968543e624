use poolable::{Poolable, pooled};
use std::rc::Rc;

struct Config {
    name: String,
}

// A shared configuration kept across reuse, as the derive allows; but `Rc` is not
// `Send`, and default pools are shared by every thread.
#[derive(Poolable)]
#[pool(new = Session { log: Vec::new(), config: Rc::new(Config { name: String::new() }) })]
struct Session {
    log: Vec<u8>,
    #[pool(skip)]
    config: Rc<Config>,
}

#[pooled]
fn handle(raw: &[u8], #[pooled] session: &mut Session) -> usize {
    session.log.extend_from_slice(raw);
    session.log.len() + session.config.name.len()
}

fn main() {}
