//! Swaps (`/swaps`): exchanging one asset of a wallet for another through a provider
//! (Uniswap): ask a quote, then execute it. Types follow Dfns's OpenAPI description 1.578.2.
//!
//! ```no_run
//! use dfns_blocking::api::swaps::{CreateSwap, CreateSwapQuote, QuoteTarget, SwapAsset, SwapProvider};
//! # let client = dfns_blocking::Client::builder().build()?;
//! // 1 ETH for USDC, 0.5% slippage.
//! let quote = client.swaps().quote(&CreateSwapQuote::new(
//!     SwapProvider::UniswapClassic,
//!     "wa-...",
//!     SwapAsset::native("1000000000000000000"),
//!     QuoteTarget::erc20("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"),
//!     50,
//! ))?;
//! println!("{} USDC units", quote.target_asset.asset.amount().unwrap_or("?"));
//! let swap = client.swaps().create(&CreateSwap::from_quote(&quote).reference("rebalance-3"))?;
//! println!("{:?}", swap.status);
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use super::networks::Network;
use serde::{Deserialize, Serialize};

use super::policies::Requester;
use super::{Echo, ListPage};
use crate::pagination::Page;
use crate::time::Timestamp;

open_enum! {
    /// Who executes a swap (`provider`).
    pub enum SwapProvider {
        /// UniswapX (off-chain orders filled by others).
        UniswapX = "UniswapX",
        /// The Uniswap pools.
        UniswapClassic = "UniswapClassic",
    }
}

open_enum! {
    /// Where a swap is (`status`); also the status of a yield action.
    pub enum SwapStatus {
        /// Held by a policy until approved.
        PendingPolicyApproval = "PendingPolicyApproval",
        /// Being executed.
        InProgress = "InProgress",
        /// Done.
        Completed = "Completed",
        /// Failed.
        Failed = "Failed",
        /// Denied by a policy approval.
        Rejected = "Rejected",
    }
}

/// An amount of an asset, by `kind`: the network's native coin or a token. Swaps and yields
/// take native coins and ERC-20 tokens; allocation answers also show SPL and SEP-41 tokens. In
/// an answer, a kind this version does not know reads as [`Other`](Self::Other).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
#[non_exhaustive]
pub enum SwapAsset {
    /// The native coin.
    Native {
        /// In the smallest unit, a decimal integer string.
        amount: String,
    },
    /// An ERC-20 token.
    Erc20 {
        /// In the smallest unit, a decimal integer string.
        amount: String,
        /// The token contract (`0x...`).
        contract: String,
    },
    /// A Solana SPL token.
    Spl {
        /// In the smallest unit, a decimal integer string.
        amount: String,
        /// The mint address.
        mint: String,
    },
    /// A Stellar asset (SEP-41).
    #[serde(rename_all = "camelCase")]
    Sep41 {
        /// In the smallest unit, a decimal integer string.
        amount: String,
        /// The issuing account.
        issuer: String,
        /// The asset code.
        asset_code: String,
    },
    /// A kind this version of the crate does not know (in answers only), or an asset an
    /// answer left out.
    #[default]
    #[serde(other)]
    Other,
}

impl SwapAsset {
    /// `amount` (smallest unit) of the native coin.
    pub fn native(amount: impl Into<String>) -> Self {
        Self::Native {
            amount: amount.into(),
        }
    }

    /// `amount` (smallest unit) of the ERC-20 token `contract`.
    pub fn erc20(contract: impl Into<String>, amount: impl Into<String>) -> Self {
        Self::Erc20 {
            amount: amount.into(),
            contract: contract.into(),
        }
    }

    /// The amount, unless the kind is unknown.
    pub fn amount(&self) -> Option<&str> {
        match self {
            Self::Native { amount }
            | Self::Erc20 { amount, .. }
            | Self::Spl { amount, .. }
            | Self::Sep41 { amount, .. } => Some(amount),
            Self::Other => None,
        }
    }
}

/// The asset a quote is for, without an amount (the quote says it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
#[non_exhaustive]
pub enum QuoteTarget {
    /// The native coin.
    Native,
    /// An ERC-20 token.
    Erc20 {
        /// The token contract (`0x...`).
        contract: String,
    },
    /// A kind this version of the crate does not know (in answers only).
    #[serde(other)]
    Other,
}

impl QuoteTarget {
    /// The ERC-20 token `contract`.
    pub fn erc20(contract: impl Into<String>) -> Self {
        Self::Erc20 {
            contract: contract.into(),
        }
    }
}

