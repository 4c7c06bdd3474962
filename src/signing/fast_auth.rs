//! Fast Auth: a signed call in one request. The client makes the user action challenge itself
//! (time, a random nonce, the host, method, path with query, a hash of the body and the token's
//! scope), has a `Key` credential sign it, and sends the assertion as `X-DFNS-USERACTION`; the
//! `/auth/action/init` and `/auth/action` round trips of the three-step flow are skipped.
//!
//! **Experimental.** Dfns has not documented Fast Auth; this follows the unreleased code of
//! Dfns's TypeScript client (its `createFastAuthHeader`) byte for byte, and may change when Dfns
//! releases it.
//!
//! The challenge is the base64url (no padding) of this JSON object, keys in this order:
//!
//! ```text
//! {"timestamp":"<ms since 1970>","nonce":"<base64url of 16 random bytes>","host":"<host, lower case, no port>",
//!  "method":"<method>","path":"<path and query as sent>","payloadHash":"<base64url SHA-256 of the body>",
//!  "orgId":"<id>" | "tenantId":"<id>"}
//! ```
//!
//! A request without a body hashes zero bytes (`47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU`),
//! as the TypeScript client does. The credential signs the usual `Key` client data
//! `{"type":"key.get","challenge":"<challenge>"}`, and the header is the base64url of the
//! assertion `{"kind":"Key","credentialAssertion":{"credId","clientData","signature"[,"algorithm"]}}`.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use ring::rand::SecureRandom;
use serde::Serialize;

use super::{
    AllowCredentials, AllowedCredential, CredentialKind, CredentialSigner, SignError,
    SupportedCredentialKind, UserActionChallenge, UserActionToken,
};
use crate::Method;

/// The JWT claim that carries a Dfns token's org or tenant.
const SCOPE_CLAIM: &str = "https://custom/app_metadata";

/// The longest org or tenant id a Fast Auth challenge carries.
const MAX_SCOPE_ID_LEN: usize = 50;

/// base64url that accepts padding or none, as the JWT payloads of other issuers come.
const URL_SAFE_ANY_PAD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// What a Dfns auth token is scoped to: one org or one tenant. A Fast Auth challenge names it.
///
/// Fast Auth (signed calls in one request, the client making the challenge) is experimental: it
/// follows unreleased code of Dfns's TypeScript client and may change with Dfns's release.
///
/// ```
/// use dfns_blocking::signing::TokenScope;
///
/// // A JWT whose payload is {"https://custom/app_metadata":{"orgId":"or-test"}}.
/// let token = "header.eyJodHRwczovL2N1c3RvbS9hcHBfbWV0YWRhdGEiOnsib3JnSWQiOiJvci10ZXN0In19.signature";
/// assert_eq!(TokenScope::from_token(token)?, TokenScope::Org("or-test".into()));
/// # Ok::<(), dfns_blocking::signing::FastAuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenScope {
    /// `orgId`: a token of an org's user or service account.
    Org(String),
    /// `tenantId`: a tenant-level token.
    Tenant(String),
}

impl TokenScope {
    /// Reads the scope from the payload of a Dfns JWT (claim `https://custom/app_metadata`):
    /// exactly one of `orgId` and `tenantId`, an id of 1 to 50 characters from `A-Z a-z 0-9 _ -`.
    ///
    /// The token's signature is not checked: the server does that; the scope only goes into the
    /// challenge, which the server compares with the token it verified.
    pub fn from_token(token: &str) -> Result<Self, FastAuthError> {
        let payload = token.split('.').nth(1).ok_or(FastAuthError::NotAJwt)?;
        let payload = URL_SAFE_ANY_PAD
            .decode(payload)
            .map_err(|_| FastAuthError::NotAJwt)?;
        let payload: serde_json::Value =
            serde_json::from_slice(&payload).map_err(|_| FastAuthError::NotAJwt)?;
        let claim = payload.get(SCOPE_CLAIM);
        let org = claim.and_then(|claim| claim.get("orgId"));
        let tenant = claim.and_then(|claim| claim.get("tenantId"));
        let valid = |id: &serde_json::Value| {
            id.as_str()
                .filter(|id| is_scope_id(id))
                .map(str::to_owned)
                .ok_or(FastAuthError::InvalidScopeId)
        };
        match (org, tenant) {
            (Some(org), None) => valid(org).map(Self::Org),
            (None, Some(tenant)) => valid(tenant).map(Self::Tenant),
            (Some(_), Some(_)) => Err(FastAuthError::AmbiguousScope),
            (None, None) => Err(FastAuthError::MissingScope),
        }
    }

