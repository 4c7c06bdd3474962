//! Credentials (`/auth/credentials`): the keys and passkeys a user signs with. A new credential
//! proves it holds its key by signing a challenge ([`KeySigner::attest`](crate::KeySigner::attest)
//! does it for `Key` credentials), then the user approves it with a user action signed by an
//! existing credential. Without an existing credential, a one-time code does the approving.
//!
//! ```no_run
//! # let client = dfns_blocking::Client::builder().build()?;
//! # let pem = "";
//! use dfns_blocking::KeySigner;
//!
//! let new_key = KeySigner::from_pem("laptop-2026", pem)?;
//! let credential = client.credentials().create_key("laptop", &new_key)?;
//! // From now on the new key signs user actions too.
//! let client = client.with_signer(new_key);
//! client.credentials().deactivate(&credential.credential_uuid)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use super::{AccessToken, Acknowledgement, Items};
use crate::error::Result;
pub use crate::signing::CredentialKind;
use crate::signing::{AllowedCredential, KeyAttestation, KeySigner, RelyingParty};
use crate::time::Timestamp;

model! {
    /// A credential as Dfns lists it.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Credential {
        /// The credential id (`credId`) assertions name.
        pub credential_id: String,
        /// The id used to activate or deactivate it (`credentialUuid`, `cr-...`).
        pub credential_uuid: String,
        /// When it was created.
        pub date_created: Timestamp,
        /// Whether it can sign.
        pub is_active: bool,
        /// Its kind; unknown kinds are kept.
        pub kind: Option<CredentialKind>,
        /// Its name.
        pub name: String,
        /// The origin it was created from.
        pub origin: String,
        /// Its public key (PEM for `Key` credentials).
        pub public_key: String,
        /// The WebAuthn relying party it belongs to.
        pub relying_party_id: String,
    }
}

model! {
    /// One entry of `pubKeyCredParams`: a COSE algorithm the new credential may use.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct PubKeyCredParam {
        /// The COSE algorithm number (-7 ES256, -8 EdDSA, -257 RS256).
        #[strict]
        pub alg: i64,
        /// Always `public-key`.
        #[serde(default, rename = "type")]
        pub kind: String,
    }
}

model! {
    /// The user a creation challenge is for.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ChallengeUser {
        /// The user id (WebAuthn user handle).
        pub id: String,
        /// The username.
        pub name: String,
        /// The display name.
        pub display_name: String,
    }
}

model! {
    /// WebAuthn authenticator requirements of a creation challenge.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AuthenticatorSelection {
        /// `platform` or `cross-platform`, when required.
        pub authenticator_attachment: Option<String>,
        /// Whether a discoverable credential is required.
        pub require_resident_key: bool,
        /// `required`, `preferred` or `discouraged`.
        pub resident_key: String,
        /// `required`, `preferred` or `discouraged`.
        pub user_verification: String,
    }
}

model! {
    /// What a new credential must sign: the answer to [`create_challenge`] and
    /// [`create_challenge_with_code`]. Its fields depend on the kind asked for.
    #[derive(Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CredentialChallenge {
        /// The kind of credential the challenge is for.
        #[strict]
        pub kind: CredentialKind,
        /// The challenge a `Key` or `Fido2` credential signs (absent for `Password` and `Totp`).
        pub challenge: String,
        /// The opaque token sent back with the new credential.
        #[strict]
        pub challenge_identifier: String,
        /// WebAuthn attestation preference.
        pub attestation: Option<String>,
        /// The algorithms the new credential may use.
        pub pub_key_cred_params: Vec<PubKeyCredParam>,
        /// The WebAuthn relying party.
        pub rp: Option<RelyingParty>,
        /// The user the credential is for.
        pub user: Option<ChallengeUser>,
        /// Credentials the authenticator must not create again (`Fido2`).
        pub exclude_credentials: Vec<AllowedCredential>,
        /// WebAuthn authenticator requirements (`Fido2`).
        pub authenticator_selection: Option<AuthenticatorSelection>,
        /// The `otpauth://` URL holding a new `Totp` credential's secret.
        pub otp_url: Option<AccessToken>,
        /// A short-lived token Dfns issues with the challenge (a bearer token; redacted in
        /// `Debug`).
        pub temporary_authentication_token: Option<AccessToken>,
    }
}

impl std::fmt::Debug for CredentialChallenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialChallenge")
            .field("kind", &self.kind)
            .field("challenge", &self.challenge)
            .field("challenge_identifier", &"** redacted **")
            .finish_non_exhaustive()
    }
}

