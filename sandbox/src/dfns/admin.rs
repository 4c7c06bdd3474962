//! Organisation administration in the sandbox: users (paginated), service accounts (with a
//! working access token and credential), applications and the user action log.
//!
//! Choices where Dfns documents nothing, so tests can rely on them: an invited email or a
//! service account name already in use gives 409 with `details.duplicate`; unknown or deleted
//! ids give 404 `user not found` / `service account not found` / `application not found` /
//! `audit log not found` with the id in `details`; a deactivated or deleted user's (or service
//! account's) tokens, PATs included, get 401; the CSV of `GET /auth/action/logs` has the
//! columns `id,action,userId,username,datePerformed`, and an action is `<METHOD> <path>`;
//! `GET /auth/users` lists service accounts' users too (all of kind `CustomerEmployee`), in
//! creation order; `?force=` on a service account delete is checked (`true`/`false`) and has
//! nothing to bypass, as the sandbox has no policies.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde_json::{Value, json};

use super::store::{Call, Op, Resource};
use super::{Answer, Credential, HttpRequest, HttpResponse, State, User};
use crate::wire::{format_iso8601, parse_iso8601};

/// Dfns's page size bounds for `GET /auth/users`.
const USERS_DEFAULT_LIMIT: usize = 50;
const USERS_MAX_LIMIT: usize = 200;
/// The longest range `GET /auth/action/logs` accepts.
const LOGS_MAX_RANGE: Duration = Duration::from_secs(7 * 86_400);

/// Every admin handler first gives the users added through `State::add_user` their profiles
/// (see `sync_profiles`); `$body` then serves the request.
macro_rules! admin {
    (|$state:ident, $call:ident| $body:expr) => {
        |$state: &mut State, $call: &Call<'_>| {
            $state.sync_profiles();
            $body
        }
    };
}

/// `/auth/users`: the organisation's users.
pub(super) const USERS: Resource = Resource {
    path: "/auth/users",
    ops: &[
        Op::handler("GET", "", admin!(|s, c| s.list_users(c.request))),
        Op::handler(
            "POST",
            "",
            admin!(|s, c| {
                s.forbid(c.session, false, true, "Auth:Users:Create")?;
                s.create_user(c.request)
            }),
        )
        .signed(),
        Op::handler(
            "POST",
            "invite",
            admin!(|s, c| {
                s.forbid(c.session, false, true, "Auth:Users:Create")?;
                s.invite_user(c.request)
            }),
        )
        .signed(),
        Op::handler(
            "GET",
            "{userId}",
            admin!(|s, c| s.user_answer(c.param("userId"))),
        ),
        Op::handler(
            "PUT",
            "{userId}",
            admin!(|s, c| s.update_user(c.request, c.param("userId"))),
        )
        .signed(),
        Op::handler(
            "PUT",
            "{userId}/activate",
            admin!(|s, c| s.set_user_active(c.session, c.param("userId"), true)),
        )
        .signed(),
        Op::handler(
            "PUT",
            "{userId}/deactivate",
            admin!(|s, c| s.set_user_active(c.session, c.param("userId"), false)),
        )
        .signed(),
        Op::handler(
            "DELETE",
            "{userId}",
            admin!(|s, c| {
                let id = c.param("userId");
                s.user_answer(id)?;
                s.archive(id);
                Ok(s.render_user(id))
            }),
        )
        .signed(),
    ],
    ..Resource::DEFAULT
};

