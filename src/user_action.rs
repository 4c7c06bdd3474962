//! The user action steps the pipeline runs before a signed request: the challenge request
//! (`POST /auth/action/init`), the check that the challenge allows the signer's credential, and
//! the request that trades the signed challenge for the single-use token (`POST /auth/action`).
//! The bodies themselves are [`signing`](crate::signing)'s.

use crate::error::{Error, Result};
use crate::request::{Call, Method, Request};
use crate::signing::{
    CompleteUserAction, CreateUserActionChallenge, CredentialAssertion, CredentialSigner,
    UserActionChallenge, UserActionSignature,
};

impl<'a> CreateUserActionChallenge<'a> {
    /// The challenge body for `request`.
    pub fn for_request<T>(request: &'a Request<T>) -> Self {
        Self::for_call(&request.call)
    }

    pub(crate) fn for_call(request: &'a Call) -> Self {
        Self {
            user_action_payload: request.body.as_deref().unwrap_or_default(),
            user_action_http_method: request.method.as_str(),
            user_action_http_path: &request.path,
            user_action_server_kind: "Api",
        }
    }
}

/// `POST /auth/action/init`: the challenge that authorizes `request`. Asking changes nothing,
/// so it is safe to repeat. (`api::user_actions` declares the same two endpoints for callers who
/// run the steps themselves.)
pub(crate) fn challenge_request(request: &Call) -> Result<Request<UserActionChallenge>> {
    Ok(Request::fixed(Method::Post, "/auth/action/init")?
        .json(&CreateUserActionChallenge::for_call(request))?
        .idempotent())
}

/// `POST /auth/action`: the signed challenge traded for the single-use token.
pub(crate) fn assertion_request(
    challenge: &UserActionChallenge,
    assertion: &CredentialAssertion,
) -> Result<Request<UserActionSignature>> {
    Request::fixed(Method::Post, "/auth/action")?
        .json(&CompleteUserAction::new(challenge, assertion))
}

/// Signs `challenge` with `signer` once the challenge is seen to allow the signer's credential
/// (as Dfns's official signer checks before signing): user actions and logins alike.
pub(crate) fn answer_challenge(
    signer: &dyn CredentialSigner,
    challenge: &UserActionChallenge,
) -> Result<CredentialAssertion> {
    let credential_id = signer.credential_id();
    if !challenge
        .allow_credentials
        .allows(&signer.credential_kind(), credential_id)
    {
        return Err(Error::CredentialNotAllowed {
            credential_id: credential_id.to_owned(),
            allowed: challenge.allow_credentials.ids(),
        });
    }
    Ok(signer.sign(challenge)?)
}
