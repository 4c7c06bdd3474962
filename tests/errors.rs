//! Every `Error` variant that comes from an HTTP answer, reached through a real HTTP answer from
//! the sandbox (scripted, or produced by the sandbox's own checks), with the data it carries.

use std::net::TcpListener;
use std::time::Duration;

use crate::support::{self, Sandbox, ScriptedAnswer};
use crate::support::{SandboxExt as _, UserExt as _};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dfns_blocking::api::pats::{self, CreatePersonalAccessToken, UpdatePersonalAccessToken};
use dfns_blocking::api::policies::ChangeRequestStatus;
use dfns_blocking::signing::CredentialSigner;
use dfns_blocking::{Client, Error, ErrorReason, KeyAlgorithm, KeySigner, RetryPolicy, TimeLimit};
use serde_json::{Value, json};

/// The trace id `ScriptedAnswer::dfns_error` puts in `error.id`.
const TRACE_ID: &str = "2038837570328299032";

fn start() -> Sandbox {
    Sandbox::start().expect("the sandbox starts")
}

/// A client that makes every call once: this file checks how single answers are classified
/// (`tests/retry.rs` checks what is retried).
fn client(sandbox: &Sandbox) -> Client {
    sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| b.retry(RetryPolicy::none()).build())
        .expect("the sandbox client builds")
}

/// Scripts `answer` for the next request and returns the error `GET /auth/pats/to-1` gives.
fn get_error(sandbox: &Sandbox, client: &Client, answer: ScriptedAnswer) -> Error {
    sandbox.script(answer);
    client
        .pats()
        .get("to-1")
        .expect_err("a scripted failure must not decode as a token")
}

