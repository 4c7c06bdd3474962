//! [`Error`], and the classification of Dfns answers into it.
//!
//! Dfns has no machine-readable error codes: it classifies errors by HTTP status plus a
//! documented message. This module turns each documented pair into its own variant.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::signing::{KeyError, SignError};

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a call.
///
/// Answers from Dfns are classified by status and documented message, so that you can `match`
/// on what happened instead of parsing strings. Each API variant carries the [`ApiError`] with
/// the status, message, trace id, details, request id and raw body.
///
/// ```
/// use dfns_blocking::Error;
///
/// fn explain(error: &Error) -> String {
///     match error {
///         Error::NotFound(_) => "no such token".to_string(),
///         Error::RateLimited { retry_after, .. } => format!("slow down for {retry_after:?}"),
///         Error::PermissionDenied { permission: Some(permission), .. } => {
///             format!("ask an admin for {permission}")
///         }
///         Error::PolicyApprovalPending(approval) => {
///             format!("waiting for approval {}", approval.id)
///         }
///         other => other.to_string(),
///     }
/// }
/// # let _ = explain;
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 400 `request nonce is missing or invalid`: the `X-DFNS-NONCE` header was refused.
    #[error("dfns refused the request nonce as missing or invalid: {0}")]
    NonceInvalid(ApiError),
    /// 400 `request nonce has already been used`: a replayed request.
    #[error("dfns saw this request nonce before (replay refused): {0}")]
    NonceReused(ApiError),
    /// 400 `user action has already been used`: a user action token is single-use.
    #[error("the user action token was already used: {0}")]
    UserActionReused(ApiError),
    /// 403 `user action signature is missing or invalid`: the signed request's
    /// `X-DFNS-USERACTION` was absent, wrong, or signed for another method, path or body.
    #[error("dfns refused the user action signature: {0}")]
    UserActionSignatureInvalid(ApiError),
    /// 401: the `Authorization` token is missing, invalid, expired, deactivated, or for another
    /// region (`user token is missing or invalid`, older `Not Authorized.`).
    #[error("not authenticated: {0}")]
    Unauthenticated(ApiError),
    /// 403: the caller lacks a permission. Dfns names it in the message
    /// (`CustomerEmployee us-... is not authorized to perform operation (Auth:Apps:Update)`).
    #[error("permission denied{}: {error}", permission.as_ref().map(|p| format!(" ({p})")).unwrap_or_default())]
    PermissionDenied {
        /// The missing permission, e.g. `Auth:Pats:Create`, when the message names one.
        permission: Option<String>,
        /// The caller the message names, e.g. `CustomerEmployee us-...`.
        principal: Option<Box<Principal>>,
        /// The answer.
        error: ApiError,
    },
    /// 404: the entity does not exist, was deleted, or belongs to another organisation.
    #[error("not found: {0}")]
    NotFound(ApiError),
    /// 409: a conflict, e.g. an `externalId` reused with a different body
    /// (`Conflicting transfer with same externalId`).
    #[error("conflict: {error}")]
    Conflict {
        /// The existing entity (`details.duplicate`), when Dfns names it.
        duplicate: Option<Box<Duplicate>>,
        /// The answer.
        error: ApiError,
    },
    /// 429: the organisation passed its rate limit.
    #[error("rate limited{}: {error}", retry_after.map(|d| format!(", retry after {} s", (d.as_secs_f32() * 10.0).round() / 10.0)).unwrap_or_default())]
    RateLimited {
        /// How long Dfns asked to wait (`Retry-After`), when it said.
        retry_after: Option<Duration>,
        /// The answer.
        error: ApiError,
    },
    /// 402: the feature is not in the organisation's plan.
    #[error("payment required (feature not in the plan): {0}")]
    PaymentRequired(ApiError),
    /// 400 that is none of the documented messages: invalid body or parameters.
    #[error("bad request: {0}")]
    BadRequest(ApiError),
    /// 500, 502, 503, 504 and other 5xx: a server or gateway failure (the body may be an HTML
    /// page from a proxy; its excerpt is kept).
    #[error("server error: {0}")]
    ServerError(ApiError),
    /// 400 `application cannot modify its own state`.
    #[error("an application cannot modify its own state: {0}")]
    ApplicationCannotModifyItself(ApiError),
    /// 404 `application not found`.
    #[error("application not found: {0}")]
    ApplicationNotFound(ApiError),
    /// 400 `User account has been deactivated.`
    #[error("the user account is deactivated: {0}")]
    UserDeactivated(ApiError),
    /// 401 `User not found`.
    #[error("user not found: {0}")]
    UserNotFound(ApiError),
    /// 401 `User does not have a credential that can be used for the application.`
    #[error("the user has no credential usable with this application: {0}")]
    NoCredentialForApplication(ApiError),
    /// 403 `Invalid code` (login with a one-time code).
    #[error("invalid one-time code: {0}")]
    InvalidCode(ApiError),
    /// 400 `Registration code expired`.
    #[error("the registration code expired: {0}")]
    RegistrationCodeExpired(ApiError),
    /// 401 `User already exists.`
    #[error("the user already exists: {0}")]
    UserAlreadyExists(ApiError),
    /// 400 `Challenge token is not valid.`: the challenge identifier is unknown, expired or
    /// already used.
    #[error("the challenge is not valid: {0}")]
    ChallengeInvalid(ApiError),
    /// 401 `Credential cannot be used as a recovery factor.`
    #[error("the credential cannot be used for recovery: {0}")]
    NotARecoveryCredential(ApiError),
    /// Any other status that is not a success (3xx, 405, 413, ...). Redirects are never
    /// followed, so credentials never reach another host.
    #[error("unexpected answer: {0}")]
    UnexpectedStatus(ApiError),
    /// 202: the request needs policy approval and **did not run**. The approval says who must
    /// approve; the action runs when they do.
    #[error("the action needs policy approval and did not run yet (approval {}, status {})", .0.approval_id.as_deref().unwrap_or(&.0.id), .0.status)]
    PolicyApprovalPending(Box<PolicyApproval>),

    /// No answer in time (the whole call is bounded by the client's timeout).
    #[error("timed out: {0}")]
    Timeout(#[source] TransportError),
    /// The connection could not be made or broke (refused, reset, DNS failure, cut short).
    #[error("connection failed: {0}")]
    Connection(#[source] TransportError),
    /// TLS failed (certificate, handshake).
    #[error("tls failed: {0}")]
    Tls(#[source] TransportError),
    /// Another HTTP-level failure (malformed answer, proxy failure).
    #[error("http failure: {0}")]
    Transport(#[source] TransportError),
    /// The answer's body was larger than the client's limit.
    #[error("the answer was larger than the {limit}-byte limit")]
    ResponseTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// A success answer whose body is not what the endpoint returns.
    #[error("could not decode the {status} answer: {reason}")]
    Decode {
        /// The HTTP status.
        status: u16,
        /// What did not fit, without body values.
        reason: String,
        /// The first bytes of the body, with token values redacted.
        excerpt: String,
    },

    /// A private key could not be loaded.
    #[error("invalid key: {0}")]
    Key(#[from] KeyError),
    /// The endpoint needs a user action signature and the client has no signer.
    #[error(
        "this request needs a user action signature: configure a credential signer on the client"
    )]
    NoSigner,
    /// The challenge does not allow the signer's credential.
    #[error("the challenge does not allow credential {credential_id} (allowed: {})", allowed.join(", "))]
    CredentialNotAllowed {
        /// The signer's credential id.
        credential_id: String,
        /// The credential ids the challenge allows.
        allowed: Vec<String>,
    },
    /// The credential signer failed.
    #[error("signing failed: {0}")]
    Signer(#[from] SignError),
    /// An argument was refused before any request was sent (an empty id, for example).
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// What was wrong.
        reason: String,
    },
    /// The client configuration was refused.
    #[error("invalid configuration: {reason}")]
    InvalidConfig {
        /// What was wrong.
        reason: String,
    },
}

/// The [`ApiError`] inside an [`Error`], by reference or by mutable reference: one list of the
/// variants that carry one.
macro_rules! api_error_of {
    ($error:expr) => {
        match $error {
            Error::NonceInvalid(e)
            | Error::NonceReused(e)
            | Error::UserActionReused(e)
            | Error::UserActionSignatureInvalid(e)
            | Error::Unauthenticated(e)
            | Error::NotFound(e)
            | Error::PaymentRequired(e)
            | Error::BadRequest(e)
            | Error::ServerError(e)
            | Error::ApplicationCannotModifyItself(e)
            | Error::ApplicationNotFound(e)
            | Error::UserDeactivated(e)
            | Error::UserNotFound(e)
            | Error::NoCredentialForApplication(e)
            | Error::InvalidCode(e)
            | Error::RegistrationCodeExpired(e)
            | Error::UserAlreadyExists(e)
            | Error::ChallengeInvalid(e)
            | Error::NotARecoveryCredential(e)
            | Error::UnexpectedStatus(e) => Some(e),
            Error::PermissionDenied { error: e, .. }
            | Error::Conflict { error: e, .. }
            | Error::RateLimited { error: e, .. } => Some(e),
            _ => None,
        }
    };
}

impl Error {
    /// The HTTP status of Dfns's answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::PolicyApprovalPending(_) => Some(202),
            Self::Decode { status, .. } => Some(*status),
            other => other.api_error().map(ApiError::status),
        }
    }

    /// Dfns's answer, for every variant that is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        api_error_of!(self)
    }

    fn api_error_mut(&mut self) -> Option<&mut ApiError> {
        api_error_of!(self)
    }

    /// Whether the same call may succeed if made again later (as a new request, with a new
    /// nonce and, for signed requests, a new signature): rate limits, gateway failures
    /// (502, 503, 504), timeouts and broken connections.
    ///
    /// For a mutation, a timeout or a gateway failure leaves its outcome unknown: check before
    /// repeating one that has no `externalId`.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Timeout(_) | Self::Connection(_) => true,
            Self::ServerError(e) => matches!(e.status(), 502..=504),
            _ => false,
        }
    }

    /// How many attempts the call made before this error (1 when it was not retried; see
    /// [`RetryPolicy`](crate::RetryPolicy)). Counted for the answers and failures a retry can
    /// follow: API answers and transport failures.
    pub fn attempts(&self) -> u32 {
        self.attempts_record().map_or(1, |a| a.made)
    }

    /// Whether a mutation may have run although the call failed: it was sent, and the answer
    /// was lost (timeout, broken connection) or was a 5xx. Check (get, list) before sending it
    /// again, or give it an `externalId` so that Dfns runs it at most once.
    pub fn outcome_unknown(&self) -> bool {
        self.attempts_record().is_some_and(|a| a.outcome_unknown)
    }

    fn attempts_record(&self) -> Option<&Attempts> {
        match self {
            Self::Timeout(e) | Self::Connection(e) | Self::Tls(e) | Self::Transport(e) => {
                Some(&e.0.attempts)
            }
            other => other.api_error().map(|e| &e.0.attempts),
        }
    }

    /// Records the attempts on the error that ends a call.
    pub(crate) fn set_attempts(&mut self, attempts: Attempts) {
        match self {
            Self::Timeout(e) | Self::Connection(e) | Self::Tls(e) | Self::Transport(e) => {
                e.0.attempts = attempts;
            }
            other => {
                if let Some(e) = other.api_error_mut() {
                    e.0.attempts = attempts;
                }
            }
        }
    }

    /// Whether Dfns certainly did not run the request: it was never sent (connection refused,
    /// DNS failure, connect timeout), or Dfns refused it before running it (429).
    pub(crate) fn certainly_not_processed(&self) -> bool {
        match self {
            Self::RateLimited { .. } => true,
            Self::Timeout(e) | Self::Connection(e) => e.before_sending(),
            _ => false,
        }
    }

    /// How long Dfns asked to wait before trying again (429 `Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub(crate) fn invalid_input(reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid_config(reason: impl Into<String>) -> Self {
        Self::InvalidConfig {
            reason: reason.into(),
        }
    }
}

