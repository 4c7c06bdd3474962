//! A minimal blocking HTTP/1.1 server: a thread per connection, keep-alive, `Content-Length`
//! bodies. Minimal on purpose: the sandbox must be able to answer in ways a well-behaved
//! server never would (a body cut short, an answer that never comes).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The largest request head and body the sandbox reads.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
pub(crate) const MAX_BODY: usize = 1024 * 1024;
/// How long an idle keep-alive connection is kept.
const IDLE: Duration = Duration::from_secs(30);
/// How often an idle connection looks whether the sandbox was stopped.
const POLL: Duration = Duration::from_millis(200);

/// A parsed request.
pub(crate) struct HttpRequest {
    pub(crate) method: String,
    /// The request target as sent: the encoded path and the query.
    pub(crate) target: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl HttpRequest {
    /// The first header of that name (case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// An answer, possibly a broken one.
pub(crate) struct HttpResponse {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    /// Wait this long before answering.
    pub(crate) delay: Duration,
    /// How the answer goes wrong, if it does.
    pub(crate) fault: Option<Fault>,
}

/// Ways an answer can break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Send only this many body bytes (with the full `Content-Length`), then close cleanly.
    Cut(usize),
    /// Send only this many body bytes, then reset the connection (a TCP RST).
    Reset(usize),
    /// Send the answer one byte at a time, one per interval.
    Trickle(Duration),
    /// Never answer; hold the connection until the client leaves or the sandbox stops.
    Silent,
}

impl HttpResponse {
    /// A prompt, whole answer with this content type.
    pub(crate) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
            delay: Duration::ZERO,
            fault: None,
        }
    }
}

/// What the server calls for every request.
pub(crate) trait Handler: Send + Sync + 'static {
    fn handle(&self, request: HttpRequest) -> HttpResponse;
    fn connection_opened(&self);
}

/// Accepts connections until `stop` is set (and one more connection wakes the accept loop).
pub(crate) fn serve(listener: TcpListener, handler: Arc<dyn Handler>, stop: Arc<AtomicBool>) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        handler.connection_opened();
        let handler = Arc::clone(&handler);
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            // A connection that fails is simply closed, as a real server would.
            let _ = connection(stream, handler.as_ref(), &stop);
        });
    }
}

