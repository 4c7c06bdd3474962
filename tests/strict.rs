//! The sandbox checks request bodies against the request schemas of Dfns's OpenAPI document,
//! with its own reading of the wire: a body Dfns would refuse gets Dfns's 400, naming the
//! field, even when it is signed correctly.

use dfns_blocking::{Client, Error, KeyAlgorithm, Method, Request};
use serde_json::{Value, json};

use crate::support::{Sandbox, SandboxExt as _};

/// Sends `body`, signed, as `method template` with `ids`; the 400's message, which must be
/// Dfns's error shape.
fn refused(client: &Client, method: Method, template: &str, ids: &[&str], body: Value) -> String {
    let request: Request<Value> = Request::new(method, template, ids)
        .unwrap()
        .json(&body)
        .unwrap()
        .signed();
    match client.send(&request) {
        Err(Error::BadRequest(error)) => {
            let answer: Value = serde_json::from_str(error.body()).unwrap();
            assert_eq!(answer["error"]["status"], 400, "{answer}");
            assert!(answer["error"]["id"].is_string(), "{answer}");
            error.message().to_owned()
        }
        other => panic!("{template} {body}: {other:?}"),
    }
}

#[test]
fn a_transfer_the_spec_refuses_is_a_400_naming_the_field() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let wallet = sandbox
        .seed("/wallets", json!({ "network": "EthereumSepolia" }))
        .unwrap();
    let id = wallet["id"].as_str().unwrap_or_default();
    let transfers = "/wallets/{}/transfers";
    // The amount is a string of digits in Dfns's API, never a number.
    let number = json!({ "kind": "Native", "to": "0xabc", "amount": 5 });
    let message = refused(&client, Method::Post, transfers, &[id], number);
    assert!(
        message.starts_with("Invalid request body: amount: expected string"),
        "{message}"
    );
    let misspelt = json!({ "kind": "Native", "to": "0xabc", "amount": "5", "priorty": "Fast" });
    let message = refused(&client, Method::Post, transfers, &[id], misspelt);
    assert_eq!(message, "Invalid request body: priorty: unrecognized key");
    let kind = json!({ "kind": "Nativ", "to": "0xabc", "amount": "5" });
    let message = refused(&client, Method::Post, transfers, &[id], kind);
    assert!(
        message.starts_with("Invalid request body: kind:"),
        "{message}"
    );
    assert!(
        sandbox
            .requests()
            .iter()
            .all(|r| r.status != 200 || r.path() != format!("/wallets/{id}/transfers"))
    );
}

#[test]
fn a_wallet_creation_the_spec_refuses_is_a_400_naming_the_field() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let cases = [
        (json!({ "name": "no network" }), "network: required"),
        (
            json!({ "network": "Bitcoin", "tags": "one" }),
            "tags: expected array",
        ),
        (
            json!({ "network": "Bitcoin", "signingKey": { "curve": "p256" } }),
            "signingKey.curve: invalid value",
        ),
    ];
    for (body, expected) in cases {
        let message = refused(&client, Method::Post, "/wallets", &[] as &[&str], body);
        assert!(
            message.starts_with(&format!("Invalid request body: {expected}")),
            "{message}"
        );
    }
}

#[test]
fn a_policy_the_spec_refuses_is_a_400_naming_the_field() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Rsa).unwrap();
    let policy = json!({
        "name": "two approvers",
        "activityKind": "Wallets:Sign",
        "rule": { "kind": "AlwaysTrigger", "configuration": {} },
        "action": {
            "kind": "RequestApproval",
            "approvalGroups": [{ "name": "ops", "quorum": "2", "approvers": {} }],
            "autoRejectTimeout": 60
        },
    });
    let message = refused(
        &client,
        Method::Post,
        "/v2/policies",
        &[] as &[&str],
        policy,
    );
    assert!(message.contains("quorum"), "{message}");
}
