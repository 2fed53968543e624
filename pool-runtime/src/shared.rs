//! The bottom layer: the queue every thread shares, and the pool's capacity as credits.
//!
//! # Capacity as credits
//!
//! A pool of capacity `c` has `c` credits. Every kept object holds one: an object in the
//! shared queue holds the credit it was pushed with, and a thread cache holds credits
//! for the objects it keeps (and may hold a few spare ones, so that its owner keeps
//! returns without touching shared memory). The credits nobody holds are the
//! [`room`](SharedQueue::take_room). A credit moves, it is never made: so at every
//! moment the objects kept, in the queue and in every cache, number at most `c`.
//!
//! This layer knows nothing of thread caches: it hands out and takes back credits, and
//! keeps objects that come with one.

use crate::queue::Queue;
use crate::sync::{AtomicUsize, Ordering};

/// The queue shared by all threads, and the pool's unheld credits.
pub(crate) struct SharedQueue<T> {
    capacity: usize,
    /// Credits held by nobody: `capacity` minus the objects in `queue` minus the credits
    /// thread caches hold (and those in transit between them).
    room: AtomicUsize,
    /// Never holds more than `capacity`: each object in it holds a credit.
    queue: Queue<T>,
    /// The shortest the queue has been since the last trim.
    low: AtomicUsize,
}

impl<T> SharedQueue<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        SharedQueue {
            capacity,
            room: AtomicUsize::new(capacity),
            queue: Queue::new(capacity),
            low: AtomicUsize::new(0),
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Takes up to `max` unheld credits; returns how many it took (0 when none is left).
    pub(crate) fn take_room(&self, max: usize) -> usize {
        if max == 0 {
            return 0;
        }
        match self
            .room
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |room| {
                (room > 0).then(|| room - room.min(max))
            }) {
            Ok(before) => before.min(max),
            Err(_) => 0,
        }
    }

    /// Gives `count` credits back.
    pub(crate) fn give_room(&self, count: usize) {
        if count > 0 {
            let before = self.room.fetch_add(count, Ordering::Relaxed);
            debug_assert!(
                before + count <= self.capacity,
                "credits are never made: {before} + {count} given back, capacity {}",
                self.capacity
            );
        }
    }

    /// Keeps `value` on a credit the caller holds. The queue has room for every credit,
    /// so this fails only if the caller's credit was not one: then `value` comes back
    /// and the credit stays the caller's to give back.
    pub(crate) fn push_credited(&self, value: T) -> Result<(), T> {
        self.queue.push(value)
    }

    /// Keeps `value` on a credit of the room; gives it back if there is none.
    pub(crate) fn push(&self, value: T) -> Result<(), T> {
        if self.take_room(1) == 0 {
            return Err(value);
        }
        self.push_credited(value).inspect_err(|_| self.give_room(1))
    }

    /// Takes the object that has waited longest; its credit is the caller's now.
    pub(crate) fn pop_credited(&self) -> Option<T> {
        let value = self.queue.pop()?;
        self.low.fetch_min(self.queue.len(), Ordering::Relaxed);
        Some(value)
    }

    /// Takes the object that has waited longest and gives its credit back.
    pub(crate) fn pop(&self) -> Option<T> {
        let value = self.pop_credited()?;
        self.give_room(1);
        Some(value)
    }

    pub(crate) fn len(&self) -> usize {
        self.queue.len()
    }

    /// The fewest objects the queue held since the last call, which starts a new period.
    pub(crate) fn take_low_water(&self) -> usize {
        self.low.swap(self.queue.len(), Ordering::Relaxed)
    }

    /// Resets the low-water mark to what the queue holds now (after a prefill).
    pub(crate) fn mark_low_water(&self) {
        self.low.store(self.queue.len(), Ordering::Relaxed);
    }

    /// The unheld credits now: for tests.
    #[cfg(all(test, not(loom)))]
    pub(crate) fn room(&self) -> usize {
        self.room.load(Ordering::Relaxed)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn credits_move_and_are_never_made() {
        let shared = SharedQueue::<u32>::new(3);
        assert_eq!(shared.take_room(2), 2);
        assert_eq!(shared.take_room(5), 1, "only what is left");
        assert_eq!(shared.take_room(1), 0);
        assert_eq!(shared.push(7), Err(7), "no credit, no room");
        shared.push_credited(7).unwrap();
        assert_eq!(shared.pop_credited(), Some(7));
        shared.give_room(3);
        assert_eq!(shared.room(), 3);
        for value in 0..3 {
            shared.push(value).unwrap();
        }
        assert_eq!(shared.push(9), Err(9));
        assert_eq!(shared.pop(), Some(0));
        assert_eq!(shared.room(), 1);
    }
}
