//! Address watches (`/address-watches`): following an address you do not hold (its assets,
//! its transfers and the contract events it takes part in). Fields follow
//! `newer-domains-types.md` (Dfns's Python client) and, for the nested shapes that file
//! leaves open, Dfns's TypeScript client (`packages/sdk/generated/addressWatches/types.ts`).
//! A history entry's common fields are typed; the fields only some kinds of transfer have
//! (a contract, a token id, a mint, ...) are kept in [`HistoryEntry::details`].
//!
//! ```no_run
//! use dfns_blocking::api::address_watches::{CreateAddressWatch, ListHistory};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let watch = client.address_watches().create(
//!     &CreateAddressWatch::new("Ethereum", "0xd8da6bf26964af9d7eed9e03e53415d37aa96045")
//!         .name("vitalik"),
//! )?;
//! for asset in client.address_watches().get_assets(&watch.id, false)?.assets {
//!     println!("{:?} {}", asset.symbol, asset.balance);
//! }
//! for entry in client.address_watches().iter_history(&watch.id, &ListHistory::new())? {
//!     let entry = entry?;
//!     println!("{} {:?} {:?}", entry.tx_hash, entry.direction, entry.value);
//! }
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::exchanges::AssetKind;
use super::{limit_query, or_default, with_query};
use crate::pagination::Page;
use crate::time::Timestamp;

open_enum! {
    /// Whether a watch is in use (`status`).
    pub enum AddressWatchStatus {
        /// Watched.
        Active = "Active",
        /// Deleted.
        Archived = "Archived",
    }
}

open_enum! {
    /// Whether an event is final (`status`).
    pub enum EventStatus {
        /// In a block that may still change.
        Included = "Included",
        /// Final.
        Confirmed = "Confirmed",
    }
}

open_enum! {
    /// Which way a transfer went (`direction`).
    pub enum Direction {
        /// To the watched address.
        In = "In",
        /// From the watched address.
        Out = "Out",
    }
}

/// An address watch.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AddressWatch {
    /// The watch's id.
    pub id: String,
    /// The network, as Dfns names it.
    #[serde(default, deserialize_with = "or_default")]
    pub network: String,
    /// The watched address.
    #[serde(default, deserialize_with = "or_default")]
    pub address: String,
    /// Its nickname.
    #[serde(default)]
    pub name: Option<String>,
    /// Your reference.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Its tags.
    #[serde(default, deserialize_with = "or_default")]
    pub tags: Vec<String>,
    /// Whether it is in use.
    #[serde(default, deserialize_with = "or_default")]
    pub status: Option<AddressWatchStatus>,
    /// When it was created.
    #[serde(default, deserialize_with = "or_default")]
    pub date_created: Timestamp,
    /// When it was deleted.
    #[serde(default)]
    pub date_deleted: Option<Timestamp>,
}

/// The body of [`create`].
///
/// ```
/// use dfns_blocking::api::address_watches::CreateAddressWatch;
///
/// let body = CreateAddressWatch::new("Base", "0xabc").tags(["treasury"]);
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"network":"Base","address":"0xabc","tags":["treasury"]}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateAddressWatch {
    /// The network (one that supports address watches).
    pub network: String,
    /// The address to watch.
    pub address: String,
    /// A nickname: lowercase letters, digits and dashes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Your reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

impl CreateAddressWatch {
    /// Watches `address` on `network`.
    pub fn new(network: impl Into<String>, address: impl Into<String>) -> Self {
        Self {
            network: network.into(),
            address: address.into(),
            name: None,
            external_id: None,
            tags: None,
        }
    }

    /// Sets the nickname.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets your reference.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// Sets the tags.
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }
}

/// An asset the watched address holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WatchedAsset {
    /// The asset.
    #[serde(flatten)]
    pub asset: AssetKind,
    /// Its symbol.
    #[serde(default)]
    pub symbol: Option<String>,
    /// How many decimals its smallest unit has.
    #[serde(default, deserialize_with = "or_default")]
    pub decimals: u32,
    /// Whether Dfns verified it as legitimate.
    #[serde(default)]
    pub verified: Option<bool>,
    /// The balance in the smallest unit, a decimal integer string.
    #[serde(default, deserialize_with = "or_default")]
    pub balance: String,
    /// Its price, by currency (`USD`).
    #[serde(default)]
    pub quotes: Option<BTreeMap<String, serde_json::Number>>,
}

/// The answer of [`get_assets`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WatchedAssets {
    /// The watch.
    #[serde(default, deserialize_with = "or_default")]
    pub address_watch_id: String,
    /// The network.
    #[serde(default, deserialize_with = "or_default")]
    pub network: String,
    /// The assets held.
    #[serde(default, deserialize_with = "or_default")]
    pub assets: Vec<WatchedAsset>,
    /// Their total value, by currency, when asked.
    #[serde(default)]
    pub net_worth: Option<BTreeMap<String, serde_json::Number>>,
}

/// A contract event the watched address took part in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BlockchainEvent {
    /// A deterministic id, safe to deduplicate on.
    pub id: String,
    /// The watch.
    #[serde(default, deserialize_with = "or_default")]
    pub address_watch_id: String,
    /// The network.
    #[serde(default, deserialize_with = "or_default")]
    pub network: String,
    /// The decoded event's name (`Transfer`, `Approval`, ...).
    #[serde(default, deserialize_with = "or_default")]
    pub name: String,
    /// The block.
    #[serde(default, deserialize_with = "or_default")]
    pub block_number: u64,
    /// The transaction.
    #[serde(default, deserialize_with = "or_default")]
    pub tx_hash: String,
    /// The log index in the block, a decimal string.
    #[serde(default, deserialize_with = "or_default")]
    pub index: String,
    /// When the block was made.
    #[serde(default, deserialize_with = "or_default")]
    pub timestamp: Timestamp,
    /// Whether it is final.
    #[serde(default, deserialize_with = "or_default")]
    pub status: Option<EventStatus>,
    /// The decoded event fields, the emitting contract included.
    #[serde(default, deserialize_with = "or_default")]
    pub data: serde_json::Map<String, serde_json::Value>,
}