/// What Dfns said when it refused a request: status, message, trace id, details, request id
/// and raw body. Boxed, so that `Result<T, Error>` stays small.
pub struct ApiError(Box<ApiErrorInner>);

struct ApiErrorInner {
    status: u16,
    message: String,
    trace_id: Option<String>,
    details: Option<Value>,
    error_name: Option<String>,
    request_id: Option<String>,
    body: String,
    attempts: Attempts,
}

/// The most of an error body that is kept, in bytes.
const BODY_LIMIT: usize = 8 * 1024;

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// Dfns's message (`error.message`, or the top-level `message`); empty when the body
    /// carried none (an HTML page from a proxy, for example).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Dfns's trace id (`error.id`), the reference to give Dfns support.
    pub fn trace_id(&self) -> Option<&str> {
        self.0.trace_id.as_deref()
    }

    /// Structured context (`error.details`), e.g. `{"walletId": "wa-..."}`.
    pub fn details(&self) -> Option<&Value> {
        self.0.details.as_ref()
    }

    /// The error class of the 2022 error bodies (`errorName`, e.g. `EntityNotFoundError`).
    pub fn error_name(&self) -> Option<&str> {
        self.0.error_name.as_deref()
    }

    /// The `X-Request-ID` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The first 8 KiB of the body as received, as text (invalid UTF-8 becomes U+FFFD).
    pub fn body(&self) -> &str {
        &self.0.body
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.0.status;
        if self.0.message.is_empty() {
            write!(f, "http {status}")?;
            let reason = reason_phrase(status);
            if !reason.is_empty() {
                write!(f, " {reason}")?;
            }
        } else {
            write!(f, "{} (http {status})", self.0.message)?;
        }
        if let Some(id) = &self.0.trace_id {
            write!(f, ", dfns trace id {id}")?;
        }
        if let Some(id) = &self.0.request_id {
            write!(f, ", request id {id}")?;
        }
        fmt::Display::fmt(&self.0.attempts, f)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.0.status)
            .field("message", &self.0.message)
            .field("trace_id", &self.0.trace_id)
            .field("details", &self.0.details)
            .field("error_name", &self.0.error_name)
            .field("request_id", &self.0.request_id)
            .field("body", &excerpt(self.0.body.as_bytes(), 512))
            .field("attempts", &self.0.attempts.made)
            .field("outcome_unknown", &self.0.attempts.outcome_unknown)
            .finish()
    }
}

