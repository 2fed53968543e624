//! [`Poolable`] for widely used collection crates, each behind the cargo feature of the
//! same name, off by default. Like the std collections, each is cleared and keeps its
//! capacity.
//!
//! `bytes::Bytes` is left out on purpose: it is a shared, reference-counted view, and a
//! pool would keep other owners' data alive. `BytesMut` is unique and is pooled.

#[cfg(any(
    feature = "bytes",
    feature = "hashbrown",
    feature = "indexmap",
    feature = "smallvec"
))]
use crate::Poolable;

#[cfg(feature = "bytes")]
#[diagnostic::do_not_recommend]
impl Poolable for bytes::BytesMut {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

#[cfg(feature = "hashbrown")]
#[diagnostic::do_not_recommend]
impl<K, V, S> Poolable for hashbrown::HashMap<K, V, S> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

#[cfg(feature = "hashbrown")]
#[diagnostic::do_not_recommend]
impl<T, S> Poolable for hashbrown::HashSet<T, S> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

#[cfg(feature = "indexmap")]
#[diagnostic::do_not_recommend]
impl<K, V, S> Poolable for indexmap::IndexMap<K, V, S> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

#[cfg(feature = "indexmap")]
#[diagnostic::do_not_recommend]
impl<T, S> Poolable for indexmap::IndexSet<T, S> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

#[cfg(feature = "smallvec")]
#[diagnostic::do_not_recommend]
impl<A: smallvec::Array> Poolable for smallvec::SmallVec<A> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    #[allow(unused_imports)]
    use crate::Poolable;

    #[cfg(feature = "bytes")]
    #[test]
    fn bytes_mut_clears_and_keeps_capacity() {
        let mut buffer = bytes::BytesMut::with_capacity(512);
        buffer.extend_from_slice(b"secret");
        buffer.reset();
        assert!(buffer.is_empty() && buffer.capacity() >= 512);
    }

    #[cfg(feature = "hashbrown")]
    #[test]
    fn hashbrown_clears_and_keeps_capacity() {
        let mut map: hashbrown::HashMap<u32, u32> = (0..100).map(|i| (i, i)).collect();
        let capacity = map.capacity();
        map.reset();
        assert!(map.is_empty() && map.capacity() == capacity);
        let mut set: hashbrown::HashSet<u32> = (0..100).collect();
        set.reset();
        assert!(set.is_empty() && set.capacity() >= 100);
    }

    #[cfg(feature = "indexmap")]
    #[test]
    fn indexmap_clears_and_keeps_capacity() {
        let mut map: indexmap::IndexMap<u32, u32> = (0..100).map(|i| (i, i)).collect();
        map.reset();
        assert!(map.is_empty() && map.capacity() >= 100);
        let mut set: indexmap::IndexSet<u32> = (0..100).collect();
        set.reset();
        assert!(set.is_empty() && set.capacity() >= 100);
    }

    #[cfg(feature = "smallvec")]
    #[test]
    fn smallvec_clears_and_keeps_its_heap_buffer() {
        let mut small: smallvec::SmallVec<[u8; 4]> = (0..64).collect();
        assert!(small.spilled());
        small.reset();
        assert!(small.is_empty() && small.capacity() >= 64);
    }
}
