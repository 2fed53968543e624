//! Feature `metrics`: a pool's [`Stats`] published through the
//! [`metrics`](https://docs.rs/metrics) crate's facade, to whatever recorder the program
//! installed (a Prometheus exporter, StatsD, OpenTelemetry, ...).
//!
//! Nothing here runs on the hot path: borrowing and returning count as they always do, and
//! the counts reach the recorder only when the program calls
//! [`Pool::publish_metrics`] (or [`Stats::publish_metrics`]), from a timer or from an
//! exporter's scrape hook.
//!
//! # Names
//!
//! Following the Prometheus conventions the `metrics` ecosystem uses: counters end in
//! `_total`, gauges name what they measure, and the pool is a label, so one dashboard
//! query covers every pool (`rate(poolable_objects_made_total[5m])` by `pool`). The
//! metrics and the counts they carry are listed once, in [`Stats::publish_metrics`]'s
//! docs; the constants below are the names.
//!
//! # Counting once
//!
//! [`Stats`] holds totals since the pool was made, so the counters are set with
//! [`Counter::absolute`](metrics::Counter::absolute), never incremented by the totals:
//! publishing twice with nothing in between changes nothing, and a recorder that keeps
//! the larger of the old and new value (as the `metrics` crate's own atomics do) never
//! goes backwards when a snapshot is a moment behind another thread. The price is that a
//! name must stand for one pool for the life of the process: two pools published under
//! one name would show the larger of their totals, not their sum.

use metrics::{Unit, counter, describe_counter, describe_gauge, gauge};

use crate::{Pool, Poolable, Stats};

const MADE: &str = "poolable_objects_made_total";
const REUSED: &str = "poolable_objects_reused_total";
const RETURNED: &str = "poolable_objects_returned_total";
const PUT: &str = "poolable_objects_put_total";
const PREFILLED: &str = "poolable_objects_prefilled_total";
const DROPPED: &str = "poolable_objects_dropped_total";
const DETACHED: &str = "poolable_objects_detached_total";
const KEPT: &str = "poolable_objects_kept";
const OUT: &str = "poolable_objects_out";

impl<T: Poolable + 'static> Pool<T> {
    /// Publishes this pool's [`stats`](Pool::stats) through the `metrics` facade, labelled
    /// `pool = name`. Available with the `metrics` feature.
    ///
    /// Call it periodically or when an exporter is scraped, never per borrow: it takes a
    /// snapshot ([`Pool::stats`] reads every thread's counters under a lock) and registers
    /// one series per count of [`Stats`] with the recorder. Without an installed recorder it does nothing but
    /// take the snapshot. The metric names, and why the counters never double count, are
    /// on [`Stats::publish_metrics`].
    ///
    /// `name` should be unique per pool and stable for the life of the process; a
    /// type's default pool is usually published under the type's name.
    ///
    /// # Examples
    ///
    /// ```
    /// use metrics_util::debugging::{DebugValue, DebuggingRecorder};
    /// use poolable::Pool;
    ///
    /// let recorder = DebuggingRecorder::new();
    /// let snapshotter = recorder.snapshotter();
    ///
    /// let buffers: Pool<Vec<u8>> = Pool::new();
    /// drop(buffers.get()); // made
    /// drop(buffers.get()); // reused
    /// metrics::with_local_recorder(&recorder, || buffers.publish_metrics("buffers"));
    ///
    /// let made = snapshotter
    ///     .snapshot()
    ///     .into_vec()
    ///     .into_iter()
    ///     .find(|(key, ..)| key.key().name() == "poolable_objects_made_total")
    ///     .map(|(.., value)| value);
    /// assert_eq!(made, Some(DebugValue::Counter(1)));
    /// ```
    ///
    /// In a service, on a timer (here a plain thread; a tokio interval works the same):
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// std::thread::spawn(|| loop {
    ///     std::thread::sleep(Duration::from_secs(10));
    ///     poolable::global::<String>().publish_metrics("String");
    /// });
    /// ```
    pub fn publish_metrics(&self, name: &str) {
        self.stats().publish_metrics(name);
    }
}

