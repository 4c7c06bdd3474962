//! Vaults (`/vaults`): multi-network holdings with one address per network, balances by kind,
//! locks (amounts set aside for a beneficiary), quarantined deposits and transfers.
//!
//! A transfer's `requestBody`, `metadata` and `details` are the wallets domain's shapes, kept
//! as sent; history entries are kept as sent beside their `kind`.
//!
//! ```no_run
//! use dfns_blocking::api::vaults::{CreateVault, CreateVaultLock, CreateVaultTransfer, ListVaults};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let vault = client.vaults().create(&CreateVault::new().name("treasury").tags(["eu"]))?;
//! let address = client.vaults().create_address(&vault.id, "EthereumSepolia")?;
//! let lock = client
//!     .vaults()
//!     .create_lock(&vault.id, &CreateVaultLock::new("EthereumSepolia", "native:eth", "1000"))?;
//! let transfer = client.vaults().transfer(
//!     &vault.id,
//!     &CreateVaultTransfer::new("EthereumSepolia", "native:eth", "0xabc...", "500")
//!         .external_id("payout-42"),
//! )?;
//! for vault in client.vaults().iter(&ListVaults::new())? {
//!     println!("{}", vault?.id);
//! }
//! # let _ = (address, lock, transfer);
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use super::networks::Network;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

use crate::pagination::Page;

model! {
    /// A vault as Dfns describes it.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Vault {
        /// The vault's id, used in every path.
        #[strict]
        pub id: String,
        /// The organisation.
        pub org_id: String,
        /// Its name, when it has one.
        pub name: Option<String>,
        /// Its tags.
        pub tags: Vec<String>,
        /// Your own reference, when set.
        pub external_id: Option<String>,
        /// When it was created (ISO-8601 UTC).
        pub date_created: Timestamp,
        /// When it last changed (ISO-8601 UTC).
        pub date_updated: Timestamp,
        /// Its addresses, one per network, when Dfns lists them.
        pub addresses: Option<Vec<VaultAddress>>,
    }
}

model! {
    /// A vault's address on one network (the answer of [`create_address`]).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct VaultAddress {
        /// The wallet behind the address.
        pub wallet_id: String,
        /// The network.
        pub network: Network,
        /// The address itself.
        pub address: String,
    }
}

request_body! {
    /// The body of [`create`]. Unset options are not sent.
    ///
    /// ```
    /// use dfns_blocking::api::vaults::CreateVault;
    ///
    /// let body = CreateVault::new().name("treasury").tags(["eu", "ops"]);
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"name":"treasury","tags":["eu","ops"]}"#
    /// );
    /// ```
    pub struct CreateVault {
        ;
        /// The vault's name.
        name: String,
        /// Its tags.
        tags: String [list],
        /// Your own reference.
        external_id: String,
    }
}

request_body! {
    /// The body of [`update`]: only what is set changes.
    pub struct UpdateVault {
        ;
        /// A new name.
        name: String,
        /// A new external id.
        external_id: String,
    }
}

#[derive(Serialize)]
struct NetworkBody<'a> {
    network: &'a str,
}

#[derive(Serialize)]
struct Tags<'a> {
    tags: &'a [String],
}

open_enum! {
    /// The kind of a vault balance entry (`kind`).
    pub enum BalanceKind {
        /// Free to spend.
        Available = "Available",
        /// On its way out.
        Outgoing = "Outgoing",
        /// Set aside for fees.
        Fee = "Fee",
        /// On its way in.
        Incoming = "Incoming",
        /// Held by a lock.
        Locked = "Locked",
        /// Held in quarantine.
        Quarantined = "Quarantined",
    }
}

open_enum! {
    /// The kind of a vault history entry (`kind`).
    pub enum HistoryKind {
        /// A deposit.
        IncomingTransfer = "IncomingTransfer",
        /// A withdrawal.
        OutgoingTransfer = "OutgoingTransfer",
        /// A lock was created.
        LockCreated = "LockCreated",
        /// A lock went away (released, replaced or transferred).
        LockDeleted = "LockDeleted",
    }
}

