//! Credentials end to end against the sandbox: creation with a new key's verified attestation,
//! the new key signing user actions, deactivation, the one-time code flow, and refusals.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::support::Sandbox;
use crate::support::{SandboxExt as _, UserExt as _};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dfns_blocking::api::credentials::{
    CreateCredential, CredentialKind, Expiration, NewCredential,
};
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::signing::{KeyAttestation, key_create_client_data, key_credential_fingerprint};
use dfns_blocking::{Client, Error, ErrorReason, KeyAlgorithm, KeySigner, Timestamp};
use serde_json::Value;

/// Keys the sandbox has never seen, one per algorithm.
const NEW_KEYS: [(&str, &str); 3] = [
    ("p256", include_str!("keys/p256-pkcs8.pem")),
    ("ed25519", include_str!("keys/ed25519-pkcs8.pem")),
    ("rsa", include_str!("keys/rsa2048-pkcs8.pem")),
];

fn new_key(credential_id: &str) -> KeySigner {
    KeySigner::from_pem(credential_id, NEW_KEYS[0].1).unwrap()
}

/// A signed call that proves which credential signs for the client.
fn signed_call(client: &Client, name: &str) -> dfns_blocking::Result<()> {
    let key = new_key("unused");
    client
        .pats()
        .create(&CreatePersonalAccessToken::new(
            name,
            key.public_key().to_pem(),
        ))
        .map(|_| ())
}

fn anonymous(sandbox: &Sandbox) -> Client {
    Client::builder().base_url(sandbox.url()).build().unwrap()
}

