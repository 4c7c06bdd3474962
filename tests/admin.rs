//! Users, service accounts, applications and the user action log, end to end against the
//! sandbox: every typed endpoint sends a real request (signed where Dfns requires it) and
//! decodes a real answer.

use crate::support::{Sandbox, ScriptedAnswer};
use crate::support::{SandboxExt as _, UserExt as _};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dfns_blocking::api::Delete;
use dfns_blocking::api::applications::ApplicationKind;
use dfns_blocking::api::audit_logs::ListAuditLogs;
use dfns_blocking::api::pats::{CreatePersonalAccessToken, TokenKind};
use dfns_blocking::api::service_accounts::{CreateServiceAccount, UpdateServiceAccount};
use dfns_blocking::api::users::{self, CreateUser, ListUsers, UpdateUser, UserKind};
use dfns_blocking::signing::CredentialKind;
use dfns_blocking::{Client, Error, ErrorReason, KeyAlgorithm, KeySigner, PublicKey, Timestamp};
use std::time::{Duration, SystemTime};

/// A text that is not a date, kept as a `Timestamp` the way an answer's would be: what a
/// query sends when a test wants the server to refuse it.
fn kept(text: &str) -> Timestamp {
    serde_json::from_value(serde_json::Value::from(text)).unwrap()
}

/// The signed requests the sandbox accepted (a 2xx with `X-DFNS-USERACTION`).
fn signed_requests(sandbox: &Sandbox, method: &str, path_prefix: &str) -> usize {
    sandbox
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path().starts_with(path_prefix))
        .filter(|r| r.header("x-dfns-useraction").is_some() && r.status == 200)
        .count()
}

#[test]
fn a_user_is_invited_read_listed_updated_deactivated_activated_and_deleted() {
    let sandbox = Sandbox::start().unwrap();
    let admin = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();

    let created = admin
        .users()
        .create(&CreateUser::new("ada@example.com", UserKind::CustomerEmployee).external_id("hr-1"))
        .unwrap();
    assert!(created.user_id.starts_with("us-"));
    assert_eq!(created.username, "ada@example.com");
    assert_eq!(created.kind, Some(UserKind::CustomerEmployee));
    assert!(created.is_active && !created.is_registered && !created.is_service_account);
    assert!(!created.is_sso_required);

    let fetched = admin.users().get(&created.user_id).unwrap();
    assert_eq!(fetched.user_id, created.user_id);
    assert!(!fetched.org_id.is_empty());
    let listed = admin.users().list(&ListUsers::new(), None).unwrap();
    assert_eq!(listed.items.len(), 4, "the three ready users and Ada");
    assert!(listed.next_page_token.is_none());
    assert!(listed.items.iter().any(|u| u.user_id == created.user_id));

    let updated = admin
        .users()
        .update(&created.user_id, &UpdateUser::new(true))
        .unwrap();
    assert!(updated.is_sso_required);
    assert!(
        !admin
            .users()
            .deactivate(&created.user_id)
            .unwrap()
            .is_active
    );
    assert!(!admin.users().get(&created.user_id).unwrap().is_active);
    assert!(admin.users().activate(&created.user_id).unwrap().is_active);

    let deleted = admin.users().delete(&created.user_id).unwrap();
    assert_eq!(deleted.user_id, created.user_id);
    assert!(!deleted.is_active);
    match admin.users().get(&created.user_id) {
        Err(Error::NotFound(error)) => {
            assert_eq!(error.status(), 404);
            assert_eq!(error.details().unwrap()["userId"], created.user_id.as_str());
        }
        other => panic!("expected 404, got {other:?}"),
    }
    let after = admin.users().list(&ListUsers::new(), None).unwrap();
    assert!(after.items.iter().all(|u| u.user_id != created.user_id));
    assert!(matches!(
        admin.users().activate(&created.user_id),
        Err(Error::NotFound(_))
    ));
    // create, update, deactivate, activate, delete; the last activate was signed but refused.
    assert_eq!(signed_requests(&sandbox, "POST", "/auth/users"), 1);
    assert_eq!(signed_requests(&sandbox, "PUT", "/auth/users/"), 3);
    assert_eq!(signed_requests(&sandbox, "DELETE", "/auth/users/"), 1);
}

