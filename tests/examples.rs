//! The examples run against the sandbox, so that they cannot rot: each example keeps its logic
//! in a `run` function that takes the environment as a lookup, included here as a module.

use std::collections::HashMap;

use crate::support::SandboxExt as _;
use crate::support::{Sandbox, ScriptedAnswer};
use dfns_blocking::KeyAlgorithm;
use serde_json::Value;

#[allow(dead_code)]
#[path = "../examples/pat.rs"]
mod pat;

#[allow(dead_code)]
#[path = "../examples/build_script.rs"]
mod build_script;

#[allow(dead_code)]
#[path = "../examples/transfer.rs"]
mod transfer;

/// The environment of the sandbox's P-256 user, with its key inline as `.env` files hold it.
fn sandbox_env(sandbox: &Sandbox) -> HashMap<String, String> {
    let user = sandbox.user(KeyAlgorithm::EcdsaP256);
    HashMap::from([
        ("DFNS_API_URL".to_owned(), sandbox.url()),
        ("DFNS_AUTH_TOKEN".to_owned(), user.auth_token.clone()),
        ("DFNS_CRED_ID".to_owned(), user.credential_id.clone()),
        (
            "DFNS_PRIVATE_KEY".to_owned(),
            user.private_key_pem.replace('\n', "\\n"),
        ),
    ])
}

fn pat(env: &HashMap<String, String>, args: &[&str]) -> Result<Value, pat::CliError> {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let mut out = Vec::new();
    pat::run(&args, |name| env.get(name).cloned(), &mut out)?;
    Ok(serde_json::from_slice(&out).unwrap())
}

fn exit_code(result: Result<Value, pat::CliError>) -> i32 {
    match result {
        Ok(value) => panic!("expected an error, got {value}"),
        Err(error) => error.exit_code(),
    }
}

