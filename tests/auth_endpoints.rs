//! Every typed credential, login, registration and recovery endpoint sends a real request,
//! signed exactly when Dfns's endpoint table says, and decodes a real answer.

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dfns_blocking::api::credentials::{CredentialInfo, CredentialKind, Expiration, NewCredential};
use dfns_blocking::api::login::{Logout, OrgUser, SocialLogin, SsoLogin, SsoLoginInit};
use dfns_blocking::api::recovery::{CreateRecoveryChallenge, Recover};
use dfns_blocking::api::registration::{
    CreateRegistrationChallenge, DelegatedRegistration, NewCredentials, RegisterEndUser, WalletSpec,
};
use dfns_blocking::sandbox::Sandbox;
use dfns_blocking::{Client, KeyAlgorithm, KeySigner, Timestamp};
use serde_json::Value;

/// `(method, path, needs a user action signature)` from Dfns's endpoint table.
const ENDPOINTS: [(&str, &str, bool); 28] = [
    ("GET", "/auth/credentials", false),
    ("POST", "/auth/credentials/init", false),
    ("POST", "/auth/credentials", true),
    ("PUT", "/auth/credentials/activate", true),
    ("PUT", "/auth/credentials/deactivate", true),
    ("POST", "/auth/credentials/code", true),
    ("POST", "/auth/credentials/code/init", false),
    ("POST", "/auth/credentials/code/verify", false),
    ("POST", "/auth/login/init", false),
    ("POST", "/auth/login", false),
    ("POST", "/auth/login/delegated", true),
    ("PUT", "/auth/logout", false),
    ("POST", "/auth/login/code", false),
    ("POST", "/auth/login/social", false),
    ("POST", "/auth/login/sso/init", false),
    ("POST", "/auth/login/sso", false),
    ("POST", "/auth/registration/init", false),
    ("POST", "/auth/registration", false),
    ("POST", "/auth/registration/enduser", false),
    ("POST", "/auth/registration/delegated", true),
    ("POST", "/auth/registration/social", false),
    ("PUT", "/auth/registration/code", false),
    ("POST", "/auth/recover/user/init", false),
    ("POST", "/auth/recover/user", false),
    ("POST", "/auth/recover/user/delegated", true),
    ("POST", "/auth/recover/user/code", false),
    // Not an endpoint of this module: the first step of every signed call.
    ("POST", "/auth/action/init", false),
    ("POST", "/auth/action", false),
];

fn key(id: &str, pem: &str) -> KeySigner {
    KeySigner::from_pem(id, pem).unwrap()
}

#[test]
fn every_endpoint_is_sent_signed_exactly_when_dfns_says_and_answers() {
    let sandbox = Sandbox::start().unwrap();
    let service = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let nobody = Client::builder().base_url(sandbox.url()).build().unwrap();
    let org = sandbox.org_id();
    let p256 = include_str!("keys/p256-pkcs8.pem");
    let ed25519 = include_str!("keys/ed25519-pkcs8.pem");
    let rsa = include_str!("keys/rsa2048-pkcs8.pem");

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
            .recovery(recovery_credential),
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

    let requests = sandbox.requests();
    let mut seen = BTreeSet::new();
    for (at, request) in requests.iter().enumerate() {
        let Some(&(_, _, signed)) = ENDPOINTS
            .iter()
            .find(|(method, path, _)| request.method == *method && request.path() == *path)
        else {
            panic!("unexpected request {request:?}");
        };
        assert!(
            (200..300).contains(&request.status),
            "{request:?}: {}",
            String::from_utf8_lossy(&request.response_body)
        );
        assert!(
            serde_json::from_slice::<Value>(&request.response_body).is_ok(),
            "{request:?}"
        );
        assert_eq!(
            request.header("x-dfns-useraction").is_some(),
            signed,
            "{request:?}"
        );
        if signed {
            // The challenge asked just before named this method, path and body.
            let init = requests[..at]
                .iter()
                .rev()
                .find(|r| r.path() == "/auth/action/init")
                .unwrap();
            let init: Value = serde_json::from_slice(&init.body).unwrap();
            assert_eq!(init["userActionHttpMethod"], request.method.as_str());
            assert_eq!(init["userActionHttpPath"], request.path());
            assert_eq!(
                init["userActionPayload"],
                String::from_utf8_lossy(&request.body).as_ref()
            );
        }
        seen.insert((request.method.clone(), request.path().to_owned()));
    }
    for (method, path, _) in ENDPOINTS {
        assert!(
            seen.contains(&(method.to_owned(), path.to_owned())),
            "{method} {path} was never called"
        );
    }
}
