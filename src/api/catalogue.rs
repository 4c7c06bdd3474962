//! The catalogue of typed endpoints: every endpoint this crate types, as it is declared.
//!
//! Each endpoint is declared once, with the `endpoints!` macro of its domain module; that one
//! declaration makes the free function that builds its [`Request`](crate::Request), the method
//! of the domain's handle on [`Client`](crate::Client) that sends it, and its [`Endpoint`]
//! entry here. The three cannot disagree about the method, the path, the signature or the
//! retry safety.

pub use crate::endpoint::{Endpoint, Idempotency};

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
