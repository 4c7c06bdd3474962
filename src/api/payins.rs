//! Payins (`/payins`): on-ramping fiat into a wallet as stablecoins through a provider
//! (Circle Mint, Borderless): quotes, payins, the provider's accounts, balances, options and
//! recipients.
//!
//! ```no_run
//! use dfns_blocking::api::payins::{CreatePayin, PayinCurrency};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let payin = client.payins().create(&CreatePayin::circle_mint("wa-...", "100.00", PayinCurrency::Usd))?;
//! println!("{:?} {:?}", payin.status, payin.data.execution_status);
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use super::networks::Network;
use serde::{Deserialize, Serialize};

use super::exchanges::AssetKind;
use super::policies::Requester;
use super::{Items, decimal_text};
use crate::pagination::Page;
use crate::time::Timestamp;

open_enum! {
    /// Who pays in (`provider`).
    pub enum PayinProvider {
        /// Circle Mint.
        CircleMint = "CircleMint",
        /// Borderless.
        Borderless = "Borderless",
    }
}

open_enum! {
    /// The fiat currency (`currency`); with Circle Mint it decides the stablecoin (USD gives
    /// USDC, EUR gives EURC).
    pub enum PayinCurrency {
        /// US dollars.
        Usd = "USD",
        /// Euros.
        Eur = "EUR",
    }
}

open_enum! {
    /// The fiat payment rail (`paymentMethod`).
    pub enum PaymentMethod {
        /// A wire transfer.
        Wire = "Wire",
        /// ACH.
        Ach = "ACH",
        /// SEPA.
        Sepa = "Sepa",
    }
}

open_enum! {
    /// Where a payin is (`status`).
    pub enum PayinStatus {
        /// Under way.
        Processing = "Processing",
        /// Delivered.
        Completed = "Completed",
        /// Failed.
        Failed = "Failed",
    }
}

open_enum! {
    /// Where the provider is with a payin (`data.executionStatus`).
    pub enum PayinExecutionStatus {
        /// Being set up.
        Initializing = "Initializing",
        /// Circle Mint: waiting for the transfer.
        AwaitingTransfer = "AwaitingTransfer",
        /// Borderless: waiting for the fiat deposit.
        AwaitingDeposit = "AwaitingDeposit",
        /// Delivered.
        Completed = "Completed",
        /// Failed.
        Failed = "Failed",
    }
}

open_enum! {
    /// Whether a wallet is a registered recipient (`status`).
    pub enum RecipientStatus {
        /// Not registered.
        NotRegistered = "NotRegistered",
        /// Registered, waiting for the provider's check.
        PendingVerification = "PendingVerification",
        /// Can receive.
        Active = "Active",
    }
}

/// The body of [`create`], by `provider`.
///
/// ```
/// use dfns_blocking::api::exchanges::AssetKind;
/// use dfns_blocking::api::payins::{CreatePayin, PayinCurrency, PaymentMethod};
///
/// let usdc = AssetKind::Erc20 { contract: "0xa0b8".into() };
/// let body = CreatePayin::borderless("wa-1", "250.00", PayinCurrency::Usd, "US", "acct-1",
///     PaymentMethod::Ach, usdc).quote_id("q-1");
/// let json = serde_json::to_value(&body).unwrap();
/// assert_eq!(json["provider"], "Borderless");
/// assert_eq!(json["paymentMethod"], "ACH");
/// assert_eq!(json["asset"], serde_json::json!({"kind": "Erc20", "contract": "0xa0b8"}));
/// assert_eq!(json["quoteId"], "q-1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum CreatePayin {
    /// Through Circle Mint.
    CircleMint {
        /// The wallet receiving.
        wallet_id: String,
        /// The amount delivered, in currency units (`"100.00"`).
        amount: String,
        /// The fiat currency.
        currency: PayinCurrency,
    },
    /// Through Borderless.
    Borderless {
        /// The wallet receiving (its address must be the account's registered one).
        wallet_id: String,
        /// The amount delivered, in currency units (`"100.00"`).
        amount: String,
        /// The fiat currency.
        currency: PayinCurrency,
        /// The country the fiat comes from (ISO 3166 alpha-2).
        country: String,
        /// The Borderless account.
        borderless_account_id: String,
        /// The fiat rail.
        payment_method: PaymentMethod,
        /// The stablecoin delivered.
        asset: AssetKind,
        /// A quote to redeem, locking its rate.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        quote_id: Option<String>,
    },
}

impl CreatePayin {
    /// `amount` of `currency` into `wallet_id` through Circle Mint.
    pub fn circle_mint(
        wallet_id: impl Into<String>,
        amount: impl Into<String>,
        currency: PayinCurrency,
    ) -> Self {
        Self::CircleMint {
            wallet_id: wallet_id.into(),
            amount: amount.into(),
            currency,
        }
    }

