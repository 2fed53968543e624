//! Implementation detail of [`poolable`](https://docs.rs/poolable): `#[derive(Poolable)]`
//! and `#[pooled]`. Depend on `poolable`, which re-exports both with their documentation.

use proc_macro::TokenStream;

mod crate_path;
mod ctxt;
mod derive;
mod pooled;
mod symbol;
mod value;

/// Derives `Poolable`: a `reset` that brings every field back to its fresh state, keeping
/// the allocations the value owns, and that does not compile while a field has no reset.
///
/// ```
/// use poolable::Poolable;
/// use std::collections::HashMap;
/// use std::sync::Arc;
///
/// struct Config {
///     name: String,
/// }
///
/// #[derive(Poolable, Default)]
/// #[pool(capacity = 256)]                // the default pool keeps up to 256 of them
/// struct Request {
///     path: String,                      // cleared, capacity kept
///     headers: HashMap<String, String>,  // cleared, capacity kept
///     #[pool(shrink_to = 64 * 1024)]     // cleared, then capacity cut to 64 KiB at most
///     body: Vec<u8>,
///     attempts: u32,                     // zero
///     #[pool(reset = 1)]                 // assigned this expression
///     generation: u64,
///     #[pool(skip)]                      // kept as is
///     config: Option<Arc<Config>>,
/// }
///
/// let mut request = Request::default();
/// request.path.push_str("/users/42");
/// request.body.extend_from_slice(&[7; 100_000]);
/// request.attempts = 3;
/// request.config = Some(Arc::new(Config { name: "prod".into() }));
///
/// request.reset();
/// assert!(request.path.is_empty() && request.path.capacity() >= 9);
/// assert!(request.body.is_empty() && request.body.capacity() <= 64 * 1024);
/// assert_eq!((request.attempts, request.generation), (0, 1));
/// assert_eq!(request.config.as_ref().unwrap().name, "prod");
/// assert_eq!(poolable::global::<Request>().capacity(), 256);
/// ```
///
/// The generated `reset` destructures the value naming every field (no `..`) and resets
/// each one with its type's `Poolable::reset`, unless a field attribute says otherwise.
/// A field added later is therefore reset too, or the derive says why it cannot be.
///
/// # Shapes
///
/// - **Structs** with named fields, tuple structs and unit structs.
/// - **Enums**, when one variant is marked `#[pool(default)]`: reset turns the value into
///   that variant. If the value already is that variant, its fields are reset in place, so
///   their allocations are kept. Otherwise the value is replaced by the default variant
///   made from nothing: each of its fields gets its `reset = EXPR` if it has one, else
///   `Default::default()`, so the types of the fields without `reset` (skipped ones
///   included) must be `Default`. Fields of the other variants are dropped, never reset,
///   so they need not be `Poolable`.
/// - **Unions** are refused: nothing tells which field holds the value.
///
/// ```
/// use poolable::Poolable;
/// use std::fs::File;
///
/// #[derive(Poolable)]
/// enum Connection {
///     #[pool(default)]
///     Idle {
///         buffer: Vec<u8>,
///         #[pool(reset = 3)]
///         retries: u8,
///     },
///     Open(File),  // dropped on reset: a `File` need not be `Poolable` here
///     Closed,
/// }
///
/// let mut idle = Connection::Idle { buffer: Vec::with_capacity(4096), retries: 0 };
/// idle.reset(); // already `Idle`: reset in place, buffer kept
/// let Connection::Idle { buffer, retries } = &idle else { unreachable!() };
/// assert!(buffer.is_empty() && buffer.capacity() >= 4096 && *retries == 3);
///
/// let mut closed = Connection::Closed;
/// closed.reset(); // replaced: `buffer` is `Default::default()`, `retries` is 3
/// let Connection::Idle { buffer, retries } = &closed else { unreachable!() };
/// assert!(buffer.is_empty() && *retries == 3);
/// ```
///
/// # Container attributes
///
/// On the struct or enum, next to `#[derive(Poolable)]`.
///
/// - `#[pool(capacity = EXPR)]`: how many objects the type's default pool
///   (`poolable::global::<T>()`) keeps; `EXPR` is a `usize` expression, a constant or
///   a call. Without it, `poolable::DEFAULT_CAPACITY`.
/// - `#[pool(new = EXPR)]`: how the default pool makes a new object, so the type need not
///   be `Default`. `EXPR` is evaluated each time one is made (`Self::with_capacity(64)`,
///   a struct literal). A type that is also `Default` cannot have `new`: the default pool
///   of a `Default` type already makes objects with `Default::default()`. Remove one of
///   the two. The derive says so itself when `#[derive(Default)]` is in a later
///   attribute than `#[derive(Poolable)]`; when `Default` is in the same list, or
///   implemented by hand, the derive cannot see it, and rustc reports "conflicting
///   implementations of trait `NewPooled`" at `new` (`NewPooled` is how the default pool
///   makes objects).
/// - `#[pool(keep_if = PATH)]` or `#[pool(keep_if = "PATH")]`: which objects the
///   type's default pool keeps. `PATH` names a function `fn(&Self) -> bool`, called on
///   each object given back, after its reset; an object it refuses is dropped instead of
///   kept (and counted in the pool's statistics). Use it to let go of objects that one
///   rare, huge use grew. It sets `Poolable::default_pool_keep_if`; a pool you build
///   yourself takes `Pool::builder().keep_if(...)` instead.
/// - `#[pool(crate = PATH)]` or `#[pool(crate = "PATH")]`: where the `poolable` crate
///   is, for crates that re-export it so their users need not depend on it
///   (`#[pool(crate = my_crate::poolable)]`). Without it, `::poolable`.
/// - `#[pool(bound = "PREDICATES")]`: the where-clause predicates of the generated impl,
///   replacing the inferred ones (see *Generic types*); `bound = ""` adds none. The
///   type's own where-clause is always kept.
///
/// ```
/// use poolable::Poolable;
///
/// #[derive(Poolable)]
/// #[pool(capacity = 8, new = Frame::with_capacity(1 << 16))]
/// struct Frame {
///     pixels: Vec<u8>,
/// }
///
/// impl Frame {
///     fn with_capacity(bytes: usize) -> Self {
///         Frame { pixels: Vec::with_capacity(bytes) }
///     }
/// }
///
/// let pool = poolable::global::<Frame>();
/// assert_eq!(pool.capacity(), 8);
/// assert!(pool.get().pixels.capacity() >= 1 << 16);
/// ```
///
/// ```
/// use poolable::Poolable;
///
/// #[derive(Poolable, Default)]
/// #[pool(keep_if = Upload::worth_keeping)]
/// struct Upload {
///     bytes: Vec<u8>,
/// }
///
/// impl Upload {
///     fn worth_keeping(&self) -> bool {
///         self.bytes.capacity() <= 1 << 20
///     }
/// }
///
/// let keep_if = Upload::default_pool_keep_if().expect("set by the derive");
/// let mut huge = Upload { bytes: vec![0; 8 << 20] };
/// huge.reset();
/// assert!(!keep_if(&huge)); // dropped on return, not kept
/// assert!(keep_if(&Upload::default()));
/// ```
///
/// # Variant attributes
///
/// - `#[pool(default)]`: on exactly one variant of an enum, the one reset turns the value
///   into (see *Shapes*). std's `#[default]`, which `#[derive(Default)]` already asks
///   for, counts as `#[pool(default)]`, so the fresh state is named once; the two on
///   different variants are an error.
///
/// ```
/// use poolable::Poolable;
///
/// #[derive(Poolable, Default)]
/// enum Body {
///     #[default] // also the variant reset turns the value into
///     Empty,
///     Bytes(Vec<u8>),
/// }
///
/// let mut body = Body::Bytes(vec![1, 2, 3]);
/// body.reset();
/// assert!(matches!(body, Body::Empty));
/// ```
///
/// # Field attributes
///
/// On a field of a struct, or of an enum's `#[pool(default)]` variant. The fields of
/// other variants are dropped, never reset, so `reset`, `reset_with` and `shrink_to`
/// there are errors (`skip` is accepted and changes nothing). At most one of `skip`,
/// `reset` and `reset_with` per field.
///
/// - `#[pool(skip)]`: the field is kept as is across reuse (a shared configuration, an
///   id that should survive). Its type need not be `Poolable`.
/// - `#[pool(reset = EXPR)]`: the field is assigned `EXPR` (`reset = 1`,
///   `reset = Vec::with_capacity(16)`, `reset = None`). Its type need not be `Poolable`.
/// - `#[pool(reset_with = PATH)]` or `#[pool(reset_with = "PATH")]`: the field is reset
///   by calling `PATH(&mut field)`, a function or method taking `&mut FieldType`
///   (`reset_with = Vec::clear`). Its type need not be `Poolable`.
/// - `#[pool(shrink_to = EXPR)]`: after the field's reset (whichever it is), its capacity
///   is cut to at most `EXPR` with its `shrink_to` method (`Vec`, `String`, `VecDeque`,
///   `HashMap` and the other std collections), so that one huge request does not leave a
///   huge buffer in the pool for good; on `ReuseVec` and `ReuseMap` it keeps at most
///   `EXPR` spares, with their `shrink_spares_to`. Cannot go with `skip`.
///
/// ```
/// use poolable::Poolable;
/// use std::rc::Rc;
///
/// fn keep_first(names: &mut Vec<String>) {
///     names.truncate(1);
/// }
///
/// #[derive(Poolable)]
/// struct Session {
///     #[pool(reset_with = keep_first)]
///     names: Vec<String>,
///     #[pool(reset = String::from("guest"))]
///     user: String,
///     #[pool(shrink_to = 64)]
///     log: String,
///     #[pool(skip)]
///     owner: Rc<str>, // not `Poolable`, and need not be
/// }
///
/// let mut session = Session {
///     names: vec!["first".into(), "second".into()],
///     user: "ada".into(),
///     log: "x".repeat(10_000),
///     owner: Rc::from("me"),
/// };
/// session.reset();
/// assert_eq!(session.names, ["first"]);
/// assert_eq!(session.user, "guest");
/// assert!(session.log.is_empty() && session.log.capacity() <= 64);
/// assert_eq!(&*session.owner, "me");
/// ```
///
/// # Generic types
///
/// The impl gets a where-clause on the types of the fields it resets through `Poolable`,
/// not on the type parameters: `Wrapper<T>` is `Poolable` exactly when the fields it
/// resets are. Skipped fields, and fields with `reset` or `reset_with`, add no bound. For
/// an enum, fields of the default variant that may be made with `Default::default()`
/// also get `FieldType: Default`. `#[pool(bound = "...")]` replaces all of these.
///
/// ```
/// use poolable::Poolable;
/// use std::rc::Rc;
///
/// #[derive(Poolable)]
/// struct Batch<T> {
///     items: Vec<T>,   // `Vec<T>: Poolable` holds for every `T`
///     #[pool(skip)]
///     template: T,     // no bound
/// }
///
/// // `Rc` is not `Poolable`, yet a batch of them is: clearing a `Vec<Rc<_>>` is fine.
/// let mut batch = Batch { items: vec![Rc::new(1)], template: Rc::new(0) };
/// batch.reset();
/// assert!(batch.items.is_empty());
/// ```
///
/// A type without type or const parameters also gets a static of its own for its
/// default pool, so finding that pool is one load rather than a lookup.
///
/// # Errors
///
/// A field whose type is not `Poolable` and that has none of `skip`, `reset`,
/// `reset_with` does not compile; the error is at the field's type, names it, and lists
/// those three ways out. `Option<T>`, `Box<T>`, tuples and arrays are `Poolable` when
/// what they hold is, so an `Option<File>` is refused as a `File` is. The error lists no
/// "other types that implement `Poolable`": the runtime's impls are marked
/// `#[diagnostic::do_not_recommend]`, which keeps that ten-line list out. References, raw pointers, `Rc`, `Arc`, files and sockets are
/// deliberately not `Poolable`:
///
/// ```compile_fail,E0277
/// use poolable::Poolable;
///
/// #[derive(Poolable)]
/// struct Request {
///     body: Vec<u8>,
///     log: std::fs::File, // error: `File` cannot be reset for reuse
/// }
/// ```
///
/// Misused attributes are errors at the attribute: an unknown key (the error names the
/// key meant when it is a slip, as "did you mean `capacity`?", else lists the valid ones
/// for that place), a key in the wrong place (`capacity` on a field, `skip`
/// on the type, `default` anywhere but a variant), a repeated key, `skip` with `reset`,
/// `reset_with` or `shrink_to`, `reset` with `reset_with`, a missing or wrong value
/// (`skip = 1`, `capacity` alone, `reset_with = 1`), an enum with no `#[pool(default)]`
/// variant or with two, `new` with a visible `#[derive(Default)]`. Every such mistake in the item is reported in one compile, and
/// the type still gets a placeholder `Poolable` impl so that its uses add no errors.
///
/// Generated names start with `__poolable_`; do not name constants that way.
#[proc_macro_derive(Poolable, attributes(pool))]
pub fn derive_poolable(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::expand(input).into()
}

