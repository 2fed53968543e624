//! axum extractors that decode a request body into a pooled object, in place (feature
//! `axum`).
//!
//! [`PooledJson<T>`] and [`PooledForm<T>`] do what axum's `Json<T>` and `Form<T>` do, but
//! decode into an object borrowed from `T`'s default pool ([`global::<T>()`](crate::global))
//! instead of a fresh `T`: strings, buffers and the reuse collections' spares are refilled
//! (see [`Pool::decode`](crate::Pool::decode)). The object goes back, reset, when the
//! handler drops it. The guard inside is a [`Pooled<'static, T>`](Pooled): `'static`, and
//! `Send` when `T` is, so handlers stay `Send` and may hand it to a spawned task.
//!
//! Rejections read as axum's own, status and message alike; axum's body limit
//! (`DefaultBodyLimit`, 2 MB unless changed) applies, and its rejection (413) is passed on
//! as axum made it:
//!
//! | problem | [`PooledJson`] | [`PooledForm`] |
//! |---|---|---|
//! | wrong or missing `Content-Type` | 415 | 415 (not for `GET`, which reads the query) |
//! | body too large, or unreadable | axum's (413, ...) | axum's (413, ...) |
//! | malformed or cut-short input | 400 | 422 (400 for a `GET`/`HEAD` query) |
//! | well-formed, wrong shape or types | 422 | 422 (400 for a `GET`/`HEAD` query) |
//!
//! One difference in the message: axum's `Json` and `Form` prefix a serde error with the
//! path of the field it concerns (`items[2].sku: ...`), which they track with a crate that
//! allocates a string per map key; these do not, to keep a decode free of allocations.
//! serde_json's line and column are there all the same.
//!
//! # Examples
//!
//! ```
//! use axum::Router;
//! use axum::routing::post;
//! use poolable::axum::PooledJson;
//! use poolable::{Poolable, ReuseVec};
//! use serde::Deserialize;
//!
//! #[derive(Poolable, Default, Deserialize)]
//! struct Order {
//!     id: String,
//!     items: ReuseVec<String>,
//! }
//!
//! // `order` is a `Pooled<'static, Order>`, decoded into last request's strings.
//! async fn create(PooledJson(order): PooledJson<Order>) -> String {
//!     format!("{}: {} items", order.id, order.items.len())
//! } // back to the pool, reset, here
//!
//! let app: Router = Router::new().route("/orders", post(create));
//! ```

use std::fmt;
use std::ops::{Deref, DerefMut};

use ::axum::body::Bytes;
use ::axum::extract::rejection::{BytesRejection, RawFormRejection};
use ::axum::extract::{FromRequest, RawForm, Request};
use ::axum::http::{HeaderMap, Method, StatusCode, header};
use ::axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::{NewPooled, Poolable, Pooled, global};

/// Extracts a JSON body into an object from `T`'s default pool, decoded in place.
///
/// What axum's `Json<T>` does for a fresh `T`: the request needs `Content-Type:
/// application/json` (or another `+json` type, parameters allowed), the body is read
/// within axum's body limit, and nothing may follow the JSON value. The module docs list
/// the rejections. The body's UTF-8 is checked once, whole, before decoding, rather than
/// string by string as serde_json does when it reads bytes: the same answer, for fewer
/// instructions. Derefs to `T`; the field is the guard, which returns the object to the
/// pool when dropped.
///
/// # Examples
///
/// ```
/// use axum::routing::post;
/// use poolable::axum::PooledJson;
/// use poolable::Poolable;
/// use serde::Deserialize;
///
/// #[derive(Poolable, Default, Deserialize)]
/// struct Login {
///     user: String,
///     password: String,
/// }
///
/// async fn login(login: PooledJson<Login>) -> &'static str {
///     if login.user == "ada" { "welcome" } else { "who?" }
/// }
///
/// let app: axum::Router = axum::Router::new().route("/login", post(login));
/// ```
#[derive(Debug)]
#[must_use = "the object goes back to the pool as soon as the extractor is dropped"]
pub struct PooledJson<T: Poolable + 'static>(pub Pooled<'static, T>);

