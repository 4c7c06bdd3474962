//! Login, registration and recovery in the sandbox.
//!
//! - Login with a `Key` credential: `POST /auth/login/init` gives a challenge for the user's
//!   signing credentials, `POST /auth/login` verifies the `key.get` assertion and mints a login
//!   token that works as the user's bearer token. `PUT /auth/logout` ends it (or all of them).
//! - Delegated login: a user or token session (the sandbox has no service accounts) signs
//!   `POST /auth/login/delegated` and gets a token for another user.
//! - Registration: a delegated or social registration creates a pending user and a challenge
//!   with a temporary token; `POST /auth/registration` (or `/enduser`) with that token verifies
//!   the new credentials' attestations and creates the user, whose username is their email.
//! - Recovery: a recovery challenge for a user's `RecoveryKey` credential; `POST
//!   /auth/recover/user` verifies the new credentials and the recovery key's signature of them,
//!   then replaces the user's credentials and ends their sessions and tokens.
//! - One-time codes (login, registration and recovery emails) are kept in a mailbox that
//!   [`Sandbox::sent_code`] reads. Social logins read the `email` of the ID token's payload (the
//!   sandbox checks its JWT shape but has no identity provider keys to verify it with); the
//!   sandbox's SSO and OIDC providers take a username as authorization code. `POST
//!   /auth/tokens` answers a new login token of the caller, whatever the `target`.
//!
//! Users made by [`Sandbox::start`] and [`Sandbox::add_user`] have no email: their user id is
//! their username.

use std::collections::HashMap;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::{Value, json};

use super::credentials::{CodeGrant, NewCredentialWire, PendingCredential, pub_key_cred_params};
use super::store::{Op, Resource};
use super::{
    Answer, CHALLENGE_LIFETIME, Credential, Factor, HttpRequest, HttpResponse,
    MSG_CHALLENGE_INVALID, MSG_SIGNATURE_INVALID, MSG_UNAUTHENTICATED, Session, SignedChallenge,
    State, User, assertion_verifies, bearer, challenge_answer,
};
use crate::{Sandbox, lock};

const MSG_USER_NOT_FOUND: &str = "User not found";
const MSG_USER_EXISTS: &str = "User already exists.";
const MSG_NO_CREDENTIAL: &str =
    "User does not have a credential that can be used for the application.";
const MSG_NOT_RECOVERY: &str = "Credential cannot be used as a recovery factor.";
const MSG_INVALID_CODE: &str = "Invalid code";

/// The credential, login, registration and recovery part of the sandbox's state.
#[derive(Default)]
pub(crate) struct AuthState {
    pub(super) credential_challenges: HashMap<String, PendingCredential>,
    pub(super) credential_codes: HashMap<String, CodeGrant>,
    logins: HashMap<String, PendingLogin>,
    /// Username (email) → user id, for registered users.
    usernames: HashMap<String, String>,
    /// Username → user id, for users created but not registered yet.
    pending_users: HashMap<String, String>,
    /// Temporary token → registration or recovery session.
    registrations: HashMap<String, PendingRegistration>,
    /// Username → the last one-time code "emailed" to them.
    mailbox: HashMap<String, String>,
    /// SSO `state` values handed out and not used yet.
    sso_states: Vec<String>,
}

struct PendingLogin {
    user_id: String,
    challenge: String,
    created: SystemTime,
    used: bool,
}

struct PendingRegistration {
    user_id: String,
    username: String,
    challenge: String,
    created: SystemTime,
    used: bool,
    /// For a recovery: the recovery credential that must sign it.
    recovery_credential: Option<String>,
}

/// `/auth/login`: logins with a credential, a one-time code, a social, SSO or OIDC identity
/// (no session), and delegated logins (signed).
pub(super) const LOGIN: Resource = Resource {
    path: "/auth/login",
    ops: &[
        Op::handler("POST", "init", |s, c| s.login_challenge(c.request)).public(),
        Op::handler("POST", "", |s, c| s.login(c.request)).public(),
        Op::handler("POST", "code", |s, c| s.send_code(c.request, false)).public(),
        Op::handler("POST", "social", |s, c| s.social_login(c.request)).public(),
        Op::handler("POST", "sso/init", |s, c| s.sso_init(c.request)).public(),
        Op::handler("POST", "sso", |s, c| s.sso_login(c.request)).public(),
        Op::handler("POST", "oidc/init", |s, c| s.oidc_init(c.request)).public(),
        // The sandbox's OIDC provider works as its SSO one: the code is a username.
        Op::handler("POST", "oidc", |s, c| s.sso_login(c.request)).public(),
        Op::handler("POST", "delegated", |s, c| {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Body {
                username: String,
            }
            let body: Body = s.parse_body(c.request)?;
            s.login_token_for(&body.username)
        })
        .signed(),
    ],
    ..Resource::DEFAULT
};

