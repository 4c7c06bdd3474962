//! `dfns-sandbox`: the offline Dfns double as a program, for tests in any language.
//!
//! ```text
//! cargo run -p dfns-sandbox -- [--port N] [--state DIR] [--env]
//! ```
//!
//! Listens on loopback only. Once ready it prints one JSON line on standard output: the URL,
//! the organisation id, a bearer token, the ready users' credentials (id, kind, algorithm,
//! private key file) and the seeded ids. With `--env` it prints `export DFNS_...=...` lines
//! instead, for a program that reads its settings from the environment. It serves until
//! SIGINT or SIGTERM. With `--state DIR` it keeps its users, keys and records in `DIR` across
//! restarts.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dfns_sandbox::{Algorithm, Sandbox, SandboxOptions};
use serde_json::{Value, json};

const USAGE: &str = "usage: dfns-sandbox [--port N] [--state DIR] [--env]";

struct Args {
    port: u16,
    state: Option<PathBuf>,
    env: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        port: 0,
        state: None,
        env: false,
    };
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        match arg.as_str() {
            "--port" => {
                let value = given.next().ok_or("--port needs a number")?;
                args.port = value.parse().map_err(|_| format!("not a port: {value}"))?;
            }
            "--state" => args.state = Some(given.next().ok_or("--state needs a directory")?.into()),
            "--env" => args.env = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    // Before any thread starts, so that every thread inherits the blocked signals and the
    // main thread alone takes them (see `wait_for_signal`).
    block_signals();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dfns-sandbox: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> std::io::Result<()> {
    let mut options = SandboxOptions::new().port(args.port);
    // Without --state the key files go to a directory of this run, removed at exit.
    let (key_dir, temporary) = match &args.state {
        Some(dir) => {
            options = options.state_dir(dir);
            (dir.clone(), false)
        }
        None => {
            let dir = std::env::temp_dir().join(format!("dfns-sandbox-{}", std::process::id()));
            (dir, true)
        }
    };
    let sandbox = options.start()?;
    if temporary {
        write_keys(&sandbox, &key_dir)?;
    }
    let seeded = seed(&sandbox, &key_dir)?;
    let mut out = std::io::stdout().lock();
    if args.env {
        for (name, value) in sandbox.env(Algorithm::EcdsaP256).vars() {
            if name == "DFNS_PRIVATE_KEY" {
                let path = key_dir.join(key_file(Algorithm::EcdsaP256));
                writeln!(
                    out,
                    "export DFNS_PRIVATE_KEY_PATH={}",
                    shell_quote(&path.display().to_string())
                )?;
            } else {
                writeln!(out, "export {name}={}", shell_quote(value))?;
            }
        }
    } else {
        writeln!(out, "{}", ready_line(&sandbox, &key_dir, seeded))?;
    }
    out.flush()?;
    drop(out);
    wait_for_signal();
    sandbox.save()?;
    if temporary {
        let _ = std::fs::remove_dir_all(&key_dir);
    }
    Ok(())
}

fn key_file(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::Ed25519 => "ed25519.pem",
        Algorithm::EcdsaP256 => "ecdsa-p256.pem",
        _ => "rsa.pem",
    }
}

fn write_keys(sandbox: &Sandbox, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for user in sandbox.ready_users() {
        let path = dir.join(key_file(user.algorithm));
        std::fs::write(&path, &user.private_key_pem)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

/// A funded wallet on a fresh start (kept in `seeded.json` with `--state`), so a first
/// transfer works at once.
fn seed(sandbox: &Sandbox, dir: &Path) -> std::io::Result<Value> {
    let file = dir.join("seeded.json");
    if let Ok(bytes) = std::fs::read(&file) {
        if let Ok(seeded) = serde_json::from_slice(&bytes) {
            return Ok(seeded);
        }
    }
    let wallet = sandbox
        .seed(
            "/wallets",
            json!({ "network": "EthereumSepolia", "name": "seeded", "status": "Active" }),
        )
        .map_err(std::io::Error::other)?;
    let wallet_id = wallet["id"].as_str().unwrap_or_default().to_owned();
    sandbox
        .set_balance(&wallet_id, "native", "1000000000000000000")
        .map_err(std::io::Error::other)?;
    sandbox.save()?;
    let seeded = json!({ "walletId": wallet_id, "walletAddress": wallet["address"] });
    std::fs::create_dir_all(dir)?;
    std::fs::write(file, seeded.to_string())?;
    Ok(seeded)
}

fn ready_line(sandbox: &Sandbox, key_dir: &Path, seeded: Value) -> Value {
    let credentials: Vec<Value> = sandbox
        .ready_users()
        .iter()
        .map(|user| {
            json!({
                "algorithm": format!("{:?}", user.algorithm),
                "kind": "Key",
                "userId": user.user_id,
                "authToken": user.auth_token,
                "credentialId": user.credential_id,
                "privateKeyPath": key_dir.join(key_file(user.algorithm)),
            })
        })
        .collect();
    let token = sandbox.env(Algorithm::EcdsaP256).get("DFNS_AUTH_TOKEN");
    json!({
        "url": sandbox.url(),
        "orgId": sandbox.org_id(),
        "authToken": token,
        "credentials": credentials,
        "seeded": seeded,
    })
}

/// `value` in single quotes for a POSIX shell.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

#[cfg(unix)]
fn signal_set() -> libc::sigset_t {
    // SAFETY: sigemptyset initialises the set it is given; sigaddset adds valid signal numbers.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        set
    }
}

/// Blocks SIGINT and SIGTERM in this thread and every thread started after.
#[cfg(unix)]
fn block_signals() {
    let set = signal_set();
    // SAFETY: `set` is an initialised signal set; a null old-set pointer is allowed.
    unsafe {
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// Returns once SIGINT or SIGTERM arrives.
#[cfg(unix)]
fn wait_for_signal() {
    let set = signal_set();
    let mut signal = 0;
    // SAFETY: `set` is initialised and blocked in every thread, `signal` is a valid out pointer.
    while unsafe { libc::sigwait(&set, &mut signal) } != 0 {}
}

#[cfg(not(unix))]
fn block_signals() {}

/// Elsewhere the default Ctrl-C handling ends the process; the sandbox serves until then.
#[cfg(not(unix))]
fn wait_for_signal() {
    loop {
        std::thread::park();
    }
}