/// The first character of the error's `Display` is lower case (it reads well after "error: ").
fn starts_lower_case(error: &Error) -> bool {
    error
        .to_string()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// A creation body for a PAT whose key is the ready P-256 user's.
fn new_pat(sandbox: &Sandbox, name: &str) -> CreatePersonalAccessToken {
    let key = &sandbox.user(KeyAlgorithm::EcdsaP256).public_key;
    CreatePersonalAccessToken::new(name, key.to_pem())
}

// ---------------------------------------------------------------------------------------------
// 1. The documented (status, message) pairs.
// ---------------------------------------------------------------------------------------------

/// Whether an error is the expected variant.
type Check = fn(&Error) -> bool;

struct Documented {
    status: u16,
    message: &'static str,
    /// The class: the variant, which the status alone decides.
    class: &'static str,
    is: Check,
    /// The finer case the message names.
    reason: Option<ErrorReason>,
}

const fn documented(
    status: u16,
    message: &'static str,
    reason: Option<ErrorReason>,
    class: &'static str,
    is: Check,
) -> Documented {
    Documented {
        status,
        message,
        class,
        is,
        reason,
    }
}

fn bad_request(e: &Error) -> bool {
    matches!(e, Error::BadRequest(_))
}

fn unauthenticated(e: &Error) -> bool {
    matches!(e, Error::Unauthenticated(_))
}

fn permission_denied(e: &Error) -> bool {
    matches!(e, Error::PermissionDenied(_))
}

const DOCUMENTED: &[Documented] = &[
    documented(
        400,
        "request nonce is missing or invalid",
        Some(ErrorReason::NonceInvalid),
        "BadRequest",
        bad_request,
    ),
    documented(
        400,
        "request nonce has already been used",
        Some(ErrorReason::NonceReused),
        "BadRequest",
        bad_request,
    ),
    documented(
        400,
        "user action has already been used",
        Some(ErrorReason::UserActionReused),
        "BadRequest",
        bad_request,
    ),
    documented(
        401,
        "user token is missing or invalid",
        None,
        "Unauthenticated",
        unauthenticated,
    ),
    documented(
        401,
        "Not Authorized.",
        None,
        "Unauthenticated",
        unauthenticated,
    ),
    documented(
        403,
        "CustomerEmployee us-24vwa-92s33-8tvqi1dg0a95megt is not authorized to perform operation (Auth:Apps:Update)",
        None,
        "PermissionDenied(Auth:Apps:Update, CustomerEmployee, us-24vwa-92s33-8tvqi1dg0a95megt)",
        |e| {
            matches!(
                e,
                Error::PermissionDenied(api) if api.permission() == Some("Auth:Apps:Update")
                    && api.principal().is_some_and(|p| p.kind == "CustomerEmployee"
                        && p.id == "us-24vwa-92s33-8tvqi1dg0a95megt")
            )
        },
    ),
    documented(
        403,
        "user action signature is missing or invalid",
        Some(ErrorReason::UserActionSignatureInvalid),
        "PermissionDenied",
        permission_denied,
    ),
    documented(500, "Internal Server Error", None, "ServerError", |e| {
        matches!(e, Error::ServerError(_))
    }),
    documented(
        400,
        "application cannot modify its own state",
        Some(ErrorReason::ApplicationCannotModifyItself),
        "BadRequest",
        bad_request,
    ),
    documented(
        404,
        "application not found",
        Some(ErrorReason::ApplicationNotFound),
        "NotFound",
        |e| matches!(e, Error::NotFound(_)),
    ),
    documented(
        400,
        "User account has been deactivated.",
        Some(ErrorReason::UserDeactivated),
        "BadRequest",
        bad_request,
    ),
    documented(
        401,
        "User not found",
        Some(ErrorReason::UserNotFound),
        "Unauthenticated",
        unauthenticated,
    ),
    documented(
        401,
        "User does not have a credential that can be used for the application.",
        Some(ErrorReason::NoCredentialForApplication),
        "Unauthenticated",
        unauthenticated,
    ),
    documented(
        403,
        "Invalid code",
        Some(ErrorReason::InvalidCode),
        "PermissionDenied",
        permission_denied,
    ),
    documented(
        400,
        "Registration code expired",
        Some(ErrorReason::RegistrationCodeExpired),
        "BadRequest",
        bad_request,
    ),
    documented(
        401,
        "User already exists.",
        Some(ErrorReason::UserAlreadyExists),
        "Unauthenticated",
        unauthenticated,
    ),
    documented(
        400,
        "Challenge token is not valid.",
        Some(ErrorReason::ChallengeInvalid),
        "BadRequest",
        bad_request,
    ),
    documented(
        401,
        "Credential cannot be used as a recovery factor.",
        Some(ErrorReason::NotARecoveryCredential),
        "Unauthenticated",
        unauthenticated,
    ),
    documented(
        409,
        "Conflicting transfer with same externalId",
        Some(ErrorReason::ExternalIdReused),
        "Conflict (no details, so no duplicate)",
        |e| matches!(e, Error::Conflict(api) if api.duplicate().is_none()),
    ),
];

#[test]
fn every_documented_reason_is_in_the_table_with_its_documented_status_and_message() {
    for reason in ErrorReason::all() {
        let row = DOCUMENTED.iter().find(|row| row.reason == Some(reason));
        let row = row.unwrap_or_else(|| panic!("{reason:?} is not in the table"));
        assert_eq!(reason.status(), row.status, "{reason:?}");
        assert_eq!(reason.message(), row.message, "{reason:?}");
    }
}

#[test]
fn each_documented_status_and_message_maps_to_its_class_and_reason_with_its_data() {
    let sandbox = start();
    let client = client(&sandbox);
    let mut failures = Vec::new();
    for (index, case) in DOCUMENTED.iter().enumerate() {
        let name = format!("case {index}: {} {:?}", case.status, case.message);
        let error = get_error(
            &sandbox,
            &client,
            ScriptedAnswer::dfns_error(case.status, case.message),
        );
        let mut fail = |what: String| failures.push(format!("{name}: {what} (got {error:?})"));
        if !(case.is)(&error) {
            fail(format!("expected Error::{}", case.class));
        }
        if error.reason() != case.reason {
            fail(format!(
                "reason() is {:?}, not {:?}",
                error.reason(),
                case.reason
            ));
        }
        if error.status() != Some(case.status) {
            fail(format!("status() is {:?}", error.status()));
        }
        match error.api_error() {
            None => fail("api_error() is None".into()),
            Some(api) => {
                if api.status() != case.status {
                    fail(format!("api_error().status() is {}", api.status()));
                }
                if api.message() != case.message {
                    fail(format!("api_error().message() is {:?}", api.message()));
                }
                if api.trace_id() != Some(TRACE_ID) {
                    fail(format!("trace_id() is {:?}", api.trace_id()));
                }
                if api.details().is_some() {
                    fail(format!("details() is {:?}", api.details()));
                }
                if !api.body().contains(case.message) {
                    fail(format!("body() is {:?}", api.body()));
                }
            }
        }
        let display = error.to_string();
        if !starts_lower_case(&error) {
            fail(format!("Display does not start in lower case: {display:?}"));
        }
        if !display.contains(case.message) {
            fail(format!("Display does not mention the message: {display:?}"));
        }
        if !display.contains(TRACE_ID) {
            fail(format!(
                "Display does not mention the trace id: {display:?}"
            ));
        }
        if error.is_retryable() || error.retry_after().is_some() {
            fail("a documented refusal is not retryable".into());
        }
        // The answer really went over HTTP: the sandbox logged it with that status.
        let logged = sandbox
            .requests()
            .last()
            .map(|r| (r.status, r.target.clone()));
        if logged != Some((case.status, "/auth/pats/to-1".to_owned())) {
            fail(format!("the sandbox logged {logged:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(sandbox.requests().len(), DOCUMENTED.len());
}

#[test]
fn conflict_parses_details_duplicate_into_duplicate() {
    let sandbox = start();
    let client = client(&sandbox);
    let body = json!({"error": {
        "id": TRACE_ID,
        "status": 409,
        "message": "Conflicting transfer with same externalId",
        "details": {"duplicate": {"id": "xfr-1a2b3-c4d5e-6f7g8h9i0j1k2l3m", "externalId": "payout-42"}},
    }});
    let error = get_error(&sandbox, &client, ScriptedAnswer::json(409, &body));
    let Error::Conflict(api) = &error else {
        panic!("expected a Conflict, got {error:?}");
    };
    let duplicate = api.duplicate().expect("details.duplicate is read");
    assert_eq!(api.reason(), Some(ErrorReason::ExternalIdReused));
    assert_eq!(
        duplicate.id.as_deref(),
        Some("xfr-1a2b3-c4d5e-6f7g8h9i0j1k2l3m")
    );
    assert_eq!(duplicate.external_id.as_deref(), Some("payout-42"));
    assert_eq!(api.message(), "Conflicting transfer with same externalId");
    assert_eq!(api.trace_id(), Some(TRACE_ID));
    assert_eq!(
        api.details()
            .and_then(|d| d["duplicate"]["externalId"].as_str()),
        Some("payout-42")
    );
    assert_eq!(error.status(), Some(409));
    assert!(error.to_string().starts_with("conflict: "), "{error}");
}

// ---------------------------------------------------------------------------------------------
// 2. Classification by status alone.
// ---------------------------------------------------------------------------------------------

#[test]
fn undocumented_messages_are_classified_by_status() {
    let sandbox = start();
    let client = client(&sandbox);
    let cases: &[(u16, &str, Check)] = &[
        (400, "BadRequest", |e| matches!(e, Error::BadRequest(_))),
        (401, "Unauthenticated", |e| {
            matches!(e, Error::Unauthenticated(_))
        }),
        (402, "PaymentRequired", |e| {
            matches!(e, Error::PaymentRequired(_))
        }),
        (
            403,
            "PermissionDenied without a permission",
            |e| matches!(e, Error::PermissionDenied(api) if api.permission().is_none() && api.principal().is_none()),
        ),
        (404, "NotFound", |e| matches!(e, Error::NotFound(_))),
        (
            409,
            "Conflict without a duplicate",
            |e| matches!(e, Error::Conflict(api) if api.duplicate().is_none()),
        ),
        (500, "ServerError", |e| matches!(e, Error::ServerError(_))),
        (502, "ServerError", |e| matches!(e, Error::ServerError(_))),
        (503, "ServerError", |e| matches!(e, Error::ServerError(_))),
        (504, "ServerError", |e| matches!(e, Error::ServerError(_))),
        (418, "UnexpectedStatus", |e| {
            matches!(e, Error::UnexpectedStatus(_))
        }),
    ];
    let mut failures = Vec::new();
    for &(status, variant, is) in cases {
        let message = format!("something undocumented happened ({status})");
        let error = get_error(
            &sandbox,
            &client,
            ScriptedAnswer::dfns_error(status, &message),
        );
        let name = format!("status {status}");
        if !is(&error) {
            failures.push(format!("{name}: expected {variant}, got {error:?}"));
        }
        if error.status() != Some(status) {
            failures.push(format!("{name}: status() is {:?}", error.status()));
        }
        if error.api_error().map(|a| a.message()) != Some(message.as_str()) {
            failures.push(format!("{name}: message lost: {error:?}"));
        }
        let retryable = matches!(status, 502..=504);
        if error.is_retryable() != retryable {
            failures.push(format!("{name}: is_retryable() should be {retryable}"));
        }
        if !starts_lower_case(&error) || !error.to_string().contains(&message) {
            failures.push(format!("{name}: Display is {:?}", error.to_string()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_status_decides_the_class_and_a_reworded_message_only_loses_its_reason() {
    let sandbox = start();
    let client = client(&sandbox);
    // (status, message, class, reason)
    let cases: &[(u16, &str, Check, Option<ErrorReason>)] = &[
        (
            404,
            "application not found",
            Error::is_not_found,
            Some(ErrorReason::ApplicationNotFound),
        ),
        (
            404,
            "Application could not be found",
            Error::is_not_found,
            None,
        ),
        (
            404,
            "User not found",
            Error::is_not_found,
            Some(ErrorReason::UserNotFound),
        ),
        (
            401,
            "User not found",
            Error::is_unauthenticated,
            Some(ErrorReason::UserNotFound),
        ),
        (
            400,
            "Request nonce has already been used.",
            Error::is_bad_request,
            Some(ErrorReason::NonceReused),
        ),
        (400, "nonce already used", Error::is_bad_request, None),
        (
            403,
            "user action signature is missing or invalid",
            Error::is_permission_denied,
            Some(ErrorReason::UserActionSignatureInvalid),
        ),
        (
            409,
            "Conflicting transaction with same externalId",
            Error::is_conflict,
            Some(ErrorReason::ExternalIdReused),
        ),
        // A documented message under another status: the status still decides the class.
        (
            500,
            "application not found",
            Error::is_server_error,
            Some(ErrorReason::ApplicationNotFound),
        ),
    ];
    for &(status, message, is_class, reason) in cases {
        let error = get_error(
            &sandbox,
            &client,
            ScriptedAnswer::dfns_error(status, message),
        );
        assert!(is_class(&error), "{status} {message:?}: {error:?}");
        assert_eq!(error.reason(), reason, "{status} {message:?}");
        assert_eq!(error.status(), Some(status));
    }
}

#[test]
fn rate_limit_carries_retry_after_and_is_retryable() {
    let sandbox = start();
    let client = client(&sandbox);
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::dfns_error(429, "Too many requests").header("Retry-After", "2"),
    );
    let Error::RateLimited(api) = &error else {
        panic!("expected RateLimited, got {error:?}");
    };
    assert_eq!(api.retry_after(), Some(Duration::from_secs(2)));
    assert_eq!(api.message(), "Too many requests");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(2)));
    assert!(error.is_retryable());
    assert_eq!(error.status(), Some(429));
    assert!(error.to_string().contains("retry after 2 s"), "{error}");
}

#[test]
fn rate_limit_without_retry_after_has_none() {
    let sandbox = start();
    let client = client(&sandbox);
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::dfns_error(429, "Too many requests"),
    );
    assert!(
        matches!(
            error,
            Error::RateLimited(ref api) if api.retry_after().is_none()
        ),
        "{error:?}"
    );
    assert_eq!(error.retry_after(), None);
    assert!(error.is_retryable());
}

#[test]
fn redirect_to_another_host_is_unexpected_status_and_not_followed() {
    let sandbox = start();
    let client = client(&sandbox);
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::new(302).header("Location", "http://attacker.example.com/steal-token"),
    );
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(error.status(), Some(302));
    assert!(!error.is_retryable());
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].target, "/auth/pats/to-1");
}

#[test]
fn redirect_to_the_same_host_is_not_followed_either() {
    // A Location the sandbox itself would see, so that following it would show in its log.
    let sandbox = start();
    let client = client(&sandbox);
    let location = format!("{}/auth/pats/followed", sandbox.url());
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::new(302).header("Location", &location),
    );
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert!(error.to_string().contains("302"), "{error}");
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert!(requests.iter().all(|r| !r.target.contains("followed")));
    assert_eq!(sandbox.stats().requests, 1);
}

// ---------------------------------------------------------------------------------------------
// 3. The error body generations.
// ---------------------------------------------------------------------------------------------

#[test]
fn current_error_body_gives_message_trace_id_and_details() {
    let sandbox = start();
    let client = client(&sandbox);
    let body = json!({"error": {
        "id": "1234567890",
        "status": 404,
        "message": "wallet not found",
        "details": {"walletId": "wa-1", "orgId": "or-1"},
    }});
    let error = get_error(&sandbox, &client, ScriptedAnswer::json(404, &body));
    let Error::NotFound(api) = &error else {
        panic!("expected NotFound, got {error:?}");
    };
    assert_eq!(api.message(), "wallet not found");
    assert_eq!(api.trace_id(), Some("1234567890"));
    assert_eq!(
        api.details(),
        Some(&json!({"walletId": "wa-1", "orgId": "or-1"}))
    );
    assert_eq!(api.error_name(), None);
    assert_eq!(api.request_id(), None);
    assert_eq!(api.body(), body.to_string());
}

#[test]
fn numeric_trace_id_is_kept_as_text() {
    let sandbox = start();
    let client = client(&sandbox);
    let body = r#"{"error":{"id":2038837570328299032,"status":404,"message":"wallet not found"}}"#;
    let error = get_error(&sandbox, &client, ScriptedAnswer::new(404).body(body));
    assert_eq!(
        error.api_error().and_then(|a| a.trace_id()),
        Some("2038837570328299032")
    );
}

#[test]
fn legacy_error_body_gives_message_only() {
    let sandbox = start();
    let client = client(&sandbox);
    let body = json!({"error": {"message": "Token not found"}});
    let error = get_error(&sandbox, &client, ScriptedAnswer::json(404, &body));
    let Error::NotFound(api) = &error else {
        panic!("expected NotFound, got {error:?}");
    };
    assert_eq!(api.message(), "Token not found");
    assert_eq!(api.trace_id(), None);
    assert_eq!(api.details(), None);
    assert!(error.to_string().contains("Token not found"), "{error}");
}

#[test]
fn error_body_of_2022_gives_message_and_error_name() {
    let sandbox = start();
    let client = client(&sandbox);
    let body = json!({"error": {
        "serviceName": "auth",
        "message": "Token to-1 not found",
        "causes": [],
        "shouldTriggerInvestigaton": false,
        "isDfnsError": true,
        "httpStatus": 404,
        "errorName": "EntityNotFoundError",
    }});
    let error = get_error(&sandbox, &client, ScriptedAnswer::json(404, &body));
    let Error::NotFound(api) = &error else {
        panic!("expected NotFound, got {error:?}");
    };
    assert_eq!(api.message(), "Token to-1 not found");
    assert_eq!(api.error_name(), Some("EntityNotFoundError"));
    assert_eq!(api.trace_id(), None);
}

#[test]
fn top_level_message_body_is_read() {
    let sandbox = start();
    let client = client(&sandbox);
    let body = json!({"message": "Forbidden"});
    let error = get_error(&sandbox, &client, ScriptedAnswer::json(403, &body));
    assert!(
        matches!(
            error,
            Error::PermissionDenied(ref api) if api.permission().is_none()
        ),
        "{error:?}"
    );
    assert_eq!(error.api_error().map(|a| a.message()), Some("Forbidden"));
}

#[test]
fn error_given_as_plain_text_is_the_message() {
    let sandbox = start();
    let client = client(&sandbox);
    let body = json!({"error": "name must not be empty"});
    let error = get_error(&sandbox, &client, ScriptedAnswer::json(400, &body));
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    assert_eq!(
        error.api_error().map(|a| a.message()),
        Some("name must not be empty")
    );
}

#[test]
fn x_request_id_response_header_is_kept() {
    let sandbox = start();
    let client = client(&sandbox);
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::dfns_error(404, "personal access token not found")
            .header("X-Request-ID", "req-7f3a9c"),
    );
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    assert_eq!(
        error.api_error().and_then(|a| a.request_id()),
        Some("req-7f3a9c")
    );
    assert!(error.to_string().contains("req-7f3a9c"), "{error}");
}

#[test]
fn html_gateway_page_is_a_server_error_with_empty_message_and_the_page_kept() {
    let sandbox = start();
    let client = client(&sandbox);
    let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>";
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::new(502)
            .header("Content-Type", "text/html")
            .body(page),
    );
    let Error::ServerError(api) = &error else {
        panic!("expected ServerError, got {error:?}");
    };
    assert_eq!(api.message(), "");
    assert!(api.body().starts_with("<html><head><title>502"), "{api:?}");
    assert_eq!(api.body(), page);
    assert_eq!(api.trace_id(), None);
    assert!(error.is_retryable());
    let display = error.to_string();
    assert!(starts_lower_case(&error), "{display}");
    assert!(display.contains("502"), "{display}");
}

