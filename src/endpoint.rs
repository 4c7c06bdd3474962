//! What describes one endpoint: its method and path at Dfns, whether it is signed, whether it
//! may be sent again, and what calls it in this crate. The request pipeline reads it; the
//! domains declare one per endpoint (`endpoints!`), and [`api::catalogue`](crate::api::catalogue)
//! lists them.

use std::fmt;

/// HTTP methods the Dfns API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
}

impl Method {
    /// The method's name, as sent and as signed (`userActionHttpMethod`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a request to an endpoint may be sent again after a failure that leaves its outcome
/// unknown (a timeout, a reset connection, a 502).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Idempotency {
    /// Sending it twice has the effect of sending it once: reads, and changes that set a state
    /// (activate, deactivate).
    Idempotent,
    /// Dfns runs it at most once per `externalId`: safe to repeat when the body has one
    /// (transfers, transactions, signature requests).
    ByExternalId,
    /// Sending it twice may do it twice (create a second token, for example).
    NotIdempotent,
}

/// One typed endpoint: what it is at Dfns and what calls it in this crate.
///
/// ```
/// use dfns_blocking::Method;
///
/// let deactivate = dfns_blocking::api::catalogue()
///     .find(|e| e.function == "dfns_blocking::api::pats::deactivate")
///     .unwrap();
/// assert_eq!(deactivate.method, Method::Put);
/// assert_eq!(deactivate.path, "/auth/pats/{tokenId}/deactivate");
/// assert!(deactivate.signed);
/// assert_eq!(deactivate.handle, "Client::pats().deactivate");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Endpoint {
    /// The Dfns domain, named as in Dfns's own endpoint lists (`auth`, `permissions`, ...).
    pub domain: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template as Dfns documents it, ids in braces (`/auth/pats/{tokenId}`).
    pub path: &'static str,
    /// Whether the endpoint needs a user action signature.
    pub signed: bool,
    /// Whether a failed request may be sent again.
    pub idempotency: Idempotency,
    /// Where Dfns documents that it runs this endpoint at most once per `externalId` (set with
    /// [`Idempotency::ByExternalId`], which no endpoint gets without a source).
    pub idempotency_source: Option<&'static str>,
    /// Whether Dfns deprecates this path (a replacement is typed beside it).
    pub deprecated: bool,
    /// The free function that builds the request (`dfns_blocking::api::pats::deactivate`).
    pub function: &'static str,
    /// The handle method that sends it (`Client::pats().deactivate`).
    pub handle: &'static str,
}

impl Endpoint {
    /// An unsigned endpoint; reads are idempotent, changes are not until declared so.
    #[doc(hidden)]
    pub const fn new(
        domain: &'static str,
        method: Method,
        path: &'static str,
        function: &'static str,
        handle: &'static str,
    ) -> Self {
        Self {
            domain,
            method,
            path,
            signed: false,
            idempotency: match method {
                Method::Get => Idempotency::Idempotent,
                _ => Idempotency::NotIdempotent,
            },
            idempotency_source: None,
            deprecated: false,
            function,
            handle,
        }
    }

    /// Needs a user action signature.
    #[doc(hidden)]
    pub const fn signed(mut self) -> Self {
        self.signed = true;
        self
    }

    /// Safe to send again.
    #[doc(hidden)]
    pub const fn idempotent(mut self) -> Self {
        self.idempotency = Idempotency::Idempotent;
        self
    }

    /// Safe to send again when the body has an `externalId`, as Dfns documents at `source`.
    #[doc(hidden)]
    pub const fn external_id(mut self, source: &'static str) -> Self {
        self.idempotency = Idempotency::ByExternalId;
        self.idempotency_source = Some(source);
        self
    }

    /// Deprecated by Dfns.
    #[doc(hidden)]
    pub const fn deprecated(mut self) -> Self {
        self.deprecated = true;
        self
    }
}

/// Whether the ids of an endpoint's function name the placeholders of its path, in order:
/// `{walletId}` is filled by `wallet_id` (compared without case and underscores), and there
/// are as many ids as placeholders. `endpoints!` asserts it at compile time.
#[doc(hidden)]
pub const fn fits_ids(path: &str, ids: &[&str]) -> bool {
    let path = path.as_bytes();
    let (mut at, mut index) = (0, 0);
    while at < path.len() {
        if path[at] != b'{' {
            at += 1;
            continue;
        }
        if index >= ids.len() {
            return false;
        }
        let id = ids[index].as_bytes();
        let (mut p, mut i) = (at + 1, 0);
        loop {
            while i < id.len() && id[i] == b'_' {
                i += 1;
            }
            if p >= path.len() {
                return false;
            }
            if path[p] == b'}' {
                break;
            }
            if i >= id.len() || !path[p].eq_ignore_ascii_case(&id[i]) {
                return false;
            }
            p += 1;
            i += 1;
        }
        if i != id.len() {
            return false;
        }
        index += 1;
        at = p + 1;
    }
    index == ids.len()
}
