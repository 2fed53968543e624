//! Property: whatever a derived value holds, after `reset()` it looks exactly like a
//! fresh one (skipped fields aside) and its collections keep their capacity.
//!
//! "Looks like" compares `Debug` output, which shows every field of every std type
//! here, including those without `PartialEq` (atomics, `Mutex`, `BinaryHeap`).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::marker::PhantomData;
use std::num::Wrapping;
use std::sync::atomic::AtomicU32;
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use poolable::Poolable;
use proptest::collection::{btree_map, btree_set, hash_map, hash_set, vec};
use proptest::prelude::*;

#[derive(Poolable, Debug, Default)]
struct Scalars {
    byte: u8,
    signed: i64,
    wide: u128,
    size: usize,
    float: f64,
    flag: bool,
    letter: char,
    duration: Duration,
    wrapping: Wrapping<u16>,
    atomic: AtomicU32,
    unit: (),
    phantom: PhantomData<String>,
}

#[derive(Poolable, Debug, Default)]
struct Collections {
    text: String,
    bytes: Vec<u8>,
    deque: VecDeque<u16>,
    map: HashMap<u8, String>,
    set: HashSet<i32>,
    tree: BTreeMap<String, u8>,
    tree_set: BTreeSet<u8>,
    heap: BinaryHeap<u8>,
    list: LinkedList<u8>,
}

#[derive(Poolable, Debug, Default)]
struct Wrappers(
    Option<String>,
    Box<(Vec<u8>, u8)>,
    [u32; 4],
    (u8, String, bool),
    Cell<u32>,
    RefCell<Vec<u8>>,
    Mutex<String>,
    RwLock<Vec<u8>>,
);

#[derive(Poolable, Debug, PartialEq)]
enum Message {
    #[pool(default)]
    Empty {
        body: Vec<u8>,
        #[pool(reset = 1)]
        version: u8,
    },
    Text(String),
    Pair(u8, u16),
}

impl Default for Message {
    fn default() -> Self {
        Message::Empty {
            body: Vec::new(),
            version: 1,
        }
    }
}

#[derive(Poolable, Debug, Default)]
struct Everything {
    scalars: Scalars,
    collections: Collections,
    wrappers: Wrappers,
    message: Message,
    #[pool(skip)]
    kept: String,
}

fn scalars() -> impl Strategy<Value = Scalars> {
    (
        any::<u8>(),
        any::<i64>(),
        any::<u128>(),
        any::<usize>(),
        any::<f64>(),
        any::<bool>(),
        any::<char>(),
        any::<Duration>(),
        any::<u16>(),
        any::<u32>(),
    )
        .prop_map(
            |(byte, signed, wide, size, float, flag, letter, duration, wrapping, atomic)| Scalars {
                byte,
                signed,
                wide,
                size,
                float,
                flag,
                letter,
                duration,
                wrapping: Wrapping(wrapping),
                atomic: AtomicU32::new(atomic),
                unit: (),
                phantom: PhantomData,
            },
        )
}

fn collections() -> impl Strategy<Value = Collections> {
    (
        ".{0,40}",
        vec(any::<u8>(), 0..64),
        vec(any::<u16>(), 0..16),
        hash_map(any::<u8>(), ".{0,8}", 0..16),
        hash_set(any::<i32>(), 0..16),
        btree_map(".{0,8}", any::<u8>(), 0..8),
        btree_set(any::<u8>(), 0..8),
        vec(any::<u8>(), 0..16),
        vec(any::<u8>(), 0..8),
    )
        .prop_map(
            |(text, bytes, deque, map, set, tree, tree_set, heap, list)| Collections {
                text,
                bytes,
                deque: deque.into(),
                map,
                set,
                tree,
                tree_set,
                heap: heap.into(),
                list: list.into_iter().collect(),
            },
        )
}

fn wrappers() -> impl Strategy<Value = Wrappers> {
    (
        proptest::option::of(".{0,8}"),
        (vec(any::<u8>(), 0..32), any::<u8>()),
        any::<[u32; 4]>(),
        (any::<u8>(), ".{0,8}", any::<bool>()),
        any::<u32>(),
        vec(any::<u8>(), 0..8),
        ".{0,8}",
        vec(any::<u8>(), 0..8),
    )
        .prop_map(
            |(maybe, boxed, array, tuple, cell, refcell, mutex, rwlock)| {
                Wrappers(
                    maybe,
                    Box::new(boxed),
                    array,
                    tuple,
                    Cell::new(cell),
                    RefCell::new(refcell),
                    Mutex::new(mutex),
                    RwLock::new(rwlock),
                )
            },
        )
}

fn message() -> impl Strategy<Value = Message> {
    prop_oneof![
        (vec(any::<u8>(), 0..64), any::<u8>())
            .prop_map(|(body, version)| Message::Empty { body, version }),
        ".{0,16}".prop_map(Message::Text),
        (any::<u8>(), any::<u16>()).prop_map(|(a, b)| Message::Pair(a, b)),
    ]
}

fn everything() -> impl Strategy<Value = Everything> {
    (scalars(), collections(), wrappers(), message(), ".{0,16}").prop_map(
        |(scalars, collections, wrappers, message, kept)| Everything {
            scalars,
            collections,
            wrappers,
            message,
            kept,
        },
    )
}

/// The capacities a reset must keep.
fn capacities(value: &Everything) -> [usize; 7] {
    let c = &value.collections;
    [
        c.text.capacity(),
        c.bytes.capacity(),
        c.deque.capacity(),
        c.map.capacity(),
        c.set.capacity(),
        c.heap.capacity(),
        value.wrappers.1.0.capacity(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn reset_makes_any_value_fresh_and_keeps_capacity(mut value in everything()) {
        let before = capacities(&value);
        let body_before = match &value.message {
            Message::Empty { body, .. } => Some(body.capacity()),
            Message::Text(_) | Message::Pair(..) => None,
        };
        let kept = value.kept.clone();

        value.reset();

        let fresh = Everything { kept, ..Everything::default() };
        prop_assert_eq!(format!("{value:?}"), format!("{fresh:?}"));
        for (after, before) in capacities(&value).iter().zip(&before) {
            prop_assert!(after >= before, "capacity lost: {} < {}", after, before);
        }
        if let (Some(body_before), Message::Empty { body, .. }) = (body_before, &value.message) {
            prop_assert_eq!(body.capacity(), body_before, "default variant reset in place");
        }
    }

    #[test]
    fn reset_is_idempotent(mut value in everything()) {
        value.reset();
        let once = format!("{value:?}");
        value.reset();
        prop_assert_eq!(format!("{value:?}"), once);
    }
}