#[test]
fn user_errors_are_typed() {
    let sandbox = Sandbox::start().unwrap();
    let admin = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    admin
        .users()
        .create(&CreateUser::new(
            "grace@example.com",
            UserKind::CustomerEmployee,
        ))
        .unwrap();

    match admin.users().create(&CreateUser::new(
        "GRACE@example.com",
        UserKind::CustomerEmployee,
    )) {
        Err(Error::Conflict(error)) => {
            assert_eq!(error.status(), 409);
            let duplicate = error.duplicate().and_then(|d| d.id.as_deref()).unwrap();
            assert!(duplicate.starts_with("us-"));
        }
        other => panic!("expected 409, got {other:?}"),
    }
    assert!(matches!(
        admin
            .users()
            .create(&CreateUser::new("not an email", UserKind::CustomerEmployee)),
        Err(Error::BadRequest(_))
    ));

    // An odd id stays one path segment and gets the documented 404.
    assert!(matches!(admin.users().get("../x"), Err(Error::NotFound(_))));
    assert!(matches!(
        admin.users().deactivate("us-1/../../pats"),
        Err(Error::NotFound(_))
    ));
    let paths: Vec<String> = sandbox
        .requests()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    assert!(paths.contains(&"/auth/users/..%2Fx".to_owned()));
    assert!(paths.contains(&"/auth/users/us-1%2F..%2F..%2Fpats/deactivate".to_owned()));
    // `..` itself never leaves the client.
    assert!(matches!(
        admin.users().get(".."),
        Err(Error::InvalidInput { .. })
    ));
}

#[test]
fn a_pat_may_not_invite_or_deactivate_users() {
    let sandbox = Sandbox::start().unwrap();
    let admin = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let key = sandbox.user(KeyAlgorithm::EcdsaP256).signer().unwrap();
    let pat = admin
        .pats()
        .create(&CreatePersonalAccessToken::new(
            "robot",
            key.public_key().to_pem(),
        ))
        .unwrap();
    let as_pat = Client::builder()
        .base_url(sandbox.url())
        .auth_token(pat.access_token.unwrap().expose())
        .signer(
            KeySigner::from_pem(
                &pat.cred_id,
                &sandbox.user(KeyAlgorithm::EcdsaP256).private_key_pem,
            )
            .unwrap(),
        )
        .build()
        .unwrap();
    match as_pat.users().create(&CreateUser::new(
        "eve@example.com",
        UserKind::CustomerEmployee,
    )) {
        Err(Error::PermissionDenied(error)) => {
            assert_eq!(error.permission(), Some("Auth:Users:Create"));
        }
        other => panic!("expected 403, got {other:?}"),
    }
    let victim = sandbox.user(KeyAlgorithm::Rsa).user_id.clone();
    assert!(matches!(
        as_pat.users().deactivate(&victim),
        Err(Error::PermissionDenied(_))
    ));
    // Reading is allowed.
    assert_eq!(as_pat.users().get(&victim).unwrap().user_id, victim);
}

#[test]
fn a_deactivated_user_and_its_pats_can_no_longer_authenticate() {
    let sandbox = Sandbox::start().unwrap();
    let admin = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let target = sandbox.client(KeyAlgorithm::Rsa).unwrap();
    let target_id = sandbox.user(KeyAlgorithm::Rsa).user_id.clone();
    let key = sandbox.user(KeyAlgorithm::EcdsaP256).signer().unwrap();
    let pat = target
        .pats()
        .create(&CreatePersonalAccessToken::new(
            "t",
            key.public_key().to_pem(),
        ))
        .unwrap();
    let as_pat = Client::builder()
        .base_url(sandbox.url())
        .auth_token(pat.access_token.unwrap().expose())
        .build()
        .unwrap();
    assert!(as_pat.pats().list().is_ok());

    admin.users().deactivate(&target_id).unwrap();
    assert!(matches!(
        target.pats().list(),
        Err(Error::Unauthenticated(_))
    ));
    assert!(matches!(
        as_pat.pats().list(),
        Err(Error::Unauthenticated(_))
    ));
    admin.users().activate(&target_id).unwrap();
    assert!(target.pats().list().is_ok());
    assert!(as_pat.pats().list().is_ok());
}

