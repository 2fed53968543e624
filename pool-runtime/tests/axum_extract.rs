//! The axum extractors (feature `axum`) driven as axum drives them: a handler called with
//! a request through axum's `Handler` trait, body limit layer included, and its response
//! read back. Status codes and messages are compared with what axum's own `Json` and
//! `Form` answer.
//!
//! No async runtime is needed: every body here is in memory, so each future completes on
//! its first poll (a future that did not would fail the test).

#![cfg(feature = "axum")]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use poolable::axum::{PooledForm, PooledJson};
use poolable::{Pool, Poolable};
use serde::Deserialize;

/// Runs a future that completes without waiting.
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future waited, with every body in memory"),
    }
}

#[derive(Poolable, Default, Deserialize, Debug)]
struct Order {
    id: String,
    quantity: u32,
    #[serde(default)]
    note: String,
}

fn pool() -> &'static Pool<Order> {
    poolable::global::<Order>()
}

async fn json_handler(PooledJson(order): PooledJson<Order>) -> String {
    format!("{} x{} {:?}", order.id, order.quantity, order.note)
}

async fn form_handler(order: PooledForm<Order>) -> String {
    format!("{} x{} {:?}", order.id, order.quantity, order.note)
}

fn request(
    method: &str,
    uri: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    builder.body(body.into()).unwrap()
}

