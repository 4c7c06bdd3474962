//! The retry policy against the sandbox: what is repeated, what is not, and that every attempt
//! is a new request (new nonce; for signed requests a new challenge, signature and token).

use std::collections::HashSet;
use std::net::TcpListener;
use std::time::{Duration, Instant, SystemTime};

use crate::support::{self, RecordedRequest, Sandbox, ScriptedAnswer};
use crate::support::{SandboxExt as _, UserExt as _};
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::{Client, Error, KeyAlgorithm, Method, Request, RetryPolicy};
use serde_json::{Value, json};

fn start() -> Sandbox {
    Sandbox::start().expect("the sandbox starts")
}

/// The default policy with millisecond backoff, so that tests run fast.
fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_delay(Duration::from_millis(2))
        .with_max_delay(Duration::from_millis(10))
}

/// A client whose every request (each attempt, each signing round trip) is bounded by `timeout`.
fn client_with(sandbox: &Sandbox, policy: RetryPolicy, timeout: Duration) -> Client {
    sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| b.retry(policy).request_timeout(Some(timeout)).build())
        .expect("the client builds")
}

fn client(sandbox: &Sandbox) -> Client {
    client_with(sandbox, fast(), Duration::from_secs(5))
}

fn new_pat(sandbox: &Sandbox, name: &str) -> CreatePersonalAccessToken {
    let key = &sandbox.user(KeyAlgorithm::Ed25519).public_key;
    CreatePersonalAccessToken::new(name, key.to_pem())
}

/// The `(method, path)` of each request the sandbox saw, in order.
fn trail(requests: &[RecordedRequest]) -> Vec<(String, String)> {
    requests
        .iter()
        .map(|r| (r.method.clone(), r.path().to_owned()))
        .collect()
}

fn steps(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect()
}

/// Every request carried its own nonce, and every signed request its own user action token.
fn assert_all_fresh(requests: &[RecordedRequest]) {
    let nonces: HashSet<&str> = requests
        .iter()
        .filter_map(|r| r.header("x-dfns-nonce"))
        .collect();
    assert_eq!(nonces.len(), requests.len(), "a nonce was sent twice");
    let tokens: Vec<&str> = requests
        .iter()
        .filter_map(|r| r.header("x-dfns-useraction"))
        .collect();
    let distinct: HashSet<&&str> = tokens.iter().collect();
    assert_eq!(
        distinct.len(),
        tokens.len(),
        "a user action token was sent twice"
    );
}

fn body_json(request: &RecordedRequest) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

#[test]
fn a_read_is_repeated_after_a_gateway_failure_and_succeeds() {
    let sandbox = start();
    let client = client(&sandbox);
    sandbox.script(ScriptedAnswer::new(502).body("<html>bad gateway</html>"));
    sandbox.script(ScriptedAnswer::dfns_error(503, "Service Unavailable"));
    let tokens = client.pats().list().expect("the third attempt succeeds");
    assert!(tokens.is_empty());
    let requests = sandbox.requests();
    assert_eq!(
        trail(&requests),
        steps(&[
            ("GET", "/auth/pats"),
            ("GET", "/auth/pats"),
            ("GET", "/auth/pats")
        ])
    );
    assert_eq!(
        requests.iter().map(|r| r.status).collect::<Vec<_>>(),
        [502, 503, 200]
    );
    assert_all_fresh(&requests);
}

#[test]
fn the_last_error_says_how_many_attempts_were_made() {
    let sandbox = start();
    let client = client_with(
        &sandbox,
        fast().with_max_attempts(4),
        Duration::from_secs(5),
    );
    for _ in 0..4 {
        sandbox.script(ScriptedAnswer::new(504).body("gateway timeout"));
    }
    let error = client.pats().get("to-1").expect_err("four 504s");
    assert!(
        matches!(&error, Error::ServerError(api) if api.status() == 504),
        "{error:?}"
    );
    assert_eq!(error.attempts(), 4);
    assert!(
        !error.outcome_unknown(),
        "a read's outcome is never in doubt"
    );
    assert!(
        error.to_string().contains("gave up after 4 attempts"),
        "{error}"
    );
    assert_eq!(sandbox.requests().len(), 4);
}

