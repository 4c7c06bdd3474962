//! Wallets (`/wallets`): wallets and their assets, NFTs and history; transfers, transactions
//! and offers; import, activation, tags; and the wallet signature, delegation and export
//! endpoints that Dfns moved to `/keys`.
//!
//! A transfer is a [`TransferAsset`]: one variant per asset `kind`, each a struct whose
//! constructor takes the required fields and whose setters take the optional ones, so a
//! transfer Dfns would refuse for a missing field cannot be built. Amounts are decimal strings
//! in the asset's smallest unit, never floats.
//!
//! ```no_run
//! use dfns_blocking::wait::Wait;
//! use dfns_blocking::api::wallets::{CreateWallet, NativeTransfer, Priority};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let wallet = client.wallets().create(&CreateWallet::new("EthereumSepolia").name("treasury"))?;
//! let transfer = client.wallets().transfer(
//!     &wallet.id,
//!     &NativeTransfer::new("0x00000000000000000000000000000000000000aa", "1000000000000000")
//!         .priority(Priority::Fast)
//!         .external_id("payout-42")
//!         .into(),
//! )?;
//! // Policy approval, broadcast and confirmation, polled with back-off.
//! let done = client.wallets().wait_for_transfer(&wallet.id, &transfer.id, &Wait::new())?;
//! println!("{:?} {:?}", done.status, done.tx_hash);
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use super::ListPage;
pub use super::keys::{KeyCurve, KeyProtocol, KeyScheme, SignatureComponents, SignatureStatus};
pub use super::networks::Network;
use super::with_query;
use crate::pagination::Page;
use crate::time::Timestamp;
use crate::wait::{Progress, Wait, poll};

open_enum! {
    /// A wallet's `status`.
    pub enum WalletStatus {
        /// In use.
        Active = "Active",
        /// Archived.
        Archived = "Archived",
    }
}

open_enum! {
    /// The status of a transfer or a transaction. [`is_final`](Self::is_final) says whether it
    /// can still change.
    pub enum RequestStatus {
        /// Waiting: for policy approval when the record has an `approvalId`, else for a signer.
        Pending = "Pending",
        /// Approved and being signed; brief.
        Executing = "Executing",
        /// In the mempool.
        Broadcasted = "Broadcasted",
        /// Confirmed on chain (final).
        Confirmed = "Confirmed",
        /// Failed to run, or failed on chain (final).
        Failed = "Failed",
        /// Rejected by a policy approver (final).
        Rejected = "Rejected",
    }
}

impl RequestStatus {
    /// Whether the status can no longer change: `Confirmed`, `Failed` or `Rejected`.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Confirmed | Self::Failed | Self::Rejected)
    }
}

open_enum! {
    /// The fee level of a transfer (EVM networks and Bitcoin).
    pub enum Priority {
        /// Lower fees, slower.
        Slow = "Slow",
        /// Dfns's default.
        Standard = "Standard",
        /// Higher fees, faster.
        Fast = "Fast",
    }
}

open_enum! {
    /// The kind of an asset, an NFT or an offer.
    pub enum AssetKind {
        /// The network's native token.
        Native = "Native",
        /// Aptos fungible asset (AIP-21).
        Aip21 = "Aip21",
        /// Algorand standard asset.
        Asa = "Asa",
        /// Cardano asset.
        Asset = "Asset",
        /// Sui coin.
        Coin = "Coin",
        /// Sui locked coin.
        LockedCoin = "LockedCoin",
        /// ERC-20 token.
        Erc20 = "Erc20",
        /// ERC-721 NFT.
        Erc721 = "Erc721",
        /// Hedera NFT (HIP-17).
        Hip17 = "Hip17",
        /// Hedera token (HTS).
        Hts = "Hts",
        /// Stellar classic asset (SEP-41).
        Sep41 = "Sep41",
        /// Solana SPL token.
        Spl = "Spl",
        /// Solana SPL 2022 token.
        Spl2022 = "Spl2022",
        /// TON jetton (TEP-74).
        Tep74 = "Tep74",
        /// TRON TRC-10 token.
        Trc10 = "Trc10",
        /// TRON TRC-20 token.
        Trc20 = "Trc20",
        /// TRON TRC-721 NFT.
        Trc721 = "Trc721",
    }
}

open_enum! {
    /// The kind of an on-chain event in a wallet's history (`NativeTransfer`, `Erc20Transfer`,
    /// ...).
    pub enum EventKind {
        /// Native token.
        NativeTransfer = "NativeTransfer",
        /// AIP-21 asset.
        Aip21Transfer = "Aip21Transfer",
        /// Algorand standard asset.
        AsaTransfer = "AsaTransfer",
        /// Cardano asset.
        AssetTransfer = "AssetTransfer",
        /// Sui coin.
        CoinTransfer = "CoinTransfer",
        /// ERC-20 token.
        Erc20Transfer = "Erc20Transfer",
        /// ERC-721 NFT.
        Erc721Transfer = "Erc721Transfer",
        /// Hedera NFT.
        Hip17Transfer = "Hip17Transfer",
        /// Hedera token.
        HtsTransfer = "HtsTransfer",
        /// Kadena KIP-5 token.
        Kip5Transfer = "Kip5Transfer",
        /// Sui locked coin.
        LockedCoinTransfer = "LockedCoinTransfer",
        /// Stellar classic asset.
        Sep41Transfer = "Sep41Transfer",
        /// Solana SPL token.
        SplTransfer = "SplTransfer",
        /// Solana SPL 2022 token.
        Spl2022Transfer = "Spl2022Transfer",
        /// TON jetton.
        Tep74Transfer = "Tep74Transfer",
        /// TRC-10 token.
        Trc10Transfer = "Trc10Transfer",
        /// TRC-20 token.
        Trc20Transfer = "Trc20Transfer",
        /// TRC-721 NFT.
        Trc721Transfer = "Trc721Transfer",
        /// UTXO transfer (Bitcoin and the like).
        UtxoTransfer = "UtxoTransfer",
    }
}

open_enum! {
    /// Whether an event brought assets in or took them out.
    pub enum Direction {
        /// Received.
        In = "In",
        /// Sent.
        Out = "Out",
    }
}

open_enum! {
    /// An offer's `status`.
    pub enum OfferStatus {
        /// Waiting for acceptance or rejection.
        Pending = "Pending",
        /// Accepted.
        Accepted = "Accepted",
        /// Rejected.
        Rejected = "Rejected",
        /// Expired.
        Expired = "Expired",
    }
}

open_enum! {
    /// The decision of a [`SettleOffer`] transaction.
    pub enum OfferDecision {
        /// Accept the offer.
        Accept = "Accept",
        /// Reject it.
        Reject = "Reject",
    }
}

model! {
    /// The key under a wallet.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct SigningKey {
        /// The key's id (`key-...`).
        pub id: String,
        /// Its scheme.
        pub scheme: Option<KeyScheme>,
        /// Its curve.
        pub curve: Option<KeyCurve>,
        /// The public key, hex.
        pub public_key: String,
        /// The end user the key is delegated to, if any.
        pub delegated_to: Option<String>,
    }
}

