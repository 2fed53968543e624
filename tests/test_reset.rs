//! The standard library impls of `Poolable`: a reset value equals a fresh one, and the
//! allocations it owned are kept.

mod support;

use support::reset;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::ffi::OsString;
use std::fmt::Debug;
use std::marker::PhantomData;
use std::num::Wrapping;
use std::path::PathBuf;
use std::sync::atomic::{
    AtomicBool, AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicIsize, AtomicU8, AtomicU16,
    AtomicU32, AtomicU64, AtomicUsize, Ordering,
};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use poolable::{Pool, Poolable};

/// Resets `used` and checks it now equals `fresh`.
#[track_caller]
fn assert_resets_to<T: Poolable + PartialEq + Debug>(used: T, fresh: T) {
    assert_ne!(used, fresh, "the test value must differ from a fresh one");
    assert_eq!(reset(used), fresh);
}

#[test]
fn scalars_reset_to_zero() {
    assert_resets_to(u8::MAX, 0);
    assert_resets_to(u16::MAX, 0);
    assert_resets_to(u32::MAX, 0);
    assert_resets_to(u64::MAX, 0);
    assert_resets_to(u128::MAX, 0);
    assert_resets_to(usize::MAX, 0);
    assert_resets_to(i8::MIN, 0);
    assert_resets_to(i16::MIN, 0);
    assert_resets_to(i32::MIN, 0);
    assert_resets_to(i64::MIN, 0);
    assert_resets_to(i128::MIN, 0);
    assert_resets_to(isize::MIN, 0);
    assert_resets_to(-1.5f32, 0.0);
    assert_resets_to(f64::INFINITY, 0.0);
    assert!(reset(f64::NAN) == 0.0, "NaN resets to zero too");
    assert_resets_to(true, false);
    assert_resets_to('z', '\0');
    assert_resets_to(Duration::from_millis(1500), Duration::ZERO);
    assert_resets_to(Wrapping(9i32), Wrapping(0));
    let () = reset(());
    let PhantomData = reset(PhantomData::<String>);
}

/// Fills a collection past `at_least` elements, resets it, and checks it is empty and
/// kept the capacity it had.
macro_rules! check_collection {
    ($value:expr, $capacity:expr, $fill:expr) => {{
        let mut value = $value;
        $fill(&mut value);
        let before = $capacity(&value);
        assert!(before > 0);
        let value = reset(value);
        assert!(value.is_empty(), "{} not cleared", stringify!($value));
        assert_eq!(
            $capacity(&value),
            before,
            "{} lost its allocation",
            stringify!($value)
        );
        value
    }};
}

#[test]
fn collections_clear_and_keep_capacity() {
    let text = check_collection!(String::new(), String::capacity, |s: &mut String| s
        .push_str("a line of text"));
    assert_eq!(text, String::new());

    let vec = check_collection!(Vec::new(), Vec::capacity, |v: &mut Vec<u64>| v
        .extend(0..100));
    assert_eq!(vec, Vec::<u64>::new());

    let deque = check_collection!(VecDeque::new(), VecDeque::capacity, |v: &mut VecDeque<
        u8,
    >| v.extend(0..50));
    assert_eq!(deque, VecDeque::new());

    let map = check_collection!(HashMap::new(), HashMap::capacity, |m: &mut HashMap<
        String,
        u32,
    >| m
        .extend((0..40).map(|i| (i.to_string(), i))));
    assert_eq!(map, HashMap::new());

    let set = check_collection!(HashSet::new(), HashSet::capacity, |s: &mut HashSet<i32>| s
        .extend(0..40));
    assert_eq!(set, HashSet::new());

    let heap = check_collection!(
        BinaryHeap::new(),
        BinaryHeap::capacity,
        |h: &mut BinaryHeap<u8>| h.extend([3, 1, 2])
    );
    assert!(heap.is_empty());
}

#[test]
fn paths_and_os_strings_clear_and_keep_capacity() {
    let mut path = PathBuf::with_capacity(64);
    path.push("/var/log/secret.log");
    let before = path.capacity();
    let path = reset(path);
    assert_eq!(path, PathBuf::new());
    assert_eq!(path.capacity(), before, "PathBuf lost its allocation");

    let text = check_collection!(
        OsString::with_capacity(64),
        OsString::capacity,
        |s: &mut OsString| s.push("secret")
    );
    assert_eq!(text, OsString::new());
}

#[test]
fn node_collections_reset_to_empty() {
    // B-trees and linked lists own one allocation per node: nothing to keep, but they
    // must end up equal to fresh ones.
    assert_resets_to(BTreeMap::from([(1, "one"), (2, "two")]), BTreeMap::new());
    assert_resets_to(BTreeSet::from([1, 2, 3]), BTreeSet::new());
    assert_resets_to(LinkedList::from([1, 2, 3]), LinkedList::new());
}

