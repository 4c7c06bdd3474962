//! The sandbox's wallets (`/wallets`), declared in the generic store (`store.rs`).
//!
//! Wallets get an address shaped like their network's (`bc1...`/`tb1...` on Bitcoin, base58 on
//! Solana, `0x...` on EVM networks and elsewhere) and a key derived from their id. Balances live
//! in the [`Ledger`]: a test sets them (`Sandbox::set_balance`), `GET .../assets` answers them,
//! and a transfer moves its amount when it is accepted (fees aside; the sandbox has no
//! mempool): from the wallet, which must hold it once a balance is set, to the sandbox wallet
//! at the destination address if there is one; an abort gives it back. `Sandbox::fail_next_transfer`
//! and `Sandbox::reject_next_transfer` decide the next transfers' outcome. Transfers and transactions are
//! checked for their `kind` and required fields and then move by the sandbox clock: `Pending`
//! (2 s) → `Executing` (3 s) → `Broadcasted` (with a `txHash`; 5 s) → `Confirmed` (with a
//! `fee`); a `Wallets:Sign` policy holds
//! them in `Pending` with an `approvalId` until its approval is decided (see `policies.rs`).
//! Offers and history events are not made by the sandbox: tests seed them
//! (`Sandbox::seed("/wallets/wa-.../offers", ...)`), as they seed a `Failed` transfer.
//! Bulk creation jobs run at once (see [`BULK_JOBS`]).

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use ring::digest::{SHA256, digest};
use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Effect, Op, Resource, Transition};

/// The wallets.
pub(crate) const WALLETS: Resource = Resource {
    path: "/wallets",
    id_prefix: "wa",
    id_param: "walletId",
    not_found: "Wallet not found",
    singular: "wallet",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::UPDATE.signed(),
        Op::action("PUT", "tags", Effect::Custom(tag)).signed(),
        Op::action("DELETE", "tags", Effect::Custom(untag)).signed(),
        Op::action("GET", "assets", Effect::Answer(assets)),
        Op::action("GET", "nfts", Effect::Answer(nfts)),
    ],
    build: Some(build_wallet),
    filter: Some(owned_by),
    initial_status: Some("Active"),
    created_event: Some(("wallet.created", "wallet")),
    ..Resource::DEFAULT
};

/// `POST /wallets/import`: makes a wallet of [`WALLETS`].
pub(super) const IMPORT: Resource = Resource {
    path: "/wallets/import",
    ops: &[Op::CREATE.signed()],
    build: Some(build_wallet),
    stored_in: Some(WALLETS.path),
    ..WALLETS
};

/// The organisation's history (seeded by tests); declared before [`HISTORY`], whose
/// `{walletId}` would match `all`.
pub(super) const ALL_HISTORY: Resource = Resource {
    path: "/wallets/all/history",
    id_prefix: "ev",
    ops: &[Op::LIST],
    ..Resource::DEFAULT
};

/// A wallet's on-chain events (seeded by tests).
pub(super) const HISTORY: Resource = Resource {
    path: "/wallets/{walletId}/history",
    id_prefix: "ev",
    ops: &[Op::LIST],
    ..Resource::DEFAULT
};

/// Offers made to a wallet (seeded by tests).
pub(super) const OFFERS: Resource = Resource {
    path: "/wallets/{walletId}/offers",
    id_prefix: "offer",
    id_param: "offerId",
    not_found: "Offer not found",
    singular: "offer",
    ops: &[
        Op::LIST,
        Op::GET,
        Op::action(
            "PUT",
            "accept",
            Effect::StatusFrom("Accepted", &["Pending"]),
        )
        .signed(),
        Op::action(
            "PUT",
            "reject",
            Effect::StatusFrom("Rejected", &["Pending"]),
        )
        .signed(),
    ],
    initial_status: Some("Pending"),
    ..Resource::DEFAULT
};

