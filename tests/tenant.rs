//! Tenant administration end to end against the sandbox: organisations and their statuses,
//! permissions, users and user groups with members, typed errors.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::ListPage;
use dfns_blocking::api::tenant::{
    CreateOrg, CreateTenantUser, ListOrgs, Org, OrgStatus, UpdateOrg,
};
use dfns_blocking::api::user_groups::{CreateUserGroup, UpdateUserGroup, UserIds};
use dfns_blocking::api::users::UserKind;
use dfns_blocking::{Client, Error, KeyAlgorithm};
use serde_json::json;

fn setup() -> (Sandbox, Client) {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    (sandbox, client)
}

fn org(client: &Client, name: &str) -> Org {
    let key_stores = vec![json!({ "kind": "Hsm", "region": "eu" })];
    client
        .tenant()
        .create_org(&CreateOrg::new(name, key_stores))
        .unwrap()
}

#[test]
fn organisations_are_created_renamed_and_listed_by_status() {
    let (sandbox, client) = setup();
    let tenant = client.tenant();
    let eu = org(&client, "Acme EU");
    assert!(eu.id.starts_with("or-"), "{eu:?}");
    assert_eq!(eu.status, Some(OrgStatus::Active));
    assert_eq!(eu.other["keyStores"][0]["region"], "eu", "kept as sent");
    let us = org(&client, "Acme US");

    let renamed = tenant
        .update_org(&eu.id, &UpdateOrg::new().name("Acme Europe"))
        .unwrap();
    assert_eq!(renamed.name, "Acme Europe");
    tenant
        .update_org_status(&us.id, &OrgStatus::Suspended)
        .unwrap();
    let answered = sandbox.requests().pop().unwrap().response_body;
    assert_eq!(answered, b"{}", "a status change answers an empty object");
    assert_eq!(
        tenant.get_org(&us.id).unwrap().status,
        Some(OrgStatus::Suspended)
    );

    let names = |query: &ListOrgs| -> Vec<String> {
        tenant
            .iter_orgs(query)
            .unwrap()
            .map(|o| o.unwrap().name)
            .collect()
    };
    assert_eq!(names(&ListOrgs::new().limit(1)), ["Acme Europe", "Acme US"]);
    assert_eq!(
        names(&ListOrgs::new().status([OrgStatus::Active])),
        ["Acme Europe"]
    );
    assert_eq!(
        names(&ListOrgs::new().status([OrgStatus::Active, OrgStatus::Suspended])).len(),
        2
    );
    let unknown = OrgStatus::from("Frozen");
    assert!(matches!(
        tenant.update_org_status(&eu.id, &unknown),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn tenant_users_are_invited_updated_and_deleted() {
    let (_sandbox, client) = setup();
    let tenant = client.tenant();
    let user = tenant
        .create_user(&CreateTenantUser::new("ada@example.com").external_id("hr-1"))
        .unwrap();
    assert_eq!(user.kind, Some(UserKind::TenantUser));
    assert_eq!(user.username, "ada@example.com");
    assert!(user.is_active && !user.is_registered && !user.is_sso_required);
    assert_eq!(user.external_id.as_deref(), Some("hr-1"));

    match tenant.create_user(&CreateTenantUser::new("ADA@example.com")) {
        Err(Error::Conflict(conflict)) => {
            assert_eq!(
                conflict.duplicate().unwrap().id.as_deref(),
                Some(user.id.as_str())
            )
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        tenant.create_user(&CreateTenantUser::new("not-an-email")),
        Err(Error::BadRequest(_))
    ));

    tenant.update_user(&user.id, true).unwrap();
    assert!(tenant.get_user(&user.id).unwrap().is_sso_required);
    tenant
        .create_user(&CreateTenantUser::new("grace@example.com"))
        .unwrap();
    let listed = tenant.list_users(&ListPage::new().limit(1), None).unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(
        tenant
            .iter_users(&ListPage::new().limit(1))
            .unwrap()
            .count(),
        2
    );

    tenant.delete_user(&user.id).unwrap();
    match tenant.get_user(&user.id) {
        Err(Error::NotFound(error)) => {
            assert_eq!(error.message(), "User not found");
            assert_eq!(error.details().unwrap()["userId"], user.id.as_str());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn seeded_permissions_are_read_assigned_and_revoked() {
    let (sandbox, client) = setup();
    let tenant = client.tenant();
    let seeded = sandbox
        .seed(
            "/tenant/permissions",
            json!({ "name": "Org admins", "operations": ["Orgs:Read", "Orgs:Update"], "status": "Active", "isImmutable": true }),
        )
        .unwrap();
    let id = seeded["id"].as_str().unwrap();
    let permission = tenant.get_permission(id).unwrap();
    assert_eq!(permission.operations, ["Orgs:Read", "Orgs:Update"]);
    assert!(permission.is_immutable && !permission.is_archived);
    assert_eq!(
        tenant
            .list_permissions(&ListPage::new(), None)
            .unwrap()
            .items
            .len(),
        1
    );
    tenant.assign_permission(id, "us-1").unwrap();
    tenant.revoke_permission(id, "us-1").unwrap();
    assert!(matches!(
        tenant.assign_permission(id, ""),
        Err(Error::BadRequest(_))
    ));
    assert!(matches!(
        tenant.assign_permission("pm-unknown", "us-1"),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn tenant_user_groups_keep_their_members_and_count() {
    let (_sandbox, client) = setup();
    let tenant = client.tenant();
    let group = tenant
        .create_user_group(&CreateUserGroup::new("auditors").description("read only"))
        .unwrap();
    assert_eq!(
        (group.member_count, group.description.as_deref()),
        (0, Some("read only"))
    );
    assert!(group.tenant_id.is_some() && group.org_id.is_none());

    tenant
        .add_user_group_members(&group.id, &UserIds::new(["us-1", "us-2", "us-1"]))
        .unwrap();
    tenant
        .add_user_group_members(&group.id, &UserIds::new(["us-2", "us-3"]))
        .unwrap();
    let members: Vec<String> = tenant
        .iter_user_group_members(&group.id, &ListPage::new().limit(2))
        .unwrap()
        .map(|m| m.unwrap().user_id().unwrap().to_owned())
        .collect();
    assert_eq!(members, ["us-1", "us-2", "us-3"]);
    tenant
        .remove_user_group_members(&group.id, &UserIds::new(["us-2", "us-9"]))
        .unwrap();
    assert_eq!(tenant.get_user_group(&group.id).unwrap().member_count, 2);

    let updated = tenant
        .update_user_group(&group.id, &UpdateUserGroup::new().name("external auditors"))
        .unwrap();
    assert_eq!(updated.name, "external auditors");
    assert_eq!(updated.description.as_deref(), Some("read only"));

    assert!(matches!(
        tenant.add_user_group_members(&group.id, &UserIds::new(Vec::<String>::new())),
        Err(Error::BadRequest(_))
    ));
    tenant.delete_user_group(&group.id).unwrap();
    for result in [
        tenant.get_user_group(&group.id).map(|_| ()),
        tenant
            .list_user_group_members(&group.id, &ListPage::new(), None)
            .map(|_| ()),
    ] {
        match result {
            Err(Error::NotFound(error)) => assert_eq!(error.message(), "User group not found"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn unknown_and_odd_ids_are_not_found() {
    let (_sandbox, client) = setup();
    let tenant = client.tenant();
    for id in ["or-unknown", "a/b", "../tenant/users"] {
        match tenant.get_org(id) {
            Err(Error::NotFound(error)) => {
                assert_eq!(error.message(), "Org not found");
                assert_eq!(error.details().unwrap()["orgId"], id);
            }
            other => panic!("{id:?}: {other:?}"),
        }
        assert!(matches!(tenant.get_user(id), Err(Error::NotFound(_))));
        assert!(matches!(tenant.get_user_group(id), Err(Error::NotFound(_))));
        assert!(matches!(tenant.delete_user(id), Err(Error::NotFound(_))));
    }
    assert!(matches!(
        tenant.get_org(""),
        Err(Error::InvalidInput { .. })
    ));
}

#[test]
fn organisation_statuses_go_in_the_query_once_each() {
    let (sandbox, client) = setup();
    let query = ListOrgs::new()
        .limit(5)
        .status([OrgStatus::Active, OrgStatus::Archived]);
    client.tenant().list_orgs(&query, None).unwrap();
    let sent = sandbox.requests().pop().unwrap();
    assert_eq!(
        sent.target,
        "/tenant/orgs?limit=5&status=Active&status=Archived"
    );
}