#[test]
fn pat_tool_runs_the_whole_lifecycle() {
    let sandbox = Sandbox::start().unwrap();
    let env = sandbox_env(&sandbox);
    let dir = std::env::temp_dir().join(format!("dfns-pat-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_out = dir.join("deployer.pem");
    let key_out = key_out.to_str().unwrap();

    let created = pat(
        &env,
        &[
            "create",
            "--name",
            "deployer",
            "--days",
            "7",
            "--key-out",
            key_out,
            "--algorithm",
            "ed25519",
        ],
    )
    .unwrap();
    let id = created["tokenId"].as_str().unwrap().to_owned();
    assert!(
        created["accessToken"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    // The saved private key belongs to the public key the token was created with.
    let saved = std::fs::read_to_string(key_out).unwrap();
    let signer = dfns_blocking::KeySigner::from_pem("x", &saved).unwrap();
    assert_eq!(signer.algorithm(), KeyAlgorithm::Ed25519);
    let token = dfns_blocking::Client::builder()
        .base_url(sandbox.url())
        .auth_token(created["accessToken"].as_str().unwrap())
        .build()
        .unwrap();
    assert!(token.pats().list().is_ok(), "the new token authenticates");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(key_out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // An existing key file is never overwritten, and no token is created.
    assert_eq!(
        exit_code(pat(
            &env,
            &["create", "--name", "other", "--key-out", key_out]
        )),
        9
    );
    assert_eq!(std::fs::read_to_string(key_out).unwrap(), saved);

    let listed = pat(&env, &["list"]).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        pat(&env, &["rename", &id, "deployer-2"]).unwrap()["name"],
        "deployer-2"
    );
    assert_eq!(pat(&env, &["deactivate", &id]).unwrap()["isActive"], false);
    assert_eq!(pat(&env, &["activate", &id]).unwrap()["isActive"], true);
    assert_eq!(pat(&env, &["get", &id]).unwrap()["name"], "deployer-2");
    assert_eq!(pat(&env, &["delete", &id]).unwrap()["tokenId"], id.as_str());
    assert_eq!(exit_code(pat(&env, &["get", &id])), 4);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pat_tool_exit_codes_follow_the_error_class() {
    let sandbox = Sandbox::start().unwrap();
    let env = sandbox_env(&sandbox);
    assert_eq!(exit_code(pat(&env, &[])), 2);
    assert_eq!(exit_code(pat(&env, &["frobnicate"])), 2);
    assert_eq!(exit_code(pat(&env, &["get"])), 2);
    assert_eq!(exit_code(pat(&env, &["create", "--name"])), 2);
    assert_eq!(
        exit_code(pat(&env, &["create", "--name", "x", "--days", "soon"])),
        2
    );

    let mut no_key = env.clone();
    no_key.remove("DFNS_PRIVATE_KEY");
    assert_eq!(exit_code(pat(&no_key, &["delete", "to-1"])), 3);
    let mut bad_token = env.clone();
    bad_token.insert("DFNS_AUTH_TOKEN".into(), "not-a-token".into());
    assert_eq!(exit_code(pat(&bad_token, &["list"])), 5);

    sandbox.script(
        ScriptedAnswer::json(202, &serde_json::json!({"id": "cr-1", "status": "Pending"}))
            .on("PUT", "/auth/pats"),
    );
    assert_eq!(exit_code(pat(&env, &["activate", "to-1"])), 6);
    sandbox.script(ScriptedAnswer::dfns_error(
        409,
        "Conflicting token with same externalId",
    ));
    assert_eq!(exit_code(pat(&env, &["get", "to-1"])), 7);
    // The client retries a 429 (3 attempts by default): the tool sees the third.
    for _ in 0..3 {
        sandbox.script(
            ScriptedAnswer::dfns_error(429, "Too many requests").header("Retry-After", "0"),
        );
    }
    assert_eq!(exit_code(pat(&env, &["list"])), 8);
    sandbox.script(ScriptedAnswer::new(200).body("not json"));
    assert_eq!(exit_code(pat(&env, &["list"])), 1);
    // The last two were the only requests to reach the sandbox after the scripted ones.
    assert!(
        sandbox
            .requests()
            .iter()
            .all(|r| r.path().starts_with("/auth/"))
    );
}

#[test]
fn build_script_emits_cargo_lines_or_fails_with_a_hint() {
    let sandbox = Sandbox::start().unwrap();
    let mut env = sandbox_env(&sandbox);
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let key = sandbox.user(KeyAlgorithm::Ed25519).public_key.to_pem();
    let token = client
        .pats()
        .create(&dfns_blocking::api::pats::CreatePersonalAccessToken::new(
            "deploy", key,
        ))
        .unwrap();
    env.insert("DEPLOY_PAT_ID".into(), token.token_id.clone());
    let lookup = |env: &HashMap<String, String>| {
        let env = env.clone();
        move |name: &str| env.get(name).cloned()
    };

    let (lines, failure) = build_script::run(lookup(&env));
    assert_eq!(failure, None);
    assert!(lines.contains(&"cargo:rerun-if-env-changed=DFNS_AUTH_TOKEN".to_owned()));
    assert!(lines.contains(&"cargo:rustc-env=DEPLOY_PAT_NAME=deploy".to_owned()));

    client.pats().deactivate(&token.token_id).unwrap();
    let (_, failure) = build_script::run(lookup(&env));
    assert!(failure.unwrap().contains("is deactivated"));

    env.insert("DEPLOY_PAT_ID".into(), "to-missing".into());
    let (_, failure) = build_script::run(lookup(&env));
    assert!(failure.unwrap().contains("hint: check DEPLOY_PAT_ID"));

    env.remove("DFNS_AUTH_TOKEN");
    let (lines, failure) = build_script::run(lookup(&env));
    assert_eq!(failure, None);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("cargo:warning=DFNS_AUTH_TOKEN is not set"))
    );
}

/// Runs the transfer tool while the sandbox clock runs fast, so that the transfer lands.
fn transfer(
    sandbox: &Sandbox,
    env: &HashMap<String, String>,
    args: &[&str],
) -> Result<Value, (transfer::CliError, Vec<u8>)> {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let done = std::sync::atomic::AtomicBool::new(false);
    let mut out = Vec::new();
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                sandbox.advance_clock(std::time::Duration::from_secs(1));
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        });
        let result = transfer::run(&args, |name| env.get(name).cloned(), &mut out);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        result
    });
    match result {
        Ok(()) => Ok(serde_json::from_slice(&out).unwrap()),
        Err(error) => Err((error, out)),
    }
}

#[test]
fn transfer_tool_sends_and_waits_until_confirmed() {
    use dfns_blocking::api::wallets::CreateWallet;

    let sandbox = Sandbox::start().unwrap();
    let env = sandbox_env(&sandbox);
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let wallet = client
        .wallets()
        .create(&CreateWallet::new("EthereumSepolia"))
        .unwrap();
    let args = [
        wallet.id.as_str(),
        "0x00000000000000000000000000000000000000aa",
        "1000",
        "--external-id",
        "payout-1",
        "--priority",
        "Fast",
        "--interval-ms",
        "5",
    ];
    let done = transfer(&sandbox, &env, &args).unwrap();
    assert_eq!(done["status"], "Confirmed");
    assert_eq!(done["requestBody"]["kind"], "Native");
    assert_eq!(done["requestBody"]["priority"], "Fast");
    assert_eq!(done["requestBody"]["amount"], "1000");
    // The same external id answers the same transfer.
    let again = transfer(&sandbox, &env, &args).unwrap();
    assert_eq!(again["id"], done["id"]);

    let token = transfer(
        &sandbox,
        &env,
        &[
            &wallet.id,
            "0xaa",
            "5",
            "--erc20",
            "0xcc",
            "--interval-ms",
            "5",
        ],
    )
    .unwrap();
    assert_eq!(token["requestBody"]["kind"], "Erc20");
    assert_eq!(token["requestBody"]["contract"], "0xcc");
}

