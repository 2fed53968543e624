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

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::Poolable;

    #[derive(Serialize, Deserialize, Default, Debug, PartialEq)]
    struct Request {
        path: String,
        headers: ReuseMap<String, String>,
        tags: ReuseVec<String>,
    }

    #[test]
    fn round_trip_inside_a_derived_type() {
        let mut request = Request::default();
        request.path.push_str("/index.html");
        request
            .headers
            .insert_with("host", |v| v.push_str("example.com"));
        request.headers.insert_with("accept", |v| v.push_str("*/*"));
        request.tags.push_default().push_str("fresh");

        let json = serde_json::to_string(&request).unwrap();
        assert_eq!(
            json,
            r#"{"path":"/index.html","headers":{"host":"example.com","accept":"*/*"},"tags":["fresh"]}"#,
            "live entries only, in insertion order",
        );
        let back: Request = serde_json::from_str(&json).unwrap();
        assert_eq!(back, request);
        assert_eq!(back.headers.keys().collect::<Vec<_>>(), ["host", "accept"]);
    }

    #[test]
    fn spares_are_not_serialized() {
        let mut tags: ReuseVec<String> = ["a", "b", "c"].into_iter().map(String::from).collect();
        tags.truncate(1);
        assert_eq!(serde_json::to_string(&tags).unwrap(), r#"["a"]"#);

        let mut headers: ReuseMap<String, String> = ReuseMap::new();
        headers.insert_with("a", |v| v.push('1'));
        headers.insert_with("b", |v| v.push('2'));
        headers.retain(|k, _| k == "b");
        assert_eq!(serde_json::to_string(&headers).unwrap(), r#"{"b":"2"}"#);
        headers.reset();
        assert_eq!(serde_json::to_string(&headers).unwrap(), "{}");
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value() {
        let map: ReuseMap<String, u32> = serde_json::from_str(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(
            map.iter().collect::<Vec<_>>(),
            [(&"a".to_owned(), &3), (&"b".to_owned(), &2)]
        );
        assert!(serde_json::from_str::<ReuseMap<String, u32>>("[1]").is_err());
        assert!(serde_json::from_str::<ReuseVec<u32>>(r#"{"a":1}"#).is_err());
    }
}
