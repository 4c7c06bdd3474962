//! The catalogue of typed endpoints: every endpoint this crate types, as it is declared.
//!
//! Each endpoint is declared once, with the `endpoints!` macro of its domain module; that one
//! declaration makes the free function that builds its [`Request`](crate::Request), the method
//! of the domain's handle on [`Client`](crate::Client) that sends it, and its [`Endpoint`]
//! entry here. The three cannot disagree about the method, the path, the signature or the
//! retry safety.

use crate::request::Method;

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
    /// Whether Dfns deprecates this path (a replacement is typed beside it).
    pub deprecated: bool,
    /// The free function that builds the request (`dfns_blocking::api::pats::deactivate`).
    pub function: &'static str,
    /// The handle method that sends it (`Client::pats().deactivate`).
    pub handle: &'static str,
    /// What the field fidelity test (`tests/fidelity.rs`) runs for this endpoint: set on every
    /// entry of the catalogue by `endpoints!`.
    #[doc(hidden)]
    pub probe: Option<super::fidelity::Probe>,
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
            deprecated: false,
            function,
            handle,
            probe: None,
        }
    }

    /// With the fidelity test's probe.
    #[doc(hidden)]
    pub const fn probe(mut self, probe: super::fidelity::Probe) -> Self {
        self.probe = Some(probe);
        self
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

    /// Safe to send again when the body has an `externalId`.
    #[doc(hidden)]
    pub const fn external_id(mut self) -> Self {
        self.idempotency = Idempotency::ByExternalId;
        self
    }

    /// Deprecated by Dfns.
    #[doc(hidden)]
    pub const fn deprecated(mut self) -> Self {
        self.deprecated = true;
        self
    }
}

/// Every typed endpoint, domain by domain, in the order they are declared.
///
/// ```
/// let signed = dfns_blocking::api::catalogue().filter(|e| e.signed).count();
/// assert!(signed > 0);
/// for endpoint in dfns_blocking::api::catalogue().filter(|e| e.domain == "auth").take(3) {
///     println!("{} {} -> {}", endpoint.method, endpoint.path, endpoint.handle);
/// }
/// ```
pub fn catalogue() -> impl Iterator<Item = &'static Endpoint> {
    super::DECLARED
        .iter()
        .flat_map(|endpoints| endpoints.iter())
}