open_enum! {
    /// Where a transfer stands (`status`).
    pub enum TransferStatus {
        /// Waiting for a policy approval.
        Pending = "Pending",
        /// Approved, being executed.
        Executing = "Executing",
        /// In the mempool.
        Broadcasted = "Broadcasted",
        /// Confirmed on chain.
        Confirmed = "Confirmed",
        /// Failed.
        Failed = "Failed",
        /// Rejected by a policy approval.
        Rejected = "Rejected",
    }
}

open_enum! {
    /// Where a quarantine release request stands (`status`).
    pub enum ReleaseStatus {
        /// Waiting for a policy approval.
        Pending = "Pending",
        /// Done: the deposit is available.
        Executed = "Executed",
        /// Refused.
        Rejected = "Rejected",
    }
}

model! {
    /// One balance entry of a vault (paginated by [`list_balances`]).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct VaultBalance {
        /// The entry's id.
        pub id: String,
        /// What the amount is; unknown kinds are kept.
        pub kind: Option<BalanceKind>,
        /// The network.
        pub network: Network,
        /// The token identifier (`native:eth`, ...).
        pub tid: String,
        /// The amount in the asset's smallest unit (a decimal string).
        pub amount: String,
        /// The transfer the entry belongs to, if any.
        pub transfer_id: Option<String>,
        /// The quarantine the entry belongs to, if any.
        pub quarantine_id: Option<String>,
    }
}

model! {
    /// A vault's assets and their worth (the answer of [`list_assets`], not paginated).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct VaultAssets {
        /// One entry per asset.
        pub items: Vec<VaultAsset>,
        /// The worth in fiat by balance kind.
        pub net_worth: NetWorth,
    }
}

model! {
    /// One asset of a vault.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct VaultAsset {
        /// The asset kind (`Native`, `Erc20`, ...).
        pub kind: String,
        /// The network.
        pub network: Network,
        /// The token identifier.
        pub tid: String,
        /// Decimals of the asset's smallest unit.
        pub decimals: u32,
        /// The asset's symbol, when known.
        pub symbol: Option<String>,
        /// Whether Dfns verified the asset, when said.
        pub verified: Option<bool>,
        /// Spendable amount (decimal string, smallest unit).
        pub available_balance: String,
        /// Quarantined amount.
        pub quarantined_balance: String,
        /// Locked amount.
        pub locked_balance: String,
        /// Prices by currency, when known (as Dfns sends them: JSON numbers).
        pub quotes: Option<std::collections::BTreeMap<String, serde_json::Number>>,
    }
}

model! {
    /// A vault's worth by balance kind, each by currency (JSON numbers as Dfns sends them).
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct NetWorth {
        /// The available part.
        pub available: std::collections::BTreeMap<String, serde_json::Number>,
        /// The quarantined part.
        pub quarantined: std::collections::BTreeMap<String, serde_json::Number>,
        /// The locked part.
        pub locked: std::collections::BTreeMap<String, serde_json::Number>,
        /// All of it.
        pub total: std::collections::BTreeMap<String, serde_json::Number>,
    }
}

model! {
    /// One entry of a vault's history. Dfns's clients describe entries only by their `kind`;
    /// every other field is kept as sent.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct VaultHistoryEntry {
        /// What happened; unknown kinds are kept.
        pub kind: Option<HistoryKind>,
        /// Every other field, as Dfns sent it.
        #[serde(flatten)]
        pub other: serde_json::Map<String, serde_json::Value>,
    }
}

model! {
    /// An amount set aside in a vault, for a beneficiary or a reason.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct VaultLock {
        /// The lock's id, used in every path.
        #[strict]
        pub id: String,
        /// The vault.
        pub vault_id: String,
        /// The network.
        pub network: Network,
        /// The token identifier.
        pub tid: String,
        /// The locked amount (decimal string, smallest unit).
        pub amount: String,
        /// Who created the lock.
        pub owner: String,
        /// Your own reference, when set.
        pub external_id: Option<String>,
        /// Why the amount is locked, when said.
        pub reason: Option<String>,
        /// Who the amount is for, when said.
        pub beneficiary: Option<String>,
        /// The transfer that spent the lock, once transferred.
        pub transfer_id: Option<String>,
        /// The amount that transfer sent.
        pub transfer_amount: Option<String>,
        /// The lock this one replaced, if any.
        pub replaces_lock_id: Option<String>,
        /// The lock that replaced this one, once replaced.
        pub replaced_by_lock_id: Option<String>,
        /// When it was created (ISO-8601 UTC).
        pub date_created: Timestamp,
        /// When it went away (released, replaced or transferred).
        pub date_deleted: Option<Timestamp>,
    }
}

