//! A small HTTP/1.1 server on a loopback TCP socket, a worker pool behind it, and a client
//! in the same program that sends a fixed load: once with a new request context per
//! request, once with pooled ones. Prints throughput and latency percentiles for both.
//!
//! ```text
//! cargo run --release --example server
//! ```
//!
//! The server listens on 127.0.0.1, on a port the system picks, and nowhere else. Each
//! client connection sends a fixed number of requests, then closes; the server stops
//! when every connection has closed, so the program ends by itself. Every socket has a
//! timeout, and the clients stop early at a deadline, so nothing can hang.
//!
//! Each request is handled by [`serve_pooled`], a `#[pooled]` function whose
//! [`Context`] comes from the type's default pool, or by [`serve_unpooled`], which
//! makes a new one. Over loopback TCP most of a request's time is system calls, so
//! expect a smaller difference than in the `requests` example; the allocation count shows
//! what pooling removes either way.

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::ops::Range;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use poolable::{Poolable, pooled};

#[global_allocator]
static ALLOCATOR: counting_alloc::Counting = counting_alloc::Counting;

/// Client connections, open at once; the server runs one worker per connection.
const CONNECTIONS: usize = 4;
/// Requests each connection sends per round.
const REQUESTS_PER_CONNECTION: usize = 2_500;
/// Rounds per way of serving, alternating, so both see the same machine.
const ROUNDS: usize = 2;
/// Clients stop sending after this long in one round, however far they got.
const DEADLINE: Duration = Duration::from_secs(20);
/// No socket read or write waits longer than this.
const SOCKET_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest request head the server accepts.
const MAX_HEAD: usize = 16 * 1024;
/// The largest request body the server accepts.
const MAX_BODY: usize = 1024 * 1024;

/// What the server needs to handle one request: its bytes, what was parsed out of them,
/// and the response being written.
///
/// Pooled, a `Context` keeps the capacity its buffers and map reached, so a request
/// like the ones before it allocates nothing.
#[derive(Poolable, Default)]
#[pool(capacity = 64)]
struct Context {
    /// The request line and headers, as read.
    head: Vec<u8>,
    /// Header names and values, as ranges into `head`.
    headers: Vec<(Range<u32>, Range<u32>)>,
    /// The body, as read.
    body: Vec<u8>,
    /// How often each distinct word of the body occurs, by the word's hash.
    counts: HashMap<u64, u32>,
    /// The response, head and body.
    response: Vec<u8>,
}

/// A client connection on the server side.
struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

/// Serves one request with a [`Context`] from `Context`'s default pool.
///
/// Callers write `serve_pooled(conn)`: the context is borrowed on entry and returned, reset,
/// however the function ends, including by `?`.
#[pooled]
fn serve_pooled(conn: &mut Connection, #[pooled] context: &mut Context) -> io::Result<()> {
    serve(conn, context)
}

/// Serves one request with a new [`Context`].
fn serve_unpooled(conn: &mut Connection) -> io::Result<()> {
    serve(conn, &mut Context::default())
}