/// The proof a new credential gives (`credentialInfo`), by kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum CredentialInfo {
    /// A `Key`, `PasswordProtectedKey`, `RecoveryKey` or `Fido2` credential's signed attestation.
    Attestation(KeyAttestation),
    /// A `Password` credential.
    Password {
        /// The password.
        password: AccessToken,
    },
    /// A `Totp` credential: a current code from the authenticator app.
    Totp {
        /// The one-time code.
        #[serde(rename = "otpCode")]
        otp_code: AccessToken,
    },
}

request_body! {
    #![samples_by_hand]
    /// A credential to register: `firstFactorCredential`, `secondFactorCredential` and
    /// `recoveryCredential` of registration and recovery, and the heart of [`CreateCredential`].
    ///
    /// ```
    /// # let info = dfns_blocking::signing::KeyAttestation::key("cred-1", b"{}", "PEM", b"sig");
    /// use dfns_blocking::api::credentials::NewCredential;
    ///
    /// let credential = NewCredential::key(info).credential_name("laptop");
    /// let json = serde_json::to_value(&credential).unwrap();
    /// assert_eq!(json["credentialKind"], "Key");
    /// assert_eq!(json["credentialInfo"]["credId"], "cred-1");
    /// ```
    pub struct NewCredential {
        /// Its kind.
        credential_kind: CredentialKind,
        /// Its proof.
        credential_info: CredentialInfo;
        /// Its name (required by [`create`] and [`create_with_code`]).
        credential_name: String,
        /// The private key encrypted by its holder, which Dfns keeps for `PasswordProtectedKey`
        /// and `RecoveryKey`.
        encrypted_private_key: String [secret],
    }
}

impl NewCredential {
    /// A `Key` credential, from [`KeySigner::attest`].
    pub fn key(attestation: KeyAttestation) -> Self {
        Self::new(
            CredentialKind::Key,
            CredentialInfo::Attestation(attestation),
        )
    }
}

request_body! {
    #![samples_by_hand]
    /// The body of [`create`] and [`create_with_code`]: the new credential (named, with
    /// [`NewCredential::credential_name`]) and the challenge it answered. `Debug` hides the
    /// challenge identifier.
    ///
    /// ```
    /// # let info = dfns_blocking::signing::KeyAttestation::key("cred-1", b"{}", "PEM", b"sig");
    /// use dfns_blocking::api::credentials::{CreateCredential, NewCredential};
    ///
    /// let credential = NewCredential::key(info).credential_name("laptop");
    /// let body = CreateCredential::new("challenge-id", credential);
    /// assert!(!format!("{body:?}").contains("challenge-id"));
    /// ```
    pub struct CreateCredential {
        /// From the [`CredentialChallenge`].
        challenge_identifier: String [secret],
        /// The credential.
        #[serde(flatten)]
        credential: NewCredential;
    }
}

#[derive(Serialize)]
struct KindBody<'a> {
    kind: &'a CredentialKind,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UuidBody<'a> {
    credential_uuid: &'a str,
}

/// When a credential code expires: a date or a unix time in seconds.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use dfns_blocking::api::credentials::Expiration;
///
/// let in_an_hour = Expiration::Date((SystemTime::now() + Duration::from_secs(3600)).into());
/// # let _ = in_an_hour;
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Expiration {
    /// A date, sent as its text (e.g. `2026-01-01T00:00:00.000Z`).
    Date(Timestamp),
    /// Seconds since the unix epoch.
    UnixSeconds(u64),
}

model! {
    /// A one-time code that lets a new credential be created where no existing credential is at
    /// hand: the answer to [`create_code`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct CredentialCode {
        /// The code; redacted in `Debug`.
        #[strict]
        pub code: AccessToken,
        /// When it expires.
        pub expiration: Timestamp,
    }
}

#[derive(Serialize)]
struct CodeBody<'a> {
    expiration: &'a Expiration,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeChallengeBody<'a> {
    code: &'a str,
    credential_kind: &'a CredentialKind,
}