model! {
    /// What Dfns knows of an asset: its network, decimals and names.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AssetMetadata {
        /// The network, as Dfns names it (`Ethereum`, `Base`, ...).
        pub network: Network,
        /// How many decimals the smallest unit has.
        pub decimals: u32,
        /// The asset's name.
        pub name: Option<String>,
        /// Its symbol (`ETH`, `USDC`).
        pub symbol: Option<String>,
        /// Dfns's token id.
        pub tid: Option<String>,
    }
}

model! {
    /// An amount of an asset with its metadata, as quoted.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct QuotedAsset {
        /// The asset and amount.
        #[serde(flatten)]
        pub asset: SwapAsset,
        /// What Dfns knows of the asset.
        pub metadata: AssetMetadata,
    }
}

request_body! {
    #![read]
    #![samples_by_hand]
    /// The body of [`quote`]: what to sell, what to buy, and the slippage accepted.
    ///
    /// ```
    /// use dfns_blocking::api::swaps::{CreateSwapQuote, QuoteTarget, SwapAsset, SwapProvider};
    ///
    /// let body = CreateSwapQuote::new(
    ///     SwapProvider::UniswapX, "wa-1", SwapAsset::native("1000"), QuoteTarget::Native, 30,
    /// );
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["sourceAsset"], serde_json::json!({"kind": "Native", "amount": "1000"}));
    /// assert_eq!(json["targetAsset"], serde_json::json!({"kind": "Native"}));
    /// assert_eq!(json["slippageBps"], 30);
    /// ```
    pub struct CreateSwapQuote {
        /// Who executes the swap.
        provider: SwapProvider,
        /// The wallet that sells.
        wallet_id: String,
        /// What to sell, and how much.
        source_asset: SwapAsset,
        /// What to buy.
        target_asset: QuoteTarget,
        /// The slippage accepted, in basis points (50 = 0.5%).
        slippage_bps: u32 [exact];
        /// The wallet that receives (the selling wallet when unset).
        target_wallet_id: String,
    }
}

model! {
    /// A quote: what a swap would give, valid for a short while.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct SwapQuote {
        /// The quote's id (`swapQuote-...`).
        #[strict]
        pub id: String,
        /// Who would execute the swap.
        pub provider: Option<SwapProvider>,
        /// The selling wallet.
        pub wallet_id: String,
        /// The receiving wallet, when not the selling one.
        pub target_wallet_id: Option<String>,
        /// What is sold.
        pub source_asset: QuotedAsset,
        /// What would be received.
        pub target_asset: QuotedAsset,
        /// The slippage accepted, in basis points.
        pub slippage_bps: u32,
        /// The request as sent: the typed request, or its JSON when this version cannot read it.
        pub request_body: Echo<CreateSwapQuote>,
        /// Who asked.
        pub requester: Requester,
        /// When it was made.
        pub date_created: Timestamp,
    }
}

request_body! {
    #![read]
    #![samples_by_hand]
    /// The body of [`create`]: executes a quote. [`from_quote`](Self::from_quote) fills it from
    /// the quote's answer.
    ///
    /// ```
    /// use dfns_blocking::api::swaps::{CreateSwap, SwapAsset, SwapProvider};
    ///
    /// let body = CreateSwap::new(
    ///     SwapProvider::UniswapClassic, "swapQuote-1", "wa-1",
    ///     SwapAsset::native("1000"), SwapAsset::erc20("0xa0b8", "3"), 50,
    /// ).reference("r-1");
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["quoteId"], "swapQuote-1");
    /// assert_eq!(json["targetAsset"]["contract"], "0xa0b8");
    /// assert_eq!(json["reference"], "r-1");
    /// assert!(json.get("targetWalletId").is_none());
    /// ```
    pub struct CreateSwap {
        /// Who executes the swap (the quote's).
        provider: SwapProvider,
        /// The quote executed.
        quote_id: String,
        /// The selling wallet.
        wallet_id: String,
        /// What is sold (the quote's).
        source_asset: SwapAsset,
        /// What is bought, at least (the quote's).
        target_asset: SwapAsset,
        /// The slippage accepted, in basis points.
        slippage_bps: u32 [exact];
        /// The receiving wallet, when not the selling one.
        target_wallet_id: String,
        /// Your reference.
        reference: String,
    }
}

