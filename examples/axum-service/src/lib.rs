//! An axum service whose handler borrows its per-request context from a pool with
//! `#[pooled]`, and the same service without the pool, so the two can be compared.
//!
//! `POST /count` takes a form (`application/x-www-form-urlencoded`) such as
//! `name=doc7&lang=en&text=the+pool+keeps+the+buffer`, reads it into a
//! [`RequestContext`], counts the words of its `text` field, and answers with JSON:
//!
//! ```text
//! {"fields":3,"words":5,"distinct":4,"top":"the","top_count":2}
//! ```
//!
//! [`count_words`] is the pooled handler: an `async fn` written as axum expects, plus one
//! `#[pooled]` parameter. [`count_words_unpooled`] makes a new context per request.
//! Both call [`handle`], so they do the same work.
//!
//! `POST /orders` takes a JSON [`Order`] and answers with a one-line summary:
//! [`create_order`] decodes it in place into an order from `Order`'s default pool with
//! the `PooledJson` extractor (feature `axum` of poolable), [`create_order_unpooled`]
//! into a fresh one with axum's own `Json`. `GET /metrics` ([`metrics`]) publishes
//! the pool's statistics when a Prometheus server scrapes it. [`app`] puts a route on a router with
//! the layers a service wants; the binary (`src/main.rs`) serves it, drives it with its
//! own client, and counts allocations.
//!
//! # Examples
//!
//! ```no_run
//! use poolable_axum_example::{AppState, Mode, app, routes};
//!
//! # async fn run() -> std::io::Result<()> {
//! let state = AppState::new(256);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! axum::serve(listener, app(routes(Mode::Pooled), state)).await?;
//! # Ok(())
//! # }
//! ```

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::BodyExt;
use metrics_exporter_prometheus::PrometheusHandle;
use poolable::axum::PooledJson;
use poolable::{Pool, Poolable, ReuseMap, ReuseVec, pooled};
use serde::Deserialize;
use tower_http::catch_panic::CatchPanicLayer;

pub mod client;

/// The largest request body the service reads; a longer one is answered 413.
///
/// # Examples
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use poolable_axum_example::{MAX_BODY, RequestContext, handle};
///
/// let form = format!("text={}", "a".repeat(MAX_BODY));
/// let response = handle(&mut RequestContext::default(), form.into()).await;
/// assert_eq!(response.status(), 413);
/// # }
/// ```
pub const MAX_BODY: usize = 64 * 1024;

// The form's fields and the text's words. A `HashMap<String, String>` and a `Vec<String>`
// keep their tables when cleared but drop every string, so a pooled context would still
// allocate one string per field and per word. The reuse collections keep the strings
// too, reset, as spares for the next request: with them the pooled service allocates
// about a seventh of what the unpooled one does (BENCHMARKS.md, "A real service under
// load"). With std collections, these two lines and the bodies of `add_field` and
// `add_word` are all that changes.
type Fields = poolable::ReuseMap<String, String>;
type Words = poolable::ReuseVec<String>;

/// Everything one request needs: the body as read, what was parsed out of it, and the
/// response being written.
///
/// Pooled, a context keeps the capacity its buffers reached, so a request like the ones
/// before it does not grow them again. `#[derive(Poolable)]` writes the reset: every
/// field is cleared, capacity kept.
///
/// # Examples
///
/// ```
/// use poolable::Pool;
/// use poolable_axum_example::RequestContext;
///
/// let pool: Pool<RequestContext> = Pool::with_capacity(8);
/// drop(pool.get()); // made, then reset and kept
/// assert_eq!(pool.stats().kept, 1);
/// ```
#[derive(Poolable, Default, Debug)]
pub struct RequestContext {
    /// The request body, as read.
    body: Vec<u8>,
    /// The form's fields, by name.
    fields: Fields,
    /// The words of the `text` field, lowercased.
    words: Words,
    /// The response body, written here and copied once into the response.
    response: String,
}

/// Adds a form field: a spare key filled from `name`, a spare value from `value`. (With a
/// `HashMap`: `fields.insert(name.to_owned(), value.to_owned())`.)
fn add_field(fields: &mut Fields, name: &str, value: &str) {
    fields.insert_with(name, |v| v.push_str(value));
}

/// Adds an empty word, a spare string kept from an earlier request, and returns it to be
/// filled. (With a `Vec`: `words.push(String::new())`, then `last_mut`.)
fn add_word(words: &mut Words) -> &mut String {
    words.push_default()
}

