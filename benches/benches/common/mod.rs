//! The workloads and the contenders, shared by the `compare` (timing) and `allocs`
//! (allocation counting) bench targets.
//!
//! Every contender does the same work on the same objects: the same buffer or request,
//! filled the same way, and cleared (`clear()` on every collection, capacity kept) once
//! per use: on return where the pool resets on return, on borrow where it resets on
//! borrow (opool), by hand where the pool has no reset (object-pool). Pools whose
//! capacity can be set keep up to [`POOL_CAPACITY`] objects.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hint::black_box;

use poolable::{Pool, global};

mod deep;

/// Objects a pool keeps at most, where the pool lets us say.
pub(crate) const POOL_CAPACITY: usize = 1024;
/// Capacity of the `small` buffer.
pub(crate) const SMALL_CAPACITY: usize = 4096;
/// Bytes written into the `small` buffer per use.
pub(crate) const SMALL_WRITE: usize = 64;
/// Objects held at once by `hold-many`.
pub(crate) const HOLD: usize = 64;
/// Bytes of the request body.
pub(crate) const BODY: usize = 2048;
/// The bytes written: the `small` buffer's 64, and the request's body.
pub(crate) static PAYLOAD: [u8; BODY] = {
    let mut bytes = [0u8; BODY];
    let mut i = 0;
    while i < BODY {
        bytes[i] = (i * 31 % 251) as u8;
        i += 1;
    }
    bytes
};

/// The request's headers, names and values.
pub(crate) const HEADERS: [(&str, &str); 8] = [
    ("host", "api.example.com"),
    ("user-agent", "bench/1.0"),
    ("accept", "application/json"),
    ("accept-encoding", "gzip, br"),
    ("content-type", "application/octet-stream"),
    ("content-length", "2048"),
    ("x-request-id", "7f3c9a2e-5b1d-4e8f-a6c0-d2b4e1f09a37"),
    ("authorization", "Bearer abcdefghijklmnopqrstuvwxyz012345"),
];

/// The request's tags.
pub(crate) const TAGS: [&str; 4] = ["orders", "v1", "write", "priority-normal"];

/// `small`: what each contender does with a borrowed buffer.
///
/// `reserve` makes a fresh buffer 4 KiB for the contenders whose factory cannot be chosen
/// (and for the no-pool baseline); on a reused buffer it only checks the capacity.
#[inline]
pub(crate) fn fill_small(buffer: &mut Vec<u8>) {
    buffer.reserve(SMALL_CAPACITY);
    buffer.extend_from_slice(&PAYLOAD[..SMALL_WRITE]);
    black_box(buffer);
}

/// A new `small` buffer, for the pools whose factory can be chosen.
pub(crate) fn new_small() -> Vec<u8> {
    Vec::with_capacity(SMALL_CAPACITY)
}

/// The `request` object: a parsed HTTP request, as a server would pool it. Its
/// `Poolable` reset, written by the derive, clears each field as [`Request::clear`] does.
#[derive(Default, poolable::Poolable)]
pub(crate) struct Request {
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
    tags: Vec<String>,
}

impl Request {
    /// The reset every contender runs once per use: clear each field, keep capacity.
    #[inline]
    fn clear(&mut self) {
        self.path.clear();
        self.headers.clear();
        self.body.clear();
        self.tags.clear();
    }

    /// The capacity poolshark checks before keeping an object (it keeps none of 0).
    fn capacity(&self) -> usize {
        self.body.capacity()
    }
}

/// `request`: fill a borrowed request, then checksum it.
#[inline]
pub(crate) fn fill_request(request: &mut Request) -> u64 {
    request.path.push_str(PATH);
    for (name, value) in HEADERS {
        request.headers.insert(name.to_owned(), value.to_owned());
    }
    request.body.extend_from_slice(&PAYLOAD);
    request.tags.extend(TAGS.iter().map(|&tag| tag.to_owned()));
    let request = black_box(request);
    checksum(
        &request.path,
        &request.headers,
        &request.body,
        &request.tags,
    )
}

/// The request's path, written the same way by every `request` contender.
pub(crate) const PATH: &str = "/api/v1/orders/12345/items";

