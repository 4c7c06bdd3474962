//! Payouts (`/payouts`): paying stablecoins out as fiat to a bank account through a provider
//! (Borderless): quote, create, confirm with the on-chain transfer (or cancel), follow.
//!
//! ```no_run
//! use dfns_blocking::api::payouts::{CreatePayout, PaymentPurpose, PayoutAction, PayoutAsset};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let usdc = PayoutAsset::erc20("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "2500000000");
//! let payout = client.payouts().create(
//!     &CreatePayout::borderless("wa-...", usdc, "EUR", "FR", "acct-...", "pi-...",
//!         PaymentPurpose::SalaryPayment)
//!     .external_id("march-salaries"),
//! )?;
//! // Send the funds to the provider's deposit address to go on.
//! let address = payout.data.deposit_address.as_deref().unwrap_or_default();
//! if let Some(transfer) = payout.asset.asset.to(address) {
//!     client.payouts().act(&payout.id, &PayoutAction::confirm("wa-...", transfer))?;
//! }
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use super::networks::Network;
use serde::{Deserialize, Serialize};

use super::decimal_text;
use super::policies::Requester;
use crate::pagination::Page;
use crate::time::Timestamp;

open_enum! {
    /// Who pays out (`provider`).
    pub enum PayoutProvider {
        /// Borderless.
        Borderless = "Borderless",
    }
}

open_enum! {
    /// Where a payout is (`status`).
    pub enum PayoutStatus {
        /// Under way.
        Processing = "Processing",
        /// Paid out.
        Completed = "Completed",
        /// Failed.
        Failed = "Failed",
        /// Refused.
        Rejected = "Rejected",
        /// Not confirmed in time.
        Expired = "Expired",
        /// Canceled.
        Canceled = "Canceled",
    }
}

open_enum! {
    /// Where the provider is with a payout (`data.executionStatus`).
    pub enum PayoutExecutionStatus {
        /// Being set up.
        Initializing = "Initializing",
        /// Waiting for payment instructions.
        AwaitingPayoutInstructions = "AwaitingPayoutInstructions",
        /// Waiting for your confirmation ([`PayoutAction::confirm`]).
        AwaitingPayoutConfirmation = "AwaitingPayoutConfirmation",
        /// The on-chain transfer is being sent.
        SubmittingPayoutTransfer = "SubmittingPayoutTransfer",
        /// The transfer is held by a policy.
        PendingPolicyApproval = "PendingPolicyApproval",
        /// The provider is receiving the deposit.
        DepositProcessing = "DepositProcessing",
        /// The fiat disbursement is pending.
        DisbursementPending = "DisbursementPending",
        /// Paid out.
        Completed = "Completed",
        /// Refused.
        Rejected = "Rejected",
        /// Failed.
        Failed = "Failed",
        /// Not confirmed in time.
        Expired = "Expired",
        /// Canceled.
        Canceled = "Canceled",
    }
}

open_enum! {
    /// Why the payment is made (`paymentPurpose`), as Borderless lists the reasons.
    pub enum PaymentPurpose {
        /// Salary.
        SalaryPayment = "salary payment",
        /// Personal remittance.
        PersonalRemittance = "personal remittance",
        /// Rent.
        RentPayment = "rent payment",
        /// Property purchase.
        PropertyPurchase = "property purchase",
        /// To an account you own abroad.
        OwnedAccountAbroad = "owned account abroad",
        /// Advertising expenses.
        AdvertisingExpenses = "advertising expenses",
        /// Advisory fees.
        AdvisoryFees = "advisory fees",
        /// Business insurance.
        BusinessInsurance = "business insurance",
        /// Construction.
        Construction = "construction",
        /// Delivery fees.
        DeliveryFees = "delivery fees",
        /// Education.
        Education = "education",
        /// Exports.
        Exports = "exports",
        /// Donation.
        Donation = "donation",
        /// Hotel.
        Hotel = "hotel",
        /// Loan payment.
        LoanPayment = "loan payment",
        /// Maintenance expenses.
        MaintenanceExpenses = "maintenance expenses",
        /// Medical expense.
        MedicalExpense = "medical expense",
        /// Office expenses.
        OfficeExpenses = "office expenses",
        /// Royalty fees.
        RoyaltyFees = "royalty fees",
        /// Service charge.
        ServiceCharge = "service charge",
        /// Shares investment.
        SharesInvestment = "shares investment",
        /// Tax payment.
        TaxPayment = "tax payment",
        /// Transportation fees.
        TransportationFees = "transportation fees",
        /// Travel.
        Travel = "travel",
        /// Utility bills.
        UtilityBills = "utility bills",
        /// Anything else (`other`).
        OtherPurpose = "other",
    }
}

