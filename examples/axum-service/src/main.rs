//! The axum service of this package, run two ways.
//!
//! ```text
//! cargo run --release -p poolable-axum-example
//! cargo run --release -p poolable-axum-example -- --listen 127.0.0.1:8080 --seconds 60
//! ```
//!
//! The first drives itself: for each mode (unpooled, then pooled) it starts the service on
//! 127.0.0.1, on a port the system picks, sends a fixed number of requests from a client
//! in the same process, stops the server and prints requests/s, latency percentiles and
//! the server's heap allocations per request; then the pool's statistics. It exits when
//! done. `--requests N` and `--connections C` change the load, `--unpooled` or `--pooled`
//! runs one mode only.
//!
//! The second serves a load generator of your own (`scripts/load.sh` drives it with
//! `wrk`: form posts to `/count`, or with `--endpoint orders` JSON orders to `/orders`),
//! trimming the pool every 30 seconds as a long-running service would, with the pool's
//! statistics for Prometheus at `/metrics`. It stops on Ctrl-C, on SIGTERM, or after
//! `--seconds`, whichever comes first, and then prints the requests served, the
//! allocations per request and the pool's statistics.

// The repository's one counting allocator, shared by its examples, tests and benchmarks.
#[path = "../../support/counting_alloc.rs"]
mod counting;

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use std::{env, io, thread};

use axum::body::Bytes;
use metrics_exporter_prometheus::PrometheusBuilder;
use poolable::Pool;
use poolable_axum_example::client::{Connection, sample_forms};
use poolable_axum_example::{AppState, Mode, Order, RequestContext, app, routes};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// Contexts the pool keeps: more than the requests in flight at once (one per
/// connection), so none is dropped for want of room.
const POOL_CAPACITY: usize = 256;

const USAGE: &str = "\
usage: poolable-axum-example [--pooled | --unpooled] [--requests N] [--connections C]
       poolable-axum-example --listen ADDR [--pooled | --unpooled] [--seconds S]

Without --listen, starts the service on 127.0.0.1, drives it with N requests (default
20000, after N/10 to warm up) over C connections (default 16), prints the figures and
exits; both modes unless one is named.
With --listen, serves ADDR (a 127.0.0.1 address) in one mode (default pooled), trimming
the pool every 30 s, until Ctrl-C, SIGTERM or S seconds (default 300); then prints what
it served.";

#[derive(Debug)]
struct Args {
    listen: Option<SocketAddr>,
    modes: Vec<Mode>,
    requests: usize,
    connections: usize,
    seconds: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        listen: None,
        modes: vec![Mode::Unpooled, Mode::Pooled],
        requests: 20_000,
        connections: 16,
        seconds: 300,
    };
    let mut mode = None;
    let mut given = env::args().skip(1);
    while let Some(arg) = given.next() {
        let mut value = |name: &str| given.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--pooled" => mode = Some(Mode::Pooled),
            "--unpooled" => mode = Some(Mode::Unpooled),
            "--listen" => {
                let address = value("--listen")?;
                args.listen = Some(
                    address
                        .parse()
                        .map_err(|_| format!("bad address {address}"))?,
                );
            }
            "--requests" => args.requests = number(&value("--requests")?)?,
            "--connections" => args.connections = number(&value("--connections")?)?,
            "--seconds" => args.seconds = number(&value("--seconds")?)?,
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    match (mode, args.listen) {
        (Some(mode), _) => args.modes = vec![mode],
        (None, Some(_)) => args.modes = vec![Mode::Pooled],
        (None, None) => {}
    }
    if args.requests == 0 || args.connections == 0 || args.seconds == 0 {
        return Err("--requests, --connections and --seconds must be at least 1".into());
    }
    Ok(args)
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("not a number: {text}"))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}\n");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .and_then(|runtime| match args.listen {
            Some(address) => runtime.block_on(serve(address, args.modes[0], args.seconds)),
            None => drive_all(&runtime, &args),
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `--listen`: serves `address` until Ctrl-C, SIGTERM or `seconds`, then reports.
async fn serve(address: SocketAddr, mode: Mode, seconds: u64) -> io::Result<()> {
    let listener = TcpListener::bind(address).await.map_err(|error| {
        io::Error::new(error.kind(), format!("cannot listen on {address}: {error}"))
    })?;
    // The `metrics` facade's global recorder, rendered at `/metrics`: the pool is
    // published there when Prometheus scrapes.
    let metrics = PrometheusBuilder::new()
        .install_recorder()
        .map_err(io::Error::other)?;
    let state = AppState::new(POOL_CAPACITY).with_metrics(metrics);
    println!("listening on http://{address}/count ({})", name(mode));
    println!("metrics at http://{address}/metrics");
    let allocations = counting::allocations();
    let busy = tokio::spawn(busy_time(Arc::clone(&state.served)));
    let trimmer = tokio::spawn(trim_every(
        Duration::from_secs(30),
        Arc::clone(&state.contexts),
    ));
    axum::serve(listener, app(routes(mode), state.clone()))
        .with_graceful_shutdown(stop_signal(Duration::from_secs(seconds)))
        .await?;
    let allocations = counting::allocations() - allocations;
    busy.abort();
    trimmer.abort();
    let busy = *lock(&BUSY);
    let served = state.served.load(Ordering::Relaxed);
    println!("served: {served} requests");
    // A load generator that stops after a number of requests may keep its connections
    // open until its time is up, so its own requests/s can count idle time.
    println!("busy: {:.3} s, first request to last", busy.as_secs_f64());
    // Everything the server allocated while it ran, connections included, over the
    // requests it answered.
    println!(
        "allocations/request: {:.2}",
        allocations as f64 / served.max(1) as f64
    );
    if mode == Mode::Pooled {
        println!("pool of RequestContext: {}", state.contexts.stats());
        // `POST /orders` decodes into `Order`'s default pool.
        let orders = poolable::global::<Order>().stats();
        if orders.made > 0 {
            println!("pool of Order: {orders}");
        }
    }
    Ok(())
}