/// What every `request` contender computes from the request it filled, so that the
/// filling cannot be optimised away: the same reads of every part, whatever holds them.
#[inline]
pub(crate) fn checksum<'a>(
    path: &str,
    headers: impl IntoIterator<Item = (&'a String, &'a String)>,
    body: &[u8],
    tags: impl IntoIterator<Item = &'a String>,
) -> u64 {
    let mut sum = path.len() as u64;
    for (name, value) in headers {
        sum = sum.wrapping_add((name.len() * 31 + value.len()) as u64);
    }
    for chunk in body.chunks_exact(8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        sum = sum.rotate_left(5) ^ word;
    }
    for tag in tags {
        sum = sum.wrapping_add(tag.len() as u64);
    }
    sum
}

/// `round-trip`'s work inside the borrow: none, but the buffer's address escapes, so
/// the compiler cannot drop the borrow and return as dead code.
#[inline]
pub(crate) fn touch(buffer: &mut Vec<u8>) {
    black_box(buffer);
}

/// One way to get and return objects. `Sync`: `two-threads` shares one between threads.
pub(crate) trait Contender: Sync {
    /// Whether it runs the buffer workloads (`round-trip`, `small`, `two-threads`,
    /// `hold-many`); the deep-reuse contenders run `request` only.
    const BUFFERS: bool = true;

    /// Whether it can hold [`HOLD`] objects at once (`#[pooled]` borrows one per call).
    const HOLDS_MANY: bool = true;

    /// Borrow a 4 KiB buffer, run `work` on it, return it: `round-trip` with [`touch`],
    /// `small` with [`fill_small`].
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>));

    /// `hold-many`: borrow [`HOLD`] buffers, run `work` on each, return them all.
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>));

    /// `request`: borrow a request, fill it, checksum it, return it.
    fn request(&self) -> u64;
}

/// Calls `visit` once per contender, limit and baseline first.
pub(crate) trait Visitor {
    /// Called with each contender in turn.
    fn visit<C: Contender>(&mut self, name: &'static str, contender: &C);
}

/// The contenders' names, in the `forward` order, as the reports know them.
pub(crate) const NAMES: [&str; 15] = [
    "limit",
    "no-pool",
    "poolable-local",
    "poolable-global",
    "poolable-pooled",
    "lockfree-linear",
    "lockfree-spinlock",
    "object-pool",
    "opool",
    "sharded-slab",
    "poolshark-local",
    "poolshark-global",
    "lifeguard",
    "limit-deep",
    "poolable-reuse",
];

/// How many contenders [`each_contender`] shows.
const CONTENDERS: usize = NAMES.len();

/// The step of the `spread` order: about half the list, and coprime to
/// [`CONTENDERS`], so that it visits every contender once with neighbours apart.
const SPREAD: usize = {
    let mut step = CONTENDERS / 2;
    while gcd(step, CONTENDERS) != 1 {
        step += 1;
    }
    step
};

const fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Makes every contender and shows each to `visitor`, in the order the environment
/// variable `POOLABLE_BENCH_ORDER` names: `forward` (the default: limit and baseline
/// first), `reverse`, or `spread` (a stride through the list, so that neighbours in the
/// other orders are apart). A run alternates them, so that a slow spell of the machine
/// does not always fall on the same contender, nor on the same neighbours together.
#[allow(
    dead_code,
    reason = "the callgrind target makes one contender, by name"
)]
pub(crate) fn each_contender(visitor: &mut impl Visitor) {
    let order = std::env::var("POOLABLE_BENCH_ORDER").unwrap_or_default();
    for k in 0..CONTENDERS {
        let i = match order.as_str() {
            "reverse" => CONTENDERS - 1 - k,
            "spread" => (k * SPREAD + 7) % CONTENDERS,
            _ => k,
        };
        visit_one(visitor, i);
    }
}

/// Makes the contender called `name` (one of [`NAMES`]) and shows it to `visitor`;
/// false if there is none of that name.
#[allow(dead_code, reason = "used by the callgrind target only")]
pub(crate) fn visit_named(visitor: &mut impl Visitor, name: &str) -> bool {
    match NAMES.iter().position(|&n| n == name) {
        Some(i) => {
            visit_one(visitor, i);
            true
        }
        None => false,
    }
}

