//! Address watches (`/address-watches`): following an address you do not hold (its assets,
//! its transfers and the contract events it takes part in). A history entry's common fields are typed; the fields only some kinds of transfer have
//! (a contract, a token id, a mint, ...) are kept in [`HistoryEntry::details`].
//!
//! ```no_run
//! use dfns_blocking::api::address_watches::{CreateAddressWatch, ListHistory, NetWorth};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let watch = client.address_watches().create(
//!     &CreateAddressWatch::new("Ethereum", "0xd8da6bf26964af9d7eed9e03e53415d37aa96045")
//!         .name("vitalik"),
//! )?;
//! for asset in client.address_watches().get_assets(&watch.id, NetWorth::Without)?.assets {
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
use super::networks::Network;
pub use super::wallets::NetWorth;
use super::{ListPage, with_query};
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

model! {
    /// An address watch.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AddressWatch {
        /// The watch's id.
        #[strict]
        pub id: String,
        /// The network, as Dfns names it.
        pub network: Network,
        /// The watched address.
        pub address: String,
        /// Its nickname.
        pub name: Option<String>,
        /// Your reference.
        pub external_id: Option<String>,
        /// Its tags.
        pub tags: Vec<String>,
        /// Whether it is in use.
        pub status: Option<AddressWatchStatus>,
        /// When it was created.
        pub date_created: Timestamp,
        /// When it was deleted.
        pub date_deleted: Option<Timestamp>,
    }
}

request_body! {
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
    pub struct CreateAddressWatch {
        /// The network (one that supports address watches).
        network: Network,
        /// The address to watch.
        address: String;
        /// A nickname: lowercase letters, digits and dashes.
        name: String,
        /// Your reference.
        external_id: String,
        /// Tags.
        tags: String [list],
    }
}

model! {
    /// An asset the watched address holds.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct WatchedAsset {
        /// The asset.
        #[serde(flatten)]
        pub asset: AssetKind,
        /// Its symbol.
        pub symbol: Option<String>,
        /// How many decimals its smallest unit has.
        pub decimals: u32,
        /// Whether Dfns verified it as legitimate.
        pub verified: Option<bool>,
        /// The balance in the smallest unit, a decimal integer string.
        pub balance: String,
        /// Its price, by currency (`USD`).
        pub quotes: Option<BTreeMap<String, serde_json::Number>>,
    }
}

model! {
    /// The answer of [`get_assets`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct WatchedAssets {
        /// The watch.
        pub address_watch_id: String,
        /// The network.
        pub network: Network,
        /// The assets held.
        pub assets: Vec<WatchedAsset>,
        /// Their total value, by currency, when asked.
        pub net_worth: Option<BTreeMap<String, serde_json::Number>>,
    }
}

model! {
    /// A contract event the watched address took part in.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct BlockchainEvent {
        /// A deterministic id, safe to deduplicate on.
        #[strict]
        pub id: String,
        /// The watch.
        pub address_watch_id: String,
        /// The network.
        pub network: Network,
        /// The decoded event's name (`Transfer`, `Approval`, ...).
        pub name: String,
        /// The block.
        pub block_number: u64,
        /// The transaction.
        pub tx_hash: String,
        /// The log index in the block, a decimal string.
        pub index: String,
        /// When the block was made.
        pub timestamp: Timestamp,
        /// Whether it is final.
        pub status: Option<EventStatus>,
        /// The decoded event fields, the emitting contract included.
        pub data: serde_json::Map<String, serde_json::Value>,
    }
}

model! {
    /// What Dfns knows of an asset moved, or of the fee paid.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct MovedAsset {
        /// Its symbol.
        pub symbol: Option<String>,
        /// How many decimals its smallest unit has.
        pub decimals: Option<u32>,
        /// Whether Dfns verified it.
        pub verified: Option<bool>,
        /// Its price in each currency at the time of the transfer.
        pub quotes: Option<BTreeMap<String, serde_json::Number>>,
    }
}

model! {
    /// The metadata of a history entry.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct HistoryMetadata {
        /// The asset moved.
        pub asset: MovedAsset,
        /// The fee's asset.
        pub fee: Option<MovedAsset>,
    }
}

model! {
    /// A transfer to or from the watched address.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct HistoryEntry {
        /// The kind of transfer (`NativeTransfer`, `Erc20Transfer`, `SplTransfer`, ...).
        pub kind: String,
        /// The watch.
        pub address_watch_id: String,
        /// In or out.
        pub direction: Option<Direction>,
        /// The network.
        pub network: Network,
        /// The block.
        pub block_number: u64,
        /// The transaction.
        pub tx_hash: String,
        /// The position in the transaction, when it has several.
        pub index: Option<String>,
        /// When the block was made.
        pub timestamp: Timestamp,
        /// Whether it is final.
        pub status: Option<EventStatus>,
        /// What Dfns knows of the asset and the fee.
        pub metadata: HistoryMetadata,
        /// The sender (absent for some kinds, such as UTXO transfers).
        pub from: Option<String>,
        /// The recipient.
        pub to: Option<String>,
        /// The amount in the smallest unit, a decimal integer string (absent for NFTs).
        pub value: Option<String>,
        /// The fee in the fee asset's smallest unit.
        pub fee: Option<String>,
        /// The fields of this kind of transfer only (`contract`, `tokenId`, `mint`, ...).
        #[serde(flatten)]
        pub details: serde_json::Map<String, serde_json::Value>,
    }
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
    handle AddressWatches = Client::address_watches, domain "address_watches",
        reference "https://docs.dfns.co/api-reference/address-watches";

    /// The watches.
    GET "/address-watches" => list(; query: &ListPage) -> Page<AddressWatch>, pages iter,
        query query;
    /// Watches an address.
    POST "/address-watches" [signed] => create(; body: &CreateAddressWatch) -> AddressWatch,
        body body;
    /// Stops watching (the answer is the archived watch).
    DELETE "/address-watches/{addressWatchId}" [signed] => delete(address_watch_id) -> AddressWatch;
    /// Reads one watch.
    GET "/address-watches/{addressWatchId}" => get(address_watch_id) -> AddressWatch;
    /// What the address holds; with `net_worth`, also its total value.
    GET "/address-watches/{addressWatchId}/assets"
        => get_assets(address_watch_id; net_worth: NetWorth) -> WatchedAssets,
        with |request| Ok(with_query(request, &[net_worth.query()]));
    /// The contract events the address took part in.
    GET "/address-watches/{addressWatchId}/blockchain-events"
        => list_events(address_watch_id; query: &ListEvents) -> Page<BlockchainEvent>,
        pages iter_events,
        query query;
    /// The transfers to and from the address.
    GET "/address-watches/{addressWatchId}/history"
        => list_history(address_watch_id; query: &ListHistory) -> Page<HistoryEntry>,
        pages iter_history,
        query query;
}
