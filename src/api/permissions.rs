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

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use super::policies::ChangeRequest;
use super::{Delete, or_default, with_query};
use crate::client::Client;
use crate::error::Result;
use crate::pagination::{Page, Pages};
use crate::request::{Method, Request};
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

/// A permission: a name and the operations it grants.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Permission {
    /// The permission's id (`pm-...`).
    pub id: String,
    /// Its name.
    #[serde(default, deserialize_with = "or_default")]
    pub name: String,
    /// The operations it grants, as Dfns spells them (`Wallets:Read`, `Auth:Users:Create`, ...).
    #[serde(default, deserialize_with = "or_default")]
    pub operations: Vec<String>,
    /// Its status; unknown values are kept.
    #[serde(default, deserialize_with = "or_default")]
    pub status: Option<PermissionStatus>,
    /// Whether Dfns forbids changing it (the built-in permissions).
    #[serde(default, deserialize_with = "or_default")]
    pub is_immutable: bool,
    /// Whether it was archived.
    #[serde(default, deserialize_with = "or_default")]
    pub is_archived: bool,
    /// When it was created.
    #[serde(default, deserialize_with = "or_default")]
    pub date_created: Timestamp,
    /// When it last changed.
    #[serde(default, deserialize_with = "or_default")]
    pub date_updated: Timestamp,
    /// A change waiting for policy approval (in [`get`] and [`list`] answers), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_change_request: Option<Box<ChangeRequest<Permission>>>,
}

/// A permission assigned to an identity.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Assignment {
    /// The assignment's id (`as-...`).
    pub id: String,
    /// The permission assigned.
    #[serde(default, deserialize_with = "or_default")]
    pub permission_id: String,
    /// Who holds it: a user, service account or token id.
    #[serde(default, deserialize_with = "or_default")]
    pub identity_id: String,
    /// Whether Dfns forbids revoking it.
    #[serde(default, deserialize_with = "or_default")]
    pub is_immutable: bool,
    /// When it was created.
    #[serde(default, deserialize_with = "or_default")]
    pub date_created: Timestamp,
    /// When it last changed.
    #[serde(default, deserialize_with = "or_default")]
    pub date_updated: Timestamp,
    /// A revocation waiting for policy approval (in [`list_assignments`] answers), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_change_request: Option<Box<ChangeRequest<Assignment>>>,
}

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
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreatePermission {
    /// The name (required, non-empty).
    pub name: String,
    /// The operations to grant (at least one).
    pub operations: Vec<String>,
}

impl CreatePermission {
    /// A permission named `name` granting `operations`.
    pub fn new<I, S>(name: impl Into<String>, operations: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            name: name.into(),
            operations: operations.into_iter().map(Into::into).collect(),
        }
    }
}

/// The body of [`update`]: only what is set changes (`operations` replaces the whole list).
///
/// ```
/// use dfns_blocking::api::permissions::UpdatePermission;
///
/// let body = UpdatePermission::new().name("Auditors");
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"name":"Auditors"}"#);
/// ```
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdatePermission {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The new list of operations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operations: Option<Vec<String>>,
}

impl UpdatePermission {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Renames the permission.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Replaces the operations.
    pub fn operations<I, S>(mut self, operations: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.operations = Some(operations.into_iter().map(Into::into).collect());
        self
    }
}

/// What to list with [`list`] and [`Permissions::iter`]: the page size. The page token is a
/// separate argument of [`list`], so one `ListPermissions` serves every page.
///
/// ```
/// use dfns_blocking::api::permissions::{self, ListPermissions};
///
/// let request = permissions::list(&ListPermissions::new().limit(10), Some("abc"))?;
/// assert!(format!("{request:?}").contains("?limit=10&paginationToken=abc"));
/// # Ok::<(), dfns_blocking::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListPermissions {
    /// How many per page (Dfns's default when unset).
    pub limit: Option<u32>,
}

