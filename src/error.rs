//! [`Error`] and what it carries ([`ApiError`], [`ErrorReason`], ...). Reading Dfns's answers
//! into them is `classify`'s work.
//!
//! Dfns has no machine-readable error codes: it classifies errors by HTTP status plus a
//! documented message. The status decides the [`Error`] variant (the class: not found,
//! permission denied, ...), so that matching a class catches every answer of that class; the
//! documented message, when there is one, is an [`ErrorReason`] inside it.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::signing::{KeyError, SignError};
use crate::wire::ChangeRequest;
use crate::wire::excerpt;

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
    /// 202: Dfns accepted the request and **queued** it for policy approval: it runs once the
    /// approvers approve, without being sent again. Do not resend it (that would queue a
    /// second change). The change request says which approval decides it
    /// ([`ChangeRequest::approval_id`]).
    #[error("the action is queued for policy approval and runs once approved; do not send it again ({})", pending_summary(.0))]
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
        /// The last record read, typed and as JSON ([`WaitRecord`](WaitRecord)).
        last: Box<WaitRecord>,
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
    /// A success answer whose body was larger than the client's limit. Dfns answered with
    /// success, so the request ran ([`Error::ran`]).
    #[error("{0}")]
    ResponseTooLarge(TooLargeError),
    /// A success answer whose body is not what the endpoint returns: the field that failed and
    /// the type expected, never a value from the body. Dfns answered with success, so the
    /// request ran ([`Error::ran`]).
    #[error("{0}")]
    Decode(DecodeError),

    /// A list's pages came back to a page token seen before (A, B, A, ...): followed, the
    /// list would never end. The items read so far were returned; the rest is not knowable
    /// from this server's answers.
    #[error(
        "the list came back to a page token it had given before, after {pages} pages: it would never end"
    )]
    PageCycle {
        /// How many pages were read.
        pages: usize,
    },

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
    /// A call with [Fast Auth](crate::ClientBuilder::fast_auth) (experimental) was refused
    /// before anything was sent: the signer is not a `Key` credential, there is no bearer
    /// token, or the token's org or tenant is missing, ambiguous or not the configured org.
    #[error("{0}")]
    FastAuth(crate::signing::FastAuthError),
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

impl From<crate::signing::FastAuthError> for Error {
    fn from(error: crate::signing::FastAuthError) -> Self {
        Self::FastAuth(error)
    }
}

impl From<SignError> for Error {
    fn from(error: SignError) -> Self {
        Self::Signer(error)
    }
}

