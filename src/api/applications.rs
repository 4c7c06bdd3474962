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

use super::Items;
use super::pats::{PermissionAssignment, PersonalAccessToken};

open_enum! {
    /// What an application is (`kind`).
    pub enum ApplicationKind {
        /// A server-side application.
        ServerSideApplication = "ServerSideApplication",
        /// A client-side (browser, mobile) application.
        ClientSideApplication = "ClientSideApplication",
    }
}

model! {
    /// An application as Dfns describes it.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Application {
        /// The application's id (`ap-...`), the value of `X-DFNS-APPID`.
        #[strict]
        pub app_id: String,
        /// Its kind; unknown kinds are kept.
        pub kind: Option<ApplicationKind>,
        /// The organisation.
        pub org_id: String,
        /// Its name.
        pub name: String,
        /// Whether it can be used.
        pub is_active: bool,
        /// The WebAuthn relying party id it expects, if any.
        pub expected_rp_id: Option<String>,
        /// The web origin it expects, if any.
        pub expected_origin: Option<String>,
        /// The permissions assigned to it.
        pub permission_assignments: Vec<PermissionAssignment>,
        /// Its access tokens (kind `Application`).
        pub access_tokens: Vec<PersonalAccessToken>,
    }
}

endpoints! {
    /// The application endpoints.
    handle Applications = Client::applications, domain "auth",
        reference "https://docs.dfns.co/api-reference/auth";

    /// The organisation's applications (not paginated).
    GET "/auth/apps" [deprecated = "Dfns deprecates applications; service accounts and personal access tokens replace them"] => list() -> Items<Application>,
        answer |apps| apps.items => Vec<Application>;
    /// Reads one application.
    GET "/auth/apps/{appId}" [deprecated = "Dfns deprecates applications; service accounts and personal access tokens replace them"] => get(app_id) -> Application;
}