/// How a transfer or transaction moves once nothing holds it.
const MOVES: &[Transition] = &[
    Transition::new("Pending", "Executing", Duration::from_secs(2)).only(not_held),
    Transition::new("Executing", "Broadcasted", Duration::from_secs(3)).then(broadcast),
    Transition::new("Broadcasted", "Confirmed", Duration::from_secs(5)).then(confirm),
];

/// A wallet's transfers.
pub(super) const TRANSFERS: Resource = Resource {
    path: "/wallets/{walletId}/transfers",
    id_prefix: "xfr",
    id_param: "transferId",
    not_found: "Transfer not found",
    singular: "transfer",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::action("PUT", "abort", Effect::Custom(abort)).signed(),
        Op::action("POST", "cancel", Effect::Custom(replace)).signed(),
        Op::action("POST", "speed-up", Effect::Custom(replace)).signed(),
    ],
    build: Some(build_transfer),
    initial_status: Some("Pending"),
    transitions: MOVES,
    created_event: Some(("wallet.transfer.requested", "transferRequest")),
    status_events: &[
        ("Broadcasted", "wallet.transfer.broadcasted"),
        ("Confirmed", "wallet.transfer.confirmed"),
    ],
    ..Resource::DEFAULT
};

/// A wallet's transaction requests.
pub(super) const TRANSACTIONS: Resource = Resource {
    path: "/wallets/{walletId}/transactions",
    id_prefix: "tx",
    id_param: "transactionId",
    not_found: "Transaction not found",
    singular: "transaction",
    build: Some(build_transaction),
    created_event: Some(("wallet.transaction.requested", "transactionRequest")),
    status_events: &[
        ("Broadcasted", "wallet.transaction.broadcasted"),
        ("Confirmed", "wallet.transaction.confirmed"),
    ],
    ..TRANSFERS
};

/// `POST /wallets/{walletId}/activate`: an activating transaction of [`TRANSACTIONS`].
pub(super) const ACTIVATE: Resource = Resource {
    path: "/wallets/{walletId}/activate",
    ops: &[Op::CREATE.signed()],
    build: Some(build_activation),
    stored_in: Some(TRANSACTIONS.path),
    ..TRANSACTIONS
};

/// Signatures requested through a wallet (deprecated by Dfns): signed at once.
pub(super) const SIGNATURES: Resource = Resource {
    path: "/wallets/{walletId}/signatures",
    id_prefix: "sig",
    id_param: "signatureId",
    not_found: "Signature not found",
    singular: "signature",
    ops: &[Op::LIST, Op::CREATE.signed(), Op::GET],
    build: Some(build_signature),
    created_event: Some(("wallet.signature.requested", "signatureRequest")),
    ..Resource::DEFAULT
};

/// `POST /wallets/{walletId}/canton/ledger-api`: answers the request it was sent.
pub(super) const CANTON: Resource = Resource {
    path: "/wallets/{walletId}/canton/ledger-api",
    id_prefix: "cl",
    ops: &[Op::CREATE],
    ..Resource::DEFAULT
};

/// `POST /wallets/{walletId}/delegate` (deprecated by Dfns).
pub(super) const DELEGATE: Resource = Resource {
    path: "/wallets/{walletId}/delegate",
    id_prefix: "dl",
    ops: &[Op::CREATE.signed()],
    build: Some(build_delegation),
    ..Resource::DEFAULT
};

/// `POST /wallets/{walletId}/export` (deprecated by Dfns).
pub(super) const EXPORT: Resource = Resource {
    path: "/wallets/{walletId}/export",
    id_prefix: "ex",
    ops: &[Op::CREATE.signed()],
    build: Some(build_export),
    ..Resource::DEFAULT
};

