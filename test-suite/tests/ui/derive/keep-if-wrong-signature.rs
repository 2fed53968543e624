use poolable::Poolable;

// `keep_if` names a function `fn(&Self) -> bool`.
#[derive(Poolable, Default)]
#[pool(keep_if = body_size)]
struct Request {
    body: Vec<u8>,
}

fn body_size(request: &Request) -> usize {
    request.body.capacity()
}

#[derive(Poolable, Default)]
#[pool(keep_if = Response::small_enough)]
struct Response {
    body: Vec<u8>,
}

impl Response {
    fn small_enough(self) -> bool {
        self.body.capacity() <= 4096
    }
}

fn main() {}
