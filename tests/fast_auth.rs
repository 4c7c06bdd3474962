//! Fast Auth (experimental): a signed call in one request, against the sandbox, which verifies
//! the assertion on its own; local refusals with nothing sent; tampered headers built here by
//! hand and refused; a disabled org; the separate auth host of the three-step flow.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::signing::{
    CredentialAssertion, CredentialKind, CredentialSigner, FastAuthError, SignError,
    UserActionChallenge,
};
use dfns_blocking::{Client, Error, KeyAlgorithm, KeySigner, Method, Request, RetryPolicy};
use serde_json::{Value, json};

use crate::support::{Sandbox, SandboxExt as _, ScriptedAnswer, UserExt as _};

const ALGORITHMS: [KeyAlgorithm; 3] = [
    KeyAlgorithm::Ed25519,
    KeyAlgorithm::EcdsaP256,
    KeyAlgorithm::Rsa,
];

fn fast_client(sandbox: &Sandbox, algorithm: KeyAlgorithm) -> Client {
    sandbox
        .client_builder(algorithm)
        .unwrap()
        .fast_auth(true)
        .build()
        .unwrap()
}

/// A new personal access token of the ready user of `algorithm`; its id.
fn new_pat(client: &Client, sandbox: &Sandbox, name: &str) -> String {
    let key = sandbox.user(KeyAlgorithm::Ed25519).signer().unwrap();
    client
        .pats()
        .create(&CreatePersonalAccessToken::new(name, key.public_key().to_pem()).days_valid(30))
        .unwrap()
        .token_id
}

fn user_action_paths(sandbox: &Sandbox, from: usize) -> Vec<String> {
    sandbox.requests()[from..]
        .iter()
        .map(|r| format!("{} {}", r.method, r.path()))
        .collect()
}

#[test]
fn a_signed_call_is_one_request_for_every_key_type() {
    let sandbox = Sandbox::start().unwrap();
    for algorithm in ALGORITHMS {
        let client = fast_client(&sandbox, algorithm);
        let before = sandbox.requests().len();
        let id = new_pat(&client, &sandbox, &format!("fast {algorithm}"));
        let deactivated = client.pats().deactivate(&id).unwrap();
        assert!(!deactivated.is_active, "{algorithm}");
        let sent = sandbox.requests()[before..].to_vec();
        assert_eq!(
            user_action_paths(&sandbox, before),
            [
                "POST /auth/pats".to_owned(),
                format!("PUT /auth/pats/{id}/deactivate")
            ],
            "{algorithm}: one request per call, no /auth/action round trips"
        );
        for request in &sent {
            assert_eq!(request.status, 200, "{algorithm}");
            let header = request.header("x-dfns-useraction").unwrap();
            assert!(!header.contains('.'), "a Fast Auth assertion, not a token");
            let assertion: Value =
                serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
            assert_eq!(assertion["kind"], "Key");
            assert_eq!(
                assertion["credentialAssertion"]["credId"],
                sandbox.user(algorithm).credential_id
            );
        }
        // The two calls' challenges differ (new nonce, new timestamp at least by the nonce).
        assert_ne!(
            sent[0].header("x-dfns-useraction"),
            sent[1].header("x-dfns-useraction")
        );
    }
    let stats = sandbox.stats();
    assert_eq!(stats.fast_auth_accepted, 6);
    assert_eq!(stats.fast_auth_refused, 0);
    assert_eq!(
        stats.signatures_verified, 0,
        "no three-step signature at all"
    );
}

#[test]
fn off_by_default_and_off_for_one_call_the_three_steps_are_unchanged() {
    let sandbox = Sandbox::start().unwrap();
    let plain = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    assert!(!plain.fast_auth());
    let before = sandbox.requests().len();
    let id = new_pat(&plain, &sandbox, "three steps");
    assert_eq!(
        user_action_paths(&sandbox, before),
        [
            "POST /auth/action/init",
            "POST /auth/action",
            "POST /auth/pats"
        ]
    );

    let fast = fast_client(&sandbox, KeyAlgorithm::EcdsaP256);
    let before = sandbox.requests().len();
    fast.with_fast_auth(false).pats().deactivate(&id).unwrap();
    assert_eq!(user_action_paths(&sandbox, before).len(), 3);
    // A hand-built signed request takes the client's setting too.
    let request = Request::<Value>::new(Method::Put, "/auth/pats/{}/activate", &[&id])
        .unwrap()
        .signed();
    let before = sandbox.requests().len();
    fast.send(&request).unwrap();
    assert_eq!(
        user_action_paths(&sandbox, before),
        [format!("PUT /auth/pats/{id}/activate")]
    );
    assert_eq!(sandbox.stats().signatures_verified, 2);
    assert_eq!(sandbox.stats().fast_auth_accepted, 1);
}