/// Which handler a router serves.
///
/// # Examples
///
/// ```
/// use poolable_axum_example::{AppState, Mode, app, routes};
///
/// for mode in [Mode::Pooled, Mode::Unpooled] {
///     let router = app(routes(mode), AppState::new(64));
/// #   drop(router);
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// [`count_words`]: the context comes from [`AppState::contexts`].
    Pooled,
    /// [`count_words_unpooled`]: a new context per request.
    Unpooled,
}

/// What the handlers share: the pool of contexts, a count of requests served, and the
/// handle that renders `/metrics`.
///
/// The pool is the service's own rather than `RequestContext`'s default pool, so its
/// statistics are this service's alone (and each test's alone), and it can be published
/// under a name of its own.
///
/// # Examples
///
/// ```
/// let state = poolable_axum_example::AppState::new(64);
/// assert_eq!(state.contexts.capacity(), 64);
/// ```
#[derive(Clone, Debug)]
pub struct AppState {
    /// The contexts [`count_words`] borrows.
    pub contexts: Arc<Pool<RequestContext>>,
    /// Requests answered by either handler, however they ended (errors included).
    pub served: Arc<AtomicU64>,
    /// Renders what the installed Prometheus recorder holds; `None` if the program
    /// installed none, and then `/metrics` answers 404.
    pub metrics: Option<PrometheusHandle>,
}

impl AppState {
    /// A state whose pool keeps at most `capacity` contexts: about the most requests the
    /// service handles at once. A context beyond that is dropped on return, not kept.
    ///
    /// # Examples
    ///
    /// ```
    /// let state = poolable_axum_example::AppState::new(256);
    /// assert_eq!(state.contexts.stats().made, 0);
    /// ```
    pub fn new(capacity: usize) -> Self {
        AppState {
            contexts: Arc::new(Pool::with_capacity(capacity)),
            served: Arc::new(AtomicU64::new(0)),
            metrics: None,
        }
    }

    /// This state, with `/metrics` rendered by `handle`: the handle of the Prometheus
    /// recorder the program installed as the `metrics` facade's global recorder.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use metrics_exporter_prometheus::PrometheusBuilder;
    /// use poolable_axum_example::AppState;
    ///
    /// // Once, at startup: every `metrics` call in the program now records here.
    /// let handle = PrometheusBuilder::new().install_recorder().expect("no other recorder");
    /// let state = AppState::new(256).with_metrics(handle);
    /// # drop(state);
    /// ```
    pub fn with_metrics(mut self, handle: PrometheusHandle) -> Self {
        self.metrics = Some(handle);
        self
    }
}

/// The routes of the service in `mode` (`POST /count`, `POST /orders` and `GET /metrics`), before [`app`]
/// adds its layers and state.
///
/// Add your own routes to these, then pass them to [`app`].
///
/// # Examples
///
/// ```
/// use poolable_axum_example::{AppState, Mode, app, routes};
///
/// let router = app(routes(Mode::Pooled), AppState::new(64));
/// # drop(router);
/// ```
pub fn routes(mode: Mode) -> Router<AppState> {
    let (count, orders) = match mode {
        Mode::Pooled => (post(count_words), post(create_order)),
        Mode::Unpooled => (post(count_words_unpooled), post(create_order_unpooled)),
    };
    Router::new()
        .route("/count", count)
        .route("/orders", orders)
        .route("/metrics", get(metrics))
}

/// `GET /metrics`: publishes the pool's statistics, then renders every metric the program
/// recorded, in Prometheus' text format.
///
/// This is where the pool reaches the dashboard: its counts are published when the
/// Prometheus server scrapes, every 15 s or so, never on a request's path. Publishing
/// sets counters to the pool's totals, so scraping often counts nothing twice. With more
/// pools, publish each here, or all default and registered pools at once with
/// `poolable::publish_all_metrics()`.
///
/// # Examples
///
/// ```
/// use axum::{Router, routing::get};
/// use poolable_axum_example::{AppState, metrics};
///
/// let router: Router = Router::new()
///     .route("/metrics", get(metrics))
///     .with_state(AppState::new(64));
/// # drop(router);
/// ```
pub async fn metrics(State(state): State<AppState>) -> Response {
    let Some(handle) = &state.metrics else {
        return (StatusCode::NOT_FOUND, "no metrics recorder installed").into_response();
    };
    state.contexts.publish_metrics("request_context");
    handle.render().into_response()
}