/// What Dfns knows of an asset moved, or of the fee paid.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MovedAsset {
    /// Its symbol.
    #[serde(default)]
    pub symbol: Option<String>,
    /// How many decimals its smallest unit has.
    #[serde(default)]
    pub decimals: Option<u32>,
    /// Whether Dfns verified it.
    #[serde(default)]
    pub verified: Option<bool>,
    /// Its price in each currency at the time of the transfer.
    #[serde(default)]
    pub quotes: Option<BTreeMap<String, serde_json::Number>>,
}

/// The metadata of a history entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HistoryMetadata {
    /// The asset moved.
    #[serde(default, deserialize_with = "or_default")]
    pub asset: MovedAsset,
    /// The fee's asset.
    #[serde(default)]
    pub fee: Option<MovedAsset>,
}

/// A transfer to or from the watched address.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct HistoryEntry {
    /// The kind of transfer (`NativeTransfer`, `Erc20Transfer`, `SplTransfer`, ...).
    #[serde(default, deserialize_with = "or_default")]
    pub kind: String,
    /// The watch.
    #[serde(default, deserialize_with = "or_default")]
    pub address_watch_id: String,
    /// In or out.
    #[serde(default, deserialize_with = "or_default")]
    pub direction: Option<Direction>,
    /// The network.
    #[serde(default, deserialize_with = "or_default")]
    pub network: String,
    /// The block.
    #[serde(default, deserialize_with = "or_default")]
    pub block_number: u64,
    /// The transaction.
    #[serde(default, deserialize_with = "or_default")]
    pub tx_hash: String,
    /// The position in the transaction, when it has several.
    #[serde(default)]
    pub index: Option<String>,
    /// When the block was made.
    #[serde(default, deserialize_with = "or_default")]
    pub timestamp: Timestamp,
    /// Whether it is final.
    #[serde(default, deserialize_with = "or_default")]
    pub status: Option<EventStatus>,
    /// What Dfns knows of the asset and the fee.
    #[serde(default, deserialize_with = "or_default")]
    pub metadata: HistoryMetadata,
    /// The sender (absent for some kinds, such as UTXO transfers).
    #[serde(default)]
    pub from: Option<String>,
    /// The recipient.
    #[serde(default)]
    pub to: Option<String>,
    /// The amount in the smallest unit, a decimal integer string (absent for NFTs).
    #[serde(default)]
    pub value: Option<String>,
    /// The fee in the fee asset's smallest unit.
    #[serde(default)]
    pub fee: Option<String>,
    /// The fields of this kind of transfer only (`contract`, `tokenId`, `mint`, ...).
    #[serde(flatten)]
    pub details: serde_json::Map<String, serde_json::Value>,
}

query! {
    /// The filters of [`list_events`].
    pub struct ListEvents {
        /// How many per page.
        limit: u32 = "limit" [exact],
        /// Only events of this name.
        name: String = "name",
        /// Only events of this contract.
        contract: String = "contract",
        /// Only events of this transaction.
        tx_hash: String = "txHash",
    }
}

query! {
    /// The filters of [`list_history`].
    pub struct ListHistory {
        /// How many per page.
        limit: u32 = "limit" [exact],
        /// Only transfers in this direction.
        direction: Direction = "direction",
        /// Only transfers of this kind (`Erc20Transfer`, ...).
        kind: String = "kind",
        /// Only transfers of this token contract.
        contract: String = "contract",
    }
}

endpoints! {
    /// The address watch endpoints.
    handle AddressWatches = Client::address_watches, domain "address_watches";

    /// The watches.
    GET "/address-watches" => list(; limit: Option<u32>) -> Page<AddressWatch>, pages iter,
        with |request| Ok(with_query(request, &limit_query(limit)));
    /// Watches an address.
    POST "/address-watches" [signed] => create(; body: &CreateAddressWatch) -> AddressWatch,
        with |request| request.json(body);
    /// Stops watching (the answer is the archived watch).
    DELETE "/address-watches/{addressWatchId}" [signed] => delete(address_watch_id) -> AddressWatch;
    /// Reads one watch.
    GET "/address-watches/{addressWatchId}" => get(address_watch_id) -> AddressWatch;
    /// What the address holds; with `net_worth`, also its total value.
    GET "/address-watches/{addressWatchId}/assets"
        => get_assets(address_watch_id; net_worth: bool) -> WatchedAssets,
        with |request| Ok(with_query(request, &[("netWorth", net_worth.then(|| "true".to_owned()))]));
    /// The contract events the address took part in.
    GET "/address-watches/{addressWatchId}/blockchain-events"
        => list_events(address_watch_id; query: &ListEvents) -> Page<BlockchainEvent>,
        pages iter_events,
        with |request| Ok(with_query(request, &query.params()));
    /// The transfers to and from the address.
    GET "/address-watches/{addressWatchId}/history"
        => list_history(address_watch_id; query: &ListHistory) -> Page<HistoryEntry>,
        pages iter_history,
        with |request| Ok(with_query(request, &query.params()));
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
sample_fields! {
    CreateAddressWatch { network, address, name, external_id, tags }
}