/// `/auth/registration`: a new user's registration (no session), and delegated ones (signed).
pub(super) const REGISTRATION: Resource = Resource {
    path: "/auth/registration",
    ops: &[
        Op::handler("POST", "init", |s, c| s.registration_challenge(c.request)).public(),
        Op::handler("PUT", "code", |s, c| s.send_code(c.request, true)).public(),
        Op::handler("POST", "social", |s, c| s.social_registration(c.request)).public(),
        Op::handler("POST", "", |s, c| s.register(c.request, false)).public(),
        Op::handler("POST", "enduser", |s, c| s.register(c.request, true)).public(),
        Op::handler("POST", "delegated", |s, c| {
            s.delegated_registration(c.request)
        })
        .signed(),
    ],
    ..Resource::DEFAULT
};

/// `/auth/recover/user`: a user's recovery with a recovery key (no session), and delegated
/// ones (signed).
pub(super) const RECOVERY: Resource = Resource {
    path: "/auth/recover/user",
    ops: &[
        Op::handler("POST", "init", |s, c| s.recovery_challenge(c.request)).public(),
        Op::handler("POST", "code", |s, c| s.send_code(c.request, false)).public(),
        Op::handler("POST", "", |s, c| s.recover(c.request)).public(),
        Op::handler("POST", "delegated", |s, c| {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase", deny_unknown_fields)]
            struct Body {
                username: String,
                credential_id: String,
            }
            let body: Body = s.parse_body(c.request)?;
            s.start_recovery(&body.username, &body.credential_id)
        })
        .signed(),
    ],
    ..Resource::DEFAULT
};

/// `/auth/tokens`: a new login token of the caller; the sandbox has one target per user.
pub(super) const TOKENS: Resource = Resource {
    path: "/auth/tokens",
    ops: &[Op::handler("POST", "", |s, c| {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Body {
            target: String,
        }
        let body: Body = s.parse_body(c.request)?;
        if body.target.is_empty() {
            return Err(s.error(400, "target is required"));
        }
        let user = s.user_of(c.session);
        Ok(json!({ "token": s.new_login_token(&user) }))
    })],
    ..Resource::DEFAULT
};

/// `/auth/logout`: ends the caller's login token, or all of them.
pub(super) const LOGOUT: Resource = Resource {
    path: "/auth/logout",
    ops: &[Op::handler("PUT", "", |s, c| s.logout(c.request))],
    ..Resource::DEFAULT
};

impl State {
    /// A registered user's id by username (their email), or a sandbox user's id.
    fn user_by_username(&self, username: &str) -> Option<String> {
        match self.auth.usernames.get(username) {
            Some(id) => Some(id.clone()),
            None => self
                .users
                .contains_key(username)
                .then(|| username.to_owned()),
        }
    }

    /// The username of a user id (the id itself for sandbox users).
    pub(super) fn username_of(&self, user_id: &str) -> String {
        let all = self.auth.usernames.iter().chain(&self.auth.pending_users);
        all.filter(|(_, id)| *id == user_id)
            .map(|(name, _)| name.clone())
            .next()
            .unwrap_or_else(|| user_id.to_owned())
    }

    /// `{"token": ...}`: a new login token for `username`, or 401 for an unknown user.
    fn login_token_for(&mut self, username: &str) -> Answer {
        let Some(user) = self.user_by_username(username) else {
            return Err(self.error(401, MSG_USER_NOT_FOUND));
        };
        Ok(json!({ "token": self.new_login_token(&user) }))
    }

    fn new_login_token(&mut self, user_id: &str) -> String {
        let token = format!("eyJ0eXAiOiJKV1QifQ.{}.{}", self.random(40), self.random(32));
        self.tokens
            .insert(token.clone(), Session::User(user_id.to_owned()));
        token
    }

