//! Fast Auth: a user action signed by the client's own challenge, verified here as strictly as
//! the three-step flow. A mutation whose `X-DFNS-USERACTION` is not a three-step token (a JWT,
//! with dots) but one base64url string is taken for a Fast Auth assertion (experimental on
//! Dfns's side: it follows the unreleased code of Dfns's TypeScript client).
//!
//! What is checked, in order (each refusal says which, in [`Reason`]):
//! 1. Fast Auth is on for the org (else 403 `{"message":"Fast Auth disabled","details":
//!    {"kind":"FastAuthDisabled"}}`, the body of the TypeScript client's own server double);
//! 2. the header is base64url JSON `{"kind":"Key","credentialAssertion":{credId, clientData,
//!    signature[, algorithm]}}` with `kind` exactly `Key`;
//! 3. `clientData` is base64url JSON `{"type":"key.get","challenge":"<challenge>"}`;
//! 4. the signature over the exact `clientData` bytes verifies with the credential `credId`
//!    names: an active `Key` credential of the token's user (closure);
//! 5. the challenge is base64url JSON with exactly the keys `timestamp`, `nonce`, `host`,
//!    `method`, `path`, `payloadHash` and one of `orgId`/`tenantId`, all strings;
//! 6. `timestamp` is decimal milliseconds (`^[1-9][0-9]{12}$`) within [`WINDOW_MS`] of the
//!    real clock either way (clock skew; the client dates it by the real clock, as it does
//!    its nonces), `nonce` is base64url of exactly 16 bytes;
//! 7. `host` (the `Host` header's name, lower case, no port), `method`, `path` (path and
//!    query as received), `payloadHash` (base64url SHA-256 of the exact body bytes; zero
//!    bytes when there is no body) and the scope equal the request's;
//! 8. the nonce was never accepted before (400 `user action has already been used`); the set
//!    forgets nonces once their timestamp is out of the window, when they could not pass
//!    step 6 anyway.
//!
//! Every other refusal is 403 `user action signature is missing or invalid`. Only when
//! everything passes is the nonce recorded, so a refused request (a wrong path, say) does not
//! burn the nonce of the legitimate one.

use std::collections::{HashMap, VecDeque};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// How far a challenge's timestamp may be from the real clock, either way: 5 s, the window the
/// TypeScript client's own test asserts on. Dfns has not published the server's value.
pub(crate) const WINDOW_MS: u128 = 5_000;

/// The org or tenant the bearer token (already verified) is scoped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    Org(String),
    /// A tenant-level token's: the sandbox hands out org tokens only, the verifier takes both.
    #[cfg_attr(not(test), allow(dead_code))]
    Tenant(String),
}

/// The request as the server received it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReceivedRequest<'a> {
    /// `POST`, `PUT`, `DELETE`, ... as on the request line.
    pub(crate) method: &'a str,
    /// The request target as received: path and query, e.g. `/wallets?limit=1`.
    pub(crate) path_and_query: &'a str,
    /// The exact body bytes; empty when there is none.
    pub(crate) body: &'a [u8],
    /// The host name the server answers for, lower case, without port (`127.0.0.1` for the
    /// sandbox on loopback; compare with the `Host` header's name part if you prefer).
    pub(crate) host: &'a str,
    /// The bearer token's scope.
    pub(crate) scope: &'a Scope,
}

/// What the signature closure answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureCheck {
    /// The credential exists, is a `Key` credential of the token's user, is active, and the
    /// signature verifies.
    Valid,
    /// No such credential for this user (or it is not a `Key` credential, or inactive).
    UnknownCredential,
    /// The credential exists but the signature does not verify.
    Invalid,
}

/// A refusal as Dfns would answer it: status, message and, when there is one, `details.kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) message: &'static str,
    /// `details.kind` (only `FastAuthDisabled` today).
    pub(crate) kind: Option<&'static str>,
    /// Which check failed, for the sandbox's own log and tests; not sent.
    pub(crate) reason: Reason,
}

