//! The one pipeline every call goes through: [`Request`] describes a call, [`Client::send`]
//! runs it (headers, user action signing, a bounded read, classification, decoding).

use std::fmt;
use std::io::Read as _;
use std::marker::PhantomData;
use std::time::{Instant, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use ring::rand::SecureRandom;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use ureq::http;

use crate::api::user_actions::{
    self, CompleteUserAction, CreateUserActionChallenge, UserActionSignature,
};
use crate::api::{Endpoint, Idempotency};
use crate::client::Client;
use crate::deadline::{Deadline, TimeLimit};
use crate::error::{self, Answer, Error, Result};
use crate::retry::{Safety, Stage};
use crate::signing::{CredentialAssertion, CredentialSigner, UserActionChallenge, UserActionToken};

/// Everything but the unreserved characters of RFC 3986 is encoded in a path segment, so an id
/// holding `/`, `?`, `#`, `%` or a space stays one segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// How much of an error answer's body is read.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// HTTP methods the Dfns API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
}

impl Method {
    /// The method's name, as sent and as signed (`userActionHttpMethod`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
/// [`Client::send`] runs any `Request` through the same pipeline as the typed endpoints (fresh
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
    method: Method,
    path: String,
    query: String,
    body: Option<String>,
    signed: bool,
    idempotency: Idempotency,
    /// An `Authorization` value that replaces the client's for this request alone.
    authorization: Option<String>,
    response: PhantomData<fn() -> T>,
}

impl<T> Request<T> {
    /// A request to `template`, a path such as `/auth/pats/{tokenId}`, with each placeholder in
    /// braces replaced by the next of `ids`, percent-encoded as one path segment (the name in
    /// the braces is for the reader: `{}` works as well). An empty id, `.` or `..` is refused
    /// before any request, and so is a template that is not a plain absolute path.
    ///
    /// A request without ids takes an empty slice: `&[] as &[&str]`, or see [`fixed`](Self::fixed).
    pub fn new(method: Method, template: &str, ids: &[impl AsRef<str>]) -> Result<Self> {
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
        let mut ids = ids.iter().map(AsRef::as_ref);
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
            signed: false,
            idempotency: match method {
                Method::Get => Idempotency::Idempotent,
                _ => Idempotency::NotIdempotent,
            },
            authorization: None,
            response: PhantomData,
        })
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
    pub fn fixed(method: Method, path: &str) -> Result<Self> {
        Self::new(method, path, &[] as &[&str])
    }

    /// Marks a hand-built change as safe to send again after a failure whose outcome is
    /// unknown, as reads are: for a change that sets a state rather than adding one.
    pub fn idempotent(mut self) -> Self {
        self.idempotency = Idempotency::Idempotent;
        self
    }

    /// Sends this request with another bearer token than the client's: a registration's or a
    /// recovery's temporary token, for example. `Debug` never shows it.
    pub fn bearer_token(mut self, token: &str) -> Result<Self> {
        self.authorization = Some(crate::client::authorization(token)?);
        Ok(self)
    }

    /// Marks a hand-built change as safe to send again when its body has an `externalId`: for
    /// the requests Dfns runs at most once per `externalId` (transfers, transactions, signature
    /// requests). Without one, it is not repeated.
    pub fn idempotent_by_external_id(mut self) -> Self {
        self.idempotency = Idempotency::ByExternalId;
        self
    }

    /// Applies what an endpoint's declaration says: its signature and retry safety.
    pub(crate) fn declared(self, endpoint: &Endpoint) -> Self {
        let request = Self {
            idempotency: endpoint.idempotency,
            ..self
        };
        if endpoint.signed {
            request.signed()
        } else {
            request
        }
    }

    /// Sets the JSON body. It is serialized here, once: these exact bytes are signed and sent.
    pub fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let json = serde_json::to_string(body)
            .map_err(|e| Error::invalid_input(format!("the body cannot be serialized: {e}")))?;
        self.body = Some(json);
        Ok(self)
    }

    /// Marks the request as needing a user action signature. A signed request without a body
    /// sends (and signs) `{}`, as Dfns's official client does.
    pub fn signed(mut self) -> Self {
        self.signed = true;
        if self.body.is_none() {
            self.body = Some("{}".to_owned());
        }
        self
    }

    /// Appends a query parameter (percent-encoded). The query is not part of what is signed.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query
            .push(if self.query.is_empty() { '?' } else { '&' });
        self.query.extend(utf8_percent_encode(name, SEGMENT));
        self.query.push('=');
        self.query.extend(utf8_percent_encode(value, SEGMENT));
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The percent-encoded path, without the query: what the user action signs.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The body, exactly as it will be signed and sent.
    pub fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }

    /// Whether the request needs a user action signature.
    pub fn is_signed(&self) -> bool {
        self.signed
    }

    /// How safe it is to send again, as the endpoint declares (reads and state changes are;
    /// transfers, transactions and signature requests are when their body has an
    /// `externalId`, which Dfns deduplicates by; other changes are not).
    fn safety(&self) -> Safety {
        #[derive(Deserialize)]
        struct Keyed {
            #[serde(rename = "externalId", default)]
            external_id: Option<serde::de::IgnoredAny>,
        }
        let keyed = |body: &str| {
            // Look before parsing: most bodies have no such key.
            body.contains("\"externalId\"")
                && serde_json::from_str::<Keyed>(body).is_ok_and(|b| b.external_id.is_some())
        };
        match (self.idempotency, self.body.as_deref()) {
            (Idempotency::Idempotent, _) => Safety::Idempotent,
            (Idempotency::ByExternalId, Some(body)) if keyed(body) => Safety::Idempotent,
            _ => Safety::Mutation,
        }
    }
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Self {
            method: self.method,
            path: self.path.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            signed: self.signed,
            idempotency: self.idempotency,
            authorization: self.authorization.clone(),
            response: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("signed", &self.signed)
            .field(
                "bearer_token",
                &self.authorization.as_ref().map(|_| "** redacted **"),
            )
            .field("body_len", &self.body.as_ref().map(String::len))
            .finish()
    }
}