fn connection(stream: TcpStream, handler: &dyn Handler, stop: &AtomicBool) -> io::Result<()> {
    stream.set_read_timeout(Some(POLL))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    while !stop.load(Ordering::SeqCst) {
        let request = match read_request(&mut reader, stop) {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(BadRequest(status, why)) => {
                let response = plain(status, why);
                write_response(&mut writer, &response, true)?;
                return Ok(());
            }
        };
        let close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let response = handler.handle(request);
        if !response.delay.is_zero() && !pause(response.delay, stop) {
            return Ok(());
        }
        let bytes = response_bytes(&response, close || response.fault.is_some());
        match response.fault {
            None => {
                writer.write_all(&bytes)?;
                writer.flush()?;
                if close {
                    return Ok(());
                }
            }
            Some(Fault::Cut(at)) => {
                writer.write_all(&bytes[..head_len(&bytes) + at.min(response.body.len())])?;
                writer.flush()?;
                return writer.shutdown(Shutdown::Both);
            }
            Some(Fault::Reset(at)) => {
                writer.write_all(&bytes[..head_len(&bytes) + at.min(response.body.len())])?;
                writer.flush()?;
                // A zero linger makes close() send RST instead of FIN.
                socket2::SockRef::from(&writer).set_linger(Some(Duration::ZERO))?;
                return Ok(());
            }
            Some(Fault::Trickle(interval)) => {
                for byte in bytes.chunks(1) {
                    writer.write_all(byte)?;
                    writer.flush()?;
                    if !pause(interval, stop) {
                        return Ok(());
                    }
                }
                return Ok(());
            }
            Some(Fault::Silent) => {
                // Hold the connection, reading nothing, until the client closes it (a read of
                // 0 bytes) or the sandbox stops.
                let mut probe = [0u8; 1];
                while !stop.load(Ordering::SeqCst) {
                    match writer.peek(&mut probe) {
                        Ok(0) => return Ok(()),
                        Ok(_) => thread::sleep(POLL),
                        Err(e)
                            if matches!(
                                e.kind(),
                                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                            ) => {}
                        Err(_) => return Ok(()),
                    }
                }
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Sleeps `duration` in short steps; `false` if the sandbox stopped meanwhile.
fn pause(duration: Duration, stop: &AtomicBool) -> bool {
    let until = Instant::now() + duration;
    loop {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        thread::sleep(left.min(POLL));
    }
}

/// Where the head ends in the bytes of an answer.
fn head_len(bytes: &[u8]) -> usize {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(bytes.len(), |at| at + 4)
}

/// A request the sandbox refuses to read: the status and the plain-text reason it answers.
pub(crate) struct BadRequest(pub(crate) u16, pub(crate) &'static str);

impl From<io::Error> for BadRequest {
    fn from(_: io::Error) -> Self {
        BadRequest(400, "unreadable request")
    }
}

/// The next request; `None` when the client closed the connection, stayed idle too long, or
/// the sandbox stopped.
pub(crate) fn read_request<R: Read>(
    reader: &mut BufReader<R>,
    stop: &AtomicBool,
) -> Result<Option<HttpRequest>, BadRequest> {
    let mut head = Vec::with_capacity(1024);
    let waiting_since = Instant::now();
    // Where the line being read starts: a read interrupted by the poll timeout leaves part of a
    // line in `head`, and the next read completes it.
    let mut line_start = 0;
    loop {
        let read = match reader
            .by_ref()
            .take((MAX_HEAD + 1 - head.len()) as u64)
            .read_until(b'\n', &mut head)
        {
            Ok(read) => read,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if stop.load(Ordering::SeqCst) || waiting_since.elapsed() > IDLE {
                    return Ok(None);
                }
                continue;
            }
            // A vanished client: end quietly.
            Err(_) if head.is_empty() => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        if read == 0 {
            return if head.is_empty() {
                Ok(None)
            } else {
                Err(BadRequest(400, "truncated request"))
            };
        }
        if head.len() > MAX_HEAD {
            return Err(BadRequest(431, "request head too large"));
        }
        if !head.ends_with(b"\n") {
            continue;
        }
        let line = &head[line_start..];
        if line == b"\r\n" || line == b"\n" {
            if line_start == 0 {
                // Tolerate stray blank lines between requests.
                head.clear();
                continue;
            }
            break;
        }
        line_start = head.len();
    }
    let mut header_slots = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut header_slots);
    match parsed.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return Err(BadRequest(400, "malformed request head")),
    }
    let method = parsed.method.unwrap_or_default().to_owned();
    let target = parsed.path.unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_owned(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
    };
    if header("transfer-encoding").is_some() {
        return Err(BadRequest(501, "chunked request bodies are not supported"));
    }
    let length = match header("content-length") {
        Some(value) => value
            .parse::<usize>()
            .map_err(|_| BadRequest(400, "bad content-length"))?,
        None => 0,
    };
    if length > MAX_BODY {
        return Err(BadRequest(413, "request body too large"));
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Some(HttpRequest {
        method,
        target,
        headers,
        body,
    }))
}

fn plain(status: u16, text: &str) -> HttpResponse {
    HttpResponse::new(status, "text/plain", text.as_bytes().to_vec())
}

fn write_response(out: &mut TcpStream, response: &HttpResponse, close: bool) -> io::Result<()> {
    out.write_all(&response_bytes(response, close))?;
    out.flush()
}

/// The head and the whole body of an answer, as sent.
fn response_bytes(response: &HttpResponse, close: bool) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    let has = |name: &str| {
        response
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !has("content-length") {
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&response.body);
    bytes
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        202 => "Accepted",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}