impl Stats {
    /// Publishes these statistics through the `metrics` facade as those of the pool
    /// `name`. Available with the `metrics` feature.
    ///
    /// [`Pool::publish_metrics`] is this with the pool's current stats; this one serves
    /// statistics obtained another way, such as a walk over several pools.
    ///
    /// | metric | kind | from |
    /// | --- | --- | --- |
    /// | `poolable_objects_made_total` | counter | [`made`](Stats::made) |
    /// | `poolable_objects_reused_total` | counter | [`reused`](Stats::reused) |
    /// | `poolable_objects_returned_total` | counter | [`returned`](Stats::returned) |
    /// | `poolable_objects_put_total` | counter | [`put`](Stats::put) |
    /// | `poolable_objects_prefilled_total` | counter | [`prefilled`](Stats::prefilled) |
    /// | `poolable_objects_dropped_total` with `reason` = `full`, `panicking`, `cleared`, `refused` | counter | the `dropped_*` counts |
    /// | `poolable_objects_detached_total` | counter | [`detached`](Stats::detached) |
    /// | `poolable_objects_kept` | gauge | [`kept`](Stats::kept) |
    /// | `poolable_objects_out` | gauge | [`out`](Stats::out) |
    ///
    /// Every metric has the label `pool = name`. Counters are set to the totals with
    /// [`Counter::absolute`](metrics::Counter::absolute), not incremented by them, so
    /// publishing the same stats twice counts nothing twice. For the same reason a name
    /// should stand for one pool for the life of the process: two pools published under
    /// one name show the larger of their totals, not their sum.
    ///
    /// # Examples
    ///
    /// ```
    /// use metrics_util::debugging::{DebugValue, DebuggingRecorder};
    /// use poolable::Pool;
    ///
    /// let recorder = DebuggingRecorder::new();
    /// let snapshotter = recorder.snapshotter();
    ///
    /// let names: Pool<String> = Pool::new();
    /// let held = names.get();
    /// let stats = names.stats();
    /// metrics::with_local_recorder(&recorder, || {
    ///     stats.publish_metrics("names");
    ///     stats.publish_metrics("names"); // the same totals: nothing counted twice
    /// });
    ///
    /// for (key, _, _, value) in snapshotter.snapshot().into_vec() {
    ///     match key.key().name() {
    ///         "poolable_objects_made_total" => assert_eq!(value, DebugValue::Counter(1)),
    ///         "poolable_objects_out" => assert_eq!(value, DebugValue::Gauge(1.0.into())),
    ///         _ => {}
    ///     }
    /// }
    /// # drop(held);
    /// ```
    pub fn publish_metrics(&self, name: &str) {
        describe();
        let pool = name.to_owned();
        counter!(MADE, "pool" => pool.clone()).absolute(self.made);
        counter!(REUSED, "pool" => pool.clone()).absolute(self.reused);
        counter!(RETURNED, "pool" => pool.clone()).absolute(self.returned);
        counter!(PUT, "pool" => pool.clone()).absolute(self.put);
        counter!(PREFILLED, "pool" => pool.clone()).absolute(self.prefilled);
        for (reason, count) in [
            ("full", self.dropped_full),
            ("panicking", self.dropped_panicking),
            ("cleared", self.dropped_cleared),
            ("refused", self.dropped_refused),
        ] {
            counter!(DROPPED, "pool" => pool.clone(), "reason" => reason).absolute(count);
        }
        counter!(DETACHED, "pool" => pool.clone()).absolute(self.detached);
        // Gauges are f64 in the `metrics` API; counts of objects fit one exactly.
        gauge!(KEPT, "pool" => pool.clone()).set(self.kept as f64);
        gauge!(OUT, "pool" => pool).set(self.out as f64);
    }
}

/// Describes every metric to the recorder, for exporters that show help text and units.
/// Repeated on each publish: a recorder installed after the first publish still gets the
/// descriptions, and describing again replaces a description with itself.
fn describe() {
    let objects = Unit::Count;
    describe_counter!(
        MADE,
        objects,
        "Objects a pool's factory made: borrows that found none to reuse, and prefill."
    );
    describe_counter!(
        REUSED,
        objects,
        "Borrows a pool served with an object it kept."
    );
    describe_counter!(
        RETURNED,
        objects,
        "Objects given back to a pool when their guard dropped."
    );
    describe_counter!(PUT, objects, "Values offered to a pool with `put`.");
    describe_counter!(
        PREFILLED,
        objects,
        "Objects a pool's builder made in advance (also counted as made)."
    );
    describe_counter!(
        DROPPED,
        objects,
        "Objects a pool dropped instead of keeping, by reason: full, panicking, cleared, refused (by `keep_if`)."
    );
    describe_counter!(DETACHED, objects, "Objects taken out of a pool for good.");
    describe_gauge!(KEPT, objects, "Objects a pool keeps now, ready to lend.");
    describe_gauge!(OUT, objects, "Objects a pool has lent now.");
}