/// Makes contender `i` and shows it to `visitor`.
fn visit_one(visitor: &mut impl Visitor, i: usize) {
    let name = NAMES[i];
    match i {
        0 => visitor.visit(name, &Limit),
        1 => visitor.visit(name, &NoPool),
        2 => visitor.visit(name, &PoolableLocal::new()),
        3 => visitor.visit(name, &PoolableGlobal::new()),
        4 => visitor.visit(name, &PoolableMacro::new()),
        5 => visitor.visit(name, &LockfreeLinear::new()),
        6 => visitor.visit(name, &LockfreeSpinLock::new()),
        7 => visitor.visit(name, &ObjectPool::new()),
        8 => visitor.visit(name, &Opool::new()),
        9 => visitor.visit(name, &ShardedSlab::new()),
        10 => visitor.visit(name, &PoolsharkLocal::new()),
        11 => visitor.visit(name, &PoolsharkGlobal::new()),
        12 => visitor.visit(name, &Lifeguard::new()),
        13 => visitor.visit(name, &deep::LimitDeep),
        14 => visitor.visit(name, &deep::PoolableReuse::new()),
        _ => unreachable!("contender {i} of {CONTENDERS}"),
    }
}

// ---- The limit: a thread-local stack, no sharing, no counting, no guard. ----

/// A thread-local `Vec<T>` used as a stack: pop to borrow, clear and push to return.
pub(crate) struct Limit;

thread_local! {
    static SMALL_STACK: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    static REQUEST_STACK: RefCell<Vec<Request>> = const { RefCell::new(Vec::new()) };
}

impl Limit {
    #[inline]
    fn take_small() -> Vec<u8> {
        SMALL_STACK
            .with_borrow_mut(Vec::pop)
            .unwrap_or_else(new_small)
    }

    #[inline]
    fn give_small(mut buffer: Vec<u8>) {
        buffer.clear();
        SMALL_STACK.with_borrow_mut(|stack| stack.push(buffer));
    }
}

impl Contender for Limit {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        let mut buffer = Limit::take_small();
        work(&mut buffer);
        Limit::give_small(buffer);
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        let held: [Vec<u8>; HOLD] = std::array::from_fn(|_| {
            let mut buffer = Limit::take_small();
            work(&mut buffer);
            buffer
        });
        for buffer in held {
            Limit::give_small(buffer);
        }
    }

    #[inline]
    fn request(&self) -> u64 {
        let mut request = REQUEST_STACK.with_borrow_mut(Vec::pop).unwrap_or_default();
        let sum = fill_request(&mut request);
        request.clear();
        REQUEST_STACK.with_borrow_mut(|stack| stack.push(request));
        sum
    }
}

// ---- The baseline: no pool, a fresh allocation each time. ----

/// A fresh object each time, dropped after use.
pub(crate) struct NoPool;

impl Contender for NoPool {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        let mut buffer = new_small();
        work(&mut buffer);
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        let held: [Vec<u8>; HOLD] = std::array::from_fn(|_| {
            let mut buffer = new_small();
            work(&mut buffer);
            buffer
        });
        drop(black_box(held));
    }

    #[inline]
    fn request(&self) -> u64 {
        fill_request(&mut Request::default())
    }
}

// ---- poolable ----

/// A `Pool` the caller owns and passes by reference.
pub(crate) struct PoolableLocal {
    small: Pool<Vec<u8>>,
    requests: Pool<Request>,
}

impl PoolableLocal {
    fn new() -> Self {
        PoolableLocal {
            small: Pool::builder()
                .capacity(POOL_CAPACITY)
                .factory(new_small)
                .build(),
            requests: Pool::with_capacity(POOL_CAPACITY),
        }
    }
}

impl Contender for PoolableLocal {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        work(&mut self.small.get());
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        let held: [_; HOLD] = std::array::from_fn(|_| {
            let mut buffer = self.small.get();
            work(&mut buffer);
            buffer
        });
        drop(held);
    }

    #[inline]
    fn request(&self) -> u64 {
        fill_request(&mut self.requests.get())
    }
}

/// Each type's process-wide default pool, `global::<T>()`.
pub(crate) struct PoolableGlobal;

