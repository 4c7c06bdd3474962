//! The personal access token API end to end against the sandbox, for every key type.

use crate::support::Sandbox;
use crate::support::{SandboxExt as _, UserExt as _};
use dfns_blocking::api::pats::{CreatePersonalAccessToken, TokenKind, UpdatePersonalAccessToken};
use dfns_blocking::{Client, Error, KeyAlgorithm, KeySigner};

const ALGORITHMS: [KeyAlgorithm; 3] = [
    KeyAlgorithm::Ed25519,
    KeyAlgorithm::EcdsaP256,
    KeyAlgorithm::Rsa,
];

/// A fresh key pair for a new token (the sandbox's P-256 user key serves as one).
fn token_key(sandbox: &Sandbox, algorithm: KeyAlgorithm) -> KeySigner {
    sandbox.user(algorithm).signer().expect("sandbox keys load")
}

#[test]
fn every_operation_works_for_every_user_key_type() {
    let sandbox = Sandbox::start().unwrap();
    for algorithm in ALGORITHMS {
        let client = sandbox.client(algorithm).unwrap();
        let key = token_key(&sandbox, KeyAlgorithm::Ed25519);
        let name = format!("deployer {algorithm}");

        let created = client
            .pats()
            .create(
                &CreatePersonalAccessToken::new(&name, key.public_key().to_pem()).days_valid(30),
            )
            .unwrap();
        assert!(created.token_id.starts_with("to-"), "{algorithm}");
        assert_eq!(created.name, name);
        assert!(created.is_active);
        assert_eq!(created.kind, Some(TokenKind::Pat));
        assert_eq!(created.public_key, key.public_key().to_pem());
        assert_eq!(created.linked_user_id, sandbox.user(algorithm).user_id);
        assert!(
            created.access_token.is_some(),
            "create returns the access token once"
        );

        let fetched = client.pats().get(&created.token_id).unwrap();
        assert_eq!(fetched.token_id, created.token_id);
        assert!(
            fetched.access_token.is_none(),
            "get never returns the access token"
        );

        let listed = client.pats().list().unwrap();
        assert_eq!(
            listed.len(),
            1,
            "{algorithm}: each user sees only its own tokens"
        );
        assert_eq!(listed[0].token_id, created.token_id);

        let renamed = client
            .pats()
            .update(
                &created.token_id,
                &UpdatePersonalAccessToken::new().name("renamed"),
            )
            .unwrap();
        assert_eq!(renamed.name, "renamed");

        assert!(
            !client
                .pats()
                .deactivate(&created.token_id)
                .unwrap()
                .is_active
        );
        assert!(
            !client
                .pats()
                .deactivate(&created.token_id)
                .unwrap()
                .is_active,
            "deactivating an inactive token is a no-op"
        );
        assert!(client.pats().activate(&created.token_id).unwrap().is_active);

        let deleted = client.pats().delete(&created.token_id).unwrap();
        assert_eq!(deleted.token_id, created.token_id);
        assert!(matches!(
            client.pats().get(&created.token_id),
            Err(Error::NotFound(_))
        ));
        assert!(client.pats().list().unwrap().is_empty());
    }
    let stats = sandbox.stats();
    assert_eq!(
        stats.signatures_verified,
        3 * 6,
        "six signed operations per key type"
    );
    assert_eq!(stats.nonces_reused, 0);
    assert_eq!(stats.user_actions_reused, 0);
}

#[test]
fn a_new_token_authenticates_and_signs_its_own_actions_with_its_own_key() {
    let sandbox = Sandbox::start().unwrap();
    let owner = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    for algorithm in ALGORITHMS {
        // The token's key pair: its private key stays with whoever uses the token.
        let key_pem = sandbox.user(algorithm).private_key_pem.clone();
        let public_pem = KeySigner::from_pem("", &key_pem)
            .unwrap()
            .public_key()
            .to_pem();
        let created = owner
            .pats()
            .create(&CreatePersonalAccessToken::new(
                format!("self {algorithm}"),
                public_pem,
            ))
            .unwrap();
        let access_token = created.access_token.as_ref().unwrap().expose().to_owned();

        let as_token = Client::builder()
            .base_url(sandbox.url())
            .auth_token(&access_token)
            .signer(KeySigner::from_pem(&created.cred_id, &key_pem).unwrap())
            .build()
            .unwrap();
        let seen = as_token.pats().get(&created.token_id).unwrap();
        assert_eq!(seen.token_id, created.token_id);

        // The token deactivates itself, signing with its own key; then it no longer works.
        let deactivated = as_token.pats().deactivate(&created.token_id).unwrap();
        assert!(!deactivated.is_active);
        assert!(matches!(
            as_token.pats().get(&created.token_id),
            Err(Error::Unauthenticated(_))
        ));

        // The owner turns it back on, and it works again.
        owner.pats().activate(&created.token_id).unwrap();
        assert!(as_token.pats().get(&created.token_id).unwrap().is_active);
    }
}

