//! The transport under the pipeline: timeouts still bound a silent server (reading and
//! writing), connections are reused whether the base URL names an IP address or a host name,
//! and a pooled connection the server closed is never handed to a request.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::pats::CreatePersonalAccessToken;
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

/// Reads one request (head, then `Content-Length` bytes of body) and returns its first line.
fn read_request(stream: &mut std::net::TcpStream) -> String {
    use std::io::Read;
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).into_owned();
            let length = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return head.lines().next().unwrap_or_default().to_owned();
            }
        }
        let read = stream.read(&mut chunk).unwrap();
        assert!(read > 0, "the client closed before a whole request");
        data.extend_from_slice(&chunk[..read]);
    }
}

#[test]
fn a_pooled_connection_the_server_closed_is_never_used_for_a_mutation() {
    use std::io::Write;
    use std::net::Shutdown;
    use std::sync::mpsc;

    use dfns_blocking::{Method, Request, RetryPolicy};

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (closed, wait_closed) = mpsc::channel();
    let server = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for connection in 0..2 {
            let (mut stream, _) = listener.accept().unwrap();
            lines.push(read_request(&mut stream));
            // A keep-alive answer, then (the first time) the server closes the connection
            // while the client holds it in its pool.
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                .unwrap();
            if connection == 0 {
                stream.shutdown(Shutdown::Both).unwrap();
                drop(stream);
                closed.send(()).unwrap();
            }
        }
        lines
    });
    let client = Client::builder()
        .base_url(&url)
        .auth_token("irrelevant")
        .proxy(None)
        // Nothing may be retried: the mutation must go out on a connection that works.
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let read = Request::<serde_json::Value>::fixed(Method::Get, "/a").unwrap();
    client.send(&read).unwrap();
    wait_closed.recv().unwrap();
    let mutation = Request::<serde_json::Value>::fixed(Method::Post, "/b")
        .unwrap()
        .json(&serde_json::json!({"name": "once"}))
        .unwrap();
    client.send(&mutation).unwrap();
    assert_eq!(
        server.join().unwrap(),
        ["GET /a HTTP/1.1", "POST /b HTTP/1.1"],
        "one request per connection: the closed one was not used"
    );
}

#[test]
fn a_server_that_never_reads_times_out_the_write() {
    use dfns_blocking::{Method, Request};

    let (_listener, url) = silent_server();
    let client = Client::builder()
        .base_url(&url)
        .auth_token("irrelevant")
        .proxy(None)
        .timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    // Far more than the socket buffers hold: the write blocks until the timeout ends it.
    let body = serde_json::json!({ "filler": "x".repeat(16 * 1024 * 1024) });
    let request = Request::<serde_json::Value>::fixed(Method::Post, "/a")
        .unwrap()
        .json(&body)
        .unwrap();
    let error = client.send(&request).unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
}

/// `localhost` and the names under it are loopback (RFC 6761): the client resolves them itself,
/// so `http://<name>.localhost` works without any resolver entry for it.
#[test]
fn localhost_names_are_resolved_to_loopback_by_the_client() {
    let sandbox = Sandbox::start().unwrap();
    for host in ["dfns-sandbox.localhost", "LOCALHOST", "localhost."] {
        let client = sandbox
            .client_builder(KeyAlgorithm::EcdsaP256)
            .and_then(|b| {
                b.base_url(sandbox.url().replace("127.0.0.1", host))
                    .timeout(Some(Duration::from_secs(5)))
                    .build()
            })
            .unwrap_or_else(|e| panic!("{host}: {e}"));
        client
            .pats()
            .list()
            .unwrap_or_else(|e| panic!("{host}: {e}"));
    }
    // A name that only starts like it is refused for plain http.
    let refused = Client::builder()
        .base_url("http://localhost.example.com:1")
        .build()
        .unwrap_err();
    assert!(
        matches!(refused, Error::InvalidConfig { .. }),
        "{refused:?}"
    );
}

/// A loopback API host is never reached through a proxy, even one the builder names: the
/// proxy's loopback is another machine's, and the request would leave this one.
#[test]
fn a_loopback_host_is_never_reached_through_a_proxy() {
    let sandbox = Sandbox::start().unwrap();
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    proxy.set_nonblocking(true).unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    for base_url in [
        sandbox.url(),
        sandbox.url().replace("127.0.0.1", "localhost"),
    ] {
        let client = sandbox
            .client_builder(KeyAlgorithm::EcdsaP256)
            .and_then(|b| {
                b.base_url(&base_url)
                    .proxy(Some(&proxy_url))
                    .timeout(Some(Duration::from_secs(2)))
                    .build()
            })
            .unwrap();
        client
            .pats()
            .list()
            .unwrap_or_else(|e| panic!("{base_url}: {e}"));
    }
    assert!(proxy.accept().is_err(), "a request went to the proxy");
}
