//! The permissions API end to end against the sandbox: permissions, assignments, pagination
//! and the documented errors.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::Delete;
use dfns_blocking::api::permissions::{
    self, CreatePermission, ListAssignments, ListPermissions, PermissionStatus, UpdatePermission,
};
use dfns_blocking::api::users::{CreateUser, UserKind};
use dfns_blocking::{Error, ErrorReason, KeyAlgorithm, Method, Request};
use serde_json::Value;

/// The requests the sandbox saw for `method` on paths starting with `prefix`.
fn seen(sandbox: &Sandbox, method: &str, prefix: &str) -> Vec<crate::support::RecordedRequest> {
    sandbox
        .requests()
        .into_iter()
        .filter(|r| r.method == method && r.path().starts_with(prefix))
        .collect()
}

/// How many permissions the first page lists.
fn permission_count(client: &dfns_blocking::Client) -> usize {
    let page = client.permissions().list(&ListPermissions::new(), None);
    page.unwrap().items.len()
}

#[test]
#[allow(deprecated)]
fn every_permission_endpoint_round_trips() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let holder = sandbox.user(KeyAlgorithm::Ed25519).user_id.clone();

    let created = client
        .permissions()
        .create(&CreatePermission::new(
            "Readers",
            ["Wallets:Read", "Wallets:Transfers:Read"],
        ))
        .unwrap();
    assert!(created.id.starts_with("pm-"), "{}", created.id);
    assert_eq!(created.name, "Readers");
    assert_eq!(
        created.operations,
        ["Wallets:Read", "Wallets:Transfers:Read"]
    );
    assert_eq!(created.status, Some(PermissionStatus::Active));
    assert!(!created.is_archived && !created.is_immutable);
    assert!(created.date_created.to_system_time().is_some());

    let fetched = client.permissions().get(&created.id).unwrap();
    assert_eq!(fetched.id, created.id);
    assert!(fetched.pending_change_request.is_none());

    let page = client
        .permissions()
        .list(&ListPermissions::new(), None)
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, created.id);
    assert_eq!(page.next_page_token, None);

    let updated = client
        .permissions()
        .update(
            &created.id,
            &UpdatePermission::new()
                .name("Auditors")
                .operations(["Auth:Logs:Read"]),
        )
        .unwrap();
    assert_eq!(updated.name, "Auditors");
    assert_eq!(updated.operations, ["Auth:Logs:Read"]);
    assert_eq!(
        client.permissions().get(&created.id).unwrap().name,
        "Auditors"
    );

    let assignment = client.permissions().assign(&created.id, &holder).unwrap();
    assert!(assignment.id.starts_with("as-"));
    assert_eq!(assignment.permission_id, created.id);
    assert_eq!(assignment.identity_id, holder);

    let assignments = client
        .permissions()
        .list_assignments(&created.id, &ListAssignments::new(), None)
        .unwrap();
    assert_eq!(assignments.items.len(), 1);
    assert_eq!(assignments.items[0].id, assignment.id);

    client
        .permissions()
        .revoke(&created.id, &assignment.id, Delete::Normal)
        .unwrap();
    let revoke = seen(&sandbox, "DELETE", "/permissions/").pop().unwrap();
    assert_eq!(revoke.status, 200);
    assert!(revoke.response_body.is_empty(), "Dfns documents no body");
    assert!(
        client
            .permissions()
            .list_assignments(&created.id, &ListAssignments::new(), None)
            .unwrap()
            .items
            .is_empty()
    );

    let archived = client.permissions().archive(&created.id).unwrap();
    assert!(archived.is_archived);
    let archive = seen(&sandbox, "PUT", "/permissions/").pop().unwrap();
    assert_eq!(
        archive.path(),
        format!("/permissions/{}/archive", created.id)
    );
    assert_eq!(archive.body, br#"{"isArchived":true}"#);
    assert!(client.permissions().get(&created.id).unwrap().is_archived);

    // Five signed calls (create, update, assign, revoke, archive), each verified; reads are
    // not signed.
    assert_eq!(sandbox.stats().signatures_verified, 5);
    for read in seen(&sandbox, "GET", "/permissions") {
        assert!(read.header("x-dfns-useraction").is_none(), "{read:?}");
    }
    for write in sandbox
        .requests()
        .iter()
        .filter(|r| r.method != "GET" && r.path().starts_with("/permissions"))
    {
        assert!(write.header("x-dfns-useraction").is_some(), "{write:?}");
        assert_eq!(write.status, 200, "{write:?}");
    }
}

