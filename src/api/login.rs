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

request_body! {
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
    pub struct CreateLoginChallenge {
        /// The organisation (`or-...`).
        org_id: String;
        /// The username; optional when the user has a discoverable passkey.
        username: String,
        /// The one-time code from [`send_code`], needed for `PasswordProtectedKey` credentials.
        login_code: String [secret],
    }
}

request_body! {
    #![samples_by_hand]
    /// The body of [`complete`]: the signed login challenge. `Debug` hides the challenge
    /// identifier.
    ///
    /// ```no_run
    /// # let pem = "";
    /// use dfns_blocking::api::login::{CompleteLogin, CreateLoginChallenge};
    /// use dfns_blocking::signing::CredentialSigner;
    /// use dfns_blocking::{Client, KeySigner};
    ///
    /// let client = Client::builder().build()?;
    /// let key = KeySigner::from_pem("my-credential-id", pem)?;
    /// let challenge = client.login().create_challenge(&CreateLoginChallenge::new("or-1"))?;
    /// let assertion = CredentialSigner::sign(&key, &challenge)?;
    /// let body = CompleteLogin::new(&challenge.challenge_identifier, assertion);
    /// assert!(format!("{body:?}").contains("redacted"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct CompleteLogin {
        /// From the [`LoginChallenge`].
        challenge_identifier: String [secret],
        /// The credential's assertion (e.g. from [`CredentialSigner::sign`]).
        first_factor: CredentialAssertion;
        /// A second factor's assertion, when the first needs one.
        second_factor: CredentialAssertion,
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

request_body! {
    /// The body of [`logout`].
    ///
    /// ```
    /// use dfns_blocking::api::login::Logout;
    ///
    /// assert_eq!(serde_json::to_string(&Logout::new()).unwrap(), "{}");
    /// assert_eq!(
    ///     serde_json::to_string(&Logout::new().all_sessions(true)).unwrap(),
    ///     r#"{"allSessions":true}"#
    /// );
    /// ```
    pub struct Logout {
        ;
        /// Ends every session of the user, not only this token's.
        all_sessions: bool [exact],
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

request_body! {
    /// An identity provider's proof of who the user is: the body of [`social`] and of
    /// [`registration::social`](super::registration::social).
    ///
    /// ```
    /// use dfns_blocking::api::login::SocialLogin;
    ///
    /// let body = SocialLogin::oidc("eyJ.id-token").org_id("or-1");
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["socialLoginProviderKind"], "Oidc");
    /// assert!(!format!("{body:?}").contains("id-token"));
    /// ```
    pub struct SocialLogin {
        /// The provider's ID token (a JWT).
        id_token: String [secret],
        /// The kind of provider.
        social_login_provider_kind: SocialLoginProvider;
        /// The organisation, when the provider serves several.
        org_id: String,
    }
}

impl SocialLogin {
    /// An OpenID Connect ID token (the one kind of provider Dfns has).
    pub fn oidc(id_token: impl Into<String>) -> Self {
        Self::new(id_token, SocialLoginProvider::Oidc)
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

request_body! {
    /// The body of [`sso`]: what the identity provider sent back.
    pub struct SsoLogin {
        /// The authorization code.
        code: String [secret],
        /// The state the provider forwarded.
        state: String;
    }
}

request_body! {
    /// The body of [`oidc_init`]: the organisation (or tenant) to log into and where the
    /// identity provider sends the user back.
    ///
    /// ```
    /// use dfns_blocking::api::login::OidcLoginInit;
    ///
    /// let body = OidcLoginInit::new("https://app.example.com/callback").org_id("or-1");
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"redirectUri":"https://app.example.com/callback","orgId":"or-1"}"#
    /// );
    /// ```
    pub struct OidcLoginInit {
        /// Where the identity provider sends the user back.
        redirect_uri: String;
        /// The organisation (`or-...`), for an organisation login.
        org_id: String,
        /// The tenant, for a tenant login.
        tenant_id: String,
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
        self.complete(&CompleteLogin::new(
            &challenge.challenge_identifier,
            assertion,
        ))?
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

// The field fidelity test's samples (see `api::fidelity`): each pair of factors a login takes.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CompleteLogin {
    fn samples() -> Vec<Self> {
        crate::signing::factor_pairs()
            .into_iter()
            .map(|(first, second)| Self::new("challenge", first).second_factor(second))
            .collect()
    }
}