/// A signer whose credential is a passkey: it cannot make a `Key` assertion.
struct Passkey;

impl CredentialSigner for Passkey {
    fn credential_id(&self) -> &str {
        "cr-passkey"
    }
    fn credential_kind(&self) -> CredentialKind {
        CredentialKind::Fido2
    }
    fn sign(&self, _: &UserActionChallenge) -> Result<CredentialAssertion, SignError> {
        Err(SignError::new("a passkey signs in a browser"))
    }
}

/// A JWT-shaped token whose payload is `payload`.
fn token_with(payload: &Value) -> String {
    format!(
        "eyJhbGciOiJSUzI1NiJ9.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(payload.to_string())
    )
}

#[test]
fn each_local_refusal_sends_nothing() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::Ed25519);
    let key = || user.signer().unwrap();
    let base = || {
        Client::builder()
            .base_url(sandbox.url())
            .fast_auth(true)
            .retry(RetryPolicy::none())
    };
    let claim = "https://custom/app_metadata";
    type Expected = fn(&Error) -> bool;
    let cases: Vec<(&str, Client, Expected)> = vec![
        (
            "a passkey signer",
            base()
                .auth_token(&user.auth_token)
                .signer(Passkey)
                .build()
                .unwrap(),
            |e| {
                matches!(
                    e,
                    Error::FastAuth(FastAuthError::NotAKeyCredential {
                        kind: CredentialKind::Fido2
                    })
                )
            },
        ),
        (
            "no bearer token",
            base().signer(key()).build().unwrap(),
            |e| matches!(e, Error::FastAuth(FastAuthError::NoBearerToken)),
        ),
        (
            "a token that is not a JWT",
            base().auth_token("opaque").signer(key()).build().unwrap(),
            |e| matches!(e, Error::FastAuth(FastAuthError::NotAJwt)),
        ),
        (
            "a token with no scope",
            base()
                .auth_token(token_with(&json!({ "sub": "us-1" })))
                .signer(key())
                .build()
                .unwrap(),
            |e| matches!(e, Error::FastAuth(FastAuthError::MissingScope)),
        ),
        (
            "a token scoped to an org and a tenant",
            base()
                .auth_token(token_with(
                    &json!({ claim: { "orgId": "or-1", "tenantId": "te-1" } }),
                ))
                .signer(key())
                .build()
                .unwrap(),
            |e| matches!(e, Error::FastAuth(FastAuthError::AmbiguousScope)),
        ),
        (
            "an org id that is not an id",
            base()
                .auth_token(token_with(&json!({ claim: { "orgId": "or 1/.." } })))
                .signer(key())
                .build()
                .unwrap(),
            |e| matches!(e, Error::FastAuth(FastAuthError::InvalidScopeId)),
        ),
        (
            "another org than the configured one",
            base()
                .auth_token(&user.auth_token)
                .org_id("or-someone-else")
                .signer(key())
                .build()
                .unwrap(),
            |e| matches!(e, Error::FastAuth(FastAuthError::OrgMismatch { .. })),
        ),
    ];
    for (case, client, expected) in cases {
        let before = sandbox.requests().len();
        let error = client.pats().deactivate("to-1").unwrap_err();
        assert!(expected(&error), "{case}: {error:?}");
        assert!(!error.to_string().contains(&user.auth_token), "{case}");
        assert_eq!(sandbox.requests().len(), before, "{case}: nothing sent");
    }
    // A request's own bearer token is the one read: a good client token does not help.
    let client = base()
        .auth_token(&user.auth_token)
        .signer(key())
        .build()
        .unwrap();
    let request = Request::<Value>::new(Method::Put, "/auth/pats/{}/deactivate", &["to-1"])
        .unwrap()
        .signed()
        .bearer_token("opaque")
        .unwrap();
    let before = sandbox.requests().len();
    let error = client.send(&request).unwrap_err();
    assert!(
        matches!(error, Error::FastAuth(FastAuthError::NotAJwt)),
        "{error:?}"
    );
    assert_eq!(sandbox.requests().len(), before);
    // The configured org, when it is the token's, passes.
    let org = client_org(&sandbox);
    let client = base()
        .auth_token(&user.auth_token)
        .org_id(org)
        .signer(key())
        .build()
        .unwrap();
    let id = new_pat(&client, &sandbox, "same org");
    client.pats().deactivate(&id).unwrap();
}

