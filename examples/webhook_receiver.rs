//! `webhook_receiver`: a small blocking HTTP server that receives Dfns webhook deliveries,
//! verifies them and prints each event once.
//!
//! ```text
//! export DFNS_WEBHOOK_SECRET=whs_...          # shown once, when the webhook was created
//! cargo run --example webhook_receiver -- 127.0.0.1:8080
//! ```
//!
//! Put it behind your TLS-terminating proxy and give Dfns the proxy's URL. Each delivery is
//! answered:
//!
//! | answer | when |
//! |---|---|
//! | 200 | verified and handled; printed as `event <id> <kind> ...`, or `duplicate <id> of <original id>` when the event was already handled (Dfns then stops retrying it) |
//! | 503 | another delivery of the same event is being handled right now, or too many are (Dfns retries later: nothing is lost) |
//! | 500 | handling failed (here: printing it); the event is forgotten so that Dfns's retry is handled |
//! | 401 | the `X-DFNS-WEBHOOK-SIGNATURE` header is missing, malformed or does not match: not from Dfns |
//! | 400 | `timestampSent` is 5 minutes or more away from now (stale or from the future), or the body is not an event, or the request is not HTTP |
//! | 405 | not a POST |
//! | 413 | a body over 1 MiB |
//!
//! Refusals are printed as `refused <status>: <reason>`. Standard library only. Each connection
//! gets its own thread (at most [`MAX_CONNECTIONS`] at once) and a deadline for its whole
//! request ([`REQUEST_DEADLINE`]), so one slow client never stalls the other deliveries. Events
//! are handled once with [`SeenEvents`]' two phases: `begin` before handling, then `commit` when
//! it succeeded or `forget` when it failed. A production receiver would hand events to a
//! durable queue before answering.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use dfns_blocking::webhook::{
    Begin, EventData, SIGNATURE_HEADER, SeenEvents, Verifier, WebhookError, WebhookEvent,
};

/// The largest body accepted; Dfns's events are a few kilobytes.
const MAX_BODY: usize = 1 << 20;
/// How long a client may take to send its whole request.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// How many connections are served at once; more are answered 503 at once.
pub const MAX_CONNECTIONS: usize = 64;

fn main() {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let Ok(secret) = std::env::var("DFNS_WEBHOOK_SECRET") else {
        eprintln!("webhook_receiver: set DFNS_WEBHOOK_SECRET to the webhook's secret");
        std::process::exit(2);
    };
    // An empty or short secret (`DFNS_WEBHOOK_SECRET=`) would let anyone sign events.
    if let Err(error) = Verifier::new(&secret) {
        eprintln!("webhook_receiver: DFNS_WEBHOOK_SECRET: {error}");
        std::process::exit(2);
    }
    let listener = match TcpListener::bind(&address) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("webhook_receiver: cannot listen on {address}: {error}");
            std::process::exit(1);
        }
    };
    eprintln!("webhook_receiver: listening on {address}");
    let receiver = Arc::new(Receiver::new(&secret));
    let busy = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(stream) => stream,
            Err(error) => {
                eprintln!("webhook_receiver: {error}");
                continue;
            }
        };
        if busy.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            busy.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.write_all(&answer_head(503));
            continue;
        }
        let (receiver, busy) = (Arc::clone(&receiver), Arc::clone(&busy));
        std::thread::spawn(move || {
            receiver.handle(stream, SystemTime::now(), &mut io::stdout());
            busy.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// The receiver's state: the verifier of one webhook and the events handled or being handled,
/// shared by the connections' threads.
pub struct Receiver {
    verifier: Option<Verifier>,
    seen: Mutex<SeenEvents>,
}

impl Receiver {
    /// A receiver for the webhook whose secret is `secret`. A secret [`Verifier::new`] refuses
    /// makes a receiver that refuses every delivery (`main` checks it first).
    pub fn new(secret: &str) -> Self {
        Self {
            verifier: Verifier::new(secret).ok(),
            seen: Mutex::new(SeenEvents::new(10_000)),
        }
    }

    /// Answers one connection, at time `now`, printing what it did to `out`. Never panics on
    /// what the client sends; a failed write of the answer only loses the answer. The whole
    /// request must arrive within [`REQUEST_DEADLINE`].
    pub fn handle(&self, mut stream: TcpStream, now: SystemTime, out: &mut dyn Write) {
        let deadline = Instant::now() + REQUEST_DEADLINE;
        let (status, line) = match read_request(&mut Deadlined(&stream, deadline)) {
            Ok(request) => self.answer(&request, now, out),
            Err((status, reason)) => (status, format!("refused {status}: {reason}")),
        };
        if status != 200 && status != 500 {
            let _ = writeln!(out, "{line}");
        }
        let _ = stream.write_all(&answer_head(status));
    }

    /// The status for one request, and the line printed about it. A new event is handled
    /// (printed) here, between `begin` and `commit` (or `forget` when printing failed).
    fn answer(&self, request: &Request, now: SystemTime, out: &mut dyn Write) -> (u16, String) {
        if request.method != "POST" {
            return (405, format!("refused 405: {} is not POST", request.method));
        }
        let Some(verifier) = &self.verifier else {
            return (401, "refused 401: no usable webhook secret".to_owned());
        };
        let event = match verifier.verify(request.signature.as_deref(), &request.body, now) {
            Ok(event) => event,
            Err(
                error @ (WebhookError::MissingSignature
                | WebhookError::MalformedSignature
                | WebhookError::BadSignature),
            ) => return (401, format!("refused 401: {error}")),
            Err(error) => return (400, format!("refused 400: {error}")),
        };
        let seen = |f: &mut dyn FnMut(&mut SeenEvents) -> Begin| {
            // The ids hold no invariant a panic elsewhere could break.
            f(&mut self.seen.lock().unwrap_or_else(|p| p.into_inner()))
        };
        match seen(&mut |seen| seen.begin(&event, now)) {
            Begin::New => {}
            Begin::Done => {
                let line = format!("duplicate {} of {}", event.id, event.original_id());
                let _ = writeln!(out, "{line}");
                return (200, line);
            }
            other => {
                return (
                    503,
                    format!("refused 503: {} is {other:?}", event.original_id()),
                );
            }
        }
        // Handling the event: here, printing it.
        let line = format!(
            "event {} {} attempt {}: {}",
            event.original_id(),
            event.kind,
            event.delivery_attempt.unwrap_or(1),
            describe(&event)
        );
        if writeln!(out, "{line}").is_ok() {
            seen(&mut |seen| {
                seen.commit(&event, now);
                Begin::Done
            });
            (200, line)
        } else {
            seen(&mut |seen| {
                seen.forget(&event);
                Begin::New
            });
            (500, format!("failed 500: {line}"))
        }
    }
}

/// A connection's request bytes, read within the request's deadline: each read waits at most
/// what is left of it, so a client that trickles is cut off when the deadline passes.
struct Deadlined<'a>(&'a TcpStream, Instant);

impl Read for Deadlined<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.1.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.0.set_read_timeout(Some(left))?;
        self.0.read(buf)
    }
}

