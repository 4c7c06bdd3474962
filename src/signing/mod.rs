//! User action signing: the challenge Dfns sends, the assertion that answers it, and the
//! [`CredentialSigner`] trait that produces one.
//!
//! The client runs the whole exchange for you on every endpoint that needs it. These types are
//! public so that you can plug in your own signer (an HSM, a cloud KMS) and run the three steps
//! separately when someone else signs (see [`Client::user_action_challenge`](crate::Client::user_action_challenge)).

mod fast_auth;
mod key;
#[cfg(feature = "secp256k1")]
mod secp256k1;
mod user_action;

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

pub use fast_auth::{FastAuthError, TokenScope};
pub(crate) use fast_auth::{
    FastAuthRequest, host_of as fast_auth_host, user_action_header as fast_auth_header,
};
pub use key::{KeyAlgorithm, KeyError, KeyFormat, KeySigner, PublicKey};
pub use user_action::{CompleteUserAction, CreateUserActionChallenge, UserActionSignature};

/// Something that answers Dfns user action challenges for one credential.
///
/// [`KeySigner`] is the built-in implementation. Implement this trait to sign with a key that
/// never leaves an HSM or a cloud KMS: build the client data with [`key_client_data`], have the
/// device sign its bytes, and return [`CredentialAssertion::key`].
///
/// ```
/// use dfns_blocking::signing::{key_client_data, CredentialAssertion, CredentialSigner, SignError, UserActionChallenge};
///
/// struct Hsm { credential_id: String }
///
/// impl Hsm {
///     fn sign_with_device(&self, message: &[u8]) -> Result<Vec<u8>, String> {
///         # let _ = message;
///         Ok(vec![0x30, 0x44]) // a real device returns a DER ECDSA signature
///     }
/// }
///
/// impl CredentialSigner for Hsm {
///     fn credential_id(&self) -> &str {
///         &self.credential_id
///     }
///     fn sign(&self, challenge: &UserActionChallenge) -> Result<CredentialAssertion, SignError> {
///         let client_data = key_client_data(&challenge.challenge);
///         let signature = self.sign_with_device(client_data.as_bytes()).map_err(SignError::new)?;
///         Ok(CredentialAssertion::key(&self.credential_id, client_data.as_bytes(), &signature))
///     }
/// }
/// ```
pub trait CredentialSigner: Send + Sync {
    /// The Dfns credential id (`credId`) this signer answers for. The client checks that the
    /// challenge allows it before calling [`sign`](Self::sign).
    fn credential_id(&self) -> &str;

    /// The kind of credential; the client looks the credential id up in the matching list of
    /// the challenge's `allowCredentials`. Defaults to [`CredentialKind::Key`].
    fn credential_kind(&self) -> CredentialKind {
        CredentialKind::Key
    }

    /// Answers the whole challenge with an assertion.
    fn sign(&self, challenge: &UserActionChallenge) -> Result<CredentialAssertion, SignError>;
}

/// A shared signer signs as the signer it shares: `.signer(Arc::clone(&key))` gives several
/// clients one key.
impl<S: CredentialSigner + ?Sized> CredentialSigner for std::sync::Arc<S> {
    fn credential_id(&self) -> &str {
        (**self).credential_id()
    }

    fn credential_kind(&self) -> CredentialKind {
        (**self).credential_kind()
    }

    fn sign(&self, challenge: &UserActionChallenge) -> Result<CredentialAssertion, SignError> {
        (**self).sign(challenge)
    }
}

/// A boxed signer signs as the signer it holds: a `Box<dyn CredentialSigner>` chosen at run
/// time (a file key here, an HSM there) is a signer.
impl<S: CredentialSigner + ?Sized> CredentialSigner for Box<S> {
    fn credential_id(&self) -> &str {
        (**self).credential_id()
    }

    fn credential_kind(&self) -> CredentialKind {
        (**self).credential_kind()
    }

    fn sign(&self, challenge: &UserActionChallenge) -> Result<CredentialAssertion, SignError> {
        (**self).sign(challenge)
    }
}

/// The client data a `Key` credential signs: exactly `{"type":"key.get","challenge":"<challenge>"}`,
/// with no whitespace, the form Dfns's official signer produces.
///
/// ```
/// assert_eq!(
///     dfns_blocking::signing::key_client_data("abc"),
///     r#"{"type":"key.get","challenge":"abc"}"#
/// );
/// ```
pub fn key_client_data(challenge: &str) -> String {
    format!(
        r#"{{"type":"key.get","challenge":{}}}"#,
        json_string(challenge)
    )
}

