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
//! | 200 | verified; printed as `event <id> <kind> ...`, or `duplicate <id> of <original id>` when the event was already handled (Dfns then stops retrying it) |
//! | 401 | the `X-DFNS-WEBHOOK-SIGNATURE` header is missing, malformed or does not match: not from Dfns |
//! | 400 | `timestampSent` is 5 minutes or more away from now (stale or from the future), or the body is not an event, or the request is not HTTP |
//! | 405 | not a POST |
//! | 413 | a body over 1 MiB |
//!
//! Refusals are printed as `refused <status>: <reason>`. Standard library only: one connection
//! at a time, which is plenty for a webhook; a production receiver would hand events to a
//! queue before answering.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, SystemTime};

use dfns_blocking::webhook::{
    EventData, SIGNATURE_HEADER, SeenEvents, Verifier, WebhookError, WebhookEvent,
};

/// The largest body accepted; Dfns's events are a few kilobytes.
const MAX_BODY: usize = 1 << 20;
/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

fn main() {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let Ok(secret) = std::env::var("DFNS_WEBHOOK_SECRET") else {
        eprintln!("webhook_receiver: set DFNS_WEBHOOK_SECRET to the webhook's secret");
        std::process::exit(2);
    };
    let listener = match TcpListener::bind(&address) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("webhook_receiver: cannot listen on {address}: {error}");
            std::process::exit(1);
        }
    };
    eprintln!("webhook_receiver: listening on {address}");
    let mut receiver = Receiver::new(&secret);
    let mut out = io::stdout();
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => receiver.handle(stream, SystemTime::now(), &mut out),
            Err(error) => eprintln!("webhook_receiver: {error}"),
        }
    }
}

/// The receiver's state: the verifier of one webhook and the events already handled.
pub struct Receiver {
    verifier: Verifier,
    seen: SeenEvents,
}

impl Receiver {
    /// A receiver for the webhook whose secret is `secret`.
    pub fn new(secret: &str) -> Self {
        Self {
            verifier: Verifier::new(secret),
            seen: SeenEvents::new(10_000),
        }
    }

    /// Answers one connection, at time `now`, printing what it did to `out`. Never panics on
    /// what the client sends; a failed write of the answer only loses the answer.
    pub fn handle(&mut self, mut stream: TcpStream, now: SystemTime, out: &mut dyn Write) {
        let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
        let (status, line) = match read_request(&mut stream) {
            Ok(request) => self.answer(&request, now),
            Err((status, reason)) => (status, format!("refused {status}: {reason}")),
        };
        let _ = writeln!(out, "{line}");
        let reason = match status {
            200 => "OK",
            400 => "Bad Request",
            401 => "Unauthorized",
            405 => "Method Not Allowed",
            _ => "Payload Too Large",
        };
        let answer =
            format!("HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        let _ = stream.write_all(answer.as_bytes());
    }

    /// The status for one request, and the line to print.
    fn answer(&mut self, request: &Request, now: SystemTime) -> (u16, String) {
        if request.method != "POST" {
            return (405, format!("refused 405: {} is not POST", request.method));
        }
        match self
            .verifier
            .verify(request.signature.as_deref(), &request.body, now)
        {
            Ok(event) if self.seen.first_time(&event) => {
                let line = format!(
                    "event {} {} attempt {}: {}",
                    event.original_id(),
                    event.kind,
                    event.delivery_attempt.unwrap_or(1),
                    describe(&event)
                );
                (200, line)
            }
            Ok(event) => (
                200,
                format!("duplicate {} of {}", event.id, event.original_id()),
            ),
            Err(
                error @ (WebhookError::MissingSignature
                | WebhookError::MalformedSignature
                | WebhookError::BadSignature),
            ) => (401, format!("refused 401: {error}")),
            Err(error) => (400, format!("refused 400: {error}")),
        }
    }
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
fn read_request(stream: &mut TcpStream) -> Result<Request, (u16, String)> {
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