#[test]
fn a_token_cannot_sign_with_its_owners_credential() {
    let sandbox = Sandbox::start().unwrap();
    let owner = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let created = owner
        .pats()
        .create(&CreatePersonalAccessToken::new(
            "t",
            token_key(&sandbox, KeyAlgorithm::EcdsaP256)
                .public_key()
                .to_pem(),
        ))
        .unwrap();
    let owner_user = sandbox.user(KeyAlgorithm::Ed25519);
    let wrong = Client::builder()
        .base_url(sandbox.url())
        .auth_token(created.access_token.as_ref().unwrap().expose())
        .signer(owner_user.signer().unwrap())
        .build()
        .unwrap();
    match wrong.pats().deactivate(&created.token_id) {
        Err(Error::CredentialNotAllowed {
            credential_id,
            allowed,
        }) => {
            assert_eq!(credential_id, owner_user.credential_id);
            assert_eq!(allowed, vec![created.cred_id.clone()]);
        }
        other => panic!("expected CredentialNotAllowed, got {other:?}"),
    }
    assert!(owner.pats().get(&created.token_id).unwrap().is_active);
}

#[test]
fn create_sends_only_the_options_that_were_set() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let pem = token_key(&sandbox, KeyAlgorithm::Ed25519)
        .public_key()
        .to_pem();
    client
        .pats()
        .create(&CreatePersonalAccessToken::new("plain", &pem))
        .unwrap();
    client
        .pats()
        .create(
            &CreatePersonalAccessToken::new("full", &pem)
                .permission_id("pm-1")
                .external_id("ext-1")
                .days_valid(7)
                .seconds_valid(600),
        )
        .unwrap();
    let bodies: Vec<serde_json::Value> = sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.target == "/auth/pats")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(bodies.len(), 2);
    assert_eq!(
        bodies[0],
        serde_json::json!({ "name": "plain", "publicKey": pem })
    );
    assert_eq!(
        bodies[1],
        serde_json::json!({
            "name": "full", "publicKey": pem, "permissionId": "pm-1",
            "externalId": "ext-1", "daysValid": 7, "secondsValid": 600
        })
    );
    let full = client
        .pats()
        .list()
        .unwrap()
        .into_iter()
        .find(|p| p.name == "full")
        .unwrap();
    assert_eq!(full.permission_assignments.len(), 1);
    assert_eq!(full.permission_assignments[0].permission_id, "pm-1");
}

#[test]
fn an_expired_token_is_refused() {
    let sandbox = Sandbox::start().unwrap();
    let owner = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let key = token_key(&sandbox, KeyAlgorithm::Ed25519);
    let created = owner
        .pats()
        .create(
            &CreatePersonalAccessToken::new("brief", key.public_key().to_pem()).seconds_valid(60),
        )
        .unwrap();
    let as_token = Client::builder()
        .base_url(sandbox.url())
        .auth_token(created.access_token.as_ref().unwrap().expose())
        .build()
        .unwrap();
    as_token.pats().list().unwrap();
    sandbox.advance_clock(std::time::Duration::from_secs(61));
    assert!(matches!(
        as_token.pats().list(),
        Err(Error::Unauthenticated(_))
    ));
}

#[test]
fn answers_with_unknown_kinds_and_missing_or_null_fields_still_decode() {
    use crate::support::ScriptedAnswer;
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    sandbox.script(ScriptedAnswer::json(
        200,
        &serde_json::json!({ "items": [
            { "tokenId": "to-1", "kind": "CustomerEmployee", "linkedAppId": null, "credId": "",
              "publicKey": "SHA256:abc", "someNewField": { "x": 1 } },
            { "tokenId": "to-2", "name": "n", "isActive": true, "permissionAssignments": null }
        ]}),
    ));
    let tokens = client.pats().list().unwrap();
    assert_eq!(
        tokens[0].kind,
        Some(TokenKind::Other("CustomerEmployee".into()))
    );
    assert_eq!(
        tokens[0].kind.as_ref().unwrap().as_str(),
        "CustomerEmployee"
    );
    assert_eq!(tokens[0].linked_app_id, "");
    assert_eq!(tokens[0].public_key, "SHA256:abc");
    assert_eq!(tokens[1].kind, None);
    assert!(tokens[1].is_active);
    assert!(tokens[1].permission_assignments.is_empty());
}

