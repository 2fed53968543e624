use poolable::pooled;

// The natural parser scratch: slices of the input. The pooled object outlives the call,
// so what it holds cannot borrow from the call's arguments.
#[pooled]
fn split(line: &str, #[pooled] fields: &mut Vec<&str>) -> usize {
    fields.extend(line.split(','));
    fields.len()
}

struct Parser<'a> {
    tokens: Vec<&'a str>,
}

#[pooled]
fn tokens<'a>(line: &'a str, #[pooled] parser: &mut Parser<'a>) -> usize {
    parser.tokens.extend(line.split(' '));
    parser.tokens.len()
}

fn main() {}
