//! Property tests: after any sequence of operations, a reuse collection is observably
//! equal to a fresh one filled the same way (compared with a `Vec` or an insertion-ordered
//! list as the model), its spares are all reset, and its table of positions matches its
//! entries. Then the same operations on elements whose `Drop` panics, planted anywhere:
//! no value leaks, no spare holds data, and the collection holds what the operation left,
//! whole or, for `extend`, up to the value whose slot's `Drop` panicked.

use std::borrow::Borrow;
use std::cell::Cell;
use std::fmt;
use std::hash::Hash;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use proptest::collection::vec;
use proptest::prelude::*;

use super::map::EntryRef;
use super::{ReuseKey, ReuseMap, ReuseVec};
use crate::Poolable;

/// What the collections hold in these tests: `String`, or [`Tracked`], a string whose
/// `Drop` counts and may panic.
trait Text:
    Poolable + Default + Clone + Eq + Hash + fmt::Debug + Borrow<str> + ReuseKey<str> + 'static
{
    fn make(text: &str) -> Self;
    fn text_mut(&mut self) -> &mut String;
    fn text(&self) -> &str {
        self.borrow()
    }
    /// `extend` from borrowed strings: `Extend<&str>` for `String`, `Extend<&T>` else.
    fn extend_str(vec: &mut ReuseVec<Self>, items: &[String]);
    /// `extend` from borrowed pairs: `Extend<(&str, &str)>` for `String`,
    /// `Extend<(&T, &T)>` else.
    fn extend_str_pairs(map: &mut ReuseMap<Self, Self>, pairs: &[(String, String)]);
}

impl Text for String {
    fn make(text: &str) -> Self {
        text.to_owned()
    }
    fn text_mut(&mut self) -> &mut String {
        self
    }
    fn extend_str(vec: &mut ReuseVec<Self>, items: &[String]) {
        vec.extend(items.iter().map(String::as_str));
    }
    fn extend_str_pairs(map: &mut ReuseMap<Self, Self>, pairs: &[(String, String)]) {
        map.extend(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    }
}

/// Short strings over a small alphabet, so that keys repeat.
fn text() -> impl Strategy<Value = String> {
    "[a-d]{0,3}"
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
    ShrinkSparesTo(usize),
    /// `extend` from `&str`: fills spares.
    ExtendStr(Vec<String>),
    /// `extend` from `&String`: clones into spares.
    ExtendRef(Vec<String>),
    /// `extend` from owned strings.
    ExtendOwned(Vec<String>),
    /// `clone_from` a vector with these elements and some spares of its own.
    CloneFrom(Vec<String>),
    Reserve(usize),
}

fn vec_op() -> impl Strategy<Value = VecOp> {
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
        1 => prop_oneof![0..4usize, Just(usize::MAX)].prop_map(VecOp::ShrinkSparesTo),
        1 => vec(text(), 0..4).prop_map(VecOp::ExtendStr),
        1 => vec(text(), 0..4).prop_map(VecOp::ExtendRef),
        1 => vec(text(), 0..4).prop_map(VecOp::ExtendOwned),
        1 => vec(text(), 0..6).prop_map(VecOp::CloneFrom),
        1 => (0..8usize).prop_map(VecOp::Reserve),
    ]
}

