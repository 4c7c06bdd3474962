//! Entry points for the `cargo fuzz` targets in `fuzz/`, and the cheap property tests of the
//! same functions. Compiled only with `--cfg fuzzing` (which `cargo fuzz` sets) and in this
//! crate's own tests: it is not part of the API.
//!
//! Each `check_*` function runs one crate-private piece on arbitrary input and panics if an
//! invariant breaks; a panic is what the fuzzer reports.

use std::fmt::Debug;

use serde::de::DeserializeOwned;

use crate::classify::{self, Answer};
use crate::der::{Pkcs8, Sec1, Spki};
use crate::error::Error;
use crate::signing::{KeySigner, PublicKey};

/// Classifies a non-success answer as [`Client::send`](crate::Client::send) does: `status`, the
/// `Retry-After` header value (if any) and the body.
pub fn classify(status: u16, retry_after: Option<&str>, body: &[u8]) -> Error {
    classify::classify(Answer {
        status,
        request_id: Some("req-fuzz".to_owned()),
        retry_after: retry_after.and_then(classify::parse_retry_after),
        body,
    })
}

/// [`classify`], then the invariants every classified answer keeps: the status is reported as
/// received and decides the variant, the kept body is bounded, the wait is at most a day, a
/// documented reason is one whose message the answer carries, and it formats.
pub fn check_classify(status: u16, retry_after: Option<&str>, body: &[u8]) {
    let error = classify(status, retry_after, body);
    assert_eq!(error.status(), Some(status), "{error:?}");
    let api = error
        .api_error()
        .expect("every classified answer is an API error");
    assert_eq!(api.status(), status);
    // 8 KiB of the body are kept, as lossy UTF-8: each invalid byte becomes 3 bytes of U+FFFD.
    assert!(
        api.body().len() <= 3 * 8 * 1024,
        "kept {} bytes",
        api.body().len()
    );
    assert_eq!(api.request_id(), Some("req-fuzz"));
    if let Some(wait) = error.retry_after() {
        assert!(wait.as_secs() <= 86_400, "{wait:?}");
    }
    let class = match status {
        400 => error.is_bad_request(),
        401 => error.is_unauthenticated(),
        402 => matches!(error, Error::PaymentRequired(_)),
        403 => error.is_permission_denied(),
        404 => error.is_not_found(),
        409 => error.is_conflict(),
        429 => error.is_rate_limited(),
        500..=599 => error.is_server_error(),
        _ => matches!(error, Error::UnexpectedStatus(_)),
    };
    assert!(class, "status {status} classified as {error:?}");
    if let Some(reason) = api.reason() {
        let said = api.message().to_ascii_lowercase();
        assert!(
            reason == crate::ErrorReason::ExternalIdReused
                || said.contains(&reason.message().trim_end_matches('.').to_ascii_lowercase()),
            "{reason:?} from {:?}",
            api.message()
        );
    }
    let _ = error.is_retryable();
    let _ = (error.to_string(), format!("{error:?}"));
}

/// Decodes a success body into `T` as [`Client::send`](crate::Client::send) does, then checks
/// that a failure is a [`Error::Decode`] for that status whose excerpt is bounded, and that the
/// result formats.
pub fn check_decode<T: DeserializeOwned + Debug>(status: u16, body: &[u8]) -> Option<T> {
    match classify::decode::<T>(status, body) {
        Ok(value) => {
            let _ = format!("{value:?}");
            Some(value)
        }
        Err(error) => {
            let Error::Decode(decode) = &error else {
                panic!("decode failed with {error:?}")
            };
            assert_eq!(decode.status(), status);
            assert!(!decode.problem().is_empty());
            let excerpt = decode.excerpt();
            // 512 bytes of body, each at worst a 3-byte replacement character, plus at most
            // one redaction marker per 10 bytes (`"token":""`).
            let bound = 3 * 512 + (512 / 10 + 1) * "** redacted **".len();
            assert!(excerpt.len() <= bound, "{}", excerpt.len());
            let _ = (error.to_string(), format!("{error:?}"));
            None
        }
    }
}

