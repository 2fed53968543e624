//! The main example: one request-handling workload, run twice, without a pool and with
//! one, printing the time and heap allocations per request and the pool's statistics.
//!
//! ```text
//! cargo run --release --example requests
//! ```
//!
//! Each request is an HTTP/1.1 form post. Handling it parses the request line, decodes
//! the path and query, reads the headers, decodes the form body and writes a JSON
//! response: the kind of work whose scratch space (strings, maps of strings, an output
//! buffer) is made and thrown away once per request. [`Exchange`] holds that space, as a
//! user would write it: strings, a header map, a list of tags. Unpooled, each request
//! makes a new one, and pooled, `#[pooled]` lends one that the last request left reset,
//! with its buffers still allocated: the maps and the tag list are `ReuseMap` and
//! `ReuseVec`, whose reset keeps their strings too, so a request in steady state
//! allocates nothing.
//!
//! To check pooling in your own program the same way, copy `support/counting_alloc.rs`
//! and read your pool's [`Stats`](poolable::Stats), as `main` does at the end.

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use poolable::{Poolable, ReuseMap, ReuseVec, pooled};

#[global_allocator]
static ALLOCATOR: counting_alloc::Counting = counting_alloc::Counting;

/// Requests measured per run, after a warm-up.
const REQUESTS: usize = 200_000;
/// Rounds per run, alternating unpooled and pooled; the median round is reported.
const ROUNDS: usize = 5;
/// Distinct requests, cycled through.
const DISTINCT: usize = 1_000;

/// Everything one request needs while it is handled.
///
/// The derive writes `reset` field by field: strings and the body are cleared and keep
/// their capacity, `status` goes back to 0, and the `ReuseMap`s and the `ReuseVec` clear
/// their keys, values and tags and keep them as spares for the next request. A field
/// added later without a reset would not compile, so nothing of one request can leak into
/// the next.
#[derive(Poolable, Default)]
#[pool(capacity = 64)]
struct Exchange {
    method: String,
    /// The path, percent-decoded.
    path: String,
    /// Query parameters, decoded, except `tag`.
    query: ReuseMap<String, String>,
    /// The `tag` query parameters, in order.
    tags: ReuseVec<String>,
    /// Headers by lower-cased name, in arrival order; a repeated header's values are
    /// joined with ", ". A rare request with thousands of headers would otherwise keep
    /// them all as spares: at most 64 are kept across requests.
    #[pool(shrink_to = 64)]
    headers: ReuseMap<String, String>,
    /// Form fields from the body, decoded.
    fields: ReuseMap<String, String>,
    /// Where a name is decoded before it is looked up.
    name: String,
    /// The request body as received.
    body: Vec<u8>,
    /// The response being written. A rare huge response would otherwise stay allocated in
    /// the pool for good: capacity above 64 KiB is given back on reset.
    #[pool(shrink_to = 64 * 1024)]
    response: String,
    status: u16,
}

/// The same handler, with its `Exchange` lent by the type's default pool.
///
/// Callers write `handle_pooled(raw)`; the exchange goes back to the pool when the
/// function returns, reset.
#[pooled]
fn handle_pooled(raw: &[u8], #[pooled] exchange: &mut Exchange) -> Outcome {
    handle(raw, exchange)
}

/// The same handler, with a new `Exchange` for every request.
fn handle_unpooled(raw: &[u8]) -> Outcome {
    let mut exchange = Exchange::default();
    handle(raw, &mut exchange)
}

/// What a handled request produced: its status and a checksum of its response.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Outcome {
    status: u16,
    response_len: usize,
    checksum: u64,
}

fn handle(raw: &[u8], ex: &mut Exchange) -> Outcome {
    ex.status = match parse(raw, ex) {
        Ok(()) => 200,
        Err(status) => status,
    };
    respond(ex);
    Outcome {
        status: ex.status,
        response_len: ex.response.len(),
        checksum: checksum(ex.response.as_bytes()),
    }
}