    /// `amount` of `asset` into `wallet_id` through Borderless, paid in `currency` by
    /// `payment_method` from `country`.
    pub fn borderless(
        wallet_id: impl Into<String>,
        amount: impl Into<String>,
        currency: PayinCurrency,
        country: impl Into<String>,
        borderless_account_id: impl Into<String>,
        payment_method: PaymentMethod,
        asset: AssetKind,
    ) -> Self {
        Self::Borderless {
            wallet_id: wallet_id.into(),
            amount: amount.into(),
            currency,
            country: country.into(),
            borderless_account_id: borderless_account_id.into(),
            payment_method,
            asset,
            quote_id: None,
        }
    }

    /// Redeems this quote (Borderless; no effect on a Circle Mint payin).
    pub fn quote_id(mut self, id: impl Into<String>) -> Self {
        if let Self::Borderless { quote_id, .. } = &mut self {
            *quote_id = Some(id.into());
        }
        self
    }
}

model! {
    /// Bank details to wire the fiat to; Dfns may send any of them as `null`.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct BankDetails {
        /// The reference the payer must include.
        pub deposit_message: Option<String>,
        /// The bank's name.
        pub bank_name: Option<String>,
        /// The account number.
        pub bank_account_number: Option<String>,
        /// The routing number.
        pub bank_routing_number: Option<String>,
        /// The beneficiary's name.
        pub bank_beneficiary_name: Option<String>,
        /// The beneficiary's address.
        pub bank_beneficiary_address: Option<String>,
        /// The bank's address.
        pub bank_address: Option<String>,
        /// The IBAN.
        pub iban: Option<String>,
        /// The BIC.
        pub bic: Option<String>,
        /// The account holder's name.
        pub account_holder_name: Option<String>,
    }
}

model! {
    /// Where the payer sends the fiat.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct DepositInstruction {
        /// The rail these apply to.
        pub payment_method: String,
        /// The bank details.
        pub details: BankDetails,
    }
}

model! {
    /// The provider's side of a payin (the fields of Circle Mint and of Borderless).
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PayinData {
        /// Where the provider is.
        pub execution_status: Option<PayinExecutionStatus>,
        /// Why, mostly for failures.
        pub status_reason: Option<String>,
        /// The delivery transaction's hash.
        pub transaction_hash: Option<String>,
        /// Circle Mint: the recipient registry id of the destination.
        pub recipient_address_id: Option<String>,
        /// Circle Mint: the delivering transfer.
        pub circle_transfer_id: Option<String>,
        /// Circle Mint: when the transfer was confirmed.
        pub date_transfer_confirmed: Option<Timestamp>,
        /// Borderless: the account.
        pub borderless_account_id: Option<String>,
        /// Borderless: the country the fiat comes from.
        pub country: Option<String>,
        /// Borderless: the fiat rail.
        pub payment_method: Option<PaymentMethod>,
        /// Borderless: its code of the asset delivered (`USDC_ETHEREUM`).
        pub asset: Option<String>,
        /// Borderless: the quote redeemed.
        pub quote_id: Option<String>,
        /// Borderless: its deposit transaction.
        pub borderless_transaction_id: Option<String>,
        /// Borderless: the financial institution fulfilling the deposit.
        pub pfi_name: Option<String>,
        /// Borderless: where to send the fiat, once issued.
        pub deposit_instruction: Option<DepositInstruction>,
        /// Borderless: when the delivery was confirmed.
        pub date_delivery_confirmed: Option<Timestamp>,
    }
}

model! {
    /// A payin.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Payin {
        /// The payin's id.
        #[strict]
        pub id: String,
        /// The wallet receiving.
        pub wallet_id: String,
        /// The amount delivered, in currency units.
        pub amount: String,
        /// The fiat currency.
        pub currency: Option<PayinCurrency>,
        /// The network delivered on.
        pub network: Network,
        /// Where it is.
        pub status: Option<PayinStatus>,
        /// The provider.
        pub provider: Option<PayinProvider>,
        /// The provider's side.
        pub data: PayinData,
        /// Who asked.
        pub requester: Requester,
        /// When it was asked.
        pub date_created: Timestamp,
        /// When it ended.
        pub date_finalized: Option<Timestamp>,
    }
}

