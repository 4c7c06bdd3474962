//! Hostile and broken servers, one table: every fault ends in the expected typed error, within
//! the configured time, without a panic, and no error's text (`Display`, `Debug`, its chain of
//! sources) holds a secret of the client's.
//!
//! `tests/errors.rs` checks the classified data in depth; `tests/retry.rs` what is retried.
//! Here every call is made once, so that each fault is seen as it is.
//!
//! `cargo test --test hostile -- --nocapture` prints the table of faults and outcomes.

use std::time::{Duration, Instant, SystemTime};

use crate::support::SandboxExt as _;
use crate::support::{self, Sandbox, ScriptedAnswer};
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::api::wallets::{CreateWallet, NativeTransfer, Network};
use dfns_blocking::{Client, Error, KeyAlgorithm, RetryPolicy};
use serde_json::json;

const APP_SECRET: &str = "app-secret-7Qz1kP0vY3mB9sLr";
const TIMEOUT: Duration = Duration::from_secs(1);
const SIZE_LIMIT: u64 = 64 * 1024;

/// The client under attack, and every secret it holds.
struct Victim {
    client: Client,
    secrets: Vec<String>,
}

fn victim(sandbox: &Sandbox) -> Victim {
    let user = sandbox.user(KeyAlgorithm::EcdsaP256);
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| {
            b.app_id("ap-hostile")
                .app_secret(APP_SECRET)
                .retry(RetryPolicy::none())
                .timeout(Some(TIMEOUT))
                .response_size_limit(SIZE_LIMIT)
                .build()
        })
        .expect("the client builds");
    let mut secrets = vec![user.auth_token.clone(), APP_SECRET.to_owned()];
    // Any line of the private key's base64 is a secret.
    secrets.extend(
        user.private_key_pem
            .lines()
            .filter(|line| !line.starts_with("-----") && line.len() >= 16)
            .map(str::to_owned),
    );
    Victim { client, secrets }
}