#[test]
fn huge_html_error_body_keeps_at_most_8_kib() {
    let sandbox = start();
    let client = client(&sandbox);
    let mut page = String::from("<html><body>");
    while page.len() < 100 * 1024 {
        page.push_str("<p>upstream connect error or disconnect/reset before headers</p>\n");
    }
    page.push_str("</body></html>");
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::new(503)
            .header("Content-Type", "text/html")
            .body(page.clone()),
    );
    let Error::ServerError(api) = &error else {
        panic!("expected ServerError, got {error:?}");
    };
    assert!(
        api.body().len() <= 8 * 1024,
        "kept {} bytes",
        api.body().len()
    );
    assert!(
        api.body().len() >= 8 * 1024 - 4,
        "kept {} bytes",
        api.body().len()
    );
    assert!(page.starts_with(api.body()));
    assert_eq!(api.message(), "");
    // The whole page did arrive: the cut is the client's.
    assert_eq!(
        sandbox.requests().last().map(|r| r.response_body.len()),
        Some(page.len())
    );
}

#[test]
fn error_body_kept_at_8_kib_never_splits_a_character() {
    let sandbox = start();
    let client = client(&sandbox);
    // "x" then two-byte characters: byte 8192 falls inside one of them.
    let page = format!("x{}", "é".repeat(10_000));
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::new(502).body(page.clone()),
    );
    let body = error.api_error().map(|a| a.body()).unwrap_or_default();
    assert!(!body.contains('\u{fffd}'), "a character was split");
    assert!(
        body.len() <= 8 * 1024 && body.len() >= 8 * 1024 - 3,
        "kept {}",
        body.len()
    );
    assert!(page.starts_with(body));
}

