//! `ReuseMap` edge cases: keys whose `Hash` or `Eq` disagree with their borrowed form
//! (documented wrong answers, never a panic or undefined behaviour), another
//! `BuildHasher`, the borrowed key forms `ReuseKey` covers, and `shrink_spares_to` at its bounds.

use std::borrow::Borrow;
use std::collections::hash_map::DefaultHasher;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::path::{Path, PathBuf};

use poolable::{Poolable, ReuseKey, ReuseMap};

/// A key whose `Hash` disagrees with its borrowed `str`: it hashes its length only.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Skewed(String);

impl Hash for Skewed {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.len().hash(state);
    }
}

impl Borrow<str> for Skewed {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Poolable for Skewed {
    fn reset(&mut self) {
        self.0.clear();
    }
}

impl ReuseKey<str> for Skewed {
    fn from_borrowed(borrowed: &str) -> Self {
        Skewed(borrowed.to_owned())
    }

    fn fill_from(&mut self, borrowed: &str) {
        self.0.clear();
        self.0.push_str(borrowed);
    }
}

#[test]
fn a_key_hashed_unlike_its_borrowed_form_gets_wrong_answers_not_panics() {
    let mut map: ReuseMap<Skewed, u32> = ReuseMap::new();
    // Inserted by value: indexed under the key's own (skewed) hash.
    map.insert(Skewed("host".into()), 1);
    assert!(map.contains_key(&Skewed("host".into())));
    // Looked up by `str`, which hashes differently: almost surely a miss, so
    // `insert_with` adds a second, equal key. Wrong, as documented; nothing panics.
    map.insert_with("host", |v| *v = 2);
    assert!(map.len() == 1 || map.len() == 2);
    for round in 0..3 {
        for name in ["a", "bb", "host", "accept", ""] {
            map.insert_with(name, |v| *v = round);
            map.get_or_insert_default(name);
            let _ = map.get(name);
            let _ = map.shift_remove(name);
        }
        map.insert(Skewed("x".into()), 9);
        map.retain(|key, _| key.0.len() % 2 == 0);
        let _ = format!("{map:?}");
        map.reset();
        map.shrink_spares_to(1);
    }
    assert!(map.is_empty());
}

/// A key whose `Eq` is never true: every insertion adds an entry.
#[allow(clippy::derived_hash_with_manual_eq)] // the broken `Eq` is the point
#[derive(Debug, Default, Clone, Hash)]
struct NeverEqual(u8);

impl PartialEq for NeverEqual {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

impl Eq for NeverEqual {}

impl Poolable for NeverEqual {
    fn reset(&mut self) {
        self.0 = 0;
    }
}

#[test]
fn a_key_never_equal_to_itself_only_adds_entries() {
    let mut map: ReuseMap<NeverEqual, u8> = ReuseMap::new();
    for round in 0..3 {
        for _ in 0..10 {
            map.insert_with(&NeverEqual(1), |v| *v = round);
        }
        assert_eq!(map.len(), 10);
        assert_eq!(map.get(&NeverEqual(1)), None);
        assert_eq!(map.shift_remove(&NeverEqual(1)), None);
        map.reset();
    }
}

#[test]
fn any_build_hasher_works() {
    type Fixed = BuildHasherDefault<DefaultHasher>;
    let mut map: ReuseMap<String, String, Fixed> = ReuseMap::default();
    map.insert_with("a", |v| v.push('1'));
    assert_eq!(map["a"], "1");
    map.reset();
    map.insert_with("b", |v| v.push('2'));
    assert_eq!(map.spare_count(), 0);
    assert_eq!(
        map.iter().collect::<Vec<_>>(),
        [(&"b".to_owned(), &"2".to_owned())]
    );
}

#[test]
fn borrowed_key_forms() {
    let mut bytes: ReuseMap<Vec<u8>, u32> = ReuseMap::new();
    bytes.insert_with(&b"etag"[..], |v| *v = 1);
    assert_eq!(bytes[&b"etag"[..]], 1);

    let mut paths: ReuseMap<PathBuf, u32> = ReuseMap::new();
    paths.insert_with(Path::new("/etc/hosts"), |v| *v = 2);
    assert_eq!(paths[Path::new("/etc/hosts")], 2);

    let mut numbers: ReuseMap<u64, String> = ReuseMap::new();
    numbers.insert_with(&7, |v| v.push_str("seven"));
    assert_eq!(numbers[&7], "seven");

    // An owned `String` lends itself as the key too.
    let mut names: ReuseMap<String, u32> = ReuseMap::new();
    let name = String::from("host");
    names.insert_with(&name, |v| *v = 3);
    names.insert_with(name.as_str(), |v| *v += 1);
    assert_eq!(
        (names.len(), names["host"]),
        (1, 1),
        "insert_with replaces the value"
    );
}

#[test]
fn shrink_spares_to_at_its_bounds() {
    let mut map: ReuseMap<String, String> = ReuseMap::new();
    map.shrink_spares_to(0);
    map.shrink_spares_to(usize::MAX);
    for i in 0..50 {
        map.insert_with(i.to_string().as_str(), |v| v.push('x'));
    }
    map.shrink_spares_to(0); // live entries are never dropped
    assert_eq!(map.len(), 50);
    map.retain(|key, _| key.len() == 1);
    map.shrink_spares_to(usize::MAX);
    assert_eq!((map.len(), map.spare_count()), (10, 40));
    map.shrink_spares_to(0);
    assert_eq!(map.spare_count(), 0);
    assert_eq!(map["7"], "x");
}

#[test]
fn order_is_insertion_order_and_survives_replacement_and_removal() {
    let mut map: ReuseMap<String, u32> = ReuseMap::new();
    for (i, name) in ["host", "user-agent", "accept", "content-type", "x-id"]
        .into_iter()
        .enumerate()
    {
        map.insert_with(name, |v| *v = i as u32);
    }
    map.insert_with("accept", |v| *v = 99);
    map.shift_remove("user-agent");
    map.retain(|name, _| name != "content-type");
    map.insert_with("user-agent", |v| *v = 7);
    let order: Vec<(&str, u32)> = map.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        order,
        [("host", 0), ("accept", 99), ("x-id", 4), ("user-agent", 7)]
    );
}
