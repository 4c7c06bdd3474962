//! The Dfns side of the sandbox: authentication, nonces and user action signing, and the one
//! routing table (`DECLARED`) through which every domain is served (see `store.rs`),
//! answering with Dfns's documented error bodies.
//!
//! The request bodies and the answers are read and written here with the sandbox's own
//! messages and models, apart from the client's on purpose: the sandbox checks a client from
//! outside, so a field a client names wrongly is refused rather than read back by the same
//! wrong name.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use percent_encoding::percent_decode_str;
use ring::rand::{SecureRandom, SystemRandom};
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{HttpRequest, HttpResponse};
use pats::Pat;

mod address_watches;
mod admin;
mod agreements;
mod allocations;
mod credentials;
mod exchanges;
mod fast_auth;
mod fee_sponsors;
mod keys;
mod known;
mod login;
mod networks;
mod paging;
mod pats;
mod payins;
mod payouts;
mod permissions;
mod policies;
mod signers;
mod staking;
mod store;
mod swaps;
mod tenant;
mod vaults;
pub(crate) mod wallets;
pub(crate) mod webhooks;
mod yields;
use crate::wire::PublicKey;
use crate::wire::{format_iso8601, parse_iso8601};

/// Every declared resource (see `store.rs`): one line per collection, grouped by domain. It is
/// the sandbox's one routing table.
const DECLARED: &[store::Resource] = &[
    USER_ACTIONS,
    admin::APPLICATIONS,
    admin::USERS,
    admin::SERVICE_ACCOUNTS,
    admin::ACTION_LOGS,
    policies::POLICIES,
    policies::APPROVALS,
    login::LOGIN,
    login::REGISTRATION,
    login::RECOVERY,
    login::TOKENS,
    login::LOGOUT,
    permissions::PERMISSIONS,
    credentials::CREDENTIALS,
    pats::PATS,
    keys::KEYS,
    keys::KEY_IMPORT,
    keys::SIGNATURES,
    signers::KEY_STORES,
    signers::SIGNERS,
    signers::FLEET[0],
    signers::FLEET[1],
    signers::FLEET[2],
    signers::FLEET[3],
    signers::FLEET[4],
    signers::FLEET[5],
    signers::FLEET[6],
    signers::FLEET[7],
    signers::FLEET[8],
    signers::FLEET[9],
    signers::FLEET[10],
    signers::FLEET[11],
    signers::FLEET[12],
    signers::FLEET[13],
    signers::FLEET[14],
    networks::FEES,
    networks::READ_CONTRACT,
    networks::CALL_FUNCTION,
    networks::REINDEX,
    networks::VALIDATORS,
    fee_sponsors::FEE_SPONSORS,
    fee_sponsors::SPONSORED_FEES,
    tenant::ORGS,
    tenant::PERMISSIONS,
    tenant::USERS,
    tenant::ORG_GROUPS,
    tenant::ORG_GROUP_MEMBERS,
    tenant::TENANT_GROUPS,
    tenant::TENANT_GROUP_MEMBERS,
    vaults::VAULTS,
    vaults::BALANCES,
    vaults::HISTORY,
    vaults::LOCKS,
    vaults::QUARANTINES,
    vaults::TRANSFERS,
    wallets::WALLETS,
    wallets::IMPORT,
    wallets::BULK_JOBS,
    wallets::BULK_JOB_WALLETS,
    policies::SUMSUB_PUBLIC_KEY,
    wallets::ALL_HISTORY,
    wallets::HISTORY,
    wallets::OFFERS,
    wallets::TRANSFERS,
    wallets::TRANSACTIONS,
    wallets::ACTIVATE,
    wallets::SIGNATURES,
    wallets::CANTON,
    wallets::DELEGATE,
    wallets::EXPORT,
    address_watches::ADDRESS_WATCHES,
    agreements::AGREEMENTS,
    allocations::ALLOCATIONS,
    allocations::ALLOCATION_ACTIONS,
    exchanges::EXCHANGES,
    exchanges::EXCHANGE_ACCOUNTS,
    exchanges::EXCHANGE_ASSETS,
    exchanges::EXCHANGE_DEPOSITS,
    exchanges::EXCHANGE_WITHDRAWALS,
    payins::PAYINS,
    payins::PAYIN_ACCOUNTS,
    payouts::PAYOUTS,
    staking::STAKES,
    staking::STAKE_ACTIONS,
    swaps::SWAPS,
    swaps::SWAP_QUOTES,
    yields::YIELDS,
    yields::YIELD_ACTIONS,
    webhooks::WEBHOOKS,
    webhooks::WEBHOOK_EVENTS,
];

