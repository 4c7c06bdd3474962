//! [`Request`]: one API call, described (method, path with its ids, query, body, whether it
//! is signed and how safe it is to repeat). [`Client::send`](crate::Client::send) runs it
//! through the pipeline in `run`.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};

pub use crate::endpoint::Method;
use crate::endpoint::{Endpoint, Idempotency};
use crate::error::{Error, Result};
use crate::multipart::Multipart;
use crate::retry::Safety;

// Kept at their old paths for the modules that name them there.

/// Everything but the unreserved characters of RFC 3986 is encoded in a path segment, so an id
/// holding `/`, `?`, `#`, `%` or a space stays one segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// One API call, described: method, percent-encoded path, optional query, the body serialized
/// once, and whether it needs a user action signature. `T` is what the answer decodes into.
///
/// The typed endpoints (e.g. [`api::pats`](crate::api::pats)) build these; build one yourself
/// to call an endpoint this crate does not type yet, or to run the user action steps
/// separately.
///
/// ```
/// use dfns_blocking::{Method, Request};
///
/// let request = Request::<serde_json::Value>::new(Method::Put, "/auth/pats/{}/deactivate", &["to-a/b c"])?
///     .signed();
/// assert_eq!(request.path(), "/auth/pats/to-a%2Fb%20c/deactivate");
/// assert_eq!(request.body(), Some("{}")); // a signed request without a body signs and sends {}
/// # Ok::<(), dfns_blocking::Error>(())
/// ```
///
/// # Calling an endpoint this crate does not type
///
/// [`Client::send`](crate::Client::send) runs any `Request` through the same pipeline as the typed endpoints (fresh
/// nonce, user action signing when `.signed()`, size limit, typed errors). Decode the answer as
/// [`serde_json::Value`], or as your own type:
///
/// ```no_run
/// use dfns_blocking::{Client, Method, Request};
/// # let client = Client::builder().build()?;
///
/// // A signed call, untyped.
/// let request = Request::<serde_json::Value>::new(Method::Put, "/auth/users/{}", &["us-..."])?
///     .json(&serde_json::json!({ "isSSORequired": true }))?
///     .signed();
/// let user = client.send(&request)?;
/// println!("{}", user["isSSORequired"]);
///
/// // An unsigned call, into your own type.
/// #[derive(serde::Deserialize)]
/// struct Name {
///     name: String,
/// }
/// let app: Name = client.send(&Request::new(Method::Get, "/auth/apps/{}", &["ap-..."])?)?;
/// println!("{}", app.name);
/// # Ok::<(), dfns_blocking::Error>(())
/// ```
pub struct Request<T> {
    pub(crate) call: Call,
    response: PhantomData<fn() -> T>,
}

/// What a [`Request`] describes, without the type of its answer: what the pipeline runs. It is
/// not generic, so the pipeline is compiled once, in this crate, rather than once per answer
/// type in every program; only the answer's decoding is.
#[derive(Clone)]
pub(crate) struct Call {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) body: Option<String>,
    /// A `multipart/form-data` upload: sent instead of `body`, which then holds its `data`
    /// part (what the user action signs). Shared by clones, as a retry resends it.
    upload: Option<Arc<Multipart>>,
    pub(crate) signed: bool,
    idempotency: Idempotency,
    /// An `Authorization` value that replaces the client's for this request alone.
    pub(crate) authorization: Option<String>,
}

impl<T> Request<T> {
    /// A request to `template`, a path such as `/auth/pats/{tokenId}`, with each placeholder in
    /// braces replaced by the next of `ids`, percent-encoded as one path segment (the name in
    /// the braces is for the reader: `{}` works as well). An empty id, `.` or `..` is refused
    /// before any request, and so is a template that is not a plain absolute path.
    ///
    /// A request without ids takes an empty slice: `&[] as &[&str]`, or see [`fixed`](Self::fixed).
    #[inline]
    pub fn new(method: Method, template: &str, ids: &[impl AsRef<str>]) -> Result<Self> {
        Call::new(method, template, &mut ids.iter().map(AsRef::as_ref)).map(Self::of)
    }

