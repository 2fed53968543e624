//! What a pool counts, and the per-thread counters that count it without sharing a
//! cache line.

use std::fmt;

use crate::sync::{AtomicU64, Ordering};

/// Declares [`Event`] and [`EVENTS`], its number of variants, from one list, so that
/// the counter arrays always have exactly one counter per event.
macro_rules! events {
    ($($(#[$doc:meta])* $event:ident,)*) => {
        /// Something that happened to an object, as counted in [`Stats`].
        #[derive(Clone, Copy, Debug)]
        pub(crate) enum Event {
            $($(#[$doc])* $event,)*
        }

        /// How many kinds of [`Event`] there are: the length of every counter array.
        pub(crate) const EVENTS: usize = [$(stringify!($event)),*].len();
    };
}

events! {
    /// The factory made an object for a borrower.
    Made,
    /// A borrower got an object the pool kept.
    Reused,
    /// A guard gave its object back (whether it was then kept or not).
    Returned,
    /// A value was offered with `put`.
    Put,
    /// The builder's prefill made an object and kept it.
    Prefilled,
    /// An object offered back was dropped: the pool was full.
    DroppedFull,
    /// An object was dropped because a panic interrupted its user or its reset.
    DroppedPanicking,
    /// A kept object was dropped by `clear` or `trim`.
    DroppedCleared,
    /// An object offered back was dropped: `keep_if` refused it.
    DroppedRefused,
    /// A guard's object was taken out for good.
    Detached,
}

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
/// Counts are totals since the pool was made; [`since`](Stats::since) (or `-`) turns two
/// snapshots into the counts of the phase between them. Taken while other threads use the
/// pool, a snapshot may be a moment behind for some threads, and its counts need not agree
/// with each other (a return may show before the borrow it ends); when no object is in
/// flight the counts balance exactly:
///
/// `made + put == kept + out + dropped_full + dropped_panicking + dropped_cleared + dropped_refused + detached`
///
/// # Examples
///
/// ```
/// use poolable::Pool;
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
    /// Objects the factory made, prefill included: borrows that found nothing to reuse,
    /// plus [`prefilled`](Stats::prefilled).
    ///
    /// Once warm, this is about the most objects in use at once: a thread that finds
    /// nothing in its cache or the shared queue takes what other threads' idle caches
    /// hold before it makes one. (A cache whose owner is inside it at that moment is
    /// skipped, so under contention `made` can run a little higher.)
    pub made: u64,
    /// Borrows served by an object the pool kept.
    pub reused: u64,
    /// Guards given back normally (dropped, not detached, not during a panic), and
    /// nothing else. Whether the object was then kept is in `dropped_full` and
    /// `dropped_refused`.
    pub returned: u64,
    /// Values offered with [`Pool::put`](crate::Pool::put).
    pub put: u64,
    /// Objects the builder's [`prefill`](crate::PoolBuilder::prefill) made and kept;
    /// also counted in `made`.
    pub prefilled: u64,
    /// Returned or put objects dropped because the pool was full.
    pub dropped_full: u64,
    /// Objects dropped because their guard was dropped during a panic, or their reset
    /// or `keep_if` panicked.
    pub dropped_panicking: u64,
    /// Kept objects dropped by [`clear`](crate::Pool::clear),
    /// [`trim`](crate::Pool::trim) or [`trim_all`](crate::trim_all).
    pub dropped_cleared: u64,
    /// Returned or put objects dropped because the pool's
    /// [`keep_if`](crate::PoolBuilder::keep_if) refused them.
    pub dropped_refused: u64,
    /// Objects taken out for good with `Pooled::detach` or `OwnedPooled::detach`.
    pub detached: u64,
    /// Objects the pool keeps now, ready to lend (thread caches included).
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
        let prefilled = count(Event::Prefilled);
        let dropped_full = count(Event::DroppedFull);
        let dropped_panicking = count(Event::DroppedPanicking);
        let dropped_cleared = count(Event::DroppedCleared);
        let dropped_refused = count(Event::DroppedRefused);
        let detached = count(Event::Detached);
        // Counters of different threads are read one after another, so mid-flight a
        // difference can dip below zero for a moment; it never does at rest.
        let kept = (returned + put + prefilled)
            .saturating_sub(dropped_full + dropped_refused + reused + dropped_cleared);
        // `made` counts only what borrowers were given: prefilled objects were never out.
        let out = (made + reused).saturating_sub(returned + dropped_panicking + detached);
        Stats {
            made: made + prefilled,
            reused,
            returned,
            put,
            prefilled,
            dropped_full,
            dropped_panicking,
            dropped_cleared,
            dropped_refused,
            detached,
            kept,
            out,
        }
    }

    /// What happened between `earlier` and this snapshot: every count is the difference;
    /// `kept` and `out`, which are levels, not counts, are this snapshot's.
    ///
    /// `stats - earlier` is the same.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: poolable::Pool<String> = poolable::Pool::new();
    /// drop(pool.get()); // warm-up: made
    /// let warm = pool.stats();
    /// for _ in 0..3 {
    ///     drop(pool.get()); // reused
    /// }
    /// let phase = pool.stats().since(&warm);
    /// assert_eq!((phase.made, phase.reused, phase.hit_rate()), (0, 3, 1.0));
    /// assert_eq!(phase, pool.stats() - warm);
    /// ```
    #[must_use = "`since` computes a new snapshot; it does not change either"]
    pub fn since(&self, earlier: &Stats) -> Stats {
        let less = |now: u64, then: u64| now.saturating_sub(then);
        Stats {
            made: less(self.made, earlier.made),
            reused: less(self.reused, earlier.reused),
            returned: less(self.returned, earlier.returned),
            put: less(self.put, earlier.put),
            prefilled: less(self.prefilled, earlier.prefilled),
            dropped_full: less(self.dropped_full, earlier.dropped_full),
            dropped_panicking: less(self.dropped_panicking, earlier.dropped_panicking),
            dropped_cleared: less(self.dropped_cleared, earlier.dropped_cleared),
            dropped_refused: less(self.dropped_refused, earlier.dropped_refused),
            detached: less(self.detached, earlier.detached),
            kept: self.kept,
            out: self.out,
        }
    }

    /// The share of borrows served without making an object:
    /// `reused / (reused + made - prefilled)`, or 0 before the first borrow. Prefilled
    /// objects were made before any borrow, so they count as neither hits nor misses.
    ///
    /// Near 1 once warm means pooling pays; near 0 means objects are not coming back
    /// (held, detached, or dropped because the pool is too small: see `dropped_full`).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: poolable::Pool<String> = poolable::Pool::new();
    /// assert_eq!(pool.stats().hit_rate(), 0.0);
    /// for _ in 0..4 {
    ///     drop(pool.get()); // made once, then reused three times
    /// }
    /// assert_eq!(pool.stats().hit_rate(), 0.75);
    ///
    /// // Objects made in advance are not misses.
    /// let warm: poolable::Pool<String> =
    ///     poolable::Pool::builder().capacity(8).prefill(8).build();
    /// for _ in 0..4 {
    ///     drop(warm.get());
    /// }
    /// assert_eq!(warm.stats().hit_rate(), 1.0);
    /// ```
    pub fn hit_rate(&self) -> f64 {
        let borrows = self.reused + self.made.saturating_sub(self.prefilled);
        if borrows == 0 {
            0.0
        } else {
            self.reused as f64 / borrows as f64
        }
    }

    /// Objects dropped for any reason: full, panicking, cleared or refused.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool: poolable::Pool<String> = poolable::Pool::with_capacity(1);
    /// let (a, b) = (pool.get(), pool.get());
    /// drop((a, b)); // one is kept, the other dropped: the pool is full
    /// pool.clear(); // the kept one is dropped too
    /// let stats = pool.stats();
    /// assert_eq!((stats.dropped_full, stats.dropped_cleared, stats.dropped()), (1, 1, 2));
    /// ```
    pub fn dropped(&self) -> u64 {
        self.dropped_full + self.dropped_panicking + self.dropped_cleared + self.dropped_refused
    }
}

/// `later - earlier` is [`later.since(&earlier)`](Stats::since).
impl std::ops::Sub for Stats {
    type Output = Stats;

    fn sub(self, earlier: Stats) -> Stats {
        self.since(&earlier)
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "made {}, reused {} (hit rate {:.1}%), returned {}, put {}, prefilled {}, \
             dropped {} (full {}, panicking {}, cleared {}, refused {}), detached {}, kept {}, \
             out {}",
            self.made,
            self.reused,
            self.hit_rate() * 100.0,
            self.returned,
            self.put,
            self.prefilled,
            self.dropped(),
            self.dropped_full,
            self.dropped_panicking,
            self.dropped_cleared,
            self.dropped_refused,
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

    /// Prefilled objects were made before any borrow: a pool that lends only them has a
    /// hit rate of 1, not `reused / (reused + prefilled)` (a newcomer read 33% for four
    /// reuses out of four borrows).
    #[test]
    fn prefilled_objects_are_neither_hits_nor_misses() {
        let counters = Counters::default();
        counters.add_own(Event::Prefilled, 8);
        counters.add_own(Event::Reused, 4);
        counters.add_own(Event::Returned, 4);
        let mut totals = [0; EVENTS];
        counters.add_to(&mut totals);
        let stats = Stats::from_totals(totals);
        assert_eq!((stats.made, stats.prefilled, stats.reused), (8, 8, 4));
        assert_eq!(stats.hit_rate(), 1.0);
        assert!(stats.to_string().contains("prefilled 8"), "{stats}");
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