fn apply_vec<T: Text>(vec: &mut ReuseVec<T>, model: &mut Vec<String>, op: VecOp) {
    match op {
        VecOp::PushDefault(s) => {
            let item = vec.push_default();
            assert!(item.text().is_empty(), "a spare held {item:?}");
            item.text_mut().push_str(&s);
            model.push(s);
        }
        VecOp::Push(s) => {
            vec.push(T::make(&s));
            model.push(s);
        }
        VecOp::Insert(i, s) if i <= model.len() => {
            vec.insert(i, T::make(&s));
            model.insert(i, s);
        }
        VecOp::Insert(..) => {}
        VecOp::Pop => assert_eq!(vec.pop().map(owned), model.pop()),
        VecOp::Remove(i) if i < model.len() => assert_eq!(owned(vec.remove(i)), model.remove(i)),
        VecOp::Remove(_) => {}
        VecOp::SwapRemove(i) if i < model.len() => {
            assert_eq!(owned(vec.swap_remove(i)), model.swap_remove(i));
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
            vec.retain(|s| (s.text().len() % 2 == 0) == even);
            model.retain(|s| (s.len() % 2 == 0) == even);
        }
        VecOp::Append(s) => {
            for (item, model) in vec.iter_mut().zip(model.iter_mut()) {
                item.text_mut().push_str(&s);
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
        VecOp::ShrinkSparesTo(n) => {
            let before = vec.spare_count();
            vec.shrink_spares_to(n);
            assert_eq!(vec.spare_count(), before.min(n));
        }
        VecOp::ExtendStr(items) => {
            T::extend_str(vec, &items);
            model.extend(items);
        }
        VecOp::ExtendRef(items) => {
            let made: Vec<T> = items.iter().map(|s| T::make(s)).collect();
            vec.extend(&made);
            model.extend(items);
        }
        VecOp::ExtendOwned(items) => {
            vec.extend(items.iter().map(|s| T::make(s)));
            model.extend(items);
        }
        VecOp::CloneFrom(items) => {
            let mut source: ReuseVec<T> = items.iter().map(|s| T::make(s)).collect();
            source
                .push_default()
                .text_mut()
                .push_str("a spare of the source's");
            source.truncate(items.len());
            vec.clone_from(&source);
            model.clone_from(&items);
        }
        VecOp::Reserve(n) => {
            vec.reserve(n);
            assert!(vec.capacity() >= vec.len() + n);
        }
    }
}

/// An element's text, owned, to compare with the model's. `item` is dropped as a
/// statement of its own: dropped at the return instead, a `Drop` that panics would leak
/// the text (rust-lang/rust#47949; valgrind found it here).
fn owned<T: Text>(item: T) -> String {
    let text = item.text().to_owned();
    drop(item);
    text
}

/// The texts of a vector's live elements.
fn vec_texts<T: Text>(vec: &ReuseVec<T>) -> Vec<String> {
    vec.iter().map(|item| item.text().to_owned()).collect()
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
    ShrinkSparesTo(usize),
    /// `entry_ref(key).or_default().push_str(value)`.
    EntryOrDefault(String, String),
    /// `entry_ref(key).and_modify(push "+").or_insert(value)`.
    EntryOrInsert(String, String),
    /// Through an occupied entry: `shift_remove` (true) or `swap_remove`.
    EntryRemove(String, bool),
    /// `OccupiedEntry::insert` (with `get_mut` and `into_mut`) or `VacantEntryRef::insert`;
    /// with `or_insert_with` when the flag is set.
    EntryInsert(String, String, bool),
    /// `shift_remove_entry` (true) or `swap_remove_entry`.
    RemoveEntry(String, bool),
    /// `extend` from `(&str, &str)`: fills spares.
    ExtendStr(Vec<(String, String)>),
    /// `extend` from `(&String, &String)`: clones into spares.
    ExtendRef(Vec<(String, String)>),
    /// `extend` from owned pairs.
    ExtendOwned(Vec<(String, String)>),
    /// `clone_from` a map with these entries (repeated keys: the last value) and a spare.
    CloneFrom(Vec<(String, String)>),
    Reserve(usize),
}

fn map_op() -> impl Strategy<Value = MapOp> {
    prop_oneof![
        4 => (text(), text()).prop_map(|(k, v)| MapOp::InsertWith(k, v)),
        1 => (text(), text()).prop_map(|(k, v)| MapOp::Insert(k, v)),
        2 => (text(), text()).prop_map(|(k, v)| MapOp::Append(k, v)),
        2 => text().prop_map(MapOp::Remove),
        1 => text().prop_map(MapOp::SwapRemove),
        1 => any::<bool>().prop_map(MapOp::Retain),
        1 => Just(MapOp::Clear),
        1 => Just(MapOp::Reset),
        1 => prop_oneof![0..4usize, Just(usize::MAX)].prop_map(MapOp::ShrinkSparesTo),
        2 => (text(), text()).prop_map(|(k, v)| MapOp::EntryOrDefault(k, v)),
        1 => (text(), text()).prop_map(|(k, v)| MapOp::EntryOrInsert(k, v)),
        1 => (text(), any::<bool>()).prop_map(|(k, shift)| MapOp::EntryRemove(k, shift)),
        1 => (text(), text(), any::<bool>()).prop_map(|(k, v, with)| MapOp::EntryInsert(k, v, with)),
        1 => (text(), any::<bool>()).prop_map(|(k, shift)| MapOp::RemoveEntry(k, shift)),
        1 => vec((text(), text()), 0..4).prop_map(MapOp::ExtendStr),
        1 => vec((text(), text()), 0..4).prop_map(MapOp::ExtendRef),
        1 => vec((text(), text()), 0..4).prop_map(MapOp::ExtendOwned),
        1 => vec((text(), text()), 0..6).prop_map(MapOp::CloneFrom),
        1 => (0..8usize).prop_map(MapOp::Reserve),
    ]
}

/// The model: entries in insertion order.
type Model = Vec<(String, String)>;

fn position(model: &Model, key: &str) -> Option<usize> {
    model.iter().position(|(k, _)| k == key)
}

fn apply_map<T: Text>(map: &mut ReuseMap<T, T>, model: &mut Model, op: MapOp) {
    match op {
        MapOp::InsertWith(k, v) => {
            let value = map.insert_with(k.as_str(), |value| {
                assert!(value.text().is_empty(), "a reused value held {value:?}");
                value.text_mut().push_str(&v);
            });
            assert_eq!(value.text(), v);
            match position(model, &k) {
                Some(at) => model[at].1 = v,
                None => model.push((k, v)),
            }
        }
        MapOp::Insert(k, v) => {
            let old = map.insert(T::make(&k), T::make(&v)).map(owned);
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
                    assert_eq!(value.text(), model[at].1);
                    model[at].1.push_str(&v);
                }
                None => {
                    assert!(value.text().is_empty(), "a spare held {value:?}");
                    model.push((k, v.clone()));
                }
            }
            value.text_mut().push_str(&v);
        }
        MapOp::Remove(k) => {
            let removed = position(model, &k).map(|at| model.remove(at).1);
            assert_eq!(map.shift_remove(k.as_str()).map(owned), removed);
        }
        MapOp::SwapRemove(k) => {
            let removed = position(model, &k).map(|at| model.swap_remove(at).1);
            assert_eq!(map.swap_remove(k.as_str()).map(owned), removed);
        }
        MapOp::Retain(even) => {
            map.retain(|k, _| (k.text().len() % 2 == 0) == even);
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
        MapOp::ShrinkSparesTo(n) => {
            let before = map.spare_count();
            map.shrink_spares_to(n);
            assert_eq!(map.spare_count(), before.min(n));
        }
        MapOp::EntryOrDefault(k, v) => {
            let value = map.entry_ref(k.as_str()).or_default();
            match position(model, &k) {
                Some(at) => {
                    assert_eq!(value.text(), model[at].1);
                    model[at].1.push_str(&v);
                }
                None => {
                    assert!(value.text().is_empty(), "a spare held {value:?}");
                    model.push((k, v.clone()));
                }
            }
            value.text_mut().push_str(&v);
        }
        MapOp::EntryOrInsert(k, v) => {
            let entry = map.entry_ref(k.as_str());
            assert_eq!(entry.key(), k);
            let value = entry
                .and_modify(|value| value.text_mut().push('+'))
                .or_insert(T::make(&v));
            match position(model, &k) {
                Some(at) => model[at].1.push('+'),
                None => model.push((k.clone(), v)),
            }
            assert_eq!(value.text(), model[position(model, &k).unwrap()].1);
        }
        MapOp::EntryRemove(k, shift) => {
            let entry = map.entry_ref(k.as_str());
            match (entry, position(model, &k)) {
                (EntryRef::Occupied(entry), Some(at)) => {
                    assert_eq!(entry.key().text(), k);
                    assert_eq!(
                        (entry.index(), entry.get().text()),
                        (at, model[at].1.as_str())
                    );
                    let (removed, expected) = if shift {
                        (entry.shift_remove(), model.remove(at).1)
                    } else {
                        (entry.swap_remove(), model.swap_remove(at).1)
                    };
                    assert_eq!(owned(removed), expected);
                }
                (EntryRef::Vacant(entry), None) => assert_eq!(entry.key(), k),
                (entry, at) => panic!("{entry:?} for {k:?}, at {at:?} in the model"),
            }
        }
        MapOp::EntryInsert(k, v, true) => {
            let value = map.entry_ref(k.as_str()).or_insert_with(|| T::make(&v));
            match position(model, &k) {
                Some(at) => assert_eq!(value.text(), model[at].1),
                None => {
                    assert_eq!(value.text(), v);
                    model.push((k, v));
                }
            }
        }
        MapOp::EntryInsert(k, v, false) => match (map.entry_ref(k.as_str()), position(model, &k)) {
            (EntryRef::Occupied(mut entry), Some(at)) => {
                entry.get_mut().text_mut().push('+');
                let old = entry.insert(T::make(&v));
                entry.into_mut().text_mut().push('!');
                // Dropped last: a planted panic in its `Drop` finds the operation done.
                assert_eq!(owned(old), format!("{}+", model[at].1));
                model[at].1 = format!("{v}!");
            }
            (EntryRef::Vacant(entry), None) => {
                // The spare's value it displaces is dropped inside, once the entry is live.
                assert_eq!(entry.insert(T::make(&v)).text(), v);
                model.push((k, v));
            }
            (entry, at) => panic!("{entry:?} for {k:?}, at {at:?} in the model"),
        },
        MapOp::RemoveEntry(k, shift) => {
            let (removed, expected) = if shift {
                let expected = position(model, &k).map(|at| model.remove(at));
                (map.shift_remove_entry(k.as_str()), expected)
            } else {
                let expected = position(model, &k).map(|at| model.swap_remove(at));
                (map.swap_remove_entry(k.as_str()), expected)
            };
            assert_eq!(removed.map(|(k, v)| (owned(k), owned(v))), expected);
        }
        MapOp::ExtendStr(pairs) => {
            T::extend_str_pairs(map, &pairs);
            model_extend(model, pairs);
        }
        MapOp::ExtendRef(pairs) => {
            let made: Vec<(T, T)> = pairs
                .iter()
                .map(|(k, v)| (T::make(k), T::make(v)))
                .collect();
            map.extend(made.iter().map(|(k, v)| (k, v)));
            model_extend(model, pairs);
        }
        MapOp::ExtendOwned(pairs) => {
            map.extend(pairs.iter().map(|(k, v)| (T::make(k), T::make(v))));
            model_extend(model, pairs);
        }
        MapOp::CloneFrom(pairs) => {
            let mut source: ReuseMap<T, T> = ReuseMap::new();
            source.extend(pairs.iter().map(|(k, v)| (T::make(k), T::make(v))));
            source.insert_with("spare", |v| v.text_mut().push_str("of the source's"));
            source.swap_remove("spare");
            map.clone_from(&source);
            model.clear();
            model_extend(model, pairs);
        }
        MapOp::Reserve(n) => {
            map.reserve(n);
            assert!(map.capacity() >= map.len() + n);
        }
    }
}

/// Inserts each pair into the model as `HashMap::insert` would: a present key keeps its
/// place and gets the new value.
fn model_extend(model: &mut Model, pairs: Vec<(String, String)>) {
    for (k, v) in pairs {
        match position(model, &k) {
            Some(at) => model[at].1 = v,
            None => model.push((k, v)),
        }
    }
}

/// The texts of a map's live entries, in order.
fn map_texts<T: Text>(map: &ReuseMap<T, T>) -> Model {
    map.iter()
        .map(|(k, v)| (k.text().to_owned(), v.text().to_owned()))
        .collect()
}

/// Panics unless the table of positions holds exactly `0..len` and every spare is reset.
fn check_map<T: Text>(map: &ReuseMap<T, T>) {
    map.check_index();
    for (key, value) in map.spares() {
        assert!(
            key.text().is_empty() && value.text().is_empty(),
            "a spare holds {key:?}: {value:?}"
        );
    }
    for (key, value) in map.iter() {
        assert_eq!(map.get(key.text()), Some(value), "live entries are found");
    }
}

/// Panics unless every spare is reset.
fn check_vec<T: Text>(vec: &ReuseVec<T>) {
    assert!(
        vec.spares().iter().all(|s| s.text().is_empty()),
        "a spare holds data"
    );
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
        let mut vec: ReuseVec<String> = ReuseVec::new();
        let mut model = Vec::new();
        let mut most = 0;
        for op in ops {
            apply_vec(&mut vec, &mut model, op);
            most = most.max(model.len());
            prop_assert_eq!(vec.as_slice(), model.as_slice());
            check_vec(&vec);
            prop_assert!(vec.len() + vec.spare_count() <= most, "more spares than ever held");
        }
        let fresh: ReuseVec<String> = model.iter().cloned().collect();
        prop_assert_eq!(&vec, &fresh);
        prop_assert_eq!(format!("{vec:?}"), format!("{fresh:?}"));
        prop_assert_eq!(vec.clone(), fresh);
        let mut into_iter = vec.into_iter();
        into_iter.next();
        prop_assert_eq!(format!("{into_iter:?}"), format!("IntoIter({:?})", model.get(1..).unwrap_or(&[])));
    }

    #[test]
    fn map_matches_a_fresh_one(ops in vec(map_op(), 0..40)) {
        let mut map: ReuseMap<String, String> = ReuseMap::new();
        let mut model = Model::new();
        let mut most = 0;
        for op in ops {
            apply_map(&mut map, &mut model, op);
            most = most.max(model.len());
            prop_assert_eq!(&map_texts(&map), &model, "entries in insertion order");
            prop_assert!(map.len() + map.spare_count() <= most, "more spares than ever held");
            check_map(&map);
        }
        for key in ["", "a", "ab", "abc", "d", "dd"] {
            let expected = position(&model, key).map(|at| &model[at].1);
            prop_assert_eq!(map.get(key), expected);
        }
        let fresh: ReuseMap<String, String> = model.iter().cloned().collect();
        prop_assert_eq!(&map, &fresh);
        prop_assert_eq!(format!("{map:?}"), format!("{fresh:?}"));
        prop_assert_eq!(map.clone(), fresh);
        // The iterators' `Debug` shows what they have left, as indexmap's do.
        let pairs: Vec<(&String, &String)> = model.iter().map(|(k, v)| (k, v)).collect();
        let keys: Vec<&String> = model.iter().map(|(k, _)| k).collect();
        let values: Vec<&String> = model.iter().map(|(_, v)| v).collect();
        prop_assert_eq!(format!("{:?}", map.iter()), format!("Iter({pairs:?})"));
        prop_assert_eq!(format!("{:?}", map.keys()), format!("Keys({keys:?})"));
        prop_assert_eq!(format!("{:?}", map.values()), format!("Values({values:?})"));
        prop_assert_eq!(format!("{:?}", map.iter_mut()), format!("IterMut({pairs:?})"));
        prop_assert_eq!(format!("{:?}", map.values_mut()), format!("ValuesMut({values:?})"));
        prop_assert_eq!(format!("{:?}", map.clone().into_iter()), format!("IntoIter({pairs:?})"));
    }
}

