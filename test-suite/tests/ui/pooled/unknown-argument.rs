use poolable::pooled;

#[pooled]
fn key(#[pooled(capacity = 4)] buf: &mut Vec<u8>) {
    buf.clear();
}

#[pooled]
fn flag(#[pooled(fresh)] buf: &mut Vec<u8>) {
    buf.clear();
}

#[pooled]
fn name_value(#[pooled = BUFFERS] buf: &mut Vec<u8>) {
    buf.clear();
}

#[pooled]
fn no_value(#[pooled(pool)] buf: &mut Vec<u8>) {
    buf.clear();
}

#[pooled]
fn misplaced_crate(#[pooled(crate = poolable)] buf: &mut Vec<u8>) {
    buf.clear();
}

#[pooled]
fn misspelt(#[pooled(pol = BUFFERS)] buf: &mut Vec<u8>) {
    buf.clear();
}

#[pooled(crat = poolable)]
fn misspelt_on_function(#[pooled] buf: &mut Vec<u8>) {
    buf.clear();
}

fn main() {}