impl ListPermissions {
    /// Every entry, in pages of Dfns's default size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
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

fn paged<T>(request: Request<T>, query: &ListPermissions, page_token: Option<&str>) -> Request<T> {
    with_query(
        request,
        &[
            ("limit", query.limit.map(|limit| limit.to_string())),
            ("paginationToken", page_token.map(str::to_owned)),
        ],
    )
}

/// `GET /permissions` (`listPermissions`): one page of the organisation's permissions, from
/// the start or from `page_token` (a previous page's `next_page_token`).
pub fn list(
    query: &ListPermissions,
    page_token: Option<&str>,
) -> Result<Request<Page<Permission>>> {
    let request = Request::new(Method::Get, "/permissions", &[])?;
    Ok(paged(request, query, page_token))
}

/// `POST /permissions` (signed, `createPermission`).
pub fn create(body: &CreatePermission) -> Result<Request<Permission>> {
    Ok(Request::new(Method::Post, "/permissions", &[])?
        .json(body)?
        .signed())
}

/// `GET /permissions/{permissionId}` (`getPermission`).
pub fn get(permission_id: &str) -> Result<Request<Permission>> {
    Request::new(Method::Get, "/permissions/{}", &[permission_id])
}

/// `PUT /permissions/{permissionId}` (signed, `updatePermission`). A `Permissions:Modify`
/// policy may hold it for approval ([`Error::PolicyApprovalPending`](crate::Error::PolicyApprovalPending)).
pub fn update(permission_id: &str, body: &UpdatePermission) -> Result<Request<Permission>> {
    Ok(
        Request::new(Method::Put, "/permissions/{}", &[permission_id])?
            .json(body)?
            .signed(),
    )
}

/// `PUT /permissions/{permissionId}/archive` (signed, `archivePermission`): sends
/// `{"isArchived":true}`; the permission can no longer be assigned.
pub fn archive(permission_id: &str) -> Result<Request<Permission>> {
    Ok(
        Request::new(Method::Put, "/permissions/{}/archive", &[permission_id])?
            .json(&Archive { is_archived: true })?
            .signed(),
    )
}

/// `POST /permissions/{permissionId}/assignments` (signed, `createAssignment`): gives the
/// permission to `identity_id` (a user, service account or token id).
pub fn assign(permission_id: &str, identity_id: &str) -> Result<Request<Assignment>> {
    Ok(Request::new(
        Method::Post,
        "/permissions/{}/assignments",
        &[permission_id],
    )?
    .json(&Assign { identity_id })?
    .signed())
}

/// `GET /permissions/{permissionId}/assignments` (`listAssignments`): one page of who holds
/// the permission, from the start or from `page_token`.
pub fn list_assignments(
    permission_id: &str,
    query: &ListAssignments,
    page_token: Option<&str>,
) -> Result<Request<Page<Assignment>>> {
    let request = Request::new(Method::Get, "/permissions/{}/assignments", &[permission_id])?;
    Ok(paged(request, query, page_token))
}

/// `DELETE /permissions/{permissionId}/assignments/{assignmentId}` (signed, `deleteAssignment`):
/// revokes an assignment. [`Delete::Force`] adds `?force=true` (not part of what is signed).
/// Dfns documents no answer body; whatever comes is ignored.
pub fn revoke(
    permission_id: &str,
    assignment_id: &str,
    mode: Delete,
) -> Result<Request<IgnoredAny>> {
    let request = Request::new(
        Method::Delete,
        "/permissions/{}/assignments/{}",
        &[permission_id, assignment_id],
    )?
    .signed();
    Ok(with_query(request, &[mode.force_query()]))
}

/// The permission endpoints, from [`Client::permissions`].
#[derive(Debug, Clone, Copy)]
pub struct Permissions<'a> {
    client: &'a Client,
}

impl Client {
    /// The permission endpoints.
    pub fn permissions(&self) -> Permissions<'_> {
        Permissions { client: self }
    }
}

impl<'a> Permissions<'a> {
    /// One page of permissions. See [`list`].
    pub fn list(
        &self,
        query: &ListPermissions,
        page_token: Option<&str>,
    ) -> Result<Page<Permission>> {
        self.client.send(&list(query, page_token)?)
    }

    /// Every permission, following `nextPageToken` from the first page, one page in memory at
    /// a time; stops after the first error. See [`Pages`].
    pub fn iter(&self, query: &ListPermissions) -> Result<Pages<'a, Permission>> {
        Ok(self.client.pages(list(query, None)?))
    }

    /// Creates a permission. See [`create`].
    pub fn create(&self, body: &CreatePermission) -> Result<Permission> {
        self.client.send(&create(body)?)
    }

    /// Reads one permission. See [`get`].
    pub fn get(&self, permission_id: &str) -> Result<Permission> {
        self.client.send(&get(permission_id)?)
    }

    /// Updates a permission. See [`update`].
    pub fn update(&self, permission_id: &str, body: &UpdatePermission) -> Result<Permission> {
        self.client.send(&update(permission_id, body)?)
    }

    /// Archives a permission. See [`archive`].
    pub fn archive(&self, permission_id: &str) -> Result<Permission> {
        self.client.send(&archive(permission_id)?)
    }

    /// Assigns a permission to an identity. See [`assign`].
    pub fn assign(&self, permission_id: &str, identity_id: &str) -> Result<Assignment> {
        self.client.send(&assign(permission_id, identity_id)?)
    }

    /// One page of a permission's assignments. See [`list_assignments`].
    pub fn list_assignments(
        &self,
        permission_id: &str,
        query: &ListAssignments,
        page_token: Option<&str>,
    ) -> Result<Page<Assignment>> {
        let request = list_assignments(permission_id, query, page_token)?;
        self.client.send(&request)
    }

    /// Every assignment of a permission, following `nextPageToken` from the first page.
    pub fn iter_assignments(
        &self,
        permission_id: &str,
        query: &ListAssignments,
    ) -> Result<Pages<'a, Assignment>> {
        let request = list_assignments(permission_id, query, None)?;
        Ok(self.client.pages(request))
    }

    /// Revokes an assignment. See [`revoke`].
    pub fn revoke(&self, permission_id: &str, assignment_id: &str, mode: Delete) -> Result<()> {
        self.client
            .send(&revoke(permission_id, assignment_id, mode)?)
            .map(|_| ())
    }
}
