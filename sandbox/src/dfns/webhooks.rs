//! Webhooks in the sandbox: the `/webhooks` collection and its event log, and deliveries.
//!
//! When an event happens (a ping, a record created through the API whose declaration names a
//! `created_event`, a domain's own code, or `Sandbox::deliver_event`), every
//! enabled webhook subscribed to its kind (or to `*`) gets a delivery. Deliveries are queued
//! while the request is answered and sent once the sandbox's state is unlocked, before the
//! answer goes back: when a call that makes an event returns, its deliveries are done. The
//! events the sandbox makes by itself: `wallet.created`; `wallet.transfer.requested`,
//! `.broadcasted` and `.confirmed`, the same for `wallet.transaction.*`;
//! `wallet.signature.requested` and `.signed` (`wallets.rs`, `keys.rs`; a status event is sent
//! when the record is read after the sandbox clock moved it, as statuses move then);
//! `policy.approval.pending` and `policy.approval.resolved` (`policies.rs`). Each
//! one is a real HTTP POST with Dfns's `X-DFNS-WEBHOOK-SIGNATURE` over the exact body, keyed
//! with the webhook's secret, `timestampSent` read from the sandbox clock.
//!
//! Choices where Dfns documents nothing, so tests can rely on them:
//! - Only `http://` URLs on loopback (`127.0.0.1`, `localhost`, `[::1]`) are sent to; any
//!   other URL is accepted at creation and its deliveries fail without a connection
//!   (`error` says why). Each delivery has a 2-second connect, write and read timeout.
//! - A delivery whose answer is not 2xx is retried at once, up to 5 attempts in all; each
//!   attempt has its own `whe-` id, `deliveryAttempt` (1 to 5) and, from the second on,
//!   `retryOf` (the first attempt's id). Every attempt is kept in the webhook's event log with
//!   the `status` the receiver answered (empty when there was no answer) and `error`.
//! - A ping sends one event of kind `webhook.ping` with data `{"webhookId": ...}`, not kept in
//!   the log and not retried; it goes to a disabled webhook too. Its answer is `{"status":
//!   "<the receiver's status>"}`, with `error` when the delivery failed.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::store::{Ctx, Effect, Op, Resource};
use super::{HttpResponse, State};
use crate::wire::{WEBHOOK_SIGNATURE_HEADER as SIGNATURE_HEADER, webhook_signature};

/// How many times an event is sent at most, as Dfns documents.
const MAX_ATTEMPTS: u32 = 5;
/// The connect, write and read timeout of one delivery.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(2);
/// The kind of the test event a ping sends.
const PING_KIND: &str = "webhook.ping";

/// `/webhooks`: create answers the secret once; delete answers `{"deleted": true}`.
pub(super) const WEBHOOKS: Resource = Resource {
    path: "/webhooks",
    id_prefix: "wh",
    id_param: "webhookId",
    not_found: "Webhook not found",
    singular: "webhook",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::UPDATE.signed(),
        Op::DELETE.signed(),
        Op::action("POST", "ping", Effect::Answer(ping)).signed(),
    ],
    build: Some(build_webhook),
    update: Some(update_webhook),
    shown_once: &["secret"],
    delete_answer: Some(|_| json!({ "deleted": true })),
    ..Resource::DEFAULT
};

/// `/webhooks/{webhookId}/events`: the deliveries made, filtered by `kind` and
/// `deliveryFailed`.
pub(super) const WEBHOOK_EVENTS: Resource = Resource {
    path: "/webhooks/{webhookId}/events",
    id_prefix: "whe",
    id_param: "webhookEventId",
    not_found: "WebhookEvent not found",
    singular: "webhook event",
    ops: &[Op::LIST, Op::GET],
    filter: Some(|event, query| {
        query.iter().all(|(name, value)| match name.as_str() {
            "kind" => event["kind"] == value.as_str(),
            "deliveryFailed" => (value == "true") == event["error"].is_string(),
            _ => true,
        })
    }),
    ..Resource::DEFAULT
};

/// 400 unless `events` is a non-empty list of strings.
fn check_events(events: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    match events.as_array() {
        Some(kinds) if !kinds.is_empty() && kinds.iter().all(Value::is_string) => Ok(()),
        _ => Err(ctx.error(400, "events must be a non-empty list of event kinds")),
    }
}

/// 400 unless `status` is absent or `Enabled`/`Disabled`.
fn check_status(status: Option<&Value>, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    match status.map(|s| s.as_str()) {
        None | Some(Some("Enabled" | "Disabled")) => Ok(()),
        _ => Err(ctx.error(400, "status must be Enabled or Disabled")),
    }
}

