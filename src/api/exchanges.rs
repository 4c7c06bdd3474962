//! Exchanges (`/exchanges`): centralised exchange accounts (Binance, Kraken, Coinbase)
//! connected to the organisation, their accounts and balances, and moving funds between a
//! Dfns wallet and an exchange account (a deposit sends from the wallet, a withdrawal brings
//! back to it). Types follow Dfns's OpenAPI description 1.578.2.
//!
//! ```no_run
//! use dfns_blocking::api::ListPage;
//! use dfns_blocking::api::exchanges::{
//!     AssetKind, CreateExchange, ExchangeCredentials, ExchangeKind, ExchangeTransferRequest,
//! };
//! # let client = dfns_blocking::Client::builder().build()?;
//! let keys = ExchangeCredentials::new("public-key", "private-key");
//! let exchange = client.exchanges().create(
//!     &CreateExchange::new(ExchangeKind::Kraken, keys.clone(), keys).name("Treasury"),
//! )?;
//! for account in client.exchanges().iter_accounts(&exchange.id, &ListPage::new())? {
//!     let account = account?;
//!     let assets = client.exchanges().iter_assets(&exchange.id, &account.id, &ListPage::new())?;
//!     for asset in assets {
//!         let asset = asset?;
//!         println!("{} {}: {}", account.id, asset.symbol, asset.balance);
//!     }
//! }
//! // 0.5 ETH (in wei) from a wallet to the exchange account.
//! let deposit = ExchangeTransferRequest::new(AssetKind::Native, "wa-...", "500000000000000000");
//! client.exchanges().deposit(&exchange.id, "acc-...", &deposit)?;
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use super::networks::Network;

use serde::{Deserialize, Serialize};

use super::policies::Requester;
use super::{Echo, ListPage};
use crate::pagination::Page;
use crate::time::Timestamp;

open_enum! {
    /// Which exchange (`kind`).
    pub enum ExchangeKind {
        /// Binance.
        Binance = "Binance",
        /// Kraken.
        Kraken = "Kraken",
        /// Coinbase (retail app).
        CoinbaseApp = "CoinbaseApp",
        /// Coinbase Prime.
        CoinbasePrime = "CoinbasePrime",
    }
}

open_enum! {
    /// Which way an exchange transfer goes (`kind`).
    pub enum ExchangeTransferKind {
        /// From the exchange account to a Dfns wallet.
        Withdrawal = "Withdrawal",
        /// From a Dfns wallet to the exchange account.
        Deposit = "Deposit",
    }
}

open_enum! {
    /// How fast (and at what fee) an EVM or native transfer is sent (`priority`).
    pub enum TransferPriority {
        /// Lowest fee.
        Slow = "Slow",
        /// The usual fee.
        Standard = "Standard",
        /// Highest fee.
        Fast = "Fast",
    }
}

model! {
    /// A connected exchange.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Exchange {
        /// The exchange's id (`ex-...`).
        #[strict]
        pub id: String,
        /// Which exchange; unknown ones are kept.
        pub kind: Option<ExchangeKind>,
        /// Your name for it.
        pub name: Option<String>,
        /// When it was connected.
        pub date_created: Timestamp,
    }
}

request_body! {
    /// API keys of an exchange: one pair to read balances, one to move funds. `Debug` hides
    /// everything but the public key.
    ///
    /// ```
    /// use dfns_blocking::api::exchanges::ExchangeCredentials;
    ///
    /// let keys = ExchangeCredentials::new("pub", "very-secret").password("hunter2");
    /// assert!(!format!("{keys:?}").contains("secret"));
    /// assert!(!format!("{keys:?}").contains("hunter2"));
    /// ```
    pub struct ExchangeCredentials {
        /// The public API key.
        public_api_key: String,
        /// The private API key.
        private_api_key: String [secret];
        /// The API key's password, for exchanges that have one.
        password: String [secret],
        /// A one-time code, for exchanges that ask one.
        otp: String [secret],
    }
}

request_body! {
    /// The body of [`create`].
    ///
    /// ```
    /// use dfns_blocking::api::exchanges::{CreateExchange, ExchangeCredentials, ExchangeKind};
    ///
    /// let keys = ExchangeCredentials::new("pub", "priv");
    /// let body = CreateExchange::new(ExchangeKind::Binance, keys.clone(), keys);
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["kind"], "Binance");
    /// assert_eq!(json["writeConfiguration"]["privateApiKey"], "priv");
    /// ```
    pub struct CreateExchange {
        /// Which exchange.
        kind: ExchangeKind,
        /// The read-only key pair.
        read_configuration: ExchangeCredentials,
        /// The key pair allowed to move funds.
        write_configuration: ExchangeCredentials;
        /// Your name for it.
        name: String,
    }
}