    /// The org or tenant id.
    pub fn id(&self) -> &str {
        match self {
            Self::Org(id) | Self::Tenant(id) => id,
        }
    }

    /// Refuses a token scoped elsewhere than the org the client was configured for.
    pub fn check_org(&self, configured_org: &str) -> Result<(), FastAuthError> {
        match self {
            Self::Org(id) if id == configured_org => Ok(()),
            _ => Err(FastAuthError::OrgMismatch {
                configured: configured_org.to_owned(),
            }),
        }
    }
}

/// `^[A-Za-z0-9_-]{1,50}$`
fn is_scope_id(id: &str) -> bool {
    (1..=MAX_SCOPE_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Why a Fast Auth header could not be made. Each is found before anything is sent.
///
/// Fast Auth is experimental: it follows unreleased code of Dfns's TypeScript client and may
/// change with Dfns's release.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FastAuthError {
    /// The call has no bearer token, or one that is not a single `Bearer <token>` without
    /// spaces: Fast Auth reads the org or tenant from the token sent.
    #[error("Fast Auth requires one bearer authorization token")]
    NoBearerToken,
    /// The auth token has no base64url JSON payload (it is not a JWT).
    #[error(
        "Fast Auth requires a bearer token scoped to exactly one org or tenant: the auth token is not a JWT with a JSON payload"
    )]
    NotAJwt,
    /// The token's payload names neither an org nor a tenant.
    #[error(
        "Fast Auth requires a bearer token scoped to exactly one org or tenant: the token has no orgId or tenantId in its https://custom/app_metadata claim"
    )]
    MissingScope,
    /// The token's payload names both an org and a tenant.
    #[error(
        "Fast Auth requires a bearer token scoped to exactly one org or tenant: the token has both an orgId and a tenantId"
    )]
    AmbiguousScope,
    /// The token's org or tenant id is not 1 to 50 characters of `A-Z a-z 0-9 _ -`.
    #[error(
        "Fast Auth requires a bearer token scoped to exactly one org or tenant: the token's org or tenant id is not 1 to 50 characters of A-Z, a-z, 0-9, _ and -"
    )]
    InvalidScopeId,
    /// The client was configured for an org the token is not scoped to.
    #[error("the auth token is not scoped to the configured org ID {configured}")]
    OrgMismatch {
        /// The org id the client was configured with.
        configured: String,
    },
    /// The signer is not a `Key` credential (or answered with another kind of assertion);
    /// Fast Auth takes `Key` assertions only.
    #[error("Fast Auth requires a Key credential, and this signer answers as {kind}")]
    NotAKeyCredential {
        /// The kind the signer declared or answered with.
        kind: CredentialKind,
    },
    /// The signer failed.
    #[error("the signer failed to sign the Fast Auth challenge: {0}")]
    Sign(#[from] SignError),
    /// The system's random number generator failed to give the nonce.
    #[error("the system random number generator failed to produce a Fast Auth nonce")]
    Random,
    /// The system clock is set before 1970.
    #[error("the system clock is before 1970, so a Fast Auth challenge has no valid timestamp")]
    Clock,
}

/// The request a Fast Auth challenge describes, exactly as it is sent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FastAuthRequest<'a> {
    /// The HTTP method.
    pub(crate) method: Method,
    /// The path and query as on the request line, e.g. `/wallets?limit=10`.
    pub(crate) path_and_query: &'a str,
    /// The exact body bytes sent; empty when there is no body.
    pub(crate) body: &'a [u8],
    /// The base URL's host name (see [`host_of`]).
    pub(crate) host: &'a str,
    /// The bearer token's scope.
    pub(crate) scope: &'a TokenScope,
}

