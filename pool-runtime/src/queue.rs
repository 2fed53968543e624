//! The queue shared by all threads: one bounded API over crossbeam's two queues.
//!
//! The queue holds at most its `bound` objects (a pool gives it its whole capacity); a
//! push beyond that fails. The capacity itself is enforced by the credits of
//! `shared.rs`, which the queue's objects and the thread caches' share.
//!
//! `ArrayQueue` never allocates after it is made, but it allocates every slot up front,
//! and bounds itself; `SegQueue` allocates blocks of slots as it grows and frees them as
//! it shrinks, and is bounded here by a counter. A small pool gets the array (no
//! allocation on the shared path, ever); a pool whose slots would take more than
//! [`ARRAY_BYTES_MAX`] gets the segmented queue, so that a pool made with a large capacity
//! costs nothing until it holds something.

#[cfg(not(loom))]
use crossbeam_queue::{ArrayQueue, SegQueue};

#[cfg(not(loom))]
use crate::sync::{AtomicUsize, Ordering};

/// Above this many bytes of slots, the shared queue is segmented instead of preallocated.
pub(crate) const ARRAY_BYTES_MAX: usize = 64 * 1024;

/// Whether a queue of `bound` objects of `T` is preallocated.
fn preallocate<T>(bound: usize) -> bool {
    // Each ArrayQueue slot holds the value and a stamp.
    let slot = std::mem::size_of::<T>() + std::mem::size_of::<usize>();
    bound > 0 && bound.saturating_mul(slot) <= ARRAY_BYTES_MAX
}

#[cfg(not(loom))]
pub(crate) enum Queue<T> {
    Array(ArrayQueue<T>),
    Segmented {
        queue: SegQueue<T>,
        /// Objects pushed and not yet popped, counted before the push: never above
        /// `bound`, and never below `queue.len()`.
        len: AtomicUsize,
        bound: usize,
    },
}

#[cfg(not(loom))]
impl<T> Queue<T> {
    /// A queue that holds at most `bound` objects (0: holds nothing).
    pub(crate) fn new(bound: usize) -> Self {
        if preallocate::<T>(bound) {
            Queue::Array(ArrayQueue::new(bound))
        } else {
            Queue::Segmented {
                queue: SegQueue::new(),
                len: AtomicUsize::new(0),
                bound,
            }
        }
    }

    /// Adds `value` at the back; gives it back when the queue holds its bound already.
    pub(crate) fn push(&self, value: T) -> Result<(), T> {
        match self {
            Queue::Array(queue) => queue.push(value),
            Queue::Segmented { queue, len, bound } => {
                let room = len.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |len| {
                    (len < *bound).then_some(len + 1)
                });
                if room.is_err() {
                    return Err(value);
                }
                queue.push(value);
                Ok(())
            }
        }
    }

    /// Takes the value that has waited longest.
    pub(crate) fn pop(&self) -> Option<T> {
        match self {
            Queue::Array(queue) => queue.pop(),
            Queue::Segmented { queue, len, .. } => {
                let value = queue.pop()?;
                len.fetch_sub(1, Ordering::Relaxed);
                Some(value)
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Queue::Array(queue) => queue.len(),
            Queue::Segmented { queue, .. } => queue.len(),
        }
    }

    #[cfg(test)]
    pub(crate) fn is_preallocated(&self) -> bool {
        matches!(self, Queue::Array(_))
    }
}

/// Under loom: the same API over a model-checked `Mutex<VecDeque>`, bounded the same way.
/// Loom cannot see inside crossbeam-queue; this stands in for it as a linearizable
/// bounded FIFO, so that the models check the pool's own synchronisation around it.
#[cfg(loom)]
pub(crate) struct Queue<T> {
    items: crate::sync::Mutex<std::collections::VecDeque<T>>,
    bound: usize,
}

#[cfg(loom)]
impl<T> Queue<T> {
    pub(crate) fn new(bound: usize) -> Self {
        Queue {
            items: crate::sync::Mutex::new(std::collections::VecDeque::new()),
            bound,
        }
    }

    pub(crate) fn push(&self, value: T) -> Result<(), T> {
        let mut items = crate::sync::lock(&self.items);
        if items.len() >= self.bound {
            return Err(value);
        }
        items.push_back(value);
        Ok(())
    }

    pub(crate) fn pop(&self) -> Option<T> {
        crate::sync::lock(&self.items).pop_front()
    }

    pub(crate) fn len(&self) -> usize {
        crate::sync::lock(&self.items).len()
    }

    #[cfg(test)]
    pub(crate) fn is_preallocated(&self) -> bool {
        preallocate::<T>(self.bound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_queues_get_an_array_and_large_ones_grow() {
        assert!(Queue::<u64>::new(16).is_preallocated());
        assert!(!Queue::<[u8; 4096]>::new(1024).is_preallocated());
        assert!(!Queue::<u64>::new(0).is_preallocated());
    }

    #[test]
    fn fifo_and_bounded_in_both_shapes() {
        for queue in [Queue::<u32>::new(2), Queue::<u32>::new(0)] {
            let bound = if queue.is_preallocated() { 2 } else { 0 };
            for value in 0..bound as u32 {
                queue.push(value).unwrap();
            }
            assert_eq!(queue.push(99), Err(99), "a push beyond the bound fails");
            assert_eq!(queue.len(), bound);
            for value in 0..bound as u32 {
                assert_eq!(queue.pop(), Some(value));
            }
            assert_eq!(queue.pop(), None);
        }
        let large = Queue::<[u64; 8192]>::new(2);
        assert!(!large.is_preallocated());
        large.push([1; 8192]).unwrap();
        large.push([2; 8192]).unwrap();
        assert!(
            large.push([3; 8192]).is_err(),
            "the segmented queue is bounded too"
        );
        assert_eq!(large.pop().map(|v| v[0]), Some(1));
        large.push([4; 8192]).unwrap();
        assert_eq!(large.len(), 2);
    }
}