#[test]
fn retry_after_in_fractional_seconds_or_as_an_http_date_is_read() {
    let sandbox = start();
    let client = client(&sandbox);
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::dfns_error(429, "Too many requests").header("Retry-After", "1.5"),
    );
    assert_eq!(
        error.retry_after(),
        Some(Duration::from_millis(1500)),
        "{error:?}"
    );
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::dfns_error(429, "Too many requests")
            .header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
    );
    assert_eq!(
        error.retry_after(),
        Some(Duration::ZERO),
        "a date in the past means now: {error:?}"
    );
    assert!(error.is_retryable());
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::dfns_error(429, "Too many requests")
            .header("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"),
    );
    assert_eq!(
        error.retry_after(),
        Some(Duration::from_secs(86_400)),
        "capped at a day: {error:?}"
    );
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::dfns_error(429, "Too many requests").header("Retry-After", "soon"),
    );
    assert_eq!(error.retry_after(), None, "{error:?}");
}

// ---------------------------------------------------------------------------------------------
// 4. Policy approval.
// ---------------------------------------------------------------------------------------------

#[test]
fn accepted_answer_on_a_signed_call_is_policy_approval_pending() {
    let sandbox = start();
    let client = client(&sandbox);
    let approval = json!({
        "id": "cr-2pnp4-qc3ud-95q8ebjq3ft3kvlm",
        "kind": "Pat",
        "operationKind": "Update",
        "status": "Pending",
        "requester": {"userId": "us-1"},
        "entityId": "to-1",
        "approvalId": "ap-1",
        "dateCreated": "2024-01-01T00:00:00.000Z",
        "body": {},
    });
    sandbox.script(ScriptedAnswer::json(202, &approval).on("PUT", "/auth/pats/"));
    let error = client
        .pats()
        .deactivate("to-1")
        .expect_err("a 202 is not a success");
    let Error::PolicyApprovalPending(pending) = &error else {
        panic!("expected PolicyApprovalPending, got {error:?}");
    };
    assert_eq!(
        pending.change_request_id(),
        "cr-2pnp4-qc3ud-95q8ebjq3ft3kvlm"
    );
    assert_eq!(pending.approval_id(), Some("ap-1"));
    assert_eq!(pending.kind, "Pat");
    assert_eq!(pending.operation_kind, "Update");
    assert_eq!(pending.status, Some(ChangeRequestStatus::Pending));
    assert_eq!(pending.requester.user_id, "us-1");
    assert_eq!(pending.entity_id, "to-1");
    assert_eq!(pending.date_created.as_str(), "2024-01-01T00:00:00.000Z");
    assert_eq!(pending.body, Some(json!({})));
    assert!(error.is_policy_approval_pending());
    assert_eq!(error.status(), Some(202));
    assert!(error.api_error().is_none());
    assert!(!error.is_retryable());
    assert!(starts_lower_case(&error), "{error}");
    assert!(error.to_string().contains("ap-1"), "{error}");
    // The two signing calls were answered for real, the PUT by the script.
    let requests = sandbox.requests();
    let seen: Vec<(&str, &str, u16)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path(), r.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("POST", "/auth/action/init", 200),
            ("POST", "/auth/action", 200),
            ("PUT", "/auth/pats/to-1/deactivate", 202),
        ]
    );
    assert_eq!(sandbox.stats().signatures_verified, 1);
}