/// The caller a 403 names: `<kind> <id> is not authorized to perform operation (...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Principal {
    /// The kind of caller, e.g. `CustomerEmployee`, `Pat`, `ServiceAccount`.
    pub kind: String,
    /// Its id, e.g. `us-...` or `to-...`.
    pub id: String,
}

/// The entity a 409 conflicts with (`details.duplicate`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Duplicate {
    /// The existing entity's id.
    #[serde(default)]
    pub id: Option<String>,
    /// Its `externalId`.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Everything Dfns sent about it.
    #[serde(flatten)]
    pub other: serde_json::Map<String, Value>,
}

/// The body of a 202 answer: a change request waiting for policy approval.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PolicyApproval {
    /// The change request's id.
    #[serde(default)]
    pub id: String,
    /// What kind of entity the request changes.
    #[serde(default)]
    pub kind: Option<String>,
    /// The operation waiting (`Create`, `Update`, `Delete`, ...).
    #[serde(default)]
    pub operation_kind: Option<String>,
    /// `Pending` while waiting.
    #[serde(default)]
    pub status: String,
    /// Who asked.
    #[serde(default)]
    pub requester: Option<Value>,
    /// The entity the request is about.
    #[serde(default)]
    pub entity_id: Option<String>,
    /// The approval to decide on.
    #[serde(default)]
    pub approval_id: Option<String>,
    /// When the request was made (ISO-8601).
    #[serde(default)]
    pub date_created: Option<String>,
    /// The request body that will run once approved.
    #[serde(default)]
    pub body: Option<Value>,
}