/// The head of an answer without a body.
fn answer_head(status: u16) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        500 => "Internal Server Error",
        _ => "Service Unavailable",
    };
    format!("HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .into_bytes()
}

/// One line about what the event is about, from its typed data.
fn describe(event: &WebhookEvent) -> String {
    match event.data() {
        EventData::Wallet(wallet) => {
            let network = wallet.network.as_ref().map_or("?", |n| n.as_str());
            format!("wallet {} on {network}", wallet.id)
        }
        EventData::Transfer(transfer) => format!(
            "transfer {} from wallet {} is {}",
            transfer.id,
            transfer.wallet_id,
            transfer.status.as_ref().map_or("?", |s| s.as_str())
        ),
        EventData::Transaction(transaction) => format!(
            "transaction {} from wallet {} is {}",
            transaction.id,
            transaction.wallet_id,
            transaction.status.as_ref().map_or("?", |s| s.as_str())
        ),
        EventData::Signature(signature) => format!(
            "signature {} by key {} is {}",
            signature.id, signature.key_id, signature.status
        ),
        EventData::Approval(approval) => format!("approval {}", approval.id),
        _ => event.data.to_string(),
    }
}

/// What the receiver reads of a request.
struct Request {
    method: String,
    signature: Option<String>,
    body: Vec<u8>,
}

/// Reads the request line, the headers and a `Content-Length` body; or the status to refuse
/// with and why.
fn read_request(stream: &mut impl Read) -> Result<Request, (u16, String)> {
    let bad = |reason: &str| (400, reason.to_owned());
    let mut reader = BufReader::new(stream.take(64 * 1024 + MAX_BODY as u64));
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .map_err(|_| bad("no request line"))?;
    let method = line.split(' ').next().unwrap_or_default().to_owned();
    let (mut signature, mut length) = (None, 0usize);
    loop {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .map_err(|_| bad("unreadable headers"))?;
        let header = line.trim_end();
        if read == 0 || header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            return Err(bad("a header without a colon"));
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case(SIGNATURE_HEADER) {
            signature = Some(value.to_owned());
        } else if name.eq_ignore_ascii_case("content-length") {
            length = value
                .parse()
                .map_err(|_| bad("a malformed Content-Length"))?;
        }
    }
    if length > MAX_BODY {
        return Err((413, format!("a body of {length} bytes")));
    }
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|_| bad("a body shorter than its Content-Length"))?;
    Ok(Request {
        method,
        signature,
        body,
    })
}
