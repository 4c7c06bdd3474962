//! What carries the client's requests: ureq's HTTP/1.1 over a resolver and a TCP transport of
//! our own, so that a request on a kept-alive connection costs one write and one read.
//!
//! **Resolution.** ureq resolves the host before it looks in its connection pool, so it
//! resolves on every request, even one that reuses a pooled connection. With a timeout
//! configured (ours is 30 s by default), its default resolver runs each lookup on a new thread
//! so that the lookup can be abandoned: a thread spawned and joined per request, the largest
//! cost of a call on a fast network. [`CachingResolver`]:
//! - reads an IP address host (`127.0.0.1`, `[::1]`) directly: no lookup, no thread;
//! - remembers a name's addresses for [`NAME_TTL`], so pooled requests skip the lookup; a
//!   lookup that is needed still goes through ureq's resolver, bounded by the call's timeout.
//!
//! **The socket.** ureq's TCP transport makes, per request on a kept-alive connection, two
//! liveness probes of three system calls each (`ioctl(FIONBIO)`, a 1-byte `recvfrom`,
//! `ioctl(FIONBIO)`: one when the connection goes back to the pool, one when it comes out), two
//! `setsockopt` (its read and write timeouts are the time left of the call, a new value every
//! time) and one `sendto` for the head plus one for the body. [`Socket`] keeps every guarantee
//! with fewer:
//! - **one probe per reuse, one system call**: a connection going back to the pool straight
//!   after its answer was read whole is not probed then; it is probed when it comes out for the
//!   next request, which is the moment that matters (the server may have closed it while it
//!   was idle). On Unix the probe is a single non-blocking `recv(MSG_PEEK | MSG_DONTWAIT)`;
//!   elsewhere std's three calls. A connection the server closed, or that holds bytes nobody
//!   asked for, is never handed to a request;
//! - **socket timeouts set only when they must change**: a read or write timeout stays as long
//!   as it is at most the time left and at least a quarter of it (it is set to half the time
//!   left). A read or write that times out at the socket before the call's deadline is made
//!   again with the rest; so no read or write blocks past the deadline, and a kept-alive
//!   connection under the default 30 s timeout sets its timeouts once;
//! - **one write per request**: what ureq hands over (the head, then a body) is held back,
//!   up to [`COALESCE`] bytes, and written in one call before the answer is awaited.
//!
//! Proxies (HTTP `CONNECT`, and SOCKS with the `socks-proxy` feature) and TLS are ureq's own
//! connectors, chained around [`TcpConnector`] as in ureq's default chain.
//!
//! Every use of ureq's `unversioned` API (the `Resolver`, `Connector` and `Transport` traits,
//! `Agent::with_parts`) is in this module: that API may change in a minor release, and
//! Cargo.toml pins ureq to `~3.5` for that reason.

use std::fmt;
use std::io::{self, Read as _, Write as _};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout,
    RustlsConnector, ShutdownHandle, Transport,
};

/// How long a name's addresses are reused for new connections: the JVM's default for a
/// positive lookup. Short enough to follow a DNS change soon.
pub(crate) const NAME_TTL: Duration = Duration::from_secs(30);

/// At most this many names are remembered (a client talks to one host, perhaps via a proxy).
const MAX_NAMES: usize = 4;

/// See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    inner: DefaultResolver,
    names: Mutex<Vec<Remembered>>,
}

#[derive(Debug)]
struct Remembered {
    /// `host:port`, as ureq's resolver looks it up.
    host_port: String,
    addresses: Vec<SocketAddr>,
    until: Instant,
}

impl CachingResolver {
    fn addresses(&self, found: &[SocketAddr]) -> ResolvedSocketAddrs {
        let mut addresses = self.empty();
        // ureq keeps at most 16; a lookup result was already cut to that.
        for address in found.iter().take(16) {
            addresses.push(*address);
        }
        addresses
    }