/// Creates `count` users beyond the three ready ones.
fn invite(client: &Client, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            client
                .users()
                .create(&CreateUser::new(
                    format!("user{i}@example.com"),
                    UserKind::CustomerEmployee,
                ))
                .unwrap()
                .user_id
        })
        .collect()
}

#[test]
fn the_user_list_is_paginated_and_the_iterator_walks_every_page() {
    let sandbox = Sandbox::start().unwrap();
    let admin = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let invited = invite(&admin, 8); // 11 users in all

    let query = ListUsers::new().limit(4);
    let first = admin.users().list(&query, None).unwrap();
    assert_eq!(first.items.len(), 4);
    let token = first.next_page_token.clone().unwrap();
    let second = admin.users().list(&query, Some(&token)).unwrap();
    assert_eq!(second.items.len(), 4);
    assert!(
        second
            .items
            .iter()
            .all(|u| first.items.iter().all(|f| f.user_id != u.user_id))
    );
    let third = admin
        .users()
        .list(&query, second.next_page_token.as_deref())
        .unwrap();
    assert_eq!(third.items.len(), 3);
    assert!(third.next_page_token.is_none());

    let before = sandbox.requests().len();
    let mut pages = admin.users().iter(&query).unwrap();
    assert_eq!(
        sandbox.requests().len(),
        before,
        "nothing is sent before the first item"
    );
    let first_item = pages.next().unwrap().unwrap();
    assert_eq!(first_item.user_id, first.items[0].user_id);
    assert_eq!(sandbox.requests().len(), before + 1, "one page fetched");
    assert!(format!("{pages:?}").contains("buffered: 3"), "{pages:?}");
    let rest: Vec<String> = pages.map(|u| u.unwrap().user_id).collect();
    assert_eq!(rest.len(), 10);
    assert_eq!(sandbox.requests().len(), before + 3, "three pages in all");
    for id in &invited {
        assert!(rest.contains(id));
    }
    let targets: Vec<String> = sandbox.requests()[before..]
        .iter()
        .map(|r| r.target.clone())
        .collect();
    assert_eq!(targets[0], "/auth/users?limit=4");
    assert!(targets[1].starts_with("/auth/users?limit=4&paginationToken="));

    // The kind filter reaches the server: there are no end users in the sandbox.
    let end_users = admin
        .users()
        .list(&ListUsers::new().kind(UserKind::EndUser), None)
        .unwrap();
    assert!(end_users.items.is_empty());
}

#[test]
fn the_sandbox_refuses_bad_page_tokens_and_limits() {
    let sandbox = Sandbox::start().unwrap();
    let admin = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    assert!(matches!(
        admin.users().list(&ListUsers::new(), Some("garbage")),
        Err(Error::BadRequest(_))
    ));
    assert!(matches!(
        admin.users().list(&ListUsers::new().limit(0), None),
        Err(Error::BadRequest(_))
    ));
    assert!(matches!(
        admin.users().list(&ListUsers::new().limit(201), None),
        Err(Error::BadRequest(_))
    ));
    assert_eq!(
        admin
            .users()
            .list(&ListUsers::new().limit(200), None)
            .unwrap()
            .items
            .len(),
        3
    );
}