model! {
    /// The body of [`quote`] (Borderless).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CreatePayinQuote {
        /// The provider (Borderless).
        #[strict]
        pub provider: PayinProvider,
        /// The wallet receiving (its network is the delivery's).
        #[strict]
        pub wallet_id: String,
        /// The amount delivered, in currency units.
        #[strict]
        pub amount: String,
        /// The fiat currency.
        #[strict]
        pub currency: PayinCurrency,
        /// The country the fiat comes from.
        #[strict]
        pub country: String,
        /// The Borderless account.
        #[strict]
        pub borderless_account_id: String,
        /// The fiat rail.
        #[strict]
        pub payment_method: PaymentMethod,
        /// The stablecoin delivered.
        #[strict]
        pub asset: AssetKind,
    }
}

impl CreatePayinQuote {
    /// A Borderless quote (the same terms as [`CreatePayin::borderless`]).
    pub fn borderless(
        wallet_id: impl Into<String>,
        amount: impl Into<String>,
        currency: PayinCurrency,
        country: impl Into<String>,
        borderless_account_id: impl Into<String>,
        payment_method: PaymentMethod,
        asset: AssetKind,
    ) -> Self {
        Self {
            provider: PayinProvider::Borderless,
            wallet_id: wallet_id.into(),
            amount: amount.into(),
            currency,
            country: country.into(),
            borderless_account_id: borderless_account_id.into(),
            payment_method,
            asset,
        }
    }
}

model! {
    /// What a provider offers.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PayinOffer {
        /// The stablecoin delivered net of fees, a decimal string (Dfns sends a number).
        #[serde(default, deserialize_with = "decimal_text")]
        pub amount: String,
        /// The fees in the fiat currency, a decimal string (Dfns sends a number).
        #[serde(default, deserialize_with = "decimal_text")]
        pub fees: String,
    }
}

model! {
    /// One provider quote.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PayinProviderQuote {
        /// The executable quote's id, for [`CreatePayin::quote_id`].
        pub quote_id: Option<String>,
        /// When it expires.
        pub date_expires: Option<Timestamp>,
        /// The offer.
        pub offer: PayinOffer,
    }
}

model! {
    /// The answer of [`quote`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PayinQuote {
        /// The provider.
        pub provider: Option<PayinProvider>,
        /// The fiat currency.
        pub currency: Option<PayinCurrency>,
        /// The network delivered on.
        pub network: Network,
        /// Dfns's id of the token delivered.
        pub tid: String,
        /// When the quote was made.
        pub timestamp: Timestamp,
        /// The offers.
        pub quotes: Vec<PayinProviderQuote>,
    }
}

model! {
    /// Which recipient: the body of [`create_recipient`] and the query of [`get_recipient`].
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PayinRecipientKey {
        /// The provider (Circle Mint registers recipients).
        #[strict]
        pub provider: PayinProvider,
        /// The wallet.
        #[strict]
        pub wallet_id: String,
        /// The fiat currency.
        #[strict]
        pub currency: PayinCurrency,
    }
}

impl PayinRecipientKey {
    /// `wallet_id` as a Circle Mint recipient of `currency` payins.
    pub fn circle_mint(wallet_id: impl Into<String>, currency: PayinCurrency) -> Self {
        Self {
            provider: PayinProvider::CircleMint,
            wallet_id: wallet_id.into(),
            currency,
        }
    }
}

model! {
    /// A wallet as a provider's recipient.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PayinRecipient {
        /// The provider.
        pub provider: Option<PayinProvider>,
        /// The wallet.
        pub wallet_id: String,
        /// The fiat currency.
        pub currency: Option<PayinCurrency>,
        /// Whether it can receive.
        pub status: Option<RecipientStatus>,
        /// The provider's registry id, once registered.
        pub recipient_address_id: Option<String>,
    }
}

model! {
    /// An asset registered on a provider account, and where it is delivered.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AccountAsset {
        /// The provider's asset code (`USDC_ETHEREUM`).
        pub asset: String,
        /// The registered destination address.
        pub address: String,
    }
}

model! {
    /// A provider account payins are made to.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PayinAccount {
        /// The provider's account id.
        #[strict]
        pub account_id: String,
        /// Its name, when the provider has one.
        pub name: Option<String>,
        /// The assets registered on it.
        pub assets: Vec<AccountAsset>,
    }
}

model! {
    /// The body of [`register_account_asset`] (Borderless).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct RegisterAccountAsset {
        /// The provider (Borderless).
        #[strict]
        pub provider: PayinProvider,
        /// The account.
        #[strict]
        pub borderless_account_id: String,
        /// The wallet whose address receives the asset.
        #[strict]
        pub wallet_id: String,
        /// The asset (an ERC-20 or SPL token on the wallet's network).
        #[strict]
        pub asset: AssetKind,
    }
}

impl RegisterAccountAsset {
    /// Delivers `asset` to `wallet_id`'s address for Borderless account `account_id`.
    pub fn borderless(
        account_id: impl Into<String>,
        wallet_id: impl Into<String>,
        asset: AssetKind,
    ) -> Self {
        Self {
            provider: PayinProvider::Borderless,
            borderless_account_id: account_id.into(),
            wallet_id: wallet_id.into(),
            asset,
        }
    }
}

