//! Host name resolution for the client's agent, without a thread or a lookup per request.
//!
//! ureq resolves the host before it looks in its connection pool, so it resolves on every
//! request, even one that reuses a pooled connection. With a timeout configured (ours is 30 s
//! by default), its default resolver runs each lookup on a new thread so that the lookup can be
//! abandoned: a thread spawned and joined per request, the largest cost of a call on a fast
//! network. This resolver:
//! - reads an IP address host (`127.0.0.1`, `[::1]`) directly: no lookup, no thread;
//! - remembers a name's addresses for [`NAME_TTL`], so pooled requests skip the lookup; a
//!   lookup that is needed still goes through ureq's resolver, bounded by the call's timeout.
//!
//! The addresses only matter when a new connection is opened; the timeout semantics are
//! unchanged (the whole-call timeout still bounds every phase).
//!
//! This uses ureq's `unversioned` API (the `Resolver` trait, `Agent::with_parts`), which may
//! change in a minor release: Cargo.toml pins ureq to `~3.5` for that reason.

use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a name's addresses are reused for new connections: the JVM's default for a
/// positive lookup. Short enough to follow a DNS change soon.
pub(crate) const NAME_TTL: std::time::Duration = std::time::Duration::from_secs(30);

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
    fn names_are_looked_up_once_then_remembered() {
        let resolver = CachingResolver::default();
        let first = resolve(&resolver, "http://localhost:9/");
        assert!(!first.is_empty());
        assert!(first.iter().all(|a| a.ip().is_loopback() && a.port() == 9));
        assert_eq!(resolver.names().len(), 1);
        // Make the remembered answer recognisable: the second resolve must return it.
        let marker: SocketAddr = "127.0.0.2:9".parse().unwrap();
        resolver.names()[0].addresses = vec![marker];
        assert_eq!(resolve(&resolver, "http://localhost:9/other"), [marker]);
        // Another port is another name, and an expired answer is looked up again.
        assert!(!resolve(&resolver, "http://localhost:10/").contains(&marker));
        resolver.names()[0].until = Instant::now();
        assert!(!resolve(&resolver, "http://localhost:9/").contains(&marker));
        assert_eq!(resolver.names().len(), 2);
    }
}