/// `/auth/service-accounts`: users that act with a token of their own.
pub(super) const SERVICE_ACCOUNTS: Resource = Resource {
    path: "/auth/service-accounts",
    ops: &[
        Op::handler("GET", "", admin!(|s, _c| s.list_service_accounts())),
        Op::handler(
            "POST",
            "",
            admin!(|s, c| {
                s.forbid(c.session, false, false, "Auth:ServiceAccounts:Create")?;
                s.create_service_account(c.request)
            }),
        )
        .signed(),
        Op::handler(
            "GET",
            "{serviceAccountId}",
            admin!(|s, c| s.service_account_answer(c.param("serviceAccountId"))),
        ),
        Op::handler(
            "PUT",
            "{serviceAccountId}",
            admin!(|s, c| s.update_service_account(c.request, c.param("serviceAccountId"))),
        )
        .signed(),
        Op::handler(
            "PUT",
            "{serviceAccountId}/activate",
            admin!(|s, c| s.set_service_account_active(
                c.session,
                c.param("serviceAccountId"),
                true
            )),
        )
        .signed(),
        Op::handler(
            "PUT",
            "{serviceAccountId}/deactivate",
            admin!(|s, c| s.set_service_account_active(
                c.session,
                c.param("serviceAccountId"),
                false
            )),
        )
        .signed(),
        Op::handler(
            "DELETE",
            "{serviceAccountId}",
            admin!(|s, c| s.delete_service_account(c.request, c.param("serviceAccountId"))),
        )
        .signed(),
    ],
    ..Resource::DEFAULT
};

/// `/auth/action/logs`: the log of signed actions.
pub(super) const ACTION_LOGS: Resource = Resource {
    path: "/auth/action/logs",
    ops: &[
        Op::handler("GET", "", admin!(|s, c| s.list_logs(c.request))),
        Op::handler("GET", "{id}", admin!(|s, c| s.log_answer(c.param("id")))),
    ],
    ..Resource::DEFAULT
};

/// `/auth/apps`: the organisation's application, read-only (Dfns deprecated applications).
pub(super) const APPLICATIONS: Resource = Resource {
    path: "/auth/apps",
    id_field: "appId",
    id_prefix: "ap",
    id_param: "appId",
    not_found: "application not found",
    singular: "application",
    ops: &[Op::LIST, Op::GET],
    ..Resource::DEFAULT
};

/// The state this module keeps: one field of [`State`].
#[derive(Default)]
pub(super) struct Admin {
    /// Every user's non-credential facts, by user id (the credentials live in `State::users`).
    profiles: HashMap<String, Profile>,
    next_seq: u64,
    /// Service accounts' tokens, by the service account's user id.
    service_accounts: HashMap<String, ServiceAccountToken>,
    /// Handed-out `nextPageToken`s of the user list: the last position they follow.
    page_tokens: HashMap<String, u64>,
    /// Assertions of completed challenges, by user action token, until the token is used.
    assertions: HashMap<String, Assertion>,
    logs: Vec<LogEntry>,
}

struct Profile {
    /// Creation order, for stable pages.
    seq: u64,
    username: String,
    name: String,
    credential_uuid: String,
    active: bool,
    archived: bool,
    registered: bool,
    sso_required: bool,
    service_account: bool,
    external_id: Option<String>,
}

struct ServiceAccountToken {
    token_id: String,
    cred_id: String,
    public_key_pem: String,
    permission_id: Option<String>,
    date_created: String,
    expires: Option<SystemTime>,
}

struct Assertion {
    cred_id: String,
    client_data: String,
    signature: String,
}

struct LogEntry {
    id: String,
    action: String,
    action_token: String,
    user_id: String,
    username: String,
    date: SystemTime,
    cred_id: String,
    public_key_pem: String,
    assertion: Assertion,
}

/// Who is calling, as far as the admin rules care.
enum Caller {
    Pat(String),
    ServiceAccount(String),
    User,
}

impl Admin {
    /// Whether `user_id` may still act: not deactivated, not deleted, its token not expired.
    /// Users the sandbox has no profile for yet (just added) may.
    pub(super) fn may_act(&self, user_id: &str, now: SystemTime) -> bool {
        let profile_ok = self
            .profiles
            .get(user_id)
            .is_none_or(|p| p.active && !p.archived);
        let token_ok = self
            .service_accounts
            .get(user_id)
            .and_then(|t| t.expires)
            .is_none_or(|at| now <= at);
        profile_ok && token_ok
    }

    /// Keeps the assertion that produced `user_action`, for the log entry written when the
    /// token is used.
    pub(super) fn remember_assertion(
        &mut self,
        user_action: &str,
        cred_id: &str,
        client_data: &str,
        signature: &str,
    ) {
        self.assertions.insert(
            user_action.to_owned(),
            Assertion {
                cred_id: cred_id.to_owned(),
                client_data: client_data.to_owned(),
                signature: signature.to_owned(),
            },
        );
    }