#[test]
fn a_new_key_credential_is_attested_listed_and_signs_user_actions() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    for (label, pem) in NEW_KEYS {
        let key = KeySigner::from_pem(format!("new-{label}"), pem).unwrap();
        let created = client.credentials().create_key(label, &key).unwrap();
        assert_eq!(created.credential_id, format!("new-{label}"));
        assert!(created.credential_uuid.starts_with("cr-"), "{created:?}");
        assert_eq!(created.kind, Some(CredentialKind::Key));
        assert_eq!(created.name, label);
        assert!(created.is_active);
        assert_eq!(created.public_key, key.public_key().to_pem());

        signed_call(&client.with_signer(key), &format!("signed by {label}")).unwrap();
    }
    let listed = client.credentials().list().unwrap();
    assert_eq!(
        listed.len(),
        4,
        "the original credential and three new ones"
    );

    // What went over the wire: a key.create client data of the challenge, and an attestation
    // that carries the new public key.
    let requests = sandbox.requests();
    let init = requests
        .iter()
        .find(|r| r.path() == "/auth/credentials/init")
        .unwrap();
    assert_eq!(init.body, br#"{"kind":"Key"}"#);
    let challenge: Value = serde_json::from_slice(&init.response_body).unwrap();
    let create = requests
        .iter()
        .find(|r| r.method == "POST" && r.path() == "/auth/credentials")
        .unwrap();
    assert!(create.header("x-dfns-useraction").is_some());
    let body: Value = serde_json::from_slice(&create.body).unwrap();
    assert_eq!(body["credentialKind"], "Key");
    assert_eq!(
        body["challengeIdentifier"],
        challenge["challengeIdentifier"]
    );
    let client_data = URL_SAFE_NO_PAD
        .decode(body["credentialInfo"]["clientData"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        String::from_utf8(client_data).unwrap(),
        key_create_client_data(challenge["challenge"].as_str().unwrap())
    );
    let attestation: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(body["credentialInfo"]["attestationData"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert!(
        attestation["publicKey"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    assert!(
        attestation["signature"]
            .as_str()
            .unwrap()
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
    );
}

#[test]
fn a_deactivated_credential_no_longer_signs_until_activated_again() {
    let sandbox = Sandbox::start().unwrap();
    let original = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let original_id = sandbox.user(KeyAlgorithm::EcdsaP256).credential_id.clone();
    let key = new_key("second");
    original.credentials().create_key("second", &key).unwrap();
    let second = original.with_signer(key);

    let uuid = original
        .credentials()
        .list()
        .unwrap()
        .into_iter()
        .find(|c| c.credential_id == original_id)
        .unwrap()
        .credential_uuid;
    let answer = second.credentials().deactivate(&uuid).unwrap();
    assert_eq!(answer.message, "Credential deactivated");
    let listed = second.credentials().list().unwrap();
    assert!(
        listed
            .iter()
            .any(|c| c.credential_uuid == uuid && !c.is_active)
    );

    // The challenge no longer allows it, so the client refuses before signing...
    match signed_call(&original, "by the deactivated key") {
        Err(Error::CredentialNotAllowed { credential_id, .. }) => {
            assert_eq!(credential_id, original_id)
        }
        other => panic!("expected CredentialNotAllowed, got {other:?}"),
    }
    // ...and the sandbox refuses its assertion if it signs anyway.
    let request = dfns_blocking::api::credentials::activate(&uuid).unwrap();
    let challenge = original.user_action_challenge(&request).unwrap();
    let signer = sandbox.user(KeyAlgorithm::EcdsaP256).signer().unwrap();
    let assertion = dfns_blocking::signing::CredentialSigner::sign(&signer, &challenge).unwrap();
    let refused = original
        .complete_user_action(&challenge, &assertion)
        .unwrap_err();
    assert_eq!(refused.status(), Some(403), "{refused}");

    second.credentials().activate(&uuid).unwrap();
    signed_call(&original, "by the activated key").unwrap();
}

#[test]
fn an_attestation_that_does_not_hold_is_refused() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let key = new_key("victim");
    let other = KeySigner::from_pem("other", NEW_KEYS[1].1).unwrap();

    type Attest<'a> = Box<dyn Fn(&str) -> KeyAttestation + 'a>;
    let cases: [(&str, Attest); 4] = [
        (
            "signed by another key",
            Box::new(|challenge| {
                let client_data = key_create_client_data(challenge);
                let pem = key.public_key().to_pem();
                let fingerprint = key_credential_fingerprint(client_data.as_bytes(), &pem);
                let signature = other.sign(fingerprint.as_bytes()).unwrap();
                KeyAttestation::key("victim", client_data.as_bytes(), &pem, &signature)
            }),
        ),
        (
            "another challenge",
            Box::new(|_| key.attest("a challenge dfns never gave").unwrap()),
        ),
        (
            "key.get client data",
            Box::new(|challenge| {
                let client_data = dfns_blocking::signing::key_client_data(challenge);
                let pem = key.public_key().to_pem();
                let fingerprint = key_credential_fingerprint(client_data.as_bytes(), &pem);
                let signature = key.sign(fingerprint.as_bytes()).unwrap();
                KeyAttestation::key("victim", client_data.as_bytes(), &pem, &signature)
            }),
        ),
        (
            "signature over the client data alone",
            Box::new(|challenge| {
                let client_data = key_create_client_data(challenge);
                let signature = key.sign(client_data.as_bytes()).unwrap();
                let pem = key.public_key().to_pem();
                KeyAttestation::key("victim", client_data.as_bytes(), &pem, &signature)
            }),
        ),
    ];
    for (case, attest) in cases {
        let challenge = client
            .credentials()
            .create_challenge(&CredentialKind::Key)
            .unwrap();
        let body = CreateCredential::new(
            &challenge.challenge_identifier,
            NewCredential::key(attest(&challenge.challenge)).credential_name("bad"),
        );
        let refused = client.credentials().create(&body).unwrap_err();
        assert_eq!(refused.status(), Some(400), "{case}: {refused}");
    }
    assert_eq!(client.credentials().list().unwrap().len(), 1);
}

#[test]
fn a_challenge_answers_once() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Rsa).unwrap();
    let challenge = client
        .credentials()
        .create_challenge(&CredentialKind::Key)
        .unwrap();
    let first = new_key("first");
    let body = CreateCredential::new(
        &challenge.challenge_identifier,
        NewCredential::key(first.attest(&challenge.challenge).unwrap()).credential_name("first"),
    );
    client.credentials().create(&body).unwrap();

    let second = KeySigner::from_pem("second", NEW_KEYS[1].1).unwrap();
    let again = CreateCredential::new(
        &challenge.challenge_identifier,
        NewCredential::key(second.attest(&challenge.challenge).unwrap()).credential_name("second"),
    );
    let refused = client.credentials().create(&again).unwrap_err();
    assert!(
        matches!(refused, Error::BadRequest(ref e) if e.reason() == Some(ErrorReason::ChallengeInvalid)),
        "{refused:?}"
    );

    // A credential id is unique too.
    let fresh = client
        .credentials()
        .create_challenge(&CredentialKind::Key)
        .unwrap();
    let duplicate = CreateCredential::new(
        &fresh.challenge_identifier,
        NewCredential::key(first.attest(&fresh.challenge).unwrap()).credential_name("first again"),
    );
    let refused = client.credentials().create(&duplicate).unwrap_err();
    assert_eq!(refused.status(), Some(409), "{refused}");
}

#[test]
fn a_one_time_code_creates_a_credential_without_a_session() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let in_ten_minutes = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 600;
    let code = client
        .credentials()
        .create_code(&Expiration::UnixSeconds(in_ten_minutes))
        .unwrap();
    assert!(code.expiration.to_system_time().is_some());
    assert!(!format!("{code:?}").contains(code.code.expose()));

    let key = new_key("from-a-code");
    let nobody = anonymous(&sandbox);
    let created = nobody
        .credentials()
        .create_key_with_code(&code.code, "phone", &key)
        .unwrap();
    assert_eq!(created.credential_id, "from-a-code");
    assert!(created.is_active);
    // The new credential belongs to the code's user and signs their user actions.
    signed_call(&client.with_signer(key), "signed by the code's credential").unwrap();

    // The code works once.
    let refused = nobody
        .credentials()
        .create_challenge_with_code(&code.code, &CredentialKind::Key)
        .unwrap_err();
    assert!(
        matches!(refused, Error::PermissionDenied(ref e) if e.reason() == Some(ErrorReason::InvalidCode)),
        "{refused:?}"
    );

    // A code challenge completes only through the code endpoint.
    let code = client
        .credentials()
        .create_code(&Expiration::Date(
            Timestamp::parse("2999-01-01T00:00:00.000Z").unwrap(),
        ))
        .unwrap();
    let challenge = nobody
        .credentials()
        .create_challenge_with_code(&code.code, &CredentialKind::Key)
        .unwrap();
    let other = KeySigner::from_pem("other", NEW_KEYS[1].1).unwrap();
    let body = CreateCredential::new(
        &challenge.challenge_identifier,
        NewCredential::key(other.attest(&challenge.challenge).unwrap()).credential_name("other"),
    );
    let refused = client.credentials().create(&body).unwrap_err();
    assert!(
        matches!(refused, Error::BadRequest(ref e) if e.reason() == Some(ErrorReason::ChallengeInvalid)),
        "{refused:?}"
    );

    // A code must expire in the future.
    let refused = client
        .credentials()
        .create_code(&Expiration::Date(
            Timestamp::parse("2001-01-01T00:00:00.000Z").unwrap(),
        ))
        .unwrap_err();
    assert_eq!(refused.status(), Some(400), "{refused}");
}

/// Dfns's documented example of a Key credential's "credential info fingerprint": the exact
/// string the new key signs. (The signature the same page shows verifies over none of the
/// plausible messages, so it is not used as a vector.)
#[test]
fn the_fingerprint_is_dfns_documented_string() {
    let client_data = r#"{"challenge":"Y2gtNzloaHQtbXJlb2stOGFwOHFtMmVpZWZ0amxhZw","crossOrigin":false,"origin":"https://app.dfns.ninja","type":"key.create"}"#;
    let pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9cG2mE4DWHbwwlLRSKBLZ9m6+QsC\neOqWJh1x5VvRHZMaPLQlRrhhgbHm8una4h8S+L5o8sV8Hvujbl3MrATj3Q==\n-----END PUBLIC KEY-----\n";
    assert_eq!(
        key_credential_fingerprint(client_data.as_bytes(), pem),
        r#"{"clientDataHash":"db3828fcdf1782726a7c0c3977679be5fa5a69efa87b295a31b3579a0149edf3","publicKey":"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9cG2mE4DWHbwwlLRSKBLZ9m6+QsC\neOqWJh1x5VvRHZMaPLQlRrhhgbHm8una4h8S+L5o8sV8Hvujbl3MrATj3Q==\n-----END PUBLIC KEY-----\n"}"#
    );
}
