//! Permissions (`/permissions`): named sets of operations (`Wallets:Read`, `Policies:Create`,
//! ...) and their assignments to identities (users, service accounts, personal access tokens).
//!
//! ```no_run
//! use dfns_blocking::api::Delete;
//! use dfns_blocking::api::permissions::{CreatePermission, ListPermissions};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let permission = client.permissions().create(&CreatePermission::new(
//!     "Wallet readers",
//!     ["Wallets:Read", "Wallets:Transfers:Read"],
//! ))?;
//! let assignment = client.permissions().assign(&permission.id, "us-...")?;
//! for permission in client.permissions().iter(&ListPermissions::new().limit(50))? {
//!     println!("{}", permission?.name);
//! }
//! client.permissions().revoke(&permission.id, &assignment.id, Delete::Normal)?;
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::policies::ChangeRequest;
use super::{Delete, with_query};
use crate::pagination::Page;
use crate::time::Timestamp;

open_enum! {
    /// A permission's `status`.
    pub enum PermissionStatus {
        /// In use (archived permissions say so in `is_archived`).
        Active = "Active",
        /// Archived.
        Archived = "Archived",
    }
}

model! {
    /// A permission: a name and the operations it grants.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Permission {
        /// The permission's id (`pm-...`).
        #[strict]
        pub id: String,
        /// Its name.
        pub name: String,
        /// The operations it grants, as Dfns spells them (`Wallets:Read`, `Auth:Users:Create`, ...).
        pub operations: Vec<String>,
        /// Its status; unknown values are kept.
        pub status: Option<PermissionStatus>,
        /// Whether Dfns forbids changing it (the built-in permissions).
        pub is_immutable: bool,
        /// Whether it was archived.
        pub is_archived: bool,
        /// When it was created.
        pub date_created: Timestamp,
        /// When it last changed.
        pub date_updated: Timestamp,
        /// A change waiting for policy approval (in [`get`] and [`list`] answers), if any.
        pub pending_change_request: Option<Box<ChangeRequest<Permission>>>,
    }
}

model! {
    /// A permission assigned to an identity.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Assignment {
        /// The assignment's id (`as-...`).
        #[strict]
        pub id: String,
        /// The permission assigned.
        pub permission_id: String,
        /// Who holds it: a user, service account or token id.
        pub identity_id: String,
        /// Whether Dfns forbids revoking it.
        pub is_immutable: bool,
        /// When it was created.
        pub date_created: Timestamp,
        /// When it last changed.
        pub date_updated: Timestamp,
        /// A revocation waiting for policy approval (in [`list_assignments`] answers), if any.
        pub pending_change_request: Option<Box<ChangeRequest<Assignment>>>,
    }
}

request_body! {
    #![samples_by_hand]
    /// The body of [`create`].
    ///
    /// ```
    /// use dfns_blocking::api::permissions::CreatePermission;
    ///
    /// let body = CreatePermission::new("Readers", ["Wallets:Read"]);
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"name":"Readers","operations":["Wallets:Read"]}"#
    /// );
    /// ```
    pub struct CreatePermission {
        /// The name (non-empty).
        name: String,
        /// The operations to grant (at least one).
        operations: String [list];
    }
}

request_body! {
    #![samples_by_hand]
    /// The body of [`update`]: only what is set changes (`operations` replaces the whole list).
    ///
    /// ```
    /// use dfns_blocking::api::permissions::UpdatePermission;
    ///
    /// let body = UpdatePermission::new().name("Auditors");
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"name":"Auditors"}"#);
    /// ```
    pub struct UpdatePermission {
        ;
        /// A new name.
        name: String,
        /// The new list of operations.
        operations: String [list],
    }
}

query! {
    /// What to list with [`list`] and [`Permissions::iter`]: the page size. The page token is a
    /// separate argument of [`list`], so one `ListPermissions` serves every page.
    ///
    /// ```
    /// use dfns_blocking::api::permissions::{self, ListPermissions};
    ///
    /// let request = permissions::list(&ListPermissions::new().limit(10), Some("abc"))?;
    /// assert_eq!(request.encoded_query(), "?limit=10&paginationToken=abc");
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub struct ListPermissions {
        /// How many per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
    }
}

/// What to list with [`list_assignments`]: the page size, as [`ListPermissions`].
pub type ListAssignments = ListPermissions;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Archive {
    is_archived: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Assign<'a> {
    identity_id: &'a str,
}

endpoints! {
    /// The permission endpoints.
    handle Permissions = Client::permissions, domain "permissions",
        reference "https://docs.dfns.co/api-reference/permissions";

    /// The organisation's permissions (`listPermissions`).
    GET "/permissions" => list(; query: &ListPermissions) -> Page<Permission>, pages iter,
        query query;
    /// Creates a permission (`createPermission`).
    POST "/permissions" [signed] => create(; body: &CreatePermission) -> Permission,
        body body;
    /// Reads one permission (`getPermission`).
    GET "/permissions/{permissionId}" => get(permission_id) -> Permission;
    /// Updates a permission (`updatePermission`). A `Permissions:Modify` policy may hold it for
    /// approval ([`Error::PolicyApprovalPending`](crate::Error::PolicyApprovalPending)).
    PUT "/permissions/{permissionId}" [signed, idempotent]
        => update(permission_id; body: &UpdatePermission) -> Permission,
        body body;
    /// Archives a permission (`archivePermission`): sends `{"isArchived":true}`; the permission
    /// can no longer be assigned.
    PUT "/permissions/{permissionId}/archive" [signed, idempotent, deprecated = "Dfns deprecates archiving a permission"]
        => archive(permission_id) -> Permission,
        with |request| request.json(&Archive { is_archived: true });
    /// Deletes a permission (whatever the answer's body holds is ignored).
    DELETE "/permissions/{permissionId}" [signed] => delete(permission_id) -> serde_json::Value,
        answer |_ignored| () => ();
    /// Gives the permission to `identity_id`, a user, service account or token id
    /// (`createAssignment`).
    POST "/permissions/{permissionId}/assignments" [signed]
        => assign(permission_id; identity_id: &str) -> Assignment,
        with |request| request.json(&Assign { identity_id });
    /// Who holds the permission (`listAssignments`).
    GET "/permissions/{permissionId}/assignments"
        => list_assignments(permission_id; query: &ListAssignments) -> Page<Assignment>,
        pages iter_assignments,
        query query;
    /// Revokes an assignment (`deleteAssignment`). `Delete::Force` adds `?force=true` (not part of
    /// what is signed). Dfns documents no answer body; whatever comes is ignored.
    DELETE "/permissions/{permissionId}/assignments/{assignmentId}" [signed]
        => revoke(permission_id, assignment_id; mode: Delete) -> serde_json::Value,
        with |request| Ok(with_query(request, &[mode.force_query()])),
        answer |_ignored| () => ();
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreatePermission {
    fn samples() -> Vec<Self> {
        vec![Self::new("name", ["Auth:Users:Read"])]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for UpdatePermission {
    fn samples() -> Vec<Self> {
        vec![Self::new().name("name").operations(["Auth:Users:Read"])]
    }
}
