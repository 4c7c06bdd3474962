//! The records the wallet endpoints answer with.

use super::*;

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
        pub timestamp: Timestamp,
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
        pub timestamp: Timestamp,
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
        pub timestamp: Timestamp,
        /// When it expires.
        pub expires_at: Option<Timestamp>,
        /// Its memo.
        pub memo: Option<String>,
        /// The transaction that settled it.
        pub settlement_transaction_id: Option<String>,
        /// When it was settled.
        pub date_settled: Option<Timestamp>,
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
        /// The request as sent: the [`TransferAsset`], or its JSON when this version of the
        /// crate does not read it.
        pub request_body: Echo<TransferAsset>,
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
        /// The request as sent: the [`TransactionRequest`], or its JSON when this version of
        /// the crate does not read it.
        pub request_body: Echo<TransactionRequest>,
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

/// A signature requested through a wallet (the deprecated [`generate_signature`]): the keys
/// domain's [`Signature`](crate::api::keys::Signature), which these endpoints answer.
#[deprecated(note = "the wallet signature endpoints answer keys::Signature; use that type")]
pub type WalletSignature = Signature;

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