fn build_webhook(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let Some(url) = body["url"].as_str().filter(|url| !url.is_empty()) else {
        return Err(ctx.error(400, "url is required"));
    };
    check_events(&body["events"], ctx)?;
    check_status(body.get("status"), ctx)?;
    let now = ctx.now_text();
    let mut webhook = json!({
        "url": url,
        "events": body["events"],
        "status": body.get("status").unwrap_or(&json!("Enabled")),
        "dateCreated": now,
        "dateUpdated": now,
        "secret": format!("whs_{}", ctx.random(24)),
    });
    if let Some(description) = body.get("description") {
        webhook["description"] = description.clone();
    }
    Ok(webhook)
}

fn update_webhook(
    webhook: &mut Value,
    body: &Value,
    ctx: &mut Ctx<'_>,
) -> Result<(), HttpResponse> {
    if let Some(events) = body.get("events") {
        check_events(events, ctx)?;
    }
    check_status(body.get("status"), ctx)?;
    for member in ["url", "description", "events", "status"] {
        if let Some(value) = body.get(member) {
            webhook[member] = value.clone();
        }
    }
    webhook["dateUpdated"] = json!(ctx.now_text());
    Ok(())
}

/// `POST /webhooks/{webhookId}/ping`: queues the test event; the answer is replaced by the
/// delivery's outcome once it is sent (`ping_answer`).
fn ping(webhook: &mut Value, _body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let id = ctx.id().to_owned();
    let event = json!({
        "id": ctx.new_id("whe"),
        "kind": PING_KIND,
        "date": ctx.now_text(),
        "data": { "webhookId": id },
    });
    ctx.queue_delivery(Outgoing {
        webhook_id: id,
        url: webhook["url"].as_str().unwrap_or_default().to_owned(),
        secret: webhook["secret"].as_str().unwrap_or_default().to_owned(),
        event,
        kind: DeliveryKind::Ping,
        sent: None,
    });
    Ok(json!({ "status": "" }))
}

/// What a queued delivery is, which decides its retries and whether the log keeps it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeliveryKind {
    /// An event: retried, kept in the log.
    Event,
    /// A ping's test event: sent once, not kept, its outcome answers the ping.
    Ping,
    /// A test's hostile delivery (forged, stale): sent once, not kept.
    Hostile,
}

/// One delivery waiting to be sent.
pub(crate) struct Outgoing {
    pub(crate) webhook_id: String,
    url: String,
    /// The key of the signature (another one for a forged delivery).
    secret: String,
    /// The event without `timestampSent`, `deliveryAttempt` and `retryOf`.
    pub(crate) event: Value,
    kind: DeliveryKind,
    /// `timestampSent` to use instead of the sandbox clock (a stale delivery).
    sent: Option<SystemTime>,
}

/// The deliveries queued while a request is answered: one field of [`State`].
#[derive(Default)]
pub(crate) struct Outbox {
    queued: Vec<Outgoing>,
}

impl Outbox {
    pub(crate) fn queue(&mut self, delivery: Outgoing) {
        self.queued.push(delivery);
    }

    pub(crate) fn take(&mut self) -> Vec<Outgoing> {
        std::mem::take(&mut self.queued)
    }
}

/// One attempt at delivering an event to a webhook, as [`Sandbox::deliver_event`] and its
/// siblings report it.
///
/// [`Sandbox::deliver_event`]: crate::Sandbox::deliver_event
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeliveryAttempt {
    /// The webhook delivered to.
    pub webhook_id: String,
    /// The delivery's id (`id` in its body).
    pub event_id: String,
    /// Which attempt this is, from 1.
    pub attempt: u32,
    /// The URL POSTed to.
    pub url: String,
    /// The body sent, byte for byte.
    pub body: Vec<u8>,
    /// The `X-DFNS-WEBHOOK-SIGNATURE` header sent.
    pub signature: String,
    /// The HTTP status the receiver answered; `None` when there was no answer.
    pub status: Option<u16>,
    /// Why the delivery failed, when it did (no answer, or a status other than 2xx).
    pub error: Option<String>,
}

impl DeliveryAttempt {
    /// Whether the receiver answered 2xx.
    pub fn succeeded(&self) -> bool {
        self.status
            .is_some_and(|status| (200..300).contains(&status))
    }
}

impl State {
    /// Queues the event `kind` with `data` for every enabled webhook subscribed to it.
    pub(crate) fn emit_event(&mut self, kind: &str, data: Value) {
        self.queue_event(kind, data, DeliveryKind::Event, None, None);
    }