/// Extracts a URL-encoded form into an object from `T`'s default pool, decoded in place.
///
/// What axum's `Form<T>` does for a fresh `T`: a `GET` request is read from its query
/// string; any other needs `Content-Type: application/x-www-form-urlencoded` and is read
/// from its body, within axum's body limit. The module docs list the rejections.
///
/// A value that is percent-encoded or holds a `+` has to be decoded into a new string
/// (by `form_urlencoded`, as for axum's `Form`), which then replaces the pooled one; a
/// value that needs no decoding is copied into the pooled string's capacity.
///
/// # Examples
///
/// ```
/// use axum::routing::post;
/// use poolable::axum::PooledForm;
/// use poolable::Poolable;
/// use serde::Deserialize;
///
/// #[derive(Poolable, Default, Deserialize)]
/// struct Search {
///     query: String,
///     page: u32,
/// }
///
/// async fn search(search: PooledForm<Search>) -> String {
///     format!("page {} of {:?}", search.page, search.query)
/// }
///
/// let app: axum::Router = axum::Router::new().route("/search", post(search));
/// ```
#[derive(Debug)]
#[must_use = "the object goes back to the pool as soon as the extractor is dropped"]
pub struct PooledForm<T: Poolable + 'static>(pub Pooled<'static, T>);

impl<T, S> FromRequest<S> for PooledJson<T>
where
    T: Poolable + NewPooled + DeserializeOwned + Send + 'static,
    S: Send + Sync,
{
    type Rejection = PooledJsonRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(PooledJsonRejection::MissingJsonContentType);
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(PooledJsonRejection::BytesRejection)?;
        decode_json(&bytes).map(PooledJson)
    }
}

/// Decodes `bytes` into an object of `T`'s default pool; errors classified as axum's
/// `Json` classifies them. On every error the object is dropped, so reset and returned.
fn decode_json<T>(bytes: &[u8]) -> Result<Pooled<'static, T>, PooledJsonRejection>
where
    T: Poolable + NewPooled + DeserializeOwned + Send + 'static,
{
    // JSON is UTF-8. Checked once over the whole body, the input is then read as a `str`,
    // which spares serde_json a check of each string it reads: a fifth of the decode's
    // instructions (BENCHMARKS.md, "Decode in place"). Input that is not UTF-8 is read
    // as bytes, so that the error is serde_json's own, where it finds the bad byte.
    match std::str::from_utf8(bytes) {
        Ok(text) => decode_json_from(serde_json::Deserializer::from_str(text)),
        Err(_) => decode_json_from(serde_json::Deserializer::from_slice(bytes)),
    }
}

fn decode_json_from<'de, R, T>(
    mut input: serde_json::Deserializer<R>,
) -> Result<Pooled<'static, T>, PooledJsonRejection>
where
    R: serde_json::de::Read<'de>,
    T: Poolable + NewPooled + DeserializeOwned + Send + 'static,
{
    let object = global::<T>()
        .decode(&mut input)
        .map_err(PooledJsonRejection::from_decode)?;
    input.end().map_err(PooledJsonRejection::JsonSyntaxError)?;
    Ok(object)
}

/// Whether the request says its body is JSON: `application/json` or `application/*+json`,
/// parameters allowed, as axum's `Json` decides.
fn json_content_type(headers: &HeaderMap) -> bool {
    let Some(Ok(value)) = headers.get(header::CONTENT_TYPE).map(|v| v.to_str()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    let suffix = subtype.rsplit_once('+').map(|(_, suffix)| suffix);
    kind.eq_ignore_ascii_case("application")
        && (subtype.eq_ignore_ascii_case("json")
            || suffix.is_some_and(|suffix| suffix.eq_ignore_ascii_case("json")))
}

impl<T, S> FromRequest<S> for PooledForm<T>
where
    T: Poolable + NewPooled + DeserializeOwned + Send + 'static,
    S: Send + Sync,
{
    type Rejection = PooledFormRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let from_query = req.method() == Method::GET || req.method() == Method::HEAD;
        // axum's own: the query of a GET, otherwise the body, content type checked.
        let RawForm(bytes) = RawForm::from_request(req, state)
            .await
            .map_err(PooledFormRejection::RawForm)?;
        let input = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&bytes));
        match global::<T>().decode(input) {
            Ok(object) => Ok(PooledForm(object)),
            Err(error) if from_query => Err(PooledFormRejection::FailedToDeserializeForm(error)),
            Err(error) => Err(PooledFormRejection::FailedToDeserializeFormBody(error)),
        }
    }
}

macro_rules! deref_to_object {
    ($($extractor:ident),*) => {$(
        impl<T: Poolable + 'static> Deref for $extractor<T> {
            type Target = T;

            fn deref(&self) -> &T {
                &self.0
            }
        }

        impl<T: Poolable + 'static> DerefMut for $extractor<T> {
            fn deref_mut(&mut self) -> &mut T {
                &mut self.0
            }
        }
    )*};
}