    fn names(&self) -> std::sync::MutexGuard<'_, Vec<Remembered>> {
        // The list holds no invariant a panic could break.
        self.names
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return self.inner.resolve(uri, config, timeout);
        };
        let port = authority.port_u16().or(match scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        });
        let host = authority.host();
        // `localhost` and its subdomains are loopback (RFC 6761), whatever the system's
        // resolver says: a container without `/etc/hosts` could send them off the machine.
        if let (true, Some(port)) = (is_localhost_name(host), port) {
            let loopback = [
                IpAddr::from([127, 0, 0, 1]),
                IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
            ];
            let wanted: Vec<SocketAddr> = config
                .ip_family()
                .keep_wanted(loopback.into_iter().map(|ip| SocketAddr::new(ip, port)))
                .collect();
            return Ok(self.addresses(&wanted));
        }
        let literal = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host)
            .parse::<IpAddr>();
        if let (Ok(ip), Some(port)) = (literal, port) {
            let wanted: Vec<SocketAddr> = config
                .ip_family()
                .keep_wanted(std::iter::once(SocketAddr::new(ip, port)))
                .collect();
            if wanted.is_empty() {
                return Err(ureq::Error::HostNotFound);
            }
            return Ok(self.addresses(&wanted));
        }
        let Some(host_port) = DefaultResolver::host_and_port(scheme, authority) else {
            return self.inner.resolve(uri, config, timeout);
        };
        let now = Instant::now();
        if let Some(known) = self
            .names()
            .iter()
            .find(|known| known.host_port == host_port && known.until > now)
        {
            return Ok(self.addresses(&known.addresses));
        }
        let found = self.inner.resolve(uri, config, timeout)?;
        let mut names = self.names();
        names.retain(|known| known.host_port != host_port && known.until > now);
        if names.len() >= MAX_NAMES {
            names.remove(0);
        }
        names.push(Remembered {
            host_port,
            addresses: found.iter().copied().collect(),
            until: now + NAME_TTL,
        });
        Ok(found)
    }
}

/// The client's agent: `config` over [`CachingResolver`] and the connector chain (SOCKS with
/// the `socks-proxy` feature, HTTP `CONNECT` proxies, [`TcpConnector`], TLS).
pub(crate) fn agent(config: Config) -> ureq::Agent {
    let connector = ();
    #[cfg(feature = "socks-proxy")]
    let connector = connector.chain(ureq::unversioned::transport::SocksConnector::default());
    let connector = connector
        .chain(ConnectProxyConnector::default())
        .chain(TcpConnector)
        .chain(RustlsConnector::default());
    ureq::Agent::with_parts(config, connector, CachingResolver::default())
}

/// An I/O failure raised while connecting, before any byte of a request was written: the one
/// kind of I/O failure that proves a request was not sent. The same error kinds
/// (`EHOSTUNREACH`, `ENETUNREACH`, ...) can come from a send or a receive on an established
/// connection, so the kind alone proves nothing; this wrapper records the phase.
#[derive(Debug)]
pub(crate) struct ConnectFailed(io::Error);

impl fmt::Display for ConnectFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for ConnectFailed {}

/// Marks an I/O failure of the connect phase (other failures pass as they are).
fn while_connecting(error: ureq::Error) -> ureq::Error {
    match error {
        ureq::Error::Io(io) => ureq::Error::Io(io::Error::new(io.kind(), ConnectFailed(io))),
        other => other,
    }
}

/// The failure of connecting to `address` as the connector reports it.
#[cfg(test)]
pub(crate) fn connect_for_test(address: SocketAddr) -> ureq::Error {
    use ureq::unversioned::transport::time::Duration as UreqDuration;
    let timeout = NextTimeout {
        after: UreqDuration::from_secs(5),
        reason: ureq::Timeout::Connect,
        ..NextTimeout::default()
    };
    match connect(&[address], timeout).map_err(while_connecting) {
        Ok(_) => panic!("{address} accepted a connection"),
        Err(error) => error,
    }
}

/// Whether an I/O failure was raised while connecting ([`ConnectFailed`]).
pub(crate) fn failed_connecting(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<ConnectFailed>())
}

/// How many request bytes are held back to be written in one call: a head and a small body.
/// A larger body is written as ureq hands it over.
pub(crate) const COALESCE: usize = 16 * 1024;

/// Opens a [`Socket`] to the resolved addresses, unless a proxy connector already made the
/// connection.
#[derive(Debug)]
pub(crate) struct TcpConnector;