#[test]
fn no_retries_means_one_attempt() {
    let sandbox = start();
    let client = client_with(&sandbox, RetryPolicy::none(), Duration::from_secs(5));
    sandbox.script(ScriptedAnswer::new(502));
    let error = client.pats().list().expect_err("one 502");
    assert_eq!(error.attempts(), 1);
    assert!(!error.to_string().contains("attempts"), "{error}");
    assert_eq!(sandbox.requests().len(), 1);
}

#[test]
fn a_500_is_not_repeated_even_for_a_read() {
    let sandbox = start();
    let client = client(&sandbox);
    sandbox.script(ScriptedAnswer::dfns_error(500, "Internal Server Error"));
    let error = client.pats().list().expect_err("a 500");
    assert!(matches!(error, Error::ServerError(_)), "{error:?}");
    assert_eq!(error.attempts(), 1);
    assert_eq!(sandbox.requests().len(), 1);
}

#[test]
fn client_errors_are_not_repeated() {
    let sandbox = start();
    let client = client(&sandbox);
    let error = client.pats().get("to-missing").expect_err("unknown token");
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    assert_eq!(error.attempts(), 1);
    assert_eq!(sandbox.requests().len(), 1);
}

#[test]
fn a_signed_mutation_is_not_repeated_after_a_gateway_failure_and_says_the_outcome_is_unknown() {
    let sandbox = start();
    let client = client(&sandbox);
    let pat = client
        .pats()
        .create(&new_pat(&sandbox, "ci").external_id("label-only"))
        .expect("created");
    let before = sandbox.requests().len();
    sandbox.script(ScriptedAnswer::new(502).on("DELETE", "/auth/pats/"));
    let error = client
        .pats()
        .delete(&pat.token_id)
        .expect_err("the deletion's answer is a 502");
    assert!(error.outcome_unknown(), "{error:?}");
    assert_eq!(error.attempts(), 1);
    assert!(error.to_string().contains("outcome is unknown"), "{error}");
    let path = format!("/auth/pats/{}", pat.token_id);
    assert_eq!(
        trail(&sandbox.requests()[before..]),
        steps(&[
            ("POST", "/auth/action/init"),
            ("POST", "/auth/action"),
            ("DELETE", &path)
        ]),
        "sent once"
    );

    // A token's externalId is a label, not an idempotency key: a create is not repeated either.
    sandbox.script(ScriptedAnswer::new(503).on("POST", "/auth/pats"));
    let error = client
        .pats()
        .create(&new_pat(&sandbox, "second").external_id("ticket-7"))
        .expect_err("the creation's answer is a 503");
    assert!(
        error.outcome_unknown() && error.attempts() == 1,
        "{error:?}"
    );
}

#[test]
fn a_deduplicated_mutation_with_an_external_id_is_repeated_with_a_whole_new_signature() {
    let sandbox = start();
    let client = client(&sandbox);
    // Dfns runs a transfer at most once per externalId. The sandbox signs for real; the
    // transfer's own answers are scripted.
    let request = Request::<Value>::new(Method::Post, "/wallets/{}/transfers", &["wa-1"])
        .and_then(|r| {
            r.json(&json!({"kind": "Native", "to": "0xabc", "amount": "1", "externalId": "pay-42"}))
        })
        .expect("a request")
        .signed()
        .idempotent_by_external_id();
    sandbox.script(ScriptedAnswer::new(502).on("POST", "/wallets/"));
    sandbox.script(
        ScriptedAnswer::json(200, &json!({"id": "xfr-1", "status": "Pending"}))
            .on("POST", "/wallets/"),
    );
    let transfer = client.send(&request).expect("the second attempt succeeds");
    assert_eq!(transfer["id"], "xfr-1");
    let requests = sandbox.requests();
    assert_eq!(
        trail(&requests),
        steps(&[
            ("POST", "/auth/action/init"),
            ("POST", "/auth/action"),
            ("POST", "/wallets/wa-1/transfers"),
            ("POST", "/auth/action/init"),
            ("POST", "/auth/action"),
            ("POST", "/wallets/wa-1/transfers"),
        ])
    );
    assert_all_fresh(&requests);
    // Two challenges, two signatures verified by the sandbox.
    let challenges: HashSet<String> = [&requests[1], &requests[4]]
        .iter()
        .map(|r| body_json(r)["challengeIdentifier"].to_string())
        .collect();
    assert_eq!(challenges.len(), 2);
    assert_eq!(sandbox.stats().signatures_verified, 2);
    // Both attempts sent the same body bytes.
    assert_eq!(requests[2].body, requests[5].body);
}

