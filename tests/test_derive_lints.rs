//! The code `#[derive(Poolable)]` writes must not trip lints in the user's crate: each
//! test denies one group and derives inside it. `cargo clippy --all-targets` checks the
//! clippy groups.

mod support;

use support::reset;

use poolable::Poolable;

#[test]
fn unused() {
    #![deny(unused, unused_qualifications, unused_results, unused_lifetimes)]

    #[derive(Poolable)]
    struct Named<'a, T> {
        items: Vec<T>,
        #[pool(skip)]
        kept: &'a str,
        #[pool(reset = Vec::new(), shrink_to = 0)]
        spare: Vec<u8>,
    }

    #[derive(Poolable)]
    enum Either {
        #[pool(default)]
        Left(Vec<u8>),
        Right,
    }

    #[derive(Poolable)]
    enum Only {
        #[pool(default)]
        One { text: String },
    }

    let named = reset(Named {
        items: vec![1],
        kept: "k",
        spare: vec![2],
    });
    assert!(named.items.is_empty() && named.kept == "k" && named.spare.capacity() == 0);
    assert!(matches!(reset(Either::Right), Either::Left(v) if v.is_empty()));
    let Only::One { text } = reset(Only::One { text: "t".into() });
    assert!(text.is_empty());
}

#[test]
fn style() {
    #![deny(nonstandard_style, rust_2018_idioms, unsafe_code)]

    #[derive(Poolable, Default)]
    #[pool(capacity = 8)]
    struct Tuple(Vec<u8>, #[pool(reset_with = Vec::clear)] Vec<u8>);

    #[derive(Poolable)]
    struct Unit;

    assert!(reset(Tuple(vec![1], vec![2])).1.is_empty());
    let Unit = reset(Unit);
    assert_eq!(poolable::global::<Tuple>().capacity(), 8);
}

#[test]
fn clippy() {
    #![deny(clippy::all, clippy::pedantic, clippy::nursery, clippy::cargo)]

    #[derive(Poolable)]
    #[pool(new = Self { buffer: Vec::with_capacity(64), id: 0 })]
    struct Conn {
        buffer: Vec<u8>,
        id: u64,
    }

    #[derive(Poolable)]
    enum State {
        #[pool(default)]
        Idle,
        Busy,
    }

    let conn = reset(Conn {
        buffer: vec![1],
        id: 2,
    });
    assert!(conn.buffer.is_empty() && conn.id == 0);
    assert!(matches!(reset(State::Busy), State::Idle));
}

#[test]
fn deprecated() {
    #![deny(deprecated)]

    #[deprecated = "use `New`"]
    #[derive(Poolable)]
    struct Old {
        items: Vec<u8>,
    }

    #[allow(deprecated)]
    let old = reset(Old { items: vec![1] });
    #[allow(deprecated)]
    let Old { items } = old;
    assert!(items.is_empty());
}