impl PoolableGlobal {
    /// Empties the default pools, so that each workload starts from none kept, as the
    /// other contenders' new pools do, rather than with objects an earlier workload's
    /// threads made elsewhere in memory.
    fn new() -> Self {
        global::<Vec<u8>>().clear();
        global::<Request>().clear();
        PoolableGlobal
    }
}

impl Contender for PoolableGlobal {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        work(&mut global::<Vec<u8>>().get());
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        let pool = global::<Vec<u8>>();
        let held: [_; HOLD] = std::array::from_fn(|_| {
            let mut buffer = pool.get();
            work(&mut buffer);
            buffer
        });
        drop(held);
    }

    #[inline]
    fn request(&self) -> u64 {
        fill_request(&mut global::<Request>().get())
    }
}

/// A `#[pooled]` function: the object comes from the type's default pool.
pub(crate) struct PoolableMacro;

impl PoolableMacro {
    /// Empties the default pools, as [`PoolableGlobal::new`] does.
    fn new() -> Self {
        PoolableGlobal::new();
        PoolableMacro
    }
}

#[poolable::pooled]
fn buffer_pooled(work: impl Fn(&mut Vec<u8>), #[pooled] buffer: &mut Vec<u8>) {
    work(buffer);
}

#[poolable::pooled]
fn request_pooled(#[pooled] request: &mut Request) -> u64 {
    fill_request(request)
}

impl Contender for PoolableMacro {
    const HOLDS_MANY: bool = false;

    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        buffer_pooled(work);
    }

    fn hold_many(&self, _: impl Fn(&mut Vec<u8>)) {}

    #[inline]
    fn request(&self) -> u64 {
        request_pooled()
    }
}

// ---- lockfree-object-pool ----

/// `lockfree_object_pool::LinearObjectPool`: unbounded, reset closure run on return.
pub(crate) struct LockfreeLinear {
    small: lockfree_object_pool::LinearObjectPool<Vec<u8>>,
    requests: lockfree_object_pool::LinearObjectPool<Request>,
}

impl LockfreeLinear {
    fn new() -> Self {
        LockfreeLinear {
            small: lockfree_object_pool::LinearObjectPool::new(new_small, Vec::clear),
            requests: lockfree_object_pool::LinearObjectPool::new(Request::default, Request::clear),
        }
    }
}

impl Contender for LockfreeLinear {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        work(&mut self.small.pull());
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        let held: [_; HOLD] = std::array::from_fn(|_| {
            let mut buffer = self.small.pull();
            work(&mut buffer);
            buffer
        });
        drop(held);
    }

    #[inline]
    fn request(&self) -> u64 {
        fill_request(&mut self.requests.pull())
    }
}

/// `lockfree_object_pool::SpinLockObjectPool`: unbounded, reset closure run on return.
pub(crate) struct LockfreeSpinLock {
    small: lockfree_object_pool::SpinLockObjectPool<Vec<u8>>,
    requests: lockfree_object_pool::SpinLockObjectPool<Request>,
}

impl LockfreeSpinLock {
    fn new() -> Self {
        LockfreeSpinLock {
            small: lockfree_object_pool::SpinLockObjectPool::new(new_small, Vec::clear),
            requests: lockfree_object_pool::SpinLockObjectPool::new(
                Request::default,
                Request::clear,
            ),
        }
    }
}

impl Contender for LockfreeSpinLock {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        work(&mut self.small.pull());
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        let held: [_; HOLD] = std::array::from_fn(|_| {
            let mut buffer = self.small.pull();
            work(&mut buffer);
            buffer
        });
        drop(held);
    }

    #[inline]
    fn request(&self) -> u64 {
        fill_request(&mut self.requests.pull())
    }
}

// ---- object-pool ----

/// `object_pool::Pool`: a mutex around a stack, unbounded, no reset of its own: the
/// user clears the object before the guard goes back.
pub(crate) struct ObjectPool {
    small: object_pool::Pool<Vec<u8>>,
    requests: object_pool::Pool<Request>,
}

impl ObjectPool {
    fn new() -> Self {
        ObjectPool {
            small: object_pool::Pool::new(0, new_small),
            requests: object_pool::Pool::new(0, Request::default),
        }
    }
}

