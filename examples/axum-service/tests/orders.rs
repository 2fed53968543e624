//! `POST /orders`, pooled (`PooledJson`) and unpooled (axum's `Json`): the same answer to
//! the same order, and the same status for each kind of bad request.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use poolable_axum_example::{AppState, Mode, Order, app, routes};
use tower::ServiceExt;

const ORDER: &str = r#"{"method":"POST","path":"/api/orders/7","headers":{"host":"shop.example","accept":"*/*"},"tags":["express","gift"],"body":"leave at the door","user":{"id":48213,"name":"Ada","email":"ada@example.com"}}"#;

async fn post(mode: Mode, content_type: &str, body: &str) -> (StatusCode, String) {
    let request = Request::post("/orders")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = app(routes(mode), AppState::new(8))
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn pooled_and_unpooled_answer_the_same() {
    let expected = "order from user 48213: 2 headers, 2 tags, 17 bytes of body";
    let before = poolable::global::<Order>().stats();
    for mode in [Mode::Pooled, Mode::Unpooled, Mode::Pooled] {
        assert_eq!(
            post(mode, "application/json", ORDER).await,
            (StatusCode::OK, expected.to_owned()),
            "{mode:?}"
        );
    }
    // The pooled orders went back to their default pool (other tests may use it too,
    // so at least), reset.
    let returned = poolable::global::<Order>().stats().since(&before).returned;
    assert!(returned >= 2, "{returned} orders returned");
    let order = poolable::global::<Order>().get();
    assert!(order.tags.is_empty() && order.headers.is_empty() && order.user.id == 0);
}

#[tokio::test]
async fn bad_requests_get_the_same_status_either_way() {
    let cases = [
        ("application/json", "{", StatusCode::BAD_REQUEST),
        (
            "application/json",
            r#"{"method":1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("text/plain", ORDER, StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ];
    for (content_type, body, status) in cases {
        let (pooled, _) = post(Mode::Pooled, content_type, body).await;
        let (unpooled, _) = post(Mode::Unpooled, content_type, body).await;
        assert_eq!((pooled, unpooled), (status, status), "{body:?}");
    }
}