/// A stablecoin amount paid out, by `kind`. In an answer, a kind this version does not know
/// reads as [`Other`](Self::Other).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
#[non_exhaustive]
pub enum PayoutAsset {
    /// An ERC-20 token.
    Erc20 {
        /// In the smallest unit, a decimal integer string.
        amount: String,
        /// The token contract.
        contract: String,
    },
    /// A Solana SPL token.
    Spl {
        /// In the smallest unit, a decimal integer string.
        amount: String,
        /// The mint address.
        mint: String,
    },
    /// A Solana Token-2022 token.
    Spl2022 {
        /// In the smallest unit, a decimal integer string.
        amount: String,
        /// The mint address.
        mint: String,
    },
    /// A kind this version of the crate does not know (in answers only), or an asset an
    /// answer left out.
    #[default]
    #[serde(other)]
    Other,
}

impl PayoutAsset {
    /// `amount` (smallest unit) of the ERC-20 token `contract`.
    pub fn erc20(contract: impl Into<String>, amount: impl Into<String>) -> Self {
        Self::Erc20 {
            amount: amount.into(),
            contract: contract.into(),
        }
    }

    /// `amount` (smallest unit) of the SPL token `mint`.
    pub fn spl(mint: impl Into<String>, amount: impl Into<String>) -> Self {
        Self::Spl {
            amount: amount.into(),
            mint: mint.into(),
        }
    }

    /// The transfer of this amount to `to`, for [`PayoutAction::confirm`] (`None` for
    /// [`Other`](Self::Other)).
    pub fn to(&self, to: &str) -> Option<PayoutTransfer> {
        let to = to.to_owned();
        Some(match self.clone() {
            Self::Erc20 { amount, contract } => PayoutTransfer::Erc20 {
                amount,
                contract,
                to,
            },
            Self::Spl { amount, mint } => PayoutTransfer::Spl { amount, mint, to },
            Self::Spl2022 { amount, mint } => PayoutTransfer::Spl2022 { amount, mint, to },
            Self::Other => return None,
        })
    }
}

model! {
    /// What Dfns knows of a token.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct TokenMetadata {
        /// Its name.
        pub name: Option<String>,
        /// Its symbol.
        pub symbol: Option<String>,
        /// How many decimals the smallest unit has.
        pub decimals: u32,
        /// Whether Dfns verified the token as legitimate.
        pub verified: Option<bool>,
    }
}

model! {
    /// An asset paid out, with its network and metadata.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct PayoutAssetInfo {
        /// The asset and amount.
        #[serde(flatten)]
        pub asset: PayoutAsset,
        /// The network, as Dfns names it.
        pub network: Network,
        /// What Dfns knows of the token.
        pub metadata: Option<TokenMetadata>,
    }
}

request_body! {
    #![read]
    /// The body of [`create`].
    ///
    /// ```
    /// use dfns_blocking::api::payouts::{CreatePayout, PaymentPurpose, PayoutAsset};
    ///
    /// let body = CreatePayout::borderless(
    ///     "wa-1", PayoutAsset::spl("EPjF", "100"), "USD", "US", "acct-1", "pi-1", PaymentPurpose::Travel,
    /// );
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["provider"], "Borderless");
    /// assert_eq!(json["asset"], serde_json::json!({"kind": "Spl", "amount": "100", "mint": "EPjF"}));
    /// assert_eq!(json["paymentPurpose"], "travel");
    /// assert!(json.get("externalId").is_none());
    /// ```
    pub struct CreatePayout {
        /// The provider.
        provider: PayoutProvider,
        /// The wallet paying.
        wallet_id: String,
        /// What is paid out.
        asset: PayoutAsset,
        /// The fiat currency received (ISO 4217).
        fiat_currency: String,
        /// The destination country (ISO 3166 alpha-2).
        country: String,
        /// The Borderless account paying out.
        borderless_account_id: String,
        /// The Borderless payment instructions (the bank account).
        payment_instructions_id: String,
        /// Why.
        payment_purpose: PaymentPurpose;
        /// Your reference: Dfns creates one payout per reference.
        external_id: String,
    }
}