/// Borrows the `#[pooled]` parameters of a function from their pools for the length of
/// each call, and gives them back on every way out.
///
/// `#[pooled]` goes twice: on the function, which it rewrites, and on each parameter to
/// borrow. On a parameter alone it does nothing but fail ("expected non-macro attribute,
/// found attribute macro `pooled`").
///
/// ```
/// use poolable::pooled;
///
/// #[pooled] // both are needed: this one rewrites `render`, the one on `line` marks it
/// fn render(name: &str, #[pooled] line: &mut String) -> usize {
///     line.push_str("hello, ");
///     line.push_str(name);
///     line.len()
/// }
///
/// // Callers do not pass `line`: it leaves the signature.
/// assert_eq!(render("pool"), 11);
/// // The second call is lent the same `String`, cleared, its capacity kept.
/// assert_eq!(render("again"), 12);
/// assert_eq!(poolable::global::<String>().stats().reused, 1);
/// ```
///
/// # The parameter
///
/// Each parameter marked `#[pooled]` is written `name: &mut T` (or `mut name: &mut T`).
/// It is removed from the signature, so callers, trait definitions and rustdoc see the
/// function without it. At the top of the body the function borrows a `T` from its pool
/// and binds `name` to it, as if it had been passed in:
///
/// ```text
/// let mut line = ::poolable::__private::Pool::get(::poolable::__private::default_pool::<String>());
/// let line: &mut String = &mut *line;
/// { /* the body as written */ }
/// ```
///
/// The object goes back to its pool, reset, however the function ends: at the end of
/// the body, on `return`, on `?`. If the body panics, the object is dropped instead of
/// returned (its state is suspect) and the pool stays usable. Each call borrows its own
/// object, so a recursive call is lent a different one.
///
/// Without `pool = ...`, the object comes from `T`'s process-wide default pool,
/// [`poolable::global::<T>()`](https://docs.rs/poolable/latest/poolable/fn.global.html),
/// which needs `T: Poolable + Send + 'static` and a way to make a new `T`: `Default`, or
/// `#[pool(new = EXPR)]` on its `#[derive(Poolable)]`. The call costs exactly what
/// `global::<T>().get()` costs; the expansion adds no allocation and no lock.
///
/// # `#[pooled(pool = EXPR)]`: a named pool
///
/// `EXPR` is any expression that dereferences to the `Pool<T>` to borrow from: a
/// `Pool<T>`, a `&Pool<T>`, an `Arc<Pool<T>>`, a `static` `LazyLock<Pool<T>>`. It is
/// evaluated once per call, at the top of the function, and kept until the call ends,
/// so it may use `self` and the other parameters, and it may be a temporary
/// (`Arc::clone(&self.buffers)`):
///
/// ```
/// use poolable::{Pool, pooled};
///
/// struct Handler {
///     buffers: Pool<Vec<u8>>,
/// }
///
/// impl Handler {
///     #[pooled]
///     fn handle(&self, raw: &[u8], #[pooled(pool = self.buffers)] buf: &mut Vec<u8>) -> usize {
///         buf.extend_from_slice(raw);
///         buf.len()
///     }
/// }
///
/// let handler = Handler { buffers: Pool::new() };
/// assert_eq!(handler.handle(b"abc"), 3);
/// assert_eq!(handler.buffers.stats().returned, 1);
/// ```
///
/// A place such as `self.buffers` stays borrowed for the whole call. In a method that
/// takes `&mut self`, the body may still assign the other fields (`self.parsed += 1`:
/// the borrows are disjoint), but it cannot call a `&mut self` method or use `self` as a
/// whole ("cannot borrow `*self` as mutable because it is also borrowed as immutable",
/// E0502):
///
/// ```compile_fail,E0502
/// # use poolable::{Pool, pooled};
/// struct Parser {
///     buffers: Pool<Vec<u8>>,
///     parsed: usize,
/// }
///
/// impl Parser {
///     #[pooled]
///     fn parse(&mut self, raw: &[u8], #[pooled(pool = self.buffers)] buf: &mut Vec<u8>) {
///         buf.extend_from_slice(raw);
///         self.parsed += 1; // compiles: another field
///         self.count(); // error[E0502]: `self.buffers` is borrowed for the call
///     }
///
///     fn count(&mut self) {
///         self.parsed += 1;
///     }
/// }
/// ```
///
/// The way out is `pool = Arc::clone(&self.field)`: keep the pool in an `Arc`, and the
/// call owns its own handle to it, leaving `self` free.
///
/// ```
/// use poolable::{Pool, pooled};
/// use std::sync::Arc;
///
/// struct Parser {
///     buffers: Arc<Pool<Vec<u8>>>,
///     parsed: usize,
/// }
///
/// impl Parser {
///     #[pooled]
///     fn parse(
///         &mut self,
///         raw: &[u8],
///         #[pooled(pool = Arc::clone(&self.buffers))] buf: &mut Vec<u8>,
///     ) -> usize {
///         buf.extend_from_slice(raw);
///         self.count(); // `self` is free: the call owns its clone of the `Arc`
///         buf.len()
///     }
///
///     fn count(&mut self) {
///         self.parsed += 1;
///     }
/// }
///
/// let mut parser = Parser { buffers: Arc::new(Pool::new()), parsed: 0 };
/// assert_eq!(parser.parse(b"abc"), 3);
/// assert_eq!(parser.parsed, 1);
/// ```
///
/// A named pool is also the way to pool a type that cannot have a default pool: one
/// that is not `Send` (an `Rc` field, even `#[pool(skip)]`), since default pools are
/// shared by every thread of the process.
///
/// A function may have several `#[pooled]` parameters, each with its own pool.
///
/// # Where it applies
///
/// Free functions and associated functions; methods with any receiver (`self`, `&self`,
/// `&mut self`, `self: Box<Self>`, ...); methods of a trait `impl` (the trait declares
/// the method without the pooled parameter); generic functions, `where` clauses,
/// `impl Trait` parameters; `unsafe fn`; any visibility. Doc comments and other
/// attributes stay on the function. A `#[cfg(...)]` on a pooled parameter applies to its
/// borrow; lint attributes on it apply to its binding.
///
/// In an `async fn`, the object is borrowed when the future is first polled and held
/// across `.await`s until the future completes or is dropped. The future is `Send` when
/// `T` is `Send`.
///
/// ```
/// # use poolable::pooled;
/// #[pooled]
/// async fn fetch(url: &str, #[pooled] body: &mut Vec<u8>) -> usize {
///     body.extend_from_slice(url.as_bytes()); // an `.await` could go here
///     body.len()
/// }
///
/// fn assert_send<F: Send>(_: &F) {}
/// let future = fetch("https://example.com");
/// assert_send(&future);
/// ```
///
/// # `#[pooled(crate = PATH)]`: where `poolable` is
///
/// The expansion names the runtime as `::poolable`. A crate that re-exports `poolable`
/// under another path, so that its users do not depend on `poolable` themselves, passes
/// that path on the function: `#[pooled(crate = my_crate::pool)]`, or as a string,
/// `#[pooled(crate = "my_crate::pool")]`. `#[derive(Poolable)]` takes the same
/// `#[pool(crate = PATH)]`.
///
/// # The object cannot escape
///
/// The object belongs to the call. A reference into it that would outlive the call,
/// returned or stored, is refused by the borrow checker:
///
/// ```compile_fail,E0515
/// # use poolable::pooled;
/// #[pooled]
/// fn keep<'a>(raw: &'a [u8], #[pooled] buf: &mut Vec<u8>) -> &'a [u8] {
///     buf.extend_from_slice(raw);
///     &buf[..] // error: cannot return value referencing local variable `buf`
/// }
/// ```
///
/// When the pooled parameter was the only reference among the parameters, a returned
/// reference has nothing left to borrow from, and rustc says so first: "missing lifetime
/// specifier". To keep the data, copy it out (`buf.to_vec()`), or take the object out of
/// its pool for good with `Pool::get` and `Pooled::detach` instead of `#[pooled]`.
///
/// # Errors
///
/// Each refused form is reported at the token at fault, and no further errors follow
/// from it. When only parameters are at fault, the function is still emitted as its
/// callers expect it, without the `#[pooled]` parameters (calls leaving them out raise
/// no "this function takes 2 arguments"), its body checked against stand-ins of the
/// types as written; when the function itself is at fault, it is emitted as written,
/// less the `#[pooled]` parameter attributes:
///
/// - the attribute on anything but a function; a function with no `#[pooled]`
///   parameter; a `const fn`; a function without a body (a trait method's declaration:
///   put `#[pooled]` on the method in the `impl`);
/// - a pattern (`(a, b)`, `_`, `ref name`) instead of a name; `self`;
/// - a type other than `&mut T` (`T`, `&T`, `Box<T>`), a named lifetime (`&'a mut T`),
///   or `&mut impl Trait` (the type chooses the pool);
/// - a `T` that borrows (`Vec<&str>`, `Parser<'a>`): the object outlives the call, in
///   its pool, so `T` must be `'static`; hold owned data or ranges instead;
/// - a `T` that is not `Send` with no `pool = ...`: default pools are process-wide;
/// - an unknown or repeated argument, or one in the wrong place (`pool` goes on the
///   parameter, `crate` on the function);
/// - a `T` with no default pool and no `pool = ...`: rustc's error says that `T` has no
///   default pool, at `T`, and how to give it one;
/// - a `pool = EXPR` that is not a `Pool<T>` of the parameter's `T`: "expected
///   `&Pool<T>`" at `EXPR`.
///
/// `#[pooled]` on a parameter of a function that lacks `#[pooled]` itself is reported by
/// rustc as "expected non-macro attribute, found attribute macro `pooled`": add
/// `#[pooled]` to the function.
#[proc_macro_attribute]
pub fn pooled(args: TokenStream, item: TokenStream) -> TokenStream {
    pooled::expand(args.into(), item.into()).into()
}
