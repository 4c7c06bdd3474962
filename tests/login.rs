//! Login, logout, registration and recovery end to end against the sandbox.

use crate::support::{Sandbox, ScriptedAnswer};
use crate::support::{SandboxExt as _, UserExt as _};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dfns_blocking::api::credentials::NewCredential;
use dfns_blocking::api::login::{
    CompleteLogin, CreateLoginChallenge, Logout, OrgUser, SocialLogin, SsoLogin, SsoLoginInit,
};
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::api::recovery::{CreateRecoveryChallenge, Recover};
use dfns_blocking::api::registration::{
    CreateRegistrationChallenge, DelegatedRegistration, NewCredentials, RegisterEndUser,
    RegistrationChallenge, WalletSpec,
};
use dfns_blocking::signing::{CredentialKind, CredentialSigner};
use dfns_blocking::{Client, Error, ErrorReason, KeyAlgorithm, KeySigner};

const P256: &str = include_str!("keys/p256-pkcs8.pem");
const ED25519: &str = include_str!("keys/ed25519-pkcs8.pem");
const RSA: &str = include_str!("keys/rsa2048-pkcs8.pem");

fn anonymous(sandbox: &Sandbox) -> Client {
    Client::builder().base_url(sandbox.url()).build().unwrap()
}

/// A signed call, to prove a client's token and signer work together.
fn signed_call(client: &Client, name: &str) -> dfns_blocking::Result<String> {
    let key = KeySigner::from_pem("unused", P256).unwrap();
    let pat = client.pats().create(&CreatePersonalAccessToken::new(
        name,
        key.public_key().to_pem(),
    ))?;
    Ok(pat.linked_user_id)
}

/// Registers `email` through a delegated registration by the ready Ed25519 user, with a `Key`
/// first factor (`key`) and optionally a recovery key.
fn register(
    sandbox: &Sandbox,
    email: &str,
    key: &KeySigner,
    recovery_key: Option<&KeySigner>,
) -> String {
    let service = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let challenge = service
        .registration()
        .delegated(&DelegatedRegistration::end_user(email).external_id("crm-42"))
        .unwrap();
    let mut credentials = NewCredentials::new(
        NewCredential::key(key.attest(&challenge.challenge).unwrap()).credential_name("first"),
    );
    if let Some(recovery_key) = recovery_key {
        let attestation = recovery_key.attest(&challenge.challenge).unwrap();
        credentials = credentials.recovery_credential(
            NewCredential::new(
                CredentialKind::RecoveryKey,
                dfns_blocking::api::credentials::CredentialInfo::Attestation(attestation),
            )
            .encrypted_private_key("encrypted-by-the-user"),
        );
    }
    let registered = service
        .registration()
        .register(&challenge, &credentials)
        .unwrap();
    assert_eq!(registered.user.username, email);
    assert_eq!(registered.user.org_id, sandbox.org_id());
    assert_eq!(registered.credential.kind, CredentialKind::Key);
    assert_eq!(registered.credential.name, "first");
    registered.user.id
}

#[test]
fn login_with_a_key_credential_gives_a_token_that_works_until_logout() {
    let sandbox = Sandbox::start().unwrap();
    for algorithm in [
        KeyAlgorithm::Ed25519,
        KeyAlgorithm::EcdsaP256,
        KeyAlgorithm::Rsa,
    ] {
        let user = sandbox.user(algorithm);
        let signer = user.signer().unwrap();
        let nobody = anonymous(&sandbox);
        let token = nobody
            .login()
            .with_key(&sandbox.org_id(), &user.user_id, &signer)
            .unwrap();
        assert!(!format!("{token:?}").contains(token.expose()));

        let logged_in = nobody
            .with_auth_token(token.expose())
            .unwrap()
            .with_signer(signer);
        assert_eq!(
            signed_call(&logged_in, &format!("after login {algorithm}")).unwrap(),
            user.user_id
        );

        let bye = logged_in.login().logout(&Logout::new()).unwrap();
        assert!(!bye.message.is_empty());
        let refused = logged_in.pats().list().unwrap_err();
        assert!(matches!(refused, Error::Unauthenticated(_)), "{refused:?}");
        // Only that session ended.
        sandbox.client(algorithm).unwrap().pats().list().unwrap();
    }
}

