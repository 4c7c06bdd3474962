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
//! let first = NewCredential::key(key.attest(&challenge.challenge)?).credential_name("jane's key");
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

request_body! {
    #![samples_by_hand]
    /// A new user's credentials: the body of [`register`], and `newCredentials` of a recovery.
    pub struct NewCredentials {
        /// The credential the user logs in and signs with.
        first_factor_credential: NewCredential;
        /// A second factor.
        second_factor_credential: NewCredential,
        /// A `RecoveryKey` credential.
        recovery_credential: NewCredential,
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

request_body! {
    /// A wallet to create for a new end user: an entry of [`RegisterEndUser::wallets`].
    pub struct WalletSpec {
        /// The network, as Dfns names it (`Ethereum`, `Bitcoin`, `Solana`, ...).
        network: Network;
        /// The wallet's nickname.
        name: String,
    }
}

request_body! {
    #![samples_by_hand]
    /// The body of [`register_end_user`]: the credentials and the wallets to create.
    pub struct RegisterEndUser {
        /// The credentials.
        #[serde(flatten)]
        credentials: NewCredentials,
        /// The delegated wallets to create.
        wallets: WalletSpec [list];
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

request_body! {
    /// The body of [`create_challenge`]: a user and the code Dfns emailed them.
    pub struct CreateRegistrationChallenge {
        /// The organisation.
        org_id: String,
        /// The username.
        username: String,
        /// The registration code from the invitation email.
        registration_code: String [secret];
    }
}

open_enum! {
    /// The kinds of user a delegated registration creates.
    pub enum DelegatedUserKind {
        /// An end user of your application.
        EndUser = "EndUser",
    }
}

request_body! {
    /// The body of [`delegated`].
    ///
    /// ```
    /// use dfns_blocking::api::registration::DelegatedRegistration;
    ///
    /// let body = DelegatedRegistration::end_user("jane@example.com").external_id("u-7");
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"email":"jane@example.com","kind":"EndUser","externalId":"u-7"}"#
    /// );
    /// ```
    pub struct DelegatedRegistration {
        /// The new user's email (their username).
        email: String,
        /// The kind of user.
        kind: DelegatedUserKind;
        /// Your own reference for the user.
        external_id: String,
    }
}

impl DelegatedRegistration {
    /// A new end user with this email (the one kind a delegated registration creates).
    pub fn end_user(email: impl Into<String>) -> Self {
        Self::new(email, DelegatedUserKind::EndUser)
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
                    .second_factor_credential(second)
                    .recovery_credential(recovery.clone())
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