/// `/auth/action`: the user action challenge, and its signed answer that mints a single-use
/// user action token.
const USER_ACTIONS: store::Resource = store::Resource {
    path: "/auth/action",
    ops: &[
        store::Op::handler("POST", "init", |s, c| {
            s.init_challenge(c.session, c.request)
        }),
        store::Op::handler("POST", "", |s, c| {
            s.complete_challenge(c.session, c.request)
        }),
    ],
    ..store::Resource::DEFAULT
};

/// How far a nonce's date may be from the real clock (the one clients date nonces with).
const NONCE_WINDOW: Duration = Duration::from_secs(10 * 60);
/// How long a challenge stays valid.
const CHALLENGE_LIFETIME: Duration = Duration::from_secs(5 * 60);

pub(crate) const MSG_NONCE_INVALID: &str = "request nonce is missing or invalid";
pub(crate) const MSG_NONCE_REUSED: &str = "request nonce has already been used";
pub(crate) const MSG_USER_ACTION_REUSED: &str = "user action has already been used";
pub(crate) const MSG_UNAUTHENTICATED: &str = "user token is missing or invalid";
pub(crate) const MSG_SIGNATURE_INVALID: &str = "user action signature is missing or invalid";
pub(crate) const MSG_CHALLENGE_INVALID: &str = "Challenge token is not valid.";

/// Someone who can hold tokens and credentials: an organisation user.
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) credentials: Vec<Credential>,
}

/// A credential: the fields beyond `id` and `public_key` and their rules live in
/// `credentials.rs`; build one with `Credential::key`.
pub(crate) struct Credential {
    pub(crate) id: String,
    pub(crate) public_key: PublicKey,
    pub(crate) public_key_pem: String,
    pub(crate) uuid: String,
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) active: bool,
    pub(crate) date_created: String,
    pub(crate) encrypted_private_key: Option<String>,
}

/// What a bearer token stands for.
#[derive(Clone)]
enum Session {
    User(String),
    /// A personal access token, acting for its user with its own credential.
    Pat(String),
}

struct Challenge {
    session: String,
    challenge: String,
    method: String,
    path: String,
    payload: String,
    allowed: Vec<String>,
    created: SystemTime,
    used: bool,
}

struct UserAction {
    session: String,
    method: String,
    path: String,
    payload: String,
    used: bool,
}

/// Counters a test can read to prove what the sandbox saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SandboxStats {
    /// Requests answered (scripted ones included).
    pub requests: u64,
    /// TCP connections accepted.
    pub connections: u64,
    /// Distinct nonces accepted.
    pub nonces_accepted: u64,
    /// Requests refused because their nonce had been seen before.
    pub nonces_reused: u64,
    /// Requests refused because their user action token had been used before.
    pub user_actions_reused: u64,
    /// User action signatures verified (successful `POST /auth/action`).
    pub signatures_verified: u64,
    /// Fast Auth assertions accepted (one per signed call made in one request).
    pub fast_auth_accepted: u64,
    /// Fast Auth assertions refused (bad signature, stale, replayed, disabled, ...).
    pub fast_auth_refused: u64,
}

pub(crate) struct State {
    rng: SystemRandom,
    pub(crate) org_id: String,
    users: HashMap<String, User>,
    tokens: HashMap<String, Session>,
    pats: HashMap<String, Pat>,
    challenges: HashMap<String, Challenge>,
    user_actions: HashMap<String, UserAction>,
    nonces: HashSet<String>,
    /// Whether the org takes Fast Auth assertions (`Sandbox::set_fast_auth`).
    pub(crate) fast_auth: bool,
    /// Fast Auth challenge nonces accepted within the freshness window.
    fast_auth_nonces: fast_auth::SeenNonces,
    /// Credential, login, registration and recovery state (`login.rs`).
    auth: login::AuthState,
    pub(crate) stats: SandboxStats,
    counter: u64,
    /// Users, service accounts, applications and the action log (`admin.rs`).
    admin: admin::Admin,
    // Permissions and assignments, policies and approvals.
    permission_store: permissions::PermissionStore,
    policy_store: policies::PolicyStore,
    /// The declared resources' records (`store.rs`).
    store: store::Store,
    /// Wallet balances and the controls on the next transfers (`wallets.rs`).
    pub(crate) ledger: wallets::Ledger,
    /// How far the sandbox clock is from the real one (see [`State::now`]).
    clock: Clock,
    /// Webhook deliveries waiting to be sent (`webhooks.rs`).
    pub(crate) webhooks: webhooks::Outbox,
}