#[test]
fn accepted_answer_with_null_fields_is_still_policy_approval_pending() {
    let sandbox = start();
    let client = client(&sandbox);
    let nulls = [
        json!({"id": "cr-1", "status": null, "approvalId": "ap-1", "body": null}),
        json!({"id": null, "status": null, "kind": null, "operationKind": null,
            "requester": null, "entityId": null, "approvalId": "ap-2", "dateCreated": null}),
        json!({}),
    ];
    for body in nulls {
        sandbox.script(ScriptedAnswer::json(202, &body).on("PUT", "/auth/pats/"));
        let error = client
            .pats()
            .deactivate("to-1")
            .expect_err("a 202 is not a success");
        let Error::PolicyApprovalPending(pending) = &error else {
            panic!("{body}: expected PolicyApprovalPending, got {error:?}");
        };
        assert_eq!(pending.status, None, "{body}");
        assert_eq!(pending.approval_id(), body["approvalId"].as_str(), "{body}");
        assert_eq!(
            pending.change_request_id(),
            body["id"].as_str().unwrap_or_default()
        );
        assert!(starts_lower_case(&error), "{error}");
    }
}

#[test]
fn pending_approval_text_names_the_approval_to_decide_and_the_change_request() {
    let sandbox = start();
    let client = client(&sandbox);
    let body = json!({"id": "cr-9", "status": "Pending", "approvalId": "ap-9"});
    sandbox.script(ScriptedAnswer::json(202, &body).on("PUT", "/auth/pats/"));
    let error = client.pats().deactivate("to-1").expect_err("a 202");
    let text = error.to_string();
    assert!(
        text.contains("approval ap-9") && text.contains("change request cr-9"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Success answers that do not decode.
// ---------------------------------------------------------------------------------------------

#[test]
fn success_answers_that_do_not_decode_are_decode_errors() {
    let sandbox = start();
    let client = client(&sandbox);
    // (name, body, problem, path)
    let cases: &[(&str, &[u8], &str, &str)] = &[
        ("invalid JSON", b"{not json", "not valid JSON", ""),
        ("empty body", b"", "ends early", ""),
        (
            "missing field",
            br#"{"name":"x"}"#,
            "missing field `tokenId`",
            "",
        ),
        (
            "wrong shape",
            b"[1,2,3]",
            "invalid type: integer",
            "[0]",
        ),
        ("not an object", b"true", "invalid type: boolean", ""),
        (
            "invalid UTF-8",
            b"{\"tokenId\":\"to-\xff\xfe\"}",
            "not valid JSON",
            "tokenId",
        ),
        (
            "nested field of the wrong type",
            br#"{"tokenId":"to-1","permissionAssignments":[{"permissionId":"pm-1"},{"permissionId":7}]}"#,
            "invalid type: integer",
            "permissionAssignments[1].permissionId",
        ),
    ];
    let mut failures = Vec::new();
    for &(name, body, problem, path) in cases {
        let error = get_error(&sandbox, &client, ScriptedAnswer::new(200).body(body));
        match &error {
            Error::Decode(decode)
                if decode.status() == 200
                    && decode.problem().contains(problem)
                    && decode.path() == path => {}
            other => failures.push(format!(
                "{name}: expected Decode {{ status: 200, problem ~ {problem:?}, path {path:?} }}, got {other:?}"
            )),
        }
        if error.status() != Some(200) || error.api_error().is_some() || error.is_retryable() {
            failures.push(format!("{name}: wrong accessors on {error:?}"));
        }
        if !starts_lower_case(&error) {
            failures.push(format!("{name}: Display is {error}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn decode_error_of_a_create_answer_never_shows_the_access_token() {
    let sandbox = start();
    let client = client(&sandbox);
    sandbox.script(
        ScriptedAnswer::new(200)
            .header("Content-Type", "application/json")
            .body(r#"{"accessToken":"SECRET-abc","tokenId":5}"#)
            .on("POST", "/auth/pats"),
    );
    let error = client
        .pats()
        .create(&new_pat(&sandbox, "leaky"))
        .expect_err("a token id that is a number does not decode");
    assert!(
        matches!(&error, Error::Decode(d) if d.status() == 200 && d.path() == "tokenId"),
        "{error:?}"
    );
    let display = error.to_string();
    let debug = format!("{error:?}");
    assert!(!display.contains("SECRET-abc"), "{display}");
    assert!(!debug.contains("SECRET-abc"), "{debug}");
    assert!(!debug.contains("SECRET"), "{debug}");
    // The body really carried it, over HTTP, to the signed create.
    let last = sandbox.requests().pop().expect("requests were logged");
    assert_eq!((last.method.as_str(), last.path()), ("POST", "/auth/pats"));
    assert!(String::from_utf8_lossy(&last.response_body).contains("SECRET-abc"));
}

// ---------------------------------------------------------------------------------------------
// 6. Transport failures.
// ---------------------------------------------------------------------------------------------

#[test]
fn body_over_the_size_limit_is_response_too_large() {
    let sandbox = start();
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| {
            b.retry(RetryPolicy::none())
                .response_size_limit(1024)
                .build()
        })
        .expect("the client builds");
    let big = json!({"tokenId": "to-1", "name": "x".repeat(2048)});
    let error = get_error(&sandbox, &client, ScriptedAnswer::json(200, &big));
    assert!(
        matches!(&error, Error::ResponseTooLarge(t) if t.limit() == 1024),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(200));
    assert!(error.ran());
    assert!(error.to_string().contains("1024"), "{error}");
    // A body under the limit on the same client still works.
    sandbox.script(ScriptedAnswer::json(200, &json!({"tokenId": "to-1"})));
    assert_eq!(
        client.pats().get("to-1").expect("small body").token_id,
        "to-1"
    );
}

#[test]
fn an_error_page_over_the_size_limit_is_still_classified_by_status() {
    let sandbox = start();
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| {
            b.retry(RetryPolicy::none())
                .response_size_limit(1024)
                .build()
        })
        .expect("the client builds");
    let page = format!(
        "<html><body>{}</body></html>",
        "bad gateway ".repeat(10_000)
    );
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::new(502).body(page.clone()),
    );
    let Error::ServerError(api) = &error else {
        panic!("a gateway failure must stay a gateway failure, got {error:?}");
    };
    assert_eq!(api.status(), 502);
    assert_eq!(
        api.body().len(),
        1024,
        "only the start within the limit is read"
    );
    assert!(page.starts_with(api.body()));
    assert!(error.is_retryable());
}

#[test]
fn answer_slower_than_the_timeout_is_timeout() {
    let sandbox = start();
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| {
            b.retry(RetryPolicy::none())
                .timeout(Some(Duration::from_millis(300)))
                .build()
        })
        .expect("the client builds");
    let started = std::time::Instant::now();
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::json(200, &json!({"tokenId": "to-1"})).delay(Duration::from_secs(3)),
    );
    let took = started.elapsed();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(error.is_timeout() && error.is_retryable());
    assert_eq!(error.status(), None);
    assert!(took < Duration::from_secs(2), "the call took {took:?}");
    // The error says which limit passed, and how long it was.
    let Error::Timeout(timeout) = &error else {
        unreachable!()
    };
    assert_eq!(
        timeout.limit(),
        Some(TimeLimit::Call(Duration::from_millis(300)))
    );
    assert_eq!(
        error.to_string(),
        "timed out: no answer within the 300 ms deadline of the whole call"
    );
}

/// `Display` of each error in the chain of `error`, the error itself first.
fn chain(error: &Error) -> Vec<String> {
    let mut texts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        texts.push(cause.to_string());
        source = cause.source();
    }
    texts
}

/// No cause's text appears twice along the chain, whole or inside another's.
fn assert_each_cause_once(error: &Error) {
    let texts = chain(error);
    for (i, outer) in texts.iter().enumerate() {
        for inner in &texts[i + 1..] {
            assert!(
                !outer.contains(inner.as_str()),
                "{inner:?} repeats {outer:?}: {texts:#?}"
            );
        }
    }
}

#[test]
fn error_chains_show_each_cause_once() {
    let sandbox = start();
    let slow = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| {
            b.retry(RetryPolicy::none())
                .timeout(Some(Duration::from_millis(200)))
                .build()
        })
        .expect("the client builds");
    let timeout = get_error(
        &sandbox,
        &slow,
        ScriptedAnswer::json(200, &json!({"tokenId": "to-1"})).never_answer(),
    );
    assert!(timeout.is_timeout(), "{timeout:?}");
    assert_each_cause_once(&timeout);

    let client = client(&sandbox);
    let cut = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::new(200)
            .body(r#"{"tokenId":"to-1","name":"a long enough name"}"#)
            .cut_body_at(10),
    );
    assert!(matches!(cut, Error::Connection(_)), "{cut:?}");
    assert_each_cause_once(&cut);

    let decode = get_error(&sandbox, &client, ScriptedAnswer::new(200).body("[1]"));
    assert_each_cause_once(&decode);
    let api = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::dfns_error(404, "personal access token not found"),
    );
    assert_each_cause_once(&api);
    let key = KeySigner::from_pem("cr-1", "not a key").expect_err("not a PEM");
    assert_each_cause_once(&Error::from(key));
}

