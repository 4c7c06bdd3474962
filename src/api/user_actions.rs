//! User action signing (`/auth/action`): the two round trips that make the single-use token a
//! signed request carries. [`Client::send`](crate::Client::send) runs them for every signed
//! request; [`Client::user_action_challenge`](crate::Client::user_action_challenge) and
//! [`Client::complete_user_action`](crate::Client::complete_user_action) run them one by one,
//! for a credential that signs elsewhere.

#[cfg(feature = "fidelity-checks")]
use crate::signing::CredentialAssertion;
use crate::signing::UserActionChallenge;
pub use crate::signing::{CompleteUserAction, CreateUserActionChallenge, UserActionSignature};

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
        crate::signing::factor_pairs()
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