/// The sandbox clock: the real clock moved by a fixed amount, forward or back.
#[derive(Clone, Copy, Default)]
struct Clock {
    offset: Duration,
    behind: bool,
}

/// A Dfns error answer in the current shape:
/// `{"error":{"id":"<trace>","status":N,"message":"...","details":{...}}}`.
pub(crate) fn error_response(
    status: u16,
    message: &str,
    details: Option<Value>,
    trace: &str,
) -> HttpResponse {
    let mut error = json!({ "id": trace, "status": status, "message": message });
    if let Some(details) = details {
        error["details"] = details;
    }
    json_response(status, &json!({ "error": error }))
}

pub(crate) fn json_response(status: u16, body: &Value) -> HttpResponse {
    HttpResponse::new(status, "application/json", body.to_string().into_bytes())
}

type Answer = Result<Value, HttpResponse>;

impl State {
    pub(crate) fn new(rng: SystemRandom) -> Self {
        let mut state = Self {
            rng,
            org_id: String::new(),
            users: HashMap::new(),
            tokens: HashMap::new(),
            pats: HashMap::new(),
            challenges: HashMap::new(),
            user_actions: HashMap::new(),
            nonces: HashSet::new(),
            fast_auth: true,
            fast_auth_nonces: fast_auth::SeenNonces::new(),
            auth: login::AuthState::default(),
            stats: SandboxStats::default(),
            counter: 0,
            admin: admin::Admin::default(),
            permission_store: Default::default(),
            policy_store: Default::default(),
            store: store::Store::new(DECLARED),
            ledger: wallets::Ledger::default(),
            clock: Clock::default(),
            webhooks: webhooks::Outbox::default(),
        };
        state.org_id = state.dfns_id("or");
        state.seed_application();
        state.seed_key_stores();
        state
    }

    /// The sandbox clock's time: every date the sandbox writes and every lifetime it checks
    /// (challenges, tokens, status transitions) uses it. Nonces are the exception: their
    /// dates come from the client's real clock, so their window is checked against the real
    /// clock (see `nonce_is_well_formed`).
    pub(crate) fn now(&self) -> SystemTime {
        let real = SystemTime::now();
        let moved = if self.clock.behind {
            real.checked_sub(self.clock.offset)
        } else {
            real.checked_add(self.clock.offset)
        };
        moved.unwrap_or(real)
    }

    /// The sandbox clock's time as Dfns writes dates.
    pub(crate) fn now_text(&self) -> String {
        format_iso8601(self.now())
    }

    /// Moves the sandbox clock forward by `by`.
    pub(crate) fn advance_clock(&mut self, by: Duration) {
        let now = self.now();
        self.set_clock(now.checked_add(by).unwrap_or(now));
    }

    /// Sets the sandbox clock to read `time` now (it keeps running from there).
    pub(crate) fn set_clock(&mut self, time: SystemTime) {
        let real = SystemTime::now();
        self.clock = match time.duration_since(real) {
            Ok(ahead) => Clock {
                offset: ahead,
                behind: false,
            },
            Err(behind) => Clock {
                offset: behind.duration(),
                behind: true,
            },
        };
    }

    /// Random base64url text of `bytes` random bytes.
    pub(crate) fn random(&self, bytes: usize) -> String {
        let mut buf = vec![0u8; bytes];
        // SystemRandom only fails when the OS has no randomness at all; fall back to a counter
        // rather than panic (sandbox ids need to be unique, not secret).
        if self.rng.fill(&mut buf).is_err() {
            buf.iter_mut().enumerate().for_each(|(i, b)| *b = i as u8);
        }
        URL_SAFE_NO_PAD.encode(buf)
    }

