//! Registration (`/auth/registration`): a new user registers their first credentials. The
//! challenge comes from an emailed registration code, from a service account (delegated
//! registration, for end users of your own authentication system) or from an identity
//! provider's token; the registration is completed with the challenge's temporary token.
//!
//! ```no_run
//! # let service_account = dfns_blocking::Client::builder().build()?;
//! # let pem = "";
//! use dfns_blocking::KeySigner;
//! use dfns_blocking::api::credentials::NewCredential;
//! use dfns_blocking::api::registration::{DelegatedRegistration, NewCredentials};
//!
//! let challenge = service_account
//!     .registration()
//!     .delegated(&DelegatedRegistration::end_user("jane@example.com"))?;
//! let key = KeySigner::from_pem("jane-key-1", pem)?;
//! let first = NewCredential::key(key.attest(&challenge.challenge)?).name("jane's key");
//! let registered = service_account
//!     .registration()
//!     .register(&challenge, &NewCredentials::new(first))?;
//! println!("registered {}", registered.user.id);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::networks::Network;
use serde::{Deserialize, Serialize};

use super::credentials::{AuthenticatorSelection, ChallengeUser, NewCredential, PubKeyCredParam};
use super::login::{OrgUser, SocialLogin};
use super::{AccessToken, Acknowledgement};
use crate::error::Result;
use crate::signing::{AllowedCredential, CredentialKind, RelyingParty};

model! {
    /// What a new user's credentials must sign: the answer to the registration (and recovery)
    /// challenge endpoints.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct RegistrationChallenge {
        /// The challenge new `Key` and `Fido2` credentials sign.
        #[strict]
        pub challenge: String,
        /// The bearer token that completes the registration (or recovery); redacted in `Debug`.
        #[strict]
        pub temporary_authentication_token: AccessToken,
        /// The kinds allowed as first and second factor.
        pub supported_credential_kinds: SupportedCredentialKinds,
        /// The user being registered.
        pub user: Option<ChallengeUser>,
        /// The WebAuthn relying party.
        pub rp: Option<RelyingParty>,
        /// WebAuthn attestation preference.
        pub attestation: Option<String>,
        /// The algorithms new credentials may use.
        pub pub_key_cred_params: Vec<PubKeyCredParam>,
        /// Credentials not to create again.
        pub exclude_credentials: Vec<AllowedCredential>,
        /// WebAuthn authenticator requirements.
        pub authenticator_selection: Option<AuthenticatorSelection>,
        /// The `otpauth://` URL of a `Totp` second factor's secret.
        pub otp_url: Option<AccessToken>,
        /// Recovery challenges only: the recovery credentials that may sign the recovery.
        pub allowed_recovery_credentials: Vec<RecoveryCredential>,
    }
}

model! {
    /// `supportedCredentialKinds` of a registration challenge.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct SupportedCredentialKinds {
        /// Kinds allowed as the first factor.
        pub first_factor: Vec<CredentialKind>,
        /// Kinds allowed as the second factor.
        pub second_factor: Vec<CredentialKind>,
    }
}

model! {
    /// A recovery credential a recovery challenge allows.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct RecoveryCredential {
        /// Its credential id.
        #[strict]
        pub id: String,
        /// The recovery key, encrypted by its holder.
        pub encrypted_recovery_key: Option<AccessToken>,
    }
}

/// A new user's credentials: the body of [`register`], and `newCredentials` of a recovery.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewCredentials {
    /// The credential the user logs in and signs with.
    pub first_factor_credential: NewCredential,
    /// A second factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_factor_credential: Option<NewCredential>,
    /// A `RecoveryKey` credential.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_credential: Option<NewCredential>,
}

impl NewCredentials {
    /// Only a first factor.
    pub fn new(first_factor: NewCredential) -> Self {
        Self {
            first_factor_credential: first_factor,
            second_factor_credential: None,
            recovery_credential: None,
        }
    }

    /// Adds a second factor.
    pub fn second_factor(mut self, credential: NewCredential) -> Self {
        self.second_factor_credential = Some(credential);
        self
    }

    /// Adds a recovery credential (of kind `RecoveryKey`).
    pub fn recovery(mut self, credential: NewCredential) -> Self {
        self.recovery_credential = Some(credential);
        self
    }
}

model! {
    /// The answer to [`register`] and to a recovery.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct Registration {
        /// The registered first credential.
        #[strict]
        pub credential: RegisteredCredential,
        /// The user.
        #[strict]
        pub user: RegisteredUser,
    }
}

model! {
    /// A credential as a registration reports it.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct RegisteredCredential {
        /// Its kind.
        #[strict]
        pub kind: CredentialKind,
        /// Its name.
        pub name: String,
        /// Its id for activation and deactivation (`credentialUuid`).
        pub uuid: String,
    }
}

model! {
    /// The user a registration created or recovered.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct RegisteredUser {
        /// The user id (`us-...`).
        #[strict]
        pub id: String,
        /// The organisation.
        pub org_id: String,
        /// The username.
        pub username: String,
    }
}

/// A wallet to create for a new end user: an entry of [`RegisterEndUser::wallets`].
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct WalletSpec {
    /// The network, as Dfns names it (`Ethereum`, `Bitcoin`, `Solana`, ...).
    pub network: Network,
    /// The wallet's nickname.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl WalletSpec {
    /// A wallet on `network`.
    pub fn new(network: impl Into<Network>) -> Self {
        Self {
            network: network.into(),
            name: None,
        }
    }

    /// Names it.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// The body of [`register_end_user`]: the credentials and the wallets to create.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct RegisterEndUser {
    /// The credentials.
    #[serde(flatten)]
    pub credentials: NewCredentials,
    /// The delegated wallets to create.
    pub wallets: Vec<WalletSpec>,
}

