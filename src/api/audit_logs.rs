//! User action logs (`/auth/action/logs`): every signed action of the organisation, with the
//! signature that authorized it, so you can verify it yourself.
//!
//! ```no_run
//! use std::time::{Duration, SystemTime};
//! use dfns_blocking::api::audit_logs::ListAuditLogs;
//! # let client = dfns_blocking::Client::builder().build()?;
//! let now = SystemTime::now();
//! let csv = client
//!     .audit_logs()
//!     .list(&ListAuditLogs::between(now - Duration::from_secs(86_400), now))?;
//! println!("{csv}");
//! let log = client.audit_logs().get("an id from the list")?;
//! println!("{} by {:?}", log.action, log.user_id);
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::signing::CredentialKind;
use crate::time::Timestamp;

query! {
    #![samples_by_hand]
    /// What [`list`] asks for: a time range (Dfns allows at most 7 days) and optionally one user.
    ///
    /// ```
    /// use dfns_blocking::Timestamp;
    /// use dfns_blocking::api::audit_logs::{self, ListAuditLogs};
    ///
    /// let start: Timestamp = "2025-08-29T02:46:40Z".parse()?;
    /// let end: Timestamp = "2025-09-01T02:46:40Z".parse()?;
    /// let query = ListAuditLogs::new(start, end).user_id("us-1");
    /// assert_eq!(audit_logs::list(&query)?.path(), "/auth/action/logs");
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub struct ListAuditLogs {
        /// The start of the range.
        start_time: Timestamp = "startTime",
        /// The end of the range.
        end_time: Timestamp = "endTime";
        /// Only the actions of this user.
        user_id: String = "userId",
    }
}

impl ListAuditLogs {
    /// The actions between two instants.
    pub fn between(start: SystemTime, end: SystemTime) -> Self {
        Self::new(start, end)
    }
}

model! {
    /// One signed action, as `GET /auth/action/logs/{id}` describes it.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AuditLog {
        /// The log's id.
        #[strict]
        pub id: String,
        /// The action performed.
        pub action: String,
        /// The user action token the action was performed with (single-use, already spent).
        pub action_token: String,
        /// The user who performed it, when known.
        pub user_id: Option<String>,
        /// That user's username, when known.
        pub username: Option<String>,
        /// When it was performed, when known (Dfns may send `null`).
        pub date_performed: Option<Timestamp>,
        /// The credential that signed it, and the signature.
        #[strict]
        pub first_factor_credential: AuditCredential,
    }
}

model! {
    /// The credential that signed a logged action.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AuditCredential {
        /// The credential's id.
        pub id: String,
        /// Its kind, when known; unknown kinds are kept.
        pub kind: Option<CredentialKind>,
        /// The public key that verifies the signature (PEM).
        pub public_key: String,
        /// The signature evidence; `None` for actions recorded without one.
        pub assertion: Option<AuditAssertion>,
    }
}

model! {
    /// The signature evidence of a logged action.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AuditAssertion {
        /// WebAuthn authenticator data (base64url); `None` for `Key` credentials, which sign the
        /// client data alone.
        pub authenticator_data: Option<String>,
        /// The client data that was signed (base64url), holding the challenge.
        pub client_data: String,
        /// The signature (base64url).
        pub signature: String,
    }
}

endpoints! {
    /// The user action log endpoints.
    handle AuditLogs = Client::audit_logs, domain "auth",
        reference "https://docs.dfns.co/api-reference/auth";

    /// The actions in a time range, as CSV text (Dfns answers a JSON string holding the CSV;
    /// this returns the text).
    GET "/auth/action/logs" => list(; query: &ListAuditLogs) -> String,
        query query;
    /// Reads one logged action.
    GET "/auth/action/logs/{id}" => get(id) -> AuditLog;
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for ListAuditLogs {
    fn samples() -> Vec<Self> {
        let day = std::time::Duration::from_secs(86_400);
        let start = std::time::UNIX_EPOCH + 20_454 * day;
        vec![Self::between(start, start + day).user_id("us-1")]
    }
}