    /// An id in Dfns's shape: `<prefix>-<5>-<5>-<16>` of lower-case alphanumerics.
    pub(crate) fn dfns_id(&mut self, prefix: &str) -> String {
        const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let mut buf = [0u8; 26];
        if self.rng.fill(&mut buf).is_err() {
            self.counter += 1;
            buf = [(self.counter % 251) as u8; 26];
        }
        let chars: String = buf
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        format!(
            "{prefix}-{}-{}-{}",
            &chars[0..5],
            &chars[5..10],
            &chars[10..26]
        )
    }

    fn trace_id(&mut self) -> String {
        self.counter += 1;
        format!("{}", 2_038_837_570_328_299_000u64 + self.counter)
    }

    fn error(&mut self, status: u16, message: &str) -> HttpResponse {
        let trace = self.trace_id();
        error_response(status, message, None, &trace)
    }

    fn error_with(&mut self, status: u16, message: &str, details: Value) -> HttpResponse {
        let trace = self.trace_id();
        error_response(status, message, Some(details), &trace)
    }

    /// Adds a user with one credential; returns the user's bearer token.
    pub(crate) fn add_user(&mut self, user: User) -> String {
        let token = self.bearer_token();
        self.restore_user(user, token.clone());
        token
    }

    /// A new bearer token in a Dfns token's shape: `header.payload.signature`, the payload a
    /// base64url JSON object whose claim `https://custom/app_metadata` names the org (what a
    /// Fast Auth client reads its scope from), with a random `jti` that makes it unique.
    pub(crate) fn bearer_token(&self) -> String {
        let payload = json!({
            "https://custom/app_metadata": { "orgId": self.org_id },
            "jti": self.random(12),
        });
        format!(
            "sandbox.{}.{}",
            URL_SAFE_NO_PAD.encode(payload.to_string()),
            self.random(24)
        )
    }

    /// Adds `user` with the bearer token `token` (one a previous run handed out).
    pub(crate) fn restore_user(&mut self, user: User, token: String) {
        self.tokens.insert(token, Session::User(user.id.clone()));
        self.users.insert(user.id.clone(), user);
    }

    /// Whether a live wallet has this id.
    pub(crate) fn has_wallet(&self, wallet_id: &str) -> bool {
        self.store.contains(wallets::WALLETS.path, wallet_id)
    }

    /// The declared collections' live records, as JSON (see `Store::export`).
    pub(crate) fn export_records(&self) -> Value {
        json!({ "records": self.store.export(), "balances": self.ledger.export() })
    }

    /// Adds records [`State::export_records`] wrote; how many.
    pub(crate) fn import_records(&mut self, records: &Value) -> usize {
        self.ledger.import(&records["balances"]);
        self.store.import(&records["records"])
    }