request_body! {
    /// The body of [`create_lock`]. Unset options are not sent.
    ///
    /// ```
    /// use dfns_blocking::api::vaults::CreateVaultLock;
    ///
    /// let body = CreateVaultLock::new("Bitcoin", "native:btc", "2500").beneficiary("escrow-7");
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"network":"Bitcoin","tid":"native:btc","amount":"2500","beneficiary":"escrow-7"}"#
    /// );
    /// ```
    pub struct CreateVaultLock {
        /// The network.
        network: Network,
        /// The token identifier.
        tid: String,
        /// The amount to lock (decimal string, smallest unit).
        amount: String;
        /// Your own reference.
        external_id: String,
        /// Why.
        reason: String,
        /// For whom.
        beneficiary: String,
    }
}

request_body! {
    /// The body of [`replace_lock`]: the new lock's amount and, optionally, reason.
    pub struct ReplaceVaultLock {
        /// The new amount.
        amount: String;
        /// A new reason.
        reason: String,
    }
}

#[derive(Serialize)]
struct Amount<'a> {
    amount: &'a str,
}

model! {
    /// A quarantined deposit of a vault.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct VaultQuarantine {
        /// The quarantine's id, used in every path.
        #[strict]
        pub id: String,
        /// The vault.
        pub vault_id: String,
        /// The network.
        pub network: Network,
        /// The deposit's transaction hash.
        pub transaction_hash: String,
        /// The KYT screening result, as Dfns sent it, when there is one.
        pub kyt_result: Option<serde_json::Value>,
        /// When it was released, once released.
        pub date_released: Option<Timestamp>,
        /// When it was quarantined (ISO-8601 UTC).
        pub date_created: Timestamp,
    }
}

model! {
    /// A request to release a quarantined deposit (the answer of [`release_quarantine`]).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct QuarantineRelease {
        /// The request's id.
        pub id: String,
        /// The vault.
        pub vault_id: String,
        /// The quarantine.
        pub quarantine_id: String,
        /// The network.
        pub network: Network,
        /// The deposit's transaction hash.
        pub transaction_hash: String,
        /// Who asked, as Dfns sent it.
        pub requester: serde_json::Value,
        /// The reason given, if any.
        pub reason: Option<String>,
        /// Why it was refused, once refused.
        pub rejection_reason: Option<String>,
        /// Where it stands; unknown values (older answers say `OK`) are kept.
        pub status: Option<ReleaseStatus>,
        /// The policy approval it waits for, if any.
        pub approval_id: Option<String>,
        /// When it was asked (ISO-8601 UTC).
        pub date_created: Timestamp,
    }
}

#[derive(Serialize)]
struct Reason<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

request_body! {
    /// The body of [`transfer`]. Dfns deduplicates by `externalId`: sending the same body again
    /// answers the first transfer.
    ///
    /// ```
    /// use dfns_blocking::api::vaults::CreateVaultTransfer;
    ///
    /// let body = CreateVaultTransfer::new("Bitcoin", "native:btc", "bc1q...", "1000");
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"network":"Bitcoin","tid":"native:btc","to":"bc1q...","amount":"1000"}"#
    /// );
    /// ```
    pub struct CreateVaultTransfer {
        /// The network.
        network: Network,
        /// The token identifier (`native:eth`, ...).
        tid: String,
        /// The destination address.
        to: String,
        /// The amount (decimal string, smallest unit).
        amount: String;
        /// Your own reference, which makes the request safe to repeat.
        external_id: String,
    }
}