/// Time from the first request served to the last, as [`busy_time`] last saw it.
static BUSY: Mutex<Duration> = Mutex::new(Duration::ZERO);

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Watches `served` every millisecond and keeps the time from the first request to the
/// last in [`BUSY`], without a clock read per request in the handlers. Runs until
/// aborted.
async fn busy_time(served: Arc<AtomicU64>) {
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    let (mut first, mut seen) = (None, 0);
    loop {
        tick.tick().await;
        let now = served.load(Ordering::Relaxed);
        if now != seen {
            seen = now;
            let first = *first.get_or_insert_with(Instant::now);
            *lock(&BUSY) = first.elapsed();
        }
    }
}

/// Trims `pool` every `period`, so that what a burst left idle is given back: what sat
/// unused for a whole period goes, what steady traffic uses stays. Runs until aborted.
///
/// This trims one pool; `poolable::trim_all()` trims every default pool and every pool
/// registered by name, and fits the same loop.
async fn trim_every(period: Duration, pool: Arc<Pool<RequestContext>>) {
    let mut every = tokio::time::interval(period);
    // After a stall, one trim, not a catch-up series: a trim right after another would
    // drop what the period in between had no chance to use.
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    every.tick().await; // the first tick is immediate
    loop {
        every.tick().await;
        pool.trim();
    }
}

/// Completes on Ctrl-C, on SIGTERM, or after `limit`.
async fn stop_signal(limit: Duration) {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("a tokio runtime with signals enabled");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => eprintln!("stopping: Ctrl-C"),
        _ = terminate.recv() => eprintln!("stopping: SIGTERM"),
        _ = tokio::time::sleep(limit) => eprintln!("stopping: {} s are up", limit.as_secs()),
    }
}

fn name(mode: Mode) -> &'static str {
    match mode {
        Mode::Pooled => "pooled",
        Mode::Unpooled => "unpooled",
    }
}

/// What the client measured in one mode, warm-up excluded.
struct Measured {
    latencies: Vec<Duration>,
    elapsed: Duration,
    /// The server's allocations while the client measured.
    allocations: u64,
}