/// Bulk wallet creation jobs. The sandbox runs a job at once: its wallets are in `/wallets`
/// when the create answers (with a copy of each under the job's `wallets`), and the job is
/// `Completed` (the status Dfns's clients leave as free text). `/wallets/bulk-create` is a
/// longer match than `/wallets/{walletId}`, so the router picks it.
pub(super) const BULK_JOBS: Resource = Resource {
    path: "/wallets/bulk-create",
    id_prefix: "bwj",
    id_param: "jobId",
    not_found: "Bulk wallet creation job not found",
    singular: "bulk wallet creation job",
    ops: &[Op::LIST, Op::CREATE.signed(), Op::GET],
    build: Some(build_bulk_job),
    created: Some(run_bulk_job),
    filter: Some(with_status),
    ..Resource::DEFAULT
};

/// The wallets a bulk job made (copies, stored by [`run_bulk_job`]).
pub(super) const BULK_JOB_WALLETS: Resource = Resource {
    path: "/wallets/bulk-create/{jobId}/wallets",
    id_prefix: "wa",
    id_param: "walletId",
    not_found: "Wallet not found",
    singular: "wallet",
    ops: &[Op::LIST],
    ..Resource::DEFAULT
};

/// The networks Dfns's clients list for bulk creation (`BulkWalletNetwork`).
const BULK_NETWORKS: &[&str] = &[
    "Ethereum",
    "EthereumSepolia",
    "EthereumHolesky",
    "EthereumHoodi",
    "Bsc",
    "BscTestnet",
    "Base",
    "BaseSepolia",
    "ArbitrumOne",
    "ArbitrumSepolia",
    "Optimism",
    "OptimismSepolia",
    "Tron",
    "TronNile",
    "Solana",
    "SolanaDevnet",
];

/// The most wallets one sandbox job makes (the sandbox's own bound).
const BULK_MAX: u64 = 100;

/// `{"network", "count", "name", "tags"?, "keystoreId"?}`.
fn build_bulk_job(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let Some(network) = text(body, "network").filter(|n| BULK_NETWORKS.contains(n)) else {
        return Err(ctx.error(400, "network is required and must support bulk creation"));
    };
    let Some(count) = body["count"]
        .as_u64()
        .filter(|c| (1..=BULK_MAX).contains(c))
    else {
        return Err(ctx.error(400, "count must be between 1 and 100"));
    };
    let Some(name) = text(body, "name") else {
        return Err(ctx.error(400, "name is required"));
    };
    let now = ctx.now_text();
    let keystore = match text(body, "keystoreId") {
        Some(id) => id.to_owned(),
        None => ctx.new_id("ks"),
    };
    Ok(json!({
        "orgId": ctx.org_id(),
        "status": "Completed",
        "network": network,
        "namePrefix": name,
        "tags": body.get("tags").cloned().unwrap_or_else(|| json!([])),
        "totalCount": count,
        "completedCount": count,
        "keystoreId": keystore,
        "masterKeyId": ctx.new_id("key"),
        "dateUpdated": now,
        "dateCompleted": now,
    }))
}

/// Makes the job's wallets, each derived from its master key; answers the job's handle.
fn run_bulk_job(job: &Value, ctx: &mut Ctx<'_>) -> Result<Option<Value>, HttpResponse> {
    let job_id = ctx.id().to_owned();
    let master = job["masterKeyId"].as_str().unwrap_or_default().to_owned();
    let curve = if job["network"]
        .as_str()
        .is_some_and(|n| n.starts_with("Solana"))
    {
        ("EdDSA", "ed25519")
    } else {
        ("ECDSA", "secp256k1")
    };
    for index in 1..=job["totalCount"].as_u64().unwrap_or_default() {
        let id = ctx.new_id("wa");
        let wallet = json!({
            "id": id,
            "network": job["network"],
            "name": format!("{}-{index}", job["namePrefix"].as_str().unwrap_or_default()),
            "address": address_for(job["network"].as_str().unwrap_or_default(), &id),
            "signingKey": {
                "id": ctx.new_id("key"),
                "scheme": curve.0,
                "curve": curve.1,
                "publicKey": format!("02{}", hex_of(&format!("{master}/{index}"), 32)),
            },
            "custodial": true,
            "tags": job["tags"],
            "status": "Active",
        });
        let stored = ctx.insert("/wallets", wallet)?;
        ctx.insert(&format!("/wallets/bulk-create/{job_id}/wallets"), stored)?;
    }
    Ok(Some(json!({ "id": job_id, "status": job["status"] })))
}