/// The whole text of an error: `Display`, `Debug`, and each source's `Display`.
fn all_text(error: &Error) -> String {
    let mut text = format!("{error}\n{error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

enum Call {
    /// `GET /auth/pats/to-1`.
    Read,
    /// A signed `PUT /auth/pats/{id}/deactivate` of a real token.
    SignedMutation,
}

struct Case {
    fault: &'static str,
    answer: ScriptedAnswer,
    call: Call,
    expected: &'static str,
    check: fn(&Error) -> bool,
}

fn case(
    fault: &'static str,
    answer: ScriptedAnswer,
    expected: &'static str,
    check: fn(&Error) -> bool,
) -> Case {
    Case {
        fault,
        answer,
        call: Call::Read,
        expected,
        check,
    }
}

fn cases() -> Vec<Case> {
    let pat = r#"{"tokenId":"to-1","name":"a name long enough to be cut","isActive":true}"#;
    let approval = json!({"id": "cr-1", "status": "Pending", "approvalId": "ap-1", "kind": "Pat"});
    vec![
        case(
            "HTML 502 page from a proxy",
            ScriptedAnswer::new(502)
                .header("Content-Type", "text/html")
                .body("<html><body><h1>502 Bad Gateway</h1></body></html>"),
            "ServerError(502)",
            |e| matches!(e, Error::ServerError(a) if a.status() == 502 && a.message().is_empty()),
        ),
        case(
            "empty 200 body",
            ScriptedAnswer::new(200).header("Content-Type", "application/json"),
            "Decode",
            |e| matches!(e, Error::Decode(d) if d.status() == 200),
        ),
        case(
            "invalid JSON with 200",
            ScriptedAnswer::new(200).body(r#"{"tokenId": "to-1", "name": "#),
            "Decode",
            |e| matches!(e, Error::Decode(d) if d.status() == 200),
        ),
        case(
            "valid JSON of the wrong shape",
            ScriptedAnswer::json(200, &json!([{"tokenId": 7}])),
            "Decode",
            |e| matches!(e, Error::Decode(d) if d.status() == 200),
        ),
        case(
            "invalid UTF-8 with 200",
            ScriptedAnswer::new(200).body(b"{\"tokenId\":\"to-\xff\xfe\"}".to_vec()),
            "Decode",
            |e| matches!(e, Error::Decode(d) if d.status() == 200),
        ),
        case(
            "invalid UTF-8 in a field the type ignores, with 200",
            ScriptedAnswer::new(200).body(
                [
                    &pat.as_bytes()[..pat.len() - 1],
                    b",\"ignored\":\"\xff\xfe\xc3\x28\"}",
                ]
                .concat(),
            ),
            "Decode",
            |e| matches!(e, Error::Decode(d) if d.status() == 200),
        ),
        case(
            "invalid UTF-8 in a 503 error body",
            ScriptedAnswer::new(503).body(b"\xff\xfe\xfd upstream gone".to_vec()),
            "ServerError(503)",
            |e| matches!(e, Error::ServerError(a) if a.status() == 503),
        ),
        case(
            "body cut short, clean close",
            ScriptedAnswer::new(200).body(pat).cut_body_at(12),
            "Connection",
            |e| matches!(e, Error::Connection(_)),
        ),
        case(
            "connection reset mid-body",
            ScriptedAnswer::new(200).body(pat).reset_body_at(12),
            "Connection",
            |e| matches!(e, Error::Connection(_)),
        ),
        case(
            "body over the size limit",
            ScriptedAnswer::new(200).body(format!("\"{}\"", "x".repeat(100 * 1024))),
            "ResponseTooLarge",
            |e| matches!(e, Error::ResponseTooLarge(t) if t.limit() == SIZE_LIMIT && t.status() == 200),
        ),
        case(
            "accepts and never answers",
            ScriptedAnswer::new(200).never_answer(),
            "Timeout",
            |e| matches!(e, Error::Timeout(_)),
        ),
        case(
            "trickles one byte a second",
            ScriptedAnswer::new(200)
                .body(pat)
                .trickle(Duration::from_secs(1)),
            "Timeout",
            |e| matches!(e, Error::Timeout(_)),
        ),
        case(
            "answers after the timeout",
            ScriptedAnswer::new(200)
                .body(pat)
                .delay(Duration::from_secs(3)),
            "Timeout",
            |e| matches!(e, Error::Timeout(_)),
        ),
        Case {
            fault: "202 with an approval body",
            answer: ScriptedAnswer::json(202, &approval).on("PUT", "/auth/pats/"),
            call: Call::SignedMutation,
            expected: "PolicyApprovalPending",
            check: |e| matches!(e, Error::PolicyApprovalPending(a) if a.approval_id() == Some("ap-1")),
        },
        case(
            "error body, current generation",
            ScriptedAnswer::dfns_error(404, "personal access token not found"),
            "NotFound",
            |e| {
                matches!(e, Error::NotFound(a) if a.message() == "personal access token not found"
                && a.trace_id().is_some())
            },
        ),
        case(
            "error body, 2022 generation",
            ScriptedAnswer::json(
                404,
                &json!({"error": {"message": "Token not found", "errorName": "EntityNotFoundError"}}),
            ),
            "NotFound",
            |e| matches!(e, Error::NotFound(a) if a.error_name() == Some("EntityNotFoundError")),
        ),
        case(
            "error body, legacy text",
            ScriptedAnswer::json(401, &json!({"error": "Not Authorized."})),
            "Unauthenticated",
            |e| matches!(e, Error::Unauthenticated(a) if a.message() == "Not Authorized."),
        ),
        case(
            "error body, top-level message",
            ScriptedAnswer::json(403, &json!({"message": "Forbidden"})),
            "PermissionDenied",
            |e| {
                matches!(
                    e,
                    Error::PermissionDenied(error) if error.permission().is_none()
                )
            },
        ),
        case(
            "Retry-After: 0",
            ScriptedAnswer::dfns_error(429, "Too many requests").header("Retry-After", "0"),
            "RateLimited(0 s)",
            |e| e.retry_after() == Some(Duration::ZERO),
        ),
        case(
            "Retry-After: 5",
            ScriptedAnswer::dfns_error(429, "Too many requests").header("Retry-After", "5"),
            "RateLimited(5 s)",
            |e| e.retry_after() == Some(Duration::from_secs(5)),
        ),
        case(
            "Retry-After: an HTTP date",
            ScriptedAnswer::dfns_error(429, "Too many requests").header(
                "Retry-After",
                &support::http_date(SystemTime::now() + Duration::from_secs(60)),
            ),
            "RateLimited(date)",
            |e| {
                e.retry_after()
                    .is_some_and(|d| d > Duration::from_secs(30) && d <= Duration::from_secs(60))
            },
        ),
        case(
            "Retry-After: nonsense",
            ScriptedAnswer::dfns_error(429, "Too many requests").header("Retry-After", "soon"),
            "RateLimited(none)",
            |e| {
                matches!(
                    e,
                    Error::RateLimited(error) if error.retry_after().is_none()
                )
            },
        ),
        case(
            "302 redirect to another host",
            ScriptedAnswer::new(302), // its Location is set below, to a second listener
            "UnexpectedStatus(302)",
            |e| matches!(e, Error::UnexpectedStatus(a) if a.status() == 302),
        ),
        case(
            "407 from a proxy",
            ScriptedAnswer::new(407).body("Proxy Authentication Required"),
            "UnexpectedStatus(407)",
            |e| matches!(e, Error::UnexpectedStatus(a) if a.status() == 407),
        ),
    ]
}

#[test]
fn every_fault_ends_in_its_typed_error_in_time_and_without_secrets() {
    let sandbox = Sandbox::start().expect("the sandbox starts");
    // The host a redirect points to: it must never see a request.
    let elsewhere = Sandbox::start().expect("a second sandbox starts");
    let victim = victim(&sandbox);
    let key = &sandbox.user(KeyAlgorithm::Ed25519).public_key;
    let pat = victim
        .client
        .pats()
        .create(&CreatePersonalAccessToken::new("target", key.to_pem()))
        .expect("a token to mutate");
    let mut report = vec![
        format!("| fault | expected | outcome | took |"),
        "|---|---|---|---|".to_owned(),
    ];
    let mut failures = Vec::new();
    for case in cases() {
        let answer = if case.fault.starts_with("302") {
            case.answer
                .header("Location", &format!("{}/auth/pats/to-1", elsewhere.url()))
        } else {
            case.answer
        };
        sandbox.script(answer);
        let started = Instant::now();
        let outcome = match case.call {
            Call::Read => victim.client.pats().get("to-1").map(|_| ()),
            Call::SignedMutation => victim.client.pats().deactivate(&pat.token_id).map(|_| ()),
        };
        let took = started.elapsed();
        let row = |outcome: &str| {
            format!(
                "| {} | {} | {} | {:.2} s |",
                case.fault,
                case.expected,
                outcome,
                took.as_secs_f64()
            )
        };
        let error = match outcome {
            Ok(()) => {
                failures.push(format!("{}: succeeded", case.fault));
                report.push(row("succeeded (wrong)"));
                continue;
            }
            Err(error) => error,
        };
        report.push(row(&format!("{error}")
            .chars()
            .take(90)
            .collect::<String>()
            .replace('|', "/")));
        if !(case.check)(&error) {
            failures.push(format!(
                "{}: expected {}, got {error:?}",
                case.fault, case.expected
            ));
        }
        // Never a hang: one attempt takes at most the timeout (plus scheduling slack).
        if took > TIMEOUT + Duration::from_millis(900) {
            failures.push(format!("{}: took {took:?}", case.fault));
        }
        let text = all_text(&error);
        let mut secrets = victim.secrets.clone();
        // The user action token of a signed call is a secret too.
        secrets.extend(
            sandbox
                .requests()
                .iter()
                .filter_map(|r| r.header("x-dfns-useraction").map(str::to_owned)),
        );
        for secret in &secrets {
            if text.contains(secret.as_str()) {
                failures.push(format!("{}: the error shows a secret", case.fault));
            }
        }
    }
    println!("{}", report.join("\n"));
    assert!(elsewhere.requests().is_empty(), "a redirect was followed");
    assert!(failures.is_empty(), "{failures:#?}");
    // The client is still usable after all of that.
    assert!(victim.client.pats().get(&pat.token_id).is_ok());
}

/// A change Dfns answered with success whose answer could not be read: it ran. The error says
/// so (`ran`, `outcome_unknown`, the status and the request id), and the change is never sent
/// again, even by a client that retries.
#[test]
fn a_change_answered_with_an_unreadable_success_says_it_ran_and_is_never_resent() {
    let sandbox = Sandbox::start().expect("the sandbox starts");
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| {
            b.retry(RetryPolicy::default().with_base_delay(Duration::from_millis(1)))
                .timeout(Some(Duration::from_secs(2)))
                .response_size_limit(SIZE_LIMIT)
                .build()
        })
        .expect("the client builds");
    let key = &sandbox.user(KeyAlgorithm::Ed25519).public_key;
    let wallet = client
        .wallets()
        .create(&CreateWallet::new(Network::EthereumSepolia))
        .expect("a wallet");
    let pat = r#"{"tokenId":"to-1","name":"n","isActive":true}"#;
    let answers: Vec<(&str, ScriptedAnswer)> = vec![
        (
            "a field of the wrong type",
            ScriptedAnswer::new(200).body(r#"{"tokenId":5}"#),
        ),
        (
            "over the size limit",
            ScriptedAnswer::new(200).body(format!("\"{}\"", "x".repeat(100 * 1024))),
        ),
        (
            "not UTF-8",
            ScriptedAnswer::new(200).body(b"{\"tokenId\":\"to-\xff\"}".to_vec()),
        ),
        (
            "cut short",
            ScriptedAnswer::new(200).body(pat).cut_body_at(12),
        ),
        (
            "reset mid-body",
            ScriptedAnswer::new(200).body(pat).reset_body_at(12),
        ),
        (
            "a 202 that does not decode",
            ScriptedAnswer::new(202).body("["),
        ),
    ];
    type Change<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Box<dyn Fn() -> Result<(), Error> + 'a>,
    );
    let changes: Vec<Change<'_>> = vec![
        (
            "create a token",
            "POST",
            "/auth/pats",
            Box::new(|| {
                client
                    .pats()
                    .create(&CreatePersonalAccessToken::new("t", key.to_pem()))
                    .map(drop)
            }),
        ),
        (
            "a transfer without externalId",
            "POST",
            "/wallets/",
            Box::new(|| {
                client
                    .wallets()
                    .transfer(&wallet.id, &NativeTransfer::new("0xaa", "1").into())
                    .map(drop)
            }),
        ),
    ];
    let mut failures = Vec::new();
    for (change, method, prefix, call) in &changes {
        for (fault, answer) in &answers {
            let before = sandbox.requests().len();
            sandbox.script(
                answer
                    .clone()
                    .header("X-Request-ID", "req-ran-1")
                    .on(method, prefix),
            );
            let error = match call() {
                Ok(()) => {
                    failures.push(format!("{change}, {fault}: succeeded"));
                    continue;
                }
                Err(error) => error,
            };
            let sent = sandbox.requests()[before..]
                .iter()
                .filter(|r| r.method == *method && r.path().starts_with(prefix))
                .count();
            let status = if fault.starts_with("a 202") { 202 } else { 200 };
            let ok = error.ran()
                && error.outcome_unknown()
                && error.status() == Some(status)
                && error.request_id() == Some("req-ran-1")
                && error.attempts() == 1
                && sent == 1
                && error.to_string().contains("do not send it again");
            if !ok {
                failures.push(format!(
                    "{change}, {fault}: ran={} outcome_unknown={} status={:?} request_id={:?} sent={sent}: {error}",
                    error.ran(),
                    error.outcome_unknown(),
                    error.status(),
                    error.request_id(),
                ));
            }
        }
    }
    // A read whose answer is unreadable ran too, but is safe: it says it ran and nothing more.
    sandbox.script(
        ScriptedAnswer::new(200)
            .body(r#"{"tokenId":5}"#)
            .on("GET", "/auth/pats/"),
    );
    let read = client.pats().get("to-1").unwrap_err();
    assert!(read.ran() && !read.outcome_unknown(), "{read:?}");
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A server whose page tokens go round (A, B, A, ...) ends the list with a typed error after
/// the items it gave, instead of paging forever; a token repeated at once is caught too.
#[test]
fn a_list_whose_page_tokens_cycle_ends_with_a_typed_error() {
    use dfns_blocking::{Method, Page, Request};
    let page = |item: &str, next: &str| {
        ScriptedAnswer::json(200, &json!({"items": [item], "nextPageToken": next}))
            .on("GET", "/auth/pats")
    };
    for tokens in [
        &["A", "B", "A"][..],
        &["A", "A"][..],
        &["A", "B", "C", "B"][..],
    ] {
        let sandbox = Sandbox::start().expect("the sandbox starts");
        let client = sandbox
            .client_builder(KeyAlgorithm::EcdsaP256)
            .and_then(|b| b.retry(RetryPolicy::none()).build())
            .expect("the client builds");
        for (i, token) in tokens.iter().enumerate() {
            sandbox.script(page(&format!("item-{i}"), token));
        }
        // Enough answers for a client that would page on: it must stop at the cycle.
        for i in 0..5 {
            sandbox.script(page(&format!("extra-{i}"), &format!("T{i}")));
        }
        let request = Request::<Page<String>>::fixed(Method::Get, "/auth/pats").unwrap();
        let results: Vec<_> = client.pages(request).take(20).collect();
        let items: Vec<&String> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(items.len(), tokens.len(), "{tokens:?}: {results:?}");
        assert!(
            matches!(results.last(), Some(Err(Error::PageCycle { pages })) if *pages == tokens.len()),
            "{tokens:?}: {results:?}"
        );
        assert_eq!(results.len(), tokens.len() + 1, "{results:?}");
        assert_eq!(sandbox.requests().len(), tokens.len());
    }
}
