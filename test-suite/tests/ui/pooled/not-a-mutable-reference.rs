use poolable::pooled;

#[pooled]
fn owned(#[pooled] buf: Vec<u8>) -> usize {
    buf.len()
}

#[pooled]
fn shared(#[pooled] buf: &Vec<u8>) -> usize {
    buf.len()
}

#[pooled]
fn boxed(#[pooled] buf: Box<Vec<u8>>) -> usize {
    buf.len()
}

#[pooled]
fn pointer(#[pooled] buf: *mut Vec<u8>) -> bool {
    buf.is_null()
}

fn main() {}