/// The sandbox's org id, as its tokens carry it.
fn client_org(sandbox: &Sandbox) -> String {
    let token = &sandbox.user(KeyAlgorithm::Ed25519).auth_token;
    let payload = token.split('.').nth(1).unwrap();
    let payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    payload["https://custom/app_metadata"]["orgId"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The parts of a Fast Auth challenge, to tamper with one at a time.
#[derive(Clone)]
struct Challenge {
    timestamp: u128,
    nonce: [u8; 16],
    host: String,
    method: &'static str,
    path: String,
    body: Vec<u8>,
    org_id: String,
}

impl Challenge {
    fn now(org_id: String, path: String, body: &[u8], nonce: u8) -> Self {
        Self {
            timestamp: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_millis(),
            nonce: [nonce; 16],
            host: "127.0.0.1".into(),
            method: "PUT",
            path,
            body: body.to_vec(),
            org_id,
        }
    }

    /// The `X-DFNS-USERACTION` header, signed by `key`, written here independently of the
    /// client's code.
    fn header(&self, key: &KeySigner) -> String {
        let hash = ring::digest::digest(&ring::digest::SHA256, &self.body);
        let challenge = format!(
            r#"{{"timestamp":"{}","nonce":"{}","host":"{}","method":"{}","path":"{}","payloadHash":"{}","orgId":"{}"}}"#,
            self.timestamp,
            URL_SAFE_NO_PAD.encode(self.nonce),
            self.host,
            self.method,
            self.path,
            URL_SAFE_NO_PAD.encode(hash),
            self.org_id,
        );
        let client_data = format!(
            r#"{{"type":"key.get","challenge":"{}"}}"#,
            URL_SAFE_NO_PAD.encode(challenge)
        );
        let signature = key.sign(client_data.as_bytes()).unwrap();
        let assertion = json!({
            "kind": "Key",
            "credentialAssertion": {
                "credId": key.credential_id(),
                "clientData": URL_SAFE_NO_PAD.encode(&client_data),
                "signature": URL_SAFE_NO_PAD.encode(signature),
            }
        });
        URL_SAFE_NO_PAD.encode(assertion.to_string())
    }
}

/// Sends `PUT target` with `body` and the Fast Auth `header` as raw HTTP/1.1; the status and
/// body of the answer.
fn raw_put(
    sandbox: &Sandbox,
    token: &str,
    target: &str,
    body: &[u8],
    header: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(sandbox.url().trim_start_matches("http://")).unwrap();
    let head = format!(
        "PUT {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: fast-auth-test\r\n\
         Authorization: Bearer {token}\r\nX-DFNS-NONCE: {nonce}\r\nX-DFNS-USERACTION: {header}\r\n\
         Content-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n",
        host = sandbox.url().trim_start_matches("http://"),
        nonce = dfns_sandbox::nonce(),
        len = body.len(),
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn tampered_headers_are_refused_by_the_sandbox() {
    let sandbox = Sandbox::start().unwrap();
    for (round, algorithm) in (0u8..).zip(ALGORITHMS) {
        let user = sandbox.user(algorithm);
        let key = user.signer().unwrap();
        let id = new_pat(&sandbox.client(algorithm).unwrap(), &sandbox, "target");
        let path = format!("/auth/pats/{id}/deactivate");
        let target = format!("{path}?reason=rotation&b=%2f");
        let body = br#"{}"#;
        let org = client_org(&sandbox);
        // The sandbox keeps one set of nonces: each round its own.
        let good = Challenge::now(org, target.clone(), body, 2 * round);
        let send = |challenge: &Challenge, target: &str, body: &[u8]| {
            raw_put(
                &sandbox,
                &user.auth_token,
                target,
                body,
                &challenge.header(&key),
            )
        };
        let refused = |what: &str, (status, answer): (u16, String)| {
            assert_eq!(status, 403, "{algorithm} {what}: {answer}");
            assert!(
                answer.contains("user action signature is missing or invalid"),
                "{algorithm} {what}: {answer}"
            );
        };
        let tampered = |change: fn(&mut Challenge)| {
            let mut challenge = good.clone();
            change(&mut challenge);
            challenge
        };
        refused(
            "host",
            send(&tampered(|c| c.host = "api.dfns.io".into()), &target, body),
        );
        refused(
            "method",
            send(&tampered(|c| c.method = "POST"), &target, body),
        );
        refused(
            "path",
            send(
                &good,
                &format!("/auth/pats/{id}/activate?reason=rotation&b=%2f"),
                body,
            ),
        );
        refused(
            "query",
            send(&good, &format!("{path}?reason=rotation&b=%2F"), body),
        );
        refused("no query", send(&good, &path, body));
        refused("body", send(&good, &target, br#"{ }"#));
        let stale = |ms: i64| {
            let mut challenge = good.clone();
            challenge.timestamp = (challenge.timestamp as i64 + ms) as u128;
            challenge
        };
        refused("an old timestamp", send(&stale(-6_000), &target, body));
        refused("a future timestamp", send(&stale(6_000), &target, body));
        let mut forged = good.clone();
        forged.org_id = "or-elsewhere".into();
        refused("another org", send(&forged, &target, body));
        // Another user's key signing this user's call.
        let other = sandbox
            .user(if algorithm == KeyAlgorithm::Ed25519 {
                KeyAlgorithm::Rsa
            } else {
                KeyAlgorithm::Ed25519
            })
            .signer()
            .unwrap();
        let (status, answer) = raw_put(
            &sandbox,
            &user.auth_token,
            &target,
            body,
            &good.header(&other),
        );
        refused("another user's key", (status, answer));

        // None of the refusals burnt the nonce: the untampered header passes, once.
        let header = good.header(&key);
        let (status, answer) = raw_put(&sandbox, &user.auth_token, &target, body, &header);
        assert_eq!(status, 200, "{algorithm}: {answer}");
        let (status, answer) = raw_put(&sandbox, &user.auth_token, &target, body, &header);
        assert_eq!(status, 400, "{algorithm} replay: {answer}");
        assert!(
            answer.contains("user action has already been used"),
            "{answer}"
        );
        // A new nonce for the same request passes again (deactivating twice is idempotent).
        let mut again = good.clone();
        again.nonce = [2 * round + 1; 16];
        assert_eq!(send(&again, &target, body).0, 200, "{algorithm}");
    }
    let stats = sandbox.stats();
    assert_eq!(stats.fast_auth_accepted, 6);
    assert_eq!(stats.fast_auth_refused, 3 * 11);
}

#[test]
fn a_disabled_org_answers_403_once_with_no_fallback() {
    let sandbox = Sandbox::start().unwrap();
    sandbox.set_fast_auth(false);
    let client = fast_client(&sandbox, KeyAlgorithm::Ed25519);
    let before = sandbox.requests().len();
    // An idempotent call: a 403 is not retried, and never through the three-step flow.
    let error = client.pats().deactivate("to-1").unwrap_err();
    let Error::PermissionDenied(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.message(), "Fast Auth disabled");
    // The refusal's `details` sit beside `message`, not inside `error`: read either way.
    assert_eq!(
        api.details().and_then(|details| details["kind"].as_str()),
        Some("FastAuthDisabled"),
        "{}",
        api.body()
    );
    let sent = sandbox.requests()[before..].to_vec();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].status, 403);
    // The three steps still work for the org.
    let id = new_pat(&client.with_fast_auth(false), &sandbox, "three steps");
    assert!(id.starts_with("to-"));
    sandbox.set_fast_auth(true);
    client.pats().deactivate(&id).unwrap();
}

#[test]
fn a_retried_call_signs_a_new_challenge_and_a_202_is_pending() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .unwrap()
        .fast_auth(true)
        .retry(RetryPolicy::default().with_base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let id = new_pat(&client, &sandbox, "retried");
    sandbox.script(ScriptedAnswer::dfns_error(503, "Service Unavailable").on("PUT", "/auth/pats/"));
    let before = sandbox.requests().len();
    client.pats().deactivate(&id).unwrap();
    let sent = sandbox.requests()[before..].to_vec();
    assert_eq!(
        sent.iter().map(|r| r.status).collect::<Vec<_>>(),
        [503, 200],
        "one retry, no /auth/action"
    );
    assert_ne!(
        sent[0].header("x-dfns-useraction"),
        sent[1].header("x-dfns-useraction"),
        "each attempt its own challenge"
    );

    // A change queued for approval is pending, after one request.
    sandbox.script(
        ScriptedAnswer::json(
            202,
            &json!({
                "id": "cr-2pnp4-qc3ud-95q8ebjq3ft3kvlm", "kind": "Pat",
                "operationKind": "Update", "status": "Pending", "requester": { "userId": "us-1" },
                "entityId": id, "approvalId": "ap-1", "dateCreated": "2024-01-01T00:00:00.000Z",
                "body": {}
            }),
        )
        .on("PUT", "/auth/pats/"),
    );
    let before = sandbox.requests().len();
    let error = client.pats().deactivate(&id).unwrap_err();
    assert!(
        matches!(error, Error::PolicyApprovalPending(_)),
        "{error:?}"
    );
    assert_eq!(sandbox.requests().len(), before + 1);
}

/// A gateway on loopback in front of the sandbox for the user action steps: it records what
/// reaches it and forwards `/gateway/...` to the sandbox as `/...`.
fn gateway(sandbox: &Sandbox) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/gateway", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let upstream = sandbox.url().trim_start_matches("http://").to_owned();
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let mut reader = BufReader::new(stream);
            let mut head = Vec::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(value) = lower.strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                if !lower.starts_with("connection:") && !lower.starts_with("host:") {
                    head.push(line);
                }
            }
            if head.is_empty() {
                continue;
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let request_line = head.remove(0);
            let mut words = request_line.split(' ');
            let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            log.lock().unwrap().push(format!("{method} {target}"));
            let forwarded = target.strip_prefix("/gateway").unwrap_or(target);
            let Ok(mut up) = TcpStream::connect(&upstream) else {
                return;
            };
            let mut out = format!("{method} {forwarded} HTTP/1.1\r\nHost: {upstream}\r\n");
            out.extend(head);
            out.push_str("Connection: close\r\n\r\n");
            let mut answer = Vec::new();
            let _ = up.write_all(out.as_bytes());
            let _ = up.write_all(&body);
            let _ = up.read_to_end(&mut answer);
            let _ = reader.get_mut().write_all(&answer);
        }
    });
    (url, seen)
}