#[test]
fn transfer_tool_exit_codes_follow_the_error_class() {
    let sandbox = Sandbox::start().unwrap();
    let env = sandbox_env(&sandbox);
    let code = |args: &[&str]| transfer(&sandbox, &env, args).unwrap_err().0.exit_code();
    assert_eq!(code(&[]), 2);
    assert_eq!(code(&["wa-1", "0xaa"]), 2);
    assert_eq!(code(&["wa-1", "0xaa", "1.5"]), 2);
    assert_eq!(code(&["wa-1", "0xaa", "1", "--timeout"]), 2);
    assert_eq!(code(&["wa-none", "0xaa", "1"]), 4);

    // Not confirmed in time: the last record is printed all the same.
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let wallet = client
        .wallets()
        .create(&dfns_blocking::api::wallets::CreateWallet::new("Bitcoin"))
        .unwrap();
    let args: Vec<String> = [wallet.id.as_str(), "bc1q", "1", "--timeout", "0"]
        .iter()
        .map(|a| a.to_string())
        .collect();
    let mut out = Vec::new();
    let error = transfer::run(&args, |name| env.get(name).cloned(), &mut out).unwrap_err();
    assert_eq!(error.exit_code(), 8);
    let last: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(last["status"], "Pending");
}

#[allow(dead_code)]
#[path = "../examples/webhook_receiver.rs"]
mod webhook_receiver;

/// Runs the example's receiver on a free loopback port for `connections` connections, by the
/// real clock; the join handle gives back what it printed, one line per delivery.
fn receiver(secret: &str, connections: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/dfns", listener.local_addr().unwrap());
    let receiver = webhook_receiver::Receiver::new(secret);
    let handle = std::thread::spawn(move || {
        let mut out = Vec::new();
        for stream in listener.incoming().take(connections) {
            receiver.handle(stream.unwrap(), std::time::SystemTime::now(), &mut out);
        }
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    });
    (url, handle)
}

#[test]
fn webhook_receiver_accepts_real_deliveries_once_and_refuses_forged_and_stale_ones() {
    use dfns_blocking::api::webhooks::{CreateWebhook, UpdateWebhook};
    use dfns_blocking::webhook::EventKind;

    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    // The webhook is created first (its secret is the receiver's), then pointed at it.
    let hook = client
        .webhooks()
        .create(&CreateWebhook::new(
            "http://127.0.0.1:9/unused",
            [EventKind::All],
        ))
        .unwrap();
    let secret = hook.secret.unwrap();
    let (url, printed) = receiver(secret.expose(), 6);
    client
        .webhooks()
        .update(&hook.id, &UpdateWebhook::new().url(&url))
        .unwrap();

    let ping = client.webhooks().ping(&hook.id).unwrap();
    assert_eq!((ping.status.as_str(), ping.error), ("200", None));
    let wallet = serde_json::json!({ "wallet": { "id": "wa-1", "network": "Ethereum" } });
    let real = sandbox.deliver_event("wallet.created", wallet.clone());
    assert_eq!(real.len(), 1);
    assert_eq!(real[0].status, Some(200));
    let forged = sandbox.deliver_forged_event("wallet.created", wallet.clone());
    assert_eq!(forged[0].status, Some(401));
    let stale = sandbox.deliver_stale_event(
        "wallet.created",
        wallet.clone(),
        std::time::Duration::from_secs(600),
    );
    assert_eq!(stale[0].status, Some(400));
    // A replay of the real delivery, byte for byte: answered 200 so that Dfns stops, but not
    // handled again; the same for a second replay.
    assert_eq!(sandbox.replay_delivery(&real[0]).status, Some(200));
    assert_eq!(sandbox.replay_delivery(&real[0]).status, Some(200));

    let printed = printed.join().unwrap();
    assert_eq!(printed.len(), 6, "{printed:#?}");
    assert!(printed[0].contains("webhook.ping"), "{}", printed[0]);
    assert_eq!(
        printed[1],
        format!(
            "event {} wallet.created attempt 1: wallet wa-1 on Ethereum",
            real[0].event_id
        )
    );
    assert!(
        printed[2].starts_with("refused 401: ") && printed[2].contains("signature"),
        "{}",
        printed[2]
    );
    assert!(
        printed[3].starts_with("refused 400: ") && printed[3].contains("600 s ago"),
        "{}",
        printed[3]
    );
    let duplicate = format!("duplicate {0} of {0}", real[0].event_id);
    assert_eq!(printed[4..], [duplicate.clone(), duplicate]);
    // The event log has the real delivery only (pings and hostile deliveries are not kept).
    let log = client
        .webhooks()
        .list_events(&hook.id, &Default::default(), None)
        .unwrap();
    assert_eq!(log.items.len(), 1);
    assert_eq!(log.items[0].id, real[0].event_id);
    assert_eq!(log.items[0].status.as_deref(), Some("200"));
}
