//! `pat`: manage your Dfns personal access tokens from the command line.
//!
//! ```text
//! export DFNS_AUTH_TOKEN=...  DFNS_CRED_ID=cr-...  DFNS_PRIVATE_KEY_PATH=dfns-key.pem
//! cargo run --example pat -- list
//! cargo run --example pat -- create --name ci-deployer --days 30 [--key-out ci-deployer.pem] [--algorithm p256|ed25519]
//! cargo run --example pat -- get to-...
//! cargo run --example pat -- rename to-... new-name
//! cargo run --example pat -- activate to-...      (and deactivate, delete)
//! ```
//!
//! Every command prints the answer as JSON on standard output. `create` first generates the
//! new token's own key pair and writes its private key (PKCS#8 PEM, mode 0600 on Unix) to
//! `--key-out` (default `<name>.pem`; an existing file is never overwritten); the printed JSON
//! holds the new `accessToken`, which Dfns shows only once.
//!
//! Exit codes, one per class of error, so that scripts can react:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | anything else (a malformed answer, an unexpected status) |
//! | 2 | usage: unknown command, missing or bad argument |
//! | 3 | configuration: an environment variable missing or malformed, no signing key |
//! | 4 | not found |
//! | 5 | refused: not authenticated, permission denied, signature refused |
//! | 6 | accepted but waiting for policy approval: nothing happened yet |
//! | 7 | the request was refused as invalid or conflicting (400, 409) |
//! | 8 | try again later: rate limited, timeout, connection, TLS or server failure |
//! | 9 | a local file could not be written |

use std::fmt;
use std::fs::OpenOptions;
use std::io::Write;

use base64::Engine as _;
use dfns_blocking::api::pats::{CreatePersonalAccessToken, UpdatePersonalAccessToken};
use dfns_blocking::{ClientBuilder, Error, KeySigner};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, Ed25519KeyPair};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match run(
        &args,
        |name| std::env::var(name).ok(),
        &mut std::io::stdout(),
    ) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("pat: {error}");
            error.exit_code()
        }
    };
    std::process::exit(code);
}

const USAGE: &str = "usage: pat list | create --name NAME [--days N] [--key-out FILE] \
                     [--algorithm p256|ed25519] | get ID | rename ID NAME | activate ID | \
                     deactivate ID | delete ID";

/// Why the tool stopped.
#[derive(Debug)]
pub enum CliError {
    /// The command line was wrong.
    Usage(String),
    /// The client or Dfns refused.
    Dfns(Error),
    /// A local file could not be written.
    File(String),
}

impl CliError {
    /// The process exit code for this error (see the table at the top).
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Usage(_) => 2,
            Self::File(_) => 9,
            Self::Dfns(error) => match error {
                Error::InvalidConfig { .. } | Error::Key(_) | Error::NoSigner => 3,
                Error::NotFound(_) => 4,
                Error::Unauthenticated(_)
                | Error::PermissionDenied(_)
                | Error::CredentialNotAllowed { .. } => 5,
                Error::PolicyApprovalPending(_) => 6,
                Error::BadRequest(_) | Error::Conflict(_) | Error::InvalidInput { .. } => 7,
                error if error.is_retryable() => 8,
                Error::ServerError(_) | Error::Tls(_) | Error::Transport(_) => 8,
                _ => 1,
            },
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(problem) => write!(f, "{problem}\n{USAGE}"),
            Self::Dfns(error) => write!(f, "{error}"),
            Self::File(problem) => f.write_str(problem),
        }
    }
}

impl From<Error> for CliError {
    fn from(error: Error) -> Self {
        Self::Dfns(error)
    }
}

/// Runs one command: `args` without the program name, configuration from `env`, JSON to `out`.
pub fn run(
    args: &[String],
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let (command, rest) = args
        .split_first()
        .ok_or_else(|| CliError::Usage("no command given".into()))?;
    // Arguments are checked before the configuration, so that usage errors come first.
    let action = Action::parse(command, rest)?;
    let client = ClientBuilder::from_vars(env)?
        .user_agent_suffix("pat-example")
        .build()?;
    let pats = client.pats();
    let answer = match action {
        Action::List => serde_json::to_value(pats.list()?),
        Action::Get(id) => serde_json::to_value(pats.get(&id)?),
        Action::Rename(id, name) => {
            serde_json::to_value(pats.update(&id, &UpdatePersonalAccessToken::new().name(name))?)
        }
        Action::Activate(id) => serde_json::to_value(pats.activate(&id)?),
        Action::Deactivate(id) => serde_json::to_value(pats.deactivate(&id)?),
        Action::Delete(id) => serde_json::to_value(pats.delete(&id)?),
        Action::Create(create) => {
            // The key is saved before the token exists: a token whose key was lost is useless.
            let public_key = save_new_key(&create.key_out, create.ed25519)?;
            let mut body = CreatePersonalAccessToken::new(&create.name, public_key);
            if let Some(days) = create.days {
                body = body.days_valid(days);
            }
            match pats.create(&body) {
                Ok(token) => serde_json::to_value(token),
                Err(error) => {
                    let _ = std::fs::remove_file(&create.key_out);
                    return Err(error.into());
                }
            }
        }
    }
    .map_err(|error| CliError::File(format!("could not format the answer: {error}")))?;
    writeln!(out, "{answer:#}")
        .map_err(|error| CliError::File(format!("could not write the answer: {error}")))
}

