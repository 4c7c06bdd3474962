//! Yields (`/yields`): putting a wallet's tokens to work in a yield protocol (0fns), and
//! depositing to or withdrawing from a position. Types follow Dfns's OpenAPI description
//! 1.578.2 (the reference table names the path parameter `{id}`; the spec `{yieldId}`).
//!
//! ```no_run
//! use dfns_blocking::api::swaps::SwapAsset;
//! use dfns_blocking::api::yields::{CreateYield, CreateYieldAction, YieldActionKind, YieldProtocol};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let usdc = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
//! let vault = "0x4c9edd5852cd905f086c759e8383e09bff1e68b3";
//! let position = client.yields().create(&CreateYield::new(
//!     YieldProtocol::ZeroFns,
//!     "wa-...",
//!     SwapAsset::erc20(usdc, "1000000000"),
//!     SwapAsset::erc20(vault, "999000000"),
//!     50,
//! ))?;
//! client.yields().create_action(&position.id, &CreateYieldAction::new(
//!     YieldActionKind::Withdraw,
//!     SwapAsset::erc20(vault, "500000000"),
//!     SwapAsset::erc20(usdc, "499000000"),
//!     50,
//! ))?;
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::policies::Requester;
use super::swaps::{QuotedAsset, SwapAsset, SwapStatus};
use super::{ListPage, or_default};
use crate::pagination::Page;
use crate::time::Timestamp;

open_enum! {
    /// The yield protocol (`protocol`).
    pub enum YieldProtocol {
        /// 0fns.
        ZeroFns = "0fns",
    }
}

open_enum! {
    /// What a yield action does (`kind`).
    pub enum YieldActionKind {
        /// Adds to the position.
        Deposit = "Deposit",
        /// Takes from the position.
        Withdraw = "Withdraw",
    }
}

request_body! {
    #![read]
    #![samples_by_hand]
    /// The body of [`create`]: opens a position by exchanging `source_asset` for the protocol's
    /// `target_asset` (Dfns accepts ERC-20 tokens here).
    ///
    /// ```
    /// use dfns_blocking::api::swaps::SwapAsset;
    /// use dfns_blocking::api::yields::{CreateYield, YieldProtocol};
    ///
    /// let body = CreateYield::new(
    ///     YieldProtocol::ZeroFns, "wa-1", SwapAsset::erc20("0xa", "10"), SwapAsset::erc20("0xb", "9"), 50,
    /// );
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["protocol"], "0fns");
    /// assert_eq!(json["sourceAsset"]["kind"], "Erc20");
    /// assert!(json.get("externalId").is_none());
    /// ```
    pub struct CreateYield {
        /// The protocol.
        protocol: YieldProtocol,
        /// The wallet investing.
        wallet_id: String,
        /// What is put in.
        source_asset: SwapAsset,
        /// What the protocol gives back for it, at least.
        target_asset: SwapAsset,
        /// The slippage accepted, in basis points.
        slippage_bps: u32 [exact];
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    #![read]
    /// The body of [`create_action`]: a deposit to or a withdrawal from a position.
    ///
    /// ```
    /// use dfns_blocking::api::swaps::SwapAsset;
    /// use dfns_blocking::api::yields::{CreateYieldAction, YieldActionKind};
    ///
    /// let body = CreateYieldAction::new(
    ///     YieldActionKind::Deposit, SwapAsset::erc20("0xa", "10"), SwapAsset::erc20("0xb", "9"), 50,
    /// ).external_id("top-up-1");
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["kind"], "Deposit");
    /// assert_eq!(json["externalId"], "top-up-1");
    /// ```
    pub struct CreateYieldAction {
        /// Deposit or withdrawal.
        kind: YieldActionKind,
        /// What is put in (the token for a deposit, the position's token for a withdrawal).
        source_asset: SwapAsset,
        /// What comes out, at least.
        target_asset: SwapAsset,
        /// The slippage accepted, in basis points.
        slippage_bps: u32 [exact];
        /// Your reference.
        external_id: String,
    }
}

model! {
    /// A deposit to or a withdrawal from a position.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct YieldAction {
        /// The action's id (`ylda-...`).
        #[strict]
        pub id: String,
        /// The position (`yld-...`).
        pub yield_id: String,
        /// Deposit or withdrawal.
        pub kind: Option<YieldActionKind>,
        /// Where it is.
        pub status: Option<SwapStatus>,
        /// Your reference.
        pub external_id: Option<String>,
        /// The request as sent: a [`CreateYieldAction`], or the [`CreateYield`] of the opening
        /// deposit.
        pub request_body: Option<serde_json::Value>,
        /// Who asked.
        pub requester: Requester,
        /// When it was asked.
        pub date_created: Timestamp,
    }
}

model! {
    /// A yield position.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Yield {
        /// The position's id (`yld-...`).
        #[strict]
        pub id: String,
        /// The wallet holding it.
        pub wallet_id: String,
        /// The protocol.
        pub protocol: Option<YieldProtocol>,
        /// What the position holds.
        pub amount: QuotedAsset,
        /// The rewards earned.
        pub rewards: QuotedAsset,
        /// Its actions (in the answers of [`create`], [`get`] and [`create_action`]; empty in
        /// lists, and then not serialized).
        #[serde(default, deserialize_with = "or_default", skip_serializing_if = "Vec::is_empty")]
        pub actions: Vec<YieldAction>,
        /// When it was opened.
        pub date_created: Timestamp,
    }
}

endpoints! {
    /// The yield endpoints.
    handle Yields = Client::yields, domain "yields",
        reference "https://docs.dfns.co/api-reference/yields";

    /// The positions.
    GET "/yields" => list(; query: &ListPage) -> Page<Yield>, pages iter,
        query query;
    /// Opens a position.
    POST "/yields" [signed] => create(; body: &CreateYield) -> Yield,
        body body;
    /// Reads one position, with its actions.
    GET "/yields/{id}" => get(id) -> Yield;
    /// The actions on a position.
    GET "/yields/{id}/actions" => list_actions(id; query: &ListPage) -> Page<YieldAction>,
        pages iter_actions,
        query query;
    /// Deposits to or withdraws from a position; the answer is the position.
    POST "/yields/{id}/actions" [signed]
        => create_action(id; body: &CreateYieldAction) -> Yield,
        body body;
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateYield {
    /// Between ERC-20 assets, the only kind a yield takes (`SwapAsset` also holds the kinds
    /// swaps and allocations take, which Dfns refuses here).
    fn samples() -> Vec<Self> {
        let erc20: Vec<SwapAsset> = SwapAsset::samples()
            .into_iter()
            .filter(|asset| matches!(asset, SwapAsset::Erc20 { .. }))
            .collect();
        YieldProtocol::samples()
            .into_iter()
            .enumerate()
            .map(|(i, protocol)| Self {
                protocol,
                wallet_id: "sample".to_owned(),
                source_asset: super::fidelity::nth(&erc20, i),
                target_asset: super::fidelity::nth(&erc20, i),
                slippage_bps: 50,
                external_id: Some("sample".to_owned()),
            })
            .collect()
    }
}
