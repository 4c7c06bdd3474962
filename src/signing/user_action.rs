//! The bodies of user action signing (`POST /auth/action/init`, `POST /auth/action`).

use serde::{Deserialize, Serialize};

use super::{CredentialAssertion, UserActionChallenge, UserActionToken};

/// The body of [`create_challenge`](crate::api::user_actions::create_challenge): what the user action will authorize, byte for byte.
///
/// ```
/// use dfns_blocking::api::{pats, user_actions::CreateUserActionChallenge};
///
/// let request = pats::deactivate("to-1")?;
/// let body = serde_json::to_value(CreateUserActionChallenge::for_request(&request))?;
/// assert_eq!(body["userActionHttpPath"], "/auth/pats/to-1/deactivate");
/// assert_eq!(body["userActionPayload"], "{}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateUserActionChallenge<'a> {
    /// The request's body, exactly as it will be sent (empty when it has none).
    pub user_action_payload: &'a str,
    /// The request's method.
    pub user_action_http_method: &'static str,
    /// The request's percent-encoded path, without the query.
    pub user_action_http_path: &'a str,
    /// `Api`: the action is a Dfns API request.
    pub user_action_server_kind: &'static str,
}

/// The body of [`complete`](crate::api::user_actions::complete): the challenge, signed.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CompleteUserAction<'a> {
    /// The challenge's `challengeIdentifier`.
    pub challenge_identifier: &'a str,
    /// The credential's signature of the challenge.
    pub first_factor: &'a CredentialAssertion,
    /// A second credential's signature, when the first factor needs one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<&'a CredentialAssertion>,
}

impl<'a> CompleteUserAction<'a> {
    /// The body that answers `challenge` with `assertion`.
    pub fn new(challenge: &'a UserActionChallenge, assertion: &'a CredentialAssertion) -> Self {
        Self {
            challenge_identifier: &challenge.challenge_identifier,
            first_factor: assertion,
            second_factor: None,
        }
    }

    /// Adds a second factor's signature of the same challenge.
    pub fn second_factor(mut self, assertion: &'a CredentialAssertion) -> Self {
        self.second_factor = Some(assertion);
        self
    }
}

// The payload is a copy of the request's body (an exchange's API keys, an OAuth client secret,
// a password...), and the challenge identifier, with an assertion, authorizes the action: the
// `Debug`s show neither.
impl std::fmt::Debug for CreateUserActionChallenge<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUserActionChallenge")
            .field("user_action_payload_len", &self.user_action_payload.len())
            .field("user_action_http_method", &self.user_action_http_method)
            .field("user_action_http_path", &self.user_action_http_path)
            .field("user_action_server_kind", &self.user_action_server_kind)
            .finish()
    }
}

impl std::fmt::Debug for CompleteUserAction<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompleteUserAction")
            .field("challenge_identifier", &"** redacted **")
            .field("first_factor", &self.first_factor)
            .field("second_factor", &self.second_factor)
            .finish()
    }
}

/// The answer of [`complete`](crate::api::user_actions::complete): the single-use token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserActionSignature {
    /// The token that authorizes the one request the challenge named.
    pub user_action: UserActionToken,
}
