//! The `dfns-sandbox` program driven as a user of any language would: a child process, its ready
//! line, an unsigned read as raw HTTP, then signed calls with this crate's client configured
//! from the line (as `Client::from_env` would be from `dfns-sandbox --env`).

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use dfns_blocking::ClientBuilder;
use dfns_blocking::api::wallets::{NativeTransfer, NetWorth};
use serde_json::Value;

/// The program, built next to this test binary by `cargo test --workspace` (the workspace's
/// default members: plain `cargo test` at the root builds it too).
fn program() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    let program = dir.join(format!("dfns-sandbox{}", std::env::consts::EXE_SUFFIX));
    assert!(
        program.exists(),
        "{} is missing: run the tests with `cargo test --workspace`",
        program.display()
    );
    program
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_sandbox_program_serves_raw_http_and_this_client() {
    let mut child = Command::new(program())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let _running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the ready line");
    let ready: Value = serde_json::from_str(&line).expect("one JSON line");
    let url = ready["url"].as_str().expect("url").to_owned();
    let token = ready["authToken"].as_str().expect("a token").to_owned();

    // An unsigned read, as curl sends it.
    let host = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connects");
    write!(
        stream,
        "GET /auth/pats HTTP/1.1\r\nHost: {host}\r\nUser-Agent: curl/8\r\n\
         Authorization: Bearer {token}\r\nX-DFNS-NONCE: {}\r\nConnection: close\r\n\r\n",
        crate::support::nonce()
    )
    .expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.ends_with(r#"{"items":[]}"#), "{answer}");

    // Signed calls with this crate's client, from the settings the line gives.
    let credential = (ready["credentials"].as_array().expect("credentials").iter())
        .find(|c| c["algorithm"] == "EcdsaP256")
        .expect("a P-256 credential")
        .clone();
    let settings = [
        ("DFNS_API_URL", url.clone()),
        ("DFNS_AUTH_TOKEN", token),
        (
            "DFNS_CRED_ID",
            credential["credentialId"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        ),
        (
            "DFNS_PRIVATE_KEY_PATH",
            credential["privateKeyPath"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        ),
    ];
    let client = ClientBuilder::from_vars(|name| {
        (settings.iter())
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    })
    .expect("the settings are complete")
    .build()
    .expect("a client");
    let wallet_id = ready["seeded"]["walletId"]
        .as_str()
        .expect("a seeded wallet");
    let transfer = client
        .wallets()
        .transfer(
            wallet_id,
            &NativeTransfer::new("0x000000000000000000000000000000000000dEaD", "250").into(),
        )
        .expect("a signed transfer");
    assert_eq!(transfer.wallet_id, wallet_id);
    let assets = client
        .wallets()
        .get_assets(wallet_id, NetWorth::Without)
        .expect("assets");
    assert_eq!(assets.assets[0].balance, "999999999999999750");
}
