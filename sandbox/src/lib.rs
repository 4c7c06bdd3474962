//! An offline, Dfns-compatible server on loopback: a strict double of the Dfns API for tests
//! in any language, and the program `dfns-sandbox` that runs it.
//!
//! ```text
//!   your code ── Dfns client (dfns-blocking, or Dfns's TypeScript/Python/Go SDKs) ──HTTP──▶ dfns-sandbox
//!   dfns-blocking's tests, examples and benches dev-depend on dfns-sandbox; it never depends on them
//! ```
//!
//! It checks what the real API checks: the bearer token; the nonce's format, freshness and
//! uniqueness; user action challenges and signatures with real cryptography (ECDSA P-256,
//! Ed25519, RSA); single-use challenges and user action tokens bound to the method, path and
//! exact body bytes; Fast Auth assertions (a signed call in one request, experimental: see
//! [`Sandbox::set_fast_auth`]) bound to the host, method, path with query, body, org and a
//! fresh, single-use nonce; request bodies against the request schemas of Dfns's OpenAPI document (a
//! body Dfns would refuse answers 400 naming the field). It runs the personal access token
//! state machine, permissions and their assignments, and policies with their approvals (a
//! change to a permission or a policy that a `RequestApproval` policy governs answers 202 and
//! waits for the approvers' decisions), wallets with balances and transfers that move them
//! (see [`Sandbox::set_balance`] and [`Sandbox::fail_next_transfer`]), and answers errors with
//! Dfns's documented bodies. It sends webhook deliveries as Dfns does (signed, retried, logged)
//! to receivers on loopback: see [`Sandbox::deliver_event`]. It is blocking (a thread per
//! connection), with no async runtime.
//!
//! # Independent of the client
//!
//! This crate does not depend on `dfns-blocking`. It reads every request with its own view of
//! the wire (its own date, nonce, key and PEM code, its own reading of policy bodies, the
//! vendored OpenAPI schemas) so that it checks a client from outside: a field a client names
//! wrongly is refused here, not read back by the same wrong name. A few small helpers are
//! therefore written twice, once in each crate, on purpose.
//!
//! ```
//! use std::io::{Read, Write};
//! use dfns_sandbox::{Algorithm, Sandbox, ScriptedAnswer};
//!
//! let sandbox = Sandbox::start()?;
//! // What a client needs: the URL, a bearer token, a credential id and its private key.
//! let env = sandbox.env(Algorithm::EcdsaP256);
//! let token = env.get("DFNS_AUTH_TOKEN").unwrap_or_default();
//!
//! // An unsigned read, as raw HTTP.
//! let get = |path: &str| -> std::io::Result<String> {
//!     let mut stream = std::net::TcpStream::connect(sandbox.url().trim_start_matches("http://"))?;
//!     write!(stream, "GET {path} HTTP/1.1\r\nHost: sandbox\r\nUser-Agent: doc\r\nAuthorization: Bearer {token}\r\n\
//!                     X-DFNS-NONCE: {}\r\nConnection: close\r\n\r\n", dfns_sandbox::nonce())?;
//!     let mut answer = String::new();
//!     stream.read_to_string(&mut answer)?;
//!     Ok(answer)
//! };
//! let answer = get("/auth/pats")?;
//! assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
//!
//! // Script a fault: the next request gets a proxy's HTML 502.
//! sandbox.script(ScriptedAnswer::new(502).body("<html>bad gateway</html>"));
//! assert!(get("/auth/pats")?.starts_with("HTTP/1.1 502"));
//! let statuses: Vec<u16> = sandbox.requests().iter().map(|r| r.status).collect();
//! assert_eq!(statuses, [200, 502]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Fixtures
//!
//! You declare nothing: the sandbox already knows every domain it emulates. A Dfns endpoint
//! it does not emulate answers 501, and a path Dfns does not have answers 404 `Route not found`. To start a test
//! from existing entities instead of creating them through the API, seed them:
//! [`Sandbox::seed`] stores a record of any collection the sandbox declares (as given, with
//! an id, `dateCreated` and status filled in when missing), and [`Sandbox::seed_pat`] a
//! personal access token of a user, with the creation date you choose.
//!
//! # Time
//!
//! The sandbox has its own clock, the real one until you move it with
//! [`Sandbox::advance_clock`] or [`Sandbox::set_clock`]. Every date it writes
//! (`dateCreated`, log dates, ...) and every lifetime it checks (user action challenges,
//! token validity, status changes that happen by themselves) reads that clock, so "a month
//! later" takes no waiting. One check does not: a request's nonce carries the date of the
//! client's clock, which is the machine's real clock, so its ten-minute window compares with
//! the real clock; moving the sandbox clock models time passing on the server's side, not a
//! client whose clock is wrong, and requests keep working after a jump. (To test a refused
//! nonce, script the answer with [`Sandbox::script`].)