model! {
    /// A wallet: an address on one network, backed by a signing key.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Wallet {
        /// The wallet's id (`wa-...`).
        #[strict]
        pub id: String,
        /// Its network.
        pub network: Option<Network>,
        /// Its address (absent on networks where the wallet is not yet activated).
        pub address: Option<String>,
        /// The key underneath.
        pub signing_key: Option<SigningKey>,
        /// Its status.
        pub status: Option<WalletStatus>,
        /// When it was created (ISO-8601 UTC).
        pub date_created: Timestamp,
        /// When it was deleted, if it was.
        pub date_deleted: Option<Timestamp>,
        /// Its nickname.
        pub name: Option<String>,
        /// Whether the organisation owns it (`false`: delegated to an end user).
        pub custodial: bool,
        /// Your reference.
        pub external_id: Option<String>,
        /// Its tags.
        pub tags: Vec<String>,
        /// The Canton validator it was created on.
        pub validator_id: Option<String>,
    }
}

/// Prices of an asset at the time, by currency (`USD`, `EUR`).
pub type Quotes = BTreeMap<String, f64>;

model! {
    /// What Dfns knows of an asset: symbol, decimals, whether it is verified, prices.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AssetMetadata {
        /// Its symbol (`ETH`, `USDC`).
        pub symbol: Option<String>,
        /// Decimals of its smallest unit.
        pub decimals: Option<u32>,
        /// Whether Dfns verified the asset.
        pub verified: Option<bool>,
        /// Its price at the time, by currency.
        pub quotes: Option<Quotes>,
    }
}

model! {
    /// The `metadata` of a transfer, an offer or an event: the asset moved, and the fee's asset.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct TransferMetadata {
        /// The asset moved.
        pub asset: AssetMetadata,
        /// The asset the fee was paid in (events only).
        pub fee: Option<AssetMetadata>,
    }
}

model! {
    /// Which fields identify a token (the ones its `kind` uses are set).
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct TokenId {
        /// ERC-20/721, TRC-20/721 contract.
        pub contract: Option<String>,
        /// ASA or Cardano asset id.
        pub asset_id: Option<String>,
        /// HTS, TRC-10 token id, or an NFT's token id.
        pub token_id: Option<String>,
        /// Sui coin type.
        pub coin: Option<String>,
        /// SPL mint.
        pub mint: Option<String>,
        /// TEP-74 jetton master.
        pub master: Option<String>,
        /// AIP-21 metadata address (`metadata` in assets).
        pub metadata: Option<String>,
        /// SEP-41 issuer.
        pub issuer: Option<String>,
        /// SEP-41 asset code.
        pub asset_code: Option<String>,
    }
}

model! {
    /// One asset a wallet holds, with its balance.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Asset {
        /// Its kind.
        pub kind: Option<AssetKind>,
        /// What identifies the token, by kind.
        #[serde(flatten)]
        pub token: TokenId,
        /// The balance, a decimal string in the smallest unit.
        pub balance: String,
        /// Decimals of the smallest unit.
        pub decimals: u32,
        /// Its symbol.
        pub symbol: Option<String>,
        /// Whether Dfns verified it.
        pub verified: Option<bool>,
        /// Its price, by currency.
        pub quotes: Option<Quotes>,
    }
}

model! {
    /// The answer of [`get_assets`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct WalletAssets {
        /// The wallet.
        pub wallet_id: String,
        /// Its network.
        pub network: Option<Network>,
        /// What it holds.
        pub assets: Vec<Asset>,
        /// The total value by currency, when asked for (`netWorth`).
        pub net_worth: Option<Quotes>,
    }
}

model! {
    /// One NFT a wallet holds.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Nft {
        /// `Asa`, `Erc721`, `Trc721` or `Hip17`.
        pub kind: Option<AssetKind>,
        /// What identifies the token, by kind.
        #[serde(flatten)]
        pub token: TokenId,
        /// The HIP-17 serial number.
        pub serial_number: Option<String>,
        /// Its symbol.
        pub symbol: Option<String>,
        /// Its metadata URI.
        pub token_uri: Option<String>,
    }
}

model! {
    /// The answer of [`get_nfts`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct WalletNfts {
        /// The wallet.
        pub wallet_id: String,
        /// Its network.
        pub network: Option<Network>,
        /// What it holds.
        pub nfts: Vec<Nft>,
    }
}

model! {
    /// An on-chain event of a wallet ([`list_history`]): a transfer in or out, of any kind. The
    /// fields a kind does not use are empty.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct BlockchainEvent {
        /// Its kind.
        pub kind: Option<EventKind>,
        /// In or out.
        pub direction: Option<Direction>,
        /// The wallet.
        pub wallet_id: String,
        /// The network.
        pub network: Option<Network>,
        /// The block.
        pub block_number: u64,
        /// The transaction hash.
        pub tx_hash: String,
        /// The event's index in the transaction.
        pub index: Option<String>,
        /// When (ISO-8601 UTC).
        pub timestamp: String,
        /// The amount, a decimal string in the smallest unit (empty for NFTs).
        pub value: String,
        /// The fee, in the fee asset's smallest unit.
        pub fee: Option<String>,
        /// The sender.
        pub from: Option<String>,
        /// The receiver.
        pub to: Option<String>,
        /// The senders (UTXO and HTS events).
        pub froms: Vec<String>,
        /// The receivers (UTXO, HTS and coin events).
        pub tos: Vec<String>,
        /// The asset and fee metadata.
        pub metadata: TransferMetadata,
        /// What identifies the token, by kind (its `metadata` stays empty: events name the AIP-21
        /// address `metadataAddress`).
        #[serde(flatten)]
        pub token: TokenId,
        /// The AIP-21 metadata address.
        pub metadata_address: Option<String>,
        /// The HIP-17 serial number.
        pub serial_number: Option<String>,
        /// The KIP-5 module.
        pub module: Option<String>,
        /// The KIP-5 source chain.
        pub source_chain: Option<String>,
        /// The KIP-5 target chain.
        pub target_chain: Option<String>,
        /// The memo or destination tag.
        pub memo: Option<String>,
        /// The balance id (Canton).
        pub balance_id: Option<String>,
        /// The liquidity pool (Stellar).
        pub liquidity_pool: Option<String>,
        /// Whether an ASA transfer was a clawback.
        pub clawback: Option<bool>,
        /// Whether an ASA transfer was an opt-in.
        pub opt_in: Option<bool>,
        /// Whether an ASA transfer was an opt-out.
        pub opt_out: Option<bool>,
        /// Deprecated by Dfns: `metadata.asset.symbol`.
        pub symbol: Option<String>,
        /// Deprecated by Dfns: `metadata.asset.decimals`.
        pub decimals: Option<u32>,
        /// Deprecated by Dfns: `metadata.asset.verified`.
        pub verified: Option<bool>,
    }
}

model! {
    /// An event of the organisation-wide history ([`list_all_history`]).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct OrgHistoryEvent {
        /// When (ISO-8601 UTC).
        pub timestamp: String,
        /// The wallet.
        pub wallet_id: String,
        /// The network.
        pub network: Option<Network>,
        /// In or out.
        pub direction: Option<Direction>,
        /// The transaction hash.
        pub tx_hash: String,
        /// The amount, a decimal string.
        pub amount: Option<String>,
        /// The asset.
        pub asset: Option<String>,
        /// The asset's decimals (a string here).
        pub decimals: Option<String>,
        /// The asset's symbol.
        pub symbol: Option<String>,
        /// The fee.
        pub fee: Option<String>,
        /// The fee asset's decimals.
        pub fee_decimals: Option<String>,
        /// The fee asset's symbol.
        pub fee_symbol: Option<String>,
        /// The sender.
        pub from: Option<String>,
        /// The receiver.
        pub to: Option<String>,
        /// The NFT's token id.
        pub token_id: Option<String>,
    }
}

