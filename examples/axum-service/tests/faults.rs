//! What becomes of a pooled context when a request goes wrong: a handler that panics, a
//! request future dropped midway, a client that hangs up mid-body. Each test has a pool
//! of its own, so their counts do not mix.

use std::convert::Infallible;
use std::future::Future;
use std::io::Write;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::Request;
use axum::routing::post;
use http_body_util::channel::Channel;
use poolable::pooled;
use poolable_axum_example::client::Connection;
use poolable_axum_example::{AppState, Mode, RequestContext, app, routes};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// A handler with a bug: it panics while it holds a pooled context, after an `.await`.
#[pooled]
async fn panics(
    State(state): State<AppState>,
    #[pooled(pool = state.contexts)] ctx: &mut RequestContext,
) -> &'static str {
    tokio::task::yield_now().await;
    panic!("a bug in a handler holding {ctx:?}");
}

/// Serves `router` on 127.0.0.1, on a port the system picks, until the test ends.
async fn start(router: axum::Router) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// Waits until `done` holds; fails the test if it never does, rather than hang.
async fn until(done: impl Fn() -> bool) {
    tokio::time::timeout(Duration::from_secs(30), async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await
    .expect("the pool never reached the state the test waits for");
}

#[tokio::test]
async fn a_panicking_handler_drops_its_context_and_the_connection_keeps_serving() {
    let state = AppState::new(8);
    let router = app(
        routes(Mode::Pooled).route("/panic", post(panics)),
        state.clone(),
    );
    let mut connection = Connection::open(start(router).await).await.unwrap();

    let (status, _) = connection
        .post_form("/panic", "text=x".into())
        .await
        .unwrap();
    assert_eq!(status, 500);
    let stats = state.contexts.stats();
    assert_eq!((stats.made, stats.dropped_panicking, stats.out), (1, 1, 0));
    assert_eq!(
        stats.kept, 0,
        "a context a panic may have left half-written is not kept"
    );

    // The same connection, the same pool: the service goes on.
    let (status, body) = connection
        .post_form("/count", "text=still+serving+still".into())
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(body.starts_with(br#"{"fields":1,"words":3,"distinct":2,"top":"still""#));
    let stats = state.contexts.stats();
    assert_eq!(
        (stats.made, stats.returned, stats.kept, stats.out),
        (2, 1, 1, 0)
    );
}

#[tokio::test]
async fn a_request_future_dropped_midway_returns_its_context() {
    let state = AppState::new(8);
    let router = app(routes(Mode::Pooled), state.clone());
    // A body whose first half is sent and whose rest never comes.
    let (mut sender, body) = Channel::<Bytes, Infallible>::new(1);
    sender
        .send_data(Bytes::from_static(b"text=half+a"))
        .await
        .unwrap();
    let request = Request::post("/count").body(Body::new(body)).unwrap();
    let mut response = Box::pin(router.oneshot(request));

    // Run the handler until it holds a context and waits for the rest of the body.
    tokio::select! {
        _ = &mut response => panic!("the handler answered without the whole body"),
        () = until(|| state.contexts.stats().out == 1) => {}
    }
    // What hyper does when the client goes away: the future is dropped.
    drop(response);
    let stats = state.contexts.stats();
    assert_eq!((stats.returned, stats.kept, stats.out), (1, 1, 0));
    drop(sender);
}

#[tokio::test]
async fn a_client_that_hangs_up_mid_body_returns_the_context() {
    let state = AppState::new(8);
    let address = start(app(routes(Mode::Pooled), state.clone())).await;

    // A std socket: a few bytes to a loopback socket never block.
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .write_all(
            b"POST /count HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Content-Type: application/x-www-form-urlencoded\r\n\
              Content-Length: 1000\r\n\r\ntext=only+the+start",
        )
        .unwrap();
    until(|| state.contexts.stats().out == 1).await;
    drop(stream);

    // The handler sees the body fail and answers (to nobody), or hyper drops it: either
    // way the context goes back.
    until(|| state.contexts.stats().out == 0).await;
    let stats = state.contexts.stats();
    assert_eq!((stats.returned, stats.kept, stats.dropped()), (1, 1, 0));
}

#[tokio::test]
async fn pooled_and_unpooled_answer_alike() {
    let forms = poolable_axum_example::client::sample_forms(8);
    let (mut answers, mut states) = (Vec::new(), Vec::new());
    for mode in [Mode::Pooled, Mode::Unpooled] {
        let state = AppState::new(8);
        let mut connection = Connection::open(start(app(routes(mode), state.clone())).await)
            .await
            .unwrap();
        let mut bodies = Vec::new();
        for form in [&forms[..], &forms[..]].concat() {
            bodies.push(connection.post_form("/count", form).await.unwrap());
        }
        bodies.push(
            connection
                .post_form("/count", "name=x".into())
                .await
                .unwrap(),
        );
        // In process, not over TCP: a server that answers before reading a body may close
        // the socket with the body unread, and the reset can beat its answer to a client.
        let too_large = vec![b'a'; poolable_axum_example::MAX_BODY + 1];
        let request = Request::post("/count").body(Body::from(too_large)).unwrap();
        let response = app(routes(mode), state.clone())
            .oneshot(request)
            .await
            .unwrap();
        bodies.push((response.status(), Bytes::new()));
        answers.push(bodies);
        states.push(state);
    }
    assert_eq!(answers[0], answers[1]);
    let statuses: Vec<_> = answers[0]
        .iter()
        .map(|(status, _)| status.as_u16())
        .collect();
    assert_eq!(statuses, [[200; 16].as_slice(), &[400, 413]].concat());

    // Pooled, one context served all 18 requests, one after another; unpooled, the pool
    // was never asked.
    let pooled = states[0].contexts.stats();
    assert_eq!((pooled.made, pooled.reused, pooled.kept), (1, 17, 1));
    assert_eq!(states[1].contexts.stats().made, 0);
}

/// The handler's future is `Send`, as axum needs, because `RequestContext` is: checked
/// here without axum in between.
#[test]
fn the_pooled_handler_future_is_send() {
    fn assert_send<F: Future + Send>(_: F) {}
    let state = AppState::new(1);
    assert_send(poolable_axum_example::count_words(
        State(state),
        Body::empty(),
    ));
}