    /// A JSON body that the request schema of the operation (in Dfns's OpenAPI document)
    /// refuses answers 400, naming the field (`schema.rs`).
    fn check_body_schema(&mut self, request: &HttpRequest, path: &str) -> Result<(), HttpResponse> {
        if request.body.is_empty() {
            return Ok(());
        }
        // Dfns looks at the user action before the body: an unsigned call to an endpoint that
        // needs a signature is refused for that first.
        if request.header("x-dfns-useraction").is_none() && needs_signature(&request.method, path) {
            return Ok(());
        }
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return Ok(());
        };
        match crate::schema::check(&request.method, path, &body) {
            Ok(()) => Ok(()),
            Err(problem) => Err(self.error(400, &format!("Invalid request body: {problem}"))),
        }
    }

    /// Answers one request as the Dfns API would.
    pub(crate) fn handle(&mut self, request: &HttpRequest) -> HttpResponse {
        let (path, _query) = request
            .target
            .split_once('?')
            .unwrap_or((&request.target, ""));
        let path = path.to_owned();
        match self.route(request, &path) {
            Ok(body) => json_response(200, &body),
            Err(response) => response,
        }
    }

    fn route(&mut self, request: &HttpRequest, path: &str) -> Answer {
        if request
            .header("user-agent")
            .is_none_or(|ua| ua.trim().is_empty())
        {
            return Err(self.error(400, "User-Agent header is required"));
        }
        let segments = decoded_segments(path);
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let method = request.method.as_str();
        let public = self.serves_publicly(method, &segments);
        let session = match public {
            true => String::new(),
            false => self.authenticate(request)?,
        };
        self.check_nonce(request)?;
        if !public {
            self.check_body_schema(request, path)?;
        }
        match self.route_declared(&session, request, path, &segments) {
            Some(answer) => answer,
            None => self.unrouted(request, &segments),
        }
    }

    /// What no declaration serves: 501 for an endpoint Dfns documents (`known.rs`), 404
    /// `Route not found` for anything else.
    fn unrouted(&mut self, request: &HttpRequest, segments: &[&str]) -> Answer {
        let documented = (known::KNOWN.iter()).find_map(|known| {
            let mut words = known.split(' ');
            let (method, template) = (words.next()?, words.next()?);
            let parts: Vec<&str> = template.split('/').skip(1).collect();
            let matches = method == request.method
                && parts.len() == segments.len()
                && parts.iter().zip(segments).all(|(t, s)| {
                    t == s || (t.starts_with('{') && t.ends_with('}') && !s.is_empty())
                });
            matches.then_some((method, template))
        });
        match documented {
            Some((method, template)) => {
                let message = format!(
                    "the Dfns sandbox does not emulate {method} {template} (a Dfns endpoint)"
                );
                let details = json!({ "method": method, "path": template });
                Err(self.error_with(501, &message, details))
            }
            None => Err(self.error(404, "Route not found")),
        }
    }

    /// `Authorization: Bearer <token>` naming a live session; the session's key.
    fn authenticate(&mut self, request: &HttpRequest) -> Result<String, HttpResponse> {
        let session = bearer(request)
            .and_then(|token| self.tokens.get(token))
            .cloned();
        let now = self.now();
        let live = match &session {
            // A deactivated or deleted user (or service account) acts no more, nor do its PATs.
            Some(Session::User(id)) => {
                (self.users.contains_key(id) && self.admin.may_act(id, now)).then(|| id.clone())
            }
            Some(Session::Pat(id)) => self.pats.get(id).and_then(|pat| {
                let expired = pat.expires.is_some_and(|at| now > at);
                let live = pat.active && !pat.archived && !expired;
                (live && self.admin.may_act(&pat.user_id, now)).then(|| id.clone())
            }),
            None => None,
        };
        live.ok_or_else(|| self.error(401, MSG_UNAUTHENTICATED))
    }

    fn user_of(&self, session: &str) -> String {
        match self.pats.get(session) {
            Some(pat) => pat.user_id.clone(),
            None => session.to_owned(),
        }
    }

    fn check_nonce(&mut self, request: &HttpRequest) -> Result<(), HttpResponse> {
        let Some(nonce) = request.header("x-dfns-nonce").map(str::to_owned) else {
            return Err(self.error(400, MSG_NONCE_INVALID));
        };
        if !nonce_is_well_formed(&nonce) {
            return Err(self.error(400, MSG_NONCE_INVALID));
        }
        if !self.nonces.insert(nonce) {
            self.stats.nonces_reused += 1;
            return Err(self.error(400, MSG_NONCE_REUSED));
        }
        self.stats.nonces_accepted += 1;
        Ok(())
    }

    /// The credentials that may sign for the session: a token's own, or the user's active
    /// credentials other than recovery keys (which only sign recoveries).
    fn credentials_of(&self, session: &str) -> Vec<&Credential> {
        match self.pats.get(session) {
            Some(pat) => vec![&pat.credential],
            None => self
                .users
                .get(session)
                .map(|user| user.credentials.iter().filter(|c| c.signs()).collect())
                .unwrap_or_default(),
        }
    }

    fn init_challenge(&mut self, session: &str, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Init {
            user_action_payload: String,
            user_action_http_method: String,
            user_action_http_path: String,
            #[serde(default)]
            user_action_server_kind: Option<String>,
        }
        let init: Init = self.parse_body(request)?;
        let kind_ok = init
            .user_action_server_kind
            .as_deref()
            .is_none_or(|k| k == "Api" || k == "Staff");
        if init.user_action_http_method.is_empty()
            || init.user_action_http_path.is_empty()
            || !kind_ok
        {
            return Err(self.error(400, "invalid user action challenge request"));
        }
        let allowed: Vec<String> = self
            .credentials_of(session)
            .iter()
            .map(|c| c.id.clone())
            .collect();
        let challenge = self.random(32);
        let identifier = format!("eyJ0eXAiOiJKV1QifQ.{}.{}", self.random(48), self.random(32));
        self.challenges.insert(
            identifier.clone(),
            Challenge {
                session: session.to_owned(),
                challenge: challenge.clone(),
                method: init.user_action_http_method,
                path: init.user_action_http_path,
                payload: init.user_action_payload,
                allowed: allowed.clone(),
                created: self.now(),
                used: false,
            },
        );
        Ok(challenge_answer(&challenge, &identifier, &allowed))
    }

    fn complete_challenge(&mut self, session: &str, request: &HttpRequest) -> Answer {
        let complete: SignedChallenge = self.parse_body(request)?;
        let now = self.now();
        let valid = self
            .challenges
            .get_mut(&complete.challenge_identifier)
            .filter(|c| {
                !c.used
                    && c.session == session
                    && now.duration_since(c.created).unwrap_or_default() < CHALLENGE_LIFETIME
            });
        let Some(challenge) = valid else {
            return Err(self.error(400, MSG_CHALLENGE_INVALID));
        };
        // A challenge is single-use, whether or not the assertion that comes with it is good.
        challenge.used = true;
        let (expected, method, path, payload) = (
            challenge.challenge.clone(),
            challenge.method.clone(),
            challenge.path.clone(),
            challenge.payload.clone(),
        );
        let assertion = complete.first_factor.credential_assertion;
        let allowed = challenge.allowed.contains(&assertion.cred_id);
        let verified = complete.first_factor.kind == "Key"
            && allowed
            && self.verify_assertion(
                session,
                &assertion.cred_id,
                &assertion.client_data,
                &assertion.signature,
                &expected,
            );
        if !verified {
            return Err(self.error(403, MSG_SIGNATURE_INVALID));
        }
        self.stats.signatures_verified += 1;
        let token = format!("eyJ0eXAiOiJKV1QifQ.{}.{}", self.random(40), self.random(32));
        // Kept for the action log entry written when the token is used.
        self.admin.remember_assertion(
            &token,
            &assertion.cred_id,
            &assertion.client_data,
            &assertion.signature,
        );
        self.user_actions.insert(
            token.clone(),
            UserAction {
                session: session.to_owned(),
                method,
                path,
                payload,
                used: false,
            },
        );
        Ok(json!({ "userAction": token }))
    }

    /// The session's signing credential `cred_id` answered `challenge` (see
    /// [`assertion_verifies`]).
    fn verify_assertion(
        &self,
        session: &str,
        cred_id: &str,
        client_data: &str,
        signature: &str,
        challenge: &str,
    ) -> bool {
        self.credentials_of(session)
            .into_iter()
            .find(|c| c.id == cred_id)
            .is_some_and(|credential| {
                assertion_verifies(credential, client_data, signature, challenge)
            })
    }
}