deref_to_object!(PooledJson, PooledForm);

/// Why [`PooledJson`] refused a request; as axum's `JsonRejection`, status and message.
///
/// Answers with its [`status`](Self::status) and [`body_text`](Self::body_text) as plain
/// text.
///
/// # Examples
///
/// ```
/// use axum::http::StatusCode;
/// use poolable::axum::PooledJsonRejection;
///
/// let rejection = PooledJsonRejection::MissingJsonContentType;
/// assert_eq!(rejection.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
/// assert_eq!(
///     rejection.body_text(),
///     "Expected request with `Content-Type: application/json`"
/// );
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum PooledJsonRejection {
    /// The body is JSON, but not of `T`'s shape or types: 422 Unprocessable Entity.
    JsonDataError(serde_json::Error),
    /// The body is not JSON, is cut short, or has more after the value: 400 Bad Request.
    JsonSyntaxError(serde_json::Error),
    /// The request's `Content-Type` is not JSON, or missing: 415 Unsupported Media Type.
    MissingJsonContentType,
    /// axum could not read the body: its own rejection (413 Payload Too Large over the
    /// body limit).
    BytesRejection(BytesRejection),
}

impl PooledJsonRejection {
    fn from_decode(error: serde_json::Error) -> Self {
        match error.classify() {
            serde_json::error::Category::Data => PooledJsonRejection::JsonDataError(error),
            // `Io` cannot happen: the body is read whole before decoding.
            _ => PooledJsonRejection::JsonSyntaxError(error),
        }
    }

    /// The status code this rejection answers with.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::axum::PooledJsonRejection;
    ///
    /// let error = serde_json::from_str::<u32>("{").unwrap_err();
    /// let rejection = PooledJsonRejection::JsonSyntaxError(error);
    /// assert_eq!(rejection.status().as_u16(), 400);
    /// ```
    pub fn status(&self) -> StatusCode {
        match self {
            PooledJsonRejection::JsonDataError(_) => StatusCode::UNPROCESSABLE_ENTITY,
            PooledJsonRejection::JsonSyntaxError(_) => StatusCode::BAD_REQUEST,
            PooledJsonRejection::MissingJsonContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            PooledJsonRejection::BytesRejection(rejection) => rejection.status(),
        }
    }

    /// The message this rejection answers with, as axum words it.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::axum::PooledJsonRejection;
    ///
    /// let error = serde_json::from_str::<u32>(r#""seven""#).unwrap_err();
    /// assert_eq!(
    ///     PooledJsonRejection::JsonDataError(error).body_text(),
    ///     "Failed to deserialize the JSON body into the target type: \
    ///      invalid type: string \"seven\", expected u32 at line 1 column 7",
    /// );
    /// ```
    pub fn body_text(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for PooledJsonRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PooledJsonRejection::JsonDataError(error) => write!(
                f,
                "Failed to deserialize the JSON body into the target type: {error}"
            ),
            PooledJsonRejection::JsonSyntaxError(error) => {
                write!(f, "Failed to parse the request body as JSON: {error}")
            }
            PooledJsonRejection::MissingJsonContentType => {
                f.write_str("Expected request with `Content-Type: application/json`")
            }
            PooledJsonRejection::BytesRejection(rejection) => rejection.fmt(f),
        }
    }
}

impl std::error::Error for PooledJsonRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PooledJsonRejection::JsonDataError(error)
            | PooledJsonRejection::JsonSyntaxError(error) => Some(error),
            PooledJsonRejection::MissingJsonContentType => None,
            PooledJsonRejection::BytesRejection(rejection) => Some(rejection),
        }
    }
}

impl IntoResponse for PooledJsonRejection {
    fn into_response(self) -> Response {
        match self {
            // axum's own answer, as it would have given it.
            PooledJsonRejection::BytesRejection(rejection) => rejection.into_response(),
            other => (other.status(), other.body_text()).into_response(),
        }
    }
}

