//! Property tests: after any sequence of operations, a reuse collection is observably
//! equal to a fresh one filled the same way (compared with a `Vec` or an insertion-ordered
//! list as the model), its spares are all reset, and its table of positions matches its
//! entries.

use proptest::collection::vec;
use proptest::prelude::*;

use super::{ReuseMap, ReuseVec};
use crate::Poolable;

// The strategies are boxed: as `impl Strategy` their nested `prop_oneof!`/`prop_map` types
// made this module cost about 14 s of CPU to compile in a debug build (most of
// pool-runtime's test build); boxed, about 1 s, with the same cases generated.

/// Short strings over a small alphabet, so that keys repeat.
fn text() -> BoxedStrategy<String> {
    "[a-d]{0,3}".boxed()
}

#[derive(Debug, Clone)]
enum VecOp {
    PushDefault(String),
    Push(String),
    Insert(usize, String),
    Pop,
    Remove(usize),
    SwapRemove(usize),
    Dedup,
    Truncate(usize),
    /// Keep the elements whose length is even, or odd.
    Retain(bool),
    Append(String),
    Clear,
    Reset,
    ShrinkTo(usize),
}

fn vec_op() -> BoxedStrategy<VecOp> {
    prop_oneof![
        4 => text().prop_map(VecOp::PushDefault),
        1 => text().prop_map(VecOp::Push),
        1 => (0..8usize, text()).prop_map(|(i, s)| VecOp::Insert(i, s)),
        1 => Just(VecOp::Pop),
        1 => (0..8usize).prop_map(VecOp::Remove),
        1 => (0..8usize).prop_map(VecOp::SwapRemove),
        1 => Just(VecOp::Dedup),
        1 => (0..8usize).prop_map(VecOp::Truncate),
        1 => any::<bool>().prop_map(VecOp::Retain),
        1 => text().prop_map(VecOp::Append),
        1 => Just(VecOp::Clear),
        1 => Just(VecOp::Reset),
        1 => prop_oneof![0..4usize, Just(usize::MAX)].prop_map(VecOp::ShrinkTo),
    ]
    .boxed()
}

fn apply_vec(vec: &mut ReuseVec<String>, model: &mut Vec<String>, op: VecOp) {
    match op {
        VecOp::PushDefault(s) => {
            let item = vec.push_default();
            assert!(item.is_empty(), "a spare held {item:?}");
            item.push_str(&s);
            model.push(s);
        }
        VecOp::Push(s) => {
            vec.push(s.clone());
            model.push(s);
        }
        VecOp::Insert(i, s) if i <= model.len() => {
            vec.insert(i, s.clone());
            model.insert(i, s);
        }
        VecOp::Insert(..) => {}
        VecOp::Pop => assert_eq!(vec.pop(), model.pop()),
        VecOp::Remove(i) if i < model.len() => assert_eq!(vec.remove(i), model.remove(i)),
        VecOp::Remove(_) => {}
        VecOp::SwapRemove(i) if i < model.len() => {
            assert_eq!(vec.swap_remove(i), model.swap_remove(i));
        }
        VecOp::SwapRemove(_) => {}
        VecOp::Dedup => {
            vec.dedup();
            model.dedup();
        }
        VecOp::Truncate(n) => {
            vec.truncate(n);
            model.truncate(n);
        }
        VecOp::Retain(even) => {
            vec.retain(|s| (s.len() % 2 == 0) == even);
            model.retain(|s| (s.len() % 2 == 0) == even);
        }
        VecOp::Append(s) => {
            for (item, model) in vec.iter_mut().zip(model.iter_mut()) {
                item.push_str(&s);
                model.push_str(&s);
            }
        }
        VecOp::Clear => {
            vec.clear();
            model.clear();
        }
        VecOp::Reset => {
            vec.reset();
            model.clear();
        }
        VecOp::ShrinkTo(n) => {
            let before = vec.spare_count();
            vec.shrink_to(n);
            assert_eq!(vec.spare_count(), before.min(n));
        }
    }
}

#[derive(Debug, Clone)]
enum MapOp {
    InsertWith(String, String),
    Insert(String, String),
    /// `get_or_insert_default(key).push_str(value)`.
    Append(String, String),
    Remove(String),
    SwapRemove(String),
    /// Keep the entries whose key length is even, or odd.
    Retain(bool),
    Clear,
    Reset,
    ShrinkTo(usize),
}

fn map_op() -> BoxedStrategy<MapOp> {
    prop_oneof![
        4 => (text(), text()).prop_map(|(k, v)| MapOp::InsertWith(k, v)),
        1 => (text(), text()).prop_map(|(k, v)| MapOp::Insert(k, v)),
        2 => (text(), text()).prop_map(|(k, v)| MapOp::Append(k, v)),
        2 => text().prop_map(MapOp::Remove),
        1 => text().prop_map(MapOp::SwapRemove),
        1 => any::<bool>().prop_map(MapOp::Retain),
        1 => Just(MapOp::Clear),
        1 => Just(MapOp::Reset),
        1 => prop_oneof![0..4usize, Just(usize::MAX)].prop_map(MapOp::ShrinkTo),
    ]
    .boxed()
}