impl RegisterEndUser {
    /// An end user with `credentials` and `wallets`.
    pub fn new(credentials: NewCredentials, wallets: Vec<WalletSpec>) -> Self {
        Self {
            credentials,
            wallets,
        }
    }
}

model! {
    /// The answer to [`register_end_user`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct EndUserRegistration {
        /// The end user's login token.
        #[strict]
        pub authentication: Authentication,
        /// The registered first credential.
        #[strict]
        pub credential: RegisteredCredential,
        /// The user.
        #[strict]
        pub user: RegisteredUser,
        /// The wallets created, as Dfns describes them.
        pub wallets: Vec<serde_json::Value>,
    }
}

model! {
    /// `authentication` of an end user registration.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct Authentication {
        /// The end user's login token.
        #[strict]
        pub token: AccessToken,
    }
}

/// The body of [`create_challenge`]: a user and the code Dfns emailed them.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateRegistrationChallenge {
    /// The organisation.
    pub org_id: String,
    /// The username.
    pub username: String,
    /// The registration code from the invitation email.
    pub registration_code: AccessToken,
}

impl CreateRegistrationChallenge {
    /// The user `username` of `org_id`, with their emailed code.
    pub fn new(
        org_id: impl Into<String>,
        username: impl Into<String>,
        registration_code: impl Into<String>,
    ) -> Self {
        Self {
            org_id: org_id.into(),
            username: username.into(),
            registration_code: AccessToken::new(registration_code),
        }
    }
}

open_enum! {
    /// The kinds of user a delegated registration creates.
    pub enum DelegatedUserKind {
        /// An end user of your application.
        EndUser = "EndUser",
    }
}

/// The body of [`delegated`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DelegatedRegistration {
    /// The new user's email (their username).
    pub email: String,
    /// The kind of user.
    pub kind: DelegatedUserKind,
    /// Your own reference for the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

impl DelegatedRegistration {
    /// A new end user with this email.
    pub fn end_user(email: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            kind: DelegatedUserKind::EndUser,
            external_id: None,
        }
    }

    /// Sets your own reference.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }
}

endpoints! {
    /// The registration endpoints.
    handle Registrations = Client::registration, domain "auth",
        reference "https://docs.dfns.co/api-reference/auth";

    /// No authentication: a registration challenge for a user invited by email.
    POST "/auth/registration/init"
        => create_challenge(; body: &CreateRegistrationChallenge) -> RegistrationChallenge,
        body body;
    /// Creates an end user and returns their registration challenge (a service account's
    /// right).
    POST "/auth/registration/delegated" [signed]
        => delegated(; body: &DelegatedRegistration) -> RegistrationChallenge,
        body body;
    /// No authentication: a registration challenge for the user an identity provider's token
    /// names.
    POST "/auth/registration/social" => social(; body: &SocialLogin) -> RegistrationChallenge,
        body body;
    /// No authentication: emails a new registration code.
    PUT "/auth/registration/code" => resend_code(; body: &OrgUser) -> Acknowledgement,
        body body;
    /// Registers the credentials that answer `challenge`, sent with the challenge's temporary
    /// token as bearer token.
    POST "/auth/registration"
        => register(; challenge: &RegistrationChallenge, body: &NewCredentials) -> Registration,
        with |request| request
            .json(body)?
            .bearer_token(challenge.temporary_authentication_token.expose());
    /// Registers an end user's credentials and creates their wallets, sent with the
    /// challenge's temporary token as bearer token.
    POST "/auth/registration/enduser"
        => register_end_user(; challenge: &RegistrationChallenge, body: &RegisterEndUser) -> EndUserRegistration,
        with |request| request
            .json(body)?
            .bearer_token(challenge.temporary_authentication_token.expose());
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for RegistrationChallenge {
    fn samples() -> Vec<Self> {
        vec![Self {
            challenge: "challenge".to_owned(),
            temporary_authentication_token: AccessToken::new("temporary"),
            supported_credential_kinds: SupportedCredentialKinds::default(),
            user: None,
            rp: None,
            attestation: None,
            pub_key_cred_params: Vec::new(),
            exclude_credentials: Vec::new(),
            authenticator_selection: None,
            otp_url: None,
            allowed_recovery_credentials: Vec::new(),
        }]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for NewCredentials {
    fn samples() -> Vec<Self> {
        // Each kind Dfns takes as a first factor, with a second factor and a recovery key.
        let [fido2, key, password, totp, protected, recovery] =
            super::credentials::sample_credentials();
        [fido2.clone(), key.clone(), password, protected.clone()]
            .into_iter()
            .zip([fido2, key, totp, protected])
            .map(|(first, second)| {
                Self::new(first)
                    .second_factor(second)
                    .recovery(recovery.clone())
            })
            .collect()
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for RegisterEndUser {
    fn samples() -> Vec<Self> {
        NewCredentials::samples()
            .into_iter()
            .map(|credentials| {
                Self::new(credentials, vec![WalletSpec::new("Ethereum").name("name")])
            })
            .collect()
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateRegistrationChallenge {
    fn samples() -> Vec<Self> {
        vec![Self {
            org_id: "or-1".to_owned(),
            username: "user".to_owned(),
            registration_code: AccessToken::new("code"),
        }]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for DelegatedRegistration {
    fn samples() -> Vec<Self> {
        vec![Self::end_user("user@example.com").external_id("external")]
    }
}