#[test]
fn logout_of_all_sessions_ends_every_login_token() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::EcdsaP256);
    let signer = user.signer().unwrap();
    let nobody = anonymous(&sandbox);
    let org = sandbox.org_id();
    let first = nobody
        .login()
        .with_key(&org, &user.user_id, &signer)
        .unwrap();
    let second = nobody
        .login()
        .with_key(&org, &user.user_id, &signer)
        .unwrap();
    let first = nobody.with_auth_token(first.expose()).unwrap();
    let second = nobody.with_auth_token(second.expose()).unwrap();
    first.pats().list().unwrap();
    second
        .login()
        .logout(&Logout::new().all_sessions(true))
        .unwrap();
    for client in [first, second] {
        assert_eq!(client.pats().list().unwrap_err().status(), Some(401));
    }
}

#[test]
fn a_login_challenge_is_signed_by_the_users_credential_once() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::Ed25519);
    let nobody = anonymous(&sandbox);
    let challenge = nobody
        .login()
        .create_challenge(&CreateLoginChallenge::new(sandbox.org_id()).username(&user.user_id))
        .unwrap();
    let ids: Vec<&str> = challenge
        .allow_credentials
        .key
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, [user.credential_id.as_str()]);

    // Another key signing for the user's credential id is refused.
    let impostor = KeySigner::from_pem(&user.credential_id, ED25519).unwrap();
    let forged = CredentialSigner::sign(&impostor, &challenge).unwrap();
    let refused = nobody
        .login()
        .complete(&CompleteLogin::new(&challenge.challenge_identifier, forged))
        .unwrap_err();
    assert_eq!(refused.status(), Some(401), "{refused}");

    // The challenge was used up by the failed attempt.
    let genuine = CredentialSigner::sign(&user.signer().unwrap(), &challenge).unwrap();
    let body = CompleteLogin::new(&challenge.challenge_identifier, genuine.clone());
    assert!(!format!("{body:?}").contains(&challenge.challenge_identifier));
    let refused = nobody
        .login()
        .complete(&CompleteLogin::new(
            &challenge.challenge_identifier,
            genuine,
        ))
        .unwrap_err();
    assert!(
        matches!(refused, Error::BadRequest(ref e) if e.reason() == Some(ErrorReason::ChallengeInvalid)),
        "{refused:?}"
    );

    // A user the organisation does not have, and another organisation.
    let unknown = CreateLoginChallenge::new(sandbox.org_id()).username("nobody@example.com");
    let refused = nobody.login().create_challenge(&unknown).unwrap_err();
    assert!(
        matches!(refused, Error::Unauthenticated(ref e) if e.reason() == Some(ErrorReason::UserNotFound)),
        "{refused:?}"
    );
    let elsewhere = CreateLoginChallenge::new("or-other").username(&user.user_id);
    assert_eq!(
        nobody
            .login()
            .create_challenge(&elsewhere)
            .unwrap_err()
            .status(),
        Some(401)
    );

    // A signer whose credential the challenge does not allow fails before signing.
    let stranger = KeySigner::from_pem("not-registered", P256).unwrap();
    let refused = nobody
        .login()
        .with_key(&sandbox.org_id(), &user.user_id, &stranger)
        .unwrap_err();
    assert!(
        matches!(refused, Error::CredentialNotAllowed { .. }),
        "{refused:?}"
    );
}

