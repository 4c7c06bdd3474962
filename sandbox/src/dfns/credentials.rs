//! Credentials in the sandbox: creation through a challenge answered by a real, verified `Key`
//! attestation (also with a one-time code instead of a user action), listing, activation and
//! deactivation. A deactivated credential no longer signs user actions or logins.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::{Value, json};

use super::store::{Op, Resource};
use super::{Answer, CHALLENGE_LIFETIME, Credential, HttpRequest, HttpResponse, State};
use crate::wire::PublicKey;
use crate::wire::{format_iso8601, parse_iso8601};

const MSG_ATTESTATION_INVALID: &str = "credential attestation is invalid";
const MSG_CODE_INVALID: &str = "Invalid code";
/// The kinds whose `credentialInfo` is a key attestation the sandbox verifies.
const VERIFIED_KINDS: [&str; 3] = ["Key", "PasswordProtectedKey", "RecoveryKey"];

/// A creation challenge waiting for its credential.
pub(super) struct PendingCredential {
    user_id: String,
    challenge: String,
    kind: String,
    /// Made from a one-time code: only `/auth/credentials/code/verify` completes it.
    via_code: bool,
    created: SystemTime,
    used: bool,
}

/// A one-time code from `POST /auth/credentials/code`.
pub(super) struct CodeGrant {
    user_id: String,
    expires: SystemTime,
    used: bool,
}

/// A credential as sent in registration, recovery and creation bodies.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct NewCredentialWire {
    pub(super) credential_kind: String,
    credential_info: Value,
    #[serde(default)]
    credential_name: Option<String>,
    #[serde(default)]
    encrypted_private_key: Option<String>,
}

/// The body of `POST /auth/credentials` and `/auth/credentials/code/verify`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CreateWire {
    challenge_identifier: String,
    credential_kind: String,
    credential_info: Value,
    credential_name: String,
    #[serde(default)]
    encrypted_private_key: Option<String>,
}

impl Credential {
    /// A `Key` credential, active, as the sandbox seeds them.
    pub(crate) fn key(
        id: String,
        public_key: PublicKey,
        uuid: String,
        created: SystemTime,
    ) -> Self {
        Self {
            id,
            public_key_pem: public_key.to_pem(),
            public_key,
            uuid,
            kind: "Key".into(),
            name: "Default credential".into(),
            active: true,
            date_created: format_iso8601(created),
            encrypted_private_key: None,
        }
    }

    /// Whether it signs user actions and logins: active, and not a recovery key.
    pub(super) fn signs(&self) -> bool {
        self.active && self.kind != "RecoveryKey"
    }

    fn render(&self) -> Value {
        json!({
            "credentialId": self.id,
            "credentialUuid": self.uuid,
            "dateCreated": self.date_created,
            "isActive": self.active,
            "kind": self.kind,
            "name": self.name,
            "origin": "https://sandbox.dfns.local",
            "publicKey": self.public_key_pem,
            "relyingPartyId": "sandbox.dfns.local",
        })
    }
}

/// `/auth/credentials`: the caller's credentials, and the challenges and one-time codes that
/// make new ones (the code flow takes no session).
pub(super) const CREDENTIALS: Resource = Resource {
    path: "/auth/credentials",
    ops: &[
        Op::handler("GET", "", |state, call| {
            let user = state.user_of(call.session);
            let items: Vec<Value> = (state.users.get(&user))
                .map(|u| u.credentials.iter().map(Credential::render).collect())
                .unwrap_or_default();
            Ok(json!({ "items": items }))
        }),
        Op::handler("POST", "init", |state, call| {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Init {
                kind: String,
            }
            let user = state.user_of(call.session);
            let init: Init = state.parse_body(call.request)?;
            state.credential_challenge(&user, &init.kind, false)
        }),
        Op::handler("POST", "", |state, call| {
            let user = state.user_of(call.session);
            state.complete_credential(&user, call.request, false)
        })
        .signed(),
        Op::handler("PUT", "activate", |state, call| {
            let user = state.user_of(call.session);
            state.set_credential_active(&user, call.request, true)
        })
        .signed(),
        Op::handler("PUT", "deactivate", |state, call| {
            let user = state.user_of(call.session);
            state.set_credential_active(&user, call.request, false)
        })
        .signed(),
        Op::handler("POST", "code", |state, call| {
            let user = state.user_of(call.session);
            state.create_credential_code(&user, call.request)
        })
        .signed(),
        Op::handler("POST", "code/init", |state, call| {
            state.credential_challenge_with_code(call.request)
        })
        .public(),
        Op::handler("POST", "code/verify", |state, call| {
            state.complete_credential("", call.request, true)
        })
        .public(),
        Op::handler("DELETE", "{credentialUuid}", |state, call| {
            let user = state.user_of(call.session);
            state.delete_credential(&user, call.param("credentialUuid"))
        })
        .signed(),
    ],
    ..Resource::DEFAULT
};

