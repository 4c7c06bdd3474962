//! Webhook deliveries: signatures computed by OpenSSL (tests/data/webhook-vectors.sh) verify;
//! anything altered, unsigned, stale or from the future is refused with its own error.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dfns_blocking::webhook::{Begin, EventKind, SeenEvents, Verifier, WebhookError, WebhookEvent};
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
        let verifier = Verifier::new(secret).unwrap();
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
        .unwrap()
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
    let verifier = Verifier::new(&secret).unwrap();
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
    let other_key = Verifier::new("not the secret, though long")
        .unwrap()
        .sign(body);
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
    let verifier = Verifier::new("whs-very-secret-indeed").unwrap();
    assert!(!format!("{verifier:?}").contains("very-secret"));
    let error = verifier
        .verify(Some("sha256=00"), b"{}", SystemTime::now())
        .unwrap_err();
    assert!(!error.to_string().contains("very-secret"));
}

fn deliver(verifier: &Verifier, body: &str) -> WebhookEvent {
    verifier
        .verify(
            Some(&verifier.sign(body.as_bytes())),
            body.as_bytes(),
            at(SENT),
        )
        .unwrap()
}

const FIRST: &str = r#"{"id":"whe-1","kind":"wallet.created","data":{},"timestampSent":1796083200,"deliveryAttempt":1}"#;
const RETRY: &str = r#"{"id":"whe-9","kind":"wallet.created","data":{},"timestampSent":1796083200,"deliveryAttempt":2,"retryOf":"whe-1"}"#;

#[test]
fn a_redelivered_event_is_handled_once_keyed_on_its_first_delivery() {
    let verifier = Verifier::new("whs_Kq3vX9pL2mN7rT4w").unwrap();
    let mut seen = SeenEvents::new(10);
    let (first, retry) = (deliver(&verifier, FIRST), deliver(&verifier, RETRY));
    // A retry has an id of its own: the key is the first delivery's.
    assert_ne!(first.id, retry.id);
    assert_eq!(retry.original_id(), first.id);
    let now = at(SENT);
    assert_eq!(seen.begin(&first, now), Begin::New);
    seen.commit(&first, now);
    assert_eq!(seen.begin(&retry, now), Begin::Done);
    assert_eq!(seen.begin(&first, now), Begin::Done);
}

#[test]
fn a_failed_handling_lets_the_retry_through_and_a_concurrent_copy_waits() {
    let verifier = Verifier::new("whs_Kq3vX9pL2mN7rT4w").unwrap();
    let mut seen = SeenEvents::new(10);
    let (first, retry) = (deliver(&verifier, FIRST), deliver(&verifier, RETRY));
    let now = at(SENT);
    assert_eq!(seen.begin(&first, now), Begin::New);
    // A copy arriving while the first is handled is not acknowledged yet.
    assert_eq!(seen.begin(&retry, now), Begin::InProgress);
    // The handler failed: the event is not lost, Dfns's retry is handled.
    seen.forget(&first);
    assert_eq!(seen.begin(&retry, now), Begin::New);
    seen.commit(&retry, now);
    assert_eq!(seen.begin(&first, now), Begin::Done);
    // A handler that never finished is abandoned after the keep time.
    assert_eq!(seen.begin_id("whe-stuck", now), Begin::New);
    assert_eq!(
        seen.begin_id("whe-stuck", now + Duration::from_secs(60)),
        Begin::InProgress
    );
    assert_eq!(
        seen.begin_id("whe-stuck", now + Duration::from_secs(86_400)),
        Begin::New
    );
}

#[test]
fn ids_are_kept_their_whole_time_in_bounded_memory() {
    let now = at(SENT);
    let mut seen = SeenEvents::new(2).keep(Duration::from_secs(1));
    // Never less than the freshness window, whatever is asked.
    assert_eq!(seen.begin_id("whe-1", now), Begin::New);
    seen.commit_id("whe-1", now);
    assert_eq!(seen.begin_id("whe-2", now), Begin::New);
    seen.commit_id("whe-2", now);
    // Full of ids still within their time: a new event waits rather than evict one.
    assert_eq!(seen.begin_id("whe-3", now), Begin::Full);
    assert_eq!(
        seen.begin_id("whe-1", now + Duration::from_secs(299)),
        Begin::Done
    );
    // Once the window has passed, old ids make room.
    let later = now + Duration::from_secs(300);
    assert_eq!(seen.begin_id("whe-3", later), Begin::New);
    assert_eq!(seen.begin_id("whe-1", later), Begin::New);
}