model! {
    /// The answer of [`delete`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct Deleted {
        /// Always `true`.
        pub deleted: bool,
    }
}

model! {
    /// An account at an exchange (spot, funding, ...).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ExchangeAccount {
        /// The account's id at the exchange.
        #[strict]
        pub id: String,
        /// The exchange (`ex-...`).
        pub exchange_id: String,
        /// The exchange's name.
        pub exchange_name: Option<String>,
        /// The account's name.
        pub name: Option<String>,
    }
}

model! {
    /// An asset held in an exchange account.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ExchangeAsset {
        /// The exchange's symbol (`BTC`), the `asset` of [`list_withdrawal_networks`].
        pub symbol: String,
        /// The balance, a decimal string in the asset's unit as the exchange states it.
        pub balance: String,
    }
}

/// An asset by `kind`: the network's native coin or a token and its identifier (what an
/// exchange moves; also what an address watch holds). In an answer, a kind this version does
/// not know reads as [`Other`](Self::Other).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum AssetKind {
    /// The network's native coin.
    Native,
    /// An Aptos fungible asset (AIP-21).
    Aip21 {
        /// The asset's metadata address.
        metadata: String,
    },
    /// An Algorand standard asset.
    Asa {
        /// The asset id (digits).
        asset_id: String,
    },
    /// An ERC-20 token.
    Erc20 {
        /// The token contract (`0x...`).
        contract: String,
    },
    /// A TRC-20 token.
    Trc20 {
        /// The token contract (`T...`).
        contract: String,
    },
    /// A TRC-10 token.
    Trc10 {
        /// The token id (digits).
        token_id: String,
    },
    /// A Hedera token.
    Hts {
        /// The token id.
        token_id: String,
    },
    /// A Sui coin.
    Coin {
        /// The coin type.
        coin: String,
    },
    /// A locked Sui coin.
    LockedCoin {
        /// The coin type.
        coin: String,
    },
    /// A Polkadot-family asset.
    Asset {
        /// The asset id.
        asset_id: String,
    },
    /// A Stellar asset (SEP-41).
    Sep41 {
        /// The asset code.
        asset_code: String,
        /// The issuing account.
        issuer: String,
    },
    /// A Solana SPL token.
    Spl {
        /// The mint address.
        mint: String,
    },
    /// A Solana Token-2022 token.
    Spl2022 {
        /// The mint address.
        mint: String,
    },
    /// A TON jetton (TEP-74).
    Tep74 {
        /// The jetton master address.
        master: String,
    },
    /// A Concordium CIS-2 token.
    Cis2 {
        /// The token address.
        token_address: String,
    },
    /// A Concordium CIS-7 token.
    Cis7 {
        /// The token id.
        token_id: String,
    },
    /// A Starknet SNIP-2 token.
    Snip2 {
        /// The token contract.
        contract: String,
    },
    /// A confidential ERC-7984 token.
    Erc7984 {
        /// The token contract.
        contract: String,
    },
    /// An XRP Ledger issued currency.
    Iou {
        /// The currency code.
        currency: String,
        /// The issuing account.
        issuer: String,
    },
    /// An XRP Ledger multi-purpose token (XLS-33).
    Xls33 {
        /// The issuance id.
        issuance_id: String,
    },
    /// A Canton CIP-56 token.
    Cip56 {
        /// The instrument id.
        instrument_id: String,
        /// The instrument's administrator.
        instrument_admin: String,
    },
    /// A kind this version of the crate does not know (in answers only).
    #[serde(other)]
    Other,
}

model! {
    /// A network an exchange can withdraw an asset to, and the asset's form there.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct WithdrawalNetwork {
        /// The asset on that network.
        #[serde(flatten)]
        pub asset: AssetKind,
        /// The network, as Dfns names it (`Ethereum`, `Bitcoin`, ...).
        pub network: Network,
        /// The asset's decimals on that network.
        pub decimals: u32,
    }
}

