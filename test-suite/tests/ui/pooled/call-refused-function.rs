use poolable::pooled;
use std::io::Write;

// A refused `#[pooled]` parameter still leaves the signature, as the function's callers
// expect: calls written without it draw no "this function takes 2 arguments" (E0061),
// and the body, checked against a stand-in for it, draws nothing either. Each function
// gets its own error and nothing else.

#[pooled]
fn split(line: &str, #[pooled] words: &mut Vec<&str>) -> usize {
    words.extend(line.split(','));
    words.len()
}

#[pooled]
fn owned(raw: &[u8], #[pooled] s: String) -> usize {
    raw.len() + s.len()
}

#[pooled]
fn pair(#[pooled] (a, b): &mut (Vec<u8>, String)) -> usize {
    a.len() + b.len()
}

#[pooled]
fn write(#[pooled] out: &mut impl Write) {
    out.write_all(b"hello").unwrap();
}

#[pooled]
fn misspelt(#[pooled(pol = BUFFERS)] buf: &mut Vec<u8>) -> usize {
    buf.len()
}

struct Handler;

impl Handler {
    #[pooled]
    fn handle(#[pooled] &mut self, #[pooled] buf: &mut Vec<u8>) -> usize {
        buf.len()
    }
}

fn main() {
    let _ = split("a,b");
    let _ = owned(b"raw");
    let _ = pair();
    write();
    let _ = misspelt();
    let _ = Handler.handle();
}