/// Reads one request from `conn`, handles it and writes the response. The caller has
/// seen the request's first byte (see [`serve_connection`]).
fn serve(conn: &mut Connection, ctx: &mut Context) -> io::Result<()> {
    // The head: lines up to the empty one.
    loop {
        let start = ctx.head.len();
        if conn.reader.read_until(b'\n', &mut ctx.head)? == 0 {
            return Err(invalid("connection closed mid-request"));
        }
        if ctx.head[start..] == *b"\r\n" {
            break;
        }
        if ctx.head.len() > MAX_HEAD {
            return Err(invalid("request head too long"));
        }
    }

    let mut lines = Lines::new(&ctx.head);
    let request_line = lines.next().ok_or_else(|| invalid("no request line"))?;
    let mut content_length = 0;
    for line in lines.by_ref().take_while(|line| !line.is_empty()) {
        let colon = ctx.head[range(&line)]
            .iter()
            .position(|&b| b == b':')
            .ok_or_else(|| invalid("header without a colon"))?;
        let name = line.start..line.start + colon as u32;
        let value = trim(&ctx.head, line.start + colon as u32 + 1..line.end);
        if ctx.head[range(&name)].eq_ignore_ascii_case(b"content-length") {
            content_length = std::str::from_utf8(&ctx.head[range(&value)])
                .ok()
                .and_then(|text| text.parse().ok())
                .filter(|&length| length <= MAX_BODY)
                .ok_or_else(|| invalid("bad content-length"))?;
        }
        ctx.headers.push((name, value));
    }
    ctx.body.resize(content_length, 0);
    conn.reader.read_exact(&mut ctx.body)?;

    // The work: count the words of the body, and the distinct ones.
    let mut words = 0;
    for word in ctx.body.split(|b| !b.is_ascii_alphanumeric()) {
        if !word.is_empty() {
            words += 1;
            *ctx.counts.entry(hash_lowercase(word)).or_insert(0) += 1;
        }
    }
    let most = ctx.counts.values().copied().max().unwrap_or(0);

    let path = ctx.head[range(&request_line)]
        .split(|&b| b == b' ')
        .nth(1)
        .unwrap_or_default();
    ctx.response
        .extend_from_slice(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
    ctx.response
        .extend_from_slice(b"Content-Length: 00000000\r\n\r\n");
    let head_len = ctx.response.len();
    ctx.response.extend_from_slice(b"{\"path\":\"");
    ctx.response
        .extend(path.iter().filter(|&&b| b != b'"' && b != b'\\'));
    write!(
        ctx.response,
        "\",\"headers\":{},\"bytes\":{},\"words\":{words},\"distinct\":{},\"most\":{most}}}",
        ctx.headers.len(),
        ctx.body.len(),
        ctx.counts.len(),
    )?;
    // Fill in the length, now known, in the space left for it.
    let length = eight_digits(ctx.response.len() - head_len);
    let at = head_len - "\r\n\r\n".len() - length.len();
    ctx.response[at..at + 8].copy_from_slice(&length);

    conn.writer.write_all(&ctx.response)?;
    Ok(())
}

/// The ranges of the CRLF-ended lines of a request head, without the CRLF.
struct Lines<'a> {
    head: &'a [u8],
    at: usize,
}

impl<'a> Lines<'a> {
    fn new(head: &'a [u8]) -> Self {
        Lines { head, at: 0 }
    }
}

impl Iterator for Lines<'_> {
    type Item = Range<u32>;

    fn next(&mut self) -> Option<Range<u32>> {
        let rest = self.head.get(self.at..)?;
        let end = self.at + rest.iter().position(|&b| b == b'\n')?;
        let line_end = if end > self.at && self.head[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        let line = self.at as u32..line_end as u32;
        self.at = end + 1;
        Some(line)
    }
}

fn trim(bytes: &[u8], mut span: Range<u32>) -> Range<u32> {
    while span.start < span.end && bytes[span.start as usize].is_ascii_whitespace() {
        span.start += 1;
    }
    while span.end > span.start && bytes[span.end as usize - 1].is_ascii_whitespace() {
        span.end -= 1;
    }
    span
}

fn range(span: &Range<u32>) -> Range<usize> {
    span.start as usize..span.end as usize
}