mod dfns;
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub mod fuzzing;
mod http;
mod multipart;
mod persist;
mod schema;
mod wire;

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, SystemTime};

use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, Ed25519KeyPair};
use serde_json::Value;

pub use dfns::SandboxStats;
pub use dfns::webhooks::DeliveryAttempt;

use self::dfns::webhooks::DeliveryKind;
use self::dfns::{Credential, State, User};
use self::http::{Fault, Handler, HttpRequest, HttpResponse};
use self::wire::pem_encode;
pub use self::wire::{Algorithm, PublicKey};

/// The RSA key of the ready RSA user: `ring` cannot generate RSA keys, so the sandbox ships one.
/// A public test key; never use it anywhere else.
const RSA_TEST_KEY: &str = include_str!("rsa-2048.pem");

/// A running sandbox. Stops when dropped.
pub struct Sandbox {
    address: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    users: Vec<SandboxUser>,
}

struct Shared {
    state: Mutex<State>,
    script: Mutex<VecDeque<ScriptedAnswer>>,
    log: Mutex<Vec<RecordedRequest>>,
    /// Where the records are kept across restarts, if anywhere.
    state_dir: Option<PathBuf>,
}

impl Shared {
    fn save(&self) -> io::Result<()> {
        match &self.state_dir {
            Some(dir) => persist::save_records(dir, &lock(&self.state).export_records()),
            None => Ok(()),
        }
    }
}

/// How to start a [`Sandbox`]: its port and where it keeps its records.
///
/// ```
/// use dfns_sandbox::SandboxOptions;
///
/// let dir = std::env::temp_dir().join(format!("dfns-sandbox-doc-{}", std::process::id()));
/// let first = SandboxOptions::new().state_dir(&dir).start()?;
/// let seeded = first.seed("/auth/apps", serde_json::json!({ "name": "kept" }))?;
/// let token = first.env(dfns_sandbox::Algorithm::Ed25519).get("DFNS_AUTH_TOKEN");
/// drop(first);
/// // A restart from the same directory: the same users, tokens and records.
/// let second = SandboxOptions::new().state_dir(&dir).start()?;
/// assert_eq!(second.env(dfns_sandbox::Algorithm::Ed25519).get("DFNS_AUTH_TOKEN"), token);
/// assert!(second.seed("/auth/apps", seeded).is_err(), "the id is taken already");
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct SandboxOptions {
    port: u16,
    state_dir: Option<PathBuf>,
}

impl SandboxOptions {
    /// A free loopback port, records in memory only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Listens on this loopback port (0: any free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Keeps the organisation, the ready users (their ids, tokens and keys, as PEM files in
    /// `dir`), the records of the declared collections and the balances in `dir`, created if
    /// missing, rewritten after every change: a
    /// sandbox started again from the same directory carries on where the last one stopped.
    /// Personal access tokens, permissions, policies and login sessions are kept in memory
    /// only.
    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.state_dir = Some(dir.into());
        self
    }

    /// Starts the sandbox.
    pub fn start(self) -> io::Result<Sandbox> {
        Sandbox::start_with(self)
    }
}

