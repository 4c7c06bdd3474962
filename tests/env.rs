//! `Client::from_env` reading the real process environment. Setting variables in a running
//! test binary would race with other threads, so each case runs this binary again as a child
//! process with its own environment, running only the ignored `child` test.

use std::process::{Command, Output};

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::{ENV_VARS, KeyAlgorithm};

/// Runs the `child` test in a new process with exactly these DFNS variables.
fn run_child(vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([
        "env::child",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for name in ENV_VARS {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    command.output().unwrap()
}

/// Not run by default: the parent tests run it in a child process with a prepared environment.
#[test]
#[ignore = "run by the other tests of this file in a child process"]
fn child() {
    let client = dfns_blocking::Client::from_env().unwrap_or_else(|error| {
        println!("from_env failed: {error}");
        panic!("from_env failed");
    });
    // The new token's key pair: any public key will do for this test.
    let key = include_str!("keys/ed25519-pkcs8.pub.pem");
    let name = format!("from-env-{}", std::process::id());
    let created = client
        .pats()
        .create(&dfns_blocking::api::pats::CreatePersonalAccessToken::new(
            name, key,
        ))
        .unwrap();
    println!("created {}", created.token_id);
}

#[test]
fn a_signed_call_with_only_environment_variables() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::EcdsaP256);
    let url = sandbox.url();
    let dir = std::env::temp_dir().join(format!("dfns-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_path = dir.join("key.pem");
    std::fs::write(&key_path, &user.private_key_pem).unwrap();
    let escaped = user.private_key_pem.replace('\n', "\\n");

    for key in [
        ("DFNS_PRIVATE_KEY_PATH", key_path.to_str().unwrap()),
        ("DFNS_PRIVATE_KEY", escaped.as_str()),
    ] {
        let output = run_child(&[
            ("DFNS_API_URL", &url),
            ("DFNS_AUTH_TOKEN", &user.auth_token),
            ("DFNS_CRED_ID", &user.credential_id),
            key,
        ]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}: {stdout}{}",
            key.0,
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("created to-"), "{stdout}");
    }
    std::fs::remove_dir_all(&dir).unwrap();

    // Both children's create calls reached the sandbox signed.
    let signed_creates = sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path() == "/auth/pats")
        .filter(|r| r.header("x-dfns-useraction").is_some())
        .count();
    assert_eq!(signed_creates, 2);
}

#[test]
fn a_missing_variable_is_named_and_the_key_is_not_shown() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::Ed25519);
    let output = run_child(&[
        ("DFNS_API_URL", &sandbox.url()),
        ("DFNS_AUTH_TOKEN", &user.auth_token),
        ("DFNS_PRIVATE_KEY", &user.private_key_pem),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stdout.contains(
            "from_env failed: invalid configuration: environment variable DFNS_CRED_ID is not set"
        ),
        "{stdout}"
    );
    let key_line = user.private_key_pem.lines().nth(1).unwrap();
    assert!(!stdout.contains(key_line) && !stderr.contains(key_line));
    assert!(sandbox.requests().is_empty());
}
