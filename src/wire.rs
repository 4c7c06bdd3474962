//! What the core shares with the domains: the shapes of Dfns's answers that the pipeline itself
//! reads (a list's `items`, a 202's change request), the lenient field reader every model
//! uses, and the wrapper that keeps secrets out of `Debug`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::time::Timestamp;

/// The JSON fields whose string values are secrets, wherever they appear: an error's excerpt
/// of a body replaces their values, and every public type that holds one keeps it out of its
/// `Debug` (a property test checks both, for each name).
pub(crate) const SECRET_FIELDS: &[&str] = &[
    "accessToken",
    "token",
    "userAction",
    "secret",
    "privateKey",
    "challengeIdentifier",
    // Login, registration and recovery: their temporary tokens, codes and keys.
    "temporaryAuthenticationToken",
    "code",
    "password",
    "otp",
    "otpUrl",
    "encryptedPrivateKey",
    "encryptedRecoveryKey",
    // Third-party credentials a body may carry: exchange API keys, OAuth client secrets.
    "privateApiKey",
    "clientSecret",
    // A user action challenge's copy of the signed request's body, which can hold any of these.
    "userActionPayload",
];

/// A `{"items": [...]}` answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Items<T> {
    /// The entities.
    pub items: Vec<T>,
}

/// Reads `null` and absent fields as the type's default: Dfns documents many fields as always
/// present that real answers leave out, empty or null.
pub(crate) fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// A secret Dfns hands out once: a personal access token, a login token, a registration's
/// temporary token, a one-time code. `Debug` never shows it; call [`expose`](Self::expose) to
/// get it.
///
/// ```
/// let token: dfns_blocking::api::AccessToken = serde_json::from_str(r#""eyJ.secret""#)?;
/// assert_eq!(format!("{token:?}"), "AccessToken(** redacted **)");
/// assert_eq!(token.expose(), "eyJ.secret");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a secret obtained elsewhere (e.g. a one-time code typed by a user).
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, e.g. for [`ClientBuilder::auth_token`](crate::ClientBuilder::auth_token)
    /// or a secret manager.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(** redacted **)")
    }
}

open_enum! {
    /// A change request's `status`.
    pub enum ChangeRequestStatus {
        /// Waiting for policy approval.
        Pending = "Pending",
        /// Approved and applied.
        Applied = "Applied",
        /// Approved, but applying it failed.
        Failed = "Failed",
        /// Denied or expired.
        Rejected = "Rejected",
    }
}

/// A change to a governed entity (a permission, an assignment, a policy, a personal access
/// token, ...) held for policy approval. `T` is the entity; its `body` is the entity as it will
/// be once applied.
///
/// This is also the body of a `202 Accepted` answer: a request a policy holds ends in
/// [`Error::PolicyApprovalPending`](crate::Error::PolicyApprovalPending) with the change request
/// (`T` is then [`Value`]). Two ids, not to be confused: [`id`](Self::id) is the change
/// request's, and [`approval_id`](Self::approval_id) is the approval the approvers decide
/// ([`PolicyApprovals::decide`](crate::api::policy_approvals::PolicyApprovals::decide)).
///
/// Like every model, it reads `null` and absent fields as empty: a 202 whose `status` or `id` is
/// `null` is still a pending approval, never a decoding error.
///
/// ```
/// use dfns_blocking::api::policies::ChangeRequest;
///
/// let pending: ChangeRequest = serde_json::from_str(
///     r#"{"id": "cr-1", "approvalId": "ap-1", "status": null, "body": {"name": "x"}}"#,
/// )?;
/// assert_eq!(pending.change_request_id(), "cr-1");
/// assert_eq!(pending.approval_id(), Some("ap-1"));
/// assert_eq!(pending.status, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ChangeRequest<T = Value> {
    /// The change request's id (`cr-...`); not the approval's (see
    /// [`approval_id`](Self::approval_id)).
    #[serde(default, deserialize_with = "or_default")]
    pub id: String,
    /// The entity kind (`Permission`, `Assignment`, `Policy`, ...).
    #[serde(default, deserialize_with = "or_default")]
    pub kind: String,
    /// `Create`, `Update` or `Delete`.
    #[serde(default, deserialize_with = "or_default")]
    pub operation_kind: String,
    /// Its status; unknown values are kept.
    #[serde(default, deserialize_with = "or_default")]
    pub status: Option<ChangeRequestStatus>,
    /// Who asked for it.
    #[serde(default, deserialize_with = "or_default")]
    pub requester: Requester,
    /// The entity it changes.
    #[serde(default, deserialize_with = "or_default")]
    pub entity_id: String,
    /// The approval deciding it (`ap-...`), the id to give
    /// [`PolicyApprovals::decide`](crate::api::policy_approvals::PolicyApprovals::decide).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_id: Option<String>,
    /// When it was made.
    #[serde(default, deserialize_with = "or_default")]
    pub date_created: Timestamp,
    /// When it was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_resolved: Option<Timestamp>,
    /// The entity as it will be once the change is applied; `None` when Dfns sent none.
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub body: Option<T>,
}

