//! User groups (`/auth/user-groups`): named sets of the organisation's users, with their members
//! (paginated).
//!
//! The tenant's user groups (`/tenant/user-groups`, in [`tenant`](super::tenant)) use these
//! same types. Members are objects Dfns does not describe further: [`UserGroupMember`] keeps
//! them as sent.
//!
//! ```no_run
//! use dfns_blocking::api::user_groups::{CreateUserGroup, ListUserGroups, UserIds};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let group = client.user_groups().create(&CreateUserGroup::new("treasury").description("signers"))?;
//! client.user_groups().add_members(&group.id, &UserIds::new(["us-1", "us-2"]))?;
//! for group in client.user_groups().iter(&ListUserGroups::new())? {
//!     let group = group?;
//!     println!("{} has {} members", group.name, group.member_count);
//! }
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

use crate::pagination::Page;

model! {
    /// A user group as Dfns describes it.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct UserGroup {
        /// The group's id, used in every path.
        #[strict]
        pub id: String,
        /// The organisation it belongs to (absent for a tenant-wide group).
        pub org_id: Option<String>,
        /// The tenant it belongs to (absent for an organisation's group).
        pub tenant_id: Option<String>,
        /// Its name.
        pub name: String,
        /// Its description, when it has one.
        pub description: Option<String>,
        /// How many users it holds.
        pub member_count: u64,
        /// When it was created (ISO-8601 UTC).
        pub date_created: Timestamp,
        /// When it last changed (ISO-8601 UTC).
        pub date_updated: Timestamp,
    }
}

model! {
    /// One member of a user group, as Dfns sends it: Dfns's clients describe members only as
    /// objects, so every member is kept (a user's `userId` among them).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct UserGroupMember {
        /// The member's fields as Dfns sent them.
        #[serde(flatten)]
        pub fields: serde_json::Map<String, serde_json::Value>,
    }
}

impl UserGroupMember {
    /// The member's user id (`userId`), when Dfns sent one.
    pub fn user_id(&self) -> Option<&str> {
        self.fields
            .get("userId")
            .and_then(serde_json::Value::as_str)
    }
}

request_body! {
    /// The body of [`create`]. Unset options are not sent.
    ///
    /// ```
    /// use dfns_blocking::api::user_groups::CreateUserGroup;
    ///
    /// let body = CreateUserGroup::new("treasury");
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"name":"treasury"}"#);
    /// ```
    pub struct CreateUserGroup {
        /// The group's name (required).
        name: String;
        /// A description.
        description: String,
    }
}

request_body! {
    /// The body of [`update`]: only what is set changes.
    ///
    /// ```
    /// use dfns_blocking::api::user_groups::UpdateUserGroup;
    ///
    /// let body = UpdateUserGroup::new().name("ops");
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"name":"ops"}"#);
    /// ```
    pub struct UpdateUserGroup {
        ;
        /// A new name.
        name: String,
        /// A new description.
        description: String,
    }
}

request_body! {
    /// The body of [`add_members`] and [`remove_members`]: the users (`us-...`).
    ///
    /// ```
    /// use dfns_blocking::api::user_groups::UserIds;
    ///
    /// let body = UserIds::new(["us-1", "us-2"]);
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"userIds":["us-1","us-2"]}"#);
    /// ```
    pub struct UserIds {
        /// The users' ids.
        user_ids: String [list];
    }
}

query! {
    /// The page size of the paginated user group lists ([`list`], [`list_members`]). The page
    /// token is a separate argument.
    ///
    /// ```
    /// use dfns_blocking::api::user_groups::ListUserGroups;
    ///
    /// let request = dfns_blocking::api::user_groups::list(&ListUserGroups::new().limit(10), None)?;
    /// assert_eq!(request.path(), "/auth/user-groups"); // `limit` goes in the query
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub struct ListUserGroups {
        /// Items per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
    }
}

endpoints! {
    /// The organisation's user group endpoints.
    handle UserGroups = Client::user_groups, domain "auth",
        reference "https://docs.dfns.co/api-reference/auth";

    /// The organisation's user groups (`listUserGroups`).
    GET "/auth/user-groups" => list(; query: &ListUserGroups) -> Page<UserGroup>, pages iter,
        query query;
    /// Creates a group (`createUserGroup`).
    POST "/auth/user-groups" [signed] => create(; body: &CreateUserGroup) -> UserGroup,
        body body;
    /// Reads one group (`getUserGroup`).
    GET "/auth/user-groups/{userGroupId}" => get(user_group_id) -> UserGroup;
    /// Renames a group or changes its description (`updateUserGroup`).
    PUT "/auth/user-groups/{userGroupId}" [signed, idempotent]
        => update(user_group_id; body: &UpdateUserGroup) -> UserGroup,
        body body;
    /// Deletes a group (`deleteUserGroup`); Dfns's clients describe no answer body.
    DELETE "/auth/user-groups/{userGroupId}" [signed] => delete(user_group_id) -> serde_json::Value,
        answer |_ignored| () => ();
    /// A group's members (`listUserGroupMembers`).
    GET "/auth/user-groups/{userGroupId}/members"
        => list_members(user_group_id; query: &ListUserGroups) -> Page<UserGroupMember>,
        pages iter_members,
        query query;
    /// Adds users to a group (`addUserGroupMembers`).
    POST "/auth/user-groups/{userGroupId}/members" [signed]
        => add_members(user_group_id; body: &UserIds) -> serde_json::Value,
        body body,
        answer |_ignored| () => ();
    /// Removes users from a group (`removeUserGroupMembers`).
    DELETE "/auth/user-groups/{userGroupId}/members" [signed]
        => remove_members(user_group_id; body: &UserIds) -> serde_json::Value,
        body body,
        answer |_ignored| () => ();
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