    /// Queues the event for every enabled webhook subscribed to `kind`; `forged_secret`
    /// signs instead of the webhook's secret, `sent` dates it instead of the clock.
    pub(crate) fn queue_event(
        &mut self,
        kind: &str,
        data: Value,
        delivery: DeliveryKind,
        forged_secret: Option<&str>,
        sent: Option<SystemTime>,
    ) {
        let date = self.now_text();
        let mut queued = Vec::new();
        for webhook in self.records(WEBHOOKS.path) {
            let subscribed = (webhook["events"].as_array())
                .is_some_and(|events| events.iter().any(|e| e == kind || e == "*"));
            if webhook["status"] != "Enabled" || !subscribed {
                continue;
            }
            let secret = forged_secret
                .or(webhook["secret"].as_str())
                .unwrap_or_default();
            let outgoing = Outgoing {
                webhook_id: webhook["id"].as_str().unwrap_or_default().to_owned(),
                url: webhook["url"].as_str().unwrap_or_default().to_owned(),
                secret: secret.to_owned(),
                event: json!({ "id": "", "kind": kind, "date": date, "data": data }),
                kind: delivery,
                sent,
            };
            queued.push(outgoing);
        }
        for outgoing in queued {
            self.webhooks.queue(outgoing);
        }
    }
}

/// Sends `queued` (with the state unlocked between attempts), keeping events' attempts in
/// their webhook's log; answers every attempt made.
pub(crate) fn send(state: &Mutex<State>, queued: Vec<Outgoing>) -> Vec<DeliveryAttempt> {
    let mut attempts = Vec::new();
    for outgoing in queued {
        let mut first_id: Option<String> = None;
        for attempt in 1..=MAX_ATTEMPTS {
            let mut event = outgoing.event.clone();
            let sent = {
                let mut state = super::super::lock(state);
                if event["id"].as_str().is_none_or(str::is_empty) || attempt > 1 {
                    event["id"] = json!(state.dfns_id("whe"));
                }
                outgoing.sent.unwrap_or_else(|| state.now())
            };
            let sent_secs = sent.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
            event["timestampSent"] = json!(sent_secs);
            event["deliveryAttempt"] = json!(attempt);
            if let Some(first) = &first_id {
                event["retryOf"] = json!(first);
            }
            let body = event.to_string().into_bytes();
            let signature = webhook_signature(&outgoing.secret, &body);
            let (status, error) = match post(&outgoing.url, &body, &signature) {
                Ok(status) if (200..300).contains(&status) => (Some(status), None),
                Ok(status) => (
                    Some(status),
                    Some(format!("the endpoint answered {status}")),
                ),
                Err(error) => (None, Some(error)),
            };
            let event_id = event["id"].as_str().unwrap_or_default().to_owned();
            if outgoing.kind == DeliveryKind::Event {
                event["status"] = json!(status.map(|s| s.to_string()).unwrap_or_default());
                if let Some(error) = &error {
                    event["error"] = json!(error);
                }
                let log = format!("/webhooks/{}/events", outgoing.webhook_id);
                // The webhook may have been deleted meanwhile: then there is no log to keep.
                let _ = super::super::lock(state).seed(&log, event);
            }
            let done = error.is_none() || outgoing.kind != DeliveryKind::Event;
            first_id.get_or_insert_with(|| event_id.clone());
            attempts.push(DeliveryAttempt {
                webhook_id: outgoing.webhook_id.clone(),
                event_id,
                attempt,
                url: outgoing.url.clone(),
                body,
                signature,
                status,
                error,
            });
            if done {
                break;
            }
        }
    }
    attempts
}

/// Whether `queued` holds a ping's delivery.
pub(crate) fn has_ping(queued: &[Outgoing]) -> bool {
    queued.iter().any(|o| o.kind == DeliveryKind::Ping)
}

/// The answer to a ping, from its delivery.
pub(crate) fn ping_answer(attempts: &[DeliveryAttempt]) -> Value {
    let Some(attempt) = attempts.first() else {
        return json!({ "status": "" });
    };
    let mut answer = json!({ "status": attempt.status.map(|s| s.to_string()).unwrap_or_default() });
    if let Some(error) = &attempt.error {
        answer["error"] = json!(error);
    }
    answer
}

/// Sends `body` again exactly as `attempt` sent it: a replayed delivery.
pub(crate) fn replay(attempt: &DeliveryAttempt) -> DeliveryAttempt {
    let (status, error) = match post(&attempt.url, &attempt.body, &attempt.signature) {
        Ok(status) if (200..300).contains(&status) => (Some(status), None),
        Ok(status) => (
            Some(status),
            Some(format!("the endpoint answered {status}")),
        ),
        Err(error) => (None, Some(error)),
    };
    DeliveryAttempt {
        status,
        error,
        ..attempt.clone()
    }
}

