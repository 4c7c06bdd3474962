//! Organisation users (`/auth/users`): invite, read, list (paginated), update, activate,
//! deactivate and delete the people and service accounts of your organisation.
//!
//! ```no_run
//! use dfns_blocking::api::users::{CreateUser, ListUsers, UserKind};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let invited = client
//!     .users()
//!     .create(&CreateUser::new("ada@example.com", UserKind::CustomerEmployee))?;
//! client.users().deactivate(&invited.user_id)?;
//!
//! // Every organisation employee, 100 per request, one page in memory at a time.
//! for user in client.users().iter(&ListUsers::new().limit(100).kind(UserKind::CustomerEmployee))? {
//!     let user = user?;
//!     println!("{} {}", user.user_id, user.username);
//! }
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::or_default;
use super::pats::PermissionAssignment;
use crate::pagination::Page;

open_enum! {
    /// What a user is (`kind`).
    pub enum UserKind {
        /// A member of your organisation (and the kind of a service account).
        CustomerEmployee = "CustomerEmployee",
        /// A delegated (end) user of your application.
        EndUser = "EndUser",
        /// Dfns staff.
        DfnsStaff = "DfnsStaff",
        /// An account user.
        AccountUser = "AccountUser",
        /// A user of the tenant (tenant administration, [`Users::invite`]).
        TenantUser = "TenantUser",
    }
}

model! {
    /// A user as Dfns describes it (also the `userInfo` of a service account).
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct User {
        /// The user's id (`us-...`), used in every path.
        #[strict]
        pub user_id: String,
        /// The login name: the email of a person, the name of a service account.
        pub username: String,
        /// The display name.
        pub name: String,
        /// The kind of user; unknown kinds are kept.
        pub kind: Option<UserKind>,
        /// The id of the user's credential record.
        pub credential_uuid: String,
        /// The organisation.
        pub org_id: String,
        /// Whether the user can act.
        pub is_active: bool,
        /// Whether this is a service account's user.
        pub is_service_account: bool,
        /// Whether the user finished registration (an invited person has not yet).
        pub is_registered: bool,
        /// Whether the user must log in through SSO (absent for service accounts: `false`).
        #[serde(default, rename = "isSSORequired", deserialize_with = "or_default")]
        pub is_sso_required: bool,
        /// The permissions assigned to the user.
        pub permission_assignments: Vec<PermissionAssignment>,
        /// Legacy permission names, when Dfns sends them.
        pub permissions: Option<Vec<String>>,
    }
}

request_body! {
    #![samples_by_hand]
    /// The body of [`create`]: invites a person by email. Dfns creates `CustomerEmployee` users
    /// here (end users come from delegated registration). Unset options are not sent.
    ///
    /// ```
    /// use dfns_blocking::api::users::{CreateUser, UserKind};
    ///
    /// let body = CreateUser::new("ada@example.com", UserKind::CustomerEmployee).external_id("hr-42");
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"email":"ada@example.com","kind":"CustomerEmployee","externalId":"hr-42"}"#
    /// );
    /// ```
    pub struct CreateUser {
        /// The email the registration code is sent to.
        email: String,
        /// The kind of user: `CustomerEmployee`, the only kind this endpoint creates.
        kind: UserKind;
        /// Your own reference for the user.
        external_id: String,
        /// Whether the user must log in through SSO (Dfns's default: `false`).
        #[serde(rename = "isSSORequired")]
        is_sso_required: bool [exact],
        /// An SPKI PEM public key to register as the user's credential.
        public_key: String,
    }
}

request_body! {
    /// The body of [`update`]: Dfns lets you change whether SSO is required, and nothing else.
    ///
    /// ```
    /// use dfns_blocking::api::users::UpdateUser;
    ///
    /// let body = UpdateUser::new(true);
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"isSSORequired":true}"#);
    /// ```
    pub struct UpdateUser {
        /// Whether the user must log in through SSO.
        #[serde(rename = "isSSORequired")]
        is_sso_required: bool [exact];
    }
}

query! {
    /// What to list with [`list`] and [`Users::iter`]: page size and filters. The page token is a
    /// separate argument of [`list`], so one `ListUsers` serves every page.
    ///
    /// ```
    /// use dfns_blocking::api::users::{ListUsers, UserKind};
    ///
    /// let query = ListUsers::new().limit(50).kind(UserKind::EndUser);
    /// let request = dfns_blocking::api::users::list(&query, Some("next-page"))?;
    /// assert_eq!(request.path(), "/auth/users");
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub struct ListUsers {
        /// Users per page (Dfns: 1 to 200; its default when unset).
        limit: u32 = "limit" [exact],
        /// Only users of this kind (`CustomerEmployee` or `EndUser`).
        kind: UserKind = "kind",
    }
}

#[derive(Serialize)]
struct Invite<'a> {
    email: &'a str,
    kind: &'a UserKind,
}

endpoints! {
    /// The organisation user endpoints.
    handle Users = Client::users, domain "auth",
        reference "https://docs.dfns.co/api-reference/auth";

    /// The organisation's users.
    GET "/auth/users" => list(; query: &ListUsers) -> Page<User>, pages iter,
        query query;
    /// Invites a user, who gets a registration email.
    POST "/auth/users" [signed] => create(; body: &CreateUser) -> User,
        body body;
    /// Reads one user.
    GET "/auth/users/{userId}" => get(user_id) -> User;
    /// Updates a user.
    PUT "/auth/users/{userId}" [signed, idempotent] => update(user_id; body: &UpdateUser) -> User,
        body body;
    /// Activates a user.
    PUT "/auth/users/{userId}/activate" [signed, idempotent] => activate(user_id) -> User;
    /// Deactivates a user: the user can no longer act.
    PUT "/auth/users/{userId}/deactivate" [signed, idempotent] => deactivate(user_id) -> User;
    /// Removes a user for good ("archive" in the official clients).
    DELETE "/auth/users/{userId}" [signed] => delete(user_id) -> User;
    /// Invites a user of the tenant by email (`inviteTenantUser`). The body follows Dfns's Java
    /// client (`InviteTenantUserRequest`: `email`, `kind`); that client and the Python one
    /// describe the answer only as an object, so it is kept as sent.
    POST "/auth/users/invite" [signed] => invite(; email: &str, kind: &UserKind) -> serde_json::Value,
        with |request| request.json(&Invite { email, kind });
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set (a user
// created here is a `CustomerEmployee`), each kind of a list's filter in turn.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateUser {
    fn samples() -> Vec<Self> {
        vec![
            Self::new("user@example.com", UserKind::CustomerEmployee)
                .external_id("external")
                .is_sso_required(true)
                .public_key("PEM"),
        ]
    }
}