#[test]
fn decode_errors_name_the_field_and_the_type_never_the_value() {
    let sandbox = start();
    let client = client(&sandbox);
    let secret = "eyJhbGciOi.SECRET-value-42";
    let bodies = [
        // A string where a boolean goes: serde would quote the string.
        (
            json!({"tokenId": "to-1", "isActive": secret}),
            "isActive",
            "a boolean",
        ),
        // A string where a list goes, one level down.
        (
            json!({"tokenId": "to-1", "permissionAssignments": [{"operations": secret}]}),
            "permissionAssignments[0].operations",
            "a sequence",
        ),
    ];
    for (body, path, expected) in bodies {
        let error = get_error(&sandbox, &client, ScriptedAnswer::json(200, &body));
        let Error::Decode(decode) = &error else {
            panic!("expected Decode, got {error:?}");
        };
        assert_eq!(decode.path(), path, "{error}");
        assert_eq!(decode.expected(), Some(expected), "{error}");
        assert_eq!(decode.problem(), "invalid type: string", "{error}");
        let text = error.to_string();
        assert!(text.contains(path) && text.contains(expected), "{text}");
        assert!(!text.contains("SECRET"), "{text}");
    }
}

#[test]
fn body_cut_short_is_a_connection_error() {
    let sandbox = start();
    let client = client(&sandbox);
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::new(200)
            .header("Content-Type", "application/json")
            .body(r#"{"tokenId":"to-1","name":"a long enough name"}"#)
            .cut_body_at(10),
    );
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert!(error.is_retryable());
    // The status came before the body broke off: the request ran.
    assert_eq!(error.status(), Some(200));
    assert!(error.ran());
}

