//! What goes over the wire: the Dfns headers on every request, and the byte equality of what
//! a user action signs and what is sent.

use std::collections::HashSet;
use std::sync::Arc;
use std::thread;

use crate::support::SandboxExt as _;
use crate::support::{RecordedRequest, Sandbox};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dfns_blocking::api::pats::{CreatePersonalAccessToken, UpdatePersonalAccessToken};
use dfns_blocking::signing::key_client_data;
use dfns_blocking::{Client, KeyAlgorithm};
use serde_json::Value;

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

/// Runs one signed create and one unsigned get; returns the five requests.
fn signed_and_unsigned_calls(sandbox: &Sandbox, client: &Client) -> Vec<RecordedRequest> {
    let pem = sandbox.user(KeyAlgorithm::EcdsaP256).public_key.to_pem();
    let created = client
        .pats()
        .create(&CreatePersonalAccessToken::new(
            "wire \"quoted\" ünïcode",
            pem,
        ))
        .unwrap();
    client.pats().get(&created.token_id).unwrap();
    sandbox.requests()
}

#[test]
fn every_request_carries_the_dfns_headers() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::Ed25519);
    let client = sandbox
        .client_builder(KeyAlgorithm::Ed25519)
        .unwrap()
        .app_id("ap-2vemp-hl3c9-9j1rgcf9quurph")
        .app_secret("app-secret-value")
        .user_agent_suffix("wire-test/1")
        .build()
        .unwrap();
    let requests = signed_and_unsigned_calls(&sandbox, &client);
    let routes: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(
        routes[..4],
        [
            ("POST", "/auth/action/init"),
            ("POST", "/auth/action"),
            ("POST", "/auth/pats"),
            ("GET", routes[3].1)
        ]
    );
    let expected_agent = format!("dfns-blocking/{} wire-test/1", env!("CARGO_PKG_VERSION"));
    for request in &requests {
        let what = format!("{} {}", request.method, request.target);
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {}", user.auth_token).as_str()),
            "{what}"
        );
        assert_eq!(
            request.header("user-agent"),
            Some(expected_agent.as_str()),
            "{what}"
        );
        assert_eq!(
            request.header("x-dfns-appid"),
            Some("ap-2vemp-hl3c9-9j1rgcf9quurph"),
            "{what}"
        );
        assert_eq!(
            request.header("x-dfns-appsecret"),
            Some("app-secret-value"),
            "{what}"
        );
        assert!(request.header("x-dfns-nonce").is_some(), "{what}");
        let has_body = !request.body.is_empty();
        assert_eq!(request.header("content-type").is_some(), has_body, "{what}");
        if has_body {
            assert_eq!(
                request.header("content-type"),
                Some("application/json"),
                "{what}"
            );
        }
        let signed = request.target == "/auth/pats" && request.method == "POST";
        assert_eq!(
            request.header("x-dfns-useraction").is_some(),
            signed,
            "{what}"
        );
    }
}

#[test]
fn optional_headers_are_absent_unless_configured() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    for request in signed_and_unsigned_calls(&sandbox, &client) {
        assert_eq!(request.header("x-dfns-appid"), None);
        assert_eq!(request.header("x-dfns-appsecret"), None);
        assert_eq!(
            request.header("user-agent"),
            Some(concat!("dfns-blocking/", env!("CARGO_PKG_VERSION")))
        );
    }
}

