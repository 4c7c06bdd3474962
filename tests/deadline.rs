//! The two time limits: the deadline of a whole call (signing round trips, attempts and the
//! waits between them) and the limit of one request, against a sandbox that answers slowly or
//! never. Assertions are on which limit ended the call, never on how long it took.

use std::time::Duration;

use crate::support::SandboxExt as _;
use crate::support::{Sandbox, ScriptedAnswer};
use dfns_blocking::{ClientBuilder, Error, KeyAlgorithm, RetryPolicy, TimeLimit};

fn start() -> Sandbox {
    Sandbox::start().expect("the sandbox starts")
}

fn builder(sandbox: &Sandbox) -> ClientBuilder {
    sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .expect("the sandbox client builder")
}

/// Retries with (almost) no wait, many of them: only the deadline can end the call.
fn eager_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(50)
        .with_base_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(5))
        .with_max_total_wait(Duration::from_secs(600))
}

fn limit_of(error: &Error) -> Option<TimeLimit> {
    match error {
        Error::Timeout(timeout) => timeout.limit(),
        _ => None,
    }
}

#[test]
fn a_retried_read_ends_at_the_deadline_of_the_whole_call() {
    let sandbox = start();
    let deadline = Duration::from_millis(1500);
    let client = builder(&sandbox)
        .timeout(Some(deadline))
        .retry(eager_retries())
        .build()
        .expect("the client builds");
    // Two gateway failures the client retries, then a server that never answers.
    sandbox.script(ScriptedAnswer::dfns_error(503, "unavailable"));
    sandbox.script(ScriptedAnswer::dfns_error(503, "unavailable"));
    for _ in 0..50 {
        sandbox.script(ScriptedAnswer::new(200).never_answer());
    }
    let error = client.pats().get("to-1").expect_err("never answered");
    assert_eq!(
        limit_of(&error),
        Some(TimeLimit::Call(deadline)),
        "{error:?}"
    );
    assert!(error.attempts() >= 2, "the 503s were retried: {error:?}");
    assert!(
        error
            .to_string()
            .contains("the 1.5 s deadline of the whole call"),
        "{error}"
    );
    assert!(sandbox.requests().len() >= 2);
}

#[test]
fn the_signing_round_trips_count_against_the_deadline() {
    let sandbox = start();
    let deadline = Duration::from_secs(1);
    let client = builder(&sandbox)
        .timeout(Some(deadline))
        .retry(eager_retries())
        .build()
        .expect("the client builds");
    // Completing the user action never answers: the signed request itself is never sent.
    for _ in 0..50 {
        sandbox.script(
            ScriptedAnswer::new(200)
                .never_answer()
                .on_exactly("POST", "/auth/action"),
        );
    }
    let error = client.pats().deactivate("to-1").expect_err("never signed");
    assert_eq!(
        limit_of(&error),
        Some(TimeLimit::Call(deadline)),
        "{error:?}"
    );
    assert!(!error.outcome_unknown(), "nothing was sent: {error:?}");
    assert!(
        sandbox.requests().iter().all(|r| r.method != "PUT"),
        "the mutation was never sent"
    );
}

#[test]
fn a_request_that_passes_its_own_limit_names_it_and_is_retried_within_the_deadline() {
    let sandbox = start();
    let request_limit = Duration::from_millis(200);
    let client = builder(&sandbox)
        .timeout(Some(Duration::from_secs(60)))
        .request_timeout(Some(request_limit))
        .retry(RetryPolicy::default().with_max_attempts(3))
        .build()
        .expect("the client builds");
    for _ in 0..3 {
        sandbox.script(ScriptedAnswer::new(200).never_answer());
    }
    let error = client.pats().get("to-1").expect_err("never answered");
    assert_eq!(
        limit_of(&error),
        Some(TimeLimit::Request(request_limit)),
        "{error:?}"
    );
    assert_eq!(error.attempts(), 3, "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("timed out: no answer within the 200 ms limit of one request"),
        "{error}"
    );
}

#[test]
fn a_wait_that_would_pass_the_deadline_ends_the_call_with_the_failure() {
    let sandbox = start();
    let client = builder(&sandbox)
        .timeout(Some(Duration::from_secs(5)))
        .build()
        .expect("the client builds");
    // Dfns asks for 10 s (within the retry budget of 30 s): waiting would pass the 5 s
    // deadline, so the call ends now.
    sandbox
        .script(ScriptedAnswer::dfns_error(429, "Too many requests").header("Retry-After", "10"));
    let error = client.pats().get("to-1").expect_err("rate limited");
    assert!(error.is_rate_limited(), "{error:?}");
    assert_eq!(error.attempts(), 1);
    assert_eq!(sandbox.requests().len(), 1);
}

#[test]
fn without_limits_a_call_still_completes() {
    let sandbox = start();
    let client = builder(&sandbox)
        .timeout(None)
        .request_timeout(None)
        .build()
        .expect("the client builds");
    sandbox.script(
        ScriptedAnswer::json(200, &serde_json::json!({"tokenId": "to-1"}))
            .delay(Duration::from_millis(50)),
    );
    assert_eq!(
        client.pats().get("to-1").expect("answered").token_id,
        "to-1"
    );
}