#[test]
fn a_forced_revoke_sends_the_query_and_signs_the_bare_path() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Rsa).unwrap();
    let holder = sandbox.user(KeyAlgorithm::Ed25519).user_id.clone();
    let permission = client
        .permissions()
        .create(&CreatePermission::new(
            "Signers",
            ["Wallets:GenerateSignature"],
        ))
        .unwrap();
    let assignment = client
        .permissions()
        .assign(&permission.id, &holder)
        .unwrap();

    let request = permissions::revoke(&permission.id, &assignment.id, Delete::Force).unwrap();
    assert_eq!(request.body(), Some("{}"));
    client.send(&request).unwrap();

    let sent = seen(&sandbox, "DELETE", "/permissions/").pop().unwrap();
    let path = format!(
        "/permissions/{}/assignments/{}",
        permission.id, assignment.id
    );
    assert_eq!(sent.target, format!("{path}?force=true"));
    let init = seen(&sandbox, "POST", "/auth/action/init").pop().unwrap();
    let init: serde_json::Value = serde_json::from_slice(&init.body).unwrap();
    assert_eq!(init["userActionHttpPath"], path.as_str());
    assert_eq!(init["userActionHttpMethod"], "DELETE");
}

#[test]
fn the_iterators_follow_next_page_token_over_several_pages() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let mut ids = Vec::new();
    for n in 0..7 {
        let permission = client
            .permissions()
            .create(&CreatePermission::new(format!("p{n}"), ["Wallets:Read"]))
            .unwrap();
        ids.push(permission.id);
    }

    // A page by hand, then the rest by token.
    let first = client
        .permissions()
        .list(&ListPermissions::new().limit(3), None)
        .unwrap();
    assert_eq!(first.items.len(), 3);
    let token = first.next_page_token.clone().expect("more pages");
    let second = client
        .permissions()
        .list(&ListPermissions::new().limit(3), Some(&token))
        .unwrap();
    assert_eq!(second.items[0].id, ids[3]);

    let before = seen(&sandbox, "GET", "/permissions").len();
    let all: Vec<String> = client
        .permissions()
        .iter(&ListPermissions::new().limit(3))
        .unwrap()
        .map(|p| p.unwrap().id)
        .collect();
    assert_eq!(all, ids, "every permission once, in order");
    let pages = seen(&sandbox, "GET", "/permissions");
    assert_eq!(pages.len() - before, 3, "7 items at 3 a page is 3 requests");
    assert_eq!(pages[before].target, "/permissions?limit=3");
    assert!(
        pages[before + 1]
            .target
            .starts_with("/permissions?limit=3&paginationToken=")
    );

    // Assignments page the same way.
    let permission = &ids[0];
    let users: Vec<String> = [
        KeyAlgorithm::Ed25519,
        KeyAlgorithm::EcdsaP256,
        KeyAlgorithm::Rsa,
    ]
    .iter()
    .map(|a| sandbox.user(*a).user_id.clone())
    .collect();
    for user in &users {
        client.permissions().assign(permission, user).unwrap();
    }
    let holders: Vec<String> = client
        .permissions()
        .iter_assignments(permission, &ListAssignments::new().limit(2))
        .unwrap()
        .map(|a| a.unwrap().identity_id)
        .collect();
    assert_eq!(holders, users);
}

#[test]
#[allow(deprecated)]
fn unknown_and_odd_ids_are_not_found() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    for id in ["pm-unknown", "a/b", "../auth/pats"] {
        match client.permissions().get(id) {
            Err(Error::NotFound(error)) => {
                assert_eq!(error.message(), "permission not found");
                assert_eq!(error.details().unwrap()["permissionId"], id);
            }
            other => panic!("{id:?}: {other:?}"),
        }
        assert!(matches!(
            client
                .permissions()
                .update(id, &UpdatePermission::new().name("x")),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            client.permissions().archive(id),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            client
                .permissions()
                .list_assignments(id, &ListAssignments::new(), None),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            client.permissions().revoke(id, "as-1", Delete::Normal),
            Err(Error::NotFound(_))
        ));
    }
    let last_get = seen(&sandbox, "GET", "/permissions/a%2Fb");
    assert_eq!(last_get[0].target, "/permissions/a%2Fb", "one segment");
    // An empty id never leaves the client.
    assert!(matches!(
        client.permissions().get(""),
        Err(Error::InvalidInput { .. })
    ));
}