impl State {
    /// `POST /auth/credentials/code/init`: redeems a one-time code for a creation challenge.
    fn credential_challenge_with_code(&mut self, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Init {
            code: String,
            credential_kind: String,
        }
        let init: Init = self.parse_body(request)?;
        let now = self.now();
        let grant = self
            .auth
            .credential_codes
            .get_mut(&init.code)
            .filter(|g| !g.used && now < g.expires);
        let Some(grant) = grant else {
            return Err(self.error(403, MSG_CODE_INVALID));
        };
        grant.used = true;
        let user = grant.user_id.clone();
        self.credential_challenge(&user, &init.credential_kind, true)
    }

    fn credential_challenge(&mut self, user: &str, kind: &str, via_code: bool) -> Answer {
        if !matches!(
            kind,
            "Fido2" | "Key" | "RecoveryKey" | "PasswordProtectedKey"
        ) {
            return Err(self.error(400, "invalid credential kind"));
        }
        let challenge = self.random(32);
        let identifier = format!("eyJ0eXAiOiJKV1QifQ.{}.{}", self.random(48), self.random(32));
        self.auth.credential_challenges.insert(
            identifier.clone(),
            PendingCredential {
                user_id: user.to_owned(),
                challenge: challenge.clone(),
                kind: kind.to_owned(),
                via_code,
                created: self.now(),
                used: false,
            },
        );
        let username = self.username_of(user);
        Ok(json!({
            "kind": kind,
            "challenge": challenge,
            "challengeIdentifier": identifier,
            "temporaryAuthenticationToken": identifier,
            "attestation": "direct",
            "pubKeyCredParams": pub_key_cred_params(),
            "rp": { "id": "sandbox.dfns.local", "name": "Dfns sandbox" },
            "user": { "id": user, "name": username, "displayName": username },
        }))
    }

    /// Checks the challenge (single-use, fresh, of the right flow and user), then the attestation,
    /// and adds the credential. `user` is empty for the code flow (the challenge names the user).
    fn complete_credential(&mut self, user: &str, request: &HttpRequest, via_code: bool) -> Answer {
        let create: CreateWire = self.parse_body(request)?;
        let now = self.now();
        let pending = self
            .auth
            .credential_challenges
            .get_mut(&create.challenge_identifier)
            .filter(|p| {
                !p.used
                    && p.via_code == via_code
                    && (via_code || p.user_id == user)
                    && now.duration_since(p.created).unwrap_or_default() < CHALLENGE_LIFETIME
            });
        let Some(pending) = pending else {
            return Err(self.error(400, super::MSG_CHALLENGE_INVALID));
        };
        // Single-use, whether or not the credential that comes with it is good.
        pending.used = true;
        let (owner, challenge, kind) = (
            pending.user_id.clone(),
            pending.challenge.clone(),
            pending.kind.clone(),
        );
        if create.credential_kind != kind {
            return Err(self.error(400, "credentialKind does not match the challenge"));
        }
        let wire = NewCredentialWire {
            credential_kind: create.credential_kind,
            credential_info: create.credential_info,
            credential_name: Some(create.credential_name),
            encrypted_private_key: create.encrypted_private_key,
        };
        let credential = self.verify_new_credential(wire, &challenge)?;
        let answer = credential.render();
        match self.users.get_mut(&owner) {
            Some(user) => user.credentials.push(credential),
            None => return Err(self.error(401, "User not found")),
        }
        Ok(answer)
    }

