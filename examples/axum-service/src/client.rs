//! A small HTTP/1.1 client on hyper: one connection, one request at a time, as each
//! connection of a load generator sends them. The binary drives the service with it,
//! and the tests use it to talk to a real server.

use std::io;
use std::net::SocketAddr;

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// One keep-alive connection to the service.
///
/// # Examples
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use poolable_axum_example::client::Connection;
///
/// let mut connection = Connection::open("127.0.0.1:3000".parse().unwrap()).await?;
/// let (status, body) = connection.post_form("/count", "text=hello".into()).await?;
/// assert_eq!(status, 200);
/// # drop(body);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Connection {
    sender: http1::SendRequest<Body>,
}

impl Connection {
    /// Connects to `address`. The connection's I/O runs in a task spawned on the current
    /// tokio runtime; it ends when the `Connection` is dropped.
    ///
    /// # Examples
    ///
    /// See [`Connection`].
    pub async fn open(address: SocketAddr) -> io::Result<Connection> {
        let stream = TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(io::Error::other)?;
        tokio::spawn(async move {
            // An error here is the server closing the connection; the next request on
            // it reports that.
            let _ = connection.await;
        });
        Ok(Connection { sender })
    }

    /// Sends `GET path` and waits for the whole response.
    ///
    /// # Errors
    ///
    /// When the connection fails or the server closes it.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run() -> std::io::Result<()> {
    /// use poolable_axum_example::client::Connection;
    ///
    /// let mut connection = Connection::open("127.0.0.1:3000".parse().unwrap()).await?;
    /// let (status, text) = connection.get("/metrics").await?;
    /// # drop((status, text));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get(&mut self, path: &str) -> io::Result<(StatusCode, Bytes)> {
        let request = Request::get(path)
            .header(header::HOST, "127.0.0.1")
            .body(Body::empty())
            .map_err(io::Error::other)?;
        self.send(request).await
    }

    /// Sends `form` to `path` as `application/x-www-form-urlencoded` and waits for the
    /// whole response.
    ///
    /// # Errors
    ///
    /// When the connection fails or the server closes it.
    ///
    /// # Examples
    ///
    /// See [`Connection`].
    pub async fn post_form(&mut self, path: &str, form: Bytes) -> io::Result<(StatusCode, Bytes)> {
        let request = Request::post(path)
            .header(header::HOST, "127.0.0.1")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .map_err(io::Error::other)?;
        self.send(request).await
    }

    async fn send(&mut self, request: Request<Body>) -> io::Result<(StatusCode, Bytes)> {
        self.sender.ready().await.map_err(io::Error::other)?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(io::Error::other)?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(io::Error::other)?
            .to_bytes();
        Ok((status, body))
    }
}

/// `count` forms of the shape the service expects: three fields, a `text` of 20 to 200
/// words drawn from a small vocabulary, so words repeat as they do in real text. The
/// same `count` always gives the same forms.
///
/// # Examples
///
/// ```
/// let forms = poolable_axum_example::client::sample_forms(4);
/// assert_eq!(forms.len(), 4);
/// assert!(forms[0].starts_with(b"name=doc0&lang=en&text="));
/// ```
pub fn sample_forms(count: usize) -> Vec<Bytes> {
    const WORDS: [&str; 16] = [
        "pool",
        "object",
        "reset",
        "buffer",
        "request",
        "latency",
        "allocation",
        "thread",
        "queue",
        "borrow",
        "return",
        "capacity",
        "The",
        "a",
        "of",
        "Service",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    (0..count)
        .map(|id| {
            let mut form = format!("name=doc{id}&lang=en&text=");
            for n in 0..20 + next(181) {
                if n > 0 {
                    form.push('+');
                }
                form.push_str(WORDS[next(WORDS.len() as u64) as usize]);
            }
            Bytes::from(form)
        })
        .collect()
}
