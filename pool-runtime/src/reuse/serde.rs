//! `Serialize` and `Deserialize` for the reuse collections (feature `serde`): a
//! [`ReuseVec`] as a sequence of its live elements, a [`ReuseMap`] as a map of its live
//! entries in insertion order. Spares are never serialized; a collection made by
//! `deserialize` has none.
//!
//! `deserialize_in_place` decodes into the spares, as the module docs of `reuse` say.
//! How it keeps its promises:
//! - a `ReuseVec` element is taken with `push_default` *before* it is filled, so whatever
//!   the element's decode writes is live data; on an error the whole vector is cleared
//!   (each element reset into a spare), and a panic leaves it live;
//! - a `ReuseMap` key is decoded into a spare taken *out of* the map
//!   (`ReuseMap::fill_key_in_place`): on an error it is reset and put back, on a panic
//!   it is dropped; the value is decoded once its entry is live, and an error clears the
//!   map as above.

use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::marker::PhantomData;

use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};

use super::{ReuseMap, ReuseVec};
use crate::{NewPooled, Poolable};

impl<T: Serialize> Serialize for ReuseVec<T> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// `T: Poolable + NewPooled` because decoding in place takes spares and resets them; a
/// `ReuseVec` of another type could not reuse anything anyway.
impl<'de, T> Deserialize<'de> for ReuseVec<T>
where
    T: Deserialize<'de> + Poolable + NewPooled,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(deserializer).map(ReuseVec::from)
    }

    /// Resets the live elements into spares, then decodes each element into a spare
    /// (see the module docs).
    fn deserialize_in_place<D: Deserializer<'de>>(
        deserializer: D,
        place: &mut Self,
    ) -> Result<(), D::Error> {
        place.clear();
        let decoded = deserializer.deserialize_seq(SeqInPlace(&mut *place));
        if decoded.is_err() {
            place.clear();
        }
        decoded
    }
}

/// Decodes a sequence into a [`ReuseVec`] that has been cleared.
struct SeqInPlace<'a, T>(&'a mut ReuseVec<T>);

impl<'de, T> Visitor<'de> for SeqInPlace<'_, T>
where
    T: Deserialize<'de> + Poolable + NewPooled,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        while let Some(()) = access.next_element_seed(NextElement(&mut *self.0))? {}
        Ok(())
    }
}

/// One element of a sequence, decoded into the spare that `push_default` hands out. The
/// seed runs only when there is an element, so no spare is taken for the end.
struct NextElement<'a, T>(&'a mut ReuseVec<T>);

impl<'de, T> DeserializeSeed<'de> for NextElement<'_, T>
where
    T: Deserialize<'de> + Poolable + NewPooled,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        // Live before it is filled: if the decode fails or panics halfway, what it wrote
        // is live data (cleared by the caller on error), never a spare's.
        T::deserialize_in_place(deserializer, self.0.push_default())
    }
}

/// Decodes a value into an existing `T` with `T::deserialize_in_place` (serde's own
/// `InPlaceSeed` is private).
struct InPlace<'a, T>(&'a mut T);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for InPlace<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        T::deserialize_in_place(deserializer, self.0)
    }
}

impl<K: Serialize, V: Serialize, S> Serialize for ReuseMap<K, V, S> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.collect_map(self.iter())
    }
}

/// `K` and `V: Poolable + NewPooled` because decoding in place takes spares and resets
/// them; a `ReuseMap` of other types could not reuse anything anyway.
impl<'de, K, V, S> Deserialize<'de> for ReuseMap<K, V, S>
where
    K: Deserialize<'de> + Hash + Eq + Poolable + NewPooled,
    V: Deserialize<'de> + Poolable + NewPooled,
    S: BuildHasher + Default,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }

    /// Resets the live entries into spares, then decodes each key into a spare key and
    /// each value into a spare value (see the module docs).
    fn deserialize_in_place<D: Deserializer<'de>>(
        deserializer: D,
        place: &mut Self,
    ) -> Result<(), D::Error> {
        place.clear();
        let decoded = deserializer.deserialize_map(MapInPlace(&mut *place));
        if decoded.is_err() {
            place.clear();
        }
        decoded
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

/// Decodes a map into a [`ReuseMap`] that has been cleared.
struct MapInPlace<'a, K, V, S>(&'a mut ReuseMap<K, V, S>);

impl<'de, K, V, S> Visitor<'de> for MapInPlace<'_, K, V, S>
where
    K: Deserialize<'de> + Hash + Eq + Poolable + NewPooled,
    V: Deserialize<'de> + Poolable + NewPooled,
    S: BuildHasher,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        while let Some(at) = access.next_key_seed(NextKey(&mut *self.0))? {
            // The entry is live, its value reset: decoded in place, it replaces whatever
            // a repeated key had.
            access.next_value_seed(InPlace(self.0.value_at_mut(at)))?;
        }
        Ok(())
    }
}

/// One key of a map, decoded into a spare key; its value is the live entry's position.
struct NextKey<'a, K, V, S>(&'a mut ReuseMap<K, V, S>);

impl<'de, K, V, S> DeserializeSeed<'de> for NextKey<'_, K, V, S>
where
    K: Deserialize<'de> + Hash + Eq + Poolable + NewPooled,
    V: Poolable + NewPooled,
    S: BuildHasher,
{
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        self.0
            .fill_key_in_place(|key| K::deserialize_in_place(deserializer, key))
    }
}

#[cfg(test)]
mod tests;