#[test]
fn empty_and_short_secrets_are_refused() {
    for secret in [
        "",
        "   ",
        "s",
        "whs-secret",
        "0123456789abcde",
        " 0123456789abcde \n",
    ] {
        assert!(
            matches!(Verifier::new(secret), Err(WebhookError::WeakSecret { .. })),
            "{secret:?}"
        );
    }
    assert!(Verifier::new("0123456789abcdef").is_ok());
    let error = Verifier::new("short-secret").unwrap_err();
    assert!(!error.to_string().contains("short-secret"), "{error}");
}

#[test]
fn header_variants_are_decided() {
    let verifier = Verifier::new("whs_Kq3vX9pL2mN7rT4w").unwrap();
    let other = Verifier::new("another secret, 16+ bytes").unwrap();
    let body = FIRST.as_bytes();
    let good = verifier.sign(body);
    let hex = &good["sha256=".len()..];
    let bad = other.sign(body);
    let verify = |header: &str| verifier.verify(Some(header), body, at(SENT));
    // Accepted: the scheme in any case, surrounding whitespace, a list with a match in it
    // (also what a repeated header reads as once joined).
    for header in [
        format!("SHA256={hex}"),
        format!("Sha256={}", hex.to_uppercase()),
        format!("  {good}\t"),
        format!("{bad},{good}"),
        format!("{good}, {bad}"),
    ] {
        assert!(verify(&header).is_ok(), "{header}");
    }
    // Refused: a list without a match, a malformed member, too many members, another scheme.
    assert_eq!(
        verify(&format!("{bad}, {bad}")),
        Err(WebhookError::BadSignature)
    );
    for header in [
        format!("{good},"),
        format!("{good},sha256=zz"),
        format!("{bad},{bad},{bad},{bad},{good}"),
        format!("sha512={hex}"),
        format!("sha256 ={hex}"),
        hex.to_owned(),
    ] {
        assert_eq!(
            verify(&header),
            Err(WebhookError::MalformedSignature),
            "{header}"
        );
    }
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
        let verifier = Verifier::new(&secret).unwrap();
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

// The example is also loaded by `tests/examples.rs`, whose module is private to it.
#[allow(dead_code, clippy::duplicate_mod)]
#[path = "../examples/webhook_receiver.rs"]
mod receiver_example;

/// The example receiver serves each connection on its own: a client that stalls mid-request
/// does not hold up a real delivery arriving after it.
#[test]
fn the_example_receiver_is_not_stalled_by_a_slow_client() {
    use std::io::{Read as _, Write as _};
    use std::net::{TcpListener, TcpStream};
    use std::sync::Arc;

    let secret = "whs_Kq3vX9pL2mN7rT4w";
    let receiver = Arc::new(receiver_example::Receiver::new(secret));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = {
        let receiver = Arc::clone(&receiver);
        std::thread::spawn(move || {
            let mut handlers = Vec::new();
            for stream in listener.incoming().take(2) {
                let receiver = Arc::clone(&receiver);
                let stream = stream.unwrap();
                handlers.push(std::thread::spawn(move || {
                    let mut out = Vec::new();
                    receiver.handle(stream, SystemTime::now(), &mut out);
                }));
            }
            handlers
        })
    };
    // A client that sends half a request line and waits.
    let mut slow = TcpStream::connect(address).unwrap();
    slow.write_all(b"POST /dfns HT").unwrap();
    // A real delivery, after it.
    let body = format!(
        r#"{{"id":"whe-1","kind":"wallet.created","data":{{}},"timestampSent":{}}}"#,
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
    );
    let signature = Verifier::new(secret).unwrap().sign(body.as_bytes());
    let mut fast = TcpStream::connect(address).unwrap();
    fast.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        fast,
        "POST /dfns HTTP/1.1\r\nX-DFNS-WEBHOOK-SIGNATURE: {signature}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    fast.read_to_string(&mut answer)
        .expect("the delivery is answered while the slow client still holds its connection");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(slow);
    for handler in server.join().unwrap() {
        handler.join().unwrap();
    }
}