model! {
    /// An offer made to a wallet (Canton): assets it may accept or reject.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Offer {
        /// The offer's id (`offer-...`).
        #[strict]
        pub id: String,
        /// The organisation.
        pub org_id: String,
        /// The wallet offered to.
        pub wallet_id: String,
        /// The network.
        pub network: Option<Network>,
        /// The asset's kind.
        pub kind: Option<AssetKind>,
        /// The asset.
        pub metadata: TransferMetadata,
        /// The offering transaction.
        pub tx_hash: String,
        /// Its status.
        pub status: Option<OfferStatus>,
        /// The sender.
        pub from: String,
        /// The receiver.
        pub to: String,
        /// The amount, a decimal string.
        pub value: String,
        /// When it was made.
        pub timestamp: String,
        /// When it expires.
        pub expires_at: Option<String>,
        /// Its memo.
        pub memo: Option<String>,
        /// The transaction that settled it.
        pub settlement_transaction_id: Option<String>,
        /// When it was settled.
        pub date_settled: Option<Timestamp>,
    }
}

model! {
    /// Who asked for a transfer, transaction or signature.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Requester {
        /// The user.
        pub user_id: String,
        /// The personal access token or service account token used, if any.
        pub token_id: Option<String>,
    }
}

model! {
    /// A transfer request and where it is. A transfer a policy holds has status `Pending` and an
    /// [`approval_id`](Self::approval_id); [`Wallets::wait_for_transfer`] waits through the
    /// approval.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Transfer {
        /// The transfer's id (`xfr-...`).
        #[strict]
        pub id: String,
        /// The wallet sending.
        pub wallet_id: String,
        /// The network.
        pub network: Option<Network>,
        /// Who asked.
        pub requester: Requester,
        /// The request as sent (a [`TransferAsset`] in JSON).
        pub request_body: Value,
        /// The asset moved.
        pub metadata: TransferMetadata,
        /// Where it is.
        pub status: Option<RequestStatus>,
        /// Why it failed or was rejected.
        pub reason: Option<String>,
        /// The transaction hash, once broadcast.
        pub tx_hash: Option<String>,
        /// The fee paid, in the native token's smallest unit.
        pub fee: Option<String>,
        /// The policy approval holding it, if a policy does.
        pub approval_id: Option<String>,
        /// The fee sponsor paying its fees.
        pub fee_sponsor_id: Option<String>,
        /// Your reference.
        pub external_id: Option<String>,
        /// When it was asked for.
        pub date_requested: Timestamp,
        /// When the policies were resolved.
        pub date_policy_resolved: Option<Timestamp>,
        /// When it was broadcast.
        pub date_broadcasted: Option<Timestamp>,
        /// When it was confirmed.
        pub date_confirmed: Option<Timestamp>,
    }
}

model! {
    /// A transaction request (sign and broadcast) and where it is; held by a policy like a
    /// [`Transfer`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Transaction {
        /// The transaction request's id (`tx-...`).
        #[strict]
        pub id: String,
        /// The wallet.
        pub wallet_id: String,
        /// The network.
        pub network: Option<Network>,
        /// Who asked.
        pub requester: Requester,
        /// The request as sent (a [`TransactionRequest`] in JSON).
        pub request_body: Value,
        /// Where it is.
        pub status: Option<RequestStatus>,
        /// Why it failed or was rejected.
        pub reason: Option<String>,
        /// The transaction hash, once broadcast.
        pub tx_hash: Option<String>,
        /// The fee paid.
        pub fee: Option<String>,
        /// The policy approval holding it, if a policy does.
        pub approval_id: Option<String>,
        /// Your reference.
        pub external_id: Option<String>,
        /// When it was asked for.
        pub date_requested: Timestamp,
        /// When the policies were resolved.
        pub date_policy_resolved: Option<Timestamp>,
        /// When it was broadcast.
        pub date_broadcasted: Option<Timestamp>,
        /// When it was confirmed.
        pub date_confirmed: Option<Timestamp>,
    }
}

impl Transfer {
    /// Whether a policy holds the transfer for approval: `Pending` with an `approvalId`.
    /// Approvers decide with [`PolicyApprovals::decide`](crate::api::policy_approvals::PolicyApprovals::decide);
    /// [`Wallets::wait_for_transfer`] waits for them.
    ///
    /// ```
    /// let held: dfns_blocking::api::wallets::Transfer = serde_json::from_str(
    ///     r#"{"id":"xfr-1","status":"Pending","approvalId":"ap-1"}"#,
    /// )?;
    /// assert!(held.awaiting_approval());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn awaiting_approval(&self) -> bool {
        self.status == Some(RequestStatus::Pending) && self.approval_id.is_some()
    }
}

impl Transaction {
    /// Whether a policy holds the transaction for approval: `Pending` with an `approvalId`.
    pub fn awaiting_approval(&self) -> bool {
        self.status == Some(RequestStatus::Pending) && self.approval_id.is_some()
    }
}

model! {
    /// A signature requested through a wallet (the deprecated [`generate_signature`]).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct WalletSignature {
        /// The signature request's id (`sig-...`).
        #[strict]
        pub id: String,
        /// The wallet whose key signs (in the answer of [`generate_signature`] only).
        pub wallet_id: Option<String>,
        /// The key that signs.
        pub key_id: String,
        /// The network, when the request named one.
        pub network: Option<Network>,
        /// Who asked.
        pub requester: Requester,
        /// The request as sent.
        pub request_body: Value,
        /// Where it is.
        pub status: Option<SignatureStatus>,
        /// The signature, once signed.
        pub signature: Option<SignatureComponents>,
        /// The signatures, for requests that make several.
        pub signatures: Option<Vec<SignatureComponents>>,
        /// The signed data (a signed transaction), hex.
        pub signed_data: Option<String>,
        /// The transaction hash, when broadcast.
        pub tx_hash: Option<String>,
        /// The fee.
        pub fee: Option<String>,
        /// Why it failed or was rejected.
        pub reason: Option<String>,
        /// The policy approval holding it.
        pub approval_id: Option<String>,
        /// Your reference.
        pub external_id: Option<String>,
        /// When it was asked for.
        pub date_requested: Timestamp,
        /// When it was signed.
        pub date_signed: Option<Timestamp>,
        /// When it was confirmed.
        pub date_confirmed: Option<Timestamp>,
        /// When the policies were resolved.
        pub date_policy_resolved: Option<Timestamp>,
    }
}

model! {
    /// The answer of the deprecated [`delegate`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct WalletDelegation {
        /// The wallet.
        pub wallet_id: String,
        /// `Delegated`.
        pub status: String,
    }
}

model! {
    /// One signer's share of a key, encrypted for it or for you.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct EncryptedKeyShare {
        /// The signer.
        pub signer_id: String,
        /// The share, encrypted.
        pub encrypted_key_share: String,
    }
}

impl EncryptedKeyShare {
    /// `signer_id`'s share.
    pub fn new(signer_id: impl Into<String>, encrypted_key_share: impl Into<String>) -> Self {
        Self {
            signer_id: signer_id.into(),
            encrypted_key_share: encrypted_key_share.into(),
        }
    }
}

model! {
    /// The answer of the deprecated [`export`]: the key's shares, encrypted to your key.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ExportedWallet {
        /// The public key, hex.
        pub public_key: String,
        /// The protocol.
        pub protocol: Option<KeyProtocol>,
        /// The curve.
        pub curve: Option<KeyCurve>,
        /// The threshold.
        pub min_signers: u32,
        /// The shares.
        pub encrypted_key_shares: Vec<EncryptedKeyShare>,
    }
}
/// A key for [`CreateWallet::signing_key`]: an existing key to reuse, or the scheme and curve
/// of a new one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewSigningKey {
    /// An existing key's id, to make another wallet on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The new key's scheme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<KeyScheme>,
    /// The new key's curve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curve: Option<KeyCurve>,
    /// The key store to create the key in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
}