/// The `X-DFNS-USERACTION` value for `request`: a challenge with the time `now` and a nonce from
/// `rng`, signed by `signer`, which must be a `Key` credential.
///
/// Every call makes a new nonce, so a retried request gets a new challenge.
pub(crate) fn user_action_header(
    request: &FastAuthRequest<'_>,
    signer: &dyn CredentialSigner,
    now: SystemTime,
    rng: &dyn SecureRandom,
) -> Result<UserActionToken, FastAuthError> {
    let timestamp = now
        .duration_since(UNIX_EPOCH)
        .map_err(|_| FastAuthError::Clock)?
        .as_millis();
    let mut nonce = [0u8; 16];
    rng.fill(&mut nonce).map_err(|_| FastAuthError::Random)?;
    signed_header(request, signer, timestamp, &nonce)
}

/// [`user_action_header`] with the timestamp and nonce given.
fn signed_header(
    request: &FastAuthRequest<'_>,
    signer: &dyn CredentialSigner,
    timestamp_ms: u128,
    nonce: &[u8; 16],
) -> Result<UserActionToken, FastAuthError> {
    let kind = signer.credential_kind();
    if kind != CredentialKind::Key {
        return Err(FastAuthError::NotAKeyCredential { kind });
    }
    let challenge = challenge(request, timestamp_ms, nonce);
    let assertion = signer.sign(&key_challenge(challenge, signer.credential_id()))?;
    if assertion.kind != CredentialKind::Key {
        return Err(FastAuthError::NotAKeyCredential {
            kind: assertion.kind,
        });
    }
    // Serializing an assertion (strings only) cannot fail.
    let json = serde_json::to_string(&assertion).unwrap_or_default();
    Ok(UserActionToken::new(URL_SAFE_NO_PAD.encode(json)))
}

/// The encoded Fast Auth challenge: base64url, no padding, of the JSON object described in the
/// module documentation.
fn challenge(request: &FastAuthRequest<'_>, timestamp_ms: u128, nonce: &[u8; 16]) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Challenge<'a> {
        timestamp: String,
        nonce: String,
        host: String,
        method: &'a str,
        path: &'a str,
        payload_hash: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        org_id: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tenant_id: Option<&'a str>,
    }
    let (org_id, tenant_id) = match request.scope {
        TokenScope::Org(id) => (Some(id.as_str()), None),
        TokenScope::Tenant(id) => (None, Some(id.as_str())),
    };
    let payload_hash = ring::digest::digest(&ring::digest::SHA256, request.body);
    let challenge = Challenge {
        timestamp: timestamp_ms.to_string(),
        nonce: URL_SAFE_NO_PAD.encode(nonce),
        host: request.host.to_ascii_lowercase(),
        method: request.method.as_str(),
        path: request.path_and_query,
        payload_hash: URL_SAFE_NO_PAD.encode(payload_hash),
        org_id,
        tenant_id,
    };
    // Serializing a struct of strings cannot fail.
    URL_SAFE_NO_PAD.encode(serde_json::to_string(&challenge).unwrap_or_default())
}

/// A challenge as the three-step flow would receive it, so that any [`CredentialSigner`]
/// answers a Fast Auth challenge the way it answers Dfns's: only this credential is allowed.
fn key_challenge(challenge: String, credential_id: &str) -> UserActionChallenge {
    UserActionChallenge {
        challenge,
        challenge_identifier: String::new(),
        allow_credentials: AllowCredentials {
            key: vec![AllowedCredential {
                id: credential_id.to_owned(),
                kind: "public-key".to_owned(),
                encrypted_private_key: None,
            }],
            ..AllowCredentials::default()
        },
        supported_credential_kinds: vec![SupportedCredentialKind {
            kind: CredentialKind::Key,
            factor: "first".to_owned(),
            requires_second_factor: false,
        }],
        user_verification: None,
        attestation: None,
        external_authentication_url: None,
        rp: None,
    }
}