/// The service: `routes` with `state`, behind a layer that turns a handler's panic into
/// a 500 response.
///
/// Without that layer a panicking handler closes its connection (hyper catches nothing;
/// the task that serves the connection unwinds). With it, the connection goes on. Either
/// way the pooled context the handler held is dropped, not returned: the panic may have
/// left it half-written, and the pool counts it in `dropped_panicking`.
///
/// # Examples
///
/// ```
/// use poolable_axum_example::{AppState, Mode, app, routes};
///
/// let router = app(routes(Mode::Unpooled), AppState::new(64));
/// # drop(router);
/// ```
pub fn app(routes: Router<AppState>, state: AppState) -> Router {
    routes.layer(CatchPanicLayer::new()).with_state(state)
}

/// `POST /count`, pooled: the context is borrowed from `state.contexts` when the handler
/// starts and returned, reset, when its future completes or is dropped (a client that
/// disconnects mid-request).
///
/// This is an ordinary axum handler: `#[pooled]` removes the `ctx` parameter from the
/// signature axum sees, so the extractors are `State` and `Body` (the body last, as axum
/// requires), and the future stays `Send` because `RequestContext` is. `ctx` is held
/// across the `.await`s that read the body.
///
/// # Examples
///
/// ```
/// use axum::{Router, routing::post};
/// use poolable_axum_example::{AppState, count_words};
///
/// let router: Router = Router::new()
///     .route("/count", post(count_words))
///     .with_state(AppState::new(64));
/// # drop(router);
/// ```
#[pooled]
pub async fn count_words(
    State(state): State<AppState>,
    body: Body,
    #[pooled(pool = state.contexts)] ctx: &mut RequestContext,
) -> Response {
    let response = handle(ctx, body).await;
    state.served.fetch_add(1, Ordering::Relaxed);
    response
}

/// `POST /count`, unpooled: the same work with a new [`RequestContext`] per request.
///
/// # Examples
///
/// ```
/// use axum::{Router, routing::post};
/// use poolable_axum_example::{AppState, count_words_unpooled};
///
/// let router: Router = Router::new()
///     .route("/count", post(count_words_unpooled))
///     .with_state(AppState::new(64));
/// # drop(router);
/// ```
pub async fn count_words_unpooled(State(state): State<AppState>, body: Body) -> Response {
    let response = handle(&mut RequestContext::default(), body).await;
    state.served.fetch_add(1, Ordering::Relaxed);
    response
}

/// An order as a client posts it to `POST /orders`, in JSON.
///
/// Decoded in place by [`create_order`]: its strings, the header map's keys and values
/// and the tags are last request's, refilled; in steady state a decode allocates
/// nothing. [`create_order_unpooled`] decodes the same type fresh.
///
/// # Examples
///
/// ```
/// use poolable_axum_example::Order;
///
/// let json = r#"{"method": "POST", "path": "/", "headers": {}, "tags": ["a"],
///     "body": "", "user": {"id": 7, "name": "Ada", "email": "ada@example.com"}}"#;
/// let order: Order = serde_json::from_str(json).unwrap();
/// assert_eq!(order.user.id, 7);
/// ```
#[derive(Poolable, Default, Debug, Deserialize)]
pub struct Order {
    /// The method of the request this order describes.
    pub method: String,
    /// Its path.
    pub path: String,
    /// Its headers, by name.
    pub headers: ReuseMap<String, String>,
    /// Labels the client put on the order.
    pub tags: ReuseVec<String>,
    /// Free text.
    pub body: String,
    /// Who placed it.
    pub user: User,
}

/// Who placed an [`Order`].
///
/// # Examples
///
/// ```
/// let user = poolable_axum_example::User::default();
/// assert_eq!(user.id, 0);
/// ```
#[derive(Poolable, Default, Debug, Deserialize)]
pub struct User {
    /// The user's number.
    pub id: u64,
    /// The user's name.
    pub name: String,
    /// The user's email address.
    pub email: String,
}

