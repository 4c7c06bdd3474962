//! The tenant domain: every handle method, called as a tenant administrator would.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::KeyAlgorithm;
use dfns_blocking::api::ListPage;
use dfns_blocking::api::tenant::{CreateOrg, CreateTenantUser, ListOrgs, OrgStatus, UpdateOrg};
use dfns_blocking::api::user_groups::{CreateUserGroup, UpdateUserGroup, UserIds};
use serde_json::json;

pub(crate) fn script(sandbox: &Sandbox) {
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let tenant = client.tenant();
    let page = ListPage::new();

    // Organisations.
    let org = tenant
        .create_org(&CreateOrg::new("Acme EU", vec![json!({ "kind": "Hsm" })]))
        .unwrap();
    tenant.list_orgs(&ListOrgs::new(), None).unwrap();
    tenant.iter_orgs(&ListOrgs::new()).unwrap().for_each(|o| {
        o.unwrap();
    });
    tenant.get_org(&org.id).unwrap();
    tenant
        .update_org(&org.id, &UpdateOrg::new().name("Acme Europe"))
        .unwrap();
    tenant
        .update_org_status(&org.id, &OrgStatus::Suspended)
        .unwrap();

    // Permissions (the sandbox has those a test seeds).
    let permission = sandbox
        .seed(
            "/tenant/permissions",
            json!({ "name": "Tenant readers", "operations": ["Orgs:Read"], "status": "Active" }),
        )
        .unwrap();
    let permission_id = permission["id"].as_str().unwrap();
    tenant.list_permissions(&page, None).unwrap();
    tenant.iter_permissions(&page).unwrap().for_each(|p| {
        p.unwrap();
    });
    tenant.get_permission(permission_id).unwrap();

    // Users.
    let user = tenant
        .create_user(&CreateTenantUser::new("ada@example.com"))
        .unwrap();
    tenant.list_users(&page, None).unwrap();
    tenant.iter_users(&page).unwrap().for_each(|u| {
        u.unwrap();
    });
    tenant.get_user(&user.id).unwrap();
    tenant.update_user(&user.id, true).unwrap();
    tenant.assign_permission(permission_id, &user.id).unwrap();
    tenant.revoke_permission(permission_id, &user.id).unwrap();

    // User groups.
    let group = tenant
        .create_user_group(&CreateUserGroup::new("auditors"))
        .unwrap();
    tenant.list_user_groups(&page, None).unwrap();
    tenant.iter_user_groups(&page).unwrap().for_each(|g| {
        g.unwrap();
    });
    tenant.get_user_group(&group.id).unwrap();
    tenant
        .update_user_group(&group.id, &UpdateUserGroup::new().description("read only"))
        .unwrap();
    let members = UserIds::new([user.id.as_str()]);
    tenant.add_user_group_members(&group.id, &members).unwrap();
    tenant
        .list_user_group_members(&group.id, &page, None)
        .unwrap();
    tenant
        .iter_user_group_members(&group.id, &page)
        .unwrap()
        .for_each(|m| {
            m.unwrap();
        });
    tenant
        .remove_user_group_members(&group.id, &members)
        .unwrap();
    tenant.delete_user_group(&group.id).unwrap();
    tenant.delete_user(&user.id).unwrap();
}