/// `status`: only the jobs with that status.
fn with_status(job: &Value, params: &[(String, String)]) -> bool {
    (params.iter())
        .filter(|(name, _)| name == "status")
        .all(|(_, status)| job["status"].as_str() == Some(status.as_str()))
}

/// Hex of the SHA-256 of `seed`, `bytes` long.
fn hex_of(seed: &str, bytes: usize) -> String {
    let hash = digest(&SHA256, seed.as_bytes());
    hash.as_ref()
        .iter()
        .cycle()
        .take(bytes)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn text<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str)
}

/// `{"network": ..., "name"?, "externalId"?, "tags"?, "signingKey"?, ...}` (create) or the
/// import body (`curve` at the top).
fn build_wallet(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let Some(network) = text(body, "network") else {
        return Err(ctx.error(400, "network is required"));
    };
    let key = &body["signingKey"];
    let curve = text(key, "curve")
        .or(text(body, "curve"))
        .unwrap_or("secp256k1");
    let scheme = text(key, "scheme").unwrap_or(if curve == "ed25519" { "EdDSA" } else { "ECDSA" });
    let key_id = match text(key, "id") {
        Some(id) => id.to_owned(),
        None => ctx.new_id("key"),
    };
    let mut wallet = json!({
        "network": network,
        "address": address_for(network, ctx.id()),
        "signingKey": {
            "id": key_id,
            "scheme": scheme,
            "curve": curve,
            "publicKey": format!("02{}", hex_of(&key_id, 32)),
        },
        "custodial": body.get("delegateTo").is_none(),
        "tags": body.get("tags").cloned().unwrap_or_else(|| json!([])),
    });
    for member in ["name", "externalId", "validatorId"] {
        if let Some(value) = body.get(member) {
            wallet[member] = value.clone();
        }
    }
    if let Some(user) = text(body, "delegateTo") {
        wallet["signingKey"]["delegatedTo"] = json!(user);
    }
    Ok(wallet)
}

/// `owner` or `ownerId`: only the wallets delegated to that end user (by id).
fn owned_by(wallet: &Value, params: &[(String, String)]) -> bool {
    let owner = params
        .iter()
        .find(|(name, _)| name == "owner" || name == "ownerId");
    owner.is_none_or(|(_, user)| wallet["signingKey"]["delegatedTo"] == user.as_str())
}

fn tags_of(body: &Value, ctx: &mut Ctx<'_>) -> Result<Vec<Value>, HttpResponse> {
    match body["tags"].as_array() {
        Some(tags) if tags.iter().all(Value::is_string) => Ok(tags.clone()),
        _ => Err(ctx.error(400, "tags must be an array of strings")),
    }
}

fn tag(wallet: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    let mut tags = wallet["tags"].as_array().cloned().unwrap_or_default();
    for tag in tags_of(body, ctx)? {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    wallet["tags"] = json!(tags);
    Ok(())
}

fn untag(wallet: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    let remove = tags_of(body, ctx)?;
    let mut tags = wallet["tags"].as_array().cloned().unwrap_or_default();
    tags.retain(|tag| !remove.contains(tag));
    wallet["tags"] = json!(tags);
    Ok(())
}

/// The native asset's symbol and decimals on `network`.
fn native(network: &str) -> (&'static str, u32) {
    let evm = ["Ethereum", "Arbitrum", "Base", "Optimism"];
    if evm.iter().any(|prefix| network.starts_with(prefix)) {
        ("ETH", 18)
    } else if network.starts_with("Bitcoin") {
        ("BTC", 8)
    } else if network.starts_with("Solana") {
        ("SOL", 9)
    } else if network.starts_with("Polygon") {
        ("POL", 18)
    } else {
        ("NATIVE", 18)
    }
}

/// What a test decided for the next transfer.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// Accepted, then `Failed` with this reason (nothing moves).
    Fail(String),
    /// `Rejected` with this reason, as when a policy's approvers deny it (nothing moves).
    Reject(String),
}