/// Locks a mutex even if a panicking test thread poisoned it: the sandbox's state stays usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Sandbox {
    /// Starts a sandbox on a free loopback port, with one ready user per key algorithm.
    pub fn start() -> io::Result<Self> {
        SandboxOptions::new().start()
    }

    fn start_with(options: SandboxOptions) -> io::Result<Self> {
        let rng = SystemRandom::new();
        // Loopback only: the sandbox is a test double, never a server for a network.
        let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, options.port))?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new(rng.clone())),
            script: Mutex::new(VecDeque::new()),
            log: Mutex::new(Vec::new()),
            state_dir: options.state_dir.clone(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let mut sandbox = Self {
            address,
            shared: Arc::clone(&shared),
            stop: Arc::clone(&stop),
            users: Vec::new(),
        };
        let restored = match &options.state_dir {
            Some(dir) => persist::restore(dir, &shared.state)?,
            None => None,
        };
        match restored {
            Some(users) => sandbox.users = users,
            None => {
                let keys = [
                    generated_key(&rng, Algorithm::Ed25519)?,
                    generated_key(&rng, Algorithm::EcdsaP256)?,
                    RSA_TEST_KEY.to_owned(),
                ];
                for pem in keys {
                    let user = sandbox.register_key_holder(pem)?;
                    sandbox.users.push(user);
                }
                if let Some(dir) = &options.state_dir {
                    let org_id = lock(&shared.state).org_id.clone();
                    persist::save_identity(dir, &org_id, &sandbox.users)?;
                }
            }
        }
        let handler: Arc<dyn Handler> = shared;
        thread::Builder::new()
            .name("dfns-sandbox".into())
            .spawn(move || http::serve(listener, handler, stop))?;
        Ok(sandbox)
    }

    /// Writes the records to the state directory now (see [`SandboxOptions::state_dir`]); the
    /// sandbox also does after every change. Does nothing without a state directory.
    pub fn save(&self) -> io::Result<()> {
        self.shared.save()
    }

    /// The base URL to point a Dfns client at, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The ready user whose credential key uses `algorithm`.
    ///
    /// # Panics
    ///
    /// For [`Algorithm::Secp256k1`]: the sandbox makes no secp256k1 keys (it only verifies
    /// their signatures); register the holder of one with [`add_user`](Self::add_user).
    pub fn ready_user(&self, algorithm: Algorithm) -> &SandboxUser {
        // `start` registers one user per algorithm, in this order.
        let index = match algorithm {
            Algorithm::Ed25519 => 0,
            Algorithm::EcdsaP256 => 1,
            Algorithm::Rsa => 2,
            Algorithm::Secp256k1 => {
                panic!("the sandbox has no ready secp256k1 user: register one with add_user")
            }
        };
        &self.users[index]
    }

    /// The ready users: one per [`Algorithm`].
    pub fn ready_users(&self) -> &[SandboxUser] {
        &self.users
    }

    /// The ready user of `algorithm` as the `DFNS_*` settings a Dfns client reads from its
    /// environment (`DFNS_API_URL`, `DFNS_AUTH_TOKEN`, `DFNS_CRED_ID`, `DFNS_PRIVATE_KEY`):
    /// what to hand to a client's builder, or to export for a program that reads them.
    ///
    /// ```
    /// use dfns_sandbox::{Algorithm, Sandbox};
    ///
    /// let sandbox = Sandbox::start()?;
    /// let env = sandbox.env(Algorithm::EcdsaP256);
    /// assert_eq!(env.get("DFNS_API_URL"), Some(sandbox.url()));
    /// assert!(env.get("DFNS_PRIVATE_KEY").is_some_and(|pem| pem.contains("PRIVATE KEY")));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn env(&self, algorithm: Algorithm) -> SandboxEnv {
        let user = self.ready_user(algorithm);
        SandboxEnv {
            vars: vec![
                ("DFNS_API_URL", self.url()),
                ("DFNS_AUTH_TOKEN", user.auth_token.clone()),
                ("DFNS_CRED_ID", user.credential_id.clone()),
                ("DFNS_PRIVATE_KEY", user.private_key_pem.clone()),
            ],
        }
    }

    /// Registers a new user whose credential is the public key `public_key_pem` (SPKI, or
    /// PKCS#1 for RSA: a key you hold) and returns it; its `private_key_pem` is empty.
    pub fn add_user(&self, public_key_pem: &str) -> Result<SandboxUser, SeedError> {
        let public_key = PublicKey::from_pem(public_key_pem).ok_or_else(|| SeedError {
            message: "not a PEM public key of a supported type".into(),
        })?;
        Ok(self.register(public_key, String::new()))
    }

    /// Registers the holder of `private_key_pem` (a key `start` made or ships).
    fn register_key_holder(&self, private_key_pem: String) -> io::Result<SandboxUser> {
        let public_key = PublicKey::of_private_pem(&private_key_pem)
            .ok_or_else(|| io::Error::other("a sandbox key does not load"))?;
        Ok(self.register(public_key, private_key_pem))
    }

    fn register(&self, public_key: PublicKey, private_key_pem: String) -> SandboxUser {
        let mut state = lock(&self.shared.state);
        let user_id = state.dfns_id("us");
        let credential_id = state.random(18);
        let uuid = state.dfns_id("cr");
        let now = state.now();
        let credential_uuid = uuid.clone();
        let algorithm = public_key.algorithm();
        let user_public_key = public_key.clone();
        let auth_token = state.add_user(User {
            id: user_id.clone(),
            credentials: vec![Credential::key(
                credential_id.clone(),
                public_key,
                uuid,
                now,
            )],
        });
        SandboxUser {
            user_id,
            auth_token,
            credential_id,
            credential_uuid,
            algorithm,
            public_key: user_public_key,
            private_key_pem,
        }
    }

    /// Queues an answer to give instead of the real one: to the next request, or to the next
    /// one matching [`ScriptedAnswer::on`]. Queued answers are used in order, once each.
    pub fn script(&self, answer: ScriptedAnswer) {
        lock(&self.shared.script).push_back(answer);
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.log).clone()
    }

    /// What the sandbox counted so far.
    pub fn stats(&self) -> SandboxStats {
        lock(&self.shared.state).stats.clone()
    }

    /// Turns the org's Fast Auth setting on (the default) or off. Fast Auth is a signed call
    /// in one request: the client makes and signs the challenge itself (experimental, after
    /// unreleased code of Dfns's TypeScript client). Off, every Fast Auth assertion is answered
    /// 403 `{"message":"Fast Auth disabled","details":{"kind":"FastAuthDisabled"}}`; the
    /// three-step flow works either way. On, an assertion is verified as strictly as the
    /// three-step flow: signature, host, method, path with query, body hash, org, a 5 s
    /// freshness window on the real clock (either way), a nonce never accepted twice, and
    /// `Key` credentials only.
    ///
    /// ```
    /// use dfns_sandbox::Sandbox;
    ///
    /// let sandbox = Sandbox::start()?;
    /// sandbox.set_fast_auth(false);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn set_fast_auth(&self, on: bool) {
        lock(&self.shared.state).fast_auth = on;
    }

    /// Moves the sandbox clock forward by `by`: dates written from now on, challenge and
    /// token lifetimes and status changes over time see the later time. The clock keeps
    /// running from there. Nonce freshness still compares with the real clock (see the
    /// [module documentation](self#time)).
    ///
    /// ```
    /// use std::time::Duration;
    /// use dfns_sandbox::Sandbox;
    ///
    /// let sandbox = Sandbox::start()?;
    /// sandbox.advance_clock(Duration::from_secs(31 * 86_400));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn advance_clock(&self, by: Duration) {
        lock(&self.shared.state).advance_clock(by);
    }

    /// Sets the sandbox clock to read `time` now (earlier or later than the real time); it
    /// keeps running from there. See [`Sandbox::advance_clock`].
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use dfns_sandbox::Sandbox;
    ///
    /// let sandbox = Sandbox::start()?;
    /// sandbox.set_clock(UNIX_EPOCH + Duration::from_secs(1_767_225_600)); // 2026-01-01
    /// assert!(sandbox.now() >= UNIX_EPOCH + Duration::from_secs(1_767_225_600));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn set_clock(&self, time: SystemTime) {
        lock(&self.shared.state).set_clock(time);
    }

    /// Stores `record` in `collection` as if it had been created through the API, and
    /// answers it as stored. `collection` is the path a list would be read from, with its
    /// parameters filled in: `/auth/apps`, or for a nested collection e.g.
    /// `/wallets/wa-1/transfers` (whose parent must exist). Missing members are filled in as a
    /// create would: the id (in the collection's id member, e.g. `appId`), `dateCreated` (by
    /// the sandbox clock) and the initial `status`; nothing else is checked, so a test can
    /// seed what the API would not create (an old date, a final status). What a domain keeps
    /// in its own state (users, personal access tokens, credentials, permissions, policies)
    /// is no such collection: make it through the API or with [`Sandbox::seed_pat`].
    ///
    /// ```
    /// use dfns_sandbox::Sandbox;
    /// use serde_json::json;
    ///
    /// let sandbox = Sandbox::start()?;
    /// let seeded = sandbox.seed("/auth/apps", json!({
    ///     "name": "Legacy app",
    ///     "kind": "ServerSideApplication",
    ///     "orgId": "or-1",
    ///     "isActive": false,
    ///     "dateCreated": "2024-01-01T00:00:00.000Z",
    /// }))?;
    /// assert!(seeded["appId"].as_str().is_some_and(|id| id.starts_with("ap-")));
    /// assert_eq!(seeded["name"], "Legacy app");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn seed(&self, collection: &str, record: Value) -> Result<Value, SeedError> {
        let seeded = lock(&self.shared.state)
            .seed(collection, record)
            .map_err(|message| SeedError { message })?;
        // Best effort, as after a change through the API; `save` reports errors.
        let _ = self.shared.save();
        Ok(seeded)
    }

    /// Gives `owner` a personal access token named `name`, created at `date_created` (by any
    /// clock: e.g. forty days ago), signing with `owner`'s own credential key; answers its
    /// `tokenId`. It lists, reads and changes like a token made through the API.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use dfns_sandbox::{Algorithm, Sandbox};
    ///
    /// let sandbox = Sandbox::start()?;
    /// let owner = sandbox.ready_user(Algorithm::Ed25519);
    /// let forty_days_ago = SystemTime::now() - Duration::from_secs(40 * 86_400);
    /// let token_id = sandbox.seed_pat(owner, "old token", forty_days_ago)?;
    /// assert!(token_id.starts_with("to-"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn seed_pat(
        &self,
        owner: &SandboxUser,
        name: &str,
        date_created: SystemTime,
    ) -> Result<String, SeedError> {
        lock(&self.shared.state)
            .seed_pat(&owner.user_id, name, date_created)
            .map_err(|message| SeedError { message })
    }

    /// Sends the webhook event `kind` with `data` to every enabled webhook subscribed to it
    /// (or to `*`), as Dfns would: signed with the webhook's secret, `timestampSent` from the
    /// sandbox clock, retried at once while the receiver does not answer 2xx (5 attempts at
    /// most, each with `deliveryAttempt` and, after the first, `retryOf`), every attempt kept
    /// in the webhook's event log. Only loopback `http://` URLs are sent to. Answers every
    /// attempt, in order.
    ///
    /// ```
    /// use dfns_sandbox::Sandbox;
    /// use serde_json::json;
    ///
    /// let sandbox = Sandbox::start()?;
    /// // Nothing listens on port 9: each of the 5 attempts fails.
    /// let hook = sandbox.seed("/webhooks", json!({
    ///     "url": "http://127.0.0.1:9/dfns",
    ///     "events": ["wallet.created"],
    ///     "status": "Enabled",
    /// }))?;
    /// let attempts = sandbox.deliver_event("wallet.created", json!({ "wallet": { "id": "wa-1" } }));
    /// assert_eq!(attempts.len(), 5);
    /// assert!(attempts.iter().all(|a| hook["id"] == a.webhook_id.as_str() && !a.succeeded()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deliver_event(&self, kind: &str, data: Value) -> Vec<DeliveryAttempt> {
        self.queue_and_send(|state| state.emit_event(kind, data))
    }

    /// Like [`deliver_event`](Self::deliver_event) but signed with another secret than the
    /// webhook's: a forged delivery, which a receiver must refuse. Sent once, not logged.
    pub fn deliver_forged_event(&self, kind: &str, data: Value) -> Vec<DeliveryAttempt> {
        self.queue_and_send(|state| {
            let forged = format!("whs_forged_{}", state.random(12));
            state.queue_event(kind, data, DeliveryKind::Hostile, Some(&forged), None);
        })
    }

    /// Like [`deliver_event`](Self::deliver_event) but with `timestampSent` `age` before the
    /// sandbox clock, correctly signed: a stale delivery (a replay of an old capture), which a
    /// receiver must refuse. Sent once, not logged.
    pub fn deliver_stale_event(
        &self,
        kind: &str,
        data: Value,
        age: Duration,
    ) -> Vec<DeliveryAttempt> {
        self.queue_and_send(|state| {
            let sent = dfns::webhooks::before(state.now(), age);
            state.queue_event(kind, data, DeliveryKind::Hostile, None, Some(sent));
        })
    }

    /// Sends `attempt`'s body and signature again, byte for byte, to the same URL: a replayed
    /// (or duplicated) delivery, which a receiver must accept but handle once. Answers how it
    /// went.
    pub fn replay_delivery(&self, attempt: &DeliveryAttempt) -> DeliveryAttempt {
        dfns::webhooks::replay(attempt)
    }

    fn queue_and_send(&self, queue: impl FnOnce(&mut State)) -> Vec<DeliveryAttempt> {
        let queued = {
            let mut state = lock(&self.shared.state);
            queue(&mut state);
            state.webhooks.take()
        };
        dfns::webhooks::send(&self.shared.state, queued)
    }

    /// Sets what wallet `wallet_id` holds of `asset`: `"native"` for the network's native
    /// token, or a token's identifier as transfers name it (its `contract`, `mint`, `tokenId`,
    /// ...), in the asset's smallest unit (wei, satoshi, lamport). `GET .../assets` answers it,
    /// and from then on a transfer of that asset must fit in it: the amount moves when the
    /// transfer is accepted (fees aside), to the sandbox wallet at its `to` address if there is
    /// one; too large an amount makes the transfer `Failed` with reason `insufficient funds`.
    ///
    /// ```
    /// use dfns_sandbox::Sandbox;
    /// use serde_json::json;
    ///
    /// let sandbox = Sandbox::start()?;
    /// let wallet = sandbox.seed("/wallets", json!({ "network": "Bitcoin", "name": "cold" }))?;
    /// let id = wallet["id"].as_str().unwrap_or_default();
    /// sandbox.set_balance(id, "native", "150000000")?; // 1.5 BTC
    /// assert_eq!(sandbox.balance(id, "native").as_deref(), Some("150000000"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_balance(&self, wallet_id: &str, asset: &str, amount: &str) -> Result<(), SeedError> {
        let amount: u128 = (amount.bytes().all(|b| b.is_ascii_digit()) && !amount.is_empty())
            .then(|| amount.parse().ok())
            .flatten()
            .ok_or_else(|| SeedError {
                message: format!("{amount:?} is not an amount in the smallest unit"),
            })?;
        let mut state = lock(&self.shared.state);
        if !state.has_wallet(wallet_id) {
            return Err(SeedError {
                message: format!("no wallet {wallet_id}"),
            });
        }
        state.ledger.set(wallet_id, asset, amount);
        drop(state);
        let _ = self.shared.save();
        Ok(())
    }

    /// What wallet `wallet_id` holds of `asset` (see [`Sandbox::set_balance`]), if a balance
    /// was set or a transfer brought some.
    pub fn balance(&self, wallet_id: &str, asset: &str) -> Option<String> {
        let state = lock(&self.shared.state);
        state
            .ledger
            .get(wallet_id, asset)
            .map(|amount| amount.to_string())
    }

    /// Makes the next transfer request fail: it is accepted (200) and answered `Failed` with
    /// `reason`, and nothing moves. Calls queue up, one transfer each.
    pub fn fail_next_transfer(&self, reason: &str) {
        lock(&self.shared.state)
            .ledger
            .queue(dfns::wallets::Outcome::Fail(reason.to_owned()));
    }

    /// Makes the next transfer request rejected: it is accepted (200) and answered `Rejected`
    /// with `reason`, as when a policy's approvers deny it, and nothing moves. Calls queue up,
    /// one transfer each.
    pub fn reject_next_transfer(&self, reason: &str) {
        lock(&self.shared.state)
            .ledger
            .queue(dfns::wallets::Outcome::Reject(reason.to_owned()));
    }

    /// The sandbox clock's time now.
    ///
    /// ```
    /// use dfns_sandbox::Sandbox;
    ///
    /// let sandbox = Sandbox::start()?;
    /// assert!(sandbox.now() <= std::time::SystemTime::now());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn now(&self) -> SystemTime {
        lock(&self.shared.state).now()
    }
}