    /// The organisation must be the sandbox's.
    fn check_org(&mut self, org_id: Option<&str>) -> Result<(), HttpResponse> {
        match org_id {
            Some(org) if org != self.org_id => Err(self.error(401, MSG_USER_NOT_FOUND)),
            _ => Ok(()),
        }
    }

    fn login_challenge(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Init {
            org_id: String,
            #[serde(default)]
            username: Option<String>,
            #[serde(default)]
            login_code: Option<String>,
        }
        let init: Init = self.parse_body(request)?;
        self.check_org(Some(&init.org_id))?;
        // The sandbox has no discoverable passkeys: the username is needed.
        let Some(username) = init.username else {
            return Err(self.error(400, "username is required"));
        };
        let Some(user) = self.user_by_username(&username) else {
            return Err(self.error(401, MSG_USER_NOT_FOUND));
        };
        if let Some(code) = init.login_code {
            self.redeem_mailbox_code(&username, &code)?;
        }
        let allowed: Vec<String> = self
            .credentials_of(&user)
            .iter()
            .map(|c| c.id.clone())
            .collect();
        if allowed.is_empty() {
            return Err(self.error(401, MSG_NO_CREDENTIAL));
        }
        let challenge = self.random(32);
        let identifier = format!("eyJ0eXAiOiJKV1QifQ.{}.{}", self.random(48), self.random(32));
        self.auth.logins.insert(
            identifier.clone(),
            PendingLogin {
                user_id: user,
                challenge: challenge.clone(),
                created: self.now(),
                used: false,
            },
        );
        Ok(challenge_answer(&challenge, &identifier, &allowed))
    }

    fn login(&mut self, request: &HttpRequest) -> Answer {
        let complete: SignedChallenge = self.parse_body(request)?;
        let now = self.now();
        let pending = self
            .auth
            .logins
            .get_mut(&complete.challenge_identifier)
            .filter(|p| {
                !p.used && now.duration_since(p.created).unwrap_or_default() < CHALLENGE_LIFETIME
            });
        let Some(pending) = pending else {
            return Err(self.error(400, MSG_CHALLENGE_INVALID));
        };
        pending.used = true;
        let (user, challenge) = (pending.user_id.clone(), pending.challenge.clone());
        let factor = complete.first_factor;
        let assertion = &factor.credential_assertion;
        let verified = factor.kind == "Key"
            && self.verify_assertion(
                &user,
                &assertion.cred_id,
                &assertion.client_data,
                &assertion.signature,
                &challenge,
            );
        if !verified {
            return Err(self.error(401, MSG_SIGNATURE_INVALID));
        }
        self.stats.signatures_verified += 1;
        Ok(json!({ "token": self.new_login_token(&user) }))
    }

    fn logout(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Body {
            #[serde(default)]
            all_sessions: Option<bool>,
        }
        // The body is optional (the OpenAPI document does not require one).
        let body: Body = if request.body.is_empty() {
            Body { all_sessions: None }
        } else {
            self.parse_body(request)?
        };
        let token = bearer(request).unwrap_or_default().to_owned();
        let Some(Session::User(user)) = self.tokens.get(&token).cloned() else {
            return Err(self.error(400, "only a user's login token can log out"));
        };
        if body.all_sessions == Some(true) {
            self.end_sessions(&user);
        } else {
            self.tokens.remove(&token);
        }
        Ok(json!({ "message": "User logged out" }))
    }

    /// Every login token of `user` stops working.
    fn end_sessions(&mut self, user: &str) {
        self.tokens
            .retain(|_, session| !matches!(session, Session::User(id) if id == user));
    }

