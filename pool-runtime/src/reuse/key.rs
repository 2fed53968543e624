//! [`ReuseKey`]: how a [`ReuseMap`](super::ReuseMap) fills a spare key from a borrowed one.

use std::borrow::Borrow;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// A key type that can be filled from its borrowed form `Q`, reusing its own allocation.
///
/// [`ReuseMap::insert_with`](super::ReuseMap::insert_with) takes the key borrowed (a
/// `&str` for a `String` key) and copies it into a spare key, already reset, with
/// [`fill_from`](ReuseKey::fill_from): a `String` key keeps its buffer, so inserting a
/// header name allocates nothing once the map has held that many entries.
/// [`from_borrowed`](ReuseKey::from_borrowed) makes a key when no spare is left.
///
/// Implemented for `String` from `str`, `Vec<T: Clone>` from `[T]`, `OsString` from
/// `OsStr`, `PathBuf` from `Path`, and every `Clone` type from itself (with
/// `clone_from`, which keeps the allocation of `String`, `Vec` and the like; integers,
/// `char` and other `Copy` keys are simply copied).
///
/// # Contract
///
/// After `fill_from(q)` or `from_borrowed(q)`, the key must `borrow()` as a value equal
/// to `q` that hashes as `q` does. A type that breaks this does not break the map's
/// memory safety: lookups may miss, and the map may then hold two equal keys, but no
/// call panics or misbehaves beyond wrong answers.
///
/// # Examples
///
/// A key type of your own:
///
/// ```
/// use std::borrow::Borrow;
/// use poolable::{Poolable, ReuseKey, ReuseMap};
///
/// #[derive(PartialEq, Eq, Hash, Default, Debug)]
/// struct HeaderName(String);
///
/// impl Borrow<str> for HeaderName {
///     fn borrow(&self) -> &str {
///         &self.0
///     }
/// }
///
/// impl Poolable for HeaderName {
///     fn reset(&mut self) {
///         self.0.clear();
///     }
/// }
///
/// impl ReuseKey<str> for HeaderName {
///     fn from_borrowed(name: &str) -> Self {
///         HeaderName(name.to_owned())
///     }
///
///     fn fill_from(&mut self, name: &str) {
///         self.0.push_str(name); // `self` is a spare: already reset, empty
///     }
/// }
///
/// let mut headers: ReuseMap<HeaderName, String> = ReuseMap::new();
/// headers.insert_with("host", |value| value.push_str("example.com"));
/// assert_eq!(headers["host"], "example.com");
/// ```
#[diagnostic::on_unimplemented(
    message = "a `{Self}` key cannot be filled from a `&{Q}`",
    label = "expected the key's borrowed form, found `&{Q}`",
    note = "pass the key's borrowed form: `&str` for a `String` key (write `*name` for a `&&str`), `&[T]` for a `Vec<T>` key, `&K` for a `Clone` key `K`",
    note = "a key type of your own can implement `ReuseKey<Q>` for its borrowed form `Q`"
)]
pub trait ReuseKey<Q: ?Sized>: Borrow<Q> {
    /// Makes a new key equal to `borrowed`; called when the map has no spare key.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseKey;
    ///
    /// assert_eq!(<String as ReuseKey<str>>::from_borrowed("host"), "host");
    /// ```
    fn from_borrowed(borrowed: &Q) -> Self;

    /// Makes this key, a spare the map has reset, equal to `borrowed`, reusing its
    /// allocation where it can.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::ReuseKey;
    ///
    /// let mut key = String::with_capacity(16);
    /// key.fill_from("host");
    /// assert_eq!(key, "host");
    /// assert!(key.capacity() >= 16);
    /// ```
    fn fill_from(&mut self, borrowed: &Q);
}

impl ReuseKey<str> for String {
    #[inline]
    fn from_borrowed(borrowed: &str) -> Self {
        borrowed.to_owned()
    }

    #[inline]
    fn fill_from(&mut self, borrowed: &str) {
        self.clear();
        self.push_str(borrowed);
    }
}

impl<T: Clone> ReuseKey<[T]> for Vec<T> {
    #[inline]
    fn from_borrowed(borrowed: &[T]) -> Self {
        borrowed.to_vec()
    }

    #[inline]
    fn fill_from(&mut self, borrowed: &[T]) {
        self.clear();
        self.extend_from_slice(borrowed);
    }
}

impl ReuseKey<OsStr> for OsString {
    fn from_borrowed(borrowed: &OsStr) -> Self {
        borrowed.to_owned()
    }

    fn fill_from(&mut self, borrowed: &OsStr) {
        self.clear();
        self.push(borrowed);
    }
}

impl ReuseKey<Path> for PathBuf {
    fn from_borrowed(borrowed: &Path) -> Self {
        borrowed.to_owned()
    }

    fn fill_from(&mut self, borrowed: &Path) {
        let inner = self.as_mut_os_string();
        inner.clear();
        inner.push(borrowed.as_os_str());
    }
}

impl<K: Clone> ReuseKey<K> for K {
    #[inline]
    fn from_borrowed(borrowed: &K) -> Self {
        borrowed.clone()
    }

    #[inline]
    fn fill_from(&mut self, borrowed: &K) {
        self.clone_from(borrowed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_keep_the_allocation() {
        let mut name = String::with_capacity(32);
        let buffer = name.as_ptr();
        name.fill_from("content-type");
        assert_eq!((name.as_str(), name.as_ptr()), ("content-type", buffer));

        let mut bytes: Vec<u8> = Vec::with_capacity(32);
        bytes.fill_from(&b"etag"[..]);
        assert_eq!(bytes, b"etag");

        let mut path = PathBuf::with_capacity(32);
        path.fill_from(Path::new("/tmp/x"));
        assert_eq!(path, Path::new("/tmp/x"));

        let mut os = OsString::new();
        os.fill_from(OsStr::new("x"));
        assert_eq!(os, "x");

        let mut owned = String::new();
        ReuseKey::<String>::fill_from(&mut owned, &"same".to_owned());
        assert_eq!(owned, "same");

        let mut number = 0u32;
        number.fill_from(&7);
        assert_eq!(number, 7);
    }
}