/// A failure below HTTP: timeout, connection, TLS. Its `source()` is the HTTP library's error,
/// for logs; that type is not part of this crate's API (it may change with a minor release).
#[derive(Debug)]
pub struct TransportError(Box<TransportInner>);

#[derive(Debug)]
struct TransportInner {
    error: ureq::Error,
    attempts: Attempts,
}

impl TransportError {
    /// Whether the failure happened before anything was sent: the connection was refused or
    /// unreachable, the host name did not resolve, or connecting timed out.
    fn before_sending(&self) -> bool {
        use std::io::ErrorKind as K;
        use ureq::Error as U;
        match &self.0.error {
            U::HostNotFound | U::ConnectionFailed => true,
            U::Timeout(phase) => matches!(phase, ureq::Timeout::Resolve | ureq::Timeout::Connect),
            U::Io(io) => matches!(
                io.kind(),
                K::ConnectionRefused
                    | K::HostUnreachable
                    | K::NetworkUnreachable
                    | K::NetworkDown
                    | K::AddrNotAvailable
            ),
            _ => false,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.error, f)?;
        fmt::Display::fmt(&self.0.attempts, f)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0.error)
    }
}

/// How many attempts a call made, and whether a mutation may have run; shown at the end of the
/// error's text when there is something to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attempts {
    pub(crate) made: u32,
    pub(crate) outcome_unknown: bool,
}

