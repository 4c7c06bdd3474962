//! The three user action steps run separately, and custom signers (an HSM, a KMS).

use crate::support::Sandbox;
use crate::support::{SandboxExt as _, UserExt as _};
use dfns_blocking::api::pats;
use dfns_blocking::signing::{
    CredentialAssertion, CredentialKind, CredentialSigner, SignError, UserActionChallenge,
    key_client_data,
};
use dfns_blocking::{Client, Error, ErrorReason, KeyAlgorithm, KeySigner};
use std::sync::Mutex;

#[test]
fn a_signature_made_elsewhere_completes_the_request() {
    let sandbox = Sandbox::start().unwrap();
    let end_user = sandbox.user(KeyAlgorithm::Ed25519);
    // The server holds the token but no key; the end user's device holds the key.
    let server = Client::builder()
        .base_url(sandbox.url())
        .auth_token(&end_user.auth_token)
        .build()
        .unwrap();
    let device = end_user.signer().unwrap();
    let new_key = sandbox.user(KeyAlgorithm::Rsa).signer().unwrap();

    let request = pats::create(&pats::CreatePersonalAccessToken::new(
        "delegated",
        new_key.public_key().to_pem(),
    ))
    .unwrap();
    let challenge = server.user_action_challenge(&request).unwrap();
    assert!(
        challenge
            .allow_credentials
            .allows(&CredentialKind::Key, &end_user.credential_id)
    );

    // On the device: sign the client data over the challenge.
    let client_data = key_client_data(&challenge.challenge);
    let signature = device.sign(client_data.as_bytes()).unwrap();
    let assertion =
        CredentialAssertion::key(&end_user.credential_id, client_data.as_bytes(), &signature);

    let token = server.complete_user_action(&challenge, &assertion).unwrap();
    assert_eq!(format!("{token:?}"), "UserActionToken(** redacted **)");
    let created = server.send_with_user_action(&request, &token).unwrap();
    assert_eq!(created.name, "delegated");
    assert!(matches!(
        server.send_with_user_action(&request, &token),
        Err(Error::BadRequest(ref e)) if e.reason() == Some(ErrorReason::UserActionReused)
    ));
}

/// A signer that only sees message bytes, as an HSM would, and records what it was given.
struct Hsm {
    credential_id: String,
    key: KeySigner,
    seen: Mutex<Vec<String>>,
}

impl CredentialSigner for Hsm {
    fn credential_id(&self) -> &str {
        &self.credential_id
    }

    fn sign(&self, challenge: &UserActionChallenge) -> Result<CredentialAssertion, SignError> {
        assert!(!challenge.challenge_identifier.is_empty());
        assert!(!challenge.supported_credential_kinds.is_empty());
        self.seen.lock().unwrap().push(challenge.challenge.clone());
        let client_data = key_client_data(&challenge.challenge);
        let signature = self.key.sign(client_data.as_bytes())?;
        Ok(CredentialAssertion::key(
            &self.credential_id,
            client_data.as_bytes(),
            &signature,
        ))
    }
}

#[test]
fn a_custom_signer_receives_the_whole_challenge_and_signs_every_action() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::EcdsaP256);
    let hsm = std::sync::Arc::new(Hsm {
        credential_id: user.credential_id.clone(),
        key: user.signer().unwrap(),
        seen: Mutex::new(Vec::new()),
    });

    let client = Client::builder()
        .base_url(sandbox.url())
        .auth_token(&user.auth_token)
        // The client holds one reference, the test another to read what the device saw.
        .signer(std::sync::Arc::clone(&hsm))
        .build()
        .unwrap();
    let created = client
        .pats()
        .create(&pats::CreatePersonalAccessToken::new(
            "hsm",
            user.public_key.to_pem(),
        ))
        .unwrap();
    client.pats().deactivate(&created.token_id).unwrap();
    let served: Vec<String> = sandbox
        .requests()
        .iter()
        .filter(|r| r.target == "/auth/action/init")
        .map(|r| {
            serde_json::from_slice::<serde_json::Value>(&r.response_body).unwrap()["challenge"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(*hsm.seen.lock().unwrap(), served);
}

#[test]
fn shared_and_boxed_signers_sign_as_the_signer_they_hold() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::Ed25519);
    let key = std::sync::Arc::new(user.signer().unwrap());
    let boxed: Box<dyn CredentialSigner> = Box::new(user.signer().unwrap());
    let builder = || {
        Client::builder()
            .base_url(sandbox.url())
            .auth_token(&user.auth_token)
    };
    let clients = [
        builder()
            .signer(std::sync::Arc::clone(&key))
            .build()
            .unwrap(),
        builder().signer(key).build().unwrap(),
        builder().signer(boxed).build().unwrap(),
    ];
    for client in &clients {
        let created = client
            .pats()
            .create(&pats::CreatePersonalAccessToken::new(
                "shared",
                user.public_key.to_pem(),
            ))
            .unwrap();
        client.pats().delete(&created.token_id).unwrap();
    }

    // What the wrappers forward includes the credential's kind, which has a default.
    struct Passkey;
    impl CredentialSigner for Passkey {
        fn credential_id(&self) -> &str {
            "passkey"
        }
        fn credential_kind(&self) -> CredentialKind {
            CredentialKind::Fido2
        }
        fn sign(&self, _: &UserActionChallenge) -> Result<CredentialAssertion, SignError> {
            Err(SignError::new("not in this test"))
        }
    }
    // Generic, so that the wrapper's own impl is the one called.
    fn kind_of(signer: &impl CredentialSigner) -> (&str, CredentialKind) {
        (signer.credential_id(), signer.credential_kind())
    }
    let shared: std::sync::Arc<dyn CredentialSigner> = std::sync::Arc::new(Passkey);
    let boxed: Box<dyn CredentialSigner> = Box::new(Passkey);
    let expected = ("passkey", CredentialKind::Fido2);
    assert_eq!(kind_of(&shared), expected);
    assert_eq!(kind_of(&boxed), expected);
    assert_eq!(kind_of(&std::sync::Arc::new(boxed)), expected);
}

#[test]
fn a_failing_custom_signer_surfaces_its_error() {
    /// A signer whose device is unreachable.
    struct Offline(String);
    impl CredentialSigner for Offline {
        fn credential_id(&self) -> &str {
            &self.0
        }
        fn sign(&self, _: &UserActionChallenge) -> Result<CredentialAssertion, SignError> {
            Err(SignError::new("the HSM is offline"))
        }
    }
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::Ed25519);
    let client = Client::builder()
        .base_url(sandbox.url())
        .auth_token(&user.auth_token)
        .signer(Offline(user.credential_id.clone()))
        .build()
        .unwrap();
    match client.pats().deactivate("to-1") {
        Err(error @ Error::Signer(_)) => {
            assert_eq!(error.to_string(), "signing failed: the HSM is offline")
        }
        other => panic!("expected a signer error, got {other:?}"),
    }
    assert!(
        !sandbox
            .requests()
            .iter()
            .any(|r| r.target == "/auth/action")
    );
}
