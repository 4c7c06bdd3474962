//! Wallets as a test in any language sees them over raw HTTP: addresses shaped per network,
//! balances a test sets. (Bodies the OpenAPI document refuses are tested with signed calls in
//! the client's tests/strict.rs.)

use std::io::{Read as _, Write as _};
use std::net::TcpStream;

use dfns_sandbox::{Algorithm, Sandbox};
use serde_json::{Value, json};

/// Sends `body` as `method path` with the ready P-256 user's token: the status and the body.
fn send(sandbox: &Sandbox, method: &str, path: &str, body: &Value) -> (u16, Value) {
    let token = sandbox
        .env(Algorithm::EcdsaP256)
        .get("DFNS_AUTH_TOKEN")
        .unwrap_or_default();
    let url = sandbox.url();
    let host = url.trim_start_matches("http://");
    let body = body.to_string();
    let mut stream = TcpStream::connect(host).expect("connects");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: test\r\nAuthorization: Bearer {token}\r\n\
         X-DFNS-NONCE: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        dfns_sandbox::nonce(),
        body.len()
    )
    .expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[test]
fn addresses_have_their_networks_shape_and_balances_can_be_set() {
    let sandbox = Sandbox::start().expect("starts");
    let address = |network: &str| {
        let wallet = sandbox
            .seed("/wallets", json!({ "network": network }))
            .expect("a wallet");
        wallet["address"].as_str().unwrap_or_default().to_owned()
    };
    assert!(address("Bitcoin").starts_with("bc1q"));
    assert!(address("BitcoinSignet").starts_with("tb1q"));
    let solana = address("Solana");
    assert!(
        solana.len() == 44 && !solana.contains(['0', 'O', 'I', 'l']),
        "{solana}"
    );
    let evm = address("Base");
    assert!(evm.len() == 42 && evm.starts_with("0x"), "{evm}");
    let wallet = sandbox
        .seed("/wallets", json!({ "network": "Base" }))
        .expect("a wallet");
    let id = wallet["id"].as_str().unwrap_or_default();
    assert!(sandbox.set_balance(id, "native", "12x").is_err());
    assert!(sandbox.set_balance("wa-nope", "native", "1").is_err());
    sandbox
        .set_balance(id, "native", "1000")
        .expect("a balance");
    let (status, assets) = send(
        &sandbox,
        "GET",
        &format!("/wallets/{id}/assets"),
        &Value::Null,
    );
    assert_eq!(status, 200);
    assert_eq!(assets["assets"][0]["balance"], "1000");
}
