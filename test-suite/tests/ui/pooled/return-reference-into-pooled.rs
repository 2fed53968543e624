use poolable::pooled;

#[pooled]
fn body<'a>(raw: &'a [u8], #[pooled] buf: &mut Vec<u8>) -> &'a [u8] {
    buf.extend_from_slice(raw);
    &buf[..]
}

#[pooled]
fn whole(#[pooled] buf: &mut Vec<u8>) -> &Vec<u8> {
    buf
}

fn main() {}
