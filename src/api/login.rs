//! Login and logout (`/auth/login`, `/auth/logout`): a user signs a login challenge with one of
//! their credentials and gets a login token; a service account logs its end users in without
//! their credentials (delegated login); social, SSO and OIDC logins trade an identity
//! provider's proof for a token; a token can be exchanged for one aimed at another target.
//!
//! The OIDC login's answer is read as the `{"token"}` every other login answers. Codes and tokens are [`AccessToken`]s: never in `Debug` or errors.
//!
//! ```no_run
//! # let pem = "";
//! use dfns_blocking::{Client, KeySigner};
//!
//! let anonymous = Client::builder().build()?;
//! let key = KeySigner::from_pem("my-credential-id", pem)?;
//! let token = anonymous.login().with_key("or-...", "jane@example.com", &key)?;
//! let client = anonymous.with_auth_token(token.expose())?.with_signer(key);
//! client.login().logout(&dfns_blocking::api::login::Logout::new())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use super::{AccessToken, Acknowledgement};
use crate::error::{Error, Result};
pub use crate::signing::UserActionChallenge as LoginChallenge;
use crate::signing::{CredentialAssertion, CredentialSigner};
use crate::user_action::answer_challenge;

/// The body of [`create_challenge`].
///
/// ```
/// use dfns_blocking::api::login::CreateLoginChallenge;
///
/// let body = CreateLoginChallenge::new("or-1").username("jane@example.com");
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"orgId":"or-1","username":"jane@example.com"}"#
/// );
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateLoginChallenge {
    /// The organisation (`or-...`).
    pub org_id: String,
    /// The username; optional when the user has a discoverable passkey.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The one-time code from [`send_code`], needed for `PasswordProtectedKey` credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_code: Option<AccessToken>,
}

impl CreateLoginChallenge {
    /// A login into the organisation `org_id`.
    pub fn new(org_id: impl Into<String>) -> Self {
        Self {
            org_id: org_id.into(),
            username: None,
            login_code: None,
        }
    }

    /// Names the user.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Gives the one-time code sent by [`send_code`].
    pub fn login_code(mut self, code: impl Into<String>) -> Self {
        self.login_code = Some(AccessToken::new(code));
        self
    }
}

/// The body of [`complete`]: the signed login challenge. `Debug` hides the challenge identifier.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CompleteLogin {
    /// From the [`LoginChallenge`].
    pub challenge_identifier: String,
    /// The credential's assertion (e.g. from [`CredentialSigner::sign`]).
    pub first_factor: CredentialAssertion,
    /// A second factor's assertion, when the first needs one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<CredentialAssertion>,
}

impl std::fmt::Debug for CompleteLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompleteLogin")
            .field("challenge_identifier", &"** redacted **")
            .field("first_factor", &self.first_factor)
            .field("second_factor", &self.second_factor)
            .finish()
    }
}

impl CompleteLogin {
    /// The answer to `challenge`.
    pub fn new(challenge: &LoginChallenge, first_factor: CredentialAssertion) -> Self {
        Self {
            challenge_identifier: challenge.challenge_identifier.clone(),
            first_factor,
            second_factor: None,
        }
    }

    /// Adds a second factor.
    pub fn second_factor(mut self, assertion: CredentialAssertion) -> Self {
        self.second_factor = Some(assertion);
        self
    }
}

model! {
    /// The answer to [`complete`]: a login token, or for organisations that log in through SSO the
    /// client id to start it with.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct LoginResult {
        /// The user's login token (a bearer token).
        pub token: Option<AccessToken>,
        /// The SSO client id, when the organisation requires SSO.
        pub sso_client_id: Option<String>,
    }
}

model! {
    /// A login token: the answer to delegated, social and SSO logins.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct LoginToken {
        /// The bearer token that acts as the user.
        #[strict]
        pub token: AccessToken,
    }
}