impl CreatePayout {
    /// A Borderless payout of `asset` from `wallet_id` as `fiat_currency` in `country`.
    pub fn borderless(
        wallet_id: impl Into<String>,
        asset: PayoutAsset,
        fiat_currency: impl Into<String>,
        country: impl Into<String>,
        borderless_account_id: impl Into<String>,
        payment_instructions_id: impl Into<String>,
        payment_purpose: PaymentPurpose,
    ) -> Self {
        Self::new(
            PayoutProvider::Borderless,
            wallet_id,
            asset,
            fiat_currency,
            country,
            borderless_account_id,
            payment_instructions_id,
            payment_purpose,
        )
    }
}

model! {
    /// The provider's side of a payout (Borderless).
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct BorderlessPayout {
        /// The Borderless account paying out.
        pub borderless_account_id: String,
        /// The payment instructions (the bank account).
        pub payment_instructions_id: String,
        /// Why.
        pub payment_purpose: Option<PaymentPurpose>,
        /// Where the provider is.
        pub execution_status: Option<PayoutExecutionStatus>,
        /// Why it is there, mostly for failures.
        pub status_reason: Option<String>,
        /// The destination country.
        pub country: String,
        /// Borderless's payout id.
        pub borderless_payout_id: Option<String>,
        /// Where to send the funds.
        pub deposit_address: Option<String>,
        /// The Dfns transfer that sent them.
        pub transfer_id: Option<String>,
        /// Its transaction hash, once confirmed.
        pub transaction_hash: Option<String>,
        /// When it was confirmed.
        pub date_confirmed: Option<Timestamp>,
        /// When it was canceled.
        pub date_canceled: Option<Timestamp>,
        /// When the deposit was confirmed.
        pub date_deposit_confirmed: Option<Timestamp>,
        /// When the fiat payout was confirmed.
        pub date_payout_confirmed: Option<Timestamp>,
    }
}

model! {
    /// A payout.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Payout {
        /// The payout's id.
        #[strict]
        pub id: String,
        /// The paying wallet.
        pub wallet_id: String,
        /// The fiat currency.
        pub fiat_currency: String,
        /// What is paid out.
        pub asset: PayoutAssetInfo,
        /// Your reference.
        pub external_id: Option<String>,
        /// Where it is.
        pub status: Option<PayoutStatus>,
        /// The provider.
        pub provider: Option<PayoutProvider>,
        /// The provider's side.
        pub data: BorderlessPayout,
        /// Who asked.
        pub requester: Requester,
        /// When it was asked.
        pub date_created: Timestamp,
        /// When it ended.
        pub date_finalized: Option<Timestamp>,
    }
}

model! {
    /// The body of [`quote`].
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CreatePayoutQuote {
        /// The provider.
        #[strict]
        pub provider: PayoutProvider,
        /// The wallet (its network is the asset's).
        #[strict]
        pub wallet_id: String,
        /// What would be paid out.
        #[strict]
        pub asset: PayoutAsset,
        /// The fiat currency (ISO 4217).
        #[strict]
        pub fiat_currency: String,
        /// The destination country (ISO 3166 alpha-2).
        #[strict]
        pub country: String,
    }
}

impl CreatePayoutQuote {
    /// A Borderless quote for paying `asset` of `wallet_id` as `fiat_currency` in `country`.
    pub fn borderless(
        wallet_id: impl Into<String>,
        asset: PayoutAsset,
        fiat_currency: impl Into<String>,
        country: impl Into<String>,
    ) -> Self {
        Self {
            provider: PayoutProvider::Borderless,
            wallet_id: wallet_id.into(),
            asset,
            fiat_currency: fiat_currency.into(),
            country: country.into(),
        }
    }
}

model! {
    /// What the provider offers.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PayoutOffer {
        /// The fiat currency.
        pub fiat_currency: String,
        /// The fiat received net of fees, a decimal string (Dfns sends a number).
        #[serde(default, deserialize_with = "decimal_text")]
        pub amount: String,
        /// The fees, a decimal string (Dfns sends a number).
        #[serde(default, deserialize_with = "decimal_text")]
        pub fees: String,
    }
}

model! {
    /// One provider quote.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ProviderQuote {
        /// The provider's quote id, if it has one.
        pub quote_id: Option<String>,
        /// The offer.
        pub offer: PayoutOffer,
    }
}

