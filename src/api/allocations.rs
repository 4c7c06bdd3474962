//! Allocations (`/allocations`): putting a wallet's stablecoins in a DeFi protocol (the 0fns
//! order book, or vaults such as Sky sUSDS and Gauntlet USDC Prime), depositing to and
//! withdrawing from it, 0fns quotes and cancelling an unfilled 0fns order.
//!
//! ```no_run
//! use dfns_blocking::api::allocations::{
//!     AllocationActionKind, AllocationProtocol, CreateAllocation, CreateAllocationAction,
//! };
//! # let client = dfns_blocking::Client::builder().build()?;
//! // 1,000 USDC into Gauntlet USDC Prime.
//! let allocation = client.allocations().create(
//!     &CreateAllocation::vault("wa-...", AllocationProtocol::GauntletUsdcPrime, "1000000000"),
//! )?;
//! println!("{:?}", allocation.amount.asset.amount());
//! let rates = client.allocations().get_info()?;
//! if let Some(Some(info)) = rates.get("GauntletUsdcPrime") {
//!     println!("{}", info.rewards_rate);
//! }
//! client.allocations().create_action(
//!     &allocation.id,
//!     &CreateAllocationAction::vault(AllocationActionKind::Withdraw, "250000000"),
//! )?;
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::yields::YieldActionKind as AllocationActionKind;

use super::policies::Requester;
use super::swaps::{QuoteTarget, QuotedAsset, SwapAsset, SwapStatus};
use super::{ListPage, decimal_text};
use crate::pagination::Page;
use crate::time::Timestamp;

open_enum! {
    /// The protocol allocated to (`protocol`).
    pub enum AllocationProtocol {
        /// The 0fns order book (provider M0).
        ZeroFns = "0fns",
        /// Sky sUSDS (USDS).
        SkySusds = "SkySusds",
        /// Gauntlet USDC Prime on Ethereum.
        GauntletUsdcPrime = "GauntletUsdcPrime",
        /// Steakhouse USDT.
        SteakhouseUsdt = "SteakhouseUsdt",
        /// Gauntlet USDC Prime on Base.
        GauntletUsdcPrimeBase = "GauntletUsdcPrimeBase",
        /// Steakhouse USDC on Base.
        SteakhouseUsdcBase = "SteakhouseUsdcBase",
        /// Sentora PYUSD.
        SentoraPyusdMain = "SentoraPyusdMain",
    }
}

open_enum! {
    /// Who runs the protocol (`provider`).
    pub enum AllocationProvider {
        /// M0 (0fns).
        M0 = "M0",
        /// Yield.xyz (the vaults).
        YieldXyz = "Yield.xyz",
    }
}

request_body! {
    #![read]
    /// The body of [`create`]: from [`zero_fns`](Self::zero_fns) (an order exchanging a
    /// stablecoin for 0fns) or [`vault`](Self::vault) (an amount of the vault's token).
    ///
    /// ```
    /// use dfns_blocking::api::allocations::{AllocationProtocol, CreateAllocation};
    ///
    /// let body = CreateAllocation::vault("wa-1", AllocationProtocol::SkySusds, "10").external_id("a-1");
    /// assert_eq!(
    ///     serde_json::to_value(&body).unwrap(),
    ///     serde_json::json!({"walletId": "wa-1", "protocol": "SkySusds", "amount": "10",
    ///         "externalId": "a-1"})
    /// );
    /// ```
    pub struct CreateAllocation {
        /// The wallet allocating.
        wallet_id: String,
        /// The protocol.
        protocol: AllocationProtocol;
        /// The amount of the vault's token, in its smallest unit (vaults).
        amount: String,
        /// The stablecoin spent (0fns).
        source_asset: SwapAsset,
        /// The 0fns received, at least (0fns).
        target_asset: SwapAsset,
        /// The provider (Dfns picks the protocol's own when unset).
        provider: AllocationProvider,
        /// Your reference: Dfns creates one allocation per reference.
        external_id: String,
        /// A fee sponsor that pays the network fees.
        fee_sponsor_id: String,
    }
}

impl CreateAllocation {
    /// A 0fns order spending `source` (an ERC-20 stablecoin) for at least `target` (0fns).
    pub fn zero_fns(wallet_id: impl Into<String>, source: SwapAsset, target: SwapAsset) -> Self {
        Self::new(wallet_id, AllocationProtocol::ZeroFns)
            .source_asset(source)
            .target_asset(target)
    }

    /// `amount` (smallest unit) of the vault `protocol`'s token.
    pub fn vault(
        wallet_id: impl Into<String>,
        protocol: AllocationProtocol,
        amount: impl Into<String>,
    ) -> Self {
        Self::new(wallet_id, protocol).amount(amount)
    }
}

request_body! {
    #![read]
    /// The body of [`create_action`]: from [`zero_fns`](Self::zero_fns) or
    /// [`vault`](Self::vault), as the allocation's protocol.
    ///
    /// ```
    /// use dfns_blocking::api::allocations::{AllocationActionKind, CreateAllocationAction};
    ///
    /// let body = CreateAllocationAction::vault(AllocationActionKind::Deposit, "5");
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"kind":"Deposit","amount":"5"}"#);
    /// ```
    pub struct CreateAllocationAction {
        /// Deposit or withdrawal.
        kind: AllocationActionKind;
        /// The amount of the underlying token, in its smallest unit (vaults).
        amount: String,
        /// What is spent (0fns: the stablecoin to deposit, 0fns to withdraw).
        source_asset: SwapAsset,
        /// What is received, at least (0fns).
        target_asset: SwapAsset,
        /// Your reference.
        external_id: String,
        /// A fee sponsor that pays the network fees.
        fee_sponsor_id: String,
    }
}