/// Balances by wallet and asset (`native`, or the token's contract, mint or id), in the
/// asset's smallest unit, and the outcomes queued for the next transfers.
#[derive(Default)]
pub(crate) struct Ledger {
    balances: HashMap<(String, String), u128>,
    next: VecDeque<Outcome>,
}

impl Ledger {
    /// Sets a wallet's balance of `asset`.
    pub(crate) fn set(&mut self, wallet_id: &str, asset: &str, amount: u128) {
        self.balances
            .insert((wallet_id.to_owned(), asset.to_owned()), amount);
    }

    /// A wallet's balance of `asset`, if one was set or moved.
    pub(crate) fn get(&self, wallet_id: &str, asset: &str) -> Option<u128> {
        self.balances
            .get(&(wallet_id.to_owned(), asset.to_owned()))
            .copied()
    }

    /// The balances as JSON, for `--state`.
    pub(crate) fn export(&self) -> Value {
        let mut balances: Vec<Value> = (self.balances.iter())
            .map(|((wallet, asset), amount)| json!([wallet, asset, amount.to_string()]))
            .collect();
        balances.sort_by_key(Value::to_string);
        Value::Array(balances)
    }

    /// Adds the balances [`Ledger::export`] wrote.
    pub(crate) fn import(&mut self, balances: &Value) {
        for entry in balances.as_array().into_iter().flatten() {
            if let (Some(wallet), Some(asset), Some(amount)) = (
                entry[0].as_str(),
                entry[1].as_str(),
                entry[2].as_str().and_then(|a| a.parse().ok()),
            ) {
                self.set(wallet, asset, amount);
            }
        }
    }

    /// Queues the outcome of a coming transfer.
    pub(crate) fn queue(&mut self, outcome: Outcome) {
        self.next.push_back(outcome);
    }

    fn credit(&mut self, wallet_id: &str, asset: &str, amount: u128) {
        let balance = self
            .balances
            .entry((wallet_id.to_owned(), asset.to_owned()))
            .or_default();
        *balance = balance.saturating_add(amount);
    }
}

/// The asset a transfer body moves: `native`, or its token's identifier.
fn asset_of(body: &Value) -> String {
    let kind = text(body, "kind").unwrap_or_default();
    if kind == "Native" {
        return "native".to_owned();
    }
    ["contract", "mint", "tokenId", "assetId", "coin", "master"]
        .iter()
        .find_map(|member| text(body, member))
        .map(str::to_owned)
        .or_else(|| {
            Some(format!(
                "{}:{}",
                text(body, "issuer")?,
                text(body, "assetCode")?
            ))
        })
        .unwrap_or_default()
}

/// The wallet's native token and the tokens it was given, with their balances.
fn assets(wallet: &mut Value, _body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let network = wallet["network"].as_str().unwrap_or_default();
    let wallet_id = wallet["id"].as_str().unwrap_or_default();
    let (symbol, decimals) = native(network);
    let native_balance = ctx.ledger().get(wallet_id, "native").unwrap_or_default();
    let mut listed = vec![json!({
        "kind": "Native",
        "symbol": symbol,
        "decimals": decimals,
        "verified": true,
        "balance": native_balance.to_string(),
    })];
    let mut tokens: Vec<(String, u128)> = (ctx.ledger().balances.iter())
        .filter(|((id, asset), _)| id == wallet_id && asset != "native")
        .map(|((_, asset), amount)| (asset.clone(), *amount))
        .collect();
    tokens.sort();
    for (asset, amount) in tokens {
        listed.push(json!({
            "kind": token_kind(network),
            "contract": asset,
            "decimals": 6,
            "verified": false,
            "balance": amount.to_string(),
        }));
    }
    Ok(json!({ "walletId": wallet["id"], "network": network, "assets": listed }))
}