impl Default for Attempts {
    fn default() -> Self {
        Self {
            made: 1,
            outcome_unknown: false,
        }
    }
}

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.made > 1 {
            write!(f, "; gave up after {} attempts", self.made)?;
        }
        if self.outcome_unknown {
            f.write_str(
                "; the outcome is unknown: the request may have run, check before sending it again",
            )?;
        }
        Ok(())
    }
}

impl Error {
    /// Classifies a failure of the HTTP library. Deliberately not a public `From` impl: the
    /// HTTP library is not part of this crate's API, so that it can be upgraded freely.
    pub(crate) fn from_transport(error: ureq::Error) -> Self {
        use std::io::ErrorKind;
        use ureq::Error as U;
        let variant: fn(TransportError) -> Self = match &error {
            U::BodyExceedsLimit(limit) => return Self::ResponseTooLarge { limit: *limit },
            U::Timeout(_) => Self::Timeout,
            U::Io(io) if io.kind() == ErrorKind::TimedOut => Self::Timeout,
            // rustls reports a refused certificate or a failed handshake as invalid data on
            // the socket (HTTP parse failures are `Protocol` errors, not I/O).
            U::Io(io) if io.kind() == ErrorKind::InvalidData && io.get_ref().is_some() => Self::Tls,
            U::Io(_) | U::HostNotFound | U::ConnectionFailed | U::BodyStalled => Self::Connection,
            U::Tls(_) | U::Rustls(_) | U::Pem(_) | U::TlsRequired => Self::Tls,
            _ => Self::Transport,
        };
        variant(TransportError(Box::new(TransportInner {
            error,
            attempts: Attempts::default(),
        })))
    }
}

/// The parts of a non-success answer the classification reads.
pub(crate) struct Answer<'a> {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: &'a [u8],
}

/// The three generations of error body, and the top-level `message` some proxies send.
#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    error: Option<ErrorField>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ErrorField {
    Object(ErrorObject),
    Text(String),
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ErrorObject {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    details: Option<Value>,
    #[serde(default)]
    error_name: Option<String>,
}

