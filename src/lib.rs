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
mod classify;
mod client;
mod deadline;
mod der;
mod endpoint;
mod env;
mod error;
// The field-fidelity test's machinery (samples of every model, probes): test support, not API.
#[cfg(feature = "fidelity-checks")]
#[doc(hidden)]
pub mod fidelity;
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub mod fuzzing;
mod json_path;
mod multipart;
mod nonce;
mod pagination;
mod request;
mod retry;
mod run;
pub mod signing;
mod time;
mod tls;
mod transport;
mod user_action;
pub mod wait;
pub mod webhook;
mod wire;

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_RESPONSE_SIZE_LIMIT, DEFAULT_TIMEOUT,
};
pub use env::ENV_VARS;
pub use error::{
    ApiError, DecodeError, Duplicate, Error, ErrorReason, Principal, Result, TimeLimit,
    TimeoutError, TooLargeError, TransportError, WaitEnd,
};
pub use pagination::{Page, Pages};
pub use request::{Method, Request};
pub use retry::RetryPolicy;
pub use signing::{KeyAlgorithm, KeyError, KeySigner, PublicKey};
pub use time::{NotADate, Timestamp};
pub use tls::TlsRoots;