    fn of(call: Call) -> Self {
        Self {
            call,
            response: PhantomData,
        }
    }

    /// A request to a path without ids, such as `/auth/pats`.
    ///
    /// ```
    /// use dfns_blocking::{Method, Request};
    ///
    /// let request = Request::<serde_json::Value>::fixed(Method::Get, "/wallets")?;
    /// assert_eq!(request.path(), "/wallets");
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    #[inline]
    pub fn fixed(method: Method, path: &str) -> Result<Self> {
        Call::new(method, path, &mut std::iter::empty()).map(Self::of)
    }

    /// Marks a hand-built change as safe to send again after a failure whose outcome is
    /// unknown, as reads are: for a change that sets a state rather than adding one.
    pub fn idempotent(mut self) -> Self {
        self.call.idempotency = Idempotency::Idempotent;
        self
    }

    /// Sends this request with another bearer token than the client's: a registration's or a
    /// recovery's temporary token, for example. `Debug` never shows it.
    pub fn bearer_token(mut self, token: &str) -> Result<Self> {
        self.call.authorization = Some(crate::client::authorization(token)?);
        Ok(self)
    }

    /// Marks a hand-built change as safe to send again when its body has an `externalId`: for
    /// the requests Dfns runs at most once per `externalId` (transfers, transactions, signature
    /// requests). Without one, it is not repeated.
    pub fn idempotent_by_external_id(mut self) -> Self {
        self.call.idempotency = Idempotency::ByExternalId;
        self
    }

    /// Applies what an endpoint's declaration says: its signature and retry safety.
    #[inline]
    pub(crate) fn declared(mut self, endpoint: &Endpoint) -> Self {
        self.call.declared(endpoint);
        self
    }

    /// Sets the JSON body. It is serialized here, once: these exact bytes are signed and sent.
    #[inline]
    pub fn json(mut self, body: &impl Serialize) -> Result<Self> {
        self.call.json(serde_json::to_string(body))?;
        Ok(self)
    }

    /// Makes the body a `multipart/form-data` file upload, as Dfns's key store `.../output`
    /// endpoints take it: a `data` part holding `body`'s JSON object with `fileChecksum` (the
    /// lower-case hex SHA-256 of `file`) added last, then a `file` part with the bytes, named
    /// `file_name` (`upload.bin` when `None`; CR, LF and `"` are percent-encoded). The user
    /// action signs the `data` text, which [`body`](Self::body) returns; the whole upload is
    /// what is sent, under a random boundary found nowhere in the content.
    ///
    /// Refused, before anything is sent, when `body` is not a JSON object or already has a
    /// `fileChecksum`.
    ///
    /// ```
    /// use dfns_blocking::{Method, Request};
    ///
    /// let request = Request::<serde_json::Value>::new(Method::Post, "/key-stores/{}/genesis/output", &["ks-1"])?
    ///     .multipart(&serde_json::json!({ "outputJson": {} }), b"hello", Some("out.json"))?
    ///     .signed();
    /// assert_eq!(
    ///     request.body(),
    ///     Some(r#"{"outputJson":{},"fileChecksum":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}"#)
    /// );
    /// assert!(request.content_type().starts_with("multipart/form-data; boundary="));
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn multipart(
        mut self,
        body: &impl Serialize,
        file: &[u8],
        file_name: Option<&str>,
    ) -> Result<Self> {
        let upload = Multipart::new(body, file, file_name, &ring::rand::SystemRandom::new())
            .map_err(|e| Error::invalid_input(e.to_string()))?;
        self.call.body = Some(upload.data().to_owned());
        self.call.upload = Some(Arc::new(upload));
        Ok(self)
    }

    /// Marks the request as needing a user action signature. A signed request without a body
    /// sends (and signs) `{}`, as Dfns's official client does.
    pub fn signed(mut self) -> Self {
        self.call.signed();
        self
    }

