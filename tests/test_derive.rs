//! `#[derive(Poolable)]`: every shape (named, tuple and unit structs, enums, generics,
//! nesting) with every attribute, checked on the values a reset leaves.

mod support;

use support::reset;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::Arc;

use poolable::Poolable;

fn assert_poolable<T: Poolable>() {}

#[derive(Debug, PartialEq, Eq)]
struct Config {
    name: &'static str,
}

#[derive(Poolable)]
struct Request {
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
    #[pool(shrink_to = 16)]
    scratch: Vec<u8>,
    attempts: u32,
    #[pool(reset = 1)]
    generation: u64,
    #[pool(skip)]
    config: Arc<Config>,
}

#[test]
fn named_struct_resets_every_field_and_keeps_capacity() {
    let config = Arc::new(Config { name: "kept" });
    let request = Request {
        path: "/secret".repeat(10),
        headers: (0..20).map(|i| (i.to_string(), "v".into())).collect(),
        body: vec![7; 1000],
        scratch: vec![1; 1000],
        attempts: 3,
        generation: 9,
        config: Arc::clone(&config),
    };
    let capacities = (
        request.path.capacity(),
        request.headers.capacity(),
        request.body.capacity(),
    );

    let request = reset(request);
    assert!(request.path.is_empty() && request.headers.is_empty() && request.body.is_empty());
    assert_eq!(
        (
            request.path.capacity(),
            request.headers.capacity(),
            request.body.capacity()
        ),
        capacities,
    );
    assert!(request.scratch.is_empty());
    assert!(
        request.scratch.capacity() <= 16,
        "{}",
        request.scratch.capacity()
    );
    assert_eq!(request.attempts, 0);
    assert_eq!(request.generation, 1);
    assert!(
        Arc::ptr_eq(&request.config, &config),
        "a skipped field is kept as is"
    );
}