model! {
    /// A provider balance.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PayinBalance {
        /// The provider.
        pub provider: Option<PayinProvider>,
        /// The fiat currency.
        pub currency: String,
        /// The amount available, in currency units (`"408.82"`).
        pub amount: String,
    }
}

model! {
    /// A payment rail and the countries it can be paid from.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PaymentMethodOption {
        /// The rail.
        pub payment_method: Option<PaymentMethod>,
        /// The countries (ISO 3166 alpha-2).
        pub countries: Vec<String>,
    }
}

model! {
    /// A currency payins can be funded with.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CurrencyOption {
        /// The currency.
        pub currency: Option<PayinCurrency>,
        /// Its rails.
        pub payment_methods: Vec<PaymentMethodOption>,
    }
}

model! {
    /// The answer of [`get_options`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PayinOptions {
        /// The provider's asset codes that can be delivered.
        pub assets: Vec<String>,
        /// The currencies, rails and countries.
        pub currencies: Vec<CurrencyOption>,
    }
}

query! {
    /// What to list with [`list`] and [`Payins::iter`].
    pub struct ListPayins {
        /// How many per page.
        limit: u32 = "limit" [exact],
        /// Only this wallet's payins.
        wallet_id: String = "walletId",
        /// Only payins in one of these statuses.
        status: PayinStatus = "status" [joined],
        /// Only payins through one of these providers.
        provider: PayinProvider = "provider" [joined],
    }
}

endpoints! {
    /// The payin endpoints.
    handle Payins = Client::payins, domain "payins",
        reference "https://docs.dfns.co/api-reference/payins";

    /// The payins.
    GET "/payins" => list(; query: &ListPayins) -> Page<Payin>, pages iter,
        query query;
    /// Creates a payin.
    POST "/payins" [signed] => create(; body: &CreatePayin) -> Payin,
        body body;
    /// The provider's accounts payins are made to.
    GET "/payins/accounts" => list_accounts(; provider: PayinProvider) -> Items<PayinAccount>,
        with |request| Ok(request.query("provider", provider.as_str())),
        answer |accounts| accounts.items => Vec<PayinAccount>;
    /// Registers a wallet's address for an asset on a provider account.
    POST "/payins/accounts/assets" [signed]
        => register_account_asset(; body: &RegisterAccountAsset) -> PayinAccount,
        body body;
    /// The provider's balances.
    GET "/payins/balances" => list_balances(; provider: PayinProvider) -> Items<PayinBalance>,
        with |request| Ok(request.query("provider", provider.as_str())),
        answer |balances| balances.items => Vec<PayinBalance>;
    /// The assets, currencies, rails and countries the provider offers.
    GET "/payins/options" => get_options(; provider: PayinProvider) -> PayinOptions,
        with |request| Ok(request.query("provider", provider.as_str()));
    /// Asks the provider's offers.
    POST "/payins/quote" => quote(; body: &CreatePayinQuote) -> PayinQuote,
        body body;
    /// Whether a wallet is a registered recipient.
    GET "/payins/recipients" => get_recipient(; key: &PayinRecipientKey) -> PayinRecipient,
        with |request| Ok(request
            .query("provider", key.provider.as_str())
            .query("walletId", &key.wallet_id)
            .query("currency", key.currency.as_str()));
    /// Registers a wallet as a recipient.
    POST "/payins/recipients" [signed]
        => create_recipient(; key: &PayinRecipientKey) -> PayinRecipient,
        body key;
    /// Reads one payin.
    GET "/payins/{payinId}" => get(payin_id) -> Payin;
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
sample_fields! {
    RegisterAccountAsset { provider, borderless_account_id, wallet_id, asset }
    PayinRecipientKey { provider, wallet_id, currency }
    CreatePayinQuote {
        provider, wallet_id, amount, currency, country, borderless_account_id, payment_method,
        asset,
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreatePayin {
    fn samples() -> Vec<Self> {
        let s = || "sample".to_owned();
        let mut all = vec![Self::CircleMint {
            wallet_id: s(),
            amount: s(),
            currency: PayinCurrency::Usd,
        }];
        all.extend(
            AssetKind::samples()
                .into_iter()
                .map(|asset| Self::Borderless {
                    wallet_id: s(),
                    amount: s(),
                    currency: PayinCurrency::Usd,
                    country: s(),
                    borderless_account_id: s(),
                    payment_method: PaymentMethod::Wire,
                    asset,
                    quote_id: Some(s()),
                }),
        );
        all
    }
}