/// An answer that does not decode ends the call where it is, after the attempts it took: a
/// read says it ran and nothing more; a transfer repeated by its `externalId` says it ran,
/// and a state change that is not safe to repeat says its outcome is unknown too.
#[test]
fn an_unreadable_success_after_a_retry_counts_the_attempts_and_is_not_resent() {
    let sandbox = start();
    let client = client(&sandbox);
    sandbox.script(ScriptedAnswer::new(503).on("GET", "/auth/pats/"));
    sandbox.script(
        ScriptedAnswer::new(200)
            .body(r#"{"tokenId":5}"#)
            .on("GET", "/auth/pats/"),
    );
    let read = client.pats().get("to-1").expect_err("an unreadable token");
    assert!(matches!(read, Error::Decode(_)), "{read:?}");
    assert!(read.ran() && !read.outcome_unknown(), "{read:?}");
    assert_eq!(read.attempts(), 2);

    let transfer = Request::<Value>::new(Method::Post, "/wallets/{}/transfers", &["wa-1"])
        .and_then(|r| {
            r.json(&json!({"kind": "Native", "to": "0xabc", "amount": "1", "externalId": "pay-7"}))
        })
        .expect("a request")
        .signed()
        .idempotent_by_external_id();
    let before = sandbox.requests().len();
    sandbox.script(ScriptedAnswer::new(502).on("POST", "/wallets/"));
    sandbox.script(ScriptedAnswer::new(200).body("{").on("POST", "/wallets/"));
    let error = client.send(&transfer).expect_err("an unreadable transfer");
    assert!(error.ran(), "{error:?}");
    assert_eq!(error.attempts(), 2);
    assert_eq!(error.status(), Some(200));
    let sent = sandbox.requests()[before..]
        .iter()
        .filter(|r| r.method == "POST" && r.path().starts_with("/wallets/"))
        .count();
    assert_eq!(sent, 2, "the answered attempt is not sent again");

    let change = Request::<Value>::new(Method::Post, "/wallets/{}/transfers", &["wa-1"])
        .and_then(|r| r.json(&json!({"kind": "Native", "to": "0xabc", "amount": "1"})))
        .expect("a request")
        .signed();
    sandbox.script(ScriptedAnswer::new(200).body("[").on("POST", "/wallets/"));
    let error = client.send(&change).expect_err("an unreadable transfer");
    assert!(error.ran() && error.outcome_unknown(), "{error:?}");
    assert_eq!(error.attempts(), 1);
}

#[test]
fn the_same_transfer_without_an_external_id_is_not_repeated() {
    let sandbox = start();
    let client = client(&sandbox);
    let request = Request::<Value>::new(Method::Post, "/wallets/{}/transfers", &["wa-1"])
        .and_then(|r| r.json(&json!({"kind": "Native", "to": "0xabc", "amount": "1"})))
        .expect("a request")
        .signed();
    sandbox.script(ScriptedAnswer::new(502).on("POST", "/wallets/"));
    let error = client.send(&request).expect_err("one 502");
    assert!(error.outcome_unknown(), "{error:?}");
    assert_eq!(sandbox.requests().len(), 3);
}

#[test]
fn a_signed_mutation_is_repeated_when_getting_its_signature_failed() {
    let sandbox = start();
    let client = client(&sandbox);
    let pat = client
        .pats()
        .create(&new_pat(&sandbox, "ci"))
        .expect("created");
    let before = sandbox.requests().len();
    sandbox.script(ScriptedAnswer::new(503).on_exactly("POST", "/auth/action/init"));
    sandbox.script(ScriptedAnswer::new(502).on_exactly("POST", "/auth/action"));
    let token = client
        .pats()
        .deactivate(&pat.token_id)
        .expect("the mutation was never sent, so it is tried again");
    assert!(!token.is_active);
    let requests = &sandbox.requests()[before..];
    let path = format!("/auth/pats/{}/deactivate", pat.token_id);
    assert_eq!(
        trail(requests),
        steps(&[
            ("POST", "/auth/action/init"), // 503
            ("POST", "/auth/action/init"),
            ("POST", "/auth/action"), // 502
            ("POST", "/auth/action/init"),
            ("POST", "/auth/action"),
            ("PUT", &path),
        ])
    );
    assert_all_fresh(requests);
}

#[test]
fn a_rate_limited_mutation_is_repeated_after_retry_after_zero() {
    let sandbox = start();
    let client = client(&sandbox);
    let pat = client
        .pats()
        .create(&new_pat(&sandbox, "ci"))
        .expect("created");
    sandbox.script(
        ScriptedAnswer::dfns_error(429, "Too many requests")
            .header("Retry-After", "0")
            .on("PUT", "/auth/pats/"),
    );
    let token = client
        .pats()
        .deactivate(&pat.token_id)
        .expect("a 429 did not run the mutation: it is repeated");
    assert!(!token.is_active);
    let puts: Vec<u16> = sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "PUT")
        .map(|r| r.status)
        .collect();
    assert_eq!(puts, [429, 200]);
    assert_all_fresh(&sandbox.requests());
}