/// The client data is `{"type":"key.get","challenge":"<challenge>"}` (other members are
/// allowed) and the signature verifies with the credential's public key over its bytes.
fn assertion_verifies(
    credential: &Credential,
    client_data: &str,
    signature: &str,
    challenge: &str,
) -> bool {
    let (Ok(data), Ok(signature)) = (
        URL_SAFE_NO_PAD.decode(client_data),
        URL_SAFE_NO_PAD.decode(signature),
    ) else {
        return false;
    };
    let Ok(parsed) = serde_json::from_slice::<Value>(&data) else {
        return false;
    };
    parsed["type"] == "key.get"
        && parsed["challenge"] == challenge
        && credential.public_key.verify(&data, &signature)
}

impl State {
    /// `X-DFNS-USERACTION` names an unused token of this session, minted for exactly this
    /// method, path and body; or it is a Fast Auth assertion (one base64url string, where a
    /// token is a JWT with dots) that `fast_auth.rs` verifies.
    fn check_user_action(
        &mut self,
        session: &str,
        request: &HttpRequest,
        path: &str,
    ) -> Result<(), HttpResponse> {
        let token = request
            .header("x-dfns-useraction")
            .unwrap_or_default()
            .to_owned();
        if !token.is_empty() && !token.contains('.') {
            return self.check_fast_auth(session, request, &token);
        }
        let Some(action) = self.user_actions.get_mut(&token) else {
            return Err(self.error(403, MSG_SIGNATURE_INVALID));
        };
        if action.used {
            self.stats.user_actions_reused += 1;
            return Err(self.error(400, MSG_USER_ACTION_REUSED));
        }
        action.used = true;
        let matches = action.session == session
            && action.method == request.method
            && action.path == path
            && action.payload.as_bytes() == crate::multipart::signed_payload(request).as_ref();
        if matches {
            self.log_user_action(session, &token, request);
            Ok(())
        } else {
            Err(self.error(403, MSG_SIGNATURE_INVALID))
        }
    }

