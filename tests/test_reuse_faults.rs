//! Faults inside the reuse collections: an element's reset that panics halfway through a
//! collection's reset, a `retain` callback that panics, and a `Drop` that panics while a
//! value is written over a spare or removed (the two faults of the audit behind issue 19:
//! a value left among the spares unreset, and a value leaked). Nothing is dropped twice or
//! leaked (every element's drops are counted), the collection stays consistent, and in a
//! pool the object is dropped and the pool stays usable.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};

use poolable::{NewPooled, Pool, Poolable, ReuseMap, ReuseVec};

/// Drops per element id.
#[derive(Default)]
struct Drops(Mutex<Vec<usize>>);

impl Drops {
    fn new(count: usize) -> Arc<Drops> {
        Arc::new(Drops(Mutex::new(vec![0; count])))
    }

    fn counts(&self) -> Vec<usize> {
        self.0.lock().unwrap().clone()
    }
}

/// An element whose reset panics once when armed, and whose drop is counted.
struct Bomb {
    id: usize,
    armed: bool,
    data: String,
    drops: Arc<Drops>,
}

impl Bomb {
    fn new(id: usize, drops: &Arc<Drops>) -> Bomb {
        Bomb {
            id,
            armed: false,
            data: format!("user data {id}"),
            drops: Arc::clone(drops),
        }
    }
}

impl Poolable for Bomb {
    fn reset(&mut self) {
        if std::mem::take(&mut self.armed) {
            panic!("reset of element {} failed", self.id);
        }
        self.data.clear();
    }
}

impl Drop for Bomb {
    fn drop(&mut self) {
        self.drops.0.lock().unwrap()[self.id] += 1;
    }
}

const ELEMENTS: usize = 5;
const ARMED: usize = 2;

fn bombs(drops: &Arc<Drops>) -> impl Iterator<Item = Bomb> + '_ {
    (0..ELEMENTS).map(move |id| {
        let mut bomb = Bomb::new(id, drops);
        bomb.armed = id == ARMED;
        bomb
    })
}

#[test]
fn a_vec_whose_element_reset_panics_is_dropped_by_the_pool_whole() {
    let drops = Drops::new(ELEMENTS);
    let pool: Pool<ReuseVec<Bomb>> = Pool::with_capacity(4);
    let mut vec = pool.get();
    vec.extend(bombs(&drops));
    let failed = catch_unwind(AssertUnwindSafe(move || drop(vec)));
    assert!(failed.is_err(), "the reset's panic reaches the dropper");
    assert_eq!(drops.counts(), [1; ELEMENTS], "each element dropped once");
    assert_eq!(pool.stats().dropped_panicking, 1);

    // The pool stays usable.
    let mut vec = pool.get();
    vec.push(Bomb::new(0, &Drops::new(1)));
    drop(vec);
    assert_eq!(pool.get().spare_count(), 1);
}

#[test]
fn a_vec_survives_a_reset_panic_with_its_spares_reset() {
    let drops = Drops::new(ELEMENTS);
    let mut vec: ReuseVec<Bomb> = bombs(&drops).collect();
    let failed = catch_unwind(AssertUnwindSafe(|| vec.clear()));
    assert!(failed.is_err());
    // Reset from the last element down: the one that panicked and those before stay live.
    assert_eq!(
        (vec.len(), vec.spare_count()),
        (ARMED + 1, ELEMENTS - ARMED - 1)
    );
    assert_eq!(vec[0].data, "user data 0");

    vec.clear(); // disarmed now
    assert_eq!(vec.spare_count(), ELEMENTS);
    for _ in 0..ELEMENTS {
        let spare = vec.push_default();
        assert!(spare.data.is_empty(), "spare {} holds data", spare.id);
    }
    assert_eq!(drops.counts(), [0; ELEMENTS], "nothing dropped yet");
    drop(vec);
    assert_eq!(drops.counts(), [1; ELEMENTS]);
}

