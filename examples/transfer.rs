//! `transfer`: send a transfer from a wallet and wait until it is confirmed, printing JSON.
//!
//! ```text
//! export DFNS_AUTH_TOKEN=...  DFNS_CRED_ID=cr-...  DFNS_PRIVATE_KEY_PATH=dfns-key.pem
//! cargo run --example transfer -- wa-... 0xRECIPIENT 1000000000000000
//! cargo run --example transfer -- wa-... 0xRECIPIENT 2500000 --erc20 0xTOKEN \
//!     --external-id payout-42 --priority Fast --timeout 600
//! ```
//!
//! The amount is in the asset's smallest unit (wei, satoshi, ...). Without `--erc20` the
//! network's native token is sent. With `--external-id`, running the same command again
//! answers the same transfer instead of sending twice. The tool then polls the transfer
//! (through policy approval, broadcast and confirmation), telling each new status on standard
//! error, and prints the final record; when the wait fails it prints the last record seen on standard output and the reason on standard
//! error.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | confirmed |
//! | 1 | anything else |
//! | 2 | usage: missing or bad argument |
//! | 3 | configuration: an environment variable missing or malformed, no signing key |
//! | 4 | the wallet does not exist |
//! | 5 | refused: not authenticated, permission denied, blocked by a policy |
//! | 6 | the transfer failed or was rejected by an approver |
//! | 7 | refused as invalid, or the external id was used for another transfer |
//! | 8 | not final before `--timeout` (the transfer goes on), or try again later |

use std::fmt;
use std::io::Write;
use std::time::Duration;

use dfns_blocking::api::wallets::{Erc20Transfer, NativeTransfer, Priority, TransferAsset};
use dfns_blocking::wait::Wait;
use dfns_blocking::{ClientBuilder, Error, WaitEnd};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match run(
        &args,
        |name| std::env::var(name).ok(),
        &mut std::io::stdout(),
    ) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("transfer: {error}");
            error.exit_code()
        }
    };
    std::process::exit(code);
}

const USAGE: &str = "usage: transfer WALLET_ID TO AMOUNT [--erc20 CONTRACT] [--external-id ID] \
                     [--priority Slow|Standard|Fast] [--timeout SECONDS] [--interval-ms MS]";

/// Why the tool stopped.
#[derive(Debug)]
pub enum CliError {
    /// The command line was wrong.
    Usage(String),
    /// The client or Dfns refused, or the wait ended without confirmation.
    Dfns(Error),
    /// The answer could not be written.
    Output(String),
}

impl CliError {
    /// The process exit code for this error (see the table at the top).
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Usage(_) => 2,
            Self::Output(_) => 1,
            Self::Dfns(error) => match error {
                Error::InvalidConfig { .. } | Error::Key(_) | Error::NoSigner => 3,
                Error::NotFound(_) => 4,
                Error::Unauthenticated(_)
                | Error::PermissionDenied(_)
                | Error::CredentialNotAllowed { .. } => 5,
                Error::WaitFailed {
                    reason: WaitEnd::TimedOut,
                    ..
                } => 8,
                Error::WaitFailed { .. } => 6,
                Error::BadRequest(_) | Error::Conflict(_) | Error::InvalidInput { .. } => 7,
                error if error.is_retryable() => 8,
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
            Self::Output(problem) => f.write_str(problem),
        }
    }
}

impl From<Error> for CliError {
    fn from(error: Error) -> Self {
        Self::Dfns(error)
    }
}

/// The command line, checked.
struct Command {
    wallet_id: String,
    transfer: TransferAsset,
    wait: Wait,
}

fn parse(args: &[String]) -> Result<Command, CliError> {
    let usage = |problem: &str| CliError::Usage(problem.to_owned());
    let mut positional = Vec::new();
    let (mut contract, mut external_id, mut priority) = (None, None, None);
    let mut wait = Wait::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value =
            || (args.next().cloned()).ok_or_else(|| usage(&format!("{arg} needs a value")));
        match arg.as_str() {
            "--erc20" => contract = Some(value()?),
            "--external-id" => external_id = Some(value()?),
            "--priority" => priority = Some(Priority::from(value()?.as_str())),
            "--timeout" => {
                let seconds = value()?
                    .parse()
                    .map_err(|_| usage("--timeout takes seconds"))?;
                wait = wait.timeout(Duration::from_secs(seconds));
            }
            "--interval-ms" => {
                let ms = value()?
                    .parse()
                    .map_err(|_| usage("--interval-ms takes a number"))?;
                wait = wait.initial_interval(Duration::from_millis(ms));
            }
            flag if flag.starts_with("--") => return Err(usage(&format!("unknown flag {flag}"))),
            _ => positional.push(arg.clone()),
        }
    }
    let [wallet_id, to, amount] = <[String; 3]>::try_from(positional)
        .map_err(|_| usage("give the wallet id, the destination and the amount"))?;
    if amount.is_empty() || !amount.bytes().all(|b| b.is_ascii_digit()) {
        return Err(usage("the amount is an integer in the smallest unit"));
    }
    let transfer = match contract {
        Some(contract) => {
            let mut transfer = Erc20Transfer::new(contract, to, amount);
            transfer.external_id = external_id;
            transfer.priority = priority;
            TransferAsset::from(transfer)
        }
        None => {
            let mut transfer = NativeTransfer::new(to, amount);
            transfer.external_id = external_id;
            transfer.priority = priority;
            TransferAsset::from(transfer)
        }
    };
    // Progress on standard error, the record alone on standard output.
    let wait = wait.on_status(|status| eprintln!("transfer status: {status}"));
    Ok(Command {
        wallet_id,
        transfer,
        wait,
    })
}

/// Runs the tool: `args` without the program name, configuration from `env`, JSON to `out`.
pub fn run(
    args: &[String],
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    // Arguments are checked before the configuration, so that usage errors come first.
    let command = parse(args)?;
    let client = ClientBuilder::from_vars(env)?
        .user_agent_suffix("transfer-example")
        .build()?;
    let wallets = client.wallets();
    let sent = wallets.transfer(&command.wallet_id, &command.transfer)?;
    if let Some(approval) = &sent.approval_id {
        eprintln!("transfer {} waits for policy approval {approval}", sent.id);
    }
    let (record, outcome) =
        match wallets.wait_for_transfer(&command.wallet_id, &sent.id, &command.wait) {
            Ok(done) => (serde_json::to_value(done), Ok(())),
            Err(Error::WaitFailed {
                reason,
                status,
                last,
            }) => {
                let record = Ok(last.json().clone());
                let error = Error::WaitFailed {
                    reason,
                    status,
                    last,
                };
                (record, Err(CliError::from(error)))
            }
            Err(error) => return Err(error.into()),
        };
    let record =
        record.map_err(|error| CliError::Output(format!("could not format it: {error}")))?;
    writeln!(out, "{record:#}")
        .map_err(|error| CliError::Output(format!("could not write it: {error}")))?;
    outcome
}