#[test]
fn the_signing_steps_go_to_the_auth_host_and_the_call_to_the_api() {
    let sandbox = Sandbox::start().unwrap();
    let (auth_url, seen) = gateway(&sandbox);
    let client = sandbox
        .client_builder(KeyAlgorithm::Rsa)
        .unwrap()
        .auth_base_url(format!("{auth_url}/"))
        .build()
        .unwrap();
    assert_eq!(client.auth_base_url(), auth_url);
    let before = sandbox.requests().len();
    let id = new_pat(&client, &sandbox, "through the gateway");
    client.pats().deactivate(&id).unwrap();
    // The steps reached the gateway with its prefix, the calls went straight to the API.
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "POST /gateway/auth/action/init",
            "POST /gateway/auth/action",
            "POST /gateway/auth/action/init",
            "POST /gateway/auth/action",
        ]
    );
    assert_eq!(user_action_paths(&sandbox, before).len(), 6);
    // The signed path is the API's, without the gateway's prefix: the sandbox checked it.
    let init: Value = serde_json::from_slice(&sandbox.requests()[before].body).unwrap();
    assert_eq!(init["userActionHttpPath"], "/auth/pats");
    assert_eq!(sandbox.stats().signatures_verified, 2);

    // Fast Auth has no signing steps: nothing goes to the auth host.
    let fast = client.with_fast_auth(true);
    let id = new_pat(&fast, &sandbox, "fast");
    fast.pats().deactivate(&id).unwrap();
    assert_eq!(seen.lock().unwrap().len(), 4);

    // The auth URL is validated as the base URL is, and DFNS_AUTH_URL sets it.
    for bad in ["http://example.com", "https://h/?q", "auth.example.com"] {
        let error = Client::builder().auth_base_url(bad).build().unwrap_err();
        assert!(
            error.to_string().contains("auth base URL"),
            "{bad}: {error}"
        );
    }
    let env = sandbox.env(dfns_sandbox::Algorithm::Rsa);
    let from_env = dfns_blocking::ClientBuilder::from_vars(|name| match name {
        "DFNS_AUTH_URL" => Some(auth_url.clone()),
        other => env.get(other),
    })
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(from_env.auth_base_url(), auth_url);
    let error = dfns_blocking::ClientBuilder::from_vars(|name| match name {
        "DFNS_AUTH_URL" => Some("ftp://x".into()),
        other => env.get(other),
    })
    .unwrap_err();
    assert!(error.to_string().contains("DFNS_AUTH_URL"), "{error}");
}