#[test]
fn tokens_older_than_a_cutoff_are_found_by_their_typed_date() {
    use crate::support::ScriptedAnswer;
    use dfns_blocking::Timestamp;
    use std::time::{Duration, SystemTime};

    const DAY: Duration = Duration::from_secs(86_400);
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let key = token_key(&sandbox, KeyAlgorithm::Ed25519);

    // A token made now, dated by the sandbox: a real date, and not old.
    let fresh = client
        .pats()
        .create(&CreatePersonalAccessToken::new(
            "ci-fresh",
            key.public_key().to_pem(),
        ))
        .unwrap();
    let created_at = fresh.date_created.to_system_time().expect("a real date");
    assert!(created_at <= SystemTime::now());
    assert!(!fresh.date_created.is_older_than(DAY));

    // Dfns's list with tokens made 40 and 10 days ago, one whose date is not a date, one with
    // a null date, and the fresh one as the sandbox wrote it.
    let now = SystemTime::now();
    let days_ago = |days: u32| Timestamp::from(now - DAY * days);
    let forty = days_ago(40);
    let listed = serde_json::json!({ "items": [
        { "tokenId": "to-40-days", "name": "ci-old", "dateCreated": forty.as_str() },
        { "tokenId": "to-10-days", "name": "ci-recent", "dateCreated": days_ago(10).as_str() },
        { "tokenId": "to-odd", "name": "ci-odd", "dateCreated": "sometime in 2019" },
        { "tokenId": "to-null", "name": "ci-null", "dateCreated": null },
        { "tokenId": fresh.token_id, "name": "ci-fresh", "dateCreated": fresh.date_created.as_str() },
    ]});
    sandbox.script(ScriptedAnswer::json(200, &listed).on_exactly("GET", "/auth/pats"));
    let tokens = client.pats().list().unwrap();
    assert_eq!(
        tokens.len(),
        5,
        "one odd date does not fail the whole answer"
    );

    let older_than_30_days: Vec<&str> = tokens
        .iter()
        .filter(|token| token.date_created.is_older_than(30 * DAY))
        .map(|token| token.token_id.as_str())
        .collect();
    assert_eq!(older_than_30_days, ["to-40-days"]);

    // The same with a comparison against a cutoff: an unreadable date is never "before" it.
    let cutoff = days_ago(30);
    let before_cutoff: Vec<&str> = tokens
        .iter()
        .filter(|token| token.date_created < cutoff)
        .map(|token| token.token_id.as_str())
        .collect();
    assert_eq!(before_cutoff, ["to-40-days"]);

    // The text is kept as sent; what is not a date has no instant.
    assert_eq!(tokens[0].date_created, forty);
    assert_eq!(tokens[0].date_created.as_str(), forty.as_str());
    assert_eq!(tokens[2].date_created.as_str(), "sometime in 2019");
    assert_eq!(tokens[2].date_created.to_system_time(), None);
    assert_eq!(tokens[3].date_created, Timestamp::default());
    assert_eq!(tokens[4].date_created.to_system_time(), Some(created_at));

    // Oldest first, by instant (unreadable dates first).
    let mut by_age: Vec<_> = tokens.iter().collect();
    by_age.sort_by_key(|token| token.date_created.to_system_time());
    let order: Vec<&str> = by_age.iter().map(|t| t.token_id.as_str()).collect();
    assert_eq!(
        order[2..],
        ["to-40-days", "to-10-days", fresh.token_id.as_str()]
    );
}

/// A user whose credential key is an openssl-made fixture in the given PEM format.
fn fixture_client(sandbox: &Sandbox, file: &str) -> Client {
    let path = format!("{}/tests/keys/{file}", env!("CARGO_MANIFEST_DIR"));
    let pem = std::fs::read_to_string(&path).unwrap();
    let probe = KeySigner::from_pem("", &pem).unwrap();
    let user = sandbox
        .add_user(&probe.public_key().to_pem())
        .expect("the probe key registers");
    Client::builder()
        .base_url(sandbox.url())
        .auth_token(&user.auth_token)
        .signer(KeySigner::from_pem(&user.credential_id, &pem).unwrap())
        .build()
        .unwrap()
}

#[test]
fn every_pem_format_users_hold_signs_every_signed_operation() {
    let sandbox = Sandbox::start().unwrap();
    let token_pem = token_key(&sandbox, KeyAlgorithm::EcdsaP256)
        .public_key()
        .to_pem();
    for file in [
        "ed25519-pkcs8.pem",
        "p256-sec1.pem",
        "p256-sec1-with-params.pem",
        "p256-pkcs8.pem",
        "rsa2048-pkcs1.pem",
        "rsa2048-pkcs8.pem",
        "rsa3072-pkcs8.pem",
        "rsa4096-pkcs1.pem",
    ] {
        let client = fixture_client(&sandbox, file);
        let pats = client.pats();
        let created = pats
            .create(&CreatePersonalAccessToken::new(file, &token_pem))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        pats.update(
            &created.token_id,
            &UpdatePersonalAccessToken::new().external_id("x"),
        )
        .unwrap();
        assert!(
            !pats.deactivate(&created.token_id).unwrap().is_active,
            "{file}"
        );
        assert!(
            pats.activate(&created.token_id).unwrap().is_active,
            "{file}"
        );
        pats.delete(&created.token_id).unwrap();
        assert!(pats.list().unwrap().is_empty(), "{file}");
    }
    assert_eq!(sandbox.stats().signatures_verified, 8 * 5);
}
