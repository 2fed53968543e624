//! `#[pooled]`: every accepted form compiles, borrows at entry and gives back on every
//! way out.
//!
//! Tests that count on a default pool each use a type of their own, so that tests
//! running in parallel do not share counters; the others name a pool with `pool = ...`.

#![allow(clippy::unnecessary_wraps)] // functions return `Result` to exercise `?`

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::pin;
use std::sync::{Arc, LazyLock};
use std::task::{Context, Poll, Waker};

use poolable::{Pool, Poolable, Stats, global, pooled};

/// A pooled type that remembers what it was used for, so a test can see that the
/// object it gets was reset (`log` empty) and whether it was reused (`uses`).
#[derive(Debug, Default)]
struct Scratch {
    log: Vec<&'static str>,
    /// Not reset: counts how many borrows this object has served.
    uses: u32,
}

impl Poolable for Scratch {
    fn reset(&mut self) {
        self.log.clear();
    }
}

/// One `Scratch`-like type per test that counts on a default pool.
macro_rules! scratch_types {
    ($($name:ident)*) => {$(
        #[derive(Debug, Default)]
        struct $name(Scratch);

        impl Poolable for $name {
            fn reset(&mut self) {
                self.0.reset();
            }
        }

        impl std::ops::Deref for $name {
            type Target = Scratch;
            fn deref(&self) -> &Scratch {
                &self.0
            }
        }

        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Scratch {
                &mut self.0
            }
        }
    )*};
}

scratch_types! {
    FreeFn QuestionMark EarlyReturn Panicking Recursive Several Generic Unsafe ImplTrait
    Asynchronous Cfg MutBinding RawName InnerAttr Trait Shadow Reexport
}

fn stats<T: Poolable + Default + Send + 'static>() -> Stats {
    global::<T>().stats()
}

/// Borrowed, used, returned: what every test below checks after its calls.
#[track_caller]
fn assert_balanced(stats: Stats, made: u64, returned: u64) {
    assert_eq!(stats.made, made, "made: {stats:?}");
    assert_eq!(stats.returned, returned, "returned: {stats:?}");
    assert_eq!(stats.out, 0, "out: {stats:?}");
}

// Free functions

/// Doc comments and other attributes stay on the function.
#[pooled]
#[inline]
#[must_use]
fn handle(raw: &'static str, #[pooled] scratch: &mut FreeFn) -> (usize, u32) {
    assert!(
        scratch.log.is_empty(),
        "an object came back without its reset"
    );
    scratch.uses += 1;
    scratch.log.push(raw);
    (scratch.log.len(), scratch.uses)
}

#[test]
fn free_fn_borrows_and_returns() {
    assert_eq!(handle("a"), (1, 1));
    assert_eq!(stats::<FreeFn>().out, 0);
    // The same object again, reset but not new.
    assert_eq!(handle("b"), (1, 2));
    let stats = stats::<FreeFn>();
    assert_balanced(stats, 1, 2);
    assert_eq!(stats.reused, 1);
}

#[pooled]
fn parse(raw: &str, #[pooled] scratch: &mut QuestionMark) -> Result<u32, std::num::ParseIntError> {
    scratch.log.push("parse");
    let n = raw.parse::<u32>()?;
    Ok(n)
}

#[test]
fn returned_on_question_mark() {
    assert!(parse("x").is_err());
    assert_eq!(stats::<QuestionMark>().out, 0);
    assert_eq!(parse("7"), Ok(7));
    assert_balanced(stats::<QuestionMark>(), 1, 2);
}

#[pooled]
fn early(stop: bool, #[pooled] scratch: &mut EarlyReturn) -> u32 {
    scratch.log.push("early");
    if stop {
        return 0;
    }
    1
}

#[test]
fn returned_on_early_return() {
    assert_eq!(early(true), 0);
    assert_eq!(early(false), 1);
    assert_balanced(stats::<EarlyReturn>(), 1, 2);
}

#[pooled]
fn explode(#[pooled] scratch: &mut Panicking) {
    scratch.log.push("half-written");
    panic!("boom");
}

