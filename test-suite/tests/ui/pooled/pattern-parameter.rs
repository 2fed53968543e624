use poolable::pooled;

#[pooled]
fn tuple(#[pooled] (a, b): &mut (Vec<u8>, String)) {
    a.clear();
    b.clear();
}

#[pooled]
fn wildcard(#[pooled] _: &mut Vec<u8>) {}

#[pooled]
fn by_ref(#[pooled] ref buf: &mut Vec<u8>) {
    let _ = buf;
}

#[pooled]
fn binding(#[pooled] buf @ _: &mut Vec<u8>) {
    buf.clear();
}

fn main() {}