fn invalid(message: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// `value` in decimal, zero-padded to eight digits.
fn eight_digits(mut value: usize) -> [u8; 8] {
    let mut digits = [b'0'; 8];
    for digit in digits.iter_mut().rev() {
        *digit = b'0' + (value % 10) as u8;
        value /= 10;
    }
    digits
}

fn hash_lowercase(word: &[u8]) -> u64 {
    word.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Which function the server's workers call per request.
#[derive(Clone, Copy)]
enum Mode {
    Unpooled,
    Pooled,
}

/// Starts a server on 127.0.0.1, on a port the system picks: one thread accepts exactly
/// `CONNECTIONS` connections and hands them to as many workers, each serving its
/// connection until the client closes it. Returns the address and the threads.
fn start_server(mode: Mode) -> io::Result<(SocketAddr, Vec<thread::JoinHandle<()>>)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let address = listener.local_addr()?;
    let (sender, receiver) = mpsc::channel::<TcpStream>();
    let receiver = Arc::new(Mutex::new(receiver));

    let mut threads = Vec::new();
    threads.push(thread::spawn(move || {
        for _ in 0..CONNECTIONS {
            match listener.accept() {
                Ok((stream, _)) => {
                    if sender.send(stream).is_err() {
                        break;
                    }
                }
                Err(error) => {
                    eprintln!("accept failed: {error}");
                    break;
                }
            }
        }
        // Dropping the sender tells idle workers that no connection is coming.
    }));
    for _ in 0..CONNECTIONS {
        let receiver = Arc::clone(&receiver);
        threads.push(thread::spawn(move || {
            loop {
                let next = receiver.lock().map(|receiver| receiver.recv());
                let Ok(Ok(stream)) = next else {
                    return;
                };
                if let Err(error) = serve_connection(stream, mode) {
                    eprintln!("connection failed: {error}");
                }
            }
        }));
    }
    Ok((address, threads))
}

fn serve_connection(stream: TcpStream, mode: Mode) -> io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(SOCKET_TIMEOUT))?;
    stream.set_write_timeout(Some(SOCKET_TIMEOUT))?;
    let mut conn = Connection {
        reader: BufReader::new(stream.try_clone()?),
        writer: stream,
    };
    loop {
        // Wait for the next request's first byte before taking a context: a client that
        // closes its connection sends no request, so it must not borrow (and count) one.
        if conn.reader.fill_buf()?.is_empty() {
            return Ok(());
        }
        match mode {
            Mode::Unpooled => serve_unpooled(&mut conn)?,
            Mode::Pooled => serve_pooled(&mut conn)?,
        }
    }
}

/// One client connection: sends `REQUESTS_PER_CONNECTION` requests, one at a time,
/// starting at `requests[first]`, and returns the time each took from the first byte sent
/// to the last byte of its response received.
fn client(
    address: SocketAddr,
    requests: &[Vec<u8>],
    first: usize,
    deadline: Instant,
) -> io::Result<Vec<Duration>> {
    let stream = TcpStream::connect(address)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(SOCKET_TIMEOUT))?;
    stream.set_write_timeout(Some(SOCKET_TIMEOUT))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut latencies = Vec::with_capacity(REQUESTS_PER_CONNECTION);
    let (mut line, mut body) = (Vec::with_capacity(256), Vec::with_capacity(1024));

    for request in requests
        .iter()
        .cycle()
        .skip(first)
        .take(REQUESTS_PER_CONNECTION)
    {
        if Instant::now() > deadline {
            break;
        }
        let start = Instant::now();
        writer.write_all(request)?;
        let mut content_length = None;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                return Err(invalid("server closed the connection"));
            }
            if line == b"\r\n" {
                break;
            }
            if let Some(value) = line.strip_prefix(b"Content-Length: ") {
                content_length = std::str::from_utf8(value.trim_ascii())
                    .ok()
                    .and_then(|text| text.parse().ok());
            }
        }
        body.resize(
            content_length.ok_or_else(|| invalid("no content-length"))?,
            0,
        );
        reader.read_exact(&mut body)?;
        latencies.push(start.elapsed());
    }
    Ok(latencies)
}