/// A travel rule record sent with a transfer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum TravelRule {
    /// Through Notabene; the parties as Notabene's API describes them.
    Notabene {
        /// The originator.
        originator: serde_json::Map<String, serde_json::Value>,
        /// The beneficiary.
        beneficiary: serde_json::Map<String, serde_json::Value>,
        /// A proof of the beneficiary's ownership of the address.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        beneficiary_proof: Option<serde_json::Map<String, serde_json::Value>>,
        /// The beneficiary VASP's DID.
        #[serde(
            default,
            rename = "beneficiaryVASPdid",
            skip_serializing_if = "Option::is_none"
        )]
        beneficiary_vasp_did: Option<String>,
    },
}

request_body! {
    #![read]
    #![samples_by_hand]
    /// The body of [`deposit`] and [`withdraw`]: which asset, from or to which wallet, how much.
    /// Dfns accepts `priority` for native and ERC-20 transfers, `create_destination_account` for
    /// native and SPL ones, and `offer`, `expires_at` and `target_chain` for native ones.
    ///
    /// ```
    /// use dfns_blocking::api::exchanges::{AssetKind, ExchangeTransferRequest};
    ///
    /// let usdc = AssetKind::Erc20 { contract: "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48".into() };
    /// let body = ExchangeTransferRequest::new(usdc, "wa-1", "1000000").external_id("payroll-7");
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["kind"], "Erc20");
    /// assert_eq!(json["contract"], "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48");
    /// assert_eq!(json["amount"], "1000000");
    /// assert_eq!(json["externalId"], "payroll-7");
    /// assert!(json.get("otp").is_none());
    /// ```
    pub struct ExchangeTransferRequest {
        /// The asset (`kind` and its identifier).
        #[serde(flatten)]
        asset: AssetKind,
        /// The Dfns wallet sending (deposit) or receiving (withdrawal).
        wallet_id: String,
        /// The amount in the asset's smallest unit, a decimal integer string.
        amount: String;
        /// Your reference: Dfns refuses a second request with the same one.
        external_id: String,
        /// A fee sponsor that pays the network fee.
        fee_sponsor_id: String,
        /// The exchange's one-time code, when it asks one.
        otp: String [secret],
        /// The fee level.
        priority: TransferPriority,
        /// Travel rule information.
        travel_rule: TravelRule,
        /// Creates the destination's token account when missing.
        create_destination_account: bool [exact],
        /// Makes an offer the recipient accepts, where the network has them.
        offer: bool [exact],
        /// When the transfer expires (ISO 8601).
        expires_at: Timestamp,
        /// The destination chain, where a network has several.
        target_chain: String,
    }
}

model! {
    /// A deposit to or a withdrawal from an exchange account.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ExchangeTransfer {
        /// The exchange transfer's id.
        #[strict]
        pub id: String,
        /// Deposit or withdrawal.
        pub kind: Option<ExchangeTransferKind>,
        /// The exchange (`ex-...`).
        pub exchange_id: String,
        /// The exchange account.
        pub account_id: String,
        /// The Dfns wallet.
        pub wallet_id: String,
        /// The wallet transfer that moves the funds (for a deposit), once made.
        pub transfer_id: Option<String>,
        /// The exchange's own reference for the movement.
        pub exchange_reference: Option<String>,
        /// The request as sent: the typed request, or its JSON when this version cannot read it.
        pub request_body: Echo<ExchangeTransferRequest>,
        /// Who asked.
        pub requester: Requester,
        /// When it was asked.
        pub date_created: Timestamp,
    }
}