#[test]
fn delegated_login_acts_as_the_user() {
    let sandbox = Sandbox::start().unwrap();
    let service = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let key = KeySigner::from_pem("end-user-key", P256).unwrap();
    let user_id = register(&sandbox, "jane@example.com", &key, None);

    let token = service.login().delegated("jane@example.com").unwrap();
    let as_jane = service
        .with_auth_token(token.token.expose())
        .unwrap()
        .with_signer(key);
    assert_eq!(signed_call(&as_jane, "jane's token").unwrap(), user_id);
    assert_eq!(as_jane.credentials().list().unwrap().len(), 1);

    let refused = service.login().delegated("nobody@example.com").unwrap_err();
    assert!(
        matches!(refused, Error::Unauthenticated(ref e) if e.reason() == Some(ErrorReason::UserNotFound)),
        "{refused:?}"
    );
}

#[test]
fn a_registered_user_logs_in_with_the_key_they_registered() {
    let sandbox = Sandbox::start().unwrap();
    let key = KeySigner::from_pem("bob-key", RSA).unwrap();
    let user_id = register(&sandbox, "bob@example.com", &key, None);
    let nobody = anonymous(&sandbox);
    let token = nobody
        .login()
        .with_key(&sandbox.org_id(), "bob@example.com", &key)
        .unwrap();
    let as_bob = nobody
        .with_auth_token(token.expose())
        .unwrap()
        .with_signer(key);
    assert_eq!(signed_call(&as_bob, "bob's first token").unwrap(), user_id);

    // The email is taken now.
    let service = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let refused = service
        .registration()
        .delegated(&DelegatedRegistration::end_user("bob@example.com"))
        .unwrap_err();
    assert!(
        matches!(refused, Error::Unauthenticated(ref e) if e.reason() == Some(ErrorReason::UserAlreadyExists)),
        "{refused:?}"
    );
}

#[test]
fn a_registration_token_registers_once_and_only_credentials_that_answer_it() {
    let sandbox = Sandbox::start().unwrap();
    let service = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let challenge = service
        .registration()
        .delegated(&DelegatedRegistration::end_user("carol@example.com"))
        .unwrap();
    assert!(!format!("{challenge:?}").contains(challenge.temporary_authentication_token.expose()));
    let key = KeySigner::from_pem("carol-key", ED25519).unwrap();

    let wrong = NewCredentials::new(NewCredential::key(key.attest("not the challenge").unwrap()));
    let refused = service
        .registration()
        .register(&challenge, &wrong)
        .unwrap_err();
    assert_eq!(refused.status(), Some(400), "{refused}");

    // The temporary token was used up by that attempt.
    let right = NewCredentials::new(NewCredential::key(
        key.attest(&challenge.challenge).unwrap(),
    ));
    let refused = service
        .registration()
        .register(&challenge, &right)
        .unwrap_err();
    assert_eq!(refused.status(), Some(401), "{refused}");
}

#[test]
fn an_invited_user_registers_with_the_emailed_code() {
    let sandbox = Sandbox::start().unwrap();
    let service = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let nobody = anonymous(&sandbox);
    let org = sandbox.org_id();
    // A delegated registration left unfinished: the user exists, unregistered.
    service
        .registration()
        .delegated(&DelegatedRegistration::end_user("dave@example.com"))
        .unwrap();
    nobody
        .registration()
        .resend_code(&OrgUser::new(&org, "dave@example.com"))
        .unwrap();
    let code = sandbox.sent_code("dave@example.com").unwrap();

    let wrong = CreateRegistrationChallenge::new(&org, "dave@example.com", "WRONG-CODE");
    let refused = nobody.registration().create_challenge(&wrong).unwrap_err();
    assert!(
        matches!(refused, Error::BadRequest(ref e) if e.reason() == Some(ErrorReason::RegistrationCodeExpired)),
        "{refused:?}"
    );
    let challenge = nobody
        .registration()
        .create_challenge(&CreateRegistrationChallenge::new(
            &org,
            "dave@example.com",
            &code,
        ))
        .unwrap();
    let key = KeySigner::from_pem("dave-key", P256).unwrap();
    let registered = nobody
        .registration()
        .register(
            &challenge,
            &NewCredentials::new(NewCredential::key(
                key.attest(&challenge.challenge).unwrap(),
            )),
        )
        .unwrap();
    assert_eq!(registered.user.username, "dave@example.com");
    nobody
        .login()
        .with_key(&org, "dave@example.com", &key)
        .unwrap();
}

