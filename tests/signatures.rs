//! The keys domain against the sandbox: keys and their signature requests, every signature
//! kind, `externalId` replays and conflicts, and waiting for a final status.

use std::time::Duration;

use crate::support::SandboxExt as _;
use crate::support::{Sandbox, ScriptedAnswer};
use dfns_blocking::api::keys::{
    Cip8Payload, CreateKey, Eip712Domain, HashPayload, Key, KeyCurve, KeyScheme, KeyStatus,
    ListKeys, Signature, SignatureRequest, SignatureStatus, UpdateKey,
};
use dfns_blocking::api::networks::Network;
use dfns_blocking::api::signers::KeyStoreKind;
use dfns_blocking::wait::Wait;
use dfns_blocking::{Client, Error, KeyAlgorithm, RetryPolicy, WaitEnd};
use serde_json::{Map, json};

fn setup() -> (Sandbox, Client) {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    (sandbox, client)
}

fn ecdsa_key(client: &Client) -> Key {
    client
        .keys()
        .create(&CreateKey::new(KeyScheme::Ecdsa, KeyCurve::Secp256k1))
        .unwrap()
}

fn hash() -> String {
    format!("0x{}", "5a".repeat(32))
}

/// Polls every millisecond for a second at most.
fn quick() -> Wait {
    Wait::new()
        .timeout(Duration::from_secs(1))
        .initial_interval(Duration::from_millis(1))
        .max_interval(Duration::from_millis(5))
}

fn seed_signature(sandbox: &Sandbox, key_id: &str, record: serde_json::Value) -> String {
    let mut record = record;
    record["keyId"] = json!(key_id);
    record["requestBody"] = json!({ "kind": "Hash", "hash": hash() });
    record["dateRequested"] = json!("2026-01-01T00:00:00.000Z");
    let seeded = sandbox
        .seed(&format!("/keys/{key_id}/signatures"), record)
        .unwrap();
    seeded["id"].as_str().unwrap().to_owned()
}