endpoints! {
    /// The exchange endpoints.
    handle Exchanges = Client::exchanges, domain "exchanges",
        reference "https://docs.dfns.co/api-reference/exchanges";

    /// The connected exchanges.
    GET "/exchanges" => list(; query: &ListPage) -> Page<Exchange>, pages iter,
        query query;
    /// Connects an exchange with its API keys.
    POST "/exchanges" [signed] => create(; body: &CreateExchange) -> Exchange,
        body body;
    /// Reads one exchange.
    GET "/exchanges/{exchangeId}" => get(exchange_id) -> Exchange;
    /// Disconnects an exchange.
    DELETE "/exchanges/{exchangeId}" [signed] => delete(exchange_id) -> Deleted;
    /// The exchange's accounts.
    GET "/exchanges/{exchangeId}/accounts"
        => list_accounts(exchange_id; query: &ListPage) -> Page<ExchangeAccount>,
        pages iter_accounts,
        query query;
    /// The assets and balances of an account.
    GET "/exchanges/{exchangeId}/accounts/{accountId}/assets"
        => list_assets(exchange_id, account_id; query: &ListPage) -> Page<ExchangeAsset>,
        pages iter_assets,
        query query;
    /// The networks the exchange can withdraw an asset (its symbol) to.
    GET "/exchanges/{exchangeId}/accounts/{accountId}/assets/{asset}/withdrawal-networks"
        => list_withdrawal_networks(exchange_id, account_id, asset) -> Vec<WithdrawalNetwork>;
    /// Sends funds from a Dfns wallet to the exchange account.
    POST "/exchanges/{exchangeId}/accounts/{accountId}/deposits" [signed]
        => deposit(exchange_id, account_id; body: &ExchangeTransferRequest) -> ExchangeTransfer,
        body body;
    /// Brings funds from the exchange account to a Dfns wallet.
    POST "/exchanges/{exchangeId}/accounts/{accountId}/withdrawals" [signed]
        => withdraw(exchange_id, account_id; body: &ExchangeTransferRequest) -> ExchangeTransfer,
        body body;
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for TravelRule {
    fn samples() -> Vec<Self> {
        vec![Self::Notabene {
            originator: serde_json::Map::new(),
            beneficiary: serde_json::Map::new(),
            beneficiary_proof: Some(serde_json::Map::new()),
            beneficiary_vasp_did: Some("did".to_owned()),
        }]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for AssetKind {
    /// Every kind but `Other` (what an answer's unknown kind reads as).
    fn samples() -> Vec<Self> {
        let s = || "sample".to_owned();
        vec![
            Self::Native,
            Self::Aip21 { metadata: s() },
            Self::Asa { asset_id: s() },
            Self::Erc20 { contract: s() },
            Self::Trc20 { contract: s() },
            Self::Trc10 { token_id: s() },
            Self::Hts { token_id: s() },
            Self::Coin { coin: s() },
            Self::LockedCoin { coin: s() },
            Self::Asset { asset_id: s() },
            Self::Sep41 {
                asset_code: s(),
                issuer: s(),
            },
            Self::Spl { mint: s() },
            Self::Spl2022 { mint: s() },
            Self::Tep74 { master: s() },
            Self::Cis2 { token_address: s() },
            Self::Cis7 { token_id: s() },
            Self::Snip2 { contract: s() },
            Self::Erc7984 { contract: s() },
            Self::Iou {
                currency: s(),
                issuer: s(),
            },
            Self::Xls33 { issuance_id: s() },
            Self::Cip56 {
                instrument_id: s(),
                instrument_admin: s(),
            },
        ]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for ExchangeTransferRequest {
    /// Every optional field set, for each kind an exchange moves (`Native`, `Erc20`, `Trc10`,
    /// `Trc20`, `Asa`, `Sep41`, `Spl`, `Tep74`): `AssetKind` also holds the kinds only address
    /// watches and payins use, which Dfns refuses here. The Canton offer and the destination
    /// account options go with a native transfer only, the fee level with native and ERC-20
    /// transfers, as the spec's branches say.
    fn samples() -> Vec<Self> {
        let s = || "sample".to_owned();
        let priorities = TransferPriority::samples();
        AssetKind::samples()
            .into_iter()
            .filter(|asset| {
                matches!(
                    asset,
                    AssetKind::Native
                        | AssetKind::Erc20 { .. }
                        | AssetKind::Trc10 { .. }
                        | AssetKind::Trc20 { .. }
                        | AssetKind::Asa { .. }
                        | AssetKind::Sep41 { .. }
                        | AssetKind::Spl { .. }
                        | AssetKind::Tep74 { .. }
                )
            })
            .enumerate()
            .map(|(i, asset)| {
                // What only a native transfer takes, and the fee level only native and ERC-20
                // transfers take.
                let native = asset == AssetKind::Native;
                let priced = native || matches!(asset, AssetKind::Erc20 { .. });
                Self {
                    asset,
                    wallet_id: s(),
                    amount: s(),
                    external_id: Some(s()),
                    fee_sponsor_id: Some(s()),
                    otp: Some(super::AccessToken::new("123456")),
                    priority: priced.then(|| super::fidelity::nth(&priorities, i)),
                    travel_rule: TravelRule::samples().into_iter().next(),
                    create_destination_account: native.then_some(true),
                    offer: native.then_some(true),
                    expires_at: native.then(|| Timestamp::from(std::time::UNIX_EPOCH)),
                    target_chain: native.then(s),
                }
            })
            .collect()
    }
}