#[test]
fn options_boxes_arrays_and_tuples() {
    assert_resets_to(Some(String::from("x")), None);

    let mut boxed = Box::new(Vec::<u8>::with_capacity(64));
    boxed.extend_from_slice(b"boxed");
    let heap_address: *const Vec<u8> = &*boxed;
    let boxed = reset(boxed);
    assert!(boxed.is_empty() && boxed.capacity() >= 64);
    assert!(
        std::ptr::eq(&*boxed, heap_address),
        "reset in place, box kept"
    );

    assert_resets_to([7u8; 32], [0u8; 32]);
    let strings = reset([String::from("a"), String::from("bc")]);
    assert!(strings.iter().all(|s| s.is_empty() && s.capacity() > 0));

    assert_resets_to((1u8,), (0,));
    assert_resets_to((1u8, String::from("a"), Some(2)), (0, String::new(), None));
    assert_resets_to(
        (
            1u8, 2u16, 3u32, 4u64, 5u128, 6usize, 7i8, 8i16, 9i32, 10i64, 11i128, true,
        ),
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false),
    );
}

#[test]
fn cells_and_locks_reset_their_contents() {
    assert_eq!(reset(Cell::new(5u32)).get(), 0);

    let cell = reset(RefCell::new(Vec::<u8>::with_capacity(16)));
    assert!(cell.borrow().is_empty() && cell.borrow().capacity() >= 16);

    let mut mutex = Mutex::new(String::from("locked"));
    mutex.reset();
    let text = mutex.into_inner().unwrap();
    assert!(text.is_empty() && text.capacity() >= 6);

    let lock = reset(RwLock::new(vec![1, 2, 3]));
    assert!(lock.read().unwrap().is_empty() && lock.read().unwrap().capacity() >= 3);
}

#[test]
fn atomics_reset_to_zero() {
    assert!(!reset(AtomicBool::new(true)).into_inner());
    assert_eq!(reset(AtomicU8::new(1)).into_inner(), 0);
    assert_eq!(reset(AtomicU16::new(1)).into_inner(), 0);
    assert_eq!(reset(AtomicU32::new(1)).into_inner(), 0);
    assert_eq!(reset(AtomicU64::new(1)).into_inner(), 0);
    assert_eq!(reset(AtomicUsize::new(1)).into_inner(), 0);
    assert_eq!(reset(AtomicI8::new(-1)).into_inner(), 0);
    assert_eq!(reset(AtomicI16::new(-1)).into_inner(), 0);
    assert_eq!(reset(AtomicI32::new(-1)).into_inner(), 0);
    assert_eq!(reset(AtomicI64::new(-1)).into_inner(), 0);
    assert_eq!(reset(AtomicIsize::new(-1)).into_inner(), 0);
    let shared = reset(AtomicUsize::new(3));
    assert_eq!(shared.load(Ordering::Relaxed), 0);
}

/// A tuple of std values, pooled as one object.
type Record = (String, Vec<u32>, HashMap<u8, u8>, Option<u8>, u64);

#[test]
fn a_pool_hands_back_reset_std_values() {
    // The same properties through a pool: what the second user gets equals a fresh
    // value, on the allocation the first user grew.
    let pool: Pool<Record> = Pool::with_capacity(2);
    let mut first = pool.get();
    first.0.push_str("first user's secret");
    first.1.extend(0..100);
    first.2.insert(1, 1);
    first.3 = Some(3);
    first.4 = 42;
    drop(first);

    let second = pool.get();
    assert_eq!(second.0, "");
    assert!(second.0.capacity() >= 19);
    assert!(second.1.is_empty() && second.1.capacity() >= 100);
    assert!(second.2.is_empty() && second.2.capacity() >= 1);
    assert_eq!((second.3, second.4), (None, 0));
}

/// A boxed trait object is reset where it is: same allocation, its own `reset` called.
#[test]
fn boxed_trait_objects_reset_in_place() {
    struct Counted(std::rc::Rc<std::cell::Cell<u32>>);
    impl Poolable for Counted {
        fn reset(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let resets = std::rc::Rc::new(std::cell::Cell::new(0));
    let mut boxed: Box<dyn Poolable> = Box::new(Counted(resets.clone()));
    let before: *const dyn Poolable = &*boxed;
    boxed.reset();
    assert!(std::ptr::addr_eq(before, &*boxed), "the box was replaced");
    assert_eq!(resets.get(), 1);
}

/// A lock poisoned by a panic is reset, and comes out of the reset unpoisoned: the next
/// user's `lock()` (`read()`, `write()`) succeeds and finds the value empty, as on a new one.
#[test]
fn poisoned_locks_are_reset_and_unpoisoned() {
    fn poison<L>(lock: &L, hold: impl FnOnce(&L)) {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            hold(lock);
            unreachable!("hold panics while it holds the lock");
        }));
    }

    let mut mutex = Mutex::new(vec![1]);
    poison(&mutex, |m| {
        let _held = m.lock().unwrap();
        panic!("poison it");
    });
    assert!(mutex.is_poisoned());
    mutex.reset();
    assert!(!mutex.is_poisoned());
    assert!(mutex.lock().expect("unpoisoned by the reset").is_empty());

    let mut rwlock = RwLock::new(String::from("written"));
    poison(&rwlock, |l| {
        let _held = l.write().unwrap();
        panic!("poison it");
    });
    assert!(rwlock.is_poisoned());
    rwlock.reset();
    assert!(!rwlock.is_poisoned());
    assert!(rwlock.read().expect("unpoisoned by the reset").is_empty());
    assert!(rwlock.write().expect("unpoisoned by the reset").capacity() >= 7);
}