    /// Appends a query parameter (percent-encoded). The query is not part of what is signed.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.call.query(name, value);
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.call.method
    }

    /// The percent-encoded path, without the query: what the user action signs.
    pub fn path(&self) -> &str {
        &self.call.path
    }

    /// The percent-encoded query, `?` included (`?limit=10&owner=us-1`); empty when there is
    /// none. Not part of what is signed; `Debug` shows only its names, as values can be
    /// pagination tokens.
    ///
    /// ```
    /// use dfns_blocking::{Method, Request};
    ///
    /// let request = Request::<()>::fixed(Method::Get, "/wallets")?.query("limit", "10");
    /// assert_eq!(request.encoded_query(), "?limit=10");
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn encoded_query(&self) -> &str {
        &self.call.query
    }

    /// The body, exactly as it will be signed and sent; for a [`multipart`](Self::multipart)
    /// upload, its `data` part, which is what the user action signs.
    pub fn body(&self) -> Option<&str> {
        self.call.body.as_deref()
    }

    /// The `Content-Type` the body is sent with: `application/json`, or
    /// `multipart/form-data; boundary=...` for an upload.
    pub fn content_type(&self) -> &str {
        self.call.content_type()
    }

    /// Whether the request needs a user action signature.
    pub fn is_signed(&self) -> bool {
        self.call.signed
    }
}

impl Call {
    fn new(method: Method, template: &str, ids: &mut dyn Iterator<Item = &str>) -> Result<Self> {
        let plain_path = template.starts_with('/')
            && !template.starts_with("//")
            && template
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'?' && b != b'#');
        if !plain_path {
            return Err(Error::invalid_input(format!(
                "{template:?} is not a path starting with / (put query parameters in Request::query)"
            )));
        }
        let mut path = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|close| open + close)
                .ok_or_else(|| {
                    Error::invalid_input(format!("the path {template} has an unclosed {{"))
                })?;
            path.push_str(&rest[..open]);
            let id = ids.next().ok_or_else(|| {
                Error::invalid_input(format!("the path {template} needs more ids"))
            })?;
            if id.is_empty() || id == "." || id == ".." {
                return Err(Error::invalid_input(format!(
                    "{id:?} is not a valid id for {template}"
                )));
            }
            path.extend(utf8_percent_encode(id, SEGMENT));
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        if ids.next().is_some() {
            return Err(Error::invalid_input(format!(
                "the path {template} takes fewer ids"
            )));
        }
        Ok(Self {
            method,
            path,
            query: String::new(),
            body: None,
            upload: None,
            signed: false,
            idempotency: match method {
                Method::Get => Idempotency::Idempotent,
                _ => Idempotency::NotIdempotent,
            },
            authorization: None,
        })
    }

    fn declared(&mut self, endpoint: &Endpoint) {
        self.idempotency = endpoint.idempotency;
        if endpoint.signed {
            self.signed();
        }
    }

    fn json(&mut self, json: serde_json::Result<String>) -> Result<()> {
        let json =
            json.map_err(|e| Error::invalid_input(format!("the body cannot be serialized: {e}")))?;
        self.body = Some(json);
        self.upload = None;
        Ok(())
    }

    fn signed(&mut self) {
        self.signed = true;
        if self.body.is_none() {
            self.body = Some("{}".to_owned());
        }
    }

    fn query(&mut self, name: &str, value: &str) {
        self.query
            .push(if self.query.is_empty() { '?' } else { '&' });
        self.query.extend(utf8_percent_encode(name, SEGMENT));
        self.query.push('=');
        self.query.extend(utf8_percent_encode(value, SEGMENT));
    }

    pub(crate) fn content_type(&self) -> &str {
        match &self.upload {
            Some(upload) => upload.content_type(),
            None => "application/json",
        }
    }

    /// Whether the body is a [`multipart`](Request::multipart) upload.
    pub(crate) fn is_upload(&self) -> bool {
        self.upload.is_some()
    }

    /// The bytes sent as the body: the JSON body, or the whole upload.
    pub(crate) fn sent_body(&self) -> Option<&[u8]> {
        match &self.upload {
            Some(upload) => Some(upload.body()),
            None => self.body.as_deref().map(str::as_bytes),
        }
    }

    /// How safe it is to send again, as the endpoint declares (reads and state changes are;
    /// transfers, transactions and signature requests are when their body has an
    /// `externalId`, which Dfns deduplicates by; other changes are not).
    pub(crate) fn safety(&self) -> Safety {
        match self.idempotency {
            Idempotency::Idempotent => Safety::Idempotent,
            Idempotency::ByExternalId if self.external_id().is_some_and(|id| !id.is_empty()) => {
                Safety::Idempotent
            }
            _ => Safety::Mutation,
        }
    }

    /// The body's top-level `externalId`, when it is a string.
    fn external_id(&self) -> Option<String> {
        #[derive(Deserialize)]
        struct Keyed {
            #[serde(rename = "externalId", default)]
            external_id: Option<serde_json::Value>,
        }
        let body = self.body.as_deref()?;
        // Look before parsing: most bodies have no such key.
        if !body.contains("\"externalId\"") {
            return None;
        }
        match serde_json::from_str::<Keyed>(body).ok()?.external_id? {
            serde_json::Value::String(id) => Some(id),
            _ => None,
        }
    }

    /// Refuses, before anything is sent, an empty `externalId` on a request Dfns deduplicates
    /// by it: an empty id is no key (two different transfers would share it), and once a
    /// request is final its `externalId` stays bound to it.
    pub(crate) fn check_external_id(&self) -> Result<()> {
        if self.idempotency == Idempotency::ByExternalId
            && self.external_id().is_some_and(|id| id.trim().is_empty())
        {
            return Err(Error::invalid_input(
                "the externalId is empty: give a unique non-empty id, or none",
            ));
        }
        Ok(())
    }
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Self::of(self.call.clone())
    }
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.call.fmt(f)
    }
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &QueryNames(&self.query).to_string())
            .field("signed", &self.signed)
            .field(
                "bearer_token",
                &self.authorization.as_ref().map(|_| "** redacted **"),
            )
            .field("body_len", &self.sent_body().map(<[u8]>::len))
            .field("content_type", &self.content_type())
            .finish()
    }
}
/// A query as its parameters' names (`?limit&paginationToken`): values can be tokens.
pub(crate) struct QueryNames<'a>(pub(crate) &'a str);