/// The client data a new `Key` credential signs when it is created (registration, a new
/// credential, recovery): `{"challenge":"<challenge>","type":"key.create"}`.
///
/// Dfns computes the hash of creation client data over its keys sorted alphabetically, with no
/// whitespace; this form is already sorted, so the bytes signed are the bytes Dfns hashes.
///
/// ```
/// assert_eq!(
///     dfns_blocking::signing::key_create_client_data("abc"),
///     r#"{"challenge":"abc","type":"key.create"}"#
/// );
/// ```
pub fn key_create_client_data(challenge: &str) -> String {
    format!(
        r#"{{"challenge":{},"type":"key.create"}}"#,
        json_string(challenge)
    )
}

/// A JSON string literal: serde_json escapes the text, so even a hostile challenge cannot change
/// the structure around it; a base64url challenge is embedded verbatim.
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// What a new `Key` credential signs to prove it holds its key: the "credential info
/// fingerprint" `{"clientDataHash":"<hex SHA-256 of client_data>","publicKey":"<PEM>"}`, keys
/// sorted, no whitespace.
///
/// Sign its bytes with the new key (as for user actions: ECDSA DER, Ed25519 or RSA PKCS#1 v1.5,
/// SHA-256) and give the signature to [`KeyAttestation::key`].
///
/// ```
/// let fingerprint = dfns_blocking::signing::key_credential_fingerprint(b"{}", "PEM");
/// assert_eq!(
///     fingerprint,
///     r#"{"clientDataHash":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","publicKey":"PEM"}"#
/// );
/// ```
pub fn key_credential_fingerprint(client_data: &[u8], public_key_pem: &str) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Fingerprint<'a> {
        client_data_hash: String,
        public_key: &'a str,
    }
    let hash = ring::digest::digest(&ring::digest::SHA256, client_data);
    let fingerprint = Fingerprint {
        client_data_hash: hex(hash.as_ref()),
        public_key: public_key_pem,
    };
    // Serializing a struct of two strings cannot fail.
    serde_json::to_string(&fingerprint).unwrap_or_default()
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// A new `Key` credential's proof that it holds its private key: the `credentialInfo` of
/// credential creation, registration and recovery.
///
/// [`KeySigner::attest`] makes one; a key held in an HSM makes one with
/// [`key_create_client_data`], [`key_credential_fingerprint`] and [`KeyAttestation::key`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct KeyAttestation {
    /// The new credential's id (`credId`), chosen by its holder.
    pub cred_id: String,
    /// The signed creation client data, base64url without padding.
    pub client_data: String,
    /// base64url of `{"publicKey":"<PEM>","signature":"<hex signature of the fingerprint>"}`.
    pub attestation_data: String,
}

impl KeyAttestation {
    /// An attestation from the raw creation client data, the new key's SPKI PEM and its
    /// signature of [`key_credential_fingerprint`]`(client_data, public_key_pem)`.
    pub fn key(
        credential_id: &str,
        client_data: &[u8],
        public_key_pem: &str,
        signature: &[u8],
    ) -> Self {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct AttestationData<'a> {
            public_key: &'a str,
            signature: String,
        }
        let data = AttestationData {
            public_key: public_key_pem,
            signature: hex(signature),
        };
        // Serializing a struct of two strings cannot fail.
        let data = serde_json::to_string(&data).unwrap_or_default();
        Self {
            cred_id: credential_id.to_owned(),
            client_data: URL_SAFE_NO_PAD.encode(client_data),
            attestation_data: URL_SAFE_NO_PAD.encode(data),
        }
    }
}

/// A signer's failure, in its own words. It never holds key material.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SignError(Box<dyn std::error::Error + Send + Sync>);

impl SignError {
    /// Wraps a message or an error from a custom signer.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self(error.into())
    }
}

open_enum! {
    /// The kinds of credential Dfns knows.
    pub enum CredentialKind {
        /// A raw key pair held by the user or the token (what [`KeySigner`] is).
        Key = "Key",
        /// A WebAuthn passkey.
        Fido2 = "Fido2",
        /// A key Dfns stores encrypted with the user's password.
        PasswordProtectedKey = "PasswordProtectedKey",
        /// A password (deprecated by Dfns).
        Password = "Password",
        /// A time-based one-time password.
        Totp = "Totp",
        /// A recovery key.
        RecoveryKey = "RecoveryKey",
    }
}