#[test]
fn an_end_user_registers_with_wallets_and_is_logged_in() {
    let sandbox = Sandbox::start().unwrap();
    let service = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let challenge = service
        .registration()
        .delegated(&DelegatedRegistration::end_user("erin@example.com"))
        .unwrap();
    let key = KeySigner::from_pem("erin-key", P256).unwrap();
    let body = RegisterEndUser::new(
        NewCredentials::new(NewCredential::key(
            key.attest(&challenge.challenge).unwrap(),
        )),
        vec![
            WalletSpec::new("EthereumSepolia").name("main"),
            WalletSpec::new("Bitcoin"),
        ],
    );
    let registered = service
        .registration()
        .register_end_user(&challenge, &body)
        .unwrap();
    assert_eq!(registered.wallets.len(), 2);
    assert_eq!(registered.wallets[0]["network"], "EthereumSepolia");
    assert_eq!(registered.wallets[0]["name"], "main");
    assert_eq!(
        registered.wallets[1]["signingKey"]["delegatedTo"],
        registered.user.id.as_str()
    );
    let as_erin = service
        .with_auth_token(registered.authentication.token.expose())
        .unwrap()
        .with_signer(key);
    assert_eq!(signed_call(&as_erin, "erin").unwrap(), registered.user.id);
}

