// The guide lives in docs/guide.md so that it reads well on its own; its examples run as
// doctests like any other.
#![doc = include_str!("../docs/guide.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[macro_use]
mod macros;

pub mod api;
mod client;
mod der;
mod env;
mod error;
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub mod fuzzing;
mod pagination;
mod request;
mod retry;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod signing;
mod time;
mod tls;
mod transport;

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_RESPONSE_SIZE_LIMIT, DEFAULT_TIMEOUT,
};
pub use env::ENV_VARS;
pub use error::{ApiError, Duplicate, Error, PolicyApproval, Principal, Result, TransportError};
pub use pagination::{Page, Pages};
pub use request::{Method, Request};
pub use retry::RetryPolicy;
pub use signing::{KeyAlgorithm, KeyError, KeySigner, PublicKey};
pub use tls::TlsRoots;
