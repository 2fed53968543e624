// Every mistake in one item is reported in one compile, and the type still implements
// `Poolable` (a stub), so its uses add no errors of their own.
use poolable::Poolable;

#[derive(Poolable, Default)]
#[pool(capacity = 8, colour = "red")]
struct Request {
    #[pool(skip, skip)]
    body: Vec<u8>,
    #[pool(reset = 1, reset_with = clear)]
    attempts: u32,
}

fn main() {
    let mut request = poolable::global::<Request>().get();
    request.reset();
}