/// The usual token standard on `network`.
fn token_kind(network: &str) -> &'static str {
    if network.starts_with("Solana") {
        "Spl"
    } else if network.starts_with("Tron") {
        "Trc20"
    } else {
        "Erc20"
    }
}

/// An address shaped like `network`'s, derived from `seed`: bech32-looking `bc1q...`/`tb1q...`
/// on Bitcoin, base58 on Solana, `0x` and 40 hex digits elsewhere. Shaped, not checksummed.
pub(crate) fn address_for(network: &str, seed: &str) -> String {
    const BECH32: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let bytes = digest(&SHA256, seed.as_bytes());
    let pick = |alphabet: &[u8], count: usize| -> String {
        (bytes.as_ref().iter().cycle().take(count))
            .map(|b| char::from(alphabet[usize::from(*b) % alphabet.len()]))
            .collect()
    };
    if network.starts_with("Bitcoin") {
        let prefix = if network == "Bitcoin" { "bc1q" } else { "tb1q" };
        format!("{prefix}{}", pick(BECH32, 38))
    } else if network.starts_with("Solana") {
        pick(BASE58, 44)
    } else {
        format!("0x{}", hex_of(seed, 20))
    }
}

fn nfts(wallet: &mut Value, _body: &Value, _ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    Ok(json!({ "walletId": wallet["id"], "network": wallet["network"], "nfts": [] }))
}

fn not_held(record: &Value) -> bool {
    record.get("approvalId").is_none()
}

/// On chain: a transaction hash derived from the request's id.
fn broadcast(record: &mut Value, date: &str) {
    let id = record["id"].as_str().unwrap_or_default();
    record["txHash"] = json!(format!("0x{}", hex_of(id, 32)));
    record["dateBroadcasted"] = json!(date);
}

/// Confirmed, with the fee paid (21000 gas at 1 gwei).
fn confirm(record: &mut Value, date: &str) {
    record["fee"] = json!("21000000000000");
    record["dateConfirmed"] = json!(date);
}

/// What a transfer or transaction record starts with: the wallet's network, the requester,
/// the body, and the approval holding it when a `Wallets:Sign` policy does.
fn request_record(
    body: &Value,
    ctx: &mut Ctx<'_>,
    resource: &'static str,
) -> Result<Value, HttpResponse> {
    let wallet_id = ctx.param("walletId").unwrap_or_default().to_owned();
    let network = (ctx.record(WALLETS.path, &wallet_id))
        .map(|wallet| wallet["network"].clone())
        .unwrap_or_default();
    let mut record = json!({
        "walletId": wallet_id,
        "network": network,
        "requester": { "userId": ctx.user_id() },
        "requestBody": body,
        "status": "Pending",
        "dateRequested": ctx.now_text(),
    });
    for member in ["externalId", "feeSponsorId"] {
        if let Some(value) = body.get(member) {
            record[member] = value.clone();
        }
    }
    if let Some(approval) = ctx.hold("Wallets:Sign", resource, &wallet_id)? {
        record["approvalId"] = json!(approval);
    }
    Ok(record)
}

/// The members each transfer kind requires besides `kind` (Dfns's `TransferRequest`).
fn transfer_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Native" => &["to", "amount"],
        "Asa" | "Asset" => &["assetId", "to", "amount"],
        "Aip21" => &["metadata", "to", "amount"],
        "Coin" => &["coin", "to", "amount"],
        "Erc20" | "Trc20" => &["contract", "to", "amount"],
        "Erc721" | "Trc721" => &["contract", "to", "tokenId"],
        "Hip17" => &["tokenId", "serialNumber", "to"],
        "Hts" | "Trc10" => &["tokenId", "to", "amount"],
        "Sep41" => &["issuer", "assetCode", "to", "amount"],
        "Spl" | "Spl2022" => &["mint", "to", "amount"],
        "Tep74" => &["master", "to", "amount"],
        _ => return None,
    })
}

