//! Service accounts (`/auth/service-accounts`): machine users of your organisation, each with
//! an access token and the key pair that signs its user actions.
//!
//! ```no_run
//! use dfns_blocking::api::service_accounts::CreateServiceAccount;
//! use dfns_blocking::{Client, KeySigner};
//! # let admin = Client::builder().build()?;
//! # let key = KeySigner::from_pem("", "")?;
//! let created = admin
//!     .service_accounts()
//!     .create(&CreateServiceAccount::new("ci-deployer", key.public_key().to_pem()))?;
//! // The access token is in the answer to `create`, once.
//! let token = created.access_tokens[0].access_token.as_ref().map(|t| t.expose().to_owned());
//! let robot = Client::builder()
//!     .auth_token(token.unwrap_or_default())
//!     .signer(KeySigner::from_pem(&created.access_tokens[0].cred_id, "...pem...")?)
//!     .build()?;
//! # let _ = robot;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use super::pats::PersonalAccessToken;
use super::users::User;
use super::{Delete, Items, with_query};

model! {
    /// A service account: its user and its access tokens.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ServiceAccount {
        /// The service account's user (`userInfo`); its `user_id` is the service account's id.
        #[strict]
        pub user_info: User,
        /// Its access tokens (kind `ServiceAccount`), in the shape of a personal access token. Only
        /// the answer to [`create`] holds the bearer token itself (`access_token`, redacted in
        /// `Debug`).
        pub access_tokens: Vec<PersonalAccessToken>,
    }
}

request_body! {
    /// The body of [`create`]. Unset options are not sent.
    ///
    /// ```
    /// use dfns_blocking::api::service_accounts::CreateServiceAccount;
    ///
    /// let body = CreateServiceAccount::new("ci", "-----BEGIN PUBLIC KEY-----\n...").days_valid(90);
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["daysValid"], 90);
    /// assert!(json.get("permissionId").is_none());
    /// ```
    pub struct CreateServiceAccount {
        /// The service account's name (required, non-empty).
        name: String,
        /// The SPKI PEM public key of the key pair that will sign its user actions.
        public_key: String;
        /// A permission to assign at creation.
        permission_id: String,
        /// Your own reference.
        external_id: String,
        /// How many days its token is valid.
        days_valid: u64 [exact],
    }
}

/// The body of [`update`]: only what is set changes. Dfns takes the same fields as for a
/// personal access token (`name`, `externalId`), so it is the same type.
///
/// ```
/// use dfns_blocking::api::service_accounts::UpdateServiceAccount;
///
/// let body = UpdateServiceAccount::new().name("renamed");
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"name":"renamed"}"#);
/// ```
pub type UpdateServiceAccount = super::pats::UpdatePersonalAccessToken;

endpoints! {
    /// The service account endpoints.
    handle ServiceAccounts = Client::service_accounts, domain "auth",
        reference "https://docs.dfns.co/api-reference/auth";

    /// Every service account of the organisation (not paginated).
    GET "/auth/service-accounts" => list() -> Items<ServiceAccount>,
        answer |accounts| accounts.items => Vec<ServiceAccount>;
    /// Creates a service account; the answer's first access token holds its bearer token, once.
    POST "/auth/service-accounts" [signed] => create(; body: &CreateServiceAccount) -> ServiceAccount,
        body body;
    /// Reads one service account.
    GET "/auth/service-accounts/{serviceAccountId}" => get(service_account_id) -> ServiceAccount;
    /// Renames a service account or sets its external id.
    PUT "/auth/service-accounts/{serviceAccountId}" [signed, idempotent]
        => update(service_account_id; body: &UpdateServiceAccount) -> ServiceAccount,
        body body;
    /// Activates a service account.
    PUT "/auth/service-accounts/{serviceAccountId}/activate" [signed, idempotent]
        => activate(service_account_id) -> ServiceAccount;
    /// Deactivates a service account: its token stops working.
    PUT "/auth/service-accounts/{serviceAccountId}/deactivate" [signed, idempotent]
        => deactivate(service_account_id) -> ServiceAccount;
    /// Removes a service account for good ("archive" in the official clients). With `Delete::Force`,
    /// sends `?force=true`, which Dfns's current client documents as skipping the policy
    /// approval check; the query is not part of what is signed.
    DELETE "/auth/service-accounts/{serviceAccountId}" [signed]
        => delete(service_account_id; mode: Delete) -> ServiceAccount,
        with |request| Ok(with_query(request, &[mode.force_query()]));
}
