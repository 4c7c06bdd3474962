//! Personal access tokens (`/auth/pats`): long-lived API tokens tied to a user, each with its
//! own key pair that signs the token's own user actions.
//!
//! ```no_run
//! use dfns_blocking::api::pats::CreatePersonalAccessToken;
//! # let client = dfns_blocking::Client::builder().build()?;
//! # let key = dfns_blocking::KeySigner::from_pem("", "")?;
//! let created = client.pats().create(
//!     &CreatePersonalAccessToken::new("ci-deployer", key.public_key().to_pem()).days_valid(30),
//! )?;
//! let secret = created.access_token.as_ref().map(|t| t.expose());
//! client.pats().deactivate(&created.token_id)?;
//! # let _ = secret;
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use serde::{Deserialize, Serialize};

pub use super::AccessToken;
use super::Items;
use crate::time::Timestamp;

open_enum! {
    /// What an access token is (`kind`).
    pub enum TokenKind {
        /// A personal access token.
        Pat = "Pat",
        /// A service account's token.
        ServiceAccount = "ServiceAccount",
        /// A login token.
        Token = "Token",
        /// A one-time code.
        Code = "Code",
        /// A recovery token.
        Recovery = "Recovery",
        /// A temporary (registration) token.
        Temp = "Temp",
        /// An application's token.
        Application = "Application",
    }
}

model! {
    /// A personal access token as Dfns describes it.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PersonalAccessToken {
        /// The token's id (`to-...`), used in every path.
        #[strict]
        pub token_id: String,
        /// Its name, unique per user.
        pub name: String,
        /// Whether it can be used.
        pub is_active: bool,
        /// The kind of token (`Pat`); unknown kinds are kept.
        pub kind: Option<TokenKind>,
        /// The user the token acts for.
        pub linked_user_id: String,
        /// The application it is linked to (may be empty).
        pub linked_app_id: String,
        /// The organisation.
        pub org_id: String,
        /// The credential id the token signs its own user actions with (may be empty).
        pub cred_id: String,
        /// The token's public key: a PEM, a `SHA256:...` fingerprint, or empty.
        pub public_key: String,
        /// When it was created.
        pub date_created: Timestamp,
        /// The permissions assigned to it.
        pub permission_assignments: Vec<PermissionAssignment>,
        /// The bearer token itself: only in the answer to [`create`], once.
        pub access_token: Option<AccessToken>,
    }
}

model! {
    /// A permission assigned to a token.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PermissionAssignment {
        /// The permission's name.
        pub permission_name: String,
        /// The permission's id (`pm-...`).
        pub permission_id: String,
        /// The assignment's id (`as-...`).
        pub assignment_id: String,
        /// The operations the permission grants, when listed.
        pub operations: Option<Vec<String>>,
    }
}

request_body! {
    /// The body of [`create`]. Unset options are not sent.
    ///
    /// ```
    /// use dfns_blocking::api::pats::CreatePersonalAccessToken;
    ///
    /// let body = CreatePersonalAccessToken::new("deployer", "-----BEGIN PUBLIC KEY-----\n...")
    ///     .days_valid(30)
    ///     .external_id("ticket-42");
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["daysValid"], 30);
    /// assert!(json.get("permissionId").is_none());
    /// ```
    pub struct CreatePersonalAccessToken {
        /// The token's name (required, non-empty, unique per user).
        name: String,
        /// The SPKI PEM public key of the token's own key pair (see
        /// [`PublicKey::to_pem`](crate::PublicKey::to_pem)).
        public_key: String;
        /// A permission to assign; without it the token gets the caller's permissions.
        permission_id: String,
        /// Your own reference for the token.
        external_id: String,
        /// How many days the token is valid.
        days_valid: u64 [exact],
        /// How many seconds the token is valid (wins over `days_valid`).
        seconds_valid: u64 [exact],
    }
}

request_body! {
    /// The body of [`update`]: only what is set changes.
    ///
    /// ```
    /// use dfns_blocking::api::pats::UpdatePersonalAccessToken;
    ///
    /// let body = UpdatePersonalAccessToken::new().name("renamed");
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"name":"renamed"}"#);
    /// ```
    pub struct UpdatePersonalAccessToken {
        ;
        /// A new name.
        name: String,
        /// A new external id.
        external_id: String,
    }
}

endpoints! {
    /// The personal access token endpoints.
    handle Pats = Client::pats, domain "auth",
        reference "https://docs.dfns.co/api-reference/auth";

    /// The caller's tokens (not paginated).
    GET "/auth/pats" => list() -> Items<PersonalAccessToken>,
        answer |tokens| tokens.items => Vec<PersonalAccessToken>;
    /// Creates a token; the answer holds its `accessToken`, once.
    POST "/auth/pats" [signed] => create(; body: &CreatePersonalAccessToken) -> PersonalAccessToken,
        body body;
    /// Reads one token.
    GET "/auth/pats/{tokenId}" => get(token_id) -> PersonalAccessToken;
    /// Renames a token or sets its external id.
    PUT "/auth/pats/{tokenId}" [signed, idempotent]
        => update(token_id; body: &UpdatePersonalAccessToken) -> PersonalAccessToken,
        body body;
    /// Activates a token; activating an active token changes nothing.
    PUT "/auth/pats/{tokenId}/activate" [signed, idempotent] => activate(token_id) -> PersonalAccessToken;
    /// Deactivates a token: it stops working at once; deactivating an inactive token changes
    /// nothing.
    PUT "/auth/pats/{tokenId}/deactivate" [signed, idempotent] => deactivate(token_id) -> PersonalAccessToken;
    /// Deletes a token for good ("archive" in older docs).
    DELETE "/auth/pats/{tokenId}" [signed] => delete(token_id) -> PersonalAccessToken;
}