impl Client {
    /// Runs a request: signs it first when it needs a user action signature, then sends it and
    /// decodes the answer. A failure that may pass is retried as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) says, each attempt with a new nonce and a new
    /// signature, all within the client's [`timeout`](crate::ClientBuilder::timeout).
    pub fn send<T: DeserializeOwned>(&self, request: &Request<T>) -> Result<T> {
        let mut attempt = 0;
        self.retrying(
            || request.safety(),
            |deadline| {
                attempt += 1;
                let token = if request.signed {
                    Some(
                        self.sign(request, attempt, deadline)
                            .map_err(|e| (e, Stage::Preparing))?,
                    )
                } else {
                    None
                };
                self.exchange(request, token.as_ref(), attempt, deadline)
                    .map_err(|e| (e, Stage::Sending))
            },
        )
    }

    /// Step 1 of 3 of user action signing, for when the credential signs elsewhere (another
    /// device, an end user's passkey): asks Dfns for the challenge that authorizes `request`.
    ///
    /// ```no_run
    /// # use dfns_blocking::{Client, signing::CredentialAssertion};
    /// # fn sign_on_device(challenge: &str) -> CredentialAssertion {
    /// #     CredentialAssertion::key("cr-1", challenge.as_bytes(), b"signature from the device")
    /// # }
    /// # let client = Client::builder().build()?;
    /// let request = dfns_blocking::api::pats::deactivate("to-...")?;
    /// let challenge = client.user_action_challenge(&request)?;
    /// let assertion = sign_on_device(&challenge.challenge);
    /// let token = client.complete_user_action(&challenge, &assertion)?;
    /// let pat = client.send_with_user_action(&request, &token)?;
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn user_action_challenge<T>(&self, request: &Request<T>) -> Result<UserActionChallenge> {
        // Asking for a challenge changes nothing: safe to repeat.
        let init = challenge_request(request)?;
        let mut attempt = 0;
        self.retrying(
            || Safety::Idempotent,
            |deadline| {
                attempt += 1;
                self.exchange(&init, None, attempt, deadline)
                    .map_err(|e| (e, Stage::Sending))
            },
        )
    }

