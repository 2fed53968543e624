//! Every `#[derive(Poolable)]` attribute and every `#[pooled]` form, in one small program.
//!
//! ```text
//! cargo run --release --example derive_tour
//! ```
//!
//! Each section says what the attribute or form does, and `main` checks it, printing
//! one line per check with the value it checked.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use std::time::Instant;

use poolable::{Pool, Poolable, pooled};

// ---------------------------------------------------------------------------------------
// Field attributes, on a named struct
// ---------------------------------------------------------------------------------------

/// Settings shared by every request, not owned by any.
#[derive(Debug, Default)]
struct Settings {
    max_body: usize,
}

/// `#[pool(capacity = EXPR)]` (container): how many objects this type's default pool
/// keeps; `poolable::global::<Request>()` and `#[pooled]` use that pool.
#[derive(Poolable)]
#[pool(capacity = 128)]
struct Request {
    // No attribute: the field's own reset. Collections are cleared and keep their
    // capacity, numbers go to 0, `Option` to `None`.
    path: String,
    headers: HashMap<String, String>,
    attempts: u32,
    error: Option<String>,

    // `skip`: kept as is across reuse. For what is not the request's own, and for types
    // that have no reset (`Arc` deliberately has none).
    #[pool(skip)]
    settings: Arc<Settings>,

    // `reset = EXPR`: assigned EXPR, for a field whose fresh value is not its zero.
    #[pool(reset = 3)]
    retries_left: u8,

    // `reset_with = PATH`: reset by calling `PATH(&mut field)`, for a type that is not
    // `Poolable` or needs more than its reset.
    #[pool(reset_with = restart)]
    started: Instant,

    // `shrink_to = EXPR`: after the reset, capacity above EXPR is given back, so one huge
    // body does not stay allocated in the pool for good.
    #[pool(shrink_to = 64 * 1024)]
    body: Vec<u8>,
}

fn restart(clock: &mut Instant) {
    *clock = Instant::now();
}