/// Reads `raw` into `ex`; on a malformed request, the status to answer with.
fn parse(raw: &[u8], ex: &mut Exchange) -> Result<(), u16> {
    let head_end = find(raw, b"\r\n\r\n").ok_or(400u16)?;
    let mut lines = raw[..head_end].split(|&b| b == b'\n');

    // Request line: METHOD SP target SP version.
    let line = trim_cr(lines.next().ok_or(400u16)?);
    let mut parts = line.split(|&b| b == b' ');
    let method = parts.next().ok_or(400u16)?;
    let target = parts.next().ok_or(400u16)?;
    if parts.next() != Some(&b"HTTP/1.1"[..]) {
        return Err(505);
    }
    ex.method
        .push_str(std::str::from_utf8(method).map_err(|_| 400u16)?);
    let (path, query) = match target.iter().position(|&b| b == b'?') {
        Some(at) => (&target[..at], &target[at + 1..]),
        None => (target, &b""[..]),
    };
    percent_decode(path, &mut ex.path);
    parse_pairs(query, &mut ex.name, &mut ex.query, Some(&mut ex.tags));

    // Headers: names lower-cased, values trimmed.
    for line in lines {
        let line = trim_cr(line);
        let colon = line.iter().position(|&b| b == b':').ok_or(400u16)?;
        ex.name.clear();
        push_ascii(&mut ex.name, &line[..colon]);
        ex.name.make_ascii_lowercase();
        // A spare key takes the name, and the spare value the header's value.
        let value = ex.headers.get_or_insert_default(ex.name.as_str());
        if !value.is_empty() {
            value.push_str(", ");
        }
        push_ascii(value, line[colon + 1..].trim_ascii());
    }
    let content_length = match ex.headers.get("content-length") {
        Some(length) => length.parse().map_err(|_| 400u16)?,
        None => 0,
    };

    let body = &raw[head_end + 4..];
    if body.len() != content_length {
        return Err(400);
    }
    ex.body.extend_from_slice(body);
    parse_pairs(&ex.body, &mut ex.name, &mut ex.fields, None);
    Ok(())
}

/// Writes the JSON response for `ex` into `ex.response`.
fn respond(ex: &mut Exchange) {
    let Exchange {
        method,
        path,
        query,
        tags,
        headers,
        fields,
        response,
        status,
        ..
    } = ex;
    let out = response;
    let _ = write!(out, "{{\"status\":{status},\"method\":");
    json_string(out, method);
    out.push_str(",\"path\":");
    json_string(out, path);
    let _ = write!(out, ",\"headers\":{}", headers.len());
    for (key, pairs) in [("query", &*query), ("fields", &*fields)] {
        let _ = write!(out, ",\"{key}\":{{");
        for (i, (name, value)) in pairs.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_string(out, name);
            out.push(':');
            json_string(out, value);
        }
        out.push('}');
    }
    out.push_str(",\"tags\":[");
    for (i, tag) in tags.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(out, tag);
    }
    out.push(']');
    if let Some(agent) = headers.get("user-agent") {
        out.push_str(",\"agent\":");
        json_string(out, agent);
    }
    out.push('}');
}

/// `a=1&b=two%20words` into `pairs`, decoded (`name` is scratch space); with `tags`,
/// the values of `tag` go there instead, in order.
fn parse_pairs(
    input: &[u8],
    name: &mut String,
    pairs: &mut ReuseMap<String, String>,
    mut tags: Option<&mut ReuseVec<String>>,
) {
    for item in input.split(|&b| b == b'&').filter(|item| !item.is_empty()) {
        let (raw_name, value) = match item.iter().position(|&b| b == b'=') {
            Some(at) => (&item[..at], &item[at + 1..]),
            None => (item, &b""[..]),
        };
        name.clear();
        percent_decode(raw_name, name);
        match tags.as_deref_mut() {
            Some(tags) if name == "tag" => percent_decode(value, tags.push_default()),
            _ => {
                pairs.insert_with(name.as_str(), |pair| percent_decode(value, pair));
            }
        }
    }
}

fn percent_decode(input: &[u8], out: &mut String) {
    let mut rest = input;
    while let Some(at) = rest.iter().position(|&b| b == b'%' || b == b'+') {
        push_ascii(out, &rest[..at]);
        let escaped = rest.get(at + 1..at + 3).and_then(|digits| {
            let high = hex(digits[0])?;
            Some(high << 4 | hex(digits[1])?)
        });
        let (byte, used) = match (rest[at], escaped) {
            (b'%', Some(byte)) => (byte, 3),
            (b'+', _) => (b' ', 1),
            (other, _) => (other, 1),
        };
        push_ascii(out, &[byte]);
        rest = &rest[at + used..];
    }
    push_ascii(out, rest);
}

fn hex(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|d| d as u8)
}

/// Appends `bytes` to `out`, each byte outside ASCII as U+FFFD.
fn push_ascii(out: &mut String, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.is_ascii() => out.push_str(text),
        _ => out.extend(
            bytes
                .iter()
                .map(|&b| if b.is_ascii() { b as char } else { '\u{fffd}' }),
        ),
    }
}

fn json_string(out: &mut String, value: &str) {
    out.push('"');
    let mut rest = value;
    while let Some(at) = rest.find(|c: char| c == '"' || c == '\\' || c < ' ') {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().unwrap_or_default();
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
    out.push('"');
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    (0..haystack.len().saturating_sub(needle.len() - 1))
        .filter(|&at| haystack[at] == first)
        .find(|&at| haystack[at..].starts_with(needle))
}

/// A checksum of the response, eight bytes at a time, to compare the two runs.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.chunks(8).fold(bytes.len() as u64, |sum, chunk| {
        let mut word = [0; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        (sum.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    })
}