/// Which check refused the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    Disabled,
    MalformedHeader,
    NotKeyCredential,
    MalformedClientData,
    UnknownCredential,
    BadSignature,
    MalformedChallenge,
    StaleTimestamp,
    MalformedNonce,
    HostMismatch,
    MethodMismatch,
    PathMismatch,
    BodyMismatch,
    ScopeMismatch,
    NonceReused,
}

/// The message Dfns documents for a bad user action signature.
const SIGNATURE_MESSAGE: &str = "user action signature is missing or invalid";

impl Refusal {
    fn signature(reason: Reason) -> Self {
        Self {
            status: 403,
            message: SIGNATURE_MESSAGE,
            kind: None,
            reason,
        }
    }

    fn disabled() -> Self {
        // The TypeScript client's server double answers exactly
        // 403 {"message":"Fast Auth disabled","details":{"kind":"FastAuthDisabled"}}.
        Self {
            status: 403,
            message: "Fast Auth disabled",
            kind: Some("FastAuthDisabled"),
            reason: Reason::Disabled,
        }
    }

    fn reused() -> Self {
        // Dfns's documented message for a replayed user action.
        Self {
            status: 400,
            message: "user action has already been used",
            kind: None,
            reason: Reason::NonceReused,
        }
    }
}

/// What a verified header proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verified {
    /// The credential that signed.
    pub(crate) credential_id: String,
    /// The assertion's `clientData` and `signature`, as sent (for the action log).
    pub(crate) client_data: String,
    pub(crate) signature: String,
}

/// Nonces accepted within the window: a set to look them up, and a queue in the order they
/// were accepted to forget them in that order, so that each call does constant work however
/// many calls a second are made. (Timestamps are not accepted in order, so a nonce can be
/// kept a little past its time behind one that is not due yet: harmless, it cannot pass the
/// freshness check anyway.)
#[derive(Debug, Default)]
pub(crate) struct SeenNonces {
    set: HashMap<String, u128>,
    order: VecDeque<(u128, String)>,
}

impl SeenNonces {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Forgets the nonces due before `now_ms`, oldest first.
    fn forget_before(&mut self, now_ms: u128) {
        while let Some((forget_after, _)) = self.order.front() {
            if *forget_after >= now_ms {
                break;
            }
            if let Some((_, nonce)) = self.order.pop_front() {
                self.set.remove(&nonce);
            }
        }
    }

    fn contains(&self, nonce: &str) -> bool {
        self.set.contains_key(nonce)
    }

