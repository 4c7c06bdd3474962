//! Applications (`/auth/apps`, deprecated by Dfns but still served): read them.
//!
//! ```no_run
//! # let client = dfns_blocking::Client::builder().build()?;
//! for app in client.applications().list()? {
//!     println!("{} {} active={}", app.app_id, app.name, app.is_active);
//! }
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::pats::{PermissionAssignment, PersonalAccessToken};
use super::{Items, or_default};
use crate::client::Client;
use crate::error::Result;
use crate::request::{Method, Request};

open_enum! {
    /// What an application is (`kind`).
    pub enum ApplicationKind {
        /// A server-side application.
        ServerSideApplication = "ServerSideApplication",
        /// A client-side (browser, mobile) application.
        ClientSideApplication = "ClientSideApplication",
    }
}

/// An application as Dfns describes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Application {
    /// The application's id (`ap-...`), the value of `X-DFNS-APPID`.
    pub app_id: String,
    /// Its kind; unknown kinds are kept.
    #[serde(default, deserialize_with = "or_default")]
    pub kind: Option<ApplicationKind>,
    /// The organisation.
    #[serde(default, deserialize_with = "or_default")]
    pub org_id: String,
    /// Its name.
    #[serde(default, deserialize_with = "or_default")]
    pub name: String,
    /// Whether it can be used.
    #[serde(default, deserialize_with = "or_default")]
    pub is_active: bool,
    /// The WebAuthn relying party id it expects, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_rp_id: Option<String>,
    /// The web origin it expects, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_origin: Option<String>,
    /// The permissions assigned to it.
    #[serde(default, deserialize_with = "or_default")]
    pub permission_assignments: Vec<PermissionAssignment>,
    /// Its access tokens (kind `Application`).
    #[serde(default, deserialize_with = "or_default")]
    pub access_tokens: Vec<PersonalAccessToken>,
}

/// `GET /auth/apps`: the organisation's applications (not paginated).
pub fn list() -> Result<Request<Items<Application>>> {
    Request::new(Method::Get, "/auth/apps", &[])
}

/// `GET /auth/apps/{appId}`.
pub fn get(app_id: &str) -> Result<Request<Application>> {
    Request::new(Method::Get, "/auth/apps/{}", &[app_id])
}

/// The application endpoints, from [`Client::applications`].
#[derive(Debug, Clone, Copy)]
pub struct Applications<'a> {
    client: &'a Client,
}

impl Client {
    /// The application endpoints.
    pub fn applications(&self) -> Applications<'_> {
        Applications { client: self }
    }
}

impl Applications<'_> {
    /// Lists the applications. See [`list`].
    pub fn list(&self) -> Result<Vec<Application>> {
        Ok(self.client.send(&list()?)?.items)
    }

    /// Reads one application. See [`get`].
    pub fn get(&self, app_id: &str) -> Result<Application> {
        self.client.send(&get(app_id)?)
    }
}