/// The model: entries in insertion order.
type Model = Vec<(String, String)>;

fn position(model: &Model, key: &str) -> Option<usize> {
    model.iter().position(|(k, _)| k == key)
}

fn apply_map(map: &mut ReuseMap<String, String>, model: &mut Model, op: MapOp) {
    match op {
        MapOp::InsertWith(k, v) => {
            let value = map.insert_with(k.as_str(), |value| {
                assert!(value.is_empty(), "a reused value held {value:?}");
                value.push_str(&v);
            });
            assert_eq!(*value, v);
            match position(model, &k) {
                Some(at) => model[at].1 = v,
                None => model.push((k, v)),
            }
        }
        MapOp::Insert(k, v) => {
            let old = map.insert(k.clone(), v.clone());
            match position(model, &k) {
                Some(at) => assert_eq!(old, Some(std::mem::replace(&mut model[at].1, v))),
                None => {
                    assert_eq!(old, None);
                    model.push((k, v));
                }
            }
        }
        MapOp::Append(k, v) => {
            let value = map.get_or_insert_default(k.as_str());
            match position(model, &k) {
                Some(at) => {
                    assert_eq!(*value, model[at].1);
                    model[at].1.push_str(&v);
                }
                None => {
                    assert!(value.is_empty(), "a spare held {value:?}");
                    model.push((k, v.clone()));
                }
            }
            value.push_str(&v);
        }
        MapOp::Remove(k) => {
            let removed = position(model, &k).map(|at| model.remove(at).1);
            assert_eq!(map.remove(k.as_str()), removed);
        }
        MapOp::SwapRemove(k) => {
            let removed = position(model, &k).map(|at| model.swap_remove(at).1);
            assert_eq!(map.swap_remove(k.as_str()), removed);
        }
        MapOp::Retain(even) => {
            map.retain(|k, _| (k.len() % 2 == 0) == even);
            model.retain(|(k, _)| (k.len() % 2 == 0) == even);
        }
        MapOp::Clear => {
            map.clear();
            model.clear();
        }
        MapOp::Reset => {
            map.reset();
            model.clear();
        }
        MapOp::ShrinkTo(n) => {
            let before = map.spare_count();
            map.shrink_to(n);
            assert_eq!(map.spare_count(), before.min(n));
        }
    }
}

proptest! {
    // Under Miri: a few cases, and no failure file (isolation forbids the file system).
    #![proptest_config(if cfg!(miri) {
        ProptestConfig { cases: 4, failure_persistence: None, ..ProptestConfig::default() }
    } else {
        ProptestConfig::with_cases(256)
    })]

    #[test]
    fn vec_matches_a_fresh_one(ops in vec(vec_op(), 0..40)) {
        let mut vec = ReuseVec::new();
        let mut model = Vec::new();
        let mut most = 0;
        for op in ops {
            apply_vec(&mut vec, &mut model, op);
            most = most.max(model.len());
            prop_assert_eq!(vec.as_slice(), model.as_slice());
            prop_assert!(vec.spares().iter().all(String::is_empty), "a spare holds data");
            prop_assert!(vec.len() + vec.spare_count() <= most, "more spares than ever held");
        }
        let fresh: ReuseVec<String> = model.iter().cloned().collect();
        prop_assert_eq!(&vec, &fresh);
        prop_assert_eq!(format!("{vec:?}"), format!("{fresh:?}"));
        prop_assert_eq!(vec.clone(), fresh);
    }

    #[test]
    fn map_matches_a_fresh_one(ops in vec(map_op(), 0..40)) {
        let mut map = ReuseMap::new();
        let mut model = Model::new();
        let mut most = 0;
        for op in ops {
            apply_map(&mut map, &mut model, op);
            most = most.max(model.len());
            let entries: Vec<(&String, &String)> = map.iter().collect();
            let expected: Vec<(&String, &String)> = model.iter().map(|(k, v)| (k, v)).collect();
            prop_assert_eq!(entries, expected, "entries in insertion order");
            prop_assert!(map.len() + map.spare_count() <= most, "more spares than ever held");
            map.check_invariants();
        }
        for key in ["", "a", "ab", "abc", "d", "dd"] {
            let expected = position(&model, key).map(|at| &model[at].1);
            prop_assert_eq!(map.get(key), expected);
        }
        let fresh: ReuseMap<String, String> = model.iter().cloned().collect();
        prop_assert_eq!(&map, &fresh);
        prop_assert_eq!(format!("{map:?}"), format!("{fresh:?}"));
        prop_assert_eq!(map.clone(), fresh);
    }
}

impl ReuseMap<String, String> {
    /// Panics unless the table of positions holds exactly `0..len` and every spare is
    /// reset.
    fn check_invariants(&self) {
        self.check_index();
        for (key, value) in self.spares() {
            assert!(key.is_empty() && value.is_empty(), "a spare holds data");
        }
    }
}