/// A ready user's `DFNS_*` settings: see [`Sandbox::env`].
#[derive(Clone)]
pub struct SandboxEnv {
    vars: Vec<(&'static str, String)>,
}

impl SandboxEnv {
    /// The value of the setting `name` (e.g. `DFNS_AUTH_TOKEN`), if the sandbox sets it.
    pub fn get(&self, name: &str) -> Option<String> {
        self.vars
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    }

    /// Every setting, in the order above.
    pub fn vars(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.vars.iter().map(|(key, value)| (*key, value.as_str()))
    }
}

impl fmt::Debug for SandboxEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.vars.iter().map(|(key, _)| *key).collect();
        f.debug_struct("SandboxEnv")
            .field("names", &names)
            .finish_non_exhaustive()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_millis(200));
    }
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl Handler for Shared {
    fn handle(&self, request: HttpRequest) -> HttpResponse {
        let scripted = {
            let mut script = lock(&self.script);
            let position = script
                .iter()
                .position(|answer| answer.applies_to(&request.method, &request.target));
            position.and_then(|at| script.remove(at))
        };
        let (mut response, deliveries) = {
            let mut state = lock(&self.state);
            state.stats.requests += 1;
            let response = match scripted {
                Some(answer) => answer.into_response(),
                None => state.handle(&request),
            };
            (response, state.webhooks.take())
        };
        // Webhook deliveries go out with the state unlocked, before the answer: a call that
        // makes an event returns once its deliveries are done.
        let ping = dfns::webhooks::has_ping(&deliveries);
        let attempts = dfns::webhooks::send(&self.state, deliveries);
        if ping && response.status == 200 {
            response = dfns::json_response(200, &dfns::webhooks::ping_answer(&attempts));
        }
        if request.method != "GET" && (200..300).contains(&response.status) {
            // A dev tool's persistence: the whole store, rewritten after each change.
            let _ = self.save();
        }
        lock(&self.log).push(RecordedRequest {
            method: request.method,
            target: request.target,
            headers: request.headers,
            body: request.body,
            status: response.status,
            response_body: response.body.clone(),
        });
        response
    }

    fn connection_opened(&self) {
        lock(&self.state).stats.connections += 1;
    }
}