model! {
    /// The answer of [`quote`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PayoutQuote {
        /// The provider.
        pub provider: Option<PayoutProvider>,
        /// The asset quoted, with its network.
        pub asset: PayoutAssetInfo,
        /// When the quote was made.
        pub timestamp: Timestamp,
        /// The offers.
        pub quotes: Vec<ProviderQuote>,
    }
}

/// The on-chain transfer that settles a payout, by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
#[non_exhaustive]
pub enum PayoutTransfer {
    /// An ERC-20 transfer.
    Erc20 {
        /// In the smallest unit, a decimal integer string.
        amount: String,
        /// The token contract.
        contract: String,
        /// The provider's deposit address.
        to: String,
    },
    /// An SPL transfer.
    Spl {
        /// In the smallest unit, a decimal integer string.
        amount: String,
        /// The mint address.
        mint: String,
        /// The provider's deposit address.
        to: String,
    },
    /// A Token-2022 transfer.
    Spl2022 {
        /// In the smallest unit, a decimal integer string.
        amount: String,
        /// The mint address.
        mint: String,
        /// The provider's deposit address.
        to: String,
    },
}

/// The body of [`act`], by `action`.
///
/// ```
/// use dfns_blocking::api::payouts::PayoutAction;
///
/// assert_eq!(serde_json::to_string(&PayoutAction::Cancel).unwrap(), r#"{"action":"Cancel"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum PayoutAction {
    /// Confirms the payout by sending the funds.
    Confirm {
        /// The wallet sending.
        wallet_id: String,
        /// The transfer.
        transfer: PayoutTransfer,
    },
    /// Cancels the payout.
    Cancel,
}

impl PayoutAction {
    /// Confirms with `transfer` from `wallet_id`.
    pub fn confirm(wallet_id: impl Into<String>, transfer: PayoutTransfer) -> Self {
        Self::Confirm {
            wallet_id: wallet_id.into(),
            transfer,
        }
    }
}

query! {
    /// What to list with [`list`] and [`Payouts::iter`].
    pub struct ListPayouts {
        /// How many per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
        /// Only this wallet's payouts.
        wallet_id: String = "walletId",
        /// Only payouts in one of these statuses.
        status: PayoutStatus = "status" [joined],
    }
}

endpoints! {
    /// The payout endpoints.
    handle Payouts = Client::payouts, domain "payouts",
        reference "https://docs.dfns.co/api-reference/payouts";

    /// The payouts.
    GET "/payouts" => list(; query: &ListPayouts) -> Page<Payout>, pages iter,
        query query;
    /// Creates a payout, which waits for its confirmation.
    POST "/payouts" [signed] => create(; body: &CreatePayout) -> Payout,
        body body;
    /// Asks the provider's offers.
    POST "/payouts/quote" => quote(; body: &CreatePayoutQuote) -> PayoutQuote,
        body body;
    /// Reads one payout.
    GET "/payouts/{payoutId}" => get(payout_id) -> Payout;
    /// Confirms or cancels a payout (Dfns answers an empty object).
    POST "/payouts/{payoutId}/action" [signed] => act(payout_id; action: &PayoutAction) -> serde_json::Value,
        body action,
        answer |_ignored| () => ();
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
sample_fields! {
    CreatePayoutQuote { provider, wallet_id, asset, fiat_currency, country }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for PayoutAsset {
    fn samples() -> Vec<Self> {
        let s = || "sample".to_owned();
        vec![
            Self::Erc20 {
                amount: s(),
                contract: s(),
            },
            Self::Spl {
                amount: s(),
                mint: s(),
            },
            Self::Spl2022 {
                amount: s(),
                mint: s(),
            },
        ]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for PayoutTransfer {
    fn samples() -> Vec<Self> {
        let s = || "sample".to_owned();
        vec![
            Self::Erc20 {
                amount: s(),
                contract: s(),
                to: s(),
            },
            Self::Spl {
                amount: s(),
                mint: s(),
                to: s(),
            },
            Self::Spl2022 {
                amount: s(),
                mint: s(),
                to: s(),
            },
        ]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for PayoutAction {
    fn samples() -> Vec<Self> {
        let mut all: Vec<Self> = PayoutTransfer::samples()
            .into_iter()
            .map(|transfer| Self::Confirm {
                wallet_id: "sample".to_owned(),
                transfer,
            })
            .collect();
        all.push(Self::Cancel);
        all
    }
}