/// The loopback address and the path of `url`, or why the sandbox does not send to it.
fn loopback(url: &str) -> Result<(SocketAddr, String), String> {
    const REFUSED: &str = "the sandbox delivers only to http:// URLs on loopback";
    let rest = url.strip_prefix("http://").ok_or(REFUSED)?;
    let (authority, path) = match rest.find(['/', '?']) {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    // `host`, `host:port`, `[v6]` or `[v6]:port`.
    let (host, port) = match authority.rfind(':') {
        Some(at) if !authority[at..].contains(']') => (&authority[..at], &authority[at + 1..]),
        _ => (authority, "80"),
    };
    let port: u16 = port.parse().map_err(|_| REFUSED)?;
    let host = match host {
        "127.0.0.1" | "localhost" => host,
        "[::1]" => "::1",
        _ => return Err(REFUSED.to_owned()),
    };
    let address = (host, port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut addresses| addresses.find(|a| a.ip().is_loopback()))
        .ok_or(REFUSED)?;
    Ok((address, format!("/{}", path.trim_start_matches('/'))))
}

/// POSTs one delivery; answers the receiver's status, or why there was none.
fn post(url: &str, body: &[u8], signature: &str) -> Result<u16, String> {
    let (address, path) = loopback(url)?;
    let failed = |e: std::io::Error| format!("delivery to {url} failed: {e}");
    let mut stream = TcpStream::connect_timeout(&address, DELIVERY_TIMEOUT).map_err(failed)?;
    stream
        .set_read_timeout(Some(DELIVERY_TIMEOUT))
        .map_err(failed)?;
    stream
        .set_write_timeout(Some(DELIVERY_TIMEOUT))
        .map_err(failed)?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nUser-Agent: dfns-sandbox\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n{SIGNATURE_HEADER}: \
         {signature}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).map_err(failed)?;
    stream.write_all(body).map_err(failed)?;
    stream.flush().map_err(failed)?;
    // The status line is all that is read: `HTTP/1.1 200 OK`.
    let mut answer = Vec::new();
    let mut buffer = [0u8; 256];
    while !answer.windows(2).any(|w| w == b"\r\n") && answer.len() < 4096 {
        let read = stream.read(&mut buffer).map_err(failed)?;
        if read == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..read]);
    }
    let line = String::from_utf8_lossy(&answer);
    let status = (line.strip_prefix("HTTP/"))
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.trim().parse().ok());
    status.ok_or_else(|| format!("delivery to {url} got no HTTP answer"))
}

/// The time `timestampSent` of a stale delivery gives: `age` before the sandbox clock.
pub(crate) fn before(now: SystemTime, age: Duration) -> SystemTime {
    now.checked_sub(age).unwrap_or(UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliveries_go_to_http_loopback_urls_only() {
        let target =
            |url: &str| loopback(url).map(|(a, path)| (a.port(), a.ip().is_loopback(), path));
        assert_eq!(
            target("http://127.0.0.1:8080/hook?x=1"),
            Ok((8080, true, "/hook?x=1".into()))
        );
        assert_eq!(target("http://localhost:9"), Ok((9, true, "/".into())));
        assert_eq!(target("http://127.0.0.1?a"), Ok((80, true, "/?a".into())));
        assert_eq!(target("http://[::1]:7/x"), Ok((7, true, "/x".into())));
        assert_eq!(target("http://[::1]/x"), Ok((80, true, "/x".into())));
        for refused in [
            "https://127.0.0.1/x",
            "http://example.com/x",
            "http://10.0.0.1/x",
            "http://127.0.0.1.example.com/x",
            "http://user@127.0.0.1/x",
            "http://127.0.0.1:99999/x",
            "http://127.0.0.1:/x",
            "ftp://localhost/x",
            "",
        ] {
            assert!(target(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn a_receiver_that_is_not_there_or_not_http_is_a_failed_delivery() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/x", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            // The whole request is read first, so that closing does not reset it.
            let mut request = Vec::new();
            let mut buffer = [0u8; 1024];
            while !request.ends_with(b"{}") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(read) => request.extend_from_slice(&buffer[..read]),
                }
            }
            let _ = stream.write_all(b"SSH-2.0 200 not-http\r\n");
        });
        let refused = post(&url, b"{}", "sha256=00").unwrap_err();
        assert!(refused.contains("no HTTP answer"), "{refused}");
        server.join().unwrap();
        // The listener is gone: nothing answers.
        assert!(post(&url, b"{}", "sha256=00").is_err());
    }
}
