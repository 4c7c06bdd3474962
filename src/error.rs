//! [`Error`], and the classification of Dfns answers into it.
//!
//! Dfns has no machine-readable error codes: it classifies errors by HTTP status plus a
//! documented message. The status decides the [`Error`] variant (the class: not found,
//! permission denied, ...), so that matching a class catches every answer of that class; the
//! documented message, when there is one, is an [`ErrorReason`] inside it.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::api::policies::ChangeRequest;
use crate::deadline::TimeLimit;
use crate::signing::{KeyError, SignError};

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a call.
///
/// An answer from Dfns is classified by its HTTP status alone: `404` is always
/// [`Error::NotFound`], `403` always [`Error::PermissionDenied`], and so on, so that an arm
/// that matches a class catches every answer of that class, whatever Dfns's message says.
/// Each of these variants carries the [`ApiError`]: status, message, trace id, details,
/// request id, raw body, and what the message says in a form you can match:
/// [`ApiError::reason`] (the documented messages, e.g. [`ErrorReason::NonceReused`]),
/// [`ApiError::permission`], [`ApiError::duplicate`], [`ApiError::retry_after`]. The `is_*`
/// methods ([`is_not_found`](Self::is_not_found), ...) test the class without a `match`.
///
/// ```
/// use dfns_blocking::{Error, ErrorReason};
///
/// fn explain(error: &Error) -> String {
///     match error {
///         Error::NotFound(_) => "no such token".to_string(),
///         Error::RateLimited(e) => format!("slow down for {:?}", e.retry_after()),
///         Error::PermissionDenied(e) if e.reason() == Some(ErrorReason::UserActionSignatureInvalid) => {
///             "the signature was refused".to_string()
///         }
///         Error::PermissionDenied(e) => match e.permission() {
///             Some(permission) => format!("ask an admin for {permission}"),
///             None => format!("refused: {}", e.message()),
///         },
///         Error::PolicyApprovalPending(pending) => {
///             format!("waiting for approval {}", pending.approval_id().unwrap_or("(not named)"))
///         }
///         other => other.to_string(),
///     }
/// }
/// # let _ = explain;
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 400: invalid body or parameters, and the documented 400s: a refused or reused nonce, a
    /// reused user action, an invalid challenge, a deactivated user, an expired registration
    /// code ([`ApiError::reason`] tells them apart).
    #[error("bad request: {0}")]
    BadRequest(ApiError),
    /// 401: the `Authorization` token is missing, invalid, expired, deactivated, or for another
    /// region; also the documented 401s of login, registration and recovery (`User not found`,
    /// `User already exists.`, ...: see [`ApiError::reason`]).
    #[error("not authenticated: {0}")]
    Unauthenticated(ApiError),
    /// 402: the feature is not in the organisation's plan.
    #[error("payment required (feature not in the plan): {0}")]
    PaymentRequired(ApiError),
    /// 403: the caller lacks a permission ([`ApiError::permission`] names it when Dfns does),
    /// the user action signature was refused
    /// ([`ErrorReason::UserActionSignatureInvalid`]), or a one-time code was wrong.
    #[error("permission denied: {0}")]
    PermissionDenied(ApiError),
    /// 404: the entity does not exist, was deleted, or belongs to another organisation.
    #[error("not found: {0}")]
    NotFound(ApiError),
    /// 409: a conflict, e.g. an `externalId` reused with a different body
    /// ([`ApiError::duplicate`] is the existing entity when Dfns names it).
    #[error("conflict: {0}")]
    Conflict(ApiError),
    /// 429: the organisation passed its rate limit ([`ApiError::retry_after`] says how long
    /// Dfns asked to wait).
    #[error("rate limited{}: {}", .0.retry_after().map(|d| format!(", retry after {} s", (d.as_secs_f32() * 10.0).round() / 10.0)).unwrap_or_default(), .0)]
    RateLimited(ApiError),
    /// 500 and every other 5xx: a server or gateway failure (the body may be an HTML page from
    /// a proxy; its start is kept).
    #[error("server error: {0}")]
    ServerError(ApiError),
    /// Any other status that is not a success (3xx, 405, 413, ...). Redirects are never
    /// followed, so credentials never reach another host.
    #[error("unexpected answer: {0}")]
    UnexpectedStatus(ApiError),
    /// 202: the request needs policy approval and **did not run**. The change request says
    /// which approval decides it ([`ChangeRequest::approval_id`]); the action runs when the
    /// approvers approve.
    #[error("the action needs policy approval and did not run yet ({})", pending_summary(.0))]
    PolicyApprovalPending(Box<ChangeRequest>),
    /// A wait for a final status (`wait_for_transfer`, `wait_for_transaction`, ...) ended
    /// without the success it waited for: the request failed, was rejected, or the caller's
    /// deadline passed first.
    #[error("the wait ended: {reason} (last status {status:?})")]
    WaitFailed {
        /// Why it ended.
        reason: WaitEnd,
        /// The last status seen, as Dfns spells it (empty when nothing was read).
        status: String,
        /// The last record read, typed and as JSON ([`WaitRecord`](crate::wait::WaitRecord)).
        last: Box<crate::wait::WaitRecord>,
    },

    /// No answer in time: the deadline of the whole call
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)) or the limit of one HTTP
    /// request ([`ClientBuilder::request_timeout`](crate::ClientBuilder::request_timeout))
    /// passed; [`TimeoutError::limit`] says which.
    #[error("timed out: {0}")]
    Timeout(TimeoutError),
    /// The connection could not be made or broke (refused, reset, DNS failure, cut short).
    #[error("connection failed: {0}")]
    Connection(TransportError),
    /// TLS failed (certificate, handshake).
    #[error("tls failed: {0}")]
    Tls(TransportError),
    /// Another HTTP-level failure (malformed answer, proxy failure).
    #[error("http failure: {0}")]
    Transport(TransportError),
    /// The answer's body was larger than the client's limit.
    #[error("the answer was larger than the {limit}-byte limit")]
    ResponseTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// A success answer whose body is not what the endpoint returns: the field that failed and
    /// the type expected, never a value from the body.
    #[error("{0}")]
    Decode(DecodeError),

    /// A private key could not be loaded.
    #[error("invalid key: {0}")]
    Key(KeyError),
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
    Signer(SignError),
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

