//! `/metrics` as a Prometheus server scrapes it. A file of its own: the recorder is the
//! process's global one, installed once.

use metrics_exporter_prometheus::PrometheusBuilder;
use poolable_axum_example::client::Connection;
use poolable_axum_example::{AppState, Mode, app, routes};
use tokio::net::TcpListener;

#[tokio::test]
async fn a_scrape_shows_the_pool_and_counts_nothing_twice() {
    let handle = PrometheusBuilder::new()
        .install_recorder()
        .expect("the only recorder of this test binary");
    let state = AppState::new(8).with_metrics(handle);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = app(routes(Mode::Pooled), state.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let mut connection = Connection::open(address).await.unwrap();

    for _ in 0..3 {
        let (status, _) = connection
            .post_form("/count", "text=a+b".into())
            .await
            .unwrap();
        assert_eq!(status, 200);
    }
    // Two scrapes with no request between them: the second shows the same totals.
    let mut scrapes = Vec::new();
    for _ in 0..2 {
        let (status, text) = connection.get("/metrics").await.unwrap();
        assert_eq!(status, 200);
        scrapes.push(String::from_utf8(text.to_vec()).unwrap());
    }
    for text in &scrapes {
        for line in [
            r#"poolable_objects_made_total{pool="request_context"} 1"#,
            r#"poolable_objects_reused_total{pool="request_context"} 2"#,
            r#"poolable_objects_returned_total{pool="request_context"} 3"#,
            r#"poolable_objects_dropped_total{pool="request_context",reason="full"} 0"#,
            r#"poolable_objects_kept{pool="request_context"} 1"#,
            r#"poolable_objects_out{pool="request_context"} 0"#,
        ] {
            assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
        }
        assert!(
            text.contains("# TYPE poolable_objects_made_total counter"),
            "{text}"
        );
        assert!(
            text.contains("# TYPE poolable_objects_kept gauge"),
            "{text}"
        );
    }
}
