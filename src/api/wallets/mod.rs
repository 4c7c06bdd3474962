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

use super::Echo;
pub use super::ListPage;
use super::keys::Signature;
pub use super::keys::{
    EncryptedKeyShare, KeyCurve, KeyProtocol, KeyScheme, Requester, SignatureComponents,
    SignatureStatus, SupportedScheme,
};
pub use super::networks::Network;
use super::with_query;
use crate::pagination::Page;
use crate::time::Timestamp;
use crate::wait::{Progress, Wait, poll};

mod models;
mod requests;
mod transfers;

pub use models::*;
pub use requests::*;
pub use transfers::*;

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

/// Prices of an asset at the time, by currency (`USD`, `EUR`).
pub type Quotes = BTreeMap<String, f64>;

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

/// The body of [`tag`] and [`untag`].
#[derive(Serialize)]
struct Tags<'a> {
    tags: &'a [String],
}

/// A travel rule payload attached to a transfer (Notabene).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

kind_enum! {
    #![read]
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
}

query! {
    /// What to list with [`list_all_history`]: the period (required by Dfns) and page size.
    pub struct ListAllHistory {
        /// The start of the period.
        start_time: Timestamp = "startTime",
        /// The end of the period.
        end_time: Timestamp = "endTime";
        /// How many per page.
        limit: u32 = "limit" [exact],
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
        query query;
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
        -> Page<Signature>,
        with |request| Ok(with_query(request, &[
            ("limit", query.limit.map(|limit| limit.to_string())),
            ("paginationToken", page_token.map(str::to_owned)),
        ]));
    /// Asks for a signature with the wallet's key (`generateSignature`); `body` is a key
    /// signature request, the same as the keys domain's. Deprecated by Dfns: sign with
    /// `POST /keys/{keyId}/signatures` instead.
    POST "/wallets/{walletId}/signatures" [signed, external_id = "https://docs.dfns.co/api-reference/idempotency", deprecated = "Dfns moved this to POST /keys/{keyId}/signatures (the keys domain)"]
        => generate_signature(wallet_id; body: &super::keys::SignatureRequest) -> Signature,
        body body;
    /// Reads one signature request (`getSignature`). Deprecated by Dfns: read it with
    /// `GET /keys/{keyId}/signatures/{signatureId}` instead.
    GET "/wallets/{walletId}/signatures/{signatureId}" [deprecated = "Dfns moved this to GET /keys/{keyId}/signatures/{signatureId} (the keys domain)"]
        => get_signature(wallet_id, signature_id) -> Signature;
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