    /// Step 2 of 3: exchanges the signed challenge for the single-use user action token.
    pub fn complete_user_action(
        &self,
        challenge: &UserActionChallenge,
        assertion: &CredentialAssertion,
    ) -> Result<UserActionToken> {
        let request = assertion_request(challenge, assertion)?;
        let mut attempt = 0;
        self.retrying(
            || Safety::Mutation,
            |deadline| {
                attempt += 1;
                self.exchange(&request, None, attempt, deadline)
                    .map_err(|e| (e, Stage::Sending))
            },
        )
        .map(|answer| answer.user_action)
    }

    /// Step 3 of 3: sends `request` with a user action token from
    /// [`complete_user_action`](Self::complete_user_action). The token is single-use, so this
    /// request is never retried.
    pub fn send_with_user_action<T: DeserializeOwned>(
        &self,
        request: &Request<T>,
        token: &UserActionToken,
    ) -> Result<T> {
        self.retrying(
            || Safety::Once,
            |deadline| {
                self.exchange(request, Some(token), 1, deadline)
                    .map_err(|e| (e, Stage::Sending))
            },
        )
    }

    /// Runs a call's attempts as the retry policy says, all within one deadline.
    fn retrying<R>(
        &self,
        safety: impl Fn() -> Safety,
        mut attempt: impl FnMut(&Deadline) -> std::result::Result<R, (Error, Stage)>,
    ) -> Result<R> {
        let deadline = Deadline::start(self.inner.timeout);
        self.inner
            .retry
            .run(safety, &self.inner.rng, &deadline, || attempt(&deadline))
    }

    /// The three steps with the configured signer, each made once: the caller retries them
    /// as a whole (`attempt` is the caller's, for the log).
    fn sign<T>(
        &self,
        request: &Request<T>,
        attempt: u32,
        deadline: &Deadline,
    ) -> Result<UserActionToken> {
        let signer = self.inner.signer.as_deref().ok_or(Error::NoSigner)?;
        // The signing round trips act as the same identity as the request they authorize.
        let mut init = challenge_request(request)?;
        init.authorization.clone_from(&request.authorization);
        let challenge = self.exchange(&init, None, attempt, deadline)?;
        let assertion = answer_challenge(signer, &challenge)?;
        let mut complete = assertion_request(&challenge, &assertion)?;
        complete.authorization.clone_from(&request.authorization);
        Ok(self
            .exchange(&complete, None, attempt, deadline)?
            .user_action)
    }

    /// One HTTP exchange within the call's deadline: none starts once it has passed, and each
    /// is bounded by the request limit or what remains of the call, whichever is shorter; a
    /// timeout names that limit. Also its `debug` log record: method, path with the query's
    /// names but not its values, status, Dfns's request id, duration and the call's attempt
    /// number; never a header value or a body.
    fn exchange<T: DeserializeOwned>(
        &self,
        request: &Request<T>,
        user_action: Option<&UserActionToken>,
        attempt: u32,
        deadline: &Deadline,
    ) -> Result<T> {
        let mut logged =
            log::log_enabled!(log::Level::Debug).then(|| (Instant::now(), Seen::default()));
        let result = deadline
            .next_request(self.inner.request_timeout)
            .and_then(|limit| {
                let seen = logged.as_mut().map(|(_, seen)| seen);
                self.exchange_within(request, user_action, limit, seen)
                    .map_err(|error| error.timed_out_by(limit.map(|(limit, _)| limit)))
            });
        if let Some((started, seen)) = logged {
            let outcome = match (&result, seen.status) {
                (_, Some(status)) => format!("status={status}"),
                // No answer: the transport's reason (ureq's, which holds no request data).
                (Err(error), None) => {
                    format!("status=none error={error:?}", error = error.to_string())
                }
                (Ok(_), None) => "status=none".to_owned(),
            };
            log::debug!(
                "{method} {path}{query} {outcome} request_id={id} duration_ms={ms:.3} attempt={attempt}",
                method = request.method,
                path = request.path,
                query = QueryNames(&request.query),
                id = seen.request_id.as_deref().unwrap_or("none"),
                ms = started.elapsed().as_secs_f64() * 1e3,
            );
        }
        result
    }

    /// `request` with its own time limit when what remains of the call is shorter than the
    /// agent's request limit.
    fn bounded<S: ureq::AsSendBody>(
        &self,
        request: http::Request<S>,
        limit: Option<(TimeLimit, std::time::Duration)>,
    ) -> http::Request<S> {
        match limit {
            Some((TimeLimit::Call(_), remaining)) => self
                .inner
                .agent
                .configure_request(request)
                .timeout_global(Some(remaining))
                .build(),
            _ => request,
        }
    }

