//! User action signing (`/auth/action`): the two round trips that make the single-use token a
//! signed request carries. [`Client::send`](crate::Client::send) runs them for every signed
//! request; [`Client::user_action_challenge`](crate::Client::user_action_challenge) and
//! [`Client::complete_user_action`](crate::Client::complete_user_action) run them one by one,
//! for a credential that signs elsewhere.

use serde::{Deserialize, Serialize};

use crate::request::Request;
use crate::signing::{CredentialAssertion, UserActionChallenge, UserActionToken};

/// The body of [`create_challenge`]: what the user action will authorize, byte for byte.
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
#[derive(Debug, Clone, Serialize)]
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

impl<'a> CreateUserActionChallenge<'a> {
    /// The challenge body for `request`.
    pub fn for_request<T>(request: &'a Request<T>) -> Self {
        Self {
            user_action_payload: request.body().unwrap_or_default(),
            user_action_http_method: request.method().as_str(),
            user_action_http_path: request.path(),
            user_action_server_kind: "Api",
        }
    }
}

/// The body of [`complete`]: the challenge, signed.
#[derive(Debug, Clone, Serialize)]
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

/// The answer of [`complete`]: the single-use token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserActionSignature {
    /// The token that authorizes the one request the challenge named.
    pub user_action: UserActionToken,
}

endpoints! {
    /// The user action signing endpoints.
    handle UserActions = Client::user_actions, domain "auth",
        reference "https://docs.dfns.co/api-reference/auth";

    /// The challenge a credential signs to authorize one request. Asking changes nothing.
    POST "/auth/action/init" [idempotent]
        => create_challenge(; body: &CreateUserActionChallenge<'_>) -> UserActionChallenge,
        body body;
    /// Trades the signed challenge for the single-use token.
    POST "/auth/action" => complete(; body: &CompleteUserAction<'_>) -> UserActionSignature,
        body body;
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateUserActionChallenge<'static> {
    fn samples() -> Vec<Self> {
        vec![Self {
            user_action_payload: "{}",
            user_action_http_method: "POST",
            user_action_http_path: "/auth/pats",
            user_action_server_kind: "Api",
        }]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CompleteUserAction<'static> {
    fn samples() -> Vec<Self> {
        // The body borrows its assertions: the test's few samples are leaked.
        super::fidelity::factor_pairs()
            .into_iter()
            .map(|(first, second)| {
                let first: &'static CredentialAssertion = Box::leak(Box::new(first));
                let second: &'static CredentialAssertion = Box::leak(Box::new(second));
                Self {
                    challenge_identifier: "challenge",
                    first_factor: first,
                    second_factor: Some(second),
                }
            })
            .collect()
    }
}
