//! `Serialize` and `Deserialize` for the reuse collections (feature `serde`): a
//! [`ReuseVec`] as a sequence of its live elements, a [`ReuseMap`] as a map of its live
//! entries in insertion order. Spares are never serialized; a deserialized collection has
//! none.

use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};

use super::{ReuseMap, ReuseVec};

impl<T: Serialize> Serialize for ReuseVec<T> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ReuseVec<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(deserializer).map(ReuseVec::from)
    }
}

impl<K: Serialize, V: Serialize, S> Serialize for ReuseMap<K, V, S> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, K, V, S> Deserialize<'de> for ReuseMap<K, V, S>
where
    K: Deserialize<'de> + Hash + Eq,
    V: Deserialize<'de>,
    S: BuildHasher + Default,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// Builds a [`ReuseMap`] from a serialized map; a repeated key keeps its last value, as
/// `HashMap`'s `Deserialize` does.
struct MapVisitor<K, V, S>(PhantomData<Made<K, V, S>>);

/// What a [`MapVisitor`] makes; a function type, so the visitor owns no `K` or `V`.
type Made<K, V, S> = fn() -> ReuseMap<K, V, S>;

impl<'de, K, V, S> Visitor<'de> for MapVisitor<K, V, S>
where
    K: Deserialize<'de> + Hash + Eq,
    V: Deserialize<'de>,
    S: BuildHasher + Default,
{
    type Value = ReuseMap<K, V, S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        // Bounded, as serde's own impls do, so a hostile length cannot reserve much.
        let capacity = access.size_hint().unwrap_or(0).min(4096);
        let mut map = ReuseMap::with_capacity_and_hasher(capacity, S::default());
        while let Some((key, value)) = access.next_entry()? {
            map.insert(key, value);
        }
        Ok(map)
    }
}