/// Makes `count` varied form posts, the same on every run.
fn generate(count: usize) -> Vec<Vec<u8>> {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    const ITEMS: [&str; 6] = [
        "widget",
        "gadget",
        "sprocket",
        "gizmo",
        "doohickey",
        "flange",
    ];
    const TAGS: [&str; 5] = ["express", "gift%20wrap", "fragile", "bulk", "returning"];
    const AGENTS: [&str; 3] = [
        "loadgen/1.0",
        "curl/8.5.0",
        "Mozilla/5.0 (X11; Linux x86_64)",
    ];
    (0..count)
        .map(|id| {
            let mut body = String::new();
            for n in 0..1 + next(6) {
                let item = ITEMS[next(6) as usize];
                let _ = write!(body, "item{n}={item}&qty{n}={}&", 1 + next(20));
            }
            let _ = write!(
                body,
                "note=please%20ship%20by%20{}%2F0{}",
                1 + next(28),
                1 + next(9)
            );
            let mut tags = String::new();
            for _ in 0..next(4) {
                let _ = write!(tags, "&tag={}", TAGS[next(5) as usize]);
            }
            let mut raw = format!(
                "POST /api/v1/orders/{}%20draft?page={}&sort=price%20desc&lang=en{tags} HTTP/1.1\r\n\
                 Host: shop.example\r\nUser-Agent: {}\r\nAccept: application/json\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nX-Request-Id: {id}\r\n",
                next(100_000),
                next(50),
                AGENTS[next(3) as usize],
            );
            for n in 0..next(8) {
                let _ = write!(raw, "X-Trace-{n}: {:016x}\r\n", next(u64::MAX));
            }
            let _ = write!(raw, "Content-Length: {}\r\n\r\n{body}", body.len());
            raw.into_bytes()
        })
        .collect()
}

/// What one way of handling measured.
#[derive(Default)]
struct Run {
    /// Time per request in each round.
    rounds: Vec<Duration>,
    allocations: u64,
    bytes: u64,
    checksum: u64,
}

impl Run {
    /// Handles `count` requests with `handler`, adding to the totals.
    fn round(&mut self, requests: &[Vec<u8>], count: usize, handler: fn(&[u8]) -> Outcome) {
        let (allocations, bytes) = (counting_alloc::allocations(), counting_alloc::bytes());
        let start = Instant::now();
        for raw in requests.iter().cycle().take(count) {
            let outcome = handler(black_box(raw));
            assert_eq!(outcome.status, 200);
            self.checksum = self.checksum.wrapping_add(outcome.checksum);
        }
        self.rounds.push(start.elapsed() / count as u32);
        self.allocations += counting_alloc::allocations() - allocations;
        self.bytes += counting_alloc::bytes() - bytes;
    }

    /// The median round: other programs running now and then move single rounds.
    fn per_request(&self) -> Duration {
        let mut rounds = self.rounds.clone();
        rounds.sort();
        rounds[rounds.len() / 2]
    }
}

fn main() {
    let requests = generate(DISTINCT);
    let sample = handle_unpooled(&requests[0]);
    println!(
        "{REQUESTS} form posts measured, after {DISTINCT} of warm-up (HTTP/1.1 request in, \
         JSON out; about {} bytes in, {} out)\n",
        requests[0].len(),
        sample.response_len,
    );

    // Warm up both, then alternate rounds so that both see the same machine.
    for raw in &requests {
        black_box((handle_unpooled(raw), handle_pooled(raw)));
    }
    let warm = poolable::global::<Exchange>().stats();
    let (mut unpooled, mut pooled) = (Run::default(), Run::default());
    for _ in 0..ROUNDS {
        unpooled.round(&requests, REQUESTS / ROUNDS, handle_unpooled);
        pooled.round(&requests, REQUESTS / ROUNDS, handle_pooled);
    }

    println!("              time/request   allocations/request   bytes allocated/request");
    for (name, run) in [("unpooled", &unpooled), ("pooled", &pooled)] {
        let per = |total: u64| total as f64 / REQUESTS as f64;
        println!(
            "  {name:<9} {:>12.2?}   {:>19.2}   {:>23.0}",
            run.per_request(),
            per(run.allocations),
            per(run.bytes),
        );
    }
    let same = unpooled.checksum == pooled.checksum;
    println!(
        "\nresponses identical in both runs: {} (reset leaves nothing behind)",
        if same { "yes" } else { "NO" }
    );
    assert!(same, "a reused Exchange changed a response");

    // The pool `#[pooled]` used: `Exchange`'s default pool, over its whole life.
    let stats = poolable::global::<Exchange>().stats();
    println!("\npool of Exchange: {stats}");
    println!(
        "\nHow to read it: `made` is how many Exchanges were ever built ({} for {} requests,\n\
         {} of them measured: {} built and {} reused while measuring); a hit rate near 100%\n\
         means almost every request reused one. If `dropped` (full) grows, the pool is\n\
         smaller than the number in use at once: raise `capacity`. If the hit rate stays\n\
         low, objects are not coming back: look for `detach` or guards held for long.",
        stats.made,
        stats.made + stats.reused,
        REQUESTS,
        stats.made - warm.made,
        stats.reused - warm.reused,
    );
}
