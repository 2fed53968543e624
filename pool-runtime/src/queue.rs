//! The queue shared by all threads: one API over crossbeam's two queues.
//!
//! `ArrayQueue` never allocates after it is made, but it allocates every slot up front;
//! `SegQueue` allocates blocks of 31 slots as it grows and frees them as it shrinks. A
//! small pool gets the array (no allocation on the shared path, ever); a pool whose slots
//! would take more than [`ARRAY_BYTES_MAX`] gets the segmented queue, so that a pool
//! made with a large capacity costs nothing until it holds something. The pool's credits
//! (see `pool.rs`) bound what either holds to the pool's capacity.

#[cfg(not(loom))]
use crossbeam_queue::{ArrayQueue, SegQueue};

/// Above this many bytes of slots, the shared queue is segmented instead of preallocated.
pub(crate) const ARRAY_BYTES_MAX: usize = 64 * 1024;

/// Whether a pool of `capacity` objects of `T` gets a preallocated queue.
fn preallocate<T>(capacity: usize) -> bool {
    // Each ArrayQueue slot holds the value and a stamp.
    let slot = std::mem::size_of::<T>() + std::mem::size_of::<usize>();
    capacity > 0 && capacity.saturating_mul(slot) <= ARRAY_BYTES_MAX
}

#[cfg(not(loom))]
pub(crate) enum Queue<T> {
    Array(ArrayQueue<T>),
    Segmented(SegQueue<T>),
}

#[cfg(not(loom))]
impl<T> Queue<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        if preallocate::<T>(capacity) {
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

/// Under loom: the same API over a model-checked `Mutex<VecDeque>`, bounded as the array
/// queue would be. Loom cannot see inside crossbeam-queue; this stands in for it as a
/// linearizable FIFO, so that the models check the pool's own synchronisation around it.
#[cfg(loom)]
pub(crate) struct Queue<T> {
    items: crate::sync::Mutex<std::collections::VecDeque<T>>,
    /// `Some(capacity)` where crossbeam's `ArrayQueue` would be used.
    bound: Option<usize>,
}

#[cfg(loom)]
impl<T> Queue<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        Queue {
            items: crate::sync::Mutex::new(std::collections::VecDeque::new()),
            bound: preallocate::<T>(capacity).then_some(capacity),
        }
    }

    pub(crate) fn push(&self, value: T) -> Result<(), T> {
        let mut items = crate::sync::lock(&self.items);
        if self.bound.is_some_and(|bound| items.len() >= bound) {
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
        self.bound.is_some()
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