#[test]
fn a_key_is_created_in_the_primary_store_listed_renamed_and_deleted() {
    let (_sandbox, client) = setup();
    let key = client
        .keys()
        .create(&CreateKey::new(KeyScheme::EdDsa, KeyCurve::Ed25519).name("cold"))
        .unwrap();
    assert!(key.id.starts_with("key-"), "{key:?}");
    assert_eq!(key.status, KeyStatus::Active);
    assert_eq!(key.public_key.len(), 64);
    assert!(key.custodial);
    let stores = client.signers().list_key_stores().unwrap();
    let primary = stores.iter().find(|store| store.primary).unwrap();
    assert_eq!(primary.kind, KeyStoreKind::Mpc);
    assert_eq!(
        key.store.as_ref().map(|store| store.id.as_str()),
        Some(primary.id.as_str())
    );

    let renamed = client
        .keys()
        .update(&key.id, &UpdateKey::name("warm"))
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("warm"));
    let unnamed = client
        .keys()
        .update(&key.id, &UpdateKey::no_name())
        .unwrap();
    assert_eq!(unnamed.name, None);
    let listed: Vec<Key> = client
        .keys()
        .iter(&ListKeys::new().limit(1))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(listed.len(), 1);

    let deleted = client.keys().delete(&key.id).unwrap();
    assert_eq!(deleted.status, KeyStatus::Archived);
    assert!(matches!(
        client.keys().get(&key.id),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn an_unsupported_scheme_and_curve_is_a_bad_request() {
    let (_sandbox, client) = setup();
    let refused = client
        .keys()
        .create(&CreateKey::new(KeyScheme::EdDsa, KeyCurve::Secp256k1));
    assert!(matches!(refused, Err(Error::BadRequest(_))), "{refused:?}");
}

#[test]
fn every_signature_kind_goes_from_pending_to_signed_by_the_sandbox_clock() {
    let (sandbox, client) = setup();
    let key = ecdsa_key(&client);
    let types = Map::from_iter([(
        "Mail".to_owned(),
        json!([{ "name": "contents", "type": "string" }]),
    )]);
    let message = Map::from_iter([("contents".to_owned(), json!("hello"))]);
    let requests: Vec<SignatureRequest> = vec![
        SignatureRequest::hash(hash()).network(Network::Ethereum),
        HashPayload::new(hash()).taproot_merkle_root("").into(),
        SignatureRequest::message("0x68656c6c6f"),
        SignatureRequest::eip7702("0x000000000000000000000000000000000000dead", 1, 7),
        SignatureRequest::transaction("0x02f86b0180843b9aca00"),
        SignatureRequest::eip712(
            types,
            Eip712Domain::new().name("Mail").chain_id(1u64),
            message,
        ),
        SignatureRequest::psbt("0x70736274ff"),
        SignatureRequest::bip322("0x68656c6c6f"),
        SignatureRequest::pact_command(r#"{"payload":{}}"#),
        SignatureRequest::sign_doc_direct("0x0a0b"),
        SignatureRequest::signer_payload(json!({ "method": "0x0500" })),
        Cip8Payload::new()
            .payload("0x01")
            .external_aad("0x02")
            .into(),
    ];
    let mut pending = Vec::new();
    for request in &requests {
        let signature = client.keys().generate_signature(&key.id, request).unwrap();
        assert_eq!(signature.status, SignatureStatus::Pending, "{signature:?}");
        assert!(signature.signature.is_none());
        // The request comes back as it was sent, typed.
        assert_eq!(signature.request_body, *request);
        pending.push(signature);
    }
    sandbox.advance_clock(Duration::from_secs(3));
    for signature in pending {
        let signed = client
            .keys()
            .wait_for_signature(&key.id, &signature.id, &quick())
            .unwrap();
        assert_eq!(signed.status, SignatureStatus::Signed);
        let components = signed.signature.unwrap();
        assert_eq!(components.r.len(), 66);
        assert!(signed.date_signed.is_some());
    }
    let listed = client
        .keys()
        .iter_signatures(&key.id, &Default::default())
        .unwrap()
        .count();
    assert_eq!(listed, requests.len());
}

#[test]
fn waiting_polls_until_the_clock_brings_the_signature() {
    let (sandbox, client) = setup();
    let key = ecdsa_key(&client);
    let pending = client
        .keys()
        .generate_signature(&key.id, &SignatureRequest::hash(hash()))
        .unwrap();
    let waited = std::thread::scope(|scope| {
        let waiter = scope.spawn(|| {
            client.keys().wait_for_signature(
                &key.id,
                &pending.id,
                &Wait::new()
                    .timeout(Duration::from_secs(120))
                    .initial_interval(Duration::from_millis(2)),
            )
        });
        // The waiter reads Pending until this moves the clock past both transitions.
        sandbox.advance_clock(Duration::from_secs(3));
        waiter.join().unwrap()
    });
    assert_eq!(waited.unwrap().status, SignatureStatus::Signed);
}

#[test]
fn waiting_ends_with_the_final_record_for_each_final_status() {
    let (sandbox, client) = setup();
    let key = ecdsa_key(&client);
    let confirmed = seed_signature(
        &sandbox,
        &key.id,
        json!({ "status": "Confirmed", "txHash": "0x1" }),
    );
    let signature = client
        .keys()
        .wait_for_signature(&key.id, &confirmed, &quick())
        .unwrap();
    assert_eq!(signature.status, SignatureStatus::Confirmed);

    let failed = seed_signature(
        &sandbox,
        &key.id,
        json!({ "status": "Failed", "reason": "signer unavailable" }),
    );
    match client.keys().wait_for_signature(&key.id, &failed, &quick()) {
        Err(Error::WaitFailed {
            reason: WaitEnd::Failed,
            last,
            ..
        }) => {
            assert_eq!(last.json()["id"], failed.as_str());
            assert_eq!(last.json()["reason"], "signer unavailable");
        }
        other => panic!("{other:?}"),
    }

    let rejected = seed_signature(
        &sandbox,
        &key.id,
        json!({ "status": "Rejected", "approvalId": "ap-1", "reason": "denied" }),
    );
    let error = client
        .keys()
        .wait_for_signature(&key.id, &rejected, &quick())
        .unwrap_err();
    match &error {
        Error::WaitFailed {
            reason: WaitEnd::Rejected,
            status,
            last,
        } => {
            assert_eq!(status, "Rejected");
            assert_eq!(last.json()["approvalId"], "ap-1");
            assert_eq!(last.json()["reason"], "denied");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn waiting_past_the_deadline_carries_the_last_record() {
    let (sandbox, client) = setup();
    let key = ecdsa_key(&client);
    let pending = client
        .keys()
        .generate_signature(&key.id, &SignatureRequest::hash(hash()))
        .unwrap();
    // With the clock an hour back the request stays Pending whatever the real time does.
    sandbox.set_clock(sandbox.now() - Duration::from_secs(3600));
    let options = Wait::new()
        .timeout(Duration::from_millis(20))
        .initial_interval(Duration::from_millis(5));
    match client
        .keys()
        .wait_for_signature(&key.id, &pending.id, &options)
    {
        Err(Error::WaitFailed {
            reason: WaitEnd::TimedOut,
            status,
            last,
        }) => {
            assert_eq!(last.json()["id"], pending.id.as_str());
            assert_eq!(status, "Pending");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_request_held_for_approval_is_pending_with_an_approval_id() {
    let (sandbox, client) = setup();
    let key = ecdsa_key(&client);
    let held = seed_signature(
        &sandbox,
        &key.id,
        json!({ "status": "Pending", "approvalId": "ap-2" }),
    );
    sandbox.set_clock(sandbox.now() - Duration::from_secs(3600));
    let signature: Signature = client.keys().get_signature(&key.id, &held).unwrap();
    assert!(signature.awaiting_approval());
    let fresh = client
        .keys()
        .generate_signature(&key.id, &SignatureRequest::hash(hash()))
        .unwrap();
    assert!(!fresh.awaiting_approval());
}

#[test]
fn waiting_honours_retry_after() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox
        .client_builder(KeyAlgorithm::Ed25519)
        .unwrap()
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let key = ecdsa_key(&client);
    let pending = client
        .keys()
        .generate_signature(&key.id, &SignatureRequest::hash(hash()))
        .unwrap();
    sandbox.advance_clock(Duration::from_secs(3));
    sandbox.script(
        ScriptedAnswer::dfns_error(429, "Too many requests")
            .header("Retry-After", "0")
            .on("GET", "/keys/"),
    );
    let signed = client
        .keys()
        .wait_for_signature(&key.id, &pending.id, &quick())
        .unwrap();
    assert_eq!(signed.status, SignatureStatus::Signed);
    let statuses: Vec<u16> = sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [429, 200]);
}

#[test]
fn the_same_external_id_answers_the_first_signature_or_a_conflict() {
    let (_sandbox, client) = setup();
    let key = ecdsa_key(&client);
    let request = SignatureRequest::hash(hash()).external_id("order-7");
    let first = client.keys().generate_signature(&key.id, &request).unwrap();
    let again = client.keys().generate_signature(&key.id, &request).unwrap();
    assert_eq!(again.id, first.id);
    assert_eq!(first.external_id.as_deref(), Some("order-7"));

    let other = SignatureRequest::message("0x01").external_id("order-7");
    match client.keys().generate_signature(&key.id, &other) {
        Err(Error::Conflict(conflict)) => {
            let duplicate = conflict.duplicate().unwrap();
            assert_eq!(duplicate.id.as_deref(), Some(first.id.as_str()));
            assert_eq!(duplicate.external_id.as_deref(), Some("order-7"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_and_odd_ids_are_not_found_and_stay_in_their_segment() {
    let (_sandbox, client) = setup();
    let key = ecdsa_key(&client);
    let missing = client.keys().get_signature(&key.id, "sig-none");
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");
    let odd = client.keys().get_signature(&key.id, "../x");
    assert!(matches!(odd, Err(Error::NotFound(_))), "{odd:?}");
    let no_key = client
        .keys()
        .generate_signature("key-none", &SignatureRequest::hash(hash()));
    match no_key {
        Err(Error::NotFound(error)) => assert_eq!(error.message(), "Key not found"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        client.keys().get(".."),
        Err(Error::InvalidInput { .. })
    ));
}

#[test]
fn a_bad_hash_and_a_diffie_hellman_key_are_refused() {
    let (_sandbox, client) = setup();
    let key = ecdsa_key(&client);
    let short = client
        .keys()
        .generate_signature(&key.id, &SignatureRequest::hash("0x1234"));
    assert!(matches!(short, Err(Error::BadRequest(_))), "{short:?}");
    let dh = client
        .keys()
        .create(&CreateKey::new(KeyScheme::Dh, KeyCurve::Secp256k1))
        .unwrap();
    let refused = client
        .keys()
        .generate_signature(&dh.id, &SignatureRequest::hash(hash()));
    assert!(matches!(refused, Err(Error::BadRequest(_))), "{refused:?}");
}

#[test]
fn a_signature_of_a_kind_or_status_this_crate_does_not_know_still_decodes() {
    let (sandbox, client) = setup();
    let key = ecdsa_key(&client);
    let record = json!({
        "keyId": key.id,
        "status": "Queued",
        "requestBody": { "kind": "FutureKind", "blob": "0x00" },
        "dateRequested": "2026-01-01T00:00:00.000Z",
    });
    let seeded = sandbox
        .seed(&format!("/keys/{}/signatures", key.id), record)
        .unwrap();
    let id = seeded["id"].as_str().unwrap();
    let signature = client.keys().get_signature(&key.id, id).unwrap();
    assert_eq!(signature.status, SignatureStatus::Other("Queued".into()));
    assert!(!signature.status.is_final());
    // The echo keeps the JSON it could not read, and gives it back.
    assert_eq!(signature.request_body.known(), None);
    assert_eq!(
        serde_json::to_value(&signature.request_body).unwrap(),
        json!({ "kind": "FutureKind", "blob": "0x00" })
    );
    assert_eq!(
        serde_json::to_value(&signature).unwrap()["requestBody"]["blob"],
        "0x00"
    );
}