/// A fresh, valid `X-DFNS-NONCE`, exactly as the client makes them: for tests that send raw
/// HTTP requests to the sandbox. Empty if the system has no randomness to give.
///
/// ```
/// let nonce = dfns_sandbox::nonce();
/// assert!(!nonce.is_empty() && !nonce.contains('='));
/// ```
pub fn nonce() -> String {
    wire::new_nonce(&SystemRandom::new()).unwrap_or_default()
}

/// `time` as an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), for scripting a `Retry-After`
/// date.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use dfns_sandbox::{ScriptedAnswer, http_date};
///
/// let when = UNIX_EPOCH + Duration::from_secs(784_111_777);
/// assert_eq!(http_date(when), "Sun, 06 Nov 1994 08:49:37 GMT");
/// let answer = ScriptedAnswer::dfns_error(429, "Too many requests")
///     .header("Retry-After", &http_date(std::time::SystemTime::now()));
/// # let _ = answer;
/// ```
pub fn http_date(time: std::time::SystemTime) -> String {
    wire::format_http_date(time)
}

fn generated_key(rng: &SystemRandom, algorithm: Algorithm) -> io::Result<String> {
    let failed = |_| io::Error::other("could not generate a sandbox key");
    let pkcs8 = match algorithm {
        Algorithm::EcdsaP256 => {
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, rng).map_err(failed)?
        }
        _ => Ed25519KeyPair::generate_pkcs8(rng).map_err(failed)?,
    };
    Ok(pem_encode("PRIVATE KEY", pkcs8.as_ref()))
}