impl CreateSwap {
    /// Executes `quote` as quoted (its provider, wallets, amounts and slippage). A quote
    /// missing parts Dfns always sends gives a body Dfns refuses.
    pub fn from_quote(quote: &SwapQuote) -> Self {
        Self {
            target_wallet_id: quote.target_wallet_id.clone(),
            ..Self::new(
                (quote.provider.clone()).unwrap_or(SwapProvider::Other(String::new())),
                &quote.id,
                &quote.wallet_id,
                quote.source_asset.asset.clone(),
                quote.target_asset.asset.clone(),
                quote.slippage_bps,
            )
        }
    }
}

model! {
    /// A swap.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Swap {
        /// The swap's id (`swap-...`).
        #[strict]
        pub id: String,
        /// The quote executed.
        pub quote_id: String,
        /// Who executes it.
        pub provider: Option<SwapProvider>,
        /// Where it is; unknown values are kept.
        pub status: Option<SwapStatus>,
        /// The selling wallet.
        pub wallet_id: String,
        /// The receiving wallet.
        pub target_wallet_id: String,
        /// What is sold, as quoted.
        pub quoted_source_asset: QuotedAsset,
        /// What is bought, as quoted.
        pub quoted_target_asset: QuotedAsset,
        /// The slippage accepted, in basis points.
        pub slippage_bps: u32,
        /// Your reference.
        pub reference: Option<String>,
        /// The request as sent: the typed request, or its JSON when this version cannot read it.
        pub request_body: Echo<CreateSwap>,
        /// Who asked.
        pub requester: Requester,
        /// When it was asked.
        pub date_created: Timestamp,
    }
}

endpoints! {
    /// The swap endpoints.
    handle Swaps = Client::swaps, domain "swaps",
        reference "https://docs.dfns.co/api-reference/swaps";

    /// The swaps.
    GET "/swaps" => list(; query: &ListPage) -> Page<Swap>, pages iter,
        query query;
    /// Executes a quote.
    POST "/swaps" [signed] => create(; body: &CreateSwap) -> Swap,
        body body;
    /// Asks a quote.
    POST "/swaps/quotes" => quote(; body: &CreateSwapQuote) -> SwapQuote,
        body body;
    /// Reads a quote.
    GET "/swaps/quotes/{quoteId}" => get_quote(quote_id) -> SwapQuote;
    /// Reads one swap.
    GET "/swaps/{swapId}" => get(swap_id) -> Swap;
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
/// The assets a swap takes (`Native`, `Erc20`): `SwapAsset` also holds the kinds only yields
/// and allocations take, which Dfns refuses here.
#[cfg(feature = "fidelity-checks")]
fn swappable() -> Vec<SwapAsset> {
    use super::fidelity::Sample as _;
    SwapAsset::samples()
        .into_iter()
        .filter(|asset| matches!(asset, SwapAsset::Native { .. } | SwapAsset::Erc20 { .. }))
        .collect()
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateSwapQuote {
    fn samples() -> Vec<Self> {
        use super::fidelity::nth;
        let (providers, sources, targets) =
            (SwapProvider::samples(), swappable(), QuoteTarget::samples());
        (0..providers.len().max(sources.len()).max(targets.len()))
            .map(|i| Self {
                provider: nth(&providers, i),
                wallet_id: "sample".to_owned(),
                target_wallet_id: Some("sample".to_owned()),
                source_asset: nth(&sources, i),
                target_asset: nth(&targets, i),
                slippage_bps: 50,
            })
            .collect()
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateSwap {
    fn samples() -> Vec<Self> {
        use super::fidelity::nth;
        let (providers, assets) = (SwapProvider::samples(), swappable());
        (0..providers.len().max(assets.len()))
            .map(|i| Self {
                provider: nth(&providers, i),
                quote_id: "sample".to_owned(),
                wallet_id: "sample".to_owned(),
                target_wallet_id: Some("sample".to_owned()),
                source_asset: nth(&assets, i),
                target_asset: nth(&assets, i + 1),
                slippage_bps: 50,
                reference: Some("sample".to_owned()),
            })
            .collect()
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for SwapAsset {
    /// Every kind but `Other` (what an answer's unknown kind reads as).
    fn samples() -> Vec<Self> {
        let s = || "sample".to_owned();
        vec![
            Self::Native { amount: s() },
            Self::Erc20 {
                amount: s(),
                contract: s(),
            },
            Self::Spl {
                amount: s(),
                mint: s(),
            },
            Self::Sep41 {
                amount: s(),
                issuer: s(),
                asset_code: s(),
            },
        ]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for QuoteTarget {
    /// Every kind but `Other` (what an answer's unknown kind reads as).
    fn samples() -> Vec<Self> {
        vec![
            Self::Native,
            Self::Erc20 {
                contract: "sample".to_owned(),
            },
        ]
    }
}
