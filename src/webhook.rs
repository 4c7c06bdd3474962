//! Receiving webhook deliveries: checking that an event comes from Dfns, is fresh, and is seen
//! once.
//!
//! Dfns POSTs each event as JSON with an `X-DFNS-WEBHOOK-SIGNATURE: sha256=<hex>` header: the
//! HMAC-SHA256 of the raw body, keyed with the webhook's secret. [`Verifier::verify`] checks it
//! in constant time over the exact bytes received (never a re-serialized body), then refuses an
//! event whose `timestampSent` is too far from now (5 minutes by default) and decodes it. It
//! needs no client and no network: call it from any HTTP server, blocking or not.
//!
//! ```
//! use std::time::SystemTime;
//! use dfns_blocking::webhook::{Verifier, WebhookError};
//!
//! let verifier = Verifier::new("whs_Kq3vX9pL2mN7rT4w")?;
//! # let body = br#"{"id":"wh-1","kind":"wallet.created","date":"2026-12-01T00:00:00.000Z","data":{},"timestampSent":1796083200}"#;
//! # let header = verifier.sign(body);
//! # let now = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1796083260);
//! // In your handler: the header's value, the body as received, the time now.
//! match verifier.verify(Some(&header), body, now) {
//!     Ok(event) => println!("{} {}", event.kind, event.id),
//!     Err(WebhookError::BadSignature) => { /* answer 401: not from Dfns */ }
//!     Err(error) => eprintln!("refused: {error}"),
//! }
//! # Ok::<(), WebhookError>(())
//! ```
//!
//! Dfns delivers an event up to 5 times (a delivery that failed is retried, and a retry may
//! arrive after a success it did not see). Each delivery has its own `id`; a retry names the
//! first delivery in `retryOf`, so one event is known by [`WebhookEvent::original_id`].
//! [`SeenEvents`] handles each event once, in two phases: [`begin`](SeenEvents::begin) before
//! the handler, then [`commit`](SeenEvents::commit) when it succeeded or
//! [`forget`](SeenEvents::forget) when it failed (so that Dfns's retry is handled).
//! [`WebhookEvent::data`] types what the event is about by its kind ([`EventData`]).

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ring::hmac;

pub use crate::api::webhooks::{
    BlockchainEventData, EventData, EventKind, PolicyTriggered, WebhookEvent,
};

/// The header Dfns signs each delivery with.
pub const SIGNATURE_HEADER: &str = "X-DFNS-WEBHOOK-SIGNATURE";

/// How far `timestampSent` may be from now by default: 5 minutes, as Dfns documents.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Why a delivery was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request has no `X-DFNS-WEBHOOK-SIGNATURE` header.
    #[error("the webhook delivery has no {SIGNATURE_HEADER} header")]
    MissingSignature,
    /// The header is not `sha256=` followed by 64 hexadecimal digits (or a list of at most
    /// [`MAX_SIGNATURES`] of them, separated by commas).
    #[error("the {SIGNATURE_HEADER} header is not sha256=<64 hex digits>")]
    MalformedSignature,
    /// The secret given to [`Verifier::new`] is empty or shorter than [`MIN_SECRET_LEN`]
    /// bytes: an unset `DFNS_WEBHOOK_SECRET=` would otherwise let anyone sign events.
    #[error(
        "the webhook secret is {len} bytes long: at least {MIN_SECRET_LEN} are needed (is it set?)"
    )]
    WeakSecret {
        /// The length of the secret given, in bytes (after trimming whitespace).
        len: usize,
    },
    /// The signature does not match the body and the secret: not from Dfns, or altered.
    #[error("the webhook signature does not match the body")]
    BadSignature,
    /// `timestampSent` is too far in the past (a replay, or a very late delivery).
    #[error(
        "the webhook delivery was sent {age_secs} s ago, more than the {tolerance_secs} s allowed"
    )]
    Stale {
        /// How long ago it was sent, in seconds.
        age_secs: u64,
        /// The tolerance, in seconds.
        tolerance_secs: u64,
    },
    /// `timestampSent` is too far in the future (a clock far off, or a forgery).
    #[error(
        "the webhook delivery is dated {ahead_secs} s in the future, more than the {tolerance_secs} s allowed"
    )]
    FromTheFuture {
        /// How far ahead, in seconds.
        ahead_secs: u64,
        /// The tolerance, in seconds.
        tolerance_secs: u64,
    },
    /// The signed body is not an event (not JSON, or a required field is missing).
    #[error("the webhook body is not a Dfns event: {0}")]
    InvalidBody(String),
}