enum Action {
    List,
    Create(Create),
    Get(String),
    Rename(String, String),
    Activate(String),
    Deactivate(String),
    Delete(String),
}

struct Create {
    name: String,
    days: Option<u64>,
    key_out: String,
    ed25519: bool,
}

impl Action {
    fn parse(command: &str, rest: &[String]) -> Result<Self, CliError> {
        let usage = |problem: &str| Err(CliError::Usage(problem.to_owned()));
        let one_id = |make: fn(String) -> Action| match rest {
            [id] => Ok(make(id.clone())),
            _ => usage(&format!("`{command}` takes exactly one token id")),
        };
        match command {
            "list" if rest.is_empty() => Ok(Self::List),
            "list" => usage("`list` takes no arguments"),
            "get" => one_id(Self::Get),
            "activate" => one_id(Self::Activate),
            "deactivate" => one_id(Self::Deactivate),
            "delete" => one_id(Self::Delete),
            "rename" => match rest {
                [id, name] => Ok(Self::Rename(id.clone(), name.clone())),
                _ => usage("`rename` takes a token id and a new name"),
            },
            "create" => Create::parse(rest).map(Self::Create),
            "help" | "--help" | "-h" => usage("help"),
            other => usage(&format!("unknown command `{other}`")),
        }
    }
}

impl Create {
    fn parse(mut rest: &[String]) -> Result<Self, CliError> {
        let (mut name, mut days, mut key_out, mut ed25519) = (None, None, None, false);
        while let [flag, value, tail @ ..] = rest {
            match flag.as_str() {
                "--name" => name = Some(value.clone()),
                "--key-out" => key_out = Some(value.clone()),
                "--days" => match value.parse::<u64>() {
                    Ok(n) if n > 0 => days = Some(n),
                    _ => {
                        return Err(CliError::Usage(format!(
                            "--days {value:?}: expected a positive number"
                        )));
                    }
                },
                "--algorithm" => match value.as_str() {
                    "p256" => ed25519 = false,
                    "ed25519" => ed25519 = true,
                    _ => {
                        return Err(CliError::Usage(format!(
                            "--algorithm {value:?}: expected p256 or ed25519"
                        )));
                    }
                },
                _ => return Err(CliError::Usage(format!("unknown option {flag:?}"))),
            }
            rest = tail;
        }
        if let [dangling] = rest {
            return Err(CliError::Usage(format!("{dangling:?} needs a value")));
        }
        let name = name
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| CliError::Usage("`create` needs --name".into()))?;
        let key_out = key_out.unwrap_or_else(|| format!("{name}.pem"));
        Ok(Self {
            name,
            days,
            key_out,
            ed25519,
        })
    }
}

/// Generates a key pair, writes its private key to `path` (never over an existing file, mode
/// 0600 on Unix) and returns the public key's PEM for the new token.
fn save_new_key(path: &str, ed25519: bool) -> Result<String, CliError> {
    let rng = SystemRandom::new();
    let pkcs8 = if ed25519 {
        Ed25519KeyPair::generate_pkcs8(&rng)
    } else {
        EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng)
    }
    .map_err(|_| CliError::File("the system random number generator failed".into()))?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(pkcs8.as_ref());
    let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
    for line in encoded.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END PRIVATE KEY-----\n");
    let public_key = KeySigner::from_pem("new-token", &pem)
        .map_err(|error| CliError::Dfns(error.into()))?
        .public_key()
        .to_pem();

    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|error| CliError::File(format!("cannot create the key file {path:?}: {error}")))?;
    file.write_all(pem.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|error| CliError::File(format!("cannot write the key file {path:?}: {error}")))?;
    Ok(public_key)
}