#[test]
fn a_map_whose_value_reset_panics_is_dropped_by_the_pool_whole() {
    let drops = Drops::new(ELEMENTS);
    let pool: Pool<ReuseMap<u32, Bomb>> = Pool::with_capacity(4);
    let mut map = pool.get();
    map.extend(bombs(&drops).map(|bomb| (bomb.id as u32, bomb)));
    let failed = catch_unwind(AssertUnwindSafe(move || drop(map)));
    assert!(failed.is_err());
    assert_eq!(drops.counts(), [1; ELEMENTS]);
    assert_eq!(pool.stats().dropped_panicking, 1);

    let mut map = pool.get();
    map.insert(7, Bomb::new(0, &Drops::new(1)));
    drop(map);
    assert_eq!(pool.get().spare_count(), 1);
}

#[test]
fn a_map_survives_a_reset_panic_and_still_finds_its_live_entries() {
    let drops = Drops::new(ELEMENTS);
    let mut map: ReuseMap<u32, Bomb> = bombs(&drops).map(|b| (b.id as u32, b)).collect();
    let failed = catch_unwind(AssertUnwindSafe(|| map.clear()));
    assert!(failed.is_err());
    assert_eq!(map.len(), ARMED + 1);
    for key in 0..ELEMENTS as u32 {
        assert_eq!(map.contains_key(&key), key as usize <= ARMED, "key {key}");
    }
    assert_eq!(
        map[&(ARMED as u32)].data,
        "user data 2",
        "its key was not reset"
    );
    // 9 takes the slot of the first spare, dropping it.
    map.insert(9, Bomb::new(0, &Drops::new(1)));
    assert!(map.contains_key(&9));
    assert_eq!(drops.counts(), [0, 0, 0, 1, 0]);
    drop(map);
    assert_eq!(drops.counts(), [1; ELEMENTS]);
}

#[test]
fn a_retain_callback_that_panics_loses_nothing() {
    let drops = Drops::new(ELEMENTS);
    let mut map: ReuseMap<u32, Bomb> = (0..ELEMENTS)
        .map(|id| (id as u32, Bomb::new(id, &drops)))
        .collect();
    let failed = catch_unwind(AssertUnwindSafe(|| {
        map.retain(|&key, _| {
            if key == 3 {
                panic!("keep failed")
            } else {
                key % 2 == 0
            }
        })
    }));
    assert!(failed.is_err());
    assert_eq!(map.len(), ELEMENTS, "every entry still live");
    for key in 0..ELEMENTS as u32 {
        assert_eq!(map[&key].id, key as usize, "and found by its key");
    }
    let mut vec: ReuseVec<Bomb> = (0..ELEMENTS).map(|id| Bomb::new(id, &drops)).collect();
    let failed = catch_unwind(AssertUnwindSafe(|| {
        vec.retain(|bomb| {
            if bomb.id == 3 {
                panic!("keep failed")
            } else {
                true
            }
        })
    }));
    assert!(failed.is_err());
    assert_eq!(vec.len(), ELEMENTS);
    drop((map, vec));
    assert_eq!(drops.counts(), [2; ELEMENTS]);
}

/// `push_default` is only called here with spares left, to look at them.
impl NewPooled for Bomb {
    fn new_pooled() -> Self {
        unreachable!("no spare left")
    }
}

/// A string whose `Drop` panics when armed, and whose drops are counted by id; a key by
/// its text.
struct Brittle {
    text: String,
    id: usize,
    panics: bool,
    drops: Arc<Drops>,
}

impl Brittle {
    fn new(id: usize, text: &str, drops: &Arc<Drops>) -> Brittle {
        Brittle {
            text: text.to_owned(),
            id,
            panics: false,
            drops: Arc::clone(drops),
        }
    }
}