/// Runs every DER reader of the key containers on `der` and returns how many accepted it.
pub fn der(der: &[u8]) -> usize {
    let mut accepted = 0;
    if let Some(pkcs8) = Pkcs8::parse(der) {
        accepted += 1;
        let _ = Sec1::parse(pkcs8.private_key);
        let _ = crate::der::rsa_modulus_bits(pkcs8.private_key);
    }
    accepted += usize::from(Sec1::parse(der).is_some());
    accepted += usize::from(Spki::parse(der).is_some());
    accepted += usize::from(crate::der::rsa_modulus_bits(der).is_some());
    accepted
}

/// Loads `text` as a private and as a public key, and `bytes` as a DER public key. An
/// accepted key round-trips through its PEM and (private keys) signs what its public key
/// verifies; a refused one gets an error that quotes none of the input's base64.
pub fn check_keys(text: &str, bytes: &[u8]) {
    der(bytes);
    match KeySigner::from_pem("cr-fuzz", text) {
        Ok(signer) => {
            let public = signer.public_key();
            assert_eq!(PublicKey::from_pem(&public.to_pem()).as_ref(), Ok(&public));
            let signature = signer.sign(b"fuzz").expect("a loaded key signs");
            assert!(public.verify(b"fuzz", &signature));
        }
        Err(error) => assert_quotes_no_key_material(text, &error),
    }
    match PublicKey::from_pem(text) {
        Ok(public) => assert_round_trips(&public),
        Err(error) => assert_quotes_no_key_material(text, &error),
    }
    if let Ok(public) = PublicKey::from_spki_der(bytes) {
        assert_round_trips(&public);
    }
}

fn assert_round_trips(public: &PublicKey) {
    assert_eq!(
        PublicKey::from_spki_der(&public.to_spki_der()).as_ref(),
        Ok(public)
    );
    assert_eq!(PublicKey::from_pem(&public.to_pem()).as_ref(), Ok(public));
}

/// Panics if the error's `Display` or `Debug` holds 16 characters in a row of a base64 run of
/// the input (key material). Only windows that mix lowercase letters with digits or `+`/`/`
/// count, so that words and labels (and the variant names `Debug` shows) are not mistaken for
/// key material.
pub fn assert_quotes_no_key_material(input: &str, error: &dyn ErrorText) {
    const WINDOW: usize = 16;
    let texts = [error.display(), error.debug()];
    let is_base64 = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/';
    let keyish = |window: &[u8]| {
        window.iter().any(u8::is_ascii_lowercase)
            && window
                .iter()
                .any(|&b| b.is_ascii_digit() || b == b'+' || b == b'/')
    };
    for run in input.split(|c: char| !is_base64(c)) {
        for window in run.as_bytes().windows(WINDOW).filter(|w| keyish(w)) {
            // A run of ASCII base64 characters: every window is valid UTF-8.
            let window = std::str::from_utf8(window).unwrap_or_default();
            for text in &texts {
                assert!(!text.contains(window), "{text:?} quotes {window:?}");
            }
        }
    }
}

/// An error's `Display` and `Debug` text.
pub trait ErrorText {
    /// `to_string()`.
    fn display(&self) -> String;
    /// `format!("{:?}")`.
    fn debug(&self) -> String;
}

impl<E: std::fmt::Display + Debug> ErrorText for E {
    fn display(&self) -> String {
        self.to_string()
    }
    fn debug(&self) -> String {
        format!("{self:?}")
    }
}

/// The secret of the webhook the `webhook` target verifies with.
const FUZZ_WEBHOOK_SECRET: &str = "whs_fuzz-0123456789abcdef";

