//! Client configuration: what is refused, what is shared, and that secrets never print.

use crate::support::Sandbox;
use crate::support::{SandboxExt as _, UserExt as _};
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::signing::CredentialSigner;
use dfns_blocking::{Client, Error, ErrorReason, KeyAlgorithm, KeySigner};

const TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.c2VjcmV0LXRva2Vu.c2ln";

#[test]
fn client_and_error_can_cross_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Error>();
    assert_send_sync::<KeySigner>();
    fn assert_clone<T: Clone>() {}
    assert_clone::<Client>();
}

#[test]
fn refused_configurations_name_the_problem_without_the_secret() {
    let cases: Vec<(dfns_blocking::ClientBuilder, &str)> = vec![
        (
            Client::builder().base_url("http://api.dfns.io"),
            "plain http",
        ),
        (
            Client::builder().base_url("http://10.0.0.1:8080"),
            "plain http",
        ),
        (
            Client::builder().base_url("https://api.dfns.io/?region=eu"),
            "query",
        ),
        (
            Client::builder().base_url("https://api.dfns.io/#x"),
            "fragment",
        ),
        (
            Client::builder().base_url("https://me:pw@api.dfns.io"),
            "credentials",
        ),
        (Client::builder().base_url("api.dfns.io"), "https://"),
        (Client::builder().base_url("gopher://api.dfns.io"), "scheme"),
        (Client::builder().auth_token(""), "empty"),
        (
            Client::builder().auth_token(format!("{TOKEN}\r\nX-Evil: 1")),
            "characters",
        ),
        (Client::builder().app_secret("s3cr3t\n"), "characters"),
        (
            Client::builder().user_agent_suffix("bad\u{7f}"),
            "characters",
        ),
        (Client::builder().response_size_limit(0), "size limit"),
        (Client::builder().proxy(Some("not a url at all")), "proxy"),
    ];
    for (builder, expected) in cases {
        match builder.build() {
            Err(error @ Error::InvalidConfig { .. }) => {
                let text = error.to_string();
                assert!(
                    text.contains(expected),
                    "{text:?} should mention {expected:?}"
                );
                assert!(!text.contains(TOKEN) && !text.contains("s3cr3t"), "{text}");
                assert!(text.starts_with("invalid configuration"), "{text}");
            }
            other => panic!("expected InvalidConfig mentioning {expected:?}, got {other:?}"),
        }
    }
}

#[test]
fn accepted_configurations_are_normalised() {
    let client = Client::builder().build().unwrap();
    assert_eq!(client.base_url(), "https://api.dfns.io");
    let client = Client::builder()
        .base_url("https://api.uae.dfns.io/")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://api.uae.dfns.io");
    let client = Client::builder()
        .base_url("http://localhost:8080/")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://localhost:8080");
    let client = Client::builder().proxy(None).timeout(None).build().unwrap();
    assert_eq!(
        client.user_agent(),
        concat!("dfns-blocking/", env!("CARGO_PKG_VERSION"))
    );
}

