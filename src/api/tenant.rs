//! Tenant administration (`/tenant/...`): the organisations of a tenant, its permissions, user
//! groups and users, for a tenant's own administrators.
//!
//! Members Dfns describes only as objects (an organisation, its key stores, a user's
//! permissions and organisations) are kept as sent ([`serde_json::Value`]), with the fields
//! every organisation has typed in [`Org`].
//!
//! ```no_run
//! use dfns_blocking::api::tenant::{CreateTenantUser, ListOrgs, OrgStatus};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let user = client.tenant().create_user(&CreateTenantUser::new("ada@example.com"))?;
//! for org in client.tenant().iter_orgs(&ListOrgs::new().status([OrgStatus::Active]))? {
//!     println!("{}", org?.name);
//! }
//! # let _ = user;
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

use super::user_groups::{CreateUserGroup, UpdateUserGroup, UserGroup, UserGroupMember, UserIds};
use super::users::UserKind;
use super::{ListPage, or_default};
use crate::pagination::Page;

open_enum! {
    /// Where an organisation stands (`status`).
    pub enum OrgStatus {
        /// In use.
        Active = "Active",
        /// Suspended by the tenant.
        Suspended = "Suspended",
        /// Archived for good.
        Archived = "Archived",
    }
}

model! {
    /// An organisation of the tenant. Dfns's clients describe it only as an object: the common
    /// fields are typed, every other one is kept in `other`.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Org {
        /// The organisation's id (`or-...`), used in every path.
        pub id: String,
        /// Its name.
        pub name: String,
        /// Its status; unknown values are kept.
        pub status: Option<OrgStatus>,
        /// Every other field, as Dfns sent it.
        #[serde(flatten)]
        pub other: serde_json::Map<String, serde_json::Value>,
    }
}

model! {
    /// The `{"org": {...}}` answer of the single-organisation endpoints.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct OrgAnswer {
        /// The organisation.
        #[strict]
        pub org: Org,
    }
}

request_body! {
    /// The body of [`create_org`].
    ///
    /// ```
    /// use dfns_blocking::api::tenant::CreateOrg;
    ///
    /// let body = CreateOrg::new("Acme EU", vec![serde_json::json!({ "kind": "Hsm" })]);
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"name":"Acme EU","keyStores":[{"kind":"Hsm"}]}"#
    /// );
    /// ```
    pub struct CreateOrg {
        /// The organisation's name.
        name: String,
        /// Its key stores, as Dfns documents them for your tenant (Dfns's clients describe them only
        /// as objects).
        key_stores: Vec<serde_json::Value>;
    }
}

request_body! {
    /// The body of [`update_org`]: only what is set changes.
    pub struct UpdateOrg {
        ;
        /// A new name.
        name: String,
    }
}

#[derive(Serialize)]
struct SetStatus<'a> {
    status: &'a OrgStatus,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Identity<'a> {
    identity_id: &'a str,
}

query! {
    /// What to list with [`list_orgs`]: page size and statuses. The page token is a separate
    /// argument.
    ///
    /// ```
    /// use dfns_blocking::api::tenant::{ListOrgs, OrgStatus};
    ///
    /// let query = ListOrgs::new().status([OrgStatus::Active, OrgStatus::Suspended]);
    /// let request = dfns_blocking::api::tenant::list_orgs(&query, None)?;
    /// assert_eq!(request.path(), "/tenant/orgs"); // the statuses go in the query
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub struct ListOrgs {
        /// Organisations per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
        /// Only organisations in one of these statuses (all when empty).
        status: OrgStatus = "status" [list],
    }
}

model! {
    /// A permission of the tenant.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct TenantPermission {
        /// The permission's id, used in every path.
        #[strict]
        pub id: String,
        /// Its name.
        pub name: String,
        /// The operations it grants.
        pub operations: Vec<String>,
        /// Its status (`Active`).
        pub status: String,
        /// Whether it can be changed.
        pub is_immutable: bool,
        /// Whether it is archived.
        pub is_archived: bool,
        /// When it was created (ISO-8601 UTC).
        pub date_created: Timestamp,
        /// When it last changed (ISO-8601 UTC).
        pub date_updated: Timestamp,
    }
}

model! {
    /// A user of the tenant.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct TenantUser {
        /// The user's id (`us-...`), used in every path.
        #[strict]
        pub id: String,
        /// The kind of user (`TenantUser`); unknown kinds are kept.
        pub kind: Option<UserKind>,
        /// The login name (the email).
        pub username: String,
        /// Whether the user finished registration.
        pub is_registered: bool,
        /// Whether the user can act.
        pub is_active: bool,
        /// Whether the user must log in through SSO.
        #[serde(default, rename = "isSSORequired", deserialize_with = "or_default")]
        pub is_sso_required: bool,
        /// Your own reference, when set.
        pub external_id: Option<String>,
        /// The user's permissions, as Dfns sent them.
        pub permissions: Vec<serde_json::Value>,
        /// The organisations the user belongs to, as Dfns sent them.
        pub orgs: Vec<serde_json::Value>,
    }
}

request_body! {
    /// The body of [`create_user`]. Unset options are not sent.
    ///
    /// ```
    /// use dfns_blocking::api::tenant::CreateTenantUser;
    ///
    /// let body = CreateTenantUser::new("ada@example.com").is_sso_required(true);
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"email":"ada@example.com","isSSORequired":true}"#
    /// );
    /// ```
    pub struct CreateTenantUser {
        /// The email the invitation goes to.
        email: String;
        /// Your own reference.
        external_id: String,
        /// Whether the user must log in through SSO.
        #[serde(rename = "isSSORequired")]
        is_sso_required: bool [exact],
    }
}