/// A webhook delivery: `input` is the signature header up to the first `\n` (no header when
/// there is none), then the body. Verifying never panics and refuses what is not signed with
/// the secret; the same body signed by the verifier is never refused for its signature, in any
/// of the header forms it accepts; every accepted event gets a clean two-phase run through
/// [`SeenEvents`](crate::webhook::SeenEvents).
pub fn check_webhook(input: &[u8]) {
    use crate::webhook::{Begin, SeenEvents, Verifier, WebhookError};
    let verifier = match Verifier::new(FUZZ_WEBHOOK_SECRET) {
        Ok(verifier) => verifier,
        Err(error) => panic!("the fuzz secret is refused: {error}"),
    };
    let (header, body) = match input.iter().position(|&b| b == b'\n') {
        Some(at) => (std::str::from_utf8(&input[..at]).ok(), &input[at + 1..]),
        None => (None, input),
    };
    let now = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_796_083_200);
    let signed = verifier.sign(body);
    for header in [
        header.map(str::to_owned),
        Some(signed.clone()),
        Some(format!(" SHA256={} ", &signed["sha256=".len()..])),
        Some(format!("sha256={},{signed}", "0".repeat(64))),
    ] {
        let is_ours = header.as_deref().is_some_and(|h| h.contains(&signed[7..]));
        match verifier.verify(header.as_deref(), body, now) {
            Ok(event) => {
                assert!(
                    is_ours || header.as_deref().is_some_and(|h| h.len() >= 71),
                    "accepted without a signature"
                );
                let mut seen = SeenEvents::new(4);
                assert_eq!(seen.begin(&event, now), Begin::New);
                assert_ne!(seen.begin(&event, now), Begin::New);
                seen.forget(&event);
                assert_eq!(seen.begin(&event, now), Begin::New);
                seen.commit(&event, now);
                assert_eq!(seen.begin(&event, now), Begin::Done);
            }
            Err(
                WebhookError::MissingSignature
                | WebhookError::MalformedSignature
                | WebhookError::BadSignature,
            ) if is_ours => panic!("our own signature was refused: {header:?}"),
            Err(error) => {
                assert!(!error.to_string().contains(FUZZ_WEBHOOK_SECRET));
            }
        }
    }
}

/// A request built from arbitrary parts: `input` split at `\0` into the path template, the
/// ids, and a final query value. A built request never lets an id change the path's shape: the
/// path is the template with each placeholder replaced by one encoded segment (no `/`, `?`,
/// `#`, `%`-less escape or space of the id survives), and a query value never shows in the
/// request's `Debug`.
pub fn check_request(input: &[u8]) {
    let text = String::from_utf8_lossy(input);
    let mut parts = text.split('\0');
    let template = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let (ids, value) = match rest.split_last() {
        Some((value, ids)) => (ids, *value),
        None => (&[][..], ""),
    };
    let Ok(request) = crate::Request::<()>::new(crate::Method::Get, template, ids) else {
        return;
    };
    let path = request.path().to_owned();
    assert!(path.starts_with('/') && !path.starts_with("//"), "{path}");
    assert!(
        !path.contains(['?', '#', ' ']) && path.is_ascii(),
        "{template:?} {ids:?} gave {path}"
    );
    // Each id is one segment: the path has as many `/` as the template outside its
    // placeholders.
    let mut outside = 0;
    let mut in_placeholder = false;
    for c in template.chars() {
        match c {
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            '/' if !in_placeholder => outside += 1,
            _ => {}
        }
    }
    assert_eq!(
        path.matches('/').count(),
        outside,
        "{template:?} {ids:?} gave {path}"
    );
    for id in ids {
        assert!(!["", ".", ".."].contains(id), "{id:?} was taken");
    }
    // The query's value never shows: the `Debug` is the one without a query, with the name.
    let without = format!("{request:?}");
    let request = request.query("paginationToken", value);
    assert_eq!(request.path(), path);
    assert_eq!(
        format!("{request:?}"),
        without.replacen("query: \"\"", "query: \"?paginationToken\"", 1)
    );
}

/// A base URL from arbitrary text: accepted ones are `https`, or `http` to this machine, with
/// no credentials, query, fragment or space; refused ones never echo credentials.
pub fn check_base_url(input: &[u8]) {
    let text = String::from_utf8_lossy(input);
    match crate::client::validate_base_url(&text) {
        Ok(url) => {
            let (scheme, rest) = url.split_once("://").unwrap_or_default();
            let authority = rest.split('/').next().unwrap_or_default();
            assert!(
                !authority.contains('@') && !url.contains(['?', '#', ' ']),
                "{url}"
            );
            match scheme {
                "https" => {}
                "http" => {
                    let host = match authority.strip_prefix('[') {
                        Some(v6) => v6.split(']').next().unwrap_or_default(),
                        None => authority.split(':').next().unwrap_or_default(),
                    };
                    assert!(crate::client::is_loopback(host), "{url}");
                }
                _ => panic!("accepted {url}"),
            }
        }
        Err(error) => {
            // What may be credentials: before the last `@` ahead of the path.
            let start = text.find("://").map_or(0, |at| at + 3);
            let end = text[start..]
                .find(['/', '?', '#'])
                .map_or(text.len(), |at| start + at);
            if let Some(at) = text[..end].rfind('@') {
                let (userinfo, kept) = if at >= start {
                    (&text[start..at], [&text[..start], &text[at..]].concat())
                } else {
                    (&text[..at], text[at..].to_owned())
                };
                // Only the quoted URL is looked at (the message's own words could match), and
                // a userinfo that also occurs in what is kept proves nothing.
                let message = error.to_string();
                let quoted = message
                    .split_once('"')
                    .and_then(|(_, rest)| rest.rsplit_once('"'))
                    .map_or("", |(quoted, _)| quoted);
                let plain = userinfo
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b));
                if plain && userinfo.len() >= 8 && !kept.contains(userinfo) {
                    assert!(!quoted.contains(userinfo), "{message}");
                }
            }
        }
    }
}

