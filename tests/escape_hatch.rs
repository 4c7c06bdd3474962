//! Endpoints the crate does not type, called through the same pipeline with a hand-built
//! `Request`: signed and unsigned, untyped and into the caller's own type.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::users::{CreateUser, UserKind};
use dfns_blocking::{Error, ErrorReason, KeyAlgorithm, Method, Request};
use serde::Deserialize;
use serde_json::{Value, json};

#[test]
fn a_signed_untyped_call_goes_through_user_action_signing() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let target = client
        .users()
        .create(&CreateUser::new(
            "raw@example.com",
            UserKind::CustomerEmployee,
        ))
        .unwrap();

    let request = Request::<Value>::new(Method::Put, "/auth/users/{}", &[&target.user_id])
        .unwrap()
        .json(&json!({ "isSSORequired": true }))
        .unwrap()
        .signed();
    let verified = sandbox.stats().signatures_verified;
    let answer = client.send(&request).unwrap();
    assert_eq!(answer["userId"], target.user_id.as_str());
    assert_eq!(answer["isSSORequired"], true);
    assert_eq!(sandbox.stats().signatures_verified, verified + 1);
    let sent = sandbox.requests().into_iter().last().unwrap();
    assert_eq!(sent.body, br#"{"isSSORequired":true}"#);
    assert!(sent.header("x-dfns-useraction").is_some());
    // The typed endpoint sees the change.
    assert!(client.users().get(&target.user_id).unwrap().is_sso_required);
}

#[test]
fn the_same_mutation_unsigned_is_refused() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let id = sandbox.user(KeyAlgorithm::Rsa).user_id.clone();
    let unsigned = Request::<Value>::new(Method::Put, "/auth/users/{}/deactivate", &[&id])
        .unwrap()
        .json(&json!({}))
        .unwrap();
    assert!(matches!(
        client.send(&unsigned),
        Err(Error::PermissionDenied(ref e)) if e.reason() == Some(ErrorReason::UserActionSignatureInvalid)
    ));
    assert!(client.users().get(&id).unwrap().is_active);
}

#[test]
fn an_unsigned_call_decodes_into_the_callers_own_type() {
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Mine {
        user_id: String,
        is_active: bool,
    }
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Rsa).unwrap();
    let id = sandbox.user(KeyAlgorithm::Ed25519).user_id.clone();

    let mine: Mine = client
        .send(&Request::new(Method::Get, "/auth/users/{}", &[&id]).unwrap())
        .unwrap();
    assert_eq!(mine.user_id, id);
    assert!(mine.is_active);
    let sent = sandbox.requests().into_iter().last().unwrap();
    assert!(sent.body.is_empty() && sent.header("x-dfns-useraction").is_none());

    // Errors are typed as for any endpoint, and ids stay one segment.
    let missing = Request::<Mine>::new(Method::Get, "/auth/users/{}", &["a/b?c"]).unwrap();
    assert!(matches!(client.send(&missing), Err(Error::NotFound(_))));
    assert_eq!(
        sandbox.requests().into_iter().last().unwrap().target,
        "/auth/users/a%2Fb%3Fc"
    );
    // An answer that is not the caller's shape is a decode error, not a panic.
    let wrong = Request::<Vec<Mine>>::new(Method::Get, "/auth/users/{}", &[&id]).unwrap();
    assert!(matches!(client.send(&wrong), Err(Error::Decode(_))));
}

#[test]
fn an_unsigned_mutation_without_a_body_is_sent_with_an_empty_body_not_chunked() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    // Logging out takes no body and no signature.
    let logout = Request::<Value>::fixed(Method::Put, "/auth/logout").unwrap();
    client.send(&logout).unwrap();
    let sent = sandbox.requests().into_iter().last().unwrap();
    assert_eq!(sent.method, "PUT");
    assert_eq!(sent.status, 200);
    assert!(sent.header("transfer-encoding").is_none());
    assert_eq!(sent.header("content-length"), Some("0"));
    assert!(sent.body.is_empty());
}