    /// The only place that talks to the network: one HTTP exchange with the Dfns headers, a
    /// bounded read, and the answer classified and decoded; `seen` (when logging) is told the
    /// status and the request id.
    fn exchange_within<T: DeserializeOwned>(
        &self,
        request: &Request<T>,
        user_action: Option<&UserActionToken>,
        limit: Option<(TimeLimit, std::time::Duration)>,
        seen: Option<&mut Seen>,
    ) -> Result<T> {
        let inner = &self.inner;
        let mut url =
            String::with_capacity(inner.base_url.len() + request.path.len() + request.query.len());
        url.push_str(&inner.base_url);
        url.push_str(&request.path);
        url.push_str(&request.query);

        let mut builder = http::Request::builder()
            .method(request.method.as_str())
            .uri(url)
            .header("User-Agent", &inner.user_agent)
            .header("X-DFNS-NONCE", self.nonce()?);
        if let Some(authorization) = request
            .authorization
            .as_ref()
            .or(inner.authorization.as_ref())
        {
            builder = builder.header("Authorization", authorization);
        }
        if let Some(app_id) = &inner.app_id {
            builder = builder.header("X-DFNS-APPID", app_id);
        }
        if let Some(secret) = &inner.app_secret {
            builder = builder.header("X-DFNS-APPSECRET", secret);
        }
        if let Some(token) = user_action {
            builder = builder.header("X-DFNS-USERACTION", token.as_str());
        }
        let header_error =
            |_| Error::invalid_input("a header value holds characters HTTP cannot carry");
        let mut response = match request.body.as_deref() {
            Some(body) => inner.agent.run(
                self.bounded(
                    builder
                        .header("Content-Type", "application/json")
                        .body(body.as_bytes())
                        .map_err(header_error)?,
                    limit,
                ),
            ),
            None if request.method == Method::Get => inner
                .agent
                .run(self.bounded(builder.body(()).map_err(header_error)?, limit)),
            // A change without a body says so with `Content-Length: 0`; ureq would otherwise
            // send an empty chunked body, which not every server takes.
            None => inner
                .agent
                .run(self.bounded(builder.body(&[][..]).map_err(header_error)?, limit)),
        }
        .map_err(Error::from_transport)?;
        let status = response.status().as_u16();
        if let Some(seen) = seen {
            seen.status = Some(status);
            seen.request_id = response
                .headers()
                .get("x-request-id")
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
        }
        if (200..300).contains(&status) {
            let body = response
                .body_mut()
                .with_config()
                .limit(inner.response_size_limit)
                .read_to_vec()
                .map_err(Error::from_transport)?;
            return match status {
                // Accepted, not done: the action waits for policy approval.
                202 => Err(Error::PolicyApprovalPending(Box::new(error::decode(
                    status, &body,
                )?))),
                _ => error::decode(status, &body),
            };
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let request_id = header("x-request-id");
        let retry_after = header("retry-after").and_then(|v| error::parse_retry_after(&v));
        // An error answer is classified by status whatever its size: keep its start (a proxy's
        // HTML page can be large) and leave the rest unread.
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(inner.response_size_limit.min(ERROR_BODY_LIMIT))
            .read_to_end(&mut body)
            .map_err(|e| Error::from_transport(ureq::Error::Io(e)))?;
        Err(error::classify(Answer {
            status,
            request_id,
            retry_after,
            body: &body,
        }))
    }

    /// A fresh `X-DFNS-NONCE` for the next request.
    fn nonce(&self) -> Result<String> {
        self.inner
            .nonce_random
            .nonce(&self.inner.rng)
            .ok_or_else(|| Error::invalid_config("the system random number generator failed"))
    }
}

/// What the `debug` record of an exchange tells besides the request.
#[derive(Default)]
struct Seen {
    status: Option<u16>,
    request_id: Option<String>,
}

/// A query as its parameters' names (`?limit&paginationToken`): values can be tokens.
struct QueryNames<'a>(&'a str);

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

