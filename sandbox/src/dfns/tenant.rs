//! Tenant administration and user groups in the sandbox, declared on the generic store:
//! `/tenant/orgs`, `/tenant/permissions`, `/tenant/users`, and the user groups of the tenant
//! (`/tenant/user-groups`) and of the organisation (`/auth/user-groups`) with their members.
//!
//! Choices where Dfns documents nothing, so tests can rely on them: tenant permissions only
//! exist when a test seeds them (`Sandbox::seed("/tenant/permissions", ..)`), and assigning or
//! revoking one answers `{}` after checking `identityId`; an organisation starts `Active` and
//! its status is one of `Active`, `Suspended`, `Archived` (400 otherwise), its status change
//! answering `{}`; a tenant user's email must look like one and be unused (400, 409); group
//! members are `{id, userId, dateAdded}` records in the order added, adding a member twice or
//! removing a non-member changes nothing, both answer `{}`; members are not checked against
//! the users the sandbox knows.

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Effect, Op, Resource};

/// `/tenant/orgs`: answers `{"org": ...}` except in lists.
pub(super) const ORGS: Resource = Resource {
    path: "/tenant/orgs",
    id_prefix: "or",
    id_param: "orgId",
    not_found: "Org not found",
    singular: "org",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::UPDATE.signed(),
        Op::action("PUT", "status", Effect::Answer(set_org_status)).signed(),
    ],
    build: Some(build_org),
    update: Some(update_org),
    filter: Some(status_filter),
    wrap: Some("org"),
    ..Resource::DEFAULT
};

/// `/tenant/permissions`: seeded by tests.
pub(super) const PERMISSIONS: Resource = Resource {
    path: "/tenant/permissions",
    id_prefix: "pm",
    id_param: "permissionId",
    not_found: "Permission not found",
    ops: &[
        Op::LIST,
        Op::GET,
        Op::action("POST", "assign", Effect::Answer(check_identity)).signed(),
        Op::action("POST", "revoke", Effect::Answer(check_identity)).signed(),
    ],
    ..Resource::DEFAULT
};

/// `/tenant/users`.
pub(super) const USERS: Resource = Resource {
    path: "/tenant/users",
    id_prefix: "us",
    id_param: "userId",
    not_found: "User not found",
    singular: "user",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::UPDATE.signed(),
        Op::DELETE.signed(),
    ],
    build: Some(build_user),
    update: Some(update_user),
    ..Resource::DEFAULT
};

/// The declaration of the user groups at `$path`, owned by `$owner` (`orgId` or `tenantId`).
macro_rules! groups {
    ($path:literal, $owner:literal) => {
        Resource {
            path: $path,
            id_prefix: "ug",
            id_param: "userGroupId",
            not_found: "User group not found",
            singular: "user group",
            ops: &[
                Op::LIST,
                Op::CREATE.signed(),
                Op::GET,
                Op::UPDATE.signed(),
                Op::DELETE.signed(),
                Op::action(
                    "POST",
                    "members",
                    Effect::Answer(|group, body, ctx| add_members(group, body, ctx, $path)),
                )
                .signed(),
                Op::action(
                    "DELETE",
                    "members",
                    Effect::Answer(|group, body, ctx| remove_members(group, body, ctx, $path)),
                )
                .signed(),
            ],
            build: Some(|body, ctx| build_group(body, ctx, $owner)),
            update: Some(update_group),
            ..Resource::DEFAULT
        }
    };
}

/// The declaration of the members of user groups (listed; changed by the group's `members`
/// actions).
const fn members(path: &'static str) -> Resource {
    Resource {
        path,
        id_prefix: "ugm",
        not_found: "Member not found",
        ops: &[Op::LIST],
        ..Resource::DEFAULT
    }
}