/// Why [`Sandbox::seed`] or [`Sandbox::seed_pat`] refused a fixture: an undeclared
/// collection, a missing parent, an unknown owner, a record that is not a JSON object, an id
/// already taken.
///
/// ```
/// use dfns_sandbox::Sandbox;
///
/// let sandbox = Sandbox::start()?;
/// let refused = sandbox.seed("/nowhere", serde_json::json!({})).unwrap_err();
/// assert!(refused.message().contains("/nowhere"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeedError {
    message: String,
}

impl SeedError {
    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the sandbox refused the fixture: {}", self.message)
    }
}

impl std::error::Error for SeedError {}

/// A user of the sandbox: its bearer token and its credential.
#[derive(Clone)]
#[non_exhaustive]
pub struct SandboxUser {
    /// The user's id (`us-...`).
    pub user_id: String,
    /// The bearer token to authenticate with.
    pub auth_token: String,
    /// The credential id (`credId`) its key signs for.
    pub credential_id: String,
    /// The credential's own id (`cr-...`), as credential lists show it.
    pub credential_uuid: String,
    /// The credential key's algorithm.
    pub algorithm: Algorithm,
    /// The credential's public key (e.g. `public_key.to_pem()` for a new token's `publicKey`).
    pub public_key: PublicKey,
    /// The credential's private key as PKCS#8 PEM (empty for users added with [`Sandbox::add_user`]).
    pub private_key_pem: String,
}

