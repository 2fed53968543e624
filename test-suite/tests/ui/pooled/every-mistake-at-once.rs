use poolable::pooled;

// Every mistake in one function is reported in one compile, each at its token, and the
// function is still emitted as written, so nothing follows from them.
#[pooled(crat = poolable)]
const fn handle(
    raw: &[u8],
    #[pooled(pol = BUFFERS, pool)] buf: &mut Vec<u8>,
    #[pooled] fields: &mut Vec<&'static str>, // fine: borrows nothing from the call
) -> usize {
    raw.len() + buf.len() + fields.len()
}

fn main() {}
