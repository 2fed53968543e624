//! The queue shared by all threads: one API over crossbeam's two queues.
//!
//! `ArrayQueue` never allocates after it is made, but it allocates every slot up front;
//! `SegQueue` allocates blocks of 31 slots as it grows and frees them as it shrinks. A
//! small pool gets the array (no allocation on the shared path, ever); a pool whose slots
//! would take more than [`ARRAY_BYTES_MAX`] gets the segmented queue, so that a pool
//! made with a large capacity costs nothing until it holds something. The pool's credits
//! (see `pool.rs`) bound what either holds to the pool's capacity.

use crossbeam_queue::{ArrayQueue, SegQueue};

/// Above this many bytes of slots, the shared queue is segmented instead of preallocated.
pub(crate) const ARRAY_BYTES_MAX: usize = 64 * 1024;

pub(crate) enum Queue<T> {
    Array(ArrayQueue<T>),
    Segmented(SegQueue<T>),
}

impl<T> Queue<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        // Each ArrayQueue slot holds the value and a stamp.
        let slot = std::mem::size_of::<T>() + std::mem::size_of::<usize>();
        if capacity > 0 && capacity.saturating_mul(slot) <= ARRAY_BYTES_MAX {
            Queue::Array(ArrayQueue::new(capacity))
        } else {
            Queue::Segmented(SegQueue::new())
        }
    }

    /// Adds `value` at the back; gives it back when an array queue is full.
    pub(crate) fn push(&self, value: T) -> Result<(), T> {
        match self {
            Queue::Array(queue) => queue.push(value),
            Queue::Segmented(queue) => {
                queue.push(value);
                Ok(())
            }
        }
    }

    /// Takes the value that has waited longest.
    pub(crate) fn pop(&self) -> Option<T> {
        match self {
            Queue::Array(queue) => queue.pop(),
            Queue::Segmented(queue) => queue.pop(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Queue::Array(queue) => queue.len(),
            Queue::Segmented(queue) => queue.len(),
        }
    }

    #[cfg(test)]
    pub(crate) fn is_preallocated(&self) -> bool {
        matches!(self, Queue::Array(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_pools_get_an_array_and_large_ones_grow() {
        assert!(Queue::<u64>::new(16).is_preallocated());
        assert!(!Queue::<[u8; 4096]>::new(1024).is_preallocated());
        assert!(!Queue::<u64>::new(0).is_preallocated());
    }

    #[test]
    fn fifo_in_both_shapes() {
        for queue in [Queue::new(4), Queue::new(1 << 20)] {
            queue.push(1).unwrap();
            queue.push(2).unwrap();
            assert_eq!(queue.len(), 2);
            assert_eq!(queue.pop(), Some(1));
            assert_eq!(queue.pop(), Some(2));
            assert_eq!(queue.pop(), None);
        }
    }
}