/// Turns a non-success answer into the matching [`Error`].
pub(crate) fn classify(answer: Answer<'_>) -> Error {
    let Answer {
        status,
        request_id,
        retry_after,
        body,
    } = answer;
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let (message, object) = match parsed.error {
        Some(ErrorField::Object(object)) => (object.message.clone().or(parsed.message), object),
        Some(ErrorField::Text(text)) => (Some(text), ErrorObject::default()),
        None => (parsed.message, ErrorObject::default()),
    };
    let body_text = String::from_utf8_lossy(&body[..floor_char_boundary(body, BODY_LIMIT)]);
    let error = ApiError(Box::new(ApiErrorInner {
        status,
        message: message.unwrap_or_default(),
        trace_id: object.id.map(|id| match id {
            Value::String(text) => text,
            other => other.to_string(),
        }),
        details: object.details,
        error_name: object.error_name,
        request_id,
        body: body_text.into_owned(),
        attempts: Attempts::default(),
    }));
    by_message(error).unwrap_or_else(|error| by_status(error, retry_after))
}

/// The documented messages, matched whatever the status (ignoring case and a final period).
fn by_message(error: ApiError) -> std::result::Result<Error, ApiError> {
    let message = error
        .message()
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let variant: fn(ApiError) -> Error = match message.as_str() {
        "request nonce is missing or invalid" => Error::NonceInvalid,
        "request nonce has already been used" => Error::NonceReused,
        "user action has already been used" => Error::UserActionReused,
        "user action signature is missing or invalid" => Error::UserActionSignatureInvalid,
        "user token is missing or invalid" | "not authorized" => Error::Unauthenticated,
        "internal server error" => Error::ServerError,
        "application cannot modify its own state" => Error::ApplicationCannotModifyItself,
        "application not found" => Error::ApplicationNotFound,
        "user account has been deactivated" => Error::UserDeactivated,
        // The documented 401 of login and signing; a 404 with these words (an unknown id in
        // `/auth/users/{id}`) stays a plain `NotFound`.
        "user not found" if error.status() == 401 => Error::UserNotFound,
        "user does not have a credential that can be used for the application" => {
            Error::NoCredentialForApplication
        }
        "invalid code" => Error::InvalidCode,
        "registration code expired" => Error::RegistrationCodeExpired,
        "user already exists" => Error::UserAlreadyExists,
        "challenge token is not valid" => Error::ChallengeInvalid,
        "credential cannot be used as a recovery factor" => Error::NotARecoveryCredential,
        _ => return Err(error),
    };
    Ok(variant(error))
}

fn by_status(error: ApiError, retry_after: Option<Duration>) -> Error {
    match error.status() {
        400 => Error::BadRequest(error),
        401 => Error::Unauthenticated(error),
        402 => Error::PaymentRequired(error),
        403 => {
            let (principal, permission) = parse_permission(error.message());
            Error::PermissionDenied {
                permission,
                principal: principal.map(Box::new),
                error,
            }
        }
        404 => Error::NotFound(error),
        409 => Error::Conflict {
            duplicate: error
                .details()
                .and_then(|details| details.get("duplicate"))
                .and_then(|duplicate| Duplicate::deserialize(duplicate).ok())
                .map(Box::new),
            error,
        },
        429 => Error::RateLimited { retry_after, error },
        500..=599 => Error::ServerError(error),
        _ => Error::UnexpectedStatus(error),
    }
}

/// Reads `<UserKind> <userId> is not authorized to perform operation (<Permission>)`.
fn parse_permission(message: &str) -> (Option<Principal>, Option<String>) {
    const MARKER: &str = " is not authorized to perform operation (";
    let Some(at) = message.find(MARKER) else {
        return (None, None);
    };
    let mut who = message[..at].split_whitespace();
    let principal = match (who.next(), who.next(), who.next()) {
        (Some(kind), Some(id), None) => Some(Principal {
            kind: kind.to_owned(),
            id: id.to_owned(),
        }),
        _ => None,
    };
    let rest = &message[at + MARKER.len()..];
    let permission = rest
        .find(')')
        .map(|end| rest[..end].trim().to_owned())
        .filter(|permission| !permission.is_empty());
    (principal, permission)
}

