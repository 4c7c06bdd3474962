//! `TlsRoots` against a real TLS server on loopback whose certificate a test CA signed
//! (`tests/tls/`): trusted with that CA, refused with the default (Mozilla) roots.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::thread;

use dfns_blocking::{Client, Error, TlsRoots};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const CA: &str = include_str!("tls/ca.pem");

/// Serves `{"items":[]}` over TLS to every connection; sends each request line it reads.
fn tls_server() -> (String, Receiver<String>) {
    let chain = vec![CertificateDer::from_pem_slice(include_bytes!("tls/server.pem")).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("tls/server.key")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let (lines, received) = mpsc::channel();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let connection = rustls::ServerConnection::new(Arc::clone(&config)).unwrap();
            let lines = lines.clone();
            thread::spawn(move || {
                let mut tls = BufReader::new(rustls::StreamOwned::new(connection, stream));
                let mut request_line = String::new();
                // A client that refuses the certificate ends the handshake here.
                if tls.read_line(&mut request_line).is_err() {
                    return;
                }
                let mut line = String::new();
                while tls.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let body = r#"{"items":[]}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let mut tls = tls.into_inner();
                tls.write_all(answer.as_bytes()).unwrap();
                tls.flush().unwrap();
                tls.conn.send_close_notify();
                let _ = tls.flush();
                let _ = lines.send(request_line.trim_end().to_owned());
            });
        }
    });
    (url, received)
}

#[test]
fn a_custom_root_certificate_is_trusted() {
    let (url, received) = tls_server();
    let client = Client::builder()
        .base_url(&url)
        .auth_token("test-token")
        .proxy(None)
        .tls_roots(TlsRoots::from_pem(CA).unwrap())
        .build()
        .unwrap();
    assert!(client.pats().list().unwrap().is_empty());
    assert_eq!(received.recv().unwrap(), "GET /auth/pats HTTP/1.1");
}

#[test]
fn the_default_roots_refuse_a_certificate_from_an_unknown_authority() {
    let (url, received) = tls_server();
    let client = Client::builder()
        .base_url(&url)
        .auth_token("test-token")
        .proxy(None)
        .build()
        .unwrap();
    match client.pats().list() {
        Err(Error::Tls(error)) => {
            assert!(
                error.to_string().to_lowercase().contains("certificate"),
                "{error}"
            )
        }
        other => panic!("expected a TLS error, got {other:?}"),
    }
    assert!(received.try_recv().is_err(), "no request may be sent");
}
