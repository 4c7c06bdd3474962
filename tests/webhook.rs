//! Webhook deliveries: signatures computed by OpenSSL (tests/data/webhook-vectors.sh) verify;
//! anything altered, unsigned, stale or from the future is refused with its own error.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dfns_blocking::webhook::{EventKind, SeenEvents, Verifier, WebhookError};
use proptest::prelude::*;

/// The vectors' `timestampSent`.
const SENT: u64 = 1_796_083_200;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// `(secret, body, signature header)` made by OpenSSL.
fn vectors() -> Vec<(String, String, String)> {
    include_str!("data/webhook-vectors.tsv")
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            (
                cells[0].to_owned(),
                cells[1].to_owned(),
                cells[2].to_owned(),
            )
        })
        .collect()
}

#[test]
fn signatures_made_by_openssl_verify_and_match_ours() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 4);
    for (secret, body, header) in &vectors {
        let verifier = Verifier::new(secret);
        let event = verifier
            .verify(Some(header), body.as_bytes(), at(SENT + 10))
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_eq!(event.timestamp_sent, SENT);
        assert_eq!(&verifier.sign(body.as_bytes()), header);
        // Upper-case hex is the same signature.
        let upper = format!("sha256={}", header["sha256=".len()..].to_uppercase());
        assert!(
            verifier
                .verify(Some(&upper), body.as_bytes(), at(SENT))
                .is_ok()
        );
    }
    let (secret, body, header) = &vectors[2];
    let event = Verifier::new(secret)
        .verify(Some(header), body.as_bytes(), at(SENT))
        .unwrap();
    assert_eq!(event.kind, EventKind::WalletTransferConfirmed);
    assert_eq!(event.data["amount"], "1000000000000000000");
    assert_eq!(event.original_id(), "whe-1");
    assert_eq!(event.delivery_attempt, Some(2));
}

#[test]
fn each_refusal_has_its_own_error() {
    let (secret, body, header) = vectors().remove(0);
    let verifier = Verifier::new(&secret);
    let body = body.as_bytes();
    let refused = |signature: Option<&str>, body: &[u8], now: u64| {
        verifier
            .verify(signature, body, at(now))
            .expect_err("refused")
    };
    assert_eq!(refused(None, body, SENT), WebhookError::MissingSignature);
    for malformed in [
        "",
        "sha256=",
        "sha1=00",
        &header[7..],
        &header[..header.len() - 1],
        &format!("{header}0"),
        &format!("sha256={}", "zz".repeat(32)),
        "sha256=é",
    ] {
        assert_eq!(
            refused(Some(malformed), body, SENT),
            WebhookError::MalformedSignature,
            "{malformed:?}"
        );
    }
    let other_key = Verifier::new("not the secret").sign(body);
    assert_eq!(
        refused(Some(&other_key), body, SENT),
        WebhookError::BadSignature
    );
    let mut altered = body.to_vec();
    altered[10] ^= 1;
    assert_eq!(
        refused(Some(&header), &altered, SENT),
        WebhookError::BadSignature
    );
    // Fresh up to the tolerance, refused at it, either way.
    assert!(verifier.verify(Some(&header), body, at(SENT + 299)).is_ok());
    assert!(verifier.verify(Some(&header), body, at(SENT - 299)).is_ok());
    assert_eq!(
        refused(Some(&header), body, SENT + 300),
        WebhookError::Stale {
            age_secs: 300,
            tolerance_secs: 300
        }
    );
    assert_eq!(
        refused(Some(&header), body, SENT - 300),
        WebhookError::FromTheFuture {
            ahead_secs: 300,
            tolerance_secs: 300
        }
    );
    let strict = verifier.clone().tolerance(Duration::from_secs(30));
    assert!(matches!(
        strict.verify(Some(&header), body, at(SENT + 30)),
        Err(WebhookError::Stale { .. })
    ));
    // A body that is signed but is not an event.
    let not_an_event = br#"{"hello":"world"}"#;
    let signed = verifier.sign(not_an_event);
    assert!(matches!(
        refused(Some(&signed), not_an_event, SENT),
        WebhookError::InvalidBody(_)
    ));
}

#[test]
fn the_secret_never_shows_in_debug_or_errors() {
    let verifier = Verifier::new("whs-very-secret");
    assert!(!format!("{verifier:?}").contains("very-secret"));
    let error = verifier
        .verify(Some("sha256=00"), b"{}", SystemTime::now())
        .unwrap_err();
    assert!(!error.to_string().contains("very-secret"));
}

#[test]
fn a_redelivered_event_is_handled_once() {
    let verifier = Verifier::new("s");
    let mut seen = SeenEvents::new(2);
    let deliver = |body: &str| {
        verifier
            .verify(
                Some(&verifier.sign(body.as_bytes())),
                body.as_bytes(),
                at(SENT),
            )
            .unwrap()
    };
    let first = deliver(
        r#"{"id":"whe-1","kind":"wallet.created","data":{},"timestampSent":1796083200,"deliveryAttempt":1}"#,
    );
    let retry = deliver(
        r#"{"id":"whe-9","kind":"wallet.created","data":{},"timestampSent":1796083200,"deliveryAttempt":2,"retryOf":"whe-1"}"#,
    );
    assert!(seen.first_time(&first));
    assert!(!seen.first_time(&retry));
    assert!(!seen.first_time(&first));
    // Bounded: the oldest ids are forgotten first.
    assert!(seen.first_time_id("whe-2"));
    assert!(seen.first_time_id("whe-3"));
    assert!(seen.first_time(&first));
}

proptest! {
    /// Any change to the body or the signature, or a time outside the window, is refused.
    #[test]
    fn any_alteration_is_refused(
        flip_at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
        sig_at in any::<prop::sample::Index>(),
        offset in 300u64..10_000_000,
        within in 0u64..300,
        future in any::<bool>(),
    ) {
        let (secret, body, header) = vectors().remove(0);
        let verifier = Verifier::new(&secret);
        let body = body.into_bytes();
        let now = |delta: u64| at(if future { SENT - delta } else { SENT + delta });
        prop_assert!(verifier.verify(Some(&header), &body, now(within)).is_ok());

        let mut altered = body.clone();
        altered[flip_at.index(body.len())] ^= flip;
        prop_assert!(verifier.verify(Some(&header), &altered, now(within)).is_err());

        // Change one hex digit of the signature to another.
        let mut signature = header.clone().into_bytes();
        let digit = 7 + sig_at.index(64);
        signature[digit] = if signature[digit] == b'0' { b'1' } else { b'0' };
        let signature = String::from_utf8(signature).unwrap();
        prop_assert_eq!(
            verifier.verify(Some(&signature), &body, now(within)),
            Err(WebhookError::BadSignature)
        );

        prop_assert!(verifier.verify(Some(&header), &body, now(offset)).is_err());
    }
}