// Each variant's text includes what it wraps, so none has a `source()`: a chain that repeats a
// text reads as several failures in a log. Hence `From` by hand rather than thiserror's
// `#[from]` (which makes the wrapped error a source too).
impl From<KeyError> for Error {
    fn from(error: KeyError) -> Self {
        Self::Key(error)
    }
}

impl From<SignError> for Error {
    fn from(error: SignError) -> Self {
        Self::Signer(error)
    }
}

/// The approval and the change request of a 202, for its error text.
fn pending_summary(pending: &ChangeRequest) -> String {
    let mut text = match pending.approval_id() {
        Some(approval) => format!("approval {approval}, change request {}", pending.id),
        None => format!("change request {}", pending.id),
    };
    if let Some(status) = &pending.status {
        text.push_str(", status ");
        text.push_str(status.as_str());
    }
    text
}

/// The [`ApiError`] inside an [`Error`], by reference or by mutable reference: one list of the
/// variants that carry one.
macro_rules! api_error_of {
    ($error:expr) => {
        match $error {
            Error::BadRequest(e)
            | Error::Unauthenticated(e)
            | Error::PaymentRequired(e)
            | Error::PermissionDenied(e)
            | Error::NotFound(e)
            | Error::Conflict(e)
            | Error::RateLimited(e)
            | Error::ServerError(e)
            | Error::UnexpectedStatus(e) => Some(e),
            _ => None,
        }
    };
}

impl Error {
    /// The HTTP status of Dfns's answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::PolicyApprovalPending(_) => Some(202),
            Self::Decode(e) => Some(e.status()),
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

