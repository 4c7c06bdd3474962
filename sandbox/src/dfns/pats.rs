//! Personal access tokens (`/auth/pats`): a user's tokens, each acting for them with its own
//! credential. A token is live while active, not archived and not expired; deactivating it
//! stops it acting, deleting archives it (it is then gone from every answer). Neither a token
//! nor a service account may create tokens; names are unique among a user's live tokens (409).

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::store::{Op, Resource};
use super::{Answer, Credential, HttpRequest, HttpResponse, Session, State, error_response};
use crate::wire::format_iso8601;

/// A personal access token.
pub(super) struct Pat {
    pub(super) token_id: String,
    pub(super) user_id: String,
    pub(super) name: String,
    pub(super) active: bool,
    pub(super) archived: bool,
    pub(super) credential: Credential,
    pub(super) public_key_pem: String,
    pub(super) external_id: Option<String>,
    pub(super) permission_id: Option<String>,
    pub(super) date_created: String,
    pub(super) expires: Option<SystemTime>,
}

/// `/auth/pats`: the caller's tokens.
pub(super) const PATS: Resource = Resource {
    path: "/auth/pats",
    ops: &[
        Op::handler("GET", "", |state, call| state.list_pats(call.session)),
        Op::handler("POST", "", |state, call| {
            state.create_pat(call.session, call.request)
        })
        .signed(),
        Op::handler("GET", "{tokenId}", |state, call| {
            state.pat_json(call.session, call.param("tokenId"))
        }),
        Op::handler("PUT", "{tokenId}", |state, call| {
            state.update_pat(call.session, call.param("tokenId"), call.request)
        })
        .signed(),
        Op::handler("PUT", "{tokenId}/activate", |state, call| {
            state.set_pat_active(call.session, call.param("tokenId"), true)
        })
        .signed(),
        Op::handler("PUT", "{tokenId}/deactivate", |state, call| {
            state.set_pat_active(call.session, call.param("tokenId"), false)
        })
        .signed(),
        Op::handler("DELETE", "{tokenId}", |state, call| {
            let id = call.param("tokenId");
            let answer = state.pat_json(call.session, id)?;
            let pat = state.owned_pat(call.session, id)?;
            pat.archived = true;
            pat.active = false;
            Ok(answer)
        })
        .signed(),
    ],
    ..Resource::DEFAULT
};

impl State {
    fn set_pat_active(&mut self, session: &str, id: &str, active: bool) -> Answer {
        self.owned_pat(session, id)?.active = active;
        self.pat_json(session, id)
    }

    fn list_pats(&mut self, session: &str) -> Answer {
        let user = self.user_of(session);
        let mut pats: Vec<&Pat> = self
            .pats
            .values()
            .filter(|p| p.user_id == user && !p.archived)
            .collect();
        pats.sort_by(|a, b| {
            a.date_created
                .cmp(&b.date_created)
                .then(a.token_id.cmp(&b.token_id))
        });
        let items: Vec<Value> = pats.into_iter().map(|p| self.render_pat(p)).collect();
        Ok(json!({ "items": items }))
    }