#[test]
fn the_iterator_stops_at_the_first_error() {
    let sandbox = Sandbox::start().unwrap();
    let admin = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    invite(&admin, 5); // 8 users: pages of 3, 3, 2

    let mut pages = admin.users().iter(&ListUsers::new().limit(3)).unwrap();
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(pages.next().unwrap().unwrap().user_id);
    }
    // The second page fails.
    sandbox
        .script(ScriptedAnswer::dfns_error(500, "Internal Server Error").on("GET", "/auth/users"));
    assert!(matches!(pages.next(), Some(Err(Error::ServerError(_)))));
    assert!(pages.next().is_none(), "no request after an error");
    let users_requests = sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path() == "/auth/users")
        .count();
    assert_eq!(users_requests, 2);
    assert_eq!(seen.len(), 3);
}

#[test]
fn a_service_account_acts_with_its_own_token_and_key() {
    let sandbox = Sandbox::start().unwrap();
    let admin = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    for algorithm in [
        KeyAlgorithm::Ed25519,
        KeyAlgorithm::EcdsaP256,
        KeyAlgorithm::Rsa,
    ] {
        // The service account's key pair (a ready user's key serves as one).
        let key_pem = sandbox.user(algorithm).private_key_pem.clone();
        let public_pem = KeySigner::from_pem("", &key_pem)
            .unwrap()
            .public_key()
            .to_pem();
        let name = format!("robot {algorithm}");
        let created = admin
            .service_accounts()
            .create(&CreateServiceAccount::new(&name, &public_pem).external_id("ops-7"))
            .unwrap();
        let id = created.user_info.user_id.clone();
        assert!(id.starts_with("us-"));
        assert!(created.user_info.is_service_account && created.user_info.is_active);
        assert_eq!(created.user_info.name, name);
        let token = &created.access_tokens[0];
        assert_eq!(token.kind, Some(TokenKind::ServiceAccount));
        assert_eq!(token.public_key, public_pem);
        assert_eq!(token.linked_user_id, id);
        let secret = token.access_token.as_ref().unwrap();
        assert!(
            !format!("{created:?}").contains(secret.expose()),
            "redacted in Debug"
        );

        // Acting as the service account: its token authenticates, its key signs.
        let robot = Client::builder()
            .base_url(sandbox.url())
            .auth_token(secret.expose())
            .signer(KeySigner::from_pem(&token.cred_id, &key_pem).unwrap())
            .build()
            .unwrap();
        let verified = sandbox.stats().signatures_verified;
        let invited = robot
            .users()
            .create(&CreateUser::new(
                format!("{algorithm}@example.com"),
                UserKind::CustomerEmployee,
            ))
            .unwrap();
        assert_eq!(sandbox.stats().signatures_verified, verified + 1);
        assert_eq!(
            robot.users().get(&invited.user_id).unwrap().user_id,
            invited.user_id
        );
        // A service account may create neither PATs nor service accounts.
        match robot
            .pats()
            .create(&CreatePersonalAccessToken::new("pat", &public_pem))
        {
            Err(Error::PermissionDenied(error)) => {
                assert_eq!(error.permission(), Some("Auth:Pats:Create"));
            }
            other => panic!("expected 403, got {other:?}"),
        }
        assert!(matches!(
            robot
                .service_accounts()
                .create(&CreateServiceAccount::new("child", &public_pem)),
            Err(Error::PermissionDenied(_))
        ));

        let fetched = admin.service_accounts().get(&id).unwrap();
        assert!(
            fetched.access_tokens[0].access_token.is_none(),
            "shown once"
        );
        assert!(
            admin
                .service_accounts()
                .list()
                .unwrap()
                .iter()
                .any(|s| s.user_info.user_id == id)
        );
        let renamed = admin
            .service_accounts()
            .update(&id, &UpdateServiceAccount::new().name(format!("{name}!")))
            .unwrap();
        assert_eq!(renamed.user_info.name, format!("{name}!"));

        let deactivated = admin.service_accounts().deactivate(&id).unwrap();
        assert!(!deactivated.user_info.is_active && !deactivated.access_tokens[0].is_active);
        assert!(matches!(
            robot.users().get(&invited.user_id),
            Err(Error::Unauthenticated(_))
        ));
        assert!(
            admin
                .service_accounts()
                .activate(&id)
                .unwrap()
                .user_info
                .is_active
        );
        assert!(robot.users().get(&invited.user_id).is_ok());

        let deleted = admin
            .service_accounts()
            .delete(&id, Delete::Normal)
            .unwrap();
        assert_eq!(deleted.user_info.user_id, id);
        assert!(matches!(
            admin.service_accounts().get(&id),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            robot.users().get(&invited.user_id),
            Err(Error::Unauthenticated(_))
        ));
        assert!(
            admin
                .service_accounts()
                .list()
                .unwrap()
                .iter()
                .all(|s| s.user_info.user_id != id)
        );
    }
}

