//! Typed Dfns endpoints, one module per domain.
//!
//! Each module has free functions that build the [`Request`](crate::Request) for an endpoint
//! (for running the user action steps yourself) and a handle on [`Client`](crate::Client) that
//! sends them (`client.pats()`, `client.wallets()`, ...): one handle per module, whose accessor
//! is the module's name, and whose documentation links Dfns's API reference for the domain.
//! [`catalogue`] lists every endpoint with the handle method that sends it; the README's
//! coverage table lists the handles by Dfns domain.
//!
//! # Paginated lists
//!
//! Lists that Dfns paginates take their filters and page size in a query struct (such as
//! [`users::ListUsers`]) and the page token as a separate argument, and return one
//! [`Page`](crate::Page); their handle's `iter` follows `nextPageToken` from the first page
//! ([`Pages`](crate::Pages)). Lists that Dfns does not paginate return a `Vec`.
//!
//! # Missing fields, `null` and dates
//!
//! The models follow one rule, from the `required` lists of Dfns's OpenAPI description:
//!
//! - A field Dfns documents as always present is a plain type (`String`, `bool`, `Vec`,
//!   [`Timestamp`](crate::Timestamp)). When a real answer leaves it out or sends `null`
//!   anyway, it reads as the type's default (empty text, `false`, an empty list, an empty
//!   `Timestamp`) rather than failing the whole answer.
//! - A field Dfns documents as optional, or as possibly `null`, is an `Option`: `None` means
//!   Dfns did not say, which the default of a plain type could not tell apart from a real
//!   value.
//!
//! Every date is a [`Timestamp`](crate::Timestamp), which keeps the text Dfns sent and gives
//! the instant when the text is a date: a date field that is absent reads as described above,
//! and one whose text is not a date still decodes (its
//! [`to_system_time`](crate::Timestamp::to_system_time) is `None`).
//!
//! ```
//! use std::time::Duration;
//! use dfns_blocking::api::pats::PersonalAccessToken;
//!
//! let token: PersonalAccessToken = serde_json::from_str(
//!     r#"{"tokenId": "to-1", "dateCreated": "2024-01-01T00:00:00.000Z", "linkedAppId": null}"#,
//! )?;
//! assert!(token.date_created.is_older_than(Duration::from_secs(30 * 86_400)));
//! assert_eq!(token.linked_app_id, ""); // documented as always present: null reads as ""
//! assert!(token.access_token.is_none()); // documented as optional: absent is None
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! # Endpoints this crate does not type (yet)
//!
//! Any endpoint can be called through the same pipeline (headers, nonce, user action signing,
//! error classification) by building the [`Request`](crate::Request) yourself: a path template
//! whose `{}` take percent-encoded ids, a JSON body, `.signed()` when the endpoint needs a user
//! action signature. Decode the answer as [`serde_json::Value`], or as your own type.
//!
//! ```no_run
//! use dfns_blocking::{Client, Method, Request};
//! use serde::Deserialize;
//! # let client = Client::builder().build()?;
//!
//! // Untyped and signed: any JSON answer.
//! let request = Request::<serde_json::Value>::new(Method::Put, "/auth/users/{}", &["us-..."])?
//!     .json(&serde_json::json!({ "isSSORequired": true }))?
//!     .signed();
//! let user: serde_json::Value = client.send(&request)?;
//! println!("{}", user["userId"]);
//!
//! // Decoded into your own type: only the fields you name are read.
//! #[derive(Deserialize)]
//! #[serde(rename_all = "camelCase")]
//! struct Wallet {
//!     id: String,
//!     network: String,
//! }
//! let wallet: Wallet = client.send(&Request::new(Method::Get, "/wallets/{}", &["wa-..."])?)?;
//! println!("{} on {}", wallet.id, wallet.network);
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

#[macro_use]
mod macros;

pub mod address_watches;
pub mod agreements;
pub mod allocations;
pub mod applications;
pub mod audit_logs;
mod catalogue;
pub mod credentials;
pub mod exchanges;
pub mod fee_sponsors;
#[cfg(feature = "fidelity-checks")]
#[doc(hidden)]
pub mod fidelity;
pub mod keys;
pub mod login;
pub mod networks;
pub mod pats;
pub mod payins;
pub mod payouts;
pub mod permissions;
pub mod policies;
pub mod policy_approvals;
pub mod recovery;
pub mod registration;
pub mod service_accounts;
pub mod signers;
pub mod staking;
pub mod swaps;
pub mod tenant;
pub mod user_actions;
pub mod user_groups;
pub mod users;
pub mod vaults;
pub mod wallets;
pub mod webhooks;
pub mod yields;

pub(crate) use crate::wire::or_default;
pub use crate::wire::{AccessToken, Items};
pub use catalogue::{Endpoint, Idempotency, catalogue};

use serde::{Deserialize, Deserializer, Serialize};

/// How a delete (or a revoke) is sent: normally, or with Dfns's `force` query
/// (`?force=true`), whose meaning each endpoint documents. The query is not part of what is
/// signed.
///
/// ```no_run
/// use dfns_blocking::api::Delete;
/// # let client = dfns_blocking::Client::builder().build()?;
///
/// client.permissions().revoke("pm-...", "as-...", Delete::Normal)?;
/// client.service_accounts().delete("to-...", Delete::Force)?;
/// # Ok::<(), dfns_blocking::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Delete {
    /// Without the query: Dfns applies its usual checks. The default.
    #[default]
    Normal,
    /// With `?force=true`.
    Force,
}

impl Delete {
    /// The `force` query parameter this adds, for [`with_query`].
    pub(crate) fn force_query(self) -> (&'static str, Option<String>) {
        let value = match self {
            Delete::Normal => None,
            Delete::Force => Some("true".to_owned()),
        };
        ("force", value)
    }
}