#[test]
fn closed_port_is_a_connection_error() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        listener.local_addr().expect("local address").port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .auth_token("irrelevant")
        .proxy(None)
        .timeout(Some(Duration::from_secs(5)))
        .retry(RetryPolicy::none())
        .build()
        .expect("the client builds");
    let error = client
        .pats()
        .list()
        .expect_err("nothing listens on a dropped port");
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    assert!(
        error.to_string().starts_with("connection failed"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Errors the sandbox's own checks produce.
// ---------------------------------------------------------------------------------------------

#[test]
fn wrong_bearer_token_is_unauthenticated() {
    let sandbox = start();
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| {
            b.retry(RetryPolicy::none())
                .auth_token("sandbox.not.a-token")
                .build()
        })
        .expect("the client builds");
    let error = client.pats().list().expect_err("a wrong token is refused");
    let Error::Unauthenticated(api) = &error else {
        panic!("expected Unauthenticated, got {error:?}");
    };
    assert_eq!(api.status(), 401);
    assert_eq!(api.message(), "user token is missing or invalid");
    assert!(api.trace_id().is_some());
}

#[test]
fn unknown_pat_id_is_not_found_with_the_token_id_in_details() {
    let sandbox = start();
    let client = client(&sandbox);
    let error = client
        .pats()
        .get("to-nobody-has-this-one")
        .expect_err("unknown token");
    let Error::NotFound(api) = &error else {
        panic!("expected NotFound, got {error:?}");
    };
    assert_eq!(
        api.details().and_then(|d| d["tokenId"].as_str()),
        Some("to-nobody-has-this-one")
    );
    assert_eq!(api.message(), "personal access token not found");
    assert!(api.trace_id().is_some());
}

#[test]
fn user_action_token_used_twice_is_user_action_reused() {
    let sandbox = start();
    let client = client(&sandbox);
    let pat = client
        .pats()
        .create(&new_pat(&sandbox, "reuse"))
        .expect("create");
    let request = pats::deactivate(&pat.token_id).expect("request");
    let challenge = client.user_action_challenge(&request).expect("challenge");
    let signer = sandbox
        .user(KeyAlgorithm::EcdsaP256)
        .signer()
        .expect("signer");
    let assertion = CredentialSigner::sign(&signer, &challenge).expect("sign");
    let token = client
        .complete_user_action(&challenge, &assertion)
        .expect("token");
    let first = client
        .send_with_user_action(&request, &token)
        .expect("the first use works");
    assert!(!first.is_active);
    let error = client
        .send_with_user_action(&request, &token)
        .expect_err("a user action token is single-use");
    let Error::BadRequest(api) = &error else {
        panic!("expected BadRequest, got {error:?}");
    };
    assert_eq!(api.reason(), Some(ErrorReason::UserActionReused));
    assert_eq!(api.status(), 400);
    assert_eq!(api.message(), "user action has already been used");
    assert_eq!(sandbox.stats().user_actions_reused, 1);
}

/// Runs the first two steps for `request` with the P-256 user's key.
fn user_action_for<T>(
    sandbox: &Sandbox,
    client: &Client,
    request: &dfns_blocking::Request<T>,
) -> dfns_blocking::signing::UserActionToken {
    let challenge = client.user_action_challenge(request).expect("challenge");
    let signer = sandbox
        .user(KeyAlgorithm::EcdsaP256)
        .signer()
        .expect("signer");
    let assertion = CredentialSigner::sign(&signer, &challenge).expect("sign");
    client
        .complete_user_action(&challenge, &assertion)
        .expect("token")
}

#[test]
fn user_action_token_for_another_path_is_signature_invalid() {
    let sandbox = start();
    let client = client(&sandbox);
    let pat = client
        .pats()
        .create(&new_pat(&sandbox, "path"))
        .expect("create");
    let signed_for = pats::deactivate(&pat.token_id).expect("request");
    let token = user_action_for(&sandbox, &client, &signed_for);
    let other = pats::activate(&pat.token_id).expect("request");
    let error = client
        .send_with_user_action(&other, &token)
        .expect_err("a token is bound to its path");
    let Error::PermissionDenied(api) = &error else {
        panic!("expected PermissionDenied, got {error:?}");
    };
    assert_eq!(api.reason(), Some(ErrorReason::UserActionSignatureInvalid));
    assert_eq!(api.status(), 403);
    assert_eq!(api.message(), "user action signature is missing or invalid");
}

#[test]
fn user_action_token_for_another_body_is_signature_invalid() {
    let sandbox = start();
    let client = client(&sandbox);
    let pat = client
        .pats()
        .create(&new_pat(&sandbox, "body"))
        .expect("create");
    let signed_for =
        pats::update(&pat.token_id, &UpdatePersonalAccessToken::new().name("a")).expect("request");
    let token = user_action_for(&sandbox, &client, &signed_for);
    let other =
        pats::update(&pat.token_id, &UpdatePersonalAccessToken::new().name("b")).expect("request");
    let error = client
        .send_with_user_action(&other, &token)
        .expect_err("a token is bound to its body");
    assert!(
        matches!(&error, Error::PermissionDenied(e) if e.reason() == Some(ErrorReason::UserActionSignatureInvalid)),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(403));
    // Nothing changed.
    assert_eq!(client.pats().get(&pat.token_id).expect("get").name, "body");
}

#[test]
fn completing_a_challenge_twice_is_challenge_invalid() {
    let sandbox = start();
    let client = client(&sandbox);
    let request = pats::deactivate("to-1").expect("request");
    let challenge = client.user_action_challenge(&request).expect("challenge");
    let signer = sandbox
        .user(KeyAlgorithm::EcdsaP256)
        .signer()
        .expect("signer");
    let assertion = CredentialSigner::sign(&signer, &challenge).expect("sign");
    client
        .complete_user_action(&challenge, &assertion)
        .expect("the first completion works");
    let error = client
        .complete_user_action(&challenge, &assertion)
        .expect_err("a challenge is single-use");
    let Error::BadRequest(api) = &error else {
        panic!("expected BadRequest, got {error:?}");
    };
    assert_eq!(api.reason(), Some(ErrorReason::ChallengeInvalid));
    assert_eq!(api.status(), 400);
    assert_eq!(api.message(), "Challenge token is not valid.");
}

#[test]
fn right_credential_id_with_the_wrong_key_is_signature_invalid_at_auth_action() {
    let sandbox = start();
    let p256 = sandbox.user(KeyAlgorithm::EcdsaP256);
    let ed25519 = sandbox.user(KeyAlgorithm::Ed25519);
    let impostor =
        KeySigner::from_pem(p256.credential_id.clone(), &ed25519.private_key_pem).expect("key");
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| b.retry(RetryPolicy::none()).signer(impostor).build())
        .expect("the client builds");
    let error = client
        .pats()
        .deactivate("to-1")
        .expect_err("the signature does not verify");
    assert!(
        matches!(&error, Error::PermissionDenied(e) if e.reason() == Some(ErrorReason::UserActionSignatureInvalid)),
        "{error:?}"
    );
    let requests = sandbox.requests();
    let seen: Vec<(&str, &str, u16)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path(), r.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("POST", "/auth/action/init", 200),
            ("POST", "/auth/action", 403)
        ]
    );
    assert_eq!(sandbox.stats().signatures_verified, 0);
}

#[test]
fn credential_not_allowed_fails_before_posting_the_assertion() {
    let sandbox = start();
    let p256 = sandbox.user(KeyAlgorithm::EcdsaP256);
    let stranger = KeySigner::from_pem("Y3Itbm90LWFsbG93ZWQ", &p256.private_key_pem).expect("key");
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| b.retry(RetryPolicy::none()).signer(stranger).build())
        .expect("the client builds");
    let error = client
        .pats()
        .deactivate("to-1")
        .expect_err("the challenge does not allow this credential");
    let Error::CredentialNotAllowed {
        credential_id,
        allowed,
    } = &error
    else {
        panic!("expected CredentialNotAllowed, got {error:?}");
    };
    assert_eq!(credential_id, "Y3Itbm90LWFsbG93ZWQ");
    assert_eq!(*allowed, [p256.credential_id.as_str()]);
    assert_eq!(error.status(), None);
    let requests = sandbox.requests();
    assert!(
        !requests
            .iter()
            .any(|r| r.method == "POST" && r.path() == "/auth/action"),
        "{requests:?}"
    );
    assert_eq!(
        requests.len(),
        1,
        "only the challenge was asked: {requests:?}"
    );
    assert_eq!(requests[0].path(), "/auth/action/init");
}

#[test]
fn signed_call_without_a_signer_is_no_signer_and_sends_nothing() {
    let sandbox = start();
    let client = Client::builder()
        .base_url(sandbox.url())
        .auth_token(&sandbox.user(KeyAlgorithm::EcdsaP256).auth_token)
        .build()
        .expect("the client builds");
    let error = client
        .pats()
        .deactivate("to-1")
        .expect_err("no signer configured");
    assert!(matches!(error, Error::NoSigner), "{error:?}");
    assert_eq!(error.status(), None);
    assert!(sandbox.requests().is_empty(), "{:?}", sandbox.requests());
    assert_eq!(sandbox.stats().requests, 0);
    // The same client can still make unsigned calls: the error was the missing signer.
    assert!(client.pats().list().expect("list").is_empty());
}