// Panicking `Drop`, planted in every operation.

thread_local! {
    /// How many `Tracked` values exist on this thread.
    static ALIVE: Cell<usize> = const { Cell::new(0) };
    /// Drops to go before the one that panics; 0 when none is planted.
    static FUSE: Cell<usize> = const { Cell::new(0) };
}

/// The payload of a planted panic, told apart from a failed assertion.
struct Planted;

/// A string whose values are counted, and whose `Drop` panics when the fuse burns out.
#[derive(PartialEq, Eq, Hash, Debug)]
struct Tracked(String);

impl Tracked {
    fn new(text: String) -> Tracked {
        ALIVE.with(|alive| alive.set(alive.get() + 1));
        Tracked(text)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        ALIVE.with(|alive| alive.set(alive.get() - 1));
        let fuse = FUSE.with(Cell::get);
        if fuse > 0 {
            FUSE.with(|f| f.set(fuse - 1));
            if fuse == 1 {
                std::panic::panic_any(Planted);
            }
        }
    }
}

impl Default for Tracked {
    fn default() -> Self {
        Tracked::new(String::new())
    }
}

impl Clone for Tracked {
    fn clone(&self) -> Self {
        Tracked::new(self.0.clone())
    }

    fn clone_from(&mut self, source: &Self) {
        self.0.clone_from(&source.0);
    }
}