    fn add_profile(&mut self, id: &str, profile: impl FnOnce(u64) -> Profile) {
        self.next_seq += 1;
        let seq = self.next_seq;
        self.profiles.insert(id.to_owned(), profile(seq));
    }

    fn live(&self, user_id: &str) -> Option<&Profile> {
        self.profiles.get(user_id).filter(|p| !p.archived)
    }

    /// Whether `user_id` is a user the sandbox knows and has not deleted (invited users
    /// included): permissions.rs checks the identity of an assignment with it.
    pub(super) fn is_live(&self, user_id: &str) -> bool {
        self.live(user_id).is_some()
    }
}

impl State {
    /// The organisation's one application, in the declared store.
    pub(super) fn seed_application(&mut self) {
        let (app_id, token_id) = (self.dfns_id("ap"), self.dfns_id("to"));
        let app = json!({
            "appId": app_id,
            "kind": "ServerSideApplication",
            "orgId": self.org_id,
            "name": "Sandbox application",
            "isActive": true,
            "expectedRpId": "sandbox.dfns.local",
            "permissionAssignments": [],
            "accessTokens": [{
                "tokenId": token_id,
                "name": "Sandbox application token",
                "isActive": true,
                "kind": "Application",
                "linkedUserId": "",
                "linkedAppId": app_id,
                "orgId": self.org_id,
                "credId": "",
                "publicKey": "",
                "dateCreated": format_iso8601(self.now()),
                "permissionAssignments": [],
            }],
        });
        // The record is well-formed and its collection declared: nothing can refuse it.
        let _ = self.seed(APPLICATIONS.path, app);
    }

    /// `PUT /auth/users/{userId}`.
    fn update_user(&mut self, request: &HttpRequest, id: &str) -> Answer {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Update {
            #[serde(rename = "isSSORequired")]
            is_sso_required: bool,
        }
        self.user_answer(id)?;
        let update: Update = self.parse_body(request)?;
        if let Some(profile) = self.admin.profiles.get_mut(id) {
            profile.sso_required = update.is_sso_required;
        }
        self.user_answer(id)
    }

    /// `PUT /auth/users/{userId}/activate` and `/deactivate`.
    fn set_user_active(&mut self, session: &str, id: &str, active: bool) -> Answer {
        let permission = match active {
            true => "Auth:Users:Activate",
            false => "Auth:Users:Deactivate",
        };
        self.forbid(session, false, true, permission)?;
        self.user_answer(id)?;
        if let Some(profile) = self.admin.profiles.get_mut(id) {
            profile.active = active;
        }
        self.user_answer(id)
    }

    /// `GET /auth/service-accounts`.
    fn list_service_accounts(&mut self) -> Answer {
        let mut ids: Vec<(u64, String)> = (self.admin.service_accounts.keys())
            .filter_map(|id| self.admin.live(id).map(|p| (p.seq, id.clone())))
            .collect();
        ids.sort();
        let items: Vec<Value> = ids
            .iter()
            .map(|(_, id)| self.render_service_account(id, None))
            .collect();
        Ok(json!({ "items": items }))
    }