/// The answer to `POST /auth/action/init`: what the credential must sign.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserActionChallenge {
    /// The challenge string, embedded verbatim in the client data.
    pub challenge: String,
    /// The opaque token that identifies this signing session; sent back with the assertion.
    pub challenge_identifier: String,
    /// The credentials that may answer.
    #[serde(default)]
    pub allow_credentials: AllowCredentials,
    /// The credential kinds the caller may use, and as which factor.
    #[serde(default)]
    pub supported_credential_kinds: Vec<SupportedCredentialKind>,
    /// WebAuthn user verification requirement (`required`, `preferred`, `discouraged`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
    /// WebAuthn attestation preference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<String>,
    /// Where an external authenticator would complete the challenge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_authentication_url: Option<String>,
    /// The WebAuthn relying party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rp: Option<RelyingParty>,
}

impl fmt::Debug for UserActionChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserActionChallenge")
            .field("challenge", &self.challenge)
            .field("challenge_identifier", &"** redacted **")
            .field("allow_credentials", &self.allow_credentials)
            .field(
                "supported_credential_kinds",
                &self.supported_credential_kinds,
            )
            .finish_non_exhaustive()
    }
}

model! {
    /// `allowCredentials` of a challenge. A list Dfns sends as `null` reads as empty.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AllowCredentials {
        /// Key credentials.
        pub key: Vec<AllowedCredential>,
        /// WebAuthn credentials.
        pub webauthn: Vec<AllowedCredential>,
        /// Password-protected keys, with the encrypted private key Dfns keeps for them.
        pub password_protected_key: Vec<AllowedCredential>,
    }
}

impl AllowCredentials {
    /// Whether the credential `id` of `kind` may answer the challenge.
    pub fn allows(&self, kind: &CredentialKind, id: &str) -> bool {
        let list = match kind {
            CredentialKind::Key => &self.key,
            CredentialKind::Fido2 => &self.webauthn,
            CredentialKind::PasswordProtectedKey => &self.password_protected_key,
            _ => return false,
        };
        list.iter().any(|credential| credential.id == id)
    }

    /// All allowed credential ids, for error messages.
    pub(crate) fn ids(&self) -> Vec<String> {
        let all = self
            .key
            .iter()
            .chain(&self.webauthn)
            .chain(&self.password_protected_key);
        all.map(|credential| credential.id.clone()).collect()
    }
}

/// One entry of `allowCredentials`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AllowedCredential {
    /// The credential id (`credId`).
    pub id: String,
    /// Always `public-key` today.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// For password-protected keys: the private key encrypted with the user's password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted_private_key: Option<String>,
}

impl fmt::Debug for AllowedCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AllowedCredential")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field(
                "encrypted_private_key",
                &self
                    .encrypted_private_key
                    .as_ref()
                    .map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// One entry of `supportedCredentialKinds`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SupportedCredentialKind {
    /// The credential kind.
    pub kind: CredentialKind,
    /// `first`, `second` or `either`.
    #[serde(default)]
    pub factor: String,
    /// Whether using this kind requires a second factor too.
    #[serde(default)]
    pub requires_second_factor: bool,
}

/// The WebAuthn relying party of a challenge.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RelyingParty {
    /// Its id (a domain).
    pub id: String,
    /// Its display name.
    pub name: String,
}

/// A credential's answer to a challenge: the `firstFactor` (or `secondFactor`) of
/// `POST /auth/action` and `POST /auth/login`. A signature for most kinds; for `Password` and
/// `Totp` the password or the one-time code itself ([`password`](Self::password),
/// [`totp`](Self::totp)).
///
/// ```
/// use dfns_blocking::signing::CredentialAssertion;
///
/// let code = CredentialAssertion::totp("123456");
/// assert_eq!(serde_json::to_string(&code).unwrap(), r#"{"kind":"Totp","otpCode":"123456"}"#);
/// assert!(!format!("{code:?}").contains("123456"));
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CredentialAssertion {
    /// The credential kind (`Key` for raw key pairs).
    pub kind: CredentialKind,
    /// The credential id (`credId`).
    pub credential_id: String,
    /// The signed client data, base64url without padding.
    pub client_data: String,
    /// The signature, base64url without padding.
    pub signature: String,
    /// WebAuthn authenticator data, base64url (Fido2 only).
    pub authenticator_data: Option<String>,
    /// WebAuthn user handle (Fido2 only).
    pub user_handle: Option<String>,
    /// An explicit algorithm name; Dfns infers it from the key when absent.
    pub algorithm: Option<String>,
    /// The password (`Password`) or the one-time code (`Totp`), sent instead of a signature.
    /// `Debug` never shows it.
    pub secret: Option<crate::wire::AccessToken>,
}