/// Request bodies: lines of words, some repeated, a few hundred bytes to a few KiB.
fn make_requests() -> Vec<Vec<u8>> {
    const WORDS: [&str; 12] = [
        "pool",
        "object",
        "reset",
        "buffer",
        "request",
        "latency",
        "allocation",
        "thread",
        "queue",
        "borrow",
        "return",
        "capacity",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    (0..64)
        .map(|id| {
            let mut body = String::new();
            for n in 0..40 + next(400) {
                body.push_str(WORDS[next(WORDS.len() as u64) as usize]);
                body.push(if n % 12 == 11 { '\n' } else { ' ' });
            }
            format!(
                "POST /count/words?doc={id} HTTP/1.1\r\nHost: localhost\r\n\
                 User-Agent: poolable-example\r\nContent-Type: text/plain\r\n\
                 Content-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        })
        .collect()
}

/// What one way of serving measured, over its rounds.
#[derive(Default)]
struct Measured {
    latencies: Vec<Duration>,
    elapsed: Duration,
    allocations: u64,
    bytes: u64,
}

/// Runs one round: a server in `mode`, `CONNECTIONS` clients, until all are done.
fn round(mode: Mode, requests: &Arc<Vec<Vec<u8>>>, into: &mut Measured) -> io::Result<()> {
    let (allocations, bytes) = (counting_alloc::allocations(), counting_alloc::bytes());
    let start = Instant::now();
    let (address, server) = start_server(mode)?;
    let deadline = start + DEADLINE;
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|n| {
            let requests = Arc::clone(requests);
            // Each client starts at a different request.
            thread::spawn(move || client(address, &requests, n * 7, deadline))
        })
        .collect();
    for client in clients {
        let latencies = client
            .join()
            .map_err(|_| io::Error::other("a client panicked"))??;
        into.latencies.extend(latencies);
    }
    for thread in server {
        thread
            .join()
            .map_err(|_| io::Error::other("a server thread panicked"))?;
    }
    into.elapsed += start.elapsed();
    into.allocations += counting_alloc::allocations() - allocations;
    into.bytes += counting_alloc::bytes() - bytes;
    Ok(())
}

fn main() -> io::Result<()> {
    let requests = Arc::new(make_requests());
    let average = requests.iter().map(Vec::len).sum::<usize>() / requests.len();
    println!(
        "{CONNECTIONS} connections x {REQUESTS_PER_CONNECTION} requests, {ROUNDS} rounds per \
         way of serving, over 127.0.0.1 (requests of about {average} bytes)\n"
    );

    // A short warm-up of each, then alternating rounds.
    let mut warm_up = Measured::default();
    round(Mode::Unpooled, &requests, &mut warm_up)?;
    round(Mode::Pooled, &requests, &mut warm_up)?;
    let (mut unpooled, mut pooled) = (Measured::default(), Measured::default());
    for _ in 0..ROUNDS {
        round(Mode::Unpooled, &requests, &mut unpooled)?;
        round(Mode::Pooled, &requests, &mut pooled)?;
    }

    println!("            requests/s        p50        p99      p99.9   allocations/request");
    for (name, measured) in [("unpooled", &mut unpooled), ("pooled", &mut pooled)] {
        let served = measured.latencies.len();
        measured.latencies.sort_unstable();
        let percentile = |p: f64| {
            let at = ((served as f64 * p).ceil() as usize).clamp(1, served) - 1;
            measured.latencies[at]
        };
        println!(
            "  {name:<9} {:>10.0} {:>10.1?} {:>10.1?} {:>10.1?}   {:>19.2}",
            served as f64 / measured.elapsed.as_secs_f64(),
            percentile(0.50),
            percentile(0.99),
            percentile(0.999),
            measured.allocations as f64 / served as f64,
        );
    }
    println!(
        "\nLatency is measured by the client, from the first byte sent to the last byte\n\
         received. Over loopback TCP most of that is system calls and thread switches, so\n\
         throughput and latency move with whatever else the machine is doing; run it twice\n\
         before reading much into a difference. The allocation counts do not move: they are\n\
         the whole process's, clients included, and so also count each round's threads,\n\
         sockets and connection buffers. Bytes allocated per request: {:.0} unpooled, {:.0}\n\
         pooled.",
        unpooled.bytes as f64 / unpooled.latencies.len() as f64,
        pooled.bytes as f64 / pooled.latencies.len() as f64,
    );

    let stats = poolable::global::<Context>().stats();
    println!("\npool of Context: {stats}");
    println!(
        "{} contexts served {} pooled requests, warm-up included: each worker thread keeps\n\
         reusing the one it returned last.",
        stats.made,
        stats.made + stats.reused,
    );
    Ok(())
}