impl fmt::Debug for SandboxUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxUser")
            .field("user_id", &self.user_id)
            .field("auth_token", &"** redacted **")
            .field("credential_id", &self.credential_id)
            .field("algorithm", &self.algorithm)
            .field("public_key", &self.public_key)
            .field("private_key_pem", &"** redacted **")
            .finish()
    }
}

/// A request as the sandbox received it.
#[derive(Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method.
    pub method: String,
    /// The request target: the path as sent (percent-encoded) and the query.
    pub target: String,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// The status the sandbox answered with.
    pub status: u16,
    /// The body the sandbox answered with (all of it, even when scripted to be cut short).
    pub response_body: Vec<u8>,
}

impl RecordedRequest {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The path, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("target", &self.target)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// An answer scripted by a test: any status, headers and raw body, after a delay, possibly cut
/// short.
///
/// ```
/// use std::time::Duration;
/// use dfns_sandbox::ScriptedAnswer;
///
/// // Dfns's rate limit answer, for the next PUT to a token.
/// let answer = ScriptedAnswer::dfns_error(429, "Too many requests")
///     .header("Retry-After", "2")
///     .on("PUT", "/auth/pats/");
/// // A body that stops after 10 bytes, sent after half a second.
/// let broken = ScriptedAnswer::new(200).body(r#"{"items":[{"tokenId":"to-1"}]}"#).cut_body_at(10).delay(Duration::from_millis(500));
/// # let _ = (answer, broken);
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ScriptedAnswer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    fault: Option<Fault>,
    on: Option<(String, String, bool)>,
}

