use poolable::pooled;

#[pooled]
fn named<'a>(#[pooled] buf: &'a mut Vec<u8>) -> &'a [u8] {
    &buf[..]
}

fn main() {}