impl Contender for ObjectPool {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        let mut buffer = self.small.pull(new_small);
        work(&mut buffer);
        buffer.clear();
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        let held: [_; HOLD] = std::array::from_fn(|_| {
            let mut buffer = self.small.pull(new_small);
            work(&mut buffer);
            buffer
        });
        for mut buffer in held {
            buffer.clear();
        }
    }

    #[inline]
    fn request(&self) -> u64 {
        let mut request = self.requests.pull(Request::default);
        let sum = fill_request(&mut request);
        request.clear();
        sum
    }
}

// ---- opool ----

/// opool's allocator for the `small` buffers: makes 4 KiB, clears on reuse.
pub(crate) struct SmallAllocator;

impl opool::PoolAllocator<Vec<u8>> for SmallAllocator {
    #[inline]
    fn allocate(&self) -> Vec<u8> {
        new_small()
    }

    #[inline]
    fn reset(&self, buffer: &mut Vec<u8>) {
        buffer.clear();
    }
}

/// opool's allocator for requests.
pub(crate) struct RequestAllocator;

impl opool::PoolAllocator<Request> for RequestAllocator {
    #[inline]
    fn allocate(&self) -> Request {
        Request::default()
    }

    #[inline]
    fn reset(&self, request: &mut Request) {
        request.clear();
    }
}

/// `opool::Pool`: a bounded lock-free queue; its allocator resets on borrow.
pub(crate) struct Opool {
    small: opool::Pool<SmallAllocator, Vec<u8>>,
    requests: opool::Pool<RequestAllocator, Request>,
}

impl Opool {
    fn new() -> Self {
        Opool {
            small: opool::Pool::new(POOL_CAPACITY, SmallAllocator),
            requests: opool::Pool::new(POOL_CAPACITY, RequestAllocator),
        }
    }
}

impl Contender for Opool {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        work(&mut self.small.get());
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        let held: [_; HOLD] = std::array::from_fn(|_| {
            let mut buffer = self.small.get();
            work(&mut buffer);
            buffer
        });
        drop(held);
    }

    #[inline]
    fn request(&self) -> u64 {
        fill_request(&mut self.requests.get())
    }
}

// ---- sharded-slab ----

impl sharded_slab::Clear for Request {
    #[inline]
    fn clear(&mut self) {
        Request::clear(self);
    }
}

/// `sharded_slab::Pool`: objects live in the pool's slots; `create` lends a slot,
/// `clear(key)` clears it (`Clear`, capacity kept) and frees it for reuse.
pub(crate) struct ShardedSlab {
    small: sharded_slab::Pool<Vec<u8>>,
    requests: sharded_slab::Pool<Request>,
}

impl ShardedSlab {
    fn new() -> Self {
        ShardedSlab {
            small: sharded_slab::Pool::new(),
            requests: sharded_slab::Pool::new(),
        }
    }
}

impl Contender for ShardedSlab {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        let mut buffer = self.small.create().expect("sharded-slab shard full");
        work(&mut buffer);
        let key = buffer.key();
        drop(buffer);
        self.small.clear(key);
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        let held: [_; HOLD] = std::array::from_fn(|_| {
            let mut buffer = self.small.create().expect("sharded-slab shard full");
            work(&mut buffer);
            buffer
        });
        for buffer in held {
            let key = buffer.key();
            drop(buffer);
            self.small.clear(key);
        }
    }

    #[inline]
    fn request(&self) -> u64 {
        let mut request = self.requests.create().expect("sharded-slab shard full");
        let sum = fill_request(&mut request);
        let key = request.key();
        drop(request);
        self.requests.clear(key);
        sum
    }
}

// ---- poolshark ----

impl poolshark::Poolable for Request {
    fn empty() -> Self {
        Request::default()
    }

    #[inline]
    fn reset(&mut self) {
        self.clear();
    }

    fn capacity(&self) -> usize {
        Request::capacity(self)
    }
}

// SAFETY: `Request` has no type parameters, so a discriminant made of a location id
// alone is unique to it; `reset` empties every collection it owns, as
// `IsoPoolable` requires.
unsafe impl poolshark::IsoPoolable for Request {
    const DISCRIMINANT: Option<poolshark::Discriminant> =
        poolshark::Discriminant::new(poolshark::location_id!());
}