#[test]
fn pat_creating_a_pat_is_permission_denied_with_the_permission() {
    let sandbox = start();
    let client = client(&sandbox);
    let pat = client
        .pats()
        .create(&new_pat(&sandbox, "parent"))
        .expect("create");
    let access_token = pat.access_token.as_ref().expect("create returns the token");
    let pat_signer = KeySigner::from_pem(
        pat.cred_id.clone(),
        &sandbox.user(KeyAlgorithm::EcdsaP256).private_key_pem,
    )
    .expect("key");
    let as_pat = Client::builder()
        .base_url(sandbox.url())
        .auth_token(access_token.expose())
        .signer(pat_signer)
        .build()
        .expect("the client builds");
    let error = as_pat
        .pats()
        .create(&new_pat(&sandbox, "child"))
        .expect_err("a PAT may not create PATs");
    let Error::PermissionDenied(api) = &error else {
        panic!("expected PermissionDenied, got {error:?}");
    };
    let principal = api.principal().expect("the message names the caller");
    assert_eq!(api.permission(), Some("Auth:Pats:Create"));
    assert_eq!(principal.kind, "Pat");
    assert_eq!(principal.id, pat.token_id);
    assert_eq!(api.status(), 403);
    assert!(error.to_string().contains("(Auth:Pats:Create)"), "{error}");
    // The PAT signed its request correctly: the refusal is the permission, not the signature.
    assert_eq!(sandbox.stats().signatures_verified, 2);
}

#[test]
fn creating_two_pats_with_the_same_name_is_conflict_with_the_duplicate() {
    let sandbox = start();
    let client = client(&sandbox);
    let first = client
        .pats()
        .create(&new_pat(&sandbox, "twin"))
        .expect("create");
    let error = client
        .pats()
        .create(&new_pat(&sandbox, "twin"))
        .expect_err("names are unique");
    let Error::Conflict(api) = &error else {
        panic!("expected Conflict, got {error:?}");
    };
    let duplicate = api.duplicate().expect("details.duplicate is read");
    assert_eq!(duplicate.id.as_deref(), Some(first.token_id.as_str()));
    assert_eq!(duplicate.external_id, None);
    assert_eq!(duplicate.other.get("name"), Some(&json!("twin")));
    assert_eq!(api.status(), 409);
    assert_eq!(client.pats().list().expect("list").len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 7b. Nonce checks, with raw HTTP.
// ---------------------------------------------------------------------------------------------

/// The date of a fresh nonce, to build nonces that are wrong in one way only.
fn date_of_a_fresh_nonce() -> String {
    let json: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(support::nonce()).expect("base64url"))
            .expect("json");
    json["date"].as_str().expect("a date").to_owned()
}

/// `GET /auth/pats` as the P-256 user, with `nonce` if given: the status and the parsed body.
fn raw_list(sandbox: &Sandbox, nonce: Option<&str>) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .into();
    let token = &sandbox.user(KeyAlgorithm::EcdsaP256).auth_token;
    let mut request = agent
        .get(format!("{}/auth/pats", sandbox.url()))
        .header("Authorization", format!("Bearer {token}"))
        .header("User-Agent", "errors-test/1");
    if let Some(nonce) = nonce {
        request = request.header("X-DFNS-NONCE", nonce);
    }
    let mut response = request.call().expect("the sandbox answers");
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .expect("a readable body");
    let value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    (status, value)
}

#[test]
fn request_without_a_nonce_is_refused_as_missing_or_invalid() {
    let sandbox = start();
    let (status, body) = raw_list(&sandbox, None);
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["message"],
        "request nonce is missing or invalid"
    );
    assert_eq!(sandbox.stats().nonces_accepted, 0);
}

#[test]
fn malformed_nonce_is_refused_as_missing_or_invalid() {
    let sandbox = start();
    let stale = URL_SAFE_NO_PAD
        .encode(r#"{"uuid":"errors-test-stale-1","date":"2020-01-01T00:00:00.000Z"}"#);
    let short = URL_SAFE_NO_PAD.encode(format!(
        r#"{{"uuid":"short","date":"{}"}}"#,
        date_of_a_fresh_nonce()
    ));
    for nonce in ["not a nonce", "bm90IGpzb24", stale.as_str(), short.as_str()] {
        let (status, body) = raw_list(&sandbox, Some(nonce));
        assert_eq!(status, 400, "{nonce}: {body}");
        assert_eq!(
            body["error"]["message"], "request nonce is missing or invalid",
            "{nonce}"
        );
    }
    assert_eq!(sandbox.stats().nonces_accepted, 0);
}

#[test]
fn same_nonce_twice_is_refused_as_already_used() {
    let sandbox = start();
    let nonce = support::nonce();
    let (status, body) = raw_list(&sandbox, Some(&nonce));
    assert_eq!(status, 200, "the nonce is valid the first time: {body}");
    assert_eq!(body, json!({"items": []}));
    let (status, body) = raw_list(&sandbox, Some(&nonce));
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["message"],
        "request nonce has already been used"
    );
    let stats = sandbox.stats();
    assert_eq!(stats.nonces_reused, 1);
    assert_eq!(stats.nonces_accepted, 1);
}

// ---------------------------------------------------------------------------------------------
// 8. The type itself.
// ---------------------------------------------------------------------------------------------

#[test]
fn error_is_send_sync_and_static() {
    fn assert_thread_safe<T: Send + Sync + 'static>() {}
    assert_thread_safe::<Error>();
    // Usable where a boxed thread-safe error is expected, e.g. `?` into `Box<dyn Error + Send + Sync>`.
    let boxed: Box<dyn std::error::Error + Send + Sync + 'static> = Box::new(Error::NoSigner);
    assert!(boxed.to_string().contains("signer"), "{boxed}");
    assert!(boxed.downcast_ref::<Error>().is_some());
}

#[test]
fn error_is_at_most_48_bytes() {
    let size = std::mem::size_of::<Error>();
    assert!(size <= 48, "size_of::<Error>() is {size} bytes, above 48");
}

#[test]
fn a_202_says_the_action_is_queued_and_must_not_be_sent_again() {
    let sandbox = start();
    let client = client(&sandbox);
    let error = get_error(
        &sandbox,
        &client,
        ScriptedAnswer::json(
            202,
            &json!({"id": "cr-1", "approvalId": "ap-1", "status": "Pending"}),
        ),
    );
    let text = error.to_string();
    assert!(error.is_policy_approval_pending(), "{error:?}");
    assert!(!text.contains("did not run"), "{text}");
    assert!(
        text.contains("queued") && text.contains("do not send it again"),
        "{text}"
    );
}