    fn insert(&mut self, nonce: &str, forget_after: u128) {
        self.set.insert(nonce.to_owned(), forget_after);
        self.order.push_back((forget_after, nonce.to_owned()));
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

/// Verifies a Fast Auth header for `request`; on success records its nonce in `seen`.
///
/// `check_signature(credential_id, client_data_bytes, signature_bytes, algorithm)` looks the
/// credential up for the token's user and verifies the signature over the exact client data
/// bytes (ECDSA DER / Ed25519 / RSA PKCS#1 v1.5, SHA-256; `algorithm` is the optional hint the
/// client sent, e.g. `SHA256`).
pub(crate) fn verify_fast_auth(
    header: &str,
    request: &ReceivedRequest<'_>,
    enabled: bool,
    now_ms: u128,
    window_ms: u128,
    seen: &mut SeenNonces,
    check_signature: impl FnOnce(&str, &[u8], &[u8], Option<&str>) -> SignatureCheck,
) -> Result<Verified, Refusal> {
    use Reason::*;
    if !enabled {
        return Err(Refusal::disabled());
    }
    let refuse = Refusal::signature;

    // 2. The assertion.
    let assertion = decode_json(header).ok_or(refuse(MalformedHeader))?;
    if assertion.get("kind").and_then(|k| k.as_str()) != Some("Key") {
        return Err(refuse(NotKeyCredential));
    }
    let inner = assertion
        .get("credentialAssertion")
        .and_then(|i| i.as_object())
        .ok_or(refuse(MalformedHeader))?;
    let field = |name: &str| inner.get(name).and_then(|v| v.as_str());
    let credential_id = field("credId").ok_or(refuse(MalformedHeader))?;
    let client_data_b64 = field("clientData").ok_or(refuse(MalformedHeader))?;
    let signature = field("signature")
        .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
        .ok_or(refuse(MalformedHeader))?;
    let algorithm = match inner.get("algorithm") {
        None => None,
        Some(value) => Some(value.as_str().ok_or(refuse(MalformedHeader))?),
    };

    // 3. The client data, byte for byte as signed.
    let client_data = URL_SAFE_NO_PAD
        .decode(client_data_b64)
        .map_err(|_| refuse(MalformedClientData))?;
    let parsed: serde_json::Value =
        serde_json::from_slice(&client_data).map_err(|_| refuse(MalformedClientData))?;
    if parsed.get("type").and_then(|t| t.as_str()) != Some("key.get") {
        return Err(refuse(MalformedClientData));
    }
    let challenge = parsed
        .get("challenge")
        .and_then(|c| c.as_str())
        .ok_or(refuse(MalformedClientData))?;

    // 4. The signature.
    match check_signature(credential_id, &client_data, &signature, algorithm) {
        SignatureCheck::Valid => {}
        SignatureCheck::UnknownCredential => return Err(refuse(UnknownCredential)),
        SignatureCheck::Invalid => return Err(refuse(BadSignature)),
    }

    // 5. The challenge's shape.
    let challenge = decode_json(challenge).ok_or(refuse(MalformedChallenge))?;
    let challenge = challenge.as_object().ok_or(refuse(MalformedChallenge))?;
    const FIXED: [&str; 6] = [
        "timestamp",
        "nonce",
        "host",
        "method",
        "path",
        "payloadHash",
    ];
    let scope_keys = ["orgId", "tenantId"]
        .iter()
        .filter(|k| challenge.contains_key(**k))
        .count();
    if challenge.len() != FIXED.len() + 1
        || scope_keys != 1
        || !FIXED.iter().all(|k| challenge.contains_key(*k))
        || !challenge.values().all(|v| v.is_string())
    {
        return Err(refuse(MalformedChallenge));
    }
    let text = |name: &str| {
        challenge
            .get(name)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    };

    // 6. Freshness and nonce format.
    let timestamp = text("timestamp");
    let fresh = timestamp.len() == 13
        && !timestamp.starts_with('0')
        && timestamp.bytes().all(|b| b.is_ascii_digit())
        && timestamp
            .parse::<u128>()
            .is_ok_and(|ts| ts.abs_diff(now_ms) <= window_ms);
    if !fresh {
        return Err(refuse(StaleTimestamp));
    }
    let nonce = text("nonce");
    if nonce.len() != 22 || URL_SAFE_NO_PAD.decode(nonce).map(|n| n.len()) != Ok(16) {
        return Err(refuse(MalformedNonce));
    }

    // 7. The request it describes.
    if text("host") != request.host.to_ascii_lowercase() {
        return Err(refuse(HostMismatch));
    }
    if text("method") != request.method {
        return Err(refuse(MethodMismatch));
    }
    if text("path") != request.path_and_query {
        return Err(refuse(PathMismatch));
    }
    let body_hash = ring::digest::digest(&ring::digest::SHA256, request.body);
    if text("payloadHash") != URL_SAFE_NO_PAD.encode(body_hash) {
        return Err(refuse(BodyMismatch));
    }
    let scope_matches = match request.scope {
        Scope::Org(id) => challenge.get("orgId").and_then(|v| v.as_str()) == Some(id.as_str()),
        Scope::Tenant(id) => {
            challenge.get("tenantId").and_then(|v| v.as_str()) == Some(id.as_str())
        }
    };
    if !scope_matches {
        return Err(refuse(ScopeMismatch));
    }

    // 8. Never twice.
    seen.forget_before(now_ms);
    if seen.contains(nonce) {
        return Err(Refusal::reused());
    }
    let timestamp: u128 = timestamp.parse().unwrap_or_default();
    seen.insert(nonce, timestamp + window_ms);
    Ok(Verified {
        credential_id: credential_id.to_owned(),
        client_data: client_data_b64.to_owned(),
        signature: field("signature").unwrap_or_default().to_owned(),
    })
}

/// base64url (no padding) of a UTF-8 JSON value.
fn decode_json(text: &str) -> Option<serde_json::Value> {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(text).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::{ED25519, Ed25519KeyPair, KeyPair as _, UnparsedPublicKey};

    /// PKCS#8 of the Ed25519 key `07` * 32 (the `KeySigner` doc example key).
    const ED25519_PKCS8_B64: &str =
        "MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH";

    /// A header made by the TypeScript client's algorithm (Node.js) for POST
    /// https://API.Dfns.io:8443/wallets?b=%2f&a=x+y&a=x%20y, body
    /// {"network":"EthereumSepolia","name":"é 🚀"}, org or-test, timestamp 1765000000123,
    /// nonce bytes 0..16, credential cr-test.
    const HEADER: &str = "eyJraW5kIjoiS2V5IiwiY3JlZGVudGlhbEFzc2VydGlvbiI6eyJjcmVkSWQiOiJjci10ZXN0IiwiY2xpZW50RGF0YSI6ImV5SjBlWEJsSWpvaWEyVjVMbWRsZENJc0ltTm9ZV3hzWlc1blpTSTZJbVY1U2pCaFZ6RnNZek5TYUdKWVFXbFBhVWw0VG5wWk1VMUVRWGROUkVGM1RWUkpla2xwZDJsaWJUbDFXVEpWYVU5cFNrSlJWVlpFVVZoa1VsSnJTbTVaTUd4RVZWYzVUVkpGUlhkVU1GSXpTV2wzYVdGSE9YcGtRMGsyU1cxR2QyRlROV3RhYlRWNlRHMXNka2xwZDJsaVYxWXdZVWM1YTBscWIybFZSVGxVVmtOSmMwbHVRbWhrUjJkcFQybEpkbVF5Um5OaVIxWXdZM281YVZCVFZYbGFhVnBvVUZobmNtVlRXbWhRV0dkc1RXcENOVWxwZDJsalIwWTFZa2M1YUZwRmFHaGpNbWRwVDJsS1NGcEZTVEpOUjA1VlkxZHNWazlZWkd0TmJWVjBWbXhDY2sxV2JIRk5SM1J3WWtoYWVHSnNUbTVoYWsxM1dtcE9VVkl4VG1GTk1XUk9TV2wzYVdJelNtNVRWMUZwVDJsS2RtTnBNVEJhV0U0d1NXNHdJbjAiLCJzaWduYXR1cmUiOiJYYjhwR3F2b2tzemViVmNkbXZOQmgyTnRIYWktZUI3eXVvejRNbDlDUURwXzBidTVneTVsWHJQMTJVNnYzY1hxbmNVVGw2ZmdBelMxaTl1LTlCemRBQSJ9fQ";
    const NOW: u128 = 1_765_000_000_123;

    fn public_key() -> Vec<u8> {
        use base64::engine::general_purpose::STANDARD;
        let der = STANDARD.decode(ED25519_PKCS8_B64).unwrap();
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der).unwrap();
        pair.public_key().as_ref().to_vec()
    }

    fn check(
        header: &str,
        request: &ReceivedRequest<'_>,
        now: u128,
        seen: &mut SeenNonces,
    ) -> Result<Verified, Refusal> {
        let key = public_key();
        verify_fast_auth(
            header,
            request,
            true,
            now,
            WINDOW_MS,
            seen,
            |id, data, sig, _| {
                if id != "cr-test" {
                    return SignatureCheck::UnknownCredential;
                }
                match UnparsedPublicKey::new(&ED25519, &key).verify(data, sig) {
                    Ok(()) => SignatureCheck::Valid,
                    Err(_) => SignatureCheck::Invalid,
                }
            },
        )
    }

    const BODY: &str = r#"{"network":"EthereumSepolia","name":"é 🚀"}"#;

    fn request(scope: &Scope) -> ReceivedRequest<'_> {
        ReceivedRequest {
            method: "POST",
            path_and_query: "/wallets?b=%2f&a=x+y&a=x%20y",
            body: BODY.as_bytes(),
            host: "api.dfns.io",
            scope,
        }
    }