#[test]
fn dropped_not_returned_when_the_body_panics() {
    let result = panic::catch_unwind(explode);
    assert!(result.is_err());
    let stats = stats::<Panicking>();
    assert_eq!(stats.dropped_panicking, 1, "{stats:?}");
    assert_eq!(
        (stats.returned, stats.kept, stats.out),
        (0, 0, 0),
        "{stats:?}"
    );
}

/// Each call borrows its own object: records the address of every object it is lent,
/// all alive at once at the deepest call.
#[pooled]
fn descend(depth: usize, seen: &mut Vec<usize>, #[pooled] scratch: &mut Recursive) {
    seen.push(&raw const *scratch as usize);
    if depth > 0 {
        descend(depth - 1, seen);
    }
}

#[test]
fn recursion_gets_distinct_objects() {
    let mut seen = Vec::new();
    descend(4, &mut seen);
    assert_eq!(seen.len(), 5);
    let mut distinct = seen.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        5,
        "an object was lent twice at once: {seen:?}"
    );
    assert_balanced(stats::<Recursive>(), 5, 5);
}

#[pooled]
fn several(
    #[pooled] first: &mut Several,
    n: u32,
    #[pooled] line: &mut String,
    #[pooled(pool = LINES)] other: &mut String,
) -> usize {
    first.uses += n;
    line.push_str("line");
    other.push_str("other line");
    line.len() + other.len()
}

static LINES: LazyLock<Pool<String>> = LazyLock::new(Pool::new);

#[test]
fn several_pooled_parameters() {
    assert_eq!(several(1), 14);
    assert_eq!(several(2), 14);
    assert_balanced(stats::<Several>(), 1, 2);
    assert_balanced(LINES.stats(), 1, 2);
}