/// A fresh `Request` is what `reset` returns to: `retries_left` starts at 3 in both.
impl Default for Request {
    fn default() -> Self {
        Request {
            path: String::new(),
            headers: HashMap::new(),
            attempts: 0,
            error: None,
            settings: Arc::new(Settings { max_body: 1 << 20 }),
            retries_left: 3,
            started: Instant::now(),
            body: Vec::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Container attributes
// ---------------------------------------------------------------------------------------

/// `#[pool(new = EXPR)]` (container): how the default pool makes an object, for a type
/// that is not `Default` (here, because a fresh `Frame` has a 4 KiB buffer ready).
///
/// `#[pool(keep_if = PATH)]` (container): which objects given back the default pool
/// keeps; one that grew past 1 MiB is dropped rather than kept for good.
#[derive(Poolable)]
#[pool(capacity = 8, new = Frame::with_buffer(4096), keep_if = Frame::small_enough)]
struct Frame {
    pixels: Vec<u8>,
}

impl Frame {
    fn with_buffer(bytes: usize) -> Self {
        Frame {
            pixels: Vec::with_capacity(bytes),
        }
    }

    fn small_enough(&self) -> bool {
        self.pixels.capacity() <= 1 << 20
    }
}

/// A crate that re-exports `poolable` under another path.
mod framework {
    pub(crate) use ::poolable;
}

/// `#[pool(crate = PATH)]` (container): where the derive finds `poolable`, for crates
/// that reach it through a re-export (as serde's `crate = "..."`). `#[pooled]` takes the
/// same argument on the function; see `mean` below.
#[derive(framework::poolable::Poolable, Default)]
#[pool(crate = framework::poolable)]
struct Metric {
    samples: Vec<f64>,
}

/// `#[pool(bound = "...")]` (container): where-predicates that replace the inferred ones.
/// The derive bounds field types (here it would write `Box<T>: Poolable`); rarely, you
/// want other bounds, such as the plainer one this type shows in its docs.
#[derive(Poolable, Default)]
#[pool(bound = "T: Poolable")]
struct Slot<T> {
    value: Box<T>,
}

// ---------------------------------------------------------------------------------------
// Shapes: tuple, unit, enum, generic
// ---------------------------------------------------------------------------------------

/// A tuple struct: attributes go on the fields as in a named struct.
#[derive(Poolable, Default)]
struct Line(String, #[pool(skip)] &'static str);

/// A unit struct: nothing to reset, and still poolable.
#[derive(Poolable, Default)]
struct Marker;

/// An enum: `#[pool(default)]` (variant) names the variant reset turns the value into.
/// A value already of that variant has its fields reset in place, keeping their
/// allocations. Any other variant is dropped whole and replaced by the default variant
/// with its fields' `Default` (or `reset = EXPR`) values, so its fields need no reset
/// and take no attributes.
#[derive(Poolable)]
enum Payload {
    #[pool(default)]
    Bytes(Vec<u8>),
    Text {
        text: String,
        language: &'static str,
    },
}

impl Default for Payload {
    fn default() -> Self {
        Payload::Bytes(Vec::new())
    }
}

impl Payload {
    fn len(&self) -> usize {
        match self {
            Payload::Bytes(bytes) => bytes.len(),
            Payload::Text { text, language } => text.len() + language.len(),
        }
    }
}

/// Generic types: the derive bounds what the fields it resets need. `Tagged<T, M>` is
/// `Poolable` when `T` is, whatever `M` is, because `meta` is skipped.
#[derive(Poolable, Default)]
struct Tagged<T, M> {
    value: T,
    #[pool(skip)]
    meta: M,
}

// What does not compile, with the error a user reads, pinned by the UI tests:
//
//     #[derive(Poolable)]
//     struct Upload { file: std::fs::File }
//
//     error[E0277]: `File` cannot be reset for reuse: it does not implement `Poolable`
//       (at `std::fs::File`; the note names `#[pool(skip)]`, `#[pool(reset = EXPR)]`
//       and `#[pool(reset_with = PATH)]`)
//
// Files, sockets, `Rc`, `Arc` and references have no reset on purpose: resetting cannot
// make them fresh. A connection wants a connection pool.

// ---------------------------------------------------------------------------------------
// #[pooled]
// ---------------------------------------------------------------------------------------

/// A free function. `#[pooled] line: &mut String` leaves the signature: callers write
/// `shout("hi")`, and `line` is borrowed from `String`'s default pool on entry and
/// returned, cleared, when the function ends.
#[pooled]
fn shout(word: &str, #[pooled] line: &mut String) -> usize {
    line.push_str(word);
    line.make_ascii_uppercase();
    line.push('!');
    line.len()
}

/// `#[pooled(crate = PATH)]`: where `poolable` is, for code that reaches it through a
/// re-export.
#[framework::poolable::pooled(crate = framework::poolable)]
fn mean(values: &[f64], #[pooled] metric: &mut Metric) -> f64 {
    metric.samples.extend_from_slice(values);
    metric.samples.iter().sum::<f64>() / metric.samples.len() as f64
}

/// A pool of this program's own, in a static.
static CHUNKS: LazyLock<Pool<Vec<u8>>> = LazyLock::new(|| Pool::with_capacity(16));

/// `#[pooled(pool = EXPR)]` names the pool: any expression that dereferences to
/// `Pool<T>`, evaluated once per call. Several parameters may be pooled; `?` and
/// early returns give them back like any other way out.
#[pooled]
fn sum_fields(
    csv: &str,
    #[pooled] fields: &mut Vec<u64>,
    #[pooled(pool = CHUNKS)] raw: &mut Vec<u8>,
) -> Result<u64, std::num::ParseIntError> {
    raw.extend_from_slice(csv.as_bytes());
    for field in csv.split(',') {
        fields.push(field.trim().parse()?);
    }
    Ok(fields.iter().sum())
}

/// A type with a pool of its own, used by its methods.
struct Encoder {
    scratch: Pool<Vec<u8>>,
    encoded: usize,
}

impl Encoder {
    /// `&self`, and a pool reached through `self`.
    #[pooled]
    fn hex(&self, input: &[u8], #[pooled(pool = self.scratch)] out: &mut Vec<u8>) -> String {
        for byte in input {
            out.extend_from_slice(format!("{byte:02x}").as_bytes());
        }
        String::from_utf8_lossy(out).into_owned()
    }

    /// `&mut self`.
    #[pooled]
    fn count(&mut self, input: &str, #[pooled] words: &mut Vec<usize>) -> usize {
        words.extend(input.split_whitespace().map(str::len));
        self.encoded += words.len();
        words.len()
    }

    /// `self` by value.
    #[pooled]
    fn finish(self, #[pooled] summary: &mut String) -> usize {
        summary.push_str(&format!("{} words", self.encoded));
        summary.len()
    }
}

/// A trait whose method takes no buffer...
trait Render {
    fn render_len(&self) -> usize;
}

/// ...implemented with a pooled one: the pooled parameter leaves the signature, so the
/// method matches the trait's.
impl Render for Request {
    #[pooled]
    fn render_len(&self, #[pooled] out: &mut String) -> usize {
        out.push_str("GET ");
        out.push_str(&self.path);
        out.len()
    }
}

/// Generic functions, `impl Trait` parameters and `where` clauses are kept as written.
#[pooled]
fn join<I>(parts: I, separator: impl AsRef<str>, #[pooled] out: &mut String) -> usize
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push_str(separator.as_ref());
        }
        out.push_str(part.as_ref());
    }
    out.len()
}

/// `async fn`: the object is held across `.await` and returned when the future
/// completes (or is dropped). The future is `Send` when the object is.
#[pooled]
async fn handle_async(path: &str, #[pooled] request: &mut Request) -> usize {
    request.path.push_str(path);
    yield_once().await;
    request.path.len()
}

/// `unsafe fn` keeps its contract: callers still write `unsafe`.
///
/// # Safety
///
/// `data` must be valid for reads of `len` bytes.
#[pooled]
unsafe fn copy_raw(data: *const u8, len: usize, #[pooled] copy: &mut Vec<u8>) -> u32 {
    // SAFETY: the caller guarantees `data` is valid for `len` bytes.
    copy.extend_from_slice(unsafe { std::slice::from_raw_parts(data, len) });
    copy.iter().map(|&b| u32::from(b)).sum()
}

// A pooled object cannot escape: this does not compile ("cannot return value referencing
// local variable"), because the object goes back to the pool when the function ends:
//
//     #[pooled]
//     fn leak(#[pooled] buf: &mut Vec<u8>) -> &'static mut Vec<u8> { buf }

fn main() {
    field_attributes();
    container_attributes();
    shapes();
    pooled_functions();
}

/// Each field attribute, seen on a `Request` after one use and a reset.
fn field_attributes() {
    let pool = poolable::global::<Request>();
    check(
        "capacity = 128: the default pool keeps",
        pool.capacity(),
        128,
    );
    let mut request = pool.get();
    request.path.push_str("/index.html");
    request.headers.insert("accept".into(), "*/*".into());
    request.attempts = 2;
    request.error = Some("timeout".into());
    request.retries_left = 0;
    request.body.resize(1 << 20, 0);
    let settings = Arc::clone(&request.settings);
    let before = Instant::now();
    drop(request);
    let request = pool.get();
    check_that(
        "path: (len, capacity), capacity kept",
        (request.path.len(), request.path.capacity()),
        |&(len, capacity)| len == 0 && capacity >= 11,
    );
    check_that(
        "headers: (len, capacity), capacity kept",
        (request.headers.len(), request.headers.capacity()),
        |&(len, capacity)| len == 0 && capacity >= 1,
    );
    check(
        "attempts, error: zero and None",
        (request.attempts, request.error.as_deref()),
        (0, None),
    );
    check(
        "skip: the same Arc<Settings>, max_body",
        (
            Arc::ptr_eq(&request.settings, &settings),
            request.settings.max_body,
        ),
        (true, 1 << 20),
    );
    check("reset = 3: retries_left", request.retries_left, 3);
    check_that(
        "reset_with = restart: clock restarted, this much later",
        request.started.duration_since(before),
        |_| request.started >= before,
    );
    check_that(
        "shrink_to = 64 KiB: body (len, capacity) after 1 MiB",
        (request.body.len(), request.body.capacity()),
        |&(len, capacity)| len == 0 && capacity <= 64 * 1024,
    );
    drop(request);
}

/// Each container attribute: `new`, `keep_if`, `crate` and `bound`.
fn container_attributes() {
    let frame = poolable::global::<Frame>().get();
    check_that(
        "new = Frame::with_buffer(4096): capacity",
        frame.pixels.capacity(),
        |&capacity| capacity >= 4096,
    );
    let keep_if = Frame::default_pool_keep_if().expect("set by keep_if");
    check(
        "keep_if = Frame::small_enough: (4 KiB, 8 MiB) kept",
        (
            keep_if(&Frame::with_buffer(4096)),
            keep_if(&Frame::with_buffer(8 << 20)),
        ),
        (true, false),
    );
    check(
        "crate = PATH: #[pooled] mean of 1, 2, 3",
        mean(&[1.0, 2.0, 3.0]),
        2.0,
    );
    check(
        "crate = PATH: a reused Metric's samples",
        poolable::global::<Metric>().get().samples.len(),
        0,
    );
    let mut slot = Slot {
        value: Box::new(vec![1, 2, 3]),
    };
    slot.reset();
    check(
        "bound = \"T: Poolable\": Slot's vec len",
        slot.value.len(),
        0,
    );
}

/// Each shape the derive takes: tuple and unit structs, enums, generics.
fn shapes() {
    let mut line = Line("text".into(), "label");
    line.reset();
    check(
        "tuple struct: (cleared, skipped)",
        (line.0.as_str(), line.1),
        ("", "label"),
    );
    let mut marker = Marker;
    marker.reset();
    check("unit struct: reset", "nothing to do", "nothing to do");
    let mut payload = Payload::Bytes(vec![1, 2, 3]);
    payload.reset();
    check_that(
        "enum, default variant: (len, capacity) kept",
        match &payload {
            Payload::Bytes(bytes) => (bytes.len(), bytes.capacity()),
            Payload::Text { .. } => (usize::MAX, 0),
        },
        |&(len, capacity)| len == 0 && capacity >= 3,
    );
    let mut payload = Payload::Text {
        text: "hello".into(),
        language: "en",
    };
    check("enum, other variant: len before", payload.len(), 7);
    payload.reset();
    check_that(
        "enum, other variant: replaced by",
        match &payload {
            Payload::Bytes(_) => "Bytes",
            Payload::Text { .. } => "Text",
        },
        |&variant| variant == "Bytes",
    );
    let mut tagged = Tagged {
        value: vec![1u8, 2],
        meta: std::rc::Rc::new("not poolable, skipped"),
    };
    tagged.reset();
    check(
        "generic, skipped Rc: (len, meta)",
        (tagged.value.len(), *tagged.meta),
        (0, "not poolable, skipped"),
    );
}

/// Each form of `#[pooled]` function, then what they left in `String`'s default pool.
fn pooled_functions() {
    check("free fn: shout(\"hi\")", shout("hi"), 3);
    check(
        "pool = EXPR, two objects: sum_fields(\"1, 2, 3\")",
        sum_fields("1, 2, 3"),
        Ok(6),
    );
    check_that(
        "`?` gives both back: sum_fields(\"1, x\")",
        sum_fields("1, x"),
        Result::is_err,
    );
    check("pool = CHUNKS: objects kept", CHUNKS.stats().kept, 1);
    let mut encoder = Encoder {
        scratch: Pool::new(),
        encoded: 0,
    };
    check(
        "&self, pool = self.scratch: hex",
        encoder.hex(b"\x01\xff"),
        "01ff".to_owned(),
    );
    check(
        "&mut self: words counted",
        encoder.count("three small words"),
        3,
    );
    check("self by value: summary length", encoder.finish(), 7);
    check(
        "trait impl: render_len",
        poolable::global::<Request>().get().render_len(),
        4,
    );
    check(
        "generics, impl Trait: join(a, b, c)",
        join(["a", "b", "c"], ", "),
        7,
    );
    let future = handle_async("/async");
    assert_send(&future);
    check("async fn, held across .await", block_on(future), 6);
    let data = [1u8, 2, 3];
    // SAFETY: `data` is valid for reads of its length.
    check(
        "unsafe fn: sum of copied bytes",
        unsafe { copy_raw(data.as_ptr(), data.len()) },
        6,
    );

    let stats = poolable::global::<String>().stats();
    println!("\nString's default pool, used by the functions above: {stats}");
}

/// Checks one value against a test and prints it, one line per check.
#[track_caller]
fn check_that<T: std::fmt::Debug>(what: &str, value: T, test: impl FnOnce(&T) -> bool) {
    assert!(test(&value), "{what}: {value:?}");
    println!("ok  {what:<52} {value:?}");
}

/// Checks one value and prints it, one line per check.
#[track_caller]
fn check<T: std::fmt::Debug + PartialEq>(what: &str, value: T, expected: T) {
    assert_eq!(value, expected, "{what}");
    println!("ok  {what:<52} {value:?}");
}

/// A future that is pending once, so `handle_async` really holds its object across an
/// `.await`.
async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(|context| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            context.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await;
}

/// Runs a future to completion on this thread; enough for this tour.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

fn assert_send<T: Send>(_: &T) {}