/// Checks deliveries of one webhook: signature, freshness, shape.
#[derive(Clone)]
pub struct Verifier {
    key: hmac::Key,
    tolerance: Duration,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &"** redacted **")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// The shortest webhook secret [`Verifier::new`] takes, in bytes: 16, i.e. 128 bits for a random
/// secret, the least for an HMAC key that a captured delivery must not let anyone guess
/// offline. Dfns's secrets are longer; anything shorter is a placeholder or a mistake.
pub const MIN_SECRET_LEN: usize = 16;

/// The most signatures one header may carry (comma-separated, or repeated headers joined).
pub const MAX_SIGNATURES: usize = 4;

impl Verifier {
    /// A verifier for the webhook whose secret is `secret` (Dfns shows it once, when the
    /// webhook is created), with the default 5-minute tolerance. An empty secret, or one
    /// shorter than [`MIN_SECRET_LEN`] bytes once surrounding whitespace is trimmed, is
    /// refused ([`WebhookError::WeakSecret`]).
    ///
    /// ```
    /// use dfns_blocking::webhook::{Verifier, WebhookError};
    ///
    /// assert!(matches!(Verifier::new(""), Err(WebhookError::WeakSecret { len: 0 })));
    /// assert!(Verifier::new("whs_Kq3vX9pL2mN7rT4w").is_ok());
    /// ```
    pub fn new(secret: impl AsRef<[u8]>) -> Result<Self, WebhookError> {
        let secret = secret.as_ref();
        let len = secret.trim_ascii().len();
        if len < MIN_SECRET_LEN {
            return Err(WebhookError::WeakSecret { len });
        }
        Ok(Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// How far `timestampSent` may be from now, either way. An event exactly this far away is
    /// refused.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Verifies one delivery: `signature` is the `X-DFNS-WEBHOOK-SIGNATURE` header's value
    /// (`None` when absent), `body` the raw bytes received, `now` the current time. The
    /// signature is checked first, in constant time; nothing of an unsigned body is read.
    ///
    /// The header is read leniently where that cannot help a forger, and strictly elsewhere:
    /// - the scheme name in any case (`sha256=`, `SHA256=`) and the hex digits in either case;
    /// - whitespace around the value, and around each signature in a list, is ignored;
    /// - several signatures separated by commas (at most [`MAX_SIGNATURES`]) pass when one of
    ///   them matches: this is also how a header sent twice reads once an HTTP library has
    ///   joined its values (RFC 9110), so when your server gives you the values of a repeated
    ///   header apart, join them with `,`. Every signature in the list must be well formed.
    pub fn verify(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now: SystemTime,
    ) -> Result<WebhookEvent, WebhookError> {
        let header = signature.ok_or(WebhookError::MissingSignature)?;
        let mut tags = Vec::with_capacity(1);
        for part in header.split(',') {
            if tags.len() == MAX_SIGNATURES {
                return Err(WebhookError::MalformedSignature);
            }
            tags.push(parse_signature(part.trim()).ok_or(WebhookError::MalformedSignature)?);
        }
        // Every tag is checked, so the time taken says nothing about which one matched.
        let matched = tags.iter().fold(false, |any, tag| {
            hmac::verify(&self.key, body, tag).is_ok() | any
        });
        if !matched {
            return Err(WebhookError::BadSignature);
        }
        let event: WebhookEvent =
            serde_json::from_slice(body).map_err(|e| WebhookError::InvalidBody(e.to_string()))?;
        self.check_time(event.timestamp_sent, now)?;
        Ok(event)
    }

    /// The header value Dfns would send for `body`: for tests of your own receiver.
    pub fn sign(&self, body: &[u8]) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let tag = hmac::sign(&self.key, body);
        let mut header = String::with_capacity(7 + 64);
        header.push_str("sha256=");
        for byte in tag.as_ref() {
            header.push(char::from(HEX[usize::from(byte >> 4)]));
            header.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        header
    }

    fn check_time(&self, sent: u64, now: SystemTime) -> Result<(), WebhookError> {
        let now = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let tolerance_secs = self.tolerance.as_secs();
        if now >= sent {
            let age_secs = now - sent;
            if age_secs >= tolerance_secs {
                return Err(WebhookError::Stale {
                    age_secs,
                    tolerance_secs,
                });
            }
        } else {
            let ahead_secs = sent - now;
            if ahead_secs >= tolerance_secs {
                return Err(WebhookError::FromTheFuture {
                    ahead_secs,
                    tolerance_secs,
                });
            }
        }
        Ok(())
    }
}

/// `sha256=<64 hex digits>` (the scheme and the digits in either case) as the 32 bytes of the
/// tag.
fn parse_signature(header: &str) -> Option<[u8; 32]> {
    let (scheme, hex) = header.split_once('=')?;
    if !scheme.eq_ignore_ascii_case("sha256") {
        return None;
    }
    let hex = hex.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let digit = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let mut tag = [0u8; 32];
    for (byte, pair) in tag.iter_mut().zip(hex.chunks_exact(2)) {
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(tag)
}

/// The events handled or being handled, so that each event is handled once although Dfns may
/// deliver it several times (a retry after a failure, or after a success it did not see), even
/// at the same time on two threads. Two phases, keyed on
/// [`original_id`](WebhookEvent::original_id):
///
/// 1. [`begin`](Self::begin) before handling: [`Begin::New`] means handle it now; the others
///    say why not (being handled, handled, or no room);
/// 2. then [`commit`](Self::commit) once the handler succeeded (and answer 200), or
///    [`forget`](Self::forget) when it failed (and answer 500): Dfns's retry is then handled.
///
/// Each id is kept for [`keep`](Self::keep) after its commit (24 hours by default, never less
/// than the freshness window [`DEFAULT_TOLERANCE`]), so a late retry is still recognized; an
/// event being handled for longer than that counts as abandoned. Memory is bounded by
/// `capacity`: when every slot holds an id still within its time, [`begin`](Self::begin) says
/// [`Begin::Full`] (answer 503: Dfns retries later) rather than forget an id too early. Share
/// it behind a `Mutex` between threads.
///
/// ```
/// use std::time::SystemTime;
/// use dfns_blocking::webhook::{Begin, SeenEvents, WebhookEvent};
///
/// let first: WebhookEvent = serde_json::from_str(
///     r#"{"id":"whe-1","kind":"wallet.created","data":{},"timestampSent":1,"deliveryAttempt":1}"#,
/// )?;
/// let retry: WebhookEvent = serde_json::from_str(
///     r#"{"id":"whe-2","kind":"wallet.created","data":{},"timestampSent":9,"deliveryAttempt":2,"retryOf":"whe-1"}"#,
/// )?;
/// let now = SystemTime::now();
/// let mut seen = SeenEvents::new(10_000);
/// assert_eq!(seen.begin(&first, now), Begin::New);
/// // The handler failed: answer 500 and let Dfns's retry through.
/// seen.forget(&first);
/// assert_eq!(seen.begin(&retry, now), Begin::New);
/// seen.commit(&retry, now); // handled: answer 200
/// assert_eq!(seen.begin(&first, now), Begin::Done); // delivered again: 200, not handled again
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SeenEvents {
    ids: HashMap<String, Entry>,
    capacity: usize,
    keep: Duration,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    done: bool,
    /// Until when the id is kept: `keep` after its commit, or after its begin while handled.
    until: SystemTime,
}

/// What [`SeenEvents::begin`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Begin {
    /// Not seen: handle it, then [`commit`](SeenEvents::commit) or
    /// [`forget`](SeenEvents::forget).
    New,
    /// Another delivery of it is being handled now: answer a non-2xx status (409 or 503) so
    /// that Dfns tries again, in case that handling fails.
    InProgress,
    /// Handled already: answer 200 without handling it again.
    Done,
    /// Every slot holds an id still within its time: answer 503, Dfns tries again later.
    Full,
}

/// How long a handled event's id is kept by default.
const DEFAULT_KEEP: Duration = Duration::from_secs(24 * 60 * 60);

impl SeenEvents {
    /// Remembers up to `capacity` events (at least one), each for 24 hours after it is handled.
    pub fn new(capacity: usize) -> Self {
        Self {
            ids: HashMap::new(),
            capacity: capacity.max(1),
            keep: DEFAULT_KEEP,
        }
    }

    /// Keeps each id this long after its commit instead (at most ten years, and never less than
    /// [`DEFAULT_TOLERANCE`], the freshness window: set it at least to your
    /// [`Verifier::tolerance`], and to how long Dfns may retry).
    pub fn keep(mut self, keep: Duration) -> Self {
        // At most ten years, so that `now + keep` cannot overflow.
        self.keep = keep.clamp(DEFAULT_TOLERANCE, Duration::from_secs(10 * 365 * 86_400));
        self
    }

    /// Starts handling `event` at `now`, unless it is handled, being handled, or there is no
    /// room (see [`Begin`]).
    pub fn begin(&mut self, event: &WebhookEvent, now: SystemTime) -> Begin {
        self.begin_id(event.original_id(), now)
    }

    /// The same, by id ([`WebhookEvent::original_id`]).
    pub fn begin_id(&mut self, id: &str, now: SystemTime) -> Begin {
        if let Some(entry) = self.ids.get(id) {
            if entry.until > now {
                return if entry.done {
                    Begin::Done
                } else {
                    Begin::InProgress
                };
            }
        }
        if self.ids.len() >= self.capacity && !self.ids.contains_key(id) {
            self.ids.retain(|_, entry| entry.until > now);
            if self.ids.len() >= self.capacity {
                return Begin::Full;
            }
        }
        self.ids.insert(
            id.to_owned(),
            Entry {
                done: false,
                until: now + self.keep,
            },
        );
        Begin::New
    }

    /// `event` was handled (at `now`): later deliveries of it are [`Begin::Done`].
    pub fn commit(&mut self, event: &WebhookEvent, now: SystemTime) {
        self.commit_id(event.original_id(), now);
    }

    /// The same, by id.
    pub fn commit_id(&mut self, id: &str, now: SystemTime) {
        let until = now + self.keep;
        let entry = Entry { done: true, until };
        if let Some(kept) = self.ids.get_mut(id) {
            *kept = entry;
        } else if self.ids.len() < self.capacity {
            // Committed without a begin (or after its entry expired): remembered if there is
            // room.
            self.ids.insert(id.to_owned(), entry);
        }
    }

    /// Handling `event` failed: a later delivery of it is [`Begin::New`] again.
    pub fn forget(&mut self, event: &WebhookEvent) {
        self.forget_id(event.original_id());
    }

    /// The same, by id.
    pub fn forget_id(&mut self, id: &str) {
        if self.ids.get(id).is_some_and(|entry| !entry.done) {
            self.ids.remove(id);
        }
    }
}