#[test]
fn social_registration_and_login_read_the_id_token() {
    let sandbox = Sandbox::start().unwrap();
    let nobody = anonymous(&sandbox);
    let payload = URL_SAFE_NO_PAD.encode(br#"{"email":"frank@example.com","sub":"42"}"#);
    let id_token = format!("eyJhbGciOiJSUzI1NiJ9.{payload}.c2lnbmF0dXJl");
    let body = SocialLogin::oidc(&id_token).org_id(sandbox.org_id());

    let refused = nobody.login().social(&body).unwrap_err();
    assert!(
        matches!(refused, Error::Unauthenticated(ref e) if e.reason() == Some(ErrorReason::UserNotFound)),
        "{refused:?}"
    );
    let challenge: RegistrationChallenge = nobody.registration().social(&body).unwrap();
    let key = KeySigner::from_pem("frank-key", ED25519).unwrap();
    nobody
        .registration()
        .register(
            &challenge,
            &NewCredentials::new(NewCredential::key(
                key.attest(&challenge.challenge).unwrap(),
            )),
        )
        .unwrap();
    let token = nobody.login().social(&body).unwrap();
    let as_frank = nobody.with_auth_token(token.token.expose()).unwrap();
    assert_eq!(
        as_frank.credentials().list().unwrap()[0].credential_id,
        "frank-key"
    );

    let refused = nobody
        .login()
        .social(&SocialLogin::oidc("not-a-jwt"))
        .unwrap_err();
    assert_eq!(refused.status(), Some(401));
}

#[test]
fn sso_login_redirects_then_trades_the_code_once() {
    let sandbox = Sandbox::start().unwrap();
    let nobody = anonymous(&sandbox);
    let user = sandbox.user(KeyAlgorithm::EcdsaP256);
    let redirect = nobody
        .login()
        .sso_init(&SsoLoginInit::new(
            "client-1",
            sandbox.org_id(),
            "https://app.example.com/callback",
        ))
        .unwrap();
    let state = redirect
        .sso_redirect_url
        .split("state=")
        .nth(1)
        .unwrap()
        .to_owned();
    assert!(redirect.sso_redirect_url.starts_with("https://"));
    let token = nobody
        .login()
        .sso(&SsoLogin::new(&user.user_id, &state))
        .unwrap();
    nobody
        .with_auth_token(token.token.expose())
        .unwrap()
        .pats()
        .list()
        .unwrap();
    let refused = nobody
        .login()
        .sso(&SsoLogin::new(&user.user_id, &state))
        .unwrap_err();
    assert_eq!(refused.status(), Some(401));
}

#[test]
fn login_codes_are_checked() {
    let sandbox = Sandbox::start().unwrap();
    let nobody = anonymous(&sandbox);
    let user = sandbox.user(KeyAlgorithm::Ed25519);
    let org = sandbox.org_id();
    nobody
        .login()
        .send_code(&OrgUser::new(&org, &user.user_id))
        .unwrap();
    let code = sandbox.sent_code(&user.user_id).unwrap();
    let wrong = CreateLoginChallenge::new(&org)
        .username(&user.user_id)
        .login_code("0000-0000");
    let refused = nobody.login().create_challenge(&wrong).unwrap_err();
    assert!(
        matches!(refused, Error::PermissionDenied(ref e) if e.reason() == Some(ErrorReason::InvalidCode)),
        "{refused:?}"
    );
    // The failed attempt used the code up; a new one works.
    nobody
        .login()
        .send_code(&OrgUser::new(&org, &user.user_id))
        .unwrap();
    let fresh = sandbox.sent_code(&user.user_id).unwrap();
    assert_ne!(fresh, code);
    nobody
        .login()
        .create_challenge(
            &CreateLoginChallenge::new(&org)
                .username(&user.user_id)
                .login_code(fresh),
        )
        .unwrap();
}

#[test]
fn recovery_replaces_the_credentials_and_ends_the_sessions() {
    let sandbox = Sandbox::start().unwrap();
    let old_key = KeySigner::from_pem("grace-key-1", P256).unwrap();
    let recovery_key = KeySigner::from_pem("grace-recovery", RSA).unwrap();
    register(&sandbox, "grace@example.com", &old_key, Some(&recovery_key));
    let nobody = anonymous(&sandbox);
    let org = sandbox.org_id();
    let old_token = nobody
        .login()
        .with_key(&org, "grace@example.com", &old_key)
        .unwrap();
    let old_session = nobody.with_auth_token(old_token.expose()).unwrap();
    // A recovery key signs recoveries only.
    let credentials = old_session.credentials().list().unwrap();
    assert_eq!(credentials.len(), 2);
    let refused = nobody
        .login()
        .with_key(&org, "grace@example.com", &recovery_key)
        .unwrap_err();
    assert!(matches!(refused, Error::CredentialNotAllowed { .. }));

    nobody
        .recovery()
        .send_code(&OrgUser::new(&org, "grace@example.com"))
        .unwrap();
    let code = sandbox.sent_code("grace@example.com").unwrap();
    let not_recovery =
        CreateRecoveryChallenge::new(&org, "grace@example.com", "grace-key-1", &code);
    let refused = nobody
        .recovery()
        .create_challenge(&not_recovery)
        .unwrap_err();
    assert!(
        matches!(refused, Error::Unauthenticated(ref e) if e.reason() == Some(ErrorReason::NotARecoveryCredential)),
        "{refused:?}"
    );
    nobody
        .recovery()
        .send_code(&OrgUser::new(&org, "grace@example.com"))
        .unwrap();
    let code = sandbox.sent_code("grace@example.com").unwrap();
    let challenge = nobody
        .recovery()
        .create_challenge(&CreateRecoveryChallenge::new(
            &org,
            "grace@example.com",
            "grace-recovery",
            &code,
        ))
        .unwrap();
    assert_eq!(
        challenge.allowed_recovery_credentials[0].id,
        "grace-recovery"
    );

    let new_key = KeySigner::from_pem("grace-key-2", ED25519).unwrap();
    let credentials = NewCredentials::new(NewCredential::key(
        new_key.attest(&challenge.challenge).unwrap(),
    ));
    let recovered = nobody
        .recovery()
        .recover(
            &challenge,
            &Recover::signed_with(credentials, &recovery_key).unwrap(),
        )
        .unwrap();
    assert_eq!(recovered.user.username, "grace@example.com");

    assert_eq!(old_session.pats().list().unwrap_err().status(), Some(401));
    assert!(
        nobody
            .login()
            .with_key(&org, "grace@example.com", &old_key)
            .is_err()
    );
    nobody
        .login()
        .with_key(&org, "grace@example.com", &new_key)
        .unwrap();
}

#[test]
fn a_recovery_needs_the_recovery_keys_signature_of_the_new_credentials() {
    let sandbox = Sandbox::start().unwrap();
    let service = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let old_key = KeySigner::from_pem("henry-key-1", P256).unwrap();
    let recovery_key = KeySigner::from_pem("henry-recovery", ED25519).unwrap();
    register(&sandbox, "henry@example.com", &old_key, Some(&recovery_key));

    // Signed by another key for the recovery credential id.
    let challenge = service
        .recovery()
        .delegated("henry@example.com", "henry-recovery")
        .unwrap();
    let new_key = KeySigner::from_pem("henry-key-2", RSA).unwrap();
    let impostor = KeySigner::from_pem("henry-recovery", P256).unwrap();
    let credentials = NewCredentials::new(NewCredential::key(
        new_key.attest(&challenge.challenge).unwrap(),
    ));
    let forged = Recover::signed_with(credentials, &impostor).unwrap();
    let refused = service.recovery().recover(&challenge, &forged).unwrap_err();
    assert_eq!(refused.status(), Some(401), "{refused}");

    // Signed over other credentials than those sent.
    let challenge = service
        .recovery()
        .delegated("henry@example.com", "henry-recovery")
        .unwrap();
    let signed = NewCredentials::new(NewCredential::key(
        new_key.attest(&challenge.challenge).unwrap(),
    ));
    let mut swapped = Recover::signed_with(signed, &recovery_key).unwrap();
    let attacker = KeySigner::from_pem("attacker", P256).unwrap();
    swapped.new_credentials = NewCredentials::new(NewCredential::key(
        attacker.attest(&challenge.challenge).unwrap(),
    ));
    let refused = service
        .recovery()
        .recover(&challenge, &swapped)
        .unwrap_err();
    assert_eq!(refused.status(), Some(401), "{refused}");

    // The old key still works: nothing was replaced.
    anonymous(&sandbox)
        .login()
        .with_key(&sandbox.org_id(), "henry@example.com", &old_key)
        .unwrap();
}

#[test]
fn a_login_answer_without_a_token_is_a_typed_error() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::Ed25519);
    sandbox.script(
        ScriptedAnswer::json(200, &serde_json::json!({ "ssoClientId": "sso-1" }))
            .on("POST", "/auth/login"),
    );
    let nobody = anonymous(&sandbox);
    let refused = nobody
        .login()
        .with_key(&sandbox.org_id(), &user.user_id, &user.signer().unwrap())
        .unwrap_err();
    assert!(
        matches!(refused, Error::Decode(ref d) if d.status() == 200),
        "{refused:?}"
    );

    // A token that is not a string is refused too, and its value never shows.
    sandbox.script(
        ScriptedAnswer::json(200, &serde_json::json!({ "token": 42, "secret": "s3cr3t" }))
            .on("POST", "/auth/login/delegated"),
    );
    let service = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let refused = service.login().delegated(&user.user_id).unwrap_err();
    assert!(matches!(refused, Error::Decode(_)), "{refused:?}");
    assert!(!format!("{refused:?}").contains("s3cr3t"));
}