model! {
    /// A transfer out of a vault (the answer of [`transfer`] and [`transfer_lock`]).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct VaultTransfer {
        /// The transfer's id.
        #[strict]
        pub id: String,
        /// The wallet it leaves from.
        pub wallet_id: String,
        /// The network.
        pub network: Network,
        /// Who asked, as Dfns sent it (`userId`, `tokenId`).
        pub requester: serde_json::Value,
        /// The transfer as the wallet received it (the wallets domain's transfer body).
        pub request_body: serde_json::Value,
        /// The asset's metadata, as Dfns sent it.
        pub metadata: serde_json::Value,
        /// Where it stands; unknown values are kept.
        pub status: Option<TransferStatus>,
        /// Why it failed, once failed.
        pub reason: Option<String>,
        /// The transaction hash, once broadcast.
        pub tx_hash: Option<String>,
        /// The fee paid (decimal string, smallest unit), once known.
        pub fee: Option<String>,
        /// When it was asked (ISO-8601 UTC).
        pub date_requested: Timestamp,
        /// When its policies were resolved.
        pub date_policy_resolved: Option<Timestamp>,
        /// When it was broadcast.
        pub date_broadcasted: Option<Timestamp>,
        /// When it was confirmed.
        pub date_confirmed: Option<Timestamp>,
        /// The policy approval it waits for, if any.
        pub approval_id: Option<String>,
        /// Your own reference, when set.
        pub external_id: Option<String>,
        /// The fee sponsor, if one paid.
        pub fee_sponsor_id: Option<String>,
        /// The replacement (cancel or speed-up) transaction, if any.
        pub replacement_id: Option<String>,
        /// The network-specific signing details, as Dfns sent them.
        pub details: Option<serde_json::Value>,
    }
}

query! {
    /// The page size of [`list`].
    pub struct ListVaults {
        /// Vaults per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
    }
}

query! {
    /// The filters of [`list_assets`] (not paginated).
    pub struct ListVaultAssets {
        /// Whether to include assets Dfns has not verified.
        show_unverified: bool = "showUnverified",
        /// Only this network.
        network: Network = "network",
    }
}

query! {
    /// What to list with [`list_balances`]: page size and filters. The page token is a
    /// separate argument.
    pub struct ListVaultBalances {
        /// Items per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
        /// Only this network.
        network: Network = "network",
        /// Only this token identifier.
        tid: String = "tid",
        /// Only balances of this kind.
        kind: BalanceKind = "kind",
    }
}

query! {
    /// What to list with [`list_history`]: page size and filters (each kind and token
    /// identifier is sent as its own parameter). The page token is a separate argument.
    ///
    /// ```
    /// use dfns_blocking::api::vaults::{HistoryKind, ListVaultHistory};
    ///
    /// let query = ListVaultHistory::new().limit(20).network("Bitcoin").kind([HistoryKind::LockCreated]);
    /// let request = dfns_blocking::api::vaults::list_history("vt-1", &query, None)?;
    /// assert_eq!(request.path(), "/vaults/vt-1/history"); // the filters go in the query
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub struct ListVaultHistory {
        /// Items per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
        /// Only this network.
        network: Network = "network",
        /// Only these token identifiers.
        tid: String = "tid" [list],
        /// Only entries of these kinds.
        kind: HistoryKind = "kind" [list],
    }
}

query! {
    /// What to list with [`list_locks`]: page size and filters. The page token is a separate
    /// argument.
    pub struct ListVaultLocks {
        /// Items per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
        /// Only this network.
        network: Network = "network",
        /// Only this token identifier.
        tid: String = "tid",
    }
}

query! {
    /// What to list with [`list_quarantines`]: page size and network. The page token is a
    /// separate argument.
    pub struct ListVaultQuarantines {
        /// Items per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
        /// Only this network.
        network: Network = "network",
    }
}