/// Why [`PooledForm`] refused a request; as axum's `FormRejection`, status and message.
///
/// # Examples
///
/// ```
/// use poolable::axum::PooledFormRejection;
///
/// let error = serde_urlencoded::from_str::<Vec<(String, u32)>>("a=x").unwrap_err();
/// let rejection = PooledFormRejection::FailedToDeserializeFormBody(error);
/// assert_eq!(rejection.status().as_u16(), 422);
/// assert!(rejection.body_text().starts_with("Failed to deserialize form body: "));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum PooledFormRejection {
    /// axum's own rejection from reading the form: the wrong `Content-Type` (415), or a
    /// body it could not read (413 Payload Too Large over the body limit).
    RawForm(RawFormRejection),
    /// A `GET` or `HEAD` query that does not decode into `T`: 400 Bad Request.
    FailedToDeserializeForm(serde_urlencoded::de::Error),
    /// A form body that does not decode into `T`: 422 Unprocessable Entity.
    FailedToDeserializeFormBody(serde_urlencoded::de::Error),
}

impl PooledFormRejection {
    /// The status code this rejection answers with.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::axum::PooledFormRejection;
    ///
    /// let error = serde_urlencoded::from_str::<Vec<(String, u32)>>("a=x").unwrap_err();
    /// assert_eq!(PooledFormRejection::FailedToDeserializeForm(error).status().as_u16(), 400);
    /// ```
    pub fn status(&self) -> StatusCode {
        match self {
            PooledFormRejection::RawForm(rejection) => rejection.status(),
            PooledFormRejection::FailedToDeserializeForm(_) => StatusCode::BAD_REQUEST,
            PooledFormRejection::FailedToDeserializeFormBody(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The message this rejection answers with, as axum words it.
    ///
    /// # Examples
    ///
    /// ```
    /// use poolable::axum::PooledFormRejection;
    ///
    /// let error = serde_urlencoded::from_str::<Vec<(String, u32)>>("a=x").unwrap_err();
    /// assert_eq!(
    ///     PooledFormRejection::FailedToDeserializeForm(error).body_text(),
    ///     "Failed to deserialize form: invalid digit found in string",
    /// );
    /// ```
    pub fn body_text(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for PooledFormRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PooledFormRejection::RawForm(rejection) => rejection.fmt(f),
            PooledFormRejection::FailedToDeserializeForm(error) => {
                write!(f, "Failed to deserialize form: {error}")
            }
            PooledFormRejection::FailedToDeserializeFormBody(error) => {
                write!(f, "Failed to deserialize form body: {error}")
            }
        }
    }
}

impl std::error::Error for PooledFormRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PooledFormRejection::RawForm(rejection) => Some(rejection),
            PooledFormRejection::FailedToDeserializeForm(error)
            | PooledFormRejection::FailedToDeserializeFormBody(error) => Some(error),
        }
    }
}

impl IntoResponse for PooledFormRejection {
    fn into_response(self) -> Response {
        match self {
            PooledFormRejection::RawForm(rejection) => rejection.into_response(),
            other => (other.status(), other.body_text()).into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pool;

    #[derive(Default, serde::Deserialize)]
    struct Form {
        name: String,
        count: u32,
    }

    impl Poolable for Form {
        fn reset(&mut self) {
            self.name.clear();
            self.count = 0;
        }
    }

    /// What `PooledForm` documents: a value without escapes is copied into the pooled
    /// string's own buffer.
    #[test]
    fn a_form_value_without_escapes_lands_in_the_pooled_buffer() {
        let pool: Pool<Form> = Pool::with_capacity(1);
        let decode = |body: &[u8]| {
            let input = serde_urlencoded::Deserializer::new(form_urlencoded::parse(body));
            let form = pool.decode(input).unwrap();
            (form.name.clone(), form.count, form.name.as_ptr())
        };
        let (name, count, first) = decode(b"name=a-long-enough-name&count=3");
        assert_eq!((name.as_str(), count), ("a-long-enough-name", 3));
        let (name, count, second) = decode(b"count=4&name=shorter");
        assert_eq!((name.as_str(), count), ("shorter", 4));
        assert_eq!(first, second, "the same buffer, refilled");
    }

    #[test]
    fn json_content_types_as_axum_decides() {
        let accepts = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, value.parse().unwrap());
            json_content_type(&headers)
        };
        // axum's own cases.
        assert!(accepts("application/json"));
        assert!(accepts("application/json; charset=utf-8"));
        assert!(accepts("application/json;charset=utf-8"));
        assert!(accepts("application/cloudevents+json"));
        assert!(!accepts("text/json"));
        // And a few more.
        assert!(accepts("Application/JSON"));
        assert!(!accepts("application/jsonx"));
        assert!(!accepts("application/x-www-form-urlencoded"));
        assert!(!accepts("json"));
        assert!(!json_content_type(&HeaderMap::new()));
    }
}