    #[test]
    fn the_typescript_clients_header_verifies_once() {
        let scope = Scope::Org("or-test".into());
        let mut seen = SeenNonces::new();
        let verified = check(HEADER, &request(&scope), NOW + 4_000, &mut seen).unwrap();
        assert_eq!(verified.credential_id, "cr-test");
        let again = check(HEADER, &request(&scope), NOW + 4_001, &mut seen).unwrap_err();
        assert_eq!((again.status, again.reason), (400, Reason::NonceReused));
    }

    #[test]
    fn every_tampered_part_is_refused_and_burns_no_nonce() {
        let scope = Scope::Org("or-test".into());
        let other_scope = Scope::Tenant("or-test".into());
        let mut seen = SeenNonces::new();
        let good = request(&scope);
        let cases = [
            (
                ReceivedRequest {
                    host: "api.uae.dfns.io",
                    ..good
                },
                Reason::HostMismatch,
            ),
            (
                ReceivedRequest {
                    method: "PUT",
                    ..good
                },
                Reason::MethodMismatch,
            ),
            (
                ReceivedRequest {
                    path_and_query: "/wallets",
                    ..good
                },
                Reason::PathMismatch,
            ),
            (
                ReceivedRequest {
                    path_and_query: "/wallets?a=x+y&b=%2f&a=x%20y",
                    ..good
                },
                Reason::PathMismatch,
            ),
            (
                ReceivedRequest {
                    body: b"{}",
                    ..good
                },
                Reason::BodyMismatch,
            ),
            (
                ReceivedRequest {
                    scope: &other_scope,
                    ..good
                },
                Reason::ScopeMismatch,
            ),
        ];
        for (request, reason) in cases {
            let refusal = check(HEADER, &request, NOW, &mut seen).unwrap_err();
            assert_eq!((refusal.status, refusal.reason), (403, reason));
        }
        for now in [NOW + 5_001, NOW - 5_001] {
            let refusal = check(HEADER, &good, now, &mut seen).unwrap_err();
            assert_eq!(refusal.reason, Reason::StaleTimestamp);
        }
        assert!(seen.is_empty());
        check(HEADER, &good, NOW, &mut seen).unwrap();
    }