    /// The documented case Dfns's message names, for an answer from Dfns
    /// ([`ApiError::reason`]).
    ///
    /// ```
    /// # use dfns_blocking::{Error, ErrorReason};
    /// # fn check(error: &Error) -> bool {
    /// error.reason() == Some(ErrorReason::NonceReused)
    /// # }
    /// ```
    pub fn reason(&self) -> Option<ErrorReason> {
        self.api_error().and_then(ApiError::reason)
    }

    /// A 400 ([`Error::BadRequest`]).
    pub fn is_bad_request(&self) -> bool {
        matches!(self, Self::BadRequest(_))
    }

    /// A 401 ([`Error::Unauthenticated`]).
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, Self::Unauthenticated(_))
    }

    /// A 403 ([`Error::PermissionDenied`]).
    pub fn is_permission_denied(&self) -> bool {
        matches!(self, Self::PermissionDenied(_))
    }

    /// A 404 ([`Error::NotFound`]).
    ///
    /// ```no_run
    /// # let client = dfns_blocking::Client::builder().build()?;
    /// match client.applications().get("ap-...") {
    ///     Ok(app) => println!("{}", app.name),
    ///     Err(error) if error.is_not_found() => println!("no such application"),
    ///     Err(error) => return Err(error),
    /// }
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound(_))
    }

    /// A 409 ([`Error::Conflict`]).
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::Conflict(_))
    }

    /// A 429 ([`Error::RateLimited`]).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Self::RateLimited(_))
    }

    /// A 5xx ([`Error::ServerError`]).
    pub fn is_server_error(&self) -> bool {
        matches!(self, Self::ServerError(_))
    }

    /// A 202: the action waits for policy approval ([`Error::PolicyApprovalPending`]).
    pub fn is_policy_approval_pending(&self) -> bool {
        matches!(self, Self::PolicyApprovalPending(_))
    }

    /// No answer in time ([`Error::Timeout`]), whichever limit passed.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// Whether the same call may succeed if made again later (as a new request, with a new
    /// nonce and, for signed requests, a new signature): rate limits, gateway failures
    /// (502, 503, 504), timeouts and broken connections.
    ///
    /// For a mutation, a timeout or a gateway failure leaves its outcome unknown: check before
    /// repeating one that has no `externalId`.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited(_) | Self::Timeout(_) | Self::Connection(_) => true,
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
            Self::Timeout(e) => Some(&e.0.attempts),
            Self::Connection(e) | Self::Tls(e) | Self::Transport(e) => Some(&e.0.attempts),
            other => other.api_error().map(|e| &e.0.attempts),
        }
    }

    /// Records the attempts on the error that ends a call.
    pub(crate) fn set_attempts(&mut self, attempts: Attempts) {
        match self {
            Self::Timeout(e) => e.0.attempts = attempts,
            Self::Connection(e) | Self::Tls(e) | Self::Transport(e) => e.0.attempts = attempts,
            other => {
                if let Some(e) = other.api_error_mut() {
                    e.0.attempts = attempts;
                }
            }
        }
    }

    /// Whether Dfns certainly did not run the request: it was never sent (connection refused,
    /// DNS failure, connect timeout, the call's deadline passed before it), or Dfns refused it
    /// before running it (429).
    pub(crate) fn certainly_not_processed(&self) -> bool {
        match self {
            Self::RateLimited(_) => true,
            Self::Timeout(e) => e.0.transport.as_ref().is_none_or(before_sending),
            Self::Connection(e) => before_sending(&e.0.error),
            _ => false,
        }
    }

    /// How long Dfns asked to wait before trying again (429 `Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(ApiError::retry_after)
    }

    /// Names the limit that was in force when the HTTP library reported a timeout.
    pub(crate) fn timed_out_by(mut self, limit: Option<TimeLimit>) -> Self {
        if let Self::Timeout(e) = &mut self {
            if e.0.limit.is_none() {
                e.0.limit = limit;
            }
        }
        self
    }

    /// The call's deadline passed before a request could start.
    pub(crate) fn deadline_passed(limit: TimeLimit) -> Self {
        Self::Timeout(TimeoutError(Box::new(TimeoutInner {
            limit: Some(limit),
            transport: None,
            attempts: Attempts::default(),
        })))
    }

    /// Whether this is the timeout of the whole call's deadline.
    pub(crate) fn is_deadline(&self) -> bool {
        matches!(self, Self::Timeout(e) if matches!(e.limit(), Some(TimeLimit::Call(_))))
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

/// Declares [`ErrorReason`] and its documented status and message from one list.
macro_rules! documented_reasons {
    (
        $(#[$meta:meta])*
        pub enum ErrorReason {
            $( $(#[$vmeta:meta])* $variant:ident = ($status:literal, $message:literal), )*
        }
    ) => {
        $(#[$meta])*
        pub enum ErrorReason {
            $( $(#[$vmeta])* $variant, )*
        }

        impl ErrorReason {
            /// Every reason, in the order of Dfns's documentation.
            pub fn all() -> impl Iterator<Item = ErrorReason> {
                [$( Self::$variant, )*].into_iter()
            }

            /// The HTTP status Dfns documents for this message, i.e. the [`Error`] class it
            /// comes in.
            pub fn status(self) -> u16 {
                match self {
                    $( Self::$variant => $status, )*
                }
            }

            /// The documented message, as Dfns spells it.
            pub fn message(self) -> &'static str {
                match self {
                    $( Self::$variant => $message, )*
                }
            }
        }
    };
}

documented_reasons! {
    /// The documented Dfns error messages: the finer case inside an [`Error`] class, read from
    /// the message (ignoring case and a final period) by [`ApiError::reason`].
    ///
    /// The class (the [`Error`] variant) comes from the HTTP status, and stays the same if Dfns
    /// rewords a message; a reworded or undocumented message has no reason. Each reason names
    /// the status Dfns documents for it ([`status`](Self::status)), that is the class it is
    /// found in.
    ///
    /// ```
    /// use dfns_blocking::{Error, ErrorReason};
    ///
    /// fn what_to_do(error: &Error) -> &'static str {
    ///     match error.reason() {
    ///         Some(ErrorReason::UserActionSignatureInvalid) => "check the credential and its key",
    ///         Some(ErrorReason::UserDeactivated) => "ask an administrator to reactivate the user",
    ///         _ if error.is_unauthenticated() => "log in again",
    ///         _ => "see the message",
    ///     }
    /// }
    /// assert_eq!(ErrorReason::NonceReused.status(), 400);
    /// # let _ = what_to_do;
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum ErrorReason {
        /// 400 `request nonce is missing or invalid`: the `X-DFNS-NONCE` header was refused.
        NonceInvalid = (400, "request nonce is missing or invalid"),
        /// 400 `request nonce has already been used`: a replayed request.
        NonceReused = (400, "request nonce has already been used"),
        /// 400 `user action has already been used`: a user action token is single-use.
        UserActionReused = (400, "user action has already been used"),
        /// 403 `user action signature is missing or invalid`: the signed request's
        /// `X-DFNS-USERACTION` was absent, wrong, or signed for another method, path or body.
        UserActionSignatureInvalid = (403, "user action signature is missing or invalid"),
        /// 400 `application cannot modify its own state`.
        ApplicationCannotModifyItself = (400, "application cannot modify its own state"),
        /// 404 `application not found`.
        ApplicationNotFound = (404, "application not found"),
        /// 400 `User account has been deactivated.`
        UserDeactivated = (400, "User account has been deactivated."),
        /// 401 `User not found` (login and user action signing; a 404 with these words is an
        /// unknown user id, with the same reason).
        UserNotFound = (401, "User not found"),
        /// 401 `User does not have a credential that can be used for the application.`
        NoCredentialForApplication = (
            401,
            "User does not have a credential that can be used for the application."
        ),
        /// 403 `Invalid code` (login with a one-time code).
        InvalidCode = (403, "Invalid code"),
        /// 400 `Registration code expired`.
        RegistrationCodeExpired = (400, "Registration code expired"),
        /// 401 `User already exists.` (registration).
        UserAlreadyExists = (401, "User already exists."),
        /// 400 `Challenge token is not valid.`: the challenge identifier is unknown, expired
        /// or already used.
        ChallengeInvalid = (400, "Challenge token is not valid."),
        /// 401 `Credential cannot be used as a recovery factor.`
        NotARecoveryCredential = (401, "Credential cannot be used as a recovery factor."),
        /// 409 `Conflicting transfer with same externalId` (or transaction, signature): the
        /// `externalId` was used before with another body.
        ExternalIdReused = (409, "Conflicting transfer with same externalId"),
    }
}

impl ErrorReason {
    /// The reason a message names, if it is a documented one (whatever the status: the status
    /// decides the class, the message the reason).
    fn of_message(message: &str) -> Option<Self> {
        let normal = |text: &str| text.trim().trim_end_matches('.').to_ascii_lowercase();
        let message = normal(message);
        // Dfns words the idempotency conflict after the entity: transfer, transaction, ...
        if message.starts_with("conflicting ") && message.ends_with(" with same externalid") {
            return Some(Self::ExternalIdReused);
        }
        Self::all().find(|reason| normal(reason.message()) == message)
    }
}

impl fmt::Display for ErrorReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// What Dfns said when it refused a request: status, message, trace id, details, request id
/// and raw body, and what the classification read from them (the documented reason, the
/// missing permission, the conflicting entity, the wait asked for). Boxed, so that
/// `Result<T, Error>` stays small.
pub struct ApiError(Box<ApiErrorInner>);

struct ApiErrorInner {
    status: u16,
    message: String,
    trace_id: Option<String>,
    details: Option<Value>,
    error_name: Option<String>,
    request_id: Option<String>,
    body: String,
    reason: Option<ErrorReason>,
    permission: Option<String>,
    principal: Option<Principal>,
    duplicate: Option<Duplicate>,
    retry_after: Option<Duration>,
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

    /// The documented case the message names (see [`ErrorReason`]); `None` for any other
    /// message.
    pub fn reason(&self) -> Option<ErrorReason> {
        self.0.reason
    }

    /// The missing permission a 403 names, e.g. `Auth:Pats:Create`
    /// (`<kind> <id> is not authorized to perform operation (<permission>)`).
    pub fn permission(&self) -> Option<&str> {
        self.0.permission.as_deref()
    }

    /// The caller a 403 names, e.g. `CustomerEmployee us-...`.
    pub fn principal(&self) -> Option<&Principal> {
        self.0.principal.as_ref()
    }

    /// The existing entity a 409 names (`details.duplicate`).
    pub fn duplicate(&self) -> Option<&Duplicate> {
        self.0.duplicate.as_ref()
    }

    /// How long a 429 asked to wait (`Retry-After`, in seconds or as an HTTP date, capped at a
    /// day).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
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
            .field("reason", &self.0.reason)
            .field("permission", &self.0.permission)
            .field("principal", &self.0.principal)
            .field("duplicate", &self.0.duplicate)
            .field("retry_after", &self.0.retry_after)
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

/// Why a wait for a final status ended without success ([`Error::WaitFailed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitEnd {
    /// The request reached `Failed`.
    Failed,
    /// A policy approver rejected the request (`Rejected`).
    Rejected,
    /// The caller's deadline passed before a final status.
    TimedOut,
}

impl fmt::Display for WaitEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Failed => "the request failed",
            Self::Rejected => "the request was rejected",
            Self::TimedOut => "the deadline passed before a final status",
        })
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

/// A call that got no answer in time: which limit passed ([`limit`](Self::limit)) and how many
/// attempts were made.
#[derive(Debug)]
pub struct TimeoutError(Box<TimeoutInner>);

#[derive(Debug)]
struct TimeoutInner {
    limit: Option<TimeLimit>,
    /// The HTTP library's report; `None` when the call's deadline passed between requests.
    transport: Option<ureq::Error>,
    attempts: Attempts,
}

impl TimeoutError {
    /// The limit that passed: the whole call's deadline or one request's limit, with its
    /// duration. `None` only when neither is configured and the operating system gave up.
    pub fn limit(&self) -> Option<TimeLimit> {
        self.0.limit
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0.limit, &self.0.transport) {
            (Some(limit), _) => write!(f, "no answer within {limit}")?,
            (None, Some(error)) => write!(f, "{error}")?,
            (None, None) => f.write_str("no answer in time")?,
        }
        fmt::Display::fmt(&self.0.attempts, f)
    }
}

impl std::error::Error for TimeoutError {}

/// A failure below HTTP: connection, TLS, a malformed answer. Its text is the HTTP library's
/// description; that library's error type is not part of this crate's API (it may change with
/// a minor release).
#[derive(Debug)]
pub struct TransportError(Box<TransportInner>);

#[derive(Debug)]
struct TransportInner {
    error: ureq::Error,
    attempts: Attempts,
}

/// Whether a transport failure happened before anything was sent: the connection was refused
/// or unreachable, the host name did not resolve, or connecting timed out.
fn before_sending(error: &ureq::Error) -> bool {
    use std::io::ErrorKind as K;
    use ureq::Error as U;
    match error {
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

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.error, f)?;
        fmt::Display::fmt(&self.0.attempts, f)
    }
}

// The HTTP library's error is this error's text, not a `source()`: a chain that repeats a text
// reads as three failures in a log.
impl std::error::Error for TransportError {}

/// A success answer that did not decode: where in the body, what was expected, and what was
/// wrong, without any value from the body (values can be secrets).
pub struct DecodeError(Box<DecodeInner>);

struct DecodeInner {
    status: u16,
    path: String,
    problem: String,
    expected: Option<String>,
    position: Option<(usize, usize)>,
    excerpt: String,
}

impl DecodeError {
    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// Where the body failed, as a path of field names and indices, e.g.
    /// `items[2].permissionAssignments[0].operations`; empty for the body as a whole.
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// What was wrong, without values: `invalid type: string`, ``missing field `tokenId` ``,
    /// `the body is not valid JSON`, ...
    pub fn problem(&self) -> &str {
        &self.0.problem
    }

    /// The type expected at [`path`](Self::path), when the decoder said (e.g. `a boolean`,
    /// `u64`, `struct PersonalAccessToken`).
    pub fn expected(&self) -> Option<&str> {
        self.0.expected.as_deref()
    }

    /// The first 512 bytes of the body, with the values of secret-bearing fields (access
    /// tokens, user actions, ...) redacted. For your eyes when debugging; never in the text.
    pub fn excerpt(&self) -> &str {
        &self.0.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.0;
        write!(f, "could not decode the {} answer", inner.status)?;
        if !inner.path.is_empty() {
            write!(f, " at `{}`", inner.path)?;
        }
        write!(f, ": {}", inner.problem)?;
        if let Some(expected) = &inner.expected {
            write!(f, ", expected {expected}")?;
        }
        if let Some((line, column)) = inner.position {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.0;
        f.debug_struct("DecodeError")
            .field("status", &inner.status)
            .field("path", &inner.path)
            .field("problem", &inner.problem)
            .field("expected", &inner.expected)
            .field("position", &inner.position)
            .field("excerpt", &inner.excerpt)
            .finish()
    }
}

impl std::error::Error for DecodeError {}

impl Error {
    /// A success answer that lacks what the call needs although it decoded (a login answer
    /// without a token, say): `path` names the field, `problem` says why.
    pub(crate) fn undecodable(status: u16, path: &str, problem: &str) -> Self {
        Self::Decode(DecodeError(Box::new(DecodeInner {
            status,
            path: path.to_owned(),
            problem: problem.to_owned(),
            expected: None,
            position: None,
            excerpt: String::new(),
        })))
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
            U::Timeout(_) => return Self::timeout(error),
            U::Io(io) if io.kind() == ErrorKind::TimedOut => return Self::timeout(error),
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

    /// A timeout the HTTP library reported; the limit in force is named by
    /// [`timed_out_by`](Self::timed_out_by).
    fn timeout(error: ureq::Error) -> Self {
        Self::Timeout(TimeoutError(Box::new(TimeoutInner {
            limit: None,
            transport: Some(error),
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
    let message = message.unwrap_or_default();
    let reason = ErrorReason::of_message(&message);
    let (principal, permission) = match status {
        403 => parse_permission(&message),
        _ => (None, None),
    };
    let duplicate = match status {
        409 => object
            .details
            .as_ref()
            .and_then(|details| details.get("duplicate"))
            .and_then(|duplicate| Duplicate::deserialize(duplicate).ok()),
        _ => None,
    };
    let error = ApiError(Box::new(ApiErrorInner {
        status,
        message,
        trace_id: object.id.map(|id| match id {
            Value::String(text) => text,
            other => other.to_string(),
        }),
        details: object.details,
        error_name: object.error_name,
        request_id,
        body: body_text.into_owned(),
        reason,
        permission,
        principal,
        duplicate,
        retry_after: retry_after.filter(|_| status == 429),
        attempts: Attempts::default(),
    }));
    by_status(error)
}

/// The class of an answer: its status alone, so that a reworded message never moves an answer
/// to another variant.
fn by_status(error: ApiError) -> Error {
    let variant: fn(ApiError) -> Error = match error.status() {
        400 => Error::BadRequest,
        401 => Error::Unauthenticated,
        402 => Error::PaymentRequired,
        403 => Error::PermissionDenied,
        404 => Error::NotFound,
        409 => Error::Conflict,
        429 => Error::RateLimited,
        500..=599 => Error::ServerError,
        _ => Error::UnexpectedStatus,
    };
    variant(error)
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
    let text =
        std::str::from_utf8(body).map_err(|error| not_utf8(status, body, error.valid_up_to()))?;
    // Some endpoints (revoking a permission assignment) document no answer body: an empty
    // body reads as `null` for the types that accept it, and is an error for the others.
    if text.bytes().all(|b| b.is_ascii_whitespace()) {
        if let Ok(nothing) = serde_json::from_str("null") {
            return Ok(nothing);
        }
    }
    serde_json::from_str(text).map_err(|error| decode_error(status, body, &error))
}

/// A [`DecodeError`] for a body that is not UTF-8: where its first invalid byte sits.
fn not_utf8(status: u16, body: &[u8], at: usize) -> Error {
    let before = &body[..at.min(body.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    Error::Decode(DecodeError(Box::new(DecodeInner {
        status,
        path: crate::json_path::path_at(body, at),
        problem: "the body is not valid JSON: not UTF-8".to_owned(),
        expected: None,
        position: Some((line, before.len() - line_start + 1)),
        excerpt: excerpt(body, 512),
    })))
}

/// A [`DecodeError`] for a body serde_json refused: the path to where it stopped, and what it
/// said with any quoted value taken out.
fn decode_error(status: u16, body: &[u8], error: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    let (line, column) = (error.line(), error.column());
    let (problem, expected) = match error.classify() {
        Category::Data => describe_data_error(&error.to_string()),
        Category::Syntax => ("the body is not valid JSON".to_owned(), None),
        Category::Eof => ("the body ends early".to_owned(), None),
        Category::Io => ("the body could not be read".to_owned(), None),
    };
    let path = crate::json_path::path_at(body, crate::json_path::offset_of(body, line, column));
    Error::Decode(DecodeError(Box::new(DecodeInner {
        status,
        path,
        problem,
        expected,
        position: (line > 0).then_some((line, column)),
        excerpt: excerpt(body, 512),
    })))
}

/// Splits serde's message into what was wrong and what was expected, keeping field names and
/// type names and dropping values: serde quotes the value it refused
/// (``invalid type: string "eyJ...", expected u64``), and that value can be a secret.
fn describe_data_error(text: &str) -> (String, Option<String>) {
    // serde_json appends the position; it is kept apart.
    let text = text.rsplit_once(" at line ").map_or(text, |(text, _)| text);
    // The expected part is written by the type being decoded, never taken from the body; it
    // comes last, so a value that holds the same words cannot move the split.
    let (head, expected) = match text.rsplit_once(", expected ") {
        Some((head, expected)) => (head, Some(expected.to_owned())),
        None => (text, None),
    };
    // `invalid type: string "x"`, `invalid value: integer `5``: the kind, not the value.
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(unexpected) = head.strip_prefix(prefix) {
            let kind = unexpected
                .split([' '])
                .take_while(|word| !word.starts_with(['"', '`', '\'']))
                .collect::<Vec<_>>()
                .join(" ");
            return (format!("{prefix}{kind}"), expected);
        }
    }
    let names_a_field = ["missing field `", "duplicate field `", "unknown field `"]
        .iter()
        .any(|prefix| head.starts_with(prefix));
    if names_a_field || head.starts_with("invalid length ") {
        return (head.to_owned(), expected);
    }
    if head.starts_with("unknown variant ") {
        return ("unknown variant".to_owned(), expected);
    }
    // A message of the type's own: it may quote what it refused.
    ("invalid value".to_owned(), None)
}

/// Fields whose string values are secrets: never copied into an error.
const SECRET_FIELDS: [&str; 11] = [
    "accessToken",
    "token",
    "userAction",
    "secret",
    "privateKey",
    "challengeIdentifier",
    // Login, registration and recovery: their temporary tokens, codes and keys.
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
            Err(Error::Decode(error)) => {
                assert_eq!(error.status(), 200);
                assert!(error.problem().contains("not UTF-8"), "{error}");
                assert_eq!(error.path(), "name");
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
    fn decode_messages_keep_names_and_types_and_drop_values() {
        let cases = [
            (
                "invalid type: string \"eyJ.secret\", expected u64 at line 1 column 20",
                "invalid type: string",
                Some("u64"),
            ),
            (
                "invalid type: floating point `1.5`, expected a boolean",
                "invalid type: floating point",
                Some("a boolean"),
            ),
            (
                "invalid value: string \"a, expected b\", expected a date",
                "invalid value: string",
                Some("a date"),
            ),
            (
                "unknown variant `s3cr3t`, expected one of `A`, `B`",
                "unknown variant",
                Some("one of `A`, `B`"),
            ),
            ("missing field `tokenId`", "missing field `tokenId`", None),
            (
                "invalid length 3, expected fewer elements in array",
                "invalid length 3",
                Some("fewer elements in array"),
            ),
            ("bad date s3cr3t", "invalid value", None),
        ];
        for (message, problem, expected) in cases {
            let (got, got_expected) = describe_data_error(message);
            assert_eq!(got, problem, "{message}");
            assert_eq!(got_expected.as_deref(), expected, "{message}");
        }
    }

    #[test]
    fn reasons_are_read_from_the_message_whatever_its_case_and_final_period() {
        assert_eq!(
            ErrorReason::of_message(" user account has been deactivated "),
            Some(ErrorReason::UserDeactivated)
        );
        assert_eq!(
            ErrorReason::of_message("Conflicting signature with same externalId"),
            Some(ErrorReason::ExternalIdReused)
        );
        assert_eq!(ErrorReason::of_message("user not found anywhere"), None);
        for reason in ErrorReason::all() {
            assert_eq!(ErrorReason::of_message(reason.message()), Some(reason));
        }
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