#[derive(Serialize)]
struct SsoRequired {
    #[serde(rename = "isSSORequired")]
    is_sso_required: bool,
}

endpoints! {
    /// The tenant administration endpoints.
    handle Tenant = Client::tenant, domain "tenant",
        reference "https://docs.dfns.co/api-reference/tenant";

    /// The tenant's organisations (`listOrgs`).
    GET "/tenant/orgs" => list_orgs(; query: &ListOrgs) -> Page<Org>, pages iter_orgs,
        query query;
    /// Creates an organisation (`createOrg`).
    POST "/tenant/orgs" [signed] => create_org(; body: &CreateOrg) -> OrgAnswer,
        body body,
        answer |answer| answer.org => Org;
    /// Reads one organisation (`getOrg`).
    GET "/tenant/orgs/{orgId}" => get_org(org_id) -> OrgAnswer,
        answer |answer| answer.org => Org;
    /// Renames an organisation (`updateOrg`).
    PUT "/tenant/orgs/{orgId}" [signed, idempotent] => update_org(org_id; body: &UpdateOrg) -> OrgAnswer,
        body body,
        answer |answer| answer.org => Org;
    /// Sets an organisation's status (`updateOrgStatus`); Dfns's clients describe no answer body.
    PUT "/tenant/orgs/{orgId}/status" [signed, idempotent]
        => update_org_status(org_id; status: &OrgStatus) -> serde_json::Value,
        with |request| request.json(&SetStatus { status }),
        answer |_ignored| () => ();

    /// The tenant's permissions (`listTenantPermissions`).
    GET "/tenant/permissions" => list_permissions(; query: &ListPage) -> Page<TenantPermission>,
        pages iter_permissions,
        query query;
    /// Reads one permission (`getTenantPermission`).
    GET "/tenant/permissions/{permissionId}" => get_permission(permission_id) -> TenantPermission;
    /// Gives the permission to a user or token id (`assignTenantPermission`); Dfns's clients
    /// describe no answer body.
    POST "/tenant/permissions/{permissionId}/assign" [signed]
        => assign_permission(permission_id; identity_id: &str) -> serde_json::Value,
        with |request| request.json(&Identity { identity_id }),
        answer |_ignored| () => ();
    /// Takes the permission back (`revokeTenantPermission`).
    POST "/tenant/permissions/{permissionId}/revoke" [signed]
        => revoke_permission(permission_id; identity_id: &str) -> serde_json::Value,
        with |request| request.json(&Identity { identity_id }),
        answer |_ignored| () => ();

    /// The tenant's user groups (`listTenantUserGroups`).
    GET "/tenant/user-groups" => list_user_groups(; query: &ListPage) -> Page<UserGroup>,
        pages iter_user_groups,
        query query;
    /// Creates a user group (`createTenantUserGroup`).
    POST "/tenant/user-groups" [signed] => create_user_group(; body: &CreateUserGroup) -> UserGroup,
        body body;
    /// Reads one user group (`getTenantUserGroup`).
    GET "/tenant/user-groups/{userGroupId}" => get_user_group(user_group_id) -> UserGroup;
    /// Changes a user group (`updateTenantUserGroup`).
    PUT "/tenant/user-groups/{userGroupId}" [signed, idempotent]
        => update_user_group(user_group_id; body: &UpdateUserGroup) -> UserGroup,
        body body;
    /// Deletes a user group (`deleteTenantUserGroup`).
    DELETE "/tenant/user-groups/{userGroupId}" [signed] => delete_user_group(user_group_id) -> serde_json::Value,
        answer |_ignored| () => ();
    /// A user group's members (`listTenantUserGroupMembers`).
    GET "/tenant/user-groups/{userGroupId}/members"
        => list_user_group_members(user_group_id; query: &ListPage) -> Page<UserGroupMember>,
        pages iter_user_group_members,
        query query;
    /// Adds users to a user group (`addTenantUserGroupMembers`).
    POST "/tenant/user-groups/{userGroupId}/members" [signed]
        => add_user_group_members(user_group_id; body: &UserIds) -> serde_json::Value,
        body body,
        answer |_ignored| () => ();
    /// Removes users from a user group (`removeTenantUserGroupMembers`).
    DELETE "/tenant/user-groups/{userGroupId}/members" [signed]
        => remove_user_group_members(user_group_id; body: &UserIds) -> serde_json::Value,
        body body,
        answer |_ignored| () => ();

    /// The tenant's users (`listTenantUsers`).
    GET "/tenant/users" => list_users(; query: &ListPage) -> Page<TenantUser>, pages iter_users,
        query query;
    /// Invites a user (`createTenantUser`).
    POST "/tenant/users" [signed] => create_user(; body: &CreateTenantUser) -> TenantUser,
        body body;
    /// Reads one user (`getTenantUser`).
    GET "/tenant/users/{userId}" => get_user(user_id) -> TenantUser;
    /// Sets whether the user must log in through SSO (`updateTenantUser`); Dfns's clients
    /// describe no answer body.
    PUT "/tenant/users/{userId}" [signed, idempotent] => update_user(user_id; is_sso_required: bool) -> serde_json::Value,
        with |request| request.json(&SsoRequired { is_sso_required }),
        answer |_ignored| () => ();
    /// Removes a user (`deleteTenantUser`).
    DELETE "/tenant/users/{userId}" [signed] => delete_user(user_id) -> serde_json::Value,
        answer |_ignored| () => ();
}
