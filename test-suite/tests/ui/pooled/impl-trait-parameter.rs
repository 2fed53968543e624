use poolable::pooled;
use std::io::Write;

#[pooled]
fn write(#[pooled] out: &mut impl Write) {
    out.write_all(b"hello").unwrap();
}

fn main() {}
