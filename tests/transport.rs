//! The transport under the pipeline: timeouts still bound a silent server, and connections are
//! reused whether the base URL names an IP address or a host name.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::sandbox::Sandbox;
use dfns_blocking::{Client, Error, KeyAlgorithm};

/// A server that accepts connections and never answers (nor reads).
fn silent_server() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

#[test]
fn a_server_that_never_answers_times_out() {
    let (_listener, url) = silent_server();
    for base_url in [url.clone(), url.replace("127.0.0.1", "localhost")] {
        let client = Client::builder()
            .base_url(&base_url)
            .auth_token("irrelevant")
            .proxy(None)
            .timeout(Some(Duration::from_millis(300)))
            .build()
            .unwrap();
        let started = Instant::now();
        let error = client.pats().list().unwrap_err();
        let took = started.elapsed();
        assert!(matches!(error, Error::Timeout(_)), "{base_url}: {error:?}");
        assert!(took >= Duration::from_millis(250), "{base_url}: {took:?}");
        assert!(took < Duration::from_secs(3), "{base_url}: {took:?}");
    }
}

#[test]
fn a_host_name_base_url_reuses_one_connection_for_signed_calls() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| {
            b.base_url(sandbox.url().replace("127.0.0.1", "localhost"))
                .proxy(None)
                .build()
        })
        .unwrap();
    let pem = sandbox.user(KeyAlgorithm::EcdsaP256).public_key.to_pem();
    let created = client
        .pats()
        .create(&CreatePersonalAccessToken::new("by-name", pem))
        .unwrap();
    let token = client.pats().deactivate(&created.token_id).unwrap();
    assert!(!token.is_active);
    assert_eq!(
        client.pats().get(&created.token_id).unwrap().token_id,
        created.token_id
    );
    let stats = sandbox.stats();
    assert_eq!(stats.requests, 7);
    assert_eq!(stats.signatures_verified, 2);
    assert_eq!(stats.connections, 1);
}
