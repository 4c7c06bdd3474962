//! The auth additions end to end against the sandbox: the organisation's user groups,
//! invitations, OIDC login and token exchange (secrets kept out of `Debug`), deleting a
//! credential and a permission.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::login::{OidcLogin, OidcLoginInit};
use dfns_blocking::api::permissions::CreatePermission;
use dfns_blocking::api::user_groups::{CreateUserGroup, ListUserGroups, UpdateUserGroup, UserIds};
use dfns_blocking::api::users::UserKind;
use dfns_blocking::{Client, Error, KeyAlgorithm, KeySigner};

fn setup() -> (Sandbox, Client) {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    (sandbox, client)
}

#[test]
fn organisation_groups_hold_invited_users() {
    let (_sandbox, client) = setup();
    let invited = client
        .users()
        .invite("grace@example.com", &UserKind::TenantUser)
        .unwrap();
    assert_eq!(invited["kind"], "TenantUser");
    assert_eq!(invited["username"], "grace@example.com");
    let user_id = invited["id"].as_str().unwrap();
    assert_eq!(
        client.users().get(user_id).unwrap().username,
        "grace@example.com"
    );
    assert!(matches!(
        client
            .users()
            .invite("grace@example.com", &UserKind::TenantUser),
        Err(Error::Conflict { .. })
    ));
    assert!(matches!(
        client.users().invite("ada@example.com", &UserKind::EndUser),
        Err(Error::BadRequest(_))
    ));

    let groups = client.user_groups();
    let group = groups.create(&CreateUserGroup::new("signers")).unwrap();
    assert!(group.org_id.is_some() && group.description.is_none());
    groups
        .add_members(&group.id, &UserIds::new([user_id]))
        .unwrap();
    let members = groups
        .list_members(&group.id, &ListUserGroups::new(), None)
        .unwrap();
    assert_eq!(members.items[0].user_id(), Some(user_id));
    assert_eq!(groups.get(&group.id).unwrap().member_count, 1);

    let other = groups.create(&CreateUserGroup::new("approvers")).unwrap();
    groups
        .add_members(&other.id, &UserIds::new([user_id]))
        .unwrap();
    assert_eq!(
        groups.get(&other.id).unwrap().member_count,
        1,
        "a user in two groups"
    );
    let names: Vec<String> = groups
        .iter(&ListUserGroups::new().limit(1))
        .unwrap()
        .map(|g| g.unwrap().name)
        .collect();
    assert_eq!(names, ["signers", "approvers"]);

    groups
        .update(
            &group.id,
            &UpdateUserGroup::new().description("two of three"),
        )
        .unwrap();
    groups
        .remove_members(&group.id, &UserIds::new([user_id]))
        .unwrap();
    assert_eq!(groups.get(&group.id).unwrap().member_count, 0);
    assert_eq!(
        groups.get(&other.id).unwrap().member_count,
        1,
        "the other group keeps it"
    );
    groups.delete(&group.id).unwrap();
    for id in [group.id.as_str(), "ug-unknown", "../auth/users"] {
        match groups.get(id) {
            Err(Error::NotFound(error)) => {
                assert_eq!(error.message(), "User group not found");
                assert_eq!(error.details().unwrap()["userGroupId"], id);
            }
            other => panic!("{id:?}: {other:?}"),
        }
    }
}

#[test]
fn an_oidc_login_gives_a_working_token_and_hides_the_code() {
    let (sandbox, _client) = setup();
    let nobody = Client::builder().base_url(sandbox.url()).build().unwrap();
    let redirect = nobody
        .login()
        .oidc_init(&OidcLoginInit::new("https://app.example.com/cb").org_id(sandbox.org_id()))
        .unwrap();
    let url = &redirect.redirect_url;
    assert!(
        url.contains("redirect_uri=https%3A%2F%2Fapp%2Eexample%2Ecom%2Fcb"),
        "{url}"
    );
    let state = redirect
        .redirect_url
        .split("state=")
        .nth(1)
        .unwrap()
        .to_owned();

    let username = sandbox.user(KeyAlgorithm::Rsa).user_id.clone();
    let body = OidcLogin::new(&username, &state);
    assert!(
        !format!("{body:?}").contains(&username),
        "the code is a secret"
    );
    let token = nobody.login().oidc(&body).unwrap().token;
    assert!(!format!("{token:?}").contains(token.expose()));
    let user = nobody.with_auth_token(token.expose()).unwrap();
    assert!(
        user.credentials().list().is_ok(),
        "the token acts as the user"
    );

    // A state is good once.
    match nobody.login().oidc(&OidcLogin::new(&username, &state)) {
        Err(error) if error.status() == Some(401) => {
            assert!(!error.to_string().contains(&username), "{error}")
        }
        other => panic!("{other:?}"),
    }
    let tenant = OidcLoginInit::new("https://app.example.com/cb").tenant_id("tenant-1");
    assert!(nobody.login().oidc_init(&tenant).is_ok(), "a tenant login");
    assert!(matches!(
        nobody
            .login()
            .oidc_init(&OidcLoginInit::new("not a url").org_id(sandbox.org_id())),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn an_exchanged_token_acts_as_the_same_user() {
    let (_sandbox, client) = setup();
    let exchanged = client.login().exchange_token("or-target").unwrap().token;
    assert!(!format!("{exchanged:?}").contains(exchanged.expose()));
    let as_user = client.with_auth_token(exchanged.expose()).unwrap();
    let mine = client.credentials().list().unwrap();
    let theirs = as_user.credentials().list().unwrap();
    assert_eq!(mine.len(), theirs.len());
    assert!(matches!(
        client.login().exchange_token(""),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn credentials_and_permissions_are_deleted_for_good() {
    let (_sandbox, client) = setup();
    let spare = KeySigner::from_pem("spare", include_str!("keys/p256-pkcs8.pem")).unwrap();
    let credential = client.credentials().create_key("spare", &spare).unwrap();
    client
        .credentials()
        .delete(&credential.credential_uuid)
        .unwrap();
    let left: Vec<String> = (client.credentials().list().unwrap().into_iter())
        .map(|c| c.credential_uuid)
        .collect();
    assert!(!left.contains(&credential.credential_uuid));
    match client.credentials().delete(&credential.credential_uuid) {
        Err(Error::NotFound(error)) => assert_eq!(error.message(), "credential not found"),
        other => panic!("{other:?}"),
    }

    let permission = client
        .permissions()
        .create(&CreatePermission::new("Doomed", ["Wallets:Read"]))
        .unwrap();
    client.permissions().delete(&permission.id).unwrap();
    assert!(matches!(
        client.permissions().get(&permission.id),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        client.permissions().delete("a/b"),
        Err(Error::NotFound(_))
    ));
}