#[test]
fn nonces_are_well_formed_and_never_repeat_across_threads() {
    let sandbox = Sandbox::start().unwrap();
    let client = Arc::new(sandbox.client(KeyAlgorithm::EcdsaP256).unwrap());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let client = Arc::clone(&client);
            thread::spawn(move || {
                for _ in 0..25 {
                    client.pats().list().unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 100);
    let mut seen = HashSet::new();
    for request in &requests {
        let nonce = request.header("x-dfns-nonce").unwrap();
        assert!(!nonce.contains('='), "no padding");
        let decoded = URL_SAFE_NO_PAD.decode(nonce).unwrap();
        let text = String::from_utf8(decoded).unwrap();
        assert!(text.starts_with(r#"{"uuid":""#), "{text}");
        let value: Value = serde_json::from_str(&text).unwrap();
        let uuid = value["uuid"].as_str().unwrap();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4", "a version 4 uuid");
        let date = value["date"].as_str().unwrap();
        assert_eq!(date.len(), 24);
        assert!(
            date.ends_with('Z') && &date[10..11] == "T" && &date[19..20] == ".",
            "{date}"
        );
        assert_eq!(value.as_object().unwrap().len(), 2);
        assert!(seen.insert(nonce.to_owned()), "nonce repeated: {nonce}");
    }
    assert_eq!(sandbox.stats().nonces_accepted, 100);
    assert_eq!(sandbox.stats().nonces_reused, 0);
}

#[test]
fn the_signed_payload_is_byte_for_byte_the_body_sent() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Rsa).unwrap();
    let pem = sandbox.user(KeyAlgorithm::Ed25519).public_key.to_pem();
    let created = client
        .pats()
        .create(&CreatePersonalAccessToken::new("bytes \u{1F511} \"\\", pem))
        .unwrap();
    client
        .pats()
        .update(
            &created.token_id,
            &UpdatePersonalAccessToken::new().name("línea\nnueva"),
        )
        .unwrap();
    client.pats().deactivate(&created.token_id).unwrap();

    let requests = sandbox.requests();
    let inits: Vec<&RecordedRequest> = requests
        .iter()
        .filter(|r| r.target == "/auth/action/init")
        .collect();
    let sent: Vec<&RecordedRequest> = requests
        .iter()
        .filter(|r| r.header("x-dfns-useraction").is_some())
        .collect();
    assert_eq!(inits.len(), 3);
    assert_eq!(sent.len(), 3);
    for (init, request) in inits.iter().zip(&sent) {
        let init_body = json(&init.body);
        assert_eq!(
            init_body.as_object().unwrap().keys().collect::<Vec<_>>(),
            [
                "userActionHttpMethod",
                "userActionHttpPath",
                "userActionPayload",
                "userActionServerKind"
            ]
        );
        assert_eq!(
            init_body["userActionPayload"].as_str().unwrap().as_bytes(),
            request.body.as_slice()
        );
        assert_eq!(init_body["userActionHttpMethod"], request.method.as_str());
        assert_eq!(init_body["userActionHttpPath"], request.path());
        assert_eq!(init_body["userActionServerKind"], "Api");
    }
    // A mutation without a body sends, and signs, exactly `{}`.
    assert_eq!(sent[2].body, b"{}");
    assert_eq!(
        sent[2].target,
        format!("/auth/pats/{}/deactivate", created.token_id)
    );
}

#[test]
fn the_client_data_is_exactly_the_official_form_over_the_served_challenge() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::EcdsaP256);
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let created = client
        .pats()
        .create(&CreatePersonalAccessToken::new(
            "cd",
            user.public_key.to_pem(),
        ))
        .unwrap();
    client.pats().delete(&created.token_id).unwrap();
    let requests = sandbox.requests();
    let challenges: Vec<Value> = requests
        .iter()
        .filter(|r| r.target == "/auth/action/init")
        .map(|r| json(&r.response_body))
        .collect();
    let assertions: Vec<Value> = requests
        .iter()
        .filter(|r| r.target == "/auth/action")
        .map(|r| json(&r.body))
        .collect();
    assert_eq!(challenges.len(), 2);
    for (challenge, assertion) in challenges.iter().zip(&assertions) {
        assert_eq!(
            assertion["challengeIdentifier"],
            challenge["challengeIdentifier"]
        );
        let factor = &assertion["firstFactor"];
        assert_eq!(factor["kind"], "Key");
        let credential = factor["credentialAssertion"].as_object().unwrap();
        assert_eq!(
            credential.keys().collect::<Vec<_>>(),
            ["clientData", "credId", "signature"]
        );
        assert_eq!(credential["credId"], user.credential_id.as_str());
        let client_data = URL_SAFE_NO_PAD
            .decode(credential["clientData"].as_str().unwrap())
            .unwrap();
        let expected = key_client_data(challenge["challenge"].as_str().unwrap());
        assert_eq!(client_data, expected.as_bytes());
        assert_eq!(
            String::from_utf8(client_data).unwrap(),
            format!(
                r#"{{"type":"key.get","challenge":"{}"}}"#,
                challenge["challenge"].as_str().unwrap()
            )
        );
        let signature = URL_SAFE_NO_PAD
            .decode(credential["signature"].as_str().unwrap())
            .unwrap();
        assert_eq!(signature[0], 0x30, "ECDSA signatures are DER");
        assert!(
            !credential["signature"]
                .as_str()
                .unwrap()
                .contains(['=', '+', '/'])
        );
    }
}

#[test]
fn the_three_requests_of_a_signed_call_share_one_connection() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let pem = sandbox.user(KeyAlgorithm::Ed25519).public_key.to_pem();
    let created = client
        .pats()
        .create(&CreatePersonalAccessToken::new("c", pem))
        .unwrap();
    for _ in 0..5 {
        client.pats().deactivate(&created.token_id).unwrap();
    }
    assert_eq!(sandbox.stats().requests, 18);
    assert_eq!(sandbox.stats().connections, 1);
}

#[test]
fn a_request_debug_shows_query_names_never_their_values() {
    let request = dfns_blocking::Request::<Value>::fixed(dfns_blocking::Method::Get, "/wallets")
        .unwrap()
        .query("limit", "5")
        .query("paginationToken", "secret-page-token-9f2");
    let debug = format!("{request:?}");
    assert!(!debug.contains("secret-page-token-9f2"), "{debug}");
    assert!(!debug.contains("=5"), "{debug}");
    assert!(debug.contains("?limit&paginationToken"), "{debug}");
}