/// `T` generic, with its bounds in a `where` clause.
#[pooled]
pub(crate) fn generic<T>(label: &'static str, #[pooled] object: &mut T) -> usize
where
    T: Poolable + Default + Send + 'static + std::ops::DerefMut<Target = Scratch>,
{
    object.log.push(label);
    object.log.len()
}

#[test]
fn generic_fn() {
    assert_eq!(generic::<Generic>("a"), 1);
    assert_eq!(generic::<Generic>("b"), 1);
    assert_balanced(stats::<Generic>(), 1, 2);
}

/// # Safety
///
/// None needed; `unsafe` is only there to be kept.
#[pooled]
unsafe fn unsafe_fn(#[pooled] scratch: &mut Unsafe) -> usize {
    scratch.log.push("unsafe");
    scratch.log.len()
}

#[test]
fn unsafe_fn_is_kept_unsafe() {
    // SAFETY: `unsafe_fn` has no precondition.
    assert_eq!(unsafe { unsafe_fn() }, 1);
    assert_balanced(stats::<Unsafe>(), 1, 1);
}

#[pooled]
fn with_impl_trait(
    items: impl IntoIterator<Item = &'static str>,
    #[pooled] scratch: &mut ImplTrait,
) -> usize {
    scratch.log.extend(items);
    scratch.log.len()
}

#[test]
fn impl_trait_parameter() {
    assert_eq!(with_impl_trait(["a", "b"]), 2);
    assert_eq!(with_impl_trait(vec!["c"]), 1);
    assert_balanced(stats::<ImplTrait>(), 1, 2);
}

#[pooled]
fn with_cfg(
    #[cfg(any())]
    #[pooled]
    never: &mut Vec<u8>,
    #[cfg(test)]
    #[pooled]
    always: &mut Cfg,
) -> usize {
    #[cfg(any())]
    never.push(1);
    always.log.push("cfg");
    always.log.len()
}

#[test]
fn cfg_on_a_pooled_parameter() {
    assert_eq!(with_cfg(), 1);
    assert_balanced(stats::<Cfg>(), 1, 1);
}

#[pooled]
fn mut_binding(#[pooled] mut scratch: &mut MutBinding, other: &mut MutBinding) -> usize {
    scratch.log.push("pooled");
    // `mut` makes the binding itself reassignable, as on a parameter.
    scratch = other;
    scratch.log.push("other");
    scratch.log.len()
}

#[test]
fn mut_parameter() {
    let mut other = MutBinding::default();
    assert_eq!(mut_binding(&mut other), 1);
    assert_eq!(other.log, ["other"]);
    assert_balanced(stats::<MutBinding>(), 1, 1);
}

#[pooled]
fn raw_name(#[pooled] r#type: &mut RawName) -> usize {
    r#type.log.push("raw");
    r#type.log.len()
}

#[test]
fn raw_identifier() {
    assert_eq!(raw_name(), 1);
    assert_balanced(stats::<RawName>(), 1, 1);
}

#[pooled]
fn inner_attribute(#[pooled] scratch: &mut InnerAttr) -> usize {
    #![allow(unused_variables)]
    let unused = 1;
    scratch.log.push("inner");
    scratch.log.len()
}

#[test]
fn inner_attributes_stay_first() {
    assert_eq!(inner_attribute(), 1);
    assert_balanced(stats::<InnerAttr>(), 1, 1);
}

/// A body that names its own local after the parameter only shadows it.
#[pooled]
fn shadowing(#[pooled] scratch: &mut Shadow) -> usize {
    scratch.log.push("pooled");
    let scratch = "three";
    scratch.len()
}

#[test]
fn body_may_shadow_the_parameter() {
    assert_eq!(shadowing(), 5);
    assert_balanced(stats::<Shadow>(), 1, 1);
}

// Methods

struct Handler {
    buffers: Pool<Vec<u8>>,
    shared: Arc<Pool<Vec<u8>>>,
}

impl Handler {
    fn new() -> Handler {
        Handler {
            buffers: Pool::new(),
            shared: Arc::new(Pool::new()),
        }
    }

    #[pooled]
    fn by_ref(&self, raw: &[u8], #[pooled(pool = self.buffers)] buf: &mut Vec<u8>) -> usize {
        assert!(buf.is_empty());
        buf.extend_from_slice(raw);
        buf.len()
    }

    #[pooled]
    fn by_mut(&mut self, #[pooled(pool = self.shared)] buf: &mut Vec<u8>) -> usize {
        buf.push(1);
        buf.len()
    }

    #[pooled]
    fn by_value(self, #[pooled(pool = &self.buffers)] buf: &mut Vec<u8>) -> Stats {
        buf.push(2);
        self.buffers.stats()
    }

    #[pooled]
    #[allow(clippy::boxed_local)] // the receiver form is what is tested
    fn boxed(self: Box<Self>, #[pooled(pool = *self.shared)] buf: &mut Vec<u8>) -> usize {
        buf.push(3);
        buf.len()
    }

    #[pooled]
    fn associated(pool: &Pool<Vec<u8>>, #[pooled(pool = pool)] buf: &mut Vec<u8>) -> usize {
        buf.push(4);
        buf.len()
    }
}

#[test]
fn methods_with_every_receiver() {
    let mut handler = Handler::new();
    assert_eq!(handler.by_ref(b"abc"), 3);
    assert_eq!(handler.by_ref(b"de"), 2);
    assert_balanced(handler.buffers.stats(), 1, 2);

    assert_eq!(handler.by_mut(), 1);
    assert_eq!(Handler::associated(&handler.shared), 1);
    assert_balanced(handler.shared.stats(), 1, 2);

    let shared = Arc::clone(&handler.shared);
    assert_eq!(Box::new(Handler::new()).boxed(), 1);
    let stats = handler.by_value();
    // Taken inside the body: the object is still out then.
    assert_eq!((stats.made, stats.out), (1, 1));
    assert_balanced(shared.stats(), 1, 2);
}

trait Service {
    fn call(&self, raw: &'static str) -> usize;
}

struct Echo;

impl Service for Echo {
    #[pooled]
    fn call(&self, raw: &'static str, #[pooled] scratch: &mut Trait) -> usize {
        scratch.log.push(raw);
        scratch.log.len()
    }
}

#[test]
fn trait_impl_method() {
    let service: &dyn Service = &Echo;
    assert_eq!(service.call("a"), 1);
    assert_eq!(service.call("b"), 1);
    assert_balanced(stats::<Trait>(), 1, 2);
}

#[test]
fn pool_expression_is_evaluated_per_call() {
    #[pooled]
    fn pick(pools: &[Pool<String>], i: usize, #[pooled(pool = pools[i])] line: &mut String) {
        line.push('x');
    }

    let pools = [Pool::new(), Pool::new()];
    pick(&pools, 1);
    pick(&pools, 1);
    assert_balanced(pools[0].stats(), 0, 0);
    assert_balanced(pools[1].stats(), 1, 2);
}

// async fn

/// A future that is pending once, so the pooled object is held across a real
/// suspension.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// Polls `future` to completion on this thread; returns its output and how many polls
/// it took.
fn block_on<F: Future>(future: F) -> (F::Output, usize) {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return (output, polls);
        }
    }
}