impl<In: Transport> Connector<In> for TcpConnector {
    type Out = Either<In, Socket>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if chained.is_some() {
            return Ok(chained.map(Either::A));
        }
        let stream = connect(&details.addrs, details.timeout).map_err(while_connecting)?;
        if details.config.no_delay() {
            stream
                .set_nodelay(true)
                .map_err(|e| while_connecting(e.into()))?;
        }
        let socket = Socket {
            stream: Arc::new(stream),
            buffers: LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            ),
            pending: Vec::new(),
            read_timeout: None,
            write_timeout: None,
            answered: false,
        };
        // Lets `Agent::shutdown` interrupt a blocked read or write.
        (details.register_shutdown)(Arc::downgrade(&socket.stream) as Weak<dyn ShutdownHandle>)?;
        Ok(Some(Either::B(socket)))
    }
}

/// Connects to the first address that answers. Each address but the last gets half of the time
/// left (ureq shares it the same way); a connect that times out is `Timeout::Connect`, which
/// says that nothing was sent.
fn connect(addresses: &[SocketAddr], timeout: NextTimeout) -> Result<TcpStream, ureq::Error> {
    let deadline = Deadline::of(timeout);
    let mut last = None;
    for (i, address) in addresses.iter().enumerate() {
        let result = match deadline.left() {
            Left::Forever => TcpStream::connect(address),
            Left::Expired => {
                last = Some(ureq::Error::Timeout(ureq::Timeout::Connect));
                break;
            }
            Left::Some(left) => {
                let share = if i + 1 == addresses.len() {
                    left
                } else {
                    (left / 2).max(MIN_CONNECT)
                };
                TcpStream::connect_timeout(address, share)
            }
        };
        match result {
            Ok(stream) => return Ok(stream),
            Err(e) if is_timeout(&e) => last = Some(ureq::Error::Timeout(ureq::Timeout::Connect)),
            // Refused or unreachable concerns this address only: try the next one.
            Err(e) if address_specific(&e) => last = Some(ureq::Error::Io(e)),
            Err(e) => return Err(e.into()),
        }
    }
    // No address at all (ureq resolves none when a proxy will): refused, as ureq says.
    Err(last.unwrap_or_else(|| io::Error::from(io::ErrorKind::ConnectionRefused).into()))
}

/// The least time an address that is not the last gets to connect.
const MIN_CONNECT: Duration = Duration::from_millis(10);

fn address_specific(e: &io::Error) -> bool {
    use io::ErrorKind as K;
    matches!(
        e.kind(),
        K::ConnectionRefused
            | K::HostUnreachable
            | K::NetworkUnreachable
            | K::NetworkDown
            | K::AddrNotAvailable
    )
}

/// Whether a socket call ran out of its socket timeout (`EAGAIN` on Unix, `WSAETIMEDOUT` on
/// Windows).
fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// The end of ureq's current timeout, as an instant.
#[derive(Clone, Copy)]
struct Deadline(Option<Instant>);

enum Left {
    Forever,
    Expired,
    Some(Duration),
}

impl Deadline {
    fn of(timeout: NextTimeout) -> Self {
        if timeout.after.is_not_happening() {
            return Self(None);
        }
        // A deadline too far to represent is no deadline.
        Self(Instant::now().checked_add(*timeout.after))
    }

    fn left(self) -> Left {
        match self.0 {
            None => Left::Forever,
            Some(deadline) => match deadline.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => Left::Some(left),
                _ => Left::Expired,
            },
        }
    }
}

/// The socket timeout of one direction, as last set (`None`: blocking, as a new socket is).
type Armed = Option<Duration>;