/// The body of [`logout`].
///
/// ```
/// use dfns_blocking::api::login::Logout;
///
/// assert_eq!(serde_json::to_string(&Logout::new()).unwrap(), "{}");
/// assert_eq!(serde_json::to_string(&Logout::new().all_sessions()).unwrap(), r#"{"allSessions":true}"#);
/// ```
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Logout {
    /// Ends every session of the user, not only this token's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_sessions: Option<bool>,
}

impl Logout {
    /// Ends this token's session.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ends every session of the user.
    pub fn all_sessions(mut self) -> Self {
        self.all_sessions = Some(true);
        self
    }
}

request_body! {
    /// A user of an organisation, by name: the body of [`send_code`] (and of the registration and
    /// recovery code endpoints).
    pub struct OrgUser {
        /// The organisation (`or-...`).
        org_id: String,
        /// The username.
        username: String;
    }
}

open_enum! {
    /// Identity providers for social login and registration.
    pub enum SocialLoginProvider {
        /// An OpenID Connect provider.
        Oidc = "Oidc",
    }
}

/// An identity provider's proof of who the user is: the body of [`social`] and of
/// [`registration::social`](super::registration::social).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SocialLogin {
    /// The provider's ID token (a JWT).
    pub id_token: AccessToken,
    /// The organisation, when the provider serves several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The kind of provider.
    pub social_login_provider_kind: SocialLoginProvider,
}

impl SocialLogin {
    /// An OpenID Connect ID token.
    pub fn oidc(id_token: impl Into<String>) -> Self {
        Self {
            id_token: AccessToken::new(id_token),
            org_id: None,
            social_login_provider_kind: SocialLoginProvider::Oidc,
        }
    }

    /// Names the organisation.
    pub fn org_id(mut self, org_id: impl Into<String>) -> Self {
        self.org_id = Some(org_id.into());
        self
    }
}

request_body! {
    /// The body of [`sso_init`].
    pub struct SsoLoginInit {
        /// The client id registered with the identity provider.
        client_id: String,
        /// The organisation (`or-...`).
        org_id: String,
        /// Where the identity provider sends the user back.
        redirect_uri: String;
    }
}

model! {
    /// The answer to [`sso_init`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct SsoRedirect {
        /// Where to send the user to authenticate with the identity provider.
        #[strict]
        pub sso_redirect_url: String,
    }
}

/// The body of [`sso`]: what the identity provider sent back.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct SsoLogin {
    /// The authorization code.
    pub code: AccessToken,
    /// The state the provider forwarded.
    pub state: String,
}

impl SsoLogin {
    /// The provider's `code` and `state`.
    pub fn new(code: impl Into<String>, state: impl Into<String>) -> Self {
        Self {
            code: AccessToken::new(code),
            state: state.into(),
        }
    }
}

/// The body of [`oidc_init`]: the organisation (or tenant) to log into and where the identity
/// provider sends the user back.
///
/// ```
/// use dfns_blocking::api::login::OidcLoginInit;
///
/// let body = OidcLoginInit::org("or-1", "https://app.example.com/callback");
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"orgId":"or-1","redirectUri":"https://app.example.com/callback"}"#
/// );
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OidcLoginInit {
    /// The organisation (`or-...`), for an organisation login.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The tenant, for a tenant login.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// Where the identity provider sends the user back.
    pub redirect_uri: String,
}

impl OidcLoginInit {
    /// A login into the organisation `org_id`.
    pub fn org(org_id: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        Self {
            org_id: Some(org_id.into()),
            tenant_id: None,
            redirect_uri: redirect_uri.into(),
        }
    }

    /// A login into the tenant `tenant_id`.
    pub fn tenant(tenant_id: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        Self {
            org_id: None,
            tenant_id: Some(tenant_id.into()),
            redirect_uri: redirect_uri.into(),
        }
    }
}

model! {
    /// The answer of [`oidc_init`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct OidcRedirect {
        /// Where to send the user to authenticate with the identity provider.
        #[strict]
        pub redirect_url: String,
    }
}

/// The body of [`oidc`]: the identity provider's authorization `code` (kept out of `Debug`) and
/// the `state` it forwarded, the same fields as an SSO login's.
pub type OidcLogin = SsoLogin;

