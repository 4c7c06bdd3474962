//! The auth additions: user groups, invitations, credential and permission deletion; every
//! handle method, called as a user would.

use dfns_blocking::KeyAlgorithm;
use dfns_blocking::KeySigner;
use dfns_blocking::api::permissions::CreatePermission;
use dfns_blocking::api::tenant::CreateTenantUser;
use dfns_blocking::api::user_groups::{CreateUserGroup, ListUserGroups, UpdateUserGroup, UserIds};
use dfns_blocking::sandbox::Sandbox;

pub(crate) fn script(sandbox: &Sandbox) {
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let groups = client.user_groups();

    let group = groups
        .create(&CreateUserGroup::new("treasury").description("signers"))
        .unwrap();
    groups.list(&ListUserGroups::new(), None).unwrap();
    groups.iter(&ListUserGroups::new()).unwrap().for_each(|g| {
        g.unwrap();
    });
    groups.get(&group.id).unwrap();
    groups
        .update(&group.id, &UpdateUserGroup::new().name("ops"))
        .unwrap();
    let user = client
        .users()
        .invite(&CreateTenantUser::new("grace@example.com"))
        .unwrap();
    groups
        .add_members(&group.id, &UserIds::new([user.id.as_str()]))
        .unwrap();
    groups
        .list_members(&group.id, &ListUserGroups::new(), None)
        .unwrap();
    groups
        .iter_members(&group.id, &ListUserGroups::new())
        .unwrap()
        .for_each(|m| {
            m.unwrap();
        });
    groups
        .remove_members(&group.id, &UserIds::new([user.id.as_str()]))
        .unwrap();
    groups.delete(&group.id).unwrap();

    let spare = KeySigner::from_pem("spare", include_str!("../keys/p256-pkcs8.pem")).unwrap();
    let credential = client.credentials().create_key("spare", &spare).unwrap();
    client
        .credentials()
        .delete(&credential.credential_uuid)
        .unwrap();

    let permission = client
        .permissions()
        .create(&CreatePermission::new("Doomed", ["Wallets:Read"]))
        .unwrap();
    client.permissions().delete(&permission.id).unwrap();
}
