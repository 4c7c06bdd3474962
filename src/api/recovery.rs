//! Account recovery (`/auth/recover/user`): a user who lost their credentials registers new ones,
//! signed off by a `RecoveryKey` credential; all their previous credentials and tokens stop
//! working. The challenge comes from an emailed verification code, or from a service account
//! for its end users (delegated recovery).
//!
//! ```no_run
//! # let service_account = dfns_blocking::Client::builder().build()?;
//! # let (pem, recovery_pem) = ("", "");
//! use dfns_blocking::KeySigner;
//! use dfns_blocking::api::credentials::NewCredential;
//! use dfns_blocking::api::recovery::Recover;
//! use dfns_blocking::api::registration::NewCredentials;
//!
//! let challenge = service_account.recovery().delegated("jane@example.com", "recovery-cred-id")?;
//! let new_key = KeySigner::from_pem("jane-key-2", pem)?;
//! let recovery_key = KeySigner::from_pem("recovery-cred-id", recovery_pem)?;
//! let credentials = NewCredentials::new(NewCredential::key(new_key.attest(&challenge.challenge)?));
//! let body = Recover::signed_with(credentials, &recovery_key)?;
//! service_account.recovery().recover(&challenge, &body)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

use super::AccessToken;
use super::Acknowledgement;
use super::login::OrgUser;
pub use super::registration::RegistrationChallenge as RecoveryChallenge;
use super::registration::{NewCredentials, Registration};
use crate::error::{Error, Result};
use crate::signing::{CredentialAssertion, CredentialKind, KeySigner, key_client_data};

/// The body of [`create_challenge`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateRecoveryChallenge {
    /// The organisation.
    pub org_id: String,
    /// The username.
    pub username: String,
    /// The recovery credential that will sign the recovery.
    pub credential_id: String,
    /// The code from [`send_code`]'s email.
    pub verification_code: AccessToken,
}

impl CreateRecoveryChallenge {
    /// The recovery of `username` in `org_id` with the recovery credential `credential_id`.
    pub fn new(
        org_id: impl Into<String>,
        username: impl Into<String>,
        credential_id: impl Into<String>,
        verification_code: impl Into<String>,
    ) -> Self {
        Self {
            org_id: org_id.into(),
            username: username.into(),
            credential_id: credential_id.into(),
            verification_code: AccessToken::new(verification_code),
        }
    }
}

/// The body of [`recover`]: the new credentials, and the recovery credential's signature of
/// them.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Recover {
    /// The credentials that replace the old ones.
    pub new_credentials: NewCredentials,
    /// The `RecoveryKey` assertion whose client data challenge is the base64url of the JSON of
    /// `new_credentials`.
    pub recovery: CredentialAssertion,
}

impl Recover {
    /// Signs `new_credentials` with the recovery key: its `key.get` client data carries the
    /// base64url of their JSON (the exact bytes then sent) as challenge.
    pub fn signed_with(new_credentials: NewCredentials, recovery_key: &KeySigner) -> Result<Self> {
        let json = serde_json::to_string(&new_credentials).map_err(|e| {
            Error::invalid_input(format!("the credentials cannot be serialized: {e}"))
        })?;
        let client_data = key_client_data(&URL_SAFE_NO_PAD.encode(json));
        let signature = recovery_key.sign(client_data.as_bytes())?;
        let mut recovery = CredentialAssertion::key(
            recovery_key.credential_id(),
            client_data.as_bytes(),
            &signature,
        );
        recovery.kind = CredentialKind::RecoveryKey;
        Ok(Self {
            new_credentials,
            recovery,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DelegatedBody<'a> {
    username: &'a str,
    credential_id: &'a str,
}

endpoints! {
    /// The account recovery endpoints.
    handle Recovery = Client::recovery, domain "auth",
        reference "https://docs.dfns.co/api-reference/auth";

    /// No authentication: emails the user a verification code.
    POST "/auth/recover/user/code" => send_code(; body: &OrgUser) -> Acknowledgement,
        body body;
    /// No authentication: a recovery challenge.
    POST "/auth/recover/user/init"
        => create_challenge(; body: &CreateRecoveryChallenge) -> RecoveryChallenge,
        body body;
    /// A recovery challenge for an end user, without an email (a service account's right).
    POST "/auth/recover/user/delegated" [signed]
        => delegated(; username: &str, credential_id: &str) -> RecoveryChallenge,
        with |request| request.json(&DelegatedBody { username, credential_id });
    /// Replaces the user's credentials, sent with the challenge's temporary token as bearer
    /// token.
    POST "/auth/recover/user"
        => recover(; challenge: &RecoveryChallenge, body: &Recover) -> Registration,
        with |request| request
            .json(body)?
            .bearer_token(challenge.temporary_authentication_token.expose());
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateRecoveryChallenge {
    fn samples() -> Vec<Self> {
        vec![Self {
            org_id: "or-1".to_owned(),
            username: "user".to_owned(),
            credential_id: "cred".to_owned(),
            verification_code: AccessToken::new("code"),
        }]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for Recover {
    fn samples() -> Vec<Self> {
        NewCredentials::samples()
            .into_iter()
            .map(|new_credentials| Self {
                new_credentials,
                recovery: CredentialAssertion {
                    algorithm: Some("ES256".to_owned()),
                    ..CredentialAssertion::new(
                        CredentialKind::RecoveryKey,
                        "cred",
                        "data".to_owned(),
                        "signature".to_owned(),
                    )
                },
            })
            .collect()
    }
}