/// The largest object poolshark keeps (it drops larger ones): above our buffers and
/// requests, so that it keeps all of them.
const POOLSHARK_MAX_ELEMENTS: usize = 1 << 20;

/// poolshark's thread-local pools (`LPooled`): one per thread and type, reset on return.
pub(crate) struct PoolsharkLocal;

impl PoolsharkLocal {
    fn new() -> Self {
        // Its default keeps no object of more than 1024 elements: raise it so that the
        // 4 KiB buffers are kept.
        poolshark::local::set_size::<Vec<u8>>(POOL_CAPACITY, POOLSHARK_MAX_ELEMENTS);
        poolshark::local::set_size::<Request>(POOL_CAPACITY, POOLSHARK_MAX_ELEMENTS);
        PoolsharkLocal
    }
}

impl Contender for PoolsharkLocal {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        work(&mut poolshark::local::LPooled::<Vec<u8>>::take());
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        let held: [_; HOLD] = std::array::from_fn(|_| {
            let mut buffer = poolshark::local::LPooled::<Vec<u8>>::take();
            work(&mut buffer);
            buffer
        });
        drop(held);
    }

    #[inline]
    fn request(&self) -> u64 {
        fill_request(&mut poolshark::local::LPooled::<Request>::take())
    }
}

/// poolshark's shared pool (`global::Pool`, lock-free queue), reset on return.
pub(crate) struct PoolsharkGlobal {
    small: poolshark::global::Pool<Vec<u8>>,
    requests: poolshark::global::Pool<Request>,
}

impl PoolsharkGlobal {
    fn new() -> Self {
        PoolsharkGlobal {
            small: poolshark::global::Pool::new(POOL_CAPACITY, POOLSHARK_MAX_ELEMENTS),
            requests: poolshark::global::Pool::new(POOL_CAPACITY, POOLSHARK_MAX_ELEMENTS),
        }
    }
}

impl Contender for PoolsharkGlobal {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        work(&mut self.small.take());
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        let held: [_; HOLD] = std::array::from_fn(|_| {
            let mut buffer = self.small.take();
            work(&mut buffer);
            buffer
        });
        drop(held);
    }

    #[inline]
    fn request(&self) -> u64 {
        fill_request(&mut self.requests.take())
    }
}

// ---- lifeguard ----

impl lifeguard::Recycleable for Request {
    fn new() -> Self {
        Request::default()
    }

    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

thread_local! {
    static LIFEGUARD_SMALL: lifeguard::Pool<Vec<u8>> = lifeguard::pool()
        .with(lifeguard::StartingSize(0))
        .with(lifeguard::MaxSize(POOL_CAPACITY))
        .with(lifeguard::Supplier(new_small))
        .build();
    static LIFEGUARD_REQUESTS: lifeguard::Pool<Request> = lifeguard::pool()
        .with(lifeguard::StartingSize(0))
        .with(lifeguard::MaxSize(POOL_CAPACITY))
        .build();
}

/// `lifeguard::Pool`: a single-threaded pool (an `Rc<RefCell<Vec<T>>>`), bounded, reset
/// on return. It is not `Sync`, so each thread has its own, in a `thread_local!` looked
/// up once per borrow (once per batch in `hold-many`), as the limit's stack is.
pub(crate) struct Lifeguard;

impl Lifeguard {
    fn new() -> Self {
        Lifeguard
    }
}

impl Contender for Lifeguard {
    #[inline]
    fn borrow_one(&self, work: impl Fn(&mut Vec<u8>)) {
        LIFEGUARD_SMALL.with(|pool| work(&mut pool.new()));
    }

    #[inline]
    fn hold_many(&self, work: impl Fn(&mut Vec<u8>)) {
        LIFEGUARD_SMALL.with(|pool| {
            let held: [_; HOLD] = std::array::from_fn(|_| {
                let mut buffer = pool.new();
                work(&mut buffer);
                buffer
            });
            drop(held);
        });
    }

    #[inline]
    fn request(&self) -> u64 {
        LIFEGUARD_REQUESTS.with(|pool| fill_request(&mut pool.new()))
    }
}