impl CredentialAssertion {
    /// A `Key` credential's assertion from the raw client data and signature bytes.
    pub fn key(credential_id: &str, client_data: &[u8], signature: &[u8]) -> Self {
        Self::new(
            CredentialKind::Key,
            credential_id,
            URL_SAFE_NO_PAD.encode(client_data),
            URL_SAFE_NO_PAD.encode(signature),
        )
    }

    /// An assertion of any kind from already encoded (base64url) client data and signature,
    /// e.g. as returned by a device that signed elsewhere.
    pub fn new(
        kind: CredentialKind,
        credential_id: &str,
        client_data: String,
        signature: String,
    ) -> Self {
        Self {
            kind,
            credential_id: credential_id.to_owned(),
            client_data,
            signature,
            authenticator_data: None,
            user_handle: None,
            algorithm: None,
            secret: None,
        }
    }

    /// A `Password` credential's answer: the password.
    pub fn password(password: impl Into<String>) -> Self {
        Self {
            secret: Some(crate::wire::AccessToken::new(password)),
            ..Self::new(CredentialKind::Password, "", String::new(), String::new())
        }
    }

    /// A `Totp` credential's answer: the current one-time code.
    pub fn totp(code: impl Into<String>) -> Self {
        Self {
            secret: Some(crate::wire::AccessToken::new(code)),
            ..Self::new(CredentialKind::Totp, "", String::new(), String::new())
        }
    }
}

impl fmt::Debug for CredentialAssertion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialAssertion")
            .field("kind", &self.kind)
            .field("credential_id", &self.credential_id)
            .field("client_data", &self.client_data)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

impl Serialize for CredentialAssertion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire<'a> {
            kind: &'a CredentialKind,
            credential_assertion: Inner<'a>,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Inner<'a> {
            cred_id: &'a str,
            client_data: &'a str,
            signature: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            authenticator_data: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            user_handle: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            algorithm: Option<&'a str>,
        }
        #[derive(Serialize)]
        struct Password<'a> {
            kind: &'a CredentialKind,
            password: &'a str,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Totp<'a> {
            kind: &'a CredentialKind,
            otp_code: &'a str,
        }
        let secret = self.secret.as_ref().map(|s| s.expose()).unwrap_or_default();
        match self.kind {
            CredentialKind::Password => {
                return Password {
                    kind: &self.kind,
                    password: secret,
                }
                .serialize(serializer);
            }
            CredentialKind::Totp => {
                return Totp {
                    kind: &self.kind,
                    otp_code: secret,
                }
                .serialize(serializer);
            }
            _ => {}
        }
        Wire {
            kind: &self.kind,
            credential_assertion: Inner {
                cred_id: &self.credential_id,
                client_data: &self.client_data,
                signature: &self.signature,
                authenticator_data: self.authenticator_data.as_deref(),
                user_handle: self.user_handle.as_deref(),
                algorithm: self.algorithm.as_deref(),
            },
        }
        .serialize(serializer)
    }
}

/// The single-use token (`userAction`) that authorizes one signed request, sent as
/// `X-DFNS-USERACTION`. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserActionToken(String);

impl UserActionToken {
    /// Wraps a token obtained elsewhere.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UserActionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UserActionToken(** redacted **)")
    }
}

/// First and second factors, as a login or a user action pairs them: every kind Dfns takes,
/// every optional part set.
#[cfg(feature = "fidelity-checks")]
pub(crate) fn factor_pairs() -> Vec<(CredentialAssertion, CredentialAssertion)> {
    let mut signatures = <CredentialAssertion as crate::fidelity::Sample>::samples().into_iter();
    let mut pairs: Vec<_> = signatures.by_ref().map(|a| (a.clone(), a)).collect();
    pairs.push((
        CredentialAssertion::password("password"),
        CredentialAssertion::totp("123456"),
    ));
    pairs
}

#[cfg(feature = "fidelity-checks")]
impl crate::fidelity::Sample for CredentialAssertion {
    /// A `Fido2` assertion with every optional part, then a `Key` one.
    fn samples() -> Vec<Self> {
        let fido2 = CredentialAssertion {
            authenticator_data: Some("authenticator".to_owned()),
            user_handle: Some("handle".to_owned()),
            algorithm: Some("ES256".to_owned()),
            ..CredentialAssertion::new(
                CredentialKind::Fido2,
                "cred",
                "data".to_owned(),
                "signature".to_owned(),
            )
        };
        let key = CredentialAssertion {
            algorithm: Some("ES256".to_owned()),
            ..CredentialAssertion::key("cred", b"data", b"signature")
        };
        vec![fido2, key]
    }
}