/// `POST /auth/action/init` for `request`.
fn challenge_request<T>(request: &Request<T>) -> Result<Request<UserActionChallenge>> {
    user_actions::create_challenge(&CreateUserActionChallenge::for_request(request))
}

/// `POST /auth/action` with the signed challenge.
fn assertion_request(
    challenge: &UserActionChallenge,
    assertion: &CredentialAssertion,
) -> Result<Request<UserActionSignature>> {
    user_actions::complete(&CompleteUserAction::new(challenge, assertion))
}

/// Signs `challenge` with `signer` once the challenge is seen to allow the signer's credential
/// (as Dfns's official signer checks before signing): user actions and logins alike.
pub(crate) fn answer_challenge(
    signer: &dyn CredentialSigner,
    challenge: &UserActionChallenge,
) -> Result<CredentialAssertion> {
    let credential_id = signer.credential_id();
    if !challenge
        .allow_credentials
        .allows(&signer.credential_kind(), credential_id)
    {
        return Err(Error::CredentialNotAllowed {
            credential_id: credential_id.to_owned(),
            allowed: challenge.allow_credentials.ids(),
        });
    }
    Ok(signer.sign(challenge)?)
}

/// How many nonces' worth of randomness one `getrandom` draws.
const NONCES_PER_DRAW: usize = 64;

/// Random bytes for nonces, drawn from the system [`NONCES_PER_DRAW`] nonces at a time rather
/// than one system call per request. Every byte serves once, and a clone starts empty, so no
/// two nonces share bytes. (A process that forks with bytes left would hand the same ones to
/// parent and child; Dfns refuses a nonce it has seen, so the cost is a refused request.)
pub(crate) struct NonceRandom(std::sync::Mutex<(usize, [u8; 16 * NONCES_PER_DRAW])>);

impl Default for NonceRandom {
    fn default() -> Self {
        Self(std::sync::Mutex::new((
            16 * NONCES_PER_DRAW,
            [0; 16 * NONCES_PER_DRAW],
        )))
    }
}

impl Clone for NonceRandom {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl NonceRandom {
    /// A fresh nonce (see [`nonce_of`]); `None` only if the system has no randomness to give.
    pub(crate) fn nonce(&self, rng: &dyn SecureRandom) -> Option<String> {
        // The bytes hold no invariant a panic could break.
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let (used, bytes) = &mut *guard;
        if *used == bytes.len() {
            rng.fill(bytes).ok()?;
            *used = 0;
        }
        let mut random = [0u8; 16];
        random.copy_from_slice(&bytes[*used..*used + 16]);
        *used += 16;
        drop(guard);
        Some(nonce_of(random))
    }
}

/// The nonce of 16 random bytes.
fn nonce_of(mut random: [u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    random[6] = (random[6] & 0x0f) | 0x40;
    random[8] = (random[8] & 0x3f) | 0x80;
    let mut json = String::with_capacity(80);
    json.push_str(r#"{"uuid":""#);
    for (i, byte) in random.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            json.push('-');
        }
        json.push(char::from(HEX[usize::from(byte >> 4)]));
        json.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    json.push_str(r#"","date":""#);
    json.push_str(&crate::time::format_iso8601(SystemTime::now()));
    json.push_str(r#""}"#);
    URL_SAFE_NO_PAD.encode(json)
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
    fn batched_nonces_are_all_different_across_draws_and_clones() {
        let rng = ring::rand::SystemRandom::new();
        let random = NonceRandom::default();
        let clone = random.clone();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..3 * NONCES_PER_DRAW {
            for source in [&random, &clone] {
                let nonce = source.nonce(&rng).unwrap();
                let json = String::from_utf8(URL_SAFE_NO_PAD.decode(&nonce).unwrap()).unwrap();
                let uuid = &json[9..45];
                assert_eq!(&uuid[14..15], "4", "{json}");
                assert!(seen.insert(uuid.to_owned()), "{json}");
            }
        }
    }

    #[test]
    fn query_parameters_are_encoded_and_not_part_of_the_path() {
        let request = Request::<()>::fixed(Method::Get, "/wallets")
            .unwrap()
            .query("limit", "10")
            .query("paginationToken", "a&b=c");
        assert_eq!(request.path(), "/wallets");
        assert_eq!(request.query, "?limit=10&paginationToken=a%26b%3Dc");
    }
}