impl CreateAllocationAction {
    /// A 0fns order spending `source` for at least `target`.
    pub fn zero_fns(kind: AllocationActionKind, source: SwapAsset, target: SwapAsset) -> Self {
        Self::new(kind).source_asset(source).target_asset(target)
    }

    /// `amount` (smallest unit) of a vault's underlying token.
    pub fn vault(kind: AllocationActionKind, amount: impl Into<String>) -> Self {
        Self::new(kind).amount(amount)
    }
}

model! {
    /// A deposit to or a withdrawal from an allocation.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AllocationAction {
        /// The action's id.
        #[strict]
        pub id: String,
        /// The allocation.
        pub allocation_id: String,
        /// Deposit or withdrawal.
        pub kind: Option<AllocationActionKind>,
        /// Where it is.
        pub status: Option<SwapStatus>,
        /// Your reference.
        pub external_id: Option<String>,
        /// Why it failed, when it did.
        pub failure_reason: Option<String>,
        /// The request as sent: a [`CreateAllocationAction`], or the [`CreateAllocation`] of the
        /// opening deposit.
        pub request_body: Option<serde_json::Value>,
        /// Who asked.
        pub requester: Requester,
        /// When it was asked.
        pub date_created: Timestamp,
    }
}

model! {
    /// An allocation.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Allocation {
        /// The allocation's id.
        #[strict]
        pub id: String,
        /// The wallet.
        pub wallet_id: String,
        /// The protocol.
        pub protocol: Option<AllocationProtocol>,
        /// The provider.
        pub provider: Option<AllocationProvider>,
        /// What is invested now.
        pub amount: QuotedAsset,
        /// The rewards earned so far.
        pub rewards: QuotedAsset,
        /// Its actions (in the answers of [`create`], [`get`] and [`create_action`]).
        pub actions: Vec<AllocationAction>,
        /// When it was made.
        pub date_created: Timestamp,
    }
}

request_body! {
    #![read]
    /// The body of [`quote`]: a 0fns order to price.
    pub struct CreateAllocationQuote {
        /// The wallet.
        wallet_id: String,
        /// The protocol (0fns).
        protocol: AllocationProtocol,
        /// Deposit or withdrawal.
        kind: AllocationActionKind,
        /// What is spent.
        source_asset: SwapAsset,
        /// What is wanted.
        target_asset: QuoteTarget;
    }
}

impl CreateAllocationQuote {
    /// A 0fns quote for spending `source` on `target`.
    pub fn zero_fns(
        wallet_id: impl Into<String>,
        kind: AllocationActionKind,
        source: SwapAsset,
        target: QuoteTarget,
    ) -> Self {
        Self::new(wallet_id, AllocationProtocol::ZeroFns, kind, source, target)
    }
}

model! {
    /// A 0fns quote at the current market price.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AllocationQuote {
        /// The wallet.
        pub wallet_id: String,
        /// The protocol.
        pub protocol: Option<AllocationProtocol>,
        /// Deposit or withdrawal.
        pub kind: Option<AllocationActionKind>,
        /// What is spent.
        pub source_asset: QuotedAsset,
        /// What would be received.
        pub target_asset: QuotedAsset,
        /// The estimated fill time, in seconds.
        pub est_fill_time: u64,
        /// When it was made.
        pub date_created: Timestamp,
    }
}

request_body! {
    #![read]
    /// The body of [`cancel_order_placement`].
    pub struct CancelOrderPlacement {
        /// The 0fns allocation action whose unfilled order is cancelled.
        allocation_action_id: String;
        /// Your reference.
        external_id: String,
        /// A fee sponsor that pays the network fees.
        fee_sponsor_id: String,
    }
}

model! {
    /// The answer of [`cancel_order_placement`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct OrderCancellation {
        /// The broadcast `cancelOrder` transaction.
        pub transaction_id: String,
    }
}

model! {
    /// What Dfns says of a protocol in [`get_info`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ProtocolInfo {
        /// The current rewards rate, a decimal string (Dfns sends a number).
        #[serde(default, deserialize_with = "decimal_text")]
        pub rewards_rate: String,
    }
}

endpoints! {
    /// The allocation endpoints.
    handle Allocations = Client::allocations, domain "allocations",
        reference "https://docs.dfns.co/api-reference/allocations";

    /// The allocations.
    GET "/allocations" => list(; query: &ListPage) -> Page<Allocation>, pages iter,
        query query;
    /// Allocates.
    POST "/allocations" [signed] => create(; body: &CreateAllocation) -> Allocation,
        body body;
    /// Cancels a 0fns order that is not filled yet.
    POST "/allocations/cancel-0fns-order-placement" [signed]
        => cancel_order_placement(; body: &CancelOrderPlacement) -> OrderCancellation,
        body body;
    /// Prices a 0fns order.
    POST "/allocations/get-0fns-quote" => quote(; body: &CreateAllocationQuote) -> AllocationQuote,
        body body;
    /// Each protocol's rewards rate, by protocol name (`None` where Dfns has none).
    GET "/allocations/info" => get_info() -> BTreeMap<String, Option<ProtocolInfo>>;
    /// Reads one allocation, with its actions.
    GET "/allocations/{allocationId}" => get(allocation_id) -> Allocation;
    /// An allocation's actions.
    GET "/allocations/{allocationId}/actions"
        => list_actions(allocation_id; query: &ListPage) -> Page<AllocationAction>,
        pages iter_actions,
        query query;
    /// Deposits to or withdraws from an allocation; the answer is the allocation.
    POST "/allocations/{allocationId}/actions" [signed]
        => create_action(allocation_id; body: &CreateAllocationAction) -> Allocation,
        body body;
}