/// The host name of a base URL as a Fast Auth challenge names it: lower case, without port,
/// user info or path (`https://API.dfns.io:443/v1` gives `api.dfns.io`; an IPv6 host keeps
/// its brackets). `None` when the URL has no `scheme://host`.
pub(crate) fn host_of(base_url: &str) -> Option<String> {
    let (_, rest) = base_url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if host_port.starts_with('[') {
        &host_port[..=host_port.find(']')?]
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::{CredentialAssertion, KeySigner};

    /// The Ed25519 key of the `KeySigner` example: its signatures are deterministic, so whole
    /// headers can be compared byte for byte.
    const ED25519_PEM: &str = "-----BEGIN PRIVATE KEY-----\n\
        MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH\n\
        -----END PRIVATE KEY-----\n";

    // Vectors computed with Node.js 20 by the expressions of Dfns's TypeScript client
    // (`createFastAuthHeader`): `JSON.stringify({timestamp: String(ts), nonce, host:
    // url.hostname.toLowerCase(), method, path: url.pathname + url.search, payloadHash, ...scope})`,
    // base64url; the Ed25519 signature by `crypto.sign(null, clientData, key)`.
    const POST_JSON: &str = r#"{"timestamp":"1765000000123","nonce":"AAECAwQFBgcICQoLDA0ODw","host":"api.dfns.io","method":"POST","path":"/wallets?b=%2f&a=x+y&a=x%20y","payloadHash":"GdB60cTqiU9wd2e-VPk1Yj0kilvqnSgj30f3PGSZ3WM","orgId":"or-test"}"#;
    const POST_CHALLENGE: &str = "eyJ0aW1lc3RhbXAiOiIxNzY1MDAwMDAwMTIzIiwibm9uY2UiOiJBQUVDQXdRRkJnY0lDUW9MREEwT0R3IiwiaG9zdCI6ImFwaS5kZm5zLmlvIiwibWV0aG9kIjoiUE9TVCIsInBhdGgiOiIvd2FsbGV0cz9iPSUyZiZhPXgreSZhPXglMjB5IiwicGF5bG9hZEhhc2giOiJHZEI2MGNUcWlVOXdkMmUtVlBrMVlqMGtpbHZxblNnajMwZjNQR1NaM1dNIiwib3JnSWQiOiJvci10ZXN0In0";
    const POST_HEADER: &str = "eyJraW5kIjoiS2V5IiwiY3JlZGVudGlhbEFzc2VydGlvbiI6eyJjcmVkSWQiOiJjci10ZXN0IiwiY2xpZW50RGF0YSI6ImV5SjBlWEJsSWpvaWEyVjVMbWRsZENJc0ltTm9ZV3hzWlc1blpTSTZJbVY1U2pCaFZ6RnNZek5TYUdKWVFXbFBhVWw0VG5wWk1VMUVRWGROUkVGM1RWUkpla2xwZDJsaWJUbDFXVEpWYVU5cFNrSlJWVlpFVVZoa1VsSnJTbTVaTUd4RVZWYzVUVkpGUlhkVU1GSXpTV2wzYVdGSE9YcGtRMGsyU1cxR2QyRlROV3RhYlRWNlRHMXNka2xwZDJsaVYxWXdZVWM1YTBscWIybFZSVGxVVmtOSmMwbHVRbWhrUjJkcFQybEpkbVF5Um5OaVIxWXdZM281YVZCVFZYbGFhVnBvVUZobmNtVlRXbWhRV0dkc1RXcENOVWxwZDJsalIwWTFZa2M1YUZwRmFHaGpNbWRwVDJsS1NGcEZTVEpOUjA1VlkxZHNWazlZWkd0TmJWVjBWbXhDY2sxV2JIRk5SM1J3WWtoYWVHSnNUbTVoYWsxM1dtcE9VVkl4VG1GTk1XUk9TV2wzYVdJelNtNVRWMUZwVDJsS2RtTnBNVEJhV0U0d1NXNHdJbjAiLCJzaWduYXR1cmUiOiJYYjhwR3F2b2tzemViVmNkbXZOQmgyTnRIYWktZUI3eXVvejRNbDlDUURwXzBidTVneTVsWHJQMTJVNnYzY1hxbmNVVGw2ZmdBelMxaTl1LTlCemRBQSJ9fQ";
    const DELETE_JSON: &str = r#"{"timestamp":"1765000000000","nonce":"_____________________w","host":"127.0.0.1","method":"DELETE","path":"/wallets/wa-test","payloadHash":"47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU","tenantId":"te-test"}"#;
    const DELETE_HEADER: &str = "eyJraW5kIjoiS2V5IiwiY3JlZGVudGlhbEFzc2VydGlvbiI6eyJjcmVkSWQiOiJjci10ZXN0IiwiY2xpZW50RGF0YSI6ImV5SjBlWEJsSWpvaWEyVjVMbWRsZENJc0ltTm9ZV3hzWlc1blpTSTZJbVY1U2pCaFZ6RnNZek5TYUdKWVFXbFBhVWw0VG5wWk1VMUVRWGROUkVGM1RVUkJkMGxwZDJsaWJUbDFXVEpWYVU5cFNtWllNVGxtV0RFNVpsZ3hPV1pZTVRsbVdERTVabGd4T1daWU1Ua3pTV2wzYVdGSE9YcGtRMGsyU1dwRmVVNTVOSGRNYWtGMVRWTkpjMGx0TVd4a1IyaDJXa05KTmtsclVrWlVSVlpWVWxOSmMwbHVRbWhrUjJkcFQybEpkbVF5Um5OaVIxWXdZM2s1TTFsVE1UQmFXRTR3U1dsM2FXTkhSalZpUnpsb1drVm9hR015WjJsUGFVa3dUakJTUmxWWVFuRlBSV2hEVlRKRmRGZ3hVa3BpVm1OMFRsVndSRnBZVmxKYVZrcHlZbFJXVDFSWVFrdFdNWEJJVFRKb1ZHUlZXbFpKYVhkcFpFZFdkVmxYTlRCVFYxRnBUMmxLTUZwVE1UQmFXRTR3U1c0d0luMCIsInNpZ25hdHVyZSI6IndMZnd1eF9CdTI3ZkhnaGxORlp3Um9WUk5oSHJaaFUtdHc1aDhEcFlOOXladTJLZjk1WFVqQmZsUktqV3E0UXJpRXJaSjA3WWRBcHNrR0lwbjRnV0JnIn19";

    // The tokens of the TypeScript client's Fast Auth tests (`tokenFor(scope)`).
    const ORG_TOKEN: &str =
        "header.eyJodHRwczovL2N1c3RvbS9hcHBfbWV0YWRhdGEiOnsib3JnSWQiOiJvci10ZXN0In19.signature";
    const TENANT_TOKEN: &str =
        "header.eyJodHRwczovL2N1c3RvbS9hcHBfbWV0YWRhdGEiOnsidGVuYW50SWQiOiJ0ZS10ZXN0In19.signature";
    const BOTH_TOKEN: &str = "header.eyJodHRwczovL2N1c3RvbS9hcHBfbWV0YWRhdGEiOnsib3JnSWQiOiJvci10ZXN0IiwidGVuYW50SWQiOiJ0ZS10ZXN0In19.signature";
    const EMPTY_SCOPE_TOKEN: &str =
        "header.eyJodHRwczovL2N1c3RvbS9hcHBfbWV0YWRhdGEiOnt9fQ.signature";

    fn decode(text: &str) -> String {
        String::from_utf8(URL_SAFE_NO_PAD.decode(text).unwrap()).unwrap()
    }

    fn token_with(payload: &str) -> String {
        format!("h.{}.s", URL_SAFE_NO_PAD.encode(payload))
    }

    fn post_request(scope: &TokenScope) -> FastAuthRequest<'_> {
        FastAuthRequest {
            method: Method::Post,
            path_and_query: "/wallets?b=%2f&a=x+y&a=x%20y",
            body: r#"{"network":"EthereumSepolia","name":"é 🚀"}"#.as_bytes(),
            host: "API.Dfns.io",
            scope,
        }
    }

    fn counting_nonce() -> [u8; 16] {
        std::array::from_fn(|i| i as u8)
    }

    #[test]
    fn the_challenge_matches_the_typescript_client_byte_for_byte() {
        let scope = TokenScope::Org("or-test".into());
        let encoded = challenge(&post_request(&scope), 1_765_000_000_123, &counting_nonce());
        assert_eq!(encoded, POST_CHALLENGE);
        assert_eq!(decode(&encoded), POST_JSON);

        let scope = TokenScope::Tenant("te-test".into());
        let delete = FastAuthRequest {
            method: Method::Delete,
            path_and_query: "/wallets/wa-test",
            body: b"",
            host: "127.0.0.1",
            scope: &scope,
        };
        let encoded = challenge(&delete, 1_765_000_000_000, &[0xff; 16]);
        assert_eq!(decode(&encoded), DELETE_JSON);
    }

    #[test]
    fn the_header_matches_the_typescript_client_byte_for_byte() {
        let signer = KeySigner::from_pem("cr-test", ED25519_PEM).unwrap();
        let scope = TokenScope::Org("or-test".into());
        let header = signed_header(
            &post_request(&scope),
            &signer,
            1_765_000_000_123,
            &counting_nonce(),
        )
        .unwrap();
        assert_eq!(header.as_str(), POST_HEADER);

        let scope = TokenScope::Tenant("te-test".into());
        let delete = FastAuthRequest {
            method: Method::Delete,
            path_and_query: "/wallets/wa-test",
            body: b"",
            host: "127.0.0.1",
            scope: &scope,
        };
        let header = signed_header(&delete, &signer, 1_765_000_000_000, &[0xff; 16]).unwrap();
        assert_eq!(header.as_str(), DELETE_HEADER);
    }

    #[test]
    fn the_header_is_a_key_assertion_over_the_key_client_data_that_verifies() {
        let signer = KeySigner::from_pem("cr-test", ED25519_PEM).unwrap();
        let scope = TokenScope::Org("or-test".into());
        let rng = ring::rand::SystemRandom::new();
        let now = UNIX_EPOCH + std::time::Duration::from_millis(1_765_000_000_123);
        let header = user_action_header(&post_request(&scope), &signer, now, &rng).unwrap();
        let json = decode(header.as_str());
        let start = r#"{"kind":"Key","credentialAssertion":{"credId":"cr-test","clientData":""#;
        assert!(json.starts_with(start), "{json}");
        let assertion: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(assertion["kind"], "Key");
        let inner = &assertion["credentialAssertion"];
        assert_eq!(inner["credId"], "cr-test");
        assert!(
            inner.get("algorithm").is_none(),
            "Ed25519 names no algorithm"
        );
        let client_data = decode(inner["clientData"].as_str().unwrap());
        let challenge: serde_json::Value = {
            let parsed: serde_json::Value = serde_json::from_str(&client_data).unwrap();
            assert_eq!(
                client_data,
                crate::signing::key_client_data(parsed["challenge"].as_str().unwrap())
            );
            serde_json::from_str(&decode(parsed["challenge"].as_str().unwrap())).unwrap()
        };
        assert_eq!(challenge["timestamp"], "1765000000123");
        assert_eq!(challenge["host"], "api.dfns.io");
        // 16 random bytes: 22 base64url characters, the last one of `AQgw`.
        let nonce = challenge["nonce"].as_str().unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(nonce).unwrap().len(), 16);
        let signature = URL_SAFE_NO_PAD
            .decode(inner["signature"].as_str().unwrap())
            .unwrap();
        assert!(
            signer
                .public_key()
                .verify(client_data.as_bytes(), &signature)
        );
    }

    #[test]
    fn every_header_has_a_new_nonce() {
        let signer = KeySigner::from_pem("cr-test", ED25519_PEM).unwrap();
        let scope = TokenScope::Org("or-test".into());
        let rng = ring::rand::SystemRandom::new();
        let now = SystemTime::now();
        let first = user_action_header(&post_request(&scope), &signer, now, &rng).unwrap();
        let second = user_action_header(&post_request(&scope), &signer, now, &rng).unwrap();
        assert_ne!(first, second);
    }

    #[test]
    fn the_scope_is_read_from_the_token_as_the_typescript_client_reads_it() {
        assert_eq!(
            TokenScope::from_token(ORG_TOKEN).unwrap(),
            TokenScope::Org("or-test".into())
        );
        assert_eq!(
            TokenScope::from_token(TENANT_TOKEN).unwrap(),
            TokenScope::Tenant("te-test".into())
        );
        assert!(matches!(
            TokenScope::from_token(BOTH_TOKEN),
            Err(FastAuthError::AmbiguousScope)
        ));
        assert!(matches!(
            TokenScope::from_token(EMPTY_SCOPE_TOKEN),
            Err(FastAuthError::MissingScope)
        ));
        for not_a_jwt in ["not-a-jwt", "", "a.!!!.c", "a.bm90IGpzb24.c"] {
            assert!(
                matches!(
                    TokenScope::from_token(not_a_jwt),
                    Err(FastAuthError::NotAJwt)
                ),
                "{not_a_jwt}"
            );
        }
        // A padded payload reads like an unpadded one.
        let payload = r#"{"https://custom/app_metadata":{"orgId":"or-12"}}"#;
        let padded = format!(
            "h.{}.s",
            base64::engine::general_purpose::URL_SAFE.encode(payload)
        );
        assert!(padded.contains("=."));
        assert_eq!(
            TokenScope::from_token(&padded).unwrap(),
            TokenScope::Org("or-12".into())
        );
    }

    #[test]
    fn scope_ids_must_be_short_url_safe_strings_and_alone() {
        let invalid = [
            r#"{"https://custom/app_metadata":{"orgId":"or test"}}"#.to_owned(),
            r#"{"https://custom/app_metadata":{"orgId":""}}"#.to_owned(),
            r#"{"https://custom/app_metadata":{"orgId":42}}"#.to_owned(),
            r#"{"https://custom/app_metadata":{"tenantId":"te/../x"}}"#.to_owned(),
            format!(
                r#"{{"https://custom/app_metadata":{{"orgId":"{}"}}}}"#,
                "a".repeat(51)
            ),
        ];
        for payload in &invalid {
            assert!(
                matches!(
                    TokenScope::from_token(&token_with(payload)),
                    Err(FastAuthError::InvalidScopeId)
                ),
                "{payload}"
            );
        }
        let fifty = format!(
            r#"{{"https://custom/app_metadata":{{"orgId":"{}"}}}}"#,
            "a".repeat(50)
        );
        assert_eq!(
            TokenScope::from_token(&token_with(&fifty)).unwrap().id(),
            "a".repeat(50)
        );
        // A null tenantId is still a tenantId: ambiguous, as `=== undefined` fails on null.
        let null_tenant = r#"{"https://custom/app_metadata":{"orgId":"or-1","tenantId":null}}"#;
        assert!(matches!(
            TokenScope::from_token(&token_with(null_tenant)),
            Err(FastAuthError::AmbiguousScope)
        ));
        let no_claim = r#"{"sub":"us-1"}"#;
        assert!(matches!(
            TokenScope::from_token(&token_with(no_claim)),
            Err(FastAuthError::MissingScope)
        ));
    }

    #[test]
    fn a_configured_org_must_be_the_tokens() {
        let org = TokenScope::Org("or-test".into());
        assert!(org.check_org("or-test").is_ok());
        let error = org.check_org("or-other").unwrap_err();
        assert!(
            matches!(&error, FastAuthError::OrgMismatch { configured } if configured == "or-other")
        );
        assert!(error.to_string().contains("or-other"));
        assert!(
            TokenScope::Tenant("or-test".into())
                .check_org("or-test")
                .is_err()
        );
    }

    /// A signer that declares one kind, answers with another, and counts its signatures.
    struct Device {
        declared: CredentialKind,
        answers: CredentialKind,
        signed: std::sync::atomic::AtomicUsize,
    }

    impl CredentialSigner for Device {
        fn credential_id(&self) -> &str {
            "cr-device"
        }
        fn credential_kind(&self) -> CredentialKind {
            self.declared.clone()
        }
        fn sign(&self, challenge: &UserActionChallenge) -> Result<CredentialAssertion, SignError> {
            self.signed
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            assert!(
                challenge
                    .allow_credentials
                    .allows(&CredentialKind::Key, "cr-device")
            );
            let mut assertion = CredentialAssertion::key("cr-device", b"{}", b"sig");
            assertion.kind = self.answers.clone();
            Ok(assertion)
        }
    }

    #[test]
    fn only_key_credentials_make_fast_auth_headers() {
        let scope = TokenScope::Org("or-test".into());
        let passkey = Device {
            declared: CredentialKind::Fido2,
            answers: CredentialKind::Fido2,
            signed: 0.into(),
        };
        let refused = signed_header(&post_request(&scope), &passkey, 1, &[0; 16]);
        assert!(matches!(
            refused,
            Err(FastAuthError::NotAKeyCredential {
                kind: CredentialKind::Fido2
            })
        ));
        assert_eq!(passkey.signed.into_inner(), 0, "refused before signing");

        let impostor = Device {
            declared: CredentialKind::Key,
            answers: CredentialKind::PasswordProtectedKey,
            signed: 0.into(),
        };
        let refused = signed_header(&post_request(&scope), &impostor, 1, &[0; 16]);
        assert!(matches!(
            refused,
            Err(FastAuthError::NotAKeyCredential {
                kind: CredentialKind::PasswordProtectedKey
            })
        ));
    }

    #[test]
    fn signer_failures_and_a_clock_before_1970_are_typed_errors() {
        struct Broken;
        impl CredentialSigner for Broken {
            fn credential_id(&self) -> &str {
                "cr"
            }
            fn sign(&self, _: &UserActionChallenge) -> Result<CredentialAssertion, SignError> {
                Err(SignError::new("HSM offline"))
            }
        }
        let scope = TokenScope::Org("or-test".into());
        let rng = ring::rand::SystemRandom::new();
        let failed = user_action_header(&post_request(&scope), &Broken, SystemTime::now(), &rng);
        assert!(matches!(&failed, Err(FastAuthError::Sign(e)) if e.to_string() == "HSM offline"));
        let before_1970 = UNIX_EPOCH - std::time::Duration::from_secs(1);
        let signer = KeySigner::from_pem("cr-test", ED25519_PEM).unwrap();
        let failed = user_action_header(&post_request(&scope), &signer, before_1970, &rng);
        assert!(matches!(failed, Err(FastAuthError::Clock)));
    }

    #[test]
    fn the_host_is_the_base_urls_host_name_in_lower_case_without_port() {
        let cases = [
            ("https://api.dfns.io", Some("api.dfns.io")),
            ("https://API.UAE.Dfns.io:443/", Some("api.uae.dfns.io")),
            ("http://127.0.0.1:40123", Some("127.0.0.1")),
            (
                "http://user:pw@Example.com:8080/prefix?x#y",
                Some("example.com"),
            ),
            ("http://[::1]:8080/", Some("[::1]")),
            ("https://proxy.internal/dfns/v1", Some("proxy.internal")),
            ("api.dfns.io", None),
            ("https://", None),
            ("http://[::1", None),
        ];
        for (url, host) in cases {
            assert_eq!(host_of(url).as_deref(), host, "{url}");
        }
    }

    #[test]
    fn errors_are_send_and_sync_and_say_what_to_do() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<FastAuthError>();
        assert!(
            FastAuthError::AmbiguousScope
                .to_string()
                .contains("exactly one org or tenant")
        );
    }
}