fn text(response: Response) -> (StatusCode, String) {
    let status = response.status();
    let bytes = now(axum::body::to_bytes(response.into_body(), usize::MAX)).unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

fn json(body: &str) -> (StatusCode, String) {
    json_bytes(body.as_bytes())
}

fn json_bytes(body: &[u8]) -> (StatusCode, String) {
    let request = request("POST", "/", Some("application/json"), body.to_vec());
    text(now(Handler::<_, ()>::call(json_handler, request, ())))
}

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

#[test]
fn a_json_body_is_decoded_into_a_pooled_object() {
    let (status, body) = json(r#"{"id":"A-17","quantity":3,"note":"fragile"}"#);
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"A-17 x3 "fragile""#)
    );
    // No stale data: the next request has no note, and gets none.
    let (status, body) = json(r#"{"id":"B","quantity":1}"#);
    assert_eq!((status, body.as_str()), (StatusCode::OK, r#"B x1 """#));
    let stats = pool().stats();
    assert!(stats.reused >= 1, "{stats:?}");
}

#[test]
fn json_rejections_read_as_axums() {
    let cases = [
        // Malformed: 400, as axum's JsonSyntaxError.
        (
            "{",
            StatusCode::BAD_REQUEST,
            "Failed to parse the request body as JSON: EOF while parsing an object at line 1 column 1",
        ),
        // Trailing input: 400, axum's own test case and message.
        (
            r#"{ "id": "bar", "quantity": 1 } baz "#,
            StatusCode::BAD_REQUEST,
            "Failed to parse the request body as JSON: trailing characters at line 1 column 32",
        ),
        // Well-formed, wrong type: 422, as axum's JsonDataError (without its path prefix).
        (
            r#"{"id":"A","quantity":"three"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Failed to deserialize the JSON body into the target type: invalid type: string \"three\", expected u32 at line 1 column 28",
        ),
        // A field missing: 422.
        (
            r#"{"id":"A"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Failed to deserialize the JSON body into the target type: missing field `quantity` at line 1 column 10",
        ),
    ];
    // Not UTF-8: serde_json's own error, where it finds the bad byte.
    let bad = b"{\"id\":\"A\xff\",\"quantity\":1}";
    let theirs = serde_json::from_slice::<Order>(bad).unwrap_err();
    assert_eq!(
        json_bytes(bad),
        (
            StatusCode::BAD_REQUEST,
            format!("Failed to parse the request body as JSON: {theirs}")
        )
    );
    assert!(theirs.to_string().starts_with("invalid unicode code point"));
    for (input, status, message) in cases {
        assert_eq!(json(input), (status, message.to_owned()), "{input:?}");
        // The half-decoded object went back reset: the next user sees none of it.
        let object = pool().get();
        assert_eq!(
            (object.id.as_str(), object.quantity),
            ("", 0),
            "after {input:?}"
        );
    }
}

#[test]
fn a_json_body_without_a_json_content_type_is_415() {
    for content_type in [None, Some("text/plain"), Some("text/json"), Some(FORM)] {
        let req = request("POST", "/", content_type, r#"{"id":"A","quantity":1}"#);
        let (status, message) = text(now(Handler::<_, ()>::call(json_handler, req, ())));
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
        assert_eq!(
            message,
            "Expected request with `Content-Type: application/json`"
        );
    }
    let json_api = Some("application/vnd.api+json; charset=utf-8");
    let req = request("POST", "/", json_api, r#"{"id":"A","quantity":1}"#);
    let (status, _) = text(now(Handler::<_, ()>::call(json_handler, req, ())));
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn a_body_over_the_limit_is_axums_413() {
    let big = format!(r#"{{"id":"{}","quantity":1}}"#, "x".repeat(64));
    // Under a 16-byte limit set by the user's layer.
    let limited = json_handler.layer(DefaultBodyLimit::max(16));
    let req = request("POST", "/", Some(JSON), big);
    let (status, message) = text(now(Handler::<_, ()>::call(limited, req, ())));
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        message,
        "Failed to buffer the request body: length limit exceeded"
    );

    let limited = form_handler.layer(DefaultBodyLimit::max(16));
    let form = format!("id={}&quantity=1", "x".repeat(64));
    let req = request("POST", "/", Some(FORM), form);
    let (status, _) = text(now(Handler::<_, ()>::call(limited, req, ())));
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    // And axum's default limit, 2 MB, with no layer at all.
    let huge = format!(r#"{{"id":"{}","quantity":1}}"#, "x".repeat(3 << 20));
    let req = request("POST", "/", Some(JSON), huge);
    let (status, _) = text(now(Handler::<_, ()>::call(json_handler, req, ())));
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

fn form(method: &str, uri: &str, content_type: Option<&str>, body: &str) -> (StatusCode, String) {
    let request = request(method, uri, content_type, body.to_owned());
    text(now(Handler::<_, ()>::call(form_handler, request, ())))
}

#[test]
fn a_form_body_or_query_is_decoded_into_a_pooled_object() {
    assert_eq!(
        form(
            "POST",
            "/",
            Some(FORM),
            "id=A-17&quantity=3&note=two+words%21"
        ),
        (StatusCode::OK, r#"A-17 x3 "two words!""#.to_owned())
    );
    assert_eq!(
        form("POST", "/", Some(FORM), "quantity=1&id=B"),
        (StatusCode::OK, r#"B x1 """#.to_owned())
    );
    assert_eq!(
        form("GET", "/?id=C&quantity=2", None, ""),
        (StatusCode::OK, r#"C x2 """#.to_owned())
    );
}

#[test]
fn form_rejections_read_as_axums() {
    assert_eq!(
        form("POST", "/", Some(JSON), "id=A&quantity=1"),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Form requests must have `Content-Type: application/x-www-form-urlencoded`".to_owned()
        )
    );
    assert_eq!(
        form("POST", "/", Some(FORM), "id=A&quantity=lots"),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Failed to deserialize form body: invalid digit found in string".to_owned()
        )
    );
    assert_eq!(
        form("POST", "/", Some(FORM), "id=A"),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Failed to deserialize form body: missing field `quantity`".to_owned()
        )
    );
    assert_eq!(
        form("GET", "/?id=A&quantity=-1", None, ""),
        (
            StatusCode::BAD_REQUEST,
            "Failed to deserialize form: invalid digit found in string".to_owned()
        )
    );
    let object = pool().get();
    assert_eq!((object.id.as_str(), object.quantity), ("", 0));
}

/// The extractors work in a `Router`, whose handlers must be `Send`: this compiles only
/// if their futures are. And the guard is `'static` and `Send`, so it moves into a task.
#[test]
fn extractors_are_send_and_static() {
    fn send_static<T: Send + 'static>(_: &T) {}
    async fn moves_on(PooledJson(order): PooledJson<Order>) -> String {
        send_static(&order);
        order.quantity.to_string()
    }
    let _app: axum::Router = axum::Router::new()
        .route("/json", axum::routing::post(json_handler))
        .route("/form", axum::routing::post(form_handler))
        .route("/moves", axum::routing::post(moves_on));
}
