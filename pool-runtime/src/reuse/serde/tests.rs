//! The serde impls: round trips, and decoding in place against `serde_json::from_slice`.

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

// Decoding in place.

use std::collections::HashMap;

use proptest::collection::vec;
use proptest::prelude::*;

/// Which step of [`decode_in_place`] failed.
#[derive(Debug, PartialEq)]
enum Failed {
    /// The collection's own decode: it must be left empty, spares reset.
    Decode,
    /// serde_json's check for trailing data, after a decode that succeeded.
    End,
}

/// `place` decoded in place from `json`, as a user calls it.
fn decode_in_place<'de, T: Deserialize<'de>>(json: &'de [u8], place: &mut T) -> Result<(), Failed> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    T::deserialize_in_place(&mut deserializer, place).map_err(|_| Failed::Decode)?;
    deserializer.end().map_err(|_| Failed::End)
}

/// Panics unless every spare of `vec` is reset.
fn check_vec(vec: &ReuseVec<String>) {
    assert!(
        vec.spares().iter().all(String::is_empty),
        "a spare holds {:?}",
        vec.spares()
    );
}

/// Panics unless the table of positions matches the entries and every spare is reset.
fn check_map<V: PartialEq + Default + fmt::Debug>(map: &ReuseMap<String, V>) {
    map.check_index();
    for (key, value) in map.spares() {
        assert!(
            key.is_empty() && *value == V::default(),
            "a spare holds {key:?}: {value:?}"
        );
    }
}

/// A JSON object with these entries in this order, repeated keys included (which a
/// serializer of a map never writes).
fn json_object(entries: &[(String, String)]) -> Vec<u8> {
    let members: Vec<String> = entries
        .iter()
        .map(|(k, v)| {
            format!(
                "{}:{}",
                serde_json::to_string(k).unwrap(),
                serde_json::to_string(v).unwrap()
            )
        })
        .collect();
    format!("{{{}}}", members.join(",")).into_bytes()
}

/// Short strings over a small alphabet, so that keys repeat; an escape now and then, so
/// that serde_json hands over an owned string (decoded through its scratch buffer).
fn text() -> impl Strategy<Value = String> {
    "[a-d\"]{0,4}"
}

