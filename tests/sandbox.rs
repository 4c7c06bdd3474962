//! The sandbox's own contract: 501 for the Dfns endpoints it does not emulate, 404 for paths
//! Dfns does not have, fixtures seeded by tests, and its movable clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::Sandbox;
use crate::support::{SandboxExt as _, UserExt as _};
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::api::wallets::NetWorth;
use dfns_blocking::signing::CredentialSigner;
use dfns_blocking::{Client, Error, ErrorReason, KeyAlgorithm, Method, Request, Timestamp};
use serde_json::{Value, json};

#[test]
fn a_documented_endpoint_the_sandbox_does_not_emulate_answers_501() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    // A Dfns endpoint the crate leaves out (its fields are undocumented), so the sandbox has
    // no reason to emulate it.
    let request = Request::<Value>::fixed(Method::Post, "/auth/login/oidc/credentials")
        .unwrap()
        .json(&json!({}))
        .unwrap();
    match client.send(&request) {
        Err(Error::ServerError(error)) => {
            assert_eq!(error.status(), 501);
            assert!(error.message().contains("does not emulate"), "{error}");
            let details = error.details().cloned().unwrap_or_default();
            assert_eq!(details["path"], "/auth/login/oidc/credentials");
        }
        other => panic!("{other:?}"),
    }
    // Not retried: the sandbox saw it once.
    let seen = sandbox.requests();
    assert_eq!(seen.iter().filter(|r| r.status == 501).count(), 1);
    assert_eq!(seen.len(), 1);
}

#[test]
fn a_path_or_method_dfns_does_not_have_stays_404() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let unknown = [
        Request::<Value>::new(Method::Get, "/no-such-domain/{}", &["x"]).unwrap(),
        // `/auth/pats/{tokenId}` exists, but not with PATCH.
        Request::new(Method::Patch, "/auth/pats/{}", &["to-1"])
            .unwrap()
            .json(&json!({}))
            .unwrap(),
    ];
    for request in unknown {
        match client.send(&request) {
            Err(Error::NotFound(error)) => assert_eq!(error.message(), "Route not found"),
            other => panic!("{request:?}: {other:?}"),
        }
    }
}

#[test]
fn a_token_seeded_forty_days_ago_lists_as_older_than_thirty_days() {
    let sandbox = Sandbox::start().unwrap();
    let owner = sandbox.user(KeyAlgorithm::Ed25519);
    let now = SystemTime::now();
    let old = sandbox
        .seed_pat(owner, "old", now - Duration::from_secs(40 * 86_400))
        .unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let key = owner.public_key.to_pem();
    let fresh = client
        .pats()
        .create(&CreatePersonalAccessToken::new("fresh", key))
        .unwrap();

    let stale: Vec<String> = (client.pats().list().unwrap().into_iter())
        .filter(|pat| {
            pat.date_created
                .is_older_than(Duration::from_secs(30 * 86_400))
        })
        .map(|pat| pat.token_id)
        .collect();
    assert_eq!(stale, std::slice::from_ref(&old));
    assert!(
        !fresh
            .date_created
            .is_older_than(Duration::from_secs(86_400))
    );
    // The seeded token is a token like the others: it can be read, renamed and deleted.
    assert_eq!(client.pats().get(&old).unwrap().name, "old");
    client.pats().delete(&old).unwrap();
    assert!(matches!(client.pats().get(&old), Err(Error::NotFound(_))));
    // Another sandbox's (or an unknown) user cannot own one.
    let stranger = Sandbox::start().unwrap();
    let refused = sandbox.seed_pat(stranger.user(KeyAlgorithm::Rsa), "x", now);
    assert!(refused.is_err());
}

#[test]
#[allow(deprecated)]
fn seeded_records_are_served_as_the_api_would() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Rsa).unwrap();
    let seeded = sandbox
        .seed(
            "/auth/apps",
            json!({ "name": "Legacy", "isActive": false, "dateCreated": "2024-02-29T10:00:00.000Z" }),
        )
        .unwrap();
    let app_id = seeded["appId"].as_str().unwrap();
    assert!(app_id.starts_with("ap-"));
    let apps = client.applications().list().unwrap();
    assert_eq!(apps.len(), 2);
    assert_eq!(apps[1].app_id, app_id);
    assert!(!client.applications().get(app_id).unwrap().is_active);
    // An id already taken, or a collection the sandbox does not declare, is refused.
    let again = sandbox.seed("/auth/apps", json!({ "appId": app_id }));
    assert!(again.unwrap_err().message().contains(app_id));
    assert!(sandbox.seed("/auth/nothing", json!({})).is_err());
    assert!(sandbox.seed("/auth/apps", json!([1])).is_err());
}

