//! [`Epoch`]: how many `clear`s and `trim`s a pool has had, and what a thread cache that
//! saw an older one must drop to catch up.

use crate::sync::{AtomicU64, Ordering};

/// A count of a pool's `clear`s and `trim`s, packed in one word so that a thread cache
/// checks both with one load: clears in the high 32 bits, trims in the low 32.
///
/// The counts wrap; only equality and small differences are compared. After 2^32 trims
/// the carry reads as a clear, which drops more than needed, never less.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Epoch(u64);

/// What a thread cache must drop to catch up from one epoch to a later one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CatchUp {
    /// Nothing happened since.
    Nothing,
    /// One trim: drop what sat idle since the previous trim.
    DropIdle,
    /// A clear, or two trims or more (the thread did not use the pool between them, or it
    /// would have caught up on the first, so all it holds sat idle a whole period):
    /// drop everything.
    DropAll,
}

const CLEAR: u64 = 1 << 32;
const TRIM: u64 = 1;

impl Epoch {
    fn clears(self) -> u32 {
        (self.0 >> 32) as u32
    }

    fn trims(self) -> u32 {
        self.0 as u32
    }

    /// What a cache that last saw `self` must drop to be current at `now`.
    pub(crate) fn catch_up_to(self, now: Epoch) -> CatchUp {
        if self.clears() != now.clears() || now.trims().wrapping_sub(self.trims()) >= 2 {
            CatchUp::DropAll
        } else if self.trims() != now.trims() {
            CatchUp::DropIdle
        } else {
            CatchUp::Nothing
        }
    }
}

/// A pool's current [`Epoch`], shared by its threads.
#[derive(Default)]
pub(crate) struct SharedEpoch(AtomicU64);

impl SharedEpoch {
    /// The epoch now. Relaxed: a cache that reads an older one catches up at its next use
    /// of the pool; what the clear or trim itself drops is done by the thread calling it.
    #[inline]
    pub(crate) fn load(&self) -> Epoch {
        Epoch(self.0.load(Ordering::Relaxed))
    }

    pub(crate) fn clear(&self) {
        self.0.fetch_add(CLEAR, Ordering::Relaxed);
    }

    pub(crate) fn trim(&self) {
        self.0.fetch_add(TRIM, Ordering::Relaxed);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn what_a_cache_drops_to_catch_up() {
        let epoch = SharedEpoch::default();
        let start = epoch.load();
        assert_eq!(start.catch_up_to(epoch.load()), CatchUp::Nothing);
        epoch.trim();
        assert_eq!(start.catch_up_to(epoch.load()), CatchUp::DropIdle);
        epoch.trim();
        assert_eq!(start.catch_up_to(epoch.load()), CatchUp::DropAll);
        let trimmed = epoch.load();
        epoch.clear();
        assert_eq!(trimmed.catch_up_to(epoch.load()), CatchUp::DropAll);
    }
}
