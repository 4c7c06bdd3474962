//! Fee sponsors (`/fee-sponsors`): wallets that pay the network fees of other wallets'
//! transfers and transactions.
//!
//! Types follow Dfns's OpenAPI spec 1.578.2.
//!
//! ```no_run
//! use dfns_blocking::api::fee_sponsors::{CreateFeeSponsor, ListFeeSponsors};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let sponsor = client.fee_sponsors().create(&CreateFeeSponsor::new("wa-...").name("gas tank"))?;
//! for fee in client.fee_sponsors().iter_fees(&sponsor.id, &ListFeeSponsors::new())? {
//!     let fee = fee?;
//!     println!("{} paid {:?}", fee.request_id, fee.fee);
//! }
//! client.fee_sponsors().deactivate(&sponsor.id)?;
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

use super::networks::Network;
use super::permissions::ListPermissions;
use crate::pagination::Page;

open_enum! {
    /// A fee sponsor's `status`.
    pub enum FeeSponsorStatus {
        /// It pays fees.
        Active = "Active",
        /// It pays no fees until activated again.
        Deactivated = "Deactivated",
        /// Deleted.
        Archived = "Archived",
    }
}

model! {
    /// A fee sponsor.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct FeeSponsor {
        /// The sponsor's id (`fs-...`).
        #[strict]
        pub id: String,
        /// The wallet that pays.
        pub wallet_id: String,
        /// The wallet's network.
        #[strict]
        pub network: Network,
        /// Its status; unknown values are kept.
        #[strict]
        pub status: FeeSponsorStatus,
        /// Its name, if given.
        pub name: Option<String>,
        /// Whether it pays for end users' (delegated) wallets, when Dfns says.
        pub allow_end_user: Option<bool>,
        /// When it was created (ISO-8601 UTC).
        pub date_created: Timestamp,
    }
}

model! {
    /// A fee a sponsor paid.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct SponsoredFee {
        /// The sponsor.
        pub fee_sponsor_id: String,
        /// The sponsored transfer or transaction.
        pub request_id: String,
        /// The wallet whose fee was paid.
        pub sponsoree_id: String,
        /// The fee, a decimal string in the network's smallest unit, once known.
        pub fee: Option<String>,
        /// When the sponsored request was made (ISO-8601 UTC).
        pub date_requested: Timestamp,
        /// When it was confirmed on chain (ISO-8601 UTC).
        pub date_confirmed: Timestamp,
    }
}

request_body! {
    /// The body of [`create`]. Unset options are not sent.
    ///
    /// ```
    /// use dfns_blocking::api::fee_sponsors::CreateFeeSponsor;
    ///
    /// let body = CreateFeeSponsor::new("wa-1").allow_end_user(true);
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"walletId":"wa-1","allowEndUser":true}"#
    /// );
    /// ```
    pub struct CreateFeeSponsor {
        /// The wallet that pays (required).
        wallet_id: String;
        /// A name.
        name: String,
        /// Whether it pays for end users' wallets too.
        allow_end_user: bool,
    }
}

/// What to list with [`list`] and [`list_fees`]: the page size, as [`ListPermissions`].
pub type ListFeeSponsors = ListPermissions;

endpoints! {
    /// The fee sponsor endpoints.
    handle FeeSponsors = Client::fee_sponsors, domain "fee_sponsors",
        reference "https://docs.dfns.co/api-reference/fee-sponsors";

    /// The organisation's fee sponsors (`listFeeSponsors`).
    GET "/fee-sponsors" => list(; query: &ListFeeSponsors) -> Page<FeeSponsor>, pages iter,
        query query;
    /// Makes a wallet a fee sponsor (`createFeeSponsor`).
    POST "/fee-sponsors" [signed] => create(; body: &CreateFeeSponsor) -> FeeSponsor,
        body body;
    /// Reads one fee sponsor (`getFeeSponsor`).
    GET "/fee-sponsors/{feeSponsorId}" => get(fee_sponsor_id) -> FeeSponsor;
    /// Deletes a fee sponsor (`deleteFeeSponsor`); the answer has status `Archived`.
    DELETE "/fee-sponsors/{feeSponsorId}" [signed] => delete(fee_sponsor_id) -> FeeSponsor;
    /// Activates a fee sponsor (`activateFeeSponsor`).
    PUT "/fee-sponsors/{feeSponsorId}/activate" [signed, idempotent]
        => activate(fee_sponsor_id) -> FeeSponsor;
    /// Deactivates a fee sponsor (`deactivateFeeSponsor`): it pays nothing until activated.
    PUT "/fee-sponsors/{feeSponsorId}/deactivate" [signed, idempotent]
        => deactivate(fee_sponsor_id) -> FeeSponsor;
    /// The fees a sponsor paid (`listSponsoredFees`).
    GET "/fee-sponsors/{feeSponsorId}/fees"
        => list_fees(fee_sponsor_id; query: &ListFeeSponsors) -> Page<SponsoredFee>,
        pages iter_fees,
        query query;
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