impl fmt::Display for QueryNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(query) = self.0.strip_prefix('?') else {
            return Ok(());
        };
        for (i, pair) in query.split('&').enumerate() {
            f.write_str(if i == 0 { "?" } else { "&" })?;
            f.write_str(pair.split('=').next().unwrap_or_default())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_must_be_plain_absolute_paths() {
        for bad in [
            "auth/pats",
            "//evil.example/x",
            "/auth/pats?x=1",
            "/auth/pats#x",
            "/auth pats",
            "https://evil.example/",
        ] {
            assert!(
                matches!(
                    Request::<()>::fixed(Method::Get, bad),
                    Err(Error::InvalidInput { .. })
                ),
                "{bad}"
            );
        }
        assert!(Request::<()>::fixed(Method::Get, "/auth/pats").is_ok());
    }

    #[test]
    fn parameters_must_match_the_placeholders() {
        assert!(Request::<()>::fixed(Method::Get, "/a/{}").is_err());
        assert!(Request::<()>::new(Method::Get, "/a/{}", &["1", "2"]).is_err());
        let request = Request::<()>::new(Method::Get, "/a/{}/b/{}", &["x y", "z"]).unwrap();
        assert_eq!(request.path(), "/a/x%20y/b/z");
        let named = Request::<()>::new(Method::Get, "/a/{aId}/b/{bId}", &["x y", "z"]).unwrap();
        assert_eq!(named.path(), "/a/x%20y/b/z");
        let ids = [String::from("to-1")];
        assert!(Request::<()>::new(Method::Get, "/a/{id}", &ids).is_ok());
        assert!(Request::<()>::new(Method::Get, "/a/{id", &ids).is_err());
    }

    #[test]
    fn query_parameters_are_encoded_and_not_part_of_the_path() {
        let request = Request::<()>::fixed(Method::Get, "/wallets")
            .unwrap()
            .query("limit", "10")
            .query("paginationToken", "a&b=c");
        assert_eq!(request.path(), "/wallets");
        assert_eq!(request.call.query, "?limit=10&paginationToken=a%26b%3Dc");
    }
}
