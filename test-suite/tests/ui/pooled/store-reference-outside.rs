use poolable::pooled;
use std::sync::Mutex;

static LAST: Mutex<Option<&'static Vec<u8>>> = Mutex::new(None);

#[pooled]
fn keep_in_static(#[pooled] buf: &mut Vec<u8>) {
    *LAST.lock().unwrap() = Some(buf);
}

#[pooled]
fn keep_in_caller<'a>(kept: &mut Vec<&'a [u8]>, #[pooled] buf: &mut Vec<u8>) {
    buf.push(1);
    kept.push(&buf[..]);
}

fn main() {}