#[derive(Poolable, Debug, PartialEq)]
struct Pair(Vec<u8>, #[pool(reset = 'x')] char, #[pool(skip)] u8);

#[derive(Poolable, Debug, PartialEq)]
struct Marker;

#[derive(Poolable, Debug, PartialEq, Default)]
struct Empty {}

#[test]
fn tuple_and_unit_structs() {
    let pair = reset(Pair(vec![1, 2, 3], 'a', 5));
    assert_eq!(pair, Pair(Vec::new(), 'x', 5));
    assert!(pair.0.capacity() >= 3);
    assert_eq!(reset(Marker), Marker);
    assert_eq!(reset(Empty {}), Empty {});
}

#[derive(Poolable, Debug, PartialEq)]
enum Connection {
    #[pool(default)]
    Idle {
        buffer: Vec<u8>,
        #[pool(reset = 3)]
        retries: u8,
        #[pool(skip)]
        label: String,
    },
    Open(Rc<str>),
    Closed,
}

#[test]
fn enum_in_default_variant_is_reset_in_place() {
    let idle = Connection::Idle {
        buffer: Vec::with_capacity(256),
        retries: 0,
        label: "kept".into(),
    };
    let Connection::Idle {
        buffer,
        retries,
        label,
    } = reset(idle)
    else {
        panic!("left the default variant");
    };
    assert!(
        buffer.is_empty() && buffer.capacity() >= 256,
        "allocation kept"
    );
    assert_eq!(retries, 3);
    assert_eq!(label, "kept");
}

#[test]
fn enum_in_other_variant_becomes_a_fresh_default_variant() {
    let fresh = Connection::Idle {
        buffer: Vec::new(),
        retries: 3,           // `reset = 3` also makes the fresh value
        label: String::new(), // skipped: `Default::default()`
    };
    assert_eq!(reset(Connection::Closed), fresh);
    assert_eq!(reset(Connection::Open(Rc::from("not poolable"))), fresh);
}

#[derive(Poolable, Debug, PartialEq)]
enum Token {
    Word(#[pool(skip)] String), // accepted, and changes nothing: `Word` is replaced whole
    #[pool(default)]
    Blank,
}

#[derive(Poolable, Debug, PartialEq)]
enum Slot {
    #[pool(default)]
    Free(Vec<u8>, #[pool(reset_with = fill_with_seven)] u8),
}

fn fill_with_seven(value: &mut u8) {
    *value = 7;
}

#[test]
fn enum_shapes() {
    assert_eq!(reset(Token::Word("w".into())), Token::Blank);
    assert_eq!(reset(Token::Blank), Token::Blank);
    assert_eq!(reset(Slot::Free(vec![1], 0)), Slot::Free(Vec::new(), 7));
}

#[derive(Poolable)]
struct Wrapper<T> {
    items: Vec<T>,
    #[pool(skip)]
    kept: T,
}

#[derive(Poolable)]
struct Inner<T> {
    inner: T,
    #[pool(reset = None)]
    last: Option<T>,
}

#[derive(Poolable)]
struct Fixed<const N: usize> {
    bytes: [u8; N],
}

#[test]
fn generic_types_are_poolable_when_their_reset_fields_are() {
    // `Rc` is not `Poolable`, but a `Vec<Rc<_>>` is, and a skipped field needs nothing.
    assert_poolable::<Wrapper<Rc<u8>>>();
    let wrapper = reset(Wrapper {
        items: vec![Rc::new(1)],
        kept: Rc::new(2),
    });
    assert!(wrapper.items.is_empty());
    assert_eq!(*wrapper.kept, 2);

    // `Inner<T>` needs `T: Poolable` for `inner`, and nothing for `last` (assigned).
    assert_poolable::<Inner<Vec<u8>>>();
    let inner = reset(Inner {
        inner: vec![1u8],
        last: Some(vec![2]),
    });
    assert!(inner.inner.is_empty() && inner.last.is_none());

    assert_eq!(reset(Fixed { bytes: [9; 4] }).bytes, [0; 4]);
}

#[test]
fn only_types_without_type_parameters_own_a_pool_slot() {
    assert!(Request::__default_pool_slot().is_some());
    assert!(Connection::__default_pool_slot().is_some());
    assert!(Wrapper::<u8>::__default_pool_slot().is_none());
    assert!(Fixed::<2>::__default_pool_slot().is_none());
    assert!(!std::ptr::eq(
        Request::__default_pool_slot().unwrap(),
        Connection::__default_pool_slot().unwrap(),
    ));
}

#[derive(Poolable)]
struct Borrowing<'a> {
    #[pool(skip)]
    source: &'a str,
    tokens: Vec<&'a str>,
}

#[test]
fn lifetimes_are_kept() {
    let text = String::from("a b c");
    let borrowing = reset(Borrowing {
        source: &text,
        tokens: text.split(' ').collect(),
    });
    assert!(borrowing.tokens.is_empty());
    assert_eq!(borrowing.source, "a b c");
    assert!(Borrowing::__default_pool_slot().is_some());
}

#[derive(Poolable)]
#[pool(bound = "T: Poolable + Clone")]
struct Bounded<T>
where
    T: std::fmt::Debug,
{
    items: Vec<T>,
}

#[test]
fn bound_replaces_the_inferred_bounds() {
    fn needs_clone<T: Poolable + Clone + std::fmt::Debug>() {
        assert_poolable::<Bounded<T>>();
    }
    needs_clone::<u8>();
    assert!(reset(Bounded { items: vec![1u8] }).items.is_empty());
}

#[derive(Poolable)]
struct Outer {
    inner: Pair,
    list: Vec<Pair>,
    boxed: Box<Request>,
    map: BTreeMap<u8, Pair>,
    queue: VecDeque<Marker>,
    phantom: PhantomData<Rc<u8>>,
}

#[test]
fn derived_types_nest() {
    let outer = reset(Outer {
        inner: Pair(vec![1], 'a', 2),
        list: vec![Pair(vec![], 'b', 3)],
        boxed: Box::new(Request {
            path: "p".into(),
            headers: HashMap::new(),
            body: vec![1],
            scratch: Vec::new(),
            attempts: 1,
            generation: 2,
            config: Arc::new(Config { name: "c" }),
        }),
        map: BTreeMap::from([(1, Pair(vec![], 'c', 4))]),
        queue: VecDeque::from([Marker]),
        phantom: PhantomData,
    });
    assert_eq!(outer.inner, Pair(Vec::new(), 'x', 2));
    assert!(outer.list.is_empty() && outer.map.is_empty() && outer.queue.is_empty());
    assert!(outer.boxed.path.is_empty() && outer.boxed.generation == 1);
}

mod resetters {
    // A slice: `reset_with` calls `PATH(&mut field)`, so deref coercion applies.
    pub(crate) fn zero_all(values: &mut [u8]) {
        values.iter_mut().for_each(|v| *v = 0);
    }
}

#[derive(Poolable)]
struct Custom {
    #[pool(reset_with = resetters::zero_all)]
    zeroed: Vec<u8>,
    #[pool(reset_with = "resetters::zero_all")]
    quoted: Vec<u8>,
    #[pool(reset_with = Vec::clear)]
    cleared: Vec<u8>,
    #[pool(reset = String::from("fresh"), shrink_to = 8)]
    text: String,
    #[pool(shrink_to = 4)]
    history: VecDeque<u32>,
}

#[test]
fn reset_with_reset_and_shrink_to() {
    let custom = reset(Custom {
        zeroed: vec![1, 2],
        quoted: vec![3],
        cleared: vec![4],
        text: "x".repeat(100),
        history: (0..100).collect(),
    });
    assert_eq!(custom.zeroed, [0, 0]);
    assert_eq!(custom.quoted, [0]);
    assert!(custom.cleared.is_empty());
    assert_eq!(custom.text, "fresh");
    assert!(custom.text.capacity() <= 8, "{}", custom.text.capacity());
    assert!(custom.history.is_empty());
    assert!(
        custom.history.capacity() <= 4,
        "{}",
        custom.history.capacity()
    );
}

/// Not `Default`: the default pool makes it with `new`.
#[derive(Poolable)]
#[pool(capacity = 7, new = Framed::with_capacity(4096))]
struct Framed {
    frame: Vec<u8>,
    #[pool(skip)]
    made_by_new: bool,
}

impl Framed {
    fn with_capacity(capacity: usize) -> Self {
        Framed {
            frame: Vec::with_capacity(capacity),
            made_by_new: true,
        }
    }
}

#[derive(Poolable, Default)]
#[pool(capacity = 2 + 3)]
struct Counted {
    count: u64,
}

#[test]
fn new_and_capacity_configure_the_default_pool() {
    let pool = poolable::global::<Framed>();
    assert_eq!(pool.capacity(), 7);
    let framed = pool.get();
    assert!(framed.made_by_new && framed.frame.capacity() >= 4096);
    assert_eq!(Framed::default_pool_capacity(), 7);

    assert_eq!(poolable::global::<Counted>().capacity(), 5);
    assert_eq!(
        poolable::global::<Empty>().capacity(),
        poolable::DEFAULT_CAPACITY
    );
}

#[test]
fn the_default_pool_returns_reset_objects() {
    let pool = poolable::global::<Counted>();
    let mut counted = pool.get();
    counted.count = 41;
    drop(counted);
    assert_eq!(pool.get().count, 0);
}

mod reexport {
    pub(crate) use ::poolable;
}

/// As a crate that re-exports `poolable` would write it: the derive finds the runtime
/// through the given path, not through `::poolable`.
mod through_reexport {
    use super::reexport::poolable::Poolable;

    #[derive(Poolable, Default)]
    #[pool(crate = super::reexport::poolable, capacity = 3)]
    pub(crate) struct ByPath {
        pub(crate) items: Vec<u8>,
    }

    #[derive(Poolable)]
    #[pool(crate = "super::reexport::poolable")]
    pub(crate) struct ByString(pub(crate) String);
}

#[test]
fn crate_path_through_a_reexport() {
    let by_path = reset(through_reexport::ByPath { items: vec![1] });
    assert!(by_path.items.is_empty());
    assert_eq!(poolable::global::<through_reexport::ByPath>().capacity(), 3);
    assert!(reset(through_reexport::ByString("s".into())).0.is_empty());
}

/// Generated code must use absolute paths: these modules shadow `core` and `std` for
/// relative ones, and the derives below must still compile.
#[allow(dead_code)]
mod shadowed_core_and_std {
    mod core {}
    mod std {}
    struct Option;
    struct Default;
    #[allow(non_camel_case_types)]
    struct usize;

    #[derive(poolable::Poolable)]
    #[pool(capacity = 4, new = Named { text: ::std::string::String::new(), skipped: 0 })]
    struct Named {
        text: ::std::string::String,
        #[pool(skip)]
        skipped: u8,
    }

    #[derive(poolable::Poolable)]
    struct Tuple(
        ::std::vec::Vec<u8>,
        #[pool(shrink_to = 2)] ::std::vec::Vec<u8>,
    );

    #[derive(poolable::Poolable)]
    struct Unit;

    #[derive(poolable::Poolable)]
    struct Generic<T> {
        items: ::std::vec::Vec<T>,
        inner: T,
    }

    #[derive(poolable::Poolable)]
    enum Either<T> {
        #[pool(default)]
        Left(::std::vec::Vec<T>),
        Right(T),
    }
}

/// Field names that collide with constants in scope: the generated bindings do not take
/// field names (a binding cannot shadow a constant), and user expressions see the user's
/// items, not generated locals.
#[allow(non_upper_case_globals, dead_code)]
mod hygiene {
    use poolable::Poolable;

    const items: u8 = 0;
    const value: u32 = 5;

    #[derive(Poolable)]
    pub(crate) struct Collides {
        pub(crate) items: Vec<u8>,
        #[pool(reset = value)]
        pub(crate) value: u32,
        pub(crate) r#type: String,
    }
}

#[test]
fn generated_names_do_not_collide_with_user_names() {
    let collides = reset(hygiene::Collides {
        items: vec![1],
        value: 9,
        r#type: "t".into(),
    });
    assert!(collides.items.is_empty() && collides.r#type.is_empty());
    assert_eq!(collides.value, 5);
}

/// `#[pool(keep_if = PATH)]` decides what the type's default pool keeps: an object the
/// function refuses is dropped on return.
#[derive(Poolable, Default)]
#[pool(keep_if = Upload::worth_keeping)]
struct Upload {
    bytes: Vec<u8>,
}

impl Upload {
    fn worth_keeping(&self) -> bool {
        self.bytes.capacity() <= 1024
    }
}

#[test]
fn keep_if_is_the_default_pools_test() {
    let keep_if = Upload::default_pool_keep_if().expect("set by the derive");
    assert!(keep_if(&Upload::default()));
    assert!(!keep_if(&Upload {
        bytes: Vec::with_capacity(4096)
    }));
}

#[test]
fn keep_if_drops_refused_objects_from_the_default_pool() {
    let pool = poolable::global::<Upload>();
    let mut small = pool.get();
    small.bytes.extend_from_slice(b"fits");
    drop(small);
    assert_eq!(pool.stats().kept, 1, "a small object is kept");

    let mut huge = pool.get();
    huge.bytes.resize(1 << 20, 0);
    drop(huge);
    let stats = pool.stats();
    assert_eq!(stats.kept, 0, "the huge object was dropped: {stats:?}");
}

/// std's `#[default]` names the variant reset turns the value into, as
/// `#[pool(default)]` would (issue 12).
#[derive(Poolable, Default, Debug)]
enum Body {
    Bytes(Vec<u8>),
    #[default]
    Empty,
}

#[test]
fn std_default_variant_is_the_reset_state() {
    let mut body = Body::Bytes(vec![1, 2, 3]);
    assert!(matches!(&body, Body::Bytes(bytes) if bytes.len() == 3));
    body.reset();
    assert!(matches!(body, Body::Empty), "{body:?}");
}

/// `#[pool(shrink_to = N)]` calls any `shrink_to(usize)` the field's type has, not
/// only std's: the reuse collections have their own.
#[derive(Default)]
struct Spares {
    kept: Vec<String>,
    shrunk_to: Option<usize>,
}

impl Spares {
    fn shrink_to(&mut self, limit: usize) {
        self.kept.truncate(limit);
        self.shrunk_to = Some(limit);
    }
}

impl Poolable for Spares {
    fn reset(&mut self) {
        self.kept.iter_mut().for_each(String::clear);
    }
}

#[derive(Poolable, Default)]
struct WithSpares {
    #[pool(shrink_to = 2)]
    spares: Spares,
}

#[test]
fn shrink_to_calls_the_fields_own_method() {
    let mut value = WithSpares::default();
    value.spares.kept = vec!["a".into(), "b".into(), "c".into()];
    value.reset();
    assert_eq!(value.spares.kept, ["", ""]);
    assert_eq!(value.spares.shrunk_to, Some(2));
}

/// In a type without generics the derive resets an `Option` field by checking what it
/// holds and setting it to `None` (so that an `Option<File>` error names `File`); each
/// spelling of `Option` it recognises must still end as `None`.
#[test]
fn option_fields_reset_to_none_however_spelled() {
    #[derive(Poolable, Default)]
    struct Spellings {
        bare: Option<String>,
        std_path: std::option::Option<Vec<u8>>,
        core_path: ::core::option::Option<u32>,
    }

    let mut value = Spellings {
        bare: Some("kept?".into()),
        std_path: Some(vec![1]),
        core_path: Some(7),
    };
    value.reset();
    assert_eq!(
        (value.bare, value.std_path, value.core_path),
        (None, None, None)
    );
}