fn assert_send<F: Send>(future: F) -> F {
    future
}

#[pooled]
async fn fetch(raw: &'static str, #[pooled] scratch: &mut Asynchronous) -> usize {
    scratch.log.push(raw);
    YieldOnce(false).await;
    scratch.log.push(raw);
    scratch.log.len()
}

struct AsyncHandler {
    lines: Pool<String>,
}

impl AsyncHandler {
    #[pooled]
    async fn line(&self, #[pooled(pool = self.lines)] line: &mut String) -> usize {
        line.push_str("before");
        YieldOnce(false).await;
        line.push_str(" after");
        line.len()
    }
}

#[test]
fn async_fn_holds_the_object_across_await() {
    let future = assert_send(fetch("a"));
    // Nothing is borrowed until the future is polled.
    assert_eq!(stats::<Asynchronous>().made, 0);
    assert_eq!(block_on(future), (2, 2));
    assert_eq!(block_on(fetch("b")), (2, 2));
    assert_balanced(stats::<Asynchronous>(), 1, 2);

    let handler = AsyncHandler { lines: Pool::new() };
    assert_eq!(block_on(assert_send(handler.line())), (12, 2));
    assert_balanced(handler.lines.stats(), 1, 1);
}

#[test]
fn async_fn_returns_the_object_when_dropped_mid_way() {
    let handler = AsyncHandler { lines: Pool::new() };
    {
        let mut future = pin!(handler.line());
        let mut cx = Context::from_waker(Waker::noop());
        assert!(future.as_mut().poll(&mut cx).is_pending());
        assert_eq!(handler.lines.stats().out, 1);
    }
    assert_balanced(handler.lines.stats(), 1, 1);
}

#[test]
fn panic_inside_catch_unwind_leaves_the_pool_usable() {
    let pool: Pool<Vec<u8>> = Pool::new();
    #[pooled]
    fn fail(pool: &Pool<Vec<u8>>, #[pooled(pool = pool)] buf: &mut Vec<u8>) {
        buf.push(1);
        panic!("fail");
    }
    #[pooled]
    fn succeed(pool: &Pool<Vec<u8>>, #[pooled(pool = pool)] buf: &mut Vec<u8>) -> usize {
        buf.push(1);
        buf.len()
    }
    assert!(panic::catch_unwind(AssertUnwindSafe(|| fail(&pool))).is_err());
    assert_eq!(succeed(&pool), 1);
    let stats = pool.stats();
    assert_eq!(
        (stats.made, stats.dropped_panicking, stats.returned),
        (2, 1, 1)
    );
}

/// The expansion names everything by absolute path: local modules named `core` and
/// `std` must not capture it.
mod absolute_paths {
    #![allow(dead_code)]

    mod core {}
    mod std {}

    use poolable::{Pool, pooled};

    #[derive(Default)]
    pub(super) struct Local(Vec<u8>);

    impl poolable::Poolable for Local {
        fn reset(&mut self) {
            self.0.clear();
        }
    }

    #[pooled]
    pub(super) fn default_pool(#[pooled] local: &mut Local) -> usize {
        local.0.push(1);
        local.0.len()
    }

    #[pooled]
    pub(super) fn named_pool(
        pool: &Pool<Local>,
        #[pooled(pool = pool)] local: &mut Local,
    ) -> usize {
        local.0.push(1);
        local.0.len()
    }

    #[pooled]
    pub(super) async fn in_async(#[pooled] local: &mut Local) -> usize {
        local.0.push(1);
        local.0.len()
    }
}

/// A crate that re-exports `poolable` names it with `crate = PATH`.
mod reexport {
    pub(crate) use ::poolable as runtime;
}

static REEXPORT_LINES: LazyLock<Pool<String>> = LazyLock::new(Pool::new);