endpoints! {
    /// The vault endpoints.
    handle Vaults = Client::vaults, domain "vaults",
        reference "https://docs.dfns.co/api-reference/vaults";

    /// The organisation's vaults (`listVaults`).
    GET "/vaults" => list(; query: &ListVaults) -> Page<Vault>, pages iter,
        query query;
    /// Creates a vault (`createVault`).
    POST "/vaults" [signed] => create(; body: &CreateVault) -> Vault,
        body body;
    /// Reads one vault (`getVault`).
    GET "/vaults/{vaultId}" => get(vault_id) -> Vault;
    /// Renames a vault or sets its external id (`updateVault`).
    PUT "/vaults/{vaultId}" [signed, idempotent] => update(vault_id; body: &UpdateVault) -> Vault,
        body body;
    /// Gives the vault an address on `network` (`createVaultAddress`).
    POST "/vaults/{vaultId}/addresses" [signed] => create_address(vault_id; network: &str) -> VaultAddress,
        with |request| request.json(&NetworkBody { network });
    /// The vault's assets and net worth (`listVaultAssets`, not paginated).
    GET "/vaults/{vaultId}/assets" => list_assets(vault_id; query: &ListVaultAssets) -> VaultAssets,
        query query;
    /// The vault's balance entries (`listVaultBalances`).
    GET "/vaults/{vaultId}/balances"
        => list_balances(vault_id; query: &ListVaultBalances) -> Page<VaultBalance>, pages iter_balances,
        query query;
    /// The vault's history (`listVaultHistory`).
    GET "/vaults/{vaultId}/history"
        => list_history(vault_id; query: &ListVaultHistory) -> Page<VaultHistoryEntry>, pages iter_history,
        query query;
    /// The vault's locks (`listVaultLocks`).
    GET "/vaults/{vaultId}/locks"
        => list_locks(vault_id; query: &ListVaultLocks) -> Page<VaultLock>, pages iter_locks,
        query query;
    /// Locks an amount (`createVaultLock`).
    POST "/vaults/{vaultId}/locks" [signed] => create_lock(vault_id; body: &CreateVaultLock) -> VaultLock,
        body body;
    /// Reads one lock (`getVaultLock`).
    GET "/vaults/{vaultId}/locks/{lockId}" => get_lock(vault_id, lock_id) -> VaultLock;
    /// Releases a lock: its amount is available again (`releaseVaultLock`).
    POST "/vaults/{vaultId}/locks/{lockId}/release" [signed] => release_lock(vault_id, lock_id) -> VaultLock;
    /// Replaces a lock by a new one with another amount (`replaceVaultLock`); answers the new
    /// lock.
    POST "/vaults/{vaultId}/locks/{lockId}/replace" [signed]
        => replace_lock(vault_id, lock_id; body: &ReplaceVaultLock) -> VaultLock,
        body body;
    /// Sends `amount` of a lock to its beneficiary (`transferVaultLock`).
    POST "/vaults/{vaultId}/locks/{lockId}/transfer" [signed]
        => transfer_lock(vault_id, lock_id; amount: &str) -> VaultTransfer,
        with |request| request.json(&Amount { amount });
    /// The vault's quarantined deposits (`listVaultQuarantines`).
    GET "/vaults/{vaultId}/quarantines"
        => list_quarantines(vault_id; query: &ListVaultQuarantines) -> Page<VaultQuarantine>, pages iter_quarantines,
        query query;
    /// Reads one quarantined deposit (`getVaultQuarantine`).
    GET "/vaults/{vaultId}/quarantines/{quarantineId}"
        => get_quarantine(vault_id, quarantine_id) -> VaultQuarantine;
    /// Asks to release a quarantined deposit (`releaseQuarantine`).
    POST "/vaults/{vaultId}/quarantines/{quarantineId}/release" [signed]
        => release_quarantine(vault_id, quarantine_id; reason: Option<&str>) -> QuarantineRelease,
        with |request| request.json(&Reason { reason });
    /// Removes tags from a vault (`untagVault`); Dfns answers an empty object.
    DELETE "/vaults/{vaultId}/tags" [signed, idempotent] => untag(vault_id; tags: &[String]) -> serde_json::Value,
        with |request| request.json(&Tags { tags }),
        answer |_ignored| () => ();
    /// Adds tags to a vault (`tagVault`); Dfns answers an empty object.
    PUT "/vaults/{vaultId}/tags" [signed, idempotent] => tag(vault_id; tags: &[String]) -> serde_json::Value,
        with |request| request.json(&Tags { tags }),
        answer |_ignored| () => ();
    /// Sends an amount from the vault (`createVaultTransfer`); safe to repeat with an
    /// `externalId`.
    POST "/vaults/{vaultId}/transfers" [signed]
        => transfer(vault_id; body: &CreateVaultTransfer) -> VaultTransfer,
        body body;
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
sample_fields! {}