/// The absent value of a field of a generic type (serde's plain `default` would ask `T:
/// Default`).
fn none<T>() -> Option<T> {
    None
}

impl<T> ChangeRequest<T> {
    /// The change request's id (`cr-...`).
    pub fn change_request_id(&self) -> &str {
        &self.id
    }

    /// The id of the approval that decides this change (`ap-...`): the one to approve or deny
    /// with [`PolicyApprovals::decide`](crate::api::policy_approvals::PolicyApprovals::decide). `None` when Dfns did not name it.
    pub fn approval_id(&self) -> Option<&str> {
        self.approval_id.as_deref()
    }
}

/// Who initiated a change request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Requester {
    /// The user.
    #[serde(default, deserialize_with = "or_default")]
    pub user_id: String,
    /// The token it used, if a token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
    /// The application, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
}

/// The first `limit` bytes of a body as text, with the string values of secret-bearing JSON
/// fields replaced, for errors and logs.
pub(crate) fn excerpt(body: &[u8], limit: usize) -> String {
    let mut text = String::from_utf8_lossy(&body[..floor_char_boundary(body, limit)]).into_owned();
    for field in SECRET_FIELDS {
        let key = format!("\"{field}\"");
        let mut from = 0;
        while let Some(found) = text[from..].find(&key) {
            let after_key = from + found + key.len();
            from = after_key;
            // `"key"`, optional spaces, `:`, optional spaces, then a string value.
            let Some(after_colon) = text[after_key..].trim_start().strip_prefix(':') else {
                continue;
            };
            let value = after_colon.trim_start();
            if !value.starts_with('"') {
                continue;
            }
            // `value` is a suffix of `text`, so this is where it starts.
            let value_start = text.len() - value.len();
            let value_end = string_end(&text, value_start + 1);
            text.replace_range(value_start + 1..value_end, "** redacted **");
            from = value_start + 1 + "** redacted **".len();
        }
    }
    text
}

/// The index of the closing quote of a JSON string whose content starts at `start` (or the end
/// of the text when it is cut short).
fn string_end(text: &str, start: usize) -> usize {
    let mut escaped = false;
    for (offset, c) in text[start..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return start + offset,
            _ => {}
        }
    }
    text.len()
}

/// The largest index `<= limit` that does not split a UTF-8 sequence in `bytes` (or
/// `bytes.len()`).
pub(crate) fn floor_char_boundary(bytes: &[u8], limit: usize) -> usize {
    if bytes.len() <= limit {
        return bytes.len();
    }
    let mut end = limit;
    // Continuation bytes look like 0b10xxxxxx.
    while end > 0 && (bytes[end] & 0xc0) == 0x80 {
        end -= 1;
    }
    end
}

#[cfg(feature = "fidelity-checks")]
impl crate::fidelity::Sample for AccessToken {
    fn samples() -> Vec<Self> {
        vec![Self::new("sample-secret")]
    }
}