    /// Verifies a new credential's attestation against `challenge`: the client data is
    /// `key.create` of that challenge, and the signature of the credential info fingerprint
    /// verifies with the public key it carries. Returns the credential, active.
    pub(super) fn verify_new_credential(
        &mut self,
        wire: NewCredentialWire,
        challenge: &str,
    ) -> Result<Credential, HttpResponse> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Info {
            cred_id: String,
            client_data: String,
            attestation_data: String,
        }
        if !VERIFIED_KINDS.contains(&wire.credential_kind.as_str()) {
            return Err(self.error(
                400,
                "the sandbox verifies Key, PasswordProtectedKey and RecoveryKey credentials only",
            ));
        }
        let Ok(info) = serde_json::from_value::<Info>(wire.credential_info) else {
            return Err(self.error(400, "invalid request body: credentialInfo"));
        };
        let Some(public_key) =
            attestation_verifies(&info.client_data, &info.attestation_data, challenge)
        else {
            return Err(self.error(400, MSG_ATTESTATION_INVALID));
        };
        if info.cred_id.is_empty() || self.credential_id_taken(&info.cred_id) {
            return Err(self.error(409, "a credential with this credId already exists"));
        }
        let uuid = self.dfns_id("cr");
        let mut credential = Credential::key(info.cred_id, public_key, uuid, self.now());
        credential.kind = wire.credential_kind;
        credential.name = wire.credential_name.unwrap_or_default();
        credential.encrypted_private_key = wire.encrypted_private_key;
        Ok(credential)
    }

    fn credential_id_taken(&self, cred_id: &str) -> bool {
        let users = self.users.values().flat_map(|u| u.credentials.iter());
        let pats = self.pats.values().map(|p| &p.credential);
        users.chain(pats).any(|c| c.id == cred_id)
    }

    fn set_credential_active(&mut self, user: &str, request: &HttpRequest, active: bool) -> Answer {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Body {
            credential_uuid: String,
        }
        let body: Body = self.parse_body(request)?;
        let credential = self.users.get_mut(user).and_then(|u| {
            u.credentials
                .iter_mut()
                .find(|c| c.uuid == body.credential_uuid)
        });
        let Some(credential) = credential else {
            let details = json!({ "credentialUuid": body.credential_uuid });
            return Err(self.error_with(404, "credential not found", details));
        };
        // Already in that state: nothing changes, as documented.
        credential.active = active;
        let message = if active {
            "Credential activated"
        } else {
            "Credential deactivated"
        };
        Ok(json!({ "message": message }))
    }

    /// `DELETE /auth/credentials/{credentialUuid}`: removes one of the caller's credentials
    /// (404 for another user's or an unknown one); answers `{}` (Dfns's clients describe no
    /// answer).
    fn delete_credential(&mut self, user: &str, uuid: &str) -> Answer {
        let credentials = self.users.get_mut(user).map(|u| &mut u.credentials);
        let removed = credentials.is_some_and(|credentials| {
            let before = credentials.len();
            credentials.retain(|c| c.uuid != uuid);
            credentials.len() < before
        });
        if !removed {
            let details = json!({ "credentialUuid": uuid });
            return Err(self.error_with(404, "credential not found", details));
        }
        Ok(json!({}))
    }

    fn create_credential_code(&mut self, user: &str, request: &HttpRequest) -> Answer {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Body {
            expiration: Value,
        }
        let body: Body = self.parse_body(request)?;
        let expires = match &body.expiration {
            Value::String(date) => parse_iso8601(date),
            Value::Number(seconds) => seconds
                .as_u64()
                .filter(|s| *s > 0)
                .and_then(|s| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(s))),
            _ => None,
        };
        let Some(expires) = expires.filter(|at| *at > self.now()) else {
            return Err(self.error(400, "expiration must be a date in the future"));
        };
        let code = self.one_time_code();
        self.auth.credential_codes.insert(
            code.clone(),
            CodeGrant {
                user_id: user.to_owned(),
                expires,
                used: false,
            },
        );
        Ok(json!({ "code": code, "expiration": format_iso8601(expires) }))
    }

    /// A one-time code in the shape Dfns emails them: `XXXX-XXXX`.
    pub(super) fn one_time_code(&mut self) -> String {
        let id = self.dfns_id("c");
        let chars: String = id.chars().filter(|c| *c != '-').skip(1).take(8).collect();
        format!("{}-{}", &chars[..4], &chars[4..]).to_ascii_uppercase()
    }
}

/// The COSE algorithms of Dfns's creation challenges: ES256, EdDSA, RS256.
pub(super) fn pub_key_cred_params() -> Value {
    json!([
        { "type": "public-key", "alg": -7 },
        { "type": "public-key", "alg": -8 },
        { "type": "public-key", "alg": -257 }
    ])
}

/// The new key's public key when the attestation holds: client data
/// `{"type":"key.create","challenge":<challenge>}` (other members allowed), and attestation
/// data `{"publicKey":<PEM>,"signature":<hex>}` whose signature verifies over
/// `{"clientDataHash":"<hex SHA-256 of the client data>","publicKey":<PEM>}`.
fn attestation_verifies(
    client_data: &str,
    attestation_data: &str,
    challenge: &str,
) -> Option<PublicKey> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Attestation {
        public_key: String,
        signature: String,
        // Accepted and ignored, as the API infers the algorithm from the key.
        #[serde(default)]
        #[allow(dead_code)]
        algorithm: Option<String>,
    }
    let data = URL_SAFE_NO_PAD.decode(client_data).ok()?;
    let parsed: Value = serde_json::from_slice(&data).ok()?;
    if parsed["type"] != "key.create" || parsed["challenge"] != challenge {
        return None;
    }
    let attestation: Attestation =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(attestation_data).ok()?).ok()?;
    let public_key = PublicKey::from_pem(&attestation.public_key)?;
    let signature = unhex(&attestation.signature)?;
    let hash = ring::digest::digest(&ring::digest::SHA256, &data);
    let hash_hex: String = hash.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    let fingerprint = format!(
        r#"{{"clientDataHash":"{hash_hex}","publicKey":{}}}"#,
        Value::from(attestation.public_key.as_str())
    );
    public_key
        .verify(fingerprint.as_bytes(), &signature)
        .then_some(public_key)
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
