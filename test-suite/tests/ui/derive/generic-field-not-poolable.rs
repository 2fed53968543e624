use poolable::Poolable;
use std::rc::Rc;

#[derive(Poolable)]
struct Wrapper<T> {
    items: Vec<T>,
    inner: T,
}

fn reset<T: Poolable>(value: &mut T) {
    value.reset();
}

fn main() {
    let mut wrapper = Wrapper { items: Vec::new(), inner: Rc::new(1) };
    reset(&mut wrapper);
}