    /// A Fast Auth assertion signed by an active `Key` credential of the session, for exactly
    /// this request, fresh and never seen before (see `fast_auth.rs`).
    fn check_fast_auth(
        &mut self,
        session: &str,
        request: &HttpRequest,
        header: &str,
    ) -> Result<(), HttpResponse> {
        // The host the client addressed: the `Host` header's name, without port.
        let host_header = request.header("host").unwrap_or_default();
        let host = match host_header.strip_prefix('[') {
            Some(v6) => v6
                .split_once(']')
                .map(|(v6, _)| format!("[{v6}]"))
                .unwrap_or_default(),
            None => host_header.split(':').next().unwrap_or_default().to_owned(),
        };
        // Every sandbox token is scoped to the sandbox's one org.
        let scope = fast_auth::Scope::Org(self.org_id.clone());
        let received = fast_auth::ReceivedRequest {
            method: &request.method,
            path_and_query: &request.target,
            body: &request.body,
            host: &host,
            scope: &scope,
        };
        let now_ms = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        let mut nonces = std::mem::take(&mut self.fast_auth_nonces);
        let credentials = self.credentials_of(session);
        let verified = fast_auth::verify_fast_auth(
            header,
            &received,
            self.fast_auth,
            now_ms,
            fast_auth::WINDOW_MS,
            &mut nonces,
            |cred_id, data, signature, _algorithm| match credentials
                .iter()
                .find(|c| c.id == cred_id && c.kind == "Key")
            {
                None => fast_auth::SignatureCheck::UnknownCredential,
                Some(c) if c.public_key.verify(data, signature) => fast_auth::SignatureCheck::Valid,
                Some(_) => fast_auth::SignatureCheck::Invalid,
            },
        );
        self.fast_auth_nonces = nonces;
        match verified {
            Ok(verified) => {
                self.stats.fast_auth_accepted += 1;
                self.admin.remember_assertion(
                    header,
                    &verified.credential_id,
                    &verified.client_data,
                    &verified.signature,
                );
                self.log_user_action(session, header, request);
                Ok(())
            }
            Err(refusal) => {
                self.stats.fast_auth_refused += 1;
                if refusal.reason == fast_auth::Reason::NonceReused {
                    self.stats.user_actions_reused += 1;
                }
                Err(match refusal.kind {
                    // The TypeScript client's server double's body: a top-level message.
                    Some(kind) => json_response(
                        refusal.status,
                        &json!({ "message": refusal.message, "details": { "kind": kind } }),
                    ),
                    None => self.error(refusal.status, refusal.message),
                })
            }
        }
    }

    fn parse_body<T: for<'de> Deserialize<'de>>(
        &mut self,
        request: &HttpRequest,
    ) -> Result<T, HttpResponse> {
        if !request
            .header("content-type")
            .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/json"))
        {
            return Err(self.error(400, "Content-Type must be application/json"));
        }
        serde_json::from_slice(&request.body).map_err(|e| {
            // serde's message names the offending field, never a secret of ours.
            let message = format!(
                "invalid request body: {}",
                e.to_string().split(" at line").next().unwrap_or("")
            );
            self.error(400, &message)
        })
    }