impl PartialEq for Brittle {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Brittle {}

impl std::hash::Hash for Brittle {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

/// `push_default` is only called here with spares left.
impl NewPooled for Brittle {
    fn new_pooled() -> Self {
        unreachable!("no spare left")
    }
}

impl Poolable for Brittle {
    fn reset(&mut self) {
        self.text.clear();
    }
}

impl Drop for Brittle {
    fn drop(&mut self) {
        self.drops.0.lock().unwrap()[self.id] += 1;
        if self.panics && !std::thread::panicking() {
            panic!("drop of {} failed", self.id);
        }
    }
}

/// Fault A of the audit: `push` wrote the new value over a spare before dropping the
/// spare, so when the spare's `Drop` panicked, the value stayed among the spares, never
/// reset; a handler that caught its own panic returned the object, and the next user's
/// `push_default` got user A's token.
#[test]
fn a_value_pushed_over_a_spare_whose_drop_panics_is_live_not_a_spare() {
    let drops = Drops::new(2);
    let mut tokens: ReuseVec<Brittle> = ReuseVec::new();
    let mut old = Brittle::new(0, "old", &drops);
    old.panics = true;
    tokens.push(old);
    tokens.clear(); // a spare now, whose drop will panic

    let failed = catch_unwind(AssertUnwindSafe(|| {
        tokens.push(Brittle::new(1, "user A's session token", &drops));
    }));
    assert!(failed.is_err(), "the spare's drop panicked");
    assert_eq!(drops.counts(), [1, 0], "the spare was dropped once");
    assert_eq!(tokens.len(), 1, "the value is live");
    assert_eq!(tokens[0].text, "user A's session token");

    tokens.reset(); // the object goes back to its pool
    assert!(
        tokens.push_default().text.is_empty(),
        "the next user gets a reset spare"
    );
}

/// Fault A for the map: `insert` over a spare whose `Drop` panics.
#[test]
fn an_entry_inserted_over_a_spare_whose_drop_panics_is_live_not_a_spare() {
    let drops = Drops::new(3);
    let mut headers: ReuseMap<u32, Brittle> = ReuseMap::new();
    headers.insert(7, Brittle::new(0, "", &drops));
    headers.get_mut(&7).unwrap().panics = true;
    headers.clear();

    let failed = catch_unwind(AssertUnwindSafe(|| {
        headers.insert(1, Brittle::new(1, "Bearer user-A-secret", &drops));
    }));
    assert!(failed.is_err());
    assert_eq!(headers.len(), 1, "the entry is live");
    assert_eq!(headers[&1].text, "Bearer user-A-secret");

    headers.reset();
    let seen = headers
        .insert_with(&2, |value| {
            assert!(value.text.is_empty(), "saw {}", value.text)
        })
        .text
        .clone();
    assert!(seen.is_empty());
    drop(headers);
    assert_eq!(drops.counts(), [1, 1, 0]);
}

/// Fault B of the audit: `remove` returned `entries.remove(at).value`, and a key whose
/// `Drop` panicked on the way out leaked the value (rust-lang/rust#47949).
#[test]
fn a_removal_whose_key_drop_panics_drops_the_value_too() {
    let drops = Drops::new(4);
    let mut map: ReuseMap<Brittle, Brittle> = ReuseMap::new();
    for (id, text) in [(0, "a"), (2, "b")] {
        let mut key = Brittle::new(id, text, &drops);
        key.panics = true;
        map.insert(key, Brittle::new(id + 1, "value", &drops));
    }
    let key_a = Brittle::new(0, "a", &Drops::new(1));
    assert!(catch_unwind(AssertUnwindSafe(|| map.shift_remove(&key_a))).is_err());
    assert_eq!(
        drops.counts()[..2],
        [1, 1],
        "key and value dropped, once each"
    );
    let key_b = Brittle::new(0, "b", &Drops::new(1));
    assert!(catch_unwind(AssertUnwindSafe(|| map.swap_remove(&key_b))).is_err());
    assert_eq!(drops.counts(), [1, 1, 1, 1]);
    assert!(map.is_empty());
}
