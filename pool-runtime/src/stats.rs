//! What a pool counts, and the per-thread counters that count it without sharing a
//! cache line.

use std::fmt;

use crate::sync::{AtomicU64, Ordering};

/// Something that happened to an object, as counted in [`Stats`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Event {
    Made,
    Reused,
    Returned,
    Put,
    DroppedFull,
    DroppedPanicking,
    DroppedCleared,
    Detached,
}

const EVENTS: usize = 8;

/// One counter per [`Event`].
///
/// A thread's own counters have one writer, that thread, so it counts with a plain load
/// and store ([`Counters::add_own`]): no read-modify-write on the hot path. Readers
/// ([`Pool::stats`](crate::Pool::stats)) may see a count a moment old, never a torn one.
#[derive(Default)]
pub(crate) struct Counters([AtomicU64; EVENTS]);

impl Counters {
    /// Counts on counters only the calling thread writes.
    #[inline]
    pub(crate) fn add_own(&self, event: Event, n: u64) {
        let counter = &self.0[event as usize];
        counter.store(counter.load(Ordering::Relaxed) + n, Ordering::Relaxed);
    }

    /// One count, as last written.
    #[inline]
    pub(crate) fn get(&self, event: Event) -> u64 {
        self.0[event as usize].load(Ordering::Relaxed)
    }

    /// Counts on counters any thread may write.
    pub(crate) fn add_shared(&self, event: Event, n: u64) {
        self.0[event as usize].fetch_add(n, Ordering::Relaxed);
    }

    /// Adds every count of `other` to these shared counters.
    pub(crate) fn absorb(&self, other: &Counters) {
        for (mine, theirs) in self.0.iter().zip(&other.0) {
            mine.fetch_add(theirs.load(Ordering::Relaxed), Ordering::Relaxed);
        }
    }

    pub(crate) fn add_to(&self, totals: &mut [u64; EVENTS]) {
        for (total, counter) in totals.iter_mut().zip(&self.0) {
            *total += counter.load(Ordering::Relaxed);
        }
    }
}

/// A snapshot of what a pool has done, to check that pooling pays.
///
/// Counts are totals since the pool was made. Taken while other threads use the pool, a
/// snapshot may be a moment behind for some threads, and its counts need not agree with
/// each other (a return may show before the borrow it ends); when no object is in flight
/// the counts balance exactly:
///
/// `made + put == kept + out + dropped_full + dropped_panicking + dropped_cleared + detached`
///
/// # Examples
///
/// ```
/// use pool_runtime::Pool;
///
/// let pool: Pool<Vec<u8>> = Pool::new();
/// drop(pool.get()); // made, then returned
/// drop(pool.get()); // reused, then returned
///
/// let stats = pool.stats();
/// assert_eq!((stats.made, stats.reused, stats.returned), (1, 1, 2));
/// assert_eq!((stats.kept, stats.out), (1, 0));
/// assert_eq!(stats.hit_rate(), 0.5);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Objects the factory made because the pool had none to lend (prefill included).
    pub made: u64,
    /// Borrows served by an object the pool kept.
    pub reused: u64,
    /// Guards dropped normally: their object was reset and offered back (prefill
    /// included). Whether it was kept is in `dropped_full`.
    pub returned: u64,
    /// Values offered with [`Pool::put`](crate::Pool::put).
    pub put: u64,
    /// Returned or put objects dropped because the pool already kept `capacity`.
    pub dropped_full: u64,
    /// Objects dropped because their guard was dropped during a panic, or their reset
    /// panicked.
    pub dropped_panicking: u64,
    /// Kept objects dropped by [`clear`](crate::Pool::clear) or
    /// [`trim`](crate::Pool::trim).
    pub dropped_cleared: u64,
    /// Objects taken out for good with `Pooled::detach` or `OwnedPooled::detach`.
    pub detached: u64,
    /// Objects the pool keeps now, ready to lend.
    pub kept: u64,
    /// Objects lent now: guards alive.
    pub out: u64,
}