endpoints! {
    /// The credential endpoints.
    handle Credentials = Client::credentials, domain "auth",
        reference "https://docs.dfns.co/api-reference/auth";

    /// The caller's credentials (not paginated).
    GET "/auth/credentials" => list() -> Items<Credential>,
        answer |credentials| credentials.items => Vec<Credential>;
    /// A challenge for a new credential of `kind`.
    POST "/auth/credentials/init" => create_challenge(; kind: &CredentialKind) -> CredentialChallenge,
        with |request| request.json(&KindBody { kind });
    /// Adds the credential that answered a challenge.
    POST "/auth/credentials" [signed] => create(; body: &CreateCredential) -> Credential,
        body body;
    /// The credential `credential_uuid` signs again.
    PUT "/auth/credentials/activate" [signed, idempotent]
        => activate(; credential_uuid: &str) -> Acknowledgement,
        with |request| request.json(&UuidBody { credential_uuid });
    /// The credential `credential_uuid` stops signing at once.
    PUT "/auth/credentials/deactivate" [signed, idempotent]
        => deactivate(; credential_uuid: &str) -> Acknowledgement,
        with |request| request.json(&UuidBody { credential_uuid });
    /// A one-time code for [`create_challenge_with_code`].
    POST "/auth/credentials/code" [signed] => create_code(; expiration: &Expiration) -> CredentialCode,
        with |request| request.json(&CodeBody { expiration });
    /// No authentication: a challenge for a new credential of `kind`, authorized by a one-time
    /// code.
    POST "/auth/credentials/code/init"
        => create_challenge_with_code(; code: &AccessToken, kind: &CredentialKind) -> CredentialChallenge,
        with |request| request.json(&CodeChallengeBody { code: code.expose(), credential_kind: kind });
    /// No authentication, no signature: adds the credential that answered a challenge from
    /// [`create_challenge_with_code`].
    POST "/auth/credentials/code/verify" => create_with_code(; body: &CreateCredential) -> Credential,
        body body;
    /// Removes a credential for good (whatever the answer's body holds is ignored).
    DELETE "/auth/credentials/{credentialUuid}" [signed] => delete(credential_uuid) -> serde_json::Value,
        answer |_ignored| () => ();
}

impl Credentials<'_> {
    /// The whole creation of a `Key` credential: asks for a challenge, has `new_key` attest it
    /// and adds the credential (approved by the client's own signer).
    pub fn create_key(&self, name: &str, new_key: &KeySigner) -> Result<Credential> {
        let challenge = self.create_challenge(&CredentialKind::Key)?;
        let attestation = new_key.attest(&challenge.challenge)?;
        self.create(&CreateCredential::new(
            &challenge.challenge_identifier,
            NewCredential::key(attestation).credential_name(name),
        ))
    }

    /// The whole code-based creation of a `Key` credential: redeems `code` for a challenge,
    /// has `new_key` attest it and adds the credential. Needs no session and no signer.
    pub fn create_key_with_code(
        &self,
        code: &AccessToken,
        name: &str,
        new_key: &KeySigner,
    ) -> Result<Credential> {
        let challenge = self.create_challenge_with_code(code, &CredentialKind::Key)?;
        let attestation = new_key.attest(&challenge.challenge)?;
        self.create_with_code(&CreateCredential::new(
            &challenge.challenge_identifier,
            NewCredential::key(attestation).credential_name(name),
        ))
    }
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each kind
// of credential in turn (Fido2, Key, Password, Totp, PasswordProtectedKey, RecoveryKey).
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for NewCredential {
    fn samples() -> Vec<Self> {
        sample_credentials().into()
    }
}

/// The samples of [`NewCredential`], one per kind.
#[cfg(feature = "fidelity-checks")]
pub(crate) fn sample_credentials() -> [NewCredential; 6] {
    let attestation = KeyAttestation {
        cred_id: "cred".to_owned(),
        client_data: "data".to_owned(),
        attestation_data: "attestation".to_owned(),
    };
    let signed = |kind| {
        NewCredential::new(kind, CredentialInfo::Attestation(attestation.clone()))
            .credential_name("name")
    };
    [
        signed(CredentialKind::Fido2),
        signed(CredentialKind::Key),
        NewCredential::new(
            CredentialKind::Password,
            CredentialInfo::Password {
                password: AccessToken::new("password"),
            },
        )
        .credential_name("name"),
        NewCredential::new(
            CredentialKind::Totp,
            CredentialInfo::Totp {
                otp_code: AccessToken::new("123456"),
            },
        )
        .credential_name("name"),
        signed(CredentialKind::PasswordProtectedKey).encrypted_private_key("encrypted"),
        signed(CredentialKind::RecoveryKey).encrypted_private_key("encrypted"),
    ]
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateCredential {
    fn samples() -> Vec<Self> {
        NewCredential::samples()
            .into_iter()
            .map(|credential| Self::new("challenge", credential))
            .collect()
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for Expiration {
    fn samples() -> Vec<Self> {
        vec![
            Self::Date(Timestamp::from(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600),
            )),
            Self::UnixSeconds(1_767_225_600),
        ]
    }
}