#[test]
fn service_account_errors_are_typed() {
    let sandbox = Sandbox::start().unwrap();
    let admin = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let pem = sandbox.user(KeyAlgorithm::EcdsaP256).public_key.to_pem();
    let first = admin
        .service_accounts()
        .create(&CreateServiceAccount::new("ci", &pem))
        .unwrap();
    match admin
        .service_accounts()
        .create(&CreateServiceAccount::new("ci", &pem))
    {
        Err(Error::Conflict(error)) => {
            let duplicate = error.duplicate().and_then(|d| d.id.as_deref());
            assert_eq!(duplicate, Some(first.user_info.user_id.as_str()));
        }
        other => panic!("expected 409, got {other:?}"),
    }
    assert!(matches!(
        admin
            .service_accounts()
            .create(&CreateServiceAccount::new("bad key", "not a pem")),
        Err(Error::BadRequest(_))
    ));
    // A plain user's id is not a service account.
    let human = sandbox.user(KeyAlgorithm::Rsa).user_id.clone();
    assert!(matches!(
        admin.service_accounts().get(&human),
        Err(Error::NotFound(_))
    ));
    match admin.service_accounts().deactivate("../x") {
        Err(Error::NotFound(error)) => {
            assert_eq!(error.details().unwrap()["serviceAccountId"], "../x");
        }
        other => panic!("expected 404, got {other:?}"),
    }

    // `force` travels as a query parameter outside what is signed.
    admin
        .service_accounts()
        .delete(&first.user_info.user_id, Delete::Force)
        .unwrap();
    let delete = sandbox
        .requests()
        .into_iter()
        .rfind(|r| r.method == "DELETE")
        .unwrap();
    assert_eq!(
        delete.target,
        format!(
            "/auth/service-accounts/{}?force=true",
            first.user_info.user_id
        )
    );
    let init = sandbox
        .requests()
        .into_iter()
        .rfind(|r| r.path() == "/auth/action/init")
        .unwrap();
    let init: serde_json::Value = serde_json::from_slice(&init.body).unwrap();
    assert_eq!(
        init["userActionHttpPath"],
        format!("/auth/service-accounts/{}", first.user_info.user_id)
    );
}

#[test]
#[allow(deprecated)]
fn applications_are_listed_and_read() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Rsa).unwrap();
    let apps = client.applications().list().unwrap();
    assert_eq!(apps.len(), 1);
    let app = &apps[0];
    assert!(app.app_id.starts_with("ap-"));
    assert_eq!(app.kind, Some(ApplicationKind::ServerSideApplication));
    assert_eq!(app.access_tokens[0].kind, Some(TokenKind::Application));
    let fetched = client.applications().get(&app.app_id).unwrap();
    assert_eq!(fetched.app_id, app.app_id);
    assert!(matches!(
        client.applications().get("ap-none"),
        Err(Error::NotFound(ref e)) if e.reason() == Some(ErrorReason::ApplicationNotFound)
    ));
    let request = sandbox.requests().into_iter().last().unwrap();
    assert_eq!(request.status, 404);
    assert!(request.header("x-dfns-nonce").is_some());
    assert!(
        request
            .header("authorization")
            .unwrap()
            .starts_with("Bearer ")
    );
}