/// `POST /orders`, pooled: the JSON body is decoded in place into an [`Order`] from its
/// default pool, which gets it back, reset, when the handler returns. Bad JSON, a wrong
/// content type or a body over axum's limit is answered as axum's `Json` answers it.
///
/// # Examples
///
/// ```
/// use axum::{Router, routing::post};
/// use poolable_axum_example::{AppState, create_order};
///
/// let router: Router = Router::new()
///     .route("/orders", post(create_order))
///     .with_state(AppState::new(64));
/// # drop(router);
/// ```
pub async fn create_order(
    State(state): State<AppState>,
    PooledJson(order): PooledJson<Order>,
) -> String {
    state.served.fetch_add(1, Ordering::Relaxed);
    summary(&order)
}

/// `POST /orders`, unpooled: the same with axum's `Json`, a fresh [`Order`] per request.
///
/// # Examples
///
/// ```
/// use axum::{Router, routing::post};
/// use poolable_axum_example::{AppState, create_order_unpooled};
///
/// let router: Router = Router::new()
///     .route("/orders", post(create_order_unpooled))
///     .with_state(AppState::new(64));
/// # drop(router);
/// ```
pub async fn create_order_unpooled(
    State(state): State<AppState>,
    Json(order): Json<Order>,
) -> String {
    state.served.fetch_add(1, Ordering::Relaxed);
    summary(&order)
}

/// What both order handlers answer: who ordered, and how much the order held.
fn summary(order: &Order) -> String {
    format!(
        "order from user {}: {} headers, {} tags, {} bytes of body",
        order.user.id,
        order.headers.len(),
        order.tags.len(),
        order.body.len()
    )
}

/// Reads the form in `body` into `ctx`, counts the words of its `text` field, and writes
/// the answer: 200 with JSON, 400 for a body that is not a form, 413 for one over
/// [`MAX_BODY`].
///
/// # Examples
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use poolable_axum_example::{RequestContext, handle};
///
/// let mut ctx = RequestContext::default();
/// let response = handle(&mut ctx, "text=to+be+or+not+to+be".into()).await;
/// assert_eq!(response.status(), 200);
/// let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
/// assert_eq!(
///     body,
///     r#"{"fields":1,"words":6,"distinct":4,"top":"be","top_count":2}"#
/// );
/// # }
/// ```
pub async fn handle(ctx: &mut RequestContext, body: Body) -> Response {
    if let Err(status) = read_body(body, &mut ctx.body).await {
        return status.into_response();
    }
    let RequestContext {
        body,
        fields,
        words,
        response,
    } = ctx;

    // The form: `application/x-www-form-urlencoded`, the decoder axum's `Form` uses.
    // Names and values without escapes are borrowed from the body, not copied.
    for (name, value) in form_urlencoded::parse(body) {
        add_field(fields, &name, &value);
    }
    let Some(text) = fields.get("text") else {
        return (StatusCode::BAD_REQUEST, "the form has no `text` field").into_response();
    };

    // The work: the text's words, lowercased, sorted; then the most frequent one.
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty() {
            add_word(words).extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    words.sort_unstable();
    let (mut distinct, mut top, mut top_count) = (0, "", 0);
    for run in words.chunk_by(|a, b| a == b) {
        distinct += 1;
        if run.len() > top_count {
            (top, top_count) = (run[0].as_str(), run.len());
        }
    }

    // Words are alphanumeric, so nothing in this JSON needs escaping.
    write!(
        response,
        r#"{{"fields":{},"words":{},"distinct":{distinct},"top":"{top}","top_count":{top_count}}}"#,
        fields.len(),
        words.len(),
    )
    .expect("writing to a String cannot fail");
    // The response outlives the handler, so it cannot hold the pooled buffer: one copy,
    // of exactly its size, goes to hyper.
    (
        [(header::CONTENT_TYPE, "application/json")],
        Bytes::copy_from_slice(response.as_bytes()),
    )
        .into_response()
}

/// Appends the body to `into`, a chunk at a time as hyper hands them over, up to
/// [`MAX_BODY`] bytes.
async fn read_body(mut body: Body, into: &mut Vec<u8>) -> Result<(), StatusCode> {
    // A frame error is the connection failing mid-body: the client is gone or sent a
    // broken request. The answer likely reaches nobody; the context goes back all the same.
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| StatusCode::BAD_REQUEST)?;
        if let Ok(data) = frame.into_data() {
            if into.len() + data.len() > MAX_BODY {
                return Err(StatusCode::PAYLOAD_TOO_LARGE);
            }
            into.extend_from_slice(&data);
        }
    }
    Ok(())
}