fn build_transfer(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let kind = text(body, "kind").unwrap_or_default();
    let Some(fields) = transfer_fields(kind) else {
        return Err(ctx.error(400, &format!("unknown transfer kind {kind:?}")));
    };
    if let Some(missing) = fields.iter().find(|f| text(body, f).is_none()) {
        return Err(ctx.error(400, &format!("{missing} is required for a {kind} transfer")));
    }
    if text(body, "amount").is_some_and(|a| a.is_empty() || !a.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(ctx.error(400, "amount must be an integer in the smallest unit"));
    }
    let mut record = request_record(body, ctx, TRANSFERS.path)?;
    settle(&mut record, body, ctx);
    let network = record["network"].as_str().unwrap_or_default().to_owned();
    let (symbol, decimals) = native(&network);
    record["metadata"] = if kind == "Native" {
        json!({ "asset": { "symbol": symbol, "decimals": decimals, "verified": true } })
    } else {
        json!({ "asset": { "verified": false } })
    };
    Ok(record)
}

/// The members each transaction kind requires besides `kind`.
fn transaction_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Transaction" | "Json" => &["transaction"],
        "Evm" | "Eip1559" | "TransferPreapproval" => &[],
        "Psbt" => &["psbt"],
        "SignDocDirect" => &["signDoc"],
        "UserOperations" => &["userOperations", "feeSponsorId"],
        "SettleOffer" => &["txHash", "decision"],
        _ => return None,
    })
}

fn build_transaction(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let kind = text(body, "kind").unwrap_or_default();
    let Some(fields) = transaction_fields(kind) else {
        return Err(ctx.error(400, &format!("unknown transaction kind {kind:?}")));
    };
    if let Some(missing) = fields.iter().find(|f| body.get(**f).is_none()) {
        return Err(ctx.error(
            400,
            &format!("{missing} is required for a {kind} transaction"),
        ));
    }
    request_record(body, ctx, TRANSACTIONS.path)
}

fn build_activation(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    request_record(body, ctx, TRANSACTIONS.path)
}

/// Decides a new transfer's outcome: a queued control, or too little balance, ends it at
/// once (`Failed` or `Rejected`, with a `reason`); otherwise its amount moves from the wallet
/// to the sandbox wallet at `to`, if any. A transfer held by a policy approval moves too; an
/// aborted transfer gives it back.
fn settle(record: &mut Value, body: &Value, ctx: &mut Ctx<'_>) {
    let finish = |record: &mut Value, status: &str, reason: &str, date: String| {
        record["status"] = json!(status);
        record["reason"] = json!(reason);
        record["dateFailed"] = json!(date);
    };
    if let Some(outcome) = ctx.ledger().next.pop_front() {
        match outcome {
            Outcome::Fail(reason) => finish(record, "Failed", &reason, ctx.now_text()),
            Outcome::Reject(reason) => finish(record, "Rejected", &reason, ctx.now_text()),
        }
        return;
    }
    let Some(amount) = text(body, "amount").and_then(|a| a.parse::<u128>().ok()) else {
        return;
    };
    let wallet_id = record["walletId"].as_str().unwrap_or_default().to_owned();
    let asset = asset_of(body);
    match ctx.ledger().get(&wallet_id, &asset) {
        Some(balance) if balance < amount => {
            let reason = format!("insufficient funds: balance {balance}, amount {amount}");
            finish(record, "Failed", &reason, ctx.now_text());
            return;
        }
        Some(balance) => ctx.ledger().set(&wallet_id, &asset, balance - amount),
        None => {}
    }
    let to = text(body, "to").unwrap_or_default();
    let network = record["network"].clone();
    let receiver = (ctx.list(WALLETS.path).into_iter())
        .find(|w| w["address"].as_str() == Some(to) && w["network"] == network)
        .and_then(|w| w["id"].as_str().map(str::to_owned));
    if let Some(receiver) = receiver {
        ctx.ledger().credit(&receiver, &asset, amount);
    }
}

