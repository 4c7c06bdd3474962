//! The auth, permissions and policies domains: every handle method, called as a user would.

use std::time::{Duration, SystemTime};

use crate::support::Sandbox;
use crate::support::{SandboxExt as _, UserExt as _};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dfns_blocking::api::Delete;
use dfns_blocking::api::audit_logs::ListAuditLogs;
use dfns_blocking::api::credentials::{CredentialInfo, CredentialKind, Expiration, NewCredential};
use dfns_blocking::api::login::{Logout, OrgUser, SocialLogin, SsoLogin, SsoLoginInit};
use dfns_blocking::api::pats::{CreatePersonalAccessToken, UpdatePersonalAccessToken};
use dfns_blocking::api::permissions::{
    CreatePermission, ListAssignments, ListPermissions, UpdatePermission,
};
use dfns_blocking::api::policies::{
    ActivityKind, ApprovalGroup, CreatePolicy, Decision, ListApprovals, ListPolicies, PolicyAction,
    PolicyFilters, PolicyRule,
};
use dfns_blocking::api::recovery::{CreateRecoveryChallenge, Recover};
use dfns_blocking::api::registration::{
    CreateRegistrationChallenge, DelegatedRegistration, NewCredentials, RegisterEndUser, WalletSpec,
};
use dfns_blocking::api::service_accounts::{CreateServiceAccount, UpdateServiceAccount};
use dfns_blocking::api::users::{CreateUser, ListUsers, UpdateUser, UserKind};
use dfns_blocking::signing::CredentialSigner;
use dfns_blocking::{Client, Error, KeyAlgorithm, KeySigner, Timestamp};

fn key(id: &str, pem: &str) -> KeySigner {
    KeySigner::from_pem(id, pem).unwrap()
}