    #[test]
    fn a_disabled_org_answers_fast_auth_disabled() {
        let scope = Scope::Org("or-test".into());
        let refusal = verify_fast_auth(
            HEADER,
            &request(&scope),
            false,
            NOW,
            5_000,
            &mut SeenNonces::new(),
            |_, _, _, _| SignatureCheck::Valid,
        )
        .unwrap_err();
        assert_eq!(
            (refusal.status, refusal.message, refusal.kind),
            (403, "Fast Auth disabled", Some("FastAuthDisabled"))
        );
    }

    #[test]
    fn forged_signatures_other_kinds_and_garbage_are_refused() {
        let scope = Scope::Org("or-test".into());
        let mut seen = SeenNonces::new();
        let json = String::from_utf8(URL_SAFE_NO_PAD.decode(HEADER).unwrap()).unwrap();
        let forged = json.replace("\"signature\":\"X", "\"signature\":\"Y");
        let other_kind = json.replace("\"kind\":\"Key\"", "\"kind\":\"Fido2\"");
        let other_cred = json.replace("cr-test", "cr-other");
        for (json, reason) in [
            (forged, Reason::BadSignature),
            (other_kind, Reason::NotKeyCredential),
            (other_cred, Reason::UnknownCredential),
        ] {
            let header = URL_SAFE_NO_PAD.encode(json);
            assert_eq!(
                check(&header, &request(&scope), NOW, &mut seen)
                    .unwrap_err()
                    .reason,
                reason
            );
        }
        for garbage in ["", "!!", "e30", "eyJraW5kIjoiS2V5In0", "a.b.c"] {
            let refusal = check(garbage, &request(&scope), NOW, &mut seen).unwrap_err();
            assert_eq!(refusal.message, SIGNATURE_MESSAGE, "{garbage}");
        }
    }
}