#[test]
fn the_clock_moves_dates_and_lifetimes_but_not_the_nonce_window() {
    let sandbox = Sandbox::start().unwrap();
    let owner = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let key = sandbox.user(KeyAlgorithm::EcdsaP256).public_key.to_pem();
    let brief = owner
        .pats()
        .create(&CreatePersonalAccessToken::new("brief", &key).seconds_valid(3600))
        .unwrap();
    let as_token = Client::builder()
        .base_url(sandbox.url())
        .auth_token(brief.access_token.as_ref().unwrap().expose())
        .build()
        .unwrap();
    as_token.pats().list().unwrap();

    sandbox.advance_clock(Duration::from_secs(2 * 3600));
    // The token's hour is over by the sandbox clock...
    assert!(matches!(
        as_token.pats().list(),
        Err(Error::Unauthenticated(_))
    ));
    // ...while the owner's requests, whose nonces carry the real time, still pass, and what
    // they create is dated by the sandbox clock.
    let later = owner
        .pats()
        .create(&CreatePersonalAccessToken::new("later", &key))
        .unwrap();
    let an_hour_ahead = Timestamp::from(SystemTime::now() + Duration::from_secs(3600));
    assert!(later.date_created > an_hour_ahead, "{}", later.date_created);

    let new_year = UNIX_EPOCH + Duration::from_secs(1_767_225_600); // 2026-01-01
    sandbox.set_clock(new_year);
    let dated = owner
        .pats()
        .create(&CreatePersonalAccessToken::new("new year", &key))
        .unwrap();
    assert!(
        dated.date_created.as_str().starts_with("2026-01-01T00:"),
        "{}",
        dated.date_created
    );
    assert!(sandbox.now() >= new_year);
}

#[test]
fn a_user_action_challenge_expires_by_the_sandbox_clock() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let user = sandbox.user(KeyAlgorithm::Ed25519);
    let signer = user.signer().unwrap();
    let created = client
        .pats()
        .create(&CreatePersonalAccessToken::new(
            "t",
            user.public_key.to_pem(),
        ))
        .unwrap();
    let request = dfns_blocking::api::pats::deactivate(&created.token_id).unwrap();
    let sign = |minutes: u64| {
        let challenge = client.user_action_challenge(&request).unwrap();
        sandbox.advance_clock(Duration::from_secs(minutes * 60));
        let assertion = CredentialSigner::sign(&signer, &challenge).unwrap();
        client.complete_user_action(&challenge, &assertion)
    };
    // Four minutes later by the sandbox clock, the challenge is still good; six, it is not.
    assert!(sign(4).is_ok());
    let refused = sign(6).unwrap_err();
    assert_eq!(
        refused.reason(),
        Some(ErrorReason::ChallengeInvalid),
        "{refused:?}"
    );
}

/// Balances a test sets move with transfers between sandbox wallets; the controls decide the
/// next transfers' outcome; too large an amount fails.
#[test]
fn balances_move_with_transfers_and_the_next_transfer_can_fail_or_be_rejected() {
    use dfns_blocking::api::wallets::{CreateWallet, NativeTransfer, RequestStatus};

    let sandbox = Sandbox::start().expect("the sandbox starts");
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let from = client
        .wallets()
        .create(&CreateWallet::new("Bitcoin"))
        .unwrap();
    let to = client
        .wallets()
        .create(&CreateWallet::new("Bitcoin"))
        .unwrap();
    let to_address = to.address.clone().unwrap_or_default();
    assert!(to_address.starts_with("bc1q"), "{to_address}");
    sandbox.set_balance(&from.id, "native", "100000").unwrap();
    let balance = |id: &str| {
        client
            .wallets()
            .get_assets(id, NetWorth::Without)
            .unwrap()
            .assets[0]
            .balance
            .clone()
    };
    assert_eq!(balance(&from.id), "100000");
    assert_eq!(balance(&to.id), "0");

    let sent = client
        .wallets()
        .transfer(&from.id, &NativeTransfer::new(&to_address, "40000").into())
        .unwrap();
    assert_eq!(sent.status, Some(RequestStatus::Pending));
    assert_eq!(
        (balance(&from.id), balance(&to.id)),
        ("60000".into(), "40000".into())
    );

    sandbox.fail_next_transfer("broadcast failed: nonce too low");
    sandbox.reject_next_transfer("denied by the approvers");
    let failed = client
        .wallets()
        .transfer(&from.id, &NativeTransfer::new(&to_address, "1").into())
        .unwrap();
    assert_eq!(failed.status, Some(RequestStatus::Failed));
    assert_eq!(
        failed.reason.as_deref(),
        Some("broadcast failed: nonce too low")
    );
    let rejected = client
        .wallets()
        .transfer(&from.id, &NativeTransfer::new(&to_address, "1").into())
        .unwrap();
    assert_eq!(rejected.status, Some(RequestStatus::Rejected));
    assert_eq!(balance(&from.id), "60000", "nothing moved");

    let too_much = client
        .wallets()
        .transfer(&from.id, &NativeTransfer::new(&to_address, "60001").into())
        .unwrap();
    assert_eq!(too_much.status, Some(RequestStatus::Failed));
    assert!(
        too_much
            .reason
            .unwrap_or_default()
            .starts_with("insufficient funds")
    );

    let aborted = client
        .wallets()
        .transfer(&from.id, &NativeTransfer::new(&to_address, "10000").into())
        .unwrap();
    assert_eq!(balance(&from.id), "50000");
    client
        .wallets()
        .abort_transfer(&from.id, &aborted.id)
        .unwrap();
    assert_eq!(
        (balance(&from.id), balance(&to.id)),
        ("60000".into(), "40000".into())
    );
}
