//! The auth additions: user groups, invitations, OIDC login, token exchange, credential and
//! permission deletion; every handle method, called as a user would.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::login::{OidcLogin, OidcLoginInit};
use dfns_blocking::api::permissions::CreatePermission;
use dfns_blocking::api::user_groups::{CreateUserGroup, ListUserGroups, UpdateUserGroup, UserIds};
use dfns_blocking::api::users::UserKind;
use dfns_blocking::{Client, KeyAlgorithm, KeySigner};

pub(crate) fn script(sandbox: &Sandbox) {
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let nobody = Client::builder().base_url(sandbox.url()).build().unwrap();
    let groups = client.user_groups();

    // OIDC login (the sandbox's provider takes a username as code) and token exchange.
    let redirect = nobody
        .login()
        .oidc_init(&OidcLoginInit::new("https://app.example.com/cb").org_id(sandbox.org_id()))
        .unwrap();
    let state = redirect.redirect_url.split("state=").nth(1).unwrap();
    let username = &sandbox.user(KeyAlgorithm::Ed25519).user_id;
    nobody
        .login()
        .oidc(&OidcLogin::new(username, state))
        .unwrap();
    client.login().exchange_token(&sandbox.org_id()).unwrap();

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
    let invited = client
        .users()
        .invite("grace@example.com", &UserKind::TenantUser)
        .unwrap();
    let user_id = invited["id"].as_str().unwrap();
    groups
        .add_members(&group.id, &UserIds::new([user_id]))
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
        .remove_members(&group.id, &UserIds::new([user_id]))
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