    /// `PUT /auth/service-accounts/{serviceAccountId}`.
    fn update_service_account(&mut self, request: &HttpRequest, id: &str) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Update {
            #[serde(default)]
            name: Option<String>,
            #[serde(default)]
            external_id: Option<String>,
        }
        self.service_account_answer(id)?;
        let update: Update = self.parse_body(request)?;
        if update.name.as_deref() == Some("") {
            return Err(self.error(400, "name must not be empty"));
        }
        if let Some(profile) = self.admin.profiles.get_mut(id) {
            if let Some(name) = update.name {
                profile.username = name.clone();
                profile.name = name;
            }
            if update.external_id.is_some() {
                profile.external_id = update.external_id;
            }
        }
        self.service_account_answer(id)
    }

    /// `PUT /auth/service-accounts/{serviceAccountId}/activate` and `/deactivate`.
    fn set_service_account_active(&mut self, session: &str, id: &str, active: bool) -> Answer {
        let permission = match active {
            true => "Auth:ServiceAccounts:Activate",
            false => "Auth:ServiceAccounts:Deactivate",
        };
        self.forbid(session, false, true, permission)?;
        self.service_account_answer(id)?;
        if let Some(profile) = self.admin.profiles.get_mut(id) {
            profile.active = active;
        }
        self.service_account_answer(id)
    }

    /// `DELETE /auth/service-accounts/{serviceAccountId}`.
    fn delete_service_account(&mut self, request: &HttpRequest, id: &str) -> Answer {
        let force = query_params(&request.target);
        let force_ok = force
            .iter()
            .filter(|(k, _)| k == "force")
            .all(|(_, v)| v == "true" || v == "false");
        if !force_ok {
            return Err(self.error(400, "force must be true or false"));
        }
        self.service_account_answer(id)?;
        self.archive(id);
        Ok(self.render_service_account(id, None))
    }

    /// `GET /auth/action/logs/{id}`.
    fn log_answer(&mut self, id: &str) -> Answer {
        let found = self.admin.logs.iter().find(|l| l.id == id);
        match found.map(render_log) {
            Some(log) => Ok(log),
            None => {
                let details = json!({ "id": id });
                Err(self.error_with(404, "audit log not found", details))
            }
        }
    }

    /// Writes the log entry of a signed action whose user action token was just accepted.
    pub(super) fn log_user_action(&mut self, session: &str, token: &str, request: &HttpRequest) {
        let Some(assertion) = self.admin.assertions.remove(token) else {
            return;
        };
        self.sync_profiles();
        let user_id = self.user_of(session);
        let public_key_pem = self
            .credentials_of(session)
            .into_iter()
            .find(|c| c.id == assertion.cred_id)
            .map(|c| c.public_key.to_pem())
            .unwrap_or_default();
        let username = (self.admin.profiles.get(&user_id))
            .map(|p| p.username.clone())
            .unwrap_or_default();
        let path = request.target.split('?').next().unwrap_or_default();
        let entry = LogEntry {
            id: self.dfns_id("ual"),
            action: format!("{} {}", request.method, path),
            action_token: token.to_owned(),
            user_id,
            username,
            date: self.now(),
            cred_id: assertion.cred_id.clone(),
            public_key_pem,
            assertion,
        };
        self.admin.logs.push(entry);
    }

    /// Gives every user added through `State::add_user` (the ready users, service accounts)
    /// a profile, and the organisation its application.
    fn sync_profiles(&mut self) {
        let mut missing: Vec<String> = (self.users.keys())
            .filter(|id| !self.admin.profiles.contains_key(*id))
            .cloned()
            .collect();
        missing.sort();
        for id in missing {
            let uuid = self.dfns_id("cr");
            self.admin.add_profile(&id, |seq| Profile {
                seq,
                username: format!("{id}@sandbox.dfns.local"),
                name: format!("Sandbox user {seq}"),
                credential_uuid: uuid,
                active: true,
                archived: false,
                registered: true,
                sso_required: false,
                service_account: false,
                external_id: None,
            });
        }
    }

    fn caller(&self, session: &str) -> Caller {
        if let Some(pat) = self.pats.get(session) {
            return Caller::Pat(pat.token_id.clone());
        }
        if self.admin.service_accounts.contains_key(session) {
            return Caller::ServiceAccount(session.to_owned());
        }
        Caller::User
    }

    /// 403 in Dfns's words when a PAT or a service account calls what it may not.
    pub(super) fn forbid(
        &mut self,
        session: &str,
        pat_allowed: bool,
        service_account_allowed: bool,
        permission: &str,
    ) -> Result<(), HttpResponse> {
        let who = match self.caller(session) {
            Caller::Pat(id) if !pat_allowed => format!("Pat {id}"),
            Caller::ServiceAccount(id) if !service_account_allowed => {
                format!("ServiceAccount {id}")
            }
            _ => return Ok(()),
        };
        let message = format!("{who} is not authorized to perform operation ({permission})");
        Err(self.error(403, &message))
    }

    fn archive(&mut self, id: &str) {
        if let Some(profile) = self.admin.profiles.get_mut(id) {
            profile.archived = true;
            profile.active = false;
        }
    }

    fn list_users(&mut self, request: &HttpRequest) -> Answer {
        let mut limit = USERS_DEFAULT_LIMIT;
        let mut kind = None;
        let mut after = 0;
        for (name, value) in query_params(&request.target) {
            match name.as_str() {
                "limit" => match value.parse::<usize>() {
                    Ok(n) if (1..=USERS_MAX_LIMIT).contains(&n) => limit = n,
                    _ => return Err(self.error(400, "limit must be an integer from 1 to 200")),
                },
                "kind" if value == "CustomerEmployee" || value == "EndUser" => kind = Some(value),
                "kind" => return Err(self.error(400, "kind must be CustomerEmployee or EndUser")),
                "paginationToken" => match self.admin.page_tokens.get(&value) {
                    Some(position) => after = *position,
                    None => return Err(self.error(400, "paginationToken is not valid")),
                },
                _ => {}
            }
        }
        // Every sandbox user is an organisation employee (service accounts included).
        let mut rows: Vec<(u64, &String)> = (self.admin.profiles.iter())
            .filter(|(_, p)| !p.archived && p.seq > after)
            .filter(|_| kind.as_deref().is_none_or(|k| k == "CustomerEmployee"))
            .map(|(id, p)| (p.seq, id))
            .collect();
        rows.sort();
        let more = rows.len() > limit;
        rows.truncate(limit);
        let last = rows.last().map(|(seq, _)| *seq);
        let ids: Vec<String> = rows.into_iter().map(|(_, id)| id.clone()).collect();
        let items: Vec<Value> = ids.iter().map(|id| self.render_user(id)).collect();
        let mut page = json!({ "items": items });
        if let (true, Some(last)) = (more, last) {
            let token = self.random(24);
            self.admin.page_tokens.insert(token.clone(), last);
            page["nextPageToken"] = Value::String(token);
        }
        Ok(page)
    }

    fn create_user(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Create {
            email: String,
            kind: String,
            #[serde(default)]
            external_id: Option<String>,
            #[serde(default, rename = "isSSORequired")]
            is_sso_required: Option<bool>,
            #[serde(default)]
            public_key: Option<String>,
        }
        let create: Create = self.parse_body(request)?;
        if create.kind != "CustomerEmployee" {
            return Err(self.error(400, "kind must be CustomerEmployee"));
        }
        if let Some(pem) = &create.public_key {
            self.public_key_from_body(pem)?;
        }
        let id = self.add_invited(create.email, create.external_id, create.is_sso_required)?;
        Ok(self.render_user(&id))
    }

    /// `POST /auth/users/invite` (`{email, kind}`, kind `CustomerEmployee` or `TenantUser`):
    /// invites like `POST /auth/users`, answering the user in the tenant user's shape (`id`,
    /// `kind`, `orgs`).
    fn invite_user(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Invite {
            email: String,
            kind: String,
        }
        let invite: Invite = self.parse_body(request)?;
        if !["CustomerEmployee", "TenantUser"].contains(&invite.kind.as_str()) {
            return Err(self.error(400, "kind must be CustomerEmployee or TenantUser"));
        }
        let id = self.add_invited(invite.email, None, None)?;
        let user = self.render_user(&id);
        let mut answer = json!({
            "id": id,
            "kind": invite.kind,
            "username": user["username"],
            "isRegistered": user["isRegistered"],
            "isActive": user["isActive"],
            "isSSORequired": user["isSSORequired"],
            "permissions": [],
            "orgs": [{ "id": self.org_id }],
        });
        if let Some(external_id) = user.get("externalId") {
            answer["externalId"] = external_id.clone();
        }
        Ok(answer)
    }

    /// Adds an invited (unregistered) employee; its id. 400 for a malformed email, 409 for
    /// one already in use.
    fn add_invited(
        &mut self,
        email: String,
        external_id: Option<String>,
        sso_required: Option<bool>,
    ) -> Result<String, HttpResponse> {
        let email_ok = email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
        if !email_ok {
            return Err(self.error(400, "email must be a valid email address"));
        }
        let duplicate = (self.admin.profiles.iter())
            .find(|(_, p)| !p.archived && p.username.eq_ignore_ascii_case(&email))
            .map(|(id, _)| id.clone());
        if let Some(existing) = duplicate {
            let details = json!({ "duplicate": { "id": existing, "email": email } });
            return Err(self.error_with(409, "a user with this email already exists", details));
        }
        let id = self.dfns_id("us");
        let uuid = self.dfns_id("cr");
        self.admin.add_profile(&id, |seq| Profile {
            seq,
            username: email.clone(),
            name: email,
            credential_uuid: uuid,
            active: true,
            archived: false,
            registered: false,
            sso_required: sso_required.unwrap_or(false),
            service_account: false,
            external_id,
        });
        Ok(id)
    }

    fn create_service_account(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Create {
            name: String,
            public_key: String,
            #[serde(default)]
            permission_id: Option<String>,
            #[serde(default)]
            external_id: Option<String>,
            #[serde(default)]
            days_valid: Option<u64>,
        }
        let create: Create = self.parse_body(request)?;
        if create.name.is_empty() {
            return Err(self.error(400, "name must not be empty"));
        }
        if create.days_valid == Some(0) {
            return Err(self.error(400, "daysValid must be greater than 0"));
        }
        let public_key = self.public_key_from_body(&create.public_key)?;
        let duplicate = (self.admin.service_accounts.keys())
            .find(|id| self.admin.live(id).is_some_and(|p| p.name == create.name))
            .cloned();
        if let Some(existing) = duplicate {
            let details = json!({ "duplicate": { "id": existing, "name": create.name } });
            return Err(self.error_with(
                409,
                "a service account with this name already exists",
                details,
            ));
        }
        let user_id = self.dfns_id("us");
        let cred_id = URL_SAFE_NO_PAD.encode(self.dfns_id("cr"));
        let token_id = self.dfns_id("to");
        let uuid = self.dfns_id("cr");
        // A service account is a user whose one credential is the key from the body: its
        // token authenticates like any user's and its key signs its user actions.
        let access_token = self.add_user(User {
            id: user_id.clone(),
            credentials: vec![Credential::key(
                cred_id.clone(),
                public_key,
                uuid.clone(),
                self.now(),
            )],
        });
        let validity = create
            .days_valid
            .map(|days| Duration::from_secs(days.saturating_mul(86_400)));
        self.admin.service_accounts.insert(
            user_id.clone(),
            ServiceAccountToken {
                token_id,
                cred_id,
                public_key_pem: create.public_key,
                permission_id: create.permission_id,
                date_created: self.now_text(),
                expires: validity.and_then(|v| self.now().checked_add(v)),
            },
        );
        self.admin.add_profile(&user_id, |seq| Profile {
            seq,
            username: create.name.clone(),
            name: create.name,
            credential_uuid: uuid,
            active: true,
            archived: false,
            registered: true,
            sso_required: false,
            service_account: true,
            external_id: create.external_id,
        });
        Ok(self.render_service_account(&user_id, Some(&access_token)))
    }

    /// The live user `id` as JSON, or 404.
    fn user_answer(&mut self, id: &str) -> Answer {
        if self.admin.live(id).is_none() {
            let details = json!({ "userId": id, "orgId": self.org_id });
            return Err(self.error_with(404, "user not found", details));
        }
        Ok(self.render_user(id))
    }

    /// The live service account `id` as JSON, or 404.
    fn service_account_answer(&mut self, id: &str) -> Answer {
        let live = self.admin.service_accounts.contains_key(id) && self.admin.live(id).is_some();
        if !live {
            let details = json!({ "serviceAccountId": id, "orgId": self.org_id });
            return Err(self.error_with(404, "service account not found", details));
        }
        Ok(self.render_service_account(id, None))
    }

    fn render_user(&self, id: &str) -> Value {
        let Some(p) = self.admin.profiles.get(id) else {
            return Value::Null;
        };
        let mut user = json!({
            "userId": id,
            "username": p.username,
            "name": p.name,
            "kind": "CustomerEmployee",
            "credentialUuid": p.credential_uuid,
            "orgId": self.org_id,
            "isActive": p.active,
            "isServiceAccount": p.service_account,
            "isRegistered": p.registered,
            "permissionAssignments": [],
            "permissions": [],
        });
        // Service accounts' `userInfo` has no SSO flag in Dfns's schema.
        if !p.service_account {
            user["isSSORequired"] = json!(p.sso_required);
        }
        if let Some(external_id) = &p.external_id {
            user["externalId"] = json!(external_id);
        }
        user
    }

    fn render_service_account(&self, id: &str, access_token: Option<&str>) -> Value {
        let (Some(profile), Some(token)) = (
            self.admin.profiles.get(id),
            self.admin.service_accounts.get(id),
        ) else {
            return Value::Null;
        };
        let assignments: Vec<Value> = token
            .permission_id
            .iter()
            .map(|pm| json!({ "permissionName": "Sandbox permission", "permissionId": pm, "assignmentId": format!("as-{}", &token.token_id[3..]) }))
            .collect();
        let mut access = json!({
            "tokenId": token.token_id,
            "name": profile.name,
            "isActive": profile.active,
            "kind": "ServiceAccount",
            "linkedUserId": id,
            "linkedAppId": "",
            "orgId": self.org_id,
            "credId": token.cred_id,
            "publicKey": token.public_key_pem,
            "dateCreated": token.date_created,
            "permissionAssignments": assignments,
        });
        if let Some(secret) = access_token {
            access["accessToken"] = json!(secret);
        }
        json!({ "userInfo": self.render_user(id), "accessTokens": [access] })
    }

    fn list_logs(&mut self, request: &HttpRequest) -> Answer {
        let params = query_params(&request.target);
        let param = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let start = param("startTime").as_deref().and_then(parse_time);
        let end = param("endTime").as_deref().and_then(parse_time);
        let user_id = param("userId");
        let (Some(start), Some(end)) = (start, end) else {
            return Err(self.error(400, "startTime and endTime must be ISO-8601 UTC times"));
        };
        let range = end.duration_since(start);
        if !range.is_ok_and(|range| range <= LOGS_MAX_RANGE) {
            return Err(self.error(
                400,
                "the time range must be at most 7 days, end after start",
            ));
        }
        let mut csv = String::from("id,action,userId,username,datePerformed\n");
        let rows = self.admin.logs.iter().filter(|log| {
            log.date >= start
                && log.date <= end
                && user_id.as_deref().is_none_or(|u| u == log.user_id)
        });
        for log in rows {
            let date = format_iso8601(log.date);
            let fields = [&log.id, &log.action, &log.user_id, &log.username, &date];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            csv.push_str(&line.join(","));
            csv.push('\n');
        }
        Ok(Value::String(csv))
    }
}

fn render_log(log: &LogEntry) -> Value {
    json!({
        "id": log.id,
        "action": log.action,
        "actionToken": log.action_token,
        "userId": log.user_id,
        "username": log.username,
        "datePerformed": format_iso8601(log.date),
        "firstFactorCredential": {
            "id": log.cred_id,
            "kind": "Key",
            "publicKey": log.public_key_pem,
            "assertion": {
                "authenticatorData": null,
                "clientData": log.assertion.client_data,
                "signature": log.assertion.signature,
            },
        },
    })
}

/// The query's parameters, percent-decoded, in order (also used by `paging.rs`).
pub(super) fn query_params(target: &str) -> Vec<(String, String)> {
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// `2025-08-29T02:46:40Z` (Dfns's example) or with milliseconds.
fn parse_time(text: &str) -> Option<SystemTime> {
    match text.strip_suffix('Z') {
        Some(seconds) if text.len() == 20 => parse_iso8601(&format!("{seconds}.000Z")),
        _ => parse_iso8601(text),
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