/// Publishes every default pool and every [registered](Pool::register) pool, each under
/// its name (a default pool's is its type's name), as [`Stats::publish_metrics`] does.
///
/// Call it from an exporter's scrape hook or a timer, never per request: it visits every
/// pool and takes the pool registry's lock (see [`for_each_pool`](crate::for_each_pool)).
///
/// # Examples
///
/// ```
/// use metrics_util::debugging::{DebugValue, DebuggingRecorder};
/// use poolable::Pool;
///
/// let recorder = DebuggingRecorder::new();
/// let snapshotter = recorder.snapshotter();
/// let pool: Pool<Vec<u8>> = Pool::new();
/// pool.register("uploads");
/// drop(pool.get());
///
/// // `poolable::publish_all_metrics` in a program (with the facade's `metrics` feature).
/// metrics::with_local_recorder(&recorder, pool_runtime::publish_all_metrics);
///
/// let made = snapshotter.snapshot().into_vec().into_iter().find(|(key, ..)| {
///     key.key().name() == "poolable_objects_made_total"
///         && key.key().labels().any(|l| l.key() == "pool" && l.value() == "uploads")
/// });
/// assert_eq!(made.map(|(.., value)| value), Some(DebugValue::Counter(1)));
/// ```
pub fn publish_all_metrics() {
    crate::for_each_pool(|name, stats| stats.publish_metrics(name));
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};

    use crate::{Pool, Stats};

    /// Each metric of the last snapshot, by name and labels (`name{label=value,...}`).
    fn read(snapshotter: &Snapshotter) -> HashMap<String, DebugValue> {
        snapshotter
            .snapshot()
            .into_vec()
            .into_iter()
            .map(|(key, _, _, value)| {
                let key = key.key();
                let labels: Vec<String> = key
                    .labels()
                    .map(|label| format!("{}={}", label.key(), label.value()))
                    .collect();
                (format!("{}{{{}}}", key.name(), labels.join(",")), value)
            })
            .collect()
    }

    fn counter(metrics: &HashMap<String, DebugValue>, key: &str) -> u64 {
        match metrics.get(key) {
            Some(DebugValue::Counter(value)) => *value,
            other => panic!("{key}: {other:?} in {metrics:#?}"),
        }
    }

    fn gauge(metrics: &HashMap<String, DebugValue>, key: &str) -> f64 {
        match metrics.get(key) {
            Some(DebugValue::Gauge(value)) => value.into_inner(),
            other => panic!("{key}: {other:?} in {metrics:#?}"),
        }
    }

    /// The series one pool's `stats` should become, written out from the table in this
    /// module's docs (not from the code under test).
    fn series(pool: &str, stats: &Stats) -> HashMap<String, DebugValue> {
        let counter =
            |name: &str, value| (format!("{name}{{pool={pool}}}"), DebugValue::Counter(value));
        let dropped = |reason: &str, value| {
            let key = format!("poolable_objects_dropped_total{{pool={pool},reason={reason}}}");
            (key, DebugValue::Counter(value))
        };
        let gauge = |name: &str, value: u64| {
            (
                format!("{name}{{pool={pool}}}"),
                DebugValue::Gauge((value as f64).into()),
            )
        };
        HashMap::from([
            counter("poolable_objects_made_total", stats.made),
            counter("poolable_objects_reused_total", stats.reused),
            counter("poolable_objects_returned_total", stats.returned),
            counter("poolable_objects_put_total", stats.put),
            counter("poolable_objects_prefilled_total", stats.prefilled),
            dropped("full", stats.dropped_full),
            dropped("panicking", stats.dropped_panicking),
            dropped("cleared", stats.dropped_cleared),
            dropped("refused", stats.dropped_refused),
            counter("poolable_objects_detached_total", stats.detached),
            gauge("poolable_objects_kept", stats.kept),
            gauge("poolable_objects_out", stats.out),
        ])
    }

    #[test]
    fn every_count_is_published_with_the_pool_label() {
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        let pool: Pool<Vec<u8>> = Pool::with_capacity(1);
        let (a, b, c) = (pool.get(), pool.get(), pool.get()); // made 3
        drop((a, b)); // returned 2: one kept, one dropped (full)
        pool.put(Vec::new()); // put, dropped (full)
        let _ = crate::Pooled::detach(c); // detached
        drop(pool.get()); // reused, returned, kept
        let _held = pool.get(); // reused, out

        metrics::with_local_recorder(&recorder, || pool.publish_metrics("bytes"));
        let stats = pool.stats();
        // The workload above, so that no count is zero by accident of the workload alone.
        let expected = Stats {
            made: 3,
            reused: 2,
            returned: 3,
            put: 1,
            dropped_full: 2,
            detached: 1,
            out: 1,
            ..Stats::default()
        };
        assert_eq!(stats, expected);
        assert_eq!(read(&snapshotter), series("bytes", &stats));
    }

    /// An object `keep_if` refused is published under its own reason.
    #[test]
    fn refusals_by_keep_if_have_their_own_reason() {
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        let pool = Pool::<Vec<u8>>::builder()
            .keep_if(|buffer| buffer.capacity() <= 16)
            .build();
        pool.get().reserve(1024); // too big to keep: refused
        drop(pool.get()); // small: kept

        metrics::with_local_recorder(&recorder, || pool.publish_metrics("refusing"));
        let metrics = read(&snapshotter);
        let refused = "poolable_objects_dropped_total{pool=refusing,reason=refused}";
        assert_eq!(counter(&metrics, refused), 1);
        assert_eq!(pool.stats().dropped_refused, 1);
    }

    #[test]
    fn publishing_again_counts_nothing_twice_and_follows_the_pool() {
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        let pool: Pool<String> = Pool::new();
        drop(pool.get());
        drop(pool.get());

        // Totals published three times between two reads are the totals, not thrice.
        metrics::with_local_recorder(&recorder, || {
            for _ in 0..3 {
                pool.publish_metrics("strings");
            }
        });
        let metrics = read(&snapshotter);
        assert_eq!(
            counter(&metrics, "poolable_objects_made_total{pool=strings}"),
            1
        );
        assert_eq!(
            counter(&metrics, "poolable_objects_reused_total{pool=strings}"),
            1
        );
        assert_eq!(gauge(&metrics, "poolable_objects_kept{pool=strings}"), 1.0);

        // More work, then a clear: counters rise to the new totals, the gauge falls.
        for _ in 0..5 {
            drop(pool.get());
        }
        pool.clear();
        metrics::with_local_recorder(&recorder, || pool.publish_metrics("strings"));
        let metrics = read(&snapshotter);
        assert_eq!(
            counter(&metrics, "poolable_objects_reused_total{pool=strings}"),
            6
        );
        assert_eq!(
            counter(&metrics, "poolable_objects_returned_total{pool=strings}"),
            7
        );
        assert_eq!(
            counter(
                &metrics,
                "poolable_objects_dropped_total{pool=strings,reason=cleared}"
            ),
            1
        );
        assert_eq!(gauge(&metrics, "poolable_objects_kept{pool=strings}"), 0.0);
    }

    #[test]
    fn two_pools_are_two_series() {
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        let (small, large): (Pool<String>, Pool<String>) = (Pool::new(), Pool::new());
        drop(small.get());
        let held: Vec<_> = (0..3).map(|_| large.get()).collect();
        metrics::with_local_recorder(&recorder, || {
            small.publish_metrics("small");
            large.publish_metrics("large");
        });
        let metrics = read(&snapshotter);
        assert_eq!(metrics.len(), 24);
        assert_eq!(
            counter(&metrics, "poolable_objects_made_total{pool=small}"),
            1
        );
        assert_eq!(
            counter(&metrics, "poolable_objects_made_total{pool=large}"),
            3
        );
        assert_eq!(gauge(&metrics, "poolable_objects_out{pool=large}"), 3.0);
        assert_eq!(gauge(&metrics, "poolable_objects_out{pool=small}"), 0.0);
        drop(held);
    }

    /// With no recorder installed, publishing reaches nobody and changes nothing: the
    /// pool's counts are as they were, and a recorder installed afterwards gets the whole
    /// totals, so nothing was used up by the publish nobody heard (as a publisher of
    /// differences since the last publish would).
    #[test]
    fn publishing_without_a_recorder_uses_nothing_up() {
        let pool: Pool<String> = Pool::new();
        drop(pool.get());
        drop(pool.get());
        let before = pool.stats();
        pool.publish_metrics("nobody listens");
        assert_eq!(pool.stats(), before);

        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        metrics::with_local_recorder(&recorder, || pool.publish_metrics("listened"));
        assert_eq!(read(&snapshotter), series("listened", &before));
    }
}