    /// A `publicKey` field: an SPKI (or PKCS#1 RSA) PEM public key of a supported type, or 400.
    fn public_key_from_body(&mut self, pem: &str) -> Result<PublicKey, HttpResponse> {
        let pem_shape = pem.starts_with("-----BEGIN PUBLIC KEY-----")
            || pem.starts_with("-----BEGIN RSA PUBLIC KEY-----");
        match pem_shape.then(|| PublicKey::from_pem(pem)).flatten() {
            Some(key) => Ok(key),
            None => Err(self.error(
                400,
                "publicKey must be a PEM public key of a supported type",
            )),
        }
    }
}

/// A signing challenge (user action or login) as Dfns answers it.
fn challenge_answer(challenge: &str, identifier: &str, allowed: &[String]) -> Value {
    let key: Vec<Value> = allowed
        .iter()
        .map(|id| json!({ "type": "public-key", "id": id }))
        .collect();
    json!({
        "challenge": challenge,
        "challengeIdentifier": identifier,
        "allowCredentials": { "key": key, "webauthn": [] },
        "supportedCredentialKinds": [
            { "kind": "Key", "factor": "first", "requiresSecondFactor": false },
            { "kind": "Fido2", "factor": "first", "requiresSecondFactor": false }
        ],
        "userVerification": "required",
        "attestation": "direct",
        "externalAuthenticationUrl": "",
        "rp": { "id": "sandbox.dfns.local", "name": "Dfns sandbox" }
    })
}

/// The path's segments after the first `/`, percent-decoded.
fn decoded_segments(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|segment| percent_decode_str(segment).decode_utf8_lossy().into_owned())
        .collect()
}

/// The bearer token of `Authorization: Bearer <token>`.
fn bearer(request: &HttpRequest) -> Option<&str> {
    request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The body that answers a challenge (`POST /auth/action`, `POST /auth/login`):
/// `{challengeIdentifier, firstFactor, secondFactor?}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SignedChallenge {
    challenge_identifier: String,
    first_factor: Factor,
    // Accepted (the API allows it) but not checked: sandbox users have one factor.
    #[serde(default)]
    #[allow(dead_code)]
    second_factor: Option<Value>,
}

/// `{kind, credentialAssertion}`: a signed challenge of a user action, a login or a recovery.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Factor {
    kind: String,
    credential_assertion: AssertionWire,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AssertionWire {
    cred_id: String,
    client_data: String,
    signature: String,
    // Accepted and ignored, as the API infers the algorithm from the key.
    #[serde(default)]
    #[allow(dead_code)]
    algorithm: Option<String>,
}

/// base64url (no padding) of exactly `{"uuid":"<13+ chars>","date":"<ISO-8601 UTC>"}`, with a
/// date within ten minutes of now.
fn nonce_is_well_formed(nonce: &str) -> bool {
    #[derive(Deserialize, serde::Serialize)]
    #[serde(deny_unknown_fields)]
    struct Nonce {
        uuid: String,
        date: String,
    }
    let Ok(json) = URL_SAFE_NO_PAD.decode(nonce) else {
        return false;
    };
    let Ok(parsed) = serde_json::from_slice::<Nonce>(&json) else {
        return false;
    };
    // Keys in this order, no whitespace: the form the official clients send.
    let canonical = serde_json::to_vec(&parsed).unwrap_or_default();
    let Some(date) = parse_iso8601(&parsed.date) else {
        return false;
    };
    // The client dates its nonce by the real clock (it cannot see the sandbox clock), so the
    // window is measured on the real clock: moving the sandbox clock keeps requests working.
    let now = SystemTime::now();
    let skew = now
        .duration_since(date)
        .or_else(|e| Ok::<_, ()>(e.duration()))
        .unwrap_or_default();
    canonical == json && parsed.uuid.len() >= 13 && skew <= NONCE_WINDOW
}

/// Whether Dfns documents `method path` as needing a user action signature (`known.rs`).
fn needs_signature(method: &str, path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    known::KNOWN.iter().any(|known| {
        let mut words = known.split(' ');
        let (Some(m), Some(template), Some("signed")) = (words.next(), words.next(), words.next())
        else {
            return false;
        };
        let parts: Vec<&str> = template.split('/').skip(1).collect();
        m == method
            && parts.len() == segments.len()
            && parts
                .iter()
                .zip(&segments)
                .all(|(t, s)| t == s || (t.starts_with('{') && t.ends_with('}') && !s.is_empty()))
    })
}
