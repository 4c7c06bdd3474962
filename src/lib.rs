// The guide lives in docs/guide.md so that it reads well on its own; its examples run as
// doctests like any other.
#![doc = include_str!("../docs/guide.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
// On docs.rs (`--cfg docsrs`, see Cargo.toml), items behind a feature say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[macro_use]
mod macros;

pub mod api;
mod client;
mod deadline;
mod der;
mod env;
mod error;
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub mod fuzzing;
mod json_path;
mod pagination;
mod request;
mod retry;
pub mod signing;
mod time;
mod tls;
mod transport;
pub mod webhook;

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_RESPONSE_SIZE_LIMIT, DEFAULT_TIMEOUT,
};
pub use deadline::TimeLimit;
pub use env::ENV_VARS;
pub use error::{
    ApiError, DecodeError, Duplicate, Error, ErrorReason, Principal, Result, TimeoutError,
    TransportError, WaitEnd,
};
pub use pagination::{Page, Pages};
pub use request::{Method, Request};
pub use retry::RetryPolicy;
pub use signing::{KeyAlgorithm, KeyError, KeySigner, PublicKey};
pub use time::Timestamp;
pub use tls::TlsRoots;