    /// Login, registration and recovery codes: "emailed" to a known user's mailbox.
    fn send_code(&mut self, request: &HttpRequest, registration: bool) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Body {
            org_id: String,
            username: String,
        }
        let body: Body = self.parse_body(request)?;
        self.check_org(Some(&body.org_id))?;
        let known = if registration {
            self.auth.pending_users.contains_key(&body.username)
                || self.user_by_username(&body.username).is_some()
        } else {
            self.user_by_username(&body.username).is_some()
        };
        if !known {
            return Err(self.error(401, MSG_USER_NOT_FOUND));
        }
        // A registered user asking for a registration code: nothing happens, as documented.
        if !registration || self.auth.pending_users.contains_key(&body.username) {
            let code = self.one_time_code();
            self.auth.mailbox.insert(body.username, code);
        }
        Ok(json!({ "message": "Code sent" }))
    }

    /// The mailbox code of `username` is `code`; it is used up either way.
    fn redeem_mailbox_code(&mut self, username: &str, code: &str) -> Result<(), HttpResponse> {
        match self.auth.mailbox.remove(username) {
            Some(sent) if sent == code => Ok(()),
            _ => Err(self.error(403, MSG_INVALID_CODE)),
        }
    }

    /// The `email` of an ID token's payload: it must be a JWT (three base64url parts).
    fn id_token_email(&mut self, request: &HttpRequest) -> Result<String, HttpResponse> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Body {
            id_token: String,
            #[serde(default)]
            org_id: Option<String>,
            social_login_provider_kind: String,
        }
        let body: Body = self.parse_body(request)?;
        self.check_org(body.org_id.as_deref())?;
        let email = body
            .id_token
            .split('.')
            .nth(1)
            .filter(|_| body.id_token.split('.').count() == 3)
            .and_then(|payload| URL_SAFE_NO_PAD.decode(payload).ok())
            .and_then(|json| serde_json::from_slice::<Value>(&json).ok())
            .and_then(|claims| claims["email"].as_str().map(str::to_owned));
        match email {
            Some(email) if body.social_login_provider_kind == "Oidc" => Ok(email),
            _ => Err(self.error(401, "invalid ID token")),
        }
    }

    fn social_login(&mut self, request: &HttpRequest) -> Answer {
        let email = self.id_token_email(request)?;
        self.login_token_for(&email)
    }

    fn sso_init(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Body {
            client_id: String,
            org_id: String,
            redirect_uri: String,
        }
        let body: Body = self.parse_body(request)?;
        self.check_org(Some(&body.org_id))?;
        if !body.redirect_uri.starts_with("https://") && !body.redirect_uri.starts_with("http://") {
            return Err(self.error(400, "redirectUri must be a URL"));
        }
        let state = self.random(16);
        self.auth.sso_states.push(state.clone());
        let url = format!(
            "https://sso.sandbox.dfns.local/authorize?client_id={}&redirect_uri={}&state={state}",
            encode(&body.client_id),
            encode(&body.redirect_uri)
        );
        Ok(json!({ "ssoRedirectUrl": url }))
    }

    fn oidc_init(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Body {
            #[serde(default)]
            org_id: Option<String>,
            #[serde(default)]
            tenant_id: Option<String>,
            redirect_uri: String,
        }
        let body: Body = self.parse_body(request)?;
        if body.org_id.is_none() && body.tenant_id.is_none() {
            return Err(self.error(400, "orgId or tenantId is required"));
        }
        self.check_org(body.org_id.as_deref())?;
        if !body.redirect_uri.starts_with("https://") && !body.redirect_uri.starts_with("http://") {
            return Err(self.error(400, "redirectUri must be a URL"));
        }
        let state = self.random(16);
        self.auth.sso_states.push(state.clone());
        let url = format!(
            "https://oidc.sandbox.dfns.local/authorize?redirect_uri={}&state={state}",
            encode(&body.redirect_uri)
        );
        Ok(json!({ "redirectUrl": url }))
    }

    fn sso_login(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Body {
            code: String,
            state: String,
        }
        let body: Body = self.parse_body(request)?;
        let Some(at) = self.auth.sso_states.iter().position(|s| *s == body.state) else {
            return Err(self.error(401, "invalid SSO state"));
        };
        self.auth.sso_states.remove(at);
        // The sandbox's identity provider takes a username as authorization code.
        self.login_token_for(&body.code)
    }

    fn delegated_registration(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Body {
            email: String,
            kind: String,
            // Stored by the real API; the sandbox does not show users.
            #[serde(default)]
            #[allow(dead_code)]
            external_id: Option<String>,
        }
        let body: Body = self.parse_body(request)?;
        if body.kind != "EndUser" || !body.email.contains('@') {
            return Err(self.error(400, "invalid request body: email or kind"));
        }
        self.start_registration(body.email)
    }

    fn social_registration(&mut self, request: &HttpRequest) -> Answer {
        let email = self.id_token_email(request)?;
        self.start_registration(email)
    }

    /// A new pending user `username` and their registration challenge.
    fn start_registration(&mut self, username: String) -> Answer {
        if self.user_by_username(&username).is_some()
            || self.auth.pending_users.contains_key(&username)
        {
            return Err(self.error(401, MSG_USER_EXISTS));
        }
        let user = self.dfns_id("us");
        self.auth
            .pending_users
            .insert(username.clone(), user.clone());
        Ok(self.registration_challenge_for(user, username, None))
    }

    /// `POST /auth/registration/init`: a pending user with their emailed code.
    fn registration_challenge(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Body {
            org_id: String,
            username: String,
            registration_code: String,
        }
        let body: Body = self.parse_body(request)?;
        self.check_org(Some(&body.org_id))?;
        if self.user_by_username(&body.username).is_some() {
            return Err(self.error(401, MSG_USER_EXISTS));
        }
        let Some(user) = self.auth.pending_users.get(&body.username).cloned() else {
            return Err(self.error(401, MSG_USER_NOT_FOUND));
        };
        if self.auth.mailbox.get(&body.username) != Some(&body.registration_code) {
            return Err(self.error(400, "Registration code expired"));
        }
        self.auth.mailbox.remove(&body.username);
        Ok(self.registration_challenge_for(user, body.username, None))
    }

    fn registration_challenge_for(
        &mut self,
        user: String,
        username: String,
        recovery_credential: Option<&Credential>,
    ) -> Value {
        let challenge = self.random(32);
        let token = format!("eyJ0eXAiOiJKV1QifQ.{}.{}", self.random(40), self.random(32));
        let mut answer = json!({
            "challenge": challenge,
            "temporaryAuthenticationToken": token,
            "supportedCredentialKinds": {
                "firstFactor": ["Fido2", "Key", "PasswordProtectedKey"],
                "secondFactor": ["Fido2", "Key", "Totp"]
            },
            "user": { "id": user, "name": username, "displayName": username },
            "rp": { "id": "sandbox.dfns.local", "name": "Dfns sandbox" },
            "attestation": "direct",
            "pubKeyCredParams": pub_key_cred_params(),
            "excludeCredentials": [],
            "authenticatorSelection": {
                "requireResidentKey": false,
                "residentKey": "discouraged",
                "userVerification": "required"
            },
            "otpUrl": format!("otpauth://totp/Dfns%20sandbox:{}?secret={}", encode(&username), self.random(20)),
        });
        if let Some(credential) = recovery_credential {
            answer["allowedRecoveryCredentials"] = json!([{
                "id": credential.id,
                "encryptedRecoveryKey": credential.encrypted_private_key.clone().unwrap_or_default(),
            }]);
        }
        self.auth.registrations.insert(
            token,
            PendingRegistration {
                user_id: user,
                username,
                challenge,
                created: self.now(),
                used: false,
                recovery_credential: recovery_credential.map(|c| c.id.clone()),
            },
        );
        answer
    }

    /// The registration (or recovery) session the bearer's temporary token names; used up.
    fn take_registration(
        &mut self,
        request: &HttpRequest,
        recovery: bool,
    ) -> Result<(String, String, String, Option<String>), HttpResponse> {
        let token = bearer(request).unwrap_or_default().to_owned();
        let now = self.now();
        let pending = self.auth.registrations.get_mut(&token).filter(|p| {
            !p.used
                && p.recovery_credential.is_some() == recovery
                && now.duration_since(p.created).unwrap_or_default() < CHALLENGE_LIFETIME
        });
        let Some(pending) = pending else {
            return Err(self.error(401, MSG_UNAUTHENTICATED));
        };
        pending.used = true;
        Ok((
            pending.user_id.clone(),
            pending.username.clone(),
            pending.challenge.clone(),
            pending.recovery_credential.clone(),
        ))
    }

    /// Verifies every new credential against `challenge`; the recovery one must be a
    /// `RecoveryKey`.
    fn verify_new_credentials(
        &mut self,
        credentials: NewCredentialsWire,
        challenge: &str,
    ) -> Result<Vec<Credential>, HttpResponse> {
        if credentials
            .recovery_credential
            .as_ref()
            .is_some_and(|c| c.credential_kind != "RecoveryKey")
        {
            return Err(self.error(400, "recoveryCredential must be a RecoveryKey"));
        }
        let all = [
            Some(credentials.first_factor_credential),
            credentials.second_factor_credential,
            credentials.recovery_credential,
        ];
        let mut verified = Vec::new();
        for wire in all.into_iter().flatten() {
            let credential = self.verify_new_credential(wire, challenge)?;
            if verified.iter().any(|c: &Credential| c.id == credential.id) {
                return Err(self.error(409, "a credential with this credId already exists"));
            }
            verified.push(credential);
        }
        Ok(verified)
    }

    /// `POST /auth/registration` and `/auth/registration/enduser`.
    fn register(&mut self, request: &HttpRequest, end_user: bool) -> Answer {
        let (user, username, challenge, _) = self.take_registration(request, false)?;
        let (credentials, wallets) = if end_user {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase", deny_unknown_fields)]
            struct EndUser {
                first_factor_credential: NewCredentialWire,
                #[serde(default)]
                second_factor_credential: Option<NewCredentialWire>,
                #[serde(default)]
                recovery_credential: Option<NewCredentialWire>,
                wallets: Vec<WalletWire>,
            }
            let body: EndUser = self.parse_body(request)?;
            let credentials = NewCredentialsWire {
                first_factor_credential: body.first_factor_credential,
                second_factor_credential: body.second_factor_credential,
                recovery_credential: body.recovery_credential,
            };
            (credentials, Some(body.wallets))
        } else {
            (self.parse_body(request)?, None)
        };
        if self.user_by_username(&username).is_some() {
            return Err(self.error(401, MSG_USER_EXISTS));
        }
        let credentials = self.verify_new_credentials(credentials, &challenge)?;
        let first = registered_credential(&credentials[0]);
        self.auth.pending_users.remove(&username);
        self.auth.usernames.insert(username.clone(), user.clone());
        self.users.insert(
            user.clone(),
            User {
                id: user.clone(),
                credentials,
            },
        );
        let mut answer = json!({
            "credential": first,
            "user": { "id": user, "orgId": self.org_id, "username": username },
        });
        if let Some(wallets) = wallets {
            let wallets: Vec<Value> = wallets
                .into_iter()
                .map(|wallet| self.end_user_wallet(&user, wallet))
                .collect();
            answer["wallets"] = Value::Array(wallets);
            answer["authentication"] = json!({ "token": self.new_login_token(&user) });
        }
        Ok(answer)
    }

    /// A delegated wallet as Dfns describes a new one (no address yet).
    fn end_user_wallet(&mut self, user: &str, wallet: WalletWire) -> Value {
        let mut answer = json!({
            "id": self.dfns_id("wa"),
            "network": wallet.network,
            "status": "Active",
            "custodial": false,
            "dateCreated": self.now_text(),
            "tags": [],
            "signingKey": {
                "id": self.dfns_id("key"),
                "scheme": "ECDSA",
                "curve": "secp256k1",
                "publicKey": "",
                "delegatedTo": user,
            },
        });
        if let Some(name) = wallet.name {
            answer["name"] = Value::String(name);
        }
        answer
    }

    /// `POST /auth/recover/user/init`: the emailed code and a recovery credential.
    fn recovery_challenge(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Body {
            org_id: String,
            username: String,
            credential_id: String,
            verification_code: String,
        }
        let body: Body = self.parse_body(request)?;
        self.check_org(Some(&body.org_id))?;
        if self.user_by_username(&body.username).is_none() {
            return Err(self.error(401, MSG_USER_NOT_FOUND));
        }
        self.redeem_mailbox_code(&body.username, &body.verification_code)?;
        self.start_recovery(&body.username, &body.credential_id)
    }

    fn start_recovery(&mut self, username: &str, credential_id: &str) -> Answer {
        let Some(user) = self.user_by_username(username) else {
            return Err(self.error(401, MSG_USER_NOT_FOUND));
        };
        let recovery_key = self.users.get(&user).and_then(|u| {
            u.credentials
                .iter()
                .find(|c| c.id == credential_id && c.active && c.kind == "RecoveryKey")
        });
        let Some(recovery_key) = recovery_key else {
            return Err(self.error(401, MSG_NOT_RECOVERY));
        };
        let recovery_key = Credential {
            encrypted_private_key: recovery_key.encrypted_private_key.clone(),
            ..Credential::key(
                recovery_key.id.clone(),
                recovery_key.public_key.clone(),
                String::new(),
                self.now(),
            )
        };
        Ok(self.registration_challenge_for(user, username.to_owned(), Some(&recovery_key)))
    }

    /// `POST /auth/recover/user`: the recovery key signed the new credentials (its client data
    /// challenge is the base64url of their JSON), which answer the challenge; they replace the
    /// user's credentials, and the user's sessions and tokens end.
    fn recover(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Body {
            new_credentials: Value,
            recovery: Factor,
        }
        let (user, username, challenge, recovery_id) = self.take_registration(request, true)?;
        let body: Body = self.parse_body(request)?;
        let assertion = &body.recovery.credential_assertion;
        let signed_credentials = URL_SAFE_NO_PAD
            .decode(&assertion.client_data)
            .ok()
            .and_then(|data| serde_json::from_slice::<Value>(&data).ok())
            .and_then(|data| data["challenge"].as_str().map(str::to_owned));
        let recovery_key = self.users.get(&user).and_then(|u| {
            u.credentials
                .iter()
                .find(|c| Some(&c.id) == recovery_id.as_ref() && c.active)
        });
        let verified = match (recovery_key, signed_credentials) {
            (Some(key), Some(signed)) => {
                let covers = URL_SAFE_NO_PAD
                    .decode(&signed)
                    .ok()
                    .and_then(|json| serde_json::from_slice::<Value>(&json).ok())
                    .is_some_and(|json| json == body.new_credentials);
                body.recovery.kind == "RecoveryKey"
                    && Some(&assertion.cred_id) == recovery_id.as_ref()
                    && covers
                    && assertion_verifies(
                        key,
                        &assertion.client_data,
                        &assertion.signature,
                        &signed,
                    )
            }
            _ => false,
        };
        if !verified {
            return Err(self.error(401, MSG_SIGNATURE_INVALID));
        }
        let Ok(credentials) = serde_json::from_value::<NewCredentialsWire>(body.new_credentials)
        else {
            return Err(self.error(400, "invalid request body: newCredentials"));
        };
        // The old credentials go first, so that the new ones may reuse nothing of theirs.
        let old = self
            .users
            .get_mut(&user)
            .map(|u| std::mem::take(&mut u.credentials))
            .unwrap_or_default();
        let credentials = match self.verify_new_credentials(credentials, &challenge) {
            Ok(credentials) => credentials,
            Err(refused) => {
                if let Some(u) = self.users.get_mut(&user) {
                    u.credentials = old;
                }
                return Err(refused);
            }
        };
        let first = registered_credential(&credentials[0]);
        if let Some(u) = self.users.get_mut(&user) {
            u.credentials = credentials;
        }
        self.end_sessions(&user);
        for pat in self.pats.values_mut().filter(|p| p.user_id == user) {
            pat.active = false;
        }
        Ok(json!({
            "credential": first,
            "user": { "id": user, "orgId": self.org_id, "username": username },
        }))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewCredentialsWire {
    first_factor_credential: NewCredentialWire,
    #[serde(default)]
    second_factor_credential: Option<NewCredentialWire>,
    #[serde(default)]
    recovery_credential: Option<NewCredentialWire>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WalletWire {
    network: String,
    #[serde(default)]
    name: Option<String>,
}

fn registered_credential(credential: &Credential) -> Value {
    json!({ "kind": credential.kind, "name": credential.name, "uuid": credential.uuid })
}

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

impl Sandbox {
    /// The sandbox organisation's id (`or-...`), for login, registration and recovery bodies.
    pub fn org_id(&self) -> String {
        lock(&self.shared.state).org_id.clone()
    }

    /// The last one-time code the sandbox "emailed" to `username` (login, registration and
    /// recovery codes) and that is not used yet.
    pub fn sent_code(&self, username: &str) -> Option<String> {
        lock(&self.shared.state).auth.mailbox.get(username).cloned()
    }
}