/// A date given as text that is not one: the caller's input.
impl From<crate::time::NotADate> for Error {
    fn from(error: crate::time::NotADate) -> Self {
        Self::invalid_input(error.to_string())
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
            Self::ResponseTooLarge(e) => Some(e.status()),
            other => match other.answered() {
                Some(answered) => Some(answered.status),
                None => other.api_error().map(ApiError::status),
            },
        }
    }

    /// The `X-Request-ID` of Dfns's answer, when there was an answer and it carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Decode(e) => e.request_id(),
            Self::ResponseTooLarge(e) => e.request_id(),
            other => match other.answered() {
                Some(answered) => answered.request_id.as_deref(),
                None => other.api_error().and_then(ApiError::request_id),
            },
        }
    }

    /// Whether Dfns answered this request with a success status (2xx) whose body could then
    /// not be read: it did not decode ([`Error::Decode`]), was over the size limit
    /// ([`Error::ResponseTooLarge`]), or was cut short or too slow. **The request ran** (for a
    /// 202, it was queued for approval): a change must not be sent again, and the error's
    /// [`outcome_unknown`](Self::outcome_unknown) says so too. [`status`](Self::status) and
    /// [`request_id`](Self::request_id) say what Dfns answered.
    ///
    /// ```no_run
    /// # let client = dfns_blocking::Client::builder().build()?;
    /// match client.pats().delete("to-...") {
    ///     Ok(_) => println!("deleted"),
    ///     Err(error) if error.ran() => {
    ///         println!("deleted, but the answer was unreadable (request {:?})", error.request_id())
    ///     }
    ///     Err(error) => return Err(error),
    /// }
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn ran(&self) -> bool {
        match self {
            Self::Decode(e) => e.0.call_answered,
            Self::ResponseTooLarge(_) => true,
            other => other.answered().is_some(),
        }
    }

    /// The success answer a transport failure or a timeout cut short.
    fn answered(&self) -> Option<&Answered> {
        match self {
            Self::Timeout(e) => e.0.answered.as_ref(),
            Self::Connection(e) | Self::Tls(e) | Self::Transport(e) => e.0.answered.as_ref(),
            _ => None,
        }
    }

    /// Records that this failure came after Dfns answered `status` (a success) to the call's
    /// request: reading or decoding the body failed.
    pub(crate) fn after_success(mut self, status: u16, request_id: Option<String>) -> Self {
        let answered = Answered { status, request_id };
        match &mut self {
            Self::Timeout(e) => e.0.answered = Some(answered),
            Self::Connection(e) | Self::Tls(e) | Self::Transport(e) => {
                e.0.answered = Some(answered)
            }
            Self::ResponseTooLarge(e) => {
                e.0.status = answered.status;
                e.0.request_id = answered.request_id;
            }
            Self::Decode(e) => {
                e.0.request_id = answered.request_id;
                e.0.call_answered = true;
            }
            _ => {}
        }
        self
    }

    /// Forgets that an answer was a success: for the answers of the user action steps, which
    /// are not the call's own request (the change was not sent yet).
    pub(crate) fn not_the_call(mut self) -> Self {
        match &mut self {
            Self::Timeout(e) => e.0.answered = None,
            Self::Connection(e) | Self::Tls(e) | Self::Transport(e) => e.0.answered = None,
            Self::Decode(e) => e.0.call_answered = false,
            _ => {}
        }
        self
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

    /// Whether a change may have run although the call failed, so that sending it again could
    /// run it twice: it reached Dfns and the answer was lost (timeout, broken connection), was
    /// a 5xx, or was a success that could not be read ([`ran`](Self::ran): it did run). Check
    /// (get, list) before sending it again.
    ///
    /// The client itself sends again, after such a failure, only what is safe to repeat: reads,
    /// the changes Dfns's API defines as idempotent (those that set a state: updates,
    /// activations, deactivations), and transfers, transactions and signature requests whose
    /// body has an `externalId` (Dfns runs those at most once per id). The guide's retry
    /// section lists them; [`Endpoint::idempotency`](crate::endpoint::Endpoint::idempotency) says
    /// it for each endpoint. Those never end with `outcome_unknown`: this is `false` for them,
    /// and for every failure Dfns certainly did not run (a refused connection, a 4xx, a 429).
    pub fn outcome_unknown(&self) -> bool {
        self.attempts_record().is_some_and(|a| a.outcome_unknown)
    }

    fn attempts_record(&self) -> Option<&Attempts> {
        match self {
            Self::Timeout(e) => Some(&e.0.attempts),
            Self::Connection(e) | Self::Tls(e) | Self::Transport(e) => Some(&e.0.attempts),
            Self::Decode(e) => Some(&e.0.attempts),
            Self::ResponseTooLarge(e) => Some(&e.0.attempts),
            other => other.api_error().map(|e| &e.0.attempts),
        }
    }

    /// Records the attempts on the error that ends a call.
    pub(crate) fn set_attempts(&mut self, attempts: Attempts) {
        match self {
            Self::Timeout(e) => e.0.attempts = attempts,
            Self::Connection(e) | Self::Tls(e) | Self::Transport(e) => e.0.attempts = attempts,
            Self::Decode(e) => e.0.attempts = attempts,
            Self::ResponseTooLarge(e) => e.0.attempts = attempts,
            other => {
                if let Some(e) = other.api_error_mut() {
                    e.0.attempts = attempts;
                }
            }
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
            answered: None,
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

impl fmt::Display for ErrorReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// What Dfns said when it refused a request: status, message, trace id, details, request id
/// and raw body, and what the classification read from them (the documented reason, the
/// missing permission, the conflicting entity, the wait asked for). Boxed, so that
/// `Result<T, Error>` stays small.
pub struct ApiError(pub(crate) Box<ApiErrorInner>);

pub(crate) struct ApiErrorInner {
    pub(crate) status: u16,
    pub(crate) message: String,
    pub(crate) trace_id: Option<String>,
    pub(crate) details: Option<Value>,
    pub(crate) error_name: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) body: String,
    pub(crate) reason: Option<ErrorReason>,
    pub(crate) permission: Option<String>,
    pub(crate) principal: Option<Principal>,
    pub(crate) duplicate: Option<Duplicate>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) attempts: Attempts,
}

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
pub struct TimeoutError(pub(crate) Box<TimeoutInner>);

#[derive(Debug)]
pub(crate) struct TimeoutInner {
    /// The success answer whose body did not come in time, if one had begun.
    pub(crate) answered: Option<Answered>,
    pub(crate) limit: Option<TimeLimit>,
    /// The HTTP library's report; `None` when the call's deadline passed between requests.
    pub(crate) transport: Option<ureq::Error>,
    pub(crate) attempts: Attempts,
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
pub struct TransportError(pub(crate) Box<TransportInner>);

#[derive(Debug)]
pub(crate) struct TransportInner {
    /// The success answer whose body broke off, if one had begun.
    pub(crate) answered: Option<Answered>,
    pub(crate) error: ureq::Error,
    pub(crate) attempts: Attempts,
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
pub struct DecodeError(pub(crate) Box<DecodeInner>);

pub(crate) struct DecodeInner {
    pub(crate) request_id: Option<String>,
    /// Whether this is the answer to the call's own request (not to a user action step).
    pub(crate) call_answered: bool,
    pub(crate) attempts: Attempts,
    pub(crate) status: u16,
    pub(crate) path: String,
    pub(crate) problem: String,
    pub(crate) expected: Option<String>,
    pub(crate) position: Option<(usize, usize)>,
    pub(crate) excerpt: String,
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

    /// The `X-Request-ID` of the answer, when it carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
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
        if let Some(id) = &inner.request_id {
            write!(f, " (request id {id})")?;
        }
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
        fmt::Display::fmt(&inner.attempts, f)
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
            .field("request_id", &inner.request_id)
            .field("attempts", &inner.attempts.made)
            .field("outcome_unknown", &inner.attempts.outcome_unknown)
            .finish()
    }
}

impl std::error::Error for DecodeError {}

/// A success answer whose body was larger than the client's limit
/// ([`ClientBuilder::response_size_limit`](crate::ClientBuilder::response_size_limit)); the rest
/// of it was left unread. The request ran.
#[derive(Debug)]
pub struct TooLargeError(pub(crate) Box<TooLargeInner>);

#[derive(Debug)]
pub(crate) struct TooLargeInner {
    pub(crate) limit: u64,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: Attempts,
}

impl TooLargeError {
    /// The limit in bytes.
    pub fn limit(&self) -> u64 {
        self.0.limit
    }

    /// The HTTP status of the answer (a success).
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// The `X-Request-ID` of the answer, when it carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}

impl fmt::Display for TooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.0;
        write!(
            f,
            "the {} answer was larger than the {}-byte limit",
            inner.status, inner.limit
        )?;
        if let Some(id) = &inner.request_id {
            write!(f, " (request id {id})")?;
        }
        fmt::Display::fmt(&inner.attempts, f)
    }
}

impl std::error::Error for TooLargeError {}

/// The success answer that came before a failure to read its body.
#[derive(Debug, Clone)]
pub(crate) struct Answered {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
}

impl Error {
    /// A success answer that lacks what the call needs although it decoded (a login answer
    /// without a token, say): `path` names the field, `problem` says why.
    pub(crate) fn undecodable(status: u16, path: &str, problem: &str) -> Self {
        Self::Decode(DecodeError(Box::new(DecodeInner {
            request_id: None,
            call_answered: false,
            attempts: Attempts::default(),
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
    /// Dfns answered the change with success before the failure: it ran.
    pub(crate) ran: bool,
}

impl Default for Attempts {
    fn default() -> Self {
        Self {
            made: 1,
            outcome_unknown: false,
            ran: false,
        }
    }
}

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.made > 1 {
            write!(f, "; gave up after {} attempts", self.made)?;
        }
        if self.outcome_unknown && self.ran {
            f.write_str(
                "; Dfns answered with success, so the request ran although its answer could not be read: do not send it again",
            )?;
        } else if self.outcome_unknown {
            f.write_str(
                "; the outcome is unknown: the request may have run, check before sending it again",
            )?;
        }
        Ok(())
    }
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

/// A time limit that passed: which one, and how long it was. See [`Error::Timeout`].
///
/// ```
/// use std::time::Duration;
/// use dfns_blocking::{Error, TimeLimit};
///
/// fn explain(error: &Error) -> String {
///     match error {
///         Error::Timeout(timeout) => match timeout.limit() {
///             Some(TimeLimit::Call(limit)) => format!("the call took longer than {limit:?}"),
///             Some(TimeLimit::Request(limit)) => format!("a request took longer than {limit:?}"),
///             _ => "timed out".to_string(),
///         },
///         other => other.to_string(),
///     }
/// }
/// assert_eq!(TimeLimit::Call(Duration::from_secs(30)).duration(), Duration::from_secs(30));
/// # let _ = explain;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeLimit {
    /// The deadline of the whole call ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)):
    /// signing round trips, every attempt and the waits between them.
    Call(Duration),
    /// The limit of one HTTP request, from connecting to reading the last byte of the answer
    /// ([`ClientBuilder::request_timeout`](crate::ClientBuilder::request_timeout)).
    Request(Duration),
}

impl TimeLimit {
    /// How long the limit was.
    pub fn duration(self) -> Duration {
        match self {
            Self::Call(limit) | Self::Request(limit) => limit,
        }
    }
}

impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (limit, what) = match self {
            Self::Call(limit) => (limit, "deadline of the whole call"),
            Self::Request(limit) => (limit, "limit of one request"),
        };
        let millis = limit.as_millis();
        if millis < 1000 {
            write!(f, "the {millis} ms {what}")
        } else if millis % 1000 == 0 {
            write!(f, "the {} s {what}", millis / 1000)
        } else {
            write!(f, "the {:.1} s {what}", limit.as_secs_f64())
        }
    }
}

/// The last record a wait read, in [`Error::WaitFailed`]: typed (the handle's answer type,
/// through [`get`](Self::get)) and as JSON ([`json`](Self::json)).
///
/// ```no_run
/// use dfns_blocking::Error;
/// use dfns_blocking::api::wallets::Transfer;
/// use dfns_blocking::wait::Wait;
/// # let client = dfns_blocking::Client::builder().build()?;
///
/// match client.wallets().wait_for_transfer("wa-...", "xfr-...", &Wait::new()) {
///     Ok(transfer) => println!("confirmed: {:?}", transfer.tx_hash),
///     Err(Error::WaitFailed { last, .. }) => {
///         let transfer: Option<&Transfer> = last.get();
///         println!("ended at {:?}", transfer.map(|t| &t.status));
///     }
///     Err(other) => return Err(other),
/// }
/// # Ok::<(), dfns_blocking::Error>(())
/// ```
#[derive(Clone)]
pub struct WaitRecord {
    typed: Option<Arc<dyn Any + Send + Sync>>,
    json: Value,
}

impl WaitRecord {
    pub(crate) fn new<T: Serialize + Send + Sync + 'static>(record: Option<T>) -> Self {
        let json = record
            .as_ref()
            .and_then(|record| serde_json::to_value(record).ok())
            .unwrap_or_default();
        Self {
            typed: record.map(|record| Arc::new(record) as Arc<dyn Any + Send + Sync>),
            json,
        }
    }

    /// The record as the handle's answer type (`Transfer`, `Signature`, ...); `None` when
    /// nothing was read or `T` is another type.
    pub fn get<T: 'static>(&self) -> Option<&T> {
        self.typed.as_deref()?.downcast_ref()
    }

    /// The record as JSON, as its type serializes it (`null` when nothing was read).
    pub fn json(&self) -> &Value {
        &self.json
    }
}

impl fmt::Debug for WaitRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WaitRecord").field(&self.json).finish()
    }
}