/// `Display`, `Debug` and every source's text of an error.
fn error_text(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = format!("{error}\n{error:?}");
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

#[test]
fn formatting_never_shows_a_secret() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::EcdsaP256);
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .unwrap()
        .app_secret("application-secret-value")
        .build()
        .unwrap();
    let created = client
        .pats()
        .create(&CreatePersonalAccessToken::new(
            "s",
            user.public_key.to_pem(),
        ))
        .unwrap();
    let access_token = created.access_token.as_ref().unwrap().expose().to_owned();
    // The three user action steps by hand, to hold each piece.
    let signer = user.signer().unwrap();
    let request = dfns_blocking::api::pats::deactivate(&created.token_id).unwrap();
    let challenge = client.user_action_challenge(&request).unwrap();
    let assertion = CredentialSigner::sign(&signer, &challenge).unwrap();
    let user_action = client.complete_user_action(&challenge, &assertion).unwrap();
    let user_action_text = user_action.as_str().to_owned();
    let deactivated = client
        .send_with_user_action(&request, &user_action)
        .unwrap();
    // Errors made while holding each secret: the same token used twice; the deactivated PAT
    // (whose access token is the bearer) refused; a private key that does not parse.
    let reused = client
        .send_with_user_action(&request, &user_action)
        .unwrap_err();
    let as_pat = Client::builder()
        .base_url(sandbox.url())
        .auth_token(&access_token)
        .app_secret("application-secret-value")
        .signer(user.signer().unwrap())
        .build()
        .unwrap();
    let refused = as_pat.pats().list().unwrap_err();
    let broken_pem = user.private_key_pem.replacen('M', "!", 1);
    let bad_key = Error::from(KeySigner::from_pem("cr-1", &broken_pem).unwrap_err());
    let key_lines: Vec<&str> = user
        .private_key_pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let builder = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .unwrap()
        .app_secret("application-secret-value")
        .proxy(Some("http://proxy-user:proxy-password@127.0.0.1:3128"));
    let printed = [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{as_pat:?}"),
        format!("{created:?}"),
        format!("{deactivated:?}"),
        format!("{:?}", created.access_token),
        format!("{signer:?}"),
        format!("{user:?}"),
        format!("{:?}", sandbox.requests()),
        format!("{request:?}"),
        format!("{challenge:?}"),
        format!("{assertion:?}"),
        format!("{user_action:?}"),
        error_text(&reused),
        error_text(&refused),
        error_text(&bad_key),
    ];
    for text in &printed {
        assert!(!text.contains(&user.auth_token), "auth token in {text}");
        assert!(
            !text.contains("application-secret-value"),
            "app secret in {text}"
        );
        assert!(!text.contains(&access_token), "access token in {text}");
        assert!(!text.contains(&user_action_text), "user action in {text}");
        assert!(
            !text.contains("proxy-password"),
            "proxy credentials in {text}"
        );
        for line in &key_lines {
            assert!(!text.contains(line), "private key in {text}");
        }
    }
    assert!(printed[0].contains("** redacted **") && printed[1].contains("** redacted **"));
    assert!(
        matches!(reused, Error::BadRequest(ref e) if e.reason() == Some(ErrorReason::UserActionReused))
    );
    assert!(matches!(refused, Error::Unauthenticated(_)));
    // The secrets are still there for whoever asks for them explicitly.
    assert!(access_token.starts_with("sandbox."));
    assert!(!user_action_text.is_empty());
}

#[test]
fn a_signed_call_without_a_signer_fails_before_any_request() {
    let sandbox = Sandbox::start().unwrap();
    let client = Client::builder()
        .base_url(sandbox.url())
        .auth_token(&sandbox.user(KeyAlgorithm::Ed25519).auth_token)
        .build()
        .unwrap();
    assert!(matches!(
        client.pats().deactivate("to-1"),
        Err(Error::NoSigner)
    ));
    assert!(sandbox.requests().is_empty());
    // Unsigned calls still work.
    assert!(client.pats().list().unwrap().is_empty());
}

#[test]
fn clones_share_one_connection_pool() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let clone = client.clone();
    client.pats().list().unwrap();
    clone.pats().list().unwrap();
    client.pats().list().unwrap();
    assert_eq!(sandbox.stats().connections, 1);
}

#[test]
fn a_token_pasted_with_its_scheme_is_sent_once() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::Ed25519);
    for pasted in [
        format!("Bearer {}", user.auth_token),
        format!("  bearer   {}\n", user.auth_token),
    ] {
        let client = Client::builder()
            .base_url(sandbox.url())
            .auth_token(pasted)
            .build()
            .unwrap();
        assert!(client.pats().list().unwrap().is_empty());
    }
    for request in sandbox.requests() {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {}", user.auth_token).as_str())
        );
    }
}
