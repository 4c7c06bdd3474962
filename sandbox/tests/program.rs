//! The `dfns-sandbox` program as any language's tests use it: started as a child process, its
//! one ready line read and driven over raw HTTP, stopped with SIGTERM, restarted from its
//! state directory.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The program, killed if a failed assertion leaves it running (it would hold the test's
/// output open).
struct Running(Option<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn start(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dfns-sandbox"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout is piped");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the ready line");
    (Running(Some(child)), line)
}

/// A `GET` with the bearer token, as `curl` sends it: the status line and the body.
fn get(url: &str, token: &str, path: &str) -> (String, Value) {
    let host = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connects");
    let limit = Some(std::time::Duration::from_secs(10));
    stream.set_read_timeout(limit).expect("a read timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: curl/8\r\nAuthorization: Bearer {token}\r\n\
         X-DFNS-NONCE: {}\r\nConnection: close\r\n\r\n",
        dfns_sandbox::nonce()
    )
    .expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let status = head.lines().next().unwrap_or_default().to_owned();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[cfg(unix)]
fn terminate(mut running: Running) {
    let mut child = running.0.take().expect("running");
    let pid = i32::try_from(child.id()).expect("a pid");
    // SAFETY: sends a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = child.wait().expect("the program exits");
    assert!(status.success(), "SIGTERM ends it cleanly: {status:?}");
}

#[cfg(unix)]
#[test]
fn the_program_prints_one_ready_line_serves_and_keeps_its_state_across_restarts() {
    let dir = std::env::temp_dir().join(format!("dfns-sandbox-program-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let state = dir.to_str().expect("a UTF-8 path");

    let (child, line) = start(&["--state", state]);
    let ready: Value = serde_json::from_str(&line).expect("one JSON line");
    let url = ready["url"].as_str().expect("url");
    assert!(url.starts_with("http://127.0.0.1:"), "loopback only: {url}");
    assert!(
        ready["orgId"]
            .as_str()
            .is_some_and(|id| id.starts_with("or-"))
    );
    let token = ready["authToken"].as_str().expect("authToken").to_owned();
    let credentials = ready["credentials"].as_array().expect("credentials");
    assert_eq!(credentials.len(), 3);
    for credential in credentials {
        assert_eq!(credential["kind"], "Key");
        let path = credential["privateKeyPath"].as_str().expect("a key file");
        let pem = std::fs::read_to_string(path).expect("the key file is there");
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{path}");
    }
    let wallet_id = ready["seeded"]["walletId"]
        .as_str()
        .expect("a seeded wallet")
        .to_owned();

    let (status, pats) = get(url, &token, "/auth/pats");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(pats["items"], serde_json::json!([]));
    let (status, assets) = get(url, &token, &format!("/wallets/{wallet_id}/assets"));
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(assets["assets"][0]["balance"], "1000000000000000000");
    let (status, _) = get(url, "not-a-token", "/auth/pats");
    assert_eq!(status, "HTTP/1.1 401 Unauthorized");
    terminate(child);

    // Started again from the same directory: the same token, users and wallet.
    let (child, line) = start(&["--state", state]);
    let again: Value = serde_json::from_str(&line).expect("one JSON line");
    assert_eq!(again["authToken"], ready["authToken"]);
    assert_eq!(again["credentials"], ready["credentials"]);
    assert_eq!(again["seeded"]["walletId"], wallet_id.as_str());
    let url = again["url"].as_str().expect("url");
    let (status, wallet) = get(url, &token, &format!("/wallets/{wallet_id}"));
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(wallet["network"], "EthereumSepolia");
    let (_, assets) = get(url, &token, &format!("/wallets/{wallet_id}/assets"));
    assert_eq!(
        assets["assets"][0]["balance"], "1000000000000000000",
        "the balance is kept"
    );
    terminate(child);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn env_mode_prints_the_settings_a_client_reads() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dfns-sandbox"))
        .arg("--env")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let running = Running(Some(child));
    let mut lines = BufReader::new(stdout).lines();
    let mut names = Vec::new();
    for _ in 0..4 {
        let line = lines.next().expect("a line").expect("UTF-8");
        let (name, value) = line
            .strip_prefix("export ")
            .and_then(|rest| rest.split_once('='))
            .expect("an export line");
        assert!(value.starts_with('\'') && value.ends_with('\''), "{line}");
        names.push(name.to_owned());
    }
    let expected = [
        "DFNS_API_URL",
        "DFNS_AUTH_TOKEN",
        "DFNS_CRED_ID",
        "DFNS_PRIVATE_KEY_PATH",
    ];
    assert_eq!(names, expected);
    terminate(running);
}

#[test]
fn bad_arguments_are_refused_with_the_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_dfns-sandbox"))
        .arg("--bogus")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: dfns-sandbox"));
    assert!(output.stdout.is_empty());
}