#[test]
#[allow(deprecated)]
fn assignment_errors_are_typed() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let holder = sandbox.user(KeyAlgorithm::Rsa).user_id.clone();
    let permission = client
        .permissions()
        .create(&CreatePermission::new("Readers", ["Wallets:Read"]))
        .unwrap();

    match client.permissions().assign(&permission.id, "us-nobody") {
        Err(Error::NotFound(error)) => assert_eq!(error.message(), "identity not found"),
        other => panic!("{other:?}"),
    }
    let assignment = client
        .permissions()
        .assign(&permission.id, &holder)
        .unwrap();
    match client.permissions().assign(&permission.id, &holder) {
        Err(Error::Conflict(error)) => {
            assert_eq!(
                error.duplicate().and_then(|d| d.id.as_deref()),
                Some(assignment.id.as_str())
            );
        }
        other => panic!("{other:?}"),
    }
    match client
        .permissions()
        .revoke(&permission.id, "as-unknown", Delete::Normal)
    {
        Err(Error::NotFound(error)) => assert_eq!(error.message(), "assignment not found"),
        other => panic!("{other:?}"),
    }
    client
        .permissions()
        .revoke(&permission.id, &assignment.id, Delete::Normal)
        .unwrap();
    assert!(matches!(
        client
            .permissions()
            .revoke(&permission.id, &assignment.id, Delete::Normal),
        Err(Error::NotFound(_))
    ));

    client.permissions().archive(&permission.id).unwrap();
    let again = client.permissions().archive(&permission.id).unwrap();
    assert!(again.is_archived, "archiving twice changes nothing");
    assert!(matches!(
        client.permissions().assign(&permission.id, &holder),
        Err(Error::BadRequest(_))
    ));
    assert!(matches!(
        client
            .permissions()
            .update(&permission.id, &UpdatePermission::new().name("again")),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn invalid_bodies_and_queries_are_bad_requests() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let no_operations: [&str; 0] = [];
    assert!(matches!(
        client
            .permissions()
            .create(&CreatePermission::new("Empty", no_operations)),
        Err(Error::BadRequest(_))
    ));
    assert!(matches!(
        client
            .permissions()
            .create(&CreatePermission::new("", ["Wallets:Read"])),
        Err(Error::BadRequest(_))
    ));
    for (query, token) in [
        (ListPermissions::new(), Some("not-a-token")),
        (ListPermissions::new().limit(0), None),
    ] {
        let result = client.permissions().list(&query, token);
        assert!(
            matches!(result, Err(Error::BadRequest(_))),
            "{query:?} {token:?}: {result:?}"
        );
    }
    // Nothing was created by the refused calls.
    assert_eq!(permission_count(&client), 0);
}

#[test]
fn signed_permission_calls_fail_without_a_signer_and_send_nothing() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::EcdsaP256);
    let client = dfns_blocking::Client::builder()
        .base_url(sandbox.url())
        .auth_token(&user.auth_token)
        .build()
        .unwrap();
    assert!(matches!(
        client
            .permissions()
            .create(&CreatePermission::new("Readers", ["Wallets:Read"])),
        Err(Error::NoSigner)
    ));
    assert!(sandbox.requests().is_empty());
    // Reads need no signer.
    assert_eq!(permission_count(&client), 0);
}

#[test]
fn mutations_without_a_user_action_are_refused_and_unknown_routes_are_not_found() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let body = CreatePermission::new("Readers", ["Wallets:Read"]);
    let empty = Value::Object(Default::default());
    let unsigned = [
        Request::<Value>::fixed(Method::Post, "/permissions")
            .unwrap()
            .json(&body)
            .unwrap(),
        Request::new(Method::Put, "/permissions/{}/archive", &["pm-1"])
            .unwrap()
            .json(&empty)
            .unwrap(),
        Request::fixed(Method::Post, "/v2/policies")
            .unwrap()
            .json(&empty)
            .unwrap(),
        Request::new(Method::Delete, "/v2/policies/{}", &["plc-1"])
            .unwrap()
            .json(&empty)
            .unwrap(),
        Request::new(Method::Post, "/v2/policy-approvals/{}/decisions", &["ap-1"])
            .unwrap()
            .json(&empty)
            .unwrap(),
        Request::new(Method::Delete, "/permissions/{}", &["pm-1"])
            .unwrap()
            .json(&empty)
            .unwrap(),
    ];
    for request in unsigned {
        let result = client.send(&request);
        assert!(
            matches!(result, Err(Error::PermissionDenied(ref e)) if e.reason() == Some(ErrorReason::UserActionSignatureInvalid)),
            "{request:?}: {result:?}"
        );
    }
    assert_eq!(permission_count(&client), 0);
    let unknown = [
        Request::<Value>::new(Method::Patch, "/permissions/{}", &["pm-1"])
            .unwrap()
            .json(&empty)
            .unwrap(),
        Request::new(Method::Put, "/permissions/{}/assignments", &["pm-1"])
            .unwrap()
            .json(&empty)
            .unwrap(),
        Request::new(Method::Get, "/v2/policy-approvals/{}/decisions", &["ap-1"]).unwrap(),
    ];
    for request in unknown {
        match client.send(&request) {
            Err(Error::NotFound(error)) => assert_eq!(error.message(), "Route not found"),
            other => panic!("{request:?}: {other:?}"),
        }
    }
}

#[test]
fn invited_users_and_service_accounts_can_hold_permissions_deleted_users_cannot() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let permission = client
        .permissions()
        .create(&CreatePermission::new("Readers", ["Wallets:Read"]))
        .unwrap();
    let invited = client
        .users()
        .create(&CreateUser::new(
            "new.hire@example.com",
            UserKind::CustomerEmployee,
        ))
        .unwrap();
    let assignment = client
        .permissions()
        .assign(&permission.id, &invited.user_id)
        .unwrap();
    assert_eq!(assignment.identity_id, invited.user_id);

    let leaver = client
        .users()
        .create(&CreateUser::new(
            "leaver@example.com",
            UserKind::CustomerEmployee,
        ))
        .unwrap();
    client.users().delete(&leaver.user_id).unwrap();
    match client.permissions().assign(&permission.id, &leaver.user_id) {
        Err(Error::NotFound(error)) => assert_eq!(error.message(), "identity not found"),
        other => panic!("{other:?}"),
    }
}
