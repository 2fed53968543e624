//! Decode in place (feature `serde`): a pooled object filled by a serde `Deserializer`,
//! its strings, buffers and spares refilled instead of allocated again.

use serde::de::{Deserialize, Deserializer};

use crate::sync::Arc;
use crate::{OwnedPooled, Pool, Poolable, Pooled};

impl<T: Poolable + 'static> Pool<T> {
    /// Borrows an object and decodes `deserializer` into it, in place: the decoded value
    /// lands in the allocations the object kept from its last use.
    ///
    /// This is [`get`](Pool::get) followed by serde's
    /// [`Deserialize::deserialize_in_place`]. With a type that derives `Deserialize`, each
    /// field is decoded in place in turn; strings and `Vec<u8>` refill their capacity,
    /// [`ReuseVec`](crate::ReuseVec) and [`ReuseMap`](crate::ReuseMap) their spares, and
    /// in steady state a decode allocates nothing. A field type without an in-place
    /// decode (`HashMap`, `Option<T>`, ...) is decoded fresh and assigned, as serde does
    /// by default: it works, it just allocates. The crate docs' "Decode in place" section
    /// lists which types reuse.
    ///
    /// The object was reset when it came back to the pool, so fields the input leaves
    /// out (`#[serde(default)]`) hold their fresh value, never an earlier user's.
    ///
    /// # Errors
    ///
    /// The deserializer's error, as serde reports it, when the input is malformed, cut
    /// short, or of the wrong shape. The half-decoded object is not handed out: it goes
    /// back to the pool through its reset, as a dropped guard does, so nothing of the
    /// bad input reaches the next user. The one exception is a field the derive leaves
    /// alone, `#[pool(skip)]`: what serde wrote into it stays, so give such a field
    /// `#[serde(skip)]` too, or do not skip it.
    ///
    /// A deserializer may stop at the end of a value without looking further:
    /// `serde_json`'s does, so call its `end()` after a successful decode to refuse
    /// trailing input, as `serde_json::from_slice` does.
    ///
    /// # Panics
    ///
    /// When the pool's factory panics, or `T`'s `Deserialize` does; the object is then
    /// dropped, not returned, and the pool stays usable.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::{Pool, Poolable};
    /// use serde::Deserialize;
    ///
    /// #[derive(Poolable, Default, Deserialize)]
    /// struct Order {
    ///     id: String,
    ///     body: Vec<u8>,
    /// }
    ///
    /// let pool: Pool<Order> = Pool::new();
    /// let json = br#"{"id": "A-17", "body": [1, 2, 3]}"#;
    /// let mut input = serde_json::Deserializer::from_slice(json);
    /// let order = pool.decode(&mut input)?;
    /// input.end()?; // nothing may follow the value
    /// assert_eq!((order.id.as_str(), &order.body[..]), ("A-17", &[1, 2, 3][..]));
    /// drop(order); // reset and kept, with its string and buffer
    ///
    /// // Bad input is serde's error; the object went back, reset.
    /// let truncated = br#"{"id": "A-18", "bo"#;
    /// assert!(pool.decode(&mut serde_json::Deserializer::from_slice(truncated)).is_err());
    /// assert_eq!(pool.get().id, "");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn decode<'de, D>(&self, deserializer: D) -> Result<Pooled<'_, T>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        let mut object = self.get();
        // On error `object` is dropped here: reset and returned, as every guard is.
        T::deserialize_in_place(deserializer, &mut object)?;
        Ok(object)
    }

    /// Like [`decode`](Pool::decode), for a pool in an [`Arc`]: the guard is
    /// [`OwnedPooled`], `'static`, and `Send` when `T: Send`, for a spawned task.
    ///
    /// # Errors
    ///
    /// As [`decode`](Pool::decode): serde's error, the object reset and returned.
    ///
    /// # Panics
    ///
    /// As [`decode`](Pool::decode).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use poolable::Pool;
    ///
    /// let pool: Arc<Pool<Vec<String>>> = Arc::new(Pool::new());
    /// let mut input = serde_json::Deserializer::from_str(r#"["a", "b"]"#);
    /// let tags = pool.decode_owned(&mut input)?;
    /// let task = std::thread::spawn(move || tags.len());
    /// assert_eq!(task.join().unwrap(), 2);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn decode_owned<'de, D>(
        self: &Arc<Self>,
        deserializer: D,
    ) -> Result<OwnedPooled<T>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        let mut object = self.get_owned();
        T::deserialize_in_place(deserializer, &mut object)?;
        Ok(object)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use serde::Deserialize;

    use super::*;

    thread_local! {
        static RESETS: Cell<usize> = const { Cell::new(0) };
    }

    /// Counts its resets, to see that a failed decode goes back through one.
    #[derive(Default, Deserialize)]
    struct Counted {
        name: String,
        size: u32,
    }

    impl Poolable for Counted {
        fn reset(&mut self) {
            RESETS.with(|n| n.set(n.get() + 1));
            self.name.clear();
            self.size = 0;
        }
    }

    #[test]
    fn a_failed_decode_resets_and_returns_the_object() {
        let pool: Pool<Counted> = Pool::new();
        let before = RESETS.with(Cell::get);
        // `name` is decoded before `size` fails.
        let bad = r#"{"name": "half-written", "size": "large"}"#;
        let error = pool
            .decode(&mut serde_json::Deserializer::from_str(bad))
            .err()
            .expect("a string is not a u32");
        assert!(error.is_data(), "{error}");
        assert_eq!(RESETS.with(Cell::get), before + 1);
        let stats = pool.stats();
        assert_eq!((stats.returned, stats.kept, stats.out), (1, 1, 0));
        let next = pool.get();
        assert_eq!((next.name.as_str(), next.size), ("", 0));
        assert!(
            next.name.capacity() >= "half-written".len(),
            "capacity kept"
        );
    }

    #[test]
    fn decode_owned_resets_on_error_too() {
        let pool = Arc::new(Pool::<Counted>::new());
        let before = RESETS.with(Cell::get);
        let bad = r#"{"name": "cut"#;
        assert!(
            pool.decode_owned(&mut serde_json::Deserializer::from_str(bad))
                .is_err()
        );
        assert_eq!(RESETS.with(Cell::get), before + 1);
        assert_eq!(pool.stats().kept, 1);
        let good = r#"{"name": "whole", "size": 3}"#;
        let object = pool
            .decode_owned(&mut serde_json::Deserializer::from_str(good))
            .unwrap();
        assert_eq!((object.name.as_str(), object.size), ("whole", 3));
        assert_eq!(pool.stats().reused, 1);
    }
}