impl NewSigningKey {
    /// The existing key `key_id`.
    pub fn existing(key_id: impl Into<String>) -> Self {
        Self {
            id: Some(key_id.into()),
            ..Self::default()
        }
    }

    /// A new key with this scheme and curve.
    pub fn new(scheme: KeyScheme, curve: KeyCurve) -> Self {
        Self {
            scheme: Some(scheme),
            curve: Some(curve),
            ..Self::default()
        }
    }

    /// Creates the key in the key store `store_id`.
    pub fn store_id(mut self, store_id: impl Into<String>) -> Self {
        self.store_id = Some(store_id.into());
        self
    }
}

request_body! {
    /// The body of [`create`].
    ///
    /// ```
    /// use dfns_blocking::api::wallets::CreateWallet;
    ///
    /// let body = CreateWallet::new("EthereumSepolia").name("treasury");
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"network":"EthereumSepolia","name":"treasury"}"#
    /// );
    /// ```
    pub struct CreateWallet {
        /// The network.
        network: Network;
        /// A nickname.
        name: String,
        /// Your reference.
        external_id: String,
        /// Tags (at most 10).
        tags: Vec<String>,
        /// The key to use or create.
        signing_key: NewSigningKey,
        /// An end user to delegate the wallet to.
        delegate_to: String,
        /// Delegates later (with the keys delegation endpoint) rather than now.
        delay_delegation: bool,
        /// The Canton validator to create it on.
        validator_id: String,
    }
}

request_body! {
    /// The body of [`update`]: only what is set changes.
    pub struct UpdateWallet {
        ;
        /// A new nickname.
        name: String,
        /// A new reference.
        external_id: String,
    }
}

/// A signing protocol and curve you can receive an export in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SupportedScheme {
    /// The protocol.
    pub protocol: KeyProtocol,
    /// The curve.
    pub curve: KeyCurve,
}

impl SupportedScheme {
    /// `protocol` on `curve`.
    pub fn new(protocol: KeyProtocol, curve: KeyCurve) -> Self {
        Self { protocol, curve }
    }
}

request_body! {
    /// The body of [`import`]: a key's shares, each encrypted to one Dfns signer.
    pub struct ImportWallet {
        /// The network.
        network: Network,
        /// The protocol.
        protocol: KeyProtocol,
        /// The curve.
        curve: KeyCurve,
        /// The threshold.
        min_signers: u32,
        /// The shares.
        encrypted_key_shares: Vec<EncryptedKeyShare>;
        /// A nickname.
        name: String,
        /// Your reference.
        external_id: String,
        /// The Canton validator.
        validator_id: String,
    }
}

request_body! {
    /// The body of [`activate`]: nothing (Starknet), the Canton validator, or the Concordium
    /// credential deployment.
    pub struct ActivateWallet {
        ;
        /// The Canton validator.
        validator_id: String,
        /// The Concordium credential deployment's expiry.
        expiry: u64,
        /// The Concordium unsigned credential deployment.
        unsigned_cdi_str: String,
    }
}

request_body! {
    /// The body of the deprecated [`delegate`].
    pub struct DelegateWallet {
        /// The end user who will own the wallet.
        user_id: String;
    }
}

request_body! {
    /// The body of the deprecated [`export`].
    pub struct ExportWallet {
        /// Your public key the shares are encrypted to.
        encryption_key: String,
        /// What you can receive.
        supported_schemes: Vec<SupportedScheme>;
    }
}

/// The body of [`tag`] and [`untag`].
#[derive(Serialize)]
struct Tags<'a> {
    tags: &'a [String],
}

/// A travel rule payload attached to a transfer (Notabene).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind")]
#[non_exhaustive]
pub enum TravelRule {
    /// Notabene: the originator and beneficiary as Notabene describes them.
    Notabene {
        /// The originator.
        originator: Value,
        /// The beneficiary.
        beneficiary: Value,
        /// The beneficiary's VASP DID.
        #[serde(rename = "beneficiaryVASPdid", skip_serializing_if = "Option::is_none")]
        beneficiary_vasp_did: Option<String>,
        /// The beneficiary's proof.
        #[serde(rename = "beneficiaryProof", skip_serializing_if = "Option::is_none")]
        beneficiary_proof: Option<Value>,
    },
}

impl TravelRule {
    /// A Notabene payload.
    pub fn notabene(originator: Value, beneficiary: Value) -> Self {
        Self::Notabene {
            originator,
            beneficiary,
            beneficiary_vasp_did: None,
            beneficiary_proof: None,
        }
    }
}