/// `/auth/user-groups`: the organisation's groups.
pub(super) const ORG_GROUPS: Resource = groups!("/auth/user-groups", "orgId");
/// `/auth/user-groups/{userGroupId}/members`.
pub(super) const ORG_GROUP_MEMBERS: Resource = members("/auth/user-groups/{userGroupId}/members");
/// `/tenant/user-groups`: the tenant's groups.
pub(super) const TENANT_GROUPS: Resource = groups!("/tenant/user-groups", "tenantId");
/// `/tenant/user-groups/{userGroupId}/members`.
pub(super) const TENANT_GROUP_MEMBERS: Resource =
    members("/tenant/user-groups/{userGroupId}/members");

const ORG_STATUSES: &[&str] = &["Active", "Suspended", "Archived"];

/// The string member `name` of `body`: `Ok(None)` when absent, 400 when not a string.
fn text(body: &Value, name: &str, ctx: &mut Ctx<'_>) -> Result<Option<String>, HttpResponse> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(ctx.error(400, &format!("{name} must be a string"))),
    }
}

/// The required, non-empty string member `name` of `body`.
fn required(body: &Value, name: &str, ctx: &mut Ctx<'_>) -> Result<String, HttpResponse> {
    match text(body, name, ctx)? {
        Some(text) if !text.is_empty() => Ok(text),
        _ => Err(ctx.error(400, &format!("{name} is required"))),
    }
}

/// 400 unless every member of `body` is one of `allowed`.
fn only(body: &Value, allowed: &[&str], ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    let other = (body.as_object().into_iter().flatten())
        .map(|(key, _)| key)
        .find(|key| !allowed.contains(&key.as_str()));
    match other {
        Some(other) => Err(ctx.error(400, &format!("{other} is not a field of this request"))),
        None => Ok(()),
    }
}

fn status_filter(record: &Value, params: &[(String, String)]) -> bool {
    let mut wanted = params.iter().filter(|(key, _)| key == "status").peekable();
    wanted.peek().is_none() || wanted.any(|(_, status)| record["status"] == *status)
}

fn build_org(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    only(body, &["name", "keyStores"], ctx)?;
    let name = required(body, "name", ctx)?;
    let Some(key_stores) = body.get("keyStores").filter(|k| k.is_array()).cloned() else {
        return Err(ctx.error(400, "keyStores must be an array"));
    };
    let now = ctx.now_text();
    Ok(json!({
        "name": name,
        "status": "Active",
        "keyStores": key_stores,
        "dateCreated": now,
        "dateUpdated": now,
    }))
}

fn update_org(org: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    only(body, &["name"], ctx)?;
    if let Some(name) = text(body, "name", ctx)? {
        org["name"] = json!(name);
    }
    org["dateUpdated"] = json!(ctx.now_text());
    Ok(())
}

fn set_org_status(org: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    only(body, &["status"], ctx)?;
    let status = required(body, "status", ctx)?;
    if !ORG_STATUSES.contains(&status.as_str()) {
        return Err(ctx.error(400, "status must be Active, Suspended or Archived"));
    }
    org["status"] = json!(status);
    org["dateUpdated"] = json!(ctx.now_text());
    Ok(json!({}))
}

fn check_identity(
    _record: &mut Value,
    body: &Value,
    ctx: &mut Ctx<'_>,
) -> Result<Value, HttpResponse> {
    only(body, &["identityId"], ctx)?;
    required(body, "identityId", ctx)?;
    Ok(json!({}))
}