/// Makes sure the next socket call in one direction cannot block past the deadline, touching
/// the socket only when its timeout must change: a timeout set earlier stays while it is at
/// most the time left and at least a quarter of it (so it is set to half the time left).
fn arm(
    stream: &TcpStream,
    armed: &mut Armed,
    left: &Left,
    set: fn(&TcpStream, Option<Duration>) -> io::Result<()>,
) -> Result<(), ureq::Error> {
    let wanted = match *left {
        Left::Forever if armed.is_none() => return Ok(()),
        Left::Forever => None,
        Left::Expired => return Err(ureq::Error::Timeout(ureq::Timeout::Global)),
        Left::Some(left) => {
            if armed.is_some_and(|set| set <= left && set.saturating_mul(4) >= left) {
                return Ok(());
            }
            // Near the deadline, all of it: halving would only add wake-ups.
            Some(if left > MIN_HALVED { left / 2 } else { left })
        }
    };
    set(stream, wanted)?;
    *armed = wanted;
    Ok(())
}

/// Below this, a socket timeout is the whole time left rather than half of it.
const MIN_HALVED: Duration = Duration::from_millis(4);

/// A TCP connection as ureq's transport: see the module documentation.
pub(crate) struct Socket {
    /// Shared (weakly) with the agent's shutdown handle.
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    /// Request bytes handed over and not written yet.
    pending: Vec<u8>,
    read_timeout: Armed,
    write_timeout: Armed,
    /// Whether an answer was read since the connection was last probed: ureq asks whether the
    /// connection is open right after it read an answer whole (to pool it), and again when it
    /// takes it from the pool; only the second asks the socket.
    answered: bool,
}

impl fmt::Debug for Socket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Socket")
            .field("peer", &self.stream.peer_addr().ok())
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl Socket {
    /// Writes the held-back request bytes, if any.
    fn flush(&mut self, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let result = write_all(
            &self.stream,
            &mut self.write_timeout,
            &self.pending,
            timeout,
        );
        self.pending.clear();
        result
    }
}

