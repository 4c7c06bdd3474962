//! Reading Dfns's answers off the wire into [`Error`]: the class by status, the documented
//! message, the error body's generations, `Retry-After`, and the decoding of success bodies;
//! also the classification of the HTTP library's failures.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{
    ApiError, ApiErrorInner, Attempts, DecodeError, DecodeInner, Duplicate, Error, ErrorReason,
    Principal, Result, TimeoutError, TimeoutInner, TooLargeError, TooLargeInner, TransportError,
    TransportInner,
};
use crate::wire::{excerpt, floor_char_boundary};

impl ErrorReason {
    /// The reason a message names, if it is a documented one (whatever the status: the status
    /// decides the class, the message the reason).
    pub(crate) fn of_message(message: &str) -> Option<Self> {
        let normal = |text: &str| text.trim().trim_end_matches('.').to_ascii_lowercase();
        let message = normal(message);
        // Dfns words the idempotency conflict after the entity: transfer, transaction, ...
        if message.starts_with("conflicting ") && message.ends_with(" with same externalid") {
            return Some(Self::ExternalIdReused);
        }
        Self::all().find(|reason| normal(reason.message()) == message)
    }
}

/// Whether a transport failure happened before anything was sent, by the phase it happened
/// in: the host name did not resolve, or connecting failed or timed out. An I/O failure counts
/// only when it was raised while connecting (an unreachable network can also be reported by a
/// send or a receive on an established connection, after the request left).
pub(crate) fn before_sending(error: &ureq::Error) -> bool {
    use ureq::Error as U;
    match error {
        U::HostNotFound | U::ConnectionFailed => true,
        U::Timeout(phase) => matches!(phase, ureq::Timeout::Resolve | ureq::Timeout::Connect),
        U::Io(io) => crate::transport::failed_connecting(io),
        _ => false,
    }
}

impl Error {
    /// Classifies a failure of the HTTP library. Deliberately not a public `From` impl: the
    /// HTTP library is not part of this crate's API, so that it can be upgraded freely.
    pub(crate) fn from_transport(error: ureq::Error) -> Self {
        use std::io::ErrorKind;
        use ureq::Error as U;
        let variant: fn(TransportError) -> Self = match &error {
            U::BodyExceedsLimit(limit) => {
                // Only a success answer's body is read up to the limit; its status is recorded
                // by `after_success`.
                return Self::ResponseTooLarge(TooLargeError(Box::new(TooLargeInner {
                    limit: *limit,
                    status: 200,
                    request_id: None,
                    attempts: Attempts::default(),
                })));
            }
            U::Timeout(_) => return Self::timeout(error),
            U::Io(io) if io.kind() == ErrorKind::TimedOut => return Self::timeout(error),
            // rustls reports a refused certificate or a failed handshake as invalid data on
            // the socket (HTTP parse failures are `Protocol` errors, not I/O).
            U::Io(io)
                if io.kind() == ErrorKind::InvalidData
                    && io.get_ref().is_some()
                    && !crate::transport::failed_connecting(io) =>
            {
                Self::Tls
            }
            U::Io(_) | U::HostNotFound | U::ConnectionFailed | U::BodyStalled => Self::Connection,
            U::Tls(_) | U::Rustls(_) | U::Pem(_) | U::TlsRequired => Self::Tls,
            _ => Self::Transport,
        };
        variant(TransportError(Box::new(TransportInner {
            answered: None,
            error,
            attempts: Attempts::default(),
        })))
    }

    /// A timeout the HTTP library reported; the limit in force is named by
    /// [`timed_out_by`](Self::timed_out_by).
    fn timeout(error: ureq::Error) -> Self {
        Self::Timeout(TimeoutError(Box::new(TimeoutInner {
            answered: None,
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

/// The three generations of error body, and the top-level `message` (and `details`) some
/// proxies and newer refusals (`FastAuthDisabled`) send.
#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    error: Option<ErrorField>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    details: Option<Value>,
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

/// The most of an error body that is kept, in bytes.
const BODY_LIMIT: usize = 8 * 1024;

/// Turns a non-success answer into the matching [`Error`].
pub(crate) fn classify(answer: Answer<'_>) -> Error {
    let Answer {
        status,
        request_id,
        retry_after,
        body,
    } = answer;
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let (message, mut object) = match parsed.error {
        Some(ErrorField::Object(object)) => (object.message.clone().or(parsed.message), object),
        Some(ErrorField::Text(text)) => (Some(text), ErrorObject::default()),
        None => (parsed.message, ErrorObject::default()),
    };
    if object.details.is_none() {
        object.details = parsed.details;
    }
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
        request_id: None,
        call_answered: false,
        attempts: Attempts::default(),
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
        request_id: None,
        call_answered: false,
        attempts: Attempts::default(),
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

impl Error {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_after_connecting_is_not_certainly_unsent() {
        use std::io::{Error as Io, ErrorKind as K};
        // The kinds a send or a receive on an established connection can report: the request
        // may have left, so it is not "certainly not sent".
        for kind in [
            K::HostUnreachable,
            K::NetworkUnreachable,
            K::NetworkDown,
            K::ConnectionRefused,
            K::AddrNotAvailable,
        ] {
            let error = Error::from_transport(ureq::Error::Io(Io::from(kind)));
            assert!(!error.certainly_not_processed(), "{kind:?}");
        }
        // The same failure raised while connecting (a closed port on loopback) is.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = closed.local_addr().unwrap();
        drop(closed);
        let refused = crate::transport::connect_for_test(address);
        let error = Error::from_transport(refused);
        assert!(error.certainly_not_processed(), "{error:?}");
    }

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
