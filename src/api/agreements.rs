//! Agreements (`/agreements`): the terms Dfns (or a partner, for swaps) asks users to accept,
//! and recording an acceptance. Types follow Dfns's OpenAPI description 1.578.2.
//!
//! ```no_run
//! use dfns_blocking::api::agreements::AgreementType;
//! # let client = dfns_blocking::Client::builder().build()?;
//! if let Some(terms) = client.agreements().get_latest_unaccepted(AgreementType::TermsAndConditions)? {
//!     println!("please read {}", terms.agreement_url.as_deref().unwrap_or(&terms.details));
//!     client.agreements().accept(&terms.id)?;
//! }
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

open_enum! {
    /// Which agreement (`agreementType`).
    pub enum AgreementType {
        /// Dfns's privacy policy.
        PrivacyPolicy = "PrivacyPolicy",
        /// Dfns's terms and conditions.
        TermsAndConditions = "TermsAndConditions",
        /// Uniswap's terms of service (for swaps).
        UniswapTermsOfService = "UniswapTermsOfService",
        /// Uniswap's privacy policy (for swaps).
        UniswapPrivacyPolicy = "UniswapPrivacyPolicy",
    }
}

model! {
    /// An agreement to accept.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Agreement {
        /// The agreement's id, for [`accept`].
        #[strict]
        pub id: String,
        /// Which agreement.
        pub agreement_type: Option<AgreementType>,
        /// Its text or a summary.
        pub details: String,
        /// Where to read it.
        pub agreement_url: Option<String>,
    }
}

model! {
    /// The answer of [`get_latest_unaccepted`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct LatestUnaccepted {
        /// The newest agreement of the type the caller has not accepted, if any.
        pub latest_agreement: Option<Agreement>,
    }
}

model! {
    /// An acceptance recorded.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Acceptance {
        /// The agreement.
        pub agreement_id: String,
        /// Who accepted.
        pub user_id: String,
        /// When.
        pub date_accepted: Timestamp,
    }
}

endpoints! {
    /// The agreement endpoints.
    handle Agreements = Client::agreements, domain "agreements",
        reference "https://docs.dfns.co/api-reference/agreements";

    /// The newest agreement of `agreement_type` the caller has not accepted; `None` when
    /// there is nothing to accept.
    GET "/agreements/latest-unaccepted"
        => get_latest_unaccepted(; agreement_type: AgreementType) -> LatestUnaccepted,
        with |request| Ok(request.query("agreementType", agreement_type.as_str())),
        answer |latest| latest.latest_agreement => Option<Agreement>;
    /// Records that the caller accepted an agreement.
    POST "/agreements/{agreementId}/accept" [signed] => accept(agreement_id) -> Acceptance;
}