fn build_user(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    only(body, &["email", "externalId", "isSSORequired"], ctx)?;
    let email = required(body, "email", ctx)?;
    let email_ok = (email.split_once('@'))
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if !email_ok {
        return Err(ctx.error(400, "email must be a valid email address"));
    }
    let taken = (ctx.list("/tenant/users").iter())
        .find(|u| {
            u["username"]
                .as_str()
                .is_some_and(|u| u.eq_ignore_ascii_case(&email))
        })
        .map(|u| u["id"].clone());
    if let Some(existing) = taken {
        let details = json!({ "duplicate": { "id": existing, "email": email } });
        return Err(ctx.error_with(409, "a user with this email already exists", details));
    }
    let sso = match body.get("isSSORequired") {
        None => false,
        Some(Value::Bool(sso)) => *sso,
        Some(_) => return Err(ctx.error(400, "isSSORequired must be a boolean")),
    };
    let mut user = json!({
        "kind": "TenantUser",
        "username": email,
        "isRegistered": false,
        "isActive": true,
        "isSSORequired": sso,
        "permissions": [],
        "orgs": [],
    });
    if let Some(external_id) = text(body, "externalId", ctx)? {
        user["externalId"] = json!(external_id);
    }
    Ok(user)
}

fn update_user(user: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    only(body, &["isSSORequired"], ctx)?;
    match body.get("isSSORequired") {
        Some(Value::Bool(sso)) => user["isSSORequired"] = json!(sso),
        _ => return Err(ctx.error(400, "isSSORequired must be a boolean")),
    }
    Ok(())
}

fn build_group(body: &Value, ctx: &mut Ctx<'_>, owner: &str) -> Result<Value, HttpResponse> {
    only(body, &["name", "description"], ctx)?;
    let name = required(body, "name", ctx)?;
    let now = ctx.now_text();
    let mut group = json!({
        owner: ctx.org_id(),
        "name": name,
        "memberCount": 0,
        "dateCreated": now,
        "dateUpdated": now,
    });
    if let Some(description) = text(body, "description", ctx)? {
        group["description"] = json!(description);
    }
    Ok(group)
}

fn update_group(group: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    only(body, &["name", "description"], ctx)?;
    for name in ["name", "description"] {
        if let Some(value) = text(body, name, ctx)? {
            group[name] = json!(value);
        }
    }
    group["dateUpdated"] = json!(ctx.now_text());
    Ok(())
}

/// The `userIds` of a members body: a non-empty array of strings.
fn user_ids(body: &Value, ctx: &mut Ctx<'_>) -> Result<Vec<String>, HttpResponse> {
    only(body, &["userIds"], ctx)?;
    let ids = body
        .get("userIds")
        .and_then(Value::as_array)
        .and_then(|ids| {
            (ids.iter().map(|id| id.as_str().map(str::to_owned))).collect::<Option<Vec<_>>>()
        });
    match ids {
        Some(ids) if !ids.is_empty() && ids.iter().all(|id| !id.is_empty()) => Ok(ids),
        _ => Err(ctx.error(400, "userIds must be a non-empty array of user ids")),
    }
}

fn add_members(
    group: &mut Value,
    body: &Value,
    ctx: &mut Ctx<'_>,
    groups: &str,
) -> Result<Value, HttpResponse> {
    let collection = format!("{groups}/{}/members", ctx.id());
    for user_id in user_ids(body, ctx)? {
        let known = ctx
            .list(&collection)
            .iter()
            .any(|m| m["userId"] == user_id.as_str());
        if !known {
            let member = json!({ "userId": user_id, "dateAdded": ctx.now_text() });
            ctx.insert(&collection, member)?;
        }
    }
    group["memberCount"] = json!(ctx.list(&collection).len());
    group["dateUpdated"] = json!(ctx.now_text());
    Ok(json!({}))
}

fn remove_members(
    group: &mut Value,
    body: &Value,
    ctx: &mut Ctx<'_>,
    groups: &str,
) -> Result<Value, HttpResponse> {
    let collection = format!("{groups}/{}/members", ctx.id());
    for user_id in user_ids(body, ctx)? {
        let member = (ctx.list(&collection).into_iter())
            .find(|m| m["userId"] == user_id.as_str())
            .and_then(|m| m["id"].as_str().map(str::to_owned));
        if let Some(member) = member {
            ctx.remove_in(&collection, &member);
        }
    }
    group["memberCount"] = json!(ctx.list(&collection).len());
    group["dateUpdated"] = json!(ctx.now_text());
    Ok(json!({}))
}
