//! The sandbox's permissions and assignments (`/permissions`), organisation-wide. Changes go
//! through the policy engine of [`super::policies`] (`Permissions:Modify`,
//! `Permissions:Assign`), so a governing policy holds them for approval.
//!
//! Rules beyond the documented shapes, all sandbox choices where Dfns documents nothing: a
//! permission needs a non-empty name and at least one operation; an archived permission can
//! be neither changed nor assigned (400); the identity of an assignment must be a live
//! sandbox user (invited users and service accounts included) or token (404 otherwise);
//! assigning a permission twice to one identity is a 409 naming the existing assignment in
//! `details.duplicate`; unknown ids are 404 with the id and the organisation in `details`.
//! Names may repeat (Dfns documents no uniqueness).

use serde::Deserialize;
use serde_json::{Value, json};

use super::super::http::{HttpRequest, HttpResponse};
use super::paging::query_params;
use super::policies::Change;
use super::store::{Op, Resource};
use super::{Answer, State};

#[derive(Default)]
pub(crate) struct PermissionStore {
    permissions: Vec<PermissionRecord>,
    assignments: Vec<AssignmentRecord>,
}

#[derive(Clone)]
struct PermissionRecord {
    id: String,
    name: String,
    operations: Vec<String>,
    archived: bool,
    date_created: String,
    date_updated: String,
}

#[derive(Clone)]
struct AssignmentRecord {
    id: String,
    permission_id: String,
    identity_id: String,
    date_created: String,
}

const NOT_FOUND: &str = "permission not found";
const ASSIGNMENT_NOT_FOUND: &str = "assignment not found";

/// `/permissions`: every operation is a handler, as changes go through the policy engine and
/// the records are the policy engine's too.
pub(super) const PERMISSIONS: Resource = Resource {
    path: "/permissions",
    ops: &[
        Op::handler("GET", "", |state, call| {
            let items = (state.permission_store.permissions.iter())
                .map(|p| state.render_permission(p, true))
                .collect();
            state.page(items, &query_params(call.request))
        }),
        Op::handler("POST", "", |state, call| {
            state.create_permission(call.request)
        })
        .signed(),
        Op::handler("GET", "{permissionId}", |state, call| {
            let permission = state.permission(call.param("permissionId"))?;
            Ok(state.render_permission(&permission, true))
        }),
        Op::handler("PUT", "{permissionId}", |state, call| {
            state.update_permission(call.session, call.request, call.param("permissionId"))
        })
        .signed(),
        Op::handler("DELETE", "{permissionId}", |state, call| {
            // Deleted for good with its assignments; answers the permission as it was.
            let id = call.param("permissionId");
            let permission = state.permission(id)?;
            let store = &mut state.permission_store;
            store.permissions.retain(|p| p.id != id);
            store.assignments.retain(|a| a.permission_id != id);
            Ok(state.render_permission(&permission, false))
        })
        .signed(),
        Op::handler("PUT", "{permissionId}/archive", |state, call| {
            state.archive_permission(call.session, call.request, call.param("permissionId"))
        })
        .signed(),
        Op::handler("GET", "{permissionId}/assignments", |state, call| {
            let id = call.param("permissionId");
            state.permission(id)?;
            let items = (state.permission_store.assignments.iter())
                .filter(|a| a.permission_id == id)
                .map(|a| state.render_assignment(a, true))
                .collect();
            state.page(items, &query_params(call.request))
        }),
        Op::handler("POST", "{permissionId}/assignments", |state, call| {
            state.assign_permission(call.session, call.request, call.param("permissionId"))
        })
        .signed(),
        Op::handler(
            "DELETE",
            "{permissionId}/assignments/{assignmentId}",
            |state, call| {
                let id = call.param("permissionId");
                let assignment_id = call.param("assignmentId");
                state.permission(id)?;
                state.assignment(id, assignment_id)?;
                let change = Change::Revoke {
                    id: assignment_id.to_owned(),
                };
                state.govern(call.session, change)?;
                // Dfns documents a 200 without a body.
                Err(HttpResponse::new(200, "application/json", Vec::new()))
            },
        )
        .signed(),
    ],
    ..Resource::DEFAULT
};