#[allow(deprecated)]
pub(crate) fn script(sandbox: &Sandbox) {
    let service = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let nobody = Client::builder().base_url(sandbox.url()).build().unwrap();
    let org = sandbox.org_id();
    let p256 = include_str!("../keys/p256-pkcs8.pem");
    let ed25519 = include_str!("../keys/ed25519-pkcs8.pem");
    let rsa = include_str!("../keys/rsa2048-pkcs8.pem");

    // Credentials.
    let laptop = key("laptop", p256);
    let created = service.credentials().create_key("laptop", &laptop).unwrap();
    service.credentials().list().unwrap();
    service
        .credentials()
        .deactivate(&created.credential_uuid)
        .unwrap();
    service
        .credentials()
        .activate(&created.credential_uuid)
        .unwrap();
    let code = service
        .credentials()
        .create_code(&Expiration::Date(
            Timestamp::parse("2999-01-01T00:00:00.000Z").unwrap(),
        ))
        .unwrap();
    nobody
        .credentials()
        .create_key_with_code(&code.code, "phone", &key("phone", rsa))
        .unwrap();

    // Registration: delegated, then the emailed-code path, then end user with wallets, social.
    let ivy = key("ivy", p256);
    let ivy_recovery = key("ivy-recovery", ed25519);
    let challenge = service
        .registration()
        .delegated(&DelegatedRegistration::end_user("ivy@example.com"))
        .unwrap();
    nobody
        .registration()
        .resend_code(&OrgUser::new(&org, "ivy@example.com"))
        .unwrap();
    let registration_code = sandbox.sent_code("ivy@example.com").unwrap();
    let challenge_by_code = nobody
        .registration()
        .create_challenge(&CreateRegistrationChallenge::new(
            &org,
            "ivy@example.com",
            &registration_code,
        ))
        .unwrap();
    assert_ne!(challenge.challenge, challenge_by_code.challenge);
    let recovery_credential = NewCredential::new(
        CredentialKind::RecoveryKey,
        CredentialInfo::Attestation(ivy_recovery.attest(&challenge_by_code.challenge).unwrap()),
    );
    nobody
        .registration()
        .register(
            &challenge_by_code,
            &NewCredentials::new(NewCredential::key(
                ivy.attest(&challenge_by_code.challenge).unwrap(),
            ))
            .recovery_credential(recovery_credential),
        )
        .unwrap();
    let jack = service
        .registration()
        .delegated(&DelegatedRegistration::end_user("jack@example.com"))
        .unwrap();
    service
        .registration()
        .register_end_user(
            &jack,
            &RegisterEndUser::new(
                NewCredentials::new(NewCredential::key(
                    key("jack", rsa).attest(&jack.challenge).unwrap(),
                )),
                vec![WalletSpec::new("Ethereum")],
            ),
        )
        .unwrap();
    let payload = URL_SAFE_NO_PAD.encode(br#"{"email":"kim@example.com"}"#);
    let social = SocialLogin::oidc(format!("e30.{payload}.c2ln"));
    let kim = nobody.registration().social(&social).unwrap();
    nobody
        .registration()
        .register(
            &kim,
            &NewCredentials::new(NewCredential::key(
                key("kim", ed25519).attest(&kim.challenge).unwrap(),
            )),
        )
        .unwrap();

    // Login.
    nobody
        .login()
        .send_code(&OrgUser::new(&org, "ivy@example.com"))
        .unwrap();
    let token = nobody
        .login()
        .with_key(&org, "ivy@example.com", &ivy)
        .unwrap();
    nobody
        .with_auth_token(token.expose())
        .unwrap()
        .login()
        .logout(&Logout::new())
        .unwrap();
    service.login().delegated("ivy@example.com").unwrap();
    nobody.login().social(&social).unwrap();
    let redirect = nobody
        .login()
        .sso_init(&SsoLoginInit::new(
            "client",
            &org,
            "https://app.example.com/sso",
        ))
        .unwrap();
    let state = redirect.sso_redirect_url.split("state=").nth(1).unwrap();
    nobody
        .login()
        .sso(&SsoLogin::new("kim@example.com", state))
        .unwrap();

    // Recovery, emailed and delegated.
    nobody
        .recovery()
        .send_code(&OrgUser::new(&org, "ivy@example.com"))
        .unwrap();
    let verification = sandbox.sent_code("ivy@example.com").unwrap();
    let recovery = nobody
        .recovery()
        .create_challenge(&CreateRecoveryChallenge::new(
            &org,
            "ivy@example.com",
            "ivy-recovery",
            &verification,
        ))
        .unwrap();
    service
        .recovery()
        .delegated("ivy@example.com", "ivy-recovery")
        .unwrap();
    let new_ivy = key("ivy-2", rsa);
    let credentials = NewCredentials::new(NewCredential::key(
        new_ivy.attest(&recovery.challenge).unwrap(),
    ));
    nobody
        .recovery()
        .recover(
            &recovery,
            &Recover::signed_with(credentials, &ivy_recovery).unwrap(),
        )
        .unwrap();

    // The user action steps, one by one.
    let request = dfns_blocking::api::pats::list().unwrap();
    let challenge = service.user_action_challenge(&request).unwrap();
    let assertion = CredentialSigner::sign(&service_signer(sandbox), &challenge).unwrap();
    service
        .complete_user_action(&challenge, &assertion)
        .unwrap();

    // Personal access tokens.
    let pem = sandbox.user(KeyAlgorithm::EcdsaP256).public_key.to_pem();
    let pat = service
        .pats()
        .create(&CreatePersonalAccessToken::new("ci", &pem))
        .unwrap();
    service.pats().list().unwrap();
    service.pats().get(&pat.token_id).unwrap();
    service
        .pats()
        .update(
            &pat.token_id,
            &UpdatePersonalAccessToken::new().name("ci-2"),
        )
        .unwrap();
    service.pats().deactivate(&pat.token_id).unwrap();
    service.pats().activate(&pat.token_id).unwrap();
    service.pats().delete(&pat.token_id).unwrap();

    // Users, service accounts, applications, audit logs.
    let user = service
        .users()
        .create(&CreateUser::new(
            "lee@example.com",
            UserKind::CustomerEmployee,
        ))
        .unwrap();
    service.users().list(&ListUsers::new(), None).unwrap();
    service.users().get(&user.user_id).unwrap();
    service
        .users()
        .update(&user.user_id, &UpdateUser::new(true))
        .unwrap();
    service.users().deactivate(&user.user_id).unwrap();
    service.users().activate(&user.user_id).unwrap();
    service.users().delete(&user.user_id).unwrap();
    let account = service
        .service_accounts()
        .create(&CreateServiceAccount::new("robot", &pem))
        .unwrap();
    let account_id = &account.user_info.user_id;
    service.service_accounts().list().unwrap();
    service.service_accounts().get(account_id).unwrap();
    service
        .service_accounts()
        .update(account_id, &UpdateServiceAccount::new().name("robot-2"))
        .unwrap();
    service.service_accounts().deactivate(account_id).unwrap();
    service.service_accounts().activate(account_id).unwrap();
    service
        .service_accounts()
        .delete(account_id, Delete::Normal)
        .unwrap();
    let app = service.applications().list().unwrap().remove(0);
    service.applications().get(&app.app_id).unwrap();
    let now = SystemTime::now();
    let range = ListAuditLogs::between(
        now - Duration::from_secs(3600),
        now + Duration::from_secs(60),
    );
    let csv = service.audit_logs().list(&range).unwrap();
    let id = csv
        .lines()
        .nth(1)
        .and_then(|line| line.split(',').next())
        .unwrap();
    service.audit_logs().get(id).unwrap();

    // Permissions.
    let permission = service
        .permissions()
        .create(&CreatePermission::new("Readers", ["Wallets:Read"]))
        .unwrap();
    service
        .permissions()
        .list(&ListPermissions::new(), None)
        .unwrap();
    service.permissions().get(&permission.id).unwrap();
    service
        .permissions()
        .update(&permission.id, &UpdatePermission::new().name("Auditors"))
        .unwrap();
    let assignment = service
        .permissions()
        .assign(
            &permission.id,
            &sandbox.user(KeyAlgorithm::EcdsaP256).user_id,
        )
        .unwrap();
    service
        .permissions()
        .list_assignments(&permission.id, &ListAssignments::new(), None)
        .unwrap();
    service
        .permissions()
        .revoke(&permission.id, &assignment.id, Delete::Normal)
        .unwrap();
    service.permissions().archive(&permission.id).unwrap();

    // Policies, and an approval for a change one of them holds.
    let approver = sandbox.client(KeyAlgorithm::Rsa).unwrap();
    let approver_id = &sandbox.user(KeyAlgorithm::Rsa).user_id;
    let governed = service
        .permissions()
        .create(&CreatePermission::new("Governed", ["Wallets:Read"]))
        .unwrap();
    let policy = service
        .policies()
        .create(
            &CreatePolicy::new(
                "Approver decides",
                ActivityKind::PermissionsModify,
                PolicyRule::AlwaysTrigger,
                PolicyAction::request_approval([ApprovalGroup::new(1).user_ids([approver_id])]),
            )
            .filters(PolicyFilters::new().permission_id([&governed.id])),
        )
        .unwrap();
    service.policies().list(&ListPolicies::new(), None).unwrap();
    service.policies().get(&policy.id).unwrap();
    service.policies().get_sumsub_public_key().unwrap();
    let held = service
        .permissions()
        .update(&governed.id, &UpdatePermission::new().name("Changed"));
    let Err(Error::PolicyApprovalPending(pending)) = held else {
        panic!("expected a pending approval: {held:?}");
    };
    let approval_id = pending.approval_id.clone().unwrap();
    approver
        .policy_approvals()
        .list(&ListApprovals::pending(), None)
        .unwrap();
    approver.policy_approvals().get(&approval_id).unwrap();
    approver
        .policy_approvals()
        .decide(&approval_id, &Decision::approve())
        .unwrap();
    let mut changed = CreatePolicy::from(&service.policies().get(&policy.id).unwrap());
    changed.name = "Renamed".into();
    service.policies().update(&policy.id, &changed).unwrap();
    service.policies().archive(&policy.id).unwrap();
}

fn service_signer(sandbox: &Sandbox) -> KeySigner {
    sandbox.user(KeyAlgorithm::Ed25519).signer().unwrap()
}