impl Poolable for Tracked {
    fn reset(&mut self) {
        self.0.clear();
    }
}

impl Borrow<str> for Tracked {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl ReuseKey<str> for Tracked {
    fn from_borrowed(borrowed: &str) -> Self {
        Tracked::new(borrowed.to_owned())
    }

    fn fill_from(&mut self, borrowed: &str) {
        self.0.clear();
        self.0.push_str(borrowed);
    }
}

impl Text for Tracked {
    fn make(text: &str) -> Self {
        Tracked::new(text.to_owned())
    }
    fn text_mut(&mut self) -> &mut String {
        &mut self.0
    }
    fn extend_str(vec: &mut ReuseVec<Self>, items: &[String]) {
        let made: Vec<Tracked> = items.iter().map(|s| Tracked::make(s)).collect();
        vec.extend(&made);
    }
    fn extend_str_pairs(map: &mut ReuseMap<Self, Self>, pairs: &[(String, String)]) {
        let made: Vec<(Tracked, Tracked)> = pairs
            .iter()
            .map(|(k, v)| (Tracked::make(k), Tracked::make(v)))
            .collect();
        map.extend(made.iter().map(|(k, v)| (k, v)));
    }
}

fn alive() -> usize {
    ALIVE.with(Cell::get)
}

/// Runs `op` with the `fuse`-th drop (1-based; 0: none) planted to panic. Returns whether
/// a planted panic ended it; any other panic goes on.
fn with_fuse(fuse: usize, op: impl FnOnce()) -> bool {
    FUSE.with(|f| f.set(fuse));
    let outcome = catch_unwind(AssertUnwindSafe(op));
    FUSE.with(|f| f.set(0));
    match outcome {
        Ok(()) => false,
        Err(payload) if payload.is::<Planted>() => true,
        Err(payload) => resume_unwind(payload),
    }
}

/// What the vector may hold after `op` from `before` was cut short by a planted panic:
/// `op` done, or not begun (a panic in the test's own values, built before it), or for an
/// `extend` of owned values, done up to the value whose slot's spare panicked.
fn vec_outcomes(before: &[String], op: &VecOp) -> Vec<Vec<String>> {
    let mut done = before.to_vec();
    let mut shadow: ReuseVec<String> = before.iter().cloned().collect();
    apply_vec(&mut shadow, &mut done, op.clone());
    let mut outcomes = vec![done, before.to_vec()];
    if let VecOp::ExtendOwned(items) = op {
        for end in 1..items.len() {
            outcomes.push(before.iter().chain(&items[..end]).cloned().collect());
        }
    }
    outcomes
}

/// As [`vec_outcomes`], for the map.
fn map_outcomes(before: &Model, op: &MapOp) -> Vec<Model> {
    let mut done = before.clone();
    let mut shadow: ReuseMap<String, String> = before.iter().cloned().collect();
    apply_map(&mut shadow, &mut done, op.clone());
    let mut outcomes = vec![done, before.clone()];
    if let MapOp::ExtendOwned(pairs) = op {
        for end in 1..pairs.len() {
            let mut partial = before.clone();
            model_extend(&mut partial, pairs[..end].to_vec());
            outcomes.push(partial);
        }
    }
    outcomes
}

proptest! {
    #![proptest_config(if cfg!(miri) {
        ProptestConfig { cases: 4, failure_persistence: None, ..ProptestConfig::default() }
    } else {
        ProptestConfig::with_cases(256)
    })]

    /// Fault A: no value written over a spare stays among the spares; nothing leaks.
    #[test]
    fn vec_with_panicking_drops_loses_nothing(ops in vec((vec_op(), 0..4usize), 0..40)) {
        let mut vec: ReuseVec<Tracked> = ReuseVec::new();
        let mut model: Vec<String> = Vec::new();
        for (op, fuse) in ops {
            let mut scratch = model.clone();
            let planted = with_fuse(fuse, || apply_vec(&mut vec, &mut scratch, op.clone()));
            let now = vec_texts(&vec);
            if planted {
                let outcomes = vec_outcomes(&model, &op);
                prop_assert!(outcomes.contains(&now), "{op:?} left {now:?}; expected one of {outcomes:?}");
            } else {
                prop_assert_eq!(&now, &scratch);
            }
            model = now;
            check_vec(&vec);
            prop_assert_eq!(alive(), vec.len() + vec.spare_count(), "a value leaked");
        }
        drop(vec);
        prop_assert_eq!(alive(), 0);
    }

    /// Faults A and B: the same for the map, whose removals must not leak the value when
    /// the key's `Drop` panics.
    #[test]
    fn map_with_panicking_drops_loses_nothing(ops in vec((map_op(), 0..5usize), 0..40)) {
        let mut map: ReuseMap<Tracked, Tracked> = ReuseMap::new();
        let mut model = Model::new();
        for (op, fuse) in ops {
            let mut scratch = model.clone();
            let planted = with_fuse(fuse, || apply_map(&mut map, &mut scratch, op.clone()));
            let now = map_texts(&map);
            if planted {
                let outcomes = map_outcomes(&model, &op);
                prop_assert!(outcomes.contains(&now), "{op:?} left {now:?}; expected one of {outcomes:?}");
            } else {
                prop_assert_eq!(&now, &scratch);
            }
            model = now;
            check_map(&map);
            prop_assert_eq!(alive(), 2 * (map.len() + map.spare_count()), "a value leaked");
        }
        drop(map);
        prop_assert_eq!(alive(), 0);
    }
}