impl State {
    fn create_permission(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Create {
            name: String,
            operations: Vec<String>,
        }
        let create: Create = self.parse_body(request)?;
        self.check_permission_fields(Some(&create.name), Some(&create.operations))?;
        let date = self.now_text();
        let permission = PermissionRecord {
            id: self.dfns_id("pm"),
            name: create.name,
            operations: create.operations,
            archived: false,
            date_created: date.clone(),
            date_updated: date,
        };
        let body = self.render_permission(&permission, false);
        self.permission_store.permissions.push(permission);
        Ok(body)
    }

    fn update_permission(&mut self, session: &str, request: &HttpRequest, id: &str) -> Answer {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Update {
            #[serde(default)]
            name: Option<String>,
            #[serde(default)]
            operations: Option<Vec<String>>,
        }
        let permission = self.permission(id)?;
        let update: Update = self.parse_body(request)?;
        self.check_permission_fields(update.name.as_deref(), update.operations.as_deref())?;
        if permission.archived {
            return Err(self.error(400, "permission is archived"));
        }
        let change = Change::UpdatePermission {
            id: id.to_owned(),
            name: update.name,
            operations: update.operations,
            archive: false,
        };
        self.govern(session, change)
    }

    fn archive_permission(&mut self, session: &str, request: &HttpRequest, id: &str) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Archive {
            is_archived: bool,
        }
        let permission = self.permission(id)?;
        let archive: Archive = self.parse_body(request)?;
        if !archive.is_archived {
            return Err(self.error(400, "an archived permission cannot be restored"));
        }
        if permission.archived {
            // Archiving twice changes nothing.
            return Ok(self.render_permission(&permission, false));
        }
        let change = Change::UpdatePermission {
            id: id.to_owned(),
            name: None,
            operations: None,
            archive: true,
        };
        self.govern(session, change)
    }

    fn assign_permission(&mut self, session: &str, request: &HttpRequest, id: &str) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Assign {
            identity_id: String,
        }
        let permission = self.permission(id)?;
        let assign: Assign = self.parse_body(request)?;
        if permission.archived {
            return Err(self.error(400, "permission is archived"));
        }
        let identity = assign.identity_id.as_str();
        let known = self.admin.is_live(identity)
            || (self.users.contains_key(identity) && self.admin.may_act(identity, self.now()))
            || self.pats.get(identity).is_some_and(|pat| !pat.archived);
        if !known {
            let details = json!({ "identityId": assign.identity_id, "orgId": self.org_id });
            return Err(self.error_with(404, "identity not found", details));
        }
        let existing = self
            .permission_store
            .assignments
            .iter()
            .find(|a| a.permission_id == id && a.identity_id == assign.identity_id)
            .map(|a| a.id.clone());
        if let Some(existing) = existing {
            let details =
                json!({ "duplicate": { "id": existing, "identityId": assign.identity_id } });
            return Err(self.error_with(
                409,
                "the permission is already assigned to this identity",
                details,
            ));
        }
        let change = Change::Assign {
            id: self.dfns_id("as"),
            permission_id: id.to_owned(),
            identity_id: assign.identity_id,
        };
        self.govern(session, change)
    }

    fn check_permission_fields(
        &mut self,
        name: Option<&str>,
        operations: Option<&[String]>,
    ) -> Result<(), HttpResponse> {
        if name.is_some_and(|name| name.trim().is_empty()) {
            return Err(self.error(400, "name must not be empty"));
        }
        let bad_operations = operations
            .is_some_and(|ops| ops.is_empty() || ops.iter().any(|op| op.trim().is_empty()));
        if bad_operations {
            return Err(self.error(400, "operations must hold at least one operation"));
        }
        Ok(())
    }

    /// The permission `id`, or 404.
    fn permission(&mut self, id: &str) -> Result<PermissionRecord, HttpResponse> {
        let found = self
            .permission_store
            .permissions
            .iter()
            .find(|p| p.id == id)
            .cloned();
        found.ok_or_else(|| {
            let details = json!({ "permissionId": id, "orgId": self.org_id });
            self.error_with(404, NOT_FOUND, details)
        })
    }

    /// The assignment `id` of permission `permission_id`, or 404.
    fn assignment(
        &mut self,
        permission_id: &str,
        id: &str,
    ) -> Result<AssignmentRecord, HttpResponse> {
        let found = self
            .permission_store
            .assignments
            .iter()
            .find(|a| a.id == id && a.permission_id == permission_id)
            .cloned();
        found.ok_or_else(|| {
            let details =
                json!({ "assignmentId": id, "permissionId": permission_id, "orgId": self.org_id });
            self.error_with(404, ASSIGNMENT_NOT_FOUND, details)
        })
    }

    /// What a permission change makes of the permission (`commit`: and stores it), or `None`
    /// when the permission is gone or archived.
    pub(super) fn change_permission(
        &mut self,
        id: &str,
        name: Option<&str>,
        operations: Option<&[String]>,
        archive: bool,
        commit: bool,
    ) -> Option<Value> {
        let date = self.now_text();
        let store = &mut self.permission_store.permissions;
        let current = store.iter_mut().find(|p| p.id == id && !p.archived)?;
        let mut changed = current.clone();
        if let Some(name) = name {
            changed.name = name.to_owned();
        }
        if let Some(operations) = operations {
            changed.operations = operations.to_vec();
        }
        changed.archived = archive;
        changed.date_updated = date;
        if commit {
            *current = changed.clone();
        }
        Some(self.render_permission(&changed, false))
    }

    /// The assignment a [`Change::Assign`] makes (`commit`: and stores it), or `None` when
    /// the permission is gone, archived or already held by the identity.
    pub(super) fn change_assign(
        &mut self,
        id: &str,
        permission_id: &str,
        identity_id: &str,
        commit: bool,
    ) -> Option<Value> {
        let store = &mut self.permission_store;
        let assignable = store
            .permissions
            .iter()
            .any(|p| p.id == permission_id && !p.archived)
            && !store
                .assignments
                .iter()
                .any(|a| a.permission_id == permission_id && a.identity_id == identity_id);
        if !assignable {
            return None;
        }
        let assignment = AssignmentRecord {
            id: id.to_owned(),
            permission_id: permission_id.to_owned(),
            identity_id: identity_id.to_owned(),
            date_created: self.now_text(),
        };
        let body = self.render_assignment(&assignment, false);
        if commit {
            self.permission_store.assignments.push(assignment);
        }
        Some(body)
    }

    /// The assignment a [`Change::Revoke`] removes (`commit`: and removes it), or `None`.
    pub(super) fn change_revoke(&mut self, id: &str, commit: bool) -> Option<Value> {
        let store = &mut self.permission_store.assignments;
        let at = store.iter().position(|a| a.id == id)?;
        let assignment = if commit {
            store.remove(at)
        } else {
            store[at].clone()
        };
        Some(self.render_assignment(&assignment, false))
    }

    /// The permission a change request is about, for a `Permissions:*` policy filter.
    pub(super) fn permission_of_assignment(&self, assignment_id: &str) -> Option<String> {
        self.permission_store
            .assignments
            .iter()
            .find(|a| a.id == assignment_id)
            .map(|a| a.permission_id.clone())
    }

    fn render_permission(&self, permission: &PermissionRecord, with_pending: bool) -> Value {
        let mut body = json!({
            "id": permission.id,
            "name": permission.name,
            "operations": permission.operations,
            "status": "Active",
            "isImmutable": false,
            "isArchived": permission.archived,
            "dateCreated": permission.date_created,
            "dateUpdated": permission.date_updated,
        });
        if with_pending {
            if let Some(pending) = self.pending_change_request(&permission.id) {
                body["pendingChangeRequest"] = pending;
            }
        }
        body
    }

    fn render_assignment(&self, assignment: &AssignmentRecord, with_pending: bool) -> Value {
        let mut body = json!({
            "id": assignment.id,
            "permissionId": assignment.permission_id,
            "identityId": assignment.identity_id,
            "isImmutable": false,
            "dateCreated": assignment.date_created,
            "dateUpdated": assignment.date_created,
        });
        if with_pending {
            if let Some(pending) = self.pending_change_request(&assignment.id) {
                body["pendingChangeRequest"] = pending;
            }
        }
        body
    }
}