#[pooled(crate = crate::reexport::runtime)]
fn through_reexport(
    #[pooled] scratch: &mut Reexport,
    #[pooled(pool = REEXPORT_LINES)] line: &mut String,
) -> usize {
    scratch.log.push("reexport");
    line.push('x');
    scratch.log.len() + line.len()
}

#[test]
fn crate_path_for_reexports() {
    assert_eq!(through_reexport(), 2);
    assert_balanced(stats::<Reexport>(), 1, 1);
    assert_balanced(REEXPORT_LINES.stats(), 1, 1);
}

#[test]
fn expansion_uses_absolute_paths() {
    assert_eq!(absolute_paths::default_pool(), 1);
    let pool = Pool::new();
    assert_eq!(absolute_paths::named_pool(&pool), 1);
    assert_eq!(block_on(absolute_paths::in_async()).0, 1);
    assert_balanced(stats::<absolute_paths::Local>(), 1, 2);
}

/// A one-expression body is nested in the expansion's block; the braces must not be
/// reported as unnecessary (`unused_braces`), since the user wrote them as a fn body.
mod one_expression_body {
    #![deny(unused_braces)]

    use poolable::pooled;

    #[pooled]
    pub(super) fn size(#[pooled] buf: &mut Vec<u8>) -> usize {
        buf.len()
    }

    #[test]
    fn compiles_without_warnings() {
        assert_eq!(size(), 0);
    }
}

/// `pool = EXPR` is evaluated once, at entry, and kept for the whole call: a temporary
/// `Arc` lives as long as the object borrowed from it, and, owning its pool, leaves
/// `self` free for a body that needs `&mut self` (issue 12: E0716, and the conflict of
/// `pool = self.field` with `&mut self`).
mod pool_expression_kept_for_the_call {
    use std::sync::Arc;

    use poolable::{Pool, pooled};

    struct Parser {
        buffers: Arc<Pool<Vec<u8>>>,
        parsed: usize,
    }

    impl Parser {
        #[pooled]
        fn parse(
            &mut self,
            raw: &[u8],
            #[pooled(pool = Arc::clone(&self.buffers))] buf: &mut Vec<u8>,
        ) -> usize {
            buf.extend_from_slice(raw);
            self.parsed += 1; // `&mut self` is free: the pool is the temporary's
            buf.len()
        }

        /// A place keeps `self.buffers` borrowed for the call, and that field only: the
        /// others can still be assigned (a `&mut self` method call could not be made).
        #[pooled]
        fn parse_in_place(
            &mut self,
            raw: &[u8],
            #[pooled(pool = self.buffers)] buf: &mut Vec<u8>,
        ) -> usize {
            buf.extend_from_slice(raw);
            self.parsed += 1;
            buf.len()
        }

        #[pooled]
        fn temporary_in_a_shared_method(
            &self,
            #[pooled(pool = self.buffers.clone())] buf: &mut Vec<u8>,
        ) -> usize {
            buf.push(1);
            Arc::strong_count(&self.buffers)
        }
    }

    #[test]
    fn a_temporary_arc_lives_for_the_call() {
        let mut parser = Parser {
            buffers: Arc::new(Pool::new()),
            parsed: 0,
        };
        assert_eq!(parser.parse(b"abc"), 3);
        assert_eq!(parser.parse_in_place(b"de"), 2);
        assert_eq!(parser.parsed, 2);
        // The clone is alive while the body runs, and gone after.
        assert_eq!(parser.temporary_in_a_shared_method(), 2);
        assert_eq!(Arc::strong_count(&parser.buffers), 1);
        let stats = parser.buffers.stats();
        assert_eq!((stats.made, stats.returned), (1, 3));
    }
}

/// A pooled type must not borrow, but a signature in it (`Fn(&str)`) borrows nothing:
/// it is accepted.
mod signatures_in_the_pooled_type {
    use poolable::pooled;

    type Handlers = Vec<Box<dyn Fn(&str) -> usize + Send>>;

    #[pooled]
    fn run(input: &str, #[pooled] handlers: &mut Handlers) -> usize {
        handlers.push(Box::new(str::len));
        handlers.iter().map(|handler| handler(input)).sum()
    }

    #[test]
    fn fn_traits_with_references_are_static() {
        assert_eq!(run("four"), 4);
        assert_eq!(run("four"), 4, "the vector was cleared on return");
    }
}