/// The longest wait a `Retry-After` can ask for: a day (anything longer is a server bug).
const RETRY_AFTER_CAP: Duration = Duration::from_secs(86_400);

/// Reads a `Retry-After` value: seconds (fractions allowed) or an HTTP date; capped at a day.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds >= 0.0 => {
            Duration::from_secs_f64(seconds.min(RETRY_AFTER_CAP.as_secs_f64()))
        }
        Ok(_) => return None,
        Err(_) => {
            let at = crate::time::parse_http_date(value)?;
            at.duration_since(std::time::SystemTime::now())
                .unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(RETRY_AFTER_CAP))
}

/// Decodes a success body into the endpoint's type. JSON is UTF-8: a body that is not is
/// refused whole, even where the bad bytes sit in a field the type ignores (serde_json checks
/// only the strings it keeps). One pass: the check, then serde_json on the checked text.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(status: u16, body: &[u8]) -> Result<T> {
    let text = std::str::from_utf8(body).map_err(|error| Error::Decode {
        status,
        reason: format!(
            "the body is not valid JSON: not UTF-8 (an invalid byte at {})",
            error.valid_up_to()
        ),
        excerpt: excerpt(body, 512),
    })?;
    // Some endpoints (revoking a permission assignment) document no answer body: an empty
    // body reads as `null` for the types that accept it, and is an error for the others.
    if text.bytes().all(|b| b.is_ascii_whitespace()) {
        if let Ok(nothing) = serde_json::from_str("null") {
            return Ok(nothing);
        }
    }
    serde_json::from_str(text).map_err(|error| Error::Decode {
        status,
        reason: describe_json_error(&error),
        excerpt: excerpt(body, 512),
    })
}

/// serde_json's message can quote values from the body (an access token, say): keep its
/// category and position, and the message only when it names a field rather than a value.
fn describe_json_error(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let (line, column) = (error.line(), error.column());
    let text = error.to_string();
    let what = match error.classify() {
        Category::Data
            if text.starts_with("missing field") || text.starts_with("duplicate field") =>
        {
            text.split(" at line")
                .next()
                .unwrap_or("wrong shape")
                .to_owned()
        }
        Category::Data => "the body does not have the expected shape".to_owned(),
        Category::Syntax => "the body is not valid JSON".to_owned(),
        Category::Eof => "the body ends early".to_owned(),
        Category::Io => "the body could not be read".to_owned(),
    };
    format!("{what} (line {line}, column {column})")
}

/// Fields whose string values are secrets: never copied into an error.
const SECRET_FIELDS: [&str; 11] = [
    "accessToken",
    "token",
    "userAction",
    "secret",
    "privateKey",
    "challengeIdentifier",
    // Issue 6 (login, registration, recovery): their temporary tokens, codes and keys.
    "temporaryAuthenticationToken",
    "code",
    "password",
    "encryptedPrivateKey",
    "encryptedRecoveryKey",
];

/// The first `limit` bytes of a body as text, with the string values of secret-bearing JSON
/// fields replaced, for errors and logs.
pub(crate) fn excerpt(body: &[u8], limit: usize) -> String {
    let mut text = String::from_utf8_lossy(&body[..floor_char_boundary(body, limit)]).into_owned();
    for field in SECRET_FIELDS {
        let key = format!("\"{field}\"");
        let mut from = 0;
        while let Some(found) = text[from..].find(&key) {
            let after_key = from + found + key.len();
            from = after_key;
            // `"key"`, optional spaces, `:`, optional spaces, then a string value.
            let Some(after_colon) = text[after_key..].trim_start().strip_prefix(':') else {
                continue;
            };
            let value = after_colon.trim_start();
            if !value.starts_with('"') {
                continue;
            }
            // `value` is a suffix of `text`, so this is where it starts.
            let value_start = text.len() - value.len();
            let value_end = string_end(&text, value_start + 1);
            text.replace_range(value_start + 1..value_end, "** redacted **");
            from = value_start + 1 + "** redacted **".len();
        }
    }
    text
}