#[test]
fn retry_after_is_waited_for() {
    let sandbox = start();
    let client = client(&sandbox);
    sandbox.script(ScriptedAnswer::dfns_error(429, "Too many requests").header("Retry-After", "1"));
    let started = Instant::now();
    client.pats().list().expect("the second attempt succeeds");
    // What Dfns asked for is a minimum (backoff alone would be milliseconds here).
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn retry_after_as_an_http_date_is_waited_for() {
    let sandbox = start();
    let client = client(&sandbox);
    // Two seconds ahead, at whole-second precision: a wait of more than one second.
    let at = SystemTime::now() + Duration::from_secs(2);
    sandbox.script(
        ScriptedAnswer::dfns_error(429, "Too many requests")
            .header("Retry-After", &support::http_date(at)),
    );
    let started = Instant::now();
    client.pats().list().expect("the second attempt succeeds");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // A date in the past means now.
    sandbox.script(
        ScriptedAnswer::dfns_error(429, "Too many requests")
            .header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
    );
    client.pats().list().expect("retried at once");
}

#[test]
fn a_retry_after_beyond_the_budget_ends_the_call_at_once() {
    let sandbox = start();
    let client = client_with(
        &sandbox,
        fast().with_max_total_wait(Duration::from_secs(2)),
        Duration::from_secs(5),
    );
    sandbox.script(ScriptedAnswer::dfns_error(429, "Too many requests").header("Retry-After", "5"));
    let started = Instant::now();
    let error = client
        .pats()
        .list()
        .expect_err("waiting 5 s is over the 2 s budget");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "it did not wait"
    );
    assert_eq!(error.retry_after(), Some(Duration::from_secs(5)));
    assert_eq!(error.attempts(), 1);
    assert_eq!(sandbox.requests().len(), 1);
}

#[test]
fn a_refused_connection_is_repeated_for_any_request() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        listener.local_addr().expect("local address").port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .auth_token("irrelevant")
        .proxy(None)
        .retry(fast())
        .build()
        .expect("the client builds");
    let error = client.pats().list().expect_err("nothing listens");
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert_eq!(
        error.attempts(),
        3,
        "never sent, so safe to repeat: {error}"
    );
    assert!(!error.outcome_unknown());
}