#[test]
fn a_short_input_after_a_long_one_holds_exactly_the_short_one() {
    let mut tags: ReuseVec<String> = ReuseVec::new();
    decode_in_place(br#"["a long first tag","second","third"]"#, &mut tags).unwrap();
    assert_eq!(tags, ["a long first tag", "second", "third"]);
    let buffer = tags[0].as_ptr();
    decode_in_place(br#"["x"]"#, &mut tags).unwrap();
    assert_eq!(tags, ["x"]);
    assert_eq!(
        (tags.spare_count(), tags[0].as_ptr()),
        (2, buffer),
        "the first string, reused"
    );
    check_vec(&tags);
    decode_in_place(b"[]", &mut tags).unwrap();
    assert!(tags.is_empty());
    check_vec(&tags);

    let mut headers: ReuseMap<String, String> = ReuseMap::new();
    decode_in_place(
        br#"{"user-agent":"curl/8.5.0","accept":"*/*","host":"a"}"#,
        &mut headers,
    )
    .unwrap();
    decode_in_place(br#"{"h":"b"}"#, &mut headers).unwrap();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [(&"h".to_owned(), &"b".to_owned())]
    );
    assert_eq!(headers.spare_count(), 2);
    assert!(!headers.contains_key("host") && !headers.contains_key("accept"));
    check_map(&headers);
}

#[test]
fn decoding_in_place_reuses_the_spares_strings() {
    let mut headers: ReuseMap<String, String> = ReuseMap::new();
    decode_in_place(br#"{"content-type":"application/json"}"#, &mut headers).unwrap();
    let (key, value) = headers.iter().next().unwrap();
    let buffers = (key.as_ptr(), value.as_ptr());
    decode_in_place(br#"{"etag":"xyz"}"#, &mut headers).unwrap();
    let (key, value) = headers.iter().next().unwrap();
    assert_eq!((key.as_str(), value.as_str()), ("etag", "xyz"));
    assert_eq!(
        (key.as_ptr(), value.as_ptr()),
        buffers,
        "key and value refilled in place"
    );

    let mut nested: ReuseVec<ReuseVec<String>> = ReuseVec::new();
    decode_in_place(br#"[["first row"],["second"]]"#, &mut nested).unwrap();
    let buffer = nested[0][0].as_ptr();
    decode_in_place(br#"[["again"]]"#, &mut nested).unwrap();
    assert_eq!(nested, [["again"]]);
    assert_eq!(nested[0][0].as_ptr(), buffer, "recursively");
    assert_eq!(nested.spare_count(), 1);
    assert!(nested.spares()[0].is_empty(), "the spare row is reset");
}

#[test]
fn a_repeated_key_keeps_its_first_place_and_last_value_in_place() {
    let input = br#"{"a":"1","b":"2","a":"3"}"#;
    let expected: HashMap<String, String> = serde_json::from_slice(input).unwrap();

    // With spares, the key decoded for the repeat goes back among them, reset.
    let mut map: ReuseMap<String, String> = ReuseMap::new();
    decode_in_place(br#"{"x":"9","y":"9","z":"9"}"#, &mut map).unwrap();
    decode_in_place(input, &mut map).unwrap();
    assert_eq!(
        map.iter().collect::<Vec<_>>(),
        [
            (&"a".to_owned(), &"3".to_owned()),
            (&"b".to_owned(), &"2".to_owned())
        ]
    );
    assert_eq!(
        map.iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<HashMap<_, _>>(),
        expected
    );
    assert_eq!(map.spare_count(), 1);
    check_map(&map);

    // Without: the new key made for the repeat is dropped, not kept as a spare.
    let mut map: ReuseMap<String, String> = ReuseMap::new();
    decode_in_place(input, &mut map).unwrap();
    assert_eq!((map.len(), map.spare_count()), (2, 0));
    assert_eq!(map["a"], "3");
    check_map(&map);

    // A repeated key whose value is a collection: the last one, not a merge.
    let mut lists: ReuseMap<String, ReuseVec<String>> = ReuseMap::new();
    decode_in_place(br#"{"a":["1","2"],"a":["3"]}"#, &mut lists).unwrap();
    assert_eq!(lists["a"], ["3"]);
}

#[test]
fn bad_input_is_an_error_and_leaves_a_clean_collection() {
    let vec_inputs: [&[u8]; 7] = [
        br#"["a","b""#,    // truncated
        br#"["a","b",3]"#, // mistyped element, after two good ones
        br#"["a",,"b"]"#,  // malformed
        br#"{"a":"b"}"#,   // mistyped collection
        br#"["a\ud800"]"#, // a bad escape inside the string being filled
        b"null",
        br#"["a","b"] ["c"]"#, // trailing data: an error of `end`, after the decode
    ];
    for input in vec_inputs {
        let mut tags: ReuseVec<String> = ["old", "data", "here"]
            .into_iter()
            .map(String::from)
            .collect();
        let result = decode_in_place(input, &mut tags);
        let text = String::from_utf8_lossy(input);
        assert!(
            serde_json::from_slice::<ReuseVec<String>>(input).is_err(),
            "{text}"
        );
        if text.ends_with("[\"c\"]") {
            // The decode itself succeeded: the caller's check for trailing data failed.
            assert_eq!(result, Err(Failed::End));
        } else {
            assert_eq!(result, Err(Failed::Decode), "{text}");
            assert!(tags.is_empty(), "{text} left {tags:?}");
        }
        check_vec(&tags);
    }

    let map_inputs: [&[u8]; 6] = [
        br#"{"a":"1","b":"#,           // truncated after a key
        br#"{"a":"1","b":2}"#,         // mistyped value, after a good entry
        br#"{"a":"1",2:"b"}"#,         // malformed key
        br#"{"a":"1","b\ud800":"2"}"#, // a bad escape in the key being filled
        br#"["a","b"]"#,               // mistyped collection
        br#"{"a":"1" "b":"2"}"#,       // malformed
    ];
    for input in map_inputs {
        let mut map: ReuseMap<String, String> = ReuseMap::new();
        decode_in_place(br#"{"old":"data","more":"data","even":"more"}"#, &mut map).unwrap();
        let text = String::from_utf8_lossy(input);
        assert_eq!(
            decode_in_place(input, &mut map),
            Err(Failed::Decode),
            "{text}"
        );
        assert!(map.is_empty(), "{text} left {map:?}");
        assert!(map.spare_count() <= 3, "{text}: a spare too many");
        check_map(&map);
        // And the next decode is whole.
        decode_in_place(br#"{"b":"2","a":"1"}"#, &mut map).unwrap();
        assert_eq!(map.keys().collect::<Vec<_>>(), ["b", "a"]);
        check_map(&map);
    }
}

proptest! {
    #![proptest_config(if cfg!(miri) {
        ProptestConfig { cases: 4, failure_persistence: None, ..ProptestConfig::default() }
    } else {
        ProptestConfig::with_cases(256)
    })]

    /// A sequence of inputs decoded into one vector, each in place, reads as each input
    /// decoded fresh.
    #[test]
    fn vec_decoded_in_place_equals_from_slice(inputs in vec(vec(text(), 0..6), 1..6)) {
        let mut place: ReuseVec<String> = ReuseVec::new();
        let mut most = 0;
        for input in inputs {
            let json = serde_json::to_vec(&input).unwrap();
            decode_in_place(&json, &mut place).unwrap();
            let fresh: ReuseVec<String> = serde_json::from_slice(&json).unwrap();
            prop_assert_eq!(&place, &fresh);
            prop_assert_eq!(&place, &input);
            check_vec(&place);
            most = most.max(input.len());
            prop_assert!(place.len() + place.spare_count() <= most, "more spares than ever held");
        }
    }

    /// The same for maps, repeated keys included, in insertion order.
    #[test]
    fn map_decoded_in_place_equals_from_slice(
        inputs in vec(vec((text(), text()), 0..6), 1..6)
    ) {
        let mut place: ReuseMap<String, String> = ReuseMap::new();
        let mut most = 0;
        for input in inputs {
            let json = json_object(&input);
            decode_in_place(&json, &mut place).unwrap();
            let fresh: ReuseMap<String, String> = serde_json::from_slice(&json).unwrap();
            prop_assert_eq!(place.iter().collect::<Vec<_>>(), fresh.iter().collect::<Vec<_>>());
            let std: HashMap<String, String> = serde_json::from_slice(&json).unwrap();
            prop_assert_eq!(place.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<HashMap<_, _>>(), std);
            check_map(&place);
            most = most.max(place.len());
            prop_assert!(place.len() + place.spare_count() <= most, "more spares than ever held");
        }
    }

    /// Nested: rows of strings, and a map of lists.
    #[test]
    fn nested_decoded_in_place_equals_from_slice(
        inputs in vec(vec(vec(text(), 0..4), 0..4), 1..5)
    ) {
        let mut rows: ReuseVec<ReuseVec<String>> = ReuseVec::new();
        let mut lists: ReuseMap<String, ReuseVec<String>> = ReuseMap::new();
        for input in inputs {
            let json = serde_json::to_vec(&input).unwrap();
            decode_in_place(&json, &mut rows).unwrap();
            let fresh: Vec<Vec<String>> = serde_json::from_slice(&json).unwrap();
            prop_assert_eq!(rows.iter().map(|row| row.to_vec()).collect::<Vec<_>>(), fresh);
            prop_assert!(rows.spares().iter().all(|row| row.is_empty() && row.spares().iter().all(String::is_empty)));

            let object: HashMap<String, Vec<String>> =
                input.iter().map(|row| (row.concat(), row.clone())).collect();
            let json = serde_json::to_vec(&object).unwrap();
            decode_in_place(&json, &mut lists).unwrap();
            let fresh: HashMap<String, Vec<String>> = serde_json::from_slice(&json).unwrap();
            prop_assert_eq!(lists.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect::<HashMap<_, _>>(), fresh);
            check_map(&lists);
        }
    }

    /// Any input cut short or with a byte changed: where `from_slice` fails, decoding in
    /// place fails too and leaves the collection empty with its spares reset; where it
    /// succeeds, both agree.
    #[test]
    fn damaged_input_in_place_agrees_with_from_slice(
        entries in vec((text(), text()), 1..6),
        cut in any::<prop::sample::Index>(),
        change in any::<prop::sample::Index>(),
        byte in prop::sample::select(&b"\",:{}[]1a\\ "[..]),
    ) {
        let mut inputs = Vec::new();
        let object = json_object(&entries);
        inputs.push(object[..cut.index(object.len())].to_vec());
        let mut changed = object.clone();
        changed[change.index(object.len())] = byte;
        inputs.push(changed);
        let list = serde_json::to_vec(&entries.iter().map(|(k, _)| k).collect::<Vec<_>>()).unwrap();
        let mut changed = list.clone();
        changed[change.index(list.len())] = byte;
        inputs.push(list[..cut.index(list.len())].to_vec());
        inputs.push(changed);

        for input in inputs {
            let mut map: ReuseMap<String, String> = ReuseMap::new();
            decode_in_place(&object, &mut map).unwrap();
            match serde_json::from_slice::<ReuseMap<String, String>>(&input) {
                Ok(fresh) => {
                    decode_in_place(&input, &mut map).unwrap();
                    prop_assert_eq!(map.iter().collect::<Vec<_>>(), fresh.iter().collect::<Vec<_>>());
                }
                Err(_) => match decode_in_place(&input, &mut map) {
                    Err(Failed::Decode) => prop_assert!(map.is_empty()),
                    // A whole map and then something: trailing data.
                    failed => prop_assert_eq!(failed, Err(Failed::End)),
                },
            }
            check_map(&map);

            let mut vec: ReuseVec<String> = ReuseVec::new();
            decode_in_place(&list, &mut vec).unwrap();
            match serde_json::from_slice::<ReuseVec<String>>(&input) {
                Ok(fresh) => {
                    decode_in_place(&input, &mut vec).unwrap();
                    prop_assert_eq!(&vec, &fresh);
                }
                Err(_) => match decode_in_place(&input, &mut vec) {
                    Err(Failed::Decode) => prop_assert!(vec.is_empty()),
                    failed => prop_assert_eq!(failed, Err(Failed::End)),
                },
            }
            check_vec(&vec);
        }
    }
}

/// A string that panics when it decodes "boom", after writing it: the half-decoded data
/// a panicking decode leaves behind.
#[derive(Default, Debug, PartialEq, Eq, Hash)]
struct Fragile(String);

impl Poolable for Fragile {
    fn reset(&mut self) {
        self.0.clear();
    }
}

impl<'de> Deserialize<'de> for Fragile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fragile = Fragile::default();
        Fragile::deserialize_in_place(deserializer, &mut fragile)?;
        Ok(fragile)
    }

    fn deserialize_in_place<D: serde::Deserializer<'de>>(
        deserializer: D,
        place: &mut Self,
    ) -> Result<(), D::Error> {
        String::deserialize_in_place(deserializer, &mut place.0)?;
        assert_ne!(place.0, "boom", "the decode panics");
        Ok(())
    }
}

#[test]
fn a_decode_that_panics_leaves_no_data_among_the_spares() {
    use std::panic::{AssertUnwindSafe, catch_unwind};

    let mut vec: ReuseVec<Fragile> = ReuseVec::new();
    decode_in_place(br#"["a","b","c"]"#, &mut vec).unwrap();
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        decode_in_place(br#"["x","boom"]"#, &mut vec)
    }));
    assert!(panicked.is_err());
    assert_eq!(
        vec,
        [Fragile("x".into()), Fragile("boom".into())],
        "half-decoded, but live"
    );
    assert!(vec.spares().iter().all(|spare| spare.0.is_empty()));

    let mut map: ReuseMap<Fragile, Fragile> = ReuseMap::new();
    decode_in_place(br#"{"a":"1","b":"2","c":"3"}"#, &mut map).unwrap();
    for input in [&br#"{"x":"1","boom":"2"}"#[..], br#"{"x":"boom"}"#] {
        let panicked = catch_unwind(AssertUnwindSafe(|| decode_in_place(input, &mut map)));
        assert!(panicked.is_err());
        map.check_index();
        for (key, value) in map.spares() {
            assert!(
                key.0.is_empty() && value.0.is_empty(),
                "a spare holds {key:?}: {value:?}"
            );
        }
        assert!(map.contains_key(&Fragile("x".into())));
    }
    // The key that panicked went with the unwinding: one spare fewer, none dirty.
    assert_eq!(map.len() + map.spare_count(), 2);
}