#[test]
fn every_signed_action_is_logged_with_a_signature_that_verifies() {
    let sandbox = Sandbox::start().unwrap();
    let admin = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let admin_user = sandbox.user(KeyAlgorithm::EcdsaP256);
    let other = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let invited = admin
        .users()
        .create(&CreateUser::new(
            "log@example.com",
            UserKind::CustomerEmployee,
        ))
        .unwrap();
    admin.users().deactivate(&invited.user_id).unwrap();
    other.users().activate(&invited.user_id).unwrap();

    let now = SystemTime::now();
    let range = ListAuditLogs::between(
        now - Duration::from_secs(3600),
        now + Duration::from_secs(60),
    );
    let csv = admin.audit_logs().list(&range).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "id,action,userId,username,datePerformed");
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[2].contains(&format!("PUT /auth/users/{}/deactivate", invited.user_id)));

    let mine = admin
        .audit_logs()
        .list(&range.clone().user_id(&admin_user.user_id))
        .unwrap();
    assert_eq!(mine.lines().count(), 3, "{mine}");

    let id = lines[1].split(',').next().unwrap();
    let log = admin.audit_logs().get(id).unwrap();
    assert_eq!(log.action, "POST /auth/users");
    assert_eq!(log.user_id.as_deref(), Some(admin_user.user_id.as_str()));
    let credential = &log.first_factor_credential;
    assert_eq!(credential.id, admin_user.credential_id);
    assert_eq!(credential.kind, Some(CredentialKind::Key));
    let assertion = credential.assertion.as_ref().unwrap();
    let client_data = URL_SAFE_NO_PAD.decode(&assertion.client_data).unwrap();
    let signature = URL_SAFE_NO_PAD.decode(&assertion.signature).unwrap();
    let key = PublicKey::from_pem(&credential.public_key).unwrap();
    assert!(
        key.verify(&client_data, &signature),
        "the logged signature verifies"
    );
    let parsed: serde_json::Value = serde_json::from_slice(&client_data).unwrap();
    assert_eq!(parsed["type"], "key.get");

    assert!(matches!(
        admin.audit_logs().get("../x"),
        Err(Error::NotFound(_))
    ));
    let too_long = ListAuditLogs::between(now - Duration::from_secs(8 * 86_400), now);
    assert!(matches!(
        admin.audit_logs().list(&too_long),
        Err(Error::BadRequest(_))
    ));
    assert!(matches!(
        admin
            .audit_logs()
            .list(&ListAuditLogs::new(kept("yesterday"), kept("today"))),
        Err(Error::BadRequest(_))
    ));
    // Dfns's documented example form, without milliseconds, is accepted.
    let documented = ListAuditLogs::new(
        "2025-08-29T02:46:40Z".parse::<Timestamp>().unwrap(),
        "2025-09-01T02:46:40Z".parse::<Timestamp>().unwrap(),
    );
    assert_eq!(
        admin
            .audit_logs()
            .list(&documented)
            .unwrap()
            .lines()
            .count(),
        1
    );
}

#[test]
fn a_body_changed_after_signing_is_refused() {
    let sandbox = Sandbox::start().unwrap();
    let admin_user = sandbox.user(KeyAlgorithm::Ed25519);
    let server = Client::builder()
        .base_url(sandbox.url())
        .auth_token(&admin_user.auth_token)
        .build()
        .unwrap();
    let signer = admin_user.signer().unwrap();
    let target = sandbox.user(KeyAlgorithm::Rsa).user_id.clone();

    let signed = users::update(&target, &UpdateUser::new(false)).unwrap();
    let tampered = users::update(&target, &UpdateUser::new(true)).unwrap();
    let challenge = server.user_action_challenge(&signed).unwrap();
    let assertion = dfns_blocking::signing::CredentialSigner::sign(&signer, &challenge).unwrap();
    let token = server.complete_user_action(&challenge, &assertion).unwrap();
    assert!(matches!(
        server.send_with_user_action(&tampered, &token),
        Err(Error::PermissionDenied(ref e)) if e.reason() == Some(ErrorReason::UserActionSignatureInvalid)
    ));
    assert!(
        !server.users().get(&target).unwrap().is_sso_required,
        "nothing changed"
    );
}