#[test]
fn a_read_that_times_out_is_repeated_a_mutation_is_not() {
    let sandbox = start();
    let client = client_with(
        &sandbox,
        fast().with_max_attempts(2),
        Duration::from_millis(300),
    );
    sandbox.script(ScriptedAnswer::new(200).never_answer());
    sandbox.script(ScriptedAnswer::new(200).never_answer());
    let error = client.pats().list().expect_err("never answered");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(error.attempts(), 2);
    assert!(!error.outcome_unknown());

    let quick = client_with(&sandbox, fast(), Duration::from_secs(5));
    let pat = quick
        .pats()
        .create(&new_pat(&sandbox, "ci"))
        .expect("created");
    sandbox.script(
        ScriptedAnswer::new(200)
            .never_answer()
            .on("DELETE", "/auth/pats/"),
    );
    let error = client
        .pats()
        .delete(&pat.token_id)
        .expect_err("the deletion's answer never comes");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(error.attempts(), 1);
    assert!(error.outcome_unknown());
}

#[test]
fn a_state_change_declared_idempotent_is_repeated_after_a_lost_answer() {
    let sandbox = start();
    let client = client(&sandbox);
    let pat = client
        .pats()
        .create(&new_pat(&sandbox, "ci"))
        .expect("created");
    let before = sandbox.requests().len();
    sandbox.script(ScriptedAnswer::new(502).on("PUT", "/auth/pats/"));
    let deactivated = client
        .pats()
        .deactivate(&pat.token_id)
        .expect("deactivating twice is deactivating once: repeated");
    assert!(!deactivated.is_active);
    let path = format!("/auth/pats/{}/deactivate", pat.token_id);
    assert_eq!(
        trail(&sandbox.requests()[before..]),
        steps(&[
            ("POST", "/auth/action/init"),
            ("POST", "/auth/action"),
            ("PUT", &path),
            ("POST", "/auth/action/init"),
            ("POST", "/auth/action"),
            ("PUT", &path),
        ]),
        "a new signature for the second attempt"
    );
}

#[test]
fn a_token_made_elsewhere_is_never_sent_twice() {
    let sandbox = start();
    let client = client(&sandbox);
    let pat = client
        .pats()
        .create(&new_pat(&sandbox, "ci"))
        .expect("created");
    let request = dfns_blocking::api::pats::deactivate(&pat.token_id).expect("a request");
    let challenge = client.user_action_challenge(&request).expect("challenge");
    let signer = sandbox
        .user(KeyAlgorithm::EcdsaP256)
        .signer()
        .expect("the sandbox key loads");
    let assertion =
        dfns_blocking::signing::CredentialSigner::sign(&signer, &challenge).expect("signed");
    let token = client
        .complete_user_action(&challenge, &assertion)
        .expect("token");
    sandbox.script(
        ScriptedAnswer::dfns_error(429, "Too many requests")
            .header("Retry-After", "0")
            .on("PUT", "/auth/pats/"),
    );
    let error = client
        .send_with_user_action(&request, &token)
        .expect_err("rate limited");
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert_eq!(error.attempts(), 1);
}

/// An empty `externalId` is no key: a keyed request carrying one is refused before anything
/// is sent (no challenge, no transfer), with a typed error.
#[test]
fn an_empty_external_id_is_refused_before_anything_is_sent() {
    use dfns_blocking::api::wallets::{CreateWallet, NativeTransfer, Network};
    let sandbox = start();
    let client = client_with(&sandbox, fast(), Duration::from_secs(5));
    let wallet = client
        .wallets()
        .create(&CreateWallet::new(Network::EthereumSepolia))
        .expect("a wallet");
    for empty in ["", " "] {
        let before = sandbox.requests().len();
        let error = client
            .wallets()
            .transfer(
                &wallet.id,
                &NativeTransfer::new("0xaa", "1").external_id(empty).into(),
            )
            .expect_err("an empty externalId is refused");
        assert!(
            matches!(&error, Error::InvalidInput { reason } if reason.contains("externalId")),
            "{error:?}"
        );
        assert_eq!(sandbox.requests().len(), before, "something was sent");
    }
    // A real id goes through.
    client
        .wallets()
        .transfer(
            &wallet.id,
            &NativeTransfer::new("0xaa", "1")
                .external_id("payout-1")
                .into(),
        )
        .expect("a keyed transfer");
}