/// Gives a transfer's amount back to its wallet (and takes it from the receiver it went to).
fn refund(record: &Value, ctx: &mut Ctx<'_>) {
    let body = &record["requestBody"];
    let Some(amount) = text(body, "amount").and_then(|a| a.parse::<u128>().ok()) else {
        return;
    };
    let wallet_id = record["walletId"].as_str().unwrap_or_default().to_owned();
    let asset = asset_of(body);
    if ctx.ledger().get(&wallet_id, &asset).is_some() {
        ctx.ledger().credit(&wallet_id, &asset, amount);
    }
    let to = text(body, "to").unwrap_or_default();
    let receiver = (ctx.list(WALLETS.path).into_iter())
        .find(|w| w["address"].as_str() == Some(to) && w["network"] == record["network"])
        .and_then(|w| w["id"].as_str().map(str::to_owned));
    if let Some(receiver) = receiver {
        let ledger = ctx.ledger();
        if let Some(balance) = ledger.get(&receiver, &asset) {
            ledger.set(&receiver, &asset, balance.saturating_sub(amount));
        }
    }
}

/// Aborts what is not broadcast yet; a transfer's amount goes back.
fn abort(record: &mut Value, _body: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    let status = record["status"].as_str().unwrap_or_default();
    if !matches!(status, "Pending" | "Executing") {
        return Err(ctx.error(400, &format!("cannot abort a request in status {status}")));
    }
    record["status"] = json!("Failed");
    record["reason"] = json!("Aborted");
    if record["requestBody"]["kind"].is_string() && record["requestBody"]["amount"].is_string() {
        refund(record, ctx);
    }
    Ok(())
}

/// Cancel and speed-up: the sandbox has no mempool, so the request goes on as it was, for as
/// long as it is not final.
fn replace(record: &mut Value, _body: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    let status = record["status"].as_str().unwrap_or_default();
    if matches!(status, "Confirmed" | "Failed" | "Rejected") {
        return Err(ctx.error(400, &format!("the request is already {status}")));
    }
    Ok(())
}

fn build_signature(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    if text(body, "kind").is_none() {
        return Err(ctx.error(400, "kind is required"));
    }
    let wallet_id = ctx.param("walletId").unwrap_or_default().to_owned();
    let wallet = ctx.record(WALLETS.path, &wallet_id).cloned();
    let wallet = wallet.unwrap_or_default();
    let (r, s) = (hex_of(ctx.id(), 32), hex_of(&format!("s{}", ctx.id()), 32));
    Ok(json!({
        "keyId": wallet["signingKey"]["id"],
        "network": wallet["network"],
        "requester": { "userId": ctx.user_id() },
        "requestBody": body,
        "status": "Signed",
        "signature": { "r": format!("0x{r}"), "s": format!("0x{s}"), "recid": 0,
            "encoded": format!("0x{r}{s}00") },
        "dateRequested": ctx.now_text(),
        "dateSigned": ctx.now_text(),
    }))
}

fn build_delegation(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    if text(body, "userId").is_none() {
        return Err(ctx.error(400, "userId is required"));
    }
    let wallet_id = ctx.param("walletId").unwrap_or_default();
    Ok(json!({ "walletId": wallet_id, "status": "Delegated" }))
}

fn build_export(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    if text(body, "encryptionKey").is_none() {
        return Err(ctx.error(400, "encryptionKey is required"));
    }
    let wallet_id = ctx.param("walletId").unwrap_or_default().to_owned();
    let wallet = ctx.record(WALLETS.path, &wallet_id).cloned();
    let key = wallet.map(|w| w["signingKey"].clone()).unwrap_or_default();
    let shares: Vec<Value> = (1..=3)
        .map(|n| {
            json!({ "signerId": format!("signer-{n}"),
                "encryptedKeyShare": hex_of(&format!("{wallet_id}/{n}"), 32) })
        })
        .collect();
    Ok(json!({
        "publicKey": key["publicKey"],
        "protocol": "CGGMP24",
        "curve": key["curve"],
        "minSigners": 2,
        "encryptedKeyShares": shares,
    }))
}