/// Without `--listen`: each mode in turn, then the figures side by side.
fn drive_all(runtime: &Runtime, args: &Args) -> io::Result<()> {
    println!(
        "{} requests ({} more to warm up) over {} connections on 127.0.0.1, per mode\n",
        args.requests,
        args.requests / 10,
        args.connections,
    );
    let mut results = Vec::new();
    let mut pool_stats = None;
    for &mode in &args.modes {
        let state = AppState::new(POOL_CAPACITY);
        results.push((mode, drive(runtime, mode, &state, args)?));
        if mode == Mode::Pooled {
            pool_stats = Some(state.contexts.stats());
        }
    }

    println!("            requests/s        p50        p99   allocations/request");
    for (mode, measured) in &mut results {
        let served = measured.latencies.len();
        measured.latencies.sort_unstable();
        let percentile = |p: f64| {
            let at = ((served as f64 * p).ceil() as usize).clamp(1, served) - 1;
            measured.latencies[at]
        };
        println!(
            "  {:<9} {:>10.0} {:>10.1?} {:>10.1?}   {:>19.2}",
            name(*mode),
            served as f64 / measured.elapsed.as_secs_f64(),
            percentile(0.50),
            percentile(0.99),
            measured.allocations as f64 / served as f64,
        );
    }
    println!(
        "\nLatency is the client's, from sending a request to the last byte of its answer.\n\
         Allocations are the server's alone (the client's thread is not counted), while the\n\
         client measured: routing, hyper's request and response, the handler."
    );
    if let Some(stats) = pool_stats {
        println!("\npool of RequestContext: {stats}");
    }
    Ok(())
}

/// Starts the service in `mode`, sends the load from a client thread with a runtime of its
/// own, stops the service.
fn drive(runtime: &Runtime, mode: Mode, state: &AppState, args: &Args) -> io::Result<Measured> {
    let listener = runtime.block_on(TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))?;
    let address = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(
        axum::serve(listener, app(routes(mode), state.clone()))
            .with_graceful_shutdown(async {
                // An error means the sender is gone: stop then too.
                let _ = stopped.await;
            })
            .into_future(),
    );

    let (requests, connections) = (args.requests, args.connections);
    let client = thread::spawn(move || {
        counting::do_not_count_this_thread();
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(load(address, requests, connections))
    });
    let measured = client
        .join()
        .map_err(|_| io::Error::other("the client panicked"))?;
    // Stop the server whatever the client's result was.
    let _ = stop.send(());
    runtime
        .block_on(server)
        .map_err(|_| io::Error::other("the server panicked"))??;
    measured
}

/// The client: `connections` connections, each sending its share of `requests` one at a
/// time after a warm-up of a tenth as many.
async fn load(address: SocketAddr, requests: usize, connections: usize) -> io::Result<Measured> {
    let forms = sample_forms(64);
    let mut open = Vec::with_capacity(connections);
    for _ in 0..connections {
        open.push(Connection::open(address).await?);
    }

    // Warm up: the server's pools and caches fill, hyper's buffers grow.
    let open = send_all(open, &forms, requests / 10, &mut Vec::new()).await?;

    let allocations = counting::allocations();
    let start = Instant::now();
    let mut latencies = Vec::with_capacity(requests);
    send_all(open, &forms, requests, &mut latencies).await?;
    Ok(Measured {
        elapsed: start.elapsed(),
        allocations: counting::allocations() - allocations,
        latencies,
    })
}

/// Sends `requests` requests spread over the connections, all at once; returns the
/// connections for the next phase.
async fn send_all(
    connections: Vec<Connection>,
    forms: &[Bytes],
    requests: usize,
    latencies: &mut Vec<Duration>,
) -> io::Result<Vec<Connection>> {
    let count = connections.len();
    let mut tasks = JoinSet::new();
    for (n, mut connection) in connections.into_iter().enumerate() {
        // Connection n sends requests n, n + count, n + 2 * count, ...
        let share = (n..requests).step_by(count).count();
        let forms: Vec<Bytes> = forms.iter().cycle().skip(n).take(share).cloned().collect();
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(share);
            for form in forms {
                let start = Instant::now();
                let (status, _) = connection.post_form("/count", form).await?;
                if status != 200 {
                    return Err(io::Error::other(format!("the service answered {status}")));
                }
                latencies.push(start.elapsed());
            }
            Ok::<_, io::Error>((connection, latencies))
        });
    }
    let mut connections = Vec::with_capacity(count);
    while let Some(done) = tasks.join_next().await {
        let (connection, mine) = done.map_err(io::Error::other)??;
        connections.push(connection);
        latencies.extend(mine);
    }
    Ok(connections)
}