/// The index of the closing quote of a JSON string whose content starts at `start` (or the end
/// of the text when it is cut short).
fn string_end(text: &str, start: usize) -> usize {
    let mut escaped = false;
    for (offset, c) in text[start..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return start + offset,
            _ => {}
        }
    }
    text.len()
}

/// The largest index `<= limit` that does not split a UTF-8 sequence in `bytes` (or
/// `bytes.len()`).
fn floor_char_boundary(bytes: &[u8], limit: usize) -> usize {
    if bytes.len() <= limit {
        return bytes.len();
    }
    let mut end = limit;
    // Continuation bytes look like 0b10xxxxxx.
    while end > 0 && (bytes[end] & 0xc0) == 0x80 {
        end -= 1;
    }
    end
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "bad request",
        401 => "unauthorized",
        402 => "payment required",
        403 => "forbidden",
        404 => "not found",
        409 => "conflict",
        429 => "too many requests",
        500 => "internal server error",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        300..=399 => "redirect (not followed)",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_that_is_not_utf8_is_refused_even_in_an_ignored_field() {
        #[derive(Debug, Deserialize)]
        struct List {
            #[allow(dead_code)]
            items: Vec<Value>,
        }
        let bad = b"{\"items\":[],\"name\":\"\xff\xfe\xc3\x28\"}";
        match decode::<List>(200, bad) {
            Err(Error::Decode { status, reason, .. }) => {
                assert_eq!(status, 200);
                assert!(reason.contains("not UTF-8"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        assert!(decode::<List>(200, br#"{"items":[],"name":"\u00ff ok"}"#).is_ok());
    }

    #[test]
    fn excerpts_redact_secret_string_values_only() {
        let body = br#"{"accessToken" : "eyJ.secret.sig","name":"token","token":5,"userAction":"ua\"x","secret":"#;
        let text = excerpt(body, 512);
        assert!(!text.contains("eyJ.secret.sig"), "{text}");
        assert!(!text.contains("ua\\\"x"), "{text}");
        assert!(
            text.contains(r#""accessToken" : "** redacted **""#),
            "{text}"
        );
        assert!(
            text.contains(r#""name":"token""#),
            "a value equal to a field name stays: {text}"
        );
        assert!(
            text.contains(r#""token":5"#),
            "non-string values stay: {text}"
        );
    }

    #[test]
    fn excerpts_stop_on_a_character_boundary() {
        let body = "é".repeat(10);
        assert_eq!(excerpt(body.as_bytes(), 5), "éé");
    }

    #[test]
    fn retry_after_reads_seconds_and_dates_and_refuses_nonsense() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after(" 0.25 "),
            Some(Duration::from_millis(250))
        );
        assert_eq!(parse_retry_after("1e12"), Some(RETRY_AFTER_CAP));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("NaN"), None);
        assert_eq!(parse_retry_after("inf"), None);
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn permission_messages_are_parsed_and_odd_ones_tolerated() {
        let (principal, permission) = parse_permission(
            "ServiceAccount to-1 is not authorized to perform operation (Wallets:Read)",
        );
        assert_eq!(
            principal.map(|p| (p.kind, p.id)),
            Some(("ServiceAccount".into(), "to-1".into()))
        );
        assert_eq!(permission.as_deref(), Some("Wallets:Read"));
        assert_eq!(parse_permission("forbidden"), (None, None));
        assert_eq!(
            parse_permission(" is not authorized to perform operation ("),
            (None, None)
        );
        let (principal, permission) =
            parse_permission("a b c is not authorized to perform operation (X)");
        assert_eq!((principal, permission.as_deref()), (None, Some("X")));
    }
}