model! {
    /// The `{"message": "..."}` answer of endpoints that only acknowledge.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct Acknowledgement {
        /// Dfns's message.
        pub message: String,
    }
}

/// Appends the query parameters that are set, in order (`limit`, `paginationToken` and a list's
/// filters). Shared by the paginated lists of every domain.
pub(crate) fn with_query<T>(
    request: crate::Request<T>,
    params: &[(&str, Option<String>)],
) -> crate::Request<T> {
    params
        .iter()
        .fold(request, |request, (name, value)| match value {
            Some(value) => request.query(name, value),
            None => request,
        })
}

query! {
    /// The page size of a paginated list that has no filter. The page token is a separate
    /// argument, so one value serves every page.
    ///
    /// ```
    /// use dfns_blocking::api::ListPage;
    ///
    /// let request = dfns_blocking::api::swaps::list(&ListPage::new().limit(10), None)?;
    /// assert_eq!(request.path(), "/swaps"); // `limit` goes in the query
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub struct ListPage {
        /// How many per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
    }
}

/// A request as Dfns echoes it in a record (a transfer's, a transaction's or a signature's
/// `requestBody`): the typed request when this version of the crate reads it, else the JSON as
/// Dfns sent it. Dfns adds kinds over time, so a record never fails to decode because of its
/// echo; serializing gives back what was read (the typed request, or the JSON kept).
///
/// It compares equal to the request it echoes:
///
/// ```
/// use dfns_blocking::api::Echo;
/// use dfns_blocking::api::wallets::{NativeTransfer, TransferAsset};
///
/// let sent: TransferAsset = NativeTransfer::new("0xabc", "1000").into();
/// let echo: Echo<TransferAsset> =
///     serde_json::from_str(r#"{"kind":"Native","to":"0xabc","amount":"1000"}"#)?;
/// assert_eq!(echo, sent);
///
/// let added: Echo<TransferAsset> = serde_json::from_str(r#"{"kind":"Teleport","to":"mars"}"#)?;
/// assert_eq!(added.known(), None);
/// assert_eq!(serde_json::to_string(&added)?, r#"{"kind":"Teleport","to":"mars"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Echo<T> {
    /// A request this version of the crate reads.
    Known(T),
    /// A request it does not: a kind it does not know, or a body that does not decode as its
    /// kind's. `null` when Dfns sent none.
    Other(serde_json::Value),
}

impl<T> Echo<T> {
    /// The typed request, when it was read as one.
    #[inline]
    pub fn known(&self) -> Option<&T> {
        match self {
            Echo::Known(request) => Some(request),
            Echo::Other(_) => None,
        }
    }

    /// The typed request, when it was read as one.
    #[inline]
    pub fn into_known(self) -> Option<T> {
        match self {
            Echo::Known(request) => Some(request),
            Echo::Other(_) => None,
        }
    }
}

/// `null`: what an absent echo reads as.
impl<T> Default for Echo<T> {
    #[inline]
    fn default() -> Self {
        Echo::Other(serde_json::Value::Null)
    }
}

/// Whether the echo is this request.
impl<T: PartialEq> PartialEq<T> for Echo<T> {
    #[inline]
    fn eq(&self, other: &T) -> bool {
        self.known() == Some(other)
    }
}

impl<T> From<T> for Echo<T> {
    #[inline]
    fn from(request: T) -> Self {
        Echo::Known(request)
    }
}

impl<T: Serialize> Serialize for Echo<T> {
    #[inline]
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Echo::Known(request) => request.serialize(serializer),
            Echo::Other(json) => json.serialize(serializer),
        }
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Echo<T> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = serde_json::Value::deserialize(deserializer)?;
        Ok(match T::deserialize(&json) {
            Ok(request) => Echo::Known(request),
            Err(_) => Echo::Other(json),
        })
    }
}

/// Reads an amount Dfns sends as a JSON number (or a string) as its decimal text, so that
/// amounts stay strings; `null` and absent read as empty text.
pub(crate) fn decimal_text<'de, D>(deserializer: D) -> Result<String, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(
        match Option::<serde_json::Value>::deserialize(deserializer)? {
            Some(serde_json::Value::Number(number)) => number.to_string(),
            Some(serde_json::Value::String(text)) => text,
            _ => String::new(),
        },
    )
}

/// Every domain's handle, once: the catalogue and the fidelity test's probes follow from it.
macro_rules! handles {
    ($($module:ident::$handle:ident),* $(,)?) => {
        /// The endpoints of every handle, for [`catalogue`].
        const DECLARED: &[&[Endpoint]] = &[$($module::$handle::ENDPOINTS),*];

        /// The probes of every handle, in the order of `DECLARED`.
        #[cfg(feature = "fidelity-checks")]
        const PROBES: &[&[fidelity::Probe]] = &[$($module::$handle::PROBES),*];
    };
}

handles! {
    address_watches::AddressWatches,
    agreements::Agreements,
    allocations::Allocations,
    applications::Applications,
    audit_logs::AuditLogs,
    credentials::Credentials,
    exchanges::Exchanges,
    login::Login,
    pats::Pats,
    payins::Payins,
    payouts::Payouts,
    recovery::Recovery,
    registration::Registrations,
    service_accounts::ServiceAccounts,
    staking::Staking,
    swaps::Swaps,
    user_actions::UserActions,
    users::Users,
    permissions::Permissions,
    policies::Policies,
    policy_approvals::PolicyApprovals,
    keys::Keys,
    signers::Signers,
    networks::Networks,
    fee_sponsors::FeeSponsors,
    user_groups::UserGroups,
    tenant::Tenant,
    vaults::Vaults,
    wallets::Wallets,
    yields::Yields,
    webhooks::Webhooks,
}