/// Writes all of `data`, each write bounded by the deadline.
fn write_all(
    stream: &TcpStream,
    armed: &mut Armed,
    mut data: &[u8],
    timeout: NextTimeout,
) -> Result<(), ureq::Error> {
    let timeout = timeout.for_write();
    let deadline = Deadline::of(timeout);
    let expired = || ureq::Error::Timeout(timeout.reason);
    while !data.is_empty() {
        arm(
            stream,
            armed,
            &deadline.left(),
            TcpStream::set_write_timeout,
        )
        .map_err(|e| expire(e, timeout))?;
        match (&*stream).write(data) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero).into()),
            Ok(n) => data = &data[n..],
            // The socket timeout passed; the deadline says whether the call's time is up.
            Err(e) if is_timeout(&e) && !matches!(deadline.left(), Left::Expired) => {}
            Err(e) if is_timeout(&e) => return Err(expired()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// A deadline reached while arming is the timeout's own reason.
fn expire(error: ureq::Error, timeout: NextTimeout) -> ureq::Error {
    match error {
        ureq::Error::Timeout(_) => ureq::Error::Timeout(timeout.reason),
        other => other,
    }
}

impl Transport for Socket {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let output = &self.buffers.output()[..amount];
        if self.pending.len() + amount <= COALESCE {
            self.pending.extend_from_slice(output);
            return Ok(());
        }
        if !self.pending.is_empty() {
            let result = write_all(
                &self.stream,
                &mut self.write_timeout,
                &self.pending,
                timeout,
            );
            self.pending.clear();
            result?;
        }
        write_all(&self.stream, &mut self.write_timeout, output, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        // The request goes out, whole, before its answer is awaited.
        self.flush(timeout)?;
        let timeout = timeout.for_read();
        let deadline = Deadline::of(timeout);
        loop {
            arm(
                &self.stream,
                &mut self.read_timeout,
                &deadline.left(),
                TcpStream::set_read_timeout,
            )
            .map_err(|e| expire(e, timeout))?;
            match (&*self.stream).read(self.buffers.input_append_buf()) {
                Ok(n) => {
                    self.buffers.input_appended(n);
                    self.answered = true;
                    return Ok(n > 0);
                }
                Err(e) if is_timeout(&e) && !matches!(deadline.left(), Left::Expired) => {}
                Err(e) if is_timeout(&e) => return Err(ureq::Error::Timeout(timeout.reason)),
                // A signal: read again, unless nothing bounds the wait (then the caller may
                // have meant it).
                Err(e)
                    if e.kind() == io::ErrorKind::Interrupted
                        && !matches!(deadline.left(), Left::Forever) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn is_open(&mut self) -> bool {
        if !self.pending.is_empty() {
            // A request was not sent whole: the connection is in no state for another.
            return false;
        }
        if std::mem::take(&mut self.answered) {
            // Going back to the pool after an answer read whole; probed on the way out.
            return true;
        }
        probe(&self.stream)
    }
}

/// Whether a pooled connection can carry a request: nothing to read and no end of stream,
/// asked without waiting. Bytes waiting (an answer nobody asked for) or an end of stream
/// (the server closed it) mean it cannot.
#[cfg(unix)]
fn probe(stream: &TcpStream) -> bool {
    let mut byte = [std::mem::MaybeUninit::new(0u8)];
    let flags = libc::MSG_PEEK | libc::MSG_DONTWAIT;
    matches!(
        socket2::SockRef::from(stream).recv_with_flags(&mut byte, flags),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock
    )
}

/// Whether a pooled connection can carry a request (see the Unix version): without a
/// non-blocking peek, the socket is made non-blocking for one read.
#[cfg(not(unix))]
fn probe(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let mut byte = [0u8];
    let open = matches!(
        (&*stream).peek(&mut byte),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock
    );
    open && stream.set_nonblocking(false).is_ok()
}

/// `localhost` or a name under it (`dfns.localhost`), in any case and with a final dot: names
/// that are loopback by RFC 6761, and that the client resolves itself.
pub(crate) fn is_localhost_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host).as_bytes();
    let tail = b".localhost";
    host.eq_ignore_ascii_case(b"localhost")
        || (host.len() > tail.len() && host[host.len() - tail.len()..].eq_ignore_ascii_case(tail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::unversioned::transport::time::Duration as UreqDuration;

    fn timeout() -> NextTimeout {
        NextTimeout {
            after: UreqDuration::from_secs(5),
            reason: ureq::Timeout::Global,
            ..NextTimeout::default()
        }
    }

    fn resolve(resolver: &CachingResolver, url: &str) -> Vec<SocketAddr> {
        let uri: Uri = url.parse().unwrap();
        let config = Config::default();
        resolver
            .resolve(&uri, &config, timeout())
            .unwrap()
            .iter()
            .copied()
            .collect()
    }

    #[test]
    fn ip_hosts_are_read_without_a_lookup() {
        let resolver = CachingResolver::default();
        assert_eq!(
            resolve(&resolver, "http://127.0.0.1:8080/x"),
            ["127.0.0.1:8080".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(
            resolve(&resolver, "https://[::1]/x"),
            ["[::1]:443".parse::<SocketAddr>().unwrap()]
        );
        assert!(resolver.names().is_empty(), "nothing was looked up");
    }

    #[test]
    fn localhost_names_are_loopback_without_a_lookup() {
        let resolver = CachingResolver::default();
        for url in [
            "http://localhost:9/",
            "http://LOCALHOST.:9/",
            "http://dfns.localhost:9/",
        ] {
            let found = resolve(&resolver, url);
            assert!(!found.is_empty(), "{url}");
            assert!(
                found.iter().all(|a| a.ip().is_loopback() && a.port() == 9),
                "{url}: {found:?}"
            );
        }
        assert!(resolver.names().is_empty(), "nothing was looked up");
    }

    #[test]
    fn names_are_remembered_until_they_expire() {
        let resolver = CachingResolver::default();
        // A remembered answer is given without a lookup (`.invalid` never resolves)...
        let marker: SocketAddr = "127.0.0.2:9".parse().unwrap();
        resolver.names().push(Remembered {
            host_port: "dfns.invalid:9".to_owned(),
            addresses: vec![marker],
            until: Instant::now() + NAME_TTL,
        });
        assert_eq!(resolve(&resolver, "http://dfns.invalid:9/other"), [marker]);
        // ...until it expires: then the name is looked up again, and fails.
        resolver.names()[0].until = Instant::now();
        let uri: Uri = "http://dfns.invalid:9/".parse().unwrap();
        assert!(
            resolver
                .resolve(&uri, &Config::default(), timeout())
                .is_err()
        );
    }
}