#[derive(Serialize)]
struct UsernameBody<'a> {
    username: &'a str,
}

#[derive(Serialize)]
struct TargetBody<'a> {
    target: &'a str,
}

endpoints! {
    /// The login and logout endpoints.
    handle Login = Client::login, domain "auth",
        reference "https://docs.dfns.co/api-reference/auth";

    /// No authentication: the challenge a credential signs to log in.
    POST "/auth/login/init" => create_challenge(; body: &CreateLoginChallenge) -> LoginChallenge,
        body body;
    /// No authentication: trades the signed challenge for a login token.
    POST "/auth/login" => complete(; body: &CompleteLogin) -> LoginResult,
        body body;
    /// A login token for the user `username`, without the user's credentials (a service
    /// account's right).
    POST "/auth/login/delegated" [signed] => delegated(; username: &str) -> LoginToken,
        with |request| request.json(&UsernameBody { username });
    /// The caller's login token stops working.
    PUT "/auth/logout" [idempotent] => logout(; body: &Logout) -> Acknowledgement,
        body body;
    /// No authentication: emails the user a one-time login code.
    POST "/auth/login/code" => send_code(; body: &OrgUser) -> Acknowledgement,
        body body;
    /// No authentication: logs in with an identity provider's token.
    POST "/auth/login/social" => social(; body: &SocialLogin) -> LoginToken,
        body body;
    /// No authentication: where to send the user for SSO.
    POST "/auth/login/sso/init" => sso_init(; body: &SsoLoginInit) -> SsoRedirect,
        body body;
    /// No authentication: completes an SSO login.
    POST "/auth/login/sso" => sso(; body: &SsoLogin) -> LoginToken,
        body body;
    /// No authentication: where to send the user for an OIDC login (`initiateOidcLogin`).
    POST "/auth/login/oidc/init" => oidc_init(; body: &OidcLoginInit) -> OidcRedirect,
        body body;
    /// No authentication: completes an OIDC login with what the provider sent back
    /// (`completeOidcLogin`).
    POST "/auth/login/oidc" => oidc(; body: &OidcLogin) -> LoginToken,
        body body;
    /// Trades the caller's token for a token aimed at `target` (`exchangeAccessToken`).
    POST "/auth/tokens" => exchange_token(; target: &str) -> LoginToken,
        with |request| request.json(&TargetBody { target });
}

impl Login<'_> {
    /// The whole login with a credential signer: asks for the challenge, checks that it allows
    /// the signer's credential, signs it and returns the login token.
    pub fn with_key(
        &self,
        org_id: &str,
        username: &str,
        signer: &dyn CredentialSigner,
    ) -> Result<AccessToken> {
        let challenge =
            self.create_challenge(&CreateLoginChallenge::new(org_id).username(username))?;
        let assertion = answer_challenge(signer, &challenge)?;
        self.complete(&CompleteLogin::new(&challenge, assertion))?
            .token
            .ok_or_else(|| {
                Error::undecodable(
                    200,
                    "token",
                    "the login answer has no token (the organisation requires SSO)",
                )
            })
    }
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateLoginChallenge {
    fn samples() -> Vec<Self> {
        vec![Self::new("or-1").username("user").login_code("code")]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CompleteLogin {
    fn samples() -> Vec<Self> {
        crate::signing::factor_pairs()
            .into_iter()
            .map(|(first, second)| Self {
                challenge_identifier: "challenge".to_owned(),
                first_factor: first,
                second_factor: Some(second),
            })
            .collect()
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for Logout {
    fn samples() -> Vec<Self> {
        vec![Self::new().all_sessions()]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for SocialLogin {
    fn samples() -> Vec<Self> {
        vec![Self::oidc("token").org_id("or-1")]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for SsoLogin {
    fn samples() -> Vec<Self> {
        vec![Self::new("code", "state")]
    }
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
sample_fields! {
    OidcLoginInit { org_id, tenant_id, redirect_uri }
}