impl ScriptedAnswer {
    /// An answer with this status and an empty body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            fault: None,
            on: None,
        }
    }

    /// A JSON answer.
    pub fn json(status: u16, body: &Value) -> Self {
        Self::new(status)
            .header("Content-Type", "application/json")
            .body(body.to_string())
    }

    /// A Dfns error in the current shape, with a trace id:
    /// `{"error":{"id":"...","status":N,"message":"..."}}`.
    pub fn dfns_error(status: u16, message: &str) -> Self {
        let response = dfns::error_response(status, message, None, "2038837570328299032");
        Self::new(status)
            .header("Content-Type", "application/json")
            .body(response.body)
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the raw body bytes.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Waits this long before answering (a slow or silent server).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Announces the whole body's length but sends only its first `bytes`, then closes the
    /// connection cleanly.
    pub fn cut_body_at(mut self, bytes: usize) -> Self {
        self.fault = Some(Fault::Cut(bytes));
        self
    }

    /// Announces the whole body's length, sends its first `bytes`, then resets the connection
    /// (TCP RST), as a crashing proxy does.
    pub fn reset_body_at(mut self, bytes: usize) -> Self {
        self.fault = Some(Fault::Reset(bytes));
        self
    }

    /// Sends the answer, head included, one byte per `interval`: a server that trickles.
    pub fn trickle(mut self, interval: Duration) -> Self {
        self.fault = Some(Fault::Trickle(interval));
        self
    }

    /// Reads the request and never answers, holding the connection open until the client
    /// gives up or the sandbox stops.
    pub fn never_answer(mut self) -> Self {
        self.fault = Some(Fault::Silent);
        self
    }

    /// Applies only to a request with this method whose path starts with `path_prefix`.
    pub fn on(mut self, method: &str, path_prefix: &str) -> Self {
        self.on = Some((method.to_owned(), path_prefix.to_owned(), false));
        self
    }

    /// Applies only to a request with this method and exactly this (percent-encoded) path.
    pub fn on_exactly(mut self, method: &str, path: &str) -> Self {
        self.on = Some((method.to_owned(), path.to_owned(), true));
        self
    }

    fn applies_to(&self, method: &str, target: &str) -> bool {
        let path = target.split('?').next().unwrap_or_default();
        self.on.as_ref().is_none_or(|(on_method, on_path, exact)| {
            method == on_method
                && if *exact {
                    path == on_path
                } else {
                    path.starts_with(on_path.as_str())
                }
        })
    }

    fn into_response(self) -> HttpResponse {
        HttpResponse {
            status: self.status,
            headers: self.headers,
            body: self.body,
            delay: self.delay,
            fault: self.fault,
        }
    }
}