request_body! {
    /// A transfer of the network's native token ([`TransferAsset::Native`]).
    ///
    /// ```
    /// use dfns_blocking::api::wallets::{NativeTransfer, Priority, TransferAsset};
    ///
    /// let transfer: TransferAsset = NativeTransfer::new("0xabc", "1000")
    ///     .priority(Priority::Fast)
    ///     .external_id("payout-1")
    ///     .into();
    /// assert_eq!(
    ///     serde_json::to_string(&transfer).unwrap(),
    ///     r#"{"kind":"Native","to":"0xabc","amount":"1000","externalId":"payout-1","priority":"Fast"}"#
    /// );
    /// ```
    pub struct NativeTransfer {
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit (wei, satoshi, ...).
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee level (EVM networks and Bitcoin).
        priority: Priority,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// The memo or destination tag (Stellar, TON, XRP Ledger).
        memo: String,
        /// Creates the destination account where the chain needs it (Stellar, Kadena).
        create_destination_account: bool,
        /// The destination chain of a multi-chain network (Kadena).
        target_chain: String,
        /// Makes a Canton transfer offer.
        offer: bool,
        /// When the Canton offer expires (ISO-8601).
        expires_at: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}
request_body! {
    /// A transfer of an Algorand standard asset ([`TransferAsset::Asa`]).
    pub struct AsaTransfer {
        /// The asset id.
        asset_id: String,
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit.
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of an Aptos fungible asset (AIP-21) ([`TransferAsset::Aip21`]).
    pub struct Aip21Transfer {
        /// The asset's metadata address.
        metadata: String,
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit.
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of a Cardano asset ([`TransferAsset::Asset`]).
    pub struct AssetTransfer {
        /// The asset id.
        asset_id: String,
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit.
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of a Sui coin ([`TransferAsset::Coin`]).
    pub struct CoinTransfer {
        /// The coin type.
        coin: String,
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit.
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of an ERC-20 token ([`TransferAsset::Erc20`]).
    pub struct Erc20Transfer {
        /// The token contract.
        contract: String,
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit.
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee level.
        priority: Priority,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of an ERC-721 NFT ([`TransferAsset::Erc721`]).
    pub struct Erc721Transfer {
        /// The token contract.
        contract: String,
        /// The destination address.
        to: String,
        /// The token id.
        token_id: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee level.
        priority: Priority,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of a Hedera NFT (HIP-17) ([`TransferAsset::Hip17`]).
    pub struct Hip17Transfer {
        /// The token id.
        token_id: String,
        /// The serial number.
        serial_number: String,
        /// The destination address.
        to: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of a Hedera token (HTS) ([`TransferAsset::Hts`]).
    pub struct HtsTransfer {
        /// The token id.
        token_id: String,
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit.
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of a Stellar classic asset (SEP-41) ([`TransferAsset::Sep41`]).
    pub struct Sep41Transfer {
        /// The issuer.
        issuer: String,
        /// The asset code.
        asset_code: String,
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit.
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The memo.
        memo: String,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of a Solana SPL token (SPL or SPL 2022) (the `Spl` and `Spl2022` variants of [`TransferAsset`]).
    pub struct SplTransfer {
        /// The mint.
        mint: String,
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit.
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// Creates the receiver's token account if missing.
        create_destination_account: bool,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of a TON jetton (TEP-74) ([`TransferAsset::Tep74`]).
    pub struct Tep74Transfer {
        /// The jetton master.
        master: String,
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit.
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The memo.
        memo: String,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of a TRON TRC-10 token ([`TransferAsset::Trc10`]).
    pub struct Trc10Transfer {
        /// The token id.
        token_id: String,
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit.
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of a TRON TRC-20 token ([`TransferAsset::Trc20`]).
    pub struct Trc20Transfer {
        /// The token contract.
        contract: String,
        /// The destination address.
        to: String,
        /// The amount, a decimal string in the smallest unit.
        amount: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}

request_body! {
    /// A transfer of a TRON TRC-721 NFT ([`TransferAsset::Trc721`]).
    pub struct Trc721Transfer {
        /// The token contract.
        contract: String,
        /// The destination address.
        to: String,
        /// The token id.
        token_id: String;
        /// Your reference: sending the same body again answers the same transfer.
        external_id: String,
        /// The fee sponsor paying the fees.
        fee_sponsor_id: String,
        /// A travel rule payload.
        travel_rule: TravelRule,
    }
}
/// A transfer request (the body of [`transfer`]): one variant per asset `kind`. Build one from
/// its kind's struct, e.g. `NativeTransfer::new(to, amount).into()`; `Spl2022` is built as
/// `TransferAsset::Spl2022(SplTransfer::new(..))`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind")]
#[non_exhaustive]
pub enum TransferAsset {
    /// The network's native token.
    Native(NativeTransfer),
    /// Transfers an Algorand standard asset.
    Asa(AsaTransfer),
    /// Transfers an Aptos fungible asset (AIP-21).
    Aip21(Aip21Transfer),
    /// Transfers a Cardano asset.
    Asset(AssetTransfer),
    /// Transfers a Sui coin.
    Coin(CoinTransfer),
    /// Transfers an ERC-20 token.
    Erc20(Erc20Transfer),
    /// Transfers an ERC-721 NFT.
    Erc721(Erc721Transfer),
    /// Transfers a Hedera NFT (HIP-17).
    Hip17(Hip17Transfer),
    /// Transfers a Hedera token (HTS).
    Hts(HtsTransfer),
    /// Transfers a Stellar classic asset (SEP-41).
    Sep41(Sep41Transfer),
    /// Transfers a Solana SPL token (SPL or SPL 2022).
    Spl(SplTransfer),
    /// Transfers a Solana SPL 2022 token.
    Spl2022(SplTransfer),
    /// Transfers a TON jetton (TEP-74).
    Tep74(Tep74Transfer),
    /// Transfers a TRON TRC-10 token.
    Trc10(Trc10Transfer),
    /// Transfers a TRON TRC-20 token.
    Trc20(Trc20Transfer),
    /// Transfers a TRON TRC-721 NFT.
    Trc721(Trc721Transfer),
}

impl From<NativeTransfer> for TransferAsset {
    fn from(transfer: NativeTransfer) -> Self {
        Self::Native(transfer)
    }
}

impl From<AsaTransfer> for TransferAsset {
    fn from(transfer: AsaTransfer) -> Self {
        Self::Asa(transfer)
    }
}

impl From<Aip21Transfer> for TransferAsset {
    fn from(transfer: Aip21Transfer) -> Self {
        Self::Aip21(transfer)
    }
}

impl From<AssetTransfer> for TransferAsset {
    fn from(transfer: AssetTransfer) -> Self {
        Self::Asset(transfer)
    }
}

impl From<CoinTransfer> for TransferAsset {
    fn from(transfer: CoinTransfer) -> Self {
        Self::Coin(transfer)
    }
}

impl From<Erc20Transfer> for TransferAsset {
    fn from(transfer: Erc20Transfer) -> Self {
        Self::Erc20(transfer)
    }
}

impl From<Erc721Transfer> for TransferAsset {
    fn from(transfer: Erc721Transfer) -> Self {
        Self::Erc721(transfer)
    }
}

impl From<Hip17Transfer> for TransferAsset {
    fn from(transfer: Hip17Transfer) -> Self {
        Self::Hip17(transfer)
    }
}

impl From<HtsTransfer> for TransferAsset {
    fn from(transfer: HtsTransfer) -> Self {
        Self::Hts(transfer)
    }
}

impl From<Sep41Transfer> for TransferAsset {
    fn from(transfer: Sep41Transfer) -> Self {
        Self::Sep41(transfer)
    }
}

impl From<SplTransfer> for TransferAsset {
    fn from(transfer: SplTransfer) -> Self {
        Self::Spl(transfer)
    }
}

impl From<Tep74Transfer> for TransferAsset {
    fn from(transfer: Tep74Transfer) -> Self {
        Self::Tep74(transfer)
    }
}

impl From<Trc10Transfer> for TransferAsset {
    fn from(transfer: Trc10Transfer) -> Self {
        Self::Trc10(transfer)
    }
}

impl From<Trc20Transfer> for TransferAsset {
    fn from(transfer: Trc20Transfer) -> Self {
        Self::Trc20(transfer)
    }
}

impl From<Trc721Transfer> for TransferAsset {
    fn from(transfer: Trc721Transfer) -> Self {
        Self::Trc721(transfer)
    }
}
request_body! {
    /// A serialized transaction to sign and broadcast ([`TransactionRequest::Transaction`]).
    pub struct RawTransaction {
        /// The unsigned transaction: hex, or the network's JSON form.
        transaction: Value;
        /// Your reference: sending the same body again answers the same transaction.
        external_id: String,
    }
}

request_body! {
    /// A legacy EVM transaction ([`TransactionRequest::Evm`]); Dfns fills what is unset.
    pub struct EvmTransaction {
        ;
        /// The destination or contract.
        to: String,
        /// The value in wei, a decimal or `0x` hex string.
        value: String,
        /// The call data, hex.
        data: String,
        /// The nonce, a decimal or `0x` hex string.
        nonce: String,
        /// The gas limit, a decimal or `0x` hex string.
        gas_limit: String,
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    /// An EIP-1559 EVM transaction ([`TransactionRequest::Eip1559`]); Dfns fills what is unset.
    pub struct Eip1559Transaction {
        ;
        /// The destination or contract.
        to: String,
        /// The value in wei, a decimal or `0x` hex string.
        value: String,
        /// The call data, hex.
        data: String,
        /// The nonce, a decimal or `0x` hex string.
        nonce: String,
        /// The gas limit.
        gas_limit: String,
        /// The maximum fee per gas.
        max_fee_per_gas: String,
        /// The maximum priority fee per gas.
        max_priority_fee_per_gas: String,
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    /// A Bitcoin PSBT ([`TransactionRequest::Psbt`]).
    pub struct PsbtTransaction {
        /// The PSBT, hex.
        psbt: String;
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    /// A transaction in the network's JSON form ([`TransactionRequest::Json`]).
    pub struct JsonTransaction {
        /// The transaction object.
        transaction: Value;
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    /// A Cosmos `SignDoc` in direct mode ([`TransactionRequest::SignDocDirect`]).
    pub struct SignDocTransaction {
        /// The `SignDoc`, hex.
        sign_doc: String;
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    /// One call of a sponsored transaction.
    pub struct UserOperation {
        /// The destination or contract.
        to: String;
        /// The value in wei.
        value: String,
        /// The call data, hex.
        data: String,
    }
}

request_body! {
    /// EVM calls whose fees a sponsor pays ([`TransactionRequest::UserOperations`]).
    pub struct UserOperationsTransaction {
        /// The calls.
        user_operations: Vec<UserOperation>,
        /// The fee sponsor.
        fee_sponsor_id: String;
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    /// Settles a Canton offer ([`TransactionRequest::SettleOffer`]).
    pub struct SettleOffer {
        /// The offer's transaction hash.
        tx_hash: String,
        /// Accept or reject.
        decision: OfferDecision;
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    /// Sets up a Canton transfer preapproval ([`TransactionRequest::TransferPreapproval`]).
    pub struct TransferPreapproval {
        ;
        /// Your reference.
        external_id: String,
    }
}

/// A transaction to sign and broadcast (the body of [`broadcast`]): one variant per `kind`.
///
/// ```
/// use dfns_blocking::api::wallets::{Eip1559Transaction, TransactionRequest};
///
/// let request = TransactionRequest::Eip1559(
///     Eip1559Transaction::new().to("0x00000000000000000000000000000000000000aa").value("1"),
/// );
/// assert_eq!(
///     serde_json::to_string(&request).unwrap(),
///     r#"{"kind":"Eip1559","to":"0x00000000000000000000000000000000000000aa","value":"1"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind")]
#[non_exhaustive]
pub enum TransactionRequest {
    /// A serialized transaction.
    Transaction(RawTransaction),
    /// A legacy EVM transaction.
    Evm(EvmTransaction),
    /// An EIP-1559 EVM transaction.
    Eip1559(Eip1559Transaction),
    /// A Bitcoin PSBT.
    Psbt(PsbtTransaction),
    /// A transaction as JSON.
    Json(JsonTransaction),
    /// A Cosmos `SignDoc`.
    SignDocDirect(SignDocTransaction),
    /// Sponsored EVM calls.
    UserOperations(UserOperationsTransaction),
    /// A Canton offer settlement.
    SettleOffer(SettleOffer),
    /// A Canton transfer preapproval.
    TransferPreapproval(TransferPreapproval),
}

query! {
    /// What to list with [`list`] and [`Wallets::iter`]: page size and owner.
    pub struct ListWallets {
        /// How many per page.
        limit: u32 = "limit" [exact],
        /// Only the wallets of this end user, by id or username.
        owner: String = "owner",
        /// Only the wallets of this end user (id); deprecated by Dfns for
        /// [`owner`](Self::owner).
        owner_id: String = "ownerId",
        /// Only the wallets of this end user (username); deprecated by Dfns for
        /// [`owner`](Self::owner).
        owner_username: String = "ownerUsername",
    }
}

request_body! {
    /// The body of [`bulk_create`]: the network, how many wallets and their name (Dfns numbers
    /// them after it).
    ///
    /// ```
    /// use dfns_blocking::api::wallets::BulkCreateWallets;
    ///
    /// let body = BulkCreateWallets::new("EthereumSepolia", 3u32, "deposit").tags(vec!["users".to_owned()]);
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"network":"EthereumSepolia","count":3,"name":"deposit","tags":["users"]}"#
    /// );
    /// ```
    pub struct BulkCreateWallets {
        /// The network (Dfns offers bulk creation on some EVM networks, Tron and Solana).
        network: Network,
        /// How many wallets to create.
        count: u32,
        /// The wallets' name.
        name: String;
        /// Tags for every wallet.
        tags: Vec<String>,
        /// The key store to create the master key in.
        keystore_id: String,
    }
}

model! {
    /// What [`bulk_create`] answers: the new job's id and status; follow it with
    /// [`get_bulk_job`].
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct BulkWalletJobHandle {
        /// The job's id.
        #[strict]
        pub id: String,
        /// Its status, as Dfns writes it (its clients do not enumerate the values).
        pub status: String,
    }
}

model! {
    /// A bulk wallet creation job: what it creates and how far it got.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct BulkWalletJob {
        /// The job's id.
        #[strict]
        pub id: String,
        /// The organisation's id.
        pub org_id: String,
        /// Its status, as Dfns writes it (its clients do not enumerate the values).
        pub status: String,
        /// The network the wallets are on.
        pub network: Option<Network>,
        /// The wallets' name.
        pub name_prefix: String,
        /// The wallets' tags.
        pub tags: Vec<String>,
        /// How many wallets the job creates.
        pub total_count: u64,
        /// How many it has created.
        pub completed_count: u64,
        /// The key store of the master key.
        pub keystore_id: String,
        /// The master key the wallets derive from, once made.
        pub master_key_id: Option<String>,
        /// Why the job failed or waits, if it did.
        pub reason: Option<String>,
        /// When the job is retried next, if it is.
        pub next_retry_date: Option<Timestamp>,
        /// Which attempt the next retry is.
        pub next_retry_attempt: Option<u64>,
        /// When it was created (ISO-8601 UTC).
        pub date_created: Timestamp,
        /// When it last changed.
        pub date_updated: Timestamp,
        /// When it finished, once it has.
        pub date_completed: Option<Timestamp>,
    }
}

query! {
    /// What to list with [`list_bulk_jobs`]: page size and status.
    pub struct ListBulkJobs {
        /// How many per page.
        limit: u32 = "limit" [exact],
        /// Only the jobs with this status.
        status: String = "status",
    }
}

query! {
    /// What to list with [`list_history`]: page size, direction, kind, contract.
    pub struct ListHistory {
        /// How many per page.
        limit: u32 = "limit" [exact],
        /// Only events in this direction.
        direction: Direction = "direction",
        /// Only events of this kind.
        kind: EventKind = "kind",
        /// Only events of this token contract.
        contract: String = "contract",
    }
}

/// What to list with [`list_all_history`]: the period (required by Dfns) and page size.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListAllHistory {
    /// The start (ISO-8601).
    pub start_time: String,
    /// The end (ISO-8601).
    pub end_time: String,
    /// How many per page.
    pub limit: Option<u32>,
}

impl ListAllHistory {
    /// The events between `start_time` and `end_time` (ISO-8601).
    pub fn new(start_time: impl Into<String>, end_time: impl Into<String>) -> Self {
        Self {
            start_time: start_time.into(),
            end_time: end_time.into(),
            limit: None,
        }
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
}

/// Whether an assets answer adds the total value of the holdings (Dfns's `netWorth` query),
/// for [`get_assets`] and
/// [`AddressWatches::get_assets`](super::address_watches::AddressWatches::get_assets).
///
/// ```no_run
/// use dfns_blocking::api::wallets::NetWorth;
/// # let client = dfns_blocking::Client::builder().build()?;
/// let assets = client.wallets().get_assets("wa-...", NetWorth::With)?;
/// println!("{:?}", assets.net_worth);
/// # Ok::<(), dfns_blocking::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NetWorth {
    /// The holdings only. The default.
    #[default]
    Without,
    /// The holdings and their total value.
    With,
}

impl NetWorth {
    /// The `netWorth` query parameter this adds, for [`with_query`].
    pub(crate) fn query(self) -> (&'static str, Option<String>) {
        (
            "netWorth",
            (self == NetWorth::With).then(|| "true".to_owned()),
        )
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::SampleArg<'_> for NetWorth {
    type Owned = NetWorth;
    fn owned() -> Vec<NetWorth> {
        vec![NetWorth::Without, NetWorth::With]
    }
    fn borrow(owned: &NetWorth) -> Self {
        *owned
    }
}

endpoints! {
    /// The wallet endpoints, and waiting for a transfer or transaction to land
    /// ([`wait_for_transfer`](Wallets::wait_for_transfer),
    /// [`wait_for_transaction`](Wallets::wait_for_transaction)).
    handle Wallets = Client::wallets, domain "wallets",
        reference "https://docs.dfns.co/api-reference/wallets";

    /// The organisation's wallets (`listWallets`).
    GET "/wallets" => list(; query: &ListWallets) -> Page<Wallet>, pages iter,
        query query;
    /// Creates a wallet, and its key unless [`CreateWallet::signing_key`] names one
    /// (`createWallet`).
    POST "/wallets" [signed] => create(; body: &CreateWallet) -> Wallet,
        body body;
    /// The organisation's on-chain events between two dates (`listOrgWalletHistory`).
    GET "/wallets/all/history"
        => list_all_history(; query: &ListAllHistory) -> Page<OrgHistoryEvent>,
        pages iter_all_history,
        with |request| Ok(with_query(request, &[
            ("startTime", Some(query.start_time.clone())),
            ("endTime", Some(query.end_time.clone())),
            ("limit", query.limit.map(|limit| limit.to_string())),
        ]));
    /// The organisation's bulk wallet creation jobs (`listBulkWalletJobs`).
    GET "/wallets/bulk-create"
        => list_bulk_jobs(; query: &ListBulkJobs) -> Page<BulkWalletJob>, pages iter_bulk_jobs,
        query query;
    /// Starts a job that creates `count` wallets on one network under a new master key; the
    /// answer is the job's id and status (`bulkCreateWallets`).
    POST "/wallets/bulk-create" [signed]
        => bulk_create(; body: &BulkCreateWallets) -> BulkWalletJobHandle,
        body body;
    /// Reads one bulk wallet creation job (`getBulkWalletJob`).
    GET "/wallets/bulk-create/{jobId}" => get_bulk_job(job_id) -> BulkWalletJob;
    /// The wallets a bulk creation job made so far (`listBulkWalletJobWallets`).
    GET "/wallets/bulk-create/{jobId}/wallets"
        => list_bulk_job_wallets(job_id; query: &ListPage) -> Page<Wallet>,
        pages iter_bulk_job_wallets,
        query query;
    /// Imports a key made elsewhere as a wallet (`importWallet`).
    POST "/wallets/import" [signed] => import(; body: &ImportWallet) -> Wallet,
        body body;
    /// Reads one wallet (`getWallet`).
    GET "/wallets/{walletId}" => get(wallet_id) -> Wallet;
    /// Renames a wallet or changes its reference (`updateWallet`).
    PUT "/wallets/{walletId}" [signed, idempotent]
        => update(wallet_id; body: &UpdateWallet) -> Wallet,
        body body;
    /// Activates a wallet on chain where the network needs it (Starknet, Concordium, Canton);
    /// the answer is the activating transaction (`activateWallet`).
    POST "/wallets/{walletId}/activate" [signed]
        => activate(wallet_id; body: &ActivateWallet) -> Transaction,
        body body;
    /// What the wallet holds; [`NetWorth::With`] adds the total value (`getWalletAssets`).
    GET "/wallets/{walletId}/assets" => get_assets(wallet_id; net_worth: NetWorth) -> WalletAssets,
        with |request| Ok(with_query(request, &[net_worth.query()]));
    /// Forwards a request to the Canton ledger API as the wallet's party; the body and the
    /// answer are Canton's, untyped (`cantonLedgerApiProxy`).
    POST "/wallets/{walletId}/canton/ledger-api"
        => canton_ledger_api(wallet_id; body: &Value) -> Value,
        body body;
    /// Gives a wallet to an end user (`delegateWallet`). Deprecated by Dfns: delegate the
    /// wallet's key with `POST /keys/{keyId}/delegate` instead.
    POST "/wallets/{walletId}/delegate" [signed, deprecated = "Dfns moved this to POST /keys/{keyId}/delegate (the keys domain)"]
        => delegate(wallet_id; body: &DelegateWallet) -> WalletDelegation,
        body body;
    /// Exports a wallet's key shares (`exportWallet`). Deprecated by Dfns: export the key
    /// with `POST /keys/{keyId}/export` instead.
    POST "/wallets/{walletId}/export" [signed, deprecated = "Dfns moved this to POST /keys/{keyId}/export (the keys domain)"]
        => export(wallet_id; body: &ExportWallet) -> ExportedWallet,
        body body;
    /// The wallet's on-chain events, newest first (`getWalletHistory`).
    GET "/wallets/{walletId}/history"
        => list_history(wallet_id; query: &ListHistory) -> Page<BlockchainEvent>,
        pages iter_history,
        query query;
    /// The NFTs the wallet holds (`getWalletNfts`).
    GET "/wallets/{walletId}/nfts" => get_nfts(wallet_id) -> WalletNfts;
    /// The offers made to the wallet (`listOffers`).
    GET "/wallets/{walletId}/offers"
        => list_offers(wallet_id; query: &ListPage) -> Page<Offer>, pages iter_offers,
        query query;
    /// Reads one offer (`getOffer`).
    GET "/wallets/{walletId}/offers/{offerId}" => get_offer(wallet_id, offer_id) -> Offer;
    /// Accepts an offer (`acceptOffer`).
    PUT "/wallets/{walletId}/offers/{offerId}/accept" [signed, idempotent]
        => accept_offer(wallet_id, offer_id) -> Offer;
    /// Rejects an offer (`rejectOffer`).
    PUT "/wallets/{walletId}/offers/{offerId}/reject" [signed, idempotent]
        => reject_offer(wallet_id, offer_id) -> Offer;
    /// One page of the signatures requested through the wallet (`listSignatures`), from the
    /// start or from `page_token`. Deprecated by Dfns: list them with
    /// `GET /keys/{keyId}/signatures` instead.
    GET "/wallets/{walletId}/signatures" [deprecated = "Dfns moved this to GET /keys/{keyId}/signatures (the keys domain)"]
        => list_signatures(wallet_id; query: &ListPage, page_token: Option<&str>)
        -> Page<WalletSignature>,
        with |request| Ok(with_query(request, &[
            ("limit", query.limit.map(|limit| limit.to_string())),
            ("paginationToken", page_token.map(str::to_owned)),
        ]));
    /// Asks for a signature with the wallet's key (`generateSignature`); `body` is a key
    /// signature request, the same as the keys domain's. Deprecated by Dfns: sign with
    /// `POST /keys/{keyId}/signatures` instead.
    POST "/wallets/{walletId}/signatures" [signed, external_id = "https://docs.dfns.co/api-reference/idempotency", deprecated = "Dfns moved this to POST /keys/{keyId}/signatures (the keys domain)"]
        => generate_signature(wallet_id; body: &super::keys::SignatureRequest) -> WalletSignature,
        body body;
    /// Reads one signature request (`getSignature`). Deprecated by Dfns: read it with
    /// `GET /keys/{keyId}/signatures/{signatureId}` instead.
    GET "/wallets/{walletId}/signatures/{signatureId}" [deprecated = "Dfns moved this to GET /keys/{keyId}/signatures/{signatureId} (the keys domain)"]
        => get_signature(wallet_id, signature_id) -> WalletSignature;
    /// Removes tags from a wallet (`untagWallet`).
    DELETE "/wallets/{walletId}/tags" [signed, idempotent]
        => untag(wallet_id; tags: &[String]) -> serde_json::Value,
        with |request| request.json(&Tags { tags }),
        answer |_ignored| () => ();
    /// Adds tags to a wallet (`tagWallet`).
    PUT "/wallets/{walletId}/tags" [signed, idempotent]
        => tag(wallet_id; tags: &[String]) -> serde_json::Value,
        with |request| request.json(&Tags { tags }),
        answer |_ignored| () => ();
    /// The wallet's transaction requests (`listTransactions`).
    GET "/wallets/{walletId}/transactions"
        => list_transactions(wallet_id; query: &ListPage) -> Page<Transaction>,
        pages iter_transactions,
        query query;
    /// Signs a transaction with the wallet's key and broadcasts it
    /// (`signAndBroadcastTransaction`). A policy may hold it: status `Pending` with an
    /// `approvalId`.
    POST "/wallets/{walletId}/transactions" [signed, external_id = "https://docs.dfns.co/api-reference/idempotency"]
        => broadcast(wallet_id; body: &TransactionRequest) -> Transaction,
        body body;
    /// Reads one transaction request (`getTransaction`).
    GET "/wallets/{walletId}/transactions/{transactionId}"
        => get_transaction(wallet_id, transaction_id) -> Transaction;
    /// Aborts a transaction request that is not broadcast yet (`abortTransaction`).
    PUT "/wallets/{walletId}/transactions/{transactionId}/abort" [signed, idempotent]
        => abort_transaction(wallet_id, transaction_id) -> Transaction;
    /// Replaces a broadcast EVM transaction by a zero self-transfer with its nonce
    /// (`cancelTransaction`).
    POST "/wallets/{walletId}/transactions/{transactionId}/cancel" [signed]
        => cancel_transaction(wallet_id, transaction_id) -> Transaction;
    /// Replaces a broadcast EVM transaction by the same one with higher fees
    /// (`speedUpTransaction`).
    POST "/wallets/{walletId}/transactions/{transactionId}/speed-up" [signed]
        => speed_up_transaction(wallet_id, transaction_id) -> Transaction;
    /// The wallet's transfer requests (`listTransfers`).
    GET "/wallets/{walletId}/transfers"
        => list_transfers(wallet_id; query: &ListPage) -> Page<Transfer>, pages iter_transfers,
        query query;
    /// Sends an asset (`transferAsset`). A policy may hold it: status `Pending` with an
    /// `approvalId`; [`Wallets::wait_for_transfer`] waits through that.
    POST "/wallets/{walletId}/transfers" [signed, external_id = "https://docs.dfns.co/api-reference/idempotency"]
        => transfer(wallet_id; body: &TransferAsset) -> Transfer,
        body body;
    /// Reads one transfer request (`getTransfer`).
    GET "/wallets/{walletId}/transfers/{transferId}"
        => get_transfer(wallet_id, transfer_id) -> Transfer;
    /// Aborts a transfer that is not broadcast yet (`abortTransfer`).
    PUT "/wallets/{walletId}/transfers/{transferId}/abort" [signed, idempotent]
        => abort_transfer(wallet_id, transfer_id) -> Transfer;
    /// Replaces a broadcast EVM transfer by a zero self-transfer with its nonce
    /// (`cancelTransfer`).
    POST "/wallets/{walletId}/transfers/{transferId}/cancel" [signed]
        => cancel_transfer(wallet_id, transfer_id) -> Transfer;
    /// Replaces a broadcast EVM transfer by the same one with higher fees (`speedUpTransfer`).
    POST "/wallets/{walletId}/transfers/{transferId}/speed-up" [signed]
        => speed_up_transfer(wallet_id, transfer_id) -> Transfer;
}

/// Where a transfer or transaction is, for [`poll`].
fn progress(status: Option<&RequestStatus>) -> Progress {
    match status {
        Some(RequestStatus::Confirmed) => Progress::Succeeded,
        Some(RequestStatus::Failed) => Progress::Failed(crate::error::WaitEnd::Failed),
        Some(RequestStatus::Rejected) => Progress::Failed(crate::error::WaitEnd::Rejected),
        _ => Progress::Pending,
    }
}

impl Wallets<'_> {
    /// Polls the transfer with back-off until it is `Confirmed` and answers it, waiting through
    /// policy approval (`Pending` with an `approvalId`) and broadcast. It only reads, so it is
    /// safe to call again.
    ///
    /// # Errors
    ///
    /// [`Error::WaitFailed`](crate::Error::WaitFailed) with the last record seen when the
    /// transfer failed, was rejected, or `wait`'s deadline passed; any error of
    /// [`get_transfer`](Self::get_transfer).
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use dfns_blocking::wait::Wait;
    /// # let client = dfns_blocking::Client::builder().build()?;
    /// let wait = Wait::new().timeout(Duration::from_secs(300));
    /// let transfer = client.wallets().wait_for_transfer("wa-...", "xfr-...", &wait)?;
    /// println!("{:?}", transfer.tx_hash);
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    #[inline]
    pub fn wait_for_transfer(
        &self,
        wallet_id: &str,
        transfer_id: &str,
        wait: &Wait,
    ) -> crate::Result<Transfer> {
        poll(
            wait,
            || self.get_transfer(wallet_id, transfer_id),
            |transfer| progress(transfer.status.as_ref()),
        )
    }

    /// Polls the transaction request with back-off until it is `Confirmed` and answers it, as
    /// [`wait_for_transfer`](Self::wait_for_transfer) does for transfers.
    ///
    /// # Errors
    ///
    /// As [`wait_for_transfer`](Self::wait_for_transfer).
    #[inline]
    pub fn wait_for_transaction(
        &self,
        wallet_id: &str,
        transaction_id: &str,
        wait: &Wait,
    ) -> crate::Result<Transaction> {
        poll(
            wait,
            || self.get_transaction(wallet_id, transaction_id),
            |transaction| progress(transaction.status.as_ref()),
        )
    }
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
sample_fields! {
    NewSigningKey { id, scheme, curve, store_id }
    SupportedScheme { protocol, curve }
    EncryptedKeyShare { signer_id, encrypted_key_share }
    ListAllHistory { start_time, end_time, limit }
}

sample_variants! {
    TransferAsset {
        Native(NativeTransfer),
        Asa(AsaTransfer),
        Aip21(Aip21Transfer),
        Asset(AssetTransfer),
        Coin(CoinTransfer),
        Erc20(Erc20Transfer),
        Erc721(Erc721Transfer),
        Hip17(Hip17Transfer),
        Hts(HtsTransfer),
        Sep41(Sep41Transfer),
        Spl(SplTransfer),
        Spl2022(SplTransfer),
        Tep74(Tep74Transfer),
        Trc10(Trc10Transfer),
        Trc20(Trc20Transfer),
        Trc721(Trc721Transfer),
    }
    TransactionRequest {
        Transaction(RawTransaction),
        Evm(EvmTransaction),
        Eip1559(Eip1559Transaction),
        Psbt(PsbtTransaction),
        Json(JsonTransaction),
        SignDocDirect(SignDocTransaction),
        UserOperations(UserOperationsTransaction),
        SettleOffer(SettleOffer),
        TransferPreapproval(TransferPreapproval),
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for TravelRule {
    fn samples() -> Vec<Self> {
        let object = || Value::Object(serde_json::Map::new());
        vec![Self::Notabene {
            originator: object(),
            beneficiary: object(),
            beneficiary_vasp_did: Some("did".to_owned()),
            beneficiary_proof: Some(object()),
        }]
    }
}