/// Certificates from arbitrary PEM text: never a panic, and a refusal is an error.
pub fn check_tls_roots(input: &[u8]) {
    let text = String::from_utf8_lossy(input);
    if let Err(error) = crate::TlsRoots::from_pem(&text) {
        assert!(matches!(error, Error::InvalidConfig { .. }), "{error:?}");
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use proptest::prelude::*;

    use super::*;
    use crate::ApiError;
    use crate::api::pats::PersonalAccessToken;
    use crate::signing::UserActionChallenge;
    use crate::wire::ChangeRequest;
    use crate::wire::Items;

    /// The documented messages, odd casings of them, and arbitrary text.
    fn message() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("request nonce is missing or invalid".to_owned()),
            Just("User account has been deactivated.".to_owned()),
            Just("NOT AUTHORIZED".to_owned()),
            Just(" Challenge token is not valid. ".to_owned()),
            Just("CustomerEmployee us-1 is not authorized to perform operation (A:B)".to_owned()),
            Just(" is not authorized to perform operation (".to_owned()),
            any::<String>(),
        ]
    }

    /// Error bodies of every generation, JSON of the wrong shape, and arbitrary bytes.
    fn error_body() -> impl Strategy<Value = Vec<u8>> {
        let json = prop_oneof![
            (message(), any::<Option<i64>>(), any::<String>()).prop_map(|(m, id, name)| {
                serde_json::json!({"error": {"id": id, "message": m, "errorName": name,
                    "details": {"duplicate": {"id": "x", "externalId": 1}}}})
            }),
            message().prop_map(|m| serde_json::json!({"error": m})),
            message().prop_map(|m| serde_json::json!({"message": m, "error": null})),
            any::<String>().prop_map(|s| serde_json::json!([s, {"error": 5}])),
        ];
        prop_oneof![
            json.prop_map(|value| value.to_string().into_bytes()),
            prop::collection::vec(any::<u8>(), 0..200),
            // A large body, cut in the middle of a multi-byte character past the 8 KiB kept.
            (0usize..4).prop_map(|pad| {
                let mut body = vec![b'a'; 8 * 1024 - pad];
                body.extend("ü€😀".repeat(4).as_bytes());
                body
            }),
        ]
    }

    /// Seconds in every form, HTTP dates of any year, and arbitrary text.
    fn retry_after() -> impl Strategy<Value = Option<String>> {
        prop::option::of(prop_oneof![
            any::<f64>().prop_map(|s| s.to_string()),
            any::<u64>().prop_map(|s| s.to_string()),
            (any::<i64>(), 0u32..40, 0u64..100).prop_map(|(year, day, hour)| format!(
                "Sun, {day:02} Nov {year} {hour:02}:49:37 GMT"
            )),
            any::<String>(),
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn classification_never_panics_and_keeps_the_status(
            status in prop_oneof![any::<u16>(), 400u16..600],
            retry_after in retry_after(),
            body in error_body(),
        ) {
            check_classify(status, retry_after.as_deref(), &body);
        }

        #[test]
        fn undocumented_messages_are_classified_by_status(
            status in prop_oneof![
                Just(400u16), Just(401), Just(402), Just(403), Just(404), Just(409), Just(429),
                500u16..600, 300u16..400, 405u16..409,
            ],
            message in "[a-z][a-z ]{0,20}x",
            seconds in 0u64..100_000,
        ) {
            let body = serde_json::json!({"error": {"message": message}}).to_string();
            let error = classify(status, Some(&seconds.to_string()), body.as_bytes());
            prop_assert_eq!(error.status(), Some(status));
            prop_assert_eq!(error.api_error().map(|e| e.message()), Some(message.as_str()));
            let expected = match status {
                400 => matches!(error, Error::BadRequest(_)),
                401 => matches!(error, Error::Unauthenticated(_)),
                402 => matches!(error, Error::PaymentRequired(_)),
                403 => matches!(&error, Error::PermissionDenied(e) if e.permission().is_none()),
                404 => matches!(error, Error::NotFound(_)),
                409 => matches!(&error, Error::Conflict(e) if e.duplicate().is_none()),
                429 => error.retry_after().map(|wait| wait.as_secs()) == Some(seconds.min(86_400)),
                500..=599 => matches!(error, Error::ServerError(_)),
                _ => matches!(error, Error::UnexpectedStatus(_)),
            };
            prop_assert!(expected, "{} -> {:?}", status, error);
        }

        #[test]
        fn decoding_never_panics(body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300),
            any::<String>().prop_map(String::into_bytes),
            arbitrary_json(3).prop_map(|value| value.to_string().into_bytes()),
        ]) {
            check_decode::<PersonalAccessToken>(200, &body);
            check_decode::<Items<PersonalAccessToken>>(200, &body);
            check_decode::<crate::Page<PersonalAccessToken>>(200, &body);
            check_decode::<UserActionChallenge>(200, &body);
            check_decode::<ChangeRequest>(202, &body);
        }

        #[test]
        fn decode_errors_name_the_path_and_never_quote_a_value(
            value in "[A-Za-z0-9]{12,30}",
            shape in 0usize..3,
        ) {
            let (body, path) = match shape {
                0 => (serde_json::json!({"tokenId": "to-1", "isActive": value}), "isActive"),
                1 => (serde_json::json!({"tokenId": "to-1", "permissionAssignments": value}),
                    "permissionAssignments"),
                _ => (serde_json::json!({"tokenId": "to-1",
                    "permissionAssignments": [{}, {"operations": value}]}),
                    "permissionAssignments[1].operations"),
            };
            let body = body.to_string();
            let error = classify::decode::<PersonalAccessToken>(200, body.as_bytes())
                .expect_err("a string where another type goes");
            let Error::Decode(decode) = &error else {
                panic!("{error:?}");
            };
            prop_assert_eq!(decode.path(), path);
            prop_assert!(decode.expected().is_some(), "{}", error);
            prop_assert!(!error.to_string().contains(value.as_str()), "{}", error);
        }

        #[test]
        fn decoding_never_copies_an_access_token_into_an_error_or_debug(
            secret in "[A-Za-z0-9_-]{16,40}",
            shape in 0usize..4,
            cut in any::<prop::sample::Index>(),
        ) {
            let mut pat = serde_json::json!({"tokenId": "to-1", "name": "n", "isActive": true,
                "linkedUserId": "us-1", "linkedAppId": "ap-1", "orgId": "or-1",
                "credId": "cr-1", "publicKey": "pk", "dateCreated": "d",
                "permissionAssignments": [], "accessToken": secret});
            match shape {
                0 => {}
                1 => pat["isActive"] = "yes".into(),
                2 => pat = serde_json::json!({"items": pat}),
                _ => pat = serde_json::json!({"accessToken": secret, "isActive": [1]}),
            }
            let text = pat.to_string();
            let body = &text.as_bytes()[..=cut.index(text.len())];
            let leaked = |shown: &str| secret.as_bytes().windows(8).any(|w| {
                shown.contains(std::str::from_utf8(w).unwrap_or_default())
            });
            match classify::decode::<PersonalAccessToken>(200, body) {
                Ok(token) => {
                    let shown = format!("{token:?}");
                    prop_assert!(!leaked(&shown), "{}", shown);
                }
                Err(error) => {
                    prop_assert!(!leaked(&error.to_string()), "{}", error);
                    prop_assert!(!leaked(&format!("{error:?}")), "{:?}", error);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// For every secret-bearing field name, a marker value never shows in the `Display` or
        /// `Debug` of an error made from a body that holds it (decode errors of a success,
        /// classified error answers), nor in the `Debug` of a public type that holds it.
        #[test]
        fn no_secret_field_value_reaches_an_error_or_a_debug(
            field in prop::sample::select(crate::wire::SECRET_FIELDS),
            marker in "MARK[A-Za-z0-9]{12}",
            depth in 0usize..4,
            status in prop::sample::select(vec![200u16, 202, 400, 401, 403, 404, 409, 429, 500, 502]),
            spaced in any::<bool>(),
        ) {
            let mut value = serde_json::json!({ field: marker.clone(), "tokenId": 5 });
            for _ in 0..depth {
                value = serde_json::json!({ "items": [value], "note": "x" });
            }
            let mut text = value.to_string();
            if spaced {
                text = text.replace(':', " : ");
            }
            let body = text.as_bytes();
            let error = match status {
                200 => classify::decode::<PersonalAccessToken>(200, body).err(),
                202 => classify::decode::<ChangeRequest>(202, b"[").err(),
                _ => Some(classify(status, None, body)),
            };
            if let Some(error) = error {
                let shown = format!("{error}\n{error:?}");
                prop_assert!(!shown.contains(&marker), "{}: {}", field, shown);
            }

            // The public types that can hold one.
            let challenge: UserActionChallenge = serde_json::from_value(serde_json::json!({
                "challenge": "c", "challengeIdentifier": marker,
                "allowCredentials": {"key": [{"id": "cr-1", "type": "public-key",
                    "encryptedPrivateKey": marker}], "passwordProtectedKey": [{"id": "cr-2",
                    "type": "public-key", "encryptedPrivateKey": marker}]},
            })).unwrap();
            let request = crate::Request::<serde_json::Value>::fixed(crate::Method::Post, "/x")
                .unwrap()
                .json(&value)
                .unwrap()
                .query("paginationToken", &marker)
                .signed();
            let assertion = crate::signing::CredentialAssertion::key("cr-1", b"{}", b"sig");
            let registration: crate::api::registration::RegistrationChallenge =
                serde_json::from_value(serde_json::json!({
                    "challenge": "c", "temporaryAuthenticationToken": marker, "otpUrl": marker,
                })).unwrap();
            let debugs = [
                format!("{challenge:?}"),
                format!("{request:?}"),
                format!("{:?}", crate::signing::CreateUserActionChallenge::for_request(&request)),
                format!("{:?}", crate::signing::CompleteUserAction::new(&challenge, &assertion)),
                format!("{registration:?}"),
            ];
            // The bodies whose `[secret]` fields hold one.
            let m = || marker.clone();
            let credential = crate::api::credentials::NewCredential::key(
                crate::signing::KeyAttestation::key("cr-1", b"{}", "PEM", b"sig"),
            )
            .encrypted_private_key(m());
            let bodies = [
                format!("{:?}", crate::api::login::CompleteLogin::new(m(), assertion.clone())),
                format!("{:?}", crate::api::login::CreateLoginChallenge::new("or-1").login_code(m())),
                format!("{:?}", crate::api::login::SocialLogin::oidc(m())),
                format!("{:?}", crate::api::login::SsoLogin::new(m(), "state")),
                format!("{:?}", crate::api::credentials::CreateCredential::new(m(), credential)),
                format!("{:?}", crate::api::registration::CreateRegistrationChallenge::new("or-1", "u", m())),
                format!("{:?}", crate::api::exchanges::ExchangeCredentials::new("pub", m()).password(m()).otp(m())),
                format!("{:?}", crate::api::networks::OAuth2::new("d", "c", m(), "a")),
            ];
            for shown in debugs.into_iter().chain(bodies) {
                prop_assert!(!shown.contains(&marker), "{}: {}", field, shown);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

        /// The fuzz targets added for what faces the outside, over random and shaped inputs.
        #[test]
        fn outside_facing_checks_hold(
            bytes in prop::collection::vec(any::<u8>(), 0..512),
            template in prop::sample::select(vec!["/a/{id}", "/a/{}/b/{}", "/{x}", "/a/{", "a/{}", "/a"]),
            ids in prop::collection::vec("[ -~]{0,12}", 0..3),
            value in "[ -~]{0,20}",
            scheme in prop::sample::select(vec!["http", "https", "HTTP", "ftp", ""]),
            host in prop::sample::select(vec!["localhost", "a.localhost", "127.0.0.1", "[::1]", "localhost.evil.com", "api.dfns.io", "user:pass-word@127.0.0.1", "10.0.0.1"]),
            tail in "[ -~]{0,12}",
            header in "[ -~]{0,80}",
            json in any::<bool>(),
        ) {
            let mut request = template.as_bytes().to_vec();
            for id in &ids {
                request.push(0);
                request.extend(id.as_bytes());
            }
            request.push(0);
            request.extend(value.as_bytes());
            check_request(&request);
            check_request(&bytes);
            check_base_url(format!("{scheme}://{host}{tail}").as_bytes());
            check_base_url(&bytes);
            let body = if json {
                format!(r#"{{"id":"whe-1","kind":"wallet.created","data":{{}},"timestampSent":1796083200{tail}}}"#).into_bytes()
            } else {
                bytes.clone()
            };
            let mut delivery = header.into_bytes();
            delivery.push(b'\n');
            delivery.extend(&body);
            check_webhook(&delivery);
            check_webhook(&bytes);
            let mut pem = b"-----BEGIN CERTIFICATE-----\n".to_vec();
            pem.extend(&bytes);
            check_tls_roots(&pem);
            check_tls_roots(&bytes);
        }
    }

    #[test]
    fn a_refused_base_url_never_echoes_its_credentials() {
        let error = crate::Client::builder()
            .base_url("http://user:hunter2-secret@api.example.com/")
            .build()
            .unwrap_err();
        assert!(!error.to_string().contains("hunter2"), "{error}");
        // Found by the `base_url` fuzz target: without a scheme, the whole URL was echoed.
        for url in [
            "user:hunter2-secret@api.dfns.io",
            "x@y://user:hunter2-secret@h",
        ] {
            let error = crate::Client::builder().base_url(url).build().unwrap_err();
            assert!(!error.to_string().contains("hunter2"), "{error}");
        }
        let builder = crate::Client::builder().base_url("https://user:hunter2-secret@api.dfns.io");
        assert!(!format!("{builder:?}").contains("hunter2"));
    }

    /// Found by `classification_never_panics_and_keeps_the_status`: an HTTP date with a huge
    /// year in `Retry-After` overflowed (and panicked adding to `UNIX_EPOCH`, even in release).
    #[test]
    fn absurd_retry_after_dates_are_ignored() {
        for date in [
            "Sun, 01 Nov 292277026597 00:49:37 GMT",
            "Sun, 01 Nov 9223372036854775807 00:00:00 GMT",
        ] {
            let error = classify(429, Some(date), b"{}");
            assert!(matches!(error, Error::RateLimited(_)), "{error:?}");
            assert_eq!(error.retry_after(), None);
        }
    }

    /// The fuzzer's second crash was the check's mistake too: 8 KiB of invalid UTF-8 is kept as
    /// up to 24 KiB of replacement characters.
    #[test]
    fn invalid_utf8_bodies_are_kept_as_at_most_8_kib_of_input() {
        let mut body = vec![0xff; 10_000];
        body[..3].copy_from_slice(b"<p>");
        check_classify(502, None, &body);
        let error = classify(502, None, &body);
        let kept = error.api_error().map(ApiError::body).unwrap_or_default();
        assert_eq!(kept.chars().count(), 8 * 1024);
        assert!(kept.starts_with("<p>\u{fffd}"));
    }

    /// The fuzzer's first crash was the check's own mistake: base64 holding the variant name
    /// that `Debug` shows (`MissingPublicKey`) counted as quoted key material.
    #[test]
    fn variant_names_in_the_input_are_not_key_material() {
        check_keys(
            "-----BEGIN EC PRIVATE KEY-----\nMFcCAQEEINrTNx8OlMrN+GrmDkcVD9tatCPWBoHUv2Ybkej9CSy1OAoGCCqGSM98\n\
             AwEHoAQDrmDkQc79Kd9b74GbiGF1f+77TE23fDZMissingPublicKey=\n-----END EC PRIVATE KEY-----\n",
            b"",
        );
    }

    fn arbitrary_json(depth: u32) -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(Into::into),
            any::<i64>().prop_map(Into::into),
            any::<f64>().prop_map(Into::into),
            prop_oneof![
                Just("tokenId".to_owned()),
                Just("key".to_owned()),
                any::<String>()
            ]
            .prop_map(Into::into),
        ];
        leaf.prop_recursive(depth, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Into::into),
                prop::collection::vec((field_name(), inner), 0..6)
                    .prop_map(|fields| serde_json::Value::Object(fields.into_iter().collect())),
            ]
        })
    }

    fn field_name() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "tokenId",
            "name",
            "isActive",
            "kind",
            "items",
            "nextPageToken",
            "challenge",
            "challengeIdentifier",
            "allowCredentials",
            "key",
            "webauthn",
            "id",
            "type",
            "supportedCredentialKinds",
            "factor",
            "status",
            "permissionAssignments",
            "operations",
            "accessToken",
            "rp",
            "body",
        ])
        .prop_map(str::to_owned)
    }

    /// Real keys of every supported and several refused kinds (see tests/keys/README.md).
    const FIXTURES: [&str; 11] = [
        include_str!("../tests/keys/ed25519-pkcs8.pem"),
        include_str!("../tests/keys/p256-pkcs8.pem"),
        include_str!("../tests/keys/p256-sec1.pem"),
        include_str!("../tests/keys/p256-sec1-with-params.pem"),
        include_str!("../tests/keys/rsa2048-pkcs1.pem"),
        include_str!("../tests/keys/rsa2048-pkcs8.pem"),
        include_str!("../tests/keys/p384-sec1.pem"),
        include_str!("../tests/keys/ed448-pkcs8.pem"),
        include_str!("../tests/keys/p256-pkcs8.pub.pem"),
        include_str!("../tests/keys/rsa2048-pkcs1.rsapub.pem"),
        include_str!("../tests/keys/encrypted-pkcs8.pem"),
    ];

    #[derive(Debug, Clone)]
    enum Mutation {
        Set(prop::sample::Index, u8),
        Remove(prop::sample::Index),
        Insert(prop::sample::Index, u8),
        Truncate(prop::sample::Index),
    }

    fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
        let one = prop_oneof![
            (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
            any::<prop::sample::Index>().prop_map(Mutation::Remove),
            (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
            any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        ];
        prop::collection::vec(one, 1..4)
    }

    fn mutate(bytes: &mut Vec<u8>, mutations: &[Mutation]) {
        for mutation in mutations {
            if bytes.is_empty() {
                return;
            }
            match mutation {
                Mutation::Set(at, byte) => {
                    let at = at.index(bytes.len());
                    bytes[at] = *byte;
                }
                Mutation::Remove(at) => {
                    bytes.remove(at.index(bytes.len()));
                }
                Mutation::Insert(at, byte) => bytes.insert(at.index(bytes.len()), *byte),
                Mutation::Truncate(at) => bytes.truncate(at.index(bytes.len())),
            }
        }
    }

    /// The label and DER of a PEM fixture.
    fn unarmour(pem: &str) -> (&str, Vec<u8>) {
        let label = pem
            .lines()
            .find_map(|line| line.strip_prefix("-----BEGIN "))
            .and_then(|rest| rest.strip_suffix("-----"))
            .unwrap_or_default();
        let base64: String = pem
            .lines()
            .filter(|line| !line.starts_with("-----") && !line.contains(':'))
            .collect();
        (label, STANDARD.decode(base64.trim()).unwrap_or_default())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn mutated_key_der_never_panics_nor_quotes_the_key(
            fixture in prop::sample::select(&FIXTURES[..]),
            mutations in mutations(),
        ) {
            let (label, mut der) = unarmour(fixture);
            mutate(&mut der, &mutations);
            let pem = format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", STANDARD.encode(&der));
            check_keys(&pem, &der);
        }

        #[test]
        fn mutated_key_text_never_panics_nor_quotes_the_key(
            fixture in prop::sample::select(&FIXTURES[..]),
            mutations in mutations(),
        ) {
            let mut text = fixture.as_bytes().to_vec();
            mutate(&mut text, &mutations);
            check_keys(&String::from_utf8_lossy(&text), &text);
        }

        #[test]
        fn random_key_input_never_panics(
            bytes in prop::collection::vec(any::<u8>(), 0..400),
            text in any::<String>(),
        ) {
            check_keys(&text, &bytes);
            check_keys(&format!("-----BEGIN PRIVATE KEY-----\n{text}\n-----END PRIVATE KEY-----"), &bytes);
            check_keys(&format!("-----BEGIN RSA PUBLIC KEY-----\n{text}\n-----END RSA PUBLIC KEY-----"), &bytes);
        }
    }
}