    fn create_pat(&mut self, session: &str, request: &HttpRequest) -> Answer {
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
            #[serde(default)]
            seconds_valid: Option<u64>,
        }
        // Neither a PAT nor a service account may create PATs.
        self.forbid(session, false, false, "Auth:Pats:Create")?;
        let create: Create = self.parse_body(request)?;
        if create.name.is_empty() {
            return Err(self.error(400, "name must not be empty"));
        }
        if create.days_valid == Some(0) || create.seconds_valid == Some(0) {
            return Err(self.error(400, "validity must be greater than 0"));
        }
        let public_key = self.public_key_from_body(&create.public_key)?;
        let user = self.user_of(session);
        let duplicate = self
            .pats
            .values()
            .find(|p| p.user_id == user && !p.archived && p.name == create.name)
            .map(|p| p.token_id.clone());
        if let Some(existing) = duplicate {
            let details = json!({ "duplicate": { "id": existing, "name": create.name } });
            return Err(self.error_with(
                409,
                "a personal access token with this name already exists",
                details,
            ));
        }
        let token_id = self.dfns_id("to");
        let cred_id = URL_SAFE_NO_PAD.encode(self.dfns_id("cr"));
        let access_token = self.bearer_token();
        let validity = match (create.seconds_valid, create.days_valid) {
            (Some(seconds), _) => Some(Duration::from_secs(seconds)),
            (None, Some(days)) => Some(Duration::from_secs(days.saturating_mul(86_400))),
            (None, None) => None,
        };
        let pat = Pat {
            token_id: token_id.clone(),
            user_id: user,
            name: create.name,
            active: true,
            archived: false,
            credential: Credential::key(cred_id, public_key, self.dfns_id("cr"), self.now()),
            public_key_pem: create.public_key,
            external_id: create.external_id,
            permission_id: create.permission_id,
            date_created: format_iso8601(self.now()),
            expires: validity.and_then(|v| self.now().checked_add(v)),
        };
        let mut body = self.render_pat(&pat);
        body["accessToken"] = Value::String(access_token.clone());
        self.tokens
            .insert(access_token, Session::Pat(token_id.clone()));
        self.pats.insert(token_id, pat);
        Ok(body)
    }

    /// A fixture: a token of `user_id` named `name`, created at `date_created`, whose
    /// credential is the user's first one. Answers its id.
    pub(crate) fn seed_pat(
        &mut self,
        user_id: &str,
        name: &str,
        date_created: SystemTime,
    ) -> Result<String, String> {
        let Some(key) = (self.users.get(user_id))
            .and_then(|user| user.credentials.first())
            .map(|credential| credential.public_key.clone())
        else {
            return Err(format!("{user_id} is not a sandbox user with a credential"));
        };
        if name.is_empty() {
            return Err("a personal access token's name must not be empty".to_owned());
        }
        let token_id = self.dfns_id("to");
        let cred_id = URL_SAFE_NO_PAD.encode(self.dfns_id("cr"));
        let access_token = self.bearer_token();
        let pat = Pat {
            token_id: token_id.clone(),
            user_id: user_id.to_owned(),
            name: name.to_owned(),
            active: true,
            archived: false,
            public_key_pem: key.to_pem(),
            credential: Credential::key(cred_id, key, self.dfns_id("cr"), date_created),
            external_id: None,
            permission_id: None,
            date_created: format_iso8601(date_created),
            expires: None,
        };
        self.tokens
            .insert(access_token, Session::Pat(token_id.clone()));
        self.pats.insert(token_id.clone(), pat);
        Ok(token_id)
    }

    fn update_pat(&mut self, session: &str, id: &str, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Update {
            #[serde(default)]
            name: Option<String>,
            #[serde(default)]
            external_id: Option<String>,
        }
        self.owned_pat(session, id)?;
        let update: Update = self.parse_body(request)?;
        let pat = self.owned_pat(session, id)?;
        if let Some(name) = update.name {
            pat.name = name;
        }
        if let Some(external_id) = update.external_id {
            pat.external_id = Some(external_id);
        }
        self.pat_json(session, id)
    }

    /// The caller's live (not archived) token `id`, or 404.
    fn owned_pat(&mut self, session: &str, id: &str) -> Result<&mut Pat, HttpResponse> {
        let user = self.user_of(session);
        let found = self
            .pats
            .get(id)
            .is_some_and(|p| p.user_id == user && !p.archived);
        if !found {
            let details = json!({ "tokenId": id, "orgId": self.org_id });
            return Err(self.error_with(404, "personal access token not found", details));
        }
        self.pats
            .get_mut(id)
            .ok_or_else(|| error_response(404, "personal access token not found", None, "0"))
    }

    fn pat_json(&mut self, session: &str, id: &str) -> Answer {
        self.owned_pat(session, id)?;
        Ok(self
            .pats
            .get(id)
            .map(|pat| self.render_pat(pat))
            .unwrap_or_default())
    }

    fn render_pat(&self, pat: &Pat) -> Value {
        let assignments: Vec<Value> = pat
            .permission_id
            .iter()
            .map(|id| json!({ "permissionName": "Sandbox permission", "permissionId": id, "assignmentId": format!("as-{}", &pat.token_id[3..]) }))
            .collect();
        let mut body = Map::new();
        body.insert("tokenId".into(), json!(pat.token_id));
        body.insert("name".into(), json!(pat.name));
        body.insert("isActive".into(), json!(pat.active));
        body.insert("kind".into(), json!("Pat"));
        body.insert("linkedUserId".into(), json!(pat.user_id));
        body.insert("linkedAppId".into(), json!(""));
        body.insert("orgId".into(), json!(self.org_id));
        body.insert("credId".into(), json!(pat.credential.id));
        body.insert("publicKey".into(), json!(pat.public_key_pem));
        body.insert("dateCreated".into(), json!(pat.date_created));
        body.insert("permissionAssignments".into(), Value::Array(assignments));
        if let Some(external_id) = &pat.external_id {
            body.insert("externalId".into(), json!(external_id));
        }
        Value::Object(body)
    }
}