impl Stats {
    pub(crate) fn from_totals(totals: [u64; EVENTS]) -> Stats {
        let count = |event: Event| totals[event as usize];
        let made = count(Event::Made);
        let reused = count(Event::Reused);
        let returned = count(Event::Returned);
        let put = count(Event::Put);
        let dropped_full = count(Event::DroppedFull);
        let dropped_panicking = count(Event::DroppedPanicking);
        let dropped_cleared = count(Event::DroppedCleared);
        let detached = count(Event::Detached);
        // Counters of different threads are read one after another, so mid-flight a
        // difference can dip below zero for a moment; it never does at rest.
        let kept = (returned + put).saturating_sub(dropped_full + reused + dropped_cleared);
        let out = (made + reused).saturating_sub(returned + dropped_panicking + detached);
        Stats {
            made,
            reused,
            returned,
            put,
            dropped_full,
            dropped_panicking,
            dropped_cleared,
            detached,
            kept,
            out,
        }
    }

    /// The share of borrows served without making an object: `reused / (reused + made)`,
    /// or 0 before the first borrow.
    ///
    /// Near 1 once warm means pooling pays; near 0 means objects are not coming back
    /// (held, detached, or dropped because the pool is too small: see `dropped_full`).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: pool_runtime::Pool<String> = pool_runtime::Pool::new();
    /// assert_eq!(pool.stats().hit_rate(), 0.0);
    /// for _ in 0..4 {
    ///     drop(pool.get()); // made once, then reused three times
    /// }
    /// assert_eq!(pool.stats().hit_rate(), 0.75);
    /// ```
    pub fn hit_rate(&self) -> f64 {
        let borrows = self.reused + self.made;
        if borrows == 0 {
            0.0
        } else {
            self.reused as f64 / borrows as f64
        }
    }

    /// Objects dropped for any reason: full, panicking or cleared.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: pool_runtime::Pool<String> = pool_runtime::Pool::with_capacity(1);
    /// let (a, b) = (pool.get(), pool.get());
    /// drop((a, b)); // one is kept, the other dropped: the pool is full
    /// pool.clear(); // the kept one is dropped too
    /// let stats = pool.stats();
    /// assert_eq!((stats.dropped_full, stats.dropped_cleared, stats.dropped()), (1, 1, 2));
    /// ```
    pub fn dropped(&self) -> u64 {
        self.dropped_full + self.dropped_panicking + self.dropped_cleared
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "made {}, reused {} (hit rate {:.1}%), returned {}, put {}, dropped {} \
             (full {}, panicking {}, cleared {}), detached {}, kept {}, out {}",
            self.made,
            self.reused,
            self.hit_rate() * 100.0,
            self.returned,
            self.put,
            self.dropped(),
            self.dropped_full,
            self.dropped_panicking,
            self.dropped_cleared,
            self.detached,
            self.kept,
            self.out,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_and_out_follow_from_the_events() {
        let counters = Counters::default();
        counters.add_own(Event::Made, 3);
        counters.add_own(Event::Returned, 2);
        counters.add_own(Event::Reused, 1);
        counters.add_shared(Event::Detached, 1);
        let mut totals = [0; EVENTS];
        counters.add_to(&mut totals);
        let stats = Stats::from_totals(totals);
        assert_eq!((stats.kept, stats.out), (1, 1));
        assert_eq!(stats.hit_rate(), 0.25);
    }

    #[test]
    fn a_fresh_pool_has_no_hit_rate() {
        assert_eq!(Stats::default().hit_rate(), 0.0);
    }

    #[test]
    fn display_names_every_count() {
        let text = Stats::default().to_string();
        for word in [
            "made", "reused", "returned", "dropped", "detached", "kept", "out",
        ] {
            assert!(text.contains(word), "{text}");
        }
    }
}
