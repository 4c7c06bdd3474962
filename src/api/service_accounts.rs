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
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateServiceAccount {
    /// The service account's name (required, non-empty).
    pub name: String,
    /// The SPKI PEM public key of the key pair that will sign its user actions.
    pub public_key: String,
    /// A permission to assign at creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission_id: Option<String>,
    /// Your own reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// How many days its token is valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_valid: Option<u64>,
}

impl CreateServiceAccount {
    /// A service account named `name` whose actions `public_key_pem`'s key pair signs.
    pub fn new(name: impl Into<String>, public_key_pem: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            public_key: public_key_pem.into(),
            permission_id: None,
            external_id: None,
            days_valid: None,
        }
    }

    /// Assigns a permission (`pm-...`).
    pub fn permission_id(mut self, permission_id: impl Into<String>) -> Self {
        self.permission_id = Some(permission_id.into());
        self
    }

    /// Sets your own reference.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// Sets the token's validity in days.
    pub fn days_valid(mut self, days: u64) -> Self {
        self.days_valid = Some(days);
        self
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

// The field fidelity test's samples (see `api::fidelity`): every optional field set.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateServiceAccount {
    fn samples() -> Vec<Self> {
        vec![
            Self::new("name", "PEM")
                .permission_id("pm-1")
                .external_id("external")
                .days_valid(30),
        ]
    }
}
